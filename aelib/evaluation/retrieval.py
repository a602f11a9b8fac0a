"""Document retrieval with binary codes: Hamming distances, precision-recall curves, hash tables.

Semantic hashing (Salakhutdinov & Hinton, 2009) gives each document a short binary code, so
that similar documents get codes a few bits apart. This module measures how well such codes
retrieve, in three parts:

* codes and distances — `pack_codes` packs 0/1 codes eight bits to a byte, and
  `hamming_distances` counts the differing bits of every query-document pair with XOR and a
  popcount (`numpy.bitwise_count`), 64 bits per machine word;

* the ranking protocol — `relevance` says which documents answer a query (the same label, or for
  multi-label collections such as Reuters at least one label in common), and `ranking_curve`
  the precision and recall of each query's top ``k`` documents, averaged over the queries, for
  many ``k`` at once; `precision_at_k` is one point of it. The collection is ranked by any
  score (minus the Hamming distance, a cosine similarity of TF-IDF vectors, ...), queries a
  chunk at a time, and ties, which codes of a few bits make frequent (32 bits give only 33
  distances), are counted exactly: a top ``k`` that cuts a group of equal scores counts the
  expected number of relevant documents under a random order of the group;

* the memory-address view — `HammingHashTable` stores each document under its code, read as
  an address; a query reads the addresses within a small Hamming ball of its own code, a cost
  that does not grow with the collection.

Example:
    >>> codes = np.array([[0, 0, 1, 1], [0, 1, 1, 1], [1, 1, 0, 0]])
    >>> hamming_distances(codes[:1], codes)
    array([[0, 1, 4]])
    >>> curve = ranking_curve(
    ...     lambda start, stop: -hamming_distances(codes[start:stop], codes),
    ...     np.array([0, 0, 1]), np.array([0, 0, 1]), ks=[1, 2])
    >>> curve["precision"], curve["recall"]
    (array([1.        , 0.83333333]), array([0.66666667, 1.        ]))
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from aelib._validation import non_negative_int, positive_int

__all__ = [
    "HammingHashTable",
    "hamming_distances",
    "pack_codes",
    "precision_at_k",
    "ranking_curve",
    "relevance",
]

# The largest temporary array of `hamming_distances` (XORed words), in machine words: 16 MiB.
_BLOCK_WORDS = 1 << 21
_MAX_TABLE_BITS = 128


# ---------------------------------------------------------------------------------------------
# Codes and Hamming distances
# ---------------------------------------------------------------------------------------------
def _bits_array(parameter, bits, ndim=2):
    """``bits`` as a bool array of ``ndim`` dimensions (the last of at least one bit), checked to
    hold only 0s and 1s."""
    try:
        array = np.asarray(bits)
    except Exception as error:  # ragged lists, tensors that cannot leave their device, ...
        raise ValueError(
            f"{parameter} must be an array of 0s and 1s, got {type(bits).__name__}"
        ) from error
    if array.ndim != ndim or array.shape[-1] == 0:
        want = "(n_codes, n_bits)" if ndim == 2 else "(n_bits,)"
        raise ValueError(
            f"{parameter} must be an array {want} with at least one bit, got shape {array.shape}"
        )
    if array.dtype == bool:
        return array
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise ValueError(f"{parameter} must hold 0s and 1s (bool or integers), got {array.dtype}")
    bad = (array != 0) & (array != 1)
    if bad.any():
        raise ValueError(
            f"{parameter} must hold only 0s and 1s (bool or integers), got the value "
            f"{array[bad].flat[0]!r}"
        )
    return array.astype(bool)


def pack_codes(bits):
    """Packs binary codes eight bits to a byte, the first bit being the high bit of the first
    byte (`numpy.packbits` along the bits).

    Args:
        bits: array ``(n_codes, n_bits)`` of 0s and 1s: bool, integers, or floats equal to 0 or
            1.

    Returns:
        uint8 array ``(n_codes, ceil(n_bits / 8))``; the unused low bits of the last byte are 0.

    Raises:
        ValueError: if ``bits`` is not 2-d with at least one bit, or holds another value than 0
            and 1.

    Example:
        >>> pack_codes([[1, 0, 0, 0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0, 1, 0, 0]])
        array([[129, 128],
               [  2,   0]], dtype=uint8)
    """
    return np.packbits(_bits_array("bits", bits), axis=1)


def _words(packed):
    """Packed codes ``(n, n_bytes)`` as 64-bit words ``(n, ceil(n_bytes / 8))``, zero-padded
    (the byte order inside a word does not matter to a popcount of an XOR)."""
    n, n_bytes = packed.shape
    n_words = -(-n_bytes // 8)
    padded = np.zeros((n, 8 * n_words), np.uint8)
    padded[:, :n_bytes] = packed
    return padded.view(np.uint64)


def hamming_distances(query_bits, collection_bits):
    """Hamming distances between every query code and every collection code.

    The codes are packed 64 bits to a word; a distance is the popcount of the XOR of the
    words (`numpy.bitwise_count`), computed a block of queries at a time so that the temporary
    array stays small.

    Args:
        query_bits: array ``(n_queries, n_bits)`` of 0s and 1s (as for `pack_codes`).
        collection_bits: array ``(n_documents, n_bits)`` of 0s and 1s, the same ``n_bits``.

    Returns:
        int64 array ``(n_queries, n_documents)``: the number of bits in which the codes differ.

    Raises:
        ValueError: if either is not a valid array of codes (see `pack_codes`), or their numbers
            of bits differ.

    Example:
        >>> hamming_distances([[0, 0, 0], [1, 1, 1]], [[0, 0, 0], [1, 0, 1]])
        array([[0, 2],
               [3, 1]])
    """
    query = _bits_array("query_bits", query_bits)
    collection = _bits_array("collection_bits", collection_bits)
    if query.shape[1] != collection.shape[1]:
        raise ValueError(
            f"query_bits and collection_bits must have the same number of bits, got "
            f"{query.shape[1]} and {collection.shape[1]}"
        )
    q = _words(np.packbits(query, axis=1))
    c = _words(np.packbits(collection, axis=1))
    out = np.empty((len(q), len(c)), np.int64)
    block = max(1, _BLOCK_WORDS // max(1, c.size))
    for start in range(0, len(q), block):
        xor = q[start : start + block, None, :] ^ c[None, :, :]
        out[start : start + block] = np.bitwise_count(xor).sum(axis=2, dtype=np.int64)
    return out


# ---------------------------------------------------------------------------------------------
# Relevance and the ranking protocol
# ---------------------------------------------------------------------------------------------
def _labels(parameter, labels):
    """``("single", int array (n,))`` or ``("multi", bool array (n, n_labels))``."""
    array = np.asarray(labels)
    if array.ndim == 1:
        if not np.issubdtype(array.dtype, np.integer):
            raise ValueError(
                f"{parameter} must be 1-d integer labels or a 2-d 0/1 multi-hot matrix, got a "
                f"1-d array of {array.dtype}"
            )
        return "single", array
    if array.ndim == 2:
        return "multi", _bits_array(parameter, array)
    raise ValueError(
        f"{parameter} must be 1-d integer labels or a 2-d 0/1 multi-hot matrix, got shape "
        f"{array.shape}"
    )


def _label_pair(query_labels, collection_labels):
    kind_q, query = _labels("query_labels", query_labels)
    kind_c, collection = _labels("collection_labels", collection_labels)
    if kind_q != kind_c:
        raise ValueError(
            "query_labels and collection_labels must be of the same kind (both 1-d integer "
            f"labels or both 2-d multi-hot matrices), got shapes {query.shape} and "
            f"{collection.shape}"
        )
    if kind_q == "multi":
        if query.shape[1] != collection.shape[1]:
            raise ValueError(
                "query_labels and collection_labels must have the same number of labels "
                f"(columns), got {query.shape[1]} and {collection.shape[1]}"
            )
        # A float32 product counts the shared labels exactly (up to 2**24 labels) and uses BLAS.
        return kind_q, query.astype(np.float32), collection.astype(np.float32).T
    return kind_q, query, collection


def _relevant(kind, query, collection_t):
    if kind == "single":
        return query[:, None] == collection_t[None, :]
    return (query @ collection_t) > 0


def relevance(query_labels, collection_labels):
    """Which documents of the collection are relevant to each query.

    Args:
        query_labels: either 1-d integer labels ``(n_queries,)`` (single-label collections such
            as 20 Newsgroups: a document is relevant when it has the query's label), or a 2-d
            multi-hot matrix ``(n_queries, n_labels)`` of 0s and 1s (multi-label collections
            such as Reuters: relevant when query and document share at least one label, so
            that a document without labels is relevant to nothing).
        collection_labels: the labels of the documents, ``(n_documents,)`` or
            ``(n_documents, n_labels)``, of the same kind as ``query_labels``.

    Returns:
        bool array ``(n_queries, n_documents)``.

    Raises:
        ValueError: if the labels are of mixed kinds, of other shapes or types, a multi-hot
            matrix holds other values than 0 and 1, or the two have different numbers of
            labels.

    Example:
        >>> relevance([0, 1], [1, 0, 0])
        array([[False,  True,  True],
               [ True, False, False]])
        >>> relevance([[1, 0, 1]], [[0, 0, 1], [0, 1, 0], [0, 0, 0]])
        array([[ True, False, False]])
    """
    return _relevant(*_label_pair(query_labels, collection_labels))


def _ks(ks, n_documents):
    array = np.asarray(ks)
    if array.ndim == 0:
        array = array.reshape(1)
    if (
        array.ndim != 1
        or array.size == 0
        or array.dtype == bool
        or not np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"ks must be a non-empty sequence of positive integers, got {ks!r}")
    if array[0] < 1 or array[-1] > n_documents or np.any(np.diff(array) <= 0):
        raise ValueError(
            "ks must be increasing integers from 1 to the number of documents "
            f"({n_documents}), got {array.tolist()}"
        )
    return array.astype(np.int64)


def _relevant_in_top_k(scores, relevant, ks):
    """Expected number of relevant documents among the top ``k`` of each row, ties broken
    uniformly at random, ``(n_rows, len(ks))``."""
    m, n = scores.shape
    order = np.argsort(-scores, axis=1)  # descending; the order inside ties does not matter
    ranked = np.take_along_axis(scores, order, axis=1)
    cumulative = np.zeros((m, n + 1), np.int64)  # cumulative[:, j]: relevant among the first j
    np.cumsum(np.take_along_axis(relevant, order, axis=1), axis=1, out=cumulative[:, 1:])
    # Groups of equal scores are runs of the sorted rows: the first index of the run of each
    # position is the running maximum of the starts, its end (exclusive) the running minimum,
    # from the right, of the ends.
    columns = np.arange(n)
    starts = np.ones((m, n), bool)
    starts[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
    ends = np.ones((m, n), bool)
    ends[:, :-1] = starts[:, 1:]
    first = np.maximum.accumulate(np.where(starts, columns, 0), axis=1)[:, ks - 1]
    stop = np.minimum.accumulate(np.where(ends, columns + 1, n)[:, ::-1], axis=1)[:, ::-1]
    stop = stop[:, ks - 1]
    rows = np.arange(m)[:, None]
    above = cumulative[rows, first]  # relevant documents scored strictly above the k-th
    tied = cumulative[rows, stop] - above  # relevant documents in the k-th's group
    return above + (ks - first) * tied / (stop - first)


def ranking_curve(score, query_labels, collection_labels, ks, *, chunk_size=256):
    """Precision and recall of the top ``k`` retrieved documents, averaged over queries.

    Each query ranks the whole collection by ``score``, higher first; its precision at ``k``
    is the fraction of relevant documents among the first ``k``, its recall the fraction of
    its relevant documents found there. Ties are counted exactly, as the expectation under a
    uniformly random order of documents of equal score: if the ``k``-th score is shared by
    ``n_tied`` documents, ``rel_tied`` of them relevant, of which ``k - n_above`` make the top
    ``k`` after the ``n_above`` documents scored strictly higher (``rel_above`` relevant),

        relevant_in_top_k = rel_above + (k - n_above) * rel_tied / n_tied.

    Queries with no relevant document in the collection have no recall and are left out of
    both averages, precision included (so that the two describe the same queries);
    ``n_queries`` says how many were used.

    The scores are asked for ``chunk_size`` queries at a time, so that the matrix of all
    queries against all documents (7,532 x 11,314 for 20 Newsgroups) is never held at once.

    Args:
        score: callable ``score(start, stop)`` returning the scores of queries ``start`` to
            ``stop - 1`` against every document, an array ``(stop - start, n_documents)`` of
            real numbers (no NaN), higher = more similar: for binary codes
            ``lambda start, stop: -hamming_distances(query_bits[start:stop], bits)``.
        query_labels: labels of the queries (see `relevance`): 1-d integers or a 2-d multi-hot
            matrix.
        collection_labels: labels of the documents, of the same kind.
        ks: the cut-offs, increasing integers from 1 to ``n_documents`` (one integer is a list
            of one).
        chunk_size: number of queries scored at a time, a positive integer.

    Returns:
        A dict with ``"k"`` (int64 array), ``"precision"`` and ``"recall"`` (float64 arrays,
        one value per ``k``) and ``"n_queries"`` (int).

    Raises:
        ValueError: if ``score`` is not callable or returns an array of another shape or with
            NaN, the labels are invalid (see `relevance`), ``ks`` is not increasing integers in
            ``[1, n_documents]``, ``chunk_size`` is not a positive integer, or no query has a
            relevant document.

    Example:
        Five documents; the query's relevant ones are 0, 1 and 4. Documents 1, 2 and 3 tie.

        >>> scores = np.array([[0.9, 0.5, 0.5, 0.5, 0.1]])
        >>> curve = ranking_curve(
        ...     lambda start, stop: scores[start:stop], [0], [0, 0, 1, 1, 0], ks=[1, 2, 4, 5])
        >>> curve["precision"]  # at k=2: (1 + 1 * 1/3) / 2
        array([1.        , 0.66666667, 0.5       , 0.6       ])
        >>> curve["recall"]
        array([0.33333333, 0.44444444, 0.66666667, 1.        ])
    """
    if not callable(score):
        raise ValueError(f"score must be a callable score(start, stop), got {score!r}")
    kind, queries, collection_t = _label_pair(query_labels, collection_labels)
    n_queries = len(queries)
    n_documents = collection_t.shape[-1]
    ks = _ks(ks, n_documents)
    chunk_size = positive_int("chunk_size", chunk_size)
    if n_queries == 0:
        raise ValueError("query_labels must hold at least one query")

    precision = np.zeros(len(ks))
    recall = np.zeros(len(ks))
    used = 0
    for start in range(0, n_queries, chunk_size):
        stop = min(start + chunk_size, n_queries)
        scores = np.asarray(score(start, stop), dtype=np.float64)
        if scores.shape != (stop - start, n_documents):
            raise ValueError(
                f"score({start}, {stop}) must return an array of shape "
                f"{(stop - start, n_documents)}, got {scores.shape}"
            )
        if np.isnan(scores).any():
            raise ValueError(f"score({start}, {stop}) returned NaN scores")
        relevant = _relevant(kind, queries[start:stop], collection_t)
        totals = relevant.sum(axis=1)
        keep = totals > 0
        if not keep.any():
            continue
        found = _relevant_in_top_k(scores[keep], relevant[keep], ks)
        precision += (found / ks).sum(axis=0)
        recall += (found / totals[keep, None]).sum(axis=0)
        used += int(keep.sum())
    if used == 0:
        raise ValueError("no query has a relevant document in the collection")
    return {"k": ks, "precision": precision / used, "recall": recall / used, "n_queries": used}


def precision_at_k(score, query_labels, collection_labels, k=100, chunk_size=256):
    """Mean precision of the top ``k`` retrieved documents: one point of `ranking_curve`
    (the same arguments, ties counted exactly, queries without relevant documents left out).

    Returns:
        float.

    Example:
        >>> scores = np.array([[0.9, 0.5, 0.5, 0.5, 0.1]])
        >>> precision_at_k(lambda a, b: scores[a:b], [0], [0, 0, 1, 1, 0], k=2)
        0.6666666666666666
    """
    curve = ranking_curve(score, query_labels, collection_labels, [k], chunk_size=chunk_size)
    return float(curve["precision"][0])


# ---------------------------------------------------------------------------------------------
# The memory-address view: a hash table probed within a Hamming ball
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=16)
def _flip_masks(n_bits, radius):
    """The masks of every set of at most ``radius`` of ``n_bits`` bits, by number of bits."""
    bits = [1 << j for j in range(n_bits - 1, -1, -1)]  # the first bit is the high bit
    return tuple(
        sum(chosen) for r in range(radius + 1) for chosen in itertools.combinations(bits, r)
    )


class HammingHashTable:
    """Documents stored under their binary codes, the codes read as memory addresses.

    Semantic hashing (Salakhutdinov & Hinton, 2009) uses a code of ``n_bits`` bits as an
    address: each document is stored at the address its code spells. A query is answered by
    reading the addresses within a small Hamming ball around its own code, radius ``r``:
    ``sum_{r' <= r} C(n_bits, r')`` probes (1 + 32 + 496 = 529 for 32 bits and ``r = 2``),
    whatever the size of the collection, and each probe returns the documents stored there
    without comparing the query with any other document.

    Here the memory is a dict from the address, a Python int (the first bit being the high
    bit), to the sorted int64 indices of the documents having that code; only occupied
    addresses are stored.

    Args:
        bits: array ``(n_documents, n_bits)`` of 0s and 1s (bool or integers), ``n_bits`` from
            1 to 128.

    Attributes:
        n_bits: the code length.
        buckets: the dict ``{address: sorted int64 array of document indices}`` (read-only
            arrays), in increasing order of address.

    Raises:
        ValueError: if ``bits`` is not a 2-d array of 0s and 1s, or has more than 128 bits.

    Example:
        >>> table = HammingHashTable([[0, 1, 1], [0, 1, 1], [1, 1, 1], [0, 0, 0]])
        >>> table.n_documents, table.n_addresses, table.bucket_sizes()
        (4, 3, array([1, 2, 1]))
        >>> table.addresses_within([0, 1, 1], radius=1)  # 0b011, then one bit flipped
        [3, 7, 1, 2]
        >>> table.lookup([0, 1, 1], radius=1)
        [array([0, 1]), array([2])]
        >>> table.lookup_documents([0, 0, 1], radius=1)
        array([0, 1, 3])
    """

    def __init__(self, bits):
        codes = _bits_array("bits", bits)
        n, n_bits = codes.shape
        if n_bits > _MAX_TABLE_BITS:
            raise ValueError(
                f"bits must have from 1 to {_MAX_TABLE_BITS} bits per code, got {n_bits}"
            )
        self.n_bits = n_bits
        # Right-align the codes in 128 bits: two big-endian words, the high and the low half.
        padded = np.zeros((n, _MAX_TABLE_BITS), bool)
        padded[:, _MAX_TABLE_BITS - n_bits :] = codes
        words = np.packbits(padded, axis=1).view(">u8").astype(np.uint64)
        high, low = words[:, 0], words[:, 1]
        order = np.lexsort((low, high))  # stable: the indices of one code stay sorted
        order.flags.writeable = False
        high, low = high[order], low[order]
        boundaries = np.flatnonzero((high[1:] != high[:-1]) | (low[1:] != low[:-1])) + 1
        firsts = np.r_[0, boundaries] if n else np.empty(0, np.int64)
        self.buckets = {
            (int(high[i]) << 64) | int(low[i]): indices
            for i, indices in zip(firsts, np.split(order, boundaries))
        }
        self._n_documents = n

    @property
    def n_documents(self):
        """Number of documents stored."""
        return self._n_documents

    @property
    def n_addresses(self):
        """Number of occupied addresses (distinct codes)."""
        return len(self.buckets)

    def bucket_sizes(self):
        """Number of documents at each occupied address, an int64 array in increasing order of
        address."""
        return np.array([len(v) for v in self.buckets.values()], dtype=np.int64)

    def address(self, bits_of_one_code):
        """The address of one code ``(n_bits,)``, a Python int (the first bit is the high bit).

        Raises:
            ValueError: if the code is not ``n_bits`` 0s and 1s.
        """
        code = _bits_array("query_bits", bits_of_one_code, ndim=1)
        if len(code) != self.n_bits:
            raise ValueError(
                f"query_bits must have the table's {self.n_bits} bits, got {len(code)}"
            )
        return int("".join("1" if b else "0" for b in code), 2)

    def addresses_within(self, bits_of_one_code, radius):
        """Every address at Hamming distance at most ``radius`` from a code, occupied or not.

        Args:
            bits_of_one_code: the code, ``(n_bits,)`` 0s and 1s.
            radius: a non-negative integer, at most ``n_bits``.

        Returns:
            list of ``sum_{r' <= radius} C(n_bits, r')`` distinct Python ints, in order of
            distance: the code's own address first, then those one bit away, and so on.

        Raises:
            ValueError: if the code is not ``n_bits`` 0s and 1s, or ``radius`` is not an
                integer in ``[0, n_bits]``.
        """
        origin = self.address(bits_of_one_code)
        radius = self._radius(radius)
        return [origin ^ mask for mask in _flip_masks(self.n_bits, radius)]

    def lookup(self, query_bits, radius):
        """The documents at the occupied addresses within ``radius`` bits of a query code.

        Args:
            query_bits: the query's code, ``(n_bits,)`` 0s and 1s.
            radius: a non-negative integer, at most ``n_bits``.

        Returns:
            list of sorted int64 arrays, the read-only buckets themselves (not copies), one per
            occupied address of the ball, in order of distance; its cost grows with the number
            of probes, not with the number of documents found.

        Raises:
            ValueError: as for `addresses_within`.
        """
        buckets = self.buckets
        found = []
        for address in self.addresses_within(query_bits, radius):
            bucket = buckets.get(address)
            if bucket is not None:
                found.append(bucket)
        return found

    def lookup_documents(self, query_bits, radius):
        """The indices of the documents within ``radius`` bits of a query code, a sorted int64
        array (empty when the ball holds none), the buckets of `lookup` concatenated."""
        found = self.lookup(query_bits, radius)
        if not found:
            return np.empty(0, np.int64)
        return np.sort(np.concatenate(found))

    def _radius(self, radius):
        radius = non_negative_int("radius", radius)
        if radius > self.n_bits:
            raise ValueError(f"radius must be at most n_bits={self.n_bits}, got {radius}")
        return radius

    def __repr__(self):
        return (
            f"HammingHashTable(n_bits={self.n_bits}, n_documents={self.n_documents}, "
            f"n_addresses={self.n_addresses})"
        )
