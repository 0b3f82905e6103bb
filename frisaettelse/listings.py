"""Render step for browsing: story cards, filter and facet pages, the 'Fri fra'-register, the coverage table and picture.

Cards, filters and the coverage table are raw HTML blocks (Markdown cannot express `<caption>`, `th scope` or
`aria-current`), so their links are final relative URLs computed with MkDocs' own URL rules; the tests follow
every one of them. Text from contributors is HTML-escaped here (raw HTML is not Markdown-escaped).
"""

from __future__ import annotations

import yaml

from . import addresses
from .addresses import CONTRIBUTE_SRC, OVERVIEW_SRC, REGISTER_SRC, TAG_INDEX_SRC, TAGS_KEY, link_between
from .facets import (Browse, FacetValue, ListingPage, coverage, coverage_by_editors, freed_from_register,
                     freed_from_untold)
from .index import SiteIndex, Story
from .render import chosen_by, concept_link, count_label, danish_date, heading_slug, href, not_told, story_link
from .sanitize import html_text as h
from .sanitize import markdown_text as text
from .schema import FREED_FROM_KIND_LABELS, NOT_TOLD, RULE_KIND_LABELS, ConceptKind



def heading(level: int, anchor: str, inner: str) -> str:
    """A raw-HTML heading with the same copyable permalink the toc extension gives Markdown headings."""
    return (f'<h{level} id="{anchor}">{inner}<a class="headerlink" href="#{anchor}" '
            f'title="Link til dette afsnit">&para;</a></h{level}>')


def url(target_src: str, from_src: str, use_directory_urls: bool = True) -> str:
    """Relative URL from one page to another, as MkDocs would write it for a `.md` link."""
    return link_between(target_src, from_src, use_directory_urls)


# --- cards ----------------------------------------------------------------------------------------------------------

def card(story: Story, index: SiteIndex, from_src: str, udu: bool = True) -> str:
    principles = ", ".join(h(index.principles[p].title) for p in story.principles)
    freed_from = (f"{h(story.freed_from)} ({h(RULE_KIND_LABELS[story.freed_from_kind])}, {chosen_by(story)})"
                  if story.tells_freed_from else not_told(story))
    facts = [
        ("Område", h(story.area.capitalize())),
        ("Fortalt", f'<time datetime="{story.date.isoformat()}">{danish_date(story.date)}</time>'),
        ("Principper", f"{principles} ({chosen_by(story)})"),
        ("Fri fra", freed_from),
    ]
    rows = "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts)
    return (
        f'<li class="historiekort">\n'
        f'<h3 class="historiekort__titel"><a href="{url(story.src_uri, from_src, udu)}">{h(story.title)}</a></h3>\n'
        f'<p class="historiekort__resume">{h(story.description)}</p>\n'
        f'<dl class="historiekort__fakta">{rows}</dl>\n'
        f"</li>"
    )


def cards(stories: list[Story] | tuple[Story, ...], index: SiteIndex, from_src: str, udu: bool = True) -> str:
    items = "\n".join(card(s, index, from_src, udu) for s in stories)
    return f'<ul class="historiekort-liste">\n{items}\n</ul>'


# --- filter and pagination -------------------------------------------------------------------------------------------

def _current(is_current: bool, on_first_page: bool) -> str:
    if not is_current:
        return ""
    return ' aria-current="page"' if on_first_page else ' aria-current="true"'


def filter_nav(browse: Browse, page: ListingPage, index: SiteIndex, udu: bool = True) -> str:
    """Links to every facet value with its count (0 too: that is where nobody has tried yet)."""
    src = page.src_uri
    first = page.number == 1
    total = len(index.stories)
    everything = (f'<a href="{url(OVERVIEW_SRC, src, udu)}"{_current(page.value is None, first)}>'
                  f'Alle historier <span class="historiefilter__antal">({total})</span></a>')
    groups = []
    empty = ' class="historiefilter__tom"'
    for facet in browse.facets:
        items = "\n".join(
            f'<li><a href="{url(v.src_uri, src, udu)}"{_current(v == page.value, first)}{"" if v.count else empty}>'
            f'{h(v.label)} <span class="historiefilter__antal">({v.count})</span></a></li>'
            for v in facet.values
        )
        groups.append(f'<div class="historiefilter__gruppe">\n{heading(3, f"filter-{facet.key}", h(facet.heading))}\n'
                      f'<ul aria-labelledby="filter-{facet.key}">\n{items}\n</ul>\n</div>')
    return (
        '<nav class="historiefilter" aria-labelledby="filter-overskrift">\n'
        f'{heading(2, "filter-overskrift", "Find historier")}\n'
        f'<p class="historiefilter__alle">{everything}</p>\n'
        f'<div class="historiefilter__grupper">\n' + "\n".join(groups) + "\n</div>\n</nav>"
    )


def pagination(page: ListingPage, udu: bool = True) -> str:
    """Page links for a list longer than one page; nothing for a short list."""
    if page.count == 1:
        return ""
    src = page.src_uri
    hidden = '<span class="visuelt-skjult">Side </span>'
    items = []
    if page.number > 1:
        items.append(f'<li><a href="{url(page.page_srcs[page.number - 2], src, udu)}" rel="prev">'
                     f'‹ Forrige<span class="visuelt-skjult"> side</span></a></li>')
    for n, target in enumerate(page.page_srcs, start=1):
        current = ' aria-current="page"' if n == page.number else ""
        items.append(f'<li><a href="{url(target, src, udu)}"{current}>{hidden}{n}</a></li>')
    if page.number < page.count:
        items.append(f'<li><a href="{url(page.page_srcs[page.number], src, udu)}" rel="next">'
                     f'Næste<span class="visuelt-skjult"> side</span> ›</a></li>')
    return ('<nav class="sidevalg" aria-label="Sider i listen">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>")


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
    return (LISTING_PLACEHOLDER + "\n\n"
            f"*Ingen historier endnu.* [Del din historie]({href(CONTRIBUTE_SRC, page.src_uri)}) "
            "– så bliver den den første her.\n")


def listing_html(page: ListingPage, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """Filter, results heading, cards and page links: the body shared by the overview and every facet page."""
    skip = '<p class="spring-over"><a href="#historierne">Gå direkte til historierne</a></p>'
    parts = [skip, filter_nav(browse, page, index, udu), results_heading(page)]
    if page.stories:
        parts += [cards(page.stories, index, page.src_uri, udu), pagination(page, udu)]
    return "\n".join(parts) + "\n"


def fill_listing(html: str, src_uri: str, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """on_page_content: put the listing's HTML where its placeholder is (only listing pages have one)."""
    if LISTING_PLACEHOLDER not in html:
        return html
    page = browse.page(src_uri)
    return html.replace(LISTING_PLACEHOLDER, listing_html(page, browse, index, udu), 1) if page else html



def _intro(value: FacetValue, index: SiteIndex, src: str) -> str:
    if value.facet_key == ConceptKind.PRINCIPLE.facet_key:
        return (f"Historier knyttet til princippet {concept_link(index.principles[value.id], src)}. "
                "Ved hver historie står, hvem der har valgt principperne: fortælleren selv eller redaktionen.")
    if value.facet_key == ConceptKind.BOUNDARY.facet_key:
        return (f"Historier knyttet til hegnspælen {concept_link(index.boundaries[value.id], src)}. "
                "Ved hver historie står, hvem der har valgt principperne og hegnspælene: fortælleren selv eller "
                "redaktionen.")
    if value.facet_key == TAGS_KEY:
        return f"Se [alle emneord]({href(TAG_INDEX_SRC, src)})."
    if value.facet_key == "regel":
        anchor = heading_slug(value.label)
        return (f"Historier om frisættelse fra en {text(value.label.lower())}. Ved hver historie står, hvem der "
                "har valgt slags regel: fortælleren selv eller redaktionen. "
                f"Se alle regler og vaner i [“Fri fra”-registeret]({href(REGISTER_SRC, src)}#{anchor}).")
    return ""


def facet_page(page: ListingPage, browse: Browse, index: SiteIndex, udu: bool = True) -> str:
    """The whole Markdown (front-matter included) of a generated listing page."""
    value = page.value
    title = value.title if value else "Historier fra praksis"
    suffix = f" (side {page.number})" if page.number > 1 else ""
    meta = {
        "title": title + suffix,
        "description": f"{title}: {count_label(page.total)}, nyeste først.",
        "render_macros": False,
        "search": {"exclude": True},  # the stories themselves are in the search index; lists would only repeat them
        "hide": ["toc"],
    }
    intro = _intro(value, index, page.src_uri) if value else "Alle historier om frisættelse, nyeste først."
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    parts = [f"---\n{front}---", f"# {text(title)}{suffix}", intro, listing(page)]
    return "\n\n".join(p for p in parts if p)


# --- the 'Fri fra'-register -------------------------------------------------------------------------------------------

REGISTER_LIMIT = 100  # per kind, newest first: the page stays small; the kind's filter pages have them all


def tag_index(browse: Browse, from_src: str) -> str:
    """Every tag with its number of stories, linked to the tag's own (paginated) page: small at any scale."""
    if not browse.tags.values:
        return "*Ingen emneord endnu.*\n"
    return "\n".join(f"- [{text(v.label)}]({href(v.src_uri, from_src)}) ({count_label(v.count)})"
                     for v in browse.tags.values) + "\n"


def register(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Every rule or habit a story was freed from, grouped by kind, each linked to its story."""
    parts = []
    for kind, stories in freed_from_register(index):
        label = RULE_KIND_LABELS[kind]
        facet_src = addresses.facet_src("regel", heading_slug(kind))
        parts.append(f"## {text(label)}\n")
        if stories:
            shown = stories[:REGISTER_LIMIT]
            parts.append("\n".join(
                f"- **{text(s.freed_from)}** – {story_link(s, from_src)} "
                f"*({text(s.area.capitalize())}, {danish_date(s.date)}; slags regel {chosen_by(s)})*"
                for s in shown))
            more = f"De {len(shown)} nyeste er vist her. " if len(stories) > len(shown) else ""
            parts.append(f"\n{more}[Se alle som kort: {text(label.lower())} "
                         f"({count_label(len(stories))})]({href(facet_src, from_src)})\n")
        else:
            parts.append(f"*Ingen historier endnu.* [Del din historie]({href(CONTRIBUTE_SRC, from_src)})\n")
    untold = freed_from_untold(index)
    if untold:
        parts.append(f"## {FREED_FROM_KIND_LABELS[NOT_TOLD]} {{ #ikke-oplyst }}\n")
        parts.append(f"{count_label(len(untold)).capitalize()} siger ikke, hvad medarbejderne blev sat fri fra. "
                     "De tælles ikke med ovenfor.\n")
        parts.append("\n".join(
            f"- {story_link(s, from_src)} *({text(s.area.capitalize())}, {danish_date(s.date)})* – "
            f"{not_told(s).lower()}" for s in untold[:REGISTER_LIMIT]) + "\n")
    return "\n".join(parts) + "\n"


# --- the coverage table and picture ------------------------------------------------------------------------------------

def coverage_table(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Principles × areas as an HTML table; an empty cell invites a story."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    contribute = url(CONTRIBUTE_SRC, from_src, udu)
    by_editors = coverage_by_editors(index)
    head = "".join(f'<th scope="col"><a href="{url(addresses.facet_src(c.kind.facet_key, c.id), from_src, udu)}">'
                   f'{c.number}. {h(c.title)}</a></th>' for c in principles)
    rows = []
    for area, cells in coverage(index):
        area_src = addresses.facet_src("omraade", heading_slug(area))
        total = sum(1 for s in index.stories.values() if s.area == area)
        tds = "".join(
            f'<td class="daekning__antal">{count}{_editors_note(count, by_editors.get((area, pid), 0))}</td>'
            if count else
            f'<td class="daekning__tom">Ingen historier endnu – <a href="{contribute}">del din</a></td>'
            for pid, count in cells
        )
        rows.append(f'<tr><th scope="row"><a href="{url(area_src, from_src, udu)}">{h(area.capitalize())}</a></th>'
                    f'{tds}<td class="daekning__ialt">{total}</td></tr>')
    return (
        '<div class="daekning-tabel">\n<table class="daekning">\n'
        "<caption>Antal historier pr. område (rækker) og princip (kolonner). En historie kan være knyttet til "
        "flere principper. Ved hvert tal står, hvor mange af historierne redaktionen har knyttet til princippet; "
        "resten har fortællerne selv knyttet.</caption>\n"
        f'<thead><tr><th scope="col">Område</th>{head}<th scope="col">Historier i alt</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


def _editors_note(count: int, by_editors: int) -> str:
    """'knyttet af redaktionen' (all), 'heraf 2 knyttet af redaktionen' (some), nothing when tellers made them all."""
    if not by_editors:
        return ""
    which = "knyttet af redaktionen" if by_editors == count else f"heraf {by_editors} knyttet af redaktionen"
    return f' <span class="daekning__koblet">({which})</span>'


def coverage_svg(index: SiteIndex) -> str:
    """The same numbers as a picture: filled squares where stories exist, dashed gaps where none do yet."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    data = coverage(index)
    label_w, cell, gap, top = 150, 52, 6, 34
    width = label_w + len(principles) * (cell + gap)
    height = top + len(data) * (cell + gap)
    peak = max([count for _, cells in data for _, count in cells] + [1])
    shapes = []
    for col, concept in enumerate(principles):
        x = label_w + col * (cell + gap) + cell / 2
        shapes.append(f'<text x="{x:.0f}" y="22" text-anchor="middle" class="daekning-svg__kolonne">'
                      f"{concept.number}</text>")
    for row, (area, cells) in enumerate(data):
        y = top + row * (cell + gap)
        shapes.append(f'<text x="{label_w - 10}" y="{y + cell / 2 + 5:.0f}" text-anchor="end">'
                      f"{h(area.capitalize())}</text>")
        for col, (_, count) in enumerate(cells):
            x = label_w + col * (cell + gap)
            if count:
                shade = 0.3 + 0.7 * count / peak
                light = " daekning-svg__tal--lys" if shade < 0.75 else ""  # dark digits on a light square
                shapes.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="4" '
                              f'class="daekning-svg__fyldt" fill-opacity="{shade:.2f}"/>'
                              f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 6:.0f}" text-anchor="middle" '
                              f'class="daekning-svg__tal{light}">{count}</text>')
            else:
                shapes.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="4" '
                              f'class="daekning-svg__tom"/>')
    described = "; ".join(
        f"{area.capitalize()}: " + (", ".join(f"{count} under princip {c.number}"
                                             for c, (_, count) in zip(principles, cells) if count)
                                    or "ingen historier endnu")
        for area, cells in data)
    legend = "; ".join(f"{c.number}: {c.title}" for c in principles)
    return (
        f'<svg class="daekning-svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="daekning-svg-titel daekning-svg-beskrivelse" xmlns="http://www.w3.org/2000/svg">\n'
        '<title id="daekning-svg-titel">Dækningsoversigt: historier pr. område og princip</title>\n'
        f'<desc id="daekning-svg-beskrivelse">Antal historier: {h(described)}. Principperne er {h(legend)}.</desc>\n'
        + "\n".join(shapes) + "\n</svg>"
    )


def linked_by_sentence(index: SiteIndex) -> str:
    """Who chose the principles the coverage counts: 'Redaktionen har valgt principperne for 5 af de 5 historier.'"""
    total = len(index.stories)
    by_editors = sum(1 for s in index.stories.values() if s.linked_by_editors)
    if not total:
        return ""
    if not by_editors:
        return "Fortællerne har selv valgt principperne for alle historierne."
    if total == 1:
        return "Redaktionen har valgt principperne for historien."
    if by_editors == total:
        return f"Redaktionen har valgt principperne for alle {total} historier."
    return (f"Redaktionen har valgt principperne for {by_editors} af de {total} historier; "
            "fortællerne har selv valgt dem for resten.")


def coverage_section(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    principles = index.concepts(ConceptKind.PRINCIPLE)
    legend = "".join(f"<li>{h(c.title)}</li>" for c in principles)
    return (
        '<figure class="daekning-figur">\n' + coverage_svg(index) + "\n"
        '<figcaption>Fyldte felter: der findes historier (mørkere jo flere). Stiplede felter: ingen historier endnu. '
        f"{linked_by_sentence(index)} Kolonnerne er aftalens fem principper:"
        f'<ol class="daekning-figur__principper">{legend}</ol></figcaption>\n</figure>\n\n'
        + coverage_table(index, from_src, udu) + "\n"
    )
