import numpy as np
import pytest

from aelib import metrics


def test_average_squared_error_sums_pixels_and_averages_images():
    images = np.array([[[0.0, 1.0], [0.5, 0.5]], [[1.0, 1.0], [0.0, 0.0]]])
    recon = np.array([[[0.5, 1.0], [0.5, 0.0]], [[1.0, 0.0], [0.0, 0.0]]])
    # image 1: 0.25 + 0 + 0 + 0.25 = 0.5; image 2: 1.0; mean 0.75
    assert metrics.average_squared_error(images, recon) == pytest.approx(0.75)


def test_average_squared_error_is_784_times_the_pixel_mse(rng):
    x = rng.random((10, 28, 28))
    x_hat = rng.random((10, 28, 28))
    assert metrics.average_squared_error(x, x_hat) == pytest.approx(784 * np.mean((x - x_hat) ** 2))


def test_average_squared_error_accepts_reconstructions_outside_unit_range():
    assert metrics.average_squared_error(np.zeros((1, 2)), np.array([[-1.0, 2.0]])) == 5.0


def test_average_squared_error_rejects_images_outside_unit_range():
    with pytest.raises(ValueError, match=r"images must have pixel values in value_range=\[0.0, 1.0\].*255"):
        metrics.average_squared_error(np.full((1, 4), 255.0), np.zeros((1, 4)))


def test_psnr_by_hand():
    x = np.zeros((2, 4))
    x_hat = np.stack([np.full(4, 0.1), np.full(4, 0.01)])
    # MSE 0.01 -> 20 dB; MSE 1e-4 -> 40 dB
    np.testing.assert_allclose(metrics.psnr(x, x_hat, reduce=False), [20.0, 40.0])
    assert metrics.psnr(x, x_hat) == pytest.approx(30.0)
    assert metrics.psnr(x * 255, x_hat * 255, data_range=255) == pytest.approx(30.0)
    assert metrics.psnr(x, x) == np.inf


@pytest.mark.parametrize("data_range", [0, -1.0, "1"])
def test_psnr_rejects_bad_data_range(data_range):
    with pytest.raises(ValueError, match="data_range"):
        metrics.psnr(np.zeros((1, 2)), np.zeros((1, 2)), data_range=data_range)


def test_shape_mismatch_is_named():
    with pytest.raises(ValueError, match="same shape"):
        metrics.average_squared_error(np.zeros((2, 4)), np.zeros((2, 5)))
