"""The same analysis on a Dask cluster or a Dask DataFrame, with results identical to a local run.

Two ways in:

- `iter_matches_dask` is the streaming job's matching step on a cluster (``framing analyze
  --scheduler ADDRESS``): corpus chunks go to the workers, hits come back in input order.
- `analyze` takes a Dask DataFrame of articles and returns the hits and per-article tables as
  Dask DataFrames, and the outlet-level tables (small) as pandas.

Each worker process compiles the lexicon once and keeps the matcher for later tasks, keyed by a
fingerprint of the lexicon and the spaCy pipeline, so a job with another lexicon builds its own.
The lexicon travels to each worker once per job (scattered, or as one graph key), not with
every task. Matching holds a lock: a spaCy pipeline is not safe to share between threads, and
matching is bound by the GIL anyway, so run workers with one thread each and several processes
(``dask worker ADDRESS --nworkers N --nthreads 1``).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import itertools
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from framing.corpus import CORPUS_COLUMNS, DEFAULT_MAX_CHARS, _Accountant, _cell, _Record
from framing.errors import CorpusError, FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import HIT_COLUMNS, LexiconMatcher, Matches, iter_matches, renewed
from framing.nlp import make_nlp
from framing.profile import (
    article_concept_counts,
    concept_shares,
    profile_articles,
    profile_outlets,
)

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

__all__ = [
    "CONNECT_TIMEOUT",
    "DistributedResult",
    "analyze",
    "connect",
    "iter_matches_dask",
    "lexicon_fingerprint",
]

CONNECT_TIMEOUT = 5.0  # seconds to reach a scheduler before giving up
WORKER_TIMEOUT = 30.0  # seconds to wait for a first worker (just started ones take a few)
TASKS_PER_THREAD = 2  # chunks in flight per worker thread: workers stay busy, memory bounded
MAX_CACHED_MATCHERS = 2  # compiled lexicons a worker keeps (each job uses one)

_STR = pd.Series([""]).dtype  # the dtype pandas gives text columns (str in pandas 3, else object)
_INT = "int64"
HIT_DTYPES = {c: _INT if c in ("start_char", "end_char", "weight") else _STR for c in HIT_COLUMNS}
PROFILE_DTYPES = {
    "article_id": _STR,
    "outlet": _STR,
    "category": _STR,
    "voice": _STR,
    "count": _INT,
    "weight": _INT,
    "n_tokens": _INT,
    "rate_per_1k": "float64",
}
CONCEPT_COUNT_DTYPES = {
    "article_id": _STR,
    "outlet": _STR,
    "concept": _STR,
    "variant": _STR,
    "voice": _STR,
    "count": _INT,
}


@functools.cache
def _corpus_dtypes() -> dict[str, Any]:
    """The columns and dtypes of corpus rows, as `framing.corpus` makes them (so they follow it)."""
    accountant = _Accountant(language=None, max_chars=None, dedupe_ids=False)
    row = accountant.row(_Record("meta", "outlet", "id", body="text"))
    dtypes = pd.DataFrame([row], columns=CORPUS_COLUMNS).dtypes
    return {str(c): t for c, t in dtypes.items()}


@functools.cache
def _article_dtypes() -> dict[str, Any]:
    """Those of `Matches.articles`: the corpus columns without the text, n_tokens third."""
    columns = [(c, t) for c, t in _corpus_dtypes().items() if c != "text"]
    columns.insert(2, ("n_tokens", _INT))
    return dict(columns)


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the Dask scheduler at `address` (e.g. ``tcp://127.0.0.1:8786``).

    Raises
    ------
    FramingError
        When the scheduler cannot be reached within `timeout` seconds or the address is
        malformed; the message names the address.
    """
    from distributed import Client

    try:
        return Client(address, timeout=timeout)  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        reason = str(exc)
    # The half-built Client sits in reference cycles; collect it now, while its event loop
    # still runs, or its __del__ fails at interpreter exit after waiting 2 x timeout.
    gc.collect()
    raise FramingError(
        f"--scheduler: cannot reach the Dask scheduler at '{address}' ({reason}). Start one "
        f"with `dask scheduler` and workers with `dask worker ADDRESS`, and give the address "
        f"the scheduler prints, e.g. tcp://127.0.0.1:8786"
    )


def lexicon_fingerprint(lexicon: Lexicon) -> str:
    """A SHA-256 of everything in the lexicon: equal for equal lexicons, different otherwise."""
    return hashlib.sha256(repr(lexicon).encode("utf-8")).hexdigest()


# Worker side: compiled matchers by (lexicon fingerprint, spaCy model), most recently used last.
_MATCHERS: OrderedDict[tuple[str, str | None], LexiconMatcher] = OrderedDict()
_LOCK = threading.Lock()  # one task at a time uses a worker's pipeline (spaCy is not thread-safe)


def _match_here(
    chunk: pd.DataFrame,
    lexicon: Lexicon,
    fingerprint: str,
    spacy_model: str | None,
    signer: Callable[[Any], Any] | None = None,
) -> Matches:
    """Match one chunk with this process's matcher for the lexicon, compiling it on first use."""
    key = (fingerprint, spacy_model)
    with _LOCK:
        matcher = _MATCHERS.pop(key, None)
        if matcher is None:
            # Not make_nlp's cached pipeline, which `renewed` could not free.
            matcher = LexiconMatcher(lexicon, make_nlp.__wrapped__(spacy_model))
        matcher = renewed(matcher, spacy_model)
        _MATCHERS[key] = matcher
        while len(_MATCHERS) > MAX_CACHED_MATCHERS:
            _MATCHERS.popitem(last=False)
        return next(iter_matches([chunk], matcher, signer=signer))


def _match_task(
    chunk: pd.DataFrame,
    lexicon: Lexicon,
    fingerprint: str,
    spacy_model: str | None,
    then: Callable[[Matches], Any] | None,
    signer: Callable[[Any], Any] | None = None,
) -> Any:
    found = _match_here(chunk, lexicon, fingerprint, spacy_model, signer)
    if then is None:
        return found.hits, found.articles, found.signatures  # not the lexicon: the client has it
    return then(found)


def iter_matches_dask(
    chunks: Iterable[pd.DataFrame],
    lexicon: Lexicon,
    *,
    client: Client,
    spacy_model: str | None = None,
    then: Callable[[Matches], Any] | None = None,
    signer: Callable[[Any], Any] | None = None,
) -> Iterator[Any]:
    """`framing.match.iter_matches` on a Dask cluster, in input order, with the same output.

    Each chunk is one task. The lexicon is scattered to every worker once and each worker
    process compiles it once (see the module docstring); tasks carry only their chunk. At most
    `TASKS_PER_THREAD` chunks per worker thread are in flight, so memory stays bounded however
    long the corpus is. A worker that dies does not fail the job: Dask gives its chunks to the
    others. Leaving the loop early cancels the chunks still in flight.

    Parameters
    ----------
    chunks
        Corpus chunks, as from `framing.corpus.iter_corpus`.
    lexicon
        The lexicon to match.
    client
        A client of the cluster, e.g. from `connect`. Its workers must be able to import
        framing (same version) and build `spacy_model`.
    spacy_model
        An installed spaCy pipeline instead of the offline default.
    then
        As in `framing.match.iter_matches_parallel`: a picklable function applied to each
        chunk's `Matches` on the worker, whose results are yielded instead of `Matches`.
    signer
        As in `framing.match.iter_matches`: near-duplicate signatures, made on the worker.

    Yields
    ------
    Matches or the results of `then`
        One per chunk, in the order of `chunks`.

    Raises
    ------
    FramingError
        No worker joined the scheduler within `WORKER_TIMEOUT` seconds.
    """
    cluster: Any = client  # distributed's methods are unannotated: mypy --strict rejects calls
    try:
        cluster.wait_for_workers(1, timeout=WORKER_TIMEOUT)
    except TimeoutError:
        address = cluster.scheduler.address
        raise FramingError(
            f"--scheduler: the Dask scheduler at '{address}' has no workers (waited "
            f"{WORKER_TIMEOUT:g} s); start some with `dask worker {address}`"
        ) from None
    fingerprint = lexicon_fingerprint(lexicon)
    # hash=False: a random key, instead of dask tokenizing the whole lexicon for one.
    shipped = cluster.scatter(lexicon, broadcast=True, hash=False)
    pending: deque[Any] = deque()

    def limit() -> int:  # asked each time: workers may join (or leave) during the job
        threads: dict[str, int] = cluster.nthreads()
        return TASKS_PER_THREAD * max(1, sum(threads.values()))

    def result(future: Any) -> Any:
        out = future.result()
        if then is None:
            hits, articles, signatures = out
            return Matches(hits=hits, articles=articles, lexicon=lexicon, signatures=signatures)
        return out

    try:
        for chunk in chunks:
            pending.append(
                cluster.submit(
                    _match_task, chunk, shipped, fingerprint, spacy_model, then, signer, pure=False
                )
            )
            if len(pending) >= limit():
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        cluster.cancel([*pending, shipped])


def _missing(value: Any) -> bool:
    """None, NaN and pd.NA (Dask's string columns) all mean "no value"."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _source(position: int) -> str:
    # The row's position in the whole DataFrame: unique, unlike index labels, which restart in
    # each partition of e.g. `dd.read_csv`.
    return f"DataFrame row {position}"


def _article_id(value: Any, position: int) -> str:
    """The id `framing.corpus` gives a record: its id as text, or its location when it has none."""
    return _cell(None if _missing(value) else value) or _source(position)


def _plan_ids(
    frame: Any, id_column: str | None, dedupe_ids: bool
) -> tuple[list[int], list[dict[str, str]]]:
    """First pass, over the id column only: where each partition starts in the DataFrame, and
    which of its ids an earlier partition already has (id -> where first seen).

    Raises `CorpusError` on a repeated id unless `dedupe_ids`, before anything is matched.
    """
    import dask

    if id_column is None:  # ids are positions: they never repeat
        lengths = [int(n) for n in frame.map_partitions(len).compute()]
        return list(itertools.accumulate(lengths, initial=0)), [{} for _ in lengths]
    api: Any = dask
    columns: tuple[pd.Series, ...] = api.compute(*frame[id_column].to_delayed())
    offsets = list(itertools.accumulate((len(c) for c in columns), initial=0))
    earlier: list[dict[str, str]] = []
    first: dict[str, tuple[int, int]] = {}  # id -> (partition, position) where first seen
    for number, ids in enumerate(columns):
        mine: dict[str, str] = {}
        for position, value in enumerate(ids.tolist(), start=offsets[number]):
            article_id = _article_id(value, position)
            where = first.setdefault(article_id, (number, position))
            if where[1] == position:
                continue
            if not dedupe_ids:
                raise CorpusError(
                    f"ddf: duplicate id '{article_id}' at {_source(position)} (first at "
                    f"{_source(where[1])}); ids must be unique, or pass dedupe_ids=True to "
                    "keep the first and skip the rest"
                )
            if where[0] < number:
                mine[article_id] = _source(where[1])
        earlier.append(mine)
    return offsets, earlier


def _as_corpus(
    part: pd.DataFrame,
    columns: tuple[str, str, str | None],
    checks: dict[str, Any],
    offset: int,
    earlier: dict[str, str],
) -> pd.DataFrame:
    """One partition of the user's DataFrame as corpus rows, each with a status and message.

    The same accounting as reading a table from a file (`framing.corpus`): missing, empty,
    over-long or foreign-language text is skipped with the reason, a row without an id gets its
    location (``DataFrame row 13``, its position), ``title``/``date``/``url`` columns are kept,
    and a repeated id is skipped (``dedupe_ids``) with where it was first seen, also when that
    was in an earlier partition (`earlier`).
    """
    text, outlet, id_column = columns
    accountant = _Accountant(**checks)
    accountant.seen.update(earlier)  # as if the earlier partitions had been read first
    rows = []
    for position, raw in enumerate(part.to_dict("records"), start=offset):
        record = {str(k): (None if _missing(v) else v) for k, v in raw.items()}
        found = _Record(
            _source(position),
            record.get(outlet),
            record.get(id_column) if id_column is not None else None,
            body=record.get(text),
            meta=record,
        )
        rows.append(accountant.row(found))
    return _conform(pd.DataFrame(rows, columns=CORPUS_COLUMNS), _corpus_dtypes())


def _conform(frame: pd.DataFrame, dtypes: dict[str, Any]) -> pd.DataFrame:
    """The frame with exactly the meta's columns and dtypes (empty results come untyped)."""
    return frame[list(dtypes)].astype(dtypes).reset_index(drop=True)


def _empty(dtypes: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def _analyze_partition(
    part: pd.DataFrame,
    corpus_options: tuple[tuple[str, str, str | None], dict[str, Any], int, dict[str, str]],
    lexicon: Lexicon,
    fingerprint: str,
    spacy_model: str | None,
    category_level: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Hits, articles, article profiles and concept counts of one partition of the input."""
    corpus = _as_corpus(part, *corpus_options)
    found = _match_here(corpus, lexicon, fingerprint, spacy_model)
    return (
        _conform(found.hits, HIT_DTYPES),
        _conform(found.articles, _article_dtypes()),
        _conform(profile_articles(found, level=category_level), PROFILE_DTYPES),
        _conform(article_concept_counts(found), CONCEPT_COUNT_DTYPES),
    )


@dataclass(frozen=True)
class DistributedResult:
    """What `analyze` returns: per-hit and per-article tables stay distributed (and persisted);
    per-outlet tables are small and come as pandas."""

    matches: dd.DataFrame
    """One row per hit, columns `framing.match.HIT_COLUMNS`."""
    articles: dd.DataFrame
    """One row per input row: ``article_id, outlet, n_tokens, status, message, …, source``."""
    article_profiles: dd.DataFrame
    """As `framing.profile.profile_articles`."""
    outlet_profiles: pd.DataFrame
    """As `framing.profile.profile_outlets`."""
    concept_shares: pd.DataFrame
    """As `framing.profile.concept_shares`."""


def _check_columns(columns: list[str], text: str, outlet: str, id: str) -> None:
    # As for files: the id column may be absent when left at its default (ids then come from
    # the row's position); a column the caller named, and the text and outlet columns, may not.
    needed = [text, outlet] + ([id] if id != "id" else [])
    missing = [c for c in needed if c not in columns]
    if missing:
        raise CorpusError(
            f"ddf: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}; the DataFrame has: "
            f"{', '.join(map(repr, columns))}. Name them with text=, outlet=, id=."
        )


def analyze(
    ddf: dd.DataFrame,
    *,
    lexicon: Lexicon | None = None,
    text: str = "text",
    outlet: str = "outlet",
    id: str = "id",
    spacy_model: str | None = None,
    seed: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
    category_level: int | None = 1,
    language: str | None = "en",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    dedupe_ids: bool = False,
) -> DistributedResult:
    """The analysis of `framing.analyze.analyze` on a Dask DataFrame of articles.

    Runs on the current Dask scheduler: a `distributed.Client` if one is active (e.g. from
    `connect`), else Dask's local threads (which matching uses one at a time). A first pass
    reads only the id column, to find repeated ids across partitions as the file reader does
    (cheap for Parquet; a CSV or JSON source is parsed twice). Then each partition is matched
    once, and hits, articles and article profiles are persisted (held in the cluster's memory),
    so that computing or writing them does not match again. Rows keep the order of the
    partitions, which makes outlet profiles and concept shares, bootstrap intervals included,
    identical to a local run over the same rows in the same order.

    Parameters
    ----------
    ddf
        One row per article, with a text and an outlet column (and optionally id, title, date,
        url). Each row gets a ``status``, as when reading files: missing, empty, over-long or
        foreign-language text is ``skipped`` with a message. A row without an id gets its
        position in the DataFrame as id (``DataFrame row 13``).
    lexicon
        Default: every bundled lexicon.
    text, outlet, id
        Column names.
    spacy_model
        An installed spaCy pipeline instead of the offline default (installed on the workers).
    seed, n_boot, ci
        Bootstrap settings for intervals.
    category_level
        Category depth of profiles (1 = top-level categories; ``None`` = full ids).
    language, max_chars, dedupe_ids
        As in `framing.corpus.iter_corpus`.

    Returns
    -------
    DistributedResult
        ``matches``, ``articles`` and ``article_profiles`` as Dask DataFrames;
        ``outlet_profiles`` and ``concept_shares`` as pandas.

    Raises
    ------
    CorpusError
        A column is missing (the message lists the DataFrame's columns), the DataFrame has
        no rows, or an id repeats (unless ``dedupe_ids``; the message names both rows).
    """
    import dask
    import dask.dataframe as dd

    api: Any = dask  # dask's functions are unannotated: mypy --strict rejects calls to them
    frame: Any = ddf
    lexicon = read_lexicons() if lexicon is None else lexicon
    _check_columns([str(c) for c in frame.columns], text, outlet, id)
    id_column = id if id in frame.columns else None
    offsets, earlier = _plan_ids(frame, id_column, dedupe_ids)
    if offsets[-1] == 0:
        raise CorpusError("ddf: the DataFrame has no rows")
    checks = {"language": language, "max_chars": max_chars, "dedupe_ids": dedupe_ids}
    fingerprint = lexicon_fingerprint(lexicon)
    # One graph key for the lexicon: each worker receives it once, not once per partition.
    shipped = api.delayed(lexicon, name=f"framing-lexicon-{fingerprint}", traverse=False)
    task = api.delayed(_analyze_partition, nout=4, pure=True)
    where = (text, outlet, id_column)
    parts = [
        task(
            part,
            (where, checks, offsets[n], earlier[n]),
            shipped,
            fingerprint,
            spacy_model,
            category_level,
        )
        for n, part in enumerate(frame.to_delayed())
    ]
    # One pass makes all four tables: they come from the same tasks and are persisted together.
    # Explicit meta everywhere: Dask must not run the analysis on dummy data to infer it.
    tables = [
        dd.from_delayed([p[i] for p in parts], meta=_empty(dtypes), verify_meta=False)
        for i, dtypes in enumerate(
            (HIT_DTYPES, _article_dtypes(), PROFILE_DTYPES, CONCEPT_COUNT_DTYPES)
        )
    ]
    hits, articles, profiles, concept_counts = api.persist(*tables)
    article_table, profile_table, concept_table = api.compute(
        articles[["article_id", "outlet", "n_tokens", "status"]], profiles, concept_counts
    )
    opts: dict[str, Any] = {"seed": seed, "n_boot": n_boot, "ci": ci}
    return DistributedResult(
        matches=hits,
        articles=articles,
        article_profiles=profiles,
        outlet_profiles=profile_outlets(profile_table, article_table, **opts),
        concept_shares=concept_shares(concept_table, article_table, lexicon.concepts, **opts),
    )
