# Pilot (not in the repo): epochs needed by the pretrained 784-1000-500-250-30 AE with Adam,
# watched on a validation split of the TRAINING set (train[55000:]); the test set is not used.
import time, sys, json, numpy as np
import keras, aelib
from aelib import datasets, metrics
from aelib.deep import unroll, fine_tune
from aelib.rbm import pretrain_stack
(x, y), _ = datasets.mnist()
x = (x / 255.0).reshape(-1, 784).astype("float32")
xt, xv = x[:55000], x[55000:]
t0 = time.perf_counter()
rbms = pretrain_stack(xt, [784, 1000, 500, 250, 30], epochs=int(sys.argv[1]), seed=0)
print("pretrain", round(time.perf_counter() - t0), "s", flush=True)
m = unroll(rbms)
print("unrolled val", metrics.average_squared_error(xv, m.reconstruct(xv)), flush=True)
lr = float(sys.argv[2])
class CB(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        e = metrics.average_squared_error(xv, m.reconstruct(xv))
        print("epoch", epoch + 1, "val", round(e, 3), "t", round(time.perf_counter() - t0), flush=True)
m.compile(optimizer=keras.optimizers.Adam(lr))
m.fit(xt, epochs=int(sys.argv[3]), batch_size=100, verbose=0, callbacks=[CB()])
