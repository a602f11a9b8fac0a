"""Checks every model of aelib must pass, shared by the per-variant test files.

Each variant's test file calls these on a small instance of its model:

* `assert_saves_and_loads`: a model saved as ``.keras`` loads back with ``safe_mode=True``, as the
  same class, and gives the same outputs;
* `assert_training_changes_weights_and_evaluation_does_not`: one ``fit`` epoch moves the weights,
  ``evaluate`` leaves every weight (and every non-trainable state) untouched.

It also holds the NumPy reference of the smallest dense autoencoder (a linear code layer named
"code", a sigmoid output layer named "output"), which several variants' tests recompute by hand.
"""

from __future__ import annotations

import keras
import numpy as np


def _outputs(model, x):
    """The deterministic outputs that must survive a save: reconstruction and code."""
    outputs = {"reconstruction": np.asarray(model.reconstruct(x))}
    if hasattr(model, "transform"):
        code = model.transform(x)
        outputs["code"] = np.asarray(code[0] if isinstance(code, (list, tuple)) else code)
    return outputs


def assert_saves_and_loads(model, x, tmp_path, atol=1e-6):
    """Saves ``model`` to ``tmp_path``, loads it with safe_mode=True and compares outputs.

    Returns:
        The loaded model, for variant-specific checks of its configuration.
    """
    path = tmp_path / f"{model.name}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    expected = _outputs(model, x)
    got = _outputs(loaded, x)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], atol=atol, err_msg=key)
    return loaded


def assert_training_changes_weights_and_evaluation_does_not(model, x, y=None, optimizer=None):
    """``evaluate`` keeps every variable; one epoch of ``fit`` changes some trainable weight."""
    if not model.compiled:
        model.compile(optimizer=optimizer or keras.optimizers.SGD(0.1))
    y = x if y is None else y
    model.evaluate(x, y, verbose=0)  # builds the model and its metrics
    # Compared by position and identity, not by path: an encoder and a decoder built separately
    # can both own a variable called "dense_1/kernel".
    before = [np.array(v) for v in model.weights]
    model.evaluate(x, y, batch_size=len(x), verbose=0)
    for variable, value in zip(model.weights, before):
        np.testing.assert_array_equal(np.array(variable), value, err_msg=variable.path)
    model.fit(x, y, epochs=1, batch_size=len(x), verbose=0)
    trainable = {id(v) for v in model.trainable_weights}
    changed = [
        v.path
        for v, value in zip(model.weights, before)
        if id(v) in trainable and not np.allclose(np.array(v), value)
    ]
    assert changed, "no trainable weight changed after a training step"


def set_known_weights(model, rng):
    """Fixed weights for a one-layer dense autoencoder, so its forward pass can be redone in NumPy.

    Returns:
        ``(w_enc, b_enc, w_dec, b_dec)`` as float64 arrays.
    """
    n_inputs = model.encoder.get_layer("code").kernel.shape[0]
    code_dim = model.encoder.get_layer("code").kernel.shape[1]
    w_enc, b_enc = rng.normal(size=(n_inputs, code_dim)) * 0.3, rng.normal(size=code_dim) * 0.1
    w_dec, b_dec = rng.normal(size=(code_dim, n_inputs)) * 0.3, rng.normal(size=n_inputs) * 0.1
    model.encoder.get_layer("code").set_weights([w_enc, b_enc])
    model.decoder.get_layer("output").set_weights([w_dec, b_dec])
    return w_enc, b_enc, w_dec, b_dec


def numpy_forward(x, w_enc, b_enc, w_dec, b_dec):
    """``(code, reconstruction)`` of that autoencoder: linear code, sigmoid output."""
    code = x.reshape(len(x), -1) @ w_enc + b_enc
    return code, 1.0 / (1.0 + np.exp(-(code @ w_dec + b_dec))).reshape(x.shape)
