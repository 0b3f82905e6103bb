"""Problems as data: every step returns them, only the edges (CLI, MkDocs hook) decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

GUIDE_PATH = "bidrag/felter-og-fejlkoder/"  # the reference page; del-din-historie/#fmXXX forwards here
DEFAULT_SITE_URL = "https://rebild-kommune.github.io/frisaettelse/"
_PROPERTY_ESCAPES = str.maketrans({"%": "%25", ":": "%3A", ",": "%2C"})  # in a GitHub annotation's file and title


def summary(count: int, found: str, fix: str) -> str:
    """'1 problem fundet. Ret det …' / '3 problemer fundet. Ret dem …': noun and pronoun agree with the count."""
    noun, pronoun = ("problem", "det") if count == 1 else ("problemer", "dem")
    return f"{count} {noun} {found}. Ret {pronoun} {fix}."


# The stable codes: one code, one rule. Each has a section in the guide (anchor `#fm003`, text in fejlkoder.toml)
# that every message links to, so a code is never renumbered; a new rule gets a new number.
# fmt: off
Code = StrEnum("Code", {
    "FM001": "FM001", "FM002": "FM002", "FM003": "FM003", "FM004": "FM004", "FM005": "FM005", "FM006": "FM006", "FM007": "FM007",
    "FM008": "FM008", "FM009": "FM009", "FM010": "FM010", "FM011": "FM011", "FM012": "FM012", "FM013": "FM013", "FM014": "FM014",
    "FM015": "FM015", "FM016": "FM016", "FM017": "FM017", "FM018": "FM018", "FM019": "FM019", "FM020": "FM020", "FM021": "FM021",
    "FM022": "FM022", "FM023": "FM023", "FM030": "FM030", "FM031": "FM031", "FM040": "FM040", "FM041": "FM041", "FM042": "FM042",
    "FM060": "FM060", "FM065": "FM065", "FM066": "FM066", "FM067": "FM067", "FM070": "FM070",
})
# fmt: on


class Finding(NamedTuple):
    """A problem before it knows its file: what a rule finds in one document."""

    line: int
    code: Code
    message: str
    hint: str


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where, a stable code, what is wrong (Danish) and how to fix it."""

    path: str
    line: int
    code: Code
    message: str
    hint: str = ""

    def guide_url(self, site_url: str = DEFAULT_SITE_URL) -> str:
        return f"{site_url.rstrip('/')}/{GUIDE_PATH}#{self.code.lower()}"

    def format(self, site_url: str = DEFAULT_SITE_URL) -> str:
        """`cases/fil.md:7: FM003 Ukendt princip 'x'. Mente du 'y'? (Vejledning: …#fm003)`, one printable line."""
        hint = f" {self.hint}" if self.hint else ""
        text = f"{self.path}:{self.line}: {self.code} {self.message}{hint} (Vejledning: {self.guide_url(site_url)})"
        return printable(text)

    def format_github(self, site_url: str = DEFAULT_SITE_URL) -> str:
        """A GitHub Actions annotation on the line, escaped as GitHub wants: a value cannot start another command."""
        body = f"{self.message} {self.hint} Vejledning: {self.guide_url(site_url)}".replace("  ", " ")
        path, code = (printable(text).translate(_PROPERTY_ESCAPES) for text in (self.path, self.code))
        return f"::error file={path},line={self.line},title={code}::{printable(body).replace('%', '%25')}"


def printable(text: str) -> str:
    """Every character that is not printable (ESC, line breaks, bidi overrides…) as its escape (`\\x1b`): contributor
    text cannot colour a terminal, move its cursor, reorder a line or start one that looks like another problem."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)
