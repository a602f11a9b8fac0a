"""Concrete autoencoders: an encoder that selects K of the d input features (Abid, Balin & Zou, 2019).

Feature selection asks for the K input features from which the whole input is best rebuilt. It is a
discrete problem: there are ``d choose K`` subsets. A concrete autoencoder relaxes it. Its encoder,
`ConcreteSelector`, has K *selector units*; unit k holds logits ``l_k`` in R^d and, in training,
outputs ``m_k . x`` where ``m_k`` is a sample of a concrete (Gumbel-softmax) distribution,

    m_k = softmax((l_k + g_k) / T),    g_kj = -log(-log u_kj),  u_kj ~ Uniform(0, 1),

a point of the probability simplex that approaches a one-hot vector as the temperature ``T``
falls. ``T`` is annealed exponentially from ``T0`` to ``T1`` over a fixed number of training steps.
At inference unit k outputs ``x[argmax_j l_kj]`` exactly: a hard selection.

Parameterization: the paper writes the concrete distribution with parameters ``alpha_k > 0`` and
samples ``softmax((log alpha_k + g_k) / T)``. Like the authors' implementation, we train the logits
``l_k = log alpha_k`` directly (unconstrained, initialized Glorot-normal). The probability that a
sample of unit k lands nearest to feature j is ``softmax(l_k)_j`` at every temperature (the
Gumbel-max trick), which `ConcreteSelector.selection_probabilities` returns.

As in the authors' implementation, one Gumbel sample of shape ``(K, d)`` is drawn per training step
and shared by the batch, so each step trains the decoder on one relaxed selection.

Everything inside layers is ``keras.ops`` / ``keras.random``, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from aelib._validation import positive as _positive
from aelib._validation import positive_int as _positive_int
from aelib._validation import seed as _check_seed_value
from aelib.models.autoencoder import Autoencoder

# Keeps -log(u) finite and log(-log(u)) away from log(0) (the authors use Keras' epsilon too).
_UNIFORM_EPSILON = 1e-7


def annealed_temperature(step, total_steps, initial_temperature=10.0, final_temperature=0.1):
    """The temperature after ``step`` training steps of exponential annealing.

    ``T(t) = T0 * (T1 / T0) ** (t / total_steps)`` for ``t <= total_steps``, and ``T1`` after.

    Args:
        step: the number of steps taken, a number or a scalar tensor (``t >= 0``).
        total_steps: the number of steps over which ``T`` falls from ``T0`` to ``T1``.
        initial_temperature: ``T0``.
        final_temperature: ``T1``.

    Returns:
        A float32 scalar tensor.

    Example:
        >>> round(float(annealed_temperature(50, 100, 10.0, 0.1)), 5)  # halfway: sqrt(T0 T1)
        1.0
    """
    progress = ops.minimum(ops.cast(step, "float32") / float(total_steps), 1.0)
    log_ratio = math.log(final_temperature / initial_temperature)
    # T0 * exp(p log(T1/T0)) rather than T0 * (T1/T0)**p: one exp, no pow of a constant base.
    return initial_temperature * ops.exp(progress * log_ratio)


def gumbel_noise(shape, seed=None):
    """Samples of the standard Gumbel distribution, ``-log(-log(u))`` with ``u ~ Uniform(0, 1)``.

    Args:
        shape: the shape of the sample.
        seed: a `keras.random.SeedGenerator`, an integer, or None.

    Returns:
        A float32 tensor of ``shape``.

    Example:
        >>> tuple(gumbel_noise((2, 3), seed=keras.random.SeedGenerator(0)).shape)
        (2, 3)
    """
    uniform = keras.random.uniform(shape, minval=_UNIFORM_EPSILON, maxval=1.0, seed=seed)
    return -ops.log(-ops.log(uniform))


def concrete_weights(logits, gumbel, temperature):
    """A sample of the concrete distribution, given its Gumbel noise: ``softmax((l + g) / T)``.

    The softmax runs over the last axis (the features), so each row is a point of the simplex.

    Args:
        logits: ``(K, d)`` logits ``l_k = log alpha_k``.
        gumbel: Gumbel noise of the same shape (zeros give ``softmax(l / T)``).
        temperature: ``T > 0``, a number or a scalar tensor.

    Returns:
        A tensor ``(K, d)`` whose rows are non-negative and sum to one.

    Example:
        >>> import numpy as np
        >>> w = concrete_weights(np.array([[0.0, 0.0]], "float32"), np.zeros((1, 2), "float32"), 1.0)
        >>> keras.ops.convert_to_numpy(w).tolist()
        [[0.5, 0.5]]
    """
    return ops.softmax((logits + gumbel) / temperature, axis=-1)


def _check_schedule(total_steps, initial_temperature, final_temperature):
    total_steps = _positive_int("total_steps", total_steps)
    initial_temperature = _positive("initial_temperature", initial_temperature)
    final_temperature = _positive("final_temperature", final_temperature)
    if final_temperature > initial_temperature:
        raise ValueError(
            f"final_temperature (T1 = {final_temperature!r}) must not exceed "
            f"initial_temperature (T0 = {initial_temperature!r}): the temperature is annealed down"
        )
    return total_steps, initial_temperature, final_temperature


@keras.saving.register_keras_serializable(package="aelib")
class ConcreteSelector(keras.layers.Layer):
    """K concrete selector units over the d features of the last axis.

    In training (``training=True``) unit k outputs ``m_k . x`` with ``m_k = softmax((l_k + g_k) / T)``
    (see `concrete_weights`), then counts the step and lowers ``T`` along `annealed_temperature`.
    Otherwise it outputs ``x[..., argmax_j l_kj]`` exactly. The step counter and the temperature are
    non-trainable variables, so they are saved with the model and updated inside compiled train
    steps on TensorFlow and JAX; ``evaluate`` and ``predict`` leave them alone. The state of the
    Gumbel noise generator is not saved: a loaded model draws its noise from ``seed`` afresh.

    Args:
        num_features: K, the number of features selected (at most the input width d).
        total_steps: the number of training steps over which ``T`` falls from ``T0`` to ``T1``
            (e.g. ``epochs * ceil(n_samples / batch_size)``); after them ``T`` stays at ``T1``.
        initial_temperature: ``T0 > 0`` (the authors' default 10).
        final_temperature: ``T1``, with ``0 < T1 <= T0`` (the authors' default 0.1).
        seed: seed of the Gumbel noise (None draws one from Keras' global generator, which
            `aelib.seed_everything` seeds).
        **kwargs: passed to `keras.layers.Layer` (``name``, ...).

    Input shape: ``(..., d)``. Output shape: ``(..., K)``.

    Example:
        >>> import numpy as np
        >>> selector = ConcreteSelector(2, total_steps=100, seed=0)
        >>> x = np.arange(12, dtype="float32").reshape(3, 4)
        >>> y = selector(x)  # inference: x[:, selector.selected_indices()]
        >>> bool(np.all(keras.ops.convert_to_numpy(y) == x[:, selector.selected_indices()]))
        True
    """

    def __init__(
        self,
        num_features,
        total_steps,
        initial_temperature=10.0,
        final_temperature=0.1,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_features = _positive_int("num_features (K)", num_features)
        self.total_steps, self.initial_temperature, self.final_temperature = _check_schedule(
            total_steps, initial_temperature, final_temperature
        )
        self.seed = _check_seed_value(seed)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        width = input_shape[-1]
        if width is None:
            raise ValueError("ConcreteSelector needs a known input width (the last axis)")
        if self.num_features > width:
            raise ValueError(
                f"num_features (K = {self.num_features}) must be at most the input width "
                f"d = {width}: a unit selects one of the d features"
            )
        self.logits = self.add_weight(
            shape=(self.num_features, width), initializer="glorot_normal", name="logits"
        )
        self.steps = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False, name="steps"
        )
        self.temperature = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(self.initial_temperature),
            trainable=False,
            name="temperature",
        )
        self.built = True

    def call(self, inputs, training=None):
        inputs = ops.cast(inputs, self.compute_dtype)
        if not training:
            return ops.take(inputs, ops.argmax(self.logits, axis=-1), axis=-1)
        # Everything that reads the step counter comes before the assignments: on TensorFlow a
        # converted variable can still be the variable, and would be read after its update.
        steps = ops.convert_to_tensor(self.steps)
        next_steps = steps + 1
        temperature = self._temperature_at(steps)
        next_temperature = self._temperature_at(next_steps)
        noise = gumbel_noise(ops.shape(self.logits), seed=self.seed_generator)
        weights = concrete_weights(self.logits, noise, temperature)
        self.steps.assign(next_steps)
        self.temperature.assign(next_temperature)
        # Keras' Dense convention: features on the last axis, one output per unit.
        return ops.matmul(inputs, ops.transpose(ops.cast(weights, inputs.dtype)))

    def _temperature_at(self, step):
        return annealed_temperature(
            step, self.total_steps, self.initial_temperature, self.final_temperature
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.num_features,)

    # ------------------------------------------------------------------ inspection (NumPy)
    def selected_indices(self):
        """The feature each unit selects, ``argmax_j l_kj``: an int array ``(K,)``.

        Two units may select the same feature; ``np.unique`` gives the distinct ones.
        """
        return np.asarray(ops.convert_to_numpy(ops.argmax(self.logits, axis=-1)), dtype=np.int64)

    def selection_probabilities(self):
        """``softmax(l_k)`` for each unit: the chance that its concrete sample is nearest to each
        feature (at any temperature). An array ``(K, d)`` with rows summing to one; the row maxima
        near one mean the units have made up their minds (the authors stop at a mean of 0.998)."""
        return np.asarray(ops.convert_to_numpy(ops.softmax(self.logits, axis=-1)), dtype=np.float64)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_features": self.num_features,
                "total_steps": self.total_steps,
                "initial_temperature": self.initial_temperature,
                "final_temperature": self.final_temperature,
                "seed": self.seed,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="aelib")
class ConcreteAutoencoder(Autoencoder):
    """An autoencoder whose encoder selects K input features: a `ConcreteSelector`.

    The code of an input is the vector of its K selected feature values (soft mixtures while
    training, the exact values at inference), and the decoder rebuilds the whole input from it.

    Args:
        num_features: K, the number of features selected.
        decoder: a `keras.Model` from ``(K,)`` codes to ``(input_dim,)`` reconstructions, e.g.
            ``builders.dense_decoder(K, [320, 320], (input_dim,), activation="leaky_relu")``.
        input_dim: d, the width of the (flat) inputs.
        total_steps: training steps over which the temperature is annealed (see
            `ConcreteSelector`); ``epochs * ceil(n_samples / batch_size)`` anneals over a whole run.
        initial_temperature: ``T0`` (default 10).
        final_temperature: ``T1 <= T0`` (default 0.1).
        seed: seed of the Gumbel noise.
        reconstruction_loss, feature_reduction: as for `Autoencoder`.
        **kwargs: as for `Autoencoder` (``name``, ...).

    Example:
        >>> from aelib import builders
        >>> decoder = builders.dense_decoder(5, [16], output_shape=(20,))
        >>> model = ConcreteAutoencoder(5, decoder, input_dim=20, total_steps=100, seed=0)
        >>> model.selected_indices().shape
        (5,)
    """

    def __init__(
        self,
        num_features,
        decoder,
        input_dim,
        total_steps,
        initial_temperature=10.0,
        final_temperature=0.1,
        seed=None,
        reconstruction_loss="mse",
        feature_reduction="mean",
        **kwargs,
    ):
        num_features = _positive_int("num_features (K)", num_features)
        input_dim = _positive_int("input_dim", input_dim)
        if num_features > input_dim:
            raise ValueError(
                f"num_features (K = {num_features}) must be at most input_dim (d = {input_dim})"
            )
        inputs = keras.Input(shape=(input_dim,), name="inputs")
        selector = ConcreteSelector(
            num_features,
            total_steps,
            initial_temperature=initial_temperature,
            final_temperature=final_temperature,
            seed=seed,
            name="selector",
        )
        encoder = keras.Model(inputs, selector(inputs), name="encoder")
        decoder_inputs = getattr(decoder, "inputs", None)
        if decoder_inputs and decoder_inputs[0].shape[-1] != num_features:
            raise ValueError(
                f"decoder takes codes of width {decoder_inputs[0].shape[-1]}, but num_features "
                f"(K) is {num_features}"
            )
        super().__init__(
            encoder,
            decoder,
            reconstruction_loss=reconstruction_loss,
            feature_reduction=feature_reduction,
            **kwargs,
        )
        self.num_features = num_features
        self.input_dim = input_dim

    @property
    def selector(self):
        """The `ConcreteSelector` layer of the encoder."""
        return self.encoder.get_layer("selector")

    def selected_indices(self):
        """The K selected feature indices (see `ConcreteSelector.selected_indices`)."""
        return self.selector.selected_indices()

    def get_config(self):
        config = super().get_config()
        # The encoder is rebuilt from these arguments; its weights are restored by the loader.
        del config["encoder"]
        selector = self.selector
        config.update(
            {
                "num_features": self.num_features,
                "input_dim": self.input_dim,
                "total_steps": selector.total_steps,
                "initial_temperature": selector.initial_temperature,
                "final_temperature": selector.final_temperature,
                "seed": selector.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)
