"""The VQ-VAE: nearest codes, the straight-through estimator and the two loss terms against NumPy,
one training step of the codebook by hand, the codebook's use (usage, perplexity, dead codes),
dead-code restarts, training, saving and the argument checks."""

import json

import keras
import numpy as np
import pytest
from model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

import aelib
from aelib.models.vector_quantized import (
    VQVAE,
    DeadCodeRestart,
    VectorQuantizer,
    codebook_usage,
    dead_codes,
    perplexity,
    restart_dead_codes,
)

K, D = 8, 3  # codes, code width
POSITIONS, FEATURES = 2, 10  # code vectors per sample, input width

# Four codes of R^3 and four points, each nearest to the code of its position (by hand:
# squared distances 0.16 < 0.36; 0.17 < 0.37; 0.65 < 1.45; 1.96 < 2.56).
HAND_CODEBOOK = np.array([[0, 0, 0], [1, 0, 0], [0, 2, 0], [0, 0, -3]], "float32")
HAND_POINTS = np.array([[0.4, 0, 0], [0.6, 0.1, 0], [0.1, 1.2, 0], [0, 0, -1.6]], "float32")


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def numpy_distances(z, codebook):
    """Squared distances by brute force, in float64: shape (..., K)."""
    z, codebook = np.asarray(z, np.float64), np.asarray(codebook, np.float64)
    return np.sum((z[..., None, :] - codebook) ** 2, axis=-1)


def _gradients(function, *arrays):
    """The gradient of the scalar ``function(*arrays)`` with respect to each array, with the
    current backend's own autodiff."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(a) for a in arrays]
        with tf.GradientTape() as tape:
            for t in tensors:
                tape.watch(t)
            value = function(*tensors)
        gradients = tape.gradient(value, tensors, unconnected_gradients="zero")
        return [np.asarray(g) for g in gradients]
    if backend == "jax":
        import jax

        grads = jax.grad(function, argnums=tuple(range(len(arrays))))(*arrays)
        return [np.asarray(g) for g in grads]
    pytest.skip(f"no gradient code for backend {backend}")


def small_vqvae(**kwargs):
    """FEATURES inputs -> (POSITIONS, D) codes -> FEATURES outputs, linear on both sides."""
    encoder = keras.Sequential(
        [
            keras.Input((FEATURES,)),
            keras.layers.Dense(POSITIONS * D, name="code"),
            keras.layers.Reshape((POSITIONS, D), name="grid"),
        ],
        name="encoder",
    )
    decoder = keras.Sequential(
        [
            keras.Input((POSITIONS, D)),
            keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(FEATURES, name="output"),
        ],
        name="decoder",
    )
    kwargs.setdefault("seed", 0)
    return VQVAE(encoder, decoder, K, D, **kwargs)


def set_known_weights(model, rng):
    """Random weights and codebook; returns (w_enc, b_enc, w_dec, b_dec, codebook), float64."""
    w_enc, b_enc = rng.normal(size=(FEATURES, POSITIONS * D)), rng.normal(size=POSITIONS * D)
    w_dec, b_dec = rng.normal(size=(POSITIONS * D, FEATURES)) * 0.3, rng.normal(size=FEATURES)
    codebook = rng.normal(size=(K, D)) * 1.5
    model.encoder.get_layer("code").set_weights([w_enc, b_enc])
    model.decoder.get_layer("output").set_weights([w_dec, b_dec])
    model.quantizer.codebook.assign(codebook.astype("float32"))
    return w_enc, b_enc, w_dec, b_dec, model.codebook().astype(np.float64)


def numpy_forward(x, w_enc, b_enc, w_dec, b_dec, codebook):
    """(z_e, indices, z_q, reconstruction) of `small_vqvae`, in float64."""
    z_e = (x.astype(np.float64) @ w_enc + b_enc).reshape(len(x), POSITIONS, D)
    indices = numpy_distances(z_e, codebook).argmin(axis=-1)
    z_q = codebook[indices]
    return z_e, indices, z_q, z_q.reshape(len(x), -1) @ w_dec + b_dec


@pytest.fixture
def x(rng):
    return rng.normal(size=(32, FEATURES)).astype("float32")


# ---------------------------------------------------------------------- the quantizer by hand
def test_nearest_codes_of_a_hand_made_codebook():
    layer = VectorQuantizer(4, 3)
    layer.codebook.assign(HAND_CODEBOOK)
    assert _numpy(layer.quantize_indices(HAND_POINTS)).tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(
        _numpy(layer.distances(HAND_POINTS)), numpy_distances(HAND_POINTS, HAND_CODEBOOK), atol=1e-5
    )
    # Any leading shape: a (1, 2, 2) grid of vectors of width 3.
    grid = HAND_POINTS[::-1].reshape(1, 2, 2, 3)
    indices = _numpy(layer.quantize_indices(grid))
    assert indices.dtype == np.int32 and indices.tolist() == [[[3, 2], [1, 0]]]
    np.testing.assert_array_equal(_numpy(layer.lookup(indices)), HAND_CODEBOOK[indices])
    np.testing.assert_array_equal(_numpy(layer(grid)), HAND_CODEBOOK[indices])


def test_nearest_codes_match_a_brute_force_search(rng):
    layer = VectorQuantizer(K, D)
    codebook = rng.normal(size=(K, D)).astype("float32")
    layer.codebook.assign(codebook)
    z = rng.normal(size=(2, 3, 4, D)).astype("float32") * 2.0
    expected = numpy_distances(z, codebook)
    np.testing.assert_allclose(_numpy(layer.distances(z)), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(_numpy(layer.quantize_indices(z)), expected.argmin(axis=-1))


def test_initial_codebook_is_uniform_in_plus_minus_one_over_k_and_follows_the_seed():
    codebook = _numpy(VectorQuantizer(K, D, seed=3).codebook)
    assert codebook.shape == (K, D)
    assert np.abs(codebook).max() <= 1.0 / K and np.abs(codebook).max() > 0.5 / K
    np.testing.assert_array_equal(_numpy(VectorQuantizer(K, D, seed=3).codebook), codebook)
    assert not np.array_equal(_numpy(VectorQuantizer(K, D, seed=4).codebook), codebook)


def test_straight_through_gradient_is_the_identity(rng):
    layer = VectorQuantizer(K, D)
    layer.codebook.assign(rng.normal(size=(K, D)).astype("float32"))
    z = rng.normal(size=(5, 2, D)).astype("float32")
    (ones,) = _gradients(lambda t: keras.ops.sum(layer(t)), z)
    np.testing.assert_array_equal(ones, np.ones_like(z))
    upstream = rng.normal(size=z.shape).astype("float32")
    (grad,) = _gradients(lambda t: keras.ops.sum(layer(t) * upstream), z)
    np.testing.assert_allclose(grad, upstream, rtol=1e-6)
    # In value the output is z_q.
    codebook = _numpy(layer.codebook)
    z_q = codebook[numpy_distances(z, codebook).argmin(axis=-1)]
    np.testing.assert_allclose(_numpy(layer(z)), z_q, atol=1e-6)


def test_loss_terms_match_numpy_in_value_and_in_gradient(rng):
    beta = 0.4
    layer = VectorQuantizer(K, D, commitment_cost=beta)
    z_e = rng.normal(size=(4, 2, D)).astype("float32")
    z_q = rng.normal(size=(4, 2, D)).astype("float32")
    squared = np.mean((z_e.astype(np.float64) - z_q) ** 2)  # a mean over all 24 elements
    terms = layer.loss_terms(z_e, z_q)
    assert float(terms["codebook"]) == pytest.approx(squared, rel=1e-6)
    assert float(terms["commitment"]) == pytest.approx(beta * squared, rel=1e-6)
    n = z_e.size
    # The codebook term moves only z_q (towards z_e); the commitment term only z_e.
    de, dq = _gradients(lambda a, b: layer.loss_terms(a, b)["codebook"], z_e, z_q)
    np.testing.assert_array_equal(de, 0.0)
    np.testing.assert_allclose(dq, 2.0 * (z_q - z_e) / n, rtol=1e-5, atol=1e-7)
    de, dq = _gradients(lambda a, b: layer.loss_terms(a, b)["commitment"], z_e, z_q)
    np.testing.assert_allclose(de, 2.0 * beta * (z_e - z_q) / n, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(dq, 0.0)


# ---------------------------------------------------------------------- the model by hand
def test_record_protocol_and_losses_match_numpy(rng, x):
    model = small_vqvae()
    weights = set_known_weights(model, rng)
    z_e, indices, z_q, reconstruction = numpy_forward(x, *weights)
    assert len(np.unique(indices)) > 2  # several codes in use: a real test of the search
    record = model(x)
    assert sorted(record) == ["code", "reconstruction", "sampled_code"]
    np.testing.assert_allclose(_numpy(record["code"]), z_e, atol=1e-4)
    np.testing.assert_allclose(_numpy(record["sampled_code"]), z_q, atol=1e-5)
    terms = model.regularization_terms(record)  # from the record alone
    assert float(terms["codebook"]) == pytest.approx(np.mean((z_e - z_q) ** 2), rel=1e-5)
    np.testing.assert_allclose(_numpy(record["reconstruction"]), reconstruction, atol=1e-4)
    # NumPy in, NumPy out.
    codes = model.transform(x)
    assert codes.shape == (32, POSITIONS) and codes.dtype == np.int32
    np.testing.assert_array_equal(codes, indices)
    np.testing.assert_allclose(model.encode(x), z_e, atol=1e-4)
    np.testing.assert_allclose(model.reconstruct(x), reconstruction, atol=1e-4)
    np.testing.assert_allclose(model.inverse_transform(codes), reconstruction, atol=1e-4)
    # The loss: mean squared error + codebook + 0.25 * commitment, means over elements.
    model.compile(optimizer="sgd")
    logs = model.evaluate(x, x, batch_size=32, verbose=0, return_dict=True)
    mse = np.mean((x - reconstruction) ** 2)
    squared = np.mean((z_e - z_q) ** 2)
    assert logs["reconstruction_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["codebook"] == pytest.approx(squared, rel=1e-5)
    assert logs["commitment"] == pytest.approx(0.25 * squared, rel=1e-5)
    assert logs["loss"] == pytest.approx(mse + 1.25 * squared, rel=1e-5)


def test_one_sgd_step_moves_only_the_chosen_codes_by_the_codebook_gradient(rng, x):
    model = small_vqvae()
    weights = set_known_weights(model, rng)
    z_e, indices, _, _ = numpy_forward(x, *weights)
    codebook = weights[-1]
    # The reconstruction reaches the encoder only (straight through), the commitment term too;
    # the codebook's gradient is the codebook term's: 2 / N sum_{i -> k} (e_k - z_e_i).
    vectors, chosen = z_e.reshape(-1, D), indices.ravel()
    gradient = np.zeros_like(codebook)
    for k in range(K):
        gradient[k] = 2.0 * np.sum(codebook[k] - vectors[chosen == k], axis=0) / z_e.size
    lr = 0.5
    model.compile(optimizer=keras.optimizers.SGD(lr))
    model.fit(x, x, epochs=1, batch_size=len(x), shuffle=False, verbose=0)
    np.testing.assert_allclose(model.codebook(), codebook - lr * gradient, rtol=1e-5, atol=1e-6)
    unused = dead_codes(indices, K)
    np.testing.assert_array_equal(model.codebook()[unused], codebook[unused].astype("float32"))


# ---------------------------------------------------------------------- the codebook's use
def test_usage_perplexity_and_dead_codes_by_hand():
    uniform = np.tile(np.arange(K), 3)
    np.testing.assert_array_equal(codebook_usage(uniform, K), np.full(K, 3))
    assert perplexity(uniform, K) == pytest.approx(K, rel=1e-12)
    assert not dead_codes(uniform, K).any()
    single = np.full((4, 2, 2), 5)  # any shape; one code
    assert perplexity(single, K) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_array_equal(dead_codes(single, K), np.arange(K) != 5)
    assert int(dead_codes(single, K).sum()) == K - 1
    # p = (1/2, 1/4, 1/4): H = 1.5 log 2, exp(H) = 2 ** 1.5; two codes dead.
    skewed = np.array([[0, 0], [1, 4]])
    np.testing.assert_array_equal(codebook_usage(skewed, 5), [2, 1, 0, 0, 1])
    assert perplexity(skewed, 5) == pytest.approx(2**1.5, rel=1e-12)
    assert dead_codes(skewed, 5).tolist() == [False, False, True, True, False]
    assert codebook_usage(skewed, 5).dtype == np.int64 and dead_codes(skewed, 5).dtype == bool


# ---------------------------------------------------------------------- dead-code restarts
def _collapsed(model):
    """Code 0 at the origin, the others far away: every output chooses code 0."""
    codebook = np.zeros((K, D), "float32")
    codebook[1:] = 100.0 + np.arange(1, K)[:, None]
    model.quantizer.codebook.assign(codebook)
    return codebook


def test_restart_makes_the_dead_codes_used_again_and_follows_the_seed(x):
    model = small_vqvae()
    collapsed = _collapsed(model)
    assert dead_codes(model.transform(x), K).sum() == K - 1
    restarted = restart_dead_codes(model, x, seed=0)
    np.testing.assert_array_equal(restarted, np.arange(K) != 0)
    assert not dead_codes(model.transform(x), K)[restarted].any()
    # Each restarted code is one of the encoder's outputs, no two the same; code 0 stays.
    vectors = model.encode(x).reshape(-1, D)
    new = model.codebook()
    for code in new[restarted]:
        assert np.any(np.all(vectors == code, axis=1))
    assert len(np.unique(new[restarted], axis=0)) == K - 1
    np.testing.assert_array_equal(new[0], collapsed[0])
    # Deterministic: the same seed gives the same codebook, another seed another.
    _collapsed(model)
    restart_dead_codes(model, x, seed=0)
    np.testing.assert_array_equal(model.codebook(), new)
    _collapsed(model)
    restart_dead_codes(model, x, seed=1)
    assert not np.array_equal(model.codebook(), new)


def test_restart_callback_restarts_after_the_epoch_and_changes_nothing_else(x):
    """One epoch with and one without the callback, from the same weights: the encoders and
    the live codes end equal; the dead codes of the first end on encoder outputs."""
    plain = small_vqvae()
    _collapsed(plain)
    restarted = small_vqvae()
    restarted.set_weights(plain.get_weights())
    callback = DeadCodeRestart(x, every=1, seed=0)
    aelib.fit(plain, x, epochs=1, batch_size=16, learning_rate=1e-3, verbose=0)
    aelib.fit(
        restarted, x, epochs=1, batch_size=16, learning_rate=1e-3, verbose=0, callbacks=[callback]
    )
    assert callback.restarted == [K - 1]
    for a, b in zip(plain.encoder.get_weights(), restarted.encoder.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(restarted.codebook()[0], plain.codebook()[0], rtol=1e-6)
    vectors = restarted.encode(x).reshape(-1, D)
    for code in restarted.codebook()[1:]:
        assert np.min(np.abs(vectors - code).max(axis=1)) < 1e-5
    assert dead_codes(restarted.transform(x), K)[1:].sum() == 0
    assert dead_codes(plain.transform(x), K).sum() == K - 1


def test_restart_callback_every_second_epoch_with_a_seed_per_epoch(monkeypatch):
    import aelib.models.vector_quantized as module

    seeds = []

    def fake_restart(model, x, seed, batch_size):
        seeds.append(seed)
        return np.arange(K) < len(seeds)  # 1, then 2 codes "restarted"

    monkeypatch.setattr(module, "restart_dead_codes", fake_restart)
    callback = DeadCodeRestart(np.zeros((2, FEATURES), "float32"), every=2, seed=10)
    for epoch in range(5):
        callback.on_epoch_end(epoch)
    assert seeds == [11, 13] and callback.restarted == [1, 2]


# ---------------------------------------------------------------------- training and saving
def test_a_small_vqvae_trains_and_its_reconstruction_error_falls(rng):
    prototypes = rng.normal(size=(4, FEATURES)) * 2.0
    data = prototypes[rng.integers(0, 4, size=128)] + 0.05 * rng.normal(size=(128, FEATURES))
    data = data.astype("float32")
    history = aelib.fit(
        lambda: small_vqvae(),
        data,
        epochs=20,
        batch_size=32,
        learning_rate=1e-2,
        verbose=0,
    )
    losses = history.history
    assert {"loss", "reconstruction_loss", "codebook", "commitment"} <= set(losses)
    assert all(np.isfinite(losses["loss"]))
    assert losses["reconstruction_loss"][-1] < 0.5 * losses["reconstruction_loss"][0]
    assert perplexity(history.model.transform(data), K) > 1.0


def test_the_model_saves_loads_and_trains(rng, tmp_path, x):
    model = small_vqvae(commitment_cost=0.5, name="vq")
    set_known_weights(model, rng)
    loaded = assert_saves_and_loads(model, x, tmp_path)
    # Through JSON, as a .keras file stores it (shapes saved as tuples load as lists).
    assert json.loads(json.dumps(loaded.get_config())) == json.loads(json.dumps(model.get_config()))
    assert (loaded.num_codes, loaded.code_dim, loaded.commitment_cost, loaded.seed) == (
        K,
        D,
        0.5,
        0,
    )
    np.testing.assert_array_equal(loaded.codebook(), model.codebook())
    np.testing.assert_array_equal(loaded.transform(x), model.transform(x))
    layer = VectorQuantizer.from_config(VectorQuantizer(K, D, 0.1, seed=2).get_config())
    assert (layer.num_codes, layer.code_dim, layer.commitment_cost, layer.seed) == (K, D, 0.1, 2)
    assert_training_changes_weights_and_evaluation_does_not(model, x)


# ---------------------------------------------------------------------- argument checks
@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: VectorQuantizer(0, D), r"^num_codes must be a positive integer"),
        (lambda: VectorQuantizer(2.5, D), r"^num_codes must be a positive integer"),
        (lambda: VectorQuantizer(K, 0), r"^code_dim must be a positive integer"),
        (
            lambda: VectorQuantizer(K, D, commitment_cost=-0.1),
            r"^commitment_cost must be in \[0, inf\)",
        ),
        (lambda: VectorQuantizer(K, D, seed=-1), r"^seed must be a non-negative integer"),
        (lambda: DeadCodeRestart(np.zeros((2, 3)), every=0), r"^every must be a positive"),
    ],
)
def test_bad_arguments_are_named(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_a_code_dim_that_is_not_the_last_axis_is_refused():
    encoder = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(4)])
    decoder = keras.Sequential([keras.Input((4,)), keras.layers.Dense(FEATURES)])
    with pytest.raises(ValueError, match=r"^code_dim must be the width of the encoder's last"):
        VQVAE(encoder, decoder, K, 3)
    with pytest.raises(ValueError, match=r"^num_codes must be a positive integer"):
        VQVAE(encoder, decoder, 0, 4)
    wide = keras.Sequential([keras.Input((FEATURES,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"^code_dim must be the width of the decoder's last"):
        VQVAE(wide, decoder, K, 3)
    layer = VectorQuantizer(K, D)
    with pytest.raises(ValueError, match=r"inputs must have code_dim = 3 values"):
        layer(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"^z_e must have code_dim = 3 values"):
        layer.quantize_indices(np.zeros((2, 2), "float32"))


def test_bad_indices_and_data_are_named(x):
    model = small_vqvae()
    with pytest.raises(ValueError, match=r"^code must lie in \[0, 7\]"):
        model.inverse_transform(np.full((2, POSITIONS), K))
    with pytest.raises(ValueError, match=r"^code must hold integer code indices"):
        model.inverse_transform(np.zeros((2, POSITIONS), "float32"))
    with pytest.raises(ValueError, match=r"^code has shape \(3, 3\) per sample"):
        model.inverse_transform(np.zeros((2, 3), "int64"))
    with pytest.raises(ValueError, match=r"^x has samples of shape \(5,\)"):
        model.transform(x[:, :5])
    with pytest.raises(ValueError, match=r"^indices must be a non-empty array"):
        codebook_usage(np.zeros(0, "int64"), K)
    with pytest.raises(ValueError, match=r"^indices must lie in \[0, 3\]"):
        perplexity(np.array([0, 4]), 4)
    with pytest.raises(ValueError, match=r"^num_codes must be a positive integer"):
        dead_codes(np.array([0]), 0)
    with pytest.raises(TypeError, match=r"^model must be a VQVAE"):
        restart_dead_codes(aelib.Autoencoder(model.encoder, model.decoder), x)
    with pytest.raises(ValueError, match=r"^seed must be a non-negative integer"):
        restart_dead_codes(model, x, seed=None)
