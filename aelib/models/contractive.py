"""Contractive autoencoders (Rifai et al., 2011): penalize the Jacobian of the encoder.

A contractive autoencoder (CAE) adds to the reconstruction loss the squared Frobenius norm of the
Jacobian of the encoder ``f`` at each training point,

    loss = reconstruction + contraction_weight * mean over the batch of ||J_f(x)||_F^2,

which makes the code insensitive to small changes of the input in every direction that the
reconstruction does not need: the directions that leave the data manifold.

Two ways to compute the penalty, both exact and written with ``keras.ops`` only (so they run
inside the compiled train step on TensorFlow and on JAX):

* ``"closed_form"``, for a one-layer sigmoid encoder ``h = sigmoid(W x + b)`` (Rifai et al.):
  ``||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ji^2``, computed from the code itself;
* ``"layerwise"``, the *layer-wise exact Jacobian*, for any chain of ``Dense`` (and
  ``Activation``) layers with an elementwise activation, such as the encoders of
  `aelib.models.builders.dense_encoder`. By the chain rule the Jacobian of ``h_L = s_L(a_L)``,
  ``a_l = W_l^T h_{l-1} + b_l``, is ``J = D_L W_L^T D_{L-1} W_{L-1}^T ... D_1 W_1^T`` with
  ``D_l = diag(s_l'(a_l))``. The product is accumulated from the code side, so the largest
  intermediate has shape (batch, code_dim, width) rather than (batch, width, input_dim).

A third, ``"autodiff"``, works for *any* encoder (convolutional ones included): the Jacobian by
automatic differentiation, `aelib.autodiff.batch_jacobian`. Keras has no backend-agnostic
Jacobian, so that function dispatches on the backend (``tf.GradientTape.batch_jacobian`` or
``jax.vmap(jax.jacrev(...))``); it is the one place of aelib that does. ``"auto"`` picks the
closed form for a one-layer sigmoid encoder, the layer-wise Jacobian for other dense chains, and
autodiff for everything else.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import choice as _check_choice
from aelib._validation import non_negative as _non_negative
from aelib.autodiff import squared_frobenius_norm
from aelib.models.autoencoder import Autoencoder

JACOBIAN_METHODS = ("auto", "closed_form", "layerwise", "autodiff")

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
        layers = [layer for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)]
        previous = network.inputs[0]
        for layer in layers:
            if len(layer._inbound_nodes) != 1 or layer.input is not previous:
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


def closed_form_squared_norm(encoder, code):
    """Rifai et al.'s closed form of ``||J_f(x)||_F^2`` for ``h = sigmoid(W x + b)``.

    ``||J||_F^2 = sum_j (h_j (1 - h_j))^2 sum_i W_ji^2``: it needs only the code ``h`` and the
    weights, not the input.

    Args:
        encoder: a one-layer sigmoid encoder (an optional ``Flatten``, then one sigmoid ``Dense``).
        code: the encoder's output at the inputs of interest, shape ``(batch, code_dim)``.

    Returns:
        A tensor of shape ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((4,), [], 2, code_activation="sigmoid", use_bias=False)
        >>> encoder.get_layer("code").set_weights([np.ones((4, 2), "float32")])
        >>> code = encoder(np.zeros((1, 4), "float32"))  # h = 0.5, h (1 - h) = 0.25
        >>> float(closed_form_squared_norm(encoder, code)[0])
        0.5
    """
    dense = _one_layer_sigmoid(encoder)
    kernel = dense.kernel
    code = ops.cast(code, kernel.dtype)
    column_norms = ops.sum(ops.square(kernel), axis=0)  # sum_i W_ji^2, one per code unit j
    return ops.sum(ops.square(code * (1.0 - code)) * column_norms, axis=1)


def _one_layer_sigmoid(encoder):
    """The Dense layer of a one-layer sigmoid encoder; ValueError for any other encoder."""
    message = (
        "jacobian='closed_form' needs a one-layer sigmoid encoder h = sigmoid(W x + b) (e.g. "
        "builders.dense_encoder(shape, [], code_dim, code_activation='sigmoid')); "
    )
    try:
        steps = dense_chain(encoder)
    except ValueError as error:
        raise ValueError(message + str(error)) from None
    if len(steps) != 1 or steps[0].dense is None or steps[0].activation_name != "sigmoid":
        layers = [f"{s.dense.name if s.dense else 'Activation'}({s.activation_name})" for s in steps]
        raise ValueError(message + f"got the layers {layers}; use jacobian='layerwise'")
    return steps[0].dense


def _is_one_layer_sigmoid(encoder):
    try:
        _one_layer_sigmoid(encoder)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------- the model
@keras.saving.register_keras_serializable(package="aelib")
class ContractiveAutoencoder(Autoencoder):
    """An autoencoder whose loss adds ``contraction_weight * ||J_f(x)||_F^2`` (Rifai et al., 2011).

    The penalty is the squared Frobenius norm of the encoder's Jacobian at each input, averaged
    over the batch and multiplied by ``contraction_weight``; it is reported as the metric
    ``"contraction"`` by ``fit`` and ``evaluate``. Its scale is per image, so it is comparable to
    a reconstruction loss with ``feature_reduction="sum"``.

    Args:
        encoder: any encoder with ``jacobian="autodiff"``; for ``"layerwise"``, a dense
            encoder: an optional ``Flatten``, then ``Dense`` and ``Activation`` layers with
            activations in `ACTIVATION_DERIVATIVES` (e.g. from `aelib.models.builders.dense_encoder`).
        decoder: any decoder.
        contraction_weight: the weight lambda >= 0 of the penalty (0 gives a plain autoencoder).
        jacobian: how the penalty is computed: ``"closed_form"`` (one-layer sigmoid encoders
            only), ``"layerwise"`` (the layer-wise exact Jacobian, any dense encoder),
            ``"autodiff"`` (automatic differentiation, any encoder) or ``"auto"`` (the first of
            the three that applies). All are exact.
        **kwargs: passed to `aelib.Autoencoder` (``reconstruction_loss``, ``feature_reduction``,
            ``name``, ...).

    Raises:
        ValueError: for a negative ``contraction_weight``, an unknown ``jacobian``, or an encoder
            the chosen method does not support.

    Example:
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((784,), [], 64, code_activation="sigmoid")
        >>> decoder = builders.dense_decoder(64, [], (784,))
        >>> model = ContractiveAutoencoder(encoder, decoder, contraction_weight=0.1)
        >>> model.jacobian_method
        'closed_form'
    """

    def __init__(self, encoder, decoder, contraction_weight=0.1, jacobian="auto", **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.contraction_weight = _non_negative("contraction_weight", contraction_weight)
        self.jacobian = _check_choice("jacobian", jacobian, JACOBIAN_METHODS)
        if jacobian == "closed_form":
            _one_layer_sigmoid(encoder)
            self.jacobian_method = "closed_form"
        elif jacobian == "autodiff":
            self.jacobian_method = "autodiff"
        elif jacobian == "layerwise" or not _is_one_layer_sigmoid(encoder):
            try:
                dense_chain(encoder)
                self.jacobian_method = "layerwise"
            except ValueError as error:
                if jacobian == "layerwise":
                    raise ValueError(
                        f"ContractiveAutoencoder needs a dense encoder for jacobian='layerwise' "
                        f"(use jacobian='autodiff' for any encoder): {error}"
                    ) from None
                self.jacobian_method = "autodiff"
        else:
            self.jacobian_method = "closed_form"
        self.track_regularization("contraction")

    def squared_jacobian_norm(self, inputs, code=None):
        """``||J_f(x)||_F^2`` at each input (a tensor of shape ``(batch,)``), unweighted."""
        if self.jacobian_method == "closed_form":
            if code is None:
                code = self.encode(inputs)
            return closed_form_squared_norm(self.encoder, code)
        if self.jacobian_method == "autodiff":
            return squared_frobenius_norm(lambda x: self.encoder(x, training=False), inputs)
        return layerwise_squared_norm(self.encoder, inputs)

    def regularization_terms(self, inputs, code, reconstruction, training=False):
        penalty = ops.mean(self.squared_jacobian_norm(inputs, code))
        return {"contraction": self.contraction_weight * penalty}

    def contraction(self, x, batch_size=256):
        """NumPy in, NumPy out: ``||J_f(x)||_F^2`` for each sample of ``x`` (unweighted)."""
        parts = [
            ops.convert_to_numpy(self.squared_jacobian_norm(ops.convert_to_tensor(x[i : i + batch_size])))
            for i in range(0, len(x), batch_size)
        ]
        return np.concatenate(parts)

    def get_config(self):
        config = super().get_config()
        config.update({"contraction_weight": self.contraction_weight, "jacobian": self.jacobian})
        return config
