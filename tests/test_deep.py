"""Deep autoencoders: unrolling an RBM stack, fine-tuning, the random-start twin, saving."""

import numpy as np
import pytest
from keras import ops

from aelib import Autoencoder
from aelib.deep import deep_autoencoder, fine_tune, unroll
from aelib.rbm import RBM
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _numpy(variable):
    return ops.convert_to_numpy(variable).astype("float64")


def random_stack(rng, sizes=(12, 7, 5, 3)):
    """RBMs with known non-zero weights and biases, binary except the linear top one."""
    rbms = []
    for i, (n_visible, n_hidden) in enumerate(zip(sizes[:-1], sizes[1:])):
        top = i == len(sizes) - 2
        rbm = RBM(n_visible, n_hidden, hidden_type="linear" if top else "binary")
        rbm.kernel.assign(rng.normal(size=(n_visible, n_hidden)).astype("float32") * 0.5)
        rbm.hidden_bias.assign(rng.normal(size=n_hidden).astype("float32") * 0.3)
        rbm.visible_bias.assign(rng.normal(size=n_visible).astype("float32") * 0.3)
        rbms.append(rbm)
    return rbms


def numpy_up_down(rbms, x):
    """The stack's deterministic pass: up with sigmoid(hW + c), linear at the top, then down
    with sigmoid(h W^T + b)."""
    h = x.reshape(len(x), -1).astype("float64")
    for i, rbm in enumerate(rbms):
        total = h @ _numpy(rbm.kernel) + _numpy(rbm.hidden_bias)
        h = total if i == len(rbms) - 1 else _sigmoid(total)
    code = h
    for rbm in rbms[::-1]:
        h = _sigmoid(h @ _numpy(rbm.kernel).T + _numpy(rbm.visible_bias))
    return code, h.reshape(x.shape)


def test_unrolled_autoencoder_reproduces_the_up_down_pass(rng):
    rbms = random_stack(rng)
    x = rng.random((9, 3, 4)).astype("float32")
    model = unroll(rbms, input_shape=(3, 4))
    code, reconstruction = numpy_up_down(rbms, x)
    np.testing.assert_allclose(model.transform(x), code, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(x), reconstruction, atol=1e-5)
    assert model.reconstruction_loss == "binary_crossentropy"


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


def test_unrolled_training_changes_weights_and_evaluation_does_not(rng):
    x = rng.random((16, 12)).astype("float32")
    assert_training_changes_weights_and_evaluation_does_not(unroll(random_stack(rng)), x)


def _architecture(model):
    rows = []
    for part in (model.encoder, model.decoder):
        for layer in part.layers:
            weights = [tuple(w.shape) for w in layer.weights]
            activation = getattr(layer, "activation", None)
            rows.append((part.name, layer.name, type(layer).__name__, weights,
                         getattr(activation, "__name__", None)))
    return rows


def test_joint_model_has_the_unrolled_architecture(rng):
    rbms = random_stack(rng)
    pretrained = unroll(rbms, input_shape=(3, 4), feature_reduction="sum")
    joint = deep_autoencoder([12, 7, 5, 3], input_shape=(3, 4), feature_reduction="sum")
    assert isinstance(joint, Autoencoder)
    assert _architecture(joint) == _architecture(pretrained)
    assert [row[4] for row in _architecture(joint) if row[2] == "Dense"] == [
        "sigmoid", "sigmoid", "linear", "sigmoid", "sigmoid", "sigmoid"]
    assert (joint.reconstruction_loss, joint.feature_reduction) == ("binary_crossentropy", "sum")
    # A random start, not the RBMs' weights.
    assert not np.allclose(_numpy(joint.encoder.get_layer("encoder_1").kernel),
                           _numpy(rbms[0].kernel))


@pytest.mark.parametrize("build", ["unroll", "joint"])
def test_deep_autoencoders_save_and_load(tmp_path, rng, build):
    x = rng.random((8, 12)).astype("float32")
    if build == "unroll":
        model = unroll(random_stack(rng), reconstruction_loss="mse")
    else:
        model = deep_autoencoder([12, 7, 5, 3], reconstruction_loss="mse")
    loaded = assert_saves_and_loads(model, x, tmp_path)
    assert loaded.reconstruction_loss == "mse"


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
    ],
)
def test_invalid_deep_autoencoder_arguments_are_named(kwargs, parameter):
    arguments = {"layer_sizes": [12, 7, 3], **kwargs}
    with pytest.raises(ValueError, match=parameter):
        deep_autoencoder(**arguments)


def test_fine_tune_needs_an_autoencoder(rng):
    with pytest.raises(ValueError, match="model"):
        fine_tune(RBM(6, 4), rng.random((8, 6)).astype("float32"))
