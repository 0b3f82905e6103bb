"""Pages that list stories stay bounded however many stories there are (the benchmark measures the sizes)."""

from __future__ import annotations

import datetime as dt

from test_index import index_of, story

from frisaettelse.facets import build_browse
from frisaettelse.newsletter import KIT_LIMIT, kit_markdown
from frisaettelse.register import REGISTER_LIMIT, register


def many(count: int):
    return index_of(*[story(f"s{i:04d}", date=dt.date(2020, 1, 1) + dt.timedelta(days=i)) for i in range(count)])


def test_register_shows_the_newest_per_kind_and_links_to_all() -> None:
    index = many(REGISTER_LIMIT + 30)
    html = register(build_browse(index), index, "historier/fri-fra.md")
    assert html.count("<li><a ") == REGISTER_LIMIT
    assert f"De {REGISTER_LIMIT} nyeste er vist her." in html
    assert f'<a href="../regel/kommunal-regel/">Alle historier om kommunal regel ({REGISTER_LIMIT + 30})</a>' in html
    newest = index.newest()[0]
    assert f'"../{newest.slug}/"' in html and f'"../{index.newest()[-1].slug}/"' not in html


def test_communication_kit_shows_the_newest_and_points_to_the_rest() -> None:
    index = many(KIT_LIMIT + 7)
    markdown = kit_markdown(index, "https://eksempel.dk/", "om/kommunikation.md")
    assert markdown.count('class="md-button uddrag__knap"') == KIT_LIMIT
    assert "De 7 ældre finder du i [oversigten over historier](../historier/index.md)" in markdown
    small = kit_markdown(many(3), "https://eksempel.dk/", "om/kommunikation.md")
    assert small.count("uddrag__knap") == 3 and "ældre" not in small


def test_tags_get_one_page_each_grouped_in_one_pass() -> None:
    from dataclasses import replace

    from frisaettelse.facets import build_browse

    index = many(120)
    for i, slug in enumerate(sorted(index.stories)):
        index.stories[slug] = replace(index.stories[slug], tags=("Sprog", "sprog") if i % 2 else ("åbningstid",))
    index._link_reverse_maps()
    tags = build_browse(index).tags
    assert [(v.id, v.label, v.count) for v in tags.values] == [
        ("sprog", "Sprog", 60),  # å sorts after z
        ("aabningstid", "åbningstid", 60),
    ]
    pages = [p for p in build_browse(index).pages if p.value in tags.values]
    assert sorted(p.src_uri for p in pages) == [
        "historier/emneord/aabningstid.md",
        "historier/emneord/aabningstid/side/2.md",
        "historier/emneord/sprog.md",
        "historier/emneord/sprog/side/2.md",
    ]


def test_only_lasting_urls_join_the_record() -> None:
    from frisaettelse.addresses import is_lasting

    assert is_lasting("/historier/aendret-aabningstid/") and is_lasting("/historier/emneord/")
    assert is_lasting("/historier/omraade/dagtilbud/")
    assert not is_lasting("/historier/side/2/") and not is_lasting("/historier/omraade/skole/side/3/")
    assert not is_lasting("/historier/emneord/sprog/")


def test_concept_pages_show_the_newest_and_link_to_all() -> None:
    from frisaettelse.model import Concept
    from frisaettelse.render import CONCEPT_STORY_LIMIT, concept_stories
    from frisaettelse.schema import ConceptKind

    index = many(CONCEPT_STORY_LIMIT + 5)
    concept = Concept(ConceptKind.PRINCIPLE, "kerneopgaven", "Kerneopgaven", "d", 1, "principper/kerneopgaven.md")
    markdown = concept_stories(concept, index)
    assert markdown.count('<li class="historiekort">') == CONCEPT_STORY_LIMIT
    assert (
        f'<a href="../../historier/princip/kerneopgaven/">Se alle {CONCEPT_STORY_LIMIT + 5} historier</a>' in markdown
    )
    few = concept_stories(concept, many(3))
    assert few.count('<li class="historiekort">') == 3 and "Se alle" not in few
