"""aelib: the autoencoders of the book, in Keras 3 (TensorFlow or JAX backend).

Layout, one module per variant (each model subclasses `Autoencoder` and reports its loss terms
as named metrics):

* `aelib.autoencoder` — the `Autoencoder` model (undercomplete, overcomplete, linear) and its
  regularization hook;
* `aelib.sparse` — the k-sparse layer and the KL / L1 / L2 sparsity penalties;
* `aelib.denoising` — Gaussian, masking and salt-and-pepper noise layers, the denoising model;
* `aelib.contractive` — the Frobenius norm of the encoder's Jacobian as a penalty;
* `aelib.concrete` — feature selection with a Gumbel-softmax (concrete) selector layer;
* `aelib.variational` — the VAE: sampling layer, ELBO, importance-sampled log-likelihood;
* `aelib.rbm` and `aelib.deep` — RBMs trained with CD-1, greedy pretraining, unrolled deep
  autoencoders and their jointly trained twins;
* `aelib.builders` — dense and convolutional encoders/decoders;
* `aelib.baselines` — `PCA` with the autoencoders' interface;
* `aelib.curves` — the synthetic curves data set of Hinton & Salakhutdinov;
* `aelib.augmentation` — random rotations, scalings and shifts of images (the faces study);
* `aelib.metrics` — average squared error per image (Hinton & Salakhutdinov), PSNR;
* `aelib.training` — the seeded `fit` recipe; `aelib.autodiff` — Jacobians by autodiff;
* `aelib.datasets` — MNIST, Fashion-MNIST, Kodak, BSD68, Set12, Train400, AT&T faces;
* `aelib.plotting` — image rows and filter grids for the chapters;
* `aelib.study` — parameters, profiles and results files of the studies.
"""

import os

# Keep TensorFlow's C++ INFO/WARNING lines out of notebooks and terminals unless the user asked
# for them (set TF_CPP_MIN_LOG_LEVEL=0 before importing aelib to see them).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from aelib import augmentation, builders, curves, metrics  # noqa: E402
from aelib.autoencoder import Autoencoder, reconstruction_error  # noqa: E402
from aelib.baselines import PCA  # noqa: E402
from aelib.concrete import ConcreteAutoencoder, ConcreteSelector  # noqa: E402
from aelib.contractive import ContractiveAutoencoder  # noqa: E402
from aelib.deep import deep_autoencoder, fine_tune, unroll  # noqa: E402
from aelib.denoising import (  # noqa: E402
    DenoisingAutoencoder,
    GaussianNoise,
    MaskingNoise,
    SaltAndPepperNoise,
)
from aelib.rbm import RBM, pretrain_stack, train_rbm  # noqa: E402
from aelib.sparse import KSparse, SparseAutoencoder, SparsityPenalty, k_sparse_encoder  # noqa: E402
from aelib.training import fit, seed_everything  # noqa: E402
from aelib.variational import Sampling, VariationalAutoencoder  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "PCA",
    "RBM",
    "Autoencoder",
    "ConcreteAutoencoder",
    "ConcreteSelector",
    "ContractiveAutoencoder",
    "DenoisingAutoencoder",
    "GaussianNoise",
    "KSparse",
    "MaskingNoise",
    "SaltAndPepperNoise",
    "Sampling",
    "SparseAutoencoder",
    "SparsityPenalty",
    "VariationalAutoencoder",
    "builders",
    "deep_autoencoder",
    "fine_tune",
    "fit",
    "k_sparse_encoder",
    "metrics",
    "pretrain_stack",
    "reconstruction_error",
    "seed_everything",
    "train_rbm",
    "unroll",
]
