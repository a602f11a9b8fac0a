"""Restricted Boltzmann machines trained with CD-1, and greedy layer-wise stacking.

This is the pretraining of Hinton & Salakhutdinov's (2006) deep autoencoders, after their Matlab
code (``rbm.m`` for logistic hidden units, ``rbmhidlinear.m`` for the linear code layer):

* `RBM` — logistic (binary) visible units, or linear visible units with unit-variance Gaussian
  noise for real-valued data (the standardized face patches of the paper), or constrained
  Poisson units for word counts (the first layer of Salakhutdinov & Hinton's semantic hashing,
  2009), and either binary
  (logistic) hidden units or linear hidden units with unit-variance Gaussian noise, as a
  `keras.Model` that ``fit`` trains with CD-1;
* `train_rbm` — Hinton's schedule: momentum 0.5 for the first epochs, then 0.9;
* `pretrain_stack` — greedy layer-wise training of a stack of RBMs, the hidden probabilities of
  one layer being the data of the next.

How ``fit`` performs CD-1. In a training step the forward pass draws the CD-1 negative sample
``v1 = p(v | h0)``, with ``h0`` sampled from ``p(h | v0)``, and the loss is the free-energy gap

    mean over the batch of F(v0) - F(stop_gradient(v1)),   plus   weight_cost / 2 * ||W||^2.

Its gradient is minus the CD-1 statistics, ``-(<v0 p(h|v0)> - <v1 p(h|v1)>)`` averaged over the
batch (and ``-(v0 - v1)``, ``-(p(h|v0) - p(h|v1))`` for the biases), plus ``weight_cost * W``,
for every kind of visible units (``-v.b`` and ``||v - b||^2 / 2`` both have the derivative
``-v`` in ``b`` up to a term that cancels in the gap; the constrained Poisson units' visible
term is ``-v.b`` too).
So `keras.optimizers.SGD` with learning rate ``epsilon`` and momentum ``m`` makes exactly
Hinton's increments ``inc = m * inc + epsilon * ((posprods - negprods) / numcases -
weightcost * W)``. Everything runs inside Keras' compiled train step (XLA on TensorFlow, ``jit``
on JAX), with only ``keras.ops`` and ``keras.random``.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from aelib._validation import choice as _choice
from aelib._validation import data_array as _data_array
from aelib._validation import non_negative as _non_negative
from aelib._validation import positive as _positive
from aelib._validation import positive_int as _positive_int
from aelib._validation import real as _real
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import per_replica_loss

HIDDEN_TYPES = ("binary", "linear")
VISIBLE_TYPES = ("binary", "gaussian", "poisson")

# Hinton & Salakhutdinov's settings (rbm.m, rbmhidlinear.m), used as defaults.
LEARNING_RATE = 0.1
LINEAR_LEARNING_RATE = 0.001
# Linear visible units on standardized data take large inputs: Hinton's rate for them too.
GAUSSIAN_LEARNING_RATE = 0.001
# Word counts are large inputs as well (a long message holds hundreds of words).
POISSON_LEARNING_RATE = 0.001
WEIGHT_COST = 0.0002
INITIAL_MOMENTUM = 0.5
FINAL_MOMENTUM = 0.9
MOMENTUM_SWITCH_EPOCH = 5


@keras.saving.register_keras_serializable(package="aelib")
class RBM(keras.Model):
    """A restricted Boltzmann machine, trained by CD-1 in ``fit``.

    With binary (logistic) visible units, whose values in [0, 1] are read as probabilities, the
    energy of a visible vector ``v`` and a hidden vector ``h`` is ``E(v, h) = -v.b - h.c - v W h``
    for binary hidden units, and ``E(v, h) = -v.b - h.c - v W h + ||h||^2 / 2`` for linear hidden
    units, whose conditional ``p(h | v)`` is then a Gaussian of mean ``c + vW`` and unit
    variance. With Gaussian (linear) visible units, for real-valued data standardized to zero
    mean and unit variance, the visible term ``-v.b`` becomes ``||v - b||^2 / 2``, so that
    ``p(v | h)`` is a Gaussian of mean ``b + h W^T`` and unit variance.

    Constrained Poisson visible units model word counts (Salakhutdinov & Hinton, 2009): given
    ``h``, the count of word ``i`` in a document of ``N`` words is Poisson with rate
    ``N * softmax(b + h W^T)_i``, so that the rates add up to the document's length (the
    constraint that keeps long documents from dominating), and ``p(h_j = 1 | v)`` is
    ``sigmoid(c_j + (vW)_j)``, computed from the raw counts. Its visible term is ``-v.b``
    (plus ``log v!``, which has no parameter and is left out), as for binary units. The free energy
    ``F(v) = -log sum_h exp(-E(v, h))`` (up to a constant) is

    * binary hidden: ``F(v) = V(v) - sum_j softplus(c_j + (vW)_j)``;
    * linear hidden: ``F(v) = V(v) - sum_j (c_j + (vW)_j)^2 / 2``;

    with ``V(v) = -v.b`` for binary and Poisson, and ``V(v) = ||v - b||^2 / 2`` for Gaussian
    visible units.

    In training, ``call`` returns the CD-1 negative sample ``v1 = E[v | h0]``, that is
    ``sigmoid(h0 W^T + b)`` (binary visible), ``h0 W^T + b`` (Gaussian visible: the mean,
    without visible noise, as in Hinton's code for real-valued data) or
    ``N * softmax(h0 W^T + b)`` (Poisson: the expected counts), where ``h0`` is a sample
    of ``p(h | v0)`` (binary: ``p > u`` with uniform ``u``; linear: mean plus standard normal
    noise), drawn from the model's own seed generator. In inference it returns the
    deterministic reconstruction ``E[v | h = E[h | v]]``. The loss (see the module) is the
    free-energy gap plus the weight cost, so SGD with momentum performs Hinton's CD-1 update.

    Reported metrics: ``loss``; ``free_energy_gap``, the mean of ``F(v0) - F(v1)``;
    ``reconstruction_error``, the squared error between data and ``v1`` summed over the visible
    units and averaged over the images, in the data's units (Hinton's ``err`` per image; in
    training ``v1`` comes from sampled hidden states, in evaluation from their means).

    Args:
        n_visible: number of visible units.
        n_hidden: number of hidden units.
        hidden_type: ``"binary"`` (logistic) or ``"linear"`` (Gaussian, unit variance).
        visible_type: ``"binary"`` (logistic; data in [0, 1]), ``"gaussian"`` (linear with
            unit-variance Gaussian noise; standardized real-valued data) or ``"poisson"``
            (constrained Poisson; non-negative word counts).
        weight_cost: the L2 weight decay ``c`` on ``W`` (not on the biases); the loss gets
            ``c / 2 * ||W||^2``. Default 0.0002, Hinton's.
        seed: seed of the generator of the hidden samples (``None``: drawn from Keras' global
            seed, so `aelib.seed_everything` still makes runs repeatable).
        **kwargs: passed to `keras.Model` (``name``, ...).

    Returns (``call``):
        A ``(batch, n_visible)`` tensor: the negative sample in training, the mean-field
        reconstruction otherwise.

    Example:
        >>> import numpy as np
        >>> rbm = RBM(6, 4)
        >>> rbm.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.5))
        >>> history = rbm.fit(np.random.rand(20, 6), epochs=1, batch_size=5, verbose=0)
        >>> sorted(history.history)
        ['free_energy_gap', 'loss', 'reconstruction_error']
        >>> gaussian = RBM(6, 4, visible_type="gaussian")
        >>> gaussian.reconstruct(np.random.randn(3, 6)).shape
        (3, 6)
        >>> counts = np.array([[3.0, 0, 1, 0, 0, 4]])  # a document of 8 words
        >>> words = RBM(6, 4, visible_type="poisson").reconstruct(counts)
        >>> round(float(words.sum()), 4)  # the expected counts add up to its length
        8.0
    """

    def __init__(
        self,
        n_visible,
        n_hidden,
        hidden_type="binary",
        visible_type="binary",
        weight_cost=WEIGHT_COST,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.n_visible = _positive_int("n_visible", n_visible)
        self.n_hidden = _positive_int("n_hidden", n_hidden)
        self.hidden_type = _choice("hidden_type", hidden_type, HIDDEN_TYPES)
        self.visible_type = _choice("visible_type", visible_type, VISIBLE_TYPES)
        self.weight_cost = _non_negative("weight_cost", weight_cost)
        self.seed = _check_seed_value(seed)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.free_energy_tracker = keras.metrics.Mean(name="free_energy_gap")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_error")
        self.build((None, self.n_visible))

    def build(self, input_shape):
        if self.built:
            return
        if input_shape[-1] is not None and input_shape[-1] != self.n_visible:
            raise ValueError(
                f"the data have {input_shape[-1]} features but the RBM has "
                f"n_visible={self.n_visible}"
            )
        # Hinton's initialization: weights 0.1 * N(0, 1), biases zero.
        self.kernel = self.add_weight(
            shape=(self.n_visible, self.n_hidden),
            initializer=keras.initializers.RandomNormal(stddev=0.1),
            name="kernel",
        )
        self.hidden_bias = self.add_weight(
            shape=(self.n_hidden,), initializer="zeros", name="hidden_bias"
        )
        self.visible_bias = self.add_weight(
            shape=(self.n_visible,), initializer="zeros", name="visible_bias"
        )
        self.built = True

    # ------------------------------------------------------------------ conditionals
    def hidden_input(self, visible):
        """``c + vW``, the total input of each hidden unit."""
        return ops.matmul(visible, self.kernel) + self.hidden_bias

    def hidden_mean(self, visible):
        """``E[h | v]``: ``sigmoid(c + vW)`` (binary) or ``c + vW`` (linear)."""
        total = self.hidden_input(visible)
        return ops.sigmoid(total) if self.hidden_type == "binary" else total

    def visible_mean(self, hidden, length=None):
        """``E[v | h]``: ``p(v = 1 | h) = sigmoid(b + h W^T)`` (binary), ``b + h W^T``
        (Gaussian) or ``length * softmax(b + h W^T)`` (Poisson: the expected counts of a
        document of ``length`` words, a ``(batch,)`` tensor, needed for these units only)."""
        total = ops.matmul(hidden, ops.transpose(self.kernel)) + self.visible_bias
        if self.visible_type == "binary":
            return ops.sigmoid(total)
        if self.visible_type == "poisson":
            if length is None:
                raise ValueError("Poisson visible units need the documents' length")
            return ops.expand_dims(length, -1) * ops.softmax(total, axis=-1)
        return total

    def _length(self, visible):
        """The number of words of each document (Poisson units), else ``None``."""
        return ops.sum(visible, axis=-1) if self.visible_type == "poisson" else None

    def sample_hidden(self, hidden_mean, noise):
        """A hidden sample from its mean and the noise of `draw_noise`.

        Binary units are on where the probability exceeds a uniform ``noise``; linear units add
        standard normal ``noise`` to their mean. Being a pure function of ``noise``, one CD-1
        step can be recomputed exactly outside the model.
        """
        if self.hidden_type == "binary":
            return ops.cast(ops.greater(hidden_mean, noise), hidden_mean.dtype)
        return hidden_mean + noise

    def draw_noise(self, batch_size, dtype="float32"):
        """The noise of one hidden sample: uniform (binary) or standard normal (linear)."""
        shape = (batch_size, self.n_hidden)
        if self.hidden_type == "binary":
            return keras.random.uniform(shape, dtype=dtype, seed=self.seed_generator)
        return keras.random.normal(shape, dtype=dtype, seed=self.seed_generator)

    def negative_sample(self, visible, noise):
        """CD-1's reconstruction ``v1 = E[v | h0]`` with ``h0`` sampled from ``p(h | v0)``.

        Gaussian visible units give their mean, not a noisy sample: the noise would only add
        variance to the update (Hinton's code for real-valued data does the same).
        """
        hidden = self.sample_hidden(self.hidden_mean(visible), noise)
        return self.visible_mean(hidden, self._length(visible))

    def free_energy(self, visible):
        """``F(v)`` per sample, shape ``(batch,)`` (see the class docstring)."""
        total = self.hidden_input(visible)
        if self.hidden_type == "binary":
            hidden_term = ops.sum(ops.softplus(total), axis=-1)
        else:
            hidden_term = 0.5 * ops.sum(ops.square(total), axis=-1)
        if self.visible_type in ("binary", "poisson"):
            visible_term = -ops.matmul(visible, self.visible_bias)
        else:
            visible_term = 0.5 * ops.sum(ops.square(visible - self.visible_bias), axis=-1)
        return visible_term - hidden_term

    # ------------------------------------------------------------------ Keras plumbing
    def call(self, inputs, training=None):
        visible = ops.cast(inputs, self.compute_dtype)
        if training:
            noise = self.draw_noise(ops.shape(visible)[0], dtype=visible.dtype)
            return self.negative_sample(visible, noise)
        return self.visible_mean(self.hidden_mean(visible), self._length(visible))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        del y, sample_weight, training
        visible = ops.cast(x, y_pred.dtype)
        # The negative sample is a constant of the update: only F's explicit dependence on the
        # parameters gives the CD-1 statistics.
        negative = ops.stop_gradient(y_pred)
        gap = ops.mean(self.free_energy(visible) - self.free_energy(negative))
        squared_error = ops.mean(ops.sum(ops.square(visible - negative), axis=-1))
        batch_size = ops.shape(visible)[0]
        self.free_energy_tracker.update_state(gap, sample_weight=batch_size)
        self.reconstruction_tracker.update_state(squared_error, sample_weight=batch_size)
        return per_replica_loss(gap + 0.5 * self.weight_cost * ops.sum(ops.square(self.kernel)))

    # ------------------------------------------------------------------ NumPy in, NumPy out
    def transform(self, x, batch_size=1024):
        """NumPy in, NumPy out: the hidden means ``E[h | v]`` (the data of the next RBM)."""
        x = _check_data(x, self.n_visible, self.visible_type)
        return _batched(lambda v: self.hidden_mean(v), x, _positive_int("batch_size", batch_size))

    def reconstruct(self, x, batch_size=1024):
        """NumPy in, NumPy out: the deterministic up-down reconstruction of ``x``."""
        x = _check_data(x, self.n_visible, self.visible_type)
        return _batched(
            lambda v: self.visible_mean(self.hidden_mean(v), self._length(v)),
            x,
            _positive_int("batch_size", batch_size),
        )

    def score_samples(self, x, batch_size=1024):
        """Per-sample scores with scikit-learn's sign (higher = more normal): ``-F(v)``, the
        negative free energy, which is ``log p(v)`` up to the RBM's log partition function.

        Returns:
            A float64 array ``(n,)``.
        """
        x = _check_data(x, self.n_visible, self.visible_type)
        scores = _batched(
            lambda v: -self.free_energy(v), x, _positive_int("batch_size", batch_size)
        )
        return scores.astype(np.float64)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "n_visible": self.n_visible,
                "n_hidden": self.n_hidden,
                "hidden_type": self.hidden_type,
                "visible_type": self.visible_type,
                "weight_cost": self.weight_cost,
                "seed": self.seed,
            }
        )
        return config


def train_rbm(
    rbm,
    x,
    *,
    epochs=10,
    batch_size=100,
    learning_rate=None,
    initial_momentum=INITIAL_MOMENTUM,
    final_momentum=FINAL_MOMENTUM,
    momentum_switch_epoch=MOMENTUM_SWITCH_EPOCH,
    seed=0,
    verbose=0,
    shuffle=True,
):
    """Trains an `RBM` with CD-1 and Hinton's momentum schedule.

    The first ``momentum_switch_epoch`` epochs use ``initial_momentum``, the rest
    ``final_momentum`` (Hinton: ``if epoch > 5, momentum = 0.9``). The switch is two calls of
    ``fit`` with two SGD optimizers; the second starts from the first one's velocity (the
    increments ``vishidinc`` etc. of Hinton's code carry over the switch), not from zero. (With
    ``initial_momentum=0`` Keras keeps no velocity, so the second phase starts from zero, where
    Hinton's code would carry the last increment.)

    Args:
        rbm: the `RBM` to train (trained in place).
        x: data, ``(n_samples, n_visible)`` (or images, flattened): values in [0, 1] for
            binary visible units, any finite real values (standardized) for Gaussian ones,
            non-negative counts for Poisson ones.
        epochs: passes over the data.
        batch_size: samples per update (Hinton: 100).
        learning_rate: SGD's learning rate ``epsilon``; ``None`` picks Hinton's: 0.001 when the
            RBM has Gaussian or Poisson visible or linear hidden units, 0.1 otherwise
            (binary-binary).
        initial_momentum, final_momentum: momenta in [0, 1).
        momentum_switch_epoch: number of epochs with ``initial_momentum`` (0: none).
        seed: seeds the shuffling (`aelib.seed_everything`). The hidden samples come from the
            RBM's own seed generator, fixed when it was constructed.
        verbose: Keras verbosity.
        shuffle: reshuffle the data each epoch (Hinton used fixed mini-batches).

    Returns:
        A dict ``{metric: list of per-epoch values}`` (``loss``, ``free_energy_gap``,
        ``reconstruction_error``) over all epochs.

    Example:
        >>> import numpy as np
        >>> rbm = RBM(6, 3)
        >>> curves = train_rbm(rbm, np.random.rand(50, 6), epochs=3, momentum_switch_epoch=1)
        >>> len(curves["reconstruction_error"])
        3
    """
    from aelib.training import seed_everything

    if not isinstance(rbm, RBM):
        raise ValueError(f"rbm must be an aelib.models.rbm.RBM, got {type(rbm).__name__}")
    epochs = _positive_int("epochs", epochs)
    batch_size = _positive_int("batch_size", batch_size)
    if learning_rate is None:
        learning_rate = _default_learning_rate(rbm)
    learning_rate = _positive("learning_rate", learning_rate)
    initial_momentum = _momentum("initial_momentum", initial_momentum)
    final_momentum = _momentum("final_momentum", final_momentum)
    if (
        isinstance(momentum_switch_epoch, bool)
        or not isinstance(momentum_switch_epoch, int)
        or momentum_switch_epoch < 0
    ):
        raise ValueError(
            f"momentum_switch_epoch must be a non-negative integer, got {momentum_switch_epoch!r}"
        )
    x = _check_data(x, rbm.n_visible, rbm.visible_type)
    seed_everything(seed)

    curves = {}
    phases = [
        (0, min(momentum_switch_epoch, epochs), initial_momentum),
        (min(momentum_switch_epoch, epochs), epochs, final_momentum),
    ]
    previous = None
    for start, stop, momentum in phases:
        if stop <= start:
            continue
        optimizer = keras.optimizers.SGD(learning_rate=learning_rate, momentum=momentum)
        optimizer.build(rbm.trainable_variables)
        if previous is not None and momentum > 0 and previous.momentum > 0:
            for new, old in zip(optimizer.momentums, previous.momentums):
                new.assign(old)
        rbm.compile(optimizer=optimizer)
        history = rbm.fit(
            x,
            epochs=stop,
            initial_epoch=start,
            batch_size=batch_size,
            shuffle=shuffle,
            verbose=verbose,
        )
        for name, values in history.history.items():
            curves.setdefault(name, []).extend(float(v) for v in values)
        previous = optimizer
    return curves


def pretrain_stack(
    x,
    layer_sizes,
    *,
    epochs=10,
    batch_size=100,
    seed=0,
    learning_rate=LEARNING_RATE,
    linear_learning_rate=LINEAR_LEARNING_RATE,
    visible_type="binary",
    gaussian_learning_rate=GAUSSIAN_LEARNING_RATE,
    poisson_learning_rate=POISSON_LEARNING_RATE,
    top_hidden_type="linear",
    weight_cost=WEIGHT_COST,
    initial_momentum=INITIAL_MOMENTUM,
    final_momentum=FINAL_MOMENTUM,
    momentum_switch_epoch=MOMENTUM_SWITCH_EPOCH,
    verbose=0,
    return_curves=False,
):
    """Greedy layer-wise pretraining: one RBM per pair of consecutive layers, bottom first.

    The first RBM models the data; each next one models the hidden probabilities (means) of the
    one below on the training data. Every RBM has binary hidden units except the top one, whose
    hidden units are ``top_hidden_type``: linear with Gaussian noise by default (the code layer
    of Hinton & Salakhutdinov, 2006), or binary (the code of semantic hashing). The first RBM
    has ``visible_type`` visible units; the others binary ones (they model hidden
    probabilities).

    Args:
        x: training data, ``(n_samples, layer_sizes[0])`` or images with that many pixels,
            values in [0, 1] (binary visible units), standardized real values (Gaussian) or
            word counts (Poisson).
        layer_sizes: the widths of the layers from the data to the code, e.g.
            ``[784, 1000, 500, 250, 30]``; at least two.
        epochs: CD-1 epochs per layer (one number, or one per RBM).
        batch_size: samples per update (Hinton: 100).
        seed: layer ``l`` (from 0) is trained with seed ``seed + l``.
        learning_rate: for the RBMs with binary visible and hidden units (Hinton: 0.1).
        linear_learning_rate: for the top RBM when its hidden units are linear (Hinton: 0.001).
        visible_type: visible units of the first RBM, ``"binary"`` (data in [0, 1]),
            ``"gaussian"`` (standardized real-valued data, as the paper's faces) or
            ``"poisson"`` (word counts, constrained Poisson units).
        gaussian_learning_rate: for the first RBM when its visible units are Gaussian (Hinton:
            0.001). A single RBM that is both Gaussian-visible and linear-hidden gets the
            smaller of this and ``linear_learning_rate``.
        poisson_learning_rate: for the first RBM when its visible units are Poisson (0.001; the
            same rule with ``linear_learning_rate``).
        top_hidden_type: hidden units of the top RBM, ``"linear"`` or ``"binary"``.
        weight_cost: L2 weight cost of every RBM (Hinton: 0.0002).
        initial_momentum, final_momentum, momentum_switch_epoch: see `train_rbm`.
        verbose: Keras verbosity.
        return_curves: also return each RBM's per-epoch metrics.

    Returns:
        The list of trained `RBM`, bottom first; with ``return_curves``, a pair
        ``(rbms, curves)`` where ``curves[l]`` is the dict `train_rbm` returned for layer ``l``.

    Example:
        >>> import numpy as np
        >>> rbms = pretrain_stack(np.random.rand(64, 8), [8, 5, 2], epochs=1, batch_size=16)
        >>> [(r.n_visible, r.n_hidden, r.hidden_type) for r in rbms]
        [(8, 5, 'binary'), (5, 2, 'linear')]
    """
    from aelib.training import seed_everything

    layer_sizes = check_layer_sizes(layer_sizes)
    n_rbms = len(layer_sizes) - 1
    if isinstance(epochs, (list, tuple)):
        if len(epochs) != n_rbms:
            raise ValueError(
                f"epochs lists {len(epochs)} values for {n_rbms} RBMs; give one number or one "
                "per RBM"
            )
        epochs = [_positive_int("epochs", e) for e in epochs]
    else:
        epochs = [_positive_int("epochs", epochs)] * n_rbms
    _positive_int("batch_size", batch_size)
    _positive("learning_rate", learning_rate)
    _positive("linear_learning_rate", linear_learning_rate)
    _choice("visible_type", visible_type, VISIBLE_TYPES)
    _positive("gaussian_learning_rate", gaussian_learning_rate)
    _positive("poisson_learning_rate", poisson_learning_rate)
    _choice("top_hidden_type", top_hidden_type, HIDDEN_TYPES)
    _non_negative("weight_cost", weight_cost)
    _momentum("initial_momentum", initial_momentum)
    _momentum("final_momentum", final_momentum)
    _check_seed_value(seed, allow_none=False)
    if math.prod(np.shape(x)[1:]) != layer_sizes[0]:
        raise ValueError(
            f"x has {math.prod(np.shape(x)[1:])} features per sample but layer_sizes[0] is "
            f"{layer_sizes[0]}; layer_sizes starts with the data's width"
        )
    data = _check_data(x, layer_sizes[0], visible_type)

    rbms, curves = [], []
    for layer, (n_visible, n_hidden) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        top = layer == n_rbms - 1
        first_visible = visible_type if layer == 0 else "binary"
        linear_top = top and top_hidden_type == "linear"
        seed_everything(seed + layer)  # the initial weights of this layer
        rbm = RBM(
            n_visible,
            n_hidden,
            hidden_type="linear" if linear_top else "binary",
            visible_type=first_visible,
            weight_cost=weight_cost,
            name=f"rbm_{layer + 1}",
        )
        curves.append(
            train_rbm(
                rbm,
                data,
                epochs=epochs[layer],
                batch_size=batch_size,
                learning_rate=_learning_rate_for(
                    first_visible,
                    linear_top,
                    {"gaussian": gaussian_learning_rate, "poisson": poisson_learning_rate},
                    linear_learning_rate,
                    learning_rate,
                ),
                initial_momentum=initial_momentum,
                final_momentum=final_momentum,
                momentum_switch_epoch=momentum_switch_epoch,
                seed=seed + layer,
                verbose=verbose,
            )
        )
        rbms.append(rbm)
        if not top:
            data = rbm.transform(data)
    return (rbms, curves) if return_curves else rbms


# ---------------------------------------------------------------------- helpers
def check_layer_sizes(layer_sizes):
    """Checks the widths of a stack, from the data to the code.

    Args:
        layer_sizes: a sequence of at least two positive integers, e.g. ``[784, 1000, 30]``.

    Returns:
        The widths as a list of Python ints; raises ValueError naming ``layer_sizes`` otherwise.

    Example:
        >>> check_layer_sizes((784, 256, 30))
        [784, 256, 30]
    """
    if isinstance(layer_sizes, (str, int)) or not hasattr(layer_sizes, "__iter__"):
        raise ValueError(
            f"layer_sizes must be a list of at least two positive integers (data to code), "
            f"got {layer_sizes!r}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2 or any(
        isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in sizes
    ):
        raise ValueError(
            f"layer_sizes must be a list of at least two positive integers (data to code), "
            f"got {layer_sizes!r}"
        )
    return [int(s) for s in sizes]


def _default_learning_rate(rbm):
    """Hinton's learning rate for ``rbm`` (see `_learning_rate_for`)."""
    return _learning_rate_for(
        rbm.visible_type,
        rbm.hidden_type == "linear",
        {"gaussian": GAUSSIAN_LEARNING_RATE, "poisson": POISSON_LEARNING_RATE},
        LINEAR_LEARNING_RATE,
        LEARNING_RATE,
    )


def _learning_rate_for(visible_type, linear_hidden, visible_rates, linear_rate, binary_rate):
    """The rate of an RBM: each kind of unit with unbounded inputs (Gaussian or Poisson visible,
    linear hidden) has its own rate, ``visible_rates[visible_type]`` or ``linear_rate``, and an
    RBM with two takes the smaller one; a binary-binary RBM takes ``binary_rate``."""
    rates = [visible_rates[visible_type]] if visible_type in visible_rates else []
    rates += [linear_rate] if linear_hidden else []
    return min(rates) if rates else binary_rate


def _momentum(parameter, value):
    return _real(parameter, value, low=0.0, high=1.0, high_open=True)


def _check_data(x, n_features, visible_type="binary"):
    # Non-empty, finite, no uint8 pixels: the library's check; then the RBM's own.
    x = _data_array("x", x)
    x = x.astype("float32").reshape(len(x), -1)
    if x.shape[1] != n_features:
        raise ValueError(
            f"x has {x.shape[1]} features per sample, but the visible layer has {n_features}"
        )
    if visible_type == "binary" and (x.min() < 0.0 or x.max() > 1.0):
        raise ValueError(
            "x must have values in [0, 1] (probabilities of the logistic visible units); "
            "divide uint8 images by 255"
        )
    if visible_type == "poisson" and x.min() < 0.0:
        raise ValueError(
            "x must be non-negative word counts for Poisson visible units, got a minimum of "
            f"{x.min():g}"
        )
    return x


def _batched(function, x, batch_size):
    parts = [
        ops.convert_to_numpy(function(x[i : i + batch_size])) for i in range(0, len(x), batch_size)
    ]
    return np.concatenate(parts, axis=0)
