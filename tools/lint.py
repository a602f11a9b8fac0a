"""Lint and format checks: ruff over the Python files and over the notebooks' code cells.

    python tools/lint.py          check: `ruff check` and `ruff format --check`
    python tools/lint.py --fix    apply ruff's safe fixes and its formatting, in place

The notebooks' sources are MyST Markdown files (`jupytext.toml`), which ruff does not read.
Each one is converted by jupytext into a notebook and given to ruff (which lints and formats
`.ipynb` cell by cell) under its pair's name, and every message names the Markdown file and
the cell (counting every cell, prose included, from 1). With `--fix` the fixed code cells are
written back into the Markdown file; its prose is left as it was.

Configuration, rules and the files left out are in `pyproject.toml` (`[tool.ruff]`); the
notebooks' code cells use a shorter line (NOTEBOOK_LINE_LENGTH) because readers see them on a
page, often on a phone.
"""

import argparse
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jupytext
from notebooks import notebooks  # tools/notebooks.py: the book's pages, from _toc.yml

ROOT = Path(__file__).resolve().parent.parent
PYTHON_PATHS = ["aelib", "benchmarks", "tests", "tools", "book/_ext", "book/claims.py", "studies"]
NOTEBOOK_LINE_LENGTH = 88
# The executed .ipynb files are outputs; their code is checked in the Markdown sources.
SKIP = ["--extend-exclude", "*.ipynb"]


def ruff(*args, stdin=None):
    """Runs ruff from this environment. Without `stdin` its output goes through and the exit
    status is returned; with it, the completed process (output captured) is."""
    if stdin is None:
        return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT).returncode
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def ruff_notebooks(sources, fix):
    """Runs ruff over the code cells of `sources` (paths relative to ROOT); returns its status.

    Each notebook goes to ruff on its standard input under the name of its `.ipynb` pair, so
    pyproject.toml's per-file rules and exclusions apply to it as to a file on disk."""
    # ruff applies [tool.ruff.format] exclude to files it finds, not to its standard input.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    unformatted = set(config["tool"]["ruff"].get("format", {}).get("exclude", []))
    status = 0
    for source in sources:
        name = str(source.with_suffix(".ipynb"))
        # The configuration is pyproject.toml's; only the line length differs.
        options = ["--line-length", str(NOTEBOOK_LINE_LENGTH), "--stdin-filename", name, "-"]
        commands = [["check"]] + ([] if name in unformatted else [["format"]])
        run = _fix_notebook if fix else _check_notebook
        status = run(source, name, commands, options) or status
    return status


def _check_notebook(source, name, commands, options):
    text = jupytext.writes(jupytext.read(ROOT / source), fmt="ipynb")
    flags = {"check": ["--output-format", "concise", "--quiet"], "format": ["--check", "--diff"]}
    status = 0
    for command in commands:
        done = ruff(*command, *flags[command[0]], *options, stdin=text)
        # Name the Markdown source, which is what a reader edits, not its .ipynb pair.
        for stream, out in ((sys.stdout, done.stdout), (sys.stderr, done.stderr)):
            stream.write(out.replace(name, str(source)))
        status = status or done.returncode
    return status


def _fix_notebook(source, name, commands, options):
    notebook = jupytext.read(ROOT / source)
    text = jupytext.writes(notebook, fmt="ipynb")
    for command in commands:
        done = ruff(*command, *(["--fix"] if command == ["check"] else []), *options, stdin=text)
        if done.returncode not in (0, 1):
            sys.stderr.write(done.stderr)
            return done.returncode
        text = done.stdout or text
    fixed = [cell for cell in jupytext.reads(text, fmt="ipynb").cells if cell.cell_type == "code"]
    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "code":
            new = fixed.pop(0).source
            changed |= new != cell.source
            cell.source = new
    if changed:
        original = (ROOT / source).read_text()
        text = jupytext.writes(notebook, fmt="md:myst")
        # Only the code changes: no version stamps the source did not have.
        for key in ("format_version", "jupytext_version"):
            if f"{key}:" not in original:
                text = re.sub(rf"(?m)^ +{key}: .*\n", "", text, count=1)
        temporary = (ROOT / source).with_suffix(".md.lint-tmp")
        temporary.write_text(text)
        temporary.replace(ROOT / source)  # whole or not at all
        print(f"rewrote the code cells of {source}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--fix", action="store_true", help="apply safe fixes and formatting in place"
    )
    args = parser.parse_args(argv)
    if args.fix:
        status = ruff("check", "--fix", *SKIP, *PYTHON_PATHS) or ruff(
            "format", *SKIP, *PYTHON_PATHS
        )
    else:
        status = ruff("check", "--output-format", "concise", *SKIP, *PYTHON_PATHS)
        status = ruff("format", "--check", *SKIP, *PYTHON_PATHS) or status
    sources = [path.relative_to(ROOT) for path in notebooks(ROOT, "md")]
    status = ruff_notebooks(sources, args.fix) or status
    if status and not args.fix:
        print(
            "lint failed: `python tools/lint.py --fix` applies what ruff can fix itself",
            file=sys.stderr,
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
