"""The spaCy component: ``nlp.add_pipe("framing")`` puts framing's hits into ``doc.spans``.

spaCy finds the factory through the ``spacy_factories`` entry point, so a pipeline needs no
``import framing`` first. Each hit becomes a span in ``doc.spans["framing"]`` whose ``label_`` is
the entry's category and whose ``id_`` is the entry id, with the rest of the hit in extension
attributes: ``span._.framing_entry``, ``framing_lexicon``, ``framing_concept``,
``framing_voice``, ``framing_speaker``, ``framing_weight`` and ``framing_stance``.

The component runs framing's own matching (`framing.match.iter_matches`) on ``doc.text`` with a
private copy of the default pipeline, so its hits are exactly those of `framing.match_corpus`,
whatever tokenizer and components the host pipeline has. The extension values live in one table
in ``doc.user_data`` keyed by offsets and entry id: spaCy keys span extension values by character
offsets alone, and two lexicons may match the same characters.
"""

import functools
import itertools
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span

from framing.errors import FramingError
from framing.lexicon import Lexicon, read_lexicons
from framing.match import LexiconMatcher, iter_matches
from framing.nlp import make_nlp

__all__ = ["SPAN_EXTENSIONS", "FramingComponent", "make_framing_component"]

DEFAULT_SPANS_KEY = "framing"
# The hit fields each span carries as `span._.framing_<field>`.
SPAN_EXTENSIONS = ("entry", "lexicon", "concept", "voice", "speaker", "weight", "stance")
_TABLE_KEY = ("framing", "hits")  # doc.user_data key of the per-doc table of hit fields
_LEXICON_DIR = "lexicons"  # sub-folder of the component's folder in a saved pipeline


def _hit_key(start: int, end: int, entry_id: str) -> str:
    return f"{start}:{end}:{entry_id}"


def _hit_field(field: str, span: Span) -> Any:
    """Getter of ``span._.framing_<field>``: the value stored for this hit, None for other spans."""
    user_data: dict[Any, Any] = span.doc.user_data
    table = user_data.get(_TABLE_KEY)
    if not table:
        return None
    record = table.get(_hit_key(span.start_char, span.end_char, span.id_))
    if record is None:
        return None
    value = record[field]
    return tuple(value) if field == "stance" else value


def register_extensions() -> None:
    """Register the ``span._.framing_*`` attributes once per process (later calls do nothing)."""
    for field in SPAN_EXTENSIONS:
        name = f"framing_{field}"
        if not Span.has_extension(name):
            Span.set_extension(name, getter=functools.partial(_hit_field, field))


@functools.lru_cache(maxsize=1)
def _private_nlp() -> Language:
    """A pipeline of its own, built like `framing.nlp.make_nlp()` but not shared with it.

    Matching runs on it rather than on the host pipeline (which may hold this very component,
    e.g. when added to the cached ``make_nlp()`` object) or on ``make_nlp()`` itself.
    """
    return make_nlp.__wrapped__(None)


class FramingComponent:
    """Marks every lexicon hit of a Doc as a span in ``doc.spans[spans_key]``.

    Parameters
    ----------
    lexicons
        Lexicon YAML files or folders; empty for every bundled lexicon. They are read (and
        validated) on first use, or by ``nlp.initialize()``, so a saved pipeline loads its own
        copy (see `to_disk`) without needing these paths.
    spans_key
        Key of the span group in ``doc.spans``.
    """

    def __init__(self, lexicons: Iterable[str] = (), spans_key: str = DEFAULT_SPANS_KEY) -> None:
        self.lexicon_paths = [str(p) for p in lexicons]
        self.spans_key = spans_key
        self._lexicon: Lexicon | None = None
        self._matcher: LexiconMatcher | None = None
        register_extensions()

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon, read on first access; `LexiconError` names every bad file and line."""
        if self._lexicon is None:
            self._lexicon = read_lexicons(self.lexicon_paths or None)
        return self._lexicon

    @property
    def matcher(self) -> LexiconMatcher:
        """The lexicon compiled for the private pipeline (about a second, once)."""
        if self._matcher is None:
            self._matcher = LexiconMatcher(self.lexicon, _private_nlp())
        return self._matcher

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Read and compile the lexicon now (``nlp.initialize()`` calls this)."""
        del get_examples, nlp  # spaCy passes them to every component; a lexicon needs neither
        _ = self.matcher

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate docs in batches, matching each batch in one `nlp.pipe` call."""
        docs = iter(stream)
        while batch := list(itertools.islice(docs, batch_size)):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        # A one-chunk corpus through iter_matches: the same normalisation, exclusions, overlap
        # policy, voices and scare quotes as match_corpus, with offsets into doc.text.
        chunk = pd.DataFrame(
            {
                "article_id": [str(i) for i in range(len(docs))],
                "outlet": "",
                "text": [doc.text for doc in docs],
                "status": "ok",
                "message": "",
            }
        )
        found = next(iter_matches([chunk], self.matcher, batch_size=len(docs)))
        by_doc = {str(key): rows for key, rows in found.hits.groupby("article_id", sort=False)}
        for i, doc in enumerate(docs):
            self._set_spans(doc, by_doc.get(str(i), found.hits.iloc[:0]))

    def _set_spans(self, doc: Doc, hits: pd.DataFrame) -> None:
        spans = []
        user_data: dict[Any, Any] = doc.user_data
        table: dict[str, dict[str, Any]] = dict(user_data.get(_TABLE_KEY) or {})
        for hit in hits.to_dict("records"):
            start, end = int(hit["start_char"]), int(hit["end_char"])
            entry_id = str(hit["entry_id"])
            # "expand" keeps the whole hit where the host tokenizer splits text differently;
            # on spaCy's English tokenizer span and hit offsets are the same.
            span = doc.char_span(
                start, end, label=str(hit["category"]), span_id=entry_id, alignment_mode="expand"
            )
            if span is None:
                raise FramingError(
                    f"framing component: hit '{entry_id}' at characters {start}-{end} "
                    "covers no token of the doc"
                )
            spans.append(span)
            table[_hit_key(span.start_char, span.end_char, entry_id)] = {
                "entry": entry_id,
                "lexicon": str(hit["lexicon"]),
                "concept": str(hit["concept"]) or None,
                "voice": str(hit["voice"]),
                "speaker": str(hit["speaker"]),
                "weight": int(hit["weight"]),
                "stance": [s for s in str(hit["stance"]).split(";") if s],
            }
        user_data[_TABLE_KEY] = table
        doc.spans[self.spans_key] = spans

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save a copy of each lexicon file, so the saved pipeline keeps its lexicon as it was.

        Files are numbered to keep their order (which decides ties between entries).
        """
        folder = Path(path) / _LEXICON_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for n, info in enumerate(self.lexicon.infos):
            shutil.copyfile(info.path, folder / f"{n:02d}-{Path(info.path).name}")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "FramingComponent":
        """Load the lexicon copies saved by `to_disk` (the config's paths are not read)."""
        folder = Path(path) / _LEXICON_DIR
        if not folder.is_dir():
            raise FramingError(f"{folder}: no saved lexicons for the framing component")
        self._lexicon = read_lexicons([folder])
        self._matcher = None
        return self

    def __getstate__(self) -> dict[str, Any]:
        # spaCy's multiprocessing pickles components: send the lexicon, compile again there.
        return {**self.__dict__, "_matcher": None}


@Language.factory(
    "framing",
    default_config={"lexicons": [], "spans_key": DEFAULT_SPANS_KEY},
    assigns=["doc.spans"],
)
def make_framing_component(
    nlp: Language, name: str, lexicons: list[str], spans_key: str
) -> FramingComponent:
    """spaCy factory of `FramingComponent`: ``nlp.add_pipe("framing", config={...})``.

    Parameters
    ----------
    nlp, name
        Given by spaCy; matching uses framing's own pipeline, not `nlp`.
    lexicons
        Paths of lexicon YAML files or folders; ``[]`` for every bundled lexicon.
    spans_key
        Key of the span group the hits go to (default ``"framing"``).
    """
    del nlp, name  # spaCy passes them to every factory
    return FramingComponent(lexicons, spans_key)
