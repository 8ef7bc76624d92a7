"""The report: comparisons, figures and a self-contained index.html in an analyze folder."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from framing.compare import REST, compare_all, entry_log_odds
from framing.lexicon import Lexicon
from framing.syndication import counted_articles

__all__ = ["write_report"]

_MAX_PANELS = 6  # categories and concepts shown as figures; the CSVs hold all of them
_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border-bottom: 1px solid #e5e5e5; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.warning { background: #fff4e5; border-left: 4px solid #e69f00; padding: 0.5em 1em; }
.method { background: #f6f8fa; padding: 0.8em 1.2em; }
code { background: #f0f0f0; padding: 0 0.2em; }
"""


def _figure_html(fig: Any, caption: str, path: Path) -> str:
    """Save a figure as PNG beside the report and embed the same bytes in the page."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = buffer.getvalue()
    path.write_bytes(data)
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{encoded}">'
        f"<figcaption>{html.escape(caption)} (<code>{html.escape(path.name)}</code>)"
        "</figcaption></figure>"
    )


def _table_html(frame: pd.DataFrame, digits: int = 2) -> str:
    return frame.to_html(index=False, escape=True, float_format=lambda x: f"{x:.{digits}f}",
                         na_rep="–", border=0)  # fmt: skip


def write_report(
    folder: str | Path,
    *,
    lexicon: Lexicon,
    seed: int = 0,
    n_boot: int = 2000,
    n_perm: int = 2000,
) -> Path:
    """Write comparison tables, PNG figures and ``index.html`` into an `analyze` output folder.

    The page embeds its figures and styles, so it opens without a network; the comparison
    (`framing.compare.compare_all`, every outlet against the rest) and per-entry log-odds
    (`framing.compare.entry_log_odds`) are written as CSV beside it.

    Parameters
    ----------
    folder
        A folder written by `framing.analyze` (CSV format).
    lexicon
        The lexicon the analysis used (for the entries' explanations and concepts).
    seed, n_boot, n_perm
        Seed, bootstrap resamples and permutations of the comparisons.

    Returns
    -------
    pathlib.Path
        The path of ``index.html``.
    """
    import matplotlib

    matplotlib.use("Agg")  # the report only writes files; no display is needed or wanted
    import matplotlib.pyplot as plt

    from framing import plot

    out = Path(folder)
    figures = out / "figures"
    figures.mkdir(exist_ok=True)

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(out / f"{name}.csv", keep_default_na=False,
                           dtype={"article_id": str, "outlet": str, "date": str})  # fmt: skip

    articles, profiles = read("articles"), read("article_profiles")
    outlets, shares, hits = read("outlet_profiles"), read("concept_shares"), read("matches")
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    skipped = int((articles["status"] != "ok").sum())
    articles = counted_articles(articles, run)  # as the profiles counted them
    for frame in (outlets, shares):
        for column in ("rate_per_1k", "ci_low", "ci_high", "share"):
            if column in frame:
                frame[column] = pd.to_numeric(frame[column], errors="coerce")

    comparison = compare_all(profiles, articles, seed=seed, n_boot=n_boot, n_perm=n_perm)
    comparison.to_csv(out / "comparison.csv", index=False, float_format="%.6g", lineterminator="\n")
    names = sorted(set(articles.loc[articles["status"] == "ok", "outlet"]))
    odds = {name: entry_log_odds(hits, articles, name) for name in names} if len(names) > 1 else {}
    if odds:
        pd.concat([t.assign(a=n, b=REST) for n, t in odds.items()]).to_csv(
            out / "log_odds.csv", index=False, float_format="%.6g", lineterminator="\n"
        )

    sections: list[str] = []
    # Categories and concepts with the most hits get figures.
    own = outlets[outlets["voice"] == "own"]
    totals = own.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable")
    top_categories = totals[totals > 0].index[:_MAX_PANELS].tolist()
    parts = ["<h2>Rates by outlet and category</h2>"]
    for voice, label in (("own", "the outlet's own voice"), ("quoted", "quoted voice")):
        fig, ax = plt.subplots(figsize=(11, 1.2 + 0.6 * len(names)))
        plot.plot_rate_heatmap(outlets, voice=voice, ax=ax)
        parts.append(
            _figure_html(fig, f"Hits per 1,000 tokens in {label}", figures / f"heatmap_{voice}.png")
        )
    for category in top_categories:
        fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * len(names)))
        plot.plot_rate_intervals(outlets, category=category, voice="own", ax=ax)
        parts.append(_figure_html(fig, f"{category}: own-voice rate with 95% interval",
                                  figures / f"intervals_{category}.png"))  # fmt: skip
    sections.append("".join(parts))

    table = comparison[(comparison["count_a"] + comparison["count_b"]) > 0]
    table = table[["a", "category", "count_a", "rate_a", "rate_b", "ratio", "ratio_low",
                   "ratio_high", "p_adjusted", "warning"]].copy()  # fmt: skip
    table["p_adjusted"] = table["p_adjusted"].map(lambda p: f"{p:.2g}")  # 0.004, not 0.00
    sections.append(
        "<h2>Each outlet against all the others</h2>"
        "<p>Own voice. <code>rate_a</code>: the outlet; <code>rate_b</code>: all other outlets "
        "pooled; ratio with 95% bootstrap interval; p-values from a permutation test, adjusted "
        "for the number of categories (Benjamini–Hochberg). All rows: "
        "<code>comparison.csv</code>.</p>" + _table_html(table)
    )

    if not shares.empty:
        concept_totals = shares[shares["voice"] == "all"].drop_duplicates(["outlet", "concept"])
        ranking = concept_totals.groupby("concept")["total"].sum().sort_values(ascending=False)
        parts = ["<h2>Competing names</h2><p>Share of each wording among all mentions of a "
                 "concept, per outlet, with the denominator.</p>"]  # fmt: skip
        for concept in ranking.index[:_MAX_PANELS]:
            fig, ax = plt.subplots(figsize=(8, 1.2 + 0.5 * len(names)))
            plot.plot_concept_shares(shares, concept=concept, voice="all", ax=ax)
            description = (
                lexicon.concepts[concept].description if concept in lexicon.concepts else ""
            )
            parts.append(
                _figure_html(fig, f"{concept}: {description}", figures / f"shares_{concept}.png")
            )
        sections.append("".join(parts))

    if odds:
        parts = ["<h2>Which entries set each outlet apart</h2><p>Log-odds ratio with an "
                 "informative Dirichlet prior (Monroe, Colaresi &amp; Quinn 2008): z-score against "
                 "frequency; |z| &gt; 1.96 is marked.</p>"]  # fmt: skip
        for name, table_odds in odds.items():
            fig, ax = plt.subplots(figsize=(9, 6))
            plot.plot_fightin_words(table_odds, label_a=name, label_b="all others", ax=ax)
            slug = "".join(c if c.isalnum() else "-" for c in name.lower())
            parts.append(
                _figure_html(
                    fig, f"{name} against all other outlets", figures / f"words_{slug}.png"
                )
            )
        sections.append("".join(parts))

    dated = pd.to_datetime(articles["date"], errors="coerce", format="mixed")
    if top_categories and dated.notna().sum() >= 2 * max(len(names), 1):
        fig, ax = plt.subplots(figsize=(9, 4))
        plot.plot_rates_over_time(
            profiles, articles, category=top_categories[0], voice="own", ax=ax
        )
        caption = f"{top_categories[0]}: own-voice rate per month"
        sections.append(
            "<h2>Over time</h2>" + _figure_html(fig, caption, figures / "over_time.png")
        )

    warnings = sorted(
        {f"{o}: {w}" for o, w in zip(outlets["outlet"], outlets["warning"], strict=True) if w}
    )
    lexicons = "".join(
        f"<li><code>{html.escape(str(x['name']))}</code> {html.escape(str(x['version']))}: "
        f"{x['entries']} entries (sha256 {html.escape(str(x['sha256'])[:12])}…)</li>"
        for x in run["lexicons"]
    )
    method = f"""
<h2>Method</h2><div class="method">
<p><b>Token</b>: a spaCy token that is neither punctuation nor whitespace. <b>Rate</b>: hits per
1,000 tokens. <b>Outlet rate</b>: pooled, 1000 × Σ count / Σ tokens over the outlet's analysed
articles (not a mean of article rates).</p>
<p><b>Intervals</b>: 95% percentile bootstrap over articles, {run["n_boot"]} resamples, seed
{run["seed"]} (Efron &amp; Tibshirani 1993). <b>Comparisons</b>: difference and ratio of pooled
rates, each outlet's articles resampled independently; two-sided permutation test of outlet labels,
p = (1 + #extreme) / (1 + permutations) (Phipson &amp; Smyth 2010), adjusted across categories
(Benjamini &amp; Hochberg 1995).</p>
<p><b>Voice</b>: <i>own</i> = the outlet's narration plus its scare quotes and "so-called";
<i>quoted</i> = direct quotes and attributed fragments. <b>Matching</b>: overlap policy
<code>{html.escape(run["overlap_policy"])}</code>;
pipeline <code>{html.escape(run["pipeline"])}</code>;
framing {html.escape(run["framing"])}, spaCy {html.escape(run["spacy"])}.</p>
<p><b>Syndication</b>: {html.escape((run.get("syndication") or {}).get("note", "not recorded"))}
</p>
<p><b>Lexicons</b>:</p><ul>{lexicons}</ul></div>"""
    warning_html = (
        '<div class="warning"><b>Small samples</b> (fewer than 10 articles or 5,000 tokens): '
        + "; ".join(html.escape(w) for w in warnings) + "</div>"
        if warnings else ""
    )  # fmt: skip
    summary = (
        f"<p>{run['records']} records: {run['analysed']} analysed, {skipped} skipped "
        f"(see <code>articles.csv</code>); {run['hits']} hits; outlets: "
        f"{html.escape(', '.join(names))}.</p>"
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>framing report</title><style>{_CSS}</style></head><body>"
        "<h1>Loaded language and framing by outlet</h1>"
        f"{summary}{warning_html}{''.join(sections)}{method}</body></html>\n"
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
