"""Wiring between MkDocs and the domain code: one index per build, shared by the hook and the macros.

MkDocs caches hook modules across `mkdocs serve` rebuilds, so the index is tied to the config object of the
current build (a new config means a new build, and the index is rebuilt from disk).
"""

from __future__ import annotations

import os
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .index import Concept, SiteIndex, Story, build_index
from .load import slugify
from .problems import DEFAULT_SITE_URL
from .validate import suggest
from . import listings, newsletter, render
from .facets import Browse, build_browse

_current: tuple[weakref.ReferenceType[Any], dict[str, Any]] | None = None
T = TypeVar("T")


def per_build(config: Any, name: str, factory: Callable[[], T]) -> T:
    """One object per build: a new config object means a new build, so everything is made afresh."""
    global _current
    if _current is None or _current[0]() is not config:
        _current = (weakref.ref(config), {})
    store = _current[1]
    if name not in store:
        store[name] = factory()
    return store[name]


PREVIEW_ENV = "FRISAETTELSE_PREVIEW"  # set by `python -m frisaettelse forhaandsvis`


def is_preview() -> bool:
    """The contributor's fast preview: story pages only, no listings, cards, feed or URL record."""
    return os.environ.get(PREVIEW_ENV) == "1"


def project_root(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def index_for(config: Any) -> SiteIndex:
    """The index of the build that `config` belongs to, built on first use."""
    return per_build(config, "index",
                     lambda: build_index(project_root(config), docs_dir=Path(config["docs_dir"])))


def browse_for(config: Any) -> Browse:
    """Facets and listing pages of the build that `config` belongs to, computed once from its index."""
    return per_build(config, "browse", lambda: build_browse(index_for(config)))


def site_url(config: Any) -> str:
    """The absolute base URL, always ending in '/'."""
    url = config.get("site_url") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


class ReferenceProblem(Exception):
    """A macro asked for an id that does not exist; the message names file, line and fix."""


def _line_of(page: Any, needle: str) -> int:
    """The line in the source file where a macro call mentions `needle` (front-matter included)."""
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8").split("\n")
    except (OSError, TypeError, AttributeError):
        return 1
    pattern = re.compile(r"""['"]""" + re.escape(needle) + r"""['"]""")
    return next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), 1)


def define_macros(env: Any) -> None:
    """The macros docs pages may use; each renders the current title, so pages never go stale."""
    index = index_for(env.conf)

    def here() -> str:
        return env.page.file.src_uri

    def unknown(noun: str, wanted: str, options: list[str]) -> ReferenceProblem:
        src = env.page.file.src_uri
        return ReferenceProblem(
            f"docs/{src}:{_line_of(env.page, wanted)}: FM020 Ukendt {noun} '{wanted}'. "
            f"{suggest(wanted, options)} Ret id'et i makroen."
        )

    def concept(kind: str, concept_id: str) -> Concept:
        found = index.concept(kind, concept_id)
        if found is None:
            table = index.principles if kind == "princip" else index.boundaries
            raise unknown(kind, concept_id, sorted(table))
        return found

    @env.macro
    def princip(concept_id: str) -> str:
        """Link to a principle by id, e.g. {{ princip('hverdagsinnovation') }}."""
        return render.concept_link(concept("princip", concept_id), here())

    @env.macro
    def hegnspael(concept_id: str) -> str:
        """Link to a hegnspæl by id, e.g. {{ hegnspael('retssikkerhed') }}."""
        return render.concept_link(concept("hegnspæl", concept_id), here())

    @env.macro
    def historie(slug: str) -> str:
        """Link to a story by its file name, e.g. {{ historie('aendret-aabningstid') }}."""
        story = index.story_by_slug(slugify(slug))
        if story is None:
            raise unknown("historie", slug, sorted(index.stories))
        return render.story_link(story, here())

    @env.macro
    def principper() -> str:
        """The five principles as a numbered list with their story counts."""
        return render.concept_list(index.concepts("princip"), index, here())

    @env.macro
    def hegnspaele() -> str:
        """The four hegnspæle as a numbered list with their story counts."""
        return render.concept_list(index.concepts("hegnspæl"), index, here())

    @env.macro
    def nyeste_historier(antal: int = 5) -> str:
        """The newest stories, generated (never hand-kept)."""
        return render.story_list(index.newest(antal), here())

    @env.macro
    def antal_historier() -> int:
        return len(index.stories)

    @env.macro
    def nyhedsbrev_uddrag() -> str:
        """Every story, newest first, as a copy-ready newsletter snippet with a "Kopiér" button."""
        return newsletter.kit_markdown(index, site_url(env.conf), here())

    @env.macro
    def historieoversigt() -> str:
        """Filters by area, principle, hegnspæl and kind of rule, then the newest stories as cards."""
        page = browse_for(env.conf).page(here())
        if page is None:
            raise ReferenceProblem(f"docs/{here()}: historieoversigt() hører kun hjemme i docs/historier/index.md.")
        return listings.listing(page, browse_for(env.conf), index, env.conf["use_directory_urls"])

    @env.macro
    def emneord() -> str:
        """Every tag with its count, each linked to its own page of stories."""
        return listings.tag_index(browse_for(env.conf), here())

    @env.macro
    def fri_fra_register() -> str:
        """Every rule or habit the stories were freed from, grouped by kind."""
        return listings.register(index, here())

    @env.macro
    def daekning() -> str:
        """Principles × areas: a picture and a table of how many stories there are."""
        return listings.coverage_section(index, here(), env.conf["use_directory_urls"])


def story_for_page(config: Any, src_uri: str) -> Story | None:
    return index_for(config).story_for_src(src_uri)
