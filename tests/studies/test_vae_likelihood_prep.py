"""The VAE likelihood study's protocol: the seeded test binarization, the learning-rate schedule,
the model and the count of active units (studies/vae_likelihood/prep.py)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

PREP = Path(__file__).resolve().parents[2] / "studies" / "vae_likelihood" / "prep.py"
spec = importlib.util.spec_from_file_location("vae_likelihood_prep", PREP)
prep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(prep)


def test_the_schedule_has_burdas_learning_rates():
    stages = prep.schedule(3)
    assert [epochs for epochs, _ in stages] == [3] * 8
    # Stage i (from 1) runs at 1e-3 * 10^(-(i-1)/7): 1e-3 at the first, 1e-4 at the eighth.
    rates = [rate for _, rate in stages]
    assert rates[0] == pytest.approx(1e-3) and rates[-1] == pytest.approx(1e-4)
    np.testing.assert_allclose(np.diff(np.log10(rates)), -1 / 7)
    assert prep.PAPER_EPOCHS == 3_280  # 1 + 3 + ... + 3^7
    with pytest.raises(ValueError, match="epochs_per_stage must be a positive integer"):
        prep.schedule(0)


def test_the_test_digits_are_binarized_once_from_the_seed():
    x_train, x_test = prep.load_mnist(seed=0, n_train=500, n_test=2000)
    assert x_train.shape == (500, 784) and x_train.dtype == np.float32
    assert 0.0 <= x_train.min() and x_train.max() == 1.0 and len(np.unique(x_train)) > 2
    assert set(np.unique(x_test)) == {0.0, 1.0}
    again = prep.load_mnist(seed=0, n_train=10, n_test=2000)[1]
    np.testing.assert_array_equal(x_test, again)
    other = prep.load_mnist(seed=1, n_train=10, n_test=2000)[1]
    assert 0 < (other != x_test).mean() < 0.05  # only the grey pixels differ
    # A pixel is on with probability its grey level: the means agree over 1.5 million pixels.
    import aelib

    grey = aelib.data.mnist()[1][0][:2000].reshape(2000, -1) / 255.0
    assert x_test.mean() == pytest.approx(grey.mean(), abs=1e-3)
    np.testing.assert_array_equal(x_test[grey == 0], 0.0)
    np.testing.assert_array_equal(x_test[grey == 1], 1.0)


def test_the_model_is_burdas_one_layer_network():
    model = prep.build(k=5, bound="importance_weighted", seed=0)()
    model.build((None, 784))
    widths = [layer.units for layer in model.encoder.layers if hasattr(layer, "units")]
    assert widths == [200, 200, 100]  # mean and log-variance of 50 latent units
    widths = [layer.units for layer in model.decoder.layers if hasattr(layer, "units")]
    assert widths == [200, 200, 784]
    assert (model.k, model.bound, model.binarize, model.likelihood) == (
        5,
        "importance_weighted",
        True,
        "bernoulli",
    )


class _FixedEncoder:
    """A stand-in with `transform`: posterior means whose variances are known."""

    def __init__(self, means):
        self.means = means

    def transform(self, x, batch_size=None):
        return self.means


def test_active_units_count_the_dimensions_whose_mean_varies():
    rng = np.random.default_rng(0)
    scales = np.array([1.0, 0.2, 0.05, 0.001, 0.0])  # variances 1, 0.04, 0.0025, 1e-6, 0
    means = rng.standard_normal((100_000, 5)) * scales
    count, variances = prep.active_units(_FixedEncoder(means), None)
    np.testing.assert_allclose(variances, scales**2, rtol=0.02, atol=1e-9)
    assert count == 2  # only variances above 0.01
