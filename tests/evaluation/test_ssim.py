"""SSIM and MS-SSIM against hand-computed values and independent straightforward implementations."""

import numpy as np
import pytest

from aelib import metrics

C1 = (0.01 * 1.0) ** 2
C2 = (0.03 * 1.0) ** 2
WEIGHTS = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333]


def gaussian_window_2d(size=11, sigma=1.5):
    """The 2-D window written out directly, not as an outer product of a 1-D one."""
    c = (size - 1) / 2
    w = np.array(
        [
            [np.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sigma**2)) for j in range(size)]
            for i in range(size)
        ]
    )
    return w / w.sum()


def reference_ssim_terms(x, y, data_range=1.0):
    """Mean SSIM and mean contrast-structure of one grayscale image: a loop over valid windows."""
    w = gaussian_window_2d()
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    ssim_values, cs_values = [], []
    for i in range(x.shape[0] - 10):
        for j in range(x.shape[1] - 10):
            px, py = x[i : i + 11, j : j + 11], y[i : i + 11, j : j + 11]
            mx, my = (w * px).sum(), (w * py).sum()
            vx = (w * (px - mx) ** 2).sum()
            vy = (w * (py - my) ** 2).sum()
            cxy = (w * (px - mx) * (py - my)).sum()
            cs = (2 * cxy + c2) / (vx + vy + c2)
            ssim_values.append((2 * mx * my + c1) / (mx**2 + my**2 + c1) * cs)
            cs_values.append(cs)
    return np.mean(ssim_values), np.mean(cs_values)


def test_ssim_of_an_image_with_itself_is_one(rng):
    x = rng.random((3, 20, 17))
    np.testing.assert_array_equal(metrics.ssim(x, x, reduce=False), [1.0, 1.0, 1.0])
    colour = rng.random((2, 12, 12, 3))
    assert metrics.ssim(colour, colour) == 1.0


def test_ssim_of_constant_images_by_hand():
    # Constant images have no variance: the contrast-structure term is C2 / C2 = 1, and the
    # luminance term is the same in every window.
    a, b = 0.2, 0.6
    expected = (2 * a * b + C1) / (a**2 + b**2 + C1)  # 0.2401 / 0.4001
    assert expected == pytest.approx(0.2401 / 0.4001)
    value = metrics.ssim(np.full((1, 13, 15), a), np.full((1, 13, 15), b))
    assert value == pytest.approx(expected, rel=1e-12)
    # On the 0..255 scale with data_range=255 the constants scale with L and the value is the same.
    assert metrics.ssim(
        np.full((1, 11, 11), a * 255), np.full((1, 11, 11), b * 255), data_range=255
    ) == pytest.approx(expected, rel=1e-12)


def test_ssim_of_a_random_pair_matches_a_loop_over_windows(rng):
    x = rng.random((14, 16))
    y = np.clip(x + 0.2 * rng.normal(size=x.shape), 0, 1)
    expected, _ = reference_ssim_terms(x, y)
    assert metrics.ssim(x[None], y[None]) == pytest.approx(expected, rel=1e-10)
    assert 0 < expected < 1


def test_ssim_with_data_range_matches_the_reference(rng):
    x = rng.random((12, 12)) * 255
    y = rng.random((12, 12)) * 255
    expected, _ = reference_ssim_terms(x, y, data_range=255.0)
    assert metrics.ssim([x], [y], data_range=255) == pytest.approx(expected, rel=1e-10)


def test_colour_ssim_is_the_mean_over_channels(rng):
    x = rng.random((12, 13, 3))
    y = np.clip(x + 0.1 * rng.normal(size=x.shape), 0, 1)
    per_channel = [reference_ssim_terms(x[..., c], y[..., c])[0] for c in range(3)]
    assert metrics.ssim(x[None], y[None]) == pytest.approx(np.mean(per_channel), rel=1e-10)
    # A single channel axis is the grayscale image.
    assert metrics.ssim(x[None, ..., :1], y[None, ..., :1]) == pytest.approx(per_channel[0])


def test_ssim_of_a_list_of_different_sizes_is_the_mean_of_each(rng):
    x1, x2 = rng.random((11, 11)), rng.random((13, 12))
    y1, y2 = rng.random((11, 11)), rng.random((13, 12))
    each = [reference_ssim_terms(x1, y1)[0], reference_ssim_terms(x2, y2)[0]]
    np.testing.assert_allclose(metrics.ssim([x1, x2], [y1, y2], reduce=False), each, rtol=1e-10)
    assert metrics.ssim([x1, x2], [y1, y2]) == pytest.approx(np.mean(each), rel=1e-10)


def test_ssim_is_symmetric_and_falls_with_noise(rng):
    x = rng.random((1, 24, 24))
    noisy = [np.clip(x + s * rng.normal(size=x.shape), 0, 1) for s in (0.05, 0.2, 0.5)]
    values = [metrics.ssim(x, y) for y in noisy]
    assert values[0] > values[1] > values[2]
    assert metrics.ssim(noisy[1], x) == pytest.approx(values[1], rel=1e-12)


def test_ssim_batches_larger_than_a_chunk_give_the_same_values(rng, monkeypatch):
    x, y = rng.random((5, 12, 12)), rng.random((5, 12, 12))
    whole = metrics.ssim(x, y, reduce=False)
    monkeypatch.setattr(metrics, "_CHUNK_ELEMENTS", 2 * 144)
    np.testing.assert_allclose(metrics.ssim(x, y, reduce=False), whole, rtol=1e-14)


def test_ssim_errors_name_the_problem(rng):
    with pytest.raises(ValueError, match=r"at least 11x11 pixels .*got images of 10x12"):
        metrics.ssim(np.zeros((1, 10, 12)), np.zeros((1, 10, 12)))
    with pytest.raises(ValueError, match=r"at least 11x11 pixels .*got images\[1\] of 11x9"):
        metrics.ssim(
            [np.zeros((11, 11)), np.zeros((11, 9))], [np.zeros((11, 11)), np.zeros((11, 9))]
        )
    with pytest.raises(ValueError, match="reshape flat images first"):
        metrics.ssim(np.zeros((2, 784)), np.zeros((2, 784)))
    with pytest.raises(ValueError, match="data_range"):
        metrics.ssim(np.zeros((1, 11, 11)), np.zeros((1, 11, 11)), data_range=0)
    with pytest.raises(ValueError, match="reconstructions must be finite"):
        metrics.ssim(np.zeros((1, 11, 11)), np.full((1, 11, 11), np.nan))
    with pytest.raises(ValueError, match="same shape"):
        metrics.ssim(np.zeros((1, 11, 11)), np.zeros((1, 11, 12)))
    with pytest.raises(ValueError, match="non-empty"):
        metrics.ssim(np.zeros((0, 11, 11)), np.zeros((0, 11, 11)))


# ---------------------------------------------------------------------------------------------
# MS-SSIM
# ---------------------------------------------------------------------------------------------
def reference_pool(a):
    """2x2 averages, written as a loop; an odd last row or column is dropped."""
    h, w = a.shape[0] // 2, a.shape[1] // 2
    out = np.empty((h, w))
    for i in range(h):
        for j in range(w):
            out[i, j] = a[2 * i : 2 * i + 2, 2 * j : 2 * j + 2].mean()
    return out


def reference_ms_ssim(x, y):
    """MS-SSIM from the loop SSIM: prod_j cs_j ** w_j over scales 1-4, ssim_5 ** w_5."""
    value = 1.0
    for scale, weight in enumerate(WEIGHTS):
        ssim_mean, cs_mean = reference_ssim_terms(x, y)
        if scale < 4:
            value *= max(cs_mean, 0.0) ** weight
            x, y = reference_pool(x), reference_pool(y)
        else:
            value *= max(ssim_mean, 0.0) ** weight
    return value


def test_ms_ssim_weights_are_the_papers():
    assert metrics.MS_SSIM_WEIGHTS == tuple(WEIGHTS)
    assert sum(WEIGHTS) == pytest.approx(1.0, abs=2e-4)


def test_ms_ssim_of_an_image_with_itself_is_one(rng):
    x = rng.random((2, 176, 181))
    np.testing.assert_allclose(metrics.ms_ssim(x, x, reduce=False), [1.0, 1.0], rtol=1e-12)


def test_ms_ssim_of_constant_images_by_hand():
    # Every contrast-structure factor is 1; the last scale's SSIM is the luminance term.
    a, b = 0.3, 0.5
    luminance = (2 * a * b + C1) / (a**2 + b**2 + C1)
    value = metrics.ms_ssim(np.full((1, 176, 176), a), np.full((1, 176, 176), b))
    assert value == pytest.approx(luminance**0.1333, rel=1e-12)


def test_ms_ssim_matches_the_loop_reference(rng):
    # 177 x 179: odd sides, so the pooling drops a row or column at several scales.
    x = rng.random((177, 179))
    y = np.clip(x + 0.3 * rng.normal(size=x.shape), 0, 1)
    expected = reference_ms_ssim(x, y)
    assert metrics.ms_ssim(x[None], y[None]) == pytest.approx(expected, rel=1e-9)
    assert 0 < expected < 1


def test_ms_ssim_ignores_a_constant_shift_except_at_the_coarsest_scale(rng):
    # y = x + c keeps every variance and covariance, so every cs_j is 1 and MS-SSIM is the
    # coarsest scale's SSIM (= its mean luminance term) to the power 0.1333.
    x = rng.random((176, 176)) * 0.5
    y = x + 0.25
    x5 = x
    for _ in range(4):
        x5 = reference_pool(x5)
    ssim5, cs5 = reference_ssim_terms(x5, x5 + 0.25)
    assert cs5 == pytest.approx(1.0, rel=1e-9)
    assert metrics.ms_ssim(x[None], y[None]) == pytest.approx(ssim5**0.1333, rel=1e-9)


def test_ms_ssim_colour_and_lists(rng):
    a = rng.random((176, 176, 2))
    b = np.clip(a + 0.2 * rng.normal(size=a.shape), 0, 1)
    per_channel = [metrics.ms_ssim(a[None, ..., c], b[None, ..., c]) for c in range(2)]
    assert metrics.ms_ssim(a[None], b[None]) == pytest.approx(np.mean(per_channel), rel=1e-12)
    c = rng.random((180, 190))
    d = np.clip(c + 0.1 * rng.normal(size=c.shape), 0, 1)
    listed = metrics.ms_ssim([a[..., 0], c], [b[..., 0], d], reduce=False)
    np.testing.assert_allclose(
        listed, [per_channel[0], metrics.ms_ssim(c[None], d[None])], rtol=1e-12
    )


def test_ms_ssim_names_the_minimum_size():
    with pytest.raises(
        ValueError, match=r"ms_ssim needs images of at least 176x176 pixels.*got images of 175x200"
    ):
        metrics.ms_ssim(np.zeros((1, 175, 200)), np.zeros((1, 175, 200)))
    with pytest.raises(ValueError, match=r"at least 176x176 .*got images\[0\] of 28x28"):
        metrics.ms_ssim([np.zeros((28, 28))], [np.zeros((28, 28))])


def test_ms_ssim_clips_negative_structure_to_zero(rng):
    x = rng.random((1, 176, 176))
    # 1 - x is anti-correlated with x at every scale: cs_1 < 0 would give NaN as a power.
    _, cs1 = reference_ssim_terms(x[0, :40, :40], 1.0 - x[0, :40, :40])
    assert cs1 < 0
    assert metrics.ms_ssim(x, 1.0 - x) == 0.0
