"""Shared test helpers: the valid story and one-line changes of it, tiny projects for the index, throw-away copies of
the site, the real CLI and real MkDocs builds, and HTML parsing. Every test file takes these from here."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import traceback
import warnings
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from unittest import mock

from frisaettelse.facets import build_browse
from frisaettelse.markup import Converter, site_markdown
from frisaettelse.model import Browse, SiteIndex, Story
from frisaettelse.pipeline import build_index

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "site",
    "tests",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".cache",
    "build",
    "publicerede-adresser.txt",
)


# The one valid story every content rule starts from (front-matter lines 1-15, body from line 16, last line 19).
VALID_STORY = (FIXTURES / "valid" / "cases" / "fri-fra-skemaet.md").read_text(encoding="utf-8")


def changed(old: str, new: str, text: str = VALID_STORY) -> str:
    """The valid story with the one piece `old` (usually a whole line) replaced by `new`: a table row's change."""
    assert text.count(old) == 1, f"{old!r} is not in the story exactly once"
    return text.replace(old, new)


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Write each file (text as UTF-8, bytes as they are) under folder; a name may hold a sub-folder."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")


def fixture_files(fixture: str) -> dict[str, bytes]:
    """A fixture folder's story files as bytes, for the few files a table cannot write as text (encodings)."""
    return {path.name: path.read_bytes() for path in sorted((FIXTURES / fixture / "cases").iterdir())}


@functools.cache
def site_converter() -> Converter:
    """The site's Markdown settings, read once per test process."""
    return Converter(site_markdown(ROOT / "mkdocs.yml"))


def index_with(
    tmp_path: Path,
    files: Mapping[str, str | bytes],
    *,
    copy_docs: bool = False,
    without: tuple[str, ...] = (),
) -> SiteIndex:
    """`build_index` on a tiny project in tmp_path: the real stories (docs pages link them by macro) but those named in
    `without`, plus `files`, in cases/; the real docs pages are read in place unless a test edits its copy in
    tmp_path/docs (copy_docs). No copy of the whole project, no MkDocs."""
    cases = tmp_path / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    for story in (ROOT / "cases").glob("*.md"):
        if story.stem not in without:
            shutil.copy(story, cases)
    write_files(cases, files)
    docs = tmp_path / "docs" if copy_docs else ROOT / "docs"
    if not docs.exists():
        shutil.copytree(ROOT / "docs", docs)
    return build_index(tmp_path, docs_dir=docs, converter=site_converter())


def make_site(
    dest: Path,
    fixture: str | None = None,
    *,
    keep_cases: bool = False,
    stories: Mapping[str, str | bytes] | None = None,
) -> Path:
    """A copy of the project; its cases/ replaced by a fixture's (or kept as the real stories), plus `stories`."""
    site = dest / "projekt"
    shutil.copytree(ROOT, site, ignore=_IGNORE)
    if not keep_cases:
        shutil.rmtree(site / "cases")
        (site / "cases").mkdir()
    if fixture:
        for path in (FIXTURES / fixture / "cases").iterdir():
            if path.is_dir():
                shutil.copytree(path, site / "cases" / path.name)
            else:
                shutil.copy(path, site / "cases" / path.name)
    write_files(site / "cases", stories or {})
    return site


def _cli(args: tuple[str, ...], cwd: Path | None, stdin: str | bytes) -> subprocess.CompletedProcess[str]:
    """`python -m frisaettelse ...` as a contributor runs it, without a site address: its `main`, in this process
    (what a new interpreter adds is its start-up, which the tests of the command line itself still cover)."""
    from frisaettelse.cli import main

    argv = list(args)
    return _in_process(argv, lambda: main(argv), cwd or Path.cwd(), {"SITE_URL": ""}, stdin)


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes | str = b"") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a command; never a traceback and never "Uventet fejl", whatever happens."""
    result = _cli(args, cwd, stdin)
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown and "Uventet fejl" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def run_check(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m frisaettelse tjek` on the project at `site` (the command is itself an in-process build)."""
    return _cli(("tjek", "--projekt", str(site), *args), cwd, "")


def reported(line: str) -> str:
    """A line of `check`'s output without the guide link (its host may differ between check and build)."""
    return line.split(" (Vejledning")[0]


def mkdocs_build(
    site: Path, out: Path, *, extra_env: dict[str, str] | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` as CI and contributors run it: MkDocs' own command line, its exit code and log lines.
    In this process; in a new one only when `extra_env` sets PYTHONPATH, which only a new interpreter reads."""
    env = {"NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    argv = ["build", "-d", str(out)] + (["--strict"] if strict else [])
    if "PYTHONPATH" in env:
        cmd = [sys.executable, "-m", "mkdocs", *argv]
        return subprocess.run(cmd, cwd=site, env={**os.environ, **env}, capture_output=True, text=True, timeout=600)
    from mkdocs.__main__ import ColorFormatter, cli

    ColorFormatter.text_wrapper.width = 0  # no terminal is attached in CI: one log record, one line
    return _in_process(argv, lambda: cli.main(argv, prog_name="mkdocs"), site, env)


def _in_process(
    argv: list[str], run: Callable[[], object], cwd: Path, env: Mapping[str, str], stdin: str | bytes = ""
) -> subprocess.CompletedProcess[str]:
    """Run a command's entry point here as its process would: in `cwd`, with `env` added, stdout and stderr captured,
    an uncaught exception a traceback and exit code 1; MkDocs' logger and filters as they were before."""
    raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    logger, build_log = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build")
    saved = (logger.level, logger.propagate, logger.handlers[:], build_log.filters[:])
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with (
            mock.patch.dict(os.environ, env),
            contextlib.chdir(cwd),
            mock.patch.object(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")),
            contextlib.redirect_stdout(stdout),
            contextlib.redirect_stderr(stderr),
            warnings.catch_warnings(),
        ):
            try:
                code = run()
            except SystemExit as exit:
                code = exit.code
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        logger.setLevel(saved[0])
        logger.propagate, logger.handlers[:], build_log.filters[:] = saved[1:]
    returncode = code if isinstance(code, int) else 0 if code is None else 1
    return subprocess.CompletedProcess(argv, returncode, stdout.getvalue(), stderr.getvalue())


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self.meta: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "a" and "href" in attributes:
            self.links.append(attributes["href"])
        if tag == "meta":
            key = attributes.get("property") or attributes.get("name")
            if key:
                self.meta[key] = attributes.get("content", "")
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@functools.lru_cache(maxsize=1024)
def parse_html(html: str) -> _Collector:
    """Links, text, meta and tags of a page; cached, since several tests read every page of the same build."""
    collector = _Collector()
    collector.feed(html)
    return collector


def article(html: str) -> str:
    """The main content of a built page (without navigation, header and footer)."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert match, "page has no article"
    return match.group(1)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", " ".join(parse_html(html).text)).strip()


@functools.cache
def real_index() -> SiteIndex:
    """The index of the real stories and pages, built once per test process (on first use, not at import)."""
    return build_index(ROOT)


@functools.cache
def real_browse() -> Browse:
    return build_browse(real_index())


def make_story(slug: str, **fields: Any) -> Story:
    """A valid story built in memory (no file), for tests of the index, facets and listings; override any field."""
    values: dict[str, Any] = {
        "slug": slug,
        "path": f"cases/{slug}.md",
        "abs_path": Path(f"/x/cases/{slug}.md"),
        "title": slug.title(),
        "description": f"Resumé af {slug}",
        "date": dt.date(2024, 1, 1),
        "area": "dagtilbud",
        "principles": ("kerneopgaven",),
        "boundaries": ("retssikkerhed",),
        "freed_from": f"Reglen i {slug}",
        "freed_from_kind": "kommunal regel",
        "freed_to": "Tid",
        "quote_role": "Pædagog, Rebild Kommune",
        "source": "indsendt",
        "consent": "anonymiseret",
        "tags": (),
        "former_urls": (),
        "body": "Tekst",
    }
    values.update(fields)
    return Story(**values)


def tiny_project(folder: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """A project the command line finds (mkdocs.yml, the real docs/ linked, cases/ with `files`): enough for `ny`,
    `fra-issue` and the index, not for a build."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", folder)
    (folder / "docs").symlink_to(ROOT / "docs")
    (folder / "cases").mkdir()
    write_files(folder / "cases", files or {})
    return folder
