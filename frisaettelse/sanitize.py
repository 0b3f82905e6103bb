"""The one way from contributor text to the published site: an allow-list sanitiser for rendered HTML, and one
escaper per target (HTML text, HTML attribute, Markdown inline text, XML, the search index).

Input checks (validate.py) exist to give a contributor a helpful Danish message; this module is the guarantee.
Whatever a story's Markdown or front-matter looked like, what reaches a reader has passed through here.

Architecture Invariant: every value that came from a story (decoded front-matter, rendered body) reaches HTML,
an attribute, Markdown, XML or JSON only through a function of this module; no other module calls `html.escape`.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nh3
from markupsafe import Markup

# What Markdown (with the extensions in mkdocs.yml) and the site's own generated parts produce; nothing else.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang"}),
    "abbr": frozenset({"title"}),
    "details": frozenset({"open"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "time": frozenset({"datetime"}),
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
# Removed with their content: text inside them is code or a document, never something a reader should see.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "textarea",
        "select",
        "title",
    }
)

# Admonition types of the admonition extension (mkdocs-material styles these).
ADMONITION_TYPES: frozenset[str] = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)
# Classes a story page may carry: the theme's own (md-…) and the site's layout classes could lay a contributor's
# element over the page or dress it up as part of the site, so only these survive.
ALLOWED_CLASSES: frozenset[str] = frozenset(
    {
        "headerlink",
        "resume",
        "historie-fakta",
        "indskudt",
        "kilde",
        "admonition",
        "admonition-title",
        *ADMONITION_TYPES,
    }
)
# Ids a contributor's heading or attribute list may set; the theme's own start with "__" (`__search`, `__drawer`).
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
# What browsers drop from a URL before reading it (WHATWG URL: tab and newlines anywhere, C0 and space at the ends).
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(c) for c in range(0x21))


def is_site_relative(url: str) -> bool:
    """A URL on this site as a browser reads it: no scheme and no host (`../kort/x.png`, `/assets/y.svg`, `#a`).

    Backslashes count as slashes and tabs/newlines vanish, as in browsers: `\\\\evil.example/x.png` is another host.
    """
    cleaned = _URL_IGNORED.sub("", url).strip(_URL_TRIMMED).replace("\\", "/")
    if cleaned.startswith("//"):
        return False
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return scheme is None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images load in every reader's browser: from another host they are a tracking pixel. Only the site's own.
    if tag == "img" and attribute == "src" and not is_site_relative(value):
        return None
    if attribute == "class":
        kept = [name for name in value.split() if name in ALLOWED_CLASSES]
        return " ".join(kept) or None
    if attribute == "id" and not _ID.match(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
)


def clean_html(fragment: str) -> str:
    """Rendered HTML with everything outside the allow-list removed (tags, attributes, classes, styles, URLs)."""
    return _CLEANER.clean(fragment)


# A story's own text is marked off in its page's Markdown by a comment no contributor can write: a random token,
# made once per process and never published (the cleaner drops comments; the placeholder below is replaced).
_BODY_TOKEN = secrets.token_hex(16)
_BODY_MARK = f"<!--{_BODY_TOKEN}-->"


# Block elements no story may use (FM015): one the text does not mention is its container, so nothing in it can
# close the container early; the cleaner drops the tag and keeps the text.
_CONTAINERS = ("section", "article", "aside", "main", "nav", "header", "footer", "address", "fieldset", "hgroup")


def contained_body(markdown_text: str) -> str:
    """A story's own text (Markdown) in a container of its own, so that an unclosed `<details>`, `<div>` or
    `<table>` in it is closed inside it – by Markdown at the container's end and by `clean_page`, which cleans the
    text on its own – and never swallows the sections the page adds after it."""
    lowered = markdown_text.lower()
    tag = next((name for name in _CONTAINERS if f"<{name}" not in lowered and f"</{name}" not in lowered), "section")
    return f"<{tag} markdown>\n\n{_BODY_MARK}\n\n{markdown_text}\n\n{_BODY_MARK}\n\n</{tag}>"


def clean_page(content: str, toc: Any = None) -> str:
    """A story page's rendered content, cleaned once at the output; its table of contents made plain text too
    (the theme prints each heading's title unescaped in the sidebar). The story's own text (`contained_body`) is
    cleaned as a fragment of its own, so every element it opens is closed within it."""
    for item in _toc_items(toc or []):
        item.title = html_text(text_of_html(item.title))
    head, opened, rest = content.partition(_BODY_MARK)
    body, closed, tail = rest.partition(_BODY_MARK)
    if not (opened and closed):
        return clean_html(content)
    return clean_html(head + _BODY_TOKEN + tail).replace(_BODY_TOKEN, clean_html(body), 1)


def _toc_items(items: Any) -> Any:
    for item in items:
        yield item
        yield from _toc_items(getattr(item, "children", []) or [])


# --- Escapers, one per target ----------------------------------------------------------------------------------

_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def html_text(value: str) -> str:
    """Plain text as the content of an HTML element. Quotes and braces too: the result is also safe in a quoted
    attribute and in Markdown that mkdocs-macros renders with Jinja (it never sees a delimiter)."""
    return html.escape(str(value), quote=True).translate(_BRACES)


def html_attribute(value: str) -> str:
    """Plain text as a double- or single-quoted HTML attribute value (a `"` can never end the attribute)."""
    return html_text(value)


# What may stay as it is in a URL (RFC 3986: reserved and unreserved characters but the quote, and `%` of an existing escape).
_URL_SAFE = "!#$%&()*+,/:;=?@[]~"


def url_path(url: str) -> str:
    """A URL with every character a URL may not hold percent-encoded (quotes, `<`, `>`, spaces, controls, non-ASCII);
    what is already encoded stays as it is. For a URL in an attribute, use `url_attribute`."""
    return quote(str(url), safe=_URL_SAFE)


def url_attribute(url: str) -> str:
    """A URL as a quoted HTML attribute value: percent-encoded, then HTML-escaped (`&`, `'`). Every address the
    site puts in an attribute (edit links, canonical, previews, tag chips, redirect targets) goes through here."""
    return html_attribute(url_path(url))


# Characters Python-Markdown (with the tables extension) lets a backslash escape; CommonMark accepts them all too.
_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]#|"})


def _markdown_line(value: str) -> str:
    """Markdown syntax backslash-escaped; line breaks become spaces, so a value can never start a new block."""
    return " ".join(str(value).split()).translate(_MARKDOWN_SPECIAL)


def markdown_text(value: str) -> str:
    """Plain text inline in Markdown (Python-Markdown here, CommonMark where a snippet is pasted): Markdown syntax
    backslash-escaped, then HTML and braces as character references. Line breaks become spaces, so a value can
    never start a new block (a heading, a list, a link definition)."""
    return html_text(_markdown_line(value))


def pasted_markdown(value: str) -> str:
    """Plain text for a Markdown snippet pasted into another tool: syntax escaped, <, > and & as references (every
    Markdown reads them), quotes and braces as they are – no Jinja reads it there, and `&#x27;` would show."""
    return html.escape(_markdown_line(value), quote=False)


# Characters XML 1.0 forbids in a document: a feed with one of them is refused by every feed reader.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Plain text for an XML text node (ElementTree escapes `&`, `<`, `>` itself): forbidden characters removed."""
    return _XML_FORBIDDEN.sub("", str(value))


def feed_html(value: str) -> str:
    """Plain text for an RSS `<title>` or `<description>`: readers decode it as HTML, so it is escaped as HTML
    first (ElementTree then escapes it again for XML)."""
    return xml_text(html.escape(str(value), quote=False))


def text_of_html(value: str) -> str:
    """The text a reader sees in an HTML fragment (a page title or heading from MkDocs): tags removed, character
    references decoded. The inverse of `html_text` for text without tags."""
    return Markup(str(value)).striptags()


# --- Values the theme prints as they are ------------------------------------------------------------------------


def escape_page_meta(meta: MutableMapping[str, Any]) -> None:
    """mkdocs-material prints `page.meta.title` unescaped in `<title>`, the header and the navigation (a page title
    is HTML to MkDocs, like the titles it takes from rendered headings). Make the front-matter title HTML text once;
    `Markup` marks it as done, so a second call (or Jinja's `|e`) never escapes it twice."""
    title = meta.get("title")
    if isinstance(title, str) and not isinstance(title, Markup):
        meta["title"] = Markup(html_text(title))


def page_title(page: Any, default: str = "") -> str:
    """A page's title as plain text (for link previews and redirect pages), whatever MkDocs holds it as."""
    title = page.meta.get("title") or page.title
    return text_of_html(title) if title else default


def clean_search_index(path: Path) -> None:
    """The search box renders titles, texts and tags from search_index.json as HTML. Titles and texts are HTML
    made by the search plugin from the (cleaned) pages: cleaned once more. Tags are front-matter text: escaped."""
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = clean_html(doc[key])
        if isinstance(doc.get("tags"), list):
            doc["tags"] = [html_text(tag) for tag in doc["tags"]]
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
