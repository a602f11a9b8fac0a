"""Concrete autoencoder: the selector layer, its temperature schedule, the model, saving."""

import keras
import numpy as np
import pytest

from aelib import builders
from aelib.models.concrete import (
    ConcreteAutoencoder,
    ConcreteSelector,
    annealed_temperature,
    concrete_weights,
    gumbel_noise,
)
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

EULER_GAMMA = 0.5772156649015329


def numpy_temperature(t, total, t0, t1):
    return t0 * (t1 / t0) ** (min(t, total) / total)


def numpy_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def to_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def small_model(num_features=3, input_dim=12, total_steps=10, seed=0, hidden=(8,), **kwargs):
    decoder = builders.dense_decoder(num_features, list(hidden), output_shape=(input_dim,))
    return ConcreteAutoencoder(
        num_features, decoder, input_dim=input_dim, total_steps=total_steps, seed=seed, **kwargs
    )


def selector_with_logits(logits, **kwargs):
    layer = ConcreteSelector(logits.shape[0], **{"total_steps": 100, "seed": 0, **kwargs})
    layer.build((None, logits.shape[1]))
    layer.logits.assign(logits)
    return layer


# ---------------------------------------------------------------------- pure functions
def test_annealed_temperature_matches_numpy_formula():
    for t in (0, 1, 7, 50, 99, 100, 101, 1_000):
        got = float(to_numpy(annealed_temperature(t, 100, 10.0, 0.1)))
        assert got == pytest.approx(numpy_temperature(t, 100, 10.0, 0.1), rel=1e-6), t
    # Equal temperatures: a constant schedule.
    assert float(to_numpy(annealed_temperature(37, 100, 2.0, 2.0))) == pytest.approx(2.0)


def test_concrete_weights_match_numpy_softmax(rng):
    logits = rng.normal(size=(4, 9)).astype("float32")
    gumbel = rng.gumbel(size=(4, 9)).astype("float32")
    for temperature in (10.0, 1.0, 0.3):
        got = to_numpy(concrete_weights(logits, gumbel, temperature))
        np.testing.assert_allclose(
            got, numpy_softmax((logits + gumbel) / temperature), rtol=1e-5, atol=1e-7
        )
        np.testing.assert_allclose(got.sum(axis=-1), 1.0, rtol=1e-6)
    # Neutral noise leaves softmax(l / T).
    got = to_numpy(concrete_weights(logits, np.zeros_like(logits), 2.0))
    np.testing.assert_allclose(got, numpy_softmax(logits / 2.0), rtol=1e-5, atol=1e-7)


def test_low_temperature_approaches_one_hot(rng):
    logits = rng.normal(size=(5, 7)).astype("float32")
    one_hot = np.eye(7)[logits.argmax(axis=-1)]
    distances = [
        np.abs(to_numpy(concrete_weights(logits, np.zeros_like(logits), t)) - one_hot).max()
        for t in (10.0, 1.0, 0.1, 0.01)
    ]
    assert all(a > b for a, b in zip(distances, distances[1:])), distances
    assert distances[-1] < 1e-3


def test_gumbel_noise_has_gumbel_moments_and_gives_the_gumbel_max_trick():
    g = to_numpy(gumbel_noise((200_000,), seed=keras.random.SeedGenerator(1))).astype("float64")
    assert np.all(np.isfinite(g))
    # Standard Gumbel: mean Euler's gamma, variance pi^2 / 6; the standard error of the mean of
    # 200k samples is 0.003.
    assert g.mean() == pytest.approx(EULER_GAMMA, abs=0.015)
    assert g.var() == pytest.approx(np.pi**2 / 6, abs=0.05)
    # argmax(l + g) is distributed as softmax(l): what makes the relaxation a relaxation.
    logits = np.array([1.0, 0.0, -1.0, 0.5], "float32")
    noise = to_numpy(gumbel_noise((50_000, 4), seed=keras.random.SeedGenerator(2)))
    frequencies = np.bincount((logits + noise).argmax(axis=1), minlength=4) / 50_000
    np.testing.assert_allclose(frequencies, numpy_softmax(logits), atol=0.01)


# ---------------------------------------------------------------------- the layer
def test_inference_output_is_exactly_the_selected_features(rng):
    logits = rng.normal(size=(4, 10)).astype("float32")
    layer = selector_with_logits(logits)
    x = rng.normal(size=(6, 10)).astype("float32")
    expected = x[:, logits.argmax(axis=1)]
    np.testing.assert_array_equal(to_numpy(layer(x)), expected)
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), expected)
    # Any leading axes: the features are the last one.
    x3 = rng.normal(size=(2, 3, 10)).astype("float32")
    np.testing.assert_array_equal(to_numpy(layer(x3)), x3[..., logits.argmax(axis=1)])
    assert int(to_numpy(layer.steps)) == 0  # inference never counts steps


def test_training_output_matches_numpy_with_the_layers_gumbel_noise(rng):
    """Two training calls reproduced from the same seeded noise: T0, then T(1)."""
    logits = rng.normal(size=(3, 8)).astype("float32")
    layer = selector_with_logits(
        logits, total_steps=4, initial_temperature=5.0, final_temperature=0.5, seed=7
    )
    replay = keras.random.SeedGenerator(7)  # same seed, so the same stream of Gumbel samples
    x = rng.random((5, 8)).astype("float32")
    for step in range(2):
        got = to_numpy(layer(x, training=True))
        gumbel = to_numpy(gumbel_noise((3, 8), seed=replay))
        weights = numpy_softmax((logits + gumbel) / numpy_temperature(step, 4, 5.0, 0.5))
        np.testing.assert_allclose(got, x @ weights.T, rtol=1e-5, atol=1e-6)
        assert int(to_numpy(layer.steps)) == step + 1
        assert float(to_numpy(layer.temperature)) == pytest.approx(
            numpy_temperature(step + 1, 4, 5.0, 0.5), rel=1e-6
        )


def test_selected_indices_and_probabilities(rng):
    logits = rng.normal(size=(5, 12)).astype("float32")
    layer = selector_with_logits(logits)
    indices = layer.selected_indices()
    assert indices.shape == (5,)
    assert np.issubdtype(indices.dtype, np.integer)
    assert indices.min() >= 0 and indices.max() < 12
    np.testing.assert_array_equal(indices, logits.argmax(axis=1))
    np.testing.assert_allclose(layer.selection_probabilities(), numpy_softmax(logits), rtol=1e-5)


def test_output_shape():
    layer = ConcreteSelector(
        3, total_steps=50, initial_temperature=4.0, final_temperature=0.2, seed=5, name="sel"
    )
    assert layer.compute_output_shape((None, 10)) == (None, 3)


# ---------------------------------------------------------------------- the model
def test_temperature_follows_the_schedule_inside_compiled_train_steps(rng):
    x = rng.random((48, 12)).astype("float32")
    model = small_model(total_steps=10, initial_temperature=10.0, final_temperature=0.1)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    model.fit(x, x, epochs=2, batch_size=16, verbose=0)  # 3 batches an epoch: 6 steps
    selector = model.selector
    assert int(to_numpy(selector.steps)) == 6
    assert float(to_numpy(selector.temperature)) == pytest.approx(
        numpy_temperature(6, 10, 10.0, 0.1), rel=1e-5
    )
    model.evaluate(x, x, verbose=0)
    model.predict(x, verbose=0)
    assert int(to_numpy(selector.steps)) == 6
    model.fit(x, x, epochs=2, batch_size=16, verbose=0)  # 12 steps: clamped at T1
    assert int(to_numpy(selector.steps)) == 12
    assert float(to_numpy(selector.temperature)) == pytest.approx(0.1, rel=1e-5)


def test_model_reconstructs_from_the_selected_features(rng):
    """transform gives x[:, indices]; evaluate's loss is the decoder's error on them."""
    model = small_model(num_features=3, input_dim=12, hidden=())
    w, b = rng.normal(size=(3, 12)).astype("float32"), rng.normal(size=12).astype("float32")
    model.decoder.get_layer("output").set_weights([w, b])
    x = rng.random((20, 12)).astype("float32")
    indices = model.selected_indices()
    np.testing.assert_array_equal(model.transform(x), x[:, indices])
    expected = 1.0 / (1.0 + np.exp(-(x[:, indices] @ w + b)))
    np.testing.assert_allclose(model.reconstruct(x), expected, rtol=1e-5, atol=1e-6)
    model.compile(optimizer="sgd")
    logs = model.evaluate(x, x, batch_size=20, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np.mean((x - expected) ** 2), rel=1e-5)


def test_training_selects_one_feature_of_each_redundant_group():
    """Two independent signals, each copied into 4 features: K = 2 must take one of each."""
    latent = np.random.default_rng(0).random((512, 2)).astype("float32")
    x = latent[:, [0, 0, 0, 0, 1, 1, 1, 1]]
    epochs, batch_size = 20, 64
    model = small_model(
        num_features=2, input_dim=8, hidden=(16,), total_steps=epochs * (512 // batch_size)
    )
    model.compile(optimizer=keras.optimizers.Adam(3e-2))
    model.fit(x, x, epochs=epochs, batch_size=batch_size, verbose=0)
    groups = sorted(int(i) // 4 for i in model.selected_indices())
    assert groups == [0, 1], model.selected_indices()


def test_model_checks_and_temperature_state_survive_saving(images, tmp_path):
    x = images.reshape(len(images), -1)  # 64 images of 36 pixels
    model = small_model(num_features=4, input_dim=36, total_steps=20, seed=3)
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    model.fit(x, x, epochs=1, batch_size=16, verbose=0)  # 4 steps
    loaded = assert_saves_and_loads(model, x, tmp_path)
    for name in ("steps", "temperature", "logits"):
        np.testing.assert_array_equal(
            to_numpy(getattr(loaded.selector, name)),
            to_numpy(getattr(model.selector, name)),
            err_msg=name,
        )
    assert int(to_numpy(loaded.selector.steps)) == 4
    np.testing.assert_array_equal(loaded.selected_indices(), model.selected_indices())
    config = loaded.get_config()
    assert (config["num_features"], config["input_dim"], config["total_steps"], config["seed"]) == (
        4,
        36,
        20,
        3,
    )
    assert_training_changes_weights_and_evaluation_does_not(small_model(input_dim=36), x)


# ---------------------------------------------------------------------- invalid arguments
def test_more_features_than_inputs_is_an_error():
    layer = ConcreteSelector(5, total_steps=10)
    with pytest.raises(ValueError, match="num_features.*K = 5.*d = 4"):
        layer.build((None, 4))
    with pytest.raises(ValueError, match="num_features.*K = 5.*d = 4"):
        ConcreteSelector(5, total_steps=10)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="num_features.*K = 13.*d = 12"):
        small_model(num_features=13, input_dim=12)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"initial_temperature": 1.0, "final_temperature": 2.0},
            "final_temperature.*T1.*initial_temperature.*T0",
        ),
        ({"initial_temperature": 0.0}, "initial_temperature must be in \\(0"),
        ({"final_temperature": -0.1}, "final_temperature must be in \\(0"),
        ({"initial_temperature": float("inf")}, "initial_temperature must be a finite"),
        ({"total_steps": 0}, "total_steps must be a positive integer"),
        ({"num_features": 0}, "num_features \\(K\\) must be a positive integer"),
        ({"seed": -1}, "seed must be a non-negative integer or None"),
    ],
)
def test_invalid_hyperparameters_are_refused(kwargs, message):
    arguments = {"num_features": 2, "total_steps": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        ConcreteSelector(**arguments)


def test_model_refuses_a_decoder_of_the_wrong_width():
    decoder = builders.dense_decoder(4, [], output_shape=(12,))
    with pytest.raises(ValueError, match="decoder takes codes of width 4.*num_features"):
        ConcreteAutoencoder(3, decoder, input_dim=12, total_steps=10)
    with pytest.raises(ValueError, match="input_dim must be a positive integer"):
        ConcreteAutoencoder(3, builders.dense_decoder(3, [], (12,)), input_dim=0, total_steps=10)
