"""The analyze job: corpus files to matches and profiles in a folder, streaming disk to disk."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from framing.corpus import ColumnMap, iter_corpus
from framing.errors import FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import (
    OVERLAP_POLICY,
    LexiconMatcher,
    Matches,
    iter_matches,
    iter_matches_parallel,
    renewed,
)
from framing.nlp import make_nlp, pipeline_name
from framing.profile import (
    article_concept_counts,
    concept_shares,
    profile_articles,
    profile_outlets,
)

__all__ = ["OUTPUT_FILES", "AnalysisResult", "analyze"]

OUTPUT_FILES = ("articles", "matches", "article_profiles", "outlet_profiles", "concept_shares")
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
        text = frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
        return text.encode("utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return bytes(sink.getvalue().to_pybytes())


@dataclass(frozen=True)
class ChunkOutput:
    """One chunk's output tables, encoded, with the counts the summary needs."""

    tables: dict[str, bytes]
    n_records: int
    n_ok: int
    n_hits: int


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


def _read_parts(parts: list[Path], fmt: str, columns: list[str] | None = None) -> pd.DataFrame:
    frames = [_read_table(p, fmt, columns) for p in parts]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _read_table(path: Path, fmt: str, columns: list[str] | None = None) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(
            path, usecols=columns, keep_default_na=False, dtype={"article_id": str, "outlet": str}
        )
    return pd.read_parquet(path, columns=list(columns) if columns else None)


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
    paths = [Path(p) for p in inputs]
    lexicon = read_lexicons() if lexicon is None else lexicon
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    described = _describe_inputs(paths) if all(p.exists() for p in paths) else []
    job = {
        "framing": __version__,
        "inputs": described,
        "lexicon": hashlib.sha256(repr(list(lexicon)).encode()).hexdigest(),
        "columns": repr(columns or ColumnMap()),
        "spacy_model": spacy_model,
        "format": fmt,
        "category_level": category_level,
        "chunk_size": chunk_size,
    }
    parts = _Parts(out_dir / PARTIAL, fmt)
    n_done = parts.start(job, resume)
    render = ChunkRenderer(fmt=fmt, category_level=category_level)
    nlp = make_nlp(spacy_model)
    bar = tqdm(unit=" articles", disable=(None if progress is None else not progress), leave=False)
    try:
        # Finished chunks are read again (cheap) but not matched: ids seen before still count
        # as duplicates, and chunk k of this run is chunk k of the interrupted one.
        chunks = itertools.islice(iter_corpus(paths, columns=columns, chunk_size=chunk_size),
                                  n_done, None)  # fmt: skip
        stream: Iterator[ChunkOutput]
        if processes > 1:
            stream = iter_matches_parallel(
                chunks, lexicon, processes=processes, spacy_model=spacy_model, then=render
            )
        else:
            stream = _match_here(chunks, LexiconMatcher(lexicon, nlp), spacy_model, render)
        for index, chunk in enumerate(stream, start=n_done):
            parts.write(index, chunk)
            bar.update(chunk.n_records)
    finally:
        bar.close()
    counts = parts.finished()
    n_records = sum(c["records"] for c in counts)
    if n_records == 0:
        raise FramingError(f"no records found in {', '.join(map(str, paths))}")
    n_ok = sum(c["ok"] for c in counts)
    n_hits = sum(c["hits"] for c in counts)
    n_chunks = len(counts)
    for name in ("articles", "matches", "article_profiles"):
        _concatenate(parts.files(name, n_chunks), out_dir / f"{name}.{fmt}", fmt)

    articles_table = _read_table(
        out_dir / f"articles.{fmt}", fmt, ["article_id", "outlet", "n_tokens", "status"]
    )
    article_profiles = _read_table(out_dir / f"article_profiles.{fmt}", fmt)
    outlets = profile_outlets(article_profiles, articles_table, seed=seed, n_boot=n_boot, ci=ci)
    concept_counts = _read_parts(parts.files("concept_counts", n_chunks), fmt)
    shares = concept_shares(
        concept_counts, articles_table, lexicon.concepts, seed=seed, n_boot=n_boot, ci=ci
    )
    for name, table in (("outlet_profiles", outlets), ("concept_shares", shares)):
        (out_dir / f"{name}.{fmt}").write_bytes(encode_table(table, fmt))

    from importlib.metadata import version

    run = {
        "framing": __version__,
        "spacy": version("spacy"),
        "pandas": pd.__version__,
        "pipeline": pipeline_name(nlp),
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
        "chunk_size": chunk_size,
        "resumed_after_chunks": n_done,
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
) -> Iterator[ChunkOutput]:
    """Matching in this process, one chunk at a time."""
    for chunk in chunks:
        matcher = renewed(matcher, spacy_model)
        yield render(next(iter_matches([chunk], matcher)))
