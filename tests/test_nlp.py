"""The chunk-cached tokenizer gives spaCy's own tokens, from its cache once a chunk is known."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LIKE_NUM, LOWER, ORTH, SHAPE

from framing.match import normalize_text
from framing.nlp import ChunkCachedTokenizer, make_nlp

ATTRS = [ORTH, LOWER, IDX, IS_PUNCT, IS_SPACE, LIKE_NUM, SHAPE]

# Our own sentences, chosen for what spaCy's tokenizer does specially: contractions and special
# cases ("'s", "Dr.", "can't", "cannot"), abbreviations, hyphens and dashes, numbers and units,
# URLs and e-mails, emoticons, brackets and quotes, and a word no one has seen.
TRICKY = [
    "Dr. Vell's aides can't say; they cannot, won't and didn't (so far).",
    "The U.S. and the E.U. met at 10 a.m. on Jan. 5th -- about 3.5km from St. Orm's gate.",
    'Officials called it a "so-called operation" — and a well-known, anti-war voice said "no."',
    "See https://example.org/a-b?c=1 or write to desk@example.org :) or :-( ...",
    "Prices rose 12% to $4,500/month in mid-2024; the co-op's 2nd-largest 'members' left!",
    "Zorblax-7 quuxified the flimflam: Ms. Harrow's 'special' (sic) report…",
]


def tokens(doc: Any) -> tuple[Any, ...]:
    return doc.text, doc.to_array(ATTRS).tolist(), [t.whitespace_ for t in doc]


@pytest.fixture
def fresh_nlp() -> Any:
    return make_nlp.__wrapped__(None)  # a vocabulary of its own: nothing cached from other tests


def test_same_tokens_as_spacy_on_tricky_text_first_and_second_time(fresh_nlp: Any) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp)
    for text in TRICKY:
        text = normalize_text(text)[0]
        expected = tokens(fresh_nlp.tokenizer(text))
        assert tokens(cached(text)) == expected  # learns the chunks
        assert tokens(cached(text)) == expected  # from the cache


def test_a_known_text_is_built_from_the_cache_without_spacys_tokenizer(fresh_nlp: Any) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp)
    calls: list[str] = []
    tokenizer = cached.tokenizer
    cached.tokenizer = lambda text: calls.append(text) or tokenizer(text)  # type: ignore[assignment]
    cached(TRICKY[0])
    assert len(calls) == 1  # the unknown chunks, in one call
    cached(TRICKY[0])
    cached(" ".join(reversed(TRICKY[0].split(" "))))  # the same chunks in another order
    assert len(calls) == 1
    # Words of learnt chunks are in the vocabulary, so Docs don't remake their lexemes.
    assert "Vell" in fresh_nlp.vocab and "quuxified" not in fresh_nlp.vocab


@pytest.mark.parametrize(
    "text",
    ["", "  leading and trailing  ", "double  space", "line\nbreak", "tab\there", "odd\u2028space"],
)
def test_irregular_whitespace_goes_to_spacy_unchanged(fresh_nlp: Any, text: str) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp)
    assert tokens(cached(text)) == tokens(fresh_nlp.tokenizer(text))


def test_a_full_cache_starts_afresh_and_stays_right(fresh_nlp: Any) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp, max_chunks=12)
    for text in TRICKY * 2:
        text = normalize_text(text)[0]
        assert tokens(cached(text)) == tokens(fresh_nlp.tokenizer(text))
        assert len(cached._records) <= max(12, len(set(text.split(" "))))


@pytest.mark.parametrize("max_chunks", [250_000, 12])
def test_a_batch_learns_the_new_chunks_of_all_its_texts_in_one_call(
    fresh_nlp: Any, max_chunks: int
) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp, max_chunks=max_chunks)
    calls: list[str] = []
    tokenizer = cached.tokenizer
    cached.tokenizer = lambda text: calls.append(text) or tokenizer(text)  # type: ignore[assignment]
    # Texts sharing chunks, and one with a double space (spaCy's tokenizer takes it whole).
    texts = [normalize_text(t)[0] for t in TRICKY] + [TRICKY[0], "double  space"]
    got = [tokens(doc) for doc, _ in cached.pipe(texts, batch_size=len(texts))]
    assert got == [tokens(fresh_nlp.tokenizer(t)) for t in texts]
    assert len(calls) == 2  # the new chunks of all the texts, then the double-spaced one
    # With a cache that fills up (12 chunks), the next batch starts it afresh, and stays right.
    again = [tokens(doc) for doc, _ in cached.pipe(texts[::-1], batch_size=3)]
    assert again == got[::-1]


@pytest.mark.shared
def test_same_tokens_as_spacy_on_real_news(shared: Path) -> None:
    nlp = make_nlp.__wrapped__(None)
    cached = ChunkCachedTokenizer(nlp)
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    with (shared / "data" / "ptc-train.jsonl").open(encoding="utf-8") as fh:
        texts += [json.loads(line).get("text", "") for line in fh]
    assert len(texts) > 300
    for text in texts + texts:  # learning, then from the cache
        text = normalize_text(text)[0]
        expected, got = nlp.tokenizer(text), cached(text)
        assert got.text == expected.text
        assert np.array_equal(got.to_array(ATTRS), expected.to_array(ATTRS))


def test_passing_blocks_give_spacys_tokens_and_forget_words_seen_once(fresh_nlp: Any) -> None:
    cached = ChunkCachedTokenizer(fresh_nlp, settled_chunks=1)
    cached(normalize_text(TRICKY[0])[0])  # settled: new words now last only for their block
    sizes = []
    for i in range(12):
        with cached.passing():
            for text in TRICKY:
                # Two words no other block has, and a word all blocks share.
                text = normalize_text(f"{text} Glorpwick{i} zentha{i}x again-and-again")[0]
                assert tokens(cached(text)) == tokens(fresh_nlp.tokenizer(text))
        sizes.append(len(fresh_nlp.vocab.strings))
    assert "Glorpwick3" not in fresh_nlp.vocab.strings and "zentha3x" not in fresh_nlp.vocab.strings
    # Chunks seen in two blocks are learnt for good (after the second); then nothing grows.
    assert "quuxified" in fresh_nlp.vocab and "again-and-again" in cached._records
    assert sizes[0] < sizes[1] == sizes[-1]
    assert cached.forgotten >= 2 * 12  # two new words a block, at least
    text = normalize_text(TRICKY[5])[0]
    assert tokens(cached(text)) == tokens(fresh_nlp.tokenizer(text))
