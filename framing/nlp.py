"""The spaCy pipelines framing uses; the only module that builds them."""

from __future__ import annotations

import functools
import gzip
import json
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING

from framing.errors import FramingError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_PIPELINE", "lemma_forms", "make_nlp", "pipeline_name"]

DEFAULT_PIPELINE = "blank:en+lookup-lemmatizer+sentencizer"


@functools.lru_cache(maxsize=4)
def make_nlp(model: str | None = None) -> Language:
    """Build (once per process) the spaCy pipeline used for matching.

    Parameters
    ----------
    model
        ``None`` for the offline default: ``spacy.blank("en")`` with the lookup lemmatizer from
        spacy-lookups-data and a rule-based sentencizer. Otherwise the name or path of an
        installed spaCy pipeline, e.g. ``"en_core_web_sm"``.

    Returns
    -------
    spacy.language.Language
        The pipeline. Matching runs only the components its patterns need.
    """
    import spacy

    if model in (None, "", "blank", DEFAULT_PIPELINE):
        nlp = spacy.blank("en")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe("sentencizer")
        nlp.initialize()  # loads the lookup table from spacy-lookups-data; no network
        return nlp
    try:
        return spacy.load(model)
    except OSError as exc:
        raise FramingError(
            f"spaCy pipeline '{model}' is not installed ({exc}). Install it, or omit "
            "--spacy-model to use the offline default pipeline."
        ) from exc


def pipeline_name(nlp: Language) -> str:
    """A short name for run.json: the default's description or the trained pipeline's name."""
    meta = nlp.meta
    if meta.get("name") in (None, "pipeline") and nlp.pipe_names == ["lemmatizer", "sentencizer"]:
        return DEFAULT_PIPELINE
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


@functools.lru_cache(maxsize=1)
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    """Invert spacy-lookups-data's English lemma table, lower-cased: lemma -> surface forms."""
    path = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        table: dict[str, str] = json.load(fh)
    forms: defaultdict[str, set[str]] = defaultdict(set)
    for form, lemma in table.items():
        forms[lemma.lower()].add(form.lower())
    return {lemma: frozenset(fs | {lemma}) for lemma, fs in forms.items()}


def lemma_forms(word: str) -> frozenset[str]:
    """`word` and every lower-case form that the lookup lemmatizer maps to it as its lemma.

    Lexicons give lemma patterns in their base form ("liberate" -> liberates, liberated,
    liberating). Matching these forms in lower case gives the hits of lemma matching without
    lemmatising each token at run time (1.6–4x faster; see research/perf-anchors.md). An
    inflected pattern word ("took") matches only itself, so no sibling forms sneak in. Like the
    lookup table, it over-generalises a few words ("lie" -> "lay").
    """
    low = word.lower()
    return _forms_by_lemma().get(low, frozenset()) | {low}
