"""LIWC .dic and quanteda YAML dictionaries: reading, writing, round trips, errors."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import base_lexicon, entry

from framing.errors import LexiconError
from framing.evaluate import run_examples
from framing.interop import (
    convert,
    detect_format,
    glob_to_pattern,
    pattern_to_globs,
    read_any,
    read_dic,
    read_quanteda_yaml,
    write_dic,
    write_native,
    write_quanteda_yaml,
)
from framing.lexicon import Lexicon, Pattern, bundled_lexicon_dir, read_lexicons
from framing.match import match_corpus

DATA = Path(__file__).parent / "data" / "interop"
NATIVE = [DATA / "tiny.yaml", DATA / "tiny-2.yaml"]

# Sentences of our own, and the hits the tiny dictionary must give in them (category, text).
SENTENCES = {
    "s1": "The regime said its troops had liberated the town, calling it a liberation.",
    "s2": "New sanctions and a price cap pushed inflation up, officials said.",
    "s3": "A deliberate pause in the special military operation was called a threat.",
    "s4": "Observers called the puppet government a regime of convenience.",
    "s5": "Nothing in this sentence is listed.",
}
EXPECTED = {
    ("s1", "label", "regime"),
    ("s1", "label", "liberated"),
    ("s1", "label", "liberation"),
    ("s2", "frame.security", "sanctions"),
    ("s2", "frame.economy", "sanctions"),  # one wording in two categories counts in each
    ("s2", "frame.economy", "price cap"),
    ("s2", "frame.economy", "inflation"),
    ("s3", "frame.security", "special military operation"),
    ("s3", "frame.security", "threat"),
    ("s4", "label", "puppet government"),
    ("s4", "label", "regime"),
}


def key(pattern: Pattern) -> str:
    return pattern if isinstance(pattern, str) else json.dumps([dict(t) for t in pattern])


def pairs(lexicon: Lexicon, *, lower: bool = False) -> set[tuple[str, str]]:
    return {(e.category, key(p).lower() if lower else key(p)) for e in lexicon for p in e.patterns}


def hits(lexicon: Lexicon, texts: dict[str, str]) -> list[tuple[str, str, int, int, str]]:
    corpus = pd.DataFrame(
        {"article_id": list(texts), "outlet": "Test", "text": list(texts.values())}
    )
    found = match_corpus(corpus, lexicon).hits
    rows = found[["article_id", "category", "start_char", "end_char", "text"]]
    return sorted(tuple(r) for r in rows.itertuples(index=False))


@pytest.fixture(scope="module")
def tiny() -> dict[str, Lexicon]:
    return {
        "native": read_lexicons(NATIVE),
        "dic": read_dic(DATA / "tiny.dic"),
        "quanteda": read_quanteda_yaml(DATA / "tiny_quanteda.yml"),
    }


def test_interop_tiny_loads_alike_from_every_format(tiny: dict[str, Lexicon]) -> None:
    native = tiny["native"]
    assert set(native.categories) == {"frame", "frame.security", "frame.economy", "label"}
    assert len(pairs(native)) == 9
    for fmt in ("dic", "quanteda"):
        assert set(tiny[fmt].categories) == set(native.categories), fmt
        assert pairs(tiny[fmt]) == pairs(native), fmt


def test_interop_tiny_gives_the_same_hits_in_every_format(tiny: dict[str, Lexicon]) -> None:
    expected = hits(tiny["native"], SENTENCES)
    assert {(a, c, text) for a, c, _, _, text in expected} == EXPECTED
    assert len(expected) == len(EXPECTED)
    for fmt in ("dic", "quanteda"):
        assert hits(tiny[fmt], SENTENCES) == expected, fmt


def test_interop_read_any_detects_each_format(tmp_path: Path) -> None:
    assert detect_format(DATA / "tiny.dic") == "dic"
    assert detect_format(DATA / "tiny_quanteda.yml") == "quanteda"
    assert detect_format(DATA / "tiny.yaml") == "native"
    assert [i.name for i in read_any(DATA / "tiny.yaml").infos] == ["tiny"]
    for path in NATIVE:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert detect_format(tmp_path) == "native"
    assert {i.name for i in read_any(tmp_path).infos} == {"tiny", "tiny-2"}
    assert [i.name for i in read_any(DATA / "tiny.dic").infos] == ["tiny", "tiny-2"]
    assert [i.name for i in read_any(DATA / "tiny_quanteda.yml").infos] == [
        "tiny_quanteda",
        "tiny_quanteda-2",
    ]
    with pytest.raises(LexiconError, match=r"words\.txt: unknown dictionary format '\.txt'"):
        detect_format(DATA / "words.txt")


def test_interop_imported_entries_pass_lexicon_test(tiny: dict[str, Lexicon]) -> None:
    for fmt in ("dic", "quanteda"):
        results = run_examples(tiny[fmt])
        assert len(results) == 2 * len(tiny[fmt])
        assert all(r.passed for r in results), [r for r in results if not r.passed]
    liberat = next(e for e in tiny["dic"] if e.patterns == (glob_to_pattern("liberat*"),))
    assert liberat.id == "liberat" and liberat.category == "label"
    assert "tiny.dic" in liberat.explain and "label" in liberat.explain
    assert liberat.sources == ("LIWC dictionary tiny.dic",)
    assert {e.id for e in tiny["dic"] if "sanctions" in e.patterns} == {
        "sanctions--frame.security",
        "sanctions--frame.economy",
    }


@pytest.mark.parametrize(
    ("wording", "hit", "miss"),
    [
        ("liberat*", ["liberated", "Liberation", "liberators"], ["deliberate", "liberal"]),
        ("*ism", ["patriotism", "prism"], ["isms", "ismail"]),
        ("colo?r", ["colour", "COLOUR"], ["color", "colours"]),
        ("lib*rate", ["liberate", "librate"], ["liberated"]),
        ("special militar* operation", ["special military operation"], ["special operation"]),
    ],
)
def test_interop_wildcards_match_like_globs(
    wording: str, hit: list[str], miss: list[str], tmp_path: Path
) -> None:
    lexicon = read_quanteda_data({"words": [wording]}, tmp_path / "w.yml")
    for text in hit:
        assert [h[4] for h in hits(lexicon, {"a": f"They said {text} today."})] == [text]
    for text in miss:
        assert hits(lexicon, {"a": f"They said {text} today."}) == []


def read_quanteda_data(data: object, path: Path) -> Lexicon:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return read_quanteda_yaml(path)


@pytest.mark.parametrize(
    "glob",
    ["liberat*", "*ism", "colo?r", "lib*rate", "putin's war*", "don't*", "x-ray*", "a.b*"],
)
def test_interop_glob_and_pattern_convert_both_ways(glob: str) -> None:
    pattern = glob_to_pattern(glob)
    assert not isinstance(pattern, str)
    assert pattern_to_globs(pattern) == [glob]
    assert glob_to_pattern(pattern_to_globs(pattern)[0]) == pattern


@pytest.mark.parametrize("regex", ["^(liberat|freed)", "^\\d+", "war$|peace", "", "^a+b", "\\"])
def test_interop_other_regexes_are_not_wildcards(regex: str) -> None:
    with pytest.raises(ValueError, match="is not a wildcard"):
        pattern_to_globs(({"LOWER": {"REGEX": regex}},))


def test_interop_glob_examples() -> None:
    assert glob_to_pattern("liberat*") == ({"LOWER": {"REGEX": "^liberat"}},)
    assert glob_to_pattern("colo?r") == ({"LOWER": {"REGEX": "^colo.r$"}},)
    assert glob_to_pattern("colo?r", wildcards="*") == "colo?r"  # "?" is a letter in a .dic
    assert glob_to_pattern("  price   cap ") == "price cap"
    with pytest.raises(ValueError, match="would match any word"):
        glob_to_pattern("war *")


def test_interop_round_trip_tiny_through_every_format(
    tiny: dict[str, Lexicon], tmp_path: Path
) -> None:
    native = tiny["native"]
    write_dic(native, tmp_path / "t.dic")
    write_quanteda_yaml(native, tmp_path / "t.yml")
    assert "sanctions\t1\t2" in (tmp_path / "t.dic").read_text().splitlines()
    for back in (read_dic(tmp_path / "t.dic"), read_quanteda_yaml(tmp_path / "t.yml")):
        assert pairs(back) == pairs(native)
        assert set(back.categories) == set(native.categories)
    notes = write_native(read_dic(tmp_path / "t.dic"), tmp_path / "again.yaml")
    assert "again-2.yaml" in notes[0]
    again = read_lexicons([tmp_path / "again.yaml", tmp_path / "again-2.yaml"])
    assert pairs(again) == pairs(native)
    assert hits(again, SENTENCES) == hits(native, SENTENCES)


def phrase_entries(lexicon: Lexicon) -> Lexicon:
    """The entries a dictionary holds exactly: phrase patterns matched in lower case."""
    kept = tuple(
        dataclasses.replace(e, concept=None)
        for e in lexicon
        if e.match == "lower" and all(isinstance(p, str) for p in e.patterns)
    )
    return Lexicon(lexicon.infos, lexicon.categories, lexicon.stances, {}, kept)


@pytest.mark.parametrize("name", ["russia-ukraine", "loaded-language", "immigration", "climate"])
def test_interop_round_trip_keeps_bundled_phrases(name: str, tmp_path: Path) -> None:
    subset = phrase_entries(read_lexicons([bundled_lexicon_dir() / f"{name}.yaml"]))
    assert len(subset) >= 10
    write_dic(subset, tmp_path / "s.dic")
    write_quanteda_yaml(subset, tmp_path / "s.yml")
    for back in (read_dic(tmp_path / "s.dic"), read_quanteda_yaml(tmp_path / "s.yml")):
        # Wordings that differ only in case are one wording in a dictionary.
        assert pairs(back, lower=True) == pairs(subset, lower=True)
        assert {e.category for e in back} == {e.category for e in subset}


@pytest.mark.parametrize(
    ("name", "n_lemma", "n_token"), [("russia-ukraine", 3, 30), ("loaded-language", 20, 3)]
)
def test_interop_round_trip_keeps_hits_of_expanded_patterns(
    name: str, n_lemma: int, n_token: int, tmp_path: Path
) -> None:
    """Lemma entries and token patterns with IN lists and optional tokens are written out as
    every wording they stand for: read back, they find the same hits in the entries' examples."""
    lexicon = read_lexicons([bundled_lexicon_dir() / f"{name}.yaml"])
    notes = write_dic(lexicon, tmp_path / "all.dic")
    dropped = {n.split()[1].rstrip(":") for n in notes if n.startswith("entry ")}
    kept = tuple(
        dataclasses.replace(e, concept=None)
        for e in lexicon
        if e.id not in dropped and not e.exclude and e.match != "exact"
    )
    assert sum(e.match == "lemma" for e in kept) >= n_lemma
    assert sum(not isinstance(p, str) for e in kept for p in e.patterns) >= n_token
    subset = Lexicon(lexicon.infos, lexicon.categories, lexicon.stances, {}, kept)
    write_dic(subset, tmp_path / "sub.dic")
    back = read_dic(tmp_path / "sub.dic")
    examples = {f"{e.id}:{i}": x for e in kept for i, x in enumerate(e.hit_examples)}
    examples |= {f"{e.id}:m{i}": x for e in kept for i, x in enumerate(e.miss_examples)}
    positions = [h[:4] for h in hits(subset, examples)]
    assert len(positions) >= len(kept)
    assert [h[:4] for h in hits(back, examples)] == positions


def test_interop_write_reports_what_a_dictionary_cannot_hold(
    write_lexicon: Callable[..., Path], tmp_path: Path
) -> None:
    data = base_lexicon()
    data["entries"].append(
        entry(
            "odd",
            patterns=[[{"LOWER": "so"}, {"IS_ALPHA": True}]],
            examples={"hit": ["so much"], "miss": ["nothing"]},
        )
    )
    lexicon = read_lexicons([write_lexicon(data)])
    for writer, path in ((write_dic, "toy.dic"), (write_quanteda_yaml, "toy.yml")):
        notes = "\n".join(writer(lexicon, tmp_path / path))
        assert "weight not kept" in notes and "kiev-regime" in notes
        assert "stance tags not kept: 2 entries (kiev-regime, kiev)" in notes
        assert "exclusions not kept" in notes and "regime" in notes
        assert "concept membership not kept: 2 entries (kiev, kyiv)" in notes
        assert "case-insensitive: 2 entries (kiev, kyiv)" in notes
        assert "match: lemma written out as every inflected form" in notes
        assert "entry odd: pattern" in notes and "IS_ALPHA" in notes
        assert "entry odd dropped" in notes
        back = read_any(tmp_path / path)
        wordings = {p for e in back for p in e.patterns}
        # lemma entries come back as their inflected forms, in lower case
        assert {"kiev regime", "kiev regimes", "liberated", "liberating", "Kyiv"} <= wordings
        assert not any(str(p) == "so" for p in wordings)


def test_interop_dic_cannot_hold_question_mark_wildcard(tmp_path: Path) -> None:
    lexicon = read_quanteda_data({"a": ["colo?r", "liberat*"]}, tmp_path / "q.yml")
    notes = write_dic(lexicon, tmp_path / "q.dic")
    assert any("'?' wildcard" in n and "colo-r" in n for n in notes)
    assert read_dic(tmp_path / "q.dic").entries[0].patterns == (glob_to_pattern("liberat*"),)


def test_interop_dic_reads_liwc_2007_and_2015_variants(tmp_path: Path) -> None:
    text = (
        "\ufeff// LIWC2007-style header with zero-padded numbers\r\n"
        "%\r\n"
        "01\tposemo\t(Positive Emotion)\r\n"
        "\t02\tNegEmo\r\n"  # an indented (LIWC2015 hierarchy) line
        "%\r\n"
        "\r\n"
        "# a comment line\r\n"
        "happy 01\r\n"  # spaces instead of a tab
        "sad*\t02\r\n"
        "like\t(02 134)125/464\t01\r\n"  # a LIWC2007 conditional code
        "good\t1\r\n"
        "Good\t2\r\n"  # the same word again, another category
        "naïve\t01 02\r\n"
    )
    path = tmp_path / "LIWC 2007.dic"
    path.write_bytes(text.encode("utf-8"))
    notes: list[str] = []
    lexicon = read_dic(path, notes=notes)
    assert [i.name for i in lexicon.infos] == ["liwc-2007", "liwc-2007-2"]
    assert dict(lexicon.categories)["posemo"] == "Positive Emotion"
    assert set(lexicon.categories) == {"posemo", "negemo"}
    assert pairs(lexicon) == {
        ("posemo", "happy"),
        ("negemo", key(({"LOWER": {"REGEX": "^sad"}},))),
        ("posemo", "like"),
        ("posemo", "good"),
        ("negemo", "good"),
        ("posemo", "naïve"),
        ("negemo", "naïve"),
    }
    assert {e.id for e in lexicon if "naïve" in e.patterns} == {"naive--posemo", "naive--negemo"}
    joined = "\n".join(notes)
    assert "1 LIWC2007 conditional category codes skipped ((02 134)125/464)" in joined
    assert "indentation" in joined and "2 wordings are listed under several" in joined
    assert all(r.passed for r in run_examples(lexicon))


def test_interop_dic_falls_back_to_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "old.dic"
    path.write_bytes("%\n1\tneg\n%\nna\u00efve\t1\n".encode("cp1252"))
    notes: list[str] = []
    assert read_dic(path, notes=notes).entries[0].patterns == ("naïve",)
    assert notes == [f"{path}: not UTF-8, read as Windows-1252"]


def test_interop_dic_literal_wording_wins_over_wildcard(tmp_path: Path) -> None:
    """As in LIWC, a word listed itself counts there, not under a wildcard that also fits it."""
    path = tmp_path / "w.dic"
    path.write_text("%\n1\tbroad\n2\texact\n%\nliberat*\t1\nliberated\t2\n", encoding="utf-8")
    lexicon = read_dic(path)
    found = hits(lexicon, {"a": "They liberated it; a liberation, they said."})
    assert {(h[1], h[4]) for h in found} == {("exact", "liberated"), ("broad", "liberation")}
    assert len(found) == 2
    assert all(r.passed for r in run_examples(lexicon))


def test_interop_dic_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.dic"
    path.write_text(
        "%\n1\tone\n1\ttwo\nthree\n%\nhello\t1\t7\nworld\nfoo\tbar\n*\t1\nfine\t1\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as info:
        read_dic(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:3: category number 1 is declared twice (first on line 2)",
        f"{path}:4: expected 'number<TAB>category name' in the header, got 'three'",
        f"{path}:6: 'hello': unknown category number 7 (the header declares 1)",
        f"{path}:7: 'world' has no category numbers (expected 'word<TAB>number')",
        f"{path}:8: 'foo': expected category numbers after the word, got 'bar'",
        f"{path}:9: '*': a word of wildcards only would match every word",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello\t1\n", ":1: missing '%' header"),
        ("\n// c\n%\n1\ta\nword\t1\n", ": the '%' header is never closed by a line '%'"),
        ("%\n%\nword\t1\n", ":2: the '%' header declares no categories"),
        ("%\n1\tPos Emo\n2\tpos-emo\n%\n", ":3: categories 'Pos Emo' and 'pos-emo' both become"),
    ],
)
def test_interop_dic_header_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "h.dic"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        read_dic(path)
    assert any(str(p).startswith(str(path)) and message in str(p) for p in info.value.problems)


def test_interop_missing_file_is_a_lexicon_error(tmp_path: Path) -> None:
    for reader, name in ((read_dic, "none.dic"), (read_quanteda_yaml, "none.yml")):
        with pytest.raises(LexiconError, match=r"none\.(dic|yml): file not found"):
            reader(tmp_path / name)


def test_interop_quanteda_reads_nesting_dunder_and_mixed_lists(tmp_path: Path) -> None:
    path = tmp_path / "nested.yml"
    path.write_text(
        "Frame:\n"
        "  - crisis\n"  # a list that mixes the key's own wordings ...
        "  - Security: [threat]\n"  # ... and a sub-key
        "Frame :\n"  # the same key again: merged
        "  __: [emergency]\n"
        "  Economy:\n"
        "    Trade: [tariff*]\n"
        "empty:\n",
        encoding="utf-8",
    )
    lexicon = read_quanteda_yaml(path)
    assert list(lexicon.categories) == [
        "frame",
        "frame.security",
        "frame.economy",
        "frame.economy.trade",
        "empty",
    ]
    assert pairs(lexicon) == {
        ("frame", "crisis"),
        ("frame", "emergency"),
        ("frame.security", "threat"),
        ("frame.economy.trade", key(glob_to_pattern("tariff*"))),
    }
    write_quanteda_yaml(lexicon, tmp_path / "out.yml")
    written = yaml.safe_load((tmp_path / "out.yml").read_text(encoding="utf-8"))
    assert written == {
        "frame": {
            "security": ["threat"],
            "economy": {"trade": ["tariff*"]},
            "__": ["crisis", "emergency"],
        }
    }
    assert pairs(read_quanteda_yaml(tmp_path / "out.yml")) == pairs(lexicon)


def test_interop_write_native_declares_every_ancestor(tmp_path: Path) -> None:
    lexicon = read_quanteda_data(
        {"frame": {"war": {"naming": ["special operation"]}}}, tmp_path / "d.yml"
    )
    assert write_native(lexicon, tmp_path / "native.yaml") == []
    again = read_lexicons([tmp_path / "native.yaml"])  # raises if a parent were undeclared
    assert list(again.categories) == ["frame", "frame.war", "frame.war.naming"]
    assert pairs(again) == pairs(lexicon)


def test_interop_quanteda_errors_name_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "a:\n  - yes\n  - ''\n  - [x]\n  - '?*'\n__: [y]\nb: [c]\nB: [d]\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError) as info:
        read_quanteda_yaml(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:2: a: 'yes' is a YAML boolean; quote words such as 'yes', 'no', 'on' and 'off'",
        f"{path}:3: a: empty wording",
        f"{path}:4: a[2]: expected a wording, got a list",
        f"{path}:5: a: '?*': a word of wildcards only would match every word",
        f"{path}:6: '__' holds a key's own wordings; at the top there is none",
        f"{path}:8: categories 'b' and 'B' both become 'b'",
    ]
    path.write_text("a: [b\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.yml:2: invalid YAML"):
        read_quanteda_yaml(path)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.yml:1: expected a mapping of category names"):
        read_quanteda_yaml(path)


def test_interop_convert_picks_the_target_format(tmp_path: Path) -> None:
    notes = convert(DATA / "tiny.dic", tmp_path / "tiny.yaml")
    assert any("listed under several categories" in n for n in notes)
    assert detect_format(tmp_path / "tiny.yaml") == "native"
    assert (tmp_path / "tiny-2.yaml").is_file()
    convert(DATA / "tiny.yaml", tmp_path / "q.yml")  # native -> the other YAML: quanteda
    assert detect_format(tmp_path / "q.yml") == "quanteda"
    convert(DATA / "tiny_quanteda.yml", tmp_path / "t.dic")
    assert pairs(read_dic(tmp_path / "t.dic")) == pairs(read_lexicons(NATIVE))
    convert(DATA / "tiny.dic", tmp_path / "x.txt", to="quanteda")
    written = yaml.safe_load((tmp_path / "x.txt").read_text(encoding="utf-8"))
    assert "liberat*" in written["label"]
    with pytest.raises(LexiconError, match="--to: expected one of native, dic, quanteda"):
        convert(DATA / "tiny.dic", tmp_path / "y.yaml", to="csv")
