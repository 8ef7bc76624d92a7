"""Lexicon evaluation: gold spans, precision/recall arithmetic, the hand-review workflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import CorpusError, FramingError
from framing.evaluate import evaluate_spans, resolve_labels, review_counts, review_sample
from framing.lexicon import read_lexicons, set_reviewed
from framing.match import match_corpus
from framing.profile import wilson_interval

runner = CliRunner()

# Two texts of our own; gold spans marked by hand (0-based, end exclusive).
GOLD = [
    {"id": "g1", "text": "The Kiev regime fell. Troops liberated the town.",
     "spans": [{"start": 4, "end": 15, "label": "Name_Calling,Labeling"},
               {"start": 29, "end": 38, "label": "Loaded_Language"}]},
    {"id": "g2", "text": "A sanctions regime began. The regime lied again.",
     "spans": [{"start": 26, "end": 36, "label": "Name_Calling,Labeling"},
               {"start": 37, "end": 41, "label": "Other"}]},
]  # fmt: skip


@pytest.fixture
def gold_file(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in GOLD) + "\n", encoding="utf-8")
    return path


def test_evaluate_resolve_labels_keeps_commas_of_known_labels() -> None:
    known = {"Loaded_Language", "Name_Calling,Labeling", "Doubt"}
    assert resolve_labels("Loaded_Language,Name_Calling,Labeling", known) == [
        "Loaded_Language",
        "Name_Calling,Labeling",
    ]
    assert resolve_labels("Doubt", known) == ["Doubt"]


def test_evaluate_precision_recall_hand_computed(
    gold_file: Path, write_lexicon: Callable[..., Path]
) -> None:
    lex = read_lexicons([write_lexicon()])
    table = evaluate_spans(gold_file, lex, labels="Loaded_Language,Name_Calling,Labeling")
    overall = table[table.level == "overall"].set_index("matching")
    # hits: "Kiev regime" (g1 4-15), "liberated" (g1 29-38), "regime" (g2 30-36);
    # "sanctions regime" is excluded. Gold (3 spans of the two labels): g1 4-15, g1 29-38,
    # g2 26-36 ("The regime"). Overlap: all 3 hits correct, all 3 gold found.
    assert overall.loc["overlap", ["hits", "correct", "gold", "found"]].tolist() == [3, 3, 3, 3]
    # Exact: g2's hit (30-36) does not equal its gold span (26-36).
    assert overall.loc["exact", ["correct", "found"]].tolist() == [2, 2]
    assert overall.loc["exact", "precision"] == pytest.approx(2 / 3)
    assert overall.loc["exact", "f1"] == pytest.approx(2 / 3)
    low, _high = wilson_interval(2, 3)
    assert overall.loc["exact", "precision_low"] == pytest.approx(low)
    entries = table[(table.level == "entry") & (table.matching == "exact")].set_index("key")
    assert entries.loc["regime", ["hits", "correct"]].tolist() == [1, 0]
    assert entries.loc["kiev-regime", "recall"] == pytest.approx(1 / 3)


def test_evaluate_unknown_label_lists_known(
    gold_file: Path, write_lexicon: Callable[..., Path]
) -> None:
    with pytest.raises(FramingError, match="no gold label 'Loaded'; the labels are"):
        evaluate_spans(gold_file, read_lexicons([write_lexicon()]), labels="Loaded")


def test_evaluate_bad_gold_line_names_line(
    tmp_path: Path, write_lexicon: Callable[..., Path]
) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(GOLD[0]) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"gold.jsonl:2: not a gold record"):
        evaluate_spans(path, read_lexicons([write_lexicon()]))


def test_evaluate_wilson_interval_known_values() -> None:
    # Wilson (1927) for 8/10 at 95%: 0.490 to 0.943 (as in Newcombe 1998, table I method 3)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    assert wilson_interval(0, 0) != wilson_interval(0, 0)  # nan: no trials, no estimate


def make_corpus(n_per_outlet: dict[str, int]) -> pd.DataFrame:
    rows = []
    for outlet, n in n_per_outlet.items():
        rows += [(f"{outlet}{i}", outlet, f"Story {i}: the regime spoke.") for i in range(n)]
    return pd.DataFrame(rows, columns=["article_id", "outlet", "text"])


def test_evaluate_review_sample_is_stratified_and_seeded(
    write_lexicon: Callable[..., Path],
) -> None:
    corpus = make_corpus({"A": 30, "B": 3})
    matches = match_corpus(corpus, read_lexicons([write_lexicon()]))
    sheet = review_sample(matches, corpus, per_entry=10, seed=3)
    assert len(sheet) == 10
    assert sheet["outlet"].value_counts().to_dict() == {"A": 9, "B": 1}
    assert (sheet["hit"] == "regime").all() and (sheet["correct"] == "").all()
    assert sheet["left"].str.endswith("the ").all()
    again = review_sample(matches, corpus, per_entry=10, seed=3)
    pd.testing.assert_frame_equal(sheet, again)
    other = review_sample(matches, corpus, per_entry=10, seed=4)
    assert sheet["article_id"].tolist() != other["article_id"].tolist()


def test_evaluate_review_counts_and_bad_mark() -> None:
    marked = pd.DataFrame({"entry_id": ["a", "a", "a", "b"], "correct": ["1", "n", "", "yes"]})
    assert review_counts(marked) == {"a": (2, 1), "b": (1, 1)}
    with pytest.raises(FramingError, match="row 3: 'correct' must be 1/0 or y/n, got 'maybe'"):
        review_counts(pd.DataFrame({"entry_id": ["a", "a"], "correct": ["1", "maybe"]}))


def test_evaluate_set_reviewed_edits_only_that_line(write_lexicon: Callable[..., Path]) -> None:
    path = write_lexicon()
    before = path.read_text().splitlines()
    assert set_reviewed([path], {"regime": (20, 17), "nope": (1, 1)}) == {"regime": str(path)}
    assert set_reviewed([path], {"regime": (25, 20)}) == {"regime": str(path)}
    after = path.read_text().splitlines()
    assert [line for line in after if line not in before] == ["  reviewed: {n: 25, correct: 20}"]
    assert len(after) == len(before) + 1
    assert read_lexicons([path]).entry("regime").reviewed == (25, 20)


def test_evaluate_cli_review_round_trip(tmp_path: Path, write_lexicon: Callable[..., Path]) -> None:
    lexicon = write_lexicon()
    corpus = tmp_path / "c.jsonl"
    make_corpus({"A": 6, "B": 6}).rename(columns={"article_id": "id"}).to_json(
        corpus, orient="records", lines=True
    )
    sheet = tmp_path / "sheet.csv"
    result = runner.invoke(app, ["lexicon", "review", "export", str(corpus), "-l", str(lexicon),
                                 "--per-entry", "8", "--out", str(sheet)])  # fmt: skip
    assert result.exit_code == 0, result.output
    marked = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    marked["correct"] = ["1"] * 6 + ["0"] * 2
    marked.to_csv(sheet, index=False)
    result = runner.invoke(app, ["lexicon", "review", "import", str(sheet), "-l", str(lexicon)])
    assert result.exit_code == 0, result.output
    assert "regime" in result.output and "6/8 correct" in result.output
    assert read_lexicons([lexicon]).entry("regime").reviewed == (8, 6)


def test_evaluate_cli_writes_table_and_csv(
    gold_file: Path, write_lexicon: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "eval.csv"
    labels = "Loaded_Language,Name_Calling,Labeling"
    args = ["lexicon", "evaluate", str(gold_file), "-l", str(write_lexicon())]
    result = runner.invoke(app, [*args, "--labels", labels, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "P 1.000" in result.output and "3/3" in result.output
    table = pd.read_csv(out)
    assert set(table["level"]) == {"overall", "category", "entry"}
