"""Evaluation metrics on NumPy arrays: the numbers the book and the studies report.

These run after training, on arrays, in float64, so a reported number does not depend on the
backend or on float32 summation order. Losses used for training live in `aelib.models.autoencoder`.

Image metrics (`average_squared_error`, `psnr`, `ssim`, `ms_ssim`) take the images and their
reconstructions either as arrays ``(n_images, ...)`` (the first axis counts the images) or as
lists (or tuples) of images, which may differ in size (Kodak, BSD68 and Set12 mix orientations and
sizes). Each metric is computed per image, then averaged over the images. `ssim` and `ms_ssim`
read an image as ``(height, width)`` (grayscale) or ``(height, width, channels)`` (channels last,
as Keras has them).

`auroc` scores a detector; `bits_per_pixel` the size of a compressed image; `frechet_distance`
compares two sets of feature vectors (sample quality, as in the FID of Heusel et al., 2017).
"""

from __future__ import annotations

import math
import numbers
import os

import numpy as np

__all__ = [
    "MS_SSIM_WEIGHTS",
    "SSIM_K1",
    "SSIM_K2",
    "SSIM_SIGMA",
    "SSIM_WINDOW",
    "auroc",
    "average_squared_error",
    "bits_per_pixel",
    "frechet_distance",
    "ms_ssim",
    "psnr",
    "ssim",
]

#: Side of the Gaussian window of SSIM, in pixels (Wang et al. 2004).
SSIM_WINDOW = 11
#: Standard deviation of the Gaussian window of SSIM, in pixels.
SSIM_SIGMA = 1.5
#: Stabilizing constants of SSIM: ``C1 = (K1 L)**2``, ``C2 = (K2 L)**2`` with ``L = data_range``.
SSIM_K1 = 0.01
SSIM_K2 = 0.03
#: Exponents of the five scales of MS-SSIM, finest first (Wang, Simoncelli & Bovik 2003).
MS_SSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
# The smallest image side MS-SSIM accepts: after four 2x2 downsamplings (each dropping an odd last
# row or column) the fifth scale must still hold one 11x11 window, i.e. side // 16 >= 11.
_MS_SSIM_MIN_SIDE = SSIM_WINDOW * 2 ** (len(MS_SSIM_WEIGHTS) - 1)
# Images per chunk are chosen so that one float64 temporary stays near 16 MiB.
_CHUNK_ELEMENTS = 2**21


# ---------------------------------------------------------------------------------------------
# Reconstruction metrics
# ---------------------------------------------------------------------------------------------
def average_squared_error(images, reconstructions, value_range=(0.0, 1.0)):
    """Hinton & Salakhutdinov's (2006) "average squared error per image".

    The squared error is summed over the pixels of an image and averaged over the images. The
    images must have pixel values in ``value_range``, [0, 1] by default (the paper's MNIST and
    curves); reconstructions are taken as they are. On MNIST it is 784 times the per-pixel mean
    squared error. With a list of images of different sizes, each image contributes the sum over
    its own pixels.

    Args:
        images: array ``(n_images, ...)`` with values in ``value_range``, or a list of images.
        reconstructions: array of the same shape, or a list of images of the same shapes.
        value_range: ``(low, high)`` the images must lie in, which catches uint8 images passed
            by mistake; ``None`` for data on another scale (e.g. the standardized faces).

    Returns:
        A Python float.

    Raises:
        ValueError: if the input is empty or not finite, an image and its reconstruction differ
            in shape (the index is named), the images leave ``value_range``, or ``value_range``
            is not ``None`` or an increasing pair of finite numbers.

    Example:
        >>> average_squared_error(np.zeros((2, 4)), np.full((2, 4), 0.5))
        1.0
        >>> average_squared_error([np.zeros((2, 2)), np.zeros((3, 3))],
        ...                       [np.full((2, 2), 0.5), np.zeros((3, 3))])
        0.5
    """
    value_range = _value_range(value_range)
    batches = _image_batches(images, reconstructions)
    if value_range is not None:
        low = min(float(x.min()) for x, _ in batches)
        high = max(float(x.max()) for x, _ in batches)
        # Only the data are checked: a linear method (PCA) may reconstruct outside [0, 1], and the
        # paper's PCA numbers count those errors as they are.
        if low < value_range[0] or high > value_range[1]:
            raise ValueError(
                f"images must have pixel values in value_range={list(value_range)}, got range "
                f"[{low:.4g}, {high:.4g}]; divide uint8 images by 255, or pass "
                "value_range=None for data on another scale"
            )
    per_image = np.concatenate(
        [np.square(x - x_hat).reshape(len(x), -1).sum(axis=1) for x, x_hat in batches]
    )
    return float(per_image.mean())


def psnr(images, reconstructions, data_range=1.0, reduce=True):
    """Peak signal-to-noise ratio in dB, computed per image.

    ``PSNR = 10 log10(data_range**2 / MSE)`` with the MSE of each image over its pixels. An exact
    reconstruction has infinite PSNR. The reported value is the mean of the per-image PSNRs (not
    the PSNR of the mean MSE), also for a list of images of different sizes.

    Args:
        images: array ``(n_images, ...)``, or a list of images (sizes may differ).
        reconstructions: array of the same shape, or a list of images of the same shapes.
        data_range: the peak value, 1.0 for images in [0, 1], 255 for uint8 images.
        reduce: return the mean over images (default) or the array of per-image values.

    Returns:
        A float (mean of the per-image PSNRs) or a float64 array ``(n_images,)``.

    Raises:
        ValueError: if the input is empty or not finite, an image and its reconstruction differ
            in shape (the index is named), or ``data_range`` is not a positive finite number.

    Example:
        >>> round(psnr(np.zeros((1, 4)), np.full((1, 4), 0.1)), 6)
        20.0
        >>> # MSE 0.01 (20 dB) on a 2x2 image and 1e-4 (40 dB) on a 3x3 one: the mean is 30 dB.
        >>> round(psnr([np.zeros((2, 2)), np.zeros((3, 3))],
        ...            [np.full((2, 2), 0.1), np.full((3, 3), 0.01)]), 6)
        30.0
    """
    peak = _data_range(data_range)
    values = np.concatenate(
        [_psnr_batch(x, x_hat, peak) for x, x_hat in _image_batches(images, reconstructions)]
    )
    return float(values.mean()) if reduce else values


def _psnr_batch(x, x_hat, peak):
    mse = np.square(x - x_hat).reshape(len(x), -1).mean(axis=1)
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(peak**2 / mse)


# ---------------------------------------------------------------------------------------------
# SSIM and MS-SSIM
# ---------------------------------------------------------------------------------------------
def ssim(images, reconstructions, data_range=1.0, reduce=True):
    """Structural similarity index (Wang, Bovik, Sheikh & Simoncelli 2004), per image.

    The local statistics are weighted by an 11x11 Gaussian window of standard deviation 1.5
    pixels (normalized to sum 1), with ``K1 = 0.01``, ``K2 = 0.03``, ``C1 = (K1 L)**2`` and
    ``C2 = (K2 L)**2`` for ``L = data_range``:

        SSIM(x, y) = (2 mu_x mu_y + C1) (2 sigma_xy + C2)
                     / ((mu_x**2 + mu_y**2 + C1) (sigma_x**2 + sigma_y**2 + C2))

    Conventions, which change the last digits between implementations:

    * **valid windows**: the map is computed only where the window lies wholly inside the image
      (no padding), a ``(height - 10, width - 10)`` map, whose mean is the image's SSIM; this is
      ``filter2(window, img, 'valid')`` of the authors' MATLAB code, and agrees with
      ``skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
      use_sample_covariance=False)``, which crops the same border;
    * the variances and covariance are the window-weighted (population) moments;
    * no automatic downsampling of large images (the MATLAB code downsamples images larger than
      about 256 pixels first; do it yourself for that convention);
    * colour images ``(height, width, channels)``: the mean of the per-channel SSIMs.

    Args:
        images: array ``(n_images, height, width)`` or ``(n_images, height, width, channels)``,
            or a list of images ``(height, width[, channels])`` whose sizes may differ.
        reconstructions: the same layout and shapes as ``images``.
        data_range: ``L``, the dynamic range of the pixel values: 1.0 for images in [0, 1],
            255 for uint8 images.
        reduce: return the mean over images (default) or the array of per-image values.

    Returns:
        A float (the mean of the per-image SSIMs) or a float64 array ``(n_images,)``. 1 means
        identical images; the value lies in [-1, 1].

    Raises:
        ValueError: if the input is empty or not finite, an image and its reconstruction differ
            in shape (the index is named), an image is not 2-D or 3-D or smaller than 11x11, or
            ``data_range`` is not a positive finite number.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((2, 16, 16))
        >>> ssim(x, x)
        1.0
        >>> # Two constant images: only the luminance term is left, (2ab + C1) / (a^2 + b^2 + C1).
        >>> a, b, c1 = 0.2, 0.6, (0.01 * 1.0) ** 2
        >>> bool(np.isclose(ssim(np.full((1, 11, 11), a), np.full((1, 11, 11), b)),
        ...                 (2 * a * b + c1) / (a**2 + b**2 + c1)))
        True
    """
    peak = _data_range(data_range)
    values = np.concatenate(
        [
            _ssim_batch(x, x_hat, peak)
            for x, x_hat in _image_batches(
                images, reconstructions, spatial="ssim", min_side=SSIM_WINDOW
            )
        ]
    )
    return float(values.mean()) if reduce else values


def ms_ssim(images, reconstructions, data_range=1.0, reduce=True):
    """Multi-scale SSIM (Wang, Simoncelli & Bovik 2003), per image.

    Five scales: the image itself and four 2x2 average-pooled copies (stride 2; an odd last row
    or column is dropped). With ``cs_j`` the mean contrast-structure term of `ssim` at scale
    ``j`` and ``ssim_5`` the mean SSIM map at the coarsest scale,

        MS-SSIM = ssim_5 ** w_5 * prod_{j=1..4} cs_j ** w_j,

    weights ``w = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)``, finest first; this is the authors'
    MATLAB ``msssim.m`` with average pooling for its filter-and-subsample step. Each factor is
    clipped at 0 before the power (as in ``tf.image.ssim_multiscale``), so that a negative
    correlation gives 0 rather than NaN. Colour images: MS-SSIM per channel, then the mean over
    channels. The window, constants and valid-window convention are those of `ssim`.

    Args:
        images: array ``(n_images, height, width[, channels])`` or a list of images
            ``(height, width[, channels])``, each at least 176x176 pixels.
        reconstructions: the same layout and shapes as ``images``.
        data_range: the dynamic range of the pixel values (1.0 for [0, 1], 255 for uint8).
        reduce: return the mean over images (default) or the array of per-image values.

    Returns:
        A float (mean of the per-image values) or a float64 array ``(n_images,)``, in [0, 1].

    Raises:
        ValueError: as `ssim`, and if an image is smaller than 176x176 pixels, the smallest size
            that keeps one 11x11 window at the fifth scale.

    Example:
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((1, 176, 176))
        >>> round(ms_ssim(x, x), 12)
        1.0
        >>> bool(ms_ssim(x, np.clip(x + 0.1 * rng.normal(size=x.shape), 0, 1)) < 1)
        True
    """
    peak = _data_range(data_range)
    values = np.concatenate(
        [
            _ms_ssim_batch(x, x_hat, peak)
            for x, x_hat in _image_batches(
                images, reconstructions, spatial="ms_ssim", min_side=_MS_SSIM_MIN_SIDE
            )
        ]
    )
    return float(values.mean()) if reduce else values


def _gaussian_window():
    radius = SSIM_WINDOW // 2
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    g = np.exp(-(offsets**2) / (2.0 * SSIM_SIGMA**2))
    return g / g.sum()


_GAUSSIAN = _gaussian_window()


def _filter_valid(a):
    """Gaussian-weighted local means of ``a`` ``(n, H, W, C)`` over valid windows: the 2-D
    window is the outer product of the 1-D one, so it is applied along H, then along W."""
    g = _GAUSSIAN
    k = len(g)
    h = a.shape[1] - k + 1
    rows = g[0] * a[:, 0:h]
    for i in range(1, k):
        rows += g[i] * a[:, i : i + h]
    w = a.shape[2] - k + 1
    out = g[0] * rows[:, :, 0:w]
    for i in range(1, k):
        out += g[i] * rows[:, :, i : i + w]
    return out


def _ssim_maps(x, y, peak):
    """Luminance and contrast-structure maps of batches ``(n, H, W, C)``."""
    c1 = (SSIM_K1 * peak) ** 2
    c2 = (SSIM_K2 * peak) ** 2
    mu_x = _filter_valid(x)
    mu_y = _filter_valid(y)
    var_x = _filter_valid(x * x) - mu_x**2
    var_y = _filter_valid(y * y) - mu_y**2
    cov = _filter_valid(x * y) - mu_x * mu_y
    luminance = (2.0 * mu_x * mu_y + c1) / (mu_x**2 + mu_y**2 + c1)
    contrast_structure = (2.0 * cov + c2) / (var_x + var_y + c2)
    return luminance, contrast_structure


def _chunks(x, y):
    per_image = max(1, x[0].size)
    step = max(1, _CHUNK_ELEMENTS // per_image)
    for start in range(0, len(x), step):
        yield x[start : start + step], y[start : start + step]


def _ssim_batch(x, y, peak):
    out = []
    for xs, ys in _chunks(x, y):
        luminance, contrast_structure = _ssim_maps(xs, ys, peak)
        out.append((luminance * contrast_structure).mean(axis=(1, 2, 3)))
    return np.concatenate(out)


def _pool(a):
    h, w = a.shape[1] // 2, a.shape[2] // 2
    a = a[:, : 2 * h, : 2 * w]
    return a.reshape(a.shape[0], h, 2, w, 2, a.shape[3]).mean(axis=(2, 4))


def _ms_ssim_batch(x, y, peak):
    out = []
    for xs, ys in _chunks(x, y):
        per_channel = np.ones((xs.shape[0], xs.shape[3]))
        last = len(MS_SSIM_WEIGHTS) - 1
        for scale, weight in enumerate(MS_SSIM_WEIGHTS):
            luminance, contrast_structure = _ssim_maps(xs, ys, peak)
            if scale < last:
                term = contrast_structure.mean(axis=(1, 2))
                xs, ys = _pool(xs), _pool(ys)
            else:
                term = (luminance * contrast_structure).mean(axis=(1, 2))
            per_channel *= np.maximum(term, 0.0) ** weight
        out.append(per_channel.mean(axis=1))
    return np.concatenate(out)


# ---------------------------------------------------------------------------------------------
# Detection and compression
# ---------------------------------------------------------------------------------------------
def auroc(labels, scores):
    """Area under the ROC curve, with scikit-learn's convention: ``roc_auc_score(y_true, y_score)``.

    The probability that a randomly drawn positive (label 1) has a higher score than a randomly
    drawn negative (label 0), ties counted half (the Mann-Whitney statistic); it equals
    `sklearn.metrics.roc_auc_score(labels, scores)`. Higher scores must mean "more positive".
    For anomaly detection with label 1 = anomalous and ``score_samples`` (higher = more normal),
    pass ``-score_samples(x)``, as `aelib.evaluation.evaluate` does.

    Args:
        labels: 1-D array of 0 (negative) and 1 (positive); bools are accepted.
        scores: 1-D array of finite scores, one per label.

    Returns:
        A Python float in [0, 1]: 1 when every positive scores above every negative, 0.5 for
        scores that say nothing.

    Raises:
        ValueError: if the inputs are empty, not 1-D, of different lengths, or not finite,
            ``labels`` holds a value other than 0 and 1, or only one class is present.

    Example:
        >>> # Pairs (positive, negative): (0.8, 0.1) and (0.8, 0.4) are won, (0.4, 0.4) is a tie.
        >>> auroc([0, 0, 1, 1], [0.1, 0.4, 0.4, 0.8])
        0.875
    """
    y = _labels(labels)
    s = _finite_vector("scores", scores)
    if len(s) != len(y):
        raise ValueError(f"labels and scores must have the same length, got {len(y)} and {len(s)}")
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError(
            "labels must contain both classes (0 and 1) for an AUROC, got only "
            f"{'0' if n_pos == 0 else '1'}"
        )
    # Mid-ranks: tied scores share the mean of the ranks they span, which counts ties half.
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    mid_ranks = ends - (counts - 1) / 2.0
    rank_sum = mid_ranks[inverse][y].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def frechet_distance(features_a, features_b):
    """The Fréchet distance between Gaussians fitted to two sets of feature vectors.

    ``d^2 = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2))``, the squared 2-Wasserstein
    distance between ``N(mu_a, S_a)`` and ``N(mu_b, S_b)``, with the sample means and
    covariances (``n - 1`` in the denominator) of the two sets. Computed in the Inception
    network's features it is the FID of Heusel et al. (2017); any fixed feature map (a small
    classifier's penultimate layer, say) gives a distance of the same form, comparable only
    between sets scored with the same features. The trace of the square root is the sum of the
    square roots of the eigenvalues of ``S_a^(1/2) S_b S_a^(1/2)``, a symmetric matrix, so no
    complex parts appear.

    Args:
        features_a: array ``(n_a, d)`` of feature vectors, ``n_a >= 2``.
        features_b: array ``(n_b, d)``, the same ``d``.

    Returns:
        A Python float, ``d^2`` (not its square root, as FID is reported), ``>= 0``.

    Example:
        >>> # One feature: (mu_a - mu_b)^2 + (sigma_a - sigma_b)^2; means 1 and 2, sample
        >>> # variances 2 and 8: 1 + (2 ** 0.5 - 8 ** 0.5) ** 2 = 1 + 2.
        >>> round(frechet_distance([[0.0], [2.0]], [[0.0], [4.0]]), 12)
        3.0
    """
    a = _feature_matrix("features_a", features_a)
    b = _feature_matrix("features_b", features_b)
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"features_a and features_b must have the same number of features, got "
            f"{a.shape[1]} and {b.shape[1]}"
        )
    cov_a = np.atleast_2d(np.cov(a, rowvar=False))
    cov_b = np.atleast_2d(np.cov(b, rowvar=False))
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0.0, None)).sum()
    mean_term = float(np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2))
    distance = mean_term + float(np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_root)
    # Rounding can leave a tiny negative number for two identical sets.
    return max(distance, 0.0)


def _feature_matrix(name, value):
    array = _float_array(name, value)
    if array.ndim != 2 or len(array) < 2:
        raise ValueError(
            f"{name} must be an array (n_samples, n_features) with at least 2 samples, got "
            f"shape {array.shape}"
        )
    _check_finite(name, array)
    return array


def bits_per_pixel(data, image_or_shape):
    """Size of a compressed image in bits per pixel: ``8 * n_bytes / (height * width)``.

    Pixels are counted per position, not per channel: an RGB image of 768x512 pixels stored in
    49,152 bytes is at 1.0 bpp (the convention of image-compression papers, e.g. on Kodak).

    Args:
        data: the compressed image: ``bytes``, ``bytearray`` or ``memoryview``, or the path of
            a file (``str`` or ``os.PathLike``), whose size on disk is used.
        image_or_shape: the decoded image, an array ``(height, width)`` or
            ``(height, width, channels)`` (anything `numpy.asarray` reads, such as a PIL image),
            or its shape as a tuple or list of two or three positive integers.

    Returns:
        A Python float.

    Raises:
        TypeError: if ``data`` is neither bytes nor a path.
        ValueError: if ``data`` is empty or ``image_or_shape`` is not a 2-D or 3-D image or
            shape with positive sides.
        FileNotFoundError: if ``data`` is a path that does not exist.

    Example:
        >>> bits_per_pixel(bytes(49_152), (512, 768, 3))
        1.0
        >>> bits_per_pixel(b"\\x00" * 8, np.zeros((4, 4)))
        4.0
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        n_bytes = memoryview(data).nbytes
    elif isinstance(data, (str, os.PathLike)):
        if not os.path.isfile(data):
            raise FileNotFoundError(f"data: no such file {os.fspath(data)!r}")
        n_bytes = os.path.getsize(data)
    else:
        raise TypeError(
            f"data must be bytes, bytearray, memoryview or a file path, got {type(data).__name__}"
        )
    if n_bytes == 0:
        raise ValueError("data is empty (0 bytes)")
    if isinstance(image_or_shape, (tuple, list)) and all(
        isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in image_or_shape
    ):
        shape = tuple(int(d) for d in image_or_shape)
    else:
        shape = np.shape(np.asarray(image_or_shape))
    if len(shape) not in (2, 3) or min(shape) < 1:
        raise ValueError(
            "image_or_shape must be an image (height, width[, channels]) or such a shape, "
            f"with positive sides, got shape {shape}"
        )
    return 8.0 * n_bytes / (shape[0] * shape[1])


# ---------------------------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------------------------
def _data_range(value):
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"data_range must be a positive finite number, got {value!r}")
    return float(value)


def _value_range(value):
    if value is None:
        return None
    try:
        low, high = value
        ok = (
            all(
                isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)
                for v in (low, high)
            )
            and low < high
        )
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f"value_range must be None or a pair (low, high) of finite numbers with low < high, "
            f"got {value!r}"
        )
    return float(low), float(high)


def _float_array(name, value):
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be a numeric array, got {type(value).__name__}: {error}"
        ) from None
    return array


def _check_finite(name, array):
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite, got NaN or inf values")


def _spatial(name, array, batched):
    """Adds a channel axis to grayscale images: ``(n, H, W)`` -> ``(n, H, W, 1)``."""
    ndim = array.ndim - (1 if batched else 0)
    if ndim == 2:
        return array[..., np.newaxis]
    if ndim == 3:
        return array
    layout = "(n_images, height, width[, channels])" if batched else "(height, width[, channels])"
    raise ValueError(
        f"{name} must be images {layout}, got shape {array.shape}; reshape flat images first"
    )


def _image_batches(images, reconstructions, spatial=None, min_side=None):
    """Checks an image/reconstruction pair and returns batches ``[(x, x_hat), ...]``.

    Arrays give one batch; lists give one batch if all images share a shape, else one batch of
    one image per image, in order. For `spatial` metrics the batches are ``(n, H, W, C)``.
    """
    listed = isinstance(images, (list, tuple)) or isinstance(reconstructions, (list, tuple))
    if not listed:
        x = _float_array("images", images)
        x_hat = _float_array("reconstructions", reconstructions)
        if x.shape != x_hat.shape:
            raise ValueError(
                "images and reconstructions must have the same shape, got "
                f"{x.shape} and {x_hat.shape}"
            )
        if x.ndim < 1 or len(x) == 0 or x.size == 0:
            raise ValueError(
                f"images must be a non-empty batch (n_images, ...), got shape {x.shape}"
            )
        _check_finite("images", x)
        _check_finite("reconstructions", x_hat)
        if spatial is not None:
            x = _spatial("images", x, batched=True)
            x_hat = _spatial("reconstructions", x_hat, batched=True)
            _check_side(spatial, min_side, x.shape[1:3], "images")
        return [(x, x_hat)]

    n, n_hat = len(images), len(reconstructions)
    if n == 0:
        raise ValueError("images must be a non-empty list of images, got an empty one")
    if n != n_hat:
        raise ValueError(
            f"images and reconstructions must hold as many images, got {n} and {n_hat}"
        )
    pairs = []
    for i in range(n):
        x = _float_array(f"images[{i}]", images[i])
        x_hat = _float_array(f"reconstructions[{i}]", reconstructions[i])
        if x.shape != x_hat.shape:
            raise ValueError(
                f"images[{i}] and reconstructions[{i}] must have the same shape, got "
                f"{x.shape} and {x_hat.shape}"
            )
        if x.size == 0:
            raise ValueError(f"images[{i}] is empty (shape {x.shape})")
        _check_finite(f"images[{i}]", x)
        _check_finite(f"reconstructions[{i}]", x_hat)
        if spatial is not None:
            x = _spatial(f"images[{i}]", x, batched=False)
            x_hat = _spatial(f"reconstructions[{i}]", x_hat, batched=False)
            _check_side(spatial, min_side, x.shape[:2], f"images[{i}]")
        pairs.append((x, x_hat))
    if all(x.shape == pairs[0][0].shape for x, _ in pairs):
        return [(np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs]))]
    return [(x[np.newaxis], x_hat[np.newaxis]) for x, x_hat in pairs]


def _check_side(metric, min_side, size, name):
    if min(size) < min_side:
        why = (
            "the Gaussian window"
            if metric == "ssim"
            else f"one {SSIM_WINDOW}x{SSIM_WINDOW} window at the 5th scale, after four 2x2 "
            "downsamplings"
        )
        raise ValueError(
            f"{metric} needs images of at least {min_side}x{min_side} pixels ({why}), got "
            f"{name} of {size[0]}x{size[1]}"
        )


def _labels(labels):
    y = np.asarray(labels)
    if y.ndim != 1 or len(y) == 0:
        raise ValueError(f"labels must be a non-empty 1-D array of 0 and 1, got shape {y.shape}")
    if y.dtype == bool:
        return y
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
        raise ValueError(f"labels must be 0 or 1, got dtype {y.dtype}")
    values = np.unique(y)
    bad = values[(values != 0) & (values != 1)]
    if len(bad):
        raise ValueError(
            f"labels must be 0 (negative, normal) or 1 (positive, anomalous), got values "
            f"{bad[:5].tolist()}; for scikit-learn's predict() convention pass `labels == -1`"
        )
    return y == 1


def _finite_vector(name, value):
    v = _float_array(name, value)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {v.shape}")
    _check_finite(name, v)
    return v
