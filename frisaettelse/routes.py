"""The site's address book, known before MkDocs runs: every page the build will publish, the redirects from
former addresses, and what is wrong with them (a former address that is a live page or claimed twice, a
published address that has vanished). `check` and the build ask the same function, so they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import addresses, links, render, urls
from .facets import ListingPage
from .index import SiteIndex
from .problems import Problem

ADDRESS_CODE = "FM030"


@dataclass(frozen=True)
class Routes:
    pages: frozenset[str]  # site paths of every page, e.g. "/historier/x/"
    redirects: tuple[urls.Redirect, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def live(self) -> set[str]:
        """What the site answers: pages and redirect pages."""
        return set(self.pages) | {r.old for r in self.redirects}


def _former_addresses(path: Path) -> tuple[list[object], int]:
    """A docs page's `tidligere_adresser` and the line of the key (docs pages are ours: read leniently)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return [], 1
    if not text.startswith("---"):
        return [], 1
    end = text.find("\n---", 3)
    if end < 0:
        return [], 1
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return [], 1
    if not isinstance(meta, dict) or "tidligere_adresser" not in meta:
        return [], 1
    value = meta["tidligere_adresser"]
    line = next((n for n, row in enumerate(text[:end].split("\n"), start=1) if row.startswith("tidligere_adresser")), 1)
    return (value if isinstance(value, list) else [value]), line


def build_routes(
    index: SiteIndex,
    listing_pages: tuple[ListingPage, ...],
    *,
    docs_dir: Path,
    use_directory_urls: bool,
    record: Path | None,
    site_url: str,
) -> Routes:
    """All pages and redirects of the site, with every problem found in them (file and line included)."""
    docs_dir_name = docs_dir.name
    srcs = set(index.docs_pages)
    srcs |= {story.src_uri for story in index.stories.values()}
    srcs |= {page.src_uri for page in listing_pages}
    pages = frozenset(addresses.site_path(addresses.page_url(src, use_directory_urls)) for src in srcs)

    problems: list[Problem] = []
    redirects: list[urls.Redirect] = []
    declared: list[tuple[str, int, str, str, list[object]]] = []  # shown path, line, target, title, values
    for story in index.stories.values():
        declared.append((story.path, story.former_urls_line, story.url, story.title, list(story.former_urls)))
    for src in sorted(index.docs_pages):
        values, line = _former_addresses(docs_dir / src)
        if values:
            declared.append((f"{docs_dir_name}/{src}", line, addresses.page_url(src, use_directory_urls), src, values))
    seen: dict[str, tuple[str, str]] = {}
    for shown, line, target, title, values in declared:
        for value in values:
            reason = urls.former_url_problem(value)
            if reason:
                problems.append(
                    Problem(
                        shown,
                        line,
                        "FM021",
                        f"Ugyldig tidligere adresse '{value}': den {reason}.",
                        f"Skriv den gamle adresse som den stod efter sitets navn, fx {urls.FORMER_URL_EXAMPLE}",
                    )
                )
                continue
            old = addresses.site_path(str(value))
            if old in pages:
                problems.append(
                    Problem(
                        shown,
                        line,
                        "FM021",
                        f"tidligere_adresser '{old.lstrip('/')}' er adressen på en side, der findes.",
                        "Fjern den fra listen.",
                    )
                )
                continue
            if old in seen and seen[old][1] != target:
                problems.append(
                    Problem(
                        shown,
                        line,
                        "FM021",
                        f"tidligere_adresser '{old.lstrip('/')}' står også i {seen[old][0]}.",
                        "En gammel adresse kan kun føre til én side: slet den ene.",
                    )
                )
                continue
            seen.setdefault(old, (shown, target))
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
