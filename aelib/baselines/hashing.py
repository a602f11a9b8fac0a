"""Binary hashing baselines, scikit-learn style: ``fit(x)``, then ``transform(x)`` gives bits.

Semantic hashing with a deep autoencoder (Salakhutdinov & Hinton, 2009) is compared with two
data-independent and data-dependent classics, each mapping a document vector (TF-IDF, dense or
`scipy.sparse`) to ``n_bits`` bits, a uint8 array of 0s and 1s that `aelib.evaluation.retrieval`
ranks by Hamming distance or stores in a `HammingHashTable`:

* `LSH` — random hyperplanes (Charikar, 2002): bit ``j`` is 1 when ``x`` lies on the positive
  side of a random hyperplane through the origin, so that two vectors differ in a bit with
  probability ``angle / pi``;
* `ITQ` — iterative quantization (Gong & Lazebnik, 2011): PCA to ``n_bits`` dimensions, then
  the rotation that makes the signs of the projected data lose the least (alternating the
  codes and an orthogonal Procrustes problem).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from aelib._validation import non_negative_int, positive_int
from aelib._validation import seed as check_seed

__all__ = ["ITQ", "LSH"]


def _input(x, n_features=None, name="x"):
    """``x`` as a float64 2-d NumPy array or CSR matrix, checked: non-empty, numeric, finite,
    and with ``n_features`` columns when given (checked before a dense ``x`` is converted)."""
    if sparse.issparse(x):
        shape = x.shape
    else:
        shape = np.shape(x)
    if len(shape) != 2 or shape[0] == 0 or shape[1] == 0:
        raise ValueError(
            f"{name} must be a non-empty 2-d array (n_samples, n_features), dense or "
            f"scipy.sparse, got shape {tuple(shape)}"
        )
    if n_features is not None and shape[1] != n_features:
        raise ValueError(f"{name} has {shape[1]} features, the model was fitted on {n_features}")
    if sparse.issparse(x):
        x = sparse.csr_matrix(x)
        values = x.data
    else:
        x = np.asarray(x)
        values = x
    if values.dtype == bool or not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"{name} must hold real numbers, got dtype {values.dtype}")
    if np.iscomplexobj(values):
        raise ValueError(f"{name} must hold real numbers, got dtype {values.dtype}")
    x = x.astype(np.float64, copy=False)
    values = x.data if sparse.issparse(x) else x
    if not np.isfinite(values).all():
        bad = int(values.size - np.isfinite(values).sum())
        raise ValueError(f"{name} holds {bad} NaN or infinite value(s); remove or replace them")
    return x


def _project(x, matrix):
    """``x @ matrix`` as a dense float64 array, for a dense or a sparse ``x``."""
    return np.asarray(x @ matrix, dtype=np.float64)


class LSH:
    """Locality-sensitive hashing by random hyperplanes (Charikar, 2002: sign random
    projections, SimHash).

    ``fit`` draws ``n_bits`` directions ``R`` ``(n_features, n_bits)`` from a standard normal
    distribution; ``transform`` sets bit ``j`` of ``x`` to 1 when ``x . R[:, j] > 0``. For two
    vectors at angle ``theta`` a bit differs with probability ``theta / pi``, so the Hamming
    distance of long codes estimates the angle. Nothing is learned from the data but their
    number of features, and the data are not centered: on non-negative TF-IDF vectors this is
    the classic SimHash, whose hyperplanes all pass through the origin.

    Args:
        n_bits: the code length, a positive integer.
        seed: seed of `numpy.random.default_rng` for the directions, a non-negative integer.

    Attributes:
        projections_: after ``fit``, the directions ``R`` ``(n_features, n_bits)``.

    Raises:
        ValueError: if ``n_bits`` is not a positive integer or ``seed`` a non-negative one.

    Example:
        >>> x = np.array([[1.0, 0.0], [0.9, 0.1], [-1.0, 0.2]])
        >>> bits = LSH(n_bits=256, seed=0).fit(x).transform(x)
        >>> bits.shape, bits.dtype
        ((3, 256), dtype('uint8'))
        >>> d = (bits[:, None, :] != bits[None, :, :]).sum(axis=2)
        >>> bool(d[0, 1] < d[0, 2])  # the two near vectors share more bits
        True
    """

    def __init__(self, n_bits, seed=0):
        self.n_bits = positive_int("n_bits", n_bits)
        self.seed = check_seed(seed, allow_none=False)
        self.projections_ = None

    def fit(self, x):
        """Draws the directions for the number of features of ``x``.

        Args:
            x: array or `scipy.sparse` matrix ``(n_samples, n_features)`` of finite numbers.

        Returns:
            ``self``.

        Raises:
            ValueError: if ``x`` is not a non-empty 2-d array of finite numbers.
        """
        n_features = _input(x).shape[1]
        rng = np.random.default_rng(self.seed)
        self.projections_ = rng.standard_normal((n_features, self.n_bits))
        return self

    def transform(self, x):
        """The codes of ``x``: uint8 array ``(n_samples, n_bits)``, 1 where ``x @ R > 0``.

        Raises:
            RuntimeError: if the model is not fitted.
            ValueError: if ``x`` is invalid or has another number of features than in ``fit``.
        """
        if self.projections_ is None:
            raise RuntimeError("this LSH is not fitted yet; call fit(x) first")
        x = _input(x, n_features=self.projections_.shape[0])
        return (_project(x, self.projections_) > 0).astype(np.uint8)

    def fit_transform(self, x):
        """``fit(x)``, then ``transform(x)``."""
        return self.fit(x).transform(x)


class ITQ:
    """Iterative quantization (Gong & Lazebnik, CVPR 2011): PCA, then a learned rotation.

    ``fit`` centers the data (``mean_``) and projects them on their ``n_bits`` principal
    directions, ``V = (x - mean_) W``; then, from a random rotation ``R`` (the Q of the QR
    decomposition of a seeded standard normal matrix), it alternates ``n_iterations`` times

    * the codes ``B = sign(V R)`` (``sign(0) = +1``), the best codes for this rotation, and
    * the rotation that brings ``V`` nearest to ``B``, an orthogonal Procrustes problem:
      ``U S Z^T = svd(V^T B)``, ``R = U Z^T``,

    each step lowering the quantization loss ``||B - V R||_F^2`` (recorded after each
    iteration in ``quantization_loss_``, which never increases). ``transform`` returns the
    bits ``(x - mean_) W R > 0``.

    A sparse ``x`` (TF-IDF) is converted to a dense float64 array in ``fit`` (11,314 x 2,000
    for 20 Newsgroups: 181 MB); ``transform`` keeps it sparse.

    Args:
        n_bits: the code length, a positive integer, at most the number of features and of
            samples.
        n_iterations: number of alternations, a non-negative integer (0 keeps the random
            rotation).
        seed: seed of `numpy.random.default_rng` for the initial rotation.

    Attributes:
        mean_: after ``fit``, the per-feature mean ``(n_features,)``.
        components_: the principal directions ``W^T`` ``(n_bits, n_features)``, orthonormal
            rows, each signed so that its largest-magnitude entry is positive.
        rotation_: the rotation ``R`` ``(n_bits, n_bits)``.
        quantization_loss_: ``||B - V R||_F^2`` after each iteration, ``(n_iterations,)``.

    Raises:
        ValueError: if ``n_bits`` is not a positive integer, ``n_iterations`` a non-negative
            one, or ``seed`` a non-negative one.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = np.concatenate([rng.normal(-3, 1, (50, 4)), rng.normal(3, 1, (50, 4))])
        >>> itq = ITQ(n_bits=2, seed=0).fit(x)
        >>> bits = itq.transform(x)
        >>> bits.shape, bits.dtype
        ((100, 2), dtype('uint8'))
        >>> bool(np.all(np.diff(itq.quantization_loss_) <= 1e-9))
        True
    """

    def __init__(self, n_bits, n_iterations=50, seed=0):
        self.n_bits = positive_int("n_bits", n_bits)
        self.n_iterations = non_negative_int("n_iterations", n_iterations)
        self.seed = check_seed(seed, allow_none=False)
        self.mean_ = None
        self.components_ = None
        self.rotation_ = None
        self.quantization_loss_ = None

    def fit(self, x):
        """Learns the mean, the principal directions and the rotation from ``x``.

        Args:
            x: array or `scipy.sparse` matrix ``(n_samples, n_features)`` of finite numbers.

        Returns:
            ``self``.

        Raises:
            ValueError: if ``x`` is not a non-empty 2-d array of finite numbers, or has fewer
                samples or features than ``n_bits``.
        """
        x = _input(x)
        if self.n_bits > min(x.shape):
            raise ValueError(
                f"n_bits={self.n_bits} must be at most min(n_samples, n_features) = {min(x.shape)}"
            )
        x = x.toarray() if sparse.issparse(x) else x
        mean = x.mean(axis=0)
        centered = x - mean
        n_samples, n_features = centered.shape
        if n_features <= n_samples:  # the covariance is the smaller matrix
            _, vectors = np.linalg.eigh(centered.T @ centered)
            directions = vectors[:, ::-1][:, : self.n_bits].T
        else:
            _, _, vt = np.linalg.svd(centered, full_matrices=False)
            directions = vt[: self.n_bits]
        # Deterministic signs, as in scikit-learn's svd_flip.
        biggest = np.argmax(np.abs(directions), axis=1)
        directions = directions * np.sign(directions[np.arange(self.n_bits), biggest])[:, None]
        v = centered @ directions.T

        rng = np.random.default_rng(self.seed)
        q, r = np.linalg.qr(rng.standard_normal((self.n_bits, self.n_bits)))
        rotation = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # the unique Q with diag(R) > 0
        losses = np.empty(self.n_iterations)
        for iteration in range(self.n_iterations):
            codes = np.where(v @ rotation >= 0, 1.0, -1.0)
            u, _, zt = np.linalg.svd(v.T @ codes)
            rotation = u @ zt
            losses[iteration] = np.sum(np.square(codes - v @ rotation))

        self.mean_ = mean
        self.components_ = directions
        self.rotation_ = rotation
        self.quantization_loss_ = losses
        return self

    def transform(self, x):
        """The codes of ``x``: uint8 array ``(n_samples, n_bits)``, 1 where
        ``(x - mean_) W R > 0``; a sparse ``x`` stays sparse.

        Raises:
            RuntimeError: if the model is not fitted.
            ValueError: if ``x`` is invalid or has another number of features than in ``fit``.
        """
        if self.rotation_ is None:
            raise RuntimeError("this ITQ is not fitted yet; call fit(x) first")
        x = _input(x, n_features=len(self.mean_))
        matrix = self.components_.T @ self.rotation_
        return (_project(x, matrix) - self.mean_ @ matrix > 0).astype(np.uint8)

    def fit_transform(self, x):
        """``fit(x)``, then ``transform(x)``."""
        return self.fit(x).transform(x)
