"""Deep SVDD (Ruff et al., 2018): one-class detection by a hypersphere around normal codes.

Deep Support Vector Data Description trains a network ``phi`` to map the normal training data
close to a fixed centre ``c`` of its output space, minimizing

    mean_i ||phi(x_i) - c||^2 + (lambda / 2) sum_l ||W_l||^2

(the *one-class* objective; ``lambda`` is the weight decay). The squared distance
``||phi(x) - c||^2`` is then the anomaly score: data unlike the training data land farther out.
Two choices keep the network from the trivial solution that maps everything onto ``c``:

* the centre is not learned: it is the mean of ``phi`` over the training data before training
  (after an autoencoder pretrained the encoder), with coordinates near zero pushed out to
  ``+-center_eps``;
* the network has no bias terms (a constant output would reach ``c`` exactly) -- which is why
  `DeepSVDD` refuses an encoder with biases unless ``allow_bias=True``.

Ruff et al. pretrain ``phi`` as the encoder of a convolutional autoencoder; pass that trained
encoder (or a copy, to keep the autoencoder) to `DeepSVDD`.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import boolean as _boolean
from aelib._validation import non_negative as _non_negative
from aelib._validation import positive_int as _positive_int
from aelib.models.autoencoder import (
    _check_network,
    _checked_samples,
    _sample_shape,
    guarded_fit,
    per_replica_loss,
)

__all__ = ["DeepSVDD", "bias_layers"]


def bias_layers(network):
    """Names of the layers of ``network`` (nested ones included) that add a learned offset: a
    ``use_bias=True`` layer (Dense, convolutions) or a normalization with ``center=True``.

    Example:
        >>> encoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="d")])
        >>> bias_layers(encoder)
        ['d']
    """
    found = []
    # Keras tracks every sublayer, wrapped ones (TimeDistributed, Bidirectional) and those
    # held as attributes of a custom layer included; `_flatten_layers` walks them all.
    for layer in network._flatten_layers(include_self=True, recursive=True):
        offset = (
            getattr(layer, "use_bias", False) is True
            or getattr(layer, "center", False) is True
            or getattr(layer, "bias_axes", None) not in (None, "")
        )
        if offset and layer.name not in found:
            found.append(layer.name)
    return found


@keras.saving.register_keras_serializable(package="aelib")
class DeepSVDD(keras.Model):
    """One-class Deep SVDD: a bias-free network trained to pull normal data onto a centre.

    Args:
        encoder: the network ``phi``, a `keras.Model` from inputs to vectors,
            typically the pretrained encoder of an autoencoder. Its input shape must be known
            for the checks of ``fit``.
        center_eps: after the centre is set from the mean code, each coordinate with
            ``|c_j| < center_eps`` becomes ``+center_eps`` or ``-center_eps`` (its sign; 0 goes
            to ``+``), so that no unit can reach the centre by dying. Ruff et al. use 0.1.
        weight_decay: ``lambda`` of the objective's ``(lambda / 2) sum ||W||^2`` over the
            encoder's trainable weights (Ruff et al.: 0.5e-6 to 1e-6).
        allow_bias: ``False`` (default) refuses an encoder with bias terms, which let the
            network collapse onto the centre; ``True`` accepts one (for experiments).
        **kwargs: passed to `keras.Model`.

    Returns:
        Called on inputs, the codes ``phi(x)``.

    Raises:
        TypeError: ``encoder`` is not a Keras model, or ``allow_bias`` is not a boolean.
        ValueError: a negative ``center_eps`` or ``weight_decay``, or an encoder with bias
            terms (the message names its layers) when ``allow_bias`` is ``False``, or an
            encoder whose output is not one vector per sample.

    ``fit(x)`` sets the centre from ``x`` first (unless `initialize_center` or an earlier
    ``fit`` set it), then trains; ``score_samples(x)`` is minus the squared distance to the
    centre (scikit-learn's sign: higher = more normal). Training reports ``"distance"`` (the
    mean squared distance of the batch) and ``"weight_decay"`` beside ``"loss"``.

    Example:
        >>> import numpy as np
        >>> encoder = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, use_bias=False)])
        >>> model = DeepSVDD(encoder, weight_decay=0.0)
        >>> x = np.ones((4, 3), "float32")
        >>> center = model.initialize_center(x)  # the mean code, pushed away from 0
        >>> bool(np.all(np.abs(center) >= 0.1))
        True
        >>> model.score_samples(x).shape
        (4,)
    """

    def __init__(self, encoder, center_eps=0.1, weight_decay=1e-6, allow_bias=False, **kwargs):
        _check_network("encoder", encoder)
        center_eps = _non_negative("center_eps", center_eps)
        weight_decay = _non_negative("weight_decay", weight_decay)
        if not isinstance(encoder, keras.Model):
            raise TypeError(
                f"encoder must be a keras.Model (e.g. keras.Sequential([keras.Input(shape), "
                f"layer])), got {type(encoder).__name__}"
            )
        allow_bias = _boolean("allow_bias", allow_bias)
        offsets = bias_layers(encoder)
        if offsets and not allow_bias:
            raise ValueError(
                f"encoder has bias terms in layers {offsets}: with them Deep SVDD can map every "
                "input onto the centre. Build it with use_bias=False (and normalizations with "
                "center=False), or pass allow_bias=True"
            )
        super().__init__(**kwargs)
        self.encoder = encoder
        self.center_eps = center_eps
        self.weight_decay = weight_decay
        self.allow_bias = allow_bias
        self.distance_tracker = keras.metrics.Mean(name="distance")
        self.weight_decay_tracker = keras.metrics.Mean(name="weight_decay")
        if _sample_shape(encoder) is not None:
            self.build((None,) + _sample_shape(encoder))

    def build(self, input_shape):
        if not self.encoder.built:
            self.encoder.build(input_shape)
        output_shape = self.encoder.compute_output_shape(input_shape)
        if not isinstance(output_shape, tuple) or len(output_shape) != 2:
            raise ValueError(
                f"encoder must output one vector per sample, shape (batch, code_dim), got "
                f"{output_shape}; end it with Flatten or Dense"
            )
        code_dim = output_shape[-1]
        # Not trained, but saved with the model: the centre is part of what was learned.
        self.center = self.add_weight(
            shape=(code_dim,), initializer="zeros", trainable=False, name="center"
        )
        self.center_is_set = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="center_is_set"
        )
        self.built = True

    def call(self, inputs, training=None):
        """The codes ``phi(inputs)``."""
        return self.encoder(inputs, training=bool(training))

    def squared_distance(self, codes):
        """``||codes - c||^2`` per sample, shape ``(batch,)``."""
        return ops.sum(ops.square(codes - ops.cast(self.center, codes.dtype)), axis=-1)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The one-class objective of one batch: mean squared distance plus weight decay."""
        del x, y, training
        distances = self.squared_distance(y_pred)
        if sample_weight is not None:
            weights = ops.cast(ops.reshape(sample_weight, (-1,)), distances.dtype)
            distance = ops.sum(distances * weights) / ops.maximum(ops.sum(weights), 1e-12)
        else:
            distance = ops.mean(distances)
        decay = ops.zeros((), distance.dtype)
        if self.weight_decay:
            for weight in self.encoder.trainable_weights:
                decay = decay + ops.sum(ops.square(ops.cast(weight, distance.dtype)))
            decay = 0.5 * self.weight_decay * decay
        batch_size = ops.shape(distances)[0]
        self.distance_tracker.update_state(distance, sample_weight=batch_size)
        self.weight_decay_tracker.update_state(decay, sample_weight=batch_size)
        total = distance + decay
        for loss in self.losses:
            total = total + ops.cast(ops.sum(loss), total.dtype)
        return per_replica_loss(total)

    # ------------------------------------------------------------------ the centre
    def initialize_center(self, x, batch_size=256):
        """Sets the centre to the mean code of ``x`` (inference mode), then moves each
        coordinate with ``|c_j| < center_eps`` out to ``+-center_eps``.

        Args:
            x: the normal training data.
            batch_size: samples encoded at once.

        Returns:
            The centre, a float64 NumPy array ``(code_dim,)``.
        """
        codes = self.transform(x, batch_size=batch_size).astype(np.float64)
        center = codes.mean(axis=0)
        small = np.abs(center) < self.center_eps
        center[small] = np.where(center[small] < 0, -self.center_eps, self.center_eps)
        self.center.assign(center.astype(self.center.dtype))
        self.center_is_set.assign(1.0)
        return center

    @property
    def center_(self):
        """The centre as a NumPy array, or ``None`` before `initialize_center` or ``fit``."""
        if not self.built or float(ops.convert_to_numpy(self.center_is_set)) == 0.0:
            return None
        return np.asarray(ops.convert_to_numpy(self.center), dtype=np.float64)

    # ------------------------------------------------------------------ training
    def fit(self, x=None, y=None, **kwargs):
        """`keras.Model.fit` on normal data ``x``; ``y`` is ignored (`aelib.fit` passes
        ``x``). Sets the centre from ``x`` first when it is not set yet.

        Raises:
            ValueError: ``x`` is not a non-empty, finite array of the encoder's input shape.
            TypeError: ``callbacks`` is not a list of `keras.callbacks.Callback`.
            FloatingPointError: the loss became NaN or infinite.
        """
        del y
        x = self._check_inputs(x)
        if self.center_ is None:
            self.initialize_center(x)
        return guarded_fit(super().fit, x, None, kwargs)

    # ------------------------------------------------------------------ the evaluation protocol
    def transform(self, x, batch_size=256):
        """The codes ``phi(x)``, NumPy in, NumPy out (inference mode)."""
        x = self._check_inputs(x)
        batch_size = _positive_int("batch_size", batch_size)
        return np.asarray(self.encoder.predict(x, batch_size=batch_size, verbose=0))

    def distances(self, x, batch_size=256):
        """Squared distances ``||phi(x) - c||^2`` to the centre, float64 ``(n,)``."""
        center = self.center_
        if center is None:
            raise ValueError("the centre is not set: call fit(x) or initialize_center(x) first")
        codes = self.transform(x, batch_size=batch_size).astype(np.float64)
        return np.sum((codes - center) ** 2, axis=1)

    def score_samples(self, x, batch_size=256):
        """Minus the squared distance to the centre: higher means more normal."""
        return -self.distances(x, batch_size=batch_size)

    def _check_inputs(self, x, parameter="x"):
        if x is None:
            raise ValueError(f"{parameter} must be an array of normal samples, got None")
        x = _checked_samples(self.encoder, x, parameter)
        if not self.built:
            self.build((None,) + tuple(x.shape[1:]))
        return x

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "center_eps": self.center_eps,
                "weight_decay": self.weight_decay,
                "allow_bias": self.allow_bias,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        return cls(**config)
