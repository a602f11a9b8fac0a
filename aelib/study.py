"""Parameters, profiles and results files of the studies.

A study notebook has a ``parameters`` cell (papermill overrides it with ``-p``); its next cell
calls `resolve_parameters`, which merges the chosen profile's defaults with the overrides and
stops the run at once, with a message naming the parameter, when something is off. At the end
the study calls `write_results`, which records every number with what is needed to reproduce
it: parameters, seed, backend, package versions, devices, wall time and git commit.

Profiles:

* ``smoke`` — minutes on a CPU; what CI runs. Its numbers only show that the pipeline works.
* ``full`` — the real reproduction, on a GPU or in a long CPU run.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from aelib._atomic import atomic_write_text

PROFILES = ("smoke", "full")
PROFILE_ENV = "AELIB_PROFILE"

# Packages whose versions go into every results file.
RECORDED_PACKAGES = ("aelib", "keras", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "numpy",
                     "scikit-learn")


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
    if set(profiles) != set(PROFILES):
        raise ValueError(f"profiles must define exactly {list(PROFILES)}, got {sorted(profiles)}")
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
    """Checks an override against the type and sign of the profile's default."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
        expected = "true or false"
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        expected = "a non-negative integer"
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        expected = "a non-negative number"
        value = float(value) if ok else value
    elif isinstance(default, (list, tuple)):
        ok = isinstance(value, (list, tuple)) and all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        )
        expected = "a list of positive integers"
        value = list(value) if ok else value
    else:
        ok = isinstance(value, type(default))
        expected = f"a {type(default).__name__}"
    if not ok:
        raise ValueError(f"parameter {name!r} must be {expected}, got {value!r}")
    return value


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
    import hashlib

    import jupytext

    cells = [
        cell.source.strip()
        for cell in jupytext.read(path).cells
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    return hashlib.sha256("\n# ---- next cell ----\n".join(cells).encode()).hexdigest()


def git_commit(path="."):
    """``{"commit": sha, "dirty": bool}`` of the repository holding ``path``, or ``None``.

    ``dirty`` is true when a tracked source file differs from the commit; executed notebooks
    (``*.ipynb``) and ``studies/results`` are left out, since running the studies rewrites them.
    """
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=path, capture_output=True, text=True, check=True
        ).stdout.strip()
        # Executed notebooks and results files are what a run writes, not what it runs.
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ":/",
             ":(exclude,top)*.ipynb", ":(exclude,top)studies/results"],
            cwd=path, capture_output=True, text=True, check=True,
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
        path: the JSON file, e.g. ``studies/results/hinton_pca.json``.
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
    path = Path(path)
    record = {
        "study": study,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "parameters": parameters,
        "metrics": metrics,
        "wall_time_s": round(float(wall_time_s), 3),
        "environment": environment_record(),
        "git": git_commit(path.parent if path.parent.exists() else "."),
    }
    if extra:
        record["extra"] = extra
    path = _keeping_full_record(path, parameters.get("profile"))
    record["path"] = str(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(record, indent=2, sort_keys=False, default=_jsonable) + "\n")
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
    warnings.warn(f"{path} holds a recorded full-profile run; this {profile} run's results go to "
                  f"{aside} instead", stacklevel=3)
    return aside


def _jsonable(value):
    """NumPy scalars and arrays to plain Python for JSON."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


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
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
        for line in lines
    ]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)
