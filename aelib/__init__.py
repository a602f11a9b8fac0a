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

from aelib import builders, metrics
from aelib.autoencoder import Autoencoder, reconstruction_error
from aelib.baselines import PCA
from aelib.training import fit, seed_everything

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
