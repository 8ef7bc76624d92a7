"""Voice: quotes, partial quotes, scare quotes and speakers, against our own annotated cases."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from framing.voice import QuoteSpan, assign_voices, find_quotes

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


SPEAKERS_TEXT = (
    "“The bridge will reopen in spring,” said Mayor Ilse Brandt.\n\n"
    "Engineers called the repairs “a patchwork job” on Monday, and Brandt said they were "
    "“nearly done.”\n\n"
    "“Repairs take time.\n\n“The money is there,” said engineer Tomas Vik.\n\n"
    "“We have heard this before,” one shopkeeper told the Harbour Gazette. "
    "“Nobody believes it now.”\n\n"
    "The council then passed the so-called emergency budget."
)


def test_voice_speakers_before_leaves_earlier_quotes_as_a_full_run() -> None:
    full = find_quotes(SPEAKERS_TEXT)
    assert any(q.speaker for q in full if q.kind == "quoted")
    assert any(len([p for p in full if p.group == q.group]) > 1 for q in full if q.group)
    cuts = {0, len(SPEAKERS_TEXT)} | {q.start for q in full} | {q.start + 1 for q in full}
    for cut in sorted(cuts):
        part = find_quotes(SPEAKERS_TEXT, speakers_before=cut)
        shape = [(q.start, q.end, q.kind, q.group, q.closed) for q in part]
        assert shape == [(q.start, q.end, q.kind, q.group, q.closed) for q in full]
        for q, whole in zip(part, full, strict=True):
            group_started = any(w.group == q.group and w.start < cut for w in full if q.group)
            if q.start < cut or group_started:
                assert q.speaker == whole.speaker, (cut, q)
            elif q.kind == "quoted":
                assert q.speaker == "", (cut, q)  # nobody asked for it


def test_voice_assign_voices_gives_the_quote_holding_each_hit() -> None:
    rng = random.Random(7)
    kinds = ["quoted", "partial", "scare", "title"]
    for _ in range(300):
        quotes, pos = [], 0
        for group in range(rng.randrange(6)):  # in order; some empty, touching or overlapping
            start = pos + rng.randrange(6)
            end = start + rng.randrange(8)
            quotes.append(QuoteSpan(start, end, rng.choice(kinds), f"speaker {group}", group))
            pos = max(start, end - rng.randrange(3))
        starts = [rng.randrange(pos + 10) for _ in range(rng.randrange(12))]
        want = []
        for hit in starts:
            before = [q for q in quotes if q.start <= hit]
            q = before[-1] if before else None
            inside = q is not None and hit < q.end and q.kind != "title"
            want.append((q.kind, q.speaker) if q is not None and inside else ("narrator", ""))
        assert assign_voices(quotes, starts, [hit + 1 for hit in starts]) == want
    with pytest.raises(ValueError, match="shorter"):
        assign_voices([], [1, 2], [3])


def test_voice_quote_over_paragraphs_with_blank_lines_and_crlf() -> None:
    text = "\n\n  “We will not sell the ferry.\r\n \r\n“Not this year,” the harbour master said.\n"
    first, second = find_quotes(text)
    assert first.kind == second.kind == "quoted" and first.group == second.group
    assert text[first.start] == "“" and text[first.end - 1] == "."  # its paragraph, trimmed
    assert text[second.start : second.end] == "“Not this year,”"


def test_voice_so_called_terms_do_not_overlap() -> None:
    text = "Also called a truce, the so-called so-called ceasefire and the So called Peace Board."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "so-called so-called ceasefire",
        "So called Peace Board",
    ]
    assert {q.kind for q in quotes} == {"scare"}
