"""The analyzer on real news from ../shared: the seeds, and Sputnik/Kyiv Independent headlines."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from framing.cli import app

pytestmark = pytest.mark.shared
runner = CliRunner()


def analyze(inputs: list[Path], out: Path) -> None:
    result = runner.invoke(
        app, ["analyze", *map(str, inputs), "--out", str(out), "--bootstrap", "500"]
    )
    assert result.exit_code == 0, result.output


def test_shared_seeds_folder_one_article_per_file(shared: Path, tmp_path: Path) -> None:
    seeds = shared / "seeds"
    analyze([seeds], tmp_path)
    arts = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    files = sorted(p.stem for p in seeds.iterdir() if p.suffix == ".txt")
    assert sorted(arts["article_id"]) == files
    assert set(arts["outlet"]) == {"seeds"} and (arts["status"] == "ok").all()
    assert (arts["n_tokens"] > 100).all()
    matches = pd.read_csv(tmp_path / "matches.csv", keep_default_na=False)
    assert len(matches) > 0
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seeds.iterdir() if p.suffix == ".txt"}
    # Scrapes are cleaned by default: hit offsets index the cleaned text, kept in texts.csv.
    cleaned = pd.read_csv(tmp_path / "texts.csv", keep_default_na=False)
    assert set(cleaned["article_id"]) == set(arts.loc[arts["message"] != "", "article_id"])
    assert arts["message"].str.startswith("cleaned: ").sum() >= 3
    texts.update(zip(cleaned["article_id"], cleaned["text"], strict=True))
    for row in matches.itertuples():
        assert texts[row.article_id][row.start_char : row.end_char] == row.text


def test_shared_headlines_outlets_and_capital_spelling(shared: Path, tmp_path: Path) -> None:
    path = shared / "data" / "headlines-sputnik-kyivindependent.jsonl"
    analyze([path], tmp_path)
    n_records = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    arts = pd.read_csv(tmp_path / "articles.csv", keep_default_na=False)
    ids = [
        json.loads(line)["id"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(arts) == n_records and sorted(arts["article_id"]) == sorted(ids)
    profiles = pd.read_csv(tmp_path / "outlet_profiles.csv", keep_default_na=False)
    assert set(profiles["outlet"]) == {"Sputnik", "Kyiv Independent"}
    shares = pd.read_csv(tmp_path / "concept_shares.csv")
    shares = shares[shares.voice == "all"].set_index(["outlet", "concept", "variant"])
    kiev_sputnik = shares.loc[("Sputnik", "ukraine-capital", "kiev-spelling")]
    kiev_ki = shares.loc[("Kyiv Independent", "ukraine-capital", "kiev-spelling")]
    print(
        f"\nshare of 'Kiev' among Kiev/Kyiv: Sputnik {kiev_sputnik.share:.2f} "
        f"of {kiev_sputnik.total}, "
        f"Kyiv Independent {kiev_ki.share:.2f} of {kiev_ki.total}"
    )
    assert kiev_sputnik.share > 0.9 and kiev_sputnik.total >= 30
    assert kiev_ki.share < 0.1 and kiev_ki.total >= 30
    assert kiev_sputnik.ci_low > kiev_ki.ci_high


def test_shared_ptc_general_lexicon_f1(shared: Path) -> None:
    from framing.evaluate import evaluate_spans
    from framing.lexicon import bundled_lexicon_dir, read_lexicons

    lexicon = read_lexicons([bundled_lexicon_dir() / "loaded-language.yaml"])
    table = evaluate_spans(
        shared / "data" / "ptc-train.jsonl",
        lexicon,
        labels=["Loaded_Language", "Name_Calling,Labeling"],
    )
    overall = table[(table.level == "overall") & (table.matching == "overlap")].iloc[0]
    print(
        f"\nPTC train, overlap: P {overall.precision:.3f} ({overall.correct}/{overall.hits}), "
        f"R {overall.recall:.3f} ({overall.found}/{overall.gold}), F1 {overall.f1:.3f}"
    )
    assert overall.f1 >= 0.30 and overall.precision >= 0.25


def test_shared_headlines_stance_separates_outlets(shared: Path) -> None:

    from framing.corpus import read_corpus
    from framing.lexicon import bundled_lexicon_dir, read_lexicons
    from framing.match import match_corpus

    corpus = read_corpus(shared / "data" / "headlines-sputnik-kyivindependent.jsonl")
    m = match_corpus(corpus, read_lexicons([bundled_lexicon_dir() / "russia-ukraine.yaml"]))
    tokens = m.articles.groupby("outlet")["n_tokens"].sum()
    stances = m.hits["stance"].str.split(";")

    def rate(tag: str) -> pd.Series:
        counts = m.hits[stances.apply(lambda tags: tag in tags)].groupby("outlet").size()
        return 1000 * counts.reindex(tokens.index, fill_value=0) / tokens

    ru, ua = rate("ru-state"), rate("ua")
    print(f"\nper 1,000 tokens: ru-state {ru.round(2).to_dict()}, ua {ua.round(2).to_dict()}")
    # A zero rate on one side still has to be beaten by five times the other's one hit.
    floor = 1000 / tokens
    assert ru["Sputnik"] >= 5 * max(ru["Kyiv Independent"], floor["Kyiv Independent"])
    assert ua["Kyiv Independent"] >= 5 * max(ua["Sputnik"], floor["Sputnik"])
