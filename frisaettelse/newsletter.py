"""Copy-ready snippets (title, summary, link, share image) for the "Til kommunikation" page and `nyhedsbrev`."""

from __future__ import annotations

from . import addresses
from .cards import HEIGHT, WIDTH
from .model import SiteIndex, Story
from .render import href, link, macro
from .sanitize import pasted_markdown
from .share import story_card

KIT_LIMIT = 40  # the page stays small however many stories there are; older ones are a search away


def snippet(story: Story, site_url: str, fmt: str = "tekst") -> str:
    """One story as a newsletter snippet: 'tekst', 'markdown' or 'html'."""
    url = site_url.rstrip("/") + "/" + story.url
    if fmt == "tekst":
        return f"{story.title}\n{story.description}\nLæs historien: {url}"
    if fmt == "markdown":
        return f"**[{pasted_markdown(story.title)}]({url})**  \n{pasted_markdown(story.description)}"
    if fmt == "html":
        return str(macro("newsletter.html", "snippet")(story, url))
    raise ValueError(f"ukendt format '{fmt}'")


def kit_markdown(index: SiteIndex, site_url: str, page_src: str, limit: int = KIT_LIMIT, udu: bool = True) -> str:
    """The newest stories, each with its snippet, a copy button and its share image (alt: exactly what is drawn)."""
    parts = []
    for story in index.newest(limit):
        image = addresses.relative_url(addresses.card_path(story.slug), addresses.page_url(page_src, udu))
        plain, rich = snippet(story, site_url, "tekst"), snippet(story, site_url, "html")
        item = macro("newsletter.html", "kit_item")(story, plain, rich, story_card(story, index), image, WIDTH, HEIGHT)
        parts.append(f"### {link(story, page_src)} {{ #uddrag-{story.slug} }}\n\n{item}")
    if not parts:
        return "*Ingen historier endnu.*\n"
    if (older := len(index.stories) - len(parts)) > 0:
        parts.append(
            f"*Siden viser de {len(parts)} nyeste historier. De {older} ældre finder du i [oversigten over historier]"
            f"({href('historier/index.md', page_src)}); hver historie har titel, resumé og adresse øverst.*\n"
        )
    return "\n".join(parts)
