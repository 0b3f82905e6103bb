"""CPR numbers, e-mail addresses and phone numbers as a reader reads the page and the public repository the lines;
findings echo a masked value only (the output ends up in public CI logs)."""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from html.parser import HTMLParser
from itertools import accumulate
from urllib.parse import unquote

import phonenumbers
from stdnum import ean, isbn, issn
from stdnum.dk import cpr, cvr
from stdnum.exceptions import ValidationError

from .markup import Converter, Rendered
from .problems import Code, Finding
from .sanitize import clean_html

# Characters that show nothing: format characters (`Cf`: zero-width, soft hyphen, bidi, tags…) and a few letters and
# marks that render as blank space.
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # categories Cc, Zl and Zp: C0, DEL, C1, separators
_NON_ASCII = re.compile(r"[^\x00-\x7f\u00c0-\u00ff]+")  # Latin-1 letters hold no mark, digit or blank: left alone
_WHITE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # `\w` is `str.isalnum()` and `_`


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _BLANK_LOOKING


def find_invisible(text: str) -> str | None:
    """The first invisible character in a text, or None (`isprintable` refuses every `Cf` character)."""
    if text.isascii() or text.isprintable() and _BLANK_LOOKING.isdisjoint(text):
        return None
    return next((ch for ch in text if _is_invisible(ch)), None)


def _fold_non_ascii(match: re.Match[str]) -> str:
    """Without invisible characters and marks (a digit with an accent is still a digit); Arabic-Indic, Devanagari…
    digits as 0-9, an ideographic full stop as a full stop."""
    kept = (ch for ch in match.group(0) if not _is_invisible(ch) and unicodedata.category(ch) not in ("Mn", "Me"))
    return "".join("." if ch == "\u3002" else str(unicodedata.decimal(ch, ch)) for ch in kept)


def normalise(text: str) -> str:
    """Decoded, NFKC, digits of every script as 0-9, invisible characters and combining marks gone."""
    text = html.unescape(text) if "&" in text else text
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_non_ascii, unicodedata.normalize("NFKC", _VARIATION_SELECTORS.sub("", text)))


def readable(text: str) -> str:
    """Text as a reader reads it: normalised, runs of white space as one space."""
    return _WHITE.sub(" ", normalise(text))


def _skeleton(text: str) -> str:
    return _NOT_ALNUM.sub("", normalise(text).casefold())


_SEPARATORS = " |./:\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_RUN = re.compile(rf"(?<!\d)\d(?:[{_SEPARATORS}]{{0,5}}\d)*(?!\d)")  # digits with separators: CPR candidates
_GROUP_SPLIT = re.compile(rf"[{_SEPARATORS}]+")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_SLASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)/(?=\d)")  # libphonenumber takes `12/34/56/78` for a date: not here
# Context that says what a number is: `before` is the lower-case text just before it, `after` just after it.
_MONEY_BEFORE = re.compile(r"(?:\b(?:kr\.?|kroner|dkk|mio\.?|mia\.?|mill?\.?|millioner|milliarder|euro?)|€|\$)[ :]*$")
_MONEY_AFTER = re.compile(r"^(?:,\d+)?[ ]*(?:(?:kr|mio|mia|eur)\b|(?:kr|mio|mia)\.|kroner|dkk|mill|euro|€|,-)")
_CLOCK_BEFORE = re.compile(r"(?:\bkl\.?|\bklokken|\båbent|\båbningstid(?:en)?|\bfra)[ :]*$")
_PAGES_BEFORE = re.compile(r"(?:\bside|\bsider|\bs\.|\bpp?\.|\bnr\.|\bnumre|\bparagraf|§+)[ :]*$")
_CVR_BEFORE = re.compile(r"\b(?:cvr|se)(?:[ -]?(?:nr\.?|nummer|-nr\.?))?[ .:-]*$")
_P_BEFORE = re.compile(r"\b(?:p|produktionsenheds?)(?:[ -]?(?:nr\.?|nummer))[ .:-]*$")
_CODE_BEFORE = re.compile(r"\b(?:isbn|issn|ean|gtin|gln)(?:-?1[03]|-?8)?[ .:-]*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ .]\d{3})+$")
_MISTAKEN_DATES = ([4, 2, 2], [2, 2, 4], [1, 2, 4], [2, 1, 4], [1, 1, 4])  # `2023-02-30` is no phone number


def _is_cpr(digits: str) -> bool:
    """Ten digits starting with a birth date (stdnum's century rule; future ones too: a reader takes it for one)."""
    if not ("01" <= digits[:2] <= "31" and "01" <= digits[2:4] <= "12"):
        return False  # most runs of ten digits: no need to ask for the date
    try:
        return bool(cpr.get_birth_date(digits))
    except (ValidationError, ValueError):
        return False


def _is_date(parts: list[str]) -> bool:
    """`d m`, `d m yy`, `d m yyyy` or `yyyy m d` (two or three parts): a day in the calendar."""
    day, month, *year = parts[::-1] if len(parts) == 3 and len(parts[0]) == 4 else parts
    if max(len(day), len(month)) > 2 or year and len(year[0]) not in (2, 4):
        return False
    try:
        return bool(dt.date(int(("20" + (year or ["00"])[0])[-4:]), int(month), int(day)))  # `yy` is 20yy
    except ValueError:
        return False


def _is_dates(groups: list[str], seps: list[str], count: int = 0) -> bool:
    """One date or two (a range, a dash between them), each with dots, slashes or dashes between its parts."""
    if not groups:
        return count > 0
    return count < 2 and any(
        len(groups) >= size
        and all(s.strip() and s.strip() in "./-" for s in seps[: size - 1])
        and _is_date(groups[:size])
        and (len(groups) == size or seps[size - 1].strip() in _DASHES)
        and _is_dates(groups[size:], seps[size:], count + 1)
        for size in (3, 2)
    )


def _times(groups: list[str]) -> list[int] | None:
    """Clock times in minutes (`0630 0700`, `06.30-07.00`), or None."""
    found = re.fullmatch(r"(?:\d{4}|\d\d? \d\d)(?: (?:\d{4}|\d\d? \d\d))*", " ".join(groups))
    times = re.findall(r"(\d\d?) ?(\d\d)(?!\d)", found.group() if found else "")
    valid = times and all(int(h) <= 24 and int(m) <= 59 for h, m in times)
    return [int(h) * 60 + int(m) for h, m in times] if valid else None


def _is_year(text: str) -> bool:
    return 1900 <= int(text) <= 2099


def _is_range(groups: list[str], seps: list[str], low: int, high: int) -> bool:
    """Two numbers between `low` and `high`, the first the smaller, a dash or a slash between them (`2023-2027`)."""
    if len(groups) != 2 or seps[0].strip() not in _DASHES | {"/", ""}:
        return False
    return low <= int(groups[0]) < int(groups[1]) <= high


def _explained(number: str, before: str, after: str) -> bool:
    """The number's form or context shows it is not a person's phone or CPR number."""
    groups, seps = _GROUP_SPLIT.split(number), _GROUP_SPLIT.findall(number)
    digits, shape = "".join(groups), [len(g) for g in groups]
    if not digits.isdecimal():  # `(1234)-5678`: a bracket inside is no form of an ordinary number
        return False
    date_like = shape in _MISTAKEN_DATES and len(set(seps)) == 1 and seps[0] in ("-", ".", "/")  # `2023-02-30`
    if _THOUSANDS.match(number) or _is_dates(groups, seps) or date_like and _is_year(groups[shape.index(4)]):
        return True
    if number.isdigit() and (_MONEY_BEFORE.search(before) or _MONEY_AFTER.search(after)):
        return True
    if _CODE_BEFORE.search(before) and (ean.is_valid(digits) or isbn.is_valid(digits) or issn.is_valid(digits)):
        return True
    if len(digits) == 10:
        return bool(_P_BEFORE.search(before))
    if _CVR_BEFORE.search(before) and cvr.is_valid(digits) or _is_range(groups, seps, 1900, 2099):
        return True
    if _PAGES_BEFORE.search(before) and _is_range(groups, seps, 1, 9999):
        return True
    if len(groups) == 2 and seps[0] == "/" and _is_year(groups[0]):  # a case or journal number: `j.nr. 2023/1234`
        return True
    times = _times(groups)  # opening hours `0630-1700`, `06.30-07.00`; after `kl.` any clock times
    if times is None:
        return False
    rising = len(times) == 2 and times[0] < times[1] and any(s.strip() in _DASHES for s in seps)
    return rising or bool(_CLOCK_BEFORE.search(before))


def _cpr_candidates(text: str) -> Iterator[tuple[int, int]]:
    """Every stretch of a run of digits that holds ten digits and starts and ends at a space-separated chunk."""
    for match in _RUN.finditer(text):
        chunks = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(r"\S+", match.group())]
        counts = [sum(ch.isdigit() for ch in text[a:b]) for a, b in chunks]
        for i in range(len(chunks)):
            if 10 in (totals := list(accumulate(counts[i:]))):
                yield chunks[i][0], chunks[i + totals.index(10)][1]


def _numbers(text: str) -> Iterator[tuple[int, int, Code]]:
    """(start, end, code) of every CPR and phone number in a reader's text."""
    taken: list[tuple[int, int]] = []
    for start, end in _cpr_candidates(text):
        number = text[start:end].strip(_SEPARATORS)
        digits = "".join(ch for ch in number if ch.isdigit())
        if _is_cpr(digits) and not _explained(number, text[max(0, start - 30) : start].lower(), text[end:].lower()):
            taken.append((start, end))
            yield start, end, Code.FM016
    searched = _SLASH_BETWEEN_DIGITS.sub("-", text)
    for match in phonenumbers.PhoneNumberMatcher(searched, "DK", leniency=phonenumbers.Leniency.POSSIBLE):
        start, end = match.start, match.end
        if any(a < end and start < b for a, b in taken):
            continue
        number = text[start:end]
        if number[0] in "([{":  # `(12 34 56 78)`: the bracket, and what follows it up to a digit, is not the number
            start, number = start + 1, re.sub(r"^[^\d+]+", "", number[1:])
        digits = "".join(ch for ch in number if ch.isdigit())
        national = re.sub(r"^(?:0045|45)(?=\d{8}$)", "", digits)
        context = text[max(0, start - 30) : start].lower(), text[end : end + 15].lower()
        with_country = "+" in number or len(national) == 8 and national != digits  # phone, whatever the context
        if with_country or len(digits) == 8 and not _explained(number, *context):
            yield start, end, Code.FM018


_AT = r"(?:[ ]*@[ ]*|[ ]*[\(\[\{][ ]*(?:at|snabel-?a)[ ]*[\)\]\}][ ]*)"
_DOT = r"(?:[ ]*\.[ ]*|[ ]*[\(\[\{][ ]*(?:dot|punktum|prik)[ ]*[\)\]\}][ ]*)"
_EMAIL = re.compile(
    rf"(?<![\w.+-])(?P<local>[\w.+-]+){_AT}(?P<domain>[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}})\b", re.IGNORECASE
)
# Spelled out: `pia at rebild dot dk` (both words spelled, so the Danish 'at' alone never trips it).
_SPELLED = re.compile(
    r"(?<![\w.+-])(?P<local>[\w.+-]+) (?:at|snabel-?a) (?P<domain>[\w-]+(?: (?:dot|punktum|prik) [\w-]+)+)\b",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(rf"{_DOT}| (?:dot|punktum|prik) ", re.IGNORECASE)
_URL = re.compile(r"(?:https?|mailto|tel):[^\s)>\]\"']+", re.IGNORECASE)


def _emails(text: str) -> Iterator[tuple[int, str]]:
    if "@" not in text and not re.search(r"\b(?:at|snabel-?a)\b", text, re.IGNORECASE):
        return
    for pattern in (_EMAIL, _SPELLED):
        for match in pattern.finditer(text):
            if pattern is _SPELLED and not re.fullmatch(r"[a-z]{2,}", match.group("domain").rsplit(" ", 1)[-1]):
                continue
            yield match.start(), f"{_mask(match.group('local'), 1)}@{_DOT_WORD.sub('.', match.group('domain'))}"


def _mask(text: str, keep: int = 2) -> str:
    """The first characters and a bullet for each of the rest: a reader can find it, a log cannot leak it."""
    return text[:keep] + "".join("•" if ch.isalnum() else ch for ch in text[keep:])


def scan(text: str) -> Iterator[tuple[int, Code, str]]:
    """(offset, code, masked value) for every finding in a reader's text."""
    if re.search(r"\d", text):
        yield from ((start, code, _mask(text[start:end])) for start, end, code in _numbers(text))
    yield from ((start, Code.FM017, masked) for start, masked in _emails(text))


# fmt: off
_SAYS = {  # what the line holds, and the fix
    Code.FM016: ("ser ud til at indeholde et CPR-nummer", "Fjern CPR-nummeret helt – historier må aldrig indeholde personnumre."),
    Code.FM017: ("indeholder en e-mailadresse", "Fjern e-mailadressen; skriv i stedet rollen, fx 'Pædagog, Rebild Kommune'."),
    Code.FM018: ("ser ud til at indeholde et telefonnummer", "Fjern telefonnummeret; historier må ikke indeholde kontaktoplysninger."),
}
# fmt: on


def _unique(found: Iterable[tuple[int, Code, str]]) -> Iterator[Finding]:
    """One finding per value and line (two numbers on one line are two findings)."""
    for line, code, masked in dict.fromkeys(found):
        yield Finding(line, code, f"Linjen {_SAYS[code][0]} ({masked}).", _SAYS[code][1])


def _in_url(url: str) -> Iterator[tuple[Code, str]]:
    """An address decoded: phone numbers only as a whole part (`?tlf=…`), so `/2023/1234` stays a number."""
    decoded = readable(unquote(unquote(url)))
    yield from ((code, masked) for _, code, masked in scan(decoded) if code != Code.FM018)
    for part in re.split(r"[/?&=#:;,]", decoded):
        yield from ((code, masked) for _, code, masked in scan(part) if code == Code.FM018)


def _raw_lines(lines: list[str], first_line: int, view: Read | None = None) -> list[tuple[int, Code, str]]:
    """Each line as written that the page (`view`) does not show as it is, its addresses read as addresses."""
    found = []
    for number, line in enumerate(lines, start=first_line):
        # Most lines have neither digits nor an address; one the page shows as it is was read there.
        if not re.search(r"\d|@|\bat\b|\bsnabel", line) or view and view.shown and _skeleton(line) in view.shown:
            continue
        for url in _URL.findall(line):
            found += [(number, code, masked) for code, masked in _in_url(url)]
        found += [(number, code, masked) for _, code, masked in scan(readable(_URL.sub(" ", line)))]
    return found


_converter = cache(Converter)  # one for every call: making one reads the Markdown extensions


def find_personal_data(text: str) -> Iterator[Finding]:
    """Plain Markdown text (an issue's story, a whole file), rendered as a page would be, and each line."""
    yield from _unique(_in_body(Read(_converter().convert_body(text), text)))


_BLOCKS = frozenset(
    "p li dt dd h1 h2 h3 h4 h5 h6 pre blockquote div table thead tbody tfoot tr caption summary details figure "
    "figcaption ul ol dl hr".split()
)


class Read(HTMLParser):
    """The rendered body as a reader reads it: the sanitised HTML's text in pieces (a new one per block or line break,
    `|` between cells), links, titles, alts; a piece's body line is looked for only when a finding needs it."""

    def __init__(self, rendered: Rendered | None, body: str, body_line: int = 1) -> None:
        super().__init__(convert_charrefs=True)
        self.body, self.body_line = body, body_line
        self.pieces: list[tuple[str, str, bool]] = []  # (joiner before it, text, written on a later line)
        self.urls: list[tuple[str, int]] = []  # (address, the piece of text after it: the link's own)
        self._joiner = "\n"
        self.feed(clean_html(rendered.html) if rendered else "")
        self.close()
        text, self.starts = "", list[int]()
        for joiner, words, _ in self.pieces:
            text += joiner if text else ""
            self.starts.append(len(text))
            text += readable(words)
        self.text = text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_endtag(tag)
        for name, value in attrs:
            if value and name in ("href", "src") and not value.startswith("#"):  # `#id`: from a heading's text
                self.urls.append((value, len(self.pieces)))
            elif value and name in ("title", "alt"):
                self.pieces.append(("\n", value, False))
                self._joiner = "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._joiner = "\n"
        elif self._joiner != "\n":  # cells side by side: a CPR number split over two is read, a phone number is not
            self._joiner = {"td": "|", "th": "|", "br": " "}.get(tag, self._joiner)

    def handle_data(self, data: str) -> None:
        for i, part in enumerate(data.split("\n")):
            if part.strip():
                joiner = " " if i else self._joiner
                self.pieces.append((joiner, part, bool(i) or joiner == "\n"))
                self._joiner = ""
            elif i or part:
                self._joiner = self._joiner or " "

    @cached_property
    def lines(self) -> list[int]:
        """The body line of each piece, found by its letters and digits in order."""
        skeletons, found, cursor = [_skeleton(line) for line in self.body.split("\n")], list[int](), 0
        for _, text, later in self.pieces:
            wanted, start = _skeleton(text), cursor + 1 if later and found else cursor
            keys = [key for key in (wanted[:12], wanted[:4]) if key]
            cursor = next((i for key in keys for i in range(start, len(skeletons)) if key in skeletons[i]), cursor)
            found.append(cursor)
        return [self.body_line + i for i in found] or [self.body_line]

    @cached_property
    def shown(self) -> str:
        """The letters and digits of everything shown, to tell a line the page shows as it is."""
        return "".join(_skeleton(words) for _, words, _ in self.pieces)

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def _in_body(view: Read) -> list[tuple[int, Code, str]]:
    """The rendered text and decoded link addresses, and the raw lines the page hides where those found nothing."""
    read = [(view.line_at(offset), code, masked) for offset, code, masked in scan(view.text)]
    for url, after in view.urls:
        read += [(view.lines[min(after, len(view.lines) - 1)], code, masked) for code, masked in _in_url(url)]
    found = {(code, masked) for _, code, masked in read} | {(line, code) for line, code, _ in read}
    raw = _raw_lines(view.body.split("\n"), view.body_line, view)
    return sorted(read) + [item for item in raw if not {(item[1], item[2]), item[:2]} & found]


def find_in_story(values: Iterable[tuple[int, str]], front_matter: list[str], view: Read) -> Iterator[Finding]:
    """Decoded values and the file name, the front-matter's lines as written (the repository is public), the body."""
    found = [(line, code, masked) for line, value in values for _, code, masked in scan(readable(value))]
    yield from _unique(found + _raw_lines(front_matter, 1) + _in_body(view))
