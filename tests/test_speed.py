"""Per-page work that plain mkdocs-material does not do is done once per build (or in parallel), for real."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from unittest import mock

import markdown
import pytest
from helpers import ROOT, make_site, mkdocs_build, real_index, visible_text
from PIL import Image, ImageChops, ImageStat

from benchmarks.bench import write_stories
from frisaettelse.cards import HEIGHT, PARALLEL_FROM, WIDTH, Card, draw_card, render_cards
from frisaettelse.history import last_commit_dates
from frisaettelse.load import slugify

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _page(out: Path, url: str) -> str:
    return (out / url / "index.html").read_text(encoding="utf-8")


def _git(cwd: Path, *args: str, when: str | None = None) -> None:
    extra = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **_GIT_ENV, **extra}, check=True, capture_output=True)


def test_one_git_log_dates_files_in_several_folders(tmp_path: Path) -> None:
    docs, cases = tmp_path / "docs", tmp_path / "cases"
    (docs / "om").mkdir(parents=True)
    cases.mkdir()
    _git(tmp_path, "init", "-q")
    (docs / "om" / "side.md").write_text("a", encoding="utf-8")
    (cases / "historie.md").write_text("b", encoding="utf-8")
    (tmp_path / "andet.md").write_text("c", encoding="utf-8")  # outside the folders asked about
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "one", when="2024-01-05T12:00:00+01:00")
    (cases / "historie.md").write_text("b2", encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "two", when="2024-03-09T12:00:00+01:00")
    (docs / "ny.md").write_text("d", encoding="utf-8")  # not committed
    assert last_commit_dates(docs, cases) == {
        docs.resolve() / "om" / "side.md": dt.date(2024, 1, 5),
        cases.resolve() / "historie.md": dt.date(2024, 3, 9),
    }


def test_a_storys_text_is_converted_once_per_build(tmp_path: Path) -> None:
    """The checks' conversion of a story's body is its page's: Markdown reads each story's text once in a build."""
    real, texts = markdown.Markdown.convert, list[str]()

    def convert(self: markdown.Markdown, source: str) -> str:
        texts.append(source)
        return real(self, source)

    with mock.patch.object(markdown.Markdown, "convert", convert):
        result = mkdocs_build(make_site(tmp_path, keep_cases=True), tmp_path / "out")
    assert result.returncode == 0, result.stderr[-3000:]
    bodies = [story.body.strip() for story in real_index().stories.values()]
    assert bodies and [sum(body in text for text in texts) for body in bodies] == [1] * len(bodies)


def test_every_page_is_dated_from_one_git_call(tmp_path: Path) -> None:
    """docs pages and stories get their file's last commit, pages built from the stories the newest of those and
    their own file's; never the build date; git runs once."""
    site = make_site(tmp_path, keep_cases=True)
    _git(site, "init", "-q")
    _git(site, "add", ".")
    _git(site, "commit", "-q", "-m", "one", when="2024-01-05T12:00:00+01:00")
    page = site / "docs" / "om" / "tilgaengelighed.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEn rettelse.\n", encoding="utf-8")
    story = sorted((site / "cases").glob("*.md"))[0]
    story.write_text(story.read_text(encoding="utf-8") + "\nEn rettelse.\n", encoding="utf-8")
    _git(site, "commit", "-q", "-am", "two", when="2024-03-09T12:00:00+01:00")

    # A `git` first on PATH that notes each call and hands it to the real one.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "git-calls.txt"
    wrapper = bin_dir / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\nexec /usr/bin/git "$@"\n', encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "out"
    result = mkdocs_build(site, out, extra_env={"PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stderr[-3000:]

    # One call reads the history of every file; none asks about a single page (mkdocs-macros asks a few
    # questions about the repository once per build, whatever the number of pages).
    made = calls.read_text(encoding="utf-8").splitlines()
    assert len([call for call in made if "--name-only" in call]) == 1, made
    assert not [call for call in made if ".md" in call], made
    assert len(made) < 15, made
    story_url = f"historier/{slugify(story.stem)}"
    shown = {
        url: visible_text(_page(out, url))
        for url in ("om/tilgaengelighed", "om", "historier", story_url, "historier/omraade/dagtilbud")
    }
    assert "Sidst opdateret: 9. marts 2024" in shown["om/tilgaengelighed"]
    assert "Sidst opdateret: 5. januar 2024" in shown["om"]
    assert "Sidst opdateret: 9. marts 2024" in shown[story_url]
    assert "Sidst opdateret: 9. marts 2024" in shown["historier/omraade/dagtilbud"]  # generated: newest story
    assert "Sidst opdateret: 9. marts 2024" in shown["historier"]  # its own file is older than the newest story
    # "Sidst opdateret" means the same on every page: a commit date of what the page is built from, never the build's.
    commits = {"5. januar 2024", "9. marts 2024"}
    for path in out.rglob("index.html"):
        for shown_date in re.findall(r"Sidst opdateret: ([^<]+)</p>", path.read_text(encoding="utf-8")):
            assert shown_date in commits, (path, shown_date)
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{story_url}/</loc>\n         <lastmod>2024-03-09</lastmod>" in sitemap


# --- share cards ------------------------------------------------------------------------------------------------------


def _cards(count: int, tmp: Path) -> list[tuple[Card, Path]]:
    return [
        (
            Card(
                "Historie fra praksis",
                f"Fri fra skemaet: pædagogerne planlægger selv dagen {i}",
                "Dagtilbud",
                ("Princip: Kerneopgaven", "Princip: Formål og retning"),
            ),
            tmp / "ud" / f"{i}.png",
        )
        for i in range(count)
    ]


def test_cards_are_small_palette_pngs_that_look_like_the_full_colour_drawing(tmp_path: Path) -> None:
    ((card, out),) = _cards(1, tmp_path)
    assert render_cards([(card, out)], tmp_path / "cache") == 1
    assert out.samefile(tmp_path / "cache" / f"{card.key()}.png")  # the site's card is the cached file, not a copy
    with Image.open(out) as image:
        assert image.format == "PNG" and image.mode == "P" and image.size == (WIDTH, HEIGHT)
        shown = image.convert("RGB")
    assert out.stat().st_size < 24_000  # under half of the full-colour card (47 KB)
    full = draw_card(card, palette=False)
    difference = ImageStat.Stat(ImageChops.difference(full, shown))
    assert max(difference.mean) < 1.0  # of 255: only the edges of letters move, by a shade
    assert max(high for _, high in ImageChops.difference(full, shown).getextrema()) < 40


_PARALLEL_RUN = """
import os, sys
from pathlib import Path
from frisaettelse import cards
sys.path.insert(0, sys.argv[2])
from test_speed import _cards

cards._cores = lambda: 3  # a worker on each core the build's own process leaves
tmp = Path(sys.argv[1])
jobs = _cards(2 * cards.PARALLEL_FROM, tmp / "parallelt")
drawing = cards.Drawing(jobs, tmp / "cache-a")
assert len(drawing.workers) == 2
assert drawing.finish() == len(jobs)
cards.PARALLEL_FROM = 10**6
serial = _cards(len(jobs), tmp / "serielt")
drawing = cards.Drawing(serial, tmp / "cache-b")
assert drawing.workers == []
assert drawing.finish() == len(jobs)
for (_, a), (_, b) in zip(jobs, serial, strict=True):
    assert a.read_bytes() == b.read_bytes()
assert cards.render_cards(jobs, tmp / "cache-a") == 0  # drawn once: a second build links to the cache

cards.PARALLEL_FROM, build, draw_into = 2, os.getpid(), cards._draw_into


def dying(card, path):  # a worker dies on the first card it takes: every card still comes
    if os.getpid() != build:
        os._exit(3)
    draw_into(card, path)


cards._draw_into = dying
killed = _cards(4, tmp / "draebt")
drawing = cards.Drawing(killed, tmp / "cache-c")
assert drawing.finish() == 4 and [w.exitcode for w in drawing.workers] == [3, 3]
cards._draw_into = draw_into
for (_, a), (_, b) in zip(jobs, killed):
    assert a.read_bytes() == b.read_bytes()

stopped = cards.Drawing(_cards(4, tmp / "stoppet"), tmp / "cache-d")
stopped.cancel()  # a failed build: the workers stop after the card they are drawing
assert not any(worker.is_alive() for worker in stopped.workers)
assert len(stopped.workers) == 2 and len(list((tmp / "cache-d").glob("*.png"))) <= 2
print("ok")
"""


def test_many_cards_are_drawn_in_parallel_alike(tmp_path: Path) -> None:
    """In a fresh, single-threaded process, as a build runs (a test worker has threads of its own, and the cards
    module rightly refuses to fork a process with threads)."""
    result = subprocess.run(
        [sys.executable, "-c", _PARALLEL_RUN, str(tmp_path), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


_SPLIT_RUN = """
import os, random, sys
from pathlib import Path
import markdown
from benchmarks.bench import synthetic_story
from frisaettelse import pipeline, validate

site, rng = Path(sys.argv[1]), random.Random(7)
for i in range(30):
    name, text = synthetic_story(i, rng)
    if i in (3, 27):  # a problem in each half
        text = text.replace("principper:", "principper:\\n- ikke-et-princip", 1)
    (site / "cases" / f"{i:02}-{name}").write_text(text, encoding="utf-8")
here, convert = [], markdown.Markdown.convert
markdown.Markdown.convert = lambda md, text: here.append(text) or convert(md, text)

validate.SPLIT_FROM = 20
split = pipeline.build_index(site)
bodies = {story.body for story in split.stories.values()}
assert 0 < len(bodies & set(here)) < len(bodies) - 5, len(bodies & set(here))  # the other half: the helper's
assert all((body, True) in split.converter.converted() for body in bodies)  # and its conversions came back
validate._validate_and_send = lambda *args: os._exit(3)  # a helper that dies: its half is checked here
lost = pipeline.build_index(site)
validate.SPLIT_FROM = 10**6
serial = pipeline.build_index(site)
assert len({p.path for p in serial.problems if "ikke-et-princip" in p.message}) == 2, serial.problems
for index in (split, lost):
    assert index.problems == serial.problems and index.stories.keys() == serial.stories.keys()
    assert [s.body for s in index.stories.values()] == [s.body for s in serial.stories.values()]
print("ok")
"""


def test_a_large_story_folder_is_checked_in_two_processes_alike(tmp_path: Path) -> None:
    """The second half of the stories is checked by a forked helper on the idle core, with the same problems and
    each body still converted once; a helper that dies costs time, never a check. In a new interpreter, as a build
    runs (a test worker has threads, and the checks never fork a process with threads)."""
    site = make_site(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", _SPLIT_RUN, str(site)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


@pytest.mark.langsom
def test_the_first_build_draws_cards_while_it_builds_the_pages(tmp_path: Path) -> None:
    """With no card cache, the build begins drawing as soon as it knows the stories (on_config), in worker processes
    on the core the pages leave idle: a card is in the cache before the last story page is written. A new
    interpreter, as a build runs (a test worker has threads, and the cards module refuses to fork a process with)."""
    site = make_site(tmp_path, keep_cases=True)
    write_stories(site / "cases", 2 * PARALLEL_FROM)
    result = mkdocs_build(site, tmp_path / "out", extra_env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-3000:]
    drawn = [card.stat().st_mtime_ns for card in (site / ".cache" / "kort").glob("*.png")]
    pages = [tmp_path / "out" / "historier" / story.stem / "index.html" for story in (site / "cases").glob("*.md")]
    assert len(drawn) == len(pages) + 1  # and the site's own
    assert min(drawn) < max(page.stat().st_mtime_ns for page in pages)


# --- links in stories (FM031) -----------------------------------------------------------------------------------------


def test_one_link_parser_serves_every_story_and_forgets_between_them() -> None:
    """The check reuses one Markdown parser: a reference defined in one story must not resolve a link in the next."""
    from frisaettelse.markup import Converter

    def find(text: str) -> list[str]:
        rendered = convert(text)
        return list(rendered.links) if rendered else []

    convert = Converter().convert
    assert find("Se [aftalen](../aftalen/index.md) og ![kort](kort.png).") == ["../aftalen/index.md", "kort.png"]
    assert find("Se [aftalen][a].\n\n[a]: ../aftalen/index.md\n") == ["../aftalen/index.md"]
    assert find("Se [aftalen][a] igen.") == []  # no definition in this story
    assert find("Ingen links her, kun tekst.") == []
