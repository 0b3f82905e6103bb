"""Step 2 of the data flow: check documents against the schema and the content rules, collecting every problem.

Rules are data: each is a check `(document, context) -> problems` giving one stable `Code` (one code, one rule), and
the guide's text per code is data (fejlkoder.toml), so the checker and the guide cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from string import Template

from .addresses import (
    FORMER_URL_EXAMPLE,
    MAX_ADDRESS_CHARS,
    MAX_FORMER_URLS,
    MAX_SLUG_CHARS,
    RECORD_NAME,
    former_url_problem,
)
from .load import Document, slugify
from .markup import Converter, Rendered, danish, find_complexity, find_unsafe_markup
from .plaintext import find_invisible, is_control, normalise, reader_view
from .privacy import Finding, find_in_body, find_in_file_name, find_in_front_matter, find_in_value
from .problems import Code, Problem
from .schema import (
    BODY_PLACEHOLDERS,
    BY_TELLER,
    CONCEPT_KEYS,
    MAX_BODY_DEPTH,
    MAX_BRACKETS_PER_PARAGRAPH,
    MAX_DESCRIPTION,
    MAX_HTML_TAGS,
    MAX_MARKUP_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TITLE,
    NOT_TOLD,
    PLACEHOLDER_FIELDS,
    SOURCES,
    STORY_KEYS,
    ConceptKind,
    Field,
)


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the document: the ids that references can point to."""

    principle_ids: tuple[str, ...] = ()
    boundary_ids: tuple[str, ...] = ()
    # The build's one Markdown conversion (the site's extensions): every rule on the body reads its result.
    converter: Converter = field(default_factory=Converter, compare=False)

    def rendered(self, doc: Document) -> Rendered | None:
        """The body as the page will have it; None for a body over the limits (FM042: never parsed)."""
        return None if find_complexity(doc.body) else self.converter.convert(doc.body)


# A content rule: a check of one document (story or concept page), giving the problems it finds.
Rule = Callable[[Document, Context], Iterator[Problem]]


def suggest(value: str, options: tuple[str, ...] | list[str], *, noun: str = "værdier") -> str:
    """`Mente du 'x'?` when something close exists, else the full list of valid values."""
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    if close:
        return f"Mente du '{close[0]}'?"
    return f"Gyldige {noun}: " + ", ".join(f"'{o}'" for o in options) + "."


def shown(value: object, limit: int = 60) -> str:
    """A contributor's value as quoted in a message: one line, and short, whatever they wrote."""
    if not isinstance(value, (str, int, float, dt.date)):
        return "(en liste eller lignende)"
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_problem(doc: Document, spec: Field, value: object) -> Problem | None:
    line = doc.line_of(spec.key)
    if spec.is_list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return Problem(
                doc.path,
                line,
                Code.FM009,
                f"Feltet '{spec.key}' skal være en liste i firkantede parenteser.",
                f"Skriv fx: {spec.key}: {spec.example}",
            )
        return None
    if spec.kind == "dato":
        return None  # checked by FM012 with a better message
    if spec.kind == "tal":
        if not isinstance(value, int) or isinstance(value, bool):
            return Problem(
                doc.path,
                line,
                Code.FM009,
                f"Feltet '{spec.key}' skal være et tal.",
                f"Skriv fx: {spec.key}: {spec.example}",
            )
        return None
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        # YAML read `title: 2024` as a number and `title: 2024-03-01` as a date: quoting keeps it text.
        return Problem(
            doc.path,
            line,
            Code.FM009,
            f"Feltet '{spec.key}' skal være en tekst, ikke et tal eller en dato.",
            f'Sæt anførselstegn om teksten, fx {spec.key}: "{shown(value)}"',
        )
    if not isinstance(value, str) or not value.strip():
        return Problem(
            doc.path,
            line,
            Code.FM009,
            f"Feltet '{spec.key}' skal være en tekst, der ikke er tom.",
            f"Skriv fx: {spec.key}: {spec.example}",
        )
    return None


def _present(doc: Document, schema: dict[str, Field]) -> Iterator[tuple[Field, object]]:
    """Each field of the schema that has a value."""
    for spec in schema.values():
        if doc.meta.get(spec.key) is not None:
            yield spec, doc.meta[spec.key]


def check_unknown_keys(schema: dict[str, Field], doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM008: the schema is closed."""
    for key in doc.meta:
        if key not in schema:
            yield Problem(
                doc.path,
                doc.line_of(key),
                Code.FM008,
                f"Ukendt felt '{shown(key)}'.",
                suggest(key, tuple(schema), noun="felter") + " Felter, der ikke er i skabelonen, kan ikke bruges.",
            )


def check_required(schema: dict[str, Field], doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM007: a required field is missing or empty, for stories and docs pages alike."""
    for spec in schema.values():
        if spec.required and doc.meta.get(spec.key) is None:
            where = doc.line_of(spec.key) if spec.key in doc.meta else doc.front_matter_lines[1]
            yield Problem(
                doc.path,
                where,
                Code.FM007,
                f"Det påkrævede felt '{spec.key}' ({spec.label}) mangler.",
                f"Tilføj fx: {spec.key}: {spec.example}",
            )


def check_types(schema: dict[str, Field], doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM009: every value of its field's kind."""
    for spec, value in _present(doc, schema):
        problem = _type_problem(doc, spec, value)
        if problem:
            yield problem


def check_choices(schema: dict[str, Field], doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM010: a value in its field's closed list."""
    for spec, value in _present(doc, schema):
        if spec.kind == "valg" and not _type_problem(doc, spec, value) and value not in spec.choices:
            yield Problem(
                doc.path,
                doc.line_of(spec.key),
                Code.FM010,
                f"Ugyldig værdi '{shown(value)}' i feltet '{spec.key}'.",
                suggest(str(value), spec.choices),
            )


def check_one_line(schema: dict[str, Field], doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM019 (with check_text_lengths): a one-line field is on one line."""
    for spec, value in _present(doc, schema):
        if spec.kind == "linje" and isinstance(value, str) and "\n" in value.strip():
            yield Problem(
                doc.path,
                doc.line_of(spec.key),
                Code.FM019,
                f"Feltet '{spec.key}' skal stå på én linje.",
                "Fjern linjeskiftene i teksten.",
            )


def _schema_rules(schema: dict[str, Field]) -> tuple[Rule, ...]:
    """The field rules, each a check of one code, bound to a schema (stories' or docs pages')."""
    return tuple(
        partial(check, schema)
        for check in (check_required, check_unknown_keys, check_types, check_choices, check_one_line)
    )


def _refs(doc: Document, ctx: Context, kind: ConceptKind) -> tuple[list[str], tuple[str, ...]]:
    """A story's references of one kind (none unless a list of texts: FM009) and the ids they can point to."""
    values = doc.meta.get(kind.field_key)
    known = ctx.principle_ids if kind is ConceptKind.PRINCIPLE else ctx.boundary_ids
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return [], known
    return values, known


def _unknown_refs(doc: Document, ctx: Context, kind: ConceptKind, code: Code) -> Iterator[Problem]:
    values, known = _refs(doc, ctx, kind)
    for i, value in enumerate(values):
        if value not in known:
            yield Problem(
                doc.path,
                doc.line_of(kind.field_key, i),
                code,
                f"Ukendt {kind.value} '{shown(value)}'.",
                suggest(value, known),
            )


def check_principles(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM003: every principle is one the site has."""
    yield from _unknown_refs(doc, ctx, ConceptKind.PRINCIPLE, Code.FM003)


def check_boundaries(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM004: every boundary is one the site has."""
    yield from _unknown_refs(doc, ctx, ConceptKind.BOUNDARY, Code.FM004)


def check_empty_refs(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM011: a story names at least one principle and one boundary."""
    for kind in (ConceptKind.PRINCIPLE, ConceptKind.BOUNDARY):
        if doc.meta.get(kind.field_key) == []:
            known = _refs(doc, ctx, kind)[1]
            yield Problem(
                doc.path,
                doc.line_of(kind.field_key),
                Code.FM011,
                f"Listen '{kind.field_key}' er tom.",
                f"Angiv mindst én {kind.value}: " + ", ".join(known) + ".",
            )


_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_MONTH_NAMES = frozenset("januar februar marts april maj juni juli august september oktober november december".split())
_NUMERIC_DATE = re.compile(
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
)
_WRITTEN_DATE = re.compile(r"(?:den\s+)?(?P<d>\d{1,2})\.?\s*(?P<m>[a-zæøå]+)\.?\s+(?P<y>\d{4})", re.IGNORECASE)


def read_date(text: str) -> dt.date | None:
    """A date as people write it: 2024-05-03, 2024-5-3, 3.5.2024, 3/5/2024, 3. maj 2024, 3 maj. 2024 (else None)."""
    text = " ".join(text.split()).rstrip(".")
    try:
        numeric = _NUMERIC_DATE.fullmatch(text)
        if numeric:
            ymd = ("y", "m", "d") if numeric["y"] else ("y2", "m2", "d2")
            return dt.date(*(int(numeric[part]) for part in ymd))
        written = _WRITTEN_DATE.fullmatch(text)
        word = written["m"].lower() if written else ""
        month = next((i for i, name in enumerate(_MONTHS, 1) if word.startswith(name)), 0)
        if written and month and (word in _MONTH_NAMES or word in _MONTHS or word == "sept"):
            return dt.date(int(written["y"]), month, int(written["d"]))
    except ValueError:
        pass
    return None


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
    readable = read_date(value) if isinstance(value, str) else None
    if readable is not None:
        yield Problem(
            doc.path,
            doc.line_of("dato"),
            Code.FM012,
            f"Datoen '{shown(value)}' skal skrives med tal som år-måned-dag.",
            f"Skriv: dato: {readable.isoformat()}",
        )
        return
    if isinstance(value, str) and _DATE_SHAPE.match(value.strip()):
        yield Problem(
            doc.path,
            doc.line_of("dato"),
            Code.FM012,
            f"Datoen '{shown(value)}' findes ikke i kalenderen.",
            "Tjek måned (01-12) og dag, fx dato: 2023-12-19.",
        )
        return
    what = f"'{shown(value)}'" if isinstance(value, (str, int, float, dt.date)) else "(en liste eller lignende)"
    yield Problem(
        doc.path,
        doc.line_of("dato"),
        Code.FM012,
        f"Ugyldig dato {what}.",
        "Skriv datoen som ÅÅÅÅ-MM-DD, fx dato: 2023-12-19.",
    )


_LENGTH_LIMITS = (
    ("title", "Titlen", MAX_TITLE, "Skriv en kort titel; resten hører til i selve historien."),
    ("description", "Resuméet", MAX_DESCRIPTION, "Skriv én kort linje; resten hører til i selve historien."),
)


def check_text_lengths(doc: Document, ctx: Context) -> Iterator[Problem]:
    for key, noun, limit, hint in _LENGTH_LIMITS:
        value = doc.meta.get(key)
        if isinstance(value, str) and len(value.strip()) > limit:
            yield Problem(
                doc.path,
                doc.line_of(key),
                Code.FM019,
                f"{noun} er {danish(len(value.strip()))} tegn; højst {limit}.",
                hint,
            )


def _text_values(doc: Document) -> Iterator[tuple[str, int, str]]:
    """(key, line, text) for every text in the front-matter after YAML has decoded it; list items at their line."""
    for key, value in doc.meta.items():
        if isinstance(value, str):
            yield key, doc.line_of(key), value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, str):
                    yield key, doc.line_of(key, i), item


# Plain-text fields: shown as text in pages, attributes, the theme's meta tags, the search index, feed and cards.
_FORMATTED_ELSEWHERE = frozenset({"tidligere_adresser"})  # FM021 checks its form
PLAIN_TEXT_KEYS = tuple(
    f.key
    for f in STORY_KEYS.values()
    if f.kind in ("linje", "tekst", "liste") and f.concept is None and f.key not in _FORMATTED_ELSEWHERE
)


def _plain_text_problem(doc: Document, key: str, line: int, value: str) -> Problem | None:
    text = value.strip()
    decoded = normalise(text)
    bracket = next((ch for ch in decoded if ch in "<>"), None)
    if bracket:
        return Problem(
            doc.path,
            line,
            Code.FM040,
            f"Feltet '{key}' indeholder tegnet '{bracket}', som ikke må stå i et felt.",
            "Felter er ren tekst: skriv uden < og > (heller ikke som &lt;, &gt; eller \\x3c), fx 'mindre end'.",
        )
    one_line = STORY_KEYS[key].kind == "linje"  # a line break there is FM019's
    control = next((ch for ch in text if is_control(ch) and not (one_line and ch == "\n")), None)
    if control:
        return Problem(
            doc.path,
            line,
            Code.FM040,
            f"Feltet '{key}' indeholder et styretegn (U+{ord(control):04X}), som ikke må stå i et felt.",
            "Slet tegnet, og skriv teksten på én linje uden tabulatortegn.",
        )
    invisible = find_invisible(text)
    if invisible:
        return Problem(
            doc.path,
            line,
            Code.FM040,
            f"Feltet '{key}' indeholder et usynligt tegn (U+{ord(invisible):04X}), som ikke må stå i et felt.",
            "Slet tegnet; det kommer ofte med, når tekst kopieres fra et andet program.",
        )
    return None


def check_plain_text(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM040: `<`, `>`, control and invisible characters in plain-text fields, after YAML escapes are decoded."""
    for key, line, value in _text_values(doc):
        if key in PLAIN_TEXT_KEYS:
            problem = _plain_text_problem(doc, key, line, value)
            if problem:
                yield problem


def check_tags(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM041: a tag is a word or two that becomes a page address; a story has a handful."""
    tags = doc.meta.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return  # FM009
    if len(tags) > MAX_TAGS:
        yield Problem(
            doc.path,
            doc.line_of("tags"),
            Code.FM041,
            f"Historien har {len(tags)} emneord; højst {MAX_TAGS}.",
            "Behold de vigtigste emneord, og slet resten.",
        )
    for i, tag in enumerate(tags[: MAX_TAGS * 10]):
        if len(tag.strip()) > MAX_TAG_LENGTH:
            yield Problem(
                doc.path,
                doc.line_of("tags", i),
                Code.FM041,
                f"Emneordet '{shown(tag, 30)}' er {len(tag.strip())} tegn; højst {MAX_TAG_LENGTH}.",
                "Brug et eller to ord som emneord.",
            )
        elif not slugify(tag):
            yield Problem(
                doc.path,
                doc.line_of("tags", i),
                Code.FM041,
                f"Emneordet '{shown(tag, 30)}' giver ingen adresse (det har hverken bogstaver eller tal).",
                "Skriv emneordet med bogstaver, fx åbningstid.",
            )


def former_url_problems(path: str, values: Sequence[object], line_of: Callable[[int], int]) -> list[Problem]:
    """FM021 for a page's former addresses (a story's or a docs page's): too many, or one of the wrong form."""
    problems = []
    if len(values) > MAX_FORMER_URLS:
        problems.append(
            Problem(
                path,
                line_of(MAX_FORMER_URLS),
                Code.FM021,
                f"Der står {len(values)} tidligere adresser; højst {MAX_FORMER_URLS}.",
                f"Behold de adresser, der står i {RECORD_NAME}, og slet resten.",
            )
        )
    for i, value in enumerate(values[:MAX_FORMER_URLS]):
        reason = former_url_problem(value)
        if reason:
            problems.append(
                Problem(
                    path,
                    line_of(i),
                    Code.FM021,
                    f"Ugyldig tidligere adresse '{shown(value)}': den {reason}.",
                    f"Skriv den gamle adresse som den stod efter sitets navn, fx {FORMER_URL_EXAMPLE}",
                )
            )
    return problems


def check_former_urls(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM021: every former address has the form `historier/gammelt-navn/`, and there are a few."""
    values = doc.meta.get("tidligere_adresser")
    if isinstance(values, list):
        yield from former_url_problems(doc.path, values, lambda i: doc.line_of("tidligere_adresser", i))


def check_not_told(doc: Document, ctx: Context) -> Iterator[Problem]:
    """'ikke oplyst' in fri_fra and in fri_fra_type go together: a story either names its rule and its kind, or
    says it cannot (then it is not counted in the register)."""
    freed_from, kind = doc.meta.get("fri_fra"), doc.meta.get("fri_fra_type")
    if not isinstance(freed_from, str) or not freed_from.strip() or not isinstance(kind, str):
        return
    not_told = freed_from.strip().casefold() == NOT_TOLD
    if not_told and kind != NOT_TOLD:
        yield Problem(
            doc.path,
            doc.line_of("fri_fra_type"),
            Code.FM022,
            f"Feltet 'fri_fra' siger '{NOT_TOLD}', men 'fri_fra_type' siger '{shown(kind)}'.",
            f"Skriv fri_fra_type: {NOT_TOLD} – eller skriv i fri_fra, hvilken regel eller vane du blev sat fri fra.",
        )
    elif kind == NOT_TOLD and not not_told:
        yield Problem(
            doc.path,
            doc.line_of("fri_fra"),
            Code.FM022,
            f"Feltet 'fri_fra_type' siger '{NOT_TOLD}', men 'fri_fra' nævner en regel: '{shown(freed_from)}'.",
            "Vælg reglens slags i fri_fra_type (statslig regel, kommunal regel eller lokal vane) "
            f"– eller skriv fri_fra: {NOT_TOLD}.",
        )


def check_linked_by(doc: Document, ctx: Context) -> Iterator[Problem]:
    """The source documents link no story to a principle or a hegnspæl: a story from one cannot claim its teller
    chose them."""
    source = doc.meta.get("kilde")
    if (
        doc.meta.get("koblet_af") == BY_TELLER
        and isinstance(source, str)
        and source in SOURCES
        and source != "indsendt"
    ):
        yield Problem(
            doc.path,
            doc.line_of("koblet_af"),
            Code.FM023,
            f"Historien er fra kilden '{source}', men 'koblet_af' siger '{BY_TELLER}'. Kilden knytter "
            "ingen historie til principper eller hegnspæle.",
            "Skriv koblet_af: redaktionen, eller slet linjen.",
        )


_JINJA = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")


def _lines(doc: Document) -> Iterator[tuple[int, str]]:
    yield from enumerate(doc.text.split("\n"), start=1)


def _jinja_lines(doc: Document) -> Iterator[int]:
    """Lines with template code as written, in a value after YAML decoding, or in the body as a reader sees it."""
    if _JINJA.search(doc.text):
        for number, text in _lines(doc):
            if _JINJA.search(text):
                yield number
    for _, line, value in _text_values(doc):
        if _JINJA.search(normalise(value)):
            yield line
    view = reader_view(doc.body.split("\n"), doc.body_line)
    for match in _JINJA.finditer(view.text):
        yield view.line_at(match.start())


def check_jinja(doc: Document, ctx: Context) -> Iterator[Problem]:
    for number in sorted(set(_jinja_lines(doc))):
        yield Problem(
            doc.path,
            number,
            Code.FM014,
            "Historien indeholder skabelonkode ({{, {% eller {#).",
            "Historier vises som ren tekst; fjern krøllede parenteser i par.",
        )


def check_unsafe_html(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM015: tags, attributes and URLs outside the allow-list, in the body as written and as Markdown renders it."""
    reported: set[int] = set()
    for finding in find_unsafe_markup(doc.body, ctx.rendered(doc)):
        line = doc.body_line + finding.line - 1
        if line not in reported:
            reported.add(line)
            yield Problem(
                doc.path, line, Code.FM015, f"Historien indeholder {finding.what}, som ikke er tilladt.", finding.hint
            )


def check_body_complexity(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM042: nesting and piles of brackets or tags that make Markdown slow or make it fail."""
    found = find_complexity(doc.body)
    for complexity in found:
        yield Problem(doc.path, doc.body_line + complexity.line - 1, Code.FM042, complexity.message, complexity.hint)
    if not found and ctx.rendered(doc) is None:
        yield Problem(
            doc.path,
            doc.body_line,
            Code.FM042,
            "Historien kan ikke laves om til en side (Markdown kan ikke læse den).",
            "Skriv teksten med færre niveauer og mindre formatering, eller spørg redaktionen.",
        )


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _same_text(value: str, placeholder: str) -> bool:
    """The placeholder as typed back: any case, spacing, or quotes and a full stop around it."""
    return " ".join(value.split()).strip("\"'„“”‘’.").casefold() == placeholder.casefold()


def check_placeholders(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM070: a field or a line of the story still says what the template wrote there (schema.PLACEHOLDER_*)."""
    for key, placeholder in PLACEHOLDER_FIELDS.items():
        value = doc.meta.get(key)
        if isinstance(value, str) and _same_text(value, placeholder):
            label = STORY_KEYS[key].label
            yield Problem(
                doc.path,
                doc.line_of(key),
                Code.FM070,
                f"Feltet '{key}' ({label}) står stadig med skabelonens tekst '{placeholder}'.",
                f"Skriv jeres egen tekst i stedet, fx {key}: {STORY_KEYS[key].example}",
            )
    # What a reader sees: a placeholder inside an HTML comment is not shown (the comment keeps its lines).
    body = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), doc.body).casefold()
    for offset, text in enumerate(body.split("\n")):
        left = next((p for p in BODY_PLACEHOLDERS if p.casefold() in text), None)
        if left:
            yield Problem(
                doc.path,
                doc.body_line + offset,
                Code.FM070,
                f"Selve historien er ikke skrevet endnu: linjen står stadig med skabelonens tekst '{left}'.",
                "Erstat linjen med din egen tekst.",
            )
            return


def check_personal_data(doc: Document, ctx: Context) -> Iterator[Problem]:
    """FM016-FM018 in what is published: the file name, each value as decoded, the rendered body with its link
    addresses; and the lines as written (the repository is public)."""
    seen: set[tuple[int, str, str]] = set()
    findings: list[Finding] = [*find_in_file_name(doc.abs_path.stem)]
    for _, line, value in _text_values(doc):
        findings += find_in_value(value, line)
    findings += find_in_front_matter(doc.text.split("\n")[: doc.front_matter_lines[1]])
    rendered = ctx.rendered(doc)
    findings += find_in_body(rendered.html if rendered else "", doc.body, doc.body_line)
    for finding in findings:
        if (finding.line, finding.code, finding.message) not in seen:
            seen.add((finding.line, finding.code, finding.message))
            yield Problem(doc.path, finding.line, finding.code, finding.message, finding.hint)


# The rule tables: every check a story or a concept page goes through, in the order problems are listed. Each check
# gives the codes its docstring names; the rest (FM001-FM006 on reading, FM013/FM060 on file names, the docs pages'
# FM020/FM030/FM031 and the build's FM065-FM067) come from the step that reads that input.
STORY_RULES: tuple[Rule, ...] = (
    *_schema_rules(STORY_KEYS),
    check_principles,
    check_boundaries,
    check_empty_refs,
    check_date,
    check_text_lengths,
    check_plain_text,
    check_tags,
    check_jinja,
    check_unsafe_html,
    check_body_complexity,
    check_placeholders,
    check_personal_data,
    check_not_told,
    check_linked_by,
    check_former_urls,
)
CONCEPT_RULES: tuple[Rule, ...] = _schema_rules(CONCEPT_KEYS)


@dataclass(frozen=True)
class CodeGuide:
    """A code's section in the contributor guide (Danish): its title, what the rule protects, how to fix it."""

    title: str
    explain: str
    fix: str


# The limits the guide text names ($NAME in fejlkoder.toml), so the guide always states the checker's numbers.
_GUIDE_VALUES = {
    "MAX_TITLE": MAX_TITLE,
    "MAX_DESCRIPTION": MAX_DESCRIPTION,
    "MAX_TAGS": MAX_TAGS,
    "MAX_TAG_LENGTH": MAX_TAG_LENGTH,
    "MAX_BODY_DEPTH": MAX_BODY_DEPTH,
    "MAX_PARAGRAPH_CHARS": danish(MAX_PARAGRAPH_CHARS),
    "MAX_BRACKETS_PER_PARAGRAPH": MAX_BRACKETS_PER_PARAGRAPH,
    "MAX_MARKUP_CHARS": danish(MAX_MARKUP_CHARS),
    "MAX_HTML_TAGS": MAX_HTML_TAGS,
    "PLACEHOLDER_TITLE": PLACEHOLDER_FIELDS["title"],
    "PLACEHOLDER_LINE": BODY_PLACEHOLDERS[0],
    "PLACEHOLDER_QUOTE": BODY_PLACEHOLDERS[1],
    "NOT_TOLD": NOT_TOLD,
    "MAX_ADDRESS_CHARS": MAX_ADDRESS_CHARS,
    "MAX_FORMER_URLS": MAX_FORMER_URLS,
    "MAX_SLUG_CHARS": MAX_SLUG_CHARS,
}


def _read_guide() -> dict[str, CodeGuide]:
    """fejlkoder.toml, keyed by code as written there (a test holds its keys and `Code` to the same set)."""
    data = tomllib.loads((Path(__file__).parent / "fejlkoder.toml").read_text(encoding="utf-8"))
    return {
        code: CodeGuide(**{key: Template(text).substitute(_GUIDE_VALUES) for key, text in entry.items()})
        for code, entry in data.items()
    }


GUIDE: dict[str, CodeGuide] = _read_guide()
ALL_CODES: dict[str, str] = {code: GUIDE[code].title for code in Code}


def validate_documents(documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
    """Run every rule on every document; never stop at the first problem."""
    problems: list[Problem] = []
    for doc in documents:
        for rule in rules:
            problems.extend(rule(doc, ctx))
    return problems


# A story's file name is its address: a slug (a-z, 0-9 and dashes; æ, ø and å become ae, oe and aa) and `.md`.
_STORY_FILE_NAME = re.compile(r"[a-z0-9æøå]+(?:-[a-z0-9æøå]+)*\.md")


def file_name_problems(files: list[tuple[str, str]], reserved: frozenset[str] = frozenset()) -> list[Problem]:
    """FM060 for a file name that is not a slug, FM013 for one that gives no address, a taken one or another file's.
    `files` are (path as shown, file name) pairs."""
    seen: dict[str, str] = {}
    problems = []
    rename = "Omdøb filen, fx til historiens titel med bindestreger."
    for path, name in files:
        slug = slugify(name[:-3] if name.lower().endswith(".md") else name)
        if not slug:
            problems.append(
                Problem(path, 1, Code.FM013, "Filnavnet giver ingen adresse (kun tegn uden bogstaver).", rename)
            )
        elif slug in reserved:
            problems.append(
                Problem(
                    path,
                    1,
                    Code.FM013,
                    f"Filnavnet giver adressen historier/{slug}/, som sitet selv bruger til en oversigt.",
                    rename,
                )
            )
        elif not _STORY_FILE_NAME.fullmatch(name) or len(slug) > MAX_SLUG_CHARS:
            fixed = slug[:MAX_SLUG_CHARS].rstrip("-")
            fixed = f"{fixed}-historie" if fixed in reserved else fixed
            problems.append(
                Problem(
                    path,
                    1,
                    Code.FM060,
                    f"Filnavnet '{shown(name)}' kan ikke være en adresse: kun små bogstaver, tal og bindestreger, "
                    f"højst {MAX_SLUG_CHARS} tegn, og endelsen .md.",
                    f"Omdøb filen til {fixed}.md",
                )
            )
        elif slug in seen:
            problems.append(
                Problem(
                    path,
                    1,
                    Code.FM013,
                    f"Filen får samme adresse som {seen[slug]} ('{slug}').",
                    "Omdøb en af filerne, så navnene er forskellige.",
                )
            )
        else:
            seen[slug] = path
    return problems


def check_unique_slugs(documents: list[Document], reserved: frozenset[str] = frozenset()) -> list[Problem]:
    """A story's file name becomes its address: two that map to the same one would overwrite each other."""
    return file_name_problems([(doc.path, doc.abs_path.name) for doc in documents], reserved)
