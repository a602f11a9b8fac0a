"""aelib: the autoencoders of the book, in Keras 3 (TensorFlow or JAX backend).

Layout:

* `aelib.autoencoder` — the `Autoencoder` model and its regularization hook;
* `aelib.builders` — dense and convolutional encoders/decoders;
* `aelib.baselines` — `PCA` with the autoencoders' interface;
* `aelib.metrics` — average squared error per image (Hinton & Salakhutdinov), PSNR;
* `aelib.training` — the seeded `fit` recipe;
* `aelib.datasets` — MNIST, Fashion-MNIST, Kodak, BSD68, Set12, Train400, AT&T faces;
* `aelib.study` — parameters, profiles and results files of the studies.
"""

import os

# Keep TensorFlow's C++ INFO/WARNING lines out of notebooks and terminals unless the user asked
# for them (set TF_CPP_MIN_LOG_LEVEL=0 before importing aelib to see them).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from aelib import builders, metrics  # noqa: E402
from aelib.autoencoder import Autoencoder, reconstruction_error  # noqa: E402
from aelib.baselines import PCA  # noqa: E402
from aelib.training import fit, seed_everything  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Autoencoder",
    "PCA",
    "builders",
    "fit",
    "metrics",
    "reconstruction_error",
    "seed_everything",
]
