"""pyproject.toml and environment.yml must pin the same packages at the same versions."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _pins(requirements):
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", requirement.strip())
        assert match, f"not an exact pin: {requirement!r}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return _pins(requirements)


def environment_pins():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    return _pins([r for r in pip_section if not r.startswith("-e")])


def test_every_dependency_is_pinned_and_both_files_agree():
    from_pyproject, from_environment = pyproject_pins(), environment_pins()
    only_pyproject = {k: v for k, v in from_pyproject.items() if from_environment.get(k) != v}
    only_environment = {k: v for k, v in from_environment.items() if from_pyproject.get(k) != v}
    assert not only_pyproject and not only_environment, (
        f"pyproject.toml has {only_pyproject}, environment.yml has {only_environment}"
    )


def test_the_issue_s_pins_are_there():
    pins = pyproject_pins()
    assert pins["tensorflow-cpu"].startswith("2.21")
    assert pins["keras"].startswith("3.15")
    assert int(pins["jupyter-book"].split(".")[0]) < 2
    for package in ("jupytext", "papermill", "nbval", "matplotlib", "scikit-learn", "pytest"):
        assert package in pins


def test_environment_yml_python_matches_requires_python():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in environment["dependencies"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
