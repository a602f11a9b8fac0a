"""RBMs: free energy, the CD-1 update of fit against Hinton's rbm.m / rbmhidlinear.m in NumPy
(binary, Gaussian or constrained Poisson visible units), the momentum schedule, greedy stacking, saving, argument
checks."""

import numpy as np
import pytest
from keras import ops

import aelib
from aelib.models.rbm import RBM, pretrain_stack, train_rbm
from tests.model_checks import (
    assert_saves_and_loads,
    assert_training_changes_weights_and_evaluation_does_not,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _softplus(z):
    return np.logaddexp(0.0, z)


def _numpy(variable):
    return ops.convert_to_numpy(variable).astype("float64")


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _params(rbm):
    return [_numpy(v) for v in (rbm.kernel, rbm.hidden_bias, rbm.visible_bias)]


# (hidden_type, visible_type): every kind of RBM.
UNIT_TYPES = [
    ("binary", "binary"),
    ("linear", "binary"),
    ("binary", "gaussian"),
    ("linear", "gaussian"),
    ("binary", "poisson"),
    ("linear", "poisson"),
]


def small_rbm(rng, hidden_type="binary", weight_cost=0.0, seed=7, visible_type="binary"):
    """A 6-visible, 4-hidden RBM with known non-zero weights and biases."""
    rbm = RBM(
        6, 4, hidden_type=hidden_type, visible_type=visible_type, weight_cost=weight_cost, seed=seed
    )
    rbm.kernel.assign(rng.normal(size=(6, 4)).astype("float32") * 0.5)
    rbm.hidden_bias.assign(rng.normal(size=4).astype("float32") * 0.3)
    rbm.visible_bias.assign(rng.normal(size=6).astype("float32") * 0.3)
    return rbm


def small_data(rng, shape, visible_type="binary"):
    """Data for the visible units: values in [0, 1], standardized reals for Gaussian ones, word
    counts (0 to 5 of each word) for Poisson ones."""
    if visible_type == "binary":
        return rng.random(shape).astype("float32")
    if visible_type == "poisson":
        return rng.integers(0, 6, size=shape).astype("float32")
    x = rng.normal(size=shape)
    return ((x - x.mean(0)) / x.std(0)).astype("float32")


def replay_noise(rbm, state, n_draws, batch_size):
    """The noise the RBM's seed generator gave from ``state`` on: the same draws, in order."""
    replica = RBM(rbm.n_visible, rbm.n_hidden, hidden_type=rbm.hidden_type)
    replica.seed_generator.state.assign(state)
    return [
        ops.convert_to_numpy(replica.draw_noise(batch_size)).astype("float64")
        for _ in range(n_draws)
    ]


def numpy_cd1(
    x,
    noise,
    params,
    velocity,
    hidden_type,
    learning_rate,
    momentum,
    weight_cost,
    visible_type="binary",
):
    """One CD-1 step of Hinton's code (rbm.m, or rbmhidlinear.m for linear hidden units); with
    Gaussian visible units the negative data are the linear mean ``h W^T + b``, without noise;
    with constrained Poisson units the expected counts ``N softmax(h W^T + b)``."""
    W, c, b = params
    n = len(x)
    if hidden_type == "binary":
        poshidprobs = _sigmoid(x @ W + c)
        poshidstates = (poshidprobs > noise).astype("float64")
    else:
        poshidprobs = x @ W + c
        poshidstates = poshidprobs + noise
    negdata = poshidstates @ W.T + b
    if visible_type == "binary":
        negdata = _sigmoid(negdata)
    elif visible_type == "poisson":
        negdata = x.sum(1, keepdims=True) * _softmax(negdata)
    neghidprobs = _sigmoid(negdata @ W + c) if hidden_type == "binary" else negdata @ W + c
    posprods, negprods = x.T @ poshidprobs, negdata.T @ neghidprobs
    vW, vc, vb = velocity
    vW = momentum * vW + learning_rate * ((posprods - negprods) / n - weight_cost * W)
    vb = momentum * vb + learning_rate / n * (x.sum(0) - negdata.sum(0))
    vc = momentum * vc + learning_rate / n * (poshidprobs.sum(0) - neghidprobs.sum(0))
    error = np.square(x - negdata).sum() / n
    return [W + vW, c + vc, b + vb], [vW, vc, vb], error


@pytest.mark.parametrize("hidden_type, visible_type", UNIT_TYPES)
def test_free_energy_and_conditionals_match_numpy(rng, hidden_type, visible_type):
    rbm = small_rbm(rng, hidden_type, visible_type=visible_type)
    W, c, b = _params(rbm)
    v = small_data(rng, (5, 6), visible_type)
    total = v @ W + c
    if hidden_type == "binary":
        hidden_term, expected_hidden = _softplus(total).sum(1), _sigmoid(total)
    else:
        hidden_term, expected_hidden = 0.5 * np.square(total).sum(1), total
    if visible_type == "binary":
        visible_term, expected_reconstruction = -v @ b, _sigmoid(expected_hidden @ W.T + b)
    elif visible_type == "poisson":
        rates = v.sum(1, keepdims=True) * _softmax(expected_hidden @ W.T + b)
        visible_term, expected_reconstruction = -v @ b, rates
        # The rates of a document's words add up to its length.
        np.testing.assert_allclose(rates.sum(1), v.sum(1), rtol=1e-6)
    else:
        visible_term, expected_reconstruction = (
            0.5 * np.square(v - b).sum(1),
            expected_hidden @ W.T + b,
        )
    np.testing.assert_allclose(
        ops.convert_to_numpy(rbm.free_energy(v)), visible_term - hidden_term, rtol=1e-5, atol=1e-5
    )
    np.testing.assert_allclose(rbm.transform(v), expected_hidden, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rbm.reconstruct(v), expected_reconstruction, rtol=1e-5, atol=1e-5)


def test_binary_free_energy_is_the_marginal_of_the_energy(rng):
    """F(v) = -log sum_h exp(-E(v, h)), summed over all 2^4 hidden states."""
    rbm = small_rbm(rng)
    W, c, b = _params(rbm)
    v = (rng.random((3, 6)) > 0.5).astype("float32")
    states = np.array(np.meshgrid(*[[0, 1]] * 4)).reshape(4, -1).T
    energies = -(v @ b)[:, None] - (states @ c)[None, :] - v @ W @ states.T
    expected = -np.log(np.exp(-energies).sum(1))
    np.testing.assert_allclose(ops.convert_to_numpy(rbm.free_energy(v)), expected, rtol=1e-5)


def test_gaussian_free_energy_is_the_marginal_of_the_energy(rng):
    """E(v, h) = ||v - b||^2 / 2 - h.c - v W h, summed over all 2^4 binary hidden states; F is
    defined up to a constant (the Gaussian's normalizer), so compare differences between v's."""
    rbm = small_rbm(rng, visible_type="gaussian")
    W, c, b = _params(rbm)
    v = small_data(rng, (4, 6), "gaussian").astype("float64")
    states = np.array(np.meshgrid(*[[0, 1]] * 4)).reshape(4, -1).T
    energies = (0.5 * np.square(v - b).sum(1))[:, None] - (states @ c)[None, :] - v @ W @ states.T
    expected = -np.log(np.exp(-energies).sum(1))
    got = ops.convert_to_numpy(rbm.free_energy(v.astype("float32"))).astype("float64")
    np.testing.assert_allclose(got - got[0], expected - expected[0], atol=1e-4)
    assert np.ptp(expected) > 1.0  # the differences are not trivially zero


@pytest.mark.parametrize("hidden_type, visible_type", UNIT_TYPES)
def test_one_cd1_step_matches_hintons_update(rng, hidden_type, visible_type):
    """Momentum 0, no weight cost, the default learning rate: Hinton's 0.1 for a binary-binary
    RBM, 0.001 as soon as a layer has unbounded inputs (Gaussian or Poisson visible or linear
    hidden units)."""
    rbm = small_rbm(rng, hidden_type, visible_type=visible_type)
    x = small_data(rng, (5, 6), visible_type)
    params, state = _params(rbm), ops.convert_to_numpy(rbm.seed_generator.state)
    curves = train_rbm(rbm, x, epochs=1, batch_size=5, initial_momentum=0.0, shuffle=False)

    (noise,) = replay_noise(rbm, state, 1, 5)
    learning_rate = 0.1 if (hidden_type, visible_type) == ("binary", "binary") else 0.001
    assert float(ops.convert_to_numpy(rbm.optimizer.learning_rate)) == pytest.approx(learning_rate)
    zeros = [np.zeros_like(p) for p in params]
    expected, _, error = numpy_cd1(
        x, noise, params, zeros, hidden_type, learning_rate, 0.0, 0.0, visible_type
    )
    for got, want, old in zip(_params(rbm), expected, params):
        # Compare the increments, which are small next to the weights for the linear RBM.
        np.testing.assert_allclose(got - old, want - old, rtol=1e-3, atol=2e-7)
    # The step must actually move the weights, or the comparison above proves little.
    assert np.abs(expected[0] - params[0]).max() > 10 * learning_rate * 1e-3
    assert curves["reconstruction_error"][0] == pytest.approx(error, rel=1e-5)


@pytest.mark.parametrize("hidden_type, visible_type", UNIT_TYPES)
def test_momentum_schedule_and_weight_cost_match_hintons_updates(rng, hidden_type, visible_type):
    """Three one-batch epochs: momentum 0.5 for the first, then 0.9 with the increment kept."""
    weight_cost = 0.05
    # Counts are large inputs: a smaller step keeps three steps of a linear-hidden RBM tame.
    learning_rate = 0.005 if visible_type == "poisson" else 0.05
    rbm = small_rbm(rng, hidden_type, weight_cost=weight_cost, visible_type=visible_type)
    x = small_data(rng, (6, 6), visible_type)
    params, state = _params(rbm), ops.convert_to_numpy(rbm.seed_generator.state)
    curves = train_rbm(
        rbm,
        x,
        epochs=3,
        batch_size=6,
        learning_rate=learning_rate,
        initial_momentum=0.5,
        final_momentum=0.9,
        momentum_switch_epoch=1,
        shuffle=False,
    )

    velocity = [np.zeros_like(p) for p in params]
    errors = []
    for epoch, noise in enumerate(replay_noise(rbm, state, 3, 6)):
        momentum = 0.5 if epoch < 1 else 0.9
        params, velocity, error = numpy_cd1(
            x,
            noise,
            params,
            velocity,
            hidden_type,
            learning_rate,
            momentum,
            weight_cost,
            visible_type,
        )
        errors.append(error)
    for got, want in zip(_params(rbm), params):
        # float32 holds about 7 significant digits of the larger weights.
        np.testing.assert_allclose(got, want, atol=2e-6, rtol=1e-6)
    np.testing.assert_allclose(curves["reconstruction_error"], errors, rtol=1e-5)
    assert sorted(curves) == ["free_energy_gap", "loss", "reconstruction_error"]


def test_evaluate_reports_the_free_energy_gap_and_the_mean_field_error(rng):
    weight_cost = 0.01
    rbm = small_rbm(rng, weight_cost=weight_cost)
    W, c, b = _params(rbm)
    x = rng.random((8, 6)).astype("float32")
    rbm.compile(optimizer="sgd")
    logs = rbm.evaluate(x, batch_size=8, verbose=0, return_dict=True)

    reconstruction = _sigmoid(_sigmoid(x @ W + c) @ W.T + b)

    def free_energy(v):
        return -v @ b - _softplus(v @ W + c).sum(1)

    gap = np.mean(free_energy(x) - free_energy(reconstruction))
    assert logs["free_energy_gap"] == pytest.approx(gap, rel=1e-5)
    assert logs["loss"] == pytest.approx(gap + 0.5 * weight_cost * np.square(W).sum(), rel=1e-5)
    assert logs["reconstruction_error"] == pytest.approx(
        np.square(x - reconstruction).sum(1).mean(), rel=1e-5
    )


def test_pretrain_stack_feeds_hidden_probabilities_to_the_next_layer(rng):
    x = rng.random((32, 2, 4)).astype("float32")  # images are flattened
    rbms, curves = pretrain_stack(
        x, [8, 5, 3], epochs=[2, 1], batch_size=8, seed=3, return_curves=True
    )
    assert [(r.n_visible, r.n_hidden, r.hidden_type) for r in rbms] == [
        (8, 5, "binary"),
        (5, 3, "linear"),
    ]
    assert [len(c["loss"]) for c in curves] == [2, 1]

    # The same two layers trained by hand: layer l with seed 3 + l, the second on the first
    # one's hidden probabilities, with the linear layer's learning rate.
    aelib.seed_everything(3)
    first = RBM(8, 5)
    train_rbm(first, x.reshape(32, 8), epochs=2, batch_size=8, seed=3)
    aelib.seed_everything(4)
    second = RBM(5, 3, hidden_type="linear")
    train_rbm(
        second,
        first.transform(x.reshape(32, 8)),
        epochs=1,
        batch_size=8,
        learning_rate=0.001,
        seed=4,
    )
    for got, want in zip(rbms, (first, second)):
        for a, b in zip(_params(got), _params(want)):
            np.testing.assert_array_equal(a, b)


def test_pretrain_stack_with_gaussian_visible_units(rng):
    """Standardized real data: the first RBM is Gaussian-visible and trained at
    gaussian_learning_rate, the next ones binary-visible; the top keeps linear_learning_rate."""
    x = small_data(rng, (32, 8), "gaussian")
    rbms = pretrain_stack(
        x,
        [8, 5, 3],
        epochs=1,
        batch_size=8,
        visible_type="gaussian",
        learning_rate=0.05,
        gaussian_learning_rate=0.002,
        linear_learning_rate=0.003,
    )
    assert [(r.hidden_type, r.visible_type) for r in rbms] == [
        ("binary", "gaussian"),
        ("linear", "binary"),
    ]
    rates = [float(ops.convert_to_numpy(r.optimizer.learning_rate)) for r in rbms]
    np.testing.assert_allclose(rates, [0.002, 0.003])

    # The first layer is the one train_rbm gives, with the Gaussian rate.
    aelib.seed_everything(0)
    first = RBM(8, 5, visible_type="gaussian")
    train_rbm(first, x, epochs=1, batch_size=8, learning_rate=0.002, seed=0)
    for a, b in zip(_params(rbms[0]), _params(first)):
        np.testing.assert_array_equal(a, b)

    # A single RBM both Gaussian-visible and linear-hidden takes the smaller rate.
    (single,) = pretrain_stack(
        x,
        [8, 2],
        epochs=1,
        batch_size=8,
        visible_type="gaussian",
        gaussian_learning_rate=0.002,
        linear_learning_rate=0.003,
    )
    assert (single.hidden_type, single.visible_type) == ("linear", "gaussian")
    assert float(ops.convert_to_numpy(single.optimizer.learning_rate)) == pytest.approx(0.002)


def test_cd1_training_lowers_the_reconstruction_error(rng):
    """On data with structure (two prototypes with flipped pixels) CD-1 learns something."""
    prototypes = np.array([[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]], "float32")
    x = prototypes[rng.integers(0, 2, 200)]
    x = np.abs(x - (rng.random(x.shape) < 0.05)).astype("float32")
    aelib.seed_everything(0)
    rbm = RBM(6, 4, seed=1)
    before = np.square(x - rbm.reconstruct(x)).sum(1).mean()
    curves = train_rbm(rbm, x, epochs=8, batch_size=20, momentum_switch_epoch=0)
    after = np.square(x - rbm.reconstruct(x)).sum(1).mean()
    assert after < 0.5 * before
    assert curves["reconstruction_error"][-1] < curves["reconstruction_error"][0]


@pytest.mark.parametrize("hidden_type, visible_type", UNIT_TYPES)
def test_rbm_saves_and_loads(tmp_path, rng, hidden_type, visible_type):
    rbm = small_rbm(rng, hidden_type, weight_cost=0.001, seed=5, visible_type=visible_type)
    x = small_data(rng, (8, 6), visible_type)
    loaded = assert_saves_and_loads(rbm, x, tmp_path)
    assert (loaded.n_visible, loaded.n_hidden, loaded.hidden_type, loaded.visible_type) == (
        6,
        4,
        hidden_type,
        visible_type,
    )
    assert loaded.weight_cost == pytest.approx(0.001)
    assert loaded.seed == 5


@pytest.mark.parametrize("hidden_type, visible_type", UNIT_TYPES)
def test_rbm_training_changes_weights_and_evaluation_does_not(rng, hidden_type, visible_type):
    x = small_data(rng, (8, 6), visible_type)
    assert_training_changes_weights_and_evaluation_does_not(
        small_rbm(rng, hidden_type, visible_type=visible_type), x
    )


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"n_visible": 0}, "n_visible"),
        ({"n_hidden": 2.5}, "n_hidden"),
        ({"hidden_type": "gaussian_visible"}, "hidden_type"),
        ({"visible_type": "linear"}, "visible_type"),
        ({"visible_type": None}, "visible_type"),
        ({"weight_cost": -1e-4}, "weight_cost"),
        ({"seed": -1}, "seed"),
    ],
)
def test_invalid_rbm_arguments_are_named(kwargs, parameter):
    arguments = {"n_visible": 6, "n_hidden": 4, **kwargs}
    with pytest.raises(ValueError, match=parameter):
        RBM(**arguments)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"initial_momentum": 1.0}, "initial_momentum"),
        ({"final_momentum": -0.1}, "final_momentum"),
        ({"momentum_switch_epoch": -1}, "momentum_switch_epoch"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_invalid_training_arguments_are_named(rng, kwargs, parameter):
    x = rng.random((8, 6)).astype("float32")
    with pytest.raises(ValueError, match=parameter):
        train_rbm(RBM(6, 4), x, **kwargs)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"layer_sizes": [6]}, "layer_sizes"),
        ({"layer_sizes": [6, 0]}, "layer_sizes"),
        ({"layer_sizes": [6, 2.5]}, "layer_sizes"),
        ({"layer_sizes": "6-4"}, "layer_sizes"),
        ({"layer_sizes": [5, 3]}, r"layer_sizes\[0\]"),
        ({"epochs": [1, 2, 3]}, "epochs"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"linear_learning_rate": -1.0}, "linear_learning_rate"),
        ({"visible_type": "multinomial"}, "visible_type"),
        ({"poisson_learning_rate": 0.0}, "poisson_learning_rate"),
        ({"top_hidden_type": "gaussian"}, "top_hidden_type"),
        ({"gaussian_learning_rate": 0.0}, "gaussian_learning_rate"),
        ({"weight_cost": -0.1}, "weight_cost"),
        ({"final_momentum": 1.5}, "final_momentum"),
    ],
)
def test_invalid_stack_arguments_are_named(rng, kwargs, parameter):
    x = rng.random((8, 6)).astype("float32")
    arguments = {"layer_sizes": [6, 4, 2], **kwargs}
    with pytest.raises(ValueError, match=parameter):
        pretrain_stack(x, **arguments)


def test_data_outside_the_unit_interval_are_refused(rng):
    x = rng.normal(size=(8, 6)).astype("float32")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        train_rbm(RBM(6, 4), x)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        pretrain_stack(x, [6, 4, 2])


def test_gaussian_visible_units_take_any_finite_real_data(rng):
    x = 3.0 * rng.normal(size=(8, 6)).astype("float32") - 2.0
    rbm = RBM(6, 4, visible_type="gaussian")
    curves = train_rbm(rbm, x, epochs=1, batch_size=4)
    assert np.isfinite(curves["loss"]).all()
    x[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        train_rbm(rbm, x)


def test_score_samples_is_the_negative_free_energy_and_checks_its_data(rng):
    from aelib import RBM

    rbm = RBM(6, 3, seed=0)
    x = (rng.random((5, 6)) > 0.5).astype("float32")
    rbm.build((None, 6))
    w, b_visible, b_hidden = (
        np.asarray(v) for v in (rbm.kernel, rbm.visible_bias, rbm.hidden_bias)
    )
    free_energy = -x @ b_visible - np.logaddexp(0.0, x @ w + b_hidden).sum(axis=1)
    np.testing.assert_allclose(rbm.score_samples(x), -free_energy, rtol=1e-5)
    with pytest.raises(ValueError, match="divide uint8 images by 255"):
        rbm.score_samples((x * 255).astype("uint8"))
    with pytest.raises(ValueError, match="visible layer has 6"):
        rbm.transform(x[:, :5])


def test_poisson_units_are_the_constrained_poisson_model(rng):
    """Salakhutdinov & Hinton's constrained Poisson units: given h, the count of word i is
    Poisson with rate N * softmax(b + h W^T)_i. With those rates, the gradient of the Poisson
    log-likelihood sum_i (v_i log rate_i - rate_i) in the visible biases is v - rates, the
    statistic CD-1 uses (v0 - v1 for the biases): checked by finite differences."""
    rbm = small_rbm(rng, visible_type="poisson")
    W, c, b = _params(rbm)
    v = small_data(rng, (3, 6), "poisson").astype("float64")
    h = _sigmoid(v @ W + c)

    def log_likelihood(bias):
        rates = v.sum(1, keepdims=True) * _softmax(h @ W.T + bias)
        return (v * np.log(rates) - rates).sum()

    rates = v.sum(1, keepdims=True) * _softmax(h @ W.T + b)
    step = 1e-6
    numeric = [
        (log_likelihood(b + step * e) - log_likelihood(b - step * e)) / (2 * step)
        for e in np.eye(6)
    ]
    np.testing.assert_allclose(numeric, (v - rates).sum(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rbm.reconstruct(v.astype("float32")), rates, rtol=1e-5)


def test_poisson_units_refuse_negative_counts_and_train_on_real_sizes(rng):
    x = rng.poisson(0.3, size=(40, 30)).astype("float32")
    rbm = RBM(30, 8, visible_type="poisson")
    curves = train_rbm(rbm, x, epochs=3, batch_size=10)
    assert np.isfinite(curves["loss"]).all()
    with pytest.raises(ValueError, match="non-negative word counts"):
        train_rbm(rbm, -x - 1.0)


def test_pretrain_stack_with_poisson_visible_and_binary_code_units(rng):
    x = rng.poisson(0.5, size=(32, 12)).astype("float32")
    rbms = pretrain_stack(
        x, [12, 6, 3], epochs=1, batch_size=8, visible_type="poisson", top_hidden_type="binary"
    )
    assert [(r.visible_type, r.hidden_type) for r in rbms] == [
        ("poisson", "binary"),
        ("binary", "binary"),
    ]
    assert [float(ops.convert_to_numpy(r.optimizer.learning_rate)) for r in rbms] == [
        pytest.approx(0.001),
        pytest.approx(0.1),
    ]
