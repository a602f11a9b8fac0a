"""The Autoencoder base model: loss, regularization hook, train/eval steps, saving."""

import re

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
    return cls(
        encoder, decoder, reconstruction_loss=loss, feature_reduction=feature_reduction, **kwargs
    )


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


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy"])
def test_reconstruction_error_of_a_bfloat16_reconstruction_is_summed_in_float32(loss):
    # 4096 features of 0.1 in bfloat16 (0.10009765625, exactly representable): their sum in
    # bfloat16 would keep three significant digits; in float32 it is the exact value below.
    p = keras.ops.full((1, 4096), 0.1, dtype="bfloat16")
    x = np.zeros((1, 4096), "float32")
    got = reconstruction_error(x, p, loss, "sum")
    assert keras.backend.standardize_dtype(got.dtype) == "float32"
    value = 0.10009765625
    per_feature = value**2 if loss == "mse" else -np.log1p(-value)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), [4096 * per_feature], rtol=1e-5)


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
    assert logs["loss"] == pytest.approx(
        ((clean - recon) ** 2).reshape(64, -1).sum(1).mean(), rel=1e-5
    )


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
    assert_training_changes_weights_and_evaluation_does_not(
        small_autoencoder(cls=CodeL1Autoencoder), images
    )


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
    model = Autoencoder(
        builders.conv_encoder((8, 8, 1), [4, 8], code_dim=3),
        builders.conv_decoder((8, 8, 1), [8, 4], code_dim=3),
    )
    assert model.reconstruct(x).shape == x.shape
    assert_saves_and_loads(model, x, tmp_path)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [({"loss": "mae"}, "reconstruction_loss"), ({"feature_reduction": "max"}, "feature_reduction")],
)
def test_invalid_choices_are_named(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        small_autoencoder(**kwargs)


# ---------------------------------------------------------------------- guard rails
def trained_autoencoder(images):
    model = small_autoencoder()
    model.compile(optimizer="adam")
    model.fit(images, epochs=1, batch_size=32, verbose=0)
    return model


def test_data_of_the_wrong_width_is_refused_and_the_weights_survive(images):
    """On JAX, predicting on the wrong shape once destroyed a model's weights: check first."""
    model = trained_autoencoder(images)
    before = [np.array(v) for v in model.weights]
    codes = model.transform(images)
    for method in (model.transform, model.reconstruct, model.score_samples):
        with pytest.raises(ValueError, match=r"x has samples of shape \(5, 6\).*\(6, 6\)"):
            method(images[:, :5, :])
    for variable, value in zip(model.weights, before):
        np.testing.assert_array_equal(np.array(variable), value)
    np.testing.assert_array_equal(model.transform(images), codes)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("where", ["x", "y", "validation_data[0]"])
def test_non_finite_data_is_refused_before_training(images, bad, where):
    model = small_autoencoder()
    model.compile(optimizer="sgd")
    poisoned = images.copy()
    poisoned[3, 2, 1] = bad
    kwargs = {"x": images}
    if where == "x":
        kwargs["x"] = poisoned
    elif where == "y":
        kwargs["y"] = poisoned
    else:
        kwargs["validation_data"] = (poisoned, images)
    with pytest.raises(ValueError, match=rf"{re.escape(where)} holds 1 NaN or infinite"):
        model.fit(**kwargs, epochs=1, verbose=0)


def test_uint8_images_are_refused_with_the_fix(images):
    model = small_autoencoder(loss="binary_crossentropy")
    model.compile(optimizer="sgd")
    uint8 = (images * 255).astype("uint8")
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        model.fit(uint8, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        model.transform(uint8)
    # The same values as floats: cross-entropy needs [0, 1].
    with pytest.raises(ValueError, match=r"x must lie in \[0, 1\].*divide uint8 images by 255"):
        model.fit(uint8.astype("float32"), epochs=1, verbose=0)
    # Binary data stored as integers are fine.
    model.fit((images > 0.5).astype("uint8"), epochs=1, verbose=0)


def test_a_nan_loss_stops_training_with_an_error(images):
    model = small_autoencoder()
    model.compile(optimizer="sgd")
    model.build((None, 6, 6))
    kernel = model.encoder.get_layer("code").kernel
    kernel.assign(np.full(kernel.shape, np.nan, "float32"))
    with pytest.raises(FloatingPointError, match=r"stopped after epoch 1: the loss is nan"):
        model.fit(images, epochs=5, batch_size=32, verbose=0)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: Autoencoder(None, None), TypeError, "encoder must be a keras Model"),
        (
            lambda: Autoencoder(builders.dense_encoder(4, [], 2), "decoder"),
            TypeError,
            "decoder must be a keras Model",
        ),
        (
            lambda: Autoencoder(builders.dense_encoder(4, [], 2), builders.dense_decoder(3, [], 4)),
            ValueError,
            r"outputs codes of shape \(2,\) but the decoder takes inputs of shape \(3,\)",
        ),
    ],
)
def test_bad_networks_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_empty_data_and_bad_callbacks_are_named(images):
    model = small_autoencoder()
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match=r"x must be a non-empty batch"):
        model.fit(images[:0], epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"x must be a non-empty batch"):
        model.transform(np.zeros((0, 6, 6), "float32"))
    with pytest.raises(TypeError, match="callbacks must be a list of keras.callbacks.Callback"):
        model.fit(images, epochs=1, verbose=0, callbacks="x")


def test_score_samples_is_the_negative_per_sample_loss(images, rng):
    model = small_autoencoder(feature_reduction="sum")
    weights = set_known_weights(model, rng)
    _, recon = numpy_forward(images, *weights)
    expected = -((images - recon) ** 2).reshape(len(images), -1).sum(axis=1)
    np.testing.assert_allclose(model.score_samples(images), expected, rtol=1e-5)
    # NumPy in, NumPy out, for encode as for PCA.encode.
    assert isinstance(model.encode(images), np.ndarray)


def test_predict_and_reconstruct_do_not_compute_the_loss_terms(images):
    """Loss terms live in compute_loss: inference never calls regularization_terms."""
    calls = []

    class Counting(CodeL1Autoencoder):
        def regularization_terms(self, record, training=False):
            calls.append(training)
            return super().regularization_terms(record, training)

    model = small_autoencoder(cls=Counting)
    model.reconstruct(images)
    model.predict(images, verbose=0)
    model.score_samples(images)
    assert calls == []
    model.compile(optimizer="sgd", run_eagerly=True)
    model.evaluate(images, images, batch_size=64, verbose=0)
    assert calls == [False]


# The one model whose objective is not a reconstruction loss plus regularization terms: the
# IWAE decodes k draws per sample and its loss is a log-mean-exp over them, so it owns its
# forward pass and its loss (and is tested against NumPy in its own file).
OWN_OBJECTIVE = {"ImportanceWeightedAutoencoder"}


def test_no_variant_rewrites_the_forward_pass():
    """Variants change a step through a hook; `call` and `compute_loss` stay the base's."""
    import aelib.models

    variants = [getattr(aelib.models, name) for name in aelib.models.__all__]
    variants = [v for v in variants if isinstance(v, type) and issubclass(v, Autoencoder)]
    assert len(variants) >= 6
    assert OWN_OBJECTIVE <= {v.__name__ for v in variants}
    for variant in variants:
        assert variant.call is Autoencoder.call, variant.__name__
        if variant.__name__ in OWN_OBJECTIVE:
            continue
        assert variant.forward is Autoencoder.forward, variant.__name__
        assert variant.compute_loss is Autoencoder.compute_loss, variant.__name__
