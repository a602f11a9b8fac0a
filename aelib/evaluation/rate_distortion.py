"""Rate-distortion curves compared: the Bjøntegaard delta rate and quality, and interpolation.

A compression method gives a rate-distortion curve, a few points (bits per pixel, quality), one
per trade-off (a quality setting, a ``lambda``). Two curves are compared by the Bjøntegaard
delta (Bjøntegaard 2001, "Calculation of average PSNR differences between RD-curves",
ITU-T SG16 Q.6 document VCEG-M33, Austin, April 2001), in its classic form, a cubic per curve:

* `bd_rate` — the average difference in rate at equal quality, in percent. Each curve's
  logarithm of rate is fitted as a cubic of the quality ``q``, ``ln R(q) = a + b q + c q**2 +
  d q**3``; the two cubics are integrated over the quality interval both curves cover,
  ``[q_lo, q_hi] = [max(min q_anchor, min q_test), min(max q_anchor, max q_test)]``, and

      D = (1 / (q_hi - q_lo)) * integral_{q_lo}^{q_hi} (ln R_test(q) - ln R_anchor(q)) dq,
      BD-rate = (exp(D) - 1) * 100 %,

  so that -20 % says the test curve needs, on average over the interval in the log domain,
  0.8 times the anchor's rate for the same quality (negative = test is better);

* `bd_quality` — the average difference in quality at equal rate (BD-PSNR for PSNR): each
  curve's quality is fitted as a cubic of ``ln R``, and the average of ``Q_test - Q_anchor``
  over the interval of ``ln R`` both curves cover is returned, in the metric's own units
  (positive = test is better);

* `interpolate_quality` — the quality of one curve at a given rate, piecewise linear in
  ``ln R`` between its points: a curve of ours beside a point published in a paper.

The quality is one of three metrics: ``"psnr"`` (dB), ``"ms_ssim"`` (the raw MS-SSIM, in
[0, 1]) or ``"ms_ssim_db"``, the MS-SSIM in decibels, ``-10 log10(1 - MS-SSIM)``, as learned
image-compression papers report it (the raw values crowd against 1 at high rates, where a cubic
fits them badly); ``"ms_ssim_db"`` reads the same ``"ms_ssim"`` values and converts them.

A curve is a sequence of points, either mappings with the key ``"bpp"`` and the metric's key
(``{"bpp": 0.5, "psnr": 30.1, "ms_ssim": 0.97}``; other keys are ignored), or an array-like
``(n_points, 2)`` of ``(bpp, quality)`` rows, the quality being the value of that key (for
``"ms_ssim_db"`` the raw MS-SSIM). Points are sorted by rate. Each curve must have distinct,
strictly positive, finite rates and finite qualities that strictly increase with the rate: the
delta integrates the rate as a function of the quality, which does not exist for a curve whose
quality falls as its rate grows, and a cubic fitted through such points gives a meaningless
number rather than an error. The deltas need at least four points per curve (the four of
VCEG-M33 determine the cubic; with more, the cubic is a least-squares fit, as in the tools that
extended the method to more points); a fit of lower degree to fewer points would be another
measure under the same name, so it is refused.

The rate may be in any unit (bits per pixel, kbit/s): both deltas are invariant to a common
scale of the rates and to the base of the logarithm. The classic cubic can overshoot between
points for curves of unusual shape; later tools (JCT-VC's piecewise cubic, Akima) differ from
it for such curves, so a number compared with a published BD-rate must use the same method.

Example:
    >>> anchor = [{"bpp": 0.25, "psnr": 28.0}, {"bpp": 0.5, "psnr": 31.0},
    ...           {"bpp": 1.0, "psnr": 34.5}, {"bpp": 2.0, "psnr": 38.0}]
    >>> test = [{"bpp": 0.9 * p["bpp"], "psnr": p["psnr"]} for p in anchor]
    >>> round(bd_rate(anchor, test), 6)
    -10.0
    >>> round(interpolate_quality(anchor, 0.5 ** 0.5), 6)  # halfway between 0.5 and 1.0 in ln R
    32.75
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["bd_quality", "bd_rate", "interpolate_quality"]

# The quality metrics a curve can be compared by, and the key of a point each reads.
_KEYS = {"psnr": "psnr", "ms_ssim": "ms_ssim", "ms_ssim_db": "ms_ssim"}

# VCEG-M33's cubic needs four points to be determined.
_MIN_FIT_POINTS = 4
_DEGREE = 3


# ---------------------------------------------------------------------------------------------
# Curves: reading, converting, checking
# ---------------------------------------------------------------------------------------------
def _metric(metric):
    if not isinstance(metric, str) or metric not in _KEYS:
        raise ValueError(f"metric must be one of {', '.join(map(repr, _KEYS))}, got {metric!r}")
    return metric


def _points(parameter, curve, metric):
    """``(bpp, values)`` float64 arrays of a curve, in the given order, before any check; the
    values are those of the metric's key (raw MS-SSIM for ``"ms_ssim_db"``)."""
    key = _KEYS[metric]
    if isinstance(curve, (str, bytes, Mapping)):
        raise ValueError(
            f"{parameter} must be a sequence of points (mappings with 'bpp' and {key!r}, or "
            f"(bpp, quality) rows), got {type(curve).__name__}"
        )
    try:
        points = list(curve)
    except TypeError as error:
        raise ValueError(
            f"{parameter} must be a sequence of points, got {type(curve).__name__}"
        ) from error
    if not points:
        array = np.empty((0, 2))
    elif all(isinstance(point, Mapping) for point in points):
        rows = []
        for i, point in enumerate(points):
            for name in ("bpp", key):
                if name not in point:
                    raise ValueError(f"{parameter}[{i}] has no {name!r} key: {point!r}")
            try:
                rows.append((float(point["bpp"]), float(point[key])))
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"{parameter}[{i}] must hold numbers under 'bpp' and {key!r}, got {point!r}"
                ) from error
        array = np.array(rows, dtype=np.float64)
    elif any(isinstance(point, Mapping) for point in points):
        raise ValueError(f"{parameter} mixes mappings and rows; use one form for all its points")
    else:
        try:
            array = np.asarray(points, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"{parameter} must be an array-like (n_points, 2) of (bpp, quality) numbers"
            ) from error
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(
                f"{parameter} must be an array-like (n_points, 2), one (bpp, quality) row per "
                f"point, got shape {array.shape}"
            )
    return array[:, 0], array[:, 1]


def _curve(parameter, curve, metric, min_points):
    """``(bpp, quality)`` of a curve, sorted by rate and checked; the quality is in the
    metric's units (dB for ``"ms_ssim_db"``)."""
    bpp, values = _points(parameter, curve, metric)
    if len(bpp) < min_points:
        why = " for the cubic fit of the Bjøntegaard delta" if min_points > 2 else ""
        n = len(bpp)
        raise ValueError(f"{parameter} must have at least {min_points} points{why}, got {n}")
    bad = ~(np.isfinite(bpp) & (bpp > 0))
    if bad.any():
        first = bpp[bad].tolist()[0]  # a Python float, printed as such
        raise ValueError(
            f"{parameter} must have strictly positive, finite rates (bpp), got {first!r}"
        )
    if not np.isfinite(values).all():
        raise ValueError(f"{parameter} must have finite {_KEYS[metric]} values")
    if metric == "ms_ssim_db":
        if (values >= 1).any():
            first = values[values >= 1].tolist()[0]
            raise ValueError(
                f"{parameter} must have MS-SSIM values below 1 for 'ms_ssim_db' "
                f"(-10 log10(1 - MS-SSIM) is infinite at 1), got {first!r}"
            )
        values = -10.0 * np.log10(1.0 - values)
    order = np.argsort(bpp, kind="stable")
    bpp, quality = bpp[order], values[order]
    if (np.diff(bpp) == 0).any():
        same = float(bpp[1:][np.diff(bpp) == 0][0])
        raise ValueError(f"{parameter} has two points at the same rate, bpp={same!r}")
    falls = np.diff(quality) <= 0
    if falls.any():
        i = int(np.flatnonzero(falls)[0])
        (r0, r1), (q0, q1) = bpp[i : i + 2].tolist(), quality[i : i + 2].tolist()
        raise ValueError(
            f"{parameter} must have a quality ({metric}) that strictly increases with the rate, "
            f"got {q0!r} at bpp={r0!r} then {q1!r} at bpp={r1!r}; a fit of rate against quality "
            "is meaningless otherwise"
        )
    return bpp, quality


def _overlap(kind, anchor_x, test_x):
    """The interval ``(lo, hi)`` both curves cover along ``x``, sorted values of the quality or
    of the rate (bpp)."""
    lo = max(anchor_x[0], test_x[0])
    hi = min(anchor_x[-1], test_x[-1])
    if not lo < hi:
        unit = "" if kind == "quality" else "bpp "
        raise ValueError(
            f"the curves do not overlap in {kind}: anchor spans {unit}[{anchor_x[0]:g}, "
            f"{anchor_x[-1]:g}], test {unit}[{test_x[0]:g}, {test_x[-1]:g}]; the delta is an "
            "average over the interval both cover"
        )
    return lo, hi


def _mean_of_cubic_fit(x, y, lo, hi):
    """The mean over ``[lo, hi]`` of the least-squares cubic of ``y`` against ``x``.

    The fit is made in ``u = (x - mid) / half``, which maps the interval to ``[-1, 1]``: the
    least-squares cubic is the same function of ``x`` whatever the affine change of variable,
    but raw qualities (30 to 40 dB, cubed) make a worse-conditioned fit. The mean of a cubic
    ``p(u)`` over ``[-1, 1]`` is ``(P(1) - P(-1)) / 2``, ``P`` its antiderivative.
    """
    mid, half = (lo + hi) / 2, (hi - lo) / 2
    coefficients = np.polyfit((x - mid) / half, y, _DEGREE)
    antiderivative = np.polyint(coefficients)
    return (np.polyval(antiderivative, 1.0) - np.polyval(antiderivative, -1.0)) / 2


# ---------------------------------------------------------------------------------------------
# The Bjøntegaard deltas
# ---------------------------------------------------------------------------------------------
def bd_rate(anchor, test, metric="psnr"):
    """Bjøntegaard delta rate of ``test`` against ``anchor``, in percent (VCEG-M33's cubic).

    The logarithm of each curve's rate is fitted as a least-squares cubic of its quality; ``D``
    is the mean of ``ln R_test(q) - ln R_anchor(q)`` over the quality interval both curves
    cover, and the result is ``(exp(D) - 1) * 100`` (see the module docstring). Swapping the
    curves gives ``y`` with ``(1 + x / 100) * (1 + y / 100) == 1``.

    Args:
        anchor: the reference curve, a sequence of at least 4 points: mappings with ``"bpp"``
            and the metric's key, or an array-like ``(n_points, 2)`` of ``(bpp, quality)``.
        test: the curve compared with it, in either form (they may differ, and so may the
            numbers of points).
        metric: ``"psnr"``, ``"ms_ssim"`` or ``"ms_ssim_db"`` (the ``"ms_ssim"`` values as
            ``-10 log10(1 - MS-SSIM)`` dB).

    Returns:
        float: the average rate difference in percent, negative when ``test`` needs fewer bits
        than ``anchor`` for the same quality.

    Raises:
        ValueError: naming ``anchor`` or ``test`` if a curve has fewer than 4 points, a point
            lacks a key or is not a number, a rate is not strictly positive and finite, two
            rates are equal, a quality is not finite (or an MS-SSIM is 1 or more for
            ``"ms_ssim_db"``), or the quality does not strictly increase with the rate; if the
            curves do not overlap in quality; naming ``metric`` if it is not one of the three.

    Example:
        A curve, and the same qualities at 0.8 times the rates:

        >>> anchor = [(0.1, 27.2), (0.2, 29.8), (0.4, 32.9), (0.8, 36.1), (1.6, 39.0)]
        >>> test = [(0.8 * bpp, psnr) for bpp, psnr in anchor]
        >>> round(bd_rate(anchor, test), 6)
        -20.0
        >>> round(bd_rate(test, anchor), 6)  # 1 / 0.8 = 1.25
        25.0
    """
    metric = _metric(metric)
    rate_a, quality_a = _curve("anchor", anchor, metric, _MIN_FIT_POINTS)
    rate_t, quality_t = _curve("test", test, metric, _MIN_FIT_POINTS)
    lo, hi = _overlap("quality", quality_a, quality_t)
    d = _mean_of_cubic_fit(quality_t, np.log(rate_t), lo, hi) - _mean_of_cubic_fit(
        quality_a, np.log(rate_a), lo, hi
    )
    return float((math.exp(d) - 1.0) * 100.0)


def bd_quality(anchor, test, metric="psnr"):
    """Bjøntegaard delta quality of ``test`` against ``anchor`` (BD-PSNR for ``"psnr"``).

    Each curve's quality is fitted as a least-squares cubic of the logarithm of its rate, and
    the result is the mean of ``Q_test(ln R) - Q_anchor(ln R)`` over the interval of ``ln R``
    both curves cover. Swapping the curves changes its sign.

    Args:
        anchor: the reference curve, at least 4 points, in either form (see `bd_rate`).
        test: the curve compared with it.
        metric: ``"psnr"``, ``"ms_ssim"`` or ``"ms_ssim_db"``.

    Returns:
        float: the average quality difference in the metric's units (dB for ``"psnr"`` and
        ``"ms_ssim_db"``), positive when ``test`` has the higher quality at the same rate.

    Raises:
        ValueError: as for `bd_rate`, except that the curves must overlap in rate: "the curves
            do not overlap in rate".

    Example:
        The same rates, every PSNR 0.5 dB higher:

        >>> anchor = [(0.1, 27.2), (0.2, 29.8), (0.4, 32.9), (0.8, 36.1), (1.6, 39.0)]
        >>> test = [(bpp, psnr + 0.5) for bpp, psnr in anchor]
        >>> round(bd_quality(anchor, test), 6)
        0.5
    """
    metric = _metric(metric)
    rate_a, quality_a = _curve("anchor", anchor, metric, _MIN_FIT_POINTS)
    rate_t, quality_t = _curve("test", test, metric, _MIN_FIT_POINTS)
    lo, hi = _overlap("rate", rate_a, rate_t)
    lo, hi = math.log(lo), math.log(hi)
    d = _mean_of_cubic_fit(np.log(rate_t), quality_t, lo, hi) - _mean_of_cubic_fit(
        np.log(rate_a), quality_a, lo, hi
    )
    return float(d)


def interpolate_quality(curve, bpp, metric="psnr"):
    """The quality of a curve at a rate, piecewise linear in ``ln bpp`` between its points.

    Meant to put a curve beside one published point (a paper's PSNR at 0.5 bpp); it does not
    extrapolate: a rate outside the curve's range is an error, not a guess.

    Args:
        curve: a sequence of at least 2 points, in either form (see `bd_rate`); the same checks
            apply (distinct positive rates, quality strictly increasing with the rate).
        bpp: the rate, a positive real number within the curve's range of rates (the ends
            included), in the unit of the curve's rates.
        metric: ``"psnr"``, ``"ms_ssim"`` or ``"ms_ssim_db"``; the result is in its units.

    Returns:
        float: the interpolated quality; at a point's own rate, that point's quality.

    Raises:
        ValueError: naming ``curve`` as `bd_rate` does for its curves (but 2 points suffice),
            ``metric`` if it is not one of the three, or ``bpp`` if it is not a real number or
            lies outside the curve's range of rates.

    Example:
        >>> curve = [{"bpp": 0.1, "ms_ssim": 0.9}, {"bpp": 1.0, "ms_ssim": 0.99}]
        >>> round(interpolate_quality(curve, 0.1 ** 0.5, metric="ms_ssim_db"), 6)  # 10, 20 dB
        15.0
    """
    metric = _metric(metric)
    rate, quality = _curve("curve", curve, metric, 2)
    if isinstance(bpp, (bool, np.bool_)) or not isinstance(bpp, numbers.Real):
        raise ValueError(f"bpp must be a real number, got {bpp!r}")
    # Compared as rates, not logarithms, so that a curve's own end rates are always inside.
    if not rate[0] <= bpp <= rate[-1]:
        raise ValueError(
            f"bpp must lie within the curve's rates [{rate[0]:g}, {rate[-1]:g}] "
            f"(interpolate_quality does not extrapolate), got {bpp!r}"
        )
    return float(np.interp(np.log(float(bpp)), np.log(rate), quality))
