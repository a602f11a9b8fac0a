"""aelib.baselines.hashing: random hyperplanes (LSH) and iterative quantization (ITQ)."""

import numpy as np
import pytest
from scipy import sparse

from aelib import baselines
from aelib.baselines import ITQ, LSH


def sparse_tfidf_like(rng, n=40, d=30, density=0.2):
    """Non-negative sparse rows, like TF-IDF vectors."""
    x = sparse.random(n, d, density=density, random_state=np.random.RandomState(0), format="csr")
    return x, x.toarray()


# ---------------------------------------------------------------------------------------------
# LSH
# ---------------------------------------------------------------------------------------------
def test_lsh_bits_are_signs_of_the_seeded_projections(rng):
    x = rng.normal(size=(25, 7))
    lsh = LSH(n_bits=12, seed=3).fit(x)
    projections = np.random.default_rng(3).standard_normal((7, 12))
    np.testing.assert_array_equal(lsh.projections_, projections)
    bits = lsh.transform(x)
    assert bits.dtype == np.uint8 and bits.shape == (25, 12)
    np.testing.assert_array_equal(bits, (x @ projections > 0).astype(np.uint8))
    np.testing.assert_array_equal(LSH(12, seed=3).fit_transform(x), bits)


def test_lsh_hamming_fraction_estimates_the_angle_over_pi(rng):
    # Charikar (2002): P[bit differs] = angle / pi. With 4,096 bits the standard error of the
    # fraction is at most 0.5 / 64 = 0.008; the tolerance is 4 of those.
    d = 20
    a = rng.normal(size=d)
    lsh = LSH(n_bits=4096, seed=0).fit(a[None])
    for angle in (0.2, np.pi / 4, np.pi / 2, 2.5):
        # b at the given angle from a, in the plane of a and a random direction.
        u = a / np.linalg.norm(a)
        w = rng.normal(size=d)
        w -= (w @ u) * u
        w /= np.linalg.norm(w)
        b = 3.0 * (np.cos(angle) * u + np.sin(angle) * w)
        bits = lsh.transform(np.stack([a, b]))
        fraction = np.mean(bits[0] != bits[1])
        assert abs(fraction - angle / np.pi) < 0.032, (angle, fraction)


def test_lsh_sparse_and_dense_inputs_give_the_same_bits(rng):
    x_sparse, x_dense = sparse_tfidf_like(rng)
    dense = LSH(64, seed=1).fit(x_dense)
    from_sparse = LSH(64, seed=1).fit(x_sparse)
    np.testing.assert_array_equal(from_sparse.projections_, dense.projections_)
    expected = dense.transform(x_dense)
    np.testing.assert_array_equal(dense.transform(x_sparse), expected)
    np.testing.assert_array_equal(dense.transform(sparse.csr_array(x_sparse)), expected)
    np.testing.assert_array_equal(dense.transform(x_sparse.tocsc()), expected)
    # A document with no words is on no positive side: all zeros.
    assert not dense.transform(np.zeros((1, x_dense.shape[1]))).any()


def test_lsh_accepts_integer_counts(rng):
    counts = rng.integers(0, 5, size=(10, 6))
    bits = LSH(8).fit(counts).transform(counts)
    np.testing.assert_array_equal(bits, LSH(8).fit(counts.astype(float)).transform(counts / 1.0))


# ---------------------------------------------------------------------------------------------
# ITQ
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def correlated(rng):
    return rng.normal(size=(300, 10)) @ rng.normal(size=(10, 10)) + 2.0


def test_itq_loss_never_increases_and_the_rotation_is_orthogonal(correlated):
    itq = ITQ(n_bits=6, n_iterations=40, seed=0).fit(correlated)
    loss = itq.quantization_loss_
    assert loss.shape == (40,)
    assert np.all(np.diff(loss) <= 1e-9 * loss[0])
    assert loss[-1] < loss[0]
    np.testing.assert_allclose(itq.rotation_.T @ itq.rotation_, np.eye(6), atol=1e-12)
    np.testing.assert_allclose(itq.components_ @ itq.components_.T, np.eye(6), atol=1e-10)


def test_itq_by_hand_one_iteration(correlated):
    # The reference: PCA by SVD, the seeded QR rotation, one sign step and one Procrustes step.
    itq = ITQ(n_bits=4, n_iterations=1, seed=5).fit(correlated)
    mean = correlated.mean(axis=0)
    np.testing.assert_allclose(itq.mean_, mean)
    _, _, vt = np.linalg.svd(correlated - mean, full_matrices=False)
    # The same principal subspace (signs are a convention): equal projectors.
    np.testing.assert_allclose(itq.components_.T @ itq.components_, vt[:4].T @ vt[:4], atol=1e-9)
    v = (correlated - mean) @ itq.components_.T
    q, r = np.linalg.qr(np.random.default_rng(5).standard_normal((4, 4)))
    r0 = q @ np.diag(np.sign(np.diag(r)))
    b = np.where(v @ r0 >= 0, 1.0, -1.0)
    u, _, zt = np.linalg.svd(v.T @ b)
    np.testing.assert_allclose(itq.rotation_, u @ zt, atol=1e-10)
    np.testing.assert_allclose(itq.quantization_loss_, [np.sum((b - v @ u @ zt) ** 2)])
    # transform: the signs of the centred, projected, rotated data.
    np.testing.assert_array_equal(
        itq.transform(correlated), (v @ itq.rotation_ > 0).astype(np.uint8)
    )


def test_itq_with_more_features_than_samples_finds_the_same_subspace(rng):
    x = rng.normal(size=(12, 30))
    itq = ITQ(n_bits=5, n_iterations=3).fit(x)
    _, _, vt = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    np.testing.assert_allclose(itq.components_.T @ itq.components_, vt[:5].T @ vt[:5], atol=1e-9)


def test_one_bit_itq_separates_two_clusters(rng):
    direction = np.zeros(8)
    direction[2] = 1.0
    left = rng.normal(scale=0.3, size=(50, 8)) - 4 * direction
    right = rng.normal(scale=0.3, size=(70, 8)) + 4 * direction
    x = np.concatenate([left, right])
    bits = ITQ(n_bits=1).fit(x).transform(x)[:, 0]
    assert len(set(bits[:50])) == 1 and len(set(bits[50:])) == 1 and bits[0] != bits[-1]


def test_itq_same_seed_same_bits_and_sparse_input(rng, correlated):
    a = ITQ(4, seed=2).fit_transform(correlated)
    np.testing.assert_array_equal(ITQ(4, seed=2).fit(correlated).transform(correlated), a)
    x_sparse, x_dense = sparse_tfidf_like(rng)
    dense = ITQ(3, n_iterations=10).fit(x_dense)
    from_sparse = ITQ(3, n_iterations=10).fit(x_sparse)
    np.testing.assert_allclose(from_sparse.rotation_, dense.rotation_, atol=1e-10)
    np.testing.assert_array_equal(from_sparse.transform(x_sparse), dense.transform(x_dense))


def test_itq_without_iterations_keeps_the_random_rotation(correlated):
    itq = ITQ(3, n_iterations=0, seed=1).fit(correlated)
    q, r = np.linalg.qr(np.random.default_rng(1).standard_normal((3, 3)))
    np.testing.assert_allclose(itq.rotation_, q * np.sign(np.diag(r)), atol=1e-12)
    assert itq.quantization_loss_.shape == (0,)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("model", [LSH, ITQ])
@pytest.mark.parametrize("n_bits", [0, -1, 2.0, True, None])
def test_bad_n_bits(model, n_bits):
    with pytest.raises(ValueError, match="n_bits must be a positive integer"):
        model(n_bits)


@pytest.mark.parametrize("model", [LSH, ITQ])
@pytest.mark.parametrize("seed", [-1, 0.5, None, "0"])
def test_bad_seed(model, seed):
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        model(2, seed=seed)


@pytest.mark.parametrize("n_iterations", [-1, 1.5, False])
def test_bad_n_iterations(n_iterations):
    with pytest.raises(ValueError, match="n_iterations must be a non-negative integer"):
        ITQ(2, n_iterations=n_iterations)


def test_itq_n_bits_at_most_samples_and_features(rng):
    with pytest.raises(ValueError, match=r"n_bits=5 must be at most .* = 4"):
        ITQ(5).fit(rng.normal(size=(10, 4)))
    with pytest.raises(ValueError, match=r"n_bits=5 must be at most .* = 3"):
        ITQ(5).fit(rng.normal(size=(3, 8)))


@pytest.mark.parametrize("model", [LSH(4), ITQ(2)])
def test_unfitted_wrong_features_and_bad_inputs(rng, model):
    x = rng.normal(size=(10, 5))
    with pytest.raises(RuntimeError, match=r"not fitted yet; call fit\(x\) first"):
        model.transform(x)
    model.fit(x)
    with pytest.raises(ValueError, match="x has 6 features, the model was fitted on 5"):
        model.transform(rng.normal(size=(3, 6)))
    with pytest.raises(ValueError, match="x has 6 features"):
        model.transform(sparse.csr_matrix(np.ones((3, 6))))
    broken = x.copy()
    broken[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.fit(broken)
    with pytest.raises(ValueError, match="NaN or infinite"):
        model.transform(sparse.csr_matrix(broken))
    for bad in (np.ones(5), np.zeros((0, 5)), np.ones((2, 2, 2))):
        with pytest.raises(ValueError, match="non-empty 2-d array"):
            model.fit(bad)
    with pytest.raises(ValueError, match="real numbers"):
        model.fit(np.array([["a", "b"]]))


def test_the_package_exports_the_hashing_baselines():
    assert baselines.LSH is baselines.hashing.LSH and baselines.ITQ is baselines.hashing.ITQ
    assert {"LSH", "ITQ", "hashing"} <= set(baselines.__all__)
