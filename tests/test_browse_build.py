"""Finding stories on the real built site (`mkdocs build --strict`): overview, facet pages, register, coverage,
tags, search index, last-updated dates and links that all resolve."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import posixpath
import re
import subprocess
import urllib.parse
from pathlib import Path

from helpers import (
    ROOT,
    VALID_STORY,
    article,
    make_site,
    mkdocs_build,
    parse_html,
    real_browse,
    real_index,
    visible_text,
)

from frisaettelse.load import slugify
from frisaettelse.render import danish_date
from frisaettelse.schema import AREAS, RULE_KIND_LABELS

MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"


def last_commit(path: Path) -> dt.date:
    """The file's last commit date straight from git (the build asks git once for all of cases/)."""
    out = subprocess.run(
        ["git", "log", "-1", "--format=%as", "--", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return dt.date.fromisoformat(out) if out else dt.date.today()


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def unescape(html: str) -> str:
    return html.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")


def resolve(site: Path, page_url: str, href: str) -> Path | None:
    """The built file a relative link on `page_url` points at (None for links we do not follow)."""
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")) or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(page_url, urllib.parse.unquote(parts.path)))
    path = site / target.lstrip("/")
    return path / "index.html" if path.is_dir() or parts.path.endswith("/") else path


def assert_links_resolve(site: Path, url: str) -> None:
    html = read(site, url)
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for href in parse_html(article(html)).links:
        if href.startswith("#"):
            assert href[1:] in ids, (url, href)
            continue
        target = resolve(site, "/" + url.strip("/") + "/", href)
        if target is not None:
            assert target.is_file(), (url, href)


LISTING_URLS = ["historier"] + [p.src_uri[:-3] for p in real_browse().generated]


def test_every_facet_value_has_a_page_also_without_stories(built_site: Path) -> None:
    for facet in real_browse().facets:
        for value in facet.values:
            html = read(built_site, value.src_uri[:-3])
            assert "<h1" in html and value.title.split(":")[0] in unescape(html)
            if value.count == 0:
                text = visible_text(article(html))
                assert "Ingen historier endnu." in text and "Del din historie" in text
                assert 'href="../../../del-din-historie/"' in article(html)
    assert (built_site / "historier/omraade/kultur-og-fritid/index.html").is_file()
    assert (built_site / "historier/regel/lokal-vane/index.html").is_file()
    assert (built_site / "historier/hegnspael/retssikkerhed/index.html").is_file()
    assert (built_site / "historier/princip/kerneopgaven/index.html").is_file()


def test_facet_pages_list_exactly_their_stories_newest_first(built_site: Path) -> None:
    for key, matches in (
        ("omraade", lambda s, v: slugify(s.area) == v),
        ("princip", lambda s, v: v in s.principles),
        ("hegnspael", lambda s, v: v in s.boundaries),
        ("regel", lambda s, v: slugify(s.freed_from_kind) == v),
    ):
        for value in next(f for f in real_browse().facets if f.key == key).values:
            html = article(read(built_site, value.src_uri[:-3]))
            cards = html[html.index('id="historierne"') :]
            listed = re.findall(r'<h3 class="historiekort__titel"><a href="\.\./\.\./([^/"]+)/"', cards)
            expected = [s.slug for s in real_index().newest() if matches(s, value.id)]
            assert listed == expected, (key, value.id)


def test_filters_show_every_value_with_its_count_and_mark_the_current_one(built_site: Path) -> None:
    html = article(read(built_site, "historier/omraade/dagtilbud"))
    start = html.index('<nav class="historiefilter"')
    nav = html[start : html.index("</nav>", start)]
    text = visible_text(nav)
    for area in AREAS:  # an area with stories is a choice with its count; the others are named once, quietly
        count = sum(1 for s in real_index().stories.values() if s.area == area)
        assert (f"{area.capitalize()} ({count})" if count else f"{area.capitalize()}") in text
    assert "(0)" not in text
    for label in RULE_KIND_LABELS.values():
        assert label in unescape(text)
    for concept in [*real_index().principles.values(), *real_index().boundaries.values()]:
        assert unescape(concept.title) in unescape(text)
    assert re.search(r'<a href="\./" aria-current="page">Dagtilbud <span', nav)
    assert nav.count("aria-current") == 1
    overview = article(read(built_site, "historier"))
    assert f'Alle historier <span class="historiefilter__antal">({len(real_index().stories)})</span>' in overview
    assert 'aria-current="page">Alle historier' in overview


def test_overview_shows_every_story_as_a_card_newest_first(built_site: Path) -> None:
    html = article(read(built_site, "historier"))
    cards = html[html.index('id="historierne"') :]
    assert re.findall(r'<h3 class="historiekort__titel"><a href="([^/"]+)/"', cards) == [
        s.slug for s in real_index().newest()
    ]
    story = real_index().newest()[0]
    card = cards[cards.index(f'href="{story.slug}/"') :]
    card = card[: card.index("</li>")]
    text = unescape(visible_text(card))
    assert story.title in text and story.description in text and story.area.capitalize() in text
    assert danish_date(story.date) in text and f'datetime="{story.date.isoformat()}"' in card
    assert card.count("<a ") == 0 and card.count("href=") == 1  # one link (the card starts at its href)
    assert card.count('class="historiekort__meta"') == 1


def test_listing_pages_stay_out_of_search_and_toc(built_site: Path) -> None:
    docs = json.loads((built_site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = {d["location"].split("#")[0] for d in docs}
    for story in real_index().stories.values():
        assert story.url in locations  # stories from cases/ are searchable
    assert not any(
        loc.startswith(
            ("historier/omraade/", "historier/princip/", "historier/regel/", "historier/hegnspael/", "historier/side/")
        )
        for loc in locations
    )
    assert "historier/" in locations


def test_every_link_on_the_browsing_pages_resolves(built_site: Path) -> None:
    for url in [
        *LISTING_URLS,
        "historier/fri-fra",
        "historier/daekning",
        "historier/emneord",
        *(s.url.rstrip("/") for s in real_index().stories.values()),
    ]:
        assert_links_resolve(built_site, url)


def test_register_lists_every_rule_by_kind_linked_to_its_story(built_site: Path) -> None:
    html = article(read(built_site, "historier/fri-fra"))
    assert 'href="../../baggrund/frisaettelse-fra-hvad/"' in html
    headings = [visible_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    untold = any(not s.tells_freed_from for s in real_index().stories.values())  # listed apart, after the kinds
    assert [unescape(h).rstrip(" ¶") for h in headings] == [*RULE_KIND_LABELS.values()] + ["Ikke oplyst"] * untold
    sections = re.split(r"<h2[^>]*>", html)[1:]
    for kind, section in zip([*RULE_KIND_LABELS, "ikke oplyst"], sections, strict=False):
        for story in real_index().stories.values():
            line = f'href="../{story.slug}/"'
            if story.freed_from_kind == kind:
                assert line in section and unescape(story.freed_from) in unescape(visible_text(section))
            else:
                assert line not in section


def test_coverage_is_one_accessible_table_whose_numbers_lead_to_the_stories(built_site: Path) -> None:
    html = article(read(built_site, "historier/daekning"))
    assert "daekning-svg" not in html and "<figure" not in html  # the table is the picture: no second copy
    table = html[html.index('<table class="daekning">') : html.index("</table>")]
    assert "<caption>" in table
    assert table.count('<th scope="col">') == 2 + len(real_index().principles)
    assert table.count('<th scope="row">') == len(AREAS)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S)
    for area, row in zip(AREAS, rows, strict=False):
        cells = re.findall(r"<td class=\"daekning__(antal|tom)[^\"]*\">(.*?)</td>", row)
        for concept, (kind, content) in zip(real_index().concepts("princip"), cells, strict=False):
            count = sum(1 for s in real_index().stories.values() if s.area == area and concept.id in s.principles)
            if count:
                link = f'<a href="../omraade/{slugify(area)}/princip/{concept.id}/">{count}</a>'
                assert kind == "antal" and content.startswith(link), (area, concept.id, content)
                listed = article(read(built_site, f"historier/omraade/{slugify(area)}/princip/{concept.id}"))
                assert listed.count('<li class="historiekort">') == count
            else:
                assert kind == "tom" and visible_text(content) == "0"  # for screen readers; nothing to see
    # What an empty cell means is said once, not in every empty cell.
    assert visible_text(html).count("ingen historier endnu") == 1
    assert "<script" not in html


def test_related_stories_on_every_story_page(built_site: Path) -> None:
    for story in real_index().stories.values():
        html = article(read(built_site, story.url.rstrip("/")))
        expected = [s.slug for s in real_index().related(story)]
        if not expected:
            assert 'id="andre-historier"' not in html
            continue
        section = html[html.index('id="andre-historier"') :]
        section = section[: section.index("</ul>")]
        assert re.findall(r'href="\.\./([^/"]+)/"', section) == expected


def test_story_tags_link_to_tag_pages_listed_on_the_danish_tag_index(built_site: Path) -> None:
    index_html = article(read(built_site, "historier/emneord"))
    for story in real_index().stories.values():
        html = read(built_site, story.url.rstrip("/"))
        for tag in story.tags:
            tag_page = f"emneord/{slugify(tag)}/"
            assert re.search(
                r'<a href="\.\./' + re.escape(tag_page) + r'" class="md-tag">' + re.escape(tag) + "</a>", html
            ), (story.slug, tag)
            assert f'href="{slugify(tag)}/">{tag}</a>' in index_html
            assert f'href="../../{story.slug}/"' in read(built_site, f"historier/{tag_page.rstrip('/')}")
    assert "<h1" in index_html and ">Emneord<" in index_html


def test_last_updated_in_danish_on_every_page(built_site: Path) -> None:
    for story in real_index().stories.values():  # from the file's git history, never the date the story was told
        html = read(built_site, story.url.rstrip("/"))
        assert f"Sidst opdateret: {danish_date(last_commit(story.abs_path))}" in visible_text(html)
    for url in ["", "principper/kerneopgaven", "historier", "historier/fri-fra", "historier/omraade/dagtilbud"]:
        html = read(built_site, url) if url else (built_site / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"Sidst opdateret: (<[^>]+>)?\d{{1,2}}\. ({MONTHS}) \d{{4}}", html), url


def test_nav_has_the_browsing_pages_and_the_accessibility_statement(built_site: Path) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    for url in ("historier/fri-fra/", "historier/daekning/", "historier/emneord/", "om/tilgaengelighed/"):
        assert f'href="{url}"' in nav, url


def test_a_story_cannot_take_the_address_of_a_browsing_page(tmp_path: Path) -> None:
    names = ("fri-fra", "daekning")
    site = make_site(tmp_path, keep_cases=True, stories={f"{name}.md": VALID_STORY for name in names})
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    for name in names:
        assert f"cases/{name}.md:1: FM013 Filnavnet giver adressen historier/{name}/, som sitet selv bruger" in (
            result.stderr
        )


def test_a_copy_without_git_builds_strict_with_working_links_and_no_call_to_github(
    copy_site: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    """Copies of the project (tests, downloads) are not git repositories: no page shows a date (never the build
    date), nothing warns; every link `tjek` lets through passes the strict build too. With repo_url set, the theme's
    script would fetch stars and forks from GitHub's API in every visitor's browser: it never does."""
    site, out, result = copy_site
    assert subprocess.run(["git", "rev-parse"], cwd=site, capture_output=True).returncode != 0
    assert "WARNING" not in result.stderr
    story = real_index().newest()[0]
    for url in ("historier/fri-fra", "om", story.url.rstrip("/"), "historier/link-0"):
        assert "Sidst opdateret:" not in visible_text(read(out, url)), url
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/eksempel/frisaettelse"' in home
    assert 'data-md-component="source"' not in home
    statement = article(read(out, "om/tilgaengelighed"))
    assert 'href="https://github.com/eksempel/frisaettelse/issues/new"' in statement


# --- where am I, where next ------------------------------------------------------------------------------------------


def nav_menu(html: str) -> str:
    return html[html.index('<nav class="md-nav md-nav--primary"') : html.index('<div class="md-content"')]


def test_story_pages_say_where_they_are_and_lead_on(built_site: Path) -> None:
    for story in real_index().stories.values():
        whole = read(built_site, story.url.rstrip("/"))
        html = article(whole)
        start = html.index('<nav class="kruemmesti"')
        crumb = html[start : html.index("</nav>", start)]
        area = slugify(story.area)
        assert re.findall(r'<a href="([^"]+)">', crumb) == ["../../", "../", f"../omraade/{area}/"]
        assert html.index('<nav class="kruemmesti"') < html.index("<h1")
        facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, re.S))
        assert f'<a href="../omraade/{area}/">{story.area.capitalize()}</a>' == facts["Område"]
        if story.tells_freed_from:
            kind = html[html.index('id="slags-regel"') :]
            assert f'<a href="../regel/{slugify(story.freed_from_kind)}/">' in kind[: kind.index("</ul>")]
        for kind, folder, ids in (
            ("princip", "princip", story.principles),
            ("hegnspæl", "hegnspael", story.boundaries),
        ):
            for concept_id in ids:
                sharing = len(real_index().stories_for(kind, concept_id))
                if sharing > 1:
                    label = "begge historier" if sharing == 2 else f"alle {sharing} historier"
                    assert f'<a href="../{folder}/{concept_id}/">{label}</a>' in html
        # "Historier" is the menu's current section (the theme only marks pages that are in the menu).
        menu = nav_menu(whole)
        active = re.findall(
            r'<li class="md-nav__item md-nav__item--active[^"]*">\s*<input[^>]*>\s*'
            r'<div class="md-nav__link md-nav__container">\s*<a href="([^"]+)"',
            menu,
        )
        assert active == ["../"], story.slug
    for url in LISTING_URLS:
        menu = nav_menu(read(built_site, url))
        assert re.search(
            r'md-nav__item--active md-nav__item--nested">\s*<input[^>]*checked>\s*'
            r'<div class="md-nav__link md-nav__container">\s*<a href="[./]*"',
            menu,
        ), url
    other_section = nav_menu(read(built_site, "principper/kerneopgaven"))
    assert not re.search(
        r'md-nav__item--active[^"]*">\s*<input[^>]*>\s*<div class="md-nav__link md-nav__container">'
        r'\s*<a href="\.\./\.\./historier/"',
        other_section,
    )


def test_nothing_on_a_story_page_or_card_is_said_twice(built_site: Path) -> None:
    for story in real_index().stories.values():
        text = unescape(visible_text(article(read(built_site, story.url.rstrip("/")))))
        assert text.count(story.description) == 1, story.slug
    html = article(read(built_site, "historier"))
    for card in re.findall(r'<li class="historiekort">.*?</li>', html, re.S):
        meta = unescape(visible_text(re.search(r'<p class="historiekort__meta">(.*?)</p>', card, re.S).group(1)))
        assert len(meta.split(" · ")) == len(set(meta.split(" · "))), meta


def test_facet_pages_do_not_repeat_their_heading(built_site: Path) -> None:
    for url in LISTING_URLS:
        html = article(read(built_site, url))
        h1 = unescape(visible_text(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))).rstrip(" ¶")
        body = unescape(visible_text(html[html.index("</h1>") :]))
        title = re.sub(r" \(side \d+\)$", "", h1)
        assert title not in body, url
        named = title.split(": ", 1)[-1]
        if ": " in title:  # a principle's or hegnspæl's own name is said once, in the heading (and in the filter)
            before_filter = unescape(
                visible_text(html[html.index("</h1>") : html.index('<nav class="historiefilter"')])
            )
            assert named not in before_filter, url


def test_filter_counts_are_for_the_pages_own_stories_and_zero_is_no_link(built_site: Path) -> None:
    browse = real_browse()
    for page in browse.pages:
        if page.number > 1:
            continue
        html = article(read(built_site, page.src_uri.removesuffix(".md").removesuffix("/index")))
        start = html.index('<nav class="historiefilter"')
        nav = html[start : html.index("</nav>", start)]
        area, other = browse.selection(page)
        for facet in browse.facets:
            for value in facet.values:
                target = (value, other) if facet.key == "omraade" else (area, value)
                expected = [s for s in real_index().newest() if all(v is None or s in v.stories for v in target)]
                match = re.search(
                    r"(<a href=\"([^\"]*)\"[^>]*>)"
                    + re.escape(value.label)
                    + r' <span class="historiefilter__antal">\((\d+)\)</span>',
                    html_lib.unescape(nav),
                )
                if not expected and value not in (area, other):  # no choice: named in the group's quiet line
                    assert match is None, (page.src_uri, value.label)
                    quiet = re.findall(r'<p class="historiefilter__tom">Ingen historier endnu: ([^<]*)\.</p>', nav)
                    assert any(value.label in q.split(", ") for q in map(html_lib.unescape, quiet)), value.label
                    continue
                assert match, (page.src_uri, value.label)
                assert int(match.group(3)) == len(expected), (page.src_uri, value.label)
                if value not in (area, other):
                    linked = resolve(built_site, page_path(page.src_uri), match.group(2))
                    assert linked is not None and linked.is_file()
                    listed = re.findall(r'<li class="historiekort">', linked.read_text(encoding="utf-8"))
                    assert len(listed) == min(len(expected), 50), (page.src_uri, value.label)


def page_path(src: str) -> str:
    return "/" + src.removesuffix(".md").removesuffix("index") + ("" if src.endswith("index.md") else "/")


def test_combined_filter_pages_exist_exactly_where_there_are_stories(built_site: Path) -> None:
    made = {
        p.parent.relative_to(built_site).as_posix() for p in (built_site / "historier/omraade").glob("*/*/*/index.html")
    }
    expected = set()
    for story in real_index().stories.values():
        area = f"historier/omraade/{slugify(story.area)}"
        expected |= {f"{area}/princip/{p}" for p in story.principles}
        expected |= {f"{area}/hegnspael/{b}" for b in story.boundaries}
        if story.tells_freed_from:
            expected.add(f"{area}/regel/{slugify(story.freed_from_kind)}")
    assert made == expected and len(made) >= 5
    html = article(read(built_site, "historier/omraade/dagtilbud/princip/kerneopgaven"))
    listed = re.findall(r'<h3 class="historiekort__titel"><a href="\.\./\.\./\.\./\.\./([^/"]+)/"', html)
    assert listed == [s.slug for s in real_index().newest() if s.area == "dagtilbud" and "kerneopgaven" in s.principles]
    chips = html[html.index('class="historiefilter__valgte"') :]
    chips = chips[: chips.index("</p>")]
    assert re.findall(r'<a href="([^"]+)"', chips) == ["../../../../princip/kerneopgaven/", "../../"]
    record = (ROOT / "publicerede-adresser.txt").read_text(encoding="utf-8")
    assert "/historier/omraade/dagtilbud/princip/" not in record  # they come and go with the stories


def test_principle_and_hegnspael_pages_link_to_their_cards(built_site: Path) -> None:
    for concept in [*real_index().concepts("princip"), *real_index().concepts("hegnspæl")]:
        html = article(read(built_site, concept.src_uri.removesuffix(".md")))
        link = f'href="../../historier/{concept.kind.facet_key}/{concept.id}/"'
        assert (link in html) == bool(real_index().stories_for(concept.kind, concept.id)), concept.id


def test_communication_page_shows_every_share_image_with_a_download_link(built_site: Path) -> None:
    html = article(read(built_site, "om/kommunikation"))
    for story in real_index().newest():
        image = f"../../kort/{story.slug}.png"
        assert (built_site / "kort" / f"{story.slug}.png").is_file()
        img = re.search(r'<img src="' + re.escape(image) + r'" alt="([^"]+)"', html)
        assert img and story.title in html_lib.unescape(img.group(1)), story.slug
        assert f'<a href="{image}" download="{story.slug}.png">Hent delingsbilledet' in html
