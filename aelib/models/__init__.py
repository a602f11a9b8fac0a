"""The autoencoders of the book, one module per model.

* `autoencoder` — the base `Autoencoder` (undercomplete, overcomplete, linear), its forward
  record and the hooks a variant overrides;
* `sparse`, `denoising`, `contractive`, `concrete`, `variational` — the regularized and
  generative variants; `importance_weighted` — the IWAE, a VAE on a tighter bound;
* `rbm` and `deep` — restricted Boltzmann machines, greedy pretraining and unrolled deep
  autoencoders;
* `sparse_dictionary` — sparse autoencoders of a network's activations (top-k and L1), whose
  decoders are dictionaries of feature directions, and their metrics (the fraction of variance
  unexplained, dead latents);
* `semantic_hashing` — a deep autoencoder of word counts whose noisy logistic code units
  become binary codes, the memory addresses of semantic hashing;
* `deep_svdd` — Deep SVDD, a one-class detector trained on an autoencoder's encoder;
* `vector_quantized` — the VQ-VAE: a learned codebook, nearest-code quantization with the
  straight-through estimator, the codebook and commitment terms, the codebook's use
  (`perplexity`, `dead_codes`) and random restarts of dead codes;
* `masked` — the masked autoencoder (MAE): patches, the fixed sine-cosine position embedding,
  pre-norm Transformer blocks, per-sample random masking and a loss on the masked patches only;
* `factorized_prior` — Ballé et al.'s learned image codec: GDN transforms and an entropy
  bottleneck trained on rate plus distortion (`aelib.compression` turns it into files);
* `convolutional` — fully convolutional image denoisers (a convolutional denoising autoencoder,
  RED-Net), `denoise`, which applies one to a picture, and the arithmetic of convolutions
  (`conv_output_size`, `conv_transpose_output_size`, `receptive_field`);
* `builders` — dense and convolutional encoders and decoders.
"""

from aelib.models import builders
from aelib.models.autoencoder import Autoencoder, reconstruction_error
from aelib.models.concrete import ConcreteAutoencoder, ConcreteSelector
from aelib.models.contractive import ContractiveAutoencoder
from aelib.models.convolutional import (
    conv_denoising_autoencoder,
    conv_output_size,
    conv_transpose_output_size,
    denoise,
    receptive_field,
    red_net,
)
from aelib.models.deep import deep_autoencoder, fine_tune, unroll
from aelib.models.deep_svdd import DeepSVDD, bias_layers
from aelib.models.denoising import (
    BlindGaussianNoise,
    DenoisingAutoencoder,
    GaussianNoise,
    MaskingNoise,
    SaltAndPepperNoise,
)
from aelib.models.factorized_prior import GDN, EntropyBottleneck, FactorizedPriorAutoencoder
from aelib.models.importance_weighted import ImportanceWeightedAutoencoder
from aelib.models.masked import (
    MaskedAutoencoder,
    TransformerBlock,
    gather_tokens,
    patchify,
    random_masking,
    sincos_position_embedding,
    unpatchify,
)
from aelib.models.rbm import RBM, pretrain_stack, train_rbm
from aelib.models.semantic_hashing import SemanticHashingAutoencoder, unroll_hashing
from aelib.models.sparse import KSparse, SparseAutoencoder, SparsityPenalty, k_sparse_encoder
from aelib.models.sparse_dictionary import (
    L1SparseAutoencoder,
    SparseDictionaryAutoencoder,
    TopKSparseAutoencoder,
    dead_latents,
    fraction_of_variance_unexplained,
)
from aelib.models.variational import (
    Sampling,
    VariationalAutoencoder,
    active_units,
    kl_per_dimension,
)
from aelib.models.vector_quantized import (
    VQVAE,
    DeadCodeRestart,
    VectorQuantizer,
    codebook_usage,
    dead_codes,
    perplexity,
    restart_dead_codes,
)

__all__ = [
    "RBM",
    "VQVAE",
    "Autoencoder",
    "BlindGaussianNoise",
    "ConcreteAutoencoder",
    "ConcreteSelector",
    "ContractiveAutoencoder",
    "DeadCodeRestart",
    "DeepSVDD",
    "DenoisingAutoencoder",
    "EntropyBottleneck",
    "FactorizedPriorAutoencoder",
    "GDN",
    "GaussianNoise",
    "ImportanceWeightedAutoencoder",
    "KSparse",
    "L1SparseAutoencoder",
    "MaskedAutoencoder",
    "MaskingNoise",
    "SaltAndPepperNoise",
    "Sampling",
    "SemanticHashingAutoencoder",
    "SparseAutoencoder",
    "SparseDictionaryAutoencoder",
    "SparsityPenalty",
    "TopKSparseAutoencoder",
    "TransformerBlock",
    "VariationalAutoencoder",
    "VectorQuantizer",
    "active_units",
    "bias_layers",
    "builders",
    "codebook_usage",
    "conv_denoising_autoencoder",
    "conv_output_size",
    "conv_transpose_output_size",
    "denoise",
    "dead_codes",
    "dead_latents",
    "deep_autoencoder",
    "fine_tune",
    "fraction_of_variance_unexplained",
    "gather_tokens",
    "k_sparse_encoder",
    "kl_per_dimension",
    "patchify",
    "perplexity",
    "pretrain_stack",
    "random_masking",
    "receptive_field",
    "reconstruction_error",
    "red_net",
    "restart_dead_codes",
    "sincos_position_embedding",
    "train_rbm",
    "unpatchify",
    "unroll",
    "unroll_hashing",
]
