"""`LearnedCodec`'s files: lossless coding of the rounded latent, escapes, the size against
the ideal code length of the integer tables, refusal of damaged files, and decoding that gives
the same pixels run after run and under both Keras backends."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from aelib.compression import codec as codec_module
from aelib.compression import reference
from aelib.compression.codec import (
    HEADER_BYTES,
    PRECISION,
    TAIL_MASS,
    BitstreamError,
    LearnedCodec,
    _quantize,
    weights_of,
)
from aelib.models.factorized_prior import FactorizedPriorAutoencoder

ROOT = Path(__file__).resolve().parents[2]


def _weights(seed=0, filters=8, latent_channels=4):
    keras.utils.set_random_seed(seed)
    model = FactorizedPriorAutoencoder(filters=filters, latent_channels=latent_channels)
    model.build((None, None, None, 3))
    return weights_of(model)


def _narrow(weights, slope=3.0):
    """Steeper cumulative functions: each channel's density within about +-2, so that the
    latents of an image fall outside the tables and need escapes."""
    narrowed = dict(weights)
    for name in weights:
        if name.startswith("entropy_bottleneck/matrix_"):
            narrowed[name] = np.full_like(weights[name], slope)
    return narrowed


@pytest.fixture(scope="module")
def codec():
    return LearnedCodec(_weights(), quality=3)


@pytest.fixture
def image(rng):
    # A smooth picture with texture, of a size that is no multiple of 16.
    rows, cols = np.mgrid[0:37, 0:53]
    base = 120 + 60 * np.sin(rows / 6.0)[..., None] * np.cos(cols / 9.0)[..., None]
    return np.clip(base + rng.normal(0, 12, (37, 53, 3)), 0, 255).astype(np.uint8)


def test_the_decoded_image_is_the_models_rounded_forward_pass_exactly(codec, image):
    data, latent = codec.compress(image, return_latent=True)
    assert latent.shape == (3, 4, 4)  # ceil(37 / 16) x ceil(53 / 16), 4 channels
    decoded = codec.decompress(data)
    assert decoded.dtype == np.uint8 and decoded.shape == image.shape
    np.testing.assert_array_equal(decoded, codec.reconstruct(latent, 37, 53))
    decoded_latent, height, width = codec.decode_latent(data)
    np.testing.assert_array_equal(decoded_latent, latent)
    assert (height, width) == (37, 53)


def test_the_numpy_codec_agrees_with_the_keras_model(image):
    weights = _weights()
    codec = LearnedCodec(weights, quality=1)
    keras.utils.set_random_seed(0)
    model = FactorizedPriorAutoencoder(filters=8, latent_channels=4)
    model.build((None, None, None, 3))
    padded = codec_module._padded(image)[None].astype("float32") / 255.0
    record = model(padded, training=False)
    keras_latent = keras.ops.convert_to_numpy(record["quantized"])[0]
    latent = codec.latent(image)
    # Rounding may differ where the two float32 computations straddle a half integer.
    assert np.mean(keras_latent == latent) > 0.99
    keras_pixels = np.clip(keras.ops.convert_to_numpy(record["reconstruction"])[0], 0, 1) * 255
    ours = codec.reconstruct(keras_latent.astype(np.int64), *padded.shape[1:3])
    assert np.abs(ours.astype(float) - keras_pixels).max() <= 0.5 + 1e-3


def test_values_outside_the_tables_are_escaped_and_come_back(image):
    codec = LearnedCodec(_narrow(_weights()), quality=1)
    assert codec.tables.high.max() - codec.tables.low.min() < 10
    latent = codec.latent(image)
    latent[0, 0, 0], latent[1, 2, 3] = 30_000, -32_767
    outside = (latent < codec.tables.low) | (latent > codec.tables.high)
    assert outside.sum() >= 2
    data = codec.encode_latent(latent, 37, 53)
    decoded, _, _ = codec.decode_latent(data)
    np.testing.assert_array_equal(decoded, latent)
    latent[0, 0, 0] = 40_000
    with pytest.raises(ValueError, match="beyond the codable range"):
        codec.encode_latent(latent, 37, 53)


def test_the_file_is_the_header_plus_the_ideal_code_length_of_the_tables(image):
    codec = LearnedCodec(_narrow(_weights(), slope=1.2), quality=1)
    latent = np.random.default_rng(1).integers(-3, 4, (8, 10, 4))
    data = codec.encode_latent(latent, 128, 160)
    ideal = 0.0
    for c in range(4):
        frequencies = codec.tables.frequencies[c]
        escape = frequencies.size - 1
        symbols = latent[..., c].ravel() - codec.tables.low[c]
        outside = (symbols < 0) | (symbols >= escape)
        symbols = np.where(outside, escape, symbols)
        ideal += -np.log2(frequencies[symbols] / 2**PRECISION).sum() + 16 * outside.sum()
    payload_bits = 8 * (len(data) - HEADER_BYTES)
    # A range coder pays at most a few 32-bit words over the ideal length.
    assert ideal <= payload_bits + 1 < ideal + 96


def test_truncated_damaged_and_foreign_files_are_refused(codec, image):
    data = codec.compress(image)
    for length in (0, 5, HEADER_BYTES - 1, HEADER_BYTES, len(data) - 4, len(data) - 1):
        with pytest.raises(BitstreamError, match="truncated|shorter than"):
            codec.decompress(data[:length])
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0x10
        with pytest.raises(BitstreamError):
            codec.decompress(bytes(damaged))
    with pytest.raises(BitstreamError, match="bytes after the payload"):
        codec.decompress(data + b"\0")
    other = LearnedCodec(_weights(seed=1), quality=3)
    with pytest.raises(BitstreamError, match="written by model"):
        other.decompress(data)
    with pytest.raises(TypeError, match="data must be bytes"):
        codec.decompress("not bytes")


def test_decoding_gives_the_same_pixels_run_after_run_and_under_both_backends(
    codec, image, tmp_path
):
    data = codec.compress(image)
    assert codec.compress(image) == data
    first = codec.decompress(data)
    np.testing.assert_array_equal(codec.decompress(data), first)
    np.savez(tmp_path / "weights.npz", **_weights())
    (tmp_path / "file.aec").write_bytes(data)
    script = (
        "import hashlib, sys, numpy as np\n"
        "from aelib.compression import LearnedCodec\n"
        f"w = dict(np.load({str(tmp_path / 'weights.npz')!r}))\n"
        f"data = open({str(tmp_path / 'file.aec')!r}, 'rb').read()\n"
        "print(hashlib.sha256(LearnedCodec(w, quality=3).decompress(data).tobytes())"
        ".hexdigest())\n"
    )
    digests = {}
    for backend in ("tensorflow", "jax"):
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        digests[backend] = result.stdout.split()[-1]
    assert digests["tensorflow"] == digests["jax"] == hashlib.sha256(first.tobytes()).hexdigest()


def test_frequencies_are_integers_that_add_up_and_tails_are_below_the_escape_mass():
    # By hand: [0.5, 0.25, 0.25, 0] -> [32768, 16384, 16384, 1] (at least 1 each), and the
    # largest gives back the 1 too many.
    np.testing.assert_array_equal(
        _quantize(np.array([0.5, 0.25, 0.25, 0.0])), [32767, 16384, 16384, 1]
    )
    codec = LearnedCodec(_narrow(_weights(), slope=1.2), quality=1)
    t = codec.tables
    for c, frequencies in enumerate(t.frequencies):
        assert frequencies.sum() == 2**PRECISION and frequencies.min() >= 1
        assert frequencies.size == t.high[c] - t.low[c] + 2
        # Mass below low and above high, from the density itself, under TAIL_MASS each.
        outside = np.array([[t.low[c] - 1, t.high[c] + 1]], np.float64)
        below_and_above = reference.logits_cumulative(
            outside + np.array([[0.5, -0.5]]),
            [m[c : c + 1] for m in t.matrices],
            [b[c : c + 1] for b in t.biases],
            [f[c : c + 1] for f in t.factors],
        )[0]
        assert 1 / (1 + np.exp(-below_and_above[0])) < TAIL_MASS
        assert 1 / (1 + np.exp(below_and_above[1])) < TAIL_MASS


def test_the_estimated_rate_is_the_sum_over_channels(codec, image):
    latent = codec.latent(image)
    per_channel = codec.estimated_bits(latent, per_channel=True)
    assert per_channel.shape == (4,)
    assert codec.estimated_bits(latent) == pytest.approx(per_channel.sum())


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.zeros((8, 8, 3), np.float32), "uint8 RGB"),
        (np.zeros((8, 8), np.uint8), "uint8 RGB"),
        (np.zeros((8, 8, 4), np.uint8), "uint8 RGB"),
        (np.zeros((0, 8, 3), np.uint8), "sides must be"),
    ],
)
def test_bad_images_are_refused(codec, bad, message):
    with pytest.raises(ValueError, match=message):
        codec.compress(bad)


def test_bad_quality_and_latent_are_refused(codec):
    with pytest.raises(ValueError, match="quality must be an int in 1..255"):
        LearnedCodec(_weights(), quality=0)
    with pytest.raises(ValueError, match="latent must be an integer array"):
        codec.encode_latent(np.zeros((2, 2, 4), np.int32), 40, 40)
    with pytest.raises(ValueError, match="unexpected variable"):
        LearnedCodec({"decoder/kernel": np.zeros(1)})


def test_model_ids_follow_the_weights():
    a, b = LearnedCodec(_weights(seed=0)), LearnedCodec(_weights(seed=1))
    assert a.model_id != b.model_id and len(a.model_id) == 4
    assert json.dumps(a.sha256)  # a hex string
