"""LIWC ``.dic`` and quanteda YAML dictionaries, to and from native lexicons.

A dictionary of either kind is a list of wordings per category. A wording is a word or a phrase
(words separated by spaces); a ``*`` in a word stands for any characters (``liberat*`` matches
"liberated" and "liberation" but not "deliberate"), and in quanteda dictionaries ``?`` stands for
exactly one character. Wordings match case-insensitively. Native lexicons express them as:

- a wording without wildcards: a phrase pattern (``"special military operation"``), ``match:
  lower``;
- a wording with wildcards: a token pattern with one dict per token, where a word with wildcards
  becomes a regular expression on the lower-cased token: ``liberat*`` ->
  ``[{LOWER: {REGEX: "^liberat"}}]``, ``colo?r`` -> ``[{LOWER: {REGEX: "^colo.r$"}}]``.
  Words are split into tokens as the matcher splits them, so a wildcard after a hyphen
  (``self-*``) matches less than in LIWC: "self-help" is three tokens. Reading notes it.

Reading (`read_dic`, `read_quanteda_yaml`) makes one native entry per wording and category: id
from the wording (``liberat``), ``explain`` and ``sources`` naming the file and category, and a
generated hit example (the wording, wildcards filled in) and miss example that ``framing
lexicon test`` passes. Entries are listed most specific first (literal wordings before
wildcards, longer wildcards before shorter), so that a word that several entries of one lexicon
match counts under the most specific, as in LIWC.

**A wording in several categories.** LIWC and quanteda count such a wording once in each of its
categories. framing resolves overlapping hits inside one lexicon by keeping one (see
`framing.match`), so one lexicon cannot count a wording twice. The importer therefore puts a
wording's first category in the lexicon named after the file (``tiny``), its second in a second
lexicon ``tiny-2``, and so on: each category counts it; entry ids are suffixed with the
category (``sanctions--frame.economy``). `write_native` writes each lexicon to its own file
(``tiny.yaml``, ``tiny-2.yaml``); load them together.

**What a dictionary cannot hold.** Writing a native lexicon to ``.dic`` or quanteda YAML keeps
every category and every wording that can be written, and returns notes of everything else:
weights (weight-0 reference entries become ordinary words), stances, neutral alternatives,
concepts, exclusions, reviews, explanations, sources, examples, entry ids and category
descriptions; case-sensitive matching (``match: exact``, ``ORTH``) becomes case-insensitive;
token patterns that constrain anything but the word itself (``IS_ALPHA``, ``POS``, ``NOT_IN``,
other regular expressions, …) are dropped. ``match: lemma`` entries and token patterns with
``IN`` lists, ``LEMMA`` or optional tokens are written out as every wording they match (the
expansion the matcher makes itself), so their hits are kept. A ``.dic`` has no ``?`` wildcard,
and LIWC expands only a ``*`` at the end of a word. In quanteda YAML, dotted categories nest,
and a category with sub-categories keeps its own wordings under the key ``__``, as quanteda's
``as.yaml`` writes them.

LIWC2007/2015 and LIWC-22 ``.dic`` files are read alike: UTF-8 with or without a BOM (else
Windows-1252), any line endings, blank lines and comment lines (``//`` or ``#`` and a space),
category lines ``number<TAB>name`` (an optional description after another tab), entries
``word<TAB>number<TAB>number`` (spaces instead of tabs work for single words), phrases with
spaces (LIWC-22) and the same word on several lines. A ``*`` inside a word is read as a wildcard
too; ``?`` is a plain character. LIWC2007's conditional codes such as ``(02 134)125/464`` and
``<of>`` are skipped with a note; a LIWC2015 header's indentation (category hierarchy) is not
kept, because LIWC lists each word under its parent categories itself and framing would count
it twice when it rolls sub-categories up into their parents.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from framing.errors import LexiconError, Problem
from framing.lexicon import Entry, Lexicon, LexiconInfo, Pattern, read_lexicons, write_lexicon

__all__ = [
    "FORMATS",
    "convert",
    "detect_format",
    "glob_to_pattern",
    "pattern_to_globs",
    "read_any",
    "read_dic",
    "read_quanteda_yaml",
    "write_dic",
    "write_native",
    "write_quanteda_yaml",
]

FORMATS = ("native", "dic", "quanteda")
DIC_WILDCARDS = "*"  # in a .dic, "?" is an ordinary character
QUANTEDA_WILDCARDS = "*?"  # quanteda's glob patterns
MAX_WORDINGS = 1000  # a token pattern that expands to more wordings than this is not written
LEMMA_MAX_VARIANTS = 512  # as `framing.match.LexiconMatcher`: beyond it only the last word inflects
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LABELS = {"dic": "LIWC dictionary", "quanteda": "quanteda dictionary"}
# A category token after a .dic word: a number, or a LIWC2007 conditional code (skipped).
_DIC_FIELD = re.compile(r"\([^)]*\)\S*|<[^>]*>\S*|\S+")
_DIC_NUMBER = re.compile(r"\d+")
_DIC_CONDITIONAL = re.compile(r"[(<]")
_DIC_HEADER = re.compile(r"(\d+)\s+(\S.*)")
# Miss examples of our own; the first that cannot contain the wording is used.
_MISS_CANDIDATES = ("Nothing listed here.", "Zzz.", "0", "§")


# --- wildcards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """Part of a word: literal text, or a wildcard (``*`` any characters, ``?`` one)."""

    text: str
    wild: bool = False


_STAR = _Piece("*", True)


def _merged(pieces: Iterable[_Piece]) -> list[_Piece]:
    """Adjacent literal pieces joined, runs of ``*`` collapsed to one."""
    out: list[_Piece] = []
    for p in pieces:
        if p == _STAR and out and out[-1] == _STAR:
            continue
        if not p.wild and out and not out[-1].wild:
            out[-1] = _Piece(out[-1].text + p.text)
        else:
            out.append(p)
    return out


def _pieces(word: str, wildcards: str) -> list[_Piece]:
    return _merged(_Piece(ch, ch in wildcards) for ch in word)


def _pieces_regex(pieces: Sequence[_Piece]) -> str:
    """``liberat*`` -> ``^liberat``; ``colo?r`` -> ``^colo.r$``; ``*ism`` -> ``ism$``."""
    start = "" if pieces[0] == _STAR else "^"
    end = "" if pieces[-1] == _STAR else "$"
    inner = pieces[bool(not start) : len(pieces) - bool(not end)]
    body = "".join(
        (".*" if p == _STAR else ".") if p.wild else re.escape(p.text.lower()) for p in inner
    )
    return start + body + end


_REGEX_PART = re.compile(r"\\.|\.\*|.", re.DOTALL)


def _regex_pieces(regex: str) -> list[_Piece] | None:
    """The glob that a regular expression as `_pieces_regex` writes it stands for, else None."""
    text = regex.removeprefix("^")
    pieces = [] if text != regex else [_STAR]
    anchored_end = text.endswith("$") and not text.endswith("\\$")
    for part in _REGEX_PART.findall(text[:-1] if anchored_end else text):
        if part in (".*", "."):
            pieces.append(_STAR if part == ".*" else _Piece("?", True))
        elif len(part) == 2 and not part[1].isalnum():  # an escaped character
            pieces.append(_Piece(part[1]))
        elif part.startswith("\\") or part in "^$*+?{}[]|()":
            return None  # a character class (\d, \w …) or another regex construct
        else:
            pieces.append(_Piece(part))
    pieces += [] if anchored_end else [_STAR]
    merged = _merged(pieces)
    return merged if any(not p.wild for p in merged) else None


@functools.lru_cache(maxsize=4)
def _tokenizer(language: str) -> Any:
    import spacy

    return spacy.blank(language).tokenizer


def glob_to_pattern(
    wording: str, *, wildcards: str = QUANTEDA_WILDCARDS, language: str = "en"
) -> Pattern:
    """Turn a dictionary wording into a native pattern.

    Parameters
    ----------
    wording
        A word or phrase; each wildcard character in `wildcards` is one: ``*`` any characters,
        ``?`` exactly one.
    wildcards
        ``"*?"`` for quanteda (the default), ``"*"`` for LIWC, where ``?`` is a plain character.
    language
        Language of the spaCy tokenizer that splits words into tokens as the matcher does.

    Returns
    -------
    str or tuple of dict
        The phrase itself when it has no wildcard; else a token pattern: literal tokens as
        ``{"LOWER": word}``, a token with wildcards as ``{"LOWER": {"REGEX": ...}}``.

    Raises
    ------
    ValueError
        If the wording is empty or a word is made of wildcards only.

    Examples
    --------
    >>> glob_to_pattern("liberat*")
    ({'LOWER': {'REGEX': '^liberat'}},)
    >>> glob_to_pattern("special military operation")
    'special military operation'
    """
    text = " ".join(wording.split())
    if not text:
        raise ValueError("empty wording")
    if not _has_wild(text, wildcards):
        return text
    tokens: list[dict[str, Any]] = []
    for word in text.split(" "):
        pieces = _pieces(word, wildcards)
        literal = "".join(p.text for p in pieces if not p.wild)
        if not literal:
            raise ValueError(f"'{word}' has no letters besides wildcards; it would match any word")
        doc = _tokenizer(language)(literal)
        # Each wildcard belongs to the token whose characters touch it (the first, at a border).
        token_pieces: list[list[_Piece]] = [[] for _ in doc]
        pos = 0
        for piece in pieces:
            if piece.wild:
                i = next(k for k, t in enumerate(doc) if t.idx <= pos <= t.idx + len(t))
                token_pieces[i].append(piece)
                continue
            for k, t in enumerate(doc):  # split the literal run at token borders
                lo, hi = max(pos, t.idx), min(pos + len(piece.text), t.idx + len(t))
                if lo < hi:
                    token_pieces[k].append(_Piece(literal[lo:hi]))
            pos += len(piece.text)
        for t, tp in zip(doc, token_pieces, strict=True):
            if any(p.wild for p in tp):
                tokens.append({"LOWER": {"REGEX": _pieces_regex(_merged(tp))}})
            else:
                tokens.append({"LOWER": t.text.lower()})
    return tuple(tokens)


def pattern_to_globs(
    pattern: Pattern, *, match: str = "lower", wildcards: str = QUANTEDA_WILDCARDS
) -> list[str]:
    """The dictionary wordings that match what a native pattern matches.

    Parameters
    ----------
    pattern
        A phrase or a token pattern.
    match
        The entry's match mode; ``lemma`` phrases come back as every inflected form.
    wildcards
        The wildcard characters of the target format (``"*?"`` quanteda, ``"*"`` LIWC).

    Returns
    -------
    list of str
        The wordings, most often one.

    Raises
    ------
    ValueError
        If the pattern cannot be written as wordings; the message says why.
    """
    wordings, reason, _ = _pattern_wordings(pattern, match, wildcards, "en")
    if reason:
        raise ValueError(reason)
    return wordings


# --- native patterns -> wordings ---------------------------------------------------------------


def _has_wild(text: str, wildcards: str) -> bool:
    return any(w in text for w in wildcards)


def _lemma_phrases(phrase: str, language: str) -> list[str]:
    """Every surface form of a lemma phrase, as `framing.match.LexiconMatcher` builds them."""
    from framing.match import normalize_text
    from framing.nlp import lemma_forms

    doc = _tokenizer(language)(normalize_text(phrase)[0])
    options = [sorted(lemma_forms(t.text)) if t.is_alpha else [t.lower_] for t in doc]
    n = 1
    for o in options:
        n *= len(o)
    if n > LEMMA_MAX_VARIANTS:
        options = [[t.lower_] for t in doc[:-1]] + [options[-1]]
    spaces = [t.whitespace_ for t in doc]
    return [
        "".join(w + s for w, s in zip(words, spaces, strict=True)).strip()
        for words in itertools.product(*options)
    ]


def _expand_tokens(pattern: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """LEMMA -> LOWER in its forms; "*"/"+" -> bounded optional copies (the matcher's limits)."""
    from framing.match import MAX_REPEAT
    from framing.nlp import lemma_forms

    out: list[dict[str, Any]] = []
    for token in pattern:
        spec = dict(token)
        value = spec.get("LEMMA")
        if isinstance(value, str) or (isinstance(value, dict) and set(value) == {"IN"}):
            words = [value] if isinstance(value, str) else value["IN"]
            del spec["LEMMA"]
            spec["LOWER"] = {"IN": sorted(set().union(*(lemma_forms(str(w)) for w in words)))}
        op = spec.pop("OP", None)
        if op in ("*", "+"):
            required = 1 if op == "+" else 0
            out += [dict(spec) for _ in range(required)]
            out += [{**spec, "OP": "?"} for _ in range(MAX_REPEAT - required)]
        else:
            out.append(spec if op is None else {**spec, "OP": op})
    return out


def _token_options(token: Mapping[str, Any], wildcards: str) -> tuple[list[str | None], str, bool]:
    """(alternatives, None for an absent optional token; why it cannot be written; case lost)"""
    op = token.get("OP")
    keys = set(token) - {"OP"}
    if op not in (None, "?"):
        return [], f"operator OP '{op}' has no dictionary equivalent", False
    if not keys:
        return [], "a token that matches any word has no dictionary equivalent", False
    if len(keys) > 1:
        return [], f"a token constrains {', '.join(sorted(keys))} at once", False
    (attr,) = keys
    if attr not in ("LOWER", "ORTH", "TEXT", "NORM"):
        return [], f"{attr} has no dictionary equivalent", False
    value = token[attr]
    case = False
    alternatives: list[str | None] = []
    if isinstance(value, dict) and set(value) == {"REGEX"} and attr in ("LOWER", "NORM"):
        pieces = _regex_pieces(str(value["REGEX"]))
        if pieces is None:
            return [], f"the regular expression '{value['REGEX']}' is not a wildcard", False
        if any(p.wild and p.text not in wildcards for p in pieces):
            return [], "the '?' wildcard has no equivalent here", False
        if any(not p.wild and _has_wild(p.text, wildcards) for p in pieces):
            return [], "a literal wildcard character cannot be written", False
        alternatives.append("".join(p.text for p in pieces))
    else:
        if isinstance(value, dict):
            if set(value) != {"IN"} or not isinstance(value["IN"], list):
                return [], f"{attr} {{{', '.join(value)}}} has no dictionary equivalent", False
            values = [str(v) for v in value["IN"]]
        else:
            values = [str(value)]
        for v in values:
            if _has_wild(v, wildcards):
                return [], f"'{v}' contains a wildcard character", False
            case |= attr in ("ORTH", "TEXT") and v.lower() != v.upper()
            alternatives.append(v)
    if op == "?":
        alternatives.append(None)
    return alternatives, "", case


@functools.lru_cache(maxsize=65536)
def _may_touch(left: str, right: str, language: str) -> bool:
    """Whether two tokens written together may still be two tokens."""
    if not (left[-1:].isalnum() and right[:1].isalnum()):
        return True  # a mark at the border: "x" + "-", "putin" + "'s"
    return [t.text for t in _tokenizer(language)(left + right)] == [left, right]  # "do" "n't"


def _join_tokens(tokens: Sequence[str], wildcards: str, language: str) -> str:
    """Write tokens as one wording, as compact as reads back to the same tokens: "putin" "'s"
    "war" -> "putin's war", "x" "-" "ray*" -> "x-ray*", "kiev" "regime" -> "kiev regime"."""
    tokenize = _tokenizer(language)

    def reading(text: str) -> object:
        if _has_wild(text, wildcards):
            return glob_to_pattern(text, wildcards=wildcards, language=language)
        return [t.lower_ for t in tokenize(text)]

    def bare(text: str) -> str:
        return "".join(ch for ch in text if ch not in wildcards)

    spaced = " ".join(tokens)
    optional = [
        i
        for i, (left, right) in enumerate(itertools.pairwise(tokens))
        if _may_touch(bare(left), bare(right), language)
    ]
    if not optional:
        return spaced
    expected = reading(spaced)
    for n_spaces in range(len(optional)):  # fewest spaces first
        for spaced_at in itertools.combinations(optional, n_spaces):
            gaps = ["" if i in optional and i not in spaced_at else " " for i in range(len(tokens))]
            text = "".join(t + g for t, g in zip(tokens, gaps, strict=True)).strip()
            if reading(text) == expected:
                return text
    return spaced


def _pattern_wordings(
    pattern: Pattern, match: str, wildcards: str, language: str
) -> tuple[list[str], str, bool]:
    """(wordings, reason it cannot be written or "", whether case-sensitivity is lost)."""
    if isinstance(pattern, str):
        if _has_wild(pattern, wildcards):
            return [], f"'{pattern}' contains a wildcard character", False
        if match == "lemma":
            return _lemma_phrases(pattern, language), "", False
        return [pattern], "", match == "exact"
    options: list[list[str | None]] = []
    case = False  # the matcher ignores `match` for token patterns; only ORTH and TEXT see case
    for token in _expand_tokens(pattern):
        alternatives, reason, token_case = _token_options(token, wildcards)
        if reason:
            return [], reason, False
        case |= token_case
        options.append(alternatives)
    n = 1
    for o in options:
        n *= len(o)
    if n > MAX_WORDINGS:
        return [], f"it stands for {n:,} wordings (more than {MAX_WORDINGS:,})", False
    wordings: list[str] = []
    for combo in itertools.product(*options):
        present = [t for t in combo if t is not None]
        if present:
            wordings.append(_join_tokens(present, wildcards, language))
    return list(dict.fromkeys(wordings)), "", case


@dataclass
class _Notes:
    """What an export loses, gathered per kind so that a lexicon of 600 entries gives a page."""

    by_kind: dict[str, list[str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def add(self, kind: str, entry_id: str) -> None:
        self.by_kind.setdefault(kind, []).append(entry_id)

    def render(self) -> list[str]:
        out = []
        for kind, ids in self.by_kind.items():
            shown = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
            n = len(ids)
            out.append(f"{kind}: {n} entr{'y' if n == 1 else 'ies'} ({shown})")
        return out + self.lines


def _export(lexicon: Lexicon, wildcards: str, fmt: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(category, wording) pairs in lexicon order, without duplicates; and the notes."""
    notes = _Notes()
    language = lexicon.infos[0].language if lexicon.infos else "en"
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    for entry in lexicon:
        lost = [
            (entry.weight != 1, f"weight not kept (a {fmt} has none; weight-0 reference wordings "
                                "count like any other)"),
            (bool(entry.stance), "stance tags not kept"),
            (bool(entry.neutral), "neutral alternatives not kept"),
            (bool(entry.exclude), "exclusions not kept (these wordings now also match where the "
                                  "lexicon excluded them)"),
            (entry.concept is not None, "concept membership not kept"),
            (entry.reviewed is not None, "reviewed precision not kept"),
            (entry.match == "lemma", "match: lemma written out as every inflected form"),
        ]  # fmt: skip
        for flag, kind in lost:
            if flag:
                notes.add(kind, entry.id)
        written = 0
        case_lost = False
        for pattern in entry.patterns:
            wordings, reason, case = _pattern_wordings(pattern, entry.match, wildcards, language)
            if reason:
                notes.lines.append(f"entry {entry.id}: pattern {_show(pattern)} dropped: {reason}")
                continue
            case_lost |= case
            for wording in wordings:
                key = (entry.category, " ".join(wording.lower().split()))
                pairs.setdefault(key, (entry.category, wording))
                written += 1
        if case_lost:
            notes.add(
                "case-sensitive matching (match: exact, ORTH) became case-insensitive", entry.id
            )
        if not written:
            notes.lines.append(f"entry {entry.id} dropped: none of its patterns can be written")
    if lexicon.entries:
        n = len(lexicon.entries)
        notes.lines.append(
            f"explain, sources, examples and ids of {n} entries and category descriptions are not "
            f"kept (a {fmt} has none); read back, each wording is its own entry"
        )
    if lexicon.concepts:
        notes.lines.append(f"{len(lexicon.concepts)} concepts not kept")
    return list(pairs.values()), notes.render()


def _show(pattern: Pattern) -> str:
    text = repr(pattern) if isinstance(pattern, str) else repr([dict(t) for t in pattern])
    return text if len(text) <= 80 else text[:77] + "..."


def _used_categories(lexicon: Lexicon, pairs: Iterable[tuple[str, str]]) -> list[str]:
    used = {c for c, _ in pairs}
    ordered = [c for c in lexicon.categories if c in used]
    return ordered + sorted(used - set(ordered))


# --- writers -----------------------------------------------------------------------------------


def _is_comment(line: str) -> bool:
    return line.startswith("//") or line == "#" or (line.startswith("#") and line[1].isspace())


def write_dic(lexicon: Lexicon, path: str | Path) -> list[str]:
    """Write a lexicon as a LIWC ``.dic`` dictionary.

    Categories are numbered 1, 2, … in the lexicon's order and named by their ids; each line
    holds a wording and, tab-separated, the numbers of its categories.

    Parameters
    ----------
    lexicon
        The lexicon (one or several merged).
    path
        The ``.dic`` file to write (UTF-8, no BOM).

    Returns
    -------
    list of str
        Notes of everything the dictionary could not hold (see the module docstring).
    """
    pairs, notes = _export(lexicon, DIC_WILDCARDS, "LIWC .dic")
    kept: list[tuple[str, str]] = []
    for category, wording in pairs:
        if _is_comment(wording):
            notes.append(f"'{wording}' dropped: a .dic reader takes it for a comment")
            continue
        if any("*" in word[:-1] for word in wording.split()):
            notes.append(f"'{wording}': LIWC itself expands only a '*' at the end of a word")
        kept.append((category, wording))
    categories = _used_categories(lexicon, kept)
    number = {c: i for i, c in enumerate(categories, 1)}
    lines = ["%", *(f"{number[c]}\t{c}" for c in categories), "%"]
    rows: dict[str, tuple[str, list[int]]] = {}
    for category, wording in kept:
        row = rows.setdefault(" ".join(wording.lower().split()), (wording, []))
        row[1].append(number[category])
    lines += [f"{wording}\t" + "\t".join(map(str, nums)) for wording, nums in rows.values()]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return notes


def write_quanteda_yaml(lexicon: Lexicon, path: str | Path) -> list[str]:
    """Write a lexicon as a quanteda YAML dictionary.

    Dotted categories become nested keys (``frame.security`` -> ``frame: {security: [...]}``);
    the wordings of a category that also has sub-categories go under the key ``__``, as
    quanteda's ``as.yaml`` writes them.

    Parameters
    ----------
    lexicon
        The lexicon (one or several merged).
    path
        The ``.yml`` file to write.

    Returns
    -------
    list of str
        Notes of everything the dictionary could not hold (see the module docstring).
    """
    pairs, notes = _export(lexicon, QUANTEDA_WILDCARDS, "quanteda dictionary")
    tree: dict[str, Any] = {}
    for category in _used_categories(lexicon, pairs):
        node = tree
        for part in category.split("."):
            node = node.setdefault(part, {})
        node.setdefault("__", [])
    for category, wording in pairs:
        node = tree
        for part in category.split("."):
            node = node[part]
        node["__"].append(wording)

    def simplify(node: dict[str, Any]) -> Any:
        children = {k: simplify(v) for k, v in node.items() if k != "__"}
        own = node.get("__", [])
        if not children:
            return own
        return {**children, "__": own} if own else children

    doc = {k: simplify(v) for k, v in tree.items()}
    Path(path).write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
    return notes


def write_native(lexicon: Lexicon, path: str | Path) -> list[str]:
    """Write a lexicon as native YAML: its first lexicon to `path`, each further one beside it.

    An imported dictionary with wordings in several categories is several lexicons (see the
    module docstring): ``tiny`` goes to `path`, ``tiny-2`` to ``<path stem>-2.yaml`` and so on.
    Every file written is validated by reading it back.

    Returns
    -------
    list of str
        A note naming the further files, if any.

    Raises
    ------
    LexiconError
        If a written file does not validate (a bug: please report it).
    """
    path = Path(path)
    written: list[Path] = []
    for k, info in enumerate(lexicon.infos):
        target = path if k == 0 else path.with_name(f"{path.stem}-{k + 1}{path.suffix}")
        write_lexicon(lexicon, target, name=info.name)
        written.append(target)
    read_lexicons(written)
    if len(written) > 1:
        return [
            f"wrote {len(written)} lexicon files; load them together: "
            + ", ".join(str(p) for p in written)
        ]
    return []


# --- readers -----------------------------------------------------------------------------------


@dataclass
class _Report:
    """Problems of one input file, all reported at once."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, message: str, where: str = "") -> None:
        self.problems.append(Problem(self.file, line, where, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise LexiconError(self.problems)


def _slug(text: str, *, dots: bool = False) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9_.]+" if dots else r"[^a-z0-9_]+", "-", ascii_text)
    if dots:
        slug = ".".join(part.strip("-_") for part in slug.split("."))
    return slug.strip("-_")


def _read_text(path: Path, report: _Report, notes: list[str]) -> str:
    """The file's text: UTF-8 (a BOM dropped), else Windows-1252 as LIWC2007 files often are."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        report.add(None, "file not found")
    except OSError as exc:
        report.add(None, f"cannot read: {exc}")
    report.raise_if_any()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(f"{path}: not UTF-8, read as Windows-1252")
        return raw.decode("cp1252", errors="replace")


@dataclass
class _Wording:
    text: str
    categories: list[str]  # native category ids, or .dic numbers, in the order the file gives
    line: int


def _category_ids(
    report: _Report, names: Sequence[tuple[tuple[str, ...], int | None]]
) -> dict[tuple[str, ...], str]:
    """Native ids of category names (key paths), every collision and empty name reported."""
    ids: dict[tuple[str, ...], str] = {}
    seen: dict[str, tuple[str, ...]] = {}
    for name, line in names:
        cid = ".".join(_slug(part, dots=True) for part in name)
        shown = ".".join(name)
        if any(not part for part in cid.split(".")):
            report.add(line, f"category '{shown}' needs letters or digits in every part")
        elif cid in seen and seen[cid] != name:
            report.add(
                line, f"categories '{'.'.join(seen[cid])}' and '{shown}' both become '{cid}'"
            )
        seen.setdefault(cid, name)
        ids[name] = cid
    return ids


def _with_parents(categories: Mapping[str, str], label: str) -> dict[str, str]:
    """The categories with every undeclared ancestor declared just before its first child."""
    out: dict[str, str] = {}
    for cid, description in categories.items():
        parts = cid.split(".")
        for k in range(1, len(parts)):
            parent = ".".join(parts[:k])
            if parent not in categories:
                out.setdefault(parent, f"Parent of categories imported from the {label}.")
        out[cid] = description
    return out


def _build(
    path: Path,
    fmt: str,
    categories: Mapping[str, str],
    names: Mapping[str, str],
    wordings: Sequence[_Wording],
    language: str,
    report: _Report,
    notes: list[str],
) -> Lexicon:
    """Native lexicon(s) of an imported dictionary: one entry per wording and category."""
    label = f"{_LABELS[fmt]} {path.name}"
    wildcards = DIC_WILDCARDS if fmt == "dic" else QUANTEDA_WILDCARDS
    name = _slug(path.stem, dots=True).strip(".") or "imported"
    layers: list[list[tuple[_Wording, str, Pattern]]] = []
    split: list[str] = []
    for w in wordings:
        try:
            pattern = glob_to_pattern(w.text, wildcards=wildcards, language=language)
        except ValueError as exc:
            report.add(w.line, f"'{w.text}': {exc}")
            continue
        if not isinstance(pattern, str) and _splits(w.text, wildcards, language):
            split.append(w.text)
        for k, category in enumerate(w.categories):
            if k == len(layers):
                layers.append([])
            layers[k].append((w, category, pattern))
    report.raise_if_any()

    ids: set[str] = set()
    infos: list[LexiconInfo] = []
    entries: list[Entry] = []
    for k, layer in enumerate(layers):
        layer_name = name if k == 0 else f"{name}-{k + 1}"
        description = f"Imported from the {label}."
        if k:
            description = (
                f"Imported from the {label}: the wordings it lists under more than one category, "
                f"with their category number {k + 1} (a lexicon of its own, so that each category "
                "counts them)."
            )
        infos.append(LexiconInfo(layer_name, "1.0.0", language, description, "", str(path)))
        # Most specific first: where several entries match the same words, the first counts.
        layer.sort(key=lambda item: _specificity(item[0].text, wildcards))
        literals = {" ".join(w.text.lower().split()) for w, _, p in layer if isinstance(p, str)}
        for w, category, pattern in layer:
            base = _slug(w.text) or "entry"
            if len(w.categories) > 1:
                base = f"{base}--{category}"
            entry_id, n = base, 1
            while entry_id in ids:
                n += 1
                entry_id = f"{base}-{n}"
            ids.add(entry_id)
            others = [repr(names[c]) for c in w.categories if c != category]
            also = f" (also listed under {', '.join(others)})" if others else ""
            miss = _miss_example(w.text, wildcards)
            if miss is None:
                report.add(w.line, f"'{w.text}': no miss example of ours avoids it")
                continue
            entries.append(
                Entry(
                    id=entry_id,
                    lexicon=layer_name,
                    category=category,
                    patterns=(pattern,),
                    explain=f"Imported from the {label}, category '{names[category]}'{also}.",
                    sources=(label,),
                    hit_examples=(_hit_example(w.text, wildcards, literals),),
                    miss_examples=(miss,),
                )
            )
    report.raise_if_any()
    if split:
        shown = ", ".join(split[:5]) + (", …" if len(split) > 5 else "")
        notes.append(
            f"{len(split)} wildcard wording(s) match less than in LIWC or quanteda ({shown}): "
            "the tokenizer splits the words they stand for ('self-help' -> 'self', '-', 'help'), "
            "so write such wordings out in full"
        )
    several = [w.text for w in wordings if len(w.categories) > 1]
    if several:
        shown = ", ".join(several[:5]) + (", …" if len(several) > 5 else "")
        notes.append(
            f"{len(several)} wording{'s are' if len(several) > 1 else ' is'} listed under several "
            f"categories ({shown}); each further "
            f"category is a lexicon of its own ({', '.join(i.name for i in infos[1:])}), so that "
            "every category counts them"
        )
    return Lexicon(tuple(infos), dict(categories), {}, {}, tuple(entries))


def _splits(text: str, wildcards: str, language: str) -> bool:
    """Whether a word the wildcards stand for has more tokens than the word without them."""
    tokenize = _tokenizer(language)
    for word in text.split():
        if _has_wild(word, wildcards):
            bare = "".join(ch for ch in word if ch not in wildcards)
            filled = "".join("x" if ch in wildcards else ch for ch in word)
            if len(tokenize(bare)) != len(tokenize(filled)):
                return True
    return False


def _only_wildcards(text: str, wildcards: str) -> bool:
    return any(not word.strip(wildcards) for word in text.split())


def _specificity(text: str, wildcards: str) -> tuple[bool, int]:
    """Literal wordings first, then wildcards with more literal characters first."""
    if not _has_wild(text, wildcards):
        return False, 0
    return True, -sum(ch not in wildcards for ch in text)


def _hit_example(text: str, wildcards: str, literals: set[str]) -> str:
    """The wording with its wildcards filled in, and not another entry's literal wording."""
    out = text
    for fill in ("", "s", "ed", "ing", "x", "xx"):
        out = "".join(("a" if ch == "?" else fill) if ch in wildcards else ch for ch in text)
        if out == text or " ".join(out.lower().split()) not in literals:
            break
    return out


def _miss_example(text: str, wildcards: str) -> str | None:
    """A sentence of ours that cannot contain the wording (every literal part must appear)."""
    parts = [p for p in re.split("[" + re.escape(wildcards) + r"\s]+", text.lower()) if p]
    for candidate in _MISS_CANDIDATES:
        if not all(p in candidate.lower() for p in parts):
            return candidate
    return None


def read_dic(path: str | Path, *, language: str = "en", notes: list[str] | None = None) -> Lexicon:
    """Read a LIWC ``.dic`` dictionary (LIWC2007, LIWC2015 or LIWC-22) as a native lexicon.

    Parameters
    ----------
    path
        The ``.dic`` file. The lexicon is named after its stem.
    language
        The lexicon's language (and tokenizer for wildcard words).
    notes
        If given, notes of what was skipped or split are appended to it.

    Returns
    -------
    Lexicon
        One entry per wording and category; see the module docstring for wordings listed under
        several categories.

    Raises
    ------
    LexiconError
        With every problem (missing ``%`` header, bad category line, unknown category number,
        a line without category numbers, …) as ``file:line: message``.
    """
    path = Path(path)
    report = _Report(str(path))
    notes = notes if notes is not None else []
    text = _read_text(path, report, notes)
    header: dict[int, tuple[str, str, int]] = {}  # number -> (name, description, line)
    wordings: dict[str, _Wording] = {}
    state = "start"
    indented = False
    skipped: list[str] = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or _is_comment(line):
            continue
        if state == "start":
            if line != "%":
                report.add(lineno, "missing '%' header: a .dic starts with a line '%', then one "
                           "'number<TAB>name' line per category, then '%'")  # fmt: skip
                break
            state = "header"
        elif state == "header" and line == "%":
            state = "entries"
            if not header:
                report.add(lineno, "the '%' header declares no categories")
        elif state == "header":
            m = _DIC_HEADER.fullmatch(line)
            if not m:
                report.add(
                    lineno, f"expected 'number<TAB>category name' in the header, got {line!r}"
                )
                continue
            indented |= raw.startswith("\t")
            number = int(m.group(1))
            fields = [f.strip() for f in m.group(2).split("\t") if f.strip()]
            if number in header:
                report.add(lineno, f"category number {number} is declared twice (first on line "
                           f"{header[number][2]})")  # fmt: skip
                continue
            header[number] = (fields[0], " ".join(fields[1:]).strip("() "), lineno)
        else:
            _dic_entry(report, lineno, line, header, wordings, skipped)
    if state == "header":
        report.add(None, "the '%' header is never closed by a line '%'")
    ids = _category_ids(report, [((name,), line) for name, _, line in header.values()])
    report.raise_if_any()
    id_of = {n: ids[(name,)] for n, (name, _, _) in header.items()}
    label = f"LIWC dictionary {path.name}"
    categories = {
        id_of[n]: description or f"Category '{name}' ({n}) of the {label}."
        for n, (name, description, _) in header.items()
    }
    if skipped:
        shown = ", ".join(skipped[:3]) + (", …" if len(skipped) > 3 else "")
        notes.append(f"{len(skipped)} LIWC2007 conditional category codes skipped ({shown})")
    if indented:
        notes.append(
            "the header's indentation (category hierarchy) is not kept: LIWC lists each word "
            "under its parent categories itself"
        )
    native = [
        _Wording(w.text, list(dict.fromkeys(id_of[int(c)] for c in w.categories)), w.line)
        for w in wordings.values()
        if w.categories
    ]
    names = {id_of[n]: name for n, (name, _, _) in header.items()}
    return _build(path, "dic", _with_parents(categories, label), names, native, language, report,
                  notes)  # fmt: skip


def _dic_entry(
    report: _Report,
    lineno: int,
    line: str,
    header: Mapping[int, tuple[str, str, int]],
    wordings: dict[str, _Wording],
    skipped: list[str],
) -> None:
    """Parse one entry line of a .dic into `wordings` (categories as number strings)."""

    def is_category(text: str) -> bool:
        return bool(_DIC_NUMBER.fullmatch(text) or _DIC_CONDITIONAL.match(text))

    if "\t" in line:
        word, rest = (part.strip() for part in line.split("\t", 1))
        fields = _DIC_FIELD.findall(rest)
        bad = [f for f in fields if not is_category(f)]
        if bad:
            report.add(
                lineno, f"'{word}': expected category numbers after the word, got {bad[0]!r}"
            )
            return
    else:  # separated by spaces: the trailing numbers are categories, the rest is the wording
        parts = _DIC_FIELD.findall(line)
        k = len(parts)
        while k > 1 and is_category(parts[k - 1]):
            k -= 1
        word, fields = " ".join(parts[:k]), parts[k:]
    if not fields:
        report.add(lineno, f"'{word}' has no category numbers (expected 'word<TAB>number')")
        return
    numbers = [f for f in fields if _DIC_NUMBER.fullmatch(f)]
    skipped += [f for f in fields if not _DIC_NUMBER.fullmatch(f)]
    unknown = [n for n in numbers if int(n) not in header]
    if unknown:
        declared = ", ".join(map(str, sorted(header))) or "none"
        report.add(lineno, f"'{word}': unknown category number {', '.join(unknown)} (the header "
                   f"declares {declared})")  # fmt: skip
        return
    if _only_wildcards(word, DIC_WILDCARDS):
        report.add(lineno, f"'{word}': a word of wildcards only would match every word")
        return
    wording = wordings.setdefault(" ".join(word.lower().split()), _Wording(word, [], lineno))
    wording.categories += [n for n in numbers if n not in wording.categories]


def read_quanteda_yaml(
    path: str | Path, *, language: str = "en", notes: list[str] | None = None
) -> Lexicon:
    """Read a quanteda YAML dictionary as a native lexicon.

    Keys are categories, nested keys dotted categories (``frame: {security: [...]}`` ->
    ``frame.security``); values are lists of glob wordings (``*`` any characters, ``?`` one),
    phrases as space-separated words. A key ``__`` holds the wordings of its parent key, as
    quanteda's ``as.yaml`` writes a key that has both wordings and sub-keys; a list that mixes
    wordings and ``{key: [...]}`` mappings is read the same way. Repeated keys are merged.

    Parameters
    ----------
    path
        The ``.yml``/``.yaml`` file. The lexicon is named after its stem.
    language
        The lexicon's language (and tokenizer for wildcard words).
    notes
        If given, notes of what was split are appended to it.

    Returns
    -------
    Lexicon
        One entry per wording and category.

    Raises
    ------
    LexiconError
        With every problem, as ``file:line: key.path: message``.
    """
    path = Path(path)
    report = _Report(str(path))
    notes = notes if notes is not None else []
    text = _read_text(path, report, notes)
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        report.add(mark.line + 1 if mark else None, f"invalid YAML: {getattr(exc, 'problem', exc)}")
        report.raise_if_any()
    if not isinstance(root, yaml.MappingNode):
        report.add(1, "expected a mapping of category names to lists of wordings")
        raise LexiconError(report.problems)
    keys: dict[tuple[str, ...], int] = {}  # key path -> line of its first appearance
    found: list[tuple[tuple[str, ...], str, int]] = []  # (key path, wording, line)

    def walk(node: yaml.Node, where: tuple[str, ...]) -> None:
        dotted = ".".join(where)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                key = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else ""
                if not key:
                    report.add(line, "expected a category name", dotted)
                elif key == "__" and not where:
                    report.add(line, "'__' holds a key's own wordings; at the top there is none")
                elif key == "__":
                    walk(value_node, where)
                else:
                    keys.setdefault((*where, key), line)
                    walk(value_node, (*where, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                if isinstance(item, yaml.SequenceNode):
                    report.add(item.start_mark.line + 1, "expected a wording, got a list",
                               f"{dotted}[{i}]")  # fmt: skip
                else:
                    walk(item, where)
        elif isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null"):
            line, value = node.start_mark.line + 1, str(node.value).strip()
            if not where:
                report.add(line, "a wording needs a category key")
            elif node.tag.endswith(":bool"):
                report.add(line, f"'{value}' is a YAML boolean; quote words such as 'yes', 'no', "
                           "'on' and 'off'", dotted)  # fmt: skip
            elif not value:
                report.add(line, "empty wording", dotted)
            elif _only_wildcards(value, QUANTEDA_WILDCARDS):
                report.add(
                    line, f"'{value}': a word of wildcards only would match every word", dotted
                )
            else:
                found.append((where, value, line))

    walk(root, ())
    ids = _category_ids(report, list(keys.items()))
    report.raise_if_any()
    label = f"quanteda dictionary {path.name}"
    categories = {ids[k]: f"Category '{'.'.join(k)}' of the {label}." for k in keys}
    names = {ids[k]: ".".join(k) for k in keys}
    wordings: dict[str, _Wording] = {}
    for where, value, line in found:
        w = wordings.setdefault(" ".join(value.lower().split()), _Wording(value, [], line))
        if ids[where] not in w.categories:
            w.categories.append(ids[where])
    return _build(path, "quanteda", _with_parents(categories, label), names,
                  list(wordings.values()), language, report, notes)  # fmt: skip


# --- any format ------------------------------------------------------------------------------


def detect_format(path: str | Path) -> str:
    """``native``, ``dic`` or ``quanteda``: by suffix, and for YAML by content.

    A native lexicon has a top-level ``lexicon:`` or ``entries:`` key; a folder holds native
    lexicons.

    Raises
    ------
    LexiconError
        For any other suffix.
    """
    path = Path(path)
    if path.is_dir():
        return "native"
    suffix = path.suffix.lower()
    if suffix == ".dic":
        return "dic"
    if suffix in (".yml", ".yaml"):
        try:
            data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_SafeLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            data = None  # the reader reports it, with the line
        if isinstance(data, dict) and ("lexicon" in data or "entries" in data):
            return "native"
        return "quanteda"
    raise LexiconError(
        [Problem(str(path), None, "", f"unknown dictionary format '{suffix}': expected .dic "
                 "(LIWC), .yml/.yaml (quanteda or native) or a folder of native lexicons")]
    )  # fmt: skip


def read_any(path: str | Path, *, language: str = "en", notes: list[str] | None = None) -> Lexicon:
    """Read a native lexicon (file or folder), a LIWC ``.dic`` or a quanteda YAML dictionary.

    The format comes from `detect_format`. `language` and `notes` are passed to the
    dictionary readers.
    """
    fmt = detect_format(path)
    if fmt == "native":
        return read_lexicons([path])
    reader: Callable[..., Lexicon] = read_dic if fmt == "dic" else read_quanteda_yaml
    return reader(path, language=language, notes=notes)


def convert(src: str | Path, dst: str | Path, *, to: str | None = None) -> list[str]:
    """Convert a lexicon or dictionary between native YAML, LIWC ``.dic`` and quanteda YAML.

    Parameters
    ----------
    src
        What to read (format as in `detect_format`).
    dst
        What to write.
    to
        ``native``, ``dic`` or ``quanteda``. Default: ``dic`` for a ``.dic`` destination;
        for ``.yml``/``.yaml`` the other YAML format than the source's (a native source gives
        quanteda, a dictionary gives native).

    Returns
    -------
    list of str
        Notes: what reading skipped or split, what the target format could not hold, and which
        files were written besides `dst`.

    Raises
    ------
    LexiconError
        If the source has problems, or the target format is unknown.
    """
    notes: list[str] = []
    source = detect_format(src)
    if to is None:
        suffix = Path(dst).suffix.lower()
        to = "dic" if suffix == ".dic" else ("quanteda" if source == "native" else "native")
    if to not in FORMATS:
        raise LexiconError(
            [Problem(str(dst), None, "--to", f"expected one of {', '.join(FORMATS)}, got {to!r}")]
        )
    lexicon = read_any(src, notes=notes)
    writers: dict[str, Callable[[Lexicon, str | Path], list[str]]] = {
        "native": write_native,
        "dic": write_dic,
        "quanteda": write_quanteda_yaml,
    }
    return notes + writers[to](lexicon, dst)
