"""The whole flow of one build, in order: load → validate → index → facets → routes → (render) links.

The one place that calls the steps; the plugin's on_config (and so `tjek`) calls `run`, the CLI `build_index`.
"""

from __future__ import annotations

from pathlib import Path

from . import addresses, links, routes
from .facets import build_browse
from .filecache import FileCache
from .index import build_index as index_documents
from .load import Document, LoadResult, folder_link_problem, load_folder, markdown_pages, parse_document
from .markup import Converter, MarkdownSettings, site_markdown
from .model import SiteIndex, SiteModel
from .problems import Problem
from .schema import ConceptKind
from .validate import CONCEPT_RULES, STORY_RULES, Context, check_doc_references, check_unique_slugs, validate_documents


def _valid(documents: list[Document], problems: list[Problem]) -> list[Document]:
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
    linked_cases = folder_link_problem(cases_dir or root / "cases", root)  # before resolve() follows the link
    cases_dir = (cases_dir or root / "cases").resolve()
    converter = converter or Converter(site_markdown(root / "mkdocs.yml"))
    problems: list[Problem] = []
    # 1–2: concepts, then docs pages (a concept page's problems are said once), then stories
    concept_documents = {}
    for kind in ConceptKind:
        loaded = load_folder(docs_dir / kind.folder, root, skip=("index.md",))
        found = validate_documents(loaded.documents, CONCEPT_RULES, Context())
        problems += loaded.problems + found
        concept_documents[kind] = _valid(loaded.documents, found)
    docs_pages = frozenset(markdown_pages(docs_dir))
    reported = {problem.path for problem in problems}
    docs_documents = {}
    for src in sorted(docs_pages):
        path = docs_dir / src
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        document, found = parse_document(path, shown, front_matter_required=False)
        if document is not None:
            docs_documents[src] = document
        problems += [problem for problem in found if problem.path not in reported]
    stories = (
        LoadResult(problems=[linked_cases])
        if linked_cases
        else load_folder(cases_dir, root, skip=("README.md",), parse=cache.parse if cache else None)
    )
    problems += stories.problems
    ids = [tuple(sorted(doc.abs_path.stem for doc in concept_documents[kind])) for kind in ConceptKind]
    ctx = Context(ids[0], ids[1], converter)
    found = (cache.validate if cache else validate_documents)(stories.documents, STORY_RULES, ctx)
    found += check_unique_slugs(stories.documents, addresses.reserved_story_slugs(docs_pages))
    problems += found
    # 3: the index of what is valid; then the docs pages' macro calls against it
    index = index_documents(
        root,
        docs_dir=docs_dir,
        cases_dir=cases_dir,
        concept_documents=concept_documents,
        story_documents=_valid(stories.documents, found),
        docs_documents=docs_documents,
        docs_pages=docs_pages,
        converter=converter,
        problems=problems,
    )
    known = {"princip": index.principles.keys(), "hegnspael": index.boundaries.keys(), "historie": index.stories.keys()}
    problems += check_doc_references(index.docs_documents.values(), known, index.story_by_slug)
    problems.sort()
    return index


def run(
    root: Path,
    *,
    docs_dir: Path | None = None,
    cases_dir: Path | None = None,
    site_url: str,
    use_directory_urls: bool = True,
    preview: bool = False,
    cache: FileCache | None = None,
    markdown: MarkdownSettings | None = None,
) -> SiteModel:
    """Everything the build knows before it renders a page, with every problem in it.

    `markdown`: the site's Markdown settings as MkDocs holds them; `check` leaves it out (read from mkdocs.yml)."""
    root = root.resolve()
    docs_dir = docs_dir or root / "docs"
    converter = Converter(markdown if markdown is not None else site_markdown(root / "mkdocs.yml"))
    index = build_index(root, docs_dir=docs_dir, cases_dir=cases_dir, cache=cache, converter=converter)
    browse = build_browse(index)
    found = routes.build_routes(
        index,
        browse.generated,
        docs_dir=docs_dir,
        use_directory_urls=use_directory_urls,
        record=root / addresses.RECORD_NAME,
        site_url=site_url,
    )
    page_srcs = {
        *index.docs_pages,
        *(s.src_uri for s in index.stories.values()),
        *(p.src_uri for p in browse.generated),
    }
    problems = sorted([*index.problems, *found.problems, *links.link_problems(index, page_srcs, docs_dir)])
    # Listing pages list every story: rebuilt on every change, too slow for the contributor's preview. The address
    # book still holds them, so the preview finds exactly the problems `tjek` finds.
    return SiteModel(index, browse, () if preview else browse.generated, found, problems)
