"""Outlet comparisons: arithmetic, the log-odds formula, and the statistics' calibration."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from framing.compare import (
    REST,
    benjamini_hochberg,
    compare_all,
    compare_outlets,
    log_odds_dirichlet,
)
from framing.profile import profile_outlets


def corpus(
    rates: dict[str, float], n_articles: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic outlets: tokens ~ U(150, 900), hits ~ Poisson(rate per 1,000 tokens)."""
    articles, profiles = [], []
    for outlet, rate in rates.items():
        tokens = rng.integers(150, 900, n_articles)
        counts = rng.poisson(rate * tokens / 1000)
        for i, (t, c) in enumerate(zip(tokens, counts, strict=True)):
            articles.append((f"{outlet}{i}", outlet, int(t), "ok"))
            if c:
                profiles.append((f"{outlet}{i}", outlet, "loaded", "narrator", int(c), int(c)))
    return (
        pd.DataFrame(articles, columns=["article_id", "outlet", "n_tokens", "status"]),
        pd.DataFrame(
            profiles, columns=["article_id", "outlet", "category", "voice", "count", "weight"]
        ),
    )


def test_compare_benjamini_hochberg_hand_computed() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20, np.nan])
    # sorted 0.01, 0.03, 0.04, 0.20 (m = 4) times m/i: 0.04, 0.06, 0.0533, 0.20;
    # monotone from the top: 0.04, 0.0533, 0.0533, 0.20
    expected = [0.04, 0.16 / 3, 0.16 / 3, 0.20]
    assert benjamini_hochberg(p)[:4] == pytest.approx(expected)
    assert math.isnan(benjamini_hochberg(p)[4])


def test_compare_log_odds_hand_computed() -> None:
    # Monroe, Colaresi & Quinn (2008) eqs. 16-22 by hand for two terms; prior = pooled counts,
    # alpha0 = 10: alpha = 10 * (40/60, 20/60) = (6.667, 3.333); n_a = 30, n_b = 30.
    a = pd.Series({"regime": 30, "government": 0})
    b = pd.Series({"regime": 10, "government": 20})
    table = log_odds_dirichlet(a, b, alpha0=10)
    alpha_r, alpha_g = 10 * 40 / 60, 10 * 20 / 60
    delta_r = math.log((30 + alpha_r) / (30 + 10 - 30 - alpha_r)) - math.log(
        (10 + alpha_r) / (30 + 10 - 10 - alpha_r)
    )
    var_r = 1 / (30 + alpha_r) + 1 / (10 + alpha_r)
    assert table.loc["regime", "log_odds"] == pytest.approx(delta_r)
    assert table.loc["regime", "z"] == pytest.approx(delta_r / math.sqrt(var_r))
    delta_g = math.log(alpha_g / (40 - alpha_g)) - math.log((20 + alpha_g) / (40 - 20 - alpha_g))
    assert table.loc["government", "log_odds"] == pytest.approx(delta_g)
    assert table.index.tolist() == ["regime", "government"]  # sorted by z, most "a" first


def test_compare_outlets_arithmetic() -> None:
    articles = pd.DataFrame(
        [
            ("a1", "A", 1000, "ok"),
            ("a2", "A", 1000, "ok"),
            ("b1", "B", 2000, "ok"),
            ("c1", "C", 500, "ok"),
        ],
        columns=["article_id", "outlet", "n_tokens", "status"],
    )
    profiles = pd.DataFrame(
        [("a1", "A", "x", "narrator", 4, 4), ("a2", "A", "x", "quoted", 9, 9),
         ("b1", "B", "x", "scare", 2, 2), ("c1", "C", "x", "narrator", 3, 3)],
        columns=["article_id", "outlet", "category", "voice", "count", "weight"],
    )  # fmt: skip
    row = compare_outlets(profiles, articles, "A", "B", n_boot=50, n_perm=50).iloc[0]
    # own voice: A 4 / 2000 tokens = 2.0; B (scare counts as own) 2 / 2000 = 1.0
    assert (row.rate_a, row.rate_b, row["diff"], row.ratio) == pytest.approx((2.0, 1.0, 1.0, 2.0))
    rest = compare_outlets(profiles, articles, "A", n_boot=50, n_perm=50).iloc[0]
    assert rest.b == REST and rest.rate_b == pytest.approx(1000 * 5 / 2500)
    assert "fewer than 10 articles" in rest.warning
    with pytest.raises(ValueError, match="no outlet 'D'; the outlets are A, B, C"):
        compare_outlets(profiles, articles, "D")


def test_compare_all_pairs_and_rest() -> None:
    articles, profiles = corpus({"A": 4, "B": 2, "C": 2}, 20, np.random.default_rng(0))
    pairs = compare_all(profiles, articles, against="pairs", n_boot=50, n_perm=50)
    assert sorted(zip(pairs.a, pairs.b, strict=True)) == [
        (a, b) for a in "ABC" for b in "ABC" if a != b
    ]
    rest = compare_all(profiles, articles, n_boot=50, n_perm=50)
    assert rest["a"].tolist() == ["A", "B", "C"] and set(rest["b"]) == {REST}


@pytest.mark.slow
@pytest.mark.parametrize("n_articles", [40, 80, 150])
def test_compare_interval_coverage_simulation(n_articles: int) -> None:
    """Nominal 95% intervals cover the true rate and rate ratio in 92-98% of replicates."""
    rng = np.random.default_rng(n_articles)
    true = {"A": 6.0, "B": 3.0}
    replicates, covered_rate, covered_ratio = 300, 0, 0
    for r in range(replicates):
        articles, profiles = corpus(true, n_articles, rng)
        outlets = profile_outlets(profiles, articles, seed=r, n_boot=1000)
        row = outlets[(outlets.outlet == "A") & (outlets.voice == "all")].iloc[0]
        covered_rate += row.ci_low <= true["A"] <= row.ci_high
        comparison = compare_outlets(profiles, articles, "A", "B", seed=r, n_boot=1000, n_perm=1)
        ratio = comparison.iloc[0]
        covered_ratio += ratio.ratio_low <= true["A"] / true["B"] <= ratio.ratio_high
    rate_cov, ratio_cov = covered_rate / replicates, covered_ratio / replicates
    print(f"\n{n_articles} articles per outlet, {replicates} replicates: coverage of outlet rate "
          f"{rate_cov:.3f}, of rate ratio {ratio_cov:.3f}")  # fmt: skip
    assert 0.92 <= rate_cov <= 0.98
    assert 0.92 <= ratio_cov <= 0.98


@pytest.mark.slow
def test_compare_permutation_pvalues_uniform_under_null() -> None:
    rng = np.random.default_rng(7)
    p_values = []
    for r in range(300):
        articles, profiles = corpus({"A": 3.0, "B": 3.0}, 40, rng)
        p_values.append(
            compare_outlets(profiles, articles, "A", "B", seed=r, n_boot=1, n_perm=400)
            .iloc[0]
            .p_value
        )
    ks = stats.kstest(p_values, "uniform")
    print(
        f"\nKS test of 300 null p-values against U(0,1): "
        f"statistic {ks.statistic:.3f}, p {ks.pvalue:.3f}"
    )
    assert ks.pvalue > 0.01


def test_compare_shares_hand_computed() -> None:
    from framing.compare import compare_shares
    from framing.lexicon import Concept

    articles = pd.DataFrame(
        [
            ("a1", "A", 100, "ok"),
            ("a2", "A", 100, "ok"),
            ("b1", "B", 100, "ok"),
            ("b2", "B", 100, "ok"),
        ],
        columns=["article_id", "outlet", "n_tokens", "status"],
    )
    counts = pd.DataFrame(
        [
            ("a1", "A", "capital", "kiev", "narrator", 3),
            ("a2", "A", "capital", "kyiv", "quoted", 1),
            ("b1", "B", "capital", "kyiv", "narrator", 2),
            ("b2", "B", "capital", "kiev", "narrator", 2),
        ],
        columns=["article_id", "outlet", "concept", "variant", "voice", "count"],
    )
    concepts = {"capital": Concept("capital", "toy", "Capital.", ("kiev", "kyiv"))}
    table = compare_shares(counts, articles, concepts, "A", "B", n_boot=300).set_index("variant")
    # A: kiev 3 of 4 = 0.75; B: kiev 2 of 4 = 0.5; difference 0.25
    assert table.loc["kiev", ["share_a", "share_b", "diff"]].tolist() == pytest.approx(
        [0.75, 0.5, 0.25]
    )
    assert table.loc["kiev", "diff_low"] <= 0.25 <= table.loc["kiev", "diff_high"]
    own = compare_shares(counts, articles, concepts, "A", "B", voice="own", n_boot=50).set_index(
        "variant"
    )
    assert own.loc["kiev", "share_a"] == 1.0  # the quoted "kyiv" is not A's own wording
