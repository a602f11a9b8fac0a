"""The learned codec's encoding and decoding time against JPEG 2000: ``python -m benchmarks.codec``.

One process, no Keras backend involved: `aelib.compression.LearnedCodec` runs its transforms in
NumPy, and JPEG 2000 is OpenJPEG through Pillow. Each round encodes and then decodes all 24
Kodak images with the recorded model of quality 2 and with JPEG 2000 at the same mean rate
(the learned codec's, measured first), the two interleaved as in `benchmarks.suite` (A B, then
B A, ...); the first round is the warm-up. Writes ``benchmarks/results/codec.json``: seconds per
image for each codec and direction (median, min and max over the rounds), the ratio of the
learned codec's time to JPEG 2000's, the mean bits per pixel of both, and the machine.

``make bench`` runs it after `benchmarks.run`; it has its own source hash, so that the training
benchmarks are not made stale by a change to this file (nor this one by theirs).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "benchmarks" / "results" / "codec.json"
QUALITY = 2


def source_sha256():
    """The sha256 of this file: a ``codec.json`` whose hash differs is stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _timed(codec, images):
    """``(encode seconds, decode seconds, bits per pixel)`` per image, means over ``images``."""
    encode = decode = 0.0
    bits = []
    for image in images:
        started = time.perf_counter()
        data = codec.compress(image)
        encode += time.perf_counter() - started
        started = time.perf_counter()
        codec.decompress(data)
        decode += time.perf_counter() - started
        bits.append(8 * len(data) / (image.shape[0] * image.shape[1]))
    n = len(images)
    return encode / n, decode / n, float(np.mean(bits))


def codec_pair(rounds, images):
    """Interleaved rounds of the learned codec (quality 2) and JPEG 2000 at its mean rate.

    Returns:
        ``{"seconds_per_image": {codec: {"encode": summary, "decode": summary}}, "ratio":
        {"encode": summary, "decode": summary}, "bpp": {codec: float}, "rounds": [...]}``,
        a summary being ``{"median", "min", "max"}`` over the measured rounds and a ratio the
        learned codec's seconds over JPEG 2000's (above 1: the learned codec is slower).
    """
    from aelib.baselines.codecs import JPEG2000
    from aelib.compression import load_codec
    from benchmarks.suite import _summary, interleaved

    learned = load_codec(QUALITY)
    measured = {"ae_factorized": [], "jpeg2000": []}
    jpeg2000 = {}  # made in the warm-up round, which runs the learned codec first

    def run_learned(round_number):
        encode, decode, bpp = _timed(learned, images)
        measured["ae_factorized"].append((encode, decode, bpp))
        if "codec" not in jpeg2000:  # JPEG 2000 at the learned codec's mean rate
            jpeg2000["codec"] = JPEG2000(rate=round(bpp, 4))
        return encode + decode

    def run_jpeg2000(round_number):
        encode, decode, bpp = _timed(jpeg2000["codec"], images)
        measured["jpeg2000"].append((encode, decode, bpp))
        return encode + decode

    arms = {"ae_factorized": run_learned, "jpeg2000": run_jpeg2000}
    interleaved(arms, rounds)
    seconds = {
        name: {
            "encode": _summary([m[0] for m in values[1:]]),
            "decode": _summary([m[1] for m in values[1:]]),
        }
        for name, values in measured.items()
    }
    ratio = {
        direction: _summary(
            [a[k] / b[k] for a, b in zip(measured["ae_factorized"][1:], measured["jpeg2000"][1:])]
        )
        for k, direction in ((0, "encode"), (1, "decode"))
    }
    return {
        "quality": QUALITY,
        "n_images": len(images),
        "jpeg2000_rate": jpeg2000["codec"].rate,
        "bpp": {name: values[-1][2] for name, values in measured.items()},
        "seconds_per_image": seconds,
        "ratio": ratio,
        "rounds": {name: [list(m) for m in values] for name, values in measured.items()},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(RESULT), help="the JSON file to write")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds")
    parser.add_argument("--quick", action="store_true", help="two images, one round")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be a positive integer, got {args.rounds}")

    import aelib
    from aelib._atomic import atomic_write_text
    from benchmarks.suite import machine

    images = aelib.data.kodak()[: 2 if args.quick else 24]
    started = time.perf_counter()
    result = {
        "machine": machine(),
        "quick": args.quick,
        "codec": codec_pair(1 if args.quick else args.rounds, images),
        "source_sha256": source_sha256(),
    }
    result["wall_time_s"] = time.perf_counter() - started
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out, json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
