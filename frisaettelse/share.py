"""Sharing and linking, wired into the build by three hook events:

- `prepare` (on_env, after every page's front-matter is read, before sitemap and pages are written):
  collect redirects from `tidligere_adresser`, check that no published URL has vanished, date story pages.
- `preview` (on_page_context): the link-preview tags for one page (Open Graph, Twitter card).
- `publish` (on_post_build): redirect pages, card images, the feed, and new URLs added to the record.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from . import urls
from .cards import Card, render_card
from .feed import FEED_PATH, feed_xml
from .index import SiteIndex, Story
from .sanitize import page_title
from .site import per_build, project_root, site_url

log = logging.getLogger("mkdocs.plugins.frisaettelse")

CARD_DIR = "kort"
GENERIC_CARD = "frisaettelse-i-rebild"
CACHE_DIR = Path(".cache") / "kort"
STORY_KICKER = "Historie fra praksis"
RECORD_ENV = "RECORD_PUBLISHED_URLS"  # set to 1 by the deploy workflow only


@dataclass
class ShareState:
    """What one build has learned about its URLs, between `prepare` and `publish`."""

    redirects: list[urls.Redirect] = field(default_factory=list)
    page_urls: set[str] = field(default_factory=set)


def _state(config: Any) -> ShareState:
    return per_build(config, "share", ShareState)


def card_path(story: Story | None) -> str:
    return f"{CARD_DIR}/{story.slug if story else GENERIC_CARD}.png"


def prepare(config: Any, files: Any, index: SiteIndex) -> None:
    """Collect redirects and check the record before anything is written; date story pages for the sitemap."""
    state = _state(config)
    state.redirects.clear()
    problems: list[str] = []
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    state.page_urls = {urls.normalize(page.url) for page in pages}
    for page in pages:
        story = index.story_for_src(page.file.src_uri)
        if story is not None:
            page.update_date = story.date.isoformat()
        shown = story.path if story else f"{Path(config['docs_dir']).name}/{page.file.src_uri}"
        former = page.meta.get("tidligere_adresser") or []
        if not isinstance(former, list):
            former = [former]
        for value in former:
            reason = urls.former_url_problem(value)
            if reason:
                problems.append(f"{shown}: tidligere_adresser '{value}' {reason}, fx {urls.FORMER_URL_EXAMPLE}")
                continue
            title = story.title if story else page_title(page, config["site_name"])
            state.redirects.append(urls.Redirect(urls.normalize(value), urls.normalize(page.url), title, shown))
    problems += urls.redirect_problems(state.redirects, state.page_urls)
    live = state.page_urls | {r.old for r in state.redirects}
    record = project_root(config) / urls.RECORD_NAME
    for url in urls.missing_from_site(urls.read_record(record), live):
        problems.append(urls.missing_message(url, site_url(config)))
    for problem in problems:
        log.error(problem)
    if problems:
        raise PluginError(f"{len(problems)} problem(er) med sitets adresser. Ret dem som beskrevet ovenfor.")


def preview(page: Any, config: Any, index: SiteIndex) -> dict[str, Any]:
    """Open Graph and Twitter tags for one page; every URL absolute (previews are fetched from elsewhere)."""
    base = site_url(config)
    story = index.story_for_src(page.file.src_uri)
    is_home = page.is_homepage
    # Plain text here; the template escapes every value for its attribute (partials/deling.html).
    title = config["site_name"] if is_home else page_title(page, config["site_name"])
    description = page.meta.get("description") or config.get("site_description") or ""
    image_alt = (f"Kort med historiens titel, område og principper: {title}" if story
                 else f"Kort med sitets navn: {config['site_name']}")
    tags = [
        ("property", "og:title", str(title)),
        ("property", "og:description", str(description)),
        ("property", "og:url", base + page.url),
        ("property", "og:image", base + card_path(story)),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", "1200"),
        ("property", "og:image:height", "630"),
        ("property", "og:image:alt", image_alt),
        ("property", "og:type", "article" if story else "website"),
        ("property", "og:locale", "da_DK"),
        ("property", "og:site_name", config["site_name"]),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", str(title)),
        ("name", "twitter:description", str(description)),
        ("name", "twitter:image", base + card_path(story)),
        ("name", "twitter:image:alt", image_alt),
    ]
    if story:
        tags.append(("property", "article:published_time", story.date.isoformat()))
    return {"tags": tags}


def story_card(story: Story, index: SiteIndex) -> Card:
    principles = tuple(f"Princip: {index.principles[p].title}" for p in story.principles if p in index.principles)
    if len(principles) > 3:
        principles = principles[:2] + (f"… og {len(principles) - 2} principper mere",)
    return Card(STORY_KICKER, story.title, story.area.capitalize(), principles)


def publish(config: Any, index: SiteIndex) -> None:
    """Write redirects, cards and the feed into the built site, and add new URLs to the record."""
    state = _state(config)
    site_dir = Path(config["site_dir"])
    base = site_url(config)
    urls.write_redirects(state.redirects, site_dir, base)

    cache = project_root(config) / CACHE_DIR
    drawn = 0
    for story in index.stories.values():
        drawn += render_card(story_card(story, index), site_dir / card_path(story), cache)
    generic = Card("Vidensbase", config["site_name"], "", (config.get("site_description") or "",))
    drawn += render_card(generic, site_dir / card_path(None), cache)
    if drawn:
        log.info(f"Tegnede {drawn} delingskort (resten kom fra {CACHE_DIR}).")

    (site_dir / FEED_PATH).write_bytes(
        feed_xml(index, site_url=base, title=config["site_name"], description=config.get("site_description") or ""))

    # Only the publishing build records new URLs (the deploy workflow commits the file back): a draft
    # previewed locally or in a pull request is not published, so renaming it later must stay free.
    if os.environ.get(RECORD_ENV) == "1":
        live = state.page_urls | {r.old for r in state.redirects}
        added = urls.update_record(project_root(config) / urls.RECORD_NAME, live)
        if added:
            log.info(f"{len(added)} nye adresser er skrevet i {urls.RECORD_NAME}: " + ", ".join(added))
