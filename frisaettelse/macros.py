"""Every macro docs pages may use, each rendered from the build's index (the plugin's, via `env.conf.plugins`).
An unknown id raises a `ReferenceProblem` the plugin shows on the page (tjek refuses it first, FM020)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import coverage, export, guide, newsletter, overview, register, render, sanitize
from .load import slugify
from .model import Browse, Concept, SiteIndex
from .problems import Code, Problem
from .schema import ConceptKind
from .validate import shown, suggest

PLUGIN_NAME = "frisaettelse"


class ReferenceProblem(Exception):
    """A macro asked for something that does not exist: `problem` says where, what and how to fix it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def _line_of(page: Any, needle: str, *, quoted: bool = True) -> int:
    """The line in the source file where a macro call mentions `needle` (front-matter included)."""
    try:
        lines = Path(page.file.abs_src_path).read_text(encoding="utf-8").split("\n")
    except (OSError, TypeError, AttributeError):
        return 1
    pattern = re.compile(r"""['"]""" + re.escape(needle) + r"""['"]""" if quoted else re.escape(needle))
    return next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), 1)


def define_env(env: Any) -> None:
    def plugin() -> Any:
        return env.conf.plugins[PLUGIN_NAME]

    def index() -> SiteIndex:
        return plugin().index

    def browse() -> Browse:
        plugin().pages_from_stories.add(here())
        found: Browse = plugin().browse
        return found

    def stories() -> SiteIndex:
        """The index, for a macro whose output comes from the stories: the page is then dated by them."""
        plugin().pages_from_stories.add(here())
        return index()

    def here() -> str:
        return str(env.page.file.src_uri)

    def udu() -> bool:
        return bool(env.conf["use_directory_urls"])

    def unknown(noun: str, wanted: str, options: list[str]) -> ReferenceProblem:
        return ReferenceProblem(
            Problem(
                f"docs/{here()}",
                _line_of(env.page, wanted),
                Code.FM020,
                f"Ukendt {noun} '{shown(wanted)}'.",
                f"{suggest(wanted, options) if options else 'Der er ingen endnu.'} Ret id'et i makroen.",
            )
        )

    def concept(kind: ConceptKind, concept_id: str) -> Concept:
        found = index().concept(kind, concept_id)
        if found is None:
            raise unknown(kind.value, concept_id, sorted(index().table(kind)))
        return found

    @env.macro
    def historie(slug: str) -> str:
        story = stories().story_by_slug(slugify(slug))
        if story is None:
            raise unknown("historie", slug, sorted(stories().stories))
        return render.story_link(story, here())

    @env.macro
    def nyeste_historier(antal: int = 5) -> str:
        return render.story_list(stories().newest(antal), here(), udu=udu())

    @env.macro
    def historieoversigt() -> str:
        page = browse().page(here())
        if page is None:
            raise ReferenceProblem(
                Problem(
                    f"docs/{here()}",
                    _line_of(env.page, "historieoversigt", quoted=False),
                    Code.FM065,
                    "Makroen historieoversigt() hører kun hjemme på siden docs/historier/index.md.",
                    "Slet makroen her, og link til oversigten i stedet.",
                )
            )
        return overview.listing(page)

    @env.macro
    def github(path: str = "") -> str:
        return f"{str(env.conf.get('repo_url') or '').rstrip('/')}/{path}"

    columns = export.describe_columns
    table: dict[str, Callable[..., Any]] = {
        "princip": lambda concept_id: render.concept_link(concept(ConceptKind.PRINCIPLE, concept_id), here()),
        "hegnspael": lambda concept_id: render.concept_link(concept(ConceptKind.BOUNDARY, concept_id), here()),
        "principper": lambda: render.concept_list(stories().concepts(ConceptKind.PRINCIPLE), stories(), here()),
        "hegnspaele": lambda: render.concept_list(stories().concepts(ConceptKind.BOUNDARY), stories(), here()),
        "antal_historier": lambda: len(stories().stories),
        "nyhedsbrev_uddrag": lambda: newsletter.kit_markdown(stories(), plugin().site.base, here(), udu=udu()),
        "emneord": lambda: overview.tag_index(browse(), here()),
        "fri_fra_register": lambda: register.register(stories(), here()),
        "daekning": lambda: coverage.coverage_section(stories(), here(), udu()),
        "datakolonner": lambda: "\n".join(f"`{c}`\n:   {sanitize.markdown_text(t)}\n" for c, t in columns()),
        "felter": lambda: guide.field_table(index(), here(), udu()),  # the contributor guide, from schema.py
        "eksempler": lambda: guide.examples(stories(), here()),
        "skabelon": lambda: guide.template(index()),
        "fejlkoder": lambda: guide.code_sections(),
    }
    for name, function in table.items():
        function.__name__ = name  # registered by its name (links.py's stand-in for mkdocs-macros reads only that)
        env.macro(function)
