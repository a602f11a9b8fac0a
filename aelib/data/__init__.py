"""Data sets, generated data and augmentation.

* `loaders` — MNIST, Fashion-MNIST, Kodak, BSD68, Set12, Train400, AT&T faces, BSDS500,
  20 Newsgroups and Reuters-21578: checked against their sha256, read from ``AELIB_DATA`` or
  downloaded once into a cache;
* `registry` — one record per data set: its files and their sha256, canonical source, reader,
  licence and citation (``PROVENANCE.md`` and ``sha256.txt`` in this folder are generated from
  it by `provenance`);
* `curves` — the synthetic curves of Hinton & Salakhutdinov (2006);
* `augmentation` — random rotations, scalings and shifts of images.
"""

from aelib.data import augmentation, curves, loaders, registry
from aelib.data.loaders import (
    BSDS500Images,
    DatasetError,
    Newsgroups,
    Reuters,
    att_faces,
    bsd68,
    bsds500,
    cache_dir,
    fashion_mnist,
    fetch,
    kodak,
    mnist,
    newsgroups20,
    reuters21578,
    set12,
    train400,
)

__all__ = [
    "BSDS500Images",
    "DatasetError",
    "Newsgroups",
    "Reuters",
    "att_faces",
    "augmentation",
    "bsd68",
    "bsds500",
    "cache_dir",
    "curves",
    "fashion_mnist",
    "fetch",
    "kodak",
    "loaders",
    "mnist",
    "newsgroups20",
    "registry",
    "reuters21578",
    "set12",
    "train400",
]
