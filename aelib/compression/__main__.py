"""The command line codec: ``python -m aelib.compression encode|decode|info``.

Examples::

    python -m aelib.compression encode kodim23.png kodim23.aec --quality 2
    python -m aelib.compression decode kodim23.aec kodim23-decoded.png
    python -m aelib.compression info

``encode`` reads any image Pillow reads (converted to RGB; an alpha channel is dropped), codes it
with the recorded model of that quality and prints the file's size and bit rate; ``decode``
reads the quality from the file's header and writes a PNG. Nothing is left half written: each
output goes through a temporary file in the same folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from aelib._atomic import atomic_path, atomic_write_bytes
from aelib.compression.codec import _HEADER, HEADER_BYTES, MAGIC, BitstreamError
from aelib.compression.recorded import MODELS, _manifest, available_qualities, load_codec


def _encode(args):
    from PIL import Image

    qualities = available_qualities(args.models)
    if args.quality not in qualities:
        raise SystemExit(f"error: --quality must be one of {qualities}, got {args.quality}")
    try:
        with Image.open(args.input) as picture:
            image = np.asarray(picture.convert("RGB"))
    except (OSError, ValueError) as error:
        raise SystemExit(f"error: {args.input}: not an image Pillow can read ({error})") from None
    codec = load_codec(args.quality, args.models)
    data = codec.compress(image)
    atomic_write_bytes(args.output, data)
    height, width = image.shape[:2]
    print(
        f"{args.output}: {len(data):,} bytes, {8 * len(data) / (height * width):.4f} bpp "
        f"({width}x{height}, quality {args.quality}, lambda {codec.lmbda})"
    )


def _decode(args):
    from PIL import Image

    data = Path(args.input).read_bytes()
    if len(data) < HEADER_BYTES or data[:3] != MAGIC:
        raise SystemExit(f"error: {args.input}: not a file of this codec")
    quality = _HEADER.unpack(data[:HEADER_BYTES])[2]
    if quality not in available_qualities(args.models):
        raise SystemExit(f"error: {args.input}: quality {quality} has no recorded model")
    try:
        image = load_codec(quality, args.models).decompress(data)
    except BitstreamError as error:
        raise SystemExit(f"error: {args.input}: {error}") from None
    suffix = Path(args.output).suffix.lower()
    if suffix != ".png":
        raise SystemExit(f"error: the output must be a .png file, got {args.output!r}")
    with atomic_path(args.output) as tmp:
        Image.fromarray(image).save(tmp, format="PNG")
    print(f"{args.output}: {image.shape[1]}x{image.shape[0]}, quality {quality}")


def _info(args):
    manifest = _manifest(args.models)
    for entry in manifest["models"]:
        print(
            f"quality {entry['quality']}: lambda {entry['lambda']}, {entry['bytes']:,} bytes, "
            f"sha256 {entry['sha256'][:16]}..."
        )


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m aelib.compression",
        description="Learned image codec (Balle et al.'s factorized prior, recorded models).",
    )
    parser.add_argument("--models", default=str(MODELS), help="folder of the models")
    commands = parser.add_subparsers(dest="command", required=True)
    encode = commands.add_parser("encode", help="image -> .aec file")
    encode.add_argument("input")
    encode.add_argument("output")
    encode.add_argument(
        "--quality", type=int, required=True, help="the model: 1 is the lowest rate (see `info`)"
    )
    decode = commands.add_parser("decode", help=".aec file -> PNG")
    decode.add_argument("input")
    decode.add_argument("output")
    commands.add_parser("info", help="list the recorded models")
    args = parser.parse_args(argv)
    {"encode": _encode, "decode": _decode, "info": _info}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
