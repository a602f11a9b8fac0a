"""Argument checks shared by the library: each error names the parameter and what is allowed."""

from __future__ import annotations


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
