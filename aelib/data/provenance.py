"""Writes the files generated from the registry: ``sha256.txt`` and ``PROVENANCE.md``.

Both live in ``aelib/data/`` (package data) and are generated from
:mod:`aelib.data.registry`, so that the facts users need (sources, checks, hashes, licences,
citations) can be read without Python. After changing a record, rewrite them with::

    python -m aelib.data.provenance

``python -m aelib.data.provenance --check`` only compares (exit status 1 when out of date); a
test does the same.

Example:
    >>> sha256sums_text().splitlines()[0]
    '06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64  mnist.npz'
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from aelib.data._formats import Reader
from aelib.data.registry import REGISTRY, DataFile

__all__ = ["main", "provenance_markdown", "sha256sums_text"]


def sha256sums_text() -> str:
    """Return every prepared file's sha256 in ``sha256sum`` format, in registry order.

    ``cd "$AELIB_DATA" && sha256sum -c <this>`` checks a prepared data folder.

    Returns:
        One ``"<sha256>  <path>"`` line per file.
    """
    return "".join(
        f"{file.sha256}  {file.path}\n" for record in REGISTRY.values() for file in record.files
    )


def _reader_name(reader: Reader) -> str:
    function = reader.func if isinstance(reader, functools.partial) else reader
    return f"{function.__module__}.{function.__qualname__}"


def _files_summary(files: tuple[DataFile, ...]) -> list[str]:
    if len(files) <= 4:
        return [f"  - `{file.path}`: {file.check.what} `{file.sha256}`" for file in files]
    folders = sorted({file.path.rsplit("/", 1)[0] for file in files})
    checks = sorted({file.check.what for file in files})
    return [
        f"  - {len(files)} files in {', '.join(f'`{folder}/`' for folder in folders)}, each "
        f"checked by its {' / '.join(checks)} (listed in `sha256.txt`)"
    ]


def provenance_markdown() -> str:
    """Return ``PROVENANCE.md``: the sources, checks, licences and citations of every data set.

    Returns:
        Markdown text, generated from :data:`REGISTRY`.
    """
    lines = [
        "# Provenance of the data sets of `aelib.data`",
        "",
        "Generated from `aelib/data/registry.py` by `python -m aelib.data.provenance`; do not "
        "edit by hand. `sha256.txt` lists the sha256 of every prepared file.",
        "",
        "Each loader reads the *prepared* files from the folder `AELIB_DATA` names (the "
        "project's `shared/data`), or else downloads the *canonical* files into its cache. "
        "Either way each file is checked against the sha256 below before it is read: of the "
        "file's bytes, or of its decoded content where published copies differ in their "
        "bytes but not in their content.",
        "",
    ]
    for record in REGISTRY.values():
        source = record.source
        lines += [
            f"## `{record.name}`: {record.title}",
            "",
            f"- Loader: `aelib.data.{record.name}()`",
            f"- Licence: {record.licence}",
            f"- Cite: {record.citation}",
            f"- Prepared files (`AELIB_DATA`), read by `{_reader_name(record.read)}`; taken "
            f"from {record.origin}:",
            *_files_summary(record.files),
            f"- Canonical source, read by `{_reader_name(source.read)}`:",
        ]
        if len(source.files) <= 4:
            for file, url in zip(source.files, source.urls(), strict=True):
                lines.append(f"  - <{url}>: {file.check.what} `{file.sha256}`")
                lines += [f"    (also at <{other}>)" for other in file.also_at]
        else:
            lines.append(
                f"  - {len(source.files)} files under <{source.base}/"
                f"{source.files[0].path.rsplit('/', 1)[0]}/>, byte copies of the prepared files "
                "(the same names and sha256)"
            )
        if source.note:
            lines.append(f"  - Note: {source.note}")
        lines.append("")
    return "\n".join(lines)


_PACKAGE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) ``sha256.txt`` and ``PROVENANCE.md``.

    Args:
        argv: Command-line arguments: none, or ``--check``.

    Returns:
        The exit status: 0, or 1 when ``--check`` finds a file out of date.
    """
    from aelib._atomic import atomic_write_text

    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = []
    for name, text in (("sha256.txt", sha256sums_text()), ("PROVENANCE.md", provenance_markdown())):
        path = _PACKAGE / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            atomic_write_text(path, text)
    if check and stale:
        print(f"out of date: {', '.join(stale)}; run python -m aelib.data.provenance")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
