"""Copy-ready snippets for newsletters and the intranet (title, summary, link, share image), one `snippet()` for
the "Til kommunikation" page and `python -m frisaettelse nyhedsbrev`."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from . import addresses
from .cards import HEIGHT, WIDTH
from .export import story_url
from .model import SiteIndex, Story
from .render import href, macro, story_link
from .sanitize import pasted_markdown
from .share import story_card

READ_MORE = "Læs historien"


def snippet(story: Story, site_url: str, fmt: str = "tekst") -> str:
    """One story as a newsletter snippet in the given format ('tekst', 'markdown' or 'html')."""
    url = story_url(story, site_url)
    if fmt == "tekst":
        return f"{story.title}\n{story.description}\n{READ_MORE}: {url}"
    if fmt == "markdown":
        return f"**[{pasted_markdown(story.title)}]({url})**  \n{pasted_markdown(story.description)}"
    if fmt == "html":
        return str(macro("newsletter.html", "snippet")(story, url))
    raise ValueError(f"ukendt format '{fmt}'")


def stories_since(index: SiteIndex, since: dt.date | None) -> list[Story]:
    """Newest first; only stories dated on or after `since`."""
    return [s for s in index.newest() if since is None or s.date >= since]


def snippets(stories: list[Story], site_url: str, fmt: str) -> str:
    return "\n\n".join(snippet(s, site_url, fmt) for s in stories) + "\n"


KIT_LIMIT = 40  # the page stays small however many stories there are; older ones are a search away


def card_alt(story: Story, index: SiteIndex) -> str:
    """The share image's alt text: exactly what is drawn on it."""
    card = story_card(story, index)
    lines = " ".join(f"{line}." for line in card.lines)
    return f"Delingsbillede. {card.kicker}: {card.title}. Område: {card.chip}. {lines}".strip()


def card_figure(story: Story, index: SiteIndex, page_src: str, udu: bool = True) -> Markup:
    """A story's share image (kort/<slug>.png), small, with a download link and its size."""
    image = addresses.relative_url(addresses.card_path(story.slug), addresses.page_url(page_src, udu))
    return macro("newsletter.html", "figure")(story, image, card_alt(story, index), WIDTH, HEIGHT)


def kit_markdown(index: SiteIndex, site_url: str, page_src: str, limit: int = KIT_LIMIT, udu: bool = True) -> str:
    """The newest stories, each with its snippet, a copy button and its share image to download."""
    parts = []
    for story in index.newest(limit):
        slug, plain, rich = story.slug, snippet(story, site_url, "tekst"), snippet(story, site_url, "html")
        item = macro("newsletter.html", "kit_item")(story, plain, rich, card_figure(story, index, page_src, udu))
        parts.append(f"### {story_link(story, page_src)} {{ #uddrag-{slug} }}\n\n{item}")
    if not parts:
        return "*Ingen historier endnu.*\n"
    older = len(index.stories) - len(parts)
    if older > 0:
        overview = href("historier/index.md", page_src)
        parts.append(
            f"*Siden viser de {len(parts)} nyeste historier. De {older} ældre finder du i "
            f"[oversigten over historier]({overview}); hver historie har titel, resumé og adresse øverst.*\n"
        )
    return "\n".join(parts)
