"""Every macro docs pages may use, rendered from the plugin's index; an unknown id raises a `ReferenceProblem` the
plugin shows on the page (tjek refuses it first, FM020)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import coverage, export, guide, newsletter, overview, register, render
from .load import slugify
from .model import Browse, Concept, SiteIndex
from .problems import Code, Problem
from .schema import ConceptKind
from .validate import unknown_reference


class ReferenceProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def define_env(env: Any) -> None:
    def plugin() -> Any:
        return env.conf["plugins"]["frisaettelse"]

    def here() -> str:
        return str(env.page.file.src_uri)

    def stories() -> SiteIndex:
        """The index for a macro whose output comes from the stories: the page is then dated by them."""
        plugin().pages_from_stories.add(here())
        return plugin().index

    def browse() -> Browse:
        stories()
        return plugin().browse

    def udu() -> bool:
        return bool(env.conf["use_directory_urls"])

    def refuse(code: Code, needle: str, what: str, fix: str) -> ReferenceProblem:
        """The problem at the first line of the page's file that mentions `needle`."""
        try:
            lines = Path(env.page.file.abs_src_path).read_text(encoding="utf-8").split("\n")
        except (OSError, TypeError, AttributeError):
            lines = []
        line = next((n for n, text in enumerate(lines, start=1) if re.search(needle, text)), 1)
        return ReferenceProblem(Problem(f"docs/{here()}", line, code, what, fix))

    def unknown(noun: str, wanted: str, options: list[str]) -> ReferenceProblem:
        return refuse(Code.FM020, f"['\"]{re.escape(wanted)}['\"]", *unknown_reference(noun, wanted, options))

    def concept(kind: ConceptKind, concept_id: str) -> Concept:
        found = plugin().index.table(kind).get(concept_id)
        if found is None:
            raise unknown(kind.value, concept_id, sorted(plugin().index.table(kind)))
        return found

    @env.macro
    def historie(slug: str) -> str:
        story = stories().story_by_slug(slugify(slug))
        if story is None:
            raise unknown("historie", slug, sorted(stories().stories))
        return render.link(story, here())

    @env.macro
    def nyeste_historier(antal: int = 5) -> str:
        newest = stories().newest(antal)
        cards = render.macro("parts.html", "cards")
        return f"\n{cards(newest, here(), udu())}\n\n" if newest else "*Ingen historier endnu.*\n"

    @env.macro
    def historieoversigt() -> str:
        page = browse().page(here())
        if page is None:
            what = "Makroen historieoversigt() hører kun hjemme på siden docs/historier/index.md."
            raise refuse(Code.FM065, "historieoversigt", what, "Slet makroen her, og link til oversigten i stedet.")
        return overview.LISTING_PLACEHOLDER + "\n"

    table: dict[str, Callable[..., Any]] = {
        "princip": lambda concept_id: render.link(concept(ConceptKind.PRINCIPLE, concept_id), here()),
        "hegnspael": lambda concept_id: render.link(concept(ConceptKind.BOUNDARY, concept_id), here()),
        "principper": lambda: render.concept_list(stories().concepts(ConceptKind.PRINCIPLE), stories(), here()),
        "hegnspaele": lambda: render.concept_list(stories().concepts(ConceptKind.BOUNDARY), stories(), here()),
        "antal_historier": lambda: len(stories().stories),
        "github": lambda path="": f"{str(env.conf.get('repo_url') or '').rstrip('/')}/{path}",
        "nyhedsbrev_uddrag": lambda: newsletter.kit_markdown(stories(), plugin().site.base, here(), udu=udu()),
        "emneord": lambda: overview.tag_index(browse(), here()),
        "fri_fra_register": lambda: register.register(browse(), stories(), here(), udu()),
        "daekning": lambda: coverage.coverage_section(browse(), stories(), here(), udu()),
        "datakolonner": export.describe_columns,
        "felter": lambda: guide.field_table(plugin().index, here(), udu()),  # the contributor guide, from schema.py
        "eksempler": lambda: guide.examples(stories(), here()),
        "skabelon": lambda: guide.template(plugin().index),
        "fejlkoder": guide.code_sections,
    }
    for name, function in table.items():
        env.macro(function, name)
