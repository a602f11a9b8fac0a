import keras
import numpy as np
import pytest

from aelib import builders


def test_dense_encoder_is_the_composition_of_its_layers(rng):
    encoder = builders.dense_encoder((2, 3), [4, 5], code_dim=2, activation=["tanh", "relu"])
    x = rng.normal(size=(7, 2, 3)).astype("float32")
    (w1, b1), (w2, b2), (w3, b3) = (
        encoder.get_layer(n).get_weights() for n in ("dense_1", "dense_2", "code")
    )
    h = np.tanh(x.reshape(7, 6) @ w1 + b1)
    h = np.maximum(h @ w2 + b2, 0)
    expected = h @ w3 + b3  # the code layer is linear by default
    np.testing.assert_allclose(encoder.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


def test_dense_decoder_reshapes_and_uses_output_activation(rng):
    decoder = builders.dense_decoder(3, [4], output_shape=(2, 5), activation="linear")
    z = rng.normal(size=(6, 3)).astype("float32")
    (w1, b1), (w2, b2) = (decoder.get_layer(n).get_weights() for n in ("dense_1", "output"))
    expected = 1 / (1 + np.exp(-((z @ w1 + b1) @ w2 + b2)))
    out = decoder.predict(z, verbose=0)
    assert out.shape == (6, 2, 5)
    np.testing.assert_allclose(out.reshape(6, 10), expected, rtol=1e-5, atol=1e-6)


def test_depth_and_widths():
    encoder = builders.dense_encoder((784,), [1000, 500, 250], code_dim=30)
    decoder = builders.dense_decoder(30, [250, 500, 1000], output_shape=(784,))
    assert [layer.units for layer in encoder.layers if hasattr(layer, "units")] == [
        1000,
        500,
        250,
        30,
    ]
    assert [layer.units for layer in decoder.layers if hasattr(layer, "units")] == [
        250,
        500,
        1000,
        784,
    ]
    assert encoder.get_layer("code").activation is keras.activations.linear


@pytest.mark.parametrize("code_dim, code_shape", [(10, (None, 10)), (None, (None, 7, 7, 16))])
def test_conv_encoder_decoder_shapes(code_dim, code_shape):
    encoder = builders.conv_encoder((28, 28), [8, 16], code_dim=code_dim)
    decoder = builders.conv_decoder((28, 28, 1), [16, 8], code_dim=code_dim)
    assert encoder.output_shape == code_shape
    assert decoder.input_shape == code_shape
    assert decoder.output_shape == (None, 28, 28, 1)


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: builders.dense_encoder((4,), [3], code_dim=0), "code_dim"),
        (lambda: builders.dense_encoder((4,), [3, -1], code_dim=2), "hidden_units"),
        (lambda: builders.dense_encoder((4,), 3, code_dim=2), "hidden_units"),
        (lambda: builders.dense_encoder((0,), [3], code_dim=2), "input_shape"),
        (lambda: builders.dense_encoder((4,), [3, 3], 2, activation=["relu"]), "activation"),
        (lambda: builders.dense_decoder(2, [3], output_shape=()), "output_shape"),
        (lambda: builders.conv_encoder((8, 8, 1), []), "filters"),
        (lambda: builders.conv_encoder((8, 8, 1, 1), [4]), "input_shape"),
        (lambda: builders.conv_decoder((30, 30, 1), [8, 8]), "divisible"),
        (lambda: builders.conv_decoder((8, 8, 1), [8], strides=0), "strides"),
    ],
)
def test_bad_arguments_are_named(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: builders.dense_encoder(None, [], 2),
            ValueError,
            r"input_shape must be a tuple of positive integers such as \(28, 28\), got None",
        ),
        (lambda: builders.dense_decoder(2, [], None), ValueError, "output_shape must be a tuple"),
        (
            lambda: builders.dense_encoder((4,), [], 2, use_bias="no"),
            TypeError,
            "use_bias must be True or False",
        ),
        (
            lambda: builders.dense_encoder((4,), [3.0], 2),
            ValueError,
            "hidden_units must be a list of positive integers",
        ),
    ],
)
def test_bad_sizes_and_flags_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_integer_sizes_are_accepted():
    sizes = np.array([8, 4])
    encoder = builders.dense_encoder(np.int64(6), list(sizes), code_dim=np.int64(2))
    decoder = builders.dense_decoder(np.int64(2), list(sizes[::-1]), output_shape=(np.int64(6),))
    assert encoder.output_shape == (None, 2) and decoder.output_shape == (None, 6)
    assert [layer.name for layer in encoder.layers[1:]] == ["dense_1", "dense_2", "code"]


def test_layer_prefix_names_the_hidden_layers():
    encoder = builders.dense_encoder((6,), [4, 3], 2, layer_prefix="encoder")
    assert [layer.name for layer in encoder.layers[1:]] == ["encoder_1", "encoder_2", "code"]
    with pytest.raises(ValueError, match="layer_prefix must be a name"):
        builders.dense_encoder((6,), [4], 2, layer_prefix="bad name")


# ------------------------------------------------- decoders: transposed or resize-then-convolve
def _correlate_same(image, kernel, bias):
    """A 3x3 cross-correlation of one (height, width) map with zero padding, in NumPy."""
    padded = np.pad(image, 1)
    out = np.full(image.shape, bias, dtype="float64")
    for di in range(3):
        for dj in range(3):
            out += kernel[di, dj] * padded[di : di + image.shape[0], dj : dj + image.shape[1]]
    return out


def _one_map_decoder(upsampling, kernel_size=3):
    return builders.conv_decoder(
        (8, 8, 1),
        [1],
        code_channels=1,
        kernel_size=kernel_size,
        upsampling=upsampling,
        activation="linear",
        output_activation="linear",
    )


def test_the_resize_decoder_repeats_pixels_then_convolves(rng):
    decoder = _one_map_decoder("nearest")
    code = rng.normal(size=(1, 4, 4, 1)).astype("float32")
    (w1, b1), (w2, b2) = (decoder.get_layer(n).get_weights() for n in ("upconv_1", "output"))
    upsampled = np.repeat(np.repeat(code[0, :, :, 0], 2, axis=0), 2, axis=1)
    hidden = _correlate_same(upsampled, w1[:, :, 0, 0], b1[0])
    expected = _correlate_same(hidden, w2[:, :, 0, 0], b2[0])
    out = decoder.predict(code, verbose=0)
    np.testing.assert_allclose(out[0, :, :, 0], expected, rtol=1e-5, atol=1e-5)


def test_the_transposed_decoder_scatters_a_copy_of_its_kernel_per_input(rng):
    decoder = _one_map_decoder("transpose")
    code = rng.normal(size=(1, 4, 4, 1)).astype("float32")
    (w1, b1), (w2, b2) = (decoder.get_layer(n).get_weights() for n in ("deconv_1", "output"))
    # out[t, u] = sum_{i, j} w[t - 2i, u - 2j] code[i, j]: the adjoint of a "same" stride-2
    # convolution, whose padding is all on the right (none on the left) for these sizes.
    scattered = np.zeros((9, 9))
    for i in range(4):
        for j in range(4):
            scattered[2 * i : 2 * i + 3, 2 * j : 2 * j + 3] += w1[:, :, 0, 0] * code[0, i, j, 0]
    hidden = scattered[:8, :8] + b1[0]
    expected = _correlate_same(hidden, w2[:, :, 0, 0], b2[0])
    out = decoder.predict(code, verbose=0)
    np.testing.assert_allclose(out[0, :, :, 0], expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "upsampling, kernel_size, interior",
    [
        ("transpose", 3, {1.0, 2.0, 4.0}),  # 2 or 1 kernel taps per axis: a checkerboard
        ("transpose", 4, {4.0}),  # a kernel divisible by the stride: 2 taps per axis
        ("nearest", 3, {9.0}),  # every output sees 3 x 3 inputs
        ("bilinear", 3, {9.0}),
    ],
)
def test_a_constant_code_gives_a_checkerboard_only_when_the_kernel_overlaps_unevenly(
    upsampling, kernel_size, interior
):
    layer = builders.conv_decoder(
        (16, 16, 1),
        [1],
        code_channels=1,
        kernel_size=kernel_size,
        upsampling=upsampling,
        activation="linear",
    )
    up = layer.get_layer("deconv_1" if upsampling == "transpose" else "upconv_1")
    up.set_weights([np.ones(up.kernel.shape, "float32"), np.zeros(up.bias.shape, "float32")])
    upsampled = keras.Model(layer.inputs, up.output)
    out = upsampled.predict(np.ones((1, 8, 8, 1), "float32"), verbose=0)[0, :, :, 0]
    assert set(np.unique(np.round(out[3:-3, 3:-3], 4))) == interior


def test_a_spatial_code_makes_a_fully_convolutional_autoencoder():
    import aelib

    encoder = builders.conv_encoder((None, None, 1), [4, 4], code_channels=2)
    decoder = builders.conv_decoder((None, None, 1), [4, 4], code_channels=2, upsampling="nearest")
    model = aelib.Autoencoder(encoder, decoder)
    for shape in ((1, 40, 24, 1), (2, 8, 8, 1)):
        x = np.zeros(shape, "float32")
        assert model.transform(x).shape == (shape[0], shape[1] // 4, shape[2] // 4, 2)
        assert model.reconstruct(x).shape == shape
    assert encoder.get_layer("code").strides == (1, 1)
    fixed = builders.conv_decoder((12, 8), [4], code_channels=3)
    assert fixed.input_shape == (None, 6, 4, 3) and fixed.output_shape == (None, 12, 8, 1)


@pytest.mark.parametrize(
    "call, parameter",
    [
        (lambda: builders.conv_decoder((8, 8, 1), [4], upsampling="cubic"), "upsampling"),
        (lambda: builders.conv_encoder((None, 8, 1), [4], code_dim=3), "input_shape"),
        (lambda: builders.conv_decoder((None, None, 1), [4], code_dim=3), "output_shape"),
        (lambda: builders.conv_encoder((8, 8, 1), [4], code_dim=3, code_channels=2), "exclude"),
        (lambda: builders.conv_decoder((8, 8, 1), [4], code_channels=0), "code_channels"),
        (lambda: builders.conv_encoder((None, 0, 1), [4]), "input_shape"),
        (lambda: builders.conv_decoder((None, 8), [4], upsampling="bilinear"), "bilinear"),
    ],
)
def test_bad_decoder_and_code_arguments_are_named(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()
