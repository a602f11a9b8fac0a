"""The book's navigation buttons work on a phone and on a desktop screen.

At 420 px the navigation and the page's contents are hidden behind two header buttons; a click
must open each as a dialog holding its links, and Escape must close it. At 1280 px the
navigation is shown beside the text, and its button must collapse it. (With the themes' own
scripts alone the visible buttons do nothing: `_static/sidebar-toggles.js` connects them.)
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# A chapter with sections, so that its contents panel has entries.
PAGE = "book/sparse.html"

DIALOG_STATE = """(kind) => {
  const dialog = document.getElementById(`pst-${kind}-sidebar-modal`);
  return {open: dialog.open, links: dialog.querySelectorAll("a[href]").length};
}"""


@pytest.fixture
def open_page(book_browser, book_root):
    contexts = []

    def open_at(width):
        context = book_browser.browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((book_root / PAGE).as_uri(), wait_until="load")
        return page, errors

    yield open_at
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("kind", "label"), [("primary", "navigation"), ("secondary", "contents")])
def test_on_a_phone_the_buttons_open_the_navigation_and_the_contents(open_page, kind, label):
    page, errors = open_page(420)
    assert page.evaluate(DIALOG_STATE, kind)["open"] is False
    page.locator(f"button.{kind}-toggle:visible").first.click()
    page.wait_for_timeout(300)
    state = page.evaluate(DIALOG_STATE, kind)
    assert state["open"], f"at 420 px the {label} button opened nothing"
    assert state["links"] > 3, f"the {label} dialog holds {state['links']} links"
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.evaluate(DIALOG_STATE, kind)["open"] is False, f"Escape left the {label} open"
    assert not errors


def test_on_a_wide_screen_the_menu_button_collapses_the_navigation(open_page):
    page, errors = open_page(1280)
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    page.locator("button.primary-toggle:visible").first.click()
    page.wait_for_timeout(300)
    assert not sidebar.is_visible(), "at 1280 px the menu button did not collapse the sidebar"
    assert page.evaluate(DIALOG_STATE, "primary")["open"] is False
    page.locator("button.primary-toggle:visible").first.click()
    page.wait_for_timeout(300)
    assert sidebar.is_visible(), "a second click did not bring the sidebar back"
    assert not errors
