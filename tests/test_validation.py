"""The argument checks name the parameter and the allowed interval."""

import pytest

from aelib import _validation as v


@pytest.mark.parametrize(
    "check, value, message",
    [
        (v.open_fraction, 0.0, r"rho must be in \(0, 1\), got 0.0"),
        (v.open_fraction, 1.0, r"rho must be in \(0, 1\), got 1.0"),
        (v.fraction, 1.5, r"rho must be in \[0, 1\], got 1.5"),
        (v.non_negative, -0.1, r"rho must be in \[0, inf\), got -0.1"),
        (v.positive, 0.0, r"rho must be in \(0, inf\), got 0.0"),
        (v.positive, float("nan"), r"rho must be a finite real number"),
        (v.fraction, True, r"rho must be a finite real number"),
        (v.fraction, "0.5", r"rho must be a finite real number"),
    ],
)
def test_bad_values_are_named_with_their_interval(check, value, message):
    with pytest.raises(ValueError, match=message):
        check("rho", value)


def test_good_values_come_back_as_floats():
    assert v.fraction("nu", 0) == 0.0 and isinstance(v.fraction("nu", 0), float)
    assert v.fraction("nu", 1) == 1.0
    assert v.open_fraction("rho", 0.05) == 0.05
    assert v.non_negative("sigma", 0) == 0.0
    assert v.positive("temperature", 1e-3) == 1e-3
