"""Tests of aelib.datasets (and the atomic-write helpers it uses).

The loaders are checked against the facts recorded in the data's PROVENANCE.md (label counts,
pixel means, image sizes), not only against shapes. The download path is exercised through a
``file://`` mirror built in a temporary folder, so no network is needed.

Most tests read the prepared data from ``$AELIB_DATA`` (the project's shared/data); they are
skipped when it is unset.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest

from aelib import datasets
from aelib._atomic import atomic_path, atomic_write_bytes, atomic_write_text
from aelib.datasets import DATASET_FILES, EXPECTED_SHA256, DatasetError

DATA_ENV = os.environ.get("AELIB_DATA")
DATA = Path(DATA_ENV) if DATA_ENV else None

NO_DATA_REASON = "AELIB_DATA is not set; point it at the prepared data (the project's shared/data)"
needs_data = pytest.mark.skipif(DATA is None, reason=NO_DATA_REASON)

# Facts from PROVENANCE.md.
MNIST_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
KODAK_PORTRAIT = {4, 9, 10, 17, 18, 19}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_mean_as_recorded(array: np.ndarray, recorded: str) -> None:
    """The pixel mean, rounded to as many decimals as PROVENANCE.md gives, equals its value."""
    decimals = len(recorded.partition(".")[2])
    assert round(float(array.mean()), decimals) == float(recorded), (float(array.mean()), recorded)


def files_under(folder: Path) -> set[str]:
    """Every file below `folder`, as relative paths, hidden temporary files included."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------------------------
# The hash table


def test_hash_table_covers_exactly_the_files_of_every_dataset():
    listed = [path for files in DATASET_FILES.values() for path in files]
    assert len(listed) == len(set(listed)) == 507
    assert set(listed) == set(EXPECTED_SHA256)
    assert {name: len(files) for name, files in DATASET_FILES.items()} == {
        "mnist": 1, "fashion_mnist": 1, "kodak": 24, "bsd68": 68, "set12": 12,
        "train400": 400, "att_faces": 1,
    }
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for digest in EXPECTED_SHA256.values())


@needs_data
def test_hash_table_equals_the_data_folders_sha256sums():
    sums = {}
    for line in (DATA / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    assert sums == EXPECTED_SHA256


def test_unknown_file_is_rejected():
    with pytest.raises(ValueError, match="unknown data file"):
        datasets.fetch("kodak/kodim25.png")


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
    assert all(np.array_equal(a, b) for a, b in zip(datasets.set12(), set12_images))


# ---------------------------------------------------------------------------------------------
# Downloading through a file:// mirror

MIRRORED = [*DATASET_FILES["set12"], "olivetti/att_faces.npz"]


@pytest.fixture
def mirror(tmp_path):
    """A mirror folder holding set12 and the AT&T faces, copied from AELIB_DATA."""
    if DATA is None:
        pytest.skip("AELIB_DATA is not set; the mirror is built from it")
    folder = tmp_path / "mirror"
    for relative_path in MIRRORED:
        (folder / relative_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / relative_path, folder / relative_path)
    return folder


@pytest.fixture
def cache(tmp_path, mirror, monkeypatch):
    """An empty cache folder; the loaders download from `mirror` (AELIB_DATA unset)."""
    folder = tmp_path / "cache"
    monkeypatch.delenv("AELIB_DATA", raising=False)
    monkeypatch.setenv("AELIB_DATA_URL", mirror.as_uri())
    monkeypatch.setenv("AELIB_CACHE", str(folder))
    return folder


def test_download_fills_the_cache_with_verified_files(cache, mirror, faces_and_ids):
    faces, person_ids = datasets.att_faces()
    assert np.array_equal(faces, faces_and_ids[0])
    assert np.array_equal(person_ids, faces_and_ids[1])
    assert [image.shape for image in datasets.set12()][0] == (256, 256)

    # Exactly the downloaded files, each with its expected hash, and no temporary files.
    assert files_under(cache) == set(MIRRORED)
    for relative_path in MIRRORED:
        assert sha256_of(cache / relative_path) == EXPECTED_SHA256[relative_path]

    # A good cached file is used without asking the mirror again.
    shutil.rmtree(mirror)
    assert datasets.fetch("olivetti/att_faces.npz") == cache / "olivetti/att_faces.npz"


def test_truncated_download_raises_and_leaves_the_cache_alone(cache, mirror):
    good_faces = datasets.fetch("olivetti/att_faces.npz")
    good_bytes = good_faces.read_bytes()

    truncated = mirror / "set12/01.png"
    truncated.write_bytes(truncated.read_bytes()[:1000])
    with pytest.raises(DatasetError) as raised:
        datasets.set12()
    message = str(raised.value)
    assert "set12/01.png" in message
    assert EXPECTED_SHA256["set12/01.png"] in message
    assert "AELIB_DATA_URL" in message

    assert good_faces.read_bytes() == good_bytes
    # The bad download was not kept, under its own name or a temporary one.
    assert files_under(cache) == {"olivetti/att_faces.npz"}


def test_failed_redownload_does_not_replace_the_cached_file(cache, mirror):
    cached = cache / "set12/01.png"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"damaged by an interrupted copy")
    (mirror / "set12/01.png").write_bytes(b"truncated")

    with pytest.raises(DatasetError, match="set12/01.png"):
        datasets.fetch("set12/01.png")
    assert cached.read_bytes() == b"damaged by an interrupted copy"
    assert files_under(cache) == {"set12/01.png"}


def test_damaged_cached_file_is_replaced_by_a_good_download(cache):
    cached = datasets.fetch("set12/02.png")
    good_bytes = cached.read_bytes()
    cached.write_bytes(good_bytes[: len(good_bytes) // 2])

    assert datasets.fetch("set12/02.png") == cached
    assert cached.read_bytes() == good_bytes
    assert files_under(cache) == {"set12/02.png"}


@pytest.mark.parametrize(
    "unreachable_url", ["file:///nonexistent/aelib-mirror", "http://127.0.0.1:9/aelib"]
)
def test_unreachable_mirror_names_the_file_and_aelib_data(unreachable_url, tmp_path, monkeypatch):
    cache_folder = tmp_path / "cache"
    monkeypatch.delenv("AELIB_DATA", raising=False)
    monkeypatch.setenv("AELIB_DATA_URL", unreachable_url)
    monkeypatch.setenv("AELIB_CACHE", str(cache_folder))

    with pytest.raises(DatasetError) as raised:
        datasets.att_faces()
    message = str(raised.value)
    assert "olivetti/att_faces.npz" in message
    assert unreachable_url in message
    assert "AELIB_DATA" in message
    assert files_under(cache_folder) == set()


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
# Atomic writes


def test_atomic_write_bytes_and_text(tmp_path):
    target = tmp_path / "new-folder" / "out.bin"
    atomic_write_bytes(target, b"\x00\x01\x02")
    assert target.read_bytes() == b"\x00\x01\x02"

    atomic_write_text(target, "psnr: 28.1\n")
    assert target.read_bytes() == b"psnr: 28.1\n"
    assert files_under(tmp_path) == {"new-folder/out.bin"}

    # The final file has the permissions of an ordinary write, not the temporary file's 0600.
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_atomic_path_keeps_the_suffix_for_format_sniffing_writers(tmp_path):
    target = tmp_path / "weights.npy"
    with atomic_path(target) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".npy"
        np.save(temporary, np.arange(3))
    assert np.array_equal(np.load(target), np.arange(3))
    assert files_under(tmp_path) == {"weights.npy"}


def test_atomic_path_failure_leaves_the_old_file(tmp_path):
    target = tmp_path / "results.json"
    target.write_text('{"old": true}')

    with pytest.raises(RuntimeError, match="simulated crash"):
        with atomic_path(target) as temporary:
            temporary.write_text('{"new": tr')
            raise RuntimeError("simulated crash")
    assert target.read_text() == '{"old": true}'
    assert files_under(tmp_path) == {"results.json"}

    # Also when the target did not exist yet: nothing is created.
    fresh = tmp_path / "fresh.json"
    with pytest.raises(RuntimeError):
        with atomic_path(fresh) as temporary:
            raise RuntimeError("simulated crash")
    assert not fresh.exists()
    assert files_under(tmp_path) == {"results.json"}
