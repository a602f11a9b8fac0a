"""Shared test set-up: quiet TensorFlow, a known seed, small fixed data."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def images(rng):
    """64 images of 6x6 pixels in [0, 1]: small enough to train in a second."""
    return rng.random((64, 6, 6)).astype("float32")
