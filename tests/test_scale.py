"""Pages that list stories stay bounded however many stories there are (the benchmark measures the sizes)."""

from __future__ import annotations

import datetime as dt

from frisaettelse.listings import REGISTER_LIMIT, register
from frisaettelse.newsletter import KIT_LIMIT, kit_markdown
from test_index import index_of, story


def many(count: int):
    return index_of(*[story(f"s{i:04d}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(count)])


def test_register_shows_the_newest_per_kind_and_links_to_all() -> None:
    index = many(REGISTER_LIMIT + 30)
    markdown = register(index, "historier/fri-fra.md")
    assert markdown.count("\n- **") + markdown.startswith("- **") == REGISTER_LIMIT
    assert f"De {REGISTER_LIMIT} nyeste er vist her." in markdown
    assert f"({REGISTER_LIMIT + 30} historier)](regel/kommunal-regel.md)" in markdown
    newest = index.newest()[0]
    assert f"({newest.slug}.md)" in markdown and f"({index.newest()[-1].slug}.md)" not in markdown


def test_communication_kit_shows_the_newest_and_points_to_the_rest() -> None:
    index = many(KIT_LIMIT + 7)
    markdown = kit_markdown(index, "https://eksempel.dk/", "om/kommunikation.md")
    assert markdown.count('class="md-button uddrag__knap"') == KIT_LIMIT
    assert f"De 7 ældre finder du i [oversigten over historier](../historier/index.md)" in markdown
    small = kit_markdown(many(3), "https://eksempel.dk/", "om/kommunikation.md")
    assert small.count("uddrag__knap") == 3 and "ældre" not in small
