"""Fully convolutional denoisers for images, `denoise`, which applies one to a picture, and
the arithmetic of convolutions.

Both networks are `aelib.DenoisingAutoencoder` s: in training their noise layer corrupts the
clean patches (`GaussianNoise` at one sigma, or `BlindGaussianNoise` over a range of sigmas)
and the loss compares the output with the clean patch. Neither has a dense layer, so a network
trained on 40x40 patches denoises an image of any size.

* `conv_denoising_autoencoder` -- the textbook denoising autoencoder applied to images: an
  encoder of strided convolutions down to a code with fewer values than the image has pixels,
  and a decoder of transposed convolutions back up. The bottleneck is real: the code of an
  ``H x W`` image holds ``(H / 4) (W / 4) code_channels`` numbers.
* `red_net` -- the residual encoder-decoder network of Mao, Shen and Yang (2016, "RED-Net"):
  convolutions, then as many transposed convolutions, with a skip connection from every second
  convolution to the mirrored transposed convolution, and the input added to the output, so
  the network estimates the noise and subtracts it. Its "code" is the list of the encoder's
  feature maps that the decoder reads (the input and the skipped maps, deepest last).
* `denoise` -- one call from a noisy picture (a PNG path or an array) and a trained model (or
  a saved ``.keras`` file, or one model per sigma) to the denoised picture.
* `conv_output_size`, `conv_transpose_output_size` and `receptive_field` -- the arithmetic of
  convolutions (Dumoulin & Visin, 2016): the length of a layer's output along one axis, as
  Keras computes it, and the receptive field of a stack of layers.

Under the ``mixed_bfloat16`` policy the convolutions run in bfloat16, while the noise, the
residual sum and the output stay float32 (their layers are created with ``dtype="float32"``),
so the loss is computed in float32.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from pathlib import Path

import keras
import numpy as np

from aelib._validation import positive_int, real
from aelib.models.builders import _positive_ints
from aelib.models.denoising import DenoisingAutoencoder, GaussianNoise


def _check_noise(noise):
    if noise is None:
        return GaussianNoise(25.0 / 255.0, dtype="float32")
    if not isinstance(noise, keras.layers.Layer):
        raise ValueError(
            "noise must be a keras layer that corrupts in training (GaussianNoise or "
            f"BlindGaussianNoise), got {noise!r}"
        )
    return noise


def conv_denoising_autoencoder(
    filters=(64, 64), code_channels=8, channels=1, noise=None, name="conv_dae"
):
    """A convolutional denoising autoencoder with a bottleneck, for images of any size.

    Encoder: for each entry of ``filters``, a 3x3 convolution and a 3x3 convolution of stride
    2 (ReLU), then a 3x3 convolution to ``code_channels`` maps (linear): the code. Decoder: for
    each entry of ``filters`` in reverse, a 3x3 transposed convolution of stride 2 and a 3x3
    convolution (ReLU), then a 3x3 convolution to ``channels`` maps (linear, float32).

    Args:
        filters: feature maps at each resolution, input side first; each entry halves the
            resolution, so image sides must be multiples of ``2 ** len(filters)`` (`denoise`
            pads them).
        code_channels: maps of the code; with two entries in ``filters`` the code holds
            ``code_channels / 16`` numbers per pixel.
        channels: channels of the images (1 for grey).
        noise: the training corruption, e.g. ``GaussianNoise(25 / 255)`` (the default) or
            ``BlindGaussianNoise(0, 55 / 255)``.
        name: the model's name.

    Returns:
        A `DenoisingAutoencoder` taking ``(batch, height, width, channels)`` images in [0, 1].

    Example:
        >>> import numpy as np
        >>> model = conv_denoising_autoencoder(filters=(8, 8), code_channels=2)
        >>> model.transform(np.zeros((1, 40, 24, 1), "float32")).shape
        (1, 10, 6, 2)
        >>> model.reconstruct(np.zeros((1, 40, 24, 1), "float32")).shape
        (1, 40, 24, 1)
    """
    filters = _filters(filters)
    code_channels = positive_int("code_channels", code_channels)
    channels = positive_int("channels", channels)

    inputs = keras.Input((None, None, channels), name="image")
    h = inputs
    for level, n in enumerate(filters, start=1):
        h = _conv(n, 1, "relu", f"conv_{level}")(h)
        h = _conv(n, 2, "relu", f"down_{level}")(h)
    code = _conv(code_channels, 1, None, "code")(h)
    encoder = keras.Model(inputs, code, name="encoder")

    code_in = keras.Input((None, None, code_channels), name="code")
    h = code_in
    for level, n in reversed(list(enumerate(filters, start=1))):
        h = keras.layers.Conv2DTranspose(
            n, 3, strides=2, padding="same", activation="relu", name=f"up_{level}"
        )(h)
        h = _conv(n, 1, "relu", f"deconv_{level}")(h)
    output = keras.layers.Conv2D(channels, 3, padding="same", dtype="float32", name="output")(h)
    decoder = keras.Model(code_in, output, name="decoder")
    return DenoisingAutoencoder(encoder, decoder, noise=_check_noise(noise), name=name)


def red_net(depth=10, filters=64, skip_every=2, channels=1, noise=None, name="red_net"):
    """RED-Net: a convolutional encoder-decoder with symmetric skips and a residual output.

    ``depth / 2`` 3x3 convolutions (ReLU) form the encoder; ``depth / 2`` 3x3
    "deconvolutions" (stride-1 convolutions, see the code) the decoder, the last one to
    ``channels`` maps. After every ``skip_every`` decoder layers the feature map of the
    mirrored encoder layer is added (then ReLU), and the
    network's output is its input plus the decoder's last map: the decoder estimates minus the
    noise. Mao et al. (2016) used 64 filters and 20 or 30 layers; all layers keep the resolution.

    Args:
        depth: the number of layers, even, at least 2.
        filters: feature maps of every layer but the last.
        skip_every: encoder layers between skipped feature maps (every ``skip_every``-th
            convolution's map is added to the mirrored decoder layer).
        channels: channels of the images (1 for grey).
        noise: the training corruption (default ``GaussianNoise(25 / 255)``).
        name: the model's name.

    Returns:
        A `DenoisingAutoencoder` taking ``(batch, height, width, channels)`` images in [0, 1].
        Its code is the list ``[input, skipped maps..., deepest map]``.

    Example:
        >>> import numpy as np
        >>> model = red_net(depth=4, filters=8)  # too shallow for a skip: [input, deepest]
        >>> x = np.zeros((1, 20, 12, 1), "float32")
        >>> [c.shape for c in model.transform(x)]
        [(1, 20, 12, 1), (1, 20, 12, 8)]
        >>> model.reconstruct(x).shape
        (1, 20, 12, 1)
    """
    depth = positive_int("depth", depth)
    if depth < 2 or depth % 2:
        raise ValueError(f"depth must be an even number >= 2, got {depth}")
    filters = positive_int("filters", filters)
    skip_every = positive_int("skip_every", skip_every)
    half = depth // 2
    channels = positive_int("channels", channels)

    inputs = keras.Input((None, None, channels), name="image")
    h = inputs
    skipped = [inputs]
    for layer in range(1, half + 1):
        h = _conv(filters, 1, "relu", f"conv_{layer}")(h)
        if layer % skip_every == 0 and layer < half:
            skipped.append(h)
    encoder = keras.Model(inputs, skipped + [h], name="encoder")

    code_in = [keras.Input((None, None, channels), name="image")]
    code_in += [
        keras.Input((None, None, filters), name=f"skip_{i}") for i in range(1, len(skipped))
    ]
    code_in += [keras.Input((None, None, filters), name="deepest")]
    h = code_in[-1]
    mirrors = code_in[1:-1]
    for layer in range(1, half + 1):
        last = layer == half
        # Mao et al. call these layers deconvolutions. With stride 1 a transposed 3x3
        # convolution is a 3x3 convolution with its kernel flipped, the same family of maps,
        # and TensorFlow runs Conv2D about twice as fast on the CPU, so Conv2D it is.
        h = keras.layers.Conv2D(
            channels if last else filters,
            3,
            padding="same",
            activation=None,
            dtype="float32" if last else None,
            name=f"deconv_{layer}",
        )(h)
        if not last:
            # Decoder layer j mirrors encoder layer half - j.
            if (half - layer) % skip_every == 0:
                h = keras.layers.Add(name=f"skip_add_{layer}")([h, mirrors.pop()])
            h = keras.layers.ReLU(name=f"relu_{layer}")(h)
    # The residual sum in float32: the image plus the estimated negative noise.
    output = keras.layers.Add(dtype="float32", name="residual")([code_in[0], h])
    decoder = keras.Model(code_in, output, name="decoder")
    return DenoisingAutoencoder(encoder, decoder, noise=_check_noise(noise), name=name)


#: The values the output-size helpers accept for ``padding``, Keras' two modes.
PADDINGS = ("valid", "same")


def conv_output_size(size, kernel_size, strides=1, padding="valid"):
    """The length, along one axis, of the output of a convolution (Keras' ``Conv1D/2D``).

    With ``"valid"`` padding the kernel must fit inside the input, so ``n`` inputs give
    ``floor((n - k) / s) + 1`` outputs; with ``"same"`` padding the input is padded with zeros
    so that there are ``ceil(n / s)`` outputs (``n`` for stride 1).

    Args:
        size: the input's length ``n`` along the axis, a positive integer.
        kernel_size: the kernel's length ``k`` along the axis.
        strides: the stride ``s``.
        padding: ``"valid"`` or ``"same"``.

    Returns:
        The output's length, an ``int``.

    Raises:
        ValueError: a size that is not a positive integer, an unknown ``padding``, or, with
            ``"valid"``, a kernel longer than the input; each names the parameter.

    Example:
        >>> conv_output_size(28, 3, strides=2, padding="same")
        14
        >>> conv_output_size(28, 3, strides=2, padding="valid")
        13
    """
    size = positive_int("size", size)
    kernel_size = positive_int("kernel_size", kernel_size)
    strides = positive_int("strides", strides)
    _padding(padding)
    if padding == "same":
        return -(-size // strides)
    if kernel_size > size:
        raise ValueError(
            f"kernel_size {kernel_size} is longer than the input (size {size}): with "
            "padding='valid' there is no output"
        )
    return (size - kernel_size) // strides + 1


def conv_transpose_output_size(size, kernel_size, strides=1, padding="valid"):
    """The length, along one axis, of the output of a transposed convolution (Keras'
    ``Conv1DTranspose/Conv2DTranspose``, without ``output_padding``).

    A transposed convolution of stride ``s`` places a copy of its kernel, scaled by each input
    value, every ``s`` output positions. With ``"valid"`` padding the output covers every copy:
    ``n s + max(k - s, 0)`` positions, that is ``(n - 1) s + k`` when ``k >= s``. With
    ``"same"`` padding it is cropped to ``n s``, the size of the input of a ``"same"``
    convolution of stride ``s`` with ``n`` outputs, whose adjoint it is.

    Args:
        size: the input's length ``n`` along the axis, a positive integer.
        kernel_size: the kernel's length ``k`` along the axis.
        strides: the stride ``s`` (the upsampling factor).
        padding: ``"valid"`` or ``"same"``.

    Returns:
        The output's length, an ``int``.

    Raises:
        ValueError: a size that is not a positive integer, or an unknown ``padding``.

    Example:
        >>> conv_transpose_output_size(7, 3, strides=2, padding="same")
        14
        >>> conv_transpose_output_size(7, 3, strides=2, padding="valid")
        15
    """
    size = positive_int("size", size)
    kernel_size = positive_int("kernel_size", kernel_size)
    strides = positive_int("strides", strides)
    _padding(padding)
    if padding == "same":
        return size * strides
    return size * strides + max(kernel_size - strides, 0)


def receptive_field(kernel_sizes, strides=1):
    """The receptive field of a stack of convolutions: how many input positions, along one
    axis, one output of the last layer depends on.

    Layer ``l`` has kernel ``k_l`` and stride ``s_l``; neighbouring outputs of layer ``l - 1``
    are ``s_1 ... s_{l-1}`` input positions apart, so layer ``l`` widens the field by
    ``(k_l - 1) s_1 ... s_{l-1}``:

        ``r = 1 + sum_l (k_l - 1) * prod_{j < l} s_j``.

    Padding does not change it (near the borders part of the field lies in the padding).

    Args:
        kernel_sizes: the kernel length of each layer, input side first (at least one).
        strides: one stride for every layer, or a list with one per layer.

    Returns:
        The receptive field ``r``, an ``int``.

    Raises:
        ValueError: an empty or non-integer ``kernel_sizes``, or ``strides`` of the wrong
            length or not positive integers; each names the parameter.

    Example:
        >>> receptive_field([3, 3])            # two 3x3 convolutions of stride 1: 5x5
        5
        >>> receptive_field([3, 3, 3], strides=2)
        15
    """
    kernel_sizes = _positive_ints("kernel_sizes", kernel_sizes, allow_empty=False)
    if isinstance(strides, numbers.Integral) and not isinstance(strides, bool):
        strides = [positive_int("strides", strides)] * len(kernel_sizes)
    else:
        strides = _positive_ints("strides", strides)
        if len(strides) != len(kernel_sizes):
            raise ValueError(
                f"strides lists {len(strides)} strides for {len(kernel_sizes)} kernel_sizes; "
                "give one stride for all layers or exactly one per layer"
            )
    field, jump = 1, 1
    for kernel, stride in zip(kernel_sizes, strides):
        field += (kernel - 1) * jump
        jump *= stride
    return field


def _padding(padding):
    if padding not in PADDINGS:
        raise ValueError(f"padding must be one of {list(PADDINGS)}, got {padding!r}")


def _conv(n, strides, activation, name):
    """A 3x3 convolution with "same" padding, the building block of both networks."""
    return keras.layers.Conv2D(
        n, 3, strides=strides, padding="same", activation=activation, name=name
    )


def _filters(filters):
    """``filters`` as a list of positive integers; one integer means one level."""
    if isinstance(filters, numbers.Integral) and not isinstance(filters, bool):
        filters = [filters]
    return _positive_ints("filters", filters, allow_empty=False)


def size_multiple(model):
    """The number that image sides must be a multiple of: the product of the strides of the
    encoder's convolutions (1 for `red_net`, 4 for a two-level `conv_denoising_autoencoder`)."""
    multiple = 1
    for layer in getattr(model, "encoder", model).layers:
        strides = getattr(layer, "strides", None)
        if strides is not None:
            multiple *= int(strides[0])
    return multiple


def denoise(image, model, sigma=None, batch_size=1):
    """Denoises one grey or colour picture with a trained denoiser.

    Args:
        image: a path to an image file (PNG, ...), read with Pillow, or an array ``(H, W)`` or
            ``(H, W, C)``: uint8 on [0, 255], or floats on [0, 1].
        model: a trained model from `red_net` or `conv_denoising_autoencoder` (any model whose
            ``reconstruct`` maps ``(1, H, W, C)`` images in [0, 1] to denoised ones); a path to
            such a model saved as ``.keras``; or a dict ``{sigma: model}`` of per-sigma models,
            of which the one whose sigma is nearest to ``sigma`` is used.
        sigma: the noise level on the [0, 255] scale; needed with a dict of models, and
            otherwise unused (a blind model estimates it).
        batch_size: passed to ``reconstruct``.

    Returns:
        The denoised picture, of the input's shape, as uint8 when the input was uint8 or a file,
        else as float32 on [0, 1].

    Raises:
        ValueError: an image that is not 2-d or 3-d, not finite, or a float image outside
            [0, 1]; a dict of models without ``sigma``.
        FileNotFoundError: a path that is not a file.

    Example:
        >>> import numpy as np
        >>> model = red_net(depth=2, filters=4)  # untrained: returns about its input
        >>> noisy = np.random.default_rng(0).integers(0, 256, (30, 20)).astype("uint8")
        >>> denoise(noisy, model).shape, denoise(noisy, model).dtype
        ((30, 20), dtype('uint8'))
    """
    pixels, as_uint8 = _read_image(image)
    model = _pick_model(model, sigma)
    squeeze = pixels.ndim == 2
    if squeeze:
        pixels = pixels[:, :, None]
    height, width = pixels.shape[:2]
    multiple = size_multiple(model)
    pad = ((0, (-height) % multiple), (0, (-width) % multiple), (0, 0))
    # Mirror padding so that the extra rows and columns look like the picture's border.
    padded = np.pad(pixels, pad, mode="symmetric")
    output = model.reconstruct(padded[None], batch_size=batch_size)[0, :height, :width]
    output = np.clip(np.asarray(output, dtype=np.float32), 0.0, 1.0)
    if squeeze:
        output = output[:, :, 0]
    if as_uint8:
        return np.round(output * 255.0).astype(np.uint8)
    return output


def _read_image(image):
    if isinstance(image, (str, Path)):
        path = Path(image).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"image: {path} is not a file")
        from PIL import Image

        with Image.open(path) as picture:
            mode = "L" if picture.mode in ("L", "I", "I;16", "1", "P", "LA") else "RGB"
            image = np.asarray(picture.convert(mode))
    array = np.asarray(image)
    if array.ndim not in (2, 3):
        raise ValueError(f"image must be (H, W) or (H, W, C), got shape {array.shape}")
    if array.dtype == np.uint8:
        return array.astype(np.float32) / 255.0, True
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(f"image must be uint8 or floating point, got dtype {array.dtype}")
    if not np.all(np.isfinite(array)):
        raise ValueError("image holds NaN or infinite values")
    if array.size and (array.min() < -1.5 or array.max() > 2.5):
        # A noisy float image strays outside [0, 1] (by 3.5 sigma = 0.7 at sigma 50 of 255);
        # far outside means it is on the [0, 255] scale.
        raise ValueError(
            f"a float image must be on the [0, 1] scale, got values in [{array.min():g}, "
            f"{array.max():g}]; divide by 255, or pass uint8"
        )
    return array.astype(np.float32), False


def _pick_model(model, sigma):
    if isinstance(model, (str, Path)):
        path = Path(model).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"model: {path} is not a saved .keras model")
        return keras.saving.load_model(path)
    if isinstance(model, Mapping):
        if not model:
            raise ValueError("model: the dict of per-sigma models is empty")
        if sigma is None:
            raise ValueError(f"sigma is needed to choose among per-sigma models {sorted(model)}")
        sigma = real("sigma", sigma)
        nearest = min(model, key=lambda s: abs(float(s) - sigma))
        return _pick_model(model[nearest], None)
    if not hasattr(model, "reconstruct"):
        raise ValueError(f"model must be a trained aelib denoiser or a path to one, got {model!r}")
    if sigma is not None:
        real("sigma", sigma)
    return model
