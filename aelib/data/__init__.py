"""Data sets, generated data and augmentation.

* `loaders` — MNIST, Fashion-MNIST, Kodak, BSD68, Set12, Train400, AT&T faces: checked against
  their sha256, read from ``AELIB_DATA`` or downloaded once into a cache;
* `curves` — the synthetic curves of Hinton & Salakhutdinov (2006);
* `augmentation` — random rotations, scalings and shifts of images.
"""

from aelib.data import augmentation, curves, loaders
from aelib.data.loaders import (
    DatasetError,
    att_faces,
    bsd68,
    cache_dir,
    fashion_mnist,
    fetch,
    kodak,
    mnist,
    set12,
    train400,
)

__all__ = [
    "DatasetError",
    "att_faces",
    "augmentation",
    "bsd68",
    "cache_dir",
    "curves",
    "fashion_mnist",
    "fetch",
    "kodak",
    "loaders",
    "mnist",
    "set12",
    "train400",
]
