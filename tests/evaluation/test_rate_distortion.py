"""aelib.evaluation.rate_distortion: the Bjøntegaard deltas against cases computed by hand."""

import math

import numpy as np
import pytest

from aelib import evaluation
from aelib.evaluation.rate_distortion import bd_quality, bd_rate, interpolate_quality

# Five points of a plausible PSNR curve: not a cubic of ln(bpp), so the fit has residuals.
ANCHOR = [(0.1, 27.2), (0.2, 29.8), (0.4, 32.9), (0.8, 36.1), (1.6, 39.0)]

# The example data of the `bjontegaard` package's README (FAU-LMS; ffmpeg libx265 at two
# presets): rates in kbit/s, PSNR in dB, four points each.
FAU_RATE_ANCHOR = [9487.76, 4593.60, 2486.44, 1358.24]
FAU_PSNR_ANCHOR = [40.037, 38.615, 36.845, 34.851]
FAU_RATE_TEST = [9787.80, 4469.00, 2451.52, 1356.24]
FAU_PSNR_TEST = [40.121, 38.651, 36.970, 34.987]


def dicts(rows, key="psnr"):
    return [{"bpp": bpp, key: quality} for bpp, quality in rows]


def scaled(rows, c):
    return [(c * bpp, quality) for bpp, quality in rows]


def mean_of_cubic_through(xs, ys, lo, hi):
    """The mean over ``[lo, hi]`` of the cubic through four points, by another route than the
    module's: Lagrange's formula for the cubic, and the two-point Gauss-Legendre rule, exact for
    cubics, for its integral (no least squares, no antiderivative)."""
    assert len(xs) == 4

    def cubic(x):
        return sum(
            y_i * math.prod((x - x_j) / (x_i - x_j) for x_j in xs if x_j != x_i)
            for x_i, y_i in zip(xs, ys)
        )

    mid, half = (lo + hi) / 2, (hi - lo) / 2
    return (cubic(mid - half / math.sqrt(3)) + cubic(mid + half / math.sqrt(3))) / 2


# ---------------------------------------------------------------------------------------------
# BD-rate: cases with a closed form
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("c", [0.8, 1.25])
def test_rates_scaled_by_a_constant(c):
    # ln(c R) = ln R + ln c at every quality: both fits differ by ln c in their constant term,
    # over the whole (identical) quality interval, so D = ln c and BD-rate = (c - 1) * 100.
    assert bd_rate(ANCHOR, scaled(ANCHOR, c)) == pytest.approx((c - 1) * 100, abs=1e-9)


def test_log_rate_linear_in_quality_with_different_slopes():
    # Points exactly on lines, so the cubic fits are the lines:
    #   anchor ln R = -7.0 + 0.20 q at q = 30, 32, ..., 38;
    #   test   ln R = -6.5 + 0.18 q at q = 31, 33, ..., 39.
    # Overlap [31, 38]; the mean of the linear difference 0.5 - 0.02 q is its value at the
    # midpoint 34.5: D = 0.5 - 0.69 = -0.19.
    anchor = [(math.exp(-7.0 + 0.20 * q), q) for q in (30, 32, 34, 36, 38)]
    test = [(math.exp(-6.5 + 0.18 * q), q) for q in (31, 33, 35, 37, 39)]
    expected = (math.exp(-0.19) - 1) * 100  # -17.30...
    assert bd_rate(anchor, test) == pytest.approx(expected, rel=1e-9)


def test_a_cubic_difference_that_integrates_to_zero():
    # anchor ln R = 0.001 (q - 35)**3 + 0.1 q - 4.0 (a true cubic, increasing; six points, so a
    # least-squares fit that must recover it), test ln R = 0.1 q - 4.2 (seven points, wider).
    # Overlap [30, 40], symmetric about 35, over which the odd cubic term averages to 0:
    # D = -0.2 exactly.
    anchor = [(math.exp(0.001 * (q - 35) ** 3 + 0.1 * q - 4.0), q) for q in range(30, 41, 2)]
    test = [(math.exp(0.1 * q - 4.2), q) for q in range(29, 42, 2)]
    assert bd_rate(anchor, test) == pytest.approx((math.exp(-0.2) - 1) * 100, rel=1e-9)


def test_swapping_anchor_and_test_inverts_the_rate_ratio():
    # The overlap and the two fits do not depend on the order, so D changes sign:
    # (1 + x / 100)(1 + y / 100) = exp(D) exp(-D) = 1.
    test = [(0.12, 27.9), (0.3, 31.4), (0.55, 34.0), (0.9, 36.2), (1.4, 38.1), (2.2, 40.3)]
    x, y = bd_rate(ANCHOR, test), bd_rate(test, ANCHOR)
    assert x != pytest.approx(0, abs=1)  # a real difference, not a trivial case
    assert (1 + x / 100) * (1 + y / 100) == pytest.approx(1, abs=1e-12)
    assert bd_quality(test, ANCHOR) == -bd_quality(ANCHOR, test)


def test_reference_case_of_four_points():
    """The bjontegaard package's README example, with the classic cubic.

    That README publishes no number for the cubic fit (only its Akima and PCHIP variants, which
    differ), so the reference here is computed by hand, by another route: with exactly four
    points the least-squares cubic is the interpolating cubic, evaluated by Lagrange's formula
    and averaged over the overlap by the two-point Gauss-Legendre rule.
    """
    anchor = list(zip(FAU_RATE_ANCHOR, FAU_PSNR_ANCHOR))
    test = list(zip(FAU_RATE_TEST, FAU_PSNR_TEST))

    # BD-rate: ln R as a cubic of PSNR, over the PSNR overlap [34.987, 40.037].
    lo, hi = (
        max(min(FAU_PSNR_ANCHOR), min(FAU_PSNR_TEST)),
        min(max(FAU_PSNR_ANCHOR), max(FAU_PSNR_TEST)),
    )
    assert (lo, hi) == (34.987, 40.037)
    d = mean_of_cubic_through(FAU_PSNR_TEST, np.log(FAU_RATE_TEST), lo, hi)
    d -= mean_of_cubic_through(FAU_PSNR_ANCHOR, np.log(FAU_RATE_ANCHOR), lo, hi)
    expected_rate = (math.exp(d) - 1) * 100
    assert bd_rate(anchor, test) == pytest.approx(expected_rate, rel=1e-9)
    assert round(bd_rate(anchor, test), 4) == -4.4205  # the value of that hand computation

    # BD-PSNR: PSNR as a cubic of ln R, over the ln R overlap [ln 1358.24, ln 9487.76].
    lo, hi = math.log(1358.24), math.log(9487.76)
    expected_psnr = mean_of_cubic_through(np.log(FAU_RATE_TEST), FAU_PSNR_TEST, lo, hi)
    expected_psnr -= mean_of_cubic_through(np.log(FAU_RATE_ANCHOR), FAU_PSNR_ANCHOR, lo, hi)
    assert bd_quality(anchor, test) == pytest.approx(expected_psnr, rel=1e-9)
    assert round(bd_quality(anchor, test), 4) == 0.1204


# ---------------------------------------------------------------------------------------------
# BD-quality: cases with a closed form
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("delta", [0.5, -1.25])
def test_quality_shifted_at_the_same_rates(delta):
    # Same abscissae (ln R), ordinates shifted by delta: the fits differ by delta.
    test = [(bpp, psnr + delta) for bpp, psnr in ANCHOR]
    assert bd_quality(ANCHOR, test) == pytest.approx(delta, abs=1e-9)


def test_scaled_rates_shift_a_line_in_log_rate():
    # For scaled rates BD-PSNR is not 0 in general; it is computable when PSNR is a line in
    # ln R: anchor Q = 40 + 6 ln R, test = the same points at 0.8 R, i.e. Q = 40 - 6 ln 0.8 +
    # 6 ln R: a constant difference -6 ln 0.8 = +1.339 dB over any overlap.
    anchor = [(bpp, 40 + 6 * math.log(bpp)) for bpp in (0.1, 0.2, 0.4, 0.8, 1.6)]
    assert bd_quality(anchor, scaled(anchor, 0.8)) == pytest.approx(-6 * math.log(0.8), rel=1e-9)


def test_quality_linear_in_log_rate_with_different_slopes():
    # anchor Q = 40 + 6 ln R at R = 0.1 ... 1.6, test Q = 41 + 5 ln R at R = 0.125 ... 2.
    # Overlap of ln R: [ln 0.125, ln 1.6], midpoint ln(0.125 * 1.6) / 2 = ln(0.2) / 2; the mean
    # of the difference 1 - ln R is its value there: 1 - ln(0.2) / 2 = 1.8047 dB.
    anchor = [(bpp, 40 + 6 * math.log(bpp)) for bpp in (0.1, 0.2, 0.4, 0.8, 1.6)]
    test = [(bpp, 41 + 5 * math.log(bpp)) for bpp in (0.125, 0.25, 0.5, 1.0, 2.0)]
    assert bd_quality(anchor, test) == pytest.approx(1 - math.log(0.2) / 2, rel=1e-9)


def test_raw_ms_ssim_is_compared_in_its_own_units():
    anchor = [{"bpp": bpp, "ms_ssim": 0.95 + 0.01 * math.log(bpp)} for bpp in (0.1, 0.3, 0.6, 1)]
    test = [{"bpp": p["bpp"], "ms_ssim": p["ms_ssim"] + 0.005} for p in anchor]
    assert bd_quality(anchor, test, metric="ms_ssim") == pytest.approx(0.005, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# Forms of a curve and the MS-SSIM in dB
# ---------------------------------------------------------------------------------------------
def test_dicts_arrays_and_unsorted_points_agree():
    test = [(0.12, 27.9), (0.3, 31.4), (0.55, 34.0), (0.9, 36.2), (1.4, 38.1)]
    expected = bd_rate(ANCHOR, test)
    # Dicts with other keys, an array, a list of tuples in another order, mixed forms.
    anchor_dicts = [dict(p, ms_ssim=0.9, name="q") for p in dicts(ANCHOR)]
    for a, t in [
        (anchor_dicts, dicts(test)),
        (np.array(ANCHOR), np.array(test)),
        (ANCHOR[::-1], [test[i] for i in (3, 0, 4, 2, 1)]),
        (anchor_dicts, np.array(test)),
    ]:
        assert bd_rate(a, t) == pytest.approx(expected, rel=1e-12)
        assert bd_quality(a, t) == pytest.approx(bd_quality(ANCHOR, test), rel=1e-12)
        assert interpolate_quality(a, 0.3) == pytest.approx(interpolate_quality(ANCHOR, 0.3))


def test_ms_ssim_db_converts_by_hand():
    # -10 log10(1 - 0.9) = 10 dB, -10 log10(1 - 0.99) = 20 dB, -10 log10(1 - 0.999) = 30 dB.
    curve = [{"bpp": 0.1, "ms_ssim": 0.9}, {"bpp": 1.0, "ms_ssim": 0.99}]
    assert interpolate_quality(curve, 0.1, metric="ms_ssim_db") == pytest.approx(10, abs=1e-12)
    assert interpolate_quality(curve, 1.0, metric="ms_ssim_db") == pytest.approx(20, abs=1e-12)
    assert interpolate_quality(curve, 1.0, metric="ms_ssim") == 0.99
    # An array's second column is the raw MS-SSIM too, converted the same way.
    rows = [(0.1, 0.9), (1.0, 0.99)]
    assert interpolate_quality(rows, 0.1, metric="ms_ssim_db") == pytest.approx(10, abs=1e-12)


def test_ms_ssim_db_deltas_are_those_of_the_converted_values():
    ms_ssim = [0.93, 0.955, 0.971, 0.982, 0.989]
    bpps = [0.1, 0.2, 0.4, 0.8, 1.6]
    anchor = [{"bpp": b, "ms_ssim": m} for b, m in zip(bpps, ms_ssim)]
    test = [{"bpp": 0.9 * b, "ms_ssim": m + 0.002} for b, m in zip(bpps, ms_ssim)]
    as_db = [[(p["bpp"], -10 * math.log10(1 - p["ms_ssim"])) for p in c] for c in (anchor, test)]
    for delta in (bd_rate, bd_quality):
        converted = delta(*as_db, metric="psnr")
        assert delta(anchor, test, metric="ms_ssim_db") == pytest.approx(converted, rel=1e-12)
        assert delta(anchor, test, metric="ms_ssim") != pytest.approx(converted, rel=1e-3)


# ---------------------------------------------------------------------------------------------
# interpolate_quality
# ---------------------------------------------------------------------------------------------
def test_interpolate_quality_is_linear_in_log_rate():
    # At a point: its quality. At the geometric mean of two neighbouring rates (the midpoint in
    # ln R): the arithmetic mean of their qualities, (29.8 + 32.9) / 2 = 31.35. A quarter of the
    # way from 0.4 to 0.8 in ln R is 0.4 * 2 ** 0.25: 32.9 + 3.2 / 4 = 33.7.
    assert interpolate_quality(ANCHOR, 0.4) == 32.9
    assert interpolate_quality(ANCHOR, 0.1) == 27.2
    assert interpolate_quality(ANCHOR, 1.6) == 39.0
    assert interpolate_quality(ANCHOR, math.sqrt(0.2 * 0.4)) == pytest.approx(31.35, abs=1e-12)
    assert interpolate_quality(ANCHOR, 0.4 * 2**0.25) == pytest.approx(33.7, abs=1e-12)
    assert interpolate_quality(ANCHOR, np.float64(0.4)) == 32.9


@pytest.mark.parametrize("bpp", [0.099, 1.61, 0.0, -1.0, math.nan, math.inf])
def test_interpolate_quality_does_not_extrapolate(bpp):
    with pytest.raises(ValueError, match=r"bpp must lie within the curve's rates \[0.1, 1.6\]"):
        interpolate_quality(ANCHOR, bpp)


@pytest.mark.parametrize("bpp", ["0.5", None, True, [0.5]])
def test_interpolate_quality_needs_a_number(bpp):
    with pytest.raises(ValueError, match="bpp must be a real number"):
        interpolate_quality(ANCHOR, bpp)


def test_interpolate_quality_needs_two_points_and_checks_the_curve():
    with pytest.raises(ValueError, match="curve must have at least 2 points, got 1"):
        interpolate_quality([(0.5, 30.0)], 0.5)
    with pytest.raises(ValueError, match="curve must have a quality"):
        interpolate_quality([(0.5, 30.0), (1.0, 29.0)], 0.7)
    with pytest.raises(ValueError, match="metric must be one of"):
        interpolate_quality(ANCHOR, 0.5, metric="ssim")


# ---------------------------------------------------------------------------------------------
# Errors: each names the parameter
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("bad_bpp", [0.0, -0.1, math.inf, math.nan])
@pytest.mark.parametrize("which", ["anchor", "test"])
def test_rates_must_be_positive_and_finite(bad_bpp, which):
    bad = [(bad_bpp, ANCHOR[0][1])] + ANCHOR[1:]
    curves = {"anchor": ANCHOR, "test": ANCHOR, which: bad}
    with pytest.raises(ValueError, match=f"{which} must have strictly positive, finite rates"):
        bd_rate(**curves)
    with pytest.raises(ValueError, match=f"{which} must have strictly positive, finite rates"):
        bd_quality(**curves)


@pytest.mark.parametrize("which", ["anchor", "test"])
def test_at_least_four_points(which):
    curves = {"anchor": ANCHOR, "test": ANCHOR, which: ANCHOR[:3]}
    message = (
        f"{which} must have at least 4 points for the cubic fit of the Bjøntegaard delta, got 3"
    )
    with pytest.raises(ValueError, match=message):
        bd_rate(**curves)
    with pytest.raises(ValueError, match=message):
        bd_quality(**curves)
    with pytest.raises(ValueError, match=f"{which} must have at least 4 points.*got 0"):
        bd_rate(**{**curves, which: []})


def test_quality_must_increase_with_rate():
    # Sorted by rate, 32.9 at 0.4 bpp then 32.5 at 0.8 bpp: the quality falls.
    falling = [(0.1, 27.2), (0.2, 29.8), (0.8, 32.5), (0.4, 32.9), (1.6, 39.0)]
    with pytest.raises(ValueError, match=r"test must have a quality \(psnr\) that strictly"):
        bd_rate(ANCHOR, falling)
    with pytest.raises(ValueError, match="anchor must have a quality"):
        bd_quality(falling, ANCHOR)
    flat = [(0.1, 27.2), (0.2, 29.8), (0.4, 29.8), (0.8, 36.1)]
    with pytest.raises(ValueError, match="anchor must have a quality .* meaningless"):
        bd_rate(flat, ANCHOR)
    with pytest.raises(ValueError, match="test has two points at the same rate, bpp=0.4"):
        bd_rate(ANCHOR, [(0.1, 27.2), (0.4, 29.8), (0.4, 32.9), (0.8, 36.1)])


def test_the_curves_must_overlap():
    high = [(bpp, psnr + 20) for bpp, psnr in ANCHOR]  # 47.2 to 59 dB, the anchor 27.2 to 39
    with pytest.raises(
        ValueError,
        match=r"do not overlap in quality: anchor spans \[27.2, 39\], test \[47.2, 59\]",
    ):
        bd_rate(ANCHOR, high)
    with pytest.raises(ValueError, match=r"the curves do not overlap in rate: anchor spans bpp"):
        bd_quality(ANCHOR, scaled(ANCHOR, 100))
    # Touching at one quality (39 dB) is no interval to average over.
    touching = [(3.0, 39.0), (4.0, 40.0), (5.0, 41.0), (6.0, 42.0)]
    with pytest.raises(ValueError, match="do not overlap in quality"):
        bd_rate(ANCHOR, touching)


@pytest.mark.parametrize("metric", ["ssim", "PSNR", "ms-ssim", None, 3])
def test_bad_metric(metric):
    for function in (bd_rate, bd_quality):
        with pytest.raises(
            ValueError, match="metric must be one of 'psnr', 'ms_ssim', 'ms_ssim_db'"
        ):
            function(ANCHOR, ANCHOR, metric=metric)


def test_bad_points_name_the_curve():
    with pytest.raises(ValueError, match=r"test\[1\] has no 'psnr' key"):
        bd_rate(ANCHOR, [{"bpp": 0.1, "psnr": 27.0}, {"bpp": 0.2, "ms_ssim": 0.9}] * 2)
    with pytest.raises(ValueError, match=r"anchor\[0\] has no 'ms_ssim' key"):
        bd_rate(dicts(ANCHOR), dicts(ANCHOR), metric="ms_ssim_db")
    with pytest.raises(ValueError, match=r"anchor\[0\] must hold numbers"):
        bd_rate([{"bpp": None, "psnr": 30.0}] * 4, ANCHOR)
    with pytest.raises(ValueError, match="anchor mixes mappings and rows"):
        bd_rate([{"bpp": 0.1, "psnr": 27.0}, *ANCHOR[1:]], ANCHOR)
    with pytest.raises(ValueError, match=r"test must be an array-like \(n_points, 2\).*\(5, 3\)"):
        bd_rate(ANCHOR, np.ones((5, 3)))
    with pytest.raises(ValueError, match="test must be a sequence of points"):
        bd_rate(ANCHOR, {"bpp": [0.1, 0.2], "psnr": [27.0, 29.0]})
    with pytest.raises(ValueError, match="test must be a sequence of points"):
        bd_rate(ANCHOR, 3.0)
    with pytest.raises(ValueError, match="anchor must have finite psnr values"):
        bd_rate([(0.1, math.inf), *ANCHOR[1:]], ANCHOR)
    with pytest.raises(ValueError, match="test must have MS-SSIM values below 1"):
        bd_rate(
            [(0.1, 0.9), (0.2, 0.95), (0.4, 0.98), (0.8, 0.99)],
            [(0.1, 0.9), (0.2, 0.95), (0.4, 0.98), (0.8, 1.0)],
            metric="ms_ssim_db",
        )


def test_the_package_exposes_the_functions():
    assert evaluation.bd_rate is bd_rate
    assert evaluation.rate_distortion.bd_quality is bd_quality
    assert evaluation.interpolate_quality is interpolate_quality
