"""Sharing: link-preview tags for a page, and the files a build publishes beside its pages (redirect pages,
share cards, the feed). Plain functions of the index and the site's address; the plugin calls them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import addresses, export, routes
from .cards import HEIGHT, WIDTH, Card, render_cards
from .feed import feed_xml
from .model import Redirect, SiteIndex, Story
from .sanitize import url_path

STORY_KICKER = "Historie fra praksis"


@dataclass(frozen=True)
class SiteInfo:
    """What every page shares: the absolute base address (ending in '/'), the site's name and summary."""

    base: str
    name: str
    description: str


def preview(*, title: str, description: str, url: str, story: Story | None, site: SiteInfo) -> dict[str, object]:
    """Open Graph and Twitter tags for one page; every URL absolute (previews are fetched from elsewhere)."""
    # Percent-encoded here; the template escapes every value for its attribute.
    image = url_path(site.base + addresses.card_path(story.slug if story else None))
    image_alt = (
        f"Kort med historiens titel, område og de principper, {story.linked_by} har knyttet den til: {title}"
        if story
        else f"Kort med sitets navn: {site.name}"
    )
    tags = [
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url_path(site.base + url)),
        ("property", "og:image", image),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", str(WIDTH)),
        ("property", "og:image:height", str(HEIGHT)),
        ("property", "og:image:alt", image_alt),
        ("property", "og:type", "article" if story else "website"),
        ("property", "og:locale", "da_DK"),
        ("property", "og:site_name", site.name),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
        ("name", "twitter:image:alt", image_alt),
    ]
    if story:
        tags.append(("property", "article:published_time", story.date.isoformat()))
    return {"tags": tags}


def story_card(story: Story, index: SiteIndex) -> Card:
    """The card travels without the page's note, so each principle on it says who linked it
    ('Redaktionens valg af princip: …')."""
    who = "Redaktionens" if story.linked_by_editors else "Fortællerens"
    principles = tuple(
        f"{who} valg af princip: {index.principles[p].title}" for p in story.principles if p in index.principles
    )
    if len(principles) > 3:
        principles = principles[:2] + (f"… og {len(principles) - 2} principper mere, {who.lower()} valg",)
    return Card(STORY_KICKER, story.title, story.area.capitalize(), principles)


def publish(index: SiteIndex, redirects: list[Redirect], *, site: SiteInfo, site_dir: Path, cache_dir: Path) -> int:
    """Write redirect pages, share cards, the feed and the data files into the built site; returns how many cards
    were drawn."""
    routes.write_redirects(redirects, site_dir, site.base)
    cards = [(story_card(story, index), site_dir / addresses.card_path(story.slug)) for story in index.stories.values()]
    cards.append((Card("Vidensbase", site.name, "", (site.description,)), site_dir / addresses.card_path(None)))
    drawn = render_cards(cards, cache_dir)
    (site_dir / addresses.FEED_PATH).write_bytes(
        feed_xml(index, site_url=site.base, title=site.name, description=site.description)
    )
    (site_dir / addresses.DATA_CSV).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / addresses.DATA_CSV).write_bytes(export.stories_csv(index, site.base))
    (site_dir / addresses.DATA_JSON).write_bytes(export.stories_json(index, site.base))
    (site_dir / addresses.DATA_EXCEL).write_bytes(export.stories_excel_csv(index, site.base))
    return drawn
