"""Macros for the contributor pages ("Del din historie", "Felter og fejlbeskeder"): the field table, the template
and one section per validation code, generated from the schema and from fejlkoder.toml (the text per `Code`), so the
guide cannot drift from the checker."""

from __future__ import annotations

from . import render
from .model import SiteIndex
from .problems import Code
from .sanitize import markdown_text
from .scaffold import BODY_TEMPLATE, case_text, choices_for
from .schema import PLACEHOLDER_FIELDS, RULE_KINDS, STORY_FIELDS
from .validate import GUIDE


def field_table(index: SiteIndex, from_src: str, udu: bool = True) -> str:
    """One entry per story field: name and label, what goes there (with the allowed values), an example.
    A definition list rather than a table: it reads on a phone without sideways scrolling."""
    rows = [
        (
            spec,
            [(c.id, render.url(c.src_uri, from_src, udu), c.title) for c in index.concepts(spec.concept)]
            if spec.concept is not None
            else [],
            [value for value, _ in choices_for(spec, index)] if spec.choices else [],
        )
        for spec in STORY_FIELDS
    ]
    return str(render.macro("guide.html", "fields")(rows)) + "\n"


def examples(index: SiteIndex, from_src: str) -> str:
    """One existing story per kind of rule (state, municipal, local habit), picked from the index.

    Picked rather than named, so the guide never points at a story that was renamed, and builds with any cases/.
    """
    lines = []
    for kind in RULE_KINDS:
        story = next((s for s in index.newest() if s.freed_from_kind == kind), None)
        if story is not None:
            lines.append(
                f"- {render.story_link(story, from_src)} – fri fra en {markdown_text(kind)}: "
                f"{markdown_text(story.freed_from)}."
            )
    return "\n".join(lines) + "\n" if lines else "*Der er ingen historier endnu – din kan blive den første.*\n"


def template(index: SiteIndex) -> str:
    """What `python -m frisaettelse ny` writes, for those who copy it into GitHub's editor instead."""
    text = case_text(
        {**PLACEHOLDER_FIELDS, "kilde": "indsendt"},  # no date: any date would be a real one, and pass
        BODY_TEMPLATE,
        index=index,
        comments=True,
    )
    return "```yaml\n" + text + "```\n"


def code_sections() -> str:
    """A section per validation code with the anchor every error message links to (`#fm003`)."""
    return str(render.macro("guide.html", "codes")([(str(number), GUIDE[number]) for number in Code])) + "\n"
