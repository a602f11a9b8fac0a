"""Tests of the text loaders: aelib.data.newsgroups20 and aelib.data.reuters21578.

Facts from the data's PROVENANCE.md (sections 7 and 8): 11,314 / 7,532 messages in 20 groups,
alt.atheism 480 / 319 and talk.religion.misc 377 / 251; Reuters-21578 ModApte 9,603 / 3,299
stories, 90 topics with a story in both halves, carried by 7,770 / 3,019 stories. The known
documents below were read from the archives directly (``tar xzf``, ``head``, ``grep``), and the
texts are compared with members read here with ``tarfile``, not through the loaders' readers.
"""

from __future__ import annotations

import collections
import io
import os
import re
import tarfile
from pathlib import Path

import numpy as np
import pytest

from aelib.data import loaders
from aelib.data.loaders import DatasetError
from aelib.data.registry import REGISTRY

DATA_ENV = os.environ.get("AELIB_DATA")
DATA = Path(DATA_ENV) if DATA_ENV else None
NO_DATA = "AELIB_DATA is not set; point it at the prepared data (the project's shared/data)"
needs_data = pytest.mark.skipif(DATA is None, reason=NO_DATA)

NEWSGROUPS = [
    "alt.atheism",
    "comp.graphics",
    "comp.os.ms-windows.misc",
    "comp.sys.ibm.pc.hardware",
    "comp.sys.mac.hardware",
    "comp.windows.x",
    "misc.forsale",
    "rec.autos",
    "rec.motorcycles",
    "rec.sport.baseball",
    "rec.sport.hockey",
    "sci.crypt",
    "sci.electronics",
    "sci.med",
    "sci.space",
    "soc.religion.christian",
    "talk.politics.guns",
    "talk.politics.mideast",
    "talk.politics.misc",
    "talk.religion.misc",
]
# id -> (start of the text, group), for each half.
KNOWN_MESSAGES = {
    "train": {
        "alt.atheism/49960": (
            "From: mathew <mathew@mantis.co.uk>\nSubject: Alt.Atheism FAQ: Atheist Resources\n",
            "alt.atheism",
        ),
    },
    "test": {
        "sci.space/61242": (
            "From: pgf@space.mit.edu (Peter G. Ford)\n"
            "Subject: Re: Help viewing Voyager CD ROMs on Mac\n",
            "sci.space",
        ),
    },
}
# NEWID -> (start of the text, topics), for each half.
KNOWN_STORIES = {
    "train": {
        1: (
            "BAHIA COCOA REVIEW\nShowers continued throughout the week in\nthe Bahia cocoa zone",
            ["cocoa"],
        ),
        5: (
            "NATIONAL AVERAGE PRICES FOR FARMER-OWNED RESERVE\n",
            ["grain", "wheat", "corn", "barley", "oat", "sorghum"],
        ),
    },
    "test": {
        14826: (
            "ASIAN EXPORTERS FEAR DAMAGE FROM U.S.-JAPAN RIFT\nMounting trade friction "
            "between the\nU.S. And Japan",
            ["trade"],
        ),
    },
}
NEWSGROUPS_ARCHIVE = "20news-bydate/20news-bydate.tar.gz"
REUTERS_ARCHIVE = "reuters21578/reuters21578.tar.gz"


@pytest.fixture(autouse=True)
def never_download_for_real(tmp_path, monkeypatch):
    monkeypatch.setenv("AELIB_CACHE", str(tmp_path / "unused-cache"))
    monkeypatch.setenv("AELIB_DATA_URL", (tmp_path / "no-mirror").as_uri())


def members_of(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


@pytest.fixture(scope="module")
def newsgroups():
    if DATA is None:
        pytest.skip(NO_DATA)
    return {subset: loaders.newsgroups20(subset) for subset in ("train", "test")}


@pytest.fixture(scope="module")
def reuters():
    if DATA is None:
        pytest.skip(NO_DATA)
    return {subset: loaders.reuters21578(subset) for subset in ("train", "test")}


@pytest.fixture(scope="module")
def newsgroup_members():
    if DATA is None:
        pytest.skip(NO_DATA)
    return members_of(DATA / NEWSGROUPS_ARCHIVE)


# ---------------------------------------------------------------------------------------------
# 20 Newsgroups


@needs_data
def test_newsgroups_counts_labels_and_names(newsgroups):
    train, test = newsgroups["train"], newsgroups["test"]
    assert (len(train.texts), len(test.texts)) == (11314, 7532)
    for part in (train, test):
        assert isinstance(part, loaders.Newsgroups)
        assert list(part.label_names) == NEWSGROUPS
        assert part.labels.dtype == np.int64 and part.labels.shape == (len(part.texts),)
        assert part.labels.min() == 0 and part.labels.max() == 19
        assert len(part.ids) == len(set(part.ids)) == len(part.texts)
        assert all(isinstance(text, str) for text in part.texts)
        # Each id names its group: the label is the group of the message's folder.
        assert all(
            part.label_names[label] == id_.split("/")[0]
            for label, id_ in zip(part.labels, part.ids, strict=True)
        )
    counts = {
        s: dict(zip(NEWSGROUPS, np.bincount(p.labels, minlength=20), strict=True))
        for s, p in newsgroups.items()
    }
    assert (counts["train"]["alt.atheism"], counts["test"]["alt.atheism"]) == (480, 319)
    assert (counts["train"]["talk.religion.misc"], counts["test"]["talk.religion.misc"]) == (
        377,
        251,
    )
    # Ordered by group, then message number.
    keys = [
        (int(label), int(id_.split("/")[1]))
        for label, id_ in zip(train.labels, train.ids, strict=True)
    ]
    assert keys == sorted(keys)


@needs_data
@pytest.mark.parametrize("subset", ["train", "test"])
def test_known_messages_and_their_groups(subset, newsgroups):
    part = newsgroups[subset]
    position = {id_: index for index, id_ in enumerate(part.ids)}
    for id_, (start, group) in KNOWN_MESSAGES[subset].items():
        index = position[id_]
        assert part.texts[index].startswith(start)
        assert part.label_names[part.labels[index]] == group


@needs_data
@pytest.mark.parametrize("subset", ["train", "test"])
def test_texts_are_the_raw_messages_decoded(subset, newsgroups, newsgroup_members):
    part = newsgroups[subset]
    for index in range(0, len(part.texts), 97):
        raw = newsgroup_members[f"20news-bydate-{subset}/{part.ids[index]}"]
        assert part.texts[index] == raw.replace(b"\r\n", b"\n").decode("latin-1")
    # Latin-1: every byte is kept, as one character (73 messages are not valid UTF-8).
    assert sum(not is_utf8(data) for data in newsgroup_members.values()) == 73


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@needs_data
def test_only_crlf_line_ends_change(newsgroups, newsgroup_members):
    train = newsgroups["train"]
    raw = newsgroup_members["20news-bydate-train/comp.sys.mac.hardware/51894"]
    assert raw.count(b"\r\n") == 7 and raw.count(b"\r") == 45
    text = train.texts[train.ids.index("comp.sys.mac.hardware/51894")]
    assert "\r\n" not in text and text.count("\r") == 38  # the lone CRs are kept
    assert len(text) == len(raw) - 7


@pytest.mark.parametrize("loader", ["newsgroups20", "reuters21578"])
@pytest.mark.parametrize("subset", ["all", "Train", "validation", "", None, 0])
def test_a_bad_subset_is_refused_before_any_file_is_read(loader, subset, tmp_path, monkeypatch):
    monkeypatch.setenv("AELIB_DATA", str(tmp_path / "empty"))  # no file: never reached
    with pytest.raises(ValueError, match=r"^subset must be one of \['train', 'test'\], got"):
        getattr(loaders, loader)(subset)
    with pytest.raises(ValueError, match="subset"):
        getattr(loaders, loader)(subset=subset)


# ---------------------------------------------------------------------------------------------
# Reuters-21578


@needs_data
def test_reuters_modapte_counts_topics_and_ids(reuters):
    train, test = reuters["train"], reuters["test"]
    assert (len(train.texts), len(test.texts)) == (9603, 3299)
    for part in (train, test):
        assert isinstance(part, loaders.Reuters)
        assert len(part.topics) == len(part.texts) == len(part.ids)
        assert part.ids.dtype == np.int64 and np.all(np.diff(part.ids) > 0)
        assert len(part.topic_names) == 135 and part.topic_names[0] == "acq"
        assert {t for topics in part.topics for t in topics} <= set(part.topic_names)
        assert all(isinstance(topics, list) for topics in part.topics)
    assert not set(train.ids) & set(test.ids)
    assert 1 <= train.ids.min() and test.ids.max() <= 21578
    # The 90 topics with a story in both halves, and the stories that carry one ("ApteMod").
    in_train = {t for topics in train.topics for t in topics}
    in_test = {t for topics in test.topics for t in topics}
    both = in_train & in_test
    assert len(both) == 90
    assert sum(bool(set(topics) & both) for topics in train.topics) == 7770
    assert sum(bool(set(topics) & both) for topics in test.topics) == 3019


@needs_data
@pytest.mark.parametrize("subset", ["train", "test"])
def test_known_stories_and_their_topics(subset, reuters):
    part = reuters[subset]
    position = {int(id_): index for index, id_ in enumerate(part.ids)}
    for newid, (start, topics) in KNOWN_STORIES[subset].items():
        index = position[newid]
        assert part.texts[index].startswith(start), part.texts[index][:120]
        assert part.topics[index] == topics


@needs_data
def test_reuters_texts_are_decoded_sgml(reuters):
    texts = reuters["train"].texts + reuters["test"].texts
    # No markup and no framing control characters are left; references are decoded.
    assert not any(re.search(r"</?(TITLE|BODY|DATELINE|AUTHOR|TEXT)>", t) for t in texts)
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t) for t in texts)
    assert not any(re.search(r"&(lt|gt|amp|#[0-9]+);", t) for t in texts)
    assert sum("<" in t for t in texts) > 1000  # &lt; marks company names: <Gulf Canada>
    story = texts[0]
    assert story.endswith(" Reuter\n") and "SALVADOR, Feb 26" not in story  # no dateline


@needs_data
def test_reuters_agrees_with_the_raw_sgml(reuters):
    """Topics and splits of every story, read here with plain regular expressions."""
    members = members_of(DATA / REUTERS_ARCHIVE)
    expected = {"train": {}, "test": {}}
    for name in sorted(n for n in members if n.endswith(".sgm")):
        text = members[name].decode("latin-1")
        for head, body in re.findall(r"<REUTERS ([^>]*)>(.*?)</REUTERS>", text, re.S):
            attributes = dict(re.findall(r'(\w+)="([^"]*)"', head))
            split = {"TRAIN": "train", "TEST": "test"}.get(attributes["LEWISSPLIT"])
            if attributes["TOPICS"] == "YES" and split:
                topics = re.search(r"<TOPICS>(.*?)</TOPICS>", body, re.S)[1]
                expected[split][int(attributes["NEWID"])] = re.findall(r"<D>(.*?)</D>", topics)
    for split, part in reuters.items():
        assert dict(zip(part.ids.tolist(), part.topics, strict=True)) == expected[split]
    counts = collections.Counter(t for topics in reuters["train"].topics for t in topics)
    assert counts.most_common(2) == [("earn", 2877), ("acq", 1650)]


# ---------------------------------------------------------------------------------------------
# The canonical archives, through file:// mirrors


def write_tar(path: Path, members: dict[str, bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz", compresslevel=1) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_000_000
            archive.addfile(info, io.BytesIO(data))


def cached_files(cache: Path) -> list[str]:
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())


def crlf(data: bytes) -> bytes:
    """The message with CRLF line ends, as (some of) the original archive's."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def test_newsgroups_download_checks_every_message(
    newsgroup_members, newsgroups, cache, tmp_path, monkeypatch
):
    # Rennie's archive: the same messages, other tar and gzip bytes, and five with CRLF line
    # ends (PROVENANCE's caveat), in another order, with a member the loader does not read.
    members = dict(reversed(newsgroup_members.items()))
    for name in (
        "20news-bydate-train/comp.graphics/38753",
        "20news-bydate-test/comp.graphics/39009",
        "20news-bydate-test/comp.sys.mac.hardware/52070",
        "20news-bydate-train/misc.forsale/75882",
        "20news-bydate-test/talk.politics.misc/179035",
    ):
        members[name] = crlf(members[name])
    members["20news-bydate-train/README"] = b"not a message"
    (file,) = REGISTRY["newsgroups20"].source.files
    mirror = tmp_path / "mirror"
    write_tar(mirror / file.path, members)
    monkeypatch.setenv("AELIB_DATA_URL", mirror.as_uri())

    downloaded = loaders.newsgroups20("test")
    assert cached_files(cache) == [file.path]
    prepared = newsgroups["test"]
    assert downloaded.texts == prepared.texts and downloaded.ids == prepared.ids
    assert np.array_equal(downloaded.labels, prepared.labels)

    # One changed character in one message: the archive is refused, and nothing is cached.
    name = "20news-bydate-test/sci.space/61242"
    members[name] = members[name].replace(b"Voyager", b"voyager", 1)
    write_tar(mirror / file.path, members)
    (cache / file.path).unlink()
    with pytest.raises(DatasetError) as raised:
        loaders.newsgroups20("train")
    message = str(raised.value)
    assert "20news-bydate.tar.gz" in message and "manifest of the 18,846 messages" in message
    assert file.sha256 in message and "AELIB_DATA" in message
    assert cached_files(cache) == []


@pytest.mark.parametrize("change", [None, "one byte", "missing file"])
def test_reuters_download_checks_the_files_it_reads(change, reuters, cache, tmp_path, monkeypatch):
    members = members_of(DATA / REUTERS_ARCHIVE)
    # The UCI archive holds more than the loader reads, in its own order and compression.
    members = {name: members[name] for name in sorted(members, reverse=True)}
    if change == "one byte":
        members["reut2-003.sgm"] = members["reut2-003.sgm"].replace(b"cocoa", b"cocoA", 1)
    if change == "missing file":
        del members["all-topics-strings.lc.txt"]
    (file,) = REGISTRY["reuters21578"].source.files
    mirror = tmp_path / "mirror"
    write_tar(mirror / file.path, members)
    monkeypatch.setenv("AELIB_DATA_URL", mirror.as_uri())
    if change is None:
        downloaded = loaders.reuters21578("train")
        assert downloaded.texts == reuters["train"].texts
        assert downloaded.topics == reuters["train"].topics
        assert cached_files(cache) == [file.path]
        return
    with pytest.raises(DatasetError) as raised:
        loaders.reuters21578("train")
    message = str(raised.value)
    assert "reuters21578.tar.gz" in message and "manifest of reut2-000.sgm" in message
    assert cached_files(cache) == []
