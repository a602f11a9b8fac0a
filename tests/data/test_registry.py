"""Tests of aelib.data.registry (one record per data set) and of the files generated from it.

The content checks of the canonical archives (BSDS500, 20 Newsgroups, Reuters-21578) are
recomputed here from the prepared data, and tied to the ``SHA256SUMS`` and ``MANIFEST.sha256``
files that the data's PROVENANCE.md describes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aelib.data import _formats, provenance, registry
from aelib.data.registry import (
    BSD68_IN_VAL,
    FILE_BYTES,
    REGISTRY,
    DataFile,
    Dataset,
    TarManifest,
    find_prepared_file,
    manifest_sha256,
)

DATA_ENV = os.environ.get("AELIB_DATA")
DATA = Path(DATA_ENV) if DATA_ENV else None
needs_data = pytest.mark.skipif(
    DATA is None, reason="AELIB_DATA is not set; point it at the prepared data (shared/data)"
)
PACKAGE = Path(registry.__file__).parent
ROOT = PACKAGE.parent.parent

ALL_SETS = (
    "mnist",
    "fashion_mnist",
    "kodak",
    "bsd68",
    "set12",
    "train400",
    "att_faces",
    "bsds500",
    "newsgroups20",
    "reuters21578",
)


def read_sums(path: Path, prefix: str = "") -> dict[str, str]:
    """``sha256sum`` lines as {prefix + name: digest}."""
    sums = {}
    for line in path.read_text().splitlines():
        digest, name = line.split()
        sums[prefix + name] = digest
    return sums


# ---------------------------------------------------------------------------------------------
# The records


def test_one_record_per_data_set_with_every_fact():
    assert tuple(REGISTRY) == ALL_SETS
    for name, record in REGISTRY.items():
        assert isinstance(record, Dataset) and record.name == name
        assert record.files and record.source.files
        assert record.title and record.licence and record.citation and record.origin
        assert callable(record.read) and callable(record.source.read)
        assert record.source.base.startswith(("https://", "http://"))
        for file in (*record.files, *record.source.files):
            assert file.check.kind in ("file bytes", "decoded content")
            assert all(url.startswith("https://") for url in file.also_at)
        # Only canonical files may have other URLs.
        assert not any(file.also_at for file in record.files)


def test_paths_are_unique_relative_and_clean():
    prepared = [file.path for record in REGISTRY.values() for file in record.files]
    canonical = [file.path for record in REGISTRY.values() for file in record.source.files]
    assert len(prepared) == len(set(prepared)) == 507 + 500 + 1 + 1
    assert len(canonical) == len(set(canonical)) == 1 + 4 + 24 + 68 + 12 + 400 + 1 + 3
    for path in (*prepared, *canonical):
        assert not path.startswith("/") and ".." not in path.split("/")


def test_a_data_file_refuses_absolute_paths_dot_dot_and_bad_digests():
    digest = "0" * 64
    for bad in ("/etc/passwd", "../outside", "a/../../b", "a//b"):
        with pytest.raises(ValueError, match="not a relative path"):
            DataFile(bad, digest)
    with pytest.raises(ValueError, match="not a hex sha256"):
        DataFile("a.png", "ABC")
    record = REGISTRY["set12"]
    with pytest.raises(ValueError, match="listed twice"):
        dataclasses.replace(record, files=record.files + record.files[:1])


def test_the_views_and_look_ups_follow_the_records():
    assert registry.EXPECTED_SHA256 == {
        file.path: file.sha256 for record in REGISTRY.values() for file in record.files
    }
    assert registry.DATASET_FILES["bsds500"][0] == "bsds500/train/100075.jpg"
    record, file = find_prepared_file("bsds500/val/101085.jpg")
    assert record.name == "bsds500" and file.check == FILE_BYTES
    with pytest.raises(KeyError):
        find_prepared_file("bsds500/val/999999.jpg")


def test_canonical_sources_of_the_new_data_sets():
    urls = {
        name: REGISTRY[name].source.urls() for name in ("bsds500", "newsgroups20", "reuters21578")
    }
    assert urls == {
        "bsds500": [
            "http://www.eecs.berkeley.edu/Research/Projects/CS/vision/grouping/BSR/BSR_bsds500.tgz"
        ],
        "newsgroups20": ["http://qwone.com/~jason/20Newsgroups/20news-bydate.tar.gz"],
        "reuters21578": ["https://kdd.ics.uci.edu/databases/reuters21578/reuters21578.tar.gz"],
    }
    for name in urls:
        (file,) = REGISTRY[name].source.files
        # Rebuilt from mirrors, the prepared archives differ in their bytes from the published
        # ones: the published archive is checked by its members (PROVENANCE, "Canonical
        # online sources"), and the record says that this was not confirmed online.
        assert isinstance(file.check, TarManifest) and file.check.kind == "decoded content"
        assert "could not be reached" in REGISTRY[name].source.note
    assert REGISTRY["newsgroups20"].source.files[0].also_at == (
        "https://ndownloader.figshare.com/files/5975967",
    )


def test_manifest_digest_is_that_of_a_sorted_sha256sum_file():
    entries = [("b/2", "22" * 32), ("a/1", "11" * 32)]
    text = f"{'11' * 32}  a/1\n{'22' * 32}  b/2\n"
    assert manifest_sha256(entries) == hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The registry against the prepared data


@needs_data
def test_prepared_hashes_equal_the_sha256sums_of_the_data_folders():
    sums = read_sums(DATA / "SHA256SUMS")
    sums |= read_sums(DATA / "bsds500/SHA256SUMS", "bsds500/")
    sums |= read_sums(DATA / "20news-bydate/SHA256SUMS", "20news-bydate/")
    sums |= read_sums(DATA / "reuters21578/SHA256SUMS", "reuters21578/")
    registered = dict(registry.EXPECTED_SHA256)
    assert set(registered) <= set(sums)
    assert {path: sums[path] for path in registered} == registered
    # What is listed but not registered: the lists and manifests that describe the data.
    assert set(sums) - set(registered) == {
        "bsds500/bsd432.txt",
        "bsds500/bsd68_in_val.txt",
        "20news-bydate/MANIFEST.sha256",
        "reuters21578/MANIFEST.sha256",
    }


@needs_data
def test_bsd68_in_val_is_the_prepared_list_and_bsd432_the_rest():
    pairs = [
        line.split()
        for line in (DATA / "bsds500/bsd68_in_val.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert [bsd68 for bsd68, _ in pairs] == [f"test{i:03d}.png" for i in range(1, 69)]
    assert tuple(val for _, val in pairs) == BSD68_IN_VAL
    all_names = {file.path.removeprefix("bsds500/") for file in REGISTRY["bsds500"].files}
    bsd432 = set((DATA / "bsds500/bsd432.txt").read_text().split())
    assert len(bsd432) == 432 and bsd432 == all_names - set(BSD68_IN_VAL)


@needs_data
def test_newsgroups_content_check_is_the_prepared_manifest():
    archive = DATA / "20news-bydate/20news-bydate.tar.gz"
    (canonical,) = REGISTRY["newsgroups20"].source.files
    assert canonical.check.crlf_to_lf
    assert canonical.check.digest(archive) == canonical.sha256
    # Without the CRLF reading, the manifest is byte for byte the prepared MANIFEST.sha256.
    raw = dataclasses.replace(canonical.check, crlf_to_lf=False)
    entries = raw.entries(archive)
    assert len(entries) == 18846
    manifest = DATA / "20news-bydate/MANIFEST.sha256"
    assert manifest_sha256(entries) == hashlib.sha256(manifest.read_bytes()).hexdigest()
    # The one message of the prepared copy with CRLF line ends (and lone CRs) is the
    # difference between the two.
    crlf = dict(canonical.check.entries(archive))
    changed = [name for name, digest in entries if crlf[name] != digest]
    assert changed == ["20news-bydate-train/comp.sys.mac.hardware/51894"]


@needs_data
def test_reuters_content_check_is_the_prepared_manifest_of_the_files_read():
    archive = DATA / "reuters21578/reuters21578.tar.gz"
    (canonical,) = REGISTRY["reuters21578"].source.files
    assert canonical.check.digest(archive) == canonical.sha256
    manifest = read_sums(DATA / "reuters21578/MANIFEST.sha256")
    read = [*_formats.REUTERS_SGML_FILES, _formats.REUTERS_TOPICS_FILE]
    assert manifest_sha256((name, manifest[name]) for name in read) == canonical.sha256
    assert sorted(dict(canonical.check.entries(archive))) == sorted(read)


def test_bsds500_content_check_is_the_manifest_of_the_prepared_images():
    (canonical,) = REGISTRY["bsds500"].source.files
    entries = [
        (file.path.removeprefix("bsds500/"), file.sha256) for file in REGISTRY["bsds500"].files
    ]
    assert len(entries) == 500
    assert manifest_sha256(entries) == canonical.sha256


# ---------------------------------------------------------------------------------------------
# The generated files


def test_sha256_txt_and_provenance_md_are_up_to_date():
    assert (PACKAGE / "sha256.txt").read_text() == provenance.sha256sums_text(), (
        "run python -m aelib.data.provenance"
    )
    assert (PACKAGE / "PROVENANCE.md").read_text() == provenance.provenance_markdown(), (
        "run python -m aelib.data.provenance"
    )
    assert provenance.main(["--check"]) == 0


def test_provenance_md_names_every_source_licence_and_citation():
    text = (PACKAGE / "PROVENANCE.md").read_text()
    for record in REGISTRY.values():
        assert f"`{record.name}`" in text
        assert record.licence in text and record.citation in text
        # Files are listed one by one up to four a source; larger sets are in sha256.txt.
        for files in (record.files, record.source.files):
            for file in files if len(files) <= 4 else ():
                assert file.sha256 in text
                assert all(url in text for url in file.also_at)
        assert record.source.urls()[0].rsplit("/", 1)[0] in text
    lines = provenance.sha256sums_text().splitlines()
    assert len(lines) == len(registry.EXPECTED_SHA256) == 1009


# ---------------------------------------------------------------------------------------------
# Imports


def test_the_data_modules_import_without_tensorflow():
    """Under KERAS_BACKEND=jax, aelib.data and aelib._atomic must not need TensorFlow."""
    code = (
        "import sys\n"
        "sys.modules['tensorflow'] = None  # any import of it now fails\n"
        "import aelib._atomic, aelib.data, aelib.data.loaders, aelib.data.registry\n"
        "import aelib.data.provenance\n"
        "from aelib.data import bsds500, newsgroups20, reuters21578\n"
        "print('imported')\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "imported"
