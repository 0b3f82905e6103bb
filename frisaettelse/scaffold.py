"""Write a story file from values: the `ny` scaffold and the issue converter share this, so every new
story file looks the same and no contributor text can break out of its YAML value."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .load import slugify
from .model import SiteIndex
from .schema import BODY_PLACEHOLDERS, BY_TELLER, STORY_FIELDS, Field

MAX_SLUG = 80

BODY_TEMPLATE = f"""{BODY_PLACEHOLDERS[0]}: Hvad var du bundet af før? Hvad gjorde du i stedet? Hvad betød det for børnene, \
borgerne eller dig? Erstat denne linje med historien – gerne med et citat som i eksemplet nedenfor.

<!-- Et citat skrives sådan (slet denne kommentar, hvis du ikke bruger den):

> "{BODY_PLACEHOLDERS[1]}"
>
> — Pædagog, Rebild Kommune
-->
"""


class ScaffoldError(Exception):
    """Something the contributor must do differently; the message is Danish and says what."""


def scalar(value: str, *, in_list: bool = False) -> str:
    """A string as a YAML scalar on one line: plain when it reads back unchanged, else double-quoted.

    JSON strings are valid YAML double-quoted scalars with every line break escaped, so a hostile value can
    never start a new key, end the front-matter or carry a tag. Only a value that starts with a letter or a
    digit is tried as plain text: YAML's indicators (tags, anchors, aliases, flow collections) are all other
    characters, so nothing nested or expanded is ever parsed here. An item of a `[a, b]` list is tried inside
    such a list, where `,` and `]` end it.
    """
    if value and value[0].isalnum() and value == value.strip() and "\n" not in value:
        try:
            if in_list and yaml.safe_load(f"k: [{value}]") == {"k": [value]}:
                return value
            if not in_list and yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except (yaml.YAMLError, RecursionError, ValueError):
            pass
    return json.dumps(value, ensure_ascii=False)


def yaml_value(value: object) -> str:
    """The text after `key: `; empty for a field still to be filled in."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(str(v), in_list=True) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return scalar(str(value))


def choices_for(spec: Field, index: SiteIndex | None) -> list[tuple[str, str]]:
    """(value, explanation) pairs a field accepts: its closed list, or the principles/hegnspæle of the site."""
    if spec.concept is not None and index is not None:
        return [(c.id, c.title) for c in index.concepts(spec.concept)]
    return [(c, "") for c in spec.choices]


def field_comment(spec: Field, index: SiteIndex | None) -> str:
    """The Danish YAML comment above a key in a new file: label, what goes there, the choices and an example."""
    required = "Skal udfyldes." if spec.required else "Kan udelades."
    lines = [f"# {spec.label}: {spec.help} {required}"]
    choices = choices_for(spec, index)
    if choices:
        many = "Vælg én eller flere" if spec.is_list else "Vælg én"
        lines.append(f"# {many}: " + ", ".join(value for value, _ in choices) + ".")
    lines.append(f"# Fx: {spec.key}: {spec.example}")
    return "\n".join(lines)


def case_text(values: dict[str, object], body: str, *, index: SiteIndex | None = None, comments: bool = False) -> str:
    """A complete story file: the schema fields in schema order, then the body.

    A field without a value is written empty, to be filled in, when it is required or explained by a comment;
    an optional field without a value is left out of a file without comments (e.g. one made from an issue).
    """
    out = ["---"]
    for spec in STORY_FIELDS:
        if values.get(spec.key) is None and (not spec.in_new_files or not (spec.required or comments)):
            continue  # e.g. koblet_af: left out, its default (the teller, for a story sent in) is what it means
        if comments:
            out.append(field_comment(spec, index))
        value = yaml_value(values.get(spec.key))
        out.append(f"{spec.key}: {value}".rstrip())
    out.append("---")
    return "\n".join(out) + "\n\n" + body.strip("\n") + "\n"


def slug_for(title: str, fallback: str = "ny-historie") -> str:
    """The file name (and URL) a title gets: transliterated, at most MAX_SLUG characters, cut at a hyphen."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or fallback


def free_path(root: Path, slug: str) -> Path:
    """`cases/<slug>.md`, refusing when that file, or another file with the same URL, already exists."""
    cases = root / "cases"
    target = cases / f"{slug}.md"
    clash = [p for p in cases.glob("*.md") if slugify(p.stem) == slug] if cases.is_dir() else []
    if target.exists() or clash:
        existing = (clash[0] if clash else target).relative_to(root).as_posix()
        raise ScaffoldError(
            f"Filen {existing} findes allerede, og den må ikke overskrives. "
            f"Vælg en anden titel, eller ret i den eksisterende fil."
        )
    return target


@dataclass(frozen=True)
class Created:
    path: Path
    slug: str
    missing: tuple[str, ...]  # labels of the fields the contributor still has to fill in


def new_story(root: Path, title: str, *, index: SiteIndex, today: dt.date | None = None) -> Created:
    """`python -m frisaettelse ny "Titel"`: a file with every field and a comment on each, never overwriting."""
    title = " ".join(title.split())
    if not title:
        raise ScaffoldError('Skriv historiens titel i anførselstegn, fx: python -m frisaettelse ny "Fri fra skemaet"')
    if any("\ud800" <= char <= "\udfff" for char in title):  # bytes a terminal sent that are not UTF-8
        raise ScaffoldError(
            "Titlen indeholder tegn, der ikke kan læses (terminalen sender ikke tekst i UTF-8). Skriv titlen igen "
            'med almindelige bogstaver, fx: python -m frisaettelse ny "Fri fra skemaet", eller ret den i filen bagefter.'
        )
    slug = slug_for(title)
    target = free_path(root, slug)
    values: dict[str, object] = {
        "title": title,
        "dato": today or dt.date.today(),
        "kilde": "indsendt",
        "koblet_af": BY_TELLER,
    }
    write_new(target, case_text(values, BODY_TEMPLATE, index=index, comments=True))
    missing = tuple(f.label for f in STORY_FIELDS if f.required and f.key not in values)
    return Created(target, slug, missing)


def write_new(target: Path, text: str) -> None:
    """All or nothing: the new file appears with its whole text, or not at all (never an empty file left behind,
    never an existing file overwritten)."""
    data = text.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    stream = open(target, "xb")
    try:
        with stream:
            stream.write(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean(text: str) -> str:
    """Contributor text without control characters and with Unix line endings."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
