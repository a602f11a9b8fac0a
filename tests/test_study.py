"""Study plumbing: profiles and parameters, the results file, the paper-vs-ours table."""

import json

import keras
import numpy as np
import pytest

from aelib import study

PROFILES = {
    "smoke": {"epochs": 2, "learning_rate": 0.01, "hidden_units": [8], "use_bias": True},
    "full": {"epochs": 200, "learning_rate": 0.001, "hidden_units": [1000, 500], "use_bias": True},
}


def test_profile_defaults_and_overrides():
    assert study.resolve_parameters("full", PROFILES) == {"profile": "full", **PROFILES["full"]}
    resolved = study.resolve_parameters(
        "smoke", PROFILES, epochs=5, learning_rate=None, hidden_units=(4, 2)
    )
    assert resolved == {
        "profile": "smoke",
        "epochs": 5,
        "learning_rate": 0.01,
        "hidden_units": [4, 2],
        "use_bias": True,
    }


@pytest.mark.parametrize(
    "profile, overrides, message",
    [
        ("fast", {}, r"profile must be one of \['smoke', 'full'\], got 'fast'"),
        ("smoke", {"epoch": 3}, r"unknown parameter\(s\) \['epoch'\]"),
        ("smoke", {"epochs": -1}, "parameter 'epochs' must be a positive integer, got -1"),
        ("smoke", {"epochs": 0}, "parameter 'epochs' must be a positive integer, got 0"),
        ("smoke", {"epochs": 2.5}, "parameter 'epochs' must be a positive integer"),
        ("smoke", {"learning_rate": "fast"}, "parameter 'learning_rate' must be a finite positive"),
        ("smoke", {"learning_rate": 0.0}, "parameter 'learning_rate' must be a finite positive"),
        ("smoke", {"learning_rate": float("inf")}, "'learning_rate' must be a finite positive"),
        ("smoke", {"hidden_units": [8, 0]}, "parameter 'hidden_units' must be a list of positive"),
        ("smoke", {"use_bias": 1}, "parameter 'use_bias' must be true or false"),
    ],
)
def test_bad_profile_or_parameter_is_named(profile, overrides, message):
    with pytest.raises(ValueError, match=message):
        study.resolve_parameters(profile, PROFILES, **overrides)


def test_a_list_of_rates_takes_positive_finite_numbers():
    profiles = {"smoke": {"lambdas": [0.001, 0.01]}, "full": {"lambdas": [0.001, 0.1]}}
    resolved = study.resolve_parameters("smoke", profiles, lambdas=[0.0003, 1, 0.5])
    assert resolved["lambdas"] == [0.0003, 1.0, 0.5]
    for bad in ([0.1, 0.0], [0.1, float("nan")], [True], "0.1"):
        with pytest.raises(ValueError, match="'lambdas' must be a list of finite positive"):
            study.resolve_parameters("smoke", profiles, lambdas=bad)


def test_profile_from_env(monkeypatch):
    monkeypatch.delenv("AELIB_PROFILE", raising=False)
    assert study.profile_from_env() == "full"
    monkeypatch.setenv("AELIB_PROFILE", "smoke")
    assert study.profile_from_env() == "smoke"


def test_write_results_records_what_reproduces_the_run(tmp_path):
    import numpy as np

    path = tmp_path / "results" / "demo.json"
    record = study.write_results(
        path,
        study="demo",
        parameters={"profile": "smoke", "seed": 3},
        metrics={"error": np.float32(1.5)},
        wall_time_s=12.3456,
        extra={"curve": np.arange(3)},
    )
    on_disk = json.loads(path.read_text())
    assert on_disk == json.loads(json.dumps(record, default=lambda v: v.tolist()))
    assert on_disk["metrics"] == {"error": 1.5}
    assert on_disk["extra"] == {"curve": [0, 1, 2]}
    assert on_disk["wall_time_s"] == 12.346
    assert on_disk["parameters"]["seed"] == 3
    environment = on_disk["environment"]
    assert environment["backend"] in ("tensorflow", "jax")
    assert environment["versions"]["keras"] == keras.__version__
    assert "git" in on_disk
    assert [p.name for p in path.parent.iterdir()] == ["demo.json"]  # no temporary file left


def test_a_smoke_run_never_replaces_a_recorded_full_run(tmp_path):
    path = tmp_path / "demo.json"
    study.write_results(
        path, study="demo", parameters={"profile": "full"}, metrics={"e": 1.0}, wall_time_s=1.0
    )
    with pytest.warns(UserWarning, match="demo.smoke.json"):
        record = study.write_results(
            path, study="demo", parameters={"profile": "smoke"}, metrics={"e": 2.0}, wall_time_s=1.0
        )
    assert record["path"] == str(tmp_path / "demo.smoke.json")
    assert json.loads(path.read_text())["metrics"] == {"e": 1.0}
    assert json.loads((tmp_path / "demo.smoke.json").read_text())["metrics"] == {"e": 2.0}
    # A full run replaces the record.
    study.write_results(
        path, study="demo", parameters={"profile": "full"}, metrics={"e": 3.0}, wall_time_s=1.0
    )
    assert json.loads(path.read_text())["metrics"] == {"e": 3.0}


def test_failed_write_leaves_the_old_results(tmp_path):
    path = tmp_path / "demo.json"
    path.write_text('{"old": true}')
    with pytest.raises(TypeError):
        study.write_results(
            path, study="demo", parameters={}, metrics={"bad": object()}, wall_time_s=1.0
        )
    assert path.read_text() == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["demo.json"]


def test_paper_vs_ours_table():
    text = study.paper_vs_ours(
        [
            {"quantity": "PCA-30", "paper": 13.87, "ours": 13.9712},
            {"quantity": "new", "paper": None, "ours": 1.0},
        ]
    )
    assert text.splitlines() == [
        "quantity  paper   ours",
        "--------  -----  -----",
        "PCA-30    13.87  13.97",
        "new           –   1.00",
    ]


def test_notebook_source_hash_follows_code_cells_only(tmp_path):
    import hashlib

    import jupytext
    import nbformat

    header = (
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
    )
    code = "```{code-cell} ipython3\nx = 1\n```\n\n"
    first = tmp_path / "a.md"
    first.write_text(header + "# Title\n\nProse.\n\n" + code)
    reworded = tmp_path / "b.md"
    reworded.write_text(header + "# Another title\n\nOther prose.\n\n" + code)
    changed = tmp_path / "c.md"
    changed.write_text(header + "# Title\n\n" + code.replace("x = 1", "x = 2"))
    digest = study.notebook_source_sha256(first)
    assert digest != hashlib.sha256(b"").hexdigest()  # the code cell was found
    assert digest == study.notebook_source_sha256(reworded)
    assert digest != study.notebook_source_sha256(changed)
    # The executed .ipynb, with papermill's injected cell and outputs, hashes the same.
    nb = jupytext.read(first)
    injected = nbformat.v4.new_code_cell(
        'profile = "full"', metadata={"tags": ["injected-parameters"]}
    )
    nb.cells.insert(1, injected)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    executed = tmp_path / "a.ipynb"
    nbformat.write(nb, executed)
    assert study.notebook_source_sha256(executed) == digest


def test_a_record_stays_current_when_its_code_is_only_laid_out_anew(tmp_path):
    import subprocess

    header = (
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
    )

    def notebook(code):
        return header + "# Study\n\n```{code-cell} ipython3\n" + code + "\n```\n"

    def git(*args):
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    folder = tmp_path / "studies" / "s"
    folder.mkdir(parents=True)
    md, helper = folder / "s.md", folder / "prep.py"
    md.write_text(notebook("import prep\nscores = prep.scale([1,  2], factor = 3)"))
    helper.write_text("def scale(values, factor):\n    return [factor*v for v in values]\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "study")
    record = {
        "git": {"commit": git("rev-parse", "HEAD")},
        "extra": {"source_sha256": study.source_sha256(md, helper)},
    }
    assert study.recorded_code_is_current(record, md, [helper]) == (
        True,
        "the code is the one that ran",
    )
    # Wrapped lines, spacing and a comment: the same code, so the record is still current.
    md.write_text(notebook("import prep\n\nscores = prep.scale(\n    [1, 2], factor=3\n)"))
    helper.write_text(
        "def scale(values, factor):\n    # times factor\n    return [\n"
        "        factor * v for v in values\n    ]\n"
    )
    current, reason = study.recorded_code_is_current(record, md, [helper])
    assert current and "reformatted" in reason
    # A changed constant in the notebook, or in its helper, is other code.
    md.write_text(notebook("import prep\nscores = prep.scale([1, 2], factor=4)"))
    assert not study.recorded_code_is_current(record, md, [helper])[0]
    md.write_text(notebook("import prep\nscores = prep.scale([1, 2], factor=3)"))
    helper.write_text("def scale(values, factor):\n    return [factor + v for v in values]\n")
    assert "prep.py changed" in study.recorded_code_is_current(record, md, [helper])[1]
    # The commit must hold the code the record names.
    helper.write_text("def scale(values, factor):\n    return [factor * v for v in values]\n")
    forged = {**record, "extra": {"source_sha256": "0" * 64}}
    assert (
        "not the code the record names" in study.recorded_code_is_current(forged, md, [helper])[1]
    )
    assert not study.recorded_code_is_current({"extra": forged["extra"]}, md, [helper])[0]


def test_the_files_a_run_writes_do_not_make_the_tree_dirty(tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=tmp_path,
            capture_output=True,
            check=True,
        )

    written = [
        "studies/s/s.ipynb",
        "studies/s/results.json",
        "aelib/compression/models/manifest.json",
    ]
    for name in [*written, "studies/s/prep.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("before\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "tree")
    assert study.git_commit(tmp_path)["dirty"] is False
    for name in written:
        (tmp_path / name).write_text("after a run\n")
    assert study.git_commit(tmp_path)["dirty"] is False
    (tmp_path / "studies/s/prep.py").write_text("edited\n")
    assert study.git_commit(tmp_path)["dirty"] is True


def test_code_without_layout_keeps_what_computes():
    assert study.code_without_layout("f(a,b)  # call") == study.code_without_layout("f(\n a, b\n)")
    assert study.code_without_layout("x = 'a'") == study.code_without_layout('x = "a"')
    assert study.code_without_layout("x = a + b") != study.code_without_layout("x = a - b")
    # Not Python (an IPython magic): compared as text.
    assert study.code_without_layout("%timeit f()  ") == "%timeit f()"
    assert study.same_code(["x = 1", "y=2"], ["x=1", "y = 2"])
    assert not study.same_code(["x = 1"], ["x = 1", "y = 2"])


# ---------------------------------------------------------------------- guard rails
@pytest.mark.parametrize(
    "profiles, message",
    [
        (
            {"smoke": {"epochs": 2}, "full": {"epochs": 200, "lr": 1e-3}},
            r"profiles must list the same parameters; only in smoke: \[\], only in full: \['lr'\]",
        ),
        (
            {"smoke": {"epochs": None}, "full": {"epochs": 200}},
            "gives parameter 'epochs' the default None",
        ),
        ({"smoke": {"lr": float("inf")}, "full": {"lr": 1e-3}}, "non-finite"),
        ({"smoke": {}}, r"profiles must define exactly \['smoke', 'full'\]"),
    ],
)
def test_bad_profiles_are_named(profiles, message):
    with pytest.raises(ValueError, match=message):
        study.resolve_parameters("smoke", profiles)


def test_numpy_numbers_are_accepted_as_overrides():
    import numpy as np

    params = study.resolve_parameters(
        "smoke", PROFILES, epochs=np.int64(4), learning_rate=np.float32(0.5)
    )
    assert params["epochs"] == 4 and type(params["epochs"]) is int
    assert params["learning_rate"] == 0.5 and type(params["learning_rate"]) is float


def test_non_finite_results_are_refused_and_nothing_is_written(tmp_path):
    path = tmp_path / "results.json"
    with pytest.raises(ValueError, match=r"record.metrics.mnist.error is nan"):
        study.write_results(
            path,
            study="demo",
            parameters={"profile": "smoke"},
            metrics={"mnist": {"error": float("nan")}},
            wall_time_s=1.0,
        )
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_a_home_relative_results_path_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    record = study.write_results(
        "~/out/results.json",
        study="demo",
        parameters={"profile": "smoke"},
        metrics={},
        wall_time_s=1.0,
    )
    assert record["path"] == str(tmp_path / "out" / "results.json")
    assert (tmp_path / "out" / "results.json").exists() and not (tmp_path / "~").exists()


def _run(tmp_path, **kwargs):
    return study.Run(
        "demo",
        profile="smoke",
        profiles=PROFILES,
        source=False,
        verbose=False,
        results_path=tmp_path / "results.json",
        **kwargs,
    )


def test_run_records_metrics_claims_stages_and_the_table(tmp_path):
    run = _run(tmp_path, seed=3, epochs=5)
    with run.stage("training"):
        pass
    run.metric("mnist/pca", 13.9, paper=13.87, label="MNIST PCA-30")
    run.metric("mnist/deep", 2.5, paper=3.00, label="MNIST deep AE")
    run.metric("mnist/joint", 6.0)
    run.claim("deep beats the paper", "mnist/deep", "<=", must_hold=True)
    run.claim("joint beats deep", "mnist/joint", "<", "mnist/deep")
    record = run.write()
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["parameters"] == {**record["parameters"], "epochs": 5, "seed": 3}
    assert saved["metrics"] == {"mnist": {"pca": 13.9, "deep": 2.5, "joint": 6.0}}
    assert saved["extra"]["paper"] == {"mnist/pca": 13.87, "mnist/deep": 3.0}
    assert [c["holds"] for c in saved["extra"]["claims"]] == [True, False]
    assert set(saved["extra"]["timings_s"]) == {"training"}
    assert study.table_from_record(saved) == run.table()
    assert run.table().splitlines()[2:4] == [
        "| MNIST PCA-30 | 13.87 | 13.90 |",
        "| MNIST deep AE | 3.00 | 2.50 |",
    ]
    assert "| joint beats deep | **no** |" in run.table()
    assert run.paper("mnist/deep") == 3.0


def test_a_series_goes_into_the_metrics_but_not_into_the_table(tmp_path):
    run = _run(tmp_path)
    run.metric("mnist/ae/auroc_mean", 0.75, label="mean AUROC")
    assert run.series("mnist/ae/auroc_per_class", np.array([0.5, 1.0])) == [0.5, 1.0]
    saved = json.loads(json.dumps(run.write()))
    assert saved["metrics"] == {
        "mnist": {"ae": {"auroc_mean": 0.75, "auroc_per_class": [0.5, 1.0]}}
    }
    assert study.flat_metrics(saved["metrics"]) == {"mnist/ae/auroc_mean": 0.75}
    assert study.table_from_record(saved) == run.table()
    assert "auroc_per_class" not in run.table()


def test_a_curve_of_points_goes_into_the_metrics_but_not_into_the_table(tmp_path):
    run = _run(tmp_path)
    run.metric("kodak/bd_rate", -12.5, label="BD-rate")
    curve = [{"bpp": np.float32(0.25), "psnr": 29}, {"bpp": 0.5, "psnr": 31.5}]
    assert run.points("kodak/rd/jpeg", curve) == [
        {"bpp": 0.25, "psnr": 29.0},
        {"bpp": 0.5, "psnr": 31.5},
    ]
    saved = json.loads(json.dumps(run.write()))
    assert saved["metrics"]["kodak"]["rd"]["jpeg"][1] == {"bpp": 0.5, "psnr": 31.5}
    assert study.flat_metrics(saved["metrics"]) == {"kodak/bd_rate": -12.5}
    assert study.table_from_record(saved) == run.table()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda run: run.metric("mnist/pca", float("inf")), "must be a finite number"),
        (lambda run: run.metric("mnist//pca", 1.0), "key must be a name"),
        (lambda run: run.claim("x", "missing", "<", 1.0), "no such metric"),
        (lambda run: run.claim("x", "a", "=~", 1.0), "op must be one of"),
        (lambda run: run.claim("x", "a", "within", 1.0), "needs a tolerance"),
        (lambda run: run.claim("x", "a", "<="), "the paper's value is not given"),
        (lambda run: run.series("s", []), "non-empty list of numbers"),
        (lambda run: run.series("s", 0.5), "non-empty list of numbers"),
        (lambda run: run.series("s", [0.5, float("nan")]), r"series 's'\[1\] must be a finite"),
        (lambda run: run.series("a", [1.0]), "already recorded"),
        (lambda run: run.points("p", []), "non-empty list of dicts"),
        (lambda run: run.points("p", {"bpp": 1.0}), "non-empty list of dicts"),
        (lambda run: run.points("p", [{}]), r"points 'p'\[0\] must be a non-empty dict"),
        (lambda run: run.points("p", [{"bpp": float("nan")}]), "must be a finite number"),
        (
            lambda run: run.claim("x", "s", "<", 1.0) if run.series("s", [1.0]) else None,
            "a series cannot be claimed about",
        ),
    ],
)
def test_run_refuses_bad_metrics_and_claims(tmp_path, call, message):
    run = _run(tmp_path)
    run.metric("a", 1.0)
    with pytest.raises(ValueError, match=message):
        call(run)


def test_a_run_seeds_every_generator_so_models_built_before_fit_repeat(tmp_path):
    """A model's initial weights are drawn when it is built; the run seeds them."""
    from aelib import Autoencoder, builders

    def initial_kernel():
        _run(tmp_path, seed=7)
        model = Autoencoder(builders.dense_encoder(4, [], 2), builders.dense_decoder(2, [], 4))
        return np.asarray(model.encoder.get_layer("code").kernel)

    first = initial_kernel()
    np.random.seed(123)  # noqa: NPY002  (whatever happened in between)
    keras.utils.set_random_seed(99)
    np.testing.assert_array_equal(initial_kernel(), first)
