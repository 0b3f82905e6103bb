"""The serve-time cache: a rebuild reads and checks only the story files that changed, with the same verdict."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import make_site

import frisaettelse.filecache as filecache
from frisaettelse import pipeline
from frisaettelse.filecache import FileCache


def test_unchanged_files_are_not_read_again_and_changes_are_seen(tmp_path: Path, monkeypatch) -> None:
    site = make_site(tmp_path, "valid", keep_cases=True)
    cache = FileCache()
    parsed: list[str] = []
    real_parse = filecache.parse_document
    monkeypatch.setattr(
        filecache, "parse_document", lambda path, shown: parsed.append(shown) or real_parse(path, shown)
    )
    first = pipeline.run(pipeline.build_index(site, cache=cache), site_url="https://x/")
    assert not first.problems and len(parsed) == len(first.index.stories)

    parsed.clear()
    again = pipeline.run(pipeline.build_index(site, cache=cache), site_url="https://x/")
    assert parsed == [] and again.index.stories.keys() == first.index.stories.keys()

    story = site / "cases" / "fri-fra-skemaet.md"
    story.write_text(story.read_text(encoding="utf-8").replace("[kerneopgaven]", "[kerneopgave]"), encoding="utf-8")
    os.utime(story, ns=(story.stat().st_atime_ns, story.stat().st_mtime_ns + 1_000_000))
    changed = pipeline.run(pipeline.build_index(site, cache=cache), site_url="https://x/")
    assert parsed == ["cases/fri-fra-skemaet.md"]
    uncached = pipeline.run(pipeline.build_index(site), site_url="https://x/")
    assert changed.problems == uncached.problems and [p.code for p in changed.problems] == ["FM003"]
    assert changed.index.stories.keys() == uncached.index.stories.keys()
