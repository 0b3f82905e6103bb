"""Step 2 of the data flow: check documents against the schema and the content rules, collecting every problem.

Rules are data: each is a function `(document, context) -> problems` registered with a stable code, so the
checker, the build and the guide's list of codes all come from the same table.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .load import Document, slugify
from .privacy import find_personal_data
from .problems import Problem
from .schema import CONCEPT_KEYS, MAX_DESCRIPTION, STORY_KEYS, Field
from .urls import check_former_urls


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the document: the ids that references can point to."""

    principle_ids: tuple[str, ...] = ()
    boundary_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    title: str  # Danish, shown in the contributor guide
    check: Callable[[Document, Context], Iterator[Problem]] | None = None


def suggest(value: str, options: tuple[str, ...] | list[str], *, noun: str = "værdier") -> str:
    """`Mente du 'x'?` when something close exists, else the full list of valid values."""
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    if close:
        return f"Mente du '{close[0]}'?"
    return f"Gyldige {noun}: " + ", ".join(f"'{o}'" for o in options) + "."


def _type_problem(doc: Document, spec: Field, value: object) -> Problem | None:
    line = doc.line_of(spec.key)
    if spec.is_list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Problem(doc.path, line, "FM009", f"Feltet '{spec.key}' skal være en liste af tekster.",
                           f"Skriv fx: {spec.key}: {spec.example}")
        return None
    if spec.kind == "dato":
        return None  # checked by FM012 with a better message
    if spec.kind == "tal":
        if not isinstance(value, int) or isinstance(value, bool):
            return Problem(doc.path, line, "FM009", f"Feltet '{spec.key}' skal være et tal.",
                           f"Skriv fx: {spec.key}: {spec.example}")
        return None
    if not isinstance(value, str) or not value.strip():
        return Problem(doc.path, line, "FM009", f"Feltet '{spec.key}' skal være en tekst, der ikke er tom.",
                       f"Skriv fx: {spec.key}: {spec.example}")
    return None


def check_keys(doc: Document, schema: dict[str, Field]) -> Iterator[Problem]:
    """Required keys present, no unknown keys, every value of the right type and in its closed list."""
    for key in doc.meta:
        if key not in schema:
            yield Problem(doc.path, doc.line_of(key), "FM008", f"Ukendt felt '{key}'.",
                          suggest(key, tuple(schema), noun="felter") + " Felter, der ikke er i skabelonen, kan ikke bruges.")
    for spec in schema.values():
        if spec.key not in doc.meta or doc.meta[spec.key] is None:
            if spec.required:
                where = doc.line_of(spec.key) if spec.key in doc.meta else doc.front_matter_lines[1]
                yield Problem(doc.path, where, "FM007", f"Det påkrævede felt '{spec.key}' ({spec.label}) mangler.",
                              f"Tilføj fx: {spec.key}: {spec.example}")
            continue
        value = doc.meta[spec.key]
        problem = _type_problem(doc, spec, value)
        if problem:
            yield problem
            continue
        if spec.kind == "valg" and value not in spec.choices:
            yield Problem(doc.path, doc.line_of(spec.key), "FM010",
                          f"Ugyldig værdi '{value}' i feltet '{spec.key}'.", suggest(value, spec.choices))
        if spec.kind == "linje" and ("\n" in value.strip()):
            yield Problem(doc.path, doc.line_of(spec.key), "FM019",
                          f"Feltet '{spec.key}' skal stå på én linje.", "Fjern linjeskiftene i teksten.")


def check_story_schema(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from check_keys(doc, STORY_KEYS)


def check_concept_schema(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from check_keys(doc, CONCEPT_KEYS)


def _check_refs(doc: Document, key: str, known: tuple[str, ...], code: str, noun: str) -> Iterator[Problem]:
    values = doc.meta.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return
    if not values:
        yield Problem(doc.path, doc.line_of(key), "FM011", f"Listen '{key}' er tom.",
                      f"Angiv mindst én {noun}: " + ", ".join(known) + ".")
    for i, value in enumerate(values):
        if value not in known:
            yield Problem(doc.path, doc.line_of(key, i), code, f"Ukendt {noun} '{value}'.", suggest(value, known))


def check_principles(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from _check_refs(doc, "principper", ctx.principle_ids, "FM003", "princip")


def check_boundaries(doc: Document, ctx: Context) -> Iterator[Problem]:
    yield from _check_refs(doc, "hegnspaele", ctx.boundary_ids, "FM004", "hegnspæl")


def check_date(doc: Document, ctx: Context) -> Iterator[Problem]:
    value = doc.meta.get("dato")
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value.strip())
            return
        except ValueError:
            pass
    yield Problem(doc.path, doc.line_of("dato"), "FM012", f"Ugyldig dato '{value}'.",
                  "Skriv datoen som ÅÅÅÅ-MM-DD, fx dato: 2023-12-19.")


def check_description_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    value = doc.meta.get("description")
    if isinstance(value, str) and len(value.strip()) > MAX_DESCRIPTION:
        yield Problem(doc.path, doc.line_of("description"), "FM019",
                      f"Resuméet er {len(value.strip())} tegn; højst {MAX_DESCRIPTION}.",
                      "Skriv én kort linje; resten hører til i selve historien.")


_JINJA = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")
_UNSAFE_HTML = (
    (re.compile(r"<\s*(script|iframe|object|embed|form|style|meta|link|base|svg)\b", re.I),
     "HTML-mærket <{0}>"),
    (re.compile(r"<[^>]*\son[a-z]+\s*=", re.I), "en HTML-hændelse (on…=)"),
    (re.compile(r"(java|vb)script\s*:", re.I), "et javascript:-link"),
    (re.compile(r"data\s*:\s*text/html", re.I), "et data:-link med HTML"),
)


_MAYBE_UNSAFE = re.compile(r"<|script\s*:|data\s*:", re.I)


def _lines(doc: Document) -> Iterator[tuple[int, str]]:
    for number, text in enumerate(doc.text.split("\n"), start=1):
        yield number, text


def check_jinja(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not _JINJA.search(doc.text):
        return
    for number, text in _lines(doc):
        if _JINJA.search(text):
            yield Problem(doc.path, number, "FM014", "Historien indeholder skabelonkode ({{, {% eller {#).",
                          "Historier vises som ren tekst; fjern krøllede parenteser i par.")


def check_unsafe_html(doc: Document, ctx: Context) -> Iterator[Problem]:
    if not _MAYBE_UNSAFE.search(doc.text):
        return
    for number, text in _lines(doc):
        for pattern, label in _UNSAFE_HTML:
            match = pattern.search(text)
            if match:
                what = label.format(*(g.lower() for g in match.groups() if g))
                yield Problem(doc.path, number, "FM015", f"Historien indeholder {what}, som ikke er tilladt.",
                              "Skriv almindelig tekst og Markdown-links; fjern HTML-koden.")
                break


def check_personal_data(doc: Document, ctx: Context) -> Iterator[Problem]:
    for finding in find_personal_data(doc.text):
        yield Problem(doc.path, finding.line, finding.code, finding.message, finding.hint)


# The rule table. Codes are stable: the guide has an anchor per code and messages link to it.
FILE_RULES: tuple[Rule, ...] = (
    Rule("FM001", "Filen kan ikke læses som tekst"),
    Rule("FM002", "Front-matter mangler"),
    Rule("FM005", "Front-matter er ikke gyldig YAML"),
    Rule("FM006", "Front-matter er ikke felter med navn og værdi"),
)
STORY_RULES: tuple[Rule, ...] = (
    Rule("FM007", "Påkrævet felt mangler", check_story_schema),  # also FM008, FM009, FM010, FM019
    Rule("FM003", "Ukendt princip", check_principles),  # also FM011
    Rule("FM004", "Ukendt hegnspæl", check_boundaries),
    Rule("FM012", "Ugyldig dato", check_date),
    Rule("FM019", "Resumé for langt eller på flere linjer", check_description_length),
    Rule("FM014", "Skabelonkode i historien", check_jinja),
    Rule("FM015", "Usikker HTML i historien", check_unsafe_html),
    Rule("FM016", "Personoplysninger i historien", check_personal_data),  # also FM017, FM018
    Rule("FM021", "Ugyldig tidligere adresse", check_former_urls),
)
CONCEPT_RULES: tuple[Rule, ...] = (Rule("FM007", "Påkrævet felt mangler", check_concept_schema),)
SET_RULES: tuple[Rule, ...] = (
    Rule("FM008", "Ukendt felt"),
    Rule("FM009", "Forkert type"),
    Rule("FM010", "Ugyldig værdi"),
    Rule("FM011", "Tom liste"),
    Rule("FM013", "To historier med samme adresse"),
    Rule("FM017", "E-mailadresse i historien"),
    Rule("FM018", "Telefonnummer i historien"),
    Rule("FM020", "Henvisning til noget, der ikke findes"),
)

ALL_CODES: dict[str, str] = {
    rule.code: rule.title for rule in sorted(FILE_RULES + STORY_RULES + SET_RULES, key=lambda r: r.code)
}


def validate_documents(documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
    """Run every rule on every document; never stop at the first problem."""
    problems: list[Problem] = []
    for doc in documents:
        for rule in rules:
            if rule.check is not None:
                problems.extend(rule.check(doc, ctx))
    return problems


def check_unique_slugs(documents: list[Document]) -> list[Problem]:
    """Two files that map to the same URL would overwrite each other: both are reported."""
    seen: dict[str, Document] = {}
    problems = []
    for doc in documents:
        slug = slugify(doc.abs_path.stem)
        if not slug:
            problems.append(Problem(doc.path, 1, "FM013", "Filnavnet giver ingen adresse (kun tegn uden bogstaver).",
                                    "Omdøb filen, fx til historiens titel med bindestreger."))
        elif slug in seen:
            problems.append(Problem(doc.path, 1, "FM013",
                                    f"Filen får samme adresse som {seen[slug].path} ('{slug}').",
                                    "Omdøb en af filerne, så navnene er forskellige."))
        else:
            seen[slug] = doc
    return problems
