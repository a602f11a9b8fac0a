"""Nothing on a page runs past the text column, on a desktop screen or on a phone.

Every page is opened at 1280 px and at 420 px. A code cell, an output, a table, an image or a
display equation whose box reaches past the right edge of the text column fails the test (it
would be cut off). Inside the column, code and, on a phone, wide equations and tables may
scroll sideways (`_static/narrow-screens.css`); at 1280 px no equation may need to: a long one
is broken over lines (``aligned``).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import book_html_dir, book_pages, redirect_target

pytestmark = pytest.mark.browser

WIDTHS = (1280, 420)
# Sphinx's generated index pages (the general index's table of API names, the search page) are
# not pages of the book's text.
GENERATED = {"genindex.html", "py-modindex.html", "search.html"}

MEASURE = """() => {
  const article = document.querySelector("article.bd-article");
  if (!article) return {past: [], scrolling: []};
  const edge = article.getBoundingClientRect().right + 1;
  const describe = (el) =>
    el.tagName.toLowerCase() + ": " + (el.textContent || el.getAttribute("src") || "")
      .trim().replace(/\\s+/g, " ").slice(0, 60);
  const past = [], scrolling = [];
  const selector = 'pre, .cell_output, table, img, mjx-container[display="true"]';
  for (const el of article.querySelectorAll(selector)) {
    if (el.getBoundingClientRect().right > edge) past.push(describe(el));
    if (el.tagName === "MJX-CONTAINER" && el.scrollWidth > el.clientWidth + 1) {
      scrolling.push(describe(el));
    }
  }
  return {past, scrolling};
}"""


@pytest.fixture(scope="module")
def layouts(book_browser, book_root):
    """``{(width, page): measurements}`` for every page at every width, typeset first."""
    found = {}
    for width in WIDTHS:
        context = book_browser.browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for name in book_pages(book_root):
            if name in GENERATED or redirect_target(book_root / name) is not None:
                continue  # index.html only redirects to the landing page, measured itself
            page.goto((book_root / name).as_uri(), wait_until="load")
            if page.evaluate("() => !!document.querySelector(\"script[src*='mathjax' i]\")"):
                page.wait_for_function(
                    "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                    timeout=10_000,
                )
                page.evaluate("() => MathJax.startup.promise")
            found[(width, name)] = page.evaluate(MEASURE)
        context.close()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_runs_past_the_text_column(layouts, width):
    past = {name: m["past"] for (w, name), m in layouts.items() if w == width and m["past"]}
    assert not past, f"at {width} px, past the text column: {past}"


def test_on_a_desktop_screen_every_equation_fits_the_column(layouts):
    scrolling = {n: m["scrolling"] for (w, n), m in layouts.items() if w == 1280 and m["scrolling"]}
    assert not scrolling, f"at 1280 px these equations are wider than the column: {scrolling}"


def test_the_layout_check_saw_the_pages():
    # Guards against a vacuous pass: the book has pages to measure.
    root = book_html_dir()
    if (root / "index.html").is_file():
        assert len(book_pages(root)) >= 10
