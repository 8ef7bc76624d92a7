"""Lexicons judged against text: their own hit/miss examples, and human span annotations."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from framing.lexicon import Lexicon
from framing.match import match_corpus
from framing.nlp import make_nlp

__all__ = ["ExampleResult", "run_examples"]


@dataclass(frozen=True)
class ExampleResult:
    """One example sentence of one entry: did the entry hit where it should, and only there?"""

    entry_id: str
    kind: str  # "hit" or "miss"
    example: str
    found: str  # the entry's hits in the example, "; "-joined
    passed: bool


def run_examples(lexicon: Lexicon, *, spacy_model: str | None = None) -> list[ExampleResult]:
    """Match every entry's examples with the whole lexicon (so the overlap policy applies too).

    A ``hit`` example passes when the entry matches in it; a ``miss`` example passes when it
    does not.
    """
    rows: list[tuple[str, str, str, str]] = []
    for entry in lexicon:
        for kind, examples in (("hit", entry.hit_examples), ("miss", entry.miss_examples)):
            for example in examples:
                rows.append((f"{len(rows)}", entry.id, kind, example))
    corpus = pd.DataFrame(
        {"article_id": [r[0] for r in rows], "outlet": "examples", "text": [r[3] for r in rows]}
    )
    matches = match_corpus(corpus, lexicon, nlp=make_nlp(spacy_model))
    found: dict[tuple[str, str], list[str]] = {}
    for aid, entry_id, text in matches.hits[["article_id", "entry_id", "text"]].itertuples(
        index=False
    ):
        found.setdefault((aid, entry_id), []).append(text)
    results = []
    for aid, entry_id, kind, example in rows:
        hits = found.get((aid, entry_id), [])
        passed = bool(hits) if kind == "hit" else not hits
        results.append(ExampleResult(entry_id, kind, example, "; ".join(hits), passed))
    return results
