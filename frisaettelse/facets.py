"""Index step for browsing: facet values, counts and pages, once per build. Every value has a page, also one with
no stories yet (a link to it keeps working); an area with one more filter only where there are stories."""

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
    srcs = page_srcs(first_src, max(1, math.ceil(len(stories) / page_size)))
    return [
        ListingPage(src, n + 1, srcs, tuple(stories[n * page_size : (n + 1) * page_size]), len(stories), values)
        for n, src in enumerate(srcs)
    ]


def build_browse(index: SiteIndex, page_size: int = PAGE_SIZE) -> Browse:
    """All facets and listing pages of a build, from the index (no file is read here), counted in one pass."""
    newest = index.newest()
    single: dict[tuple[str, str], list[Story]] = {}
    combined: dict[tuple[str, str, str], list[Story]] = {}
    for story in newest:  # newest first, so every list is too
        area_id = slugify(story.area)
        single.setdefault((AREA_KEY, area_id), []).append(story)
        values = [(ConceptKind.PRINCIPLE.facet_key, p) for p in dict.fromkeys(story.principles)]
        values += [(ConceptKind.BOUNDARY.facet_key, b) for b in dict.fromkeys(story.boundaries)]
        for key, value_id in values + ([("regel", slugify(story.freed_from_kind))] if story.tells_freed_from else []):
            single.setdefault((key, value_id), []).append(story)
            combined.setdefault((area_id, key, value_id), []).append(story)

    def facet(key: str, heading: str, entries: list[tuple[str, str, str]]) -> Facet:
        stories = {i: tuple(single.get((key, i), ())) for i, _, _ in entries}
        return Facet(key, heading, tuple(FacetValue(key, i, t, f"Historier {p}", stories[i], p) for i, t, p in entries))

    facets = [facet(AREA_KEY, "Område", [(slugify(a), a.capitalize(), f"fra området {a.capitalize()}") for a in AREAS])]
    for k in ConceptKind:
        concepts = [(c.id, c.title, f"knyttet til {k.definite}: {c.title}") for c in index.concepts(k)]
        facets.append(facet(k.facet_key, k.capitalize(), concepts))
    rules = [(slugify(k), RULE_KIND_LABELS[k], f"om frisættelse fra {RULE_KIND_LABELS[k].lower()}") for k in RULE_KINDS]
    facets.append(facet("regel", "Fri fra", rules))
    tags = tag_facet(newest)
    pages = paginate(newest, OVERVIEW_SRC, (), page_size)
    for value in (v for one in (*facets, tags) for v in one.values):
        pages += paginate(value.stories, value.src_uri, (value,), page_size)
    for area in facets[0].values:  # in the filter's order; no page for a combination without stories
        for other in (v for f in facets[1:] for v in f.values):
            if stories := combined.get((area.id, other.facet_key, other.id)):
                pages += paginate(stories, combined_src(area.id, other.facet_key, other.id), (area, other), page_size)
    return Browse(tuple(facets), tuple(pages), tags, len(newest), {k: tuple(v) for k, v in combined.items()})


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
        for value in sorted(grouped, key=lambda t: (labels[t].lower().translate(_DANISH_ORDER), t))
    )
    return Facet(TAGS_KEY, "Emneord", values)


_DANISH_ORDER = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})  # as in a Danish dictionary


def tag_url(tag: str) -> str:
    """Site-relative URL of a tag's page (for the tag chips on story pages)."""
    return story_url(f"{TAGS_KEY}/{tag_id(tag)}")
