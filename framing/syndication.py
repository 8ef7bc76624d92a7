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
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
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
# MurmurHash3's 32-bit finalizer (shift, multiply, shift, multiply, shift): the pre-mix of
# datasketch's "affine32" scheme.
_FMIX32 = (
    np.uint32(16),
    np.uint32(0x85EBCA6B),
    np.uint32(13),
    np.uint32(0xC2B2AE35),
    np.uint32(16),
)
# Shingles are permuted in blocks of at most _BLOCK_VALUES values (512 kB) and a multiple of
# _PAD_ROWS shingles, so that 16 block sizes serve every text length; one block takes a
# 1,000-word article, which is faster than two.
_BLOCK_VALUES = 2**17
_PAD_ROWS = 64
_MAX_BLOCK_ROWS = 1024


class MinHashSigner:
    """MinHash signatures of word-hash sequences (datasketch's "affine32" scheme, seeded).

    A shingle is ``shingle`` consecutive words, hashed by folding their spaCy LOWER hashes
    (64-bit, stable across processes and machines) with a multiply-add, then to 32 bits.
    Picklable: worker processes sign the articles they match.

    The signature is what ``datasketch.MinHash(num_perm, seed, scheme="affine32")`` gives after
    ``update_batch`` of the shingle hashes: each hash pre-mixed with MurmurHash3's 32-bit
    finalizer, then ``a * h + b`` modulo 2**32 for each of the MinHash's permutations ``(a, b)``,
    the minimum over the shingles. It is computed here in uint32 numpy arithmetic, a block of
    shingles at a time, three to four times as fast as ``update_batch`` (which goes through a
    Python list of the hashes); the permutations are datasketch's, and the tests check that both
    agree bit for bit.
    """

    def __init__(self, num_perm: int, seed: int, shingle: int, min_words: int) -> None:
        self.num_perm = num_perm
        self.seed = seed
        self.shingle = shingle
        self.min_words = min_words

    @functools.cached_property
    def _permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """datasketch's seeded "affine32" permutations ``(a, b)``, ``num_perm`` uint32 each.

        Drawn as datasketch's ``MinHash._init_permutations`` draws them (``a`` odd); importing
        datasketch would cost each process a second (its package imports scipy). The tests
        check them against datasketch's own.
        """
        generator = np.random.RandomState(self.seed)
        a = generator.randint(0, 1 << 31, self.num_perm, dtype=np.uint32) * np.uint32(2)
        b = generator.randint(0, 1 << 32, self.num_perm, dtype=np.uint32)
        return a + np.uint32(1), b

    @functools.cached_property
    def _block_rows(self) -> int:
        """Most shingles per block: a multiple of ``_PAD_ROWS``."""
        rows = _BLOCK_VALUES // self.num_perm // _PAD_ROWS * _PAD_ROWS
        return max(_PAD_ROWS, min(_MAX_BLOCK_ROWS, rows))

    @functools.cached_property
    def _tiles(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per block size ``m``: ``a`` and ``b`` repeated to ``(num_perm, m)``, so each step of
        the permutation is one pass over contiguous memory (broadcasting is several times
        slower). At most ``_block_rows / _PAD_ROWS`` sizes, about 9 MB in all."""
        return {}

    def _shingle_hashes(self, hashes: np.ndarray) -> np.ndarray:
        """The shingles' 32-bit hashes, pre-mixed with MurmurHash3's finalizer (uint32)."""
        words = np.asarray(hashes).astype(np.uint64, copy=False)
        n = len(words) - self.shingle + 1
        # In place, one array: the fold wraps modulo 2**64, as intended.
        folded = words[:n].copy()
        for k in range(1, self.shingle):
            folded *= _MIX
            folded += words[k : k + n]
        folded ^= folded >> np.uint64(32)
        mixed = folded.astype(np.uint32)  # the low 32 bits: high ^ low of the fold
        s1, m1, s2, m2, s3 = _FMIX32
        shifted = mixed >> s1
        mixed ^= shifted
        mixed *= m1
        np.right_shift(mixed, s2, out=shifted)
        mixed ^= shifted
        mixed *= m2
        np.right_shift(mixed, s3, out=shifted)
        mixed ^= shifted
        return mixed

    def _block_minimum(self, block: np.ndarray) -> np.ndarray:
        """min over the block's hashes ``h`` of ``a * h + b`` modulo 2**32, per permutation."""
        m = len(block)
        tiles = self._tiles.get(m)
        if tiles is None:
            a, b = self._permutations
            tiles = self._tiles[m] = (
                np.repeat(a, m).reshape(self.num_perm, m),
                np.repeat(b, m).reshape(self.num_perm, m),
            )
        values = np.empty((self.num_perm, m), dtype=np.uint32)  # per call: thread-safe
        np.copyto(values, block)  # one row per permutation
        values *= tiles[0]  # uint32 arithmetic wraps: modulo 2**32, as datasketch's
        values += tiles[1]
        minimum: np.ndarray = values.min(axis=1)
        return minimum

    def __call__(self, hashes: np.ndarray) -> np.ndarray | None:
        """The signature (``num_perm`` uint32), or None for fewer than ``min_words`` words."""
        if len(hashes) < max(self.min_words, self.shingle):
            return None
        mixed = self._shingle_hashes(hashes)
        n, rows = len(mixed), self._block_rows
        signature: np.ndarray | None = None
        for start in range(0, n, rows):
            m = min(rows, -(-(n - start) // _PAD_ROWS) * _PAD_ROWS)
            if start + m <= n:
                block = mixed[start : start + m]
            elif m <= n:  # the last block reaches back: repeated shingles leave the minimum
                block = mixed[n - m :]
            else:  # a short text: padded with repeats of its own shingles
                block = np.resize(mixed, m)
            minimum = self._block_minimum(block)
            if signature is None:
                signature = minimum
            else:
                np.minimum(signature, minimum, out=signature)
        assert signature is not None
        return signature

    def __getstate__(self) -> dict[str, Any]:
        # Permutations and tiles are rebuilt where the signer is unpickled.
        cached = {"_permutations", "_block_rows", "_tiles"}
        return {k: v for k, v in self.__dict__.items() if k not in cached}


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
        None marks an article too short to be indexed.

        A chunk costs two queries (the stored rows under its band keys, the earlier candidates'
        signatures) and two bulk inserts; which keys are kept, the candidate pairs and their
        verification are numpy on the chunk's arrays.
        """
        if self._db is None:
            raise FramingError("the syndication index is closed")
        result = [""] * len(ids)
        positions = [p for p, sig in enumerate(signatures) if sig is not None]
        self.n_short += len(ids) - len(positions)
        self.n_added += len(ids)
        if not positions:
            return result

        first, n = self._n_docs, len(positions)
        sig = np.stack([s for s in signatures if s is not None]).astype(np.uint32, copy=False)
        # One row per article and band. Sorted by key, then input order (the order in which
        # articles claim a key's places): keys group, and B-tree inserts are neighbours.
        keys = self._band_keys(sig).ravel()
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        docs = order // self.bands + first
        group = np.empty(len(keys), dtype=bool)  # the first row of each key
        group[0] = True
        np.not_equal(keys[1:], keys[:-1], out=group[1:])
        db = self._db
        with db:
            old_keys, old_docs = self._stored(keys[group])
            kept, shared = _kept_and_shared(keys, group, old_keys)
            # Earlier articles sharing a band: those of earlier chunks and the kept rows of this.
            pairs = _earlier_sharing(
                keys[shared],
                docs[shared],
                np.concatenate([old_keys, keys[kept & shared]]),
                np.concatenate([old_docs, docs[kept & shared]]),
            )
            old_root, root_id, old_signature = self._earlier_docs(pairs[:, 1], first)
            roots = self._roots(sig, first, pairs, old_root, old_signature)
            blobs = sig.astype("<u4").tobytes()
            width = 4 * self.num_perm
            db.executemany(
                "INSERT INTO docs (doc, article_id, root, signature) VALUES (?, ?, ?, ?)",
                [
                    (first + k, str(ids[p]), r, blobs[k * width : (k + 1) * width])
                    for k, (p, r) in enumerate(zip(positions, roots, strict=True))
                ],
            )
            db.executemany(
                "INSERT INTO bands (key, doc) VALUES (?, ?)",
                zip(keys[kept].tolist(), docs[kept].tolist(), strict=True),
            )
        self._n_docs += n
        root_id.update((first + k, str(ids[p])) for k, p in enumerate(positions))
        for k, (p, r) in enumerate(zip(positions, roots, strict=True)):
            if r != first + k:
                result[p] = root_id[r]
                self.n_flagged += 1
        return result

    def _stored(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The stored (key, doc) rows of earlier chunks under any of `keys`."""
        assert self._db is not None
        found = self._db.execute(
            "SELECT key, doc FROM bands WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(keys.tolist()),),
        ).fetchall()
        rows = np.array(found, dtype=np.int64).reshape(-1, 2)
        return rows[:, 0], rows[:, 1]

    def _earlier_docs(
        self, candidates: np.ndarray, first: int
    ) -> tuple[dict[int, int], dict[int, str], dict[int, np.ndarray]]:
        """Root, root's article id and signature of the candidates of earlier chunks."""
        assert self._db is not None
        old = candidates[candidates < first]
        old_root: dict[int, int] = {}
        root_id: dict[int, str] = {}
        old_signature: dict[int, np.ndarray] = {}
        if len(old):
            old = np.unique(old)
            for doc, root, article_id, blob in self._db.execute(
                "SELECT d.doc, d.root, r.article_id, d.signature FROM docs d "
                "JOIN docs r ON r.doc = d.root WHERE d.doc IN (SELECT value FROM json_each(?))",
                (json.dumps(old.tolist()),),
            ):
                old_root[doc] = root
                root_id[root] = article_id
                old_signature[doc] = np.frombuffer(blob, dtype="<u4")
        return old_root, root_id, old_signature

    def _roots(
        self,
        sig: np.ndarray,
        first: int,
        pairs: np.ndarray,
        old_root: dict[int, int],
        old_signature: dict[int, np.ndarray],
    ) -> list[int]:
        """Each article's root: the earliest root of the candidates it verifiably copies."""
        roots = list(range(first, first + len(sig)))
        if not len(pairs):
            return roots
        doc, candidate = pairs[:, 0], pairs[:, 1]
        other = np.empty((len(pairs), sig.shape[1]), dtype=sig.dtype)
        here = candidate >= first
        other[here] = sig[candidate[here] - first]
        for k in np.flatnonzero(~here).tolist():
            other[k] = old_signature[int(candidate[k])]
        agreement = np.count_nonzero(sig[doc - first] == other, axis=1) / self.num_perm
        # In (doc, candidate) order, so a candidate of this chunk has its root already.
        for d, c in pairs[agreement >= self.threshold].tolist():
            root = roots[c - first] if c >= first else old_root[c]
            if root < roots[d - first]:
                roots[d - first] = root
        return roots


def _kept_and_shared(
    keys: np.ndarray, group: np.ndarray, old_keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of a chunk's sorted `keys` are stored, and which share their key.

    `group` marks the first row of each key. A key keeps its first ``MAX_PER_BAND_KEY``
    articles, counting those of earlier chunks (`old_keys`, one entry per stored row). A row
    shares its key with another row of the chunk or a stored row of an earlier chunk: only
    those rows can have candidates.
    """
    starts = np.flatnonzero(group)
    sizes = np.empty_like(starts)  # rows per key
    sizes[:-1] = starts[1:] - starts[:-1]
    sizes[-1] = len(keys) - starts[-1]
    earlier = np.zeros(len(starts), dtype=np.int64)  # stored rows of earlier chunks, per key
    if len(old_keys):
        unique_old, old_counts = np.unique(old_keys, return_counts=True)
        earlier[np.searchsorted(keys[starts], unique_old)] = old_counts
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)  # rows of this chunk before it
    kept = rank + np.repeat(earlier, sizes) < MAX_PER_BAND_KEY
    shared = np.repeat((sizes > 1) | (earlier > 0), sizes)
    return kept, shared


def _earlier_sharing(
    keys: np.ndarray, docs: np.ndarray, stored_keys: np.ndarray, stored_docs: np.ndarray
) -> np.ndarray:
    """Distinct (doc, earlier doc) pairs, sorted, where the earlier doc is stored under a key
    of the doc's: a join on the key, done in numpy (at most ``MAX_PER_BAND_KEY`` per key)."""
    if not len(keys):
        return np.zeros((0, 2), dtype=np.int64)
    order = np.argsort(stored_keys, kind="stable")
    stored_keys, stored_docs = stored_keys[order], stored_docs[order]
    low = np.searchsorted(stored_keys, keys, side="left")
    counts = np.searchsorted(stored_keys, keys, side="right") - low
    probe = np.repeat(np.arange(len(keys)), counts)
    offset = np.arange(len(probe)) - np.repeat(np.cumsum(counts) - counts, counts)
    doc, earlier = docs[probe], stored_docs[np.repeat(low, counts) + offset]
    doc, earlier = doc[earlier < doc], earlier[earlier < doc]
    if not len(doc):
        return np.zeros((0, 2), dtype=np.int64)
    # One integer per pair, sorting as (doc, earlier): sorting rows of a 2-d array is slower.
    span = int(earlier.max()) + 1
    code = np.unique((doc - doc.min()) * span + earlier)
    return np.stack([code // span + doc.min(), code % span], axis=1)


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


def syndication_mask(
    articles: pd.DataFrame, policy: str, *, originals: Collection[str] | None = None
) -> pd.Series[bool]:
    """Which articles profiles count under a syndication policy (True = counted).

    Parameters
    ----------
    articles
        An articles table with ``article_id`` and ``duplicate_of`` ("" or missing: not a copy;
        otherwise the id of the first article of the group).
    policy
        ``keep``: count every article. ``first``: count the first article of each group, not
        its later copies. ``drop``: count no article of a group, the first included.
    originals
        The ids of the first articles of groups; default: those `articles` names in
        ``duplicate_of``. Give them when `articles` is a part of the corpus (``drop`` only).

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
    if originals is None:
        originals = set(copy_of[is_copy])
    is_original = articles["article_id"].astype(str).isin(originals)
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
