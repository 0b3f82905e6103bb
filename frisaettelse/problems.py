"""Problems as data: every step returns them, only the edges (CLI, MkDocs hook) decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

GUIDE_PATH = "bidrag/felter-og-fejlkoder/"  # the reference page; del-din-historie/#fmXXX forwards here
DEFAULT_SITE_URL = "https://rebild-kommune.github.io/frisaettelse/"


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
        """`cases/fil.md:7: FM003 Ukendt princip 'x'. Mente du 'y'? (Vejledning: …#fm003)` – always one printable
        line, whatever a quoted value holds."""
        hint = f" {self.hint}" if self.hint else ""
        return printable(
            f"{self.path}:{self.line}: {self.code} {self.message}{hint} (Vejledning: {self.guide_url(site_url)})"
        )

    def format_github(self, site_url: str = DEFAULT_SITE_URL) -> str:
        """A GitHub Actions annotation on the exact line; percent signs (and in properties `:` and `,`) escaped as
        GitHub wants, control characters shown as escapes, so a value can neither end the line nor start another
        command."""

        def escape(text: str) -> str:
            return printable(text).replace("%", "%25")

        def escape_property(text: str) -> str:
            return escape(text).replace(":", "%3A").replace(",", "%2C")

        body = f"{self.message} {self.hint} Vejledning: {self.guide_url(site_url)}".replace("  ", " ")
        return (
            f"::error file={escape_property(self.path)},line={self.line},"
            f"title={escape_property(self.code)}::{escape(body)}"
        )


def printable(text: str) -> str:
    """Text for a terminal or a CI log: every character that is not printable (control characters such as ESC,
    line and paragraph separators, bidi overrides, spaces other than the plain one) shown as its Python escape
    (`\\x1b`, `\\n`, `\\u202e`). Contributor text cannot colour the terminal, move its cursor, reorder what it
    shows or start a new line that looks like another problem."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)
