"""``df.framing``: analyse a DataFrame of articles in a notebook with the public functions.

    import framing
    result = df.framing.analyze(text="body", outlet="source")
    result.outlet_profiles
    df.framing.highlight(3, text="body")

Everything is delegated: rows become a corpus as `framing.read_corpus` makes one from a table
(ids, checks, statuses), then `framing.match_corpus`, `framing.profile_articles`,
`framing.profile_outlets` and `framing.concept_shares` run on it. The tables are named like the
files of `framing.analyze`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from framing.corpus import CORPUS_COLUMNS, DEFAULT_MAX_CHARS, _Accountant, _Record
from framing.errors import CorpusError
from framing.highlight import Highlight, highlight
from framing.lexicon import Lexicon, read_lexicons
from framing.match import match_corpus
from framing.profile import (
    article_concept_counts,
    concept_shares,
    profile_articles,
    profile_outlets,
)

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["FrameAnalysis", "FramingAccessor"]


@dataclass(frozen=True)
class FrameAnalysis:
    """The tables of an analysis of a DataFrame, named like the files ``framing analyze`` writes.

    Attributes
    ----------
    articles
        One row per DataFrame row: ``article_id, outlet, n_tokens, status, message, …``.
    matches
        One row per hit (`framing.match.HIT_COLUMNS`), offsets into each row's text.
    article_profiles, outlet_profiles, concept_shares
        As from `framing.profile_articles`, `framing.profile_outlets`, `framing.concept_shares`.
    lexicon
        The lexicon that was matched.
    """

    articles: pd.DataFrame = field(repr=False)
    matches: pd.DataFrame = field(repr=False)
    article_profiles: pd.DataFrame = field(repr=False)
    outlet_profiles: pd.DataFrame = field(repr=False)
    concept_shares: pd.DataFrame = field(repr=False)
    lexicon: Lexicon = field(repr=False)

    def __repr__(self) -> str:
        n_ok = int((self.articles["status"] == "ok").sum())
        return (
            f"FrameAnalysis({len(self.articles)} articles, {n_ok} analysed, "
            f"{len(self.matches)} hits, {self.articles['outlet'].nunique()} outlets)"
        )


def _lexicon(lexicon: Lexicon | str | Path | Iterable[str | Path] | None) -> Lexicon:
    if isinstance(lexicon, Lexicon):
        return lexicon
    if lexicon is None:
        return read_lexicons()
    return read_lexicons([lexicon] if isinstance(lexicon, str | Path) else lexicon)


@pd.api.extensions.register_dataframe_accessor("framing")
class FramingAccessor:
    """The ``df.framing`` namespace of every DataFrame once `framing` is imported."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def _column(self, name: str, what: str) -> pd.Series:
        if name not in self._frame.columns:
            columns = ", ".join(map(repr, map(str, self._frame.columns)))
            raise CorpusError(
                f"df.framing: no {what} column {name!r}; the DataFrame has: {columns}. "
                f"Pass {what}=<column name>"
                + (" or outlet=None" if what == "outlet" else "")
                + (" or id=None (use the index)" if what == "id" else "")
            )
        return self._frame[name]

    def corpus(
        self,
        *,
        text: str = "text",
        outlet: str | None = "outlet",
        id: str | None = None,
        language: str | None = "en",
        max_chars: int | None = DEFAULT_MAX_CHARS,
        dedupe_ids: bool = False,
    ) -> pd.DataFrame:
        """The rows as a corpus (`framing.corpus.CORPUS_COLUMNS`), one row per DataFrame row.

        Rows are checked as `framing.read_corpus` checks the records of a table: a row without
        text, too long or in another language is kept with ``status="skipped"`` and a message.

        Parameters
        ----------
        text
            Column of article texts.
        outlet
            Column of outlet names; ``None``: no outlets (every row's outlet is ``""``).
        id
            Column of article ids; ``None``: the index labels.
        language, max_chars, dedupe_ids
            As in `framing.read_corpus`.

        Raises
        ------
        CorpusError
            A named column that the DataFrame lacks (the message lists its columns), or a
            repeated id unless `dedupe_ids`.
        """
        texts = self._column(text, "text").tolist()
        labels = self._frame.index.tolist()
        ids = self._column(id, "id").tolist() if id is not None else labels
        outlets = self._column(outlet, "outlet").tolist() if outlet is not None else None
        records = self._frame.to_dict("records")
        # The reader's own bookkeeping (ids, checks, statuses), fed rows instead of file records.
        accountant = _Accountant(language=language, max_chars=max_chars, dedupe_ids=dedupe_ids)
        rows = [
            accountant.row(
                _Record(
                    f"DataFrame row {label!r}",
                    "" if outlets is None else outlets[n],
                    ids[n],
                    body=texts[n],
                    meta={str(k): v for k, v in records[n].items()},
                )
            )
            for n, label in enumerate(labels)
        ]
        return pd.DataFrame(rows, columns=CORPUS_COLUMNS)

    def analyze(
        self,
        *,
        text: str = "text",
        outlet: str | None = "outlet",
        id: str | None = None,
        lexicon: Lexicon | str | Path | Iterable[str | Path] | None = None,
        nlp: Language | None = None,
        language: str | None = "en",
        max_chars: int | None = DEFAULT_MAX_CHARS,
        dedupe_ids: bool = False,
        category_level: int | None = 1,
        seed: int = 0,
        n_boot: int = 2000,
        ci: float = 0.95,
    ) -> FrameAnalysis:
        """Match a lexicon in every row and profile articles and outlets.

        Parameters
        ----------
        text, outlet, id, language, max_chars, dedupe_ids
            As in `corpus`.
        lexicon
            A `Lexicon`, or lexicon YAML file(s) or folder(s); default every bundled lexicon.
            Pass the same `Lexicon` to repeated calls: it is compiled once per lexicon object.
        nlp
            A spaCy pipeline; default `framing.nlp.make_nlp()`.
        category_level
            Category depth of profiles (1 = top-level categories; ``None`` = full ids).
        seed, n_boot, ci
            Bootstrap settings of the intervals.

        Returns
        -------
        FrameAnalysis
            ``articles``, ``matches``, ``article_profiles``, ``outlet_profiles``,
            ``concept_shares`` and ``lexicon``.
        """
        corpus = self.corpus(
            text=text,
            outlet=outlet,
            id=id,
            language=language,
            max_chars=max_chars,
            dedupe_ids=dedupe_ids,
        )
        found = match_corpus(corpus, _lexicon(lexicon), nlp=nlp)
        article_profiles = profile_articles(found, level=category_level)
        outlet_profiles = profile_outlets(
            article_profiles, found.articles, seed=seed, n_boot=n_boot, ci=ci
        )
        shares = concept_shares(
            article_concept_counts(found),
            found.articles,
            found.lexicon.concepts,
            seed=seed,
            n_boot=n_boot,
            ci=ci,
        )
        return FrameAnalysis(
            articles=found.articles,
            matches=found.hits,
            article_profiles=article_profiles,
            outlet_profiles=outlet_profiles,
            concept_shares=shares,
            lexicon=found.lexicon,
        )

    def highlight(
        self,
        label: Hashable,
        *,
        text: str = "text",
        lexicon: Lexicon | str | Path | Iterable[str | Path] | None = None,
        compare_with_sample: bool = True,
    ) -> Highlight:
        """The article in row `label` (an index label, as ``df.loc``) with every hit marked.

        Delegates to `framing.highlight`; shows inline in Jupyter.
        """
        value: Any = self._column(text, "text").loc[cast(Any, label)]
        if isinstance(value, pd.Series):
            raise CorpusError(f"df.framing.highlight: index label {label!r} is not unique")
        if not isinstance(value, str):
            raise CorpusError(
                f"df.framing.highlight: row {label!r} has no text (got {type(value).__name__})"
            )
        return highlight(value, _lexicon(lexicon), compare_with_sample=compare_with_sample)
