"""Data, models and measurements of the semantic hashing study (Salakhutdinov & Hinton, 2009).

Shared by the notebook and its tests, so that the protocol is written once:

* `clean_newsgroup` — a 20 Newsgroups message without its headers (the Subject line is kept),
  quoted lines and signature;
* `load_corpus` — word counts over the 2,000 most frequent words of the training documents
  (English stop words removed), with labels, for ``newsgroups20`` or ``reuters21578``;
* `validation_split` — the training documents divided into a collection and validation queries;
* `pretrain` and `fine_tune` — the deep autoencoder: the RBM stack, then backpropagation with
  noisy code units, keeping the epoch count that retrieves best on the validation queries;
* `hamming_score`, `cosine_score`, `filter_score` — the rankings that `ranking_curve` scores;
* `query_times` — the time of a Hamming-ball lookup and of a brute-force TF-IDF scan as the
  collection grows.
"""

from __future__ import annotations

import functools
import re
import time

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

import aelib
from aelib.evaluation import retrieval
from aelib.models import rbm as rbms_module
from aelib.models.semantic_hashing import unroll_hashing

VOCABULARY = 2000
HIDDEN = [500, 500]
CORPORA = ("newsgroups20", "reuters21578")

# A signature is what follows the last "--" line, if that leaves at most this many lines.
_SIGNATURE_LINES = 10
_ATTRIBUTION = re.compile(r"(writes|wrote|said):\s*$", re.IGNORECASE)


# ---------------------------------------------------------------------- data
def clean_newsgroup(text):
    """A message's Subject and body, without quoted lines and signature.

    The headers go (they name the newsgroup, the answer to the retrieval task), except the
    Subject line. Lines quoting another message (starting with ``>`` or ``|``) and the lines
    that introduce a quote (``... writes:``) go, and so does a signature: what follows the last
    line made of ``--``, when it is at most 10 lines long.

    Example:
        >>> clean_newsgroup("From: a@b\\nSubject: Re: cars\\n\\nI agree.\\n> quoted\\n--\\nBob")
        'Re: cars\\nI agree.'
    """
    head, _, body = text.partition("\n\n")
    subject = ""
    for line in head.splitlines():
        if line.lower().startswith("subject:"):
            subject = line[len("subject:") :].strip()
            break
    lines = [
        line
        for line in body.splitlines()
        if not line.lstrip().startswith((">", "|")) and not _ATTRIBUTION.search(line)
    ]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip() in ("--", "-- "):
            if len(lines) - i - 1 <= _SIGNATURE_LINES:
                lines = lines[:i]
            break
    return "\n".join([subject, *lines]).strip()


def load_corpus(name, n_train=None, n_test=None):
    """A corpus as word counts over the training documents' 2,000 most frequent words.

    ``newsgroups20``: the bydate split, each message cleaned by `clean_newsgroup`; a label per
    message. ``reuters21578``: ModApte, the stories with at least one of the 90 topics that
    occur in both halves (7,770 train, 3,019 test), title and body; a multi-hot label matrix
    over those topics. The vocabulary is fitted on the training documents only (scikit-learn's
    English stop words removed, tokens of two or more letters or digits, lower case).

    Args:
        name: ``"newsgroups20"`` or ``"reuters21578"``.
        n_train, n_test: keep only a random subset of so many documents of each half (seeded;
            ``None``: all of them).

    Returns:
        A dict: ``train`` and ``test`` count matrices (float32, dense, ``(n, 2000)``),
        ``train_labels`` and ``test_labels``, ``label_names``, ``vocabulary``.
    """
    if name == "newsgroups20":
        train, test = aelib.data.newsgroups20("train"), aelib.data.newsgroups20("test")
        texts = [clean_newsgroup(t) for t in train.texts], [clean_newsgroup(t) for t in test.texts]
        labels = train.labels, test.labels
        label_names = list(train.label_names)
    elif name == "reuters21578":
        train, test = aelib.data.reuters21578("train"), aelib.data.reuters21578("test")
        both = sorted(
            {t for ts in train.topics for t in ts} & {t for ts in test.topics for t in ts}
        )
        index = {t: i for i, t in enumerate(both)}
        texts, labels = [], []
        for half in (train, test):
            keep = [i for i, ts in enumerate(half.topics) if any(t in index for t in ts)]
            multi_hot = np.zeros((len(keep), len(both)), np.int8)
            for row, i in enumerate(keep):
                multi_hot[row, [index[t] for t in half.topics[i] if t in index]] = 1
            texts.append([half.texts[i] for i in keep])
            labels.append(multi_hot)
        label_names = both
    else:
        raise ValueError(f"name must be one of {list(CORPORA)}, got {name!r}")
    texts, labels = list(texts), list(labels)
    for half, size in enumerate((n_train, n_test)):
        if size is not None and size < len(texts[half]):
            keep = np.sort(np.random.default_rng(half).permutation(len(texts[half]))[:size])
            texts[half] = [texts[half][i] for i in keep]
            labels[half] = labels[half][keep]
    vectorizer = CountVectorizer(stop_words="english", max_features=VOCABULARY)
    vectorizer.fit(texts[0])
    counts = [vectorizer.transform(t).toarray().astype("float32") for t in texts]
    return {
        "train": counts[0],
        "test": counts[1],
        "train_labels": labels[0],
        "test_labels": labels[1],
        "label_names": label_names,
        "vocabulary": list(vectorizer.get_feature_names_out()),
    }


def validation_split(n_documents, fraction, seed):
    """Indices ``(collection, queries)``: a seeded random ``fraction`` of the training documents
    become validation queries, searched for in the rest; every choice of the study is made
    there, never on the test documents.

    Example:
        >>> collection, queries = validation_split(10, 0.2, seed=0)
        >>> len(collection), len(queries), sorted(set(collection) | set(queries)) == list(range(10))
        (8, 2, True)
    """
    order = np.random.default_rng([seed, 7]).permutation(n_documents)
    n_queries = max(1, round(fraction * n_documents))
    return np.sort(order[n_queries:]), np.sort(order[:n_queries])


def tfidf(train_counts):
    """A TF-IDF transformer fitted on the training counts (scikit-learn's smooth idf, l2)."""
    return TfidfTransformer().fit(train_counts)


# ---------------------------------------------------------------------- the deep autoencoder
def pretrain(counts, code_bits, epochs, seed):
    """The RBM stacks of every code length: 2000-500-500 once, then one top RBM per length.

    The first RBM has constrained Poisson visible units (counts), the second binary ones; each
    top RBM has binary code units and models the second layer's hidden probabilities. Each
    layer gets ``epochs`` epochs of CD-1 with Hinton's momentum schedule and weight cost, the
    Poisson layer a learning rate of 0.001, the others 0.1.

    Returns:
        ``{bits: [rbm_1, rbm_2, top]}`` (the lower two shared) and the per-layer curves.
    """
    lower, curves = rbms_module.pretrain_stack(
        counts,
        [counts.shape[1], *HIDDEN],
        epochs=epochs,
        visible_type="poisson",
        seed=seed,
        top_hidden_type="binary",
        return_curves=True,
    )
    features = lower[-1].transform(lower[0].transform(counts))
    stacks = {}
    for bits in code_bits:
        aelib.seed_everything(seed + 10 + bits)
        top = rbms_module.RBM(HIDDEN[-1], bits, name=f"rbm_code_{bits}")
        curves.append(rbms_module.train_rbm(top, features, epochs=epochs, seed=seed + 10 + bits))
        stacks[bits] = [*lower, top]
    return stacks, curves


def fine_tune(
    stack,
    counts,
    val_counts,
    collection_counts,
    val_labels,
    collection_labels,
    *,
    code_noise,
    rounds,
    epochs_per_round,
    batch_size,
    learning_rate,
    seed,
):
    """Backpropagation through the unrolled stack, keeping the best round on validation.

    After each round of ``epochs_per_round`` epochs (Adam, noise ``code_noise`` on the code
    units' inputs), the validation queries' binary codes search the collection's, and the
    weights of the round with the best precision at 100 are kept (round 0 is the pretrained
    net).

    Returns:
        ``(model, history)``: the kept model and, per round, its epoch, training loss and
        validation precision at 100.
    """
    model = unroll_hashing(stack, code_noise=code_noise, seed=seed)

    def validation_precision():
        queries, collection = model.binary_codes(val_counts), model.binary_codes(collection_counts)
        return retrieval.precision_at_k(
            hamming_score(queries, collection), val_labels, collection_labels, k=100
        )

    history = [{"epoch": 0, "loss": None, "val_precision_at_100": validation_precision()}]
    best, best_weights = history[0]["val_precision_at_100"], model.get_weights()
    for round_ in range(1, rounds + 1):
        # From the second round on, aelib.fit carries on with the model's Adam and its state.
        fitted = aelib.fit(
            model,
            counts,
            epochs=epochs_per_round,
            batch_size=batch_size,
            learning_rate=learning_rate if round_ == 1 else None,
            seed=seed + round_,
            verbose=0,
        )
        model = fitted.model
        history.append(
            {
                "epoch": round_ * epochs_per_round,
                "loss": float(fitted.history["loss"][-1]),
                "val_precision_at_100": validation_precision(),
            }
        )
        if history[-1]["val_precision_at_100"] > best:
            best, best_weights = history[-1]["val_precision_at_100"], model.get_weights()
    model.set_weights(best_weights)
    return model, history


# ---------------------------------------------------------------------- rankings
def hamming_score(query_bits, collection_bits):
    """``score(start, stop)`` for `ranking_curve`: minus the Hamming distance."""
    return lambda start, stop: -retrieval.hamming_distances(query_bits[start:stop], collection_bits)


def cosine_score(queries, collection):
    """``score(start, stop)``: the cosine similarity of l2-normalized rows (TF-IDF or LSA)."""
    collection_t = collection.T
    return lambda start, stop: np.asarray(
        (queries[start:stop] @ collection_t).todense()
        if sparse.issparse(queries)
        else queries[start:stop] @ collection_t
    )


def filter_score(query_bits, collection_bits, radius, queries, collection):
    """``score(start, stop)`` of semantic hashing as a filter for TF-IDF: the documents within
    Hamming distance ``radius`` of the query come first, ranked by TF-IDF cosine, then the
    others, also by TF-IDF cosine (cosines of non-negative vectors are in [0, 1], so adding 2
    puts every candidate ahead)."""
    hamming, cosine = hamming_score(query_bits, collection_bits), cosine_score(queries, collection)
    return lambda start, stop: cosine(start, stop) + 2.0 * (-hamming(start, stop) <= radius)


def log_spaced_ks(n_documents, per_decade=4):
    """Cut-offs from 1 to ``n_documents`` for precision-recall curves, about ``per_decade`` per
    factor of 10, always including 100 and ``n_documents``.

    Example:
        >>> log_spaced_ks(1000, per_decade=1).tolist()
        [1, 10, 100, 1000]
    """
    steps = int(np.ceil(np.log10(n_documents) * per_decade))
    ks = np.unique(np.round(np.logspace(0, np.log10(n_documents), steps + 1)).astype(int))
    return np.unique(np.concatenate([ks, [min(100, n_documents), n_documents]]))


# ---------------------------------------------------------------------- query time
def query_times(
    collection_bits, query_bits, collection_tfidf, query_tfidf, sizes, radius, n_queries, repeats=3
):
    """Median seconds per query of three searches as the collection grows by replication.

    The collection is its documents repeated (codes and TF-IDF rows) up to each size in
    ``sizes``. For each size: ``hash_lookup``, the addresses of the Hamming ball of radius
    ``radius`` around the query's code read from a `HammingHashTable` (the list of their
    documents, without copying them); ``hamming_scan``, the Hamming distance to every code;
    ``tfidf_scan``, the TF-IDF cosine with every document and its top 100. Each is the median
    over ``repeats`` passes of the mean time of ``n_queries`` queries.

    Returns:
        ``{"size": [...], "hash_lookup": [...], "hamming_scan": [...], "tfidf_scan": [...],
        "documents_returned": [...]}`` (the last: mean number of documents in the ball).
    """
    out = {
        key: []
        for key in ("size", "hash_lookup", "hamming_scan", "tfidf_scan", "documents_returned")
    }
    n = len(collection_bits)
    queries = range(min(n_queries, len(query_bits)))
    for size in sizes:
        copies = -(-size // n)
        bits = np.tile(collection_bits, (copies, 1))[:size]
        matrix = sparse.vstack([collection_tfidf] * copies, format="csr")[:size]
        table = retrieval.HammingHashTable(bits)
        searches = {
            "hash_lookup": functools.partial(_lookup, table, query_bits, radius),
            "hamming_scan": functools.partial(_hamming_scan, bits, query_bits),
            "tfidf_scan": functools.partial(_tfidf_scan, matrix, query_tfidf, min(100, size - 1)),
        }
        for key, search in searches.items():
            out[key].append(_seconds_per_query(search, queries, repeats))
        returned = [sum(len(b) for b in _lookup(table, query_bits, radius, q)) for q in queries]
        out["size"].append(int(size))
        out["documents_returned"].append(float(np.mean(returned)))
    return out


def _lookup(table, query_bits, radius, q):
    return table.lookup(query_bits[q], radius)


def _hamming_scan(bits, query_bits, q):
    return retrieval.hamming_distances(query_bits[q : q + 1], bits)


def _tfidf_scan(matrix, query_tfidf, top, q):
    scores = np.asarray((matrix @ query_tfidf[q].T).todense()).ravel()
    return np.argpartition(-scores, top)[:top]


def _seconds_per_query(search, queries, repeats):
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        for q in queries:
            search(q)
        seconds.append((time.perf_counter() - started) / len(queries))
    return float(np.median(seconds))
