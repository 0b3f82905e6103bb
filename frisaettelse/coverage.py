"""Render step for the coverage page: principles × areas as a table (wide screens) and a list per area (phones)."""

from __future__ import annotations

from .facets import coverage
from .model import SiteIndex
from .render import part
from .schema import ConceptKind

SHADES = 3  # how many shades of green a filled cell can have: more stories, stronger


def shade(count: int, peak: int) -> int:
    return max(1, min(SHADES, -(-count * SHADES // max(peak, 1))))


def coverage_section(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Who linked the stories (said once), then principles × areas; a number links to those stories."""
    principles, data = index.concepts(ConceptKind.PRINCIPLE), coverage(index)
    peak = max([count for _, cells in data for _, count in cells] + [1])
    rows = []
    for area, cells in data:
        total = sum(1 for s in index.stories.values() if s.area == area)
        rows.append((area, [(c, n, shade(n, peak)) for c, (_, n) in zip(principles, cells, strict=True)], total))
    return part("coverage.html", "coverage", index, principles, rows, udu, from_src) + "\n"
