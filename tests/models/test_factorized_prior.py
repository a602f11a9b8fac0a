"""The factorized-prior codec's layers against hand computations and the NumPy reference:
GDN and inverse GDN, the strided transforms, the entropy bottleneck's interval probabilities,
noise in training and rounding at test, and the loss R + lambda * D."""

import math

import keras
import numpy as np
import pytest

from aelib.compression import reference
from aelib.compression.codec import weights_of
from aelib.models.factorized_prior import (
    GDN,
    LIKELIHOOD_BOUND,
    EntropyBottleneck,
    FactorizedPriorAutoencoder,
    analysis_transform,
    synthesis_transform,
)


def _model(filters=8, latent_channels=6, lmbda=0.01, seed=0):
    keras.utils.set_random_seed(seed)
    model = FactorizedPriorAutoencoder(
        lmbda=lmbda, filters=filters, latent_channels=latent_channels
    )
    model.build((None, None, None, 3))
    return model


def _randomize(model, rng, scale=0.2):
    """Random weights, GDN's square roots kept away from 0 so that gamma's off-diagonal
    entries matter."""
    for variable in model.weights:
        values = rng.normal(0.0, scale, variable.shape)
        if "root" in variable.path:
            values = np.abs(values) + 0.3
        variable.assign(values.astype("float32"))


def _np(x):
    return keras.ops.convert_to_numpy(x)


# ------------------------------------------------------------------------------------- GDN
def test_gdn_at_its_initial_parameters_by_hand():
    # beta = 1, gamma = 0.1 I (the off-diagonal pedestal is 2**-36, negligible here):
    # y_i = x_i / sqrt(1 + 0.1 x_i**2), and inverse GDN multiplies instead.
    x = np.array([[[[3.0, -2.0], [0.5, 0.0]]]], "float32")
    expected = x / np.sqrt(1.0 + 0.1 * x**2)
    np.testing.assert_allclose(_np(GDN()(x)), expected, rtol=1e-6)
    np.testing.assert_allclose(_np(GDN(inverse=True)(x)), x * np.sqrt(1.0 + 0.1 * x**2), rtol=1e-6)
    assert _np(GDN()(x))[0, 0, 0, 0] == pytest.approx(3 / math.sqrt(1.9), rel=1e-6)


def test_gdn_mixes_channels_through_gamma_as_the_reference_does(rng):
    layer = GDN()
    x = rng.normal(size=(2, 3, 4, 5)).astype("float32")
    layer.build(x.shape)
    beta_root = rng.uniform(0.5, 1.5, 5).astype("float32")
    gamma_root = rng.uniform(0.0, 0.6, (5, 5)).astype("float32")
    layer.beta_root.assign(beta_root)
    layer.gamma_root.assign(gamma_root)
    # By hand for one position: norm_i = beta_i + sum_j gamma_ij x_j**2.
    v = x[1, 2, 3].astype(np.float64)
    beta = beta_root.astype(np.float64) ** 2 + 1e-6
    gamma = gamma_root.astype(np.float64) ** 2
    by_hand = v / np.sqrt(beta + gamma @ v**2)
    np.testing.assert_allclose(_np(layer(x))[1, 2, 3], by_hand, rtol=1e-5)
    np.testing.assert_allclose(
        _np(layer(x)), reference.gdn(x.astype(np.float64), beta_root, gamma_root), rtol=1e-5
    )


def test_inverse_gdn_undoes_gdn_when_gamma_is_zero(rng):
    # With gamma = 0, GDN divides by sqrt(beta) and inverse GDN multiplies by it. (For other
    # gammas inverse GDN is only an approximate inverse, learned as part of g_s.)
    x = rng.normal(size=(1, 2, 2, 3)).astype("float32")
    forward, backward = GDN(), GDN(inverse=True)
    for layer in (forward, backward):
        layer.build(x.shape)
        layer.gamma_root.assign(np.zeros((3, 3), "float32"))
        layer.beta_root.assign(np.full(3, 2.0, "float32"))
    np.testing.assert_allclose(_np(backward(forward(x))), x, rtol=1e-6)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: GDN(inverse="yes"), "inverse must be True or False"),
        (lambda: GDN(beta_min=0.0), "beta_min"),
        (lambda: EntropyBottleneck(filters=(3, 0)), "filters must be a tuple of positive"),
        (lambda: EntropyBottleneck(init_scale=-1.0), "init_scale"),
        (lambda: FactorizedPriorAutoencoder(lmbda=0.0), "lmbda"),
        (lambda: FactorizedPriorAutoencoder(filters=0), "filters"),
        (lambda: FactorizedPriorAutoencoder(latent_channels=2.5), "latent_channels"),
    ],
)
def test_bad_arguments_are_refused_by_name(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ------------------------------------------------------------------------------ transforms
def test_the_keras_transforms_match_the_numpy_reference(rng):
    model = _model()
    _randomize(model, rng)
    weights = weights_of(model)
    analysis = {k.split("/", 1)[1]: v for k, v in weights.items() if k.startswith("analysis/")}
    synthesis = {k.split("/", 1)[1]: v for k, v in weights.items() if k.startswith("synthesis/")}
    x = rng.random((1, 32, 48, 3)).astype("float32")
    y = _np(model.analysis(x))[0]
    assert y.shape == (2, 3, 6)
    np.testing.assert_allclose(
        reference.analysis(x[0].astype(np.float64), analysis), y, rtol=1e-4, atol=1e-5
    )
    latent = np.round(y)
    out = _np(model.synthesis(latent[None]))[0]
    assert out.shape == (32, 48, 3)
    np.testing.assert_allclose(
        reference.synthesis(latent.astype(np.float64), synthesis),
        out,
        rtol=1e-4,
        atol=1e-4 * np.abs(out).max(),
    )


def test_strided_convolutions_map_positions_as_keras_does():
    # One input pixel through a transposed convolution lands on output pixels 2i + a - 1.
    layer = keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False)
    x = np.zeros((1, 3, 3, 1), "float32")
    x[0, 1, 1, 0] = 1.0
    layer.build(x.shape)
    kernel = np.arange(25.0, dtype="float32").reshape(5, 5, 1, 1)
    layer.kernel.assign(kernel)
    keras_out = _np(layer(x))[0, ..., 0]
    out = reference.conv2d_transpose(x[0].astype(np.float64), kernel, np.zeros(1))[..., 0]
    np.testing.assert_allclose(out, keras_out)
    # The input pixel (1, 1) reaches output rows and columns 2 - 1 + a = 1..5.
    assert np.count_nonzero(out) == 24  # kernel[0, 0] is 0
    assert out[1, 1] == kernel[0, 0, 0, 0] and out[5, 5] == kernel[4, 4, 0, 0]


def test_transforms_take_images_whose_sides_are_multiples_of_16():
    analysis, synthesis = analysis_transform(4, 3), synthesis_transform(4)
    y = analysis(np.zeros((1, 48, 16, 3), "float32"))
    assert tuple(y.shape) == (1, 3, 1, 3)
    assert tuple(synthesis(y).shape) == (1, 48, 16, 3)


# ---------------------------------------------------------------------- entropy bottleneck
def test_bottleneck_probabilities_match_the_reference_and_sum_to_one():
    keras.utils.set_random_seed(3)
    bottleneck = EntropyBottleneck(init_scale=4.0)
    values = np.arange(-60, 61, dtype="float32")
    y = np.tile(values[:, None], (1, 2))[None, :, None, :]  # (1, 121, 1, 2)
    bottleneck.build(y.shape)
    p = _np(bottleneck.probabilities(y))[0, :, 0, :]
    matrices = [_np(m) for m in bottleneck.matrices]
    biases = [_np(b) for b in bottleneck.biases]
    factors = [_np(f) for f in bottleneck.factors]
    expected = reference.interval_probabilities(
        np.stack([values, values]), matrices, biases, factors
    ).T
    np.testing.assert_allclose(p, np.maximum(expected, LIKELIHOOD_BOUND), rtol=1e-4, atol=1e-9)
    # The intervals [k - 1/2, k + 1/2) tile the line: their masses add up to 1 (init_scale 4
    # puts the density's tails well inside +-60).
    np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-5)


def test_bottleneck_adds_uniform_noise_in_training_and_rounds_otherwise():
    keras.utils.set_random_seed(0)
    bottleneck = EntropyBottleneck()
    y = np.linspace(-3.3, 3.3, 4000, dtype="float32").reshape(1, 40, 100, 1)
    noisy, _ = bottleneck(y, training=True)
    noise = _np(noisy) - y
    assert np.abs(noise).max() <= 0.5
    assert abs(noise.mean()) < 0.02 and abs(noise.var() - 1 / 12) < 0.005  # U(-1/2, 1/2)
    rounded, p = bottleneck(y, training=False)
    np.testing.assert_array_equal(_np(rounded), np.round(y))
    assert _np(p).dtype == np.float32 and _np(p).min() >= LIKELIHOOD_BOUND


# -------------------------------------------------------------------------------- the loss
def test_the_loss_is_bits_per_pixel_plus_lambda_times_mse_on_the_255_scale(rng):
    model = _model(lmbda=0.05)
    x = rng.random((2, 32, 32, 3)).astype("float32")
    record = model(x, training=False)
    p = _np(record["probabilities"]).astype(np.float64)
    bpp = -np.log2(p).sum() / (2 * 32 * 32)
    mse = np.mean((x.astype(np.float64) - _np(record["reconstruction"])) ** 2) * 255.0**2
    loss = _np(model.compute_loss(x, None, record))
    assert float(loss) == pytest.approx(bpp + 0.05 * mse, rel=1e-5)


def test_training_lowers_the_loss_and_under_bfloat16_the_rate_path_stays_float32(rng):
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        model = _model(filters=8, latent_channels=4)
        record = model(np.zeros((1, 32, 32, 3), "float32"))
        for key in ("latent", "quantized", "probabilities", "reconstruction"):
            assert record[key].dtype == "float32", key
    finally:
        keras.config.set_dtype_policy("float32")
    model = _model(filters=8, latent_channels=4)
    model.compile(optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=1.0))
    x = rng.random((16, 32, 32, 3)).astype("float32")
    before = float(model.evaluate(x, verbose=0, return_dict=True)["loss"])
    model.fit(x, epochs=15, batch_size=8, verbose=0)
    after = model.evaluate(x, verbose=0, return_dict=True)
    assert after["loss"] < 0.8 * before
    assert {"bpp", "mse"} <= set(after)


def test_config_round_trip():
    model = FactorizedPriorAutoencoder(lmbda=0.02, filters=8, latent_channels=4)
    clone = FactorizedPriorAutoencoder.from_config(model.get_config())
    assert (clone.lmbda, clone.filters, clone.latent_channels) == (0.02, 8, 4)
    layer = GDN.from_config(GDN(inverse=True, beta_min=1e-5).get_config())
    assert layer.inverse and layer.beta_min == 1e-5
    bottleneck = EntropyBottleneck.from_config(EntropyBottleneck(filters=(2, 2)).get_config())
    assert bottleneck.filters == (2, 2)
