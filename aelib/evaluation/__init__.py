"""Metrics and evaluation protocols: the numbers the book and the studies report.

* `metrics` — average squared error per image, PSNR, SSIM / MS-SSIM, AUROC, bits per pixel.
"""

from aelib.evaluation import metrics

__all__ = ["metrics"]
