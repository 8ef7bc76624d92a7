"""Lexicons judged against text: their own hit/miss examples, and human span annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.errors import CorpusError, FramingError
from framing.lexicon import Lexicon
from framing.match import Matches, match_corpus
from framing.nlp import make_nlp

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "REVIEW_COLUMNS",
    "ExampleResult",
    "evaluate_spans",
    "read_gold",
    "resolve_labels",
    "review_counts",
    "review_sample",
    "run_examples",
]


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


def read_gold(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read human span annotations: JSONL records ``{id, text, spans: [{start, end, label}]}``.

    Returns
    -------
    (texts, spans)
        ``article_id, outlet, text`` and ``article_id, start, end, label``.

    Raises
    ------
    CorpusError
        Naming the file and line of a record that is not valid JSON or lacks a field.
    """
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    texts, spans = [], []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                article_id, text = str(record["id"]), record["text"]
                for span in record.get("spans", []):
                    spans.append((article_id, int(span["start"]), int(span["end"]), span["label"]))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise CorpusError(f"{path}:{lineno}: not a gold record ({exc!r})") from exc
            texts.append((article_id, "gold", text))
    return (
        pd.DataFrame(texts, columns=["article_id", "outlet", "text"]),
        pd.DataFrame(spans, columns=["article_id", "start", "end", "label"]),
    )


def resolve_labels(text: str, known: set[str]) -> list[str]:
    """Split "A,B" into labels, keeping commas that belong to a known label.

    PTC has a label "Name_Calling,Labeling", so "Loaded_Language,Name_Calling,Labeling" means
    two labels, not three: adjacent pieces are joined while their join is a known label.
    """
    pieces = [p.strip() for p in text.split(",")]
    out: list[str] = []
    i = 0
    while i < len(pieces):
        best = i + 1
        for j in range(len(pieces), i + 1, -1):
            if ",".join(pieces[i:j]) in known:
                best = j
                break
        out.append(",".join(pieces[i:best]))
        i = best
    return [label for label in out if label]


def _overlaps(hits: pd.DataFrame, gold: pd.DataFrame, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """Which hits match some gold span, and which gold spans some hit matches (same article)."""
    hit_ok = np.zeros(len(hits), dtype=bool)
    gold_ok = np.zeros(len(gold), dtype=bool)
    # Not dict(groupby): a GroupBy has a `keys` attribute that dict() would try to call.
    gold_by_article = {a: g for a, g in gold.reset_index(drop=True).groupby("article_id")}  # noqa: C416
    for i, (article, start, end) in enumerate(
        hits[["article_id", "start_char", "end_char"]].itertuples(index=False)
    ):
        g = gold_by_article.get(article)
        if g is None:
            continue
        if exact:
            match = (g["start"].to_numpy() == start) & (g["end"].to_numpy() == end)
        else:
            match = (g["start"].to_numpy() < end) & (start < g["end"].to_numpy())
        if match.any():
            hit_ok[i] = True
            gold_ok[g.index.to_numpy()[match]] = True
    return hit_ok, gold_ok


def evaluate_spans(
    gold_path: str | Path,
    lexicon: Lexicon,
    *,
    labels: Sequence[str] | str | None = None,
    nlp: Language | None = None,
) -> pd.DataFrame:
    """Precision, recall and F1 of a lexicon's hits against human span annotations.

    With ``overlap`` matching a hit is correct when it overlaps a gold span of the same text, and
    a gold span is found when some hit overlaps it; with ``exact`` matching the offsets must be
    equal. precision = correct hits / hits; recall = found gold spans / gold spans;
    F1 = 2PR / (P + R). Intervals are 95% Wilson score intervals (Wilson 1927), treating hits
    (or gold spans) as independent trials, which is optimistic when they cluster in texts.
    Per category and per entry, recall is the share of all gold spans that the category's (or
    entry's) hits find, so those recalls add up to more than the overall one.

    Parameters
    ----------
    gold_path
        JSONL of ``{id, text, spans: [{start, end, label}]}``.
    lexicon
        The lexicon to judge; built-in scare-quote hits are left out (they are not entries).
    labels
        Gold labels that count (a list, or a comma-separated string as on the command line,
        see `resolve_labels`); default all.
    nlp
        A spaCy pipeline; default `framing.nlp.make_nlp()`.

    Returns
    -------
    pandas.DataFrame
        ``level`` (overall, category, entry), ``key``, ``matching`` (overlap, exact),
        ``hits, correct, precision, precision_low, precision_high, gold, found, recall,
        recall_low, recall_high, f1``.
    """
    from framing.profile import wilson_interval

    texts, gold = read_gold(gold_path)
    if labels:
        chosen = resolve_labels(labels, set(gold["label"])) if isinstance(labels, str) else labels
        unknown = sorted(set(chosen) - set(gold["label"]))
        if unknown:
            raise FramingError(
                f"{gold_path}: no gold label {', '.join(map(repr, unknown))}; the labels are "
                f"{', '.join(map(repr, sorted(set(gold['label']))))}"
            )
        gold = gold[gold["label"].isin(chosen)]
    gold = gold.reset_index(drop=True)
    hits = match_corpus(texts, lexicon, nlp=nlp).hits
    hits = hits[hits["lexicon"] != "voice"].reset_index(drop=True)
    hits = hits.assign(category=hits["category"].str.split(".").str[0])
    rows = []
    for matching in ("overlap", "exact"):
        hit_ok, gold_ok = _overlaps(hits, gold, exact=matching == "exact")
        groups: list[tuple[str, str, np.ndarray]] = [("overall", "all", np.ones(len(hits), bool))]
        groups += [
            ("category", c, (hits["category"] == c).to_numpy())
            for c in sorted(set(hits["category"]))
        ]
        groups += [
            ("entry", e, (hits["entry_id"] == e).to_numpy()) for e in sorted(set(hits["entry_id"]))
        ]
        for level, key, mask in groups:
            n_hits, correct = int(mask.sum()), int(hit_ok[mask].sum())
            if level == "overall":
                found = int(gold_ok.sum())
            else:
                _, found_here = _overlaps(hits[mask], gold, exact=matching == "exact")
                found = int(found_here.sum())
            precision = correct / n_hits if n_hits else float("nan")
            recall = found / len(gold) if len(gold) else float("nan")
            f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
            p_low, p_high = wilson_interval(correct, n_hits)
            r_low, r_high = wilson_interval(found, len(gold))
            rows.append((level, key, matching, n_hits, correct, precision, p_low, p_high,
                         len(gold), found, recall, r_low, r_high, f1))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["level", "key", "matching", "hits", "correct", "precision", "precision_low",
                 "precision_high", "gold", "found", "recall", "recall_low", "recall_high", "f1"],
    )  # fmt: skip


REVIEW_COLUMNS = ["lexicon", "entry_id", "category", "outlet", "article_id", "start_char",
                  "left", "hit", "right", "voice", "correct"]  # fmt: skip


def review_sample(
    matches: Matches,
    texts: pd.DataFrame,
    *,
    per_entry: int = 20,
    window: int = 60,
    seed: int = 0,
) -> pd.DataFrame:
    """A stratified sample of hits per entry, in context, for a person to mark correct or not.

    Each entry's sample is spread over outlets in proportion to the entry's hits there (at least
    one per outlet that has hits, while the sample allows), drawn with a seeded generator, so a
    few outlets cannot fill the whole sample.

    Parameters
    ----------
    matches
        Output of `framing.match_corpus`.
    texts
        The corpus with ``article_id`` and ``text``, to cut the context from.
    per_entry
        Hits sampled per entry at most.
    window
        Characters of context on each side.
    seed
        Seed of the sample.

    Returns
    -------
    pandas.DataFrame
        `REVIEW_COLUMNS`, with ``correct`` empty: fill it with 1 (correct) or 0 (wrong).
    """
    rng = np.random.default_rng(seed)
    text_of = dict(zip(texts["article_id"], texts["text"], strict=True))
    hits = matches.hits[matches.hits["lexicon"] != "voice"]
    picked = []
    for _, entry_hits in hits.groupby("entry_id", sort=True):
        by_outlet = entry_hits.groupby("outlet", sort=True)
        quota = {o: len(g) * per_entry / len(entry_hits) for o, g in by_outlet}
        take = {o: min(len(g), max(1, round(quota[o]))) for o, g in by_outlet}
        while sum(take.values()) > min(per_entry, len(entry_hits)):  # rounding up overshot
            largest = max(take, key=lambda o: (take[o], o))
            take[largest] -= 1
        for outlet, group in by_outlet:
            rows = rng.choice(len(group), size=take[outlet], replace=False)
            picked.append(group.iloc[np.sort(rows)])
    sample = pd.concat(picked) if picked else hits.iloc[:0]
    out = []
    for row in sample.to_dict("records"):
        text = text_of[row["article_id"]]
        start, end = int(row["start_char"]), int(row["end_char"])
        left = text[max(0, start - window) : start].replace("\n", " ")
        right = text[end : end + window].replace("\n", " ")
        out.append(
            (row["lexicon"], row["entry_id"], row["category"], row["outlet"], row["article_id"],
             start, left, row["text"], right, row["voice"], "")
        )  # fmt: skip
    return pd.DataFrame(out, columns=REVIEW_COLUMNS)


def review_counts(marked: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Per entry (n reviewed, n correct) from a marked review sheet; unmarked rows are skipped.

    Raises
    ------
    FramingError
        Naming the row (1-based, header = row 1) of a mark that is not 1/0, y/n or yes/no.
    """
    values = {"1": True, "y": True, "yes": True, "true": True, "0": False, "n": False,
              "no": False, "false": False}  # fmt: skip
    counts: dict[str, tuple[int, int]] = {}
    for i, (entry_id, mark) in enumerate(zip(marked["entry_id"], marked["correct"], strict=True)):
        text = str(mark).strip().lower()
        if text in ("", "nan", "none"):
            continue
        if text not in values:
            raise FramingError(f"row {i + 2}: 'correct' must be 1/0 or y/n, got {mark!r}")
        n, correct = counts.get(str(entry_id), (0, 0))
        counts[str(entry_id)] = (n + 1, correct + values[text])
    return counts
