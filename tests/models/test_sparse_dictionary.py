"""Sparse dictionaries of activations: the top-k and L1 models against NumPy, the tied pre-bias,
the unit-norm atoms, saving, the FVU and dead-latent helpers, and the argument checks."""

import keras
import numpy as np
import pytest
from model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

import aelib
from aelib.models.sparse_dictionary import (
    L1SparseAutoencoder,
    SparseDictionaryAutoencoder,
    TopKSparseAutoencoder,
    dead_latents,
    fraction_of_variance_unexplained,
)

D, M = 6, 10  # activation width, latents


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def numpy_top_k(h, k):
    """h with all but the k largest entries of each row set to zero (rows of distinct values)."""
    out = np.zeros_like(h)
    idx = np.argsort(-h, axis=1)[:, :k]
    np.put_along_axis(out, idx, np.take_along_axis(h, idx, axis=1), axis=1)
    return out


def set_known_weights(model, rng):
    """Random weights for the three layers; returns them as float64 arrays."""
    w_enc, b_enc = rng.normal(size=(D, M)), rng.normal(size=M) * 0.3
    w_dec, b_pre = rng.normal(size=(M, D)), rng.normal(size=D)
    model.encoder.get_layer("latent_linear").set_weights([w_enc, b_enc])
    model.decoder.get_layer("dictionary").set_weights([w_dec, b_pre])
    return w_enc, b_enc, w_dec, b_pre


def numpy_pre_activations(a, w_enc, b_enc, b_pre):
    return (a - b_pre) @ w_enc + b_enc


@pytest.fixture
def activations(rng):
    return rng.normal(size=(16, D)).astype("float32")


# ---------------------------------------------------------------------- the models by hand
def test_top_k_code_is_a_numpy_top_k_of_the_pre_activations(rng, activations):
    model = TopKSparseAutoencoder(D, M, k=3)
    w_enc, b_enc, w_dec, b_pre = set_known_weights(model, rng)
    pre = numpy_pre_activations(activations, w_enc, b_enc, b_pre)
    expected = np.maximum(numpy_top_k(pre, 3), 0.0)
    assert np.all((expected != 0).sum(axis=1) <= 3)
    np.testing.assert_allclose(model.transform(activations), expected, atol=1e-5)
    np.testing.assert_allclose(model.encode(activations), expected, atol=1e-5)
    # Training mode keeps k as well (alpha = 1), and the record holds the same code.
    record = model(activations, training=True)
    np.testing.assert_allclose(_numpy(record["code"]), expected, atol=1e-5)
    reconstruction = expected @ w_dec + b_pre
    np.testing.assert_allclose(model.reconstruct(activations), reconstruction, atol=1e-4)
    model.compile(optimizer="sgd")
    logs = model.evaluate(activations, activations, batch_size=16, verbose=0, return_dict=True)
    # feature_reduction="sum": the loss is ||a - a_hat||^2 per sample, averaged.
    squared = np.sum((activations - reconstruction) ** 2, axis=1).mean()
    assert logs["loss"] == pytest.approx(squared, rel=1e-5)


def test_top_k_drops_kept_negative_pre_activations(rng):
    model = TopKSparseAutoencoder(D, M, k=4)
    w_enc, b_enc, _, b_pre = set_known_weights(model, rng)
    # Shift the encoder bias down so that some of the 4 largest pre-activations are negative.
    model.encoder.get_layer("latent_linear").set_weights([w_enc, b_enc - 4.0])
    a = rng.normal(size=(32, D)).astype("float32")
    pre = numpy_pre_activations(a, w_enc, b_enc - 4.0, b_pre)
    kept = numpy_top_k(pre, 4)
    assert (kept < 0).any()
    np.testing.assert_allclose(model.transform(a), np.maximum(kept, 0.0), atol=1e-5)


def test_relu_dictionary_code_and_reconstruction_match_numpy(rng, activations):
    model = SparseDictionaryAutoencoder(D, M)
    w_enc, b_enc, w_dec, b_pre = set_known_weights(model, rng)
    code = np.maximum(numpy_pre_activations(activations, w_enc, b_enc, b_pre), 0.0)
    np.testing.assert_allclose(model.transform(activations), code, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(activations), code @ w_dec + b_pre, atol=1e-4)
    score = -np.sum((activations - (code @ w_dec + b_pre)) ** 2, axis=1)
    np.testing.assert_allclose(model.score_samples(activations), score, rtol=1e-4)


@pytest.mark.parametrize("l1_weight", [0.0, 0.37])
def test_l1_term_is_the_weighted_mean_l1_norm_of_the_code(rng, activations, l1_weight):
    model = L1SparseAutoencoder(D, M, l1_weight=l1_weight)
    w_enc, b_enc, w_dec, b_pre = set_known_weights(model, rng)
    code = np.maximum(numpy_pre_activations(activations, w_enc, b_enc, b_pre), 0.0)
    penalty = l1_weight * np.abs(code).sum(axis=1).mean()
    terms = model.regularization_terms(model(activations))
    assert float(terms["sparsity_l1"]) == pytest.approx(penalty, rel=1e-5, abs=1e-7)
    model.compile(optimizer="sgd")
    logs = model.evaluate(activations, activations, batch_size=16, verbose=0, return_dict=True)
    squared = np.sum((activations - (code @ w_dec + b_pre)) ** 2, axis=1).mean()
    assert logs["reconstruction_loss"] == pytest.approx(squared, rel=1e-5)
    assert logs["sparsity_l1"] == pytest.approx(penalty, rel=1e-5, abs=1e-7)
    assert logs["loss"] == pytest.approx(squared + penalty, rel=1e-5)


def test_l1_penalty_is_reported_by_fit_and_lowers_the_code(activations):
    aelib.seed_everything(0)
    model = L1SparseAutoencoder(D, M, l1_weight=2.0)
    history = aelib.fit(model, activations, epochs=30, batch_size=16, learning_rate=0.02, verbose=0)
    assert {"loss", "reconstruction_loss", "sparsity_l1"} <= set(history.history)
    assert history.history["sparsity_l1"][-1] < history.history["sparsity_l1"][0]


# ---------------------------------------------------------------------- dictionary and pre-bias
def test_initial_atoms_are_unit_norm_and_the_encoder_is_their_transpose():
    aelib.seed_everything(0)
    model = TopKSparseAutoencoder(D, M, k=2)
    atoms = model.atoms()
    assert atoms.shape == (M, D)
    np.testing.assert_allclose(np.linalg.norm(atoms, axis=1), 1.0, rtol=1e-5)
    w_enc, b_enc = model.encoder.get_layer("latent_linear").get_weights()
    np.testing.assert_array_equal(w_enc, atoms.T)
    np.testing.assert_array_equal(b_enc, 0.0)
    np.testing.assert_array_equal(model.pre_bias, 0.0)


@pytest.mark.parametrize("unit_norm", [True, False])
def test_unit_norm_atoms_hold_after_training_steps(activations, unit_norm):
    aelib.seed_everything(0)
    model = SparseDictionaryAutoencoder(D, M, unit_norm_atoms=unit_norm)
    aelib.fit(model, activations * 5.0, epochs=5, batch_size=4, learning_rate=0.05, verbose=0)
    norms = np.linalg.norm(model.atoms(), axis=1)
    if unit_norm:
        np.testing.assert_allclose(norms, 1.0, rtol=1e-4)
    else:
        assert np.abs(norms - 1.0).max() > 1e-3  # nothing holds them


def test_set_pre_bias_is_the_mean_and_is_subtracted_before_encoding(rng, activations):
    model = TopKSparseAutoencoder(D, M, k=3)
    assert model.set_pre_bias(activations) is model
    np.testing.assert_allclose(model.pre_bias, activations.mean(axis=0), rtol=1e-6)
    # The encoder network on its own takes centred activations.
    centred = model.encoder.predict(activations - model.pre_bias, verbose=0)
    np.testing.assert_allclose(model.transform(activations), centred, atol=1e-6)
    np.testing.assert_allclose(model.inverse_transform(centred), model.reconstruct(activations))


def test_k_follows_the_top_k_layer():
    model = TopKSparseAutoencoder(D, M, k=5)
    assert model.k == 5
    model.encoder.get_layer("top_k").k = 2  # a schedule changes the layer between epochs
    assert model.k == 2 and model.get_config()["k"] == 2


# ---------------------------------------------------------------------- protocol and saving
@pytest.mark.parametrize(
    "build",
    [
        lambda: SparseDictionaryAutoencoder(D, M, unit_norm_atoms=False),
        lambda: TopKSparseAutoencoder(D, M, k=3),
        lambda: L1SparseAutoencoder(D, M, l1_weight=0.25, feature_reduction="mean"),
    ],
    ids=["relu", "top_k", "l1"],
)
def test_the_models_save_load_and_train(rng, tmp_path, activations, build):
    model = build()
    set_known_weights(model, rng)
    loaded = assert_saves_and_loads(model, activations, tmp_path)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_array_equal(loaded.pre_bias, model.pre_bias)
    np.testing.assert_array_equal(loaded.atoms(), model.atoms())
    assert_training_changes_weights_and_evaluation_does_not(model, activations)


def test_saved_configs_keep_the_hyperparameters(tmp_path):
    model = L1SparseAutoencoder(D, M, l1_weight=0.5, unit_norm_atoms=False, name="l1_sae")
    path = tmp_path / "l1.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert (loaded.input_dim, loaded.latents, loaded.l1_weight) == (D, M, 0.5)
    assert loaded.unit_norm_atoms is False and loaded.name == "l1_sae"
    assert loaded.feature_reduction == "sum"
    top_k = TopKSparseAutoencoder.from_config(TopKSparseAutoencoder(D, M, k=4).get_config())
    assert top_k.k == 4


# ---------------------------------------------------------------------- the metrics by hand
def test_fraction_of_variance_unexplained_by_hand():
    x = np.array([[0.0, 0.0], [2.0, 2.0]])  # mean (1, 1): total variance 4
    assert fraction_of_variance_unexplained(x, np.array([[0.0, 1.0], [2.0, 2.0]])) == 0.25
    assert fraction_of_variance_unexplained(x, x) == 0.0
    # The mean itself explains nothing; three rows, mean (1, 0, 2).
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 2.0], [2.0, 0.0, 3.0]])
    assert fraction_of_variance_unexplained(y, np.tile(y.mean(axis=0), (3, 1))) == 1.0
    # Errors 1, 0, 2 on the first coordinate: (1 + 0 + 4) / (1 + 0 + 1 + 1 + 0 + 1) = 5 / 4.
    y_hat = y + np.array([[1.0, 0, 0], [0, 0, 0], [2.0, 0, 0]])
    assert fraction_of_variance_unexplained(y, y_hat) == pytest.approx(1.25)


def test_fraction_of_variance_unexplained_sums_over_the_set_not_per_sample(rng):
    x, x_hat = rng.normal(size=(50, 4)) * [1, 2, 3, 4], rng.normal(size=(50, 4))
    expected = np.sum((x - x_hat) ** 2) / np.sum((x - x.mean(axis=0)) ** 2)
    assert fraction_of_variance_unexplained(x, x_hat) == pytest.approx(expected, rel=1e-12)
    # Samples with more axes are flattened.
    assert fraction_of_variance_unexplained(
        x.reshape(50, 2, 2), x_hat.reshape(50, 2, 2)
    ) == pytest.approx(expected, rel=1e-12)


def test_dead_latents_by_hand():
    codes = np.array([[0.0, 1.5, 0.0, -0.5], [0.0, 0.0, 0.2, 0.0], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(dead_latents(codes), [True, False, False, False])
    assert dead_latents(codes).dtype == bool
    np.testing.assert_array_equal(dead_latents(np.zeros((4, 3))), [True, True, True])
    np.testing.assert_array_equal(dead_latents(codes.reshape(3, 2, 2)), [True, False, False, False])


@pytest.mark.parametrize(
    "x, x_hat, message",
    [
        (np.zeros((3, 2)), np.zeros((3, 3)), r"^x_hat must have the shape of x"),
        (np.ones((3, 2)), np.zeros((3, 2)), r"^x has no variance"),
        (np.zeros((0, 2)), np.zeros((0, 2)), r"^x must be a non-empty batch"),
        (np.eye(2), np.array([[np.nan, 0.0], [0.0, 1.0]]), r"^x_hat holds 1 NaN"),
        (np.arange(3.0), np.arange(3.0), r"^x must be a batch of vectors"),
    ],
)
def test_bad_fvu_arguments_are_named(x, x_hat, message):
    with pytest.raises(ValueError, match=message):
        fraction_of_variance_unexplained(x, x_hat)


@pytest.mark.parametrize(
    "codes, message",
    [
        (np.zeros((0, 3)), r"^codes must be a non-empty batch"),
        (np.array([[np.inf, 0.0]]), r"^codes holds 1 NaN or infinite"),
        (np.zeros(3), r"^codes must be a batch of vectors"),
    ],
)
def test_bad_codes_are_named(codes, message):
    with pytest.raises(ValueError, match=message):
        dead_latents(codes)


# ---------------------------------------------------------------------- argument checks
@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: SparseDictionaryAutoencoder(0, M), r"^input_dim must be a positive integer"),
        (lambda: SparseDictionaryAutoencoder(D, 2.5), r"^latents must be a positive integer"),
        (
            lambda: SparseDictionaryAutoencoder(D, M, unit_norm_atoms="yes"),
            r"^unit_norm_atoms must be True or False",
        ),
        (
            lambda: SparseDictionaryAutoencoder(D, M, reconstruction_loss="binary_crossentropy"),
            r"^reconstruction_loss must be 'mse'",
        ),
        (
            lambda: SparseDictionaryAutoencoder(D, M, feature_reduction="max"),
            r"^feature_reduction must be one of",
        ),
        (lambda: TopKSparseAutoencoder(D, M, k=0), r"^k must be a positive integer"),
        (lambda: TopKSparseAutoencoder(D, M, k=True), r"^k must be a positive integer"),
        (lambda: TopKSparseAutoencoder(D, M, k=M + 1), r"^k must be at most latents \(10\)"),
        (lambda: TopKSparseAutoencoder(D, -1, k=2), r"^latents must be a positive integer"),
        (lambda: L1SparseAutoencoder(D, M, l1_weight=-0.1), r"^l1_weight must be in \[0, inf\)"),
        (
            lambda: L1SparseAutoencoder(D, M, l1_weight=float("nan")),
            r"^l1_weight must be a finite",
        ),
    ],
)
def test_bad_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_bad_data_is_refused_before_anything_runs(activations):
    model = TopKSparseAutoencoder(D, M, k=3)
    with pytest.raises(ValueError, match=r"^x has samples of shape \(5,\)"):
        model.transform(activations[:, :5])
    with pytest.raises(ValueError, match=r"^x holds 1 NaN"):
        bad = activations.copy()
        bad[0, 0] = np.nan
        model.set_pre_bias(bad)
    np.testing.assert_array_equal(model.pre_bias, 0.0)
