"""Index step for browsing: facet values, counts and pagination, computed once per build from the SiteIndex.

Every facet value gets a page, also those with no stories yet: a link from a newsletter to
`historier/omraade/skole/` keeps working before the first story from a school arrives, and the
empty page invites one. Listing pages are paginated so they stay small as the stories grow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from .addresses import OVERVIEW_SRC, TAGS_KEY, facet_src, page_srcs, story_url
from .index import SiteIndex, Story
from .load import slugify
from .schema import AREAS, RULE_KIND_LABELS, RULE_KINDS, ConceptKind

PAGE_SIZE = 50


@dataclass(frozen=True)
class FacetValue:
    """One value to filter by, e.g. the area 'dagtilbud', with its stories newest first."""

    facet_key: str
    id: str  # URL segment
    label: str
    title: str  # heading of its page
    stories: tuple[Story, ...]

    @property
    def count(self) -> int:
        return len(self.stories)

    @property
    def src_uri(self) -> str:
        return facet_src(self.facet_key, self.id)


@dataclass(frozen=True)
class Facet:
    key: str  # URL folder under historier/
    heading: str  # shown above its values in the filter
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class ListingPage:
    """One page of a paginated list of stories: the overview or a facet value."""

    src_uri: str
    number: int  # 1-based
    page_srcs: tuple[str, ...]  # every page of this list, page 1 first
    stories: tuple[Story, ...]  # the stories on this page
    total: int  # stories in the whole list
    value: FacetValue | None  # None for the overview of all stories

    @property
    def count(self) -> int:
        return len(self.page_srcs)


@dataclass(frozen=True)
class Browse:
    facets: tuple[Facet, ...]  # shown as filters on every listing page
    pages: tuple[ListingPage, ...]  # every listing page, page 1 of the overview first
    tags: Facet  # one paginated page per tag; not a filter (there may be hundreds), listed on the tag index

    @property
    def generated(self) -> tuple[ListingPage, ...]:
        """The pages the build generates (page 1 of the overview is docs/historier/index.md)."""
        return tuple(p for p in self.pages if p.src_uri != OVERVIEW_SRC)

    def page(self, src_uri: str) -> ListingPage | None:
        return next((p for p in self.pages if p.src_uri == src_uri), None)

    def value(self, facet_key: str, value_id: str) -> FacetValue | None:
        facet = next((f for f in self.facets if f.key == facet_key), None)
        return next((v for v in facet.values if v.id == value_id), None) if facet else None


def paginate(stories: list[Story], first_src: str, value: FacetValue | None,
             page_size: int = PAGE_SIZE) -> list[ListingPage]:
    """Split a newest-first list into pages; an empty list still has its first page (with an empty state)."""
    count = max(1, math.ceil(len(stories) / page_size))
    srcs = page_srcs(first_src, count)
    return [ListingPage(src, n + 1, srcs, tuple(stories[n * page_size:(n + 1) * page_size]), len(stories), value)
            for n, src in enumerate(srcs)]


def _facet(key: str, heading: str, entries: list[tuple[str, str, str]],
           matches: Callable[[Story, str], bool], newest: list[Story]) -> Facet:
    values = tuple(FacetValue(key, value_id, label, title, tuple(s for s in newest if matches(s, value_id)))
                   for value_id, label, title in entries)
    return Facet(key, heading, values)


def build_browse(index: SiteIndex, page_size: int = PAGE_SIZE) -> Browse:
    """All facets and listing pages of a build, from the index (no file is read here)."""
    newest = index.newest()
    area_ids = {slugify(a): a for a in AREAS}
    kind_ids = {slugify(k): k for k in RULE_KINDS}
    facets = (
        _facet("omraade", "Område",
               [(slugify(a), a.capitalize(), f"Historier fra området {a.capitalize()}") for a in AREAS],
               lambda s, v: s.area == area_ids[v], newest),
        _facet(ConceptKind.PRINCIPLE.facet_key, "Princip",
               [(c.id, c.title, f"Historier knyttet til princippet: {c.title}")
                for c in index.concepts(ConceptKind.PRINCIPLE)],
               lambda s, v: v in s.principles, newest),
        _facet(ConceptKind.BOUNDARY.facet_key, "Hegnspæl",
               [(c.id, c.title, f"Historier knyttet til hegnspælen: {c.title}")
                for c in index.concepts(ConceptKind.BOUNDARY)],
               lambda s, v: v in s.boundaries, newest),
        _facet("regel", "Fri fra",
               [(slugify(k), RULE_KIND_LABELS[k], f"Historier om frisættelse fra {RULE_KIND_LABELS[k].lower()}")
                for k in RULE_KINDS],
               lambda s, v: s.freed_from_kind == kind_ids[v], newest),
    )
    tags = tag_facet(newest)
    pages = paginate(newest, OVERVIEW_SRC, None, page_size)
    for facet in (*facets, tags):
        for value in facet.values:
            pages += paginate(list(value.stories), value.src_uri, value, page_size)
    return Browse(facets, tuple(pages), tags)


def tag_facet(newest: list[Story]) -> Facet:
    """Free-text tags grouped in one pass (tags that differ only in case or accents share a page), by name."""
    grouped: dict[str, list[Story]] = {}
    labels: dict[str, str] = {}
    for story in newest:
        for tag in dict.fromkeys(story.tags):
            tag_id = slugify(tag)
            if tag_id and story not in grouped.setdefault(tag_id, [])[-1:]:
                grouped[tag_id].append(story)
                labels.setdefault(tag_id, tag)
    values = tuple(FacetValue(TAGS_KEY, tag_id, labels[tag_id], f"Historier med emneordet “{labels[tag_id]}”",
                              tuple(grouped[tag_id]))
                   for tag_id in sorted(grouped, key=lambda t: (danish_sort_key(labels[t]), t)))
    return Facet(TAGS_KEY, "Emneord", values)


_DANISH_ORDER = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003"})


def danish_sort_key(text: str) -> str:
    """Alphabetical as in a Danish dictionary: æ, ø and å come after z, in that order."""
    return text.lower().translate(_DANISH_ORDER)


def tag_url(tag: str) -> str:
    """Site-relative URL of a tag's page (for the tag chips on story pages)."""
    return story_url(f"{TAGS_KEY}/{slugify(tag)}")


def coverage(index: SiteIndex) -> list[tuple[str, list[tuple[str, int]]]]:
    """Stories per area and principle: [(area, [(principle id, count), …]), …] in the schema's order."""
    principles = [c.id for c in index.concepts(ConceptKind.PRINCIPLE)]
    return [(area, [(pid, sum(1 for s in index.stories.values() if s.area == area and pid in s.principles))
                    for pid in principles])
            for area in AREAS]


def coverage_by_editors(index: SiteIndex) -> dict[tuple[str, str], int]:
    """How many of each (area, principle) count's links the editors made, not the tellers (absent when none)."""
    counts: dict[tuple[str, str], int] = {}
    for story in index.stories.values():
        if story.linked_by_editors:
            for pid in story.principles:
                counts[(story.area, pid)] = counts.get((story.area, pid), 0) + 1
    return counts


def freed_from_register(index: SiteIndex) -> list[tuple[str, list[Story]]]:
    """Every story that says what it was freed from, grouped by the kind of rule, in the schema's order, newest
    first. A story that does not say ('ikke oplyst') is not in any group: see `freed_from_untold`."""
    newest = index.newest()
    return [(kind, [s for s in newest if s.freed_from_kind == kind]) for kind in RULE_KINDS]


def freed_from_untold(index: SiteIndex) -> list[Story]:
    """The stories (newest first) that do not say what they were freed from: listed apart, never counted as told."""
    return [s for s in index.newest() if not s.tells_freed_from]
