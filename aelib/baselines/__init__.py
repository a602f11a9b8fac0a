"""Baselines that speak the models' protocol (``fit``, ``transform``, ``reconstruct``,
``score_samples``), so that a study compares them with an autoencoder in one function
(`aelib.evaluation.compare`).

* `pca` — `PCA`, principal component analysis, the linear baseline of every chapter:
  ``fit(x)``, ``transform(x)`` / ``encode(x)`` (component scores, NumPy), ``inverse_transform``
  / ``decode``, ``reconstruct(x)``, ``reconstruction_error(x)`` (per-sample sum of squared
  errors), ``score_samples(x)`` (its negative: higher = more normal), and the fitted
  ``components_``, ``mean_``, ``explained_variance_ratio_``.

* `logistic_pca` — `LogisticPCA` (Schein et al., 2003), a rank-``k`` model of Bernoulli
  logits, Hinton & Salakhutdinov's second baseline: the same methods, reconstructions being
  pixel probabilities.

* `hashing` — binary codes for retrieval, scikit-learn style (``fit(x)``, ``transform(x)`` gives
  uint8 bits; dense or `scipy.sparse` ``x``): `LSH`, random hyperplanes (Charikar, 2002), and
  `ITQ`, iterative quantization (Gong & Lazebnik, 2011), the baselines of semantic hashing
  (`aelib.evaluation.retrieval`).

* `codecs` — the classical image codecs that learned compression is compared with, through
  Pillow, each with one rate parameter and fixed settings: `JPEG`, `JPEG2000`, `WebP` and
  `AVIF` (``compress(image)`` gives bytes, ``decompress(data)`` a uint8 RGB image; `Codec` is
  their protocol), and `rate_distortion_sweep`, the points of a codec over a set of images (mean
  bpp from the bytes, PSNR, MS-SSIM, encoding and decoding times), by default at
  ``codecs.DEFAULT_SWEEPS`` (about 0.1 to 1.2 bpp on Kodak); ``codecs.CODECS`` maps the names to
  the classes.

scikit-learn's detectors (`sklearn.ensemble.IsolationForest`, `sklearn.svm.OneClassSVM`, ...)
already have ``score_samples`` and plug into `aelib.evaluation.compare` as they are.
"""

from aelib.baselines import codecs, hashing, logistic_pca, pca
from aelib.baselines.codecs import (
    AVIF,
    JPEG,
    JPEG2000,
    Codec,
    WebP,
    rate_distortion_sweep,
)
from aelib.baselines.hashing import ITQ, LSH
from aelib.baselines.logistic_pca import LogisticPCA
from aelib.baselines.pca import PCA

__all__ = [
    "AVIF",
    "ITQ",
    "JPEG",
    "JPEG2000",
    "LSH",
    "PCA",
    "Codec",
    "LogisticPCA",
    "WebP",
    "codecs",
    "hashing",
    "logistic_pca",
    "pca",
    "rate_distortion_sweep",
]
