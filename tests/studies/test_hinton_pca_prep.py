"""The Hinton & Salakhutdinov study's data: the faces built and split as the paper's, their
standardization, and the curves whose training images calibrate the generator
(studies/hinton_pca/prep.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import aelib

PREP = Path(__file__).resolve().parents[2] / "studies" / "hinton_pca" / "prep.py"
spec = importlib.util.spec_from_file_location("hinton_pca_prep", PREP)
prep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prep)


@pytest.fixture(scope="module")
def two_copies():
    return prep.faces(2, seed=0, crop=72)


def test_the_faces_are_split_by_person_as_the_papers(two_copies):
    parts, _, _ = two_copies
    # People 1-25, 26-30 and 31-40 with ten photographs each: 250, 50 and 100 photographs.
    assert {part: x.shape for part, x in parts.items()} == {
        "train": (500, 625),
        "validation": (100, 625),
        "test": (200, 625),
    }
    # At the paper's 414 copies: 103,500 / 20,700 / 41,400 images, 165,600 in all.
    sizes = {
        part: 10 * (last - first) * prep.FACES_COPIES
        for part, (first, last) in prep.FACES_PEOPLE.items()
    }
    assert sizes == {"train": 103_500, "validation": 20_700, "test": 41_400}


def test_the_faces_are_standardized_with_the_training_images(two_copies):
    parts, pixel_mean, pixel_scale = two_copies
    train = parts["train"].astype(np.float64)
    # Every pixel's training mean is 0, and the average pixel variance is 1.
    np.testing.assert_allclose(train.mean(axis=0), 0, atol=1e-5)
    assert np.mean(train.var(axis=0)) == pytest.approx(1.0, rel=1e-5)
    # The other parts use the training statistics: back in intensities they are in [0, 1].
    for x in parts.values():
        intensities = x * pixel_scale + pixel_mean
        assert intensities.min() >= -1e-5 and intensities.max() <= 1 + 1e-5
    assert pixel_mean.shape == (625,) and 0 < pixel_scale < 1


def test_a_faces_part_does_not_depend_on_the_parts_asked_for(two_copies):
    parts, _, _ = two_copies
    fewer, _, _ = prep.faces(2, seed=0, crop=72, parts=("train", "validation"))
    assert sorted(fewer) == ["train", "validation"]
    np.testing.assert_array_equal(fewer["validation"], parts["validation"])
    other_seed, _, _ = prep.faces(2, seed=1, crop=72, parts=("train",))
    assert not np.allclose(other_seed["train"], parts["train"])


def test_the_faces_check_scores_pca_on_the_validation_people():
    errors = prep.faces_pca_check([72], copies=2, seed=0, n_components=5)
    parts, _, _ = prep.faces(2, seed=0, crop=72, parts=("train", "validation"))
    pca = aelib.PCA(5).fit(parts["train"])
    residual = parts["validation"] - pca.reconstruct(parts["validation"])
    assert errors[72] == pytest.approx(np.square(residual).sum(axis=1).mean(), rel=1e-5)


def test_the_curves_training_images_do_not_depend_on_the_test_set_size():
    train, test = prep.curves(50, 30, seed=3, stroke_width=0.7)
    alone, none = prep.curves(50, 0, seed=3, stroke_width=0.7)
    assert train.shape == (50, 784) and test.shape == (30, 784) and none.shape == (0, 784)
    np.testing.assert_array_equal(train, alone)


def test_a_wider_stroke_gives_pca_a_larger_error():
    # More ink per image, more squared error left by the same number of components.
    errors = prep.curves_pca_check([0.5, 0.7, 1.0], n_train=400, seed=0, n_components=6)
    assert errors[0.5] < errors[0.7] < errors[1.0]
