"""The Content-Security-Policy and the sanitiser in real headless Chromium.

The real site: no page type reports a policy violation, and what runs in the browser (search, the palette script,
the copy buttons, table alignment) still works under the policy. The hostile site (built with validation off,
see test_hostile_output.py): visiting its pages and searching for its payloads runs nothing, opens no dialog and
asks no other host for anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import serve
from helpers import real_index
from test_hostile_output import HOSTILE

from frisaettelse.newsletter import snippet
from frisaettelse.problems import DEFAULT_SITE_URL

pytestmark = pytest.mark.browser
# Reported by the page itself: every violation of its policy, whatever the console shows.
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""


class Watch:
    """What a page did that the site did not ask for: policy violations, dialogs, requests to other hosts."""

    def __init__(self, context: Any, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        context.add_init_script(LISTEN)
        context.on("request", self._request)

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.outside.append(request.url)

    def page(self, context: Any) -> Any:
        page = context.new_page()
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        return page

    def assert_quiet(self, page: Any, where: str) -> None:
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__violations")
        errors = [m for m in self.console if "404" not in m]
        assert not violations and not errors, (where, violations, errors)
        assert not self.dialogs and not self.outside, (where, self.dialogs, self.outside)


@contextmanager
def watched(browser: Any, base: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context()
    origin = "/".join(base.split("/")[:3])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    watch = Watch(context, base)
    try:
        yield context, watch
    finally:
        context.close()


def search(page: Any, query: str) -> int:
    page.keyboard.press("/")
    page.keyboard.type(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__item").count()


def test_no_page_type_reports_a_policy_violation_and_everything_still_works(browser, site_url: str) -> None:
    story = real_index().newest()[0]
    with watched(browser, site_url) as (context, watch):
        page = watch.page(context)
        for url in (
            "",
            story.url,
            "principper/kerneopgaven/",
            "historier/",
            "historier/daekning/",
            "historier/emneord/",
            "del-din-historie/",
            "om/hastighed/",
            "404.html",
        ):
            page.goto(site_url + url)
            assert page.evaluate("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]') !== null")
            watch.assert_quiet(page, url)

        # The theme's inline script ran (allowed by its hash): its storage helpers exist. The palette (the site's
        # own colours, from its stylesheet) applies.
        page.goto(site_url)
        assert page.evaluate("typeof __md_get") == "function"
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == "rgb(0, 87, 63)"
        )

        # Search runs in its worker and finds the story.
        assert search(page, "sprogvurdering") > 0
        watch.assert_quiet(page, "søgning")

        # Table alignment without style attributes (Chromium reports the align attribute as -webkit-right).
        page.goto(site_url + "om/hastighed/")
        aligned = page.evaluate(
            "[...document.querySelectorAll('th[align=right], td[align=right]')].map(e => getComputedStyle(e).textAlign)"
        )
        assert aligned and set(aligned) <= {"right", "-webkit-right"}

        # The copy button on the communication page.
        page.goto(site_url + "om/kommunikation/")
        first = real_index().newest()[0]
        page.get_by_role("button", name=f"Kopiér uddraget om {first.title}").click()
        page.locator(".uddrag").first.get_by_role("status").filter(has_text="Kopieret").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == snippet(first, DEFAULT_SITE_URL, "tekst")
        watch.assert_quiet(page, "om/kommunikation/")


def test_hostile_pages_and_searches_run_nothing_and_ask_no_other_host(browser, hostile_site: Path) -> None:
    with serve(hostile_site) as base, watched(browser, base) as (context, watch):
        page = watch.page(context)
        urls = [f"historier/{slug}/" for slug in HOSTILE] + [
            "historier/",
            "historier/emneord/",
            "om/kommunikation/",
            "historier/fri-fra/",
            "historier/gammelt-angreb/",
        ]
        urls += [
            f"historier/emneord/{p.name}/"
            for p in sorted((hostile_site / "historier" / "emneord").iterdir())
            if p.is_dir()
        ]
        for url in urls:
            page.goto(base + url)
            page.mouse.move(200, 300)  # hover handlers, if any survived
            watch.assert_quiet(page, url)
        page.goto(base)
        for query in ("onerror", "citat", "foldet", "skemaet"):
            page.goto(base)
            assert search(page, query) > 0, query
            page.locator(".md-search-result__item").first.hover()
            watch.assert_quiet(page, f"søgning: {query}")
        assert page.evaluate("typeof window.__xss") == "undefined"
