"""Macros for the contributor pages ("Del din historie", "Felter og fejlbeskeder"): the field table, the template
and one section per validation code, all generated from the schema and the rule table so the guide cannot drift
from the checker."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from . import render
from .index import SiteIndex
from .schema import RULE_KINDS, STORY_FIELDS
from .scaffold import BODY_TEMPLATE, case_text, choices_for
from .site import index_for
from .validate import RULES_BY_CODE


def code(text: str) -> str:
    return f"<code>{html.escape(text, quote=False).replace('{', '&#123;').replace('}', '&#125;')}</code>"


def field_table(index: SiteIndex, from_src: str) -> str:
    """One entry per story field: name and label, what goes there (with the allowed values), an example.

    A definition list rather than a table: it reads on a phone without sideways scrolling.
    """
    entries = []
    for spec in STORY_FIELDS:
        need = "skal udfyldes" if spec.required else "kan udelades"
        lines = [f"{render.text(spec.label)}: {code(spec.key)} *({need})*",
                 f":   {render.text(spec.help)}"]
        if spec.kind in ("princip-liste", "hegnspæl-liste"):
            kind = "princip" if spec.kind == "princip-liste" else "hegnspæl"
            lines += ["", "    Mulige: " + "; ".join(
                f"{code(c.id)} ({render.concept_link(c, from_src)})" for c in index.concepts(kind))]
        elif spec.choices:
            lines += ["", "    Mulige: " + ", ".join(code(value) for value, _ in choices_for(spec, index))]
        lines += ["", f"    Eksempel: {code(f'{spec.key}: {spec.example}')}"]
        entries.append("\n".join(lines))
    return '<div class="felter" markdown>\n\n' + "\n\n".join(entries) + "\n\n</div>\n"


def examples(index: SiteIndex, from_src: str) -> str:
    """One existing story per kind of rule (state, municipal, local habit), picked from the index.

    Picked rather than named, so the guide never points at a story that was renamed, and builds with any cases/.
    """
    lines = []
    for kind in RULE_KINDS:
        story = next((s for s in index.newest() if s.freed_from_kind == kind), None)
        if story is not None:
            lines.append(f"- {render.story_link(story, from_src)} – fri fra en {render.text(kind)}: "
                         f"{render.text(story.freed_from)}.")
    return "\n".join(lines) + "\n" if lines else "*Der er ingen historier endnu – din kan blive den første.*\n"


def template(index: SiteIndex) -> str:
    """What `python -m frisaettelse ny` writes, for those who copy it into GitHub's editor instead."""
    text = case_text({"title": "Titel på historien", "dato": dt.date(2024, 3, 1), "kilde": "indsendt"},
                     BODY_TEMPLATE, index=index, comments=True)
    return "```yaml\n" + text + "```\n"


def code_sections() -> str:
    """A section per validation code with the anchor every error message links to (`#fm003`)."""
    parts = []
    for number, rule in RULES_BY_CODE.items():
        parts.append(
            f"### {number}: {render.text(rule.title)} {{ #{number.lower()} }}\n\n"
            f"{render.text(rule.explain)}\n\n"
            f"**Sådan retter du det:** {render.text(rule.fix)}\n"
        )
    return "\n".join(parts)


def define_guide_macros(env: Any) -> None:
    index = index_for(env.conf)

    @env.macro
    def felter() -> str:
        """The table of story fields, generated from frisaettelse/schema.py."""
        return field_table(index, env.page.file.src_uri)

    @env.macro
    def eksempler() -> str:
        """Example stories, one per kind of rule."""
        return examples(index, env.page.file.src_uri)

    @env.macro
    def skabelon() -> str:
        """A new story file, exactly as the scaffold writes it."""
        return template(index)

    @env.macro
    def fejlkoder() -> str:
        """Every validation code with its explanation and fix."""
        return code_sections()

    @env.macro
    def github(path: str = "") -> str:
        """A link target in the project's GitHub repository (repo_url from mkdocs.yml)."""
        return f"{str(env.conf.get('repo_url') or '').rstrip('/')}/{path}"
