"""Teaching and reading views: highlighted articles, keyword-in-context lines, neutral rewrites."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from framing.errors import FramingError
from framing.lexicon import Lexicon
from framing.match import Matches, match_corpus

__all__ = ["KWIC_COLUMNS", "Highlight", "Neutralized", "highlight", "kwic", "neutralize"]

KWIC_COLUMNS = ["article_id", "outlet", "entry_id", "category", "voice", "speaker",
                "left", "hit", "right", "start_char"]  # fmt: skip


def kwic(
    source: Matches | pd.DataFrame | str | Path,
    *,
    corpus: pd.DataFrame | None = None,
    entry: str | None = None,
    category: str | None = None,
    window: int = 60,
    lexicon: Lexicon | None = None,
) -> pd.DataFrame:
    """Keyword-in-context lines for the hits of one entry or category: read before you count.

    Parameters
    ----------
    source
        A `Matches` (with `corpus` for the texts), a corpus DataFrame (matched here with
        `lexicon`), or the folder of a `framing analyze` run (its ``matches.csv`` keeps 80
        characters of context on each side, the most `window` can show from a folder).
    corpus
        The corpus of a `Matches` source (``article_id`` and ``text``).
    entry, category
        Which hits: an entry id, or a category (``legitimacy`` includes ``legitimacy.regime``).
    window
        Characters of context on each side.
    lexicon
        For a corpus source; default the bundled lexicons.

    Returns
    -------
    pandas.DataFrame
        `KWIC_COLUMNS`, sorted by entry, outlet, article and position; sort it as you like.

    Raises
    ------
    FramingError
        Without `entry` or `category`, when both are given, or when nothing matches them.
    """
    if (entry is None) == (category is None):
        raise FramingError("kwic: give exactly one of entry= or category=")
    if isinstance(source, str | Path):
        path = Path(source) / "matches.csv"
        if not path.is_file():
            raise FramingError(f"{path}: not found; run `framing analyze … --out {source}` first")
        hits = pd.read_csv(path, keep_default_na=False, dtype={"article_id": str, "outlet": str})
        if "left" not in hits.columns:
            raise FramingError(f"{path}: no context columns (written by an older framing); "
                               "run `framing analyze` again")  # fmt: skip
        texts = None
    elif isinstance(source, Matches):
        if corpus is None:
            raise FramingError("kwic: a Matches source needs corpus= for the article texts")
        hits, texts = source.hits, corpus
    else:
        hits, texts = match_corpus(source, lexicon).hits, source
    hits = hits[hits["lexicon"] != "voice"] if entry is not None else hits
    if entry is not None:
        chosen = hits[hits["entry_id"] == entry]
    else:
        assert category is not None
        chosen = hits[
            (hits["category"] == category) | hits["category"].str.startswith(category + ".")
        ]
    if chosen.empty:
        known = sorted(set(hits["entry_id" if entry is not None else "category"]))
        what = f"entry '{entry}'" if entry is not None else f"category '{category}'"
        raise FramingError(f"kwic: no hits of {what}; hits exist for: {', '.join(known[:30])}"
                           + (" …" if len(known) > 30 else ""))  # fmt: skip
    if texts is not None:
        text_of = dict(zip(texts["article_id"], texts["text"], strict=True))
        left = [" ".join(text_of[a][max(0, s - window) : s].split()) + " " for a, s
                in zip(chosen["article_id"], chosen["start_char"], strict=True)]  # fmt: skip
        right = [" " + " ".join(text_of[a][e : e + window].split()) for a, e
                 in zip(chosen["article_id"], chosen["end_char"], strict=True)]  # fmt: skip
    else:
        left = [str(x)[-window:] for x in chosen["left"]]
        right = [str(x)[:window] for x in chosen["right"]]
    out = pd.DataFrame(
        {
            "article_id": chosen["article_id"].to_numpy(),
            "outlet": chosen["outlet"].to_numpy(),
            "entry_id": chosen["entry_id"].to_numpy(),
            "category": chosen["category"].to_numpy(),
            "voice": chosen["voice"].to_numpy(),
            "speaker": chosen["speaker"].to_numpy(),
            "left": left,
            "hit": chosen["text"].to_numpy(),
            "right": right,
            "start_char": chosen["start_char"].astype(int).to_numpy(),
        }
    )
    return out.sort_values(
        ["entry_id", "outlet", "article_id", "start_char"], kind="stable"
    ).reset_index(drop=True)


# Okabe & Ito (2008) colour-blind-safe palette, light enough to read black text on.
_PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
            "#999999", "#7FC9F0", "#F5C26B", "#6FCFB4", "#E88B55"]  # fmt: skip
_VOICE_STYLE = {
    "narrator": "",
    "quoted": "text-decoration: underline dashed 2px;",
    "partial": "text-decoration: underline dotted 2px;",
    "scare": "text-decoration: underline wavy 1px;",
}
_VOICE_NAMES = {
    "narrator": "the outlet's own words",
    "quoted": "inside a direct quote",
    "partial": "a quoted fragment attributed to someone",
    "scare": "scare quotes / so-called: the outlet keeps its distance",
}
_PAGE_CSS = """
body { font: 17px/1.7 Georgia, serif; color: #1d1d1d; max-width: 820px; margin: 2em auto;
       padding: 0 1em; }
.article p { margin: 0 0 1em; }
mark.hit { background: var(--c); border-radius: 3px; padding: 0 1px; color: inherit; }
mark.hit mark.hit { padding: 2px 1px; }
mark.hit.reference { background: none; outline: 1px dashed #777; }
.notes { list-style: none; padding-left: 0; }
.summary, .legend, .notes { font: 14px/1.5 system-ui, sans-serif; }
.summary { background: #f6f8fa; padding: 0.8em 1.2em; border-radius: 6px; margin-bottom: 1.5em; }
.legend span.swatch { display: inline-block; padding: 0 0.5em; margin: 0 0.4em 0.3em 0;
                      border-radius: 3px; }
.notes li { margin-bottom: 0.5em; } .notes .neutral { color: #0a6b3d; }
table { border-collapse: collapse; } td, th { padding: 0.15em 0.6em; text-align: right; }
td:first-child, th:first-child { text-align: left; }
"""


def _colour(category: str, categories: list[str]) -> str:
    return _PALETTE[categories.index(category.split(".")[0]) % len(_PALETTE)]


def _tooltip(row: dict[str, object], lexicon: Lexicon | None) -> str:
    from framing.voice import SCARE_QUOTE, SO_CALLED

    entry = {SCARE_QUOTE.id: SCARE_QUOTE, SO_CALLED.id: SO_CALLED}.get(str(row["entry_id"]))
    if entry is None and lexicon is not None:
        entry = lexicon.entry(str(row["entry_id"]))
    lines = [f"{row['entry_id']} ({row['category']})"]
    if entry is not None:
        lines.append(entry.explain)
        if entry.neutral:
            lines.append("Neutral: " + "; ".join(entry.neutral))
        if entry.stance:
            lines.append("Signals: " + ", ".join(entry.stance))
        lines.append("Source: " + "; ".join(entry.sources))
    voice = str(row["voice"])
    lines.append(f"Voice: {voice} ({_VOICE_NAMES.get(voice, voice)})"
                 + (f", speaker: {row['speaker']}" if row["speaker"] else ""))  # fmt: skip
    return "\n".join(lines)


def _marked_text(text: str, hits: pd.DataFrame, tips: list[str], categories: list[str]) -> str:
    """Escaped text with nested <mark>s: every segment carries every hit that covers it."""
    import html

    bounds = sorted({0, len(text), *hits["start_char"], *hits["end_char"]})
    spans = list(zip(hits["start_char"], hits["end_char"], strict=True))
    out = []
    for a, b in itertools.pairwise(bounds):
        piece = html.escape(text[a:b], quote=True)
        covering = [i for i, (s, e) in enumerate(spans) if s <= a and b <= e]
        # the longest hit outermost, so nested marks read from the broad to the narrow
        for i in sorted(covering, key=lambda i: spans[i][0] - spans[i][1], reverse=True):
            row = hits.iloc[i]
            neutral = int(row["weight"]) == 0  # a reference name: outlined, not filled
            style = f"--c: {_colour(str(row['category']), categories)}; " + _VOICE_STYLE.get(
                str(row["voice"]), ""
            )
            attributes = (
                f'class="hit{" reference" if neutral else ""}" data-hit="{i + 1}" '
                f'data-entry="{html.escape(str(row["entry_id"]))}" '
                f'data-voice="{html.escape(str(row["voice"]))}" style="{style}" '
                f'title="{html.escape(tips[i], quote=True).replace(chr(10), "&#10;")}"'
            )
            number = f"<sup>{i + 1}</sup>" if b == spans[i][1] else ""  # on the hit's last piece
            piece = f"<mark {attributes}>{piece}{number}</mark>"
        out.append(piece)
    paragraphs = "".join(out).split("\n")
    return "".join(f"<p>{p}</p>" for p in paragraphs if p.strip())


class Highlight:
    """A highlighted article: shows inline in Jupyter, or write it as a self-contained page."""

    def __init__(self, text: str, hits: pd.DataFrame, n_tokens: int, lexicon: Lexicon | None,
                 reference: pd.DataFrame | None) -> None:  # fmt: skip
        self.text = text
        self.hits = hits.reset_index(drop=True)
        self.n_tokens = n_tokens
        self.lexicon = lexicon
        self.reference = reference

    def _body(self) -> str:
        import html

        hits = self.hits
        categories = sorted({str(c).split(".")[0] for c in hits["category"]})
        tips = [_tooltip({str(k): v for k, v in row.items()}, self.lexicon)
                for row in hits.to_dict("records")]  # fmt: skip
        loaded = hits[hits["weight"].astype(int) > 0]
        rate = 1000 * len(loaded) / self.n_tokens if self.n_tokens else float("nan")
        counts = pd.crosstab(loaded["category"].str.split(".").str[0], loaded["voice"])
        counts.index.name, counts.columns.name = "category", "voice"
        table = counts.to_html(border=0, escape=True) if not counts.empty else "<p>No hits.</p>"
        compare = ""
        if self.reference is not None and not self.reference.empty:
            rows = "".join(
                f"<tr><td>{html.escape(str(r['outlet']))}</td><td>{r['rate_per_1k']:.1f}</td>"
                f"<td>{r['ci_low']:.1f}–{r['ci_high']:.1f}</td></tr>"
                for r in self.reference.to_dict("records")
            )
            head = "<tr><th>outlet</th><th>rate</th><th>interval</th></tr>"
            compare = ("<p>For comparison, the sample corpus' fictional outlets (all loaded "
                       "language, all voices, per 1,000 words, 95% interval):</p>"
                       f"<table>{head}{rows}</table>")  # fmt: skip
        n_reference = len(hits) - len(loaded)
        summary = (
            f'<div class="summary"><b>{len(loaded)} loaded wordings</b> in {self.n_tokens} '
            f"words: <b>{rate:.1f} per 1,000 words</b> ({n_reference} neutral reference names "
            f"outlined, not counted).{table}{compare}</div>"
        )
        legend = "".join(
            f'<span class="swatch" style="background:{_colour(c, categories)}">'
            f"{html.escape(c)}</span>"
            for c in categories
        )
        voices = "; ".join(f"{v}: {html.escape(_VOICE_NAMES[v])}" for v in _VOICE_STYLE)
        notes = "".join(
            f'<li data-note="{i + 1}"><b>{i + 1}. {html.escape(str(r["text"]))}</b>: '
            + html.escape(tips[i]).replace("\n", "<br>")
            + "</li>"
            for i, r in enumerate(hits.to_dict("records"))
        )
        return (
            f'{summary}<div class="legend"><b>Categories</b>: {legend}<br><b>Voice</b> '
            f"(underline style): solid = narrator, dashed = quoted, dotted = partial, wavy = scare "
            f"— {voices}</div>"
            f'<div class="article">{_marked_text(self.text, hits, tips, categories)}</div>'
            f'<ol class="notes">{notes}</ol>'
        )

    def _repr_html_(self) -> str:
        return f'<div class="framing-highlight"><style>{_PAGE_CSS}</style>{self._body()}</div>'

    @property
    def html(self) -> str:
        """A whole HTML page: styles inline, no scripts, nothing loaded from elsewhere."""
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>framing: highlighted article</title><style>{_PAGE_CSS}</style></head>"
            f"<body>{self._body()}</body></html>\n"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to `path` and return it."""
        target = Path(path)
        target.write_text(self.html, encoding="utf-8")
        return target


def _reference_rates() -> pd.DataFrame:
    """Loaded-language rate per outlet of the bundled sample corpus, all voices, with intervals."""
    from framing.corpus import read_corpus, sample_corpus_path
    from framing.profile import profile_outlets

    corpus = read_corpus(sample_corpus_path())
    matches = match_corpus(corpus)
    hits = matches.hits[matches.hits["weight"] > 0].assign(category="all", voice="narrator")
    per_article = hits.groupby(["article_id", "outlet", "category", "voice"]).size()
    profiles = per_article.rename("count").reset_index().assign(weight=0)
    table = profile_outlets(profiles, matches.articles, n_boot=500)
    return table[table["voice"] == "all"][["outlet", "rate_per_1k", "ci_low", "ci_high"]]


def _match_text(text: str, lexicon: Lexicon) -> Matches:
    corpus = pd.DataFrame({"article_id": ["article"], "outlet": ["article"], "text": [text]})
    return match_corpus(corpus, lexicon)


def highlight(
    text: str,
    lexicon: Lexicon | None = None,
    *,
    compare_with_sample: bool = True,
) -> Highlight:
    """Mark every hit in an article, for reading with a class.

    Each hit is coloured by category (Okabe–Ito colour-blind-safe palette, with a legend),
    underlined by voice (dashed quoted, dotted partial, wavy scare), numbered, and explained in
    a tooltip and a note: why it is loaded, the neutral alternatives, whose framing it signals,
    the source. Hits of different lexicons that overlap are nested. The article is escaped, so
    markup in it is shown as text and never runs.

    Parameters
    ----------
    text
        The article.
    lexicon
        Default: the bundled lexicons.
    compare_with_sample
        Show the sample corpus' outlets' rates beside this article's.

    Returns
    -------
    Highlight
        Displays inline in Jupyter; ``.html`` is a whole page and ``.save(path)`` writes it.
    """
    from framing.lexicon import read_lexicons

    lexicon = read_lexicons() if lexicon is None else lexicon
    matches = _match_text(text, lexicon)
    hits = matches.hits.sort_values(["start_char", "end_char"], kind="stable")
    reference = _reference_rates() if compare_with_sample else None
    return Highlight(text, hits, int(matches.articles["n_tokens"].iloc[0]), lexicon, reference)


class Neutralized:
    """An article with its loaded wordings replaced: ``.text``, ``.changes``, and a side-by-side
    view that shows inline in Jupyter."""

    def __init__(self, original: str, text: str, changes: pd.DataFrame) -> None:
        self.original = original
        self.text = text
        self.changes = changes

    def _repr_html_(self) -> str:
        import html

        def marked(source: str, spans: list[tuple[int, int]], tag: str) -> str:
            out, last = [], 0
            for s, e in spans:
                out.append(html.escape(source[last:s]))
                out.append(f"<{tag}>{html.escape(source[s:e])}</{tag}>")
                last = e
            out.append(html.escape(source[last:]))
            return "".join(out).replace("\n", "<br>")

        changes = self.changes
        old_spans = list(zip(changes["start_char"], changes["end_char"], strict=True))
        new_spans = list(zip(changes["new_start"], changes["new_end"], strict=True))
        before = marked(self.original, old_spans, "del")
        after = marked(self.text, new_spans, "ins")
        return (
            '<table class="framing-neutralize"><tr><th>original</th><th>neutral wording</th>'
            f'</tr><tr><td style="vertical-align:top">{before}</td>'
            f'<td style="vertical-align:top">{after}</td></tr></table>'
        )


_QUOTES = "\"'“”‘’«»"


def _plain_neutral(options: tuple[str, ...]) -> str:
    """The first neutral alternative that is a wording, not advice ("[named target]", "(…)")."""
    return next(
        (o for o in options if not any(c in o for c in "[](…") and "..." not in o), options[0]
    )


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def neutralize(text: str, lexicon: Lexicon | None = None) -> Neutralized:
    """Replace each loaded wording by its entry's first neutral alternative: a classroom exercise.

    Hits of entries with a neutral alternative and weight above 0 are replaced (by the first
    alternative that is a plain wording rather than advice in brackets), longest first,
    never two overlapping ones; the first letter's case is kept, and a plural "-s" is carried
    over when the hit is the plural of a one-word pattern. Scare quotes lose their marks and
    "so-called" is dropped. Entries without a neutral alternative stay, so re-matching the result
    finds only those.

    Parameters
    ----------
    text
        The article.
    lexicon
        Default: the bundled lexicons.

    Returns
    -------
    Neutralized
        ``.text`` (the rewrite), ``.changes`` (``start_char, end_char, original, replacement,
        entry_id, new_start, new_end``) and a side-by-side view.
    """
    from framing.lexicon import read_lexicons

    lexicon = read_lexicons() if lexicon is None else lexicon
    hits = _match_text(text, lexicon).hits
    candidates = []
    for row in hits.to_dict("records"):
        start, end, original = int(row["start_char"]), int(row["end_char"]), str(row["text"])
        if row["entry_id"] == "scare-quote":
            # two edits, the marks, so that a loaded word inside them is replaced too
            candidates.append((start, start + 1, original[0], "", "scare-quote"))
            candidates.append((end - 1, end, original[-1], "", "scare-quote"))
            continue
        if row["entry_id"] == "so-called":
            replacement, end = "", min(len(text), end + 1)  # the space after it goes too
            original = text[start:end]
        elif int(row["weight"]) > 0 and lexicon.entry(str(row["entry_id"])).neutral:
            entry = lexicon.entry(str(row["entry_id"]))
            replacement = _match_case(original, _plain_neutral(entry.neutral))
            pattern = next((p for p in entry.patterns if isinstance(p, str)), "")
            plural = original.lower().endswith("s") and not pattern.lower().endswith("s")
            if " " not in original and plural and not replacement.endswith("s"):
                replacement += "s"
            if sum(c in _QUOTES for c in original) % 2 and end < len(text) and text[end] in _QUOTES:
                end += (
                    1  # a hit that took an opening mark ('so-called “referendum') takes its close
                )
                original = text[start:end]
            if (
                start > 0
                and end < len(text)
                and text[start - 1] in _QUOTES
                and text[end] in _QUOTES
            ):
                # a loaded name in quote marks ("Heavenly Hundred"): the marks go with it
                start, end = start - 1, end + 1
                original = text[start:end]
        else:
            continue
        candidates.append((start, end, original, replacement, str(row["entry_id"])))
    chosen: list[tuple[int, int, str, str, str]] = []
    for c in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if not any(c[0] < d[1] and d[0] < c[1] for d in chosen):
            chosen.append(c)
    chosen.sort()
    pieces, rows, last, shift = [], [], 0, 0
    for start, end, original, replacement, entry_id in chosen:
        pieces += [text[last:start], replacement]
        new_start = start + shift
        rows.append(
            (start, end, original, replacement, entry_id, new_start, new_start + len(replacement))
        )
        shift += len(replacement) - (end - start)
        last = end
    pieces.append(text[last:])
    changes = pd.DataFrame(rows, columns=["start_char", "end_char", "original", "replacement",
                                          "entry_id", "new_start", "new_end"])  # fmt: skip
    return Neutralized(text, "".join(pieces), changes)
