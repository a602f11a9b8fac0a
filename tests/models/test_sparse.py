"""Sparse autoencoders: the k-sparse layer, the sparsity penalties and the models built on them."""

import keras
import numpy as np
import pytest
from model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

from aelib import Autoencoder, builders
from aelib.models.sparse import (
    KL_EPSILON,
    KSparse,
    SparseAutoencoder,
    SparsityPenalty,
    k_sparse_encoder,
    mean_activation,
    sparsity_penalty,
)


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def distinct_rows(rng, n=7, units=10):
    """Rows of distinct values of both signs (a random permutation of a spread-out grid)."""
    values = np.linspace(-2.0, 3.0, units)
    return np.stack([rng.permutation(values) for _ in range(n)]).astype("float32")


def numpy_top_k(h, k):
    """h with all but the k largest entries of each row set to zero (rows of distinct values)."""
    out = np.zeros_like(h)
    idx = np.argsort(-h, axis=1)[:, :k]
    np.put_along_axis(out, idx, np.take_along_axis(h, idx, axis=1), axis=1)
    return out


# ---------------------------------------------------------------------- KSparse
def test_k_sparse_keeps_exactly_the_k_largest(rng):
    h = distinct_rows(rng)
    out = _numpy(KSparse(3)(h, training=True))
    np.testing.assert_array_equal(np.count_nonzero(out, axis=1), 3)
    np.testing.assert_array_equal(out, numpy_top_k(h, 3))


@pytest.mark.parametrize("k, alpha, kept", [(3, 1.0, 3), (3, 1.5, 4), (2, 2.0, 4), (4, 5.0, 10)])
def test_inference_keeps_round_alpha_k_capped_at_the_width(rng, k, alpha, kept):
    h = distinct_rows(rng, units=10)
    layer = KSparse(k, alpha=alpha)
    # round(4.5) == 4 (Python rounds halves to even); 5 * 4 = 20 is capped at the 10 units.
    assert kept == min(round(alpha * k), 10)
    np.testing.assert_array_equal(_numpy(layer(h, training=True)), numpy_top_k(h, k))
    np.testing.assert_array_equal(_numpy(layer(h, training=False)), numpy_top_k(h, kept))
    np.testing.assert_array_equal(_numpy(layer(h)), numpy_top_k(h, kept))  # inference by default
    assert layer.k_inference == kept


def test_ties_still_keep_exactly_k():
    h = np.array(
        [[1.0] * 6, [0.5, 2.0, 2.0, 2.0, 2.0, -1.0], [3.0, 1.0, 1.0, 1.0, 1.0, 1.0]], "float32"
    )
    out = _numpy(KSparse(2)(h, training=True))
    np.testing.assert_array_equal(np.count_nonzero(out, axis=1), [2, 2, 2])
    # Whatever entries are picked among ties, the kept values are the two largest of the row.
    np.testing.assert_array_equal(np.sort(out, axis=1)[:, -2:], [[1, 1], [2, 2], [1, 3]])


def test_kept_negative_values_stay_and_dropped_entries_are_plus_zero():
    h = np.array([[-3.0, -1.0, -2.0, -4.0]], "float32")
    out = _numpy(KSparse(2)(h, training=True))
    np.testing.assert_array_equal(out, [[0.0, -1.0, -2.0, 0.0]])
    assert not np.signbit(out[0, [0, 3]]).any()


def _input_gradient(layer, h, upstream):
    """d/dh of sum(layer(h) * upstream), with the current backend's own autodiff."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        h = tf.constant(h)
        with tf.GradientTape() as tape:
            tape.watch(h)
            value = tf.reduce_sum(layer(h, training=True) * upstream)
        return tape.gradient(value, h).numpy()
    if backend == "jax":
        import jax
        import jax.numpy as jnp

        return np.asarray(jax.grad(lambda v: jnp.sum(layer(v, training=True) * upstream))(h))
    pytest.skip(f"no gradient code for backend {backend}")


def test_gradient_is_upstream_on_kept_entries_and_zero_on_dropped(rng):
    h = distinct_rows(rng)
    upstream = rng.normal(size=h.shape).astype("float32")
    grad = _input_gradient(KSparse(4, alpha=2.0), h, upstream)
    kept = numpy_top_k(h, 4) != 0
    np.testing.assert_array_equal(grad[kept], upstream[kept])
    np.testing.assert_array_equal(grad[~kept], 0.0)


def test_k_sparse_works_on_the_last_axis_of_higher_rank_inputs(rng):
    h = distinct_rows(rng, n=6).reshape(2, 3, 10)
    out = _numpy(KSparse(2)(h, training=True))
    np.testing.assert_array_equal(out.reshape(6, 10), numpy_top_k(h.reshape(6, 10), 2))


def test_k_larger_than_the_code_is_an_error():
    with pytest.raises(ValueError, match=r"k must be at most .*4 units.*k=5"):
        KSparse(5)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"k must be at most code_dim \(8\), got k=9"):
        k_sparse_encoder((4,), [], code_dim=8, k=9)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"k": 0}, "k"),
        ({"k": 2.0}, "k"),
        ({"k": True}, "k"),
        ({"k": 2, "alpha": 0.5}, "alpha"),
        ({"k": 2, "alpha": float("inf")}, "alpha"),
        ({"k": 2, "alpha": "3"}, "alpha"),
    ],
)
def test_invalid_k_and_alpha_are_named(kwargs, parameter):
    with pytest.raises(ValueError, match=f"^{parameter} must"):
        KSparse(**kwargs)
    with pytest.raises(ValueError, match=f"^{parameter} must"):
        k_sparse_encoder((4,), [], code_dim=3, **kwargs)


def test_a_k_sparse_layer_rebuilt_from_its_config_computes_the_same(rng):
    layer = KSparse(3, alpha=2.5, name="top")
    clone = KSparse.from_config(layer.get_config())
    x = rng.normal(size=(4, 8)).astype("float32")
    for training in (True, False):  # k in training, alpha * k at inference
        np.testing.assert_array_equal(
            _numpy(clone(x, training=training)), _numpy(layer(x, training=training))
        )


# ---------------------------------------------------------------------- the k-sparse encoder
def k_sparse_autoencoder(k=2, alpha=2.0):
    encoder = k_sparse_encoder((3, 3), [], code_dim=6, k=k, alpha=alpha)
    decoder = builders.dense_decoder(6, [], output_shape=(3, 3))
    return Autoencoder(encoder, decoder)


def test_k_sparse_autoencoder_matches_numpy(rng):
    model = k_sparse_autoencoder(k=2, alpha=2.0)
    w, b = rng.normal(size=(9, 6)), rng.normal(size=6) * 0.1
    w_dec, b_dec = rng.normal(size=(6, 9)), rng.normal(size=9) * 0.1
    model.encoder.get_layer("code").set_weights([w, b])
    model.decoder.get_layer("output").set_weights([w_dec, b_dec])
    x = rng.random((5, 3, 3)).astype("float32")
    linear = x.reshape(5, 9) @ w + b
    code_train, code_infer = numpy_top_k(linear, 2), numpy_top_k(linear, 4)
    np.testing.assert_allclose(_numpy(model.encode(x, training=True)), code_train, atol=1e-5)
    np.testing.assert_allclose(model.transform(x), code_infer, atol=1e-5)
    np.testing.assert_array_equal(np.count_nonzero(model.transform(x), axis=1), 4)
    expected = _sigmoid(code_infer @ w_dec + b_dec).reshape(5, 3, 3)
    np.testing.assert_allclose(model.reconstruct(x), expected, atol=1e-5)
    model.compile(optimizer="sgd")
    logs = model.evaluate(x, x, batch_size=5, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np.mean((x - expected) ** 2), rel=1e-5)


def test_k_sparse_autoencoder_passes_the_model_checks(rng, tmp_path):
    x = rng.random((16, 3, 3)).astype("float32")
    model = k_sparse_autoencoder(k=2, alpha=1.5)
    model(x)  # builds it, so that it is saved with its weights
    loaded = assert_saves_and_loads(model, x, tmp_path)
    layer = loaded.encoder.get_layer("k_sparse")
    assert (layer.k, layer.alpha) == (2, 1.5)
    assert_training_changes_weights_and_evaluation_does_not(model, x)


# ---------------------------------------------------------------------- penalties
def numpy_penalty(h, kind, rho=None):
    h = h.reshape(len(h), -1).astype("float64")
    rho_hat = h.mean(axis=0)
    if kind == "kl":
        rho_hat = np.clip(rho_hat, KL_EPSILON, 1 - KL_EPSILON)
        return np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))
    if kind == "mean_l1":
        return np.sum(np.abs(rho - rho_hat))
    if kind == "mean_l2":
        return np.sum((rho - rho_hat) ** 2)
    if kind == "activity_l1":
        return np.abs(h).sum(axis=1).mean()
    return (h**2).sum(axis=1).mean()


@pytest.mark.parametrize(
    "kind, rho",
    [
        ("kl", 0.05),
        ("kl", 0.3),
        ("mean_l1", 0.1),
        ("mean_l2", 0.2),
        ("activity_l1", None),
        ("activity_l2", None),
    ],
)
def test_penalties_match_numpy(rng, kind, rho):
    h = rng.uniform(0.01, 0.6, size=(8, 5)).astype("float32")
    if kind.startswith("activity"):
        h = h - 0.3  # both signs, so |h| differs from h
    got = float(sparsity_penalty(h, kind, rho))
    assert got == pytest.approx(numpy_penalty(h, kind, rho), rel=1e-5)
    assert float(SparsityPenalty(kind, 2.5, rho=rho)(h)) == pytest.approx(2.5 * got, rel=1e-6)


def test_penalties_by_hand():
    h = np.array([[0.0, 0.5], [0.2, 0.5]], "float32")  # rho_hat = [0.1, 0.5]
    np.testing.assert_allclose(_numpy(mean_activation(h)), [0.1, 0.5])
    assert float(sparsity_penalty(h, "mean_l1", 0.1)) == pytest.approx(0.4)
    assert float(sparsity_penalty(h, "mean_l2", 0.1)) == pytest.approx(0.16)
    assert float(sparsity_penalty(h, "activity_l1")) == pytest.approx(0.6)
    assert float(sparsity_penalty(h, "activity_l2")) == pytest.approx(0.27)
    # KL(0.1 || 0.1) = 0; KL(0.1 || 0.5) = 0.1 log 0.2 + 0.9 log 1.8.
    expected = 0.1 * np.log(0.2) + 0.9 * np.log(1.8)
    assert float(sparsity_penalty(h, "kl", 0.1)) == pytest.approx(expected, rel=1e-5)


def test_kl_clips_saturated_means_and_stays_finite():
    h = np.array([[0.0, 1.0], [0.0, 1.0]], "float32")  # rho_hat = [0, 1], outside (0, 1)
    got = float(sparsity_penalty(h, "kl", 0.1))
    assert np.isfinite(got)
    assert got == pytest.approx(numpy_penalty(h, "kl", 0.1), rel=1e-3)


def test_mean_activation_treats_every_position_of_a_feature_map_as_a_unit(rng):
    h = rng.random((4, 2, 3)).astype("float32")
    np.testing.assert_allclose(_numpy(mean_activation(h)), h.reshape(4, 6).mean(0), rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kind": "kl", "weight": 1.0, "rho": 0.0}, r"^rho must be in \(0, 1\)"),
        ({"kind": "kl", "weight": 1.0, "rho": 1.0}, r"^rho must be in \(0, 1\)"),
        ({"kind": "mean_l1", "weight": 1.0, "rho": -0.2}, r"^rho must be in \(0, 1\)"),
        ({"kind": "mean_l2", "weight": 1.0, "rho": 1.5}, r"^rho must be in \(0, 1\)"),
        ({"kind": "kl", "weight": 1.0}, r"^rho .* is required"),
        ({"kind": "activity_l1", "weight": 1.0, "rho": 0.1}, r"^rho must be None"),
        ({"kind": "kl", "weight": -0.1, "rho": 0.1}, r"^weight must be in \[0, inf\)"),
        ({"kind": "activity_l2", "weight": float("nan")}, r"^weight must be a finite"),
        ({"kind": "l3", "weight": 1.0}, r"^kind must be one of"),
        ({"kind": "kl", "weight": 1.0, "rho": 0.1, "layer": ""}, r"^layer must be"),
    ],
)
def test_invalid_penalty_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SparsityPenalty(**kwargs)


def test_default_penalty_names():
    assert SparsityPenalty("kl", 1.0, rho=0.1).name == "sparsity_kl"
    assert SparsityPenalty("mean_l2", 1.0, rho=0.1, layer="h").name == "sparsity_mean_l2_h"
    assert SparsityPenalty("activity_l1", 1.0, name="l1").name == "l1"


# ---------------------------------------------------------------------- SparseAutoencoder
def sparse_autoencoder(penalties):
    """6x6 -> 5 (relu, "dense_1") -> 4 (sigmoid code) -> 6x6."""
    encoder = builders.dense_encoder((6, 6), [5], code_dim=4, code_activation="sigmoid")
    decoder = builders.dense_decoder(4, [], output_shape=(6, 6))
    return SparseAutoencoder(encoder, decoder, penalties)


def set_known_weights(model, rng):
    weights = {
        "dense_1": [rng.normal(size=(36, 5)) * 0.3, rng.normal(size=5) * 0.1],
        "code": [rng.normal(size=(5, 4)), rng.normal(size=4) * 0.1],
        "output": [rng.normal(size=(4, 36)) * 0.3, rng.normal(size=36) * 0.1],
    }
    model.encoder.get_layer("dense_1").set_weights(weights["dense_1"])
    model.encoder.get_layer("code").set_weights(weights["code"])
    model.decoder.get_layer("output").set_weights(weights["output"])
    return weights


def numpy_forward(x, weights):
    hidden = np.maximum(x.reshape(len(x), -1) @ weights["dense_1"][0] + weights["dense_1"][1], 0)
    code = _sigmoid(hidden @ weights["code"][0] + weights["code"][1])
    recon = _sigmoid(code @ weights["output"][0] + weights["output"][1]).reshape(x.shape)
    return hidden, code, recon


PENALTIES = [
    SparsityPenalty("kl", 3.0, rho=0.1),
    SparsityPenalty("mean_l2", 0.5, rho=0.2),
    SparsityPenalty("activity_l1", 0.01, layer="dense_1"),
]


def test_evaluate_reports_reconstruction_plus_weighted_penalties(images, rng):
    model = sparse_autoencoder(PENALTIES)
    weights = set_known_weights(model, rng)
    hidden, code, recon = numpy_forward(images, weights)
    model.compile(optimizer="sgd")
    # One batch: the penalties on mean activations are taken over the batch.
    logs = model.evaluate(images, images, batch_size=len(images), verbose=0, return_dict=True)
    expected = {
        "sparsity_kl": 3.0 * numpy_penalty(code, "kl", 0.1),
        "sparsity_mean_l2": 0.5 * numpy_penalty(code, "mean_l2", 0.2),
        "sparsity_activity_l1_dense_1": 0.01 * numpy_penalty(hidden, "activity_l1"),
        "reconstruction_loss": np.mean((images - recon) ** 2),
    }
    for name, value in expected.items():
        assert logs[name] == pytest.approx(value, rel=1e-5), name
    assert all(value > 0 for value in expected.values())
    assert logs["loss"] == pytest.approx(sum(expected.values()), rel=1e-5)


def test_layer_activations_come_from_the_encoder_layer(images, rng):
    model = sparse_autoencoder(PENALTIES)
    weights = set_known_weights(model, rng)
    hidden, _, _ = numpy_forward(images, weights)
    got = model.layer_activations(images)
    assert list(got) == ["dense_1"]
    np.testing.assert_allclose(_numpy(got["dense_1"]), hidden, atol=1e-5)
    # The loss terms read the activations from the forward record of the same pass.
    record = model(images)
    assert sorted(record) == ["activations", "code", "reconstruction"]
    terms = model.regularization_terms(record)
    assert float(terms["sparsity_activity_l1_dense_1"]) == pytest.approx(
        0.01 * numpy_penalty(hidden, "activity_l1"), rel=1e-5
    )


def test_penalties_are_training_metrics_and_lower_the_penalty(images):
    model = sparse_autoencoder(SparsityPenalty("kl", 1.0, rho=0.05))
    model.compile(optimizer=keras.optimizers.Adam(0.05))
    history = model.fit(images, images, epochs=15, batch_size=64, verbose=0)
    assert {"loss", "reconstruction_loss", "sparsity_kl"} <= set(history.history)
    assert history.history["sparsity_kl"][-1] < 0.5 * history.history["sparsity_kl"][0]


def test_sparse_autoencoder_passes_the_model_checks(images, tmp_path):
    model = sparse_autoencoder(PENALTIES)
    model(images)
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert [p.get_config() for p in loaded.penalties] == [p.get_config() for p in PENALTIES]
    assert_training_changes_weights_and_evaluation_does_not(model, images)


def test_penalties_accept_one_penalty_or_configs():
    one = sparse_autoencoder(SparsityPenalty("activity_l2", 0.1))
    assert [p.name for p in one.penalties] == ["sparsity_activity_l2"]
    configs = sparse_autoencoder([p.get_config() for p in PENALTIES])
    assert [p.name for p in configs.penalties] == [p.name for p in PENALTIES]


@pytest.mark.parametrize(
    "penalties, message",
    [
        (
            [SparsityPenalty("kl", 1.0, rho=0.1), SparsityPenalty("kl", 2.0, rho=0.2)],
            "penalties must have distinct names; 'sparsity_kl'",
        ),
        ([SparsityPenalty("kl", 1.0, rho=0.1, layer="nowhere")], "layer='nowhere' is not a layer"),
        (["kl"], "penalties must hold SparsityPenalty"),
        (0.1, "penalties must be a SparsityPenalty"),
    ],
)
def test_invalid_penalty_lists_are_named(penalties, message):
    with pytest.raises(ValueError, match=message):
        sparse_autoencoder(penalties)
