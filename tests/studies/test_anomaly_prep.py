"""The anomaly-detection study's protocol (studies/anomaly/prep.py): Ruff et al.'s
preprocessing, the one-class splits, the exact KDE, the baselines' choices, the scoring function
and the tables."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import logsumexp
from sklearn.neighbors import KernelDensity

import aelib

PREP = Path(__file__).resolve().parents[2] / "studies" / "anomaly" / "prep.py"
spec = importlib.util.spec_from_file_location("anomaly_prep", PREP)
prep = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = prep  # a dataclass looks its module up there
spec.loader.exec_module(prep)


def test_global_contrast_normalization_by_hand():
    # Image [1, 2, 3, 6]: mean 3, deviations [-2, -1, 0, 3], mean |deviation| 6/4 = 1.5.
    out = prep.global_contrast_normalization(np.array([[[1.0, 2.0], [3.0, 6.0]]]))
    np.testing.assert_allclose(out, [[[-2 / 1.5, -1 / 1.5], [0.0, 2.0]]])
    # Invariant to the brightness and contrast of each image; a flat image stays 0, not NaN.
    rng = np.random.default_rng(0)
    x = rng.random((3, 28, 28))
    np.testing.assert_allclose(
        prep.global_contrast_normalization(5 * x + 7), prep.global_contrast_normalization(x)
    )
    assert np.all(prep.global_contrast_normalization(np.full((1, 4), 9.0)) == 0.0)


def test_the_one_class_split_follows_ruffs_protocol():
    split = prep.one_class_split("mnist", 7, val_fraction=0.1, seed=0)
    (_, y_train), (_, y_test) = aelib.data.mnist()
    n_normal = int(np.sum(y_train == 7))
    assert len(split.x_train) + len(split.x_val) == n_normal
    assert len(split.x_val) == round(0.1 * n_normal)
    # The whole test set: the nine other digits are the anomalies.
    assert split.x_test.shape == (10_000, 28, 28, 1) and split.x_test.dtype == np.float32
    np.testing.assert_array_equal(split.labels, (y_test != 7).astype(int))
    # Min-max scaling fitted on the normal training images alone.
    assert split.x_train.min() == 0.0 and split.x_train.max() == 1.0
    assert split.x_val.min() >= -0.01 and split.x_test.max() > 1.0  # others can fall outside
    # The scaling is the same for all three: the raw test image maps back to its GCN values.
    raw = prep.global_contrast_normalization(aelib.data.mnist()[1][0][:1].astype(float))
    np.testing.assert_allclose(
        split.x_test[0, ..., 0] * (split.high - split.low) + split.low, raw[0], atol=1e-5
    )
    # The hold-out draw follows the seed, and changes with it.
    again = prep.one_class_split("mnist", 7, seed=0)
    np.testing.assert_array_equal(again.x_val, split.x_val)
    assert not np.array_equal(prep.one_class_split("mnist", 7, seed=1).x_val, split.x_val)


@pytest.mark.parametrize(
    "dataset, normal_class, message",
    [
        ("cifar10", 0, "dataset must be one of"),
        ("mnist", 10, "normal_class must be an integer"),
    ],
)
def test_bad_splits_are_named(dataset, normal_class, message):
    with pytest.raises(ValueError, match=message):
        prep.one_class_split(dataset, normal_class)


def test_fashion_to_mnist_puts_the_digits_last_as_anomalies():
    split = prep.fashion_to_mnist_split(n_train=1_000, n_test=300)
    assert split.x_test.shape == (600, 28, 28, 1)
    np.testing.assert_array_equal(split.labels, np.r_[np.zeros(300), np.ones(300)])
    assert len(split.x_train) == 900 and len(split.x_val) == 100


def test_the_exact_kde_is_scikit_learns_kernel_density():
    rng = np.random.default_rng(1)
    train, test = rng.normal(size=(300, 20)), rng.normal(size=(50, 20))
    for bandwidth in (0.5, 1.0, 3.0):
        ours = prep.GaussianKDE(bandwidth).fit(train).score_samples(test, chunk=7)
        squared = ((test[:, None, :] - train[None]) ** 2).sum(-1)
        brute = (
            logsumexp(-squared / (2 * bandwidth**2), axis=1)
            - np.log(300)
            - 10 * np.log(2 * np.pi * bandwidth**2)
        )
        np.testing.assert_allclose(ours, brute, rtol=1e-12)
        if bandwidth >= 1.0:
            # At narrow kernels scikit-learn's tree estimate loses up to 20 nats here (its
            # kernel sums underflow); where it is accurate, the two agree.
            theirs = KernelDensity(bandwidth=bandwidth).fit(train).score_samples(test)
            np.testing.assert_allclose(ours, theirs, rtol=1e-8)
    # A one-point KDE in 2-D is the normal density: log N(x; 0, h^2 I) at x = (1, 0), h = 2.
    value = prep.GaussianKDE(2.0).fit(np.zeros((1, 2))).score_samples(np.array([[1.0, 0.0]]))
    assert value[0] == pytest.approx(-np.log(2 * np.pi * 4) - 1 / 8)
    with pytest.raises(ValueError, match="bandwidth must be a finite number > 0"):
        prep.GaussianKDE(0.0)


def test_the_bandwidth_is_chosen_on_normal_validation_data():
    # Points spread with standard deviation 1: a kernel far narrower or wider fits worse.
    rng = np.random.default_rng(2)
    train, val = rng.normal(size=(2_000, 2)), rng.normal(size=(500, 2))
    chosen, scores = prep.choose_bandwidth(train, val, (0.01, 0.3, 30.0))
    assert chosen == 0.3 and scores[0.3] > max(scores[0.01], scores[30.0])


def test_pca_keeps_the_components_that_explain_the_asked_variance():
    # Variances 16, 4, 1 and 0.01 along the axes: the first explains 16/21.01 = 76 %, two 95 %.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(20_000, 4)) * [4.0, 2.0, 1.0, 0.1]
    assert prep.pca_components(x, 0.7) == 1
    assert prep.pca_components(x, 0.9) == 2
    assert prep.pca_components(x, 0.99) == 3


def test_one_function_scores_every_detector_and_flattens_for_scikit_learn():
    split = prep.one_class_split("mnist", 1, n_train=200, n_test=400)
    detectors, chosen = prep.baselines(split, seed=0)
    assert set(detectors) == {"pca", "ocsvm", "isolation_forest", "kde"}
    assert chosen["kde_bandwidth"] in prep.BANDWIDTHS and chosen["pca_components"] >= 1
    table = prep.auroc_table(detectors, split)
    scores = prep.scores(detectors, split.x_test)
    for name, value in table.items():
        assert value == pytest.approx(aelib.metrics.auroc(split.labels, -scores[name]))
        assert value > 0.8, name  # ones are easy to tell from the other digits


def test_the_lenet_networks_have_no_bias_and_mirror_each_other():
    encoder, decoder = prep.lenet_encoder(), prep.lenet_decoder()
    assert aelib.bias_layers(encoder) == []
    assert encoder.output_shape == (None, 32) and decoder.output_shape == (None, 28, 28, 1)
    # Ruff et al.'s weights: 5*5*1*8 + 5*5*8*4 + 196*32 (nothing else is trainable).
    assert sum(int(np.prod(w.shape)) for w in encoder.trainable_weights) == 200 + 800 + 6272


def test_summaries_and_tables_by_hand():
    summary = prep.summarize({"ae": {0: [0.6, 0.8], 1: [1.0, 0.8]}, "pca": {0: [0.5], 1: [0.7]}})
    # Class means 0.7 and 0.9; the seeds' class-means 0.8 and 0.8, so no spread over seeds.
    assert summary["ae"]["per_class"] == pytest.approx([0.7, 0.9])
    assert summary["ae"]["mean"] == pytest.approx(0.8) and summary["ae"]["std"] == pytest.approx(0)
    assert summary["ae"]["std_per_class"] == pytest.approx([0.1, 0.1])
    assert summary["pca"]["std"] is None and summary["pca"]["mean"] == pytest.approx(0.6)
    lines = prep.markdown_table(summary, [0, 1]).splitlines()
    assert lines[0] == "| detector | 0 | 1 | mean |"
    assert lines[2] == "| ae | 0.700 | 0.900 | **0.800** ± 0.000 |"
    assert lines[3] == "| pca | 0.500 | 0.700 | **0.600** |"
