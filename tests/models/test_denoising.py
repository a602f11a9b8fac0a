"""Denoising autoencoders: the noise layers' statistics, and a loss that targets the clean input."""

import keras
import numpy as np
import pytest

from aelib import builders
from aelib.models.denoising import (
    DenoisingAutoencoder,
    GaussianNoise,
    MaskingNoise,
    SaltAndPepperNoise,
)
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
    numpy_forward,
    set_known_weights,
)

# Large enough for tight statistical tolerances, small enough to draw in milliseconds.
N_ROWS, N_COLS = 400, 500


def _draw(layer, x):
    return keras.ops.convert_to_numpy(layer(x, training=True))


def reconstruction_of(x, *weights):
    return numpy_forward(x, *weights)[1]


def small_dae(noise, **kwargs):
    """A 6x6 -> 4 -> 6x6 denoising autoencoder with no hidden layers: easy to compute by hand."""
    encoder = builders.dense_encoder((6, 6), [], code_dim=4)
    decoder = builders.dense_decoder(4, [], output_shape=(6, 6))
    return DenoisingAutoencoder(encoder, decoder, noise=noise, **kwargs)


def training_loss(model, x, y=None):
    """The loss of one full-batch train step, with the weights left as they are (rate 0)."""
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0))
    history = model.fit(
        x, x if y is None else y, epochs=1, batch_size=len(x), shuffle=False, verbose=0
    )
    return history.history["loss"][0]


# ---------------------------------------------------------------------------- noise statistics
@pytest.mark.parametrize("stddev", [0.1, 0.5, 2.0])
def test_gaussian_noise_has_the_stated_moments(rng, stddev):
    x = rng.random((N_ROWS, N_COLS)).astype("float32")
    noise = (_draw(GaussianNoise(stddev, seed=1), x) - x).astype("float64").ravel()
    n = noise.size
    # Five standard errors: a failure is a bug, not bad luck.
    assert abs(noise.mean()) < 5 * stddev / np.sqrt(n)
    assert abs(noise.std() / stddev - 1) < 5 / np.sqrt(2 * n)
    # Gaussian tails: P(|z| > 2) = 0.0455.
    assert abs(np.mean(np.abs(noise) > 2 * stddev) - 0.0455) < 5 * np.sqrt(0.0455 * 0.9545 / n)


@pytest.mark.parametrize("rate", [0.1, 0.5])
def test_masking_noise_zeroes_the_stated_fraction_and_keeps_the_rest(rng, rate):
    x = rng.uniform(0.1, 1.0, size=(N_ROWS, N_COLS)).astype("float32")  # no zero to begin with
    noisy = _draw(MaskingNoise(rate, seed=2), x)
    masked = noisy == 0
    assert abs(masked.mean() - rate) < 5 * np.sqrt(rate * (1 - rate) / x.size)
    np.testing.assert_array_equal(noisy[~masked], x[~masked])
    # Entries are masked independently, not whole rows: every row has about rate * N_COLS zeros.
    per_row = masked.mean(axis=1)
    assert per_row.min() > 0 and per_row.max() < 1


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_masking_noise_extreme_rates(rng, rate):
    x = rng.uniform(0.1, 1.0, size=(8, 10)).astype("float32")
    noisy = _draw(MaskingNoise(rate, seed=3), x)
    np.testing.assert_array_equal(noisy, x if rate == 0 else np.zeros_like(x))


def test_salt_and_pepper_uses_each_examples_min_and_max(rng):
    rate = 0.3
    # Each row has its own minimum and maximum in its first two columns; the other entries lie
    # strictly between them, so a corrupted entry is recognised by its value.
    low = rng.uniform(-1.0, 0.0, size=(N_ROWS, 1))
    high = rng.uniform(1.0, 2.0, size=(N_ROWS, 1))
    middle = rng.uniform(0.2, 0.8, size=(N_ROWS, N_COLS - 2))
    x = np.concatenate([low, high, middle], axis=1).astype("float32")
    noisy = _draw(SaltAndPepperNoise(rate, seed=4), x)[:, 2:]
    x_low, x_high = x[:, :1], x[:, 1:2]
    pepper, salt = noisy == x_low, noisy == x_high
    kept = noisy == x[:, 2:]
    assert np.all(pepper | salt | kept), "a corrupted entry is neither the row's min nor max"
    n = noisy.size
    corrupted = pepper | salt
    assert abs(corrupted.mean() - rate) < 5 * np.sqrt(rate * (1 - rate) / n)
    assert abs(salt.sum() / corrupted.sum() - 0.5) < 5 * np.sqrt(0.25 / corrupted.sum())


def test_salt_and_pepper_with_given_bounds(rng):
    rate = 0.2
    x = rng.uniform(0.2, 0.8, size=(N_ROWS, N_COLS)).astype("float32")
    noisy = _draw(SaltAndPepperNoise(rate, low=0.0, high=1.0, seed=5), x)
    pepper, salt, kept = noisy == 0.0, noisy == 1.0, noisy == x
    assert np.all(pepper | salt | kept)
    corrupted = pepper | salt
    assert abs(corrupted.mean() - rate) < 5 * np.sqrt(rate * (1 - rate) / x.size)
    assert abs(salt.sum() / corrupted.sum() - 0.5) < 5 * np.sqrt(0.25 / corrupted.sum())


def test_salt_and_pepper_mixes_a_given_bound_with_the_examples_extreme(rng):
    x = rng.uniform(0.2, 0.8, size=(50, 40)).astype("float32")
    noisy = _draw(SaltAndPepperNoise(1.0, low=-3.0, seed=6), x)
    row_max = x.max(axis=1, keepdims=True)
    assert np.all((noisy == -3.0) | (noisy == row_max))
    assert 0 < np.mean(noisy == -3.0) < 1


# ---------------------------------------------------------------------------- training only
@pytest.mark.parametrize(
    "layer",
    [GaussianNoise(0.5, seed=0), MaskingNoise(0.5, seed=0), SaltAndPepperNoise(0.5, seed=0)],
    ids=["gaussian", "masking", "salt_and_pepper"],
)
def test_noise_is_inactive_at_inference(rng, layer):
    x = rng.random((5, 7)).astype("float32")
    for training in (False, None):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x, training=training)), x)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer(x)), x)
    assert not np.array_equal(_draw(layer, x), x)


def test_noise_is_seeded_and_fresh_at_each_call(rng):
    x = rng.random((20, 30)).astype("float32")
    first, twin = MaskingNoise(0.5, seed=11), MaskingNoise(0.5, seed=11)
    a, b = _draw(first, x), _draw(twin, x)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(_draw(first, x), a), "a second call must draw new noise"
    assert not np.array_equal(_draw(MaskingNoise(0.5, seed=12), x), a)


@pytest.mark.parametrize(
    "layer",
    [
        GaussianNoise(1.5, seed=3),
        MaskingNoise(0.25, seed=4),
        SaltAndPepperNoise(0.1, 0.0, 1.0, seed=9),
    ],
    ids=["gaussian", "masking", "salt_and_pepper"],
)
def test_noise_layers_rebuilt_from_their_config_corrupt_the_same_way(layer):
    """Same class, same level, same seed: the copy draws the very same corruption."""
    copy = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert type(copy) is type(layer)
    x = np.linspace(0.0, 1.0, 60, dtype="float32").reshape(3, 20)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(copy(x, training=True)),
        keras.ops.convert_to_numpy(layer(x, training=True)),
    )


# ---------------------------------------------------------------------------- the model
def test_reconstruct_and_evaluate_do_not_corrupt(images, rng):
    model = small_dae(MaskingNoise(1.0, seed=0))
    weights = set_known_weights(model, rng)
    clean_recon = reconstruction_of(images, *weights)
    np.testing.assert_allclose(model.reconstruct(images), clean_recon, atol=1e-5)
    model.compile(optimizer="sgd")
    logs = model.evaluate(images, images, batch_size=64, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(np.mean((images - clean_recon) ** 2), rel=1e-5)


def test_training_loss_compares_the_reconstruction_of_zeros_with_the_clean_input(images, rng):
    """With every entry masked the network sees only zeros, yet the target is the clean x."""
    model = small_dae(MaskingNoise(1.0, seed=0))
    weights = set_known_weights(model, rng)
    recon_of_zeros = reconstruction_of(np.zeros_like(images), *weights)
    expected = np.mean((images - recon_of_zeros) ** 2)
    assert training_loss(model, images) == pytest.approx(expected, rel=1e-5)
    # Not the loss of an uncorrupted pass, nor one towards the corrupted input.
    uncorrupted = reconstruction_of(images, *weights)
    assert expected != pytest.approx(np.mean((images - uncorrupted) ** 2), rel=1e-3)
    assert expected != pytest.approx(np.mean(recon_of_zeros**2), rel=1e-3)


def test_training_loss_with_a_checked_gaussian_corruption(images, rng):
    """The train step draws the noise a twin layer of the same seed draws; target is clean."""
    model = small_dae(GaussianNoise(0.3, seed=7), feature_reduction="sum")
    weights = set_known_weights(model, rng)
    x_tilde = _draw(GaussianNoise(0.3, seed=7), images)
    assert not np.allclose(x_tilde, images)
    recon = reconstruction_of(x_tilde, *weights)
    expected = ((images - recon) ** 2).reshape(len(images), -1).sum(axis=1).mean()
    assert training_loss(model, images) == pytest.approx(expected, rel=1e-5)


def test_explicit_clean_target(images, rng):
    """fit(x_noisy, x_clean) still works: the target is y, whatever the input."""
    model = small_dae(MaskingNoise(1.0, seed=0))
    weights = set_known_weights(model, rng)
    clean = images[::-1].copy()
    recon_of_zeros = reconstruction_of(np.zeros_like(images), *weights)
    assert training_loss(model, images, clean) == pytest.approx(
        np.mean((clean - recon_of_zeros) ** 2), rel=1e-5
    )


def test_training_with_noise_changes_weights_and_evaluation_does_not(images):
    model = small_dae(GaussianNoise(0.2, seed=1))
    assert_training_changes_weights_and_evaluation_does_not(model, images)


def test_saves_and_loads_with_its_noise(images, tmp_path):
    # The other noise layers' configs round-trip above; this one has the most fields.
    noise = SaltAndPepperNoise(0.1, low=0.0, high=1.0, seed=3)
    model = small_dae(noise, reconstruction_loss="binary_crossentropy")
    model.compile(optimizer="adam")
    model.fit(images, epochs=1, batch_size=32, verbose=0)
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert type(loaded.noise) is type(noise)
    assert loaded.noise.get_config() == noise.get_config()
    assert loaded.reconstruction_loss == "binary_crossentropy"


# ---------------------------------------------------------------------------- invalid arguments
@pytest.mark.parametrize(
    "make, parameter",
    [
        (lambda: GaussianNoise(-0.1), "stddev"),
        (lambda: GaussianNoise(float("nan")), "stddev"),
        (lambda: GaussianNoise("0.1"), "stddev"),
        (lambda: MaskingNoise(-0.01), "rate"),
        (lambda: MaskingNoise(1.5), "rate"),
        (lambda: SaltAndPepperNoise(2.0), "rate"),
        (lambda: SaltAndPepperNoise(0.1, low=float("inf")), "low"),
        (lambda: SaltAndPepperNoise(0.1, high="1"), "high"),
        (lambda: SaltAndPepperNoise(0.1, low=1.0, high=1.0), "low must be smaller than high"),
        (lambda: MaskingNoise(0.1, seed=-1), "seed"),
        (lambda: GaussianNoise(0.1, seed=1.5), "seed"),
        (lambda: small_dae(noise=0.5), "noise"),
        (lambda: small_dae(MaskingNoise(0.1), reconstruction_loss="mae"), "reconstruction_loss"),
    ],
)
def test_invalid_hyperparameters_are_named(make, parameter):
    with pytest.raises(ValueError, match=parameter):
        make()
