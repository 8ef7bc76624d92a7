"""Read corpora (CSV, TSV, JSONL, Parquet, .txt/.html files, folders); account for every record."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from framing.errors import CorpusError

__all__ = [
    "CORPUS_COLUMNS",
    "ColumnMap",
    "iter_corpus",
    "read_corpus",
    "sample_corpus_path",
]

CORPUS_COLUMNS = [
    "article_id",
    "outlet",
    "text",
    "title",
    "date",
    "url",
    "status",
    "message",
    "source",
]
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"}
DOCUMENT_SUFFIXES = {".txt", ".html", ".htm"}


@dataclass(frozen=True)
class ColumnMap:
    """Names of the input columns; ``outlet=None`` means "no outlet column: use the file name"."""

    id: str = "id"
    outlet: str | None = "outlet"
    text: str = "text"
    explicit_id: bool = False
    explicit_outlet: bool = False


def sample_corpus_path() -> Path:
    """The bundled fictional sample corpus (4 outlets x 21 articles), a JSONL file."""
    return Path(__file__).resolve().parent / "data" / "sample" / "sample.jsonl"


class _Accountant:
    """Turns raw records into corpus rows: ids, outlets, statuses; remembers ids already seen."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def row(
        self,
        *,
        article_id: Any,
        outlet: Any,
        text: Any,
        source: str,
        meta: dict[str, Any] | None = None,
        status: str = "ok",
        message: str = "",
    ) -> dict[str, Any]:
        meta = meta or {}
        aid = (
            ""
            if article_id is None or (isinstance(article_id, float) and pd.isna(article_id))
            else str(article_id)
        )
        if not aid:
            aid = source
            if status == "ok":
                message = "; ".join(m for m in (message, "no id: the source location is used") if m)
        if status == "ok":
            if not isinstance(text, str):
                status, message = "skipped", f"no text (got {type(text).__name__})"
                text = ""
            elif not text.strip():
                status, message = "skipped", "empty text"
        if aid in self.seen:
            status = "skipped"
            message = f"duplicate id '{aid}' (first at {self.seen[aid]})"
            aid = f"{aid}#dup@{source}"
        self.seen.setdefault(aid, source)
        return {
            "article_id": aid,
            "outlet": "" if outlet is None else str(outlet),
            "text": text if isinstance(text, str) else "",
            "title": str(meta.get("title") or ""),
            "date": str(meta.get("date") or ""),
            "url": str(meta.get("url") or ""),
            "status": status,
            "message": message,
            "source": source,
        }


def _decode(data: bytes) -> tuple[str, int]:
    text = data.decode("utf-8", errors="replace")
    return text, text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")


def _html_to_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False) or ""


def _iter_documents(root: Path, acc: _Accountant) -> Iterator[dict[str, Any]]:
    """A folder: each .txt/.html file is one article, outlet = first sub-folder (or the folder)."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        rel = path.relative_to(root) if root.is_dir() else Path(path.name)
        if any(part.startswith(".") for part in rel.parts):
            continue  # hidden files and folders (.git, .DS_Store) are not articles
        outlet = (
            rel.parts[0]
            if len(rel.parts) > 1
            else (root.name if root.is_dir() else path.parent.name)
        )
        article_id = rel.with_suffix("").as_posix()
        source = str(path)
        if path.suffix.lower() not in DOCUMENT_SUFFIXES:
            yield acc.row(
                article_id=article_id,
                outlet=outlet,
                text="",
                source=source,
                status="skipped",
                message=f"not a .txt or .html file: {path.suffix or 'no suffix'}",
            )
            continue
        text, bad = _decode(path.read_bytes())
        message = f"{bad} invalid UTF-8 sequences replaced" if bad else ""
        if path.suffix.lower() in (".html", ".htm"):
            text = _html_to_text(text)
        yield acc.row(
            article_id=article_id, outlet=outlet, text=text, source=source, message=message
        )


def _check_columns(columns: Sequence[str], cols: ColumnMap, path: Path) -> None:
    # A default id or outlet column may be absent (ids then come from the source location,
    # outlets from the file name); a column the user named, and the text column, may not.
    needed = [cols.text]
    needed += [cols.id] if cols.explicit_id else []
    needed += [cols.outlet] if cols.outlet and cols.explicit_outlet else []
    missing = [c for c in needed if c not in columns]
    if missing:
        raise CorpusError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}; "
            f"the file has: {', '.join(map(repr, columns))}. Use --id-col/--outlet-col/--text-col."
        )


def _table_rows(
    frame: pd.DataFrame, cols: ColumnMap, path: Path, first_line: int, acc: _Accountant
) -> Iterator[dict[str, Any]]:
    has_outlet = cols.outlet is not None and cols.outlet in frame.columns
    records: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    for n, record in enumerate(records):
        yield acc.row(
            article_id=record.get(cols.id),
            outlet=record.get(cols.outlet) if has_outlet and cols.outlet else path.stem,
            text=record.get(cols.text),
            source=f"{path}:{first_line + n}",
            meta=record,
        )


def _iter_table(
    path: Path, cols: ColumnMap, acc: _Accountant, chunk_size: int
) -> Iterator[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open("rb") as fh:
            checked = False
            for lineno, raw in enumerate(fh, start=1):
                line, bad = _decode(raw)
                if not line.strip():
                    continue
                source = f"{path}:{lineno}"
                try:
                    record = json.loads(line)
                    problem = (
                        ""
                        if isinstance(record, dict)
                        else (f"expected a JSON object, got {type(record).__name__}")
                    )
                except json.JSONDecodeError as exc:
                    problem = f"invalid JSON at column {exc.colno}: {exc.msg}"
                if problem:  # an unreadable line is still a record: skipped, with the reason
                    message = f"line {lineno}: {problem}"
                    yield acc.row(article_id=None, outlet=path.stem, text="", source=source,
                                  status="skipped", message=message)  # fmt: skip
                    continue
                if not checked:
                    _check_columns(list(record), cols, path)
                    checked = True
                has_outlet = cols.outlet is not None and cols.outlet in record
                row = acc.row(
                    article_id=record.get(cols.id),
                    outlet=record.get(cols.outlet) if has_outlet and cols.outlet else path.stem,
                    text=record.get(cols.text),
                    source=source,
                    meta=record,
                )
                if bad:
                    row["message"] = "; ".join(
                        m for m in (row["message"], f"{bad} invalid UTF-8 sequences replaced") if m
                    )
                yield row
        return
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        _check_columns(pf.schema_arrow.names, cols, path)
        row_line = 1
        for batch in pf.iter_batches(batch_size=chunk_size):
            frame = batch.to_pandas()
            yield from _table_rows(frame, cols, path, row_line, acc)
            row_line += len(frame)
        return
    sep = "\t" if suffix == ".tsv" else ","
    try:
        with pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            chunksize=chunk_size,
            encoding_errors="replace",
        ) as reader:
            row_line = 2  # line 1 is the header
            for i, frame in enumerate(reader):
                if i == 0:
                    _check_columns(list(frame.columns), cols, path)
                yield from _table_rows(frame, cols, path, row_line, acc)
                row_line += len(frame)
    except pd.errors.ParserError as exc:
        raise CorpusError(f"{path}: cannot parse as {suffix[1:].upper()}: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise CorpusError(f"{path}: the file is empty") from exc


def iter_corpus(
    paths: Iterable[str | Path],
    *,
    columns: ColumnMap | None = None,
    chunk_size: int = 1000,
) -> Iterator[pd.DataFrame]:
    """Stream a corpus as DataFrame chunks with columns `CORPUS_COLUMNS`.

    Every input record yields exactly one row; records that cannot be analysed have
    ``status="skipped"`` and a ``message`` saying why. Memory holds one chunk at a time (plus the
    set of ids seen, to flag duplicates).

    Parameters
    ----------
    paths
        Files (``.csv .tsv .jsonl .parquet .txt .html``) or folders of ``.txt``/``.html`` files
        (outlet = the sub-folder's name, or the folder's own name for files directly in it).
    columns
        Input column names; default ``id``, ``outlet``, ``text``.
    chunk_size
        Rows per yielded chunk.

    Raises
    ------
    CorpusError
        A path that does not exist, an unknown file type, or a table without the text column
        (the message lists the columns the file has).
    """
    cols = columns or ColumnMap()
    acc = _Accountant()
    resolved = [Path(p) for p in paths]
    for path in resolved:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        if path.is_file() and path.suffix.lower() not in TABLE_SUFFIXES | DOCUMENT_SUFFIXES:
            raise CorpusError(
                f"{path}: unknown corpus format '{path.suffix}'; expected one of "
                f"{', '.join(sorted(TABLE_SUFFIXES | DOCUMENT_SUFFIXES))} or a folder"
            )

    def rows() -> Iterator[dict[str, Any]]:
        for path in resolved:
            if path.is_dir() or path.suffix.lower() in DOCUMENT_SUFFIXES:
                yield from _iter_documents(path, acc)
            else:
                yield from _iter_table(path, cols, acc, chunk_size)

    buffer: list[dict[str, Any]] = []
    for row in rows():
        buffer.append(row)
        if len(buffer) >= chunk_size:
            yield pd.DataFrame(buffer, columns=CORPUS_COLUMNS)
            buffer = []
    if buffer:
        yield pd.DataFrame(buffer, columns=CORPUS_COLUMNS)


def read_corpus(
    paths: str | Path | Iterable[str | Path],
    *,
    id_col: str = "id",
    outlet_col: str | None = "outlet",
    text_col: str = "text",
) -> pd.DataFrame:
    """Read a whole corpus into one DataFrame (see `iter_corpus` for formats and statuses).

    Parameters
    ----------
    paths
        One path or several.
    id_col, outlet_col, text_col
        Input column names for tables; ``outlet_col=None`` uses each file's name as the outlet.

    Returns
    -------
    pandas.DataFrame
        Columns `CORPUS_COLUMNS`, one row per input record.
    """
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    cols = ColumnMap(
        id=id_col,
        outlet=outlet_col,
        text=text_col,
        explicit_id=id_col != "id",
        explicit_outlet=outlet_col not in (None, "outlet"),
    )
    chunks = list(iter_corpus(items, columns=cols))
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=CORPUS_COLUMNS)
