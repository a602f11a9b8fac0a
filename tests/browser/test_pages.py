"""Open every page of the built book in headless Chromium and check what a reader sees.

A page fails when raw TeX is left on it (MathJax did not typeset it), an image is broken,
the console logs an error, a script throws, a file:// resource fails to load, or the page
tries to reach the network. The book is the folder named by $BOOK_HTML (default
_build/html); run `make html` first. Chromium is Debian's /usr/bin/chromium
(`bash tools/ensure_chromium.sh`).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


# conftest.py parametrizes `page` with every HTML page of the book (one test each).
def test_page_renders_cleanly(book_browser, page):
    report = book_browser.visit(page)
    if report.problems:
        listing = "\n  ".join(report.problems)
        pytest.fail(f"{page}: {len(report.problems)} problem(s):\n  {listing}", pytrace=False)


def test_book_has_rendered_math_and_images(book_browser, book_root, all_pages):
    """Guards against a vacuous pass: the book must show typeset math and images somewhere."""
    reports = [book_browser.visit(page) for page in all_pages]
    with_math = [r.page for r in reports if r.math_elements]
    with_images = [r.page for r in reports if r.images]
    print("pages with rendered math:", ", ".join(with_math) or "none")
    print("pages with images:", ", ".join(with_images) or "none")
    assert with_math, f"no page of {book_root} has MathJax-rendered math (mjx-container)"
    assert with_images, f"no page of {book_root} has a loaded image"
