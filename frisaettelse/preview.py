"""The contributor's preview: a story with problems still gets its page, with the problems in a box on top.

In the published build a problem stops the build; in the preview (`python -m frisaettelse forhaandsvis`) the
contributor should see the story and what to fix, in Danish, in the page itself and in the terminal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import addresses
from .index import SiteIndex
from .load import parse_document, slugify
from .problems import Problem
from .sanitize import html_text, url_attribute


@dataclass(frozen=True)
class ProblemPage:
    """A story file that did not pass the checks: published in the preview only, under its usual address."""

    src_uri: str
    path: str  # as in the messages, e.g. cases/min-historie.md
    abs_path: Path
    title: str
    body: str
    problems: tuple[Problem, ...]


def problem_pages(index: SiteIndex, cases_dir: Path) -> list[ProblemPage]:
    """One page per story file with problems; its text as far as it can be read."""
    by_path: dict[str, list[Problem]] = defaultdict(list)
    for problem in index.problems:
        by_path[problem.path].append(problem)
    pages = []
    taken = set(index.stories)
    for path, problems in sorted(by_path.items()):
        abs_path = index.root / path
        slug = slugify(abs_path.stem)
        if abs_path.parent != cases_dir or abs_path.suffix != ".md" or not slug or slug in taken:
            continue
        taken.add(slug)
        document, _ = parse_document(abs_path, path)
        title, body = abs_path.stem.replace("-", " ").capitalize(), ""
        if document is not None:
            if isinstance(document.meta.get("title"), str) and document.meta["title"].strip():
                title = document.meta["title"].strip()
            body = document.body
        pages.append(ProblemPage(addresses.story_src(slug), path, abs_path, title, body, tuple(problems)))
    return pages


def problem_box(page: ProblemPage, site_url: str) -> str:
    """The Danish box on top of the page: each problem with its line, code, fix and a link to the guide."""
    count = len(page.problems)
    items = "\n".join(
        f"<li><strong>Linje {p.line}</strong> ({html_text(p.code)}): {html_text(p.message)} "
        f'{html_text(p.hint)} <a href="{url_attribute(p.guide_url(site_url))}">Læs mere i vejledningen</a></li>'
        for p in page.problems
    )
    return (
        '<div class="admonition failure problemboks" role="alert">\n'
        f'<p class="admonition-title">{"Historien har 1 problem" if count == 1 else f"Historien har {count} problemer"}'
        f" – ret {'det' if count == 1 else 'dem'} i {html_text(page.path)}</p>\n"
        f"<ul>\n{items}\n</ul>\n"
        "<p>Gem filen, så opdateres siden af sig selv. Historien kan først udgives, når problemerne er rettet.</p>\n"
        "</div>\n"
    )


BOX_PLACEHOLDER = "<!-- frisaettelse:problemboks -->"


def problem_page_markdown(page: ProblemPage) -> str:
    """The page: the title, a place for the box (filled after the text is sanitised), the story's own text."""
    return f"<h1>{html_text(page.title)}</h1>\n\n{BOX_PLACEHOLDER}\n\n{page.body.strip()}\n"


def add_problem_box(html: str, page: ProblemPage, site_url: str) -> str:
    return (
        html.replace(BOX_PLACEHOLDER, problem_box(page, site_url), 1)
        if BOX_PLACEHOLDER in html
        else problem_box(page, site_url) + html
    )
