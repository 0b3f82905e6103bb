"""Render step for browsing: story cards, the filter, pagination, the generated facet and tag pages.

Cards and filters are raw HTML blocks (Markdown cannot express `th scope` or `aria-current`), so their links are
final relative URLs computed with MkDocs' own URL rules (addresses.link_between); the tests follow every one of
them. Contributor text is escaped with sanitize's escapers.
"""

from __future__ import annotations

import yaml

from .addresses import AREA_KEY, CONTRIBUTE_SRC, OVERVIEW_SRC, REGISTER_SRC, TAG_INDEX_SRC, TAGS_KEY, link_between
from .facets import (
    Browse,
    FacetValue,
    ListingPage,
)
from .index import Concept, SiteIndex, Story
from .render import chosen_by, count_label, heading_slug, href, kind_in_own_words, linked_by, not_told, story_date
from .sanitize import html_text as h
from .sanitize import markdown_text as text
from .sanitize import url_attribute
from .schema import RULE_KIND_LABELS, ConceptKind


def heading(level: int, anchor: str, inner: str) -> str:
    """A raw-HTML heading with the same copyable permalink the toc extension gives Markdown headings."""
    return (
        f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="#{anchor}" '
        f'title="Link til dette afsnit">&para;</a></h{level}>'
    )


def url(target_src: str, from_src: str, use_directory_urls: bool = True) -> str:
    """Relative URL from one page to another, as MkDocs would write it for a `.md` link; ready for an attribute."""
    return url_attribute(link_between(target_src, from_src, use_directory_urls))


# --- cards ----------------------------------------------------------------------------------------------------------


def freed_from_fact(story: Story, *, with_kind: bool = True) -> str:
    """'Lov om … (Statslig regel, valgt af redaktionen)'; the kind is left out where the rule already names it
    ('Kommunal regel om …': the story's own word, no mark) or the page is that kind's list: then '(slags regel valgt
    af redaktionen)'."""
    if not story.tells_freed_from:
        return not_told(story)
    kind = RULE_KIND_LABELS[story.freed_from_kind]
    if with_kind and not kind_in_own_words(story):
        return f"{h(story.freed_from)} ({h(kind)}, {chosen_by(story)})"
    if kind_in_own_words(story):
        return h(story.freed_from)
    return f"{h(story.freed_from)} (slags regel {chosen_by(story)})"


def card(
    story: Story, index: SiteIndex, from_src: str, udu: bool = True, *, known: frozenset[str] = frozenset()
) -> str:
    """One story as a card. `known`: facet keys the list's own heading already says (no 'Område: Dagtilbud' on
    every card under 'Historier fra området Dagtilbud'). On a hegnspæl's list the card also names the story's
    hegnspæle, marked like its principles."""
    principles = ", ".join(h(index.principles[p].title) for p in story.principles)
    boundaries = ", ".join(h(index.boundaries[b].title) for b in story.boundaries if b in index.boundaries)
    facts = [
        *([] if AREA_KEY in known else [("Område", h(story.area.capitalize()))]),
        ("Dato", story_date(story)),
        ("Principper", f"{principles} ({linked_by(story)})"),
        *([("Hegnspæle", f"{boundaries} ({linked_by(story)})")] if ConceptKind.BOUNDARY.facet_key in known else []),
        ("Fri fra", freed_from_fact(story, with_kind="regel" not in known)),
    ]
    rows = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts)
    return (
        f'<li class="historiekort">\n'
        f'<h3 class="historiekort__titel"><a href="{url(story.src_uri, from_src, udu)}">{h(story.title)}</a></h3>\n'
        f'<p class="historiekort__resume">{h(story.description)}</p>\n'
        f'<dl class="historiekort__fakta">{rows}</dl>\n'
        f"</li>"
    )


def cards(
    stories: list[Story] | tuple[Story, ...],
    index: SiteIndex,
    from_src: str,
    udu: bool = True,
    *,
    known: frozenset[str] = frozenset(),
) -> str:
    items = "\n".join(card(s, index, from_src, udu, known=known) for s in stories)
    return f'<ul class="historiekort-liste">\n{items}\n</ul>'


# --- filter and pagination -------------------------------------------------------------------------------------------


def _current(on_first_page: bool) -> str:
    return ' aria-current="page"' if on_first_page else ' aria-current="true"'


def _count(n: int) -> str:
    return f' <span class="historiefilter__antal">({n})</span>'


FILTER_SUMMARY = "Filtrér historierne"
FILTER_HINT = "område, princip, hegnspæl, fri fra"


def filter_nav(browse: Browse, page: ListingPage, index: SiteIndex, udu: bool = True) -> str:
    """Every facet value with the number of stories its link leads to, folded behind one control (`<details>`,
    no JavaScript needed) so a phone shows the stories first.

    On a filtered page the counts are for that page's set: on an area's page, each principle says how many of the
    area's stories have it, and its link goes to the page for both. A value with no stories is plain text with
    '(0)', never a link to an empty list."""
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
        items = []
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
                items.append(f'<li><span class="historiefilter__tom">{label}</span></li>')
        groups.append(
            f'<div class="historiefilter__gruppe">\n'
            f'<p class="historiefilter__navn" id="filter-{facet.key}">{h(facet.heading)}</p>\n'
            f'<ul aria-labelledby="filter-{facet.key}">\n' + "\n".join(items) + "\n</ul>\n</div>"
        )
    note = ""
    if area or other:
        note = (
            '<p class="historiefilter__note">Tallet ved hvert valg er det antal historier, du ser, når du '
            "vælger det.</p>\n"
        )
    skip = '<p class="spring-over"><a href="#historierne">Gå direkte til historierne</a></p>\n'
    return (
        f'<nav class="historiefilter" aria-label="{FILTER_SUMMARY}">\n'
        f"{chosen_filters(browse, page, udu)}"
        '<details class="historiefilter__fold">\n'
        f'<summary><span class="historiefilter__knap">{FILTER_SUMMARY}</span> '
        f'<span class="historiefilter__hvad">({FILTER_HINT})</span></summary>\n'
        f'<div class="historiefilter__indhold">\n{skip}'
        f'<p class="historiefilter__alle">{everything}</p>\n{note}'
        '<div class="historiefilter__grupper">\n' + "\n".join(groups) + "\n</div>\n</div>\n</details>\n</nav>"
    )


def chosen_filters(browse: Browse, page: ListingPage, udu: bool = True) -> str:
    """Above the folded filter on a filtered page: one link per filter that widens the list by removing it. Named
    by the filter ('Område', 'Princip'), not its value: the heading already says that."""
    area, other = browse.selection(page)
    headings = {f.key: f.heading for f in browse.facets}
    links = [
        f'<a href="{url(browse.src_for(*wider) or OVERVIEW_SRC, page.src_uri, udu)}" '
        f'aria-label="Fjern filteret {h(headings[value.facet_key])}: {h(value.label)}">'
        f'{h(headings[value.facet_key])}<span class="historiefilter__kryds" aria-hidden="true">✕</span></a>'
        for value, wider in ((area, (None, other)), (other, (area, None)))
        if value is not None
    ]
    if not links:
        return ""
    return '<p class="historiefilter__valgte">Fjern filter: ' + " ".join(links) + "</p>\n"


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
    """Filter, results heading, cards and page links: the body shared by the overview and every facet page."""
    parts = [filter_nav(browse, page, index, udu), results_heading(page)]
    if page.stories:
        known = frozenset(v.facet_key for v in page.values)
        parts += [cards(page.stories, index, page.src_uri, udu, known=known), pagination(page, udu)]
    return "\n".join(parts) + "\n"


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: put the listing's HTML where its placeholder is (only listing pages have one)."""
    if LISTING_PLACEHOLDER not in html:
        return html
    page = browse.page(src_uri)
    return html.replace(LISTING_PLACEHOLDER, listing_html(page, browse, index, udu), 1) if page else html


CHOSEN_BY = "Ved hver historie står, hvem der har {what}: fortælleren selv eller redaktionen."


def _intro_for(value: FacetValue, index: SiteIndex, src: str) -> str:
    """What one value's page adds to its heading: a link to read about it, and who chose the links (never the
    heading again)."""
    if value.facet_key == ConceptKind.PRINCIPLE.facet_key:
        return f"{concept_link_as(index.principles[value.id], 'Læs om princippet', src)}. " + CHOSEN_BY.format(
            what="knyttet den til principperne"
        )
    if value.facet_key == ConceptKind.BOUNDARY.facet_key:
        return f"{concept_link_as(index.boundaries[value.id], 'Læs om hegnspælen', src)}. " + CHOSEN_BY.format(
            what="knyttet den til principperne og hegnspælene"
        )
    if value.facet_key == TAGS_KEY:
        return (
            "Emneordene har fortælleren selv eller redaktionen valgt; hvem, står ved emneordene på historien. "
            f"Se [alle emneord]({href(TAG_INDEX_SRC, src)})."
        )
    if value.facet_key == "regel":
        anchor = heading_slug(value.label)
        return (
            "Nævner reglen ikke selv sin slags (som “Kommunal regel om …”), står der ved historien, hvem der har "
            "valgt den: fortælleren selv eller redaktionen. "
            f"Se alle regler og vaner i [“Fri fra”-registeret]({href(REGISTER_SRC, src)}#{anchor})."
        )
    return ""


def _intro(page: ListingPage, index: SiteIndex) -> str:
    if not page.values:
        return "Alle historier om frisættelse, nyeste først."
    return " ".join(filter(None, (_intro_for(v, index, page.src_uri) for v in page.values)))


def concept_link_as(concept: Concept, label: str, from_src: str) -> str:
    """A link to a principle's or hegnspæl's page under a short label (the page's heading already names it)."""
    return f"[{text(label)}]({href(concept.src_uri, from_src)})"


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
    parts = [f"---\n{front}---", f"# {text(title)}{suffix}", _intro(page, index), listing(page)]
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
