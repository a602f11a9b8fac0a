"""Variational autoencoders (Kingma & Welling, 2014; Rezende, Mohamed & Wierstra, 2014).

A variational autoencoder (VAE) is a latent-variable model ``p(z) p(x | z)`` with a standard normal
prior ``p(z) = N(0, I)`` and a decoder that gives the parameters of ``p(x | z)``, trained together
with an encoder ``q(z | x) = N(mu(x), diag sigma^2(x))`` by maximizing the evidence lower bound

    ELBO(x) = E_{q(z|x)}[log p(x | z)] - KL(q(z | x) || p(z))  <=  log p(x).

Here it is an `aelib.Autoencoder`: the encoder outputs ``2 * latent_dim`` numbers, read as
``(mu, log sigma^2)``; the forward pass draws ``z = mu + sigma * epsilon`` (`Sampling`, the
reparameterization trick) and decodes it; the reconstruction loss is ``-log p(x | z)`` and the
KL divergence is a regularization term reported as the metric ``"kl"``. The loss that ``fit`` and
``evaluate`` report is therefore a one-sample estimate of the negative ELBO (with ``beta = 1``).

The building blocks are pure functions of tensors (`reparameterize`, `gaussian_kl`,
`gaussian_log_density`, `bernoulli_log_likelihood`) so that each can be checked on its own, and
every random number of the NumPy-in, NumPy-out methods (`VariationalAutoencoder.elbo`,
`VariationalAutoencoder.log_likelihood`, `VariationalAutoencoder.sample`) comes from a NumPy
generator seeded by the ``seed`` argument, so that they give the same numbers on every backend.
"""

from __future__ import annotations

import collections
import concurrent.futures
import math

import keras
import numpy as np
from keras import ops

from aelib._validation import choice as _choice
from aelib._validation import non_negative as _non_negative
from aelib._validation import positive as _positive
from aelib._validation import positive_int as _positive_int
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import Autoencoder, _known_shape, reconstruction_error

LIKELIHOODS = ("bernoulli", "gaussian")

_LOG_2PI = math.log(2.0 * math.pi)


# ---------------------------------------------------------------------- pure functions
def reparameterize(mean, log_var, epsilon):
    """The reparameterization trick: ``z = mean + exp(log_var / 2) * epsilon``.

    With ``epsilon ~ N(0, I)``, ``z ~ N(mean, diag exp(log_var))``, and ``z`` is a differentiable
    function of ``mean`` and ``log_var``.

    Args:
        mean: tensor ``(..., latent_dim)``.
        log_var: tensor of the same shape, the log-variances.
        epsilon: standard normal noise, broadcastable to ``mean``.

    Returns:
        A tensor of the broadcast shape.

    Example:
        >>> import numpy as np
        >>> z = reparameterize(np.zeros(2, "float32"), np.full(2, np.log(4.0), "float32"),
        ...                    np.ones(2, "float32"))
        >>> [round(float(v), 6) for v in z]
        [2.0, 2.0]
    """
    return mean + ops.exp(0.5 * log_var) * epsilon


def gaussian_kl(mean, log_var):
    """Per-sample ``KL(N(mean, diag exp(log_var)) || N(0, I))``, in nats.

    The closed form is ``-1/2 * sum_j (1 + log_var_j - mean_j^2 - exp(log_var_j))``.

    Args:
        mean: tensor ``(batch, latent_dim)``.
        log_var: tensor ``(batch, latent_dim)``.

    Returns:
        A tensor ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> float(gaussian_kl(np.array([[1.0, 0.0]], "float32"), np.zeros((1, 2), "float32"))[0])
        0.5
    """
    return -0.5 * ops.sum(1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1)


def gaussian_log_density(x, mean, log_var):
    """Per-sample ``log N(x; mean, diag exp(log_var))``, summed over every axis but the first.

    Equals ``-1/2 * sum_j [(x_j - mean_j)^2 / sigma_j^2 + log(2 pi sigma_j^2)]``.

    Args:
        x: tensor ``(batch, ...)``.
        mean: tensor broadcastable to ``x``.
        log_var: log-variances broadcastable to ``x`` (a scalar for a shared variance).

    Returns:
        A tensor ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> x = np.zeros((1, 1), "float32")
        >>> round(float(gaussian_log_density(x, x, np.zeros((1, 1), "float32"))[0]), 6)
        -0.918939
    """
    x = ops.convert_to_tensor(x)
    mean = ops.cast(mean, x.dtype)
    log_var = ops.cast(log_var, x.dtype)
    per_feature = -0.5 * (ops.square(x - mean) * ops.exp(-log_var) + log_var + _LOG_2PI)
    per_feature = per_feature + ops.zeros_like(x)  # a scalar log_var must still sum over x
    axes = tuple(range(1, len(per_feature.shape)))
    return ops.sum(per_feature, axis=axes) if axes else per_feature


def bernoulli_log_likelihood(x, probabilities):
    """Per-sample ``log p(x | p) = sum_j [x_j log p_j + (1 - x_j) log(1 - p_j)]``.

    The negative of `aelib.reconstruction_error` with ``"binary_crossentropy"`` and ``"sum"``
    (the probabilities are clipped to ``[1e-7, 1 - 1e-7]`` the same way).

    Args:
        x: binary data (or data in [0, 1]), ``(batch, ...)``.
        probabilities: the decoder's Bernoulli means, same shape.

    Returns:
        A tensor ``(batch,)``.

    Example:
        >>> import numpy as np
        >>> p = np.full((1, 2), 0.5, "float32")
        >>> round(float(bernoulli_log_likelihood(np.array([[0.0, 1.0]], "float32"), p)[0]), 6)
        -1.386294
    """
    return -reconstruction_error(x, probabilities, "binary_crossentropy", "sum")


def log_mean_exp(log_values, axis=0):
    """``log(mean(exp(log_values)))`` along ``axis``, computed stably in float64 (NumPy).

    The importance-sampled log-likelihood is the ``log_mean_exp`` of the log-weights over the
    samples.

    Args:
        log_values: array-like.
        axis: the axis to average over.

    Returns:
        A float64 array with ``axis`` removed.

    Example:
        >>> round(float(log_mean_exp([0.0, np.log(3.0)])), 6)
        0.693147
    """
    values = np.asarray(log_values, dtype=np.float64)
    peak = np.max(values, axis=axis, keepdims=True)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    out = np.log(np.mean(np.exp(values - peak), axis=axis, keepdims=True)) + peak
    return np.squeeze(out, axis=axis)


def log_prior_over_posterior(z, epsilon, summed_log_var):
    """``log p(z) - log q(z | x)`` for ``z = mu + sigma * epsilon``, summed over the last axis.

    With ``p = N(0, I)`` and ``q = N(mu, diag sigma^2)`` the ``log 2 pi`` terms cancel:
    ``-1/2 [sum_j (z_j^2 - epsilon_j^2) - sum_j log sigma_j^2]``.

    Args:
        z: the codes ``(..., latent_dim)``.
        epsilon: the standard normal noise that made them, same shape.
        summed_log_var: ``sum_j log sigma_j^2`` of each code's posterior, broadcastable to
            ``z.shape[:-1]``.

    Returns:
        A tensor ``z.shape[:-1]``.

    Example:
        >>> import numpy as np
        >>> z, eps = np.array([[1.0, 0.0]], "float32"), np.array([[0.5, 0.0]], "float32")
        >>> value = log_prior_over_posterior(z, eps, np.log(np.float32(4.0)))  # sigma_1 = 2
        >>> round(float(value[0]), 6)  # -1/2 [(1 - 0.25) - log 4]
        0.318147
    """
    return -0.5 * (ops.sum(ops.square(z) - ops.square(epsilon), axis=-1) - summed_log_var)


def summed_softplus(logits, group=8):
    """``sum_j softplus(l_j)`` over the last axis, with one logarithm per ``group`` values.

    ``softplus(l) = max(l, 0) + log(1 + u)`` with ``u = exp(-|l|)`` in (0, 1], and
    ``sum_j log(1 + u_j) = sum_g log prod_{j in g} (1 + u_j)`` over groups of ``group`` values,
    each product at most ``2 ** group`` (no overflow). It is the Bernoulli log-likelihood's
    costly term, evaluated once per pixel for each of the ``k`` importance samples; the
    products replace most of the logarithms, at a rounding error of about ``1e-7`` per group.

    Args:
        logits: tensor ``(..., d)``.
        group: values per logarithm, a positive integer (at most 64).

    Returns:
        A tensor ``(...)``.

    Example:
        >>> import numpy as np
        >>> l = np.array([[-30.0, -1.0, 0.0, 2.0, 40.0]], "float32")
        >>> expected = np.logaddexp(0.0, l.astype("float64")).sum()
        >>> bool(abs(float(summed_softplus(l, group=2)[0]) - expected) < 1e-4)
        True
    """
    group = _positive_int("group", group)
    if group > 64:
        raise ValueError(f"group must be at most 64 (2 ** group must not overflow), got {group}")
    logits = ops.convert_to_tensor(logits)
    d = logits.shape[-1]
    u = ops.exp(-ops.abs(logits))
    pad = (-d) % group
    if pad:  # a padded u of 0 contributes log(1 + 0) = 0
        u = ops.pad(u, [(0, 0)] * (len(logits.shape) - 1) + [(0, pad)])
    grouped = ops.reshape(1.0 + u, tuple(ops.shape(u)[:-1]) + ((d + pad) // group, group))
    return ops.sum(ops.relu(logits), axis=-1) + ops.sum(
        ops.log(ops.prod(grouped, axis=-1)), axis=-1
    )


def box_muller_normals(rng, shape):
    """Float32 standard normal draws of ``shape`` from uniforms, by the Box-Muller transform.

    With ``r = sqrt(-2 log u_1)`` and ``theta = 2 pi u_2`` for ``u_1`` uniform in (0, 1] and
    ``u_2`` uniform in [0, 1), ``r cos theta`` and ``r sin theta`` are independent standard
    normals. The uniforms are float64 (``u_1 = 1 - U`` reaches ``2 ** -53``, so ``r`` reaches
    8.6; float32 uniforms would stop it at 5.8) and the transform runs in float32. On this
    project's CPU it costs about 2.4 ns per draw against 8.5 ns for
    ``rng.standard_normal(dtype=np.float32)``, which matters where billions are drawn
    (`VariationalAutoencoder.log_likelihood`).

    Args:
        rng: a `numpy.random.Generator`.
        shape: the shape of the draws; the last axis holds the cosines of ``ceil(d / 2)``
            pairs, then their sines.

    Returns:
        A float32 array of ``shape``.

    Example:
        >>> import numpy as np
        >>> draws = box_muller_normals(np.random.default_rng(0), (200_000, 3))
        >>> draws.dtype, bool(np.all(np.abs(draws.mean(axis=0)) < 0.01)), round(float(draws.std()), 2)
        (dtype('float32'), True, 1.0)
    """
    shape = tuple(shape)
    dim = shape[-1]
    half = (dim + 1) // 2
    uniforms = rng.random(shape[:-1] + (2, half))
    radius = np.sqrt(np.float32(-2.0) * np.log((1.0 - uniforms[..., 0, :]).astype(np.float32)))
    angle = np.float32(2.0 * math.pi) * uniforms[..., 1, :].astype(np.float32)
    out = np.empty(shape, np.float32)
    np.multiply(radius, np.cos(angle), out=out[..., :half])
    np.multiply(radius[..., : dim - half], np.sin(angle[..., : dim - half]), out=out[..., half:])
    return out


# ---------------------------------------------------------------------- layer
@keras.saving.register_keras_serializable(package="aelib")
class Sampling(keras.layers.Layer):
    """Draws ``z = mean + exp(log_var / 2) * epsilon`` with ``epsilon ~ N(0, I)``.

    The noise comes from a `keras.random.SeedGenerator`, so a layer built with a given ``seed``
    draws the same sequence on every run (and is traced correctly by JAX's stateless steps).

    Args:
        seed: an integer seed, or ``None`` to take one from Keras' global generator
            (which `aelib.seed_everything` seeds).
        **kwargs: passed to `keras.layers.Layer`.

    Call arguments:
        inputs: a pair ``[mean, log_var]`` of tensors of the same shape.

    Returns:
        A tensor shaped like ``mean``.

    Example:
        >>> import numpy as np
        >>> layer = Sampling(seed=0)
        >>> mean, log_var = np.zeros((3, 2), "float32"), np.zeros((3, 2), "float32")
        >>> tuple(layer([mean, log_var]).shape)
        (3, 2)
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = _check_seed_value(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs):
        mean, log_var = inputs
        epsilon = keras.random.normal(ops.shape(mean), dtype=mean.dtype, seed=self.seed_generator)
        return reparameterize(mean, log_var, epsilon)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


# ---------------------------------------------------------------------- model
@keras.saving.register_keras_serializable(package="aelib")
class VariationalAutoencoder(Autoencoder):
    """A variational autoencoder on the `aelib.Autoencoder` base.

    The encoder maps ``x`` to ``2 * latent_dim`` numbers, the mean ``mu`` and the log-variance
    ``log sigma^2`` of ``q(z | x)`` (first half, second half): the ``"code"`` of the forward
    record. The forward pass (``fit``, ``evaluate``, ``model(x)``) draws
    ``z = mu + sigma * epsilon`` in the `sample_code` hook (the record's ``"sampled_code"``)
    and decodes it; the loss is
    ``-log p(x | z) + beta * KL(q(z | x) || N(0, I))``, averaged over the batch, so with
    ``beta = 1`` it is a one-sample estimate of the negative ELBO. The two parts are reported
    as ``"reconstruction_loss"`` and ``"kl"`` (the latter weighted by ``beta``).

    With ``free_bits = lambda > 0`` the training loss replaces the KL term by
    ``beta * sum_j max(lambda, KL_j)``, where ``KL_j`` is the batch mean of latent dimension
    ``j``'s share of the KL (the "free bits" of Kingma et al., 2016): a dimension whose KL is
    under ``lambda`` nats costs nothing more by being used, so the optimizer has no reason to
    switch it off, a remedy for posterior collapse. `kl_per_dimension` and `active_units`
    measure that collapse.

    The observation model ``p(x | z)``:

    * ``"bernoulli"`` (binary data): the decoder outputs pixel probabilities (a sigmoid output)
      and ``-log p(x | z)`` is the binary cross-entropy summed over the pixels;
    * ``"gaussian"`` (real data): the decoder outputs the mean ``g(z)`` (a linear output) of
      ``N(g(z), s^2 I)`` and ``-log p(x | z) = 1/2 sum_j [(x_j - g_j)^2 / s^2 + log(2 pi s^2)]``.
      ``observation_std`` fixes ``s`` (default 1.0), or ``"learned"`` learns one ``s`` shared
      by every feature (a weight ``observation_log_var`` starting at ``log s^2 = 0``). A fixed
      ``s`` weighs the squared error against the KL term: the smaller ``s``, the more the model
      favours reconstruction over a code close to the prior.

    Deterministic methods (``reconstruct`` decodes ``mu``; ``transform`` returns ``mu``) and
    seeded Monte Carlo ones (``elbo``, ``log_likelihood``, ``sample``) are NumPy in, NumPy out.

    Args:
        encoder: a model from inputs to ``2 * latent_dim`` numbers (a linear output).
        decoder: a model from ``latent_dim`` numbers to the data shape.
        latent_dim: the dimension of ``z``, a positive integer.
        likelihood: ``"bernoulli"`` (default) or ``"gaussian"``.
        observation_std: for ``"gaussian"`` only: a positive number or ``"learned"``; ``None``
            means 1.0. Must be ``None`` for ``"bernoulli"``.
        beta: non-negative weight of the KL term in the training loss (1.0, the ELBO, by
            default; other values give the beta-VAE of Higgins et al., 2017). `elbo` and
            `log_likelihood` always use the true model, whatever ``beta``.
        free_bits: non-negative number of nats per latent dimension below which the KL term
            of the training loss does not push (0.0, none, by default).
        seed: seed of the `Sampling` layer of the forward pass, or ``None`` (global generator).
        **kwargs: passed to `keras.Model`.

    Example:
        >>> from aelib.models import builders
        >>> encoder = builders.dense_encoder((28, 28), [256], code_dim=2 * 8)
        >>> decoder = builders.dense_decoder(8, [256], output_shape=(28, 28))
        >>> vae = VariationalAutoencoder(encoder, decoder, latent_dim=8)
        >>> vae.sample(3, seed=0).shape
        (3, 28, 28)
    """

    # The encoder outputs (mu, log sigma^2), twice the width the decoder reads.
    decoder_reads_code = False

    def __init__(
        self,
        encoder,
        decoder,
        latent_dim,
        likelihood="bernoulli",
        observation_std=None,
        beta=1.0,
        seed=None,
        free_bits=0.0,
        **kwargs,
    ):
        latent_dim = _positive_int("latent_dim", latent_dim)
        _choice("likelihood", likelihood, LIKELIHOODS)
        observation_std = _observation_std(likelihood, observation_std)
        beta = _non_negative("beta", beta)
        free_bits = _non_negative("free_bits", free_bits)
        _check_widths(encoder, decoder, latent_dim)
        # The Bernoulli negative log-likelihood is exactly the base's summed cross-entropy;
        # the Gaussian one is computed in `negative_log_likelihood`.
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss="binary_crossentropy" if likelihood == "bernoulli" else "mse",
            feature_reduction="sum",
            **kwargs,
        )
        self.latent_dim = latent_dim
        self.likelihood = likelihood
        self.observation_std = observation_std
        self.beta = beta
        self.free_bits = free_bits
        self.seed = _check_seed_value(seed)
        self.sampling = Sampling(seed=self.seed, name="sampling")
        if observation_std == "learned":
            self.observation_log_var = self.add_weight(
                shape=(), initializer="zeros", name="observation_log_var"
            )
        self.track_regularization("kl")

    # ------------------------------------------------------------------ the model
    def posterior(self, inputs, training=False):
        """The parameters of ``q(z | x)``: a pair ``(mean, log_var)`` of tensors."""
        stats = self.encoder(inputs, training=training)
        return stats[:, : self.latent_dim], stats[:, self.latent_dim :]

    def sample_code(self, code, training=False):
        """Draws ``z = mu + sigma * epsilon`` from ``q(z | x)``; ``code`` is the encoder's output
        ``(mu, log sigma^2)``. The draw is made in inference too (``model(x)`` is stochastic);
        `reconstruct` and `transform` use ``mu`` instead."""
        del training
        return self.sampling([code[:, : self.latent_dim], code[:, self.latent_dim :]])

    def regularization_terms(self, record, training=False):
        """``{"kl": beta * mean over the batch of KL(q(z | x) || N(0, I))}``; with free bits,
        ``beta * sum_j max(free_bits, batch mean of KL_j)``."""
        del training
        code = record["code"]
        mean, log_var = code[:, : self.latent_dim], code[:, self.latent_dim :]
        if self.free_bits == 0:
            return {"kl": self.beta * ops.mean(gaussian_kl(mean, log_var))}
        per_dimension = -0.5 * (1.0 + log_var - ops.square(mean) - ops.exp(log_var))
        floored = ops.maximum(ops.mean(per_dimension, axis=0), self.free_bits)
        return {"kl": self.beta * ops.sum(floored)}

    def log_observation_variance(self):
        """``log s^2`` of the Gaussian observation model (a scalar tensor); None for Bernoulli."""
        if self.likelihood == "bernoulli":
            return None
        if self.observation_std == "learned":
            return self.observation_log_var
        return ops.convert_to_tensor(2.0 * math.log(self.observation_std))

    def negative_log_likelihood(self, target, reconstruction):
        """Per-sample ``-log p(x | z)`` (in nats), ``reconstruction`` being the decoder output."""
        if self.likelihood == "bernoulli":
            return -bernoulli_log_likelihood(target, reconstruction)
        target = ops.cast(target, reconstruction.dtype)
        log_var = ops.cast(self.log_observation_variance(), reconstruction.dtype)
        return -gaussian_log_density(target, reconstruction, log_var)

    def per_sample_loss(self, target, reconstruction):
        """The reconstruction term of the ELBO: ``-log p(x | z)`` per sample."""
        if self.likelihood == "bernoulli":
            return super().per_sample_loss(target, reconstruction)
        # The base only knows squared error; the Gaussian NLL also needs 1/s^2 and log(2 pi s^2).
        return self.negative_log_likelihood(target, reconstruction)

    # ------------------------------------------------------------------ NumPy in, NumPy out
    def transform(self, x, batch_size=256):
        """The posterior means ``mu(x)``, shape ``(n, latent_dim)``."""
        stats = self.encoder.predict(x, batch_size=batch_size, verbose=0)
        return stats[:, : self.latent_dim]

    def reconstruct(self, x, batch_size=256):
        """Decodes the posterior means: ``g(mu(x))``, deterministic."""
        return self.decoder.predict(self.transform(x, batch_size), batch_size=batch_size, verbose=0)

    def sample(self, n, seed=0, batch_size=256):
        """Decoder outputs (pixel probabilities or means) of ``n`` codes drawn from ``N(0, I)``.

        Args:
            n: how many samples.
            seed: seed of the NumPy generator that draws the codes.
            batch_size: codes decoded at once.

        Returns:
            An array ``(n, *data_shape)``.
        """
        n = _positive_int("n", n)
        z = np.random.default_rng(_check_seed_value(seed, allow_none=False)).standard_normal(
            (n, self.latent_dim)
        )
        return self.decoder.predict(z.astype("float32"), batch_size=batch_size, verbose=0)

    def interpolate(self, x_a, x_b, steps=8, batch_size=256):
        """Decodes ``(1 - t) mu(x_a) + t mu(x_b)`` for ``steps`` values of ``t`` from 0 to 1.

        Args:
            x_a, x_b: one sample each (the data shape) or two batches of the same size.
            steps: points on the line, both ends included (a positive integer).
            batch_size: codes decoded at once.

        Returns:
            ``(steps, *data_shape)`` for single samples, ``(n, steps, *data_shape)`` for batches.
        """
        steps = _positive_int("steps", steps)
        x_a, x_b = np.asarray(x_a, "float32"), np.asarray(x_b, "float32")
        if x_a.shape != x_b.shape:
            raise ValueError(
                f"x_a and x_b must have the same shape, got {x_a.shape} and {x_b.shape}"
            )
        single = x_a.ndim == len(self.encoder.input_shape) - 1
        if single:
            x_a, x_b = x_a[None], x_b[None]
        mu_a, mu_b = self.transform(x_a, batch_size), self.transform(x_b, batch_size)
        t = np.linspace(0.0, 1.0, steps, dtype="float32")[None, :, None]
        codes = (1.0 - t) * mu_a[:, None, :] + t * mu_b[:, None, :]
        images = self.decoder.predict(
            codes.reshape(-1, self.latent_dim), batch_size=batch_size, verbose=0
        )
        images = images.reshape((len(x_a), steps) + images.shape[1:])
        return images[0] if single else images

    def score_samples(self, x, seed=0, batch_size=256):
        """Per-sample scores with scikit-learn's sign (higher = more normal): the `elbo`, a
        lower bound on ``log p(x)``, with one seeded draw per sample.

        Returns:
            A float64 array ``(n,)``, in nats.
        """
        return self.elbo(self._check_inputs(x), seed=seed, batch_size=batch_size)

    def elbo(self, x, seed=0, epsilon=None, batch_size=256):
        """Per-sample ELBO, ``log p(x | z) - KL(q(z | x) || p(z))`` with one ``z ~ q(z | x)``.

        The KL term is exact (analytic); the expectation of ``log p(x | z)`` is estimated with one
        draw ``z = mu + sigma * epsilon``, so the result is an unbiased estimate of the ELBO.

        Args:
            x: data ``(n, ...)``.
            seed: seed of the NumPy generator of ``epsilon`` (ignored if ``epsilon`` is given).
            epsilon: optional standard normal noise ``(n, latent_dim)``, to fix the draw.
            batch_size: samples per step.

        Returns:
            A float64 array ``(n,)``, in nats.
        """
        x = np.asarray(x, "float32")
        batch_size = _positive_int("batch_size", batch_size)
        epsilon = self._noise((len(x), self.latent_dim), seed, epsilon)
        out = np.empty(len(x))
        for start in range(0, len(x), batch_size):
            stop = start + batch_size
            mean, log_var = self.posterior(x[start:stop])
            z = reparameterize(mean, log_var, epsilon[start:stop])
            reconstruction = self.decode(z)
            value = -self.negative_log_likelihood(x[start:stop], reconstruction) - gaussian_kl(
                mean, log_var
            )
            out[start:stop] = ops.convert_to_numpy(value)
        return out

    def log_importance_weights(self, x, epsilon):
        """``log p(x | z_i) + log p(z_i) - log q(z_i | x)`` for ``z_i = mu + sigma * epsilon_i``.

        The encoder runs once per data point and the decoder once per (sample, point) pair, in
        one batch of ``k * n`` codes. Two identities keep the cost down without changing the
        value: ``log p(z) - log q(z | x) = -1/2 sum_j (z_j^2 - epsilon_j^2 - log sigma_j^2)``
        (the ``log 2 pi`` terms cancel), and, for a Bernoulli decoder whose last layer is a
        sigmoid `keras.layers.Dense` of kernel ``W`` and bias ``b`` (as `builders.dense_decoder`
        makes), ``log p(x | z) = x . l - sum_j softplus(l_j)`` with the logits
        ``l = h W + b``, whose first term is ``h . (W x) + b . x``: a product of width
        ``len(h)`` per pair instead of one over every pixel. Other decoders go through
        `negative_log_likelihood`.

        Args:
            x: data ``(n, ...)``.
            epsilon: standard normal noise ``(k, n, latent_dim)``.

        Returns:
            A float64 array ``(k, n)``.
        """
        x = np.asarray(x, "float32")
        epsilon = np.asarray(epsilon, "float32")
        if epsilon.ndim != 3 or epsilon.shape[1:] != (len(x), self.latent_dim):
            raise ValueError(
                f"epsilon must have shape (k, {len(x)}, {self.latent_dim}), got {epsilon.shape}"
            )
        # One compiled function of the batch (Keras' predict step: tf.function or jax.jit), so
        # that the k * n decoder passes run as a few large fused products.
        return self._log_weights_by_point(x, np.swapaxes(epsilon, 0, 1)).T

    def _log_weights_by_point(self, x, epsilon):
        """The log weights ``(n, k)`` of ``x`` ``(n, ...)`` and float32 ``epsilon``
        ``(n, k, latent_dim)``, as float64."""
        weights = self._log_weights_model().predict_on_batch([x, epsilon])
        return np.asarray(weights, np.float64)

    def _log_weights_model(self):
        cached = getattr(self, "_log_weights_cache", None)
        if cached is not None and cached[0] is self.decoder and cached[1] is self.encoder:
            return cached[2]
        x = keras.Input(shape=_known_shape(self.encoder, "input_shape")[1:], name="x")
        epsilon = keras.Input(shape=(None, self.latent_dim), name="epsilon")
        model = keras.Model([x, epsilon], _LogImportanceWeights(self)([x, epsilon]))
        # XLA fuses the elementwise work after the products (on TensorFlow's CPU the estimate
        # runs about twice as fast as without it).
        model.jit_compile = True
        # Not tracked by Keras (object.__setattr__): a cache, not a part of the model.
        object.__setattr__(self, "_log_weights_cache", (self.decoder, self.encoder, model))
        return model

    def _log_weights_tensor(self, x, epsilon):
        """`log_importance_weights` on tensors: ``x`` ``(n, ...)``, ``epsilon`` ``(n, k, latent)``;
        returns ``(n, k)``."""
        n, k = ops.shape(epsilon)[0], ops.shape(epsilon)[1]
        mean, log_var = self.posterior(x)
        z = reparameterize(mean[:, None], log_var[:, None], epsilon)  # (n, k, latent_dim)
        log_prior_ratio = log_prior_over_posterior(z, epsilon, ops.sum(log_var, axis=-1)[:, None])
        flat_z = ops.reshape(z, (-1, self.latent_dim))
        head = self._sigmoid_head()
        if head is not None:
            body, kernel, bias = head
            hidden = body(flat_z)  # (n * k, width)
            logits = ops.matmul(hidden, kernel) + bias
            flat_x = ops.reshape(x, (n, -1))
            data_term = (
                ops.sum(
                    ops.reshape(hidden, (n, k, -1))
                    * ops.matmul(flat_x, ops.transpose(kernel))[:, None],
                    axis=-1,
                )
                + ops.sum(flat_x * bias, axis=-1)[:, None]
            )
            log_px = data_term - ops.reshape(summed_softplus(logits), (n, k))
        else:
            shape = ops.shape(x)
            repeated = ops.reshape(
                ops.broadcast_to(x[:, None], (n, k) + tuple(shape[1:])), (-1,) + tuple(shape[1:])
            )
            log_px = ops.reshape(
                -self.negative_log_likelihood(repeated, self.decoder(flat_z)), (n, k)
            )
        return log_px + log_prior_ratio

    def _sigmoid_head(self):
        """``(body, kernel, bias)`` when the decoder is ``sigmoid(body(z) W + b)`` with a
        Bernoulli likelihood (see `log_importance_weights`); ``None`` otherwise."""
        if self.likelihood != "bernoulli":
            return None
        cached = getattr(self, "_sigmoid_head_cache", None)
        if cached is not None and cached[0] is self.decoder:
            return cached[1]
        head = None
        last = self.decoder.layers[-1] if getattr(self.decoder, "layers", None) else None
        if (
            isinstance(last, keras.layers.Dense)
            and last.use_bias
            and keras.activations.serialize(last.activation) == "sigmoid"
            and len(getattr(self.decoder, "inputs", None) or ()) == 1
            and len(self.decoder.layers) > 2
        ):
            body = keras.Model(self.decoder.inputs, last.input, name="decoder_body")
            head = (body, last.kernel, last.bias)
        # Not tracked by Keras (object.__setattr__): a cache, not a part of the model.
        object.__setattr__(self, "_sigmoid_head_cache", (self.decoder, head))
        return head

    def log_likelihood(self, x, k=100, seed=0, batch_size=25_000):
        """Importance-sampled estimate of ``log p(x)`` per sample (Burda et al., 2016).

        ``log p(x) ~= log (1/k) sum_i p(x | z_i) p(z_i) / q(z_i | x)`` with ``z_i ~ q(z | x)``.
        For ``k = 1`` its expectation is the ELBO; it increases towards ``log p(x)`` with ``k``
        (in expectation), so it is a lower bound in expectation whose gap closes as ``k`` grows.

        The noise comes from NumPy's generator of ``seed``, drawn batch by batch by
        `box_muller_normals` with shape ``(points, samples, latent_dim)``, so every backend sees
        the same draws.

        Args:
            x: data ``(n, ...)``.
            k: importance samples per data point (a positive integer).
            seed: seed of the NumPy generator of the noise.
            batch_size: (data point, sample) pairs decoded at once; the ``k`` samples of one
                data point are split into several steps if ``k`` is larger. Large batches let
                the decoder run large matrix products (k = 5000 over the 10,000 MNIST test
                digits is 50 million decoder passes).

        Returns:
            A float64 array ``(n,)``, in nats (the test NLL is minus its mean).
        """
        k = _positive_int("k", k)
        batch_size = _positive_int("batch_size", batch_size)
        x = np.asarray(x, "float32")
        rng = np.random.default_rng(_check_seed_value(seed, allow_none=False))
        points = max(1, batch_size // k)
        chunk = min(k, batch_size)
        steps = [
            (start, s, min(chunk, k - s), len(x[start : start + points]))
            for start in range(0, len(x), points)
            for s in range(0, k, chunk)
        ]

        def compute(step, epsilon):
            start, _, samples, size = step
            batch = x[start : start + size]
            if size < points < len(x):
                # Padded to the common shape, so the compiled step is traced once.
                pad = points - size
                batch = np.concatenate([batch, np.zeros((pad,) + x.shape[1:], x.dtype)])
                epsilon = np.concatenate(
                    [epsilon, np.zeros((pad, samples, self.latent_dim), epsilon.dtype)]
                )
            return self._log_weights_by_point(batch, epsilon)[:size].T

        out = np.empty(len(x))
        log_w = []

        def finish(step, future):
            nonlocal log_w
            start, s, samples, size = step
            log_w.append(future.result())
            if s + samples == k:  # the last chunk of these points
                out[start : start + size] = log_mean_exp(np.concatenate(log_w), axis=0)
                log_w = []

        # The main thread draws the noise of each step, in order, while two workers run the
        # compiled steps already drawn (the backend releases the GIL): on a 2-core CPU the
        # steps then overlap the draws and each other's elementwise phases (measured ~10 %
        # faster than one step at a time). Results are gathered in order.
        in_flight = collections.deque()
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for step in steps:
                epsilon = box_muller_normals(rng, (step[3], step[2], self.latent_dim))
                in_flight.append((step, pool.submit(compute, step, epsilon)))
                if len(in_flight) > 2:
                    finish(*in_flight.popleft())
            while in_flight:
                finish(*in_flight.popleft())
        return out

    def _noise(self, shape, seed, epsilon):
        if epsilon is None:
            rng = np.random.default_rng(_check_seed_value(seed, allow_none=False))
            return rng.standard_normal(shape).astype("float32")
        epsilon = np.asarray(epsilon, "float32")
        if epsilon.shape != shape:
            raise ValueError(f"epsilon must have shape {shape}, got {epsilon.shape}")
        return epsilon

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        # Both follow from the likelihood.
        config.pop("reconstruction_loss")
        config.pop("feature_reduction")
        config.update(
            {
                "latent_dim": self.latent_dim,
                "likelihood": self.likelihood,
                "observation_std": self.observation_std,
                "beta": self.beta,
                "free_bits": self.free_bits,
                "seed": self.seed,
            }
        )
        return config


def kl_per_dimension(vae, x, batch_size=256):
    """The KL of ``q(z | x)`` from the prior, per latent dimension, averaged over ``x``.

    ``KL(q || p)`` of a diagonal Gaussian is a sum over the latent dimensions; term ``j`` is
    ``-1/2 (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)``. A dimension whose average is near 0
    carries no information about ``x``: its posterior is the prior for every input (a
    collapsed dimension).

    Args:
        vae: a `VariationalAutoencoder`.
        x: data as the encoder takes them.
        batch_size: inputs per forward pass.

    Returns:
        A float64 array ``(latent_dim,)``, in nats; its sum is the average KL.

    Example:
        >>> from aelib.models import builders
        >>> import numpy as np
        >>> encoder = builders.dense_encoder((4,), [], code_dim=2 * 3)
        >>> decoder = builders.dense_decoder(3, [], output_shape=(4,))
        >>> vae = VariationalAutoencoder(encoder, decoder, latent_dim=3)
        >>> kl_per_dimension(vae, np.full((5, 4), 0.5, "float32")).shape
        (3,)
    """
    mean, log_var = _posterior_moments(vae, x, batch_size)
    per_dimension = -0.5 * (1.0 + log_var - mean**2 - np.exp(log_var))
    return per_dimension.mean(axis=0)


def active_units(vae, x, threshold=0.01, batch_size=256):
    """Which latent dimensions are active, by Burda et al. (2016)'s measure.

    Dimension ``u`` is active when ``A_u = Cov_x(E_q(z | x)[z_u])``, the variance over the
    data of its posterior mean, exceeds ``threshold``: its code moves with the input. A
    collapsed dimension has the same posterior, the prior, for every ``x``.

    Args:
        vae: a `VariationalAutoencoder`.
        x: data as the encoder takes them (at least two inputs).
        threshold: the activity above which a unit counts as active (Burda et al.: 0.01).
        batch_size: inputs per forward pass.

    Returns:
        ``(count, activity)``: the number of active units and the float64 array of ``A_u``.
    """
    threshold = _non_negative("threshold", threshold)
    mean, _ = _posterior_moments(vae, x, batch_size)
    if len(mean) < 2:
        raise ValueError(f"x must hold at least 2 inputs to measure activity, got {len(mean)}")
    activity = mean.var(axis=0)
    return int((activity > threshold).sum()), activity


def _posterior_moments(vae, x, batch_size):
    if not isinstance(vae, VariationalAutoencoder):
        raise TypeError(f"vae must be a VariationalAutoencoder, got {type(vae).__name__}")
    code = vae.encoder.predict(vae._check_inputs(x), batch_size=batch_size, verbose=0)
    code = np.asarray(code, dtype="float64")
    return code[:, : vae.latent_dim], code[:, vae.latent_dim :]


class _LogImportanceWeights(keras.layers.Layer):
    """The log importance weights of a VAE as a layer, so that Keras compiles their batch."""

    def __init__(self, vae, **kwargs):
        super().__init__(**kwargs)
        object.__setattr__(self, "_vae", vae)  # not tracked: the VAE owns the weights

    def call(self, inputs):
        return self._vae._log_weights_tensor(*inputs)


# ---------------------------------------------------------------------- argument checks
def _observation_std(likelihood, observation_std):
    if likelihood == "bernoulli":
        if observation_std is not None:
            raise ValueError(
                "observation_std applies only to likelihood='gaussian'; it must be None for "
                f"'bernoulli', got {observation_std!r}"
            )
        return None
    if observation_std is None:
        return 1.0
    if observation_std == "learned":
        return "learned"
    try:
        return _positive("observation_std", observation_std)
    except ValueError:
        raise ValueError(
            f"observation_std must be a positive number or 'learned', got {observation_std!r}"
        ) from None


def _check_widths(encoder, decoder, latent_dim):
    encoder_width = _known_shape(encoder, "output_shape")
    if encoder_width is not None and encoder_width[-1] != 2 * latent_dim:
        raise ValueError(
            f"the encoder must output 2 * latent_dim = {2 * latent_dim} values (mean and "
            f"log-variance), but its output shape is {encoder_width}"
        )
    decoder_width = _known_shape(decoder, "input_shape")
    if decoder_width is not None and decoder_width[-1] != latent_dim:
        raise ValueError(
            f"the decoder must take latent_dim = {latent_dim} inputs, "
            f"but its input shape is {decoder_width}"
        )
