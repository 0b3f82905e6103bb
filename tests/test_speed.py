"""Per-page work that plain mkdocs-material does not do is done once per build (or in parallel), for real."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
from pathlib import Path

from helpers import make_site, mkdocs_build, visible_text

from frisaettelse.history import History, last_commit_dates
from frisaettelse.load import slugify
from frisaettelse.render import danish_date

_GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


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
    assert last_commit_dates(docs, cases) == {docs.resolve() / "om" / "side.md": dt.date(2024, 1, 5),
                                              cases.resolve() / "historie.md": dt.date(2024, 3, 9)}
    history = History(docs.resolve(), cases.resolve(), today=dt.date(2026, 1, 2))
    assert history.last_changed(docs.resolve() / "ny.md") == dt.date(2026, 1, 2)
    assert History(tmp_path / "findes-ikke").last_changed(tmp_path / "x.md") == dt.date.today()


def test_every_page_is_dated_from_one_git_call(tmp_path: Path) -> None:
    """docs pages and stories get their file's last commit, generated pages the build date; git runs once."""
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
    shown = {url: visible_text(_page(out, url)) for url in
             ("om/tilgaengelighed", "om", "historier", f"historier/{slugify(story.stem)}", "historier/omraade/dagtilbud")}
    assert "Sidst opdateret: 9. marts 2024" in shown["om/tilgaengelighed"]
    assert "Sidst opdateret: 5. januar 2024" in shown["om"]
    assert "Sidst opdateret: 9. marts 2024" in shown[f"historier/{slugify(story.stem)}"]
    assert f"Sidst opdateret: {danish_date(dt.date.today())}" in shown["historier/omraade/dagtilbud"]  # generated
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"historier/{slugify(story.stem)}/</loc>\n         <lastmod>2024-03-09</lastmod>" in sitemap
