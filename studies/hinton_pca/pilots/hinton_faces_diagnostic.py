"""Diagnostic for the faces row of studies/hinton_pca: why does the deep AE lose to PCA-30?

Two suspects, from the recorded run: the small transformations (which make the faces easy for
PCA) and the few fine-tuning updates. This script varies one at a time, on a validation split
by person of the *training* people (train on people 0-24, validate on 25-29); the test people
(30-39) are not touched. Otherwise it follows the study: 40 copies per training picture, 10 per
validation picture, standardized pixels, 625-2000-1000-500-30 with a Gaussian-visible first RBM,
50 CD-1 epochs per layer, Adam 1e-3 with batches of 100.

    KERAS_BACKEND=jax python studies/hinton_pca/pilots/hinton_faces_diagnostic.py SETTING
    SETTING: small20 (the study's), large20 (rotation 30, scale 0.8-1.25, shift 3), small60
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the study's prep.py
import prep  # noqa: E402

import aelib  # noqa: E402
from aelib import metrics  # noqa: E402
from aelib.models.deep import unroll  # noqa: E402
from aelib.models.rbm import pretrain_stack  # noqa: E402

SETTINGS = {
    "small20": ({"max_rotation": 10.0, "scale_range": (0.9, 1.1), "max_shift": 1.5}, 20),
    "large20": ({"max_rotation": 30.0, "scale_range": (0.8, 1.25), "max_shift": 3.0}, 20),
    "small60": ({"max_rotation": 10.0, "scale_range": (0.9, 1.1), "max_shift": 1.5}, 60),
}
transforms, epochs = SETTINGS[sys.argv[1]]
t0 = time.perf_counter()
# People 0-24 train and 25-29 validate: the study's test people (30-39) are never loaded.
train, val, _, _ = prep.faces(40, 10, seed=0, train_people=25, people=30, **transforms)
pca = aelib.PCA(30).fit(train)
print(
    sys.argv[1],
    "PCA-30 val",
    round(metrics.average_squared_error(val, pca.reconstruct(val), value_range=None), 2),
    flush=True,
)
rbms = pretrain_stack(
    train, [625, 2000, 1000, 500, 30], epochs=50, visible_type="gaussian", seed=300
)
model = unroll(rbms)
watch = aelib.training.ErrorPerEpoch(
    val, name="val_error", print_every=10, label=sys.argv[1], value_range=None
)
aelib.fit(
    model,
    train,
    epochs=epochs,
    batch_size=100,
    learning_rate=1e-3,
    seed=0,
    verbose=0,
    callbacks=[watch],
)
print(
    sys.argv[1],
    "deep AE val",
    round(watch.values[-1], 2),
    "time",
    round(time.perf_counter() - t0),
    "s",
    flush=True,
)
