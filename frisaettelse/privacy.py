"""The personal-data guard: CPR numbers, e-mail addresses and Danish phone numbers in a story.

Findings never echo the full value (the check's output ends up in public CI logs): only a masked form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

# Six digits (ddmmyy), optional dash or space, four digits; not part of a longer number. Punctuation around it
# is fine ("CPR-nr.010203-1234."), a decimal, another digit group or a number before it is not.
_CPR = re.compile(r"(?<![\d+])(?<!\d[-/.,\s])(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})(?![\d\-/]|[.,]\d|\s\d)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
# Eight digits, written together or in groups (2-2-2-2, 4-4, 2-3-3), optionally after +45 / 0045; not part of a
# longer number, not an amount ("25000000 kr.") and not two years ("2023 2027").
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[-/.,\s])(?:(?:\+|00)\s?45[\s-]?)?"
    r"(?!(?:19|20)\d\d (?:19|20)\d\d\b)"
    r"((?:\d{8})|(?:\d\d(?:[ ]\d{2}){3})|(?:\d{4}[ ]\d{4})|(?:\d\d[ ]\d{3}[ ]\d{3}))"
    r"(?![\w\-/]|[.,]\d|\s\d)(?!\s*(?:kr\b|kr\.|kroner|dkk|mio|mia|,-))",
    re.I,
)


_CANDIDATE = re.compile(r"[\d@]")


@dataclass(frozen=True)
class Finding:
    line: int
    code: str
    message: str
    hint: str


def _mask(text: str, keep: int = 2) -> str:
    """The first characters and a bullet for each of the rest, so a reader can find it but a log cannot leak it."""
    return text[:keep] + "".join("•" if ch.isalnum() else ch for ch in text[keep:])


def is_cpr(day: str, month: str, year: str) -> bool:
    """A CPR number starts with a real date; checking it keeps ordinary ten-digit numbers from tripping."""
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def find_personal_data(text: str) -> Iterator[Finding]:
    """Scan every line, front-matter and body alike."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not _CANDIDATE.search(line):  # most lines have neither digits nor '@': skip the three scans
            continue
        cpr_spans: list[tuple[int, int]] = []
        for match in _CPR.finditer(line):
            if is_cpr(match.group(1), match.group(2), match.group(3)):
                cpr_spans.append(match.span())
                yield Finding(number, "FM016", f"Linjen ser ud til at indeholde et CPR-nummer ({_mask(match.group(0))}).",
                              "Fjern CPR-nummeret helt – historier må aldrig indeholde personnumre.")
        for match in _EMAIL.finditer(line):
            local, _, domain = match.group(0).partition("@")
            yield Finding(number, "FM017", f"Linjen indeholder en e-mailadresse ({_mask(local, 1)}@{domain}).",
                          "Fjern e-mailadressen; skriv i stedet rollen, fx 'Pædagog, Rebild Kommune'.")
        for match in _PHONE.finditer(line):
            if any(start <= match.start() < end for start, end in cpr_spans):
                continue
            yield Finding(number, "FM018", f"Linjen ser ud til at indeholde et telefonnummer ({_mask(match.group(0))}).",
                          "Fjern telefonnummeret; historier må ikke indeholde kontaktoplysninger.")
