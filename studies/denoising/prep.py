"""Data, noise, baselines and training of the denoising study, shared by the notebook and pilots.

The protocol is DnCNN's (Zhang et al., 2017): grey images on the [0, 255] scale, additive white
Gaussian noise of standard deviation sigma, the noisy image *not* clipped, and the PSNR of each
output, clipped to [0, 255], against its clean image, averaged over the images of a test set.

* `noisy` draws the noise of one test image from a generator seeded by (seed, set, sigma,
  image), so every method sees the same noisy images in any order, in any process;
* `bm3d_set` and `nlm_set` run the classical baselines over a test set, timing each image;
  BM3D's outputs are kept in a cache (``~/.cache/aelib/denoising`` or ``AELIB_CACHE``) keyed by
  everything they depend on, so an interrupted run resumes instead of recomputing them;
* `PatchSampler` cuts random training patches out of Train400, flipped and rotated;
* `train` trains a denoiser in rounds of fresh patches with a decaying learning rate and
  records its validation PSNR after each round (the training curve).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

import aelib
from aelib._atomic import atomic_path

SIGMAS = (15, 25, 50)
TEST_SETS = ("bsd68", "set12")
# Fixed numbers, so that the noise of an image depends on its set but not on the set's order.
_SET_IDS = {"bsd68": 68, "set12": 12, "validation": 400}


def test_set(name, n_images=None):
    """The clean test images of ``name`` ("bsd68" or "set12") as float64 arrays in [0, 255]."""
    if name not in TEST_SETS:
        raise ValueError(f"name must be one of {TEST_SETS}, got {name!r}")
    images = getattr(aelib.data, name)()
    if n_images is not None:
        images = images[:n_images]
    return [image.astype(np.float64) for image in images]


def train400_split(n_validation):
    """Train400 as (training images, validation images), float32 in [0, 1].

    The validation images are the last ``n_validation`` of the 400: they choose the non-local
    means strength, the precision and the learning-rate schedule, and draw the training curve,
    so that nothing is chosen on BSD68 or Set12.
    """
    images = aelib.data.train400().astype(np.float32) / 255.0
    return images[:-n_validation], images[-n_validation:]


def noisy(clean, sigma, seed, set_name, index):
    """``clean + sigma * N(0, 1)``, not clipped, seeded by (seed, set, sigma, index)."""
    rng = np.random.default_rng([seed, _SET_IDS[set_name], int(sigma), index])
    return clean + rng.normal(0.0, sigma, clean.shape)


def psnr(clean, output):
    """PSNR in dB of one output, clipped to [0, 255], against its clean image."""
    mse = np.mean(np.square(np.clip(output, 0.0, 255.0) - clean))
    return float(10.0 * np.log10(255.0**2 / mse))


# ------------------------------------------------------------------------------ baselines
def cache_folder():
    """Where BM3D's outputs are kept between runs (``AELIB_CACHE`` or ``~/.cache/aelib``)."""
    root = Path(os.environ.get("AELIB_CACHE", "~/.cache/aelib")).expanduser()
    return root / "denoising"


def _images_key(images):
    digest = hashlib.sha256()
    for image in images:
        digest.update(np.ascontiguousarray(image, dtype=np.float64).tobytes())
    return digest.hexdigest()[:16]


def bm3d_set(images, sigma, seed, set_name, progress=None):
    """BM3D (``bm3d`` from PyPI, all stages, told the true sigma) over a test set.

    Returns:
        ``(psnrs, outputs, seconds, cached)``: per-image PSNR, the clipped outputs, the seconds
        each image took when it was computed, and whether they came from the cache (written by
        an earlier run with the same images, sigma, seed and ``bm3d`` version; ``seconds`` are
        then that run's times).
    """
    import bm3d

    key = json.dumps(
        {
            "images": _images_key(images),
            "sigma": sigma,
            "seed": seed,
            "set": set_name,
            "bm3d": _bm3d_version(),
        },
        sort_keys=True,
    )
    path = cache_folder() / f"bm3d_{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
    cached = path.is_file()
    if cached:
        stored = np.load(path, allow_pickle=False)
        outputs = [stored[f"output_{i}"] for i in range(len(images))]
        seconds = stored["seconds"]
    else:
        outputs, seconds = [], []
        for index, clean in enumerate(images):
            observed = noisy(clean, sigma, seed, set_name, index)
            started = time.perf_counter()
            output = bm3d.bm3d(observed / 255.0, sigma_psd=sigma / 255.0) * 255.0
            seconds.append(time.perf_counter() - started)
            outputs.append(np.clip(output, 0.0, 255.0).astype(np.float32))
            if progress is not None:
                progress.update(1)
        seconds = np.asarray(seconds)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as temporary:
            with open(temporary, "wb") as handle:
                np.savez(
                    handle, seconds=seconds, **{f"output_{i}": o for i, o in enumerate(outputs)}
                )
    psnrs = np.array([psnr(clean, out) for clean, out in zip(images, outputs)])
    return psnrs, outputs, np.asarray(seconds, dtype=np.float64), cached


def _bm3d_version():
    from importlib.metadata import version

    return version("bm3d")


def nlm(observed, sigma, strength):
    """Non-local means (scikit-image, fast mode) with ``h = strength * sigma``, in [0, 255]."""
    from skimage.restoration import denoise_nl_means

    output = denoise_nl_means(
        observed / 255.0,
        h=strength * sigma / 255.0,
        sigma=sigma / 255.0,
        patch_size=7,
        patch_distance=11,
        fast_mode=True,
    )
    return np.clip(output * 255.0, 0.0, 255.0)


def choose_nlm_strength(validation, sigma, seed, strengths):
    """The ``strength`` of `nlm` with the best mean PSNR on the validation images."""
    clean = [image.astype(np.float64) * 255.0 for image in validation]
    scores = {}
    for strength in strengths:
        scores[strength] = float(
            np.mean(
                [
                    psnr(c, nlm(noisy(c, sigma, seed, "validation", i), sigma, strength))
                    for i, c in enumerate(clean)
                ]
            )
        )
    return max(scores, key=scores.get), scores


def run_method(method, images, sigma, seed, set_name):
    """``method(noisy_image)`` over a test set: per-image PSNR, outputs and seconds."""
    psnrs, outputs, seconds = [], [], []
    for index, clean in enumerate(images):
        observed = noisy(clean, sigma, seed, set_name, index)
        started = time.perf_counter()
        output = np.clip(method(observed), 0.0, 255.0)
        seconds.append(time.perf_counter() - started)
        outputs.append(output.astype(np.float32))
        psnrs.append(psnr(clean, output))
    return np.array(psnrs), outputs, np.array(seconds)


# ------------------------------------------------------------------------------ training
def random_patches(images, count, size, rng):
    """``count`` random ``size x size`` crops of ``images``, each flipped and rotated at random.

    Each crop takes a random image, a random position and one of the eight symmetries of the
    square (four rotations, with or without a flip), as DnCNN's training data do.

    Returns:
        float32 ``(count, size, size, 1)``.
    """
    n, height, width = images.shape
    which = rng.integers(0, n, count)
    rows = rng.integers(0, height - size + 1, count)
    cols = rng.integers(0, width - size + 1, count)
    turns = rng.integers(0, 4, count)
    flips = rng.integers(0, 2, count).astype(bool)
    out = np.empty((count, size, size), np.float32)
    for i in range(count):
        patch = images[which[i], rows[i] : rows[i] + size, cols[i] : cols[i] + size]
        patch = np.rot90(patch, turns[i])
        out[i] = patch[:, ::-1] if flips[i] else patch
    return out[..., None]


def validation_psnr(model, validation, sigmas, seed):
    """Mean PSNR of ``model`` on the validation images at each sigma, ``{sigma: dB}``."""
    result = {}
    for sigma in sigmas:
        clean = validation.astype(np.float64) * 255.0
        observed = np.stack([noisy(c, sigma, seed, "validation", i) for i, c in enumerate(clean)])
        output = (
            model.reconstruct(
                (observed / 255.0).astype(np.float32)[..., None], batch_size=len(observed)
            )[..., 0]
            * 255.0
        )
        result[sigma] = float(np.mean([psnr(c, o) for c, o in zip(clean, output)]))
    return result


def learning_rate(round_index, rounds, start, end):
    """A geometric decay from ``start`` (first round) to ``end`` (last round)."""
    if rounds == 1:
        return start
    return float(start * (end / start) ** (round_index / (rounds - 1)))


def jit_compile():
    """What `aelib.fit` is told to compile with: XLA on JAX; on TensorFlow, no XLA, because
    TensorFlow's XLA on the CPU skips oneDNN's bfloat16 convolutions (RED-Net trains 1.8 times
    faster without it on this project's CPUs: 175 against 98 patches per second)."""
    import keras

    return "auto" if keras.backend.backend() == "jax" else False


def train(
    model,
    train_images,
    validation,
    *,
    rounds,
    patches_per_round,
    patch_size,
    batch_size,
    learning_rates,
    seed,
    sigmas,
    progress=None,
):
    """Trains a denoiser in rounds of fresh random patches and returns its training curve.

    Each round draws ``patches_per_round`` new patches (seeded by ``seed`` and the round), runs
    one pass over them with `aelib.fit` at that round's learning rate (geometric decay between
    the two values of ``learning_rates``), and then measures the validation PSNR at each sigma
    of ``sigmas``. Calls after the first keep the optimizer's state (`aelib.fit` resumes).

    Returns:
        A list with one dict per round: ``round``, ``patches`` (seen so far), ``seconds``
        (training time so far), ``learning_rate``, ``loss`` and ``psnr`` (``{sigma: dB}``).
    """
    curve, seconds = [], 0.0
    for r in range(rounds):
        rng = np.random.default_rng([seed, r])
        patches = random_patches(train_images, patches_per_round, patch_size, rng)
        rate = learning_rate(r, rounds, *learning_rates)
        started = time.perf_counter()
        history = aelib.fit(
            model,
            patches,
            epochs=1,
            batch_size=batch_size,
            learning_rate=rate,
            seed=seed + r,
            verbose=0,
            jit_compile=jit_compile(),
        )
        seconds += time.perf_counter() - started
        curve.append(
            {
                "round": r + 1,
                "patches": (r + 1) * patches_per_round,
                "seconds": seconds,
                "learning_rate": rate,
                "loss": float(history.history["loss"][-1]),
                "psnr": validation_psnr(model, validation, sigmas, seed),
            }
        )
        if progress is not None:
            progress.update(1)
            progress.set_postfix({f"val {s}": f"{v:.2f}" for s, v in curve[-1]["psnr"].items()})
    return curve
