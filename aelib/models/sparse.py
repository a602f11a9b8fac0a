"""Sparse autoencoders: a hard top-k constraint on the code, and soft sparsity penalties.

Two ways to make most units of a (usually overcomplete) code zero, or close to it, for each input:

* `KSparse`, the layer of Makhzani & Frey's k-sparse autoencoder (2013): per sample it keeps the
  ``k`` largest activations and zeroes the rest, and `k_sparse_encoder` builds an encoder that ends
  in it. A k-sparse autoencoder is an `aelib.Autoencoder` with such an encoder.
* `SparsityPenalty` and `SparseAutoencoder`: penalties on a layer's activations added to the loss
  through the `aelib.Autoencoder` hook, each reported under its own name by ``fit`` and
  ``evaluate``. The classic one is the KL divergence between a target activation ``rho`` and the
  mean activation of each unit over the batch (Ng's sparse autoencoder).

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import keras
from keras import ops

from aelib._validation import choice as _check_choice
from aelib._validation import non_negative as _non_negative
from aelib._validation import open_fraction as _open_fraction
from aelib._validation import positive_int as _positive_int
from aelib._validation import real as _real
from aelib.models import builders
from aelib.models.autoencoder import Autoencoder

# Penalties on the mean activation of each unit, against a target rho.
TARGET_PENALTIES = ("kl", "mean_l1", "mean_l2")
# Penalties on the activations themselves; they have no target.
ACTIVITY_PENALTIES = ("activity_l1", "activity_l2")
PENALTY_KINDS = TARGET_PENALTIES + ACTIVITY_PENALTIES

# The KL penalty needs every mean activation strictly inside (0, 1). Sigmoid units give that in
# exact arithmetic, but a float32 sigmoid saturates to exactly 0 or 1, and log(0) would make the
# loss infinite; the means are clipped to [KL_EPSILON, 1 - KL_EPSILON] first. (1 - 1e-6 is still
# below 1 in float32, whose spacing just below 1 is 6e-8.)
KL_EPSILON = 1e-6


# ---------------------------------------------------------------------- the k-sparse layer
@keras.saving.register_keras_serializable(package="aelib")
class KSparse(keras.layers.Layer):
    """Keeps the ``k`` largest activations of each sample (along the last axis), zeroes the rest.

    In training the layer computes ``h * mask`` where ``mask`` marks the ``k`` largest entries of
    ``h``: a generalized ReLU whose threshold is set per sample so that exactly ``k`` units pass.
    The gradient flows through the kept entries unchanged and is zero on the dropped ones. When
    entries tie at the threshold, the backend's ``top_k`` decides which of them are kept (TensorFlow
    and JAX keep the lower indices), so exactly ``k`` are kept even then. The kept values are not
    rectified: a kept negative activation stays negative.

    At inference (``training`` false, as in ``predict``, ``evaluate`` and `Autoencoder.transform`)
    the layer keeps ``min(round(alpha * k), units)`` entries instead, Makhzani & Frey's "alpha k"
    encoding: the code used for inference may be less sparse than the one trained with. Python's
    ``round`` is used, so halves go to the even integer.

    Args:
        k: entries kept per sample in training, a positive integer at most the width of the last
            axis (checked when the layer is built).
        alpha: the factor of ``k`` kept at inference, a real number >= 1 (1 keeps ``k``).
        **kwargs: passed to `keras.layers.Layer` (``name``, ...).

    Returns (when called):
        A tensor of the shape of the input with all but ``k`` (or ``alpha k``) entries of each
        row zero.

    Example:
        >>> import numpy as np
        >>> layer = KSparse(2)
        >>> h = np.array([[0.1, -0.5, 0.7, 0.3]], "float32")
        >>> np.nonzero(keras.ops.convert_to_numpy(layer(h, training=True))[0])[0].tolist()
        [2, 3]
    """

    def __init__(self, k, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.k = _positive_int("k", k)
        self.alpha = _real("alpha", alpha, low=1.0)
        self.units = None

    @property
    def k_inference(self):
        """Entries kept at inference, ``min(round(alpha * k), units)`` (known once built)."""
        if self.units is None:
            raise ValueError("the layer is not built yet: its width (units) is unknown")
        return min(round(self.alpha * self.k), self.units)

    def build(self, input_shape):
        units = input_shape[-1]
        if units is None:
            raise ValueError(
                f"KSparse needs a known size for the last axis, got shape {input_shape}"
            )
        if self.k > units:
            raise ValueError(
                f"k must be at most the width of the code ({units} units), got k={self.k}"
            )
        self.units = int(units)
        self.built = True

    def call(self, inputs, training=None):
        kept = self.k if training else self.k_inference
        if kept == self.units:
            return inputs
        _, indices = ops.top_k(inputs, kept)
        # top_k returns distinct indices, so the one-hot rows mark exactly `kept` entries even
        # where values tie. The mask comes from integer indices, so no gradient flows into it,
        # and `where` passes the upstream gradient to the kept entries and zero to the others
        # (a product with the mask would do the same but turn dropped negatives into -0.0).
        mask = ops.max(ops.one_hot(indices, self.units, dtype="int32"), axis=-2) > 0
        return ops.where(mask, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "k": self.k, "alpha": self.alpha}


def k_sparse_encoder(
    input_shape,
    hidden_units,
    code_dim,
    k,
    alpha=1.0,
    activation="relu",
    use_bias=True,
    name="encoder",
):
    """A dense encoder whose linear code layer is followed by `KSparse`.

    With no hidden layers this is the encoder of Makhzani & Frey: ``supp_k(W x + b)``, linear
    units of which only the ``k`` largest pass. The linear layer is named ``"code"`` (its kernel
    holds the filters) and the `KSparse` layer ``"k_sparse"``.

    Args:
        input_shape: shape of one sample, e.g. ``(28, 28)``; flattened first.
        hidden_units: widths of hidden layers before the code, input side first (may be empty).
        code_dim: width of the code.
        k: active code units per sample in training, ``1 <= k <= code_dim``.
        alpha: ``round(alpha * k)`` units are kept at inference, ``alpha >= 1``.
        activation: activation of the hidden layers.
        use_bias: whether the dense layers have biases.
        name: name of the returned model.

    Returns:
        A `keras.Model` mapping ``(batch, *input_shape)`` to ``(batch, code_dim)`` codes with ``k``
        non-zero entries per sample in training (``round(alpha * k)`` at inference).

    Example:
        >>> encoder = k_sparse_encoder((28, 28), [], code_dim=100, k=10, alpha=2)
        >>> encoder.get_layer("k_sparse").k_inference
        20
    """
    layer = KSparse(k, alpha=alpha, name="k_sparse")
    code_dim = _positive_int("code_dim", code_dim)
    if layer.k > code_dim:
        raise ValueError(f"k must be at most code_dim ({code_dim}), got k={layer.k}")
    linear = builders.dense_encoder(
        input_shape,
        hidden_units,
        code_dim,
        activation=activation,
        code_activation="linear",
        use_bias=use_bias,
        name=name,
    )
    return keras.Model(linear.inputs[0], layer(linear.outputs[0]), name=name)


# ---------------------------------------------------------------------- sparsity penalties
def mean_activation(activations):
    """``rho_hat``: the mean over the batch of each unit's activation.

    Args:
        activations: a tensor ``(batch, ...)``; every position of the trailing axes is a unit
            (for a feature map, each position and channel).

    Returns:
        A tensor ``(units,)``.
    """
    batch = ops.shape(activations)[0]
    return ops.mean(ops.reshape(activations, (batch, -1)), axis=0)


def sparsity_penalty(activations, kind, rho=None):
    """An unweighted sparsity penalty of a batch of activations ``h`` (shape ``(batch, ...)``).

    With ``rho_hat_j`` the mean over the batch of unit ``j`` (see `mean_activation`):

    * ``"kl"``: ``sum_j rho log(rho / rho_hat_j) + (1 - rho) log((1 - rho) / (1 - rho_hat_j))``,
      the KL divergence between Bernoulli(rho) and Bernoulli(rho_hat_j) summed over units; for
      activations in (0, 1) such as sigmoid units. ``rho_hat`` is clipped to
      ``[KL_EPSILON, 1 - KL_EPSILON]`` first, so the penalty stays finite when units saturate
      (and has no gradient for a unit whose mean is clipped).
    * ``"mean_l1"``: ``sum_j |rho - rho_hat_j|``.
    * ``"mean_l2"``: ``sum_j (rho - rho_hat_j) ** 2``.
    * ``"activity_l1"``: ``mean_i sum_j |h_ij|``, no target.
    * ``"activity_l2"``: ``mean_i sum_j h_ij ** 2``, no target.

    Args:
        activations: a tensor ``(batch, ...)``.
        kind: one of `PENALTY_KINDS`.
        rho: the target mean activation in (0, 1), for the first three kinds only.

    Returns:
        A scalar tensor.

    Example:
        >>> import numpy as np
        >>> h = np.array([[0.0, 1.0], [2.0, -1.0]], "float32")
        >>> float(sparsity_penalty(h, "activity_l1"))
        2.0
    """
    kind, rho = _check_kind_and_rho(kind, rho)
    batch = ops.shape(activations)[0]
    if kind in ACTIVITY_PENALTIES:
        h = ops.reshape(activations, (batch, -1))
        per_sample = ops.abs(h) if kind == "activity_l1" else ops.square(h)
        return ops.mean(ops.sum(per_sample, axis=1))
    rho_hat = mean_activation(activations)
    if kind == "mean_l1":
        return ops.sum(ops.abs(rho - rho_hat))
    if kind == "mean_l2":
        return ops.sum(ops.square(rho - rho_hat))
    rho_hat = ops.clip(rho_hat, KL_EPSILON, 1.0 - KL_EPSILON)
    return ops.sum(
        rho * ops.log(rho / rho_hat) + (1.0 - rho) * ops.log((1.0 - rho) / (1.0 - rho_hat))
    )


def _check_kind_and_rho(kind, rho):
    _check_choice("kind", kind, PENALTY_KINDS)
    if kind in TARGET_PENALTIES:
        if rho is None:
            raise ValueError(
                f"rho (the target mean activation, in (0, 1)) is required for kind {kind!r}"
            )
        return kind, _open_fraction("rho", rho)
    if rho is not None:
        raise ValueError(
            f"rho must be None for kind {kind!r}, which has no target; got rho={rho!r}"
        )
    return kind, None


class SparsityPenalty:
    """A weighted sparsity penalty on the code or on a named layer of the encoder.

    Args:
        kind: ``"kl"``, ``"mean_l1"``, ``"mean_l2"`` (on each unit's mean activation over the
            batch, against the target ``rho``), ``"activity_l1"`` or ``"activity_l2"`` (on the
            activations, no target); see `sparsity_penalty` for the formulas.
        weight: the penalty's weight ``beta`` in the loss, a real number >= 0.
        rho: the target mean activation in the open interval (0, 1), for the target kinds only.
        layer: ``None`` for the code (the encoder's output); otherwise the name of a layer of
            the encoder (a functional or built Sequential model), whose output is penalized.
        name: the name of the term in the loss and in the training logs; by default
            ``"sparsity_<kind>"`` for the code and ``"sparsity_<kind>_<layer>"`` for a layer.

    Example:
        >>> SparsityPenalty("kl", weight=3.0, rho=0.1).name
        'sparsity_kl'
        >>> SparsityPenalty("activity_l1", weight=1e-4, layer="dense_1").name
        'sparsity_activity_l1_dense_1'
    """

    def __init__(self, kind, weight, rho=None, layer=None, name=None):
        self.kind, self.rho = _check_kind_and_rho(kind, rho)
        self.weight = _non_negative("weight", weight)
        if layer is not None and (not isinstance(layer, str) or not layer):
            raise ValueError(f"layer must be None (the code) or a layer name, got {layer!r}")
        self.layer = layer
        if name is None:
            name = f"sparsity_{kind}" if layer is None else f"sparsity_{kind}_{layer}"
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        self.name = name

    def __call__(self, activations):
        """The weighted penalty ``weight * sparsity_penalty(activations, kind, rho)``."""
        return self.weight * sparsity_penalty(activations, self.kind, self.rho)

    def __repr__(self):
        return (
            f"SparsityPenalty(kind={self.kind!r}, weight={self.weight!r}, rho={self.rho!r}, "
            f"layer={self.layer!r}, name={self.name!r})"
        )

    def get_config(self):
        return {
            "kind": self.kind,
            "weight": self.weight,
            "rho": self.rho,
            "layer": self.layer,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="aelib")
class SparseAutoencoder(Autoencoder):
    """An autoencoder whose loss adds sparsity penalties on the code or on encoder layers.

    Each `SparsityPenalty` becomes a regularization term of `aelib.Autoencoder`: it is added to
    the loss and reported under its name (e.g. ``"sparsity_kl"``) by ``fit`` and ``evaluate``.
    The mean activations of the KL and mean penalties are taken over the batch, so they depend on
    the batch size; use batches of a hundred or more.

    How a penalty reaches a layer other than the code: the model builds an auxiliary functional
    model on the encoder's own layers (so with the same weights) whose outputs are the code and
    the named layers' activations. During a forward pass of the autoencoder it replaces the
    encoder, so the code and the penalized activations come from the same pass (the same dropout
    mask, for instance). The encoder must therefore be a functional or built Sequential model
    when a penalty names a layer.

    Args:
        encoder: a `keras.Model` mapping inputs to codes.
        decoder: a `keras.Model` mapping codes to reconstructions.
        penalties: a `SparsityPenalty`, or a list of them (or of their ``get_config()`` dicts);
            their names must differ.
        reconstruction_loss: ``"mse"`` or ``"binary_crossentropy"``.
        feature_reduction: ``"mean"`` or ``"sum"`` over the features of a sample.
        **kwargs: passed to `aelib.Autoencoder`.

    Example:
        >>> from aelib.models import builders
        >>> encoder = builders.dense_encoder((784,), [], 196, code_activation="sigmoid")
        >>> decoder = builders.dense_decoder(196, [], (784,))
        >>> model = SparseAutoencoder(encoder, decoder, SparsityPenalty("kl", 3.0, rho=0.1))
        >>> [p.name for p in model.penalties]
        ['sparsity_kl']
    """

    def __init__(
        self,
        encoder,
        decoder,
        penalties=(),
        reconstruction_loss="mse",
        feature_reduction="mean",
        **kwargs,
    ):
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss=reconstruction_loss,
            feature_reduction=feature_reduction,
            **kwargs,
        )
        if isinstance(penalties, (SparsityPenalty, dict)):
            penalties = [penalties]
        if not isinstance(penalties, (list, tuple)):
            raise ValueError(
                f"penalties must be a SparsityPenalty or a list of them, got {type(penalties).__name__}"
            )
        self.penalties = []
        for penalty in penalties:
            if isinstance(penalty, dict):
                penalty = SparsityPenalty.from_config(penalty)
            if not isinstance(penalty, SparsityPenalty):
                raise ValueError(
                    f"penalties must hold SparsityPenalty objects, got {type(penalty).__name__}"
                )
            if penalty.name in {p.name for p in self.penalties}:
                raise ValueError(
                    f"penalties must have distinct names; {penalty.name!r} appears twice "
                    "(give one of them a name=)"
                )
            self.penalties.append(penalty)
            self.track_regularization(penalty.name)
        self._layer_names = sorted({p.layer for p in self.penalties if p.layer is not None})
        # Stored with object.__setattr__ so that Keras does not track the probe as a sublayer:
        # its layers and weights are the encoder's, already tracked through self.encoder.
        object.__setattr__(self, "_probe", self._make_probe() if self._layer_names else None)

    def _make_probe(self):
        if not hasattr(self.encoder, "get_layer"):
            raise ValueError(
                f"layer={self._layer_names[0]!r}: a penalty on a named layer needs an encoder that "
                "is a keras Model"
            )
        outputs = []
        for name in self._layer_names:
            try:
                outputs.append(self.encoder.get_layer(name).output)
            except ValueError as error:
                names = [layer.name for layer in self.encoder.layers]
                raise ValueError(
                    f"layer={name!r} is not a layer of the encoder (its layers: {names})"
                ) from error
            except AttributeError as error:
                raise ValueError(
                    f"layer={name!r}: the encoder must be a functional or built Sequential model "
                    "to penalize one of its layers"
                ) from error
        inputs = self.encoder.inputs
        # A single input as a tensor, not a one-element list, so that calling the probe on a
        # tensor matches its structure.
        inputs = inputs[0] if len(inputs) == 1 else inputs
        return keras.Model(
            inputs, [self.encoder.outputs[0], *outputs], name=f"{self.encoder.name}_probe"
        )

    def encode_record(self, inputs, training=False):
        """The code and, when a penalty names encoder layers, their ``"activations"``
        ``{layer name: tensor}``, all from one pass through the encoder's layers."""
        if self._probe is None:
            return super().encode_record(inputs, training=training)
        code, *hidden = self._probe(inputs, training=training)
        return {"code": code, "activations": dict(zip(self._layer_names, hidden))}

    def layer_activations(self, inputs, training=False):
        """The activations of the layers named by the penalties, ``{layer name: tensor}``."""
        return self.encode_record(inputs, training=training).get("activations", {})

    def regularization_terms(self, record, training=False):
        """One term per penalty, on the code or on the activations of its layer."""
        del training
        activations = record.get("activations", {})
        return {
            p.name: p(record["code"] if p.layer is None else activations[p.layer])
            for p in self.penalties
        }

    def get_config(self):
        return {**super().get_config(), "penalties": [p.get_config() for p in self.penalties]}
