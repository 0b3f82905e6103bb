"""The front-matter schema, defined once and read by the build, the checker, the scaffold and the issue form.

Keys follow mkdocs-material where it has one (`title`, `description`, `tags`); domain keys are Danish.
The schema is closed: a key that is not listed here is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Closed lists. Order is the order shown to readers and contributors.
AREAS: tuple[str, ...] = (
    "dagtilbud",
    "skole",
    "ældre",
    "social",
    "sundhed",
    "beskæftigelse",
    "kultur og fritid",
    "administration",
    "tværgående",
)

RULE_KINDS: tuple[str, ...] = ("statslig regel", "kommunal regel", "lokal vane")
RULE_KIND_LABELS: dict[str, str] = {
    "statslig regel": "Statslig regel",
    "kommunal regel": "Kommunal regel",
    "lokal vane": "Lokal vane/‘plejer’",
}

CONSENT: tuple[str, ...] = ("anonymiseret", "samtykke indhentet")


@dataclass(frozen=True)
class Source:
    """A document the site's content comes from; every page names one at its foot."""

    title: str
    date: str
    page: str | None = None  # docs-relative page that presents the document, if any


SOURCES: dict[str, Source] = {
    "aftalen": Source(
        "Aftale om frisættelse og afbureaukratisering i Rebild Kommune",
        "gældende 1. november 2023 – 1. november 2027",
        "aftalen/index.md",
    ),
    "kl-pjecen": Source(
        "Fælles perspektiver på frisættelse (KL, FOA, DLF, BUPL, HK Kommunal og Dansk Socialrådgiverforening)",
        "marts 2023",
        "baggrund/index.md",
    ),
    "christiansborg-2023": Source(
        "Velfærdsaftalen i Rebild Kommune – erfaringer og anbefalinger, møde med aftaleparter på Christiansborg",
        "19. december 2023",
        "erfaringer/index.md",
    ),
    "politisk-proces": Source(
        "Den politiske proces med frisættelse og afbureaukratisering i Rebild Kommune (præsentation)",
        "udateret",
        "proces/index.md",
    ),
    "politisk-proces-ocr": Source(
        "Den politiske proces med frisættelse og afbureaukratisering i Rebild Kommune "
        "(fuldere udgave, forkortet afskrift)",
        "udateret",
        "proces/kvalitetstemaer.md",
    ),
    "indsendt": Source("Historie indsendt af medarbejdere i Rebild Kommune", "se historiens dato"),
}


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


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, whether it is required, and how to explain it to a contributor."""

    key: str
    kind: str  # "tekst" | "linje" | "dato" | "valg" | "liste" | "princip-liste" | "hegnspæl-liste"
    required: bool
    label: str
    help: str
    example: str
    choices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_list(self) -> bool:
        return self.kind.endswith("liste")


STORY_FIELDS: tuple[Field, ...] = (
    Field("title", "linje", True, "Titel", "Historiens overskrift, kort og konkret.",
          "Forsøg med ændret åbningstid"),
    Field("description", "linje", True, "Resumé",
          f"Én linje (højst {MAX_DESCRIPTION} tegn), der fortæller hvad historien handler om. Vises i oversigter og når "
          "siden deles.",
          "Ro og tid til at tage imod ‘tidlige børn’."),
    Field("dato", "dato", True, "Dato",
          "Hvornår historien blev fortalt, skrevet som ÅÅÅÅ-MM-DD.", "2023-12-19"),
    Field("omraade", "valg", True, "Område", "Det fagområde historien kommer fra.", "dagtilbud", AREAS),
    Field("principper", "princip-liste", True, "Principper",
          "De af aftalens fem principper, historien bygger på (mindst ét). Skriv id'et fra listen.",
          "[hverdagsinnovation]"),
    Field("hegnspaele", "hegnspæl-liste", True, "Hegnspæle",
          "De af KL-pjecens fire hegnspæle, historien respekterer (mindst én). Skriv id'et fra listen.",
          "[kvalitet-og-vaerdi]"),
    Field("fri_fra", "linje", True, "Fri fra", "Den regel eller vane, I blev sat fri fra.",
          "Den faste åbningstid"),
    Field("fri_fra_type", "valg", True, "Slags regel",
          "Hvor reglen kommer fra: staten, kommunen eller jeres egen vane (‘plejer’).", "kommunal regel",
          RULE_KINDS),
    Field("fri_til", "linje", True, "Fri til", "Det, I fik frihed til at gøre i stedet.",
          "Ro og tid til at tage imod ‘tidlige børn’."),
    Field("citat_rolle", "linje", True, "Citatets afsender",
          "Rollen på den, der fortæller – aldrig et navn.", "Pædagog, Rebild Kommune"),
    Field("kilde", "valg", True, "Kilde",
          "Hvor historien kommer fra. Nye historier fra medarbejdere bruger ‘indsendt’.", "indsendt",
          tuple(SOURCES)),
    Field("samtykke", "valg", True, "Samtykke",
          "Bekræft at personer i historien er anonymiseret, eller at de har givet samtykke.", "anonymiseret",
          CONSENT),
    Field("tags", "liste", False, "Emneord", "Frie emneord, der hjælper med at finde historien.",
          "[åbningstid, forældresamarbejde]"),
    Field("tidligere_adresser", "liste", False, "Tidligere adresser",
          "Hvis historien har skiftet navn: dens gamle adresser, så gamle links stadig virker.",
          "[historier/gammelt-navn/]"),
)

# Pages in docs/ (principles, boundaries, background) are ours; a smaller closed schema keeps them honest too.
CONCEPT_FIELDS: tuple[Field, ...] = (
    Field("title", "linje", True, "Titel", "Sidens titel.", "Genbesøg formål og sæt retning"),
    Field("description", "linje", True, "Resumé", "Én linje om siden.", "Et klart formål sætter fri."),
    Field("nummer", "tal", True, "Nummer", "Rækkefølgen i kilden.", "2"),
    Field("kilde", "valg", True, "Kilde", "Dokumentet teksten kommer fra.", "aftalen", tuple(SOURCES)),
)

STORY_KEYS: dict[str, Field] = {f.key: f for f in STORY_FIELDS}
CONCEPT_KEYS: dict[str, Field] = {f.key: f for f in CONCEPT_FIELDS}

# Kinds of concept document, where they live in docs/ and how they are named in messages.
CONCEPT_DIRS: dict[str, str] = {"princip": "principper", "hegnspæl": "hegnspaele"}

STORY_URL_DIR = "historier"
