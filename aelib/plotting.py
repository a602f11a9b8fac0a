"""Figures the chapters share: rows of images and grids of filters.

Matplotlib is imported lazily so that ``import aelib`` stays light for scripts without figures.
"""

from __future__ import annotations

import numpy as np

from aelib._validation import positive_int as _positive_int


def image_rows(
    rows, labels=None, image_shape=(28, 28), cmap="gray", vmin=0.0, vmax=1.0, size=1.0, titles=None
):
    """Draws several rows of images, one row per array, with a label on the left of each row.

    Args:
        rows: a list of arrays, each ``(n_images, ...)`` with the same ``n_images``; each image is
            reshaped to ``image_shape``.
        labels: one label per row (e.g. ``["original", "noisy", "denoised"]``), or None.
        image_shape: the shape an image is drawn in.
        cmap, vmin, vmax: passed to ``imshow``; ``vmin=vmax=None`` scales each image on its own.
        size: inches per image.
        titles: one title per column, or None.

    Returns:
        The matplotlib figure.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> fig = image_rows([np.zeros((3, 784)), np.ones((3, 784))], labels=["original", "noisy"])
        >>> len(fig.axes), fig.axes[3].get_ylabel()   # 2 rows of 3 images, labelled on the left
        (6, 'noisy')
        >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    rows = [np.asarray(r) for r in rows]
    if not rows:
        raise ValueError("rows must hold at least one array of images")
    n = len(rows[0])
    if any(len(r) != n for r in rows):
        raise ValueError(
            f"rows must all hold the same number of images, got {[len(r) for r in rows]}"
        )
    if labels is not None and len(labels) != len(rows):
        raise ValueError(f"labels must have one entry per row ({len(rows)}), got {len(labels)}")
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must have one entry per column ({n}), got {len(titles)}")
    fig, axes = plt.subplots(
        len(rows), n, figsize=(size * n, size * len(rows) + 0.2), squeeze=False
    )
    for r, images in enumerate(rows):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c].reshape(image_shape), cmap=cmap, vmin=vmin, vmax=vmax)
            ax.set_xticks([])
            ax.set_yticks([])
            if titles is not None and r == 0:
                ax.set_title(titles[c], fontsize=8)
        if labels is not None:
            axes[r, 0].set_ylabel(labels[r], fontsize=8)
    fig.tight_layout()
    return fig


def filter_grid(weights, image_shape=(28, 28), columns=10, size=0.8, cmap="RdBu_r", title=None):
    """Draws the columns of a weight matrix as images, each on a symmetric colour scale.

    Args:
        weights: array ``(n_features, n_filters)``, e.g. the kernel of an encoder's first Dense
            layer; column ``j`` is the filter of unit ``j``.
        image_shape: the shape a filter is drawn in (its size must be ``n_features``).
        columns: filters per row.
        size: inches per filter.
        cmap: a diverging colour map, so that positive and negative weights read apart.
        title: a title for the whole figure.

    Returns:
        The matplotlib figure.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> weights = np.array([[1.0, -0.5], [-3.0, 0.25], [2.0, 0.0], [0.0, 0.1]])
        >>> fig = filter_grid(weights, image_shape=(2, 2), columns=2)
        >>> [ax.images[0].get_clim() for ax in fig.axes]   # each filter on its own +-max|w|
        [(-3.0, 3.0), (-0.5, 0.5)]
        >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    weights = np.asarray(weights)
    if weights.ndim != 2:
        raise ValueError(
            f"weights must be a 2-d array (features, filters), got shape {weights.shape}"
        )
    if int(np.prod(image_shape)) != weights.shape[0]:
        raise ValueError(
            f"image_shape {tuple(image_shape)} does not hold {weights.shape[0]} features"
        )
    columns = _positive_int("columns", columns)
    n = weights.shape[1]
    n_rows = -(-n // columns)
    fig, axes = plt.subplots(
        n_rows,
        min(columns, n),
        figsize=(size * min(columns, n), size * n_rows + (0.3 if title else 0)),
        squeeze=False,
    )
    for j, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if j >= n:
            ax.axis("off")
            continue
        w = weights[:, j]
        scale = float(np.abs(w).max()) or 1.0
        ax.imshow(w.reshape(image_shape), cmap=cmap, vmin=-scale, vmax=scale)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
