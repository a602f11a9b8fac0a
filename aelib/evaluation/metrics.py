"""Evaluation metrics on NumPy arrays: the numbers the book and the studies report.

These run after training, on arrays, in float64, so a reported number does not depend on the
backend or on float32 summation order. Losses used for training live in `aelib.models.autoencoder`.
"""

from __future__ import annotations

import numpy as np


def average_squared_error(images, reconstructions, value_range=(0.0, 1.0)):
    """Hinton & Salakhutdinov's (2006) "average squared error per image".

    The squared error is summed over the pixels of an image and averaged over the images. The
    images must have pixel values in ``value_range``, [0, 1] by default (the paper's MNIST and
    curves); reconstructions are taken as they are. On MNIST it is 784 times the per-pixel mean
    squared error.

    Args:
        images: array ``(n_images, ...)`` with values in ``value_range``.
        reconstructions: array of the same shape.
        value_range: ``(low, high)`` the images must lie in, which catches uint8 images passed
            by mistake; ``None`` for data on another scale (e.g. the standardized faces).

    Returns:
        A Python float.

    Example:
        >>> average_squared_error(np.zeros((2, 4)), np.full((2, 4), 0.5))
        1.0
    """
    x, x_hat = _pair(images, reconstructions)
    # Only the data are checked: a linear method (PCA) may reconstruct outside [0, 1], and the
    # paper's PCA numbers count those errors as they are.
    if value_range is not None and (x.min() < value_range[0] or x.max() > value_range[1]):
        raise ValueError(
            f"images must have pixel values in value_range={list(value_range)}, got range "
            f"[{x.min():.4g}, {x.max():.4g}]; divide uint8 images by 255, or pass "
            "value_range=None for data on another scale"
        )
    per_image = np.square(x - x_hat).reshape(len(x), -1).sum(axis=1)
    return float(per_image.mean())


def psnr(images, reconstructions, data_range=1.0, reduce=True):
    """Peak signal-to-noise ratio in dB, computed per image.

    ``PSNR = 10 log10(data_range**2 / MSE)`` with the MSE of each image over its pixels. An exact
    reconstruction has infinite PSNR.

    Args:
        images: array ``(n_images, ...)``.
        reconstructions: array of the same shape.
        data_range: the peak value, 1.0 for images in [0, 1], 255 for uint8 images.
        reduce: return the mean over images (default) or the array of per-image values.

    Returns:
        A float (mean of the per-image PSNRs) or an array ``(n_images,)``.

    Example:
        >>> round(psnr(np.zeros((1, 4)), np.full((1, 4), 0.1)), 6)
        20.0
    """
    if isinstance(data_range, bool) or not isinstance(data_range, (int, float, np.number)) or data_range <= 0:
        raise ValueError(f"data_range must be a positive number, got {data_range!r}")
    x, x_hat = _pair(images, reconstructions)
    mse = np.square(x - x_hat).reshape(len(x), -1).mean(axis=1)
    with np.errstate(divide="ignore"):
        values = 10.0 * np.log10(float(data_range) ** 2 / mse)
    return float(values.mean()) if reduce else values


def _pair(images, reconstructions):
    x = np.asarray(images, dtype=np.float64)
    x_hat = np.asarray(reconstructions, dtype=np.float64)
    if x.shape != x_hat.shape:
        raise ValueError(
            f"images and reconstructions must have the same shape, got {x.shape} and {x_hat.shape}"
        )
    if x.ndim < 1 or len(x) == 0:
        raise ValueError(f"images must be a non-empty batch (n_images, ...), got shape {x.shape}")
    return x, x_hat
