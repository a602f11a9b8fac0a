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
from aelib.autodiff import (
    dense_chain,
    layerwise_squared_norm,
    squared_frobenius_norm,
)
from aelib.models.autoencoder import Autoencoder

JACOBIAN_METHODS = ("auto", "closed_form", "layerwise", "autodiff")


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
        layers = [
            f"{s.dense.name if s.dense else 'Activation'}({s.activation_name})" for s in steps
        ]
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
            activations in `aelib.autodiff.ACTIVATION_DERIVATIVES` (e.g. from `aelib.models.builders.dense_encoder`).
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
                code = self.encoder(inputs, training=False)
            return closed_form_squared_norm(self.encoder, code)
        if self.jacobian_method == "autodiff":
            return squared_frobenius_norm(lambda x: self.encoder(x, training=False), inputs)
        return layerwise_squared_norm(self.encoder, inputs)

    def regularization_terms(self, record, training=False):
        """``{"contraction": weight * mean ||J_f(x)||_F^2}`` at the inputs the encoder saw."""
        del training
        inputs = record.get("corrupted", record["inputs"])
        penalty = ops.mean(self.squared_jacobian_norm(inputs, record["code"]))
        return {"contraction": self.contraction_weight * penalty}

    def contraction(self, x, batch_size=256):
        """NumPy in, NumPy out: ``||J_f(x)||_F^2`` for each sample of ``x`` (unweighted)."""
        parts = [
            ops.convert_to_numpy(
                self.squared_jacobian_norm(ops.convert_to_tensor(x[i : i + batch_size]))
            )
            for i in range(0, len(x), batch_size)
        ]
        return np.concatenate(parts)

    def get_config(self):
        config = super().get_config()
        config.update({"contraction_weight": self.contraction_weight, "jacobian": self.jacobian})
        return config
