"""Index step for browsing: facet values, counts and pagination, computed once per build from the SiteIndex.

Every facet value gets a page, also those with no stories yet: a link from a newsletter to
`historier/omraade/skole/` keeps working before the first story from a school arrives, and the
empty page invites one. An area combines with one more filter (principle, hegnspæl or kind of rule) on a page
of its own, `historier/omraade/dagtilbud/princip/kerneopgaven/`, but only where there are stories: those pages
come and go with the stories. Every count is made in one pass over the stories. Listing pages are paginated so
they stay small as the stories grow.
"""

from __future__ import annotations

import math

from .addresses import AREA_KEY, OVERVIEW_SRC, TAGS_KEY, combined_src, page_srcs, story_url, tag_id
from .load import slugify
from .model import Browse, Facet, FacetValue, ListingPage, SiteIndex, Story
from .schema import AREAS, RULE_KIND_LABELS, RULE_KINDS, ConceptKind

PAGE_SIZE = 50


def paginate(
    stories: list[Story] | tuple[Story, ...], first_src: str, values: tuple[FacetValue, ...], page_size: int = PAGE_SIZE
) -> list[ListingPage]:
    """Split a newest-first list into pages; an empty list still has its first page (with an empty state)."""
    count = max(1, math.ceil(len(stories) / page_size))
    srcs = page_srcs(first_src, count)
    return [
        ListingPage(src, n + 1, srcs, tuple(stories[n * page_size : (n + 1) * page_size]), len(stories), values)
        for n, src in enumerate(srcs)
    ]


def _story_values(story: Story) -> list[tuple[str, str]]:
    """(facet key, value id) of every filter value other than the area that a story has."""
    values = [(ConceptKind.PRINCIPLE.facet_key, p) for p in dict.fromkeys(story.principles)]
    values += [(ConceptKind.BOUNDARY.facet_key, b) for b in dict.fromkeys(story.boundaries)]
    if story.tells_freed_from:
        values.append(("regel", slugify(story.freed_from_kind)))
    return values


def build_browse(index: SiteIndex, page_size: int = PAGE_SIZE) -> Browse:
    """All facets and listing pages of a build, from the index (no file is read here), counted in one pass."""
    newest = index.newest()
    single: dict[tuple[str, str], list[Story]] = {}
    combined: dict[tuple[str, str, str], list[Story]] = {}
    for story in newest:  # newest first, so every list is too
        area_id = slugify(story.area)
        single.setdefault((AREA_KEY, area_id), []).append(story)
        for key, value_id in _story_values(story):
            single.setdefault((key, value_id), []).append(story)
            combined.setdefault((area_id, key, value_id), []).append(story)

    def facet(key: str, heading: str, entries: list[tuple[str, str, str]]) -> Facet:
        return Facet(
            key,
            heading,
            tuple(
                FacetValue(key, value_id, label, f"Historier {phrase}", tuple(single.get((key, value_id), ())), phrase)
                for value_id, label, phrase in entries
            ),
        )

    facets = (
        facet(AREA_KEY, "Område", [(slugify(a), a.capitalize(), f"fra området {a.capitalize()}") for a in AREAS]),
        facet(
            ConceptKind.PRINCIPLE.facet_key,
            "Princip",
            [(c.id, c.title, f"knyttet til princippet: {c.title}") for c in index.concepts(ConceptKind.PRINCIPLE)],
        ),
        facet(
            ConceptKind.BOUNDARY.facet_key,
            "Hegnspæl",
            [(c.id, c.title, f"knyttet til hegnspælen: {c.title}") for c in index.concepts(ConceptKind.BOUNDARY)],
        ),
        facet(
            "regel",
            "Fri fra",
            [
                (slugify(k), RULE_KIND_LABELS[k], f"om frisættelse fra {RULE_KIND_LABELS[k].lower()}")
                for k in RULE_KINDS
            ],
        ),
    )
    tags = tag_facet(newest)
    pages = paginate(newest, OVERVIEW_SRC, (), page_size)
    for one in (*facets, tags):
        for value in one.values:
            pages += paginate(value.stories, value.src_uri, (value,), page_size)
    for area in facets[0].values:  # in the filter's order; no page for a combination without stories
        for other in (v for f in facets[1:] for v in f.values):
            stories = combined.get((area.id, other.facet_key, other.id))
            if stories:
                pages += paginate(stories, combined_src(area.id, other.facet_key, other.id), (area, other), page_size)
    return Browse(facets, tuple(pages), tags, len(newest), {k: tuple(v) for k, v in combined.items()})


def tag_facet(newest: list[Story]) -> Facet:
    """Free-text tags grouped in one pass (tags that differ only in case or accents share a page), by name."""
    grouped: dict[str, list[Story]] = {}
    labels: dict[str, str] = {}
    for story in newest:
        for tag in dict.fromkeys(story.tags):
            value_id = tag_id(tag)
            if value_id and story not in grouped.setdefault(value_id, [])[-1:]:
                grouped[value_id].append(story)
                labels.setdefault(value_id, tag)
    values = tuple(
        FacetValue(TAGS_KEY, value, labels[value], f"Historier med emneordet “{labels[value]}”", tuple(grouped[value]))
        for value in sorted(grouped, key=lambda t: (danish_sort_key(labels[t]), t))
    )
    return Facet(TAGS_KEY, "Emneord", values)


_DANISH_ORDER = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


def danish_sort_key(text: str) -> str:
    """Alphabetical as in a Danish dictionary: æ, ø and å come after z, in that order."""
    return text.lower().translate(_DANISH_ORDER)


def tag_url(tag: str) -> str:
    """Site-relative URL of a tag's page (for the tag chips on story pages)."""
    return story_url(f"{TAGS_KEY}/{tag_id(tag)}")


def coverage(index: SiteIndex) -> list[tuple[str, list[tuple[str, int]]]]:
    """Stories per area and principle: [(area, [(principle id, count), …]), …] in the schema's order."""
    principles = [c.id for c in index.concepts(ConceptKind.PRINCIPLE)]
    return [
        (
            area,
            [
                (pid, sum(1 for s in index.stories.values() if s.area == area and pid in s.principles))
                for pid in principles
            ],
        )
        for area in AREAS
    ]


def freed_from_register(index: SiteIndex) -> list[tuple[str, list[Story]]]:
    """Every story that says what it was freed from, grouped by the kind of rule, in the schema's order, newest
    first. A story that does not say ('ikke oplyst') is not in any group: see `freed_from_untold`."""
    newest = index.newest()
    return [(kind, [s for s in newest if s.freed_from_kind == kind]) for kind in RULE_KINDS]


def freed_from_untold(index: SiteIndex) -> list[Story]:
    """The stories (newest first) that do not say what they were freed from: listed apart, never counted as told."""
    return [s for s in index.newest() if not s.tells_freed_from]
