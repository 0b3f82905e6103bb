"""Attacker's tests of the address book: story file names, former addresses, tag addresses and commit dates.

The rules are tables in memory (a name or an address, and the Problem it must give); two real builds show what the
tables cannot: a hostile file name that validation lets through is still inert in every output, and a site with
clashing former addresses gives the same lines in `tjek` and the strict build, without a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import pytest
from helpers import ROOT, make_site, make_story, mkdocs_build, parse_html, real_browse, real_index, run_check

from frisaettelse import addresses, pipeline, routes, sanitize, validate
from frisaettelse.facets import build_browse
from frisaettelse.history import parse_log
from frisaettelse.model import Routes, SiteIndex
from frisaettelse.problems import Problem

SITE_URL = "https://eksempel.dk/frisaettelse/"
RESERVED = addresses.reserved_story_slugs()

# --- File names -----------------------------------------------------------------------------------------------

HOSTILE_NAMES: list[tuple[str, str | None]] = [
    ("ændret-åbningstid.md", None),
    ("a" * addresses.MAX_SLUG_CHARS + ".md", None),
    ('x"><meta http-equiv="refresh" content="0;url=https:evil.example">.md', "FM060"),
    ("x'onmouseover='alert(1).md", "FM060"),
    ("<script>.md", "FM060"),
    ("to ord.md", "FM060"),
    ("a%2Fb.md", "FM060"),
    ("..%2f..%2fetc.md", "FM060"),
    ("..md", "FM013"),
    ("аbc.md", "FM060"),  # Cyrillic а
    ("ａbc.md", "FM060"),  # full-width a
    ("a\u202egpj.md", "FM060"),  # right-to-left override
    ("a\u200bb.md", "FM060"),  # zero-width space
    ("a\u030a.md", "FM060"),  # å as a + combining ring (NFD)
    ("a" * (addresses.MAX_SLUG_CHARS + 1) + ".md", "FM060"),
    ("æ" * 126 + ".md", "FM060"),  # 255 bytes
    ("!!!.md", "FM013"),
    ("---.md", "FM013"),
    ("Historie.md", "FM060"),
    ("historie.MD", "FM060"),
    ("a--b.md", "FM060"),
    ("-a.md", "FM060"),
    ("a_b.md", "FM060"),
    ("a.b.md", "FM060"),
    ("index.md", "FM013"),
    ("side.md", "FM013"),
    ("emneord.md", "FM013"),
    ("Index.md", "FM013"),
    ("Forsoeg.md", "FM060"),
]


@pytest.mark.parametrize(("name", "code"), HOSTILE_NAMES)
def test_a_story_file_name_is_a_slug(name: str, code: str | None) -> None:
    problems = validate.file_name_problems([f"cases/{name}"], RESERVED)
    assert [p.code for p in problems] == ([code] if code else [])
    for problem in problems:
        assert problem.path == f"cases/{name}" and problem.line == 1
        if problem.code == "FM060":  # the fix names a file name that is accepted
            suggested = problem.hint.split()[-1]
            assert validate.file_name_problems(["cases/" + suggested], RESERVED) == []


@pytest.mark.parametrize(("first", "second"), [("å.md", "aa.md"), ("æble.md", "aeble.md"), ("ø.md", "oe.md")])
def test_names_that_meet_after_transliteration_are_one_address(first: str, second: str) -> None:
    problems = validate.file_name_problems([f"cases/{first}", f"cases/{second}"], RESERVED)
    assert [(p.path, p.code) for p in problems] == [(f"cases/{second}", "FM013")]


@pytest.mark.parametrize(
    "url",
    [
        '../cases/x"><meta http-equiv="refresh">.md',
        "https://github.com/o/r/edit/main/docs/../cases/a b'<c>.md",
        "../cases/a\u202e\u0000\n.md",
        "../cases/ændret.md",
    ],
)
def test_an_address_in_an_attribute_is_encoded_and_escaped(url: str) -> None:
    value = sanitize.url_attribute(url)
    assert not set(value) & set("\"'<> \n\0\u202e")
    assert sanitize.url_path(sanitize.url_path(url)) == sanitize.url_path(url)  # never encoded twice


# --- Former addresses -----------------------------------------------------------------------------------------

FORMER_ADDRESSES: list[tuple[str, bool]] = [
    ("historier/gammelt-navn/", False),
    ("/historier/gammelt-navn/", False),
    ("historier/gammelt-navn/\n", False),  # a trailing line break is not part of the address
    ("historier/{story}/gammel/", False),
    ("historier/gammel/index.html/", True),
    ("historier/gammel/index.html/x/", True),  # below the page's folder, not in its file
    ("feed.xml/", True),
    ("feed.xml", True),
    ("sitemap.xml/", True),
    ("sitemap.xml.gz/", True),
    ("404.html/", True),
    ("kort/{story}.png/", True),
    ("kort/{story}.png", True),
    ("kort/", True),
    ("data/historier.csv/", True),
    ("data/historier.json/", True),
    ("search/search_index.json/", True),
    ("search/", True),
    ("assets/javascripts/", True),
    ("assets/udseende.css/", True),
    ("historier/{story}/", True),
    ("historier/{story}/index.html/", True),
    ("historier/{story}", True),
    ("historier/", True),
    ("historier/emneord/", True),
    ("../", True),
    ("historier/../../etc/", True),
    ("//evil.example/", True),
    ("%2e%2e/", True),
    ("historier/%2e%2e/", True),
    ("https://evil.example/x/", True),
    ("www.evil.example/", True),
    ("historier/x/?a=1", True),
    ("historier/x/#a", True),
    ("Historier/X/", True),
    ("historier/" + "a" * 300 + "/", True),
    ("historier/" + "a" * (addresses.MAX_SEGMENT_BYTES + 1) + "/", True),
    ("/".join(["a"] * 150) + "/", True),
    ("historier/a\nb/", True),
    ("historier/a\rFM003 falsk/", True),
    ("historier/a b/", True),
    ("", True),
]


def a_story() -> str:
    return sorted(real_index().stories)[0]


def routes_of(index: SiteIndex) -> Routes:
    """The address book of the real site with some stories changed, as `tjek` and the build make it."""
    return routes.build_routes(
        index, real_browse().generated, docs_dir=ROOT / "docs", use_directory_urls=True, record=None, site_url=SITE_URL
    )


def former_address_problems(values: Sequence[object], index: SiteIndex | None = None) -> list[tuple[str, int, str]]:
    """What `tjek` and the build report for one story's former addresses: the form (validation) and the address
    book (routes), as (file, line, code)."""
    index = index or real_index()
    story = index.stories[a_story()]
    lines = tuple(10 + i for i in range(len(values)))
    changed = dataclasses.replace(story, former_urls=tuple(values), former_urls_lines=lines)  # type: ignore[arg-type]
    stories = {**index.stories, story.slug: changed}
    found = [
        Problem(story.path, *f)
        for f in validate.former_url_findings(values, lambda i: lines[i] if i < len(lines) else 9)
    ]
    found += routes_of(dataclasses.replace(index, stories=stories)).problems
    return sorted({(p.path, p.line, p.code) for p in found if p.path == story.path})


@pytest.mark.parametrize(("value", "refused"), FORMER_ADDRESSES)
def test_a_former_address_may_not_take_a_file_the_build_writes(value: str, refused: bool) -> None:
    path = real_index().stories[a_story()].path
    assert former_address_problems([value.replace("{story}", a_story())]) == ([(path, 10, "FM021")] if refused else [])


def test_a_former_address_that_is_no_text_is_refused() -> None:
    path = real_index().stories[a_story()].path
    assert former_address_problems([None, 7, ["a/"]]) == [(path, 10, "FM021"), (path, 11, "FM021"), (path, 12, "FM021")]


def test_a_story_has_a_handful_of_former_addresses() -> None:
    path = real_index().stories[a_story()].path
    allowed = [f"historier/gammel-{n}/" for n in range(addresses.MAX_FORMER_URLS)]
    assert former_address_problems(allowed) == []
    assert former_address_problems([*allowed, "historier/en-for-meget/"]) == [(path, 10 + len(allowed), "FM021")]
    # 220,000 of them: one line, and no more redirect pages than the limit
    many = [f"historier/x{n}/" for n in range(220_000)]
    assert former_address_problems(many) == [(path, 10 + len(allowed), "FM021")]


def test_the_same_former_address_in_two_stories_is_refused_once() -> None:
    index = real_index()
    first, second = sorted(index.stories)[:2]
    stories = dict(index.stories)
    for slug in (first, second):
        stories[slug] = dataclasses.replace(stories[slug], former_urls=("historier/gammel/",), former_urls_lines=(9,))
    found = routes_of(dataclasses.replace(index, stories=stories))
    assert [(p.path in (stories[first].path, stories[second].path), p.code) for p in found.problems] == [
        (True, "FM021")
    ]
    assert [r.old for r in found.redirects] == ["/historier/gammel/"]


def test_every_redirect_stays_inside_the_site_and_off_every_written_file() -> None:
    index = real_index()
    values = [value.replace("{story}", a_story()) for value, _ in FORMER_ADDRESSES]
    story = index.stories[a_story()]
    lines = tuple(10 + i for i in range(len(values)))
    stories = {
        **index.stories,
        story.slug: dataclasses.replace(story, former_urls=tuple(values), former_urls_lines=lines),
    }
    found = routes_of(dataclasses.replace(index, stories=stories))
    written = addresses.written_files(
        [addresses.page_url(src) for src in {*index.docs_pages, *(p.src_uri for p in real_browse().generated)}],
        stories,
        (),
    )
    assert found.redirects
    for redirect in found.redirects:
        parts = redirect.old.strip("/").split("/")
        assert ".." not in parts and "" not in parts
        assert not any("/".join(parts[:n]) in written for n in range(1, len(parts) + 1))
        assert redirect.old.strip("/") + "/index.html" not in written


# --- Tags -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["index", "Index", "INDEX", "side", "Side", "README", "readme", "ïndex"])
def test_a_tag_never_replaces_a_page_the_site_makes(tag: str) -> None:
    index = real_index()
    story = make_story("emneord-test", tags=(tag, "åbningstid"))
    tagged = dataclasses.replace(index, stories={**index.stories, story.slug: story})
    browse = build_browse(tagged)
    docs_urls = {addresses.page_url(src) for src in index.docs_pages}
    listing_urls = [addresses.page_url(page.src_uri) for page in browse.generated]
    assert len(listing_urls) == len(set(listing_urls))
    assert not docs_urls & set(listing_urls)
    tag_page = [v for v in browse.tags.values if story in v.stories and v.label == tag]
    assert tag_page and addresses.page_url(tag_page[0].src_uri) not in docs_urls


# --- Commit dates -----------------------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("log_dates", "expected"),
    [
        (["2024-03-09", "2024-01-05"], dt.date(2024, 3, 9)),
        (["10000-01-01", "2024-01-05"], dt.date(2024, 1, 5)),  # the date reader once crashed every build on it
        (["+10000-01-01", "2024-01-05"], dt.date(2024, 1, 5)),
        (["9999-12-31", "2024-01-05"], dt.date(2024, 1, 5)),  # in the future
        (["1970-01-01"], None),
        (["0001-01-01"], None),
        (["2024-13-40", "x", ""], None),
        (["2026-06-02"], dt.date(2026, 6, 2)),  # a day ahead (time zones)
    ],
)
def test_a_commit_date_outside_a_sane_range_is_ignored(log_dates: list[str], expected: dt.date | None) -> None:
    output = "".join(f"\0{day}\n\ncases/a.md\n" for day in log_dates)
    assert parse_log(output, Path("/p"), TODAY).get(Path("/p/cases/a.md")) == expected


# --- Real builds ------------------------------------------------------------------------------------------------

# Validation and the file-name rule switched off: the escapers alone must keep a hostile file name inert.
HOSTILE_FILE_NAME = (
    """x"><meta http-equiv="refresh" content="0;url=https:evil.example"><img src=x onerror=alert(1)>'.md"""
)


URL_METAS = frozenset({"og:url", "og:image", "twitter:image"})


def _url_attributes(path: Path) -> list[tuple[str, str]]:
    """Every address in an attribute of a page, decoded as a browser reads it: links, sources, preview URLs."""
    found = []
    for tag, attrs in parse_html(path.read_text(encoding="utf-8")).tags:
        assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
        assert not (tag == "meta" and attrs.get("http-equiv") == "refresh"), (path, attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                found.append((tag, attrs[name] or ""))
        if tag == "meta" and (attrs.get("property") in URL_METAS or attrs.get("name") in URL_METAS):
            found.append((tag, attrs.get("content") or ""))
    return found


def test_a_hostile_file_name_is_inert_in_every_output(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    (site / "cases" / HOSTILE_FILE_NAME).write_bytes((ROOT / "cases" / "aendret-aabningstid.md").read_bytes())
    out = tmp_path / "out"
    with (  # past the checks that refuse such a name, to prove the outputs escape it anyway
        mock.patch.object(pipeline, "validate_stories", lambda documents, rules, ctx: []),
        mock.patch.object(pipeline, "file_name_problems", lambda paths, reserved: []),
    ):
        result = mkdocs_build(site, out, extra_env={"HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    edit_links = []
    html_files = sorted(out.rglob("*.html"))
    assert len(html_files) > len(real_index().stories)
    for path in html_files:
        for tag, value in _url_attributes(path):
            assert not set(value) & set("<>\"' "), (path, tag, value)
            if tag == "a" and "%22%3E%3Cmeta" in value:
                edit_links.append(path)
    assert edit_links, "the story's edit link was not published"
    for path in [*out.rglob("*.xml"), *out.rglob("*.json"), *out.rglob("*.csv"), *html_files]:
        text = path.read_text(encoding="utf-8")
        assert 'content="0;url=https:evil' not in text and " onerror=" not in text, path
    ET.parse(out / "sitemap.xml")
    ET.parse(out / "feed.xml")
    json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))


CLASHING = {
    "adresse-feed.md": ["feed.xml/", "sitemap.xml/"],
    "adresse-kort.md": ["kort/adresse-kort.png/", "data/historier.csv/"],
    "adresse-side.md": ["historier/adresse-side/index.html/", "search/search_index.json/"],
    "adresse-lang.md": ["historier/" + "a" * 300 + "/", *(f"historier/x{n}/" for n in range(30))],
}


def test_clashing_former_addresses_give_the_same_lines_in_tjek_and_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    text = (ROOT / "cases" / "aendret-aabningstid.md").read_text(encoding="utf-8")
    for name, values in CLASHING.items():
        listed = "".join(f"  - {json.dumps(v)}\n" for v in values)
        (site / "cases" / name).write_text(text.replace("---\n", f"---\ntidligere_adresser:\n{listed}", 1), "utf-8")
    check = run_check(site)
    build = mkdocs_build(site, tmp_path / "out")
    output = check.stdout + check.stderr + build.stdout + build.stderr
    assert "Traceback" not in output and "Uventet fejl" not in output, output[-3000:]
    assert check.returncode != 0 and build.returncode != 0

    def lines(text: str) -> set[str]:
        found = (re.search(r"(?:cases|docs)/\S+:\d+: FM\d{3} .*", line) for line in text.splitlines())
        return {match.group(0).split(" (Vejledning:")[0] for match in found if match}

    assert lines(check.stdout) == lines(build.stderr)
    blamed = {line.split(":")[0] for line in lines(check.stdout)}
    assert blamed == {f"cases/{name}" for name in CLASHING}
    assert all(": FM021 " in line for line in lines(check.stdout))
    assert not (tmp_path / "out" / "feed.xml").is_dir()
