"""Lexicon schema: loading, validation messages (one test per kind of error), writing back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import base_lexicon, entry

from framing.errors import LexiconError
from framing.lexicon import read_lexicons, write_lexicon


def problems_of(path: Path | list[Path]) -> list[str]:
    with pytest.raises(LexiconError) as info:
        read_lexicons(path if isinstance(path, list) else [path])
    return [str(p) for p in info.value.problems]


def with_entry(index: int, **changes: Any) -> dict[str, Any]:
    data = base_lexicon()
    data["entries"][index].update(changes)
    return data


def test_lexicon_reads_valid_file(write_lexicon: Callable[..., Path]) -> None:
    lex = read_lexicons([write_lexicon()])
    assert [e.id for e in lex] == ["kiev-regime", "regime", "liberate", "kiev", "kyiv"]
    assert lex.entry("kiev").concept == "capital"
    assert lex.entry("regime").concept is None
    assert lex.entry("kiev-regime").stance == ("ru-state",)
    assert lex.entry("regime").match == "lemma" and lex.entry("regime").weight == 1


def test_lexicon_error_unknown_category_suggests(write_lexicon: Callable[..., Path]) -> None:
    path = write_lexicon(with_entry(1, category="legitmacy"))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:")
    assert (
        "entries[1].category: unknown category 'legitmacy' (did you mean 'legitimacy'?)" in message
    )


def test_lexicon_error_names_the_line(write_lexicon: Callable[..., Path]) -> None:
    path = write_lexicon(with_entry(2, category="nope"))
    lines = path.read_text().splitlines()
    [message] = problems_of(path)
    line = int(message.split(":")[1])
    assert "category: nope" in lines[line - 1]


def test_lexicon_error_missing_required_field(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    del data["entries"][0]["explain"]
    [message] = problems_of(write_lexicon(data))
    assert "entries[0].explain: missing required field" in message


def test_lexicon_error_unknown_field_suggests(write_lexicon: Callable[..., Path]) -> None:
    [message] = problems_of(write_lexicon(with_entry(0, sorces=["x"])))
    assert "entries[0].sorces: unknown field (did you mean 'sources'?)" in message


def test_lexicon_error_bad_match_mode(write_lexicon: Callable[..., Path]) -> None:
    [message] = problems_of(write_lexicon(with_entry(0, match="stem")))
    assert "entries[0].match: expected one of lower, lemma, exact, got 'stem'" in message


@pytest.mark.parametrize("weight", [4, -1, "high", 1.5, True])
def test_lexicon_error_bad_weight(write_lexicon: Callable[..., Path], weight: object) -> None:
    [message] = problems_of(write_lexicon(with_entry(0, weight=weight)))
    assert "entries[0].weight: expected a whole number from 0 to 3" in message


def test_lexicon_error_undeclared_stance(write_lexicon: Callable[..., Path]) -> None:
    [message] = problems_of(write_lexicon(with_entry(0, stance=["ru_state"])))
    assert (
        "entries[0].stance[0]: undeclared stance 'ru_state' (did you mean 'ru-state'?)" in message
    )


def test_lexicon_error_missing_examples_and_sources(write_lexicon: Callable[..., Path]) -> None:
    messages = problems_of(write_lexicon(with_entry(0, examples={"hit": ["x"]}, sources=[])))
    assert any("entries[0].examples.miss: missing required field" in m for m in messages)
    assert any("entries[0].sources: expected a non-empty list of strings" in m for m in messages)


def test_lexicon_error_duplicate_id_across_files(write_lexicon: Callable[..., Path]) -> None:
    first = write_lexicon()
    other = base_lexicon(lexicon="toy2", concepts={})
    other["entries"] = [entry("regime", category="legitimacy")]
    second = write_lexicon(other)
    [message] = problems_of([first, second])
    assert message.startswith(f"{second}:")
    assert f"duplicate entry id 'regime' (first in {first})" in message


def test_lexicon_error_concept_unknown_variant(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon(concepts={"capital": {"description": "x", "variants": ["kiev", "kyyiv"]}})
    [message] = problems_of(write_lexicon(data))
    assert (
        "concepts.capital.variants[1]: unknown entry id 'kyyiv' (did you mean 'kyiv'?)" in message
    )


def test_lexicon_error_concept_needs_two_variants(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon(concepts={"capital": {"description": "x", "variants": ["kiev"]}})
    [message] = problems_of(write_lexicon(data))
    assert "concepts.capital.variants: a concept needs at least two variants" in message


def test_lexicon_error_invalid_token_pattern(write_lexicon: Callable[..., Path]) -> None:
    [message] = problems_of(write_lexicon(with_entry(0, patterns=[[{"LOWR": "kiev"}]])))
    assert "entries[0].patterns[0]: invalid token pattern" in message
    assert "LOWR" in message


def test_lexicon_error_undeclared_parent_category(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["categories"]["threat.nuclear"] = "Nuclear threats."
    [message] = problems_of(write_lexicon(data))
    assert "categories.threat.nuclear: parent category 'threat' is not declared" in message


def test_lexicon_error_invalid_yaml_names_line(write_lexicon: Callable[..., Path]) -> None:
    path = write_lexicon(text="lexicon: toy\nentries:\n  - id: [unclosed\n")
    [message] = problems_of(path)
    assert message.startswith(f"{path}:") and "invalid YAML" in message


def test_lexicon_error_duplicate_yaml_key(write_lexicon: Callable[..., Path]) -> None:
    text = (
        Path(write_lexicon()).read_text().replace("language: en\n", "language: en\nlanguage: de\n")
    )
    [message] = problems_of(write_lexicon(text=text))
    assert ":4: language: duplicate key" in message


def test_lexicon_error_file_not_found(tmp_path: Path) -> None:
    [message] = problems_of(tmp_path / "absent.yaml")
    assert message == f"{tmp_path / 'absent.yaml'}: file not found"


def test_lexicon_errors_reported_all_at_once(write_lexicon: Callable[..., Path]) -> None:
    data = base_lexicon()
    data["entries"][0]["category"] = "nope"
    data["entries"][1]["match"] = "fuzzy"
    data["entries"][2]["weight"] = 9
    data["entries"][3]["stance"] = ["xx"]
    messages = problems_of(write_lexicon(data))
    assert len(messages) == 4
    assert [m.split(": ")[1] for m in messages] == [
        "entries[0].category",
        "entries[1].match",
        "entries[2].weight",
        "entries[3].stance[0]",
    ]


def test_lexicon_write_round_trip(write_lexicon: Callable[..., Path], tmp_path: Path) -> None:
    data = base_lexicon()
    data["entries"][0]["patterns"].append([{"LOWER": "kiev"}, {"LOWER": "junta"}])
    data["entries"][0]["reviewed"] = {"n": 10, "correct": 9}
    original = read_lexicons([write_lexicon(data)])
    out = tmp_path / "written.yaml"
    write_lexicon_to(original, out)
    again = read_lexicons([out])
    assert again.entries == original.entries
    assert again.concepts == original.concepts


def write_lexicon_to(lexicon: Any, path: Path) -> None:
    write_lexicon(lexicon, path)


def test_lexicon_bundled_files_validate() -> None:
    lex = read_lexicons()
    assert len(lex) > 0
    assert {"russia-ukraine"} <= {i.name for i in lex.infos}
    for e in lex:
        assert e.explain and e.sources and e.hit_examples and e.miss_examples


def test_cached_read_equals_fresh_read_and_follows_edits(
    write_lexicon: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "cache"))
    path = write_lexicon()
    fresh = read_lexicons([path])
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 1
    cached = read_lexicons([path])
    assert list(cached) == list(fresh) and cached.concepts == fresh.concepts
    data = base_lexicon()
    data["entries"][0]["explain"] = "An edited explanation."
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert read_lexicons([path]).entries[0].explain == "An edited explanation."
    # A damaged cache file is ignored, not trusted.
    for pickled in (tmp_path / "cache").rglob("*.pickle"):
        pickled.write_bytes(b"not a pickle")
    assert read_lexicons([path]).entries[0].explain == "An edited explanation."
    monkeypatch.setenv("FRAMING_CACHE_DIR", "")
    assert read_lexicons([path]).entries[0].explain == "An edited explanation."
