"""Render step for the 'Fri fra'-register: every rule or habit the stories were freed from, grouped by kind."""

from __future__ import annotations

from . import addresses
from .addresses import CONTRIBUTE_SRC
from .facets import (
    freed_from_register,
    freed_from_untold,
)
from .index import SiteIndex
from .render import count_label, danish_date, editors_note, heading_slug, href, inset, link, not_told, story_link
from .sanitize import markdown_text as text
from .schema import FREED_FROM_KIND_LABELS, NOT_TOLD, RULE_KIND_LABELS

REGISTER_LIMIT = 100  # per kind, newest first: the page stays small; the kind's filter pages have them all


def register(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Every rule or habit a story was freed from, grouped by kind: each rule once, as the link to its story, with
    its area and date. Who chose the kinds is said once, above the lists; only the exceptions are marked."""
    groups = freed_from_register(index)
    told = [s for _, stories in groups for s in stories]
    parts = [inset(editors_note(told, "slags regel for historierne", verb="valgt")).strip()] if told else []
    mixed = any(s.linked_by_editors for s in told)
    for kind, stories in groups:
        label = RULE_KIND_LABELS[kind]
        facet_src = addresses.facet_src("regel", heading_slug(kind))
        parts.append(f"## {text(label)}\n")
        if stories:
            shown = stories[:REGISTER_LIMIT]
            parts.append(
                "\n".join(
                    f"- {link(s.freed_from, s.src_uri, from_src)} – {text(s.area.capitalize())}, "
                    f"{danish_date(s.date)}" + ("; valgt af fortælleren" if mixed and not s.linked_by_editors else "")
                    for s in shown
                )
            )
            more = f"De {len(shown)} nyeste er vist her. " if len(stories) > len(shown) else ""
            parts.append(
                f"\n{more}[Alle historier om {text(label.lower())} ({len(stories)})]({href(facet_src, from_src)})\n"
            )
        else:
            parts.append(f"*Ingen historier endnu.* [Del din historie]({href(CONTRIBUTE_SRC, from_src)})\n")
    untold = freed_from_untold(index)
    if untold:
        parts.append(f"## {FREED_FROM_KIND_LABELS[NOT_TOLD]} {{ #ikke-oplyst }}\n")
        parts.append(
            f"{count_label(len(untold)).capitalize()} siger ikke, hvad medarbejderne blev sat fri fra. "
            "De tælles ikke med ovenfor.\n"
        )
        parts.append(
            "\n".join(
                f"- {story_link(s, from_src)} – {text(s.area.capitalize())}, {danish_date(s.date)}: "
                f"{not_told(s).lower()}"
                for s in untold[:REGISTER_LIMIT]
            )
            + "\n"
        )
    return "\n".join(parts) + "\n"
