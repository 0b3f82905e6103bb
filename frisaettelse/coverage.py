"""Render step for the coverage page: principles × areas as a table (wide screens) and a list per area (phones)."""

from __future__ import annotations

from . import addresses
from .facets import coverage
from .model import SiteIndex
from .render import heading_slug, macro
from .schema import ConceptKind

SHADES = 3  # how many shades of green a filled cell can have: more stories, stronger


def shade(count: int, peak: int) -> int:
    return max(1, min(SHADES, -(-count * SHADES // max(peak, 1))))


def coverage_section(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Who linked the stories (said once), then principles × areas; a number links to those stories."""
    principles = index.concepts(ConceptKind.PRINCIPLE)
    by_id, data = {c.id: c for c in principles}, coverage(index)
    peak = max([count for _, cells in data for _, count in cells] + [1])
    rows = []
    for area, cells in data:
        combined = (addresses.combined_src(heading_slug(area), ConceptKind.PRINCIPLE.facet_key, p) for p, _ in cells)
        targets = [(by_id[p], src, n, shade(n, peak)) for (p, n), src in zip(cells, combined, strict=True)]
        total = sum(1 for s in index.stories.values() if s.area == area)
        rows.append((area.capitalize(), addresses.facet_src(addresses.AREA_KEY, heading_slug(area)), targets, total))
    by_editors = sum(1 for s in index.stories.values() if s.linked_by_editors)
    section = macro("coverage.html", "coverage")
    return str(section(len(index.stories), by_editors, principles, rows, udu, from_src)) + "\n"
