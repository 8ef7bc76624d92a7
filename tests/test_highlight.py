"""Reading views: keyword-in-context lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import FramingError
from framing.highlight import KWIC_COLUMNS, kwic
from framing.lexicon import read_lexicons
from framing.match import match_corpus

runner = CliRunner()
CORPUS = pd.DataFrame(
    {
        "article_id": ["n1", "n2", "s1"],
        "outlet": ["North", "North", "South"],
        "text": [
            "Officials met on Monday.\nThe Kiev regime said the talks were over.",
            "“The regime is finished,” Orlov said. Troops liberated two villages.",
            "A sanctions regime began. Nobody in the regime spoke.",
        ],
    }
)


def test_kwic_from_corpus_matches_and_folder_agree(
    write_lexicon: Callable[..., Path], tmp_path: Path
) -> None:
    lexicon = read_lexicons([write_lexicon()])
    direct = kwic(CORPUS, entry="regime", lexicon=lexicon, window=20)
    assert direct.columns.tolist() == KWIC_COLUMNS
    # "Kiev regime" is its own entry; "sanctions regime" is excluded
    assert direct["hit"].tolist() == ["regime", "regime"]
    assert direct["outlet"].tolist() == ["North", "South"]
    first = direct.iloc[0]
    assert first.left.endswith("“The ") and first.right.startswith(" is finished")
    assert (first.voice, first.speaker) == ("quoted", "Orlov")
    from_matches = kwic(match_corpus(CORPUS, lexicon), corpus=CORPUS, entry="regime", window=20)
    pd.testing.assert_frame_equal(direct, from_matches)
    path = tmp_path / "c.jsonl"
    CORPUS.rename(columns={"article_id": "id"}).to_json(path, orient="records", lines=True)
    out = tmp_path / "out"
    args = [
        "analyze",
        str(path),
        "--out",
        str(out),
        "-l",
        str(write_lexicon()),
        "--bootstrap",
        "50",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    from_folder = kwic(out, entry="regime", window=20)
    assert from_folder["hit"].tolist() == direct["hit"].tolist()
    assert from_folder["left"].str.strip().tolist() == direct["left"].str.strip().tolist()


def test_kwic_category_includes_subcategories(write_lexicon: Callable[..., Path]) -> None:
    lexicon = read_lexicons([write_lexicon()])
    lines = kwic(CORPUS, category="legitimacy", lexicon=lexicon)
    assert sorted(lines["entry_id"]) == ["kiev-regime", "regime", "regime"]


def test_kwic_errors_name_the_problem(write_lexicon: Callable[..., Path], tmp_path: Path) -> None:
    lexicon = read_lexicons([write_lexicon()])
    with pytest.raises(FramingError, match="exactly one of entry= or category="):
        kwic(CORPUS, lexicon=lexicon)
    with pytest.raises(FramingError, match="no hits of entry 'coup'; hits exist for: kiev-regime"):
        kwic(CORPUS, entry="coup", lexicon=lexicon)
    with pytest.raises(FramingError, match=r"matches\.csv: not found"):
        kwic(tmp_path, entry="regime")


def test_kwic_cli_prints_lines(write_lexicon: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    CORPUS.rename(columns={"article_id": "id"}).to_json(path, orient="records", lines=True)
    out = tmp_path / "out"
    runner.invoke(app, ["analyze", str(path), "--out", str(out), "-l", str(write_lexicon()),
                        "--bootstrap", "50"])  # fmt: skip
    result = runner.invoke(
        app, ["kwic", str(out), "--category", "legitimacy", "--out", str(tmp_path / "k.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "[Kiev regime]" in result.output and "[quoted: Orlov]" in result.output
    assert result.output.strip().endswith("3 lines")
    assert len(pd.read_csv(tmp_path / "k.csv")) == 3
