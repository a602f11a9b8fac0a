"""The vector-quantized variational autoencoder, VQ-VAE (van den Oord, Vinyals & Kavukcuoglu, 2017).

A VQ-VAE has a *discrete* code: the encoder's output ``z_e(x)`` is a grid of vectors of width
``D`` (one vector per sample, per position of a sequence, or per pixel of a feature map), and
each vector is replaced by its nearest neighbour in a learned codebook ``e_1, ..., e_K`` of
``K`` vectors of width ``D``:

    k(z) = argmin_j ||z - e_j||^2,        z_q = e_{k(z)}.

The decoder reads ``z_q``, and the code of ``x`` is the grid of integers ``k``. The argmin has
no gradient; the *straight-through estimator* passes the decoder's gradient to the encoder as
if quantization were the identity: the decoder reads ``z_e + sg[z_q - z_e]`` (``sg`` is the
stop-gradient), which equals ``z_q`` in value and has the gradient of ``z_e``. The codebook,
which the reconstruction loss no longer reaches, is trained by a term of its own, and a
*commitment* term keeps the encoder's outputs close to the codes they chose:

    L = -log p(x | z_q) + ||sg[z_e] - e||^2 + beta * ||z_e - sg[e]||^2,

with ``beta = 0.25`` in the paper. This module holds:

* `VectorQuantizer` — the layer: codebook, nearest-code indices, look-up, straight-through
  output and the two loss terms;
* `VQVAE` — an `aelib.Autoencoder` whose forward record holds ``z_e`` (``"code"``) and the
  straight-through input of the decoder (``"sampled_code"``); ``transform`` returns the
  integer codes and ``inverse_transform`` decodes them;
* NumPy helpers to read a codebook's use: `codebook_usage`, `perplexity`, `dead_codes`;
* a remedy for codes that no encoder output ever chooses ("dead" codes, a common failure of
  VQ training): `restart_dead_codes` and the callback `DeadCodeRestart`, which move each dead
  code onto a randomly chosen encoder output (the random restarts of Dhariwal et al., 2020).

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import data_array as _data_array
from aelib._validation import non_negative as _non_negative
from aelib._validation import positive_int as _positive_int
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import Autoencoder, _known_shape


# ---------------------------------------------------------------------- the layer
@keras.saving.register_keras_serializable(package="aelib")
class VectorQuantizer(keras.layers.Layer):
    """Replaces each vector of width ``code_dim`` by its nearest code in a learned codebook.

    The codebook is a weight ``codebook`` of shape ``(num_codes, code_dim)``, initialized
    uniformly in ``[-1/K, 1/K]`` (``K = num_codes``), as in the widely used PyTorch ports of
    the reference implementation (Sonnet's own draws from a variance-scaling uniform). The
    nearest code is the one of least squared Euclidean distance, computed as
    ``||z||^2 - 2 z . e + ||e||^2`` (one matrix product for the whole batch); ties go to the
    lowest index.

    The loss terms (`loss_terms`) are *means* over every element of ``z_e`` (batch, positions
    and the ``code_dim`` values), as in the Sonnet implementation of the paper's authors, not
    the sums ``||.||^2`` of the paper's equation (3): a sum would scale the terms with the size
    of the grid, and the mean keeps ``beta`` meaningful whatever the grid.

    Args:
        num_codes: ``K``, the number of codes, a positive integer.
        code_dim: ``D``, the width of each code, a positive integer.
        commitment_cost: ``beta``, the weight of the commitment term, a real number >= 0
            (0.25 by default, the paper's value).
        seed: seed of the codebook's initializer, or ``None`` (Keras' global generator, which
            `aelib.seed_everything` seeds).
        **kwargs: passed to `keras.layers.Layer`.

    Call arguments:
        inputs: a tensor ``(..., code_dim)``, e.g. ``(batch, D)``, ``(batch, n, D)`` or
            ``(batch, h, w, D)``.

    Returns:
        The straight-through quantized tensor ``z_e + sg[z_q - z_e]``, shaped like ``inputs``:
        ``z_q`` in value, with the gradient of the identity.

    Raises:
        ValueError: a bad argument, or inputs whose last axis is not ``code_dim`` wide, naming
            the parameter.

    Example:
        >>> layer = VectorQuantizer(num_codes=3, code_dim=2)
        >>> _ = layer.codebook.assign(np.array([[0, 0], [1, 0], [0, 2]], "float32"))
        >>> z = np.array([[0.9, 0.2], [0.1, 1.5], [-0.3, 0.1]], "float32")
        >>> ops.convert_to_numpy(layer.quantize_indices(z)).tolist()
        [1, 2, 0]
        >>> ops.convert_to_numpy(layer(z)).tolist()
        [[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]]
    """

    def __init__(self, num_codes, code_dim, commitment_cost=0.25, seed=None, **kwargs):
        num_codes = _positive_int("num_codes", num_codes)
        code_dim = _positive_int("code_dim", code_dim)
        commitment_cost = _non_negative("commitment_cost", commitment_cost)
        seed = _check_seed_value(seed)
        super().__init__(**kwargs)
        self.num_codes = num_codes
        self.code_dim = code_dim
        self.commitment_cost = commitment_cost
        self.seed = seed
        # The codebook's shape is known from the arguments: the layer is built at once, so that
        # `lookup` and `quantize_indices` work before any call (as `keras.layers.Embedding`).
        self.build()

    def build(self, input_shape=None):
        if self.built:
            return
        if input_shape is not None:
            self._check_last_axis("inputs", input_shape)
        limit = 1.0 / self.num_codes
        self.codebook = self.add_weight(
            name="codebook",
            shape=(self.num_codes, self.code_dim),
            initializer=keras.initializers.RandomUniform(-limit, limit, seed=self.seed),
        )

    def _check_last_axis(self, parameter, shape):
        shape = tuple(shape)
        if not shape or (shape[-1] is not None and shape[-1] != self.code_dim):
            raise ValueError(
                f"{parameter} must have code_dim = {self.code_dim} values on its last axis, "
                f"got shape {shape}"
            )

    # ------------------------------------------------------------------ quantization
    def distances(self, z_e):
        """Squared Euclidean distances from each vector of ``z_e`` to each code.

        Args:
            z_e: a tensor ``(..., code_dim)``.

        Returns:
            A float32 tensor ``(..., num_codes)``: ``||z||^2 - 2 z . e_j + ||e_j||^2``.
        """
        self._check_last_axis("z_e", z_e.shape)
        z = ops.cast(z_e, "float32")
        codebook = ops.cast(self.codebook, "float32")
        return (
            ops.sum(ops.square(z), axis=-1, keepdims=True)
            - 2.0 * ops.matmul(z, ops.transpose(codebook))
            + ops.sum(ops.square(codebook), axis=-1)
        )

    def quantize_indices(self, z_e):
        """The index of the nearest code of each vector: an int32 tensor ``z_e.shape[:-1]``."""
        return ops.cast(ops.argmin(self.distances(z_e), axis=-1), "int32")

    def lookup(self, indices):
        """The codes of ``indices`` (integers in ``[0, num_codes)``): a tensor
        ``(*indices.shape, code_dim)``, differentiable with respect to the codebook."""
        return ops.take(self.codebook, ops.cast(indices, "int32"), axis=0)

    @staticmethod
    def straight_through(z_e, z_q):
        """``z_e + sg[z_q - z_e]``: ``z_q`` in value, the identity in gradient (to ``z_e``)."""
        z_q = ops.cast(z_q, z_e.dtype)
        return z_e + ops.stop_gradient(z_q - z_e)

    def loss_terms(self, z_e, z_q):
        """The codebook and commitment terms of the VQ-VAE loss.

        Args:
            z_e: the encoder's output ``(..., code_dim)``.
            z_q: its codes, ``lookup(quantize_indices(z_e))``, same shape (not the
                straight-through output, which carries no gradient to the codebook).

        Returns:
            ``{"codebook": mean((sg[z_e] - z_q)^2), "commitment": beta * mean((z_e - sg[z_q])^2)}``,
            float32 scalars, means over every element. The first moves the codes towards the
            encoder's outputs, the second the outputs towards their codes.
        """
        z_e = ops.cast(z_e, "float32")
        z_q = ops.cast(z_q, "float32")
        codebook = ops.mean(ops.square(ops.stop_gradient(z_e) - z_q))
        commitment = ops.mean(ops.square(z_e - ops.stop_gradient(z_q)))
        return {"codebook": codebook, "commitment": self.commitment_cost * commitment}

    def call(self, inputs):
        self._check_last_axis("inputs", inputs.shape)
        z_q = self.lookup(self.quantize_indices(inputs))
        return self.straight_through(inputs, z_q)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "num_codes": self.num_codes,
            "code_dim": self.code_dim,
            "commitment_cost": self.commitment_cost,
            "seed": self.seed,
        }


# ---------------------------------------------------------------------- the model
@keras.saving.register_keras_serializable(package="aelib")
class VQVAE(Autoencoder):
    """The VQ-VAE of van den Oord et al. (2017) on the `aelib.Autoencoder` base.

    The encoder maps ``x`` to ``z_e`` of shape ``(batch, ..., code_dim)``; a `VectorQuantizer`
    (``model.quantizer``) replaces each vector by its nearest code; the decoder reads the
    quantized grid through the straight-through estimator (the `sample_code` hook). The
    forward record (``model(x)``) holds:

    * ``"code"``: ``z_e``, the encoder's continuous output;
    * ``"sampled_code"``: ``z_e + sg[z_q - z_e]``, what the decoder reads: the nearest codes
      ``z_q`` in value, with the gradient of ``z_e``;
    * ``"reconstruction"``.

    The loss of a batch is the reconstruction term of the base class (``reconstruction_loss``
    and ``feature_reduction``) plus the ``"codebook"`` and ``"commitment"`` terms of
    `VectorQuantizer.loss_terms`, each reported as a metric by ``fit`` and ``evaluate``
    (``"mse"`` is the paper's ``-log p(x | z_q)`` for a Gaussian of fixed variance, up to
    scale and a constant). The prior over the codes (a PixelCNN fitted afterwards in the
    paper) is not part of this model.

    The protocol: ``transform(x)`` returns the integer codes ``(n, ...)``;
    ``inverse_transform(indices)`` decodes them; ``reconstruct(x)`` goes through the quantizer;
    ``encode(x)`` returns the continuous ``z_e``; `codebook` returns the codes.

    Args:
        encoder: a model from inputs to ``(batch, ..., code_dim)`` (a linear output).
        decoder: a model that reads a tensor of the encoder's output shape.
        num_codes: ``K``, the size of the codebook.
        code_dim: ``D``, the width of each code: the last axis of the encoder's output.
        commitment_cost: ``beta``, the weight of the commitment term (0.25 by default).
        seed: seed of the codebook's initializer, or ``None`` (global generator).
        reconstruction_loss: as for `aelib.Autoencoder` (``"mse"`` by default).
        feature_reduction: as for `aelib.Autoencoder` (``"mean"`` by default).
        **kwargs: passed to `keras.Model` (``name``, ...).

    Raises:
        ValueError: a bad argument, or an encoder or decoder whose last axis is not
            ``code_dim`` wide, naming the parameter.

    Example:
        >>> from aelib.models import builders
        >>> encoder = builders.dense_encoder((8,), [16], code_dim=4)
        >>> decoder = builders.dense_decoder(4, [16], output_shape=(8,), output_activation="linear")
        >>> model = VQVAE(encoder, decoder, num_codes=16, code_dim=4, seed=0)
        >>> x = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
        >>> codes = model.transform(x)
        >>> codes.shape, codes.dtype, model.inverse_transform(codes).shape
        ((5,), dtype('int32'), (5, 8))
        >>> sorted(model.regularization_terms(model(x)))
        ['codebook', 'commitment']
    """

    def __init__(
        self,
        encoder,
        decoder,
        num_codes,
        code_dim,
        commitment_cost=0.25,
        seed=None,
        reconstruction_loss="mse",
        feature_reduction="mean",
        **kwargs,
    ):
        quantizer = VectorQuantizer(
            num_codes, code_dim, commitment_cost=commitment_cost, seed=seed, name="quantizer"
        )
        _check_code_dim(encoder, decoder, quantizer.code_dim)
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss=reconstruction_loss,
            feature_reduction=feature_reduction,
            **kwargs,
        )
        self.quantizer = quantizer
        self.track_regularization("codebook")
        self.track_regularization("commitment")
        input_shape = _known_shape(encoder, "input_shape")
        if input_shape is not None:  # built now, so that it saves before any call
            self.build(input_shape)

    @property
    def num_codes(self):
        """``K``, the number of codes."""
        return self.quantizer.num_codes

    @property
    def code_dim(self):
        """``D``, the width of each code."""
        return self.quantizer.code_dim

    @property
    def commitment_cost(self):
        """``beta``, the weight of the commitment term."""
        return self.quantizer.commitment_cost

    @property
    def seed(self):
        """The seed of the codebook's initializer (``None``: the global generator)."""
        return self.quantizer.seed

    def codebook(self):
        """The codes, a NumPy array ``(num_codes, code_dim)``; row ``k`` is code ``k``."""
        return ops.convert_to_numpy(self.quantizer.codebook)

    # ------------------------------------------------------------------ the forward pass
    def sample_code(self, code, training=False):
        """What the decoder reads: the straight-through quantized code
        ``z_e + sg[z_q - z_e]`` of the encoder's output ``code`` (deterministic)."""
        del training
        return self.quantizer(code)

    def regularization_terms(self, record, training=False):
        """``{"codebook": ..., "commitment": ...}`` of the record's ``"code"`` (``z_e``); see
        `VectorQuantizer.loss_terms`.

        The codes ``z_q`` are looked up again from ``z_e`` here (the same nearest codes as the
        forward pass's, by the same computation): the record's ``"sampled_code"`` equals
        ``z_q`` in value but carries no gradient to the codebook, and looking them up in the
        loss alone keeps ``predict`` and ``reconstruct`` at one quantization per pass.
        """
        del training
        code = record["code"]
        z_q = self.quantizer.lookup(self.quantizer.quantize_indices(code))
        return self.quantizer.loss_terms(code, z_q)

    # ------------------------------------------------------------------ NumPy in, NumPy out
    def nearest_codes(self, z_e, batch_size=256):
        """The indices of the nearest codes of encoder outputs ``z_e`` (NumPy ``(n, ...,
        code_dim)``), an int32 array ``(n, ...)``."""
        z_e = _data_array("z_e", z_e)
        self.quantizer._check_last_axis("z_e", z_e.shape)
        batch_size = _positive_int("batch_size", batch_size)
        parts = [
            ops.convert_to_numpy(self.quantizer.quantize_indices(z_e[i : i + batch_size]))
            for i in range(0, len(z_e), batch_size)
        ]
        return np.concatenate(parts).astype("int32")

    def transform(self, x, batch_size=256):
        """The discrete codes of ``x``: an int32 array ``(n, ...)``, the index of the nearest
        code of each of the encoder's output vectors (``(n,)`` for one vector per sample)."""
        x = self._check_inputs(x)
        batch_size = _positive_int("batch_size", batch_size)
        z_e = np.asarray(self.encoder.predict(x, batch_size=batch_size, verbose=0))
        return self.nearest_codes(z_e, batch_size=batch_size)

    def inverse_transform(self, code, batch_size=256):
        """Decodes discrete codes: integers ``(n, ...)`` in ``[0, num_codes)`` -> the decoder's
        output for their codes, NumPy in, NumPy out."""
        indices = _indices("code", code, self.num_codes)
        return super().inverse_transform(self.codebook()[indices], batch_size=batch_size)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_codes": self.num_codes,
                "code_dim": self.code_dim,
                "commitment_cost": self.commitment_cost,
                "seed": self.seed,
            }
        )
        return config


# ---------------------------------------------------------------------- reading a codebook's use
def codebook_usage(indices, num_codes):
    """How often each code is used: counts over every entry of ``indices``.

    Args:
        indices: integer codes ``(n, ...)`` in ``[0, num_codes)``, e.g. ``model.transform(x)``.
        num_codes: ``K``, the size of the codebook.

    Returns:
        An int64 array ``(num_codes,)`` summing to ``indices.size``.

    Raises:
        ValueError: empty or non-integer indices, or indices out of range, naming the parameter.

    Example:
        >>> codebook_usage(np.array([[0, 2], [2, 2]]), 4).tolist()
        [1, 0, 3, 0]
    """
    num_codes = _positive_int("num_codes", num_codes)
    indices = _indices("indices", indices, num_codes)
    return np.bincount(indices.ravel(), minlength=num_codes).astype(np.int64)


def perplexity(indices, num_codes):
    """``exp(H)``, where ``H = -sum_k p_k log p_k`` (natural log) is the entropy of the codes'
    empirical distribution ``p_k = count_k / n``: the effective number of codes in use.

    It is ``num_codes`` when every code is used equally often, 1 when a single code is, and
    ``m`` when ``m`` codes are used equally and the rest never (``0 log 0 = 0``).

    Args:
        indices: integer codes ``(n, ...)`` in ``[0, num_codes)``.
        num_codes: ``K``, the size of the codebook.

    Returns:
        A Python float in ``[1, num_codes]``.

    Example:
        >>> perplexity(np.array([0, 1, 2, 3]), 4), perplexity(np.array([1, 1, 1]), 4)
        (4.0, 1.0)
    """
    counts = codebook_usage(indices, num_codes)
    p = counts[counts > 0] / counts.sum()
    return float(np.exp(-np.sum(p * np.log(p))))


def dead_codes(indices, num_codes):
    """Which codes are never used: a boolean mask ``(num_codes,)``, True for each code that no
    entry of ``indices`` chooses; ``dead_codes(...).sum()`` counts them.

    Args:
        indices: integer codes ``(n, ...)`` in ``[0, num_codes)``, e.g. ``model.transform(x)``
            over a whole data set.
        num_codes: ``K``, the size of the codebook.

    Example:
        >>> dead_codes(np.array([0, 2, 2]), 4).tolist()
        [False, True, False, True]
    """
    return codebook_usage(indices, num_codes) == 0


# ---------------------------------------------------------------------- the dead-code remedy
def restart_dead_codes(model, x, seed=0, batch_size=256):
    """Moves every code that no encoder output of ``x`` chooses onto one of those outputs.

    The random restarts of Dhariwal et al. (2020, "Jukebox", section 2.3, after Razavi et al.'s
    codebook collapse): a dead code gets no gradient from the codebook term (only the codes
    chosen by some ``z_e`` do), so it stays dead; set to a randomly chosen encoder output of the
    current data, it is that output's nearest code (at distance 0) and is trained again. The
    outputs are drawn without replacement when there are enough of them, so that two restarted
    codes do not coincide. Only the codebook changes (not the optimizer's state).

    Args:
        model: a `VQVAE`.
        x: a batch of inputs ``(n, *input_shape)``: the encoder outputs to draw from, and the
            data on which a code is dead.
        seed: seed of the NumPy generator that picks the outputs (the same seed and data give
            the same codebook).
        batch_size: samples encoded at once.

    Returns:
        The boolean mask ``(num_codes,)`` of the codes that were restarted (dead on ``x``).

    Raises:
        TypeError: ``model`` is not a `VQVAE`.
        ValueError: bad data or a bad seed, naming the parameter.

    Example:
        >>> from aelib.models import builders
        >>> model = VQVAE(builders.dense_encoder((4,), [], code_dim=2),
        ...               builders.dense_decoder(2, [], (4,)), num_codes=8, code_dim=2, seed=0)
        >>> x = np.random.default_rng(0).random((32, 4)).astype("float32")
        >>> restarted = restart_dead_codes(model, x, seed=0)
        >>> int(dead_codes(model.transform(x), 8)[restarted].sum())  # all used now
        0
    """
    if not isinstance(model, VQVAE):
        raise TypeError(f"model must be a VQVAE, got {type(model).__name__}")
    seed = _check_seed_value(seed, allow_none=False)
    x = model._check_inputs(x)
    batch_size = _positive_int("batch_size", batch_size)
    z_e = np.asarray(model.encoder.predict(x, batch_size=batch_size, verbose=0))
    dead = dead_codes(model.nearest_codes(z_e, batch_size=batch_size), model.num_codes)
    n_dead = int(dead.sum())
    if n_dead:
        vectors = z_e.reshape(-1, model.code_dim)
        rng = np.random.default_rng(seed)
        chosen = rng.choice(len(vectors), size=n_dead, replace=n_dead > len(vectors))
        codebook = model.codebook()
        codebook[dead] = vectors[chosen]
        model.quantizer.codebook.assign(codebook)
    return dead


class DeadCodeRestart(keras.callbacks.Callback):
    """Restarts the dead codes of a `VQVAE` during training (`restart_dead_codes`).

    At the end of every ``every``-th epoch, each code that no encoder output of ``x_sample``
    chooses is set to a randomly chosen one of those outputs (Dhariwal et al., 2020). The draw
    of epoch ``e`` (counted from 0) uses the seed ``seed + e``, so a training is reproducible.

    Args:
        x_sample: a batch of training inputs, encoded at each restart.
        every: restart after every ``every`` epochs, a positive integer (1 by default).
        seed: the base seed of the draws, a non-negative integer.
        batch_size: samples encoded at once.

    Attributes:
        restarted: the number of codes restarted at each restart, in order.

    Example:
        >>> callback = DeadCodeRestart(np.zeros((4, 8), "float32"), every=2)
        >>> callback.every, callback.restarted
        (2, [])
    """

    def __init__(self, x_sample, every=1, seed=0, batch_size=256):
        super().__init__()
        self.x_sample = _data_array("x_sample", x_sample)
        self.every = _positive_int("every", every)
        self.seed = _check_seed_value(seed, allow_none=False)
        self.batch_size = _positive_int("batch_size", batch_size)
        self.restarted = []

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        dead = restart_dead_codes(
            self.model, self.x_sample, seed=self.seed + epoch, batch_size=self.batch_size
        )
        self.restarted.append(int(dead.sum()))


# ---------------------------------------------------------------------- argument checks
def _indices(parameter, value, num_codes):
    """``value`` as a NumPy integer array of codes in ``[0, num_codes)``, checked."""
    array = np.asarray(value)
    if array.ndim < 1 or array.size == 0:
        raise ValueError(
            f"{parameter} must be a non-empty array of code indices, got shape {array.shape}"
        )
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{parameter} must hold integer code indices, got dtype {array.dtype}")
    low, high = int(array.min()), int(array.max())
    if low < 0 or high >= num_codes:
        raise ValueError(
            f"{parameter} must lie in [0, {num_codes - 1}] (num_codes = {num_codes}), got "
            f"values in [{low}, {high}]"
        )
    return array


def _check_code_dim(encoder, decoder, code_dim):
    produced = _known_shape(encoder, "output_shape")
    if produced is not None and produced[-1] is not None and produced[-1] != code_dim:
        raise ValueError(
            f"code_dim must be the width of the encoder's last axis, {produced[-1]} (its output "
            f"shape is {produced}), got {code_dim}"
        )
    read = _known_shape(decoder, "input_shape")
    if read is not None and read[-1] is not None and read[-1] != code_dim:
        raise ValueError(
            f"code_dim must be the width of the decoder's last input axis, {read[-1]} (its "
            f"input shape is {read}), got {code_dim}"
        )
