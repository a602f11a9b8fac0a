"""Pilot for studies/hinton_pca: how many Adam epochs the pretrained MNIST autoencoder needs.

Pretrains the 784-1000-500-250-30 RBM stack (50 CD-1 epochs per layer) on the first 55,000
training images, unrolls it, fine-tunes with Adam (batch 100) and prints, after every epoch,
the average squared error per image on training images 55,000-59,999: a validation split of
the training set. The test set is not touched. The output of the run that set the study's
`epochs` is in `hinton_fine_tune_epochs.log` beside this file.

    KERAS_BACKEND=jax python studies/hinton_pca/pilots/hinton_fine_tune_epochs.py RBM_EPOCHS LR EPOCHS
"""

import sys
import time
from pathlib import Path

import keras

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the study's prep.py
import prep  # noqa: E402

from aelib import metrics  # noqa: E402
from aelib.models.deep import unroll  # noqa: E402
from aelib.models.rbm import pretrain_stack  # noqa: E402

rbm_epochs, learning_rate, epochs = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
x, _, _ = prep.mnist()
x_fit, x_val = x[:55000], x[55000:]
t0 = time.perf_counter()
rbms = pretrain_stack(x_fit, [784, 1000, 500, 250, 30], epochs=rbm_epochs, seed=0)
print("pretrain", round(time.perf_counter() - t0), "s", flush=True)
model = unroll(rbms)
print("unrolled val", metrics.average_squared_error(x_val, model.reconstruct(x_val)), flush=True)


class Watch(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        error = metrics.average_squared_error(x_val, model.reconstruct(x_val))
        print(
            "epoch",
            epoch + 1,
            "val",
            round(error, 3),
            "t",
            round(time.perf_counter() - t0),
            flush=True,
        )


model.compile(optimizer=keras.optimizers.Adam(learning_rate))
model.fit(x_fit, epochs=epochs, batch_size=100, verbose=0, callbacks=[Watch()])
