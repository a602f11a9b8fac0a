"""Runs every benchmark and writes ``benchmarks/results/*.json``: ``make bench``.

    python -m benchmarks.run                      # the full benchmark (about 15 minutes here)
    python -m benchmarks.run --quick --out DIR    # tiny sizes, to check the code runs

`benchmarks.suite` runs once per backend, in its own process (Keras fixes the backend when it is
imported): TensorFlow in float32 and in mixed bfloat16, then JAX in float32. Their outputs are
merged into

* ``training.json`` -- ``runs``: one record per network, backend and precision, with ``ratio``
  (aelib's samples per second over plain Keras's, the median of the interleaved rounds),
  ``ratio_min``, ``ratio_max`` and ``fraction_of_peak`` (aelib's achieved FLOP/s over the
  measured peak of the same kind of operation); ``bfloat16``: the speed-up of mixed bfloat16
  over float32 and the change of the test error, per network; ``peak``: the probes;
* ``rbm.json`` -- seconds per CD-1 epoch, aelib against NumPy, per backend;
* ``likelihood.json`` -- seconds of the k = 5000 log-likelihood over the MNIST test set;
* ``raw/<backend>.json`` -- everything each backend measured, round by round.

The machine should be otherwise idle: a second job on two cores halves what each one gets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BACKENDS = ("tensorflow", "jax")
# The kind of operation that dominates each network, for its fraction of the peak.
PEAK_KIND = {"hinton_dense": "matmul", "red_net": "conv"}


SOURCES = ("networks.py", "run.py", "suite.py")


def source_sha256():
    """The sha256 of the benchmark's code: a result file whose hash differs is stale."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update(name.encode() + b"\0" + (ROOT / "benchmarks" / name).read_bytes())
    return digest.hexdigest()


def run_backend(backend, out, rounds, quick, likelihood):
    """Runs `benchmarks.suite` under ``backend`` in a new process; returns its result."""
    command = [sys.executable, "-m", "benchmarks.suite", "--out", str(out)]
    command += ["--rounds", str(rounds)] + (["--quick"] if quick else [])
    if not likelihood:
        command.append("--skip-likelihood")
    environment = dict(os.environ, KERAS_BACKEND=backend)
    environment.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    subprocess.run(command, check=True, cwd=ROOT, env=environment)
    return json.loads(Path(out).read_text())


def training_runs(raw):
    """The ``runs`` of ``training.json`` from each backend's raw result.

    Args:
        raw: ``{backend: result of benchmarks.suite}``.

    Returns:
        A list of records, one per network, backend and precision.
    """
    runs = []
    for backend, result in raw.items():
        for pair in result["training"]:
            peak = result["peak"][pair["precision"]][PEAK_KIND[pair["model"]]]
            flops = pair["training_flop_per_sample"]
            achieved = {
                name: speed["median"] * flops for name, speed in pair["samples_per_second"].items()
            }
            runs.append(
                {
                    "model": pair["model"],
                    "backend": backend,
                    "precision": pair["precision"],
                    "ratio": pair["ratio"]["median"],
                    "ratio_min": pair["ratio"]["min"],
                    "ratio_max": pair["ratio"]["max"],
                    "fraction_of_peak": achieved["aelib"] / peak,
                    "plain_fraction_of_peak": achieved["plain"] / peak,
                    "samples_per_second": pair["samples_per_second"],
                    "achieved_flop_per_s": achieved,
                    "peak_flop_per_s": peak,
                    "peak_kind": PEAK_KIND[pair["model"]],
                    "fixed_cost_s": pair["fixed_cost_s"],
                    "test_error": pair["test_error"],
                    "rounds": pair["rounds"],
                    "training_steps": pair["training_steps"],
                }
            )
    return runs


def bfloat16_changes(runs):
    """Speed-up and test-error change of mixed bfloat16 over float32, per network (TensorFlow).

    Both precisions ran in the same process, one after the other (not interleaved with each
    other); the speed-up is the ratio of aelib's median samples per second.
    """
    by_key = {(r["model"], r["backend"], r["precision"]): r for r in runs}
    changes = []
    for (model, backend, precision), run in by_key.items():
        if precision != "mixed_bfloat16" or (model, backend, "float32") not in by_key:
            continue
        base = by_key[(model, backend, "float32")]
        ((metric, value),) = run["test_error"]["aelib"].items()
        base_value = base["test_error"]["aelib"][metric]
        changes.append(
            {
                "model": model,
                "backend": backend,
                "speed_up": run["samples_per_second"]["aelib"]["median"]
                / base["samples_per_second"]["aelib"]["median"],
                "metric": metric,
                "float32": base_value,
                "mixed_bfloat16": value,
                "change": value - base_value,
            }
        )
    return changes


def write(out, name, record):
    from aelib._atomic import atomic_write_text

    atomic_write_text(Path(out) / name, json.dumps(record, indent=1) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Runs aelib's benchmarks (make bench).")
    parser.add_argument("--out", default=str(RESULTS), help="folder of the result files")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds per comparison")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help="comma-separated, of: " + ", ".join(BACKENDS)
    )
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown or not backends:
        parser.error(f"--backends must name some of {', '.join(BACKENDS)}, got {args.backends!r}")
    if args.rounds < 1:
        parser.error(f"--rounds must be a positive integer, got {args.rounds}")
    out = Path(args.out)
    (out / "raw").mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    raw = {}
    with tempfile.TemporaryDirectory() as scratch:
        for backend in backends:
            # The likelihood is timed on TensorFlow, the backend of the VAE study's record.
            raw[backend] = run_backend(
                backend,
                Path(scratch) / f"{backend}.json",
                args.rounds,
                args.quick,
                likelihood=backend == "tensorflow",
            )
    for backend, result in raw.items():
        write(out / "raw", f"{backend}.json", result)
    runs = training_runs(raw)
    machine = {backend: result["machine"] for backend, result in raw.items()}
    common = {
        "quick": args.quick,
        "rounds": args.rounds,
        "source_sha256": source_sha256(),
        "machine": machine,
    }
    write(
        out,
        "training.json",
        {
            **common,
            "runs": runs,
            "bfloat16": bfloat16_changes(runs),
            "peak": {backend: result["peak"] for backend, result in raw.items()},
        },
    )
    write(out, "rbm.json", {**common, "runs": {b: r["rbm"] for b, r in raw.items()}})
    if "likelihood" in raw.get("tensorflow", {}):
        write(out, "likelihood.json", {**common, "tensorflow": raw["tensorflow"]["likelihood"]})
    elapsed = time.perf_counter() - started
    print(f"benchmarks written to {out} in {elapsed / 60:.1f} min")
    for run in runs:
        print(
            f"  {run['model']:>12} {run['backend']:>10} {run['precision']:>14}: aelib/plain "
            f"{run['ratio']:.3f} ({run['ratio_min']:.3f}-{run['ratio_max']:.3f}), "
            f"{100 * run['fraction_of_peak']:.0f} % of peak"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
