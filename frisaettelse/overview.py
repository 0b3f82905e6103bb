"""Render step for browsing: story cards, the filter, pagination, the generated facet and tag pages.

Cards and filters are raw HTML blocks (Markdown cannot express `th scope` or `aria-current`), so their links are
final relative URLs computed with MkDocs' own URL rules (addresses.link_between); the tests follow every one of
them. Contributor text is escaped with sanitize's escapers.
"""

from __future__ import annotations

import yaml

from .addresses import CONTRIBUTE_SRC, OVERVIEW_SRC, REGISTER_SRC, TAG_INDEX_SRC, TAGS_KEY, link_between
from .facets import (
    Browse,
    FacetValue,
    ListingPage,
)
from .index import SiteIndex, Story
from .render import chosen_by, concept_link, count_label, danish_date, heading_slug, href, not_told
from .sanitize import html_text as h
from .sanitize import markdown_text as text
from .schema import RULE_KIND_LABELS, ConceptKind


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


def tag_index(browse: Browse, from_src: str) -> str:
    """Every tag with its number of stories, linked to the tag's own (paginated) page: small at any scale."""
    if not browse.tags.values:
        return "*Ingen emneord endnu.*\n"
    return "\n".join(f"- [{text(v.label)}]({href(v.src_uri, from_src)}) ({count_label(v.count)})"
                     for v in browse.tags.values) + "\n"
