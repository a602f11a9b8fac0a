"""Does bfloat16 training cost PSNR? The same RED-Net trained in float32 and in mixed_bfloat16.

Both runs train the same network from the same initial weights on the same patches (Train400
without its last 20 images), and are measured on those 20 validation images at sigma = 25.
Run from this folder with TensorFlow (the bfloat16 speed-up is TensorFlow's):

    python pilots/precision.py          # writes pilots/precision.json

It is a pilot: its numbers choose the study's precision, and are not results of the study.
"""

import json
import sys
import time
from pathlib import Path

import keras

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import prep  # noqa: E402

import aelib  # noqa: E402

ROUNDS, PATCHES, BATCH = 6, 2_048, 64
train_images, validation = prep.train400_split(20)
results = {
    "backend": keras.backend.backend(),
    "rounds": ROUNDS,
    "patches_per_round": PATCHES,
    "batch_size": BATCH,
    "network": "red_net(depth=10, filters=64)",
    "runs": {},
}
for policy in ("mixed_bfloat16", "float32"):
    keras.mixed_precision.set_global_policy(policy)
    aelib.seed_everything(0)
    model = aelib.red_net(10, 64, noise=aelib.GaussianNoise(25 / 255, dtype="float32"))
    started = time.perf_counter()
    curve = prep.train(
        model,
        train_images,
        validation,
        rounds=ROUNDS,
        patches_per_round=PATCHES,
        patch_size=40,
        batch_size=BATCH,
        learning_rates=(1e-3, 1e-3),
        seed=0,
        sigmas=(25,),
    )
    results["runs"][policy] = {
        "seconds": time.perf_counter() - started,
        "validation_psnr_sigma_25": [c["psnr"][25] for c in curve],
    }
    print(policy, results["runs"][policy], flush=True)
keras.mixed_precision.set_global_policy("float32")
runs = results["runs"]
results["psnr_difference_db"] = (
    runs["mixed_bfloat16"]["validation_psnr_sigma_25"][-1]
    - runs["float32"]["validation_psnr_sigma_25"][-1]
)
results["speed_up"] = runs["float32"]["seconds"] / runs["mixed_bfloat16"]["seconds"]
Path(__file__).with_suffix(".json").write_text(json.dumps(results, indent=1) + "\n")
print(json.dumps(results, indent=1))
