"""Render step for browsing: the filter, pagination, the generated facet and tag pages (templates/listing.html).
Their HTML goes in after Markdown, with final URLs (render.url); the tests follow every link."""

from __future__ import annotations

from typing import Any

from .addresses import AREA_KEY
from .model import Browse, ListingPage, SiteIndex
from .render import count_label, heading_slug, href, macro, part, url
from .sanitize import html_text, markdown_text

LISTING_PLACEHOLDER = "<!-- frisaettelse:historieliste -->"


def filter_nav(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """The folded filter: each value with stories and the count of the list its link leads to (on a filtered page,
    within that page's set); values without stories are named once, quietly."""
    area, other = browse.selection(page)
    groups = []
    for facet in browse.facets:
        items, empty = [], []
        for v in facet.values:
            target = (v, other) if facet.key == AREA_KEY else (area, v)
            count, target_src, chosen = browse.count(*target), browse.src_for(*target), v in (area, other)
            if chosen or (count and target_src):
                items.append((url(target_src or page.src_uri, page.src_uri, udu), v.label, count, chosen))
            else:
                empty.append(v.label)
        groups.append((facet, items, empty))
    return macro("listing.html", "filter_nav")(browse, page, groups, udu)


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: the listing's HTML (filters, heading, cards, page links) where its placeholder is."""
    page = browse.page(src_uri) if LISTING_PLACEHOLDER in html else None
    if page is None:
        return html
    listing = part("listing.html", "listing", browse, page, index, filter_nav(browse, page, udu), udu)
    return html.replace(LISTING_PLACEHOLDER, listing, 1)


def facet_meta(page: ListingPage) -> dict[str, Any]:
    """A generated listing page's page.meta (never YAML: nothing reads it but the plugin, which sets it); its content
    is `listing_content`, never Markdown."""
    suffix = f" (side {page.number})" if page.number > 1 else ""
    return {
        "title": page.title + suffix,
        "description": f"{page.title}: {count_label(page.total)}, nyeste først.",
        "render_macros": False,
        "search": {"exclude": True},  # the stories themselves are in the search index; lists would only repeat them
        "hide": ["toc"],
    }


def listing_content(page: ListingPage, browse: Browse) -> tuple[str, list[Any]]:
    """A listing page's heading and where its list goes (`fill_listing`), and the heading as the toc extension
    gives it. A short heading: the chosen filters are shown below it (listing.html), the full title is the page's
    <title>."""
    shown = "Historier" if browse.selection(page) != (None, None) else page.title
    shown += f" (side {page.number})" if page.number > 1 else ""
    anchor = heading_slug(shown)
    html = part("parts.html", "heading", 1, anchor, shown) + "\n" + LISTING_PLACEHOLDER
    return html, [{"level": 1, "id": anchor, "name": html_text(shown), "children": []}]


def tag_index(browse: Browse, from_src: str) -> str:
    """Every tag with its number of stories, linked to the tag's own (paginated) page: small at any scale."""
    tags = browse.tags.values
    exclude = '\n  { data-search-exclude="ja" }'  # the tags' own pages are no hit on this page (attr_list)
    lines = [
        f"- [{markdown_text(v.label)}]({href(v.src_uri, from_src)}) ({count_label(v.count)}){exclude}" for v in tags
    ]
    return "\n".join(lines) + "\n" if tags else "*Ingen emneord endnu.*\n"
