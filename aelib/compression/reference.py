"""NumPy versions of the factorized-prior model's transforms and density, layer by layer.

They serve twice. The tests compare the Keras layers of `aelib.models.factorized_prior` with
them, so they are the reference the layers are checked against. And the codec runs on them:
`aelib.compression.LearnedCodec` encodes and decodes with these functions, never with the
Keras backend, so a file decodes to the same pixels under TensorFlow, JAX or no Keras at all
(two backends' convolutions differ in their last bits, and after rounding to 8-bit pixels a
last bit now and then changes a pixel).

Conventions are Keras's, channels last: a `Conv2D` kernel is ``(5, 5, in, out)``, a
`Conv2DTranspose` kernel ``(5, 5, out, in)``, and ``"same"`` padding with stride 2 pads one
row and column before and two after (the total ``5 - 2 = 3``, the smaller half first), so a
strided convolution maps ``2n`` samples to ``n`` and the transposed one ``n`` to ``2n``.
Every function computes in the dtype of its input (float32 in the codec).
"""

from __future__ import annotations

import numpy as np

_KERNEL = 5
_STRIDE = 2
_PAD_BEFORE = 1  # "same", stride 2, kernel 5: (5 - 2) // 2 before, the rest after


def conv2d(x, kernel, bias):
    """A 5x5 convolution of stride 2, ``"same"`` padding, as `keras.layers.Conv2D`.

    Args:
        x: ``(height, width, in)`` with even sides.
        kernel: ``(5, 5, in, out)``.
        bias: ``(out,)``.

    Returns:
        ``(height / 2, width / 2, out)``: ``out[i, j] = bias + sum_{a, b} x[2i + a - 1,
        2j + b - 1] @ kernel[a, b]``, with zeros outside ``x``.

    Example:
        >>> x = np.arange(16.0).reshape(4, 4, 1)
        >>> kernel = np.zeros((5, 5, 1, 1)); kernel[1, 1] = 1.0  # picks x[2i, 2j]
        >>> conv2d(x, kernel, np.zeros(1))[..., 0]
        array([[ 0.,  2.],
               [ 8., 10.]])
    """
    height, width, _ = x.shape
    rows, cols = height // _STRIDE, width // _STRIDE
    padded = np.zeros((height + _KERNEL - _STRIDE, width + _KERNEL - _STRIDE, x.shape[2]), x.dtype)
    padded[_PAD_BEFORE : _PAD_BEFORE + height, _PAD_BEFORE : _PAD_BEFORE + width] = x
    out = np.zeros((rows, cols, kernel.shape[3]), x.dtype)
    for a in range(_KERNEL):
        for b in range(_KERNEL):
            taps = padded[a : a + _STRIDE * rows : _STRIDE, b : b + _STRIDE * cols : _STRIDE]
            out += taps @ kernel[a, b].astype(x.dtype)
    return out + bias.astype(x.dtype)


def conv2d_transpose(x, kernel, bias):
    """A 5x5 transposed convolution of stride 2, ``"same"`` padding, as `Conv2DTranspose`.

    Args:
        x: ``(height, width, in)``.
        kernel: ``(5, 5, out, in)``.
        bias: ``(out,)``.

    Returns:
        ``(2 height, 2 width, out)``: each input position ``(i, j)`` adds
        ``kernel[a, b] @ x[i, j]`` to the output position ``(2i + a - 1, 2j + b - 1)``: the
        adjoint of `conv2d`.

    Example:
        >>> x = np.ones((1, 1, 1))
        >>> kernel = np.arange(25.0).reshape(5, 5, 1, 1)
        >>> conv2d_transpose(x, kernel, np.zeros(1))[..., 0]  # kernel[1:3, 1:3]
        array([[ 6.,  7.],
               [11., 12.]])
    """
    height, width, _ = x.shape
    buffer = np.zeros(
        (
            _STRIDE * height + _KERNEL - _STRIDE,
            _STRIDE * width + _KERNEL - _STRIDE,
            kernel.shape[2],
        ),
        x.dtype,
    )
    for a in range(_KERNEL):
        for b in range(_KERNEL):
            buffer[a : a + _STRIDE * height : _STRIDE, b : b + _STRIDE * width : _STRIDE] += (
                x @ kernel[a, b].T.astype(x.dtype)
            )
    out = buffer[
        _PAD_BEFORE : _PAD_BEFORE + _STRIDE * height, _PAD_BEFORE : _PAD_BEFORE + _STRIDE * width
    ]
    return out + bias.astype(x.dtype)


def gdn(x, beta_root, gamma_root, inverse=False, beta_min=1e-6):
    """GDN (or with ``inverse=True`` inverse GDN) from its square-root parameters, as `GDN`.

    ``norm_i = beta_i + sum_j gamma_ij x_j**2`` with ``beta = beta_root**2 + beta_min`` and
    ``gamma = gamma_root**2``; returns ``x / sqrt(norm)`` (or ``x * sqrt(norm)``).

    Example:
        >>> x = np.array([[[3.0, -2.0]]])
        >>> gdn(x, np.ones(2), np.sqrt(0.1) * np.eye(2), beta_min=0.0)
        array([[[ 2.17642875, -1.69030851]]])
    """
    dtype = x.dtype
    beta = np.square(beta_root.astype(dtype)) + dtype.type(beta_min)
    gamma = np.square(gamma_root.astype(dtype))
    norm = np.square(x) @ gamma.T + beta
    return x * np.sqrt(norm) if inverse else x / np.sqrt(norm)


def analysis(image, weights):
    """``g_a`` of one image ``(height, width, 3)`` in [0, 1], sides multiples of 16.

    ``weights`` maps the Keras variable paths below ``analysis/`` (``"conv_0/kernel"``,
    ``"gdn_0/beta_root"``, ...) to arrays, as `aelib.compression.LearnedCodec` keeps them.
    """
    x = image
    for i in range(3):
        x = conv2d(x, weights[f"conv_{i}/kernel"], weights[f"conv_{i}/bias"])
        x = gdn(x, weights[f"gdn_{i}/beta_root"], weights[f"gdn_{i}/gamma_root"])
    return conv2d(x, weights["conv_3/kernel"], weights["conv_3/bias"])


def synthesis(latent, weights):
    """``g_s`` of one latent ``(height / 16, width / 16, M)``, the inverse of `analysis`."""
    x = latent
    for i in range(3):
        x = conv2d_transpose(x, weights[f"deconv_{i}/kernel"], weights[f"deconv_{i}/bias"])
        x = gdn(x, weights[f"igdn_{i}/beta_root"], weights[f"igdn_{i}/gamma_root"], inverse=True)
    return conv2d_transpose(x, weights["deconv_3/kernel"], weights["deconv_3/bias"])


def _softplus(x):
    return np.logaddexp(0.0, x)


def logits_cumulative(values, matrices, biases, factors):
    """Each channel's cumulative logit at ``values`` ``(channels, n)``, in float64.

    The density of `aelib.models.factorized_prior.EntropyBottleneck`: ``matrices[k]``
    ``(channels, d_{k+1}, d_k)``, ``biases[k]`` ``(channels, d_{k+1}, 1)`` and ``factors[k]``
    ``(channels, d_{k+1}, 1)``, one fewer factor than matrices.
    """
    logits = np.asarray(values, np.float64)[:, None, :]
    for k, (matrix, bias) in enumerate(zip(matrices, biases)):
        logits = _softplus(np.asarray(matrix, np.float64)) @ logits + np.asarray(bias, np.float64)
        if k < len(factors):
            logits = logits + np.tanh(np.asarray(factors[k], np.float64)) * np.tanh(logits)
    return logits[:, 0, :]


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def interval_probabilities(values, matrices, biases, factors):
    """``P(v) = c(v + 1/2) - c(v - 1/2)`` per channel and value ``(channels, n)``, float64.

    As the Keras layer, the difference is taken in the tail where both logits lie (survival
    functions above the median), which keeps it accurate far out; no lower bound is applied.
    """
    values = np.asarray(values, np.float64)
    lower = logits_cumulative(values - 0.5, matrices, biases, factors)
    upper = logits_cumulative(values + 0.5, matrices, biases, factors)
    sign = -np.sign(lower + upper)
    return np.abs(_sigmoid(sign * upper) - _sigmoid(sign * lower))
