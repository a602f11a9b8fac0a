"""The `Autoencoder` model every variant of the book builds on.

An autoencoder is a pair of maps, an encoder ``f`` from the data space to a code space and a decoder
``g`` back, trained so that ``g(f(x))`` stays close to ``x``. This module holds that pair as a
`keras.Model` with:

* ``encode``, ``decode`` and ``call`` (the reconstruction ``g(f(x))``);
* a reconstruction loss, mean squared error or binary cross-entropy;
* one hook, `Autoencoder.regularization_terms`, through which a variant (sparse, contractive,
  variational, ...) adds terms to the loss. Each term is reported under its own name as a metric
  during ``fit`` and ``evaluate``.

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import keras
from keras import ops

from aelib._validation import choice as _check_choice

RECONSTRUCTION_LOSSES = ("mse", "binary_crossentropy")
FEATURE_REDUCTIONS = ("mean", "sum")

# Keeps log(p) finite when a sigmoid output saturates at exactly 0 or 1.
_BCE_EPSILON = 1e-7


def reconstruction_error(target, reconstruction, loss="mse", feature_reduction="mean"):
    """Per-sample reconstruction loss.

    Args:
        target: the clean data, shape ``(batch, ...)``.
        reconstruction: the model output, same shape as ``target``.
        loss: ``"mse"`` (squared error) or ``"binary_crossentropy"`` (for data in [0, 1]
            read as Bernoulli means; the reconstruction must be a probability).
        feature_reduction: ``"mean"`` or ``"sum"`` over every axis but the first. ``"sum"`` gives
            the per-image totals used by Hinton & Salakhutdinov and by the ELBO.

    Returns:
        A tensor of shape ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> x = np.array([[0.0, 1.0]], "float32"); x_hat = np.array([[0.5, 1.0]], "float32")
        >>> float(reconstruction_error(x, x_hat, feature_reduction="sum")[0])
        0.25
    """
    _check_choice("loss", loss, RECONSTRUCTION_LOSSES)
    _check_choice("feature_reduction", feature_reduction, FEATURE_REDUCTIONS)
    target = ops.cast(target, reconstruction.dtype)
    if loss == "mse":
        per_feature = ops.square(reconstruction - target)
    else:
        p = ops.clip(reconstruction, _BCE_EPSILON, 1.0 - _BCE_EPSILON)
        per_feature = -(target * ops.log(p) + (1.0 - target) * ops.log(1.0 - p))
    feature_axes = tuple(range(1, len(per_feature.shape)))
    if not feature_axes:
        return per_feature
    if feature_reduction == "sum":
        return ops.sum(per_feature, axis=feature_axes)
    return ops.mean(per_feature, axis=feature_axes)


@keras.saving.register_keras_serializable(package="aelib")
class Autoencoder(keras.Model):
    """An encoder and a decoder trained to reconstruct their input.

    Args:
        encoder: a `keras.Model` (or layer) mapping inputs to codes.
        decoder: a `keras.Model` (or layer) mapping codes back to the input space.
        reconstruction_loss: ``"mse"`` (default) or ``"binary_crossentropy"``.
        feature_reduction: how the loss of one sample is reduced over its features,
            ``"mean"`` (default, Keras' convention) or ``"sum"`` (per-image totals).
        **kwargs: passed to `keras.Model` (``name``, ...).

    Training target: ``fit(x)`` reconstructs ``x``; ``fit(x_noisy, x_clean)`` trains towards
    ``x_clean`` (the denoising set-up). The loss is the mean over the batch of the per-sample
    reconstruction loss, plus every regularization term, plus any `add_loss` loss of a layer.

    Extending (the hook): a variant overrides `regularization_terms` and names each term once in
    its constructor with `track_regularization`. Each term is added to the loss and reported as a
    metric of the same name by ``fit`` and ``evaluate``.

    Example:
        >>> import numpy as np
        >>> from aelib import builders
        >>> encoder = builders.dense_encoder((784,), [64], code_dim=8)
        >>> decoder = builders.dense_decoder(8, [64], output_shape=(784,))
        >>> model = Autoencoder(encoder, decoder)
        >>> model.compile(optimizer="adam")
        >>> model.encode(np.zeros((2, 784), "float32")).shape
        (2, 8)
    """

    def __init__(
        self,
        encoder,
        decoder,
        reconstruction_loss="mse",
        feature_reduction="mean",
        **kwargs,
    ):
        super().__init__(**kwargs)
        _check_choice("reconstruction_loss", reconstruction_loss, RECONSTRUCTION_LOSSES)
        _check_choice("feature_reduction", feature_reduction, FEATURE_REDUCTIONS)
        self.encoder = encoder
        self.decoder = decoder
        self.reconstruction_loss = reconstruction_loss
        self.feature_reduction = feature_reduction
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self._regularization_trackers = {}
        # Terms computed by the latest `call`, consumed by `compute_loss` in the same train or
        # test step. Keras hands `compute_loss` only the reconstruction, but the terms need the
        # code (and the noisy input) of that very forward pass. Set with object.__setattr__ so
        # Keras' attribute tracking never wraps the tensors.
        object.__setattr__(self, "_pending_terms", None)

    # ------------------------------------------------------------------ the hook
    def track_regularization(self, name):
        """Declares a regularization term ``name``; call it in a variant's constructor.

        Creates the metric that reports the term. Metrics must exist before training starts
        (JAX traces the train step once), so terms cannot be discovered on the fly.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if name in self._regularization_trackers or name == "reconstruction_loss":
            raise ValueError(f"regularization term {name!r} is already tracked")
        tracker = keras.metrics.Mean(name=name)
        self._regularization_trackers[name] = tracker
        # Attribute assignment is what registers the metric with Keras.
        setattr(self, f"_regularization_tracker_{name}", tracker)

    def regularization_terms(self, inputs, code, reconstruction, training=False):
        """The hook for variants: extra loss terms of one forward pass.

        Args:
            inputs: the batch given to the model (possibly corrupted by a noise layer later).
            code: ``encode(inputs)`` for this forward pass.
            reconstruction: ``decode(code)``.
            training: whether this is a training step.

        Returns:
            A dict ``{name: scalar tensor}``, each name declared with `track_regularization`.
            Each value is added to the loss as it is, so it should already carry its weight.
            The base class returns ``{}``.
        """
        del inputs, code, reconstruction, training
        return {}

    # ------------------------------------------------------------------ forward pass
    def encode(self, inputs, training=False):
        """Maps inputs to codes."""
        return self.encoder(inputs, training=training)

    def decode(self, code, training=False):
        """Maps codes to reconstructions."""
        return self.decoder(code, training=training)

    def call(self, inputs, training=None):
        """Reconstructs ``inputs``: ``decode(encode(inputs))``."""
        code = self.encode(inputs, training=training)
        reconstruction = self.decode(code, training=training)
        self.queue_regularization_terms(inputs, code, reconstruction, training=training)
        return reconstruction

    def queue_regularization_terms(self, inputs, code, reconstruction, training=None):
        """Computes `regularization_terms` of this forward pass and hands them to the loss.

        A variant that overrides `call` (to sample a code, or corrupt the input) calls this once
        per forward pass, with the tensors the terms need.
        """
        terms = self.regularization_terms(inputs, code, reconstruction, training=training)
        unknown = set(terms) - set(self._regularization_trackers)
        if unknown:
            raise ValueError(
                f"regularization_terms returned {sorted(unknown)}, which were never declared; "
                "call track_regularization(name) in the constructor"
            )
        object.__setattr__(self, "_pending_terms", terms)

    def build(self, input_shape):
        if not self.encoder.built:
            self.encoder.build(input_shape)
        if not self.decoder.built:
            self.decoder.build(self.encoder.compute_output_shape(input_shape))
        self.built = True

    # ------------------------------------------------------------------ loss
    def per_sample_loss(self, target, reconstruction):
        """The reconstruction term of one sample, shape ``(batch,)``; a variant with another
        likelihood (a Gaussian with learned variance, say) overrides it."""
        return reconstruction_error(
            target, reconstruction, self.reconstruction_loss, self.feature_reduction
        )

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        target = x if y is None else y
        per_sample = self.per_sample_loss(target, y_pred)
        if sample_weight is not None:
            weights = ops.cast(ops.reshape(sample_weight, (-1,)), per_sample.dtype)
            reconstruction = ops.sum(per_sample * weights) / ops.maximum(ops.sum(weights), 1e-12)
        else:
            reconstruction = ops.mean(per_sample)
        # Weighted by batch size, like Keras' own loss tracker, so that the epoch averages of
        # "loss" and "reconstruction_loss" agree when the last batch is smaller.
        batch_size = ops.shape(per_sample)[0]
        self.reconstruction_tracker.update_state(reconstruction, sample_weight=batch_size)

        total = reconstruction
        terms = self._pending_terms or {}
        object.__setattr__(self, "_pending_terms", None)
        for name, value in terms.items():
            value = ops.cast(value, total.dtype)
            self._regularization_trackers[name].update_state(value, sample_weight=batch_size)
            total = total + value
        for loss in self.losses:  # kernel regularizers and add_loss of sub-layers
            total = total + ops.cast(ops.sum(loss), total.dtype)
        return total

    def reconstruct(self, x, batch_size=256):
        """NumPy in, NumPy out: the reconstructions of ``x`` (inference mode)."""
        return self.predict(x, batch_size=batch_size, verbose=0)

    def transform(self, x, batch_size=256):
        """NumPy in, NumPy out: the codes of ``x`` (inference mode)."""
        return self.encoder.predict(x, batch_size=batch_size, verbose=0)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "reconstruction_loss": self.reconstruction_loss,
                "feature_reduction": self.feature_reduction,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)
