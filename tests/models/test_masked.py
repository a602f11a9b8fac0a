"""The masked autoencoder: patches, the sine-cosine embedding and the Transformer block against
NumPy, the random masking and its unshuffling, the loss on masked patches only, an encoder blind
to masked pixels, training with `aelib.fit`, the NaN guard, saving and the argument checks."""

import keras
import numpy as np
import pytest

import aelib
from aelib.models.masked import (
    MaskedAutoencoder,
    TransformerBlock,
    gather_tokens,
    patchify,
    random_masking,
    sincos_position_embedding,
    unpatchify,
)

SMALL = dict(
    image_shape=(8, 8, 1),
    patch_size=2,
    mask_ratio=0.5,
    encoder_dim=32,
    encoder_depth=1,
    encoder_heads=2,
    decoder_dim=16,
    decoder_depth=1,
    decoder_heads=2,
    seed=0,
)


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def small_model(**kwargs):
    return MaskedAutoencoder(**{**SMALL, **kwargs})


def numpy_patches(images, p):
    """Patches by explicit loops: raster order of patches, each patch row-major, channels last."""
    n, height, width, channels = images.shape
    out = []
    for r in range(height // p):
        for c in range(width // p):
            out.append(images[:, r * p : (r + 1) * p, c * p : (c + 1) * p, :].reshape(n, -1))
    return np.stack(out, axis=1)


def stripes(n, rng, size=8):
    """Binary images of horizontal or vertical stripes of period 2 or 4, random phase."""
    images = np.zeros((n, size, size, 1), "float32")
    t = np.arange(size)
    for k in range(n):
        period = rng.choice([2, 4])
        line = ((t + rng.integers(period)) % period < period // 2).astype("float32")
        images[k, :, :, 0] = line[:, None] if rng.random() < 0.5 else line[None, :]
    return images


# ---------------------------------------------------------------------- patches
def test_patchify_of_a_hand_made_image_with_two_channels():
    a = np.array([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]], "float32")
    image = np.stack([a, -a], axis=-1)[None]  # (1, 4, 4, 2)
    expected = np.array(
        [
            [0, -0, 1, -1, 10, -10, 11, -11],
            [2, -2, 3, -3, 12, -12, 13, -13],
            [20, -20, 21, -21, 30, -30, 31, -31],
            [22, -22, 23, -23, 32, -32, 33, -33],
        ],
        "float32",
    )
    patches = _numpy(patchify(image, 2))
    np.testing.assert_array_equal(patches[0], expected)
    np.testing.assert_array_equal(_numpy(unpatchify(patches, (4, 4, 2), 2)), image)


def test_unpatchify_inverts_patchify_on_rectangular_images(rng):
    images = rng.random((3, 6, 9, 3)).astype("float32")
    patches = _numpy(patchify(images, 3))
    assert patches.shape == (3, 6, 27)
    np.testing.assert_array_equal(patches, numpy_patches(images, 3))
    np.testing.assert_array_equal(_numpy(unpatchify(patches, (6, 9, 3), 3)), images)
    np.testing.assert_array_equal(_numpy(patchify(unpatchify(patches, (6, 9, 3), 3), 3)), patches)


def test_patch_sizes_that_do_not_divide_are_refused():
    with pytest.raises(ValueError, match="patch_size"):
        patchify(np.zeros((1, 6, 6, 1), "float32"), 4)
    with pytest.raises(ValueError, match="patch_size"):
        unpatchify(np.zeros((1, 4, 16), "float32"), (6, 6, 1), 4)
    with pytest.raises(ValueError, match="patches"):
        unpatchify(np.zeros((1, 4, 5), "float32"), (4, 4, 1), 2)


# ---------------------------------------------------------------------- position embedding
def numpy_sincos(grid_size, dim):
    """MAE's formula, written out: [sin(r w), cos(r w), sin(c w), cos(c w)], w_i = 10000^(-4i/dim)."""
    quarter = dim // 4
    w = 1.0 / 10000.0 ** (2.0 * np.arange(quarter) / (dim / 2))
    out = np.zeros((grid_size * grid_size, dim))
    for r in range(grid_size):
        for c in range(grid_size):
            out[r * grid_size + c] = np.concatenate(
                [np.sin(r * w), np.cos(r * w), np.sin(c * w), np.cos(c * w)]
            )
    return out


def test_sincos_embedding_matches_the_formula_and_its_invariants():
    grid, dim = 5, 12
    e = sincos_position_embedding(grid, dim)
    assert e.shape == (25, 12) and e.dtype == np.float32
    np.testing.assert_allclose(e, numpy_sincos(grid, dim), atol=1e-6)
    e = e.reshape(grid, grid, dim)
    # The row half is constant along a row of the grid, the column half along a column.
    np.testing.assert_array_equal(e[:, :, : dim // 2], e[:, :1, : dim // 2].repeat(grid, 1))
    np.testing.assert_array_equal(e[:, :, dim // 2 :], e[:1, :, dim // 2 :].repeat(grid, 0))
    # sin^2 + cos^2 = 1 for each frequency: every vector has squared norm dim / 2.
    np.testing.assert_allclose(np.sum(e**2, axis=-1), dim / 2, rtol=1e-5)
    # Distinct positions get distinct vectors.
    flat = e.reshape(-1, dim)
    distances = np.linalg.norm(flat[:, None] - flat[None], axis=-1)
    assert np.all(distances[~np.eye(25, dtype=bool)] > 1e-3)
    with pytest.raises(ValueError, match="dim"):
        sincos_position_embedding(4, 6)


# ---------------------------------------------------------------------- the block
def numpy_layer_norm(x, layer):
    gamma, beta = layer.get_weights()
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-6) * gamma + beta


def numpy_gelu(x):
    from math import erf

    return 0.5 * x * (1.0 + np.vectorize(erf)(x / np.sqrt(2.0)))


def numpy_block(x, block):
    """x + MHA(LN(x)); x + MLP(LN(x)), with the block's own weights, in float64."""
    wq, bq, wk, bk, wv, bv, wo, bo = (w.astype(np.float64) for w in block.attention.get_weights())
    h = numpy_layer_norm(x, block.norm1)
    q = np.einsum("nld,dhk->nhlk", h, wq) + bq[None, :, None, :]
    k = np.einsum("nld,dhk->nhlk", h, wk) + bk[None, :, None, :]
    v = np.einsum("nld,dhk->nhlk", h, wv) + bv[None, :, None, :]
    scores = np.einsum("nhqk,nhsk->nhqs", q, k) / np.sqrt(wq.shape[-1])
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    attended = np.einsum("nhqs,nhsk->nhqk", weights, v)
    x = x + np.einsum("nhqk,hkd->nqd", attended, wo) + bo
    w1, b1 = block.mlp_hidden.get_weights()
    w2, b2 = block.mlp_output.get_weights()
    return x + numpy_gelu(numpy_layer_norm(x, block.norm2) @ w1 + b1) @ w2 + b2


def test_transformer_block_matches_numpy(rng):
    block = TransformerBlock(8, num_heads=2, mlp_ratio=1.5)
    x = rng.normal(size=(3, 5, 8)).astype("float32")
    block.build(x.shape)
    for w in block.weights:  # non-trivial norms and biases too
        w.assign(rng.normal(size=w.shape).astype("float32") * 0.5)
    assert block.mlp_hidden.units == 12
    np.testing.assert_allclose(
        _numpy(block(x)), numpy_block(x.astype(np.float64), block), atol=1e-4
    )
    clone = TransformerBlock.from_config(block.get_config())
    assert (clone.dim, clone.num_heads, clone.mlp_ratio) == (8, 2, 1.5)
    with pytest.raises(ValueError, match="dim"):
        TransformerBlock(10, num_heads=4)


# ---------------------------------------------------------------------- masking
def test_random_masking_keeps_the_smallest_noise_and_unshuffles(rng):
    n, length, dim, keep = 6, 16, 3, 5
    noise = rng.random((n, length)).astype("float32")
    ids_keep, ids_restore, mask = (_numpy(t) for t in random_masking(noise, keep))
    order = np.argsort(noise, axis=1)
    np.testing.assert_array_equal(ids_keep, order[:, :keep])
    expected_mask = np.ones((n, length), "float32")
    np.put_along_axis(expected_mask, order[:, :keep], 0.0, axis=1)
    np.testing.assert_array_equal(mask, expected_mask)
    assert np.all(mask.sum(axis=1) == length - keep)
    # The gather takes the kept tokens; putting the masked ones after them and unshuffling with
    # ids_restore gives back the original order.
    tokens = rng.normal(size=(n, length, dim)).astype("float32")
    kept = _numpy(gather_tokens(tokens, ids_keep))
    np.testing.assert_array_equal(kept, np.take_along_axis(tokens, order[:, :keep, None], axis=1))
    rest = _numpy(gather_tokens(tokens, order[:, keep:]))
    restored = _numpy(gather_tokens(np.concatenate([kept, rest], axis=1), ids_restore))
    np.testing.assert_array_equal(restored, tokens)


def test_model_masks_are_per_sample_seeded_and_keep_num_keep(rng):
    x = rng.random((8, 8, 8, 1)).astype("float32")
    model = small_model(mask_ratio=0.75)
    assert model.num_patches == 16 and model.num_keep == 4
    mask = _numpy(model(x)["mask"])
    assert set(np.unique(mask)) == {0.0, 1.0}
    assert np.all(mask.sum(axis=1) == 12)
    assert len({tuple(m) for m in mask}) > 1  # masks differ between samples
    # The same seed gives the same masks; the generator moves on at each call.
    np.testing.assert_array_equal(_numpy(small_model(mask_ratio=0.75)(x)["mask"]), mask)
    assert not np.array_equal(_numpy(model(x)["mask"]), mask)
    assert not np.array_equal(_numpy(small_model(mask_ratio=0.75, seed=1)(x)["mask"]), mask)
    # reconstruct draws from its own seed: the same masks whatever the model's generator did.
    _, first = model.reconstruct(x, seed=3)
    _, again = model.reconstruct(x, seed=3, batch_size=4)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(model.reconstruct(x, seed=4)[1], first)
    assert np.all(first.sum(axis=1) == 12)
    # A mask ratio that rounds to keeping nothing keeps one patch.
    assert small_model(mask_ratio=0.99).num_keep == 1


# ---------------------------------------------------------------------- loss and encoder
def numpy_masked_loss(x, reconstruction, mask, p):
    errors = ((numpy_patches(reconstruction, p) - numpy_patches(x, p)) ** 2).mean(axis=-1)
    return (errors * mask).sum() / mask.sum()


def test_loss_is_the_mse_of_masked_patches_only(rng):
    model = small_model()
    x = rng.random((4, 8, 8, 1)).astype("float32")
    record = {k: _numpy(v) for k, v in model(x).items()}
    mask = record["mask"]
    loss = float(model.compute_loss(x, x, record))
    expected = numpy_masked_loss(x, record["reconstruction"], mask, 2)
    np.testing.assert_allclose(loss, expected, rtol=1e-5)
    # Anything predicted for the visible patches leaves the loss as it is ...
    pixel_mask = _numpy(unpatchify(np.repeat(mask[..., None], 4, axis=-1), (8, 8, 1), 2))
    noisy = record["reconstruction"] + (1 - pixel_mask) * rng.normal(size=x.shape) * 10
    changed = float(model.compute_loss(x, x, {**record, "reconstruction": noisy}))
    np.testing.assert_allclose(changed, loss, rtol=1e-5)
    # ... and the masked ones alone set it: exact there, the loss is 0; off by 1 there, it is 1.
    exact = np.where(pixel_mask == 1, x, noisy)
    assert float(model.compute_loss(x, x, {**record, "reconstruction": exact})) < 1e-7
    off = np.where(pixel_mask == 1, x + 1.0, noisy)
    np.testing.assert_allclose(
        float(model.compute_loss(x, x, {**record, "reconstruction": off})), 1.0, rtol=1e-5
    )
    # A sample weight of 0 drops a sample's patches.
    weights = np.array([1, 1, 0, 1], "float32")
    keep = weights.astype(bool)
    expected = numpy_masked_loss(x[keep], record["reconstruction"][keep], mask[keep], 2)
    np.testing.assert_allclose(
        float(model.compute_loss(x, x, record, sample_weight=weights)), expected, rtol=1e-5
    )


def test_encoder_of_visible_patches_ignores_masked_pixels(rng):
    model = small_model()
    x = rng.random((3, 8, 8, 1)).astype("float32")
    noise = rng.random((3, model.num_patches)).astype("float32")
    record = model.forward(x, noise=noise)
    mask = _numpy(record["mask"])
    pixel_mask = _numpy(unpatchify(np.repeat(mask[..., None], 4, axis=-1), (8, 8, 1), 2))
    changed = x + pixel_mask * rng.normal(size=x.shape).astype("float32")
    np.testing.assert_allclose(
        _numpy(model.forward(changed, noise=noise)["code"]), _numpy(record["code"]), atol=1e-6
    )
    # A visible pixel, by contrast, changes the code.
    visible = x + (1 - pixel_mask) * 0.5
    assert not np.allclose(_numpy(model.forward(visible, noise=noise)["code"]), record["code"])
    # transform sees every patch: masked pixels change it.
    assert not np.allclose(model.transform(changed), model.transform(x))


def test_transform_is_the_mean_of_the_unmasked_encoder_tokens(rng):
    model = small_model()
    x = rng.random((5, 8, 8, 1)).astype("float32")
    tokens = _numpy(model.encode_tokens(model.embed_patches(x)))
    assert tokens.shape == (5, 16, 32)
    code = model.transform(x, batch_size=2)
    assert code.shape == (5, 32) and code.dtype == np.float32
    np.testing.assert_allclose(code, tokens.mean(axis=1), atol=1e-6)
    # The patch embedding gets the fixed position embedding added.
    embedded = _numpy(model.embed_patches(x))
    w, b = model.patch_embedding.get_weights()
    positions = sincos_position_embedding(4, 32)
    np.testing.assert_allclose(embedded, numpy_patches(x, 2) @ w + b + positions, atol=1e-5)


def test_score_samples_is_minus_the_masked_error(rng):
    model = small_model()
    x = rng.random((4, 8, 8, 1)).astype("float32")
    reconstruction, mask = model.reconstruct(x, seed=2)
    scores = model.score_samples(x, seed=2)
    expected = [-numpy_masked_loss(x[i : i + 1], reconstruction[i : i + 1], mask[i : i + 1], 2)
                for i in range(4)]  # fmt: skip
    np.testing.assert_allclose(scores, expected, rtol=1e-5)


# ---------------------------------------------------------------------- training and saving
def test_trains_with_aelib_fit_on_stripes_and_stops_on_a_nan_loss():
    x = stripes(256, np.random.default_rng(0))
    history = aelib.fit(
        small_model,
        x,
        epochs=12,
        batch_size=32,
        learning_rate=3e-3,
        seed=0,
        verbose=0,
    )
    losses = history.history["loss"]
    assert sorted(history.history) == ["loss"]
    assert all(np.isfinite(losses))
    assert losses[-1] < 0.5 * losses[0], losses
    # Better on the masked patches than the best constant (the mean pixel, error ~0.25).
    model = history.model
    assert -model.score_samples(x).mean() < 0.2
    # The guard of aelib.fit: a loss that becomes NaN stops training with an error (the model,
    # already compiled, resumes on batches of the same shape).
    model.mask_token.assign(np.full(model.mask_token.shape, np.nan, "float32"))
    with pytest.raises(FloatingPointError, match="loss"):
        aelib.fit(model, x[:64], epochs=2, batch_size=32, verbose=0)


def test_fit_checks_its_data_and_callbacks_naming_the_parameter(rng):
    model = small_model()
    x = rng.random((8, 8, 8, 1)).astype("float32")
    with pytest.raises(ValueError, match="validation_data must hold images of shape"):
        model.fit(x, validation_data=x[:, :4], epochs=1, verbose=0)
    with pytest.raises(ValueError, match="validation_data"):
        model.fit(x, validation_data=np.full_like(x, np.nan), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="x and y must hold as many samples"):
        model.fit(x, x[:4], epochs=1, verbose=0)
    with pytest.raises(TypeError, match="callbacks"):
        model.fit(x, epochs=1, verbose=0, callbacks=["not a callback"])


def test_saves_and_loads(tmp_path, rng):
    model = small_model(mlp_ratio=1.5, decoder_depth=2)
    x = rng.random((4, 8, 8, 1)).astype("float32")
    path = tmp_path / "mae.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is MaskedAutoencoder
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(loaded.transform(x), model.transform(x), atol=1e-6)
    for got, expected in zip(loaded.reconstruct(x, seed=5), model.reconstruct(x, seed=5)):
        np.testing.assert_allclose(got, expected, atol=1e-6)


# ---------------------------------------------------------------------- argument checks
@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"mask_ratio": 0.0}, "mask_ratio"),
        ({"mask_ratio": 1.0}, "mask_ratio"),
        ({"mask_ratio": 0.01}, "mask_ratio"),  # would keep all 16 patches
        ({"patch_size": 3}, "patch_size"),
        ({"patch_size": 0}, "patch_size"),
        ({"encoder_dim": 12, "encoder_heads": 8}, "encoder_dim"),
        ({"encoder_dim": 18}, "encoder_dim"),  # divisible by 2 heads, not by 4
        ({"decoder_dim": 6, "decoder_heads": 3}, "decoder_dim"),
        ({"encoder_depth": 0}, "encoder_depth"),
        ({"image_shape": (8, 8)}, "image_shape"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments_are_refused(kwargs, parameter):
    with pytest.raises(ValueError, match=parameter):
        small_model(**kwargs)


def test_bad_data_are_refused():
    model = small_model()
    with pytest.raises(ValueError, match="x must hold images"):
        model.transform(np.zeros((2, 8, 8), "float32"))
    with pytest.raises(ValueError, match="NaN"):
        model.reconstruct(np.full((2, 8, 8, 1), np.nan, "float32"))
    with pytest.raises(ValueError, match="x must hold images"):
        model.fit(np.zeros((2, 6, 6, 1), "float32"), epochs=1, verbose=0)
