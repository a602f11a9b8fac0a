"""The book's results page (book/results.md): its verdicts are those of the records."""

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "book" / "results.ipynb"

_spec = importlib.util.spec_from_file_location("claims", ROOT / "book" / "claims.py")
claims = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(claims)


def _page_verdicts():
    """``{claim: verdict}`` as the executed page shows them (its first table)."""
    notebook = nbformat.read(PAGE, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            if text.startswith("| claim | verdict |"):
                shown = {}
                for line in text.splitlines()[2:]:
                    claim, verdict, _ = (part.strip() for part in line.strip("|").split(" | "))
                    shown[claim] = re.sub(r"^\[(.*)\]\(.*\)$", r"\1", verdict)
                return shown
    pytest.fail("book/results.ipynb shows no claims table: execute it")


def test_the_page_shows_the_verdicts_of_the_records():
    expected = {row["claim"]: row["verdict"] for row in claims.verdicts(ROOT)}
    assert _page_verdicts() == expected, (
        "book/results.ipynb disagrees with the records: re-execute it "
        "(python tools/notebooks.py execute --tree . --profile smoke --only results)"
    )


def test_every_check_refers_to_something_recorded():
    # A claim statement that a study no longer records raises; a missing study is "not yet".
    for row in claims.verdicts(ROOT):
        assert row["verdict"] in (claims.HOLDS, claims.PARTLY, claims.FAILS, claims.UNTESTED)
    untested = {r["claim"] for r in claims.verdicts(ROOT) if r["verdict"] == claims.UNTESTED}
    for entry in claims.CLAIMS:
        studies = {c.get("study") for c in entry["checks"]} - {None}
        missing = [s for s in studies if not (ROOT / "studies" / s / "results.json").exists()]
        assert (entry["claim"] in untested) == bool(missing)


def test_verdicts_from_outcomes():
    assert claims.verdict([True, True, True]) == claims.HOLDS
    assert claims.verdict([True, False]) == claims.PARTLY
    assert claims.verdict([False, False]) == claims.FAILS
    assert claims.verdict([True, None]) == claims.UNTESTED


def _record(tmp_path, study, metrics, recorded_claims):
    folder = tmp_path / "studies" / study
    folder.mkdir(parents=True)
    record = {"metrics": metrics, "extra": {"paper": {"a": 1.0}, "claims": recorded_claims}}
    (folder / "results.json").write_text(json.dumps(record))


def test_checks_read_claims_metrics_and_chapters(tmp_path):
    _record(tmp_path, "toy", {"a": 2.0, "b": 3.0}, [{"statement": "s", "holds": False}])
    assert claims.check_outcome({"study": "toy", "claim": "s"}, tmp_path) is False
    assert claims.check_outcome({"study": "toy", "metric": "a", "op": "<", "than": "b"}, tmp_path)
    # "within" against the paper's value: |2 - 1| <= 0.5 fails.
    within = {"study": "toy", "metric": "a", "op": "within", "than": None, "tolerance": 0.5}
    assert claims.check_outcome(within, tmp_path) is False
    assert claims.check_outcome({"study": "absent", "claim": "s"}, tmp_path) is None
    with pytest.raises(ValueError, match="recorded no claim"):
        claims.check_outcome({"study": "toy", "claim": "other"}, tmp_path)

    (tmp_path / "book").mkdir()
    notebook = nbformat.v4.new_notebook()
    ok = nbformat.v4.new_code_cell("assert 1 < 2  # fine", execution_count=1)
    failed = nbformat.v4.new_code_cell("assert 2 < 1  # broken", execution_count=2)
    failed.outputs = [
        nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])
    ]
    never = nbformat.v4.new_code_cell("assert 3 < 4  # never ran")
    notebook.cells = [ok, failed, never]
    nbformat.write(notebook, tmp_path / "book" / "toy.ipynb")
    assert claims.chapter_assertion_ran("toy", "# fine", tmp_path) is True
    assert claims.chapter_assertion_ran("toy", "# broken", tmp_path) is False
    assert claims.chapter_assertion_ran("toy", "# never ran", tmp_path) is False
    with pytest.raises(ValueError, match="no code cell"):
        claims.chapter_assertion_ran("toy", "# absent", tmp_path)


def test_a_chapter_check_reads_the_claim_the_chapter_printed(tmp_path):
    (tmp_path / "book").mkdir()
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(...)", execution_count=1)
    text = "accuracy 0.9\nclaim: a beats b: fails\nclaim: c beats d: holds\n"
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    twice = nbformat.v4.new_code_cell("print(...)", execution_count=2)
    twice.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="claim: e: holds\nclaim: e: fails\n")
    ]
    notebook.cells = [cell, twice]
    nbformat.write(notebook, tmp_path / "book" / "toy.ipynb")
    assert claims.check_outcome({"chapter": "toy", "claim": "a beats b"}, tmp_path) is False
    assert claims.check_outcome({"chapter": "toy", "claim": "c beats d"}, tmp_path) is True
    with pytest.raises(ValueError, match="printed 0 outcomes"):
        claims.check_outcome({"chapter": "toy", "claim": "a beats"}, tmp_path)
    with pytest.raises(ValueError, match="printed 2 outcomes"):
        claims.check_outcome({"chapter": "toy", "claim": "e"}, tmp_path)


def test_a_check_expected_to_fail_counts_for_the_claim(tmp_path, monkeypatch):
    _record(tmp_path, "toy", {"a": 1.0}, [{"statement": "s", "holds": False}])
    monkeypatch.setattr(
        claims,
        "CLAIMS",
        [
            {
                "claim": "c",
                "where": None,
                "checks": [{"study": "toy", "claim": "s", "expect": False, "label": "l"}],
            }
        ],
    )
    (row,) = claims.verdicts(tmp_path)
    assert row["verdict"] == claims.HOLDS and row["checks"][0]["holds"] is False


def test_the_landing_page_counts_the_claims_of_each_record():
    notebook = nbformat.read(ROOT / "book" / "home.ipynb", as_version=4)
    tables = [
        o["data"]["text/markdown"]
        for c in notebook.cells
        for o in c.get("outputs", [])
        if o.get("data", {}).get("text/markdown", "").startswith("| study |")
    ]
    assert tables, "book/home.ipynb shows no table of the studies: execute it"
    shown = {}
    for line in tables[0].splitlines()[2:]:
        study, held, _ = (part.strip() for part in line.strip().strip("|").split(" | ", 2))
        shown[re.sub(r"^\[(.*)\]\(.*\)$", r"\1", study)] = held
    for path in sorted(ROOT.glob("studies/*/results.json")):
        recorded = json.loads(path.read_text())["extra"]["claims"]
        held = sum(bool(c["holds"]) for c in recorded)
        assert shown.pop(path.parent.name) == f"{held} of {len(recorded)}", path.parent.name
    assert all(value == "not yet run" for value in shown.values()), shown
