"""Render step for the coverage page: principles × areas as a table (wide screens) and a list per area (phones)."""

from __future__ import annotations

from .addresses import AREA_KEY
from .model import Browse, SiteIndex
from .render import part
from .schema import ConceptKind

SHADES = 3  # how many shades of green a filled cell can have: more stories, stronger


def shade(count: int, peak: int) -> int:
    return max(1, min(SHADES, -(-count * SHADES // max(peak, 1))))


def coverage_section(browse: Browse, index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Who linked the stories (said once), then principles × areas: each number is the count of the area's filter
    page for that principle, and links to it."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    areas = next(f for f in browse.facets if f.key == AREA_KEY).values
    counts = [[len(browse.combined.get((a.id, c.kind.facet_key, c.id), ())) for c in principles] for a in areas]
    peak = max([n for row in counts for n in row] + [1])
    cells = [[(c, n, shade(n, peak)) for c, n in zip(principles, row, strict=True)] for row in counts]
    rows = list(zip(areas, cells, strict=True))
    return part("coverage.html", "coverage", index, principles, rows, udu, from_src) + "\n"
