"""Each study notebook stops in the cell after its parameters when given a bad profile or value.

The cases run the notebook's own two first code cells (its parameters, then the cell that
checks them) in this process, with the bad values set between the two, as papermill's injected
cell sets them. One case runs the whole notebook through papermill, as CI's execute step does,
to check that path end to end (about 10 s: a kernel starts and imports Keras); a kernel for
every case would cost CI a couple of minutes.
"""

import re
from pathlib import Path

import jupytext
import papermill
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "study, parameters, message",
    [
        ("hinton_pca", {"profile": "huge"}, "profile must be one of ['smoke', 'full'], got 'huge'"),
        (
            "hinton_pca",
            {"profile": "smoke", "epochs": -3},
            "parameter 'epochs' must be a positive integer",
        ),
        (
            "denoising",
            {"profile": "smoke", "blind_rounds": 0},
            "parameter 'blind_rounds' must be a positive integer",
        ),
        (
            "vae_likelihood",
            {"profile": "smoke", "eval_k": 0},
            "parameter 'eval_k' must be a positive integer",
        ),
        (
            "vae_likelihood",
            {"profile": "smoke", "models": "vae_k1,vae_k2"},
            "models must be a comma-separated list of distinct keys",
        ),
        ("anomaly", {"profile": "smoke", "n_classes": 11}, "n_classes must be at most 10"),
        (
            "semantic_hashing",
            {"profile": "smoke", "code_bits": [8, 16]},
            "code_bits must be distinct and include 32",
        ),
        (
            "semantic_hashing",
            {"profile": "smoke", "pretrain_epochs": 0},
            "parameter 'pretrain_epochs' must be a positive integer",
        ),
        (
            "compression",
            {"profile": "smoke", "lambdas": [0.01, 0.02, 0.04]},
            "lambdas must hold at least 4 values in increasing order",
        ),
        ("compression", {"profile": "smoke", "n_kodak": 25}, "n_kodak must be 1..24"),
        (
            "anomaly",
            {"profile": "smoke", "n_seeds": 0},
            "parameter 'n_seeds' must be a positive integer",
        ),
    ],
)
def test_bad_parameters_stop_the_cell_after_the_parameters(
    tmp_path, monkeypatch, study, parameters, message
):
    source = ROOT / "studies" / study / f"{study}.md"
    code_cells = [c for c in jupytext.read(source).cells if c.cell_type == "code"]
    parameters_cell, checking_cell = code_cells[0], code_cells[1]
    assert "parameters" in parameters_cell.metadata.get("tags", [])
    results = tmp_path / "results.json"
    monkeypatch.chdir(source.parent)  # where papermill runs the notebook
    namespace = {}
    exec(compile(parameters_cell.source, f"{study}: parameters", "exec"), namespace)
    namespace.update(parameters, results_path=str(results))  # the injected cell's work
    with pytest.raises(ValueError, match=re.escape(message)):
        exec(compile(checking_cell.source, f"{study}: checking cell", "exec"), namespace)
    assert not results.exists()


def test_papermill_injects_the_parameters_and_the_checking_cell_stops_the_notebook(tmp_path):
    study = "hinton_pca"
    parameters = {"profile": "smoke", "epochs": -3}
    message = "parameter 'epochs' must be a positive integer"
    source = ROOT / "studies" / study / f"{study}.md"
    nb = jupytext.read(source)
    results = tmp_path / "results.json"
    parameters = {**parameters, "results_path": str(results)}
    with pytest.raises(papermill.PapermillExecutionError) as error:
        papermill.execute_notebook(
            nb,
            str(tmp_path / "out.ipynb"),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(source.parent),
            progress_bar=False,
        )
    assert error.value.ename == "ValueError"
    assert message in error.value.evalue
    executed = jupytext.read(tmp_path / "out.ipynb")
    code_cells = [c for c in executed.cells if c.cell_type == "code"]
    tags = [c.metadata.get("tags", []) for c in code_cells]
    failed = next(
        i
        for i, c in enumerate(code_cells)
        if any(o.get("output_type") == "error" for o in c.outputs)
    )
    # parameters, injected-parameters, then the checking cell: the first one that runs aelib code
    assert "parameters" in tags[0] and "injected-parameters" in tags[1]
    assert failed == 2
    assert not results.exists()
