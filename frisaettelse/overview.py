"""Render step for browsing: the filter, pagination, the generated facet and tag pages (templates/listing.html).
Their HTML goes in after Markdown, with final URLs (addresses.link_between); the tests follow every link."""

from __future__ import annotations

import yaml
from markupsafe import Markup

from .addresses import (
    AREA_KEY,
    COMBINED_KEYS,
    CONTRIBUTE_SRC,
    OVERVIEW_SRC,
    REGISTER_SRC,
    TAG_INDEX_SRC,
    TAGS_KEY,
)
from .model import Browse, FacetValue, ListingPage, SiteIndex
from .render import count_label, editors_note, heading_slug, href, macro, url
from .sanitize import markdown_text as text
from .schema import ConceptKind


def filter_nav(browse: Browse, page: ListingPage, index: SiteIndex, udu: bool = True) -> str:
    """Every facet value that has stories, with the number its link leads to, folded behind one `<details>` after
    the stories. On a filtered page the counts are for that page's set (an area's page: each principle counts the
    area's stories with it, and links to the page for both). Values with no stories are named once, quietly."""
    src = page.src_uri
    area, other = browse.selection(page)
    groups = []
    for facet in browse.facets:
        items: list[tuple[Markup, str, int, bool]] = []
        empty: list[str] = []
        for v in facet.values:
            target = (v, other) if facet.key == AREA_KEY else (area, v)
            count, target_src = browse.count(*target), browse.src_for(*target)
            if v in (area, other):
                items.append((url(target_src or src, src, udu), v.label, count, True))
            elif count and target_src:
                items.append((url(target_src, src, udu), v.label, count, False))
            else:
                empty.append(v.label)
        groups.append((facet, items, empty))
    everything = (url(OVERVIEW_SRC, src, udu), browse.total)
    return str(macro("listing.html", "filter_nav")(page, everything, not page.values, groups, bool(area or other)))


def chosen_filters(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """Below the short heading of a filtered page: the chosen values, each a link that widens the list by removing
    it ("Dagtilbud ✕", said as "Fjern filteret Dagtilbud")."""
    area, other = browse.selection(page)
    links = [
        (url(browse.src_for(*wider) or OVERVIEW_SRC, page.src_uri, udu), value.label)
        for value, wider in ((area, (None, other)), (other, (area, None)))
        if value is not None
    ]
    return str(macro("listing.html", "chosen_filters")(links))


def pagination(page: ListingPage, udu: bool = True) -> str:
    """Page links for a list longer than one page; nothing for a short list."""
    return str(macro("listing.html", "pagination")(page, udu))


LISTING_PLACEHOLDER = "<!-- frisaettelse:historieliste -->"


def listing(page: ListingPage) -> str:
    """The Markdown of a listing: a placeholder that `fill_listing` fills in after Markdown has run."""
    return LISTING_PLACEHOLDER + "\n"


def listing_html(page: ListingPage, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """Chosen filters, results heading, cards, page links, then the folded filter: the body shared by the overview
    and every facet page. The stories come first at every width."""
    linked = next((v.facet_key for v in page.values if v.facet_key in COMBINED_KEYS), None)
    mark = "" if linked is None else "knyttet" if linked in _LINKED_WHAT else "valgt"
    chosen = chosen_filters(browse, page, udu)
    filters = Markup(filter_nav(browse, page, index, udu))
    src = page.src_uri
    intros = [_intro_for(v, index) for v in page.values]
    intro = [(before, url(target, src, udu), label) for before, target, label in filter(None, intros)]
    contribute = url(CONTRIBUTE_SRC, src, udu)
    listed = macro("listing.html", "listing")
    return str(listed(page, intro, _note(page), Markup(chosen), mark, filters, contribute, udu))


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: put the listing's HTML where its placeholder is (only listing pages have one)."""
    if LISTING_PLACEHOLDER not in html:
        return html
    page = browse.page(src_uri)
    return html.replace(LISTING_PLACEHOLDER, listing_html(page, browse, index, udu), 1) if page else html


def _intro_for(value: FacetValue, index: SiteIndex) -> tuple[str, str, str] | None:
    """What one value's page adds to its heading: a link to read about it (never the heading again)."""
    if value.facet_key == ConceptKind.PRINCIPLE.facet_key:
        return ("", index.principles[value.id].src_uri, "Læs om princippet")
    if value.facet_key == ConceptKind.BOUNDARY.facet_key:
        return ("", index.boundaries[value.id].src_uri, "Læs om hegnspælen")
    if value.facet_key == TAGS_KEY:
        return ("Se ", TAG_INDEX_SRC, "alle emneord")
    if value.facet_key == "regel":
        return ("Se alle regler og vaner i ", f"{REGISTER_SRC}#{heading_slug(value.label)}", "registeret over regler")
    return None


_LINKED_WHAT = {ConceptKind.PRINCIPLE.facet_key: "princippet", ConceptKind.BOUNDARY.facet_key: "hegnspælen"}


def _note(page: ListingPage) -> str:
    """Who made the links the list is built on, said once (the cards mark the exceptions)."""
    linked = [v for v in page.values if v.facet_key in COMBINED_KEYS]
    tag = next((v for v in page.values if v.facet_key == TAGS_KEY), None)
    if tag is not None:  # a tag page: the list is built on the tags, a choice too
        return editors_note(tag.stories, "emneordene", verb="valgt")
    stories = linked[-1].stories if linked else ()
    if linked and linked[-1].facet_key in _LINKED_WHAT:
        return editors_note(stories, _LINKED_WHAT[linked[-1].facet_key])
    return editors_note(stories, "slags regel for historierne", verb="valgt")


def facet_page(page: ListingPage, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """The whole Markdown (front-matter included) of a generated listing page."""
    title = page.title
    suffix = f" (side {page.number})" if page.number > 1 else ""
    meta = {
        "title": title + suffix,
        "description": f"{title}: {count_label(page.total)}, nyeste først.",
        "render_macros": False,
        "search": {"exclude": True},  # the stories themselves are in the search index; lists would only repeat them
        "hide": ["toc"],
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    # A short heading: the chosen filters are shown below it (chosen_filters), the full title is the page's <title>.
    shown = "Historier" if browse.selection(page) != (None, None) else text(title)
    return f"---\n{front}---\n\n# {shown}{suffix}\n\n{listing(page)}"


def tag_index(browse: Browse, from_src: str) -> str:
    """Every tag with its number of stories, linked to the tag's own (paginated) page: small at any scale."""
    if not browse.tags.values:
        return "*Ingen emneord endnu.*\n"
    return (
        "\n".join(
            f"- [{text(v.label)}]({href(v.src_uri, from_src)}) ({count_label(v.count)})" for v in browse.tags.values
        )
        + "\n"
    )
