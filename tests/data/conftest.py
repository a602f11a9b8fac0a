"""Fixtures shared by the data tests."""

import pytest


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder; AELIB_DATA unset, so the loaders download."""
    folder = tmp_path / "cache"
    monkeypatch.delenv("AELIB_DATA", raising=False)
    monkeypatch.setenv("AELIB_CACHE", str(folder))
    return folder
