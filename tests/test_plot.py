"""Plots: each draws what its table says, on the Axes it was given, readably."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.text import Text

import framing
from framing.plot import (
    plot_concept_shares,
    plot_fightin_words,
    plot_rate_heatmap,
    plot_rate_intervals,
    plot_rates_over_time,
)

Tables = dict[str, pd.DataFrame]


@pytest.fixture(scope="module")
def tables() -> Tables:
    """Every input table, from the public API run on the bundled sample corpus."""
    corpus = framing.read_corpus(framing.sample_corpus_path())
    matches = framing.match_corpus(corpus)
    article_profiles = framing.profile_articles(matches)
    return {
        "articles": matches.articles,
        "article_profiles": article_profiles,
        "outlet_profiles": framing.profile_outlets(article_profiles, matches.articles, n_boot=200),
        "concept_shares": framing.concept_shares(
            framing.article_concept_counts(matches),
            matches.articles,
            matches.lexicon.concepts,
            n_boot=200,
        ),
        "log_odds": fightin_words_table(200, seed=0),
    }


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def fightin_words_table(n: int, *, seed: int) -> pd.DataFrame:
    """A realistic per-entry table shaped like framing.compare's: Zipf-like counts, some tilted
    towards one outlet, scored with the log-odds ratio with informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008, eq. 16 and 20; prior: pooled counts scaled to 500)."""
    rng = np.random.default_rng(seed)
    base = rng.zipf(1.7, n).clip(1, 300).astype(float)
    tilt = rng.normal(0.0, 0.7, n)
    count_a = rng.poisson(base * np.exp(tilt / 2))
    count_b = rng.poisson(base * np.exp(-tilt / 2))
    pooled = count_a + count_b + 0.01
    alpha = 500 * pooled / pooled.sum()
    alpha_0 = alpha.sum()
    n_a, n_b = count_a.sum(), count_b.sum()
    log_odds = np.log((count_a + alpha) / (n_a + alpha_0 - count_a - alpha)) - np.log(
        (count_b + alpha) / (n_b + alpha_0 - count_b - alpha)
    )
    variance = 1 / (count_a + alpha) + 1 / (count_b + alpha)
    stems = ["regime", "liberated", "so-called", "terrorist", "occupiers", "heroic", "junta"]
    return pd.DataFrame(
        {
            "entry_id": [f"{stems[i % len(stems)]}-{i}" for i in range(n)],
            "category": [("legitimacy", "naming", "demonisation")[i % 3] for i in range(n)],
            "count_a": count_a,
            "count_b": count_b,
            "log_odds": log_odds,
            "variance": variance,
            "z": log_odds / np.sqrt(variance),
        },
        index=pd.RangeIndex(100, 100 + n),  # the index is irrelevant
    )


PLOTS: dict[str, Callable[[Tables, Axes | None], Axes]] = {
    "heatmap": lambda t, ax: plot_rate_heatmap(t["outlet_profiles"], ax=ax),
    "intervals": lambda t, ax: plot_rate_intervals(
        t["outlet_profiles"], category="legitimacy", ax=ax
    ),
    "shares": lambda t, ax: plot_concept_shares(
        t["concept_shares"], concept="russian-troops", ax=ax
    ),
    "fightin_words": lambda t, ax: plot_fightin_words(
        t["log_odds"], label_a="Eastern Dispatch", label_b="Free Kyiv Herald", ax=ax
    ),
    "over_time": lambda t, ax: plot_rates_over_time(
        t["article_profiles"], t["articles"], category="legitimacy", ax=ax
    ),
}


def tick_labels(labels: list[Text]) -> list[str]:
    return [label.get_text() for label in labels]


def drawn(ax: Axes) -> Figure:
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    figure.canvas.draw()
    return figure


@pytest.mark.parametrize("name", list(PLOTS))
def test_plot_returns_axes_with_title_and_axis_labels(tables: Tables, name: str) -> None:
    ax = PLOTS[name](tables, None)
    assert isinstance(ax, Axes)
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    drawn(ax)


@pytest.mark.parametrize("name", list(PLOTS))
def test_plot_draws_on_the_given_axes(tables: Tables, name: str) -> None:
    figure, (left, right) = plt.subplots(1, 2, figsize=(14, 5))
    assert PLOTS[name](tables, right) is right
    assert right.get_figure() is figure and right.get_title()
    assert not left.has_data() and not left.get_title()
    assert len(plt.get_fignums()) == 1
    figure.tight_layout()  # our figure: the caller may lay it out
    figure.canvas.draw()


@pytest.mark.parametrize("voice", ["own", "quoted", "all"])
def test_plot_heatmap_annotates_every_cell_with_its_rate(tables: Tables, voice: str) -> None:
    profiles = tables["outlet_profiles"]
    ax = plot_rate_heatmap(profiles, voice=voice)
    outlets = tick_labels(ax.get_yticklabels())
    categories = tick_labels(ax.get_xticklabels())
    assert outlets == sorted(profiles["outlet"].unique())
    assert categories == sorted(profiles["category"].unique())
    assert voice in ax.get_title() or "all voices" in ax.get_title()
    cells = {}
    for text in ax.texts:
        x, y = text.get_position()
        cells[(outlets[int(y)], categories[int(x)])] = text.get_text()
    assert len(ax.texts) == len(cells) == len(outlets) * len(categories)
    expected = profiles[profiles["voice"] == voice].set_index(["outlet", "category"])
    for key, text in cells.items():
        assert text == f"{expected.loc[key, 'rate_per_1k']:.2f}"
    figure = drawn(ax)
    colorbar = [a for a in figure.axes if a is not ax]
    assert len(colorbar) == 1 and "per 1,000 tokens" in colorbar[0].get_ylabel()


def test_plot_heatmap_categories_choose_and_order_columns(tables: Tables) -> None:
    ax = plot_rate_heatmap(tables["outlet_profiles"], categories=["naming", "legitimacy"])
    assert tick_labels(ax.get_xticklabels()) == ["naming", "legitimacy"]
    assert len(ax.texts) == 2 * tables["outlet_profiles"]["outlet"].nunique()
    with pytest.raises(ValueError, match="legitmacy"):
        plot_rate_heatmap(tables["outlet_profiles"], categories=["legitmacy"])


def test_plot_heatmap_marks_small_samples(tables: Tables) -> None:
    profiles = tables["outlet_profiles"].assign(
        warning=lambda f: np.where(f["outlet"] == "Meridian Wire", "fewer than 10 articles", "")
    )
    ax = plot_rate_heatmap(profiles)
    assert "Meridian Wire (small sample)" in tick_labels(ax.get_yticklabels())
    assert "Eastern Dispatch" in tick_labels(ax.get_yticklabels())


@pytest.mark.parametrize("voice", ["own", "quoted"])
def test_plot_rate_intervals_lines_span_the_bootstrap_interval(tables: Tables, voice: str) -> None:
    profiles = tables["outlet_profiles"]
    ax = plot_rate_intervals(profiles, category="demonisation", voice=voice)
    assert ax.get_xlabel() == "hits per 1,000 tokens (95% bootstrap CI)"
    outlets = tick_labels(ax.get_yticklabels())
    expected = profiles[(profiles["voice"] == voice) & (profiles["category"] == "demonisation")]
    expected = expected.set_index("outlet")
    (lines,) = [c for c in ax.collections if c.get_gid() == "ci"]
    assert isinstance(lines, LineCollection)
    segments = lines.get_segments()
    assert len(segments) == len(outlets) == len(expected)
    for (x0, y0), (x1, y1) in segments:
        outlet = outlets[int(y0)]
        assert y0 == y1
        assert (x0, x1) == pytest.approx(
            (expected.loc[outlet, "ci_low"], expected.loc[outlet, "ci_high"])
        )
    dots = {
        outlets[int(y)]: x for line in ax.get_lines() for x, y in zip(*line.get_data(), strict=True)
    }
    assert dots == pytest.approx(expected["rate_per_1k"].to_dict())
    # Highest rate on top.
    assert list(expected.loc[outlets, "rate_per_1k"]) == sorted(expected["rate_per_1k"])


def test_plot_rate_intervals_draws_small_samples_hollow_and_says_why(tables: Tables) -> None:
    profiles = tables["outlet_profiles"].copy()
    profiles["warning"] = np.where(
        profiles["outlet"] == "Meridian Wire", "fewer than 10 articles", ""
    )
    ax = plot_rate_intervals(profiles, category="legitimacy")
    outlets = tick_labels(ax.get_yticklabels())
    hollow = [line for line in ax.get_lines() if line.get_markerfacecolor() == "white"]
    assert [outlets[int(y)] for line in hollow for y in line.get_ydata()] == ["Meridian Wire"]
    filled = [line for line in ax.get_lines() if line not in hollow]
    assert "Meridian Wire" not in [outlets[int(y)] for line in filled for y in line.get_ydata()]
    legend = ax.get_legend()
    assert legend is not None
    assert "small sample: fewer than 10 articles" in tick_labels(legend.get_texts())


def test_plot_rate_intervals_without_warnings_needs_no_legend(tables: Tables) -> None:
    ax = plot_rate_intervals(tables["outlet_profiles"], category="legitimacy")
    assert ax.get_legend() is None


@pytest.mark.parametrize(
    ("concept", "voice"),
    [("russian-troops", "all"), ("ukraine-capital", "own"), ("war-name", "all")],
)
def test_plot_concept_shares_stack_to_one_per_outlet(
    tables: Tables, concept: str, voice: str
) -> None:
    shares = tables["concept_shares"]
    rows = shares[(shares["concept"] == concept) & (shares["voice"] == voice)]
    ax = plot_concept_shares(shares, concept=concept, voice=voice)
    labels = tick_labels(ax.get_yticklabels())
    outlets = [label.split("\n")[0] for label in labels]
    assert outlets == sorted(rows["outlet"].unique())
    assert len(ax.containers) == rows["variant"].nunique()
    widths = np.array([[bar.get_width() for bar in bars] for bars in ax.containers])
    assert widths.sum(axis=0) == pytest.approx(np.ones(len(outlets)))
    totals = rows.groupby("outlet")["total"].first()
    for outlet, label in zip(outlets, labels, strict=True):
        assert f"n = {totals[outlet]:,} mention" in label
    first = rows[rows["variant"] == rows["variant"].iloc[0]].set_index("outlet")
    (whiskers,) = [c for c in ax.collections if c.get_gid() == "ci"]
    assert isinstance(whiskers, LineCollection)
    for (x0, y0), (x1, _) in whiskers.get_segments():
        outlet = outlets[int(y0)]
        assert (x0, x1) == pytest.approx(
            (first.loc[outlet, "ci_low"], first.loc[outlet, "ci_high"])
        )
    drawn(ax)


def label_boxes(ax: Axes) -> list[Any]:
    return [
        Text.get_window_extent(t) for t in ax.texts if t.get_gid() == "label" and t.get_visible()
    ]


def assert_apart(boxes: list[Any]) -> None:
    for one, other in combinations(boxes, 2):
        assert not one.overlaps(other), (one, other)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_plot_fightin_words_labels_do_not_overlap(seed: int) -> None:
    table = fightin_words_table(200, seed=seed)
    ax = plot_fightin_words(table, label_a="Eastern Dispatch", label_b="Free Kyiv Herald")
    figure = drawn(ax)
    boxes = label_boxes(ax)
    assert len(boxes) == 15
    assert_apart(boxes)
    frame = ax.get_window_extent()
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1
    # Placement happens at draw time, so labels stay apart when the figure changes size.
    figure.set_size_inches(5, 3.5)
    figure.canvas.draw()
    assert_apart(label_boxes(ax))


def test_plot_fightin_words_labels_stay_apart_on_a_caller_figure() -> None:
    figure, ax = plt.subplots(figsize=(6, 4))
    plot_fightin_words(
        fightin_words_table(200, seed=5), label_a="A", label_b="B", n_labels=30, ax=ax
    )
    figure.tight_layout()
    figure.canvas.draw()
    boxes = label_boxes(ax)
    assert len(boxes) >= 20
    assert_apart(boxes)


def test_plot_fightin_words_points_and_labels_follow_the_table() -> None:
    table = fightin_words_table(200, seed=0)
    ax = plot_fightin_words(table, label_a="A", label_b="B", n_labels=10)
    drawn(ax)
    more_a, more_b = ax.collections[:2]
    used = table[table["count_a"] + table["count_b"] > 0]
    points = np.concatenate([more_a.get_offsets(), more_b.get_offsets()])
    expected = np.column_stack([np.log10(used["count_a"] + used["count_b"]), used["z"]])
    np.testing.assert_allclose(points[np.lexsort(points.T)], expected[np.lexsort(expected.T)])
    assert (more_a.get_offsets()[:, 1] > 0).all() and (more_b.get_offsets()[:, 1] <= 0).all()
    assert not np.allclose(more_a.get_facecolors()[0, :3], more_b.get_facecolors()[0, :3])
    top = used.loc[used["z"].abs().nlargest(10).index, "entry_id"]
    assert sorted(t.get_text() for t in ax.texts if t.get_gid() == "label") == sorted(top)
    assert sorted(line.get_ydata()[0] for line in ax.get_lines()) == [-1.96, 1.96]
    assert all(line.get_linestyle() == "--" for line in ax.get_lines())
    notes = [t.get_text() for t in ax.texts if t.get_gid() != "label"]
    assert "↑ more in A" in notes and "↓ more in B" in notes


def test_plot_fightin_words_without_entries_draws_empty_axes() -> None:
    empty = fightin_words_table(5, seed=0).iloc[:0]
    ax = plot_fightin_words(empty, label_a="A", label_b="B")
    drawn(ax)
    assert not [t for t in ax.texts if t.get_gid() == "label"]


@pytest.mark.parametrize(
    ("voice", "raw_voices"),
    [
        ("own", {"narrator", "scare"}),
        ("quoted", {"quoted", "partial"}),
        ("all", {"narrator", "scare", "quoted", "partial"}),
    ],
)
def test_plot_rates_over_time_is_the_pooled_rate_per_month(
    tables: Tables, voice: str, raw_voices: set[str]
) -> None:
    articles, profiles = tables["articles"], tables["article_profiles"]
    ax = plot_rates_over_time(profiles, articles, category="legitimacy", voice=voice)
    # Hand-computed: Eastern Dispatch, April 2025 (hits in both voices).
    april = articles[
        (articles["outlet"] == "Eastern Dispatch")
        & (articles["status"] == "ok")
        & articles["date"].str.startswith("2025-04")
    ]
    hits = profiles[
        profiles["article_id"].isin(april["article_id"])
        & (profiles["category"] == "legitimacy")
        & profiles["voice"].isin(raw_voices)
    ]
    assert len(april) > 1 and hits["count"].sum() > 0
    expected = 1000 * hits["count"].sum() / april["n_tokens"].sum()
    (line,) = [line for line in ax.get_lines() if line.get_label() == "Eastern Dispatch"]
    months = pd.to_datetime(np.asarray(line.get_xdata()))
    rates = np.asarray(line.get_ydata(), dtype=float)
    assert rates[months == pd.Timestamp("2025-04-01")] == pytest.approx([expected])
    assert len(ax.get_lines()) == articles["outlet"].nunique()


@pytest.mark.parametrize("dates", [None, "", "sometime"])
def test_plot_rates_over_time_without_dates_names_the_column(
    tables: Tables, dates: str | None
) -> None:
    articles = tables["articles"]
    articles = articles.drop(columns="date") if dates is None else articles.assign(date=dates)
    with pytest.raises(ValueError, match="'date'"):
        plot_rates_over_time(tables["article_profiles"], articles, category="legitimacy")


@pytest.mark.parametrize(
    "call",
    [
        lambda t: plot_rate_heatmap(t["outlet_profiles"], voice="narrator"),
        lambda t: plot_rate_intervals(t["outlet_profiles"], category="legitmacy"),
        lambda t: plot_concept_shares(t["concept_shares"], concept="no-such-concept"),
        lambda t: plot_rates_over_time(t["article_profiles"], t["articles"], category="nope"),
        lambda t: plot_fightin_words(t["log_odds"].drop(columns="z"), label_a="A", label_b="B"),
    ],
)
def test_plot_bad_arguments_raise_value_error(
    tables: Tables, call: Callable[[Tables], Axes]
) -> None:
    with pytest.raises(ValueError):
        call(tables)
