"""tools/run_steps.sh, the step runner of `make test`, driven with a stand-in for make."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A stand-in for make: called as `make --no-print-directory TARGET VAR=...`. "ping" and "pong"
# each wait (up to 10 s) for the file the other creates, so they finish only when run side by
# side; "bad" fails.
FAKE_MAKE = """#!/usr/bin/env bash
target=$2
wait_for() {
    for _ in $(seq 100); do [ -e "$1" ] && return 0; sleep 0.1; done
    echo "$target never saw $1"; exit 4
}
case $target in
    ping) touch ping; wait_for pong; echo "ping saw pong, $3";;
    pong) touch pong; wait_for ping; echo "pong saw ping";;
    fast) echo "fast ran";;
    bad) echo "bad output"; echo "bad error" >&2; exit 3;;
esac
"""


def run_steps(tmp_path, *steps):
    make = tmp_path / "make"
    make.write_text(FAKE_MAKE)
    make.chmod(0o755)
    return subprocess.run(
        ["bash", str(ROOT / "tools" / "run_steps.sh"), "X=1", *steps],
        cwd=tmp_path,
        env={**os.environ, "MAKE": str(make)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_pair_runs_side_by_side_and_its_outputs_are_printed_one_after_the_other(tmp_path):
    result = run_steps(tmp_path, "fast", "ping+pong")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "ping saw pong, X=1" in out and "pong saw ping" in out
    assert out.index("==== ping (beside") < out.index("ping saw pong") < out.index("==== pong")
    times = (tmp_path / "_build" / "step-times.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in times] == [
        "step fast",
        "step ping+pong",
        "  ping",
        "  pong",
        "total",
    ]
    # The pair's CPU time is the sum of its sides'.
    cpu = [int(line.split("CPU ")[1].split(" s")[0]) for line in times[1:4]]
    assert cpu[0] == cpu[1] + cpu[2]


def test_a_failing_side_fails_the_step_and_stops_the_run(tmp_path):
    result = run_steps(tmp_path, "fast+bad", "fast")
    assert result.returncode == 1
    assert "bad output" in result.stdout and "bad error" in result.stdout
    assert "step fast+bad failed" in result.stderr
    times = (tmp_path / "_build" / "step-times.txt").read_text().splitlines()
    assert [line.split(":")[0] for line in times] == ["step fast+bad", "  fast", "  bad"]
