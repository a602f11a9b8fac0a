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

scikit-learn's detectors (`sklearn.ensemble.IsolationForest`, `sklearn.svm.OneClassSVM`, ...)
already have ``score_samples`` and plug into `aelib.evaluation.compare` as they are.
"""

from aelib.baselines import logistic_pca, pca
from aelib.baselines.logistic_pca import LogisticPCA
from aelib.baselines.pca import PCA

__all__ = ["PCA", "LogisticPCA", "logistic_pca", "pca"]
