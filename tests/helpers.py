"""Shared test helpers: throw-away copies of the site, real MkDocs builds, and HTML parsing."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from frisaettelse.facets import Browse, build_browse
from frisaettelse.index import SiteIndex, Story, build_index

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
    ".cache",
    "build",
    "publicerede-adresser.txt",
)


def make_site(dest: Path, fixture: str | None = None, *, keep_cases: bool = False) -> Path:
    """A copy of the project; its cases/ replaced by a fixture's (or kept as the real stories)."""
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
    return site


def mkdocs_build(
    site: Path, out: Path, *, extra_env: dict[str, str] | None = None, strict: bool = True
) -> subprocess.CompletedProcess[str]:
    """The real `mkdocs build --strict`, in a subprocess, as CI and contributors run it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-d", str(out)] + (["--strict"] if strict else [])
    return subprocess.run(cmd, cwd=site, env=env, capture_output=True, text=True, timeout=600)


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


def parse_html(html: str) -> _Collector:
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
