"""The networks the benchmarks compare, written twice: with aelib and in plain Keras or NumPy.

* `hinton_layer_sizes`: the dense network of Hinton & Salakhutdinov (2006), 784-1000-500-250-30
  and its mirror, logistic units, a linear code, cross-entropy;
* `plain_dense_autoencoder`: the same network as a `keras.Sequential` trained with
  ``compile(loss="binary_crossentropy")`` -- what a user writes without aelib;
* `plain_red_net`: the denoising study's RED-Net (10 layers of 64 3x3 filters, symmetric skips,
  a residual output, Gaussian noise of sigma = 25/255 added inside the model) in the Keras
  functional API;
* `numpy_cd1_epoch`: one epoch of CD-1, Hinton's ``rbm.m`` transcribed into NumPy;
* `dense_training_flops`, `conv_training_flops`: the floating-point operations of one training
  sample, counted from the layer shapes.
"""

from __future__ import annotations

import keras
import numpy as np

HINTON_SIZES = (784, 1000, 500, 250, 30)
RED_DEPTH = 10
RED_FILTERS = 64
PATCH = 40
SIGMA = 25 / 255

# A training step costs about three forward passes: the forward pass itself, and a backward
# pass that computes the gradient with respect to both the inputs and the weights of each layer
# (two products of the forward one's size). Additions of biases and activations are left out.
TRAINING_PASSES = 3


def hinton_layer_sizes():
    """The widths of every dense layer, data first: encoder, then the mirrored decoder."""
    encoder = list(HINTON_SIZES)
    return encoder + encoder[-2::-1]


def dense_training_flops(layer_sizes):
    """Floating-point operations of one training sample of a dense network.

    Args:
        layer_sizes: widths from input to output, e.g. ``hinton_layer_sizes()``.

    Returns:
        ``TRAINING_PASSES * 2 * sum(n_in * n_out)`` (a multiply-add counts as two operations).

    Example:
        >>> dense_training_flops([4, 3, 2])  # 3 * 2 * (12 + 6)
        108
    """
    sizes = [int(s) for s in layer_sizes]
    return TRAINING_PASSES * 2 * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def red_net_channels(depth=RED_DEPTH, filters=RED_FILTERS, channels=1):
    """``(in, out)`` channels of each 3x3 convolution of RED-Net, all at full resolution."""
    ins = [channels] + [filters] * (depth - 1)
    outs = [filters] * (depth - 1) + [channels]
    return list(zip(ins, outs))


def conv_training_flops(height, width, layer_channels, kernel=3):
    """Floating-point operations of one training sample of stride-1 'same' convolutions.

    Args:
        height, width: the image size (every layer keeps it).
        layer_channels: ``(in, out)`` channels of each layer, e.g. `red_net_channels`.
        kernel: the kernel's side.

    Returns:
        ``TRAINING_PASSES * 2 * height * width * kernel**2 * sum(in * out)``.

    Example:
        >>> conv_training_flops(2, 2, [(1, 2)], kernel=3)  # 3 * 2 * 4 * 9 * 2
        432
    """
    macs = sum(int(a) * int(b) for a, b in layer_channels)
    return TRAINING_PASSES * 2 * int(height) * int(width) * int(kernel) ** 2 * macs


def plain_dense_autoencoder(layer_sizes=HINTON_SIZES):
    """Hinton's autoencoder as a plain `keras.Sequential`, not compiled.

    The same layers, in the same order and with the same initializers, as
    ``aelib.deep_autoencoder(layer_sizes)``, so the two can share weights.
    """
    sizes = [int(s) for s in layer_sizes]
    layers = [keras.Input((sizes[0],))]
    for width in sizes[1:-1]:
        layers.append(keras.layers.Dense(width, activation="sigmoid"))
    layers.append(keras.layers.Dense(sizes[-1]))  # the linear code
    for width in sizes[-2:0:-1]:
        layers.append(keras.layers.Dense(width, activation="sigmoid"))
    layers.append(keras.layers.Dense(sizes[0], activation="sigmoid"))
    return keras.Sequential(layers, name="plain_dense_autoencoder")


def plain_red_net(depth=RED_DEPTH, filters=RED_FILTERS, sigma=SIGMA, channels=1):
    """The denoising study's RED-Net in the functional API, not compiled.

    The model takes clean images and adds Gaussian noise of ``sigma`` in training
    (`keras.layers.GaussianNoise`), as aelib's `DenoisingAutoencoder` does; its output is the
    noisy input plus the decoder's estimate of minus the noise. Layers, skips and dtypes are
    those of ``aelib.red_net(depth, filters)``.
    """
    half = depth // 2
    clean = keras.Input((None, None, channels))
    noisy = keras.layers.GaussianNoise(sigma, dtype="float32")(clean)
    h = noisy
    skipped = []
    for layer in range(1, half + 1):
        h = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
        if layer % 2 == 0 and layer < half:
            skipped.append(h)
    for layer in range(1, half + 1):
        last = layer == half
        h = keras.layers.Conv2D(
            channels if last else filters, 3, padding="same", dtype="float32" if last else None
        )(h)
        if not last:
            if (half - layer) % 2 == 0:
                h = keras.layers.Add()([h, skipped.pop()])
            h = keras.layers.ReLU()(h)
    output = keras.layers.Add(dtype="float32")([noisy, h])
    return keras.Model(clean, output, name="plain_red_net")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


class NumpyRBM:
    """A binary RBM trained as Hinton's ``rbm.m`` trains it, in NumPy (float32).

    Learning rate 0.1, weight cost 0.0002, momentum 0.5 (Hinton switches to 0.9 after five
    epochs; one benchmark epoch uses 0.5), hidden states sampled for the negative phase,
    mean-field visible reconstruction and hidden probabilities, the increments carried over
    batches.
    """

    def __init__(self, n_visible, n_hidden, seed=0, learning_rate=0.1, weight_cost=0.0002):
        rng = np.random.default_rng(seed)
        self.weights = (0.1 * rng.standard_normal((n_visible, n_hidden))).astype("float32")
        self.hidden_bias = np.zeros(n_hidden, "float32")
        self.visible_bias = np.zeros(n_visible, "float32")
        self.increments = [np.zeros_like(p) for p in self.parameters()]
        self.rng = rng
        self.learning_rate = np.float32(learning_rate)
        self.weight_cost = np.float32(weight_cost)

    def parameters(self):
        return [self.weights, self.hidden_bias, self.visible_bias]

    def gradients(self, data, uniform):
        """CD-1 statistics of one batch, before the step size.

        ``uniform`` is the batch's ``(batch, n_hidden)`` uniform noise for the hidden sample.
        Returns ``((dW, db_hidden, db_visible), negative_data)``; ``dW`` includes the weight
        cost, ``-weight_cost * W``.
        """
        n = np.float32(len(data))
        positive_hidden = sigmoid(data @ self.weights + self.hidden_bias)
        hidden_states = (positive_hidden > uniform).astype("float32")
        negative_data = sigmoid(hidden_states @ self.weights.T + self.visible_bias)
        negative_hidden = sigmoid(negative_data @ self.weights + self.hidden_bias)
        d_weights = (data.T @ positive_hidden - negative_data.T @ negative_hidden) / n
        d_hidden = (positive_hidden.sum(0) - negative_hidden.sum(0)) / n
        d_visible = (data.sum(0) - negative_data.sum(0)) / n
        grads = (d_weights - self.weight_cost * self.weights, d_hidden, d_visible)
        return grads, negative_data

    def epoch(self, x, batch_size=100, momentum=0.5):
        """One pass of CD-1 over ``x`` in order, in mini-batches; returns the squared error."""
        error = 0.0
        momentum = np.float32(momentum)
        for start in range(0, len(x), batch_size):
            data = x[start : start + batch_size]
            uniform = self.rng.random((len(data), self.weights.shape[1]), dtype="float32")
            grads, negative_data = self.gradients(data, uniform)
            for parameter, increment, grad in zip(self.parameters(), self.increments, grads):
                increment *= momentum
                increment += self.learning_rate * grad
                parameter += increment
            # rbm.m's error: the squared difference of the data and their negative phase.
            error += float(((data - negative_data) ** 2).sum())
        return error


def numpy_cd1_epoch(rbm, x, batch_size=100):
    """One CD-1 epoch of a `NumpyRBM` (see `NumpyRBM.epoch`)."""
    return rbm.epoch(np.asarray(x, "float32"), batch_size=batch_size)
