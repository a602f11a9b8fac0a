"""The semantic hashing study's protocol (studies/semantic_hashing/prep.py): the cleaning of the
messages, the corpora and their vocabulary, the validation split, the filter's ranking, the
cut-offs of the curves and the query-time measurement."""

import importlib.util
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from aelib.evaluation import retrieval

PREP = Path(__file__).resolve().parents[2] / "studies" / "semantic_hashing" / "prep.py"
spec = importlib.util.spec_from_file_location("semantic_hashing_prep", PREP)
prep = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = prep
spec.loader.exec_module(prep)

needs_data = pytest.mark.skipif(
    not os.environ.get("AELIB_DATA"), reason="AELIB_DATA is not set (the project's shared/data)"
)


def test_clean_newsgroup_keeps_the_subject_and_the_message_only():
    message = (
        "From: someone@example.org\n"
        "Newsgroups: rec.autos\n"
        "Subject: Re: brakes squeal\n"
        "Lines: 9\n"
        "\n"
        "In article <1@x.y>, other@example.org writes:\n"
        "> My brakes squeal.\n"
        "| so do mine\n"
        "Replace the pads.\n"
        "-- \n"
        "Bob, garage owner\n"
    )
    cleaned = prep.clean_newsgroup(message)
    assert cleaned == "Re: brakes squeal\nReplace the pads."
    assert "rec.autos" not in cleaned  # the header that names the answer is gone


def test_a_long_text_after_a_dash_line_is_not_a_signature():
    body = "Subject: list\n\nintro\n--\n" + "\n".join(f"item {i}" for i in range(12))
    cleaned = prep.clean_newsgroup(body)
    assert cleaned.endswith("item 11") and "--" in cleaned


@needs_data
def test_the_corpora_have_the_documented_sizes_and_vocabulary():
    news = prep.load_corpus("newsgroups20")
    assert news["train"].shape == (11_314, 2_000) and news["test"].shape == (7_532, 2_000)
    assert len(news["label_names"]) == 20 and news["train_labels"].shape == (11_314,)
    vocabulary = set(news["vocabulary"])
    assert len(vocabulary) == 2_000 and not {"the", "and", "of"} & vocabulary
    assert news["train"].min() == 0 and float(news["train"].max()).is_integer()
    reuters = prep.load_corpus("reuters21578")
    assert reuters["train"].shape == (7_770, 2_000) and reuters["test"].shape == (3_019, 2_000)
    assert reuters["train_labels"].shape == (7_770, 90) and len(reuters["label_names"]) == 90
    assert reuters["train_labels"].sum(axis=1).min() >= 1  # every story has a topic
    with pytest.raises(ValueError, match="name must be one of"):
        prep.load_corpus("rcv1")


def test_validation_split_is_a_seeded_partition():
    collection, queries = prep.validation_split(100, 0.1, seed=3)
    assert len(queries) == 10 and not set(collection) & set(queries)
    assert sorted({*collection, *queries}) == list(range(100))
    again = prep.validation_split(100, 0.1, seed=3)
    np.testing.assert_array_equal(again[1], queries)
    assert not np.array_equal(prep.validation_split(100, 0.1, seed=4)[1], queries)


def test_the_filter_ranks_the_hamming_ball_first_by_tfidf():
    # Query code 000; documents at distances 0, 1, 2, 3; TF-IDF cosines 0.1, 0.2, 0.9, 0.8.
    collection_bits = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]])
    query_bits = np.array([[0, 0, 0]])
    collection = sparse.csr_matrix(
        np.array([[0.1, 0.99499], [0.2, 0.9798], [0.9, 0.43589], [0.8, 0.6]])
    )
    query = sparse.csr_matrix(np.array([[1.0, 0.0]]))
    score = prep.filter_score(query_bits, collection_bits, 1, query, collection)
    order = np.argsort(-score(0, 1)[0])
    assert order.tolist() == [1, 0, 2, 3]  # within radius 1 by cosine, then the rest
    wide = prep.filter_score(query_bits, collection_bits, 3, query, collection)
    assert np.argsort(-wide(0, 1)[0]).tolist() == [2, 3, 1, 0]  # radius 3: TF-IDF alone


def test_log_spaced_ks_include_100_and_the_whole_collection():
    ks = prep.log_spaced_ks(11_314)
    assert ks[0] == 1 and ks[-1] == 11_314 and 100 in ks
    assert np.all(np.diff(ks) > 0)


def test_query_times_return_the_documents_of_the_hamming_ball():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, size=(50, 8))
    queries = rng.integers(0, 2, size=(5, 8))
    tfidf = sparse.csr_matrix(rng.random((50, 6)))
    timing = prep.query_times(
        bits,
        queries,
        tfidf,
        sparse.csr_matrix(rng.random((5, 6))),
        sizes=[50, 150],
        radius=2,
        n_queries=5,
        repeats=1,
    )
    assert timing["size"] == [50, 150]
    within = (retrieval.hamming_distances(queries, bits) <= 2).sum(axis=1).mean()
    # Replicated three times, the collection holds three copies of each document of the ball.
    assert timing["documents_returned"] == [pytest.approx(within), pytest.approx(3 * within)]
    assert all(t > 0 for key in ("hash_lookup", "hamming_scan", "tfidf_scan") for t in timing[key])
