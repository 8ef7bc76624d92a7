"""Whose words: quotations, partial quotes, scare quotes and speakers, as character spans of a text.

Pure functions of the text (no spaCy): `find_quotes` finds quoted passages and classifies them;
`assign_voices` gives each hit its voice and speaker.

Voices (DESIGN.md section 4):

- ``narrator``: the outlet's own words;
- ``quoted``: inside a direct quotation (a quoted clause or sentence, possibly over paragraphs);
- ``partial``: a short quoted fragment inside the outlet's sentence, attributed to someone
  ("Moscow called the aid an "act of provocation"");
- ``scare``: a short quoted term with no speaker, by which the outlet distances itself, and the
  words after "so-called".

Quote marks: curly and straight double quotes, guillemets, curly and straight single quotes.
Apostrophes ("Russia's", "didn't", "the '90s", "soldiers' families") are told apart from single
quotes by their neighbours. News convention for long quotes: a paragraph that opens a quote without
closing it continues in the next paragraph when that one opens with a quote mark. A quote that is
never closed ends with its paragraph, and at most a few sentences after its opening mark, so an
unbalanced mark never swallows the rest of an article.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from framing.lexicon import Entry

__all__ = ["SCARE_QUOTE", "SO_CALLED", "VOICES", "QuoteSpan", "assign_voices", "find_quotes"]

VOICES = ("narrator", "quoted", "partial", "scare")

# Pseudo-entries for distancing marks found by this module rather than by a lexicon.
_DISTANCING_SOURCES = (
    "Wikipedia, Manual of Style: Words to watch (expressions of doubt: scare quotes, so-called)",
    "Reuters Handbook of Journalism: do not use so-called or quote marks to distance",
)
SCARE_QUOTE = Entry(
    id="scare-quote",
    lexicon="voice",
    category="scare-quotes",
    patterns=("“…”",),
    explain="Quote marks around words nobody is quoted as saying tell readers not to trust them.",
    neutral=("the word without quote marks, or say who uses it",),
    sources=_DISTANCING_SOURCES,
)
SO_CALLED = Entry(
    id="so-called",
    lexicon="voice",
    category="scare-quotes",
    patterns=("so-called",),
    explain='"So-called" casts doubt on a name without saying why; it works like scare quotes.',
    neutral=("the name alone, or say who disputes it",),
    sources=_DISTANCING_SOURCES,
)

_DOUBLE_OPEN = "“„‟«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
_MARK_CHARS = "\"'“”„‟«»‘’‹›"
_QUOTE_CHARS = '"“”„‟«»‘‹›'  # the marks that are never apostrophes
_CONTINUES_QUOTE = _DOUBLE_OPEN + '"«'  # a paragraph opening with one continues an open quote
# Python's re tests a character class at every position, several times slower than str.find:
# quote marks, line breaks and full stops are found with str.find, and regexes only check them.
_PARAGRAPH = re.compile(r"\n\s*")
_NON_SPACE = re.compile(r"\S")
_SENTENCE_END = re.compile(
    r"[.!?][\"'”’»]*(?=\s+[\"'“‘«(]?[A-Z0-9])"  # a full stop before a capital
    r"|[.!?][\"'”’»]*\s*$"  # or at the end
)
_OPENS_QUOTE = ":,([—–-"  # "X said:", "X said," or a bracket just before a quote
_CAPITAL_START = re.compile(r"\s*[A-Z]")
_MAX_UNCLOSED = 600  # characters an unclosed quote may run inside its paragraph
_UNNAMED = "\0unnamed"  # an attribution whose speaker we cannot name
_FULL_QUOTE_WORDS = 7  # a quote this long (in words) is a direct quote, not a fragment
# A quote's words are runs of word characters, joined by apostrophes (don't, Russia's).
# "At least n words" is one regex for each n the rules ask: possessive, so each word is taken
# whole, and no list of words is built.
_AT_LEAST_WORDS = {
    n: re.compile(rf"(?:\W*+\w++(?:['’]\w++)*+){{{n}}}") for n in (2, 3, 5, _FULL_QUOTE_WORDS + 5)
}
_TWO_WORDS = _AT_LEAST_WORDS[2].match
_DECADE = re.compile(r"['’]\d\d(?:s\b|\b)")  # the '90s
_ENTITY_THEN_VERB = re.compile(r"\s+[a-z]")
_TITLE_WORD = re.compile(r"[\w’'-]+")
_SMALL_WORDS = frozenset(
    ("of", "the", "a", "an", "and", "or", "in", "on", "at", "to", "for", "with", "from")
)


def _trie(words: Iterable[str]) -> str:
    """One regex for a word list, factored as a trie: Python's re tries alternatives one by one,
    so "said|says|say|…" with hundreds of words is slow where "sa(?:id|ys?)…" is not."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + emit(tree) + ")"


_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|wrote|writes|asked|asks|insisted|insists|claimed|claims|"
    "stated|states|declared|declares|warned|warns|explained|explains|noted|notes|continued|"
    "replied|replies|responded|tweeted|posted|argued|argues|announced|announces|stressed|"
    "stresses|emphasised|emphasized|recalled|remarked|observed|concluded|admitted|admits|"
    "conceded|complained|vowed|pledged|urged|suggested|predicted|boasted|countered|"
    "protested|lamented|acknowledged|confirmed|denied|repeated|reiterated|went on|shouted|"
    "answered|answers|retorted|commented|comments|read|reads|wrote back|cautioned|joked"
)
# Verbs that attribute a fragment ("called the move an "unfriendly step""), as stems that take
# -s, -es, -ed, -d or -ing, plus irregular forms.
_ATTRIBUTION_STEMS = (
    "say|tell|add|write|ask|insist|claim|state|declare|warn|explain|note|continue|reply|respond|"
    "tweet|post|argue|announce|stress|emphasise|emphasize|recall|remark|observe|conclude|admit|"
    "concede|complain|vow|pledge|urge|suggest|predict|boast|counter|protest|lament|acknowledge|"
    "confirm|deny|repeat|reiterate|answer|retort|comment|caution|call|describe|term|dub|"
    "label|brand|consider|accuse|denounce|condemn|characterise|characterize|deem|refer|view|"
    "see|slam|blast|hail|praise|promise|speak|demand|echo|point|liken|reject|dismiss|cite|"
    "quote|report|mention|allege|assert|maintain|contend|threaten|hint|signal|welcome|mock|"
    "ridicule|criticise|criticize|blame|regard|express|label|brand|accord|mean|recount|agree"
)
_IRREGULAR = "said|told|wrote|written|spoke|spoken|saw|seen|thought|meant|according"


def _verb_forms(stems: str) -> str:
    """Regex alternation of every regular form: call -> call, calls, called, calling."""
    forms: set[str] = set()
    for stem in stems.split("|"):
        base = stem[:-1] if stem.endswith("e") else stem
        forms |= {stem, stem + "s", stem + "d" if stem.endswith("e") else stem + "ed", base + "ing"}
        if stem.endswith(("y",)) and stem[-2] not in "aeiou":
            forms |= {stem[:-1] + "ies", stem[:-1] + "ied"}
        if re.search(r"[^aeiou][aeiou][bdglmnprt]$", stem):
            forms |= {stem + stem[-1] + "ed", stem + stem[-1] + "ing"}  # dubbed, slamming
        if stem.endswith(("sh", "ch", "s", "x", "o")):
            forms.add(stem + "es")
    return "|".join(sorted(forms, key=len, reverse=True))


_FRAGMENT_VERBS = (
    rf"(?<![\w-]){_trie(_verb_forms(_ATTRIBUTION_STEMS).split('|') + _IRREGULAR.split('|'))}"
)
_TITLE_WORDS = (
    "ministry|spokesman|spokeswoman|spokesperson|spokespeople|governor|official|officials|agency|"
    "army|military|government|kremlin|president|minister|statement|report|source|sources|council|"
    "command|commander|mayor|police|prosecutor|prosecutors|commissioner|embassy|office|"
    "department|administration|white house|pentagon|service|services|authorities|headquarters|"
    "delegation|negotiator|diplomat|diplomats|analyst|analysts|expert|experts|residents|"
    "resident|witness|witnesses|woman|man|soldier|soldiers|officer|general|aide|adviser|advisor|"
    "leader|envoy|ambassador|chief|head|secretary|staff|operator|doctor|teacher|mother|father|"
    "volunteer|volunteers|shopkeeper|pensioner|farmer|nurse|student|driver|worker|workers|"
    "journalist|reporter|correspondent|lawmaker|lawmakers|senator|mp|spokesmen|ministry's|"
    "activist|activists|lawyer|survivor|survivors|neighbour|neighbor|engineer|priest|medic|"
    "court|courts|tribunal|judge|judges|committee|panel|body|organisation|organization|group|"
    "party|union|alliance|summit|parliament|assembly|newspaper|outlet|channel|broadcaster|"
    "declaration|resolution|communique|communiqué|document|law|bill|decree|letter|study|"
    "investigation|inquiry|watchdog|monitor|monitors|observers|mission|company|firm|bank"
)
# First words of the speech verbs ("went" of "went on"), to rule out `_BEFORE_OPEN` cheaply.
_SPEECH_LEADS = frozenset(verb.split()[0] for verb in _SPEECH_VERBS.split("|"))
_SPEECH_VERBS = _trie(_SPEECH_VERBS.split("|"))
_TITLE_WORDS = _trie(_TITLE_WORDS.split("|"))
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w’'-]*|(?:al|bin|de|van|von|der|of|the|and|for)(?=\s+[A-Z]))"
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD})*"
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Ss]everal|[Hh]is|[Hh]er|[Tt]heir)"
_NOUN_PHRASE = rf"\b{_DETERMINER}\s+(?:[\w’'-]+\s+){{0,3}}(?:{_TITLE_WORDS})\b"
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]e|I)"
# "Kremlin spokesman Pavel Orlov", "Opposition leader Mira Kovac", "spokesman Pavel Orlov"
_TITLED_NAME = rf"(?:{_NAME}\s+)?(?:(?:{_TITLE_WORDS})\s+){{1,3}}{_NAME}"
_SUBJECT = (
    rf"(?<![\w’'-])(?:{_TITLED_NAME}|{_NAME}|{_NOUN_PHRASE}|{_PRONOUN}"
    r"|[Oo]fficials|[Ss]ources|[Rr]esidents)"
)
_AFTER_CLOSE = re.compile(
    rf"^\s*[,.!?—–-]*\s*(?:(?:{_SPEECH_VERBS})\s+"
    rf"(?P<s1>{_SUBJECT}(?:,?\s+(?:[\w-]+\s+){{0,3}}{_NAME})?|(?:[a-z][\w-]*\s+){{0,4}}{_NAME})"
    rf"|(?P<s2>{_SUBJECT})(?:,\s+(?P<a2>[^,.;:\"“”]{{3,90}}),)?(?:\s+\w+ly)?\s+(?:{_SPEECH_VERBS}))\b"
)
_BEFORE_OPEN = re.compile(
    rf"(?P<s>{_SUBJECT})(?:,\s+(?P<a>[^,.;:\"“”]{{3,90}}),)?(?:\s+\w+ly)?\s+(?:{_SPEECH_VERBS})(?:\s+[\w’'-]+){{0,5}}?\s*[:,]?\s*$"
)
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?P<s>{_SUBJECT})")
_FRAGMENT_SUBJECT = re.compile(
    rf"(?P<s>{_SUBJECT})(?:,\s+(?P<a>[^,.;:\"“”]{{3,90}}),)?"  # Orlov, the spokesman,
    r"(?:\s+(?:has|have|had|also|again|repeatedly|publicly|openly|\w+ly))*"
    rf",?\s+(?:{_FRAGMENT_VERBS})\b"
)
_VERB_AFTER = re.compile(rf"\b(?:{_FRAGMENT_VERBS})\s+(?:by\s+)?(?P<s>{_SUBJECT})")
_NAME_RE = re.compile(_NAME)
_NAME_THEN_VERB = re.compile(rf"\s*(?:{_NAME})\s+[a-z]")
_SENTENCE_SUBJECT = re.compile(
    rf"\s*[\"“«‘']?(?P<s>{_TITLED_NAME}|{_NOUN_PHRASE}|{_NAME}|{_PRONOUN})"
    rf"(?:,\s+(?P<a>[^,.;:\"“”]{{3,90}}),)?\s+[a-z]"
)
_NAME_LINE = re.compile(rf"\s*(?P<s>{_NAME}),\s+[^.!?\n\"“”]+\s*$")
_ACCORDING_AFTER = re.compile(rf"^[,\s]*[Aa]ccording to (?P<s>{_SUBJECT})")
_ATTRIBUTING_VERB = re.compile(rf"\b{_FRAGMENT_VERBS}\b")
# Past and -ing forms only ("urged", "saying"): "point", "claim", "state" are nouns too often.
_PAST_ATTRIBUTING_VERB = re.compile(
    r"(?<![\w-])"
    + _trie(
        [f for f in _verb_forms(_ATTRIBUTION_STEMS).split("|") if f.endswith(("ed", "ing"))]
        + _IRREGULAR.split("|")
    )
    + r"\b"
)
_DASH = re.compile(r"\s[–—-]\s")
_HEADLINE_SOURCE = re.compile(  # "Zelensky intent on imposing ‘authoritarianism’ – Ukrainian MP"
    rf"\s[–—-]\s+(?P<s>{_SUBJECT}|(?:[A-Z][\w-]*\s+)?[A-Z]*[a-z]*\s*(?:{_TITLE_WORDS}))\s*$"
)
_FUNCTION_WORDS = (
    "(?:the|a|an|of|in|on|and|or|was|were|is|are|that|which|who|to|by|for|with|has|had|have|will)"
)
_SO_CALLED = re.compile(
    r"\b[Ss]o[- ]called\s+(?P<term>(?:[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*)"
    rf"|(?:(?!{_FUNCTION_WORDS}\b)[a-z][\w-]*(?:\s+(?!{_FUNCTION_WORDS}\b)[a-z][\w-]*)?))"
)
_NOT_NAMES = {
    "The", "A", "An", "But", "And", "In", "On", "At", "It", "This", "That", "These", "Those",
    "As", "If", "When", "While", "After", "Before", "Since", "Yet", "So", "Or", "Then", "Still",
    "Later", "Earlier", "Meanwhile", "However", "Also", "There", "Here", "Now", "Today",
    "Yesterday", "Her", "His", "Its", "Their", "Our", "My", "Your", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}  # fmt: skip


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: [start, end) covers the marks too; `part` > 0 continues an earlier span."""

    start: int
    end: int
    kind: str  # "quoted", "partial", "scare", or "title" (a quoted name of a work: narrator)
    speaker: str = ""
    group: int = 0  # spans of one multi-paragraph quote share a group
    closed: bool = True


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _classify_mark(text: str, i: int) -> tuple[str, bool]:
    """Returns (role, double): role is "open", "close", "either", or "" for an apostrophe/stray.

    For the marks that open or close by their shape (“„‟«, ”») see `_double_role`.
    """
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE:
        return _double_role(ch, before, after), True
    if ch in _SINGLE_OPEN:
        return "open", False
    double = ch == '"'
    if not double:
        if _is_word(before) and _is_word(after):
            return "", False  # didn't, Russia's, o'clock, rock'n'roll
        if _DECADE.match(text, i) and not _is_word(before):
            return "", False  # the '90s
        if text[i : i + 3] in ("'n'", "’n’") or text[i - 2 : i + 1] in ("'n'", "’n’"):
            return "", False  # rock 'n' roll
    opens_after = before.isspace() or before in "([{—–-/:\"“‘'«" or i == 0
    can_open = opens_after and not after.isspace()
    can_close = not before.isspace() and (
        after.isspace() or after in ".,;:!?)]}—–-\"”’'»" or i + 1 == len(text)
    )
    can_open = can_open and ch not in _SINGLE_CLOSE  # ’ closes or is an apostrophe, never opens
    if can_open and can_close:
        return "either", double
    if can_open:
        return "open", double
    if can_close:
        return ("close" if double or ch in _SINGLE_CLOSE or ch == "'" else ""), double
    return "", double


def _double_role(ch: str, before: str, after: str) -> str:
    """Role of a curly or angle double quote between `before` and `after`."""
    if ch in _DOUBLE_OPEN:
        return (
            "either"
            if not (after.isspace() or after in ",.;:!?") and not before.isspace()
            else "open"
        )
    return "either" if before.isspace() and not after.isspace() else "close"


def _first_non_space(text: str, pos: int) -> int:
    m = _NON_SPACE.search(text, pos)
    return m.start() if m else len(text)


def _paragraph_of(text: str, pos: int) -> tuple[int, int]:
    """Bounds of the paragraph holding the non-space character at `pos`.

    Paragraphs are the text between runs of `_PARAGRAPH` (a line break and the white space after
    it), so one starts at the first non-space after the last line break and ends at the next one.
    """
    brk = text.rfind("\n", 0, pos)
    start = 0  # the first paragraph starts at 0, even with white space
    if brk >= 0:
        start = brk + 1 if not text[brk + 1].isspace() else _first_non_space(text, brk + 1)
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def _sentence_start(text: str, pos: int, floor: int, others: str = "!?") -> int:
    """End of the last `_SENTENCE_END` in [floor, pos), or `floor`.

    A sentence end starts at a full stop and goes on over quote marks and spaces only, so no end
    holds another's start: the last end is the one at the last stop that matches, looked for
    backwards from `pos` with str.rfind rather than by scanning the whole span forwards.
    `others` are the stops besides "." that the text may hold.
    """
    hi = pos
    while True:
        # the last stop before `hi`: "!" and "?" are looked for only after the last "."
        i = text.rfind(".", floor, hi)
        for stop in others:
            i = max(i, text.rfind(stop, max(i + 1, floor), hi))
        if i < 0:
            return floor
        m = _SENTENCE_END.match(text, i, pos)
        if m:
            return m.end()
        hi = i


def _sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    """The ends of every `_SENTENCE_END` in [lo, hi), as `finditer(text, lo, hi)` gives them."""
    stops = []
    for stop in ".!?":
        i = text.find(stop, lo, hi)
        while i >= 0:
            stops.append(i)
            i = text.find(stop, i + 1, hi)
    ends: list[int] = []
    for i in sorted(stops):
        m = _SENTENCE_END.match(text, i, hi) if not ends or i >= ends[-1] else None
        if m:
            ends.append(m.end())
    return ends


def _sentence_end(text: str, pos: int, ceiling: int) -> int:
    m = _SENTENCE_END.search(text, pos, ceiling)
    return m.end() if m else ceiling


_PRONOUNS = frozenset(("he", "she", "they", "we", "i"))
_ARTICLES = ("the", "a", "an")


def _clean_speaker(raw: str) -> str:
    if "," in raw:
        head = raw.split(",")[0]
        if len(head.split()) >= 2 and _NAME_RE.fullmatch(head.strip()):
            raw = head  # "Gennady Lomakin, the Russia-appointed head" -> the name
    words = raw.strip(" ,.:;").split()
    if len(words) == 1 and words[0] not in _NOT_NAMES and words[0].lower() not in _ARTICLES:
        return words[0]  # the usual one-word name, as below
    while words and words[0] in _NOT_NAMES:
        words = words[1:]
    if words and words[0].lower() in _ARTICLES:
        words[0] = words[0].lower()
    return " ".join(words)


def _is_pronoun(speaker: str) -> bool:
    return speaker.lower() in _PRONOUNS


def _mark_positions(text: str) -> list[int]:
    """Offsets of the quote marks of a text, sorted, without apostrophes inside words."""
    # Most marks are absent from most texts: `in` says so faster than str.find.
    is_ascii = text.isascii()
    marks = []
    for ch in '"' if is_ascii else _QUOTE_CHARS:
        i = text.find(ch) if ch in text else -1
        while i >= 0:
            marks.append(i)
            i = text.find(ch, i + 1)
    for ch in "'" if is_ascii else "'’":
        i = text.find(ch) if ch in text else -1
        while i >= 0:
            # apostrophes inside words (didn't, Russia's) are most marks; skip them at once
            if not (i and text[i - 1].isalnum() and text[i + 1 : i + 2].isalnum()):
                marks.append(i)
            i = text.find(ch, i + 1)
    marks.sort()
    return marks


_RawSpan = tuple[int, int, bool, int, bool, int, int]


def _raw_spans(text: str) -> tuple[list[_RawSpan], set[int]]:
    """Top-level quote spans, paragraphs handled, and the groups that run over paragraphs.

    Spans are (start, end, double, group, closed, paragraph start, paragraph end). Paragraphs
    without a quote mark play no part, so only those holding one are looked at.
    """
    spans: list[_RawSpan] = []
    multi: set[int] = set()
    # open marks as (offset, double, group); `carry` is a double quote left open at the end of
    # the previous paragraph
    stack: list[tuple[int, bool, int]] = []
    carry: tuple[int, bool, int] | None = None
    groups = 0
    p_start = p_end = -1  # the paragraph of the marks being read
    last = len(text) - 1
    for i in _mark_positions(text):
        if i >= p_end:  # the first mark of the next paragraph
            if stack:
                carry = _left_open(text, stack[0], p_start, p_end, spans, multi)
                stack = []
            p_start, p_end = _paragraph_of(text, i)
            if carry is not None:
                if text[p_start] in _MARK_CHARS and (text[p_start] in _CONTINUES_QUOTE) == carry[1]:
                    stack.append((p_start, carry[1], carry[2]))
                carry = None
                if stack and i == p_start:
                    continue  # the mark that continues the quote
        ch = text[i]
        if (ch in _DOUBLE_OPEN or ch in _DOUBLE_CLOSE) and 0 < i < last:  # the commonest marks
            role, double = _double_role(ch, text[i - 1], text[i + 1]), True
        else:
            role, double = _classify_mark(text, i)
        if not role or (not stack and role == "close"):
            continue  # an apostrophe, or a stray closing mark
        if not stack:
            groups += 1
            stack.append((i, double, groups))
            continue
        same = len(stack) - 1  # the innermost open mark of the same kind, or -1
        while same >= 0 and stack[same][1] != double:
            same -= 1
        if role == "close" or (role == "either" and same >= 0):
            if same < 0:
                continue  # a stray closing mark
            opened = stack[same]
            del stack[same:]
            if not stack:
                spans.append((opened[0], i + 1, double, opened[2], True, p_start, p_end))
        elif role in ("open", "either"):
            stack.append((i, double, stack[0][2]))  # nested: the outer quote's group
    if stack:
        _left_open(text, stack[0], p_start, p_end, spans, multi)
    return spans, multi


def _left_open(
    text: str,
    outer: tuple[int, bool, int],
    p_start: int,
    p_end: int,
    spans: list[_RawSpan],
    multi: set[int],
) -> tuple[int, bool, int] | None:
    """Add the span of a quote left open at the end of its paragraph; return it if it goes on
    in the next paragraph (a double quote, and the next paragraph opens with a quote mark)."""
    outer_start, outer_double, outer_group = outer
    nxt = _first_non_space(text, p_end)  # the next paragraph's start, if there is one
    continues = outer_double and nxt < len(text) and text[nxt] in _CONTINUES_QUOTE
    end = (
        p_end if continues else min(p_end, _sentence_end(text, outer_start + _MAX_UNCLOSED, p_end))
    )
    while end > outer_start + 1 and text[end - 1].isspace():
        end -= 1
    spans.append((outer_start, end, outer_double, outer_group, continues, p_start, p_end))
    if continues:
        multi.add(outer_group)
        return outer
    return None


def find_quotes(
    text: str,
    *,
    speakers_before: int | None = None,
    entities: Sequence[tuple[int, int, str]] | None = None,
) -> list[QuoteSpan]:
    """Find and classify the top-level quoted passages and "so-called" terms of a text.

    Parameters
    ----------
    text
        An article, as read (offsets refer to it).
    speakers_before
        Only look for the speakers of direct quotes that start before this offset (and of the
        rest of their multi-paragraph quotes); later ones get "". Speakers and kinds before it
        are exactly those of a full run, since a speaker only ever depends on earlier text and
        earlier quotes. Matching passes its last hit, to skip work nobody reads.
    entities
        Named entities as (start, end, label) character spans, from a trained spaCy pipeline.
        When given, a speaker found by the patterns is trimmed to the PERSON/ORG/GPE/NORP entity
        inside it ("Kremlin spokesman Pavel Orlov" -> "Pavel Orlov"), and a quote the patterns
        leave without a speaker takes an entity that stands right after its closing mark or
        right before its opening one ("…,” Orlov quipped." / "Orlov quipped: “…”").

    Returns
    -------
    list of QuoteSpan
        Sorted by start; a multi-paragraph quote is one span per paragraph sharing a ``group``.
    """
    spans, multi_groups = _raw_spans(text)
    others = ("!" if "!" in text else "") + ("?" if "?" in text else "")  # stops besides "."
    out: list[QuoteSpan] = []
    by_group: dict[int, list[int]] = {}  # the spans of each multi-paragraph quote
    named: list[tuple[int, str]] = []  # speakers found so far, for "he said"
    wanted_groups: set[int] = set()
    for start, end, _double, group, closed, p_start, p_end in spans:
        wanted = speakers_before is None or start < speakers_before
        multi = group in multi_groups
        if multi:
            # a quote over paragraphs: its later parts are wanted when its first one is
            wanted = wanted or group in wanted_groups
            if wanted:
                wanted_groups.add(group)
            by_group.setdefault(group, []).append(len(out))
            if not wanted:  # "quoted" whatever it says, and nobody asks for its speaker
                out.append(QuoteSpan(start, end, "quoted", "", group, closed))
                continue
        inner = text[start + 1 : end - 1 if closed and end - start >= 2 else end]
        s_start = _sentence_start(text, start, p_start, others)
        lead = text[s_start:start]
        after = text[end : min(p_end, end + 120)]
        # `_AFTER_CLOSE.match(after)` serves both the kind and the speaker: look at most once.
        after_close: re.Match[str] | None = None
        looked_after = embedded = False
        if multi:
            kind = "quoted"  # a quote over paragraphs
        else:
            lead_end = lead.rstrip()
            embedded = bool(lead_end) and lead_end[-1] not in _OPENS_QUOTE
            # A quote that opens its sentence, or follows "X said:" / "X said,", is direct from
            # two words on; inside the outlet's sentence it takes a long one or a whole clause.
            if not embedded:
                quoted = _TWO_WORDS(inner) is not None
            else:
                quoted = _has_words(inner, _FULL_QUOTE_WORDS + 5) or (
                    _is_sentence(inner) and _has_words(inner, 2)
                )
            if not quoted and (not embedded or _has_words(inner, 3)):
                # Or it is attributed right after its closing mark (… "we will win," X said),
                # unless a full stop inside the marks ends the sentence: what follows is not its
                # attribution ("“…fake news.” Kiev insists …").
                if not inner.rstrip().endswith("."):
                    after_close, looked_after = _AFTER_CLOSE.match(after), True
                quoted = after_close is not None
            kind = "quoted" if quoted else ""
        speaker = ""
        if kind == "quoted":
            if wanted:
                stop_inside = "." in text[end - 2 : end]
                if not stop_inside and not looked_after:
                    after_close = _AFTER_CLOSE.match(after)
                if after_close is not None and not stop_inside:
                    # attributed right after the closing mark ("…,” said X): the usual case
                    a2, s1, s2 = after_close.group("a2", "s1", "s2")
                    speaker = (_named(a2) if a2 else "") or _clean_speaker(s1 or s2)
                else:
                    speaker = _direct_speaker(
                        text, s_start, p_start, lead, after, stop_inside, others
                    )
        else:
            sentence = text[s_start : _sentence_end(text, end, p_end)]
            rel = start - s_start
            speaker = _fragment_speaker(sentence, rel, rel + (end - start))
            if speaker.lower() in _PRONOUNS:
                # "Former MP Aleksandr Granovsky faces charges, which he denies and claims …"
                speaker = _subject(sentence[:rel]) or speaker
            if speaker:
                kind = "partial"
                speaker = "" if speaker == _UNNAMED else speaker
            elif _is_title(inner, embedded):
                kind = "title"  # ‘The Apprentice’, ‘Servant of the People’: a name, not a quote
            else:
                # A long unattributed fragment quotes someone named elsewhere; scare quotes,
                # the outlet's own distancing, are a word or two.
                kind = "quoted" if _has_words(inner, 5) else "scare"
        if wanted and not speaker and kind == "quoted" and out and out[-1].kind == "quoted":
            # "…," said X. "Another sentence." -> X again, when nothing else comes between, and
            # no other name follows this quote ('"…," Marta Lind quipped' is someone else).
            gap = text[out[-1].end : start]
            if (
                len(gap) < 250
                and len(_SENTENCE_END.findall(gap.strip() + " ")) <= 1
                and not _NAME_THEN_VERB.match(after)
            ):
                speaker = out[-1].speaker
        if entities and wanted and kind in ("quoted", "partial"):
            speaker = _entity_speaker(text, start, end, speaker, entities)
        if speaker:
            pronoun = speaker.lower() in _PRONOUNS
            if pronoun or (speaker.startswith("the ") and _PERSON_TITLE.match(speaker)):
                speaker = _last_person_before(text, start, named) or speaker
                pronoun = speaker.lower() in _PRONOUNS
            if not pronoun:
                named.append((start, speaker))
        out.append(QuoteSpan(start, end, kind, speaker, group, closed))
    # Every paragraph of a multi-paragraph quote takes the speaker found for any of them.
    for members in by_group.values():
        shared = next((out[i].speaker for i in members if out[i].speaker), "")
        for i in members:
            out[i] = QuoteSpan(
                out[i].start, out[i].end, "quoted", shared, out[i].group, out[i].closed
            )
    # Quotes come in order of their start; only "so-called" terms need sorting in.
    so_called = [
        QuoteSpan(m.start(), m.end(), "scare", "", 0, True)
        for m in _so_called(text)
        if not any(q.start <= m.start() < q.end for q in out)
    ]
    if so_called:
        out += so_called
        out.sort(key=lambda q: q.start)
    return out


def _has_words(inner: str, n: int) -> bool:
    """Whether `inner` holds at least `n` words (`_AT_LEAST_WORDS`)."""
    return _AT_LEAST_WORDS[n].match(inner) is not None


def _is_sentence(inner: str) -> bool:
    """Whether a quote reads as a sentence: a capital first, a full stop last."""
    return inner.rstrip()[-1:] in (".", "!", "?") and _CAPITAL_START.match(inner) is not None


def _so_called(text: str) -> list[re.Match[str]]:
    """`_SO_CALLED.finditer(text)`, tried only where "so-called" or "so called" stands."""
    found: list[re.Match[str]] = []
    i = text.find("called", 3)
    while i >= 0:
        at = i - 3  # where "So-called" or "so called" would start
        if text[at] in "Ss" and text[at + 1] == "o" and text[at + 2] in "- ":
            m = _SO_CALLED.match(text, at) if not found or at >= found[-1].end() else None
            if m:
                found.append(m)
        i = text.find("called", i + 1)
    return found


def _rstrip_end(text: str, pos: int) -> int:
    """``len(text[:pos].rstrip())``, without copying the text."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


_PERSON_TITLE = re.compile(
    r"^the (?:minister|spokesman|spokeswoman|spokesperson|governor|president|general|commander|"
    r"mayor|envoy|ambassador|chancellor|prime minister|senator|colonel|official)$"
)


def _subject(sentence: str) -> str:
    """The capitalised name that opens a sentence and acts in it ("Kovac spoke …"), or ""."""
    m = _SENTENCE_SUBJECT.match(sentence)
    if not m:
        # A line that only names someone ("Fyodor Lukyanov, editor-in-chief of …") before
        # their commentary.
        m = _NAME_LINE.match(sentence)
        return _clean_speaker(m.group("s")) if m else ""
    appositive = m.group("a") or ""
    if _NAME_RE.fullmatch(appositive.strip()):
        return _clean_speaker(appositive)  # "The UN envoy, Sofia Lind, said …"
    return _clean_speaker(m.group("s"))


def _sentences_before(text: str, pos: int, window: int = 1500) -> list[tuple[int, str]]:
    """The sentences that end before `pos` (within `window` characters), last one last."""
    floor = max(0, pos - window)
    starts = [floor, *_sentence_ends(text, floor, pos)]
    starts += [m.end() for m in _PARAGRAPH.finditer(text, floor, pos)]
    starts = sorted(set(starts))
    return [
        (a, text[a:b]) for a, b in zip(starts, [*starts[1:], pos], strict=True) if text[a:b].strip()
    ]


def _last_person_before(text: str, pos: int, named: list[tuple[int, str]]) -> str:
    """Who "he", "she" or "the minister" most likely is: the latest named subject or speaker."""
    recent = [name for at, name in named if pos - 800 <= at < pos]
    if recent:
        return recent[-1]  # someone just quoted is the likeliest "he"
    for _, sentence in reversed(_sentences_before(text, pos)):
        subject = _subject(sentence)
        if subject and not _is_pronoun(subject):
            return subject
    return ""


_SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_VERB_THEN_COLON = re.compile(r"\s+[a-z]+(?:\s+[a-z]+){0,3}\s*[:,]\s*")
_ENTITY_REACH = 120  # characters around a quote in which its speaker's entity may stand


def _entity_speaker(
    text: str, start: int, end: int, speaker: str, entities: Sequence[tuple[int, int, str]]
) -> str:
    """Refine or find a quote's speaker with named entities from a trained pipeline."""
    near = [
        (a, b) for a, b, label in entities
        if label in _SPEAKER_LABELS and start - _ENTITY_REACH <= a and b <= end + _ENTITY_REACH
    ]  # fmt: skip
    if speaker and not _is_pronoun(speaker):
        # The entity inside the pattern's speaker phrase, nearest the quote, has the right edges.
        for pos in _occurrences(text, speaker, start - _ENTITY_REACH, end + _ENTITY_REACH):
            inside = [(a, b) for a, b in near if pos <= a and b <= pos + len(speaker)]
            if inside:
                a, b = max(inside, key=lambda span: span[1] - span[0])
                return text[a:b]
        return speaker
    if not speaker:
        for a, b in near:
            follows = end <= a <= end + 4 and _ENTITY_THEN_VERB.match(text[b : b + 3])
            leads = b <= start and _VERB_THEN_COLON.fullmatch(text[b:start])
            if follows or leads:  # '…,” Orlov quipped.' / 'Orlov quipped: “…”'
                return text[a:b]
    return speaker


def _occurrences(text: str, needle: str, lo: int, hi: int) -> list[int]:
    found, i = [], text.find(needle, max(0, lo))
    while i != -1 and i < hi:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def _named(appositive: str | None) -> str:
    """The appositive if it is a name ("the mayor, Oleg Tarnavsky, said" -> Oleg Tarnavsky)."""
    text = (appositive or "").strip()
    return _clean_speaker(text) if text and _NAME_RE.fullmatch(text) else ""


def _is_title(inner: str, embedded: bool) -> bool:
    """A quoted name of a work or show: every word capitalised (small words aside), no full stop."""
    words = _TITLE_WORD.findall(inner)
    if not words or not embedded or inner.rstrip().endswith((".", "!", "?")):
        return False
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and bool(big) and all(w[0].isupper() for w in big)


def _direct_speaker(
    text: str,
    s_start: int,
    p_start: int,
    lead: str,
    after: str,
    stop_inside: bool,
    others: str,
) -> str:
    """The speaker of a direct quote that `_AFTER_CLOSE` does not attribute, or "".

    `stop_inside` says that the quote ends in a full stop, after which its sentence is over and
    what follows is not its attribution; `others` are the stops besides "." that the text holds.
    """
    m = None if stop_inside or "ccording to " not in after else _ACCORDING_AFTER.match(after)
    if m:
        return _clean_speaker(m.group("s"))
    m = _BEFORE_OPEN.search(lead) if _speech_verb_near_end(lead) else None
    if m:
        return _named(m.group("a")) or _clean_speaker(m.group("s"))
    m = _ACCORDING.search(lead) if "ccording to " in lead else None
    if m:
        return _clean_speaker(m.group("s"))
    if lead.strip():
        return ""
    # A quote that stands alone: its speaker is the one the sentence before is about
    # ("Varga spoke after the vote. “…”").
    end_at = s_start
    if not text[p_start:s_start].strip():  # the quote opens its paragraph: look at the last one
        end_at = _rstrip_end(text, p_start)
    floor = max(0, end_at - 400, text.rfind("\n", 0, max(end_at - 1, 0)) + 1)
    last = max(floor, _rstrip_end(text, end_at) - 1)  # the previous sentence's full stop
    previous = text[_sentence_start(text, last, floor, others) : end_at]
    return _subject(previous) if previous.strip() else ""


def _speech_verb_near_end(lead: str) -> bool:
    """Whether a speech verb is among the last words of `lead`, as `_BEFORE_OPEN` requires.

    That regex ends in a speech verb, at most five words and a colon or comma: a cheap test on
    the last eight words spares most leads its slow search.
    """
    return any(word.rstrip(":,") in _SPEECH_LEADS for word in lead.rsplit(None, 8)[-8:])


def _fragment_speaker(sentence: str, start: int, end: int) -> str:
    """The subject of an attributing verb in the fragment's sentence, outside the quote itself."""
    outside = sentence[:start] + " " * (end - start) + sentence[end:]
    m = _ACCORDING.search(outside) if "ccording to " in outside else None
    if m:
        return _clean_speaker(m.group("s"))
    best = ""
    # The attributing subject and verb stand close before the quote; a bounded look-back keeps
    # this regex from scanning long sentences at every position.
    cut = outside.rfind(" ", 0, max(0, start - 160)) + 1
    window = outside[cut:start]
    for m in _FRAGMENT_SUBJECT.finditer(window) if _ATTRIBUTING_VERB.search(window) else ():
        appositive = (m.group("a") or "").strip()
        best = appositive if _NAME_RE.fullmatch(appositive) else m.group("s")
    if best and _clean_speaker(best):
        return _clean_speaker(best)
    rest = outside[end : end + 200]
    line_end = rest.split("\n", 1)[0]
    if len(line_end) < 120 and not line_end.rstrip().endswith(".") and _DASH.search(line_end):
        m = _HEADLINE_SOURCE.search(line_end)
        if m:  # a headline: "… ‘authoritarianism’ – Ukrainian MP"
            return _clean_speaker(m.group("s"))
    m = (
        (_AFTER_CLOSE.match(rest) or _VERB_AFTER.search(rest) or _FRAGMENT_SUBJECT.search(rest))
        if _ATTRIBUTING_VERB.search(rest)
        else None
    )
    if m:
        groups = m.groupdict()
        return _clean_speaker(groups.get("s") or groups.get("s1") or groups.get("s2") or "")
    if _PAST_ATTRIBUTING_VERB.search(outside[:start]):
        # "Trump expressed his support … and urged Kiev to agree “immediately.”": the sentence's
        # subject; an attributing verb with no subject we can name still makes it attributed.
        return _subject(sentence) or _UNNAMED
    return ""


def assign_voices(
    quotes: Sequence[QuoteSpan], starts: Sequence[int], ends: Sequence[int]
) -> list[tuple[str, str]]:
    """Voice and speaker of each hit [start, end): the quote span containing its start, if any.

    Parameters
    ----------
    quotes
        Output of `find_quotes` for the same text.
    starts, ends
        Character offsets of the hits.

    Returns
    -------
    list of (voice, speaker)
        ``("narrator", "")`` for hits outside every quote.
    """
    narrator = ("narrator", "")
    voices = [narrator if q.kind == "title" else (q.kind, q.speaker) for q in quotes]
    edges = [offset for q in quotes for offset in (q.start, q.end)]
    if len(starts) == len(ends) and edges == sorted(edges):
        # Quotes in order and apart, as find_quotes gives them: where a hit falls among their
        # starts and ends says which quote holds it (odd) or that none does (even).
        table = [narrator] * (2 * len(voices) + 1)
        table[1::2] = voices
        return list(
            map(table.__getitem__, map(bisect.bisect_right, itertools.repeat(edges), starts))
        )
    bounds = [q.start for q in quotes]
    stops = [q.end for q in quotes]
    out: list[tuple[str, str]] = []
    append, bisect_right = out.append, bisect.bisect_right
    for start, _end in zip(starts, ends, strict=True):
        k = bisect_right(bounds, start) - 1
        append(voices[k] if k >= 0 and bounds[k] <= start < stops[k] else narrator)
    return out
