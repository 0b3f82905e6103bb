"""Render step for the 'Fri fra'-register: every rule or habit the stories were freed from, grouped by kind."""

from __future__ import annotations

from . import addresses
from .addresses import CONTRIBUTE_SRC
from .facets import (
    freed_from_register,
    freed_from_untold,
)
from .index import SiteIndex
from .render import chosen_by, count_label, date_words, heading_slug, href, kind_in_own_words, not_told, story_link
from .sanitize import markdown_text as text
from .schema import FREED_FROM_KIND_LABELS, NOT_TOLD, RULE_KIND_LABELS

REGISTER_LIMIT = 100  # per kind, newest first: the page stays small; the kind's filter pages have them all


def register(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Every rule or habit a story was freed from, grouped by kind, each linked to its story."""
    parts = []
    for kind, stories in freed_from_register(index):
        label = RULE_KIND_LABELS[kind]
        facet_src = addresses.facet_src("regel", heading_slug(kind))
        parts.append(f"## {text(label)}\n")
        if stories:
            shown = stories[:REGISTER_LIMIT]
            parts.append(
                "\n".join(
                    f"- **{text(s.freed_from)}** – {story_link(s, from_src)} "
                    f"*({text(s.area.capitalize())}, {date_words(s)}"
                    + ("" if kind_in_own_words(s) else f"; slags regel {chosen_by(s)}")
                    + ")*"
                    for s in shown
                )
            )
            more = f"De {len(shown)} nyeste er vist her. " if len(stories) > len(shown) else ""
            parts.append(
                f"\n{more}[Se alle som kort: {text(label.lower())} "
                f"({count_label(len(stories))})]({href(facet_src, from_src)})\n"
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
                f"- {story_link(s, from_src)} *({text(s.area.capitalize())}, {date_words(s)})* – {not_told(s).lower()}"
                for s in untold[:REGISTER_LIMIT]
            )
            + "\n"
        )
    return "\n".join(parts) + "\n"
