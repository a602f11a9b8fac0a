"""Deep autoencoders: unrolling an RBM stack (binary or Gaussian visible units at the bottom),
fine-tuning, the random-start twin, saving."""

import keras
import numpy as np
import pytest
from keras import ops

from aelib import Autoencoder
from aelib.models.deep import deep_autoencoder, fine_tune, unroll
from aelib.models.rbm import RBM
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _numpy(variable):
    return ops.convert_to_numpy(variable).astype("float64")


def random_stack(rng, sizes=(12, 7, 5, 3), visible_type="binary"):
    """RBMs with known non-zero weights and biases, binary except the linear top one and, with
    ``visible_type="gaussian"``, the visible units of the first one."""
    rbms = []
    for i, (n_visible, n_hidden) in enumerate(zip(sizes[:-1], sizes[1:])):
        top = i == len(sizes) - 2
        rbm = RBM(
            n_visible,
            n_hidden,
            hidden_type="linear" if top else "binary",
            visible_type=visible_type if i == 0 else "binary",
        )
        rbm.kernel.assign(rng.normal(size=(n_visible, n_hidden)).astype("float32") * 0.5)
        rbm.hidden_bias.assign(rng.normal(size=n_hidden).astype("float32") * 0.3)
        rbm.visible_bias.assign(rng.normal(size=n_visible).astype("float32") * 0.3)
        rbms.append(rbm)
    return rbms


def numpy_up_down(rbms, x):
    """The stack's deterministic pass: up with sigmoid(hW + c), linear at the top, then down
    with sigmoid(h W^T + b), linear at the bottom for Gaussian visible units."""
    h = x.reshape(len(x), -1).astype("float64")
    for i, rbm in enumerate(rbms):
        total = h @ _numpy(rbm.kernel) + _numpy(rbm.hidden_bias)
        h = total if i == len(rbms) - 1 else _sigmoid(total)
    code = h
    for rbm in rbms[::-1]:
        h = h @ _numpy(rbm.kernel).T + _numpy(rbm.visible_bias)
        h = h if rbm.visible_type == "gaussian" else _sigmoid(h)
    return code, h.reshape(x.shape)


def standardized(rng, shape):
    x = rng.normal(size=shape)
    return ((x - x.mean(0)) / x.std(0)).astype("float32")


def test_unrolled_autoencoder_reproduces_the_up_down_pass(rng):
    rbms = random_stack(rng)
    x = rng.random((9, 3, 4)).astype("float32")
    model = unroll(rbms, input_shape=(3, 4))
    code, reconstruction = numpy_up_down(rbms, x)
    np.testing.assert_allclose(model.transform(x), code, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(x), reconstruction, atol=1e-5)
    assert model.reconstruction_loss == "binary_crossentropy"


def test_gaussian_stack_unrolls_to_a_linear_output_and_squared_error(rng):
    rbms = random_stack(rng, sizes=(6, 4, 2), visible_type="gaussian")
    x = standardized(rng, (9, 6))
    model = unroll(rbms)
    code, reconstruction = numpy_up_down(rbms, x)
    np.testing.assert_allclose(model.transform(x), code, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(x), reconstruction, atol=1e-5)
    # Linear outputs leave [0, 1], which a sigmoid could not reach.
    assert reconstruction.min() < 0.0 or reconstruction.max() > 1.0
    assert model.reconstruction_loss == "mse"
    assert model.decoder.get_layer("output").activation.__name__ == "linear"
    # The mse fine-tuning loss in the data's units: the mean over pixels of the squared error.
    model.compile(optimizer="sgd")
    logs = model.evaluate(x, batch_size=9, verbose=0, return_dict=True)
    assert logs["reconstruction_loss"] == pytest.approx(
        np.square(x - reconstruction).mean(), rel=1e-4
    )


def test_unroll_refuses_cross_entropy_and_gaussian_units_above_the_bottom(rng):
    rbms = random_stack(rng, sizes=(6, 4, 2), visible_type="gaussian")
    with pytest.raises(ValueError, match="reconstruction_loss"):
        unroll(rbms, reconstruction_loss="binary_crossentropy")
    with pytest.raises(ValueError, match="reconstruction_loss"):
        unroll(rbms, reconstruction_loss="mae")
    middle = RBM(4, 3, visible_type="gaussian")
    with pytest.raises(ValueError, match="visible"):
        unroll([RBM(6, 4), middle, RBM(3, 2, hidden_type="linear")])
    # A binary stack may still be fine-tuned on squared error.
    assert unroll(random_stack(rng), reconstruction_loss="mse").reconstruction_loss == "mse"


def test_fine_tuning_changes_untied_copies_and_leaves_the_rbms_alone(rng):
    rbms = random_stack(rng)
    before = [_numpy(r.kernel) for r in rbms]
    x = rng.random((32, 12)).astype("float32")
    model = unroll(rbms)
    history = fine_tune(model, x, epochs=2, batch_size=8, learning_rate=1e-2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]

    encoder_first = _numpy(model.encoder.get_layer("encoder_1").kernel)
    decoder_last = _numpy(model.decoder.get_layer("output").kernel)
    assert not np.allclose(encoder_first, before[0])
    assert not np.allclose(decoder_last, before[0].T)
    # Untied: the two copies of W_1 moved differently.
    assert not np.allclose(encoder_first, decoder_last.T)
    for rbm, kernel in zip(rbms, before):
        np.testing.assert_array_equal(_numpy(rbm.kernel), kernel)


@pytest.mark.parametrize("visible_type", ["binary", "gaussian"])
def test_unrolled_training_changes_weights_and_evaluation_does_not(rng, visible_type):
    if visible_type == "binary":
        x = rng.random((16, 12)).astype("float32")
    else:
        x = standardized(rng, (16, 12))
    model = unroll(random_stack(rng, visible_type=visible_type))
    assert_training_changes_weights_and_evaluation_does_not(model, x)


def _architecture(model):
    rows = []
    for part in (model.encoder, model.decoder):
        for layer in part.layers:
            weights = [tuple(w.shape) for w in layer.weights]
            activation = getattr(layer, "activation", None)
            rows.append(
                (
                    part.name,
                    layer.name,
                    type(layer).__name__,
                    weights,
                    getattr(activation, "__name__", None),
                )
            )
    return rows


def test_joint_model_has_the_unrolled_architecture(rng):
    rbms = random_stack(rng)
    pretrained = unroll(rbms, input_shape=(3, 4), feature_reduction="sum")
    joint = deep_autoencoder([12, 7, 5, 3], input_shape=(3, 4), feature_reduction="sum")
    assert isinstance(joint, Autoencoder)
    assert _architecture(joint) == _architecture(pretrained)
    assert [row[4] for row in _architecture(joint) if row[2] == "Dense"] == [
        "sigmoid",
        "sigmoid",
        "linear",
        "sigmoid",
        "sigmoid",
        "sigmoid",
    ]
    assert (joint.reconstruction_loss, joint.feature_reduction) == ("binary_crossentropy", "sum")
    # A random start, not the RBMs' weights.
    assert not np.allclose(
        _numpy(joint.encoder.get_layer("encoder_1").kernel), _numpy(rbms[0].kernel)
    )


def test_joint_model_with_a_linear_output_has_the_gaussian_unrolled_architecture(rng):
    pretrained = unroll(random_stack(rng, visible_type="gaussian"))
    joint = deep_autoencoder([12, 7, 5, 3], reconstruction_loss="mse", output_activation="linear")
    assert _architecture(joint) == _architecture(pretrained)
    assert [row[4] for row in _architecture(joint) if row[2] == "Dense"] == [
        "sigmoid",
        "sigmoid",
        "linear",
        "sigmoid",
        "sigmoid",
        "linear",
    ]


@pytest.mark.parametrize("build", ["unroll", "joint", "unroll_gaussian", "joint_linear"])
def test_deep_autoencoders_save_and_load(tmp_path, rng, build):
    x = rng.random((8, 12)).astype("float32")
    if build == "unroll":
        model = unroll(random_stack(rng), reconstruction_loss="mse")
    elif build == "joint":
        model = deep_autoencoder([12, 7, 5, 3], reconstruction_loss="mse")
    elif build == "unroll_gaussian":
        x = standardized(rng, (8, 12))
        model = unroll(random_stack(rng, visible_type="gaussian"))
    else:
        x = standardized(rng, (8, 12))
        model = deep_autoencoder(
            [12, 7, 5, 3], reconstruction_loss="mse", output_activation="linear"
        )
    loaded = assert_saves_and_loads(model, x, tmp_path)
    assert loaded.reconstruction_loss == "mse"
    expected = "linear" if build in ("unroll_gaussian", "joint_linear") else "sigmoid"
    assert loaded.decoder.get_layer("output").activation.__name__ == expected


def test_unroll_refuses_stacks_that_do_not_fit(rng):
    rbms = random_stack(rng)
    with pytest.raises(ValueError, match="consecutive RBMs must match"):
        unroll([rbms[0], rbms[2]])
    with pytest.raises(ValueError, match="linear"):
        unroll(rbms[:2])
    with pytest.raises(ValueError, match="rbms"):
        unroll([])


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"layer_sizes": [12]}, "layer_sizes"),
        ({"layer_sizes": [12, -3]}, "layer_sizes"),
        ({"input_shape": (3, 5)}, "input_shape"),
        ({"reconstruction_loss": "mae"}, "reconstruction_loss"),
        ({"feature_reduction": "max"}, "feature_reduction"),
        ({"output_activation": "relu"}, "output_activation"),
        ({"output_activation": None}, "output_activation"),
        ({"kernel_initializer": "nope"}, "kernel_initializer"),
        ({"kernel_initializer": None}, "kernel_initializer"),
    ],
)
def test_invalid_deep_autoencoder_arguments_are_named(kwargs, parameter):
    arguments = {"layer_sizes": [12, 7, 3], **kwargs}
    with pytest.raises(ValueError, match=parameter):
        deep_autoencoder(**arguments)


def test_cross_entropy_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="reconstruction_loss") as error:
        deep_autoencoder([12, 7, 3], output_activation="linear")
    assert "output_activation" in str(error.value)


def test_fine_tune_needs_an_autoencoder(rng):
    with pytest.raises(ValueError, match="model"):
        fine_tune(RBM(6, 4), rng.random((8, 6)).astype("float32"))


def test_kernel_initializer_reaches_every_layer():
    # He's initialization gives each weight the standard deviation sqrt(2 / fan_in) (Keras draws
    # from a normal truncated at two of its widths, widened by 1 / 0.8796 to keep that spread):
    # 0.0447 for 1000 inputs, 0.05 for 800.
    keras.utils.set_random_seed(0)
    model = deep_autoencoder([1000, 800, 1000], kernel_initializer="he_normal")
    for layer, fan_in in (("encoder_1", 1000), ("code", 800), ("decoder_1", 1000)):
        source = model.encoder if layer != "decoder_1" else model.decoder
        kernel = np.asarray(source.get_layer(layer).kernel)
        expected = np.sqrt(2.0 / fan_in)
        assert abs(kernel.std() - expected) < 0.01 * expected, layer
    # The default stays Keras' Glorot uniform: limit sqrt(6 / (fan_in + fan_out)).
    default = deep_autoencoder([1000, 800, 1000])
    kernel = np.asarray(default.encoder.get_layer("encoder_1").kernel)
    limit = np.sqrt(6.0 / 1800)
    assert kernel.max() <= limit and kernel.max() > 0.99 * limit


def test_checking_the_initializer_does_not_shift_the_seeded_weights():
    # A seeded deep autoencoder starts from the weights of the same layers built in plain
    # Keras after the same seed: checking kernel_initializer draws nothing from the generators.
    keras.utils.set_random_seed(3)
    model = deep_autoencoder([12, 7, 3])
    keras.utils.set_random_seed(3)
    plain = [keras.layers.Dense(units) for units in (7, 3, 7, 12)]
    for layer, width in zip(plain, (12, 7, 3, 7)):
        layer.build((None, width))
    ours = [
        model.encoder.get_layer("encoder_1"),
        model.encoder.get_layer("code"),
        model.decoder.get_layer("decoder_1"),
        model.decoder.get_layer("output"),
    ]
    for mine, theirs in zip(ours, plain):
        np.testing.assert_array_equal(np.asarray(mine.kernel), np.asarray(theirs.kernel))
