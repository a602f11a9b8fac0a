"""Notebook chores for the Makefile: list, stage, execute.

    python tools/notebooks.py list    --tree . --format md|ipynb [--kind all|studies|pages]
    python tools/notebooks.py stage   DEST
    python tools/notebooks.py execute --tree . --profile smoke [--kind ...] [--only NAME ...]
    python tools/notebooks.py prose   NOTEBOOK.md

The notebooks are the pages of `_toc.yml`. Each is a MyST Markdown file (the source) paired with
an `.ipynb` (the executed outputs). `execute` reads the Markdown with jupytext, runs it with
papermill in its own folder, injecting `profile` into notebooks that have a `parameters` cell,
and writes the paired `.ipynb`, printing the time each one took.

`--kind` picks the notebooks with a `parameters` cell (`studies`: papermill injects their
profile), those without one (`pages`: the chapters and the book's own pages), or `all`. CI runs
each notebook once: `make test` executes the studies with papermill (the profile injected) and
validates the pages with nbval, which re-runs them against their committed outputs; the book is
then built from those outputs, which `tests/test_notebook_tools.py` checks are those of the
current sources.

A study whose `.ipynb` in the repository is a recorded `full` run is the run the book shows;
`execute` at another profile leaves it alone there (it still runs it in a staged copy, where
nothing is kept). `--profile full` re-runs it and replaces the record.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# What a staged copy of the book needs (the library itself is installed in the venv).
STAGED = ("_config.yml", "_toc.yml", "jupytext.toml", "_static", "book", "studies", "benchmarks")
IGNORED = shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__")

# Native log lines written to the process's stderr by TensorFlow/absl at import (they ignore
# TF_CPP_MIN_LOG_LEVEL); ipykernel forwards them into cell outputs, where they are noise.
NATIVE_LOG_LINE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\] .*"
    r"|To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\.)$"
)


def toc_pages(tree):
    """Page paths (without suffix) listed in the tree's `_toc.yml`, in book order."""
    toc = yaml.safe_load((Path(tree) / "_toc.yml").read_text())
    pages = []

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(node["file"])
            if "root" in node:
                pages.append(node["root"])
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return [re.sub(r"\.(md|ipynb)$", "", p) for p in pages]


KINDS = ("all", "studies", "pages")


def notebooks(tree, fmt="md", kind="all"):
    """The notebooks of the tree's `_toc.yml` in book order, as ``.md`` or ``.ipynb`` paths;
    ``kind`` keeps those with a parameters cell (``"studies"``) or without (``"pages"``)."""
    import jupytext

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {kind!r}")
    tree = Path(tree)
    pages = [tree / page for page in toc_pages(tree)]
    if kind != "all":
        studies = kind == "studies"
        pages = [
            page
            for page in pages
            if has_parameters_cell(jupytext.read(page.with_suffix(".md"))) == studies
        ]
    return [page.with_suffix(f".{fmt}") for page in pages]


def has_parameters_cell(nb):
    return any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in nb.cells)


def strip_native_logs(nb):
    """Removes native log lines from stderr outputs; drops outputs left empty."""
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                lines = output["text"].splitlines(keepends=True)
                text = "".join(
                    line for line in lines if not NATIVE_LOG_LINE.match(line.rstrip("\n"))
                )
                if not text.strip():
                    continue
                output["text"] = text
            kept.append(output)
        cell["outputs"] = kept
    return nb


def drop_input_copy(nb, md):
    """Replaces the copy of the input notebook that papermill keeps in the metadata.

    Given a notebook object rather than a file, papermill stores the whole input notebook as
    ``metadata.papermill.input_path``. That copy holds the prose as it was at the run, which
    `update_prose` later rewrites in the cells only: stale text in the committed file. The
    source's file name takes its place.
    """
    papermill = nb.metadata.get("papermill")
    if papermill is not None and not isinstance(papermill.get("input_path"), (str, type(None))):
        papermill["input_path"] = Path(md).name
    return nb


def stable_cell_ids(nb):
    """Cell ids derived from position and source, so re-running a notebook changes only outputs.

    jupytext and papermill give every cell a random id at each run, which fills the diffs of the
    recorded .ipynb with noise.
    """
    for index, cell in enumerate(nb.cells):
        digest = hashlib.sha1(cell.source.encode()).hexdigest()[:8]
        cell["id"] = f"cell-{index:03d}-{digest}"
    return nb


def recorded_profile(ipynb):
    """The `profile` papermill injected into an executed notebook, or None."""
    import nbformat

    if not Path(ipynb).exists():
        return None
    nb = nbformat.read(ipynb, as_version=4)
    return nb.metadata.get("papermill", {}).get("parameters", {}).get("profile")


def keeps_recorded_run(tree, target, profile):
    """True when executing `target` at `profile` would overwrite the repository's recorded full run."""
    return profile != "full" and Path(tree).resolve() == ROOT and recorded_profile(target) == "full"


def execute(tree, profile, only=(), kind="all"):
    import jupytext
    import nbformat
    import papermill

    from aelib._atomic import atomic_path

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    failures = []
    for md in notebooks(tree, "md", kind):
        if only and md.stem not in only:
            continue
        target = md.with_suffix(".ipynb")
        if keeps_recorded_run(tree, target, profile):
            print(
                f"kept {target}: it is the recorded full-profile run (--profile full re-runs it)",
                flush=True,
            )
            continue
        nb = jupytext.read(md)
        parameters = {"profile": profile} if has_parameters_cell(nb) else {}
        started = time.perf_counter()
        try:
            executed = papermill.execute_notebook(
                nb,
                None,
                parameters=parameters,
                kernel_name="python3",
                cwd=str(md.parent),
                progress_bar=False,
                log_output=False,
            )
        except papermill.PapermillExecutionError as error:
            failures.append(md)
            print(f"FAILED {md}: {error.ename}: {error.evalue}", flush=True)
            continue
        finally:
            elapsed = time.perf_counter() - started
        strip_native_logs(executed)
        drop_input_copy(executed, md)
        stable_cell_ids(executed)
        with atomic_path(target) as temporary:
            nbformat.write(executed, temporary)
        print(
            f"executed {md} -> {target.name} ({elapsed:.1f} s, parameters {parameters})", flush=True
        )
    return failures


def update_prose(md):
    """Copies the Markdown cells of `md`, and the figure captions and tags of its code cells
    (their ``mystnb`` and ``tags`` metadata), into its paired `.ipynb`, keeping everything else.

    For prose written after a recorded run (what its figures show): the executed notebook keeps
    its outputs, papermill's injected-parameters cell and metadata. The code cells must compute
    what they computed: the same code, or the same code laid out anew (lines wrapped, spacing,
    comments: `aelib.study.code_without_layout`), which is then copied too. The number of
    Markdown cells must be the same. Otherwise the notebook must be re-run. Returns the number
    of cells changed.
    """
    import jupytext
    import nbformat

    from aelib._atomic import atomic_path

    md = Path(md)
    target = md.with_suffix(".ipynb")
    source = jupytext.read(md)
    recorded = nbformat.read(target, as_version=4)

    def code_cells(nb):
        return [
            c
            for c in nb.cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
        ]

    def code(nb):
        return [c.source for c in code_cells(nb)]

    from aelib.study import same_code

    if not same_code(code(source), code(recorded)):
        raise SystemExit(f"{md}: its code differs from {target.name}'s; re-run it instead")
    texts = [c.source for c in source.cells if c.cell_type == "markdown"]
    cells = [c for c in recorded.cells if c.cell_type == "markdown"]
    if len(texts) != len(cells):
        raise SystemExit(
            f"{md} has {len(texts)} Markdown cells, {target.name} {len(cells)}; re-run it instead"
        )
    changed = 0
    # Code reformatted since the run: the outputs are those of the same code.
    for source_cell, cell in zip(code_cells(source), code_cells(recorded)):
        if cell.source != source_cell.source:
            cell.source = source_cell.source
            changed += 1
    for cell, text in zip(cells, texts):
        if cell.source != text:
            cell.source = text
            changed += 1
    # A code cell's figure caption and label (its "mystnb" metadata) are prose too, and so are
    # its tags, which say how the page shows it (e.g. "hide-output": a collapsed output).
    for source_cell, cell in zip(code_cells(source), code_cells(recorded)):
        cell_changed = False
        for key in ("mystnb", "tags"):
            wanted = source_cell.metadata.get(key)
            if cell.metadata.get(key) != wanted:
                if wanted is None:
                    del cell.metadata[key]
                else:
                    cell.metadata[key] = wanted
                cell_changed = True
        changed += cell_changed
    drop_input_copy(recorded, md)
    stable_cell_ids(recorded)
    with atomic_path(target) as temporary:
        nbformat.write(recorded, temporary)
    return changed


def stage(dest):
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in STAGED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=IGNORED, dirs_exist_ok=True)
        elif source.exists():
            shutil.copy2(source, dest / name)
    print(f"staged {', '.join(STAGED)} into {dest}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_list = sub.add_parser("list", help="print the notebooks of the book")
    p_list.add_argument("--tree", default=".")
    p_list.add_argument("--format", choices=("md", "ipynb"), default="md")
    p_list.add_argument("--kind", choices=KINDS, default="all")
    p_stage = sub.add_parser("stage", help="copy the book's sources into DEST")
    p_stage.add_argument("dest")
    p_exec = sub.add_parser("execute", help="run every notebook with papermill")
    p_exec.add_argument("--tree", default=".")
    p_exec.add_argument("--profile", default="smoke", choices=("smoke", "full"))
    p_exec.add_argument("--only", nargs="*", default=(), help="notebook names (stems) to run")
    p_exec.add_argument("--kind", choices=KINDS, default="all")
    p_prose = sub.add_parser("prose", help="copy a notebook's Markdown cells into its .ipynb")
    p_prose.add_argument("md")
    args = parser.parse_args(argv)

    if args.command == "list":
        print(" ".join(str(p) for p in notebooks(args.tree, args.format, args.kind)))
    elif args.command == "stage":
        stage(args.dest)
    elif args.command == "prose":
        print(f"updated {update_prose(args.md)} cell(s) of {Path(args.md).with_suffix('.ipynb')}")
    elif args.command == "execute":
        failures = execute(args.tree, args.profile, args.only, args.kind)
        if failures:
            print(
                f"{len(failures)} notebook(s) failed: {', '.join(map(str, failures))}",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
