"""Render step for the 'Fri fra'-register: every rule or habit the stories were freed from, grouped by kind."""

from __future__ import annotations

from . import addresses
from .addresses import CONTRIBUTE_SRC
from .facets import (
    freed_from_register,
    freed_from_untold,
)
from .model import SiteIndex
from .render import (
    count_label,
    date_words,
    editors_note,
    heading_slug,
    href,
    inset,
    kind_in_own_words,
    link,
    not_told,
    story_link,
)
from .sanitize import markdown_text as text
from .schema import FREED_FROM_KIND_LABELS, NOT_TOLD, RULE_KIND_LABELS

REGISTER_LIMIT = 100  # per kind, newest first: the page stays small; the kind's filter pages have them all


def register(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Every rule or habit a story was freed from, grouped by kind: each rule once, as the link to its story, with
    its area and date. Who chose the kinds is said once, above the lists; only the exceptions are marked."""
    groups = freed_from_register(index)
    told = [s for _, stories in groups for s in stories]
    # A rule that names its kind itself ("kommunal regel") is the source's word, not a choice: not in the note.
    chosen = [s for s in told if not kind_in_own_words(s)]
    parts = [inset(editors_note(chosen, "slags regel for historierne", verb="valgt")).strip()] if chosen else []
    mixed = any(s.linked_by_editors for s in chosen)
    for kind, stories in groups:
        label = RULE_KIND_LABELS[kind]
        facet_src = addresses.facet_src("regel", heading_slug(kind))
        parts.append(f"## {text(label)}\n")
        if stories:
            shown = stories[:REGISTER_LIMIT]
            parts.append(
                "\n".join(
                    f"- {link(s.freed_from, s.src_uri, from_src)} – {text(s.area.capitalize())}, "
                    f"{date_words(s)}"
                    + (
                        "; valgt af fortælleren"
                        if mixed and not s.linked_by_editors and not kind_in_own_words(s)
                        else ""
                    )
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
                f"- {story_link(s, from_src)} – {text(s.area.capitalize())}, {date_words(s)}: {not_told(s).lower()}"
                for s in untold[:REGISTER_LIMIT]
            )
            + "\n"
        )
    return "\n".join(parts) + "\n"
