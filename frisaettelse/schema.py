"""The one closed front-matter schema, read by the build, the checker, the scaffold and the issue form. Keys follow
mkdocs-material where it has one (`title`, `description`, `tags`); domain keys are Danish."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# Closed lists. Order is the order shown to readers and contributors.
AREAS: tuple[str, ...] = tuple(
    "dagtilbud|skole|ældre|social|sundhed|beskæftigelse|kultur og fritid|administration|tværgående".split("|")
)

RULE_KINDS: tuple[str, ...] = ("statslig regel", "kommunal regel", "lokal vane")
# Written in `fri_fra`, `fri_fra_type` and `fri_til` when the story (or its source) does not say: an honest
# absence, never counted in the register or the "Fri fra" filters.
NOT_TOLD = "ikke oplyst"
RULE_KIND_LABELS: dict[str, str] = {kind: kind.capitalize() for kind in RULE_KINDS}
RULE_KIND_LABELS["lokal vane"] = "Lokal vane/‘plejer’"
# What `fri_fra_type` may say, as shown in the issue form's list: the three kinds and the honest absence.
FREED_FROM_KIND_LABELS: dict[str, str] = {**RULE_KIND_LABELS, NOT_TOLD: "Ikke oplyst"}

# Who linked a story to its principles and hegnspæle, kind of rule and "fri til": its teller, or the editors (always
# for a story from a source document, which links none); every page says "knyttet af redaktionen" where they did.
BY_TELLER = "fortælleren"
BY_EDITORS = "redaktionen"
LINKED_BY: tuple[str, ...] = (BY_TELLER, BY_EDITORS)

CONSENT: tuple[str, ...] = ("anonymiseret", "samtykke indhentet")

# What a template writes where the contributor must write their own (the guide's template, `ny`); FM070 refuses it.
PLACEHOLDER_FIELDS: dict[str, str] = {"title": "Titel på historien"}
BODY_PLACEHOLDERS: tuple[str, ...] = ("Skriv historien her", "Det, vi oplevede, var …")


@dataclass(frozen=True)
class Source:
    """A document the site's content comes from, named at the foot of its page and of every story from it."""

    title: str
    date: str
    page: str | None = None  # docs-relative page that presents the document, if any


# fmt: off
SOURCES: dict[str, Source] = {
    "aftalen": Source("Aftale om frisættelse og afbureaukratisering i Rebild Kommune", "gældende 1. november 2023 – 1. november 2027", "aftalen/index.md"),
    "faelles-perspektiver": Source("Fælles perspektiver på frisættelse (pjece fra DLF, HK Kommunal, BUPL, FOA, Dansk Socialrådgiverforening og KL)", "marts 2023", "baggrund/index.md"),
    "christiansborg-2023": Source("Velfærdsaftalen i Rebild Kommune – erfaringer og anbefalinger (præsentation, møde med aftaleparter på Christiansborg)", "19. december 2023", "erfaringer/index.md"),
    "politisk-proces": Source("Den politiske proces med frisættelse og afbureaukratisering i Rebild Kommune (præsentation)", "udateret", "proces/index.md"),
    "politisk-proces-ocr": Source("Den politiske proces med frisættelse og afbureaukratisering i Rebild Kommune (fuldere udgave, forkortet afskrift)", "udateret", "proces/kvalitetstemaer.md"),
    "indsendt": Source("Historie indsendt af medarbejdere i Rebild Kommune", ""),  # its date is the story's own
}
# fmt: on


# The ids of a story page's own headings and parts (templates/story.html): a heading in the story's text never gets
# one of them (markup.Converter), and an id the text sets itself to one of them is left out (sanitize.clean_page).
STORY_PAGE_IDS = (
    "historien", "fakta", "sammenhaeng", "principper-for-historien", "hegnspaele-for-historien", "slags-regel",
    "andre-historier", "del-historien", "historiens-adresse",
)  # fmt: skip

# Limits: a story is a page or two of text; anything far beyond is a mistake or an attack, refused with a message.
MAX_FILE_BYTES = 1_000_000
MAX_TITLE = 120  # characters; the title is a heading, a card and a link text
MAX_DESCRIPTION = 200  # characters; shown in listings and link previews (the guide and the issue form say so)
MAX_TAGS = 10
MAX_TAG_LENGTH = 40  # characters; a tag is a word or two, and its page address is made from it
MAX_YAML_DEPTH = 3  # the front-matter is fields (1) holding lists (2); one level to spare
MAX_BODY_DEPTH = 10  # lists and quotes inside each other; the Markdown parser recurses on each level
MAX_PARAGRAPH_CHARS = 10_000  # a paragraph of 1,500 words; Markdown's inline parser slows down faster than that grows
MAX_BRACKETS_PER_PARAGRAPH = 200  # '[' in one paragraph; the link parser's time grows with their square
MAX_MARKUP_CHARS = 5_000  # * _ ` \ [ < & in one story; each costs Markdown far more than a letter
MAX_HTML_TAGS = 500  # '<' starting a tag; the HTML parser reads on from each one it cannot see the end of
MAX_TAG_LENGTH_CHARS = 1000  # from '<' to the '>' that closes the tag
MAX_ABBREVIATIONS = 20  # '*[…]:' definitions; each is looked for in all of the text


def default_linked_by(source: str) -> str:
    """`koblet_af` when a story does not say: its teller for a story sent in, the editors for one from a document."""
    return BY_TELLER if source == "indsendt" else BY_EDITORS


class ConceptKind(StrEnum):
    """The two kinds of concept a story links to; the value is the Danish noun used in messages."""

    PRINCIPLE = "princip"
    BOUNDARY = "hegnspæl"

    @property
    def folder(self) -> str:  # its pages' folder in docs/, and the story's key that lists them (`field_key`)
        return "principper" if self is ConceptKind.PRINCIPLE else "hegnspaele"

    field_key = folder

    @property
    def facet_key(self) -> str:  # the folder of its filter pages under historier/
        return "princip" if self is ConceptKind.PRINCIPLE else "hegnspael"

    @property
    def definite(self) -> str:
        return "princippet" if self is ConceptKind.PRINCIPLE else "hegnspælen"


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it is required, and how to explain it to a contributor."""

    key: str
    kind: str  # "linje" (one line of text) | "dato" | "tal" | "valg" (one of `choices`) | "liste"
    required: bool
    label: str
    help: str
    example: str
    choices: tuple[str, ...] = field(default_factory=tuple)
    in_new_files: bool = True  # False: a new file from the issue form leaves the key out unless it has a value
    concept: ConceptKind | None = None  # a list of principle or hegnspæl ids
    attribute: str = ""  # the `Story` attribute that holds the value; the key when not given
    exported: bool = True  # a column of the CSV and JSON exports (`/data/`)

    def __post_init__(self) -> None:
        if not self.attribute:
            object.__setattr__(self, "attribute", self.key)

    @property
    def is_list(self) -> bool:
        return self.kind == "liste"

    @property
    def is_choice(self) -> bool:  # from a closed list: the schema's own, or the site's principles or hegnspæle
        return self.kind == "valg" or self.concept is not None


# One row per field: key, kind, required, label, help, example, closed list, and what differs from the rest.
# fmt: off
STORY_FIELDS: tuple[Field, ...] = (
    Field("title", "linje", True, "Titel", "Historiens overskrift, kort og konkret.", "Forsøg med ændret åbningstid"),
    Field("description", "linje", True, "Resumé", f"Én linje (højst {MAX_DESCRIPTION} tegn), der fortæller, hvad historien handler om. Vises i oversigter, og når siden deles.", "Ro og tid til at tage imod ‘tidlige børn’."),
    Field("dato", "dato", True, "Dato", "Historiens dato, skrevet som ÅÅÅÅ-MM-DD: den dag, du skriver den, eller den dag, den første gang blev offentliggjort. For en historie fra et dokument er det dokumentets dato.", "2023-12-19", attribute="date"),
    Field("omraade", "valg", True, "Område", "Det fagområde, historien kommer fra.", "dagtilbud", AREAS, attribute="area"),
    Field("principper", "liste", True, "Principper", "Et eller flere af aftalens fem principper, som historien er knyttet til. Skriv id'et fra listen.", "[hverdagsinnovation]", concept=ConceptKind.PRINCIPLE, attribute="principles"),
    Field("hegnspaele", "liste", True, "Hegnspæle", "En eller flere af de fire hegnspæle fra pjecen “Fælles perspektiver på frisættelse”, som historien er knyttet til. Skriv id'et fra listen.", "[kvalitet-og-vaerdi]", concept=ConceptKind.BOUNDARY, attribute="boundaries"),
    Field("fri_fra", "linje", True, "Fri fra", f"Den regel eller vane, du blev sat fri fra. Kan du ikke sige det, så skriv ‘{NOT_TOLD}’.", "Den faste åbningstid", attribute="freed_from"),
    Field("fri_fra_type", "valg", True, "Slags regel", f"Hvor reglen kommer fra: staten, kommunen eller en vane på din arbejdsplads (‘plejer’). Skriv ‘{NOT_TOLD}’, hvis der står ‘{NOT_TOLD}’ under fri fra.", "kommunal regel", (*RULE_KINDS, NOT_TOLD), attribute="freed_from_kind"),
    Field("fri_til", "linje", True, "Fri til", f"Det, du fik frihed til at gøre i stedet. Kan du ikke sige det, så skriv ‘{NOT_TOLD}’.", "Ro og tid til at tage imod ‘tidlige børn’.", attribute="freed_to"),
    Field("koblet_af", "valg", False, "Knyttet af", "Hvem der har knyttet historien til principper og hegnspæle og valgt slags regel og fri til: fortælleren selv eller redaktionen. Udelades feltet, er det fortælleren for en indsendt historie.", BY_TELLER, LINKED_BY, in_new_files=False, attribute="linked_by"),
    Field("citat_rolle", "linje", True, "Citatets afsender", "Fortællerens rolle – aldrig et navn.", "Pædagog, Rebild Kommune", attribute="quote_role"),
    Field("kilde", "valg", True, "Kilde", "Hvor historien kommer fra. Nye historier fra medarbejdere bruger ‘indsendt’.", "indsendt", tuple(SOURCES), attribute="source"),
    Field("samtykke", "valg", True, "Samtykke", "Bekræft, at personer i historien er anonymiseret, eller at de har givet samtykke.", "anonymiseret", CONSENT, attribute="consent"),
    Field("tags", "liste", False, "Emneord", "Frie emneord, der hjælper med at finde historien.", "[åbningstid, forældresamarbejde]"),
    Field("tidligere_adresser", "liste", False, "Tidligere adresser", "Hvis historien har skiftet navn: dens gamle adresser, så gamle links stadig virker.", "[historier/gammelt-navn/]", attribute="former_urls", exported=False),
)
CONCEPT_FIELDS: tuple[Field, ...] = (
    Field("title", "linje", True, "Titel", "Sidens titel.", "Genbesøg formål og sæt retning"),
    Field("description", "linje", True, "Resumé", "Én linje om siden.", "Et klart formål sætter fri."),
    Field("nummer", "tal", True, "Nummer", "Rækkefølgen i kilden.", "2"),
    Field("kilde", "valg", True, "Kilde", "Dokumentet teksten kommer fra.", "aftalen", tuple(SOURCES)),
)
# fmt: on

STORY_KEYS: dict[str, Field] = {f.key: f for f in STORY_FIELDS}
CONCEPT_KEYS: dict[str, Field] = {f.key: f for f in CONCEPT_FIELDS}
