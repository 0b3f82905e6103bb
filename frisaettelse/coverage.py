"""Render step for the coverage page: principles × areas as one table, shaded by how many stories there are.

On a wide screen the table is the picture: a filled cell links to the stories of that area and principle, an empty
cell stays empty (the page says once what that means). On a phone the same numbers are a list per area (only the
areas with stories; the rest are named once), since five principle columns do not fit.
"""

from __future__ import annotations

from . import addresses
from .facets import coverage
from .model import SiteIndex
from .overview import url
from .render import heading_slug, inset
from .sanitize import html_text as h
from .schema import ConceptKind

SHADES = 3  # how many shades of green a filled cell can have: more stories, stronger


def shade(count: int, peak: int) -> int:
    """1 (few) … SHADES (the most anywhere in the table)."""
    return max(1, min(SHADES, -(-count * SHADES // max(peak, 1))))


def coverage_table(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Principles × areas as an HTML table: the number in a cell links to those stories; an empty cell is empty."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    data = coverage(index)
    peak = max([count for _, cells in data for _, count in cells] + [1])
    head = "".join(
        f'<th scope="col"><a href="{url(addresses.facet_src(c.kind.facet_key, c.id), from_src, udu)}">'
        f"{c.number}. {h(c.title)}</a></th>"
        for c in principles
    )
    rows = []
    for area, cells in data:
        area_id = heading_slug(area)
        total = sum(1 for s in index.stories.values() if s.area == area)
        tds = []
        for pid, count in cells:
            if not count:
                tds.append('<td class="daekning__tom"><span class="visuelt-skjult">0</span></td>')
                continue
            target = addresses.combined_src(area_id, ConceptKind.PRINCIPLE.facet_key, pid)
            tds.append(
                f'<td class="daekning__antal daekning__antal--{shade(count, peak)}">'
                f'<a href="{url(target, from_src, udu)}">{count}</a></td>'
            )
        area_src = addresses.facet_src(addresses.AREA_KEY, area_id)
        rows.append(
            f'<tr><th scope="row"><a href="{url(area_src, from_src, udu)}">{h(area.capitalize())}</a></th>'
            f'{"".join(tds)}<td class="daekning__ialt">{total}</td></tr>'
        )
    return (
        '<div class="daekning-tabel">\n<table class="daekning">\n'
        "<caption>Antal historier pr. område (rækker) og princip (kolonner). Tomme felter: ingen historier endnu. "
        "Jo kraftigere farve, jo flere historier.</caption>\n"
        f'<thead><tr><th scope="col">Område</th>{head}<th scope="col">Historier i alt</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>"
    )


def coverage_list(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """The same numbers as the table, as a list per area for a narrow screen: each area with stories, its total and
    the principles it has stories for; the areas without stories named once."""
    principles = {c.id: c for c in index.concepts(ConceptKind.PRINCIPLE)}
    sections, empty = [], []
    for area, cells in coverage(index):
        area_id = heading_slug(area)
        total = sum(1 for s in index.stories.values() if s.area == area)
        if not total:
            empty.append(h(area.capitalize()))
            continue
        items = "".join(
            f'<li><a href="{url(addresses.combined_src(area_id, ConceptKind.PRINCIPLE.facet_key, pid), from_src, udu)}">'
            f"{principles[pid].number}. {h(principles[pid].title)}</a>: {count}</li>"
            for pid, count in cells
            if count
        )
        area_src = addresses.facet_src(addresses.AREA_KEY, area_id)
        total_text = "1 historie" if total == 1 else f"{total} historier"
        sections.append(
            f'<li><p class="daekning-liste__omraade"><a href="{url(area_src, from_src, udu)}">{h(area.capitalize())}'
            f"</a>: {total_text} i alt</p><ul>{items}</ul></li>"
        )
    none = f'<p class="daekning-liste__tom">Ingen historier endnu fra: {", ".join(empty)}.</p>' if empty else ""
    return '<div class="daekning-liste">\n<ul>\n' + "\n".join(sections) + f"\n</ul>\n{none}\n</div>"


TOTALS_NOTE = (
    "En historie kan være knyttet til flere principper og tæller med under hvert af dem. Derfor kan tallene i en "
    "række give mere end rækkens «i alt», som tæller hver historie én gang."
)


def linked_by_sentence(index: SiteIndex) -> str:
    """Who linked the stories the coverage counts: 'Redaktionen har knyttet alle 5 historier til deres principper.'"""
    total = len(index.stories)
    by_editors = sum(1 for s in index.stories.values() if s.linked_by_editors)
    if not total:
        return ""
    if not by_editors:
        return "Fortællerne har selv knyttet alle historierne til deres principper."
    if total == 1:
        return "Redaktionen har knyttet historien til dens principper."
    if by_editors == total:
        every = "begge" if total == 2 else f"alle {total}"
        return f"Redaktionen har knyttet {every} historier til deres principper."
    return (
        f"Redaktionen har knyttet {by_editors} af de {total} historier til deres principper; "
        "fortællerne har selv knyttet resten."
    )


def coverage_section(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Who chose the links (once, as inset text), how the totals count, then the table and the phone's list."""
    sentence = linked_by_sentence(index)
    return (
        inset(sentence)
        + f'<p class="daekning-hvem">{TOTALS_NOTE}</p>\n'
        + coverage_table(index, from_src, udu)
        + "\n"
        + coverage_list(index, from_src, udu)
        + "\n"
    )
