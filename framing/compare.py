"""Outlet comparisons: rate differences and ratios, permutation tests, Fightin' Words log-odds.

Methods (DESIGN.md section 5):

- Rate difference ``a - b`` and ratio ``a / b`` of pooled outlet rates (hits per 1,000 tokens),
  with percentile-bootstrap intervals: each outlet's articles are resampled independently, with
  the same seeded generators as its own rate intervals (`framing.profile`).
- Two-sided permutation test of "no difference": outlet labels are shuffled among the two
  outlets' articles ``n_perm`` times; p = (1 + #{|T*| >= |T|}) / (1 + n_perm) with T the rate
  difference (Phipson & Smyth 2010, *Stat. Appl. Genet. Mol. Biol.* 9(1):39, so p is never 0).
  Within one comparison the p-values of all categories are adjusted by Benjamini & Hochberg
  (1995, *J. R. Stat. Soc. B* 57:289–300): p_(i) * m / i, made monotone from the top.
- Per entry: log-odds ratio with an informative Dirichlet prior and its z-score (Monroe,
  Colaresi & Quinn 2008, *Political Analysis* 16(4):372–403, eqs. 16–22), see `log_odds_dirichlet`.
"""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd

from framing.lexicon import Concept
from framing.profile import (
    bootstrap_rates,
    bootstrap_sums,
    count_matrix,
    ok_articles,
    outlet_rng,
    percentile_interval,
    voice_groups,
    warning_for,
)

__all__ = [
    "REST",
    "benjamini_hochberg",
    "compare_all",
    "compare_outlets",
    "compare_shares",
    "entry_log_odds",
    "log_odds_dirichlet",
    "permutation_pvalues",
]

REST = "(all others)"
_MAX_CELLS = 4_000_000


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order.

    adjusted p_(i) = min over j >= i of p_(j) * m / j for the sorted p-values p_(1..m), capped
    at 1 (Benjamini & Hochberg 1995). NaNs are left out of m and stay NaN.
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    valid = ~np.isnan(p)
    m = int(valid.sum())
    if m == 0:
        return out
    order = np.argsort(p[valid])
    ranked = p[valid][order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    values = np.empty(m)
    values[order] = adjusted
    out[valid] = values
    return out


def _permutations(n: int, n_a: int, n_perm: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """0/1 matrices (chunks of permutations x n): which pooled articles go to outlet a."""
    per_chunk = max(1, _MAX_CELLS // max(n, 1))
    done = 0
    while done < n_perm:
        b = min(per_chunk, n_perm - done)
        keys = rng.random((b, n))
        ranks = keys.argsort(axis=1).argsort(axis=1)
        yield (ranks < n_a).astype(np.float64)
        done += b


def permutation_pvalues(
    counts_a: np.ndarray,
    tokens_a: np.ndarray,
    counts_b: np.ndarray,
    tokens_b: np.ndarray,
    *,
    n_perm: int = 2000,
    rng: np.random.Generator,
) -> np.ndarray:
    """Two-sided permutation p-values of the pooled rate difference, one per column.

    Parameters
    ----------
    counts_a, counts_b
        Articles x keys count matrices of the two outlets.
    tokens_a, tokens_b
        Token counts of their articles.
    n_perm
        Number of label shuffles.
    rng
        Random generator.

    Returns
    -------
    numpy.ndarray
        p = (1 + #{|T*| >= |T|}) / (1 + n_perm) per key; NaN where neither outlet has a hit.
    """
    counts = np.vstack([counts_a, counts_b])
    tokens = np.concatenate([tokens_a, tokens_b])
    n_a = len(tokens_a)
    total_counts, total_tokens = counts.sum(axis=0), tokens.sum()
    with np.errstate(all="ignore"):
        observed = counts_a.sum(0) / tokens_a.sum() - counts_b.sum(0) / tokens_b.sum()
        extreme = np.zeros(counts.shape[1])
        for assign in _permutations(len(tokens), n_a, n_perm, rng):
            ca, ta = assign @ counts, assign @ tokens
            diff = ca / ta[:, None] - (total_counts - ca) / (total_tokens - ta)[:, None]
            # a small tolerance keeps ties (equal differences up to rounding) counted as extreme
            extreme += (np.abs(diff) >= np.abs(observed) - 1e-12).sum(axis=0)
    p = (1 + extreme) / (1 + n_perm)
    p[total_counts == 0] = np.nan
    return p


def _outlet_counts(
    grouped: pd.DataFrame, ok: pd.DataFrame, outlets: list[str], keys: list[tuple[str, str]]
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    articles = ok[ok["outlet"].isin(outlets)]
    ids = pd.Index(articles["article_id"])
    return count_matrix(grouped, ids, keys), articles["n_tokens"].to_numpy(np.float64), ids


def compare_outlets(
    article_profiles: pd.DataFrame,
    articles: pd.DataFrame,
    a: str,
    b: str | None = None,
    *,
    voice: str = "own",
    seed: int = 0,
    n_boot: int = 2000,
    n_perm: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Compare outlet `a` with outlet `b` (or with all other outlets together) per category.

    Parameters
    ----------
    article_profiles
        Output of `framing.profile_articles` (raw voices).
    articles
        The articles table (denominators).
    a, b
        Outlet names; ``b=None`` compares `a` with the union of all other outlets.
    voice
        Voice group: ``own`` (narrator + scare), ``quoted`` (quoted + partial) or ``all``.
    seed, n_boot, n_perm, ci
        Seed, bootstrap resamples, permutations and interval coverage.

    Returns
    -------
    pandas.DataFrame
        Per category: ``a, b, category, voice, n_articles_a, n_articles_b, tokens_a, tokens_b,
        count_a, count_b, rate_a, rate_b, diff, diff_low, diff_high, ratio, ratio_low,
        ratio_high, p_value, p_adjusted, warning``. ``ratio`` is inf (and its interval open)
        where b has no hits.
    """
    ok = ok_articles(articles)
    known = set(ok["outlet"])
    for name in [a] + ([b] if b is not None else []):
        if name not in known:
            raise ValueError(f"no outlet '{name}'; the outlets are {', '.join(sorted(known))}")
    others = [b] if b is not None else sorted(known - {a})
    if not others:
        raise ValueError(f"'{a}' is the only outlet: there is nothing to compare it with")
    grouped = voice_groups(article_profiles)
    grouped = grouped[grouped["voice"] == voice]
    categories = sorted(set(article_profiles["category"]))
    keys = [(c, voice) for c in categories]
    counts_a, tokens_a, _ = _outlet_counts(grouped, ok, [a], keys)
    counts_b, tokens_b, _ = _outlet_counts(grouped, ok, others, keys)
    b_name = b if b is not None else REST
    boot_a = bootstrap_rates(counts_a, tokens_a, outlet_rng(seed, a), n_boot)
    boot_b = bootstrap_rates(counts_b, tokens_b, outlet_rng(seed, b_name), n_boot)
    with np.errstate(all="ignore"):
        rate_a = 1000 * counts_a.sum(0) / tokens_a.sum()
        rate_b = 1000 * counts_b.sum(0) / tokens_b.sum()
        diff_low, diff_high = percentile_interval(boot_a - boot_b, ci)
        # Resamples where b has no hit give an infinite ratio: a quantile method that does not
        # interpolate keeps an open interval (inf) instead of turning it into NaN.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # categories with no hits at all
            ratio_low, ratio_high = np.nanpercentile(
                boot_a / boot_b, [50 * (1 - ci), 50 * (1 + ci)], axis=0, method="inverted_cdf"
            )
        ratio = rate_a / rate_b
    pair_seed = [seed, zlib.crc32(f"{a}\0{b_name}".encode())]
    p = permutation_pvalues(
        counts_a, tokens_a, counts_b, tokens_b, n_perm=n_perm, rng=np.random.default_rng(pair_seed)
    )
    notes = "; ".join(
        f"{name}: {w}"
        for name, n, t in (
            (a, len(tokens_a), tokens_a.sum()),
            (b_name, len(tokens_b), tokens_b.sum()),
        )
        if (w := warning_for(n, int(t)))
    )
    return pd.DataFrame(
        {
            "a": a,
            "b": b_name,
            "category": categories,
            "voice": voice,
            "n_articles_a": len(tokens_a),
            "n_articles_b": len(tokens_b),
            "tokens_a": int(tokens_a.sum()),
            "tokens_b": int(tokens_b.sum()),
            "count_a": counts_a.sum(0).astype(int),
            "count_b": counts_b.sum(0).astype(int),
            "rate_a": rate_a,
            "rate_b": rate_b,
            "diff": rate_a - rate_b,
            "diff_low": diff_low,
            "diff_high": diff_high,
            "ratio": ratio,
            "ratio_low": ratio_low,
            "ratio_high": ratio_high,
            "p_value": p,
            "p_adjusted": benjamini_hochberg(p),
            "warning": notes,
        }
    )


def compare_all(
    article_profiles: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    against: str = "rest",
    voice: str = "own",
    seed: int = 0,
    n_boot: int = 2000,
    n_perm: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Compare more than two outlets at once: each against the rest, or every pair (a matrix).

    Parameters
    ----------
    against
        ``"rest"``: every outlet against all others pooled; ``"pairs"``: every ordered pair
        a != b, the long form of an outlets x outlets matrix (pivot on ``a``, ``b``).
    Other parameters as in `compare_outlets`.

    Returns
    -------
    pandas.DataFrame
        The `compare_outlets` tables stacked; p-values are adjusted within each comparison.
    """
    outlets = sorted(set(ok_articles(articles)["outlet"]))
    if against not in ("rest", "pairs"):
        raise ValueError(f"against: expected 'rest' or 'pairs', got {against!r}")
    pairs = (
        [(o, None) for o in outlets]
        if against == "rest"
        else [(o, p) for o in outlets for p in outlets if o != p]
    )
    tables = [
        compare_outlets(
            article_profiles,
            articles,
            a,
            b,
            voice=voice,
            seed=seed,
            n_boot=n_boot,
            n_perm=n_perm,
            ci=ci,
        )
        for a, b in pairs
    ]
    return pd.concat(tables, ignore_index=True)


def log_odds_dirichlet(
    counts_a: pd.Series,
    counts_b: pd.Series,
    *,
    prior: pd.Series | None = None,
    prior_total: float | None = None,
    alpha0: float = 1000.0,
    n_a: float | None = None,
    n_b: float | None = None,
) -> pd.DataFrame:
    """Log-odds ratio with an informative Dirichlet prior, and its z-score, per term.

    Monroe, Colaresi & Quinn (2008), eqs. 16–22: with y the counts, n the group sizes and the
    prior alpha_w = alpha0 * pi_w (pi_w = background count of w / background size; default
    background: the pooled counts of a and b),

        delta_w = log((y_aw + alpha_w) / (n_a + alpha0 - y_aw - alpha_w))
                - log((y_bw + alpha_w) / (n_b + alpha0 - y_bw - alpha_w))
        var(delta_w) ~= 1 / (y_aw + alpha_w) + 1 / (y_bw + alpha_w)
        z_w = delta_w / sqrt(var(delta_w))

    Positive z: the term is used more by a. A pure function on count Series (scattertext's
    idea, after Monroe et al.).

    Parameters
    ----------
    counts_a, counts_b
        Counts per term (index = term); missing terms count 0.
    prior
        Background counts per term; default counts_a + counts_b.
    prior_total
        Size of the background the prior counts come from (for lexicon entries: its tokens, so
        that pi_w is a per-token frequency like y_w / n); default the sum of `prior`.
    alpha0
        Total prior pseudo-count (the prior's weight).
    n_a, n_b
        Group sizes; default the sums of the counts. For a lexicon, pass the groups' token
        totals, so the rest of the vocabulary is the complement.

    Returns
    -------
    pandas.DataFrame
        Indexed by term: ``count_a, count_b, log_odds, variance, z``, sorted by z descending.
    """
    terms = counts_a.index.union(counts_b.index)
    ya = counts_a.reindex(terms, fill_value=0).astype(np.float64)
    yb = counts_b.reindex(terms, fill_value=0).astype(np.float64)
    background = (ya + yb) if prior is None else prior.reindex(terms, fill_value=0).astype(float)
    if background.sum() <= 0:
        raise ValueError("the prior has no mass: give counts or a background with positive sum")
    alpha = alpha0 * background / (background.sum() if prior_total is None else prior_total)
    na = float(ya.sum()) if n_a is None else float(n_a)
    nb = float(yb.sum()) if n_b is None else float(n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((ya + alpha) / (na + alpha0 - ya - alpha)) - np.log(
            (yb + alpha) / (nb + alpha0 - yb - alpha)
        )
        variance = 1 / (ya + alpha) + 1 / (yb + alpha)
    out = pd.DataFrame(
        {
            "count_a": ya.astype(int),
            "count_b": yb.astype(int),
            "log_odds": delta,
            "variance": variance,
            "z": delta / np.sqrt(variance),
        },
        index=terms,
    )
    return out.sort_values("z", ascending=False, kind="stable")


def entry_log_odds(
    hits: pd.DataFrame,
    articles: pd.DataFrame,
    a: str,
    b: str | None = None,
    *,
    voice: str = "own",
    alpha0: float = 1000.0,
) -> pd.DataFrame:
    """Fightin' Words for lexicon entries: which entries outlet `a` uses more than `b` (or rest).

    Counts are the entries' hits in the voice group; group sizes are the outlets' token totals;
    the prior is each entry's pooled rate per token over all outlets, times `alpha0` (see
    `log_odds_dirichlet`).

    Returns
    -------
    pandas.DataFrame
        ``entry_id, category, count_a, count_b, log_odds, variance, z``, by z descending.
    """
    ok = ok_articles(articles)
    others = [b] if b is not None else sorted(set(ok["outlet"]) - {a})
    lexical = hits[hits["lexicon"] != "voice"]
    grouped = voice_groups(lexical)
    grouped = grouped[(grouped["voice"] == voice) & (grouped["weight"] > 0)]
    counts_a = grouped[grouped["outlet"] == a].groupby("entry_id").size()
    counts_b = grouped[grouped["outlet"].isin(others)].groupby("entry_id").size()
    prior = grouped.groupby("entry_id").size()
    table = log_odds_dirichlet(
        counts_a,
        counts_b,
        prior=prior,
        prior_total=float(ok["n_tokens"].sum()),
        alpha0=alpha0,
        n_a=ok.loc[ok["outlet"] == a, "n_tokens"].sum(),
        n_b=ok.loc[ok["outlet"].isin(others), "n_tokens"].sum(),
    )
    category = lexical.drop_duplicates("entry_id").set_index("entry_id")["category"]
    table.insert(0, "category", category.reindex(table.index).to_numpy())
    return table.rename_axis("entry_id").reset_index()


def compare_shares(
    concept_counts: pd.DataFrame,
    articles: pd.DataFrame,
    concepts: Mapping[str, Concept],
    a: str,
    b: str | None = None,
    *,
    voice: str = "all",
    seed: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Compare the variant shares of each concept between outlet `a` and `b` (or the rest).

    share = count(variant) / count(all variants of the concept), pooled per outlet (as in
    `framing.profile.concept_shares`); the difference a - b gets a percentile-bootstrap interval
    from resampling each side's articles independently; resamples in which either side never
    mentions the concept are left out.

    Parameters
    ----------
    concept_counts
        Output of `framing.article_concept_counts` (raw voices).
    articles
        The articles table.
    concepts
        ``lexicon.concepts``.
    a, b
        Outlets; ``b=None`` pools all other outlets.
    voice, seed, n_boot, ci
        Voice group, seed, resamples and coverage.

    Returns
    -------
    pandas.DataFrame
        ``a, b, concept, voice, variant, count_a, total_a, share_a, count_b, total_b, share_b,
        diff, diff_low, diff_high``, for concepts both sides mention.
    """
    ok = ok_articles(articles)
    others = [b] if b is not None else sorted(set(ok["outlet"]) - {a})
    b_name = b if b is not None else REST
    grouped = voice_groups(concept_counts)
    grouped = grouped[grouped["voice"] == voice]
    mentioned = [
        set(grouped.loc[grouped["outlet"].isin(side), "concept"]) for side in ([a], others)
    ]
    chosen = sorted(mentioned[0] & mentioned[1])
    columns = [(c, voice, v) for c in chosen for v in concepts[c].variants]
    sides = []
    for name, outlets in ((a, [a]), (b_name, others)):
        arts = ok[ok["outlet"].isin(outlets)]
        counts = count_matrix(grouped, pd.Index(arts["article_id"]), columns,
                              ("concept", "voice", "variant"))  # fmt: skip
        boot = bootstrap_sums(counts, outlet_rng(seed, name), n_boot)
        sides.append((counts.sum(axis=0), boot))
    rows = []
    first = 0
    for concept_id in chosen:
        block = slice(first, first + len(concepts[concept_id].variants))
        first = block.stop
        (total_a_counts, boot_a), (total_b_counts, boot_b) = [
            (t[block], bt[:, block]) for t, bt in sides
        ]
        with np.errstate(all="ignore"):
            share_a = total_a_counts / total_a_counts.sum()
            share_b = total_b_counts / total_b_counts.sum()
            resampled = boot_a / boot_a.sum(1, keepdims=True) - boot_b / boot_b.sum(
                1, keepdims=True
            )
        low, high = percentile_interval(resampled, ci)
        for k, variant in enumerate(concepts[concept_id].variants):
            rows.append((a, b_name, concept_id, voice, variant,
                         int(total_a_counts[k]), int(total_a_counts.sum()), share_a[k],
                         int(total_b_counts[k]), int(total_b_counts.sum()), share_b[k],
                         share_a[k] - share_b[k], low[k], high[k]))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["a", "b", "concept", "voice", "variant", "count_a", "total_a", "share_a",
                 "count_b", "total_b", "share_b", "diff", "diff_low", "diff_high"],
    )  # fmt: skip
