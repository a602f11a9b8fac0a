"""The benchmarks of one Keras backend, run in one process: ``python -m benchmarks.suite``.

Every comparison interleaves its runs in this process (A B, then B A, ... one round each) so that
a slow moment of the machine falls on both; the ratio of each round is computed, and the median
and the spread of the rounds are reported. `benchmarks.run` starts this module once per backend
(the backend is fixed when Keras is imported) and writes ``benchmarks/results/*.json``.

Measured here:

* `peak`: the machine's matrix-product and convolution speed in this backend and precision
  (a large matmul and a 3x3 convolution, best of several);
* `training_pairs`: aelib's ``fit`` against the same network in plain Keras, samples per second,
  for the dense Hinton network and the denoising study's RED-Net, and the fraction of `peak`
  each reaches; the fixed cost of the first call (compiling, the first step); the test error
  after the rounds (how much bfloat16 changes it);
* `rbm_pair`: seconds per CD-1 epoch of ``aelib.train_rbm`` against a NumPy CD-1;
* `likelihood`: seconds of the importance-sampled log-likelihood (k = 5000) over the MNIST test
  set.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

PRECISIONS = ("float32", "mixed_bfloat16")


def _compiled(function):
    """``function`` compiled by the backend (tf.function or jax.jit)."""
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.function(function, jit_compile=False)
    if keras.backend.backend() == "jax":
        import jax

        return jax.jit(function)
    return function


def _best_seconds(function, arguments, repeats):
    """The fastest of ``repeats`` calls (each waits for its result), after one warm-up call."""
    from keras import ops

    ops.convert_to_numpy(function(*arguments))
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        ops.convert_to_numpy(function(*arguments))
        best = min(best, time.perf_counter() - started)
    return best


def peak(precision, quick=False):
    """Measured FLOP/s of a square matmul and of a 3x3 convolution, in ``precision``.

    Args:
        precision: ``"float32"``, or ``"mixed_bfloat16"`` (the operands in bfloat16).
        quick: small operands (a smoke run, not a measurement).

    Returns:
        ``{"matmul": FLOP/s, "conv": FLOP/s, "matmul_size": n, "conv_shape": [...]}``.
    """
    from keras import ops

    dtype = "bfloat16" if precision == "mixed_bfloat16" else "float32"
    rng = np.random.default_rng(0)
    n = 256 if quick else 2048
    a = ops.cast(rng.standard_normal((n, n)).astype("float32"), dtype)
    b = ops.cast(rng.standard_normal((n, n)).astype("float32"), dtype)
    # The sum keeps the result's copy to the host out of the timing.
    matmul = _compiled(lambda a, b: ops.sum(ops.cast(ops.matmul(a, b), "float32")))
    matmul_seconds = _best_seconds(matmul, (a, b), 3 if quick else 10)

    batch, side, channels = (2, 32, 16) if quick else (16, 64, 64)
    images = ops.cast(rng.standard_normal((batch, side, side, channels)), dtype)
    kernel = ops.cast(0.1 * rng.standard_normal((3, 3, channels, channels)), dtype)
    conv = _compiled(lambda x, k: ops.sum(ops.cast(ops.conv(x, k, padding="same"), "float32")))
    conv_seconds = _best_seconds(conv, (images, kernel), 3 if quick else 10)
    conv_flops = 2 * batch * side * side * 9 * channels * channels
    return {
        "matmul": 2 * n**3 / matmul_seconds,
        "conv": conv_flops / conv_seconds,
        "matmul_size": n,
        "conv_shape": [batch, side, side, channels],
    }


def _summary(values):
    values = [float(v) for v in values]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def interleaved(arms, rounds):
    """Runs each arm once per round, the order reversed every other round.

    Args:
        arms: ``{name: function of the round number returning seconds}``; the call of round
            0 is the warm-up (its time is the fixed cost plus one steady call).
        rounds: measured rounds after the warm-up.

    Returns:
        ``{name: [seconds of the warm-up, seconds of round 1, ...]}``.

    Example:
        >>> calls = []
        >>> times = interleaved({"a": lambda r: calls.append(("a", r)) or 1.0,
        ...                      "b": lambda r: calls.append(("b", r)) or 2.0}, rounds=2)
        >>> calls
        [('a', 0), ('b', 0), ('b', 1), ('a', 1), ('a', 2), ('b', 2)]
        >>> times
        {'a': [1.0, 1.0, 1.0], 'b': [2.0, 2.0, 2.0]}
    """
    names = list(arms)
    seconds = {name: [] for name in names}
    for round_number in range(rounds + 1):
        order = names if round_number % 2 == 0 else names[::-1]
        for name in order:
            seconds[name].append(float(arms[name](round_number)))
    return seconds


def ratio_of_rounds(numerator_seconds, denominator_seconds):
    """Per-round speed ratios ``denominator / numerator`` (seconds, so speed is inverted),
    leaving out the warm-up round; summarized as median, min and max.

    Example:
        >>> ratio_of_rounds([9.0, 2.0, 4.0, 1.0], [9.0, 1.0, 4.0, 2.0])
        {'median': 1.0, 'min': 0.5, 'max': 2.0}
    """
    pairs = list(zip(numerator_seconds[1:], denominator_seconds[1:]))
    return _summary([d / n for n, d in pairs])


def _mnist(n_train, n_test):
    from aelib.data import mnist

    (x_train, _), (x_test, _) = mnist()
    x_train = x_train[:n_train].reshape(n_train, -1).astype("float32") / 255
    x_test = x_test[:n_test].reshape(n_test, -1).astype("float32") / 255
    return x_train, x_test


def _patches(n, size, seed):
    """``n`` random ``size``x``size`` crops of Train400 in [0, 1], with channel axis."""
    from aelib.data import train400

    images = train400()
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(images), n)
    top = rng.integers(0, images.shape[1] - size + 1, n)
    left = rng.integers(0, images.shape[2] - size + 1, n)
    crops = [images[i, t : t + size, s : s + size] for i, t, s in zip(which, top, left)]
    return (np.stack(crops)[..., None] / 255).astype("float32")


def _bsd68_test(n_images, side, seed):
    """Clean and noisy (sigma = 25) top-left crops of BSD68, in [0, 1]."""
    from aelib.data import bsd68
    from benchmarks.networks import SIGMA

    clean = np.stack([image[:side, :side] for image in bsd68()[:n_images]])[..., None] / 255
    noise = np.random.default_rng(seed).standard_normal(clean.shape) * SIGMA
    return clean.astype("float32"), (clean + noise).astype("float32")


def _dtype_policy(precision):
    """A context in which Keras layers are built under ``precision``."""
    import contextlib

    import keras

    @contextlib.contextmanager
    def scope():
        previous = keras.config.dtype_policy()
        keras.config.set_dtype_policy(precision)
        try:
            yield
        finally:
            keras.config.set_dtype_policy(previous)

    return scope()


def training_pairs(model, precision, rounds, quick=False, seed=0):
    """aelib against plain Keras on one network and precision, interleaved.

    Args:
        model: ``"hinton_dense"`` (784-1000-500-250-30 on MNIST, batch 256) or ``"red_net"``
            (the denoising study's RED-Net on 40x40 Train400 patches, batch 64).
        precision: ``"float32"`` or ``"mixed_bfloat16"``.
        rounds: measured rounds (one ``fit`` call of each arm per round).
        quick: tiny data and networks (a smoke run of the code, not a measurement).
        seed: seeds weights, data order and noise, the same for both arms.

    Returns:
        A dict: samples per second of each arm per round, the ratio aelib / plain (median,
        min, max), FLOP per sample, each arm's fixed cost, and its test error after training.
    """
    import keras

    import aelib
    from benchmarks import networks

    if model == "hinton_dense":
        sizes = (784, 64, 32, 16, 8) if quick else networks.HINTON_SIZES
        n_train, n_test = (512, 256) if quick else (20_000, 10_000)
        x, x_test = _mnist(n_train, n_test)
        batch_size, epochs = 256, 1 if quick else 2
        flops = networks.dense_training_flops(sizes[:-1] + sizes[::-1])

        def build_aelib():
            return aelib.deep_autoencoder(list(sizes))

        def build_plain():
            return networks.plain_dense_autoencoder(sizes)

        def test_error(predict):
            # Hinton & Salakhutdinov's measure: squared error per image, averaged.
            recon = np.asarray(predict(x_test), "float32")
            return {"squared_error_per_image": float(((x_test - recon) ** 2).sum(1).mean())}

        plain_loss = "binary_crossentropy"
    elif model == "red_net":
        depth, filters = (4, 8) if quick else (networks.RED_DEPTH, networks.RED_FILTERS)
        n_patches = 128 if quick else 512
        x = _patches(n_patches, networks.PATCH, seed)
        clean, noisy = _bsd68_test(2 if quick else 16, 48 if quick else 160, seed)
        batch_size, epochs = 64, 1
        flops = networks.conv_training_flops(
            networks.PATCH, networks.PATCH, networks.red_net_channels(depth, filters)
        )

        def build_aelib():
            return aelib.red_net(
                depth, filters, noise=aelib.GaussianNoise(networks.SIGMA, dtype="float32")
            )

        def build_plain():
            return networks.plain_red_net(depth, filters)

        def test_error(predict):
            out = np.clip(np.asarray(predict(noisy), "float32"), 0, 1)
            mse = ((clean - out) ** 2).mean(axis=(1, 2, 3))
            return {"psnr_sigma25": float(np.mean(10 * np.log10(1 / mse)))}

        plain_loss = "mse"
    else:
        raise ValueError(f"model must be 'hinton_dense' or 'red_net', got {model!r}")

    state = {}

    def run_aelib(round_number):
        started = time.perf_counter()
        history = aelib.fit(
            state.get("aelib", build_aelib),
            x,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed + round_number,
            verbose=0,
            precision=precision,
        )
        seconds = time.perf_counter() - started
        state["aelib"] = history.model
        return seconds

    def run_plain(round_number):
        started = time.perf_counter()
        if "plain" not in state:
            aelib.seed_everything(seed)
            with _dtype_policy(precision):
                plain = build_plain()
            plain.compile(optimizer=keras.optimizers.Adam(1e-3), loss=plain_loss)
            state["plain"] = plain
        else:
            keras.utils.set_random_seed(seed + round_number)
        state["plain"].fit(x, x, epochs=epochs, batch_size=batch_size, shuffle=True, verbose=0)
        return time.perf_counter() - started

    seconds = interleaved({"aelib": run_aelib, "plain": run_plain}, rounds)
    samples = len(x) * epochs
    steady = {name: statistics.median(values[1:]) for name, values in seconds.items()}
    errors = {
        "aelib": test_error(lambda v: state["aelib"].reconstruct(v, batch_size=256)),
        "plain": test_error(lambda v: state["plain"].predict(v, batch_size=256, verbose=0)),
    }
    return {
        "model": model,
        "precision": precision,
        "rounds": rounds,
        "samples_per_round": samples,
        "epochs_per_round": epochs,
        "batch_size": batch_size,
        # Optimizer steps of each arm over all its calls, the warm-up included.
        "training_steps": (rounds + 1) * epochs * -(-len(x) // batch_size),
        "training_flop_per_sample": flops,
        "seconds": seconds,
        "samples_per_second": {
            name: _summary([samples / s for s in values[1:]]) for name, values in seconds.items()
        },
        "ratio": ratio_of_rounds(seconds["aelib"], seconds["plain"]),
        "fixed_cost_s": {name: seconds[name][0] - steady[name] for name in seconds},
        "test_error": errors,
    }


def rbm_pair(rounds, quick=False, seed=0):
    """Seconds per CD-1 epoch: aelib's `train_rbm` against `networks.NumpyRBM`, interleaved.

    A 784-1000 binary RBM (784-64 in a quick run) on the 60,000 MNIST training digits, batches
    of 100, momentum 0.5 throughout.
    """
    import aelib
    from benchmarks.networks import NumpyRBM

    n_hidden = 64 if quick else 1000
    x, _ = _mnist(1_000 if quick else 60_000, 1)
    # Two epochs per round, so that each call's set-up (train_rbm compiles the model anew)
    # weighs less; a user trains an RBM for tens of epochs in one call.
    epochs = 2
    rbm = aelib.RBM(784, n_hidden, seed=seed)
    numpy_rbm = NumpyRBM(784, n_hidden, seed=seed)

    def run_aelib(round_number):
        started = time.perf_counter()
        aelib.train_rbm(
            rbm, x, epochs=epochs, momentum_switch_epoch=epochs, seed=seed + round_number
        )
        return time.perf_counter() - started

    def run_numpy(round_number):
        started = time.perf_counter()
        for _ in range(epochs):
            numpy_rbm.epoch(x)
        return time.perf_counter() - started

    seconds = interleaved({"aelib": run_aelib, "numpy": run_numpy}, rounds)
    return {
        "n_visible": 784,
        "n_hidden": n_hidden,
        "n_samples": len(x),
        "batch_size": 100,
        "seconds": seconds,
        "epochs_per_round": epochs,
        "seconds_per_epoch": {
            name: _summary([s / epochs for s in v[1:]]) for name, v in seconds.items()
        },
        # Speed of aelib over NumPy's: above 1 when aelib's epoch is shorter.
        "ratio": ratio_of_rounds(seconds["aelib"], seconds["numpy"]),
    }


def likelihood(repeats, quick=False, seed=0):
    """Seconds of `VariationalAutoencoder.log_likelihood` with k = 5000 over the MNIST test set.

    The network of the VAE study (784-200-200-50, tanh, Bernoulli), trained for one epoch so
    that its weights are not the initial ones; the speed does not depend on how well it fits.
    """
    import aelib

    x_train, x_test = _mnist(2_000 if quick else 60_000, 200 if quick else 10_000)
    k = 50 if quick else 5_000

    def build():
        # The VAE study's model, trained on the ELBO with each batch binarized afresh.
        encoder = aelib.builders.dense_encoder((784,), [200, 200], 2 * 50, activation="tanh")
        decoder = aelib.builders.dense_decoder(50, [200, 200], (784,), activation="tanh")
        return aelib.ImportanceWeightedAutoencoder(
            encoder, decoder, 50, k=1, bound="elbo", binarize=True, seed=seed
        )

    model = aelib.fit(build, x_train, epochs=1, batch_size=100, seed=seed, verbose=0).model
    binary = (x_test > 0.5).astype("float32")
    seconds, nll = [], []
    for repeat in range(repeats):
        started = time.perf_counter()
        log_px = model.log_likelihood(binary, k=k, seed=seed + repeat)
        seconds.append(time.perf_counter() - started)
        nll.append(float(-log_px.mean()))
    return {"k": k, "n_images": len(x_test), "seconds": seconds, "test_nll": nll}


def machine():
    """What ran the benchmark: CPU, cores, backend and versions, the load when it started."""
    import platform
    from importlib import metadata

    import keras

    cpu, flags = "unknown", set()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name") and cpu == "unknown":
                    cpu = line.split(":", 1)[1].strip()
                elif line.startswith("flags") and not flags:
                    flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    versions = {}
    for package in ("aelib", "keras", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        # AMX tiles are what make TensorFlow's bfloat16 products fast on a CPU.
        "amx_bf16": "amx_bf16" in flags,
        "load_average_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "backend": keras.backend.backend(),
        "versions": versions,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="the JSON file this backend's results go to")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds per comparison")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--likelihood-repeats", type=int, default=2)
    parser.add_argument("--skip-likelihood", action="store_true")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be a positive integer, got {args.rounds}")

    import keras

    from aelib._atomic import atomic_write_text

    backend = keras.backend.backend()
    precisions = PRECISIONS if backend == "tensorflow" else ("float32",)
    started = time.perf_counter()
    result = {"machine": machine(), "peak": {}, "training": [], "quick": args.quick}
    for precision in precisions:
        result["peak"][precision] = peak(precision, quick=args.quick)
        for model in ("hinton_dense", "red_net"):
            print(f"[{backend}] {model}, {precision} ...", flush=True)
            # A tiny run first, so that what the first graph of a process costs (the
            # backend's start, its caches) is not counted as the fixed cost of either arm.
            training_pairs(model, precision, 1, quick=True)
            result["training"].append(
                training_pairs(model, precision, args.rounds, quick=args.quick)
            )
    print(f"[{backend}] RBM CD-1 ...", flush=True)
    result["rbm"] = rbm_pair(max(2, args.rounds // 2), quick=args.quick)
    if not args.skip_likelihood:
        print(f"[{backend}] log-likelihood, k = 5000 ...", flush=True)
        result["likelihood"] = likelihood(args.likelihood_repeats, quick=args.quick)
    result["wall_time_s"] = time.perf_counter() - started
    atomic_write_text(args.out, json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
