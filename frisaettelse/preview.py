"""Under `serve` a story with problems still gets its page, with the problems in a Danish box on top."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from . import addresses
from .load import parse_document, slugify
from .model import ProblemPage, SiteIndex
from .problems import Problem
from .render import macro


def problem_pages(index: SiteIndex) -> dict[str, ProblemPage]:
    pages, taken = {}, set(index.stories)
    for path in sorted({problem.path for problem in index.problems}):
        abs_path = index.root / path
        slug = slugify(abs_path.stem)
        if abs_path.parent != index.cases_dir or abs_path.suffix != ".md" or not slug or slug in taken:
            continue
        taken.add(slug)
        document, _ = parse_document(abs_path, path)
        title = document.meta.get("title") if document is not None else None
        fallback = abs_path.stem.replace("-", " ").capitalize()
        title = title.strip() if isinstance(title, str) and title.strip() else fallback
        problems = tuple(problem for problem in index.problems if problem.path == path)
        src = addresses.story_src(slug)
        pages[src] = ProblemPage(src, path, abs_path, title, document.body if document is not None else "", problems)
    return pages


def box(path: str, problems: tuple[Problem, ...] | list[Problem], site_url: str, *, story: bool = False) -> str:
    what = "Historien" if story else "Siden" if path.startswith(("docs/", "cases/")) else "Sitet"
    return str(macro("problems.html", "box")(what, path, problems, site_url))


BOX_PLACEHOLDER = "<!-- frisaettelse:problemboks -->"  # filled after the story's text is sanitised


def problem_page_markdown(page: ProblemPage) -> str:
    return str(macro("problems.html", "page")(page.title, BOX_PLACEHOLDER, page.body.strip()))


def add_problem_box(html: str, page: ProblemPage, site_url: str) -> str:
    problems = box(page.path, page.problems, site_url, story=True)
    return html.replace(BOX_PLACEHOLDER, problems, 1) if BOX_PLACEHOLDER in html else problems + html


MACRO_FAILED = "<p>Siden vises, når fejlen i dens makro er rettet.</p>"
_BOXES = re.compile(r"<!-- frisaettelse:problemer -->.*?<!-- /frisaettelse:problemer -->", re.DOTALL)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_BODY = re.compile(r"<body[^>]*>")


def put_box(page_file: Path, problems: dict[str, list[Problem]], site_url: str) -> None:
    """A box per file (path -> its problems) on top of a written page's article, replacing an earlier build's boxes."""
    try:
        html = _BOXES.sub("", page_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return
    boxes = "".join(box(path, in_file, site_url) for path, in_file in problems.items())
    match = _ARTICLE.search(html) or _BODY.search(html)
    if boxes and match:
        boxes = f"<!-- frisaettelse:problemer -->{boxes}<!-- /frisaettelse:problemer -->"
        html = html[: match.end()] + boxes + html[match.end() :]
    page_file.write_text(html, encoding="utf-8")


_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)


def unlink(html: str, url: str, src: str, left_out_urls: set[str], left_out: set[str]) -> str:
    """Links to pages the preview leaves out (`left_out_urls` without their slashes) become their text. MkDocs leaves
    a link to a missing page as written (`x.md`, relative to the source file)."""
    if not left_out_urls:
        return html
    url_base = url if url.endswith("/") else posixpath.dirname(url)
    src_base = posixpath.dirname(src)

    def replace(match: re.Match[str]) -> str:
        href = match.group(1).split("#")[0]
        if not href or "://" in href or href.startswith(("mailto:", "/")):
            return match.group(0)
        if href.endswith(".md"):
            gone = posixpath.normpath(posixpath.join(src_base, href)) in left_out
        else:
            gone = posixpath.normpath(posixpath.join(url_base, href)).strip("/") in left_out_urls
        return match.group(2) if gone else match.group(0)

    return _LINK.sub(replace, html)
