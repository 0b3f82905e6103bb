"""Render step for the coverage page: principles × areas as one table, shaded by how many stories there are.

On a wide screen the table is the picture: a filled cell links to the stories of that area and principle, an empty
cell stays empty (the page says once what that means). On a phone the same numbers are a list per area (only the
areas with stories; the rest are named once), since five principle columns do not fit.
"""

from __future__ import annotations

from . import addresses
from .facets import coverage
from .model import SiteIndex
from .render import heading_slug, macro
from .schema import ConceptKind

SHADES = 3  # how many shades of green a filled cell can have: more stories, stronger


def shade(count: int, peak: int) -> int:
    """1 (few) … SHADES (the most anywhere in the table)."""
    return max(1, min(SHADES, -(-count * SHADES // max(peak, 1))))


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
    """Who chose the links (once, as inset text), how the totals count, then principles × areas as a table (a
    number links to those stories; an empty cell is empty) and the same numbers as a list per area for a phone."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    by_id = {c.id: c for c in principles}
    data = coverage(index)
    peak = max([count for _, cells in data for _, count in cells] + [1])
    rows = []
    for area, cells in data:
        area_id = heading_slug(area)
        total = sum(1 for s in index.stories.values() if s.area == area)
        targets = [
            (
                by_id[pid],
                addresses.combined_src(area_id, ConceptKind.PRINCIPLE.facet_key, pid),
                count,
                shade(count, peak),
            )
            for pid, count in cells
        ]
        rows.append((area.capitalize(), addresses.facet_src(addresses.AREA_KEY, area_id), targets, total))
    empty = [area for area, _, _, total in rows if not total]
    section = macro("coverage.html", "coverage")
    return str(section(linked_by_sentence(index), TOTALS_NOTE, principles, rows, empty, udu, from_src)) + "\n"
