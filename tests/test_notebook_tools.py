"""tools/notebooks.py: the toc listing and its kinds, the cleaning of native log lines, the
recorded runs kept, the prose updates; and that every executed notebook holds its source."""

import importlib.util
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("notebooks_tool", ROOT / "tools" / "notebooks.py")
notebooks_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(notebooks_tool)


def test_every_toc_page_is_a_paired_notebook():
    assert notebooks_tool.notebooks(ROOT, "md")
    for md in notebooks_tool.notebooks(ROOT, "md"):
        assert md.exists(), f"{md} is in _toc.yml but missing"
        assert "formats: ipynb,md:myst" in md.read_text(), f"{md} is not paired with jupytext"


def test_native_log_lines_are_removed_and_other_stderr_kept():
    cell = nbformat.v4.new_code_cell("import keras")
    cell.outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text=(
                "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                "I0000 00:00:1795911250.112750    9172 port.cc:153] oneDNN custom operations are on.\n"
            ),
        ),
        nbformat.v4.new_output(
            "stream",
            name="stderr",
            text=(
                "E0000 00:00:1795911254.564686   12 cuda_dnn.cc:8] noise\n"
                "To enable the following instructions: AVX2 FMA, in other operations, rebuild "
                "TensorFlow with the appropriate compiler flags.\n"
                "UserWarning: a real warning\n"
            ),
        ),
        nbformat.v4.new_output("stream", name="stdout", text="I0000 stays in stdout\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    notebooks_tool.strip_native_logs(nb)
    assert [(o["name"], o["text"]) for o in nb.cells[0].outputs] == [
        ("stderr", "UserWarning: a real warning\n"),
        ("stdout", "I0000 stays in stdout\n"),
    ]


def test_cell_ids_depend_only_on_position_and_source():
    cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("# Title")]
    first = notebooks_tool.stable_cell_ids(nbformat.v4.new_notebook(cells=cells))
    ids = [c["id"] for c in first.cells]
    again = notebooks_tool.stable_cell_ids(
        nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("# Title")]
        )
    )
    assert [c["id"] for c in again.cells] == ids
    assert len(set(ids)) == 2
    nbformat.validate(first)


def test_toc_pages_are_the_root_then_parts_chapters_and_sections_in_order(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\n"
        "root: book/intro\n"
        "parts:\n"
        "  - caption: One\n"
        "    chapters:\n"
        "      - file: book/b.md\n"
        "        sections:\n"
        "          - file: book/b_1\n"
        "      - file: book/a.ipynb\n"
        "  - caption: Two\n"
        "    chapters:\n"
        "      - file: studies/s\n"
    )
    assert notebooks_tool.toc_pages(tmp_path) == [
        "book/intro",
        "book/b",
        "book/b_1",
        "book/a",
        "studies/s",
    ]
    assert notebooks_tool.notebooks(tmp_path, "ipynb")[0] == tmp_path / "book" / "intro.ipynb"


def test_kinds_split_the_book_into_studies_and_pages():
    studies = notebooks_tool.notebooks(ROOT, "md", kind="studies")
    pages = notebooks_tool.notebooks(ROOT, "md", kind="pages")
    assert studies and all(p.parts[-3] == "studies" for p in studies)
    assert pages and not any("studies" in p.parts for p in pages)
    assert sorted(studies + pages) == sorted(notebooks_tool.notebooks(ROOT, "md"))


def test_every_executed_notebook_holds_its_sources_current_cells():
    """CI builds the book from the committed outputs of the chapters and pages (nbval re-runs
    them but writes nothing), so each .ipynb must hold the cells of its .md: the same code and
    the same prose in the same order, papermill's injected parameters apart. After editing a
    page, re-execute it (`make execute`), or for prose alone `tools/notebooks.py prose`."""

    def cells(nb):
        return [
            (cell.cell_type, cell.source.strip())
            for cell in nb.cells
            if "injected-parameters" not in cell.get("metadata", {}).get("tags", [])
        ]

    for md in notebooks_tool.notebooks(ROOT, "md"):
        executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
        source, shown = cells(jupytext.read(md)), cells(executed)
        assert len(source) == len(shown), f"{md.name}: {len(source)} cells, .ipynb {len(shown)}"
        for i, (a, b) in enumerate(zip(source, shown)):
            assert a == b, f"{md.name}, cell {i}: the .ipynb does not hold the source's cell"


def test_every_notebook_of_the_book_and_the_studies_is_a_toc_page():
    """A page missing from _toc.yml would be neither executed nor built (only_build_toc_files)."""
    sources = {
        md.relative_to(ROOT).with_suffix("").as_posix()
        for folder in ("book", "studies")
        for md in (ROOT / folder).glob("*.md")
        if "jupytext:" in md.read_text()
    }
    assert sources and sources <= set(notebooks_tool.toc_pages(ROOT)), sources


def test_a_recorded_full_run_is_kept_in_the_repository_only(tmp_path, monkeypatch):
    full = tmp_path / "full.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"parameters": {"profile": "full"}}
    nbformat.write(nb, full)
    smoke = tmp_path / "smoke.ipynb"
    nb.metadata["papermill"] = {"parameters": {"profile": "smoke"}}
    nbformat.write(nb, smoke)
    assert notebooks_tool.recorded_profile(full) == "full"
    assert notebooks_tool.recorded_profile(tmp_path / "missing.ipynb") is None
    # In the repository a smoke execution keeps the full record; a full one replaces it.
    monkeypatch.setattr(notebooks_tool, "ROOT", tmp_path)
    assert notebooks_tool.keeps_recorded_run(tmp_path, full, "smoke")
    assert not notebooks_tool.keeps_recorded_run(tmp_path, full, "full")
    assert not notebooks_tool.keeps_recorded_run(tmp_path, smoke, "smoke")
    # A staged copy (CI's scratch tree) runs everything.
    staged = tmp_path / "_build" / "ci"
    staged.mkdir(parents=True)
    assert not notebooks_tool.keeps_recorded_run(staged, full, "smoke")


# The front matter of a jupytext MyST page, for the prose-update tests.
MYST_HEADER = (
    "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
    "kernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
)


def test_no_executed_notebook_keeps_a_copy_of_its_input():
    """papermill, given a notebook object, stores the whole input notebook in the metadata; its
    prose goes stale once `tools/notebooks.py prose` updates the cells. Only a name is kept."""
    for md in notebooks_tool.notebooks(ROOT, "md"):
        executed = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
        kept = executed.metadata.get("papermill", {}).get("input_path")
        assert kept is None or isinstance(kept, str), f"{md.name}: a copy of its input"


def test_the_input_copy_is_replaced_by_the_sources_name():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"input_path": {"cells": []}, "parameters": {"profile": "full"}}
    notebooks_tool.drop_input_copy(nb, Path("book/page.md"))
    assert nb.metadata["papermill"] == {"input_path": "page.md", "parameters": {"profile": "full"}}
    notebooks_tool.drop_input_copy(nb, Path("book/other.md"))  # a name is kept as it is
    assert nb.metadata["papermill"]["input_path"] == "page.md"


def test_prose_update_keeps_outputs_and_refuses_changed_code(tmp_path):
    import jupytext
    import pytest

    md = tmp_path / "page.md"
    md.write_text(MYST_HEADER + "Old words.\n\n```{code-cell} ipython3\nx = 1\n```\n")
    executed = jupytext.read(md)
    injected = nbformat.v4.new_code_cell(
        'profile = "full"', metadata={"tags": ["injected-parameters"]}
    )
    executed.cells.insert(1, injected)
    executed.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(executed, tmp_path / "page.ipynb")

    md.write_text(MYST_HEADER + "New words.\n\n```{code-cell} ipython3\nx = 1\n```\n")
    assert notebooks_tool.update_prose(md) == 1
    updated = nbformat.read(tmp_path / "page.ipynb", as_version=4)
    assert updated.cells[0].source == "New words."
    assert "injected-parameters" in updated.cells[1].metadata["tags"]
    assert updated.cells[-1].outputs[0]["text"] == "1\n"

    md.write_text(MYST_HEADER + "New words.\n\n```{code-cell} ipython3\nx = 2\n```\n")
    with pytest.raises(SystemExit, match="re-run"):
        notebooks_tool.update_prose(md)


def test_prose_update_copies_code_laid_out_anew_and_keeps_the_outputs(tmp_path):
    import jupytext
    import pytest

    md = tmp_path / "page.md"
    cell = "```{code-cell} ipython3\ntotal = sum([1,  2, 3])  # six\nprint(total)\n```\n"
    md.write_text(MYST_HEADER + "Words.\n\n" + cell)
    executed = jupytext.read(md)
    executed.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="6\n")]
    nbformat.write(executed, tmp_path / "page.ipynb")

    wrapped = "```{code-cell} ipython3\ntotal = sum(\n    [1, 2, 3]\n)\nprint(total)\n```\n"
    md.write_text(MYST_HEADER + "Words.\n\n" + wrapped)
    assert notebooks_tool.update_prose(md) == 1
    updated = nbformat.read(tmp_path / "page.ipynb", as_version=4)
    assert updated.cells[-1].source == "total = sum(\n    [1, 2, 3]\n)\nprint(total)"
    assert updated.cells[-1].outputs[0]["text"] == "6\n"
    # A changed constant is other code: its outputs would not be these.
    md.write_text(MYST_HEADER + "Words.\n\n" + wrapped.replace("3]", "4]"))
    with pytest.raises(SystemExit, match="re-run"):
        notebooks_tool.update_prose(md)


def test_prose_update_copies_figure_captions(tmp_path):
    import jupytext

    md = tmp_path / "page.md"
    md.write_text(MYST_HEADER + "Words.\n\n```{code-cell} ipython3\nx = 1\n```\n")
    executed = jupytext.read(md)
    executed.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(executed, tmp_path / "page.ipynb")

    caption = "mystnb:\n  figure:\n    name: fig-x\n    caption: One number.\n"
    md.write_text(
        MYST_HEADER + f"Words.\n\n```{{code-cell}} ipython3\n---\n{caption}---\nx = 1\n```\n"
    )
    assert notebooks_tool.update_prose(md) == 1
    updated = nbformat.read(tmp_path / "page.ipynb", as_version=4)
    assert updated.cells[-1].metadata["mystnb"]["figure"] == {
        "name": "fig-x",
        "caption": "One number.",
    }
    assert updated.cells[-1].outputs[0]["text"] == "1\n"
    # Tags say how the page shows the cell: they follow the source too.
    md.write_text(
        MYST_HEADER
        + f"Words.\n\n```{{code-cell}} ipython3\n---\n{caption}tags: [hide-output]\n---\n"
        + "x = 1\n```\n"
    )
    assert notebooks_tool.update_prose(md) == 1
    assert nbformat.read(tmp_path / "page.ipynb", as_version=4).cells[-1].metadata["tags"] == [
        "hide-output"
    ]
    # Removing the caption from the source removes it from the notebook.
    md.write_text(MYST_HEADER + "Words.\n\n```{code-cell} ipython3\nx = 1\n```\n")
    assert notebooks_tool.update_prose(md) == 1
    assert "mystnb" not in nbformat.read(tmp_path / "page.ipynb", as_version=4).cells[-1].metadata
