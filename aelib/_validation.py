"""Argument checks shared by the library: each error names the parameter and what is allowed."""

from __future__ import annotations

import math
import numbers


def positive_int(parameter, value):
    """Returns ``value`` if it is an integer >= 1 (bools are refused), else raises ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{parameter} must be a positive integer, got {value!r}")
    return value


def choice(parameter, value, allowed):
    """Returns ``value`` if it is one of ``allowed``, else raises ValueError."""
    if value not in allowed:
        raise ValueError(f"{parameter} must be one of {list(allowed)}, got {value!r}")
    return value


def real(parameter, value, *, low=None, high=None, low_open=False, high_open=False):
    """Returns ``value`` as a float if it is a finite real number in the given interval.

    Args:
        parameter: the name shown in the error message.
        value: the value to check (bools are refused).
        low, high: the bounds, ``None`` for unbounded.
        low_open, high_open: whether the bound itself is excluded.

    Example:
        >>> real("rho", 0.05, low=0, high=1, low_open=True, high_open=True)
        0.05
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{parameter} must be a finite real number, got {value!r}")
    value = float(value)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if below or above:
        left = "(" if low_open else "["
        right = ")" if high_open or high is None else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{parameter} must be in {left}{lo}, {hi}{right}, got {value!r}")
    return value


def non_negative(parameter, value):
    """A finite real number >= 0 (weights, noise levels)."""
    return real(parameter, value, low=0.0)


def positive(parameter, value):
    """A finite real number > 0 (temperatures, learning rates)."""
    return real(parameter, value, low=0.0, low_open=True)


def fraction(parameter, value):
    """A finite real number in the closed interval [0, 1] (corruption rates)."""
    return real(parameter, value, low=0.0, high=1.0)


def open_fraction(parameter, value):
    """A finite real number in the open interval (0, 1) (sparsity targets)."""
    return real(parameter, value, low=0.0, high=1.0, low_open=True, high_open=True)


def seed(value, parameter="seed", allow_none=True):
    """Returns a seed: a non-negative integer, or None (then Keras draws one from Python's
    `random`, which `aelib.seed_everything` seeds) when ``allow_none``."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        allowed = "a non-negative integer or None" if allow_none else "a non-negative integer"
        raise ValueError(f"{parameter} must be {allowed}, got {value!r}")
    return int(value)
