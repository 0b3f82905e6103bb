"""Step 1: read Markdown files and their YAML front-matter, keeping line numbers. The only reader of front-matter:
MkDocs silently drops what it cannot parse, so the plugin hands it the body and these fields, never the file."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Code, Problem
from .schema import MAX_FILE_BYTES, MAX_YAML_DEPTH


@dataclass
class Document:
    """A Markdown file split into front-matter (with the line of every key and list item) and body."""

    path: str  # as shown in messages, relative to the project root
    abs_path: Path
    meta: dict[str, Any]
    key_lines: dict[str, int]
    item_lines: dict[str, list[int]]
    body: str
    body_line: int  # line number of the first body line
    text: str = ""
    front_matter_lines: tuple[int, int] = (1, 1)

    def line_of(self, key: str, item: int | None = None) -> int:
        if item is not None and item < len(self.item_lines.get(key, [])):
            return self.item_lines[key][item]
        return self.key_lines.get(key, 1)


@dataclass
class LoadResult:
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(name: str) -> str:
    """A stable URL segment from a file name or title: æ→ae, ø→oe, å→aa, other accents dropped."""
    text = name.translate(_TRANSLITERATE).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class _Stop(Exception):
    """What stops a file from being read: becomes its one Problem."""

    def __init__(self, line: int, code: Code, what: str, hint: str) -> None:
        super().__init__(what)
        self.args4 = (line, code, what, hint)


_UTF8_HINT = "Gem filen igen med tegnsættet UTF-8, så æ, ø og å kommer med."


def _read_text(abs_path: Path) -> str:
    """A contributor's file read defensively: size, binary content, encoding, BOM and CRLF."""
    try:
        if (size := abs_path.stat().st_size) > MAX_FILE_BYTES:
            raise _Stop(
                1,
                Code.FM001,
                f"Filen er for stor ({size // 1000} kB; højst {MAX_FILE_BYTES // 1000} kB).",
                "En historie er tekst på en side eller to; fjern indsatte billeder eller data.",
            )
        raw = abs_path.read_bytes()
    except OSError as error:
        raise _Stop(
            1, Code.FM001, f"Filen kan ikke læses ({error.strerror}).", "Tjek at filen findes og kan læses."
        ) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Stop(1, Code.FM001, "Filen er gemt som UTF-16 (‘Unicode’), ikke som UTF-8.", _UTF8_HINT)
    if b"\x00" in raw:
        raise _Stop(
            1,
            Code.FM001,
            "Filen er ikke en tekstfil (den indeholder binære data).",
            "Gem historien som almindelig tekst (Markdown, .md) med UTF-8.",
        )
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        raise _Stop(
            raw[: error.start].count(b"\n") + 1, Code.FM001, "Filen er ikke gemt som UTF-8.", _UTF8_HINT
        ) from None


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, much faster


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading; a value YAML cannot turn into Python (30 February, a 5,000-digit number) stays text."""


def _or_text(construct: Any) -> Any:
    def constructor(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    return constructor


for _tag in ("timestamp", "int", "float"):
    _construct = getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{_tag}")
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _or_text(_construct))

_UNREADABLE = "Felterne øverst i filen kan ikke læses ({})."
_FIELD_HINT = "Skriv hvert felt som 'navn: værdi' på sin egen linje."
_TOO_DEEP = (
    "for mange lister eller felter inde i hinanden",
    f"{_FIELD_HINT[:-1]} og lister som [kerneopgaven, hverdagsinnovation].",
)
_ANCHOR_HINT = 'Sæt anførselstegn om teksten, fx title: "*Vigtigt*".'


def _refused(mark: Any, what: str, hint: str) -> _Stop:
    return _Stop(mark.line + 2 if mark is not None else 2, Code.FM005, _UNREADABLE.format(what), hint)


_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _screen_tokens(yaml_text: str) -> None:
    """Refuse anchors and aliases ("billion laughs") and deep nesting from the tokens, before any value is built."""
    loader, depth = _BaseLoader(yaml_text), 0
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                hint = f"{_ANCHOR_HINT} Ankre og henvisninger (& og *) kan ikke bruges i en historie."
                raise _refused(token.start_mark, "et &- eller *-tegn i starten af en værdi", hint)
            depth += isinstance(token, _OPEN) - isinstance(token, _CLOSE)
            if depth > MAX_YAML_DEPTH:
                raise _refused(token.start_mark, *_TOO_DEEP)
    except yaml.YAMLError as error:  # libyaml's own nesting limit is reported like ours
        if "nesting depth" in str(error) and (mark := getattr(error, "problem_mark", None)) is not None:
            raise _refused(mark, *_TOO_DEEP) from None
        raise
    finally:
        loader.dispose()


# PyYAML's (pure-Python parser's) errors in Danish with a fix: context fragment, problem fragment, blame the
# context's line?, what, hint.
_YAML_ERRORS: tuple[tuple[str, str, bool, str, str], ...] = (
    ("", "'\\t'", False, "tabulatortegn i indrykningen", "Ryk ind med mellemrum i stedet for tabulator (Tab-tasten)."),
    (
        "quoted scalar",
        "",
        True,
        "et anførselstegn bliver ikke lukket",
        "Afslut teksten med det samme anførselstegn, som den begynder med, på samme linje.",
    ),
    (
        "flow sequence",
        "",
        True,
        "en liste med [ bliver ikke lukket med ]",
        "Skriv listen på én linje og luk den, fx principper: [kerneopgaven, hverdagsinnovation].",
    ),
    (
        "flow mapping",
        "",
        True,
        "en { bliver ikke lukket med }",
        "Sæt anførselstegn om tekst med krøllede parenteser, eller fjern dem.",
    ),
    ("simple key", "", True, "en linje mangler kolon efter feltnavnet", _FIELD_HINT),
    (
        "",
        "mapping values are not allowed",
        False,
        "et kolon midt i en værdi",
        'Sæt anførselstegn om tekst med kolon, fx title: "Fri fra: læreplanen".',
    ),
    (
        "block",
        "expected <block end>",
        False,
        "indrykningen passer ikke",
        "Felterne skal starte helt ude til venstre; punkter i en liste rykkes ind med to mellemrum.",
    ),
    ("", "undefined alias", False, "et *-tegn i starten af en værdi", _ANCHOR_HINT),
    (
        "",
        "constructor for the tag",
        False,
        "et !-tegn i starten af en værdi",
        'Sæt anførselstegn om teksten, fx title: "!Vigtigt".',
    ),
    (
        "",
        "",
        False,
        "skrivemåden passer ikke",
        "Tjek kolon efter hvert feltnavn, indrykning og anførselstegn om tekst med kolon.",
    ),
)


def _explained(yaml_text: str, error: yaml.YAMLError) -> _Stop:
    """libyaml words its errors differently: the explanations are keyed to the pure-Python parser's."""
    try:
        yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as python_error:
        error = python_error
    except RecursionError:  # libyaml stopped where the pure-Python parser nests on
        return _refused(None, "for dybt indlejret", _FIELD_HINT)
    context, problem = str(getattr(error, "context", "") or ""), str(getattr(error, "problem", "") or "")
    problem_mark, context_mark = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    _, _, blame_context, what, hint = next(row for row in _YAML_ERRORS if row[0] in context and row[1] in problem)
    return _refused((context_mark if blame_context else None) or problem_mark or context_mark, what, hint)


# MkDocs' own split (mkdocs/utils/meta.py YAML_RE): `---` at column 0 opens, the first `---` or `...` at column 0
# closes, spaces and tabs after them allowed. A line any reader could take for a marker but that rule would not
# (indented, another space, a comment after it), or a `...` end, is refused: every reader must split at the same line.
_OPEN_OR_CLOSE = re.compile(r"---[ \t]*")
_LOOKS_LIKE_MARKER = re.compile(r"\s*(?:---|\.\.\.)\s*|(?:---|\.\.\.)(?:\s.*)?", re.DOTALL)
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML, not to the line-based split


def _unclear_marker(line: int, what: str) -> _Stop:
    return _Stop(
        line,
        Code.FM002,
        f"Linjen ligner den linje, hvor felterne øverst i filen {what}, men den er ikke præcis '---'.",
        "Skriv tre bindestreger '---' helt ude til venstre og intet andet på linjen (slet mellemrum foran, "
        "kommentarer og '...'). Står linjen i en tekst, så omformulér den.",
    )


def _split(abs_path: Path, shown: str, front_matter_required: bool) -> Document:
    text = _read_text(abs_path)
    lines = text.split("\n")
    if not text.strip():
        raise _Stop(1, Code.FM002, "Filen er tom.", "Start filen med felterne mellem to linjer med '---'.")
    if not _OPEN_OR_CLOSE.fullmatch(lines[0]):
        if _LOOKS_LIKE_MARKER.fullmatch(lines[0]):
            raise _unclear_marker(1, "begynder")
        if not front_matter_required:
            return Document(shown, abs_path, {}, {}, {}, text, 1, text, (1, 0))
        raise _Stop(
            1,
            Code.FM002,
            "Filen mangler felterne øverst (mellem to linjer med '---').",
            "Første linje skal være '---', derefter felterne og så en linje med '---'.",
        )
    end = next((i for i in range(1, len(lines)) if _LOOKS_LIKE_MARKER.fullmatch(lines[i])), None)
    if end is None:
        hint = "Tilføj en linje med '---' efter det sidste felt."
        raise _Stop(1, Code.FM002, "Felterne øverst i filen bliver ikke afsluttet.", hint)
    if not _OPEN_OR_CLOSE.fullmatch(lines[end]):
        raise _unclear_marker(end + 1, "slutter")
    yaml_text = "\n".join(lines[1:end])
    if found := _YAML_ONLY_BREAK.search(yaml_text):  # YAML starts a new line there, an editor shows none
        raise _Stop(
            yaml_text.count("\n", 0, found.start()) + 2,
            Code.FM040,
            f"Felterne øverst i filen indeholder et usynligt linjeskift (U+{ord(found.group()):04X}), som "
            "læses som en ny linje.",
            "Slet tegnet, og skriv hvert felt på sin egen linje.",
        )
    loader = _Loader(yaml_text)
    try:  # parse once: the node tree gives line numbers, the constructed data gives values
        _screen_tokens(yaml_text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        raise _explained(yaml_text, error) from None
    except _Stop:
        raise
    except Exception:  # a constructor's own error on a value such as `!!bool x`: a problem, never a traceback
        raise _refused(
            None, "en værdi kan ikke læses", "Sæt anførselstegn om tekster, og skriv datoer som ÅÅÅÅ-MM-DD."
        ) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        hint = "Skriv hvert felt på sin egen linje med mellemrum efter kolon, fx 'title: Min historie'."
        if isinstance(data, list):
            hint = "Skriv hvert felt på sin egen linje, fx 'title: Min historie' – ikke en liste."
        raise _Stop(2, Code.FM006, "Felterne øverst i filen skal skrives som 'navn: værdi'.", hint)
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value if node is not None else []:
        key = str(key_node.value)
        if key in key_lines:
            what = f"Feltet '{key}' står to gange (også i linje {key_lines[key]})."
            raise _Stop(
                key_node.start_mark.line + 2, Code.FM005, what, "Slet den ene linje, så hvert felt kun står én gang."
            )
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    meta = {str(k): v for k, v in data.items()}
    return Document(
        shown, abs_path, meta, key_lines, item_lines, "\n".join(lines[end + 1 :]), end + 2, text, (1, end + 1)
    )


def parse_document(
    abs_path: Path, shown: str, *, front_matter_required: bool = True
) -> tuple[Document | None, list[Problem]]:
    """The document, or None with the problem that stops it; `front_matter_required=False` (docs/ pages): a file
    without front-matter is all body."""
    try:
        return _split(abs_path, shown, front_matter_required), []
    except _Stop as stop:
        return None, [Problem(shown, *stop.args4)]


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def folder_link_problem(folder: Path, root: Path) -> Problem | None:
    """A folder of stories that is itself a link (to /, to a home folder) would list or publish the machine's files."""
    if not folder.is_symlink():
        return None
    shown = _shown(folder.absolute(), root)
    what = f"Mappen {shown}/ er en genvej (et symbolsk link) og bliver ikke læst."
    return Problem(
        shown, 1, Code.FM001, what, f"Slet genvejen, og lav {shown}/ som en almindelig mappe med historierne i."
    )


def load_folder(
    folder: Path,
    root: Path,
    *,
    skip: tuple[str, ...] = (),
    parse: Callable[[Path, str], tuple[Document | None, list[Problem]]] | None = None,
) -> LoadResult:
    """Parse every Markdown file in a folder (not recursive), in a stable order. Links are never followed: a link
    would publish a file from outside, a story in a sub-folder would silently never be published."""
    result = LoadResult()
    if not folder.is_dir():
        return result
    folder_shown = _shown(folder, root)
    move = f"Flyt filen direkte ind i mappen {folder_shown}/."
    link = (
        "Filen er en genvej (et symbolsk link) og bliver ikke læst.",
        f"Læg selve filen i mappen {folder_shown}/ i stedet for en genvej til den.",
    )
    for abs_path in sorted(folder.iterdir()):
        shown = _shown(abs_path, root)
        if abs_path.name.startswith(".") or abs_path.name in skip:
            continue
        if abs_path.is_symlink():
            result.problems.append(Problem(shown, 1, Code.FM001, *link))
        elif abs_path.is_dir():
            for dirpath, dirnames, filenames in os.walk(abs_path):  # os.walk follows no links
                dirnames.sort()
                for nested in [Path(dirpath, name) for name in sorted(filenames)] + [
                    Path(dirpath, d) for d in dirnames if Path(dirpath, d).is_symlink()
                ]:
                    if nested.is_symlink():
                        result.problems.append(Problem(_shown(nested, root), 1, Code.FM001, *link))
                    elif nested.suffix.lower() == ".md":
                        what = "Filen ligger i en undermappe og bliver ikke udgivet."
                        result.problems.append(Problem(_shown(nested, root), 1, Code.FM001, what, move))
        elif abs_path.is_file() and abs_path.suffix.lower() != ".md":
            hint = "Giv filen endelsen .md, eller flyt den ud af mappen."
            result.problems.append(Problem(shown, 1, Code.FM001, "Filen er ikke en Markdown-fil (.md).", hint))
        elif abs_path.is_file():
            document, problems = (parse or parse_document)(abs_path, shown)
            result.problems.extend(problems)
            result.documents += [document] if document else []
    return result


def markdown_pages(docs_dir: Path) -> list[str]:
    """Every Markdown page MkDocs will find in docs/ (as src URIs), found as MkDocs finds them: dot-files left out."""
    if not docs_dir.is_dir():
        return []
    found = (path.relative_to(docs_dir) for path in sorted(docs_dir.rglob("*.md")))
    return [path.as_posix() for path in found if not any(part.startswith(".") for part in path.parts)]
