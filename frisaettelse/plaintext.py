"""The text a reader will see: what rules about text (templates, personal data) must look at.

A contributor's raw text and what a reader sees differ: `01**02**03-1234`, `&#49;2345678`, `pia&#64;rebild.dk`,
a zero-width space inside a number or full-width digits all show a reader an ordinary CPR number, phone number or
e-mail address. Rules run on the reader's text as well as the raw text, and still report the original line.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Characters that show nothing: format characters (zero-width space and joiners, soft hyphen, word joiner, BOM,
# bidi controls, tag characters) and a few letters and marks that render as blank space.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def is_invisible(char: str) -> bool:
    """A character a reader cannot see (and a check should look through)."""
    return unicodedata.category(char) == "Cf" or char in _BLANK_LOOKING


def is_control(char: str) -> bool:
    """A control character (C0, DEL, C1) or a Unicode line or paragraph separator."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def find_invisible(text: str) -> str | None:
    """The first invisible character in a text, or None."""
    if text.isascii():
        return None
    return next((ch for ch in text if is_invisible(ch)), None)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


_DOTS = str.maketrans({"\u3002": ".", "\u2024": ".", "\ufe52": "."})  # full stops a reader reads as a dot


def _fold_non_ascii(match: re.Match[str]) -> str:
    out = []
    for ch in match.group(0):
        if is_invisible(ch) or unicodedata.category(ch) in ("Mn", "Me"):  # a digit with an accent is still a digit
            continue
        digit = unicodedata.decimal(ch, None)  # Arabic-Indic, Devanagari… digits read as digits
        out.append(str(digit) if digit is not None else ch)
    return "".join(out)


def normalise(text: str) -> str:
    """Character references decoded, NFKC (full-width and other compatibility forms), digits of every script as
    0-9, invisible characters and combining marks gone."""
    if "&" in text:
        text = html.unescape(text)
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", _VARIATION_SELECTORS.sub("", text)).translate(_DOTS)
    return _NON_ASCII.sub(_fold_non_ascii, text)


# Markdown that changes how text looks but not what it says: emphasis and code markers, backslash escapes.
_MARKERS = re.compile(r"[*_`~]+|\\(?=[!-/:-@\[-`{-~])")
_SPACES = re.compile(r"[^\S\n]+")
_QUOTE_PREFIX = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)


def _keep_newlines(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def strip_markup(text: str) -> str:
    """HTML comments and tags removed, keeping their line breaks so lines stay where they were."""
    if "<" not in text:
        return text
    return _TAG.sub(_keep_newlines, _COMMENT.sub(_keep_newlines, text))


def reader_line(line: str) -> str:
    """One line of Markdown as a reader reads it (without its blockquote markers; runs of spaces as one)."""
    return _SPACES.sub(" ", _MARKERS.sub("", normalise(_QUOTE_PREFIX.sub("", line))))


@dataclass(frozen=True)
class ReaderView:
    """Reader's text of a block of lines, and where each of its lines starts, to report the original line."""

    text: str
    starts: tuple[int, ...]  # offset in `text` where each source line begins
    lines: tuple[int, ...]  # the source line number for each entry in `starts`

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def reader_view(lines: Sequence[str], first_line: int = 1) -> ReaderView:
    """Markdown lines as a reader reads them: markup gone, lines of a paragraph joined by a space and paragraphs by a
    line break (so a number split over two lines is one number, but two paragraphs never run together)."""
    source = strip_markup("\n".join(lines)).split("\n")
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    offset = 0
    previous_blank = True
    for number, line in enumerate(source, start=first_line):
        text = reader_line(line)
        if not text.strip():
            previous_blank = True
            continue
        separator = "" if not parts else ("\n" if previous_blank else " ")
        offset += len(separator)
        parts.append(separator + text)
        starts.append(offset)
        numbers.append(number)
        offset += len(text)
        previous_blank = False
    return ReaderView("".join(parts), tuple(starts), tuple(numbers) or (first_line,))
