"""Importance-weighted autoencoders (Burda, Grosse & Salakhutdinov, 2016).

A VAE is trained on the evidence lower bound, whose gap to ``log p(x)`` is
``KL(q(z | x) || p(z | x))``: the model is penalized wherever the encoder's Gaussian cannot
follow the true posterior. The importance-weighted autoencoder (IWAE) keeps the same model and
the same encoder but trains on a tighter bound. With ``k`` draws ``z_i ~ q(z | x)`` and the
importance weights ``w_i = p(x | z_i) p(z_i) / q(z_i | x)``,

    L_k(x) = E[ log (1/k) sum_i w_i ]  <=  L_{k+1}(x)  <=  log p(x),

and ``L_1`` is the ELBO. Its gradient weighs each draw by its normalized weight
``w_i / sum_j w_j``, so draws that explain ``x`` well count more.

Burda et al. compare it with a VAE trained on the average of ``k`` one-draw ELBOs,
``(1/k) sum_i log w_i``, whose expectation is the ELBO whatever ``k`` (only its variance falls).
`ImportanceWeightedAutoencoder` trains on either (``bound="importance_weighted"`` or
``"elbo"``); both share `aelib.VariationalAutoencoder`'s encoder, decoder, likelihoods and its
NumPy methods (`VariationalAutoencoder.log_likelihood` is the IWAE bound estimated with many
draws).

With ``binarize=True`` every training step draws a fresh binary image ``x ~ Bernoulli(pixels)``
from grey-level data in [0, 1] and models that draw: the *dynamic binarization* of MNIST that
Burda et al. and most likelihood results on MNIST use.
"""

from __future__ import annotations

import math

import keras
from keras import ops

from aelib._validation import boolean as _boolean
from aelib._validation import choice as _choice
from aelib._validation import positive_int as _positive_int
from aelib.models.autoencoder import per_replica_loss
from aelib.models.variational import (
    VariationalAutoencoder,
    gaussian_kl,
    log_prior_over_posterior,
)

BOUNDS = ("importance_weighted", "elbo")


def importance_weighted_bound(log_weights, axis=0):
    """``log (1/k) sum_i exp(log_weights_i)`` along ``axis`` (``k`` its length), stably.

    Args:
        log_weights: tensor of log importance weights, ``k`` of them along ``axis``.
        axis: the axis of the samples.

    Returns:
        The tensor with ``axis`` removed.

    Example:
        >>> import numpy as np
        >>> w = np.log(np.array([[1.0], [3.0]], "float32"))  # k = 2 weights, one point
        >>> round(float(importance_weighted_bound(w)[0]), 6)  # log((1 + 3) / 2)
        0.693147
    """
    log_weights = ops.convert_to_tensor(log_weights)
    k = log_weights.shape[axis]
    return ops.logsumexp(log_weights, axis=axis) - math.log(k)


@keras.saving.register_keras_serializable(package="aelib")
class ImportanceWeightedAutoencoder(VariationalAutoencoder):
    """A VAE trained on the ``k``-sample importance-weighted bound (or on ``k`` ELBO draws).

    The forward pass encodes a batch once, draws ``k`` codes per sample, decodes all ``k * batch``
    of them in one call and returns, besides the VAE's ``"code"`` and ``"reconstruction"`` (that
    of the first draw), the ``"log_weights"`` ``(k, batch)``,
    ``log p(x | z_i) + log p(z_i) - log q(z_i | x)``. The loss is minus the bound, averaged over
    the batch:

    * ``bound="importance_weighted"``: ``-log (1/k) sum_i w_i`` (the IWAE);
    * ``bound="elbo"``: ``-(1/k) sum_i log w_i`` (Burda et al.'s "VAE with k samples").

    For ``k = 1`` the two are the same one-draw ELBO, with the KL term estimated by the draw
    (``log q(z | x) - log p(z)``) rather than in closed form. ``fit`` and ``evaluate`` also
    report the ELBO's two parts, averaged over the draws: ``"reconstruction_loss"``
    (``-log p(x | z)``) and ``"kl"`` (closed form).

    Args:
        encoder: a model from inputs to ``2 * latent_dim`` numbers (mean, log-variance).
        decoder: a model from ``latent_dim`` numbers to the data shape.
        latent_dim: the dimension of ``z``.
        k: draws per sample in training, a positive integer.
        bound: ``"importance_weighted"`` (default) or ``"elbo"``.
        binarize: draw a binary image from the (grey-level) training batch at every step and
            model it (dynamic binarization; Bernoulli likelihood only). ``False`` by default:
            the data are modelled as given. Evaluation (``evaluate``, and the NumPy methods)
            never binarizes: give it binary data.
        likelihood: ``"bernoulli"`` (default) or ``"gaussian"``, as for the VAE.
        observation_std: for ``"gaussian"``, as for the VAE.
        seed: seed of the draws of the forward pass (codes and binarization), or ``None``.
        **kwargs: passed to `keras.Model`.

    Example:
        >>> import numpy as np
        >>> from aelib.models import builders
        >>> encoder = builders.dense_encoder((784,), [64], code_dim=2 * 4)
        >>> decoder = builders.dense_decoder(4, [64], output_shape=(784,))
        >>> iwae = ImportanceWeightedAutoencoder(encoder, decoder, latent_dim=4, k=5, seed=0)
        >>> record = iwae(np.zeros((3, 784), "float32"))
        >>> tuple(record["log_weights"].shape), tuple(record["reconstruction"].shape)
        ((5, 3), (3, 784))
    """

    def __init__(
        self,
        encoder,
        decoder,
        latent_dim,
        k=5,
        bound="importance_weighted",
        binarize=False,
        likelihood="bernoulli",
        observation_std=None,
        seed=None,
        **kwargs,
    ):
        k = _positive_int("k", k)
        _choice("bound", bound, BOUNDS)
        binarize = _boolean("binarize", binarize)
        if binarize and likelihood != "bernoulli":
            raise ValueError(
                f"binarize=True draws binary data, so likelihood must be 'bernoulli', "
                f"got {likelihood!r}"
            )
        super().__init__(
            encoder,
            decoder,
            latent_dim,
            likelihood=likelihood,
            observation_std=observation_std,
            seed=seed,
            **kwargs,
        )
        self.k = k
        self.bound = bound
        self.binarize = binarize
        # Separate streams for the codes (the Sampling layer's) and the binarization.
        self.binarization_seed = keras.random.SeedGenerator(
            None if self.seed is None else self.seed + 1
        )

    # ------------------------------------------------------------------ the forward pass
    def forward(self, inputs, training=False):
        """One forward pass with ``k`` draws per sample.

        Returns:
            A dict: ``"code"`` (the encoder's output), ``"sampled_code"`` ``(k, batch,
            latent_dim)``, ``"reconstruction"`` (the decoding of the first draw),
            ``"log_weights"`` and ``"log_px"`` ``(k, batch)``, and ``"binarized"`` (the binary
            draw the model saw) when the training step binarized the batch.
        """
        record = {}
        data = inputs
        if self.binarize and training:
            uniform = keras.random.uniform(
                ops.shape(inputs), dtype=inputs.dtype, seed=self.binarization_seed
            )
            data = ops.cast(uniform < inputs, inputs.dtype)
            record["binarized"] = data
        code = self.encoder(data, training=training)
        mean, log_var = code[:, : self.latent_dim], code[:, self.latent_dim :]
        batch = ops.shape(mean)[0]
        tiled_mean = ops.broadcast_to(mean[None], (self.k, batch, self.latent_dim))
        tiled_log_var = ops.broadcast_to(log_var[None], (self.k, batch, self.latent_dim))
        z = self.sampling([tiled_mean, tiled_log_var])  # (k, batch, latent_dim)
        decoded = self.decoder(ops.reshape(z, (-1, self.latent_dim)), training=training)
        data_shape = tuple(decoded.shape[1:])
        repeated = ops.reshape(
            ops.broadcast_to(ops.cast(data, decoded.dtype)[None], (self.k, batch) + data_shape),
            (-1,) + data_shape,
        )
        log_px = ops.reshape(-self.negative_log_likelihood(repeated, decoded), (self.k, batch))
        # log p(z) - log q(z | x) from the draw itself: epsilon = (z - mu) / sigma.
        epsilon = (z - tiled_mean) * ops.exp(-0.5 * tiled_log_var)
        log_prior_ratio = log_prior_over_posterior(z, epsilon, ops.sum(log_var, axis=-1)[None])
        record.update(
            code=code,
            sampled_code=z,
            reconstruction=ops.reshape(decoded, (self.k, batch) + data_shape)[0],
            log_px=log_px,
            log_weights=log_px + ops.cast(log_prior_ratio, log_px.dtype),
        )
        return record

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Minus the bound, averaged over the batch (weighted by ``sample_weight`` if given)."""
        # The model is a density of its inputs: the target y (`aelib.fit` passes x) is unused.
        del x, y, training
        log_weights = y_pred["log_weights"]
        if self.bound == "importance_weighted":
            per_sample = -importance_weighted_bound(log_weights, axis=0)
        else:
            per_sample = -ops.mean(log_weights, axis=0)
        code = y_pred["code"]
        kl = gaussian_kl(code[:, : self.latent_dim], code[:, self.latent_dim :])
        reconstruction = ops.mean(-y_pred["log_px"], axis=0)
        batch_size = ops.shape(per_sample)[0]
        if sample_weight is not None:
            weights = ops.cast(ops.reshape(sample_weight, (-1,)), per_sample.dtype)
            total = ops.maximum(ops.sum(weights), 1e-12)
            loss = ops.sum(per_sample * weights) / total
            reconstruction = ops.sum(reconstruction * weights) / total
            kl = ops.sum(ops.cast(kl, weights.dtype) * weights) / total
        else:
            loss = ops.mean(per_sample)
            reconstruction = ops.mean(reconstruction)
            kl = ops.mean(kl)
        self.reconstruction_tracker.update_state(reconstruction, sample_weight=batch_size)
        self._regularization_trackers["kl"].update_state(kl, sample_weight=batch_size)
        for extra in self.losses:  # kernel regularizers and add_loss of sub-layers
            loss = loss + ops.cast(ops.sum(extra), loss.dtype)
        return per_replica_loss(loss)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        config.pop("beta")  # the bound has no KL weight
        config.update({"k": self.k, "bound": self.bound, "binarize": self.binarize})
        return config
