"""Every public name of aelib 0.1 still works in 0.2, where the library is grouped by kind."""

import importlib

import pytest

import aelib

# `aelib.__all__` of 0.1, and the modules a chapter reached as attributes of `aelib`.
NAMES_OF_0_1 = [
    "PCA",
    "RBM",
    "Autoencoder",
    "ConcreteAutoencoder",
    "ConcreteSelector",
    "ContractiveAutoencoder",
    "DenoisingAutoencoder",
    "GaussianNoise",
    "KSparse",
    "MaskingNoise",
    "SaltAndPepperNoise",
    "Sampling",
    "SparseAutoencoder",
    "SparsityPenalty",
    "VariationalAutoencoder",
    "builders",
    "deep_autoencoder",
    "fine_tune",
    "fit",
    "k_sparse_encoder",
    "metrics",
    "pretrain_stack",
    "reconstruction_error",
    "seed_everything",
    "train_rbm",
    "unroll",
    "datasets",
    "curves",
    "augmentation",
    "training",
    "study",
]


@pytest.mark.parametrize("name", NAMES_OF_0_1)
def test_a_name_of_0_1_is_still_there(name):
    assert getattr(aelib, name) is not None


@pytest.mark.parametrize(
    "name, home",
    [
        ("Autoencoder", "aelib.models.autoencoder"),
        ("SparseAutoencoder", "aelib.models.sparse"),
        ("RBM", "aelib.models.rbm"),
        ("PCA", "aelib.baselines.pca"),
        ("deep_autoencoder", "aelib.models.deep"),
        ("fit", "aelib.training"),
        ("ImportanceWeightedAutoencoder", "aelib.models.importance_weighted"),
    ],
)
def test_each_name_comes_from_the_module_of_its_kind(name, home):
    assert getattr(aelib, name) is getattr(importlib.import_module(home), name)


def test_the_0_1_modules_reached_as_attributes_have_their_functions():
    assert aelib.datasets.mnist is aelib.data.mnist
    assert aelib.metrics.psnr is aelib.evaluation.metrics.psnr
    assert aelib.curves.make_curves is aelib.data.curves.make_curves
    assert callable(aelib.augmentation.random_similarity_transforms)
    assert set(aelib.__all__) <= set(dir(aelib))
