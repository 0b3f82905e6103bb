"""Finding stories in real headless Chromium: filters without JavaScript, Danish search, phone width,
axe-core (WCAG 2.1 A/AA) with search results open (every page type: test_look_browser.py), visible focus, and not
one request to another site."""

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
    "kombineret filterside": "historier/omraade/dagtilbud/princip/kerneopgaven/",
    "tom filterside": "historier/omraade/skole/",
    "register": "historier/fri-fra/",
    "dækning": "historier/daekning/",
    "emneord": "historier/emneord/",
    "tilgængelighed": "om/tilgaengelighed/",
    "kommunikation": "om/kommunikation/",
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
        "/resultat/i.test(document.querySelector('.md-search-result__meta').textContent)",
        arg=query,
    )


def search_hits(page) -> list[str]:
    return [
        urllib.parse.urlsplit(a.get_attribute("href")).path
        for a in page.locator(".md-search-result__item > .md-search-result__link").all()
    ]


# --- filters without JavaScript ---------------------------------------------------------------------------------------


def test_filters_work_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + "historier/")
    fold = page.locator("details.historiefilter__fold")
    # Folded: the stories come first, and the first card starts on the first screen.
    assert not fold.evaluate("d => d.open")
    assert not page.get_by_role("link", name="Dagtilbud (5)").is_visible()
    assert page.locator(".historiekort").first.bounding_box()["y"] < PHONE["height"]
    fold.locator("summary").click()
    assert fold.evaluate("d => d.open")
    # A value without stories is no choice: named once, quietly, and no link to an empty page.
    assert page.get_by_text("Ingen historier endnu: Skole, ", exact=False).is_visible()
    assert page.get_by_role("link", name="Skole", exact=True).count() == 0
    page.get_by_role("link", name="Dagtilbud (5)").click()
    page.wait_for_url("**/historier/omraade/dagtilbud/")
    assert page.locator(".historiekort").count() == 5
    # On the area's page the principles count the area's stories, and combine with it.
    page.locator("details.historiefilter__fold summary").click()
    page.get_by_role("link", name="Fokusér på kerneopgaven og sæt 'plejer-kulturen' under lup (3)").click()
    page.wait_for_url("**/historier/omraade/dagtilbud/princip/kerneopgaven/")
    assert page.locator(".historiekort").count() == 3
    assert page.locator("h1").inner_text().rstrip(" ¶") == "Historier"  # short; the chosen filters are shown below
    # Widen again without opening the filter: the area goes, the principle stays.
    page.get_by_role("link", name="Fjern filteret Dagtilbud").click()
    page.wait_for_url("**/historier/princip/kerneopgaven/")
    page.get_by_role("link", name="Fjern filteret Fokusér på kerneopgaven", exact=False).click()
    page.wait_for_url("**/historier/")
    # From a card to the story, and on from there: its area, its principle's other stories, back to all.
    page.get_by_role("link", name="Fri fra kommunal regel om sprogvurderinger af alle børn").first.click()
    page.wait_for_url("**/historier/fri-fra-sprogvurderinger-af-alle-boern/")
    page.locator("#slags-regel ~ ul").first.get_by_role("link", name="Kommunal regel").click()
    page.wait_for_url("**/historier/regel/kommunal-regel/")
    page.go_back()
    page.locator(".historie-fakta").get_by_role("link", name="Dagtilbud").click()
    page.wait_for_url("**/historier/omraade/dagtilbud/")
    page.go_back()
    page.locator("#principper-for-historien ~ ul").first.get_by_role("link", name="alle 3 historier").first.click()
    page.wait_for_url("**/historier/princip/kerneopgaven/")
    page.go_back()
    crumb = page.get_by_role("navigation", name="Brødkrummesti")
    crumb.get_by_role("link", name="Historier").click()
    page.wait_for_url("**/historier/")
    page.goto(site_url + "principper/kerneopgaven/")
    page.get_by_role("link", name="Find historierne efter område").click()
    page.wait_for_url("**/historier/princip/kerneopgaven/")
    page.goto(site_url + "historier/daekning/")
    page.locator(".daekning-liste").get_by_role("link", name="Dagtilbud").click()
    page.wait_for_url("**/historier/omraade/dagtilbud/")
    page.go_back()
    page.locator(".daekning-liste li li a").first.click()
    page.wait_for_url("**/historier/omraade/dagtilbud/princip/kerneopgaven/")
    context.close()


def test_the_filter_comes_after_the_stories_folded_at_every_width(browser, site_url: str) -> None:
    for viewport in (DESKTOP, PHONE):
        page = browser.new_page(viewport=viewport)
        page.goto(site_url + "historier/omraade/dagtilbud/")
        page.wait_for_load_state("load")
        fold = page.locator("details.historiefilter__fold")
        assert not fold.evaluate("d => d.open"), viewport
        assert not page.get_by_role("link", name="Statslig regel (1)").is_visible()
        # A link near the top leads to it.
        page.get_by_role("link", name="Filtrér historierne").first.click()
        fold.locator("summary").click()
        assert page.get_by_role("link", name="Statslig regel (1)").is_visible()
        page.close()


def test_menu_marks_historier_on_story_and_listing_pages(browser, site_url: str) -> None:
    page = browser.new_page(viewport=DESKTOP)
    for path in ("historier/aendret-aabningstid/", "historier/omraade/dagtilbud/princip/kerneopgaven/"):
        page.goto(site_url + path)
        link = page.locator("nav.md-nav--primary .md-nav__item--active > .md-nav__container > a.md-nav__link")
        assert link.count() == 1 and link.inner_text().strip() == "Historier", path
        weight, colour = link.evaluate("a => [getComputedStyle(a).fontWeight, getComputedStyle(a).color]")
        plain = page.locator("nav.md-nav--primary a.md-nav__link", has_text="Aftalen").first
        assert int(weight) >= 700 and colour != plain.evaluate("a => getComputedStyle(a).color"), path
    page.close()


def test_coverage_is_a_list_per_area_on_a_phone_and_a_table_on_a_wide_screen(browser, site_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + "historier/daekning/")
    assert not page.locator("table.daekning").is_visible()
    listed = page.locator(".daekning-liste")
    assert listed.is_visible() and listed.get_by_role("link", name="Dagtilbud").is_visible()
    page.close()
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "historier/daekning/")
    assert page.locator("table.daekning").is_visible() and not page.locator(".daekning-liste").is_visible()
    page.close()


def test_share_images_load_on_the_communication_page(browser, site_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + "om/kommunikation/")
    images = page.locator(".uddrag__kort img")
    assert images.count() >= 5
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") == 1200 and image.get_attribute("alt")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent delingsbilledet", exact=False).first.click()
    assert download.value.suggested_filename.endswith(".png")
    page.close()


# --- search in Danish ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, story",
    [
        ("sprogvurdering", "fri-fra-sprogvurderinger-af-alle-boern"),
        ("sprogvurderingerne", "fri-fra-sprogvurderinger-af-alle-boern"),  # inflected: needs our stemming
        ("åbningstid", "aendret-aabningstid"),
        ("åbningstiden", "aendret-aabningstid"),
    ],
)
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
def test_phone_width_nothing_scrolls_sideways_and_menu_and_search_are_reachable(
    browser, site_url: str, kind: str
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + PAGE_TYPES[kind])
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"{kind}: {width} > {client}"
    page.locator('label.md-header__button[for="__drawer"]').click()
    link = page.locator("nav.md-nav--primary").get_by_role("link").filter(visible=True).first
    link.wait_for()
    assert page.evaluate("document.getElementById('__drawer').checked")
    # The drawer slides in; wait until the link is inside the screen.
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.left >= 0 && r.right <= 375; }",
        arg=link.element_handle(),
    )
    page.reload()
    page.locator('label.md-header__button[for="__search"]').click()
    assert page.locator("input.md-search__input").is_visible()
    page.close()


# --- accessibility --------------------------------------------------------------------------------------------------------


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in results.response["violations"]]


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
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
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
