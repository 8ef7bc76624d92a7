"""Matplotlib figures of profiles, shares and comparisons; each takes ``ax`` and returns it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.artist import Artist

from framing.profile import rates_over_time

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.text import Annotation, Text

__all__ = [
    "OKABE_ITO",
    "plot_concept_shares",
    "plot_fightin_words",
    "plot_rate_heatmap",
    "plot_rate_intervals",
    "plot_rates_over_time",
]

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Blue and vermillion first: the pair that stays apart best, used for two-way contrasts.
OKABE_ITO = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
VOICES = ("own", "quoted", "all")
VOICE_TITLES = {
    "own": "own voice (narrator + scare quotes)",
    "quoted": "quoted voice (direct + partial quotes)",
    "all": "all voices",
}
RATE_LABEL = "hits per 1,000 tokens"
_PERIOD_NAMES = {
    "D": "day",
    "W": "week",
    "MS": "month",
    "ME": "month",
    "QS": "quarter",
    "QE": "quarter",
    "YS": "year",
    "YE": "year",
}


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"got {', '.join(repr(str(c)) for c in frame.columns)}"
        )


def _check_voice(voice: str) -> None:
    if voice not in VOICES:
        raise ValueError(f"voice: expected one of {', '.join(VOICES)}, got {voice!r}")


def _select(frame: pd.DataFrame, column: str, value: str, name: str) -> pd.DataFrame:
    """Rows where ``column == value``; a ValueError listing the values there are otherwise."""
    rows = frame[frame[column] == value]
    if rows.empty:
        known = sorted(str(v) for v in frame[column].unique())
        raise ValueError(f"{name}: no rows with {column} {value!r}; known: {', '.join(known)}")
    return rows


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    # Constrained layout makes room for long outlet names, colorbars and outside legends.
    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _has_warning(warnings: pd.Series) -> pd.Series:
    """True where a ``warning`` cell says something (tables read from CSV may hold NaN for "")."""
    return warnings.fillna("").astype(str).str.strip() != ""


def _outlet_label(outlet: str, warning: bool) -> str:
    return f"{outlet} (small sample)" if warning else outlet


def plot_rate_heatmap(
    outlet_profiles: pd.DataFrame,
    *,
    voice: str = "own",
    categories: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of pooled rates, outlets by categories, each cell annotated with its rate.

    Colour and number are the outlet's rate (hits per 1,000 tokens, pooled over its articles)
    in one voice group; the colour scale (cividis, readable with colour-vision deficiencies and
    in greyscale) runs from 0 to the largest rate shown, so two heatmaps drawn separately do not
    share a scale. Outlets whose profile carries a small-sample ``warning`` are marked so.

    Parameters
    ----------
    outlet_profiles
        Output of `framing.profile_outlets` (``outlet, category, voice, rate_per_1k``, and
        ``warning`` if present).
    voice
        ``"own"`` (narrator + scare quotes), ``"quoted"`` (direct + partial quotes) or ``"all"``.
    categories
        Categories to show, in this order; default every category in the table, sorted.
    ax
        Axes to draw on; default a new figure sized to the table.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; its figure also holds the colorbar.
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    _require(outlet_profiles, ["outlet", "category", "voice", "rate_per_1k"], "outlet_profiles")
    _check_voice(voice)
    rows = _select(outlet_profiles, "voice", voice, "outlet_profiles")
    if categories is None:
        columns = sorted(str(c) for c in rows["category"].unique())
    else:
        columns = list(categories)
        unknown = sorted(set(columns) - set(rows["category"]))
        if unknown:
            raise ValueError(
                f"categories: not in outlet_profiles: {', '.join(unknown)}; known: "
                f"{', '.join(sorted(str(c) for c in rows['category'].unique()))}"
            )
    outlets = sorted(str(o) for o in rows["outlet"].unique())
    grid = rows.pivot_table(
        index="outlet", columns="category", values="rate_per_1k", aggfunc="first", dropna=False
    ).reindex(index=outlets, columns=columns)
    values = grid.to_numpy(dtype=np.float64)
    warned = set()
    if "warning" in rows:
        warned = set(rows.loc[_has_warning(rows["warning"]), "outlet"].astype(str))

    ax = _axes(ax, (max(6.0, 0.62 * len(columns) + 3.5), max(2.8, 0.5 * len(outlets) + 2.0)))
    cmap = colormaps["cividis"].with_extremes(bad="0.85")
    finite = values[np.isfinite(values)]
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    norm = Normalize(vmin=0.0, vmax=vmax)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    for i, j in np.ndindex(values.shape):
        value = values[i, j]
        if np.isfinite(value):
            r, g, b, _ = cmap(norm(value))
            # Dark text on the light end of the scale, white on the dark end (relative luminance).
            colour = "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"
            text = f"{value:.2f}"
        else:
            colour, text = "0.3", "n/a"
        ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(columns)), columns, rotation=40, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(outlets)), [_outlet_label(o, o in warned) for o in outlets])
    # White gaps between cells instead of a frame.
    ax.set_xticks(np.arange(len(columns) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(outlets) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("category")
    ax.set_ylabel("outlet")
    ax.set_title(f"Loaded language by outlet and category\n{VOICE_TITLES[voice]}")
    figure = ax.get_figure()
    if figure is not None:
        figure.colorbar(image, ax=ax, label=f"{RATE_LABEL} (pooled over articles)", shrink=0.9)
    return ax


def plot_rate_intervals(
    outlet_profiles: pd.DataFrame,
    *,
    category: str,
    voice: str = "own",
    ax: Axes | None = None,
) -> Axes:
    """Dot-and-interval plot of one category's rate across outlets.

    The dot is the pooled rate (hits per 1,000 tokens); the line its 95 % percentile-bootstrap
    interval over articles (``ci_low``, ``ci_high`` from `framing.profile_outlets`). Outlets are
    sorted by rate, highest at the top. Outlets with a small-sample ``warning`` are drawn hollow
    and the warning is spelled out in the legend.

    Parameters
    ----------
    outlet_profiles
        Output of `framing.profile_outlets`.
    category
        The category to show (as in the table's ``category`` column).
    voice
        ``"own"``, ``"quoted"`` or ``"all"``.
    ax
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Its interval lines are the LineCollection with gid ``"ci"``.
    """
    from matplotlib.lines import Line2D

    _require(
        outlet_profiles,
        ["outlet", "category", "voice", "rate_per_1k", "ci_low", "ci_high"],
        "outlet_profiles",
    )
    _check_voice(voice)
    rows = _select(outlet_profiles, "voice", voice, "outlet_profiles")
    rows = _select(rows, "category", category, "outlet_profiles")
    rows = rows.sort_values(["rate_per_1k", "outlet"], ascending=[True, False], kind="stable")
    warned = (
        _has_warning(rows["warning"]).to_numpy()
        if "warning" in rows
        else np.zeros(len(rows), dtype=bool)
    )
    y = np.arange(len(rows))
    rate = rows["rate_per_1k"].to_numpy(dtype=np.float64)

    ax = _axes(ax, (7.0, max(2.5, 0.45 * len(rows) + 1.6)))
    colour = OKABE_ITO[0]
    lines = ax.hlines(
        y, rows["ci_low"].to_numpy(dtype=np.float64), rows["ci_high"], color=colour, linewidth=2
    )
    lines.set_gid("ci")
    # Not clipped: a rate of 0 sits on the left edge and must show whole.
    lines.set_clip_on(False)
    ax.plot(rate[~warned], y[~warned], "o", color=colour, markersize=7, zorder=3, clip_on=False)
    ax.plot(
        rate[warned],
        y[warned],
        "o",
        markerfacecolor="white",
        markeredgecolor=colour,
        markeredgewidth=1.5,
        markersize=7,
        zorder=3,
        clip_on=False,
    )
    ax.set_yticks(y, rows["outlet"].astype(str).tolist())
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(left=0)
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"{RATE_LABEL} (95% bootstrap CI)")
    ax.set_ylabel("outlet")
    ax.set_title(f"{category}: rate per outlet\n{VOICE_TITLES[voice]}")
    if warned.any():
        handles = [
            Line2D([], [], marker="o", color=colour, markersize=7, label="rate, 95% CI"),
            *(
                Line2D(
                    [],
                    [],
                    marker="o",
                    color=colour,
                    markerfacecolor="white",
                    markersize=7,
                    label=f"small sample: {text}",
                )
                for text in dict.fromkeys(rows.loc[warned, "warning"].astype(str).str.strip())
            ),
        ]
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0,
            frameon=False,
        )
    return ax


def plot_concept_shares(
    concept_shares: pd.DataFrame,
    *,
    concept: str,
    voice: str = "all",
    ax: Axes | None = None,
) -> Axes:
    """Stacked horizontal bars: how each outlet divides its mentions of a concept among variants.

    Each bar sums to 1 (the outlet's mentions of the concept in that voice group); its label
    gives the denominator. Whiskers show the 95 % percentile-bootstrap interval of the first
    variant's share, which is where the first segment ends.

    Parameters
    ----------
    concept_shares
        Output of `framing.concept_shares` (``outlet, concept, voice, variant, total, share,
        ci_low, ci_high``); variants are drawn in the table's (lexicon) order.
    concept
        The concept id.
    voice
        ``"own"``, ``"quoted"`` or ``"all"``.
    ax
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; ``ax.containers`` holds one bar container per variant.
    """
    _require(
        concept_shares,
        ["outlet", "concept", "voice", "variant", "total", "share", "ci_low", "ci_high"],
        "concept_shares",
    )
    _check_voice(voice)
    rows = _select(concept_shares, "concept", concept, "concept_shares")
    rows = _select(rows, "voice", voice, "concept_shares")
    variants = list(dict.fromkeys(rows["variant"].astype(str)))
    outlets = sorted(str(o) for o in rows["outlet"].unique())
    shares = (
        rows.pivot_table(index="outlet", columns="variant", values="share", aggfunc="first")
        .reindex(index=outlets, columns=variants)
        .fillna(0.0)
    )
    totals = rows.groupby("outlet")["total"].first().reindex(outlets)
    first = rows[rows["variant"] == variants[0]].set_index("outlet").reindex(outlets)
    y = np.arange(len(outlets))

    ax = _axes(ax, (8.0, max(2.5, 0.55 * len(outlets) + 1.8)))
    left = np.zeros(len(outlets))
    handles: list[Any] = []  # bar containers and a line
    for k, variant in enumerate(variants):
        width = shares[variant].to_numpy(dtype=np.float64)
        bars = ax.barh(
            y,
            width,
            left=left,
            height=0.62,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            # Past eight variants colours repeat; hatching keeps the segments apart.
            hatch=("", "//", "..", "xx")[(k // len(OKABE_ITO)) % 4],
            edgecolor="white",
            linewidth=0.8,
            label=variant,
        )
        handles.append(bars)
        left += width
    low = first["ci_low"].to_numpy(dtype=np.float64)
    high = first["ci_high"].to_numpy(dtype=np.float64)
    whiskers = ax.hlines(y, low, high, color="black", linewidth=1.2, zorder=3)
    whiskers.set_gid("ci")
    # Unclipped, so whiskers at 0 % or 100 % show whole.
    whiskers.set_clip_on(False)
    (caps,) = ax.plot(
        np.concatenate([low, high]),
        np.concatenate([y, y]),
        linestyle="none",
        marker="|",
        color="black",
        markersize=8,
        zorder=3,
        clip_on=False,
        label=f"95% bootstrap CI of the\n{variants[0]} share",
    )
    handles.append(caps)
    ax.set_yticks(
        y, [f"{o}\nn = {int(t):,} mention{'s' if t != 1 else ''}" for o, t in totals.items()]
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("share of the outlet's mentions of the concept")
    ax.set_ylabel("outlet (n = mentions)")
    ax.set_title(f"{concept}: which variant each outlet uses\n{VOICE_TITLES[voice]}")
    ax.legend(
        handles=handles,
        title="variant",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0,
        frameon=False,
    )
    return ax


class _LabelPlacer(Artist):
    """Moves annotations, when the figure is drawn, to spots where no two labels overlap.

    Placing at draw time uses the final layout and renderer, so labels stay apart after
    ``tight_layout``, constrained layout, resizing or saving at another dpi. Each label, in
    order, takes the nearest candidate spot (rings of distances and directions around its
    point) that lies inside the axes and clear of labels already placed and of the ``avoid``
    texts, preferring spots that cover fewer data points; a label with no such spot is hidden.
    """

    RADII = (3.0, 7.0, 12.0, 18.0, 26.0, 36.0, 48.0, 62.0, 80.0, 100.0)  # points
    ANGLES = np.deg2rad([0, 180, 45, 135, -45, -135, 90, -90, 22.5, 157.5, -22.5, -157.5])
    PAD = 1.5  # points between labels
    MARKER = 3.0  # points: radius of a data point's marker

    def __init__(
        self, labels: Sequence[Annotation], points: np.ndarray, avoid: Sequence[Text]
    ) -> None:
        super().__init__()
        self._labels = list(labels)
        self._points = points
        self._avoid = list(avoid)
        self.set_in_layout(False)
        self.set_zorder(-10)  # drawn before the labels it moves

    def draw(self, renderer: RendererBase) -> None:
        from matplotlib.text import Text

        axes = self.axes
        if axes is None or not self.get_visible():
            return
        pt = float(np.asarray(renderer.points_to_pixels(1.0)))
        frame = axes.get_window_extent(renderer)
        points = axes.transData.transform(self._points) if len(self._points) else np.empty((0, 2))
        taken = [t.get_window_extent(renderer).extents for t in self._avoid if t.get_visible()]
        pad, marker = self.PAD * pt, self.MARKER * pt
        anchors = np.array([axes.transData.transform(label.xy) for label in self._labels])
        radius = np.repeat(np.asarray(self.RADII) * pt, len(self.ANGLES))
        angle = np.tile(self.ANGLES, len(self.RADII))
        for label in self._labels:
            anchor = axes.transData.transform(label.xy)
            if label.xyann != (0.0, 0.0):
                label.xyann = (0.0, 0.0)
            # The text alone, without its leader line.
            box = Text.get_window_extent(label, renderer)
            w, h = box.width, box.height
            dx = np.cos(angle) * (radius + w / 2)
            dy = np.sin(angle) * (radius + h / 2)
            x0, x1 = anchor[0] + dx - w / 2 - pad, anchor[0] + dx + w / 2 + pad
            y0, y1 = anchor[1] + dy - h / 2 - pad, anchor[1] + dy + h / 2 + pad
            ok = (x0 >= frame.x0) & (x1 <= frame.x1) & (y0 >= frame.y0) & (y1 <= frame.y1)
            for tx0, ty0, tx1, ty1 in taken:
                ok &= (x1 <= tx0) | (tx1 <= x0) | (y1 <= ty0) | (ty1 <= y0)
            if not ok.any():
                if label.get_visible():
                    label.set_visible(False)
                continue
            # Covering a data point costs as much as moving one ring further out; covering a
            # labelled point, whose label would then sit on top of it, costs four.
            cost = np.arange(len(ok), dtype=np.float64) + len(self.ANGLES) * (
                self._covered(points, anchor, (x0, y0, x1, y1), marker)
                + 3 * self._covered(anchors, anchor, (x0, y0, x1, y1), marker)
            )
            cost[~ok] = np.inf
            best = int(np.argmin(cost))
            offset = (float(dx[best] / pt), float(dy[best] / pt))
            # Only touch what changed: an unchanged label must not mark the figure stale again.
            if label.xyann != offset:
                label.xyann = offset
            if not label.get_visible():
                label.set_visible(True)
            taken.append((x0[best], y0[best], x1[best], y1[best]))
        self.stale = False

    @staticmethod
    def _covered(
        points: np.ndarray, anchor: np.ndarray, boxes: tuple[np.ndarray, ...], margin: float
    ) -> np.ndarray:
        """How many of ``points`` (not ``anchor`` itself) each candidate box covers."""
        x0, y0, x1, y1 = (b[:, None] for b in boxes)
        px, py = points[:, 0][None, :], points[:, 1][None, :]
        inside = (px > x0 - margin) & (px < x1 + margin) & (py > y0 - margin) & (py < y1 + margin)
        inside &= ~((px == anchor[0]) & (py == anchor[1]))
        return inside.sum(axis=1)  # type: ignore[no-any-return]


def plot_fightin_words(
    log_odds: pd.DataFrame,
    *,
    label_a: str,
    label_b: str,
    n_labels: int = 15,
    ax: Axes | None = None,
) -> Axes:
    """Fightin' Words plot: lexicon entries by frequency and log-odds z-score (Monroe et al. 2008).

    x is log10 of the entry's total count in both outlets, y the z-score of its log-odds ratio
    with informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, *Political Analysis* 16:372);
    positive z means relatively more frequent in outlet a. Points are coloured by sign (faded
    where |z| < 1.96); dashed lines mark z = ±1.96. The ``n_labels`` entries with the largest |z|
    are labelled, placed at draw time so that no two labels overlap (a label that finds no free
    spot inside the axes is hidden). Entries with no hits in either outlet are not drawn.

    Parameters
    ----------
    log_odds
        Per-entry table with ``entry_id, count_a, count_b, z`` (as from `framing.compare`).
    label_a, label_b
        Names of outlets a and b.
    n_labels
        How many entries to label.
    ax
        Axes to draw on; default a new figure. Its limits are fixed here so labels stay put.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; ``ax.texts`` holds the labels (gid ``"label"``).
    """
    from matplotlib.colors import to_rgba_array
    from matplotlib.transforms import blended_transform_factory

    _require(log_odds, ["entry_id", "count_a", "count_b", "z"], "log_odds")
    total = log_odds["count_a"].to_numpy(dtype=np.float64) + log_odds["count_b"].to_numpy(
        dtype=np.float64
    )
    z_all = log_odds["z"].to_numpy(dtype=np.float64)
    keep = (total > 0) & np.isfinite(z_all)
    ids = log_odds["entry_id"].astype(str).to_numpy()[keep]
    x, z = np.log10(total[keep]), z_all[keep]

    ax = _axes(ax, (8.0, 6.0))
    more_a = z > 0
    significant = np.abs(z) >= 1.96
    colours = {True: OKABE_ITO[0], False: OKABE_ITO[1]}
    for positive in (True, False):
        mask = more_a == positive
        rgba = to_rgba_array([colours[positive]] * int(mask.sum()))
        rgba[:, 3] = np.where(significant[mask], 0.9, 0.3)
        ax.scatter(x[mask], z[mask], s=16, color=rgba, linewidths=0, zorder=2)
    for level in (1.96, -1.96):
        ax.axhline(level, color="0.45", linestyle="--", linewidth=0.8, zorder=1)

    span = float(np.ptp(x)) if len(x) else 0.0
    margin = max(0.08 * span, 0.3)
    x_low, x_high = (float(x.min()), float(x.max())) if len(x) else (0.0, 1.0)
    ax.set_xlim(x_low - margin, x_high + margin)
    z_max = max(float(np.abs(z).max()) if len(z) else 0.0, 1.96)
    ax.set_ylim(-1.18 * z_max - 0.4, 1.18 * z_max + 0.4)

    edge = blended_transform_factory(ax.transAxes, ax.transData)
    notes = [
        ax.text(
            0.01,
            0.99,
            f"↑ more in {label_a}",
            transform=ax.transAxes,
            ha="left",
            va="top",
            color=colours[True],
            fontweight="bold",
        ),
        ax.text(
            0.01,
            0.01,
            f"↓ more in {label_b}",
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            color=colours[False],
            fontweight="bold",
        ),
        ax.text(
            0.99,
            1.96,
            "z = ±1.96 (p < 0.05) ",
            transform=edge,
            ha="right",
            va="bottom",
            fontsize=7,
            color="0.35",
        ),
    ]
    for note in notes:
        note.set_in_layout(False)

    order = np.lexsort((ids, -np.abs(z)))[: max(n_labels, 0)]
    labels = []
    for i in order:
        label = ax.annotate(
            ids[i],
            xy=(x[i], z[i]),
            xytext=(0.0, 0.0),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=8,
            color=colours[bool(more_a[i])],
            arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.6, "shrinkB": 3},
            zorder=4,
        )
        label.set_gid("label")
        label.set_in_layout(False)
        labels.append(label)
    ax.add_artist(_LabelPlacer(labels, np.column_stack([x, z]), notes))

    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(f"log₁₀ of total count in {label_a} + {label_b}")
    ax.set_ylabel("z-score of log-odds ratio")
    ax.set_title(f"Lexicon entries used more by {label_a} or by {label_b}")
    if not len(x):
        ax.text(0.5, 0.5, "no entries with hits", transform=ax.transAxes, ha="center")
    return ax


def plot_rates_over_time(
    article_profiles: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    category: str,
    voice: str = "own",
    freq: str = "MS",
    ax: Axes | None = None,
) -> Axes:
    """One line per outlet: a category's pooled rate per period.

    rate = 1000 * sum(count) / sum(n_tokens) over the outlet's analysed articles dated in the
    period (the pooled rate of `framing.profile_outlets`, period by period; no intervals, so
    periods with few articles are noisy). Dates are parsed with `pandas.to_datetime` (mixed
    formats; time zones converted to UTC); articles without a parseable date are left out and
    periods without articles are gaps.

    Parameters
    ----------
    article_profiles
        Output of `framing.profile_articles` (raw voices: ``narrator``, ``scare``, ``quoted``,
        ``partial``), grouped here with `framing.profile.voice_groups`.
    articles
        Articles table with ``article_id, outlet, n_tokens, date`` (and ``status``: only ``ok``
        rows count), e.g. ``articles.csv`` of an analysis or ``Matches.articles``.
    category
        The category to show.
    voice
        ``"own"`` (narrator + scare), ``"quoted"`` (quoted + partial) or ``"all"``.
    freq
        A pandas offset alias for the periods: ``"MS"`` months, ``"W"`` weeks, ``"QS"`` quarters.
    ax
        Axes to draw on; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on; one line per outlet, labelled with the outlet's name.

    Raises
    ------
    ValueError
        If no analysed article has a parseable ``date``, or the category has no hits at all.
    """
    import matplotlib.dates as mdates

    _check_voice(voice)
    _require(article_profiles, ["article_id", "category", "voice", "count"], "article_profiles")
    _require(articles, ["article_id", "outlet", "n_tokens", "date"], "articles")
    rates = rates_over_time(article_profiles, articles, category=category, voice=voice, freq=freq)
    ax = _axes(ax, (8.0, 4.5))
    for k, (outlet, group) in enumerate(rates.groupby("outlet", sort=True)):
        ax.plot(
            group["period"].to_numpy(),
            group["rate_per_1k"].to_numpy(dtype=np.float64),
            marker="o",
            markersize=4,
            linewidth=1.6,
            color=OKABE_ITO[k % len(OKABE_ITO)],
            label=str(outlet),
            clip_on=False,  # a rate of 0 lies on the bottom edge
        )
    # matplotlib.dates ships without type hints for these two.
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="0.9")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    period = _PERIOD_NAMES.get(freq, f"period ({freq})")
    ax.set_xlabel(period if period.startswith("period") else f"{period} (article date)")
    ax.set_ylabel(f"{RATE_LABEL}, pooled per {period.split(' ')[0]}")
    ax.set_title(f"{category} over time\n{VOICE_TITLES[voice]}")
    ax.legend(
        title="outlet", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, frameon=False
    )
    return ax
