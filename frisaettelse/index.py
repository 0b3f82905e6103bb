"""Step 3 of the data flow: load and validate everything once per build, and answer every cross-reference query.

The index is built once and shared by the hook and the macros; nothing re-scans the stories per page.
"""

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
from .filecache import FileCache
from .history import History
from .load import Document, LoadResult, folder_link_problem, load_folder, markdown_pages, parse_document, slugify
from .markup import Converter, site_markdown
from .problems import Problem
from .schema import BY_EDITORS, BY_TELLER, NOT_TOLD, STORY_FIELDS, ConceptKind, Field, default_linked_by
from .validate import CONCEPT_RULES, STORY_RULES, Context, check_doc_references, check_unique_slugs, validate_documents


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


def _concepts(root: Path, docs_dir: Path, kind: ConceptKind, problems: list[Problem]) -> dict[str, Concept]:
    folder = docs_dir / kind.folder
    loaded = load_folder(folder, root, skip=("index.md",))
    problems.extend(loaded.problems)
    found = validate_documents(loaded.documents, CONCEPT_RULES, Context())
    problems.extend(found)
    bad = {p.path for p in found}
    return {
        doc.abs_path.stem: Concept(
            kind,
            doc.abs_path.stem,
            doc.meta["title"],
            doc.meta["description"],
            doc.meta["nummer"],
            f"{kind.folder}/{doc.abs_path.name}",
        )
        for doc in loaded.documents
        if doc.path not in bad
    }


def _load_docs_pages(index: SiteIndex, docs_dir: Path, root: Path) -> None:
    """Every docs page's front-matter, read once by load.py: the plugin hands MkDocs these fields and the body, never
    the file. Problems in principle and hegnspæl pages were reported when they were loaded as concepts."""
    reported = {problem.path for problem in index.problems}
    for src in sorted(index.docs_pages):
        path = docs_dir / src
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        document, problems = parse_document(path, shown, front_matter_required=False)
        if document is not None:
            index.docs_documents[src] = document
        index.problems += [problem for problem in problems if problem.path not in reported]


def build_index(
    root: Path,
    *,
    docs_dir: Path | None = None,
    cases_dir: Path | None = None,
    cache: FileCache | None = None,
    converter: Converter | None = None,
) -> SiteIndex:
    """Load principles, boundaries and stories; validate all; index only what is valid, report the rest."""
    root = root.resolve()
    docs_dir = (docs_dir or root / "docs").resolve()
    linked_cases = folder_link_problem(cases_dir or root / "cases", root)  # before resolve() follows the link
    cases_dir = (cases_dir or root / "cases").resolve()
    converter = converter or Converter(site_markdown(root / "mkdocs.yml"))
    index = SiteIndex(
        root=root,
        docs_pages=frozenset(markdown_pages(docs_dir)),
        cases_dir=cases_dir,
        docs_dir=docs_dir,
        converter=converter,
    )
    index.principles = _concepts(root, docs_dir, ConceptKind.PRINCIPLE, index.problems)
    index.boundaries = _concepts(root, docs_dir, ConceptKind.BOUNDARY, index.problems)

    _load_docs_pages(index, docs_dir, root)
    loaded = (
        LoadResult(problems=[linked_cases])
        if linked_cases
        else load_folder(cases_dir, root, skip=("README.md",), parse=cache.parse if cache else None)
    )
    index.problems.extend(loaded.problems)
    ctx = Context(tuple(sorted(index.principles)), tuple(sorted(index.boundaries)), converter)
    story_problems = (cache.validate if cache else validate_documents)(loaded.documents, STORY_RULES, ctx)
    story_problems += check_unique_slugs(loaded.documents, addresses.reserved_story_slugs(index.docs_pages))
    index.problems.extend(story_problems)
    bad = {p.path for p in story_problems}
    for doc in loaded.documents:
        if doc.path not in bad:
            story = Story.from_document(doc)
            index.stories[story.slug] = story
    ids = {"princip": index.principles.keys(), "hegnspael": index.boundaries.keys(), "historie": index.stories.keys()}
    index.problems += check_doc_references(index.docs_documents.values(), ids, index.story_by_slug)
    index.problems.sort()
    index._link_reverse_maps()
    return index
