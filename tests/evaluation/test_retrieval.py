"""aelib.evaluation.retrieval: Hamming distances, the tie-exact ranking curve, the hash table."""

import itertools
import math

import numpy as np
import pytest

from aelib import evaluation
from aelib.evaluation.retrieval import (
    HammingHashTable,
    hamming_distances,
    pack_codes,
    precision_at_k,
    ranking_curve,
    relevance,
)


def brute_hamming(q, c):
    return (np.asarray(q)[:, None, :] != np.asarray(c)[None, :, :]).sum(axis=2)


def scorer(scores):
    scores = np.asarray(scores, dtype=float)
    return lambda start, stop: scores[start:stop]


# ---------------------------------------------------------------------------------------------
# Packing and Hamming distances
# ---------------------------------------------------------------------------------------------
def test_pack_codes_by_hand():
    bits = [[1, 0, 1, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]]
    # 10100000 = 160, then 11 + six zero pads = 192; 00000001 = 1, then 0.
    np.testing.assert_array_equal(pack_codes(bits), [[160, 192], [1, 0]])
    assert pack_codes(np.array(bits, bool)).dtype == np.uint8
    assert pack_codes(np.ones((3, 17), "int8")).shape == (3, 3)


@pytest.mark.parametrize("bad", [[[0, 2]], [[0, -1]], [[0.5, 1]], [[np.nan, 0]], [["a", "b"]]])
def test_pack_codes_refuses_other_values(bad):
    with pytest.raises(ValueError, match="bits"):
        pack_codes(bad)


@pytest.mark.parametrize("shape", [(4,), (2, 0), (2, 2, 2)])
def test_pack_codes_refuses_other_shapes(shape):
    with pytest.raises(ValueError, match="bits must be an array"):
        pack_codes(np.zeros(shape, int))


def test_hamming_distances_by_hand():
    q = [[0, 0, 0, 0], [1, 1, 1, 1], [1, 0, 1, 0]]
    c = [[0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1]]
    expected = [[0, 1, 2, 4], [4, 3, 2, 0], [2, 1, 4, 2]]
    d = hamming_distances(q, c)
    np.testing.assert_array_equal(d, expected)
    assert d.dtype == np.int64


@pytest.mark.parametrize("n_bits", [1, 7, 8, 10, 32, 64, 70, 128, 200])
def test_hamming_distances_equal_brute_force_for_any_length(rng, n_bits):
    q = rng.integers(0, 2, size=(9, n_bits))
    c = rng.integers(0, 2, size=(13, n_bits)).astype(bool)
    np.testing.assert_array_equal(hamming_distances(q, c), brute_hamming(q, c))


def test_hamming_distances_in_blocks(rng, monkeypatch):
    from aelib.evaluation import retrieval

    q = rng.integers(0, 2, size=(50, 70))
    c = rng.integers(0, 2, size=(30, 70))
    monkeypatch.setattr(retrieval, "_BLOCK_WORDS", 100)  # blocks of one query
    np.testing.assert_array_equal(hamming_distances(q, c), brute_hamming(q, c))


def test_hamming_distances_need_the_same_number_of_bits():
    with pytest.raises(ValueError, match="same number of bits, got 3 and 4"):
        hamming_distances([[0, 1, 0]], [[0, 1, 0, 1]])
    with pytest.raises(ValueError, match="collection_bits"):
        hamming_distances([[0, 1]], [[0, 3]])


# ---------------------------------------------------------------------------------------------
# Relevance
# ---------------------------------------------------------------------------------------------
def test_single_label_relevance():
    np.testing.assert_array_equal(
        relevance(np.array([2, 0]), np.array([0, 2, 2, 1])),
        [[False, True, True, False], [True, False, False, False]],
    )


def test_multi_label_relevance_shares_a_label():
    queries = [[1, 0, 1], [0, 1, 0], [0, 0, 0]]
    docs = [[1, 0, 0], [0, 1, 1], [0, 0, 0], [1, 1, 1]]
    # Query 0 shares label 0 with doc 0, label 2 with doc 1, both with doc 3; doc 2 has none.
    # A query without labels (row 2) is relevant to nothing, not even to doc 2.
    expected = [[True, True, False, True], [False, True, False, True], [False] * 4]
    np.testing.assert_array_equal(relevance(queries, docs), expected)
    np.testing.assert_array_equal(relevance(np.array(queries, bool), docs), expected)


def test_relevance_refuses_mixed_and_bad_labels():
    with pytest.raises(ValueError, match="same kind"):
        relevance([0, 1], [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="same number of labels"):
        relevance([[0, 1]], [[0, 1, 1]])
    with pytest.raises(ValueError, match="query_labels must be 1-d integer"):
        relevance([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="collection_labels must hold only 0s and 1s"):
        relevance([[0, 1]], [[0, 2]])
    with pytest.raises(ValueError, match="collection_labels must be 1-d integer"):
        relevance([0], np.zeros((2, 2, 2), int))


# ---------------------------------------------------------------------------------------------
# The ranking curve, ties counted exactly
# ---------------------------------------------------------------------------------------------
def test_ranking_curve_by_hand_with_a_tie_across_k():
    # One query of label 0; documents 0, 1, 4 are relevant (3 in all). Scores, higher first:
    # doc 0 (0.9, relevant), then docs 1, 2, 3 tied at 0.5 (one of the three relevant), then
    # doc 4 (0.1, relevant).
    #   k=1: doc 0                          -> 1 relevant:        P 1,    R 1/3
    #   k=2: doc 0 + 1 of the 3 tied        -> 1 + 1 * 1/3 = 4/3: P 2/3,  R 4/9
    #   k=3: doc 0 + 2 of the 3 tied        -> 1 + 2 * 1/3 = 5/3: P 5/9,  R 5/9
    #   k=4: doc 0 + the 3 tied             -> 2:                 P 1/2,  R 2/3
    #   k=5: all                            -> 3:                 P 3/5,  R 1
    curve = ranking_curve(
        scorer([[0.9, 0.5, 0.5, 0.5, 0.1]]), [0], [0, 0, 1, 1, 0], ks=[1, 2, 3, 4, 5]
    )
    np.testing.assert_array_equal(curve["k"], [1, 2, 3, 4, 5])
    np.testing.assert_allclose(curve["precision"], [1, 2 / 3, 5 / 9, 1 / 2, 3 / 5], rtol=1e-15)
    np.testing.assert_allclose(curve["recall"], [1 / 3, 4 / 9, 5 / 9, 2 / 3, 1], rtol=1e-15)
    assert curve["n_queries"] == 1
    assert curve["precision"].dtype == np.float64 and curve["recall"].dtype == np.float64


def test_ranking_curve_averages_over_queries_by_hand():
    # Query 0 (label 0): scores put doc 1 (irrelevant) first -> P@1 0, P@2 1/2 (doc 0 second).
    # Query 1 (label 1): all three tied, one relevant (doc 1) -> P@1 1/3, P@2 1/3.
    scores = [[0.2, 0.8, -1.0], [0.0, 0.0, 0.0]]
    curve = ranking_curve(scorer(scores), [0, 1], [0, 1, 2], ks=[1, 2])
    np.testing.assert_allclose(curve["precision"], [(0 + 1 / 3) / 2, (1 / 2 + 1 / 3) / 2])
    np.testing.assert_allclose(curve["recall"], [(0 + 1 / 3) / 2, (1 + 2 / 3) / 2])


def brute_force_curve(scores, relevant, ks):
    """Precision and recall averaged over every ordering of the documents that ranks them by
    decreasing score (each tie group in every order), then over queries with a relevant one."""
    precision, recall, used = np.zeros(len(ks)), np.zeros(len(ks)), 0
    for s, r in zip(scores, relevant):
        if not r.any():
            continue
        found, count = np.zeros(len(ks)), 0
        for order in itertools.permutations(range(len(s))):
            if np.all(np.diff(s[list(order)]) <= 0):
                count += 1
                found += [r[list(order[:k])].sum() for k in ks]
        found /= count
        precision += found / np.asarray(ks)
        recall += found / r.sum()
        used += 1
    return precision / used, recall / used, used


def test_ranking_curve_equals_the_average_over_all_tie_orders(rng):
    n_docs = 6
    scores = rng.integers(0, 3, size=(5, n_docs)).astype(float)  # 3 values: many ties
    doc_labels = rng.integers(0, 2, size=n_docs)
    query_labels = np.array([0, 1, 0, 1, 7])  # label 7: no relevant document, left out
    ks = [1, 2, 3, 4, 5, 6]
    curve = ranking_curve(scorer(scores), query_labels, doc_labels, ks)
    precision, recall, used = brute_force_curve(scores, relevance(query_labels, doc_labels), ks)
    np.testing.assert_allclose(curve["precision"], precision, rtol=1e-12)
    np.testing.assert_allclose(curve["recall"], recall, rtol=1e-12)
    assert curve["n_queries"] == used == 4


def test_queries_without_relevant_documents_are_left_out(rng):
    scores = rng.normal(size=(6, 20))
    labels = rng.integers(0, 3, size=20)
    queries = np.array([0, 9, 1, 2, 9, 0])  # label 9 is in no document
    full = ranking_curve(scorer(scores), queries, labels, [1, 5, 20])
    keep = queries != 9
    reduced = ranking_curve(scorer(scores[keep]), queries[keep], labels, [1, 5, 20])
    assert full["n_queries"] == reduced["n_queries"] == 4
    np.testing.assert_allclose(full["precision"], reduced["precision"], rtol=1e-14)
    np.testing.assert_allclose(full["recall"], reduced["recall"], rtol=1e-14)
    # At k = n_documents every relevant document is found.
    np.testing.assert_allclose(full["recall"][-1], 1.0)


def test_multi_label_ranking_by_hand():
    # Query labels {0}; documents {0}, {1}, {0, 1}, {} -> relevant: docs 0 and 2.
    # Scores rank doc 3, doc 2, doc 0, doc 1: P@1 0, P@2 1/2, P@3 2/3; R@2 1/2, R@3 1.
    docs = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    curve = ranking_curve(scorer([[2.0, 1.0, 3.0, 4.0]]), [[1, 0]], docs, [1, 2, 3])
    np.testing.assert_allclose(curve["precision"], [0, 1 / 2, 2 / 3])
    np.testing.assert_allclose(curve["recall"], [0, 1 / 2, 1])


@pytest.mark.parametrize("multi_label", [False, True])
def test_chunk_size_does_not_change_the_curve(rng, multi_label):
    n_q, n_c = 23, 40
    q_bits = rng.integers(0, 2, size=(n_q, 6))
    c_bits = rng.integers(0, 2, size=(n_c, 6))
    if multi_label:
        q_labels = rng.random((n_q, 4)) < 0.3
        c_labels = rng.random((n_c, 4)) < 0.3
    else:
        q_labels, c_labels = rng.integers(0, 4, n_q), rng.integers(0, 4, n_c)
    calls = []

    def score(start, stop):
        calls.append((start, stop))
        return -hamming_distances(q_bits[start:stop], c_bits)

    ks = [1, 3, 10, 40]
    results = [ranking_curve(score, q_labels, c_labels, ks, chunk_size=c) for c in (1, 5, 256)]
    assert calls[:3] == [(0, 1), (1, 2), (2, 3)] and calls[-1] == (0, 23)
    for other in results[1:]:
        np.testing.assert_allclose(other["precision"], results[0]["precision"], rtol=1e-13)
        np.testing.assert_allclose(other["recall"], results[0]["recall"], rtol=1e-13)
        assert other["n_queries"] == results[0]["n_queries"]


def test_precision_at_k_is_one_point_of_the_curve():
    scores = scorer([[0.9, 0.5, 0.5, 0.5, 0.1]])
    assert precision_at_k(scores, [0], [0, 0, 1, 1, 0], k=2) == pytest.approx(2 / 3, rel=1e-15)
    assert isinstance(precision_at_k(scores, [0], [0, 0, 1, 1, 0], k=5), float)


def test_ranking_curve_is_fast_enough_for_many_ties(rng):
    # 300 queries x 3000 documents with 17 distinct scores: the tie handling stays vectorized.
    q = rng.integers(0, 2, size=(300, 16))
    c = rng.integers(0, 2, size=(3000, 16))
    labels_q, labels_c = rng.integers(0, 5, 300), rng.integers(0, 5, 3000)
    curve = ranking_curve(
        lambda a, b: -hamming_distances(q[a:b], c), labels_q, labels_c, [1, 10, 100, 3000]
    )
    np.testing.assert_allclose(curve["precision"], 0.2, atol=0.05)  # random codes: chance
    np.testing.assert_allclose(curve["recall"][-1], 1.0)


@pytest.mark.parametrize(
    "ks, match",
    [
        ([0, 2], "increasing integers from 1"),
        ([2, 2], "increasing integers from 1"),
        ([3, 2], "increasing integers from 1"),
        ([1, 6], r"number of documents \(5\)"),
        ([1.0, 2.0], "positive integers"),
        ([], "positive integers"),
        ([True], "positive integers"),
    ],
)
def test_bad_ks(ks, match):
    with pytest.raises(ValueError, match=match):
        ranking_curve(scorer(np.zeros((1, 5))), [0], [0] * 5, ks)


def test_bad_score_and_chunk_size():
    labels = [0, 1, 0]
    with pytest.raises(ValueError, match="score must be a callable"):
        ranking_curve(np.zeros((1, 3)), [0], labels, [1])
    with pytest.raises(ValueError, match=r"must return an array of shape \(1, 3\)"):
        ranking_curve(scorer(np.zeros((1, 4))), [0], labels, [1])
    with pytest.raises(ValueError, match="NaN"):
        ranking_curve(scorer([[0.0, np.nan, 1.0]]), [0], labels, [1])
    with pytest.raises(ValueError, match="chunk_size"):
        ranking_curve(scorer(np.zeros((1, 3))), [0], labels, [1], chunk_size=0)
    with pytest.raises(ValueError, match="no query has a relevant document"):
        ranking_curve(scorer(np.zeros((1, 3))), [5], labels, [1])


# ---------------------------------------------------------------------------------------------
# The hash table
# ---------------------------------------------------------------------------------------------
def test_hash_table_buckets_by_hand():
    bits = [[1, 0, 1], [0, 0, 1], [1, 0, 1], [0, 0, 1], [1, 1, 1]]
    table = HammingHashTable(bits)
    # Addresses: 0b101 = 5 (docs 0, 2), 0b001 = 1 (docs 1, 3), 0b111 = 7 (doc 4).
    assert list(table.buckets) == [1, 5, 7]
    np.testing.assert_array_equal(table.buckets[5], [0, 2])
    assert table.buckets[5].dtype == np.int64
    assert table.n_documents == 5 and table.n_addresses == 3
    np.testing.assert_array_equal(table.bucket_sizes(), [2, 2, 1])
    assert table.address([1, 0, 1]) == 5
    # 0b100 = 4 is empty; one bit away, flipping the first, second, third bit: 0, 6, 5.
    assert table.addresses_within([1, 0, 0], 1) == [4, 0, 6, 5]
    buckets = table.lookup([1, 0, 0], 1)
    assert len(buckets) == 1 and buckets[0] is table.buckets[5]  # a view, not a copy
    np.testing.assert_array_equal(table.lookup_documents([1, 0, 0], 2), [0, 1, 2, 3, 4])
    assert table.lookup_documents([0, 1, 0], 0).dtype == np.int64
    assert table.lookup_documents([0, 1, 0], 0).size == 0


@pytest.mark.parametrize("n_bits", [3, 16, 64, 65, 100, 128])
def test_addresses_within_count_order_and_uniqueness(rng, n_bits):
    code = rng.integers(0, 2, size=n_bits)
    table = HammingHashTable(code[None])
    radius = min(2, n_bits) if n_bits > 16 else 3
    addresses = table.addresses_within(code, radius)
    assert len(addresses) == sum(math.comb(n_bits, r) for r in range(radius + 1))
    assert len(set(addresses)) == len(addresses)
    origin = table.address(code)
    assert addresses[0] == origin
    distances = [(a ^ origin).bit_count() for a in addresses]
    assert distances == sorted(distances) and max(distances) == radius
    assert all(0 <= a < 2**n_bits for a in addresses)


def test_whole_cube_within_radius_n_bits():
    table = HammingHashTable([[0, 1, 0, 1]])
    assert sorted(table.addresses_within([0, 1, 0, 1], 4)) == list(range(16))


@pytest.mark.parametrize("n_bits", [8, 20, 70])
def test_lookup_equals_brute_force_filter(rng, n_bits):
    # Few distinct codes, so that buckets hold several documents: 60 codes near 5 centres.
    centres = rng.integers(0, 2, size=(5, n_bits))
    flips = rng.random((60, n_bits)) < 0.05
    bits = centres[rng.integers(0, 5, 60)] ^ flips
    table = HammingHashTable(bits)
    assert table.n_documents == 60 and table.bucket_sizes().sum() == 60
    queries = np.concatenate([bits[:3], rng.integers(0, 2, size=(3, n_bits))])
    distances = hamming_distances(queries, bits)
    for query, row in zip(queries, distances):
        for radius in (0, 1, 2, 3):
            expected = np.flatnonzero(row <= radius)
            np.testing.assert_array_equal(table.lookup_documents(query, radius), expected)


def test_buckets_are_read_only(rng):
    table = HammingHashTable(rng.integers(0, 2, size=(10, 4)))
    bucket = next(iter(table.buckets.values()))
    with pytest.raises(ValueError):
        bucket[0] = 3


@pytest.mark.parametrize("radius", [-1, 5, 1.5, True, None, "1"])
def test_bad_radius(radius):
    table = HammingHashTable([[0, 1, 0, 1]])
    with pytest.raises(ValueError, match="radius"):
        table.lookup([0, 1, 0, 1], radius)


def test_bad_table_bits_and_queries():
    with pytest.raises(ValueError, match="from 1 to 128 bits"):
        HammingHashTable(np.zeros((2, 129), int))
    with pytest.raises(ValueError, match="bits must hold only 0s and 1s"):
        HammingHashTable([[0, 2]])
    with pytest.raises(ValueError, match="with at least one bit"):
        HammingHashTable(np.zeros((2, 0), int))
    table = HammingHashTable([[0, 1, 0, 1]])
    with pytest.raises(ValueError, match="table's 4 bits, got 3"):
        table.lookup([0, 1, 0], 1)
    with pytest.raises(ValueError, match="query_bits"):
        table.addresses_within([0, 1, 0, 3], 1)
    with pytest.raises(ValueError, match="query_bits"):
        table.lookup([[0, 1, 0, 1]], 1)


def test_the_package_exposes_the_module():
    assert evaluation.retrieval.ranking_curve is ranking_curve
