"""The one way from contributor text to the site: nh3's allow-list for rendered HTML and one escaper per target.
Validation gives helpful messages; this module is the guarantee (no other module calls `html.escape`)."""

from __future__ import annotations

import functools
import html
import json
import re
import secrets
from collections.abc import Collection, Mapping, MutableMapping
from contextvars import ContextVar
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import nh3
from markupsafe import Markup

from .schema import STORY_PAGE_IDS

# What Markdown (with the extensions in mkdocs.yml) and the site's own generated parts produce; nothing else.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption code dd del details div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img "
    "ins kbd li mark ol p pre q s small span strong sub summary sup table tbody td tfoot th thead time tr u ul".split()
)
_ATTRIBUTES = (
    "*: id class title lang dir; a: href hreflang; abbr: title; details: open; img: src alt width height; ol: start; "
    "td: colspan rowspan align; th: colspan rowspan align scope; time: datetime"
)
ALLOWED_ATTRIBUTES = {k.strip(): frozenset(v.split()) for k, v in (part.split(":") for part in _ATTRIBUTES.split(";"))}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The admonition extension's types and the site's own classes: the theme's (md-…) and layout classes could lay a
# contributor's element over the page or dress it up as part of the site, so only these survive.
ALLOWED_CLASSES = frozenset(
    "note abstract summary tldr info todo tip hint important success check done question help faq warning caution "
    "attention failure fail missing danger error bug example quote cite admonition admonition-title headerlink resume "
    "historie-fakta indskudt kilde".split()
)
# Ids a contributor may set; the theme's own start with "__" (`__search`, `__drawer`).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")


def is_site_relative(url: str) -> bool:
    """No scheme and no host as a browser reads it (WHATWG: tab/newline dropped, C0 trimmed, `\\` is `/`)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21)))).replace("\\", "/")
    return not cleaned.startswith("//") and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", cleaned)


class _Body(NamedTuple):
    """What only a story's text gets: its Markdown links as MkDocs rewrites them; the page's own ids kept from it."""

    links: Mapping[str, str] = {}
    reserved: Collection[str] = ()


_BODY: ContextVar[_Body] = ContextVar("body")
_NOT_BODY = _Body()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    body = _BODY.get(_NOT_BODY)
    if attribute in ("href", "src") and value in body.links:
        value = body.links[value]
    if tag == "img" and attribute == "src" and not is_site_relative(value):
        return None  # an image from another host is a tracking pixel in every reader's browser
    if attribute == "class":
        return " ".join(name for name in value.split() if name in ALLOWED_CLASSES) or None
    return None if attribute == "id" and (not _ID.fullmatch(value) or value in body.reserved) else value


clean_html = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    # removed with their content: code or a document, never something a reader should see
    clean_content_tags=set("script style iframe object embed template noscript svg math textarea select title".split()),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
).clean

# A story's text is marked off by a comment no contributor can write (random per process; the cleaner drops it).
_BODY_TOKEN = secrets.token_hex(16)
_BODY_MARK = f"<!--{_BODY_TOKEN}-->"


def marked_body(html: str) -> str:
    """A story's text as HTML, marked off: `clean_page` cleans it as a fragment, so HTML it leaves open closes in it."""
    return f"{_BODY_MARK}\n{html}\n{_BODY_MARK}"


def clean_page(content: str, toc: Any = None, links: Mapping[str, str] | None = None) -> str:
    """A page cleaned, the story's text as a fragment of its own (its links rewritten as `links` says, the page's own
    ids left out of it); the toc as text (the theme prints it unescaped)."""
    todo = list(toc or [])
    while todo:
        item = todo.pop()
        item.title = html_text(text_of_html(item.title))
        todo += getattr(item, "children", None) or []
    head, opened, rest = content.partition(_BODY_MARK)
    body, closed, tail = rest.partition(_BODY_MARK)
    if not (opened and closed):
        return clean_html(content)
    token = _BODY.set(_Body(links or {}, STORY_PAGE_IDS))
    try:
        cleaned = clean_html(body)
    finally:
        _BODY.reset(token)
    return clean_html(head + _BODY_TOKEN + tail).replace(_BODY_TOKEN, cleaned, 1)


def html_text(value: str) -> str:
    """Text for HTML content or a quoted attribute; braces too, so Jinja (mkdocs-macros) never sees a delimiter."""
    return html.escape(str(value), quote=True).replace("{", "&#123;").replace("}", "&#125;")  # translate() is slower


def url_path(url: str) -> str:
    """A URL with what a URL may not hold percent-encoded (quotes, `<`, spaces, non-ASCII); escapes kept as they are."""
    return quote(str(url), safe="!#$%&()*+,/:;=?@[]~")


@functools.lru_cache(maxsize=1 << 15)  # the same relative addresses recur on every page at the same depth
def url_attribute(url: str) -> str:
    """Every address the site puts in an HTML attribute: percent-encoded, then HTML-escaped."""
    return html_text(url_path(url))


_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]#|"})


def _markdown_line(value: str) -> str:
    return " ".join(str(value).split()).translate(_MARKDOWN_SPECIAL)  # one line: a value never starts a block


def markdown_text(value: str) -> str:
    """Text inline in Markdown: its syntax backslash-escaped, then HTML and braces as references."""
    return html_text(_markdown_line(value))


def pasted_markdown(value: str) -> str:
    """Text for a Markdown snippet pasted elsewhere: no Jinja reads it there, and `&#x27;` would show."""
    return html.escape(_markdown_line(value), quote=False)


def xml_text(value: str) -> str:
    """Text for an XML node (ElementTree escapes the rest): characters XML 1.0 forbids removed."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", str(value))


def feed_html(value: str) -> str:
    """RSS readers decode a title or description as HTML, so it is escaped as HTML first."""
    return xml_text(html.escape(str(value), quote=False))


def text_of_html(value: str) -> str:
    """The text a reader sees in an HTML fragment: the inverse of `html_text` for text without tags."""
    return Markup(str(value)).striptags()


def escape_page_meta(meta: MutableMapping[str, Any]) -> None:
    """The theme prints `page.meta.title` unescaped (a title is HTML to MkDocs): made HTML text once, as `Markup`."""
    title = meta.get("title")
    if isinstance(title, str) and not isinstance(title, Markup):
        meta["title"] = Markup(html_text(title))


def page_title(page: Any, default: str = "") -> str:
    title = page.meta.get("title") or page.title
    return text_of_html(title) if title else default


def clean_search_index(path: Path) -> None:
    """The search box renders titles, texts and tags as HTML: the first two cleaned again, tags (front-matter) escaped."""
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
