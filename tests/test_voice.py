"""Voice: quotes, partial quotes, scare quotes and speakers, against our own annotated cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from framing.voice import assign_voices, find_quotes

CASES_FILE = Path(__file__).parent / "data" / "voice_cases.yaml"
MARKER = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    return cases


def unmark(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove [[...]] markers; return the plain text and the marked spans' offsets in it."""
    plain, spans, last = [], [], 0
    length = 0
    for m in MARKER.finditer(text):
        plain.append(text[last : m.start()])
        length += m.start() - last
        spans.append((length, length + len(m.group(1))))
        plain.append(m.group(1))
        length += len(m.group(1))
        last = m.end()
    plain.append(text[last:])
    return "".join(plain), spans


def same_speaker(predicted: str, expected: str) -> bool:
    """Names match when one's last word is among the other's words ("Pavel Orlov" ~ "Orlov")."""

    def words(name: str) -> list[str]:
        return re.sub(r"['’]s\b", "", name.lower()).replace("the ", "").split()

    p, e = words(predicted), words(expected)
    if not p or not e:
        return not p and not e
    return e[-1] in p or p[-1] in e


def evaluate() -> tuple[list[tuple[str, str, str, str, str, str]], int, int, int, int]:
    rows = []
    voice_ok = speaker_ok = speaker_n = 0
    for case in load_cases():
        text, spans = unmark(case["text"])
        quotes = find_quotes(text)
        found = assign_voices(quotes, [s for s, _ in spans], [e for _, e in spans])
        for (start, end), (voice, speaker), want in zip(spans, found, case["expect"], strict=True):
            voice_ok += voice == want["voice"]
            if want["voice"] in ("quoted", "partial"):
                speaker_n += 1
                speaker_ok += same_speaker(speaker, want.get("speaker") or "")
            rows.append(
                (
                    case["id"],
                    text[start:end],
                    voice,
                    want["voice"],
                    speaker,
                    want.get("speaker") or "",
                )
            )
    return rows, voice_ok, len(rows), speaker_ok, speaker_n


def test_voice_accuracy_on_annotated_cases() -> None:
    rows, voice_ok, n, speaker_ok, speaker_n = evaluate()
    for case_id, term, voice, want, speaker, want_speaker in rows:
        if voice != want or (
            want in ("quoted", "partial") and not same_speaker(speaker, want_speaker)
        ):
            print(
                f"  {case_id}: {term!r} voice {voice} (want {want}), "
                f"speaker {speaker!r} (want {want_speaker!r})"
            )
    print(
        f"\nvoice accuracy {voice_ok}/{n} = {voice_ok / n:.1%}; "
        f"speaker accuracy {speaker_ok}/{speaker_n} = {speaker_ok / speaker_n:.1%} "
        "(quoted and partial)"
    )
    assert n >= 120
    assert voice_ok / n >= 0.95
    assert speaker_ok / speaker_n >= 0.85


@pytest.mark.parametrize(
    "text",
    ["Russia's forces didn't move in the '90s.", "Soldiers' families met at 5 o'clock.",
     "Rock 'n' roll is back.", "Russia’s forces didn’t move in the ’90s."],
)  # fmt: skip
def test_voice_apostrophes_are_not_quotes(text: str) -> None:
    assert find_quotes(text) == []


def test_voice_unclosed_quote_stops_at_its_paragraph() -> None:
    text = "“The regime will fall, Orlov said on Monday.\n\n" + "The regime held talks. " * 50
    [quote] = find_quotes(text)
    assert quote.end <= text.index("\n\n") and not quote.closed


def test_voice_multi_paragraph_quote_shares_speaker() -> None:
    text = (
        "Kremlin spokesman Pavel Orlov spoke after the vote.\n\n“We will not accept this.\n\n"
        "“Nobody in Moscow will,” he said.\n\nThe vote was held."
    )
    quotes = find_quotes(text)
    assert [q.kind for q in quotes] == ["quoted", "quoted"]
    assert {q.group for q in quotes} == {quotes[0].group}
    assert all(q.speaker.endswith("Pavel Orlov") for q in quotes)


def test_voice_so_called_marks_following_words() -> None:
    text = "The so-called referendum was held at gunpoint."
    [quote] = find_quotes(text)
    assert text[quote.start : quote.end] == "so-called referendum" and quote.kind == "scare"


def entity_pipeline(people: list[str]) -> Any:
    """A stand-in for a trained pipeline: a blank one whose entity ruler sets doc.ents."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": p} for p in people])
    return nlp


def test_voice_entities_trim_and_find_speakers() -> None:
    text = (
        "“The regime will fall,” said Kremlin spokesman Pavel Orlov. "
        "“We will win this war,” Marta Lind quipped on Tuesday."
    )
    plain = find_quotes(text)
    assert [q.speaker for q in plain] == ["Kremlin spokesman Pavel Orlov", ""]
    doc = entity_pipeline(["Pavel Orlov", "Marta Lind"])(text)
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    assert [q.speaker for q in find_quotes(text, entities=ents)] == ["Pavel Orlov", "Marta Lind"]


def test_voice_entities_used_by_match_corpus_with_entity_pipeline(
    write_lexicon: Callable[..., Path],
) -> None:
    import pandas as pd

    from framing.lexicon import read_lexicons
    from framing.match import match_corpus

    text = "“The regime will fall,” Marta Lind quipped."
    corpus = pd.DataFrame({"article_id": ["a"], "outlet": ["o"], "text": [text]})
    lexicon = read_lexicons([write_lexicon()])
    blank = match_corpus(corpus, lexicon).hits
    assert blank[["voice", "speaker"]].to_numpy().tolist() == [["quoted", ""]]
    with_ents = match_corpus(corpus, lexicon, nlp=entity_pipeline(["Marta Lind"])).hits
    assert with_ents[["voice", "speaker"]].to_numpy().tolist() == [["quoted", "Marta Lind"]]
