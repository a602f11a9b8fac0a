"""The `Autoencoder` model every variant of the book builds on.

An autoencoder is a pair of maps, an encoder ``f`` from the data space to a code space and a decoder
``g`` back, trained so that ``g(f(x))`` stays close to ``x``. This module holds that pair as a
`keras.Model` with:

* one forward pass, `Autoencoder.forward`, that returns a *forward record*: a dict with the
  ``"code"`` and the ``"reconstruction"`` (and, for the variants that have them, the
  ``"corrupted"`` input, the ``"sampled_code"`` and the ``"activations"`` of named layers);
  ``call`` returns that record, so ``model(x)["reconstruction"]`` is ``g(f(x))``;
* the loss, computed in ``compute_loss`` from that record alone: a reconstruction term (mean
  squared error or binary cross-entropy) plus the terms a variant adds in
  `Autoencoder.regularization_terms`, each reported under its own name as a metric. Nothing
  passes from ``call`` to the loss by a side channel, and a regularizer (the contractive
  Jacobian, say) is computed only in ``compute_loss``: ``predict`` and ``reconstruct`` never pay
  for it;
* hooks for the step a variant changes: `Autoencoder.corrupt` (denoising),
  `Autoencoder.encode_record` (sparse penalties on hidden layers) and `Autoencoder.sample_code`
  (variational);
* the evaluation protocol shared with the baselines, after scikit-learn: ``fit``, ``transform``
  (codes), ``inverse_transform``, ``reconstruct`` and ``score_samples`` (higher = more normal),
  NumPy in and NumPy out, each checking its input first;
* guard rails: data that are empty, non-finite, of the wrong shape, or uint8 images in [0, 255]
  are refused with a message naming the parameter, and a training whose loss becomes NaN or
  infinite stops with an error instead of returning a broken model.

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from aelib._validation import callbacks as check_callbacks
from aelib._validation import choice as _check_choice
from aelib._validation import data_array as _data_array
from aelib._validation import positive_int as _positive_int

RECONSTRUCTION_LOSSES = ("mse", "binary_crossentropy", "categorical_crossentropy")
FEATURE_REDUCTIONS = ("mean", "sum")

# Keeps log(p) finite when a sigmoid output saturates at exactly 0 or 1.
_BCE_EPSILON = 1e-7


def per_replica_loss(loss):
    """A batch's loss as one replica of a ``tf.distribute`` strategy must return it.

    Under ``tf.distribute`` (e.g. ``MirroredStrategy`` over several devices) each replica
    computes the loss of its share of the batch and the replicas' gradients are *summed*, so a
    replica returns its batch mean divided by the number of replicas, as Keras' own losses do
    (Keras' loss tracker multiplies it back for the reported ``loss``). Every model's
    ``compute_loss`` ends with this. Without a strategy, and on JAX (whose data-parallel
    training averages a global batch), the loss is returned unchanged.

    Example:
        >>> float(per_replica_loss(keras.ops.convert_to_tensor(3.0)))  # no strategy: unchanged
        3.0
    """
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        if replicas > 1:
            loss = loss * ops.cast(1.0 / replicas, loss.dtype)
    return loss


def reconstruction_error(target, reconstruction, loss="mse", feature_reduction="mean"):
    """Per-sample reconstruction loss.

    Args:
        target: the clean data, shape ``(batch, ...)``.
        reconstruction: the model output, same shape as ``target``.
        loss: ``"mse"`` (squared error), ``"binary_crossentropy"`` (for data in [0, 1]
            read as Bernoulli means; the reconstruction must be a probability) or
            ``"categorical_crossentropy"`` (for non-negative counts, such as a document's word
            counts, read as a distribution over the features, ``target / sum(target)``; the
            reconstruction must be a probability vector, a softmax: with ``"sum"`` it is
            ``-sum_i (t_i / sum t) log p_i``).
        feature_reduction: ``"mean"`` or ``"sum"`` over every axis but the first. ``"sum"`` gives
            the per-image totals used by Hinton & Salakhutdinov and by the ELBO.

    Returns:
        A tensor of shape ``(batch,)``, computed in float32 when the reconstruction is bfloat16
        or float16 (a mixed-precision model): a sum over hundreds of features in a 16-bit float
        keeps only two or three significant digits.

    Example:
        >>> import numpy as np
        >>> x = np.array([[0.0, 1.0]], "float32"); x_hat = np.array([[0.5, 1.0]], "float32")
        >>> float(reconstruction_error(x, x_hat, feature_reduction="sum")[0])
        0.25
    """
    _check_choice("loss", loss, RECONSTRUCTION_LOSSES)
    _check_choice("feature_reduction", feature_reduction, FEATURE_REDUCTIONS)
    dtype = keras.backend.standardize_dtype(reconstruction.dtype)
    if dtype in ("bfloat16", "float16"):
        dtype = "float32"
        reconstruction = ops.cast(reconstruction, dtype)
    target = ops.cast(target, dtype)
    if loss == "mse":
        per_feature = ops.square(reconstruction - target)
    elif loss == "categorical_crossentropy":
        axes = tuple(range(1, len(target.shape)))
        total = ops.maximum(ops.sum(target, axis=axes, keepdims=True), _BCE_EPSILON)
        p = ops.maximum(reconstruction, _BCE_EPSILON)
        per_feature = -(target / total) * ops.log(p)
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
        decoder: a `keras.Model` (or layer) mapping codes back to the input space. When both
            shapes are known, the decoder's input must have the shape of the encoder's output.
        reconstruction_loss: ``"mse"`` (default), ``"binary_crossentropy"`` (data in [0, 1])
            or ``"categorical_crossentropy"`` (counts against a softmax output; see
            `reconstruction_error`).
        feature_reduction: how the loss of one sample is reduced over its features,
            ``"mean"`` (default, Keras' convention) or ``"sum"`` (per-image totals).
        **kwargs: passed to `keras.Model` (``name``, ...).

    Raises:
        TypeError: ``encoder`` or ``decoder`` is not a Keras layer or model.
        ValueError: a bad loss or reduction, or an encoder output that the decoder cannot read.

    The forward pass: ``model(x)`` returns the forward record, a dict with ``"code"`` and
    ``"reconstruction"`` (see `forward`). Training target: ``fit(x)`` reconstructs ``x``;
    ``fit(x_noisy, x_clean)`` trains towards ``x_clean`` (the denoising set-up). The loss is the
    mean over the batch of the per-sample reconstruction loss, plus every regularization term,
    plus any `add_loss` loss of a layer.

    Extending: a variant overrides the hook of the step it changes (`corrupt`, `encode_record`,
    `sample_code`), and adds loss terms in `regularization_terms`, naming each once in its
    constructor with `track_regularization`; each term is then reported as a metric of the same
    name by ``fit`` and ``evaluate``.

    Example:
        >>> from aelib.models import builders
        >>> encoder = builders.dense_encoder((784,), [64], code_dim=8)
        >>> decoder = builders.dense_decoder(8, [64], output_shape=(784,))
        >>> model = Autoencoder(encoder, decoder)
        >>> x = np.zeros((2, 784), "float32")
        >>> model.transform(x).shape, model.reconstruct(x).shape, model.score_samples(x).shape
        ((2, 8), (2, 784), (2,))
        >>> sorted(model(x))
        ['code', 'reconstruction']
    """

    # Whether the decoder reads the encoder's output as it is (a variational encoder outputs
    # the parameters of a distribution instead, and checks its widths itself).
    decoder_reads_code = True

    def __init__(
        self,
        encoder,
        decoder,
        reconstruction_loss="mse",
        feature_reduction="mean",
        **kwargs,
    ):
        _check_network("encoder", encoder)
        _check_network("decoder", decoder)
        _check_choice("reconstruction_loss", reconstruction_loss, RECONSTRUCTION_LOSSES)
        _check_choice("feature_reduction", feature_reduction, FEATURE_REDUCTIONS)
        if self.decoder_reads_code:
            _check_code_shapes(encoder, decoder)
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.reconstruction_loss = reconstruction_loss
        self.feature_reduction = feature_reduction
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self._regularization_trackers = {}

    # ------------------------------------------------------------------ loss terms
    def track_regularization(self, name):
        """Declares a regularization term ``name``; call it in a variant's constructor.

        Creates the metric that reports the term. Metrics must exist before training starts
        (JAX traces the train step once), so terms cannot be discovered on the fly.

        Args:
            name: a non-empty string, other than ``"reconstruction_loss"`` and the names
                already declared.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if name in self._regularization_trackers or name == "reconstruction_loss":
            raise ValueError(f"regularization term {name!r} is already tracked")
        tracker = keras.metrics.Mean(name=name)
        self._regularization_trackers[name] = tracker
        # Attribute assignment is what registers the metric with Keras.
        setattr(self, f"_regularization_tracker_{name}", tracker)

    def regularization_terms(self, record, training=False):
        """Extra loss terms of one forward pass; the base class has none.

        Args:
            record: the forward record of the batch (see `forward`), with ``"inputs"`` (the
                batch as given to the model) added by `compute_loss`.
            training: whether this is a training step.

        Returns:
            A dict ``{name: scalar tensor}``, each name declared with `track_regularization`.
            Each value is added to the loss as it is, so it should already carry its weight.
        """
        del record, training
        return {}

    # ------------------------------------------------------------------ hooks of the forward pass
    def corrupt(self, inputs, training=False):
        """The input the encoder sees; the identity here (a denoising variant corrupts it)."""
        del training
        return inputs

    def encode_record(self, inputs, training=False):
        """Runs the encoder: ``{"code": f(inputs)}``, plus anything a variant's loss needs
        from the same pass (the sparse variant adds ``"activations"`` of named layers)."""
        return {"code": self.encoder(inputs, training=training)}

    def sample_code(self, code, training=False):
        """What the decoder reads; the code itself here (a variational model samples it)."""
        del training
        return code

    def forward(self, inputs, training=False):
        """One forward pass as a record.

        Args:
            inputs: a batch of tensors.
            training: whether this is a training pass (noise and sampling depend on it).

        Returns:
            A dict of tensors: ``"code"`` and ``"reconstruction"`` always; ``"corrupted"`` when
            `corrupt` changed the input, ``"sampled_code"`` when `sample_code` changed the code,
            and what `encode_record` added.
        """
        record = {}
        corrupted = self.corrupt(inputs, training=training)
        if corrupted is not inputs:
            record["corrupted"] = corrupted
        record.update(self.encode_record(corrupted, training=training))
        decoded_from = self.sample_code(record["code"], training=training)
        if decoded_from is not record["code"]:
            record["sampled_code"] = decoded_from
        record["reconstruction"] = self.decoder(decoded_from, training=training)
        return record

    def call(self, inputs, training=None):
        """The forward record of ``inputs`` (see `forward`)."""
        return self.forward(inputs, training=bool(training))

    def encode(self, inputs, training=False):
        """Maps inputs to codes: tensors to tensors, and in inference a NumPy array to a NumPy
        array (checked as `transform` checks it; the kind of array `aelib.PCA.encode` returns).

        A NumPy batch is encoded in one eager call, which suits the small batches of a figure;
        `transform` goes through ``predict`` in batches, which suits whole data sets.
        """
        if isinstance(inputs, np.ndarray) and not training:
            inputs = self._check_inputs(inputs)
            return ops.convert_to_numpy(self.encode_record(inputs, training=False)["code"])
        return self.encode_record(inputs, training=training)["code"]

    def decode(self, code, training=False):
        """Maps codes to reconstructions: tensors to tensors, and in inference NumPy to NumPy."""
        if isinstance(code, np.ndarray) and not training:
            code = _data_array("code", code)
            return ops.convert_to_numpy(self.decoder(code, training=False))
        return self.decoder(code, training=training)

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
        """The loss of one batch, from its forward record ``y_pred`` alone."""
        record = dict(y_pred) if isinstance(y_pred, dict) else {"reconstruction": y_pred}
        record["inputs"] = x
        target = x if y is None else y
        per_sample = self.per_sample_loss(target, record["reconstruction"])
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
        terms = self.regularization_terms(record, training=training)
        unknown = set(terms) - set(self._regularization_trackers)
        if unknown:
            raise ValueError(
                f"regularization_terms returned {sorted(unknown)}, which were never declared; "
                "call track_regularization(name) in the constructor"
            )
        for name, value in terms.items():
            value = ops.cast(value, total.dtype)
            self._regularization_trackers[name].update_state(value, sample_weight=batch_size)
            total = total + value
        for loss in self.losses:  # kernel regularizers and add_loss of sub-layers
            total = total + ops.cast(ops.sum(loss), total.dtype)
        return per_replica_loss(total)

    # ------------------------------------------------------------------ training, guarded
    def fit(self, x=None, y=None, **kwargs):
        """`keras.Model.fit`, with the data checked first and a guard against NaN losses.

        Array data (``x``, ``y`` and ``validation_data``) must be non-empty, finite, of the
        encoder's input shape, and not uint8 images in [0, 255]; ``callbacks`` must be Keras
        callbacks. The model is built before training, so that
        `keras.callbacks.BackupAndRestore` can restore an interrupted run into it.

        Raises:
            ValueError: bad data, naming the parameter.
            TypeError: ``callbacks`` is not a list of `keras.callbacks.Callback`.
            FloatingPointError: the training loss became NaN or infinite; training stopped at
                the end of that epoch (lower the learning rate, or check the data).
        """
        x, y = checked_fit_data(self._check_inputs, x, y, kwargs.get("validation_data"))
        if _is_array(x):
            self._check_targets(x if y is None else y, "x" if y is None else "y")
            if not self.built:
                self.build((None,) + tuple(x.shape[1:]))
        return guarded_fit(super().fit, x, y, kwargs)

    def _check_inputs(self, x, parameter="x"):
        """``x`` as an array, checked: non-empty, finite, of the encoder's input shape."""
        return _checked_samples(self.encoder, x, parameter)

    def _check_targets(self, target, parameter):
        if self.reconstruction_loss == "binary_crossentropy":
            low, high = float(np.min(target)), float(np.max(target))
            if low < 0.0 or high > 1.0:
                raise ValueError(
                    f"{parameter} must lie in [0, 1] for reconstruction_loss="
                    f"'binary_crossentropy', got values in [{low:g}, {high:g}]; divide uint8 "
                    "images by 255"
                )

    # ------------------------------------------------------------------ the evaluation protocol
    def transform(self, x, batch_size=256):
        """The codes of ``x``, NumPy in, NumPy out (inference mode).

        Args:
            x: an array ``(n, *input_shape)``.
            batch_size: samples encoded at once.

        Returns:
            An array ``(n, *code_shape)``, or a list of arrays for an encoder with several
            outputs (RED-Net's code is its list of skipped feature maps).
        """
        x = self._check_inputs(x)
        batch_size = _positive_int("batch_size", batch_size)
        codes = self.encoder.predict(x, batch_size=batch_size, verbose=0)
        if isinstance(codes, (list, tuple)):
            return [np.asarray(code) for code in codes]
        return np.asarray(codes)

    def inverse_transform(self, code, batch_size=256):
        """Decodes codes: NumPy in, NumPy out (inference mode)."""
        code = _data_array("code", code)
        expected = _sample_shape(self.decoder)
        if expected is not None and not _shapes_agree(code.shape[1:], expected):
            raise ValueError(
                f"code has shape {tuple(code.shape[1:])} per sample, but the decoder takes "
                f"{expected}"
            )
        batch_size = _positive_int("batch_size", batch_size)
        return np.asarray(self.decoder.predict(code, batch_size=batch_size, verbose=0))

    def reconstruct(self, x, batch_size=256):
        """The reconstructions of ``x``, NumPy in, NumPy out (inference mode)."""
        x = self._check_inputs(x)
        batch_size = _positive_int("batch_size", batch_size)
        return np.asarray(self.predict(x, batch_size=batch_size, verbose=0)["reconstruction"])

    def score_samples(self, x, batch_size=256):
        """Per-sample scores with scikit-learn's sign: higher means more normal.

        Here the negative reconstruction loss of each sample (`per_sample_loss`), so a sample
        the model reconstructs badly gets a low score.

        Returns:
            A float64 array ``(n,)``.
        """
        x = self._check_inputs(x)
        reconstruction = self.reconstruct(x, batch_size=batch_size)
        loss = self.per_sample_loss(x.astype(reconstruction.dtype), reconstruction)
        return -np.asarray(ops.convert_to_numpy(loss), dtype=np.float64)

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


# ---------------------------------------------------------------------- guard rails
def checked_fit_data(check_inputs, x, y, validation_data):
    """``(x, y)`` for ``fit``, checked where they are arrays (datasets pass as they are).

    ``check_inputs(x, "x")`` checks and returns the inputs; ``y`` must be a non-empty finite
    array with as many samples; the arrays of ``validation_data`` (``x_val`` or a tuple) must
    be non-empty and finite. Raises ValueError naming the parameter.
    """
    if _is_array(x):
        x = check_inputs(x, "x")
        if y is not None and _is_array(y):
            y = _data_array("y", y)
            if len(y) != len(x):
                raise ValueError(f"x and y must hold as many samples, got {len(x)} and {len(y)}")
    if validation_data is not None:
        parts = (
            validation_data if isinstance(validation_data, (list, tuple)) else (validation_data,)
        )
        for i, part in enumerate(parts):
            if _is_array(part):
                _data_array(f"validation_data[{i}]", part)
    return x, y


def guarded_fit(fit, x, y, kwargs):
    """``fit(x, y, **kwargs)`` (a `keras.Model.fit`) with ``callbacks`` checked and a guard
    that stops training at the end of an epoch whose loss is NaN or infinite.

    Raises:
        TypeError: ``callbacks`` is not a list of `keras.callbacks.Callback`.
        FloatingPointError: the loss became NaN or infinite.
    """
    guard = _StopOnNonFiniteLoss()
    kwargs = dict(kwargs)
    kwargs["callbacks"] = check_callbacks("callbacks", kwargs.get("callbacks")) + [guard]
    history = fit(x, y, **kwargs)
    if guard.message:
        raise FloatingPointError(guard.message)
    return history


class _StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Stops training at the end of an epoch whose loss is NaN or infinite, and says so."""

    def __init__(self):
        super().__init__()
        self.message = None

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.model.stop_training = True
            self.message = (
                f"training stopped after epoch {epoch + 1}: the loss is {float(loss)}; the "
                "weights are no longer usable. Lower the learning rate, or check the data for "
                "values the loss cannot take"
            )


def _check_network(parameter, network):
    if not isinstance(network, keras.layers.Layer):
        raise TypeError(
            f"{parameter} must be a keras Model or Layer (e.g. from aelib.models.builders), "
            f"got {network!r}"
        )


def _known_shape(network, attribute):
    """``network.input_shape`` / ``output_shape`` when it is known and single, else None."""
    try:
        shape = getattr(network, attribute)
    except (AttributeError, ValueError, RuntimeError):
        return None
    if isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape):
        return shape
    return None


def _sample_shape(network):
    """The shape of one input sample of ``network``, or None when it is not known."""
    shape = _known_shape(network, "input_shape")
    return None if shape is None else tuple(shape[1:])


def _checked_samples(encoder, x, parameter):
    """``x`` as an array, checked: non-empty, finite, of ``encoder``'s input shape."""
    x = _data_array(parameter, x)
    expected = _sample_shape(encoder)
    if expected is not None and not _shapes_agree(x.shape[1:], expected):
        raise ValueError(
            f"{parameter} has samples of shape {tuple(x.shape[1:])}, but the encoder takes "
            f"samples of shape {expected}"
        )
    return x


def _shapes_agree(shape, expected):
    return len(shape) == len(expected) and all(
        e is None or s is None or s == e for s, e in zip(shape, expected)
    )


def _check_code_shapes(encoder, decoder):
    produced = _known_shape(encoder, "output_shape")
    read = _known_shape(decoder, "input_shape")
    if produced is not None and read is not None and not _shapes_agree(produced[1:], read[1:]):
        raise ValueError(
            f"the encoder outputs codes of shape {produced[1:]} but the decoder takes inputs of "
            f"shape {read[1:]}; give the decoder the encoder's code size"
        )


def _is_array(value):
    """Arrays and tensors (checked), not datasets or generators (passed on as they are)."""
    return isinstance(value, np.ndarray) or (
        hasattr(value, "shape") and hasattr(value, "dtype") and hasattr(value, "__array__")
    )
