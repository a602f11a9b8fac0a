"""The semantic hashing autoencoder: the unrolled stack against its RBMs in NumPy, the
cross-entropy of word distributions, the code noise, binary codes, saving, argument checks."""

import numpy as np
import pytest
from keras import ops

import aelib
from aelib.models.deep import unroll
from aelib.models.rbm import RBM
from aelib.models.semantic_hashing import SemanticHashingAutoencoder, unroll_hashing
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _stack(rng, sizes=(10, 6, 3)):
    """Poisson-visible RBM, then binary ones, with known random weights and biases."""
    rbms = []
    for i, (n_visible, n_hidden) in enumerate(zip(sizes[:-1], sizes[1:])):
        rbm = RBM(n_visible, n_hidden, visible_type="poisson" if i == 0 else "binary")
        rbm.kernel.assign(rng.normal(size=(n_visible, n_hidden)).astype("float32") * 0.3)
        rbm.hidden_bias.assign(rng.normal(size=n_hidden).astype("float32") * 0.3)
        rbm.visible_bias.assign(rng.normal(size=n_visible).astype("float32") * 0.3)
        rbms.append(rbm)
    return rbms


def _numpy_up_down(rbms, v):
    """The stack's deterministic up-down pass in NumPy: (code units, word probabilities)."""
    params = [
        [
            ops.convert_to_numpy(w).astype("float64")
            for w in (r.kernel, r.hidden_bias, r.visible_bias)
        ]
        for r in rbms
    ]
    h = v
    for W, c, _ in params:
        h = _sigmoid(h @ W + c)
    code = h
    for depth, (W, _, b) in enumerate(params[::-1]):
        total = h @ W.T + b
        h = _softmax(total) if depth == len(params) - 1 else _sigmoid(total)
    return code, h


def _counts(rng, n=5, n_words=10):
    return rng.integers(0, 5, size=(n, n_words)).astype("float32")


def test_unrolled_model_is_the_stacks_up_down_pass(rng):
    rbms = _stack(rng)
    model = unroll_hashing(rbms, code_noise=4.0)
    v = _counts(rng)
    code, words = _numpy_up_down(rbms, v.astype("float64"))
    np.testing.assert_allclose(model.transform(v), code, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.reconstruct(v), words, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(model.binary_codes(v), (code > 0.5).astype(np.uint8))
    # The bottom of the decoder is the first RBM's Poisson rates over the document's length.
    one_layer = unroll_hashing(rbms[:1])
    np.testing.assert_allclose(
        one_layer.reconstruct(v), rbms[0].reconstruct(v) / v.sum(1, keepdims=True), rtol=1e-5
    )
    # Untied copies: fine-tuning leaves the RBMs as they were.
    before = ops.convert_to_numpy(rbms[0].kernel).copy()
    aelib.fit(model, v, epochs=1, batch_size=5, verbose=0)
    np.testing.assert_array_equal(ops.convert_to_numpy(rbms[0].kernel), before)


def test_loss_is_the_cross_entropy_of_the_word_distributions(rng):
    rbms = _stack(rng)
    model = unroll_hashing(rbms, code_noise=0.0)
    v = _counts(rng)
    v[0] = [5, 0, 0, 0, 0, 0, 0, 0, 0, 1]  # a hand-checkable document
    _, words = _numpy_up_down(rbms, v.astype("float64"))
    expected = -((v / v.sum(1, keepdims=True)) * np.log(words)).sum(1)
    assert expected[0] == pytest.approx(-(5 / 6 * np.log(words[0, 0]) + np.log(words[0, 9]) / 6))
    model.compile(optimizer="sgd")
    logs = model.evaluate(v, batch_size=5, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(expected.mean(), rel=1e-5)
    per_document = aelib.reconstruction_error(
        v, words.astype("float32"), "categorical_crossentropy", "sum"
    )
    np.testing.assert_allclose(ops.convert_to_numpy(per_document), expected, rtol=1e-5)


def test_code_noise_is_added_to_the_code_units_inputs_in_training_only(rng):
    v = _counts(rng, n=64)
    noisy = unroll_hashing(_stack(rng), code_noise=4.0, seed=3)
    inference = noisy.transform(v)
    training = ops.convert_to_numpy(noisy(v, training=True)["code"])
    # The noise acts on the logit: logit(training code) - logit(inference code) ~ N(0, 4^2).
    logit = np.log(training / (1 - training)) - np.log(inference / (1 - inference))
    finite = np.isfinite(logit)
    assert finite.mean() > 0.9
    assert np.std(logit[finite]) == pytest.approx(4.0, rel=0.2)
    np.testing.assert_array_equal(noisy.transform(v), inference)  # inference is deterministic
    silent = unroll_hashing(_stack(rng), code_noise=0.0)
    np.testing.assert_allclose(
        ops.convert_to_numpy(silent(v, training=True)["code"]), silent.transform(v), rtol=1e-6
    )


def test_noise_makes_the_codes_binary(rng):
    """Documents that mix four topics in random proportions: without noise most code units
    settle in between 0 and 1 (they carry the proportions); trained with noise on their
    inputs, most go to 0 or 1."""
    topics = rng.dirichlet(np.full(30, 0.3), size=4)
    mixtures = rng.dirichlet(np.ones(4), size=200)
    v = np.stack([rng.multinomial(40, m @ topics) for m in mixtures]).astype("float32")

    def middle_fraction(noise):
        aelib.seed_everything(0)
        stack = [RBM(30, 12, visible_type="poisson"), RBM(12, 4)]
        model = unroll_hashing(stack, code_noise=noise, seed=0)
        aelib.fit(model, v, epochs=40, batch_size=20, learning_rate=1e-2, verbose=0, seed=0)
        code = model.transform(v)
        return ((code > 0.1) & (code < 0.9)).mean()

    noisy, plain = middle_fraction(8.0), middle_fraction(0.0)
    assert plain > 0.5  # measured 0.77 (TensorFlow)
    assert noisy < 0.25  # measured 0.11
    assert noisy < plain / 3


def test_saves_loads_and_trains(tmp_path, rng):
    model = unroll_hashing(_stack(rng), code_noise=2.5, seed=4)
    v = _counts(rng)
    loaded = assert_saves_and_loads(model, v, tmp_path)
    assert isinstance(loaded, SemanticHashingAutoencoder)
    assert loaded.code_noise == 2.5
    assert loaded.reconstruction_loss == "categorical_crossentropy"
    assert_training_changes_weights_and_evaluation_does_not(unroll_hashing(_stack(rng)), v)


def test_stacks_of_the_wrong_kind_are_refused(rng):
    with pytest.raises(ValueError, match="poisson visible units"):
        unroll_hashing([RBM(10, 6), RBM(6, 3)])
    with pytest.raises(ValueError, match="binary hidden units"):
        unroll_hashing([RBM(10, 6, visible_type="poisson"), RBM(6, 3, hidden_type="linear")])
    with pytest.raises(ValueError, match="consecutive RBMs must match"):
        unroll_hashing([RBM(10, 6, visible_type="poisson"), RBM(5, 3)])
    with pytest.raises(ValueError, match="rbms must be"):
        unroll_hashing([])
    with pytest.raises(ValueError, match="code_noise"):
        unroll_hashing(_stack(rng), code_noise=-1.0)
    with pytest.raises(ValueError, match="unroll_hashing"):
        unroll([RBM(10, 6, visible_type="poisson"), RBM(6, 3, hidden_type="linear")])


def test_categorical_crossentropy_goes_with_a_softmax_output():
    with pytest.raises(ValueError, match="go together"):
        aelib.deep_autoencoder([10, 4], reconstruction_loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="go together"):
        aelib.deep_autoencoder([10, 4], reconstruction_loss="mse", output_activation="softmax")
