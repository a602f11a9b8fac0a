"""The Autoencoder base model: loss, regularization hook, train/eval steps, saving."""

import keras
import numpy as np
import pytest

from aelib import Autoencoder, builders, reconstruction_error
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
    numpy_forward,
    set_known_weights,
)


def small_autoencoder(loss="mse", feature_reduction="mean", cls=Autoencoder, **kwargs):
    """A 6x6 -> 4 -> 6x6 autoencoder with no hidden layers: easy to compute by hand."""
    encoder = builders.dense_encoder((6, 6), [], code_dim=4)
    decoder = builders.dense_decoder(4, [], output_shape=(6, 6))
    return cls(encoder, decoder, reconstruction_loss=loss, feature_reduction=feature_reduction,
               **kwargs)


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_reconstruction_error_matches_numpy(rng, loss, reduction):
    x = rng.random((5, 3, 4)).astype("float32")
    p = rng.uniform(0.05, 0.95, size=(5, 3, 4)).astype("float32")
    if loss == "mse":
        per_feature = (x - p) ** 2
    else:
        per_feature = -(x * np.log(p) + (1 - x) * np.log(1 - p))
    expected = getattr(per_feature.reshape(5, -1), reduction)(axis=1)
    got = keras.ops.convert_to_numpy(reconstruction_error(x, p, loss, reduction))
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_forward_pass_and_evaluate_match_numpy(images, rng):
    model = small_autoencoder()
    weights = set_known_weights(model, rng)
    code, recon = numpy_forward(images, *weights)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model.encode(images)), code, atol=1e-5)
    np.testing.assert_allclose(model.reconstruct(images), recon, atol=1e-5)

    model.compile(optimizer="sgd")
    logs = model.evaluate(images, images, batch_size=64, verbose=0, return_dict=True)
    expected = np.mean((images - recon) ** 2)
    assert logs["loss"] == pytest.approx(expected, rel=1e-5)
    assert logs["reconstruction_loss"] == pytest.approx(expected, rel=1e-5)


def test_target_can_differ_from_input(images, rng):
    """fit(x_noisy, x_clean): the loss compares the reconstruction with the clean target."""
    model = small_autoencoder(feature_reduction="sum")
    weights = set_known_weights(model, rng)
    clean = np.clip(images + 0.1, 0, 1)
    _, recon = numpy_forward(images, *weights)
    model.compile(optimizer="sgd")
    logs = model.evaluate(images, clean, batch_size=64, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(((clean - recon) ** 2).reshape(64, -1).sum(1).mean(), rel=1e-5)


@keras.saving.register_keras_serializable(package="aelib_tests")
class CodeL1Autoencoder(Autoencoder):
    """A variant through the hook: weight * mean over samples of sum |code|."""

    def __init__(self, encoder, decoder, weight=0.1, **kwargs):
        super().__init__(encoder, decoder, **kwargs)
        self.weight = weight
        self.track_regularization("code_l1")

    def regularization_terms(self, record, training=False):
        code = record["code"]
        return {"code_l1": self.weight * keras.ops.mean(keras.ops.sum(keras.ops.abs(code), axis=1))}

    def get_config(self):
        return {**super().get_config(), "weight": self.weight}


def test_regularization_hook_adds_named_terms(images, rng):
    model = small_autoencoder(cls=CodeL1Autoencoder, weight=0.5)
    weights = set_known_weights(model, rng)
    code, recon = numpy_forward(images, *weights)
    model.compile(optimizer="sgd")
    logs = model.evaluate(images, images, batch_size=64, verbose=0, return_dict=True)
    expected_term = 0.5 * np.abs(code).sum(axis=1).mean()
    expected_recon = np.mean((images - recon) ** 2)
    assert logs["code_l1"] == pytest.approx(expected_term, rel=1e-5)
    assert logs["reconstruction_loss"] == pytest.approx(expected_recon, rel=1e-5)
    assert logs["loss"] == pytest.approx(expected_term + expected_recon, rel=1e-5)

    history = model.fit(images, images, epochs=1, batch_size=16, verbose=0)
    assert {"loss", "reconstruction_loss", "code_l1"} <= set(history.history)


def test_undeclared_regularization_term_is_an_error(images):
    class Undeclared(Autoencoder):
        def regularization_terms(self, record, training=False):
            return {"mystery": keras.ops.mean(record["code"])}

    model = small_autoencoder(cls=Undeclared)
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="mystery.*track_regularization"):
        model.evaluate(images, images, verbose=0)


def test_track_regularization_rejects_duplicates():
    model = small_autoencoder(cls=CodeL1Autoencoder)
    with pytest.raises(ValueError, match="already tracked"):
        model.track_regularization("code_l1")


def test_train_step_changes_weights_and_evaluation_does_not(images):
    assert_training_changes_weights_and_evaluation_does_not(small_autoencoder(cls=CodeL1Autoencoder), images)


@pytest.mark.parametrize("cls", [Autoencoder, CodeL1Autoencoder])
def test_save_and_load_with_safe_mode(tmp_path, images, cls):
    model = small_autoencoder(loss="binary_crossentropy", feature_reduction="sum", cls=cls)
    model.compile(optimizer="adam")
    model.fit(images, images, epochs=1, batch_size=32, verbose=0)
    loaded = assert_saves_and_loads(model, images, tmp_path)
    assert loaded.reconstruction_loss == "binary_crossentropy"
    assert loaded.feature_reduction == "sum"


def test_convolutional_autoencoder_saves_and_loads(tmp_path, rng):
    x = rng.random((8, 8, 8, 1)).astype("float32")
    model = Autoencoder(builders.conv_encoder((8, 8, 1), [4, 8], code_dim=3),
                        builders.conv_decoder((8, 8, 1), [8, 4], code_dim=3))
    assert model.reconstruct(x).shape == x.shape
    assert_saves_and_loads(model, x, tmp_path)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [({"loss": "mae"}, "reconstruction_loss"), ({"feature_reduction": "max"}, "feature_reduction")],
)
def test_invalid_choices_are_named(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        small_autoencoder(**kwargs)
