"""The site's look in real headless Chromium: axe in light and dark on every page type, nothing wider than a
phone, bold full-contrast titles, the edit action out of the title row, touch targets, keyboard-reachable
scrolling tables, the light/dark toggle, the footer, and paper (print media and an A4 PDF)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import serve, settle

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "forside": "",
    "oversigt": "historier/",
    "filterside": "historier/omraade/dagtilbud/",
    "tom filterside": "historier/omraade/skole/",
    "historie": "historier/fri-fra-sprogvurderinger-af-alle-boern/",
    "princip": "principper/kerneopgaven/",
    "hegnspæl": "hegnspaele/retssikkerhed/",
    "register": "historier/fri-fra/",
    "dækning": "historier/daekning/",
    "emneord": "historier/emneord/",
    "bidrag": "del-din-historie/",
    "opslag": "bidrag/felter-og-fejlkoder/",
    "hastighed": "om/hastighed/",
    "kommunikation": "om/kommunikation/",
    "data": "om/data/",
    "aftalen": "aftalen/",
    "kombineret": "historier/omraade/dagtilbud/princip/kerneopgaven/",
    "feed": "feed/",
    "kontakt": "om/kontakt/",
    "tilgængelighed": "om/tilgaengelighed/",
    "404": "404.html",  # served under /frisaettelse/ like on GitHub Pages: its links start at the site's root
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SCHEMES = {"light": "default", "dark": "slate"}
MIN_TARGET = 44


@pytest.fixture(scope="module")
def pages_url(built_site: Path) -> Iterator[str]:
    """The built site under the sub-path it has on GitHub Pages (the 404 page links from the site's root)."""
    with serve(built_site, prefix="frisaettelse/") as url:
        yield url


@pytest.fixture(scope="module")
def tabs(browser) -> Iterator[dict[str, Any]]:
    """One tab per colour scheme, reused by the tests here (each goes to its page anew): opening a tab costs more
    than loading a page in it."""
    contexts = {scheme: browser.new_context(color_scheme=scheme) for scheme in SCHEMES}
    yield {scheme: context.new_page() for scheme, context in contexts.items()}
    for context in contexts.values():
        context.close()


def open_page(tabs: dict[str, Any], site_url: str, path: str, *, scheme: str = "light", viewport: dict = DESKTOP):
    """The page, on screen, in the tab whose system setting is `scheme`; waits until the theme has applied it."""
    page = tabs[scheme]
    page.emulate_media(media="null")
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') === s", arg=SCHEMES[scheme])
    return page


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']][:5]}" for v in results.response["violations"]]


# --- axe and width, light and dark --------------------------------------------------------------------------------


# Pages whose lists rest on links the editors made: the editors' note is said once, as inset text, and nowhere else.
CAVEAT_PAGES = {
    "forside",
    "oversigt",
    "filterside",
    "kombineret",
    "historie",
    "princip",
    "hegnspæl",
    "register",
    "dækning",
}
LISTINGS = {"oversigt", "filterside", "kombineret"}
FOCUS_STOPS = 8


def _readers_first(page, kind: str, viewport: dict) -> None:
    """Where things are on the page as a reader meets it (one page load, several checks)."""
    height = viewport["height"]
    # Running text at most about 40em wide (tables and card grids may be wider).
    widest = page.evaluate("""() => Math.max(0, ...Array.from(document.querySelectorAll('article p'))
        .filter(p => !p.closest('.historiekort, .forside-indgange, table, .historiefilter') && p.offsetParent)
        .map(p => p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize)))""")
    assert widest <= 40.5, (kind, viewport["width"], widest)
    if kind == "historie":  # the story starts on the first screen, before its facts; the tags come last
        top, facts, tags = page.evaluate("""() => {
            const first = document.querySelector('#historien').nextElementSibling;
            const p = first.matches('p') ? first : first.querySelector('p');
            return [p.getBoundingClientRect().top, document.querySelector('dl.historie-fakta').getBoundingClientRect().top,
                    document.querySelector('.md-tags').getBoundingClientRect().top];
        }""")
        assert top + 40 < height and top < facts < tags, (viewport["width"], top, facts, tags)
    if kind in LISTINGS:  # the first story before the filter, on the first screen; the filter folded
        card, nav, opened, zero = page.evaluate(r"""() => [
            document.querySelector('.historiekort').getBoundingClientRect().top,
            document.querySelector('nav.historiefilter').getBoundingClientRect().top,
            document.querySelector('details.historiefilter__fold').open,
            /\(0\)/.test(document.querySelector('nav.historiefilter').textContent)]""")
        assert card + 60 < height and card < nav and not opened and not zero, (kind, card, nav, opened, zero)
    if kind in CAVEAT_PAGES:  # the editors' note once, as inset text; nothing else on the page repeats it
        insets, outside = page.evaluate("""() => {
            const article = document.querySelector('article').cloneNode(true);
            const insets = article.querySelectorAll('.indskudt').length;
            article.querySelectorAll('.indskudt').forEach(e => e.remove());
            // The one other mark: a "fri til" sentence the editors chose from the quote says so at the sentence.
            const text = article.textContent.replace('(sætning fra citatet, valgt af redaktionen)', '');
            return [insets, (text.match(/redaktion/gi) || []).length];
        }""")
        assert insets <= 1 and outside == 0, (kind, insets, outside)
    if kind == "bidrag":  # fenced commands inside list items are code blocks
        assert page.locator("article li pre").count() >= 3


def _focus_ring(page) -> tuple[str, bool, float, float]:
    """The focused element (or the label a hidden radio stands for): name, visible, outline width, contrast."""
    name, visible, width, ring, behind = page.evaluate(r"""() => {
        let el = document.activeElement;
        if (getComputedStyle(el).outlineStyle === 'none')  // a card's one link: the whole card shows the ring
            el = el.closest('.historiekort, .forside-indgange li') || el;
        if (el && el.matches('input.md-option'))  // the theme shows one label for the radio pair: it has the ring
            el = Array.from(el.form.querySelectorAll('label')).find(l => l.getClientRects().length);
        const s = getComputedStyle(el), r = el.getBoundingClientRect();
        let bg = 'rgb(255, 255, 255)';
        const inside = parseFloat(s.outlineOffset) < 0;  // a ring drawn inside the element is seen on its own colour
        for (let e = inside ? el : el.parentElement; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            if (c && c !== 'transparent' && !/rgba\(.*, 0\)$/.test(c)) { bg = c; break; }
        }
        const name = (el.getAttribute('aria-label') || el.title || el.textContent || el.tagName).trim().slice(0, 40);
        const visible = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0';
        return [name, visible, s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), s.outlineColor, bg];
    }""")
    return name, visible, width, _contrast(_rgba(ring), _rgba(behind))


def _contrast(fg: tuple[float, float, float, float], bg: tuple[float, float, float, float]) -> float:
    blended = tuple(fg[3] * fg[i] + (1 - fg[3]) * bg[i] for i in range(3))
    lighter, darker = sorted((_luminance(blended), _luminance(bg[:3])), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_every_page_type_in_light_and_dark_on_a_phone_and_a_wide_screen(
    tabs: dict[str, Any], site_url: str, pages_url: str, kind: str, scheme: str
) -> None:
    """axe finds nothing, nothing is wider than a phone, the reader's order (_readers_first), a visible focus ring
    on the first Tab stops, and paper printed from the dark scheme is dark on white."""
    if kind == "404":
        site_url = pages_url
    for viewport in (DESKTOP, PHONE):
        page = open_page(tabs, site_url, PAGE_TYPES[kind], scheme=scheme, viewport=viewport)
        assert violations(page) == [], f"{kind}, {scheme}, {viewport['width']}"
        _readers_first(page, kind, viewport)
        if viewport is PHONE:
            width, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width <= client, f"{kind}, {scheme}: {width} > {client}"
        if kind in ("forside", "historie", "oversigt"):
            for _ in range(FOCUS_STOPS):
                page.keyboard.press("Tab")
                settle(page)  # the skip link slides in
                name, visible, ring, contrast = _focus_ring(page)
                assert visible and ring >= 2 and contrast >= 3, (kind, scheme, viewport["width"], name, ring, contrast)
        if scheme == "dark" and kind in ("forside", "historie", "princip"):
            page.emulate_media(media="print", color_scheme="dark")
            settle(page)  # the theme's colour transitions
            colours = page.evaluate("""() => ['article h1', 'article p', 'article a']
                .map(s => getComputedStyle(document.querySelector(s)).color)""")
            for colour in colours:
                assert _contrast(_rgba(colour), (255, 255, 255, 1)) >= 12, (kind, colours)


def test_the_toggle_switches_the_scheme_and_is_remembered(browser, site_url: str) -> None:
    context = browser.new_context(color_scheme="light")  # its own: the choice is remembered
    page = context.new_page()
    page.goto(site_url)
    page.locator("label.md-header__button[title='Skift til mørk visning']").click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.goto(site_url + "principper/kerneopgaven/")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.locator("label.md-header__button[title='Skift til lys visning']").is_visible()
    context.close()


# --- titles and the edit action ------------------------------------------------------------------------------------


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgba(css: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", css)]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_titles_are_bold_and_in_full_contrast(tabs, site_url: str, scheme: str) -> None:
    for path in ("", "historier/fri-fra-sprogvurderinger-af-alle-boern/", "historier/daekning/"):
        page = open_page(tabs, site_url, path, scheme=scheme)
        weight, colour, background, h2_weight = page.evaluate("""() => {
            const h1 = document.querySelector('article h1'), h2 = document.querySelector('article h2');
            return [getComputedStyle(h1).fontWeight, getComputedStyle(h1).color,
                    getComputedStyle(document.body).backgroundColor,
                    h2 ? getComputedStyle(h2).fontWeight : '0'];
        }""")
        assert int(weight) >= 600 and int(weight) >= int(h2_weight), (path, weight, h2_weight)
        fg, bg = _rgba(colour), _rgba(background)
        blended = tuple(fg[3] * fg[i] + (1 - fg[3]) * bg[i] for i in range(3))
        lighter, darker = sorted((_luminance(blended), _luminance(bg[:3])), reverse=True)
        contrast = (lighter + 0.05) / (darker + 0.05)
        assert contrast >= 12, (path, scheme, colour, background, round(contrast, 1))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_the_edit_action_is_below_the_content_not_beside_the_title(tabs, site_url: str, viewport: dict) -> None:
    for path in ("historier/fri-fra-sprogvurderinger-af-alle-boern/", "principper/kerneopgaven/", "del-din-historie/"):
        page = open_page(tabs, site_url, path, viewport=viewport)
        edit = page.get_by_role("link", name="Ret siden på GitHub")
        assert edit.count() == 1 and page.get_by_role("link", name="Er der noget galt på siden?").count() == 1
        title = page.locator("article h1").bounding_box()
        box = edit.bounding_box()
        assert box["y"] >= title["y"] + title["height"], path
        assert box["y"] > page.locator("article h1 ~ *").first.bounding_box()["y"]
        assert box["height"] >= MIN_TARGET, box
        # The H1 keeps the full width of the text column.
        assert title["width"] >= page.locator("article").bounding_box()["width"] - 40


@pytest.mark.parametrize(
    "path",
    [
        "historier/",
        "historier/daekning/",
        "historier/emneord/",
        "historier/fri-fra/",
        "om/kommunikation/",
        "historier/omraade/dagtilbud/",
    ],
)
def test_pages_made_by_a_macro_or_the_build_have_no_edit_action(tabs, site_url: str, path: str) -> None:
    page = open_page(tabs, site_url, path)
    assert page.get_by_role("link", name="Ret siden på GitHub").count() == 0


# --- touch targets, header and footer ------------------------------------------------------------------------------


def _small_targets(page, selector: str) -> list[str]:
    return page.evaluate(
        """([selector, minimum]) => Array.from(document.querySelectorAll(selector))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 40) || e.getAttribute('for') || e.className,
                   e.getBoundingClientRect()])
        .filter(([, r]) => r.height < minimum - 0.5 || r.width < minimum - 0.5)
        .map(([name, r]) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`)""",
        [selector, MIN_TARGET],
    )


def test_touch_targets_are_at_least_44_pixels(tabs, site_url: str) -> None:
    checks = {
        "historier/": "nav.historiefilter a:not(.headerlink)",
        "": ".md-header__button, .md-header .ordmaerke, .md-footer-meta a, .startknap, .md-footer__link",
        "del-din-historie/": ".startknap, .fejl-paa-siden a",
        "om/kommunikation/": ".uddrag__knap",
    }
    for viewport in (PHONE, DESKTOP):
        for path, selector in checks.items():
            page = open_page(tabs, site_url, path, viewport=viewport)
            assert page.locator(selector).count() > 0, (path, selector)
            assert _small_targets(page, selector) == [], (path, viewport["width"])


def test_the_footer_leads_to_the_pages_staff_look_for(tabs, site_url: str) -> None:
    page = open_page(tabs, site_url, "historier/fri-fra-sprogvurderinger-af-alle-boern/", viewport=PHONE)
    footer = page.locator("footer.md-footer")
    assert "Udgivet af Rebild Kommune." in footer.inner_text()
    assert "Material for MkDocs" not in page.content()
    for name, target in (
        ("Tilgængelighedserklæring", "**/om/tilgaengelighed/"),
        ("Om sitet", "**/om/"),
        ("Del din historie", "**/del-din-historie/"),
    ):
        page.goto(site_url + "historier/fri-fra-sprogvurderinger-af-alle-boern/")
        page.locator("footer.md-footer").get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(target)
    feed = page.locator("footer.md-footer").get_by_role("link", name="Følg nye historier (feed)")
    assert feed.get_attribute("href").endswith("feed/")  # the page that explains the feed, not the raw XML


def test_the_search_dialog_is_named(tabs, site_url: str) -> None:
    page = open_page(tabs, site_url, "", viewport=PHONE)
    page.locator('label.md-header__button[for="__search"]').click()
    assert page.get_by_role("dialog", name="Søg på sitet").count() == 1


# --- scrolling tables and keyboard ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path, name", [("om/hastighed/", "Byggetid")])
def test_a_table_that_scrolls_sideways_is_reached_by_the_keyboard(tabs, site_url: str, path: str, name: str) -> None:
    page = open_page(tabs, site_url, path, viewport=PHONE)
    regions = page.locator("article [role=region][tabindex='0']")
    assert regions.count() >= 1
    region = regions.first
    assert name in region.get_attribute("aria-label") and "kan rulles vandret" in region.get_attribute("aria-label")
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", region.element_handle())
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", region.element_handle()):
            break
    else:
        pytest.fail("the table's scroll box never got focus")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())


def test_an_old_link_to_an_error_code_lands_on_its_explanation(tabs, site_url: str) -> None:
    page = open_page(tabs, site_url, "del-din-historie/#fm003")
    page.wait_for_url("**/bidrag/felter-og-fejlkoder/#fm003")
    assert page.locator("#fm003").is_visible()


# --- paper ---------------------------------------------------------------------------------------------------------

HIDDEN_ON_PAPER = [
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-footer",
    ".md-search",
    ".fejl-paa-siden",
    ".headerlink",
]


@pytest.mark.parametrize(
    "path", ["historier/fri-fra-sprogvurderinger-af-alle-boern/", "principper/kerneopgaven/", "aftalen/"]
)
def test_print_shows_only_the_text_with_addresses_and_the_source(tabs, site_url: str, path: str) -> None:
    page = open_page(tabs, site_url, path)
    page.emulate_media(media="print")
    for selector in HIDDEN_ON_PAPER:
        shown = page.evaluate(
            "s => Array.from(document.querySelectorAll(s)).filter(e => "
            "getComputedStyle(e).display !== 'none' && e.getClientRects().length).length",
            selector,
        )
        assert shown == 0, (path, selector)
    assert page.locator("article h1").is_visible()
    source = page.locator("article p.kilde")
    if source.count():
        assert source.is_visible() and source.inner_text().startswith("Kilde:")
    assert page.locator(".kun-udskrift").is_visible()
    after = page.evaluate("""() => Array.from(document.querySelectorAll('article a[href]'))
        .filter(a => !a.classList.contains('headerlink') && !a.getAttribute('href').startsWith('#'))
        .filter(a => !a.closest('.md-tags'))
        .map(a => [a.href, getComputedStyle(a, '::after').content])""")
    assert after, path
    for href, content in after:
        assert content == f'" ({href})"', (href, content)
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and pages >= 1


def test_a_story_fits_on_few_a4_sheets(tabs, site_url: str) -> None:
    """Nothing but the text on paper: a story of a quote and its facts takes at most two sheets."""
    page = open_page(tabs, site_url, "historier/fri-fra-sprogvurderinger-af-alle-boern/")
    pdf = page.pdf(format="A4")
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
