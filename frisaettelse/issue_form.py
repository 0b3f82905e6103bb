"""The GitHub issue form "Ny historie", generated from the schema, and its answers back into a story file. The issue
text is data from anyone on the internet: read as `### Label` answers in form order, never evaluated or templated,
and written through `scaffold.case_text`, which no value can break out of."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .load import slugify
from .model import SiteIndex
from .pipeline import build_index
from .privacy import find_personal_data
from .scaffold import ScaffoldError, case_text, choices_for, slug_for, write_story
from .schema import FREED_FROM_KIND_LABELS, STORY_FIELDS, STORY_KEYS, Field
from .validate import read_date

FORM_PATH = ".github/ISSUE_TEMPLATE/ny-historie.yml"
CONVERT_LABEL = "ny-historie"  # a redaktør adds it to a proposal ("historie-forslag") to turn it into a PR
STORY_LABEL, CONFIRM_LABEL = "Historien", "Personoplysninger"
NOT_ASKED = ("kilde", "tidligere_adresser", "koblet_af")  # every story from the form is 'indsendt'
FORM_FIELDS = [f for f in STORY_FIELDS if f.key not in NOT_ASKED]
CONSENT_LABELS = {
    "anonymiseret": "ingen personer i historien kan genkendes",
    "samtykke indhentet": "de personer, der kan genkendes, har givet samtykke",
}
PLACEHOLDERS = {"dato": "2024-03-01"}  # the rest show the schema's example


def options(spec: Field, index: SiteIndex) -> list[tuple[str, str]]:
    """(schema value, text shown in the dropdown) for a field with a closed list."""
    if spec.key == "fri_fra_type":
        return [(v, FREED_FROM_KIND_LABELS[v]) for v in spec.choices]
    if spec.key == "omraade":
        return [(v, v.capitalize()) for v in spec.choices]
    return [(v, f"{v} – {title or CONSENT_LABELS[v]}") for v, title in choices_for(spec, index)]


def form_element(spec: Field, index: SiteIndex) -> dict[str, object]:
    attributes: dict[str, object] = {"label": spec.label, "description": spec.help}
    if spec.is_choice:  # picked from the list, so the file-oriented "write the id" advice does not apply
        attributes["description"] = spec.help.replace(" Skriv id'et fra listen.", "")
        attributes["options"] = [shown for _, shown in options(spec, index)]
        attributes.update({"multiple": True} if spec.is_list else {})
    else:
        attributes["placeholder"] = PLACEHOLDERS.get(spec.key, spec.example.strip("[]"))
        attributes.update({"description": f"{spec.help} Adskil med komma."} if spec.is_list else {})
    kind = "dropdown" if spec.is_choice else "input"
    return {"type": kind, "id": spec.key, "attributes": attributes, "validations": {"required": spec.required}}


def form_definition(index: SiteIndex) -> dict[str, Any]:
    """The committed form with its fields made again from the schema, after its introduction; the rest is its own."""
    form: dict[str, Any] = yaml.safe_load((index.root / FORM_PATH).read_text(encoding="utf-8"))
    kept = [element for element in form["body"] if element.get("id") not in STORY_KEYS]
    form["body"] = [kept[0], *(form_element(spec, index) for spec in FORM_FIELDS), *kept[1:]]
    return form


def form_yaml(index: SiteIndex) -> str:
    return (
        "# The fields are generated from frisaettelse/schema.py by `python -m frisaettelse issue-formular --skriv`:\n"
        "# edit the schema for them (the generator is frisaettelse/issue_form.py), and this file for the rest.\n"
    ) + yaml.safe_dump(form_definition(index), allow_unicode=True, sort_keys=False, width=100)


_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
_ITEM = re.compile(r"[^,;\n]+")  # one picked or typed item between commas, semicolons and line breaks
_AND = re.compile(r"\s+(?:og|&)\s+", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_QUOTES = "\"'„“”‘’‚«»"


def answers(body: str, labels: list[str]) -> dict[str, str | None]:
    """The `### Label` answers in form order (a heading typed in an answer never replaces a field); the last, the
    story, runs to the end. An empty answer or `_No response_` is None."""
    found: list[tuple[str, re.Match[str]]] = []
    for label in labels:
        after = found[-1][1].end() if found else 0
        match = next((m for m in _HEADING.finditer(body, after) if m.group(1) == label), None)
        found += [(label, match)] if match else []
    ends = [match.start() for _, match in found[1:]] + [len(body)]
    texts = {label: body[match.end() : end].strip() for (label, match), end in zip(found, ends, strict=False)}
    return {label: None if text in ("", "_No response_") else text for label, text in texts.items()}


def picked(text: str, choices: list[tuple[str, str]], *, many: bool) -> list[str] | str:
    """What GitHub wrote (shown texts, comma-separated) or a person typed, as schema values; anything unknown is
    kept as written, and the checker names it."""
    by_value = {value.lower(): value for value, _ in choices}
    if not many:
        return next((value for value, shown in choices if shown == text), None) or by_value.get(text.lower()) or text
    for value, shown in sorted(choices, key=lambda choice: -len(choice[1])):
        text = text.replace(shown, value)  # whole options first: a comma in an option's text splits nothing
    words = [m.group(0).split(" – ")[0].strip() for m in _ITEM.finditer(text)]
    return [value for word in words if word for value in _typed(word, by_value)]


def _typed(word: str, by_value: dict[str, str]) -> list[str]:
    """One typed item: an id, a title (Formål og retning), or two joined by 'og' or '&' (a og b)."""
    parts = [part.strip() for part in _AND.split(word) if part.strip()]
    known = [by_value.get(text.lower()) or by_value.get(slugify(text)) for text in [word, *parts]]
    if known[0]:
        return [known[0]]
    return [k for k in known[1:] if k] if len(parts) > 1 and all(known[1:]) else [word]


def _unquoted(text: str) -> str:
    """A title without the quotes a person put around it ("Fri fra skemaet", „Fri fra skemaet“)."""
    while len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


class PersonalDataError(ScaffoldError):
    code = 3  # the workflow labels the issue


def convert(body: str, index: SiteIndex, *, fallback_slug: str = "ny-historie") -> tuple[str, str]:
    """An issue-form body as (slug, story file text); ScaffoldError (Danish) when it must not be made."""
    body = _CONTROL.sub("", body.replace("\r\n", "\n").replace("\r", "\n"))
    found = answers(body, [f.label for f in FORM_FIELDS] + [CONFIRM_LABEL, STORY_LABEL])
    if not found:
        raise ScaffoldError(
            "Issuet er ikke udfyldt med formularen ‘Ny historie’: ingen af dens felter findes. "
            "Opret historien med formularen, eller lav filen i cases/ i hånden."
        )
    values: dict[str, object] = {"kilde": "indsendt"}
    for spec in FORM_FIELDS:
        if (text := found.get(spec.label)) is None:
            continue
        if spec.is_choice:
            values[spec.key] = picked(text, options(spec, index), many=spec.is_list)
        elif spec.is_list:
            values[spec.key] = [item for m in _ITEM.finditer(text) if (item := m.group(0).strip())]
        elif spec.kind == "dato":
            values[spec.key] = read_date(text) or text  # 19.12.2023, 3. maj 2024 …; else kept for FM012
        else:  # a line break is kept, and the checker says FM019
            values[spec.key] = _unquoted(text) if spec.key == "title" else text
    text = case_text(values, found.get(STORY_LABEL) or "")
    if findings := list(find_personal_data(text)):
        lines = "\n".join(f"- {f.code} {f.message.replace('Linjen', 'Issuet')} {f.hint}" for f in findings)
        raise PersonalDataError(
            "Historien bliver ikke lavet, fordi issuet ser ud til at indeholde personoplysninger:\n"
            f"{lines}\nFjern oplysningerne fra issuet, og slet den gamle udgave i issuets historik "
            "(‘redigeret’ øverst i issuet → vælg udgaven → ‘Delete revision from history’) – ellers kan alle "
            f"stadig se den. Sæt så mærkatet ‘{CONVERT_LABEL}’ på igen."
        )
    return slug_for(str(values.get("title", "")), fallback=fallback_slug), text  # a title is always text


def write_from_issue(root: Path, body: str, *, number: str | None = None) -> Path:
    """Convert and write `cases/<slug>.md` (or `-2`, `-3` … when the title is taken); the path written."""
    number = (number or "").strip()
    usable = number.isascii() and number.isdigit() and len(number) < 12
    fallback = f"historie-fra-issue-{number}" if usable else "ny-historie"
    return write_story(root, *convert(body, build_index(root), fallback_slug=fallback), numbered=True)
