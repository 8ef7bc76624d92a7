"""Matching: overlap policy, lemma and case modes, exclusions, normalisation, offsets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import base_lexicon, entry
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.lexicon import Lexicon, read_lexicons
from framing.match import OVERLAP_POLICY, match_corpus, normalize_text
from framing.nlp import make_nlp


def hits_in(text: str, lexicon: Lexicon) -> list[tuple[str, str]]:
    corpus = pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "text": [text]})
    hits = match_corpus(corpus, lexicon).hits
    return list(zip(hits["entry_id"], hits["text"], strict=True))


@pytest.fixture
def toy(write_lexicon: Callable[..., Path]) -> Lexicon:
    return read_lexicons([write_lexicon()])


def test_match_longest_wins_within_lexicon(toy: Lexicon) -> None:
    assert OVERLAP_POLICY == "longest-per-lexicon"
    found = hits_in("The Kiev regime fell. The regime in Kiev did not.", toy)
    assert found == [("kiev-regime", "Kiev regime"), ("regime", "regime"), ("kiev", "Kiev")]


def test_match_overlaps_across_lexicons_both_count(write_lexicon: Callable[..., Path]) -> None:
    other = base_lexicon(lexicon="other", concepts={}, stances={})
    other["entries"] = [entry("regime-2", patterns=["regime"], category="legitimacy")]
    lex = read_lexicons([write_lexicon(), write_lexicon(other)])
    assert sorted(hits_in("the Kiev regime", lex)) == [
        ("kiev-regime", "Kiev regime"),
        ("regime-2", "regime"),
    ]


@pytest.mark.parametrize("word", ["liberated", "Liberating", "LIBERATES", "liberate"])
def test_match_lemma_hits_inflections(toy: Lexicon, word: str) -> None:
    assert hits_in(f"Troops {word} the town.", toy) == [("liberate", word)]


def test_match_lemma_inflects_phrases(toy: Lexicon) -> None:
    assert hits_in("Both Kiev regimes were named.", toy) == [("kiev-regime", "Kiev regimes")]


def test_match_lower_is_case_insensitive_exact_is_not(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"].append(
        entry("smo", patterns=["special military operation"], category="euphemism")
    )
    lex = read_lexicons([write_lexicon(data)])
    assert hits_in("The Special Military Operation began.", lex) == [
        ("smo", "Special Military Operation")
    ]
    assert hits_in("KIEV and kiev are not the exact spelling.", lex) == []


def test_match_exclusion_drops_hit(toy: Lexicon) -> None:
    assert hits_in("A tougher sanctions regime starts today.", toy) == []
    assert hits_in("Sanctions regimes vary; the regime fell.", toy) == [("regime", "regime")]


def test_match_token_pattern_with_lemma(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"].append(
        entry(
            "ru-liberated",
            category="euphemism",
            stance=["ru-state"],
            patterns=[[{"LOWER": "russian"}, {"LOWER": "forces"}, {"LEMMA": "liberate"}]],
        )
    )
    lex = read_lexicons([write_lexicon(data)])
    assert hits_in("Russian forces liberated two villages.", lex) == [
        ("ru-liberated", "Russian forces liberated")
    ]
    assert hits_in("Ukrainian forces liberated two villages.", lex) == [("liberate", "liberated")]


@pytest.mark.parametrize(
    "text", ["the Kiev\nregime", "the Kiev  regime", "the Kiev\u00a0regime", "the Kiev\t \n regime"]
)
def test_match_normalises_whitespace(toy: Lexicon, text: str) -> None:
    [(entry_id, hit)] = hits_in(text, toy)
    assert entry_id == "kiev-regime" and hit.startswith("Kiev") and hit.endswith("regime")


def test_match_normalises_curly_apostrophes(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"].append(entry("putins-war", patterns=["Putin's war"], category="legitimacy"))
    lex = read_lexicons([write_lexicon(data)])
    assert hits_in("It is Putin’s war now.", lex) == [("putins-war", "Putin’s war")]


def test_match_keeps_every_article_and_counts_tokens(toy: Lexicon) -> None:
    corpus = pd.DataFrame(
        {
            "article_id": ["a", "b"],
            "outlet": ["o", "o"],
            "text": ["One, two three.", "Kiev"],
            "status": ["ok", "ok"],
            "message": ["", ""],
        }
    )
    m = match_corpus(corpus, toy)
    assert m.articles["n_tokens"].tolist() == [3, 1]
    assert m.hits["article_id"].tolist() == ["b"]


words = st.sampled_from(
    ["Kiev", "regime", "Regimes", "liberated", "sanctions", "the", "Kyiv", "war", "’s", "a"]
)
gaps = st.sampled_from([" ", "  ", "\n", "\n\n", " \t", "\u00a0", ", ", "“", "” ", ". "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(words, gaps), min_size=1, max_size=30))
def test_match_offsets_slice_back_to_hit(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    hits = match_corpus(
        pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "text": [text]}), TOY
    ).hits
    rows = hits[["start_char", "end_char", "text", "lexicon"]].itertuples(index=False)
    for start, end, hit, lexicon in rows:
        assert text[start:end] == hit
        assert hit == hit.strip() and hit
        if lexicon == "voice":
            continue  # scare quotes: checked in test_voice
        assert normalize_text(hit)[0].lower().split()[0] in {
            "kiev",
            "regime",
            "regimes",
            "liberated",
            "kyiv",
        }


TOY: Any = None


@pytest.fixture(autouse=True, scope="module")
def _toy_for_hypothesis(tmp_path_factory: pytest.TempPathFactory) -> None:
    import yaml

    global TOY
    path = tmp_path_factory.mktemp("lex") / "toy.yaml"
    path.write_text(yaml.safe_dump(base_lexicon(), sort_keys=False), encoding="utf-8")
    TOY = read_lexicons([path])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab  \n\t\u00a0’“”x")), max_size=60))
def test_match_normalize_maps_every_char_back(text: str) -> None:
    norm, offsets = normalize_text(text)
    assert "  " not in norm
    for i, ch in enumerate(norm):
        original = text[offsets.to_original(i)]
        assert normalize_text(original)[0] == ch or (ch == " " and original.isspace())


def test_pipeline_rebuilt_when_vocabulary_grows_gives_identical_output(
    write_lexicon: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framing import match
    from framing.analyze import OUTPUT_FILES, analyze
    from framing.corpus import sample_corpus_path

    lexicon = read_lexicons([write_lexicon()])
    matcher = match.LexiconMatcher(lexicon, make_nlp())
    assert match.renewed(matcher) is matcher
    monkeypatch.setattr(match, "MAX_STRINGS", 0)
    fresh = match.renewed(matcher)
    again = match.renewed(fresh)
    assert fresh.nlp is not matcher.nlp and again.nlp is not fresh.nlp
    assert len(again.nlp.vocab.strings) < len(matcher.nlp.vocab.strings) + 1000
    monkeypatch.setattr(match, "MAX_STRINGS", 10**9)
    assert match.renewed(again) is again
    assert again._cached is not None
    again._cached.forgotten = match.MAX_FORGOTTEN + 1  # words learnt only for their block
    assert match.renewed(again) is not again
    monkeypatch.setattr(match, "MAX_STRINGS", 0)

    kept = analyze([sample_corpus_path()], tmp_path / "a", lexicon=lexicon, chunk_size=10,
                   n_boot=50, progress=False)  # fmt: skip
    monkeypatch.undo()
    rebuilt_never = analyze([sample_corpus_path()], tmp_path / "b", lexicon=lexicon,
                            chunk_size=10, n_boot=50, progress=False)  # fmt: skip
    assert kept.n_hits == rebuilt_never.n_hits > 0
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (
            tmp_path / "b" / f"{name}.csv"
        ).read_bytes()


def test_matching_in_passing_blocks_gives_identical_output(
    write_lexicon: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spacy.language import Language

    from framing import nlp
    from framing.analyze import OUTPUT_FILES, analyze
    from framing.corpus import sample_corpus_path

    lexicon = read_lexicons([write_lexicon()])
    zones = []
    memory_zone = Language.memory_zone
    monkeypatch.setattr(Language, "memory_zone", lambda self: zones.append(1) or memory_zone(self))
    monkeypatch.setattr(nlp, "SETTLED_CHUNKS", 200)  # new words soon last only for their chunk
    passing = analyze([sample_corpus_path()], tmp_path / "a", lexicon=lexicon, chunk_size=10,
                      n_boot=50, progress=False)  # fmt: skip
    assert len(zones) > 3
    monkeypatch.undo()
    kept = analyze([sample_corpus_path()], tmp_path / "b", lexicon=lexicon, chunk_size=10,
                   n_boot=50, progress=False)  # fmt: skip
    assert passing.n_hits == kept.n_hits > 0
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / f"{name}.csv").read_bytes() == (
            tmp_path / "b" / f"{name}.csv"
        ).read_bytes()


def _anchoring_changes_nothing(texts: list[str]) -> int:
    """Match `texts` with token patterns run around their anchor words and over whole texts;
    assert the same hits, and return how many there were."""
    from framing.match import LexiconMatcher

    lexicon = read_lexicons()
    nlp = make_nlp.__wrapped__(None)
    windowed, whole = LexiconMatcher(lexicon, nlp), LexiconMatcher(lexicon, nlp, anchored=False)
    assert windowed._anchored and not whole._anchored
    n = 0
    for text in texts:
        doc = nlp.make_doc(normalize_text(text)[0])
        found = windowed.find(doc)
        assert found == whole.find(doc), text[:80]
        n += len(found)
    return n


def test_token_patterns_around_anchor_words_find_what_whole_texts_do() -> None:
    entries = read_lexicons().entries
    texts = [t for e in entries for t in (*e.hit_examples, *e.miss_examples)]
    assert _anchoring_changes_nothing(texts) >= len([t for e in entries for t in e.hit_examples])


@pytest.mark.shared
def test_token_patterns_around_anchor_words_on_real_news(shared: Path) -> None:
    import json

    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    with (shared / "data" / "ptc-train.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line).get("text", "") for line in fh]
    assert len(texts) > 300
    assert _anchoring_changes_nothing(texts) > 100
