"""The declared environment is the one the code needs and the one installed.

pyproject.toml and environment.yml pin the same packages at the same versions; every package
the library, the tools, the tests and the book's Sphinx extension import is declared (the library's
own imports as runtime dependencies); the packages this runs on are the pinned ones; and every
package under aelib/ is found by the packaging configuration.
"""

import ast
import fnmatch
import glob
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Imported modules that are part of this repository, not distributions.
FIRST_PARTY = {
    "aelib",
    "tests",
    "tools",
    "model_checks",
    "conftest",
    "offline_mathjax",
    "prep",  # each study's helper module, beside its notebook
    "notebooks",  # tools/notebooks.py, which tools/lint.py imports
    "benchmarks",  # benchmarks/, run by `make bench`
    "claims",  # book/claims.py, which the results page imports
}
# Imported by aelib/ only on a path the pinned stack can do without, so they need not be runtime
# dependencies: jax only under KERAS_BACKEND=jax (a dev extra), IPython behind an ImportError guard
# (aelib.training.in_notebook), torch only under KERAS_BACKEND=torch (not part of the stack at all).
OPTIONAL_FOR_THE_LIBRARY = {"jax", "IPython", "torch"}
NOT_DISTRIBUTED = {"torch"}


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements):
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", requirement.strip())
        assert match, f"not an exact pin: {requirement!r}"
        pins[_canonical(match.group(1))] = match.group(2)
    return pins


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def runtime_pins():
    return _pins(_project()["project"]["dependencies"])


def pyproject_pins():
    project = _project()["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return _pins(requirements)


def _environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pins():
    pip_section = next(d["pip"] for d in _environment()["dependencies"] if isinstance(d, dict))
    return _pins([r for r in pip_section if not r.startswith("-e")])


def imported_modules(*folders):
    """Top-level names of the third-party modules imported anywhere in ``folders``."""
    names = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - FIRST_PARTY


def _distributions(module):
    return {_canonical(d) for d in metadata.packages_distributions().get(module, [])}


def test_every_dependency_is_pinned_and_both_files_agree():
    from_pyproject, from_environment = pyproject_pins(), environment_pins()
    only_pyproject = {k: v for k, v in from_pyproject.items() if from_environment.get(k) != v}
    only_environment = {k: v for k, v in from_environment.items() if from_pyproject.get(k) != v}
    assert not only_pyproject and not only_environment, (
        f"pyproject.toml has {only_pyproject}, environment.yml has {only_environment}"
    )


def test_every_imported_package_is_declared():
    pins = pyproject_pins()
    undeclared = {
        module: sorted(_distributions(module)) or "not installed"
        for module in imported_modules("aelib", "tools", "tests", "book", "studies", "benchmarks")
        - NOT_DISTRIBUTED
        if not _distributions(module) & pins.keys()
    }
    assert not undeclared, f"imported but not pinned in pyproject.toml: {undeclared}"


def test_what_the_library_imports_is_a_runtime_dependency():
    runtime = runtime_pins()
    missing = {
        module: sorted(_distributions(module))
        for module in imported_modules("aelib") - OPTIONAL_FOR_THE_LIBRARY
        if not _distributions(module) & runtime.keys()
    }
    assert not missing, (
        f"aelib imports these, but they are not in [project] dependencies: {missing}"
    )


def test_the_installed_packages_are_the_pinned_ones():
    wrong = {}
    for name, pinned in pyproject_pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pinned:
            wrong[name] = f"pinned {pinned}, installed {installed}"
    assert not wrong, f"this environment is not the pinned stack (run `make venv`): {wrong}"


def test_every_package_under_aelib_is_packaged():
    find = _project()["tool"]["setuptools"]["packages"]["find"]
    # With namespaces = false, setuptools packages a folder when it has an __init__.py and its
    # dotted name matches an include pattern (and no exclude pattern); the same rule here.
    assert find.get("namespaces") is False
    folders = {p.parent for p in (ROOT / "aelib").rglob("*.py") if "__pycache__" not in p.parts}
    missing = []
    for folder in folders:
        name = ".".join(folder.relative_to(ROOT).parts)
        found = (folder / "__init__.py").exists() and (
            any(fnmatch.fnmatchcase(name, pattern) for pattern in find["include"])
            and not any(fnmatch.fnmatchcase(name, pattern) for pattern in find.get("exclude", ()))
        )
        if not found:
            missing.append(name)
    assert not missing, f"not packaged (an __init__.py missing?): {sorted(missing)}"


def test_the_data_files_of_aelib_data_are_package_data():
    patterns = _project()["tool"]["setuptools"]["package-data"]["aelib.data"]
    folder = ROOT / "aelib" / "data"
    # setuptools expands package-data patterns with glob(..., recursive=True), as here.
    packaged = {
        Path(p) for pattern in patterns for p in glob.glob(str(folder / pattern), recursive=True)
    }
    data_files = {p for p in folder.rglob("*") if p.suffix in {".txt", ".md", ".json"}}
    assert folder / "sha256.txt" in data_files
    assert data_files <= packaged, f"not package data: {sorted(map(str, data_files - packaged))}"


def _tested_pythons():
    """The minor versions requires-python admits, ``">=3.11,<3.13"`` -> ``["3.11", "3.12"]``."""
    requires = _project()["project"]["requires-python"]
    match = re.fullmatch(r">=\s*3\.(\d+)\s*,\s*<\s*3\.(\d+)", requires)
    assert match, f"requires-python is {requires!r}; this check reads only '>=3.X,<3.Y'"
    return [f"3.{minor}" for minor in range(int(match.group(1)), int(match.group(2)))]


def test_environment_yml_python_is_a_tested_one():
    assert any(f"python={v}" in _environment()["dependencies"] for v in _tested_pythons())


def test_the_makefile_chooses_among_the_tested_pythons_newest_first():
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^TESTED_PYTHONS\s*:=\s*(.+)$", makefile, re.M)
    assert match, "the Makefile names no TESTED_PYTHONS"
    assert match.group(1).split() == _tested_pythons()[::-1]
    assert "python3.11" not in makefile  # no version hard-coded beside the list
