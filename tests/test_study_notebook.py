"""Each study notebook stops in the cell after its parameters when given a bad profile or value.

Runs the real notebook through papermill (about 10 s: a kernel starts and imports Keras).
"""

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
def test_bad_parameters_stop_the_first_cell(tmp_path, study, parameters, message):
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
