import numpy as np
import pytest

from aelib import PCA


def test_reconstruction_equals_projection_on_top_singular_vectors(rng):
    x = rng.normal(size=(200, 12)) @ rng.normal(size=(12, 12))
    pca = PCA(n_components=3).fit(x)
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    projector = vt[:3].T @ vt[:3]
    expected = (x - mean) @ projector + mean
    np.testing.assert_allclose(pca.reconstruct(x), expected, atol=1e-10)
    np.testing.assert_allclose(pca.reconstruction_error(x), ((x - expected) ** 2).sum(axis=1))
    np.testing.assert_allclose(pca.components_ @ pca.components_.T, np.eye(3), atol=1e-12)


def test_images_keep_their_shape_and_code_has_n_components(rng):
    x = rng.random((50, 4, 5))
    pca = PCA(6).fit(x)
    code = pca.encode(x)
    assert code.shape == (50, 6)
    assert pca.decode(code).shape == (50, 4, 5)


def test_full_rank_pca_is_exact(rng):
    x = rng.random((30, 5))
    np.testing.assert_allclose(PCA(5).fit(x).reconstruct(x), x, atol=1e-12)


@pytest.mark.parametrize("n", [0, -2, 2.5, True])
def test_bad_n_components(n):
    with pytest.raises(ValueError, match="n_components"):
        PCA(n)


def test_too_many_components_and_unfitted_use(rng):
    with pytest.raises(ValueError, match="n_components=20 must be at most"):
        PCA(20).fit(rng.random((10, 8)))
    with pytest.raises(RuntimeError, match="not fitted"):
        PCA(2).transform(rng.random((3, 4)))


def test_wrong_sample_shape_is_named(rng):
    pca = PCA(2).fit(rng.random((10, 8)))
    with pytest.raises(ValueError, match=r"fitted on \(8,\)"):
        pca.transform(rng.random((3, 9)))
