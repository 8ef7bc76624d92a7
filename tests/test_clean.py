"""Scrape cleaning: boilerplate prompts, teasers, duplicates; splitting multi-article dumps."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from framing.clean import (
    DUPLICATE_MIN_WORDS,
    Cleaned,
    article_spans,
    clean_text,
    split_articles,
)

DATA = Path(__file__).resolve().parent / "data" / "clean"

FIRST = (
    "The council of Port Vell voted on Tuesday to spend 2.4 million crowns repairing the ferry "
    "pier that storms damaged in January, harbour master Edda Brask said."
)
SECOND = (
    "Islanders have relied on a small private boat since the pier closed, and shop owners on "
    "Lornholm say their deliveries have halved."
)
THIRD = "The fisheries office said it would publish its quota advice for the next season in May."


def nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def kept_line_indexes(original: str, cleaned: str) -> list[int]:
    """Indexes of the original lines that make up `cleaned`; fails unless they are original
    lines, unchanged and in their original order."""
    source = original.split("\n")
    kept: list[int] = []
    i = 0
    for line in cleaned.split("\n"):
        while i < len(source) and source[i] != line:
            i += 1
        assert i < len(source), f"not an original line, or out of order: {line[:60]!r}"
        kept.append(i)
        i += 1
    return kept


# --- boilerplate -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Read more",
        "READ MORE: Harbour council votes to close the old ferry pier",
        "» See also: Winter timetable for the Lornholm ferry",
        "Your email address will not be published.",
        "Leave a Reply",
        "Required fields are marked *",
        "3 Comments",
        "Share this article",
        "You can share this story on social media:",
        "Facebook Twitter Telegram",
        "Subscribe to our newsletter",
        "Subscribe to the Courier newsletter to get the island news first",
        "Follow the Courier on Telegram",
        "Advertisement",
    ],
)
def test_a_line_that_is_a_prompt_goes(prompt: str) -> None:
    text = f"{FIRST}\n{prompt}\n{SECOND}\n"
    cleaned = clean_text(text)
    assert cleaned.text == f"{FIRST}\n{SECOND}\n"
    [removal] = cleaned.removed
    assert (removal.kind, removal.line, removal.text) == ("boilerplate", 2, prompt)


@pytest.mark.parametrize(
    "sentence",
    [
        "Residents who want to read more about the repair plan can find it in the town library.",
        "Read more slowly, the teacher told the class, and the words will stay with you.",
        "Leave a reply on the form, the clerk said, and the office will call you back.",
        "Your email address will not be published, the council promised the petitioners.",
        "Share prices at the Vellmark exchange fell by three percent on Tuesday.",
        "Subscribe to the channel, the mayor urged residents at the meeting.",
        "Comments from residents filled three pages of the council minutes.",
        "Follow the money, the auditor said of the pier accounts.",
    ],
)
def test_a_sentence_that_merely_contains_a_prompt_stays(sentence: str) -> None:
    text = f"{FIRST}\n{sentence}\n{SECOND}\n"
    cleaned = clean_text(text)
    assert cleaned.text == text
    assert cleaned.removed == ()


def test_the_related_story_box_under_read_more_goes() -> None:
    text = (
        f"{FIRST}\n\nRead more\n\nHarbour master Edda Brask.\n"
        f"Storm season leaves Port Vell counting the cost\n\n{SECOND}\n"
    )
    cleaned = clean_text(text)
    assert cleaned.text == f"{FIRST}\n\n{SECOND}\n"
    assert [(r.line, r.reason) for r in cleaned.removed[1:]] == [
        (5, "related-story link under line 3"),
        (6, "related-story link under line 3"),
    ]


def test_a_short_body_paragraph_after_read_more_stays() -> None:
    # It ends like a sentence: body, not a link.
    text = f"{FIRST}\n\nRead more\n\nThe ferry will run twice a day.\n\n{SECOND}\n"
    cleaned = clean_text(text)
    assert nonblank(cleaned.text) == [FIRST, "The ferry will run twice a day.", SECOND]


def test_without_blank_lines_the_line_after_read_more_stays() -> None:
    # One paragraph per line: nothing closes a box, so only the prompt itself goes.
    text = f"{FIRST}\nRead more\nStorm season leaves Port Vell counting the cost\n{SECOND}\n{THIRD}"
    cleaned = clean_text(text)
    assert [r.line for r in cleaned.removed] == [2]
    assert "Storm season leaves Port Vell counting the cost" in nonblank(cleaned.text)


HEADLINES = [
    "Ostra Museum Reopens Glass Hall After Three Years",
    "Rail Union Calls Two-Day Strike Over Pay",
    "Volunteers Plant Oak Saplings Along the River Dike",
    "Cod Catches Fall for a Third Year in Northern Vellmark",
    "Lornholm Shop Owners Ask for a Winter Subsidy",
    "New Timetable for the Island Ferry Published",
]


def test_a_list_of_title_case_headlines_goes() -> None:
    text = "\n".join([FIRST, SECOND, "", *HEADLINES, ""])
    cleaned = clean_text(text)
    assert nonblank(cleaned.text) == [FIRST, SECOND]
    assert {r.kind for r in cleaned.removed} == {"boilerplate"}
    assert [r.text for r in cleaned.removed] == HEADLINES


def test_a_few_headlines_or_a_plain_list_stay() -> None:
    few = "\n".join([FIRST, *HEADLINES[:4], SECOND])
    assert clean_text(few).removed == ()
    items = [h.lower() for h in HEADLINES]  # sentence case: list items, not links
    plain = "\n".join([FIRST, *items, SECOND])
    assert clean_text(plain).removed == ()


# --- teasers ---------------------------------------------------------------------------------

STANDFIRST = "The Vellmark rail union has called a two-day strike over pay, the union said"
LEDE = (
    "The Vellmark rail union will strike on Monday and Tuesday after talks with the state rail "
    "company broke down, union leader Sana Oyelaran said on Saturday."
)


@pytest.mark.parametrize("mark", ["...", "…", " […]", " [...]", "… Read more"])
def test_a_teaser_that_runs_into_the_next_paragraphs_goes(mark: str) -> None:
    teaser = f"{STANDFIRST} {LEDE[:70].rstrip()}{mark}"
    text = f"{teaser}\n{STANDFIRST}\n{LEDE}\n{THIRD}\n"
    cleaned = clean_text(text)
    assert nonblank(cleaned.text) == [STANDFIRST, LEDE, THIRD]
    [removal] = cleaned.removed
    assert (removal.kind, removal.line, removal.reason) == ("teaser", 1, "teaser of line 2")


def test_a_teaser_cut_mid_word_and_one_after_the_full_text_go() -> None:
    text = f"{LEDE[:61]}…\n{LEDE}\n{THIRD}\n{LEDE[:90]} […]\n"
    cleaned = clean_text(text)
    assert nonblank(cleaned.text) == [LEDE, THIRD]
    assert [(r.kind, r.line) for r in cleaned.removed] == [("teaser", 1), ("teaser", 4)]


def test_data_file_teasers_duplicates_and_a_teaser_without_full_text() -> None:
    text = (DATA / "wire_dump.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    cleaned = clean_text(text)
    kinds = {r.line: r.kind for r in cleaned.removed}
    assert kinds == {2: "teaser", 10: "near-duplicate"}
    # The first line is a teaser too, but its story is not on the page: it is the only copy.
    assert lines[0] in nonblank(cleaned.text)
    assert lines[8] in nonblank(cleaned.text)  # the first of the two near-duplicates stays


def test_paragraphs_sharing_a_start_without_an_ellipsis_both_stay() -> None:
    cut = LEDE[:70].rstrip()  # the start of the next paragraph, but no ellipsis: not a teaser
    finished = "The Vellmark rail union will strike on Monday and Tuesday."
    text = f"{cut}\n{LEDE}\n{finished}\n"
    assert clean_text(text).removed == ()


def test_a_short_line_ending_in_an_ellipsis_stays() -> None:
    text = "The mayor paused...\nThe mayor paused... and then said the pier would reopen.\n"
    assert clean_text(text).removed == ()


def test_a_teaser_whose_text_differs_from_the_full_paragraph_stays() -> None:
    teaser = "The Vellmark rail union will walk out on Monday and Tuesday after talks…"
    assert clean_text(f"{teaser}\n{LEDE}\n").removed == ()


def test_of_two_copies_of_a_short_teaser_one_stays() -> None:
    teaser = "The mayor of Ostra said the budget would …"  # too short for the duplicate rule
    cleaned = clean_text(f"{teaser}\n{FIRST}\n{teaser}\n")
    assert nonblank(cleaned.text).count(teaser) == 1


# --- duplicates ------------------------------------------------------------------------------


def test_a_repeated_paragraph_goes_and_the_first_copy_stays() -> None:
    text = f"{FIRST}\n{SECOND}\n  {FIRST.upper()}  \n{THIRD}\n"
    cleaned = clean_text(text)
    assert nonblank(cleaned.text) == [FIRST, SECOND, THIRD]
    [removal] = cleaned.removed
    assert (removal.kind, removal.line, removal.reason) == ("duplicate", 3, "duplicate of line 1")


def test_short_repeated_lines_stay() -> None:
    short = ["By Ann Lee", "May 20, 2025", "Photo: Courier archive", "Mira Holt, harbour pilot"]
    assert all(len(s.split()) < DUPLICATE_MIN_WORDS for s in short)
    text = "\n".join([*short, FIRST, *short, SECOND])
    assert clean_text(text).removed == ()


def test_a_near_duplicate_goes_and_a_paragraph_sharing_half_its_words_stays() -> None:
    long = f"{FIRST} {SECOND}"  # one edit in 49 words: word 3-shingle Jaccard above 0.9
    edited = long.replace("have halved.", "have fallen by half.")
    half = " ".join(long.split()[:25]) + " The pier will reopen in April, the council said."
    short_edit = FIRST.replace("Brask said.", "Brask told reporters.")  # Jaccard below 0.9
    cleaned = clean_text(f"{long}\n{half}\n{edited}\n{FIRST}\n{short_edit}\n")
    assert nonblank(cleaned.text) == [long, half, FIRST, short_edit]
    [removal] = cleaned.removed
    assert (removal.kind, removal.line, removal.reason) == (
        "near-duplicate",
        3,
        "near-duplicate of line 1",
    )


def test_a_truncated_near_duplicate_gives_way_to_the_full_paragraph() -> None:
    # Straight quotes in the teaser, curly ones in the story: not a prefix, but a near-duplicate.
    full = (
        "Harbour master Edda Brask said the repairs were “the biggest job the port has seen in "
        "forty years” and that divers would inspect every pile of the old pier before the "
        "engineers could finish their report on the damage."
    )
    cut = full.replace("“", '"').replace("”", '"').removesuffix(" on the damage.") + "..."
    cleaned = clean_text(f"{cut}\n{SECOND}\n{full}\n")
    assert nonblank(cleaned.text) == [SECOND, full]
    assert [(r.kind, r.line, r.reason) for r in cleaned.removed] == [
        ("near-duplicate", 1, "near-duplicate of line 3")
    ]


# --- the Cleaned result ----------------------------------------------------------------------


def test_nothing_to_clean_returns_the_text_itself() -> None:
    text = f"{FIRST}\n\n{SECOND}"
    cleaned = clean_text(text)
    assert cleaned.text is text
    assert (cleaned.removed, cleaned.summary, cleaned.counts) == ((), "", {})
    assert clean_text("").text == ""


def test_summary_counts_lines_by_kind() -> None:
    teaser = f"{STANDFIRST} {LEDE[:50]}…"
    cleaned = clean_text(f"Read more\n{teaser}\n{STANDFIRST}\n{LEDE}\n")
    assert cleaned.counts == {"boilerplate": 1, "teaser": 1}
    assert cleaned.summary == "cleaned: 1 boilerplate, 1 teaser lines"
    assert clean_text(f"{FIRST}\nLeave a Reply\n").summary == "cleaned: 1 boilerplate line"


def test_kept_lines_are_original_and_offsets_map_back() -> None:
    text = (DATA / "courier_page.txt").read_text(encoding="utf-8")
    cleaned = clean_text(text)
    assert cleaned.removed
    kept = kept_line_indexes(text, cleaned.text)
    removed = {r.line - 1 for r in cleaned.removed}
    assert not removed & set(kept)
    for i, char in enumerate(cleaned.text):
        assert text[cleaned.to_original(i)] == char
    with pytest.raises(ValueError, match="outside the cleaned text"):
        cleaned.to_original(len(cleaned.text) + 1)


def test_removals_leave_no_extra_blank_lines_and_keep_line_endings() -> None:
    text = f"Read more\r\n\r\n{FIRST}\r\n\r\nShare this article\r\n\r\n{SECOND}\r\n"
    cleaned = clean_text(text)
    assert cleaned.text == f"{FIRST}\r\n\r\n{SECOND}\r\n"
    assert [r.line for r in cleaned.removed] == [1, 5]


def test_data_file_page_furniture_is_gone_and_the_articles_remain() -> None:
    text = (DATA / "courier_page.txt").read_text(encoding="utf-8")
    cleaned = clean_text(text)
    assert isinstance(cleaned, Cleaned)
    removed = [r.text for r in cleaned.removed]
    for furniture in ("Tag Archives: Harbour", "Read more", "Leave a Reply"):
        assert furniture in removed
    left = nonblank(cleaned.text)
    assert not [line for line in left if line.startswith(("READ MORE", "Your email"))]
    assert left.count(FIRST) == 1
    assert "Residents who want to read more" in cleaned.text
    assert "Tomas Arne, fleet captain" in left
    assert cleaned.text.count("\n\n\n") <= text.count("\n\n\n")


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match="clean_text expects a str, got NoneType"):
        clean_text(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="split_articles expects a str, got bytes"):
        split_articles(b"text")  # type: ignore[arg-type]


# --- splitting -------------------------------------------------------------------------------


def test_split_a_page_at_headline_blocks_not_at_a_speaker_line() -> None:
    text = clean_text((DATA / "courier_page.txt").read_text(encoding="utf-8")).text
    articles = split_articles(text)
    assert [a.splitlines()[0] for a in articles] == [
        "Ferry service to Lornholm island will resume in April",
        "Fishing crews fear another year of low catches off the northern coast",
    ]
    assert "Tomas Arne, fleet captain" in articles[1]
    assert all(a in text for a in articles)


def test_split_standfirsts_and_teasers_of_other_stories() -> None:
    text = clean_text((DATA / "wire_dump.txt").read_text(encoding="utf-8")).text
    articles = split_articles(text)
    assert len(articles) == 3
    assert articles[0].startswith("Volunteers planted")  # a teaser of a story not on the page
    assert articles[1].startswith(STANDFIRST)
    assert articles[2].startswith("The city museum of Ostra will reopen")


def test_split_at_datelines_and_bylines_and_title_case_questions() -> None:
    text = "\n\n".join(
        [
            "By Ann Lee",
            "May 3, 2024",
            FIRST,
            SECOND,
            "By Tomas Vik",
            "May 4, 2024",
            THIRD,
            "Who Will Pay for the Damaged Ferry Pier?",
            "The repair bill for the ferry pier will be paid by the state, the council said.",
        ]
    )
    articles = split_articles(text)
    assert [a.splitlines()[0] for a in articles] == [
        "By Ann Lee",
        "By Tomas Vik",
        "Who Will Pay for the Damaged Ferry Pier?",
    ]


def test_no_split_at_links_lists_or_lone_subheadings() -> None:
    text = "\n".join(
        [
            "Ferry service to Lornholm island will resume in April",
            FIRST,
            "Ferry fans cheer the pier repair in Port Vell pic.twitter.com/x1y2z3",
            "Repairs to the ferry pier in Port Vell start next week, the council said.",
            "- repairs to the pier",
            "- a new ferry timetable",
            "The work will also cover the pier lights and the ferry ramp.",
            "What comes next",
            SECOND,
        ]
    )
    assert split_articles(text) == [text]


def test_split_edge_cases() -> None:
    assert split_articles("") == []
    assert split_articles(" \n\n ") == []
    assert split_articles(f"\n\n{FIRST}\n{SECOND}\n\n") == [f"{FIRST}\n{SECOND}"]
    text = f"{STANDFIRST}\n{LEDE}\n{THIRD}\nThe city museum of Ostra will reopen its glass hall\n"
    text += "The city museum of Ostra will reopen its glass hall on Saturday, its director said.\n"
    spans = article_spans(text)
    assert len(spans) == 2
    assert spans[0][0] == 0 and text[spans[0][1] : spans[1][0]] == "\n"


# --- the real seed files (../shared/seeds) ---------------------------------------------------

# The list, written independently of framing.clean: whole lines only.
LISTED_PROMPT = re.compile(
    r"read more(?:\s*:.*)?|your email address will not be published\b.*|leave a reply"
    r"|(?:you can )?share this \w+.*|(?:click to )?share on \w+|subscribe(?: to .*)?"
    r"|follow us on .*|sign up for .*newsletter.*",
    re.IGNORECASE,
)
ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


def is_listed_prompt(line: str) -> bool:
    return len(line.split()) <= 15 and bool(LISTED_PROMPT.fullmatch(line.strip()))


def is_teaser(lines: list[str], i: int, *, later_only: bool) -> bool:
    """Ends in an ellipsis, and the text before it is where another line (or run of lines)
    starts; whitespace aside."""
    cut = ELLIPSIS.search(lines[i])
    if cut is None:
        return False
    stem = " ".join(lines[i][: cut.start()].split())
    if len(stem.split()) < 6:
        return False
    others = [j for j in range(i + 1 if later_only else 0, len(lines)) if j != i]
    texts = [" ".join(lines[j].split()) for j in others if lines[j].strip()]
    joined = " ".join(texts)
    starts = itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0)
    return any(joined.startswith(stem, start) for start in starts)


def trigrams(line: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", line.lower())
    return set(zip(words, words[1:], words[2:], strict=False))


def is_duplicate_of_kept(line: str, kept: list[str]) -> bool:
    norm = " ".join(line.split()).lower()
    if any(" ".join(k.split()).lower() == norm for k in kept):
        return True
    mine = trigrams(line)
    return any(
        mine and len(mine & (theirs := trigrams(k))) >= 0.9 * len(mine | theirs) for k in kept
    )


def ends_like_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?…:;][\"'”’»)\]]*\s*$", line))


def related_box(lines: list[str], i: int) -> bool:
    """Is line i in the box right under a bare "Read more" line: the first run of non-blank
    lines after it, at most 3 lines of at most 15 words?"""
    for r in reversed([j for j in range(i) if lines[j].strip()][-3:]):
        if lines[r].strip().lower() == "read more":
            start = next(j for j in range(r + 1, len(lines)) if lines[j].strip())
            end = next((j for j in range(start, len(lines)) if not lines[j].strip()), len(lines))
            box = lines[start:end]
            return start <= i < end and len(box) <= 3 and all(len(x.split()) <= 15 for x in box)
    return False


def is_not_body(lines: list[str], i: int) -> bool:
    """A line that is not article text: a short line in the related-story box under a bare
    "Read more", or a short label that does not end like a sentence and does not open a
    paragraph that follows it (a headline over body text is not "not body")."""
    if related_box(lines, i):
        return True
    if len(lines[i].split()) > 20 or ends_like_sentence(lines[i]):
        return False
    after = [lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()][:1]
    return not after or not ends_like_sentence(after[0]) or is_listed_prompt(after[0])


@pytest.mark.shared
def test_seeds_lose_prompts_and_teasers_and_keep_every_other_paragraph(shared: Path) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    assert seeds
    prompts_seen = teasers_seen = 0
    for path in seeds:
        original = path.read_text(encoding="utf-8")
        lines = original.split("\n")
        cleaned = clean_text(original)
        kept_at = set(kept_line_indexes(original, cleaned.text))
        kept_text = [lines[i] for i in sorted(kept_at) if lines[i].strip()]
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            where = f"{path.name}:{i + 1}: {line[:60]!r}"
            listed = is_listed_prompt(line)
            teaser = is_teaser(lines, i, later_only=True)
            prompts_seen += listed
            teasers_seen += teaser
            if i in kept_at:
                assert not listed, f"boilerplate left in {where}"
                assert not teaser, f"teaser left in {where}"
                continue
            assert (
                listed
                or is_teaser(lines, i, later_only=False)
                or is_duplicate_of_kept(line, kept_text)
                or is_not_body(lines, i)
            ), f"article text removed: {where}"
        assert len(cleaned.removed) == len(nonblank(original)) - len(kept_text)
    assert prompts_seen and teasers_seen  # the seeds do have both, so the test is not vacuous


@pytest.mark.shared
def test_seeds_split_into_articles_that_start_at_headings(shared: Path) -> None:
    counts = []
    for path in sorted((shared / "seeds").glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8")).text
        spans = article_spans(text)
        counts.append(len(spans))
        # The articles cover the text in order, with only blank lines between them.
        assert spans[0][0] == len(text) - len(text.lstrip())
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start and not text[end:start].strip()
            first = text[start:].split("\n", 1)[0]
            assert len(first.split()) <= 35 and "http" not in first
    assert max(counts) > 1
