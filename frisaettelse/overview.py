"""Render step for browsing: the filter, pagination, the generated facet and tag pages (templates/listing.html).
Their HTML goes in after Markdown, with final URLs (addresses.link_between); the tests follow every link."""

from __future__ import annotations

import yaml

from .addresses import AREA_KEY, COMBINED_KEYS, CONTRIBUTE_SRC, OVERVIEW_SRC, REGISTER_SRC, TAG_INDEX_SRC, TAGS_KEY
from .model import Browse, FacetValue, ListingPage, SiteIndex
from .render import count_label, editors_note, heading_slug, href, macro, url
from .sanitize import markdown_text
from .schema import ConceptKind

LISTING_PLACEHOLDER = "<!-- frisaettelse:historieliste -->"
_KINDS = {kind.facet_key: kind for kind in ConceptKind}


def filter_nav(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """The folded filter: each value with stories and the count of the list its link leads to (on a filtered page,
    within that page's set); values without stories are named once, quietly."""
    src = page.src_uri
    area, other = browse.selection(page)
    groups = []
    for facet in browse.facets:
        items, empty = [], []
        for v in facet.values:
            target = (v, other) if facet.key == AREA_KEY else (area, v)
            count, target_src, chosen = browse.count(*target), browse.src_for(*target), v in (area, other)
            if chosen or (count and target_src):
                items.append((url(target_src or src, src, udu), v.label, count, chosen))
            else:
                empty.append(v.label)
        groups.append((facet, items, empty))
    everything = (url(OVERVIEW_SRC, src, udu), browse.total)
    return macro("listing.html", "filter_nav")(page, everything, not page.values, groups, bool(area or other))


def chosen_filters(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """The chosen values, each a link that removes it ("Dagtilbud ✕", said as "Fjern filteret Dagtilbud")."""
    area, other = browse.selection(page)
    links = [
        (url(browse.src_for(*wider) or OVERVIEW_SRC, page.src_uri, udu), value.label)
        for value, wider in ((area, (None, other)), (other, (area, None)))
        if value is not None
    ]
    return macro("listing.html", "chosen_filters")(links)


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: the listing's HTML (filters, heading, cards, page links) where its placeholder is."""
    page = browse.page(src_uri) if LISTING_PLACEHOLDER in html else None
    if page is None:
        return html
    intros = filter(None, (_intro_for(v, index) for v in page.values))
    intro = [(before, url(target, page.src_uri, udu), label) for before, target, label in intros]
    note, mark = _note(page)
    chosen, filters = chosen_filters(browse, page, udu), filter_nav(browse, page, udu)
    contribute = url(CONTRIBUTE_SRC, page.src_uri, udu)
    listing = macro("listing.html", "listing")(page, intro, note, chosen, mark, filters, contribute, udu)
    return html.replace(LISTING_PLACEHOLDER, str(listing), 1)


def _intro_for(value: FacetValue, index: SiteIndex) -> tuple[str, str, str] | None:
    """What one value's page adds to its heading: a link to read about it (never the heading again)."""
    if kind := _KINDS.get(value.facet_key):
        return ("", index.table(kind)[value.id].src_uri, f"Læs om {kind.definite}")
    if value.facet_key == TAGS_KEY:
        return ("Se ", TAG_INDEX_SRC, "alle emneord")
    if value.facet_key == "regel":
        return ("Se alle regler og vaner i ", f"{REGISTER_SRC}#{heading_slug(value.label)}", "registeret over regler")
    return None


def _note(page: ListingPage) -> tuple[str, str]:
    """Who made the links the list is built on, said once, and the word the cards mark the exceptions with."""
    tag = next((v for v in page.values if v.facet_key == TAGS_KEY), None)
    linked = next((v for v in page.values if v.facet_key in COMBINED_KEYS), None)
    if tag is not None:  # a tag page: the list is built on the tags, a choice too
        return editors_note(tag.stories, "emneordene", verb="valgt"), ""
    if linked is None:
        return "", ""
    if kind := _KINDS.get(linked.facet_key):
        return editors_note(linked.stories, kind.definite), "knyttet"
    return editors_note(linked.stories, "slags regel for historierne", verb="valgt"), "valgt"


def facet_page(page: ListingPage, browse: Browse) -> str:
    """The whole Markdown (front-matter included) of a generated listing page."""
    suffix = f" (side {page.number})" if page.number > 1 else ""
    meta = {
        "title": page.title + suffix,
        "description": f"{page.title}: {count_label(page.total)}, nyeste først.",
        "render_macros": False,
        "search": {"exclude": True},  # the stories themselves are in the search index; lists would only repeat them
        "hide": ["toc"],
    }
    # A short heading: the chosen filters are shown below it (chosen_filters), the full title is the page's <title>.
    shown = "Historier" if browse.selection(page) != (None, None) else markdown_text(page.title)
    return f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n\n# {shown}{suffix}\n\n{LISTING_PLACEHOLDER}\n"


def tag_index(browse: Browse, from_src: str) -> str:
    """Every tag with its number of stories, linked to the tag's own (paginated) page: small at any scale."""
    tags = browse.tags.values
    exclude = '\n  { data-search-exclude="ja" }'  # the tags' own pages are no hit on this page (attr_list)
    lines = [
        f"- [{markdown_text(v.label)}]({href(v.src_uri, from_src)}) ({count_label(v.count)}){exclude}" for v in tags
    ]
    return "\n".join(lines) + "\n" if tags else "*Ingen emneord endnu.*\n"
