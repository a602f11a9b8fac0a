"""The data sets of the book, every file checked against a known sha256 before it is read.

Loaders:

* :func:`mnist`: handwritten digits, ``((x_train, y_train), (x_test, y_test))`` as in Keras;
* :func:`fashion_mnist`: Zalando clothing images, in the same layout;
* :func:`kodak`: 24 colour photographs, a list of uint8 ``(H, W, 3)`` arrays;
* :func:`bsd68`: the 68 grey test images of the Berkeley set, a list of uint8 ``(H, W)``;
* :func:`set12`: 12 classic grey test images, a list of uint8 ``(H, W)``;
* :func:`train400`: 400 grey 180x180 training images, uint8 ``(400, 180, 180)``;
* :func:`att_faces`: the AT&T (ORL) faces, uint8 ``(400, 112, 92)``, and person ids;
* :func:`bsds500`: the 500 BSDS500 colour images (or a subset: a split, ``"bsd432"``,
  ``"bsd68"``) and their ids;
* :func:`newsgroups20`: 20 Newsgroups "bydate", texts, labels and group names;
* :func:`reuters21578`: Reuters-21578 ModApte, texts and topic lists.

Every fact about a data set (its files and their sha256, how each is checked, its canonical
source, reader, licence and citation) is one record of :mod:`aelib.data.registry`;
``aelib/data/PROVENANCE.md`` and ``aelib/data/sha256.txt`` are generated from it.

Where the files come from:

1. **The prepared data.** When the environment variable ``AELIB_DATA`` names a folder (for
   example the project's ``shared/data``), every loader reads the prepared files there
   (``mnist.npz``, ``kodak/kodim01.png``, ``bsds500/val/101085.jpg``, ...: the ``files`` of
   each record) and checks each file's sha256 first. That folder is only ever read, never
   written. ``PROVENANCE.md`` next to the prepared data says where each file was taken from
   and how it was checked.

2. **The canonical sources.** Without ``AELIB_DATA``, each loader downloads the files of its
   data set from where they are published (the ``source`` of its record), once, into a
   cache. Where the published bytes vary between copies while their content does not, the
   content is checked: the decompressed IDX bytes of Fashion-MNIST, the decoded AT&T faces,
   the members of the BSDS500, 20 Newsgroups and Reuters archives. The loaders return the same
   arrays and texts either way. The canonical archives of BSDS500, 20 Newsgroups and
   Reuters-21578 could not be reached when their records were made; their checks are the
   content of the prepared copies (see the notes in ``PROVENANCE.md``).

   Every file is written to a temporary name in the cache, checked, and only then renamed
   into place (``aelib._atomic.atomic_path``), so a failed or truncated download never
   replaces a good cached file, and a temporary file left by a killed download is removed by
   the next download into that folder. A cached file is checked on every load (its digest is
   computed once per process while the file stays unchanged) and downloaded again if it is
   damaged. Offline with nothing cached, :class:`DatasetError` says which file is missing and
   to set ``AELIB_DATA``.

**The cache** is ``$AELIB_CACHE`` (default ``~/.cache/aelib``); a file lives there under its
URL path, e.g. ``<cache>/tensorflow/tf-keras-datasets/mnist.npz``.

**A mirror** is a copy of the canonical files under their URL paths, the same layout as the
cache (so a filled cache is a mirror too). When ``AELIB_DATA_URL`` is set, it replaces the
scheme and host of every canonical URL: ``https://storage.googleapis.com/tensorflow/
tf-keras-datasets/mnist.npz`` is then fetched from ``$AELIB_DATA_URL/tensorflow/
tf-keras-datasets/mnist.npz``, and no other URL is tried. ``file://`` URLs work, which is how
the tests download. Files from a mirror are checked exactly as those from the canonical hosts.

**Why not pooch.** The downloads are written here rather than with ``pooch``: pooch checks a
file's bytes only, while four of these sources must be checked by their decoded content; the
``AELIB_DATA`` folder and the ``AELIB_DATA_URL`` mirror layout would have to be rebuilt around
it anyway; this code, its error messages and its atomic writes (with the removal of stale
temporary files) are already tested; and the library needs no further dependency.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import tarfile
import urllib.request
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from aelib._atomic import atomic_path
from aelib._validation import choice
from aelib.data import registry
from aelib.data._formats import BSDS500Images, Newsgroups, Reuters
from aelib.data.registry import (
    DATASET_FILES,
    EXPECTED_SHA256,
    FILE_BYTES,
    REGISTRY,
    Check,
    DataFile,
    Dataset,
    Source,
)

__all__ = [
    "DATASET_FILES",
    "DEFAULT_CACHE_DIR",
    "EXPECTED_SHA256",
    "REGISTRY",
    "BSDS500Images",
    "DataFile",
    "Dataset",
    "DatasetError",
    "Newsgroups",
    "Reuters",
    "Source",
    "att_faces",
    "bsd68",
    "bsds500",
    "cache_dir",
    "download_urls",
    "fashion_mnist",
    "fetch",
    "kodak",
    "mirror_url",
    "mnist",
    "newsgroups20",
    "reuters21578",
    "set12",
    "train400",
]

#: Where downloaded files are kept unless ``AELIB_CACHE`` says otherwise.
DEFAULT_CACHE_DIR = "~/.cache/aelib"

#: Seconds to wait for a server to answer before giving up on a download.
_DOWNLOAD_TIMEOUT_S = 60

_CHUNK_BYTES = 1 << 20


class DatasetError(RuntimeError):
    """A data file is missing, cannot be downloaded, or does not have the expected sha256."""


# ---------------------------------------------------------------------------------------------
# Digests, computed once per process per file version

# The key holds what the digest is of (the check) and changes whenever the file does: a
# replaced file has a new inode, an edited one a new mtime (and usually size). Only a same-size
# edit within the file system's timestamp resolution could slip through, and only within one
# process; data files are never edited so.
_hash_memo: dict[tuple[str, str, int, int, int], str] = {}


def _content_sha256(path: Path, check: Check) -> str:
    """Return the sha256 `check` verifies `path` by (uncached; see :func:`_digest`).

    A file that cannot be decoded gets a description in parentheses instead, which can never
    equal an expected hex digest.
    """
    if check == FILE_BYTES:
        return check.digest(path)
    try:
        return check.digest(path)
    # What a damaged or foreign gzip, zip or tar file raises (other OSErrors, such as a missing
    # or unreadable file, are not about the content and propagate).
    except (
        gzip.BadGzipFile,
        EOFError,
        zlib.error,
        zipfile.BadZipFile,
        tarfile.TarError,
        NotImplementedError,
        ValueError,
    ) as error:
        return f"(cannot be decoded: {error})"


def _memo_key(path: Path, check: Check, stat: os.stat_result) -> tuple[str, str, int, int, int]:
    return (check.key, str(path.absolute()), stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _digest(path: Path, check: Check = FILE_BYTES) -> str:
    """Return the file's (content) sha256, computed at most once per process per version.

    An empty file is ``"(empty file)"``: never valid, whatever it would decode to.
    """
    stat = path.stat()
    if stat.st_size == 0:
        return "(empty file)"
    key = _memo_key(path, check, stat)
    if key not in _hash_memo:
        _hash_memo[key] = _content_sha256(path, check)
    return _hash_memo[key]


# ---------------------------------------------------------------------------------------------
# Locating and verifying files


def cache_dir() -> Path:
    """Return the folder downloaded files are kept in.

    Returns:
        ``$AELIB_CACHE``, or ``~/.cache/aelib`` when it is unset.

    Example:
        >>> isinstance(cache_dir(), Path)
        True
    """
    return Path(os.environ.get("AELIB_CACHE") or DEFAULT_CACHE_DIR).expanduser()


def mirror_url() -> str | None:
    """Return the mirror that replaces the canonical hosts.

    A mirror holds the canonical files under their URL paths (see the module's notes), e.g.
    ``file:///srv/aelib-mirror`` or a filled cache folder as a ``file://`` URL.

    Returns:
        ``$AELIB_DATA_URL`` without a trailing ``/``, or None when it is unset or empty.
    """
    return (os.environ.get("AELIB_DATA_URL") or "").rstrip("/") or None


def download_urls(dataset: str) -> list[str]:
    """Return the URLs the files of `dataset` are downloaded from, in the reader's order.

    Args:
        dataset: A key of ``aelib.data.registry.REGISTRY``, e.g. ``"set12"``.

    Returns:
        The canonical URLs (the first of each file), or, when ``AELIB_DATA_URL`` is set, the
        same URL paths under it.

    Raises:
        KeyError: If `dataset` is not in the registry.

    Example:
        >>> url = download_urls("mnist")[0]
        >>> url.endswith("tensorflow/tf-keras-datasets/mnist.npz")
        True
    """
    return REGISTRY[dataset].source.urls(mirror_url())


def _from_local_folder(root: Path, file: DataFile) -> Path:
    """Return `file` inside the ``AELIB_DATA`` folder `root`, after checking its sha256."""
    path = root / file.path
    if not path.is_file():
        raise DatasetError(
            f"{file.path}: not found in AELIB_DATA={root} (looked for {path}). AELIB_DATA "
            "must name a folder laid out like the project's shared/data; unset it to download "
            "the files instead."
        )
    actual = _digest(path, file.check)
    if actual != file.sha256:
        # Never repair this folder: it is the user's (often read-only, shared) copy.
        raise DatasetError(
            f"{file.path}: {path} in AELIB_DATA={root} is damaged or a different version: "
            f"{file.check.what} {actual}, expected {file.sha256}. Restore the file, point "
            "AELIB_DATA at a good copy of the data, or unset AELIB_DATA to download the files."
        )
    return path


def _is_good(path: Path, file: DataFile) -> bool:
    """Return whether `path` exists, is not empty, and has the expected (content) sha256."""
    try:
        return path.is_file() and _digest(path, file.check) == file.sha256
    except FileNotFoundError:
        return False


class _FailedDownload(Exception):
    """One URL gave no good copy; `reason` says why, `network` whether it never arrived."""

    def __init__(self, reason: str, network: bool) -> None:
        super().__init__(reason)
        self.reason, self.network = reason, network


def _download_once(url: str, file: DataFile, target: Path) -> str:
    """Download `url` onto `target` atomically and check it; return its (content) digest.

    Raises:
        _FailedDownload: If the download fails or the file is not the expected one; `target`
            is then left as it was, and no temporary file remains.
    """
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
            raise _FailedDownload(f"could not download it from {url} ({reason})", True) from error
        if temporary.stat().st_size == 0:
            actual = "(empty file)"
        elif file.check == FILE_BYTES:
            actual = digest.hexdigest()
        else:
            actual = _content_sha256(temporary, file.check)
        if actual != file.sha256:
            raise _FailedDownload(
                f"the file downloaded from {url} is damaged or a different version: "
                f"{file.check.what} {actual}, expected {file.sha256}",
                False,
            )
    return actual


def _download(dataset: str, file: DataFile, target: Path) -> None:
    """Download canonical `file` of `dataset` onto `target`, atomically and verified.

    The URLs of the file are tried in order (with a mirror, only the mirror's); the first good
    copy is kept. A failed or truncated download never replaces what `target` held before.
    """
    mirror = mirror_url()
    source = REGISTRY[dataset].source
    urls = [source.url_of(file, mirror)]
    if mirror is None:
        urls += list(file.also_at)
    failures: list[_FailedDownload] = []
    for url in urls:
        try:
            actual = _download_once(url, file, target)
        except _FailedDownload as failure:
            failures.append(failure)
            continue
        # Remember the digest of the file just written: the next load need not compute it.
        _hash_memo[_memo_key(target, file.check, target.stat())] = actual
        return
    what = "; then ".join(failure.reason for failure in failures)
    if all(failure.network for failure in failures):
        raise DatasetError(
            f"{dataset}: {file.path}: {what}, and the cache ({target}) has no good copy of it. "
            "Without network access, set AELIB_DATA to a folder holding the prepared data, "
            "e.g. the project's shared/data (or AELIB_DATA_URL to a reachable mirror of the "
            "canonical files)."
        )
    where = f"Check the mirror AELIB_DATA_URL={mirror}, or set" if mirror else "Set"
    raise DatasetError(
        f"{dataset}: {file.path}: {what}. {where} AELIB_DATA to a folder holding the prepared "
        f"data, e.g. the project's shared/data. The cache ({target}) was left unchanged."
    )


def _cached_file(dataset: str, file: DataFile) -> Path:
    """Return canonical `file` of `dataset` in the cache, verified; downloaded if need be."""
    target = cache_dir() / file.path
    if not _is_good(target, file):
        # Missing, or damaged (for example by an interrupted copy): fetch a fresh one.
        _download(dataset, file, target)
    return target


def _load(dataset: str, **options: Any) -> Any:
    """Return what the loader of `dataset` returns: from ``AELIB_DATA``, or else the cache."""
    record = REGISTRY[dataset]
    local_root = os.environ.get("AELIB_DATA")
    if local_root:
        root = Path(local_root).expanduser()
        paths = {file.path: _from_local_folder(root, file) for file in record.files}
        return record.read(paths, **options)
    # Every file is verified (and downloaded if need be) before any is read.
    source = record.source
    paths = {file.path: _cached_file(dataset, file) for file in source.files}
    return source.read(paths, **options)


def fetch(relative_path: str) -> Path:
    """Return the local path of one prepared data file, after checking its sha256.

    Args:
        relative_path: The file's path relative to the prepared data folder, as listed in
            ``aelib/data/sha256.txt``, for example ``"kodak/kodim23.png"``.

    Returns:
        ``$AELIB_DATA/<relative_path>`` when ``AELIB_DATA`` is set. Otherwise, for a file of
        which the canonical source has a byte copy (the kodak, bsd68, set12 and train400
        images), that file in :func:`cache_dir`, downloaded first if it is missing or damaged.

    Raises:
        ValueError: If `relative_path` is not one of the known data files.
        DatasetError: If the file is missing and cannot be downloaded, or its sha256 is not
            the expected one; and, without ``AELIB_DATA``, for a file that only the prepared
            data holds (``mnist.npz``, ``bsds500/val/101085.jpg``, ...: their loaders download
            the canonical files instead).

    Example:
        >>> fetch("set12/01.png").name
        '01.png'
    """
    try:
        record, file = registry.find_prepared_file(relative_path)
    except KeyError:
        raise ValueError(
            f"unknown data file {relative_path!r}; the known files are listed in "
            "aelib/data/sha256.txt"
        ) from None

    local_root = os.environ.get("AELIB_DATA")
    if local_root:
        return _from_local_folder(Path(local_root).expanduser(), file)

    for canonical in record.source.files:
        if canonical.check == FILE_BYTES and canonical.sha256 == file.sha256:
            return _cached_file(record.name, canonical)
    raise DatasetError(
        f"{relative_path}: this prepared file is only in the prepared data; set AELIB_DATA "
        "to a folder holding it, e.g. the project's shared/data. Without AELIB_DATA, "
        f"aelib.data.{record.name}() downloads the same data from its canonical source "
        f"({', '.join(download_urls(record.name))})."
    )


# ---------------------------------------------------------------------------------------------
# The data sets


def mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST handwritten digits, in the layout of ``keras.datasets.mnist.load_data()``.

    Source: without ``AELIB_DATA``, Keras' own ``mnist.npz`` (checked by the sha256 Keras
    checks). The prepared ``mnist.npz`` holds the same arrays, taken from the classic pickled
    MNIST and converted exactly to uint8; ``x_test``, ``y_test`` and ``y_train`` are
    byte-equal to the official IDX files, and the label counts are the official ones. MNIST is
    by Yann LeCun, Corinna Cortes and Christopher J. C. Burges; Keras distributes it under the
    Creative Commons Attribution-Share Alike 3.0 licence.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_train`` uint8 (60000, 28, 28),
        ``y_train`` uint8 (60000,), ``x_test`` uint8 (10000, 28, 28), ``y_test`` uint8
        (10000,). Pixels 0..255 (0 is background), labels 0..9.

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = mnist()
        >>> x_train.shape, x_train.dtype, y_test.shape
        ((60000, 28, 28), dtype('uint8'), (10000,))
    """
    return _load("mnist")


def fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Fashion-MNIST clothing images, in the layout of ``keras.datasets.fashion_mnist``.

    Source: Zalando Research, github.com/zalandoresearch/fashion-mnist. Without
    ``AELIB_DATA``, the four IDX ``.gz`` files Keras downloads, checked by the sha256 of their
    decompressed content (the upstream IDX bytes). The prepared ``fashion_mnist.npz`` holds
    the same arrays, parsed from the Debian package ``dataset-fashion-mnist``. Licence: MIT.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x_train`` uint8 (60000, 28, 28),
        ``y_train`` uint8 (60000,), ``x_test`` uint8 (10000, 28, 28), ``y_test`` uint8
        (10000,). Labels 0..9 (0 T-shirt/top, 1 trouser, 2 pullover, 3 dress, 4 coat, 5
        sandal, 6 shirt, 7 sneaker, 8 bag, 9 ankle boot); 6000 training and 1000 test images
        per class.

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = fashion_mnist()
        >>> x_train.shape, int(y_train.max())
        ((60000, 28, 28), 9)
    """
    return _load("fashion_mnist")


def kodak() -> list[np.ndarray]:
    """Load the Kodak lossless true-colour image suite: 24 photographs.

    Source: the original PNG files of Kodak Photo CD PCD0992, from GitHub
    ayushabrol13/Asymmetric-Learned-Image-Compression-with-Multi-Scale-Residual-Block at
    commit 485b375 (the prepared files are byte copies, pixels checked against two other
    copies). Licence: no licence file comes with the images; the suite is widely described as
    released by Eastman Kodak for unrestricted use, and it is a standard benchmark for image
    compression.

    Returns:
        24 uint8 arrays of shape (H, W, 3), RGB, in file order kodim01 .. kodim24. 18 are
        landscape (512, 768, 3); 6 are portrait (768, 512, 3): kodim04, 09, 10, 17, 18 and 19.
        They differ in shape, hence a list and not one array.

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> images = kodak()
        >>> len(images), images[0].shape, images[3].shape
        (24, (512, 768, 3), (768, 512, 3))
    """
    return _load("kodak")


def bsd68() -> list[np.ndarray]:
    """Load BSD68: the 68 grey test images of the Berkeley Segmentation Dataset for denoising.

    Source: ``testsets/BSD68`` of github.com/cszn/DnCNN at commit e93b278 (the prepared files
    are byte copies), the test set of Roth and Black's "Fields of Experts" taken from the
    Berkeley Segmentation Dataset (Martin et al., 2001). Their colour originals are
    ``bsds500(subset="bsd68")``, in the same order. Licence: none stated in the source
    repository; the Berkeley images are provided for non-commercial research and educational
    use.

    Returns:
        68 uint8 arrays of shape (H, W), in file order test001 .. test068: 53 are (321, 481)
        (landscape) and 15 are (481, 321) (portrait).

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> images = bsd68()
        >>> len(images), images[0].dtype, images[0].ndim
        (68, dtype('uint8'), 2)
    """
    return _load("bsd68")


def set12() -> list[np.ndarray]:
    """Load Set12: twelve classic grey test images used for denoising.

    Source: ``testsets/Set12`` of github.com/cszn/DnCNN at commit e93b278 (the prepared files
    are byte copies). The images (cameraman, house, peppers, ...) are classic image-processing
    test pictures of mixed origin. Licence: none stated in the source repository.

    Returns:
        12 uint8 arrays of shape (H, W), in file order 01 .. 12: the first 7 are (256, 256),
        the last 5 (512, 512).

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> [image.shape for image in set12()][:1]
        [(256, 256)]
    """
    return _load("set12")


def train400() -> np.ndarray:
    """Load Train400: the 400 grey 180x180 images DnCNN is trained on.

    Source: ``TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400`` of github.com/cszn/DnCNN
    at commit e93b278 (the prepared files are byte copies); the images are crops of Berkeley
    Segmentation Dataset pictures. Licence: none stated in the source repository; the
    Berkeley images are provided for non-commercial research and educational use.

    Returns:
        uint8 array of shape (400, 180, 180), in file order test_001 .. test_400.

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> train400().shape
        (400, 180, 180)
    """
    return _load("train400")


def att_faces() -> tuple[np.ndarray, np.ndarray]:
    """Load the AT&T "Database of Faces" (formerly ORL): 40 people, 10 pictures each.

    Source: the original 92x112 PGM files of AT&T Laboratories Cambridge (1992-1994), stacked
    in the order s1/1 .. s1/10, s2/1 .. s40/10. Without ``AELIB_DATA``, they are read from
    AT&T's archive ``att_faces.zip`` (www.cl.cam.ac.uk), checked by the sha256 of the 400
    decoded faces. The prepared ``olivetti/att_faces.npz`` holds the same faces, each
    confirmed by at least two independent copies. This is not sklearn's 64x64 float "Olivetti
    faces" derivative. Licence: none stated; AT&T asked users of the database to credit AT&T
    Laboratories Cambridge.

    Returns:
        ``(faces, person_ids)``: ``faces`` uint8 (400, 112, 92), grey images of 112 rows by 92
        columns; ``person_ids`` uint8 (400,), the person 0..39 (folder ``sN`` of the original
        is ``N - 1``, as sklearn's ``target``), ten images each, in order 0, 0, ..., 1, ...

    Raises:
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> faces, person_ids = att_faces()
        >>> faces.shape, int(person_ids.max())
        ((400, 112, 92), 39)
    """
    return _load("att_faces")


#: The values :func:`bsds500` accepts for `subset`.
BSDS500_SUBSETS = ("all", "train", "val", "test", "bsd432", "bsd68")


def bsds500(subset: str = "all") -> BSDS500Images:
    """Load the BSDS500 colour images (Berkeley Segmentation Data Set, 500 photographs).

    BSDS500 has three splits: train (200 images), val (100) and test (200). The 68 BSD68
    denoising test images (:func:`bsd68`) are grey versions of 68 of the val images, so a
    model tested on BSD68 must not be trained on those: ``subset="bsd432"`` is the other 432
    images (train, test and 32 of val; "CBSD432"), and ``subset="bsd68"`` their 68 colour
    originals ("CBSD68"), in BSD68's order. No Kodak image was found among them.

    Source: the JPEG files of Berkeley's January 2013 BSR release (``BSR_bsds500.tgz``); the
    prepared ``bsds500/<split>/<number>.jpg`` are byte copies, taken from the mirror GitHub
    BIDS/BSDS500. They are lossy JPEG, as Berkeley distributes them. Licence: for
    non-commercial research and educational purposes (the images are Corel's). Cite
    Arbelaez et al., IEEE TPAMI 33(5), 2011.

    Args:
        subset: ``"all"`` (500), ``"train"`` (200), ``"val"`` (100), ``"test"`` (200),
            ``"bsd432"`` (432: all but the BSD68 images) or ``"bsd68"`` (68).

    Returns:
        ``BSDS500Images(images, ids)``, a named tuple: ``images`` a list of uint8 RGB arrays,
        (321, 481, 3) or (481, 321, 3) (sizes differ, hence a list); ``ids`` the matching
        ``"<split>/<image number>"`` strings, e.g. ``"val/101085"``. Ordered train, val, test,
        by file name within a split; for ``"bsd68"``, as :func:`bsd68` (``ids[i]`` is the
        original of ``bsd68()[i]``).

    Raises:
        ValueError: If `subset` is not one of these.
        DatasetError: If a file is missing, damaged, or cannot be downloaded.

    Example:
        >>> images, ids = bsds500(subset="bsd68")
        >>> len(images), ids[0], images[0].shape, images[0].dtype
        (68, 'val/101085', (481, 321, 3), dtype('uint8'))
    """
    choice("subset", subset, BSDS500_SUBSETS)
    return _load("bsds500", subset=subset)


def newsgroups20(subset: str = "train") -> Newsgroups:
    """Load 20 Newsgroups, "bydate" version: Usenet messages of 20 groups, split by date.

    The texts are the raw messages (headers and body) decoded from latin-1, which maps every
    byte to a character, so nothing is lost or replaced; the only change is that ``\\r\\n``
    line ends read as ``\\n`` (the prepared copy's git mirror had normalised some of them).
    Nothing else is removed (no headers, signatures or quotes), as for scikit-learn's
    ``fetch_20newsgroups(remove=())``.

    Source: ``20news-bydate.tar.gz`` from Jason Rennie's 20 Newsgroups page (also where
    scikit-learn gets it). The prepared copy was rebuilt from the mirror GitHub
    YunomiXavia/20news-bydate; it is checked by its bytes, the canonical archive by the sha256
    of every message. Licence: none stated; the collection is by Ken Lang (cite Lang,
    NewsWeeder, ICML 1995).

    Args:
        subset: ``"train"`` (11,314 messages) or ``"test"`` (7,532).

    Returns:
        ``Newsgroups(texts, labels, label_names, ids)``, a named tuple: ``texts`` a list of
        str; ``labels`` int64 array, the index of each message's group in ``label_names``;
        ``label_names`` the 20 group names, sorted (label 0 is ``"alt.atheism"``); ``ids``
        ``"<group>/<message number>"`` per message. Ordered by group, then message number.

    Raises:
        ValueError: If `subset` is neither ``"train"`` nor ``"test"``.
        DatasetError: If the archive is missing, damaged, or cannot be downloaded.

    Example:
        >>> train = newsgroups20("train")
        >>> len(train.texts), len(train.label_names), train.label_names[train.labels[0]]
        (11314, 20, 'alt.atheism')
    """
    choice("subset", subset, ("train", "test"))
    return _load("newsgroups20", subset=subset)


def reuters21578(subset: str = "train") -> Reuters:
    """Load Reuters-21578 (Distribution 1.0), ModApte split: newswire stories of 1987.

    ModApte keeps the stories indexed for topics (``TOPICS="YES"``) and splits them by
    Lewis's ``LEWISSPLIT``: 9,603 train and 3,299 test stories; some have no topic. (The
    "ApteMod" subset of NLTK also drops the stories without one of the 90 topics that occur in
    both halves.) A story's text is its TITLE and BODY, joined by a newline, with the SGML
    references decoded (``&lt;`` is ``<``) and the wire service's control characters removed;
    a story with neither (``TYPE="UNPROC"``) gives its whole TEXT element. The files are read
    as latin-1.

    Source: ``reuters21578.tar.gz`` of the UCI KDD archive. The prepared copy was rebuilt from
    GitHub colibri17/TextCategorization, the majority version of eight copies. Licence:
    copyright Reuters Ltd. and Carnegie Group; free distribution for research purposes only.
    Cite D. D. Lewis, Reuters-21578, Distribution 1.0.

    Args:
        subset: ``"train"`` (9,603 stories) or ``"test"`` (3,299).

    Returns:
        ``Reuters(texts, topics, topic_names, ids)``, a named tuple: ``texts`` a list of str;
        ``topics`` one list of topic names per story (multi-label; possibly empty);
        ``topic_names`` the 135 topics of the collection (``all-topics-strings.lc.txt``);
        ``ids`` int64 array of the stories' NEWID. In NEWID order.

    Raises:
        ValueError: If `subset` is neither ``"train"`` nor ``"test"``.
        DatasetError: If the archive is missing, damaged, or cannot be downloaded.

    Example:
        >>> test = reuters21578("test")
        >>> len(test.texts), int(test.ids[0]), test.topics[0], len(test.topic_names)
        (3299, 14826, ['trade'], 135)
    """
    choice("subset", subset, ("train", "test"))
    return _load("reuters21578", subset=subset)
