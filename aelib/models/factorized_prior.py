"""Ballé et al.'s factorized-prior image codec: GDN transforms and a learned entropy bottleneck.

The model of Ballé, Minnen, Singh, Hwang & Johnston (2018, "Variational image compression with
a scale hyperprior", the "factorized prior" baseline of its section 4; CompressAI's
``bmshj2018-factorized``):

* an **analysis transform** ``g_a``: four 5x5 convolutions of stride 2 with generalized divisive
  normalization (`GDN`) between them, from the RGB image to a latent ``y`` with ``M`` channels
  at 1/16 of the image's height and width;
* **quantization**: in training ``y`` plus uniform noise on ``[-1/2, 1/2)`` (a differentiable
  stand-in for rounding, whose density is the latent density convolved with a box); at test
  ``round(y)``;
* an **entropy bottleneck** (`EntropyBottleneck`): a learned, factorized density per latent
  channel, whose probability of the integer interval around each value is the rate model:
  ``R = sum -log2 P(y_hat)`` bits;
* a **synthesis transform** ``g_s``: four 5x5 transposed convolutions of stride 2 with inverse
  GDN between them, back to the image.

Training minimizes ``R + lambda * D`` per image, with ``R`` in bits per pixel and ``D`` the mean
squared error on the [0, 255] scale (`FactorizedPriorAutoencoder.compute_loss`); one model per
``lambda``. Turning the rounded latent into a real file is `aelib.compression`'s job.

Under the ``mixed_bfloat16`` policy the strided convolutions and GDN run in bfloat16, while the
last analysis convolution (so ``y`` itself), the first synthesis convolution, the entropy
bottleneck, the output and the loss stay float32: bfloat16 keeps 8 bits of mantissa, too few to
resolve the quantization interval of a latent of magnitude 30.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from aelib._validation import positive_int, real

#: The smallest probability the rate model gives an interval (Ballé et al.'s likelihood bound).
LIKELIHOOD_BOUND = 1e-9
# Off-diagonal GDN weights start at this square root of a tiny value instead of 0: gamma is
# parameterized as its square root, whose gradient vanishes at exactly 0 (CompressAI's pedestal).
_GDN_PEDESTAL_ROOT = 2.0**-18


@keras.saving.register_keras_serializable(package="aelib")
class GDN(keras.layers.Layer):
    """Generalized divisive normalization (Ballé, Laparra & Simoncelli 2016), channels last.

    ``y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j**2)``, or with ``inverse=True`` (the
    synthesis transform's "IGDN") ``y_i = x_i * sqrt(beta_i + sum_j gamma_ij x_j**2)``. Both
    ``beta > 0`` and ``gamma >= 0`` are learned through square roots: ``beta = b**2 + beta_min``
    and ``gamma = g**2``. Initially ``beta = 1`` and ``gamma = 0.1 I``, so the layer starts as
    ``x / sqrt(1 + 0.1 x**2)``.

    Args:
        inverse: the inverse normalization (multiply instead of divide).
        beta_min: the floor of ``beta`` (keeps the denominator away from 0).
        **kwargs: `keras.layers.Layer` arguments (``name``, ``dtype``).

    Example:
        >>> layer = GDN()
        >>> x = np.array([[[[1.0, 0.0], [3.0, -2.0]]]], "float32")  # (1, 1, 2, 2)
        >>> np.round(keras.ops.convert_to_numpy(layer(x)), 4)
        array([[[[ 0.9535,  0.    ],
                 [ 2.1764, -1.6903]]]], dtype=float32)
    """

    def __init__(self, inverse=False, beta_min=1e-6, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(inverse, bool):
            raise ValueError(f"inverse must be True or False, got {inverse!r}")
        self.inverse = inverse
        self.beta_min = real("beta_min", beta_min, low=0.0, low_open=True)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("GDN needs a known number of channels (the last axis)")
        self.beta_root = self.add_weight(
            name="beta_root",
            shape=(channels,),
            initializer=keras.initializers.Constant(math.sqrt(1.0 - self.beta_min)),
        )
        root = np.full((channels, channels), _GDN_PEDESTAL_ROOT, "float32")
        np.fill_diagonal(root, math.sqrt(0.1))
        self.gamma_root = self.add_weight(
            name="gamma_root",
            shape=(channels, channels),
            initializer=keras.initializers.Constant(root),
        )

    def call(self, x):
        beta = ops.square(self.beta_root) + self.beta_min
        gamma = ops.square(self.gamma_root)
        norm = ops.matmul(ops.square(x), ops.transpose(gamma)) + beta
        return x * ops.sqrt(norm) if self.inverse else x * ops.rsqrt(norm)

    def get_config(self):
        config = super().get_config()
        config.update({"inverse": self.inverse, "beta_min": self.beta_min})
        return config


@keras.saving.register_keras_serializable(package="aelib")
class EntropyBottleneck(keras.layers.Layer):
    """A learned factorized density per channel, and the probability of each quantized value.

    Ballé et al. (2018, appendix 6.1): for each channel, a cumulative distribution function
    ``c(x) = sigmoid(f_K(... f_1(x)))``, each ``f_k(x) = h_k(H_k x + b_k)`` with
    ``h_k(u) = u + tanh(a_k) * tanh(u)`` (the last without it), ``H_k = softplus(·)`` so ``c``
    is increasing. ``filters=(3, 3, 3)`` gives the chain 1 -> 3 -> 3 -> 3 -> 1. The
    probability of a (noisy or rounded) value ``y`` is ``c(y + 1/2) - c(y - 1/2)``, computed
    from the logits in the tail where it is more accurate, and bounded below by
    `LIKELIHOOD_BOUND`.

    In training the layer adds uniform noise on ``[-1/2, 1/2)`` to its input; otherwise it
    rounds. It returns the quantized latent and its probabilities (float32, same shape).

    Args:
        filters: the widths of the hidden layers of each channel's density.
        init_scale: the initial scale of the densities (wide, so that training starts with a
            density that covers the latent values).
        seed: the seed of the training noise (``None``: from `keras.utils.set_random_seed`).
        **kwargs: `keras.layers.Layer` arguments; ``dtype`` is always float32.

    Example:
        >>> bottleneck = EntropyBottleneck()
        >>> y = np.zeros((1, 2, 2, 3), "float32")
        >>> y_hat, p = bottleneck(y)
        >>> tuple(p.shape), bool(keras.ops.all((p > 0) & (p <= 1)))
        ((1, 2, 2, 3), True)
    """

    def __init__(self, filters=(3, 3, 3), init_scale=10.0, seed=None, **kwargs):
        kwargs["dtype"] = "float32"  # a rate model in bfloat16 would be too coarse
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        if isinstance(filters, int) or not all(
            isinstance(f, int) and not isinstance(f, bool) and f > 0 for f in filters
        ):
            raise ValueError(f"filters must be a tuple of positive ints, got {filters!r}")
        self.filters = tuple(int(f) for f in filters)
        self.init_scale = real("init_scale", init_scale, low=0.0, low_open=True)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("EntropyBottleneck needs a known number of channels (the last axis)")
        self.channels = int(channels)
        dims = (1,) + self.filters + (1,)
        scale = self.init_scale ** (1.0 / (len(self.filters) + 1))
        self.matrices, self.biases, self.factors = [], [], []
        for k in range(len(dims) - 1):
            init = math.log(math.expm1(1.0 / scale / dims[k + 1]))
            self.matrices.append(
                self.add_weight(
                    name=f"matrix_{k}",
                    shape=(self.channels, dims[k + 1], dims[k]),
                    initializer=keras.initializers.Constant(init),
                )
            )
            self.biases.append(
                self.add_weight(
                    name=f"bias_{k}",
                    shape=(self.channels, dims[k + 1], 1),
                    initializer=keras.initializers.RandomUniform(-0.5, 0.5),
                )
            )
            if k < len(dims) - 2:
                self.factors.append(
                    self.add_weight(
                        name=f"factor_{k}",
                        shape=(self.channels, dims[k + 1], 1),
                        initializer="zeros",
                    )
                )

    def logits_cumulative(self, values):
        """The logit of each channel's cumulative at ``values``, shape ``(channels, 1, n)``."""
        logits = values
        for k, (matrix, bias) in enumerate(zip(self.matrices, self.biases)):
            logits = ops.matmul(ops.softplus(matrix), logits) + bias
            if k < len(self.factors):
                logits = logits + ops.tanh(self.factors[k]) * ops.tanh(logits)
        return logits

    def probabilities(self, y_hat):
        """``P(y_hat) = c(y_hat + 1/2) - c(y_hat - 1/2)`` per value, channels last, float32."""
        y_hat = ops.cast(y_hat, "float32")
        shape = ops.shape(y_hat)
        rank = len(y_hat.shape)
        perm = (rank - 1,) + tuple(range(rank - 1))
        values = ops.reshape(ops.transpose(y_hat, perm), (self.channels, 1, -1))
        lower = self.logits_cumulative(values - 0.5)
        upper = self.logits_cumulative(values + 0.5)
        # Both logits in the same tail: subtract survival functions there instead of CDFs.
        sign = -ops.sign(lower + upper)
        p = ops.abs(ops.sigmoid(sign * upper) - ops.sigmoid(sign * lower))
        p = ops.maximum(p, LIKELIHOOD_BOUND)
        moved = ops.reshape(p, (self.channels,) + tuple(shape[i] for i in range(rank - 1)))
        inverse = tuple(range(1, rank)) + (0,)
        return ops.transpose(moved, inverse)

    def call(self, y, training=False):
        y = ops.cast(y, "float32")
        if training:
            noise = keras.random.uniform(ops.shape(y), -0.5, 0.5, seed=self.seed_generator)
            y_hat = y + noise
        else:
            y_hat = ops.round(y)
        return y_hat, self.probabilities(y_hat)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "init_scale": self.init_scale, "seed": self.seed})
        return config


def analysis_transform(filters=128, latent_channels=192, name="analysis"):
    """``g_a``: image (..., 3) in [0, 1] -> latent (..., latent_channels) at 1/16 the size.

    Args:
        filters: ``N``, the channels of the three hidden feature maps.
        latent_channels: ``M``, the channels of the latent.
        name: the model's name.

    Returns:
        A `keras.Sequential`: conv 5x5/2, GDN, conv 5x5/2, GDN, conv 5x5/2, GDN, conv 5x5/2
        (the last in float32).
    """
    filters = positive_int("filters", filters)
    latent_channels = positive_int("latent_channels", latent_channels)
    layers = []
    for i in range(3):
        layers += [
            keras.layers.Conv2D(filters, 5, strides=2, padding="same", name=f"conv_{i}"),
            GDN(name=f"gdn_{i}"),
        ]
    layers.append(
        keras.layers.Conv2D(
            latent_channels, 5, strides=2, padding="same", dtype="float32", name="conv_3"
        )
    )
    return keras.Sequential(layers, name=name)


def synthesis_transform(filters=128, channels=3, name="synthesis"):
    """``g_s``: latent at 1/16 the size -> image (..., channels), the inverse of `analysis_transform`.

    Args:
        filters: ``N``, the channels of the three hidden feature maps.
        channels: the image's channels.
        name: the model's name.

    Returns:
        A `keras.Sequential`: deconv 5x5/2 (float32), IGDN, deconv, IGDN, deconv, IGDN, deconv
        (the last in float32).
    """
    filters = positive_int("filters", filters)
    channels = positive_int("channels", channels)
    layers = []
    for i in range(3):
        layers += [
            keras.layers.Conv2DTranspose(
                filters,
                5,
                strides=2,
                padding="same",
                dtype="float32" if i == 0 else None,
                name=f"deconv_{i}",
            ),
            GDN(inverse=True, name=f"igdn_{i}"),
        ]
    layers.append(
        keras.layers.Conv2DTranspose(
            channels, 5, strides=2, padding="same", dtype="float32", name="deconv_3"
        )
    )
    return keras.Sequential(layers, name=name)


#: The factor between the image's side and the latent's (four convolutions of stride 2).
DOWNSAMPLING = 16


@keras.saving.register_keras_serializable(package="aelib")
class FactorizedPriorAutoencoder(keras.Model):
    """Ballé et al.'s factorized-prior autoencoder, trained on ``R + lambda * D``.

    ``call(x)`` on images ``(batch, height, width, 3)`` in [0, 1] (sides multiples of 16)
    returns the forward record ``{"reconstruction", "latent", "quantized", "probabilities"}``:
    the latent ``y = g_a(x)``, its quantized version (noisy in training, rounded otherwise),
    the rate model's probability of each quantized value and ``g_s`` of the quantized latent.
    `compute_loss` turns it into ``R + lambda * D``: ``R`` the bits per pixel,
    ``-sum log2 P / (batch * height * width)``, and ``D`` the mean squared error on the [0, 255]
    scale. The metrics ``bpp`` and ``mse`` track the two terms.

    Args:
        lmbda: ``lambda`` > 0, the price of one unit of squared error in bits per pixel.
        filters: ``N``, the transforms' hidden channels.
        latent_channels: ``M``, the latent's channels.
        name: the model's name.

    Example:
        >>> keras.utils.set_random_seed(0)
        >>> model = FactorizedPriorAutoencoder(lmbda=0.01, filters=8, latent_channels=4)
        >>> record = model(np.zeros((1, 32, 32, 3), "float32"))
        >>> tuple(record["latent"].shape), tuple(record["reconstruction"].shape)
        ((1, 2, 2, 4), (1, 32, 32, 3))
    """

    def __init__(
        self, lmbda=0.01, filters=128, latent_channels=192, name="factorized_prior", **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.lmbda = real("lmbda", lmbda, low=0.0, low_open=True)
        self.filters = positive_int("filters", filters)
        self.latent_channels = positive_int("latent_channels", latent_channels)
        self.analysis = analysis_transform(self.filters, self.latent_channels)
        self.synthesis = synthesis_transform(self.filters)
        self.entropy_bottleneck = EntropyBottleneck(name="entropy_bottleneck")
        self.bpp_tracker = keras.metrics.Mean(name="bpp")
        self.mse_tracker = keras.metrics.Mean(name="mse")

    def build(self, input_shape):
        self.analysis.build(input_shape)
        latent_shape = self.analysis.compute_output_shape(input_shape)
        self.entropy_bottleneck.build(latent_shape)
        self.synthesis.build(latent_shape)
        self.built = True

    def call(self, x, training=False):
        latent = self.analysis(x, training=training)
        quantized, probabilities = self.entropy_bottleneck(latent, training=training)
        reconstruction = ops.cast(self.synthesis(quantized, training=training), "float32")
        return {
            "reconstruction": reconstruction,
            "latent": latent,
            "quantized": quantized,
            "probabilities": probabilities,
        }

    def rate_distortion(self, x, record):
        """``(bits per pixel, MSE on [0, 255])`` of a batch from its forward record."""
        x = ops.cast(x, "float32")
        shape = ops.shape(x)
        pixels = ops.cast(shape[0] * shape[1] * shape[2], "float32")
        bits = -ops.sum(ops.log(record["probabilities"])) / math.log(2.0)
        mse = ops.mean(ops.square(x - record["reconstruction"])) * 255.0**2
        return bits / pixels, mse

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """``R + lambda * D``: bits per pixel plus ``lambda`` times the MSE on [0, 255]."""
        del y, sample_weight, training
        bpp, mse = self.rate_distortion(x, y_pred)
        batch = ops.shape(x)[0]
        self.bpp_tracker.update_state(bpp, sample_weight=batch)
        self.mse_tracker.update_state(mse, sample_weight=batch)
        return bpp + self.lmbda * mse

    def get_config(self):
        return {
            "name": self.name,
            "lmbda": self.lmbda,
            "filters": self.filters,
            "latent_channels": self.latent_channels,
        }
