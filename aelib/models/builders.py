"""Builders for the encoder and decoder families of the book: dense (MLP) and convolutional.

Each builder returns a functional `keras.Model`, so it can be summarized, plotted, saved and
reused on its own (the encoder of a trained autoencoder is a feature extractor).

Conventions:

* ``hidden_units`` / ``filters`` list the layers in the order data flows through them, so a
  decoder that mirrors ``dense_encoder(..., [1000, 500, 250], 30)`` takes ``[250, 500, 1000]``.
* ``activation`` is one activation for every hidden layer, or a list with one per hidden layer.
* The code layer is linear by default (``code_activation="linear"``): a linear code layer is what
  makes a one-layer linear autoencoder span the PCA subspace, and it is the code layer of
  Hinton & Salakhutdinov's deep autoencoders.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence

import keras

from aelib._validation import boolean
from aelib._validation import positive_int as _positive_int

#: The values `conv_decoder` accepts for ``upsampling``.
UPSAMPLINGS = ("transpose", "nearest", "bilinear")


def dense_encoder(
    input_shape,
    hidden_units: Sequence[int],
    code_dim: int,
    activation="relu",
    code_activation="linear",
    use_bias=True,
    name="encoder",
    layer_prefix="dense",
    kernel_initializer="glorot_uniform",
):
    """A multilayer perceptron from inputs of any shape to a code vector.

    Args:
        input_shape: shape of one sample, e.g. ``(28, 28)`` or ``(784,)``; flattened first.
        hidden_units: widths of the hidden layers, input side first (may be empty).
        code_dim: width of the code layer.
        activation: activation of the hidden layers, one name or a list, one per hidden layer.
        code_activation: activation of the code layer; ``"linear"`` by default.
        use_bias: whether the layers have biases.
        name: name of the returned model.
        layer_prefix: hidden layers are named ``{layer_prefix}_1``, ``{layer_prefix}_2``, ...;
            the code layer is ``"code"``.
        kernel_initializer: initializer of every layer's weights, a Keras name or object
            (``"glorot_uniform"``, Keras' default; ``"he_normal"`` suits ReLU and ELU units).

    Returns:
        A `keras.Model` mapping ``(batch, *input_shape)`` to ``(batch, code_dim)``.

    Example:
        >>> encoder = dense_encoder((28, 28), [1000, 500, 250], code_dim=30)
        >>> encoder.output_shape
        (None, 30)
    """
    input_shape = _shape("input_shape", input_shape)
    hidden_units = _positive_ints("hidden_units", hidden_units)
    code_dim = _positive_int("code_dim", code_dim)
    activations = _per_layer("activation", activation, len(hidden_units))
    use_bias = boolean("use_bias", use_bias)
    layer_prefix = _name("layer_prefix", layer_prefix)
    _initializer("kernel_initializer", kernel_initializer)

    inputs = keras.Input(shape=input_shape, name="inputs")
    h = keras.layers.Flatten(name="flatten")(inputs) if len(input_shape) > 1 else inputs
    for i, (units, act) in enumerate(zip(hidden_units, activations), start=1):
        h = keras.layers.Dense(
            units,
            activation=act,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            name=f"{layer_prefix}_{i}",
        )(h)
    code = keras.layers.Dense(
        code_dim,
        activation=code_activation,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer,
        name="code",
    )(h)
    return keras.Model(inputs, code, name=name)


def dense_decoder(
    code_dim: int,
    hidden_units: Sequence[int],
    output_shape,
    activation="relu",
    output_activation="sigmoid",
    use_bias=True,
    name="decoder",
    layer_prefix="dense",
    kernel_initializer="glorot_uniform",
):
    """A multilayer perceptron from a code vector back to the data shape.

    Args:
        code_dim: width of the code.
        hidden_units: widths of the hidden layers, code side first (may be empty).
        output_shape: shape of one reconstructed sample, e.g. ``(28, 28)``.
        activation: activation of the hidden layers, one name or a list, one per hidden layer.
        output_activation: ``"sigmoid"`` for data in [0, 1] (default), ``"linear"`` otherwise.
        use_bias: whether the layers have biases.
        name: name of the returned model.
        layer_prefix: hidden layers are named ``{layer_prefix}_1``, ...; the last is
            ``"output"``.
        kernel_initializer: initializer of every layer's weights (see `dense_encoder`).

    Returns:
        A `keras.Model` mapping ``(batch, code_dim)`` to ``(batch, *output_shape)``.

    Example:
        >>> decoder = dense_decoder(30, [250, 500, 1000], output_shape=(28, 28))
        >>> decoder.output_shape
        (None, 28, 28)
    """
    code_dim = _positive_int("code_dim", code_dim)
    hidden_units = _positive_ints("hidden_units", hidden_units)
    output_shape = _shape("output_shape", output_shape)
    activations = _per_layer("activation", activation, len(hidden_units))
    use_bias = boolean("use_bias", use_bias)
    layer_prefix = _name("layer_prefix", layer_prefix)
    _initializer("kernel_initializer", kernel_initializer)

    code = keras.Input(shape=(code_dim,), name="code")
    h = code
    for i, (units, act) in enumerate(zip(hidden_units, activations), start=1):
        h = keras.layers.Dense(
            units,
            activation=act,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            name=f"{layer_prefix}_{i}",
        )(h)
    h = keras.layers.Dense(
        math.prod(output_shape),
        activation=output_activation,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer,
        name="output",
    )(h)
    if len(output_shape) > 1:
        h = keras.layers.Reshape(output_shape, name="reshape")(h)
    return keras.Model(code, h, name=name)


def conv_encoder(
    input_shape,
    filters: Sequence[int],
    code_dim: int | None = None,
    kernel_size=3,
    strides=2,
    activation="relu",
    code_activation="linear",
    name="encoder",
    code_channels: int | None = None,
):
    """A stack of strided convolutions, ending in a dense code vector or a spatial code.

    Three kinds of code:

    * ``code_dim`` given: the last feature map is flattened into a dense layer of
      ``code_dim`` units (named ``"code"``);
    * ``code_channels`` given: a stride-1 convolution to ``code_channels`` maps (named
      ``"code"``) gives a spatial code of ``(height / s, width / s, code_channels)`` numbers,
      ``s = strides ** len(filters)``;
    * neither: the last feature map itself is the code.

    Without a dense layer the encoder is fully convolutional: ``input_shape`` may leave height
    and width as ``None``, and one encoder then reads images of any size.

    Args:
        input_shape: ``(height, width, channels)``; a ``(height, width)`` shape gets one channel.
            Height and width may be ``None`` unless ``code_dim`` is given.
        filters: number of filters of each convolution, input side first (at least one).
        code_dim: width of a dense code layer after the convolutions.
        kernel_size: kernel size of every convolution.
        strides: stride of every convolution (2 halves the resolution at each layer).
        activation: activation of the convolutions, one name or one per layer.
        code_activation: activation of the code layer (when ``code_dim`` or ``code_channels`` is
            given).
        name: name of the returned model.
        code_channels: maps of a spatial code layer; not together with ``code_dim``.

    Returns:
        A `keras.Model`; its output is ``(batch, code_dim)``, the spatial code, or the last
        feature map.

    Example:
        >>> encoder = conv_encoder((28, 28, 1), [16, 32], code_dim=10)
        >>> encoder.output_shape
        (None, 10)
        >>> conv_encoder((None, None, 1), [16, 32], code_channels=2).output_shape
        (None, None, None, 2)
    """
    code_dim, code_channels = _code_kind(code_dim, code_channels)
    input_shape = _image_shape("input_shape", input_shape, any_size=code_dim is None)
    filters = _positive_ints("filters", filters, allow_empty=False)
    activations = _per_layer("activation", activation, len(filters))
    kernel_size = _positive_int("kernel_size", kernel_size)
    strides = _positive_int("strides", strides)

    inputs = keras.Input(shape=input_shape, name="inputs")
    h = inputs
    for i, (n, act) in enumerate(zip(filters, activations), start=1):
        h = keras.layers.Conv2D(
            n, kernel_size, strides=strides, padding="same", activation=act, name=f"conv_{i}"
        )(h)
    if code_dim is not None:
        h = keras.layers.Flatten(name="flatten")(h)
        h = keras.layers.Dense(code_dim, activation=code_activation, name="code")(h)
    elif code_channels is not None:
        h = keras.layers.Conv2D(
            code_channels, kernel_size, padding="same", activation=code_activation, name="code"
        )(h)
    return keras.Model(inputs, h, name=name)


def conv_decoder(
    output_shape,
    filters: Sequence[int],
    code_dim: int | None = None,
    kernel_size=3,
    strides=2,
    activation="relu",
    output_activation="sigmoid",
    name="decoder",
    upsampling="transpose",
    code_channels: int | None = None,
):
    """The mirror of `conv_encoder`: upsampling layers up to the data shape.

    Each layer multiplies the height and width by ``strides``, in one of two ways:

    * ``upsampling="transpose"`` (default): a transposed convolution of stride ``strides``
      (layers ``deconv_1``, ...). When ``kernel_size`` is not a multiple of ``strides``, the
      kernel's footprints overlap unevenly and even a constant input gives a periodic
      ("checkerboard") output (Odena, Dumoulin & Olah, 2016).
    * ``upsampling="nearest"`` or ``"bilinear"``: resize-then-convolve, an ``UpSampling2D`` of
      factor ``strides`` (``upsample_1``, ...) followed by a stride-1 convolution
      (``upconv_1``, ...). Every output pixel sees the same number of inputs, so a constant
      input gives a constant output away from the borders; the convolution runs at the higher
      resolution and costs ``strides ** 2`` times the multiply-adds of the transposed one.

    Args:
        output_shape: ``(height, width, channels)`` of a reconstruction; height and width must be
            divisible by ``strides ** len(filters)``, and may be ``None`` (any size) unless
            ``code_dim`` is given or ``upsampling="bilinear"``.
        filters: filters of each upsampling layer, code side first (at least one).
        code_dim: width of a dense code vector to start from, mapped by a dense layer to a
            ``(height / s, width / s, filters[0])`` map with ``s = strides ** len(filters)``.
        kernel_size: kernel size of every convolution.
        strides: upsampling factor of every layer.
        activation: activation of the upsampling layers, one name or one per layer.
        output_activation: activation of the final convolution to ``channels`` maps.
        name: name of the returned model.
        upsampling: ``"transpose"``, ``"nearest"`` or ``"bilinear"`` (see above).
        code_channels: maps of a spatial code to start from, ``(height / s, width / s,
            code_channels)``; not together with ``code_dim``. With neither, the spatial code
            has ``filters[0]`` maps.

    Returns:
        A `keras.Model` mapping codes to ``(batch, height, width, channels)``.

    Example:
        >>> decoder = conv_decoder((28, 28, 1), [32, 16], code_dim=10)
        >>> decoder.output_shape
        (None, 28, 28, 1)
        >>> resize = conv_decoder((28, 28, 1), [32, 16], code_dim=10, upsampling="nearest")
        >>> [layer.name for layer in resize.layers[3:5]]
        ['upsample_1', 'upconv_1']
        >>> conv_decoder((None, None, 1), [32, 16], code_channels=2).input_shape
        (None, None, None, 2)
    """
    code_dim, code_channels = _code_kind(code_dim, code_channels)
    height, width, channels = _image_shape("output_shape", output_shape, any_size=code_dim is None)
    filters = _positive_ints("filters", filters, allow_empty=False)
    activations = _per_layer("activation", activation, len(filters))
    kernel_size = _positive_int("kernel_size", kernel_size)
    strides = _positive_int("strides", strides)
    if upsampling not in UPSAMPLINGS:
        raise ValueError(f"upsampling must be one of {list(UPSAMPLINGS)}, got {upsampling!r}")
    if upsampling == "bilinear" and None in (height, width):
        # Keras' bilinear resize to a size known only at run time fails on TensorFlow.
        raise ValueError(
            "upsampling='bilinear' needs the height and width in output_shape, got "
            f"{(height, width, channels)!r}; use 'nearest' or 'transpose' for any size"
        )
    scale = strides ** len(filters)
    if any(side is not None and side % scale for side in (height, width)):
        raise ValueError(
            f"output_shape {height}x{width} must be divisible by strides ** len(filters) = {scale}"
        )
    start_sides = tuple(None if side is None else side // scale for side in (height, width))

    if code_dim is not None:
        start_shape = (*start_sides, filters[0])
        code = keras.Input(shape=(code_dim,), name="code")
        h = keras.layers.Dense(math.prod(start_shape), activation=activations[0], name="dense")(
            code
        )
        h = keras.layers.Reshape(start_shape, name="reshape")(h)
    else:
        code = keras.Input(shape=(*start_sides, code_channels or filters[0]), name="code")
        h = code
    for i, (n, act) in enumerate(zip(filters, activations), start=1):
        if upsampling == "transpose":
            h = keras.layers.Conv2DTranspose(
                n, kernel_size, strides=strides, padding="same", activation=act, name=f"deconv_{i}"
            )(h)
        else:
            resize = keras.layers.UpSampling2D(
                strides, interpolation=upsampling, name=f"upsample_{i}"
            )
            h = resize(h)
            h = keras.layers.Conv2D(
                n, kernel_size, padding="same", activation=act, name=f"upconv_{i}"
            )(h)
    h = keras.layers.Conv2D(
        channels, kernel_size, padding="same", activation=output_activation, name="output"
    )(h)
    return keras.Model(code, h, name=name)


# ---------------------------------------------------------------------- argument checks
def _is_size(value):
    """An integer >= 1, NumPy integers included, bools excluded."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= 1


def _positive_ints(parameter, values, allow_empty=True):
    if isinstance(values, (numbers.Integral, str)) or not isinstance(values, Sequence):
        raise ValueError(f"{parameter} must be a list of positive integers, got {values!r}")
    if not allow_empty and not values:
        raise ValueError(f"{parameter} must list at least one layer, got {values!r}")
    if not all(_is_size(v) for v in values):
        raise ValueError(f"{parameter} must be a list of positive integers, got {values!r}")
    return [int(v) for v in values]


def _shape(parameter, shape):
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, Sequence) or isinstance(shape, str):
        raise ValueError(
            f"{parameter} must be a tuple of positive integers such as (28, 28), got {shape!r}"
        )
    shape = tuple(shape)
    if not shape or not all(_is_size(d) for d in shape):
        raise ValueError(f"{parameter} must be a tuple of positive integers, got {shape!r}")
    return tuple(int(d) for d in shape)


def _name(parameter, value):
    if not isinstance(value, str) or not value.isidentifier():
        raise ValueError(f"{parameter} must be a name such as 'dense', got {value!r}")
    return value


def _image_shape(parameter, shape, any_size=False):
    """``(height, width, channels)``; with ``any_size``, height and width may be ``None``."""
    sides = None
    if isinstance(shape, Sequence) and not isinstance(shape, str) and len(shape) in (2, 3):
        sides = tuple(shape)[:2]
        if None in sides and not any_size:
            raise ValueError(
                f"{parameter} must give the height and width of the images when there is a "
                f"dense code (code_dim), got {tuple(shape)!r}"
            )
        shape = tuple(1 if i < 2 and side is None else side for i, side in enumerate(shape))
    shape = _shape(parameter, shape)
    if len(shape) == 2:
        shape = shape + (1,)
    if len(shape) != 3:
        raise ValueError(f"{parameter} must be (height, width[, channels]), got {shape!r}")
    if sides is not None:
        shape = tuple(None if side is None else shape[i] for i, side in enumerate(sides)) + (
            shape[2],
        )
    return shape


def _code_kind(code_dim, code_channels):
    """``code_dim`` and ``code_channels`` checked: each ``None`` or a size, not both."""
    if code_dim is not None:
        code_dim = _positive_int("code_dim", code_dim)
    if code_channels is not None:
        code_channels = _positive_int("code_channels", code_channels)
    if code_dim is not None and code_channels is not None:
        raise ValueError(
            "code_channels (a spatial code) and code_dim (a dense code) exclude each other; "
            f"got code_dim={code_dim!r} and code_channels={code_channels!r}"
        )
    return code_dim, code_channels


def _initializer(parameter, value):
    """Checks that Keras knows the initializer ``value`` (a name, a config or an object)."""
    # Creating an unseeded initializer draws its seed from Python's generator, which also seeds
    # the layers' initializers: a check must not shift the weights a seeded model starts from.
    state = random.getstate()
    try:
        known = keras.initializers.get(value) is not None
    except (ValueError, TypeError):
        known = False
    finally:
        random.setstate(state)
    if not known:
        raise ValueError(
            f"{parameter} must be a Keras initializer (a name such as 'glorot_uniform' or "
            f"'he_normal', or an initializer object), got {value!r}"
        )


def _per_layer(parameter, value, n_layers):
    if isinstance(value, (list, tuple)):
        if len(value) != n_layers:
            raise ValueError(
                f"{parameter} lists {len(value)} activations for {n_layers} layers; "
                "give one name for all layers or exactly one per layer"
            )
        return list(value)
    return [value] * n_layers
