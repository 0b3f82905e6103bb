"""Step 2: every rule `(document, context) -> findings` gives one `Code`; the guide's text per code is data."""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing as mp
import re
import threading
import tomllib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from string import Template
from typing import TypeGuard

from . import addresses, privacy, schema
from .addresses import FORMER_URL_EXAMPLE, former_url_problem
from .load import Document, slugify
from .markup import Converter, danish, find_complexity, find_unsafe_markup, shown
from .problems import Code, Finding, Problem
from .schema import BY_TELLER, NOT_TOLD, STORY_FIELDS, STORY_KEYS, ConceptKind, Field


@dataclass(frozen=True)
class Context:
    """What a rule may know besides the document: the ids references can point to, the build's one conversion."""

    principle_ids: tuple[str, ...] = ()
    boundary_ids: tuple[str, ...] = ()
    converter: Converter = field(default_factory=Converter, compare=False)
    _last: list[tuple[Document, privacy.Read]] = field(default_factory=list, compare=False, repr=False)

    def view(self, doc: Document) -> privacy.Read:
        """The body as a reader reads it, made once for the document being checked."""
        if not self._last or self._last[0][0] is not doc:
            self._last[:] = [(doc, privacy.Read(self.converter.convert_body(doc.body), doc.body, doc.body_line))]
        return self._last[0][1]


Rule = Callable[[Document, Context], Iterable[Finding]]


def suggest(value: str, options: Sequence[str], *, noun: str = "værdier") -> str:
    """`Mente du 'x'?` when something close exists, else the full list of valid values."""
    if close := difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6):
        return f"Mente du '{close[0]}'?"
    return f"Gyldige {noun}: " + ", ".join(f"'{o}'" for o in options) + "."


def _texts(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _wrong_type(spec: Field, value: object) -> tuple[str, str] | None:
    """FM009: (message, hint) when a value is not of its field's kind."""
    example, field_ = f"Skriv fx: {spec.key}: {spec.example}", f"Feltet '{spec.key}' skal være"
    if spec.is_list:
        return None if _texts(value) else (f"{field_} en liste i firkantede parenteser.", example)
    if spec.kind == "dato":
        return None  # FM012, with a better message
    is_number = isinstance(value, (int, float, dt.date)) and not isinstance(value, bool)
    if spec.kind == "tal":
        return None if isinstance(value, int) and is_number else (f"{field_} et tal.", example)
    if is_number:  # YAML read `title: 2024` as a number and `title: 2024-03-01` as a date: quoting keeps it text
        hint = f'Sæt anførselstegn om teksten, fx {spec.key}: "{shown(value)}"'
        return f"{field_} en tekst, ikke et tal eller en dato.", hint
    return None if isinstance(value, str) and value.strip() else (f"{field_} en tekst, der ikke er tom.", example)


_LENGTH_LIMITS = {  # FM019 too: a story's title and summary are short
    "title": ("Titlen", schema.MAX_TITLE, "Skriv en kort titel; resten hører til i selve historien."),
    "description": ("Resuméet", schema.MAX_DESCRIPTION, "Skriv én kort linje; resten hører til i selve historien."),
}


def check_fields(
    keys: dict[str, Field], limits: Mapping[str, tuple[str, int, str]], doc: Document, _: Context
) -> Iterator[Finding]:
    """FM007-FM010, FM019: the schema is closed, and each value has its field's kind, choices, one line and length."""
    for key in (key for key in doc.meta if key not in keys):
        hint = suggest(key, tuple(keys), noun="felter") + " Felter, der ikke er i skabelonen, kan ikke bruges."
        yield Finding(doc.line_of(key), Code.FM008, f"Ukendt felt '{shown(key)}'.", hint)
    for spec in keys.values():
        if (value := doc.meta.get(spec.key)) is None:
            if spec.required:
                line = doc.line_of(spec.key) if spec.key in doc.meta else doc.body_line - 1
                message = f"Det påkrævede felt '{spec.key}' ({spec.label}) mangler."
                yield Finding(line, Code.FM007, message, f"Tilføj fx: {spec.key}: {spec.example}")
            continue
        line, text = doc.line_of(spec.key), value.strip() if isinstance(value, str) else ""
        noun, limit, hint = limits.get(spec.key, ("", 0, ""))
        if wrong := _wrong_type(spec, value):
            yield Finding(line, Code.FM009, *wrong)
        elif spec.kind == "valg" and value not in spec.choices:
            message = f"Ugyldig værdi '{shown(value)}' i feltet '{spec.key}'."
            yield Finding(line, Code.FM010, message, suggest(str(value), spec.choices))
        if spec.kind == "linje" and "\n" in text:
            message = f"Feltet '{spec.key}' skal stå på én linje."
            yield Finding(line, Code.FM019, message, "Fjern linjeskiftene i teksten.")
        if limit and len(text) > limit:
            yield Finding(line, Code.FM019, f"{noun} er {danish(len(text))} tegn; højst {limit}.", hint)


def check_refs(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM003/FM004: every principle and hegnspæl is one the site has; FM011: the story names at least one of each."""
    refs = (ConceptKind.PRINCIPLE, Code.FM003, ctx.principle_ids), (ConceptKind.BOUNDARY, Code.FM004, ctx.boundary_ids)
    for kind, code, known in refs:
        values = doc.meta.get(kind.field_key)
        if values == []:
            hint = f"Angiv mindst én {kind.value}: " + ", ".join(known) + "."
            yield Finding(doc.line_of(kind.field_key), Code.FM011, f"Listen '{kind.field_key}' er tom.", hint)
        for i, value in enumerate(values if _texts(values) else ()):
            if value not in known:
                message = f"Ukendt {kind.value} '{shown(value)}'."
                yield Finding(doc.line_of(kind.field_key, i), code, message, suggest(value, known))


_MONTH_NAMES = "januar februar marts april maj juni juli august september oktober november december".split()
_MONTHS = {word: i for i, name in enumerate(_MONTH_NAMES, 1) for word in (name, name[:3])} | {"sept": 9}
_NUMERIC_DATE = re.compile(
    r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2})"
)
_WRITTEN_DATE = re.compile(r"(?:den\s+)?(?P<d>\d{1,2})\.?\s*(?P<m>[a-zæøå]+)\.?\s+(?P<y>\d{4})", re.IGNORECASE)


def read_date(text: str) -> dt.date | None:
    """A date as people write it: 2024-05-03, 2024-5-3, 3.5.2024, 3/5/2024, 3. maj 2024, 3 maj. 2024 (else None)."""
    text = " ".join(text.split()).rstrip(".")
    numeric, written = _NUMERIC_DATE.fullmatch(text), _WRITTEN_DATE.fullmatch(text)
    with suppress(ValueError):
        if numeric:
            return dt.date(*(int(numeric[group]) for group in ("ymd" if numeric["y"] else "YMD")))
        if written and (month := _MONTHS.get(written["m"].lower())):
            return dt.date(int(written["y"]), month, int(written["d"]))
    return None


def check_date(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM012: a day in the calendar, written as ÅÅÅÅ-MM-DD."""
    value = doc.meta.get("dato")
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return
    text = value.strip() if isinstance(value, str) else ""
    with suppress(ValueError):
        dt.date.fromisoformat(text)
        return
    if readable := read_date(text):  # a date is never false
        message = f"Datoen '{shown(value)}' skal skrives med tal som år-måned-dag."
        found = message, f"Skriv: dato: {readable.isoformat()}"
    elif re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
        found = f"Datoen '{shown(value)}' findes ikke i kalenderen.", "Tjek måned (01-12) og dag, fx dato: 2023-12-19."
    else:
        what = f"'{shown(value)}'" if isinstance(value, (str, int, float, dt.date)) else shown(value)
        found = f"Ugyldig dato {what}.", "Skriv datoen som ÅÅÅÅ-MM-DD, fx dato: 2023-12-19."
    yield Finding(doc.line_of("dato"), Code.FM012, *found)


def _text_values(doc: Document) -> Iterator[tuple[str, int, str]]:
    """(key, line, text) for every text in the front-matter after YAML has decoded it; list items at their line."""
    for key, value in doc.meta.items():
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, str):
                yield key, doc.line_of(key, i if isinstance(value, list) else None), item


# Shown as text in pages, attributes, meta tags, search, feed and cards (the form of `tidligere_adresser` is FM021's).
_PLAIN_TEXT_KEYS = {f.key for f in STORY_FIELDS if f.kind in ("linje", "liste") and not f.concept} - {
    "tidligere_adresser"
}


def check_plain_text(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM040: `<`, `>`, control and invisible characters in plain-text fields, after YAML escapes are decoded."""
    for key, line, value in _text_values(doc):
        if key not in _PLAIN_TEXT_KEYS:
            continue
        text, one_line = value.strip(), STORY_KEYS[key].kind == "linje"  # a line break there is FM019's
        if bracket := next((ch for ch in privacy.normalise(text) if ch in "<>"), None):
            what = f"tegnet '{bracket}'"
            hint = "Felter er ren tekst: skriv uden < og > (heller ikke som &lt;, &gt; eller \\x3c), fx 'mindre end'."
        elif control := next((c for c in privacy.CONTROL.findall(text) if not (one_line and c == "\n")), None):
            what = f"et styretegn (U+{ord(control):04X})"
            hint = "Slet tegnet, og skriv teksten på én linje uden tabulatortegn."
        elif invisible := privacy.find_invisible(text):
            what = f"et usynligt tegn (U+{ord(invisible):04X})"
            hint = "Slet tegnet; det kommer ofte med, når tekst kopieres fra et andet program."
        else:
            continue
        yield Finding(line, Code.FM040, f"Feltet '{key}' indeholder {what}, som ikke må stå i et felt.", hint)


def check_tags(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM041: a tag is a word or two that becomes a page address; a story has a handful."""
    tags = doc.meta.get("tags")
    if not _texts(tags):
        return  # FM009
    if len(tags) > schema.MAX_TAGS:
        message = f"Historien har {len(tags)} emneord; højst {schema.MAX_TAGS}."
        yield Finding(doc.line_of("tags"), Code.FM041, message, "Behold de vigtigste emneord, og slet resten.")
    for i, tag in enumerate(tags[: schema.MAX_TAGS * 10]):
        if len(tag.strip()) > schema.MAX_TAG_LENGTH:
            message = f"Emneordet '{shown(tag, 30)}' er {len(tag.strip())} tegn; højst {schema.MAX_TAG_LENGTH}."
            yield Finding(doc.line_of("tags", i), Code.FM041, message, "Brug et eller to ord som emneord.")
        elif not slugify(tag):
            message = f"Emneordet '{shown(tag, 30)}' giver ingen adresse (det har hverken bogstaver eller tal)."
            yield Finding(doc.line_of("tags", i), Code.FM041, message, "Skriv emneordet med bogstaver, fx åbningstid.")


def former_url_findings(values: Sequence[object], line_of: Callable[[int], int]) -> Iterator[Finding]:
    """FM021 for a page's former addresses (a story's or a docs page's): too many, or one of the wrong form."""
    if len(values) > (most := addresses.MAX_FORMER_URLS):
        hint = f"Behold de adresser, der står i {addresses.RECORD_NAME}, og slet resten."
        yield Finding(line_of(most), Code.FM021, f"Der står {len(values)} tidligere adresser; højst {most}.", hint)
    hint = f"Skriv den gamle adresse som den stod efter sitets navn, fx {FORMER_URL_EXAMPLE}"
    for i, value in enumerate(values[:most]):
        if reason := former_url_problem(value):
            message = f"Ugyldig tidligere adresse '{shown(value)}': den {reason}."
            yield Finding(line_of(i), Code.FM021, message, hint)


def check_former_urls(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM021: every former address has the form `historier/gammelt-navn/`, and there are a few."""
    if isinstance(values := doc.meta.get("tidligere_adresser"), list):
        yield from former_url_findings(values, partial(doc.line_of, "tidligere_adresser"))


def check_not_told(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM022: 'ikke oplyst' in fri_fra and in fri_fra_type go together (such a story is not in the register)."""
    freed_from, kind = doc.meta.get("fri_fra"), doc.meta.get("fri_fra_type")
    if not isinstance(freed_from, str) or not freed_from.strip() or not isinstance(kind, str):
        return
    not_told = freed_from.strip().casefold() == NOT_TOLD
    if not_told and kind != NOT_TOLD:
        message = f"Feltet 'fri_fra' siger '{NOT_TOLD}', men 'fri_fra_type' siger '{shown(kind)}'."
        hint = f"Skriv fri_fra_type: {NOT_TOLD} – eller skriv i fri_fra, hvilken regel eller vane du blev sat fri fra."
        yield Finding(doc.line_of("fri_fra_type"), Code.FM022, message, hint)
    elif kind == NOT_TOLD and not not_told:
        message = f"Feltet 'fri_fra_type' siger '{NOT_TOLD}', men 'fri_fra' nævner en regel: '{shown(freed_from)}'."
        hint = "Vælg reglens slags i fri_fra_type (statslig regel, kommunal regel eller lokal vane) "
        yield Finding(doc.line_of("fri_fra"), Code.FM022, message, f"{hint}– eller skriv fri_fra: {NOT_TOLD}.")


def check_linked_by(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM023: a story from a source document cannot claim its teller chose its principles."""
    source, linked_by = doc.meta.get("kilde"), doc.meta.get("koblet_af")
    if linked_by == BY_TELLER and isinstance(source, str) and source in schema.SOURCES.keys() - {"indsendt"}:
        message = f"Historien er fra kilden '{source}', men 'koblet_af' siger '{BY_TELLER}'. Kilden knytter ingen historie til principper eller hegnspæle."
        yield Finding(doc.line_of("koblet_af"), Code.FM023, message, "Skriv koblet_af: redaktionen, eller slet linjen.")


_JINJA = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")


def check_jinja(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM014: template code as written, in a value after YAML decoding, or in the body as a reader sees it."""
    lines = {doc.text.count("\n", 0, match.start()) + 1 for match in _JINJA.finditer(doc.text)}
    lines |= {line for _, line, value in _text_values(doc) if _JINJA.search(privacy.normalise(value))}
    lines |= {ctx.view(doc).line_at(match.start()) for match in _JINJA.finditer(ctx.view(doc).text)}
    for line in sorted(lines):
        message = "Historien indeholder skabelonkode ({{, {% eller {#)."
        yield Finding(line, Code.FM014, message, "Historier vises som ren tekst; fjern krøllede parenteser i par.")


def check_unsafe_html(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM015: tags, attributes and URLs outside the allow-list, in the body as written and as Markdown renders it."""
    reported: set[int] = set()
    for found in find_unsafe_markup(doc.body, ctx.converter.convert_body(doc.body)):
        if (line := doc.body_line + found.line - 1) not in reported:
            reported.add(line)
            yield found._replace(line=line)


def check_body_complexity(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM042: nesting and piles of brackets or tags that make Markdown slow or make it fail."""
    found = find_complexity(doc.body)
    for each in found:
        yield each._replace(line=doc.body_line + each.line - 1)
    if not found and ctx.converter.convert_body(doc.body) is None:
        message = "Historien kan ikke laves om til en side (Markdown kan ikke læse den)."
        hint = "Skriv teksten med færre niveauer og mindre formatering, eller spørg redaktionen."
        yield Finding(doc.body_line, Code.FM042, message, hint)


def check_placeholders(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM070: a field or a line still says what the template wrote there, in any case, spacing or quotes."""
    for key, placeholder in schema.PLACEHOLDER_FIELDS.items():
        value = doc.meta.get(key)
        if isinstance(value, str) and " ".join(value.split()).strip("\"'„“”‘’.").casefold() == placeholder.casefold():
            spec = STORY_KEYS[key]
            message = f"Feltet '{key}' ({spec.label}) står stadig med skabelonens tekst '{placeholder}'."
            hint = f"Skriv jeres egen tekst i stedet, fx {key}: {spec.example}"
            yield Finding(doc.line_of(key), Code.FM070, message, hint)
    # What a reader sees: a placeholder inside an HTML comment is not shown (the comment keeps its lines).
    body = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), doc.body, flags=re.DOTALL).casefold()
    for offset, text in enumerate(body.split("\n")):
        if left := next((p for p in schema.BODY_PLACEHOLDERS if p.casefold() in text), None):
            message = f"Selve historien er ikke skrevet endnu: linjen står stadig med skabelonens tekst '{left}'."
            yield Finding(doc.body_line + offset, Code.FM070, message, "Erstat linjen med din egen tekst.")
            return


def check_personal_data(doc: Document, ctx: Context) -> Iterator[Finding]:
    """FM016-FM018 in what is published and in the lines as written (the repository is public)."""
    values = [(1, doc.abs_path.stem), *((line, value) for _, line, value in _text_values(doc))]
    front_matter = doc.text.split("\n")[: doc.body_line - 1]
    return privacy.find_in_story(values, front_matter, ctx.view(doc))


# The rule tables. FM001-FM006 come from reading, FM013/FM060 from file names, the docs pages' FM020/FM030/FM031 and
# the build's FM065-FM067 from the step that reads that input.
STORY_RULES: tuple[Rule, ...] = (
    partial(check_fields, STORY_KEYS, _LENGTH_LIMITS),
    check_refs,
    check_date,
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
CONCEPT_RULES: tuple[Rule, ...] = (partial(check_fields, schema.CONCEPT_KEYS, {}),)


def validate_documents(documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
    """Run every rule on every document; never stop at the first problem."""
    return [Problem(doc.path, *found) for doc in documents for rule in rules for found in rule(doc, ctx)]


SPLIT_FROM = 200  # below this many stories, a second process costs more than it saves


def validate_stories(documents: list[Document], rules: tuple[Rule, ...], ctx: Context) -> list[Problem]:
    """`validate_documents`, with the second half of a large folder checked in a forked process on the core the
    build leaves idle; its conversions come back with its problems, so each body is still converted once a build. A
    process with threads is never forked (one may hold a lock), and a half the process does not send back is checked
    here, where an error is seen."""
    half = len(documents) // 2
    if len(documents) < SPLIT_FROM or threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        return validate_documents(documents, rules, ctx)
    fork = mp.get_context("fork")
    received, sent = fork.Pipe(duplex=False)
    helper = fork.Process(target=_validate_and_send, args=(documents[half:], rules, ctx, sent), daemon=True)
    helper.start()
    sent.close()
    found = validate_documents(documents[:half], rules, ctx)
    try:
        theirs, converted = received.recv()
        ctx.converter.adopt(converted)
    except (EOFError, OSError):
        theirs = validate_documents(documents[half:], rules, ctx)
    helper.join()
    return found + theirs


def _validate_and_send(documents: list[Document], rules: tuple[Rule, ...], ctx: Context, sent: Connection) -> None:
    with suppress(Exception):  # the build's process checks this half again and says what went wrong
        sent.send((validate_documents(documents, rules, ctx), ctx.converter.converted()))
    sent.close()


# A code's section in the contributor guide (Danish): its title, what the rule protects (explain), how to fix it (fix);
# $NAME in fejlkoder.toml is a limit or template text the guide names, so it always states the checker's own.
_GUIDE_VALUES = {
    **{name: danish(value) for name, value in {**vars(addresses), **vars(schema)}.items() if name.startswith("MAX_")},
    "NOT_TOLD": NOT_TOLD,
    "PLACEHOLDER_TITLE": schema.PLACEHOLDER_FIELDS["title"],
    "PLACEHOLDER_LINE": schema.BODY_PLACEHOLDERS[0],
    "PLACEHOLDER_QUOTE": schema.BODY_PLACEHOLDERS[1],
}
GUIDE: dict[str, dict[str, str]] = {
    code: {key: Template(text).substitute(_GUIDE_VALUES) for key, text in entry.items()}
    for code, entry in tomllib.loads((Path(__file__).parent / "fejlkoder.toml").read_text("utf-8")).items()
}


# A story's file name is its address: a slug (a-z, 0-9 and dashes; æ, ø and å become ae, oe and aa) and `.md`.
_STORY_FILE_NAME = re.compile(r"[a-z0-9æøå]+(?:-[a-z0-9æøå]+)*\.md")


def file_name_problems(paths: Iterable[str], reserved: frozenset[str]) -> list[Problem]:
    """FM060 for a story's file name that is not a slug, FM013 for no address, a taken one or another file's (two
    files with one address would overwrite each other)."""
    seen: dict[str, str] = {}
    problems = []
    rename, longest = "Omdøb filen, fx til historiens titel med bindestreger.", addresses.MAX_SLUG_CHARS
    for path in paths:
        name = path.rpartition("/")[2]
        slug = slugify(name[:-3] if name.lower().endswith(".md") else name)
        fixed = slug[:longest].rstrip("-")
        if not slug:
            found = Code.FM013, "Filnavnet giver ingen adresse (kun tegn uden bogstaver).", rename
        elif slug in reserved:
            message = f"Filnavnet giver adressen historier/{slug}/, som sitet selv bruger til en oversigt."
            found = Code.FM013, message, rename
        elif not _STORY_FILE_NAME.fullmatch(name) or len(slug) > longest:
            message = f"Filnavnet '{shown(name)}' kan ikke være en adresse: kun små bogstaver, tal og bindestreger, højst {longest} tegn, og endelsen .md."
            found = Code.FM060, message, f"Omdøb filen til {fixed}{'-historie' if fixed in reserved else ''}.md"
        elif slug in seen:
            message = f"Filen får samme adresse som {seen[slug]} ('{slug}')."
            found = Code.FM013, message, "Omdøb en af filerne, så navnene er forskellige."
        else:
            seen[slug] = path
            continue
        problems.append(Problem(path, 1, *found))
    return problems


def unknown_reference(noun: str, wanted: str, options: Sequence[str]) -> tuple[str, str]:
    """FM020's message and fix: from `tjek` before the build, and from the macro itself in it."""
    hint = suggest(wanted, options) if options else "Der er ingen endnu."
    return f"Ukendt {noun} '{shown(wanted)}'.", f"{hint} Ret id'et i makroen."


_CALL = re.compile(r"""\b(princip|hegnspael|historie)\s*\(\s*(?:'([^'\n]*)'|"([^"\n]*)")\s*\)""")
_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)  # printed as is: no calls


def check_doc_references(
    pages: Iterable[Document], ids: Mapping[str, Collection[str]], find_story: Callable[[str], object]
) -> list[Problem]:
    """FM020: a docs page's macro call (`{{ princip('x') }}`) with an unknown id, on its line, before the build."""
    problems: list[Problem] = []
    for page in (page for page in pages if "{" in page.text):
        text = _RAW.sub(lambda m: "\n" * m.group(0).count("\n"), page.text)
        for expression in _EXPRESSION.finditer(text):
            for call in _CALL.finditer(expression.group(0)):
                macro, wanted = call.group(1), call.group(2) if call.group(2) is not None else call.group(3)
                if not (find_story(slugify(wanted)) if macro == "historie" else wanted in ids[macro]):
                    line = text.count("\n", 0, expression.start() + call.start()) + 1
                    found = unknown_reference(macro.replace("ae", "æ"), wanted, sorted(ids[macro]))
                    problems.append(Problem(page.path, line, Code.FM020, *found))
    return problems
