"""The whole flow of one build, in order: load → validate → index → facets → routes → (render) links. The one place
that calls the steps; the CLI calls `build_index`, the plugin's on_config (and so `tjek`) `run` on its index too."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from . import addresses, links, load, routes
from .facets import build_browse
from .filecache import FileCache
from .markup import Converter, site_markdown
from .model import Concept, SiteIndex, SiteModel, Story
from .problems import Problem
from .schema import ConceptKind
from .validate import (
    CONCEPT_RULES,
    STORY_RULES,
    Context,
    check_doc_references,
    file_name_problems,
    validate_documents,
    validate_stories,
)


def _valid(documents: list[load.Document], problems: list[Problem]) -> list[load.Document]:
    bad = {p.path for p in problems}
    return [doc for doc in documents if doc.path not in bad]


def build_index(
    root: Path,
    *,
    docs_dir: Path | None = None,
    cases_dir: Path | None = None,
    cache: FileCache | None = None,
    converter: Converter | None = None,
) -> SiteIndex:
    """Load, validate and index principles, hegnspæle, docs pages and stories; every problem is in `problems`."""
    root = root.resolve()
    docs_dir = (docs_dir or root / "docs").resolve()
    linked_cases = load.folder_link_problem(cases_dir or root / "cases", root)  # before resolve() follows the link
    cases_dir = (cases_dir or root / "cases").resolve()
    converter = converter or Converter(site_markdown(root / "mkdocs.yml"))
    docs_pages = frozenset(load.markdown_pages(docs_dir))
    parse_page = partial(load.parse_document, front_matter_required=False)
    read = {src: parse_page(docs_dir / src, load.relative(docs_dir / src, root)) for src in sorted(docs_pages)}

    def concept_page(path: Path, shown: str) -> load.Read:  # read once, with the docs pages
        return load.with_fields(read.get(load.relative(path, docs_dir)) or parse_page(path, shown))

    # 1–2: concepts, then docs pages (a concept page's problems are said once), then stories
    problems: list[Problem] = []
    index = SiteIndex(root, docs_pages=docs_pages, cases_dir=cases_dir, docs_dir=docs_dir, converter=converter)
    for kind in ConceptKind:
        documents, loaded = load.load_folder(docs_dir / kind.folder, root, skip=("index.md",), parse=concept_page)
        found = validate_documents(documents, CONCEPT_RULES, Context())
        problems += loaded + found
        index.table(kind).update((c.id, c) for c in (Concept.from_document(kind, d) for d in _valid(documents, found)))
    reported = {problem.path for problem in problems}
    index.docs_documents = {src: document for src, (document, _) in read.items() if document is not None}
    problems += [problem for _, found in read.values() for problem in found if problem.path not in reported]
    parse = cache.parse if cache else load.parse_document
    stories, loaded = (
        ([], [linked_cases]) if linked_cases else load.load_folder(cases_dir, root, skip=("README.md",), parse=parse)
    )
    ctx = Context(tuple(sorted(index.principles)), tuple(sorted(index.boundaries)), converter)
    found = (cache.validate if cache else validate_stories)(stories, STORY_RULES, ctx)
    found += file_name_problems([doc.path for doc in stories], addresses.reserved_story_slugs(docs_pages))
    # 3: the index of what is valid; then the docs pages' macro calls against it
    story_of = partial(cache.made, make=Story.from_document) if cache else Story.from_document
    index.stories = {story.slug: story for story in map(story_of, _valid(stories, found))}
    index._link_reverse_maps()
    known = {"princip": index.principles.keys(), "hegnspael": index.boundaries.keys(), "historie": index.stories.keys()}
    problems += loaded + found + check_doc_references(index.docs_documents.values(), known, index.story_by_slug)
    index.problems = sorted(problems)
    return index


def run(index: SiteIndex, *, site_url: str, use_directory_urls: bool = True, preview: bool = False) -> SiteModel:
    """Everything the build knows before it renders a page, with every problem in it."""
    browse = build_browse(index)
    docs_dir, udu = index.docs_dir or index.root / "docs", use_directory_urls
    record = index.root / addresses.RECORD_NAME
    found = routes.build_routes(
        index, browse.generated, docs_dir=docs_dir, use_directory_urls=udu, record=record, site_url=site_url
    )
    stories = (s.src_uri for s in index.stories.values())
    page_srcs = {*index.docs_pages, *stories, *(p.src_uri for p in browse.generated)}
    problems = sorted([*index.problems, *found.problems, *links.link_problems(index, browse, page_srcs, docs_dir)])
    # Listing pages list every story: rebuilt on every change, too slow for the contributor's preview. The address
    # book still holds them, so the preview finds exactly the problems `tjek` finds.
    return SiteModel(index, browse, () if preview else browse.generated, found, problems)
