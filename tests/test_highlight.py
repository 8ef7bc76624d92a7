"""Reading views: keyword-in-context lines."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import base_lexicon, entry
from typer.testing import CliRunner

from framing.cli import app
from framing.errors import FramingError
from framing.highlight import KWIC_COLUMNS, highlight, kwic, neutralize
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


ARTICLE = (
    "The Kiev regime said the talks were over.\n"
    "“The regime is finished,” Orlov said. Troops liberated two villages near Kyiv."
)
EVIL = (
    'The regime fell. <script>alert("x")</script> <img src=x onerror="alert(1)"> '
    '<a href="javascript:alert(2)">click</a> <b onmouseover="alert(3)">bold</b>'
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_highlight_marks_every_hit_with_its_explanation(write_lexicon: Callable[..., Path]) -> None:
    lexicon = read_lexicons([write_lexicon()])
    page = highlight(ARTICLE, lexicon, compare_with_sample=False)
    hits = match_corpus(
        pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "text": [ARTICLE]}), lexicon
    ).hits
    marks = [attrs for tag, attrs in tags_of(page.html) if tag == "mark"]
    assert {a["data-hit"] for a in marks} == {str(i + 1) for i in range(len(hits))}
    by_entry = {a["data-entry"]: a for a in marks}
    assert "Why 'kiev-regime' is loaded." in str(by_entry["kiev-regime"]["title"])
    assert by_entry["regime"]["data-voice"] == "quoted" and "speaker: Orlov" in str(
        by_entry["regime"]["title"]
    )
    assert "dashed" in str(by_entry["regime"]["style"])  # quoted voice is underlined dashed
    assert "reference" in str(by_entry["kyiv"]["class"])  # neutral names are outlined, not counted
    assert "3 loaded wordings" in page.html and "per 1,000 words" in page.html
    assert page._repr_html_().startswith('<div class="framing-highlight">')


def test_highlight_overlapping_hits_of_two_lexicons_nest(
    write_lexicon: Callable[..., Path],
) -> None:
    other = base_lexicon(lexicon="other", concepts={}, stances={})
    other["entries"] = [entry("regime-2", patterns=["regime"], category="legitimacy")]
    lexicon = read_lexicons([write_lexicon(), write_lexicon(other)])
    page = highlight("The Kiev regime said so.", lexicon, compare_with_sample=False).html
    assert re.search(r'data-entry="kiev-regime"[^>]*>Kiev </mark>', page)
    assert re.search(
        r'data-entry="kiev-regime"[^>]*><mark [^>]*data-entry="regime-2"[^>]*>regime', page
    )


def test_highlight_article_markup_never_runs(write_lexicon: Callable[..., Path]) -> None:
    page = highlight(EVIL, read_lexicons([write_lexicon()]), compare_with_sample=False).html
    tags = tags_of(page)
    assert not [t for t, _ in tags if t in ("script", "img", "a", "iframe")]
    assert "&lt;b onmouseover=&quot;alert(3)&quot;&gt;" in page
    assert not [a for _, attrs in tags for a, v in attrs.items()
                if a.startswith("on") or "javascript:" in str(v)]  # fmt: skip
    assert "&lt;script&gt;alert(" in page and "&lt;/script&gt;" in page


def test_highlight_cli_reads_stdin(write_lexicon: Callable[..., Path], tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["highlight", "-", "--out", str(out), "-l", str(write_lexicon())],
                           input=ARTICLE)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 loaded wordings marked" in result.output and out.read_text().startswith(
        "<!DOCTYPE html>"
    )
    missing = runner.invoke(app, ["highlight", str(tmp_path / "none.txt"), "--out", str(out)])
    assert missing.exit_code == 2 and "none.txt: no such file" in missing.output


def test_neutralize_round_trips_on_the_sample_corpus() -> None:
    from framing.corpus import read_corpus, sample_corpus_path

    lexicon = read_lexicons()
    corpus = read_corpus(sample_corpus_path())
    changed = 0
    for text in corpus["text"]:
        result = neutralize(text, lexicon)
        changed += len(result.changes)
        frame = pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "text": [result.text]})
        hits = match_corpus(frame, lexicon).hits
        left = [e for e, w, lex in zip(hits.entry_id, hits.weight, hits.lexicon, strict=True)
                if lex == "voice" or (w > 0 and lexicon.entry(e).neutral)]  # fmt: skip
        assert left == [], left
    print(f"\n{changed} wordings replaced in {len(corpus)} articles; no replaceable hit left")
    assert changed > 100


def test_neutralize_keeps_case_plural_and_marks_changes(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"][1]["neutral"] = ["government"]
    lexicon = read_lexicons([write_lexicon(data)])
    result = neutralize('Regimes fall. The so-called regime held a "vote".', lexicon)
    assert result.text == "Governments fall. The government held a vote."
    assert result.changes["original"].tolist()[:2] == ["Regimes", "so-called "]
    view = result._repr_html_()
    assert "<del>Regimes</del>" in view and "<ins>Governments</ins>" in view
