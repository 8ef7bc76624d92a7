"""Lexicon schema: read, validate and write YAML lexicons of loaded terms."""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import os
import pickle
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from framing.errors import LexiconError, Problem

__all__ = [
    "MATCH_MODES",
    "Concept",
    "Entry",
    "Lexicon",
    "LexiconInfo",
    "bundled_lexicon_dir",
    "read_lexicons",
    "set_reviewed",
    "write_lexicon",
]

MATCH_MODES = ("lower", "lemma", "exact")
TokenPattern = tuple[Mapping[str, Any], ...]
Pattern = str | TokenPattern

# libyaml's safe loader when PyYAML was built with it (10x faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_CATEGORY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
_T = TypeVar("_T")

_TOP_KEYS = {
    "lexicon": True,
    "version": True,
    "language": True,
    "description": True,
    "license": False,
    "categories": True,
    "stances": False,
    "concepts": False,
    "entries": True,
}
_ENTRY_KEYS = {
    "id": True,
    "category": True,
    "patterns": True,
    "match": False,
    "weight": False,
    "stance": False,
    "neutral": False,
    "explain": True,
    "sources": True,
    "exclude": False,
    "examples": True,
    "reviewed": False,
}


@dataclass(frozen=True)
class Entry:
    """One loaded term (or family of wordings) and everything a reader needs to judge a hit."""

    id: str
    lexicon: str
    category: str
    patterns: tuple[Pattern, ...]
    match: str = "lower"
    weight: int = 1
    stance: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()
    explain: str = ""
    sources: tuple[str, ...] = ()
    exclude: tuple[Pattern, ...] = ()
    hit_examples: tuple[str, ...] = ()
    miss_examples: tuple[str, ...] = ()
    concept: str | None = None
    reviewed: tuple[int, int] | None = None  # (n reviewed, n correct)


@dataclass(frozen=True)
class Concept:
    """One referent with competing names; shares of each variant are compared across outlets."""

    id: str
    lexicon: str
    description: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class LexiconInfo:
    """Header of one lexicon file, recorded in run.json so results name their lexicon versions."""

    name: str
    version: str
    language: str
    description: str
    license: str
    path: str


@dataclass(frozen=True)
class Lexicon:
    """One or many validated lexicon files merged; entry and concept ids are unique across them."""

    infos: tuple[LexiconInfo, ...]
    categories: Mapping[str, str]
    stances: Mapping[str, str]
    concepts: Mapping[str, Concept]
    entries: tuple[Entry, ...]
    _by_id: Mapping[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with this id (KeyError names it if absent)."""
        return self._by_id[entry_id]


def bundled_lexicon_dir() -> Path:
    """Folder of the bundled lexicons: in the installed package, or `lexicons/` in a checkout."""
    packaged = Path(str(resources.files("framing"))) / "lexicons"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "lexicons"
    if checkout.is_dir():
        return checkout
    raise LexiconError([Problem(str(packaged), None, "", "bundled lexicons not found")])


def _lexicon_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml")))
        else:
            files.append(p)
    return files


def read_lexicons(paths: Iterable[str | Path] | None = None) -> Lexicon:
    """Read, validate and merge lexicon files.

    Parameters
    ----------
    paths
        YAML files or folders of them; ``None`` reads every bundled lexicon.

    Returns
    -------
    Lexicon
        The merged lexicon.

    Raises
    ------
    LexiconError
        With every problem in every file (file, line, field path, message), not just the first.
    """
    files = _lexicon_files([bundled_lexicon_dir()] if paths is None else paths)
    cache = _cache_file(files)
    cached = read_cached(cache, Lexicon)
    if cached is not None:
        return cached
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(", ".join(map(str, paths or [])), None, "", "no lexicon files"))
    parsed: list[_Parsed] = []
    for f in files:
        result = _parse_file(f, problems)
        if result is not None:
            parsed.append(result)
    lexicon = _merge(parsed, problems)
    if problems:
        raise LexiconError(problems)
    write_cached(cache, lexicon)
    return lexicon


def read_cached(path: Path | None, kind: type[_T]) -> _T | None:
    """The object pickled at `path` if it is a `kind`; None if there is none (no cache yet, or
    one from another version of this code: the caller computes it afresh)."""
    if path is None:
        return None
    try:
        cached = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return cached if isinstance(cached, kind) else None


def write_cached(path: Path | None, value: object) -> None:
    """Pickle `value` to `path` atomically (no reader sees half a file); a cache that can't be
    written (a read-only home) only costs the next process the time to compute it."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)


def cache_dir() -> Path | None:
    """framing's cache folder (FRAMING_CACHE_DIR, default ~/.cache/framing); None if switched off
    (FRAMING_CACHE_DIR set to an empty string)."""
    folder = os.environ.get("FRAMING_CACHE_DIR")
    if folder == "":
        return None
    return Path(folder) if folder else Path.home() / ".cache" / "framing"


def _cache_file(files: list[Path]) -> Path | None:
    """Where a valid read of exactly these files (and this validation code) is kept.

    Parsing and validating the bundled lexicons takes about a second, paid by every command
    and every worker process; the pickled result loads in milliseconds. The key covers each
    file's path and bytes and the source of this module, so any edit means a fresh read.
    Set FRAMING_CACHE_DIR to move the cache, or to an empty string to switch it off.
    """
    root = cache_dir()
    if root is None:
        return None
    digest = hashlib.sha256(Path(__file__).read_bytes())
    try:
        for f in files:
            digest.update(str(f.resolve()).encode() + b"\0" + f.read_bytes() + b"\0")
    except OSError:
        return None  # a missing file: the normal read reports it
    return root / "lexicons" / f"{digest.hexdigest()}.pickle"


# --- parsing with line numbers -------------------------------------------------------------


@dataclass
class _Parsed:
    path: str
    data: dict[str, Any]
    lines: dict[tuple[str | int, ...], int]


def _index_lines(
    node: yaml.Node,
    path: tuple[str | int, ...],
    lines: dict[tuple[str | int, ...], int],
    problems: list[Problem],
    file: str,
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(file, key_node.start_mark.line + 1, _fmt((*path, key)), "duplicate key")
                )
            seen.add(key)
            _index_lines(value_node, (*path, key), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), lines, problems, file)


def _fmt(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _parse_file(path: Path, problems: list[Problem]) -> _Parsed | None:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(file, None, "", "file not found"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(file, None, "", f"cannot read: {exc}"))
        return None
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
        data = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problems.append(Problem(file, line, "", f"invalid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if node is None or not isinstance(data, dict):
        problems.append(
            Problem(file, 1, "", "expected a mapping with keys 'lexicon', 'entries', …")
        )
        return None
    lines: dict[tuple[str | int, ...], int] = {}
    _index_lines(node, (), lines, problems, file)
    return _Parsed(file, data, lines)


class _Checker:
    """Collects problems for one file, locating each by its field path."""

    def __init__(self, parsed: _Parsed, problems: list[Problem]) -> None:
        self.parsed = parsed
        self.problems = problems

    def add(self, path: tuple[str | int, ...], message: str) -> None:
        probe = path
        while probe not in self.parsed.lines and probe:
            probe = probe[:-1]
        self.problems.append(
            Problem(self.parsed.path, self.parsed.lines.get(probe), _fmt(path), message)
        )

    def text(self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            if key in obj:  # an absent key is reported once, as a missing required field
                self.add((*path, key), f"expected a non-empty string, got {_show(value)}")
            return ""
        return value.strip()

    def strings(
        self, obj: Mapping[str, Any], key: str, path: tuple[str | int, ...], *, required: bool
    ) -> tuple[str, ...]:
        value = obj.get(key)
        if (value is None and not required) or key not in obj:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or (required and not value):
            self.add((*path, key), f"expected a non-empty list of strings, got {_show(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add((*path, key, i), f"expected a non-empty string, got {_show(item)}")
            else:
                out.append(item.strip())
        return tuple(out)

    def keys(
        self, obj: Mapping[str, Any], spec: Mapping[str, bool], path: tuple[str | int, ...]
    ) -> None:
        for key in obj:
            if key not in spec:
                self.add((*path, str(key)), f"unknown field{_suggest(str(key), spec)}")
        for key, required in spec.items():
            if required and key not in obj:
                self.add((*path, key), "missing required field")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _patterns(
    check: _Checker, value: Any, path: tuple[str | int, ...], *, required: bool
) -> tuple[Pattern, ...]:
    """Phrases, or spaCy token patterns (lists of token dicts) checked by spaCy's schema."""
    from spacy.schemas import validate_token_pattern

    if value is None and not required:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or (required and not value):
        check.add(
            path, f"expected a non-empty list of phrases or token patterns, got {_show(value)}"
        )
        return ()
    out: list[Pattern] = []
    for i, item in enumerate(value):
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, list) and item and all(isinstance(t, dict) for t in item):
            errors = validate_token_pattern(item) + _token_pattern_hints(item)
            for err in errors:
                check.add((*path, i), f"invalid token pattern: {err}")
            if not errors:
                out.append(tuple(item))
        else:
            check.add((*path, i), f"expected a phrase or a list of token dicts, got {_show(item)}")
    return tuple(out)


def _token_pattern_hints(pattern: list[dict[str, Any]]) -> list[str]:
    """Mistakes spaCy's schema lets through: YAML booleans, values no single token can have."""
    hints = []
    for j, token in enumerate(pattern):
        for attr, value in token.items():
            values = value.get("IN", []) if isinstance(value, dict) else [value]
            for v in values if isinstance(values, list) else []:
                if isinstance(v, bool) and attr in _TEXT_ATTRS:
                    hints.append(
                        f"token {j} {attr}: {v} is a YAML boolean; quote words such as "
                        "'on', 'off', 'yes' and 'no'"
                    )
                elif (
                    attr in _TEXT_ATTRS
                    and isinstance(v, str)
                    # "u.s." is one token when written "U.S.": try the usual casings
                    and all(len(_tokenizer()(form)) > 1 for form in {v, v.upper(), v.title()})
                ):
                    hints.append(
                        f"token {j} {attr}: '{v}' is split into several tokens and never "
                        "matches one; use a phrase pattern or one dict per token"
                    )
    return hints


_TEXT_ATTRS = ("LOWER", "ORTH", "TEXT", "LEMMA", "NORM")


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _check_entry(
    check: _Checker,
    raw: Any,
    i: int,
    name: str,
    categories: Mapping[str, str],
    stances: Mapping[str, str],
) -> Entry | None:
    path: tuple[str | int, ...] = ("entries", i)
    if not isinstance(raw, dict):
        check.add(path, f"expected a mapping, got {_show(raw)}")
        return None
    check.keys(raw, _ENTRY_KEYS, path)
    entry_id = check.text(raw, "id", path)
    if entry_id and not _ID_RE.match(entry_id):
        check.add(
            (*path, "id"), f"'{entry_id}' must be lower case letters, digits, '-', '_' or '.'"
        )
    category = check.text(raw, "category", path)
    if category and category not in categories:
        check.add(
            (*path, "category"), f"unknown category '{category}'{_suggest(category, categories)}"
        )
    patterns = _patterns(check, raw.get("patterns"), (*path, "patterns"), required=True)
    match = raw.get("match", "lower")
    if match not in MATCH_MODES:
        check.add((*path, "match"), f"expected one of {', '.join(MATCH_MODES)}, got {_show(match)}")
    weight = raw.get("weight", 1)
    if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 3:
        check.add((*path, "weight"), f"expected a whole number from 0 to 3, got {_show(weight)}")
        weight = 1
    stance = check.strings(raw, "stance", path, required=False)
    for j, tag in enumerate(stance):
        if tag not in stances:
            check.add((*path, "stance", j), f"undeclared stance '{tag}'{_suggest(tag, stances)}")
    neutral = check.strings(raw, "neutral", path, required=False)
    explain = check.text(raw, "explain", path)
    sources = check.strings(raw, "sources", path, required=True)
    exclude = _patterns(check, raw.get("exclude"), (*path, "exclude"), required=False)
    examples = raw.get("examples")
    hits: tuple[str, ...] = ()
    misses: tuple[str, ...] = ()
    if not isinstance(examples, dict):
        if "examples" in raw:
            check.add(
                (*path, "examples"),
                f"expected a mapping with 'hit' and 'miss', got {_show(examples)}",
            )
    else:
        check.keys(examples, {"hit": True, "miss": True}, (*path, "examples"))
        if "hit" in examples:
            hits = check.strings(examples, "hit", (*path, "examples"), required=True)
        if "miss" in examples:
            misses = check.strings(examples, "miss", (*path, "examples"), required=True)
    reviewed = raw.get("reviewed")
    review: tuple[int, int] | None = None
    if reviewed is not None:
        n, correct = (
            (reviewed.get("n"), reviewed.get("correct"))
            if isinstance(reviewed, dict)
            else (None, None)
        )
        if not (isinstance(n, int) and isinstance(correct, int) and 0 <= correct <= n):
            check.add(
                (*path, "reviewed"),
                f"expected {{n: int, correct: int <= n}}, got {_show(reviewed)}",
            )
        else:
            review = (n, correct)
    if not (entry_id and category and patterns):
        return None
    return Entry(
        id=entry_id,
        lexicon=name,
        category=category,
        patterns=patterns,
        match=str(match),
        weight=weight,
        stance=stance,
        neutral=neutral,
        explain=explain,
        sources=sources,
        exclude=exclude,
        hit_examples=hits,
        miss_examples=misses,
        reviewed=review,
    )


def _check_file(
    parsed: _Parsed, problems: list[Problem]
) -> tuple[
    LexiconInfo, dict[str, str], dict[str, str], list[Concept], list[tuple[Entry, _Checker, int]]
]:
    check = _Checker(parsed, problems)
    data = parsed.data
    check.keys(data, _TOP_KEYS, ())
    name = check.text(data, "lexicon", ())
    if name and not _ID_RE.match(name):
        check.add(("lexicon",), f"'{name}' must be lower case letters, digits, '-', '_' or '.'")
    version = data.get("version")
    if not isinstance(version, str | int | float):
        check.add(("version",), f"expected a version string such as '1.0.0', got {_show(version)}")
    info = LexiconInfo(
        name=name,
        version=str(version),
        language=check.text(data, "language", ()),
        description=check.text(data, "description", ()),
        license=str(data.get("license", "")),
        path=parsed.path,
    )

    categories: dict[str, str] = {}
    raw_categories = data.get("categories")
    if not isinstance(raw_categories, dict) or not raw_categories:
        if "categories" in data:
            check.add(
                ("categories",),
                f"expected a mapping of category id to description, got {_show(raw_categories)}",
            )
    else:
        for cat, desc in raw_categories.items():
            cat = str(cat)
            if not _CATEGORY_RE.match(cat):
                check.add(
                    ("categories", cat),
                    "category ids are dotted lower-case words, e.g. 'legitimacy.regime'",
                )
            if not isinstance(desc, str) or not desc.strip():
                check.add(("categories", cat), f"expected a description, got {_show(desc)}")
            categories[cat] = str(desc or "").strip()
        for cat in categories:
            parent = cat.rpartition(".")[0]
            if parent and parent not in categories:
                check.add(("categories", cat), f"parent category '{parent}' is not declared")

    stances: dict[str, str] = {}
    raw_stances = data.get("stances", {})
    if not isinstance(raw_stances, dict):
        check.add(
            ("stances",),
            f"expected a mapping of stance tag to description, got {_show(raw_stances)}",
        )
    else:
        for tag, desc in raw_stances.items():
            if not isinstance(desc, str) or not desc.strip():
                check.add(("stances", str(tag)), f"expected a description, got {_show(desc)}")
            stances[str(tag)] = str(desc or "").strip()

    entries: list[tuple[Entry, _Checker, int]] = []
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        if "entries" in data:
            check.add(
                ("entries",), f"expected a non-empty list of entries, got {_show(raw_entries)}"
            )
    else:
        for i, raw in enumerate(raw_entries):
            entry = _check_entry(check, raw, i, name, categories, stances)
            if entry is not None:
                entries.append((entry, check, i))

    concepts: list[Concept] = []
    raw_concepts = data.get("concepts", {})
    if not isinstance(raw_concepts, dict):
        check.add(
            ("concepts",),
            "expected a mapping of concept id to {description, variants}, "
            f"got {_show(raw_concepts)}",
        )
        raw_concepts = {}
    local_ids = {e.id for e, _, _ in entries}
    for cid, raw in raw_concepts.items():
        cpath: tuple[str | int, ...] = ("concepts", str(cid))
        if not isinstance(raw, dict):
            check.add(
                cpath, f"expected a mapping with 'description' and 'variants', got {_show(raw)}"
            )
            continue
        check.keys(raw, {"description": True, "variants": True}, cpath)
        variants = check.strings(raw, "variants", cpath, required=True)
        if len(variants) < 2:
            check.add((*cpath, "variants"), "a concept needs at least two variants to compare")
        for j, v in enumerate(variants):
            if v not in local_ids:
                check.add(
                    (*cpath, "variants", j), f"unknown entry id '{v}'{_suggest(v, local_ids)}"
                )
        concepts.append(Concept(str(cid), name, check.text(raw, "description", cpath), variants))
    return info, categories, stances, concepts, entries


def _merge(parsed: list[_Parsed], problems: list[Problem]) -> Lexicon:
    infos: list[LexiconInfo] = []
    categories: dict[str, str] = {}
    stances: dict[str, str] = {}
    concepts: dict[str, Concept] = {}
    entries: list[Entry] = []
    seen_entries: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    concept_of: dict[str, str] = {}
    for p in parsed:
        info, cats, tags, file_concepts, file_entries = _check_file(p, problems)
        check = _Checker(p, problems)
        if info.name in seen_names:
            check.add(
                ("lexicon",), f"lexicon name '{info.name}' is also used by {seen_names[info.name]}"
            )
        seen_names[info.name] = p.path
        infos.append(info)
        categories.update({k: v for k, v in cats.items() if k not in categories})
        stances.update({k: v for k, v in tags.items() if k not in stances})
        for c in file_concepts:
            if c.id in concepts:
                check.add(
                    ("concepts", c.id),
                    f"concept id '{c.id}' is also defined in lexicon '{concepts[c.id].lexicon}'",
                )
            concepts[c.id] = c
            for v in c.variants:
                if v in concept_of and concept_of[v] != c.id:
                    check.add(
                        ("concepts", c.id, "variants"),
                        f"entry '{v}' is already a variant of concept '{concept_of[v]}'",
                    )
                concept_of[v] = c.id
        for entry, echeck, i in file_entries:
            if entry.id in seen_entries:
                echeck.add(
                    ("entries", i, "id"),
                    f"duplicate entry id '{entry.id}' (first in {seen_entries[entry.id]})",
                )
                continue
            seen_entries[entry.id] = p.path
            entries.append(entry)
    final = tuple(Entry(**{**e.__dict__, "concept": concept_of.get(e.id)}) for e in entries)
    return Lexicon(tuple(infos), categories, stances, concepts, final)


# --- writing ---------------------------------------------------------------------------------


def _entry_to_dict(e: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.id,
        "category": e.category,
        "patterns": [p if isinstance(p, str) else [dict(t) for t in p] for p in e.patterns],
    }
    if e.match != "lower":
        out["match"] = e.match
    if e.weight != 1:
        out["weight"] = e.weight
    if e.stance:
        out["stance"] = list(e.stance)
    if e.neutral:
        out["neutral"] = list(e.neutral)
    out["explain"] = e.explain
    out["sources"] = list(e.sources)
    if e.exclude:
        out["exclude"] = [p if isinstance(p, str) else [dict(t) for t in p] for p in e.exclude]
    out["examples"] = {"hit": list(e.hit_examples), "miss": list(e.miss_examples)}
    if e.reviewed is not None:
        out["reviewed"] = {"n": e.reviewed[0], "correct": e.reviewed[1]}
    return out


def set_reviewed(
    paths: Iterable[str | Path], reviewed: Mapping[str, tuple[int, int]]
) -> dict[str, str]:
    """Store hand-review results as ``reviewed: {n, correct}`` on the entries of lexicon files.

    The files are edited as text, one line per entry, so comments, order and line wrapping
    survive; an entry's earlier review line is replaced, not added to. Entries must be written
    in block style (``- id: …`` with one field per line), as the bundled lexicons are.

    Parameters
    ----------
    paths
        Lexicon files or folders.
    reviewed
        Entry id -> (n reviewed, n correct).

    Returns
    -------
    dict
        Entry id -> the file it was written to; ids found in no file are missing from it.

    Raises
    ------
    LexiconError
        If an edited file no longer validates (it is then left unchanged).
    """
    written: dict[str, str] = {}
    id_line = re.compile(r"^(?P<indent>\s*)-\s+id:\s*['\"]?(?P<id>[^'\"#\s]+)")
    for path in _lexicon_files(paths):
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        out: list[str] = []
        i = 0
        while i < len(lines):
            m = id_line.match(lines[i])
            if not m or m.group("id") not in reviewed:
                out.append(lines[i])
                i += 1
                continue
            indent = len(m.group("indent"))
            block = [lines[i]]
            i += 1
            while i < len(lines):
                stripped = lines[i].lstrip()
                depth = len(lines[i]) - len(stripped)
                if stripped.strip() and depth <= indent and not stripped.startswith("#"):
                    break  # the next entry, or the end of the entries list
                block.append(lines[i])
                i += 1
            block = [b for b in block if not b.lstrip().startswith("reviewed:")]
            while len(block) > 1 and not block[-1].strip():
                out_tail = block.pop()
                lines.insert(i, out_tail)
            n, correct = reviewed[m.group("id")]
            field_indent = " " * (indent + 2)
            block.append(f"{field_indent}reviewed: {{n: {n}, correct: {correct}}}\n")
            out.extend(block)
            written[m.group("id")] = str(path)
        text = "".join(out)
        if text != original:
            path.write_text(text, encoding="utf-8")
            try:
                read_lexicons([path.parent]) if path.parent.is_dir() else None
            except LexiconError:
                path.write_text(original, encoding="utf-8")
                raise
    return written


def write_lexicon(lexicon: Lexicon, path: str | Path, *, name: str | None = None) -> None:
    """Write one lexicon of a (possibly merged) Lexicon back to YAML in the schema's field order.

    Parameters
    ----------
    lexicon
        The lexicon to write from.
    path
        Destination file.
    name
        Which lexicon to write when several are merged; default the first.
    """
    info = next((i for i in lexicon.infos if name in (None, i.name)), None)
    if info is None:
        raise LexiconError([Problem(str(path), None, "lexicon", f"no lexicon named '{name}'")])
    entries = [e for e in lexicon.entries if e.lexicon == info.name]
    used = {e.category for e in entries}
    used |= {".".join(c.split(".")[:k]) for c in used for k in range(1, c.count(".") + 1)}
    doc: dict[str, Any] = {
        "lexicon": info.name,
        "version": info.version,
        "language": info.language,
        "description": info.description,
    }
    if info.license:
        doc["license"] = info.license
    doc["categories"] = {c: d for c, d in lexicon.categories.items() if c in used}
    tags = {t for e in entries for t in e.stance}
    if tags:
        doc["stances"] = {t: d for t, d in lexicon.stances.items() if t in tags}
    concepts = {c.id: c for c in lexicon.concepts.values() if c.lexicon == info.name}
    if concepts:
        doc["concepts"] = {
            c.id: {"description": c.description, "variants": list(c.variants)}
            for c in concepts.values()
        }
    doc["entries"] = [_entry_to_dict(e) for e in entries]
    Path(path).write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )
