"""Learned image compression with real files: a codec of trained factorized-prior models.

* `codec` -- `LearnedCodec`, a trained `aelib.models.FactorizedPriorAutoencoder` as
  ``compress(image) -> bytes`` and ``decompress(bytes) -> image``, range-coded with
  ``constriction`` from integer frequency tables of the learned density;
* `reference` -- the NumPy transforms and density the codec runs on (and the Keras layers'
  reference in the tests);
* `recorded` -- the models recorded by the compression study, kept in this package with their
  sha256 (`load_codec`), which the command line uses::

      python -m aelib.compression encode in.png out.aec --quality 2
      python -m aelib.compression decode out.aec back.png
"""

from aelib.compression.codec import (
    HEADER_BYTES,
    BitstreamError,
    FrequencyTables,
    LearnedCodec,
    weights_of,
    weights_sha256,
)
from aelib.compression.recorded import available_qualities, load_codec, save_models

__all__ = [
    "HEADER_BYTES",
    "BitstreamError",
    "FrequencyTables",
    "LearnedCodec",
    "available_qualities",
    "load_codec",
    "save_models",
    "weights_of",
    "weights_sha256",
]
