"""Render step for browsing: story cards, the filter, pagination, the generated facet and tag pages.

Cards and filters are raw HTML blocks (Markdown cannot express `th scope` or `aria-current`), so their links are
final relative URLs computed with MkDocs' own URL rules (addresses.link_between); the tests follow every one of
them. Contributor text is escaped with sanitize's escapers.
"""

from __future__ import annotations

import yaml

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
from .render import count_label, editors_note, heading_slug, href, inset, link, story_cards, url
from .sanitize import html_text as h
from .sanitize import markdown_text as text
from .schema import ConceptKind


def heading(level: int, anchor: str, inner: str) -> str:
    """A raw-HTML heading with the same copyable permalink the toc extension gives Markdown headings."""
    return (
        f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="#{anchor}" '
        f'title="Link til dette afsnit">&para;</a></h{level}>'
    )


def _current(on_first_page: bool) -> str:
    return ' aria-current="page"' if on_first_page else ' aria-current="true"'


def _count(n: int) -> str:
    return f' <span class="historiefilter__antal">({n})</span>'


FILTER_SUMMARY = "Filtrér historierne"
FILTER_HINT = "område, princip, hegnspæl, fri fra"
FILTER_ID = "filtrer"


def filter_nav(browse: Browse, page: ListingPage, index: SiteIndex, udu: bool = True) -> str:
    """Every facet value that has stories, with the number its link leads to, folded behind one control
    (`<details>`, closed at every width, no JavaScript needed). It comes after the stories.

    On a filtered page the counts are for that page's set: on an area's page, each principle says how many of the
    area's stories have it, and its link goes to the page for both. The values with no stories are no choice:
    they are named once, quietly, under their group."""
    src = page.src_uri
    first = page.number == 1
    area, other = browse.selection(page)
    on_overview = not page.values
    everything = (
        f'<a href="{url(OVERVIEW_SRC, src, udu)}"{_current(first) if on_overview else ""}>'
        f"Alle historier{_count(browse.total)}</a>"
    )
    groups = []
    for facet in browse.facets:
        items, empty = [], []
        for v in facet.values:
            target = (v, other) if facet.key == AREA_KEY else (area, v)
            count = browse.count(*target)
            label = h(v.label) + _count(count)
            target_src = browse.src_for(*target)
            if v in (area, other):
                items.append(f'<li><a href="{url(target_src or src, src, udu)}"{_current(first)}>{label}</a></li>')
            elif count and target_src:
                items.append(f'<li><a href="{url(target_src, src, udu)}">{label}</a></li>')
            else:
                empty.append(h(v.label))
        listed = f'<ul aria-labelledby="filter-{facet.key}">\n' + "\n".join(items) + "\n</ul>\n" if items else ""
        none = f'<p class="historiefilter__tom">Ingen historier endnu: {", ".join(empty)}.</p>\n' if empty else ""
        groups.append(
            f'<div class="historiefilter__gruppe">\n'
            f'<p class="historiefilter__navn" id="filter-{facet.key}">{h(facet.heading)}</p>\n{listed}{none}</div>'
        )
    note = ""
    if area or other:
        note = (
            '<p class="historiefilter__note">Tallet ved hvert valg er det antal historier, du ser, når du '
            "vælger det.</p>\n"
        )
    return (
        f'<nav class="historiefilter" id="{FILTER_ID}" aria-label="{FILTER_SUMMARY}">\n'
        '<details class="historiefilter__fold">\n'
        f'<summary><span class="historiefilter__knap">{FILTER_SUMMARY}</span> '
        f'<span class="historiefilter__hvad">({FILTER_HINT})</span></summary>\n'
        f'<div class="historiefilter__indhold">\n'
        f'<p class="historiefilter__alle">{everything}</p>\n{note}'
        '<div class="historiefilter__grupper">\n' + "\n".join(groups) + "\n</div>\n</div>\n</details>\n</nav>"
    )


def chosen_filters(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """Below the short heading of a filtered page: the chosen values, each a link that widens the list by removing
    it ("Dagtilbud ✕", said as "Fjern filteret Dagtilbud")."""
    area, other = browse.selection(page)
    links = [
        f'<a href="{url(browse.src_for(*wider) or OVERVIEW_SRC, page.src_uri, udu)}" '
        f'aria-label="Fjern filteret {h(value.label)}">'
        f'{h(value.label)}<span class="historiefilter__kryds" aria-hidden="true">✕</span></a>'
        for value, wider in ((area, (None, other)), (other, (area, None)))
        if value is not None
    ]
    if not links:
        return ""
    return '<p class="historiefilter__valgte">Valgte filtre: ' + " ".join(links) + "</p>\n"


def pagination(page: ListingPage, udu: bool = True) -> str:
    """Page links for a list longer than one page; nothing for a short list."""
    if page.count == 1:
        return ""
    src = page.src_uri
    hidden = '<span class="visuelt-skjult">Side </span>'
    items = []
    if page.number > 1:
        items.append(
            f'<li><a href="{url(page.page_srcs[page.number - 2], src, udu)}" rel="prev">'
            f'‹ Forrige<span class="visuelt-skjult"> side</span></a></li>'
        )
    for n, target in enumerate(page.page_srcs, start=1):
        current = ' aria-current="page"' if n == page.number else ""
        items.append(f'<li><a href="{url(target, src, udu)}"{current}>{hidden}{n}</a></li>')
    if page.number < page.count:
        items.append(
            f'<li><a href="{url(page.page_srcs[page.number], src, udu)}" rel="next">'
            f'Næste<span class="visuelt-skjult"> side</span> ›</a></li>'
        )
    return '<nav class="sidevalg" aria-label="Sider i listen">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>"


def results_heading(page: ListingPage) -> str:
    label = "1 historie" if page.total == 1 else f"{page.total} historier"
    if page.total > 1:
        label += ", nyeste først"
    if page.count > 1:
        label += f" – side {page.number} af {page.count}"
    return heading(2, "historierne", label)


def _jump_to_filter() -> str:
    return f'<p class="spring-over"><a href="#{FILTER_ID}">{FILTER_SUMMARY}</a> (efter historierne)</p>'


LISTING_PLACEHOLDER = "<!-- frisaettelse:historieliste -->"


def listing(page: ListingPage) -> str:
    """The Markdown of a listing: a placeholder that `listing_html` fills in after Markdown has run.

    Filters and cards are ready-made HTML (hundreds of cards per build). Run through Markdown's HTML-block
    parser they were the costliest step of the whole build, so they skip it. The empty state stays Markdown,
    so MkDocs validates its link."""
    if page.stories:
        return LISTING_PLACEHOLDER + "\n"
    return (
        LISTING_PLACEHOLDER + "\n\n"
        f"*Ingen historier endnu.* [Del din historie]({href(CONTRIBUTE_SRC, page.src_uri)}) "
        "– så bliver den den første her.\n"
    )


def listing_html(page: ListingPage, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """Chosen filters, results heading, cards, page links, then the folded filter: the body shared by the overview
    and every facet page. The stories come first at every width."""
    parts = [chosen_filters(browse, page, udu), results_heading(page)]
    if page.stories:
        linked = next((v.facet_key for v in page.values if v.facet_key in COMBINED_KEYS), None)
        mark = "" if linked is None else "knyttet" if linked in _LINKED_WHAT else "valgt"
        parts += [
            _jump_to_filter(),
            story_cards(page.stories, page.src_uri, udu, mark_teller=mark).rstrip("\n"),
            pagination(page, udu),
        ]
    parts.append(filter_nav(browse, page, index, udu))
    return "\n".join(p for p in parts if p) + "\n"


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: put the listing's HTML where its placeholder is (only listing pages have one)."""
    if LISTING_PLACEHOLDER not in html:
        return html
    page = browse.page(src_uri)
    return html.replace(LISTING_PLACEHOLDER, listing_html(page, browse, index, udu), 1) if page else html


def _intro_for(value: FacetValue, index: SiteIndex, src: str) -> str:
    """What one value's page adds to its heading: a link to read about it (never the heading again)."""
    if value.facet_key == ConceptKind.PRINCIPLE.facet_key:
        return f"{link('Læs om princippet', index.principles[value.id].src_uri, src)}."
    if value.facet_key == ConceptKind.BOUNDARY.facet_key:
        return f"{link('Læs om hegnspælen', index.boundaries[value.id].src_uri, src)}."
    if value.facet_key == TAGS_KEY:
        return f"Se [alle emneord]({href(TAG_INDEX_SRC, src)})."
    if value.facet_key == "regel":
        anchor = heading_slug(value.label)
        return f"Se alle regler og vaner i [registeret over regler]({href(REGISTER_SRC, src)}#{anchor})."
    return ""


_LINKED_WHAT = {ConceptKind.PRINCIPLE.facet_key: "princippet", ConceptKind.BOUNDARY.facet_key: "hegnspælen"}


def _intro(page: ListingPage, index: SiteIndex) -> str:
    """Links to read more, then who made the links the list is built on, said once (the cards mark exceptions)."""
    links = " ".join(filter(None, (_intro_for(v, index, page.src_uri) for v in page.values)))
    linked = [v for v in page.values if v.facet_key in COMBINED_KEYS]
    stories = linked[-1].stories if linked else ()
    tag = next((v for v in page.values if v.facet_key == TAGS_KEY), None)
    if tag is not None:  # a tag page: the list is built on the tags, a choice too
        note = inset(editors_note(tag.stories, "emneordene", verb="valgt"))
    elif linked and linked[-1].facet_key in _LINKED_WHAT:
        note = inset(editors_note(stories, _LINKED_WHAT[linked[-1].facet_key]))
    else:
        note = inset(editors_note(stories, "slags regel for historierne", verb="valgt"))
    return "\n\n".join(p for p in (links, note.strip()) if p)


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
    parts = [f"---\n{front}---", f"# {shown}{suffix}", _intro(page, index), listing(page)]
    return "\n\n".join(p for p in parts if p)


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
