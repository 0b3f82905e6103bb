"""What HTML a story's body would put on the page, for FM015's messages: tags, attributes and URLs outside the
sanitiser's allow-list, found in the raw body and in the body rendered by Markdown (for `[x](javascript:…)`).

The sanitiser (sanitize.py) is the guarantee; this module exists to tell the contributor, with a line, before the
build, what would be removed and why.
"""

from __future__ import annotations

import html
import importlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import yaml
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, is_site_relative
from .schema import (
    MAX_ABBREVIATIONS,
    MAX_BODY_DEPTH,
    MAX_BRACKETS_PER_PARAGRAPH,
    MAX_HTML_TAGS,
    MAX_MARKUP_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_TAG_LENGTH_CHARS,
)

# md_in_html's switch: read by Markdown, never written to the page.
_DIRECTIVES = frozenset({"markdown"})
_URL_ATTRIBUTES = frozenset({"href", "src"})
_STRIPPED_FROM_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\u00ad]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_AUTOLINK = re.compile(r"^(?:https?|ftp):$|^[^:/]+@[^:/]+$", re.IGNORECASE)  # what Markdown reads as an autolink
# Only bodies with something Markdown could turn into a link, an image or an attribute are scanned after rendering.
_NEEDS_RENDERING = re.compile(r"\]|\{|<|&")

MAX_FINDINGS = 100  # a contributor fixes the first ones and runs the check again
GENERAL_HINT = "Skriv almindelig tekst og Markdown-links; fjern HTML-koden."
IMAGE_HINT = (
    "Billeder fra andre hjemmesider henter oplysninger om læserne, når siden vises. "
    "Fjern billedet, eller spørg redaktionen."
)


@dataclass(frozen=True)
class MarkupFinding:
    line: int  # in the body, 1-based
    what: str  # Danish: "HTML-mærket <script>"
    hint: str
    needle: str = ""  # text to look for in the source when the line is not known (rendered HTML)


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities are already decoded; whitespace and controls anywhere are dropped."""
    match = _SCHEME.match(_STRIPPED_FROM_URLS.sub("", value))
    return match.group(1).lower() if match else None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[MarkupFinding] = []

    def _add(self, what: str, hint: str = GENERAL_HINT, needle: str = "") -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(MarkupFinding(self.getpos()[0], what, hint, needle))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        before = len(self.findings)
        self._check_tag(tag, attrs)
        del self.findings[before + 1 :]  # one finding per tag is enough to find it

    def _check_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _AUTOLINK.match(tag):
            return  # `<https://…>`, `<pia@…>`: Markdown makes it a link, checked as rendered
        if tag not in ALLOWED_TAGS:
            self._add(f"HTML-mærket <{shorten(tag)}>", needle=f"<{tag}")
            return
        allowed = ALLOWED_ATTRIBUTES.get("*", frozenset()) | ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name.startswith("on"):
                self._add("en HTML-hændelse (on…=)", needle=name)
            elif name not in allowed and name not in _DIRECTIVES:
                self._add(f"attributten {shorten(name)}= i <{tag}>", needle=name)
            elif name in _URL_ATTRIBUTES and value:
                scheme = url_scheme(value)
                needle = value.split("\n")[0].strip()
                if scheme is not None and scheme not in URL_SCHEMES:
                    self._add(f"et {shorten(scheme)}:-link", needle=needle)
                elif tag == "img" and name == "src" and not is_site_relative(_STRIPPED_FROM_URLS.sub("", value)):
                    host = urlsplit(_STRIPPED_FROM_URLS.sub("", value)).hostname or "en anden adresse"
                    self._add(f"et billede fra en anden hjemmeside ({shorten(host)})", IMAGE_HINT, needle)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        self._add("en HTML-erklæring (<!…>)", needle="<!")

    def handle_pi(self, data: str) -> None:
        self._add("en HTML-instruktion (<?…>)", needle="<?")

    def unknown_decl(self, data: str) -> None:
        self._add("en HTML-erklæring (<![…]>)", needle="<![")


def danish(number: int) -> str:
    """10.000: a thousands separator as Danish writes it."""
    return f"{number:,}".replace(",", ".")


def shorten(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scan_html(text: str) -> list[MarkupFinding]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def _line_of(needle: str, lines: list[str]) -> int:
    """Where in the body a finding from the rendered HTML was written: as is, after decoding references, else 1."""
    if needle:
        folded = needle.lower()
        for decode in (lambda s: s, html.unescape):
            for number, line in enumerate(lines, start=1):
                if folded in decode(line).lower():
                    return number
    return 1


def find_unsafe_markup(body: str, rendered: Rendered | None) -> list[MarkupFinding]:
    """Findings in the raw body (exact lines), then those only the rendered body shows (line by search).

    `rendered` is None for a body over the limits (find_complexity, FM042): parsing it is what the limits prevent."""
    if rendered is None:
        return []
    found = scan_html(body)
    if not _NEEDS_RENDERING.search(body):
        return found
    rendered_found = scan_html(rendered.html)
    already = Counter(f.what for f in found)
    lines = body.split("\n")
    for finding in rendered_found:
        if already[finding.what]:
            already[finding.what] -= 1
            continue
        found.append(MarkupFinding(_line_of(finding.needle, lines), finding.what, finding.hint, finding.needle))
    return found


_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")
_ORDERED_MARKER = re.compile(r"\d{1,9}[.)][ \t]")
_MARKUP_CHARS = ("*", "_", "`", "\\", "[", "<", "&")
_TAG_OPENER = re.compile(r"<[A-Za-z/!?]")
_ABBREVIATION = re.compile(r"^[ \t]{0,3}\*\[[^\]]*\]:", re.MULTILINE)


def nesting_depth(line: str) -> int:
    """How many lists and quotes a line stands inside: `>` markers, list markers and every four spaces of indent."""
    if _THEMATIC_BREAK.fullmatch(line):
        return 0
    depth = spaces = i = 0
    while i < len(line) and depth + spaces // 4 <= MAX_BODY_DEPTH:
        ch = line[i]
        if ch == " ":
            spaces += 1
        elif ch == "\t":
            spaces += 4
        elif ch == ">" or (ch in "-*+" and line[i + 1 : i + 2] in (" ", "\t")):
            depth += 1
        elif ch.isdigit() and (marker := _ORDERED_MARKER.match(line, i)):
            depth += 1
            i = marker.end() - 1
        else:
            break
        i += 1
    return depth + spaces // 4


@dataclass(frozen=True)
class Complexity:
    line: int  # in the body, 1-based
    message: str
    hint: str


_SPLIT_HINT = "Del afsnittet op med en tom linje, eller skriv mere almindelig tekst."


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(first line, text) of every block between blank lines."""
    start = 1
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if number > start:
                yield start, "\n".join(lines[start - 1 : number - 1])
            start = number + 1


def find_complexity(body: str) -> list[Complexity]:
    """What would make Markdown slow or make it fail: nesting, long or crowded paragraphs, piles of markup.

    Markdown's inline parser takes time that grows faster than the text within a paragraph, and its HTML parser reads
    on to the end of the story from each tag it cannot see the end of; real stories are nowhere near the limits."""
    found: list[Complexity] = []
    lines = body.split("\n")
    for number, line in enumerate(lines, start=1):
        if nesting_depth(line) > MAX_BODY_DEPTH:
            found.append(
                Complexity(
                    number,
                    f"Lister eller citater står mere end {MAX_BODY_DEPTH} niveauer inde i hinanden.",
                    "Skriv teksten med færre niveauer; en historie har sjældent brug for mere end to.",
                )
            )
            break
    for start, paragraph in _paragraphs(lines):
        if len(paragraph) > MAX_PARAGRAPH_CHARS:
            found.append(
                Complexity(
                    start,
                    f"Afsnittet er {danish(len(paragraph))} tegn langt; højst {danish(MAX_PARAGRAPH_CHARS)}.",
                    _SPLIT_HINT,
                )
            )
        elif paragraph.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
            found.append(
                Complexity(
                    start,
                    f"Afsnittet har {paragraph.count('[')} firkantede parenteser ([); højst "
                    f"{MAX_BRACKETS_PER_PARAGRAPH}.",
                    _SPLIT_HINT,
                )
            )
    markup = sum(body.count(char) for char in _MARKUP_CHARS)
    if markup > MAX_MARKUP_CHARS:
        found.append(
            Complexity(
                1,
                f"Historien har {danish(markup)} tegn, der styrer formateringen "
                f"({', '.join(_MARKUP_CHARS)}); højst {danish(MAX_MARKUP_CHARS)}.",
                "Skriv mere almindelig tekst og mindre formatering.",
            )
        )
    openers = [match.start() for match in _TAG_OPENER.finditer(body)]
    if len(openers) > MAX_HTML_TAGS:
        found.append(
            Complexity(
                body.count("\n", 0, openers[MAX_HTML_TAGS]) + 1,
                f"Historien har {danish(len(openers))} HTML-mærker (<…); højst {MAX_HTML_TAGS}.",
                "Skriv almindelig tekst og Markdown i stedet for HTML.",
            )
        )
    for position in openers:
        if body.find(">", position, position + MAX_TAG_LENGTH_CHARS) < 0:
            found.append(
                Complexity(
                    body.count("\n", 0, position) + 1,
                    "Et HTML-mærke bliver ikke lukket med '>'.",
                    "Luk mærket med >, eller skriv < som 'mindre end'.",
                )
            )
            break
    abbreviations = len(_ABBREVIATION.findall(body))
    if abbreviations > MAX_ABBREVIATIONS:
        first = next(n for n, line in enumerate(lines, start=1) if _ABBREVIATION.match(line))
        found.append(
            Complexity(
                first,
                f"Historien forklarer {abbreviations} forkortelser (*[…]:); højst {MAX_ABBREVIATIONS}.",
                "Skriv forkortelserne ud i teksten i stedet.",
            )
        )
    return found


# --- The one conversion of a body ------------------------------------------------------------------------------

# (extensions, configs) as MkDocs hands them to Markdown: `config.markdown_extensions` and `config.mdx_configs`.
MarkdownSettings = tuple[Sequence[Any], Mapping[str, Any]]
# MkDocs puts these before every site's own `markdown_extensions` (mkdocs/config/defaults.py).
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as far as the Markdown settings go: `!ENV` values are not needed here, `!!python/name:` is
    imported (the toc's slugify), as MkDocs' own loader does."""


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module, _, name = suffix.rpartition(".")
    return getattr(importlib.import_module(module), name)


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def site_markdown(config_file: Path) -> MarkdownSettings:
    """The Markdown settings of a site's mkdocs.yml, read as MkDocs reads them (its built-ins first, no repeats);
    MkDocs' built-ins alone without one (MkDocs itself refuses a broken mkdocs.yml, in its own words)."""
    try:
        with config_file.open(encoding="utf-8") as stream:
            config = yaml.load(stream, Loader=_ConfigLoader)  # the project's own file, read as MkDocs reads it
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ImportError, AttributeError, ValueError):
        config = {}
    names: list[str] = list(MKDOCS_BUILTINS)
    configs: dict[str, Any] = {}
    extensions = config.get("markdown_extensions") if isinstance(config, dict) else None
    for item in extensions if isinstance(extensions, list) else []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if options:
            configs[name] = options
    return names, configs


@dataclass(frozen=True)
class Rendered:
    """A body converted once with the site's Markdown settings: everything the checks and the page need of it."""

    html: str  # as Markdown writes it, before the sanitiser
    ids: frozenset[str]  # every id a link can point to, collected as MkDocs' anchor validation collects them
    links: tuple[str, ...]  # Markdown's own link and image addresses (raw HTML is still stashed when they are read)


class _Collect(Treeprocessor):
    """Ids and link addresses from Markdown's tree, after the toc has given headings their ids (as MkDocs does)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def run(self, root: Element) -> None:
        for element in root.iter():
            if anchor := element.get("id"):
                self.ids.add(anchor)
            if element.tag == "a" and (anchor := element.get("name")):
                self.ids.add(anchor)
            attribute = {"a": "href", "img": "src"}.get(str(element.tag))
            if attribute and (value := element.get(attribute)):
                self.links.append(value)


class _RawIds(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.ids.add(value)


class _CollectRawIds(Preprocessor):
    """Ids written in raw HTML, read from the source before Markdown stashes it away (as MkDocs does)."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.ids: set[str] = set()

    def run(self, lines: list[str]) -> list[str]:
        parser = _RawIds()
        parser.feed("\n".join(lines))
        parser.close()
        self.ids = parser.ids
        return lines


class Converter:
    """One Markdown parser with the site's settings for a whole build, and each text converted once: the privacy
    guard, the HTML check, the link and anchor checks and the story page all read the same result."""

    def __init__(self, settings: MarkdownSettings | None = None) -> None:
        extensions, configs = settings or (MKDOCS_BUILTINS, {})
        self._md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs))
        self._tree = _Collect(self._md)
        self._md.treeprocessors.register(self._tree, "frisaettelse-collect", 5)  # after the toc, as MkDocs
        self._raw = _CollectRawIds(self._md)
        self._md.preprocessors.register(self._raw, "frisaettelse-raw-ids", 21)  # right before html_block
        self._done: dict[str, Rendered | None] = {}

    def convert(self, text: str) -> Rendered | None:
        """The text as HTML with its ids and links; None when Markdown cannot convert it."""
        if text in self._done:
            return self._done[text]
        self._tree.ids, self._tree.links = set(), []
        self._md.reset()
        try:
            converted = self._md.convert(text)
        except Exception:  # nesting too deep, or a Markdown bug: the story is refused (FM042), never a traceback
            result = None
        else:
            result = Rendered(converted, frozenset(self._tree.ids | self._raw.ids), tuple(self._tree.links))
        self._done[text] = result
        return result
