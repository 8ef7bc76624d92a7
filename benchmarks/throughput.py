"""Throughput of `framing analyze` against the spaCy tokenizer floor and a naive regex loop.

Run: python benchmarks/throughput.py [--articles 10000] [--runs 3] [--processes 1 2]
     python benchmarks/throughput.py --memory 20000 200000 [--processes 1 2]

A seeded generator writes synthetic news-like articles: words drawn with Zipf frequencies from a
vocabulary of the bundled sample corpus plus 20,000 invented words, and three never-seen words
per article (the names and figures that make a real corpus's vocabulary keep growing);
sentences and paragraphs, quotes now and then, and lexicon terms planted at about one per hundred
words. Then, on the same texts, interleaved run by run, medians of --runs runs:

- framing: `framing analyze` end to end with every bundled lexicon (reading, matching, voice,
  profiles with 2,000 bootstrap resamples, writing), in a child process so peak RSS is its own;
- floor: spaCy's blank English tokenizer alone (`nlp.tokenizer.pipe`), nothing else;
- naive: one case-insensitive regex per phrase pattern, looped over a sample of articles.

It prints articles/s, tokens/s, peak RSS, the start-up time (a 1-article corpus) and the ratios
framing/floor, framing/naive and 2 processes / 1 process (the ratios to the floor and to one
process are taken within each round, then their median shown). Each worker process spends ~2 s
starting and then learns the corpus's common words on its own, so the 2-process ratio grows with
the corpus: on a 2-core machine ~1.4-1.6x at 10,000 articles, ~1.8x at 40,000 (--articles 40000).
With --memory it instead runs whole analyses of corpora of the given sizes, streamed from disk,
and prints each one's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from benchmark_rss import peak_rss

import framing

OUTLETS = ["Northern Courier", "Harbour Times", "Valley Wire", "Capital Ledger"]


def vocabulary(rng: np.random.Generator, n_invented: int) -> list[str]:
    """The sample corpus's words, most frequent first (so "the", "of", "and" lead the Zipf curve
    as in real English), then invented words for the long tail."""
    words = framing.read_corpus(framing.sample_corpus_path())["text"].str.findall(r"[A-Za-z']+")
    counts: dict[str, int] = {}
    for ws in words:
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    known = sorted(counts, key=lambda w: (-counts[w], w))
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    invented = ["".join(rng.choice(letters, size=rng.integers(4, 11))) for _ in range(n_invented)]
    return known + invented


def terms() -> list[str]:
    return sorted({p for e in framing.read_lexicons() for p in e.patterns if isinstance(p, str)})


def generate(path: Path, n_articles: int, n_words: int, seed: int, keep: bool = True) -> list[str]:
    """Write the corpus; return its texts (none if `keep` is false, for very large corpora)."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng, 20_000)
    weights = 1 / np.arange(1, len(vocab) + 1) ** 1.05  # Zipf: a few words very common
    weights /= weights.sum()
    lexicon_terms = terms()
    texts = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_articles):
            words = [vocab[k] for k in rng.choice(len(vocab), size=n_words, p=weights)]
            for k in rng.choice(n_words, size=max(1, n_words // 100), replace=False):
                words[k] = lexicon_terms[rng.integers(len(lexicon_terms))]
            for k in rng.choice(n_words, size=3, replace=False):
                words[k] = f"{words[k]}{i}x{k}"  # a word no other article has
            sentences, start = [], 0
            while start < n_words:
                length = int(rng.integers(8, 28))
                sentence = " ".join(words[start : start + length])
                sentence = sentence[:1].upper() + sentence[1:] + "."
                if rng.random() < 0.12:
                    sentence = f"“{sentence[:-1]},” said {vocab[rng.integers(50, 500)].title()}."
                sentences.append(sentence)
                start += length
            paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
            text = "\n\n".join(paragraphs)
            if keep:
                texts.append(text)
            record = {"id": f"a{i}", "outlet": OUTLETS[i % len(OUTLETS)], "text": text}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return texts


def run_framing(path: Path, out: Path, processes: int) -> tuple[float, float, float]:
    """Seconds, peak RSS of the main process and of the largest worker (MB) of `framing analyze`,
    run in a child process so its memory is its own. A worker's figure is ``ru_maxrss``, which
    counts the main process's memory when it started the worker too (Linux carries it over the
    exec), far below a worker's own peak."""
    code = (
        "import resource, sys, time, framing\n"
        "from benchmark_rss import peak_rss\n"
        "t = time.perf_counter()\n"
        f"framing.analyze([{str(path)!r}], {str(out)!r}, progress=False, processes={processes})\n"
        "workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(time.perf_counter() - t, peak_rss(), workers)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
    )
    seconds, rss, workers = map(float, result.stdout.split())
    return seconds, rss, workers


def run_floor(texts: list[str]) -> tuple[float, int]:
    import spacy

    nlp = spacy.blank("en")
    start = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
    return time.perf_counter() - start, tokens


def run_naive(texts: list[str], sample: int) -> float:
    """Seconds per article of one regex search per phrase pattern."""
    patterns = [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in terms()]
    chosen = texts[:sample]
    start = time.perf_counter()
    for text in chosen:
        for pattern in patterns:
            pattern.findall(text)
    return (time.perf_counter() - start) / len(chosen)


def throughput(args: argparse.Namespace, folder: Path) -> None:
    corpus = folder / "corpus.jsonl"
    texts = generate(corpus, args.articles, args.words, args.seed)
    n = len(texts)
    tiny = folder / "tiny.jsonl"
    tiny.write_text("".join(corpus.open(encoding="utf-8").readline() for _ in range(1)))
    startup = statistics.median(run_framing(tiny, folder / "tiny", 1)[0] for _ in range(args.runs))
    floors, framing_runs = [], {p: [] for p in args.processes}  # type: ignore[var-annotated]
    tokens = 0
    for run in range(args.runs):  # interleaved, so drifts in machine speed hit all alike
        floor_seconds, tokens = run_floor(texts)
        floors.append(floor_seconds)
        for p in args.processes:
            framing_runs[p].append(run_framing(corpus, folder / f"out{p}", p))
        print(f"run {run + 1}: floor {n / floor_seconds:.0f}/s, "
              + ", ".join(f"{p} process{'es' * (p > 1)} {n / framing_runs[p][-1][0]:.0f}/s"
                          for p in args.processes), flush=True)  # fmt: skip
    naive_per_article = run_naive(texts, args.naive_sample)
    floor_seconds = statistics.median(floors)
    print(f"\ncorpus: {n:,} synthetic articles, {args.words} words each, {tokens:,} spaCy tokens;"
          f" medians of {args.runs} runs")  # fmt: skip
    print(f"tokenizer floor: {n / floor_seconds:8.0f} articles/s {tokens / floor_seconds:10,.0f} "
          "tokens/s")  # fmt: skip
    print(f"naive regex:     {1 / naive_per_article:8.1f} articles/s "
          f"(one regex per phrase pattern, {args.naive_sample} articles)")  # fmt: skip
    print(f"start-up:        {startup:8.1f} s (analyze on a 1-article corpus: imports, lexicons,"
          " matcher, profiles)")  # fmt: skip
    for p in args.processes:
        seconds = statistics.median(r[0] for r in framing_runs[p])
        rss = statistics.median(r[1] for r in framing_runs[p])
        workers = statistics.median(r[2] for r in framing_runs[p])
        # Ratios run by run (each against the floor and the 1-process run of the same round),
        # then their median: the machine's speed drifts between rounds more than within one.
        vs_floor = statistics.median(f / r[0] for f, r in zip(floors, framing_runs[p], strict=True))
        print(f"framing analyze, {p} process{'es' * (p > 1)}: {n / seconds:6.0f} articles/s "
              f"{tokens / seconds:10,.0f} tokens/s  peak RSS {rss:.0f} MB"
              + (f" + {workers:.0f} MB per worker" if p > 1 else "")
              + f"  ({seconds:.1f} s)")  # fmt: skip
        line = (f"    framing / floor {vs_floor:.2f}   framing / naive "
                f"{naive_per_article * n / seconds:.0f}x")  # fmt: skip
        if p > 1 and 1 in framing_runs:
            speedups = [a[0] / b[0] for a, b in zip(framing_runs[1], framing_runs[p], strict=True)]
            line += f"   {statistics.median(speedups):.2f}x one process"
        print(line + "   (medians of per-run ratios)")


def memory(args: argparse.Namespace, folder: Path) -> None:
    """Peak RSS of whole runs on corpora of growing size: it must not grow with the corpus."""
    for size in args.memory:
        corpus = folder / f"corpus{size}.jsonl"
        generate(corpus, size, args.words, args.seed, keep=False)
        for p in args.processes:
            seconds, rss, workers = run_framing(corpus, folder / f"out{size}", p)
            print(f"{size:>9,} articles, {p} process{'es' * (p > 1)}: peak RSS {rss:.0f} MB"
                  + (f" + {workers:.0f} MB per worker" if p > 1 else "")
                  + f", {size / seconds:.0f} articles/s ({seconds:.0f} s)", flush=True)  # fmt: skip
        corpus.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--naive-sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; medians are shown")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--memory", type=int, nargs="+", help="corpus sizes for the memory check, e.g. 20000 200000"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.memory:
            memory(args, Path(tmp))
        else:
            throughput(args, Path(tmp))
    print(f"this process peak RSS: {peak_rss():.0f} MB")


if __name__ == "__main__":
    main()
