"""The contractive autoencoder: Jacobian penalties against NumPy finite differences, loss, saving."""

import keras
import numpy as np
import pytest

from aelib import builders
from aelib.autodiff import (
    ACTIVATION_DERIVATIVES,
    batch_jacobian,
    dense_chain,
    dense_jacobian,
    layerwise_squared_norm,
)
from aelib.models.contractive import ContractiveAutoencoder, closed_form_squared_norm
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)

# NumPy versions of the supported activations, in float64, for the reference forward pass.
_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _gelu(a):
    from scipy.special import erf

    return 0.5 * a * (1.0 + erf(a / np.sqrt(2.0)))


NUMPY_ACTIVATIONS = {
    "linear": lambda a: a,
    "relu": lambda a: np.maximum(a, 0.0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softplus": lambda a: np.logaddexp(0.0, a),
    "elu": lambda a: np.where(a > 0, a, np.expm1(a)),
    "selu": lambda a: _SELU_SCALE * np.where(a > 0, a, _SELU_ALPHA * np.expm1(a)),
    "silu": lambda a: a * _sigmoid(a),
    "gelu": _gelu,
}


def numpy_forward(network, x):
    """The network's output in float64 NumPy, from its weights (Flatten and Dense layers only)."""
    h = np.asarray(x, "float64").reshape(len(x), -1)
    for step in dense_chain(network):
        a = h
        if step.dense is not None:
            a = h @ np.asarray(step.dense.kernel, "float64")
            if step.dense.use_bias:
                a = a + np.asarray(step.dense.bias, "float64")
        h = NUMPY_ACTIVATIONS[step.activation_name](a)
    return h


def finite_difference_jacobian(network, x, eps=1e-5):
    """Central differences in float64: shape (batch, output_dim, input_dim)."""
    flat = np.asarray(x, "float64").reshape(len(x), -1)
    columns = []
    for i in range(flat.shape[1]):
        step = np.zeros_like(flat)
        step[:, i] = eps
        plus = numpy_forward(network, (flat + step).reshape(x.shape))
        minus = numpy_forward(network, (flat - step).reshape(x.shape))
        columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=-1)


def autodiff_jacobian(network, x):
    """The backend's own autodiff Jacobian (`aelib.autodiff`): an independent reference."""
    flat = keras.ops.convert_to_tensor(x.reshape(len(x), -1))
    shape = (-1,) + tuple(network.input_shape[1:])
    return numpy_tensor(batch_jacobian(lambda t: network(keras.ops.reshape(t, shape)), flat))


def randomize(network, rng, scale=0.6):
    """Random weights and biases of a size that puts the activations in their curved range."""
    for step in dense_chain(network):
        if step.dense is not None:
            step.dense.set_weights(
                [
                    rng.normal(scale=scale, size=w.shape).astype("float32")
                    for w in step.dense.get_weights()
                ]
            )
    return network


def numpy_tensor(t):
    return keras.ops.convert_to_numpy(t)


def one_layer_sigmoid_autoencoder(rng, **kwargs):
    encoder = randomize(builders.dense_encoder((6, 6), [], 4, code_activation="sigmoid"), rng)
    decoder = builders.dense_decoder(4, [], (6, 6))
    return ContractiveAutoencoder(encoder, decoder, **kwargs)


def deep_autoencoder(rng, activation="tanh", **kwargs):
    encoder = randomize(builders.dense_encoder((6, 6), [7, 5], 3, activation=activation), rng)
    decoder = builders.dense_decoder(3, [5], (6, 6))
    return ContractiveAutoencoder(encoder, decoder, **kwargs)


# ---------------------------------------------------------------------- the two forms of ||J||^2
def test_closed_form_matches_finite_differences_and_rifai_formula(images, rng):
    model = one_layer_sigmoid_autoencoder(rng, jacobian="closed_form")
    x = images[:8]
    expected = (finite_difference_jacobian(model.encoder, x) ** 2).sum(axis=(1, 2))
    got = numpy_tensor(closed_form_squared_norm(model.encoder, model.encode(x)))
    np.testing.assert_allclose(got, expected, rtol=1e-4)

    # Rifai et al.'s formula, written out: sum_j (h_j (1 - h_j))^2 sum_i W_ji^2.
    kernel = np.asarray(model.encoder.get_layer("code").kernel, "float64")
    h = numpy_forward(model.encoder, x)
    formula = ((h * (1 - h)) ** 2 * (kernel**2).sum(axis=0)).sum(axis=1)
    np.testing.assert_allclose(got, formula, rtol=1e-5)


@pytest.mark.parametrize("activation", sorted(ACTIVATION_DERIVATIVES))
def test_layerwise_jacobian_matches_finite_differences(images, rng, activation):
    # Hidden layers narrower than the input: the squared norm goes through the Gram matrix.
    encoder = randomize(
        builders.dense_encoder(
            (6, 6), [7, 5], 3, activation=activation, code_activation=activation
        ),
        rng,
    )
    x = images[:6]
    expected = finite_difference_jacobian(encoder, x)
    np.testing.assert_allclose(
        numpy_tensor(dense_jacobian(encoder, x)), expected, rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        numpy_tensor(layerwise_squared_norm(encoder, x)), (expected**2).sum(axis=(1, 2)), rtol=1e-4
    )


def test_layerwise_norm_with_a_first_layer_wider_than_the_input(rng):
    encoder = randomize(
        builders.dense_encoder(
            (4,), [9, 6], 2, activation=["softplus", "elu"], code_activation="tanh"
        ),
        rng,
    )
    x = rng.normal(size=(5, 4)).astype("float32")
    expected = (finite_difference_jacobian(encoder, x) ** 2).sum(axis=(1, 2))
    np.testing.assert_allclose(
        numpy_tensor(layerwise_squared_norm(encoder, x)), expected, rtol=1e-4
    )


def test_layerwise_jacobian_of_sequential_model_with_activation_layers(rng):
    """Activation layers compose with the Dense layer before them; nested models are expanded."""
    inner = keras.Sequential(
        [keras.Input((5,)), keras.layers.Dense(4), keras.layers.Activation("tanh")]
    )
    network = keras.Sequential(
        [
            keras.Input((5,)),
            inner,
            keras.layers.Dense(3),
            keras.layers.Activation("sigmoid"),
            keras.layers.Activation("softplus"),
        ]
    )
    randomize(network, rng)
    x = rng.normal(size=(4, 5)).astype("float32")
    np.testing.assert_allclose(
        numpy_tensor(dense_jacobian(network, x)),
        finite_difference_jacobian(network, x),
        rtol=1e-4,
        atol=1e-6,
    )


def test_layerwise_jacobian_matches_backend_autodiff(images, rng):
    encoder = deep_autoencoder(rng, activation="silu").encoder
    x = images[:5]
    np.testing.assert_allclose(
        numpy_tensor(dense_jacobian(encoder, x)),
        autodiff_jacobian(encoder, x),
        rtol=1e-4,
        atol=1e-6,
    )


def test_closed_form_and_layerwise_agree_on_one_layer_sigmoid_encoder(images, rng):
    closed = one_layer_sigmoid_autoencoder(rng, jacobian="closed_form")
    layerwise = ContractiveAutoencoder(closed.encoder, closed.decoder, jacobian="layerwise")
    auto = ContractiveAutoencoder(closed.encoder, closed.decoder, jacobian="auto")
    assert (closed.jacobian_method, layerwise.jacobian_method, auto.jacobian_method) == (
        "closed_form",
        "layerwise",
        "closed_form",
    )
    by_closed_form = closed.contraction(images)
    np.testing.assert_allclose(layerwise.contraction(images), by_closed_form, rtol=1e-5)
    np.testing.assert_allclose(auto.contraction(images), by_closed_form, rtol=1e-6)
    # Both are the squared norm of the full layer-wise Jacobian.
    full = numpy_tensor(dense_jacobian(closed.encoder, images))
    np.testing.assert_allclose(by_closed_form, (full**2).sum(axis=(1, 2)), rtol=1e-5)


def test_auto_uses_layerwise_for_deeper_encoders(rng):
    assert deep_autoencoder(rng).jacobian_method == "layerwise"
    encoder = builders.dense_encoder((6, 6), [], 4, code_activation="tanh")
    model = ContractiveAutoencoder(encoder, builders.dense_decoder(4, [], (6, 6)))
    assert model.jacobian_method == "layerwise"


# ---------------------------------------------------------------------- loss, training, saving
@pytest.mark.parametrize("jacobian", ["closed_form", "layerwise"])
def test_loss_is_reconstruction_plus_weighted_penalty(images, rng, jacobian):
    model = one_layer_sigmoid_autoencoder(
        rng, contraction_weight=0.3, jacobian=jacobian, feature_reduction="sum"
    )
    decoder_layer = model.decoder.get_layer("output")
    decoder_layer.set_weights(
        [rng.normal(scale=0.3, size=w.shape).astype("float32") for w in decoder_layer.get_weights()]
    )
    code = numpy_forward(model.encoder, images)
    w_dec, b_dec = (np.asarray(w, "float64") for w in decoder_layer.get_weights())
    reconstruction = _sigmoid(code @ w_dec + b_dec)
    expected_reconstruction = ((images.reshape(64, -1) - reconstruction) ** 2).sum(axis=1).mean()
    penalty = (finite_difference_jacobian(model.encoder, images) ** 2).sum(axis=(1, 2)).mean()

    model.compile(optimizer="sgd")
    logs = model.evaluate(images, images, batch_size=64, verbose=0, return_dict=True)
    assert logs["reconstruction_loss"] == pytest.approx(expected_reconstruction, rel=1e-5)
    assert logs["contraction"] == pytest.approx(0.3 * penalty, rel=1e-4)
    assert logs["loss"] == pytest.approx(expected_reconstruction + 0.3 * penalty, rel=1e-5)


def test_penalty_is_trained_down_on_both_backends(images, rng):
    """Inside the compiled train step, the layer-wise penalty's gradient reduces it."""
    model = deep_autoencoder(rng, contraction_weight=10.0)
    before = model.contraction(images).mean()
    model.compile(optimizer=keras.optimizers.Adam(0.02))
    x = np.repeat(images, 4, axis=0)  # one epoch of 32 steps: epochs cost more than steps
    history = model.fit(x, x, epochs=1, batch_size=8, verbose=0)
    assert {"loss", "reconstruction_loss", "contraction"} <= set(history.history)
    after = model.contraction(images).mean()
    assert after < 0.5 * before, (before, after)


def test_model_checks(images, rng, tmp_path):
    model = one_layer_sigmoid_autoencoder(rng, contraction_weight=0.2, jacobian="closed_form")
    assert_training_changes_weights_and_evaluation_does_not(model, images)
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert (loaded.contraction_weight, loaded.jacobian, loaded.jacobian_method) == (
        0.2,
        "closed_form",
        "closed_form",
    )
    np.testing.assert_allclose(loaded.contraction(images), model.contraction(images), rtol=1e-6)


def test_deep_model_checks(images, rng, tmp_path):
    model = deep_autoencoder(rng, contraction_weight=0.5, reconstruction_loss="binary_crossentropy")
    assert_training_changes_weights_and_evaluation_does_not(model, images)
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert loaded.reconstruction_loss == "binary_crossentropy"
    assert loaded.jacobian == "auto" and loaded.jacobian_method == "layerwise"


# ---------------------------------------------------------------------- invalid arguments
@pytest.mark.parametrize("weight", [-0.1, float("nan"), float("inf"), "0.1", None, True])
def test_invalid_contraction_weight(rng, weight):
    with pytest.raises(ValueError, match="contraction_weight"):
        one_layer_sigmoid_autoencoder(rng, contraction_weight=weight)


def test_zero_contraction_weight_is_a_plain_autoencoder(images, rng):
    model = one_layer_sigmoid_autoencoder(rng, contraction_weight=0)
    model.compile(optimizer="sgd")
    logs = model.evaluate(images, images, verbose=0, return_dict=True)
    assert logs["contraction"] == 0.0
    assert logs["loss"] == pytest.approx(logs["reconstruction_loss"], rel=1e-6)


@pytest.mark.parametrize("jacobian", ["exact", None])
def test_unknown_jacobian_method(rng, jacobian):
    with pytest.raises(
        ValueError,
        match=r"jacobian must be one of \['auto', 'closed_form', 'layerwise', 'autodiff'\]",
    ):
        one_layer_sigmoid_autoencoder(rng, jacobian=jacobian)


def test_closed_form_needs_one_layer_sigmoid_encoder(rng):
    with pytest.raises(ValueError, match=r"closed_form.*one-layer sigmoid.*jacobian='layerwise'"):
        deep_autoencoder(rng, jacobian="closed_form")
    encoder = builders.dense_encoder((6, 6), [], 4, code_activation="tanh")
    with pytest.raises(ValueError, match="closed_form.*one-layer sigmoid"):
        ContractiveAutoencoder(
            encoder, builders.dense_decoder(4, [], (6, 6)), jacobian="closed_form"
        )


@pytest.mark.parametrize("jacobian", ["layerwise", "closed_form"])
def test_convolutional_encoder_is_refused_by_the_dense_methods(jacobian):
    encoder = builders.conv_encoder((8, 8, 1), [4], code_dim=3)
    decoder = builders.conv_decoder((8, 8, 1), [4], code_dim=3)
    with pytest.raises(ValueError, match=r"'conv_1' \(Conv2D\) is not supported.*dense network"):
        ContractiveAutoencoder(encoder, decoder, jacobian=jacobian)


@pytest.mark.parametrize("activation", ["softmax", "leaky_relu", "hard_sigmoid"])
def test_unsupported_activation_is_refused(activation):
    encoder = builders.dense_encoder((6, 6), [5], 3, activation=activation)
    decoder = builders.dense_decoder(3, [], (6, 6))
    with pytest.raises(ValueError, match=f"'dense_1' has activation '{activation}'.*supported: "):
        ContractiveAutoencoder(encoder, decoder, jacobian="layerwise")
    assert ContractiveAutoencoder(encoder, decoder).jacobian_method == "autodiff"


def test_encoder_that_is_not_a_chain_is_refused():
    inputs = keras.Input((6,))
    hidden = keras.layers.Dense(6, activation="tanh", name="hidden")(inputs)
    residual = keras.layers.Add(name="skip")([inputs, hidden])
    encoder = keras.Model(inputs, keras.layers.Dense(2, name="code")(residual))
    with pytest.raises(ValueError, match="not a simple chain"):
        ContractiveAutoencoder(encoder, builders.dense_decoder(2, [], (6,)), jacobian="layerwise")
    assert (
        ContractiveAutoencoder(encoder, builders.dense_decoder(2, [], (6,))).jacobian_method
        == "autodiff"
    )


# ---------------------------------------------------------------------- autodiff, any encoder
def test_autodiff_penalty_equals_layerwise_and_closed_form(images, rng):
    deep = deep_autoencoder(rng, jacobian="layerwise")
    x = keras.ops.convert_to_tensor(images[:8])
    autodiff = ContractiveAutoencoder(deep.encoder, deep.decoder, jacobian="autodiff")
    np.testing.assert_allclose(
        numpy_tensor(autodiff.squared_jacobian_norm(x)),
        numpy_tensor(deep.squared_jacobian_norm(x)),
        rtol=1e-4,
    )
    shallow = one_layer_sigmoid_autoencoder(rng, jacobian="closed_form")
    autodiff = ContractiveAutoencoder(shallow.encoder, shallow.decoder, jacobian="autodiff")
    np.testing.assert_allclose(
        numpy_tensor(autodiff.squared_jacobian_norm(x)),
        numpy_tensor(shallow.squared_jacobian_norm(x)),
        rtol=1e-4,
    )


def conv_contractive_autoencoder(jacobian="auto"):
    encoder = builders.conv_encoder((8, 8, 1), [4], code_dim=3, activation="tanh")
    decoder = builders.conv_decoder((8, 8, 1), [4], code_dim=3)
    return ContractiveAutoencoder(encoder, decoder, contraction_weight=0.5, jacobian=jacobian)


def test_convolutional_encoder_uses_autodiff_matching_finite_differences(rng):
    model = conv_contractive_autoencoder()
    assert model.jacobian_method == "autodiff"
    x = rng.random((3, 8, 8, 1)).astype("float32")
    got = numpy_tensor(model.squared_jacobian_norm(keras.ops.convert_to_tensor(x)))
    # Central differences of the float32 network: a step of 1e-2 keeps round-off small against
    # the step, and tanh is smooth enough for the truncation error to stay below 1e-3 relative.
    eps = 1e-2
    flat = x.reshape(3, 1, -1).astype("float64")
    steps = eps * np.eye(flat.shape[-1])[None]  # (1, inputs, inputs): one per column
    plus = model.transform((flat + steps).reshape(-1, 8, 8, 1).astype("float32"), batch_size=512)
    minus = model.transform((flat - steps).reshape(-1, 8, 8, 1).astype("float32"), batch_size=512)
    columns = (plus.astype("float64") - minus).reshape(3, flat.shape[-1], -1) / (2 * eps)
    expected = (columns**2).sum(axis=(1, 2))
    np.testing.assert_allclose(got, expected, rtol=5e-3)


def test_convolutional_contractive_autoencoder_trains_and_saves(tmp_path, rng):
    x = rng.random((16, 8, 8, 1)).astype("float32")
    model = conv_contractive_autoencoder(jacobian="autodiff")
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    logs = model.evaluate(x, x, verbose=0, return_dict=True)
    penalty = 0.5 * model.contraction(x).mean()
    assert logs["contraction"] == pytest.approx(penalty, rel=1e-4)
    assert logs["loss"] == pytest.approx(logs["reconstruction_loss"] + penalty, rel=1e-4)
    assert_training_changes_weights_and_evaluation_does_not(model, x)
    loaded = assert_saves_and_loads(model, x, tmp_path)
    assert loaded.jacobian_method == "autodiff"
