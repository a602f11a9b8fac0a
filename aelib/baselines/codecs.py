"""Classical image codecs, the baselines of learned compression: one protocol, one sweep.

Each codec is a class built with its rate parameter and fixed, documented settings, and speaks
one small protocol: ``compress(image) -> bytes`` for a uint8 RGB image ``(height, width, 3)``,
``decompress(data) -> image``, a ``name`` (``"jpeg"``) and a ``setting`` (``{"quality": 75}``).
All four run through Pillow:

* `JPEG` — ``quality`` 1-100, Pillow's defaults otherwise (baseline, 4:2:0 chroma subsampling,
  no Huffman optimization), the settings of CompressAI's published "JPEG (Pillow)" curves;
* `JPEG2000` — ``rate``, the target bits per pixel, turned into OpenJPEG's compression ratio
  ``24 / rate``; the irreversible 9/7 wavelet with the colour transform, a bare codestream;
* `WebP` — ``quality`` 0-100, lossy (libwebp, 4:2:0), Pillow's default effort (``method=4``);
* `AVIF` — ``quality`` 0-100 (libaom through libavif), 4:2:0, ``speed=6``, one thread.

`rate_distortion_sweep` compresses a set of images at each value of a codec's rate parameter
and returns one point per value: the mean bits per pixel counted from the bytes, the mean
per-image PSNR and MS-SSIM, and the mean encoding and decoding times. `DEFAULT_SWEEPS` holds
the values that span about 0.1 to 1.2 bpp on Kodak (JPEG: from 0.22 bpp, its floor being about
0.17 bpp at quality 1).

Everything but the timings is deterministic: the same image and setting give the same bytes,
for a given version of the underlying library (libjpeg-turbo, OpenJPEG, libwebp, libaom).
"""

from __future__ import annotations

import io
import numbers
import time

import numpy as np
from PIL import Image

from aelib._validation import real
from aelib.evaluation import metrics as _metrics

__all__ = [
    "AVIF",
    "CODECS",
    "DEFAULT_SWEEPS",
    "JPEG",
    "JPEG2000",
    "Codec",
    "WebP",
    "rate_distortion_sweep",
]

# Rate values of `rate_distortion_sweep` when none are given, chosen on the 24 Kodak images so
# that each curve spans about 0.1 to 1.2 bpp (means over Kodak, measured with Pillow 13.0.0):
# JPEG 0.22-1.24 bpp (quality 20 gives 0.51 bpp, 60 gives 1.04 bpp), JPEG 2000 its targets
# (met within 0.5%), WebP 0.11-1.22 bpp, AVIF 0.11-1.24 bpp (quality 45 gives 0.50 bpp).
DEFAULT_SWEEPS = {
    "jpeg": [5, 10, 15, 20, 30, 40, 50, 60, 70],
    "jpeg2000": [0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.2],
    "webp": [0, 5, 10, 20, 30, 40, 50, 60, 70, 80],
    "avif": [10, 20, 30, 40, 45, 50, 55, 60, 70],
}

_METRICS = ("psnr", "ms_ssim")


def _rgb_image(image, name="image"):
    """``image`` as a uint8 NumPy array ``(height, width, 3)``, else a ValueError naming it."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(
            f"{name} must be a uint8 array (height, width, 3) with values in [0, 255], got "
            f"dtype {array.dtype}"
        )
    if array.ndim != 3 or array.shape[2] != 3 or array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(
            f"{name} must be an RGB image, a uint8 array (height, width, 3), got shape "
            f"{array.shape}"
        )
    return array


def _integer_in(parameter, value, low, high):
    """``value`` as an ``int`` if it is an integer in ``[low, high]`` (bools refused)."""
    if (
        isinstance(value, (bool, np.bool_))
        or not isinstance(value, numbers.Integral)
        or not low <= value <= high
    ):
        raise ValueError(f"{parameter} must be an integer in [{low}, {high}], got {value!r}")
    return int(value)


class Codec:
    """The protocol of the codecs: ``compress``, ``decompress``, ``name`` and ``setting``.

    A subclass sets ``name`` (lower case, the key of `CODECS` and `DEFAULT_SWEEPS`), ``format``
    (Pillow's format name) and ``setting`` (a dict of its rate parameter), and implements
    ``_save_options()``, the keyword arguments of `PIL.Image.Image.save`. An autoencoder
    codec that has the same four members works with `rate_distortion_sweep` too.
    """

    name = None
    format = None

    def __init__(self):
        self.setting = {}

    def _save_options(self):
        raise NotImplementedError

    def compress(self, image):
        """Encodes one image.

        Args:
            image: a uint8 array ``(height, width, 3)``, RGB.

        Returns:
            The compressed image, ``bytes`` (the whole file: its size is the rate).

        Raises:
            ValueError: if ``image`` is not a uint8 RGB array ``(height, width, 3)``, or the
                encoder refuses it (too large for the format, for instance).
        """
        array = _rgb_image(image)
        buffer = io.BytesIO()
        try:
            Image.fromarray(array).save(buffer, self.format, **self._save_options())
        except Exception as error:  # Pillow raises OSError, ValueError, ... by format
            raise ValueError(
                f"{self.name}: could not encode an image of shape {array.shape}: {error}"
            ) from error
        return buffer.getvalue()

    def decompress(self, data):
        """Decodes bytes made by ``compress`` (or any file of the codec's format).

        Args:
            data: ``bytes``, ``bytearray`` or ``memoryview``.

        Returns:
            The decoded image, a uint8 array ``(height, width, 3)``, RGB.

        Raises:
            TypeError: if ``data`` is not bytes-like.
            ValueError: if ``data`` is empty, truncated, damaged or of another format; the
                message names the codec, and Pillow's error is chained as the cause.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"data must be bytes, bytearray or memoryview, got {type(data).__name__}"
            )
        data = bytes(data)
        if not data:
            raise ValueError(f"{self.name}: cannot decode empty data (0 bytes)")
        try:
            with Image.open(io.BytesIO(data), formats=[self.format]) as decoded:
                decoded.load()
                if decoded.mode != "RGB":
                    decoded = decoded.convert("RGB")
                return np.array(decoded, dtype=np.uint8)
        except Exception as error:  # UnidentifiedImageError, OSError (truncated), ...
            raise ValueError(
                f"{self.name}: cannot decode {len(data)} bytes as a {self.format} image "
                f"(truncated, damaged or another format): {error}"
            ) from error

    def __repr__(self):
        arguments = ", ".join(f"{key}={value!r}" for key, value in self.setting.items())
        return f"{type(self).__name__}({arguments})"


class JPEG(Codec):
    """JPEG with Pillow's defaults (libjpeg-turbo): baseline, 4:2:0 chroma, standard tables.

    Only ``quality`` is set: Pillow's ``subsampling`` (4:2:0 for RGB), ``optimize=False`` and
    ``progressive=False`` are kept, as in CompressAI's "JPEG (Pillow)" curves, so that its
    published numbers are comparable. On Kodak, quality 20 gives 0.51 bpp and 60 gives
    1.04 bpp; quality 1 gives about 0.17 bpp, the floor of JPEG (headers, tables and one DC
    coefficient per block).

    Args:
        quality: an integer from 1 (smallest files) to 100; Pillow's default is 75, and it
            advises against values above 95, which grow the files for little gain.

    Raises:
        ValueError: if ``quality`` is not an integer in [1, 100].

    Example:
        >>> y, x = np.mgrid[0:64, 0:64]
        >>> image = np.stack([4 * x, 4 * y, 2 * (x + y)], axis=-1).astype(np.uint8)
        >>> codec = JPEG(quality=75)
        >>> data = codec.compress(image)
        >>> decoded = codec.decompress(data)
        >>> decoded.shape, decoded.dtype, codec.name, codec.setting
        ((64, 64, 3), dtype('uint8'), 'jpeg', {'quality': 75})
        >>> bool(np.abs(decoded.astype(int) - image).mean() < 2)
        True
    """

    name = "jpeg"
    format = "JPEG"

    def __init__(self, quality=75):
        self.quality = _integer_in("quality", quality, 1, 100)
        self.setting = {"quality": self.quality}

    def _save_options(self):
        return {"quality": self.quality}


class JPEG2000(Codec):
    """JPEG 2000 (OpenJPEG) at a target rate in bits per pixel.

    OpenJPEG's rate control takes a compression ratio against the raw 8-bit RGB image, 24 bits
    per pixel, so the target ``rate`` bpp becomes ``quality_layers=[24 / rate]`` with
    ``quality_mode="rates"`` (one quality layer). The settings are those of lossy JPEG 2000:
    the irreversible 9/7 wavelet and its colour transform (``irreversible=True, mct=1``;
    Pillow's defaults, the 5/3 wavelet without a colour transform, lose 3.3 dB at 0.5 bpp on
    kodim01), OpenJPEG's default number of resolution levels, and a bare J2K codestream
    without the JP2 boxes (``no_jp2=True``, 85 bytes saved).

    How near the target: on the 24 Kodak images, for targets from 0.1 to 1.2 bpp, the mean
    achieved bpp is within 0.5% under the target (0.4986 bpp for 0.5) and each image between
    2.0% under and 0.4% over it. On small images the headers (about 140 bytes) weigh more:
    0.1 bpp on 96x128 pixels (154 bytes) gives 186 bytes. At ``rate=24`` (ratio 1) nothing is
    truncated: the reconstruction is near-lossless, off by at most a few levels (the 9/7
    wavelet and the irreversible colour transform are not integer-exact).

    Args:
        rate: the target bits per pixel, a real number in (0, 24].

    Raises:
        ValueError: if ``rate`` is not a finite real number in (0, 24].

    Example:
        >>> y, x = np.mgrid[0:64, 0:64]
        >>> image = np.stack([4 * x, 4 * y, 2 * (x + y)], axis=-1).astype(np.uint8)
        >>> codec = JPEG2000(rate=2.0)
        >>> codec.setting
        {'rate': 2.0}
        >>> data = codec.compress(image)
        >>> bool(8 * len(data) / (64 * 64) <= 2.0)
        True
        >>> codec.decompress(data).shape
        (64, 64, 3)
    """

    name = "jpeg2000"
    format = "JPEG2000"

    def __init__(self, rate=0.5):
        self.rate = real("rate", rate, low=0.0, high=24.0, low_open=True)
        self.setting = {"rate": self.rate}

    def _save_options(self):
        return {
            "quality_mode": "rates",
            "quality_layers": [24.0 / self.rate],
            "irreversible": True,
            "mct": 1,
            "no_jp2": True,
        }


class WebP(Codec):
    """Lossy WebP (libwebp, VP8 intra coding, 4:2:0), Pillow's defaults but ``quality``.

    ``lossless=False`` and ``method=4`` (Pillow's and libwebp's default effort, 0 fastest to 6
    slowest); as in CompressAI's WebP curves. On Kodak quality 0 gives 0.11 bpp and 80 gives
    1.22 bpp.

    Args:
        quality: an integer from 0 (smallest files) to 100; Pillow's default is 80.

    Raises:
        ValueError: if ``quality`` is not an integer in [0, 100].

    Example:
        >>> y, x = np.mgrid[0:64, 0:64]
        >>> image = np.stack([4 * x, 4 * y, 2 * (x + y)], axis=-1).astype(np.uint8)
        >>> codec = WebP(quality=80)
        >>> codec.decompress(codec.compress(image)).shape, codec.setting
        ((64, 64, 3), {'quality': 80})
    """

    name = "webp"
    format = "WEBP"

    def __init__(self, quality=80):
        self.quality = _integer_in("quality", quality, 0, 100)
        self.setting = {"quality": self.quality}

    def _save_options(self):
        return {"quality": self.quality, "lossless": False, "method": 4}


class AVIF(Codec):
    """AVIF, AV1 intra coding (libaom through libavif), 4:2:0, ``speed=6``, one thread.

    ``speed`` 6 is the default of Pillow and of libavif's ``avifenc`` (0 slowest and smallest
    to 10 fastest), the usual middle ground: on three Kodak images at quality 50, speed 3 saves
    5% of the bytes (+0.2 dB) for 11 times the encoding time (3.4 s an image on one core),
    which a sweep of 24 images times 9 qualities cannot afford, and speed 9 costs 14% more
    bytes (-0.6 dB). ``subsampling="4:2:0"`` is Pillow's
    default for RGB, the chroma sampling of the JPEG and WebP baselines; ``range="full"``
    (Pillow's default). The encoder runs on one thread (``max_threads=1``): libaom's output
    depends on its number of threads, and Pillow's default, the number of CPUs, would make the
    bytes depend on the machine. On Kodak quality 10 gives 0.11 bpp, 45 gives 0.50 bpp and 70
    gives 1.24 bpp.

    Args:
        quality: an integer from 0 (smallest files) to 100 (lossless); Pillow's default is 75.

    Raises:
        ValueError: if ``quality`` is not an integer in [0, 100].

    Example:
        >>> y, x = np.mgrid[0:64, 0:64]
        >>> image = np.stack([4 * x, 4 * y, 2 * (x + y)], axis=-1).astype(np.uint8)
        >>> codec = AVIF(quality=50)
        >>> codec.decompress(codec.compress(image)).shape, codec.name
        ((64, 64, 3), 'avif')
    """

    name = "avif"
    format = "AVIF"
    speed = 6

    def __init__(self, quality=75):
        self.quality = _integer_in("quality", quality, 0, 100)
        self.setting = {"quality": self.quality}

    def _save_options(self):
        return {
            "quality": self.quality,
            "speed": self.speed,
            "subsampling": "4:2:0",
            "range": "full",
            "max_threads": 1,
        }


# The codecs by name, the keys of DEFAULT_SWEEPS.
CODECS = {codec.name: codec for codec in (JPEG, JPEG2000, WebP, AVIF)}


def rate_distortion_sweep(codec, values, images, *, metrics=_METRICS, progress=None):
    """Rate-distortion points of a codec: compress every image at each value of its parameter.

    For each value the codec is built as ``codec(value)``, and each image is compressed,
    decompressed and measured:

    * ``bpp``: `aelib.evaluation.metrics.bits_per_pixel` of the bytes, ``8 * len(data) /
      (height * width)``;
    * ``psnr``: the RGB PSNR of the uint8 image, ``10 log10(255**2 / MSE)`` with the MSE over
      all its pixels and channels (`aelib.evaluation.metrics.psnr`, ``data_range=255``;
      infinite for an exact reconstruction);
    * ``ms_ssim``: `aelib.evaluation.metrics.ms_ssim` with ``data_range=255``, the mean over
      the three channels (images of at least 176x176 pixels).

    A point holds the means over images of these (the mean of per-image PSNRs, not the PSNR of
    the mean MSE, as CompressAI reports), and the mean seconds per image spent in ``compress``
    and in ``decompress`` (wall-clock, `time.perf_counter`). Everything but the two timings is
    deterministic.

    Args:
        codec: a codec class of this module (`JPEG`, ...), its name (a key of `CODECS`), or
            any callable ``codec(value)`` that returns an object with ``compress``,
            ``decompress`` and ``name``.
        values: the rate parameter's values, one point each, in order; ``None`` for
            ``DEFAULT_SWEEPS[name]`` (a class or name of this module only).
        images: a uint8 array ``(n_images, height, width, 3)`` or a list of uint8 arrays
            ``(height, width, 3)``, whose sizes may differ (Kodak's portrait images).
        metrics: which distortions to compute, a subset of ``("psnr", "ms_ssim")``; leave
            ``"ms_ssim"`` out for images under 176x176 pixels.
        progress: ``None``, or an object with ``update(n)`` (a `tqdm` bar), called with 1
            after each image, ``len(values) * n_images`` times in all.

    Returns:
        A list of dicts, one per value: ``{"codec": name, "setting": value, "bpp": float,
        "psnr": float, "ms_ssim": float, "encode_s": float, "decode_s": float,
        "per_image": [{"bytes": int, "bpp": float, "psnr": float, "ms_ssim": float}, ...]}``
        (a metric left out of ``metrics`` is absent).

    Raises:
        ValueError: if ``codec`` is an unknown name, ``values`` is empty (or ``None`` for a
            codec without default values), a value is invalid for the codec (the message names
            its parameter), an image is not uint8 RGB ``(height, width, 3)`` (the message
            names its index), ``metrics`` holds an unknown name, or an image is too small for
            MS-SSIM.
        TypeError: if ``codec`` is not callable or ``progress`` has no ``update`` method.

    Example:
        >>> y, x = np.mgrid[0:64, 0:64]
        >>> image = np.stack([4 * x, 4 * y, 2 * (x + y)], axis=-1).astype(np.uint8)
        >>> points = rate_distortion_sweep(JPEG, [10, 90], [image], metrics=("psnr",))
        >>> [p["setting"] for p in points]
        [10, 90]
        >>> bool(points[0]["bpp"] < points[1]["bpp"] and points[0]["psnr"] < points[1]["psnr"])
        True
        >>> points[1]["bpp"] == 8 * points[1]["per_image"][0]["bytes"] / (64 * 64)
        True
    """
    factory, name = _codec_factory(codec)
    if values is None:
        if name not in DEFAULT_SWEEPS:
            raise ValueError(
                "values must be given for a codec without default values (DEFAULT_SWEEPS "
                f"has {sorted(DEFAULT_SWEEPS)})"
            )
        values = DEFAULT_SWEEPS[name]
    values = list(values)
    if not values:
        raise ValueError("values must hold at least one value of the codec's parameter")
    codecs = [factory(value) for value in values]  # checks every value before any work
    images = _image_list(images)
    metrics = _metric_names(metrics)
    if "ms_ssim" in metrics:
        for i, image in enumerate(images):
            if min(image.shape[:2]) < 176:
                raise ValueError(
                    f"images[{i}] is {image.shape[0]}x{image.shape[1]} pixels, MS-SSIM needs "
                    "at least 176x176; pass metrics=('psnr',) for smaller images"
                )
    if progress is not None and not callable(getattr(progress, "update", None)):
        raise TypeError(
            f"progress must have an update(n) method (a tqdm bar), got {type(progress).__name__}"
        )
    return [
        _sweep_point(instance, value, images, metrics, progress)
        for instance, value in zip(codecs, values)
    ]


def _codec_factory(codec):
    """``(callable value -> codec, name or None)`` for a class, a name or a callable."""
    if isinstance(codec, str):
        if codec not in CODECS:
            raise ValueError(
                f"codec must be one of {sorted(CODECS)} or a codec class, got {codec!r}"
            )
        codec = CODECS[codec]
    if not callable(codec):
        raise TypeError(
            f"codec must be a codec class, a name in {sorted(CODECS)} or a callable, got "
            f"{type(codec).__name__}"
        )
    name = codec.name if isinstance(codec, type) and issubclass(codec, Codec) else None
    return codec, name


def _image_list(images):
    """The images as a list of checked uint8 arrays ``(height, width, 3)``."""
    if isinstance(images, np.ndarray):
        if images.ndim != 4:
            raise ValueError(
                "images must be a uint8 array (n_images, height, width, 3) or a list of "
                f"(height, width, 3) arrays, got an array of shape {images.shape}"
            )
        images = list(images)
    else:
        images = list(images)
    if not images:
        raise ValueError("images must hold at least one image")
    return [_rgb_image(image, f"images[{i}]") for i, image in enumerate(images)]


def _metric_names(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = tuple(metrics)
    for metric in metrics:
        if metric not in _METRICS:
            raise ValueError(f"metrics must be a subset of {list(_METRICS)}, got {metric!r}")
    return metrics


def _sweep_point(codec, value, images, metrics, progress):
    """One rate-distortion point: every image through ``codec``, then the means."""
    per_image, reconstructions = [], []
    encode_s = decode_s = 0.0
    for image in images:
        start = time.perf_counter()
        data = codec.compress(image)
        middle = time.perf_counter()
        reconstruction = codec.decompress(data)
        end = time.perf_counter()
        encode_s += middle - start
        decode_s += end - middle
        if reconstruction.shape != image.shape:
            raise ValueError(
                f"{codec.name}: decompress gave shape {reconstruction.shape} for an image of "
                f"shape {image.shape}"
            )
        reconstructions.append(reconstruction)
        per_image.append({"bytes": len(data), "bpp": _metrics.bits_per_pixel(data, image)})
        if progress is not None:
            progress.update(1)
    if "psnr" in metrics:
        values = _metrics.psnr(images, reconstructions, data_range=255, reduce=False)
        for record, psnr in zip(per_image, values):
            record["psnr"] = float(psnr)
    if "ms_ssim" in metrics:
        values = _metrics.ms_ssim(images, reconstructions, data_range=255, reduce=False)
        for record, ms_ssim in zip(per_image, values):
            record["ms_ssim"] = float(ms_ssim)
    point = {"codec": codec.name, "setting": value}
    for key in ("bpp", *metrics):
        point[key] = float(np.mean([record[key] for record in per_image]))
    point["encode_s"] = encode_s / len(images)
    point["decode_s"] = decode_s / len(images)
    point["per_image"] = per_image
    return point
