"""The recorded full-profile run of studies/hinton_pca: its MNIST claims, and that it is current.

The book shows `studies/hinton_pca.ipynb`, a `full` run whose numbers are in
`studies/results/hinton_pca.json`. These tests read those two files (they run nothing) and fail
when the claims of Hinton & Salakhutdinov (2006) that the study reproduces do not hold in the
record, or when the record was made by notebook code other than the current source.
"""

import json
from pathlib import Path

import nbformat
import pytest

from aelib import study

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "studies" / "hinton_pca.md"
NOTEBOOK = ROOT / "studies" / "hinton_pca.ipynb"
RESULTS = ROOT / "studies" / "results" / "hinton_pca.json"

PAPER_DEEP_AE = 3.00  # MNIST, 784-1000-500-250-30, pretrained and fine-tuned
PAPER_PCA = 13.87  # MNIST, PCA-30
PCA_TOLERANCE = 0.2


@pytest.fixture(scope="module")
def record():
    return json.loads(RESULTS.read_text())


@pytest.fixture(scope="module")
def notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_record_is_a_full_profile_run_of_the_papers_mnist_setup(record):
    parameters = record["parameters"]
    assert parameters["profile"] == "full"
    assert parameters["mnist_layers"] == [784, 1000, 500, 250, 30]
    assert parameters["n_train"] == 60_000
    assert parameters["rbm_epochs"] == 50
    assert isinstance(parameters["seed"], int)
    assert record["wall_time_s"] > 0
    assert record["environment"]["backend"] in ("tensorflow", "jax")
    assert record["git"]["commit"] and record["git"]["dirty"] is False


def test_the_pretrained_deep_autoencoder_reaches_the_papers_error(record):
    assert record["metrics"]["mnist"]["deep_ae_pretrained"] <= PAPER_DEEP_AE


def test_pca_30_matches_the_paper_so_the_metric_is_the_papers(record):
    assert abs(record["metrics"]["mnist"]["pca"] - PAPER_PCA) <= PCA_TOLERANCE


def test_the_record_was_made_by_the_current_notebook_code(record):
    assert record["extra"]["source_sha256"] == study.notebook_source_sha256(SOURCE), (
        "studies/hinton_pca.md's code changed after the recorded run; re-run the full profile "
        "(python tools/notebooks.py execute --profile full --only hinton_pca)"
    )


def test_the_book_shows_that_run(record, notebook):
    assert notebook.metadata["papermill"]["parameters"]["profile"] == "full"
    assert study.notebook_source_sha256(NOTEBOOK) == record["extra"]["source_sha256"]
    # The numbers printed by the notebook's last cell are the recorded ones, not typed in.
    last_code = [c for c in notebook.cells if c.cell_type == "code"][-1]
    printed = "".join(o.get("text", "") for o in last_code.outputs if o.get("output_type") == "stream")
    mnist = record["metrics"]["mnist"]
    for key in ("pca", "linear_ae", "deep_ae_pretrained", "deep_ae_joint"):
        assert f"{mnist[key]:.2f}" in printed, key
    for key in ("deep_ae", "pca_6", "pca_18"):
        assert f"{record['metrics']['curves'][key]:.2f}" in printed, key
    for key in ("deep_ae", "pca"):
        assert f"{record['metrics']['faces'][key]:.2f}" in printed, key
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
              if o.get("output_type") == "error"]
    assert not errors
