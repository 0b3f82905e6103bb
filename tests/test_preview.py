"""The contributor's preview (`forhaandsvis`): a story with problems is shown with a Danish box listing them, in
the page and in the terminal, and the preview keeps running; no English noise; fixing the file clears the box."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import make_site

STORY = """---
title: Vores forsøg med frokost
description: Vi spiste sammen med børnene.
dato: 2024-03-01
omraade: dagtilbud
principper: [kerneopgave]
hegnspaele: [retssikkerhed]
fri_fra: Den faste spisetid
fri_fra_type: kommunal regel
fri_til: Ro ved bordet.
citat_rolle: Pædagog, Rebild Kommune
kilde: indsendt
samtykke: anonymiseret
---

Vi prøvede noget nyt. <img src="x" onerror="alert(1)"> Ring på 12 34 56 78.
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


@pytest.fixture()
def preview(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    site = make_site(tmp_path, "valid", keep_cases=True)
    (site / "cases" / "frokost.md").write_text(STORY, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "frisaettelse", "forhaandsvis", "--adresse", f"127.0.0.1:{port}"],
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while "problemboks" not in _fetch(base + "historier/frokost/"):
        assert server.poll() is None and time.monotonic() < deadline, "the preview never served the story"
        time.sleep(0.5)
    try:
        yield site, base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.browser
def test_a_story_with_problems_is_shown_with_a_danish_box(
    preview: tuple[Path, str, subprocess.Popen[str]], browser: object
) -> None:
    site, base, server = preview
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(base + "historier/frokost/")
    assert page.locator("h1").first.inner_text() == "Vores forsøg med frokost"
    box = page.locator(".problemboks")
    assert box.is_visible() and box.get_attribute("role") == "alert"
    items = box.locator("li").all_inner_texts()
    assert len(items) == 3, items
    assert items[0].startswith("Linje 6 (FM003): Ukendt princip 'kerneopgave'. Mente du 'kerneopgaven'?")
    assert items[1].startswith("Linje 16 (FM015): Historien indeholder")
    assert items[2].startswith("Linje 16 (FM018)") and "12 34 56 78" not in box.inner_text()
    links = box.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links == [
        base + "bidrag/felter-og-fejlkoder/#fm003",
        base + "bidrag/felter-og-fejlkoder/#fm015",
        base + "bidrag/felter-og-fejlkoder/#fm018",
    ]
    assert "cases/frokost.md" in box.locator(".admonition-title").inner_text()
    assert "Vi prøvede noget nyt." in page.locator("article").inner_text()
    assert page.locator("article img[onerror]").count() == 0  # the story's text is sanitised in the preview too

    # Fixing the file clears the box; the preview never stopped.
    story = site / "cases" / "frokost.md"
    story.write_text(
        STORY.replace("[kerneopgave]", "[kerneopgaven]")
        .replace(" Ring på 12 34 56 78.", "")
        .replace(' <img src="x" onerror="alert(1)">', ""),
        encoding="utf-8",
    )
    deadline = time.monotonic() + 60
    while "problemboks" in _fetch(base + "historier/frokost/"):
        assert time.monotonic() < deadline, "the box stayed after the fix"
        time.sleep(0.3)
    assert "Ro ved bordet." in _fetch(base + "historier/frokost/")
    server.terminate()
    output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output
    assert re.search(r"cases/frokost\.md:6: FM003 Ukendt princip 'kerneopgave'\. Mente du 'kerneopgaven'\?", output)
    assert "cases/frokost.md:16: FM018" in output
    english = [
        line
        for line in output.splitlines()
        if line.startswith(("WARNING", "INFO", "ERROR"))
        and "FM0" not in line
        and "Siden er opdateret" not in line
        and "Building documentation" not in line
    ]
    assert english == [], english
