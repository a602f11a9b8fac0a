"""Data, detectors and scoring of the anomaly-detection study (the one-class protocol of Ruff et
al., 2018).

* `one_class_split` — one normal class of MNIST or Fashion-MNIST: its training images (normal),
  a held-out tenth of them (normal validation data), and the whole test set labelled 1 =
  anomalous (the nine other classes); global contrast normalization, then min-max scaling
  fitted on the normal training images;
* `fashion_to_mnist_split` — every Fashion-MNIST class normal, MNIST test digits anomalous;
* `baselines` — PCA reconstruction error, OC-SVM, Isolation Forest and a Gaussian KDE, with
  their hyperparameters fixed in advance or chosen on the normal validation images;
* `autoencoders` — the autoencoder-family detectors, trained on the normal images;
* `auroc_table` — the one function that scores every detector.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import keras
import numpy as np
from scipy.special import logsumexp
from sklearn.ensemble import IsolationForest
from sklearn.svm import OneClassSVM

import aelib
from aelib import data
from aelib.evaluation import compare

LOADERS = {"mnist": data.mnist, "fashion_mnist": data.fashion_mnist}
IMAGE_SHAPE = (28, 28, 1)
# The KDE bandwidths tried, a factor of about sqrt(2) apart; on these scaled images the held-out
# normal data prefer narrow kernels (near-duplicate images pull the optimum down).
BANDWIDTHS = (0.01, 0.014, 0.02, 0.028, 0.04, 0.056, 0.08, 0.11, 0.16, 0.23, 0.32)
CODE_DIM = 32  # the code size of Ruff et al.'s MNIST network, used by every autoencoder here


# ---------------------------------------------------------------------- data
def global_contrast_normalization(x):
    """Ruff et al.'s global contrast normalization (l1): each image minus its mean, divided by
    its mean absolute deviation from that mean.

    Args:
        x: images ``(n, ...)``.

    Returns:
        float64 images of the same shape.

    Example:
        >>> global_contrast_normalization(np.array([[0.0, 2.0, 4.0, 6.0]]))
        array([[-1.5, -0.5,  0.5,  1.5]])
    """
    x = np.asarray(x, np.float64)
    flat = x.reshape(len(x), -1)
    centred = flat - flat.mean(axis=1, keepdims=True)
    scale = np.abs(centred).mean(axis=1, keepdims=True)
    return (centred / np.where(scale > 0, scale, 1.0)).reshape(x.shape)


@functools.lru_cache(maxsize=2)
def _normalized(dataset):
    (x_train, y_train), (x_test, y_test) = LOADERS[dataset]()
    return (
        global_contrast_normalization(x_train),
        y_train.astype(int),
        global_contrast_normalization(x_test),
        y_test.astype(int),
    )


@dataclass
class OneClassSplit:
    """The images of one one-class problem, ``(n, 28, 28, 1)`` float32, scaled alike."""

    x_train: np.ndarray  # normal training images
    x_val: np.ndarray  # held-out normal training images (for choices, never the test set)
    x_test: np.ndarray  # test images, normal and anomalous
    labels: np.ndarray  # 1 = anomalous, 0 = normal, one per test image
    low: float  # min-max scaling fitted on x_train: (x - low) / (high - low)
    high: float


def _scaled(x_train, x_val, x_test, labels):
    low, high = float(x_train.min()), float(x_train.max())

    def scale(x):
        return ((x - low) / (high - low)).reshape((-1,) + IMAGE_SHAPE).astype(np.float32)

    return OneClassSplit(
        scale(x_train), scale(x_val), scale(x_test), np.asarray(labels, int), low, high
    )


def _hold_out(x, val_fraction, seed):
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = int(round(val_fraction * len(x)))
    return x[order[n_val:]], x[order[:n_val]]


def one_class_split(dataset, normal_class, *, val_fraction=0.1, seed=0, n_train=None, n_test=None):
    """One problem of the one-class benchmark.

    Args:
        dataset: ``"mnist"`` or ``"fashion_mnist"``.
        normal_class: the class (0-9) whose training images are the normal data.
        val_fraction: share of those images held out as normal validation data.
        seed: seed of the hold-out draw.
        n_train: keep at most this many normal training images (``None``: all).
        n_test: score only the first ``n_test`` test images (``None``: all 10,000).

    Returns:
        A `OneClassSplit`. Min and max of the scaling come from the normal training images
        only, after contrast normalization, as in Ruff et al.'s code.

    Example:
        >>> split = one_class_split("mnist", 3, n_train=100, n_test=50)
        >>> split.x_train.shape, split.x_val.shape, split.labels.shape
        ((90, 28, 28, 1), (10, 28, 28, 1), (50,))
        >>> float(split.x_train.min()), float(split.x_train.max())
        (0.0, 1.0)
    """
    if dataset not in LOADERS:
        raise ValueError(f"dataset must be one of {list(LOADERS)}, got {dataset!r}")
    if normal_class not in range(10):
        raise ValueError(f"normal_class must be an integer 0-9, got {normal_class!r}")
    x_train, y_train, x_test, y_test = _normalized(dataset)
    normal = x_train[y_train == normal_class][:n_train]
    train, val = _hold_out(normal, val_fraction, seed)
    x_test, y_test = x_test[:n_test], y_test[:n_test]
    return _scaled(train, val, x_test, y_test != normal_class)


def fashion_to_mnist_split(*, val_fraction=0.1, seed=0, n_train=None, n_test=None):
    """Every Fashion-MNIST training image normal; the test set is the Fashion-MNIST test images
    (normal) followed by the MNIST test digits (anomalous), ``n_test`` of each.

    Example:
        >>> split = fashion_to_mnist_split(n_train=100, n_test=20)
        >>> split.x_test.shape, int(split.labels.sum())
        ((40, 28, 28, 1), 20)
    """
    fashion_train, _, fashion_test, _ = _normalized("fashion_mnist")
    _, _, mnist_test, _ = _normalized("mnist")
    train, val = _hold_out(fashion_train[:n_train], val_fraction, seed)
    x_test = np.concatenate([fashion_test[:n_test], mnist_test[:n_test]])
    labels = np.r_[np.zeros(len(fashion_test[:n_test])), np.ones(len(mnist_test[:n_test]))]
    return _scaled(train, val, x_test, labels)


# ---------------------------------------------------------------------- baselines
class GaussianKDE:
    """A Gaussian kernel density estimate, ``log p(x) = logsumexp_i(-|x - x_i|^2 / 2h^2) -
    log n - (d / 2) log(2 pi h^2)``, computed exactly with matrix products.

    It is scikit-learn's ``KernelDensity(kernel="gaussian", bandwidth=h)`` (the test checks
    the two agree), without its tree search, which in 784 dimensions examines every training
    point anyway and takes minutes per test set.

    Example:
        >>> kde = GaussianKDE(bandwidth=1.0).fit(np.zeros((1, 2)))
        >>> round(float(kde.score_samples(np.zeros((1, 2)))[0]), 6)  # -log(2 pi)
        -1.837877
    """

    def __init__(self, bandwidth):
        if not np.isfinite(bandwidth) or bandwidth <= 0:
            raise ValueError(f"bandwidth must be a finite number > 0, got {bandwidth!r}")
        self.bandwidth = float(bandwidth)

    def fit(self, x):
        self.points_ = np.asarray(x, np.float64).reshape(len(x), -1)
        self.squared_norms_ = np.sum(self.points_**2, axis=1)
        return self

    def score_samples(self, x, chunk=2_000):
        x = np.asarray(x, np.float64).reshape(len(x), -1)
        n, d = self.points_.shape
        h2 = self.bandwidth**2
        out = np.empty(len(x))
        for start in range(0, len(x), chunk):
            part = x[start : start + chunk]
            squared = (
                np.sum(part**2, axis=1)[:, None]
                - 2.0 * part @ self.points_.T
                + self.squared_norms_[None, :]
            )
            out[start : start + chunk] = logsumexp(-np.maximum(squared, 0.0) / (2 * h2), axis=1)
        return out - np.log(n) - 0.5 * d * np.log(2 * np.pi * h2)


def choose_bandwidth(x_train, x_val, grid):
    """The bandwidth of ``grid`` whose KDE of ``x_train`` gives the normal validation images
    ``x_val`` the highest mean log-density (no anomaly is looked at).

    Returns:
        ``(bandwidth, {bandwidth: mean validation log-density})``.
    """
    scores = {
        float(h): float(GaussianKDE(h).fit(x_train).score_samples(x_val).mean()) for h in grid
    }
    return max(scores, key=scores.get), scores


def pca_components(x_train, variance=0.9):
    """The number of principal components that explain ``variance`` of the normal training
    images' variance (a choice made on the training data alone)."""
    ratios = aelib.PCA(min(x_train[0].size, len(x_train))).fit(x_train).explained_variance_ratio_
    return int(np.searchsorted(np.cumsum(ratios), variance) + 1)


def baselines(split, seed=0, bandwidth_grid=BANDWIDTHS):
    """The four scikit-learn-protocol baselines, fitted on the normal training images.

    * PCA reconstruction error, with the components that explain 90 % of the variance;
    * OC-SVM, RBF kernel, ``gamma="scale"`` and ``nu=0.1`` (fixed in advance);
    * Isolation Forest, 100 trees, scikit-learn's defaults;
    * Gaussian KDE, bandwidth chosen on the normal validation images (`choose_bandwidth`).

    Returns:
        ``({name: fitted detector}, {name: the choice made})``.
    """
    flat = split.x_train.reshape(len(split.x_train), -1)
    n_components = pca_components(flat)
    bandwidth, _ = choose_bandwidth(flat, split.x_val.reshape(len(split.x_val), -1), bandwidth_grid)
    detectors = {
        "pca": aelib.PCA(n_components).fit(split.x_train),
        "ocsvm": OneClassSVM(kernel="rbf", gamma="scale", nu=0.1).fit(flat),
        "isolation_forest": IsolationForest(n_estimators=100, random_state=seed).fit(flat),
        "kde": GaussianKDE(bandwidth).fit(flat),
    }
    return detectors, {"pca_components": n_components, "kde_bandwidth": bandwidth}


# ---------------------------------------------------------------------- autoencoders
def lenet_encoder(code_dim=CODE_DIM):
    """Ruff et al.'s MNIST network: two 5x5 convolutions (8 and 4 filters), each with batch
    normalization, leaky ReLU and 2x2 max pooling, then a dense code; no bias anywhere (Deep
    SVDD requires it, see `aelib.DeepSVDD`)."""
    layers = keras.layers
    inputs = keras.Input(IMAGE_SHAPE)
    h = inputs
    for filters in (8, 4):
        h = layers.Conv2D(filters, 5, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization(epsilon=1e-4, center=False, scale=False)(h)
        h = layers.MaxPooling2D()(layers.LeakyReLU(0.1)(h))
    code = layers.Dense(code_dim, use_bias=False)(layers.Flatten()(h))
    return keras.Model(inputs, code, name="lenet_encoder")


def lenet_decoder(code_dim=CODE_DIM):
    """The mirror of `lenet_encoder`: the code as 2-channel 4x4 maps (for ``code_dim = 32``),
    three upsamplings with 5x5 transposed convolutions, cropped to 28x28; sigmoid output."""
    layers = keras.layers
    inputs = keras.Input((code_dim,))
    h = layers.LeakyReLU(0.1)(layers.Reshape((4, 4, code_dim // 16))(inputs))
    for filters in (4, 8):
        h = layers.Conv2DTranspose(filters, 5, padding="same", use_bias=False)(
            layers.UpSampling2D()(h)
        )
        h = layers.LeakyReLU(0.1)(
            layers.BatchNormalization(epsilon=1e-4, center=False, scale=False)(h)
        )
    h = layers.Conv2DTranspose(1, 5, padding="same", use_bias=False)(layers.UpSampling2D()(h))
    outputs = layers.Activation("sigmoid")(layers.Cropping2D(2)(h))
    return keras.Model(inputs, outputs, name="lenet_decoder")


def dense_autoencoder(hidden=(256,), code_dim=CODE_DIM):
    """784-256-32-256-784 (ReLU; linear code and output), the dense detector."""
    return aelib.Autoencoder(
        aelib.builders.dense_encoder(IMAGE_SHAPE, list(hidden), code_dim),
        aelib.builders.dense_decoder(
            code_dim, list(hidden)[::-1], IMAGE_SHAPE, output_activation="linear"
        ),
    )


def denoising_autoencoder(seed, stddev=0.2):
    """The dense detector's network, trained to undo Gaussian noise of ``stddev``."""
    base = dense_autoencoder()
    return aelib.DenoisingAutoencoder(
        base.encoder, base.decoder, noise=aelib.GaussianNoise(stddev, seed=seed)
    )


def variational_autoencoder(seed, latent_dim=16, observation_std=0.1):
    """A VAE of the dense detector's widths: Gaussian decoder with a fixed standard deviation
    (the scaled images are not in [0, 1] beyond the training data, so not Bernoulli)."""
    encoder = aelib.builders.dense_encoder(IMAGE_SHAPE, [256], 2 * latent_dim)
    decoder = aelib.builders.dense_decoder(
        latent_dim, [256], IMAGE_SHAPE, output_activation="linear"
    )
    return aelib.VariationalAutoencoder(
        encoder,
        decoder,
        latent_dim,
        likelihood="gaussian",
        observation_std=observation_std,
        seed=seed,
    )


class LogLikelihoodScore:
    """A VAE scored by its importance-sampled ``log p(x)`` (`log_likelihood`, ``k`` draws)
    instead of its ELBO."""

    def __init__(self, vae, k, seed):
        self.vae, self.k, self.seed = vae, k, seed

    def score_samples(self, x):
        return self.vae.log_likelihood(x, k=self.k, seed=self.seed)


def deep_svdd(autoencoder):
    """A `aelib.DeepSVDD` on a copy of a trained autoencoder's encoder (the autoencoder keeps
    its own weights); its centre is set from the data when it is fitted."""
    encoder = keras.models.clone_model(autoencoder.encoder)
    encoder.set_weights(autoencoder.encoder.get_weights())
    return aelib.DeepSVDD(encoder, center_eps=0.1, weight_decay=0.5e-6)


def autoencoders(
    split, seed, epochs, batch_size=128, learning_rate=1e-3, svdd_rate=1e-4, loglik_k=100
):
    """Trains the autoencoder-family detectors of one problem on its normal training images.

    Args:
        split: a `OneClassSplit`.
        seed: seeds weights, shuffling and noise.
        epochs: ``{"dense": .., "denoising": .., "vae": .., "conv": .., "deep_svdd": ..}``.
        batch_size, learning_rate: of every autoencoder's Adam training.
        svdd_rate: Adam's learning rate of the one-class stage of Deep SVDD.
        loglik_k: importance samples of the VAE's log-likelihood score.

    Returns:
        ``({detector key: fitted detector}, {model: training seconds})``; the keys are those
        of the results (``ae_dense``, ``ae_conv``, ``ae_denoising``, ``ae_vae_elbo``,
        ``ae_vae_loglik``, ``ae_deep_svdd``).
    """
    x = split.x_train
    trained, seconds = {}, {}
    makers = {
        "dense": dense_autoencoder,
        "denoising": lambda: denoising_autoencoder(seed),
        "vae": lambda: variational_autoencoder(seed),
        "conv": lambda: aelib.Autoencoder(lenet_encoder(), lenet_decoder()),
    }
    for name, make in makers.items():
        started = time.perf_counter()
        history = aelib.fit(
            make,
            x,
            epochs=epochs[name],
            batch_size=batch_size,
            learning_rate=learning_rate,
            seed=seed,
            verbose=0,
        )
        trained[name] = history.model
        seconds[name] = time.perf_counter() - started
    started = time.perf_counter()
    svdd = aelib.fit(
        deep_svdd(trained["conv"]),
        x,
        epochs=epochs["deep_svdd"],
        batch_size=batch_size,
        learning_rate=svdd_rate,
        seed=seed,
        verbose=0,
    ).model
    seconds["deep_svdd"] = time.perf_counter() - started
    detectors = {
        "ae_dense": trained["dense"],
        "ae_conv": trained["conv"],
        "ae_denoising": trained["denoising"],
        "ae_vae_elbo": trained["vae"],
        "ae_vae_loglik": LogLikelihoodScore(trained["vae"], loglik_k, seed),
        "ae_deep_svdd": svdd,
    }
    return detectors, seconds


# ---------------------------------------------------------------------- scoring
def auroc_table(detectors, split):
    """AUROC of every detector on the split's test images: the one scoring function.

    Anomalies are label 1 and are detected by ``-score_samples`` (scikit-learn's sign), through
    `aelib.evaluation.compare`.

    Returns:
        ``{name: auroc}`` in the order of ``detectors``.
    """
    table = compare(detectors, split.x_test, labels=split.labels, metrics=("auroc",))
    return {name: row["auroc"] for name, row in table.items()}


def shift_detectors(split, seed, epochs, batch_size=128, learning_rate=1e-3, loglik_k=100):
    """The detectors of the Fashion-MNIST-to-MNIST test: the dense autoencoder, the VAE (ELBO
    and log-likelihood) and PCA, fitted on ``split``'s normal images.

    Returns:
        ``{detector key: fitted detector}``.
    """
    dense = aelib.fit(
        dense_autoencoder,
        split.x_train,
        epochs=epochs["dense"],
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        verbose=0,
    ).model
    vae = aelib.fit(
        lambda: variational_autoencoder(seed),
        split.x_train,
        epochs=epochs["vae"],
        batch_size=batch_size,
        learning_rate=learning_rate,
        seed=seed,
        verbose=0,
    ).model
    flat = split.x_train.reshape(len(split.x_train), -1)
    return {
        "ae_dense": dense,
        "ae_vae_elbo": vae,
        "ae_vae_loglik": LogLikelihoodScore(vae, loglik_k, seed),
        "pca": aelib.PCA(pca_components(flat)).fit(split.x_train),
    }


# ---------------------------------------------------------------------- tables
def summarize(auroc):
    """Per-class means over seeds, and the mean over classes with its spread over seeds.

    Args:
        auroc: ``{detector: {class: [AUROC of each seed]}}``.

    Returns:
        ``{detector: {"per_class", "mean", "std", "std_per_class"}}``; ``"per_class"`` is the
        mean over seeds of each class, ``"mean"`` the mean of those, ``"std"`` the standard
        deviation over seeds of the class-mean AUROC (``None`` for a detector run once, a
        baseline) and ``"std_per_class"`` that of each class.

    Example:
        >>> row = summarize({"ae": {0: [0.8, 1.0], 1: [0.6, 0.8]}})["ae"]
        >>> [round(v, 3) for v in row["per_class"]], round(row["mean"], 3), round(row["std"], 3)
        ([0.9, 0.7], 0.8, 0.1)
    """
    out = {}
    for name, by_class in auroc.items():
        classes = sorted(by_class)
        values = np.array([by_class[c] for c in classes], dtype=np.float64)  # (class, seed)
        several = values.shape[1] > 1
        out[name] = {
            "per_class": values.mean(axis=1).tolist(),
            "mean": float(values.mean()),
            "std": float(values.mean(axis=0).std()) if several else None,
            "std_per_class": values.std(axis=1).tolist() if several else None,
        }
    return out


def markdown_table(summary, columns, mean=True):
    """A Markdown table of AUROCs: a row per detector, a column per class (``columns``), then
    the mean over classes (with ``+-`` its spread over seeds when there is one)."""
    head = "| detector | " + " | ".join(str(c) for c in columns) + (" | mean |" if mean else " |")
    lines = [head, "|---" * (len(columns) + 1 + mean) + "|"]
    for name, row in summary.items():
        cells = [f"{v:.3f}" for v in row["per_class"]]
        if mean:
            spread = "" if row["std"] is None else f" ± {row['std']:.3f}"
            cells.append(f"**{row['mean']:.3f}**{spread}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def scores(detectors, x):
    """``{name: score_samples(x)}``, with ``x`` flattened for the scikit-learn detectors (which
    take ``(n, 784)``), as `auroc_table` passes it."""
    flat = x.reshape(len(x), -1)
    return {
        name: np.asarray(d.score_samples(flat if hasattr(d, "n_features_in_") else x), np.float64)
        for name, d in detectors.items()
    }
