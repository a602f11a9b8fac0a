"""aelib's benchmarks: `python -m benchmarks.run` (make bench); see benchmarks/run.py."""
