"""The analyze job: corpus files to matches and profiles in a folder, streaming disk to disk."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import json
import pickle
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.corpus import DEFAULT_MAX_CHARS, ColumnMap, iter_corpus
from framing.errors import FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import (
    OVERLAP_POLICY,
    LexiconMatcher,
    Matches,
    iter_matches,
    iter_matches_parallel,
    matching_pool,
    renewed,
)
from framing.nlp import DEFAULT_PIPELINE, make_nlp, pipeline_name
from framing.profile import OutletProfiles, article_concept_counts, profile_articles
from framing.syndication import (
    SyndicationIndex,
    check_syndication_policy,
    describe_policy,
    syndication_mask,
)

__all__ = ["OUTPUT_FILES", "AnalysisResult", "analyze"]

OUTPUT_FILES = (
    "articles",
    "matches",
    "article_profiles",
    "outlet_profiles",
    "concept_shares",
    "texts",
)
ARTICLE_OUTPUT_COLUMNS = [
    "article_id",
    "outlet",
    "n_tokens",
    "status",
    "message",
    "title",
    "date",
    "url",
    "source",
]
TEXT_COLUMNS = ["article_id", "text"]
FLOAT_FORMAT = "%.6g"


@dataclass(frozen=True)
class AnalysisResult:
    """What `analyze` wrote, with the figures a caller usually wants next."""

    out: Path
    n_records: int
    n_ok: int
    n_skipped: int
    n_hits: int
    outlet_profiles: pd.DataFrame
    concept_shares: pd.DataFrame


def encode_table(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as the bytes of a CSV (with header) or Parquet file."""
    if fmt == "csv":
        fast = _csv_with_arrow(frame)
        if fast is not None:
            return fast
        text = frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        return text.encode("utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return bytes(sink.getvalue().to_pybytes())


def _quoted_characters() -> bytes:
    """The characters that make pandas' CSV writer (the csv module, minimal quoting) quote a
    field, asked of the module: they differ between Python versions (3.11 leaves a lone
    carriage return unquoted)."""
    found = []
    for char in ',"\r\n':
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow([f"a{char}", "b"])
        if line.getvalue().startswith('"'):
            found.append(char)
    return "".join(found).encode("ascii")


_QUOTED = _quoted_characters()


def _csv_with_arrow(frame: pd.DataFrame) -> bytes | None:
    """The bytes of `DataFrame.to_csv` as `encode_table` calls it, built with pyarrow compute
    functions, several times faster on the long matches tables; None for a table with a kind of
    column this does not write, left to pandas."""
    import pyarrow.compute as pc

    names = list(frame.columns)
    # csv writes a lone empty field as "" (rows of one column): such tables are left to pandas.
    if len(names) < 2 or len(frame) == 0 or not all(isinstance(n, str) for n in names):
        return None
    fields = []
    for k in range(len(names)):
        cells = _csv_fields(frame.iloc[:, k])
        if cells is None:
            return None
        fields.append(cells)
    fields[-1] = pc.binary_join_element_wise(fields[-1], _text("\n"), _text(""))
    rows = pc.binary_join_element_wise(*fields, _text(","))
    # The rows lie one after another in the array's data buffer: that is the file's body.
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)
    start, end = offsets[rows.offset], offsets[rows.offset + len(rows)]
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(names)
    body: bytes = rows.buffers()[2][start:end].to_pybytes()
    return header.getvalue().encode("utf-8") + body


def _text(value: str) -> Any:
    """A pyarrow large_string scalar (compute functions do not mix it with plain strings)."""
    import pyarrow as pa

    return pa.scalar(value, pa.large_string())


def _csv_fields(column: pd.Series) -> Any:
    """A column's CSV fields as pandas writes them, as a pyarrow large_string array: integers in
    full, floats in `FLOAT_FORMAT`, strings quoted where csv quotes them, missing values empty;
    None for other dtypes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return pa.array(column.to_numpy()).cast(pa.large_string())
    if dtype == np.float64:
        formatted = [FLOAT_FORMAT % x if x == x else "" for x in column.tolist()]  # NaN: ""
        return pa.array(formatted, type=pa.large_string())
    textual = isinstance(dtype, pd.StringDtype) or (
        pd.api.types.is_object_dtype(dtype)
        and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    )
    if not textual:
        return None
    try:
        cells = pa.array(column, type=pa.large_string(), from_pandas=True).fill_null("")
    except UnicodeEncodeError:  # a lone surrogate: pandas raises its own error
        return None
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    quote = _needs_quotes(cells)
    if quote is not None:
        doubled = pc.replace_substring(cells.filter(quote), '"', '""')
        quoted = pc.binary_join_element_wise(_text('"'), doubled, _text('"'), _text(""))
        cells = pc.replace_with_mask(cells, quote, quoted)
    return cells


def _needs_quotes(cells: Any) -> Any:
    """Which strings of a large_string array csv quotes (a pyarrow mask), or None if none; looked
    for in the array's data buffer at once, which is faster than a regular expression per
    string."""
    import pyarrow as pa

    offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64)
    offsets = offsets[cells.offset : cells.offset + len(cells) + 1]
    data = cells.buffers()[2]
    if data is None or offsets[-1] == offsets[0]:
        return None
    text = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    special = np.zeros(len(text), dtype=bool)
    for byte in _QUOTED:  # ASCII bytes are never part of a multi-byte UTF-8 character
        special |= text == byte
    where = np.flatnonzero(special) + offsets[0]
    if len(where) == 0:
        return None
    mask = np.zeros(len(cells), dtype=bool)
    mask[np.searchsorted(offsets, where, side="right") - 1] = True  # the string of each byte
    return pa.array(mask)


@dataclass(frozen=True)
class ChunkOutput:
    """One chunk's output tables, encoded, with the counts the summary needs."""

    tables: dict[str, bytes]
    n_records: int
    n_ok: int
    n_hits: int
    ids: list[str]
    signatures: list[Any] | None  # MinHash signatures (None: too short, or not analysed)


@dataclass(frozen=True)
class ChunkRenderer:
    """Turns one chunk's `Matches` into its output tables (picklable: runs in workers)."""

    fmt: str
    category_level: int | None

    def __call__(self, matches: Matches) -> ChunkOutput:
        articles = matches.articles[ARTICLE_OUTPUT_COLUMNS]
        tables = {
            "articles": articles,
            "matches": matches.hits,
            "article_profiles": profile_articles(matches, level=self.category_level),
            "concept_counts": article_concept_counts(matches),
        }
        return ChunkOutput(
            tables={name: encode_table(t, self.fmt) for name, t in tables.items()},
            n_records=len(articles),
            n_ok=int((articles["status"] == "ok").sum()),
            n_hits=len(matches.hits),
            ids=articles["article_id"].astype(str).tolist(),
            signatures=matches.signatures,
        )


PART_TABLES = ("articles", "matches", "article_profiles", "concept_counts")
PARTIAL = ".partial"  # folder of finished chunks inside --out, kept until the run completes


class _Parts:
    """Finished chunks on disk: `--resume` continues after the last one.

    Chunk k's tables are written to ``k.<table>.<fmt>``, then ``k.done`` (its counts) is
    written and renamed into place; a chunk without ``.done`` was interrupted and is redone.
    ``job.json`` holds the settings, so a resume with other inputs or settings is refused.
    """

    def __init__(self, folder: Path, fmt: str) -> None:
        self.folder = folder
        self.fmt = fmt

    def start(self, job: dict[str, Any], resume: bool) -> int:
        """Prepare the folder; the number of chunks already finished (0 unless resuming)."""
        job_file = self.folder / "job.json"
        if resume and job_file.exists():
            before = json.loads(job_file.read_text(encoding="utf-8"))
            changed = sorted(k for k in job.keys() | before.keys() if job.get(k) != before.get(k))
            if changed:
                raise FramingError(
                    f"--resume: the interrupted run in {self.folder.parent} had other "
                    f"{', '.join(changed)}; run without --resume to start again"
                )
            return len(self.finished())
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        job_file.write_text(json.dumps(job, indent=2) + "\n", encoding="utf-8")
        return 0

    def _path(self, index: int, name: str) -> Path:
        return self.folder / f"{index:07d}.{name}"

    def finished(self) -> list[dict[str, int]]:
        """Counts of the finished chunks 0, 1, ... up to the first unfinished one."""
        out: list[dict[str, int]] = []
        for index in itertools.count():
            done = self._path(index, "done")
            if not done.exists():
                return out
            out.append(json.loads(done.read_text(encoding="utf-8")))
        raise AssertionError("unreachable")

    def write(self, index: int, chunk: ChunkOutput) -> None:
        for name, data in chunk.tables.items():
            self._path(index, f"{name}.{self.fmt}").write_bytes(data)
        counts = {"records": chunk.n_records, "ok": chunk.n_ok, "hits": chunk.n_hits}
        temporary = self._path(index, "done.tmp")
        temporary.write_text(json.dumps(counts), encoding="utf-8")
        temporary.replace(self._path(index, "done"))  # atomic: a chunk is finished or not

    def write_texts(self, index: int, texts: pd.DataFrame) -> None:
        """The texts framing made (from HTML, cleaning, splitting), which hit offsets index."""
        self._path(index, f"texts.{self.fmt}").write_bytes(encode_table(texts, self.fmt))

    def write_signatures(self, index: int, chunk: ChunkOutput) -> None:
        """Signatures, so that `--resume` can rebuild the near-duplicate index unmatched."""
        with self._path(index, "signatures.pickle").open("wb") as fh:
            pickle.dump((chunk.ids, chunk.signatures), fh, protocol=pickle.HIGHEST_PROTOCOL)

    def read_signatures(self, index: int) -> tuple[list[str], list[Any]]:
        with self._path(index, "signatures.pickle").open("rb") as fh:
            ids, signatures = pickle.load(fh)
        return ids, signatures

    def files(self, name: str, n_chunks: int) -> list[Path]:
        return [self._path(i, f"{name}.{self.fmt}") for i in range(n_chunks)]


def _concatenate(parts: list[Path], target: Path, fmt: str) -> None:
    """Join chunk tables into one file, one part in memory at a time."""
    if fmt == "csv":
        with target.open("wb") as out:
            header = b""
            for part in parts:
                with part.open("rb") as fh:
                    first = fh.readline()
                    if not header:
                        header = first
                        out.write(first)
                    elif first != header:
                        raise AssertionError(f"{part}: columns differ from the first chunk's")
                    shutil.copyfileobj(fh, out, 1 << 20)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    # A chunk without hits has untyped (null) columns: unify, so every part fits one schema.
    schema = pa.unify_schemas(
        [pq.read_schema(p) for p in parts], promote_options="permissive"
    ).remove_metadata()
    with pq.ParquetWriter(target, schema) as writer:
        for part in parts:
            writer.write_table(pq.read_table(part).cast(schema))


def _read_table(
    path: Path,
    fmt: str,
    columns: list[str] | None = None,
    *,
    as_text: bool = False,
    categorical: Sequence[str] = (),
) -> pd.DataFrame:
    """A table written by `encode_table`; ``as_text`` reads every CSV cell as the string it is
    (for tables that are written back: "007" or "1.50" must not become numbers), and
    ``categorical`` columns are read as categories (a few distinct values in millions of rows:
    a code per row instead of a string)."""
    if fmt == "csv":
        dtypes: dict[str, Any] = dict.fromkeys(("article_id", "outlet", "duplicate_of"), str)
        dtypes.update(dict.fromkeys(categorical, "category"))
        return pd.read_csv(
            path, usecols=columns, keep_default_na=False, dtype=str if as_text else dtypes
        )
    frame = pd.read_parquet(path, columns=list(columns) if columns else None)
    return frame.astype(dict.fromkeys(categorical, "category")) if categorical else frame


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe_inputs(inputs: Sequence[Path]) -> list[dict[str, Any]]:
    out = []
    for p in inputs:
        if p.is_dir():
            files = sorted(q for q in p.rglob("*") if q.is_file())
            out.append(
                {"path": str(p), "files": len(files), "bytes": sum(q.stat().st_size for q in files)}
            )
        else:
            out.append({"path": str(p), "bytes": p.stat().st_size, "sha256": _sha256(p)})
    return out


def analyze(
    inputs: Iterable[str | Path],
    out: str | Path,
    *,
    lexicon: Lexicon | None = None,
    columns: ColumnMap | None = None,
    spacy_model: str | None = None,
    fmt: str = "csv",
    seed: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
    category_level: int | None = 1,
    chunk_size: int = 1000,
    progress: bool | None = None,
    processes: int = 1,
    resume: bool = False,
    scheduler: str | None = None,
    language: str | None = "lexicon",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    dedupe_ids: bool = False,
    clean: bool | None = None,
    split: bool = False,
    syndicated: str = "keep",
    syndication_threshold: float = 0.8,
) -> AnalysisResult:
    """Analyse corpus files and write the result folder (DESIGN.md section 6).

    Articles stream from the input through matching to the output, chunk by chunk: each chunk's
    tables go to ``out/.partial`` as soon as they are made, and are joined into the output
    files at the end. Outlet profiles and concept shares are computed from the per-article
    tables, the only thing read back.

    Parameters
    ----------
    inputs
        Corpus files or folders (see `framing.corpus.iter_corpus`).
    out
        Output folder; created if needed, files in it are replaced.
    lexicon
        Default: every bundled lexicon.
    columns
        Input column names.
    spacy_model
        An installed spaCy pipeline instead of the offline default.
    fmt
        ``"csv"`` or ``"parquet"`` for the tables.
    seed, n_boot, ci
        Bootstrap settings for intervals.
    category_level
        Category depth of profiles (1 = top-level categories; ``None`` = full ids).
    chunk_size
        Articles held in memory at once (per worker).
    progress
        Show a progress bar; ``None`` shows it only on a terminal.
    processes
        Worker processes for matching (1: in this process). The output is identical.
    resume
        Continue an interrupted run into the same folder after its last finished chunk; the
        output is identical to an uninterrupted run. Refused if inputs or settings changed.
    scheduler
        Address of a running Dask scheduler (e.g. ``tcp://127.0.0.1:8786``): match on its
        workers instead of here (`framing.distributed`). The output is identical.
    language
        Skip articles in another language (ISO 639-1 code); ``"lexicon"``: the lexicons'
        language; ``None``: keep every language.
    max_chars, dedupe_ids, clean, split
        As in `framing.corpus.iter_corpus`: the size limit, repeated ids, scrape cleaning
        (default: .txt/.html only) and splitting multi-article files.
    syndicated
        Near-duplicate articles (`framing.syndication`) in profiles: ``keep`` counts every
        article, ``first`` the first of each story, ``drop`` none of a story's articles; all
        three flag copies in ``articles.duplicate_of``. ``off`` skips the detection.
    syndication_threshold
        Estimated Jaccard similarity of 5-word shingles at or above which an article is a copy.

    Returns
    -------
    AnalysisResult
        Counts and the outlet-level tables.
    """
    from tqdm import tqdm

    from framing import __version__

    if fmt not in ("csv", "parquet"):
        raise FramingError(f"--format: expected 'csv' or 'parquet', got '{fmt}'")
    if processes < 1:
        raise FramingError(f"--processes: expected 1 or more, got {processes}")
    if chunk_size < 1:
        raise FramingError(f"--chunk-size: expected 1 or more, got {chunk_size}")
    if scheduler is not None and processes > 1:
        raise FramingError("--scheduler and --processes: give one; the cluster has the workers")
    if syndicated != "off":
        check_syndication_policy(syndicated)
    paths = [Path(p) for p in inputs]
    lexicon = read_lexicons() if lexicon is None else lexicon
    if language == "lexicon":
        languages = sorted({i.language for i in lexicon.infos})
        if len(languages) > 1:
            raise FramingError(
                f"the lexicons are in {', '.join(languages)}: pass --language CODE or "
                "--any-language"
            )
        language = languages[0] if languages else None
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    described = _describe_inputs(paths) if all(p.exists() for p in paths) else []
    index = None if syndicated == "off" else SyndicationIndex(threshold=syndication_threshold)
    job = {
        "framing": __version__,
        "inputs": described,
        "lexicon": hashlib.sha256(repr(list(lexicon)).encode()).hexdigest(),
        "columns": repr(columns or ColumnMap()),
        "spacy_model": spacy_model,
        "format": fmt,
        "category_level": category_level,
        "chunk_size": chunk_size,
        "language": language,
        "max_chars": max_chars,
        "dedupe_ids": dedupe_ids,
        "clean": clean,
        "split": split,
        "syndication": None if index is None else index.settings,
    }
    parts = _Parts(out_dir / PARTIAL, fmt)
    n_done = parts.start(job, resume)
    copies: dict[str, str] = {}  # article id -> the first article of its story

    def flag(ids: list[str], signatures: list[Any] | None) -> None:
        if index is not None and signatures is not None:
            found = index.add_signatures(ids, signatures)
            copies.update((i, root) for i, root in zip(ids, found, strict=True) if root)

    for k in range(n_done):  # the index as the interrupted run had it
        flag(*parts.read_signatures(k))
    render = ChunkRenderer(fmt=fmt, category_level=category_level)
    signer = None if index is None else index.signer
    client: Any = None  # a distributed.Client
    if scheduler is not None:
        from framing.distributed import connect

        client = connect(scheduler)  # fails fast, naming the address
    corpus = iter_corpus(paths, columns=columns, chunk_size=chunk_size, language=language,
                         max_chars=max_chars, dedupe_ids=dedupe_ids, clean=clean,
                         split=split)  # fmt: skip

    def chunks() -> Iterator[pd.DataFrame]:
        # Finished chunks are read again (cheap) but not matched: ids seen before still count
        # as duplicates, and chunk k of this run is chunk k of the interrupted one.
        for k, chunk in enumerate(itertools.islice(corpus, n_done, None), start=n_done):
            parts.write_texts(k, chunk.loc[chunk["derived"].astype(bool), TEXT_COLUMNS])
            yield chunk

    # Worker processes match, then resample outlets: they live until the final step is done.
    workers = contextlib.ExitStack()
    pool = None
    if processes > 1:
        pool = workers.enter_context(
            matching_pool(
                lexicon, processes=processes, spacy_model=spacy_model, then=render, signer=signer
            )
        )
    with workers:
        bar = tqdm(
            unit=" articles", disable=(None if progress is None else not progress), leave=False
        )
        try:
            stream: Iterator[ChunkOutput]
            if client is not None:
                from framing.distributed import iter_matches_dask

                stream = iter_matches_dask(
                    chunks(), lexicon, client=client, spacy_model=spacy_model, then=render,
                    signer=signer,
                )  # fmt: skip
            elif processes > 1:
                stream = iter_matches_parallel(
                    chunks(), lexicon, processes=processes, then=render, pool=pool
                )
            else:
                # A pipeline of its own (not make_nlp's cached one), so that it and its grown
                # vocabulary are freed with the stream, before the final step needs the memory.
                matcher = LexiconMatcher(lexicon, make_nlp.__wrapped__(spacy_model))
                stream = _match_here(chunks(), matcher, spacy_model, render, signer)
                del matcher
            for k, chunk in enumerate(stream, start=n_done):
                flag(chunk.ids, chunk.signatures)
                if index is not None:
                    parts.write_signatures(k, chunk)
                parts.write(k, chunk)
                bar.update(chunk.n_records)
        finally:
            bar.close()
            if client is not None:
                client.close()
            if index is not None:
                index.close()
        counts = parts.finished()
        n_records = sum(c["records"] for c in counts)
        if n_records == 0:
            raise FramingError(f"no records found in {', '.join(map(str, paths))}")
        n_ok = sum(c["ok"] for c in counts)
        n_hits = sum(c["hits"] for c in counts)
        n_chunks = len(counts)

        # Copies are known only now: each articles part gets its duplicate_of column in place
        # (assign replaces it, so a final step interrupted and resumed writes the same). Outlet
        # tables take the parts one at a time, so memory does not grow with the corpus.
        policy = "keep" if syndicated == "off" else syndicated
        originals = set(copies.values())
        tables = OutletProfiles(
            lexicon.concepts, seed=seed, n_boot=n_boot, ci=ci, spill=parts.folder / "outlets"
        )
        n_analysed = n_counted = 0
        chunk_files = zip(
            *(
                parts.files(name, n_chunks)
                for name in ("articles", "article_profiles", "concept_counts")
            ),
            strict=True,
        )
        for part, profiles_part, concepts_part in chunk_files:
            articles = _read_table(part, fmt, as_text=True)
            ids = articles["article_id"].astype(str)
            articles = articles.assign(duplicate_of=[copies.get(i, "") for i in ids])
            part.write_bytes(encode_table(articles, fmt))
            analysed = (articles["status"] == "ok").to_numpy()
            counted = analysed & syndication_mask(articles, policy, originals=originals).to_numpy()
            n_analysed += int(analysed.sum())
            n_counted += int(counted.sum())
            tables.add(
                articles.loc[counted, ["article_id", "outlet", "n_tokens"]].astype(
                    {"n_tokens": "int64"}
                ),
                _read_table(profiles_part, fmt),
                _read_table(concepts_part, fmt),
            )
        for name in ("articles", "matches", "article_profiles", "texts"):
            _concatenate(parts.files(name, n_chunks), out_dir / f"{name}.{fmt}", fmt)
        syndication_note = (
            "Syndicated copies not looked for (--syndicated off)."
            if syndicated == "off"
            else describe_policy(policy, n_analysed - n_counted, n_analysed)
        )
        # Outlets are resampled side by side in the workers, idle now that matching is done.
        outlets, shares = tables.tables(mapper=map if pool is None else pool.map)
    for name, table in (("outlet_profiles", outlets), ("concept_shares", shares)):
        (out_dir / f"{name}.{fmt}").write_bytes(encode_table(table, fmt))

    from importlib.metadata import version

    run = {
        "framing": __version__,
        "spacy": version("spacy"),
        "pandas": pd.__version__,
        # The default pipeline is not built here when workers match: its name is known.
        "pipeline": DEFAULT_PIPELINE
        if spacy_model is None
        else pipeline_name(make_nlp(spacy_model)),
        "lexicons": [
            {
                "name": i.name,
                "version": i.version,
                "entries": sum(e.lexicon == i.name for e in lexicon),
                "file": Path(i.path).name,
                "sha256": _sha256(Path(i.path)),
            }
            for i in lexicon.infos
        ],
        "overlap_policy": OVERLAP_POLICY,
        "token": "spaCy token that is neither punctuation nor whitespace",
        "rate": "hits per 1,000 tokens; outlet rate = 1000 * sum(count) / sum(n_tokens)",
        "interval": f"percentile bootstrap over articles, {n_boot} resamples, {ci:.0%}",
        "seed": seed,
        "n_boot": n_boot,
        "ci": ci,
        "category_level": category_level,
        "format": fmt,
        "processes": processes,
        "scheduler": scheduler,
        "chunk_size": chunk_size,
        "resumed_after_chunks": n_done,
        "language": language,
        "max_chars": max_chars,
        "dedupe_ids": dedupe_ids,
        "clean": {None: "txt/html only", True: "all", False: "none"}[clean],
        "split_articles": split,
        "syndication": {
            **(index.settings if index is not None else {}),
            "policy": syndicated,
            "copies": len(copies),
            "note": syndication_note,
        },
        "inputs": described,
        "records": n_records,
        "analysed": n_ok,
        "skipped": n_records - n_ok,
        "hits": n_hits,
    }
    (out_dir / "run.json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.rmtree(parts.folder)
    return AnalysisResult(out_dir, n_records, n_ok, n_records - n_ok, n_hits, outlets, shares)


def _match_here(
    chunks: Iterable[pd.DataFrame],
    matcher: LexiconMatcher,
    spacy_model: str | None,
    render: ChunkRenderer,
    signer: Callable[[Any], Any] | None,
) -> Iterator[ChunkOutput]:
    """Matching in this process, one chunk at a time."""
    for chunk in chunks:
        matcher = renewed(matcher, spacy_model)
        yield render(next(iter_matches([chunk], matcher, signer=signer)))
