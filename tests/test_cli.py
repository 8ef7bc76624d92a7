"""The framing command, run for real through typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import base_lexicon
from typer.testing import CliRunner

from framing.cli import app

runner = CliRunner()

TEXTS = {
    "North Post": [
        "The Kiev regime said the talks were over. Troops liberated two villages.",
        "A sanctions regime was agreed in Kyiv. The regime in Kiev denied it.",
        "Nothing loaded in this article at all.",
    ],
    "South Star": [
        "Officials in Kyiv met on Monday to discuss the grain deal.",
        "Kyiv said the strike hit a school; the regime in the north disagreed.",
    ],
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rows = [
        {"id": f"{outlet[:1]}{i}", "outlet": outlet, "text": text}
        for outlet, texts in TEXTS.items()
        for i, text in enumerate(texts)
    ]
    rows.append({"id": "empty", "outlet": "South Star", "text": ""})
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def lexicon_file(write_lexicon: Callable[..., Path]) -> Path:
    return write_lexicon()


def run_analyze(corpus: Path, lexicon: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(
        app,
        [
            "analyze",
            str(corpus),
            "--out",
            str(out),
            "--lexicon",
            str(lexicon),
            "--bootstrap",
            "200",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output


def test_cli_analyze_writes_every_output(corpus: Path, lexicon_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_analyze(corpus, lexicon_file, out)
    names = {
        "articles.csv",
        "matches.csv",
        "article_profiles.csv",
        "outlet_profiles.csv",
        "concept_shares.csv",
        "run.json",
    }
    assert names <= {p.name for p in out.iterdir()}
    arts = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert len(arts) == 6
    assert arts.set_index("article_id").loc["empty", ["status", "message"]].tolist() == [
        "skipped",
        "empty text",
    ]
    matches = pd.read_csv(out / "matches.csv", keep_default_na=False)
    assert matches.columns.tolist()[:11] == [
        "article_id",
        "outlet",
        "lexicon",
        "entry_id",
        "category",
        "concept",
        "start_char",
        "end_char",
        "text",
        "voice",
        "speaker",
    ]
    assert sorted(matches["entry_id"]) == sorted(
        ["kiev-regime", "liberate", "kiev", "regime", "kyiv", "kyiv", "kyiv", "regime"]
    )
    outlets = pd.read_csv(out / "outlet_profiles.csv", keep_default_na=False)
    outlets = outlets[outlets.voice == "all"].set_index(["outlet", "category"])
    # North Post: kiev-regime + regime in legitimacy, over all of its tokens (3 articles)
    north_tokens = arts[arts.outlet == "North Post"]["n_tokens"].sum()
    assert outlets.loc[("North Post", "legitimacy"), "count"] == 2
    assert outlets.loc[("North Post", "legitimacy"), "rate_per_1k"] == pytest.approx(
        2000 / north_tokens, rel=1e-5
    )
    shares = pd.read_csv(out / "concept_shares.csv")
    shares = shares[shares.voice == "all"].set_index(["outlet", "variant"])
    assert shares.loc[("North Post", "kiev"), "share"] == pytest.approx(1 / 2)
    assert shares.loc[("South Star", "kyiv"), "share"] == 1
    run = json.loads((out / "run.json").read_text())
    assert (
        run["records"] == 6
        and run["skipped"] == 1
        and run["overlap_policy"] == "longest-per-lexicon"
    )
    assert run["lexicons"][0]["name"] == "toy"


def test_cli_analyze_is_byte_identical_across_runs(
    corpus: Path, lexicon_file: Path, tmp_path: Path
) -> None:
    run_analyze(corpus, lexicon_file, tmp_path / "one")
    run_analyze(corpus, lexicon_file, tmp_path / "two")
    for name in ("articles", "matches", "article_profiles", "outlet_profiles", "concept_shares"):
        assert (tmp_path / "one" / f"{name}.csv").read_bytes() == (
            tmp_path / "two" / f"{name}.csv"
        ).read_bytes()


def test_cli_analyze_parquet(corpus: Path, lexicon_file: Path, tmp_path: Path) -> None:
    run_analyze(corpus, lexicon_file, tmp_path / "pq", "--format", "parquet")
    run_analyze(corpus, lexicon_file, tmp_path / "csv")
    for name in ("matches", "outlet_profiles"):
        pq = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / "csv" / f"{name}.csv", keep_default_na=False)
        assert len(pq) == len(csv) and pq.columns.tolist() == csv.columns.tolist()


def test_cli_analyze_missing_column_message(tmp_path: Path, lexicon_file: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["1"], "body": ["words"]}).to_csv(path, index=False)
    result = runner.invoke(
        app, ["analyze", str(path), "--out", str(tmp_path / "o"), "-l", str(lexicon_file)]
    )
    assert result.exit_code == 2
    assert f"error: {path}: missing column 'text'; the file has: 'id', 'body'" in result.output


def test_cli_lexicon_validate_reports_all_problems(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"][0]["category"] = "nope"
    data["entries"][1]["weight"] = 7
    path = write_lexicon(data)
    result = runner.invoke(app, ["lexicon", "validate", str(path)])
    assert result.exit_code == 2
    assert "2 problems in lexicon files:" in result.output
    assert "entries[0].category: unknown category 'nope'" in result.output
    assert "entries[1].weight" in result.output


def test_cli_lexicon_test_counts_examples(write_lexicon: Callable[..., Path]) -> None:
    good = runner.invoke(app, ["lexicon", "test", str(write_lexicon())])
    assert good.exit_code == 0 and good.output.strip().endswith("10 passed, 0 failed")
    data = base_lexicon()
    data["entries"][1]["examples"] = {"hit": ["No such word here."], "miss": ["The regime fell."]}
    bad = runner.invoke(app, ["lexicon", "test", str(write_lexicon(data))])
    assert bad.exit_code == 1
    assert "FAIL regime hit: 'No such word here.' -> no hit" in bad.output
    assert "FAIL regime miss: 'The regime fell.' -> regime" in bad.output
    assert bad.output.strip().endswith("8 passed, 2 failed")


def test_cli_bundled_lexicons_pass_their_own_tests() -> None:
    validate = runner.invoke(app, ["lexicon", "validate"])
    assert validate.exit_code == 0, validate.output
    tested = runner.invoke(app, ["lexicon", "test"])
    assert tested.exit_code == 0, tested.output
    assert tested.output.strip().endswith(" 0 failed")


def test_cli_demo_one_row_per_article(tmp_path: Path) -> None:
    from framing.corpus import sample_corpus_path

    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    n_lines = sum(
        1 for line in sample_corpus_path().read_text(encoding="utf-8").splitlines() if line.strip()
    )
    arts = pd.read_csv(tmp_path / "demo" / "articles.csv")
    assert len(arts) == n_lines and arts["article_id"].is_unique and (arts["status"] == "ok").all()
    outlets = pd.read_csv(tmp_path / "demo" / "outlet_profiles.csv")
    assert outlets["outlet"].nunique() >= 4 and outlets["count"].sum() > 0
    assert not pd.read_csv(tmp_path / "demo" / "concept_shares.csv").empty


def test_cli_yaml_lexicon_safe_loader(write_lexicon: Callable[..., Path], tmp_path: Path) -> None:
    text = yaml.safe_dump(base_lexicon()) + "evil: !!python/object/apply:os.system ['echo pwned']\n"
    result = runner.invoke(app, ["lexicon", "validate", str(write_lexicon(text=text))])
    assert result.exit_code == 2 and "invalid YAML" in result.output


def test_cli_compare_writes_tables(corpus: Path, lexicon_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_analyze(corpus, lexicon_file, out)
    args = ["compare", str(out), "--a", "North Post", "--bootstrap", "100", "--permutations", "100"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    comparison = pd.read_csv(out / "comparison.csv")
    legit = comparison.set_index("category").loc["legitimacy"]
    assert legit["a"] == "North Post" and legit["b"] == "(all others)"
    assert legit["count_a"] == 2 and legit["count_b"] == 1  # "the regime in the north"
    odds = pd.read_csv(out / "log_odds.csv")
    assert {"entry_id", "count_a", "count_b", "log_odds", "z"} <= set(odds.columns)
    assert (out / "figures" / "words_north-post-vs-rest.png").stat().st_size > 10_000
    missing = runner.invoke(app, ["compare", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "articles.csv: not found" in missing.output


def test_cli_analyze_processes_give_identical_files(tmp_path: Path) -> None:
    from framing.analyze import analyze
    from framing.corpus import sample_corpus_path

    for n in (1, 2):
        analyze([sample_corpus_path()], tmp_path / f"p{n}", processes=n, chunk_size=10,
                n_boot=100, progress=False)  # fmt: skip
    for name in ("articles", "matches", "article_profiles", "outlet_profiles", "concept_shares"):
        one = (tmp_path / "p1" / f"{name}.csv").read_bytes()
        assert one == (tmp_path / "p2" / f"{name}.csv").read_bytes(), name
    result = runner.invoke(app, ["analyze", str(sample_corpus_path()), "--out", str(tmp_path / "x"),
                                 "--processes", "0"])  # fmt: skip
    assert result.exit_code == 2 and "--processes: expected 1 or more, got 0" in result.output


def test_cli_lexicon_convert_round_trip(tmp_path: Path) -> None:
    dic = tmp_path / "terms.dic"
    dic.write_text(
        "%\n1\tlabel\n2\tframe.war\n%\nregime\t1\nliberat*\t1\t2\nspecial military operation\t2\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["lexicon", "convert", str(dic), str(tmp_path / "terms.yaml")])
    assert result.exit_code == 0, result.output
    assert "note: 1 wording is listed under several categories (liberat*)" in result.output
    assert (tmp_path / "terms-2.yaml").is_file()
    test = runner.invoke(
        app, ["lexicon", "test", str(tmp_path / "terms.yaml"), str(tmp_path / "terms-2.yaml")]
    )
    assert test.exit_code == 0 and "8 passed, 0 failed" in test.output
    out = tmp_path / "terms.yml"
    quanteda = runner.invoke(app, ["lexicon", "convert", str(dic), str(out), "--to", "quanteda"])
    assert quanteda.exit_code == 0, quanteda.output
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == {
        "label": ["regime", "liberat*"],
        "frame": {"war": ["special military operation", "liberat*"]},
    }
    bad = tmp_path / "bad.dic"
    bad.write_text("%\n1\tlabel\n%\nregime\t3\n", encoding="utf-8")
    failed = runner.invoke(app, ["lexicon", "convert", str(bad), str(tmp_path / "x.yaml")])
    assert failed.exit_code == 2
    assert f"{bad}:4: 'regime': unknown category number 3" in failed.output


def test_cli_duplicate_ids_fail_unless_deduped(tmp_path: Path) -> None:
    path = tmp_path / "twice.jsonl"
    rows = [
        {"id": "a1", "outlet": "North Post", "text": TEXTS["North Post"][0]},
        {"id": "a1", "outlet": "North Post", "text": TEXTS["North Post"][1]},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    failed = runner.invoke(app, ["analyze", str(path), "--out", str(tmp_path / "x")])
    assert failed.exit_code == 2
    assert f"duplicate id 'a1' at {path}:2 (first at {path}:1)" in failed.output
    assert "--dedupe-ids" in failed.output
    deduped = runner.invoke(
        app, ["analyze", str(path), "--out", str(tmp_path / "y"), "--dedupe-ids",
              "--bootstrap", "10"],
    )  # fmt: skip
    assert deduped.exit_code == 0, deduped.output
    articles = pd.read_csv(tmp_path / "y" / "articles.csv", keep_default_na=False)
    assert articles["status"].tolist() == ["ok", "skipped"]
    assert articles["message"][1] == f"duplicate id 'a1' (first at {path}:1)"


def test_cli_other_languages_skipped_unless_any_language(tmp_path: Path) -> None:
    german = (Path(__file__).parent / "data" / "corpus" / "languages" / "de.txt").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "mixed.jsonl"
    rows = [
        {"id": "en", "outlet": "North Post", "text": " ".join(TEXTS["North Post"]) * 3},
        {"id": "de", "outlet": "North Post", "text": german},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for options, status in (([], "skipped"), (["--any-language"], "ok")):
        out = tmp_path / ("any" if options else "en")
        result = runner.invoke(
            app, ["analyze", str(path), "--out", str(out), "--bootstrap", "10", *options]
        )
        assert result.exit_code == 0, result.output
        articles = pd.read_csv(out / "articles.csv", keep_default_na=False).set_index("article_id")
        assert articles.loc["en", "status"] == "ok"
        assert articles.loc["de", "status"] == status
        if status == "skipped":
            assert (
                articles.loc["de", "message"] == "language 'de', not 'en' (the lexicons' language)"
            )


def test_cli_html_page_text_metadata_and_offsets(tmp_path: Path) -> None:
    folder = tmp_path / "pages" / "Harbour Gazette"
    folder.mkdir(parents=True)
    body = " ".join(
        [
            "The regime in the north claimed on Monday that its troops had liberated two",
            "villages near the river, a statement the harbour council called unfounded.",
            "Residents of Kiev and Kyiv alike queued for bread as the ferry stopped running.",
        ]
        * 3
    )
    (folder / "north.html").write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Council answers northern claims | Harbour Gazette</title>"
        "<meta property='article:published_time' content='2024-05-02T08:00:00Z'>"
        "<link rel='canonical' href='https://gazette.example/2024/05/north'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> Subscribe now</nav>"
        f"<article><h1>Council answers northern claims</h1><p>{body}</p></article>"
        "<footer>Cookie settings. Copyright Harbour Gazette.</footer></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(tmp_path / "pages"), "--out", str(out),
                                 "--bootstrap", "10"])  # fmt: skip
    assert result.exit_code == 0, result.output
    articles = pd.read_csv(out / "articles.csv", keep_default_na=False)
    assert articles["status"].tolist() == ["ok"]
    row = articles.iloc[0]
    assert row["outlet"] == "Harbour Gazette" and row["title"].startswith("Council answers")
    assert row["date"].startswith("2024-05-02") and row["url"].endswith("/2024/05/north")
    texts = pd.read_csv(out / "texts.csv", keep_default_na=False)
    assert texts["article_id"].tolist() == [row["article_id"]]
    text = texts["text"][0]
    assert "liberated" in text and "Subscribe" not in text and "Cookie" not in text
    hits = pd.read_csv(out / "matches.csv", keep_default_na=False)
    assert {"regime", "claimed", "liberated", "Kiev"} <= set(hits["text"])
    for hit in hits.itertuples():
        assert text[hit.start_char : hit.end_char] == hit.text
