"""The one writer of new story files (`ny` and `fra-issue`): every new file looks the same, and no contributor text
can break out of its YAML value or overwrite a story."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import yaml

from .load import slugify
from .model import SiteIndex
from .schema import BODY_PLACEHOLDERS, BY_TELLER, STORY_FIELDS, Field

MAX_SLUG = 80
NEW_FIELDS = ("title", "dato", "kilde", "koblet_af")  # what `ny` fills in; the contributor writes the rest

BODY_TEMPLATE = f"""{BODY_PLACEHOLDERS[0]}: Hvad var du bundet af før? Hvad gjorde du i stedet? Hvad betød det for børnene, \
borgerne eller dig? Erstat denne linje med historien – gerne med et citat som i eksemplet nedenfor.

<!-- Et citat skrives sådan (slet denne kommentar, hvis du ikke bruger den):

> "{BODY_PLACEHOLDERS[1]}"
>
> — Pædagog, Rebild Kommune
-->
"""


class ScaffoldError(Exception):
    """What the contributor must do differently, one Danish message; `code` is the command's exit code."""

    code = 1


def scalar(value: str, *, in_list: bool = False) -> str:
    """Plain when it reads back unchanged (tried only from a letter or digit, so no indicator is ever parsed), else a
    JSON string, which YAML reads with every line break escaped."""
    if value[:1].isalnum() and value == value.strip() and "\n" not in value:
        with contextlib.suppress(yaml.YAMLError, RecursionError, ValueError):
            if yaml.safe_load(f"k: [{value}]" if in_list else f"k: {value}") == {"k": [value] if in_list else value}:
                return value
    return json.dumps(value, ensure_ascii=False)


def yaml_value(value: object) -> str:
    """The text after `key: `; empty for a field still to be filled in."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(str(v), in_list=True) for v in value) + "]"
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else scalar(str(value))


def choices_for(spec: Field, index: SiteIndex | None) -> list[tuple[str, str]]:
    """(value, explanation) pairs a field accepts: its closed list, or the principles/hegnspæle of the site."""
    if spec.concept is not None and index is not None:
        return [(c.id, c.title) for c in index.concepts(spec.concept)]
    return [(c, "") for c in spec.choices]


def case_text(values: dict[str, object], body: str, *, index: SiteIndex | None = None, comments: bool = False) -> str:
    """The schema's fields in order, then the body; a field without a value is written empty when it is required or
    explained by a comment (label, help, choices, example), else left out (koblet_af's default is what it means)."""
    out = ["---"]
    for spec in STORY_FIELDS:
        if values.get(spec.key) is None and (not spec.in_new_files or not (spec.required or comments)):
            continue
        if comments:
            out.append(f"# {spec.label}: {spec.help} {'Skal udfyldes.' if spec.required else 'Kan udelades.'}")
            if choices := choices_for(spec, index):
                many = "Vælg én eller flere" if spec.is_list else "Vælg én"
                out.append(f"# {many}: " + ", ".join(value for value, _ in choices) + ".")
            out.append(f"# Fx: {spec.key}: {spec.example}")
        out.append(f"{spec.key}: {yaml_value(values.get(spec.key))}".rstrip())
    return "\n".join(out) + "\n---\n\n" + body.strip("\n") + "\n"


def slug_for(title: str, fallback: str = "ny-historie") -> str:
    """The file name (and URL) a title gets: transliterated, at most MAX_SLUG characters, cut at a hyphen."""
    slug = slugify(title)
    return (slug[:MAX_SLUG].rsplit("-", 1)[0] if len(slug) > MAX_SLUG else slug) or fallback


def write_story(root: Path, slug: str, text: str, *, numbered: bool = False) -> Path:
    """Write `cases/<slug>.md` whole or not at all, never over a file with the same address; `numbered` (an issue)
    takes `<slug>-2.md`, `-3` … instead of refusing."""
    cases = root / "cases"
    taken = {slugify(path.stem): path for path in cases.glob("*.md")} if cases.is_dir() else {}
    for name in [slug, *(f"{slug}-{n}" for n in range(2, 100) if numbered)]:
        if not (target := cases / f"{name}.md").exists() and name not in taken:
            break
    else:
        raise ScaffoldError(
            f"Filen {taken.get(name, target).relative_to(root).as_posix()} findes allerede, og den må ikke "
            "overskrives. Vælg en anden titel, eller ret i den eksisterende fil."
        )
    data = text.encode("utf-8")
    cases.mkdir(parents=True, exist_ok=True)
    stream = open(target, "xb")
    try:  # closing writes too: a full disk leaves no half file
        with stream:
            stream.write(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def new_story(root: Path, title: str, *, index: SiteIndex, today: dt.date | None = None) -> Path:
    """`ny "Titel"`: a file with every field and a comment on each."""
    title = " ".join(title.split())
    example = 'python -m frisaettelse ny "Fri fra skemaet"'
    if not title:
        raise ScaffoldError(f"Skriv historiens titel i anførselstegn, fx: {example}")
    if any("\ud800" <= char <= "\udfff" for char in title):  # bytes a terminal sent that are not UTF-8
        raise ScaffoldError(
            "Titlen indeholder tegn, der ikke kan læses (terminalen sender ikke tekst i UTF-8). Skriv titlen igen "
            f"med almindelige bogstaver, fx: {example}, eller ret den i filen bagefter."
        )
    values = dict(zip(NEW_FIELDS, (title, today or dt.date.today(), "indsendt", BY_TELLER), strict=True))
    return write_story(root, slug_for(title), case_text(values, BODY_TEMPLATE, index=index, comments=True))
