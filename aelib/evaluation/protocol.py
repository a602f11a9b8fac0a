"""One evaluation protocol for models and baselines, after scikit-learn.

A *method* is any fitted object with some of these methods:

* ``reconstruct(x)``: reconstructions of ``x`` (a NumPy array or anything `numpy.asarray`
  reads, with as many values per sample as ``x``), used by the reconstruction metrics;
* ``score_samples(x)``: one score per sample, scikit-learn's sign (higher = more normal), used
  by ``"auroc"`` together with anomaly labels.

`aelib.PCA`, the Keras `aelib.Autoencoder`, and scikit-learn detectors such as
`sklearn.ensemble.IsolationForest` or `sklearn.svm.OneClassSVM` all qualify. `evaluate` measures
one method, `compare` a dictionary of them on the same data, with the same metrics.

Metrics (names in ``metrics=``):

* ``"squared_error"`` — `metrics.average_squared_error` (sum over pixels, mean over samples);
* ``"psnr"`` — `metrics.psnr`, in dB;
* ``"ssim"``, ``"ms_ssim"`` — `metrics.ssim`, `metrics.ms_ssim` (images, see ``image_shape``);
* ``"auroc"`` — `metrics.auroc` of detecting anomalies (label 1) from ``-score_samples(x)``.
"""

from __future__ import annotations

import math

import numpy as np

from aelib.evaluation import metrics as _metrics

__all__ = ["DEFAULT_METRICS", "METRICS", "compare", "evaluate"]

#: Every metric the protocol knows, in the order results list them.
METRICS = ("squared_error", "psnr", "ssim", "ms_ssim", "auroc")
#: What `evaluate` and `compare` report when ``metrics=None``.
DEFAULT_METRICS = ("squared_error", "psnr", "auroc")

_RECONSTRUCTION_METRICS = ("squared_error", "psnr", "ssim", "ms_ssim")
_NEEDS = {name: "reconstruct" for name in _RECONSTRUCTION_METRICS} | {"auroc": "score_samples"}


def evaluate(
    method,
    x,
    *,
    labels=None,
    metrics=None,
    data_range=1.0,
    value_range=(0.0, 1.0),
    image_shape=None,
):
    """Measures one fitted method on ``x``.

    Nothing is fitted here: ``method`` must be fitted already (on training data).

    Args:
        method: a fitted object with ``reconstruct`` and/or ``score_samples`` (see the module).
        x: the evaluation data, an array ``(n_samples, ...)``. It is passed to the method as it
            is, except that a fitted scikit-learn estimator (one with ``n_features_in_``) gets
            ``x`` flattened to ``(n_samples, n_features)`` when ``x`` has more axes.
        labels: anomaly labels ``(n_samples,)``, 1 = anomalous, 0 = normal; needed by
            ``"auroc"``. Reconstruction metrics are computed over all of ``x``, whatever the
            labels.
        metrics: names from `METRICS`, reported in that order. ``None`` (the default) reports
            whichever of `DEFAULT_METRICS` the method supports (``"auroc"`` only when
            ``labels`` are given); a metric named explicitly that the method cannot produce is
            an error.
        data_range: peak value for ``"psnr"``, ``"ssim"`` and ``"ms_ssim"`` (1.0 for [0, 1]).
        value_range: passed to `metrics.average_squared_error` (``None`` for data that are not
            in [0, 1], such as standardized faces).
        image_shape: ``(height, width[, channels])`` to view flat samples as images for
            ``"ssim"`` and ``"ms_ssim"`` (e.g. ``(28, 28)`` for MNIST as ``(n, 784)``).

    Returns:
        ``{metric: float}``, plain Python floats (JSON-ready), in the order of `METRICS`. An exact
        reconstruction has ``"psnr"`` ``inf`` (which ``json.dumps`` writes as ``Infinity``).

    Raises:
        ValueError: if a metric is unknown, a requested metric needs a method the object lacks
            (the message names both), the object has neither ``reconstruct`` nor
            ``score_samples``, ``"auroc"`` is requested without ``labels``, or a method returns
            reconstructions or scores of the wrong size.

    Example:
        >>> from aelib import PCA
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((50, 8))
        >>> result = evaluate(PCA(8).fit(x), x, metrics=("squared_error",))
        >>> result["squared_error"] < 1e-20
        True
    """
    requested = _requested(metrics, labels)
    return _evaluate(
        method,
        "method",
        x,
        requested,
        explicit=metrics is not None,
        labels=labels,
        data_range=data_range,
        value_range=value_range,
        image_shape=image_shape,
    )


def compare(
    methods,
    x,
    *,
    labels=None,
    metrics=None,
    data_range=1.0,
    value_range=(0.0, 1.0),
    image_shape=None,
):
    """Measures several fitted methods on the same ``x`` with the same metrics: one table.

    Args:
        methods: ``{name: fitted method}``; the rows keep this order.
        x, labels, data_range, value_range, image_shape: as in `evaluate`.
        metrics: as in `evaluate`. Explicitly named metrics must be supported by every method.
            With ``None``, the columns are those of `DEFAULT_METRICS` that at least one method
            supports, and a method that cannot produce one gets ``None`` there, so that every
            row has the same keys.

    Returns:
        ``{name: {metric: float or None}}``: rows in the order of ``methods``, columns in the
        order of `METRICS`; JSON-ready (``json.dumps`` writes ``None`` as ``null``).

    Raises:
        ValueError: as `evaluate`, naming the method; also if ``methods`` is empty or has a
            name that is not a string.

    Example:
        >>> from aelib import PCA
        >>> rng = np.random.default_rng(0)
        >>> x = rng.random((60, 8))
        >>> labels = np.r_[np.zeros(50), np.ones(10)]
        >>> x[50:] *= 0.2  # the anomalies: far from the normal samples
        >>> table = compare({"PCA-2": PCA(2).fit(x[:50]), "PCA-8": PCA(8).fit(x[:50])}, x,
        ...                 labels=labels)
        >>> list(table), list(table["PCA-2"])
        (['PCA-2', 'PCA-8'], ['squared_error', 'psnr', 'auroc'])
        >>> table["PCA-2"]["auroc"] > 0.9
        True
    """
    if not isinstance(methods, dict) or not methods:
        raise ValueError("methods must be a non-empty dict {name: fitted method}")
    for name in methods:
        if not isinstance(name, str):
            raise ValueError(f"methods must be keyed by strings, got key {name!r}")
    requested = _requested(metrics, labels)
    explicit = metrics is not None
    if not explicit:
        requested = tuple(
            m for m in requested if any(hasattr(obj, _NEEDS[m]) for obj in methods.values())
        )
    table = {}
    for name, method in methods.items():
        row = _evaluate(
            method,
            name,
            x,
            requested,
            explicit=explicit,
            labels=labels,
            data_range=data_range,
            value_range=value_range,
            image_shape=image_shape,
        )
        table[name] = {m: row.get(m) for m in requested}
    return table


def _requested(metrics, labels):
    if metrics is None:
        return tuple(m for m in DEFAULT_METRICS if m != "auroc" or labels is not None)
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = tuple(metrics)
    unknown = [m for m in metrics if m not in METRICS]
    if unknown:
        raise ValueError(f"metrics must be names from {list(METRICS)}, got unknown {unknown}")
    if not metrics:
        raise ValueError("metrics must name at least one metric, got an empty list")
    if "auroc" in metrics and labels is None:
        raise ValueError('metric "auroc" needs labels (1 = anomalous, 0 = normal); pass labels=')
    return tuple(m for m in METRICS if m in metrics)


def _evaluate(
    method, name, x, requested, *, explicit, labels, data_range, value_range, image_shape
):
    if not any(callable(getattr(method, need, None)) for need in ("reconstruct", "score_samples")):
        raise ValueError(
            f"{name} ({type(method).__name__}) has neither reconstruct() nor score_samples(); "
            "pass fitted objects that speak the protocol"
        )
    missing = [m for m in requested if not callable(getattr(method, _NEEDS[m], None))]
    if explicit and missing:
        raise ValueError(
            f"{name} ({type(method).__name__}) has no "
            f"{' or '.join(sorted({_NEEDS[m] for m in missing}))}(), which "
            f"{', '.join(repr(m) for m in missing)} need(s)"
        )
    wanted = [m for m in requested if m not in missing]
    x = np.asarray(x)
    if x.ndim < 1 or len(x) == 0:
        raise ValueError(f"x must be a non-empty batch (n_samples, ...), got shape {x.shape}")
    x_in = _input_for(method, x)
    result = {}

    recon_metrics = [m for m in wanted if m in _RECONSTRUCTION_METRICS]
    if recon_metrics:
        x_hat = np.asarray(method.reconstruct(x_in), dtype=np.float64)
        if x_hat.size != x.size:
            raise ValueError(
                f"{name}.reconstruct(x) returned shape {x_hat.shape}, which does not match x "
                f"of shape {x.shape}"
            )
        x_ref = np.asarray(x, dtype=np.float64)
        x_hat = x_hat.reshape(x_ref.shape)
        for metric in recon_metrics:
            if metric == "squared_error":
                value = _metrics.average_squared_error(x_ref, x_hat, value_range=value_range)
            elif metric == "psnr":
                value = _metrics.psnr(x_ref, x_hat, data_range=data_range)
            else:
                images, recons = _as_images(x_ref, x_hat, image_shape)
                function = _metrics.ssim if metric == "ssim" else _metrics.ms_ssim
                value = function(images, recons, data_range=data_range)
            result[metric] = float(value)

    if "auroc" in wanted:
        scores = np.asarray(method.score_samples(x_in), dtype=np.float64)
        if scores.shape != (len(x),):
            raise ValueError(
                f"{name}.score_samples(x) must return one score per sample, shape "
                f"({len(x)},), got {scores.shape}"
            )
        result["auroc"] = _metrics.auroc(labels, -scores)
    for metric, value in result.items():
        if not isinstance(value, float) or (metric != "psnr" and not math.isfinite(value)):
            raise ValueError(f"{name}: metric {metric!r} is not a finite float: {value!r}")
    return result


def _input_for(method, x):
    """Flattens image batches for fitted scikit-learn estimators, which take 2-D input."""
    n_features = getattr(method, "n_features_in_", None)
    if isinstance(n_features, (int, np.integer)) and x.ndim > 2 and x[0].size == n_features:
        return x.reshape(len(x), -1)
    return x


def _as_images(x, x_hat, image_shape):
    if image_shape is None:
        return x, x_hat
    shape = (len(x),) + tuple(int(d) for d in image_shape)
    if int(np.prod(shape)) != x.size:
        raise ValueError(
            f"image_shape={tuple(image_shape)} does not hold the {x[0].size} values of a sample"
        )
    return x.reshape(shape), x_hat.reshape(shape)
