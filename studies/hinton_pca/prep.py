"""Data of the Hinton & Salakhutdinov study, shared by the notebook and its pilots.

Each function returns arrays ready for training (float32, flattened, in the paper's scale), so
that the notebook and a pilot that chooses one of its settings see exactly the same data.
"""

from __future__ import annotations

import numpy as np

import aelib
from aelib.data.augmentation import random_similarity_transforms

# The AT&T faces are split by person: people 0-29 train, 30-39 test (the pilots validate on
# people 25-29 and never see 30-39).
FACES_TRAIN_PEOPLE = 30


def mnist(n_train=60_000):
    """MNIST as vectors in [0, 1]: ``(x_train[:n_train], x_test, y_test)``."""
    (x_train, _), (x_test, y_test) = aelib.data.mnist()
    x_train = (x_train[:n_train] / 255.0).reshape(-1, 784).astype("float32")
    x_test = (x_test / 255.0).reshape(-1, 784).astype("float32")
    return x_train, x_test, y_test


def curves(n_train, n_test, seed):
    """The synthetic curves (our reading of the paper's description), as 784-vectors."""
    images, _ = aelib.data.curves.make_curves(n_train + n_test, seed=seed)
    images = images.reshape(len(images), 784)
    return images[:n_train], images[n_train:]


def faces(copies_train, copies_test, seed, train_people=FACES_TRAIN_PEOPLE, people=40,
          **transforms):
    """Transformed 25x25 AT&T faces, split by person and standardized with the training set.

    Args:
        copies_train: random similarity transforms of each training picture.
        copies_test: the same for each test picture.
        seed: seed of the transforms (the test pictures use ``seed + 1``).
        train_people: people ``0 .. train_people - 1`` train; the next ones test.
        people: people ``train_people .. people - 1`` are the test set.
        **transforms: ranges of the transforms (``max_rotation``, ``scale_range``,
            ``max_shift``), passed to `random_similarity_transforms`.

    Returns:
        ``(faces_train, faces_test, pixel_mean, pixel_std)``, the faces as 625-vectors.
    """
    pictures, person = aelib.data.att_faces()
    pictures = pictures / 255.0
    train = person < train_people
    test = (person >= train_people) & (person < people)
    faces_train, _, _ = random_similarity_transforms(pictures[train], copies_train, seed=seed,
                                                     **transforms)
    faces_test, _, _ = random_similarity_transforms(pictures[test], copies_test, seed=seed + 1,
                                                    **transforms)
    pixel_mean, pixel_std = float(faces_train.mean()), float(faces_train.std())
    faces_train = ((faces_train - pixel_mean) / pixel_std).reshape(-1, 625).astype("float32")
    faces_test = ((faces_test - pixel_mean) / pixel_std).reshape(-1, 625).astype("float32")
    return faces_train, faces_test, pixel_mean, pixel_std


def nearest_neighbour_accuracy(points, labels):
    """1-NN accuracy: the first half of ``points`` labels the second half."""
    half = len(points) // 2
    train_points, test_points = points[:half], points[half:]
    distances = ((test_points[:, None, :] - train_points[None, :, :]) ** 2).sum(-1)
    return float((labels[:half][distances.argmin(axis=1)] == labels[half:]).mean())
