"""Deep SVDD: its centre, one-class loss, scores and training, checked against NumPy."""

import keras
import numpy as np
import pytest

import aelib
from aelib.models.deep_svdd import DeepSVDD, bias_layers

layers = keras.layers


def _np(tensor):
    return np.asarray(keras.ops.convert_to_numpy(tensor), dtype=np.float64)


def linear_encoder(kernel):
    """x -> x @ kernel, without a bias: the smallest phi whose codes NumPy redoes exactly."""
    n_inputs, code_dim = np.shape(kernel)
    encoder = keras.Sequential(
        [keras.Input((n_inputs,)), layers.Dense(code_dim, use_bias=False, name="phi")]
    )
    encoder.set_weights([np.asarray(kernel, "float32")])
    return encoder


def numpy_center(codes, eps):
    """The reference rule: the mean code, with |c_j| < eps moved to +eps or -eps by its sign."""
    center = np.asarray(codes, np.float64).mean(axis=0)
    return np.where(np.abs(center) < eps, np.where(center < 0, -eps, eps), center)


def squared_distances(codes, center):
    return ((np.asarray(codes, np.float64) - center) ** 2).sum(axis=1)


# A bias-free encoder with a weight that is trainable but not a kernel (BatchNormalization's
# gamma) and weights that are not trainable (its moving statistics): the weight decay must count
# the first and not the second.
def deep_encoder(rng):
    encoder = keras.Sequential(
        [
            keras.Input((5,)),
            layers.Dense(4, use_bias=False, activation="tanh", name="hidden"),
            layers.BatchNormalization(center=False, name="norm"),
            layers.Dense(3, use_bias=False, name="code"),
        ]
    )
    weights = {
        "w1": rng.normal(size=(5, 4)),
        "gamma": 1.0 + 0.3 * rng.normal(size=4),
        "mean": 0.1 * rng.normal(size=4),
        "var": rng.uniform(0.5, 2.0, size=4),
        "w2": rng.normal(size=(4, 3)),
    }
    weights = {key: value.astype("float32").astype(np.float64) for key, value in weights.items()}
    encoder.get_layer("hidden").set_weights([weights["w1"]])
    encoder.get_layer("norm").set_weights([weights["gamma"], weights["mean"], weights["var"]])
    encoder.get_layer("code").set_weights([weights["w2"]])
    return encoder, weights


def numpy_deep_codes(x, w):
    """`deep_encoder` in inference mode (BatchNormalization's epsilon is Keras' 1e-3)."""
    hidden = np.tanh(np.asarray(x, np.float64) @ w["w1"])
    normed = w["gamma"] * (hidden - w["mean"]) / np.sqrt(w["var"] + 1e-3)
    return normed @ w["w2"]


# ---------------------------------------------------------------------- the centre
def test_the_centre_is_the_mean_code_pushed_out_of_the_eps_ball():
    # Dyadic numbers, so that codes and means are exact in float32 and float64 alike: the mean
    # input is [2, 1, 1], and each column of the kernel aims at one case of the eps rule.
    x = np.array([[1.0, 0.0, 2.0], [3.0, 2.0, 0.0]], "float32")
    kernel = np.array(
        [
            # large +  large -  small +  small -  zero   +eps   -eps
            [1.0, -0.5, 0.0, 0.0, 0.5, 0.0, 0.0],
            [0.0, -0.5, 0.125, 0.0, -0.5, 0.25, 0.0],
            [0.0, 0.0, 0.0, -0.0625, -0.5, 0.0, -0.25],
        ]
    )
    model = DeepSVDD(linear_encoder(kernel), center_eps=0.25, weight_decay=0.0)
    assert model.center_ is None  # built (the encoder's shape is known), but not set
    center = model.initialize_center(x)
    mean = x.astype(np.float64).mean(axis=0) @ kernel
    np.testing.assert_array_equal(mean, [2.0, -1.5, 0.125, -0.0625, 0.0, 0.25, -0.25])
    # |c_j| < eps moves out by its sign (0 counts as +); |c_j| = eps is not inside: unchanged.
    expected = [2.0, -1.5, 0.25, -0.25, 0.25, 0.25, -0.25]
    np.testing.assert_array_equal(center, expected)
    assert center.dtype == np.float64 and center.shape == (7,)
    np.testing.assert_array_equal(model.center_, expected)
    np.testing.assert_array_equal(numpy_center(x @ kernel, 0.25), expected)


def test_the_centre_of_random_codes_is_their_numpy_mean_whatever_the_batch_size(rng):
    kernel = rng.normal(size=(4, 6))
    x = rng.normal(size=(10, 4)).astype("float32")
    codes = x.astype(np.float64) @ kernel.astype("float32")
    for eps in (0.0, 0.1, 0.6):
        model = DeepSVDD(linear_encoder(kernel), center_eps=eps, weight_decay=0.0)
        center = model.initialize_center(x, batch_size=3)  # 3 + 3 + 3 + 1: uneven batches
        reference = numpy_center(codes, eps)
        np.testing.assert_allclose(center, reference, rtol=1e-6, atol=1e-7)
        # The variable holds the float32 centre; center_ reads it back.
        np.testing.assert_allclose(model.center_, reference, rtol=1e-6, atol=1e-7)
    raw = codes.mean(axis=0)
    assert np.any(np.abs(raw) < 0.6) and np.any(np.abs(raw) >= 0.6)  # both branches ran


# ---------------------------------------------------------------------- the loss
def test_the_loss_is_the_mean_squared_distance_plus_half_the_weight_decay(rng):
    encoder, w = deep_encoder(rng)
    model = DeepSVDD(encoder, center_eps=0.1, weight_decay=0.05)
    model.initialize_center(rng.normal(size=(16, 5)).astype("float32"))
    center = model.center_
    x = rng.normal(size=(6, 5)).astype("float32")
    codes = numpy_deep_codes(x, w)
    y_pred = model(x)
    np.testing.assert_allclose(_np(y_pred), codes, rtol=1e-5, atol=1e-6)

    distances = squared_distances(codes, center)
    # Only the trainable weights decay: both kernels and gamma, not the moving statistics.
    assert len(model.trainable_weights) == 3
    decay = 0.5 * 0.05 * sum((w[key] ** 2).sum() for key in ("w1", "gamma", "w2"))
    assert decay > 0.1 * distances.mean()  # large enough that leaving it out would show
    model.distance_tracker.reset_state()
    model.weight_decay_tracker.reset_state()
    loss = _np(model.compute_loss(x, None, y_pred))
    np.testing.assert_allclose(loss, distances.mean() + decay, rtol=1e-5)
    # The reported parts of the loss are the two terms.
    np.testing.assert_allclose(_np(model.distance_tracker.result()), distances.mean(), rtol=1e-5)
    np.testing.assert_allclose(_np(model.weight_decay_tracker.result()), decay, rtol=1e-5)

    # Sample weights: a weighted mean of the distances; the decay is not weighted.
    weights = np.array([0.0, 1.0, 2.0, 0.5, 3.0, 1.5], "float32")
    weighted = _np(model.compute_loss(x, None, y_pred, sample_weight=weights))
    expected = (weights * distances).sum() / weights.sum() + decay
    np.testing.assert_allclose(weighted, expected, rtol=1e-5)
    assert abs(expected - (distances.mean() + decay)) > 1e-2  # the weights do change it

    # weight_decay=0: the loss is the distance alone, whatever the (here large) weights.
    no_decay = DeepSVDD(linear_encoder(np.full((5, 3), 10.0)), weight_decay=0.0)
    no_decay.center.assign(center.astype("float32"))
    np.testing.assert_allclose(
        _np(no_decay.compute_loss(x, None, y_pred)), distances.mean(), rtol=1e-5
    )


# ---------------------------------------------------------------------- the scores
def test_score_samples_is_minus_the_squared_distance_of_the_numpy_codes(rng):
    encoder, w = deep_encoder(rng)
    model = DeepSVDD(encoder, weight_decay=0.0)
    model.initialize_center(rng.normal(size=(20, 5)).astype("float32"))
    x = rng.normal(size=(7, 5)).astype("float32")
    reference = squared_distances(numpy_deep_codes(x, w), model.center_)
    distances = model.distances(x, batch_size=3)
    scores = model.score_samples(x)
    for values in (distances, scores):
        assert values.dtype == np.float64 and values.shape == (7,)
    np.testing.assert_allclose(distances, reference, rtol=1e-5)
    np.testing.assert_allclose(scores, -reference, rtol=1e-5)
    np.testing.assert_array_equal(scores, -model.distances(x))


# ---------------------------------------------------------------------- training
def test_training_pulls_the_data_towards_a_centre_it_does_not_move(rng):
    x = (rng.normal(size=(64, 4)) * 0.5 + 1.0).astype("float32")
    kernel = rng.normal(size=(4, 2)).astype("float32").astype(np.float64)
    model = DeepSVDD(linear_encoder(kernel), center_eps=0.1, weight_decay=0.0)
    assert model.center_ is None
    history = aelib.fit(model, x, epochs=10, batch_size=16, learning_rate=5e-2, seed=0, verbose=0)
    # fit set the centre from the data, with the weights it had before training.
    reference = numpy_center(x.astype(np.float64) @ kernel, 0.1)
    np.testing.assert_allclose(model.center_, reference, rtol=1e-6)
    before = squared_distances(x @ kernel, reference).mean()
    trained = model.encoder.get_layer("phi").get_weights()[0].astype(np.float64)
    after = squared_distances(x @ trained, model.center_)
    # atol: a distance near 0 is a difference of float32 codes of size 1.
    np.testing.assert_allclose(model.distances(x), after, rtol=1e-5, atol=1e-6)
    # A linear phi can do no better than the least-squares map of x onto c; training must
    # close most of the gap from the starting distance to that optimum.
    best_kernel = np.linalg.lstsq(x.astype(np.float64), np.tile(reference, (64, 1)), rcond=None)[0]
    best = squared_distances(x @ best_kernel, reference).mean()
    assert best - 1e-6 <= after.mean() < best + 0.1 * (before - best), (after.mean(), best)
    distance = history.history["distance"]
    assert distance[-1] < distance[0]
    # With no weight decay the loss is the distance, and the decay term reports 0.
    np.testing.assert_allclose(history.history["loss"], distance, rtol=1e-6)
    assert history.history["weight_decay"] == [0.0] * 10

    # A second fit, on other data, trains on but keeps the centre.
    center = model.center_
    aelib.fit(model, x + 3.0, epochs=2, batch_size=16, seed=1, verbose=0)
    np.testing.assert_array_equal(model.center_, center)
    assert not np.allclose(model.encoder.get_layer("phi").get_weights()[0], trained)


def test_fit_keeps_a_centre_set_beforehand(rng):
    x = rng.normal(size=(32, 3)).astype("float32")
    other = (rng.normal(size=(32, 3)) + 2.0).astype("float32")
    kernel = rng.normal(size=(3, 2))
    model = DeepSVDD(linear_encoder(kernel), weight_decay=1e-3)
    center = model.initialize_center(other)
    aelib.fit(model, x, epochs=2, batch_size=16, learning_rate=1e-2, seed=0, verbose=0)
    np.testing.assert_allclose(model.center_, center, rtol=1e-6)
    assert not np.allclose(model.center_, numpy_center(x @ kernel.astype("float32"), 0.1))


def test_same_seed_same_scores(rng):
    x = rng.normal(size=(48, 5)).astype("float32")

    def build():
        encoder = keras.Sequential(
            [
                keras.Input((5,)),
                layers.Dense(4, use_bias=False, activation="tanh"),
                layers.Dense(2, use_bias=False),
            ]
        )
        return DeepSVDD(encoder, weight_decay=1e-4)

    def train(seed):
        history = aelib.fit(
            build, x, epochs=3, batch_size=16, learning_rate=1e-2, seed=seed, verbose=0
        )
        return history.history["loss"], history.model.score_samples(x)

    losses, scores = train(5)
    again, scores_again = train(5)
    assert losses == again
    np.testing.assert_array_equal(scores, scores_again)
    # Not equal by accident: another seed gives other initial weights (fit seeds, then builds).
    aelib.seed_everything(6)
    other = build()
    aelib.seed_everything(5)
    same = build()
    assert not np.allclose(other.encoder.get_weights()[0], same.encoder.get_weights()[0])


# ---------------------------------------------------------------------- the centre is kept
def test_the_centre_is_not_trained_and_survives_a_save(rng, tmp_path):
    x = rng.normal(size=(32, 4)).astype("float32")
    model = DeepSVDD(linear_encoder(rng.normal(size=(4, 3))), center_eps=0.05, weight_decay=1e-4)
    trainable = {id(v) for v in model.trainable_weights}
    assert id(model.center) not in trainable
    assert trainable == {id(v) for v in model.encoder.trainable_weights}

    unset = tmp_path / "unset.keras"
    model.save(unset)
    assert keras.saving.load_model(unset, safe_mode=True).center_ is None

    aelib.fit(model, x, epochs=2, batch_size=16, learning_rate=1e-2, seed=0, verbose=0)
    path = tmp_path / "deep_svdd.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is DeepSVDD
    assert (loaded.center_eps, loaded.weight_decay, loaded.allow_bias) == (0.05, 1e-4, False)
    np.testing.assert_array_equal(loaded.center_, model.center_)
    np.testing.assert_array_equal(loaded.score_samples(x), model.score_samples(x))
    # The loaded model knows its centre is set: training on resumes around it.
    aelib.fit(loaded, x + 2.0, epochs=1, batch_size=16, seed=1, verbose=0)
    np.testing.assert_array_equal(loaded.center_, model.center_)


# ---------------------------------------------------------------------- bad input
def _free_encoder():
    return linear_encoder(np.ones((3, 2)))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (
            lambda: DeepSVDD(keras.Sequential([keras.Input((3,)), layers.Dense(2, name="biased")])),
            ValueError,
            r"bias terms in layers \['biased'\].*allow_bias=True",
        ),
        (
            lambda: DeepSVDD(
                keras.Sequential(
                    [
                        keras.Input((3,)),
                        layers.Dense(2, use_bias=False),
                        layers.BatchNormalization(name="norm"),
                    ]
                )
            ),
            ValueError,
            r"bias terms in layers \['norm'\]",
        ),
        (lambda: DeepSVDD(_free_encoder(), center_eps=-0.1), ValueError, "center_eps"),
        (lambda: DeepSVDD(_free_encoder(), weight_decay=-1e-6), ValueError, "weight_decay"),
        (lambda: DeepSVDD(_free_encoder(), weight_decay=float("nan")), ValueError, "weight_decay"),
        (lambda: DeepSVDD(_free_encoder(), allow_bias="yes"), TypeError, "allow_bias"),
        (lambda: DeepSVDD(_free_encoder(), allow_bias=1), TypeError, "allow_bias"),
        (
            lambda: DeepSVDD(layers.Dense(2, use_bias=False)),
            TypeError,
            "encoder must be a keras.Model",
        ),
        (
            lambda: DeepSVDD(
                keras.Sequential([keras.Input((4, 4, 1)), layers.Conv2D(2, 3, use_bias=False)])
            ),
            ValueError,
            r"one vector per sample.*\(None, 2, 2, 2\)",
        ),
        (
            lambda: DeepSVDD(
                keras.Sequential(
                    [keras.Input((3, 4)), layers.TimeDistributed(layers.Dense(2, name="td"))]
                )
            ),
            ValueError,
            r"bias terms in layers \['td'\]",
        ),
        (
            lambda: DeepSVDD(
                keras.Sequential(
                    [
                        keras.Input((4,)),
                        layers.EinsumDense(
                            "ab,bc->ac", output_shape=2, bias_axes="c", name="einsum"
                        ),
                    ]
                )
            ),
            ValueError,
            r"bias terms in layers \['einsum'\]",
        ),
        (lambda: DeepSVDD("encoder"), TypeError, "encoder must be a keras Model"),
        (lambda: DeepSVDD(None), TypeError, "encoder must be a keras Model"),
    ],
)
def test_bad_arguments_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_bias_terms_are_accepted_when_asked_for():
    biased = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(2),
            layers.BatchNormalization(),
            layers.Dense(2, use_bias=False),
        ]
    )
    assert DeepSVDD(biased, allow_bias=True).allow_bias is True
    free = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(2, use_bias=False),
            layers.BatchNormalization(center=False),
        ]
    )
    assert DeepSVDD(free).allow_bias is False


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros((8, 4), "float32"), r"x has samples of shape \(4,\).*shape \(3,\)"),
        (np.zeros((8, 3, 1), "float32"), r"x has samples of shape \(3, 1\)"),
        (np.array([[0.0, np.nan, 1.0]] * 4, "float32"), "x holds 4 NaN or infinite"),
        (np.zeros((0, 3), "float32"), "x must be a non-empty batch"),
        (None, "x must be an array"),
    ],
)
def test_bad_data_are_named_before_the_centre_is_set(x, message):
    model = DeepSVDD(_free_encoder())
    with pytest.raises(ValueError, match=message):
        model.fit(x, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=message):
        model.initialize_center(x)
    assert model.center_ is None  # nothing was set from the refused data


def test_distances_need_the_centre():
    model = DeepSVDD(_free_encoder())
    x = np.ones((2, 3), "float32")
    for method in (model.distances, model.score_samples):
        with pytest.raises(ValueError, match="the centre is not set"):
            method(x)


def test_a_non_finite_loss_stops_training_with_an_error(rng):
    """Inputs of 1e30 are finite, so the checks let them in, but their squared distances
    overflow float32 at the first step: the loss is inf (nan once the weights are hit)."""
    model = DeepSVDD(linear_encoder(rng.normal(size=(3, 2))), weight_decay=0.0)
    x = (rng.normal(size=(16, 3)) * 1e30).astype("float32")
    with pytest.raises(FloatingPointError, match=r"stopped after epoch 1: the loss is (inf|nan)"):
        aelib.fit(model, x, epochs=5, batch_size=16, optimizer="sgd", seed=0, verbose=0)


def test_fit_checks_its_callbacks(rng):
    model = DeepSVDD(linear_encoder(rng.normal(size=(3, 2))))
    model.compile(optimizer="sgd")
    with pytest.raises(TypeError, match="callbacks"):
        model.fit(np.ones((4, 3), "float32"), epochs=1, verbose=0, callbacks=[print])


# ---------------------------------------------------------------------- bias_layers
def test_bias_layers_finds_nested_convolutions_and_normalizations():
    def network(bias):
        inner = keras.Sequential(
            [
                keras.Input((32,)),
                layers.Dense(4, use_bias=False, name="inner_free"),
                layers.Dense(3, use_bias=bias, name="inner_dense"),
            ],
            name="inner",
        )
        inputs = keras.Input((6, 6, 1))
        h = layers.Conv2D(2, 3, use_bias=bias, name="conv")(inputs)
        h = layers.Conv2D(2, 1, use_bias=False, name="conv_free")(h)
        h = inner(layers.Flatten()(h))
        h = layers.BatchNormalization(center=bias, name="norm")(h)
        h = layers.BatchNormalization(center=False, name="norm_free")(h)
        return keras.Model(inputs, layers.Dense(2, use_bias=False, name="out")(h))

    # In the order of the layers, the nested model's layer where that model sits.
    assert bias_layers(network(True)) == ["conv", "inner_dense", "norm"]
    assert bias_layers(network(False)) == []
    with pytest.raises(ValueError, match=r"\['conv', 'inner_dense', 'norm'\]"):
        DeepSVDD(network(True))
    assert bias_layers(layers.Dense(2, name="alone")) == ["alone"]
    assert bias_layers(layers.LayerNormalization(name="layer_norm")) == ["layer_norm"]
    assert bias_layers(layers.Dense(2, use_bias=False)) == []
