"""The site's address book, known before MkDocs runs: every page the build will publish, the redirects from
former addresses, and what is wrong with them (a former address that is a live page or claimed twice, a
published address that has vanished). `check` and the build ask the same function, so they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import addresses, links, render, urls, validate
from .facets import ListingPage
from .index import SiteIndex
from .problems import Code, Problem

ADDRESS_CODE = Code.FM030


@dataclass(frozen=True)
class Routes:
    pages: frozenset[str]  # site paths of every page, e.g. "/historier/x/"
    redirects: tuple[urls.Redirect, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def live(self) -> set[str]:
        """What the site answers: pages and redirect pages."""
        return set(self.pages) | {r.old for r in self.redirects}


def _static_files(docs_dir: Path) -> set[str]:
    """What MkDocs copies from docs/ as it is (images, styles, scripts): every file but pages and dot files."""
    if not docs_dir.is_dir():
        return set()
    found = set()
    for path in docs_dir.rglob("*"):
        rel = path.relative_to(docs_dir)
        if path.is_file() and path.suffix != ".md" and not any(part.startswith(".") for part in rel.parts):
            found.add(rel.as_posix())
    return found


def build_routes(
    index: SiteIndex,
    listing_pages: tuple[ListingPage, ...],
    *,
    docs_dir: Path,
    use_directory_urls: bool,
    record: Path | None,
    site_url: str,
) -> Routes:
    """All pages and redirects of the site, with every problem found in them (file and line included).

    The address book holds every file the build writes (`addresses.written_files`) before anything is written: a
    former address that would land on one of them, inside one or in a folder the build keeps is a problem here,
    in `check` and the build alike, never an error while writing."""
    srcs = set(index.docs_pages)
    srcs |= {story.src_uri for story in index.stories.values()}
    srcs |= {page.src_uri for page in listing_pages}
    page_urls = {src: addresses.page_url(src, use_directory_urls) for src in srcs}
    pages = frozenset(addresses.site_path(url) for url in page_urls.values())
    written = addresses.written_files(page_urls.values(), index.stories, _static_files(docs_dir))

    problems: list[Problem] = []
    redirects: list[urls.Redirect] = []
    # shown path, line of each item, target, title, values
    declared: list[tuple[str, Callable[[int], int], str, str, list[object]]] = []
    for story in index.stories.values():
        lines = story.former_urls_lines

        def story_line(i: int, lines: tuple[int, ...] = lines, key: int = story.former_urls_line) -> int:
            return lines[i] if i < len(lines) else key

        declared.append((story.path, story_line, story.url, story.title, list(story.former_urls)))
    for src in sorted(index.docs_pages):
        document = index.docs_documents.get(src)  # the one reading of the page's front-matter (load.py)
        value = document.meta.get("tidligere_adresser") if document else None
        if document and value:
            values = value if isinstance(value, list) else [value]
            item_line = partial(document.line_of, "tidligere_adresser")
            problems += validate.former_url_problems(document.path, values, item_line)
            declared.append((document.path, item_line, page_urls[src], src, values))
    seen: dict[str, tuple[str, str]] = {}
    for shown, line_of, target, title, values in declared:
        for i, value in enumerate(values[: addresses.MAX_FORMER_URLS]):
            if urls.former_url_problem(value):
                continue  # FM021 from validation (stories) or above (docs pages); never written
            old = addresses.site_path(str(value).strip())
            clash = addresses.address_clash(old, written)
            if clash:
                problems.append(
                    Problem(
                        shown,
                        line_of(i),
                        Code.FM021,
                        f"tidligere_adresser '{old.lstrip('/')}' {clash}.",
                        "Fjern den fra listen.",
                    )
                )
                continue
            if old in seen and seen[old][1] != target:
                problems.append(
                    Problem(
                        shown,
                        line_of(i),
                        Code.FM021,
                        f"tidligere_adresser '{old.lstrip('/')}' står også i {seen[old][0]}.",
                        "En gammel adresse kan kun føre til én side: slet den ene.",
                    )
                )
                continue
            if old not in seen:
                seen[old] = (shown, target)
                redirects.append(urls.Redirect(old, addresses.site_path(target), title, shown))

    problems += links.link_problems(index, srcs, docs_dir, lambda src: _page_markdown(index, docs_dir, src))
    routes = Routes(pages, tuple(redirects))
    if record is not None:
        problems += record_problems(record, routes.live, site_url)
    return Routes(pages, tuple(redirects), tuple(sorted(problems)))


def _page_markdown(index: SiteIndex, docs_dir: Path, src: str) -> str | None:
    """The Markdown a page is made from, for its section ids: a story's generated page, or a docs file."""
    story = index.story_for_src(src)
    if story is not None:
        return render.story_page(story, index)
    if src in index.docs_pages:
        try:
            return (docs_dir / src).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    return None


def record_problems(record: Path, live: set[str], site_url: str) -> list[Problem]:
    """A published address that the site no longer answers: named with its line in the record."""
    problems = []
    for line, url in urls.read_record_lines(record):
        if url not in live:
            problems.append(
                Problem(
                    record.name,
                    line,
                    ADDRESS_CODE,
                    urls.missing_message(url, site_url),
                    "Slet aldrig linjen: adressen står i nyhedsbreve og på intranettet.",
                )
            )
    return problems
