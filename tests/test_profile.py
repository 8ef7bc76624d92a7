"""Profiles: pooled rates, bootstrap intervals, concept shares, and their arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing.lexicon import Concept
from framing.profile import concept_shares, profile_outlets


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
