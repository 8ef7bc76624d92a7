"""The spaCy pipelines framing uses; the only module that builds them."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from framing.errors import FramingError
from framing.lexicon import cache_dir, read_cached, write_cached

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "DEFAULT_PIPELINE",
    "TOKEN_RECORD",
    "ChunkCachedTokenizer",
    "lemma_forms",
    "make_nlp",
    "pipeline_name",
]

DEFAULT_PIPELINE = "blank:en+lookup-lemmatizer+sentencizer"


@functools.lru_cache(maxsize=4)
def make_nlp(model: str | None = None) -> Language:
    """Build (once per process) the spaCy pipeline used for matching.

    Parameters
    ----------
    model
        ``None`` for the offline default: ``spacy.blank("en")`` with the lookup lemmatizer from
        spacy-lookups-data and a rule-based sentencizer. Otherwise the name or path of an
        installed spaCy pipeline, e.g. ``"en_core_web_sm"``.

    Returns
    -------
    spacy.language.Language
        The pipeline. Matching runs only the components its patterns need.
    """
    import spacy

    if model in (None, "", "blank", DEFAULT_PIPELINE):
        nlp = spacy.blank("en")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe("sentencizer")
        nlp.initialize()  # loads the lookup table from spacy-lookups-data; no network
        return nlp
    try:
        return spacy.load(model)
    except OSError as exc:
        raise FramingError(
            f"spaCy pipeline '{model}' is not installed ({exc}). Install it, or omit "
            "--spacy-model to use the offline default pipeline."
        ) from exc


def pipeline_name(nlp: Language) -> str:
    """A short name for run.json: the default's description or the trained pipeline's name."""
    meta = nlp.meta
    if meta.get("name") in (None, "pipeline") and nlp.pipe_names == ["lemmatizer", "sentencizer"]:
        return DEFAULT_PIPELINE
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


@functools.lru_cache(maxsize=1)
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    """Invert spacy-lookups-data's English lemma table, lower-cased: lemma -> surface forms.

    The inverted table is kept in framing's cache folder (`framing.lexicon.cache_dir`): it
    loads in a tenth of the time it takes to build, which every process start would pay.
    """
    path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    raw_bytes = path.read_bytes()
    root = cache_dir()
    cache = (
        None
        if root is None
        else root / "lemma-forms" / f"{hashlib.sha256(raw_bytes).hexdigest()}.pickle"
    )
    cached = read_cached(cache, dict)
    if cached is not None:
        return cached
    table: dict[str, str] = json.loads(gzip.decompress(raw_bytes))
    forms: defaultdict[str, set[str]] = defaultdict(set)
    for form, lemma in table.items():
        forms[lemma.lower()].add(form.lower())
    inverted = {lemma: frozenset(fs | {lemma}) for lemma, fs in forms.items()}
    write_cached(cache, inverted)
    return inverted


def lemma_forms(word: str) -> frozenset[str]:
    """`word` and every lower-case form that the lookup lemmatizer maps to it as its lemma.

    Lexicons give lemma patterns in their base form ("liberate" -> liberates, liberated,
    liberating). Matching these forms in lower case gives the hits of lemma matching without
    lemmatising each token at run time (1.6–4x faster; see research/perf-anchors.md). An
    inflected pattern word ("took") matches only itself, so no sibling forms sneak in. Like the
    lookup table, it over-generalises a few words ("lie" -> "lay").
    """
    low = word.lower()
    return _forms_by_lemma().get(low, frozenset()) | {low}


# A token in `ChunkCachedTokenizer`'s cache: its ids, 1 if a space follows, 1 if it is a word
# (neither punctuation nor space: what `n_tokens` counts and near-duplicates compare).
TOKEN_RECORD = [("orth", "<u8"), ("lower", "<u8"), ("space", "u1"), ("word", "u1")]
_WHITESPACE = re.compile(r"\s")


class ChunkCachedTokenizer:
    """spaCy's tokenizer, made several times faster on news by a cache that keeps working.

    spaCy's tokenizer splits a text at spaces into chunks and caches how it split each chunk,
    but it stops caching for the rest of a text once a special case (``'s``, ``Dr.``) occurred
    in it (spaCy issue #1250: almost every news article has one), and past 10,000 entries it
    keeps new words out of its vocabulary, re-analysing them every time. Here the tokens of
    each chunk are remembered (as spaCy's tokenizer made them, with their words added to the
    vocabulary), and a Doc is built from them; it has the same tokens, offsets and lexical
    attributes. One difference: the token-level NORM that spaCy's special cases set ("n't" ->
    "not") is left to the lexeme, so callers whose patterns use NORM must not use this.

    Made for normalised texts (`framing.match.normalize_text`: single spaces only). A text with
    spaces at an end or in a run, or with a chunk holding other whitespace, goes to spaCy's
    tokenizer unchanged, because there spaCy's space tokens depend on the neighbouring chunks.
    Tokenizing joined chunks equals tokenizing each alone because no special case spans a
    space; the tests check the tokens on real news.

    Parameters
    ----------
    nlp
        The pipeline whose tokenizer and vocabulary to use.
    max_chunks
        Distinct chunks remembered (about 0.15 kB each); the cache starts afresh when full.
    """

    def __init__(self, nlp: Language, max_chunks: int = 250_000) -> None:
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.max_chunks = max_chunks
        # Per chunk, a `TOKEN_RECORD` per token. A text's records are joined in C, and a Doc
        # made from ids skips hashing the strings again.
        self._records: dict[str, Any] = {}  # bytes; None for a chunk holding other whitespace

    def __call__(self, text: str) -> Doc:
        return self.tokenize(text)[0]

    def tokenize(self, text: str) -> tuple[Doc, np.ndarray | None]:
        """The Doc of `text`, and its tokens' `TOKEN_RECORD`s (None if spaCy's tokenizer made it:
        then take the attributes from the Doc)."""
        import numpy as np
        from spacy.tokens import Doc

        chunks = text.split(" ")
        if "" in chunks:  # a space at an end or after another: spaCy makes space tokens
            return self.tokenizer(text), None
        try:
            try:
                records = b"".join(map(self._records.__getitem__, chunks))
            except KeyError:
                self._learn(chunks)
                records = b"".join(map(self._records.__getitem__, chunks))
        except TypeError:  # a chunk with other whitespace (None): its tokens depend on context
            return self.tokenizer(text), None
        tokens = np.frombuffer(records, dtype=TOKEN_RECORD)
        spaces = tokens["space"].tolist()
        spaces[-1] = 0
        return Doc(self.vocab, words=tokens["orth"].tolist(), spaces=spaces), tokens

    def _learn(self, chunks: list[str]) -> None:
        """Tokenize the chunks not yet known (all in one call) and remember their tokens."""
        import numpy as np
        from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH

        new = set(chunks).difference(self._records)
        if len(self._records) + len(new) > self.max_chunks:
            self._records.clear()
            new = set(chunks)
        plain = []
        for chunk in new:
            if _WHITESPACE.search(chunk):
                self._records[chunk] = None
            else:
                plain.append(chunk)
        if not plain:
            return
        doc = self.tokenizer(" ".join(plain))
        for word in {t.text for t in doc}:
            if word not in self.vocab:
                # Stored: a Doc made from ids needs the lexemes in the vocabulary.
                self.vocab[word]
        records = np.zeros(len(doc), dtype=TOKEN_RECORD)
        attrs = doc.to_array([ORTH, LOWER, IS_PUNCT, IS_SPACE])
        records["orth"] = attrs[:, 0]
        records["lower"] = attrs[:, 1]
        records["word"] = (attrs[:, 2] == 0) & (attrs[:, 3] == 0)
        ends = [t.i + 1 for t in doc if t.whitespace_] + [len(doc)]  # after each chunk's last
        records["space"][np.array(ends) - 1] = 1
        for chunk, start, end in zip(plain, [0, *ends[:-1]], ends, strict=True):
            self._records[chunk] = records[start:end].tobytes()
