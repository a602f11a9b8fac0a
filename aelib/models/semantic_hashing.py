"""Semantic hashing: a deep autoencoder that maps documents to short binary codes.

Salakhutdinov & Hinton (2009) pretrain a stack of RBMs on word-count vectors, the first with
constrained Poisson visible units (`aelib.models.rbm.RBM` with ``visible_type="poisson"``), the
others binary, the top one with *logistic* code units, and unroll it into a deep autoencoder
(as `aelib.models.deep.unroll` does for images). Two things differ from the image autoencoder:

* the output layer is a softmax over the vocabulary, ``softmax(h W_1^T + b_1)``, the
  normalized rates of the first RBM's Poisson units, and the fine-tuning loss is the
  cross-entropy between it and the document's word distribution ``v / sum(v)``;
* during fine-tuning, Gaussian noise of standard deviation ``code_noise`` is added to the
  total input of each code unit before its logistic. To carry information through the noise,
  the code units learn to push their inputs far from zero, where the logistic is 0 or 1, so
  the codes become nearly binary; rounding them at 0.5 then loses little. (The paper fixed one
  noise vector per training document, a deterministic objective for conjugate gradient; here
  fresh noise is drawn at every step, which suits stochastic gradient training.)

The binary code of a document is then a memory address: similar documents land at nearby
addresses, and `aelib.evaluation.retrieval.HammingHashTable` finds them by probing the
addresses within a small Hamming distance of the query's.

* `SemanticHashingAutoencoder` — the model, with ``binary_codes``;
* `unroll_hashing` — builds it from a pretrained stack;
* `AdditiveGaussianNoise` — the noise layer on the code units' inputs.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import non_negative as _non_negative
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import Autoencoder
from aelib.models.deep import deep_autoencoder
from aelib.models.rbm import RBM


@keras.saving.register_keras_serializable(package="aelib")
class AdditiveGaussianNoise(keras.layers.Layer):
    """Adds ``stddev`` times standard normal noise to its input in training; the identity in
    inference.

    `keras.layers.GaussianNoise` takes standard deviations up to 1 only; semantic hashing uses
    larger ones, on the code units' total inputs.

    Args:
        stddev: the noise's standard deviation, ``>= 0``.
        seed: seed of the layer's generator (``None``: from Keras' global seed).
        **kwargs: passed to `keras.layers.Layer` (``name``, ...).

    Returns (``call``):
        A tensor of the input's shape.

    Example:
        >>> layer = AdditiveGaussianNoise(4.0, seed=0)
        >>> x = np.zeros((1000, 2), "float32")
        >>> float(np.asarray(layer(x)).std())  # inference: no noise
        0.0
        >>> round(float(np.asarray(layer(x, training=True)).std()), 1)
        4.0
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.stddev = _non_negative("stddev", stddev)
        self.seed = _check_seed_value(seed)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            noise = keras.random.normal(
                ops.shape(inputs), dtype=inputs.dtype, seed=self.seed_generator
            )
            return inputs + self.stddev * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config


@keras.saving.register_keras_serializable(package="aelib")
class SemanticHashingAutoencoder(Autoencoder):
    """A deep autoencoder of word counts with noisy logistic code units.

    An `aelib.Autoencoder` whose encoder ends in the code units' total inputs ``a`` (layer
    ``"code"``), an `AdditiveGaussianNoise` layer (``"code_noise"``, active in training
    only) and a logistic (``"code_units"``): the code is ``sigmoid(a)`` in inference and
    ``sigmoid(a + code_noise * e)``, with ``e`` standard normal, in training. The decoder maps
    the code to a softmax over the vocabulary, and the loss is ``-sum_i (v_i / sum(v)) log p_i``
    per document (``reconstruction_loss="categorical_crossentropy"``, summed over words).

    Args:
        encoder: network from counts to the code units, in (0, 1).
        decoder: network from the code to a softmax over the words.
        **kwargs: passed to `aelib.Autoencoder` (``name``, ...).

    Returns (``call``):
        The forward record: ``"code"`` (the logistic code units) and ``"reconstruction"``
        (the word probabilities).

    Example:
        >>> from aelib.models.rbm import RBM
        >>> rbms = [RBM(6, 4, visible_type="poisson"), RBM(4, 3)]
        >>> model = unroll_hashing(rbms, code_noise=4.0)
        >>> counts = np.array([[2.0, 0, 1, 0, 3, 0], [0, 1, 0, 4, 0, 0]])
        >>> model.binary_codes(counts).shape, model.binary_codes(counts).dtype
        ((2, 3), dtype('uint8'))
        >>> round(float(model.reconstruct(counts).sum(axis=1)[0]), 4)  # word probabilities
        1.0
        >>> model.code_noise
        4.0
    """

    def __init__(self, encoder, decoder, **kwargs):
        kwargs.setdefault("reconstruction_loss", "categorical_crossentropy")
        kwargs.setdefault("feature_reduction", "sum")
        super().__init__(encoder, decoder, **kwargs)

    @property
    def code_noise(self):
        """Standard deviation of the training noise on the code units' inputs (0 if none)."""
        try:
            return float(self.encoder.get_layer("code_noise").stddev)
        except ValueError:  # an encoder without that layer
            return 0.0

    def binary_codes(self, x, batch_size=256):
        """The documents' binary codes: the code units rounded at 0.5.

        Args:
            x: word counts, ``(n_documents, n_words)``.
            batch_size: documents per batch.

        Returns:
            A uint8 array ``(n_documents, code_bits)`` of 0s and 1s.
        """
        return (self.transform(x, batch_size=batch_size) > 0.5).astype(np.uint8)


def unroll_hashing(rbms, *, code_noise=4.0, seed=None, name="semantic_hashing"):
    """Unrolls a pretrained stack into a `SemanticHashingAutoencoder` (untied weights).

    Before fine-tuning, the model computes the stack's deterministic up-down pass: up with
    ``sigmoid(h W_l + c_l)`` through every layer (the code included), then down with
    ``sigmoid(h W_l^T + b_l)``, and at the bottom ``softmax(h W_1^T + b_1)``, the first RBM's
    Poisson rates divided by the document's length.

    Args:
        rbms: trained `aelib.models.rbm.RBM`, bottom first: ``rbms[0]`` with Poisson visible
            units, the others binary, every hidden layer binary (the top one is the code);
            consecutive sizes must match.
        code_noise: standard deviation of the Gaussian noise added to the code units' inputs
            in training (0: none).
        seed: seed of the code noise (``None``: from Keras' global seed).
        name: name of the model.

    Returns:
        A `SemanticHashingAutoencoder`, not compiled; encoder layers ``encoder_1``, ...,
        ``code``, ``code_noise``, ``code_units``; decoder layers ``decoder_1``, ...,
        ``output``, as in `aelib.models.deep.deep_autoencoder`.

    Raises:
        ValueError: if the stack is not of that kind, or ``code_noise`` is negative.

    Example:
        >>> from aelib.models.rbm import RBM
        >>> model = unroll_hashing([RBM(20, 8, visible_type="poisson"), RBM(8, 4)])
        >>> model.encoder.output_shape, model.decoder.output_shape
        ((None, 4), (None, 20))
    """
    rbms = list(rbms)
    if not rbms or not all(isinstance(r, RBM) for r in rbms):
        raise ValueError("rbms must be a non-empty list of aelib.models.rbm.RBM, bottom first")
    for below, above in zip(rbms[:-1], rbms[1:]):
        if below.n_hidden != above.n_visible:
            raise ValueError(
                f"consecutive RBMs must match: {below.name} has {below.n_hidden} hidden units, "
                f"{above.name} {above.n_visible} visible units"
            )
    if rbms[0].visible_type != "poisson" or any(r.visible_type != "binary" for r in rbms[1:]):
        raise ValueError(
            "rbms[0] must have poisson visible units (word counts) and the RBMs above it binary "
            f"ones, got {[r.visible_type for r in rbms]}"
        )
    if any(r.hidden_type != "binary" for r in rbms):
        raise ValueError(
            "every RBM must have binary hidden units (the top ones are the logistic code "
            f"units), got {[r.hidden_type for r in rbms]}"
        )
    code_noise = _non_negative("code_noise", code_noise)
    seed = _check_seed_value(seed)
    sizes = [rbms[0].n_visible] + [r.n_hidden for r in rbms]
    # The image autoencoders' networks: a linear code layer (here the code units' total
    # inputs, followed by the noise and the logistic) and a softmax output.
    networks = deep_autoencoder(
        sizes,
        activation="sigmoid",
        reconstruction_loss="categorical_crossentropy",
        feature_reduction="sum",
        output_activation="softmax",
    )
    total_input = networks.encoder.output
    noisy = AdditiveGaussianNoise(code_noise, seed=seed, name="code_noise")(total_input)
    code = keras.layers.Activation("sigmoid", name="code_units")(noisy)
    encoder = keras.Model(networks.encoder.input, code, name="encoder")
    encoder_layers = [f"encoder_{i}" for i in range(1, len(rbms))] + ["code"]
    decoder_layers = [f"decoder_{i}" for i in range(1, len(rbms))] + ["output"]
    for rbm, layer in zip(rbms, encoder_layers):
        encoder.get_layer(layer).set_weights(
            [ops.convert_to_numpy(rbm.kernel), ops.convert_to_numpy(rbm.hidden_bias)]
        )
    for rbm, layer in zip(rbms[::-1], decoder_layers):
        networks.decoder.get_layer(layer).set_weights(
            [ops.convert_to_numpy(rbm.kernel).T, ops.convert_to_numpy(rbm.visible_bias)]
        )
    model = SemanticHashingAutoencoder(encoder, networks.decoder, name=name)
    model.build((None, sizes[0]))
    return model
