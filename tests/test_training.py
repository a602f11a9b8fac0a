import re
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from aelib import Autoencoder, builders, fit, training


def build():
    return Autoencoder(
        builders.dense_encoder((6, 6), [8], code_dim=3),
        builders.dense_decoder(3, [8], output_shape=(6, 6)),
    )


def test_fit_trains_and_reports(images):
    history = fit(
        build,
        images,
        epochs=3,
        batch_size=16,
        learning_rate=1e-2,
        verbose=0,
        validation_data=images[:8],
    )
    losses = history.history["loss"]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert {"reconstruction_loss", "val_loss", "val_reconstruction_loss"} <= set(history.history)
    assert isinstance(history.model, Autoencoder)


def test_same_seed_same_numbers(images):
    runs = [fit(build, images, epochs=2, batch_size=16, seed=7, verbose=0) for _ in range(2)]
    assert runs[0].history["loss"] == runs[1].history["loss"]
    for a, b in zip(runs[0].model.get_weights(), runs[1].model.get_weights()):
        np.testing.assert_array_equal(a, b)
    other = fit(build, images, epochs=2, batch_size=16, seed=8, verbose=0)
    assert other.history["loss"] != runs[0].history["loss"]


def test_a_built_model_is_accepted(images):
    model = build()
    history = fit(model, images, epochs=1, batch_size=32, verbose=0)
    assert history.model is model


def test_mixed_bfloat16_computes_in_bfloat16_and_keeps_float32_weights_and_loss(images):
    history = fit(build, images, epochs=2, batch_size=16, verbose=0, precision="mixed_bfloat16")
    model = history.model
    dense = [layer for layer in model._flatten_layers() if isinstance(layer, keras.layers.Dense)]
    assert dense and {layer.compute_dtype for layer in dense} == {"bfloat16"}
    assert {w.dtype for w in model.trainable_weights} == {"float32"}
    assert keras.config.dtype_policy().name == "float32"  # the global policy is restored
    record = model(images[:16])
    assert keras.backend.standardize_dtype(record["reconstruction"].dtype) == "bfloat16"
    loss = model.compute_loss(images[:16], y_pred=record)
    assert keras.backend.standardize_dtype(loss.dtype) == "float32"
    # The loss is the float32 mean squared error of the bfloat16 reconstruction.
    x_hat = keras.ops.convert_to_numpy(keras.ops.cast(record["reconstruction"], "float32"))
    expected = np.mean((x_hat.astype(np.float64) - images[:16]) ** 2)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    assert all(np.isfinite(history.history["loss"]))


def test_precision_of_a_built_model_must_be_the_one_it_was_built_under(images):
    with pytest.raises(ValueError, match="precision='mixed_bfloat16' applies when the model is"):
        fit(build(), images, epochs=1, verbose=0, precision="mixed_bfloat16")
    history = fit(build(), images, epochs=1, verbose=0, precision="float32")  # as it was built
    assert history.model.dtype_policy.name == "float32"


def test_distribution_strategy_of_the_backend(images):
    if keras.backend.backend() == "jax":
        strategy = keras.distribution.DataParallel()
    else:
        import tensorflow as tf

        strategy = tf.distribute.OneDeviceStrategy("/cpu:0")
    history = fit(build, images, epochs=1, batch_size=32, strategy=strategy, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    with pytest.raises(ValueError, match="function that builds the model"):
        fit(build(), images, strategy=strategy, verbose=0)


def test_wrong_kind_of_strategy_is_named(images):
    with pytest.raises(ValueError, match="strategy must be"):
        fit(build, images, strategy=object(), verbose=0)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -1}, "batch_size"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"optimizer": "adagrad9"}, "optimizer"),
        ({"learning_rate": float("inf")}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"epochs": 2.0}, "epochs"),
        ({"seed": -1}, "seed"),
        ({"precision": "bfloat16"}, r"precision must be one of \['float32', 'mixed_bfloat16'\]"),
    ],
)
def test_bad_arguments_are_named(images, kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        fit(build, images, **{"verbose": 0, **kwargs})


@pytest.mark.parametrize(
    "kwargs, error, parameter",
    [
        ({"shuffle": "no"}, TypeError, "shuffle must be True or False"),
        ({"callbacks": "x"}, TypeError, "callbacks must be a list"),
        ({"verbose": "loud"}, ValueError, "verbose must be None, 0, 1, 2 or 'auto'"),
        (
            {"optimizer": keras.optimizers.SGD(0.1), "learning_rate": 0.1},
            ValueError,
            "learning_rate must be None when optimizer is a keras optimizer",
        ),
    ],
)
def test_bad_types_are_named(images, kwargs, error, parameter):
    with pytest.raises(error, match=parameter):
        fit(build, images, **{"verbose": 0, **kwargs})


def test_numpy_integer_sizes_are_accepted(images):
    history = fit(build, images, epochs=np.int64(2), batch_size=np.int32(16), verbose=0)
    assert len(history.history["loss"]) == 2


class _Interrupt(keras.callbacks.Callback):
    """Stops the process's training after `epoch` epochs, as a kill would."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.epoch:
            raise KeyboardInterrupt("simulated interruption")


def test_an_interrupted_training_resumes_to_the_same_weights(images, tmp_path):
    """BackupAndRestore on either backend: stop after 2 of 5 epochs, resume, same weights."""
    straight = fit(build, images, epochs=5, batch_size=16, seed=4, verbose=0).model
    backup = tmp_path / "backup"
    with pytest.raises(KeyboardInterrupt):
        fit(
            build,
            images,
            epochs=5,
            batch_size=16,
            seed=4,
            verbose=0,
            callbacks=[keras.callbacks.BackupAndRestore(backup), _Interrupt(2)],
        )
    resumed = fit(
        build,
        images,
        epochs=5,
        batch_size=16,
        seed=4,
        verbose=0,
        callbacks=[keras.callbacks.BackupAndRestore(backup)],
    )
    assert len(resumed.history["loss"]) == 3  # epochs 3 to 5 only
    for a, b in zip(straight.weights, resumed.model.weights):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=a.path)


def test_refitting_a_loaded_model_keeps_its_optimizer_state(images, tmp_path):
    """Two calls of 2 epochs, with a save and load between them, equal one call of 4."""
    straight = fit(build, images, epochs=4, batch_size=16, shuffle=False, verbose=0).model
    first = fit(build, images, epochs=2, batch_size=16, shuffle=False, verbose=0).model
    first.save(tmp_path / "half.keras")
    loaded = keras.saving.load_model(tmp_path / "half.keras", safe_mode=True)
    assert int(loaded.optimizer.iterations) == 2 * 4
    fit(loaded, images, epochs=2, batch_size=16, shuffle=False, verbose=0)
    assert int(loaded.optimizer.iterations) == 4 * 4
    for a, b in zip(straight.weights, loaded.weights):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6)


def test_verbose_outside_a_notebook_is_a_progress_bar():
    assert not training.in_notebook()
    assert training.default_verbose() == 1


def test_devices_are_the_devices_of_the_backend():
    """One entry per device the backend lists, whatever kind (a GPU-only JAX lists no CPU)."""
    reported = training.devices()
    assert reported and all(re.fullmatch(r"[a-z]+:\d+", d) for d in reported), reported
    if keras.backend.backend() == "jax":
        import jax

        listed = jax.devices()
        assert len(reported) == len(listed)
        assert {d.split(":")[0] for d in reported} == {d.platform for d in listed}
    elif keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        listed = tf.config.list_physical_devices()
        assert len(reported) == len(listed)
        assert {d.split(":")[0] for d in reported} == {d.device_type.lower() for d in listed}


def test_devices_of_a_gpu_only_jax(monkeypatch):
    jax = pytest.importorskip("jax")
    gpus = [SimpleNamespace(platform="gpu", id=0), SimpleNamespace(platform="gpu", id=1)]
    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    monkeypatch.setattr(jax, "devices", lambda *args, **kwargs: gpus)
    assert training.devices() == ["gpu:0", "gpu:1"]


def test_error_per_epoch_is_the_metric_of_the_model_after_each_epoch(images, capsys):
    from aelib import metrics

    model = Autoencoder(
        builders.dense_encoder((6, 6), [], 3), builders.dense_decoder(3, [], (6, 6))
    )
    watch = training.ErrorPerEpoch(images, print_every=2, label="tiny")
    history = fit(model, images, epochs=3, batch_size=16, verbose=0, callbacks=[watch])
    assert len(watch.values) == 3
    assert history.history["test_error"] == watch.values
    # The last value is the trained model's error, by hand: squared error summed per image.
    by_hand = ((model.reconstruct(images).astype("float64") - images) ** 2).sum(axis=(1, 2)).mean()
    assert watch.values[-1] == pytest.approx(by_hand, rel=1e-6)
    assert watch.values[-1] == pytest.approx(
        metrics.average_squared_error(images, model.reconstruct(images))
    )
    printed = capsys.readouterr().out
    assert (
        "tiny: epoch 2/3" in printed and "tiny: epoch 3/3" in printed and "epoch 1/3" not in printed
    )


def test_error_per_epoch_refuses_a_bad_print_every(images):
    with pytest.raises(ValueError, match="print_every"):
        training.ErrorPerEpoch(images, print_every=-1)
