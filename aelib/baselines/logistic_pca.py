"""Logistic PCA (Schein, Saul & Ungar, 2003): a low-rank model of the logits of Bernoulli data.

PCA fits ``x ~= z U^T + m`` in squared error. For binary data (or grey levels read as pixel
probabilities) Schein et al. put the low-rank structure in the natural parameter instead:

    p(x_ij = 1) = sigmoid(theta_ij),    theta = Z U^T + 1 b^T,

with codes ``Z`` ``(n, k)``, a basis ``U`` ``(d, k)`` and a bias ``b`` ``(d,)``, fitted together by
maximum likelihood, i.e. by minimizing the cross-entropy ``sum_ij softplus(theta_ij) -
x_ij theta_ij``. New data are encoded with the basis and bias fixed (a convex problem in each
code). It is the second baseline of Hinton & Salakhutdinov (2006): on MNIST with 30 components
it reconstructs the test digits with a squared error of 8.01 per image, against 13.87 for
PCA-30 and 3.00 for their deep autoencoder.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy import optimize, special

from aelib._validation import data_array, non_negative, positive, positive_int

__all__ = ["LogisticPCA"]


class LogisticPCA:
    """Logistic PCA with the baselines' interface (``fit``, ``transform``, ``reconstruct``, ...).

    ``fit(x)`` minimizes the mean cross-entropy per sample, plus a small ridge that keeps the
    optimum finite (a rank-``k`` model of binary data could otherwise push its logits to
    infinity),

        (1/n) [ sum_ij softplus(theta_ij) - x_ij theta_ij  +  (l2/2) ||Z||^2 ]  +  (l2/2) ||U||^2,

    over ``Z``, ``U`` and ``b`` jointly by L-BFGS (SciPy), from the PCA solution rescaled to the
    logit scale. ``transform(x)`` minimizes the same objective over the codes alone. The
    reconstruction is the probability ``sigmoid(theta)``; ``reconstruction_error`` is its sum of
    squared errors per sample (the measure of Hinton & Salakhutdinov), and ``score_samples``
    minus it.

    Args:
        n_components: the code size ``k``, a positive integer.
        l2: the ridge weight, a non-negative number (default ``1e-4``: next to a cross-entropy of
            tens of nats per MNIST image, it changes nothing but the scale of unused
            directions).
        max_iter: the most L-BFGS iterations of each ``fit`` and ``transform``.
        tol: L-BFGS's tolerance on the projected gradient (``gtol``).

    Attributes:
        components_: after ``fit``, the basis ``U^T`` ``(n_components, n_features)``.
        bias_: after ``fit``, ``b`` ``(n_features,)``.
        n_iter_: iterations of the fit.
        converged_: whether L-BFGS met ``tol`` in the fit.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> logits = rng.normal(size=(300, 2)) @ rng.normal(size=(2, 12)) * 3  # rank 2
        >>> x = 1 / (1 + np.exp(-logits))  # grey levels in (0, 1)
        >>> model = LogisticPCA(n_components=2).fit(x)
        >>> model.transform(x).shape, model.reconstruct(x).shape
        ((300, 2), (300, 12))
        >>> bool(model.reconstruction_error(x).max() < 1e-4)  # PCA-2: 0.1 to 1 per sample
        True
    """

    def __init__(self, n_components, l2=1e-4, max_iter=500, tol=1e-5):
        if isinstance(n_components, numbers.Integral) and not isinstance(n_components, bool):
            n_components = int(n_components)
        self.n_components = positive_int("n_components", n_components)
        self.l2 = non_negative("l2", l2)
        self.max_iter = positive_int("max_iter", max_iter)
        self.tol = positive("tol", tol)
        self._sample_shape = None
        self._basis = None
        self._bias = None

    # ------------------------------------------------------------------ fitting
    def fit(self, x):
        """Fits codes, basis and bias to ``x`` (values in [0, 1]).

        Returns:
            ``self``.

        Raises:
            ValueError: if ``x`` is not a non-empty batch of finite values in [0, 1], or has
                fewer samples or features than ``n_components``.
        """
        flat = self._flatten(x, fitting=True)
        n, d = flat.shape
        k = self.n_components
        if k > min(n, d):
            raise ValueError(
                f"n_components={k} must be at most min(n_samples, n_features) = {min(n, d)}"
            )
        codes, basis, bias = _initial_solution(flat, k)
        # The codes enter as y = z / sqrt(n): the mean objective's curvature in each z_i is
        # 1/n of its curvature in U, and L-BFGS converges far faster on balanced variables.
        root_n = np.sqrt(n)

        def objective(params):
            z = root_n * params[: n * k].reshape(n, k)
            u = params[n * k : n * k + d * k].reshape(d, k)
            b = params[n * k + d * k :]
            loss, residual = _cross_entropy(flat, z @ u.T + b)
            loss += 0.5 * self.l2 * (np.sum(z * z) + n * np.sum(u * u))
            grad_y = root_n * (residual @ u + self.l2 * z)
            grad_u = residual.T @ z + n * self.l2 * u
            grad_b = residual.sum(axis=0)
            return loss / n, np.concatenate([grad_y.ravel(), grad_u.ravel(), grad_b]) / n

        start = np.concatenate([codes.ravel() / root_n, basis.ravel(), bias])
        result = self._minimize(objective, start, "fit")
        self._basis = result.x[n * k : n * k + d * k].reshape(d, k)
        self._bias = result.x[n * k + d * k :]
        self._training_codes = root_n * result.x[: n * k].reshape(n, k)
        self.n_iter_ = int(result.nit)
        self.converged_ = bool(result.success)
        return self

    def fit_transform(self, x):
        """``fit(x)``, returning the codes of ``x`` fitted with the basis (``(n_samples,
        n_components)``), which ``transform(x)`` would find again up to L-BFGS's tolerance."""
        return self.fit(x)._training_codes

    def transform(self, x):
        """The codes of ``x`` with the basis and bias fixed, a float64 array
        ``(n_samples, n_components)``; ``encode`` is the same method."""
        basis, bias = self._fitted()
        flat = self._flatten(x)
        n, k = len(flat), self.n_components
        # Start from the least-squares fit of the logits' linearization around the bias.
        slope = np.clip(special.expit(bias) * (1 - special.expit(bias)), 1e-2, None)
        start = np.linalg.lstsq(basis, ((flat - special.expit(bias)) / slope).T, rcond=None)[0]

        def objective(params):  # the sum of the samples' objectives: each code's own problem
            z = params.reshape(n, k)
            loss, residual = _cross_entropy(flat, z @ basis.T + bias)
            loss += 0.5 * self.l2 * np.sum(z * z)
            return loss, (residual @ basis + self.l2 * z).ravel()

        return self._minimize(objective, start.T.ravel(), "transform").x.reshape(n, k)

    def inverse_transform(self, code):
        """Pixel probabilities ``sigmoid(code U^T + b)`` in the fitted sample shape;
        ``decode`` is the same method."""
        basis, bias = self._fitted()
        flat = special.expit(np.asarray(code, dtype=np.float64) @ basis.T + bias)
        return flat.reshape((len(flat),) + self._sample_shape)

    encode = transform
    decode = inverse_transform

    def reconstruct(self, x):
        """``decode(encode(x))``, in the shape of ``x``."""
        return self.inverse_transform(self.transform(x))

    def reconstruction_error(self, x):
        """Per-sample sum of squared errors between ``x`` and its reconstruction."""
        x_hat = self.reconstruct(x)
        x = np.asarray(x, dtype=np.float64)
        return np.square(x - x_hat).reshape(len(x), -1).sum(axis=1)

    def score_samples(self, x):
        """Minus `reconstruction_error`: higher = more normal (scikit-learn's sign)."""
        return -self.reconstruction_error(x)

    @property
    def components_(self):
        """The basis ``U^T``, ``(n_components, n_features)`` (not orthonormal)."""
        return self._fitted()[0].T

    @property
    def bias_(self):
        """The bias ``b`` of the logits, ``(n_features,)``."""
        return self._fitted()[1]

    # ------------------------------------------------------------------ helpers
    def _minimize(self, objective, start, what):
        result = optimize.minimize(
            objective,
            start,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "gtol": self.tol, "maxcor": 20},
        )
        if not result.success:
            warnings.warn(
                f"LogisticPCA.{what}: L-BFGS stopped after {result.nit} iterations without "
                f"meeting tol={self.tol} ({result.message}); raise max_iter",
                RuntimeWarning,
                stacklevel=3,
            )
        return result

    def _fitted(self):
        if self._basis is None:
            raise RuntimeError("this LogisticPCA is not fitted yet; call fit(x) first")
        return self._basis, self._bias

    def _flatten(self, x, fitting=False):
        shape = np.shape(x)
        if len(shape) < 2:
            raise ValueError(f"x must be a batch (n_samples, n_features, ...), got shape {shape}")
        if not fitting and tuple(shape[1:]) != self._sample_shape:
            raise ValueError(
                f"x has samples of shape {tuple(shape[1:])}, the LogisticPCA was fitted on "
                f"{self._sample_shape}"
            )
        flat = data_array("x", x).astype(np.float64, copy=False).reshape(shape[0], -1)
        if flat.min() < 0 or flat.max() > 1:
            raise ValueError(
                "x must hold values in [0, 1] (binary data or pixel probabilities), got values "
                f"in [{flat.min():g}, {flat.max():g}]"
            )
        if fitting:
            self._sample_shape = tuple(shape[1:])
        return flat


def _cross_entropy(x, logits):
    """``sum softplus(logits) - x * logits`` and its gradient in the logits, ``sigmoid - x``."""
    loss = np.sum(np.logaddexp(0.0, logits)) - np.sum(x * logits)
    return loss, special.expit(logits) - x


def _initial_solution(x, k):
    """PCA's codes and basis on the logit scale: the logit's slope at ``p`` is ``1 / (p (1 - p))``,
    at least 4, so the scores and directions are each scaled by 2 (their product by 4)."""
    mean = x.mean(axis=0)
    centred = x - mean
    _, vectors = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
    directions = vectors[:, ::-1][:, :k]
    basis = 2.0 * directions
    codes = 2.0 * centred @ directions
    bias = special.logit(np.clip(mean, 1e-4, 1 - 1e-4))
    return codes, basis, bias
