"""Teaching and reading views: keyword-in-context lines of hits (HTML highlighting to come)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing.errors import FramingError
from framing.lexicon import Lexicon
from framing.match import Matches, match_corpus

__all__ = ["KWIC_COLUMNS", "kwic"]

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
