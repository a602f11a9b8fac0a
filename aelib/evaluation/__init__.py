"""Metrics and the evaluation protocol: the numbers the book and the studies report.

* `metrics` — NumPy, float64, per image then averaged; arrays or lists of images of any sizes:

  - `metrics.average_squared_error` — Hinton & Salakhutdinov's error per image;
  - `metrics.psnr` — peak signal-to-noise ratio in dB;
  - `metrics.ssim` — structural similarity (11x11 Gaussian window, valid windows);
  - `metrics.ms_ssim` — multi-scale SSIM (5 scales, images of at least 176x176 pixels);
  - `metrics.auroc` — area under the ROC curve, ``auroc(labels, scores)`` like scikit-learn's
    ``roc_auc_score(y_true, y_score)``;
  - `metrics.bits_per_pixel` — size of a compressed image (bytes or a file) per pixel;
  - `metrics.frechet_distance` — the Fréchet distance between two sets of feature vectors
    (the FID's formula, in any feature space).

* `protocol` — one protocol for models and baselines, after scikit-learn (``fit``,
  ``transform``, ``reconstruct``, ``score_samples`` with higher = more normal):

  - `evaluate(method, x, labels=None, metrics=None)` — ``{metric: float}`` for one fitted method;
  - `compare(methods, x, labels=None, metrics=None)` — ``{name: {metric: float}}`` for several;
  - `METRICS`, `DEFAULT_METRICS` — the metric names they know and report by default.

* `retrieval` — document retrieval with binary codes (semantic hashing), NumPy:

  - `retrieval.pack_codes`, `retrieval.hamming_distances` — codes packed in bytes, Hamming
    distances by XOR and popcount;
  - `retrieval.relevance` — same label, or for multi-label collections a label in common;
  - `retrieval.ranking_curve`, `retrieval.precision_at_k` — precision and recall of the top
    ``k`` documents averaged over queries, ties counted exactly;
  - `retrieval.HammingHashTable` — codes as memory addresses, probed within a Hamming ball.

* `rate_distortion` — rate-distortion curves compared (Bjøntegaard 2001, VCEG-M33), NumPy;
  a curve is points ``{"bpp": ..., "psnr": ..., "ms_ssim": ...}`` or ``(bpp, quality)`` rows:

  - `bd_rate(anchor, test, metric="psnr")` — the Bjøntegaard delta rate in percent, negative
    when ``test`` needs fewer bits for the same quality;
  - `bd_quality(anchor, test, metric="psnr")` — the delta quality (BD-PSNR) at the same rate;
  - `interpolate_quality(curve, bpp, metric="psnr")` — a curve's quality at one rate, linear
    in log rate between its points.

Example:
    >>> from aelib.evaluation import metrics
    >>> metrics.auroc([0, 1], [0.2, 0.9])
    1.0
"""

from aelib.evaluation import metrics, protocol, rate_distortion, retrieval
from aelib.evaluation.protocol import DEFAULT_METRICS, METRICS, compare, evaluate
from aelib.evaluation.rate_distortion import bd_quality, bd_rate, interpolate_quality

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "bd_quality",
    "bd_rate",
    "compare",
    "evaluate",
    "interpolate_quality",
    "metrics",
    "protocol",
    "rate_distortion",
    "retrieval",
]
