"""Render step for the 'Fri fra'-register: every rule or habit the stories were freed from, grouped by kind."""

from __future__ import annotations

from .model import Browse, SiteIndex
from .render import editors_note, kind_in_own_words, part

REGISTER_LIMIT = 100  # per kind, newest first: the page stays small; the kind's filter pages have them all


def register(browse: Browse, index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """Each rule once, linking its story, by kind as the "Fri fra" filter has them; who chose the kinds is said once,
    and only the exceptions are marked."""
    groups = next(facet for facet in browse.facets if facet.key == "regel").values
    # A rule that names its kind itself ("kommunal regel") is the source's word, not a choice: not in the note.
    chosen = [s for kind in groups for s in kind.stories if not kind_in_own_words(s)]
    mixed = any(s.linked_by_editors for s in chosen)
    marked = {s.slug for s in chosen if mixed and not s.linked_by_editors}
    note = editors_note(chosen, "slags regel for historierne", verb="valgt")
    untold = [s for s in index.newest() if not s.tells_freed_from]  # listed apart, never counted as told
    return part("register.html", "register", note, groups, marked, untold, REGISTER_LIMIT, from_src, udu) + "\n"
