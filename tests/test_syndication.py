"""Syndicated copy: planted edited copies are found, distinct articles are not; policies."""

from __future__ import annotations

import json
import pickle
import re
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from framing.corpus import iter_corpus, read_corpus, sample_corpus_path
from framing.errors import FramingError
from framing.syndication import (
    MAX_PER_BAND_KEY,
    SYNDICATION_POLICIES,
    MinHashSigner,
    SyndicationIndex,
    check_syndication_policy,
    describe_policy,
    flag_syndicated,
    lsh_bands,
    shingles,
    syndication_mask,
    text_words,
)

PLANTS = Path(__file__).resolve().parent / "data" / "syndication_plants.yaml"


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' 5-word shingle sets."""
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb)


def curly(text: str) -> str:
    text = re.sub(r'"([^"]*)"', "“\\1”", text)
    return text.replace('"', "“").replace("'", "’")


def straight(text: str) -> str:
    return text.translate({ord("“"): '"', ord("”"): '"', ord("‘"): "'", ord("’"): "'"})


def reflow(text: str) -> str:
    one_paragraph = re.sub(r"\s*\n\s*", " ", text).replace(". ", ".  ")
    return textwrap.fill(one_paragraph, width=67)


def apply_edits(plant: dict[str, Any], source: dict[str, str]) -> dict[str, str]:
    """The copy that `plant` describes, made from `source`; every edit must change something."""
    text, title = source["text"], source["title"]
    for edit in plant["edits"]:
        ((op, arg),) = edit.items()
        before = text
        if op == "title":
            title = arg
            continue
        if op == "prepend":
            text = f"{arg}\n\n{text}"
        elif op == "append":
            text = f"{text}\n\n{arg}"
        elif op == "drop":
            assert arg in text, f"{plant['id']}: drop: {arg!r} not in {plant['source']}"
            text = text.replace(arg, "", 1)
        elif op == "replace":
            for old, new in arg.items():
                assert old in text, f"{plant['id']}: replace: {old!r} not in {plant['source']}"
                text = text.replace(old, new)
        elif op == "curly_quotes":
            text = curly(text)
        elif op == "straight_quotes":
            text = straight(text)
        elif op == "reflow":
            text = reflow(text)
        else:
            raise AssertionError(f"{plant['id']}: unknown edit {op!r}")
        assert text != before, f"{plant['id']}: edit {op} changed nothing"
    return {"article_id": plant["id"], "outlet": plant["outlet"], "title": title, "text": text}


@pytest.fixture(scope="module")
def sample() -> list[dict[str, str]]:
    frame = read_corpus(sample_corpus_path())
    return frame[["article_id", "outlet", "title", "text"]].to_dict("records")  # type: ignore[return-value]


@pytest.fixture(scope="module")
def text_of(sample: list[dict[str, str]]) -> dict[str, str]:
    return {a["article_id"]: a["text"] for a in sample}


@pytest.fixture(scope="module")
def planted(sample: list[dict[str, str]]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """The sample corpus followed by the planted copies, and the expected duplicate_of per id."""
    spec = yaml.safe_load(PLANTS.read_text(encoding="utf-8"))["plants"]
    articles = {a["article_id"]: a for a in sample}
    root = {a["article_id"]: a["article_id"] for a in sample}
    corpus = list(sample)
    for plant in spec:
        copy = apply_edits(plant, articles[plant["source"]])
        articles[plant["id"]] = copy
        root[plant["id"]] = root[plant["source"]]
        corpus.append(copy)
    expected = {aid: ("" if r == aid else r) for aid, r in root.items()}
    return corpus, expected


def run(index: SyndicationIndex, corpus: list[dict[str, str]], chunk: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(corpus), chunk):
        part = corpus[start : start + chunk]
        ids = [a["article_id"] for a in part]
        found.update(zip(ids, index.add_many(ids, [a["text"] for a in part]), strict=True))
    return found


def test_plants_are_light_edits_of_their_source(
    planted: tuple[list[dict[str, str]], dict[str, str]],
) -> None:
    corpus, _ = planted
    texts = {a["article_id"]: a["text"] for a in corpus}
    spec = yaml.safe_load(PLANTS.read_text(encoding="utf-8"))["plants"]
    assert len(spec) >= 10
    assert len({p["source"] for p in spec}) >= 7
    for plant in spec:
        similarity = jaccard(texts[plant["id"]], texts[plant["source"]])
        assert 0.84 <= similarity < 1, (plant["id"], similarity)


@pytest.mark.parametrize("chunk", [16, 200])
def test_every_planted_copy_is_found_and_no_distinct_pair(
    planted: tuple[list[dict[str, str]], dict[str, str]], chunk: int
) -> None:
    corpus, expected = planted
    with SyndicationIndex() as index:
        found = run(index, corpus, chunk)
    assert found == expected
    assert sum(v == "" for v in found.values()) == 84  # the sample articles, all distinct
    assert index.n_flagged == len(corpus) - 84


def test_add_one_by_one_equals_add_many(
    planted: tuple[list[dict[str, str]], dict[str, str]],
) -> None:
    corpus, expected = planted
    with SyndicationIndex() as index:
        one_by_one = {a["article_id"]: index.add(a["article_id"], a["text"]) for a in corpus}
    assert one_by_one == expected


def test_same_event_by_other_outlets_is_never_a_copy_even_at_a_low_threshold(
    sample: list[dict[str, str]],
) -> None:
    # The 21 events are each told by four outlets, some quoting the same speakers' words.
    with SyndicationIndex(threshold=0.3) as index:
        found = run(index, sample, 32)
    assert set(found.values()) == {""}


def test_two_halves_of_two_stories_copy_neither(text_of: dict[str, str]) -> None:
    a, b = text_of["ed-03"], text_of["fkh-03"]  # the same event
    words_a, words_b = a.split(), b.split()
    spliced = " ".join(words_a[: len(words_a) // 2] + words_b[len(words_b) // 2 :])
    assert jaccard(spliced, a) < 0.5
    with SyndicationIndex() as index:
        assert index.add_many(["a", "b", "spliced"], [a, b, spliced]) == ["", "", ""]


def test_the_first_seen_is_the_root(planted: tuple[list[dict[str, str]], dict[str, str]]) -> None:
    corpus, _ = planted
    texts = {a["article_id"]: a["text"] for a in corpus}
    with SyndicationIndex() as index:
        order = ["gazette-prisoners", "mw-03", "clarion-prisoners"]
        assert index.add_many(order, [texts[i] for i in order]) == [
            "",
            "gazette-prisoners",
            "gazette-prisoners",
        ]


def test_a_copy_of_a_copy_points_at_the_original(text_of: dict[str, str]) -> None:
    original = text_of["mw-01"]
    words = original.split()
    first_half, second_half = range(10, len(words) // 2, 25), range(len(words) // 2, len(words), 25)
    edited = [f"changed{k}" if k in first_half else w for k, w in enumerate(words)]
    copy = " ".join(edited)
    copy_of_copy = " ".join(f"altered{k}" if k in second_half else w for k, w in enumerate(edited))
    with SyndicationIndex(threshold=0.75) as index:
        # The point: the copy of the copy is too far from the original to match it directly.
        assert index.similarity(original, copy) >= 0.75
        assert index.similarity(copy, copy_of_copy) >= 0.75
        assert index.similarity(original, copy_of_copy) < 0.75
        found = index.add_many(["original", "copy", "copy-of-copy"], [original, copy, copy_of_copy])
    assert found == ["", "original", "original"]


def test_the_threshold_decides(text_of: dict[str, str]) -> None:
    original = text_of["mw-09"]
    words = original.split()
    # A light edit (3 words) and a heavy one (a word in 15 replaced).
    light = " ".join("edited" if k in (40, 120, 200) else w for k, w in enumerate(words))
    heavy = " ".join(f"rewritten{k}" if k % 15 == 7 else w for k, w in enumerate(words))
    assert jaccard(light, original) > 0.85
    assert 0.45 < jaccard(heavy, original) < 0.7
    found = {}
    for threshold in (0.3, 0.8):
        with SyndicationIndex(threshold=threshold) as index:
            found[threshold] = index.add_many(["o", "light", "heavy"], [original, light, heavy])
    assert found[0.3] == ["", "o", "o"]
    assert found[0.8] == ["", "o", ""]
    with SyndicationIndex(threshold=1.0) as index:  # only copies with the same shingle set
        assert index.add_many(["o", "light", "same"], [original, light, reflow(original)]) == [
            "",
            "",
            "o",
        ]


def test_case_quotes_punctuation_and_whitespace_make_no_difference(
    text_of: dict[str, str],
) -> None:
    text = text_of["mw-03"]  # straight quotes
    # Case of whole words (not of contractions, which the tokenizer splits by case: "doesn't"
    # is "does" + "n't", "DOESN'T" one token), quotes, commas and line breaks.
    variant = reflow(curly(text)).replace(",", " ;")
    variant = re.sub(r"\b(prisoners|Russia|the)\b", lambda m: m.group().upper(), variant)
    assert variant.count("PRISONERS") and variant.count("THE")
    assert text_words(variant) == text_words(text)
    with SyndicationIndex(threshold=1.0) as index:
        assert index.similarity(text, variant) == 1.0
        assert index.add_many(["a", "b"], [text, variant]) == ["", "a"]


def test_short_texts_are_never_flagged() -> None:
    short = " ".join(f"word{k}" for k in range(49))
    long = " ".join(f"word{k}" for k in range(50))
    with SyndicationIndex() as index:
        texts = ["", "   ", "Breaking.", "Breaking.", short, short, long, long, f"{long}!"]
        found = index.add_many([f"t{k}" for k in range(len(texts))], texts)
        assert found == ["", "", "", "", "", "", "", "t6", "t6"]
        assert index.n_short == 6
        assert index.add("later", short) == ""
        assert index.n_added == 10
    with SyndicationIndex(min_words=5) as index:
        assert index.add_many(
            ["a", "b"], ["one two three four five", "One, two, three, four, five!"]
        ) == ["", "a"]


def test_many_exact_copies_all_point_at_the_first(text_of: dict[str, str]) -> None:
    text = text_of["ed-01"]
    with SyndicationIndex() as index:
        found = run(index, [{"article_id": f"c{k}", "text": text} for k in range(500)], 100)
    assert found == {"c0": ""} | {f"c{k}": "c0" for k in range(1, 500)}


def test_same_seed_same_result_and_settings(
    planted: tuple[list[dict[str, str]], dict[str, str]],
) -> None:
    corpus, _ = planted
    with SyndicationIndex(threshold=0.6, seed=7) as a, SyndicationIndex(threshold=0.6, seed=7) as b:
        assert run(a, corpus, 10) == run(b, corpus, 50)
        assert a.settings["threshold"] == 0.6
        assert a.settings["bands"] * a.settings["rows_per_band"] <= a.settings["num_perm"]
        assert a.similarity(corpus[0]["text"], corpus[1]["text"]) < 0.2


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 64), (0.8, 64), (0.9, 128), (1.0, 32)])
def test_lsh_bands_make_a_pair_at_the_threshold_a_candidate(
    threshold: float, num_perm: int
) -> None:
    bands, rows = lsh_bands(threshold, num_perm)
    assert bands * rows <= num_perm
    assert 1 - (1 - threshold**rows) ** bands >= 0.99
    if bands > 1:  # and no fewer bands would do
        fewer = num_perm // (bands - 1)
        assert 1 - (1 - threshold**fewer) ** (bands - 1) < 0.99


def datasketch_signature(hashes: np.ndarray, num_perm: int, seed: int, shingle: int) -> Any:
    """The documented signature, computed the slow way: datasketch's own ``update_batch`` on the
    shingle hashes (words folded with the golden-ratio multiply-add, then high ^ low 32 bits)."""
    from datasketch import MinHash

    n = len(hashes) - shingle + 1
    folded = np.zeros(n, dtype=np.uint64)
    for k in range(shingle):
        folded = folded * np.uint64(0x9E3779B97F4A7C15) + hashes[k : k + n]
    minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=int, scheme="affine32")
    minhash.update_batch(((folded >> np.uint64(32)) ^ (folded & np.uint64(0xFFFFFFFF))).tolist())
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


@pytest.mark.parametrize(
    ("num_perm", "seed", "shingle", "min_words"),
    [(128, 1, 5, 50), (64, 7, 3, 10), (300, 2, 1, 1), (3, 0, 8, 8)],
)
def test_signer_equals_datasketch_bit_for_bit(
    num_perm: int, seed: int, shingle: int, min_words: int
) -> None:
    signer = MinHashSigner(num_perm, seed, shingle, min_words)
    from datasketch import MinHash

    # Its permutations are drawn as datasketch draws them (without importing datasketch).
    reference = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert np.array_equal(np.array(signer._permutations), reference)
    rng = np.random.default_rng(seed)
    # Around the signer's block sizes (64 shingles and multiples), short and long texts.
    lengths = [min_words, min_words + 1, 63 + shingle, 64 + shingle, 600, 1023 + shingle]
    lengths += [1024 + shingle, 1100, 3000]
    for length in lengths:
        hashes = rng.integers(0, 2**64, length, dtype=np.uint64, endpoint=False)
        repeated = np.resize(hashes[: max(length // 3, 1)], length)  # repeated paragraphs
        for words in (hashes, repeated):
            signature = signer(words)
            assert signature is not None
            assert signature.dtype == np.uint32
            expected = datasketch_signature(words, num_perm, seed, shingle)
            assert np.array_equal(signature, expected), (length, num_perm)
    assert signer(np.zeros(min_words - 1, dtype=np.uint64)) is None
    # Pickled (to worker processes) without its cached tables, and still the same.
    clone = pickle.loads(pickle.dumps(signer))
    assert "_tiles" not in vars(clone)
    assert np.array_equal(clone(hashes), datasketch_signature(hashes, num_perm, seed, shingle))


def synthetic_signatures(
    rng: np.random.Generator, n: int, num_perm: int
) -> list[np.ndarray | None]:
    """Random signatures with near-copies (some values redrawn), copies of copies, a story
    copied more often than a band key keeps, and articles too short to sign (None)."""
    signatures: list[np.ndarray | None] = []
    for k in range(n):
        earlier = [s for s in signatures if s is not None]
        draw = rng.random()
        if k % 9 == 4:
            signatures.append(None)
        elif earlier and draw < 0.15:
            signatures.append(earlier[0].copy())  # the popular story
        elif earlier and draw < 0.5:
            copy = earlier[rng.integers(len(earlier))].copy()
            redrawn = rng.random(num_perm) < rng.choice([0.02, 0.1, 0.2, 0.3, 0.6])
            copy[redrawn] = rng.integers(0, 2**32, redrawn.sum(), dtype=np.uint32)
            signatures.append(copy)
        else:
            signatures.append(rng.integers(0, 2**32, num_perm, dtype=np.uint32))
    return signatures


def reference_duplicates(
    signatures: list[np.ndarray | None], threshold: float, bands: int, rows: int
) -> list[str]:
    """The index's rules, one article at a time with Python sets: candidates share a band's
    values with an earlier article among the first MAX_PER_BAND_KEY holding them."""
    holders: defaultdict[tuple[int, bytes], list[int]] = defaultdict(list)
    roots: list[int] = []
    for doc, signature in enumerate(signatures):
        roots.append(doc)
        if signature is None:
            continue
        candidates: set[int] = set()
        for band in range(bands):
            key = (band, signature[band * rows : (band + 1) * rows].tobytes())
            candidates.update(holders[key])
            if len(holders[key]) < MAX_PER_BAND_KEY:
                holders[key].append(doc)
        for candidate in sorted(candidates):
            other = signatures[candidate]
            assert other is not None
            if np.count_nonzero(signature == other) / len(signature) >= threshold:
                roots[doc] = min(roots[doc], roots[candidate])
    return ["" if root == doc else f"a{root}" for doc, root in enumerate(roots)]


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.8, 128), (0.5, 64)])
def test_index_follows_its_rules_whatever_the_chunks(threshold: float, num_perm: int) -> None:
    signatures = synthetic_signatures(np.random.default_rng(11), 400, num_perm)
    ids = [f"a{k}" for k in range(len(signatures))]
    bands, rows = lsh_bands(threshold, num_perm)
    expected = reference_duplicates(signatures, threshold, bands, rows)
    assert 100 < sum(1 for e in expected if e) < 300  # copies found, and articles not copies
    assert expected.count("a0") > MAX_PER_BAND_KEY  # the popular story's keys fill up
    for chunk in (1, 7, 64, len(ids)):
        with SyndicationIndex(threshold=threshold, num_perm=num_perm) as index:
            found: list[str] = []
            for start in range(0, len(ids), chunk):
                part = slice(start, start + chunk)
                found += index.add_signatures(ids[part], signatures[part])
            assert found == expected, chunk
            assert index.n_flagged == sum(1 for e in expected if e)
            assert index.n_short == sum(1 for s in signatures if s is None)


@pytest.mark.parametrize("chunk", [1, 100])
def test_a_band_key_keeps_its_first_articles_only(chunk: int) -> None:
    bands, rows = lsh_bands(0.8, 128)
    rng = np.random.default_rng(3)
    # MAX_PER_BAND_KEY + 1 distinct stories that share the values of band 0 (boilerplate).
    stories = [rng.integers(0, 2**32, 128, dtype=np.uint32) for _ in range(MAX_PER_BAND_KEY + 1)]
    for story in stories:
        story[:rows] = stories[0][:rows]
    # Near-copies that share band 0 and no other band with their source: one value changed in
    # every other band, similarity 1 - (bands - 1) / 128 >= 0.8.
    near_copies = [stories[-2].copy(), stories[-1].copy()]
    for copy in near_copies:
        copy[rows : bands * rows : rows] ^= np.uint32(1)
    ids = [f"s{k}" for k in range(len(stories))] + ["copy-of-kept", "copy-of-unkept"]
    signatures: list[np.ndarray | None] = [*stories, *near_copies]
    with SyndicationIndex(threshold=0.8) as index:
        assert index.signer.num_perm == 128
        found: list[str] = []
        for start in range(0, len(ids), chunk):
            found += index.add_signatures(
                ids[start : start + chunk], signatures[start : start + chunk]
            )
    # The last story came after band 0's key was full: its copy is not a candidate.
    assert found == [""] * len(stories) + [f"s{MAX_PER_BAND_KEY - 1}", ""]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"num_perm": 1}, "num_perm"),
        ({"shingle": 0}, "shingle"),
        ({"min_words": 3}, "min_words"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(FramingError, match=message):
        SyndicationIndex(**kwargs)


def test_bad_input_is_refused() -> None:
    index = SyndicationIndex()
    with pytest.raises(FramingError, match="2 article ids but 1 texts"):
        index.add_many(["a", "b"], ["text"])
    with pytest.raises(FramingError, match="article 'x': text is float"):
        index.add_many(["x"], [float("nan")])  # type: ignore[list-item]
    index.close()
    with pytest.raises(FramingError, match="closed"):
        index.add("a", "text")


def test_flag_syndicated_adds_duplicate_of_to_corpus_chunks(
    tmp_path: Path, planted: tuple[list[dict[str, str]], dict[str, str]]
) -> None:
    corpus, expected = planted
    path = tmp_path / "corpus.jsonl"
    records: list[dict[str, Any]] = [
        {"id": a["article_id"], "outlet": a["outlet"], "text": a["text"]} for a in corpus
    ]
    records.insert(3, {"id": "empty", "outlet": "X", "text": ""})  # skipped by the reader
    records.append({"id": "mw-99", "outlet": "X", "text": ["not", "text"]})  # skipped
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with SyndicationIndex() as index:
        chunks = list(flag_syndicated(iter_corpus([path], chunk_size=25), index))
    table = pd.concat(chunks, ignore_index=True)
    assert len(chunks) == 4
    assert len(table) == len(records)
    skipped = table["status"] != "ok"
    assert skipped.sum() == 2
    assert (table.loc[skipped, "duplicate_of"] == "").all()
    ok = table[~skipped]
    assert dict(zip(ok["article_id"], ok["duplicate_of"], strict=True)) == expected


@pytest.fixture
def flagged() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d", "e", "f", "g"],
            "outlet": ["W", "T", "U", "W", "W", "T", "T"],
            "status": ["ok", "ok", "ok", "ok", "ok", "ok", "skipped"],
            "duplicate_of": ["", "a", "a", "", "", "e", None],
        },
        index=[10, 11, 12, 13, 14, 15, 16],
    )


@pytest.mark.parametrize(
    ("policy", "counted"),
    [
        ("keep", ["a", "b", "c", "d", "e", "f", "g"]),
        ("first", ["a", "d", "e", "g"]),
        ("drop", ["d", "g"]),
    ],
)
def test_syndication_mask(flagged: pd.DataFrame, policy: str, counted: list[str]) -> None:
    mask = syndication_mask(flagged, policy)
    assert mask.dtype == bool
    assert mask.index.equals(flagged.index)
    assert flagged.loc[mask, "article_id"].tolist() == counted


def test_syndication_mask_errors(flagged: pd.DataFrame) -> None:
    assert [check_syndication_policy(p) for p in SYNDICATION_POLICIES] == ["keep", "first", "drop"]
    with pytest.raises(FramingError, match=r"--syndicated: expected one of keep, first, drop"):
        check_syndication_policy("Keep")
    with pytest.raises(FramingError, match=r"--syndicated: expected one of keep, first, drop"):
        syndication_mask(flagged, "all")
    unflagged = flagged.drop(columns="duplicate_of")
    assert syndication_mask(unflagged, "keep").all()  # results without the column still work
    for policy in ("first", "drop"):
        with pytest.raises(FramingError, match="no 'duplicate_of' column"):
            syndication_mask(unflagged, policy)


def test_describe_policy_states_what_was_done() -> None:
    keep = describe_policy("keep", 0, 12345)
    first = describe_policy("first", 1203, 12345)
    drop = describe_policy("drop", 2001, 12345)
    assert "--syndicated keep" in keep and "12,345" in keep
    assert "--syndicated first" in first and "1,203 of 12,345" in first
    assert "--syndicated drop" in drop and "2,001 of 12,345" in drop
    assert len({keep, first, drop}) == 3
    assert all("\n" not in line for line in (keep, first, drop))
    with pytest.raises(FramingError, match="--syndicated"):
        describe_policy("none", 0, 1)


@pytest.fixture(scope="module")
def planted_file(
    planted: tuple[list[dict[str, str]], dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    corpus, _ = planted
    path = tmp_path_factory.mktemp("planted") / "planted.jsonl"
    rows = [{"id": a["article_id"], "outlet": a["outlet"], "text": a["text"]} for a in corpus]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_analyze_flags_copies_and_applies_the_policy(
    planted: tuple[list[dict[str, str]], dict[str, str]],
    planted_file: Path,
    tmp_path: Path,
    processes: int,
) -> None:
    """End to end: copies are signed where they are matched (here or in workers), flagged in
    articles.csv, and each policy counts the articles it says it counts."""
    from framing.analyze import analyze

    _, expected = planted
    n_articles: dict[str, int] = {}
    for policy in ("keep", "first", "drop", "off"):
        out = tmp_path / policy
        analyze([planted_file], out, syndicated=policy, n_boot=20, chunk_size=25,
                processes=processes if policy == "keep" else 1, progress=False)  # fmt: skip
        articles = pd.read_csv(out / "articles.csv", keep_default_na=False, dtype=str)
        found = dict(zip(articles["article_id"], articles["duplicate_of"], strict=True))
        assert found == (dict.fromkeys(expected, "") if policy == "off" else expected)
        profiles = pd.read_csv(out / "outlet_profiles.csv", keep_default_na=False)
        n_articles[policy] = int(profiles.groupby("outlet")["n_articles"].first().sum())
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert run["syndication"]["policy"] == policy
        assert f"--syndicated {policy}" in run["syndication"]["note"]
    copies = sum(1 for r in expected.values() if r)
    originals = len({r for r in expected.values() if r})
    assert n_articles["keep"] == n_articles["off"] == len(expected)
    assert n_articles["first"] == len(expected) - copies
    assert n_articles["drop"] == len(expected) - copies - originals
