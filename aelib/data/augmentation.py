"""Data augmentation by random similarity transforms: small rotations, scalings and shifts.

Hinton & Salakhutdinov (2006) enlarged the Olivetti faces by transforming each picture
randomly before subsampling it to 25x25. `random_similarity_transforms` does that for any
stack of grey images: each copy of an image is one draw of

* a rotation by an angle uniform in ``[-max_rotation, max_rotation]`` degrees,
* a scaling by a factor uniform in ``scale_range`` (above 1 zooms in),
* a shift uniform in ``[-max_shift, max_shift]`` output pixels, along each axis,

about the centre of a square window of the source (``crop`` pixels wide, centred), sampled
onto an ``output_size x output_size`` grid by bilinear interpolation. Before sampling, the
source is blurred with a Gaussian whose width matches the output's pixel spacing
(``sigma = 0.5 * crop / (output_size * scale)``, in source pixels), so that subsampling by a
factor of almost four does not alias.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from aelib._validation import non_negative, positive, positive_int, real
from aelib._validation import seed as _check_seed


def similarity_grid(output_size, source_shape, crop, angle_deg, scale, shift):
    """Source coordinates of the output pixels under one similarity transform.

    Output pixel ``(r, c)`` samples the source at
    ``centre + (crop / output_size / scale) * R(angle) @ ((r, c) - (o - 1) / 2 - shift)``,
    where ``o`` is ``output_size``, ``centre`` the source's centre and ``R`` a rotation.

    Args:
        output_size: side of the square output, in pixels.
        source_shape: ``(rows, columns)`` of the source image.
        crop: side of the source window the output covers at scale 1, in source pixels.
        angle_deg: rotation angle in degrees (counter-clockwise on screen).
        scale: zoom factor (above 1 shows a smaller part of the source, larger).
        shift: ``(rows, columns)`` shift of the content, in output pixels.

    Returns:
        Array ``(2, output_size, output_size)``: source rows and columns.

    Example:
        >>> g = similarity_grid(3, (9, 9), 9, 0.0, 1.0, (0.0, 0.0))
        >>> g[:, 1, 1].tolist(), g[:, 0, 0].tolist()
        ([4.0, 4.0], [1.0, 1.0])
    """
    centre = (np.asarray(source_shape, dtype=np.float64) - 1) / 2
    half = (output_size - 1) / 2
    rows, cols = np.meshgrid(np.arange(output_size), np.arange(output_size), indexing="ij")
    u = rows - half - shift[0]
    v = cols - half - shift[1]
    step = crop / output_size / scale
    theta = np.deg2rad(angle_deg)
    # Rows grow downwards, so a counter-clockwise turn on screen has this sign pattern.
    cos, sin = np.cos(theta), np.sin(theta)
    source_rows = centre[0] + step * (cos * u + sin * v)
    source_cols = centre[1] + step * (-sin * u + cos * v)
    return np.stack([source_rows, source_cols])


def random_similarity_transforms(
    images,
    n_copies,
    *,
    output_size=25,
    crop=None,
    max_rotation=10.0,
    scale_range=(0.9, 1.1),
    max_shift=1.5,
    anti_alias=True,
    seed=0,
):
    """Random rotated, scaled and shifted copies of grey images, resampled to a small square.

    Args:
        images: array ``(n, rows, columns)`` of grey images (any real values).
        n_copies: transformed copies per image.
        output_size: side of the square output images, in pixels (the paper's faces: 25).
        crop: side of the centred source window that fills the output at scale 1, in source
            pixels; ``None`` takes the smaller side of the images.
        max_rotation: rotations are uniform in ``[-max_rotation, max_rotation]`` degrees.
        scale_range: ``(low, high)``; scalings are uniform in it (both positive).
        max_shift: shifts are uniform in ``[-max_shift, max_shift]`` output pixels per axis.
        anti_alias: blur the source to the output's pixel spacing before sampling.
        seed: seed of the draws (a NumPy generator).

    Returns:
        ``(augmented, source_index, transforms)``: float32 ``(n * n_copies, output_size,
        output_size)`` images, copies of image ``i`` at rows ``i * n_copies`` to
        ``(i + 1) * n_copies - 1``; the index of each copy's source image; and a float64
        ``(n * n_copies, 4)`` array of the draws (angle in degrees, scale, row shift, column
        shift).

    Example:
        >>> import numpy as np
        >>> faces = np.random.default_rng(0).random((2, 112, 92))
        >>> out, source, draws = random_similarity_transforms(faces, 3)
        >>> out.shape, source.tolist()
        ((6, 25, 25), [0, 0, 0, 1, 1, 1])
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (n, rows, columns), got {images.shape}")
    n_copies = positive_int("n_copies", n_copies)
    output_size = positive_int("output_size", output_size)
    crop = min(images.shape[1:]) if crop is None else positive("crop", crop)
    max_rotation = real("max_rotation", max_rotation, low=0, high=180)
    if not (isinstance(scale_range, (tuple, list)) and len(scale_range) == 2):
        raise ValueError(f"scale_range must be a pair (low, high), got {scale_range!r}")
    low = positive("scale_range[0]", scale_range[0])
    high = positive("scale_range[1]", scale_range[1])
    if low > high:
        raise ValueError(f"scale_range must have low <= high, got {scale_range!r}")
    max_shift = non_negative("max_shift", max_shift)
    rng = np.random.default_rng(_check_seed(seed, allow_none=False))

    n = len(images)
    draws = np.column_stack(
        [
            rng.uniform(-max_rotation, max_rotation, n * n_copies),
            rng.uniform(low, high, n * n_copies),
            rng.uniform(-max_shift, max_shift, (n * n_copies, 2)),
        ]
    )
    out = np.empty((n * n_copies, output_size, output_size), dtype=np.float32)
    for i, image in enumerate(images):
        for k in range(i * n_copies, (i + 1) * n_copies):
            angle, scale, shift = draws[k, 0], draws[k, 1], draws[k, 2:]
            source = image
            if anti_alias:
                source = ndimage.gaussian_filter(
                    image, 0.5 * crop / (output_size * scale), mode="nearest"
                )
            grid = similarity_grid(output_size, image.shape, crop, angle, scale, shift)
            out[k] = ndimage.map_coordinates(source, grid, order=1, mode="nearest")
    return out, np.repeat(np.arange(n), n_copies), draws
