"""aelib: the autoencoders of the book, in Keras 3 (TensorFlow or JAX backend).

Layout, grouped by kind:

* `aelib.models` — one module per model: the base `Autoencoder` and its variants (sparse,
  denoising, contractive, concrete, variational, importance-weighted, vector-quantized),
  sparse dictionaries of a network's activations, RBMs and deep autoencoders, convolutional
  image denoisers, and the encoder/decoder `builders`;
* `aelib.data` — data-set loaders (MNIST, Fashion-MNIST, Kodak, BSD68, Set12, Train400, AT&T
  faces, ...), the synthetic curves and image augmentation;
* `aelib.baselines` — the classical methods the studies compare against (`PCA`,
  `LogisticPCA`);
* `aelib.evaluation` — metrics and the evaluation protocol shared by models and baselines;
* `aelib.training` — the seeded `fit` recipe; `aelib.study` — the study runner;
* `aelib.autodiff` — Jacobians of networks; `aelib.plotting` — figures of the chapters.

Every model and baseline speaks one protocol, after scikit-learn: ``fit``, ``transform``
(codes), ``reconstruct`` and ``score_samples`` (higher means more normal).
"""

import os

# Keep TensorFlow's C++ INFO/WARNING lines out of notebooks and terminals unless the user asked
# for them (set TF_CPP_MIN_LOG_LEVEL=0 before importing aelib to see them).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from aelib import baselines, data, evaluation, models, study, training  # noqa: E402
from aelib.baselines import PCA, LogisticPCA  # noqa: E402
from aelib.data import augmentation, curves  # noqa: E402
from aelib.evaluation import metrics  # noqa: E402
from aelib.models import *  # noqa: E402,F403  (every model, listed in aelib.models.__all__)
from aelib.training import fit, seed_everything  # noqa: E402

# `aelib.datasets` was the data module of 0.1; the package `aelib.data` has the same loaders.
datasets = data

__version__ = "0.2.0"

__all__ = sorted([*models.__all__, "PCA", "LogisticPCA", "fit", "metrics", "seed_everything"])
