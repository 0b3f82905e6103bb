"""An RSS 2.0 feed of the stories, newest first, written with ElementTree (so every text is escaped for XML).

Feed readers show `<title>` and `<description>` as HTML, so contributor text is escaped as HTML first
(sanitize.feed_html); every other text only loses the characters XML forbids (sanitize.xml_text).

Written by hand rather than with mkdocs-rss-plugin: the stories are already indexed, and the plugin pins
GitPython in a way that clashes with mkdocs-git-revision-date-localized-plugin.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime

from .model import SiteIndex, Story
from .sanitize import feed_html, xml_text

FEED_PATH = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def _rfc822(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC))


def story_url(story: Story, site_url: str) -> str:
    return site_url.rstrip("/") + "/" + story.url


def feed_xml(index: SiteIndex, *, site_url: str, title: str, description: str) -> bytes:
    """The feed as UTF-8 bytes. Dates come from the stories, never the clock, so builds are reproducible."""
    ET.register_namespace("atom", ATOM)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    stories = index.newest()
    base = site_url.rstrip("/") + "/"
    for tag, text in (
        ("title", feed_html(title)),
        ("link", xml_text(base)),
        ("description", feed_html(description)),
        ("language", "da"),
    ):
        ET.SubElement(channel, tag).text = text
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": base + FEED_PATH, "rel": "self", "type": "application/rss+xml"})
    if stories:
        ET.SubElement(channel, "lastBuildDate").text = _rfc822(stories[0].date)
    for story in stories:
        item = ET.SubElement(channel, "item")
        link = xml_text(story_url(story, site_url))
        ET.SubElement(item, "title").text = feed_html(story.title)
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", {"isPermaLink": "true"}).text = link
        ET.SubElement(item, "description").text = feed_html(story.description)
        ET.SubElement(item, "pubDate").text = _rfc822(story.date)
        ET.SubElement(item, "category").text = xml_text(story.area)
        for principle in story.principles:  # the page's note does not travel: each category says who linked it
            concept = index.principles.get(principle)
            title = concept.title if concept else principle
            ET.SubElement(item, "category").text = xml_text(f"Princip, knyttet af {story.linked_by}: {title}")
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"
