import keras
import numpy as np
import pytest

from aelib import Autoencoder, builders, fit, training


def build():
    return Autoencoder(builders.dense_encoder((6, 6), [8], code_dim=3),
                       builders.dense_decoder(3, [8], output_shape=(6, 6)))


def test_fit_trains_and_reports(images):
    history = fit(build, images, epochs=3, batch_size=16, learning_rate=1e-2, verbose=0,
                  validation_data=images[:8])
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
    [({"epochs": 0}, "epochs"), ({"batch_size": -1}, "batch_size"),
     ({"learning_rate": 0}, "learning_rate"), ({"optimizer": "adagrad9"}, "optimizer"),
     ({"seed": -1}, "seed")],
)
def test_bad_arguments_are_named(images, kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        fit(build, images, verbose=0, **kwargs)


def test_verbose_outside_a_notebook_is_a_progress_bar():
    assert not training.in_notebook()
    assert training.default_verbose() == 1


def test_devices_are_reported():
    assert any(d.startswith("cpu") for d in training.devices())


def test_error_per_epoch_is_the_metric_of_the_model_after_each_epoch(images, capsys):
    from aelib import metrics

    model = Autoencoder(builders.dense_encoder((6, 6), [], 3), builders.dense_decoder(3, [], (6, 6)))
    watch = training.ErrorPerEpoch(images, print_every=2, label="tiny")
    history = fit(model, images, epochs=3, batch_size=16, verbose=0, callbacks=[watch])
    assert len(watch.values) == 3
    assert history.history["test_error"] == watch.values
    # The last value is the trained model's error, by hand: squared error summed per image.
    by_hand = ((model.reconstruct(images).astype("float64") - images) ** 2).sum(axis=(1, 2)).mean()
    assert watch.values[-1] == pytest.approx(by_hand, rel=1e-6)
    assert watch.values[-1] == pytest.approx(metrics.average_squared_error(images, model.reconstruct(images)))
    printed = capsys.readouterr().out
    assert "tiny: epoch 2/3" in printed and "tiny: epoch 3/3" in printed and "epoch 1/3" not in printed


def test_error_per_epoch_refuses_a_bad_print_every(images):
    with pytest.raises(ValueError, match="print_every"):
        training.ErrorPerEpoch(images, print_every=-1)
