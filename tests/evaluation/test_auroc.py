"""AUROC (scikit-learn's argument order and convention) and bits per pixel."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from aelib import metrics


def test_auroc_by_hand_with_a_tie():
    labels = [0, 0, 0, 1, 1]
    scores = [0.1, 0.5, 0.7, 0.5, 0.9]
    # Positive/negative pairs: 0.5 vs (0.1 win, 0.5 tie, 0.7 loss) -> 1.5; 0.9 vs all -> 3.
    assert metrics.auroc(labels, scores) == pytest.approx(4.5 / 6)
    assert metrics.auroc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))


def test_auroc_extremes_and_bool_labels():
    assert metrics.auroc([0, 0, 1], [0.0, 0.1, 0.2]) == 1.0
    assert metrics.auroc([1, 1, 0], [0.0, 0.1, 0.2]) == 0.0
    assert metrics.auroc(np.array([False, True, False, True]), np.ones(4)) == 0.5
    assert metrics.auroc(np.array([0.0, 1.0]), [3, 4]) == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auroc_equals_sklearn_with_many_ties(seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, size=300)
    scores = np.round(rng.normal(size=300) + labels, 1)  # rounding makes ties
    assert metrics.auroc(labels, scores) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
    assert isinstance(metrics.auroc(labels, scores), float)


def test_auroc_errors_name_the_parameter():
    with pytest.raises(
        ValueError, match=r"labels must be 0 \(negative, normal\) or 1.*\[-1\].*labels == -1"
    ):
        metrics.auroc([-1, 1, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="labels must be 0 or 1, got dtype"):
        metrics.auroc(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match="both classes"):
        metrics.auroc([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="same length, got 2 and 3"):
        metrics.auroc([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="scores must be finite"):
        metrics.auroc([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="labels must be a non-empty 1-D"):
        metrics.auroc([], [])
    with pytest.raises(ValueError, match="scores must be a non-empty 1-D"):
        metrics.auroc([0, 1], [[0.1, 0.2]])


def test_swapped_arguments_are_caught():
    scores, labels = [0.13, 0.92, 0.4], [0, 1, 0]
    with pytest.raises(ValueError, match="labels must be 0"):
        metrics.auroc(scores, labels)


# ---------------------------------------------------------------------------------------------
# bits per pixel
# ---------------------------------------------------------------------------------------------
def test_bits_per_pixel_of_bytes_and_shapes():
    assert metrics.bits_per_pixel(bytes(49_152), (512, 768, 3)) == 1.0
    assert metrics.bits_per_pixel(bytearray(10), [4, 5]) == 4.0  # 80 bits / 20 pixels
    assert metrics.bits_per_pixel(memoryview(bytes(3)), np.zeros((2, 3))) == 4.0
    # Channels do not count: a colour image has as many pixels as its grayscale version.
    assert metrics.bits_per_pixel(bytes(6), np.zeros((2, 3, 3), dtype=np.uint8)) == 8.0
    assert metrics.bits_per_pixel(bytes(6), (np.int64(2), np.int64(3))) == 8.0


def test_bits_per_pixel_of_a_file(tmp_path):
    path = tmp_path / "image.jpg"
    path.write_bytes(bytes(range(256)) * 4)  # 1024 bytes
    assert metrics.bits_per_pixel(path, (32, 64)) == 4.0
    assert metrics.bits_per_pixel(str(path), (32, 64)) == 4.0


def test_bits_per_pixel_of_a_pil_image_uses_height_times_width():
    image = pytest.importorskip("PIL.Image").new("RGB", (8, 2))  # PIL sizes are (width, height)
    assert metrics.bits_per_pixel(bytes(4), image) == 2.0


def test_bits_per_pixel_errors(tmp_path):
    with pytest.raises(ValueError, match="data is empty"):
        metrics.bits_per_pixel(b"", (2, 2))
    with pytest.raises(TypeError, match="data must be bytes"):
        metrics.bits_per_pixel(123, (2, 2))
    with pytest.raises(FileNotFoundError, match="no such file"):
        metrics.bits_per_pixel(tmp_path / "missing.png", (2, 2))
    for bad in [(2,), (0, 4), (2, 2, 3, 1), np.zeros(5), (2.5, 2)]:
        with pytest.raises(ValueError, match="image_or_shape"):
            metrics.bits_per_pixel(b"ab", bad)
