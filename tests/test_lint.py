"""tools/lint.py: ruff over the notebooks' Markdown sources, messages naming them, fixes written
back into the code cells only."""

import importlib.util
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
# tools/lint.py imports tools/notebooks.py as a script's sibling, as `python tools/lint.py` does.
sys.path.insert(0, str(ROOT / "tools"))
spec = importlib.util.spec_from_file_location("lint_tool", ROOT / "tools" / "lint.py")
lint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lint)

PAGE = """---
jupytext:
  formats: ipynb,md:myst
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

Some prose,   with  spacing ruff must not touch.

```{code-cell} ipython3
import os
x=[1,2]
```

More prose.

```{code-cell} ipython3
print( x )
```
"""


def make_project(folder, monkeypatch):
    (folder / "pyproject.toml").write_text(
        '[tool.ruff]\nline-length = 100\n[tool.ruff.lint]\nselect = ["F"]\n'
        '[tool.ruff.format]\nexclude = ["recorded.ipynb"]\n'
    )
    for name in ("page.md", "recorded.md"):
        (folder / name).write_text(PAGE)
    monkeypatch.setattr(lint, "ROOT", folder)


def test_check_names_the_markdown_file_and_cell(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    status = lint.ruff_notebooks([Path("page.md")], fix=False)
    out = capsys.readouterr().out
    assert status != 0
    assert "page.md:cell 2:1:8: F401" in out  # `os` unused, in the first code cell
    assert "page.ipynb" not in out
    assert "x = [1, 2]" in out  # the formatting diff


def test_fix_rewrites_code_cells_and_keeps_the_prose(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    assert lint.ruff_notebooks([Path("page.md"), Path("recorded.md")], fix=True) == 0
    fixed = (tmp_path / "page.md").read_text()
    assert "Some prose,   with  spacing ruff must not touch." in fixed
    code = [c.source for c in jupytext.read(tmp_path / "page.md").cells if c.cell_type == "code"]
    assert code == ["x = [1, 2]", "print(x)"]
    assert fixed.startswith(PAGE[: PAGE.index("---\n\n") + 4])  # the header as it was
    # A file excluded from formatting gets lint fixes only.
    code = [
        c.source for c in jupytext.read(tmp_path / "recorded.md").cells if c.cell_type == "code"
    ]
    assert code == ["x=[1,2]", "print( x )"]
    assert lint.ruff_notebooks([Path("page.md")], fix=False) == 0
