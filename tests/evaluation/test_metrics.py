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
    with pytest.raises(
        ValueError, match=r"images must have pixel values in value_range=\[0.0, 1.0\].*255"
    ):
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


# ---------------------------------------------------------------------------------------------
# Lists of images of different sizes
# ---------------------------------------------------------------------------------------------
def test_psnr_of_two_different_size_images_is_the_mean_of_each_by_hand():
    small, large = np.zeros((2, 3)), np.full((5, 4), 0.5)
    small_hat = small + np.array([[0.1, 0.0, 0.1], [0.0, 0.1, 0.0]])  # MSE 0.03 / 6 = 0.005
    large_hat = large + 0.01  # MSE 1e-4 -> 40 dB
    expected = np.array([10 * np.log10(1 / 0.005), 40.0])
    np.testing.assert_allclose(
        metrics.psnr([small, large], [small_hat, large_hat], reduce=False), expected
    )
    assert metrics.psnr([small, large], [small_hat, large_hat]) == pytest.approx(expected.mean())
    assert metrics.psnr((small, large), (small_hat, large_hat)) == pytest.approx(expected.mean())


def test_average_squared_error_of_different_size_images_sums_each_image():
    a, b = np.zeros((2, 2)), np.zeros((3, 3))
    # image a: 4 pixels off by 0.5 -> 4 * 0.25 = 1.0; image b: its first row (3 pixels) off by 1 -> 3.0
    b_hat = b.copy()
    b_hat[0, :] = 1.0
    assert metrics.average_squared_error([a, b], [a + 0.5, b_hat]) == pytest.approx((1.0 + 3.0) / 2)


def test_a_list_of_equal_size_images_gives_the_array_result(rng):
    x, x_hat = rng.random((3, 4, 4)), rng.random((3, 4, 4))
    assert metrics.psnr(list(x), list(x_hat)) == pytest.approx(metrics.psnr(x, x_hat))
    assert metrics.average_squared_error(list(x), x_hat) == pytest.approx(
        metrics.average_squared_error(x, x_hat)
    )


def test_shape_mismatch_in_a_list_names_the_index():
    images = [np.zeros((2, 2)), np.zeros((3, 3))]
    with pytest.raises(
        ValueError, match=r"images\[1\] and reconstructions\[1\] must have the same shape"
    ):
        metrics.psnr(images, [np.zeros((2, 2)), np.zeros((3, 2))])
    with pytest.raises(ValueError, match="as many images, got 2 and 1"):
        metrics.psnr(images, [np.zeros((2, 2))])


def test_list_images_outside_value_range_are_refused():
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        metrics.average_squared_error(
            [np.zeros((2, 2)), np.full((3, 3), 200.0)], [np.zeros((2, 2)), np.zeros((3, 3))]
        )
    assert (
        metrics.average_squared_error(
            [np.full((1, 1), 200.0)], [np.zeros((1, 1))], value_range=None
        )
        == 40000.0
    )


# ---------------------------------------------------------------------------------------------
# Argument errors name the parameter
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("function", [metrics.psnr, metrics.average_squared_error])
def test_empty_input_is_refused(function):
    with pytest.raises(ValueError, match="images must be a non-empty"):
        function(np.zeros((0, 4)), np.zeros((0, 4)))
    with pytest.raises(ValueError, match="images must be a non-empty list"):
        function([], [])
    with pytest.raises(ValueError, match=r"images\[0\] is empty"):
        function([np.zeros((0, 3))], [np.zeros((0, 3))])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_refused(bad):
    x = np.zeros((2, 4))
    broken = x.copy()
    broken[1, 2] = bad
    with pytest.raises(ValueError, match="reconstructions must be finite"):
        metrics.psnr(x, broken)
    with pytest.raises(ValueError, match="images must be finite"):
        metrics.average_squared_error(broken, x, value_range=None)
    with pytest.raises(ValueError, match=r"reconstructions\[1\] must be finite"):
        metrics.psnr(list(x), list(broken))


@pytest.mark.parametrize("data_range", [np.inf, np.nan, True, None])
def test_psnr_rejects_non_finite_data_range(data_range):
    with pytest.raises(ValueError, match="data_range must be a positive finite number"):
        metrics.psnr(np.zeros((1, 2)), np.zeros((1, 2)), data_range=data_range)


def test_numpy_data_range_is_accepted():
    assert metrics.psnr(
        np.zeros((1, 4)), np.full((1, 4), 25.5), data_range=np.float32(255)
    ) == pytest.approx(20.0)


@pytest.mark.parametrize("value_range", [(1.0, 0.0), (0, np.inf), "01", (0, 1, 2)])
def test_bad_value_range_is_named(value_range):
    with pytest.raises(ValueError, match="value_range must be None or a pair"):
        metrics.average_squared_error(np.zeros((1, 2)), np.zeros((1, 2)), value_range=value_range)


def test_non_numeric_input_is_named():
    with pytest.raises(ValueError, match="images must be a numeric array"):
        metrics.psnr(np.array([["a", "b"]]), np.zeros((1, 2)))


def test_metrics_are_float64_and_do_not_depend_on_input_dtype(rng):
    x, x_hat = rng.random((4, 8, 8)), rng.random((4, 8, 8))
    as32 = metrics.psnr(x.astype("float32"), x_hat.astype("float32"), reduce=False)
    assert as32.dtype == np.float64
    np.testing.assert_allclose(
        as32,
        metrics.psnr(
            x.astype("float32").astype("float64"),
            x_hat.astype("float32").astype("float64"),
            reduce=False,
        ),
        rtol=0,
    )
    assert isinstance(metrics.psnr(x, x_hat), float)


def test_frechet_distance_of_diagonal_gaussians_is_a_sum_over_features(rng):
    # With diagonal covariances the matrix square root is elementwise:
    # d^2 = |mu_a - mu_b|^2 + sum_j (sigma_a,j - sigma_b,j)^2.
    a = rng.normal(size=(4000, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    b = rng.normal(size=(3000, 3)) * [1.5, 1.0, 0.5] + [1.0, 1.0, 0.0]
    # Remove the sample correlations so that both sample covariances are exactly diagonal.
    a = _decorrelated(a)
    b = _decorrelated(b)
    var_a, var_b = a.var(axis=0, ddof=1), b.var(axis=0, ddof=1)
    expected = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.sum((np.sqrt(var_a) - np.sqrt(var_b)) ** 2)
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)
    # The population value: 1 + 1 (means) + 0.25 + 1 + 0 (standard deviations).
    assert metrics.frechet_distance(a, b) == pytest.approx(3.25, abs=0.15)


def _decorrelated(x):
    centred = x - x.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov(centred, rowvar=False))
    white = centred @ vectors / np.sqrt(values)
    return white * x.std(axis=0, ddof=1) + x.mean(axis=0)


def test_frechet_distance_matches_the_matrix_square_root_of_scipy(rng):
    from scipy import linalg

    a = rng.normal(size=(500, 4)) @ rng.normal(size=(4, 4))
    b = rng.normal(size=(400, 4)) @ rng.normal(size=(4, 4)) + 0.3
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = linalg.sqrtm(cov_a @ cov_b).real
    expected = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(cov_a + cov_b - 2 * root)
    assert metrics.frechet_distance(a, b) == pytest.approx(expected, rel=1e-7)
    assert metrics.frechet_distance(a, b) == pytest.approx(metrics.frechet_distance(b, a))
    assert metrics.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_names_bad_features():
    with pytest.raises(ValueError, match="features_a must be an array"):
        metrics.frechet_distance(np.zeros(5), np.zeros((5, 1)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        metrics.frechet_distance(np.zeros((5, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="same number of features, got 2 and 3"):
        metrics.frechet_distance(np.zeros((5, 2)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="features_b must be finite"):
        metrics.frechet_distance(np.zeros((5, 2)), np.full((5, 2), np.nan))
