"""The benchmarks: the plain networks are aelib's networks, the counts and summaries are right,
and the committed results keep their contract and are current."""

import json
from pathlib import Path

import keras
import numpy as np
import pytest

import aelib
from benchmarks import networks, run, suite

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def test_training_flops_are_counted_from_the_layer_shapes():
    # Hinton's network: 784*1000 + 1000*500 + 500*250 + 250*30 = 1,416,500 multiply-adds in
    # the encoder, as many in the decoder; two operations each, three passes.
    assert networks.dense_training_flops(networks.hinton_layer_sizes()) == 3 * 2 * 2 * 1_416_500
    # RED-Net on 40x40: 1->64, eight 64->64 and 64->1 3x3 convolutions at full resolution.
    channels = networks.red_net_channels()
    assert channels[0] == (1, 64) and channels[-1] == (64, 1) and channels.count((64, 64)) == 8
    assert networks.conv_training_flops(40, 40, channels) == 3 * 2 * 1600 * 9 * (64 + 8 * 4096 + 64)


def test_the_plain_dense_network_is_aelibs_weight_for_weight():
    aelib.seed_everything(0)
    ours = aelib.deep_autoencoder([20, 12, 6, 3])
    plain = networks.plain_dense_autoencoder([20, 12, 6, 3])
    assert [w.shape for w in plain.get_weights()] == [w.shape for w in ours.get_weights()]
    plain.set_weights(ours.get_weights())
    x = np.random.default_rng(0).random((5, 20)).astype("float32")
    np.testing.assert_allclose(plain.predict(x, verbose=0), ours.reconstruct(x), rtol=1e-6)
    # The same loss: Keras' binary cross-entropy, mean over pixels and images.
    plain.compile(loss="binary_crossentropy")
    ours.compile()
    np.testing.assert_allclose(
        plain.evaluate(x, x, verbose=0),
        ours.evaluate(x, verbose=0, return_dict=True)["loss"],
        rtol=1e-5,
    )


def test_the_plain_red_net_is_aelibs_weight_for_weight():
    aelib.seed_everything(0)
    ours = aelib.red_net(depth=6, filters=4)
    plain = networks.plain_red_net(depth=6, filters=4)
    ours.build((None, 16, 16, 1))
    assert [w.shape for w in plain.get_weights()] == [w.shape for w in ours.get_weights()]
    plain.set_weights(ours.get_weights())
    # Out of training neither adds noise: the outputs must agree.
    x = np.random.default_rng(1).random((2, 16, 16, 1)).astype("float32")
    np.testing.assert_allclose(plain.predict(x, verbose=0), ours.reconstruct(x), atol=1e-6)


class _FixedUniform:
    """A stand-in generator whose uniform draws are all one value."""

    def __init__(self, value):
        self.value = value

    def random(self, shape, dtype):
        return np.full(shape, self.value, dtype)


def test_numpy_cd1_matches_a_step_worked_by_hand():
    rbm = networks.NumpyRBM(2, 1, weight_cost=0.0)
    rbm.weights[:] = 0.0
    rbm.rng = _FixedUniform(0.3)
    # p(h|v) = sigmoid(0) = 0.5 > 0.3, so h = 1; the negative visible means are sigmoid(0) = 0.5,
    # the negative hidden mean 0.5. dW = v h0 - v1 h1 = [1, 0] * 0.5 - [0.5, 0.5] * 0.5.
    (d_weights, d_hidden, d_visible), negative = rbm.gradients(
        np.array([[1.0, 0.0]], "float32"), np.full((1, 1), 0.3, "float32")
    )
    np.testing.assert_allclose(d_weights, [[0.25], [-0.25]])
    np.testing.assert_allclose(d_hidden, [0.0])
    np.testing.assert_allclose(d_visible, [0.5, -0.5])
    np.testing.assert_allclose(negative, [[0.5, 0.5]])
    # One epoch of one batch from zero increments: W += 0.1 * dW; rbm.m's error sum((v - v1)^2).
    error = rbm.epoch(np.array([[1.0, 0.0]], "float32"))
    np.testing.assert_allclose(rbm.weights, [[0.025], [-0.025]], rtol=1e-6)
    np.testing.assert_allclose(rbm.visible_bias, [0.05, -0.05], rtol=1e-6)
    assert error == pytest.approx(0.5)


def test_interleaved_runs_reverse_the_order_every_other_round():
    calls = []
    times = suite.interleaved(
        {
            "a": lambda r: calls.append(("a", r)) or 2.0,
            "b": lambda r: calls.append(("b", r)) or 1.0,
        },
        rounds=3,
    )
    assert calls == [("a", 0), ("b", 0), ("b", 1), ("a", 1), ("a", 2), ("b", 2), ("b", 3), ("a", 3)]
    assert times == {"a": [2.0] * 4, "b": [1.0] * 4}


def test_ratios_leave_out_the_warm_up_and_invert_seconds():
    # Rounds 1..3: aelib took 2, 4, 1 s where plain took 1, 4, 2 s: speed ratios 0.5, 1, 2.
    assert suite.ratio_of_rounds([100.0, 2.0, 4.0, 1.0], [1.0, 1.0, 4.0, 2.0]) == {
        "median": 1.0,
        "min": 0.5,
        "max": 2.0,
    }


def _pair(model, precision, aelib_speed, plain_speed, error):
    return {
        "model": model,
        "precision": precision,
        "rounds": 2,
        "training_steps": 30,
        "training_flop_per_sample": 100,
        "samples_per_second": {
            "aelib": {"median": aelib_speed, "min": aelib_speed, "max": aelib_speed},
            "plain": {"median": plain_speed, "min": plain_speed, "max": plain_speed},
        },
        "ratio": {"median": aelib_speed / plain_speed, "min": 0.9, "max": 1.1},
        "fixed_cost_s": {"aelib": 1.0, "plain": 1.0},
        "test_error": {"aelib": {"psnr": error}, "plain": {"psnr": error}},
    }


def test_training_runs_and_bfloat16_changes_from_raw_results():
    peak = {"matmul": 1e9, "conv": 4e9}
    raw = {
        "tensorflow": {
            "peak": {"float32": peak, "mixed_bfloat16": {"matmul": 5e9, "conv": 2e10}},
            "training": [
                _pair("red_net", "float32", 2e6, 4e6, 28.0),
                _pair("red_net", "mixed_bfloat16", 1e7, 1e7, 27.5),
            ],
        }
    }
    runs = run.training_runs(raw)
    assert [(r["precision"], r["ratio"]) for r in runs] == [
        ("float32", 0.5),
        ("mixed_bfloat16", 1.0),
    ]
    # 2e6 samples/s * 100 FLOP = 2e8 FLOP/s of a 4e9 FLOP/s convolution peak.
    assert runs[0]["fraction_of_peak"] == pytest.approx(0.05)
    assert runs[1]["fraction_of_peak"] == pytest.approx(0.05)
    (change,) = run.bfloat16_changes(runs)
    assert change["speed_up"] == pytest.approx(5.0)
    assert change["change"] == pytest.approx(-0.5)


def test_a_quick_training_pair_trains_both_arms_alike():
    result = suite.training_pairs("hinton_dense", "float32", rounds=1, quick=True)
    assert len(result["seconds"]["aelib"]) == len(result["seconds"]["plain"]) == 2
    assert result["ratio"]["min"] <= result["ratio"]["median"] <= result["ratio"]["max"]
    # Same initial weights, data and steps: the two arms end at (nearly) the same error.
    ours = result["test_error"]["aelib"]["squared_error_per_image"]
    plain = result["test_error"]["plain"]["squared_error_per_image"]
    assert ours == pytest.approx(plain, rel=1e-3)


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="model must be"):
        suite.training_pairs("mlp", "float32", rounds=1, quick=True)
    with pytest.raises(SystemExit):
        run.main(["--backends", "torch"])


# ---------------------------------------------------------------- the committed results
RECORD = RESULTS / "training.json"
RUN_KEYS = {"model", "backend", "precision", "ratio", "ratio_min", "ratio_max", "fraction_of_peak"}


@pytest.fixture(scope="module")
def record():
    if not RECORD.exists():
        pytest.fail("benchmarks/results/training.json is missing: run `make bench`")
    return json.loads(RECORD.read_text())


def test_the_record_keeps_the_results_contract(record):
    assert not record["quick"], "the committed benchmark is a quick run: run `make bench`"
    combos = {(r["model"], r["backend"], r["precision"]) for r in record["runs"]}
    for model in ("hinton_dense", "red_net"):
        assert {(model, "tensorflow", "float32"), (model, "jax", "float32")} <= combos
        assert (model, "tensorflow", "mixed_bfloat16") in combos
    for entry in record["runs"]:
        assert RUN_KEYS <= set(entry)
        assert entry["ratio_min"] <= entry["ratio"] <= entry["ratio_max"]
        assert 0 < entry["fraction_of_peak"] < 1.5
    assert {c["model"] for c in record["bfloat16"]} == {"hinton_dense", "red_net"}


def test_the_record_was_made_by_the_current_benchmark_code(record):
    assert record["source_sha256"] == run.source_sha256(), (
        "benchmarks/results/ is stale: the benchmark code changed since it was recorded; "
        "run `make bench` again"
    )


def test_the_other_records_exist(record):
    rbm = json.loads((RESULTS / "rbm.json").read_text())
    likelihood = json.loads((RESULTS / "likelihood.json").read_text())
    for result in (rbm, likelihood):
        assert result["source_sha256"] == record["source_sha256"]
    assert set(rbm["runs"]) == {"tensorflow", "jax"}
    assert likelihood["tensorflow"]["k"] == 5000
    assert likelihood["tensorflow"]["n_images"] == 10_000


def test_a_plain_keras_model_is_left_in_float32():
    # The benchmark builds the plain model under the precision and restores the policy.
    with suite._dtype_policy("mixed_bfloat16"):
        assert keras.config.dtype_policy().name == "mixed_bfloat16"
    assert keras.config.dtype_policy().name == "float32"


def test_the_codec_record_is_current_and_complete():
    from benchmarks import codec

    result = json.loads((RESULTS / "codec.json").read_text())
    assert not result["quick"], "the committed codec benchmark is a quick run: run `make bench`"
    assert result["source_sha256"] == codec.source_sha256(), (
        "benchmarks/results/codec.json is stale: benchmarks/codec.py changed; run `make bench`"
    )
    pair = result["codec"]
    assert pair["n_images"] == 24
    for name in ("ae_factorized", "jpeg2000"):
        for direction in ("encode", "decode"):
            summary = pair["seconds_per_image"][name][direction]
            assert 0 < summary["min"] <= summary["median"] <= summary["max"]
    # JPEG 2000 ran at the learned codec's mean rate (its rate control lands just below).
    assert abs(pair["bpp"]["jpeg2000"] / pair["bpp"]["ae_factorized"] - 1) < 0.03
