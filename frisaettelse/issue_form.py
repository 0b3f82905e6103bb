"""The GitHub issue form "Ny historie", generated from the schema, and the converter from a filled-in issue to a
story file. The issue text is data from anyone on the internet: it is parsed, never evaluated or templated, and
every value is written through `scaffold.case_text`, which cannot be broken out of."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .load import slugify
from .model import SiteIndex
from .pipeline import build_index
from .privacy import find_personal_data
from .scaffold import ScaffoldError, case_text, choices_for, clean, free_path, slug_for
from .schema import BODY_PLACEHOLDERS, FREED_FROM_KIND_LABELS, MAX_FILE_BYTES, STORY_FIELDS, Field
from .validate import read_date

FORM_PATH = ".github/ISSUE_TEMPLATE/ny-historie.yml"
PROPOSAL_LABEL = "historie-forslag"  # set by the form; a redaktør adds "ny-historie" to turn it into a PR
CONVERT_LABEL = "ny-historie"
STORY_LABEL = "Historien"
CONFIRM_LABEL = "Personoplysninger"
NO_RESPONSE = "_No response_"

# Fields a submitter does not choose: every story from the form is 'indsendt', and a new story has no old URLs.
FIXED: dict[str, object] = {"kilde": "indsendt"}
NOT_ASKED = ("kilde", "tidligere_adresser", "koblet_af")  # koblet_af: the submitter chose, so its default holds
CONSENT_LABELS = {
    "anonymiseret": "ingen personer i historien kan genkendes",
    "samtykke indhentet": "de personer, der kan genkendes, har givet samtykke",
}
PLACEHOLDERS = {
    "dato": "2024-03-01",
    "citat_rolle": "Pædagog, Rebild Kommune",
    "tags": "åbningstid, forældresamarbejde",
}


def form_fields() -> list[Field]:
    """The schema fields the form asks for, in schema order."""
    return [f for f in STORY_FIELDS if f.key not in NOT_ASKED]


def options(spec: Field, index: SiteIndex) -> list[tuple[str, str]]:
    """(schema value, text shown in the dropdown) for a field with a closed list."""
    if spec.key == "fri_fra_type":
        return [(v, FREED_FROM_KIND_LABELS[v]) for v in spec.choices]
    if spec.key == "samtykke":
        return [(v, f"{v} – {CONSENT_LABELS[v]}") for v in spec.choices]
    if spec.key == "omraade":
        return [(v, v.capitalize()) for v in spec.choices]
    return [(value, f"{value} – {title}") for value, title in choices_for(spec, index)]


def form_definition(index: SiteIndex) -> dict[str, object]:
    """The issue form as data (GitHub's issue-form schema), one element per schema field."""
    body: list[dict[str, object]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Tak, fordi du vil dele en historie om frisættelse! Udfyld felterne, så laver redaktionen historien "
                    "om til en side på sitet. Vejledningen står på siden ‘Del din historie’.\n\n"
                    "**Issues er offentlige.** Skriv aldrig navne på børn, borgere eller kolleger, CPR-numre, adresser, "
                    "telefonnumre eller e-mailadresser – skriv roller i stedet, fx ‘en forælder’ eller ‘pædagog’."
                )
            },
        }
    ]
    for spec in form_fields():
        dropdown = spec.is_choice
        attributes: dict[str, object] = {"label": spec.label, "description": spec.help}
        element: dict[str, object] = {
            "type": "dropdown" if dropdown else "input",
            "id": spec.key,
            "attributes": attributes,
        }
        if dropdown:
            # In the form one picks from the list; the file-oriented "write the id" advice does not apply.
            attributes["description"] = spec.help.replace(" Skriv id'et fra listen.", "")
            attributes["options"] = [shown for _, shown in options(spec, index)]
            if spec.is_list:
                attributes["multiple"] = True
        else:
            attributes["placeholder"] = PLACEHOLDERS.get(spec.key, spec.example.strip("[]"))
            if spec.is_list:
                attributes["description"] = f"{spec.help} Adskil med komma."
        element["validations"] = {"required": spec.required}
        body.append(element)
    body.append(
        {
            "type": "checkboxes",
            "id": "personoplysninger",
            "attributes": {
                "label": CONFIRM_LABEL,
                "options": [
                    {
                        "label": "Historien indeholder ingen navne, CPR-numre, adresser, telefonnumre eller e-mailadresser "
                        "på børn, borgere eller kolleger.",
                        "required": True,
                    }
                ],
            },
        }
    )
    body.append(
        {
            "type": "textarea",
            "id": "historien",
            "attributes": {
                "label": STORY_LABEL,
                "description": (
                    "Selve historien: Hvad var du bundet af før? Hvad gjorde du i stedet? Hvad betød det? "
                    "Et citat skrives med > foran, og rollen på sidste linje, fx ‘— Pædagog, Rebild Kommune’."
                ),
                "placeholder": f'> "{BODY_PLACEHOLDERS[1]}"\n>\n> — Pædagog, Rebild Kommune',
            },
            "validations": {"required": True},
        }
    )
    return {
        "name": "Ny historie",
        "description": "Del en historie fra praksis om frisættelse – den bliver til en side på sitet.",
        "title": "Ny historie: ",
        "labels": [PROPOSAL_LABEL],
        "body": body,
    }


def form_yaml(index: SiteIndex) -> str:
    header = (
        "# Generated from frisaettelse/schema.py by `python -m frisaettelse issue-formular --skriv`;\n"
        "# edit the schema (or the generator in frisaettelse/issue_form.py), not this file.\n"
    )
    return header + yaml.safe_dump(form_definition(index), allow_unicode=True, sort_keys=False, width=100)


# --- from a filled-in issue to a story file -------------------------------------------------------------------

_HEADING = re.compile(r"^### (.+?)\s*$", re.MULTILINE)
_SEPARATORS = re.compile(r"[^,;\n\x00]+")  # one picked or typed item between commas, semicolons and line breaks
_AND = re.compile(r"\s+(?:og|&)\s+", re.IGNORECASE)
_QUOTES = "\"'„“”‘’‚«»"


def sections(body: str, labels: list[str]) -> dict[str, str | None]:
    """`### Label` sections, looked for in form order so a heading typed inside the story cannot replace a field.

    Everything after the last label (the story) belongs to it, headings and all. Missing or `_No response_`
    sections are None.
    """
    found: dict[str, str | None] = {}
    starts: list[tuple[str, int, int]] = []
    pos = 0
    for label in labels:
        match = next((m for m in _HEADING.finditer(body, pos) if m.group(1) == label), None)
        if match is None:
            continue
        starts.append((label, match.start(), match.end()))
        pos = match.end()
    for i, (label, _, content_start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(body)
        value = body[content_start:end].strip("\n").strip()
        found[label] = None if value in ("", NO_RESPONSE) else value
    return found


def _from_options(text: str, choices: list[tuple[str, str]], *, many: bool) -> list[str] | str:
    """Map what GitHub wrote (shown texts, comma-separated when several) back to schema values.

    Known options are matched whole first, so a comma inside an option's text cannot split it; anything left
    over is kept as written, and the checker names it (with a suggestion).
    """
    by_shown = {shown: value for value, shown in choices}
    by_value = {value.lower(): value for value, _ in choices}
    if not many:
        return by_shown.get(text) or by_value.get(text.lower()) or text
    picked: list[tuple[int, str]] = []
    rest = text
    for shown in sorted(by_shown, key=len, reverse=True):
        at = rest.find(shown)
        if at >= 0:
            picked.append((at, by_shown[shown]))
            rest = rest[:at] + "\x00" * len(shown) + rest[at + len(shown) :]
    for part in _SEPARATORS.finditer(rest):
        word = part.group(0).strip().split(" – ")[0].strip()
        if word:
            picked += [(part.start(), value) for value in _typed(word, by_value)]
    return [value for _, value in sorted(picked, key=lambda item: item[0])]  # stable: "a og b" stays in order


def _typed(word: str, by_value: dict[str, str]) -> list[str]:
    """What a person typed for one item: an id, a title (Formål og retning), or two joined by 'og' (a og b)."""

    def known(text: str) -> str | None:
        return by_value.get(text.lower()) or by_value.get(slugify(text))

    whole = known(word)
    if whole:
        return [whole]
    parts = [p.strip() for p in _AND.split(word) if p.strip()]
    found = [known(p) for p in parts]
    if len(parts) > 1 and all(found):
        return [f for f in found if f]
    return [word]  # kept as written: the checker names it, with a suggestion


def _date(text: str) -> object:
    """A date as people write it (19.12.2023, 3. maj 2024, 2024-5-3) as a date; anything else kept for FM012."""
    return read_date(text) or text


def _unquoted(text: str) -> str:
    """A title without the quotes a person put around it ("Fri fra skemaet", „Fri fra skemaet“)."""
    text = text.strip()
    while len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


class PersonalDataError(ScaffoldError):
    """The issue looks like it holds personal data: nothing is made, and the workflow labels the issue."""


@dataclass(frozen=True)
class Converted:
    slug: str
    text: str  # the story file


def convert(body: str, index: SiteIndex, *, fallback_slug: str = "ny-historie") -> Converted:
    """Turn an issue-form body into a story file's text; raise ScaffoldError (Danish) when it must not be made."""
    size = len(body.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise ScaffoldError(
            f"Issuet er for langt ({size // 1000} kB; højst {MAX_FILE_BYTES // 1000} kB). "
            "En historie er tekst på en side eller to."
        )
    body = clean(body)
    fields = form_fields()
    labels = [f.label for f in fields] + [CONFIRM_LABEL, STORY_LABEL]
    found = sections(body, labels)
    if not found:
        raise ScaffoldError(
            "Issuet er ikke udfyldt med formularen ‘Ny historie’: ingen af dens felter findes. "
            "Opret historien med formularen, eller lav filen i cases/ i hånden."
        )
    values: dict[str, object] = dict(FIXED)
    for spec in fields:
        text = found.get(spec.label)
        if text is None:
            continue
        if spec.is_choice:
            values[spec.key] = _from_options(text, options(spec, index), many=spec.is_list)
        elif spec.is_list:
            values[spec.key] = [m.group(0).strip() for m in _SEPARATORS.finditer(text) if m.group(0).strip()]
        elif spec.kind == "dato":
            values[spec.key] = _date(text.strip())
        elif spec.key == "title":
            values[spec.key] = _unquoted(text)
        else:
            values[spec.key] = text  # a line break here is kept, and the checker says FM019
    story = found.get(STORY_LABEL) or ""
    text = case_text(values, story)
    findings = list(find_personal_data(text))
    if findings:
        lines = "\n".join(f"- {f.code} {f.message.replace('Linjen', 'Issuet')} {f.hint}" for f in findings)
        raise PersonalDataError(
            "Historien bliver ikke lavet, fordi issuet ser ud til at indeholde personoplysninger:\n"
            f"{lines}\nFjern oplysningerne fra issuet, og slet den gamle udgave i issuets historik "
            "(‘redigeret’ øverst i issuet → vælg udgaven → ‘Delete revision from history’) – ellers kan alle "
            f"stadig se den. Sæt så mærkatet ‘{CONVERT_LABEL}’ på igen."
        )
    title = values.get("title")
    return Converted(slug_for(title if isinstance(title, str) else "", fallback=fallback_slug), text)


def _free_name(root: Path, slug: str) -> Path:
    """`cases/<slug>.md`, or `<slug>-2.md`, `-3` … when a story with that title exists (the editors may rename it)."""
    for number in range(1, 100):
        try:
            return free_path(root, slug if number == 1 else f"{slug}-{number}")
        except ScaffoldError:
            continue
    return free_path(root, slug)  # a hundred stories with one title: say so


def write_from_issue(root: Path, body: str, *, number: str | None = None) -> Path:
    """Convert and write `cases/<slug>.md`, never overwriting; returns the path."""
    index = build_index(root)
    number = (number or "").strip()
    fallback = (
        f"historie-fra-issue-{number}" if number.isascii() and number.isdigit() and len(number) < 12 else "ny-historie"
    )
    converted = convert(body, index, fallback_slug=fallback)
    target = _free_name(root, converted.slug)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(converted.text, encoding="utf-8")
    return target
