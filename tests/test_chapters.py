"""Every chapter ends with exercises: three to five, some with a hint or a worked answer; every
figure of a chapter or a study is numbered, captioned and referred to."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = [
    "intro",
    "undercomplete_linear",
    "convolutional",
    "sparse",
    "sparse_dictionaries",
    "denoising",
    "contractive",
    "concrete",
    "variational",
    "generative",
    "deep_pretrained",
    "masked",
]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_chapter_ends_with_exercises(chapter):
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    assert "\n## Exercises\n" in text, f"{chapter} has no Exercises section"
    exercises = text.split("\n## Exercises\n", 1)[1]
    assert "\n## " not in exercises, "the exercises must be the chapter's last section"
    numbered = re.findall(r"^(\d+)\. \*\*", exercises, flags=re.M)
    assert 3 <= len(numbered) <= 5 and numbered == [str(i + 1) for i in range(len(numbered))]
    assert re.search(r"```\{dropdown\} (Hint|Answer)", exercises), "no hint or answer"


def test_every_chapter_is_listed():
    toc = (ROOT / "_toc.yml").read_text()
    for chapter in CHAPTERS:
        assert f"book/{chapter}\n" in toc


# The studies' executed notebooks, which the book shows beside the chapters.
STUDIES = sorted(p.parent.name for p in ROOT.glob("studies/*/*.md") if p.stem == p.parent.name)
FIGURED = [f"book/{chapter}" for chapter in CHAPTERS] + [f"studies/{s}/{s}" for s in STUDIES]


@pytest.mark.parametrize("page", FIGURED)
def test_every_figure_is_numbered_captioned_and_referred_to(page):
    import nbformat

    notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    for cell in notebook.cells:
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if cell.cell_type != "code" or len(images) != 1:
            continue  # a cell with several images keeps the text's description
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        first_line = cell.source.splitlines()[0]
        assert figure.get("caption") and figure.get("name"), f"uncaptioned: {first_line!r}"
        assert f"{{numref}}`{figure['name']}`" in text, f"{figure['name']} is never referred to"


# A training log line: Keras's "Epoch 3/20" and its progress bar "1875/1875 ━━━━", or a
# study's own "epoch 10/100, test error ...".
EPOCH_LOG = re.compile(r"(?i)\bepoch\s+\d+\s*/\s*\d+|\b\d+/\d+ [━=]")


@pytest.mark.parametrize("page", FIGURED)
def test_no_page_shows_a_training_log(page):
    """Training draws its curve instead; a log kept for the record is collapsed (hide-output)."""
    import nbformat

    notebook = nbformat.read(ROOT / f"{page}.ipynb", as_version=4)
    shown = []
    for cell in notebook.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or tags & {"hide-output", "remove-output"}:
            continue
        for output in cell.get("outputs", []):
            # The book removes stderr (where progress bars go); stdout and results are shown.
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                shown.append(output["text"])
            shown.append(output.get("data", {}).get("text/plain", ""))
    logged = [line for text in shown for line in text.splitlines() if EPOCH_LOG.search(line)]
    assert not logged, f"{page} shows {len(logged)} training-log lines, e.g. {logged[0]!r}"


def test_the_training_log_check_sees_a_log():
    assert EPOCH_LOG.search("mnist_joint: epoch 10/100, test error 15.29, 144 s")
    assert EPOCH_LOG.search("Epoch 3/20")
    assert EPOCH_LOG.search("1875/1875 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - loss: 0.0312")
    assert not EPOCH_LOG.search("trained 50 epochs in 1600 s")
