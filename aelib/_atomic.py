"""Atomic file writes: a reader sees either the old file or the complete new one, never a part.

Every helper writes into a temporary file in the *same* folder as the target and then
``os.replace``-s it onto the target. ``os.replace`` is atomic within one file system, which is
why the temporary file must not live in ``/tmp``. If anything fails before the rename, the
temporary file is removed and the target is left exactly as it was.

Used by :mod:`aelib.data.loaders` for the download cache, and by the modules that write results.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


def _default_file_mode() -> int:
    """The mode ``open(path, "w")`` would give a new file: 0o666 less the process umask."""
    # The umask can only be read by setting it; do that once, at import, rather than on every
    # write, so that threads writing at the same time never see the temporary value.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _default_file_mode()


def _fsync(path: Path) -> None:
    """Flush a file's data to disk, so that a crash after the rename cannot leave it empty."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path` atomically.

    The temporary file is created (empty) in the folder of `path`, which is created if
    missing. When the ``with`` block ends normally, the temporary file is flushed to disk and
    ``os.replace``-d onto `path`. When the block raises, the temporary file is removed, `path`
    is left untouched (old content, or still absent), and the exception propagates.

    Parameters
    ----------
    path : str or os.PathLike
        The final file name.

    Yields
    ------
    pathlib.Path
        A path in the same folder as `path`. Its name ends with ``.tmp`` followed by the
        suffix of `path`, so that writers which pick a format from the suffix (``np.save``,
        ``savefig``) still work.

    Examples
    --------
    >>> import numpy as np
    >>> with atomic_path("weights.npy") as tmp:         # doctest: +SKIP
    ...     np.save(tmp, np.zeros(3))
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A hidden name, so that a temporary file left by a killed process does not look like data.
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", delete=False
    ) as handle:
        temporary = Path(handle.name)
    try:
        # NamedTemporaryFile creates files readable by the owner only; give the final file the
        # permissions an ordinary write would have given it.
        os.chmod(temporary, _NEW_FILE_MODE)
        yield temporary
        _fsync(temporary)
        os.replace(temporary, target)
    except BaseException:
        # BaseException too: a KeyboardInterrupt must not leave a temporary file behind.
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace; its folder is created if missing.
    data : bytes
        The complete new content.

    Examples
    --------
    >>> atomic_write_bytes("out.bin", b"\\x00\\x01")     # doctest: +SKIP
    """
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace; its folder is created if missing.
    text : str
        The complete new content.
    encoding : str, default "utf-8"
        Text encoding. Newlines are written as given (no platform translation), so the file
        has the same bytes on every system.

    Examples
    --------
    >>> atomic_write_text("results.json", '{"psnr": 28.1}\\n')   # doctest: +SKIP
    """
    with atomic_path(path) as temporary:
        with open(temporary, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
