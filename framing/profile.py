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
  and seed give the same intervals, whatever other outlets are in the corpus. A resample's
  counts of each article are drawn block by block over the outlet's articles in corpus order
  (`resample_blocks`: exactly the multinomial of resampling, drawn so that memory holds one
  block), which lets `OutletProfiles` compute them from a corpus streamed chunk by chunk.

Entries with ``weight: 0`` are reference (neutral) variants, such as "Kyiv": they feed concept
shares but are not loaded language, so category profiles leave them out.
"""

from __future__ import annotations

import pickle
import shutil
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
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
# Bootstrap weight matrix cells held at once: 2 MB per float64 array, within a core's L2 cache.
# At 1,000,000 cells the resampling was memory-bound: two processes side by side ran at half speed.
_MAX_CELLS = 250_000


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


def resample_blocks(n: int, n_boot: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Resampling weights of n articles (how often each is drawn in each of `n_boot` resamples
    of n draws with replacement) as blocks of consecutive articles: m x n_boot arrays, m
    articles at a time, so that no resampling of a large outlet holds more than one block.

    Exact, not an approximation: of a resample's draws not yet placed, the number that falls in
    the next m of the `left` articles is Binomial(remaining, m / left), and those draws fall
    uniformly on the m articles (a multinomial's conditional distribution).
    """
    block = max(1, _MAX_CELLS // max(n_boot, 1))
    remaining = np.full(n_boot, n, dtype=np.int64)
    left = n
    while left > 0:
        m = min(block, left)
        here = remaining if m == left else rng.binomial(remaining, m / left)
        remaining = remaining - here
        article = rng.integers(0, m, size=int(here.sum()))
        cells = article * n_boot + np.repeat(np.arange(n_boot), here)
        yield np.bincount(cells, minlength=m * n_boot).reshape(m, n_boot).astype(np.float64)
        left -= m


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
) -> np.ndarray:
    """Counts per article (rows, in `article_ids` order) and key (columns, in `keys` order).

    A key is a tuple of values of `key_columns`, e.g. (category, voice group) or
    (concept, voice group, variant); rows of other articles or keys are ignored.
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
    counts = np.zeros((len(article_ids), len(keys)))
    np.add.at(counts, (row, col), values)
    return counts


def _resampled_sums(columns: Sequence[Any], rng: np.random.Generator, n_boot: int) -> list[Any]:
    """For each matrix (articles x K; the same articles in the same order), its column sums in
    `n_boot` resamples of the articles: K x n_boot."""
    n = columns[0].shape[0]
    sums = [np.zeros((values.shape[1], n_boot)) for values in columns]
    start = 0
    for weights in resample_blocks(n, n_boot, rng):
        stop = start + len(weights)
        for total, values in zip(sums, columns, strict=True):
            block = values[start:stop]
            total += block.T @ weights
        start = stop
    return sums


def bootstrap_sums(values: Any, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Column sums of `values` (articles x K) in `n_boot` resamples of its rows
    (`resample_blocks`): n_boot x K."""
    return np.asarray(_resampled_sums([values], rng, n_boot)[0].T)


def bootstrap_rates(
    counts: np.ndarray, tokens: np.ndarray, rng: np.random.Generator, n_boot: int
) -> np.ndarray:
    """Pooled rates per 1,000 tokens in `n_boot` resamples of the articles (rows): n_boot x K."""
    summed, total = _resampled_sums([counts, tokens[:, None]], rng, n_boot)
    with np.errstate(all="ignore"):
        return np.asarray(1000 * summed.T / total.T)


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


_VOICE_SLOT = {v: k for k, g in enumerate(("own", "quoted")) for v in VOICE_GROUPS[g]}
_ALL = 2  # the voice slot of "all", after own (0) and quoted (1)


@dataclass
class _Part:
    """One chunk's rows of one outlet, coded: its articles are the outlet's `start`,
    `start + 1`, ... in resampling order; `rates` and `concepts` rows name them by that number."""

    start: int
    tokens: np.ndarray
    rates: dict[str, np.ndarray]
    concepts: dict[str, np.ndarray]


class _Outlet:
    """What `OutletProfiles` knows of one outlet: its number of articles and tokens, the
    (concept, voice) pairs it mentions, and its coded parts, in memory or in a file (`path`)."""

    def __init__(self, path: Path | None) -> None:
        self.n, self.tokens, self.pairs = 0, 0.0, set[int]()
        self.path = path
        self._kept: list[_Part] = []

    def keep(self, part: _Part) -> None:
        if self.path is None:
            self._kept.append(part)
            return
        with self.path.open("ab") as file:
            pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)

    def parts(self) -> Iterator[_Part]:
        if self.path is None:
            yield from self._kept
            return
        with self.path.open("rb") as file:
            while True:
                try:
                    yield pickle.load(file)
                except EOFError:
                    return


def _split_by(values: np.ndarray, keys: np.ndarray, n_keys: int) -> list[np.ndarray]:
    """`values` in groups of equal `keys` (0 <= key < n_keys), table order kept in each."""
    order = np.argsort(keys, kind="stable")
    return np.split(values[order], np.searchsorted(keys[order], np.arange(1, n_keys)))


class OutletProfiles:
    """Outlet profiles and concept shares of a corpus given chunk by chunk, in bounded memory.

    `add` codes a chunk's per-article rows (of `profile_articles` and `article_concept_counts`)
    and sets them aside by outlet, in a folder (`spill`) or in memory; `tables` then takes one
    outlet at a time and resamples its articles block by block (`resample_blocks`), so it holds
    one outlet's n_boot x K sums and one block, however many articles and outlets there are.
    Figures and method are those of `profile_outlets` and `concept_shares`, which use it.
    Both tables of an outlet come from the same resamples.

    Parameters
    ----------
    concepts
        ``lexicon.concepts`` for concept shares; ``None`` for outlet profiles only.
    seed, n_boot, ci
        Bootstrap seed, number of resamples and interval coverage.
    spill
        A folder for the coded rows (created; emptied first); ``None``: kept in memory.
    """

    def __init__(
        self,
        concepts: Mapping[str, Concept] | None = None,
        *,
        seed: int = 0,
        n_boot: int = 2000,
        ci: float = 0.95,
        spill: Path | None = None,
    ) -> None:
        self.concepts = concepts
        self.seed, self.n_boot, self.ci = seed, n_boot, ci
        self._spill = spill
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)
            spill.mkdir(parents=True)
        self._categories: dict[str, int] = {}  # every category seen, in order of first sight
        self._pairs: dict[tuple[str, str], int] = {}  # (concept, voice group) -> code
        self._variant_of: dict[str, dict[str, int]] = {}  # concept -> variant -> position
        self._outlets: dict[str, _Outlet] = {}

    def add(
        self,
        articles: pd.DataFrame,
        article_profiles: pd.DataFrame | None = None,
        concept_counts: pd.DataFrame | None = None,
    ) -> None:
        """Add the counted articles of a chunk (``article_id, outlet, n_tokens``: analysed, one
        row each, in corpus order) and rows of `profile_articles` and `article_concept_counts`
        about them. Rows of other articles, or that name another outlet than the article's, are
        ignored; categories are collected from every row, as tables list every category seen."""
        outlet_names, outlet = np.unique(
            articles["outlet"].astype(str).to_numpy(), return_inverse=True
        )
        # Each article's number among its outlet's articles (the order resampling follows).
        numbers = pd.Series(outlet).groupby(outlet).cumcount().to_numpy()
        starts = [self._outlet(str(name)).n for name in outlet_names]
        index = pd.Index(articles["article_id"].astype(str))
        rates = self._code_rates(article_profiles, index, outlet_names[outlet])
        concepts = self._code_concepts(concept_counts, index, outlet_names[outlet])
        tokens = articles["n_tokens"].to_numpy(dtype=np.float64)
        by_outlet = [
            _split_by(values, outlet[rows], len(outlet_names))
            for rows, values in (
                (np.arange(len(outlet)), tokens),
                *((rates["row"], v) for k, v in rates.items() if k != "row"),
                *((concepts["row"], v) for k, v in concepts.items() if k != "row"),
            )
        ]
        rate_keys = [k for k in rates if k != "row"]
        concept_keys = [k for k in concepts if k != "row"]
        for o, name in enumerate(outlet_names):
            first = starts[o]
            parts = [split[o] for split in by_outlet]
            rate_values = dict(zip(rate_keys, parts[1 : 1 + len(rate_keys)], strict=True))
            concept_values = dict(zip(concept_keys, parts[1 + len(rate_keys) :], strict=True))
            # Rows name articles by chunk row: turn them into the outlet's article numbers.
            for values in (rate_values, concept_values):
                if "article" in values:
                    values["article"] = first + numbers[values["article"]]
            state = self._outlets[str(name)]
            state.n += len(parts[0])
            state.tokens += float(parts[0].sum())
            if "pair" in concept_values:
                state.pairs.update(np.unique(concept_values["pair"]).tolist())
            state.keep(_Part(first, parts[0], rate_values, concept_values))

    def _outlet(self, name: str) -> _Outlet:
        if name not in self._outlets:
            path = None if self._spill is None else self._spill / f"{len(self._outlets)}.pickle"
            self._outlets[name] = _Outlet(path)
        return self._outlets[name]

    def _rows(self, table: pd.DataFrame, index: pd.Index, outlets: np.ndarray) -> np.ndarray:
        """Each row's article (chunk row), or -1 for rows of other articles or outlets."""
        row = index.get_indexer(pd.Index(table["article_id"].astype(str)))
        found = row >= 0
        same = np.zeros(len(row), dtype=bool)
        same[found] = table["outlet"].astype(str).to_numpy()[found] == outlets[row[found]]
        return np.where(same, row, -1)

    def _code_rates(
        self, table: pd.DataFrame | None, index: pd.Index, outlets: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Rows of `profile_articles` as (row, article, column, count, weight) arrays; a row is
        in its voice group's column (own, quoted) if it has one and in ``all``; column =
        3 * category code + voice slot."""
        if table is None or table.empty:
            return {}
        codes, names = pd.factorize(table["category"].astype(str))
        for name in names:
            self._categories.setdefault(name, len(self._categories))
        category = np.array([self._categories[n] for n in names], dtype=np.int64)[codes]
        voices = pd.Categorical(table["voice"])
        lookup = np.array([_VOICE_SLOT.get(str(v), -1) for v in voices.categories] + [-1])
        slot = lookup[voices.codes]  # code -1 (missing) takes the last, -1
        row = self._rows(table, index, outlets)
        kept = row >= 0
        grouped = kept & (slot >= 0)
        pick = np.concatenate([np.flatnonzero(kept), np.flatnonzero(grouped)])
        column = 3 * category[pick] + np.concatenate([np.full(kept.sum(), _ALL), slot[grouped]])
        return {
            "row": row[pick],
            "article": row[pick],
            "column": column,
            "count": table["count"].to_numpy(dtype=np.float64)[pick],
            "weight": table["weight"].to_numpy(dtype=np.float64)[pick],
        }

    def _code_concepts(
        self, table: pd.DataFrame | None, index: pd.Index, outlets: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Rows of `article_concept_counts` as (row, article, pair, variant, count) arrays, a
        row in its (concept, voice group) pair and in (concept, all); variant = position in
        the concept's variants (rows of an unknown variant are left out, as no column has it)."""
        if self.concepts is None or table is None or table.empty:
            return {}
        # Python work per distinct concept and variant, not per row.
        concept, concepts = pd.factorize(table["concept"].astype(str))
        pair, variant_names = pd.MultiIndex.from_arrays(
            [concept, table["variant"].astype(str)]
        ).factorize()
        position = np.array(
            [self._variant_position(concepts[c], v) for c, v in variant_names] + [-1],
            dtype=np.int64,
        )[pair]
        voice = table["voice"].astype(str).to_numpy()
        row = self._rows(table, index, outlets)
        rows, pairs, picks = [], [], []
        for group in ("own", "quoted", "all"):
            member = np.isin(voice, VOICE_GROUPS[group]) if group != "all" else True
            pick = np.flatnonzero((row >= 0) & (position >= 0) & member)
            rows.append(row[pick])
            picks.append(pick)
            code = np.array([self._pair(c, group) for c in concepts], dtype=np.int64)
            pairs.append(code[concept[pick]])
        pick = np.concatenate(picks)
        return {
            "row": np.concatenate(rows),
            "article": np.concatenate(rows),
            "pair": np.concatenate(pairs),
            "variant": position[pick],
            "count": table["count"].to_numpy(dtype=np.float64)[pick],
        }

    def _variant_position(self, concept: str, variant: str) -> int:
        if concept not in self._variant_of:
            variants = self.concepts[concept].variants  # type: ignore[index]
            self._variant_of[concept] = {v: k for k, v in enumerate(variants)}
        return self._variant_of[concept].get(variant, -1)

    def _pair(self, concept: str, group: str) -> int:
        return self._pairs.setdefault((concept, group), len(self._pairs))

    def tables(
        self, *, mapper: Callable[..., Iterable[Any]] = map
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The outlet profiles and concept shares tables (see `profile_outlets` and
        `concept_shares` for their columns), outlets in sorted order.

        `mapper` computes the outlets' rows, e.g. a process pool's ``map`` to resample outlets
        side by side (with `spill`, a task is a few paths and codes; the rows it returns are
        the same).
        """
        names = sorted(self._outlets)
        done = list(mapper(_outlet_rows, [self] * len(names), names))
        return (
            pd.DataFrame([r for rows, _ in done for r in rows], columns=PROFILE_COLUMNS),
            pd.DataFrame([r for _, rows in done for r in rows], columns=SHARE_COLUMNS),
        )

    def _outlet_rows(self, name: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """One outlet's rows of the profiles and the concept shares tables."""
        categories = sorted(self._categories)
        order = np.array([self._categories[c] for c in categories], dtype=np.int64)
        # Output column k (category k // 3 in sorted order, voice slot k % 3) is coded column:
        rate_columns = (3 * order[:, None] + np.arange(3)).ravel()
        rate_keys = [(c, v) for c in categories for v in ("own", "quoted", "all")]
        pair_names = list(self._pairs)
        state = self._outlets[name]
        pairs = sorted(
            (pair_names[p] for p in state.pairs if self.concepts[pair_names[p][0]].variants),  # type: ignore[index]
            key=_voice_order,
        )
        sizes = [len(self.concepts[c].variants) for c, _ in pairs]  # type: ignore[index]
        first_column = dict(zip(pairs, np.cumsum([0, *sizes])[:-1].tolist(), strict=True))
        # Coded (pair, variant) -> column of this outlet's concept matrix.
        pair_start = np.full(len(pair_names) + 1, -1, dtype=np.int64)
        for pair, column in first_column.items():
            pair_start[self._pairs[pair]] = column
        n_columns = int(sum(sizes))
        sums = self._resample(name, state, 3 * len(self._categories), pair_start, n_columns)
        profile_rows = self._profile_rows(name, state, sums, rate_columns, rate_keys)
        return profile_rows, self._share_rows(name, sums, pairs, sizes) if pairs else []

    def _resample(
        self, name: str, state: _Outlet, n_rates: int, pair_start: np.ndarray, n_columns: int
    ) -> dict[str, np.ndarray]:
        """One outlet's sums, plain and over resamples (K x n_boot), block by block."""
        n_boot = self.n_boot
        out = {
            "tokens": np.zeros(n_boot),
            "rates": np.zeros((n_rates, n_boot)),
            "concepts": np.zeros((n_columns, n_boot)),
            "count": np.zeros(n_rates),
            "weight": np.zeros(n_rates),
            "variant_count": np.zeros(n_columns),
            "mentioning": np.zeros(n_columns),
        }
        blocks = resample_blocks(state.n, n_boot, outlet_rng(self.seed, name))
        weights, block_start = np.zeros((0, n_boot)), 0
        for part in state.parts():
            end = part.start + len(part.tokens)
            rates, concepts = part.rates, part.concepts
            if rates:
                np.add.at(out["count"], rates["column"], rates["count"])
                np.add.at(out["weight"], rates["column"], rates["weight"])
            if concepts:
                column = pair_start[concepts["pair"]] + concepts["variant"]
                np.add.at(out["variant_count"], column, concepts["count"])
                # Articles mentioning a pair, counted at the pair's first column.
                mentions = np.unique(
                    np.stack([concepts["article"], pair_start[concepts["pair"]]]), axis=1
                )[1]
                np.add.at(out["mentioning"], mentions, 1)
            at = part.start
            while at < end:  # the part's articles, block by block
                if at >= block_start + len(weights):
                    block_start += len(weights)
                    weights = next(blocks)
                upto = min(end, block_start + len(weights))
                w = weights[at - block_start : upto - block_start]
                out["tokens"] += part.tokens[at - part.start : upto - part.start] @ w
                if rates:
                    out["rates"] += _block(rates, rates["column"], n_rates, at, upto) @ w
                if concepts:
                    out["concepts"] += _block(concepts, column, n_columns, at, upto) @ w
                at = upto
        return out

    def _profile_rows(
        self,
        name: str,
        state: _Outlet,
        sums: dict[str, np.ndarray],
        columns: np.ndarray,
        keys: list[tuple[str, str]],
    ) -> list[tuple[Any, ...]]:
        with np.errstate(all="ignore"):
            rate = 1000 * sums["count"][columns] / state.tokens
            boot = 1000 * sums["rates"][columns].T / sums["tokens"][:, None]
        low, high = percentile_interval(boot, self.ci)
        warning = warning_for(state.n, int(state.tokens))
        return [
            (
                name,
                category,
                voice,
                state.n,
                int(sums["count"][c]),
                int(sums["weight"][c]),
                int(state.tokens),
                rate[k],
                low[k],
                high[k],
                warning,
            )
            for k, ((category, voice), c) in enumerate(zip(keys, columns, strict=True))
        ]

    def _share_rows(
        self, name: str, sums: dict[str, np.ndarray], pairs: list[tuple[str, str]], sizes: list[int]
    ) -> list[tuple[Any, ...]]:
        boot = sums["concepts"].T
        starts = np.cumsum([0, *sizes[:-1]])
        # Every pair's shares in each resample at once (exact: the sums are whole numbers).
        with np.errstate(all="ignore"):
            mentions = np.repeat(np.add.reduceat(boot, starts, axis=1), sizes, axis=1)
            low, high = percentile_interval(boot / mentions, self.ci)
        counts = sums["variant_count"]
        rows = []
        for j, (concept_id, voice) in enumerate(pairs):
            block = slice(starts[j], starts[j] + sizes[j])
            total = counts[block].sum()
            for k, variant in enumerate(self.concepts[concept_id].variants, start=starts[j]):  # type: ignore[index]
                rows.append(
                    (
                        name,
                        concept_id,
                        voice,
                        variant,
                        int(counts[k]),
                        int(total),
                        counts[k] / total if total else np.nan,
                        low[k],
                        high[k],
                        int(sums["mentioning"][starts[j]]),
                    )
                )
        return rows


def _block(
    rows: dict[str, np.ndarray], column: np.ndarray, size: int, start: int, stop: int
) -> Any:
    """The counts of the outlet's articles start..stop-1 as a (size x articles) CSR matrix."""
    from scipy.sparse import coo_array

    inside = (rows["article"] >= start) & (rows["article"] < stop)
    where = (column[inside], rows["article"][inside] - start)
    return coo_array((rows["count"][inside], where), shape=(size, stop - start)).tocsr()


def _outlet_rows(
    profiles: OutletProfiles, name: str
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return profiles._outlet_rows(name)  # a module function: process pools pickle it by name


PROFILE_COLUMNS = [
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
]
SHARE_COLUMNS = [
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
]


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
    profiles = OutletProfiles(seed=seed, n_boot=n_boot, ci=ci)
    profiles.add(ok_articles(articles), article_profiles=article_profiles)
    return profiles.tables()[0]


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
        every outlet, concept its analysed articles mention at least once and voice group
        (``own``, ``quoted``, ``all``, as in `voice_groups`); ``total`` is the denominator,
        ``n_articles`` the number of the outlet's articles that mention the concept in that voice.
    """
    shares = OutletProfiles(concepts, seed=seed, n_boot=n_boot, ci=ci)
    shares.add(ok_articles(articles), concept_counts=concept_counts)
    return shares.tables()[1]


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
