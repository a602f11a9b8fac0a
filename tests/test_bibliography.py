"""The book's one bibliography: every entry has a DOI or a stable link, every chapter and study
cites from it, and every citation names an entry."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "book" / "references.bib"
CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")


def entries():
    """``{key: fields text}`` of the BibTeX file."""
    text = BIB.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"@\w+\{([^,\s]+),(.*?)\n\}", text, flags=re.S):
        found[match.group(1)] = match.group(2)
    return found


def pages():
    """The Markdown sources of the chapters and the studies."""
    return sorted(ROOT.glob("book/*.md")) + sorted(ROOT.glob("studies/*/*.md"))


def test_every_entry_has_a_doi_or_a_stable_link():
    found = entries()
    assert len(found) >= 25
    for key, fields in found.items():
        assert re.search(r"\b(doi|url)\s*=", fields), f"{key} has neither a doi nor a url"
        assert re.search(r"\byear\s*=\s*\{\d{4}\}", fields), f"{key} has no year"


def test_every_citation_names_an_entry():
    keys = set(entries())
    for page in pages():
        for group in CITE.findall(page.read_text(encoding="utf-8")):
            for key in group.split(","):
                assert key.strip() in keys, f"{page.relative_to(ROOT)} cites unknown {key!r}"


def test_every_chapter_and_study_cites_the_bibliography():
    # The pages that are not chapters: the landing page, the reference pages.
    apparatus = {"home", "results", "performance", "api", "bibliography", "notation"}
    for page in pages():
        if page.stem in apparatus:
            continue
        assert CITE.search(page.read_text(encoding="utf-8")), (
            f"{page.relative_to(ROOT)} cites nothing"
        )


def test_every_entry_is_cited_somewhere():
    cited = {
        key.strip()
        for page in pages()
        for group in CITE.findall(page.read_text(encoding="utf-8"))
        for key in group.split(",")
    }
    assert set(entries()) - cited == set()
