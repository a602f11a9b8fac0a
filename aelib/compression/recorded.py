"""The compression study's recorded models, kept in this package so a fresh clone can code.

The folder ``aelib/compression/models`` holds one ``quality_<n>.npz`` per model (its weights
in float16, ``numpy.savez_compressed``, no pickles) and ``manifest.json``, which gives for each
quality its ``lambda``, its architecture, the sha256 of its file and how it was trained. The
study's full run writes them (`save_models`); `load_codec` reads one back, checking the file's
sha256 against the manifest first. Quality 1 is the lowest rate.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from aelib._atomic import atomic_write_bytes, atomic_write_text
from aelib.compression.codec import LearnedCodec

#: Where the recorded models live.
MODELS = Path(__file__).with_name("models")
MANIFEST = "manifest.json"
_CACHE = {}


def _manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(
            f"no recorded models: {path} is missing (the compression study's full run writes them)"
        )
    return json.loads(path.read_text())


def available_qualities(folder=MODELS):
    """The qualities with a recorded model, lowest rate first, e.g. ``[1, 2, 3, 4]``."""
    return sorted(entry["quality"] for entry in _manifest(folder)["models"])


def load_codec(quality, folder=MODELS):
    """The `LearnedCodec` of a recorded model, its file checked against its sha256.

    Args:
        quality: an int from `available_qualities`.
        folder: the models' folder (the package's own by default).

    Returns:
        A `LearnedCodec` (cached: a second call with the same arguments returns the same one).

    Raises:
        ValueError: if ``quality`` has no model, or its file's sha256 differs from the
            manifest's (a damaged or replaced file).
        FileNotFoundError: if the folder has no manifest.
    """
    key = (str(Path(folder).resolve()), quality)
    if key in _CACHE:
        return _CACHE[key]
    entries = {entry["quality"]: entry for entry in _manifest(folder)["models"]}
    if quality not in entries:
        raise ValueError(f"quality must be one of {sorted(entries)}, got {quality!r}")
    entry = entries[quality]
    data = (Path(folder) / entry["file"]).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        raise ValueError(
            f"{entry['file']}: sha256 {digest} differs from the manifest's {entry['sha256']}"
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        weights = {name: arrays[name] for name in arrays.files}
    codec = LearnedCodec(weights, quality=quality)
    codec.lmbda = entry["lambda"]
    _CACHE[key] = codec
    return codec


def float16_weights(weights):
    """The weights rounded to float16 (as stored), back in float32."""
    return {
        name: np.asarray(array, np.float16).astype(np.float32) for name, array in weights.items()
    }


def save_models(models, folder=MODELS, extra=None):
    """Writes models (float16 weights) and their manifest, each file atomically.

    Args:
        models: a list of dicts with ``quality`` (int), ``lambda`` (float), ``weights``
            (``{path: array}``, e.g. `aelib.compression.weights_of`) and any other
            JSON-serializable keys (the architecture, the training record), kept in the
            manifest.
        folder: where to write them.
        extra: JSON-serializable data for the manifest's top level (e.g. the commit).

    Returns:
        The manifest (a dict).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for model in sorted(models, key=lambda m: m["quality"]):
        buffer = io.BytesIO()
        stored = {name: np.asarray(a, np.float16) for name, a in model["weights"].items()}
        np.savez_compressed(buffer, **stored)
        data = buffer.getvalue()
        name = f"quality_{model['quality']}.npz"
        atomic_write_bytes(folder / name, data)
        entry = {k: v for k, v in model.items() if k != "weights"}
        entry.update(file=name, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())
        entries.append(entry)
    manifest = {"format": 1, "models": entries, **(extra or {})}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    _CACHE.clear()
    return manifest
