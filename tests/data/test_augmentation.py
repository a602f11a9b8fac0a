"""aelib.data.augmentation: random similarity transforms, checked on images with known geometry."""

import numpy as np
import pytest

from aelib.data.augmentation import random_similarity_transforms, similarity_grid

STILL = {"max_rotation": 0.0, "scale_range": (1.0, 1.0), "max_shift": 0.0, "anti_alias": False}


def ramp(rows, cols, along="columns"):
    r, c = np.meshgrid(np.arange(rows, dtype=float), np.arange(cols, dtype=float), indexing="ij")
    return (c if along == "columns" else r)[None]


def test_the_identity_transform_returns_the_image(rng):
    image = rng.random((1, 9, 9))
    out, source, draws = random_similarity_transforms(image, 2, output_size=9, **STILL)
    np.testing.assert_allclose(out, np.repeat(image, 2, axis=0), atol=1e-6)
    assert source.tolist() == [0, 0]
    np.testing.assert_allclose(draws, [[0, 1, 0, 0], [0, 1, 0, 0]])


def test_a_quarter_turn_maps_a_column_ramp_to_a_row_ramp():
    # Source pixel (r, c) has value c. Output pixel (i, j) samples, for angle 90 degrees,
    # row 4 + (j - 4) and column 4 - (i - 4): its value is 8 - i, a ramp down the rows.
    grid = similarity_grid(9, (9, 9), 9, 90.0, 1.0, (0.0, 0.0))
    expected_rows, expected_cols = np.meshgrid(np.arange(9.0), np.arange(9.0), indexing="ij")
    np.testing.assert_allclose(grid[0], expected_cols, atol=1e-12)
    np.testing.assert_allclose(grid[1], 8 - expected_rows, atol=1e-12)


def test_scaling_and_shifting_follow_the_formula():
    # crop 18 onto 9 output pixels: a step of 2 source pixels, halved by scale 2.
    grid = similarity_grid(9, (19, 19), 18, 0.0, 2.0, (1.0, -2.0))
    i, j = np.meshgrid(np.arange(9.0), np.arange(9.0), indexing="ij")
    np.testing.assert_allclose(grid[0], 9 + (i - 4 - 1), atol=1e-12)
    np.testing.assert_allclose(grid[1], 9 + (j - 4 + 2), atol=1e-12)


def test_a_linear_ramp_stays_exact_under_bilinear_sampling():
    # Bilinear interpolation reproduces linear functions, so a transformed column ramp equals
    # the source column coordinate of each output pixel (away from the borders).
    source = ramp(41, 41)
    out, _, draws = random_similarity_transforms(
        source,
        5,
        output_size=9,
        crop=20,
        max_rotation=20.0,
        scale_range=(0.9, 1.1),
        max_shift=1.0,
        anti_alias=False,
        seed=7,
    )
    for k in range(5):
        angle, scale, shift = draws[k, 0], draws[k, 1], draws[k, 2:]
        grid = similarity_grid(9, (41, 41), 20, angle, scale, shift)
        np.testing.assert_allclose(out[k], grid[1], atol=1e-4)


def test_draws_are_in_range_and_seeded(rng):
    images = rng.random((3, 30, 20))
    out, source, draws = random_similarity_transforms(
        images, 50, max_rotation=10.0, scale_range=(0.9, 1.1), max_shift=1.5, seed=1
    )
    again = random_similarity_transforms(
        images, 50, max_rotation=10.0, scale_range=(0.9, 1.1), max_shift=1.5, seed=1
    )[0]
    np.testing.assert_array_equal(out, again)
    assert out.shape == (150, 25, 25) and out.dtype == np.float32
    assert source.tolist() == [0] * 50 + [1] * 50 + [2] * 50
    assert abs(draws[:, 0]).max() <= 10 and draws[:, 1].min() >= 0.9 and draws[:, 1].max() <= 1.1
    assert abs(draws[:, 2:]).max() <= 1.5
    # Bilinear sampling of a blurred image cannot leave the image's range.
    assert out.min() >= images.min() - 1e-6 and out.max() <= images.max() + 1e-6


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"n_copies": 0}, "n_copies"),
        ({"max_rotation": -1.0}, "max_rotation"),
        ({"scale_range": (1.2, 1.1)}, "scale_range"),
        ({"scale_range": (0.0, 1.0)}, "scale_range"),
        ({"max_shift": -0.5}, "max_shift"),
        ({"output_size": 0}, "output_size"),
    ],
)
def test_bad_arguments_are_named(rng, kwargs, parameter):
    arguments = {"n_copies": 2, **kwargs}
    with pytest.raises(ValueError, match=parameter):
        random_similarity_transforms(rng.random((2, 10, 10)), **arguments)


def test_images_must_be_a_stack(rng):
    with pytest.raises(ValueError, match="images"):
        random_similarity_transforms(rng.random((10, 10)), 2)
