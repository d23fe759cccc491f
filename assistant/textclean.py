"""Text hygiene shared by ingestion and output: control characters out, markup out of titles, PDF lines rejoined.

Extracted text and titles can carry terminal escapes (ESC, BEL, C1 controls) that would act on the
user's terminal when printed, HTML or Markdown markup that a title should not show, and, in PDFs,
line breaks and end-of-line hyphens that cut sentences. These helpers are pure functions so that
the parsers (in their worker process), the corpus loader and the command line use the same rules.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache

# C0 controls except tab and newline, DEL, and the C1 block; also the bidi overrides and isolates,
# which can make a printed line read differently from what it contains.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_KEEP_NONE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def strip_controls(text: str, keep_newlines: bool = True) -> str:
    """The text without control characters (newline and tab kept when `keep_newlines`) or lone surrogates.

    A carriage return becomes a newline first, so CRLF and old Mac line ends survive as line ends.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATES.sub("\ufffd", text)
    return (_CONTROLS if keep_newlines else _CONTROLS_KEEP_NONE).sub("", text)


def printable(text: object) -> str:
    """What may be printed to a terminal: any value as text, controls removed (newlines and tabs kept)."""
    return strip_controls(str(text))


_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def strip_markup(title: str) -> str:
    """A title as plain text: HTML tags and entities, Markdown links and emphasis removed; one line."""
    text = _TAG.sub("", title)
    text = html.unescape(text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = text.lstrip("#").strip()
    return " ".join(strip_controls(text, keep_newlines=False).split())


# ----------------------------------------------------------------------------- PDF line joining

_SENTENCE_END = re.compile(r"[.!?…:»\"”)]$")
_LIST_ITEM = re.compile(r"^([•▪◦●○■□–—\-*·]|\d{1,3}[.)]|[a-z][.)])\s")
_HYPHENATED = re.compile(r"(\w+)-$")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=2)
def word_list(language: str = "fr") -> frozenset[str]:
    """Words (lower case) of pyspellchecker's dictionary for "fr" or "en" (~140,000 French forms, from
    subtitles' word frequencies), read once: tells a real word from a cut one at ingestion, and from an
    SMS form or a typo in a question."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # without it, only the document's own vocabulary decides
        return frozenset()
    return frozenset(SpellChecker(language=language, distance=1).word_frequency.dictionary)


def _known(word: str, vocabulary: Counter) -> bool:
    lowered = word.lower()
    return vocabulary[lowered] > 0 or lowered in word_list()


def _join_hyphen(left: str, right: str, vocabulary: Counter) -> str:
    """Join `left-` at a line end with `right`: drop the hyphen of a word cut by typesetting,
    keep it in a compound ("peut-être", "Hauts-de-France")."""
    head = _HYPHENATED.search(left)
    first = _WORD.match(right)
    if head is None or first is None:
        return left + right
    part_a, part_b = head.group(1), first.group(0).split("-")[0]
    if _known(f"{part_a}-{part_b}", vocabulary) or part_b[:1].isupper():
        return left + right  # a compound: the hyphen is part of the word
    if _known(part_a + part_b, vocabulary):
        return left[:-1] + right
    return left[:-1] + right  # unknown either way: a typesetting break is the common case


def join_pdf_lines(pages: list[str]) -> list[str]:
    """Each page's text with its line wraps joined into paragraphs, end-of-line hyphens resolved.

    A line break is kept when the line ends a sentence (final punctuation), when the next line
    starts a list item, and when a line without final punctuation is followed by a capital and is
    shorter than every line of the page that wraps mid-sentence (a heading or a paragraph's last
    line). That length is fitted on each page from its own lines: the lines followed by a
    lowercase word certainly wrap, and the shortest of them bounds what a wrapped line looks like.
    """
    vocabulary: Counter = Counter(w.lower() for page in pages for w in _WORD.findall(page))
    return [_join_page(page, vocabulary) for page in pages]


def _join_page(text: str, vocabulary: Counter) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    wraps = [len(a) for a, b in zip(lines, lines[1:]) if a and b and b[0].islower() and not _SENTENCE_END.search(a)]
    shortest_wrap = min(wraps) if wraps else None
    paragraphs: list[str] = []
    current = last = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            if paragraphs and paragraphs[-1] != "":
                paragraphs.append("")
            continue
        previous, last = last, line
        if not current:
            current = line
            continue
        if _keeps_break(previous, line, shortest_wrap):
            paragraphs.append(current)
            current = line
        elif current.endswith("-") and line[:1].isalpha():
            current = _join_hyphen(current, line, vocabulary)
        else:
            current = f"{current} {line}"
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs).strip("\n")


def _keeps_break(last_line: str, line: str, shortest_wrap: int | None) -> bool:
    """Whether the break between two physical lines of a page is a real one."""
    if _LIST_ITEM.match(line):
        return True
    if _HYPHENATED.search(last_line) and line[:1].isalpha():
        return False  # a word or a compound cut at the line end
    if _SENTENCE_END.search(last_line) and not line[:1].islower():
        return True
    if line[:1].isupper() or line[:1].isdigit():
        return shortest_wrap is None or len(last_line) < shortest_wrap
    return False
