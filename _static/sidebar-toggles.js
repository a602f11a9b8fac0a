/*
 * Makes the book's sidebar buttons work at every width.
 *
 * pydata-sphinx-theme (0.17) binds its handlers (open the navigation or the page contents as
 * a dialog on narrow screens) to the first element with the class `primary-toggle` or
 * `secondary-toggle` only: its own header button, which sphinx-book-theme (1.3) hides. The
 * buttons the reader sees are sphinx-book-theme's, later in the page, and nothing listens to
 * them. Here every later button passes its click on to the first one, so that the themes'
 * own handlers (the dialog on narrow screens, collapsing the sidebar on wide ones) run.
 */
(function () {
  function forward(kind) {
    const buttons = Array.from(document.querySelectorAll("." + kind + "-toggle"));
    const first = buttons[0];
    buttons.slice(1).forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  }
  function setUp() {
    forward("primary");
    forward("secondary");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
