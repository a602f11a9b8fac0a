"""Data, schedule, models and measurements of the VAE likelihood study (Burda et al., 2016).

Shared by the notebook and its tests, so that the protocol is written once:

* `load_mnist`: grey-level training images in [0, 1] (the models binarize them afresh at every
  step) and a test set binarized once, with a seeded generator;
* `schedule`: Burda et al.'s eight learning rates, with the stage lengths compressed to a budget;
* `build`: the 784-200-200-50 model (tanh, Bernoulli) for a number of samples and a bound;
* `active_units`: Burda et al.'s count of the latent units that the encoder uses.
"""

from __future__ import annotations

import numpy as np

import aelib
from aelib.models import builders

LATENT = 50
HIDDEN = [200, 200]

# Burda et al., Table 1, one stochastic layer (test NLL, nats, k = 5000 evaluation).
PUBLISHED_NLL = {
    "vae_k1": 86.76,
    "vae_k5": 86.47,
    "vae_k50": 86.35,
    "iwae_k1": 86.76,
    "iwae_k5": 85.54,
    "iwae_k50": 84.78,
}
PAPER_STAGES = 8  # 3^(i-1) epochs at 1e-3 * 10^(-(i-1)/7), i = 1..8: 3,280 epochs in all
PAPER_EPOCHS = sum(3**i for i in range(PAPER_STAGES))


def load_mnist(seed, n_train=None, n_test=None):
    """MNIST as the study uses it.

    Args:
        seed: seeds the one binarization of the test images.
        n_train, n_test: keep only the first so many images (``None``: all of them).

    Returns:
        ``(x_train, x_test)``: ``x_train`` float32 grey levels in [0, 1], shape ``(n, 784)``;
        ``x_test`` float32 in {0, 1}: each pixel is 1 with probability its grey level, drawn
        once from NumPy's generator seeded by ``[seed, 10]``.
    """
    (x_train, _), (x_test, _) = aelib.data.mnist()
    x_train = (x_train.reshape(len(x_train), -1) / 255.0).astype("float32")[:n_train]
    grey = (x_test.reshape(len(x_test), -1) / 255.0)[:n_test]
    draws = np.random.default_rng([seed, 10]).random(grey.shape)
    return x_train, (draws < grey).astype("float32")


def schedule(epochs_per_stage, stages=PAPER_STAGES, base_rate=1e-3):
    """Burda et al.'s learning rates, ``base_rate * 10^(-(i-1)/7)`` for stage ``i``, with
    ``epochs_per_stage`` epochs each (the paper gives stage ``i`` ``3^(i-1)`` epochs).

    Returns:
        A list of ``(epochs, learning_rate)`` pairs.

    Example:
        >>> [(e, round(r, 6)) for e, r in schedule(2, stages=3)]
        [(2, 0.001), (2, 0.00072), (2, 0.000518)]
    """
    if int(epochs_per_stage) != epochs_per_stage or epochs_per_stage < 1:
        raise ValueError(f"epochs_per_stage must be a positive integer, got {epochs_per_stage!r}")
    return [(int(epochs_per_stage), base_rate * 10 ** (-i / 7)) for i in range(stages)]


def build(k, bound, seed):
    """A function that builds Burda et al.'s one-layer model: 784-200-200-50 (tanh), Bernoulli,
    trained on ``k`` draws of ``bound``, binarizing each batch afresh."""

    def make():
        encoder = builders.dense_encoder((784,), HIDDEN, code_dim=2 * LATENT, activation="tanh")
        decoder = builders.dense_decoder(
            LATENT, HIDDEN[::-1], output_shape=(784,), activation="tanh"
        )
        return aelib.ImportanceWeightedAutoencoder(
            encoder, decoder, LATENT, k=k, bound=bound, binarize=True, seed=seed
        )

    return make


def active_units(model, x, threshold=0.01):
    """Burda et al.'s active units: the latent dimensions ``u`` whose posterior mean varies
    over the data, ``Var_x(E_q[u | x]) > threshold``.

    Returns:
        ``(count, variances)``: an int and the float64 variance of each dimension.
    """
    variances = np.asarray(model.transform(x, batch_size=1000), np.float64).var(axis=0)
    return int(np.sum(variances > threshold)), variances
