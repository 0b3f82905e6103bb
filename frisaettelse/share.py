"""Link-preview tags, and the build's last step: redirect pages, share cards, the RSS feed and the data files
(the feed by hand: mkdocs-rss-plugin's GitPython pin clashes with mkdocs-git-revision-date-localized-plugin)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from pathlib import Path

from . import addresses, export, render
from .cards import HEIGHT, WIDTH, Card, render_cards
from .export import story_url
from .model import Redirect, SiteIndex, SiteInfo, Story
from .sanitize import feed_html, url_path, xml_text

ATOM = "http://www.w3.org/2005/Atom"


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


def _rfc822(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC))


def feed_xml(index: SiteIndex, *, site_url: str, title: str, description: str) -> bytes:
    """RSS 2.0, newest first; dates from the stories, never the clock; text escaped as HTML (feed readers show it)."""
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    base = site_url.rstrip("/") + "/"
    for tag, text in (("title", feed_html(title)), ("link", xml_text(base)), ("description", feed_html(description))):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, "language").text = "da"
    ET.SubElement(
        channel, f"{{{ATOM}}}link", {"href": base + addresses.FEED_PATH, "rel": "self", "type": "application/rss+xml"}
    )
    if stories := index.newest():
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(stories[0].date)
    for story in stories:
        item = ET.SubElement(channel, "item")
        link = xml_text(story_url(story, site_url))
        # The page's note does not travel: each principle's category says who linked it.
        titles = ((index.principles[p].title if p in index.principles else p) for p in story.principles)
        categories = (story.area, *(f"Princip, knyttet af {story.linked_by}: {t}" for t in titles))
        head = [("title", feed_html(story.title)), ("link", link), ("guid", link)]
        head += [("description", feed_html(story.description)), ("pubDate", _rfc822(story.date))]
        for tag, text in [*head, *(("category", xml_text(c)) for c in categories)]:
            ET.SubElement(item, tag, {"isPermaLink": "true"} if tag == "guid" else {}).text = text
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def publish(index: SiteIndex, redirects: list[Redirect], *, site: SiteInfo, site_dir: Path, cache_dir: Path) -> int:
    """Write the redirect pages, share cards, feed and data files into the built site; returns the cards drawn."""
    render.write_redirects(redirects, site_dir, site.base)
    cards = [(story_card(story, index), site_dir / addresses.card_path(story.slug)) for story in index.stories.values()]
    cards.append((Card("Vidensbase", site.name, "", (site.description,)), site_dir / addresses.card_path(None)))
    drawn = render_cards(cards, cache_dir)
    files = {
        addresses.FEED_PATH: feed_xml(index, site_url=site.base, title=site.name, description=site.description),
        addresses.DATA_CSV: export.stories_csv(index, site.base),
        addresses.DATA_JSON: export.stories_json(index, site.base),
        addresses.DATA_EXCEL: export.stories_excel_csv(index, site.base),
    }
    for name, data in files.items():
        (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (site_dir / name).write_bytes(data)
    return drawn
