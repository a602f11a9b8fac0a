"""Data and training of the learned-compression study, shared by the notebook and its pilots.

* `split_bsds500` splits the BSDS500 colour images into the training images (BSDS500's train
  and test splits, 400 images) and the validation images (its val split, 100 images); Kodak is
  the test set and is never read in training;
* `random_crops` cuts random square crops, flipped at random, the training data;
* `train_codec` trains one `aelib.models.FactorizedPriorAutoencoder` in rounds of fresh crops
  with a decaying learning rate, recording its validation rate and distortion after each round;
* `train_ladder` trains one model per lambda, the first from scratch and each next one from the
  model of the neighbouring lambda, saving each finished model (weights and curve) in a cache
  folder keyed by everything it depends on, so that an interrupted run resumes where it stopped;
* `validation_rd` measures rate and distortion on the validation crops with the model in float32.
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
from aelib.models.factorized_prior import FactorizedPriorAutoencoder

# Part of the cache key of a trained model: raise it when a change to the model or to
# `train_codec` changes what training produces, so that no stale model is resumed.
MODEL_VERSION = 1


def split_bsds500():
    """``(training, validation)``: lists of uint8 RGB images (400 and 100), none from Kodak."""
    images, ids = aelib.data.bsds500()
    training = [im for im, i in zip(images, ids) if not i.startswith("val/")]
    validation = [im for im, i in zip(images, ids) if i.startswith("val/")]
    return training, validation


def random_crops(images, count, size, rng):
    """``count`` random ``size x size`` crops, each flipped left-right and up-down at random.

    Returns:
        float32 ``(count, size, size, 3)`` in [0, 1].
    """
    out = np.empty((count, size, size, 3), np.float32)
    which = rng.integers(0, len(images), count)
    flips = rng.integers(0, 2, (count, 2)).astype(bool)
    for i in range(count):
        image = images[which[i]]
        row = rng.integers(0, image.shape[0] - size + 1)
        col = rng.integers(0, image.shape[1] - size + 1)
        crop = image[row : row + size, col : col + size]
        if flips[i, 0]:
            crop = crop[:, ::-1]
        if flips[i, 1]:
            crop = crop[::-1]
        out[i] = crop / np.float32(255.0)
    return out


def center_crops(images, size):
    """The central ``size x size`` crop of each image, float32 in [0, 1]."""
    out = []
    for image in images:
        row = (image.shape[0] - size) // 2
        col = (image.shape[1] - size) // 2
        out.append(image[row : row + size, col : col + size] / np.float32(255.0))
    return np.stack(out).astype(np.float32)


def build_model(lmbda, filters, latent_channels, weights=None):
    """A built `FactorizedPriorAutoencoder` under the current dtype policy, with ``weights``
    (a list of arrays, e.g. another lambda's) if given."""
    model = FactorizedPriorAutoencoder(
        lmbda=lmbda, filters=filters, latent_channels=latent_channels
    )
    model.build((None, None, None, 3))
    if weights is not None:
        model.set_weights(weights)
    return model


def validation_rd(weights, lmbda, filters, latent_channels, crops, batch_size=10):
    """Validation ``(bpp, mse, loss)`` of the weights in a float32 model (rounded latents).

    The rate is the rate model's ``-sum log2 P`` of the rounded latents per pixel (the rate a
    range coder reaches up to a few bytes), the distortion the MSE on [0, 255] of the output
    clipped to [0, 1], and the loss ``bpp + lambda * mse``.
    """
    import keras

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        model = build_model(lmbda, filters, latent_channels, weights)
    finally:
        keras.config.set_dtype_policy(previous)
    bits, squared, pixels = 0.0, 0.0, 0
    for start in range(0, len(crops), batch_size):
        x = crops[start : start + batch_size]
        record = model(x, training=False)
        p = keras.ops.convert_to_numpy(record["probabilities"]).astype(np.float64)
        x_hat = np.clip(keras.ops.convert_to_numpy(record["reconstruction"]), 0.0, 1.0)
        bits += float(-np.log2(p).sum())
        squared += float(np.square((x_hat.astype(np.float64) - x) * 255.0).sum())
        pixels += x.shape[0] * x.shape[1] * x.shape[2]
    bpp, mse = bits / pixels, squared / (pixels * 3)
    return {"bpp": bpp, "mse": mse, "loss": bpp + lmbda * mse}


def learning_rate(round_index, rounds, start, end):
    """A geometric decay from ``start`` (first round) to ``end`` (last round)."""
    if rounds == 1:
        return start
    return float(start * (end / start) ** (round_index / (rounds - 1)))


def train_codec(
    lmbda,
    training,
    validation_crops,
    *,
    filters,
    latent_channels,
    rounds,
    crops_per_round,
    crop_size,
    batch_size,
    learning_rates,
    seed,
    precision="mixed_bfloat16",
    initial_weights=None,
    progress=None,
):
    """Trains one codec in rounds of fresh random crops; returns ``(weights, curve)``.

    Each round draws ``crops_per_round`` new crops (seeded by ``seed`` and the round), runs one
    pass over them with `aelib.fit` at that round's learning rate (geometric decay between the
    two values of ``learning_rates``; Adam with its state kept across rounds) and measures the
    validation rate and distortion (`validation_rd`). ``initial_weights`` starts from another
    model's weights (the model of a neighbouring lambda) instead of a random initialization.

    Returns:
        The trained weights (a list of float32 arrays) and a list with one dict per round:
        ``round``, ``steps``, ``seconds`` (training time so far, validation excluded),
        ``learning_rate``, ``train_loss``, and the validation ``bpp``, ``mse`` and ``loss``.
    """
    import keras

    def make():
        return build_model(lmbda, filters, latent_channels, initial_weights)

    model, curve, seconds = make, [], 0.0
    for r in range(rounds):
        rng = np.random.default_rng([seed, r])
        crops = random_crops(training, crops_per_round, crop_size, rng)
        rate = learning_rate(r, rounds, *learning_rates)
        # Adam with the gradient's norm clipped at 1 (as CompressAI trains it): without the clip
        # an early large step makes the inverse GDN's output grow quadratically and diverge.
        first = r == 0
        optimizer = keras.optimizers.Adam(rate, global_clipnorm=1.0) if first else None
        started = time.perf_counter()
        history = aelib.fit(
            model,
            crops,
            epochs=1,
            batch_size=batch_size,
            learning_rate=None if first else rate,
            optimizer=optimizer,
            seed=seed + r,
            verbose=0,
            jit_compile=False,
            precision=precision if first else None,
        )
        seconds += time.perf_counter() - started
        model = history.model
        weights = [np.asarray(w) for w in model.get_weights()]
        entry = {
            "round": r + 1,
            "steps": (r + 1) * (crops_per_round // batch_size),
            "seconds": seconds,
            "learning_rate": rate,
            "train_loss": float(history.history["loss"][-1]),
        }
        entry.update(validation_rd(weights, lmbda, filters, latent_channels, validation_crops))
        curve.append(entry)
        if progress is not None:
            progress.update(1)
            progress.set_postfix(bpp=f"{entry['bpp']:.3f}", mse=f"{entry['mse']:.1f}")
    return [np.asarray(w, np.float32) for w in model.get_weights()], curve


def cache_folder():
    """Where finished models are kept between runs (``AELIB_CACHE`` or ``~/.cache/aelib``)."""
    root = Path(os.environ.get("AELIB_CACHE", "~/.cache/aelib")).expanduser()
    return root / "compression"


def _key(config):
    """A short hash of everything a trained model depends on, the model's version included."""
    config = {**config, "model_version": MODEL_VERSION}
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]


def _save(folder, weights, curve, info):
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {f"w{i:03d}": w for i, w in enumerate(weights)}
    with atomic_path(folder / "weights.npz") as tmp:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
    with atomic_path(folder / "curve.json") as tmp:
        Path(tmp).write_text(json.dumps({"curve": curve, **info}, indent=1))


def _load(folder):
    if not (folder / "curve.json").is_file():
        return None
    with np.load(folder / "weights.npz", allow_pickle=False) as data:
        weights = [data[k] for k in sorted(data.files)]
    return weights, json.loads((folder / "curve.json").read_text())


def ladder_order(lambdas, start):
    """The order a ladder trains in: ``[(lambda, parent), ...]``, ``start`` from scratch,
    then outwards, each lambda from its neighbour on the side of ``start``.

    Example: ``ladder_order([0.001, 0.01, 0.1, 1.0], 0.01)`` is ``[(0.01, None), (0.1, 0.01),
    (1.0, 0.1), (0.001, 0.01)]``.
    """
    lambdas = sorted(lambdas)
    if start not in lambdas:
        raise ValueError(f"lambdas must include the starting lambda {start}, got {lambdas}")
    s = lambdas.index(start)
    order = [(start, None)]
    order += [(lambdas[i], lambdas[i - 1]) for i in range(s + 1, len(lambdas))]
    order += [(lambdas[i], lambdas[i + 1]) for i in range(s - 1, -1, -1)]
    return order


def train_ladder(
    lambdas,
    order,
    training,
    validation_crops,
    *,
    scratch_rounds,
    finetune_rounds,
    learning_rates,
    finetune_learning_rates,
    seed,
    progress=None,
    **settings,
):
    """Trains one codec per lambda, resuming from the cache; returns ``{lambda: record}``.

    ``order`` lists ``(lambda, parent)`` pairs: a ``parent`` of ``None`` trains from scratch
    for ``scratch_rounds`` rounds, otherwise from the parent's trained weights for
    ``finetune_rounds`` rounds (at ``finetune_learning_rates``). A finished model is saved in `cache_folder` under a key of its
    settings, its parent's key and the model's source code; a later call finds it there.

    Returns:
        ``{lambda: {"weights", "curve", "seconds", "parent", "resumed", "key"}}``;
        ``seconds`` the training time of that model, ``resumed`` whether it came from the cache.
    """
    records, keys = {}, {}
    for lmbda, parent in order:
        if lmbda not in lambdas:
            raise ValueError(f"order names lambda {lmbda}, which is not in lambdas {lambdas}")
        rounds = scratch_rounds if parent is None else finetune_rounds
        rates = learning_rates if parent is None else finetune_learning_rates
        config = {
            "lmbda": lmbda,
            "parent": keys.get(parent),
            "rounds": rounds,
            "learning_rates": list(rates),
            "seed": seed,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
        }
        key = _key(config)
        keys[lmbda] = key
        folder = cache_folder() / key
        found = _load(folder)
        if found is None:
            initial = None if parent is None else records[parent]["weights"]
            weights, curve = train_codec(
                lmbda,
                training,
                validation_crops,
                rounds=rounds,
                learning_rates=rates,
                seed=seed,
                initial_weights=initial,
                progress=progress,
                **settings,
            )
            _save(folder, weights, curve, {"config": config})
            resumed = False
        else:
            weights, saved = found
            curve = saved["curve"]
            resumed = True
            if progress is not None:
                progress.update(rounds)
        records[lmbda] = {
            "weights": weights,
            "curve": curve,
            "seconds": curve[-1]["seconds"],
            "parent": parent,
            "resumed": resumed,
            "key": key,
        }
    return records


def precision_check(lmbda, training, validation_crops, *, rounds, seed, progress=None, **settings):
    """The same training in float32 and in mixed bfloat16, from the same seed, cached.

    Returns:
        ``{"float32": curve, "mixed_bfloat16": curve}``, curves as `train_codec` returns them
        (each validated in float32), so the two validation losses and training times compare.
    """
    result = {}
    for precision in ("mixed_bfloat16", "float32"):
        config = {
            "check": "precision",
            "lmbda": lmbda,
            "rounds": rounds,
            "seed": seed,
            "precision": precision,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in settings.items()},
        }
        folder = cache_folder() / _key(config)
        found = _load(folder)
        if found is None:
            weights, curve = train_codec(
                lmbda,
                training,
                validation_crops,
                rounds=rounds,
                seed=seed,
                precision=precision,
                progress=progress,
                **settings,
            )
            _save(folder, weights, curve, {"config": config})
        else:
            curve = found[1]["curve"]
            if progress is not None:
                progress.update(rounds)
        result[precision] = curve
    return result


# ------------------------------------------------------------------------------ coding Kodak
def code_images(codec, images, progress=None):
    """Codes every image into a real file and back with a `aelib.compression.LearnedCodec`.

    For each image: ``compress`` (timed), ``decompress`` (timed), the bit rate of the bytes
    (`aelib.evaluation.metrics.bits_per_pixel`), the rate model's estimate of the same latent
    (``estimated_bits / pixels``), the bits of each latent channel, the PSNR and MS-SSIM of the
    decoded uint8 image, and whether it equals the model's rounded forward pass
    (``codec.reconstruct(codec.latent(image))``) exactly.

    Returns:
        A point: ``bpp``, ``bpp_estimated``, ``psnr``, ``ms_ssim``, ``encode_s``, ``decode_s``
        (means over images), ``exact`` (all images), ``channel_bpp`` (mean bits per pixel of
        each latent channel) and ``per_image`` (a list of dicts).
    """
    from aelib.evaluation import metrics

    per_image, channel_bits = [], []
    for image in images:
        started = time.perf_counter()
        data, latent = codec.compress(image, return_latent=True)
        encode_s = time.perf_counter() - started
        started = time.perf_counter()
        decoded = codec.decompress(data)
        decode_s = time.perf_counter() - started
        pixels = image.shape[0] * image.shape[1]
        bits = codec.estimated_bits(latent, per_channel=True)
        channel_bits.append(bits / pixels)
        exact = np.array_equal(decoded, codec.reconstruct(latent, *image.shape[:2]))
        per_image.append(
            {
                "bytes": len(data),
                "bpp": metrics.bits_per_pixel(data, image),
                "bpp_estimated": float(bits.sum() / pixels),
                "psnr": metrics.psnr([image], [decoded], data_range=255),
                "ms_ssim": metrics.ms_ssim([image], [decoded], data_range=255),
                "encode_s": encode_s,
                "decode_s": decode_s,
                "exact": bool(exact),
            }
        )
        if progress is not None:
            progress.update(1)
    point = {
        key: float(np.mean([p[key] for p in per_image]))
        for key in ("bpp", "bpp_estimated", "psnr", "ms_ssim", "encode_s", "decode_s")
    }
    point["exact"] = all(p["exact"] for p in per_image)
    point["channel_bpp"] = np.mean(channel_bits, axis=0).tolist()
    point["per_image"] = per_image
    return point


def published_curve(points):
    """``[(bpp, psnr), ...]`` as a list of point dicts."""
    return [{"bpp": b, "psnr": q} for b, q in points]


def nearest_setting(sweep, image_index, bpp):
    """The point of a sweep whose rate on one image is nearest ``bpp`` (in log rate)."""
    return min(sweep, key=lambda p: abs(np.log(p["per_image"][image_index]["bpp"] / bpp)))


def named_weights(weights, settings):
    """A ladder's list of weights as ``{variable path: float32 array}``, the codec's form."""
    import keras

    from aelib.compression import weights_of

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        model = build_model(0.01, settings["filters"], settings["latent_channels"], weights)
    finally:
        keras.config.set_dtype_policy(previous)
    return weights_of(model)
