"""Deep autoencoders: unrolled from a pretrained RBM stack, or the same net from a random start.

Hinton & Salakhutdinov (2006) built a deep autoencoder from a stack of RBMs (`aelib.models.rbm`) by
*unrolling* it: the encoder is the stack going up, layer ``l`` computing
``h_l = sigmoid(h_{l-1} W_l + c_l)`` with the RBM's weights ``W_l`` and hidden biases ``c_l``
(linear at the top: the code); the decoder is the stack going down,
``sigmoid(h_l W_l^T + b_l)`` with the transposed weights and the visible biases ``b_l``. Encoder
and decoder get *untied copies* of the weights, so the fine-tuning by backpropagation that
follows can change them separately. When the first RBM has Gaussian visible units (real-valued,
standardized data such as the paper's faces), the output layer is linear, ``h_1 W_1^T + b_1``,
and the net is fine-tuned on squared error.

* `unroll` — that deep autoencoder, ready to fine-tune;
* `deep_autoencoder` — the same architecture with Keras' random initialization, for training
  jointly from a random start;
* `fine_tune` — backpropagation through the whole net (Adam by default; the paper used
  conjugate gradient), a thin wrapper over `aelib.fit`.
"""

from __future__ import annotations

import math

from keras import ops

from aelib._validation import choice as _choice
from aelib.models import builders
from aelib.models.autoencoder import FEATURE_REDUCTIONS, RECONSTRUCTION_LOSSES, Autoencoder
from aelib.models.builders import _shape
from aelib.models.rbm import RBM, check_layer_sizes

OUTPUT_ACTIVATIONS = ("sigmoid", "linear", "softmax")


def deep_autoencoder(
    layer_sizes,
    *,
    input_shape=None,
    activation="sigmoid",
    reconstruction_loss="binary_crossentropy",
    feature_reduction="mean",
    output_activation="sigmoid",
    kernel_initializer="glorot_uniform",
    name="deep_autoencoder",
):
    """A deep dense autoencoder with a linear code layer, randomly initialized.

    The encoder has layers ``layer_sizes[1:-1]`` with ``activation`` and a linear code layer of
    ``layer_sizes[-1]`` units; the decoder mirrors it and ends in ``layer_sizes[0]`` units with
    ``output_activation`` (logistic for data in [0, 1], linear for standardized real values).
    This is the architecture `unroll` builds, so the two can be compared weight for weight.
    Layer names: encoder ``encoder_1``, ..., ``code``; decoder ``decoder_1``,
    ..., ``output``: the networks of `aelib.models.builders` with those layer prefixes, so that
    every weight of the model has its own path.

    Args:
        layer_sizes: widths from the data to the code, e.g. ``[784, 1000, 500, 250, 30]``.
        input_shape: shape of one sample (e.g. ``(28, 28)``); ``None`` means
            ``(layer_sizes[0],)``. Its size must be ``layer_sizes[0]``.
        activation: activation of the hidden layers; ``"sigmoid"`` as in the paper.
        reconstruction_loss: ``"binary_crossentropy"`` (the paper's, for MNIST), ``"mse"``
            (the paper's for the faces) or ``"categorical_crossentropy"`` (word counts against
            a softmax over the vocabulary, as in semantic hashing). Binary cross-entropy needs
            ``output_activation="sigmoid"``, categorical cross-entropy ``"softmax"``.
        feature_reduction: ``"mean"`` or ``"sum"`` over pixels (see `aelib.Autoencoder`).
        output_activation: ``"sigmoid"`` (logistic output units), ``"linear"`` or
            ``"softmax"`` (one distribution over the features).
        kernel_initializer: initializer of every layer's weights: Keras' default
            ``"glorot_uniform"``, or e.g. ``"he_normal"`` for ReLU or ELU units and
            ``"lecun_normal"`` for SELU units.
        name: name of the model.

    Returns:
        An `aelib.Autoencoder`, not compiled.

    Example:
        >>> model = deep_autoencoder([784, 1000, 500, 250, 30])
        >>> [layer.units for layer in model.encoder.layers[1:]]
        [1000, 500, 250, 30]
        >>> faces = deep_autoencoder([625, 200, 30], reconstruction_loss="mse",
        ...                          output_activation="linear")
        >>> faces.decoder.get_layer("output").activation.__name__
        'linear'
    """
    sizes = check_layer_sizes(layer_sizes)
    input_shape = (sizes[0],) if input_shape is None else _shape("input_shape", input_shape)
    if math.prod(input_shape) != sizes[0]:
        raise ValueError(
            f"input_shape {input_shape} has {math.prod(input_shape)} values but layer_sizes[0] "
            f"is {sizes[0]}"
        )
    _choice("reconstruction_loss", reconstruction_loss, RECONSTRUCTION_LOSSES)
    _choice("feature_reduction", feature_reduction, FEATURE_REDUCTIONS)
    _choice("output_activation", output_activation, OUTPUT_ACTIVATIONS)
    if reconstruction_loss == "binary_crossentropy" and output_activation != "sigmoid":
        raise ValueError(
            f"reconstruction_loss='binary_crossentropy' needs output_activation='sigmoid' "
            f"(outputs in (0, 1)), got output_activation={output_activation!r}; use "
            "reconstruction_loss='mse' with a linear output"
        )
    if (reconstruction_loss == "categorical_crossentropy") != (output_activation == "softmax"):
        raise ValueError(
            "reconstruction_loss='categorical_crossentropy' and output_activation='softmax' go "
            f"together, got reconstruction_loss={reconstruction_loss!r} with "
            f"output_activation={output_activation!r}"
        )
    hidden = sizes[1:-1]
    # The builders' networks, with layer names that give every weight its own path.
    encoder = builders.dense_encoder(
        input_shape,
        hidden,
        sizes[-1],
        activation=activation,
        layer_prefix="encoder",
        kernel_initializer=kernel_initializer,
    )
    decoder = builders.dense_decoder(
        sizes[-1],
        hidden[::-1],
        input_shape,
        activation=activation,
        output_activation=output_activation,
        layer_prefix="decoder",
        kernel_initializer=kernel_initializer,
    )

    model = Autoencoder(
        encoder,
        decoder,
        reconstruction_loss=reconstruction_loss,
        feature_reduction=feature_reduction,
        name=name,
    )
    model.build((None, *input_shape))
    return model


def unroll(
    rbms,
    *,
    input_shape=None,
    reconstruction_loss=None,
    feature_reduction="mean",
    name="pretrained_autoencoder",
):
    """Unrolls a stack of RBMs into a deep autoencoder (untied encoder and decoder weights).

    Before fine-tuning, the autoencoder computes the stack's deterministic up-down pass: up with
    ``sigmoid(h W_l + c_l)`` (the top layer linear, ``h W + c``), then down with
    ``sigmoid(h W_l^T + b_l)``, except at the bottom when the first RBM has Gaussian visible
    units: the output is then linear, ``h W_1^T + b_1``, that RBM's visible mean.

    Args:
        rbms: trained `aelib.models.rbm.RBM`, bottom first (as `aelib.models.rbm.pretrain_stack` returns);
            consecutive sizes must match, the hidden layers binary and the top one linear; only
            the first may have Gaussian visible units.
        input_shape: shape of one sample; ``None`` means ``(rbms[0].n_visible,)``.
        reconstruction_loss: ``None`` picks ``"binary_crossentropy"`` when ``rbms[0]`` has
            binary visible units and ``"mse"`` when they are Gaussian (cross-entropy is refused
            then); or ``"binary_crossentropy"`` / ``"mse"``.
        feature_reduction: see `deep_autoencoder`.
        name: name of the model.

    Returns:
        An `aelib.Autoencoder` with the architecture of `deep_autoencoder`, not compiled.

    Example:
        >>> from aelib.models.rbm import RBM
        >>> model = unroll([RBM(8, 5), RBM(5, 2, hidden_type="linear")])
        >>> model.encoder.output_shape, model.decoder.output_shape
        ((None, 2), (None, 8))
        >>> unroll([RBM(8, 5, visible_type="gaussian"), RBM(5, 2, hidden_type="linear")]
        ...        ).reconstruction_loss
        'mse'
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
    if any(r.hidden_type != "binary" for r in rbms[:-1]) or rbms[-1].hidden_type != "linear":
        raise ValueError(
            "rbms must have binary hidden units except the top one, which must be linear "
            "(the linear code layer)"
        )
    if rbms[0].visible_type == "poisson":
        raise ValueError(
            "rbms[0] has poisson visible units (word counts): unroll it with "
            "aelib.models.semantic_hashing.unroll_hashing, whose output is a softmax over words"
        )
    if any(r.visible_type != "binary" for r in rbms[1:]):
        raise ValueError(
            "rbms above the first must have binary visible units (they model the hidden "
            "probabilities of the RBM below); only rbms[0] may be gaussian"
        )
    gaussian = rbms[0].visible_type == "gaussian"
    if reconstruction_loss is None:
        reconstruction_loss = "mse" if gaussian else "binary_crossentropy"
    _choice("reconstruction_loss", reconstruction_loss, RECONSTRUCTION_LOSSES)
    if gaussian and reconstruction_loss == "binary_crossentropy":
        raise ValueError(
            "reconstruction_loss='binary_crossentropy' needs binary visible units, but rbms[0] "
            "has gaussian visible units (a linear output); use reconstruction_loss='mse' or None"
        )
    sizes = [rbms[0].n_visible] + [r.n_hidden for r in rbms]
    model = deep_autoencoder(
        sizes,
        input_shape=input_shape,
        activation="sigmoid",
        reconstruction_loss=reconstruction_loss,
        feature_reduction=feature_reduction,
        output_activation="linear" if gaussian else "sigmoid",
        name=name,
    )
    encoder_layers = [f"encoder_{i}" for i in range(1, len(rbms))] + ["code"]
    decoder_layers = [f"decoder_{i}" for i in range(1, len(rbms))] + ["output"]
    for rbm, layer in zip(rbms, encoder_layers):
        model.encoder.get_layer(layer).set_weights(
            [ops.convert_to_numpy(rbm.kernel), ops.convert_to_numpy(rbm.hidden_bias)]
        )
    for rbm, layer in zip(rbms[::-1], decoder_layers):
        # set_weights copies values into the layer's own variables: encoder and decoder are
        # untied, and fine-tuning leaves the RBMs as they were.
        model.decoder.get_layer(layer).set_weights(
            [ops.convert_to_numpy(rbm.kernel).T, ops.convert_to_numpy(rbm.visible_bias)]
        )
    return model


def fine_tune(
    model,
    x,
    *,
    epochs=10,
    batch_size=100,
    learning_rate=1e-3,
    optimizer="adam",
    validation_data=None,
    seed=0,
    verbose=None,
):
    """Fine-tunes a deep autoencoder by backpropagation: `aelib.fit` with the paper's data set-up.

    Hinton & Salakhutdinov fine-tuned with conjugate gradient (three line searches on
    mini-batches of 1,000); here the default is Adam on mini-batches, which Keras compiles.

    Args:
        model: an `aelib.Autoencoder` (from `unroll` or `deep_autoencoder`).
        x: training images (values in [0, 1], or standardized for a linear output).
        epochs, batch_size, learning_rate, optimizer, validation_data, seed, verbose:
            as in `aelib.fit`.

    Returns:
        The `keras.callbacks.History`.

    Example:
        >>> import numpy as np
        >>> model = deep_autoencoder([8, 4, 2])
        >>> history = fine_tune(model, np.random.rand(32, 8).astype("float32"), epochs=1,
        ...                     verbose=0)
        >>> sorted(history.history)
        ['loss', 'reconstruction_loss']
    """
    from aelib.training import fit

    if not isinstance(model, Autoencoder):
        raise ValueError(f"model must be an aelib.Autoencoder, got {type(model).__name__}")
    return fit(
        model,
        x,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
        optimizer=optimizer,
        validation_data=validation_data,
        seed=seed,
        verbose=verbose,
    )
