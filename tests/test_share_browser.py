"""Sharing in real headless Chromium: the copy buttons by keyboard, an old URL followed to the renamed story,
and the whole site deployed under a sub-path with every link, asset, feed item and preview URL answering."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from browser import serve
from helpers import ROOT, make_site, mkdocs_build, parse_html, real_index

from frisaettelse import addresses
from frisaettelse.newsletter import snippet
from frisaettelse.pipeline import build_index
from frisaettelse.problems import DEFAULT_SITE_URL

pytestmark = pytest.mark.browser
SUB_PATH_URL = "https://eksempel.github.io/frisaettelse/"


def test_copy_button_works_with_the_keyboard_and_announces_it(browser, site_url: str) -> None:
    context = browser.new_context()
    origin = "/".join(site_url.split("/")[:3])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(site_url + "om/kommunikation/")
    first = real_index().newest()[0]
    button = page.get_by_role("button", name=f"Kopiér uddraget om {first.title}")
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator(".uddrag").first.get_by_role("status")
    status.filter(has_text="Kopieret").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == snippet(first, DEFAULT_SITE_URL, "tekst")
    assert page.evaluate("document.activeElement.dataset.kopier") == f"uddrag-tekst-{first.slug}"
    second = real_index().newest()[1]
    page.get_by_role("button", name=f"Kopiér uddraget om {second.title}").focus()
    page.keyboard.press("Space")
    page.locator(".uddrag").nth(1).get_by_role("status").filter(has_text="Kopieret").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == snippet(second, DEFAULT_SITE_URL, "tekst")
    context.close()


def test_copy_button_falls_back_without_the_clipboard_api(browser, site_url: str) -> None:
    page = browser.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    page.goto(site_url + "om/kommunikation/")
    copied = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('copy', () => resolve(document.activeElement.value), {once: true});
        document.querySelector('button[data-kopier]').click();
    })""")
    assert copied == snippet(real_index().newest()[0], DEFAULT_SITE_URL, "tekst")
    page.locator(".uddrag").first.get_by_role("status").filter(has_text="Kopieret").wait_for()
    page.close()


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """The project deployed under a sub-path, one story renamed with its former address: the built site and the
    stories' slugs."""
    tmp_path = tmp_path_factory.mktemp("sub-path")
    site = make_site(tmp_path, keep_cases=True)
    shutil.copy(ROOT / addresses.RECORD_NAME, site / addresses.RECORD_NAME)
    old = site / "cases" / "aendret-aabningstid.md"
    text = old.read_text(encoding="utf-8").replace(
        "\ntags:", "\ntidligere_adresser: [historier/aendret-aabningstid/]\ntags:", 1
    )
    (site / "cases" / "forsoeg-med-aabningstid.md").write_text(text, encoding="utf-8")
    old.unlink()
    result = mkdocs_build(site, tmp_path / "out", extra_env={"SITE_URL": SUB_PATH_URL})
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp_path / "out", set(build_index(site).stories)


def test_old_url_of_a_renamed_story_leads_to_the_story_in_the_browser(
    browser, sub_path_site: tuple[Path, set[str]]
) -> None:
    with serve(sub_path_site[0], prefix="frisaettelse/") as base:
        page = browser.new_page()
        page.goto(base + "historier/aendret-aabningstid/")
        page.wait_for_url(base + "historier/forsoeg-med-aabningstid/")
        assert page.locator("h1").inner_text().startswith("Forsøg med ændret åbningstid")
        page.close()


def _fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_site_under_a_sub_path_has_no_broken_link_asset_feed_item_or_preview_url(
    sub_path_site: tuple[Path, set[str]],
) -> None:
    out, slugs = sub_path_site
    with serve(out, prefix="frisaettelse/") as base:

        def local(url: str) -> str:
            return base + url[len(SUB_PATH_URL) :] if url.startswith(SUB_PATH_URL) else url

        wanted: dict[str, str] = {}  # target -> where it was found
        pages = [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] not in ("assets", "search")]
        assert len(pages) > 15
        for path in pages:
            page_url = base + path.relative_to(out).as_posix().removesuffix("index.html")
            html = path.read_text(encoding="utf-8")
            found = parse_html(html)
            targets = [
                a.get("href") or a.get("src")
                for tag, a in found.tags
                if tag in ("a", "link", "script", "img", "source") and (a.get("href") or a.get("src"))
            ]
            for key in ("og:url", "og:image", "twitter:image"):
                if key in found.meta:
                    assert found.meta[key].startswith(SUB_PATH_URL), (path, key)
                    targets.append(found.meta[key])
            for target in targets:
                if target.startswith(("mailto:", "tel:", "#", "data:")):
                    continue
                absolute = urljoin(page_url, local(target)).split("#")[0]
                if urlsplit(absolute).netloc != urlsplit(base).netloc:
                    assert not target.startswith(DEFAULT_SITE_URL), (path, target)  # no leftover default address
                    continue
                assert urlsplit(absolute).path.startswith("/frisaettelse/"), (path, target)
                wanted.setdefault(absolute, str(path.relative_to(out)))
        feed = feedparser.parse((out / "feed.xml").read_bytes())
        assert not feed.bozo and len(feed.entries) == len(slugs)
        for entry in feed.entries:
            assert entry.link.startswith(SUB_PATH_URL)
            wanted.setdefault(local(entry.link), "feed.xml")
        assert base + "feed.xml" in wanted and any(u.endswith(".png") and "/kort/" in u for u in wanted)
        broken = {url: where for url, where in wanted.items() if _fetch(url) != 200}
        assert not broken, broken
        moved = "historier/aendret-aabningstid"  # reached by its old links only; its own links are checked above
        folders = [p.parent.relative_to(out).as_posix() for p in pages if p.name == "index.html"]
        folders.remove(moved)
        every_page = {base + ("" if folder == "." else folder + "/") for folder in folders}
        assert every_page <= set(wanted), every_page - set(wanted)
        assert {base + f"kort/{slug}.png" for slug in slugs} <= set(wanted)
