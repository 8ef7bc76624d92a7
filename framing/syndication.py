"""Syndicated copy: flag near-duplicate articles (one wire story republished by several outlets).

A story that several outlets republish, edited a little, would otherwise count once per outlet
and pull their profiles towards the wire's wording. `SyndicationIndex` reads a corpus in input
order, chunk by chunk, and says for each article which earlier article it copies:

- **Words**: the lowercased spaCy tokens of the normalised text that are neither punctuation
  nor space (the tokens `n_tokens` counts), so case, punctuation, quote marks (straight or
  curly) and whitespace make no difference. Matching tokenises every article anyway: the
  signature is computed from the same doc, in the same (worker) process.
- **Shingles**: every run of ``shingle`` consecutive words (default 5), hashed by folding the
  words' 64-bit spaCy hashes (stable across processes and machines) to 32 bits.
- **Signature**: a datasketch `MinHash` of the shingle set with ``num_perm`` seeded permutations
  (the "affine32" scheme).
- **Candidates**: LSH banding (Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
  ch. 3.4): ``bands`` bands of ``rows`` signature values; two articles are candidates when one
  band is equal. The bands are chosen so that a pair at exactly the threshold is a candidate with
  probability >= 0.99 (`lsh_bands`): recall first, since every candidate is verified.
- **Verification**: the estimated Jaccard similarity of the two shingle sets (the share of equal
  signature values, as `datasketch.MinHash.jaccard`) must be >= ``threshold``.
- **Root**: an article points at the earliest root among the earlier articles it matches, so a
  copy of a copy points at the first article of its group, and the first seen is the root.
- **Short texts**: texts of fewer than ``min_words`` words (default 50) are neither indexed nor
  flagged: a few dozen words cannot tell a republished story from shared boilerplate
  ("Subscribe to read", a photo caption).

Band keys (one 64-bit integer per band) and signatures live in a private temporary SQLite
database, deleted when the index is closed, rather than in datasketch's in-memory `MinHashLSH`,
which holds about 4.9 kB of Python objects per article (measured with 64 permutations and
12 bands): about 1 GB for 200,000 articles. SQLite keeps memory to its page cache
(``cache_mb``) whatever the corpus size. A band key is stored for its first
``MAX_PER_BAND_KEY`` articles only, so a story copied ten thousand times (or a boilerplate page)
costs each later copy at most that many candidates per band, not ten thousand.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib.metadata import version
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import FramingError

__all__ = [
    "MAX_PER_BAND_KEY",
    "SYNDICATION_POLICIES",
    "SyndicationIndex",
    "check_syndication_policy",
    "describe_policy",
    "flag_syndicated",
    "lsh_bands",
    "shingles",
    "syndication_mask",
    "text_words",
]

SYNDICATION_POLICIES = ("keep", "first", "drop")
_CANDIDATE_RECALL = 0.99
MAX_PER_BAND_KEY = 16


@functools.cache
def _tokenizer() -> Any:
    from framing.nlp import make_nlp

    return make_nlp().tokenizer


def _word_array(text: str) -> np.ndarray:
    """LOWER hashes and lowercase forms' positions of the words of `text` (see `text_words`)."""
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER

    from framing.match import normalize_text

    doc = _tokenizer()(normalize_text(text)[0])
    return doc.to_array([LOWER, IS_PUNCT, IS_SPACE]) if len(doc) else np.zeros((0, 3), np.uint64)


def word_hashes(array: np.ndarray) -> np.ndarray:
    """The words among a doc's ``to_array([LOWER, IS_PUNCT, IS_SPACE])`` rows: their LOWER hashes.

    `framing.match.iter_matches` passes the array of the doc it matched, so signatures cost no
    second tokenisation.
    """
    words: np.ndarray = array[(array[:, 1] == 0) & (array[:, 2] == 0), 0]
    return words


def text_words(text: str) -> list[str]:
    """The words of `text` as the index compares them: the lowercased spaCy tokens of the
    normalised text (`framing.match.normalize_text`) that are neither punctuation nor space,
    the tokens that `n_tokens` counts."""
    from framing.match import normalize_text

    doc = _tokenizer()(normalize_text(text)[0])
    return [t.lower_ for t in doc if not (t.is_punct or t.is_space)]


def shingles(text: str, size: int = 5) -> list[str]:
    """Every run of `size` consecutive words of `text` (see `text_words`), in order."""
    words = text_words(text)
    return [" ".join(run) for run in zip(*(words[i:] for i in range(size)), strict=False)]


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (the golden ratio's bits)


class MinHashSigner:
    """MinHash signatures of word-hash sequences (datasketch's "affine32" scheme, seeded).

    A shingle is ``shingle`` consecutive words, hashed by folding their spaCy LOWER hashes
    (64-bit, stable across processes and machines) with a multiply-add, then to 32 bits.
    Picklable: worker processes sign the articles they match.
    """

    def __init__(self, num_perm: int, seed: int, shingle: int, min_words: int) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.shingle = shingle
        self.min_words = min_words

    @functools.cached_property
    def _empty(self) -> Any:
        from datasketch import MinHash

        # affine32: 32-bit affine permutations, no modulo; 3x faster than the legacy scheme.
        return MinHash(num_perm=self.num_perm, seed=self.seed, hashfunc=int, scheme="affine32")

    def __call__(self, hashes: np.ndarray) -> np.ndarray | None:
        """The signature (``num_perm`` uint32), or None for fewer than ``min_words`` words."""
        if len(hashes) < max(self.min_words, self.shingle):
            return None
        n = len(hashes) - self.shingle + 1
        folded = np.zeros(n, dtype=np.uint64)
        for k in range(self.shingle):  # wraps modulo 2**64, as intended
            folded = folded * _MIX + hashes[k : k + n].astype(np.uint64)
        minhash = self._empty.copy()
        minhash.update_batch(
            ((folded >> np.uint64(32)) ^ (folded & np.uint64(0xFFFFFFFF))).tolist()
        )
        signature: np.ndarray = np.asarray(minhash.hashvalues, dtype=np.uint32)
        return signature

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_empty"}


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band for LSH candidates at a Jaccard `threshold`.

    The fewest bands (so the least storage) for which a pair of similarity exactly `threshold`
    shares at least one band with probability ``1 - (1 - t**rows)**bands >= 0.99``, with
    ``rows = num_perm // bands``. datasketch's own optimiser balances false positives against
    false negatives instead; here candidates are verified, so a missed pair is the costlier error.
    """
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if 1 - (1 - threshold**rows) ** bands >= _CANDIDATE_RECALL:
            return bands, rows
    return num_perm, 1


class SyndicationIndex:
    """A streaming near-duplicate index: add articles in input order, learn what each copies.

    Parameters
    ----------
    threshold
        Estimated Jaccard similarity of the shingle sets at or above which an article is a copy,
        in (0, 1]. 0.8 flags republished copies with a changed headline, a dropped sentence, a
        few words changed or a paragraph added, and leaves apart articles of several outlets
        on the same event, even when they share a quotation.
    num_perm
        MinHash permutations. More gives a finer estimate (standard error
        ``sqrt(J(1-J)/num_perm)``: 0.035 at J = 0.8 with 128, 0.05 with 64) and costs time and
        4 bytes of temporary file per article each. With 128, copies of exact similarity
        0.85-0.9 were all found at threshold 0.8 and those of 0.7-0.75 none; with 64, 94% and 12%.
    shingle
        Words per shingle.
    seed
        Seed of the MinHash permutations and band hashes: same input and seed, same result.
    min_words
        Texts with fewer words are neither indexed nor flagged (at least `shingle`).
    cache_mb
        SQLite page cache, the bulk of the index's memory; the rest spills to a temporary file.

    Examples
    --------
    ``with SyndicationIndex(threshold=0.8) as index: index.add_many(["a", "b"], [story, copy])``
    gives ``["", "a"]`` when ``copy`` is an edited copy of ``story``.
    """

    def __init__(
        self,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle: int = 5,
        seed: int = 1,
        *,
        min_words: int = 50,
        cache_mb: int = 32,
    ) -> None:
        if not 0 < threshold <= 1:
            raise FramingError(
                f"syndication threshold: expected a number above 0 and at most 1, got {threshold}"
            )
        if num_perm < 2:
            raise FramingError(f"syndication num_perm: expected 2 or more, got {num_perm}")
        if shingle < 1:
            raise FramingError(f"syndication shingle: expected 1 or more words, got {shingle}")
        if cache_mb < 1:
            raise FramingError(f"syndication cache_mb: expected 1 or more, got {cache_mb}")
        if min_words < shingle:
            raise FramingError(
                f"syndication min_words: expected at least the shingle size ({shingle}), "
                f"got {min_words}"
            )
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        self.min_words = min_words
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        self.signer = MinHashSigner(num_perm, seed, shingle, min_words)
        rng = np.random.default_rng(seed)
        self._band_mult = rng.integers(0, 2**64, (self.bands, self.rows), dtype=np.uint64) | 1
        self._band_salt = rng.integers(0, 2**64, self.bands, dtype=np.uint64)
        self._n_docs = 0
        self.n_added = 0
        self.n_short = 0
        self.n_flagged = 0
        # "": a private on-disk temporary database, deleted when the connection closes.
        self._db: sqlite3.Connection | None = sqlite3.connect("")
        self._db.executescript(
            f"""
            PRAGMA cache_size = {-1024 * cache_mb};
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE bands (
                key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)
            ) WITHOUT ROWID;
            CREATE TABLE docs (
                doc INTEGER PRIMARY KEY, article_id TEXT NOT NULL, root INTEGER NOT NULL,
                signature BLOB NOT NULL
            );
            CREATE TEMP TABLE probe (key INTEGER NOT NULL, doc INTEGER NOT NULL);
            """
        )

    def __enter__(self) -> SyndicationIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop the temporary database; the index cannot be used after this."""
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def settings(self) -> dict[str, Any]:
        """The method and its parameters, for run.json."""
        return {
            "method": "MinHash over word shingles; LSH band candidates verified by estimated "
            "Jaccard; a copy points at the first article of its group",
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "shingle_words": self.shingle,
            "min_words": self.min_words,
            "bands": self.bands,
            "rows_per_band": self.rows,
            "seed": self.seed,
            "datasketch": version("datasketch"),
        }

    def _band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """One 64-bit key per article and band: a seeded linear hash of the band's values."""
        n = len(signatures)
        bands = signatures[:, : self.bands * self.rows].astype(np.uint64)
        bands = bands.reshape(n, self.bands, self.rows)
        keys: np.ndarray = (bands * self._band_mult).sum(axis=2, dtype=np.uint64) + self._band_salt
        return keys.view(np.int64)  # SQLite integers are signed

    def signature(self, text: str) -> np.ndarray | None:
        """The MinHash signature of a text (None if it has fewer than ``min_words`` words)."""
        return self.signer(word_hashes(_word_array(text)))

    def similarity(self, text_a: str, text_b: str) -> float:
        """Estimated Jaccard similarity of two texts' shingle sets (share of equal signature
        values, as ``MinHash.jaccard``); 0.0 when either is shorter than ``min_words``."""
        a, b = self.signature(text_a), self.signature(text_b)
        if a is None or b is None:
            return 0.0
        return float(np.count_nonzero(a == b) / self.num_perm)

    def add(self, article_id: str, text: str) -> str:
        """Add one article; return the id of the first article of its group, or "" if none."""
        return self.add_many([article_id], [text])[0]

    def add_many(self, ids: Sequence[str], texts: Sequence[str]) -> list[str]:
        """Add articles in input order; for each, the id of the article it copies, or "".

        The returned id is that of the first article of the group (a copy of a copy points at
        the original). Copies within `ids` are found as well as copies of earlier calls'.

        Raises
        ------
        FramingError
            `ids` and `texts` differ in length, or a text is not a string.
        """
        if len(ids) != len(texts):
            raise FramingError(f"syndication index: {len(ids)} article ids but {len(texts)} texts")
        for article_id, text in zip(ids, texts, strict=True):
            if not isinstance(text, str):
                raise FramingError(
                    f"syndication index: article '{article_id}': text is "
                    f"{type(text).__name__}, not a string"
                )
        return self.add_signatures(ids, [self.signature(t) for t in texts])

    def add_signatures(
        self, ids: Sequence[str], signatures: Sequence[np.ndarray | None]
    ) -> list[str]:
        """`add_many` for articles already signed (by `signer`, e.g. in worker processes);
        None marks an article too short to be indexed."""
        if self._db is None:
            raise FramingError("the syndication index is closed")
        result = [""] * len(ids)
        positions = [p for p, sig in enumerate(signatures) if sig is not None]
        self.n_short += len(ids) - len(positions)
        self.n_added += len(ids)
        if not positions:
            return result

        first = self._n_docs
        sig = np.stack([s for s in signatures if s is not None])
        docs = range(first, first + len(positions))
        rows = [
            (key, doc)
            for doc, keys in zip(docs, self._band_keys(sig).tolist(), strict=True)
            for key in keys
        ]
        db = self._db
        with db:
            # In input order, so the earliest articles keep a key that many share.
            db.executemany(
                "INSERT INTO bands (key, doc) SELECT ?1, ?2 "
                "WHERE (SELECT COUNT(*) FROM bands WHERE key = ?1) < ?3",
                [(key, doc, MAX_PER_BAND_KEY) for key, doc in rows],
            )
            db.execute("DELETE FROM probe")
            db.executemany("INSERT INTO probe (key, doc) VALUES (?, ?)", rows)
            # Earlier articles sharing a band; root and signature for those of earlier chunks.
            found = db.execute(
                """
                SELECT DISTINCT p.doc, b.doc, d.root, r.article_id, d.signature
                FROM probe p
                JOIN bands b ON b.key = p.key AND b.doc < p.doc
                LEFT JOIN docs d ON d.doc = b.doc
                LEFT JOIN docs r ON r.doc = d.root
                ORDER BY p.doc, b.doc
                """
            ).fetchall()
            root = list(docs)
            root_id = {doc: str(ids[p]) for doc, p in zip(docs, positions, strict=True)}
            for doc, candidate, old_root, old_root_id, blob in found:
                if candidate >= first:  # in this chunk: its root is already resolved
                    other = sig[candidate - first]
                    candidate_root = root[candidate - first]
                else:
                    other = np.frombuffer(blob, dtype="<u4")
                    candidate_root = old_root
                    root_id[old_root] = old_root_id
                agreement = np.count_nonzero(sig[doc - first] == other) / self.num_perm
                if agreement >= self.threshold:
                    root[doc - first] = min(root[doc - first], candidate_root)
            db.executemany(
                "INSERT INTO docs (doc, article_id, root, signature) VALUES (?, ?, ?, ?)",
                [
                    (doc, str(ids[p]), r, s.astype("<u4").tobytes())
                    for doc, p, r, s in zip(docs, positions, root, sig, strict=True)
                ],
            )
        self._n_docs += len(positions)
        for doc, p, r in zip(docs, positions, root, strict=True):
            if r != doc:
                result[p] = root_id[r]
                self.n_flagged += 1
        return result


def flag_syndicated(
    chunks: Iterable[pd.DataFrame], index: SyndicationIndex
) -> Iterator[pd.DataFrame]:
    """Add a ``duplicate_of`` column to each corpus chunk, feeding `index` in input order.

    Rows whose ``status`` is not ``ok`` are not indexed (``duplicate_of`` ""). Chunks are the
    DataFrames of `framing.corpus.iter_corpus` (``article_id``, ``text``, ``status``).
    """
    for chunk in chunks:
        texts = chunk["text"].tolist()
        if "status" in chunk:
            ok = (chunk["status"] == "ok").tolist()
            texts = [t if good else "" for t, good in zip(texts, ok, strict=True)]
        ids = [str(i) for i in chunk["article_id"].tolist()]
        yield chunk.assign(duplicate_of=index.add_many(ids, texts))


def check_syndication_policy(policy: str) -> str:
    """`policy` if it is one of `SYNDICATION_POLICIES`; a FramingError naming them otherwise."""
    if policy not in SYNDICATION_POLICIES:
        raise FramingError(
            f"--syndicated: expected one of {', '.join(SYNDICATION_POLICIES)}, got {policy!r}"
        )
    return policy


def syndication_mask(articles: pd.DataFrame, policy: str) -> pd.Series[bool]:
    """Which articles profiles count under a syndication policy (True = counted).

    Parameters
    ----------
    articles
        An articles table with ``article_id`` and ``duplicate_of`` ("" or missing: not a copy;
        otherwise the id of the first article of the group).
    policy
        ``keep``: count every article. ``first``: count the first article of each group, not
        its later copies. ``drop``: count no article of a group, the first included.

    Returns
    -------
    pandas.Series
        Booleans aligned with `articles`' index. Only syndication is judged here: rows that
        were not analysed (status other than ``ok``) are True and left to the caller.

    Raises
    ------
    FramingError
        An unknown policy, or (for ``first`` and ``drop``) no ``duplicate_of`` column.
    """
    check_syndication_policy(policy)
    if policy == "keep":
        return pd.Series(True, index=articles.index, dtype=bool)
    for column in ("article_id", "duplicate_of"):
        if column not in articles:
            raise FramingError(
                f"--syndicated {policy}: the articles table has no '{column}' column "
                "(analyse the corpus with syndication detection to get one)"
            )
    copy_of = articles["duplicate_of"].fillna("").astype(str)
    is_copy = copy_of != ""
    if policy == "first":
        return ~is_copy
    is_original = articles["article_id"].astype(str).isin(set(copy_of[is_copy]))
    return ~(is_copy | is_original)


def describe_policy(policy: str, n_excluded: int, n_total: int) -> str:
    """One line saying what a syndication policy did, for reports and run.json."""
    check_syndication_policy(policy)
    if policy == "keep":
        return (
            f"Syndicated copies kept (--syndicated keep): all {n_total:,} articles counted, "
            "near-duplicates included."
        )
    if policy == "first":
        return (
            f"Syndicated copies (--syndicated first): {n_excluded:,} of {n_total:,} articles "
            "excluded as later copies of a story; the first of each story counted."
        )
    return (
        f"Syndicated copies (--syndicated drop): {n_excluded:,} of {n_total:,} articles excluded, "
        "every article of a story published more than once, its first included."
    )


def counted_articles(articles: pd.DataFrame, run: Mapping[str, Any]) -> pd.DataFrame:
    """The articles a result folder's profiles counted, under the syndication policy its
    run.json records (``keep`` for folders written before syndication was detected)."""
    policy = (run.get("syndication") or {}).get("policy", "keep")
    if policy in ("keep", "off") or "duplicate_of" not in articles:
        return articles
    return articles[syndication_mask(articles, policy)]
