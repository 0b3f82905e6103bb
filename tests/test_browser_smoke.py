"""The built site in real headless Chromium: a story is reachable from the overview by clicking."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_overview_links_to_a_story_page(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "historier/")
    page.get_by_role("link", name="Forsøg med ændret åbningstid").first.click()
    page.wait_for_url("**/historier/aendret-aabningstid/")
    assert page.locator("h1").inner_text().startswith("Forsøg med ændret åbningstid")
    page.close()
