"""Argument checks shared by the library: each error names the parameter and what is allowed."""

from __future__ import annotations

import math
import numbers

import numpy as np


def positive_int(parameter, value):
    """Returns ``value`` as an ``int`` if it is an integer >= 1, else raises ValueError.

    NumPy integers are accepted (a size computed with NumPy is still a size); bools and floats
    are refused.

    Example:
        >>> positive_int("code_dim", np.int64(30))
        30
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{parameter} must be a positive integer, got {value!r}")
    return int(value)


def non_negative_int(parameter, value):
    """Returns ``value`` as an ``int`` if it is an integer >= 0 (a radius, a number of
    iterations), else raises ValueError; bools and floats are refused.

    Example:
        >>> non_negative_int("radius", 0)
        0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{parameter} must be a non-negative integer, got {value!r}")
    return int(value)


def boolean(parameter, value):
    """Returns ``value`` if it is ``True`` or ``False`` (NumPy bools too), else raises TypeError.

    A truthy string such as ``"no"`` is refused rather than read as ``True``.

    Example:
        >>> boolean("shuffle", False)
        False
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{parameter} must be True or False, got {value!r}")
    return bool(value)


def data_array(parameter, value):
    """Returns ``value`` as a NumPy array of numbers, checked for what training needs.

    Refused, each with a ValueError naming ``parameter``: no samples (or samples with no
    values), a 0-d value, non-numeric
    values, NaN or infinite values, and integer images with values above 1 (uint8 images in
    [0, 255] passed without scaling). Integer arrays of 0s and 1s (binary data) are cast to
    float32.

    Example:
        >>> data_array("x", np.ones((2, 3), "uint8")).dtype
        dtype('float32')
    """
    try:
        array = np.asarray(value)
    except Exception as error:  # tensors that cannot leave their device, ragged lists, ...
        raise ValueError(
            f"{parameter} must be an array of numbers, got {type(value).__name__}"
        ) from error
    if array.ndim < 1 or array.size == 0:  # no samples, or samples with no values
        raise ValueError(
            f"{parameter} must be a non-empty batch (n_samples, ...), got shape {array.shape}"
        )
    if array.dtype == bool:
        return array.astype("float32")
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{parameter} must hold numbers, got dtype {array.dtype}")
    if np.issubdtype(array.dtype, np.integer):
        high = array.max()
        if high > 1 or array.min() < 0:
            raise ValueError(
                f"{parameter} holds integers in [{array.min()}, {high}]; divide uint8 images "
                "by 255 (the models expect real values, images in [0, 1])"
            )
        return array.astype("float32")
    if not np.isfinite(array).all():
        bad = int(np.size(array) - np.isfinite(array).sum())
        raise ValueError(
            f"{parameter} holds {bad} NaN or infinite value(s); remove or replace them"
        )
    return array


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


def callbacks(parameter, value):
    """``value`` as a list of `keras.callbacks.Callback` (``None`` gives ``[]``).

    Raises:
        TypeError: anything else, naming the parameter.
    """
    import keras  # here, so that the other checks do not import a backend

    if value is None:
        return []
    if isinstance(value, keras.callbacks.Callback):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(c, keras.callbacks.Callback) for c in value
    ):
        raise TypeError(
            f"{parameter} must be a list of keras.callbacks.Callback objects, got {value!r}"
        )
    return list(value)
