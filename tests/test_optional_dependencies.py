"""`import aelib` and the book's chapters need nothing from the `studies` extra.

The extra (`pip install -e '.[studies]'`) holds what only the studies use, among them `bm3d` and
`bm4d`, which are free for non-commercial use only: the MIT library must work without them.
"""

import ast
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent


def studies_extra_modules():
    """Top-level module names of the distributions in the `studies` extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = {
        requirement.split("==")[0].lower()
        for requirement in project["project"]["optional-dependencies"]["studies"]
    }
    return {
        module
        for module, distributions in metadata.packages_distributions().items()
        if any(d.lower() in wanted for d in distributions) and not module.startswith("_")
    }


# Run in a fresh interpreter: any import of a blocked module fails as if it were not installed.
BLOCKED_IMPORT = """
import importlib, importlib.abc, pkgutil, sys

BLOCKED = set(sys.argv[1].split(","))

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked (not installed)")

sys.meta_path.insert(0, Blocker())
try:
    import bm3d
except ImportError:
    pass
else:
    raise SystemExit("the blocker did not block bm3d")

import aelib

names = [m.name for m in pkgutil.walk_packages(aelib.__path__, "aelib.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_the_extra_holds_the_non_commercial_packages():
    modules = studies_extra_modules()
    assert {"bm3d", "bm4d", "skimage", "tqdm"} <= modules


def test_every_module_of_aelib_imports_without_the_studies_extra():
    blocked = ",".join(sorted(studies_extra_modules()))
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT, blocked],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # Every module of the package was imported: aelib, models, data, evaluation, ...
    assert int(done.stdout.split()[-1]) >= 25


def imported_top_level_modules(source):
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_imported_modules_are_found_in_code():
    source = "import numpy as np\nfrom keras import ops\nfrom . import local\nimport a.b, c\n"
    assert imported_top_level_modules(source) == {"numpy", "keras", "a", "c"}


def test_no_chapter_imports_the_studies_extra():
    extra = studies_extra_modules()
    chapters = sorted((ROOT / "book").glob("*.md"))
    assert len(chapters) >= 8
    for chapter in chapters:
        code = "\n".join(
            cell.source
            for cell in jupytext.read(chapter).cells
            if cell.cell_type == "code" and not cell.source.lstrip().startswith(("%", "!"))
        )
        used = imported_top_level_modules(code) & extra
        assert not used, f"{chapter.name} imports {sorted(used)} from the studies extra"
