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

scikit-learn's detectors (`sklearn.ensemble.IsolationForest`, `sklearn.svm.OneClassSVM`, ...)
already have ``score_samples`` and plug into `aelib.evaluation.compare` as they are.
"""

from aelib.baselines import hashing, logistic_pca, pca
from aelib.baselines.hashing import ITQ, LSH
from aelib.baselines.logistic_pca import LogisticPCA
from aelib.baselines.pca import PCA

__all__ = ["ITQ", "LSH", "PCA", "LogisticPCA", "hashing", "logistic_pca", "pca"]
