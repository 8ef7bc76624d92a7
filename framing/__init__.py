"""framing: measure loaded language and framing in news, and compare outlets."""

from __future__ import annotations

from framing.accessor import FrameAnalysis  # importing it registers the df.framing accessor
from framing.analyze import AnalysisResult, analyze
from framing.corpus import ColumnMap, iter_corpus, read_corpus, sample_corpus_path
from framing.errors import CorpusError, FramingError, LexiconError
from framing.highlight import highlight, kwic, neutralize
from framing.lexicon import Concept, Entry, Lexicon, read_lexicons, write_lexicon
from framing.match import Matches, match_corpus
from framing.nlp import make_nlp
from framing.profile import (
    article_concept_counts,
    concept_shares,
    profile_articles,
    profile_outlets,
)

__version__ = "0.1.0"

__all__ = [
    "AnalysisResult",
    "ColumnMap",
    "Concept",
    "CorpusError",
    "Entry",
    "FrameAnalysis",
    "FramingError",
    "Lexicon",
    "LexiconError",
    "Matches",
    "__version__",
    "analyze",
    "article_concept_counts",
    "concept_shares",
    "highlight",
    "iter_corpus",
    "kwic",
    "make_nlp",
    "match_corpus",
    "neutralize",
    "profile_articles",
    "profile_outlets",
    "read_corpus",
    "read_lexicons",
    "sample_corpus_path",
    "write_lexicon",
]
