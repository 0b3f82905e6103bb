"""The one conversion of a story's body (`Converter`, the site's own Markdown settings), and what FM015 and FM042
tell a contributor about it: HTML the sanitiser would remove, and what would make Markdown slow or fail."""

from __future__ import annotations

import datetime as dt
import functools
import html
import importlib
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import yaml
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import schema
from .load import texts
from .problems import Code, Finding
from .sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, is_site_relative

_STRIPPED_FROM_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\u00ad]")
_AUTOLINK = re.compile(r"^(?:https?|ftp):$|^[^:/]+@[^:/]+$", re.IGNORECASE)  # what Markdown reads as an autolink
_NEEDS_RENDERING = re.compile(r"\]|\{|<|&")  # what Markdown could turn into a link, an image or an attribute
MAX_FINDINGS = 100  # a contributor fixes the first ones and runs the check again
GENERAL_HINT = "Skriv almindelig tekst og Markdown-links; fjern HTML-koden."
IMAGE_HINT = "Billeder fra andre hjemmesider henter oplysninger om læserne, når siden vises. Fjern billedet, eller spørg redaktionen."


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities are already decoded; whitespace and controls anywhere are dropped."""
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", _STRIPPED_FROM_URLS.sub("", value))
    return match.group(1).lower() if match else None


def danish(number: int) -> str:
    """10.000: a thousands separator as Danish writes it."""
    return f"{number:,}".replace(",", ".")


def shown(value: object, limit: int = 60) -> str:
    """A contributor's value as quoted in a message: one line, and short, whatever they wrote."""
    if not isinstance(value, (str, int, float, dt.date)):
        return "(en liste eller lignende)"
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Scanner(HTMLParser):
    """FM015 in HTML, each with the text to look for in the source when the line is not known (rendered HTML)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[Finding, str]] = []
        self.feed(text)
        self.close()

    def _add(self, what: str, needle: str, hint: str = GENERAL_HINT) -> None:
        if len(self.findings) < MAX_FINDINGS:
            message = f"Historien indeholder {what}, som ikke er tilladt."
            self.findings.append((Finding(self.getpos()[0], Code.FM015, message, hint), needle))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if _AUTOLINK.match(tag):
            return  # `<https://…>`, `<pia@…>`: Markdown makes it a link, checked as rendered
        if tag not in ALLOWED_TAGS:
            return self._add(f"HTML-mærket <{shown(tag, 30)}>", f"<{tag}")
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:  # one finding per tag is enough to find it
            if name.startswith("on"):
                return self._add("en HTML-hændelse (on…=)", name)
            if name not in allowed and name != "markdown":  # md_in_html's switch, never written to the page
                return self._add(f"attributten {shown(name, 30)}= i <{tag}>", name)
            if name in ("href", "src") and value:
                needle, url = value.split("\n")[0].strip(), _STRIPPED_FROM_URLS.sub("", value)
                if (scheme := url_scheme(value)) is not None and scheme not in URL_SCHEMES:
                    return self._add(f"et {shown(scheme, 30)}:-link", needle)
                if tag == "img" and name == "src" and not is_site_relative(url):
                    host = shown(urlsplit(url).hostname or "en anden adresse", 30)
                    return self._add(f"et billede fra en anden hjemmeside ({host})", needle, IMAGE_HINT)

    handle_startendtag = handle_starttag

    def handle_decl(self, decl: str) -> None:
        self._add("en HTML-erklæring (<!…>)", "<!")

    def handle_pi(self, data: str) -> None:
        self._add("en HTML-instruktion (<?…>)", "<?")

    def unknown_decl(self, data: str) -> None:
        self._add("en HTML-erklæring (<![…]>)", "<![")


def find_unsafe_markup(body: str, rendered: Rendered | None) -> list[Finding]:
    """FM015 in the raw body, then what only the rendered one shows (None: over FM042's limits), at body lines."""
    found = [finding for finding, _ in _Scanner(body).findings] if rendered else []
    already, lines = Counter(f.message for f in found), body.split("\n")
    for finding, needle in _Scanner(rendered.html).findings if rendered and _NEEDS_RENDERING.search(body) else []:
        if already[finding.message]:
            already[finding.message] -= 1
            continue
        needle = needle.lower()
        at = (n for decode in (str, html.unescape) for n, line in enumerate(lines, 1) if needle in decode(line).lower())
        found.append(finding._replace(line=next(at, 1) if needle else 1))
    return found


_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*")
_NESTING = re.compile(r"[ \t]|>|[-*+](?=[ \t])|\d{1,9}[.)][ \t]")  # indent, quote, list item, numbered item
_MARKUP_CHARS = ("*", "_", "`", "\\", "[", "<", "&")
_TAG_OPENER = re.compile(r"<[A-Za-z/!?]")
_ABBREVIATION = re.compile(r"^[ \t]{0,3}\*\[[^\]]*\]:", re.MULTILINE)


def nesting_depth(line: str) -> int:
    """How many lists and quotes a line stands inside: `>` markers, list markers and every four spaces of indent."""
    if _THEMATIC_BREAK.fullmatch(line):
        return 0
    depth = spaces = at = 0
    while depth + spaces // 4 <= schema.MAX_BODY_DEPTH and (token := _NESTING.match(line, at)):
        at, marker = token.end(), token[0]
        spaces += {" ": 1, "\t": 4}.get(marker, 0)
        depth += marker not in " \t"
    return depth + spaces // 4


_TOO_COMPLEX = {name: (message, hint) for name, message, hint in texts("kompleksitet")}


def _paragraphs(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(first line, text) of every block between blank lines."""
    start = 1
    for number, line in enumerate([*lines, ""], start=1):
        if not line.strip():
            if number > start:
                yield start, "\n".join(lines[start - 1 : number - 1])
            start = number + 1


@functools.lru_cache(maxsize=1024)  # every check of a story asks before it reads the converted body
def find_complexity(body: str) -> tuple[Finding, ...]:
    """What would make Markdown slow or fail (inline parsing grows faster than a paragraph; an unclosed tag)."""
    found: list[Finding] = []  # FM042, at a line of the body (1-based)

    def add(line: int, name: str, **fields: Any) -> None:
        message, hint = _TOO_COMPLEX[name]
        found.append(Finding(line, Code.FM042, message.format(**fields), hint))

    lines = body.split("\n")
    if deep := next((n for n, line in enumerate(lines, start=1) if nesting_depth(line) > schema.MAX_BODY_DEPTH), 0):
        add(deep, "deep", limit=schema.MAX_BODY_DEPTH)
    for start, paragraph in _paragraphs(lines):
        if len(paragraph) > schema.MAX_PARAGRAPH_CHARS:
            add(start, "long", count=danish(len(paragraph)), limit=danish(schema.MAX_PARAGRAPH_CHARS))
        elif paragraph.count("[") > schema.MAX_BRACKETS_PER_PARAGRAPH:
            add(start, "brackets", count=paragraph.count("["), limit=schema.MAX_BRACKETS_PER_PARAGRAPH)
    if (markup := sum(map(body.count, _MARKUP_CHARS))) > schema.MAX_MARKUP_CHARS:
        add(1, "markup", count=danish(markup), limit=danish(schema.MAX_MARKUP_CHARS))
    openers = [match.start() for match in _TAG_OPENER.finditer(body)]
    if len(openers) > schema.MAX_HTML_TAGS:
        at = openers[schema.MAX_HTML_TAGS]
        add(body.count("\n", 0, at) + 1, "tags", count=danish(len(openers)), limit=schema.MAX_HTML_TAGS)
    unclosed = (p for p in openers if body.find(">", p, p + schema.MAX_TAG_LENGTH_CHARS) < 0)
    if (at := next(unclosed, -1)) >= 0:
        add(body.count("\n", 0, at) + 1, "unclosed")
    if (abbreviations := len(_ABBREVIATION.findall(body))) > schema.MAX_ABBREVIATIONS:
        first = next((n for n, line in enumerate(lines, start=1) if _ABBREVIATION.match(line)), 1)
        add(first, "abbreviations", count=abbreviations, limit=schema.MAX_ABBREVIATIONS)
    return tuple(found)


# (extensions, configs) as MkDocs hands them to Markdown: `config.markdown_extensions` and `config.mdx_configs`.
MarkdownSettings = tuple[Sequence[Any], Mapping[str, Any]]
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")  # before every site's own (mkdocs/config/defaults.py)


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as far as Markdown goes: `!ENV` not needed, `!!python/name:` imported (the toc's slugify)."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: None)
_ConfigLoader.add_multi_constructor(
    "tag:yaml.org,2002:python/name:",
    lambda loader, suffix, node: getattr(importlib.import_module(suffix.rpartition(".")[0]), suffix.rpartition(".")[2]),
)


def site_markdown(config_file: Path) -> MarkdownSettings:
    """A mkdocs.yml's Markdown settings as MkDocs reads them; the built-ins alone if it is broken (MkDocs says so)."""
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
        names += [] if name in names else [name]
        configs.update({name: options} if options else {})
    return names, configs


class Rendered(NamedTuple):
    """A body converted once with the site's Markdown settings: everything the checks and the page need of it."""

    html: str  # as Markdown writes it, before the sanitiser
    ids: frozenset[str]  # every id a link can point to, collected as MkDocs' anchor validation collects them
    links: tuple[str, ...]  # Markdown's own link and image addresses (raw HTML is still stashed when they are read)
    toc: tuple[dict[str, Any], ...] = ()  # the toc extension's headings (`toc_tokens`), nested, as MkDocs reads them


class _Reserve(Treeprocessor):
    """The story page's own ids, taken before the toc gives the body's headings theirs (`Historien` → historien_1)."""

    ids: Sequence[str] = ()
    added: list[Element]

    def run(self, root: Element) -> None:
        self.added = [Element("span", {"id": anchor}) for anchor in self.ids]
        root.extend(self.added)


class _Collect(Treeprocessor):
    """Ids and link addresses from Markdown's tree, after the toc has given headings their ids (as MkDocs does)."""

    ids: set[str]
    links: list[str]
    reserved: _Reserve

    def run(self, root: Element) -> None:
        for element in self.reserved.added:
            root.remove(element)
        for element in root.iter():
            self.ids.update(v for v in (element.get("id"), element.get("name") if element.tag == "a" else None) if v)
            if value := element.get({"a": "href", "img": "src"}.get(str(element.tag), "")):
                self.links.append(value)


class _RawIds(HTMLParser, Preprocessor):
    """Ids written in raw HTML, read from the source before Markdown stashes it away (as MkDocs does)."""

    def __init__(self, md: markdown.Markdown) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)
        self.md, self.ids = md, set[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if value and (name == "id" or (name == "name" and tag == "a")))

    def run(self, lines: list[str]) -> list[str]:
        self.reset()
        self.ids = set()
        self.feed("\n".join(lines))
        self.close()
        return lines


class Converter:
    """One Markdown parser with the site's settings per build; each text converted once, for every check."""

    def __init__(self, settings: MarkdownSettings | None = None) -> None:
        extensions, configs = settings or (MKDOCS_BUILTINS, {})
        self._md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs))
        self._tree, self._raw, self._reserve = _Collect(self._md), _RawIds(self._md), _Reserve(self._md)
        self._tree.reserved = self._reserve
        self._md.treeprocessors.register(self._reserve, "frisaettelse-reserve", 6)  # after attr_list, before the toc
        self._md.treeprocessors.register(self._tree, "frisaettelse-collect", 5)  # after the toc, as MkDocs
        self._md.preprocessors.register(self._raw, "frisaettelse-raw-ids", 21)  # right before html_block
        self._done: dict[tuple[str, bool], Rendered | None] = {}

    def convert(self, text: str, *, story_body: bool = False) -> Rendered | None:
        """The text as HTML with its ids and links; None when Markdown cannot convert it (FM042, never a traceback)."""
        if (key := (text, story_body)) not in self._done:
            self._tree.ids, self._tree.links = set(), []
            self._reserve.ids = schema.STORY_PAGE_IDS if story_body else ()
            self._md.reset()
            try:
                converted = self._md.convert(text)
                ids = frozenset(self._tree.ids | self._raw.ids)
                toc = tuple(getattr(self._md, "toc_tokens", ()))
                self._done[key] = Rendered(converted, ids, tuple(self._tree.links), toc)
            except Exception:  # nesting too deep, or a Markdown bug
                self._done[key] = None
        return self._done[key]

    def converted(self) -> dict[tuple[str, bool], Rendered | None]:
        """Every conversion made so far: a forked checker sends them back to the build (`adopt`)."""
        return self._done

    def adopt(self, converted: dict[tuple[str, bool], Rendered | None]) -> None:
        self._done |= converted

    def convert_body(self, body: str) -> Rendered | None:
        """A story's body, converted once per build for the checks and its page (whose own ids its headings avoid):
        None, never parsed, when it is over FM042's limits (`find_complexity`)."""
        return None if find_complexity(body) else self.convert(body, story_body=True)
