"""The compression study's helpers: crops, the BSDS500 split, the training ladder and its
resumption from the cache, and the coding of images into files and back."""

import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from aelib.compression import LearnedCodec, weights_of
from aelib.models.factorized_prior import FactorizedPriorAutoencoder

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "studies" / "compression"))
import prep  # noqa: E402


@pytest.fixture
def pictures(rng):
    return [rng.integers(0, 256, (40, 50, 3), dtype=np.uint8) for _ in range(3)]


def test_random_crops_are_flipped_windows_of_the_images_and_seeded(pictures):
    crops = prep.random_crops(pictures, 20, 16, np.random.default_rng(5))
    assert crops.shape == (20, 16, 16, 3) and crops.dtype == np.float32
    again = prep.random_crops(pictures, 20, 16, np.random.default_rng(5))
    np.testing.assert_array_equal(crops, again)
    # Every crop is a window of one image, flipped left-right and/or up-down.
    for crop in crops:
        pixels = np.rint(crop * 255).astype(np.uint8)
        found = False
        for image in pictures:
            for candidate in (pixels, pixels[:, ::-1], pixels[::-1], pixels[::-1, ::-1]):
                windows = np.lib.stride_tricks.sliding_window_view(image, (16, 16, 3))
                if (windows == candidate).all(axis=(-3, -2, -1)).any():
                    found = True
        assert found


def test_center_crops_and_the_learning_rate_by_hand(pictures):
    crops = prep.center_crops(pictures, 10)
    np.testing.assert_array_equal(crops[1] * np.float32(255), pictures[1][15:25, 20:30])
    assert prep.learning_rate(0, 3, 1e-3, 1e-5) == 1e-3
    assert prep.learning_rate(1, 3, 1e-3, 1e-5) == pytest.approx(1e-4)
    assert prep.learning_rate(2, 3, 1e-3, 1e-5) == pytest.approx(1e-5)


def test_bsds500_split_keeps_the_val_images_apart():
    training, validation = prep.split_bsds500()
    assert (len(training), len(validation)) == (400, 100)
    assert {im.shape for im in training + validation} <= {(321, 481, 3), (481, 321, 3)}


def test_the_ladder_trains_each_model_once_and_resumes_from_the_cache(
    pictures, tmp_path, monkeypatch
):
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path))
    validation = prep.center_crops(pictures, 32)
    settings = dict(
        filters=4,
        latent_channels=3,
        crops_per_round=8,
        crop_size=32,
        batch_size=4,
        precision="float32",
    )
    kwargs = dict(
        scratch_rounds=2,
        finetune_rounds=1,
        learning_rates=(1e-3, 1e-4),
        finetune_learning_rates=(1e-4, 1e-4),
        seed=0,
        **settings,
    )
    order = [(0.01, None), (0.05, 0.01)]
    first = prep.train_ladder([0.01, 0.05], order, pictures, validation, **kwargs)
    assert [first[lam]["resumed"] for lam in (0.01, 0.05)] == [False, False]
    assert [len(first[lam]["curve"]) for lam in (0.01, 0.05)] == [2, 1]
    assert first[0.01]["curve"][-1]["steps"] == 4  # 2 rounds of 8 crops in batches of 4
    second = prep.train_ladder([0.01, 0.05], order, pictures, validation, **kwargs)
    for lam in (0.01, 0.05):
        assert second[lam]["resumed"] and second[lam]["key"] == first[lam]["key"]
        for a, b in zip(first[lam]["weights"], second[lam]["weights"]):
            np.testing.assert_array_equal(a, b)
    # Another setting is another model: not resumed.
    other = prep.train_ladder(
        [0.01], [(0.01, None)], pictures, validation, **{**kwargs, "scratch_rounds": 1}
    )
    assert not other[0.01]["resumed"]
    with pytest.raises(ValueError, match="not in lambdas"):
        prep.train_ladder([0.01], [(0.02, None)], pictures, validation, **kwargs)


def test_code_images_measures_real_files(rng):
    keras.utils.set_random_seed(0)
    model = FactorizedPriorAutoencoder(filters=8, latent_channels=4)
    model.build((None, None, None, 3))
    codec = LearnedCodec(weights_of(model))
    images = [rng.integers(0, 256, (180, 190, 3), dtype=np.uint8) for _ in range(2)]
    point = prep.code_images(codec, images)
    assert point["exact"] and len(point["channel_bpp"]) == 4
    first = point["per_image"][0]
    assert first["bpp"] == 8 * first["bytes"] / (180 * 190)
    assert point["bpp"] == pytest.approx(np.mean([p["bpp"] for p in point["per_image"]]))
    assert sum(point["channel_bpp"]) == pytest.approx(point["bpp_estimated"])
    weights = prep.named_weights(model.get_weights(), {"filters": 8, "latent_channels": 4})
    assert weights.keys() == weights_of(model).keys()


def test_nearest_setting_compares_rates_in_log_scale():
    sweep = [{"setting": s, "per_image": [{"bpp": b}]} for s, b in ((1, 0.1), (2, 0.3))]
    # In log rate 0.18 is nearer 0.3 (ratio 1.67) than 0.1 (1.8); 0.16 nearer 0.1 (1.6).
    assert prep.nearest_setting(sweep, 0, 0.18)["setting"] == 2
    assert prep.nearest_setting(sweep, 0, 0.16)["setting"] == 1


def test_the_ladder_starts_from_one_lambda_and_walks_outwards():
    assert prep.ladder_order([0.0003, 0.0015, 0.0067, 0.025], 0.0067) == [
        (0.0067, None),
        (0.025, 0.0067),
        (0.0015, 0.0067),
        (0.0003, 0.0015),
    ]
    assert prep.ladder_order([3, 1, 2], 1) == [(1, None), (2, 1), (3, 2)]
    with pytest.raises(ValueError, match="must include the starting lambda"):
        prep.ladder_order([0.1, 0.2], 0.0067)
