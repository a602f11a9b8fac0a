"""Convolutional image denoisers: RED-Net's skips and residual, the bottleneck of the
convolutional DAE, blind noise, and `denoise` on arrays, files and per-sigma models; the
arithmetic of convolutions (output sizes, receptive fields, the transpose as the adjoint)
against Keras' layers and hand-computed values."""

import keras
import numpy as np
import pytest
from PIL import Image

import aelib
from aelib.models.convolutional import (
    conv_denoising_autoencoder,
    conv_output_size,
    conv_transpose_output_size,
    denoise,
    receptive_field,
    red_net,
    size_multiple,
)
from aelib.models.denoising import BlindGaussianNoise, GaussianNoise
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)


def _identity_kernels(model, last_scale=1.0):
    """Every 3x3 kernel a centred identity (one filter per layer), biases 0."""
    for network in (model.encoder, model.decoder):
        for layer in network.layers:
            if isinstance(layer, keras.layers.Conv2D):
                kernel = np.zeros(layer.kernel.shape, "float32")
                kernel[1, 1, 0, 0] = last_scale if layer.name == "deconv_3" else 1.0
                layer.kernel.assign(kernel)
                layer.bias.assign(np.zeros(layer.bias.shape, "float32"))


def _zero_last_layer(model):
    model.build((None, None, None, 1))
    last = model.decoder.get_layer(f"deconv_{len(model.encoder.layers) - 1}")
    last.kernel.assign(np.zeros(last.kernel.shape, "float32"))
    last.bias.assign(np.zeros(last.bias.shape, "float32"))
    return model


@pytest.fixture
def positive_images(rng):
    return rng.uniform(0.1, 0.3, (2, 12, 10, 1)).astype("float32")


# ---------------------------------------------------------------------------------- RED-Net
def test_red_net_output_is_input_plus_skips_by_hand(positive_images):
    # depth 6: e1 = e2 = e3 = x (identity kernels, ReLU of positive x); the first decoder
    # layer adds the skipped e2: 2x; the next two pass 2x on; the residual adds x: 3x.
    model = red_net(depth=6, filters=1)
    model.build((None, None, None, 1))
    _identity_kernels(model)
    np.testing.assert_allclose(model.reconstruct(positive_images), 3 * positive_images, rtol=1e-6)
    # Halving the last kernel: x + 2x / 2 = 2x.
    _identity_kernels(model, last_scale=0.5)
    np.testing.assert_allclose(model.reconstruct(positive_images), 2 * positive_images, rtol=1e-6)


def test_red_net_code_lists_the_input_and_the_skipped_maps(positive_images):
    model = red_net(depth=10, filters=3, skip_every=2)
    code = model.transform(positive_images)
    # Layers 2 and 4 of 5 are skipped; the deepest (5th) closes the list.
    assert [c.shape for c in code] == [
        (2, 12, 10, 1),
        (2, 12, 10, 3),
        (2, 12, 10, 3),
        (2, 12, 10, 3),
    ]
    np.testing.assert_array_equal(code[0], positive_images)


def test_red_net_with_a_zero_last_layer_is_the_identity(positive_images):
    model = _zero_last_layer(red_net(depth=4, filters=4))
    np.testing.assert_array_equal(model.reconstruct(positive_images), positive_images)


def test_red_net_takes_any_image_size():
    model = red_net(depth=4, filters=4)
    for shape in [(1, 7, 13, 1), (1, 40, 40, 1), (3, 31, 2, 1)]:
        assert model.reconstruct(np.zeros(shape, "float32")).shape == shape


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"depth": 5}, "depth must be an even number"),
        ({"depth": 0}, "depth"),
        ({"filters": 0}, "filters"),
        ({"skip_every": 0}, "skip_every"),
        ({"noise": "gaussian"}, "noise must be a keras layer"),
    ],
)
def test_red_net_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        red_net(**kwargs)


def test_red_net_trains_and_saves(rng, tmp_path):
    x = rng.uniform(0, 1, (8, 16, 16, 1)).astype("float32")
    model = red_net(depth=4, filters=4, noise=BlindGaussianNoise(0.0, 0.2, seed=1))
    assert_training_changes_weights_and_evaluation_does_not(model, x)
    loaded = assert_saves_and_loads(model, x, tmp_path)
    assert isinstance(loaded.noise, BlindGaussianNoise)
    assert loaded.noise.max_stddev == pytest.approx(0.2)


# ---------------------------------------------------------------------------------- conv DAE
def test_conv_dae_code_is_a_real_bottleneck():
    model = conv_denoising_autoencoder(filters=(4, 4), code_channels=2)
    x = np.zeros((1, 40, 24, 1), "float32")
    code = model.transform(x)
    assert code.shape == (1, 10, 6, 2)
    assert code.size / x.size == pytest.approx(2 / 16)  # numbers per pixel
    assert size_multiple(model) == 4
    assert size_multiple(red_net(depth=4, filters=2)) == 1


def test_conv_dae_learns_a_constant_image(rng):
    # The simplest denoising task: every clean patch is the same grey; the network must learn
    # to output it whatever the noise. Its error must fall far below the noise's.
    clean = np.full((64, 16, 16, 1), 0.5, "float32")

    def build():  # built inside `fit`, after it seeds: the same weights whatever ran before
        return conv_denoising_autoencoder(
            filters=(4,), code_channels=1, noise=GaussianNoise(0.1, seed=0)
        )

    model = aelib.fit(build, clean, epochs=60, batch_size=16, learning_rate=1e-2, verbose=0).model
    noisy = clean + rng.normal(0, 0.1, clean.shape).astype("float32")
    error = float(np.mean((model.reconstruct(noisy) - clean) ** 2))
    assert error < 0.1 * 0.1**2  # a tenth of the noise's variance, 0.01


# ---------------------------------------------------------------------------------- noise
def test_blind_noise_draws_one_sigma_per_sample_uniformly():
    layer = BlindGaussianNoise(0.05, 0.25, seed=0)
    x = np.zeros((4000, 200), "float32")
    levels = np.asarray(layer(x, training=True)).std(axis=1)
    # sigma ~ U[0.05, 0.25]: mean 0.15, standard deviation 0.2 / sqrt(12) = 0.0577.
    assert levels.mean() == pytest.approx(0.15, abs=0.004)
    assert levels.std() == pytest.approx(0.2 / np.sqrt(12), abs=0.004)
    assert levels.min() > 0.05 * 0.8 and levels.max() < 0.25 * 1.2
    assert np.asarray(layer(x)).max() == 0.0  # inference: the identity


def test_blind_noise_refuses_a_reversed_range():
    with pytest.raises(ValueError, match="max_stddev must be >= min_stddev"):
        BlindGaussianNoise(0.3, 0.1)
    with pytest.raises(ValueError, match="min_stddev"):
        BlindGaussianNoise(-0.1, 0.1)


def test_outputs_stay_float32_under_mixed_bfloat16(positive_images):
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        model = red_net(depth=4, filters=4, noise=GaussianNoise(0.1, dtype="float32"))
        record = model(positive_images, training=True)
        assert keras.backend.standardize_dtype(record["reconstruction"].dtype) == "float32"
        assert keras.backend.standardize_dtype(record["corrupted"].dtype) == "float32"
        assert model.encoder.get_layer("conv_1").compute_dtype == "bfloat16"
    finally:
        keras.mixed_precision.set_global_policy("float32")


# ---------------------------------------------------------------------------------- denoise
def test_denoise_returns_the_input_type_and_shape(rng):
    model = _zero_last_layer(red_net(depth=4, filters=2))  # the identity
    grey = rng.integers(0, 256, (13, 9)).astype(np.uint8)
    np.testing.assert_array_equal(denoise(grey, model), grey)
    floats = rng.uniform(-0.2, 1.2, (13, 9)).astype("float32")  # a noisy float image
    np.testing.assert_allclose(denoise(floats, model), np.clip(floats, 0, 1))


def test_denoise_pads_for_a_strided_network(rng):
    model = conv_denoising_autoencoder(filters=(2, 2), code_channels=1)
    image = rng.uniform(0, 1, (13, 10)).astype("float32")  # not multiples of 4
    out = denoise(image, model)
    assert out.shape == (13, 10)
    # The padded image's reconstruction, cropped: what `denoise` must return.
    padded = np.pad(image, ((0, 3), (0, 2)), mode="symmetric")[None, ..., None]
    np.testing.assert_allclose(
        out, np.clip(model.reconstruct(padded)[0, :13, :10, 0], 0, 1), atol=1e-6
    )


def test_denoise_reads_a_png_and_a_saved_model(rng, tmp_path):
    model = _zero_last_layer(red_net(depth=4, filters=2))
    model_file = tmp_path / "identity.keras"
    model.save(model_file)
    grey = rng.integers(0, 256, (11, 17)).astype(np.uint8)
    picture = tmp_path / "noisy.png"
    Image.fromarray(grey).save(picture)
    np.testing.assert_array_equal(denoise(picture, model_file), grey)
    np.testing.assert_array_equal(denoise(str(picture), model), grey)


def test_denoise_picks_the_per_sigma_model_nearest_to_sigma(positive_images):
    identity = _zero_last_layer(red_net(depth=6, filters=1))
    tripling = red_net(depth=6, filters=1)
    tripling.build((None, None, None, 1))
    _identity_kernels(tripling)
    models = {15: identity, 50: tripling}
    image = positive_images[0, ..., 0]
    np.testing.assert_allclose(denoise(image, models, sigma=20), image, rtol=1e-6)
    np.testing.assert_allclose(denoise(image, models, sigma=40), 3 * image, rtol=1e-6)


@pytest.mark.parametrize(
    "image, kwargs, error, message",
    [
        (np.zeros((2, 3, 4, 1)), {}, ValueError, "image must be"),
        (np.full((4, 4), 200.0), {}, ValueError, r"\[0, 1\] scale"),
        (np.full((4, 4), np.nan), {}, ValueError, "NaN"),
        (np.zeros((4, 4), np.int64), {}, ValueError, "uint8 or floating"),
        (np.zeros((4, 4), "float32"), {"model": {15: None}}, ValueError, "sigma is needed"),
        (np.zeros((4, 4), "float32"), {"model": {}}, ValueError, "empty"),
        (np.zeros((4, 4), "float32"), {"model": "missing.keras"}, FileNotFoundError, "model"),
        ("missing.png", {}, FileNotFoundError, "image"),
    ],
)
def test_denoise_refuses_bad_input(image, kwargs, error, message):
    kwargs.setdefault("model", red_net(depth=2, filters=1))
    with pytest.raises(error, match=message):
        denoise(image, **kwargs)


# ----------------------------------------------------------------- the arithmetic of convolutions
SIZES = [(n, k, s) for n in (5, 6, 7, 8, 13) for k in (1, 2, 3, 4, 5) for s in (1, 2, 3)]


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_output_size_is_the_length_keras_computes(padding):
    for n, k, s in SIZES:
        if padding == "valid" and k > n:
            continue
        layer = keras.layers.Conv1D(1, k, strides=s, padding=padding)
        length = layer(np.zeros((1, n, 1), "float32")).shape[1]
        assert conv_output_size(n, k, s, padding) == length, (n, k, s, padding)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_transpose_output_size_is_the_length_keras_computes(padding):
    for n, k, s in SIZES:
        layer = keras.layers.Conv1DTranspose(1, k, strides=s, padding=padding)
        length = layer(np.zeros((1, n, 1), "float32")).shape[1]
        assert conv_transpose_output_size(n, k, s, padding) == length, (n, k, s, padding)


def test_output_sizes_by_hand():
    assert conv_output_size(28, 3, 2, "same") == 14 and conv_output_size(28, 3, 2) == 13
    assert conv_output_size(32, 5) == 28 and conv_output_size(7, 7) == 1
    assert conv_transpose_output_size(7, 3, 2, "same") == 14
    assert conv_transpose_output_size(7, 3, 2) == 15 and conv_transpose_output_size(7, 4, 2) == 16
    assert conv_transpose_output_size(4, 1, 3) == 12  # a kernel shorter than the stride


def _matrix(layer, n):
    """The matrix of a one-channel linear 1-d layer: its outputs on the unit vectors."""
    return np.asarray(layer(np.eye(n, dtype="float32")[:, :, None]))[:, :, 0].T


@pytest.mark.parametrize("k, s", [(3, 2), (4, 2), (5, 3), (3, 1)])
def test_the_transposed_convolution_is_the_adjoint_of_the_strided_one(rng, k, s):
    n = 12
    kernel = rng.normal(size=(k, 1, 1)).astype("float32")
    conv = keras.layers.Conv1D(1, k, strides=s, padding="same", use_bias=False)
    conv.build((None, n, 1))
    conv.set_weights([kernel])
    C = _matrix(conv, n)
    transposed = keras.layers.Conv1DTranspose(1, k, strides=s, padding="same", use_bias=False)
    transposed.build((None, C.shape[0], 1))
    transposed.set_weights([kernel])
    np.testing.assert_allclose(_matrix(transposed, C.shape[0]), C.T, atol=1e-6)


@pytest.mark.parametrize(
    "kernels, strides, field",
    [
        ([3], 1, 3),
        ([3, 3], 1, 5),
        ([3, 3, 3, 3], 1, 9),
        ([3, 3], 2, 7),
        ([3, 3, 3, 3], 2, 31),
        ([5, 3], [2, 1], 9),
        ([7, 1, 3], [3, 2, 1], 19),
    ],
)
def test_receptive_field_by_hand_and_measured(kernels, strides, field):
    assert receptive_field(kernels, strides) == field
    # Measured: a stack of linear all-ones convolutions; the inputs on which one output in the
    # middle depends are the non-zero entries of its row of the stack's matrix.
    per_layer = strides if isinstance(strides, list) else [strides] * len(kernels)
    stack = keras.Sequential(
        [keras.Input((96, 1))]
        + [
            keras.layers.Conv1D(1, k, strides=s, padding="same", kernel_initializer="ones")
            for k, s in zip(kernels, per_layer)
        ]
    )
    rows = _matrix(stack, 96)
    middle = rows[len(rows) // 2]
    assert np.count_nonzero(middle) == field
    support = np.flatnonzero(middle)
    assert support[-1] - support[0] + 1 == field


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: conv_output_size(0, 3), "size"),
        (lambda: conv_output_size(4, 5), "kernel_size 5 is longer than the input"),
        (lambda: conv_output_size(4, 3, padding="full"), "padding must be one of"),
        (lambda: conv_output_size(4, 3, strides=0), "strides"),
        (lambda: conv_transpose_output_size(4, 2.0), "kernel_size"),
        (lambda: receptive_field([]), "kernel_sizes"),
        (lambda: receptive_field([3, 0]), "kernel_sizes"),
        (lambda: receptive_field([3, 3], [2]), "strides lists 1 strides for 2"),
        (lambda: receptive_field([3], True), "strides"),
    ],
)
def test_the_arithmetic_refuses_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()
