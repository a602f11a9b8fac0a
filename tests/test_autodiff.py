"""aelib.autodiff: the backend's Jacobian against hand-computed derivatives."""

import keras
import numpy as np
import pytest

from aelib.autodiff import batch_jacobian, squared_frobenius_norm


def test_jacobian_of_an_elementwise_square_is_diagonal():
    x = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]], "float32")
    jacobian = keras.ops.convert_to_numpy(batch_jacobian(lambda t: t * t, x))
    expected = np.stack([np.diag(2 * row) for row in x])
    np.testing.assert_allclose(jacobian, expected, rtol=1e-6)


def test_jacobian_of_a_tanh_layer_matches_the_chain_rule(rng):
    w = rng.normal(size=(4, 3)).astype("float32")
    b = rng.normal(size=3).astype("float32")
    x = rng.normal(size=(5, 4)).astype("float32")

    def layer(t):
        return keras.ops.tanh(keras.ops.matmul(t, w) + b)

    jacobian = keras.ops.convert_to_numpy(batch_jacobian(layer, x))
    # d tanh(x W + b)_i / d x_j = (1 - h_i^2) W_ji
    h = np.tanh(x.astype("float64") @ w + b)
    expected = (1 - h**2)[:, :, None] * w.T[None]
    assert jacobian.shape == (5, 3, 4)
    np.testing.assert_allclose(jacobian, expected, rtol=1e-5, atol=1e-5)
    norms = keras.ops.convert_to_numpy(squared_frobenius_norm(layer, x))
    np.testing.assert_allclose(norms, (expected**2).sum(axis=(1, 2)), rtol=1e-5)


def test_image_inputs_and_outputs_are_flattened(rng):
    x = rng.random((2, 3, 3, 1)).astype("float32")
    jacobian = keras.ops.convert_to_numpy(batch_jacobian(lambda t: 3.0 * t, x))
    assert jacobian.shape == (2, 9, 9)
    np.testing.assert_allclose(jacobian, np.broadcast_to(3.0 * np.eye(9), (2, 9, 9)))


def test_an_unsupported_backend_is_named(monkeypatch):
    monkeypatch.setattr(keras.backend, "backend", lambda: "numpy")
    with pytest.raises(NotImplementedError, match="'numpy' backend"):
        batch_jacobian(lambda t: t, np.zeros((1, 2), "float32"))
