"""Macros for the contributor pages: the field table, the template and a section per validation code, generated
from the schema and fejlkoder.toml, so the guide cannot drift from the checker."""

from __future__ import annotations

from . import render
from .model import SiteIndex
from .problems import Code
from .sanitize import markdown_text
from .scaffold import BODY_TEMPLATE, case_text
from .schema import PLACEHOLDER_FIELDS, RULE_KINDS, STORY_FIELDS
from .validate import GUIDE


def field_table(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """A definition list rather than a table: it reads on a phone without sideways scrolling."""
    return str(render.macro("guide.html", "fields")(STORY_FIELDS, index, from_src, udu)) + "\n"


def examples(index: SiteIndex, from_src: str) -> str:
    """One story per kind of rule, picked (not named) so the guide follows renames and builds with any cases/."""
    picked = [s for kind in RULE_KINDS if (s := next((s for s in index.newest() if s.freed_from_kind == kind), None))]
    lines = [
        f"- {render.link(s, from_src)} – fri fra en {markdown_text(s.freed_from_kind)}: "
        f'{markdown_text(s.freed_from)}.\n  {{ data-search-exclude="ja" }}\n'  # searched as the story itself
        for s in picked
    ]
    return "".join(lines) or "*Der er ingen historier endnu – din kan blive den første.*\n"


def template(index: SiteIndex) -> str:
    """What `ny` writes, without a date (any date would be a real one, and pass), for GitHub's editor."""
    fields: dict[str, object] = {**PLACEHOLDER_FIELDS, "kilde": "indsendt"}
    return "```yaml\n" + case_text(fields, BODY_TEMPLATE, index=index, comments=True) + "```\n"


def code_sections() -> str:
    """A section per validation code with the anchor every error message links to (`#fm003`)."""
    return str(render.macro("guide.html", "codes")([(str(number), GUIDE[number]) for number in Code])) + "\n"
