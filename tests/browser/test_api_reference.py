"""The book's API reference (book/api) documents every public name of aelib.

Reads the built page (``make html`` first); marked ``browser`` so that it runs in the step that
has the built book.
"""

from __future__ import annotations

import re
import types

import pytest

import aelib
import aelib.baselines
import aelib.data
import aelib.evaluation
import aelib.models
import aelib.training

pytestmark = pytest.mark.browser

PACKAGES = (aelib, aelib.models, aelib.baselines, aelib.data, aelib.evaluation)


def public_names():
    """``{name: package}`` for every public object (not module) of aelib's packages."""
    names = {}
    for package in PACKAGES:
        for name in package.__all__:
            if not isinstance(getattr(package, name), types.ModuleType):
                names.setdefault(name, package.__name__)
    return names


def test_every_public_name_has_an_entry(book_root):
    html = (book_root / "book" / "api.html").read_text(encoding="utf-8")
    documented = {anchor.rsplit(".", 1)[-1] for anchor in re.findall(r'id="(aelib\.[\w.]+)"', html)}
    missing = sorted(
        f"{package}.{name}" for name, package in public_names().items() if name not in documented
    )
    assert len(public_names()) > 40
    assert not missing, f"not in the API reference: {missing}"


def test_the_reference_shows_the_docstrings(book_root):
    html = (book_root / "book" / "api.html").read_text(encoding="utf-8")
    # The first line of a docstring, and an Args section rendered as parameters.
    assert "An encoder and a decoder trained to reconstruct their input." in html
    assert "Parameters" in html and "Returns" in html
