"""Finding stories in real headless Chromium: filters without JavaScript, Danish search, phone width,
axe-core (WCAG 2.1 A/AA) on every page type, visible focus, and not one request to another site."""

from __future__ import annotations

import urllib.parse

import pytest

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "forside": "",
    "princip": "principper/kerneopgaven/",
    "hegnspæl": "hegnspaele/retssikkerhed/",
    "historie": "historier/fri-fra-sprogvurderinger-af-alle-boern/",
    "oversigt": "historier/",
    "filterside": "historier/omraade/dagtilbud/",
    "tom filterside": "historier/omraade/skole/",
    "register": "historier/fri-fra/",
    "dækning": "historier/daekning/",
    "emneord": "historier/emneord/",
    "tilgængelighed": "om/tilgaengelighed/",
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def open_search(page, query: str) -> None:
    """Type into the theme's search box (behind the magnifier on a phone) and wait for its answer."""
    if not page.locator("input.md-search__input").is_visible():
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q && "
        "!!document.querySelector('.md-search-result__meta') && "
        "/resultat/i.test(document.querySelector('.md-search-result__meta').textContent)", arg=query)


def search_hits(page) -> list[str]:
    return [urllib.parse.urlsplit(a.get_attribute("href")).path
            for a in page.locator(".md-search-result__item > .md-search-result__link").all()]


# --- filters without JavaScript ---------------------------------------------------------------------------------------

def test_filters_work_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "historier/")
    page.get_by_role("link", name="Skole (0)").click()
    page.wait_for_url("**/historier/omraade/skole/")
    assert "Ingen historier endnu." in page.locator("article").inner_text()
    page.get_by_role("article").get_by_role("link", name="Del din historie").click()
    page.wait_for_url("**/del-din-historie/")
    page.go_back()
    page.get_by_role("link", name="Kommunal regel (1)").click()
    page.wait_for_url("**/historier/regel/kommunal-regel/")
    assert page.locator('nav.historiefilter a[aria-current="page"]').inner_text().startswith("Kommunal regel")
    page.get_by_role("link", name="Fri fra kommunal regel om sprogvurderinger af alle børn").first.click()
    page.wait_for_url("**/historier/fri-fra-sprogvurderinger-af-alle-boern/")
    page.locator("article").get_by_role("link", name="Fokusér på kerneopgaven", exact=False).first.click()
    page.wait_for_url("**/principper/kerneopgaven/")
    page.goto(site_url + "historier/daekning/")
    page.locator("table.daekning").get_by_role("link", name="Dagtilbud").click()
    page.wait_for_url("**/historier/omraade/dagtilbud/")
    assert page.locator(".historiekort").count() == 5
    context.close()


# --- search in Danish ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, story", [
    ("sprogvurdering", "fri-fra-sprogvurderinger-af-alle-boern"),
    ("sprogvurderingerne", "fri-fra-sprogvurderinger-af-alle-boern"),  # inflected: needs our stemming
    ("åbningstid", "aendret-aabningstid"),
    ("åbningstiden", "aendret-aabningstid"),
])
def test_search_finds_the_story(browser, site_url: str, query: str, story: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url)
    open_search(page, query)
    hits = search_hits(page)
    assert hits and hits[0].endswith(f"/historier/{story}/"), hits
    page.locator(".md-search-result__item > .md-search-result__link").first.click()
    page.wait_for_url(f"**/historier/{story}/**")
    page.close()


# --- phone width ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_phone_width_nothing_scrolls_sideways_and_menu_and_search_are_reachable(browser, site_url: str,
                                                                                kind: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + PAGE_TYPES[kind])
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"{kind}: {width} > {client}"
    page.locator('label.md-header__button[for="__drawer"]').click()
    link = page.locator("nav.md-nav--primary").get_by_role("link").filter(visible=True).first
    link.wait_for()
    assert page.evaluate("document.getElementById('__drawer').checked")
    # The drawer slides in; wait until the link is inside the screen.
    page.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= 375; }",
                           arg=link.element_handle())
    page.reload()
    page.locator('label.md-header__button[for="__search"]').click()
    assert page.locator("input.md-search__input").is_visible()
    page.close()


# --- accessibility --------------------------------------------------------------------------------------------------------

def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_wcag_violations(browser, site_url: str, kind: str, viewport: dict) -> None:
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + PAGE_TYPES[kind])
    assert _violations(page) == []
    page.close()


def test_axe_finds_no_wcag_violations_with_search_results_open(browser, site_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url)
    open_search(page, "sprog")
    assert search_hits(page)
    assert _violations(page) == []
    page.close()


def test_focus_is_visible_on_links(browser, site_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "historier/")
    page.locator(".historiekort__titel a").first.focus()
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    page.keyboard.press("Shift+Tab")
    style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                          " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert style[0] == "A" and style[1] != "none" and style[2] >= 2, style
    page.close()


# --- first-party only -----------------------------------------------------------------------------------------------------

def test_no_request_leaves_the_site(browser, site_url: str) -> None:
    own = urllib.parse.urlsplit(site_url).netloc
    context = browser.new_context(viewport=DESKTOP)
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urllib.parse.urlsplit(request.url).netloc or request.url))
    page = context.new_page()
    for path in PAGE_TYPES.values():
        page.goto(site_url + path, wait_until="networkidle")
    open_search(page, "sprogvurderingerne")  # the search worker and its language files load too
    assert search_hits(page)
    page.wait_for_load_state("networkidle")
    assert hosts == {own}, hosts
    context.close()
