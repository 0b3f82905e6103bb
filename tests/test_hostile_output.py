"""Attacker's tests on real strict builds: stories whose front-matter and body try every way into the page.

`hostile_output_site` holds stories that validation refuses (or will refuse): it is built with validation switched
off, because the sanitiser and the escapers must hold whatever validation lets through. `hostile_output_ordinary`
holds what validation accepts (quotes, ampersands): built in the same site, and every value must read exactly as
written. Both are checked on every built page, the search index, the feed, the redirect pages and the newsletter snippets.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from unittest import mock

import feedparser
import pytest
import yaml
from helpers import FIXTURES, ROOT, article, make_site, mkdocs_build, parse_html, tiny_project
from test_front_matter_build import ACCEPTED, CHOOSE_TEMPLATE
from test_sanitize import SITE_URL, Tree, assert_inert, browser_url, is_outside, script_hash, tree

from frisaettelse import pipeline
from frisaettelse.load import slugify

SITE_NAME = "Frisættelse i Rebild"
# Numbers that are not personal data: validation lets them through, and the page shows them as written.
HARMLESS_NUMBERS = ("CVR-nr. 12345674", "kr. 25000000", "kl. 0630 0700", "2023 2027", "ISBN 978-87-93950-92-4")
SEARCH_KEEPS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # what the search plugin keeps of a page


def front_matter(fixture: str) -> dict[str, dict[str, Any]]:
    """Each fixture story's front-matter as YAML decodes it (what the build receives), by slug."""
    stories = {}
    for path in sorted((FIXTURES / fixture / "cases").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        stories[slugify(path.stem)] = yaml.safe_load(text.split("---\n")[1])
    return stories


def one_line(value: str) -> str:
    return " ".join(str(value).split())


def build_hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile and the ordinary fixture stories next to the real ones, built for real with validation switched
    off, so every story that loads is published (the ordinary stories pass validation:
    `test_ordinary_stories_pass_validation`). One build per test process: `hostile_site` in conftest.py."""
    root = tmp_path_factory.mktemp("hostile")
    site = make_site(root, "hostile_output_site", keep_cases=True, stories=ordinary_stories())
    choose_template(site / "docs")
    with (
        mock.patch.object(pipeline, "validate_documents", lambda documents, rules, ctx: []),
        mock.patch.object(pipeline, "validate_stories", lambda documents, rules, ctx: []),
    ):
        result = mkdocs_build(site, root / "out")
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "out"


def ordinary_stories() -> dict[str, str]:
    """What validation accepts: the quoting stories, and front-matter that two readers could split differently."""
    stories = {p.name: p.read_text("utf-8") for p in (FIXTURES / "hostile_output_ordinary" / "cases").glob("*.md")}
    stories["citater-og-tegn.md"] += "\n" + ", ".join(HARMLESS_NUMBERS) + ".\n"
    return stories | {f"{slug}.md": text for slug, text in ACCEPTED.items()}


def choose_template(docs: Path) -> None:
    """An editors' page that tries to choose a template."""
    page = docs / "om" / "kommunikation.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", f"---\n{CHOOSE_TEMPLATE}", 1), encoding="utf-8")


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("assets", "search"))


def is_redirect(parsed: Tree) -> bool:
    return any(e.attrs.get("http-equiv") == "refresh" for e in parsed.find("meta"))


def policy_of(parsed: Tree) -> dict[str, str]:
    metas = parsed.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert len(metas) == 1
    return dict(d.strip().split(" ", 1) for d in metas[0].attrs["content"].split(";"))


def assert_page_is_safe(path: Path) -> Tree:
    """A whole built page: theme and content. Nothing runs but hashed template scripts and the site's files,
    nothing loads from elsewhere, nothing carries a handler or a style, no meta refresh on a real page."""
    parsed = tree(path.read_text(encoding="utf-8"))
    policy = policy_of(parsed)
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "http" not in " ".join(policy.values()), path
    redirect = is_redirect(parsed)
    for element in parsed.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (path, element)
            assert name != "style", (path, element)
            if element.tag == "a" and name == "href":
                assert browser_url(value).split(":")[0].lower() not in ("javascript", "data", "vbscript"), path
            elif element.tag == "link" and name == "href" and element.attrs.get("rel") in ("canonical", "alternate"):
                assert value.startswith(SITE_URL) or not is_outside(value), (path, element)
            elif name in ("src", "srcset", "action", "formaction", "data", "poster", "background", "href"):
                assert not is_outside(value), (path, element)
        if element.tag == "meta" and "http-equiv" in element.attrs:
            allowed = {"content-security-policy", "refresh"} if redirect else {"content-security-policy"}
            assert element.attrs["http-equiv"].lower() in allowed, (path, element)
        key = element.attrs.get("property") or element.attrs.get("name") or ""
        if element.tag == "meta" and key.startswith(("og:", "twitter:")) and key.endswith(("url", "image")):
            assert element.attrs["content"].startswith(SITE_URL), (path, element)
        assert element.tag not in ("iframe", "object", "embed", "base", "frame"), (path, element)
    hashes = set(scripts.split())
    for attrs, text in parsed.scripts:
        if "src" in attrs:
            assert not is_outside(attrs["src"]), path
        elif attrs.get("type") != "application/json":
            assert script_hash(text) in hashes, (path, text[:80])
            assert "alert(" not in text, path
    assert len([e for e in parsed.elements if e.attrs.get("id") == "__search"]) == (0 if redirect else 1), path
    assert not [e for e in parsed.elements if "md-dialog--active" in e.attrs.get("class", "")], path
    return parsed


def assert_story_page_reads_its_fields(site: Path, slug: str, meta: dict[str, Any]) -> None:
    """Title, description and tags of a story reach every place the theme shows them as exactly their text."""
    path = site / "historier" / slug / "index.html"
    parsed = assert_page_is_safe(path)
    title, description = one_line(meta["title"]), one_line(meta["description"])
    assert parsed.title == f"{title} - {SITE_NAME}"
    by_key = {e.attrs.get("name") or e.attrs.get("property"): e.attrs.get("content") for e in parsed.find("meta")}
    assert one_line(by_key["description"]) == description
    assert one_line(by_key["og:title"]) == title and one_line(by_key["twitter:title"]) == title
    assert one_line(by_key["og:description"]) == description
    page = path.read_text(encoding="utf-8")
    # The header shows the site's wordmark only (not the page title): nothing of the story's title reaches it.
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert title not in one_line("".join(tree("<header" + header).text))
    article = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    chips = article.split('<nav class="md-tags"', 1)[1].split("</nav>", 1)[0]
    label = f"Emneord valgt af {meta.get('koblet_af', 'fortælleren')}:"  # the mark before the chips (tags.html)
    chip_texts = [t.strip() for t in tree("<nav" + chips).text if t.strip() and t.strip() != label]
    assert sorted(chip_texts) == sorted(one_line(t) for t in meta.get("tags") or [])
    content = article.split("</h1>", 1)[0]
    heading = content.split("<h1", 1)[1]
    assert one_line("".join(tree("<h1" + heading).text)).rstrip("¶") == title
    # The table of contents and permalinks: each entry points at a heading of the page.
    ids = {e.attrs["id"] for e in tree(article).elements if "id" in e.attrs}
    toc = page.split('data-md-component="toc"', 1)[1].split("</ul>\n  \n</nav>", 1)[0]
    for link in tree("<ul " + toc).find("a"):
        assert link.attrs["href"].lstrip("#") in ids, link
    for link in tree(article).find("a", **{"class": "headerlink"}):
        assert link.attrs["href"].lstrip("#") in ids, link


def assert_search_index_is_text(site: Path, stories: dict[str, dict[str, Any]]) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            for element in tree(doc[key]).elements:
                assert element.tag in SEARCH_KEEPS and not element.attrs, (doc["location"], element)
        for tag in doc.get("tags", []):
            assert not tree(tag).elements, (doc["location"], tag)
    for slug, meta in stories.items():
        entry = next(d for d in index["docs"] if d["location"] == f"historier/{slug}/")
        assert one_line("".join(tree(entry["title"]).text)) == one_line(meta["title"])
        assert sorted(one_line(html_lib.unescape(t)) for t in entry.get("tags", [])) == sorted(
            one_line(t) for t in meta.get("tags") or []
        )


def assert_feed_is_text(site: Path, stories: dict[str, dict[str, Any]]) -> None:
    items = {i.findtext("link"): i for i in ET.parse(site / "feed.xml").getroot().iter("item")}
    for slug, meta in stories.items():
        item = items[f"{SITE_URL}historier/{slug}/"]
        for key in ("title", "description"):
            shown = item.findtext(key) or ""
            assert not tree(shown).elements, (slug, key, shown)  # readers show it as HTML: text only
            assert one_line(html_lib.unescape(shown)) == one_line(meta[key])


def assert_newsletter_snippets_are_text(site: Path, stories: dict[str, dict[str, Any]]) -> None:
    parsed = tree((site / "om" / "kommunikation" / "index.html").read_text(encoding="utf-8"))
    buttons = {
        b.attrs["data-kopier"]: b.attrs["data-kopier-html"]
        for b in parsed.find("button")
        if "data-kopier-html" in b.attrs
    }
    for slug, meta in stories.items():
        rich = tree(buttons[f"uddrag-tekst-{slug}"])
        assert {e.tag for e in rich.elements} == {"p", "strong", "a", "br"}
        assert [a.attrs["href"] for a in rich.find("a")] == [f"{SITE_URL}historier/{slug}/"]
        assert one_line("".join(rich.text)) == one_line(f"{meta['title']} {meta['description']}")


def assert_redirects_are_text(site: Path, stories: dict[str, dict[str, Any]]) -> None:
    for slug, meta in stories.items():
        for old in meta.get("tidligere_adresser") or []:
            parsed = assert_page_is_safe(site / old / "index.html")
            assert {e.tag for e in parsed.elements} == {"html", "head", "meta", "title", "link", "body", "p", "a"}
            assert parsed.title == one_line(f"Siden er flyttet: {meta['title']}")
            assert parsed.find("a")[0].attrs["href"] == f"../{slug}/"


# --- Hostile values, validation switched off ---------------------------------------------------------------

HOSTILE = front_matter("hostile_output_site")


def test_every_hostile_story_was_published(hostile_site: Path) -> None:
    # Otherwise the tests below would check nothing: the build must really have let them through.
    for slug in HOSTILE:
        assert (hostile_site / "historier" / slug / "index.html").is_file(), slug


def test_no_page_of_the_hostile_site_runs_loads_or_refreshes_anything(hostile_site: Path) -> None:
    checked = [assert_page_is_safe(path) for path in pages(hostile_site)]
    assert len(checked) > 40


@pytest.mark.parametrize("slug", sorted(HOSTILE))
def test_hostile_fields_read_as_their_text_everywhere_on_the_story_page(hostile_site: Path, slug: str) -> None:
    assert_story_page_reads_its_fields(hostile_site, slug, HOSTILE[slug])


def test_hostile_story_body_is_cleaned_by_allow_list(hostile_site: Path) -> None:
    page = (hostile_site / "historier" / "angreb-i-teksten" / "index.html").read_text(encoding="utf-8")
    content = page.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    content = content[
        content.index("<h1") : content.index('<section class="del-historien"')
    ]  # then our own share block
    parsed = assert_inert(content)
    hrefs = [a.attrs.get("href") for a in parsed.find("a")]
    assert "https://www.rebild.dk/" in hrefs and "mailto:info@example.org" in hrefs  # ordinary links stay
    assert "billede.png" in [i.attrs.get("src") for i in parsed.find("img")]  # the site's own image stays
    assert "Et afsnit med en handler efter et linjeskift." in "".join(parsed.text)


def test_hostile_values_are_text_in_search_index_feed_snippets_and_redirects(hostile_site: Path) -> None:
    assert_search_index_is_text(hostile_site, HOSTILE)
    assert_feed_is_text(hostile_site, HOSTILE)
    assert_newsletter_snippets_are_text(hostile_site, HOSTILE)
    assert_redirects_are_text(hostile_site, HOSTILE)
    # The tags plugin's export (every tag and title unescaped, read by nothing) is switched off.
    assert not (hostile_site / "tags.json").exists()


# --- Ordinary quotes and ampersands, validated as usual ------------------------------------------------------

ORDINARY = front_matter("hostile_output_ordinary")


def test_ordinary_stories_pass_validation(tmp_path: Path) -> None:
    stories = ordinary_stories()
    site = tiny_project(tmp_path / "projekt", stories)
    for real in (ROOT / "cases").glob("*.md"):
        shutil.copy(real, site / "cases")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    choose_template(tmp_path / "docs")
    problems = pipeline.run(pipeline.build_index(site, docs_dir=tmp_path / "docs"), site_url=SITE_URL).problems
    assert not [p for p in problems if "kommunikation" in p.path], problems
    assert not [p for p in problems if Path(p.path).name in stories], problems


def test_numbers_that_are_not_personal_data_are_shown(hostile_site: Path) -> None:
    page = (hostile_site / "historier" / "citater-og-tegn" / "index.html").read_text("utf-8")
    for text in HARMLESS_NUMBERS:
        assert text in page


def test_quotes_and_ampersands_read_correctly_everywhere(hostile_site: Path) -> None:
    ordinary_site = hostile_site
    feed = feedparser.parse((ordinary_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    for slug, meta in ORDINARY.items():
        assert_story_page_reads_its_fields(ordinary_site, slug, meta)
    assert_search_index_is_text(ordinary_site, ORDINARY)
    assert_feed_is_text(ordinary_site, ORDINARY)
    assert_newsletter_snippets_are_text(ordinary_site, ORDINARY)
    assert_redirects_are_text(ordinary_site, ORDINARY)


# --- Front-matter two readers could split differently, validated as usual -------------------------------------

ATTACKS = set(HOSTILE) | {Path(old).name for meta in HOSTILE.values() for old in meta.get("tidligere_adresser") or []}


def test_front_matter_has_one_reader_in_the_real_build(hostile_site: Path) -> None:
    out = hostile_site
    for path in out.rglob("*.html"):  # the smuggled values are text in a story's body, never a page's metadata
        if path.parent.name in ATTACKS:
            continue
        parsed = parse_html(path.read_text(encoding="utf-8"))
        assert not [a for _, attributes in parsed.tags for a in attributes.values() if "smuglet.example" in a], path
        assert not [v for k, v in parsed.meta.items() if "Falsk" in v], path
    for slug, title in (("streger-med-mellemrum", "Streger med mellemrum"), ("aaben-details", "Åben details")):
        html = (out / "historier" / slug / "index.html").read_text(encoding="utf-8")
        parsed = parse_html(html)
        assert re.search(r"<title>([^<]*)</title>", html).group(1) == f"{title} - Frisættelse i Rebild"  # type: ignore[union-attr]
        assert parsed.meta["og:title"] == parsed.meta["twitter:title"] == title
        assert parsed.meta["description"] == parsed.meta["og:description"] == "Et ærligt resumé."
        assert not any(tag == "meta" and "http-equiv" in a and a["http-equiv"] == "refresh" for tag, a in parsed.tags)
        assert 'id="principper-for-historien"' in article(html)
    smuggling = article((out / "historier" / "streger-med-mellemrum" / "index.html").read_text(encoding="utf-8"))
    assert "template: redirect.html" in smuggling  # the body's first lines are text, not metadata
    docs_page = (out / "om" / "kommunikation" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in docs_page and article(docs_page)

    opened = article((out / "historier" / "aaben-details" / "index.html").read_text(encoding="utf-8"))
    before = opened[: opened.index('id="principper-for-historien"')]
    assert "Skjult tekst" in before
    for tag in ("details", "div", "table", "td"):  # everything the story opened is closed before the page's sections
        assert len(re.findall(rf"<{tag}\b", before)) == len(re.findall(rf"</{tag}>", before)), tag

    search = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = {doc["location"].split("#")[0]: doc["title"] for doc in search["docs"] if "#" not in doc["location"]}
    assert titles.get("historier/streger-med-mellemrum/") == "Streger med mellemrum"
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Streger med mellemrum</title>" in feed and "<title>Åben details</title>" in feed
    assert "<title>Falsk" not in feed and not [t for t in titles.values() if "Falsk" in t]


# --- The real site ----------------------------------------------------------------------------------------------


def test_every_page_of_the_real_site_has_its_description_intact(built_site: Path) -> None:
    # Four published pages had quotes in their description that ended the theme's attribute early.
    docs = Path(__file__).resolve().parents[1] / "docs"
    checked = 0
    for source in sorted(docs.rglob("*.md")):
        text = source.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        meta = yaml.safe_load(text.split("---\n")[1]) or {}
        if not meta.get("description"):
            continue
        relative = source.relative_to(docs).with_suffix("")
        folder = relative.parent if relative.name == "index" else relative
        out = built_site / folder / "index.html"
        parsed = assert_page_is_safe(out)
        described = [e.attrs["content"] for e in parsed.find("meta", name="description")]
        assert described == [meta["description"]], source
        checked += 1
    assert checked > 20


def test_a_script_in_a_docs_page_fails_the_strict_build(tmp_path: Path) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    page = site / "docs" / "om" / "index.md"
    text = page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n"
    page.write_text(text, encoding="utf-8")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    assert f"docs/om/index.md:{text.count(chr(10))}: FM066 " in result.stderr
    assert "Traceback" not in result.stderr
