"""The contributor's preview (`forhaandsvis`): a story with problems is shown with a Danish box listing them, in
the page and in the terminal, and the preview keeps running; no English noise; fixing the file clears the box."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import article, make_site

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


# --- the full site (`mkdocs serve`, as scripts/serve runs it) and the preview never die -----------------------------


def _start(site: Path, args: list[str], log: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", *args], cwd=site, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for(server: subprocess.Popen[bytes], log: Path, condition: Callable[[], bool], what: str) -> None:
    """Poll (a build takes seconds on a busy machine): the server must stay up all along."""
    deadline = time.monotonic() + 240
    while not condition():
        assert server.poll() is None, f"the server stopped: {log.read_text(encoding='utf-8')[-3000:]}"
        assert time.monotonic() < deadline, f"{what}: {log.read_text(encoding='utf-8')[-3000:]}"
        time.sleep(0.5)


def _box(html: str) -> str:
    match = re.search(r'<div class="admonition failure problemboks".*?</div>', html, re.S)
    return match.group(0) if match else ""


def _stop(server: subprocess.Popen[bytes], log: Path) -> str:
    server.terminate()
    server.wait(timeout=60)
    output = log.read_text(encoding="utf-8")
    assert "Traceback" not in output and "Aborted" not in output and "Macro Rendering Error" not in output, output
    return output


STORY_FILE = "aendret-aabningstid.md"
DEAD_LINK = "\nSe [siden](findes-ikke.md).\n"
MACRO_TYPO = "\n{{ prinsip('kerneopgaven') }}\n"


@pytest.mark.langsom
def test_serve_shows_every_problem_on_its_page_and_recovers(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    story, dead, typo = site / "cases" / STORY_FILE, site / "docs/om/data.md", site / "docs/om/kommunikation.md"
    record = site / "publicerede-adresser.txt"  # a problem of no page: on the home page
    record.write_text("", encoding="utf-8")
    originals = {path: path.read_text(encoding="utf-8") for path in (story, dead, typo, record)}
    record.write_text("/historier/findes-ikke-mere/\n", encoding="utf-8")
    story.write_text(originals[story].replace("principper: [", "principper: [kerneopgave, "), encoding="utf-8")
    dead.write_text(originals[dead] + DEAD_LINK, encoding="utf-8")
    typo.write_text(originals[typo] + MACRO_TYPO, encoding="utf-8")
    port, log = _free_port(), tmp_path / "serve.log"
    server = _start(site, ["mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], log, port)
    base = f"http://127.0.0.1:{port}/"
    pages = {
        story: base + "historier/aendret-aabningstid/",
        dead: base + "om/data/",
        typo: base + "om/kommunikation/",
        record: base,
    }
    try:
        _wait_for(server, log, lambda: "(FM003)" in _box(_fetch(pages[story])), "no box for the unfinished story")
        assert "(FM031)" in _box(_fetch(pages[dead])) and "findes-ikke.md" in _box(_fetch(pages[dead]))
        assert "(FM065)" in _box(_fetch(pages[typo])) and "prinsip" in _box(_fetch(pages[typo]))
        assert "(FM030)" in _box(_fetch(base)) and "publicerede-adresser.txt" in _box(_fetch(base))
        guide = re.search(r'href="([^"]+#fm065)"', _box(_fetch(pages[typo])))
        assert guide and guide.group(1).startswith(base) and 'id="fm065"' in _fetch(guide.group(1))  # works offline

        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        for url in pages.values():
            _wait_for(server, log, lambda url=url: (html := _fetch(url)) != "" and not _box(html), f"box stays: {url}")
        assert server.poll() is None
    finally:
        output = _stop(server, log)
    assert "cases/aendret-aabningstid.md:6: FM003" in output and "docs/om/kommunikation.md:" in output


@pytest.mark.langsom
def test_the_preview_opens_on_the_story_and_shows_what_tjek_reports(tmp_path: Path) -> None:
    site = make_site(tmp_path, keep_cases=True)
    story, typo = site / "cases" / STORY_FILE, site / "docs/om/kommunikation.md"
    unfinished = site / "cases" / "halvfaerdig.md"  # another contributor's story, unfinished from the start
    originals = {path: path.read_text(encoding="utf-8") for path in (story, typo)}
    originals[unfinished] = originals[story]
    unfinished.write_text(originals[story].replace("principper: [", "principper: [kerneopgave, "), encoding="utf-8")
    story.write_text(originals[story] + DEAD_LINK.replace("findes-ikke", "../findes-ikke"), encoding="utf-8")
    typo.write_text(originals[typo] + MACRO_TYPO, encoding="utf-8")
    port, log = _free_port(), tmp_path / "preview.log"
    server = _start(
        site, ["frisaettelse", "forhaandsvis", f"cases/{STORY_FILE}", "--adresse", f"127.0.0.1:{port}"], log, port
    )
    base = f"http://127.0.0.1:{port}/"
    page = base + "historier/aendret-aabningstid/"
    try:
        _wait_for(server, log, lambda: "(FM031)" in _box(_fetch(page)), "no box for the story's dead link")
        assert page in log.read_text(encoding="utf-8").splitlines()[0]  # it says where the story is
        assert "(FM065)" in _box(_fetch(base + "om/kommunikation/"))
        assert "(FM003)" in _box(_fetch(base + "historier/halvfaerdig/"))
        # Links on a principle page lead somewhere (the listings the preview leaves out are not linked).
        principle = base + "principper/kerneopgaven/"
        hrefs = set(re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', article(_fetch(principle))))
        broken = [h for h in hrefs if not _fetch(urllib.parse.urljoin(principle, h))]
        assert hrefs and broken == []

        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        for url in (page, base + "historier/halvfaerdig/", base + "om/kommunikation/"):
            _wait_for(server, log, lambda url=url: (html := _fetch(url)) != "" and not _box(html), f"box stays: {url}")
        menu = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', _fetch(page), re.S)
        assert menu and "None" not in menu  # pages not rebuilt (--dirty) keep their titles in the menu
    finally:
        _stop(server, log)


def test_the_preview_hears_a_save_without_waiting_for_a_poll(tmp_path: Path) -> None:
    """MkDocs polls the folders every 0.5 s; the preview listens to the system's file events, so a saved story
    starts a rebuild at once. Here the poll would come after an hour: only the events can start it."""
    from types import SimpleNamespace

    from mkdocs.livereload import LiveReloadServer

    from frisaettelse.plugin.plugin import FrisaettelsePlugin

    docs, cases, config_file = tmp_path / "docs", tmp_path / "cases", tmp_path / "mkdocs.yml"
    docs.mkdir()
    cases.mkdir()
    config_file.write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(lambda: None, "127.0.0.1", 0, str(tmp_path), polling_interval=3600)
    server.watch(str(docs))
    server.watch(str(config_file))
    plugin = FrisaettelsePlugin()
    plugin.preview = True
    config = SimpleNamespace(docs_dir=str(docs), config_file_path=str(config_file))
    server = plugin.on_serve(server, config=config, builder=lambda: None)
    server.watch(str(cases))  # mkdocs.yml's watch: comes after the hook
    server.observer.start()
    try:
        for saved in (cases / "ny-historie.md", docs / "side.md"):
            saved.write_text("x", encoding="utf-8")
            with server._rebuild_cond:
                assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30), saved
                server._want_rebuild = False
    finally:
        server.observer.stop()
        server.observer.join()
