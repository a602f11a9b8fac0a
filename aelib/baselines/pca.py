"""Baselines that share the autoencoders' interface, so a study compares them in one line.

`PCA` is the linear baseline of every chapter: the best rank-k reconstruction in squared error
(Eckart-Young), which a linear autoencoder can at best match.
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA as _SklearnPCA

from aelib._validation import positive_int


class PCA:
    """Principal component analysis with the `Autoencoder` interface.

    Works on batches of any sample shape (images are flattened for the projection and reshaped
    back). ``encode``/``transform`` give the component scores, ``decode``/``inverse_transform``
    map scores back, ``reconstruct`` does both, ``reconstruction_error`` gives the per-sample sum
    of squared errors.

    Args:
        n_components: number of principal components kept (the code size).
        whiten: scale the scores to unit variance (does not change reconstructions).
        seed: seed of the randomized SVD solver; the default ``"full"`` solver is exact.
        svd_solver: passed to `sklearn.decomposition.PCA`.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(100, 5))
        >>> pca = PCA(n_components=5).fit(x)
        >>> bool(np.allclose(pca.reconstruct(x), x))
        True
    """

    def __init__(self, n_components, whiten=False, seed=0, svd_solver="full"):
        self.n_components = positive_int("n_components", n_components)
        self.whiten = whiten
        self.seed = seed
        self.svd_solver = svd_solver
        self._pca = None
        self._sample_shape = None

    def fit(self, x):
        """Fits the components to ``x`` (shape ``(n_samples, ...)``); returns ``self``."""
        flat = self._flatten(x, fitting=True)
        if self.n_components > min(flat.shape):
            raise ValueError(
                f"n_components={self.n_components} must be at most min(n_samples, n_features) "
                f"= {min(flat.shape)}"
            )
        self._pca = _SklearnPCA(
            n_components=self.n_components,
            whiten=self.whiten,
            svd_solver=self.svd_solver,
            random_state=self.seed,
        ).fit(flat)
        return self

    def transform(self, x):
        """Component scores of ``x``: shape ``(n_samples, n_components)``."""
        return self._fitted().transform(self._flatten(x))

    def inverse_transform(self, code):
        """Maps component scores back to samples of the fitted shape."""
        flat = self._fitted().inverse_transform(np.asarray(code, dtype=np.float64))
        return flat.reshape((len(flat),) + self._sample_shape)

    encode = transform
    decode = inverse_transform

    def reconstruct(self, x):
        """The projection of ``x`` on the principal subspace, in the shape of ``x``."""
        return self.inverse_transform(self.transform(x))

    def reconstruction_error(self, x):
        """Per-sample sum of squared reconstruction errors, shape ``(n_samples,)``."""
        x = np.asarray(x, dtype=np.float64)
        return np.square(x - self.reconstruct(x)).reshape(len(x), -1).sum(axis=1)

    @property
    def components_(self):
        """The principal directions, ``(n_components, n_features)``, orthonormal rows."""
        return self._fitted().components_

    @property
    def mean_(self):
        return self._fitted().mean_

    @property
    def explained_variance_ratio_(self):
        return self._fitted().explained_variance_ratio_

    def _fitted(self):
        if self._pca is None:
            raise RuntimeError("this PCA is not fitted yet; call fit(x) first")
        return self._pca

    def _flatten(self, x, fitting=False):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim < 2:
            raise ValueError(f"x must be a batch (n_samples, n_features, ...), got shape {x.shape}")
        if fitting:
            self._sample_shape = x.shape[1:]
        elif x.shape[1:] != self._sample_shape:
            raise ValueError(
                f"x has samples of shape {x.shape[1:]}, the PCA was fitted on {self._sample_shape}"
            )
        return x.reshape(len(x), -1)
