"""How much voice detection adds to `framing analyze`: CPU time with and without it.

Run: python benchmarks/voice_overhead.py [--pairs 15]

The corpus is the seed articles from ../shared (x20, long scraped news full of quotes), the
bundled sample corpus (x10) and the Sputnik/Kyiv Independent headlines, when ../shared exists;
otherwise the sample corpus x100. "Without voice" replaces quote detection by a function that
finds no quotes (so no scare-quote hits either); everything else is the real analyze run. The two
runs alternate, and the overhead reported is the median of the per-pair ratios, because CPU time
on a shared 2-core VM varies by 10-30% between identical runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

import framing
import framing.match as match_module

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def build_corpus() -> pd.DataFrame:
    sample = framing.read_corpus(framing.sample_corpus_path())
    if not SHARED.is_dir():
        return pd.concat([sample] * 100, ignore_index=True)
    seeds = framing.read_corpus(SHARED / "seeds")
    headlines = framing.read_corpus(SHARED / "data" / "headlines-sputnik-kyivindependent.jsonl")
    return pd.concat([seeds] * 20 + [sample] * 10 + [headlines], ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    args = parser.parse_args()
    corpus = build_corpus()
    folder = Path(tempfile.mkdtemp())
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(corpus.itertuples()):
            fh.write(json.dumps({"id": f"a{i}", "outlet": row.outlet, "text": row.text}) + "\n")
    lexicon = framing.read_lexicons()
    real = match_module.find_quotes

    def no_quotes(text: str, **_: Any) -> list[Any]:
        return []

    def run(voice: bool) -> float:
        match_module.find_quotes = real if voice else no_quotes  # type: ignore[assignment]
        start = time.process_time()
        framing.analyze([path], folder / "out", lexicon=lexicon, progress=False)
        return time.process_time() - start

    run(True)  # warm caches and the lookup tables
    ratios, without, with_ = [], [], []
    for _ in range(args.pairs):
        off, on = run(False), run(True)
        without.append(off)
        with_.append(on)
        ratios.append(on / off - 1)
    words = int(corpus["text"].str.split().str.len().sum())
    print(f"corpus: {len(corpus):,} articles, {words:,} words")
    print(f"analyze CPU without voice: median {statistics.median(without):.2f} s")
    print(f"analyze CPU with voice:    median {statistics.median(with_):.2f} s")
    print(
        f"voice adds {100 * statistics.median(ratios):+.1f}% (median of {args.pairs} pairs; "
        f"range {100 * min(ratios):+.0f}% to {100 * max(ratios):+.0f}%)"
    )


if __name__ == "__main__":
    main()
