"""The analyze job: corpus files to matches and profiles in a folder, streaming disk to disk."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from framing.corpus import ColumnMap, iter_corpus
from framing.errors import FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import OVERLAP_POLICY, LexiconMatcher, iter_matches, iter_matches_parallel
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


class _TableWriter:
    """Appends DataFrames to one CSV or Parquet file, so nothing accumulates in memory."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path = path
        self.fmt = fmt
        self._started = False
        self._parquet: Any = None

    def write(self, frame: pd.DataFrame) -> None:
        if self.fmt == "csv":
            frame.to_csv(
                self.path,
                mode="a" if self._started else "w",
                header=not self._started,
                index=False,
                float_format=FLOAT_FORMAT,
                lineterminator="\n",
            )
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table.cast(self._parquet.schema))
        self._started = True

    def close(self, empty: pd.DataFrame) -> None:
        if not self._started:
            self.write(empty)
        if self._parquet is not None:
            self._parquet.close()


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
) -> AnalysisResult:
    """Analyse corpus files and write the result folder (DESIGN.md section 6).

    Articles stream from the input through matching to the output files chunk by chunk; only
    per-article profile rows are read back to compute outlet profiles and shares.

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
        Articles held in memory at once.
    progress
        Show a progress bar; ``None`` shows it only on a terminal.
    processes
        Worker processes for matching (1: in this process). The output is identical.

    Returns
    -------
    AnalysisResult
        Counts and the outlet-level tables.
    """
    from tqdm import tqdm

    if fmt not in ("csv", "parquet"):
        raise FramingError(f"--format: expected 'csv' or 'parquet', got '{fmt}'")
    paths = [Path(p) for p in inputs]
    lexicon = read_lexicons() if lexicon is None else lexicon
    if processes < 1:
        raise FramingError(f"--processes: expected 1 or more, got {processes}")
    nlp = make_nlp(spacy_model)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    file = {name: out_dir / f"{name}.{fmt}" for name in OUTPUT_FILES}
    writers = {
        name: _TableWriter(file[name], fmt) for name in ("articles", "matches", "article_profiles")
    }
    concept_parts: list[pd.DataFrame] = []
    n_records = n_ok = n_hits = 0
    empty = {}
    bar = tqdm(unit=" articles", disable=(None if progress is None else not progress), leave=False)
    try:
        chunks = iter_corpus(paths, columns=columns, chunk_size=chunk_size)
        stream = (
            iter_matches_parallel(chunks, lexicon, processes=processes, spacy_model=spacy_model)
            if processes > 1
            else iter_matches(chunks, LexiconMatcher(lexicon, nlp))
        )
        for matches in stream:
            articles = matches.articles[ARTICLE_OUTPUT_COLUMNS]
            profiles = profile_articles(matches, level=category_level)
            writers["articles"].write(articles)
            writers["matches"].write(matches.hits)
            writers["article_profiles"].write(profiles)
            concept_parts.append(article_concept_counts(matches))
            empty = {
                "articles": articles.iloc[:0],
                "matches": matches.hits.iloc[:0],
                "article_profiles": profiles.iloc[:0],
            }
            n_records += len(articles)
            n_ok += int((articles["status"] == "ok").sum())
            n_hits += len(matches.hits)
            bar.update(len(articles))
    finally:
        bar.close()
        for name, writer in writers.items():
            writer.close(empty.get(name, pd.DataFrame()))
    if n_records == 0:
        raise FramingError(f"no records found in {', '.join(map(str, paths))}")

    articles_table = _read_table(
        file["articles"], fmt, ["article_id", "outlet", "n_tokens", "status"]
    )
    article_profiles = _read_table(file["article_profiles"], fmt)
    outlets = profile_outlets(article_profiles, articles_table, seed=seed, n_boot=n_boot, ci=ci)
    concept_counts = pd.concat(concept_parts, ignore_index=True)
    shares = concept_shares(
        concept_counts, articles_table, lexicon.concepts, seed=seed, n_boot=n_boot, ci=ci
    )
    for name, table in (("outlet_profiles", outlets), ("concept_shares", shares)):
        writer = _TableWriter(file[name], fmt)
        writer.write(table)
        writer.close(table)

    from importlib.metadata import version

    from framing import __version__

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
        "inputs": _describe_inputs(paths),
        "records": n_records,
        "analysed": n_ok,
        "skipped": n_records - n_ok,
        "hits": n_hits,
    }
    (out_dir / "run.json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return AnalysisResult(out_dir, n_records, n_ok, n_records - n_ok, n_hits, outlets, shares)
