"""`LearnedCodec`: a trained factorized-prior model as a codec of real files.

Encoding an image (``uint8``, ``(height, width, 3)``, any size):

1. pad it on the bottom and right, repeating its last row and column, to multiples of 16;
2. ``y_hat = round(g_a(x))`` with `aelib.compression.reference.analysis` (NumPy, float32);
3. range-code every latent channel with its own integer frequency table
   (`FrequencyTables`, built once from the learned density), with ``constriction``'s range
   coder; a value outside its channel's table is coded as the table's *escape* symbol and
   then, raw, as a 16-bit number;
4. write the header and the range coder's words.

The file (all integers little-endian)::

    magic "AEC"  version u8  quality u8  model id (4 bytes)  height u16  width u16
    words u32  crc32 u32  payload (words x 4 bytes)

The model id is the start of the sha256 of the model's weights, so a file is never decoded
with another model than it was encoded with; the CRC-32 covers the header and the payload, so
a damaged file is refused rather than decoded into a wrong image. Decoding reverses the steps
with `reference.synthesis`, clips to [0, 1], rounds to 8 bits and crops the padding. Both
transforms run in NumPy, so decoding gives the same pixels on any Keras backend.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

import numpy as np

from aelib.compression import reference

MAGIC = b"AEC"
FORMAT_VERSION = 1
_HEADER = struct.Struct("<3sBB4sHHII")
#: Bytes of the header; a Kodak image (768x512) pays 0.0005 bpp for it.
HEADER_BYTES = _HEADER.size
#: Frequencies of each table add up to 2**PRECISION.
PRECISION = 16
#: Probability mass each table leaves to its escape symbol at most, in each tail.
TAIL_MASS = 1e-9
_ESCAPE_BITS = 16
_SEARCH = 4096  # tables are searched for over the integers -_SEARCH .. _SEARCH
MULTIPLE = 16


class BitstreamError(ValueError):
    """A file that is not a valid bitstream of this codec (truncated, damaged, foreign)."""


class FrequencyTables:
    """Integer frequency tables of a factorized density, one per latent channel.

    For channel ``c`` the table covers the integers ``low[c] .. high[c]``, the smallest range
    outside of which each tail of the learned density holds less than `TAIL_MASS`; symbol ``k``
    stands for the value ``low[c] + k`` and the last symbol is the escape. Each symbol's
    frequency is its probability times ``2**PRECISION``, rounded, at least 1; the most
    frequent symbol absorbs the rounding so that every table adds up to ``2**PRECISION``
    exactly. Everything is computed in float64 NumPy from the weights, so the tables are the
    same wherever they are built.

    Args:
        matrices, biases, factors: the density's parameters, as
            `reference.logits_cumulative` takes them.

    Attributes:
        low, high: int arrays ``(channels,)``, the range of each table.
        frequencies: a list of int64 arrays, ``high - low + 2`` entries each (the last: escape).
    """

    def __init__(self, matrices, biases, factors):
        self.matrices = [np.asarray(m, np.float64) for m in matrices]
        self.biases = [np.asarray(b, np.float64) for b in biases]
        self.factors = [np.asarray(f, np.float64) for f in factors]
        channels = self.matrices[0].shape[0]
        grid = np.arange(-_SEARCH, _SEARCH + 1, dtype=np.float64)
        # c(k + 1/2) for every integer k of the grid and channel, as a logit.
        upper = reference.logits_cumulative(
            np.broadcast_to(grid + 0.5, (channels, grid.size)),
            self.matrices,
            self.biases,
            self.factors,
        )
        below = 0.5 * (1.0 + np.tanh(0.5 * upper))  # P(value <= k)
        above = 0.5 * (1.0 - np.tanh(0.5 * upper))  # P(value > k)
        self.low = np.empty(channels, np.int64)
        self.high = np.empty(channels, np.int64)
        self.frequencies = []
        for c in range(channels):
            # low: the first k with P(value <= k) >= TAIL_MASS; high: the first k with
            # P(value > k) < TAIL_MASS.
            low = int(grid[np.argmax(below[c] >= TAIL_MASS)])
            high = int(grid[np.argmax(above[c] < TAIL_MASS)])
            if below[c, -1] < TAIL_MASS or above[c, 0] < TAIL_MASS or high < low:
                raise ValueError(f"the density of channel {c} is not within +-{_SEARCH}")
            self.low[c], self.high[c] = low, high
            values = np.arange(low, high + 1, dtype=np.float64)
            p = reference.interval_probabilities(
                values[None],
                [m[c : c + 1] for m in self.matrices],
                [b[c : c + 1] for b in self.biases],
                [f[c : c + 1] for f in self.factors],
            )[0]
            escape = max(0.0, 1.0 - float(p.sum()))
            self.frequencies.append(_quantize(np.append(p, escape)))

    @property
    def channels(self):
        return len(self.frequencies)

    def entropy_models(self):
        """One ``constriction`` categorical model per channel, from the integer tables."""
        import constriction

        total = float(2**PRECISION)
        # freq / 2**16 is exact in float64, so constriction sees the integer table itself.
        return [
            constriction.stream.model.Categorical(f / total, perfect=False)
            for f in self.frequencies
        ]


def _quantize(p):
    """Integer frequencies adding up to ``2**PRECISION``, each at least 1."""
    total = 2**PRECISION
    if p.size > total // 2:
        raise ValueError(f"a table of {p.size} symbols does not fit {PRECISION}-bit frequencies")
    frequencies = np.maximum(1, np.floor(p / p.sum() * total + 0.5)).astype(np.int64)
    frequencies[np.argmax(frequencies)] += total - int(frequencies.sum())
    if frequencies.min() < 1:
        raise ValueError("frequency table could not be normalized")
    return frequencies


def _split_weights(weights):
    """``{"analysis/...": a, ...}`` -> the three parts the NumPy transforms take."""
    parts = {"analysis": {}, "synthesis": {}, "entropy_bottleneck": {}}
    for path, array in weights.items():
        part, _, name = path.partition("/")
        if part not in parts:
            raise ValueError(f"weights: unexpected variable {path!r}")
        parts[part][name] = np.asarray(array)
    return parts


def weights_sha256(weights):
    """The sha256 of a weights dict (names, shapes, dtypes and bytes, in name order)."""
    digest = hashlib.sha256()
    for name in sorted(weights):
        array = np.ascontiguousarray(weights[name])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


class LearnedCodec:
    """A trained factorized-prior model as an image codec: ``compress`` / ``decompress``.

    Args:
        weights: ``{variable path: array}``, the paths below the model's name as Keras names
            them (``"analysis/conv_0/kernel"``, ``"entropy_bottleneck/matrix_0"``, ...), e.g.
            from `weights_of`. They are used in float32.
        quality: the number written in each file's header (1-255), e.g. the model's rank in
            the recorded ladder.

    Example:
        >>> import keras
        >>> from aelib.models import FactorizedPriorAutoencoder
        >>> keras.utils.set_random_seed(0)
        >>> model = FactorizedPriorAutoencoder(filters=8, latent_channels=4)
        >>> model.build((None, None, None, 3))
        >>> codec = LearnedCodec(weights_of(model), quality=1)
        >>> image = np.full((20, 30, 3), 128, np.uint8)
        >>> data = codec.compress(image)
        >>> codec.decompress(data).shape
        (20, 30, 3)
    """

    def __init__(self, weights, quality=1):
        if not isinstance(quality, int) or isinstance(quality, bool) or not 1 <= quality <= 255:
            raise ValueError(f"quality must be an int in 1..255, got {quality!r}")
        self.quality = quality
        weights = {k: np.asarray(v, np.float32) for k, v in weights.items()}
        self.sha256 = weights_sha256(weights)
        self.model_id = bytes.fromhex(self.sha256[:8])
        parts = _split_weights(weights)
        self._analysis, self._synthesis = parts["analysis"], parts["synthesis"]
        eb = parts["entropy_bottleneck"]
        n = len([k for k in eb if k.startswith("matrix_")])
        if n == 0:
            raise ValueError("weights: no entropy_bottleneck/matrix_* variables")
        self.tables = FrequencyTables(
            [eb[f"matrix_{k}"] for k in range(n)],
            [eb[f"bias_{k}"] for k in range(n)],
            [eb[f"factor_{k}"] for k in range(n - 1)],
        )
        self._models = self.tables.entropy_models()
        if self._analysis["conv_3/kernel"].shape[-1] != self.tables.channels:
            raise ValueError("weights: the latent's channels and the density's do not match")

    # ------------------------------------------------------------------ the transforms
    def latent(self, image):
        """``round(g_a(x))`` of a uint8 image, padded to multiples of 16: int32 ``(h, w, M)``."""
        x = _padded(_check_image(image)).astype(np.float32) / np.float32(255.0)
        return np.round(reference.analysis(x, self._analysis)).astype(np.int32)

    def reconstruct(self, latent, height, width):
        """The uint8 image ``g_s(latent)`` clipped, rounded and cropped to ``height x width``."""
        x = reference.synthesis(latent.astype(np.float32), self._synthesis)
        pixels = np.floor(np.clip(x, 0.0, 1.0) * np.float32(255.0) + np.float32(0.5))
        return pixels[:height, :width].astype(np.uint8)

    def estimated_bits(self, latent, per_channel=False):
        """The rate model's ``-sum log2 P`` of a latent in bits: the rate that training
        minimizes, which the file's actual size is compared with.

        Args:
            latent: an integer latent ``(rows, cols, channels)``, e.g. from `latent`.
            per_channel: return the bits of each channel (a float64 array) instead of the sum.
        """
        channels = latent.shape[-1]
        values = latent.reshape(-1, channels).T.astype(np.float64)
        t = self.tables
        p = reference.interval_probabilities(values, t.matrices, t.biases, t.factors)
        bits = -np.log2(np.maximum(p, 1e-9)).sum(axis=1)  # the layer's likelihood bound
        return bits if per_channel else float(bits.sum())

    # ------------------------------------------------------------------ files
    def compress(self, image, return_latent=False):
        """The bytes of a file holding ``image`` (uint8 ``(height, width, 3)``, any size).

        With ``return_latent=True``, returns ``(bytes, latent)``, the latent being the
        integer array the file codes (`latent` of the image).

        Raises:
            ValueError: if the image is not uint8 RGB, is larger than 65535 pixels a side,
                or has a latent value beyond +-32767 (which no trained model produces).
        """
        image = _check_image(image)
        latent = self.latent(image)
        data = self.encode_latent(latent, *image.shape[:2])
        return (data, latent) if return_latent else data

    def encode_latent(self, latent, height, width):
        """The file of an integer latent ``(ceil(height / 16), ceil(width / 16), M)`` of an
        image of ``height x width`` pixels; `compress` is ``encode_latent(latent(image))``.

        Raises:
            ValueError: if the latent's shape does not match the image's size and the model,
                or a value is beyond the codable range +-32767.
        """
        import constriction

        rows, cols = -(-height // MULTIPLE), -(-width // MULTIPLE)
        latent = np.asarray(latent)
        if latent.shape != (rows, cols, self.tables.channels) or latent.dtype.kind not in "iu":
            raise ValueError(
                f"latent must be an integer array {(rows, cols, self.tables.channels)} for a "
                f"{height}x{width} image, got {latent.dtype} {latent.shape}"
            )
        if not 1 <= height <= 65535 or not 1 <= width <= 65535:
            raise ValueError(f"height and width must be 1..65535, got {height}x{width}")
        encoder = constriction.stream.queue.RangeEncoder()
        escapes = []
        for c in range(self.tables.channels):
            values = latent[..., c].ravel().astype(np.int64) - self.tables.low[c]
            escape = self.tables.frequencies[c].size - 1
            outside = (values < 0) | (values >= escape)
            if outside.any():
                escapes.append(latent[..., c].ravel()[outside])
                values = np.where(outside, escape, values)
            encoder.encode(values.astype(np.int32), self._models[c])
        if escapes:
            raw = np.concatenate(escapes).astype(np.int64)
            if np.abs(raw).max() >= 2 ** (_ESCAPE_BITS - 1):
                raise ValueError("latent: a value is beyond the codable range +-32767")
            uniform = constriction.stream.model.Uniform(2**_ESCAPE_BITS)
            encoder.encode((raw + 2 ** (_ESCAPE_BITS - 1)).astype(np.int32), uniform)
        payload = encoder.get_compressed().astype("<u4").tobytes()
        return self._pack(height, width, payload)

    def decompress(self, data):
        """The uint8 image ``(height, width, 3)`` held in a file's bytes.

        Raises:
            BitstreamError: if the bytes are not a complete, intact file of this codec with
                this model (a truncated, damaged or foreign file), with the reason.
        """
        latent, height, width = self.decode_latent(data)
        return self.reconstruct(latent, height, width)

    def decode_latent(self, data):
        """``(latent, height, width)`` of a file: the integer latent it codes, int64.

        Raises:
            BitstreamError: as `decompress`.
        """
        import constriction

        height, width, payload = self._unpack(data)
        rows, cols = -(-height // MULTIPLE), -(-width // MULTIPLE)  # the latent's size
        words = np.frombuffer(payload, "<u4").astype(np.uint32)
        decoder = constriction.stream.queue.RangeDecoder(words)
        latent = np.empty((rows, cols, self.tables.channels), np.int64)
        escaped = []
        try:
            for c in range(self.tables.channels):
                symbols = decoder.decode(self._models[c], rows * cols).astype(np.int64)
                escape = self.tables.frequencies[c].size - 1
                escaped.append(np.flatnonzero(symbols == escape))
                latent[..., c] = (symbols + self.tables.low[c]).reshape(rows, cols)
            count = sum(e.size for e in escaped)
            if count:
                uniform = constriction.stream.model.Uniform(2**_ESCAPE_BITS)
                raw = decoder.decode(uniform, count).astype(np.int64) - 2 ** (_ESCAPE_BITS - 1)
                start = 0
                for c, where in enumerate(escaped):
                    channel = latent[..., c].reshape(-1)
                    channel[where] = raw[start : start + where.size]
                    latent[..., c] = channel.reshape(rows, cols)
                    start += where.size
        except (ValueError, RuntimeError, AssertionError) as error:
            raise BitstreamError(f"data: the payload does not decode ({error})") from error
        return latent, height, width

    def _pack(self, height, width, payload):
        header = _HEADER.pack(
            MAGIC, FORMAT_VERSION, self.quality, self.model_id, height, width, len(payload) // 4, 0
        )
        crc = zlib.crc32(header[:-4] + payload)
        return header[:-4] + struct.pack("<I", crc) + payload

    def _unpack(self, data):
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, got {type(data).__name__}")
        data = bytes(data)
        if len(data) < HEADER_BYTES:
            raise BitstreamError(
                f"data: {len(data)} bytes, shorter than the {HEADER_BYTES}-byte header "
                "(truncated, or not a file of this codec)"
            )
        magic, version, quality, model_id, height, width, words, crc = _HEADER.unpack(
            data[:HEADER_BYTES]
        )
        if magic != MAGIC:
            raise BitstreamError(f"data: does not start with {MAGIC!r} (not a file of this codec)")
        if version != FORMAT_VERSION:
            raise BitstreamError(
                f"data: format version {version}, this codec reads version {FORMAT_VERSION}"
            )
        expected = HEADER_BYTES + 4 * words
        if len(data) < expected:
            raise BitstreamError(f"data: truncated ({len(data)} bytes of {expected})")
        if len(data) > expected:
            raise BitstreamError(f"data: {len(data) - expected} bytes after the payload")
        payload = data[HEADER_BYTES:]
        if zlib.crc32(data[: HEADER_BYTES - 4] + payload) != crc:
            raise BitstreamError("data: damaged (its CRC-32 does not match its contents)")
        if model_id != self.model_id or quality != self.quality:
            raise BitstreamError(
                f"data: written by model {model_id.hex()} at quality {quality}; this codec is "
                f"model {self.model_id.hex()} at quality {self.quality}"
            )
        if height == 0 or width == 0:
            raise BitstreamError("data: an image with no pixels")
        return height, width, payload


def _check_image(image):
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(
            f"image must be a uint8 RGB array (height, width, 3), got {image.dtype} {image.shape}"
        )
    if min(image.shape[:2]) < 1 or max(image.shape[:2]) > 65535:
        raise ValueError(f"image sides must be 1..65535 pixels, got {image.shape[:2]}")
    return image


def _padded(image):
    height, width = image.shape[:2]
    pad_rows = -height % MULTIPLE
    pad_cols = -width % MULTIPLE
    return np.pad(image, ((0, pad_rows), (0, pad_cols), (0, 0)), mode="edge")


def weights_of(model):
    """``{variable path below the model's name: float32 array}`` of a built Keras model."""
    import keras

    prefix = model.name + "/"
    out = {}
    for variable in model.weights:
        path = variable.path
        if path.startswith(prefix):
            path = path[len(prefix) :]
        out[path] = np.asarray(keras.ops.convert_to_numpy(variable), np.float32)
    return out
