"""The recorded models and the command line codec: float16 files checked by sha256, a fresh
clone that codes without training, and ``python -m aelib.compression`` end to end."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

from aelib.compression import (
    BitstreamError,
    available_qualities,
    load_codec,
    recorded,
    save_models,
    weights_of,
)
from aelib.compression.__main__ import main
from aelib.models.factorized_prior import FactorizedPriorAutoencoder

ROOT = Path(__file__).resolve().parents[2]


def _weights(seed):
    keras.utils.set_random_seed(seed)
    model = FactorizedPriorAutoencoder(filters=8, latent_channels=4)
    model.build((None, None, None, 3))
    return weights_of(model)


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    save_models(
        [
            {"quality": q, "lambda": lam, "weights": _weights(q)}
            for q, lam in ((2, 0.02), (1, 0.01))
        ],
        folder,
        extra={"note": "test"},
    )
    return folder


@pytest.fixture
def picture(tmp_path, rng):
    path = tmp_path / "in.png"
    Image.fromarray(rng.integers(0, 256, (20, 33, 3), dtype=np.uint8)).save(path)
    return path


def test_saved_models_are_float16_with_their_sha256_in_the_manifest(models):
    manifest = json.loads((models / "manifest.json").read_text())
    assert [m["quality"] for m in manifest["models"]] == [1, 2]
    assert manifest["note"] == "test"
    for entry in manifest["models"]:
        data = (models / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["bytes"] == len(data)
        with np.load(models / entry["file"], allow_pickle=False) as arrays:
            assert {arrays[k].dtype for k in arrays.files} == {np.dtype("float16")}
    assert available_qualities(models) == [1, 2]


def test_a_loaded_codec_uses_the_float16_weights(models):
    codec = load_codec(1, models)
    rounded = recorded.float16_weights(_weights(1))
    expected = type(codec)(rounded, quality=1)
    assert codec.sha256 == expected.sha256 and codec.lmbda == 0.01
    assert load_codec(1, models) is codec  # cached


def test_a_damaged_model_file_or_an_unknown_quality_is_refused(models, tmp_path):
    with pytest.raises(ValueError, match=r"quality must be one of \[1, 2\]"):
        load_codec(3, models)
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in models.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    data = bytearray((copy / "quality_2.npz").read_bytes())
    data[100] ^= 1
    (copy / "quality_2.npz").write_bytes(bytes(data))
    with pytest.raises(ValueError, match="differs from the manifest"):
        load_codec(2, copy)
    with pytest.raises(FileNotFoundError, match="no recorded models"):
        available_qualities(tmp_path / "empty")


def test_the_command_line_encodes_and_decodes(models, picture, tmp_path, capsys):
    coded, back = tmp_path / "out.aec", tmp_path / "back.png"
    assert (
        main(["--models", str(models), "encode", str(picture), str(coded), "--quality", "2"]) == 0
    )
    assert "bpp" in capsys.readouterr().out
    assert main(["--models", str(models), "decode", str(coded), str(back)]) == 0
    decoded = np.asarray(Image.open(back))
    codec = load_codec(2, models)
    np.testing.assert_array_equal(decoded, codec.decompress(coded.read_bytes()))
    assert decoded.shape == (20, 33, 3)
    main(["--models", str(models), "info"])
    assert "quality 1: lambda 0.01" in capsys.readouterr().out


def test_the_command_line_refuses_bad_input_with_a_message(models, picture, tmp_path):
    with pytest.raises(SystemExit, match=r"--quality must be one of \[1, 2\]"):
        main(
            [
                "--models",
                str(models),
                "encode",
                str(picture),
                str(tmp_path / "x.aec"),
                "--quality",
                "7",
            ]
        )
    (tmp_path / "junk.aec").write_bytes(b"not a file of this codec")
    with pytest.raises(SystemExit, match="not a file of this codec"):
        main(
            ["--models", str(models), "decode", str(tmp_path / "junk.aec"), str(tmp_path / "o.png")]
        )
    main(
        [
            "--models",
            str(models),
            "encode",
            str(picture),
            str(tmp_path / "ok.aec"),
            "--quality",
            "1",
        ]
    )
    data = (tmp_path / "ok.aec").read_bytes()
    (tmp_path / "cut.aec").write_bytes(data[:-2])
    with pytest.raises(SystemExit, match="truncated"):
        main(
            ["--models", str(models), "decode", str(tmp_path / "cut.aec"), str(tmp_path / "o.png")]
        )
    assert not (tmp_path / "o.png").exists()  # nothing half written
    (tmp_path / "text.txt").write_text("hello")
    with pytest.raises(SystemExit, match="not an image"):
        main(
            [
                "--models",
                str(models),
                "encode",
                str(tmp_path / "text.txt"),
                str(tmp_path / "y.aec"),
                "--quality",
                "1",
            ]
        )
    assert issubclass(BitstreamError, ValueError)


@pytest.mark.skipif(
    not (recorded.MODELS / "manifest.json").exists(),
    reason="the compression study's full run has not written its models",
)
def test_the_recorded_models_code_an_image_on_a_fresh_clone(picture, tmp_path):
    manifest = json.loads((recorded.MODELS / "manifest.json").read_text())
    assert len(manifest["models"]) >= 4
    assert sum(m["bytes"] for m in manifest["models"]) < 26e6  # "about 25 MB" at most
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    qualities = available_qualities()
    sizes = []
    for quality in (qualities[0], qualities[-1]):
        coded = tmp_path / f"q{quality}.aec"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "aelib.compression",
                "encode",
                str(picture),
                str(coded),
                "--quality",
                str(quality),
            ],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        subprocess.run(
            [
                sys.executable,
                "-m",
                "aelib.compression",
                "decode",
                str(coded),
                str(tmp_path / f"q{quality}.png"),
            ],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        assert Image.open(tmp_path / f"q{quality}.png").size == (33, 20)
        sizes.append(coded.stat().st_size)
    assert sizes[0] < sizes[1]  # the highest quality spends the most bits
