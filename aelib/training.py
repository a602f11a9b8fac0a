"""Training recipe shared by the book and the studies: seeded, device-aware, distribution-ready.

`fit` is a thin layer over `keras.Model.fit` that does the things every experiment of the book
must do the same way: seed every generator, compile with a named optimizer and learning rate,
build the model inside a distribution scope when one is given, and pick a progress display that
suits where it runs (a progress bar in a terminal, one line per epoch in an executed notebook).

Keras places work on a GPU by itself when the backend sees one (TensorFlow with CUDA, or JAX with
CUDA); `devices()` says what it sees, and the studies record it in their results.
"""

from __future__ import annotations

import contextlib
import time

import keras
import numpy as np

from aelib._validation import boolean, choice, positive, positive_int
from aelib._validation import callbacks as check_callbacks
from aelib._validation import seed as check_seed
from aelib.evaluation.metrics import average_squared_error


def seed_everything(seed):
    """Seeds Python's, NumPy's and the backend's generators (`keras.utils.set_random_seed`).

    The same seed on the same machine and versions gives the same numbers.
    """
    keras.utils.set_random_seed(check_seed(seed, allow_none=False))


def in_notebook():
    """True when running inside a Jupyter kernel (papermill, nbval, Jupyter Book execution)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def default_verbose():
    """Keras ``verbose`` for where we run: 2 (a line per epoch) in notebooks, else a progress bar.

    A progress bar redraws itself with carriage returns, which an executed notebook stores as
    hundreds of lines; one line per epoch reads well in the book.
    """
    return 2 if in_notebook() else 1


def devices():
    """The devices the Keras backend computes on, as strings, e.g. ``["cpu:0"]``, or
    ``["gpu:0"]`` on a JAX with CUDA (JAX names its CUDA platform ``gpu``)."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return [f"{d.platform}:{d.id}" for d in jax.devices()]
    if backend == "tensorflow":
        import tensorflow as tf

        return [
            d.name.replace("/physical_device:", "").lower()
            for d in tf.config.list_physical_devices()
        ]
    return [backend]


def fit(
    model,
    x,
    y=None,
    *,
    epochs=10,
    batch_size=256,
    learning_rate=None,
    optimizer=None,
    validation_data=None,
    seed=0,
    strategy=None,
    verbose=None,
    callbacks=None,
    shuffle=True,
    jit_compile="auto",
    precision=None,
):
    """Compiles and trains an autoencoder, seeded.

    Args:
        model: an `aelib.Autoencoder` (or any model whose ``compute_loss`` needs no compiled
            loss), or a function of no arguments that builds one. With a ``strategy`` it must be
            such a function: variables have to be created inside the strategy's scope. A model
            passed already built keeps the initial weights it was built with: for weights that
            follow ``seed``, pass the function, or call `seed_everything` before building it.
        x: training inputs.
        y: training targets; ``None`` trains to reconstruct ``x``.
        epochs: passes over the data (a positive integer; NumPy integers are accepted).
        batch_size: samples per gradient step.
        learning_rate: the optimizer's learning rate, a finite number > 0; ``None`` means 1e-3
            for a new optimizer, and the optimizer's own rate when training resumes.
        optimizer: ``"adam"``, ``"sgd"`` or ``"rmsprop"``, or a `keras.optimizers.Optimizer`
            (then ``learning_rate`` must be ``None``). ``None`` means ``"adam"`` -- unless the
            model was already trained (a loaded ``.keras`` file, or a second call): then its
            optimizer, with its state (Adam's moments, the step count), carries on, so that
            training in two calls is training in one.
        validation_data: ``x_val`` or ``(x_val, y_val)`` evaluated after each epoch.
        seed: seeds weights, shuffling and noise (see `seed_everything`).
        strategy: ``None``; on TensorFlow a ``tf.distribute.Strategy``; on JAX a Keras
            distribution (``keras.distribution.DataParallel()`` or ``ModelParallel``).
        verbose: Keras verbosity; ``None`` picks `default_verbose`.
        callbacks: a list of Keras callbacks, e.g. ``keras.callbacks.BackupAndRestore(folder)``
            to resume an interrupted training from its last finished epoch.
        shuffle: shuffle the training data each epoch (``True`` or ``False``).
        jit_compile: passed to ``compile``.
        precision: ``None`` (the policy the model is built with, float32 unless set with
            ``keras.config.set_dtype_policy``), ``"float32"`` or ``"mixed_bfloat16"``: the
            Keras dtype policy under which ``model()`` builds the model, so that its layers
            compute in bfloat16 and keep float32 weights (several times faster for matrix
            products and convolutions on CPUs with AMX, under TensorFlow). The loss is computed
            in float32 either way, and the global policy is left as it was. A model passed
            already built must have been built under this policy.

    Returns:
        The `keras.callbacks.History`; the trained model is ``history.model``.

    Raises:
        ValueError: a bad size, rate or data set, naming the parameter.
        TypeError: a non-boolean ``shuffle`` or callbacks that are not Keras callbacks.
        FloatingPointError: the loss became NaN or infinite (training stops at that epoch).

    A model whose outputs must stay float32 under ``"mixed_bfloat16"`` (a sum with the input,
    a noise layer, a density) creates those layers with ``dtype="float32"``, as
    ``aelib.models.red_net`` does.

    Example:
        >>> import numpy as np
        >>> from aelib import Autoencoder, builders
        >>> build = lambda: Autoencoder(builders.dense_encoder(4, [], 2),
        ...                             builders.dense_decoder(2, [], 4, output_activation="linear"))
        >>> history = fit(build, np.random.rand(64, 4).astype("float32"), epochs=1, verbose=0)
        >>> sorted(history.history)
        ['loss', 'reconstruction_loss']
    """
    epochs = positive_int("epochs", epochs)
    batch_size = positive_int("batch_size", batch_size)
    if learning_rate is not None:
        learning_rate = positive("learning_rate", learning_rate)
    shuffle = boolean("shuffle", shuffle)
    callbacks = check_callbacks("callbacks", callbacks)
    if verbose not in (None, 0, 1, 2, "auto"):
        raise ValueError(f"verbose must be None, 0, 1, 2 or 'auto', got {verbose!r}")
    if isinstance(optimizer, keras.optimizers.Optimizer) and learning_rate is not None:
        raise ValueError(
            "learning_rate must be None when optimizer is a keras optimizer (set the rate on "
            "the optimizer itself)"
        )
    if strategy is not None and isinstance(model, keras.Model):
        raise ValueError(
            "with a strategy, model must be a function that builds the model, so that its "
            "variables are created inside strategy.scope()"
        )
    if not isinstance(model, keras.Model) and not callable(model):
        raise TypeError(f"model must be a keras.Model or a function that builds one, got {model!r}")
    if precision is not None:
        choice("precision", precision, PRECISIONS)
        if isinstance(model, keras.Model) and model.dtype_policy.name != precision:
            raise ValueError(
                f"precision={precision!r} applies when the model is built, and this model was "
                f"built under {model.dtype_policy.name!r}: pass a function that builds it"
            )
    seed_everything(seed)
    scope = _strategy_scope(strategy)
    with scope, _dtype_policy(precision):
        if not isinstance(model, keras.Model):
            model = model()
            if not isinstance(model, keras.Model):
                raise ValueError(f"model() must return a keras.Model, got {type(model).__name__}")
        if optimizer is None and _has_trained_optimizer(model):
            # Resuming: keep the optimizer and its state; only the rate may be changed.
            if learning_rate is not None:
                model.optimizer.learning_rate = learning_rate
        else:
            rate = 1e-3 if learning_rate is None else learning_rate
            model.compile(optimizer=_optimizer(optimizer or "adam", rate), jit_compile=jit_compile)
    if isinstance(validation_data, (list, tuple)):
        validation_data = tuple(validation_data)
    elif validation_data is not None:
        validation_data = (validation_data, validation_data)
    if shuffle:
        callbacks = [_EpochSeededShuffle(seed)] + callbacks
    # Inside the scope again: on JAX, Keras shards each batch over the devices only while a
    # distribution is active (outside it the replicated model trains on one device's batch).
    with _strategy_scope(strategy):
        return model.fit(
            x,
            x if y is None else y,
            epochs=epochs,
            batch_size=batch_size,
            validation_data=validation_data,
            shuffle=shuffle,
            callbacks=callbacks,
            verbose=default_verbose() if verbose is None else verbose,
        )


class _EpochSeededShuffle(keras.callbacks.Callback):
    """Makes the data order of each epoch a function of (seed, epoch) alone.

    Keras shuffles NumPy data with NumPy's global generator on JAX (and with TensorFlow's on
    TensorFlow), so a training resumed at epoch k by `keras.callbacks.BackupAndRestore` would
    otherwise see the orders of epochs 0, 1, ... again, and end elsewhere than an uninterrupted
    one. Reseeding NumPy's generator at the start of each epoch makes the two identical.
    """

    def __init__(self, seed):
        super().__init__()
        self.seed = seed

    def on_epoch_begin(self, epoch, logs=None):
        # Seeds the legacy global generator on purpose: code that draws from it is repeatable.
        np.random.seed((self.seed * 1_000_003 + epoch) % 2**32)  # noqa: NPY002


def _has_trained_optimizer(model):
    """Whether ``model`` is compiled with an optimizer that has taken steps."""
    optimizer = getattr(model, "optimizer", None)
    if not getattr(model, "compiled", False) or optimizer is None:
        return False
    try:
        return int(keras.ops.convert_to_numpy(optimizer.iterations)) > 0
    except (AttributeError, ValueError, TypeError):
        return False


_OPTIMIZERS = {
    "adam": keras.optimizers.Adam,
    "sgd": keras.optimizers.SGD,
    "rmsprop": keras.optimizers.RMSprop,
}


def _optimizer(optimizer, learning_rate):
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    if optimizer not in _OPTIMIZERS:
        raise ValueError(
            f"optimizer must be one of {sorted(_OPTIMIZERS)} or a keras optimizer, got {optimizer!r}"
        )
    return _OPTIMIZERS[optimizer](learning_rate=learning_rate)


class _NoScope:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


PRECISIONS = ("float32", "mixed_bfloat16")


@contextlib.contextmanager
def _dtype_policy(name):
    """Keras' global dtype policy set to ``name`` inside, restored after (``None``: unchanged)."""
    if name is None:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(name)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def _strategy_scope(strategy):
    if strategy is None:
        return _NoScope()
    backend = keras.backend.backend()
    is_keras_distribution = isinstance(
        strategy, (keras.distribution.DataParallel, keras.distribution.ModelParallel)
    )
    is_tf_strategy = type(strategy).__module__.startswith("tensorflow")
    if backend == "jax" and not is_keras_distribution:
        raise ValueError(
            "strategy must be a keras.distribution.DataParallel or ModelParallel on the JAX "
            "backend, "
            f"got {type(strategy).__name__}"
        )
    if backend == "tensorflow" and not is_tf_strategy:
        raise ValueError(
            "strategy must be a tf.distribute.Strategy on the TensorFlow backend, "
            f"got {type(strategy).__name__}"
        )
    return strategy.scope()


class ErrorPerEpoch(keras.callbacks.Callback):
    """Measures an autoencoder's average squared error per image on held-out data every epoch.

    The value goes into the epoch's logs under ``name`` (so ``History`` keeps it) and into
    ``values``; every ``print_every`` epochs, and after the last, a line of progress is printed
    (``label: epoch 10/200, test error 4.21, 63 s``), which reads better in an executed notebook
    than a line per epoch. The data are only watched: nothing in training depends on them.

    Args:
        x: the held-out images, values in [0, 1] (or whatever the model reconstructs).
        name: the key in the logs.
        print_every: epochs between progress lines; 0 prints nothing.
        label: what the progress lines start with.
        value_range: passed to `aelib.evaluation.metrics.average_squared_error`.

    Example:
        >>> import numpy as np
        >>> from aelib import Autoencoder, builders
        >>> model = Autoencoder(builders.dense_encoder(4, [], 2), builders.dense_decoder(2, [], 4))
        >>> x = np.random.rand(32, 4).astype("float32")
        >>> watch = ErrorPerEpoch(x, print_every=0)
        >>> _ = fit(model, x, epochs=2, verbose=0, callbacks=[watch])
        >>> len(watch.values)
        2
    """

    def __init__(
        self, x, name="test_error", print_every=10, label="training", value_range=(0.0, 1.0)
    ):
        super().__init__()
        self.value_range = value_range
        self.x = x
        self.name = name
        if isinstance(print_every, bool) or not isinstance(print_every, int) or print_every < 0:
            raise ValueError(f"print_every must be a non-negative integer, got {print_every!r}")
        self.print_every = print_every
        self.label = label
        self.values = []

    def on_train_begin(self, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        value = average_squared_error(
            self.x, self.model.reconstruct(self.x), value_range=self.value_range
        )
        self.values.append(value)
        if logs is not None:
            logs[self.name] = value
        last = epoch + 1 == self.params.get("epochs")
        if self.print_every and ((epoch + 1) % self.print_every == 0 or last):
            print(
                f"{self.label}: epoch {epoch + 1}/{self.params.get('epochs')}, "
                f"{self.name.replace('_', ' ')} {value:.2f}, "
                f"{time.perf_counter() - self._started:.0f} s",
                flush=True,
            )
