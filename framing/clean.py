"""Scrape cleaning: drop page furniture, teasers and repeated paragraphs; split multi-article dumps.

Scraped news pages carry text that is not the article: "Read more" prompts and the related-story
links under them, comment forms, share and subscribe prompts, lists of other headlines, teasers
(the start of a story, cut off with "…" or "[…]") above the story itself, and paragraphs
repeated by the scraper. Counting loaded words in them misstates an outlet's rates, so
`clean_text` removes them and says what it removed; everything else is kept unchanged.

The unit is the line: scrapes and text extractors (trafilatura) put each paragraph on one line,
with or without blank lines between paragraphs. Rules, in order, each seeing only the lines the
earlier rules kept:

1. **boilerplate**: a line that *as a whole* is a prompt from `BOILERPLATE_PATTERNS` ("Read
   more", "READ MORE: <headline>", "Your email address will not be published", "Leave a
   Reply", "Share this article", "Subscribe to our newsletter", "Advertisement", "Tag
   Archives: …"; each pattern has a word limit and must match the whole line, so a sentence
   that merely contains the phrase stays); the related-story box right under a bare "Read
   more", "Related" or "See also" line (the next run of lines, when it has at most 3 lines of
   at most 15 words, its last line does not end like a sentence and a blank line or the end of
   the text closes it); and link lists (5 or more consecutive Title Case lines of 4 to 20
   words, none ending like a sentence: other stories' headlines).
2. **duplicate**: a line of at least `DUPLICATE_MIN_WORDS` words equal (whitespace and case
   aside) to an earlier kept line. Shorter repeated lines (datelines, "RT", speaker labels) are
   page structure that `split_articles` uses, and repeating them adds next to nothing.
3. **teaser**: a line ending in an ellipsis ("...", "…", "[…]", optionally followed by
   "Read more") whose text before the ellipsis (at least `TEASER_MIN_WORDS` words) is the start
   of another kept line, or of a run of consecutive kept lines joined by single spaces (a teaser
   often runs a standfirst into the first paragraph). The full text stays, the teaser goes.
4. **near-duplicate**: a line of at least `DUPLICATE_MIN_WORDS` words whose word 3-shingles
   (lower case, punctuation ignored) have Jaccard similarity of at least `NEAR_DUPLICATE_JACCARD`
   with an earlier kept line. The earlier line is kept, unless it is cut off by an ellipsis and
   the later one is not. One changed word alters three shingles, so below about 20 words only
   copies that differ in punctuation or case qualify.

Teasers whose full text is not in the document (links to other stories, advertisements ending in
"[…]") are kept: they may be the only copy of that text, and the rules never guess.
"""

from __future__ import annotations

import bisect
import math
import re
import string
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "BOILERPLATE_PATTERNS",
    "DUPLICATE_MIN_WORDS",
    "NEAR_DUPLICATE_JACCARD",
    "REMOVAL_KINDS",
    "TEASER_MIN_WORDS",
    "Cleaned",
    "Removal",
    "article_spans",
    "clean_text",
    "split_articles",
]

REMOVAL_KINDS = ("boilerplate", "teaser", "duplicate", "near-duplicate")
DUPLICATE_MIN_WORDS = 8
TEASER_MIN_WORDS = 6
NEAR_DUPLICATE_JACCARD = 0.9

# Building blocks of the patterns below, written into them as <name>.
_MACROS = {
    "<headline>": r"(?:\s*[:|\-–—»>]\s*.+)?",  # "READ MORE: <headline of another story>"
    "<networks>": r"(?:facebook|twitter|x|telegram|whatsapp|linkedin|reddit|pinterest|vk"
    r"|vkontakte|email|e-mail|messenger|viber|threads|bluesky|mastodon|flipboard)",
    "<channels>": r"(?:newsletters?|channel|feed|podcast|updates|alerts|rss|mailing list"
    r"|community|group)",
    "<words>": r"(?:[\w'’-]+ )",
    # The rest of a prompt: no clause break or quotation ("Subscribe to the channel," he said).
    "<rest>": r"[^,;\"“”«»]*",
}
# (reason, regex matched against the whole line in lower case, whitespace collapsed, decoration
# such as "»" or "→" at either end removed; most words the line may have). A line is boilerplate
# only when one pattern matches all of it.
BOILERPLATE_PATTERNS: tuple[tuple[str, str, int], ...] = (
    (
        "read-more prompt",
        r"(?:(?:read|see) (?:more|also|next)|also read|continue reading|keep reading"
        r"|read (?:the )?(?:full|whole|entire) (?:story|article|report|piece)"
        r"|read the rest of (?:this|the) (?:story|article|entry|post)"
        r"|related(?: articles?| stories| news| coverage| content| posts?)?"
        r"|more on this(?: story| topic)?|recommended(?: for you)?|you (?:may|might) also like"
        r"|most (?:read|popular|viewed)|trending(?: now)?)<headline>",
        25,
    ),
    (
        "comment form",
        r"leave a (?:reply|comment)(?: to .+)?|post a comment|add a comment|cancel reply"
        r"|(?:\d+ )?(?:comments?|responses?|replies)|no comments(?: yet)?|comments are closed"
        r"|join the (?:discussion|conversation)|(?:show|view|load|see) (?:all |more )?comments"
        r"|you must be logged in to post a comment|(?:log ?in|sign in) to (?:comment|reply)"
        # "(?:\w+)" for "required": the notice is one sentence, its second one optional.
        r"|your email address will not be published\.?(?: (?:\w+) fields are marked(?: ?\*)?)?"
        r"|required fields are marked(?: ?\*)?",
        15,
    ),
    (
        "share prompt",
        r"(?:you can )?share (?:this|the) (?:story|article|post|page|video)"
        r"(?: on social media| with (?:your )?friends| via <rest>)?"
        r"|share(?: this| it)?(?: on| via| to)? <networks>|(?:click|tap) (?:here )?to share<rest>"
        r"|copy link|link copied|(?:(?:share|tweet|print|<networks>)(?: |$)){1,10}",
        12,
    ),
    (
        "subscribe prompt",
        r"(?:click|tap) (?:here )?to subscribe<rest>|subscribe(?: now| today| here| for free)?"
        r"|(?:subscribe|sign up|register) (?:to|for) <words>{0,4}<channels><rest>"
        r"|get (?:our|the) <words>{0,3}newsletters?<rest>"
        r"|(?:follow|find) (?:us|(?:the )?[\w.]+) on (?:<networks>|instagram|youtube)<rest>"
        r"|join (?:us|our <words>{0,3}<channels>) on <rest>",
        15,
    ),
    (
        "page furniture",
        r"advertisement|sponsored(?: content)?|story continues below(?: advertisement)?"
        r"|skip to (?:main )?content|(?:category|tag|author) archives?\s*:?\s*.+",
        8,
    ),
)


def _expand(pattern: str) -> str:
    for name, value in _MACROS.items():
        pattern = pattern.replace(name, value)
    return pattern


_COMPILED = tuple(
    (reason, re.compile(rf"(?:{_expand(pattern)})[.!:]?"), limit)
    for reason, pattern, limit in BOILERPLATE_PATTERNS
)
_DECORATION = " \t»«›‹>→←|•·*#–—-:"
# A bare heading of a related-story box: the lines after it up to a blank line are that box.
_RELATED_HEADING = re.compile(
    r"(?:read|see) (?:more|also|next)|also read|related(?: articles?| stories| news| coverage)?"
    r"|more on this(?: story| topic)?|recommended(?: for you)?|you (?:may|might) also like"
)
_RELATED_MAX_LINES = 3
_RELATED_MAX_WORDS = 15
_LINK_LIST_MIN_LINES = 5
_LINK_LIST_WORDS = (4, 20)

_ELLIPSIS = re.compile(
    r"\s*(?:\.\.\.|…|\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\))"
    r"(?:\s*(?:read more|continue reading|more)\W*)?\s*$",
    re.IGNORECASE,
)
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_KEY = 20  # characters by which teasers find the lines they may repeat
_ELLIPSIS_TAIL = 40  # characters at the end of a line in which to look for an ellipsis
# Stripped from words when comparing paragraphs: "concerns, and" = "concerns and".
_PUNCTUATION = string.punctuation + "“”‘’«»„‟‹›–—…•·"
# Last character of a line that ends like a sentence (closing quotes and brackets looked through).
_SENTENCE_FINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
_MINOR_WORDS_TEXT = (
    "a an the and or nor but of in on at to for from by with as into onto over under amid after "
    "before about via vs vs. is are was be its his her their our per than up off out "
)
_MINOR_WORDS = frozenset(_MINOR_WORDS_TEXT.split())


@dataclass(frozen=True)
class Removal:
    """One line `clean_text` removed.

    Attributes
    ----------
    kind
        ``boilerplate``, ``teaser``, ``duplicate`` or ``near-duplicate``.
    line
        Its line number in the original text (1-based).
    text
        The line as it was (without the line break).
    reason
        Which rule, e.g. ``read-more prompt``, ``teaser of line 5``, ``duplicate of line 3``.
    """

    kind: str
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    """The cleaned text and what was removed from the original.

    Attributes
    ----------
    text
        The original lines that were kept, unchanged and in order; where removing lines would
        leave two blank lines in a row, one is dropped, so paragraphs keep their layout.
    removed
        Every removed line, in original order.
    """

    text: str
    removed: tuple[Removal, ...]
    # (start in `text`, start in the original) of each kept piece, for `to_original`.
    _pieces: tuple[tuple[int, int], ...] = field(default=(), repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        """Removed lines per kind (kinds with none are left out)."""
        found = Counter(r.kind for r in self.removed)
        return {kind: found[kind] for kind in REMOVAL_KINDS if found[kind]}

    @property
    def summary(self) -> str:
        """A short note for ``articles.csv``, e.g. ``cleaned: 3 boilerplate, 1 teaser lines``.

        Empty when nothing was removed.
        """
        if not self.removed:
            return ""
        parts = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        return f"cleaned: {parts} line{'s' if len(self.removed) != 1 else ''}"

    def to_original(self, offset: int) -> int:
        """The offset in the original text of character `offset` of the cleaned text."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the cleaned text (0..{len(self.text)})")
        if not self._pieces:
            return offset
        index = bisect.bisect_right(self._pieces, (offset, float("inf"))) - 1
        clean_start, original_start = self._pieces[max(index, 0)]
        return original_start + offset - clean_start


@dataclass
class _Line:
    number: int  # 1-based
    start: int  # offset in the original text
    raw: str  # with its line break
    body: str  # without it
    norm: str  # whitespace collapsed, stripped
    n_words: int
    cut: int | None  # where a final ellipsis starts in `norm` (a teaser), or None
    removal: Removal | None = None

    @property
    def blank(self) -> bool:
        return not self.norm

    @property
    def kept(self) -> bool:
        return self.removal is None and bool(self.norm)


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    start = 0
    # Lines end at "\n" only, so that line numbers are the ones an editor shows.
    for number, raw in enumerate(_LINE.findall(text), start=1):
        body = raw.rstrip("\r\n")
        words = body.split()
        norm = " ".join(words)
        out.append(_Line(number, start, raw, body, norm, len(words), _ellipsis_at(norm)))
        start += len(raw)
    return out


def _ellipsis_at(norm: str) -> int | None:
    tail = max(len(norm) - _ELLIPSIS_TAIL, 0)
    found = _ELLIPSIS.search(norm, tail)
    return None if found is None else found.start()


def _remove(line: _Line, kind: str, reason: str) -> None:
    line.removal = Removal(kind=kind, line=line.number, text=line.body, reason=reason)


def _prompt_reason(line: _Line) -> str | None:
    """Why the whole line is a boilerplate prompt, or None."""
    if not line.norm or line.n_words > 25:
        return None
    key = line.norm.lower().strip(_DECORATION)
    for reason, pattern, limit in _COMPILED:
        if line.n_words <= limit and pattern.fullmatch(key):
            return reason
    return None


def _ends_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_FINAL.search(text, max(len(text) - 12, 0)))


def _is_title_case(norm: str) -> bool:
    words = [w for w in norm.split() if w[:1].isalpha()]
    content = [w for w in words if w.lower() not in _MINOR_WORDS]
    return bool(content) and sum(w[0].isupper() for w in content) >= 0.8 * len(content)


def _remove_boilerplate(lines: list[_Line]) -> None:
    for i, line in enumerate(lines):
        if line.removal is not None or not line.norm:
            continue
        reason = _prompt_reason(line)
        if reason is None:
            continue
        _remove(line, "boilerplate", reason)
        if _RELATED_HEADING.fullmatch(line.norm.lower().strip(_DECORATION)):
            _remove_related_box(lines, i)
    _remove_link_lists(lines)


def _remove_related_box(lines: list[_Line], heading: int) -> None:
    """The related-story box under a bare "Read more": caption and headline, then a blank line."""
    j = heading + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    box: list[_Line] = []
    while j < len(lines) and not lines[j].blank:
        box.append(lines[j])
        j += 1
    if (
        not box
        or len(box) > _RELATED_MAX_LINES
        or any(b.n_words > _RELATED_MAX_WORDS or b.removal is not None for b in box)
        or _ends_like_sentence(box[-1].norm)
    ):
        return
    for b in box:
        _remove(b, "boilerplate", f"related-story link under line {heading + 1}")


def _remove_link_lists(lines: list[_Line]) -> None:
    """Runs of Title Case headline lines with nothing else between them: other stories' links."""
    low, high = _LINK_LIST_WORDS
    run: list[_Line] = []
    for line in [*lines, None]:
        if line is not None and (line.blank or line.removal is not None):
            continue
        if (
            line is not None
            and low <= line.n_words <= high
            and not _ends_like_sentence(line.norm)
            and _is_title_case(line.norm)
        ):
            run.append(line)
            continue
        if len(run) >= _LINK_LIST_MIN_LINES:
            for item in run:
                _remove(item, "boilerplate", f"link list (lines {run[0].number}-{run[-1].number})")
        run = []


def _remove_duplicates(lines: list[_Line]) -> None:
    seen: dict[str, int] = {}
    for line in lines:
        if not line.kept or line.n_words < DUPLICATE_MIN_WORDS:
            continue
        key = line.norm.casefold()
        if key in seen:
            _remove(line, "duplicate", f"duplicate of line {seen[key]}")
        else:
            seen[key] = line.number


def _remove_teasers(lines: list[_Line]) -> None:
    content = [line for line in lines if line.norm]
    by_start: dict[str, list[int]] = {}  # lines by their first characters, to find candidates
    for k, line in enumerate(content):
        by_start.setdefault(line.norm[:_KEY], []).append(k)
    for k, line in enumerate(content):
        if not line.kept:
            continue
        if line.cut is None:
            continue
        stem = line.norm[: line.cut].rstrip()
        if len(stem.split()) < TEASER_MIN_WORDS:
            continue
        candidates = by_start.get(stem[:_KEY], ()) if len(stem) >= _KEY else range(len(content))
        for j in candidates:
            if j != k and content[j].kept and _run_starts_with(content, j, k, stem):
                _remove(line, "teaser", f"teaser of line {content[j].number}")
                break


def _run_starts_with(content: Sequence[_Line], j: int, teaser: int, stem: str) -> bool:
    """Do kept lines from `content[j]` on, joined by spaces, start with `stem`?"""
    joined = ""
    for line in content[j:]:
        if line.removal is not None:
            continue
        if line is content[teaser]:
            return False
        joined = f"{joined} {line.norm}" if joined else line.norm
        if len(joined) >= len(stem):
            return joined.startswith(stem)
        if not stem.startswith(joined):
            return False
    return False


def _shingles(norm: str) -> frozenset[tuple[str, ...]]:
    words = [w.strip(_PUNCTUATION) for w in norm.lower().split()]
    if "" in words:  # a lone dash or quote mark is not a word
        words = [w for w in words if w]
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def _remove_near_duplicates(lines: list[_Line]) -> None:
    candidates = [ln for ln in lines if ln.kept and ln.n_words >= DUPLICATE_MIN_WORDS]
    shingles = {ln.number: _shingles(ln.norm) for ln in candidates}
    # Kept lines by shingle-set size: Jaccard <= smaller / larger size, so only lines of similar
    # size need comparing.
    by_size: list[tuple[int, int]] = []  # (size, line number)
    index = {ln.number: ln for ln in candidates}
    for line in candidates:
        mine = shingles[line.number]
        size = len(mine)
        low = bisect.bisect_left(by_size, (math.ceil(NEAR_DUPLICATE_JACCARD * size), 0))
        high = bisect.bisect_right(by_size, (math.floor(size / NEAR_DUPLICATE_JACCARD), 1 << 62))
        match = None
        for _, number in by_size[low:high]:
            theirs = shingles[number]
            common = len(mine & theirs)
            if common >= NEAR_DUPLICATE_JACCARD * (size + len(theirs) - common) and (
                match is None or number < match
            ):
                match = number
        if match is None:
            bisect.insort(by_size, (size, line.number))
            continue
        earlier = index[match]
        if earlier.cut is not None and line.cut is None:  # keep the full text, not the teaser
            _remove(earlier, "near-duplicate", f"near-duplicate of line {line.number}")
            by_size.remove((len(shingles[match]), match))
            bisect.insort(by_size, (size, line.number))
        else:
            _remove(line, "near-duplicate", f"near-duplicate of line {match}")


def _assemble(text: str, lines: list[_Line]) -> Cleaned:
    removed = tuple(line.removal for line in lines if line.removal is not None)
    if not removed:
        return Cleaned(text=text, removed=(), _pieces=((0, 0),))
    pieces: list[tuple[int, int]] = []
    out: list[str] = []
    length = 0
    original_end = -1  # where the last emitted line ends in the original
    emitted_blank = True  # so that a removal at the start leaves no blank line behind
    gap = False  # a line was removed since the last emitted non-blank line
    for line in lines:
        if line.removal is not None:
            gap = True
            continue
        if line.blank and emitted_blank and gap:
            continue  # a removal would leave two blank lines in a row
        if line.start != original_end:
            pieces.append((length, line.start))
        out.append(line.raw)
        length += len(line.raw)
        original_end = line.start + len(line.raw)
        emitted_blank = line.blank
        gap = gap and line.blank
    return Cleaned(text="".join(out), removed=removed, _pieces=tuple(pieces))


def clean_text(text: str) -> Cleaned:
    """Remove boilerplate, teaser and duplicate lines from a scraped article.

    See the module docstring for the rules. The kept lines are returned unchanged, so every
    match found in ``Cleaned.text`` is text of the original (``Cleaned.to_original`` maps its
    offsets back).

    Parameters
    ----------
    text
        An article as read (from a .txt file, an HTML extraction or a table's text column).

    Returns
    -------
    Cleaned
        The cleaned text, every removed line with its kind, line number and reason, and a
        ``summary`` for ``articles.csv``.

    Raises
    ------
    TypeError
        If `text` is not a string.
    """
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects a str, got {type(text).__name__}")
    lines = _lines(text)
    _remove_boilerplate(lines)
    _remove_duplicates(lines)
    _remove_teasers(lines)
    _remove_near_duplicates(lines)
    return _assemble(text, lines)


# --- splitting a multi-article dump ---------------------------------------------------------

_HEADING_MAX_WORDS = 35
_HEADING_MAX_LINES = 4
_ECHO_WINDOW = 3  # body lines after a heading that it should summarise
_ECHO_MIN_SHARED = 2
_ECHO_MIN_SHARE = 0.25
_TITLE_MAX_WORDS = 20
# Links, list bullets and lines broken off mid-sentence are never headings.
_NOT_HEADING = re.compile(
    r"https?://|www\.|\w\.(?:com|org|net)/|^\s*(?:[-*•▪●◦·]|\d{1,2}[.)])\s|[,(\-–—]\s*$"
)
_STEM = 5  # compare words by their first letters: "sanction", "sanctions", "sanctioned"
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    rf"(?:(?:published|updated|posted)\s*:?\s*)?(?:\w+day,?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTHS},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
    rf"(?:,?\s+(?:at\s+)?\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+\w{{2,5}})?)?",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"by\s+[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}(?:\s*(?:,|and)\s+.+)?")
_STOPWORDS_TEXT = (
    "that this with from have been were will would could should their there they them than then "
    "what when where which while whom whose about after before over under into also more most some "
    "such only other these those being said says told according claimed claims stated reported "
    "added noted warned year years last first week month today monday tuesday wednesday thursday "
    "friday saturday sunday earlier later since amid against between within without across just "
    "very much many even still already does did done "
)
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def _content_stems(text: str) -> set[str]:
    return {
        w[:_STEM]
        for w in re.findall(r"[^\W\d_]+", text.lower())
        if len(w) >= 4 and w not in _STOPWORDS
    }


def _is_heading(line: _Line) -> bool:
    """Could the line be a headline, standfirst, dateline, byline or section label?"""
    norm = line.norm
    if not 0 < line.n_words <= _HEADING_MAX_WORDS or _NOT_HEADING.search(norm):
        return False
    if not _ends_like_sentence(norm):
        return True
    # "Who Holds the Cards?": a Title Case line is a headline even when it ends like a sentence.
    return line.n_words <= _TITLE_MAX_WORDS and _is_title_case(norm)


def _is_dateline_or_byline(norm: str) -> bool:
    return bool(_DATELINE.fullmatch(norm.strip(_DECORATION)) or _BYLINE.fullmatch(norm))


def article_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the articles in a multi-article dump.

    See `split_articles` for the heuristic. The spans cover the text from the first non-blank
    character to the last, without gaps (text before the first heading is an article of its own
    when it has a sentence in it, otherwise it joins the first article).
    """
    lines = [ln for ln in _lines(text) if ln.norm]
    if not lines:
        return []
    starts: list[int] = []
    k = 0
    while k < len(lines):
        if not _is_heading(lines[k]):
            k += 1
            continue
        end = k
        while end < len(lines) and _is_heading(lines[end]):
            end += 1
        run, body = lines[k:end], lines[end : end + _ECHO_WINDOW]
        if body and len(run) <= _HEADING_MAX_LINES and _opens_article(run, body):
            starts.append(k)
        k = end
    if not starts or starts[0] != 0:
        lead = lines[: starts[0]] if starts else lines
        if starts and not any(_ends_like_sentence(ln.norm) for ln in lead):
            starts[0] = 0  # a date or section label above the first headline
        else:
            starts.insert(0, 0)
    bounds = [lines[s].start for s in starts]
    last = lines[-1]
    stop = last.start + len(last.body.rstrip())
    spans = []
    for a, b in zip(bounds, [*bounds[1:], stop], strict=True):
        lead_ws = len(text[a:b]) - len(text[a:b].lstrip())
        spans.append((a + lead_ws, a + len(text[a:b].rstrip())))
    return spans


def _opens_article(run: Sequence[_Line], body: Sequence[_Line]) -> bool:
    """Does a heading block open an article? Yes when it has a dateline or byline, or when it
    summarises the paragraphs under it: it shares at least two content words with them, and
    either it has two lines of four words or more (headline and standfirst) or a quarter of its
    content words are shared (a lone subheading or a speaker's name and title rarely are)."""
    if any(_is_dateline_or_byline(line.norm) for line in run):
        return True
    heading = set().union(*(_content_stems(line.norm) for line in run))
    lede = set().union(*(_content_stems(line.norm) for line in body))
    shared = len(heading & lede)
    if shared < _ECHO_MIN_SHARED:
        return False
    two_lines = sum(line.n_words >= 4 for line in run) >= 2
    return two_lines or shared >= _ECHO_MIN_SHARE * len(heading)


def split_articles(text: str) -> list[str]:
    """Split a dump of several articles (one scraped page) into articles.

    Heuristic: an article opens with a *heading block*: one to four consecutive lines (blank
    lines between them allowed) of at most 35 words that do not end like a sentence (no final
    ``. ! ? … : ;``; a Title Case line of at most 20 words may end with one), carry no link and
    are not list items: headline, standfirst, dateline, byline, section label. A heading block
    followed by a line that is not a heading starts a new article when

    - it has a dateline ("May 20, 2025", "2025-05-20", "Updated 3 June 2024 14:05") or a byline
      ("By Ann Lee"); or
    - it summarises the lines under it, as headlines and standfirsts do: it shares at least two
      content words (words of four letters or more, common words left out, compared by their
      first five letters) with the next three lines, and either it has two lines of four words
      or more (headline and standfirst) or a quarter of its content words are shared.

    Text before the first heading block is an article of its own when it has a sentence in it
    (e.g. teasers of other stories at the top of a page); otherwise it joins the first article.

    Limits: a one-line subheading inside an article that repeats enough words of the paragraphs
    below it also splits, and so does a list of two or more short items without bullets; an
    article whose standfirst shares few words with its first paragraphs, and that has no
    headline line, stays joined to the article before it; sentence-case headlines ending with
    a full stop or question mark are not seen. Clean the text first (`clean_text`): "Read more"
    boxes look like headings.

    Parameters
    ----------
    text
        The text of one scraped document.

    Returns
    -------
    list of str
        The articles, each an exact slice of `text` without surrounding blank lines; ``[text]``
        stripped when there is nothing to split, ``[]`` for blank text.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_articles expects a str, got {type(text).__name__}")
    return [text[a:b] for a, b in article_spans(text)]
