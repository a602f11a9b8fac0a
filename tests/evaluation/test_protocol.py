"""The evaluation protocol with stubs, aelib.PCA and scikit-learn detectors."""

import json

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.svm import OneClassSVM

from aelib import PCA, evaluation, metrics
from aelib.evaluation import compare, evaluate


class Halver:
    """Reconstructs every sample as half of itself; has no score_samples."""

    def reconstruct(self, x):
        return 0.5 * np.asarray(x)


class Scorer:
    """Scores a sample by minus its mean; has no reconstruct."""

    def score_samples(self, x):
        return -np.asarray(x).reshape(len(x), -1).mean(axis=1)


@pytest.fixture
def data(rng):
    """60 normal samples near a 2-D subspace of R^8, then 20 anomalies off it, all in [0, 1]."""
    basis = rng.normal(size=(2, 8))
    normal = 0.5 + 0.05 * (rng.normal(size=(80, 2)) @ basis) + 0.005 * rng.normal(size=(80, 8))
    anomalies = rng.random((20, 8))
    x = np.clip(np.concatenate([normal, anomalies]), 0, 1)
    labels = np.r_[np.zeros(80, dtype=int), np.ones(20, dtype=int)]
    return x[:60], x[60:], labels[60:]


def test_stub_reconstruction_metrics_by_hand():
    x = np.full((2, 4), 0.2)
    result = evaluate(Halver(), x)
    # Each sample: 4 pixels off by 0.1 -> 0.04; MSE 0.01 -> 20 dB.
    assert result == {"squared_error": pytest.approx(0.04), "psnr": pytest.approx(20.0)}
    assert list(result) == ["squared_error", "psnr"]
    assert all(type(v) is float for v in result.values())


def test_stub_scores_give_auroc_by_hand():
    x = np.array([[0.1], [0.2], [0.9], [0.3]])
    labels = [0, 0, 1, 1]
    # anomaly score = mean: 0.9 beats both normals, 0.3 beats both: AUROC 1.
    assert evaluate(Scorer(), x, labels=labels) == {"auroc": 1.0}
    assert evaluate(Scorer(), x, labels=[1, 0, 0, 0]) == {"auroc": 0.0}


def test_requested_metric_the_method_cannot_produce_is_named():
    x = np.full((4, 2), 0.5)
    with pytest.raises(
        ValueError, match=r"method \(Halver\) has no score_samples\(\), which 'auroc'"
    ):
        evaluate(Halver(), x, labels=[0, 1, 0, 1], metrics=("psnr", "auroc"))
    with pytest.raises(
        ValueError, match=r"scorer \(Scorer\) has no reconstruct\(\), which 'squared_error', 'psnr'"
    ):
        compare({"halver": Halver(), "scorer": Scorer()}, x, metrics=("squared_error", "psnr"))


def test_argument_errors():
    x = np.full((4, 2), 0.5)
    with pytest.raises(ValueError, match="unknown"):
        evaluate(Halver(), x, metrics=("mse",))
    with pytest.raises(ValueError, match="needs labels"):
        evaluate(Scorer(), x, metrics="auroc")
    with pytest.raises(ValueError, match="at least one metric"):
        evaluate(Halver(), x, metrics=())
    with pytest.raises(ValueError, match="non-empty dict"):
        compare({}, x)
    with pytest.raises(ValueError, match="keyed by strings"):
        compare({1: Halver()}, x)
    with pytest.raises(ValueError, match="x must be a non-empty batch"):
        evaluate(Halver(), np.zeros((0, 2)))
    with pytest.raises(ValueError, match="same length"):
        evaluate(Scorer(), x, labels=[0, 1])
    with pytest.raises(
        ValueError, match=r"bare \(object\) has neither reconstruct\(\) nor score_samples"
    ):
        compare({"bare": object()}, x)


def test_methods_returning_the_wrong_size_are_named():
    class Bad:
        def reconstruct(self, x):
            return np.zeros((len(x), 3))

        def score_samples(self, x):
            return np.zeros((len(x), 1))

    x = np.full((4, 2), 0.5)
    with pytest.raises(ValueError, match=r"bad.reconstruct\(x\) returned shape \(4, 3\)"):
        compare({"bad": Bad()}, x)
    with pytest.raises(
        ValueError, match=r"bad.score_samples\(x\) must return one score per sample"
    ):
        compare({"bad": Bad()}, x, labels=[0, 1, 0, 1], metrics=["auroc"])


def test_flat_reconstructions_of_image_input_are_accepted(rng):
    class Flat:
        def reconstruct(self, x):
            return np.asarray(x).reshape(len(x), -1)

    x = rng.random((3, 4, 4))
    assert evaluate(Flat(), x, metrics=["squared_error"]) == {"squared_error": 0.0}


def test_pca_and_isolation_forest_compared(data):
    train, x, labels = data
    pca = PCA(2).fit(train)
    forest = IsolationForest(random_state=0).fit(train)
    ocsvm = OneClassSVM(gamma="scale", nu=0.1).fit(train)
    table = compare(
        {"PCA-2": pca, "isolation forest": forest, "one-class SVM": ocsvm}, x, labels=labels
    )

    assert list(table) == ["PCA-2", "isolation forest", "one-class SVM"]
    for row in table.values():
        assert list(row) == ["squared_error", "psnr", "auroc"]
    assert table["PCA-2"]["squared_error"] == pytest.approx(
        metrics.average_squared_error(x, pca.reconstruct(x)), rel=1e-12
    )
    assert table["PCA-2"]["psnr"] == pytest.approx(metrics.psnr(x, pca.reconstruct(x)), rel=1e-12)
    assert table["PCA-2"]["auroc"] == pytest.approx(roc_auc_score(labels, -pca.score_samples(x)))
    assert table["isolation forest"] == {
        "squared_error": None,
        "psnr": None,
        "auroc": pytest.approx(roc_auc_score(labels, -forest.score_samples(x))),
    }
    assert table["one-class SVM"]["auroc"] == pytest.approx(
        roc_auc_score(labels, -ocsvm.score_samples(x))
    )
    # The anomalies lie off the normal subspace: both detectors find them.
    assert table["PCA-2"]["auroc"] > 0.95
    assert table["isolation forest"]["auroc"] > 0.8
    json.loads(json.dumps(table, allow_nan=False))  # plain floats and None
    assert all(type(v) in (float, type(None)) for row in table.values() for v in row.values())


def test_without_labels_no_auroc_column(data):
    train, x, _ = data
    table = compare(
        {"PCA-2": PCA(2).fit(train), "forest": IsolationForest(random_state=0).fit(train)}, x
    )
    assert table["forest"] == {"squared_error": None, "psnr": None}
    only_detectors = compare(
        {"forest": IsolationForest(random_state=0).fit(train)},
        x,
        labels=np.r_[np.zeros(20), np.ones(20)],
    )
    assert list(only_detectors["forest"]) == ["auroc"]


def test_image_batches_are_flattened_for_sklearn_detectors(rng):
    images = rng.random((40, 4, 4))
    labels = np.r_[np.zeros(30), np.ones(10)]
    forest = IsolationForest(random_state=0).fit(images[:30].reshape(30, -1))
    pca = PCA(3).fit(images[:30])
    table = compare({"PCA": pca, "forest": forest}, images, labels=labels)
    assert table["forest"]["auroc"] == pytest.approx(
        roc_auc_score(labels, -forest.score_samples(images.reshape(40, -1)))
    )
    assert table["PCA"]["auroc"] == pytest.approx(roc_auc_score(labels, -pca.score_samples(images)))


def test_ssim_via_image_shape(rng):
    x = rng.random((5, 144))
    pca = PCA(3).fit(x)
    result = evaluate(pca, x, metrics=("psnr", "ssim"), image_shape=(12, 12))
    assert list(result) == ["psnr", "ssim"]
    assert result["ssim"] == pytest.approx(
        metrics.ssim(x.reshape(5, 12, 12), pca.reconstruct(x).reshape(5, 12, 12)), rel=1e-12
    )
    with pytest.raises(ValueError, match="image_shape"):
        evaluate(pca, x, metrics=("ssim",), image_shape=(11, 11))
    with pytest.raises(ValueError, match="reshape flat images first"):
        evaluate(pca, x, metrics=("ssim",))


def test_value_range_and_data_range_are_passed_on(rng):
    x = rng.normal(size=(30, 6))  # standardized data: outside [0, 1]
    pca = PCA(2).fit(x)
    with pytest.raises(ValueError, match="value_range=None"):
        evaluate(pca, x, metrics=["squared_error"])
    result = evaluate(pca, x, metrics=["squared_error", "psnr"], value_range=None, data_range=2.0)
    assert result["squared_error"] == pytest.approx(pca.reconstruction_error(x).mean())
    assert result["psnr"] == pytest.approx(metrics.psnr(x, pca.reconstruct(x), data_range=2.0))


def test_exported_names():
    assert evaluation.compare is compare and evaluation.evaluate is evaluate
    assert evaluation.METRICS == ("squared_error", "psnr", "ssim", "ms_ssim", "auroc")
    assert set(evaluation.DEFAULT_METRICS) <= set(evaluation.METRICS)


def test_an_autoencoder_pca_and_a_scikit_learn_detector_in_one_comparison(rng):
    """The point of the protocol: a Keras autoencoder beside the baselines, one function."""
    from aelib import Autoencoder, builders, fit

    normal = rng.normal(0.5, 0.05, size=(200, 8)).clip(0, 1).astype("float32")
    anomalous = rng.random((50, 8)).astype("float32")
    x = np.concatenate([normal[150:], anomalous])
    labels = np.r_[np.zeros(50), np.ones(50)]
    model = Autoencoder(
        builders.dense_encoder(8, [], 2),
        builders.dense_decoder(2, [], 8, output_activation="linear"),
    )
    fit(model, normal[:150], epochs=30, batch_size=32, learning_rate=1e-2, verbose=0)
    methods = {
        "autoencoder": model,
        "pca": PCA(2).fit(normal[:150]),
        "isolation_forest": IsolationForest(random_state=0).fit(normal[:150]),
    }
    table = compare(methods, x, labels=labels)
    assert list(table) == ["autoencoder", "pca", "isolation_forest"]
    for name, method in methods.items():
        expected = roc_auc_score(labels, -method.score_samples(x))
        assert table[name]["auroc"] == pytest.approx(expected)
    expected_error = metrics.average_squared_error(x, model.reconstruct(x))
    assert table["autoencoder"]["squared_error"] == pytest.approx(expected_error)
    assert table["isolation_forest"]["squared_error"] is None
    json.dumps(table)  # JSON-ready
