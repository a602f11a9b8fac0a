"""The variational autoencoder: its densities, bounds and estimators against NumPy references."""

import math

import keras
import numpy as np
import pytest

from aelib import builders
from aelib.models.variational import (
    Sampling,
    VariationalAutoencoder,
    active_units,
    bernoulli_log_likelihood,
    box_muller_normals,
    gaussian_kl,
    gaussian_log_density,
    kl_per_dimension,
    log_mean_exp,
    reparameterize,
)
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

LATENT = 3


def _np(t):
    return np.asarray(keras.ops.convert_to_numpy(t), dtype=np.float64)


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _log_normal(x, mean, var):
    """log N(x; mean, diag var), summed over the last axis."""
    return -0.5 * np.sum((x - mean) ** 2 / var + np.log(2 * np.pi * var), axis=-1)


def small_vae(likelihood="bernoulli", observation_std=None, hidden=(), **kwargs):
    """6x6 images -> 2 * LATENT -> 6x6; without hidden layers its forward pass is easy in NumPy.

    ``hidden`` widens the encoder only: the shared model checks key weights by their path, and
    the builders name the hidden layers of an encoder and a decoder alike (``dense_1``).
    """
    encoder = builders.dense_encoder((6, 6), list(hidden), code_dim=2 * LATENT)
    decoder = builders.dense_decoder(
        LATENT,
        [],
        output_shape=(6, 6),
        output_activation="sigmoid" if likelihood == "bernoulli" else "linear",
    )
    return VariationalAutoencoder(
        encoder,
        decoder,
        LATENT,
        likelihood=likelihood,
        observation_std=observation_std,
        seed=0,
        **kwargs,
    )


def set_known_weights(model, rng, log_var_bias=None):
    w_enc = rng.normal(size=(36, 2 * LATENT)) * 0.3
    b_enc = rng.normal(size=2 * LATENT) * 0.1
    if log_var_bias is not None:  # a fixed posterior variance, independent of x
        w_enc[:, LATENT:] = 0.0
        b_enc[LATENT:] = log_var_bias
    w_dec, b_dec = rng.normal(size=(LATENT, 36)) * 0.5, rng.normal(size=36) * 0.1
    model.encoder.get_layer("code").set_weights([w_enc, b_enc])
    model.decoder.get_layer("output").set_weights([w_dec, b_dec])
    return w_enc, b_enc, w_dec, b_dec


def numpy_posterior(x, w_enc, b_enc, *_):
    stats = x.reshape(len(x), -1).astype(np.float64) @ w_enc + b_enc
    return stats[:, :LATENT], stats[:, LATENT:]


def numpy_decode(z, w_enc, b_enc, w_dec, b_dec, likelihood="bernoulli"):
    a = z @ w_dec + b_dec
    return _sigmoid(a) if likelihood == "bernoulli" else a


def numpy_log_px(x, out, likelihood="bernoulli", sigma=1.0):
    x = x.reshape(len(x), -1).astype(np.float64)
    if likelihood == "bernoulli":
        p = np.clip(out, 1e-7, 1 - 1e-7)
        return np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)
    return _log_normal(x, out, sigma**2)


def numpy_kl(mean, log_var):
    return -0.5 * np.sum(1 + log_var - mean**2 - np.exp(log_var), axis=-1)


@pytest.fixture
def binary_images(images):
    return (images > 0.5).astype("float32")


# ---------------------------------------------------------------------- pure functions
def test_gaussian_kl_matches_closed_form_and_quadrature(rng):
    mean = rng.normal(size=(4, 5)).astype("float32")
    log_var = rng.normal(size=(4, 5)).astype("float32")
    got = _np(gaussian_kl(mean, log_var))
    np.testing.assert_allclose(got, numpy_kl(mean.astype(float), log_var.astype(float)), rtol=1e-5)
    assert np.all(got > 0)
    np.testing.assert_allclose(_np(gaussian_kl(np.zeros((2, 3)), np.zeros((2, 3)))), 0.0, atol=1e-7)

    # An independent check of the closed form: KL of one coordinate by numerical integration.
    m, lv = float(mean[0, 0]), float(log_var[0, 0])
    t = np.linspace(-15, 15, 200_001)
    log_q = _log_normal(t[:, None], m, math.exp(lv))
    log_p = _log_normal(t[:, None], 0.0, 1.0)
    quadrature = np.trapezoid(np.exp(log_q) * (log_q - log_p), t)
    one = _np(gaussian_kl(mean[:1, :1], log_var[:1, :1]))[0]
    assert one == pytest.approx(quadrature, rel=1e-4)


def test_log_densities_match_numpy(rng):
    x = rng.normal(size=(3, 2, 4)).astype("float32")
    mean = rng.normal(size=(3, 2, 4)).astype("float32")
    log_var = rng.normal(size=(3, 2, 4)).astype("float32")
    expected = _log_normal(x.reshape(3, -1), mean.reshape(3, -1), np.exp(log_var.reshape(3, -1)))
    np.testing.assert_allclose(_np(gaussian_log_density(x, mean, log_var)), expected, rtol=1e-5)
    shared = _np(gaussian_log_density(x, mean, np.float32(math.log(0.25))))
    np.testing.assert_allclose(
        shared, _log_normal(x.reshape(3, -1), mean.reshape(3, -1), 0.25), rtol=1e-5
    )

    bits = (rng.random((3, 8)) > 0.5).astype("float32")
    p = rng.uniform(0.05, 0.95, size=(3, 8)).astype("float32")
    expected = np.sum(bits * np.log(p) + (1 - bits) * np.log(1 - p), axis=1)
    np.testing.assert_allclose(_np(bernoulli_log_likelihood(bits, p)), expected, rtol=1e-5)


def test_log_mean_exp_is_stable_and_exact(rng):
    values = rng.normal(size=(7, 3)) - 1000.0  # exp underflows to 0 in float64
    shift = values + 1000.0
    np.testing.assert_allclose(
        log_mean_exp(values, axis=0), np.log(np.mean(np.exp(shift), axis=0)) - 1000.0, rtol=1e-12
    )


def test_sampling_layer_moments_and_seeding(rng):
    mean = np.array([1.5, -2.0], "float32")
    log_var = np.array([math.log(0.25), math.log(4.0)], "float32")
    n = 40_000
    batch = [np.tile(mean, (n, 1)), np.tile(log_var, (n, 1))]
    z = _np(Sampling(seed=3)(batch))
    std = np.sqrt(np.exp(log_var))
    # The sample mean is within 5 standard errors; the sample variance within 5% (its
    # relative standard error is sqrt(2 / n) = 0.7%).
    np.testing.assert_array_less(np.abs(z.mean(axis=0) - mean), 5 * std / math.sqrt(n))
    np.testing.assert_allclose(z.var(axis=0), np.exp(log_var), rtol=0.05)
    assert abs(np.corrcoef(z.T)[0, 1]) < 5 / math.sqrt(n)

    again = _np(Sampling(seed=3)(batch))
    np.testing.assert_array_equal(again, z)
    assert not np.allclose(_np(Sampling(seed=4)(batch)), z)
    # The draw is the reparameterization of a standard normal epsilon.
    epsilon = (z - mean) / std
    np.testing.assert_allclose(_np(reparameterize(mean, log_var, epsilon)), z, rtol=1e-5)


# ---------------------------------------------------------------------- the model against NumPy
def test_posterior_transform_reconstruct_and_evaluate_match_numpy(binary_images, rng):
    model = small_vae(beta=0.5)
    # A posterior variance of e^-30 makes the sampled z equal to mu to float32 precision, so
    # the loss of `evaluate` can be computed in NumPy.
    weights = set_known_weights(model, rng, log_var_bias=-30.0)
    mean, log_var = numpy_posterior(binary_images, *weights)
    probabilities = numpy_decode(mean, *weights)

    np.testing.assert_allclose(model.transform(binary_images), mean, atol=1e-5)
    np.testing.assert_allclose(
        model.reconstruct(binary_images).reshape(64, -1), probabilities, atol=1e-5
    )

    model.compile(optimizer="sgd")
    logs = model.evaluate(binary_images, binary_images, batch_size=64, verbose=0, return_dict=True)
    kl = numpy_kl(mean, log_var).mean()
    nll = -numpy_log_px(binary_images, probabilities).mean()
    assert logs["kl"] == pytest.approx(0.5 * kl, rel=1e-4)
    assert logs["reconstruction_loss"] == pytest.approx(nll, rel=1e-4)
    assert logs["loss"] == pytest.approx(nll + 0.5 * kl, rel=1e-4)


@pytest.mark.parametrize("likelihood, observation_std", [("bernoulli", None), ("gaussian", 0.7)])
def test_elbo_matches_numpy_with_fixed_epsilon(binary_images, rng, likelihood, observation_std):
    model = small_vae(likelihood, observation_std)
    weights = set_known_weights(model, rng)
    x = binary_images[:10]
    epsilon = rng.standard_normal((10, LATENT)).astype("float32")
    mean, log_var = numpy_posterior(x, *weights)
    z = mean + np.exp(0.5 * log_var) * epsilon
    sigma = observation_std or 1.0
    expected = numpy_log_px(x, numpy_decode(z, *weights, likelihood), likelihood, sigma) - numpy_kl(
        mean, log_var
    )
    got = model.elbo(x, epsilon=epsilon, batch_size=4)  # several batches
    np.testing.assert_allclose(got, expected, rtol=1e-4)
    # With a seed, epsilon is NumPy's standard normal stream of that seed.
    seeded = np.random.default_rng(5).standard_normal((10, LATENT)).astype("float32")
    np.testing.assert_allclose(model.elbo(x, seed=5), model.elbo(x, epsilon=seeded), rtol=1e-6)


@pytest.mark.parametrize("likelihood, observation_std", [("bernoulli", None), ("gaussian", 0.7)])
def test_importance_weights_and_log_likelihood_match_numpy(
    binary_images, rng, likelihood, observation_std
):
    model = small_vae(likelihood, observation_std)
    weights = set_known_weights(model, rng)
    x = binary_images[:5]
    k = 7
    epsilon = rng.standard_normal((k, 5, LATENT))
    mean, log_var = numpy_posterior(x, *weights)
    z = mean + np.exp(0.5 * log_var) * epsilon  # (k, 5, LATENT)
    out = numpy_decode(z.reshape(k * 5, LATENT), *weights, likelihood)
    x_rep = np.broadcast_to(x[None], (k,) + x.shape).reshape((k * 5,) + x.shape[1:])
    log_px = numpy_log_px(x_rep, out, likelihood, observation_std or 1.0).reshape(k, 5)
    log_w = log_px + _log_normal(z, 0.0, 1.0) - _log_normal(z, mean, np.exp(log_var))
    np.testing.assert_allclose(model.log_importance_weights(x, epsilon), log_w, rtol=1e-4)

    expected = np.log(np.mean(np.exp(log_w), axis=0))
    # The estimator draws float32 epsilon of shape (n, k, latent) from the seeded NumPy
    # generator by box_muller_normals ...
    seeded = np.swapaxes(box_muller_normals(np.random.default_rng(11), (5, k, LATENT)), 0, 1)
    np.testing.assert_allclose(
        model.log_likelihood(x, k=k, seed=11),
        log_mean_exp(model.log_importance_weights(x, seeded)),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        log_mean_exp(model.log_importance_weights(x, epsilon)), expected, rtol=1e-4
    )
    # With batch_size=3 < k, each point gets its k = 7 draws in chunks of 3, 3 and 1.
    stream = np.random.default_rng(11)
    per_point = []
    for i in range(5):
        draws = [
            np.swapaxes(box_muller_normals(stream, (1, size, LATENT)), 0, 1) for size in (3, 3, 1)
        ]
        log_w_i = np.concatenate([model.log_importance_weights(x[i : i + 1], d) for d in draws])
        per_point.append(log_mean_exp(log_w_i)[0])
    np.testing.assert_allclose(
        model.log_likelihood(x, k=k, seed=11, batch_size=3), per_point, rtol=1e-6
    )


def test_one_sample_weight_is_unbiased_for_the_elbo(binary_images, rng):
    """E[log w] for k = 1 equals the ELBO: log p(z) - log q(z|x) averages to -KL."""
    model = small_vae()
    set_known_weights(model, rng)
    x = binary_images[:3]
    draws = 3000
    epsilon = rng.standard_normal((draws, 3, LATENT))
    log_w = model.log_importance_weights(x, epsilon)  # (draws, 3)
    # One ELBO per draw (analytic KL): the 3 points repeated 300 times, in one call.
    elbo = model.elbo(
        np.tile(x, (300, 1, 1)), epsilon=epsilon[:300].reshape(900, LATENT), batch_size=900
    ).reshape(300, 3)
    difference = log_w[:300] - elbo  # log p(z) - log q(z|x) + KL, mean zero
    standard_error = difference.std(axis=0) / math.sqrt(300)
    np.testing.assert_array_less(np.abs(difference.mean(axis=0)), 5 * standard_error)
    standard_error = log_w.std(axis=0) / math.sqrt(draws) + elbo.std(axis=0) / math.sqrt(300)
    np.testing.assert_array_less(np.abs(log_w.mean(axis=0) - elbo.mean(axis=0)), 5 * standard_error)
    # Averaging inside the log (k > 1) can only raise the estimate of the same draws (Jensen).
    assert np.all(log_mean_exp(log_w) >= log_w.mean(axis=0))


def linear_gaussian_vae(w, b, sigma, enc_kernel, enc_bias):
    """z ~ N(0, I), x | z ~ N(z W + b, sigma^2 I); the encoder is a given linear map."""
    latent, dim = w.shape
    encoder = builders.dense_encoder((dim,), [], code_dim=2 * latent)
    decoder = builders.dense_decoder(latent, [], output_shape=(dim,), output_activation="linear")
    model = VariationalAutoencoder(
        encoder, decoder, latent, likelihood="gaussian", observation_std=sigma
    )
    encoder.get_layer("code").set_weights([enc_kernel, enc_bias])
    decoder.get_layer("output").set_weights([w, b])
    return model


def exact_linear_gaussian(w, b, sigma, x):
    """log p(x) = log N(x; b, W^T W + sigma^2 I), and the exact posterior of z given x."""
    dim = w.shape[1]
    covariance = w.T @ w + sigma**2 * np.eye(dim)
    diff = x - b
    _, logdet = np.linalg.slogdet(covariance)
    log_px = -0.5 * (
        np.einsum("nd,de,ne->n", diff, np.linalg.inv(covariance), diff)
        + logdet
        + dim * math.log(2 * math.pi)
    )
    posterior_cov = np.linalg.inv(np.eye(len(w)) + w @ w.T / sigma**2)
    to_mean = w.T @ posterior_cov / sigma**2  # posterior mean = (x - b) to_mean
    return log_px, posterior_cov, to_mean


def test_log_likelihood_is_exact_when_q_is_the_true_posterior(rng):
    """Orthogonal rows of W give a diagonal posterior, which the encoder represents exactly:
    then every importance weight equals p(x), so k = 1 already gives log p(x)."""
    q, _ = np.linalg.qr(rng.normal(size=(5, 2)))
    w = q.T * np.array([[1.5], [0.8]])  # (2, 5), orthogonal rows
    b, sigma = rng.normal(size=5) * 0.3, 0.5
    x = rng.normal(size=(6, 5)).astype("float32")
    log_px, posterior_cov, to_mean = exact_linear_gaussian(w, b, sigma, x.astype(float))
    np.testing.assert_allclose(posterior_cov, np.diag(np.diag(posterior_cov)), atol=1e-12)
    kernel = np.concatenate([to_mean, np.zeros((5, 2))], axis=1)
    bias = np.concatenate([-b @ to_mean, np.log(np.diag(posterior_cov))])
    model = linear_gaussian_vae(w, b, sigma, kernel, bias)
    np.testing.assert_allclose(model.log_likelihood(x, k=1, seed=0), log_px, atol=2e-4)
    np.testing.assert_allclose(model.log_likelihood(x, k=5, seed=1), log_px, atol=2e-4)


def test_log_likelihood_with_large_k_approaches_the_exact_value(rng):
    """A mean-field q misses the correlation of the true posterior: the ELBO is strictly below
    log p(x), and the importance-sampled estimate with k = 5000 closes the gap."""
    w = rng.normal(size=(2, 5))
    b, sigma = rng.normal(size=5) * 0.3, 0.6
    x = (rng.normal(size=(4, 5)) * 1.5).astype("float32")
    log_px, posterior_cov, to_mean = exact_linear_gaussian(w, b, sigma, x.astype(float))
    # The exact posterior mean, and the diagonal of the posterior covariance doubled: a proposal
    # wider than the posterior keeps the importance weights' variance finite.
    kernel = np.concatenate([to_mean, np.zeros((5, 2))], axis=1)
    bias = np.concatenate([-b @ to_mean, np.log(2 * np.diag(posterior_cov))])
    model = linear_gaussian_vae(w, b, sigma, kernel, bias)

    elbo = model.elbo(np.tile(x, (500, 1)), seed=0, batch_size=2000).reshape(500, 4).mean(axis=0)
    estimate = model.log_likelihood(x, k=5000, seed=0)
    gap_elbo, gap_estimate = log_px - elbo, log_px - estimate
    assert np.all(gap_elbo > 0.1), gap_elbo
    # The estimate's Monte Carlo standard deviation is about 0.01 here (20 seeds: 0.008 to
    # 0.011 per point), so 0.05 is five of them; its mean error over those seeds is below 0.005.
    np.testing.assert_allclose(estimate, log_px, atol=0.05)
    assert np.mean(np.abs(gap_estimate)) < 0.1 * np.mean(gap_elbo)


# ---------------------------------------------------------------------- generation
def test_sample_and_interpolate(binary_images, rng):
    model = small_vae()
    weights = set_known_weights(model, rng)
    z = np.random.default_rng(9).standard_normal((4, LATENT))
    samples = model.sample(4, seed=9)
    assert samples.shape == (4, 6, 6)
    np.testing.assert_allclose(samples.reshape(4, -1), numpy_decode(z, *weights), atol=1e-5)
    np.testing.assert_array_equal(model.sample(4, seed=9), samples)

    a, b = binary_images[0], binary_images[1]
    path = model.interpolate(a, b, steps=5)
    assert path.shape == (5, 6, 6)
    np.testing.assert_allclose(path[0], model.reconstruct(a[None])[0], atol=1e-5)
    np.testing.assert_allclose(path[-1], model.reconstruct(b[None])[0], atol=1e-5)
    mean, _ = numpy_posterior(binary_images[:2], *weights)
    midpoint = numpy_decode(0.5 * (mean[:1] + mean[1:]), *weights)
    np.testing.assert_allclose(path[2].reshape(1, -1), midpoint, atol=1e-5)
    batched = model.interpolate(binary_images[:3], binary_images[3:6], steps=4)
    assert batched.shape == (3, 4, 6, 6)
    np.testing.assert_allclose(batched[1, -1], model.reconstruct(binary_images[4:5])[0], atol=1e-5)


# ---------------------------------------------------------------------- training and saving
def test_fit_reports_the_kl_term_and_moves_the_weights(binary_images, tmp_path):
    model = small_vae(hidden=(8,))
    model.compile(optimizer=keras.optimizers.Adam(1e-2))
    history = model.fit(binary_images, binary_images, epochs=3, batch_size=64, verbose=0)
    assert {"loss", "reconstruction_loss", "kl"} <= set(history.history)
    assert history.history["loss"][-1] < history.history["loss"][0]
    for epoch_loss, recon, kl in zip(
        *(history.history[k] for k in ("loss", "reconstruction_loss", "kl"))
    ):
        assert epoch_loss == pytest.approx(recon + kl, rel=1e-5)
    assert_training_changes_weights_and_evaluation_does_not(model, binary_images)
    loaded = assert_saves_and_loads(model, binary_images, tmp_path)
    assert (loaded.latent_dim, loaded.likelihood, loaded.seed) == (LATENT, "bernoulli", 0)


def test_gaussian_with_learned_std_trains_saves_and_loads(images, tmp_path):
    model = small_vae("gaussian", "learned", hidden=(8,))
    assert_training_changes_weights_and_evaluation_does_not(model, images)
    log_var = float(keras.ops.convert_to_numpy(model.observation_log_var))
    assert log_var != 0.0  # the shared observation variance is a trained weight
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert loaded.observation_std == "learned"
    assert float(keras.ops.convert_to_numpy(loaded.observation_log_var)) == pytest.approx(log_var)
    # Its negative log-likelihood uses the learned variance.
    sigma = math.exp(0.5 * log_var)
    x = images[:4]
    out = keras.ops.convert_to_numpy(model.decoder(model.transform(x)))
    expected = -_log_normal(x.reshape(4, -1), out.reshape(4, -1), sigma**2)
    got = _np(model.negative_log_likelihood(x, keras.ops.convert_to_tensor(out)))
    np.testing.assert_allclose(got, expected, rtol=1e-4)


# ---------------------------------------------------------------------- posterior collapse
def test_free_bits_floor_each_dimensions_batch_mean_kl(binary_images, rng):
    # The loss of `evaluate` in NumPy (see the test above): with a posterior variance of
    # e^-30 the sampled z is mu. The floor is chosen between the dimensions' KLs so that it
    # lifts some and leaves others: beta * sum_j max(floor, mean_i KL_ij).
    model = small_vae(beta=0.5, free_bits=0.0)
    weights = set_known_weights(model, rng, log_var_bias=-30.0)
    mean, log_var = numpy_posterior(binary_images, *weights)
    per_dimension = (-0.5 * (1 + log_var - mean**2 - np.exp(log_var))).mean(axis=0)
    floor = float(np.median(per_dimension))
    floored = small_vae(beta=0.5, free_bits=floor)
    floored.set_weights(model.get_weights())
    for vae, expected in (
        (model, 0.5 * per_dimension.sum()),
        (floored, 0.5 * np.maximum(per_dimension, floor).sum()),
    ):
        vae.compile(optimizer="sgd")
        logs = vae.evaluate(
            binary_images, binary_images, batch_size=64, verbose=0, return_dict=True
        )
        assert logs["kl"] == pytest.approx(expected, rel=1e-4)
    assert np.maximum(per_dimension, floor).sum() > per_dimension.sum()
    np.testing.assert_allclose(kl_per_dimension(model, binary_images), per_dimension, rtol=1e-5)
    assert floored.get_config()["free_bits"] == floor


def test_active_units_count_the_dimensions_whose_posterior_mean_moves(binary_images, rng):
    model = small_vae()
    w_enc, b_enc, w_dec, b_dec = set_known_weights(model, rng)
    # Dimension 0 ignores x (its mean is a constant), dimension 1 moves a little, dimension 2
    # a lot: activities 0, about 1e-3 and about 1 against Burda et al.'s threshold 0.01.
    w_enc[:, 0] = 0.0
    w_enc[:, 1] *= 0.03
    model.encoder.get_layer("code").set_weights([w_enc, b_enc])
    mean, log_var = numpy_posterior(binary_images, w_enc, b_enc)
    count, activity = active_units(model, binary_images)
    np.testing.assert_allclose(activity, mean.var(axis=0), rtol=1e-4, atol=1e-12)
    assert activity[0] < 1e-12 and activity[1] < 0.01 < activity[2]
    assert count == int((mean.var(axis=0) > 0.01).sum()) == 1
    assert active_units(model, binary_images, threshold=0.0)[0] == 2
    np.testing.assert_allclose(
        kl_per_dimension(model, binary_images),
        (-0.5 * (1 + log_var - mean**2 - np.exp(log_var))).mean(axis=0),
        rtol=1e-4,
    )
    with pytest.raises(ValueError, match="threshold"):
        active_units(model, binary_images, threshold=-1.0)
    with pytest.raises(ValueError, match="at least 2"):
        active_units(model, binary_images[:1])
    with pytest.raises(TypeError, match="vae"):
        kl_per_dimension(model.encoder, binary_images)


# ---------------------------------------------------------------------- argument checks
def test_invalid_arguments_raise_value_errors(binary_images):
    encoder = builders.dense_encoder((6, 6), [], code_dim=2 * LATENT)
    decoder = builders.dense_decoder(LATENT, [], output_shape=(6, 6))
    with pytest.raises(ValueError, match="latent_dim must be a positive integer"):
        VariationalAutoencoder(encoder, decoder, 0)
    with pytest.raises(ValueError, match="likelihood must be one of"):
        VariationalAutoencoder(encoder, decoder, LATENT, likelihood="poisson")
    with pytest.raises(ValueError, match="observation_std applies only"):
        VariationalAutoencoder(encoder, decoder, LATENT, observation_std=0.5)
    with pytest.raises(ValueError, match="observation_std must be a positive number or 'learned'"):
        VariationalAutoencoder(encoder, decoder, LATENT, likelihood="gaussian", observation_std=0)
    with pytest.raises(ValueError, match="beta must be"):
        VariationalAutoencoder(encoder, decoder, LATENT, beta=-1.0)
    with pytest.raises(ValueError, match="free_bits must be"):
        VariationalAutoencoder(encoder, decoder, LATENT, free_bits=-0.5)
    with pytest.raises(ValueError, match="seed must be"):
        Sampling(seed=-1)
    with pytest.raises(ValueError, match="2 \\* latent_dim = 4"):
        VariationalAutoencoder(encoder, decoder, 2)
    other_decoder = builders.dense_decoder(LATENT + 1, [], output_shape=(6, 6))
    with pytest.raises(ValueError, match="latent_dim = 3 inputs"):
        VariationalAutoencoder(encoder, other_decoder, LATENT)

    model = VariationalAutoencoder(encoder, decoder, LATENT)
    x = binary_images[:2]
    with pytest.raises(ValueError, match="k must be a positive integer"):
        model.log_likelihood(x, k=0)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        model.sample(0)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        model.interpolate(x[0], x[1], steps=0)
    with pytest.raises(ValueError, match="epsilon must have shape"):
        model.elbo(x, epsilon=np.zeros((2, LATENT + 1)))
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        model.log_likelihood(x, seed=None)
    with pytest.raises(ValueError, match="epsilon must have shape"):
        model.log_importance_weights(x, np.zeros((2, LATENT)))


# ---------------------------------------------------------------------- the fast estimator
def test_summed_softplus_matches_numpy_at_every_scale(rng):
    from aelib.models.variational import summed_softplus

    logits = np.concatenate(
        [rng.normal(0, 5, (6, 37)), np.full((1, 37), -90.0), np.full((1, 37), 90.0)]
    ).astype("float32")
    expected = np.logaddexp(0.0, logits.astype(np.float64)).sum(axis=-1)
    for group in (1, 3, 8, 37):  # 37 values: padded groups, except for 1 and 37
        np.testing.assert_allclose(
            _np(summed_softplus(logits, group=group)), expected, rtol=1e-6, atol=1e-4
        )
    with pytest.raises(ValueError, match="group must be at most 64"):
        summed_softplus(logits, group=65)


def flat_bernoulli_vae(hidden=(5,)):
    """A VAE on flat 36-pixel data whose decoder ends in a sigmoid Dense layer: the case that
    `log_importance_weights` computes in the logits form."""
    encoder = builders.dense_encoder((36,), list(hidden), code_dim=2 * LATENT, activation="tanh")
    decoder = builders.dense_decoder(LATENT, list(hidden), output_shape=(36,), activation="tanh")
    return VariationalAutoencoder(encoder, decoder, LATENT, seed=0)


def test_the_logits_form_gives_the_same_log_weights_as_the_probabilities(binary_images, rng):
    model = flat_bernoulli_vae()
    assert model._sigmoid_head() is not None
    x = binary_images[:6].reshape(6, 36)
    epsilon = rng.standard_normal((9, 6, LATENT))
    mean, log_var = (_np(t) for t in model.posterior(x))
    z = mean + np.exp(0.5 * log_var) * epsilon
    p = model.decoder.predict(z.reshape(-1, LATENT).astype("float32"), verbose=0)
    p = p.astype(np.float64).reshape(9, 6, 36)
    log_px = np.sum(x * np.log(p) + (1 - x) * np.log1p(-p), axis=-1)
    log_w = log_px + _log_normal(z, 0.0, 1.0) - _log_normal(z, mean, np.exp(log_var))
    np.testing.assert_allclose(model.log_importance_weights(x, epsilon), log_w, rtol=1e-5)


def test_the_last_batch_is_padded_without_changing_its_estimates(binary_images):
    """k = 9 and 18 pairs per step: two points per step, the last step holding one point (padded
    to two). Each step draws its (points, 9, latent) noise from the one seeded stream."""
    model = flat_bernoulli_vae()
    x = binary_images[:7].reshape(7, 36)
    stream = np.random.default_rng(3)
    expected = []
    for start in range(0, 7, 2):
        batch = x[start : start + 2]
        epsilon = np.swapaxes(box_muller_normals(stream, (len(batch), 9, LATENT)), 0, 1)
        expected.extend(log_mean_exp(model.log_importance_weights(batch, epsilon)))
    np.testing.assert_allclose(
        model.log_likelihood(x, k=9, seed=3, batch_size=18), expected, rtol=1e-6
    )


def test_box_muller_normals_follow_the_transform_of_the_generators_uniforms():
    """Each pair of uniforms (u, v) becomes r cos(2 pi v) and r sin(2 pi v), r = sqrt(-2 log(1 - u)):
    the cosines fill the first ceil(d / 2) places of the last axis, the sines the rest."""
    for dim in (1, 4, 5):
        draws = box_muller_normals(np.random.default_rng(3), (6, 2, dim))
        uniforms = np.random.default_rng(3).random((6, 2, 2, (dim + 1) // 2))
        radius = np.sqrt(-2.0 * np.log(1.0 - uniforms[..., 0, :]))
        angle = 2.0 * np.pi * uniforms[..., 1, :]
        expected = np.concatenate([radius * np.cos(angle), radius * np.sin(angle)], -1)[..., :dim]
        assert draws.dtype == np.float32 and draws.shape == (6, 2, dim)
        np.testing.assert_allclose(draws, expected, rtol=1e-5, atol=1e-6)


def test_box_muller_normals_are_standard_normal_with_a_long_tail():
    from scipy import stats

    draws = box_muller_normals(np.random.default_rng(0), (100_000, 3)).astype(np.float64)
    # Each coordinate (a cosine, a cosine, a sine) is N(0, 1), and they are uncorrelated.
    for column in draws.T:
        assert stats.kstest(column, "norm").pvalue > 0.01
    assert np.all(np.abs(np.corrcoef(draws.T) - np.eye(3)) < 0.02)

    class Extreme:  # the largest uniform below 1 that float64 holds
        def random(self, shape):
            return np.full(shape, 1.0 - 2.0**-53)

    # r = sqrt(-2 log(2 ** -53)) = 8.57: from float32 uniforms it could not pass 5.77.
    radius = np.sqrt(-2.0 * np.log(2.0**-53))
    assert (
        abs(
            float(box_muller_normals(Extreme(), (1, 1))[0, 0])
            - radius * np.cos(2 * np.pi * (1 - 2.0**-53))
        )
        < 1e-4
    )
    assert radius > 8.5
