"""The masked autoencoder, MAE (He, Chen, Xie, Li, Dollár & Girshick, 2021), for small images.

An image is cut into a grid of square patches; most of them (75% in the paper) are removed at
random, and the model learns to paint them back from the few that remain:

* the *encoder* embeds each patch linearly (`patchify`, then a ``Dense`` layer), adds a fixed
  2-D sine-cosine position embedding (`sincos_position_embedding`), and runs only the
  *visible* patches through a stack of Transformer blocks (`TransformerBlock`), then a layer
  normalization; removing three patches in four makes the encoder about four times cheaper;
* the *masking* is drawn afresh for each sample: a uniform noise per patch, sorted; the patches
  of the ``num_keep`` smallest values are kept (`random_masking`, `gather_tokens`);
* the *decoder* projects the encoder's tokens to a narrower width, puts a learned *mask token*
  at every removed position (the tokens back in their original order), adds its own position
  embedding, runs a few Transformer blocks and predicts each patch's pixels with a linear
  layer;
* the *loss* is the mean squared error of the pixels of the removed patches only: the model
  is not rewarded for copying what it sees.

After training, the encoder run on all the patches (no masking) gives a representation of the
image; `MaskedAutoencoder.transform` returns its tokens mean-pooled, for linear probing.

This module follows the paper's design (the encoder sees only the visible patches, mask
tokens enter the decoder only, the fixed sine-cosine embeddings, the pre-norm blocks), at the
scale of MNIST. It leaves out the class token (the pooled tokens stand for it, as in the paper's
ablation where pooling matches it) and the per-patch normalized pixel target.

Everything is written with ``keras`` and ``keras.ops`` only, so it runs on TensorFlow and on JAX.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from aelib._validation import data_array as _data_array
from aelib._validation import non_negative_int as _non_negative_int
from aelib._validation import open_fraction as _open_fraction
from aelib._validation import positive as _positive
from aelib._validation import positive_int as _positive_int
from aelib._validation import seed as _check_seed
from aelib.models.autoencoder import (
    _is_array,
    checked_fit_data,
    guarded_fit,
    per_replica_loss,
)

_LN_EPSILON = 1e-6


# ---------------------------------------------------------------------- patches
def _image_sides(shape, patch_size):
    """``(rows, cols)`` of patches of an image of ``shape = (H, W, C)``, checked."""
    height, width = shape[0], shape[1]
    for side, name in ((height, "height"), (width, "width")):
        if side is not None and side % patch_size:
            raise ValueError(
                f"patch_size must divide the image's {name}, got patch_size={patch_size} for "
                f"images of shape {tuple(shape)}"
            )
    return height // patch_size, width // patch_size


def patchify(images, patch_size):
    """Cuts images into non-overlapping square patches, each flattened.

    Args:
        images: a batch ``(n, H, W, C)`` (a tensor or a NumPy array), ``H`` and ``W``
            multiples of ``patch_size``.
        patch_size: ``p``, the side of a patch in pixels.

    Returns:
        A tensor ``(n, (H/p) * (W/p), p * p * C)``: the patches in raster order (row of patches
        by row of patches, left to right), each flattened row-major with the channels last,
        so that its value ``(i * p + j) * C + c`` is the pixel ``(i, j)`` of the patch, channel
        ``c``.

    Raises:
        ValueError: ``patch_size`` is not a positive integer dividing ``H`` and ``W``, or the
            images are not a 4-D batch.

    Example:
        >>> image = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
        >>> ops.convert_to_numpy(patchify(image, 2))[0].astype(int).tolist()
        [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]
    """
    patch_size = _positive_int("patch_size", patch_size)
    images = ops.convert_to_tensor(images)
    if len(images.shape) != 4:
        raise ValueError(f"images must be a batch (n, H, W, C), got shape {tuple(images.shape)}")
    _, height, width, channels = images.shape
    rows, cols = _image_sides((height, width), patch_size)
    p = patch_size
    x = ops.reshape(images, (-1, rows, p, cols, p, channels))
    x = ops.transpose(x, (0, 1, 3, 2, 4, 5))  # (n, rows, cols, p, p, C)
    return ops.reshape(x, (-1, rows * cols, p * p * channels))


def unpatchify(patches, image_shape, patch_size):
    """The inverse of `patchify`: patches ``(n, L, p * p * C)`` back to images ``(n, H, W, C)``.

    Args:
        patches: a tensor or NumPy array ``(n, (H/p) * (W/p), p * p * C)`` in `patchify`'s
            layout.
        image_shape: ``(H, W, C)``.
        patch_size: ``p``.

    Raises:
        ValueError: ``patch_size`` does not divide the sides, or the patches do not fit
            ``image_shape``.

    Example:
        >>> image = np.random.default_rng(0).random((2, 4, 6, 3)).astype("float32")
        >>> back = unpatchify(patchify(image, 2), (4, 6, 3), 2)
        >>> bool(np.array_equal(ops.convert_to_numpy(back), image))
        True
    """
    patch_size = _positive_int("patch_size", patch_size)
    image_shape = _image_shape(image_shape)
    height, width, channels = image_shape
    rows, cols = _image_sides(image_shape, patch_size)
    p = patch_size
    patches = ops.convert_to_tensor(patches)
    if len(patches.shape) != 3 or tuple(patches.shape[1:]) != (rows * cols, p * p * channels):
        raise ValueError(
            f"patches must have shape (n, {rows * cols}, {p * p * channels}) for images of shape "
            f"{image_shape} and patch_size={p}, got {tuple(patches.shape)}"
        )
    x = ops.reshape(patches, (-1, rows, cols, p, p, channels))
    x = ops.transpose(x, (0, 1, 3, 2, 4, 5))  # (n, rows, p, cols, p, C)
    return ops.reshape(x, (-1, height, width, channels))


# ---------------------------------------------------------------------- position embedding
def _sincos_1d(dim, positions):
    """``(len(positions), dim)``: ``sin(pos * w_i)`` then ``cos(pos * w_i)``, ``w_i =
    1 / 10000^(2i / dim)``, ``i < dim / 2`` (float64)."""
    omega = 1.0 / 10000.0 ** (np.arange(dim // 2, dtype=np.float64) / (dim / 2.0))
    angles = np.outer(np.asarray(positions, np.float64), omega)
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)


def sincos_position_embedding(grid_size, dim):
    """The fixed 2-D sine-cosine position embedding of MAE, one row per patch of a square grid.

    The patch at row ``r`` and column ``c`` of the grid (raster order, index
    ``r * grid_size + c``) gets the vector ``[E(r), E(c)]``: its first ``dim / 2`` values encode
    the row, the last ``dim / 2`` the column, each as ``E(t) = [sin(t w_0), ..., sin(t w_{k-1}),
    cos(t w_0), ..., cos(t w_{k-1})]`` with ``k = dim / 4`` frequencies ``w_i = 1 / 10000^(2i /
    (dim / 2))``. (The MAE reference code puts the column's half first; for a fixed embedding
    added to learned patch embeddings the order of the halves makes no difference.)

    Args:
        grid_size: patches per side, a positive integer.
        dim: the width of the embedding, a positive multiple of 4.

    Returns:
        A float32 NumPy array ``(grid_size ** 2, dim)``.

    Raises:
        ValueError: a bad ``grid_size``, or a ``dim`` that is not a multiple of 4.

    Example:
        >>> e = sincos_position_embedding(3, 8)
        >>> e.shape, e.dtype, e[0].tolist()  # row 0, column 0: sin 0 = 0, cos 0 = 1
        ((9, 8), dtype('float32'), [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0])
    """
    grid_size = _positive_int("grid_size", grid_size)
    dim = _positive_int("dim", dim)
    if dim % 4:
        raise ValueError(f"dim must be a multiple of 4, got {dim}")
    return _rect_position_embedding(grid_size, grid_size, dim)


def _rect_position_embedding(rows, cols, dim):
    """`sincos_position_embedding` of a ``rows x cols`` grid (rectangular images)."""
    if dim % 4:
        raise ValueError(f"dim must be a multiple of 4, got {dim}")
    r, c = np.divmod(np.arange(rows * cols), cols)
    return np.concatenate([_sincos_1d(dim // 2, r), _sincos_1d(dim // 2, c)], axis=1).astype(
        "float32"
    )


# ---------------------------------------------------------------------- masking
def random_masking(noise, num_keep):
    """Which patches a sample keeps, from one uniform draw per patch.

    The patches are sorted by their noise; the ``num_keep`` of smallest noise are kept (in that
    sorted order), the others are masked. With uniform noise this keeps a uniformly random
    subset of ``num_keep`` patches, drawn independently for each sample.

    Args:
        noise: a tensor or NumPy array ``(n, L)`` of per-patch noise.
        num_keep: how many patches are kept, an integer in ``[1, L]``.

    Returns:
        ``(ids_keep, ids_restore, mask)``: ``ids_keep`` int32 ``(n, num_keep)``, the indices of
        the kept patches; ``ids_restore`` int32 ``(n, L)``, the permutation that puts the
        shuffled sequence (the kept patches, then the masked ones) back in the original order
        (``gather_tokens(shuffled, ids_restore)``); ``mask`` float32 ``(n, L)``, 1 for a masked
        patch and 0 for a kept one, in the original order.

    Example:
        >>> keep, restore, mask = random_masking(np.array([[0.5, 0.1, 0.9, 0.3]]), 2)
        >>> [ops.convert_to_numpy(t).tolist() for t in (keep, restore, mask)]
        [[[1, 3]], [[2, 0, 3, 1]], [[1.0, 0.0, 1.0, 0.0]]]
    """
    noise = ops.convert_to_tensor(noise)
    length = noise.shape[1]
    num_keep = _positive_int("num_keep", num_keep)
    if length is not None and num_keep > length:
        raise ValueError(f"num_keep must be at most the number of patches {length}, got {num_keep}")
    ids_shuffle = ops.cast(ops.argsort(noise, axis=1), "int32")
    ids_restore = ops.cast(ops.argsort(ids_shuffle, axis=1), "int32")
    ids_keep = ids_shuffle[:, :num_keep]
    # 0 for the first num_keep positions of the shuffled order, 1 after; then unshuffled.
    shuffled_mask = ops.cast(ops.arange(length) >= num_keep, "float32")
    shuffled_mask = ops.broadcast_to(shuffled_mask[None, :], ops.shape(noise))
    mask = ops.take_along_axis(shuffled_mask, ids_restore, axis=1)
    return ids_keep, ids_restore, mask


def gather_tokens(tokens, indices):
    """``tokens[b, indices[b, k], :]`` for each sample ``b``: ``(n, L, D)`` and ``(n, K)`` ->
    ``(n, K, D)``, with ``ops.take_along_axis`` (differentiable in ``tokens``).

    Example:
        >>> tokens = np.arange(6, dtype="float32").reshape(1, 3, 2)
        >>> ops.convert_to_numpy(gather_tokens(tokens, np.array([[2, 0]]))).tolist()
        [[[4.0, 5.0], [0.0, 1.0]]]
    """
    tokens = ops.convert_to_tensor(tokens)
    indices = ops.cast(ops.convert_to_tensor(indices), "int32")
    shape = ops.shape(indices)
    index = ops.broadcast_to(indices[:, :, None], (shape[0], shape[1], tokens.shape[-1]))
    return ops.take_along_axis(tokens, index, axis=1)


# ---------------------------------------------------------------------- the block
@keras.saving.register_keras_serializable(package="aelib")
class TransformerBlock(keras.layers.Layer):
    """A pre-norm Transformer block: ``x + MHA(LN(x))``, then ``x + MLP(LN(x))``.

    The attention is `keras.layers.MultiHeadAttention` (self-attention, ``num_heads`` heads of
    width ``dim / num_heads``); the MLP is ``Dense(mlp_ratio * dim, gelu)`` then
    ``Dense(dim)``; the normalizations are `keras.layers.LayerNormalization` with
    ``epsilon=1e-6``, as in MAE's ViT.

    Args:
        dim: the width of the tokens, a positive multiple of ``num_heads``.
        num_heads: attention heads, a positive integer.
        mlp_ratio: the MLP's hidden width over ``dim``, a real number > 0 (hidden width
            ``max(1, round(mlp_ratio * dim))``).
        **kwargs: passed to `keras.layers.Layer`.

    Call arguments:
        inputs: tokens ``(batch, length, dim)``.

    Raises:
        ValueError: a bad argument, naming the parameter.

    Example:
        >>> block = TransformerBlock(8, num_heads=2)
        >>> tuple(block(np.zeros((3, 5, 8), "float32")).shape)
        (3, 5, 8)
    """

    def __init__(self, dim, num_heads=4, mlp_ratio=2.0, **kwargs):
        dim = _positive_int("dim", dim)
        num_heads = _positive_int("num_heads", num_heads)
        mlp_ratio = _positive("mlp_ratio", mlp_ratio)
        if dim % num_heads:
            raise ValueError(f"dim must be a multiple of num_heads = {num_heads}, got {dim}")
        super().__init__(**kwargs)
        self.dim = dim
        self.num_heads = num_heads
        self.mlp_ratio = mlp_ratio
        self.hidden_dim = max(1, round(mlp_ratio * dim))
        self.norm1 = keras.layers.LayerNormalization(epsilon=_LN_EPSILON, name="norm1")
        self.attention = keras.layers.MultiHeadAttention(
            num_heads, key_dim=dim // num_heads, name="attention"
        )
        self.norm2 = keras.layers.LayerNormalization(epsilon=_LN_EPSILON, name="norm2")
        self.mlp_hidden = keras.layers.Dense(self.hidden_dim, activation="gelu", name="mlp_hidden")
        self.mlp_output = keras.layers.Dense(dim, name="mlp_output")

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        self.norm1.build(input_shape)
        self.attention.build(input_shape, input_shape)
        self.norm2.build(input_shape)
        self.mlp_hidden.build(input_shape)
        self.mlp_output.build(input_shape[:-1] + (self.hidden_dim,))
        self.built = True

    def call(self, inputs, training=False):
        h = self.norm1(inputs)
        x = inputs + self.attention(h, h, training=training)
        return x + self.mlp_output(self.mlp_hidden(self.norm2(x)))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "dim": self.dim,
            "num_heads": self.num_heads,
            "mlp_ratio": self.mlp_ratio,
        }


# ---------------------------------------------------------------------- the model
@keras.saving.register_keras_serializable(package="aelib")
class MaskedAutoencoder(keras.Model):
    """The masked autoencoder of He et al. (2021), sized for small images such as MNIST.

    ``model(images)`` returns the forward record, a dict:

    * ``"reconstruction"`` ``(n, H, W, C)``: the decoder's prediction of every patch (the
      visible ones too, which the loss ignores);
    * ``"mask"`` ``(n, L)`` float32: 1 for each masked patch, 0 for each visible one, in
      raster order (`patchify`);
    * ``"code"`` ``(n, num_keep, encoder_dim)``: the encoder's tokens of the visible patches,
      in the order they were kept.

    Each call draws a new mask per sample from the model's own seeded generator
    (`keras.random.SeedGenerator` of ``seed``), in training and inference alike; `reconstruct`
    draws its masks from a NumPy generator of its own ``seed`` instead, so that the same seed
    gives the same masks whatever the state of training.

    The loss (`compute_loss`) is the mean squared error over the pixels of the masked patches,
    averaged over the masked patches of the batch, as in the paper; ``fit`` reports it as
    ``loss``. ``fit`` (and `aelib.fit`) check the data and stop with a ``FloatingPointError``
    when the loss becomes NaN or infinite, as `aelib.Autoencoder` does.

    The protocol: ``transform(x)`` -> the mean of the encoder's tokens over *all* the patches
    (no masking), ``(n, encoder_dim)``, the representation for a linear probe;
    ``reconstruct(x, seed)`` -> ``(reconstruction, mask)``; ``score_samples(x)`` -> minus the
    per-sample error on masked patches. NumPy in, NumPy out; ``x`` is ``(n, H, W, C)`` (add the
    channel axis of MNIST with ``x[..., None]``) with values in [0, 1] or any real values.

    Args:
        image_shape: ``(H, W, C)``, positive integers (``(28, 28, 1)`` by default).
        patch_size: the side of a patch, dividing ``H`` and ``W`` (4 by default: 49 patches).
        mask_ratio: the fraction of patches masked, in (0, 1) (0.75 by default); the model
            keeps ``num_keep = max(1, round((1 - mask_ratio) * L))`` of the ``L`` patches,
            and ``num_keep`` must be below ``L``.
        encoder_dim: the encoder's token width, a multiple of ``encoder_heads`` and of 4.
        encoder_depth: encoder blocks, a positive integer.
        encoder_heads: attention heads of each encoder block.
        decoder_dim: the decoder's token width, a multiple of ``decoder_heads`` and of 4.
        decoder_depth: decoder blocks, an integer >= 0.
        decoder_heads: attention heads of each decoder block.
        mlp_ratio: the MLP's hidden width over the token width in every block.
        seed: seed of the masking generator, or ``None`` (drawn from Keras' global generator,
            which `aelib.seed_everything` seeds). The weights' initializers follow Keras'
            global seed (`aelib.fit` seeds it when given a function that builds the model).
        **kwargs: passed to `keras.Model` (``name``, ...).

    Raises:
        ValueError: a bad argument, naming the parameter.

    Example:
        >>> model = MaskedAutoencoder((8, 8, 1), patch_size=4, mask_ratio=0.5, encoder_dim=8,
        ...                           encoder_depth=1, encoder_heads=2, decoder_dim=8,
        ...                           decoder_heads=2, seed=0)
        >>> x = np.random.default_rng(0).random((3, 8, 8, 1)).astype("float32")
        >>> model.num_patches, model.num_keep
        (4, 2)
        >>> record = model(x)
        >>> tuple(record["code"].shape), ops.convert_to_numpy(record["mask"]).sum(axis=1).tolist()
        ((3, 2, 8), [2.0, 2.0, 2.0])
        >>> reconstruction, mask = model.reconstruct(x, seed=1)
        >>> reconstruction.shape, mask.shape, model.transform(x).shape
        ((3, 8, 8, 1), (3, 4), (3, 8))
    """

    def __init__(
        self,
        image_shape=(28, 28, 1),
        patch_size=4,
        mask_ratio=0.75,
        encoder_dim=64,
        encoder_depth=4,
        encoder_heads=4,
        decoder_dim=32,
        decoder_depth=1,
        decoder_heads=4,
        mlp_ratio=2,
        seed=None,
        **kwargs,
    ):
        image_shape = _image_shape(image_shape)
        patch_size = _positive_int("patch_size", patch_size)
        rows, cols = _image_sides(image_shape, patch_size)
        mask_ratio = _open_fraction("mask_ratio", mask_ratio)
        num_patches = rows * cols
        num_keep = max(1, round((1.0 - mask_ratio) * num_patches))
        if num_keep >= num_patches:
            raise ValueError(
                f"mask_ratio must mask at least one of the {num_patches} patches, got "
                f"{mask_ratio} (which keeps {num_keep})"
            )
        encoder_dim = _width("encoder_dim", encoder_dim, "encoder_heads", encoder_heads)
        decoder_dim = _width("decoder_dim", decoder_dim, "decoder_heads", decoder_heads)
        encoder_depth = _positive_int("encoder_depth", encoder_depth)
        decoder_depth = _non_negative_int("decoder_depth", decoder_depth)
        mlp_ratio = _positive("mlp_ratio", mlp_ratio)
        seed = _check_seed(seed)
        super().__init__(**kwargs)
        self.image_shape = image_shape
        self.patch_size = patch_size
        self.mask_ratio = mask_ratio
        self.encoder_dim = encoder_dim
        self.encoder_depth = encoder_depth
        self.encoder_heads = int(encoder_heads)
        self.decoder_dim = decoder_dim
        self.decoder_depth = decoder_depth
        self.decoder_heads = int(decoder_heads)
        self.mlp_ratio = mlp_ratio
        self.seed = seed
        self.num_patches = num_patches
        self.num_keep = num_keep
        self.patch_dim = patch_size * patch_size * image_shape[2]
        # Fixed (not weights): recomputed from the configuration, never trained or saved.
        self._encoder_positions = _rect_position_embedding(rows, cols, encoder_dim)[None]
        self._decoder_positions = _rect_position_embedding(rows, cols, decoder_dim)[None]

        self.seed_generator = keras.random.SeedGenerator(seed, name="mask_seed_generator")
        self.patch_embedding = keras.layers.Dense(encoder_dim, name="patch_embedding")
        self.encoder_blocks = [
            TransformerBlock(encoder_dim, encoder_heads, mlp_ratio, name=f"encoder_block_{i}")
            for i in range(encoder_depth)
        ]
        self.encoder_norm = keras.layers.LayerNormalization(
            epsilon=_LN_EPSILON, name="encoder_norm"
        )
        self.decoder_embedding = keras.layers.Dense(decoder_dim, name="decoder_embedding")
        self.decoder_blocks = [
            TransformerBlock(decoder_dim, decoder_heads, mlp_ratio, name=f"decoder_block_{i}")
            for i in range(decoder_depth)
        ]
        self.decoder_norm = keras.layers.LayerNormalization(
            epsilon=_LN_EPSILON, name="decoder_norm"
        )
        self.prediction = keras.layers.Dense(self.patch_dim, name="prediction")
        self.build((None,) + image_shape)  # built now, so that it saves before any call

    def build(self, input_shape=None):
        if self.built:
            return
        n = None
        self.patch_embedding.build((n, self.num_patches, self.patch_dim))
        for block in self.encoder_blocks:
            block.build((n, None, self.encoder_dim))
        self.encoder_norm.build((n, None, self.encoder_dim))
        self.decoder_embedding.build((n, None, self.encoder_dim))
        self.mask_token = self.add_weight(
            name="mask_token",
            shape=(1, 1, self.decoder_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )
        for block in self.decoder_blocks:
            block.build((n, self.num_patches, self.decoder_dim))
        self.decoder_norm.build((n, self.num_patches, self.decoder_dim))
        self.prediction.build((n, self.num_patches, self.decoder_dim))
        self.built = True

    # ------------------------------------------------------------------ the forward pass
    def embed_patches(self, images):
        """Patch embedding plus the encoder's position embedding: ``(n, L, encoder_dim)``."""
        tokens = self.patch_embedding(patchify(images, self.patch_size))
        return tokens + ops.cast(self._encoder_positions, tokens.dtype)

    def encode_tokens(self, tokens, training=False):
        """The encoder's blocks and final normalization over ``tokens`` ``(n, K, encoder_dim)``."""
        for block in self.encoder_blocks:
            tokens = block(tokens, training=training)
        return self.encoder_norm(tokens)

    def draw_noise(self, batch_size):
        """Uniform noise ``(batch_size, L)`` from the model's seeded generator (advances it)."""
        return keras.random.uniform((batch_size, self.num_patches), seed=self.seed_generator)

    def decode_tokens(self, code, ids_restore, training=False):
        """The decoder: visible tokens ``(n, num_keep, encoder_dim)`` and the permutation of
        `random_masking` -> predicted patches ``(n, L, patch_dim)``."""
        tokens = self.decoder_embedding(code)
        n = ops.shape(tokens)[0]
        mask_tokens = ops.broadcast_to(
            ops.cast(self.mask_token, tokens.dtype),
            (n, self.num_patches - self.num_keep, self.decoder_dim),
        )
        tokens = gather_tokens(ops.concatenate([tokens, mask_tokens], axis=1), ids_restore)
        tokens = tokens + ops.cast(self._decoder_positions, tokens.dtype)
        for block in self.decoder_blocks:
            tokens = block(tokens, training=training)
        return self.prediction(self.decoder_norm(tokens))

    def forward(self, images, noise=None, training=False):
        """One masked pass as a record (see the class docstring).

        Args:
            images: a batch ``(n, H, W, C)``.
            noise: per-patch noise ``(n, L)`` that chooses the mask (`random_masking`);
                ``None`` draws it from the model's generator (`draw_noise`).
            training: whether this is a training pass.
        """
        images = ops.convert_to_tensor(images)
        if noise is None:
            noise = self.draw_noise(ops.shape(images)[0])
        ids_keep, ids_restore, mask = random_masking(noise, self.num_keep)
        visible = gather_tokens(self.embed_patches(images), ids_keep)
        code = self.encode_tokens(visible, training=training)
        predicted = self.decode_tokens(code, ids_restore, training=training)
        reconstruction = unpatchify(predicted, self.image_shape, self.patch_size)
        return {"reconstruction": reconstruction, "mask": mask, "code": code}

    def call(self, inputs, training=False):
        """The forward record of ``inputs``, masked with the model's generator."""
        return self.forward(inputs, training=bool(training))

    def pooled_code(self, images):
        """The encoder over all the patches (no masking), mean-pooled: ``(n, encoder_dim)``."""
        tokens = self.encode_tokens(self.embed_patches(images), training=False)
        return ops.mean(tokens, axis=1)

    # ------------------------------------------------------------------ loss
    def masked_patch_errors(self, target, reconstruction):
        """The mean squared error of each patch, ``(n, L)`` float32, between the images
        ``target`` and ``reconstruction``."""
        target = ops.cast(patchify(target, self.patch_size), "float32")
        predicted = ops.cast(patchify(reconstruction, self.patch_size), "float32")
        return ops.mean(ops.square(predicted - target), axis=-1)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The mean squared error over the pixels of the masked patches of the batch, from the
        forward record ``y_pred``: ``sum(mask * e) / sum(mask)`` with ``e`` the per-patch
        error (`masked_patch_errors`); a ``sample_weight`` weights each sample's patches."""
        del training
        target = x if y is None else y
        errors = self.masked_patch_errors(target, y_pred["reconstruction"])
        mask = ops.cast(y_pred["mask"], "float32")
        if sample_weight is not None:
            mask = mask * ops.cast(ops.reshape(sample_weight, (-1, 1)), "float32")
        loss = ops.sum(errors * mask) / ops.maximum(ops.sum(mask), 1e-12)
        for extra in self.losses:
            loss = loss + ops.cast(ops.sum(extra), loss.dtype)
        return per_replica_loss(loss)

    # ------------------------------------------------------------------ training, guarded
    def fit(self, x=None, y=None, **kwargs):
        """`keras.Model.fit`, with array data checked first and a guard against NaN losses.

        Array data (``x``, ``y``, ``validation_data``) must be non-empty, finite images of the
        model's ``image_shape``.

        Raises:
            ValueError: bad data, naming the parameter.
            TypeError: ``callbacks`` is not a list of `keras.callbacks.Callback`.
            FloatingPointError: the training loss became NaN or infinite; training stopped at
                the end of that epoch.
        """
        x, y = checked_fit_data(self._check_inputs, x, y, kwargs.get("validation_data"))
        if y is not None and _is_array(y):
            y = self._check_inputs(y, "y")
        validation = kwargs.get("validation_data")
        if _is_array(validation):
            kwargs["validation_data"] = self._check_inputs(validation, "validation_data")
        return guarded_fit(super().fit, x, y, kwargs)

    # ------------------------------------------------------------------ NumPy in, NumPy out
    def _check_inputs(self, x, parameter="x"):
        """``x`` as a float array, checked: non-empty, finite, of shape ``(n, H, W, C)``."""
        x = _data_array(parameter, x)
        if tuple(x.shape[1:]) != self.image_shape:
            raise ValueError(
                f"{parameter} must hold images of shape {self.image_shape}, got samples of shape "
                f"{tuple(x.shape[1:])} (add a channel axis with x[..., None])"
            )
        return x.astype("float32", copy=False)

    def transform(self, x, batch_size=256):
        """The representation of ``x`` for probing: the encoder run on all the patches (no
        masking), its tokens mean-pooled after the final normalization; a float32 array
        ``(n, encoder_dim)``."""
        x = self._check_inputs(x)
        batch_size = _positive_int("batch_size", batch_size)
        parts = [
            ops.convert_to_numpy(self.pooled_code(x[i : i + batch_size]))
            for i in range(0, len(x), batch_size)
        ]
        return np.concatenate(parts).astype("float32")

    def reconstruct(self, x, seed=0, batch_size=256):
        """Reconstructions of ``x`` from randomly masked inputs, NumPy in, NumPy out.

        Args:
            x: images ``(n, H, W, C)``.
            seed: seed of the NumPy generator that draws the masks (independent of the model's
                training generator): the same seed and ``n`` give the same masks.
            batch_size: samples processed at once.

        Returns:
            ``(reconstruction, mask)``: float32 arrays ``(n, H, W, C)`` (the prediction of
            every patch, visible ones included) and ``(n, L)`` (1 = masked patch).
        """
        x = self._check_inputs(x)
        seed = _check_seed(seed, allow_none=False)
        batch_size = _positive_int("batch_size", batch_size)
        noise = np.random.default_rng(seed).random((len(x), self.num_patches)).astype("float32")
        reconstructions, masks = [], []
        for i in range(0, len(x), batch_size):
            record = self.forward(x[i : i + batch_size], noise=noise[i : i + batch_size])
            reconstructions.append(ops.convert_to_numpy(record["reconstruction"]))
            masks.append(ops.convert_to_numpy(record["mask"]))
        return np.concatenate(reconstructions), np.concatenate(masks).astype("float32")

    def score_samples(self, x, seed=0, batch_size=256):
        """Minus each sample's mean squared error over its masked patches (masks of `reconstruct`
        with ``seed``): higher means better predicted, scikit-learn's sign. Float64 ``(n,)``."""
        x = self._check_inputs(x)
        reconstruction, mask = self.reconstruct(x, seed=seed, batch_size=batch_size)
        errors = ops.convert_to_numpy(self.masked_patch_errors(x, reconstruction))
        per_sample = (errors * mask).sum(axis=1) / mask.sum(axis=1)
        return -per_sample.astype(np.float64)

    # ------------------------------------------------------------------ serialization
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "image_shape": list(self.image_shape),
                "patch_size": self.patch_size,
                "mask_ratio": self.mask_ratio,
                "encoder_dim": self.encoder_dim,
                "encoder_depth": self.encoder_depth,
                "encoder_heads": self.encoder_heads,
                "decoder_dim": self.decoder_dim,
                "decoder_depth": self.decoder_depth,
                "decoder_heads": self.decoder_heads,
                "mlp_ratio": self.mlp_ratio,
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


# ---------------------------------------------------------------------- argument checks
def _image_shape(value):
    """``(H, W, C)`` of positive integers, checked."""
    try:
        shape = tuple(value)
    except TypeError:
        shape = None
    if shape is None or len(shape) != 3:
        raise ValueError(f"image_shape must be (height, width, channels), got {value!r}")
    return tuple(_positive_int("image_shape", side) for side in shape)


def _width(parameter, dim, heads_parameter, heads):
    """A token width: a positive integer, a multiple of the heads and of 4."""
    dim = _positive_int(parameter, dim)
    heads = _positive_int(heads_parameter, heads)
    if dim % heads:
        raise ValueError(
            f"{parameter} must be a multiple of {heads_parameter} = {heads}, got {dim}"
        )
    if dim % 4:
        raise ValueError(
            f"{parameter} must be a multiple of 4 (the sine-cosine position embedding), got {dim}"
        )
    return dim
