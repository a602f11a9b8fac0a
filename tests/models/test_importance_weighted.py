"""The importance-weighted autoencoder: its log weights, bounds and training against NumPy."""

import math

import numpy as np
import pytest

from aelib import builders
from aelib.models.importance_weighted import (
    ImportanceWeightedAutoencoder,
    importance_weighted_bound,
)
from aelib.models.variational import VariationalAutoencoder, log_mean_exp
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)
from tests.models.test_variational import (
    _log_normal,
    _np,
    exact_linear_gaussian,
    numpy_decode,
    numpy_log_px,
    numpy_posterior,
    set_known_weights,
)

LATENT = 3


def small_iwae(
    k=4, bound="importance_weighted", likelihood="bernoulli", observation_std=None, **kwargs
):
    """6x6 images -> 2 * LATENT -> 6x6 without hidden layers (easy to redo in NumPy)."""
    encoder = builders.dense_encoder((6, 6), [], code_dim=2 * LATENT)
    decoder = builders.dense_decoder(
        LATENT,
        [],
        output_shape=(6, 6),
        output_activation="sigmoid" if likelihood == "bernoulli" else "linear",
    )
    return ImportanceWeightedAutoencoder(
        encoder,
        decoder,
        LATENT,
        k=k,
        bound=bound,
        likelihood=likelihood,
        observation_std=observation_std,
        seed=0,
        **kwargs,
    )


@pytest.fixture
def binary_images(images):
    return (images > 0.5).astype("float32")


# ---------------------------------------------------------------------- the bound
def test_the_bound_is_the_log_of_the_mean_weight():
    log_w = np.log(np.array([[1.0, 2.0], [3.0, 2.0]], "float32"))  # k = 2 weights, 2 points
    # By hand: log((1 + 3) / 2) = log 2 and log((2 + 2) / 2) = log 2.
    np.testing.assert_allclose(_np(importance_weighted_bound(log_w)), [math.log(2)] * 2, rtol=1e-6)
    # Stable far from 0, where exp would overflow or underflow in float32.
    far = np.array([[-1000.0], [-1000.0 + math.log(3.0)]], "float32")
    np.testing.assert_allclose(
        _np(importance_weighted_bound(far)), [-1000.0 + math.log(2.0)], rtol=1e-6
    )
    np.testing.assert_allclose(
        _np(importance_weighted_bound(log_w.T, axis=1)), log_mean_exp(log_w.T, axis=1), rtol=1e-6
    )


def test_log_weights_of_the_forward_pass_match_numpy(binary_images, rng):
    model = small_iwae(k=5)
    weights = set_known_weights(model, rng)
    x = binary_images[:4]
    record = model(x)
    mean, log_var = numpy_posterior(x, *weights)
    z = _np(record["sampled_code"])  # (k, n, latent): the draws of this pass
    assert z.shape == (5, 4, LATENT)
    np.testing.assert_allclose(
        _np(record["code"]), np.concatenate([mean, log_var], 1), rtol=1e-5, atol=1e-6
    )
    out = numpy_decode(z.reshape(-1, LATENT), *weights)
    x_rep = np.broadcast_to(x[None], (5,) + x.shape).reshape((20,) + x.shape[1:])
    log_px = numpy_log_px(x_rep, out).reshape(5, 4)
    log_w = log_px + _log_normal(z, 0.0, 1.0) - _log_normal(z, mean, np.exp(log_var))
    np.testing.assert_allclose(_np(record["log_weights"]), log_w, rtol=1e-4)
    np.testing.assert_allclose(_np(record["log_px"]), log_px, rtol=1e-4)
    np.testing.assert_allclose(_np(record["reconstruction"]), out.reshape(5, 4, 6, 6)[0], rtol=1e-5)

    # The loss is minus the bound of these weights, averaged over the batch.
    iwae_loss = _np(model.compute_loss(x, x, record))
    np.testing.assert_allclose(iwae_loss, -log_mean_exp(log_w).mean(), rtol=1e-5)
    elbo_model = small_iwae(k=5, bound="elbo")
    set_known_weights(elbo_model, np.random.default_rng(1234))
    elbo_model.encoder.set_weights(model.encoder.get_weights())
    elbo_model.decoder.set_weights(model.decoder.get_weights())
    np.testing.assert_allclose(_np(elbo_model.compute_loss(x, x, record)), -log_w.mean(), rtol=1e-5)
    # Jensen: the importance-weighted bound of the same draws is the tighter one.
    assert -iwae_loss > log_w.mean()


def test_for_one_sample_both_bounds_are_the_elbo(binary_images, rng):
    """k = 1: the IWAE and the VAE objectives coincide, and their expectation is the ELBO of
    `VariationalAutoencoder` (whose KL term is analytic)."""
    iwae = small_iwae(k=1)
    weights = set_known_weights(iwae, rng)
    elbo_iwae = small_iwae(k=1, bound="elbo")
    vae_encoder = builders.dense_encoder((6, 6), [], code_dim=2 * LATENT)
    vae_decoder = builders.dense_decoder(LATENT, [], output_shape=(6, 6))
    vae = VariationalAutoencoder(vae_encoder, vae_decoder, LATENT)
    for other in (elbo_iwae, vae):
        other.encoder.get_layer("code").set_weights(weights[:2])
        other.decoder.get_layer("output").set_weights(weights[2:])
    x = np.tile(binary_images[:3], (400, 1, 1))  # 400 draws for each of 3 images
    record = iwae(x)
    loss_iwae = _np(iwae.compute_loss(x, x, record))
    loss_elbo = _np(elbo_iwae.compute_loss(x, x, record))
    assert loss_iwae == pytest.approx(loss_elbo, rel=1e-6)
    log_w = _np(record["log_weights"])[0].reshape(400, 3)
    elbo = vae.elbo(x, seed=0).reshape(400, 3)
    standard_error = np.sqrt(log_w.var(axis=0) / 400 + elbo.var(axis=0) / 400)
    np.testing.assert_array_less(np.abs(log_w.mean(axis=0) - elbo.mean(axis=0)), 5 * standard_error)


def test_the_bound_tightens_towards_the_exact_log_likelihood_of_a_linear_gaussian_model(rng):
    """z ~ N(0, I), x | z ~ N(z W + b, s^2 I): log p(x) is known. With a mean-field encoder
    (the exact posterior mean, twice its marginal variances) the ELBO is below log p(x); the
    k-sample bound, averaged over many forward passes, rises with k and closes the gap."""
    w = rng.normal(size=(2, 5))
    b, sigma = rng.normal(size=5) * 0.3, 0.6
    x = (rng.normal(size=(4, 5)) * 1.5).astype("float32")
    log_px, posterior_cov, to_mean = exact_linear_gaussian(w, b, sigma, x.astype(float))
    kernel = np.concatenate([to_mean, np.zeros((5, 2))], axis=1)
    bias = np.concatenate([-b @ to_mean, np.log(2 * np.diag(posterior_cov))])
    bounds = {}
    for k in (1, 5, 50, 500):
        encoder = builders.dense_encoder((5,), [], code_dim=4)
        decoder = builders.dense_decoder(2, [], output_shape=(5,), output_activation="linear")
        model = ImportanceWeightedAutoencoder(
            encoder, decoder, 2, k=k, likelihood="gaussian", observation_std=sigma, seed=k
        )
        encoder.get_layer("code").set_weights([kernel, bias])
        decoder.get_layer("output").set_weights([w, b])
        repeats = max(1, 20_000 // k)  # about 20,000 weights for each k
        record = model(np.tile(x, (repeats, 1)))
        per_pass = _np(importance_weighted_bound(record["log_weights"])).reshape(repeats, 4)
        bounds[k] = per_pass.mean(axis=0)
    gaps = {k: log_px - bound for k, bound in bounds.items()}
    assert np.all(gaps[1] > 0.1), gaps[1]
    for smaller, larger in ((1, 5), (5, 50), (50, 500)):
        assert np.all(bounds[larger] > bounds[smaller] - 0.01), (smaller, larger, gaps)
    assert np.all(np.abs(gaps[500]) < 0.05), gaps[500]
    assert np.all(gaps[500] < 0.25 * gaps[1])


# ---------------------------------------------------------------------- binarization
def test_binarize_draws_a_fresh_binary_image_in_training_only(rng):
    model = small_iwae(k=2, binarize=True)
    grey = np.full((2000, 6, 6), 0.3, "float32")
    first = _np(model(grey, training=True)["binarized"])
    second = _np(model(grey, training=True)["binarized"])
    assert set(np.unique(first)) == {0.0, 1.0}
    assert first.mean() == pytest.approx(0.3, abs=0.01)  # 72,000 Bernoulli(0.3) draws
    assert (first != second).mean() == pytest.approx(2 * 0.3 * 0.7, abs=0.01)  # fresh draws
    assert "binarized" not in model(grey, training=False)
    with pytest.raises(ValueError, match="binarize=True .* likelihood must be 'bernoulli'"):
        small_iwae(binarize=True, likelihood="gaussian")


# ---------------------------------------------------------------------- training and protocol
def test_training_is_seeded_and_improves_the_bound(binary_images):
    import aelib

    def train():
        history = aelib.fit(
            lambda: small_iwae(k=3, binarize=True),
            binary_images,
            epochs=5,
            batch_size=16,
            learning_rate=1e-2,
            seed=3,
            verbose=0,
        )
        return history.history["loss"], history.model

    losses, model = train()
    again, _ = train()
    np.testing.assert_allclose(losses, again, rtol=1e-6)
    assert losses[-1] < losses[0]
    assert sorted(model.metrics_names) == ["kl", "loss", "reconstruction_loss"]


def test_training_changes_weights_and_evaluation_does_not(binary_images):
    assert_training_changes_weights_and_evaluation_does_not(small_iwae(k=3), binary_images)


def test_saves_and_loads(binary_images, tmp_path):
    model = small_iwae(k=7, bound="elbo", binarize=True)
    model(binary_images[:2])
    loaded = assert_saves_and_loads(model, binary_images[:8], tmp_path)
    assert (loaded.k, loaded.bound, loaded.binarize) == (7, "elbo", True)
    assert "beta" not in loaded.get_config()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"k": 0}, "k must be a positive integer"),
        ({"k": 2.5}, "k must be a positive integer"),
        ({"bound": "iwae"}, "bound must be one of"),
        ({"binarize": "yes"}, "binarize must be"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        small_iwae(**kwargs)
