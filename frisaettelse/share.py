"""Link-preview tags, and the build's last step: redirect pages, share cards, the RSS feed and the data files
(the feed by hand: mkdocs-rss-plugin's GitPython pin clashes with mkdocs-git-revision-date-localized-plugin)."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from markupsafe import Markup

from . import addresses, export, render
from .cards import HEIGHT, WIDTH, Card, Drawing
from .model import Redirect, SiteIndex, SiteInfo, Story
from .render import ENV
from .sanitize import feed_html, url_path, xml_text


def preview(*, title: str, description: str, url: str, story: Story | None, site: SiteInfo) -> dict[str, object]:
    """Open Graph and Twitter tags for one page; every URL absolute and percent-encoded (the template escapes)."""
    image = url_path(site.base + addresses.card_path(story.slug if story else None))
    image_alt = (
        f"Kort med historiens titel, område og de principper, {story.linked_by} har knyttet den til: {title}"
        if story
        else f"Kort med sitets navn: {site.name}"
    )
    og = {"title": title, "description": description, "url": url_path(site.base + url), "image": image}
    og |= {"image:type": "image/png", "image:width": str(WIDTH), "image:height": str(HEIGHT), "image:alt": image_alt}
    og |= {"type": "article" if story else "website", "locale": "da_DK", "site_name": site.name}
    twitter = {"card": "summary_large_image", "title": title, "description": description, "image": image}
    tags = [("property", f"og:{k}", v) for k, v in og.items()]
    tags += [("name", f"twitter:{k}", v) for k, v in (twitter | {"image:alt": image_alt}).items()]
    if story:
        tags.append(("property", "article:published_time", story.date.isoformat()))
    return {"tags": tags}


def story_card(story: Story, index: SiteIndex) -> Card:
    """The card travels without the page's note: each principle on it says who linked it."""
    who = "Redaktionens" if story.linked_by_editors else "Fortællerens"
    principles = tuple(
        f"{who} valg af princip: {index.principles[p].title}" for p in story.principles if p in index.principles
    )
    if len(principles) > 3:
        principles = principles[:2] + (f"… og {len(principles) - 2} principper mere, {who.lower()} valg",)
    return Card("Historie fra praksis", story.title, story.area.capitalize(), principles)


# The feed holds the newest, as docs/feed.md says: every subscriber's reader fetches it again and again (4 MB at
# 5,000 stories if it held all); every story is in the data files.
FEED_STORIES = 50
ENV.filters["xml"] = lambda value: Markup(escape(xml_text(value)))
ENV.filters["xml_attribute"] = lambda value: Markup(escape(xml_text(value), {'"': "&quot;"}))
ENV.filters["feed"] = lambda value: Markup(escape(feed_html(value)))
ENV.filters["rfc822"] = lambda day: format_datetime(dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC))


def site_cards(index: SiteIndex, site: SiteInfo, site_dir: Path) -> list[tuple[Card, Path]]:
    """Every share card the site publishes, and where."""
    cards = [(story_card(story, index), site_dir / addresses.card_path(story.slug)) for story in index.stories.values()]
    return [*cards, (Card("Vidensbase", site.name, "", (site.description,)), site_dir / addresses.card_path(None))]


def publish(index: SiteIndex, redirects: list[Redirect], *, site: SiteInfo, site_dir: Path, cards: Drawing) -> int:
    """Write the redirect pages, share cards, feed and data files into the built site; returns the cards drawn."""
    drawn = cards.finish()
    files = {
        **{f"{r.old.strip('/')}/index.html": render.redirect_html(r, site.base).encode("utf-8") for r in redirects},
        addresses.FEED_PATH: (
            ENV.get_template("feed.xml").render(stories=index.newest(FEED_STORIES), index=index, site=site) + "\n"
        ).encode("utf-8"),
        **export.data_files(index, site.base),
    }
    for name, data in files.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_bytes(data)
    return drawn
