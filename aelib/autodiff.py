"""The Jacobian of a network with respect to its input, by automatic differentiation.

Keras 3 has no backend-agnostic ``jacobian``: ``keras.ops`` offers no gradient operator, and each
backend differentiates in its own way. This module is the one place in aelib that dispatches on
the backend, so that every model stays written in ``keras.ops``:

* TensorFlow: ``tf.GradientTape.batch_jacobian``;
* JAX: ``jax.vmap(jax.jacrev(...))``;
* PyTorch: ``torch.func.vmap(torch.func.jacrev(...))``.

Each works inside a compiled train step, and is itself differentiable, so a loss can contain
a Jacobian (the contractive penalty) and be minimized.
"""

from __future__ import annotations

import keras
from keras import ops


def batch_jacobian(function, inputs):
    """The Jacobian of ``function`` at each sample of ``inputs``.

    Args:
        function: maps a batch ``(batch, *input_shape)`` to a batch ``(batch, *output_shape)``
            and treats samples independently (no batch normalization in training mode).
        inputs: a tensor ``(batch, *input_shape)``.

    Returns:
        A tensor ``(batch, output_size, input_size)``: output and input flattened, so
        ``J[b, i, j] = d function(inputs)[b, i] / d inputs[b, j]``.

    Example:
        >>> import numpy as np
        >>> x = np.array([[1.0, 2.0]], "float32")
        >>> J = batch_jacobian(lambda t: t * t, x)   # diag(2 x)
        >>> np.asarray(ops.convert_to_numpy(J))[0].tolist()
        [[2.0, 0.0], [0.0, 4.0]]
    """
    backend = keras.backend.backend()
    inputs = ops.convert_to_tensor(inputs)
    batch = ops.shape(inputs)[0]
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(inputs)
            outputs = function(inputs)
            flat_outputs = tf.reshape(outputs, (batch, -1))
        jacobian = tape.batch_jacobian(flat_outputs, inputs)
        return tf.reshape(jacobian, (batch, tf.shape(flat_outputs)[1], -1))
    if backend == "jax":
        import jax

        def one(sample):
            return ops.reshape(function(sample[None])[0], (-1,))

        jacobian = jax.vmap(jax.jacrev(one))(inputs)
        return jacobian.reshape(jacobian.shape[0], jacobian.shape[1], -1)
    if backend == "torch":
        import torch

        def one_torch(sample):
            return function(sample[None])[0].reshape(-1)

        jacobian = torch.func.vmap(torch.func.jacrev(one_torch))(inputs)
        return jacobian.reshape(jacobian.shape[0], jacobian.shape[1], -1)
    raise NotImplementedError(f"batch_jacobian does not support the {backend!r} backend")


def squared_frobenius_norm(function, inputs):
    """``||J(x)||_F^2`` at each sample of ``inputs``, shape ``(batch,)``, by autodiff."""
    jacobian = batch_jacobian(function, inputs)
    return ops.sum(ops.square(jacobian), axis=(1, 2))
