"""Atomic file writes: a reader sees either the old file or the complete new one, never a part.

Every helper writes into a temporary file in the *same* folder as the target and then
``os.replace``-s it onto the target. ``os.replace`` is atomic within one file system, which is
why the temporary file must not live in ``/tmp``. If anything fails before the rename, the
temporary file is removed and the target is left exactly as it was.

A process killed outright (``SIGKILL``, a power cut, the out-of-memory killer) cannot remove its
temporary file. So each temporary name carries the writer's host and process id::

    .<target name>.<pid>.<host>.<12 hex digits>.tmp<target suffix>

and every write into a folder first removes the temporaries there whose writer is dead: same
host, and no live process with that id (a zombie counts as dead: it can write no more). A
temporary of a live process, or of another host (a shared network folder), is never removed;
nor is any file not named this way. On Windows, where no process can be probed without side
effects, nothing is removed. A dead writer's process id that the system has already given to a
new process keeps its temporary until that process ends too; this errs on the safe side.

Used by :mod:`aelib.data.loaders` for the download cache, and by the modules that write results.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "is_temporary_name",
    "remove_stale_temporaries",
]

# The longest part of a target's name kept in its temporary's name, so that the latter stays
# well within the usual 255-byte limit on a file name.
_NAME_CHARS = 100

# .<name>.<pid>.<host>.<token>.tmp<suffix>; the suffix is the target's own (".npy", "") and
# never holds a dot after its first character.
_TEMPORARY = re.compile(
    r"\..+\.(?P<pid>[0-9]{1,10})\.(?P<host>[A-Za-z0-9-]{1,63})\.[0-9a-f]{12}\.tmp(?:\.[^.]*)?"
)


def _default_file_mode() -> int:
    """Return the mode ``open(path, "w")`` gives a new file: 0o666 less the process umask."""
    # The umask can only be read by setting it; do that once, at import, rather than on every
    # write, so that threads writing at the same time never see the temporary value.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _default_file_mode()


def _host_tag() -> str:
    """Return this host's name as it appears in temporary names (letters, digits and ``-``)."""
    tag = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:63]
    return tag or "localhost"


def _fsync(path: Path) -> None:
    """Flush a file's data to disk, so that a crash after the rename cannot leave it empty."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_running(pid: int) -> bool:
    """Return whether process `pid` of this host may still write (in doubt: True).

    Args:
        pid: A process id.

    Returns:
        False only when there is certainly no such process, or it is a zombie (it has ended
        and waits for its parent to collect its status); True otherwise, also when the process
        belongs to another user.
    """
    if pid <= 0 or os.name == "nt":
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, and is another user's
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # no /proc (macOS), or it ended just now: leave the file for next time
        return True
    # "<pid> (<command>) <state> ...": the command may hold spaces and parentheses.
    fields = stat.rpartition(")")[2].split()
    return not (fields and fields[0] in ("Z", "X"))


def is_temporary_name(name: str) -> bool:
    """Return whether `name` is the name of a temporary file made by :func:`atomic_path`.

    Args:
        name: A file name (no folder).

    Returns:
        True for names of the form ``.<target>.<pid>.<host>.<token>.tmp<suffix>``.

    Example:
        >>> is_temporary_name(".results.json.4242.myhost.0123456789ab.tmp.json")
        True
        >>> is_temporary_name("results.json")
        False
    """
    return _TEMPORARY.fullmatch(name) is not None


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files in `folder` that writers killed before their rename left.

    Only files named by :func:`atomic_path` are considered, and of those only the ones made on
    this host by a process that is no longer running. Files that vanish meanwhile, or cannot
    be removed (another user's), are skipped silently. :func:`atomic_path` calls this before
    every write.

    Args:
        folder: The folder to clean; a missing folder holds nothing to clean.

    Returns:
        The paths removed.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     remove_stale_temporaries(folder)
        []
    """
    folder = Path(folder)
    host = _host_tag()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing, or not listable: cleaning is only ever a courtesy
        return removed
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is None or match["host"] != host or _is_running(int(match["pid"])):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            os.unlink(entry.path)
        except OSError:  # gone already (another cleaner), or not ours to remove
            continue
        removed.append(Path(entry.path))
    return removed


def _new_temporary(target: Path) -> Path:
    """Create an empty temporary file next to `target`, named for this process, and return it."""
    stem = f".{target.name[:_NAME_CHARS]}.{os.getpid()}.{_host_tag()}"
    while True:
        temporary = target.parent / f"{stem}.{secrets.token_hex(6)}.tmp{target.suffix}"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # a name already taken (astronomically rare): draw another
            continue
        os.close(fd)
        return temporary


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `path` atomically.

    The temporary file is created (empty) in the folder of `path`, which is created if
    missing; stale temporaries that killed writers left in that folder are removed first (see
    :func:`remove_stale_temporaries`). When the ``with`` block ends normally, the temporary
    file is flushed to disk and ``os.replace``-d onto `path`. When the block raises, the
    temporary file is removed, `path` is left untouched (old content, or still absent), and
    the exception propagates.

    Args:
        path: The final file name.

    Yields:
        A path in the same folder as `path`, hidden (its name starts with ``.``) and carrying
        this process's id. It ends with the suffix of `path`, so that writers which pick a
        format from the suffix (``np.save``, ``savefig``) still work.

    Example:
        >>> import tempfile
        >>> import numpy as np
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     target = Path(folder) / "weights.npy"
        ...     with atomic_path(target) as temporary:
        ...         np.save(temporary, np.zeros(3))
        ...     print(np.load(target), sorted(p.name for p in Path(folder).iterdir()))
        [0. 0. 0.] ['weights.npy']
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target.parent)
    temporary = _new_temporary(target)
    try:
        # Give the final file the permissions an ordinary write would have given it (the
        # temporary file was created readable by its owner only).
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

    Args:
        path: The file to create or replace; its folder is created if missing.
        data: The complete new content.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     atomic_write_bytes(Path(folder) / "out.bin", b"\\x00\\x01")
        ...     (Path(folder) / "out.bin").read_bytes()
        b'\\x00\\x01'
    """
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write `text` to `path` atomically (see :func:`atomic_path`).

    Newlines are written as given (no platform translation), so the file has the same bytes on
    every system.

    Args:
        path: The file to create or replace; its folder is created if missing.
        text: The complete new content.
        encoding: The text encoding.

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     atomic_write_text(Path(folder) / "results.json", '{"psnr": 28.1}\\n')
        ...     (Path(folder) / "results.json").read_text()
        '{"psnr": 28.1}\\n'
    """
    with atomic_path(path) as temporary:
        with open(temporary, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
