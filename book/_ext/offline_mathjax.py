"""Serve MathJax 3 from the built book itself, so math renders with no network.

Sphinx's mathjax extension loads MathJax from a CDN by default; offline the math then stays
raw TeX. This extension takes MathJax from the PyPI package ``django-static-mathjax`` (its
top-level package ``mathjax`` holds the MathJax 3 distribution under ``static/mathjax``):

* on ``config-inited`` it points ``mathjax_path`` at ``mathjax/tex-mml-chtml.js``. Sphinx
  reads a relative ``mathjax_path`` as relative to ``_static`` and writes each page's
  ``<script>`` with the right prefix (``_static/...`` at the root, ``../_static/...`` in
  ``book/`` and ``studies/``);
* on ``build-finished`` (HTML builders only, and only when the build succeeded) it copies the
  ``es5`` folder, which holds ``tex-mml-chtml.js`` and the fonts and components it loads,
  to ``<outdir>/_static/mathjax/``.

The files are deliberately not put in a source ``_static/`` folder: Jupyter Book adds every
``.js`` found there to every page.

Enable it in ``_config.yml``::

    sphinx:
      local_extensions:
        offline_mathjax: book/_ext
"""

from __future__ import annotations

import importlib.resources
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Where MathJax lands in the output, relative to ``<outdir>/_static``.
STATIC_SUBDIR = "mathjax"
#: The combined component: TeX and MathML input, CommonHTML output.
ENTRY_POINT = "tex-mml-chtml.js"
MATHJAX_PATH = f"{STATIC_SUBDIR}/{ENTRY_POINT}"


def mathjax_es5_dir() -> Path:
    """Return the ``es5`` folder of the installed MathJax 3 distribution."""
    try:
        root = importlib.resources.files("mathjax")
    except ModuleNotFoundError as exc:
        raise ExtensionError(
            "offline_mathjax: the Python package 'mathjax' is missing. Install it with "
            "`pip install django-static-mathjax==3.2.2.1` (part of the project's dev extras)."
        ) from exc
    es5 = Path(str(root / "static" / "mathjax" / "es5"))
    if not (es5 / ENTRY_POINT).is_file():
        raise ExtensionError(
            f"offline_mathjax: {es5 / ENTRY_POINT} not found; the installed 'mathjax' package "
            "is not django-static-mathjax 3.x. Reinstall `django-static-mathjax==3.2.2.1`."
        )
    return es5


def _set_mathjax_path(app: Sphinx, config: Config) -> None:
    # Fail early, before any page is read, when the package is missing.
    mathjax_es5_dir()
    # Set here rather than on builder-inited: config-inited comes before Sphinx compares the
    # configuration with the pickled environment, so incremental builds stay incremental.
    config.mathjax_path = MATHJAX_PATH


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    dest = Path(app.outdir) / "_static" / STATIC_SUBDIR
    shutil.copytree(
        mathjax_es5_dir(),
        dest,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyc"),
    )
    logger.info("offline_mathjax: copied MathJax to %s", dest)


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx.ext.mathjax")
    # Run after other config-inited handlers, so nothing sets the CDN URL back.
    app.connect("config-inited", _set_mathjax_path, priority=900)
    app.connect("build-finished", _copy_mathjax)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
