"""The spaCy pipelines framing uses; the only module that builds them."""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
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
SETTLED_CHUNKS = 100_000  # chunks known before new words are learnt only for their block


class ChunkCachedTokenizer:
    """spaCy's tokenizer, made several times faster on news by a cache that keeps working.

    spaCy's tokenizer splits a text at spaces into chunks and caches how it split each chunk,
    but it stops caching for the rest of a text once a special case (``'s``, ``Dr.``) occurred
    in it (spaCy issue #1250: almost every news article has one). Here the tokens of each
    chunk are remembered (as spaCy's tokenizer made them; spaCy keeps their lexemes in the
    vocabulary), and a Doc is built from their ids; it has the same tokens, offsets and lexical
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
    settled_chunks
        Once this many chunks are remembered (default `SETTLED_CHUNKS`), texts read in a
        `passing` block learn their new chunks only for the block, and remember for good those
        seen in an earlier block too. A corpus keeps bringing words never seen again (names,
        figures, typos): spaCy would keep each one's lexeme and strings for the life of the
        pipeline (~0.5 kB a word).
    """

    def __init__(
        self, nlp: Language, max_chunks: int = 250_000, settled_chunks: int | None = None
    ) -> None:
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.max_chunks = max_chunks
        self.settled_chunks = SETTLED_CHUNKS if settled_chunks is None else settled_chunks
        # Per chunk, a `TOKEN_RECORD` per token. A text's records are joined in C, and a Doc
        # made from ids skips hashing the strings again.
        self._records: dict[str, bytes] = {}
        self._passing: dict[str, bytes] | None = None  # chunks learned in the current block
        # hash(chunk) of chunks seen in a block: a fixed table (8 MB, made with the first block);
        # a newer chunk whose hash falls in the same slot takes it over, so a rare sighting may
        # be forgotten (harmless).
        self._sighted: np.ndarray | None = None
        self._again: set[str] = set()  # chunks of this block seen in an earlier one
        # Tokens learnt only for their block. spaCy frees their lexemes and strings, but each
        # leaves ~30 bytes in its hash tables (deleted slots that make them grow: preshed).
        self.forgotten = 0

    @contextlib.contextmanager
    def passing(self) -> Iterator[None]:
        """A block of texts (a corpus chunk) whose Docs are used only inside it.

        Until `settled_chunks` chunks are known every chunk is remembered (the corpus's common
        words come first). After that the block runs in a spaCy memory zone: the lexemes and
        strings of words first seen in it are freed when it ends, so memory stops growing with
        the corpus, and chunks seen in an earlier block too are then remembered for good.
        """
        import numpy as np

        if len(self._records) < self.settled_chunks:
            yield
            return
        if self._sighted is None:
            self._sighted = np.full(1 << 20, -1, dtype=np.int64)  # hash() is never -1
        self._passing = {}
        try:
            with self.nlp.memory_zone():
                yield
        finally:
            self._passing = None
            again, self._again = self._again, set()
        if len(self._records) + len(again) > self.max_chunks:
            self._records.clear()
        if again:
            self._learn(sorted(again), self._records)

    def __call__(self, text: str) -> Doc:
        return self.tokenize(text)[0]

    def tokenize(self, text: str) -> tuple[Doc, np.ndarray | None]:
        """The Doc of `text`, and its tokens' `TOKEN_RECORD`s (None if spaCy's tokenizer made it:
        then take the attributes from the Doc)."""
        return next(self._tokenize_batch([text]))

    def pipe(
        self, texts: Iterable[str], batch_size: int = 64
    ) -> Iterator[tuple[Doc, np.ndarray | None]]:
        """`tokenize` each text. The new chunks of a batch of texts are learnt in one call of
        spaCy's tokenizer: ~15% less time learning than a call per text, on news."""
        texts = iter(texts)
        while batch := list(itertools.islice(texts, batch_size)):
            yield from self._tokenize_batch(batch)

    def _tokenize_batch(self, texts: list[str]) -> Iterator[tuple[Doc, np.ndarray | None]]:
        import numpy as np
        from spacy.tokens import Doc

        # Per text: its chunks, their records (None where not known yet) and where those are;
        # or None for a text that spaCy's tokenizer takes whole.
        looked_up: list[tuple[list[str], list[Any], list[int]] | None] = []
        new: set[str] = set()
        for text in texts:
            chunks = text.split(" ")
            if "" in chunks:  # a space at an end or after another: spaCy makes space tokens
                looked_up.append(None)
                continue
            # One dict lookup per chunk: the cache is large, so each lookup is a cache miss.
            parts: list[Any] = list(map(self._records.get, chunks))
            missing = [i for i, part in enumerate(parts) if part is None] if None in parts else []
            unknown = {chunks[i] for i in missing}
            if any(_WHITESPACE.search(chunk) for chunk in unknown):
                looked_up.append(None)  # its tokens depend on the context
                continue
            new |= unknown
            looked_up.append((chunks, parts, missing))
        store = self._learn_new(new) if new else self._records
        for text, found in zip(texts, looked_up, strict=True):
            if found is None:
                yield self.tokenizer(text), None
                continue
            chunks, parts, missing = found
            for i in missing:
                parts[i] = store[chunks[i]]
            tokens = np.frombuffer(b"".join(parts), dtype=TOKEN_RECORD)
            spaces = tokens["space"].tolist()
            spaces[-1] = 0
            yield Doc(self.vocab, words=tokens["orth"].tolist(), spaces=spaces), tokens

    def _learn_new(self, chunks: set[str]) -> dict[str, bytes]:
        """Learn chunks that the cache does not hold; returns the dict that now holds them."""
        if self._passing is None:
            if len(self._records) + len(chunks) > self.max_chunks:
                self._records.clear()  # start afresh (records already looked up stay valid)
            self._learn(list(chunks), self._records)
            return self._records
        # A block's new chunks: kept only for the block.
        new = chunks.difference(self._passing)  # (not difference_update: that walks the dict)
        if new:
            self._sight(new)
            self.forgotten += self._learn(list(new), self._passing)
        return self._passing

    def _sight(self, chunks: set[str]) -> None:
        """Note chunks first seen in this block; those seen in an earlier one are kept after it."""
        table = self._sighted
        assert table is not None
        for chunk in chunks:
            key = hash(chunk)
            slot = key & (len(table) - 1)
            if table[slot] == key:
                self._again.add(chunk)
            else:
                table[slot] = key

    def _learn(self, chunks: list[str], store: dict[str, bytes]) -> int:
        """Tokenize new chunks (all in one call: single spaces, no other whitespace) and put
        their tokens in `store`. spaCy keeps each new word's lexeme in the vocabulary (until the
        memory zone ends, in a `passing` block), which the Docs made from ids need. Returns the
        number of tokens."""
        import numpy as np
        from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH

        doc = self.tokenizer(" ".join(chunks))
        records = np.zeros(len(doc), dtype=TOKEN_RECORD)
        attrs = doc.to_array([ORTH, LOWER, IS_PUNCT, IS_SPACE])
        records["orth"] = attrs[:, 0]
        records["lower"] = attrs[:, 1]
        records["word"] = (attrs[:, 2] == 0) & (attrs[:, 3] == 0)
        ends = [t.i + 1 for t in doc if t.whitespace_] + [len(doc)]  # after each chunk's last
        records["space"][np.array(ends) - 1] = 1
        for chunk, start, end in zip(chunks, [0, *ends[:-1]], ends, strict=True):
            store[chunk] = records[start:end].tobytes()
        return len(doc)
