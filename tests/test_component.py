"""The spaCy component: the hits of match_corpus as spans, on any pipeline, saved, loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import spacy
import yaml
from conftest import base_lexicon, entry
from spacy.tokens import Doc

from framing.component import SPAN_EXTENSIONS, FramingComponent
from framing.corpus import read_corpus, sample_corpus_path
from framing.errors import LexiconError
from framing.lexicon import read_lexicons
from framing.match import match_corpus
from framing.nlp import make_nlp

Hit = tuple[str, str, int, int, str]


def hit_set(hits: pd.DataFrame) -> set[Hit]:
    return {
        (str(h.article_id), str(h.entry_id), int(h.start_char), int(h.end_char), str(h.voice))
        for h in hits.itertuples(index=False)
    }


def span_set(ids: list[str], docs: list[Doc], key: str = "framing") -> set[Hit]:
    return {
        (aid, s._.framing_entry, s.start_char, s.end_char, s._.framing_voice)
        for aid, doc in zip(ids, docs, strict=True)
        for s in doc.spans[key]
    }


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_corpus(sample_corpus_path())


@pytest.fixture(scope="module")
def blank_nlp() -> Any:
    """A blank English pipeline with the component and every bundled lexicon, compiled once."""
    nlp = spacy.blank("en")
    nlp.add_pipe("framing")
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def toy_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lexicon") / "toy.yaml"
    path.write_text(yaml.safe_dump(base_lexicon(), sort_keys=False), encoding="utf-8")
    return path


def test_blank_pipeline_spans_are_the_hits_of_match_corpus(
    blank_nlp: Any, sample: pd.DataFrame
) -> None:
    component = blank_nlp.get_pipe("framing")
    expected = match_corpus(sample, component.lexicon).hits
    ids = sample["article_id"].tolist()
    docs = list(blank_nlp.pipe(sample["text"], batch_size=16))
    assert span_set(ids, docs) == hit_set(expected)
    assert len(expected) > 500 and {"quoted", "partial", "scare"} <= set(expected["voice"])
    # One doc at a time (__call__) gives the same as batches (pipe).
    assert span_set(ids[:5], [blank_nlp(t) for t in sample["text"][:5]]) == hit_set(
        expected[expected["article_id"].isin(ids[:5])]
    )
    # Every field of each hit is on its span.
    by_hit = {(h.article_id, h.entry_id, h.start_char): h for h in expected.itertuples(index=False)}
    for aid, doc in zip(ids, docs, strict=True):
        for span in doc.spans["framing"]:
            hit = by_hit[(aid, span._.framing_entry, span.start_char)]
            assert span.text == hit.text
            assert span.label_ == hit.category and span.id_ == hit.entry_id
            assert span._.framing_lexicon == hit.lexicon
            assert span._.framing_speaker == hit.speaker
            assert span._.framing_weight == hit.weight
            assert span._.framing_concept == (hit.concept or None)
            assert ";".join(span._.framing_stance) == hit.stance


def test_on_the_default_framing_pipeline(toy_path: Path, sample: pd.DataFrame) -> None:
    # The cached pipeline of make_nlp() itself, as a user would take it; restored afterwards.
    nlp = make_nlp()
    nlp.add_pipe("framing", config={"lexicons": [str(toy_path)]})
    try:
        docs = list(nlp.pipe(sample["text"]))
        expected = match_corpus(sample, read_lexicons([toy_path])).hits
    finally:
        nlp.remove_pipe("framing")
    assert {d.spans["framing"][0]._.framing_lexicon for d in docs if d.spans["framing"]} >= {"toy"}
    assert span_set(sample["article_id"].tolist(), docs) == hit_set(expected)
    assert len(expected) > 20
    assert nlp.pipe_names == ["lemmatizer", "sentencizer"]


def test_voice_speaker_and_fields_on_an_invented_text(toy_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("framing", config={"lexicons": [str(toy_path)], "spans_key": "loaded"})
    text = "Officials of the Kiev regime spoke.\n\n“The regime is finished,” Orlov said."
    doc = nlp(text)
    spans = {s.text: s for s in doc.spans["loaded"]}
    assert "framing" not in doc.spans
    assert set(spans) == {"Kiev regime", "regime"}
    kiev = spans["Kiev regime"]
    assert (kiev.label_, kiev._.framing_entry, kiev._.framing_voice) == (
        "legitimacy.regime",
        "kiev-regime",
        "narrator",
    )
    assert (kiev._.framing_weight, kiev._.framing_stance) == (3, ("ru-state",))
    quoted = spans["regime"]
    assert (quoted._.framing_voice, quoted._.framing_speaker) == ("quoted", "Orlov")
    # Spans that framing did not make have no framing fields.
    other = doc[0:2]
    assert all(getattr(other._, f"framing_{f}") is None for f in SPAN_EXTENSIONS)
    assert list(nlp.pipe(["", "   "])) and not nlp("").spans["loaded"]


def test_same_characters_matched_by_two_lexicons_keep_their_own_fields(
    toy_path: Path, tmp_path: Path
) -> None:
    # spaCy keys span extension values by offsets alone; both hits must keep their own values.
    other = base_lexicon(
        lexicon="other",
        concepts={},
        entries=[entry("regime-word", patterns=["regime"], category="naming", weight=2)],
    )
    other_path = tmp_path / "other.yaml"
    other_path.write_text(yaml.safe_dump(other, sort_keys=False), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("framing", config={"lexicons": [str(toy_path), str(other_path)]})
    doc = nlp("Nobody in the regime spoke.")
    fields = sorted(
        (s.start_char, s._.framing_entry, s._.framing_lexicon, s._.framing_weight, s.label_)
        for s in doc.spans["framing"]
    )
    assert fields == [
        (14, "regime", "toy", 1, "legitimacy.regime"),
        (14, "regime-word", "other", 2, "naming"),
    ]
    # A Doc saved and restored keeps the spans and their fields.
    restored = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert (
        sorted(
            (s.start_char, s._.framing_entry, s._.framing_lexicon, s._.framing_weight, s.label_)
            for s in restored.spans["framing"]
        )
        == fields
    )


def test_saved_pipeline_loads_its_own_copy_of_the_lexicon(
    toy_path: Path, tmp_path: Path, sample: pd.DataFrame
) -> None:
    lexicon_path = tmp_path / "mine.yaml"
    lexicon_path.write_bytes(toy_path.read_bytes())
    nlp = spacy.blank("en")
    nlp.add_pipe("framing", config={"lexicons": [str(lexicon_path)]})
    texts = sample["text"].tolist()[:20]
    before = span_set([str(i) for i in range(20)], list(nlp.pipe(texts)))
    nlp.to_disk(tmp_path / "pipeline")
    lexicon_path.unlink()  # the config's path is gone: the saved copy is used
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == ["framing"]
    after = span_set([str(i) for i in range(20)], list(loaded.pipe(texts)))
    assert before and after == before


def test_bad_lexicon_path_is_named(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("framing", config={"lexicons": [str(tmp_path / "missing.yaml")]})
    with pytest.raises(LexiconError, match=r"missing\.yaml"):
        nlp.initialize()
    component = FramingComponent([str(tmp_path / "missing.yaml")])
    with pytest.raises(LexiconError, match=r"missing\.yaml"):
        component(spacy.blank("en")("Some text."))


def test_entry_point_finds_the_component_without_importing_framing(
    toy_path: Path, tmp_path: Path
) -> None:
    # The script never imports framing. (spaCy itself imports every installed factory's module
    # when it builds a Language, so framing is imported inside spacy.blank, not before.)
    code = (
        "import sys, spacy\n"
        "assert 'framing' not in sys.modules, 'import spacy imported framing'\n"
        "nlp = spacy.blank('en')\n"
        f"nlp.add_pipe('framing', config={{'lexicons': [{str(toy_path)!r}]}})\n"
        "doc = nlp('The Kiev regime spoke.')\n"
        "print([(s.text, s.label_, s._.framing_entry) for s in doc.spans['framing']])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the checkout: framing comes from the installed package only
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('Kiev regime', 'legitimacy.regime', 'kiev-regime')]"
