"""The denoising study's protocol: PSNR with clipping, seeded unclipped noise, augmented patches,
the learning-rate decay and the BM3D cache (studies/denoising/prep.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

PREP = Path(__file__).resolve().parents[2] / "studies" / "denoising" / "prep.py"
spec = importlib.util.spec_from_file_location("denoising_prep", PREP)
prep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prep)


def test_psnr_by_hand_and_clipping():
    clean = np.zeros((4, 5))
    # MSE 100: 10 log10(255^2 / 100) = 28.1308 dB.
    assert prep.psnr(clean, np.full((4, 5), 10.0)) == pytest.approx(28.130804, abs=1e-6)
    # Outputs are clipped to [0, 255] first: -7 counts as 0 (and 300 as 255).
    half = np.where(np.arange(20).reshape(4, 5) < 10, -7.0, 10.0)
    assert prep.psnr(clean, half) == pytest.approx(10 * np.log10(255**2 / 50), abs=1e-9)
    with np.errstate(divide="ignore"):  # an exact output: MSE 0, infinite PSNR
        assert prep.psnr(np.full((2, 2), 255.0), np.full((2, 2), 300.0)) == np.inf


def test_noise_is_seeded_per_image_unclipped_and_of_the_right_level():
    clean = np.zeros((200, 300))
    a = prep.noisy(clean, 25, 0, "bsd68", 3)
    np.testing.assert_array_equal(a, prep.noisy(clean, 25, 0, "bsd68", 3))
    for other in (
        prep.noisy(clean, 25, 0, "bsd68", 4),
        prep.noisy(clean, 25, 1, "bsd68", 3),
        prep.noisy(clean, 25, 0, "set12", 3),
    ):
        assert not np.allclose(a, other)
    assert a.min() < 0  # not clipped
    assert a.std() == pytest.approx(25, rel=0.01)  # 60,000 draws: 0.3 % standard error
    # Sigma is part of the seed: the noise at 50 is a fresh draw, not the noise at 25 doubled.
    b = prep.noisy(clean, 50, 0, "bsd68", 3)
    assert b.std() == pytest.approx(50, rel=0.01)
    assert abs(np.corrcoef(a.ravel(), b.ravel())[0, 1]) < 0.02


def test_patches_are_crops_turned_by_a_symmetry_of_the_square():
    images = np.arange(2 * 9 * 9, dtype=np.float32).reshape(2, 9, 9)  # every value unique
    patches = prep.random_patches(images, 200, 4, np.random.default_rng(0))
    assert patches.shape == (200, 4, 4, 1)
    symmetries = set()
    for patch in patches[..., 0]:
        # The smallest value fixes the image and the crop's corner position in it.
        image = images[int(patch.min()) // 81]
        row, col = np.argwhere(image == patch.min())[0]
        crop = image[row : row + 4, col : col + 4]
        found = [
            (k, f)
            for k in range(4)
            for f in (False, True)
            if np.array_equal(np.rot90(crop, k)[:, ::-1] if f else np.rot90(crop, k), patch)
        ]
        assert found, "a patch is not a turned or flipped crop"
        symmetries.add(found[0])
    assert len(symmetries) == 8  # all eight symmetries occur


def test_learning_rate_decays_geometrically():
    assert prep.learning_rate(0, 5, 1e-3, 1e-4) == pytest.approx(1e-3)
    assert prep.learning_rate(4, 5, 1e-3, 1e-4) == pytest.approx(1e-4)
    assert prep.learning_rate(2, 5, 1e-3, 1e-4) == pytest.approx(np.sqrt(1e-7))
    assert prep.learning_rate(0, 1, 1e-3, 1e-4) == 1e-3


def test_bm3d_outputs_are_cached_and_identical(tmp_path, monkeypatch):
    pytest.importorskip("bm3d")
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path))
    rng = np.random.default_rng(0)
    images = [rng.uniform(50, 200, (32, 40)), rng.uniform(0, 255, (24, 24))]
    psnrs, outputs, seconds, cached = prep.bm3d_set(images, 25, 0, "set12")
    assert not cached and len(outputs) == 2 and seconds.shape == (2,)
    assert all(0 <= o.min() and o.max() <= 255 for o in outputs)
    again = prep.bm3d_set(images, 25, 0, "set12")
    assert again[3]
    np.testing.assert_array_equal(again[0], psnrs)
    np.testing.assert_array_equal(again[2], seconds)  # the times measured the first time
    assert len(list((tmp_path / "denoising").glob("bm3d_*.npz"))) == 1
    # Another sigma is another entry.
    assert not prep.bm3d_set(images, 15, 0, "set12")[3]


def test_test_set_refuses_an_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        prep.test_set("kodak")
