"""The personal-data guard: CPR numbers, e-mail addresses and Danish phone numbers, as a reader would read them.

Numbers are read the way a person reads them: digits with any separators between them (spaces, dots, slashes,
dashes, between every pair), after Markdown emphasis, character references, invisible characters and full-width
forms are taken away (see plaintext.py). A CPR number must start with a real date. What only looks like a phone
number is left alone when its context says what it is: an amount (`kr.`, `mio.`), a clock time (`kl.`), a year or a
year range, a date or a date range, a CVR, ISBN, ISSN or EAN number (with its word and a correct check digit).

Findings never echo the full value (the check's output ends up in public CI logs): only a masked form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .plaintext import reader_line, reader_value, reader_view

# Digits with up to three separator characters between each pair: `12 34 56 78`, `12.34.56.78`, `1 2-3/4…`.
_SEPARATORS = " \t./:\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SEP = f"[{_SEPARATORS}]"
_RUN = re.compile(rf"(?P<plus>\+[ \t]?)?\d(?:{_SEP}{{0,3}}\d)*")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_SPLIT = re.compile(rf"{_SEP}+")
_AT = r"(?:[ \t]*@[ \t]*|[ \t]*[\(\[\{][ \t]*(?:at|snabel-?a)[ \t]*[\)\]\}][ \t]*)"
_DOT = r"(?:\.|[ \t]*[\(\[\{][ \t]*(?:dot|punktum)[ \t]*[\)\]\}][ \t]*)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])(?P<local>[\w.+-]+){_AT}(?P<domain>[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-zA-Z]{{2,}})\b", re.IGNORECASE
)

# Context that says what a number is. `before` is the text just before it (lower case), `after` just after it.
_MONEY_BEFORE = re.compile(
    r"(?:\bkr\.?|\bkroner|\bdkk|\bmio\.?|\bmia\.?|\bmill?\.?|\bmillioner|\bmilliarder|"
    r"\beur|\beuro|€|\$)[ \t:]*$"
)
_MONEY_AFTER = re.compile(
    r"^(?:,\d+)?[ \t]*(?:kr\b|kr\.|kroner|dkk|mio\b|mio\.|mia\b|mia\.|mill|millioner|"
    r"milliarder|eur\b|euro|€|,-)"
)
_CLOCK_BEFORE = re.compile(r"(?:\bkl\.?|\bklokken)[ \t]*$")
_CVR_BEFORE = re.compile(r"\b(?:cvr|se)(?:[ \t-]?(?:nr\.?|nummer))?[ \t.:-]*$")
_ISBN_BEFORE = re.compile(r"\b(?:isbn|issn|ean|gtin|gln)(?:-?1[03]|-?8)?[ \t.:-]*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .]\d{3})+$")


@dataclass(frozen=True)
class Finding:
    line: int
    code: str
    message: str
    hint: str


_CPR_HINT = "Fjern CPR-nummeret helt – historier må aldrig indeholde personnumre."
_EMAIL_HINT = "Fjern e-mailadressen; skriv i stedet rollen, fx 'Pædagog, Rebild Kommune'."
_PHONE_HINT = "Fjern telefonnummeret; historier må ikke indeholde kontaktoplysninger."


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


def _is_date(parts: list[str]) -> bool:
    """`d m`, `d m yy`, `d m yyyy` or `yyyy m d`, as written in a date or a date range."""
    try:
        if len(parts) == 3 and len(parts[0]) == 4:
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            return len(parts[1]) <= 2 and len(parts[2]) <= 2
        if len(parts) in (2, 3) and all(len(p) <= 2 for p in parts[:2]):
            year = int(parts[2]) if len(parts) == 3 else 2000
            if len(parts) == 3 and len(parts[2]) not in (2, 4):
                return False
            dt.date(year if year >= 100 else 2000 + year, int(parts[1]), int(parts[0]))
            return True
    except ValueError:
        return False
    return False


def _is_dates(groups: list[str], seps: list[str]) -> bool:
    """One date or two (a range), each written with dots, slashes or dashes between its parts."""

    def dates_from(i: int, count: int) -> bool:
        if i == len(groups):
            return count > 0
        if count and seps[i - 1].strip() not in _DASHES:
            return False  # two dates make a range only with a dash between them
        for size in (3, 2):
            part = groups[i : i + size]
            inner = seps[i : i + size - 1]
            if (
                len(part) == size
                and all(s.strip() and s.strip() in "./-" for s in inner)
                and _is_date(part)
                and count < 2
                and dates_from(i + size, count + 1)
            ):
                return True
        return False

    return dates_from(0, 0)


def _is_date_shaped(groups: list[str], seps: list[str]) -> bool:
    """`2023-02-30`, `30.02.2023`: written as a date (a mistaken one is still not a phone number)."""
    if len(groups) != 3 or len(set(seps)) != 1 or seps[0] not in ("-", ".", "/"):
        return False
    year = groups[0] if len(groups[0]) == 4 else groups[2]
    shape = [len(g) for g in groups]
    return (shape in ([4, 2, 2], [2, 2, 4], [1, 2, 4], [2, 1, 4], [1, 1, 4])) and 1900 <= int(year) <= 2099


def _is_times(groups: list[str]) -> bool:
    """Clock times: `0630 0700`, `06.30-07.00`, `6.30`."""
    i = 0
    while i < len(groups):
        if len(groups[i]) == 4:
            hours, minutes = groups[i][:2], groups[i][2:]
            i += 1
        elif i + 1 < len(groups) and len(groups[i]) <= 2 and len(groups[i + 1]) == 2:
            hours, minutes = groups[i], groups[i + 1]
            i += 2
        else:
            return False
        if int(hours) > 24 or int(minutes) > 59:
            return False
    return True


def _is_year_range(groups: list[str]) -> bool:
    return (
        len(groups) == 2
        and all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups)
        and int(groups[0]) <= int(groups[1])
    )


def _cvr_ok(digits: str) -> bool:
    return (
        len(digits) == 8 and sum(int(d) * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2, 1), strict=False)) % 11 == 0
    )


def _ean_ok(digits: str) -> bool:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == int(digits[-1])


def _issn_ok(digits: str) -> bool:
    return len(digits) == 8 and (11 - sum(int(d) * (8 - i) for i, d in enumerate(digits[:7])) % 11) % 11 == int(
        digits[7]
    )


def _isbn10_ok(digits: str) -> bool:
    return len(digits) == 10 and sum((10 - i) * int(d) for i, d in enumerate(digits)) % 11 == 0


def _is_money(text: str, before: str, after: str) -> bool:
    if not (_MONEY_BEFORE.search(before) or _MONEY_AFTER.search(after)):
        return False
    return text.isdigit() or bool(_THOUSANDS.match(text))


def _explained(groups: list[str], seps: list[str], text: str, before: str, after: str) -> bool:
    """True when the context shows the number is not a phone or CPR number."""
    digits = "".join(groups)
    if _is_money(text, before, after) or _is_dates(groups, seps) or _is_date_shaped(groups, seps):
        return True
    if _ISBN_BEFORE.search(before) and (_ean_ok(digits) or _issn_ok(digits) or _isbn10_ok(digits)):
        return True
    if len(digits) != 8:
        return False
    if _is_year_range(groups) or (_CVR_BEFORE.search(before) and _cvr_ok(digits)):
        return True
    # A clock time needs `kl.`, or dots or colons inside each time of a range (`06.30-07.00`).
    return _is_times(groups) and bool(
        _CLOCK_BEFORE.search(before) or (len(groups) == 4 and seps[0] in ".:" and seps[2] in ".:")
    )


_CHUNK = re.compile(rf"\d(?:[{_SEPARATORS.replace(' ', '').replace(chr(9), '')}]{{0,3}}\d)*")
_LONGEST = 12 + 11 * 3  # twelve digits (0045 and a number) with three separator characters between each pair


def _candidates(match: re.Match[str]) -> Iterator[tuple[int, int]]:
    """The whole run of digits, and runs of whole space-separated chunks inside it (`2023-12-19 12345678`): a single
    chunk, or up to five neighbours of three characters or more each (`12 34 56 78 90` is a list of numbers)."""
    start, end = match.start(), match.end()
    yield start, end
    if end - start < 9 or " " not in match.group(0) and "\t" not in match.group(0):
        return
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(match.group(0))]
    for i, (first, last) in enumerate(chunks):
        if last - first >= 8 and (first, last) != (0, end - start):
            yield start + first, start + last
        if last - first < 3:
            continue
        for j in range(i + 1, min(len(chunks), i + 5)):
            if chunks[j][1] - chunks[j][0] < 3 or chunks[j][1] - first > _LONGEST:
                break
            if chunks[j][1] - first >= 8 and (i, j) != (0, len(chunks) - 1):
                yield start + first, start + chunks[j][1]


def _scan_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, code) for every CPR and phone number in a text."""
    taken_until = -1
    for match in _RUN.finditer(text):
        plus = match.group("plus") or ""
        digits_start = match.start() + len(plus)
        if match.end() - digits_start < 8:
            continue  # fewer than eight digits: most numbers in a text
        for start, end in _candidates(match):
            start = max(start, digits_start)
            if start < taken_until or end - start > _LONGEST:
                continue
            number = text[start:end]
            groups = _SPLIT.split(number)
            seps = _SPLIT.findall(number)
            digits = "".join(groups)
            with_plus = bool(plus) and start == digits_start
            if (
                with_plus
                and len(digits) == 10
                and digits.startswith("45")
                or len(digits) == 12
                and digits.startswith("0045")
            ):
                yield (start - len(plus) if with_plus else start), end, "FM018"
                taken_until = end
                continue
            before = text[max(0, start - 30) : start].lower()
            after = text[end : end + 15].lower()
            if len(digits) == 10 and is_cpr(digits[:2], digits[2:4], digits[4:6]):
                if not _explained(groups, seps, number, before, after):
                    yield start, end, "FM016"
                    taken_until = end
            elif len(digits) == 8 and not _explained(groups, seps, number, before, after):
                yield start, end, "FM018"
                taken_until = end


def _scan(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, code, masked value) for every finding in one text."""
    for start, end, code in _scan_numbers(text):
        yield start, code, _mask(text[start:end])
    if "@" in text or "(" in text or "[" in text or "{" in text:
        for match in _EMAIL.finditer(text):
            domain = re.sub(_DOT, ".", match.group("domain"), flags=re.IGNORECASE)
            yield match.start(), "FM017", f"{_mask(match.group('local'), 1)}@{domain}"


def _finding(line: int, code: str, masked: str) -> Finding:
    if code == "FM016":
        return Finding(line, code, f"Linjen ser ud til at indeholde et CPR-nummer ({masked}).", _CPR_HINT)
    if code == "FM017":
        return Finding(line, code, f"Linjen indeholder en e-mailadresse ({masked}).", _EMAIL_HINT)
    return Finding(line, code, f"Linjen ser ud til at indeholde et telefonnummer ({masked}).", _PHONE_HINT)


_CANDIDATE = re.compile(r"[\d@]")


def find_personal_data(text: str, first_line: int = 1, *, paragraphs: bool = True) -> Iterator[Finding]:
    """Markdown text (a body, or a whole file): each raw line, and the text as a reader sees it. One finding per
    line and kind, at the line where the number or address starts. `paragraphs=False` reads each line on its own
    (YAML front-matter, where lines are fields, not sentences)."""
    lines = text.split("\n")
    seen: set[tuple[int, str]] = set()
    if paragraphs:
        view = reader_view(lines, first_line)
        read = [(view.line_at(offset), code, masked) for offset, code, masked in sorted(_scan(view.text))]
    else:
        read = [
            (number, code, masked)
            for number, line in enumerate(lines, start=first_line)
            for _, code, masked in _scan(reader_line(line))
        ]
    for at, code, masked in read:
        if (at, code) not in seen:
            seen.add((at, code))
            yield _finding(at, code, masked)
    # The raw lines too, for what a reader does not see but the public repository shows (comments, attributes);
    # only where the reader's text found nothing, which reads the number whole.
    found_lines = {at for at, _ in seen}
    for number, line in enumerate(lines, start=first_line):
        if number in found_lines or not _CANDIDATE.search(line):  # most lines have neither digits nor '@'
            continue
        for _, code, masked in _scan(line):
            if (number, code) not in seen:
                seen.add((number, code))
                yield _finding(number, code, masked)


def find_in_value(value: str, line: int) -> Iterator[Finding]:
    """A front-matter value after YAML has decoded it, as a reader reads it (else as written); at its key's line."""
    seen: set[str] = set()
    for text in (reader_value(value), value):
        for _, code, masked in _scan(text):
            if code not in seen:
                seen.add(code)
                yield _finding(line, code, masked)
        if seen:
            return
