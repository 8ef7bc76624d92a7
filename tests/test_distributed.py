"""The Dask backend gives the local results exactly, on a LocalCluster of two worker processes."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

from framing.analyze import analyze as analyze_locally
from framing.corpus import iter_corpus, read_corpus, sample_corpus_path
from framing.distributed import analyze, connect, iter_matches_dask
from framing.errors import CorpusError, FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import LexiconMatcher, iter_matches
from framing.nlp import make_nlp
from framing.profile import (
    article_concept_counts,
    concept_shares,
    profile_articles,
    profile_outlets,
)

pytestmark = pytest.mark.slow  # a cluster of two worker processes: about 30 s in all

N_BOOT = 200


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded worker processes, as `dask worker --nworkers 2 --nthreads 1` gives."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # the default scheduler while it is open
    ):
        yield client


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return read_lexicons()


@pytest.fixture(scope="module")
def matcher(lexicon: Lexicon) -> LexiconMatcher:
    """The local matcher, compiled once for the module (it takes a second or two)."""
    return LexiconMatcher(lexicon, make_nlp())


def _user_frame() -> pd.DataFrame:
    """The sample corpus as a user would load it: its own columns, no status."""
    lines = sample_corpus_path().read_text(encoding="utf-8").splitlines()
    return pd.DataFrame([json.loads(line) for line in lines])


def _local(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def test_distributed_analyze_equals_local_run(
    client: Client, lexicon: Lexicon, matcher: LexiconMatcher, tmp_path: Path
) -> None:
    ddf = dd.from_pandas(_user_frame(), npartitions=4)
    result = analyze(ddf, lexicon=lexicon, n_boot=N_BOOT)

    corpus = read_corpus(sample_corpus_path())
    matches = next(iter_matches([corpus], matcher))
    profiles = profile_articles(matches)
    assert len(matches.hits) > 500  # the comparison below has something to compare
    pd.testing.assert_frame_equal(_local(result.matches.compute()), matches.hits)
    pd.testing.assert_frame_equal(_local(result.article_profiles.compute()), profiles)
    articles = _local(result.articles.compute())
    # `source` says where a row came from: a file line locally, a DataFrame position here.
    pd.testing.assert_frame_equal(
        articles.drop(columns="source"), matches.articles.drop(columns="source")
    )
    assert articles["source"].tolist() == [f"DataFrame row {i}" for i in range(len(corpus))]

    # Bootstrap intervals included: the same rows in the same order give the same resamples.
    outlets = profile_outlets(profiles, matches.articles, n_boot=N_BOOT)
    shares = concept_shares(
        article_concept_counts(matches), matches.articles, lexicon.concepts, n_boot=N_BOOT
    )
    pd.testing.assert_frame_equal(result.outlet_profiles, outlets)
    pd.testing.assert_frame_equal(result.concept_shares, shares)
    job = analyze_locally([sample_corpus_path()], tmp_path, lexicon=lexicon, n_boot=N_BOOT,
                          progress=False)  # fmt: skip
    pd.testing.assert_frame_equal(result.outlet_profiles, job.outlet_profiles)
    pd.testing.assert_frame_equal(result.concept_shares, job.concept_shares)


def test_distributed_analyze_gives_every_row_a_status(client: Client, lexicon: Lexicon) -> None:
    frame = pd.DataFrame(
        {
            "doc": ["a1", "a2", "a3", None, "a5", "b1"],
            "source_name": ["North Post"] * 5 + ["South Wire"],
            "body": [
                "The regime said so.",
                "",
                None,
                "An article without an id about the regime.",
                "Nothing loaded here.",
                "Kyiv is quiet.",
            ],
        },
        index=[10, 11, 12, 13, 14, 15],
    )
    ddf = dd.from_pandas(frame, npartitions=2)  # rows 10-12 and 13-15
    result = analyze(ddf, lexicon=lexicon, text="body", outlet="source_name", id="doc",
                     n_boot=N_BOOT)  # fmt: skip
    articles = _local(result.articles.compute())
    assert articles["status"].tolist() == ["ok", "skipped", "skipped", "ok", "ok", "ok"]
    assert articles.loc[1, "message"] == "empty text"
    assert articles.loc[2, "message"].startswith("no text")
    # No id: its position in the whole DataFrame (labels can repeat across partitions).
    assert articles.loc[3, "article_id"] == "DataFrame row 3"
    assert articles.loc[3, "message"] == "no id: the source location is used"
    assert set(result.matches.compute()["article_id"]) == {"a1", "DataFrame row 3", "b1"}
    outlets = result.outlet_profiles.groupby("outlet")["n_articles"].max()
    assert outlets.to_dict() == {"North Post": 3, "South Wire": 1}


def test_distributed_analyze_finds_repeated_ids_across_partitions(
    client: Client, lexicon: Lexicon
) -> None:
    frame = pd.DataFrame(
        {"id": ["a", "b", "c", "a"], "outlet": "North Post", "text": "The regime spoke."}
    )
    ddf = dd.from_pandas(frame, npartitions=2)  # "a" in each partition
    with pytest.raises(CorpusError, match=r"duplicate id 'a' at DataFrame row 3 \(first at "
                       r"DataFrame row 0\)"):  # fmt: skip
        analyze(ddf, lexicon=lexicon, n_boot=N_BOOT)
    result = analyze(ddf, lexicon=lexicon, n_boot=N_BOOT, dedupe_ids=True)
    articles = _local(result.articles.compute())
    assert articles["status"].tolist() == ["ok", "ok", "ok", "skipped"]
    assert articles.loc[3, "article_id"] == "a#dup@DataFrame row 3"
    assert articles.loc[3, "message"] == "duplicate id 'a' (first at DataFrame row 0)"
    hits_per_article = result.matches.compute()["article_id"].value_counts().to_dict()
    assert hits_per_article == {"a": 1, "b": 1, "c": 1}  # not the skipped repeat of "a"
    assert set(result.outlet_profiles["n_articles"]) == {3}


def test_distributed_analyze_names_missing_columns() -> None:
    ddf = dd.from_pandas(pd.DataFrame({"body": ["x"], "outlet": ["o"]}), npartitions=1)
    with pytest.raises(CorpusError, match=r"missing column 'text'.*has: 'body', 'outlet'"):
        analyze(ddf)
    with pytest.raises(CorpusError, match="missing column 'doc'"):
        analyze(ddf, text="body", id="doc")


def test_distributed_iter_matches_dask_equals_iter_matches(
    client: Client,
    lexicon: Lexicon,
    matcher: LexiconMatcher,
    nlp: Any,
    write_lexicon: Callable[..., Path],
) -> None:
    # 9 chunks, at most 4 in flight (2 per worker thread): results must come back in order.
    chunks = list(iter_corpus([sample_corpus_path()], chunk_size=10))
    local = list(iter_matches(chunks, matcher))
    remote = list(iter_matches_dask(chunks, lexicon, client=client))
    assert len(remote) == len(local) == 9
    for mine, theirs in zip(remote, local, strict=True):
        pd.testing.assert_frame_equal(mine.hits, theirs.hits)
        pd.testing.assert_frame_equal(mine.articles, theirs.articles)
        assert mine.lexicon is lexicon
    # `then` runs on the workers, as in iter_matches_parallel.
    counts = list(iter_matches_dask(chunks, lexicon, client=client, then=article_concept_counts))
    for mine_counts, theirs in zip(counts, local, strict=True):
        pd.testing.assert_frame_equal(mine_counts, article_concept_counts(theirs))
    # Another lexicon on the same workers: their cached matcher must not be reused.
    toy = read_lexicons([write_lexicon()])
    toy_local = list(iter_matches(chunks, LexiconMatcher(toy, nlp)))
    toy_remote = list(iter_matches_dask(chunks, toy, client=client))
    # ("voice" holds scare quotes and "so-called", found whatever the lexicon.)
    assert set(pd.concat([m.hits for m in toy_remote])["lexicon"]) == {"toy", "voice"}
    for mine, theirs in zip(toy_remote, toy_local, strict=True):
        pd.testing.assert_frame_equal(mine.hits, theirs.hits)


def test_distributed_connect_names_an_unreachable_address() -> None:
    with socket.socket() as probe:  # a port nobody listens on: bound, then released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    with pytest.raises(FramingError, match=f"cannot reach the Dask scheduler at '{address}'"):
        connect(address, timeout=0.5)
    with pytest.raises(FramingError, match=r"scheduler at 'nonsense'.*missing port"):
        connect("nonsense")
