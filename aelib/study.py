"""The study runner: parameters and profiles, stage timings, metrics beside the paper's values,
claims, the results file and the "paper vs ours" table.

A study notebook has a ``parameters`` cell (papermill overrides it with ``-p``); its next cell
creates a `Run`, which merges the chosen profile's defaults with the overrides and stops the run
at once, with a message naming the parameter, when something is off. The study then times its
stages (``with run.stage("pretraining"):``), reports each number once with the paper's value
beside it (`Run.metric`), declares the paper's claims it checks (`Run.claim`), writes the results
file (`Run.write`) and shows the table (`Run.table`). A paper's number is typed once, in the
`Run.metric` call; the figures read it back with `Run.paper`.

The results file records every number with what is needed to reproduce it: parameters, seed,
backend, package versions, devices, stage and wall times, git commit and the hash of the code
that made it (`source_sha256`). ``tests/test_study_records.py`` reads every committed record and
fails if a claim declared as one that must hold does not, or if the code changed since.

Profiles:

* ``smoke`` — minutes on a CPU; what CI runs. Its numbers only show that the pipeline works.
* ``full`` — the real reproduction, on a GPU or in a long CPU run.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import math
import numbers
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from aelib._atomic import atomic_write_text
from aelib._validation import seed as check_seed

PROFILES = ("smoke", "full")
PROFILE_ENV = "AELIB_PROFILE"

# Packages whose versions go into every results file.
RECORDED_PACKAGES = (
    "aelib",
    "keras",
    "tensorflow-cpu",
    "tensorflow",
    "jax",
    "jaxlib",
    "numpy",
    "scikit-learn",
)


def profile_from_env(default="full"):
    """The profile named by ``AELIB_PROFILE``, or ``default``; how nbval picks a profile."""
    return os.environ.get(PROFILE_ENV, default)


def resolve_parameters(profile, profiles, **overrides):
    """Merges a profile's defaults with the parameters given to the notebook.

    Args:
        profile: ``"smoke"`` or ``"full"``.
        profiles: ``{profile: {parameter: default}}``; every profile lists the same parameters.
        **overrides: the notebook's parameters; ``None`` means "the profile's default".

    Returns:
        A dict with ``profile`` and every parameter.

    Raises:
        ValueError: unknown profile, unknown parameter, or a value of the wrong type or sign,
            naming the parameter and what is allowed.

    Example:
        >>> resolve_parameters("smoke", {"smoke": {"epochs": 2}, "full": {"epochs": 200}},
        ...                    epochs=None)
        {'profile': 'smoke', 'epochs': 2}
    """
    if profile not in PROFILES:
        raise ValueError(
            f"profile must be one of {list(PROFILES)}, got {profile!r} "
            f"(set it with papermill -p profile ... or the {PROFILE_ENV} environment variable)"
        )
    if not isinstance(profiles, dict) or set(profiles) != set(PROFILES):
        got = sorted(profiles) if isinstance(profiles, dict) else profiles
        raise ValueError(f"profiles must define exactly {list(PROFILES)}, got {got}")
    keys = {name: set(values) for name, values in profiles.items()}
    if keys["smoke"] != keys["full"]:
        raise ValueError(
            "profiles must list the same parameters; only in smoke: "
            f"{sorted(keys['smoke'] - keys['full'])}, only in full: "
            f"{sorted(keys['full'] - keys['smoke'])}"
        )
    for name, values in profiles.items():
        for key, value in values.items():
            if value is None:
                raise ValueError(
                    f"profile {name!r} gives parameter {key!r} the default None, which the "
                    "notebook's None ('use the profile's value') could never override; give it "
                    "a real value"
                )
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"profile {name!r} gives parameter {key!r} a non-finite value")
    defaults = profiles[profile]
    unknown = set(overrides) - set(defaults)
    if unknown:
        raise ValueError(
            f"unknown parameter(s) {sorted(unknown)}; this study takes {sorted(defaults)}"
        )
    resolved = {"profile": profile}
    for name, default in defaults.items():
        value = overrides.get(name)
        resolved[name] = default if value is None else _checked(name, value, default)
    return resolved


def _checked(name, value, default):
    """Checks an override against the type and sign of the profile's default.

    A positive default (epochs, learning rate, sizes) asks for a positive value, a zero default
    (a seed offset, say) for a non-negative one; floats must be finite; NumPy numbers count as
    numbers; bools are never numbers and numbers never bools.
    """
    is_bool = isinstance(value, (bool, np.bool_))
    if isinstance(default, bool):
        ok = is_bool
        expected = "true or false"
        value = bool(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, numbers.Integral) and not is_bool
        low = 1 if default > 0 else 0
        ok = ok and value >= low
        expected = "a positive integer" if low else "a non-negative integer"
        value = int(value) if ok else value
    elif isinstance(default, float):
        ok = isinstance(value, numbers.Real) and not is_bool and math.isfinite(value)
        ok = ok and (value > 0 if default > 0 else value >= 0)
        expected = "a finite positive number" if default > 0 else "a finite non-negative number"
        value = float(value) if ok else value
    elif isinstance(default, (list, tuple)) and any(isinstance(d, float) for d in default):
        # A list of rates or weights (lambdas, say): positive finite numbers.
        ok = isinstance(value, (list, tuple)) and all(
            isinstance(v, numbers.Real)
            and not isinstance(v, (bool, np.bool_))
            and math.isfinite(v)
            and v > 0
            for v in value
        )
        expected = "a list of finite positive numbers"
        value = [float(v) for v in value] if ok else value
    elif isinstance(default, (list, tuple)):
        ok = isinstance(value, (list, tuple)) and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in value
        )
        expected = "a list of positive integers"
        value = [int(v) for v in value] if ok else value
    else:
        ok = isinstance(value, type(default))
        expected = f"a {type(default).__name__}"
    if not ok:
        raise ValueError(f"parameter {name!r} must be {expected}, got {value!r}")
    return value


def source_sha256(notebook, *helpers):
    """SHA-256 of the code that makes a record: the notebook's code cells and its helpers.

    Args:
        notebook: the study notebook (see `notebook_source_sha256`).
        *helpers: Python files the notebook imports (the study's ``prep.py``).

    Returns:
        The hex digest; the same for the paired ``.md`` and ``.ipynb``.
    """
    helper_files = [(Path(h).name, Path(h).read_bytes()) for h in helpers]
    return _source_digest(notebook_code_cells(notebook), helper_files)


def _source_digest(cells, helper_files):
    """`source_sha256` of code cells and ``(file name, bytes)`` helpers."""
    digest = hashlib.sha256(_cells_sha256(cells).encode())
    for name, content in helper_files:
        digest.update(b"\n# ---- " + name.encode() + b" ----\n")
        digest.update(content)
    return digest.hexdigest()


def notebook_code_cells(notebook):
    """The source of a notebook's code cells, in order, stripped of surrounding blank lines.

    The cell papermill injects (tag ``injected-parameters``) is left out, so a notebook and its
    executed copy have the same cells.

    Args:
        notebook: a path jupytext can read (``.md`` MyST or ``.ipynb``), or a notebook object.

    Returns:
        A list of strings, one per code cell.
    """
    if isinstance(notebook, (str, os.PathLike)):
        import jupytext

        notebook = jupytext.read(notebook)
    return [
        cell.source.strip()
        for cell in notebook.cells
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
    ]


def notebook_source_sha256(path):
    """SHA-256 of a notebook's code: the source of its code cells, in order.

    Markdown cells, outputs and the cell papermill injects (tag ``injected-parameters``) are
    left out, so the hash names the code that produced a recorded run: prose may change after
    the run, code may not without the run going stale. The paired ``.md`` and ``.ipynb`` of a
    notebook have the same hash.

    Args:
        path: a notebook jupytext can read (``.md`` MyST or ``.ipynb``).

    Returns:
        The hex digest.
    """
    return _cells_sha256(notebook_code_cells(path))


def _cells_sha256(cells):
    """The hex SHA-256 of code cells joined by a separator line."""
    return hashlib.sha256("\n# ---- next cell ----\n".join(cells).encode()).hexdigest()


def code_without_layout(source):
    """Python source with its layout taken away: the dump of its syntax tree.

    Two sources that differ only in line breaks, indentation of continuation lines, spacing,
    quotes, parentheses that group nothing or comments (what a code formatter changes) give the
    same text; a changed name, constant, operator or statement does not. Source that is not
    Python (a cell with IPython magics) is compared as text, trailing spaces aside.

    Args:
        source: the source text.

    Returns:
        A string to compare.

    Example:
        >>> code_without_layout("x = f(1,  2)  # sum") == code_without_layout("x = (f(1, 2))")
        True
        >>> code_without_layout("x = f(1, 2)") == code_without_layout("x = f(1, 3)")
        False
    """
    import ast

    try:
        return ast.dump(ast.parse(source))
    except SyntaxError:
        return "\n".join(line.rstrip() for line in source.strip().splitlines())


def same_code(first, second):
    """Whether two lists of code cells (or two sources) differ only in layout.

    Args:
        first: a list of cell sources (see `notebook_code_cells`) or one source text.
        second: the same kind.

    Returns:
        ``True`` when they have as many cells and each pair has the same `code_without_layout`.
    """
    if isinstance(first, str) or isinstance(second, str):
        first, second = [first], [second]
    return len(first) == len(second) and all(
        code_without_layout(a) == code_without_layout(b) for a, b in zip(first, second)
    )


def recorded_code_is_current(record, notebook, helpers=()):
    """Whether `notebook` and `helpers` are the code that made `record`, up to layout.

    They are when their `source_sha256` is the record's. Code reformatted since the run (lines
    wrapped, spacing, comments) computes the same, so it is current too: then the files as they
    were at the record's git commit must hash to the record's ``source_sha256`` (they are the
    code that ran), and the present files must differ from them only in layout
    (`code_without_layout`). Any other change makes the record stale.

    Args:
        record: the results record (a dict, as `Run.write` writes it).
        notebook: the study notebook that made it (``.md``, or its executed ``.ipynb``).
        helpers: the Python files it imports, as listed in the record.

    Returns:
        ``(current, reason)``: a bool and a sentence saying why.
    """
    notebook, helpers = Path(notebook), [Path(h) for h in helpers]
    recorded = record["extra"]["source_sha256"]
    if source_sha256(notebook, *helpers) == recorded:
        return True, "the code is the one that ran"
    commit = (record.get("git") or {}).get("commit")
    if not commit:
        return False, "the code changed and the record names no commit to compare with"
    try:
        top = Path(
            subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=notebook.parent,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )

        def at_commit(path):
            name = path.resolve().relative_to(top.resolve()).as_posix()
            return subprocess.run(
                ["git", "show", f"{commit}:{name}"],
                cwd=top,
                capture_output=True,
                check=True,
            ).stdout

        import jupytext

        # The recorded source is the Markdown notebook, whichever of the pair is checked.
        source = notebook.with_suffix(".md")
        then_cells = notebook_code_cells(jupytext.reads(at_commit(source).decode(), fmt="md:myst"))
        then_helpers = [(h.name, at_commit(h)) for h in helpers]
    except (OSError, ValueError, subprocess.CalledProcessError):
        return False, f"the code changed and its state at commit {commit[:7]} cannot be read"
    if _source_digest(then_cells, then_helpers) != recorded:
        return False, f"the code at commit {commit[:7]} is not the code the record names"
    if not same_code(notebook_code_cells(notebook), then_cells):
        return False, f"the notebook's code changed since commit {commit[:7]}"
    for helper, (_, content) in zip(helpers, then_helpers):
        if not same_code(content.decode(), helper.read_text()):
            return False, f"{helper.name} changed since commit {commit[:7]}"
    return True, f"the code is the one that ran at {commit[:7]}, reformatted"


def git_commit(path="."):
    """``{"commit": sha, "dirty": bool}`` of the repository holding ``path``, or ``None``.

    ``dirty`` is true when a tracked source file differs from the commit; executed notebooks
    (``*.ipynb``), results files (``studies/*/results*.json``) and the compression study's
    trained models (``aelib/compression/models``, see `aelib.compression.recorded`) are left
    out, since running the studies rewrites them.
    """
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True
        ).stdout.strip()
        # Executed notebooks, results files and trained models are what a run writes, not
        # what it runs.
        status = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ":/",
                ":(exclude,top)*.ipynb",
                ":(exclude,top,glob)studies/*/results*.json",
                ":(exclude,top,glob)aelib/compression/models/*",
            ],
            cwd=path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": sha, "dirty": bool(status.strip())}


def environment_record():
    """Backend, devices, Python, platform and package versions of this run."""
    import keras

    from aelib.training import devices

    versions = {}
    for package in RECORDED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {
        "backend": keras.backend.backend(),
        "devices": devices(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
    }


def write_results(path, *, study, parameters, metrics, wall_time_s, extra=None):
    """Writes a study's results file atomically and returns the record.

    Args:
        path: the JSON file, e.g. ``studies/hinton_pca/results.json``.
        study: the study's name.
        parameters: the resolved parameters (profile and seed included).
        metrics: the numbers the study reports, JSON-serializable.
        wall_time_s: wall time of the run in seconds.
        extra: anything else worth recording (figures' data, per-epoch histories, ...).

    A ``smoke`` run never replaces a recorded ``full`` run: its results then go to
    ``NAME.smoke.json`` beside it (with a warning); ``record["path"]`` says where they went.

    Returns:
        The record written.
    """
    path = Path(path).expanduser()
    record = {
        "study": study,
        "created_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "parameters": parameters,
        "metrics": metrics,
        "wall_time_s": round(float(wall_time_s), 3),
        "environment": environment_record(),
        "git": git_commit(path.parent if path.parent.exists() else "."),
    }
    if extra:
        record["extra"] = extra
    # Strict JSON: NaN and Infinity are not JSON, and a non-finite result is a broken run.
    # Checked before anything is written, so that a bad run leaves the old file as it was.
    record = _finite(record, "record")
    path = _keeping_full_record(path, parameters.get("profile"))
    record["path"] = str(path)
    text = json.dumps(record, indent=2, sort_keys=False, allow_nan=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, text + "\n")
    return record


def _keeping_full_record(path, profile):
    """Where a run of ``profile`` writes, so that it never replaces a recorded full run.

    A quick run (``smoke``, e.g. a maintainer's ``pytest --nbval-lax`` in the repository) aimed
    at a file that holds a ``full`` record goes to ``NAME.PROFILE.json`` beside it instead, with a
    warning; a ``full`` run replaces the record.
    """
    import warnings

    if profile == "full" or not path.exists():
        return path
    try:
        existing = json.loads(path.read_text()).get("parameters", {}).get("profile")
    except (OSError, ValueError, AttributeError):
        return path
    if existing != "full":
        return path
    aside = path.with_name(f"{path.stem}.{profile}{path.suffix}")
    warnings.warn(
        f"{path} holds a recorded full-profile run; this {profile} run's results go to "
        f"{aside} instead",
        stacklevel=3,
    )
    return aside


def _finite(value, where):
    """``value`` as plain JSON data (NumPy scalars and arrays converted), refusing NaN and
    infinities with a message that says where they are."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): _finite(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            raise ValueError(
                f"{where} is {value}; a results file holds finite numbers only (NaN and "
                "infinity are not JSON, and usually mean the run went wrong)"
            )
        return float(value)
    raise TypeError(f"{where}: cannot write {type(value).__name__} to JSON")


def paper_vs_ours(rows):
    """A table of the paper's numbers beside ours, as a list of dicts and as text.

    Args:
        rows: dicts with keys ``quantity``, ``paper`` (number or None) and ``ours``.

    Returns:
        The table as aligned plain text (what the studies print).
    """
    header = ("quantity", "paper", "ours")
    lines = [header] + [
        (
            str(r["quantity"]),
            "–" if r.get("paper") is None else f"{r['paper']:.2f}",
            f"{r['ours']:.2f}",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    text = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths))
        )
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)


# ---------------------------------------------------------------------- the study runner
CLAIM_OPERATORS = ("<", "<=", ">", ">=", "within")


class Run:
    """One run of a study: its parameters, stages, metrics, claims and results file.

    Args:
        name: the study's name (its folder under ``studies/``), e.g. ``"hinton_pca"``.
        profile: ``"smoke"`` or ``"full"``.
        profiles: ``{"smoke": {...}, "full": {...}}``, the same parameters in both, no ``None``.
        seed: the run's seed, a non-negative integer; every generator is seeded with it when
            the run is created.
        results_path: where `write` puts the record; ``~`` is expanded. ``None`` means
            ``results.json`` in the current folder (the study's folder when papermill runs it).
        source: the notebook whose code makes the record; ``None`` looks for ``NAME.md`` in the
            current folder, then in ``studies/NAME/``.
        helpers: Python files the notebook imports (its ``prep.py``); they count as its code.
        verbose: print one line per stage.
        **overrides: the notebook's parameters; ``None`` means "the profile's value".

    Raises:
        ValueError: an unknown profile or parameter, or a value of the wrong type or sign.

    Example:
        >>> run = Run("demo", profile="smoke", results_path=None, source=False, verbose=False,
        ...           profiles={"smoke": {"epochs": 2}, "full": {"epochs": 200}}, epochs=None)
        >>> run.params["epochs"]
        2
        >>> with run.stage("training"):
        ...     error = 3.1
        >>> run.metric("mnist/error", error, paper=3.00, label="test error")
        3.1
        >>> run.claim("the error is within 0.2 of the paper's", "mnist/error", "within",
        ...           tolerance=0.2)["holds"]
        True
        >>> print(run.table())
        | quantity | paper | ours |
        |---|---:|---:|
        | test error | 3.00 | 3.10 |
        <BLANKLINE>
        | claim | holds |
        |---|---|
        | the error is within 0.2 of the paper's | yes |
    """

    def __init__(
        self,
        name,
        *,
        profile,
        profiles,
        seed=0,
        results_path=None,
        source=None,
        helpers=(),
        verbose=True,
        **overrides,
    ):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(
                f"name must be a study's folder name such as 'hinton_pca', got {name!r}"
            )
        self.name = name
        self.seed = check_seed(seed, allow_none=False)
        self.params = resolve_parameters(profile, profiles, **overrides)
        self.params["seed"] = self.seed
        # Every generator (Python's, NumPy's, the backend's) starts from the run's seed, so that
        # a model built before its first `fit` (whose initial weights are drawn when it is
        # built) is the same in every run with this seed.
        from aelib.training import seed_everything

        seed_everything(self.seed)
        if results_path is not None and not isinstance(results_path, (str, os.PathLike)):
            raise ValueError(f"results_path must be a path or None, got {results_path!r}")
        self.results_path = Path(results_path or "results.json").expanduser()
        self.source = self._find_source(source)
        self.helpers = [self._find_helper(h) for h in helpers]
        self.source_sha256 = (
            None if self.source is None else source_sha256(self.source, *self.helpers)
        )
        self.verbose = bool(verbose)
        self.timings = {}
        self._metrics = {}
        self._paper = {}
        self._rows = []
        self._claims = []
        self._started = time.perf_counter()

    def _find_helper(self, helper):
        """A helper file, from the current folder or else beside the notebook."""
        path = Path(helper).expanduser()
        if not path.is_file() and self.source is not None:
            path = self.source.parent / path
        if not path.is_file():
            raise ValueError(
                f"helpers: {helper} is not a file (looked here and beside the notebook)"
            )
        return path

    def _find_source(self, source):
        if source is False:
            return None
        if source is not None:
            path = Path(source).expanduser()
            if not path.is_file():
                raise ValueError(f"source: {path} is not a notebook file")
            return path
        for path in (Path(f"{self.name}.md"), Path("studies") / self.name / f"{self.name}.md"):
            if path.is_file():
                return path
        return None

    def describe(self):
        """One line: backend, devices and the code's hash (what the study prints first)."""
        env = environment_record()
        code = "not found" if self.source_sha256 is None else self.source_sha256[:12]
        return (
            f"{self.name}, profile {self.params['profile']}, seed {self.seed}: backend "
            f"{env['backend']} on {', '.join(env['devices'])}, code {code}"
        )

    # ------------------------------------------------------------------ stages
    @contextlib.contextmanager
    def stage(self, name):
        """Times the ``with`` block as stage ``name`` (seconds, in ``timings``)."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if name in self.timings:
            raise ValueError(f"stage {name!r} was already timed; give each stage its own name")
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started
        if self.verbose:
            print(f"{name}: {self.timings[name]:.0f} s", flush=True)

    # ------------------------------------------------------------------ numbers
    def metric(self, key, value, *, paper=None, label=None):
        """Records a number of the run, with the paper's value when it has one.

        Args:
            key: where it goes in the record's ``metrics``, ``"group/name"`` (nested dicts).
            value: a finite number.
            paper: the paper's value of the same quantity, typed here and only here.
            label: the quantity's name in the "paper vs ours" table; ``None`` keeps it out.

        Returns:
            ``value`` as a float.
        """
        self._check_new_key(key)
        value = _finite_number(f"metric {key!r}", value)
        if paper is not None:
            self._paper[key] = _finite_number(f"paper value of {key!r}", paper)
        self._metrics[key] = value
        if label is not None:
            self._rows.append({"key": key, "quantity": str(label)})
        return value

    def series(self, key, values):
        """Records a list of numbers (one per class, say) under ``key`` in the record's
        ``metrics``; a series is not in the "paper vs ours" table and claims cannot name it
        (record a summary of it with `metric` for those).

        Args:
            key: where it goes, ``"group/name"`` as in `metric`.
            values: a non-empty sequence of finite numbers.

        Returns:
            The values as a list of floats.

        Example:
            >>> run = Run("demo", profile="smoke", results_path=None, source=False,
            ...           verbose=False, profiles={"smoke": {"n": 1}, "full": {"n": 2}}, n=None)
            >>> run.series("mnist/auroc_per_class", [0.5, 0.75])
            [0.5, 0.75]
            >>> run.metrics
            {'mnist': {'auroc_per_class': [0.5, 0.75]}}
        """
        self._check_new_key(key)
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not len(values):
            raise ValueError(
                f"values of {key!r} must be a non-empty list of numbers, got {values!r}"
            )
        values = [_finite_number(f"series {key!r}[{i}]", v) for i, v in enumerate(values)]
        self._metrics[key] = values
        return values

    def points(self, key, points):
        """Records a curve, a list of points each a dict of named numbers (a rate-distortion
        curve: ``[{"bpp": 0.25, "psnr": 29.1}, ...]``), under ``key`` in the record's
        ``metrics``. As a series, a curve is not in the "paper vs ours" table and claims cannot
        name it.

        Args:
            key: where it goes, ``"group/name"`` as in `metric`.
            points: a non-empty sequence of non-empty dicts from names to finite numbers.

        Returns:
            The points as a list of dicts of floats.

        Example:
            >>> run = Run("demo", profile="smoke", results_path=None, source=False,
            ...           verbose=False, profiles={"smoke": {"n": 1}, "full": {"n": 2}}, n=None)
            >>> run.points("kodak/rd/jpeg", [{"bpp": 0.5, "psnr": 29}])
            [{'bpp': 0.5, 'psnr': 29.0}]
        """
        self._check_new_key(key)
        if (
            isinstance(points, (str, bytes, dict))
            or not hasattr(points, "__len__")
            or not len(points)
        ):
            raise ValueError(f"points of {key!r} must be a non-empty list of dicts, got {points!r}")
        checked = []
        for i, point in enumerate(points):
            if not isinstance(point, dict) or not point:
                raise ValueError(f"points {key!r}[{i}] must be a non-empty dict, got {point!r}")
            checked.append(
                {
                    str(name): _finite_number(f"points {key!r}[{i}][{name!r}]", value)
                    for name, value in point.items()
                }
            )
        self._metrics[key] = checked
        return checked

    def _check_new_key(self, key):
        if not isinstance(key, str) or not key or any(not part for part in key.split("/")):
            raise ValueError(f"key must be a name such as 'mnist/pca', got {key!r}")
        if key in self._metrics:
            raise ValueError(f"metric {key!r} was already recorded")

    def paper(self, key):
        """The paper's value given for ``key`` in `metric`, or None."""
        return self._paper.get(key)

    @property
    def metrics(self):
        """The metrics as nested dicts (``"mnist/pca"`` is ``metrics["mnist"]["pca"]``)."""
        return _nest(self._metrics)

    def claim(self, statement, key, op, than=None, *, tolerance=None, must_hold=False):
        """Declares a claim the run checks, and checks it.

        Args:
            statement: the claim in words, e.g. ``"the deep AE beats the paper's 3.00"``.
            key: the metric it is about.
            op: one of ``"<"``, ``"<="``, ``">"``, ``">="`` or ``"within"``.
            than: the reference: another metric's key, or a number; ``None`` means the paper's
                value of ``key``.
            tolerance: for ``"within"``: the largest allowed ``|ours - reference|``.
            must_hold: the study's record test fails when such a claim does not hold. Leave it
                False for a claim the study tests without expecting it: a claim that fails is a
                result, reported as failing.

        Returns:
            The claim as recorded, with ``"holds"``.
        """
        claim = {
            "statement": str(statement),
            "metric": key,
            "op": op,
            "than": than,
            "tolerance": tolerance,
            "must_hold": bool(must_hold),
        }
        claim["holds"] = evaluate_claim(claim, self._metrics, self._paper)
        self._claims.append(claim)
        return claim

    @property
    def claims(self):
        return list(self._claims)

    # ------------------------------------------------------------------ results
    def write(self, extra=None):
        """Writes the results file (atomically, finite numbers only) and returns the record."""
        record_extra = {
            "source_sha256": self.source_sha256,
            "source": None if self.source is None else self.source.name,
            "helpers": [h.name for h in self.helpers],
            "paper": dict(self._paper),
            "table": list(self._rows),
            "claims": self.claims,
            "timings_s": {k: round(v, 1) for k, v in self.timings.items()},
        }
        if extra:
            overlap = set(extra) & set(record_extra)
            if overlap:
                raise ValueError(f"extra must not set {sorted(overlap)}: the run records them")
            record_extra.update(extra)
        self.record = write_results(
            self.results_path,
            study=self.name,
            parameters=self.params,
            metrics=self.metrics,
            wall_time_s=time.perf_counter() - self._started,
            extra=record_extra,
        )
        return self.record

    def table(self):
        """The "paper vs ours" table (Markdown) of the labelled metrics, then the claims."""
        return table_from_record(
            {
                "metrics": self.metrics,
                "extra": {"paper": self._paper, "table": self._rows, "claims": self._claims},
            }
        )

    def show(self):
        """Displays `table` as a rendered table in a notebook (prints it elsewhere)."""
        try:
            from IPython.display import Markdown, display
        except ImportError:  # pragma: no cover - IPython comes with the notebook stack
            print(self.table())
            return
        display(Markdown(self.table()))


def evaluate_claim(claim, metrics, paper):
    """Whether ``claim`` (as `Run.claim` records it) holds for flat ``metrics`` and ``paper``.

    Raises:
        ValueError: an unknown operator or metric, or a missing reference or tolerance.
    """
    op = claim["op"]
    if op not in CLAIM_OPERATORS:
        raise ValueError(f"op must be one of {list(CLAIM_OPERATORS)}, got {op!r}")
    if claim["metric"] not in metrics or isinstance(metrics[claim["metric"]], list):
        raise ValueError(
            f"claim about {claim['metric']!r}: no such metric was recorded "
            "(a series cannot be claimed about; claim about its summary)"
        )
    ours = metrics[claim["metric"]]
    than = claim.get("than")
    if than is None:
        if claim["metric"] not in paper:
            raise ValueError(f"claim about {claim['metric']!r}: the paper's value is not given")
        reference = paper[claim["metric"]]
    elif isinstance(than, str):
        if than not in metrics or isinstance(metrics[than], list):
            raise ValueError(f"claim against {than!r}: no such metric was recorded")
        reference = metrics[than]
    else:
        reference = _finite_number("than", than)
    if op == "within":
        tolerance = claim.get("tolerance")
        if tolerance is None:
            raise ValueError("a 'within' claim needs a tolerance")
        return abs(ours - reference) <= _finite_number("tolerance", tolerance)
    return {
        "<": ours < reference,
        "<=": ours <= reference,
        ">": ours > reference,
        ">=": ours >= reference,
    }[op]


def flat_metrics(metrics, prefix=""):
    """Nested metrics back to ``{"group/name": number}`` (numbers only)."""
    flat = {}
    for key, value in metrics.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flat_metrics(value, path + "/"))
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            flat[path] = float(value)
    return flat


def table_from_record(record):
    """The "paper vs ours" Markdown table of a record: what `Run.table` shows, rebuilt from
    the results file alone (the record test compares the two)."""
    extra = record.get("extra", {})
    metrics = flat_metrics(record.get("metrics", {}))
    paper = extra.get("paper", {})
    lines = ["| quantity | paper | ours |", "|---|---:|---:|"]
    for row in extra.get("table", []):
        value = paper.get(row["key"])
        shown = "–" if value is None else f"{value:.2f}"
        lines.append(f"| {row['quantity']} | {shown} | {metrics[row['key']]:.2f} |")
    claims = extra.get("claims", [])
    if claims:
        lines += ["", "| claim | holds |", "|---|---|"]
        for claim in claims:
            lines.append(f"| {claim['statement']} | {'yes' if claim['holds'] else '**no**'} |")
    return "\n".join(lines)


def _nest(flat):
    nested = {}
    for key, value in flat.items():
        node = nested
        *groups, last = key.split("/")
        for group in groups:
            node = node.setdefault(group, {})
            if not isinstance(node, dict):
                raise ValueError(f"metric {key!r} nests under a number")
        node[last] = value
    return nested


def _finite_number(parameter, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            value = float(value)  # 0-d arrays and NumPy scalars
        except (TypeError, ValueError):
            raise ValueError(f"{parameter} must be a finite number, got {value!r}") from None
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{parameter} must be a finite number, got {value}")
    return value
