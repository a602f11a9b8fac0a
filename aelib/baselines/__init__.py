"""Baselines that speak the models' protocol (``fit``, ``transform``, ``reconstruct``,
``score_samples``), so that a study compares them with an autoencoder in one function.

* `pca` — principal component analysis, the linear baseline of every chapter.
"""

from aelib.baselines.pca import PCA

__all__ = ["PCA"]
