"""Corpus reading: every format, column mapping, and every record accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import iter_corpus, read_corpus
from framing.errors import CorpusError

RECORDS = [
    {
        "id": "a1",
        "outlet": "North Post",
        "text": "The council met on Monday.",
        "date": "2025-01-02",
    },
    {"id": "a2", "outlet": "South Star", "text": "Rain fell on the harbour.", "title": "Rain"},
]


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_corpus_reads_tables(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame(RECORDS)
    path = tmp_path / f"c{suffix}"
    if suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    elif suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_csv(path, sep="\t" if suffix == ".tsv" else ",", index=False)
    corpus = read_corpus(path)
    assert corpus["article_id"].tolist() == ["a1", "a2"]
    assert corpus["outlet"].tolist() == ["North Post", "South Star"]
    assert corpus["text"].tolist() == [r["text"] for r in RECORDS]
    assert corpus["status"].tolist() == ["ok", "ok"]
    assert corpus.loc[0, "date"] == "2025-01-02" and corpus.loc[1, "title"] == "Rain"


def test_corpus_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc": ["x"], "source_name": ["Wire"], "body": ["Some words."]}).to_csv(
        path, index=False
    )
    corpus = read_corpus(path, id_col="doc", outlet_col="source_name", text_col="body")
    assert corpus[["article_id", "outlet", "text"]].to_numpy().tolist() == [
        ["x", "Wire", "Some words."]
    ]


def test_corpus_missing_column_lists_existing(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["x"], "body": ["Some words."]}).to_csv(path, index=False)
    with pytest.raises(CorpusError) as info:
        read_corpus(path)
    assert str(info.value).startswith(f"{path}: missing column 'text'; the file has: 'id', 'body'")


def test_corpus_missing_named_outlet_column(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "c.jsonl", [json.dumps(RECORDS[0])])
    with pytest.raises(
        CorpusError, match="missing column 'source'; the file has: 'id', 'outlet', 'text', 'date'"
    ):
        read_corpus(path, outlet_col="source")


def test_corpus_without_outlet_column_uses_file_name(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "wire.jsonl", [json.dumps({"id": "1", "text": "Words here."})])
    assert read_corpus(path)["outlet"].tolist() == ["wire"]


def test_corpus_skips_with_reasons_and_loses_nothing(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "outlet": "O", "text": "Fine text."}),
        json.dumps({"id": "empty", "outlet": "O", "text": "   \n"}),
        json.dumps({"id": "none", "outlet": "O", "text": None}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "ok1", "outlet": "O", "text": "Same id again."}),
        json.dumps({"outlet": "O", "text": "No id at all."}),
    ]
    path = write_jsonl(tmp_path / "c.jsonl", lines)
    corpus = read_corpus(path, dedupe_ids=True)
    assert len(corpus) == len(lines)
    assert corpus["article_id"].is_unique
    status = dict(
        zip(corpus["source"], zip(corpus["status"], corpus["message"], strict=True), strict=True)
    )
    assert status[f"{path}:1"] == ("ok", "")
    assert status[f"{path}:2"] == ("skipped", "empty text")
    assert status[f"{path}:3"] == ("skipped", "no text (got NoneType)")
    assert status[f"{path}:4"][0] == "skipped" and status[f"{path}:4"][1].startswith(
        "line 4: invalid JSON"
    )
    assert status[f"{path}:5"] == ("skipped", "line 5: expected a JSON object, got list")
    assert status[f"{path}:6"][0] == "skipped" and "duplicate id 'ok1'" in status[f"{path}:6"][1]
    assert status[f"{path}:7"] == ("ok", "no id: the source location is used")


def test_corpus_folder_outlets_are_subfolders(tmp_path: Path) -> None:
    (tmp_path / "north").mkdir()
    (tmp_path / "south").mkdir()
    (tmp_path / "north" / "one.txt").write_text("North story.", encoding="utf-8")
    (tmp_path / "south" / "two.txt").write_bytes(b"South story \xff broken.")
    (tmp_path / "top.txt").write_text("Top story.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "page.html").write_text(
        "<html><body><nav>Menu</nav><article><h1>Headline</h1><p>"
        + "A paragraph of plain article text about the harbour and the council. " * 5
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    corpus = read_corpus(tmp_path).set_index("article_id")
    assert corpus.loc["north/one", "outlet"] == "north"
    assert corpus.loc["south/two", "outlet"] == "south"
    assert corpus.loc["south/two", "message"] == "1 invalid UTF-8 sequences replaced"
    assert corpus.loc["top", "outlet"] == tmp_path.name
    assert corpus.loc["notes.pdf", "status"] == "skipped"
    assert (
        "plain article text" in corpus.loc["page", "text"]
        and "Menu" not in corpus.loc["page", "text"]
    )


def test_corpus_missing_path_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        read_corpus(tmp_path / "absent.csv")
    (tmp_path / "c.xlsx").write_bytes(b"x")
    with pytest.raises(CorpusError, match=r"unknown corpus format '\.xlsx'"):
        read_corpus(tmp_path / "c.xlsx")


def test_corpus_streams_in_chunks(tmp_path: Path) -> None:
    lines = [json.dumps({"id": str(i), "outlet": "O", "text": f"Story {i}."}) for i in range(25)]
    path = write_jsonl(tmp_path / "c.jsonl", lines)
    sizes = [len(c) for c in iter_corpus([path], chunk_size=10)]
    assert sizes == [10, 10, 5]


DATA = Path(__file__).parent / "data" / "corpus"
PAGE = DATA / "page.html"
LANGUAGES = DATA / "languages"


def test_corpus_html_file_gives_article_text_and_page_metadata() -> None:
    row = read_corpus(PAGE).iloc[0]
    assert (row.article_id, row.status) == ("page", "ok")
    assert row.title == "Ferry to keep running until autumn"
    assert row.date == "2024-03-05"
    assert row.url == "https://courier.example/2024/03/ferry-until-autumn"
    assert "promised extra crossings" in row.text and "residents complained" in row.text
    assert "Subscribe" not in row.text and "Cookie" not in row.text


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_corpus_html_column_when_there_is_no_text_column(tmp_path: Path, suffix: str) -> None:
    page = PAGE.read_text(encoding="utf-8")
    frame = pd.DataFrame(
        {
            "id": ["p1", "p2", "p3"],
            "outlet": ["Courier"] * 3,
            "html": [page, page.replace("2024-03-05", "2023-11-30"), "<html><body></body></html>"],
            "url": ["", "https://given.example/p2", ""],
        }
    )
    path = tmp_path / f"c{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    corpus = read_corpus(path).set_index("article_id")
    assert corpus.loc["p1", "text"] == read_corpus(PAGE).loc[0, "text"]
    assert corpus.loc["p1", "url"] == "https://courier.example/2024/03/ferry-until-autumn"
    # the record's own url wins over the page's; the page fills in the date
    assert corpus.loc["p2", ["url", "date"]].tolist() == ["https://given.example/p2", "2023-11-30"]
    assert corpus.loc["p3", ["status", "message"]].tolist() == [
        "skipped",
        "no article text found in the HTML",
    ]


def test_corpus_named_html_column_wins_over_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    record = {"id": "p", "text": "A teaser only.", "page": PAGE.read_text(encoding="utf-8")}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert read_corpus(path).loc[0, "text"] == "A teaser only."
    assert "promised extra crossings" in read_corpus(path, html_col="page").loc[0, "text"]


def test_corpus_skips_articles_in_other_languages() -> None:
    corpus = read_corpus(LANGUAGES).set_index("article_id")
    assert corpus.loc["en", "status"] == "ok"
    others = corpus.drop(index="en")
    assert len(others) >= 8 and (others["status"] == "skipped").all()
    for lang, message in others["message"].items():
        assert message == f"language '{lang}', not 'en' (the lexicons' language)"
    assert (read_corpus(LANGUAGES, language=None)["status"] == "ok").all()
    german = read_corpus(LANGUAGES, language="de").set_index("article_id")["status"]
    assert german["de"] == "ok" and german["en"] == "skipped"


def test_corpus_never_skips_short_texts_for_their_language(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    short = "Der Stadtrat hat am Dienstag die Fähre bis zum Herbst verlängert."
    path.write_text(json.dumps({"id": "s", "text": short}) + "\n", encoding="utf-8")
    assert read_corpus(path).loc[0, "status"] == "ok"


def test_detect_language_names_each_language_and_shortcuts_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import framing.language
    from framing.language import detect_language

    texts = {p.stem: p.read_text(encoding="utf-8") for p in LANGUAGES.glob("*.txt")}
    assert {lang: detect_language(text) for lang, text in texts.items()} == {
        lang: lang for lang in texts
    }

    def no_model(text: str) -> tuple[str, float]:
        raise AssertionError("the model was asked")

    monkeypatch.setattr(framing.language.py3langid, "classify", no_model)
    assert detect_language(texts["en"]) == "en"  # English function words: no model needed
    with pytest.raises(AssertionError, match="the model was asked"):
        detect_language(texts["de"])
