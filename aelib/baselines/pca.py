"""Baselines that share the autoencoders' interface, so a study compares them in one line.

`PCA` is the linear baseline of every chapter: the best rank-k reconstruction in squared error
(Eckart-Young), which a linear autoencoder can at best match.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.decomposition import PCA as _SklearnPCA

from aelib._validation import choice, data_array, positive_int

__all__ = ["PCA"]

_SVD_SOLVERS = ("full", "covariance_eigh", "randomized", "arpack", "auto")


class PCA:
    """Principal component analysis with the `Autoencoder` interface.

    Works on batches of any sample shape (images are flattened for the projection and reshaped
    back). It speaks the evaluation protocol of `aelib.evaluation` (after scikit-learn):

    * ``fit(x)`` returns ``self``;
    * ``transform(x)`` / ``encode(x)``: the component scores, a NumPy float64 array
      ``(n_samples, n_components)``;
    * ``inverse_transform(code)`` / ``decode(code)``: scores back to samples of the fitted shape;
    * ``reconstruct(x)``: both, a NumPy array in the shape of ``x``;
    * ``reconstruction_error(x)``: the per-sample sum of squared errors;
    * ``score_samples(x)``: its negative, so that higher means more normal.

    Args:
        n_components: number of principal components kept (the code size); a positive Python
            or NumPy integer.
        whiten: ``True`` or ``False``: scale the scores to unit variance (does not change
            reconstructions).
        seed: seed (``random_state``) of the randomized SVD solver; the default ``"full"``
            solver is exact.
        svd_solver: passed to `sklearn.decomposition.PCA`: ``"full"``, ``"covariance_eigh"``
            (fast for many samples of few features), ``"randomized"``, ``"arpack"`` or
            ``"auto"``.

    Raises:
        ValueError: if ``n_components`` is not a positive integer (bools are refused),
            ``whiten`` is not a bool, or ``svd_solver`` is unknown.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=(100, 5))
        >>> pca = PCA(n_components=5).fit(x)
        >>> bool(np.allclose(pca.reconstruct(x), x))
        True
        >>> pca2 = PCA(n_components=2).fit(x)
        >>> pca2.transform(x).shape, pca2.score_samples(x).shape
        ((100, 2), (100,))
        >>> bool(np.allclose(pca2.score_samples(x), -pca2.reconstruction_error(x)))
        True
    """

    def __init__(self, n_components, whiten=False, seed=0, svd_solver="full"):
        if isinstance(n_components, numbers.Integral) and not isinstance(n_components, bool):
            n_components = int(n_components)  # NumPy integers, e.g. from np.arange or a config
        self.n_components = positive_int("n_components", n_components)
        if not isinstance(whiten, (bool, np.bool_)):
            raise ValueError(f"whiten must be True or False, got {whiten!r}")
        self.whiten = bool(whiten)
        self.seed = seed
        self.svd_solver = choice("svd_solver", svd_solver, _SVD_SOLVERS)
        self._pca = None
        self._sample_shape = None

    def fit(self, x):
        """Fits the components to ``x``.

        Args:
            x: array ``(n_samples, ...)`` of finite values (images in [0, 1], or standardized
                data). Integer arrays with values above 1 (uint8 pixels) are refused: divide
                uint8 images by 255 first, as the models expect.

        Returns:
            ``self``.

        Raises:
            ValueError: if ``x`` is empty, not a batch, not finite, an integer array with values
                above 1, or has fewer samples or features than ``n_components``.
        """
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
        """Component scores of ``x``.

        ``encode`` is the same method. The codes are a NumPy array (float64), the same kind of
        array `aelib.Autoencoder.encode` and `aelib.Autoencoder.transform` return for NumPy
        input (an autoencoder's in its own float dtype, usually float32), so code that plots or
        classifies codes treats both alike.

        Args:
            x: array ``(n_samples, ...)`` with the sample shape the PCA was fitted on.

        Returns:
            NumPy array ``(n_samples, n_components)``.

        Raises:
            RuntimeError: if the PCA is not fitted.
            ValueError: if the sample shape differs from the fitted one (checked before ``x`` is
                converted), or ``x`` is empty, not finite, or integer with values above 1.
        """
        pca = self._fitted()
        return pca.transform(self._flatten(x))

    def inverse_transform(self, code):
        """Maps component scores ``(n_samples, n_components)`` back to samples of the fitted
        shape, a NumPy array ``(n_samples, ...)``; ``decode`` is the same method."""
        flat = self._fitted().inverse_transform(np.asarray(code, dtype=np.float64))
        return flat.reshape((len(flat),) + self._sample_shape)

    encode = transform
    decode = inverse_transform

    def reconstruct(self, x):
        """The projection of ``x`` on the principal subspace, a NumPy array in the shape of
        ``x``."""
        return self.inverse_transform(self.transform(x))

    def reconstruction_error(self, x):
        """Per-sample sum of squared reconstruction errors, shape ``(n_samples,)``."""
        x_hat = self.reconstruct(x)
        x = np.asarray(x, dtype=np.float64)
        return np.square(x - x_hat).reshape(len(x), -1).sum(axis=1)

    def score_samples(self, x):
        """Per-sample score with scikit-learn's sign, higher = more normal: the negative sum of
        squared reconstruction errors, shape ``(n_samples,)``.

        A sample far from the principal subspace of the training data scores low; pass the
        scores to `aelib.evaluation.metrics.auroc` negated, or use `aelib.evaluation.evaluate`.
        """
        return -self.reconstruction_error(x)

    @property
    def components_(self):
        """The principal directions, ``(n_components, n_features)``, orthonormal rows."""
        return self._fitted().components_

    @property
    def mean_(self):
        """The per-feature mean of the training data, ``(n_features,)``."""
        return self._fitted().mean_

    @property
    def explained_variance_ratio_(self):
        """Fraction of the training variance each component explains, ``(n_components,)``."""
        return self._fitted().explained_variance_ratio_

    def _fitted(self):
        if self._pca is None:
            raise RuntimeError("this PCA is not fitted yet; call fit(x) first")
        return self._pca

    def _flatten(self, x, fitting=False):
        shape = np.shape(x)
        if len(shape) < 2:
            raise ValueError(f"x must be a batch (n_samples, n_features, ...), got shape {shape}")
        # The shape is checked before the (possibly large) array is converted.
        if not fitting and tuple(shape[1:]) != self._sample_shape:
            raise ValueError(
                f"x has samples of shape {tuple(shape[1:])}, the PCA was fitted on "
                f"{self._sample_shape}"
            )
        # Non-empty, numeric, finite, no uint8 pixels: the check every model makes.
        flat = data_array("x", x).astype(np.float64, copy=False).reshape(shape[0], -1)
        if fitting:
            self._sample_shape = tuple(shape[1:])
        return flat
