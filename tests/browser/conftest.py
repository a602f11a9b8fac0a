"""Headless Chromium, driven by Playwright, for the checks of the built book.

The browser is Debian's ``/usr/bin/chromium`` (``tools/ensure_chromium.sh`` installs it);
Playwright never downloads one of its own. Each page is loaded once per session by
file:// URL and the findings are cached, so the per-page tests and the book-wide test share
one visit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright must never fetch a browser of its own.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Folders of the HTML output that hold assets, not pages.
ASSET_DIRS = {"_static", "_sources", "_images", "_downloads", "_panels_static"}
MATHJAX_LOAD_TIMEOUT_MS = 5_000
MATHJAX_TYPESET_TIMEOUT_MS = 60_000
IMAGE_TIMEOUT_MS = 15_000


def book_html_dir() -> Path:
    """The built book: $BOOK_HTML (relative to the working directory) or _build/html."""
    env = os.environ.get("BOOK_HTML")
    return Path(env).resolve() if env else REPO_ROOT / "_build" / "html"


def book_pages(root: Path) -> list[str]:
    """Every HTML page of the book, as paths relative to ``root`` (posix)."""
    pages = []
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root)
        if rel.parts[0] in ASSET_DIRS:
            continue
        pages.append(rel.as_posix())
    return pages


_REFRESH = re.compile(
    r"""<meta[^>]*http-equiv=["']?refresh["']?[^>]*content=["']?\s*\d+\s*;\s*url=([^"'>]+)""",
    re.IGNORECASE,
)


def redirect_target(path: Path) -> Path | None:
    """The file a ``<meta http-equiv="refresh">`` page redirects to, or None."""
    match = _REFRESH.search(path.read_text(encoding="utf-8", errors="replace")[:4096])
    if not match:
        return None
    url = match.group(1).strip().split("#")[0].split("?")[0]
    return (path.parent / url).resolve()


@dataclass
class PageReport:
    page: str
    problems: list[str] = field(default_factory=list)
    math_elements: int = 0  # rendered mjx-container elements
    images: int = 0  # <img> elements that loaded


# Runs in the page once MathJax (if any) is done. Returns what the Python side checks.
PAGE_CHECK_JS = r"""
async ([imageTimeoutMs]) => {
  // Images: make lazy ones load, then wait for every image to settle.
  const imgs = Array.from(document.images);
  for (const img of imgs) { if (img.loading === "lazy") img.loading = "eager"; }
  await Promise.all(imgs.map((img) => img.complete ? null : new Promise((resolve) => {
    img.addEventListener("load", resolve, {once: true});
    img.addEventListener("error", resolve, {once: true});
    setTimeout(resolve, imageTimeoutMs);
  })));
  const brokenImages = imgs
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.getAttribute("src") || "(no src)");
  const loadedImages = imgs.length - brokenImages.length;

  // Raw TeX left in visible text: skip script/style/code/pre/textarea and MathJax's output.
  const SKIP = new Set(["SCRIPT", "STYLE", "CODE", "PRE", "TEXTAREA", "NOSCRIPT",
                        "MJX-CONTAINER", "MJX-ASSISTIVE-MML"]);
  const RAW = ["$$", "\\(", "\\[", "\\begin{"];
  const rawTex = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (SKIP.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      }
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    if (RAW.some((token) => text.includes(token))) {
      rawTex.push(text.trim().replace(/\s+/g, " ").slice(0, 120));
    }
  }

  // Sphinx's math nodes: each must hold MathJax output.
  const mathNodes = Array.from(document.querySelectorAll(".math"));
  const untypeset = mathNodes
    .filter((el) => !el.querySelector("mjx-container"))
    .map((el) => el.textContent.trim().replace(/\s+/g, " ").slice(0, 120));

  return {
    brokenImages, loadedImages, rawTex, untypeset,
    mjx: document.querySelectorAll("mjx-container").length,
    hasMathJaxScript: !!document.querySelector("script[src*='mathjax' i]"),
  };
}
"""


class BookBrowser:
    """Visits pages of one built book and caches a PageReport per page."""

    def __init__(self, browser, root: Path):
        self.browser = browser
        self.root = root
        self.reports: dict[str, PageReport] = {}

    def visit(self, page_rel: str) -> PageReport:
        if page_rel not in self.reports:
            self.reports[page_rel] = self._visit(page_rel)
        return self.reports[page_rel]

    def _visit(self, page_rel: str) -> PageReport:
        report = PageReport(page_rel)
        problems = report.problems
        context = self.browser.new_context(viewport={"width": 1280, "height": 1000})
        page = context.new_page()

        def on_console(msg):
            if msg.type == "error":
                loc = msg.location or {}
                where = f" ({loc.get('url', '')}:{loc.get('lineNumber', '')})" if loc else ""
                problems.append(f"console error: {msg.text}{where}")

        def on_request_failed(request):
            if request.url.startswith("file:"):
                problems.append(f"failed to load {request.url}: {request.failure}")

        def on_network(route):
            problems.append(f"network request (the book must work offline): {route.request.url}")
            route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: problems.append(f"uncaught exception: {exc}"))
        page.on("requestfailed", on_request_failed)
        page.route(re.compile(r"^https?://"), on_network)

        try:
            path = self.root / page_rel
            page.goto(path.as_uri(), wait_until="load", timeout=60_000)
            target = redirect_target(path)
            if target is not None:
                # e.g. the index.html that Jupyter Book writes as a redirect to the root page:
                # check that the target exists, follow it and check the page it lands on.
                if not target.is_file():
                    problems.append(f"redirects to a missing page: {target}")
                    context.close()
                    return report
                page.wait_for_url(target.as_uri(), timeout=30_000)
                page.wait_for_load_state("load")
            has_mathjax = page.evaluate(
                "() => !!document.querySelector(\"script[src*='mathjax' i]\")"
            )
            if has_mathjax:
                # The script is deferred, so it has run by the load event: a short wait is
                # enough to tell "MathJax did not load" (e.g. a CDN URL offline) from slow.
                try:
                    page.wait_for_function(
                        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                        timeout=MATHJAX_LOAD_TIMEOUT_MS,
                    )
                except Exception:
                    problems.append("MathJax did not load (MathJax.startup.promise missing)")
                else:
                    outcome = page.evaluate(
                        """(ms) => Promise.race([
                             MathJax.startup.promise.then(() => "ok", (e) => "error: " + e),
                             new Promise((r) => setTimeout(() => r("timeout"), ms)),
                           ])""",
                        MATHJAX_TYPESET_TIMEOUT_MS,
                    )
                    if outcome != "ok":
                        problems.append(f"MathJax did not finish typesetting: {outcome}")
            result = page.evaluate(PAGE_CHECK_JS, [IMAGE_TIMEOUT_MS])
            # Give late console errors (fonts MathJax requested) a moment to arrive.
            page.wait_for_timeout(200)
        except Exception as exc:
            problems.append(f"could not load and check the page: {exc}")
            context.close()
            return report
        context.close()

        for src in result["brokenImages"]:
            problems.append(f"broken image (naturalWidth 0): {src}")
        for text in result["rawTex"]:
            problems.append(f"raw TeX left on the page: {text!r}")
        for text in result["untypeset"]:
            problems.append(f".math element without mjx-container (not typeset): {text!r}")
        if (result["rawTex"] or result["untypeset"]) and not result["hasMathJaxScript"]:
            problems.append("the page has math but loads no MathJax script")
        report.math_elements = result["mjx"]
        report.images = result["loadedImages"]
        return report


_REPORTS_KEY = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[_REPORTS_KEY] = {}


def pytest_generate_tests(metafunc):
    """One test per page: parametrize every test that takes a ``page`` argument."""
    if "page" not in metafunc.fixturenames:
        return
    root = book_html_dir()
    if not (root / "index.html").is_file():
        reason = (
            f"no built book: {root / 'index.html'} does not exist (set BOOK_HTML or run make html)"
        )
        metafunc.parametrize(
            "page", [pytest.param(None, marks=pytest.mark.skip(reason=reason))], ids=["no-book"]
        )
        return
    pages = book_pages(root)
    metafunc.parametrize("page", pages, ids=pages)


@pytest.fixture(scope="session")
def all_pages(book_root) -> list[str]:
    return book_pages(book_root)


@pytest.fixture(scope="session")
def book_root() -> Path:
    root = book_html_dir()
    if not (root / "index.html").is_file():
        pytest.skip(
            f"no built book: {root / 'index.html'} does not exist (set BOOK_HTML or run make html)"
        )
    return root


@pytest.fixture(scope="session")
def book_browser(book_root, pytestconfig):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: run `bash tools/ensure_chromium.sh` (installs Debian's "
            "chromium) or set CHROMIUM_PATH. Playwright's own browser downloads are not used."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        bb = BookBrowser(browser, book_root)
        pytestconfig.stash[_REPORTS_KEY] = bb.reports
        try:
            yield bb
        finally:
            browser.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = config.stash.get(_REPORTS_KEY, {})
    if not reports:
        return
    tr = terminalreporter
    tr.section("book pages in Chromium")
    for name, rep in sorted(reports.items()):
        status = "OK" if not rep.problems else f"{len(rep.problems)} problem(s)"
        tr.write_line(
            f"{name}: {rep.math_elements} rendered math element(s), {rep.images} image(s), {status}"
        )
    with_math = [n for n, r in sorted(reports.items()) if r.math_elements]
    tr.write_line(f"pages with rendered math: {', '.join(with_math) or 'none'}")
