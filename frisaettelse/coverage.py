"""Render step for the coverage page: principles × areas, as a picture and as a table."""

from __future__ import annotations

from . import addresses
from .addresses import CONTRIBUTE_SRC
from .addresses import link_between as url
from .facets import (
    coverage,
    coverage_by_editors,
)
from .index import SiteIndex
from .render import heading_slug
from .sanitize import html_text as h
from .schema import ConceptKind


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
