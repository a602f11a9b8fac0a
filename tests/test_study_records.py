"""Every committed study record: its declared claims, and that it is current.

Each study keeps its recorded run in ``studies/NAME/results*.json`` beside the executed notebook
the book shows. These tests read those files (they run nothing) and fail when a claim the study
declared as one that must hold does not hold in the record, when the recorded outcome of any
claim disagrees with the numbers, when the record was made by code other than the current
notebook and its helpers (the record is then stale: re-run the study's full profile), or when
the notebook does not show that record.
"""

import ast
import json
import subprocess
import warnings
from pathlib import Path

import nbformat
import pytest

from aelib import study

ROOT = Path(__file__).resolve().parent.parent
RECORDS = sorted(
    p for p in ROOT.glob("studies/*/results*.json") if not p.name.endswith(".smoke.json")
)


def _id(path):
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(params=RECORDS, ids=_id)
def recorded(request):
    path = request.param
    record = json.loads(path.read_text())
    return path, record


def test_there_is_a_record_per_study():
    studies = {p.parent.name for p in ROOT.glob("studies/*/*.md")}
    assert studies <= {p.parent.name for p in RECORDS}, "a study without a recorded run"


def test_the_record_is_a_clean_full_profile_run(recorded):
    path, record = recorded
    assert record["study"] == path.parent.name
    assert record["parameters"]["profile"] == "full", "only a full run is a record"
    assert isinstance(record["parameters"]["seed"], int)
    assert record["wall_time_s"] > 0
    assert record["environment"]["backend"] in ("tensorflow", "jax")
    assert record["git"]["commit"] and record["git"]["dirty"] is False, (
        "the record must come from a committed, clean tree"
    )
    assert record["extra"]["timings_s"], "stage timings are part of the record"


def test_every_declared_claim_is_evaluated_right_and_the_required_ones_hold(recorded):
    _, record = recorded
    metrics = study.flat_metrics(record["metrics"])
    paper = record["extra"]["paper"]
    claims = record["extra"]["claims"]
    assert claims, "a study declares the claims it checks"
    for claim in claims:
        holds = study.evaluate_claim(claim, metrics, paper)
        assert holds == claim["holds"], f"recorded outcome is wrong: {claim['statement']}"
        if claim["must_hold"]:
            assert holds, f"claim does not hold in the record: {claim['statement']}"


def test_the_record_was_made_by_the_current_code(recorded):
    path, record = recorded
    folder = path.parent
    extra = record["extra"]
    source = folder / extra["source"]
    helpers = [folder / name for name in extra["helpers"]]
    # The same code reformatted (lines wrapped, comments) is still the code that ran.
    current, reason = study.recorded_code_is_current(record, source, helpers)
    assert current, (
        f"{source.relative_to(ROOT)} or its helpers changed after the recorded run ({reason}): "
        f"the record is stale; re-run its full profile (python tools/notebooks.py execute "
        f"--profile full --only {folder.name})"
    )


def test_the_book_shows_that_run(recorded):
    path, record = recorded
    folder = path.parent
    extra = record["extra"]
    notebook_path = (folder / extra["source"]).with_suffix(".ipynb")
    notebook = nbformat.read(notebook_path, as_version=4)
    assert notebook.metadata["papermill"]["parameters"]["profile"] == "full"
    helpers = [folder / name for name in extra["helpers"]]
    current, reason = study.recorded_code_is_current(record, notebook_path, helpers)
    assert current, f"{notebook_path.name} does not show the recorded run: {reason}"
    # Its code is the Markdown source's, character for character (prose and layout included).
    assert study.notebook_code_cells(notebook_path) == study.notebook_code_cells(
        folder / extra["source"]
    )
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("output_type") == "error"
    ]
    assert not errors
    # The table the notebook shows is the one rebuilt from the record: no number typed in.
    shown = [
        o.get("data", {}).get("text/markdown", "")
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
    ]
    assert study.table_from_record(record) in [
        "".join(s) if isinstance(s, list) else s for s in shown
    ]


def library_code_without_layout(source):
    """The syntax tree of Python source without its docstrings and imports, as text: equal for
    two sources that differ only in formatting, comments, docstrings or the order and number
    of their imports (what ruff's formatter and import fixes change)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if hasattr(node, "body") and isinstance(node.body, list):
            node.body = [n for n in node.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _same_code_as_at(commit, name):
    try:
        before = subprocess.run(
            ["git", "show", f"{commit}:{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return library_code_without_layout(before) == library_code_without_layout(
            (ROOT / name).read_text()
        )
    except (OSError, subprocess.CalledProcessError, SyntaxError):
        return False  # new, deleted or unreadable: report it


def test_reformatted_code_is_the_same_code_and_a_changed_constant_is_not():
    first = 'def f(x):\n    """Twice x."""\n    return x*2  # double\n'
    reformatted = 'def f(x):\n    """Twice\n    x."""\n\n    return x * 2\n'
    assert library_code_without_layout(first) == library_code_without_layout(reformatted)
    assert library_code_without_layout(first) != library_code_without_layout(
        first.replace("2", "3")
    )
    imports = "import os\nimport sys\n\nx = 1\n"
    assert library_code_without_layout(imports) == library_code_without_layout(
        "import sys\nx = 1\n"
    )
    assert library_code_without_layout(imports) != library_code_without_layout("import os\nx = 2\n")


def test_library_changes_since_the_record_are_reported(recorded):
    """The record's hash covers the notebook and its helpers; a change in aelib since the
    recorded commit may change the numbers too, so the test names the changed modules (as a
    warning: most library changes, a docstring or a new function, leave a study's numbers as
    they are, and rerunning every study for each would be hours of CPU)."""
    path, record = recorded
    commit = record["git"]["commit"]
    try:
        changed = subprocess.run(
            ["git", "diff", "--name-only", commit, "HEAD", "--", "aelib/*.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"the recorded commit {commit[:7]} is not in this clone's history")
    # A file whose code is the same apart from layout, comments and docstrings (a reformat)
    # computes the same: it is not named.
    changed = [name for name in changed if not _same_code_as_at(commit, name)]
    if changed:
        warnings.warn(
            f"{path.parent.name}: aelib changed since its record was made at {commit[:7]} "
            f"({', '.join(changed)}); if a change alters what the study computes, the record is "
            "stale: re-run its full profile",
            stacklevel=1,
        )


def test_hinton_pca_ran_the_papers_mnist_setup():
    record = json.loads((ROOT / "studies" / "hinton_pca" / "results.json").read_text())
    parameters = record["parameters"]
    assert parameters["mnist_layers"] == [784, 1000, 500, 250, 30]
    assert parameters["n_train"] == 60_000
    assert parameters["rbm_epochs"] == 50


def test_hinton_pca_built_the_papers_faces_and_calibrated_curves():
    record = json.loads((ROOT / "studies" / "hinton_pca" / "results.json").read_text())
    metrics, extra = record["metrics"], record["extra"]
    # The paper's 165,600 faces: 414 copies of each photograph, split by person 25 / 5 / 10.
    faces = extra["faces_data"]
    assert faces["copies"] == 414
    assert faces["people"] == {"train": [0, 25], "validation": [25, 30], "test": [30, 40]}
    assert (faces["n_train"], faces["n_test"]) == (103_500, 41_400)
    assert record["parameters"]["faces_layers"] == [625, 2000, 1000, 500, 30]
    # PCA, which involves no training, checks the construction: within 10 % of the paper's.
    assert abs(metrics["faces"]["pca"] - 135) <= 13.5
    assert abs(metrics["curves"]["pca_18"] - 5.90) <= 0.59
    # The deep autoencoder against PCA on faces: a claim the study tests without expecting it
    # to hold, recorded with the verdict its numbers give (it failed in the recorded run).
    faces_claim = next(
        c
        for c in record["extra"]["claims"]
        if c["statement"] == "the faces autoencoder beats PCA-30"
    )
    assert not faces_claim["must_hold"]
    assert faces_claim["holds"] == (metrics["faces"]["deep_ae"] < metrics["faces"]["pca"])
    # The curves were calibrated on training images only: the chosen width is the one whose
    # training PCA-18 is nearest 5.90.
    by_width = extra["curves_data"]["pca_18_training_error_by_width"]
    nearest = min(by_width, key=lambda w: abs(by_width[w] - 5.90))
    assert float(nearest) == extra["curves_data"]["stroke_width"]
    by_crop = extra["faces_data"]["pca_30_validation_error_by_crop"]
    assert int(min(by_crop, key=lambda c: abs(by_crop[c] - 135))) == faces["crop"]
    # The curves autoencoder's result is reported whatever it is; both logistic PCAs too.
    for key in ("deep_ae", "logistic_pca_6", "logistic_pca_18"):
        assert metrics["curves"][key] > 0
    assert metrics["mnist"]["logistic_pca"] > 0
    # The modern recipe was chosen on the validation images: the lowest validation error.
    recipe = extra["modern_recipe"]
    errors = recipe["validation_error"]
    assert recipe["chosen"] == min(errors, key=errors.get) and len(errors) >= 2


def test_denoising_ran_dncnns_protocol_on_whole_test_sets():
    record = json.loads((ROOT / "studies" / "denoising" / "results.json").read_text())
    per_image = record["extra"]["per_image_psnr"]
    for name, size in (("bsd68", 68), ("set12", 12)):
        assert sorted(per_image[name]) == ["15", "25", "50"]
        for sigma, by_method in per_image[name].items():
            assert {"noisy", "bm3d", "nlm"} <= set(by_method)
            for method, values in by_method.items():
                assert len(values) == size, f"{name} sigma {sigma} {method}: not every image"
                # The mean in the metrics is the mean of the per-image PSNRs.
                mean = record["metrics"][name][f"sigma_{sigma}"][method]
                assert abs(sum(values) / size - mean) < 1e-3
    # The protocol check is one the record must pass.
    bm3d_claims = [
        c for c in record["extra"]["claims"] if "bm3d" in c["metric"] and c["op"] == "within"
    ]
    assert len(bm3d_claims) == 3 and all(c["must_hold"] for c in bm3d_claims)
    assert record["parameters"]["patch_size"] >= 40


def test_vae_likelihood_ran_burdas_evaluation_on_the_whole_test_set():
    record = json.loads((ROOT / "studies" / "vae_likelihood" / "results.json").read_text())
    parameters = record["parameters"]
    assert parameters["n_train"] == 60_000 and parameters["n_test"] == 10_000
    assert parameters["eval_k"] == 5_000
    models = record["metrics"]["mnist"]
    assert "vae_k1" in models
    assert set(models) <= {"vae_k1", "vae_k5", "vae_k50", "iwae_k5", "iwae_k50"}
    # Burda et al.'s eight learning rates, 1e-3 * 10^(-i/7).
    rates = [stage["learning_rate"] for stage in record["extra"]["schedule"]]
    assert len(rates) == 8
    for i, rate in enumerate(rates):
        assert abs(rate - 1e-3 * 10 ** (-i / 7)) < 1e-12
    for key, values in models.items():
        # The 5000-sample estimate is tighter than the one-sample one (the negative ELBO).
        assert 60 < values["test_nll"] < values["test_nll_k1"], key
        assert values["active_units"] == int(values["active_units"]) <= 50
        variances = record["extra"]["posterior_mean_variances"][key]
        assert sum(v > 0.01 for v in variances) == values["active_units"]
        assert len(record["extra"]["training_curves"][key]) == 8


def test_anomaly_ran_ruffs_protocol_on_every_class_with_three_seeds():
    record = json.loads((ROOT / "studies" / "anomaly" / "results.json").read_text())
    parameters = record["parameters"]
    assert parameters["n_classes"] == 10 and parameters["n_test"] == 10_000
    assert parameters["n_seeds"] >= 3 and parameters["n_train"] >= 6_742  # every class whole
    metrics = record["metrics"]
    detectors = {
        "pca",
        "ocsvm",
        "isolation_forest",
        "kde",
        "ae_dense",
        "ae_conv",
        "ae_denoising",
        "ae_vae_elbo",
        "ae_vae_loglik",
        "ae_deep_svdd",
    }
    for dataset in ("mnist", "fashion_mnist"):
        assert detectors <= set(metrics[dataset])
        # Only detectors live under a data set (the results contract): summaries are elsewhere.
        for name, row in metrics[dataset].items():
            assert len(row["auroc_per_class"]) == 10
            assert all(0.0 <= a <= 1.0 for a in row["auroc_per_class"])
            assert abs(row["auroc_mean"] - sum(row["auroc_per_class"]) / 10) < 1e-12
            # The networks ran with several seeds: a spread over them is recorded.
            assert ("auroc_mean_std" in row) == name.startswith("ae_"), name
    # The Deep SVDD rows beside the paper's are the same numbers, in percent.
    svdd = metrics["mnist"]["ae_deep_svdd"]["auroc_per_class"]
    for c in range(10):
        assert abs(metrics["deep_svdd_mnist_percent"][f"class_{c}"] - 100 * svdd[c]) < 1e-9
    assert abs(record["extra"]["paper"]["deep_svdd_mnist_percent/mean"] - 94.8) < 1e-9
    assert set(metrics["fashion_to_mnist"]) >= {"ae_dense", "ae_vae_elbo", "ae_vae_loglik"}
    sweep = record["extra"]["capacity_sweep"]
    assert len(sweep["code_dim"]) == len(sweep["auroc"]) == len(sweep["normal_error"]) >= 4


def test_semantic_hashing_ran_on_whole_corpora_at_every_code_length():
    record = json.loads((ROOT / "studies" / "semantic_hashing" / "results.json").read_text())
    parameters = record["parameters"]
    assert parameters["max_documents"] >= 11_314  # every document of both corpora
    assert parameters["code_bits"] == [8, 16, 32, 64, 128]
    metrics = record["metrics"]
    for corpus in ("newsgroups20", "reuters21578"):
        table = metrics[corpus]["precision_at_100"]
        for bits in parameters["code_bits"]:
            for method in ("ae_hash", "lsh", "itq", "lsa"):
                assert 0.0 < table[f"{method}_{bits}"] <= 1.0
        assert {"tfidf", "ae_filter_tfidf_32"} <= set(table)
        # The precision at 100 in the metrics is the curve's point at k = 100.
        curve = record["extra"]["precision_recall"][corpus]["ae_hash_32"]
        assert abs(curve["precision"][curve["k"].index(100)] - table["ae_hash_32"]) < 1e-12
        assert curve["k"][-1] in (11_314, 7_770)  # the curve runs to the whole collection
        assert metrics[corpus]["code_noise"] in parameters["noise_grid"]
    timing = record["extra"]["query_time"]
    assert timing["size"][-1] >= 1_000_000


def test_compression_coded_every_kodak_image_into_real_files():
    record = json.loads((ROOT / "studies" / "compression" / "results.json").read_text())
    parameters = record["parameters"]
    assert parameters["n_kodak"] == 24 and len(parameters["lambdas"]) >= 4
    rd = record["metrics"]["kodak"]["rd"]
    assert {"ae_factorized", "jpeg", "jpeg2000", "webp", "avif"} <= set(rd)
    per_image = record["extra"]["per_image"]
    for name, points in rd.items():
        images = per_image[name]
        assert len(images) == len(points)
        for point, coded in zip(points, images):
            assert len(coded) == 24
            # Every rate is a file's size: 8 bytes-bits over the 768 x 512 pixels of Kodak.
            for one in coded:
                assert one["bpp"] == pytest.approx(8 * one["bytes"] / (768 * 512), rel=1e-12)
            assert point["bpp"] == pytest.approx(sum(c["bpp"] for c in coded) / 24, rel=1e-9)
            assert point["psnr"] == pytest.approx(sum(c["psnr"] for c in coded) / 24, rel=1e-9)
    learned = rd["ae_factorized"]
    assert len(learned) >= 4 and all("bpp_estimated" in p for p in learned)
    assert all(p["exact"] for p in record["extra"]["learned"])  # files decode losslessly
    # The models in the package are the ones the record measured.
    manifest = json.loads((ROOT / "aelib" / "compression" / "models" / "manifest.json").read_text())
    assert [m["sha256"] for m in manifest["models"]] == [
        m["sha256"] for m in record["extra"]["models"]
    ]
    bd = record["metrics"]["kodak"]["bd_rate_psnr"]
    assert {"ae_factorized_vs_jpeg", "ae_factorized_vs_jpeg2000"} <= set(bd)
