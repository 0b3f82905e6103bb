"""Every macro docs pages may use, in one place. Each renders from the build's index, so pages never go stale.

Wired in by the top-level `macros.py` (mkdocs-macros' module); the build's state is the plugin's, reached
through `env.conf.plugins`. An unknown id cannot reach a macro in a build: `tjek` and the plugin's on_config
refuse it first (rule FM020), with file and line. Under `serve` the page is still built: the error here carries the
same Problem, which the plugin shows on the page (frisaettelse/plugin/verdict.py).
"""

from __future__ import annotations

import re
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
    def princip(concept_id: str) -> str:
        """Link to a principle by id, e.g. {{ princip('hverdagsinnovation') }}."""
        return render.concept_link(concept(ConceptKind.PRINCIPLE, concept_id), here())

    @env.macro
    def hegnspael(concept_id: str) -> str:
        """Link to a hegnspæl by id, e.g. {{ hegnspael('retssikkerhed') }}."""
        return render.concept_link(concept(ConceptKind.BOUNDARY, concept_id), here())

    @env.macro
    def historie(slug: str) -> str:
        """Link to a story by its file name, e.g. {{ historie('aendret-aabningstid') }}."""
        story = stories().story_by_slug(slugify(slug))
        if story is None:
            raise unknown("historie", slug, sorted(stories().stories))
        return render.story_link(story, here())

    @env.macro
    def principper() -> str:
        """The five principles as a numbered list with their story counts."""
        return render.concept_list(stories().concepts(ConceptKind.PRINCIPLE), stories(), here())

    @env.macro
    def hegnspaele() -> str:
        """The four hegnspæle as a numbered list with their story counts."""
        return render.concept_list(stories().concepts(ConceptKind.BOUNDARY), stories(), here())

    @env.macro
    def nyeste_historier(antal: int = 5) -> str:
        """The newest stories, generated (never hand-kept)."""
        return render.story_list(stories().newest(antal), here(), udu=udu())

    @env.macro
    def antal_historier() -> int:
        return len(stories().stories)

    @env.macro
    def nyhedsbrev_uddrag() -> str:
        """The newest stories as copy-ready newsletter snippets with a "Kopiér" button and their share images."""
        return newsletter.kit_markdown(stories(), plugin().site.base, here(), udu=udu())

    @env.macro
    def historieoversigt() -> str:
        """Filters by area, principle, hegnspæl and kind of rule, then the newest stories as cards."""
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
    def emneord() -> str:
        """Every tag with its count, each linked to its own page of stories."""
        return overview.tag_index(browse(), here())

    @env.macro
    def fri_fra_register() -> str:
        """Every rule or habit the stories were freed from, grouped by kind."""
        return register.register(stories(), here())

    @env.macro
    def daekning() -> str:
        """Principles × areas: a shaded table of how many stories there are, each number a link to them."""
        return coverage.coverage_section(stories(), here(), udu())

    @env.macro
    def datakolonner() -> str:
        """The columns of the data files (historier.csv and .json), from the schema."""
        return "\n".join(
            f"`{column}`\n:   {sanitize.markdown_text(text)}\n" for column, text in export.describe_columns()
        )

    # --- the contributor guide ---------------------------------------------------------------------------------

    @env.macro
    def felter() -> str:
        """The table of story fields, generated from frisaettelse/schema.py."""
        return guide.field_table(index(), here(), udu())

    @env.macro
    def eksempler() -> str:
        """Example stories, one per kind of rule."""
        return guide.examples(stories(), here())

    @env.macro
    def skabelon() -> str:
        """A new story file, exactly as the scaffold writes it."""
        return guide.template(index())

    @env.macro
    def fejlkoder() -> str:
        """Every validation code with its explanation and fix."""
        return guide.code_sections()

    @env.macro
    def github(path: str = "") -> str:
        """A link target in the project's GitHub repository (repo_url from mkdocs.yml)."""
        return f"{str(env.conf.get('repo_url') or '').rstrip('/')}/{path}"
