"""Facets, pagination, coverage, the register and related stories, on constructed stories (no build)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import partial
from pathlib import Path

from helpers import make_story

from frisaettelse.addresses import is_lasting
from frisaettelse.facets import build_browse, page_srcs
from frisaettelse.model import Browse, Concept, FacetValue, SiteIndex, Story
from frisaettelse.overview import filter_nav, url
from frisaettelse.render import drawn_card, macro, part
from frisaettelse.schema import AREAS, ConceptKind

PRINCIPLES = (
    "kerneopgaven",
    "formaal-og-retning",
    "hverdagsinnovation",
    "frisaettende-ledelse",
    "borgernes-ressourcer",
)
BOUNDARIES = ("retssikkerhed", "politiske-maal", "helhedsloesninger", "kvalitet-og-vaerdi")
# The chosen values, each a link that removes it ("Dagtilbud ✕", said as "Fjern filteret Dagtilbud"): (browse, page, udu)
chosen_filters = partial(part, "listing.html", "chosen_filters")


def story(
    slug: str,
    *,
    day: int = 1,
    area: str = "dagtilbud",
    principles: tuple[str, ...] = ("kerneopgaven",),
    boundaries: tuple[str, ...] = ("retssikkerhed",),
    kind: str = "lokal vane",
    title: str | None = None,
) -> Story:
    return make_story(
        slug,
        title=title or slug,
        date=dt.date(2024, 1, 1) + dt.timedelta(days=day),
        area=area,
        principles=principles,
        boundaries=boundaries,
        freed_from_kind=kind,
    )


def site(*stories: Story) -> SiteIndex:
    index = SiteIndex(root=Path("/x"))
    index.principles = {
        pid: Concept(ConceptKind.PRINCIPLE, pid, f"Princip {pid}", "", n, f"principper/{pid}.md")
        for n, pid in enumerate(PRINCIPLES, start=1)
    }
    index.boundaries = {
        bid: Concept(ConceptKind.BOUNDARY, bid, f"Hegnspæl {bid}", "", n, f"hegnspaele/{bid}.md")
        for n, bid in enumerate(BOUNDARIES, start=1)
    }
    index.stories = {s.slug: s for s in stories}
    index._link_reverse_maps()
    return index


def value(browse: Browse, facet_key: str, value_id: str) -> FacetValue:
    return next(v for f in browse.facets if f.key == facet_key for v in f.values if v.id == value_id)


def test_every_facet_value_is_listed_with_its_count_including_zero() -> None:
    index = site(
        story("a", area="skole", kind="statslig regel"),
        story("b", area="skole"),
        story("c", area="ældre", principles=("hverdagsinnovation",)),
    )
    browse = build_browse(index)
    areas = {v.id: v.count for v in next(f for f in browse.facets if f.key == "omraade").values}
    assert len(areas) == len(AREAS)
    assert areas["skole"] == 2 and areas["aeldre"] == 1 and areas["dagtilbud"] == 0
    assert areas["kultur-og-fritid"] == 0 and areas["tvaergaaende"] == 0
    assert value(browse, "princip", "kerneopgaven").count == 2
    assert value(browse, "princip", "borgernes-ressourcer").count == 0
    assert value(browse, "regel", "statslig-regel").count == 1
    assert value(browse, "regel", "lokal-vane").count == 2
    assert value(browse, "hegnspael", "retssikkerhed").count == 3
    # Every value has a page, also the empty ones, so links to it never break.
    assert browse.page("historier/omraade/dagtilbud.md").stories == ()


def test_facet_values_list_stories_newest_first() -> None:
    index = site(story("gammel", day=1), story("ny", day=30), story("midt", day=10))
    assert [s.slug for s in value(build_browse(index), "omraade", "dagtilbud").stories] == ["ny", "midt", "gammel"]


def test_long_lists_are_paginated_and_short_ones_are_not() -> None:
    stories = [story(f"s{n:03}", day=n) for n in range(120)] + [story("skole", area="skole")]
    browse = build_browse(site(*stories), page_size=50)
    overview = [p for p in browse.pages if p.value is None]
    assert [p.src_uri for p in overview] == ["historier/index.md", "historier/side/2.md", "historier/side/3.md"]
    assert [len(p.stories) for p in overview] == [50, 50, 21]
    assert overview[0].stories[0].slug == "s119"  # newest first across pages
    area = [p for p in browse.pages if p.value and p.value.id == "dagtilbud"]
    assert [p.src_uri for p in area] == [
        "historier/omraade/dagtilbud.md",
        "historier/omraade/dagtilbud/side/2.md",
        "historier/omraade/dagtilbud/side/3.md",
    ]
    assert len([p for p in browse.pages if p.value and p.value.id == "skole"]) == 1
    assert "historier/index.md" not in {p.src_uri for p in browse.generated}


def test_page_sources() -> None:
    assert page_srcs("historier/index.md", 2) == ("historier/index.md", "historier/side/2.md")
    assert page_srcs("historier/regel/lokal-vane.md", 1) == ("historier/regel/lokal-vane.md",)


def test_pagination_nav_is_labelled_and_marks_the_current_page() -> None:
    pagination = macro("listing.html", "pagination")
    browse = build_browse(site(*[story(f"s{n}", day=n) for n in range(7)]), page_size=3)
    second = browse.page("historier/side/2.md")
    html = pagination(second, True)
    assert 'aria-label="Sider i listen"' in html
    assert '<a href="./" aria-current="page"><span class="visuelt-skjult">Side </span>2</a>' in html
    assert 'href="../../" rel="prev"' in html and 'href="../3/" rel="next"' in html
    assert pagination(build_browse(site(story("a"))).page("historier/index.md"), True) == ""


def test_filter_marks_the_current_value_and_shows_counts() -> None:
    index = site(story("a", area="skole"))
    browse = build_browse(index)
    html = filter_nav(browse, browse.page("historier/omraade/skole.md"))
    assert '<a href="./" aria-current="page">Skole <span class="historiefilter__antal">(1)</span></a>' in html
    # Values without stories are no choice: named once, quietly, under their group, with no "(0)".
    assert "(0)" not in html and 'href="../aeldre/"' not in html
    quiet = re.findall(r'<p class="historiefilter__tom">Ingen historier endnu: ([^<]*)\.</p>', html)
    assert "Ældre" in quiet[0].split(", ") and "Skole" not in quiet[0]
    assert '<a href="../../">Alle historier <span class="historiefilter__antal">(1)</span></a>' in html
    assert html.index("<details") < html.index("Alle historier") and "<summary>" in html


def links(html: str) -> dict[str, str]:
    """Link text (without the count) -> href, for every link in a piece of filter HTML."""
    return {
        re.sub(r"<[^>]+>|\s*\(\d+\)", "", inner).strip(): target
        for target, inner in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html)
    }


def counts(html: str) -> dict[str, int]:
    """Label -> count for every value in the filter, linked or not."""
    return {
        re.sub(r"<[^>]+>", "", label).strip(): int(n)
        for label, n in re.findall(
            r'<a href="[^"]*"[^>]*>([^<]*) '
            r'<span class="historiefilter__antal">\((\d+)\)</span>',
            html,
        )
    }


def test_counts_on_a_filtered_page_are_for_that_pages_stories() -> None:
    index = site(
        story("a", area="skole", principles=("kerneopgaven",), kind="statslig regel"),
        story("b", area="skole", principles=("kerneopgaven", "hverdagsinnovation")),
        story("c", area="ældre", principles=("kerneopgaven",)),
        story("d", area="ældre", principles=("borgernes-ressourcer",)),
    )
    browse = build_browse(index)
    school = filter_nav(browse, browse.page("historier/omraade/skole.md"))
    shown = counts(school)
    assert shown["Princip kerneopgaven"] == 2 and shown["Princip hverdagsinnovation"] == 1
    assert "Princip borgernes-ressourcer" not in shown  # one story has it, but not from a school: no choice
    assert "Princip borgernes-ressourcer" in re.findall(r'historiefilter__tom">([^<]*)<', school)[1]
    assert shown["Statslig regel"] == 1 and shown["Lokal vane/‘plejer’"] == 1
    assert shown["Skole"] == 2 and shown["Ældre"] == 2  # another area: how many that area's page has
    # The principle's link goes to the page for both filters; a value with no school story is no link.
    assert links(school)["Princip kerneopgaven"] == "princip/kerneopgaven/"  # from /historier/omraade/skole/
    assert "Princip borgernes-ressourcer" not in links(school)
    principle = filter_nav(browse, browse.page("historier/princip/kerneopgaven.md"))
    assert counts(principle)["Skole"] == 2 and counts(principle)["Ældre"] == 1
    assert counts(principle)["Princip borgernes-ressourcer"] == 1  # on the principle's page: that principle's page
    assert links(principle)["Ældre"] == "../../omraade/aeldre/princip/kerneopgaven/"


def test_area_and_one_more_filter_get_a_page_only_where_there_are_stories() -> None:
    index = site(
        story(
            "a",
            area="skole",
            principles=("kerneopgaven", "hverdagsinnovation"),
            kind="statslig regel",
            boundaries=("retssikkerhed", "politiske-maal"),
        ),
        story("b", day=5, area="skole", principles=("kerneopgaven",)),
        story("c", area="ældre", principles=("kerneopgaven",)),
    )
    browse = build_browse(index)
    combined = {p.src_uri: [s.slug for s in p.stories] for p in browse.pages if len(p.values) == 2}
    assert combined == {
        "historier/omraade/skole/princip/kerneopgaven.md": ["b", "a"],  # newest first
        "historier/omraade/skole/princip/hverdagsinnovation.md": ["a"],
        "historier/omraade/skole/hegnspael/retssikkerhed.md": ["b", "a"],
        "historier/omraade/skole/hegnspael/politiske-maal.md": ["a"],
        "historier/omraade/skole/regel/statslig-regel.md": ["a"],
        "historier/omraade/skole/regel/lokal-vane.md": ["b"],
        "historier/omraade/aeldre/princip/kerneopgaven.md": ["c"],
        "historier/omraade/aeldre/hegnspael/retssikkerhed.md": ["c"],
        "historier/omraade/aeldre/regel/lokal-vane.md": ["c"],
    }
    page = browse.page("historier/omraade/skole/princip/kerneopgaven.md")
    assert page.title == "Historier fra området Skole knyttet til princippet: Princip kerneopgaven"
    # Every count agrees with counting by hand, for every area and every other value.
    area_values = browse.facets[0].values
    for area in area_values:
        for other in (v for f in browse.facets[1:] for v in f.values):
            expected = [s for s in index.newest() if s in area.stories and s in other.stories]
            assert browse.count(area, other) == len(expected), (area.id, other.id)
            assert (browse.src_for(area, other) is None) == (not expected)


def test_combined_pages_are_paginated_like_the_others() -> None:
    index = site(*[story(f"s{n:03}", day=n) for n in range(7)])
    browse = build_browse(index, page_size=3)
    srcs = [p.src_uri for p in browse.pages if p.src_uri.startswith("historier/omraade/dagtilbud/princip/")]
    assert srcs == [
        "historier/omraade/dagtilbud/princip/kerneopgaven.md",
        "historier/omraade/dagtilbud/princip/kerneopgaven/side/2.md",
        "historier/omraade/dagtilbud/princip/kerneopgaven/side/3.md",
    ]


def test_a_filtered_page_links_to_the_list_without_each_filter() -> None:
    index = site(story("a", area="skole"))
    browse = build_browse(index)
    both = browse.page("historier/omraade/skole/princip/kerneopgaven.md")
    html = chosen_filters(browse, both)
    assert links(html) == {
        "Skole✕": "../../../../princip/kerneopgaven/",
        "Princip kerneopgaven✕": "../../",
    }  # back to /historier/omraade/skole/
    assert 'aria-label="Fjern filteret Skole"' in html
    assert 'aria-label="Fjern filteret Princip kerneopgaven"' in html
    assert chosen_filters(browse, browse.page("historier/index.md"), True) == ""
    assert links(chosen_filters(browse, browse.page("historier/omraade/skole.md"))) == {"Skole✕": "../../"}
    # The filter's own summary is one control that needs no script.
    nav = filter_nav(browse, both)
    assert nav.count("<details") == 1 and "<script" not in nav
    assert nav.count('aria-current="page"') == 2  # the area and the principle both lead here


def test_combined_addresses_are_not_promised_to_last() -> None:
    for passing in ("omraade/skole/hegnspael/retssikkerhed/", "omraade/skole/regel/lokal-vane/", "emneord/sprog/"):
        assert not is_lasting(f"/historier/{passing}") and not is_lasting(f"/historier/{passing}side/2/")
    for lasting in ("omraade/skole/", "princip/kerneopgaven/", "emneord/", "omraade/skole/princip/"):
        assert is_lasting(f"/historier/{lasting}")


def card(one: Story, mark_teller: str = "") -> str:
    return drawn_card(one, url(one.src_uri, "historier/index.md"), mark_teller)


def test_card_has_one_link_and_marks_only_the_tellers_links() -> None:
    index = site(story("a"), story("b"))
    index.stories["b"] = replace(index.stories["b"], linked_by="redaktionen")
    a, b = index.stories["a"], index.stories["b"]
    for item in (card(a), card(b, "knyttet")):
        assert item.count("<a ") == 1 and item.count('class="historiekort__meta"') == 1
    assert "knyttet af fortælleren" in card(a, "knyttet")
    assert "redaktionen" not in card(b, "knyttet")  # the page says it once
    assert "fortælleren" not in card(a)  # a list not made by links says nothing


def test_card_escapes_contributor_text() -> None:
    index = site(story("a", title="<script>alert(1)</script> {{ config }}"))
    html = card(index.stories["a"])
    assert "<script>" not in html and "{{" not in html
    assert '<a href="a/">&lt;script&gt;' in html


def test_urls_follow_mkdocs_rules() -> None:
    assert url("historier/a.md", "historier/omraade/skole.md") == "../../a/"
    assert url("del-din-historie.md", "historier/daekning.md") == "../../del-din-historie/"
    assert url("historier/a.md", "historier/index.md", use_directory_urls=False) == "a.html"


def test_coverage_counts_stories_per_area_and_principle() -> None:
    index = site(
        story("a", principles=("kerneopgaven", "hverdagsinnovation")),
        story("b"),
        story("c", area="skole", principles=("hverdagsinnovation",)),
    )
    browse = build_browse(index)  # the coverage table's numbers: each area's filter pages per principle
    table = {
        a: {p: len(browse.combined.get((a, "princip", p), ())) for p in PRINCIPLES} for a in ("dagtilbud", "skole")
    }
    assert table["dagtilbud"] == {
        "kerneopgaven": 2,
        "formaal-og-retning": 0,
        "hverdagsinnovation": 1,
        "frisaettende-ledelse": 0,
        "borgernes-ressourcer": 0,
    }
    assert table["skole"]["hverdagsinnovation"] == 1
    assert sum(len(stories) for (_, key, _), stories in browse.combined.items() if key == "princip") == 4


def test_register_groups_every_story_by_kind_of_rule() -> None:
    index = site(story("a", kind="statslig regel"), story("b", kind="lokal vane"), story("c", kind="lokal vane"))
    groups = {v.label: v.stories for f in build_browse(index).facets if f.key == "regel" for v in f.values}
    assert list(groups) == ["Statslig regel", "Kommunal regel", "Lokal vane/‘plejer’"]
    assert [s.slug for s in groups["Statslig regel"]] == ["a"] and groups["Kommunal regel"] == ()
    assert {s.slug for s in groups["Lokal vane/‘plejer’"]} == {"b", "c"}


def test_related_prefers_shared_principles_then_area_and_is_deterministic() -> None:
    me = story("me", area="skole", principles=("kerneopgaven", "hverdagsinnovation"), boundaries=("retssikkerhed",))
    both = story(
        "both", area="ældre", principles=("kerneopgaven", "hverdagsinnovation"), boundaries=("politiske-maal",)
    )  # 2*2 = 4
    area = story("area", area="skole", principles=("borgernes-ressourcer",), boundaries=("politiske-maal",))  # 2
    one_new = story(
        "one-new", day=9, area="ældre", principles=("kerneopgaven",), boundaries=("retssikkerhed",)
    )  # 2+1 = 3
    one_old = story(
        "one-old", day=1, area="ældre", principles=("kerneopgaven",), boundaries=("retssikkerhed",)
    )  # 3, older
    unrelated = story(
        "unrelated", area="social", principles=("frisaettende-ledelse",), boundaries=("kvalitet-og-vaerdi",)
    )
    index = site(me, both, area, one_new, one_old, unrelated)
    assert [s.slug for s in index.related(me)] == ["both", "one-new", "one-old"]
    assert [s.slug for s in index.related(me, limit=10)] == ["both", "one-new", "one-old", "area"]
    assert index.related(unrelated, limit=10) == []  # nothing shared: no padding with random stories
