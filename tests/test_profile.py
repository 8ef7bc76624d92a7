"""Profiles: pooled rates, bootstrap intervals, concept shares, and their arithmetic."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing import profile
from framing.lexicon import Concept, Lexicon
from framing.match import Matches
from framing.profile import (
    bootstrap_sums,
    concept_shares,
    outlet_rng,
    percentile_interval,
    profile_articles,
    profile_outlets,
    voice_groups,
)


def articles(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "outlet", "n_tokens"]).assign(status="ok")


def profiles(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["article_id", "outlet", "category", "count"])
    return frame.assign(voice="narrator", weight=frame["count"] * 2)


ARTICLES = articles(
    ("a1", "A", 100), ("a2", "A", 300), ("a3", "A", 600), ("b1", "B", 50), ("b2", "B", 150)
)
PROFILES = profiles(
    ("a1", "A", "legitimacy", 2),
    ("a2", "A", "legitimacy", 1),
    ("a3", "A", "naming", 6),
    ("b1", "B", "legitimacy", 1),
)


def test_profile_pooled_rate_hand_computed() -> None:
    out = profile_outlets(PROFILES, ARTICLES, n_boot=200)
    out = out[out.voice == "all"].set_index(["outlet", "category"])
    # A: 3 legitimacy hits in 1,000 tokens -> 3.0 per 1k (the mean of article rates would be 7.78)
    assert out.loc[("A", "legitimacy"), "rate_per_1k"] == pytest.approx(3.0)
    assert out.loc[("A", "naming"), "rate_per_1k"] == pytest.approx(6.0)
    # B: 1 hit in 200 tokens; B never uses "naming" but still gets a row with 0
    assert out.loc[("B", "legitimacy"), "rate_per_1k"] == pytest.approx(5.0)
    assert out.loc[("B", "naming"), "count"] == 0 and out.loc[("B", "naming"), "rate_per_1k"] == 0
    assert out.loc[("A", "legitimacy"), ["n_articles", "n_tokens", "weight"]].tolist() == [
        3,
        1000,
        6,
    ]


def test_profile_outlet_counts_equal_sum_of_article_counts() -> None:
    out = profile_outlets(PROFILES, ARTICLES, n_boot=50)
    summed = PROFILES.groupby(["outlet", "category"])["count"].sum()
    for row in out[out.voice == "all"].itertuples():
        assert row.count == summed.get((row.outlet, row.category), 0)


def random_outlet(
    n: int, seed: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    tokens = rng.integers(100, 900, n)
    counts = rng.poisson(tokens / 200)
    arts = articles(*[(f"x{i}", "X", int(t)) for i, t in enumerate(tokens)])
    prof = profiles(*[(f"x{i}", "X", "c", int(c)) for i, c in enumerate(counts) if c])
    return arts, prof, tokens, counts


def test_profile_bootstrap_is_seeded() -> None:
    arts, prof, _, _ = random_outlet(60)
    one = profile_outlets(prof, arts, seed=7, n_boot=300)
    two = profile_outlets(prof, arts, seed=7, n_boot=300)
    other = profile_outlets(prof, arts, seed=8, n_boot=300)
    pd.testing.assert_frame_equal(one, two)
    hit = one["count"] > 0  # rows with no hits have the interval [0, 0] whatever the seed
    assert (one["ci_low"] != other["ci_low"])[hit].all() or (one["ci_high"] != other["ci_high"])[
        hit
    ].all()


def test_profile_interval_independent_of_other_outlets() -> None:
    alone = profile_outlets(
        PROFILES[PROFILES.outlet == "A"], ARTICLES[ARTICLES.outlet == "A"], n_boot=300
    )
    together = profile_outlets(PROFILES, ARTICLES, n_boot=300)
    together = together[together.outlet == "A"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, together)


def test_profile_interval_brackets_estimate_and_matches_resampling() -> None:
    n = 80
    arts, prof, tokens, counts = random_outlet(n)
    rng = np.random.default_rng(99)
    out = profile_outlets(prof, arts, n_boot=4000)
    row = out[out.voice == "all"].iloc[0]
    assert row.ci_low < row.rate_per_1k < row.ci_high
    # A plain, independent bootstrap of the pooled ratio lands on the same interval.
    draws = rng.integers(0, n, (4000, n))
    ratio = 1000 * counts[draws].sum(1) / tokens[draws].sum(1)
    low, high = np.percentile(ratio, [2.5, 97.5])
    assert row.ci_low == pytest.approx(low, rel=0.05) and row.ci_high == pytest.approx(
        high, rel=0.05
    )


def test_profile_warns_on_small_samples() -> None:
    out = profile_outlets(PROFILES, ARTICLES, n_boot=10)
    assert set(out["warning"]) == {"fewer than 10 articles; fewer than 5,000 tokens"}


def test_profile_concept_shares_hand_computed() -> None:
    counts = pd.DataFrame(
        [
            ("a1", "A", "capital", "kiev", "narrator", 3),
            ("a2", "A", "capital", "kyiv", "quoted", 1),
            ("b1", "B", "capital", "kyiv", "narrator", 2),
        ],
        columns=["article_id", "outlet", "concept", "variant", "voice", "count"],
    )
    concepts = {"capital": Concept("capital", "toy", "Capital.", ("kiev", "kyiv"))}
    shares = concept_shares(counts, ARTICLES, concepts, n_boot=500)
    own = shares[shares.voice == "own"].set_index(["outlet", "variant"])
    assert own.loc[("A", "kiev"), "share"] == 1 and own.loc[("A", "kiev"), "total"] == 3
    out = shares[shares.voice == "all"].set_index(["outlet", "variant"])
    assert out.loc[("A", "kiev"), ["count", "total", "n_articles"]].tolist() == [3, 4, 2]
    assert out.loc[("A", "kiev"), "share"] == pytest.approx(0.75)
    assert out.loc[("B", "kiev"), "share"] == 0 and out.loc[("B", "kyiv"), "share"] == 1
    assert 0 <= out.loc[("A", "kiev"), "ci_low"] <= 0.75 <= out.loc[("A", "kiev"), "ci_high"] <= 1


def test_profile_voice_groups_own_quoted_all() -> None:
    prof = pd.DataFrame(
        [
            ("a1", "A", "c", "narrator", 2),
            ("a1", "A", "c", "scare", 1),
            ("a2", "A", "c", "quoted", 4),
            ("a3", "A", "c", "partial", 1),
        ],
        columns=["article_id", "outlet", "category", "voice", "count"],
    ).assign(weight=1)
    out = profile_outlets(prof, ARTICLES[ARTICLES.outlet == "A"], n_boot=50)
    assert out["voice"].tolist() == ["own", "quoted", "all"]
    assert out["count"].tolist() == [3, 5, 8]
    assert out["rate_per_1k"].tolist() == pytest.approx([3.0, 5.0, 8.0])


def toy_matches() -> Matches:
    """Hits in shuffled order over articles listed out of alphabetical order, one without
    tokens, one without hits, with reference (weight 0) entries and sub-categories."""
    articles = pd.DataFrame(
        {"article_id": ["z9", "a1", "m5", "q0"], "outlet": ["B", "A", "A", "B"],
         "n_tokens": [400, 250, 0, 80], "status": "ok"}
    )  # fmt: skip
    rows = [
        ("a1", "A", "legitimacy.regime", "narrator", 3, "regime"),
        ("a1", "A", "legitimacy.regime", "narrator", 1, "regime"),
        ("a1", "A", "legitimacy", "quoted", 1, "junta"),
        ("a1", "A", "naming", "narrator", 0, "kyiv"),  # reference variant: not loaded
        ("z9", "B", "naming.place", "scare", 2, "kiev"),
        ("z9", "B", "euphemism", "narrator", 1, "liberate"),
        ("z9", "B", "naming", "narrator", 1, "kiev"),
        ("m5", "A", "euphemism", "partial", 2, "liberate"),
    ]
    hits = pd.DataFrame(
        rows, columns=["article_id", "outlet", "category", "voice", "weight", "entry_id"]
    ).sample(frac=1, random_state=3)
    empty = Lexicon(infos=(), categories={}, stances={}, concepts={}, entries=())
    return Matches(hits=hits, articles=articles, lexicon=empty)


def grouped_reference(matches: Matches, level: int | None) -> pd.DataFrame:
    """The per-article profile as plain pandas group-bys compute it."""
    hits = matches.hits[matches.hits["weight"] > 0]
    if level is not None:
        hits = hits.assign(category=hits["category"].str.split(".").str[:level].str.join("."))
    out = (
        hits.groupby(["article_id", "outlet", "category", "voice"])
        .agg(count=("entry_id", "size"), weight=("weight", "sum"))
        .reset_index()
    )
    tokens = matches.articles.set_index("article_id")["n_tokens"]
    out["n_tokens"] = out["article_id"].map(tokens).astype("int64")
    out["rate_per_1k"] = 1000 * out["count"] / out["n_tokens"].where(out["n_tokens"] > 0)
    position = {a: i for i, a in enumerate(matches.articles["article_id"])}
    out = out.sort_values(
        ["article_id", "category", "voice"],
        key=lambda s: s.map(position) if s.name == "article_id" else s,
    )
    return out.reset_index(drop=True)


@pytest.mark.parametrize("level", [1, 2, None])
def test_profile_articles_in_article_order_with_categories_rolled_up(level: int | None) -> None:
    matches = toy_matches()
    out = profile_articles(matches, level=level)
    pd.testing.assert_frame_equal(out, grouped_reference(matches, level))
    assert out["article_id"].drop_duplicates().tolist() == ["z9", "a1", "m5"]  # table order
    a1 = out[out["article_id"] == "a1"]
    if level == 1:
        assert a1[["category", "voice", "count", "weight"]].to_numpy().tolist() == [
            ["legitimacy", "narrator", 2, 4],
            ["legitimacy", "quoted", 1, 1],
        ]
    assert np.isnan(out.loc[out["article_id"] == "m5", "rate_per_1k"]).all()  # no tokens


def test_profile_articles_names_a_hit_without_its_article() -> None:
    matches = toy_matches()
    stray = matches.hits.assign(article_id=matches.hits["article_id"].replace("m5", "gone"))
    with pytest.raises(ValueError, match="'gone'"):
        profile_articles(Matches(hits=stray, articles=matches.articles, lexicon=matches.lexicon))


def test_profile_percentile_interval_equals_nanpercentile_bit_for_bit() -> None:
    rng = np.random.default_rng(5)
    samples = rng.poisson(4, size=(300, 40)) / rng.poisson(30, size=(300, 1))
    samples[rng.random(300) < 0.2, :10] = np.nan  # resamples without the concept: NaN rows
    samples[rng.random((300, 40)) < 0.05] = np.nan
    samples[:, 12] = np.nan
    samples[:299, 13] = np.nan  # one value left
    low, high = percentile_interval(samples, 0.9)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the all-NaN column
        alpha = (1 - 0.9) / 2  # 4.999...: the same percentiles, to the last bit
        expected = np.nanpercentile(samples, [100 * alpha, 100 * (1 - alpha)], axis=0)
    assert low.tobytes() == expected[0].tobytes() and high.tobytes() == expected[1].tobytes()
    assert np.isnan(low[12]) and low[13] == high[13] == samples[299, 13]


def test_profile_concept_share_intervals_as_each_block_resampled_alone() -> None:
    counts = pd.DataFrame(
        [
            ("a1", "A", "capital", "kiev", "narrator", 2),
            ("a1", "A", "capital", "kyiv", "quoted", 1),
            ("a2", "A", "capital", "kyiv", "narrator", 3),
            ("a2", "A", "war", "sma", "narrator", 1),
            ("a3", "A", "war", "war", "scare", 2),
            ("a3", "A", "capital", "kiev", "narrator", 1),
        ],
        columns=["article_id", "outlet", "concept", "variant", "voice", "count"],
    )
    concepts = {
        "capital": Concept("capital", "toy", "Capital.", ("kiev", "kyiv")),
        "war": Concept("war", "toy", "War.", ("sma", "war")),
    }
    shares = concept_shares(counts, ARTICLES, concepts, n_boot=300, seed=4)
    ids = ARTICLES.loc[ARTICLES["outlet"] == "A", "article_id"].tolist()
    grouped = voice_groups(counts)
    assert len(shares.groupby(["concept", "voice"])) == 5  # war is never quoted
    for (concept, voice), got in shares.groupby(["concept", "voice"]):
        variants = concepts[concept].variants
        matrix = np.zeros((len(ids), len(variants)))
        for row in grouped[
            (grouped["concept"] == concept) & (grouped["voice"] == voice)
        ].itertuples():
            matrix[ids.index(row.article_id), variants.index(row.variant)] += row.count
        assert got["count"].tolist() == matrix.sum(axis=0).tolist()
        # Every block of the outlet is resampled with the outlet's one set of resamples.
        boot = bootstrap_sums(matrix, outlet_rng(4, "A"), 300)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # resamples without the concept
            shares_boot = boot / boot.sum(axis=1, keepdims=True)
            alpha = (1 - 0.95) / 2
            low, high = np.nanpercentile(shares_boot, [100 * alpha, 100 * (1 - alpha)], axis=0)
        assert got["ci_low"].to_numpy().tobytes() == low.tobytes()
        assert got["ci_high"].to_numpy().tobytes() == high.tobytes()


@pytest.mark.parametrize("block", [1, 3, 7, 50])
def test_profile_resample_blocks_are_multinomial_resamples(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    n, n_boot = 7, 20_000
    monkeypatch.setattr(profile, "_MAX_CELLS", block * n_boot)  # blocks of `block` articles
    parts = list(profile.resample_blocks(n, n_boot, np.random.default_rng(5)))
    assert [len(p) for p in parts] == [min(block, n - s) for s in range(0, n, block)]
    weights = np.concatenate(parts)  # n x n_boot
    assert (weights.sum(axis=0) == n).all()  # every resample draws n articles
    assert (weights >= 0).all() and (weights == np.round(weights)).all()
    # Multinomial(n, 1/n each): mean 1, variance 1 - 1/n, covariance -1/n (sd of these
    # estimates over 20,000 resamples: about 0.007, 0.01 and 0.007).
    assert weights.mean(axis=1) == pytest.approx(np.ones(n), abs=0.03)
    assert weights.var(axis=1) == pytest.approx(np.full(n, 1 - 1 / n), abs=0.05)
    cov = np.cov(weights)[np.triu_indices(n, 1)]
    assert cov == pytest.approx(np.full(cov.size, -1 / n), abs=0.04)


def test_profile_tables_fed_in_chunks_equal_whole_tables(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    n = 700
    outlets = rng.choice(["A", "B", "C"], n, p=[0.6, 0.3, 0.1])
    arts = pd.DataFrame({"article_id": [f"k{i}" for i in range(n)], "outlet": outlets,
                         "n_tokens": rng.integers(0, 900, n), "status": "ok"})  # fmt: skip
    arts.loc[rng.random(n) < 0.05, "status"] = "skipped"
    hit = rng.random(n) < 0.7
    ids, where = arts["article_id"][hit].to_numpy(), outlets[hit]
    prof = pd.DataFrame({"article_id": np.repeat(ids, 2), "outlet": np.repeat(where, 2),
                         "category": rng.choice(["c", "d", "e"], 2 * hit.sum()),
                         "voice": rng.choice(["narrator", "quoted", "scare", "partial", "none"],
                                             2 * hit.sum()),
                         "count": rng.integers(1, 4, 2 * hit.sum())})  # fmt: skip
    prof["weight"] = prof["count"] * 0.5
    prof.loc[0, "outlet"] = "C" if prof.loc[0, "outlet"] != "C" else "A"  # names another outlet
    concepts = {
        "capital": Concept("capital", "toy", "Capital.", ("kiev", "kyiv")),
        "war": Concept("war", "toy", "War.", ("sma", "war", "invasion")),
    }
    concept = rng.choice(["capital", "war"], len(prof))
    counts = prof[["article_id", "outlet", "voice", "count"]].assign(
        concept=concept,
        variant=[rng.choice(concepts[c].variants) for c in concept],
    )
    whole = (
        profile_outlets(prof, arts, seed=3, n_boot=400),
        concept_shares(counts, arts, concepts, seed=3, n_boot=400),
    )
    ok = arts[arts["status"] == "ok"]
    for spill in (None, tmp_path / "spill"):
        chunked = profile.OutletProfiles(concepts, seed=3, n_boot=400, spill=spill)
        for rows in np.array_split(np.arange(len(ok)), [40, 41, 300, 650]):
            chunk = ok.iloc[rows]
            mine = prof["article_id"].isin(chunk["article_id"])
            chunked.add(chunk, prof[mine], counts[counts["article_id"].isin(chunk["article_id"])])
        got = chunked.tables()
        # Each table as computed alone: both take the outlet's one set of resamples.
        pd.testing.assert_frame_equal(got[0], whole[0])
        pd.testing.assert_frame_equal(got[1], whole[1])
    assert len(list((tmp_path / "spill").iterdir())) == 3  # a file per outlet
    assert not whole[0].empty and set(whole[1]["outlet"]) == {"A", "B", "C"}
