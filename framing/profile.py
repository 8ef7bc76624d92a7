"""Counts to rates, with bootstrap intervals over articles; the only place rates are computed.

Definitions (DESIGN.md section 5):

- token: a spaCy token that is neither punctuation nor whitespace (``articles.n_tokens``);
- rate: hits per 1,000 tokens;
- outlet rate: pooled, ``1000 * sum(counts) / sum(tokens)`` over the outlet's analysed articles
  (a ratio estimator, not a mean of article rates, so long articles weigh as much as they count);
- interval: percentile bootstrap over articles, the sampling unit (Efron & Tibshirani 1993,
  *An Introduction to the Bootstrap*, ch. 13): resample the outlet's articles with replacement
  ``n_boot`` times, recompute the pooled statistic, take the (1-ci)/2 and (1+ci)/2 percentiles.
  Random numbers come from ``numpy.random.default_rng([seed, crc32(outlet)])``, so the same input
  and seed give the same intervals, whatever other outlets are in the corpus.

Entries with ``weight: 0`` are reference (neutral) variants, such as "Kyiv": they feed concept
shares but are not loaded language, so category profiles leave them out.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.lexicon import Concept
from framing.match import Matches

__all__ = [
    "MIN_ARTICLES",
    "MIN_TOKENS",
    "VOICE_GROUPS",
    "article_concept_counts",
    "concept_shares",
    "profile_articles",
    "profile_outlets",
    "rates_over_time",
    "voice_groups",
    "warning_for",
    "wilson_interval",
]

MIN_ARTICLES = 10
MIN_TOKENS = 5000
_MAX_CELLS = 1_000_000  # bootstrap weight matrix cells held at once (~8 MB per array)


def wilson_interval(successes: int, n: int, *, ci: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (Wilson 1927, JASA 22:209-212).

    p̂ = k/n; centre = (p̂ + z²/2n) / (1 + z²/n); half-width =
    z·sqrt(p̂(1-p̂)/n + z²/4n²) / (1 + z²/n), with z the normal quantile for `ci`. Unlike the
    normal approximation it stays inside [0, 1] and behaves with small n (precision of a lexicon
    entry from 20 reviewed hits). Returns (nan, nan) for n = 0.
    """
    from statistics import NormalDist

    if n <= 0:
        return float("nan"), float("nan")
    z = NormalDist().inv_cdf(0.5 + ci / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def _category_at(categories: pd.Series, level: int | None) -> pd.Series:
    if level is None:
        return categories
    return categories.str.split(".").str[:level].str.join(".")


def _groups(keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by equal integer `keys` (codes): the rows in key order (stable, so each
    group lists its rows in table order) and the position in it where each group starts."""
    order = np.lexsort(keys[::-1])  # lexsort's last key is its primary one
    ordered = np.stack(keys)[:, order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ordered[:, 1:] != ordered[:, :-1]).any(axis=0)
    return order, np.flatnonzero(new)


def _ranks(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes of `values` that sort as the values do (-1: missing), and the sorted uniques."""
    codes, uniques = pd.factorize(values)
    ordered = sorted(uniques)
    position = {u: k for k, u in enumerate(ordered)}
    rank = np.array([position[u] for u in uniques] + [-1], dtype=np.int64)
    return rank[codes], ordered  # code -1 (missing) takes the last rank, -1


def profile_articles(matches: Matches, *, level: int | None = 1) -> pd.DataFrame:
    """Per-article counts and rates by category and voice.

    Parameters
    ----------
    matches
        Output of `framing.match_corpus`.
    level
        Category depth: 1 rolls "legitimacy.regime" up to "legitimacy"; ``None`` keeps full ids.

    Returns
    -------
    pandas.DataFrame
        ``article_id, outlet, category, voice, count, weight, n_tokens, rate_per_1k``; one row per
        article, category and voice with at least one hit (``weight`` is the sum of entry
        weights). Articles without hits have no rows; their tokens are in ``matches.articles``.
        ``rate_per_1k = 1000 * count / n_tokens``.
    """
    needed = ["article_id", "outlet", "category", "voice", "weight"]  # not the long texts
    hits = matches.hits.loc[matches.hits["weight"] > 0, needed]
    columns = [
        "article_id",
        "outlet",
        "category",
        "voice",
        "count",
        "weight",
        "n_tokens",
        "rate_per_1k",
    ]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    # Grouped and ordered on integer codes rather than strings: article position, category
    # and voice ranks (sort order), outlet; categories are rolled up once per distinct value.
    articles = matches.articles
    row = pd.Index(articles["article_id"]).get_indexer(hits["article_id"])
    unknown = (row < 0) & hits["article_id"].notna().to_numpy()
    if unknown.any():
        missing = hits["article_id"].to_numpy()[unknown][0]
        raise ValueError(f"matches.hits: article_id {missing!r} is not in matches.articles")
    codes, names = pd.factorize(hits["category"])
    rolled = _category_at(pd.Series(names, dtype=hits["category"].dtype), level)
    category, categories = _ranks(rolled)
    voice, voices = _ranks(hits["voice"])
    keys = [row, np.append(category, -1)[codes], voice, pd.factorize(hits["outlet"])[0]]
    if any(k.min() < 0 for k in keys):  # a missing value: groupby would drop the row
        keep = np.logical_and.reduce([k >= 0 for k in keys])
        hits, keys = hits[keep], [k[keep] for k in keys]
        if hits.empty:
            return pd.DataFrame(columns=columns)
    order, starts = _groups(keys)
    first = order[starts]  # each group's first hit
    count = np.diff(np.append(starts, len(order)))
    weight = np.add.reduceat(hits["weight"].to_numpy()[order], starts)
    # Article, category, voice; an article's groups in two outlets in order of first hit.
    sort = np.lexsort((first, keys[2][first], keys[1][first], keys[0][first]))
    first, count, weight = first[sort], count[sort], weight[sort]
    n_tokens = articles["n_tokens"].to_numpy()[keys[0][first]].astype("int64")
    return pd.DataFrame(
        {
            "article_id": _taken(hits["article_id"], first),
            "outlet": _taken(hits["outlet"], first),
            "category": _like(np.array(categories, dtype=object)[keys[1][first]], rolled.dtype),
            "voice": _like(np.array(voices, dtype=object)[keys[2][first]], hits["voice"].dtype),
            "count": count.astype("int64"),
            "weight": weight,
            "n_tokens": n_tokens,
            "rate_per_1k": 1000 * count / np.where(n_tokens > 0, n_tokens, np.nan),
        }
    )


def _like(values: np.ndarray, dtype: Any) -> pd.Series:
    """Group keys as `groupby` gives them: the dtype of the column, or inferred from objects."""
    out = pd.Series(values)
    return out if pd.api.types.is_object_dtype(dtype) else out.astype(dtype)


def _taken(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """The values of `column` in `rows`, as `groupby` gives them for a key column."""
    taken = column.iloc[rows].reset_index(drop=True)
    return pd.Series(taken.to_numpy()) if pd.api.types.is_object_dtype(column.dtype) else taken


VOICE_GROUPS = {"own": ("narrator", "scare"), "quoted": ("quoted", "partial")}


def voice_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Re-label raw voices as the groups reports show, plus every row again as ``all``.

    ``own`` = narrator + scare (the outlet's own wording, including the distance it takes);
    ``quoted`` = quoted + partial (words the outlet attributes to someone else).
    """
    group_of = {v: g for g, voices in VOICE_GROUPS.items() for v in voices}
    grouped = frame[frame["voice"].isin(group_of)].assign(voice=lambda f: f["voice"].map(group_of))
    return pd.concat([grouped, frame.assign(voice="all")], ignore_index=True)


def _voice_order(key: tuple[str, ...]) -> tuple[str, int]:
    return key[0], ["own", "quoted", "all"].index(key[-1])


def outlet_rng(seed: int, outlet: str) -> np.random.Generator:
    """The random generator of one outlet's resamples: the same whatever else is analysed."""
    return np.random.default_rng([seed, zlib.crc32(outlet.encode("utf-8"))])


def bootstrap_weights(n: int, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Resampling weights (how often each of n articles is drawn), in chunks of replicates."""
    per_chunk = max(1, _MAX_CELLS // max(n, 1))
    done = 0
    while done < n_boot:
        b = min(per_chunk, n_boot - done)
        draws = rng.integers(0, n, size=(b, n))
        offsets = (np.arange(b) * n)[:, None]
        yield (
            np.bincount((draws + offsets).ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        )
        done += b


def percentile_interval(samples: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the (1-ci)/2 and (1+ci)/2 percentiles of resampled statistics, NaNs ignored.

    The numbers of `numpy.nanpercentile`, which drops each column's NaNs and works through the
    columns one by one; here the columns with the same number of values are done at once (with
    their NaNs sorted last and cut off), many times faster on thousands of columns.
    """
    alpha = (1 - ci) / 2
    low = np.full(samples.shape[1], np.nan)
    high = np.full(samples.shape[1], np.nan)
    n_values = (~np.isnan(samples)).sum(axis=0)
    with np.errstate(all="ignore"):
        for n in np.unique(n_values[n_values > 0]):
            columns = np.flatnonzero(n_values == n)
            values = samples[:, columns]
            if n < len(samples):
                values = np.sort(values, axis=0)[:n]
            low[columns], high[columns] = np.percentile(
                values, [100 * alpha, 100 * (1 - alpha)], axis=0
            )
    return low, high


def count_matrix(
    grouped_profiles: pd.DataFrame,
    article_ids: pd.Index,
    keys: Sequence[tuple[Any, ...]],
    key_columns: tuple[str, ...] = ("category", "voice"),
    *,
    sparse: bool = False,
) -> Any:
    """Counts per article (rows, in `article_ids` order) and key (columns, in `keys` order).

    A key is a tuple of values of `key_columns`, e.g. (category, voice group) or
    (concept, voice group, variant); rows of other articles or keys are ignored. A numpy
    array, or with `sparse` a scipy CSR array: concept variants make thousands of columns, in
    which an article has a few counts (dense, 50,000 articles of one outlet took 0.6 GB).
    """
    mine = grouped_profiles[grouped_profiles["article_id"].isin(article_ids)]
    row = col = np.zeros(0, dtype=np.int64)
    values = np.zeros(0)
    if not mine.empty and keys:
        col = pd.MultiIndex.from_tuples(keys).get_indexer(
            pd.MultiIndex.from_frame(mine[list(key_columns)])
        )
        keep = col >= 0
        row = article_ids.get_indexer(pd.Index(mine["article_id"]))[keep]
        col, values = col[keep], mine["count"].to_numpy(dtype=np.float64)[keep]
    shape = (len(article_ids), len(keys))
    if sparse:
        from scipy.sparse import coo_array

        return coo_array((values, (row, col)), shape=shape).tocsr()  # repeats are summed
    counts = np.zeros(shape)
    np.add.at(counts, (row, col), values)
    return counts


def bootstrap_sums(values: Any, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Column sums of `values` (articles x K, numpy or scipy sparse) in `n_boot` resamples of
    its rows: n_boot x K. For whole-number counts both give the same sums exactly."""
    from scipy.sparse import issparse

    if issparse(values):
        by_column = values.T.tocsr()
        blocks = [(by_column @ w.T).T for w in bootstrap_weights(values.shape[0], n_boot, rng)]
    else:
        blocks = [w @ values for w in bootstrap_weights(len(values), n_boot, rng)]
    return np.concatenate(blocks)


def bootstrap_rates(
    counts: np.ndarray, tokens: np.ndarray, rng: np.random.Generator, n_boot: int
) -> np.ndarray:
    """Pooled rates per 1,000 tokens in `n_boot` resamples of the articles (rows): n_boot x K."""
    with np.errstate(all="ignore"):
        return np.concatenate(
            [
                1000 * (w @ counts) / (w @ tokens)[:, None]
                for w in bootstrap_weights(len(tokens), n_boot, rng)
            ]
        )


def ok_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The analysed articles (status ok) with their outlet and token count."""
    ok = articles[articles["status"] == "ok"] if "status" in articles else articles
    return ok[["article_id", "outlet", "n_tokens"]]


def warning_for(n_articles: int, n_tokens: int) -> str:
    """The small-sample warning shown beside an outlet's figures, or ""."""
    notes = []
    if n_articles < MIN_ARTICLES:
        notes.append(f"fewer than {MIN_ARTICLES} articles")
    if n_tokens < MIN_TOKENS:
        notes.append(f"fewer than {MIN_TOKENS:,} tokens")
    return "; ".join(notes)


def _article_key_matrices(
    article_profiles: pd.DataFrame, ok: pd.DataFrame, categories: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Counts and weights per analysed article (rows, in `ok` order) and (category, voice
    group) key (columns: each category's own, quoted, all), as `voice_groups` + `count_matrix`
    give, but built from codes rather than a tripled table, so that memory stays small on
    millions of profile rows. Rows of articles not in `ok`, or of another outlet than the
    article's, are ignored."""
    row = pd.Index(ok["article_id"]).get_indexer(article_profiles["article_id"])
    found = row >= 0
    keep = np.zeros(len(row), dtype=bool)
    keep[found] = (
        article_profiles["outlet"].to_numpy()[found] == ok["outlet"].to_numpy()[row[found]]
    )
    column = 3 * pd.Categorical(article_profiles["category"], categories=categories).codes
    group_of = {v: k for k, g in enumerate(("own", "quoted")) for v in VOICE_GROUPS[g]}
    voice = pd.Categorical(article_profiles["voice"])  # codes: no string per row
    lookup = np.array([group_of.get(str(v), np.nan) for v in voice.categories] + [np.nan])
    group = lookup[voice.codes]  # code -1 (missing) takes the last, NaN
    grouped = keep & ~np.isnan(group)
    # float32 holds every count exactly (integers far below 2**24) in half the memory.
    counts = np.zeros((len(ok), 3 * len(categories)), dtype=np.float32)
    weights = np.zeros_like(counts)
    for name, target in (("count", counts), ("weight", weights)):
        values = article_profiles[name].to_numpy(dtype=np.float32)
        np.add.at(target, (row[keep], column[keep] + 2), values[keep])  # "all": every row
        np.add.at(
            target,
            (row[grouped], column[grouped] + group[grouped].astype(np.int64)),
            values[grouped],
        )
    return counts, weights


def profile_outlets(
    article_profiles: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    seed: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Pooled rate per outlet, category and voice, with a percentile-bootstrap interval.

    rate = 1000 * sum(count) / sum(n_tokens) over the outlet's analysed articles; the interval
    resamples those articles with replacement (see the module docstring for the method and source).

    Parameters
    ----------
    article_profiles
        Output of `profile_articles`.
    articles
        The articles table (``article_id, outlet, n_tokens, status``); its analysed articles are
        the denominators, including those with no hits.
    seed, n_boot, ci
        Bootstrap seed, number of resamples and interval coverage.

    Returns
    -------
    pandas.DataFrame
        ``outlet, category, voice, n_articles, count, weight, n_tokens, rate_per_1k, ci_low,
        ci_high, warning``; a row for every outlet and every category-voice pair seen anywhere in
        the corpus (count 0 where the outlet has none). ``warning`` flags small samples.
    """
    ok = ok_articles(articles).reset_index(drop=True)
    # Every category in every voice group, so that a zero is a row, not a gap.
    categories = sorted(set(article_profiles["category"].astype(str).unique()))
    key_list = [(c, v) for c in categories for v in ("own", "quoted", "all")]
    counts_all, weights_all = _article_key_matrices(article_profiles, ok, categories)
    rows = []
    for outlet, group in ok.groupby("outlet", sort=True):
        outlet = str(outlet)
        mine = group.index.to_numpy()  # positions: `ok` has a fresh 0..n-1 index
        tokens = group["n_tokens"].to_numpy(dtype=np.float64)
        counts = counts_all[mine].astype(np.float64)
        weights = weights_all[mine].sum(axis=0, dtype=np.float64)
        total_tokens = tokens.sum()
        with np.errstate(all="ignore"):
            rate = 1000 * counts.sum(axis=0) / total_tokens
        boot = bootstrap_rates(counts, tokens, outlet_rng(seed, outlet), n_boot)
        low, high = percentile_interval(boot, ci)
        warning = warning_for(len(group), int(total_tokens))
        for k, (category, voice) in enumerate(key_list):
            rows.append(
                (
                    outlet,
                    category,
                    voice,
                    len(group),
                    int(counts[:, k].sum()),
                    int(weights[k]),
                    int(total_tokens),
                    rate[k],
                    low[k],
                    high[k],
                    warning,
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "outlet",
            "category",
            "voice",
            "n_articles",
            "count",
            "weight",
            "n_tokens",
            "rate_per_1k",
            "ci_low",
            "ci_high",
            "warning",
        ],
    )


def article_concept_counts(matches: Matches) -> pd.DataFrame:
    """Per-article variant counts: ``article_id, outlet, concept, variant, voice, count``."""
    by = ["article_id", "outlet", "concept", "entry_id", "voice"]  # not the long texts
    hits = matches.hits.loc[matches.hits["concept"].astype(str) != "", by]
    out = (
        hits.groupby(by, sort=False)
        .size()
        .reset_index(name="count")
        .rename(columns={"entry_id": "variant"})
    )
    return out[["article_id", "outlet", "concept", "variant", "voice", "count"]]


def concept_shares(
    concept_counts: pd.DataFrame,
    articles: pd.DataFrame,
    concepts: Mapping[str, Concept],
    *,
    seed: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Share of each variant among all mentions of its concept, per outlet, with intervals.

    share = count(variant) / sum over the concept's variants of count, pooled over the outlet's
    analysed articles; the interval is the percentile bootstrap over articles (module docstring),
    skipping resamples in which the concept does not occur.

    Parameters
    ----------
    concept_counts
        Output of `article_concept_counts`.
    articles
        The articles table; resampling draws from all of an outlet's analysed articles.
    concepts
        ``lexicon.concepts``: the variants of each concept, including those never seen.
    seed, n_boot, ci
        Bootstrap seed, number of resamples and interval coverage.

    Returns
    -------
    pandas.DataFrame
        ``outlet, concept, voice, variant, count, total, share, ci_low, ci_high, n_articles`` for
        every outlet, concept it mentions at least once and voice group (``own``, ``quoted``,
        ``all``, as in `voice_groups`); ``total`` is the denominator, ``n_articles`` the number of
        the outlet's articles that mention the concept in that voice.
    """
    ok = ok_articles(articles)
    concept_counts = voice_groups(concept_counts)
    rows = []
    for outlet, group in ok.groupby("outlet", sort=True):
        outlet = str(outlet)
        mine = concept_counts[concept_counts["outlet"] == outlet]
        index = pd.Index(group["article_id"])
        pairs = sorted(
            mine[["concept", "voice"]].drop_duplicates().itertuples(index=False, name=None),
            key=_voice_order,
        )
        pairs = [(c, v) for c, v in pairs if concepts[c].variants]  # others have no rows
        if not pairs:
            continue
        # One count matrix for every (concept, voice) block of the outlet, so one set of
        # bootstrap resamples serves them all (the same resamples as its rate intervals).
        columns = [(c, v, variant) for c, v in pairs for variant in concepts[c].variants]
        counts = count_matrix(mine, index, columns, ("concept", "voice", "variant"), sparse=True)
        boot = bootstrap_sums(counts, outlet_rng(seed, outlet), n_boot)
        sizes = [len(concepts[c].variants) for c, _ in pairs]
        starts = np.cumsum([0, *sizes[:-1]])
        # Every block's shares in each resample at once (exact: the sums are whole numbers).
        with np.errstate(all="ignore"):
            mentions = np.repeat(np.add.reduceat(boot, starts, axis=1), sizes, axis=1)
            low, high = percentile_interval(boot / mentions, ci)
        variant_counts = np.asarray(counts.sum(axis=0)).ravel()
        from scipy.sparse import csr_array

        # Articles mentioning each (concept, voice) block: counts summed over its variants.
        in_block = csr_array(
            (
                np.ones(len(columns)),
                (np.arange(len(columns)), np.repeat(np.arange(len(pairs)), sizes)),
            )
        )
        mentioning = np.asarray(((counts @ in_block) > 0).sum(axis=0)).ravel()
        for j, (concept_id, voice) in enumerate(pairs):
            block = slice(starts[j], starts[j] + sizes[j])
            total = variant_counts[block].sum()
            for k, variant in enumerate(concepts[concept_id].variants, start=starts[j]):
                rows.append(
                    (
                        outlet,
                        concept_id,
                        voice,
                        variant,
                        int(variant_counts[k]),
                        int(total),
                        variant_counts[k] / total if total else np.nan,
                        low[k],
                        high[k],
                        int(mentioning[j]),
                    )
                )
    return pd.DataFrame(
        rows,
        columns=[
            "outlet",
            "concept",
            "voice",
            "variant",
            "count",
            "total",
            "share",
            "ci_low",
            "ci_high",
            "n_articles",
        ],
    )


def rates_over_time(
    article_profiles: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    category: str,
    voice: str,
    freq: str,
) -> pd.DataFrame:
    """Pooled rate per outlet and period: ``outlet, period, count, n_tokens, rate_per_1k``.

    rate = 1000 * sum(count) / sum(n_tokens) over the outlet's analysed articles dated in the
    period (pandas resample rule `freq`, e.g. "MS" for months); a period without articles has
    no tokens and a NaN rate, a gap rather than a zero. `voice` is a voice group (own, quoted,
    all; see `voice_groups`).

    Raises
    ------
    ValueError
        When no analysed article has a parseable ``date``, or the category has no hits.
    """
    ok = articles[articles["status"] == "ok"] if "status" in articles else articles
    dates = pd.to_datetime(ok["date"], errors="coerce", format="mixed", utc=True)
    dated = pd.DataFrame(
        {
            "article_id": ok["article_id"].astype(str),
            "outlet": ok["outlet"].astype(str),
            "n_tokens": ok["n_tokens"].astype("float64"),
            "period": dates.dt.tz_convert(None),
        }
    ).dropna(subset=["period"])
    if dated.empty:
        raise ValueError(
            "articles: no analysed article has a parseable 'date' column value "
            f"({len(ok)} analysed articles); rates over time need dates"
        )
    profiles = voice_groups(article_profiles)
    if category not in set(profiles["category"]):
        known = sorted(str(c) for c in profiles["category"].unique())
        raise ValueError(
            f"category: no hits in category {category!r} in article_profiles; "
            f"known: {', '.join(known)}"
        )
    hits = profiles[(profiles["category"] == category) & (profiles["voice"] == voice)]
    per_article = hits.groupby(hits["article_id"].astype(str))["count"].sum()
    dated["count"] = dated["article_id"].map(per_article).fillna(0).astype("float64")
    parts = []
    for outlet, group in dated.groupby("outlet", sort=True):
        # resample keeps empty periods, whose rate is NaN: a gap, not a zero.
        sums = group.set_index("period")[["count", "n_tokens"]].resample(freq).sum()
        parts.append(sums.reset_index().assign(outlet=outlet))
    out = pd.concat(parts, ignore_index=True)
    out["rate_per_1k"] = 1000 * out["count"] / out["n_tokens"].where(out["n_tokens"] > 0)
    return out[["outlet", "period", "count", "n_tokens", "rate_per_1k"]]
