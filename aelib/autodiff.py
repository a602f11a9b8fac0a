"""The Jacobian of a network with respect to its input, by automatic differentiation.

Keras 3 has no backend-agnostic ``jacobian``: ``keras.ops`` offers no gradient operator, and each
backend differentiates in its own way. This module is the one place in aelib that dispatches on
the backend, so that every model stays written in ``keras.ops``:

* TensorFlow: ``tf.GradientTape.batch_jacobian``;
* JAX: ``jax.vmap(jax.jacrev(...))``;
* PyTorch: ``torch.func.vmap(torch.func.jacrev(...))``.

Each works inside a compiled train step, and is itself differentiable, so a loss can contain
a Jacobian (the contractive penalty) and be minimized.

For the common case of a *dense chain* (an optional ``Flatten``, then ``Dense`` and
``Activation`` layers with elementwise activations, as `aelib.models.builders.dense_encoder`
builds), the module also has an exact Jacobian engine written in ``keras.ops`` alone, with no
backend dispatch: `dense_chain` parses such a network, `dense_jacobian` multiplies the chain
rule's factors ``J = D_L W_L^T ... D_1 W_1^T`` and `layerwise_squared_norm` gives
``||J||_F^2`` while keeping the largest intermediate at (batch, code_dim, width).
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


# ---------------------------------------------------------------------- dense chains, exactly

# The derivative of each supported activation, from its pre-activation a and output h = s(a).
# Using h where the derivative is a function of it saves recomputing exponentials.
_SQRT_2 = 1.4142135623730951
_SQRT_2PI = 2.5066282746310002
_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


def _d_linear(a, h):
    return ops.ones_like(a)


def _d_relu(a, h):
    return ops.cast(a > 0, a.dtype)


def _d_sigmoid(a, h):
    return h * (1.0 - h)


def _d_tanh(a, h):
    return 1.0 - ops.square(h)


def _d_softplus(a, h):
    return ops.sigmoid(a)


def _d_elu(a, h):
    # Keras' "elu" has alpha = 1, so for a <= 0 the derivative exp(a) equals h + 1.
    return ops.where(a > 0, ops.ones_like(a), h + 1.0)


def _d_selu(a, h):
    return ops.where(a > 0, _SELU_SCALE * ops.ones_like(a), h + _SELU_SCALE * _SELU_ALPHA)


def _d_silu(a, h):
    s = ops.sigmoid(a)
    return s * (1.0 + a * (1.0 - s))


def _d_gelu(a, h):
    # Keras' "gelu" is the exact form a * Phi(a) (approximate=False).
    cdf = 0.5 * (1.0 + ops.erf(a / _SQRT_2))
    pdf = ops.exp(-0.5 * ops.square(a)) / _SQRT_2PI
    return cdf + a * pdf


ACTIVATION_DERIVATIVES = {
    "linear": _d_linear,
    "relu": _d_relu,
    "sigmoid": _d_sigmoid,
    "tanh": _d_tanh,
    "softplus": _d_softplus,
    "elu": _d_elu,
    "selu": _d_selu,
    "silu": _d_silu,
    "gelu": _d_gelu,
}


# ---------------------------------------------------------------------- parsing a dense network
class _Step:
    """One elementwise-activated affine map of a dense chain (``dense`` is None: activation only)."""

    def __init__(self, dense, activation_name):
        self.dense = dense
        self.activation_name = activation_name
        self.activation = keras.activations.get(activation_name)
        self.derivative = ACTIVATION_DERIVATIVES[activation_name]


def _activation_name(layer):
    try:
        name = keras.activations.serialize(layer.activation)
    except Exception:  # a custom callable that Keras cannot name
        name = None
    if not isinstance(name, str) or name not in ACTIVATION_DERIVATIVES:
        raise ValueError(
            f"layer {layer.name!r} has activation {name or layer.activation!r}, which the "
            f"layer-wise Jacobian does not support; supported: {sorted(ACTIVATION_DERIVATIVES)}"
        )
    return name


def _primitive_layers(network):
    """The layers of ``network`` in data-flow order, sub-models expanded; ValueError if not a chain."""
    if not isinstance(network, keras.Model):
        return [network]
    if isinstance(network, keras.Sequential):
        layers = list(network.layers)
    else:
        if len(network.inputs) != 1 or len(network.outputs) != 1:
            raise ValueError(
                f"model {network.name!r} has several inputs or outputs; the layer-wise Jacobian "
                "needs a chain of layers from one input to one output"
            )
        layers = [
            layer for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)
        ]
        # How often each layer is called inside this network, from its public config: a layer
        # called twice (shared weights) breaks the chain even if its first call fits.
        calls = {
            cfg["name"]: len(cfg.get("inbound_nodes") or [])
            for cfg in network.get_config()["layers"]
        }
        previous = network.inputs[0]
        for layer in layers:
            if calls.get(layer.name, 0) != 1 or layer.input is not previous:
                raise ValueError(
                    f"model {network.name!r} is not a simple chain of layers (at layer "
                    f"{layer.name!r}); the layer-wise Jacobian needs one"
                )
            previous = layer.output
        if previous is not network.outputs[0]:
            raise ValueError(f"model {network.name!r} is not a simple chain of layers")
    expanded = []
    for layer in layers:
        expanded.extend(_primitive_layers(layer))
    return expanded


def dense_chain(network):
    """Checks that ``network`` is a dense chain and returns its steps, input side first.

    A dense chain is an optional ``Flatten`` followed by ``Dense`` and ``Activation`` layers whose
    activations are in `ACTIVATION_DERIVATIVES` (the encoders and decoders of
    `aelib.models.builders.dense_encoder` / ``dense_decoder`` with a flat output are).

    Args:
        network: a `keras.Model` (functional or sequential, possibly nested) or a layer.

    Returns:
        A list of steps, each with ``dense`` (a ``Dense`` layer, or None for an ``Activation``
        layer) and ``activation_name``.

    Raises:
        ValueError: naming the first layer that is not supported.

    Example:
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((784,), [64], code_dim=8, activation="tanh")
        >>> [step.activation_name for step in dense_chain(encoder)]
        ['tanh', 'linear']
    """
    steps = []
    for layer in _primitive_layers(network):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Flatten) and not steps:
            continue  # the Jacobian is taken with respect to the flattened input
        if isinstance(layer, keras.layers.Dense):
            steps.append(_Step(layer, _activation_name(layer)))
        elif isinstance(layer, keras.layers.Activation) and steps:
            steps.append(_Step(None, _activation_name(layer)))
        else:
            raise ValueError(
                f"layer {layer.name!r} ({type(layer).__name__}) is not supported by the layer-wise "
                "Jacobian, which needs a dense network: an optional Flatten first, then a Dense "
                "layer, then Dense and Activation layers with elementwise activations"
            )
    if not steps:
        raise ValueError("the layer-wise Jacobian needs a network with at least one Dense layer")
    return steps


def _forward(steps, inputs):
    """Pre-activations and outputs of every step, starting from the flattened inputs."""
    h = ops.reshape(inputs, (ops.shape(inputs)[0], -1))
    record = []
    for step in steps:
        if step.dense is None:
            a = h
        else:
            kernel = step.dense.kernel
            a = ops.matmul(ops.cast(h, kernel.dtype), kernel)
            if step.dense.use_bias:
                a = a + step.dense.bias
        h = step.activation(a)
        record.append((a, h))
    return record


def _jacobian_factors(steps, inputs):
    """``(C, W_1, diagonal)`` with ``J = C W_1^T``, ``W_1`` the kernel of the first Dense layer.

    Accumulated from the output side, ``B <- B D_l W_l^T``, so every intermediate keeps
    ``out_dim`` rows. While no kernel has been met yet the product is diagonal, and ``C`` is
    returned as its diagonal, shape (batch, width of layer 1), with ``diagonal=True``; otherwise
    ``C`` has shape (batch, out_dim, width of layer 1). The last factor ``W_1^T`` is left to the
    caller, who may not need the product itself.
    """
    record = _forward(steps, inputs)
    first = _first_dense_index(steps)
    C = None  # d output / d a_l; None stands for the identity
    diagonal = True
    for index in range(len(steps) - 1, first - 1, -1):
        step = steps[index]
        a, h = record[index]
        d = step.derivative(a, h)  # the diagonal of D_l, (batch, width of a_l)
        if C is None:
            C = d
        elif diagonal:
            C = C * d
        else:
            C = C * d[:, None, :]  # B D_l: scales the columns of B
        if step.dense is None or index == first:
            continue
        kernel = step.dense.kernel  # (width of h_{l-1}, width of a_l)
        if diagonal:
            C = C[:, :, None] * ops.transpose(kernel)[None]
            diagonal = False
        else:
            C = ops.einsum("bow,iw->boi", C, kernel)
    return C, steps[first].dense.kernel, diagonal


def _first_dense_index(steps):
    return next(i for i, step in enumerate(steps) if step.dense is not None)


def dense_jacobian(network, inputs):
    """The Jacobian of a dense network at each input, exactly, with keras ops (layer-wise).

    Args:
        network: a dense chain (see `dense_chain`), e.g. an encoder of
            `aelib.models.builders.dense_encoder`.
        inputs: a batch of inputs, shape ``(batch, *input_shape)``.

    Returns:
        A tensor of shape ``(batch, output_dim, input_dim)``, the derivative of the output with
        respect to the flattened input.

    Example:
        >>> import numpy as np
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((6, 6), [5], code_dim=3, activation="tanh")
        >>> tuple(dense_jacobian(encoder, np.zeros((2, 6, 6), "float32")).shape)
        (2, 3, 36)
    """
    C, kernel, diagonal = _jacobian_factors(dense_chain(network), inputs)
    if diagonal:
        return C[:, :, None] * ops.transpose(kernel)[None]
    return ops.einsum("bow,iw->boi", C, kernel)


def layerwise_squared_norm(network, inputs):
    """``||J(x)||_F^2`` of a dense network at each input, exact, with keras ops.

    The full Jacobian ``J = C W_1^T`` is not formed when it need not be. For a single dense
    layer ``C = diag(s'(a))`` and ``||J||_F^2 = sum_j s'(a_j)^2 ||W_:j||^2``. When the first
    layer is narrower than the input, ``||C W_1^T||_F^2 = sum over rows c of C of c G c^T`` with
    the Gram matrix ``G = W_1^T W_1``, computed once per batch.

    Args:
        network: a dense chain (see `dense_chain`).
        inputs: a batch of inputs, shape ``(batch, *input_shape)``.

    Returns:
        A tensor of shape ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((4,), [], code_dim=2, use_bias=False)
        >>> encoder.get_layer("code").set_weights([np.ones((4, 2), "float32")])
        >>> float(layerwise_squared_norm(encoder, np.zeros((1, 4), "float32"))[0])
        8.0
    """
    C, kernel, diagonal = _jacobian_factors(dense_chain(network), inputs)
    if diagonal:
        column_norms = ops.sum(ops.square(kernel), axis=0)
        return ops.sum(ops.square(C) * column_norms, axis=1)
    input_dim, width = kernel.shape
    if width < input_dim:
        gram = ops.matmul(ops.transpose(kernel), kernel)
        return ops.sum(ops.einsum("bow,wv->bov", C, gram) * C, axis=(1, 2))
    return ops.sum(ops.square(ops.einsum("bow,iw->boi", C, kernel)), axis=(1, 2))
