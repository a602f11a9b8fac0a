"""Tests of aelib.data.bsds500: counts, sizes, known pixels, the subsets, and the download.

Facts from the data's PROVENANCE.md (section 6): train 200 images (137 are 481x321 WxH, 63 are
321x481), val 100 (77 / 23), test 200 (134 / 66); the 68 BSD68 images are grey versions of 68
val images, to within one grey level; bsd432 is the other 432. The pixel values below were read
from the JPEG files with Pillow directly.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from aelib.data import loaders
from aelib.data.loaders import DatasetError
from aelib.data.registry import BSD68_IN_VAL, REGISTRY

DATA_ENV = os.environ.get("AELIB_DATA")
DATA = Path(DATA_ENV) if DATA_ENV else None
NO_DATA = "AELIB_DATA is not set; point it at the prepared data (the project's shared/data)"
needs_data = pytest.mark.skipif(DATA is None, reason=NO_DATA)

LANDSCAPE, PORTRAIT = (321, 481, 3), (481, 321, 3)
# (landscape, portrait) counts per split.
SPLIT_SHAPES = {"train": (137, 63), "val": (77, 23), "test": (134, 66)}
# id -> (shape, {(row, column): RGB}), read with PIL.Image.open(...).convert("RGB").
KNOWN_PIXELS = {
    "val/101085": (PORTRAIT, {(0, 0): [201, 200, 196], (100, 200): [81, 90, 85]}),
    "train/100075": (LANDSCAPE, {(0, 0): [101, 118, 99], (100, 200): [62, 98, 88]}),
    "test/100007": (LANDSCAPE, {(0, 0): [55, 73, 73], (100, 200): [194, 198, 227]}),
}


@pytest.fixture(autouse=True)
def never_download_for_real(tmp_path, monkeypatch):
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path / "unused-cache"))
    monkeypatch.setenv("AELIB_DATA_URL", (tmp_path / "no-mirror").as_uri())


def load(**options):
    if DATA is None:
        pytest.skip(NO_DATA)
    return loaders.bsds500(**options)


@pytest.fixture(scope="module")
def everything():
    return load()


@pytest.fixture(scope="module")
def bsd68_grey():
    if DATA is None:
        pytest.skip(NO_DATA)
    return loaders.bsd68()


def grey(image: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma, as the BSD68 files were made: Pillow's convert("L")."""
    return np.asarray(Image.fromarray(image).convert("L"), dtype=np.int16)


# ---------------------------------------------------------------------------------------------
# The whole set


@needs_data
def test_500_rgb_images_in_three_splits_with_the_recorded_sizes(everything):
    images, ids = everything
    assert len(images) == len(ids) == len(set(ids)) == 500
    assert all(image.dtype == np.uint8 and image.flags.writeable for image in images)
    for split, (landscape, portrait) in SPLIT_SHAPES.items():
        shapes = [
            image.shape
            for image, id_ in zip(images, ids, strict=True)
            if id_.startswith(f"{split}/")
        ]
        assert (shapes.count(LANDSCAPE), shapes.count(PORTRAIT)) == (landscape, portrait), split
    # Train, val, test; by file name within a split.
    splits = [id_.split("/")[0] for id_ in ids]
    assert splits == ["train"] * 200 + ["val"] * 100 + ["test"] * 200
    for split in SPLIT_SHAPES:
        names = [id_ for id_ in ids if id_.startswith(f"{split}/")]
        assert names == sorted(names)
    assert all(id_.split("/")[1].isdigit() for id_ in ids)


@needs_data
def test_known_pixels(everything):
    images = dict(zip(everything.ids, everything.images, strict=True))
    for id_, (shape, pixels) in KNOWN_PIXELS.items():
        assert images[id_].shape == shape, id_
        for (row, column), rgb in pixels.items():
            assert images[id_][row, column].tolist() == rgb, (id_, row, column)


@needs_data
@pytest.mark.parametrize("split", ["train", "val", "test"])
def test_a_split_is_its_part_of_the_whole(split, everything):
    part = loaders.bsds500(split)
    expected = [
        (i, a)
        for i, a in zip(everything.ids, everything.images, strict=True)
        if i.startswith(split)
    ]
    assert part.ids == [i for i, _ in expected]
    assert all(np.array_equal(a, b) for a, (_, b) in zip(part.images, expected, strict=True))


# ---------------------------------------------------------------------------------------------
# bsd432 and bsd68, checked by content against the BSD68 images


@needs_data
def test_bsd68_subset_is_the_colour_original_of_each_bsd68_image(bsd68_grey):
    images, ids = loaders.bsds500(subset="bsd68")
    assert ids == [name.removesuffix(".jpg") for name in BSD68_IN_VAL]
    assert len(images) == len(bsd68_grey) == 68
    for index, (colour, target) in enumerate(zip(images, bsd68_grey, strict=True)):
        assert colour.shape[:2] == target.shape, index
        assert np.abs(grey(colour) - target).max() <= 1, f"test{index + 1:03d}.png vs {ids[index]}"


@needs_data
def test_bsd432_holds_no_bsd68_image(everything, bsd68_grey):
    images, ids = loaders.bsds500(subset="bsd432")
    assert len(images) == len(ids) == 432
    assert set(ids) == set(everything.ids) - {n.removesuffix(".jpg") for n in BSD68_IN_VAL}
    assert sum(id_.startswith("val/") for id_ in ids) == 32
    # By content: no bsd432 image is a BSD68 image (grey to within one level). A match would
    # have to agree on every pixel, so one pixel of a 16-pixel grid off by more than one
    # already rules a pair out; the pairs that pass the grid are compared in full.
    targets = [target.astype(np.int16) for target in bsd68_grey]
    compared = 0
    for colour, id_ in zip(images, ids, strict=True):
        candidate = grey(colour)
        for target in targets:
            if target.shape != candidate.shape:
                continue
            compared += 1
            if np.abs(candidate[::16, ::16] - target[::16, ::16]).max() > 1:
                continue
            assert np.abs(candidate - target).max() > 1, f"{id_} is a BSD68 image"
    # Every pair of one orientation was compared: bsd432 has 295 landscape and 137 portrait
    # images (the split counts less BSD68's 53 and 15), so 295 * 53 + 137 * 15 pairs.
    assert compared == 295 * 53 + 137 * 15


# ---------------------------------------------------------------------------------------------
# Bad parameters


@pytest.mark.parametrize("subset", ["BSD432", "cbsd68", "", "train+test", None, ["train"]])
def test_a_bad_subset_is_refused_before_any_file_is_read(subset, tmp_path, monkeypatch):
    monkeypatch.setenv("AELIB_DATA", str(tmp_path / "empty"))  # no file: never reached
    with pytest.raises(ValueError, match=r"^subset must be one of .*'bsd432'.*got"):
        loaders.bsds500(subset)
    with pytest.raises(ValueError, match="subset"):
        loaders.bsds500(subset=subset)


# ---------------------------------------------------------------------------------------------
# The canonical archive, through a file:// mirror


def add_member(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), 0
    archive.addfile(info, io.BytesIO(data))


def write_bsr_archive(path: Path, change: str | None = None) -> None:
    """An archive laid out like Berkeley's BSR_bsds500.tgz, from the prepared images."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        add_member(archive, "BSR/README.txt", b"Berkeley Segmentation Resources\n")
        add_member(archive, "BSR/BSDS500/data/groundTruth/val/101085.mat", b"MATLAB 5.0")
        add_member(archive, "BSR/BSDS500/data/images/val/Thumbs.db", b"\x00" * 16)
        for file in REGISTRY["bsds500"].files:
            name = file.path.removeprefix("bsds500/")
            data = (DATA / file.path).read_bytes()
            if change == "one byte" and name == "test/100007.jpg":
                data = data[:1000] + bytes([data[1000] ^ 1]) + data[1001:]
            if change == "missing" and name == "train/100075.jpg":
                continue
            add_member(archive, f"BSR/BSDS500/data/images/{name}", data)
        if change == "link":
            info = tarfile.TarInfo("BSR/BSDS500/data/images/val/999999.jpg")
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            archive.addfile(info)


@pytest.fixture(scope="module")
def bsr_mirror(tmp_path_factory):
    if DATA is None:
        pytest.skip(NO_DATA)
    mirror = tmp_path_factory.mktemp("bsr-mirror")
    write_bsr_archive(mirror / REGISTRY["bsds500"].source.files[0].path)
    return mirror


def test_download_of_the_berkeley_archive_gives_the_prepared_images(bsr_mirror, cache, monkeypatch):
    monkeypatch.setenv("AELIB_DATA_URL", bsr_mirror.as_uri())
    downloaded = loaders.bsds500("bsd68")
    (file,) = REGISTRY["bsds500"].source.files
    assert sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file()) == [
        file.path
    ]
    monkeypatch.setenv("AELIB_DATA", str(DATA))
    prepared = loaders.bsds500("bsd68")
    assert downloaded.ids == prepared.ids
    assert all(
        np.array_equal(a, b) for a, b in zip(downloaded.images, prepared.images, strict=True)
    )


@pytest.mark.parametrize("change", ["one byte", "missing", "link"])
def test_an_archive_with_other_images_is_rejected(change, tmp_path, cache, monkeypatch):
    if DATA is None:
        pytest.skip(NO_DATA)
    mirror = tmp_path / "mirror"
    (file,) = REGISTRY["bsds500"].source.files
    write_bsr_archive(mirror / file.path, change)
    monkeypatch.setenv("AELIB_DATA_URL", mirror.as_uri())
    with pytest.raises(DatasetError) as raised:
        loaders.bsds500()
    message = str(raised.value)
    assert "BSR_bsds500.tgz" in message and "manifest of the 500 images" in message
    assert file.sha256 in message
    if change == "link":
        assert "not a regular file" in message
    assert not [p for p in cache.rglob("*") if p.is_file()]
