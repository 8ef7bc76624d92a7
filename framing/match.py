"""Match lexicon entries with spaCy's matchers; hits keep offsets into the original text.

Overlap policy ``longest-per-lexicon``: inside one lexicon, overlapping candidate hits are resolved
by keeping the longest (in tokens), then the leftmost, then the entry listed first; so "regime"
inside "Kiev regime" counts once, as "Kiev regime". Hits of different lexicons may overlap.
Exclusions run first: a hit of an entry is dropped where one of that entry's ``exclude`` patterns
matches a span overlapping it ("sanctions regime" drops the "regime" inside it).
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import itertools
import multiprocessing
import os
import pickle
import re
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.lexicon import Entry, Lexicon, Pattern, read_lexicons
from framing.nlp import ChunkCachedTokenizer, lemma_forms, make_nlp
from framing.voice import SCARE_QUOTE, SO_CALLED, QuoteSpan, assign_voices, find_quotes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "ARTICLE_COLUMNS",
    "CONTEXT_CHARS",
    "HIT_COLUMNS",
    "OVERLAP_POLICY",
    "LexiconMatcher",
    "Matches",
    "iter_matches",
    "iter_matches_parallel",
    "match_corpus",
    "matching_pool",
    "normalize_text",
    "renewed",
]

OVERLAP_POLICY = "longest-per-lexicon"
HIT_COLUMNS = [
    "article_id",
    "outlet",
    "lexicon",
    "entry_id",
    "category",
    "concept",
    "start_char",
    "end_char",
    "text",
    "voice",
    "speaker",
    "weight",
    "stance",
    "left",
    "right",
]
CONTEXT_CHARS = 80  # characters of context kept on each side of a hit, for reading hits (KWIC)
ARTICLE_COLUMNS = ["article_id", "outlet", "n_tokens", "status", "message"]

# Curly quotes and exotic spaces become their plain forms one-for-one, so offsets stay valid.
_PLAIN_CHAR = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00a0": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\t": " ",
    "\n": " ",
    "\r": " ",
    "\f": " ",
    "\v": " ",
}
_SPACE_RUN = re.compile("   *")  # two or more: a literal two-space prefix makes re search fast
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace but a space
_QUOTE_CHARS = "\"'“”„‟«»‘’‹›"
# Token-pattern keys that the tokenizer alone sets; any other key needs the full pipeline.
_LEXICAL_KEYS = {
    "ORTH",
    "TEXT",
    "LOWER",
    "NORM",
    "LENGTH",
    "SHAPE",
    "OP",
    "LEMMA",
    "IS_ALPHA",
    "IS_ASCII",
    "IS_DIGIT",
    "IS_LOWER",
    "IS_UPPER",
    "IS_TITLE",
    "IS_PUNCT",
    "IS_SPACE",
    "IS_STOP",
    "LIKE_NUM",
    "LIKE_URL",
    "LIKE_EMAIL",
    "PREFIX",
    "SUFFIX",
}


@dataclass(frozen=True)
class OffsetMap:
    """Maps character positions in a normalised text back to the original text."""

    starts: tuple[int, ...]  # positions in the normalised text where a new shift begins
    shifts: tuple[int, ...]  # characters removed before that position

    def to_original(self, pos: int) -> int:
        return pos + self.shifts[bisect.bisect_right(self.starts, pos) - 1]


_IDENTITY = OffsetMap((0,), (0,))


def normalize_text(text: str) -> tuple[str, OffsetMap]:
    """Plain quotes and single spaces, for matching; with the map back to original offsets.

    "Putin’s war", "Kiev\\nregime" and "Kiev  regime" all match their plain patterns this way.
    """
    # A str.replace per character present: ~5x faster than a regex pass with a lookup, which
    # is ~10x faster than str.translate on non-ASCII text.
    plain = text
    for char, replacement in _PLAIN_CHAR.items():
        if char in plain:
            plain = plain.replace(char, replacement)
    if "  " not in plain:
        return plain, _IDENTITY
    starts, shifts, pieces = [0], [0], []
    last, removed = 0, 0
    for run in _SPACE_RUN.finditer(plain):
        start, end = run.span()
        pieces.append(plain[last : start + 1])
        removed += end - start - 1
        last = end
        starts.append(end - removed)
        shifts.append(removed)
    pieces.append(plain[last:])
    return "".join(pieces), OffsetMap(tuple(starts), tuple(shifts))


MAX_TOKEN_PATTERN_PHRASES = 3_000  # a token pattern with more variants stays on the Matcher
MAX_REPEAT = 2  # "*" and "+" repeat a token at most this many times (see lexicons/README.md)


def _bounded_repeats(pattern: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rewrite "*" as up to MAX_REPEAT optional copies and "+" as one copy plus optional ones.

    News phrases never need more, and bounded patterns are finite sets of phrases that the
    PhraseMatcher finds many times faster than the Matcher.
    """
    out: list[dict[str, Any]] = []
    for token in pattern:
        op = token.get("OP")
        if op not in ("*", "+"):
            out.append(dict(token))
            continue
        base = {k: v for k, v in token.items() if k != "OP"}
        required = 1 if op == "+" else 0
        out += [dict(base) for _ in range(required)]
        out += [{**base, "OP": "?"} for _ in range(MAX_REPEAT - required)]
    return out


def _expand_token_pattern(pattern: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Bound repeats and replace LEMMA by LOWER-in-forms, so no lemmatiser runs at match time."""
    out = []
    for token in _bounded_repeats(pattern):
        spec = dict(token)
        if "LEMMA" in spec:
            value = spec.pop("LEMMA")
            words = [value] if isinstance(value, str) else value.get("IN", [])
            if isinstance(value, str) or set(value) == {"IN"}:
                spec["LOWER"] = {"IN": sorted(set().union(*(lemma_forms(w) for w in words)))}
            else:
                spec["LEMMA"] = value  # NOT_IN, REGEX, …: keep; the lemmatiser will run
        out.append(spec)
    return out


STAR_REACH = 8  # tokens that a "*" or "+" token of an anchored pattern may span


def _pattern_reach(pattern: Sequence[Mapping[str, Any]]) -> int:
    """How many tokens a match can span; "*" and "+" count as STAR_REACH (a documented limit)."""
    return sum(STAR_REACH if t.get("OP") in ("*", "+") else 1 for t in pattern)


_COMMON_MARKS = set(".,;:!?\"'()[]-–—") | {"'s", "n't", "...", "--"}


def _anchor_words(
    pattern: Sequence[Mapping[str, Any]], topical: Mapping[str, int] | None = None
) -> list[str]:
    """The rarest required word(s) of a token pattern, or [] if every token may be absent.

    A token pattern only matches near one of these words, so its Matcher runs on windows around
    them (as wide as the pattern can reach) instead of on every token of every article. Any
    required word gives the same hits; the choice only decides how many windows there are.
    Rarest is guessed without a corpus: stop words and punctuation are everywhere, and a word
    that many of the lexicon's entries mention (`topical`: "russia", "ukraine" in a lexicon of
    that war) is the topic, so frequent in the corpora the lexicon is made for.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    topical = topical or {}

    def cost(words: list[str]) -> tuple[int, int, int]:
        # A stop word or a comma would put a window around most of every article ("#" not).
        common = sum(w in STOP_WORDS or w in _COMMON_MARKS for w in words)
        return common, sum(topical.get(w, 0) for w in words), len(words)

    return min(_required_words(pattern), key=cost, default=[])


def _required_words(pattern: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Per token that every match of a token pattern has (its OP absent or "+") and whose words
    the pattern lists (LOWER or ORTH, a string or an IN list): those words in lower case."""
    required = []
    for token in pattern:
        if token.get("OP") not in (None, "+"):
            continue
        for attr in ("LOWER", "ORTH"):
            value = token.get(attr)
            if isinstance(value, str):
                required.append([value.lower()])
            elif isinstance(value, dict) and set(value) == {"IN"}:
                required.append(sorted({str(v).lower() for v in value["IN"]}))
    return required


def _topical_words(entries: Iterable[Entry]) -> dict[str, int]:
    """How many entries mention each word (in phrases or in token patterns' word lists)."""
    counts: dict[str, int] = {}
    for entry in entries:
        words: set[str] = set()
        for pattern in entry.patterns:
            if isinstance(pattern, str):
                words.update(pattern.lower().split())
                continue
            for token in pattern:
                for attr in ("LOWER", "ORTH"):
                    value = token.get(attr)
                    if isinstance(value, str):
                        words.add(value.lower())
                    elif isinstance(value, dict) and set(value) == {"IN"}:
                        words.update(str(v).lower() for v in value["IN"])
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    return counts


def _token_pattern_as_phrases(
    pattern: Sequence[Mapping[str, Any]], limit: int
) -> list[tuple[str, ...]] | None:
    """The lower-case phrases a simple token pattern matches, or None if it is not simple.

    Simple: every token constrains only LOWER (a string or an IN list), or ORTH of a non-letter,
    and its OP is absent or "?". Such a pattern is a finite set of phrases.
    """
    options: list[list[str | None]] = []
    for token in pattern:
        keys = set(token) - {"OP"}
        op = token.get("OP")
        if op not in (None, "?") or len(keys) != 1:
            return None
        (attr,) = keys
        value = token[attr]
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return None
            values = [str(v) for v in value["IN"]]
        else:
            values = [str(value)]
        if attr == "ORTH" and any(v.lower() != v.upper() for v in values):
            return None  # case-sensitive letters: keep the Matcher
        if attr not in ("LOWER", "ORTH"):
            return None
        words: list[str | None] = [v.lower() for v in values]
        options.append([*words, None] if op == "?" else words)
    if int(np.prod([len(o) for o in options])) > limit:
        return None
    phrases = {tuple(w for w in combo if w is not None) for combo in itertools.product(*options)}
    return sorted(p for p in phrases if p)


class LexiconMatcher:
    """A lexicon compiled to a spaCy PhraseMatcher and Matchers for one pipeline's vocabulary.

    Phrase patterns go to one PhraseMatcher on LOWER: ``match: lemma`` ones expanded at build
    time to every surface form that shares the lemma of each word (see
    `framing.nlp.lemma_forms`), ``match: exact`` ones checked against their ORTH ids after.
    Token patterns that are finite sets of phrases go there too; the others to Matchers, run
    around their rarest required word.
    """

    def __init__(
        self, lexicon: Lexicon, nlp: Language, *, max_variants: int = 512, anchored: bool = True
    ) -> None:
        from spacy.matcher import Matcher, PhraseMatcher

        self.lexicon = lexicon
        self.anchored = anchored
        self.nlp = nlp
        self.entries: tuple[Entry, ...] = lexicon.entries
        self.max_variants = max_variants
        vocab = nlp.vocab
        # Hits, exclusions and anchor words share one PhraseMatcher per attribute: a call scans
        # every token of the article, so one call does the work of three.
        self._lower = PhraseMatcher(vocab, attr="LOWER")
        # ``match: exact`` phrases go to `_lower` too, under keys of their own, and a hit counts
        # if its tokens' ORTH ids are one of the phrases' (a second PhraseMatcher, on ORTH,
        # would scan every token of every article again: ~15% of matching time).
        self._exact: dict[str, set[tuple[int, ...]]] = {}
        self._unanchored = Matcher(vocab)  # token patterns every token of which may be absent
        # Token patterns with an anchor word: a Matcher per anchor-word set (keyed by its key in
        # `_lower`), run only on windows around those words, as far as its patterns reach.
        self._anchored: dict[int, Any] = {}
        self._reach: dict[int, int] = {}
        # Per anchor-word set, per pattern: the lower-case ids of each token it requires. A
        # Matcher call costs ~15 µs however short the window, and most anchor words stand
        # without the rest of their pattern: a set test skips those windows.
        self._required: dict[int, list[list[frozenset[int]]]] = {}
        self._needs_pipeline = False
        self._uses_norm = False
        self._topical = _topical_words(self.entries)
        for i, entry in enumerate(self.entries):
            self._add(f"h{i}", entry.patterns, entry.match)
            if entry.exclude:
                # Exclusions ignore case even for exact entries: "Chicken Kiev" and "chicken Kiev".
                mode = "lower" if entry.match == "exact" else entry.match
                self._add(f"x{i}", entry.exclude, mode)
        # Matcher key -> (entry index, whether it is the entry's exclusion, and for an exact
        # phrase the ORTH ids that its words must have)
        self._keys: dict[int, tuple[int, bool, set[tuple[int, ...]] | None]] = {}
        for i in range(len(self.entries)):
            for name in (f"h{i}", f"x{i}", f"exact:h{i}"):
                if name in vocab.strings:
                    self._keys[vocab.strings[name]] = (i, name[0] == "x", self._exact.get(name))
        from spacy.tokenizer import Tokenizer

        # The cached tokenizer leaves special cases' token NORM to the lexeme (see its docs).
        cacheable = type(nlp.tokenizer) is Tokenizer and not self._uses_norm
        self._cached = ChunkCachedTokenizer(nlp) if cacheable else None

    def tokenize_all(self, texts: Iterable[str]) -> Iterator[tuple[Doc, np.ndarray | None]]:
        """The Doc of each normalised text and, if the chunk cache made it, its token records
        (`framing.nlp.TOKEN_RECORD`); else None."""
        if self._cached is not None:
            return self._cached.pipe(texts)
        return ((self.nlp.make_doc(text), None) for text in texts)

    @property
    def forgotten(self) -> int:
        """Tokens learnt only for their `passing` block (see `renewed`)."""
        return self._cached.forgotten if self._cached is not None else 0

    def passing(self) -> contextlib.AbstractContextManager[None]:
        """A block (a corpus chunk) whose Docs are used only inside it: the words first seen in
        it may be forgotten when it ends (`framing.nlp.ChunkCachedTokenizer.passing`)."""
        if self._cached is not None:
            return self._cached.passing()
        return contextlib.nullcontext()

    def _lower_ids(self, words: Iterable[str]) -> list[int]:
        """A phrase as the PhraseMatcher on LOWER keeps it: the ids of its lower-case words.

        spaCy's PhraseMatcher takes these in place of a Doc (what it turns a Doc into); making
        some 30,000 Docs for the bundled lexicons' variants took half the build time.
        """
        return [self.nlp.vocab.strings.add(w.lower()) for w in words]

    def _phrase_docs(self, phrase: str, mode: str) -> list[Any]:
        """The phrase's Doc, or for ``match: lemma`` its variants' `_lower_ids`."""
        doc = self.nlp.make_doc(normalize_text(phrase)[0])
        if mode != "lemma":
            return [doc]
        # Only words inflect: "'s", "n't" and punctuation stay as written.
        options = [sorted(lemma_forms(t.text)) if t.is_alpha else [t.lower_] for t in doc]
        n = int(np.prod([len(o) for o in options]))
        if n > self.max_variants:  # keep the build bounded: inflect only the last word
            options = [[t.lower_] for t in doc[:-1]] + [options[-1]]
        return [self._lower_ids(words) for words in itertools.product(*options)]

    def _add(self, key: str, patterns: Iterable[Pattern], mode: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, str):
                docs = self._phrase_docs(pattern, mode)
                if mode == "exact":
                    self._exact.setdefault(f"exact:{key}", set()).add(
                        tuple(t.orth for t in docs[0])
                    )
                    self._lower.add(f"exact:{key}", docs)
                else:
                    self._lower.add(key, docs)
                continue
            expanded = _expand_token_pattern(pattern)
            phrases = _token_pattern_as_phrases(expanded, MAX_TOKEN_PATTERN_PHRASES)
            if phrases is not None:
                # Same hits through the PhraseMatcher, which is many times faster.
                variants: list[Any] = [self._lower_ids(p) for p in phrases]
                self._lower.add(key, variants)
                continue
            keys = {k for t in expanded for k in t}
            self._needs_pipeline |= not keys <= _LEXICAL_KEYS
            self._uses_norm |= "NORM" in keys
            # anchored=False: token patterns scan whole articles (the reference the tests use)
            anchor = _anchor_words(expanded, self._topical) if self.anchored else []
            if not anchor:
                self._unanchored.add(key, [expanded])
                continue
            name = "anchor:" + "|".join(anchor)
            anchor_key = self.nlp.vocab.strings.add(name)
            if anchor_key not in self._anchored:
                from spacy.matcher import Matcher

                words: list[Any] = [self._lower_ids([w]) for w in anchor]
                self._lower.add(name, words)
                self._anchored[anchor_key] = Matcher(self.nlp.vocab)
            self._reach[anchor_key] = max(self._reach.get(anchor_key, 1), _pattern_reach(expanded))
            self._anchored[anchor_key].add(key, [expanded])
            self._required.setdefault(anchor_key, []).append(
                [frozenset(self._lower_ids(words)) for words in _required_words(expanded)]
            )

    def unneeded_components(self) -> list[str]:
        """Pipeline components matching can skip: all but those that patterns or speakers use.

        Lemma patterns are expanded at build time, so the tokenizer is enough for most lexicons.
        A trained pipeline's entity recogniser (and the embedding layers it listens to) runs
        when present, because speakers are found better with its PERSON/ORG entities.
        """
        if self._needs_pipeline:
            return []
        keep = set()
        for name in self.nlp.pipe_names:
            if "doc.ents" in self.nlp.get_pipe_meta(name).assigns:
                keep.add(name)
        if keep:
            keep |= {n for n in self.nlp.pipe_names if n in ("tok2vec", "transformer")}
        return [n for n in self.nlp.pipe_names if n not in keep]

    @property
    def needs_pipeline(self) -> bool:
        """Whether a pattern needs components beyond the tokenizer (POS, DEP, ENT_TYPE, …)."""
        return self._needs_pipeline

    def find(self, doc: Doc, tokens: np.ndarray | None = None) -> list[tuple[int, int, int]]:
        """Hits in `doc` as (entry index, start token, end token), after exclusions and overlaps.

        `tokens`: the doc's `framing.nlp.TOKEN_RECORD`s if the tokenizer gave them (saves
        reading the ids from the doc: ~30 µs, small beside what a trained pipeline costs).
        """
        from spacy.attrs import LOWER, ORTH

        if tokens is None:
            orths, lowers = doc.to_array([ORTH, LOWER]).reshape(-1, 2).T
        else:
            orths, lowers = tokens["orth"], tokens["lower"]
        found = self._lower(doc)
        if len(self._unanchored):  # an empty spaCy matcher warns on every call
            found += self._unanchored(doc)
        windows: dict[int, list[tuple[int, int]]] = {}
        for key, s, e in found:
            reach = self._reach.get(key)
            if reach is not None:
                windows.setdefault(key, []).append((max(0, s - reach), min(len(doc), e + reach)))
        for key, spans in windows.items():
            # Overlapping windows are merged, so that each match is found once.
            spans.sort()
            merged = [spans[0]]
            for a, b in spans[1:]:
                if a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
            matcher = self._anchored[key]
            for a, b in merged:
                present = set(lowers[a:b].tolist())
                if any(all(not w.isdisjoint(present) for w in p) for p in self._required[key]):
                    found.extend((k, s + a, e + a) for k, s, e in matcher(doc[a:b]))
        raw: list[tuple[int, int, int]] = []
        excluded: dict[int, list[tuple[int, int]]] = {}
        for key, s, e in found:
            kind = self._keys.get(key)
            if kind is None:
                continue  # an anchor word
            i, exclusion, exact = kind
            if exact is not None and tuple(orths[s:e].tolist()) not in exact:
                continue  # an exact phrase's words, written otherwise
            if exclusion:
                excluded.setdefault(i, []).append((s, e))
            else:
                raw.append((i, s, e))
        if not raw:
            return []
        candidates = [
            (i, s, e)
            for i, s, e in raw
            if i not in excluded or not any(s < xe and xs < e for xs, xe in excluded[i])
        ]
        # Longest, then leftmost, then first-listed entry wins inside each lexicon.
        candidates.sort(key=lambda c: (c[1] - c[2], c[1], c[0]))
        taken: dict[str, list[tuple[int, int]]] = {}
        kept = []
        for i, s, e in candidates:
            spans = taken.setdefault(self.entries[i].lexicon, [])
            if any(s < te and ts < e for ts, te in spans):
                continue
            spans.append((s, e))
            kept.append((i, s, e))
        kept.sort(key=lambda c: (c[1], c[2], c[0]))
        return kept


def _distancing_hits(
    quotes: Sequence[QuoteSpan], hits: Sequence[tuple[Entry, int, int]], text: str
) -> list[tuple[Entry, int, int]]:
    """Scare quotes and "so-called" count as distancing even around words in no lexicon.

    A "so-called" that a lexicon entry already matched is not counted twice.
    """
    out = []
    for q in quotes:
        if q.kind != "scare" or not q.closed:
            continue  # an unclosed mark is too likely a misread apostrophe to count
        if text[q.start] in _QUOTE_CHARS:
            out.append((SCARE_QUOTE, q.start, q.end))
        else:
            marker_end = q.start + len("so-called")
            if not any(start < marker_end and q.start < end for _, start, end in hits):
                out.append((SO_CALLED, q.start, marker_end))
    return out


@dataclass(frozen=True)
class Matches:
    """The result of matching: hits, every article with its status and token count, the lexicon.

    Keeping the articles table beside the hits keeps every count with its denominator.
    """

    hits: pd.DataFrame
    articles: pd.DataFrame
    lexicon: Lexicon
    signatures: list[Any] | None = None  # per article: MinHash signature or None (syndication)


def _context(one_line: str, start: int, end: int) -> str:
    """``one_line[start:end]`` with runs of spaces made one: context on one line, for reading.

    `one_line` is the text with every whitespace character made a space (offsets unchanged),
    made once per article; most slices then need no change.
    """
    piece = one_line[max(0, start) : end]
    return _SPACE_RUN.sub(" ", piece) if "  " in piece else piece


def _tokenized(
    matcher: LexiconMatcher, texts: Iterable[str], made: deque[np.ndarray | None]
) -> Iterator[Doc]:
    """Docs of `texts`; each one's token records are appended to `made`, to be taken in step."""
    for doc, records in matcher.tokenize_all(texts):
        made.append(records)
        yield doc


def iter_matches(
    chunks: Iterable[pd.DataFrame],
    matcher: LexiconMatcher,
    *,
    batch_size: int = 128,
    signer: Callable[[np.ndarray], Any] | None = None,
) -> Iterator[Matches]:
    """Match a stream of corpus chunks; yields one `Matches` per chunk, holding nothing back.

    Parameters
    ----------
    chunks
        DataFrames with columns ``article_id, outlet, text, status, message`` (as from
        `framing.corpus.iter_corpus`); rows with status other than ``ok`` pass through unmatched.
    matcher
        The compiled lexicon.
    batch_size
        Texts per `nlp.pipe` batch.
    signer
        Also sign each article for near-duplicate detection from the doc just matched
        (`framing.syndication.MinHashSigner`): `Matches.signatures`.
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER

    from framing.syndication import word_hashes

    nlp = matcher.nlp
    disable = matcher.unneeded_components()
    entries = matcher.entries
    for chunk in chunks:
        ok = (chunk["status"] == "ok").to_numpy()
        texts = chunk["text"].tolist()
        normalised = [
            normalize_text(t) if good else ("", None) for t, good in zip(texts, ok, strict=True)
        ]
        n_tokens = np.zeros(len(chunk), dtype=np.int64)
        rows: list[tuple[Any, ...]] = []
        ids = chunk["article_id"].tolist()
        outlets = chunk["outlet"].tolist()
        ok_positions = np.flatnonzero(ok)
        signatures: list[Any] = [None] * len(chunk)
        # Docs live only in this block: the words met here first may be forgotten after it.
        with matcher.passing():
            made: deque[np.ndarray | None] = deque()  # token records of the docs made, in order
            docs = _tokenized(matcher, (normalised[p][0] for p in ok_positions), made)
            if set(nlp.pipe_names) - set(disable):
                docs = nlp.pipe(docs, batch_size=batch_size, disable=disable)
            for p, doc in zip(ok_positions, docs, strict=True):
                records = made.popleft()
                if records is not None:
                    words = records["lower"][records["word"].astype(bool)]
                else:
                    words = word_hashes(doc.to_array([LOWER, IS_PUNCT, IS_SPACE]).reshape(-1, 3))
                n_tokens[p] = len(words)
                if signer is not None and len(words):
                    signatures[p] = signer(words)
                offsets = normalised[p][1]
                assert offsets is not None
                text = texts[p]
                found = matcher.find(doc, records)
                spans = [
                    (
                        entries[i],
                        offsets.to_original(doc[s].idx),
                        offsets.to_original(doc[e - 1].idx + len(doc[e - 1]) - 1) + 1,
                    )
                    for i, s, e in found
                ]
                last_hit = max((start for _, start, _ in spans), default=-1)
                entities = [
                    (
                        offsets.to_original(e.start_char),
                        offsets.to_original(e.end_char - 1) + 1,
                        e.label_,
                    )
                    for e in doc.ents
                ]
                quotes = find_quotes(text, speakers_before=last_hit + 1, entities=entities or None)
                spans += _distancing_hits(quotes, spans, text)
                spans.sort(key=lambda h: (h[1], h[2]))
                voices = assign_voices(quotes, [h[1] for h in spans], [h[2] for h in spans])
                one_line = _OTHER_SPACE.sub(" ", text) if spans else text
                for (entry, start, end), (voice, speaker) in zip(spans, voices, strict=True):
                    rows.append(
                        (
                            ids[p],
                            outlets[p],
                            entry.lexicon,
                            entry.id,
                            entry.category,
                            entry.concept or "",
                            start,
                            end,
                            text[start:end],
                            voice,
                            speaker,
                            entry.weight,
                            ";".join(entry.stance),
                            _context(one_line, start - CONTEXT_CHARS, start),
                            _context(one_line, end, end + CONTEXT_CHARS),
                        )
                    )
        articles = chunk[[c for c in chunk.columns if c != "text"]].copy()
        articles.insert(2, "n_tokens", n_tokens)
        hits = pd.DataFrame(rows, columns=HIT_COLUMNS)
        yield Matches(
            hits=hits,
            articles=articles,
            lexicon=matcher.lexicon,
            signatures=signatures if signer is not None else None,
        )


_COMPILED: dict[tuple[int, int], tuple[Lexicon, Language, LexiconMatcher]] = {}


def _compiled(lexicon: Lexicon, nlp: Language) -> LexiconMatcher:
    """The compiled matcher of a lexicon and pipeline, kept for the next call (a few at most):
    compiling takes about a second, and teaching views match one short text at a time."""
    key = (id(lexicon), id(nlp))
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] is lexicon and cached[1] is nlp:
        return cached[2]
    if len(_COMPILED) >= 4:
        _COMPILED.pop(next(iter(_COMPILED)))
    matcher = LexiconMatcher(lexicon, nlp)
    _COMPILED[key] = (lexicon, nlp, matcher)  # holding both keeps their ids from being reused
    return matcher


def match_corpus(
    corpus: pd.DataFrame,
    lexicon: Lexicon | None = None,
    *,
    nlp: Language | None = None,
    batch_size: int = 128,
) -> Matches:
    """Match a lexicon in every article of a corpus.

    Parameters
    ----------
    corpus
        A DataFrame with ``article_id, outlet, text`` (``status``/``message`` optional), e.g. from
        `framing.read_corpus`.
    lexicon
        The lexicon; default every bundled lexicon.
    nlp
        A spaCy pipeline; default `framing.nlp.make_nlp()`.
    batch_size
        Texts per `nlp.pipe` batch.

    Returns
    -------
    Matches
        Hits (one row per hit, offsets into each article's text) and the articles table.
    """
    lexicon = read_lexicons() if lexicon is None else lexicon
    matcher = _compiled(lexicon, nlp if nlp is not None else make_nlp())
    frame = corpus.copy()
    if "status" not in frame:
        frame["status"] = "ok"
    if "message" not in frame:
        frame["message"] = ""
    parts = list(iter_matches([frame], matcher, batch_size=batch_size))
    return parts[0]


MAX_STRINGS = 500_000  # a pipeline whose StringStore grew past this is rebuilt (~420 B each)
MAX_FORGOTTEN = 2_000_000  # or that forgot this many tokens (~30 B each: see ChunkCachedTokenizer)


def renewed(matcher: LexiconMatcher, spacy_model: str | None = None) -> LexiconMatcher:
    """The same matcher, rebuilt on a fresh pipeline once its vocabulary has grown too large.

    spaCy adds every new word of the corpus to the pipeline's StringStore and never forgets it,
    so over millions of articles memory would grow with the corpus's vocabulary. Words first
    seen in a `LexiconMatcher.passing` block are forgotten after it, but still leave a little in
    spaCy's hash tables. Matching results do not depend on the vocabulary's history, so
    rebuilding changes nothing else.
    """
    if len(matcher.nlp.vocab.strings) <= MAX_STRINGS and matcher.forgotten <= MAX_FORGOTTEN:
        return matcher
    # Not the cached pipeline of `make_nlp`: that one has the grown vocabulary.
    return LexiconMatcher(matcher.lexicon, make_nlp.__wrapped__(spacy_model))


_WORKER: dict[str, Any] = {}


def _start_worker(settings_path: str) -> None:
    """Build a worker's matcher from the settings its parent pickled to `settings_path`.

    A file, not the pool's initargs: spawn writes initargs into a pipe, and a payload larger
    than the pipe (the lexicon is ~0.5 MB) blocks the parent until the child has imported
    framing to unpickle it, so workers would start one after another (~1 s each).
    """
    lexicon, spacy_model, then, signer = pickle.loads(Path(settings_path).read_bytes())
    _WORKER.update(
        # Not make_nlp's cached pipeline: `renewed` must be able to free it (and its vocabulary).
        matcher=LexiconMatcher(lexicon, make_nlp.__wrapped__(spacy_model)),
        model=spacy_model,
        then=then,
        signer=signer,
    )
    # A worker has sent every result when it exits: it skips the interpreter's teardown, which
    # takes ~0.3 s (freeing ~1,500 modules) while the pool's shutdown waits for it.
    atexit.register(_exit_now)


def _exit_now() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _match_in_worker(chunk: pd.DataFrame) -> Any:
    _WORKER["matcher"] = matcher = renewed(_WORKER["matcher"], _WORKER["model"])
    found = next(iter_matches([chunk], matcher, signer=_WORKER["signer"]))
    return _WORKER["then"](found)


def _hits_and_articles(found: Matches) -> tuple[pd.DataFrame, pd.DataFrame, list[Any] | None]:
    return found.hits, found.articles, found.signatures  # not the lexicon: the parent has it


@contextlib.contextmanager
def matching_pool(
    lexicon: Lexicon,
    *,
    processes: int,
    spacy_model: str | None = None,
    then: Callable[[Matches], Any] | None = None,
    signer: Callable[[np.ndarray], Any] | None = None,
) -> Iterator[ProcessPoolExecutor]:
    """`processes` worker processes for `iter_matches_parallel`, each of which builds its
    pipeline and matcher once; started at once. The pool runs other picklable work too
    (`framing.analyze` resamples outlets in it once matching is done).

    `then` and `signer` are as in `iter_matches_parallel`.
    """
    context = multiprocessing.get_context("spawn")  # no inherited threads or open files
    with tempfile.TemporaryDirectory(prefix="framing-") as folder:
        settings = Path(folder) / "worker.pickle"
        settings.write_bytes(
            pickle.dumps((lexicon, spacy_model, then or _hits_and_articles, signer))
        )
        with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                                 initargs=(str(settings),)) as pool:  # fmt: skip
            for _ in range(processes):  # a pool starts its processes as tasks come
                pool.submit(int)
            yield pool


def iter_matches_parallel(
    chunks: Iterable[pd.DataFrame],
    lexicon: Lexicon,
    *,
    processes: int,
    spacy_model: str | None = None,
    then: Callable[[Matches], Any] | None = None,
    signer: Callable[[np.ndarray], Any] | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[Any]:
    """`iter_matches` in worker processes, in input order, with the same output.

    Each worker builds its pipeline and matcher once. Workers return only hits and articles
    (not spaCy docs, which `nlp.pipe(n_process=…)` would serialise back: 6x slower here, see
    research/perf-anchors.md). At most two chunks per worker are in flight, so memory stays
    bounded however long the corpus is.

    Parameters
    ----------
    then
        A picklable function applied to each chunk's `Matches` in the worker; its results are
        yielded instead of `Matches`. `framing.analyze` uses it to build the output tables
        where the matching happened, so the parent process only writes them.
    signer
        As in `iter_matches` (picklable).
    pool
        A `matching_pool` of the same lexicon and settings to use; default: one of its own.
    """
    if pool is None:
        with matching_pool(lexicon, processes=processes, spacy_model=spacy_model, then=then,
                           signer=signer) as own:  # fmt: skip
            yield from iter_matches_parallel(chunks, lexicon, processes=processes, then=then,
                                             pool=own)  # fmt: skip
        return

    def result(future: Future[Any]) -> Any:
        out = future.result()
        if then is None:
            hits, articles, signatures = out
            return Matches(hits=hits, articles=articles, lexicon=lexicon, signatures=signatures)
        return out

    pending: deque[Future[Any]] = deque()
    for chunk in chunks:
        pending.append(pool.submit(_match_in_worker, chunk))
        if len(pending) >= 2 * processes:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())
