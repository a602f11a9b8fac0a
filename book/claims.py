"""The claims about autoencoders that the book's notebooks test, and their verdicts.

Each entry of `CLAIMS` is one statement of the encyclopedia article on autoencoders, with the
checks that decide it. A check is one of

* a claim a study recorded (``{"study": ..., "claim": statement}``), read from the study's
  ``results.json``, its outcome as recorded;
* a comparison of a study's recorded metrics (``{"study": ..., "metric": ..., "op": ...,
  "than": ...}``), evaluated by `aelib.study.evaluate_claim`, as a study's own claims are;
* an assertion of a chapter (``{"chapter": ..., "assert": text}``): it holds when the chapter's
  executed notebook ran the cell holding that text without an error (an assertion that fails
  stops the notebook);
* a claim a chapter printed (``{"chapter": ..., "claim": statement}``), for a comparison whose
  outcome is not known before the run: the executed notebook printed the line
  ``claim: <statement>: holds`` or ``claim: <statement>: fails`` (see `printed_claim`).

``"expect": False`` marks a check that counts for the claim when it does *not* hold (the
article's statement is the opposite of the check's). The verdict is "holds" when every check
counts for the claim, "does not hold" when none does, "partly" otherwise, and "not yet tested"
when a study it needs has no record. `verdicts` computes them; the book's results page shows
them and ``tests/test_results_page.py`` checks that the page agrees with the records.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HOLDS, PARTLY, FAILS, UNTESTED = "holds", "partly", "does not hold", "not yet tested"

CLAIMS = [
    {
        "claim": "A deep autoencoder gives lower reconstruction errors than PCA with as many "
        "components as it has codes",
        "where": "studies/hinton_pca/hinton_pca",
        "checks": [
            {
                "study": "hinton_pca",
                "metric": "mnist/deep_ae_pretrained",
                "op": "<",
                "than": "mnist/pca",
                "label": "MNIST, 30 codes",
            },
            {
                "study": "hinton_pca",
                "metric": "curves/deep_ae",
                "op": "<",
                "than": "curves/pca_6",
                "label": "curves, 6 codes",
            },
            {
                "study": "hinton_pca",
                "metric": "faces/deep_ae",
                "op": "<",
                "than": "faces/pca",
                "label": "faces, 30 codes",
            },
        ],
    },
    {
        "claim": "A linear autoencoder trained on squared error spans the principal subspace",
        "where": "book/undercomplete_linear",
        "checks": [
            {
                "chapter": "undercomplete_linear",
                "assert": "decoder span",
                "label": "the decoder's span lies within 2 degrees of PCA's",
            },
        ],
    },
    {
        "claim": "A convolutional autoencoder reconstructs images better than a dense one with "
        "the same code size",
        "where": "book/convolutional",
        "checks": [
            {
                "chapter": "convolutional",
                "assert": 'assert fashion_errors["convolutional"] < min(fashion_errors["dense"], '
                "pca_error)",
                "label": "Fashion-MNIST, 32 codes: lower test error than the dense "
                "autoencoder and PCA",
            },
        ],
    },
    {
        "claim": "Transposed convolutions leave checkerboard artefacts that resize-then-convolve "
        "avoids",
        "where": "book/convolutional",
        "checks": [
            {
                "chapter": "convolutional",
                "assert": 'assert checkerboard["transposed"] > checkerboard["resize"]',
                "label": "BSD68: more energy at the frequency (π, π) with transposed convolutions",
            },
        ],
    },
    {
        "claim": "Sparse codes are better features for classification than the raw pixels",
        "where": "book/sparse",
        "checks": [
            {
                "chapter": "sparse",
                "assert": 'accuracy["KL-sparse code"] > accuracy["raw pixels"]',
                "label": "KL-sparse and k-sparse codes beat raw pixels by 2 points",
            },
        ],
    },
    {
        "claim": "A sparse autoencoder of a network's hidden activations reconstructs them "
        "from a few feature directions, and a top-k code does so better than an L1 penalty",
        "where": "book/sparse_dictionaries",
        "checks": [
            {
                "chapter": "sparse_dictionaries",
                "assert": "assert top_k_fvu < l1_fvu and top_k_accuracy > l1_accuracy",
                "label": "at 32 active latents of 1024, top-k: lower FVU and higher spliced "
                "accuracy than L1",
            },
        ],
    },
    {
        "claim": "A β-VAE trades the rate of its code against the distortion of its "
        "reconstructions: the larger β, the smaller the rate and the larger the distortion",
        "where": "book/generative",
        "checks": [
            {
                "chapter": "generative",
                "assert": "assert np.all(np.diff(rates_by_beta) < 0) and np.all(np.diff("
                "distortions_by_beta) > 0)",
                "label": "β from 0.25 to 8 on binarized MNIST: the rate falls and the "
                "distortion rises at every step",
            },
        ],
    },
    {
        "claim": "A heavily weighted KL term switches code dimensions off (posterior "
        "collapse), and free bits keep them in use",
        "where": "book/generative",
        "checks": [
            {
                "chapter": "generative",
                "assert": 'assert active_free > plain["active"]',
                "label": "at the largest β of the sweep: more active units with free bits",
            },
        ],
    },
    {
        "claim": "A VQ-VAE leaves part of its codebook unused (dead codes), and restarting "
        "the dead codes puts them to use",
        "where": "book/generative",
        "checks": [
            {
                "chapter": "generative",
                "assert": 'assert codes_used["restart of dead codes"] > codes_used["no restart"]',
                "label": "128 codes on MNIST: more codes used with restarts than without",
            },
        ],
    },
    {
        "claim": "Masked autoencoders learn better features than ordinary autoencoders "
        "(a linear probe on their codes)",
        "where": "book/masked",
        "checks": [
            {
                "chapter": "masked",
                "claim": f"the MAE's code beats the {rival}'s in a linear probe",
                "label": f"Fashion-MNIST, 64 codes: against the {rival}",
            }
            for rival in ["dense AE", "convolutional AE", "denoising AE (masking)", "VAE"]
        ],
    },
    {
        "claim": "A masked autoencoder predicts the hidden parts of an image from the visible ones",
        "where": "book/masked",
        "checks": [
            {
                "chapter": "masked",
                "claim": "the MAE's decoder predicts hidden pixels better than guesses without "
                "an encoder",
                "label": "Fashion-MNIST, 75 % of the patches hidden: lower error than the mean "
                "image and the mean visible pixel",
            },
        ],
    },
    {
        "claim": "For small noise, a denoising autoencoder's criterion is a contractive penalty "
        "on the reconstruction",
        "where": "book/contractive",
        "checks": [
            {
                "chapter": "contractive",
                "assert": "assert_allclose(spread_over_s2, jacobian_r",
                "label": "E‖r(x+ε) − r(x)‖²/σ² equals ‖J_r‖²_F within 5 %",
            },
        ],
    },
    {
        "claim": "Training all layers jointly works as well as layer-wise pre-training",
        "where": "studies/hinton_pca/hinton_pca",
        "checks": [
            {
                "study": "hinton_pca",
                "claim": "on MNIST, pretraining beats training the same network from a random start",
                "expect": False,
                "label": "joint training from a random start, MNIST",
            },
            {
                "study": "hinton_pca",
                "claim": "on MNIST, pretraining beats joint training with a modern recipe",
                "expect": False,
                "label": "joint training with ReLU-type units and a scaled initialization, MNIST",
            },
        ],
    },
    {
        "claim": "Denoising autoencoders remove noise better than classical denoisers",
        "where": "studies/denoising/denoising",
        "checks": [
            {
                "study": "denoising",
                "claim": f"the best autoencoder beats BM3D on {data} at σ = {s}",
                "label": f"{data}, σ = {s}",
            }
            for data in ("BSD68", "SET12")
            for s in (15, 25, 50)
        ],
    },
    {
        "claim": "Autoencoders detect anomalies by their reconstruction error",
        "where": "studies/anomaly/anomaly",
        "checks": [
            {
                "study": "anomaly",
                "claim": "the best autoencoder reaches a mean MNIST AUROC of 0.95",
                "label": "mean MNIST AUROC of 0.95",
            },
            {
                "study": "anomaly",
                "claim": "it beats every baseline on mnist",
                "label": "better than every baseline, MNIST",
            },
            {
                "study": "anomaly",
                "claim": "it beats every baseline on fashion_mnist",
                "label": "better than every baseline, Fashion-MNIST",
            },
        ],
    },
    {
        "claim": "Anomaly detection fails when the autoencoder reconstructs too well, "
        "anomalies included",
        "where": "studies/anomaly/anomaly",
        "checks": [
            {
                "study": "anomaly",
                "claim": "the largest code reconstructs normal digits better than the "
                "best-detecting one",
                "label": "a larger code reconstructs better",
            },
            {
                "study": "anomaly",
                "claim": "and detects worse, by more than 0.01 AUROC",
                "label": "and detects worse",
            },
            {
                "study": "anomaly",
                "claim": "the VAE's likelihood ranks MNIST digits as more normal than "
                "Fashion-MNIST (AUROC < 0.5)",
                "label": "a likelihood model finds unseen data more likely",
            },
        ],
    },
    {
        "claim": "The importance-weighted bound trains better generative models than the ELBO",
        "where": "studies/vae_likelihood/vae_likelihood",
        "checks": [
            {
                "study": "vae_likelihood",
                "claim": "the IWAE with k = 50 beats the VAE (k = 1) by at least 1 nat",
                "label": "IWAE k = 50 against VAE k = 1",
            },
            {
                "study": "vae_likelihood",
                "claim": "with the same k = 5 samples, the IWAE bound trains a better model than "
                "the average of 5 ELBOs",
                "label": "IWAE against VAE at k = 5",
            },
        ],
    },
    {
        "claim": "Learned image compression outperforms JPEG and is competitive with JPEG 2000",
        "where": "studies/compression/compression",
        "checks": [
            {
                "study": "compression",
                "claim": "the learned codec needs at least 30 % fewer bits than JPEG "
                "(BD-rate <= -30 %)",
                "label": "BD-rate against JPEG at most -30 %",
            },
            {
                "study": "compression",
                "claim": "the learned codec needs fewer bits than JPEG 2000 (BD-rate < 0)",
                "label": "BD-rate against JPEG 2000 below 0",
            },
        ],
    },
    {
        "claim": "Binary codes of a deep autoencoder retrieve documents better than other "
        "hashing methods (semantic hashing)",
        "where": "studies/semantic_hashing/semantic_hashing",
        "checks": [
            {
                "study": "semantic_hashing",
                "claim": f"on {corpus}, the deep 32-bit codes beat {rival}_32",
                "label": f"{corpus}, against {rival.upper()}",
            }
            for corpus in ("newsgroups20", "reuters21578")
            for rival in ("lsh", "itq")
        ],
    },
    {
        "claim": "Semantic hashing as a filter for TF-IDF retrieves better than TF-IDF over the "
        "whole collection, in a time that does not grow with the collection",
        "where": "studies/semantic_hashing/semantic_hashing",
        "checks": [
            {
                "study": "semantic_hashing",
                "claim": f"on {corpus}, semantic hashing as a filter matches or beats TF-IDF on "
                "the whole collection",
                "label": f"filter against TF-IDF, {corpus}",
            }
            for corpus in ("newsgroups20", "reuters21578")
        ]
        + [
            {
                "study": "semantic_hashing",
                "metric": "query_time/hash_lookup_growth",
                "op": "<",
                "than": 2.0,
                "label": "lookup time flat up to a million documents",
            }
        ],
    },
]


def study_record(study, root=ROOT):
    """The full-profile record of ``study``, or None when it has none yet."""
    path = Path(root) / "studies" / study / "results.json"
    return json.loads(path.read_text()) if path.exists() else None


def chapter_assertion_ran(chapter, text, root=ROOT):
    """Whether the executed ``book/<chapter>.ipynb`` ran its cell holding ``text`` cleanly.

    Raises:
        ValueError: no code cell of the chapter holds ``text``.
    """
    import nbformat

    notebook = nbformat.read(Path(root) / "book" / f"{chapter}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code" and text in cell.source:
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            return cell.get("execution_count") is not None and not errors
    raise ValueError(f"no code cell of book/{chapter}.ipynb holds {text!r}")


def printed_claim(statement, holds):
    """The line a chapter prints to record a claim's outcome, read by `chapter_claim_outcome`.

    Example:
        >>> printed_claim("a < b", 1 < 2)
        'claim: a < b: holds'
    """
    return f"claim: {statement}: {'holds' if holds else 'fails'}"


def chapter_claim_outcome(chapter, statement, root=ROOT):
    """Whether the executed ``book/<chapter>.ipynb`` printed ``statement`` as holding.

    Raises:
        ValueError: the chapter printed no outcome for ``statement``, or more than one.
    """
    import nbformat

    notebook = nbformat.read(Path(root) / "book" / f"{chapter}.ipynb", as_version=4)
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                for line in output.get("text", "").splitlines():
                    found += [
                        holds
                        for holds in (True, False)
                        if line.strip() == printed_claim(statement, holds)
                    ]
    if len(found) != 1:
        raise ValueError(
            f"book/{chapter}.ipynb printed {len(found)} outcomes of the claim {statement!r}, "
            "not one"
        )
    return found[0]


def check_outcome(check, root=ROOT):
    """``True`` / ``False`` (whether the check holds), or None when its study has no record.

    Raises:
        ValueError: a recorded claim or metric that the record does not have.
    """
    from aelib.study import evaluate_claim, flat_metrics

    if "chapter" in check:
        if "claim" in check:
            return chapter_claim_outcome(check["chapter"], check["claim"], root)
        return chapter_assertion_ran(check["chapter"], check["assert"], root)
    record = study_record(check["study"], root)
    if record is None:
        return None
    if check.get("claim") is not None:
        for claim in record["extra"]["claims"]:
            if claim["statement"] == check["claim"]:
                return bool(claim["holds"])
        raise ValueError(f"{check['study']} recorded no claim {check['claim']!r}")
    metrics = flat_metrics(record["metrics"])
    paper = record["extra"].get("paper", {})
    return bool(evaluate_claim(check, metrics, paper))


def verdict(outcomes):
    """The verdict from the checks' outcomes, each counted for the claim or not.

    Example:
        >>> verdict([True, True]), verdict([True, False]), verdict([False]), verdict([None])
        ('holds', 'partly', 'does not hold', 'not yet tested')
    """
    if any(o is None for o in outcomes):
        return UNTESTED
    if all(outcomes):
        return HOLDS
    return FAILS if not any(outcomes) else PARTLY


def verdicts(root=ROOT):
    """Every claim with its checks' outcomes and its verdict, from the records."""
    rows = []
    for entry in CLAIMS:
        checks = []
        for check in entry["checks"]:
            outcome = check_outcome(check, root)
            counts = None if outcome is None else outcome == check.get("expect", True)
            checks.append({"label": check["label"], "holds": outcome, "counts": counts})
        rows.append(
            {
                "claim": entry["claim"],
                "where": entry["where"],
                "checks": checks,
                "verdict": verdict([c["counts"] for c in checks]),
            }
        )
    return rows
