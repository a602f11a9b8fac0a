import warnings

import numpy as np
import pytest
from scipy import special

from aelib import PCA, LogisticPCA


def low_rank_bernoulli(rng, n=400, d=16, k=2, scale=3.0):
    """Binary data whose logits have rank k, with the true probabilities."""
    p = low_rank_probabilities(rng, n, d, k, scale)
    return (rng.random(p.shape) < p).astype(float), p


def low_rank_probabilities(rng, n=400, d=16, k=2, scale=3.0):
    """Grey levels sigmoid(theta) with theta of rank k (plus a bias): the data logistic PCA-k
    models exactly, as Hinton & Salakhutdinov use it (on pixel intensities)."""
    logits = rng.normal(size=(n, k)) @ rng.normal(size=(k, d)) * scale / np.sqrt(k)
    return special.expit(logits + rng.normal(size=d))


def test_one_feature_is_fitted_exactly():
    """With one feature and one component, theta_i = z_i u + b can hit logit(x_i) for every
    sample: without the ridge the probabilities are the data."""
    x = np.array([[0.2], [0.5], [0.7], [0.9]])
    model = LogisticPCA(1, l2=0.0, tol=1e-10)
    codes = model.fit_transform(x)
    logits = codes @ model.components_ + model.bias_
    np.testing.assert_allclose(logits[:, 0], special.logit(x[:, 0]), atol=1e-3)
    np.testing.assert_allclose(model.inverse_transform(codes), x, atol=1e-4)


def test_the_fit_is_a_stationary_point_of_its_objective(rng):
    """The gradient of (1/n)[sum softplus(theta) - x theta + l2/2 |Z|^2] + l2/2 |U|^2, written
    here in NumPy, vanishes at the fitted codes, basis and bias."""
    x = low_rank_probabilities(rng, n=120, d=10)
    model = LogisticPCA(2, l2=1e-2, tol=1e-8, max_iter=5000)
    z = model.fit_transform(x)
    u, b = model.components_.T, model.bias_
    n = len(x)
    residual = special.expit(z @ u.T + b) - x
    gradients = [
        (residual @ u + 1e-2 * z) / n,
        residual.T @ z / n + 1e-2 * u,
        residual.sum(axis=0) / n,
    ]
    assert model.converged_ and model.n_iter_ > 1
    for gradient in gradients:
        assert np.max(np.abs(gradient)) < 1e-5  # L-BFGS stops on its relative decrease


def test_transform_finds_each_code_by_itself(rng):
    """With the basis fixed the code of each sample is the minimum of a convex function of one
    variable (one component): a fine grid search finds the same value."""
    x, _ = low_rank_bernoulli(rng, n=200, d=8, k=1)
    model = LogisticPCA(1, l2=0.1).fit(x)
    u, b = model.components_[0], model.bias_
    new = x[:5]
    grid = np.linspace(-30, 30, 60001)[:, None]  # step 1e-3
    for row, code in zip(new, model.transform(new)[:, 0]):
        logits = grid * u + b
        objective = np.sum(np.logaddexp(0, logits) - row * logits, axis=1) + 0.05 * grid[:, 0] ** 2
        assert abs(code - grid[np.argmin(objective), 0]) < 2e-3


def test_it_recovers_sigmoid_of_a_low_rank_matrix_where_pca_cannot(rng):
    """Grey levels sigmoid(rank-2 logits): logistic PCA-2 reconstructs held-out samples almost
    exactly, PCA-2 (a linear subspace of a curved set) does not."""
    x = low_rank_probabilities(rng, n=1000)
    train, test = x[:800], x[800:]
    error_logistic = np.mean((LogisticPCA(2).fit(train).reconstruct(test) - test) ** 2)
    error_linear = np.mean((PCA(2).fit(train).reconstruct(test) - test) ** 2)
    assert error_logistic < 1e-5 < 1e-3 < error_linear, (error_logistic, error_linear)


def test_on_binary_data_the_ridge_limits_overfitting(rng):
    """Binary data let a weakly regularized model push its probabilities towards 0 and 1; a
    ridge of 0.1 keeps held-out reconstructions closer to the true probabilities, and closer than
    PCA's (measured: 0.036 at l2 = 1e-4, 0.016 at 0.1, PCA-2 0.018)."""
    x, p = low_rank_bernoulli(rng, n=600)
    train, test, p_test = x[:400], x[400:], p[400:]
    errors = {}
    for l2 in (1e-4, 0.1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # the weak ridge converges slowly
            model = LogisticPCA(2, l2=l2).fit(train)
            errors[l2] = np.mean((model.reconstruct(test) - p_test) ** 2)
    error_pca = np.mean((np.clip(PCA(2).fit(train).reconstruct(test), 0, 1) - p_test) ** 2)
    assert errors[0.1] < 0.6 * errors[1e-4] and errors[0.1] < error_pca, (errors, error_pca)


def test_reconstruction_error_and_scores_by_hand(rng):
    x, _ = low_rank_bernoulli(rng, n=100, d=6)
    model = LogisticPCA(2, l2=0.1).fit(x)
    x_hat = model.reconstruct(x)
    np.testing.assert_allclose(model.reconstruction_error(x), ((x - x_hat) ** 2).sum(axis=1))
    np.testing.assert_allclose(model.score_samples(x), -model.reconstruction_error(x))
    np.testing.assert_allclose(model.transform(x), model.encode(x))


def test_images_keep_their_shape(rng):
    x = rng.random((40, 3, 4))
    model = LogisticPCA(3, l2=0.1).fit(x)
    assert model.encode(x).shape == (40, 3)
    assert model.reconstruct(x).shape == (40, 3, 4)
    assert model.components_.shape == (3, 12) and model.bias_.shape == (12,)


def test_same_data_same_fit(rng):
    x = rng.random((50, 6))
    first, second = LogisticPCA(2).fit(x), LogisticPCA(2).fit(x)
    np.testing.assert_array_equal(first.components_, second.components_)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_components": 0}, "n_components"),
        ({"n_components": True}, "n_components"),
        ({"n_components": 2, "l2": -1.0}, "l2"),
        ({"n_components": 2, "tol": 0.0}, "tol"),
        ({"n_components": 2, "max_iter": 0}, "max_iter"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LogisticPCA(**kwargs)


def test_bad_data_is_refused(rng):
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        LogisticPCA(2).fit(rng.normal(size=(20, 5)))
    with pytest.raises(ValueError, match="n_components=9 must be at most"):
        LogisticPCA(9).fit(rng.random((20, 5)))
    with pytest.raises(RuntimeError, match="not fitted"):
        LogisticPCA(2).transform(rng.random((3, 5)))
    model = LogisticPCA(2).fit(rng.random((20, 5)))
    with pytest.raises(ValueError, match=r"fitted on \(5,\)"):
        model.transform(rng.random((3, 4)))


def test_too_few_iterations_warn(rng):
    with pytest.warns(RuntimeWarning, match="raise max_iter"):
        model = LogisticPCA(2, max_iter=1).fit(rng.random((30, 6)))
    assert not model.converged_
