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


# ---------------------------------------------------------------------------------------------
# score_samples: the protocol's sign, higher = more normal
# ---------------------------------------------------------------------------------------------
def test_score_samples_by_hand():
    # Training points on the diagonal: mean 0, one direction (1, 1) / sqrt(2).
    train = np.array([[-2.0, -2.0], [-1.0, -1.0], [1.0, 1.0], [2.0, 2.0]])
    pca = PCA(1).fit(train)
    x = np.array([[3.0, 3.0], [1.0, -1.0], [2.0, 0.0]])
    # (3, 3) lies on the line; (1, -1) projects to 0, error 2; (2, 0) projects to (1, 1), error 2.
    np.testing.assert_allclose(pca.score_samples(x), [0.0, -2.0, -2.0], atol=1e-12)
    np.testing.assert_allclose(pca.score_samples(x), -pca.reconstruction_error(x))


def test_score_samples_ranks_an_outlier_lowest(rng):
    x = rng.normal(size=(100, 3)) @ np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]])
    pca = PCA(3).fit(x)
    probe = np.vstack([x[:5], [[0.0, 0.0, 0.0, 5.0]]])
    scores = pca.score_samples(probe)
    assert scores.shape == (6,) and np.argmin(scores) == 5
    assert np.all(scores <= 0)


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 3, 3)])
def test_fit_rejects_empty_arrays(shape):
    with pytest.raises(ValueError, match="non-empty"):
        PCA(1).fit(np.zeros(shape))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_fit_and_transform_reject_non_finite_values(rng, bad):
    x = rng.random((10, 4))
    broken = x.copy()
    broken[3, 1] = bad
    with pytest.raises(ValueError, match="finite"):
        PCA(2).fit(broken)
    with pytest.raises(ValueError, match="finite"):
        PCA(2).fit(x).transform(broken)


@pytest.mark.parametrize("dtype", ["uint8", "int64", "uint16"])
def test_integer_images_above_one_are_refused(rng, dtype):
    x = rng.integers(0, 256, size=(20, 4, 4)).astype(dtype)
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        PCA(2).fit(x)
    pca = PCA(2).fit(x / 255.0)
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        pca.transform(x)


def test_binary_integer_and_float_data_on_any_scale_are_accepted(rng):
    binary = rng.integers(0, 2, size=(30, 6)).astype("uint8")
    np.testing.assert_allclose(
        PCA(3).fit(binary).reconstruct(binary),
        PCA(3).fit(binary.astype(float)).reconstruct(binary),
        atol=1e-12,
    )
    standardized = 10 * rng.normal(size=(30, 6))  # floats above 1, like the standardized faces
    assert PCA(2).fit(standardized).transform(standardized).shape == (30, 2)
    assert PCA(2).fit(rng.random((10, 4)) > 0.5).components_.shape == (2, 4)


def test_numpy_integer_n_components_is_accepted(rng):
    x = rng.random((20, 5))
    for n in (np.int64(3), np.int32(3), np.arange(5)[3]):
        pca = PCA(n)
        assert pca.n_components == 3 and type(pca.n_components) is int
        assert pca.fit(x).transform(x).shape == (20, 3)


@pytest.mark.parametrize("n", [np.True_, np.float64(2.0), "3", None])
def test_non_integer_n_components_are_refused(n):
    with pytest.raises(ValueError, match="n_components must be a positive integer"):
        PCA(n)


@pytest.mark.parametrize("whiten", [1, 0, "yes", None, 1.0])
def test_whiten_must_be_a_bool(whiten):
    with pytest.raises(ValueError, match="whiten must be True or False"):
        PCA(2, whiten=whiten)


def test_whiten_bools_are_accepted_and_do_not_change_reconstructions(rng):
    x = rng.random((40, 6))
    plain, white = PCA(3, whiten=False).fit(x), PCA(3, whiten=np.True_).fit(x)
    assert white.whiten is True
    np.testing.assert_allclose(white.transform(x).std(axis=0, ddof=1), 1.0, rtol=1e-10)
    np.testing.assert_allclose(white.reconstruct(x), plain.reconstruct(x), atol=1e-12)


def test_unknown_svd_solver_is_named():
    with pytest.raises(ValueError, match="svd_solver must be one of"):
        PCA(2, svd_solver="exact")


def test_transform_checks_the_feature_shape_before_converting(rng):
    pca = PCA(2).fit(rng.random((10, 8)))

    class Lazy:
        """Has a shape; converting it to an array fails the test."""

        shape = (3, 9)

        def __array__(self, dtype=None, copy=None):
            raise AssertionError("transform converted x before checking its shape")

    with pytest.raises(
        ValueError, match=r"x has samples of shape \(9,\), the PCA was fitted on \(8,\)"
    ):
        pca.transform(Lazy())
    with pytest.raises(ValueError, match="must be a batch"):
        pca.transform(rng.random(8))


def test_encode_returns_numpy_float64_for_any_numpy_input(rng):
    x = rng.random((12, 3, 3)).astype("float32")
    pca = PCA(4).fit(x)
    code = pca.encode(x)
    assert type(code) is np.ndarray and code.dtype == np.float64 and code.shape == (12, 4)
    assert type(pca.transform(list(x))) is np.ndarray
    assert type(pca.decode(code)) is np.ndarray and pca.decode(code).shape == (12, 3, 3)
    assert type(pca.reconstruct(x)) is np.ndarray


def test_float32_and_float64_inputs_give_the_same_fit(rng):
    x = rng.random((30, 5)).astype("float32")
    np.testing.assert_array_equal(
        PCA(2).fit(x).components_, PCA(2).fit(x.astype("float64")).components_
    )
