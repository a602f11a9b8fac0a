"""The synthetic "curves" data set of Hinton & Salakhutdinov (2006).

The paper describes it as 28x28 images of curves, each drawn through three randomly chosen
points; the data have six degrees of freedom (two coordinates for each point), which is why
its deep autoencoder has a 6-unit code. The paper's own generator is not published with the
article, so this module is our reading of that description:

* three points are drawn uniformly in the square ``[margin, size - 1 - margin]^2`` of pixel
  coordinates, and ordered so that the path first -> middle -> last is the shortest of the
  three possible (otherwise a third of the curves would fold back on themselves in a hairpin);
* the curve is the quadratic (the unique smooth parametric curve of lowest degree) that passes
  through them in order, at parameters 0, ``t1`` and 1, where ``t1`` is the fraction of the
  polygon's length at the middle point (chord-length parametrization, which keeps the curve
  from looping when the middle point is near an end);
* it is drawn as an anti-aliased stroke: a pixel's intensity is
  ``clip(stroke_width / 2 + 0.5 - d, 0, 1)``, where ``d`` is the distance from the pixel's
  centre to the curve: 1 within ``(stroke_width - 1) / 2`` of the curve, falling to 0 over
  one pixel.

Intensities lie in [0, 1], as MNIST's, and the images are read the same way (logistic units,
cross-entropy, average squared error per image).
"""

from __future__ import annotations

import numpy as np

from aelib._validation import positive, positive_int, real
from aelib._validation import seed as _check_seed

# Points along the curve at which the distance to each pixel is taken; 200 keeps the sampling
# gap (at most the curve's length / 199, under 0.4 px) well below a pixel.
CURVE_SAMPLES = 200


def curve_points(control_points, n_samples=CURVE_SAMPLES):
    """Points along the quadratic through three control points, in order.

    Args:
        control_points: array ``(n, 3, 2)`` of (row, column) coordinates.
        n_samples: number of points per curve, equally spaced in the parameter.

    Returns:
        Array ``(n, n_samples, 2)``; the first and last points are the first and last control
        points, and the middle control point lies on the curve.

    Example:
        >>> import numpy as np
        >>> p = np.array([[[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]])
        >>> curve_points(p, 3)[0].round(3).tolist()
        [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]]
    """
    p = np.asarray(control_points, dtype=np.float64)
    if p.ndim != 3 or p.shape[1:] != (3, 2):
        raise ValueError(f"control_points must have shape (n, 3, 2), got {p.shape}")
    n_samples = positive_int("n_samples", n_samples)
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    first = np.linalg.norm(p[:, 1] - p[:, 0], axis=1)
    second = np.linalg.norm(p[:, 2] - p[:, 1], axis=1)
    total = first + second
    # Coincident points: any parameter works; the middle one avoids dividing by zero.
    t1 = np.where(total > 0, first / np.where(total > 0, total, 1.0), 0.5)
    t1 = np.clip(t1, 1e-3, 1 - 1e-3)[:, None]
    t = np.linspace(0.0, 1.0, n_samples)[None, :]
    # Lagrange basis of the quadratic with nodes 0, t1 and 1.
    l0 = (t - t1) * (t - 1) / t1
    l1 = t * (t - 1) / (t1 * (t1 - 1))
    l2 = t * (t - t1) / (1 - t1)
    return (
        l0[..., None] * p[:, None, 0]
        + l1[..., None] * p[:, None, 1]
        + l2[..., None] * p[:, None, 2]
    )


def order_shortest_path(control_points):
    """Reorders each triple of points so that first -> middle -> last is the shortest path.

    The middle point is the one whose two distances to the others sum to the least, i.e. the
    path skips the longest side of the triangle.

    Example:
        >>> import numpy as np
        >>> order_shortest_path(np.array([[[0.0, 0.0], [4.0, 0.0], [2.0, 0.0]]]))[0, 1].tolist()
        [2.0, 0.0]
    """
    p = np.asarray(control_points, dtype=np.float64)
    # The path through middle point k has length |a - k| + |k - b| = perimeter - |a - b|, so the
    # shortest path drops the longest side: the middle point is the one opposite to it.
    opposite_side = np.stack(
        [
            np.linalg.norm(p[:, 1] - p[:, 2], axis=1),
            np.linalg.norm(p[:, 0] - p[:, 2], axis=1),
            np.linalg.norm(p[:, 0] - p[:, 1], axis=1),
        ],
        axis=1,
    )
    middle = opposite_side.argmax(axis=1)
    order = np.stack([(middle + 1) % 3, middle, (middle + 2) % 3], axis=1)
    return np.take_along_axis(p, order[:, :, None], axis=1)


def render_curves(points, size=28, stroke_width=1.5):
    """Draws curves, given as points along them, as anti-aliased strokes.

    Args:
        points: array ``(n, m, 2)`` of (row, column) pixel coordinates along each curve.
        size: images are ``size x size``; pixel ``(i, j)`` has its centre at ``(i, j)``.
        stroke_width: width of the stroke in pixels; the fully lit core is one pixel narrower.

    Returns:
        float32 array ``(n, size, size)`` in [0, 1].

    Example:
        >>> import numpy as np
        >>> line = np.stack([np.full(50, 2.0), np.linspace(0, 4, 50)], axis=1)[None]
        >>> render_curves(line, size=5)[0, :, 2].round(2).tolist()
        [0.0, 0.25, 1.0, 0.25, 0.0]
    """
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 3 or points.shape[-1] != 2:
        raise ValueError(f"points must have shape (n, m, 2), got {points.shape}")
    size = positive_int("size", size)
    stroke_width = positive("stroke_width", stroke_width)
    reach = int(np.ceil(stroke_width / 2 + 0.5))  # pixels farther than this stay dark
    offsets = np.arange(-reach + 1, reach + 1)
    d_rows, d_cols = [o.ravel() for o in np.meshgrid(offsets, offsets, indexing="ij")]
    images = np.zeros(len(points) * size * size, dtype=np.float32)
    # Each point along a curve lights the pixels around it; a pixel keeps the brightest value,
    # i.e. the one of the nearest point. Chunks bound the memory of the index arrays.
    chunk = max(1, 2_000_000 // (points.shape[1] * d_rows.size))
    for start in range(0, len(points), chunk):
        block = points[start : start + chunk]
        base = np.floor(block)
        pix_rows = base[..., 0, None] + d_rows  # (chunk, m, window)
        pix_cols = base[..., 1, None] + d_cols
        distance = np.hypot(pix_rows - block[..., 0, None], pix_cols - block[..., 1, None])
        value = np.clip(stroke_width / 2 + 0.5 - distance, 0.0, 1.0)
        inside = (
            (pix_rows >= 0) & (pix_rows < size) & (pix_cols >= 0) & (pix_cols < size) & (value > 0)
        )
        image_index = (start + np.arange(len(block)))[:, None, None]
        flat = (image_index * size + pix_rows.astype(np.int64)) * size + pix_cols.astype(np.int64)
        np.maximum.at(images, flat[inside], value[inside].astype(np.float32))
    return images.reshape(-1, size, size)


def make_curves(n_images, *, size=28, margin=2.0, stroke_width=1.5, seed=0):
    """Images of curves through three random points (the paper's "curves" data set).

    Args:
        n_images: number of images.
        size: side of the square images in pixels (the paper's: 28).
        margin: the points are drawn at least this far (in pixels) from the border.
        stroke_width: width of the stroke in pixels (see `render_curves`).
        seed: seed of the points (a NumPy generator); the same seed gives the same images.

    Returns:
        ``(images, control_points)``: float32 ``(n_images, size, size)`` in [0, 1], and the
        float64 ``(n_images, 3, 2)`` (row, column) points each curve passes through, in the
        order it passes through them.

    Example:
        >>> images, points = make_curves(4, seed=1)
        >>> images.shape, points.shape, float(images.max())
        ((4, 28, 28), (4, 3, 2), 1.0)
    """
    n_images = positive_int("n_images", n_images)
    size = positive_int("size", size)
    margin = real("margin", margin, low=0)
    if 2 * margin >= size - 1:
        raise ValueError(f"margin must be below (size - 1) / 2 = {(size - 1) / 2}, got {margin}")
    rng = np.random.default_rng(_check_seed(seed, allow_none=False))
    control = order_shortest_path(rng.uniform(margin, size - 1 - margin, size=(n_images, 3, 2)))
    return render_curves(curve_points(control), size=size, stroke_width=stroke_width), control
