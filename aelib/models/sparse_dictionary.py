"""Sparse autoencoders as feature dictionaries: reading features out of a network's activations.

A sparse autoencoder (SAE) trained on the hidden activations ``a`` of another network writes each
activation vector as a sparse combination of learned directions, the *atoms* of a dictionary:

    z = s(W_enc (a - b_pre) + b_enc),        a_hat = W_dec z + b_pre,

where ``s`` makes the code ``z`` sparse and the columns of ``W_dec`` (the rows of the decoder's
kernel here) are the atoms. The bias ``b_pre`` is shared: subtracted before encoding and added
back after decoding, so the encoder sees activations centred on the decoder's bias (Bricken et
al. 2023; Gao et al. 2024). Three models, each an `aelib.Autoencoder`:

* `SparseDictionaryAutoencoder` — ReLU latents, no sparsity term: the common architecture;
* `TopKSparseAutoencoder` — ``s`` keeps the ``k`` largest pre-activations (`aelib.KSparse`)
  and rectifies them, as in Gao et al. (2024), the k-sparse autoencoder of Makhzani & Frey
  (2013) applied to activations;
* `L1SparseAutoencoder` — ReLU latents and an L1 penalty ``lambda * mean_i ||z_i||_1`` on the
  code, as in Bricken et al. (2023).

The atoms are kept at unit norm by default (a `keras.constraints.UnitNorm` on the decoder's
kernel, applied after every optimizer step); without it an L1 penalty could be dodged by
shrinking the code and growing the atoms. The evaluation helpers are NumPy in, NumPy out:
`fraction_of_variance_unexplained` and `dead_latents`.

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import data_array as _data_array
from aelib._validation import non_negative as _non_negative
from aelib._validation import positive_int as _positive_int
from aelib.models.autoencoder import Autoencoder
from aelib.models.sparse import KSparse, sparsity_penalty


# ---------------------------------------------------------------------- the models
@keras.saving.register_keras_serializable(package="aelib")
class SparseDictionaryAutoencoder(Autoencoder):
    """An autoencoder of activation vectors whose decoder is a dictionary of (unit-norm) atoms.

    The model computes ``z = relu(W_enc (a - b_pre) + b_enc)`` and ``a_hat = W_dec z + b_pre``.
    Its networks are built from the sizes: the encoder (layers ``"latent_linear"`` and
    ``"latent_relu"``) maps *centred* vectors ``a - b_pre`` to the code, and the decoder (one
    dense layer, ``"dictionary"``) maps a code to ``W_dec z + b_pre``: its bias is ``b_pre``,
    which the model subtracts before encoding (`encode_record`, `transform`), so the same
    vector is learned from both sides. The weights start as in Gao et al. (2024): random
    unit-norm atoms, the encoder's kernel the transpose of the decoder's, zero biases (see
    `set_pre_bias` to start ``b_pre`` at the data's mean).

    This class has no sparsity term: with ``latents`` larger than ``input_dim`` it can learn a
    dense code; `TopKSparseAutoencoder` and `L1SparseAutoencoder` add the constraint or the
    penalty.

    Args:
        input_dim: width ``d`` of the activation vectors.
        latents: width ``m`` of the code, the number of atoms (usually several times ``d``).
        unit_norm_atoms: keep every atom (row of the decoder's kernel) at unit L2 norm with a
            `keras.constraints.UnitNorm` applied after each optimizer step (``True`` or
            ``False``).
        feature_reduction: ``"sum"`` (default: the loss is ``||a - a_hat||^2`` per sample) or
            ``"mean"`` (divided by ``d``).
        **kwargs: passed to `aelib.Autoencoder` (``name``, ...); the reconstruction loss is
            the squared error.

    Raises:
        ValueError: a size that is not a positive integer, a ``unit_norm_atoms`` that is not a
            bool, or a ``reconstruction_loss`` other than ``"mse"``, naming the parameter.

    Example:
        >>> model = SparseDictionaryAutoencoder(input_dim=8, latents=32)
        >>> model.atoms().shape, model.pre_bias.shape
        ((32, 8), (8,))
        >>> bool(np.allclose(np.linalg.norm(model.atoms(), axis=1), 1.0))
        True
    """

    def __init__(
        self,
        input_dim,
        latents,
        unit_norm_atoms=True,
        feature_reduction="sum",
        **kwargs,
    ):
        input_dim = _positive_int("input_dim", input_dim)
        latents = _positive_int("latents", latents)
        if not isinstance(unit_norm_atoms, (bool, np.bool_)):
            raise ValueError(f"unit_norm_atoms must be True or False, got {unit_norm_atoms!r}")
        if kwargs.pop("reconstruction_loss", "mse") != "mse":
            raise ValueError("reconstruction_loss must be 'mse' for a sparse dictionary")
        inputs = keras.Input((input_dim,), name="centred_activations")
        pre_activations = keras.layers.Dense(latents, name="latent_linear")(inputs)
        encoder = keras.Model(inputs, self._sparsify(pre_activations), name="encoder")
        codes = keras.Input((latents,), name="code")
        dictionary = keras.layers.Dense(
            input_dim,
            kernel_constraint=keras.constraints.UnitNorm(axis=1) if unit_norm_atoms else None,
            name="dictionary",
        )
        decoder = keras.Model(codes, dictionary(codes), name="decoder")
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss="mse",
            feature_reduction=feature_reduction,
            **kwargs,
        )
        self.input_dim = input_dim
        self.latents = latents
        self.unit_norm_atoms = bool(unit_norm_atoms)
        # Gao et al.'s start: unit-norm atoms, the encoder the decoder's transpose.
        kernel = ops.convert_to_numpy(dictionary.kernel)
        kernel = kernel / np.linalg.norm(kernel, axis=1, keepdims=True)
        dictionary.kernel.assign(kernel)
        encoder.get_layer("latent_linear").kernel.assign(kernel.T)
        for name in self._loss_terms():
            self.track_regularization(name)
        self.build((None, input_dim))  # the networks are built; so is the model

    def _sparsify(self, pre_activations):
        """The layers that turn the encoder's pre-activations into the code (here a ReLU)."""
        return keras.layers.ReLU(name="latent_relu")(pre_activations)

    def _loss_terms(self):
        """Names of the regularization terms, declared before the model is built."""
        return ()

    # ------------------------------------------------------------------ the dictionary
    @property
    def pre_bias(self):
        """``b_pre``, the decoder's bias, as a NumPy array ``(input_dim,)``."""
        return ops.convert_to_numpy(self.decoder.get_layer("dictionary").bias)

    def atoms(self):
        """The dictionary: a NumPy array ``(latents, input_dim)`` whose row ``j`` is the
        direction latent ``j`` adds to the reconstruction, ``a_hat = b_pre + sum_j z_j atom_j``."""
        return ops.convert_to_numpy(self.decoder.get_layer("dictionary").kernel)

    def set_pre_bias(self, x):
        """Sets ``b_pre`` to the mean of the activation vectors ``x`` (a starting point; Gao et
        al. and Bricken et al. use the geometric median).

        Args:
            x: an array ``(n, input_dim)``.

        Returns:
            The model, for chaining.
        """
        x = self._check_inputs(x)
        self.decoder.get_layer("dictionary").bias.assign(x.mean(axis=0).astype("float32"))
        return self

    # ------------------------------------------------------------------ the tied pre-bias
    def _centre(self, inputs):
        bias = self.decoder.get_layer("dictionary").bias
        return ops.cast(inputs, bias.dtype) - bias

    def encode_record(self, inputs, training=False):
        """``{"code": encoder(inputs - b_pre)}``."""
        return {"code": self.encoder(self._centre(inputs), training=training)}

    def transform(self, x, batch_size=256):
        """The codes of ``x``, NumPy in, NumPy out: the encoder applied to ``x - b_pre``."""
        x = self._check_inputs(x)
        return super().transform(x - self.pre_bias, batch_size=batch_size)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        # The networks are rebuilt from the sizes; the loader restores their weights.
        del config["encoder"], config["decoder"], config["reconstruction_loss"]
        config.update(
            {
                "input_dim": self.input_dim,
                "latents": self.latents,
                "unit_norm_atoms": self.unit_norm_atoms,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@keras.saving.register_keras_serializable(package="aelib")
class TopKSparseAutoencoder(SparseDictionaryAutoencoder):
    """A sparse autoencoder of activation vectors with a top-k code (Gao et al., 2024).

    ``z = relu(topk_k(W_enc (a - b_pre) + b_enc))`` and ``a_hat = W_dec z + b_pre``: the
    `aelib.KSparse` layer (``"top_k"``) keeps the ``k`` largest pre-activations of each sample
    and a ReLU (``"latent_relu"``) zeroes any kept one that is negative, so at most ``k``
    latents are active per sample, in training and at inference alike. The loss is the squared
    error alone: the sparsity is a constraint, not a penalty. See `SparseDictionaryAutoencoder`
    for the tied bias ``b_pre``, the unit-norm atoms and the initialization.

    Args:
        input_dim: width ``d`` of the activation vectors.
        latents: width ``m`` of the code, the number of atoms.
        k: latents kept per sample, ``1 <= k <= latents``.
        **kwargs: ``unit_norm_atoms``, ``feature_reduction`` and the rest, as for
            `SparseDictionaryAutoencoder`.

    Raises:
        ValueError: a bad size, or ``k`` larger than ``latents``, naming the parameter.

    Example:
        >>> model = TopKSparseAutoencoder(input_dim=8, latents=32, k=4)
        >>> a = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
        >>> int((model.transform(a) != 0).sum(axis=1).max()) <= 4
        True
    """

    def __init__(self, input_dim, latents, k, **kwargs):
        k = _positive_int("k", k)
        latents_checked = _positive_int("latents", latents)
        if k > latents_checked:
            raise ValueError(f"k must be at most latents ({latents_checked}), got k={k}")
        self._k = k
        super().__init__(input_dim, latents, **kwargs)

    @property
    def k(self):
        """Latents kept per sample in training (the ``k`` of the encoder's ``"top_k"`` layer,
        which a schedule may change between epochs, as in the sparse chapter)."""
        return self.encoder.get_layer("top_k").k

    def _sparsify(self, pre_activations):
        kept = KSparse(self._k, name="top_k")(pre_activations)
        return keras.layers.ReLU(name="latent_relu")(kept)

    def get_config(self):
        return {**super().get_config(), "k": self.k}


@keras.saving.register_keras_serializable(package="aelib")
class L1SparseAutoencoder(SparseDictionaryAutoencoder):
    """A sparse autoencoder of activation vectors with ReLU latents and an L1 penalty.

    ``z = relu(W_enc (a - b_pre) + b_enc)``, ``a_hat = W_dec z + b_pre``, and the loss of a batch
    is ``mean_i ||a_i - a_hat_i||^2 + l1_weight * mean_i ||z_i||_1`` (Bricken et al., 2023). The
    penalty is reported by ``fit`` and ``evaluate`` as ``"sparsity_l1"``; it is meaningful only
    with unit-norm atoms (the default), since otherwise the code can shrink while the atoms grow.
    See `SparseDictionaryAutoencoder` for the tied bias and the initialization.

    Args:
        input_dim: width ``d`` of the activation vectors.
        latents: width ``m`` of the code, the number of atoms.
        l1_weight: ``lambda``, the weight of the penalty, a real number >= 0.
        **kwargs: ``unit_norm_atoms``, ``feature_reduction`` and the rest, as for
            `SparseDictionaryAutoencoder`.

    Raises:
        ValueError: a bad size or a negative or non-finite ``l1_weight``, naming the parameter.

    Example:
        >>> model = L1SparseAutoencoder(input_dim=8, latents=32, l1_weight=0.1)
        >>> a = np.ones((4, 8), "float32")
        >>> sorted(model.regularization_terms(model(a)))
        ['sparsity_l1']
    """

    def __init__(self, input_dim, latents, l1_weight, **kwargs):
        self._l1_weight = _non_negative("l1_weight", l1_weight)
        super().__init__(input_dim, latents, **kwargs)

    def _loss_terms(self):
        return ("sparsity_l1",)

    @property
    def l1_weight(self):
        """``lambda``, the weight of the L1 penalty."""
        return self._l1_weight

    def regularization_terms(self, record, training=False):
        """``{"sparsity_l1": l1_weight * mean_i sum_j |z_ij|}`` of the batch's code."""
        del training
        return {"sparsity_l1": self._l1_weight * sparsity_penalty(record["code"], "activity_l1")}

    def get_config(self):
        return {**super().get_config(), "l1_weight": self._l1_weight}


# ---------------------------------------------------------------------- evaluation
def fraction_of_variance_unexplained(x, x_hat):
    """The fraction of variance unexplained by a reconstruction, summed over a data set.

    ``FVU = sum_i ||x_i - x_hat_i||^2 / sum_i ||x_i - mean(x)||^2``, where ``mean(x)`` is the mean
    vector of the rows of ``x``: 0 for a perfect reconstruction, 1 for one no better than
    predicting the mean (Gao et al. call it the normalized MSE). Computed in float64.

    Args:
        x: the data, an array ``(n, ...)``; each row (first axis) is one sample.
        x_hat: its reconstruction, an array of the same shape.

    Returns:
        A Python float >= 0.

    Raises:
        ValueError: empty or non-finite arrays, shapes that differ, or an ``x`` whose rows are
            all equal (no variance to explain), naming the parameter.

    Example:
        >>> x = np.array([[0.0, 0.0], [2.0, 2.0]])
        >>> fraction_of_variance_unexplained(x, np.array([[0.0, 1.0], [2.0, 2.0]]))
        0.25
    """
    x = _float64("x", x)
    x_hat = _float64("x_hat", x_hat)
    if x.shape != x_hat.shape:
        raise ValueError(f"x_hat must have the shape of x, {x.shape}, got {x_hat.shape}")
    x, x_hat = x.reshape(len(x), -1), x_hat.reshape(len(x_hat), -1)
    total = float(np.sum((x - x.mean(axis=0)) ** 2))
    if total == 0.0:
        raise ValueError("x has no variance (every row is the same): the FVU is undefined")
    return float(np.sum((x - x_hat) ** 2)) / total


def dead_latents(codes):
    """Which latents never fire: a boolean mask, True for each column of ``codes`` that is zero
    on every row.

    Args:
        codes: an array ``(n, latents)`` of codes (or ``(n, ...)``, flattened per sample), e.g.
            ``model.transform(x)`` over a whole data set.

    Returns:
        A boolean array ``(latents,)``; ``dead_latents(codes).sum()`` counts the dead latents
        and ``~dead_latents(codes)`` selects the live ones.

    Raises:
        ValueError: empty or non-finite codes, naming the parameter.

    Example:
        >>> dead_latents(np.array([[0.0, 1.5, 0.0], [0.0, 0.0, 0.2]])).tolist()
        [True, False, False]
    """
    codes = _float64("codes", codes)
    return ~np.any(codes.reshape(len(codes), -1) != 0, axis=0)


def _float64(parameter, value):
    array = _data_array(parameter, value)
    if array.ndim < 2:
        raise ValueError(
            f"{parameter} must be a batch of vectors (n_samples, features), got shape {array.shape}"
        )
    return array.astype(np.float64)
