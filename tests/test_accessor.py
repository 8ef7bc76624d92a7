"""df.framing: the accessor gives the hits and tables of the public functions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing.accessor  # registers df.framing
from framing.accessor import FrameAnalysis
from framing.corpus import read_corpus, sample_corpus_path
from framing.errors import CorpusError
from framing.highlight import highlight
from framing.lexicon import Lexicon, read_lexicons
from framing.match import match_corpus
from framing.profile import profile_articles, profile_outlets

KEY = ["article_id", "entry_id", "start_char", "end_char", "voice"]


def hit_set(hits: pd.DataFrame) -> set[tuple[object, ...]]:
    return set(hits[KEY].itertuples(index=False, name=None))


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return read_lexicons()


@pytest.fixture(scope="module")
def sample_frame() -> pd.DataFrame:
    """The sample corpus as a notebook user has it: the JSONL records in a DataFrame."""
    lines = sample_corpus_path().read_text(encoding="utf-8").splitlines()
    return pd.DataFrame([json.loads(line) for line in lines if line.strip()])


def test_accessor_is_registered() -> None:
    assert isinstance(pd.DataFrame().framing, framing.accessor.FramingAccessor)


def test_analyze_gives_the_hits_and_profiles_of_match_corpus(
    sample_frame: pd.DataFrame, lexicon: Lexicon
) -> None:
    result = sample_frame.framing.analyze(id="id", lexicon=lexicon, n_boot=100, seed=3)
    expected = match_corpus(read_corpus(sample_corpus_path()), lexicon)
    assert hit_set(result.matches) == hit_set(expected.hits)
    assert len(result.matches) > 500
    assert result.articles["article_id"].tolist() == sample_frame["id"].tolist()
    assert result.articles["n_tokens"].tolist() == expected.articles["n_tokens"].tolist()
    assert result.articles["title"].tolist() == sample_frame["title"].tolist()
    profiles = profile_articles(expected)
    pd.testing.assert_frame_equal(result.article_profiles, profiles)
    pd.testing.assert_frame_equal(
        result.outlet_profiles,
        profile_outlets(profiles, expected.articles, n_boot=100, seed=3),
    )
    assert set(result.concept_shares["outlet"]) == set(sample_frame["outlet"])
    assert result.lexicon is lexicon
    n_hits = len(result.matches)
    assert repr(result) == f"FrameAnalysis(84 articles, 84 analysed, {n_hits} hits, 4 outlets)"


def test_index_ids_missing_texts_and_duplicates(write_lexicon: Callable[..., Path]) -> None:
    frame = pd.DataFrame(
        {
            "body": ["The Kiev regime spoke.", np.nan, "Troops liberated a town.", "The regime."],
            "doc": ["a", "b", "c", "a"],
        },
        index=["x", "y", "z", "w"],
    )
    path = write_lexicon()
    by_index = frame.framing.analyze(text="body", outlet=None, lexicon=path, n_boot=20)
    assert by_index.articles["article_id"].tolist() == ["x", "y", "z", "w"]
    assert by_index.articles["status"].tolist() == ["ok", "skipped", "ok", "ok"]
    assert "no text" in by_index.articles["message"].iloc[1]
    assert set(by_index.articles["outlet"]) == {""}
    assert by_index.matches.groupby("article_id")["entry_id"].apply(list).to_dict() == {
        "x": ["kiev-regime"],
        "z": ["liberate"],
        "w": ["regime"],
    }
    with pytest.raises(CorpusError, match=r"duplicate id 'a' at DataFrame row 'w'"):
        frame.framing.corpus(text="body", outlet=None, id="doc")
    by_column = frame.framing.analyze(
        text="body", outlet=None, id="doc", lexicon=[path], dedupe_ids=True, n_boot=20
    )
    assert by_column.articles["status"].tolist() == ["ok", "skipped", "ok", "skipped"]
    assert "duplicate id 'a'" in by_column.articles["message"].iloc[3]
    assert set(by_column.matches["article_id"]) == {"a", "c"}


def test_rows_are_checked_like_records_of_a_file() -> None:
    german = (
        "Die Regierung hat am Montag neue Regeln für die Schulen der Stadt beschlossen, und die "
        "Eltern sollen bis zum Ende des Monats eine Antwort auf ihre Fragen bekommen."
    )
    frame = pd.DataFrame({"text": [german, "A short English note about the regime.", "   "]})
    corpus = frame.framing.corpus(outlet=None)
    assert corpus["status"].tolist() == ["skipped", "ok", "skipped"]
    assert "language 'de'" in corpus["message"].iloc[0]
    assert corpus["message"].iloc[2] == "empty text"
    short = frame.framing.corpus(outlet=None, language=None, max_chars=30)
    assert short["status"].tolist() == ["skipped", "skipped", "skipped"]
    assert "over the limit of 30" in short["message"].iloc[1]
    kept = frame.framing.corpus(outlet=None, language=None)
    assert kept["status"].tolist() == ["ok", "ok", "skipped"]


def test_missing_columns_are_named() -> None:
    frame = pd.DataFrame({"body": ["A text."], "source": ["Outlet"]})
    with pytest.raises(CorpusError, match=r"no text column 'text'.*'body', 'source'"):
        frame.framing.analyze()
    with pytest.raises(CorpusError, match=r"no outlet column 'outlet'.*outlet=None"):
        frame.framing.analyze(text="body")
    with pytest.raises(CorpusError, match=r"no id column 'doc_id'"):
        frame.framing.corpus(text="body", outlet="source", id="doc_id")


def test_highlight_delegates_by_index_label(write_lexicon: Callable[..., Path]) -> None:
    lexicon = read_lexicons([write_lexicon()])
    frame = pd.DataFrame(
        {"text": ["Nothing here.", "“The regime is finished,” Orlov said."]}, index=[10, 20]
    )
    page = frame.framing.highlight(20, lexicon=lexicon, compare_with_sample=False)
    direct = highlight(frame.loc[20, "text"], lexicon, compare_with_sample=False)
    assert page.text == frame.loc[20, "text"]
    pd.testing.assert_frame_equal(page.hits, direct.hits)
    assert page.hits["voice"].tolist() == ["quoted"]
    with pytest.raises(KeyError):
        frame.framing.highlight(0, lexicon=lexicon)
    with pytest.raises(CorpusError, match="no text"):
        pd.DataFrame({"text": [None]}).framing.highlight(0, lexicon=lexicon)


def test_result_is_a_frame_analysis(write_lexicon: Callable[..., Path]) -> None:
    frame = pd.DataFrame({"text": ["The Kiev regime."], "outlet": ["North"]})
    result = frame.framing.analyze(lexicon=write_lexicon(), n_boot=10)
    assert isinstance(result, FrameAnalysis)
    assert result.outlet_profiles["outlet"].unique().tolist() == ["North"]
