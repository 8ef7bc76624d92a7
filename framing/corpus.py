"""Read corpora (CSV, TSV, JSONL, Parquet, .txt/.html files, folders); account for every record.

Every input record becomes exactly one row, with ``status`` ``ok`` or ``skipped`` and a
``message`` that says why. What counts as a record:

- JSONL: each line that is not blank; a line that is not a JSON object is a skipped record.
- CSV/TSV: each row after the header, which may span lines inside quotes; blank lines are not
  records; a row that cannot be parsed, or has more or fewer fields than the header, is a
  skipped record whose location is the line it starts on.
- Parquet: each row.
- Folders: each file, except hidden ones (a name starting with ``.``); a file that is not
  ``.txt``/``.html`` or holds binary data is a skipped record.

A record without an id gets its location (``file.csv:17``) as id. Ids must be unique: a repeated
id raises `CorpusError` naming it and both locations, unless ``dedupe_ids`` keeps the first and
skips the rest. Bytes that are not valid UTF-8 are replaced (U+FFFD) and counted in the
record's message ("3 invalid UTF-8 sequences replaced"), never dropped or fatal. Texts longer
than ``max_chars`` and texts in another language than the lexicons' are skipped with the reason.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from framing.clean import clean_text, split_articles
from framing.errors import CorpusError
from framing.language import foreign_language

__all__ = [
    "CORPUS_COLUMNS",
    "DEFAULT_MAX_CHARS",
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
    "derived",  # True: the text is framing's (extracted from HTML, cleaned, split), not the input's
]
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"}
HTML_SUFFIXES = {".html", ".htm"}
DOCUMENT_SUFFIXES = {".txt", *HTML_SUFFIXES}

DEFAULT_MAX_CHARS = 1_000_000
"""Longest text analysed by default: spaCy's ``nlp.max_length``, beyond which it refuses a text."""

_BINARY_PROBE = 8192  # a NUL byte in a file's first 8 KB: binary data, not text
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")

# Article texts in CSV cells can be long: lift the csv module's default cap of 128 KB per field
# (the record is then judged against max_chars, with a reason, instead of failing the parser).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class ColumnMap:
    """Names of the input columns; ``outlet=None`` means "no outlet column: use the file name".

    A table without the text column, whose text column was not named (``text="text"``), reads
    its articles from the ``html`` column when it has one: the article text and the title,
    date and url the page declares are extracted with trafilatura. ``explicit_html`` makes the
    HTML column the source even when the table has a text column too.
    """

    id: str = "id"
    outlet: str | None = "outlet"
    text: str = "text"
    explicit_id: bool = False
    explicit_outlet: bool = False
    html: str | None = "html"
    explicit_html: bool = False


def sample_corpus_path() -> Path:
    """The bundled fictional sample corpus (4 outlets x 21 articles), a JSONL file."""
    return Path(__file__).resolve().parent / "data" / "sample" / "sample.jsonl"


@dataclass
class _Record:
    """One input record as read, before it is checked: at most one of `body` and `problem`."""

    source: str
    outlet: Any
    article_id: Any = None
    body: Any = None  # the text, or an HTML page when is_html
    is_html: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict)
    problem: str = ""  # why the record cannot be read at all
    notes: list[str] = field(default_factory=list)  # e.g. bytes replaced while decoding
    document: bool = False  # a .txt/.html file (scrapes: cleaned by default)


def _cell(value: Any) -> str:
    """A table cell as text; missing values (None, NaN) are empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _decode(data: bytes, encoding: str = "utf-8") -> tuple[str, int]:
    """Decode with U+FFFD for invalid bytes; also return how many sequences were replaced."""
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd") - data.decode(encoding, errors="ignore").count("\ufffd")
    return text, bad


def _replaced(bad: int, encoding: str = "UTF-8") -> list[str]:
    return [f"{bad} invalid {encoding} sequences replaced"] if bad else []


def _extract_html(html: str, url: str | None = None) -> tuple[str, dict[str, str]]:
    """Article text of an HTML page, and the title, date and url the page declares."""
    import trafilatura
    from trafilatura.settings import Document

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if not isinstance(doc, Document):  # None: nothing that looks like an article
        return "", {}
    meta = {key: getattr(doc, key, None) for key in ("title", "date", "url")}
    return str(doc.text or ""), {k: str(v) for k, v in meta.items() if v}


SPILL_IDS = 20_000  # ids kept in memory; past this they move to a temporary file


class _SeenIds:
    """Each article id read so far and where it was first seen (to report a repeated id).

    In a dict for the first `SPILL_IDS` ids, then in a private temporary SQLite file that is
    deleted when closed: a corpus of millions of articles would otherwise hold ~150 bytes of
    memory per article for as long as it is read.
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._db: sqlite3.Connection | None = None
        self._pending = 0  # inserts since the last commit

    def get(self, article_id: str) -> str | None:
        if self._db is None:
            return self._ids.get(article_id)
        found = self._db.execute("SELECT source FROM seen WHERE id = ?", (article_id,)).fetchone()
        return None if found is None else str(found[0])

    def add(self, article_id: str, source: str) -> None:
        """Remember where `article_id` was seen, unless it was seen before."""
        if self._db is None:
            self._ids.setdefault(article_id, source)
            if len(self._ids) > SPILL_IDS:
                self._spill()
            return
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (article_id, source))
        self._pending += 1
        if self._pending >= 10_000:
            self._db.commit()
            self._pending = 0

    def update(self, earlier: Mapping[str, str]) -> None:
        for article_id, source in earlier.items():
            self.add(article_id, source)

    def _spill(self) -> None:
        db = sqlite3.connect("")  # "": a private temporary file, deleted when closed
        db.execute("PRAGMA journal_mode = OFF")  # nothing to recover: it dies with the reader
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, source TEXT) WITHOUT ROWID")
        db.executemany("INSERT INTO seen VALUES (?, ?)", self._ids.items())
        db.commit()
        self._db, self._ids = db, {}


class _Accountant:
    """Turns raw records into corpus rows: ids, checks, statuses; remembers the ids seen."""

    def __init__(
        self,
        *,
        language: str | None,
        max_chars: int | None,
        dedupe_ids: bool,
        clean: bool | None = False,
    ) -> None:
        self.language = language
        self.max_chars = max_chars
        self.dedupe_ids = dedupe_ids
        self.clean = clean
        self.seen = _SeenIds()

    def row(self, record: _Record) -> dict[str, Any]:
        article_id = _cell(record.article_id) or record.source
        first = self.seen.get(article_id)
        if first is not None and not self.dedupe_ids:
            raise CorpusError(
                f"duplicate id '{article_id}' at {record.source} (first at {first}); ids must be "
                "unique, or pass --dedupe-ids to keep the first and skip the rest"
            )
        meta = dict(record.meta)
        derived, notes = False, list(record.notes)
        if first is not None:
            text, reason = "", f"duplicate id '{article_id}' (first at {first})"
            article_id = f"{article_id}#dup@{record.source}"
        else:
            text, reason, derived = self._checked_text(record, meta, notes)
        self.seen.add(article_id, record.source)
        if not reason and not _cell(record.article_id):
            notes.insert(0, "no id: the source location is used")
        return {
            "article_id": article_id,
            "outlet": _cell(record.outlet),
            "text": text,
            "title": _cell(meta.get("title")),
            "date": _cell(meta.get("date")),
            "url": _cell(meta.get("url")),
            "status": "skipped" if reason else "ok",
            "message": "; ".join([reason, *notes] if reason else notes),
            "source": record.source,
            "derived": derived,
        }

    def _checked_text(
        self, record: _Record, meta: dict[str, Any], notes: list[str]
    ) -> tuple[str, str, bool]:
        """The text to analyse (or ``""``), the reason it cannot be analysed (or ``""``), and
        whether the text is framing's own (extracted or cleaned) rather than the input's."""
        if record.problem:
            return "", record.problem, False
        what = "HTML" if record.is_html else "text"
        body = record.body
        if not isinstance(body, str):
            return "", f"no {what} (got {type(body).__name__})", False
        if not body.strip():
            return "", f"empty {what}", False
        derived = False
        if record.is_html:
            body, page = _extract_html(body, url=_cell(meta.get("url")) or None)
            # The record's own title/date/url win: the page's fill in what the record lacks.
            meta.update({k: v for k, v in page.items() if not _cell(meta.get(k))})
            if not body.strip():
                return "", "no article text found in the HTML", False
            derived = True
        if self.clean or (self.clean is None and record.document):
            cleaned = clean_text(body)
            if cleaned.removed:
                if not cleaned.text.strip():
                    return "", f"no text left after cleaning ({cleaned.summary})", False
                body, derived = cleaned.text, True
                notes.append(cleaned.summary)
        if self.max_chars is not None and len(body) > self.max_chars:
            limit = f"over the limit of {self.max_chars:,} (--max-chars)"
            return "", f"text of {len(body):,} characters is {limit}", False
        if self.language:
            found = foreign_language(body, self.language)
            if found:
                return (
                    "",
                    f"language '{found}', not '{self.language}' (the lexicons' language)",
                    False,
                )
        return body, "", derived


def _read_document(path: Path, suffix: str, max_chars: int | None) -> tuple[Any, str, list[str]]:
    """A .txt/.html file's text, or the reason it cannot be read, and notes on decoding."""
    try:
        size = path.stat().st_size
        # No character takes more than 4 bytes: a bigger .txt file is over the limit unread.
        if max_chars is not None and suffix == ".txt" and size > 4 * max_chars:
            limit = f"over the limit of {max_chars:,} characters (--max-chars)"
            return None, f"file of {size:,} bytes is {limit}", []
        data = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read the file: {exc.strerror or exc}", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, bad = _decode(data, "utf-16")  # UTF-16 holds NUL bytes: tell it by its BOM
        return text, "", _replaced(bad, "UTF-16")
    if b"\x00" in data[:_BINARY_PROBE]:
        return None, "binary content (NUL bytes in the first 8 KB), not text", []
    text, bad = _decode(data, "utf-8-sig")
    return text, "", _replaced(bad)


def _iter_documents(root: Path, max_chars: int | None) -> Iterator[_Record]:
    """A folder: each file is one article, outlet = first sub-folder (or the folder)."""
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
        suffix = path.suffix.lower()
        if suffix not in DOCUMENT_SUFFIXES:
            # The full name is the id, so that notes.pdf beside notes.txt is no duplicate.
            yield _Record(
                str(path),
                outlet,
                rel.as_posix(),
                problem=f"not a .txt or .html file ({suffix or 'no suffix'})",
            )
            continue
        text, problem, notes = _read_document(path, suffix, max_chars)
        yield _Record(
            str(path),
            outlet,
            rel.with_suffix("").as_posix(),
            body=text,
            is_html=suffix in HTML_SUFFIXES,
            problem=problem,
            notes=notes,
            document=True,
        )


def _text_column(columns: Sequence[str], cols: ColumnMap, path: Path) -> tuple[str, bool]:
    """The column the articles come from, and whether it holds HTML; checks named columns."""
    html = cols.html
    fallback = cols.text == "text" and cols.text not in columns and html in columns
    use_html = html is not None and (cols.explicit_html or fallback)
    source = html if use_html and html is not None else cols.text
    # A default id or outlet column may be absent (ids then come from the source location,
    # outlets from the file name); a column the user named, and the text column, may not.
    needed = [source]
    needed += [cols.id] if cols.explicit_id else []
    needed += [cols.outlet] if cols.outlet and cols.explicit_outlet else []
    missing = [c for c in needed if c not in columns]
    if missing:
        has = ", ".join(map(repr, columns)) if columns else "no columns"
        raise CorpusError(
            f"{path}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}; the file has: {has}. "
            "Use --id-col/--outlet-col/--text-col, or --html-col for a column of HTML pages."
        )
    return source, use_html


def _table_record(
    values: Mapping[str, Any],
    cols: ColumnMap,
    text_col: str,
    is_html: bool,
    path: Path,
    source: str,
    notes: list[str],
) -> _Record:
    has_outlet = cols.outlet is not None and cols.outlet in values
    return _Record(
        source,
        values[cols.outlet] if has_outlet and cols.outlet is not None else path.stem,
        values.get(cols.id),
        body=values.get(text_col),
        is_html=is_html,
        meta=values,
        notes=notes,
    )


def _fix_surrogates(values: dict[str, Any]) -> int:
    """Replace lone surrogates (from JSON escapes such as \\ud800) that no file can store."""
    n = 0
    for key, value in values.items():
        if isinstance(value, str):
            values[key], k = _SURROGATE.subn("\ufffd", value)
            n += k
    return n


def _iter_jsonl(path: Path, cols: ColumnMap) -> Iterator[_Record]:
    column: tuple[str, bool] | None = None  # decided by the first JSON object
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line, bad = _decode(raw.removeprefix(codecs.BOM_UTF8) if lineno == 1 else raw)
            if not line.strip():
                continue  # blank lines are not records
            source, notes = f"{path}:{lineno}", _replaced(bad)
            try:
                values = json.loads(line)
                problem = (
                    ""
                    if isinstance(values, dict)
                    else f"expected a JSON object, got {type(values).__name__}"
                )
            except json.JSONDecodeError as exc:
                problem = f"invalid JSON at column {exc.colno}: {exc.msg}"
            except (ValueError, RecursionError) as exc:  # huge numbers, deep nesting
                problem = f"invalid JSON: {exc}"
            if problem:  # an unreadable line is still a record: skipped, with the reason
                yield _Record(source, path.stem, problem=f"line {lineno}: {problem}", notes=notes)
                continue
            if column is None:
                column = _text_column(list(values), cols, path)
            if _ESCAPED_SURROGATE.search(line):
                n = _fix_surrogates(values)
                notes += [f"{n} lone surrogate escapes replaced"] if n else []
            yield _table_record(values, cols, *column, path, source, notes)


class _Lines:
    """A binary file as decoded lines for the csv module, counting invalid UTF-8 sequences.

    A lone carriage return ends a line too, so that every row starts on a line of its own.
    """

    def __init__(self, fh: IO[bytes]) -> None:
        self._raw = iter(fh)
        self._pending: list[bytes] = []
        self._first = True
        self.bad = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if not self._pending:
            raw = next(self._raw)
            if self._first:
                raw, self._first = raw.removeprefix(codecs.BOM_UTF8), False
            self._pending = [p for p in _LONE_CR.split(raw) if p] if b"\r" in raw else [raw]
            self._pending.reverse()
        text, bad = _decode(self._pending.pop())
        self.bad += bad
        return text


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's terse error, said for people who never wrote a parser."""
    said = str(exc)
    if said == "unexpected end of data":
        return "a quoted field is not closed before the end of the file"
    if said.endswith("expected after '\"'"):
        return f'{said}: a quote inside a quoted field must be doubled ("")'
    return said


def _lines(first: int, last: int) -> str:
    return f"line {first}" if last <= first else f"lines {first}–{last}"


def _iter_delimited(path: Path, cols: ColumnMap, delimiter: str) -> Iterator[_Record]:
    with path.open("rb") as fh:
        lines = _Lines(fh)
        # strict: a stray quote is an error of that line (which is then a skipped record), not
        # a field silently merged with the lines after it.
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next((fields for fields in reader if any(f.strip() for f in fields)), None)
        except csv.Error as exc:
            raise CorpusError(f"{path}:{reader.line_num}: cannot read the header: {exc}") from exc
        if header is None:
            raise CorpusError(f"{path}: the file is empty")
        repeated = sorted({c for c in header if header.count(c) > 1})
        if repeated:
            raise CorpusError(
                f"{path}:{reader.line_num}: the header names {', '.join(map(repr, repeated))} "
                "more than once"
            )
        column = _text_column(header, cols, path)
        start = reader.line_num + 1
        while True:
            lines.bad = 0
            problem = ""
            try:
                fields = next(reader, None)
            except csv.Error as exc:
                fields, problem = [], _csv_reason(exc)
            if fields is None:
                return
            source, notes = f"{path}:{start}", _replaced(lines.bad)
            if not problem and len(fields) == len(header):
                values = dict(zip(header, fields, strict=True))
                yield _table_record(values, cols, *column, path, source, notes)
            elif problem or len(fields) > 1 or "".join(fields).strip():  # blank: not a record
                problem = problem or (
                    f"expected {len(header)} fields ({', '.join(header)}), found {len(fields)}"
                )
                where = _lines(start, reader.line_num)
                yield _Record(source, path.stem, problem=f"{where}: {problem}", notes=notes)
            start = reader.line_num + 1


def _iter_parquet(path: Path, cols: ColumnMap, batch_size: int) -> Iterator[_Record]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        column = _text_column(pf.schema_arrow.names, cols, path)
        row = 1
        for batch in pf.iter_batches(batch_size=batch_size):
            for values in batch.to_pylist():
                yield _table_record(values, cols, *column, path, f"{path}:{row}", [])
                row += 1
    except (pa.ArrowException, OSError) as exc:
        raise CorpusError(f"{path}: cannot read as Parquet: {exc}") from exc


def iter_corpus(
    paths: Iterable[str | Path],
    *,
    columns: ColumnMap | None = None,
    chunk_size: int = 1000,
    language: str | None = "en",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    dedupe_ids: bool = False,
    clean: bool | None = None,
    split: bool = False,
) -> Iterator[pd.DataFrame]:
    """Stream a corpus as DataFrame chunks with columns `CORPUS_COLUMNS`.

    Every input record yields exactly one row (see the module docstring for what a record is);
    records that cannot be analysed have ``status="skipped"`` and a ``message`` saying why, and
    an empty ``text``. Memory holds one chunk at a time (the ids seen, to find repeated ones, move
    to a temporary file past `SPILL_IDS`).

    Parameters
    ----------
    paths
        Files (``.csv .tsv .jsonl .parquet .txt .html``) or folders of ``.txt``/``.html`` files
        (outlet = the sub-folder's name, or the folder's own name for files directly in it).
        HTML becomes its article text (the ``text`` of the row, which match offsets index) and
        the title, date and url the page declares.
    columns
        Input column names; default ``id``, ``outlet``, ``text`` (or ``html``).
    chunk_size
        Rows per yielded chunk.
    language
        Skip articles detected to be in another language (the lexicons' language, an ISO 639-1
        code); ``None`` keeps every language. Texts under 20 words are never skipped for their
        language: too short to tell (`framing.language.foreign_language`).
    max_chars
        Skip articles whose text is longer than this many characters; ``None``: no limit.
    dedupe_ids
        Keep the first record of a repeated id and skip the others, instead of failing.
    clean
        Remove scrape boilerplate, teasers and duplicate lines (`framing.clean.clean_text`);
        ``None``: only in .txt/.html files. What was removed is counted in ``message``; the
        cleaned text is the row's ``text`` and ``derived`` is True.
    split
        Split each .txt/.html file that holds several articles at its headline/standfirst
        blocks (`framing.clean.split_articles`), after cleaning; the articles get the ids
        ``FILE#1``, ``FILE#2``, ...

    Raises
    ------
    CorpusError
        A path that does not exist or is given twice, an unknown file type, a table without the
        text column (the message lists the columns the file has), an unreadable CSV header or
        Parquet file, or a repeated id (unless ``dedupe_ids``).
    """
    cols = columns or ColumnMap()
    acc = _Accountant(language=language, max_chars=max_chars, dedupe_ids=dedupe_ids, clean=clean)
    resolved = [Path(p) for p in paths]
    seen_paths: set[Path] = set()
    for path in resolved:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        if path.is_file() and path.suffix.lower() not in TABLE_SUFFIXES | DOCUMENT_SUFFIXES:
            raise CorpusError(
                f"{path}: unknown corpus format '{path.suffix}'; expected one of "
                f"{', '.join(sorted(TABLE_SUFFIXES | DOCUMENT_SUFFIXES))} or a folder"
            )
        if path.resolve() in seen_paths:
            raise CorpusError(f"{path}: given twice")
        seen_paths.add(path.resolve())

    def records() -> Iterator[_Record]:
        for path in resolved:
            suffix = path.suffix.lower()
            if path.is_dir() or suffix in DOCUMENT_SUFFIXES:
                yield from _iter_documents(path, max_chars)
            elif suffix in (".jsonl", ".ndjson"):
                yield from _iter_jsonl(path, cols)
            elif suffix == ".parquet":
                yield from _iter_parquet(path, cols, chunk_size)
            else:
                yield from _iter_delimited(path, cols, "\t" if suffix == ".tsv" else ",")

    def rows() -> Iterator[dict[str, Any]]:
        for record in records():
            row = acc.row(record)
            parts = (
                split_articles(row["text"])
                if split and record.document and row["status"] == "ok"
                else []
            )
            if len(parts) < 2:
                yield row
                continue
            for k, part in enumerate(parts, 1):
                note = f"article {k} of {len(parts)} (--split-articles)"
                yield {**row, "article_id": f"{row['article_id']}#{k}", "text": part,
                       "message": "; ".join(m for m in (row["message"], note) if m),
                       "derived": True}  # fmt: skip

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
    html_col: str | None = None,
    language: str | None = "en",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    dedupe_ids: bool = False,
    clean: bool | None = None,
    split: bool = False,
) -> pd.DataFrame:
    """Read a whole corpus into one DataFrame (see `iter_corpus` for formats and statuses).

    Parameters
    ----------
    paths
        One path or several.
    id_col, outlet_col, text_col
        Input column names for tables; ``outlet_col=None`` uses each file's name as the outlet.
    html_col
        A column of HTML pages to extract the articles from; by default a table without a
        ``text`` column uses its ``html`` column when it has one.
    language, max_chars, dedupe_ids, clean, split
        As in `iter_corpus`.

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
        html=html_col or "html",
        explicit_html=html_col is not None,
    )
    chunks = list(
        iter_corpus(
            items,
            columns=cols,
            language=language,
            max_chars=max_chars,
            dedupe_ids=dedupe_ids,
            clean=clean,
            split=split,
        )
    )
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=CORPUS_COLUMNS)
