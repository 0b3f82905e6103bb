"""The plugin's options, typed; `mkdocs.yml` may feed them from the environment with `!ENV`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class FrisaettelseConfig(Config):
    # Where the stories are, relative to mkdocs.yml.
    cases_dir = c.Type(str, default="cases")
    # The contributor's fast preview: story pages only; no listings, cards, feed or address record.
    preview = c.Type((bool, int), default=False)
    # Only the publishing build adds new addresses to publicerede-adresser.txt (the deploy workflow commits it).
    record_published_urls = c.Type((bool, int), default=False)
    # Share cards are drawn once and kept here between builds (relative to mkdocs.yml).
    card_cache_dir = c.Type(str, default=".cache/kort")
