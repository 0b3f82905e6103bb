"""The one way from contributor text to HTML: an allow-list sanitiser for rendered HTML, and one escaper per target.

Input checks (validate.py) exist to give a contributor a helpful Danish message; this module is the guarantee.
Whatever a story's Markdown or front-matter looked like, what reaches a reader has passed through here.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import nh3

# What Markdown and the site's own generated parts produce; nothing else survives.
ALLOWED_TAGS: frozenset[str] = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang"}),
    "abbr": frozenset({"title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"colspan", "rowspan", "align"}),
    "th": frozenset({"colspan", "rowspan", "align", "scope"}),
    "time": frozenset({"datetime"}),
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})


def is_site_relative(url: str) -> bool:
    """A URL on this site: no scheme and no host (`../kort/x.png`, `/assets/y.svg`, `#afsnit`)."""
    parts = urlsplit(url.strip())
    return not parts.scheme and not parts.netloc and not url.strip().startswith("//")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images load in every reader's browser: from another host they are a tracking pixel. Only the site's own.
    if tag == "img" and attribute == "src" and not is_site_relative(value):
        return None
    return value


def clean_html(fragment: str) -> str:
    """Rendered HTML with everything outside the allow-list removed (tags, attributes, styles, URL schemes)."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def html_text(value: str) -> str:
    """Plain text inside HTML elements or attributes; braces too, so a template engine never sees a delimiter."""
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")
