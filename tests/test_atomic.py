"""Tests of aelib._atomic: atomic writes, and the removal of temporaries that killed writers left.

Guard rail: a killed download or results write leaves no stray temporary file behind on the next
run. Each test here that kills a writer does so with SIGKILL, so that the writer's own clean-up
(``except BaseException``) cannot run: only the next write can remove what it left.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from aelib import _atomic
from aelib._atomic import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    is_temporary_name,
    remove_stale_temporaries,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals and processes")


def files_under(folder: Path) -> set[str]:
    """Every file below `folder`, as relative paths, hidden temporary files included."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if is_temporary_name(p.name))


# A writer that starts an atomic write, reports its temporary file, and then waits for a line on
# stdin (or is killed first). Importing only aelib._atomic keeps it quick: no Keras.
WRITER = textwrap.dedent(
    """
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("atomic", sys.argv[1])
    atomic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(atomic)
    with atomic.atomic_path(sys.argv[2]) as temporary:
        temporary.write_text("half of the ")
        print(temporary, flush=True)
        sys.stdin.readline()
        temporary.write_text(sys.argv[3])
    print("done", flush=True)
    """
)


def start_writer(
    target: Path, content: str = "the writer's content"
) -> tuple[subprocess.Popen, Path]:
    """Start a writer process on `target`; return it and its temporary file (already there)."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, _atomic.__file__, str(target), content],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    assert line, f"the writer failed (exit status {process.wait()})"
    temporary = Path(line)
    assert temporary.exists() and temporary.parent == target.parent
    return process, temporary


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()  # collected: no zombie left
    process.stdout.close()
    process.stdin.close()


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
        assert temporary.name.startswith(".weights.npy.")
        assert is_temporary_name(temporary.name)
        np.save(temporary, np.arange(3))
    assert np.array_equal(np.load(target), np.arange(3))
    assert files_under(tmp_path) == {"weights.npy"}


def test_the_temporary_name_carries_pid_and_host(tmp_path):
    with atomic_path(tmp_path / "results.json") as temporary:
        match = _atomic._TEMPORARY.fullmatch(temporary.name)
        assert match is not None
        assert int(match["pid"]) == os.getpid()
        assert match["host"] == _atomic._host_tag()
    # Very long target names still give a valid (under 255 bytes) temporary name.
    long_target = tmp_path / ("x" * 240 + ".json")
    with atomic_path(long_target) as temporary:
        assert len(temporary.name) < 255 and is_temporary_name(temporary.name)
        temporary.write_text("{}")
    assert long_target.read_text() == "{}"


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


# ---------------------------------------------------------------------------------------------
# The guard rail: temporaries of killed writers are removed by the next write


@posix_only
def test_a_killed_writers_temporary_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "results.json"
    target.write_text('{"old": true}')
    process, temporary = start_writer(target)
    kill(process)
    # SIGKILL gave the writer no chance to clean up: its temporary file is still there.
    assert temporary.exists()
    assert target.read_text() == '{"old": true}'

    atomic_write_text(target, '{"new": true}')
    assert target.read_text() == '{"new": true}'
    assert files_under(tmp_path) == {"results.json"}


@posix_only
def test_a_killed_writer_of_another_file_in_the_folder_is_cleaned_up_too(tmp_path):
    process, temporary = start_writer(tmp_path / "figure.png")
    kill(process)
    atomic_write_text(tmp_path / "results.json", "{}")
    assert files_under(tmp_path) == {"results.json"}
    assert not temporary.exists()


@posix_only
def test_a_live_concurrent_writers_temporary_is_kept(tmp_path):
    target = tmp_path / "results.json"
    process, temporary = start_writer(target, content='{"writer": "other"}')
    try:
        atomic_write_text(target, '{"writer": "this"}')
        assert remove_stale_temporaries(tmp_path) == []
        # The live writer's file is untouched, and it can still finish its write.
        assert temporary.read_text() == "half of the "
        assert target.read_text() == '{"writer": "this"}'
        process.stdin.write("go on\n")
        process.stdin.flush()
        assert process.stdout.readline().strip() == "done"
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            kill(process)
    assert target.read_text() == '{"writer": "other"}'
    assert files_under(tmp_path) == {"results.json"}


@posix_only
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_zombie_writer_counts_as_dead(tmp_path):
    process, temporary = start_writer(tmp_path / "results.json")
    os.kill(process.pid, signal.SIGKILL)
    try:
        # Not yet collected by its parent (this test): a zombie, which can write no more.
        for _ in range(500):
            state = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()[0]
            if state == "Z":
                break
            time.sleep(0.01)
        assert state == "Z"
        assert remove_stale_temporaries(tmp_path) == [temporary]
    finally:
        kill(process)


@posix_only
def test_only_this_hosts_dead_writers_temporaries_are_removed(tmp_path):
    dead_pid = dead_process_id()
    host = _atomic._host_tag()
    stale = tmp_path / f".results.json.{dead_pid}.{host}.0123456789ab.tmp.json"
    other_host = tmp_path / f".results.json.{dead_pid}.elsewhere-{host}.0123456789ab.tmp.json"
    live = tmp_path / f".results.json.{os.getpid()}.{host}.0123456789ab.tmp.json"
    # Made by an older aelib (no process id) or by another program: never touched.
    foreign = [
        tmp_path / ".results.json.k2j4h5g6.tmp.json",
        tmp_path / f".results.json.{dead_pid}.{host}.tmp.json",
        tmp_path / f"results.json.{dead_pid}.{host}.0123456789ab.tmp.json",
    ]
    for path in (stale, other_host, live, *foreign):
        path.write_text("partial")
    assert is_temporary_name(stale.name) and not any(is_temporary_name(p.name) for p in foreign)

    assert remove_stale_temporaries(tmp_path) == [stale]
    assert files_under(tmp_path) == {p.name for p in (other_host, live, *foreign)}
    assert remove_stale_temporaries(tmp_path / "missing-folder") == []


def dead_process_id() -> int:
    """The id of a process that has ended (and been collected)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid
