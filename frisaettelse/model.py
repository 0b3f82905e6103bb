"""The domain types every step shares: what a build knows about concepts, stories, listings and addresses."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import addresses
from .addresses import AREA_KEY, COMBINED_KEYS, OVERVIEW_SRC, combined_src, facet_src
from .history import History
from .load import Document, slugify
from .markup import Converter
from .problems import Problem
from .schema import BY_EDITORS, BY_TELLER, NOT_TOLD, STORY_FIELDS, ConceptKind, Field, default_linked_by


@dataclass(frozen=True)
class Concept:
    """A principle of the agreement or a hegnspæl of the jointly published pamphlet."""

    kind: ConceptKind
    id: str
    title: str
    description: str
    number: int
    src_uri: str  # docs-relative, e.g. "principper/kerneopgaven.md"


@dataclass(frozen=True)
class Story:
    """A practice story from cases/, with its front-matter as typed fields."""

    slug: str
    path: str  # project-relative, e.g. "cases/aendret-aabningstid.md"
    abs_path: Path
    title: str
    description: str
    date: dt.date
    area: str
    principles: tuple[str, ...]
    boundaries: tuple[str, ...]
    freed_from: str
    freed_from_kind: str
    freed_to: str
    quote_role: str
    source: str
    consent: str
    tags: tuple[str, ...]
    former_urls: tuple[str, ...]
    body: str
    former_urls_line: int = 1
    former_urls_lines: tuple[int, ...] = ()  # the line of each former address, for messages
    body_line: int = 1  # the line of the body's first line in the file, for messages about the text
    linked_by: str = BY_TELLER  # who chose principles, hegnspæle and kind of rule: BY_TELLER or BY_EDITORS

    @property
    def linked_by_editors(self) -> bool:
        return self.linked_by == BY_EDITORS

    @property
    def tells_freed_from(self) -> bool:
        """False when the story (or its source) does not say what it was freed from: not counted as told."""
        return self.freed_from_kind != NOT_TOLD

    @property
    def tells_freed_to(self) -> bool:
        return self.freed_to.casefold() != NOT_TOLD

    @property
    def src_uri(self) -> str:
        return addresses.story_src(self.slug)

    @property
    def url(self) -> str:
        return addresses.story_url(self.slug)

    @classmethod
    def from_document(cls, doc: Document) -> Story:
        """Each schema field into the attribute it names, read the way its kind is written."""
        values = {f.attribute: _field_value(f, doc.meta.get(f.key)) for f in STORY_FIELDS}
        values["linked_by"] = values["linked_by"] or default_linked_by(values["source"])
        return cls(
            slug=slugify(doc.abs_path.stem),
            path=doc.path,
            abs_path=doc.abs_path,
            body=doc.body,
            former_urls_line=doc.line_of("tidligere_adresser"),
            former_urls_lines=tuple(doc.item_lines.get("tidligere_adresser", ())),
            body_line=doc.body_line,
            **values,
        )


def _field_value(spec: Field, value: Any) -> Any:
    if spec.is_list:
        return tuple(value or ())
    if spec.kind == "dato" and isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    return value.strip() if spec.kind == "linje" else value


@dataclass
class SiteIndex:
    """Everything the pages link to, with the reverse maps computed once."""

    root: Path
    principles: dict[str, Concept] = field(default_factory=dict)
    boundaries: dict[str, Concept] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    docs_pages: frozenset[str] = frozenset()  # src URIs of the pages in docs/, as MkDocs will find them
    docs_documents: dict[str, Document] = field(default_factory=dict)  # each docs page as load.py read it
    _by_concept: dict[tuple[ConceptKind, str], list[Story]] = field(default_factory=dict)
    _combos: dict[tuple[frozenset[str], frozenset[str]], list[Story]] = field(default_factory=dict)
    _rankings: dict[tuple, list[Story]] = field(default_factory=dict)
    cases_dir: Path | None = None
    docs_dir: Path | None = None
    _history: History | None = None
    converter: Converter = field(default_factory=Converter)  # the build's one Markdown conversion of each body

    @property
    def history(self) -> History:
        """Last-change dates of docs/ and cases/, from one `git log` on first use."""
        if self._history is None:
            self._history = History(*(d for d in (self.docs_dir, self.cases_dir) if d is not None))
        return self._history

    def last_updated(self, story: Story) -> dt.date | None:
        """When the story's file last changed in git; None for a file git does not know (not committed, or a copy
        outside git): then no date is shown, never the build date."""
        return self.history.last_changed(story.abs_path)

    def page_updated(self, src_uri: str, *, from_stories: bool = False) -> dt.date | None:
        """When what a page is built from last changed: its file in docs/ (if it has one) and, for a page built from
        the stories (a listing, a concept page, a page with a story macro), the newest of the stories' files."""
        dates = [self.history.last_changed(self.docs_dir / src_uri)] if self.docs_dir else []
        if from_stories:
            dates.append(self.stories_updated)
        known = [day for day in dates if day is not None]
        return max(known) if known else None

    @functools.cached_property
    def stories_updated(self) -> dt.date | None:
        """The newest last change of any story file (None when git knows none), computed once per build."""
        return max((d for d in map(self.last_updated, self.stories.values()) if d is not None), default=None)

    def table(self, kind: ConceptKind) -> dict[str, Concept]:
        return self.principles if kind == ConceptKind.PRINCIPLE else self.boundaries

    def concept(self, kind: ConceptKind, concept_id: str) -> Concept | None:
        return self.table(kind).get(concept_id)

    def concepts(self, kind: ConceptKind) -> list[Concept]:
        return sorted(self.table(kind).values(), key=lambda c: c.number)

    def newest(self, limit: int | None = None) -> list[Story]:
        """Newest first; ties broken by title so the order never flickers between builds."""
        ordered = sorted(self.stories.values(), key=_newest_first)
        return ordered if limit is None else ordered[:limit]

    def stories_for(self, kind: ConceptKind, concept_id: str) -> list[Story]:
        return self._by_concept.get((kind, concept_id), [])

    def concept_for_src(self, src_uri: str) -> Concept | None:
        return next((c for c in [*self.principles.values(), *self.boundaries.values()] if c.src_uri == src_uri), None)

    def story_by_slug(self, slug: str) -> Story | None:
        """A story by its current slug or, after a rename, by an old one listed in `tidligere_adresser`."""
        if slug in self.stories:
            return self.stories[slug]
        old_url = addresses.story_url(slug)
        return next((s for s in self.stories.values() if old_url in s.former_urls), None)

    def story_for_src(self, src_uri: str) -> Story | None:
        slug = addresses.slug_of_story_src(src_uri)
        return self.stories.get(slug) if slug is not None else None

    def related(self, story: Story, limit: int = 3) -> list[Story]:
        """Others sharing the most principles, boundaries and area; ties by date then title (deterministic).

        Score: 2 per shared principle, 1 per shared boundary, 2 for the same area. Stories are grouped by their
        (principles, boundaries) combination – a few hundred at most, however many stories there are – and the
        ranking is computed once per (combination, area): no per-page work grows with N.
        """
        key = (frozenset(story.principles), frozenset(story.boundaries), story.area, limit + 1)
        if key not in self._rankings:
            self._rankings[key] = self._rank(key[0], key[1], story.area, limit + 1)
        return [other for other in self._rankings[key] if other.slug != story.slug][:limit]

    def _rank(self, principles: frozenset[str], boundaries: frozenset[str], area: str, count: int) -> list[Story]:
        if not self._combos:
            combos: dict[tuple[frozenset[str], frozenset[str]], list[Story]] = defaultdict(list)
            for other in self.newest():
                combos[(frozenset(other.principles), frozenset(other.boundaries))].append(other)
            self._combos = dict(combos)
        by_level: dict[int, list[tuple[tuple, bool]]] = defaultdict(list)
        for combo in self._combos:
            shared = 2 * len(principles & combo[0]) + len(boundaries & combo[1])
            by_level[shared + 2].append((combo, True))  # members from the same area
            by_level[shared].append((combo, False))  # members from other areas
        ranked: list[Story] = []
        for level in sorted((lvl for lvl in by_level if lvl > 0), reverse=True):
            streams = [_in_area(self._combos[combo], area, same_area) for combo, same_area in by_level[level]]
            ranked.extend(itertools.islice(heapq.merge(*streams, key=_newest_first), count - len(ranked)))
            if len(ranked) >= count:
                break
        return ranked

    def _link_reverse_maps(self) -> None:
        by_concept: dict[tuple[ConceptKind, str], list[Story]] = defaultdict(list)
        for story in self.newest():
            for pid in story.principles:
                by_concept[(ConceptKind.PRINCIPLE, pid)].append(story)
            for bid in story.boundaries:
                by_concept[(ConceptKind.BOUNDARY, bid)].append(story)
        self._by_concept = dict(by_concept)


def _newest_first(story: Story) -> tuple[int, str, str]:
    return (-story.date.toordinal(), story.title, story.slug)


def _in_area(stories: list[Story], area: str, same: bool) -> Iterator[Story]:
    return (s for s in stories if (s.area == area) == same)


@dataclass(frozen=True)
class FacetValue:
    """One value to filter by, e.g. the area 'dagtilbud', with its stories newest first."""

    facet_key: str
    id: str  # URL segment
    label: str
    title: str  # heading of its page
    stories: tuple[Story, ...]
    phrase: str = ""  # the title after "Historier ", so two values make one title: "fra området X knyttet til …"

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
    """One page of a paginated list of stories: the overview, a facet value, or an area with one more value."""

    src_uri: str
    number: int  # 1-based
    page_srcs: tuple[str, ...]  # every page of this list, page 1 first
    stories: tuple[Story, ...]  # the stories on this page
    total: int  # stories in the whole list
    values: tuple[FacetValue, ...]  # () for the overview; (value,); (area, value) for a combined filter

    @property
    def count(self) -> int:
        return len(self.page_srcs)

    @property
    def value(self) -> FacetValue | None:
        """The most specific value the list is filtered by (None for the overview of all stories)."""
        return self.values[-1] if self.values else None

    @property
    def title(self) -> str:
        if not self.values:
            return "Historier fra praksis"
        if len(self.values) == 1:
            return self.values[0].title
        return "Historier " + " ".join(v.phrase for v in self.values)


Selection = tuple[FacetValue | None, FacetValue | None]  # (area, one value of another filter)


@dataclass(frozen=True)
class Browse:
    facets: tuple[Facet, ...]  # shown as filters on every listing page
    pages: tuple[ListingPage, ...]  # every listing page, page 1 of the overview first
    tags: Facet  # one paginated page per tag; not a filter (there may be hundreds), listed on the tag index
    total: int = 0  # all stories
    combined: dict[tuple[str, str, str], tuple[Story, ...]] = field(default_factory=dict)  # only where stories are
    _by_src: dict[str, ListingPage] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_src.update((p.src_uri, p) for p in self.pages)

    @property
    def generated(self) -> tuple[ListingPage, ...]:
        """The pages the build generates (page 1 of the overview is docs/historier/index.md)."""
        return tuple(p for p in self.pages if p.src_uri != OVERVIEW_SRC)

    def page(self, src_uri: str) -> ListingPage | None:
        return self._by_src.get(src_uri)

    def value(self, facet_key: str, value_id: str) -> FacetValue | None:
        facet = next((f for f in self.facets if f.key == facet_key), None)
        return next((v for v in facet.values if v.id == value_id), None) if facet else None

    def selection(self, page: ListingPage) -> Selection:
        """What a listing page is filtered by, as (area, other value); a tag page is not a filter: (None, None)."""
        area = next((v for v in page.values if v.facet_key == AREA_KEY), None)
        other = next((v for v in page.values if v.facet_key in COMBINED_KEYS), None)
        return area, other

    def count(self, area: FacetValue | None, other: FacetValue | None) -> int:
        """How many stories the list for this selection has (what a filter link shows beside its label)."""
        if area and other:
            return len(self.combined.get((area.id, other.facet_key, other.id), ()))
        if area or other:
            return (area or other).count  # type: ignore[union-attr]
        return self.total

    def src_for(self, area: FacetValue | None, other: FacetValue | None) -> str | None:
        """The first page of the list for this selection; None for a combination without stories (no page)."""
        if area and other:
            if not self.count(area, other):
                return None
            return combined_src(area.id, other.facet_key, other.id)
        if area or other:
            return (area or other).src_uri  # type: ignore[union-attr]
        return OVERVIEW_SRC


@dataclass(frozen=True)
class Redirect:
    old: str  # site path, e.g. "/historier/gammelt-navn/"
    target: str  # site path of the current page
    title: str
    source: str  # file that declared it, for messages


@dataclass(frozen=True)
class Routes:
    pages: frozenset[str]  # site paths of every page, e.g. "/historier/x/"
    redirects: tuple[Redirect, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def live(self) -> set[str]:
        """What the site answers: pages and redirect pages."""
        return set(self.pages) | {r.old for r in self.redirects}


@dataclass(frozen=True)
class SiteModel:
    index: SiteIndex
    browse: Browse
    listing_pages: tuple[ListingPage, ...]  # the generated listing pages this build publishes
    routes: Routes
    problems: list[Problem]
