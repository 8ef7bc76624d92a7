"""Throughput of `framing analyze` against the spaCy tokenizer floor and a naive regex loop.

Run: python benchmarks/throughput.py [--articles 2000] [--words 600]

A seeded generator writes synthetic news-like articles: words drawn with Zipf frequencies from a
vocabulary of the bundled sample corpus plus invented words (so the vocabulary keeps growing like
real text), sentences and paragraphs, quotes now and then, and lexicon terms planted at about one
per hundred words. Then, on the same texts:

- framing: `framing analyze` end to end with every bundled lexicon (reading, matching, voice,
  profiles with 2,000 bootstrap resamples, writing), in a child process so peak RSS is its own;
- floor: spaCy's blank English tokenizer alone (`nlp.tokenizer.pipe`), nothing else;
- naive: one case-insensitive regex per phrase pattern, looped over a sample of articles.

It prints articles/s, tokens/s, peak RSS and the ratios framing/floor and framing/naive.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import framing

OUTLETS = ["Northern Courier", "Harbour Times", "Valley Wire", "Capital Ledger"]


def vocabulary(rng: np.random.Generator, n_invented: int) -> list[str]:
    words = framing.read_corpus(framing.sample_corpus_path())["text"].str.findall(r"[A-Za-z']+")
    known = sorted({w for ws in words for w in ws})
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    invented = ["".join(rng.choice(letters, size=rng.integers(4, 11))) for _ in range(n_invented)]
    return known + invented


def terms() -> list[str]:
    return sorted({p for e in framing.read_lexicons() for p in e.patterns if isinstance(p, str)})


def generate(path: Path, n_articles: int, n_words: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng, 20_000)
    weights = 1 / np.arange(1, len(vocab) + 1) ** 1.05  # Zipf: a few words very common
    weights /= weights.sum()
    order = rng.permutation(len(vocab))
    lexicon_terms = terms()
    texts = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_articles):
            words = [vocab[order[k]] for k in rng.choice(len(vocab), size=n_words, p=weights)]
            for k in rng.choice(n_words, size=max(1, n_words // 100), replace=False):
                words[k] = lexicon_terms[rng.integers(len(lexicon_terms))]
            sentences, start = [], 0
            while start < n_words:
                length = int(rng.integers(8, 28))
                sentence = " ".join(words[start : start + length])
                sentence = sentence[:1].upper() + sentence[1:] + "."
                if rng.random() < 0.12:
                    sentence = (
                        f"“{sentence[:-1]},” said {vocab[order[rng.integers(50, 500)]].title()}."
                    )
                sentences.append(sentence)
                start += length
            paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
            text = "\n\n".join(paragraphs)
            texts.append(text)
            record = {"id": f"a{i}", "outlet": OUTLETS[i % len(OUTLETS)], "text": text}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return texts


def run_framing(path: Path, out: Path, processes: int) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `framing analyze` in a child process (workers not counted)."""
    code = (
        "import resource, sys, time, framing\n"
        "t = time.perf_counter()\n"
        f"framing.analyze([{str(path)!r}], {str(out)!r}, progress=False, processes={processes})\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(time.perf_counter() - t, rss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    seconds, rss = map(float, result.stdout.split())
    return seconds, rss


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--naive-sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    corpus = folder / "corpus.jsonl"
    texts = generate(corpus, args.articles, args.words, args.seed)
    seconds, rss = run_framing(corpus, folder / "out", args.processes)
    floor_seconds, tokens = run_floor(texts)
    naive_per_article = run_naive(texts, args.naive_sample)
    n = len(texts)
    print(f"corpus: {n:,} synthetic articles, {args.words} words each, {tokens:,} spaCy tokens")
    print(f"framing analyze ({args.processes} process{'es' if args.processes > 1 else ''}):")
    print(f"                 {n / seconds:8.0f} articles/s {tokens / seconds:10,.0f} tokens/s "
          f"peak RSS {rss:.0f} MB (whole run, {seconds:.1f} s)")  # fmt: skip
    floor_rate = tokens / floor_seconds
    print(f"tokenizer floor: {n / floor_seconds:8.0f} articles/s {floor_rate:10,.0f} tokens/s")
    print(f"naive regex:     {1 / naive_per_article:8.1f} articles/s "
          f"(one regex per phrase pattern, {args.naive_sample} articles)")  # fmt: skip
    print(f"framing / floor: {floor_seconds / seconds:.2f}   framing / naive: "
          f"{naive_per_article * n / seconds:.0f}x")  # fmt: skip
    print(
        f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
