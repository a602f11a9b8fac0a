"""Tests of aelib.data.loaders: the image and array data sets, the cache and the downloads.

The loaders are checked against the facts recorded in the data's PROVENANCE.md (label counts,
pixel means, image sizes), not only against shapes.

The downloads from the canonical sources are exercised through ``file://`` mirrors built in a
temporary folder from the prepared data: the canonical files (or files with the same content)
under their URL paths, as ``AELIB_DATA_URL`` expects. So no network is needed, and no test
writes outside its temporary folder (``AELIB_CACHE`` always points into it).

Most tests read the prepared data from ``$AELIB_DATA`` (the project's shared/data), or build
their mirror from it; they are skipped when it is unset. The registry itself is tested in
test_registry.py, BSDS500 in test_bsds500.py, the text corpora in test_text.py, and the atomic
writes in tests/test_atomic.py.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import numpy as np
import pytest

from aelib import _atomic
from aelib.data import _formats
from aelib.data import loaders as datasets
from aelib.data.loaders import DatasetError
from aelib.data.registry import (
    DATASET_FILES,
    DECODED_FACES,
    EXPECTED_SHA256,
    FILE_BYTES,
    GUNZIPPED,
    REGISTRY,
)

DATA_ENV = os.environ.get("AELIB_DATA")
DATA = Path(DATA_ENV) if DATA_ENV else None

NO_DATA_REASON = "AELIB_DATA is not set; point it at the prepared data (the project's shared/data)"
needs_data = pytest.mark.skipif(DATA is None, reason=NO_DATA_REASON)

# Facts from PROVENANCE.md.
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
KODAK_PORTRAIT = {4, 9, 10, 17, 18, 19}
# MD5 of the decompressed upstream Fashion-MNIST IDX files, and the arrays they hold.
FASHION_IDX = {
    "train-labels-idx1-ubyte.gz": ("y_train", "9018921c3c673c538a1fc5bad174d6f9"),
    "train-images-idx3-ubyte.gz": ("x_train", "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
    "t10k-labels-idx1-ubyte.gz": ("y_test", "15d484375f8d13e6eb1aabb0c3f46965"),
    "t10k-images-idx3-ubyte.gz": ("x_test", "8181f5470baa50b63fa0f6fddb340f0a"),
}
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
DNCNN = "https://raw.githubusercontent.com/cszn/DnCNN/e93b27812d3ff523a3a79d19e5e50d233d7a8d0a"
# The data sets of this file (sections 1-5 of the data's PROVENANCE.md, top-level SHA256SUMS).
IMAGE_AND_ARRAY_SETS = (
    "mnist",
    "fashion_mnist",
    "kodak",
    "bsd68",
    "set12",
    "train400",
    "att_faces",
)


def canonical(dataset: str, index: int = 0):
    """File `index` of the canonical source of `dataset` (a registry DataFile)."""
    return REGISTRY[dataset].source.files[index]


def canonical_paths(dataset: str) -> list[str]:
    return [file.path for file in REGISTRY[dataset].source.files]


def prepared_paths(dataset: str) -> list[str]:
    return [file.path for file in REGISTRY[dataset].files]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_mean_as_recorded(array: np.ndarray, recorded: str) -> None:
    """The pixel mean, rounded to as many decimals as PROVENANCE.md gives, equals its value."""
    decimals = len(recorded.partition(".")[2])
    assert round(float(array.mean()), decimals) == float(recorded), (float(array.mean()), recorded)


def files_under(folder: Path) -> set[str]:
    """Every file below `folder`, as relative paths, hidden temporary files included."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def never_download_for_real(tmp_path, monkeypatch):
    """Whatever a test does, a download goes nowhere and a cache stays in its tmp_path."""
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path / "unused-cache"))
    monkeypatch.setenv("AELIB_DATA_URL", (tmp_path / "no-mirror").as_uri())


# ---------------------------------------------------------------------------------------------
# The prepared files of the image and array data sets


def test_the_registry_lists_the_prepared_files_of_every_image_and_array_set():
    listed = [path for name in IMAGE_AND_ARRAY_SETS for path in prepared_paths(name)]
    assert len(listed) == len(set(listed)) == 507
    assert {name: len(REGISTRY[name].files) for name in IMAGE_AND_ARRAY_SETS} == {
        "mnist": 1,
        "fashion_mnist": 1,
        "kodak": 24,
        "bsd68": 68,
        "set12": 12,
        "train400": 400,
        "att_faces": 1,
    }
    # The prepared files are all checked by their bytes; the views agree with the records.
    assert all(
        file.check == FILE_BYTES for name in IMAGE_AND_ARRAY_SETS for file in REGISTRY[name].files
    )
    assert all(
        EXPECTED_SHA256[file.path] == file.sha256
        for name in IMAGE_AND_ARRAY_SETS
        for file in REGISTRY[name].files
    )
    assert DATASET_FILES["kodak"] == tuple(prepared_paths("kodak"))


@needs_data
def test_the_registry_hashes_equal_the_data_folders_sha256sums():
    sums = {}
    for line in (DATA / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    registered = {
        file.path: file.sha256 for name in IMAGE_AND_ARRAY_SETS for file in REGISTRY[name].files
    }
    assert sums == registered


def test_unknown_file_is_rejected():
    with pytest.raises(ValueError, match="unknown data file"):
        datasets.fetch("kodak/kodim25.png")


# ---------------------------------------------------------------------------------------------
# The canonical sources


def test_sources_are_the_canonical_files(monkeypatch):
    monkeypatch.delenv("AELIB_DATA_URL")
    keras = "https://storage.googleapis.com/tensorflow/tf-keras-datasets"
    assert datasets.download_urls("mnist") == [f"{keras}/mnist.npz"]
    assert canonical("mnist").sha256 == KERAS_MNIST_SHA256
    assert datasets.download_urls("fashion_mnist") == [f"{keras}/{name}" for name in FASHION_IDX]
    assert datasets.download_urls("kodak")[0] == (
        "https://raw.githubusercontent.com/ayushabrol13/Asymmetric-Learned-Image-Compression-"
        "with-Multi-Scale-Residual-Block/485b37557ee2c4f7569e5c959fe5cd9169e279e9/kodak/"
        "kodim01.png"
    )
    assert datasets.download_urls("bsd68")[-1] == f"{DNCNN}/testsets/BSD68/test068.png"
    assert datasets.download_urls("set12")[-1] == f"{DNCNN}/testsets/Set12/12.png"
    assert datasets.download_urls("train400")[-1] == (
        f"{DNCNN}/TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400/test_400.png"
    )
    assert datasets.download_urls("att_faces") == [
        "https://www.cl.cam.ac.uk/research/dtg/attarchive/pub/data/att_faces.zip"
    ]

    # The images are byte copies: same names, same order, the hashes of SHA256SUMS.
    for dataset in ("kodak", "bsd68", "set12", "train400"):
        record = REGISTRY[dataset]
        assert all(file.check == FILE_BYTES for file in record.source.files)
        assert [p.rsplit("/", 1)[1] for p in canonical_paths(dataset)] == [
            p.rsplit("/", 1)[1] for p in prepared_paths(dataset)
        ]
        assert [f.sha256 for f in record.source.files] == [f.sha256 for f in record.files]
    assert {file.check for file in REGISTRY["fashion_mnist"].source.files} == {GUNZIPPED}
    assert canonical("att_faces").check == DECODED_FACES

    # Each file has its own place in a mirror and in the cache.
    paths = [path for name in IMAGE_AND_ARRAY_SETS for path in canonical_paths(name)]
    assert len(paths) == len(set(paths)) == 1 + 4 + 24 + 68 + 12 + 400 + 1


def test_a_mirror_replaces_scheme_and_host_and_keeps_the_path(monkeypatch):
    monkeypatch.setenv("AELIB_DATA_URL", "file:///srv/aelib-mirror/")
    assert datasets.mirror_url() == "file:///srv/aelib-mirror"
    assert datasets.download_urls("mnist") == [
        "file:///srv/aelib-mirror/tensorflow/tf-keras-datasets/mnist.npz"
    ]
    assert datasets.download_urls("set12")[0] == (
        "file:///srv/aelib-mirror/cszn/DnCNN/e93b27812d3ff523a3a79d19e5e50d233d7a8d0a/"
        "testsets/Set12/01.png"
    )
    assert datasets.download_urls("att_faces") == [
        "file:///srv/aelib-mirror/research/dtg/attarchive/pub/data/att_faces.zip"
    ]
    monkeypatch.setenv("AELIB_DATA_URL", "")
    assert datasets.mirror_url() is None
    assert datasets.download_urls("set12")[0] == f"{DNCNN}/testsets/Set12/01.png"


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: 0, 0, 0x08, ndim, big-endian int32 dims, the data."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">i4").tobytes()
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


@needs_data
def test_fashion_content_hashes_are_those_of_the_upstream_idx_files():
    """The stored sha256 values are of the IDX bytes whose MD5s PROVENANCE.md confirms."""
    with np.load(DATA / "fashion_mnist.npz") as arrays:
        for file in REGISTRY["fashion_mnist"].source.files:
            key, upstream_md5 = FASHION_IDX[file.path.rsplit("/", 1)[1]]
            data = idx_bytes(arrays[key])
            assert hashlib.md5(data).hexdigest() == upstream_md5, file.path
            assert hashlib.sha256(data).hexdigest() == file.sha256, file.path


@needs_data
def test_att_faces_content_hash_is_that_of_the_prepared_faces():
    with np.load(DATA / "olivetti/att_faces.npz") as arrays:
        faces = arrays["faces"]
    assert faces.shape == (400, 112, 92) and faces.dtype == np.uint8
    assert canonical("att_faces").sha256 == hashlib.sha256(faces.tobytes()).hexdigest()


def test_pgm_headers_with_comments_are_parsed():
    raster = bytes(range(6))
    expected = np.arange(6, dtype=np.uint8).reshape(2, 3)
    for header in (
        b"P5\n3 2\n255\n",
        b"P5\n# CREATOR: a scanner\n3 2\n255\n",
        b"P5 # comment\r3\n# another\n 2 255\n",
    ):
        assert np.array_equal(_formats.parse_pgm(header + raster, "x.pgm"), expected)
    for bad in (b"P5\n3 2\n255\n" + raster[:-1], b"P2\n3 2\n255\n" + raster, b"P5\n3 2"):
        with pytest.raises(ValueError, match="x.pgm"):
            _formats.parse_pgm(bad, "x.pgm")


# ---------------------------------------------------------------------------------------------
# The data sets, loaded once per module


def load_from_aelib_data(loader):
    """Call `loader`, or skip when there is no AELIB_DATA (never download from a test)."""
    if DATA is None:
        pytest.skip(NO_DATA_REASON)
    return loader()


@pytest.fixture(scope="module")
def mnist_arrays():
    return load_from_aelib_data(datasets.mnist)


@pytest.fixture(scope="module")
def fashion_arrays():
    return load_from_aelib_data(datasets.fashion_mnist)


@pytest.fixture(scope="module")
def kodak_images():
    return load_from_aelib_data(datasets.kodak)


@pytest.fixture(scope="module")
def bsd68_images():
    return load_from_aelib_data(datasets.bsd68)


@pytest.fixture(scope="module")
def set12_images():
    return load_from_aelib_data(datasets.set12)


@pytest.fixture(scope="module")
def train400_images():
    return load_from_aelib_data(datasets.train400)


@pytest.fixture(scope="module")
def faces_and_ids():
    return load_from_aelib_data(datasets.att_faces)


def check_keras_layout(arrays):
    (x_train, y_train), (x_test, y_test) = arrays
    assert (x_train.shape, y_train.shape) == ((60000, 28, 28), (60000,))
    assert (x_test.shape, y_test.shape) == ((10000, 28, 28), (10000,))
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8


@needs_data
def test_mnist_layout_label_counts_and_means(mnist_arrays):
    check_keras_layout(mnist_arrays)
    (x_train, y_train), (x_test, y_test) = mnist_arrays
    assert np.bincount(y_train, minlength=10).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == MNIST_TEST_COUNTS
    assert_mean_as_recorded(x_train, "33.318")
    assert_mean_as_recorded(x_test, "33.791")
    assert x_train.max() == 255


@needs_data
def test_fashion_mnist_layout_label_counts_and_means(fashion_arrays):
    check_keras_layout(fashion_arrays)
    (x_train, y_train), (x_test, y_test) = fashion_arrays
    assert np.bincount(y_train, minlength=10).tolist() == [6000] * 10
    assert np.bincount(y_test, minlength=10).tolist() == [1000] * 10
    assert_mean_as_recorded(x_train, "72.940")
    assert_mean_as_recorded(x_test, "73.147")


@needs_data
def test_kodak_images_and_orientations(kodak_images):
    assert len(kodak_images) == 24
    for number, image in enumerate(kodak_images, start=1):
        assert image.dtype == np.uint8
        expected = (768, 512, 3) if number in KODAK_PORTRAIT else (512, 768, 3)
        assert image.shape == expected, f"kodim{number:02d}"
    # The loaders hand out arrays the caller may modify (e.g. add noise in place).
    assert kodak_images[0].flags.writeable


@needs_data
def test_bsd68_sizes(bsd68_images):
    assert len(bsd68_images) == 68
    assert all(image.dtype == np.uint8 and image.ndim == 2 for image in bsd68_images)
    shapes = [image.shape for image in bsd68_images]
    # PROVENANCE gives sizes as WxH: 53 are 481x321, 15 are 321x481.
    assert shapes.count((321, 481)) == 53
    assert shapes.count((481, 321)) == 15


@needs_data
def test_set12_sizes(set12_images):
    assert [image.shape for image in set12_images] == [(256, 256)] * 7 + [(512, 512)] * 5
    assert all(image.dtype == np.uint8 for image in set12_images)


@needs_data
def test_train400(train400_images):
    assert train400_images.shape == (400, 180, 180)
    assert train400_images.dtype == np.uint8
    # 400 different pictures, not one file read 400 times.
    assert len({image.tobytes() for image in train400_images}) == 400


@needs_data
def test_att_faces(faces_and_ids):
    faces, person_ids = faces_and_ids
    assert faces.shape == (400, 112, 92) and faces.dtype == np.uint8
    assert person_ids.shape == (400,) and person_ids.dtype == np.uint8
    assert_mean_as_recorded(faces, "112.63")
    # 40 persons, 10 images each, stored person by person.
    assert np.array_equal(person_ids, np.repeat(np.arange(40), 10))


@needs_data
def test_loading_again_gives_equal_arrays(set12_images):
    assert all(np.array_equal(a, b) for a, b in zip(datasets.set12(), set12_images, strict=True))


# ---------------------------------------------------------------------------------------------
# Downloading from the canonical sources, through file:// mirrors


def pgm_bytes(face: np.ndarray) -> bytes:
    """A face as the AT&T archive stores it: binary PGM with a comment in the header."""
    height, width = face.shape
    return b"P5\n# written by aelib's tests\n%d %d\n255\n" % (width, height) + face.tobytes()


def write_att_zip(path: Path, faces: np.ndarray, folder: str = "att_faces/") -> None:
    """An archive laid out like AT&T's: s1..s40/1..10.pgm (under `folder`) and a README."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}README", "The ORL Database of Faces\n")
        for index, face in enumerate(faces):
            person, image = divmod(index, 10)
            archive.writestr(f"{folder}s{person + 1}/{image + 1}.pgm", pgm_bytes(face))


def mirror_path(mirror: Path, dataset: str, index: int = 0) -> Path:
    """Where file `index` of `dataset` lies in `mirror`: under its canonical URL path."""
    return mirror / canonical(dataset, index).path


def cache_paths(dataset: str) -> set[str]:
    return set(canonical_paths(dataset))


def copy_into(mirror: Path, source_mirror: Path, dataset: str) -> None:
    for path in canonical_paths(dataset):
        (mirror / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_mirror / path, mirror / path)


@pytest.fixture(scope="module")
def canonical_mirror(tmp_path_factory):
    """A mirror of every canonical file, built from AELIB_DATA; tests must not change it.

    The images are byte copies; Fashion-MNIST's .gz files and the AT&T zip are made anew from
    the same content; mnist.npz holds the same arrays as Keras' file, but not its bytes.
    """
    if DATA is None:
        pytest.skip("AELIB_DATA is not set; the mirror is built from it")
    mirror = tmp_path_factory.mktemp("canonical-mirror")
    target = mirror_path(mirror, "mnist")
    target.parent.mkdir(parents=True)
    with np.load(DATA / "mnist.npz") as arrays:
        np.savez_compressed(target, **arrays)
    with np.load(DATA / "fashion_mnist.npz") as arrays:
        for index, path in enumerate(canonical_paths("fashion_mnist")):
            key = FASHION_IDX[path.rsplit("/", 1)[1]][0]
            data = gzip.compress(idx_bytes(arrays[key]), compresslevel=1, mtime=0)
            mirror_path(mirror, "fashion_mnist", index).write_bytes(data)
    for dataset in ("kodak", "bsd68", "set12", "train400"):
        for index, relative_path in enumerate(prepared_paths(dataset)):
            target = mirror_path(mirror, dataset, index)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(DATA / relative_path, target)
    with np.load(DATA / "olivetti/att_faces.npz") as arrays:
        write_att_zip(mirror_path(mirror, "att_faces"), arrays["faces"])
    return mirror


@pytest.fixture
def mirror(tmp_path, canonical_mirror):
    """An empty mirror folder of this test's own (to fill, and damage, as it likes)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    return folder


def serve(monkeypatch, mirror: Path) -> None:
    monkeypatch.setenv("AELIB_DATA_URL", mirror.as_uri())


def test_mnist_file_other_than_keras_is_rejected(cache, canonical_mirror, monkeypatch):
    # The mirror's mnist.npz holds the right arrays in another zip: not Keras' bytes, so the
    # sha256 Keras publishes rejects it, and nothing is cached.
    serve(monkeypatch, canonical_mirror)
    with pytest.raises(DatasetError) as raised:
        datasets.mnist()
    message = str(raised.value)
    assert canonical("mnist").path in message
    assert sha256_of(mirror_path(canonical_mirror, "mnist")) in message
    assert KERAS_MNIST_SHA256 in message
    assert "AELIB_DATA" in message and "shared/data" in message
    assert files_under(cache) == set()


def test_mnist_download(cache, canonical_mirror, monkeypatch, mnist_arrays):
    # Keras' mnist.npz cannot be rebuilt byte for byte offline, so for this test only the
    # expected hash is that of the mirror's file (same arrays, other zip bytes). What is tested
    # is everything else: download, check, cache, reading in Keras' layout.
    mirrored_sha256 = sha256_of(mirror_path(canonical_mirror, "mnist"))
    record = REGISTRY["mnist"]
    file = dataclasses.replace(canonical("mnist"), sha256=mirrored_sha256)
    source = dataclasses.replace(record.source, files=(file,))
    monkeypatch.setitem(REGISTRY, "mnist", dataclasses.replace(record, source=source))
    serve(monkeypatch, canonical_mirror)

    arrays = datasets.mnist()
    check_keras_layout(arrays)
    for got, expected in zip(
        (*arrays[0], *arrays[1]), (*mnist_arrays[0], *mnist_arrays[1]), strict=True
    ):
        assert np.array_equal(got, expected)
    assert files_under(cache) == cache_paths("mnist")


def test_fashion_mnist_download(cache, canonical_mirror, monkeypatch, fashion_arrays):
    serve(monkeypatch, canonical_mirror)
    arrays = datasets.fashion_mnist()
    check_keras_layout(arrays)
    for got, expected in zip(
        (*arrays[0], *arrays[1]), (*fashion_arrays[0], *fashion_arrays[1]), strict=True
    ):
        assert np.array_equal(got, expected)
        assert got.flags.writeable
    # The .gz files are cached as downloaded, not unpacked.
    assert files_under(cache) == cache_paths("fashion_mnist")
    for path in canonical_paths("fashion_mnist"):
        assert (cache / path).read_bytes() == (canonical_mirror / path).read_bytes()

    # Loaded again, offline: from the cache, and the content hashes are not computed again.
    monkeypatch.setenv("AELIB_DATA_URL", "file:///nonexistent/aelib-mirror")

    def no_hashing(*args, **kwargs):
        raise AssertionError("a file was hashed again")

    monkeypatch.setattr(datasets.hashlib, "sha256", no_hashing)
    again = datasets.fashion_mnist()
    assert np.array_equal(again[1][1], fashion_arrays[1][1])


@pytest.mark.parametrize("damage", ["one changed byte", "truncated gzip"])
def test_fashion_file_with_other_content_is_rejected(
    damage, cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "fashion_mnist")
    damaged = mirror_path(mirror, "fashion_mnist", 2)  # t10k-labels-idx1-ubyte.gz
    if damage == "one changed byte":
        content = bytearray(gzip.decompress(damaged.read_bytes()))
        content[8 + 100] ^= 1  # one label of the test set
        damaged.write_bytes(gzip.compress(bytes(content), mtime=0))
    else:
        damaged.write_bytes(damaged.read_bytes()[:-20])
    serve(monkeypatch, mirror)

    with pytest.raises(DatasetError) as raised:
        datasets.fashion_mnist()
    message = str(raised.value)
    assert canonical("fashion_mnist", 2).path in message
    assert "decompressed content" in message
    assert canonical("fashion_mnist", 2).sha256 in message
    if damage == "truncated gzip":
        assert "cannot be decoded" in message
    # The two files before it were good and are cached; the bad one left nothing behind.
    assert files_under(cache) == set(canonical_paths("fashion_mnist")[:2])


@pytest.mark.parametrize("dataset", ["set12", "bsd68", "train400", "kodak"])
def test_image_download_gives_the_prepared_files(dataset, cache, canonical_mirror, monkeypatch):
    serve(monkeypatch, canonical_mirror)
    loader = getattr(datasets, dataset)
    downloaded = loader()
    assert files_under(cache) == cache_paths(dataset)
    for prepared, file in zip(REGISTRY[dataset].files, REGISTRY[dataset].source.files, strict=True):
        assert sha256_of(cache / file.path) == prepared.sha256

    # The same arrays as from the prepared data.
    monkeypatch.setenv("AELIB_DATA", str(DATA))
    prepared = loader()
    assert len(downloaded) == len(prepared)
    assert all(np.array_equal(a, b) for a, b in zip(downloaded, prepared, strict=True))


def test_good_cached_files_are_used_without_the_mirror(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    first = datasets.set12()
    shutil.rmtree(mirror)
    assert all(np.array_equal(a, b) for a, b in zip(datasets.set12(), first, strict=True))
    # fetch() hands out the cached canonical file for a prepared image (a byte copy of it).
    assert datasets.fetch("set12/07.png") == cache / canonical("set12", 6).path


def test_a_filled_cache_is_a_mirror(cache, mirror, canonical_mirror, monkeypatch, tmp_path):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    datasets.set12()
    serve(monkeypatch, cache)
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path / "second-cache"))
    datasets.set12()
    assert files_under(tmp_path / "second-cache") == files_under(cache)


def test_truncated_download_raises_and_leaves_the_cache_alone(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    good = [datasets.fetch(f"set12/{i:02d}.png") for i in range(1, 5)]
    good_bytes = [path.read_bytes() for path in good]

    truncated = mirror_path(mirror, "set12", 4)  # 05.png
    truncated.write_bytes(truncated.read_bytes()[:1000])
    with pytest.raises(DatasetError) as raised:
        datasets.set12()
    message = str(raised.value)
    assert canonical("set12", 4).path in message
    assert EXPECTED_SHA256["set12/05.png"] in message
    assert "AELIB_DATA_URL" in message

    assert [path.read_bytes() for path in good] == good_bytes
    # The bad download was not kept, under its own name or a temporary one.
    assert files_under(cache) == set(canonical_paths("set12")[:4])


def test_failed_redownload_does_not_replace_the_cached_file(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    cached = cache / canonical("set12", 0).path
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"damaged by an interrupted copy")
    mirror_path(mirror, "set12", 0).write_bytes(b"truncated")

    with pytest.raises(DatasetError, match="Set12/01.png"):
        datasets.fetch("set12/01.png")
    assert cached.read_bytes() == b"damaged by an interrupted copy"
    assert files_under(cache) == {canonical("set12", 0).path}


def test_damaged_cached_file_is_replaced_by_a_good_download(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    cached = datasets.fetch("set12/02.png")
    good_bytes = cached.read_bytes()
    cached.write_bytes(good_bytes[: len(good_bytes) // 2])

    assert datasets.fetch("set12/02.png") == cached
    assert cached.read_bytes() == good_bytes
    assert files_under(cache) == {canonical("set12", 1).path}


@pytest.mark.parametrize("folder", ["att_faces/", ""], ids=["in-a-folder", "at-the-top"])
def test_att_faces_download(folder, cache, mirror, monkeypatch, faces_and_ids):
    write_att_zip(mirror_path(mirror, "att_faces"), faces_and_ids[0], folder)
    serve(monkeypatch, mirror)
    faces, person_ids = datasets.att_faces()
    assert np.array_equal(faces, faces_and_ids[0]) and faces.dtype == np.uint8
    assert np.array_equal(person_ids, faces_and_ids[1]) and person_ids.dtype == np.uint8
    assert faces.flags.writeable
    assert files_under(cache) == cache_paths("att_faces")


def test_att_faces_with_one_changed_pixel_is_rejected(cache, mirror, monkeypatch, faces_and_ids):
    faces = faces_and_ids[0].copy()
    faces[123, 45, 67] ^= 1
    write_att_zip(mirror_path(mirror, "att_faces"), faces)
    serve(monkeypatch, mirror)
    with pytest.raises(DatasetError) as raised:
        datasets.att_faces()
    message = str(raised.value)
    assert "att_faces.zip" in message and "decoded faces" in message
    assert canonical("att_faces").sha256 in message
    assert files_under(cache) == set()


def test_damaged_cached_archive_is_replaced(cache, mirror, monkeypatch, faces_and_ids):
    write_att_zip(mirror_path(mirror, "att_faces"), faces_and_ids[0])
    serve(monkeypatch, mirror)
    cached = cache / canonical("att_faces").path
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"PK\x03\x04 not really a zip")
    faces, _ = datasets.att_faces()
    assert np.array_equal(faces, faces_and_ids[0])
    assert cached.read_bytes() == mirror_path(mirror, "att_faces").read_bytes()


@pytest.mark.parametrize(
    "unreachable_url", ["file:///nonexistent/aelib-mirror", "http://127.0.0.1:9/aelib"]
)
@pytest.mark.parametrize("loader", ["att_faces", "mnist"])
def test_offline_without_cache_names_the_file_and_aelib_data(
    loader, unreachable_url, cache, monkeypatch
):
    monkeypatch.setenv("AELIB_DATA_URL", unreachable_url)
    with pytest.raises(DatasetError) as raised:
        getattr(datasets, loader)()
    message = str(raised.value)
    assert canonical(loader).path in message
    assert unreachable_url in message
    assert "set AELIB_DATA to a folder holding the prepared data" in message
    assert "shared/data" in message
    assert files_under(cache) == set()


def test_prepared_only_files_are_not_fetched_without_aelib_data(cache, monkeypatch):
    # The message points at what the loader downloads instead: here the canonical file.
    monkeypatch.delenv("AELIB_DATA_URL")
    with pytest.raises(DatasetError, match=r"mnist\.npz.*AELIB_DATA.*storage\.googleapis"):
        datasets.fetch("mnist.npz")
    with pytest.raises(DatasetError, match=r"olivetti/att_faces\.npz.*AELIB_DATA"):
        datasets.fetch("olivetti/att_faces.npz")
    # The new data sets are published as archives: their prepared files are not fetched alone.
    with pytest.raises(DatasetError, match=r"bsds500/val/101085\.jpg.*bsds500\(\).*BSR_bsds500"):
        datasets.fetch("bsds500/val/101085.jpg")
    with pytest.raises(DatasetError, match=r"20news-bydate\.tar\.gz.*AELIB_DATA.*qwone\.com"):
        datasets.fetch("20news-bydate/20news-bydate.tar.gz")
    assert files_under(cache) == set()


# ---------------------------------------------------------------------------------------------
# Files read from an AELIB_DATA folder


@pytest.fixture
def local_copy(tmp_path, monkeypatch):
    """A copy of set12 laid out like shared/data, with AELIB_DATA pointing at it."""
    if DATA is None:
        pytest.skip("AELIB_DATA is not set; the copy is made from it")
    folder = tmp_path / "data"
    shutil.copytree(DATA / "set12", folder / "set12")
    monkeypatch.setenv("AELIB_DATA", str(folder))
    return folder


def test_damaged_file_in_aelib_data_raises_and_is_not_modified(local_copy):
    damaged = local_copy / "set12/05.png"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    damaged_bytes = damaged.read_bytes()

    with pytest.raises(DatasetError) as raised:
        datasets.set12()
    message = str(raised.value)
    assert "set12/05.png" in message
    assert "AELIB_DATA" in message
    assert str(local_copy) in message
    assert damaged.read_bytes() == damaged_bytes


def test_empty_file_in_aelib_data_raises(local_copy):
    (local_copy / "set12/03.png").write_bytes(b"")
    with pytest.raises(DatasetError, match=r"set12/03\.png.*AELIB_DATA"):
        datasets.fetch("set12/03.png")


def test_files_are_hashed_once_until_they_change(local_copy, monkeypatch):
    datasets.fetch("set12/01.png")

    def no_hashing(*args, **kwargs):
        raise AssertionError("the file was hashed again")

    monkeypatch.setattr(datasets.hashlib, "sha256", no_hashing)
    datasets.fetch("set12/01.png")  # served from the per-process record

    # A changed file is a new file: it is hashed (and here found damaged) again.
    (local_copy / "set12/01.png").write_bytes(b"edited")
    with pytest.raises(AssertionError, match="hashed again"):
        datasets.fetch("set12/01.png")


def test_missing_file_in_aelib_data_raises(local_copy):
    with pytest.raises(DatasetError, match=r"kodak/kodim01\.png: not found in AELIB_DATA"):
        datasets.kodak()


# ---------------------------------------------------------------------------------------------
# Killed downloads, and other URLs of a file

# A download into the cache that gets as far as writing part of the file, then waits to be
# killed. It loads aelib._atomic by path (no Keras import), and uses it as the loaders do.
KILLED_DOWNLOAD = textwrap.dedent(
    """
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("atomic", sys.argv[1])
    atomic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(atomic)
    with atomic.atomic_path(sys.argv[2]) as temporary:
        temporary.write_bytes(b"\\x89PNG first bytes of a download")
        print(temporary, flush=True)
        sys.stdin.readline()
    """
)


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_a_killed_download_leaves_no_temporary_file_after_the_next_download(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    serve(monkeypatch, mirror)
    target = cache / canonical("set12", 0).path
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_DOWNLOAD, _atomic.__file__, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        temporary = Path(process.stdout.readline().strip())
        assert temporary.is_file() and temporary.parent == target.parent
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stdin.close()
    assert files_under(cache) == {temporary.relative_to(cache).as_posix()}

    # The next run downloads into the same folder: the dead download's file is removed.
    images = datasets.set12()
    assert len(images) == 12
    assert files_under(cache) == cache_paths("set12")


def test_other_urls_of_a_file_are_tried_in_order_without_a_mirror(
    cache, mirror, canonical_mirror, monkeypatch
):
    copy_into(mirror, canonical_mirror, "set12")
    monkeypatch.delenv("AELIB_DATA_URL")
    record = REGISTRY["set12"]
    damaged = mirror / "damaged-01.png"
    damaged.write_bytes(b"not the image")
    good = mirror_path(mirror, "set12", 0).as_uri()
    file = dataclasses.replace(canonical("set12", 0), also_at=(damaged.as_uri(), good))
    source = dataclasses.replace(
        record.source, base=(mirror / "unreachable-host").as_uri(), files=(file,)
    )
    monkeypatch.setitem(
        REGISTRY,
        "set12",
        dataclasses.replace(record, source=source),
    )
    assert datasets.fetch("set12/01.png").read_bytes() == (DATA / "set12/01.png").read_bytes()
    assert files_under(cache) == {file.path}

    # With a mirror, only the mirror is asked: here it lacks the file, so nothing is fetched.
    cache_copy = cache / file.path
    cache_copy.unlink()
    serve(monkeypatch, mirror / "empty-mirror")
    with pytest.raises(DatasetError) as raised:
        datasets.fetch("set12/01.png")
    message = str(raised.value)
    assert "empty-mirror" in message and good not in message and damaged.as_uri() not in message
    assert files_under(cache) == set()


def test_every_failed_url_is_named(cache, mirror, monkeypatch):
    monkeypatch.delenv("AELIB_DATA_URL")
    record = REGISTRY["set12"]
    damaged = mirror / "damaged-01.png"
    damaged.write_bytes(b"not the image")
    file = dataclasses.replace(canonical("set12", 0), also_at=(damaged.as_uri(),))
    source = dataclasses.replace(record.source, base=(mirror / "nowhere").as_uri(), files=(file,))
    monkeypatch.setitem(REGISTRY, "set12", dataclasses.replace(record, source=source))
    with pytest.raises(DatasetError) as raised:
        datasets.fetch("set12/01.png")
    message = str(raised.value)
    assert "could not download it from" in message and "nowhere" in message
    assert f"the file downloaded from {damaged.as_uri()} is damaged" in message
    assert file.sha256 in message and "AELIB_DATA" in message
    assert files_under(cache) == set()
