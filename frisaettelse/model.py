"""The domain types every step shares: what a build knows about concepts, stories, listings and addresses."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from . import addresses
from .addresses import AREA_KEY, COMBINED_KEYS, OVERVIEW_SRC, combined_src, facet_src
from .history import last_commit_dates
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

    @classmethod
    def from_document(cls, kind: ConceptKind, doc: Document) -> Concept:
        meta, name = doc.meta, doc.abs_path
        return cls(kind, name.stem, meta["title"], meta["description"], meta["nummer"], f"{kind.folder}/{name.name}")


@dataclass(frozen=True, slots=True)
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
    former_urls_lines: tuple[int, ...] = ()  # the line of each former address
    body_line: int = 1
    linked_by: str = BY_TELLER  # who chose principles, hegnspæle and kind of rule: BY_TELLER or BY_EDITORS

    @property
    def linked_by_editors(self) -> bool:
        return self.linked_by == BY_EDITORS

    @property
    def tells_freed_from(self) -> bool:
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
            former_urls_lines=tuple(doc.line_of("tidligere_adresser", i) for i in range(len(values["former_urls"]))),
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
    cases_dir: Path | None = None
    docs_dir: Path | None = None
    converter: Converter = field(default_factory=Converter)  # the build's one Markdown conversion of each body
    _by_concept: dict[tuple[ConceptKind, str], list[Story]] = field(default_factory=dict)
    _rankings: dict[tuple, list[Story]] = field(default_factory=dict)

    @cached_property
    def history(self) -> dict[Path, dt.date]:
        """Last-change dates of docs/ and cases/, from one `git log` on first use."""
        return last_commit_dates(*(d for d in (self.docs_dir, self.cases_dir) if d is not None))

    def last_updated(self, story: Story) -> dt.date | None:
        """None for a file git does not know: then no date is shown, never the build date."""
        return self.history.get(story.abs_path)

    def page_updated(self, src_uri: str, *, from_stories: bool = False) -> dt.date | None:
        """The newest of the page's own file and, for a page built from the stories, of the stories' files."""
        own = self.history.get(self.docs_dir / src_uri) if self.docs_dir else None
        return max((day for day in (own, self.stories_updated if from_stories else None) if day), default=None)

    @cached_property
    def stories_updated(self) -> dt.date | None:
        return max((d for d in map(self.last_updated, self.stories.values()) if d is not None), default=None)

    def table(self, kind: ConceptKind) -> dict[str, Concept]:
        return self.principles if kind == ConceptKind.PRINCIPLE else self.boundaries

    def concepts(self, kind: ConceptKind) -> list[Concept]:
        return sorted(self.table(kind).values(), key=lambda c: c.number)

    def newest(self, limit: int | None = None) -> list[Story]:
        """Newest first; ties broken by title so the order never flickers between builds."""
        return sorted(self.stories.values(), key=_newest_first)[:limit]

    def stories_for(self, kind: ConceptKind, concept_id: str) -> list[Story]:
        return self._by_concept.get((kind, concept_id), [])

    def concept_for_src(self, src_uri: str) -> Concept | None:
        return next((c for c in [*self.principles.values(), *self.boundaries.values()] if c.src_uri == src_uri), None)

    def story_by_slug(self, slug: str) -> Story | None:
        """A story by its current slug or, after a rename, by an old one listed in `tidligere_adresser`."""
        old_url = addresses.story_url(slug)
        return self.stories.get(slug) or next((s for s in self.stories.values() if old_url in s.former_urls), None)

    def story_for_src(self, src_uri: str) -> Story | None:
        slug = addresses.slug_of_story_src(src_uri)
        return self.stories.get(slug) if slug is not None else None

    def related(self, story: Story, limit: int = 3) -> list[Story]:
        """Others by shared principles (2 each), boundaries (1 each) and area (2), then newest; once per combination."""
        key = (frozenset(story.principles), frozenset(story.boundaries), story.area, limit + 1)
        if key not in self._rankings:
            self._rankings[key] = self._rank(*key)
        return [other for other in self._rankings[key] if other.slug != story.slug][:limit]

    @cached_property
    def _combos(self) -> dict[tuple[frozenset[str], frozenset[str]], list[Story]]:
        """The stories by (principles, boundaries), newest first: a few hundred combinations however many stories."""
        combos: dict[tuple[frozenset[str], frozenset[str]], list[Story]] = defaultdict(list)
        for other in self.newest():
            combos[(frozenset(other.principles), frozenset(other.boundaries))].append(other)
        return dict(combos)

    def _rank(self, principles: frozenset[str], boundaries: frozenset[str], area: str, count: int) -> list[Story]:
        by_level: dict[int, list[tuple[list[Story], bool]]] = defaultdict(list)
        for (p, b), members in self._combos.items():
            shared = 2 * len(principles & p) + len(boundaries & b)
            by_level[shared + 2].append((members, True))  # members from the same area
            by_level[shared].append((members, False))  # members from other areas
        ranked: list[Story] = []
        for level in sorted((lvl for lvl in by_level if lvl > 0), reverse=True):
            streams = [_in_area(members, area, same) for members, same in by_level[level]]
            ranked += itertools.islice(heapq.merge(*streams, key=_newest_first), count - len(ranked))
            if len(ranked) >= count:
                break
        return ranked

    def _link_reverse_maps(self) -> None:
        """The stories per concept, newest first; made again (rankings too) when the stories changed."""
        self._by_concept, self._rankings = defaultdict(list), {}
        self.__dict__.pop("_combos", None)
        for story in self.newest():
            for kind, ids in ((ConceptKind.PRINCIPLE, story.principles), (ConceptKind.BOUNDARY, story.boundaries)):
                for concept_id in ids:
                    self._by_concept[(kind, concept_id)].append(story)


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

    @cached_property
    def by_editors(self) -> int:
        """How many of its stories the editors linked (each of its pages says so)."""
        return sum(1 for story in self.stories if story.linked_by_editors)

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
        return self.values[-1] if self.values else None

    @property
    def title(self) -> str:
        if len(self.values) < 2:
            return self.values[0].title if self.values else "Historier fra praksis"
        return "Historier " + " ".join(v.phrase for v in self.values)


@dataclass(frozen=True)
class Browse:
    facets: tuple[Facet, ...]  # shown as filters on every listing page
    pages: tuple[ListingPage, ...]  # every listing page, page 1 of the overview first
    tags: Facet  # one paginated page per tag; not a filter (there may be hundreds), listed on the tag index
    total: int = 0  # all stories
    combined: dict[tuple[str, str, str], tuple[Story, ...]] = field(default_factory=dict)  # only where stories are

    @cached_property
    def generated(self) -> tuple[ListingPage, ...]:
        """The pages the build generates (page 1 of the overview is docs/historier/index.md)."""
        return tuple(p for p in self.pages if p.src_uri != OVERVIEW_SRC)

    @cached_property
    def _by_src(self) -> dict[str, ListingPage]:
        return {p.src_uri: p for p in self.pages}

    def page(self, src_uri: str) -> ListingPage | None:
        return self._by_src.get(src_uri)

    def selection(self, page: ListingPage) -> tuple[FacetValue | None, FacetValue | None]:
        """What a listing page is filtered by, as (area, other value); a tag page is not a filter: (None, None)."""
        area = next((v for v in page.values if v.facet_key == AREA_KEY), None)
        return area, next((v for v in page.values if v.facet_key in COMBINED_KEYS), None)

    def count(self, area: FacetValue | None, other: FacetValue | None) -> int:
        """How many stories the list for this selection has (what a filter link shows beside its label)."""
        if area and other:
            return len(self.combined.get((area.id, other.facet_key, other.id), ()))
        return value.count if (value := area or other) else self.total

    def src_for(self, area: FacetValue | None, other: FacetValue | None) -> str | None:
        """The first page of the list for this selection; None for a combination without stories (no page)."""
        if area and other:
            return combined_src(area.id, other.facet_key, other.id) if self.count(area, other) else None
        return value.src_uri if (value := area or other) else OVERVIEW_SRC


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
    problems: tuple[Problem, ...] = ()

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


@dataclass(frozen=True)
class SiteInfo:
    """The absolute base address (ending in '/'), the site's name and summary."""

    base: str
    name: str
    description: str


@dataclass(frozen=True)
class ProblemPage:
    """A story file with problems, still given its page under `serve` (`preview.py`)."""

    src_uri: str
    path: str  # as in the messages, e.g. cases/min-historie.md
    abs_path: Path
    title: str
    body: str
