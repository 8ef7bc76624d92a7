"""Bad input: each case gets a clear message, and every input record comes out exactly once."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framing import corpus as corpus_module
from framing.corpus import CORPUS_COLUMNS, iter_corpus, read_corpus
from framing.errors import CorpusError

DATA = Path(__file__).parent / "data" / "corpus"
GERMAN = (DATA / "languages" / "de.txt").read_text(encoding="utf-8")


def read_all(path: Path, **options: Any) -> pd.DataFrame:
    chunks = list(iter_corpus([path], **options))
    return pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame(columns=CORPUS_COLUMNS)


def rows_by_source(corpus: pd.DataFrame) -> dict[str, Any]:
    return {row.source: row for row in corpus.itertuples()}


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_bytes(b'{"id": "j", "text": "Caf\xe9 opens \xff\xfe today."}\n')
    delimited = tmp_path / "c.csv"
    delimited.write_bytes(b"id,text\nc,Bad \xc3 byte here.\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "d.txt").write_bytes(b"Three \xff bad \xfe bytes \x80 in a file.")
    corpus = read_corpus([jsonl, delimited, folder]).set_index("article_id")
    assert corpus.loc["j", "message"] == "3 invalid UTF-8 sequences replaced"
    assert corpus.loc["c", "message"] == "1 invalid UTF-8 sequences replaced"
    assert corpus.loc["d", "message"] == "3 invalid UTF-8 sequences replaced"
    assert (corpus["status"] == "ok").all()
    assert corpus.loc["j", "text"] == "Caf\ufffd opens \ufffd\ufffd today."
    assert corpus.loc["d", "text"].count("\ufffd") == 3


def test_lone_surrogate_escapes_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "s", "outlet": "X\ud800", "text": "A\udc00 b."}) + "\n")
    row = read_corpus(path).iloc[0]
    assert (row.outlet, row.text) == ("X\ufffd", "A\ufffd b.")
    assert row.status == "ok" and row.message == "2 lone surrogate escapes replaced"


def test_empty_and_whitespace_text_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('id,text\ne,\nw,"  \t\n "\nok,Words.\n', encoding="utf-8")
    corpus = read_corpus(path).set_index("article_id")
    assert corpus.loc["e", ["status", "message"]].tolist() == ["skipped", "empty text"]
    assert corpus.loc["w", ["status", "message"]].tolist() == ["skipped", "empty text"]
    assert corpus.loc["ok", "status"] == "ok"


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_missing_text_column_lists_the_columns_there_are(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"id": ["x"], "body": ["Some words."]})
    path = tmp_path / f"c{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    with pytest.raises(CorpusError) as info:
        read_corpus(path)
    assert str(info.value) == (
        f"{path}: missing column 'text'; the file has: 'id', 'body'. "
        "Use --id-col/--outlet-col/--text-col, or --html-col for a column of HTML pages."
    )


def test_missing_named_html_column_and_no_fallback_from_a_named_text_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["x"], "html": ["<p>Hi</p>"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="missing column 'page'; the file has: 'id', 'html'"):
        read_corpus(path, html_col="page")
    # A text column the user named is required: the html column does not stand in for it.
    with pytest.raises(CorpusError, match="missing column 'body'; the file has: 'id', 'html'"):
        read_corpus(path, text_col="body")


@pytest.mark.parametrize("spill", [None, 1])  # the ids seen in memory, or moved to a file
def test_duplicate_ids_are_an_error_naming_both_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: int | None
) -> None:
    if spill is not None:
        monkeypatch.setattr(corpus_module, "SPILL_IDS", spill)
    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.csv"
    first.write_text(json.dumps({"id": "dup", "text": "One."}) + "\n", encoding="utf-8")
    second.write_text("id,text\nfine,Two.\ndup,Three.\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_corpus([first, second])
    assert str(info.value) == (
        f"duplicate id 'dup' at {second}:3 (first at {first}:1); ids must be unique, "
        "or pass --dedupe-ids to keep the first and skip the rest"
    )


@pytest.mark.parametrize("spill", [None, 1])
def test_dedupe_ids_keeps_the_first_and_skips_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: int | None
) -> None:
    if spill is not None:
        monkeypatch.setattr(corpus_module, "SPILL_IDS", spill)
    path = tmp_path / "c.csv"
    path.write_text("id,text\nx,First.\ny,Other.\nx,Second.\nx,Third.\n", encoding="utf-8")
    corpus = read_corpus(path, dedupe_ids=True)
    assert corpus["article_id"].is_unique and len(corpus) == 4
    rows = rows_by_source(corpus)
    assert (rows[f"{path}:2"].article_id, rows[f"{path}:2"].text) == ("x", "First.")
    for line in (4, 5):
        row = rows[f"{path}:{line}"]
        assert row.status == "skipped"
        assert row.message == f"duplicate id 'x' (first at {path}:2)"


def test_rows_over_the_size_limit_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    long = "The ferry runs again. " * 7
    lines = [{"id": "long", "text": long}, {"id": "short", "text": "A few words."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    corpus = read_corpus(path, max_chars=len(long) - 1).set_index("article_id")
    assert corpus.loc["long", "status"] == "skipped"
    assert corpus.loc["long", "message"] == (
        f"text of {len(long)} characters is over the limit of {len(long) - 1} (--max-chars)"
    )
    assert corpus.loc["short", "status"] == "ok"
    assert (read_corpus(path, max_chars=None)["status"] == "ok").all()


def test_text_file_far_over_the_limit_is_skipped_unread(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 500, encoding="utf-8")
    row = read_corpus(tmp_path, max_chars=100).iloc[0]
    assert row.status == "skipped"
    assert row.message == "file of 500 bytes is over the limit of 100 characters (--max-chars)"


def test_binary_files_in_a_folder_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "photo.txt").write_bytes(b"looks like text\x00\x01\x02 but is not")
    (tmp_path / "notes").write_bytes(b"no suffix")
    (tmp_path / "wide.txt").write_bytes("Saved as UTF-16.".encode("utf-16"))
    corpus = read_corpus(tmp_path).set_index("article_id")
    assert corpus.loc["photo.png", "message"] == "not a .txt or .html file (.png)"
    assert corpus.loc["photo", "message"] == (
        "binary content (NUL bytes in the first 8 KB), not text"
    )
    assert corpus.loc["notes", "message"] == "not a .txt or .html file (no suffix)"
    assert corpus.loc[["photo.png", "photo", "notes"], "status"].eq("skipped").all()
    assert corpus.loc["wide", ["status", "text"]].tolist() == ["ok", "Saved as UTF-16."]


def test_corpus_file_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as info:
        read_corpus(tmp_path / "missing.jsonl")
    assert str(info.value) == f"{tmp_path / 'missing.jsonl'}: no such file or folder"


def test_unparseable_jsonl_lines_are_records_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "a", "text": "Fine."}\n\n{"id": "b", "text": \n[1, 2]\n\x00\xff\n')
    corpus = read_corpus(path)
    assert corpus["source"].tolist() == [f"{path}:{n}" for n in (1, 3, 4, 5)]
    rows = rows_by_source(corpus)
    assert rows[f"{path}:3"].article_id == f"{path}:3"
    assert rows[f"{path}:3"].message.startswith("line 3: invalid JSON at column")
    assert rows[f"{path}:4"].message == "line 4: expected a JSON object, got list"
    assert rows[f"{path}:5"].message.startswith("line 5: invalid JSON")
    assert rows[f"{path}:5"].message.endswith("; 1 invalid UTF-8 sequences replaced")
    assert corpus["status"].tolist() == ["ok", "skipped", "skipped", "skipped"]


def test_unparseable_csv_lines_are_records_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "id,outlet,text\n"
        'a,North,"A quoted text\nover two lines."\n'  # lines 2-3: one good record
        "b,North,too,many\n"  # line 4
        "\n"  # line 5: blank, not a record
        'c,North,"stray" quote"\n'  # line 6
        "d,North\n"  # line 7
        "e,North,Fine again.\n"  # line 8
        'f,North,"never closed\n'  # lines 9-10: runs to the end
        "g,North,swallowed.\n",
        encoding="utf-8",
    )
    corpus = read_corpus(path)
    rows = rows_by_source(corpus)
    assert list(rows) == [f"{path}:{n}" for n in (2, 4, 6, 7, 8, 9)]
    assert rows[f"{path}:2"].text == "A quoted text\nover two lines."
    assert rows[f"{path}:4"].message == "line 4: expected 3 fields (id, outlet, text), found 4"
    assert rows[f"{path}:6"].message == (
        "line 6: ',' expected after '\"': a quote inside a quoted field must be doubled (\"\")"
    )
    assert rows[f"{path}:7"].message == "line 7: expected 3 fields (id, outlet, text), found 2"
    assert rows[f"{path}:9"].message == (
        "lines 9–10: a quoted field is not closed before the end of the file"
    )
    broken = [f"{path}:{n}" for n in (4, 6, 7, 9)]
    assert all(rows[s].article_id == s and rows[s].status == "skipped" for s in broken)
    assert rows[f"{path}:8"].article_id == "e" and rows[f"{path}:8"].status == "ok"


def test_csv_with_old_mac_line_ends_numbers_lines_as_an_editor_does(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b'id,text\r1,One.\r2,"Two\rlines."\r3,Three.\r')
    corpus = read_corpus(path)
    assert corpus["source"].tolist() == [f"{path}:{n}" for n in (2, 3, 5)]
    assert corpus["text"].tolist() == ["One.", "Two\rlines.", "Three."]


def test_empty_csv_and_a_repeated_header_name(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv: the file is empty"):
        read_corpus(path)
    path.write_text("id,text,text\n1,a,b\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.csv:1: the header names 'text' more than once"):
        read_corpus(path)


def test_corrupt_parquet_file(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(CorpusError, match=r"c\.parquet: cannot read as Parquet"):
        read_corpus(path)


# --- the invariant, on random input ------------------------------------------------------------

MAX_CHARS = 200
IDS = st.one_of(st.none(), st.sampled_from(["a", "b", "7"]), st.integers(0, 3))
TEXTS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_characters="@"), max_size=40),
    st.sampled_from(["", " ", "\n\t ", "x" * (MAX_CHARS + 1), GERMAN, "ok\x00\x01 junk"]),
)
BAD_BYTES = st.sampled_from([b"", b"\xff", b"\xc3", b"\xed\xa0\x80"])  # "" = none injected


@st.composite
def jsonl_lines(draw: st.DrawFn) -> tuple[list[bytes], dict[int, str]]:
    """A JSONL file as lines, and the text each good record with no id should come out with."""
    lines, expected = [b'{"id": "first", "text": "The first record."}'], {}
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["record", "junk", "blank", "truncated", "odd"]))
        if kind == "record":
            article_id, text, bad = draw(IDS), draw(st.one_of(TEXTS, st.none())), draw(BAD_BYTES)
            if isinstance(text, str):
                text = "@" + text + ("\ud800" if draw(st.booleans()) else "")
            line = json.dumps({"id": article_id, "outlet": "O", "text": text}).encode()
            lines.append(line.replace(b"@", bad, 1))
            if article_id is None and isinstance(text, str):
                replaced = "\ufffd" * len(bad.decode("utf-8", "replace")) if bad else ""
                expected[len(lines)] = replaced + text[1:].replace("\ud800", "\ufffd")
        elif kind == "junk":
            lines.append(draw(st.binary(min_size=1, max_size=60)).replace(b"\n", b" "))
        elif kind == "blank":
            lines.append(draw(st.sampled_from([b"", b"  ", b"\t"])))
        elif kind == "truncated":
            full = json.dumps({"id": draw(IDS), "text": draw(TEXTS)}).encode()
            lines.append(full[: draw(st.integers(1, len(full) - 1))])
        else:
            lines.append(draw(st.sampled_from([b"[1, 2]", b'"text"', b"null", b"{}", b"1e999"])))
    return lines, expected


@st.composite
def csv_lines(draw: st.DrawFn) -> tuple[list[bytes], dict[int, str]]:
    """A CSV file as records (some spanning lines), and the text of good records with no id."""
    lines, expected, line_no = [b"id,outlet,text"], {}, 1
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["record", "junk", "blank", "broken"]))
        if kind == "record":
            article_id, text, bad = draw(IDS), "@" + draw(TEXTS), draw(BAD_BYTES)
            buffer = io.StringIO()
            # "\r\n" as terminator: only then does the writer quote a field with a lone "\r"
            csv.writer(buffer, lineterminator="\r\n").writerow(
                ["" if article_id is None else article_id, "O", text]
            )
            line = buffer.getvalue().removesuffix("\r\n").encode().replace(b"@", bad, 1)
            if article_id is None:
                replaced = "\ufffd" * len(bad.decode("utf-8", "replace")) if bad else ""
                expected[line_no + 1] = replaced + text[1:]
        elif kind == "junk":  # no quotes or line breaks: one line, one record
            junk = draw(st.binary(min_size=1, max_size=60))
            line = junk.translate(None, b'"\r\n')
            blank = b"," not in line and not line.decode("utf-8", "replace").strip()
            line = b"-" + line if blank else line
        elif kind == "blank":
            lines.append(b"")
            line_no += 1
            continue
        else:
            line = draw(st.sampled_from([b'x,O,"a"b', b"1,2,3,4,5", b"only", b'"x""y",O']))
        lines.append(line)
        line_no += 1 + len(re.findall(rb"\r\n|\r|\n", line))
    if draw(st.booleans()):
        lines.append(b'z,O,"never closed')
    return lines, expected


def check_every_record_once(path: Path, lines: list[bytes], expected: dict[int, str]) -> None:
    corpus = read_all(path, chunk_size=3, max_chars=MAX_CHARS, dedupe_ids=True)
    assert corpus["article_id"].is_unique and corpus["source"].is_unique
    assert set(corpus["status"]) <= {"ok", "skipped"}
    skipped = corpus[corpus["status"] == "skipped"]
    assert (skipped["message"] != "").all() and (skipped["text"] == "").all()
    ok = corpus[corpus["status"] == "ok"]
    assert ok["text"].map(lambda t: bool(t.strip()) and len(t) <= MAX_CHARS).all()
    rows = rows_by_source(corpus)
    for line, text in expected.items():
        row = rows[f"{path}:{line}"]
        if row.status == "ok":
            assert row.text == text
        elif text.strip() and len(text) <= MAX_CHARS:
            assert row.message.startswith("language '"), row.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=jsonl_lines())
def test_random_jsonl_every_line_is_one_record(
    case: tuple[list[bytes], dict[int, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines, expected = case
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    check_every_record_once(path, lines, expected)
    non_blank = [n for n, raw in enumerate(lines, 1) if raw.decode("utf-8", "replace").strip()]
    sources = read_all(path, dedupe_ids=True)["source"].tolist()
    assert sources == [f"{path}:{n}" for n in non_blank]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=csv_lines())
def test_random_csv_every_record_once(
    case: tuple[list[bytes], dict[int, str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    lines, expected = case
    path = tmp_path_factory.mktemp("csv") / "c.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    check_every_record_once(path, lines, expected)
    records = sum(1 for raw in lines[1:] if raw)
    assert len(read_all(path, dedupe_ids=True)) == records


def test_analyze_writes_every_record_of_a_messy_file(
    tmp_path: Path, write_lexicon: Callable[..., Path]
) -> None:
    from framing.analyze import analyze
    from framing.lexicon import read_lexicons

    path = tmp_path / "messy.jsonl"
    good = [
        {"id": "k1", "outlet": "North Post", "text": "The Kiev regime said the talks were over."},
        {"id": "k2", "outlet": "South Star", "text": "Officials in Kyiv met on Monday."},
        {"id": "de", "outlet": "South Star", "text": GERMAN},
        {"id": "blank", "outlet": "South Star", "text": "   "},
        {"id": "sur", "outlet": "North\ud800", "text": "Kyiv \udfff said so."},
        {"outlet": "North Post", "text": "No id, but Kiev is named."},
    ]
    lines = [json.dumps(r).encode() for r in good]
    lines += [b'{"id": "cut", "text": "Kyi', b"\x00\x01\xff\xfe junk", b"[]", b""]
    lines += [b'{"id": "bad", "outlet": "North Post", "text": "Kiev \xff\xfe regime."}']
    path.write_bytes(b"\n".join(lines) + b"\n")
    analyze([path], tmp_path / "out", lexicon=read_lexicons([write_lexicon()]), n_boot=50)
    articles = pd.read_csv(tmp_path / "out" / "articles.csv", keep_default_na=False)
    expected = [f"{path}:{n}" for n, raw in enumerate(lines, 1) if raw.strip()]
    assert sorted(articles["source"]) == sorted(expected)
    status = articles.set_index("article_id")["status"].to_dict()
    assert [status[i] for i in ("k1", "k2", "sur", "bad", f"{path}:6")] == ["ok"] * 5
    assert [status[i] for i in ("de", "blank", f"{path}:7", f"{path}:8", f"{path}:9")] == [
        "skipped"
    ] * 5
    matches = pd.read_csv(tmp_path / "out" / "matches.csv", keep_default_na=False)
    assert {"k1", "k2", "sur", "bad", f"{path}:6"} <= set(matches["article_id"])
