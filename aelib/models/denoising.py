"""Denoising autoencoders (Vincent et al., 2008, 2010): corrupt the input, restore the clean one.

A denoising autoencoder draws a corrupted version ``x_tilde ~ q(x_tilde | x)`` of each training
input and is trained so that ``g(f(x_tilde))`` is close to the *clean* ``x``. Copying its input is
then no longer a solution, even with an overcomplete code: the model has to learn what clean data
look like in order to undo the corruption.

This module holds:

* three corruption processes, as Keras layers that are active only in training (the identity when
  ``training`` is False or None), seeded with a `keras.random.SeedGenerator` so that they draw
  fresh noise at every step of a compiled train step, on TensorFlow and on JAX:

  - `GaussianNoise`: additive isotropic Gaussian noise, ``x_tilde = x + sigma * epsilon``;
  - `BlindGaussianNoise`: the same with sigma drawn per sample from a range (blind denoising);
  - `MaskingNoise`: each entry is set to 0 with probability ``rate``;
  - `SaltAndPepperNoise`: each entry is, with probability ``rate``, set to a low or a high value
    (the input's minimum or maximum, or given bounds), each with probability 1/2;

* `DenoisingAutoencoder`, an `aelib.Autoencoder` that passes its input through a noise layer in
  training only, while the loss keeps comparing the reconstruction with the clean input.

Everything inside the layers and the model is ``keras``, ``keras.ops`` and ``keras.random``.
"""

from __future__ import annotations

import keras
from keras import ops

from aelib._validation import fraction as _check_fraction
from aelib._validation import non_negative as _check_non_negative
from aelib._validation import real as _check_real
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import Autoencoder


class _Corruption(keras.layers.Layer):
    """Shared behaviour of the noise layers: training-only, seeded, shape-preserving."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = _check_seed_value(seed)
        # seed=None draws the generator's seed from Python's `random`, which
        # `aelib.seed_everything` seeds, so an unseeded layer is still repeatable.
        self.seed_generator = keras.random.SeedGenerator(self.seed)
        self.supports_masking = True
        # No weights to create: built now, as Keras' own noise layers are, so that a loaded
        # model never meets an unbuilt layer.
        self.built = True

    def call(self, inputs, training=None):
        # Identity (the very same tensor) at inference: predictions must never be corrupted.
        if not training:
            return inputs
        return self.corrupt(ops.cast(inputs, self.compute_dtype))

    def corrupt(self, inputs):
        """Returns a corrupted copy of ``inputs``; subclasses implement it."""
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="aelib")
class GaussianNoise(_Corruption):
    """Additive isotropic Gaussian noise, active only in training.

    ``x_tilde = x + stddev * epsilon`` with ``epsilon ~ N(0, I)`` drawn afresh for every entry
    of every call. Unlike ``keras.layers.GaussianNoise``, ``stddev`` may exceed 1 (data need not
    lie in [0, 1]).

    Args:
        stddev: the standard deviation sigma of the noise, a real number >= 0.
        seed: ``None`` or a non-negative integer, the seed of the layer's
            `keras.random.SeedGenerator`.
        **kwargs: passed to `keras.layers.Layer` (``name``, ...).

    Returns:
        Called on ``inputs`` with ``training=True``: the noisy inputs (same shape); otherwise the
        inputs unchanged.

    Example:
        >>> import numpy as np
        >>> layer = GaussianNoise(0.5, seed=0)
        >>> x = np.zeros((2, 3), "float32")
        >>> bool(np.all(np.asarray(layer(x)) == x))  # inference: no noise
        True
        >>> np.asarray(layer(x, training=True)).shape
        (2, 3)
    """

    def __init__(self, stddev, seed=None, **kwargs):
        stddev = _check_non_negative("stddev", stddev)
        super().__init__(seed=seed, **kwargs)
        self.stddev = stddev

    def corrupt(self, inputs):
        noise = keras.random.normal(
            ops.shape(inputs),
            stddev=self.stddev,
            dtype=self.compute_dtype,
            seed=self.seed_generator,
        )
        return inputs + noise

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev}


@keras.saving.register_keras_serializable(package="aelib")
class BlindGaussianNoise(_Corruption):
    """Additive Gaussian noise whose level is drawn per sample, active only in training.

    Each sample of a batch gets its own ``sigma ~ U[min_stddev, max_stddev]`` and then
    ``x_tilde = x + sigma * epsilon``. A denoiser trained with it meets every noise level of the
    range and must estimate the level from the image: a *blind* denoiser (DnCNN-B, Zhang et al.
    2017, trained over sigma in [0, 55] on the [0, 255] scale).

    Args:
        min_stddev: the smallest sigma, a real number >= 0.
        max_stddev: the largest sigma, >= ``min_stddev``.
        seed: ``None`` or a non-negative integer, the seed of the layer's
            `keras.random.SeedGenerator`.
        **kwargs: passed to `keras.layers.Layer`.

    Returns:
        Called with ``training=True``: the noisy inputs; otherwise the inputs unchanged.

    Example:
        >>> import numpy as np
        >>> layer = BlindGaussianNoise(0.0, 0.2, seed=0)
        >>> noisy = np.asarray(layer(np.zeros((500, 400), "float32"), training=True))
        >>> levels = noisy.std(axis=1)  # one sigma per sample, spread over [0, 0.2]
        >>> bool(levels.min() < 0.02 and levels.max() > 0.18 and levels.max() < 0.22)
        True
    """

    def __init__(self, min_stddev, max_stddev, seed=None, **kwargs):
        min_stddev = _check_non_negative("min_stddev", min_stddev)
        max_stddev = _check_non_negative("max_stddev", max_stddev)
        if max_stddev < min_stddev:
            raise ValueError(
                f"max_stddev must be >= min_stddev, got min_stddev={min_stddev!r} and "
                f"max_stddev={max_stddev!r}"
            )
        super().__init__(seed=seed, **kwargs)
        self.min_stddev, self.max_stddev = min_stddev, max_stddev

    def corrupt(self, inputs):
        shape = ops.shape(inputs)
        per_sample = (shape[0],) + (1,) * (len(inputs.shape) - 1)
        sigma = keras.random.uniform(
            per_sample,
            self.min_stddev,
            self.max_stddev,
            dtype=self.compute_dtype,
            seed=self.seed_generator,
        )
        noise = keras.random.normal(shape, dtype=self.compute_dtype, seed=self.seed_generator)
        return inputs + sigma * noise

    def get_config(self):
        return {
            **super().get_config(),
            "min_stddev": self.min_stddev,
            "max_stddev": self.max_stddev,
        }


@keras.saving.register_keras_serializable(package="aelib")
class MaskingNoise(_Corruption):
    """Masking noise: entries set to 0 at random, active only in training.

    Each entry is set to 0 independently with probability ``rate`` (so the masked fraction is
    ``rate`` on average, not exactly ``rate`` in each example as in Vincent et al., who masked
    a fixed number of entries per example; for 784 pixels the two hardly differ). The other
    entries are kept as they are, with no rescaling (unlike dropout).

    Args:
        rate: the probability nu of masking an entry, in [0, 1].
        seed: ``None`` or a non-negative integer, the seed of the layer's
            `keras.random.SeedGenerator`.
        **kwargs: passed to `keras.layers.Layer`.

    Returns:
        Called with ``training=True``: the masked inputs; otherwise the inputs unchanged.

    Example:
        >>> import numpy as np
        >>> x = np.ones((1, 1000), "float32")
        >>> masked = np.asarray(MaskingNoise(1.0, seed=0)(x, training=True))
        >>> float(masked.max())
        0.0
    """

    def __init__(self, rate, seed=None, **kwargs):
        rate = _check_fraction("rate", rate)
        super().__init__(seed=seed, **kwargs)
        self.rate = rate

    def corrupt(self, inputs):
        # uniform draws lie in [0, 1): rate 0 masks nothing and rate 1 masks everything.
        draws = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator)
        return ops.where(draws < self.rate, ops.zeros_like(inputs), inputs)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}


@keras.saving.register_keras_serializable(package="aelib")
class SaltAndPepperNoise(_Corruption):
    """Salt-and-pepper noise: entries set to a low or a high value, active only in training.

    Each entry is corrupted independently with probability ``rate``; a corrupted entry becomes
    ``low`` or ``high`` with probability 1/2 each, the rest are kept.

    What "low" and "high" are: the given ``low`` and ``high`` when set (0 and 1 for images in
    [0, 1], the minimum and maximum *possible* values of Vincent et al., 2010); when ``None``,
    the minimum (for ``low``) or maximum (for ``high``) of each example over its own entries,
    so the corruption of an example never depends on the other examples of its batch.

    Args:
        rate: the probability nu of corrupting an entry, in [0, 1].
        low: the "pepper" value, a finite real number, or ``None`` for each example's minimum.
        high: the "salt" value, a finite real number, or ``None`` for each example's maximum.
            When both are given, ``low < high`` is required.
        seed: ``None`` or a non-negative integer, the seed of the layer's
            `keras.random.SeedGenerator`.
        **kwargs: passed to `keras.layers.Layer`.

    Returns:
        Called with ``training=True``: the corrupted inputs; otherwise the inputs unchanged.

    Example:
        >>> import numpy as np
        >>> x = np.full((1, 1000), 0.5, "float32")
        >>> noisy = np.asarray(SaltAndPepperNoise(1.0, low=0.0, high=1.0, seed=0)(x, training=True))
        >>> sorted(set(noisy.ravel().tolist()))
        [0.0, 1.0]
    """

    def __init__(self, rate, low=None, high=None, seed=None, **kwargs):
        rate = _check_fraction("rate", rate)
        low = None if low is None else _check_real("low", low)
        high = None if high is None else _check_real("high", high)
        if low is not None and high is not None and not low < high:
            raise ValueError(f"low must be smaller than high, got low={low!r} and high={high!r}")
        super().__init__(seed=seed, **kwargs)
        self.rate, self.low, self.high = rate, low, high

    def corrupt(self, inputs):
        feature_axes = tuple(range(1, len(inputs.shape))) or None
        if self.low is None:
            low = ops.min(inputs, axis=feature_axes, keepdims=True)
        else:
            low = ops.full_like(inputs, self.low)
        if self.high is None:
            high = ops.max(inputs, axis=feature_axes, keepdims=True)
        else:
            high = ops.full_like(inputs, self.high)
        corrupted = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) < self.rate
        salt = keras.random.uniform(ops.shape(inputs), seed=self.seed_generator) < 0.5
        replacement = ops.where(salt, high, low)
        return ops.where(corrupted, replacement, inputs)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "low": self.low, "high": self.high}


@keras.saving.register_keras_serializable(package="aelib")
class DenoisingAutoencoder(Autoencoder):
    """An autoencoder trained to reconstruct clean inputs from corrupted ones.

    In training, the `corrupt` hook passes the input through ``noise`` and the model
    reconstructs the result,
    ``g(f(x_tilde))``; the loss compares it with the clean target: ``x`` itself for ``fit(x)``,
    or ``y`` for ``fit(x, y)``. With ``fit(x_noisy, x_clean)`` the noise layer corrupts
    ``x_noisy`` further; for fixed noisy/clean pairs with no extra corruption use a noise layer
    with level 0 (e.g. ``MaskingNoise(0.0)``), or the plain `aelib.Autoencoder`. At inference
    (``evaluate``, ``predict``, ``reconstruct``, ``transform``) nothing is corrupted.

    Args:
        encoder: a `keras.Model` (or layer) mapping inputs to codes.
        decoder: a `keras.Model` (or layer) mapping codes back to the input space.
        noise: the corruption process q(x_tilde | x), a `keras.layers.Layer` that corrupts only
            when called with ``training=True``: `GaussianNoise`, `MaskingNoise`,
            `SaltAndPepperNoise`, or any serializable layer of that kind.
        reconstruction_loss: ``"mse"`` (default) or ``"binary_crossentropy"``.
        feature_reduction: ``"mean"`` (default) or ``"sum"`` over the features of a sample.
        **kwargs: passed to `keras.Model`.

    Returns:
        Called on inputs, the forward record; in training it holds the ``"corrupted"`` inputs,
        and ``"reconstruction"`` is the reconstruction of those.

    Example:
        >>> import numpy as np
        >>> from aelib.models import builders
        >>> model = DenoisingAutoencoder(builders.dense_encoder((784,), [64], 32),
        ...                              builders.dense_decoder(32, [64], (784,)),
        ...                              noise=MaskingNoise(0.25, seed=0))
        >>> model.compile(optimizer="adam")
        >>> model.reconstruct(np.zeros((2, 784), "float32")).shape
        (2, 784)
    """

    def __init__(
        self, encoder, decoder, noise, reconstruction_loss="mse", feature_reduction="mean", **kwargs
    ):
        if not isinstance(noise, keras.layers.Layer):
            raise ValueError(
                "noise must be a keras.layers.Layer that corrupts its input in training "
                f"(e.g. GaussianNoise, MaskingNoise, SaltAndPepperNoise), got {noise!r}"
            )
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss=reconstruction_loss,
            feature_reduction=feature_reduction,
            **kwargs,
        )
        self.noise = noise

    def corrupt(self, inputs, training=False):
        """The noise layer applied to ``inputs``: corrupted if ``training``, else unchanged."""
        return self.noise(inputs, training=training)

    def get_config(self):
        return {**super().get_config(), "noise": keras.saving.serialize_keras_object(self.noise)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["noise"] = keras.saving.deserialize_keras_object(config["noise"])
        return super().from_config(config)
