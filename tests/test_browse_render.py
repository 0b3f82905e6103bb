"""Story pages, principle pages, the coverage table and the communication kit, rendered from constructed stories:
where a reader goes next, and nothing said twice (no build; the built site is checked in test_browse_build.py)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace

from helpers import parse_html, visible_text
from test_facets import site, story

from frisaettelse import coverage, newsletter, overview, render
from frisaettelse.facets import build_browse
from frisaettelse.markup import Rendered
from frisaettelse.share import story_card


def test_story_facts_are_a_summary_list_that_links_the_area() -> None:
    index = site(story("a", area="kultur og fritid", kind="kommunal regel"))
    facts = render.story_end(index.stories["a"], index).split("</dl>")[0]
    rows = dict(re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", facts))
    assert rows["Område"] == '<a href="../omraade/kultur-og-fritid/">Kultur og fritid</a>'
    assert list(rows)[:2] == ["Fri fra", "Fri til"] and "redaktionen" not in facts
    flat = render.story_end(index.stories["a"], index, udu=False)
    assert 'href="omraade/kultur-og-fritid.html"' in flat


def test_breadcrumb_leads_home_to_the_overview_and_to_the_area() -> None:
    index = site(story("a", area="ældre"))
    crumb = render.breadcrumb(index.stories["a"])
    assert crumb.startswith('<nav class="kruemmesti" aria-label="Brødkrummesti">')
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumb) == [
        ("../../", "Forside"),
        ("../", "Historier"),
        ("../omraade/aeldre/", "Ældre"),
    ]


def test_each_principle_and_hegnspael_links_to_the_stories_that_share_it() -> None:
    index = site(story("a", principles=("kerneopgaven", "hverdagsinnovation")), story("b"), story("c"))
    html = render.story_end(index.stories["a"], index).split("</dl>")[1]
    assert (
        '<li><a href="../../principper/kerneopgaven/">Princip kerneopgaven</a> – '
        '<a href="../princip/kerneopgaven/">alle 3 historier</a></li>' in html
    )
    assert '<li><a href="../../principper/hverdagsinnovation/">Princip hverdagsinnovation</a></li>' in html
    assert '<a href="../hegnspael/retssikkerhed/">alle 3 historier</a>' in html
    assert '<li><a href="../regel/lokal-vane/">Lokal vane/‘plejer’</a></li>' in html
    # One section, who linked it said once, as inset text; its headings go into the page's table of contents.
    assert [level for level, _, _ in render.generated_headings(html)] == [2, 3, 3, 3, 3]
    assert html.count('class="indskudt"') == 1


def test_a_summary_that_only_repeats_fri_til_is_said_once() -> None:
    index = site(story("a"), story("b"))
    index.stories["a"] = replace(index.stories["a"], description="Tid til børnene.", freed_to="“Tid til børnene”")
    no_body = Rendered("", frozenset(), ())
    same, other = (render.story_content(s, no_body)[0] + render.story_end(s, index) for s in index.stories.values())
    assert same.count("Tid til børnene") == 1 and '<p class="resume">' not in same
    assert "<dt>Fri til</dt><dd>“Tid til børnene”</dd>" in same
    assert '<p class="resume">Resumé af b</p>' in other and "<dt>Fri til</dt><dd>Tid</dd>" in other
    assert render.same_text("Ro og tid – til 'alle'.", "ro og TID til alle") and not render.same_text("Tid", "Ro")


def test_principle_page_links_to_its_cards_also_when_few() -> None:
    index = site(story("a"), story("b", principles=("hverdagsinnovation",)))
    section = render.concept_stories(index.principles["kerneopgaven"], index)
    assert '<a href="../../historier/princip/kerneopgaven/">Find historierne efter område</a>' in section
    assert section.count('class="historiekort"') == 1 and section.count('class="indskudt"') == 1
    empty = render.concept_stories(index.principles["borgernes-ressourcer"], index)
    assert "Find historierne" not in empty and "Ingen historier endnu" in empty and "indskudt" not in empty


def test_coverage_is_one_table_whose_numbers_link_to_the_stories() -> None:
    index = site(
        story("a", principles=("kerneopgaven", "hverdagsinnovation")),
        story("b"),
        story("c", area="skole", principles=("hverdagsinnovation",)),
    )
    html = coverage.coverage_section(build_browse(index), index, "historier/daekning.md")
    assert "<svg" not in html and html.count("<table") == 1
    assert '<a href="../omraade/dagtilbud/princip/kerneopgaven/">2</a>' in html
    assert '<a href="../omraade/skole/princip/hverdagsinnovation/">1</a>' in html
    assert 'class="daekning__antal daekning__antal--3"><a href="../omraade/dagtilbud/princip/kerneopgaven/">' in html
    # Empty cells say nothing visible; the caption says once what an empty cell means; the phone's list names the
    # areas without stories once.
    assert html.count("Tomme felter: ingen historier endnu.") == 1
    empty = html.count('<td class="daekning__tom">')
    assert empty == 9 * 5 - 3
    assert html.count('<td class="daekning__tom"><span class="visuelt-skjult">0</span></td>') == empty
    # On a phone the same numbers are a list per area (CSS shows it below 45em); no cell repeats the editors' note.
    areas = re.findall(r'<p class="daekning-liste__omraade"[^>]*><a href="([^"]+)">([^<]+)</a>: ([^<]+)</p>', html)
    assert areas == [
        ("../omraade/dagtilbud/", "Dagtilbud", "2 historier i alt"),
        ("../omraade/skole/", "Skole", "1 historie i alt"),
    ]
    assert "Ingen historier endnu fra: Ældre, " in html and "redaktionen" not in html.split("</div>", 1)[1]
    assert [coverage.shade(n, 3) for n in (1, 2, 3)] == [1, 2, 3] and coverage.shade(1, 30) == 1


def test_communication_kit_shows_each_share_image_with_alt_text_and_a_download_link() -> None:
    index = site(story("a", principles=("kerneopgaven", "hverdagsinnovation")))
    index.stories["a"] = replace(index.stories["a"], title="Fri fra <skemaet> & mere")
    kit = newsletter.kit_markdown(index, "https://eksempel.dk/", "om/kommunikation.md")
    assert '<img src="../../kort/a.png"' in kit and 'width="1200" height="630"' in kit
    assert '<a href="../../kort/a.png" download="a.png">Hent delingsbilledet' in kit
    alt = re.search(r'alt="([^"]*)"', kit).group(1)
    card = story_card(index.stories["a"], index)
    assert alt == (
        "Delingsbillede. Historie fra praksis: Fri fra &lt;skemaet&gt; &amp; mere. Område: Dagtilbud. "
        "Fortællerens valg af princip: Princip kerneopgaven. Fortællerens valg af princip: Princip hverdagsinnovation."
    )
    assert card.chip == "Dagtilbud" and "<skemaet>" not in kit
    flat = newsletter.kit_markdown(index, "https://eksempel.dk/", "om/kommunikation.md", udu=False)
    assert '<img src="../kort/a.png"' in flat


def test_a_long_list_is_paginated_with_accessible_page_links_that_resolve() -> None:
    index = site(*[story(f"s{n:03}", day=n) for n in range(64)], story("skole", area="skole"))
    browse = build_browse(index)
    pages = {p.src_uri.removesuffix(".md").removesuffix("index").rstrip("/") + "/": p for p in browse.pages}
    known = {*pages, *(s.url for s in index.stories.values())}
    shown = {u: overview.fill_listing(overview.LISTING_PLACEHOLDER, p.src_uri, browse, index) for u, p in pages.items()}
    cards = {u: html.count('<li class="historiekort">') for u, html in shown.items()}
    assert [cards["historier/"], cards["historier/side/2/"]] == [50, 15]
    assert [cards["historier/omraade/dagtilbud/"], cards["historier/omraade/dagtilbud/side/2/"]] == [50, 14]
    assert "historier/omraade/skole/side/2/" not in pages
    second = shown["historier/side/2/"]
    nav = second[second.index('<nav class="sidevalg"') :]
    assert 'aria-label="Sider i listen"' in nav
    assert 'aria-current="page"><span class="visuelt-skjult">Side </span>2' in nav and 'href="../../" rel="prev"' in nav
    assert "side 2 af 2" in visible_text(shown["historier/omraade/dagtilbud/side/2/"])
    for page_url in ("historier/", "historier/side/2/", "historier/omraade/dagtilbud/side/2/"):
        for href in parse_html(shown[page_url]).links:
            path, _, anchor = href.partition("#")
            target = posixpath.normpath(posixpath.join(page_url, path)) + "/"
            if not path:
                assert f'id="{anchor}"' in shown[page_url], (page_url, href)
            elif target.startswith("historier/"):
                assert target in known, (page_url, href)
