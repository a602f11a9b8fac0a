"""Data-parallel training on two (virtual) CPU devices gives the training of one device.

Each backend runs in a subprocess, since the devices must be declared before the backend
starts: JAX with ``XLA_FLAGS=--xla_force_host_platform_device_count=2`` and
`keras.distribution.DataParallel`, TensorFlow with two logical CPUs and
``tf.distribute.MirroredStrategy``. The same seeded model trains once without and once with
the strategy; with the global batch split over the devices and the gradients combined, the
losses and the weights must agree to float32 rounding.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json
    import numpy as np, keras
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from aelib import Autoencoder, builders, fit

    x = np.random.default_rng(0).random((256, 12)).astype("float32")

    def build():
        return Autoencoder(builders.dense_encoder(12, [8], 3),
                           builders.dense_decoder(3, [8], 12))

    class Distribution(keras.callbacks.Callback):  # what is active while a batch trains
        seen = set()
        def on_train_batch_begin(self, batch, logs=None):
            if backend == "jax":
                self.seen.add(type(keras.distribution.distribution()).__name__)
            else:
                self.seen.add(tf.distribute.get_strategy().num_replicas_in_sync)

    def run(strategy):
        watch = Distribution()
        watch.seen = set()
        history = fit(build, x, epochs=2, batch_size=64, seed=0, strategy=strategy,
                      verbose=0, shuffle=False, callbacks=[watch])
        return history, sorted(map(str, watch.seen))

    if backend == "jax":
        import jax
        strategy = keras.distribution.DataParallel(devices=jax.devices())
    else:
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    single, _ = run(None)
    parallel, active = run(strategy)
    weights = zip(single.model.get_weights(), parallel.model.get_weights())
    info = {
        "devices": (strategy.device_mesh.devices.size if backend == "jax"
                    else len(strategy.extended.worker_devices)),
        "loss_single": single.history["loss"],
        "loss_parallel": parallel.history["loss"],
        "reconstruction_parallel": parallel.history["reconstruction_loss"],
        "max_weight_difference": max(float(np.max(np.abs(a - b))) for a, b in weights),
        "active": active,
    }
    if backend == "jax":
        value = parallel.model.trainable_variables[0].value
        info["variable_devices"] = len(value.sharding.device_set)
    print("RESULT " + json.dumps(info))
    """
)


def run_backend(backend):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    if backend == "jax":
        env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT ") :])


@pytest.mark.parametrize("backend", ["jax", "tensorflow"])
def test_two_devices_train_as_one(backend):
    pytest.importorskip(backend)
    info = run_backend(backend)
    assert info["devices"] == 2
    # The strategy is in force while the batches train (on JAX, Keras shards a batch only
    # then), and on TensorFlow each replica sees 2 in sync.
    assert info["active"] == (["DataParallel"] if backend == "jax" else ["2"])
    if backend == "jax":
        assert info["variable_devices"] == 2  # the weights are replicated on both devices
    # The reported loss is the mean over the global batch, as on one device (a loss that each
    # replica returned unscaled would be reported, and its gradient applied, twice).
    for single, parallel in zip(info["loss_single"], info["loss_parallel"]):
        assert parallel == pytest.approx(single, rel=1e-5)
    assert info["loss_parallel"] == pytest.approx(info["reconstruction_parallel"], rel=1e-6)
    assert info["max_weight_difference"] < 1e-5
