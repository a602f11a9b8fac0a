"""Decoders of the data files: IDX, PGM, the AT&T zip, PNG/JPEG images, tar archives, SGML.

Everything here reads; nothing writes. Archives are read in memory, member by member, and never
extracted to disk, so a member's name cannot place a file anywhere (no path traversal). Only
regular members whose names match the expected pattern are read; a link or a device under such
a name, or the same name twice, is refused.

The named tuples the text and BSDS500 loaders return are defined here too.
"""

from __future__ import annotations

import gzip
import io
import re
import tarfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from PIL import Image

__all__ = [
    "BSDS500Images",
    "Newsgroups",
    "Reuters",
]

# Larger members than this are not data of these sets (the largest, a Reuters .sgm file, is
# 1.5 MB): refused rather than read into memory.
MAX_MEMBER_BYTES = 64 << 20


# ---------------------------------------------------------------------------------------------
# What the loaders of BSDS500 and the text corpora return


class BSDS500Images(NamedTuple):
    """BSDS500 colour images and their ids.

    Attributes:
        images: uint8 arrays of shape (H, W, 3), RGB; (321, 481, 3) or (481, 321, 3).
        ids: One per image: ``"<split>/<image number>"``, e.g. ``"val/101085"`` (the
            Berkeley file ``BSDS500/data/images/val/101085.jpg``).
    """

    images: list[np.ndarray]
    ids: list[str]


class Newsgroups(NamedTuple):
    """Documents of 20 Newsgroups, their group labels and the group names.

    Attributes:
        texts: The documents (headers and body), decoded from latin-1.
        labels: int64 array, one per document: the index of its group in `label_names`.
        label_names: The 20 group names, sorted (``"alt.atheism"`` is label 0).
        ids: One per document: ``"<group>/<message number>"``, e.g. ``"sci.med/58045"``.
    """

    texts: list[str]
    labels: np.ndarray
    label_names: tuple[str, ...]
    ids: list[str]


class Reuters(NamedTuple):
    """Reuters-21578 stories and their topics (multi-label).

    Attributes:
        texts: One per story: its title and body, joined by a newline.
        topics: One list per story: its TOPICS categories, in the order of the file; may be
            empty (the story was indexed and given no topic).
        topic_names: The 135 TOPICS categories of the collection, as listed in its
            ``all-topics-strings.lc.txt`` (a superset of those in `topics`).
        ids: int64 array: the NEWID of each story (1 .. 21578).
    """

    texts: list[str]
    topics: list[list[str]]
    topic_names: tuple[str, ...]
    ids: np.ndarray


# ---------------------------------------------------------------------------------------------
# Images, arrays, IDX, PGM, the AT&T archive


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """Return all arrays of an ``.npz`` file; pickled objects are refused.

    Args:
        path: The ``.npz`` file.

    Returns:
        Array name -> array.
    """
    with np.load(path, allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def read_image(source: Path | bytes, mode: str) -> np.ndarray:
    """Decode an image file as a writable uint8 array.

    Args:
        source: A path, or the file's bytes.
        mode: Pillow's ``"L"`` (grey, (H, W)) or ``"RGB"`` ((H, W, 3)).

    Returns:
        The pixels, converted to `mode` (a no-op for files known by their hash to be in it).
    """
    with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
        return np.array(image.convert(mode), dtype=np.uint8)


def read_idx_gz(path: Path) -> np.ndarray:
    """Return the uint8 array of a gzip-compressed IDX file (``*-idx1-ubyte.gz``, ...).

    IDX: two zero bytes, the type (0x08: unsigned byte), the number of dimensions, each
    dimension as a big-endian int32, then the values in C order.

    Args:
        path: The ``.gz`` file.

    Returns:
        The array, of the shape the header gives.

    Raises:
        ValueError: If the content is not an IDX file of unsigned bytes of that shape.
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


def parse_pgm(data: bytes, name: str) -> np.ndarray:
    """Decode a binary (P5) 8-bit PGM file.

    The header is four whitespace-separated fields (``P5``, width, height, maxval); a ``#``
    starts a comment that runs to the end of its line. One whitespace byte follows maxval,
    then the raster, which must be exactly width * height bytes.

    Args:
        data: The file's bytes.
        name: The file's name, for error messages.

    Returns:
        uint8 array of shape (height, width).

    Raises:
        ValueError: If `data` is not such a file; the message starts with `name`.
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
ATT_PEOPLE, ATT_IMAGES, ATT_SHAPE = 40, 10, (112, 92)
# The real files are 10,318 bytes; anything far larger is not one of them (nor read whole).
_ATT_MAX_MEMBER_BYTES = 1 << 20


def read_att_zip(path: Path) -> np.ndarray:
    """Return the 400 faces of the AT&T archive, in order s1/1 .. s1/10, s2/1 .. s40/10.

    Folders ``s1`` .. ``s40`` of ``1.pgm`` .. ``10.pgm`` are found at the top of the archive
    or inside one folder (``att_faces/``); other members (a README) are ignored.

    Args:
        path: The zip archive.

    Returns:
        uint8 array of shape (400, 112, 92).

    Raises:
        ValueError: If a face is missing, twice in the archive, or not a 92x112 PGM image.
    """
    faces = np.empty((ATT_PEOPLE * ATT_IMAGES, *ATT_SHAPE), dtype=np.uint8)
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
            person, image = divmod(index, ATT_IMAGES)
            key = (person + 1, image + 1)
            info = members.get(key)
            if info is None:
                raise ValueError(f"the archive has no s{key[0]}/{key[1]}.pgm")
            if info.file_size > _ATT_MAX_MEMBER_BYTES:
                raise ValueError(f"{info.filename}: {info.file_size} bytes, too large for a face")
            face = parse_pgm(archive.read(info), info.filename)
            if face.shape != ATT_SHAPE:
                raise ValueError(f"{info.filename}: shape {face.shape}, expected {ATT_SHAPE}")
            faces[index] = face
    return faces


def att_person_ids() -> np.ndarray:
    """Return the person of each face: folder ``sN`` is ``N - 1``, ten images each (uint8)."""
    return np.repeat(np.arange(ATT_PEOPLE, dtype=np.uint8), ATT_IMAGES)


# ---------------------------------------------------------------------------------------------
# Tar archives, read in memory


def iter_tar_members(path: Path, pattern: re.Pattern[str]) -> Iterator[tuple[str, bytes]]:
    """Yield the regular members of a tar archive whose names match `pattern`, in archive order.

    Args:
        path: A tar archive, compressed or not (gzip, bz2, xz).
        pattern: Matched against each member's full name; its group ``name`` is the name
            yielded (e.g. the path below a top-level folder).

    Yields:
        ``(name, content)`` pairs.

    Raises:
        ValueError: If a matching member is not a regular file (a link, a device, a folder),
            is larger than :data:`MAX_MEMBER_BYTES`, or if two members have the same name.
        tarfile.TarError, EOFError, OSError: If the archive is damaged.
    """
    seen: set[str] = set()
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            match = pattern.fullmatch(member.name)
            if match is None:
                continue
            name = match["name"]
            if not member.isfile():
                raise ValueError(f"{member.name}: not a regular file in the archive")
            if member.size > MAX_MEMBER_BYTES:
                raise ValueError(f"{member.name}: {member.size} bytes, too large for this data")
            if name in seen:
                raise ValueError(f"{member.name}: twice in the archive")
            seen.add(name)
            stream = archive.extractfile(member)
            assert stream is not None  # a regular file always has a stream
            yield name, stream.read()


def read_tar_members(path: Path, pattern: re.Pattern[str]) -> dict[str, bytes]:
    """Return :func:`iter_tar_members` as a dict: name -> content, in archive order.

    Args:
        path: A tar archive.
        pattern: As for :func:`iter_tar_members`.

    Returns:
        The matching members' contents.
    """
    return dict(iter_tar_members(path, pattern))


# ---------------------------------------------------------------------------------------------
# BSDS500

BSDS500_SPLITS = ("train", "val", "test")
# BSR_bsds500.tgz: BSR/BSDS500/data/images/<split>/<number>.jpg (Thumbs.db files ignored).
BSDS500_MEMBER = re.compile(
    r"(?:\./)?BSR/BSDS500/data/images/(?P<name>(?:train|val|test)/[0-9]+\.jpg)"
)


def _bsds500_order(name: str) -> tuple[int, str]:
    """Sort key of ``"<split>/<number>.jpg"``: train, val, test; by file name within a split."""
    split, _, file_name = name.partition("/")
    return BSDS500_SPLITS.index(split), file_name


def select_bsds500(names: Sequence[str], subset: str, bsd68: Sequence[str]) -> list[str]:
    """Return the names (``"val/101085.jpg"``) of the images of `subset`, in loader order.

    Args:
        names: The 500 image names of the data set, in any order.
        subset: ``"all"``, ``"train"``, ``"val"``, ``"test"``, ``"bsd432"`` or ``"bsd68"``.
        bsd68: The names of the 68 val images of BSD68, in BSD68's order (test001 ..).

    Returns:
        For a split or ``"all"``/``"bsd432"``: train, val, test, each in file-name order.
        For ``"bsd68"``: the order of `bsd68`, that of :func:`aelib.data.bsd68`'s images.

    Raises:
        ValueError: If `subset` is none of these.
    """
    ordered = sorted(names, key=_bsds500_order)
    if subset == "all":
        return ordered
    if subset in BSDS500_SPLITS:
        return [name for name in ordered if name.startswith(f"{subset}/")]
    if subset == "bsd432":
        excluded = set(bsd68)
        return [name for name in ordered if name not in excluded]
    if subset == "bsd68":
        return list(bsd68)
    raise ValueError(f"unknown BSDS500 subset {subset!r}")


def bsds500_from_files(
    paths: Mapping[str, Path], subset: str = "all", *, bsd68: Sequence[str]
) -> BSDS500Images:
    """Read the prepared BSDS500 files (``bsds500/<split>/<number>.jpg``).

    Args:
        paths: Relative path -> local path of each verified file.
        subset: As for :func:`select_bsds500`.
        bsd68: As for :func:`select_bsds500`.

    Returns:
        The images of `subset` and their ids.
    """
    by_name = {relative.split("/", 1)[1]: path for relative, path in paths.items()}
    names = select_bsds500(list(by_name), subset, bsd68)
    images = [read_image(by_name[name], "RGB") for name in names]
    return BSDS500Images(images, [name.removesuffix(".jpg") for name in names])


def bsds500_from_archive(
    paths: Mapping[str, Path], subset: str = "all", *, bsd68: Sequence[str]
) -> BSDS500Images:
    """Read Berkeley's ``BSR_bsds500.tgz`` (the images only; ground truth is not read).

    Args:
        paths: The one verified archive, by its cache path.
        subset: As for :func:`select_bsds500`.
        bsd68: As for :func:`select_bsds500`.

    Returns:
        The images of `subset` and their ids.
    """
    (path,) = paths.values()
    members = read_tar_members(path, BSDS500_MEMBER)
    names = select_bsds500(list(members), subset, bsd68)
    images = [read_image(members[name], "RGB") for name in names]
    return BSDS500Images(images, [name.removesuffix(".jpg") for name in names])


# ---------------------------------------------------------------------------------------------
# 20 Newsgroups

# 20news-bydate.tar.gz: 20news-bydate-<split>/<group>/<message number>.
NEWSGROUPS_MEMBER = re.compile(r"(?:\./)?(?P<name>20news-bydate-(?:train|test)/[a-z0-9.-]+/[0-9]+)")


def newsgroups_text(data: bytes) -> str:
    """Decode one 20 Newsgroups message: latin-1, with CRLF line ends read as LF.

    Args:
        data: The message file's bytes.

    Returns:
        The text. Latin-1 decodes any byte, so nothing is lost or replaced; only ``\\r\\n``
        becomes ``\\n`` (a lone ``\\r`` is kept), so that copies whose line ends were
        normalised by git read the same as the original archive.
    """
    return data.replace(b"\r\n", b"\n").decode("latin-1")


def read_newsgroups(paths: Mapping[str, Path], subset: str) -> Newsgroups:
    """Read the ``train`` or ``test`` half of ``20news-bydate.tar.gz``.

    Args:
        paths: The one verified archive.
        subset: ``"train"`` or ``"test"``.

    Returns:
        The documents of `subset`, ordered by group name, then by message number.

    Raises:
        ValueError: If the archive does not hold the 20 groups in both halves.
    """
    (path,) = paths.values()
    documents: dict[tuple[str, int], bytes] = {}
    groups: set[str] = set()
    for name, data in iter_tar_members(path, NEWSGROUPS_MEMBER):
        half, group, number = name.split("/")
        groups.add(group)
        if half == f"20news-bydate-{subset}":
            documents[group, int(number)] = data
    label_names = tuple(sorted(groups))
    if len(label_names) != 20:
        raise ValueError(f"20 newsgroups expected, the archive has {len(label_names)}")
    keys = sorted(documents, key=lambda key: (label_names.index(key[0]), key[1]))
    label_of = {name: label for label, name in enumerate(label_names)}
    return Newsgroups(
        texts=[newsgroups_text(documents[key]) for key in keys],
        labels=np.array([label_of[group] for group, _ in keys], dtype=np.int64),
        label_names=label_names,
        ids=[f"{group}/{number}" for group, number in keys],
    )


# ---------------------------------------------------------------------------------------------
# Reuters-21578

REUTERS_SGML_FILES = tuple(f"reut2-{i:03d}.sgm" for i in range(22))
REUTERS_TOPICS_FILE = "all-topics-strings.lc.txt"
# The files the loader reads, at the top of reuters21578.tar.gz.
REUTERS_MEMBER = re.compile(
    r"(?:\./)?(?P<name>reut2-0(?:[01][0-9]|2[01])\.sgm|all-topics-strings\.lc\.txt)"
)

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_ATTRIBUTE = re.compile(r'([A-Z-]+)="([^"]*)"')
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)
_D = re.compile(r"<D>(.*?)</D>", re.S)
_TEXT = re.compile(r"<TEXT\b[^>]*>(.*?)</TEXT>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TAG = re.compile(r"</?[A-Z]+\b[^>]*>")
_REFERENCE = re.compile(r"&(lt|gt|amp|#[0-9]{1,3});")
# The wire service's framing codes (&#2; starts a story, &#3; ends it, ...), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _reference(match: re.Match[str]) -> str:
    entity = match[1]
    if entity.startswith("#"):
        return chr(int(entity[1:]))
    return {"lt": "<", "gt": ">", "amp": "&"}[entity]


def reuters_text(sgml: str) -> str:
    """Decode SGML character data: references (``&lt;``, ``&#3;``) resolved, controls removed.

    Args:
        sgml: Character data of a Reuters-21578 element, markup removed.

    Returns:
        The text, without the control characters that frame the wire stories.

    Example:
        >>> reuters_text("AT&amp;T &lt;T&gt; said\\n Reuter\\n&#3;")
        'AT&T <T> said\\n Reuter\\n'
    """
    return _CONTROL.sub("", _REFERENCE.sub(_reference, sgml))


def parse_reuters_stories(sgml: str) -> Iterator[tuple[dict[str, str], list[str], str]]:
    """Yield the stories of one ``reut2-NNN.sgm`` file.

    Args:
        sgml: The file's content, decoded from latin-1.

    Yields:
        ``(attributes, topics, text)`` per story: the attributes of its ``<REUTERS>`` tag
        (``TOPICS``, ``LEWISSPLIT``, ``NEWID``, ...), its TOPICS categories, and its text:
        title and body joined by a newline (either alone if the other is missing); for a
        story without them (``TYPE="UNPROC"``), its whole TEXT element, markup removed.
    """
    for story in _STORY.finditer(sgml):
        attributes = dict(_ATTRIBUTE.findall(story[1]))
        content = story[2]
        topics_element = _TOPICS.search(content)
        topics = (
            [reuters_text(topic).strip() for topic in _D.findall(topics_element[1])]
            if topics_element
            else []
        )
        text_element = _TEXT.search(content)
        text = text_element[1] if text_element else ""
        parts = [match[1] for match in (_TITLE.search(text), _BODY.search(text)) if match]
        if parts:
            text = "\n".join(reuters_text(part) for part in parts)
        else:
            text = reuters_text(_TAG.sub("", text))
        yield attributes, topics, text


# ModApte split: stories indexed for topics (TOPICS="YES"), by Lewis's train/test split.
_MODAPTE_SPLIT = {"train": "TRAIN", "test": "TEST"}


def read_reuters(paths: Mapping[str, Path], subset: str) -> Reuters:
    """Read the ModApte ``train`` or ``test`` stories of ``reuters21578.tar.gz``.

    Args:
        paths: The one verified archive.
        subset: ``"train"`` (``LEWISSPLIT="TRAIN"``) or ``"test"`` (``"TEST"``), of the
            stories with ``TOPICS="YES"``.

    Returns:
        The stories of `subset`, in NEWID order (that of the files).

    Raises:
        ValueError: If a ``reut2-NNN.sgm`` file or the topic list is missing.
    """
    (path,) = paths.values()
    members = read_tar_members(path, REUTERS_MEMBER)
    missing = [name for name in (*REUTERS_SGML_FILES, REUTERS_TOPICS_FILE) if name not in members]
    if missing:
        raise ValueError(f"the archive has no {', '.join(missing)}")
    split = _MODAPTE_SPLIT[subset]
    texts: list[str] = []
    topics: list[list[str]] = []
    ids: list[int] = []
    for name in REUTERS_SGML_FILES:
        stories = parse_reuters_stories(members[name].decode("latin-1"))
        for attributes, story_topics, text in stories:
            if attributes.get("TOPICS") == "YES" and attributes.get("LEWISSPLIT") == split:
                texts.append(text)
                topics.append(story_topics)
                ids.append(int(attributes["NEWID"]))
    topic_names = tuple(members[REUTERS_TOPICS_FILE].decode("latin-1").split())
    return Reuters(texts, topics, topic_names, np.array(ids, dtype=np.int64))


# ---------------------------------------------------------------------------------------------
# Readers of the simple data sets (from the verified files, in the record's order)

Reader = Callable[..., Any]


def single(paths: Mapping[str, Path]) -> Path:
    """Return the one path of a one-file data set."""
    (path,) = paths.values()
    return path


def keras_npz(paths: Mapping[str, Path]) -> Any:
    """``((x_train, y_train), (x_test, y_test))`` from one ``.npz`` file of those four arrays."""
    arrays = read_npz(single(paths))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def fashion_idx(paths: Mapping[str, Path]) -> Any:
    """``((x_train, y_train), (x_test, y_test))`` from Keras' four Fashion-MNIST IDX files."""
    y_train, x_train, y_test, x_test = (read_idx_gz(path) for path in paths.values())
    return (x_train, y_train), (x_test, y_test)


def grey_images(paths: Mapping[str, Path]) -> list[np.ndarray]:
    """Each file as a uint8 (H, W) array."""
    return [read_image(path, "L") for path in paths.values()]


def rgb_images(paths: Mapping[str, Path]) -> list[np.ndarray]:
    """Each file as a uint8 (H, W, 3) array."""
    return [read_image(path, "RGB") for path in paths.values()]


def stacked_grey_images(paths: Mapping[str, Path]) -> np.ndarray:
    """The files, of one size, as one uint8 (N, H, W) array."""
    return np.stack(grey_images(paths))


def att_faces_npz(paths: Mapping[str, Path]) -> tuple[np.ndarray, np.ndarray]:
    """``(faces, person_ids)`` from the prepared ``olivetti/att_faces.npz``."""
    arrays = read_npz(single(paths))
    return arrays["faces"], arrays["person_ids"]


def att_faces_zip(paths: Mapping[str, Path]) -> tuple[np.ndarray, np.ndarray]:
    """``(faces, person_ids)`` from AT&T's ``att_faces.zip``."""
    return read_att_zip(single(paths)), att_person_ids()
