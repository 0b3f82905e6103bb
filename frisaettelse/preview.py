"""Under `serve` a story with problems still gets its page, with the problems in a Danish box on top."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from . import addresses
from .filecache import FileCache
from .load import slugify
from .model import ProblemPage, SiteIndex, Story
from .problems import Problem
from .render import part


def story_pages(index: SiteIndex, cache: FileCache | None) -> dict[str, Story | ProblemPage]:
    """src -> what a story page shows: a story or, under `serve` (with its cache), a story file with problems."""
    pages: dict[str, Story | ProblemPage] = {story.src_uri: story for story in index.stories.values()}
    for path in sorted({problem.path for problem in index.problems}):
        abs_path = index.root / path
        slug = slugify(abs_path.stem)
        src = addresses.story_src(slug)
        if cache is None or abs_path.parent != index.cases_dir or abs_path.suffix != ".md" or not slug or src in pages:
            continue
        document, _ = cache.parse(abs_path, path)  # read already, when the pipeline loaded the stories
        title, fallback = getattr(document, "meta", {}).get("title"), abs_path.stem.replace("-", " ").capitalize()
        title = title.strip() if isinstance(title, str) and title.strip() else fallback
        pages[src] = ProblemPage(src, path, abs_path, title, getattr(document, "body", ""))
    return pages


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
    boxes = "".join(part("problems.html", "box", path, in_file, site_url) for path, in_file in problems.items())
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
        base, gone = (src_base, left_out) if href.endswith(".md") else (url_base, left_out_urls)
        target = posixpath.normpath(posixpath.join(base, href)).strip("/")
        return match.group(2) if target in gone else match.group(0)

    return _LINK.sub(replace, html)
