"""Step 1 of the data flow: read Markdown files and their YAML front-matter, keeping line numbers.

MkDocs silently drops front-matter it cannot parse, so we parse it ourselves and report every
failure as a problem instead of a page without metadata. This is the only reader of front-matter: the plugin hands
MkDocs the body and these fields, never the file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
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
        """The line to blame for a key (or one item of a list), falling back to the front-matter's start."""
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


def read_text(abs_path: Path, shown: str) -> tuple[str | None, Problem | None]:
    """Read a contributor's file defensively: size, binary content, encoding, BOM and CRLF."""
    try:
        size = abs_path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, Problem(
                shown,
                1,
                Code.FM001,
                f"Filen er for stor ({size // 1000} kB; højst {MAX_FILE_BYTES // 1000} kB).",
                "En historie er tekst på en side eller to; fjern indsatte billeder eller data.",
            )
        raw = abs_path.read_bytes()
    except OSError as error:
        return None, Problem(
            shown, 1, Code.FM001, f"Filen kan ikke læses ({error.strerror}).", "Tjek at filen findes og kan læses."
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(
            shown,
            1,
            Code.FM001,
            "Filen er gemt som UTF-16 (‘Unicode’), ikke som UTF-8.",
            "Gem filen igen med tegnsættet UTF-8, så æ, ø og å kommer med.",
        )
    if b"\x00" in raw:
        return None, Problem(
            shown,
            1,
            Code.FM001,
            "Filen er ikke en tekstfil (den indeholder binære data).",
            "Gem historien som almindelig tekst (Markdown, .md) med UTF-8.",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Problem(
            shown,
            line,
            Code.FM001,
            "Filen er ikke gemt som UTF-8.",
            "Gem filen igen med tegnsættet UTF-8, så æ, ø og å kommer med.",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


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


for _tag, _method in (
    ("timestamp", "construct_yaml_timestamp"),
    ("int", "construct_yaml_int"),
    ("float", "construct_yaml_float"),
):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _or_text(getattr(yaml.constructor.SafeConstructor, _method)))

_OPEN = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


class _Refused(Exception):
    """Front-matter that is valid YAML but not allowed in a story: reported with the line of the cause."""

    def __init__(self, line: int, what: str, hint: str) -> None:
        super().__init__(what)
        self.line, self.what, self.hint = line, what, hint


_TOO_DEEP = (
    "for mange lister eller felter inde i hinanden",
    "Skriv hvert felt som 'navn: værdi' på sin egen linje og lister som [kerneopgaven, hverdagsinnovation].",
)


def _next_token(loader: Any) -> bool:
    """Whether there is another token; libyaml's own nesting limit is reported like ours, at its line."""
    try:
        return bool(loader.check_token())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        if "nesting depth" in str(error) and mark is not None:
            raise _Refused(mark.line + 2, *_TOO_DEEP) from None
        raise


def _screen_tokens(yaml_text: str) -> None:
    """Refuse anchors, aliases and deep nesting from the token stream, before any value is built.

    A list of tags written with an anchor and thousands of aliases ("billion laughs") would become millions of
    values; nesting hundreds deep breaks the parser. Tokens come one at a time, so this costs the length of the text.
    """
    loader = _BaseLoader(yaml_text)
    depth = 0
    try:
        while _next_token(loader):
            token = loader.get_token()
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise _Refused(
                    token.start_mark.line + 2,
                    "et &- eller *-tegn i starten af en værdi",
                    'Sæt anførselstegn om teksten, fx title: "*Vigtigt*". '
                    "Ankre og henvisninger (& og *) kan ikke bruges i en historie.",
                )
            if isinstance(token, _OPEN):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise _Refused(token.start_mark.line + 2, *_TOO_DEEP)
            elif isinstance(token, _CLOSE):
                depth -= 1
    finally:
        loader.dispose()


def _compose_and_construct(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree gives line numbers, the constructed data gives values."""
    _screen_tokens(yaml_text)
    loader = _Loader(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _too_deep(shown: str) -> Problem:
    return Problem(
        shown,
        2,
        Code.FM005,
        "Felterne øverst i filen kan ikke læses (for dybt indlejret).",
        "Skriv hvert felt som 'navn: værdi' på sin egen linje.",
    )


def _python_error(yaml_text: str) -> yaml.YAMLError | None:
    """libyaml words its errors differently; the explanations below are keyed to the pure-Python parser's."""
    try:
        yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return error
    return None


# PyYAML's English problems, said in Danish with a fix; keyed by (context, problem) fragments.
_YAML_ERRORS: tuple[tuple[str, str, bool, str, str], ...] = (
    # context fragment, problem fragment, blame the context's line?, what, hint
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
    (
        "simple key",
        "",
        True,
        "en linje mangler kolon efter feltnavnet",
        "Skriv hvert felt som 'navn: værdi' på sin egen linje.",
    ),
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
    (
        "",
        "undefined alias",
        False,
        "et *-tegn i starten af en værdi",
        'Sæt anførselstegn om teksten, fx title: "*Vigtigt*".',
    ),
    (
        "",
        "constructor for the tag",
        False,
        "et !-tegn i starten af en værdi",
        'Sæt anførselstegn om teksten, fx title: "!Vigtigt".',
    ),
)


def _explain_yaml_error(error: yaml.YAMLError) -> tuple[int, str, str]:
    """Line (in the file), what is wrong and how to fix it, in Danish, for a YAML error."""
    context = str(getattr(error, "context", "") or "")
    problem = str(getattr(error, "problem", "") or "")
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    for context_part, problem_part, blame_context, what, hint in _YAML_ERRORS:
        if context_part in context and problem_part in problem:
            mark = (context_mark if blame_context else problem_mark) or problem_mark or context_mark
            return (mark.line + 2 if mark is not None else 2), what, hint
    mark = problem_mark or context_mark
    return (
        (mark.line + 2) if mark is not None else 2,
        "skrivemåden passer ikke",
        "Tjek kolon efter hvert feltnavn, indrykning og anførselstegn om tekst med kolon.",
    )


# MkDocs' own split (mkdocs/utils/meta.py YAML_RE): `---` at column 0 opens, the first `---` or `...` at column 0
# closes, spaces and tabs after them allowed. A line a person, YAML or `str.strip()` would read as a marker but that
# rule would not (indented, another kind of space, a comment after it), or a `...` end, is refused: every reader
# of the file must end the front-matter at the same line.
_OPEN_OR_CLOSE = re.compile(r"---[ \t]*")
_LOOKS_LIKE_MARKER = re.compile(r"\s*(?:---|\.\.\.)\s*|(?:---|\.\.\.)(?:\s.*)?", re.DOTALL)


_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML, not to the line-based split above


def _unclear_marker(shown: str, line: int, first: bool) -> Problem:
    what = "begynder" if first else "slutter"
    return Problem(
        shown,
        line,
        Code.FM002,
        f"Linjen ligner den linje, hvor felterne øverst i filen {what}, men den er ikke præcis '---'.",
        "Skriv tre bindestreger '---' helt ude til venstre og intet andet på linjen (slet mellemrum foran, "
        "kommentarer og '...'). Står linjen i en tekst, så omformulér den.",
    )


def parse_document(
    abs_path: Path, shown: str, *, front_matter_required: bool = True
) -> tuple[Document | None, list[Problem]]:
    """Split and parse one file; return the document, or None with the problems that stop it.

    This is the only reader of front-matter: MkDocs gets the body and the fields from it (the plugin), never the
    file. `front_matter_required=False` (pages in docs/): a file without front-matter is all body."""
    text, problem = read_text(abs_path, shown)
    if problem:
        return None, [problem]
    assert text is not None
    lines = text.split("\n")
    if not text.strip():
        return None, [
            Problem(shown, 1, Code.FM002, "Filen er tom.", "Start filen med felterne mellem to linjer med '---'.")
        ]
    if not _OPEN_OR_CLOSE.fullmatch(lines[0]):
        if _LOOKS_LIKE_MARKER.fullmatch(lines[0]):
            return None, [_unclear_marker(shown, 1, first=True)]
        if not front_matter_required:
            return Document(shown, abs_path, {}, {}, {}, text, 1, text, (1, 0)), []
        return None, [
            Problem(
                shown,
                1,
                Code.FM002,
                "Filen mangler felterne øverst (mellem to linjer med '---').",
                "Første linje skal være '---', derefter felterne og så en linje med '---'.",
            )
        ]
    end = next((i for i in range(1, len(lines)) if _LOOKS_LIKE_MARKER.fullmatch(lines[i])), None)
    if end is None:
        return None, [
            Problem(
                shown,
                1,
                Code.FM002,
                "Felterne øverst i filen bliver ikke afsluttet.",
                "Tilføj en linje med '---' efter det sidste felt.",
            )
        ]
    if not _OPEN_OR_CLOSE.fullmatch(lines[end]):
        return None, [_unclear_marker(shown, end + 1, first=False)]
    yaml_text = "\n".join(lines[1:end])
    if found := _YAML_ONLY_BREAK.search(yaml_text):  # YAML starts a new line there, an editor shows none
        return None, [
            Problem(
                shown,
                yaml_text.count("\n", 0, found.start()) + 2,
                Code.FM040,
                f"Felterne øverst i filen indeholder et usynligt linjeskift (U+{ord(found.group()):04X}), som "
                "læses som en ny linje.",
                "Slet tegnet, og skriv hvert felt på sin egen linje.",
            )
        ]
    try:
        node, data = _compose_and_construct(yaml_text)
    except yaml.YAMLError as error:
        try:
            line, what, hint = _explain_yaml_error(_python_error(yaml_text) or error)
        except RecursionError:
            return None, [_too_deep(shown)]
        return None, [Problem(shown, line, Code.FM005, f"Felterne øverst i filen kan ikke læses ({what}).", hint)]
    except _Refused as refused:
        return None, [
            Problem(
                shown,
                refused.line,
                Code.FM005,
                f"Felterne øverst i filen kan ikke læses ({refused.what}).",
                refused.hint,
            )
        ]
    except (RecursionError, MemoryError):
        return None, [_too_deep(shown)]
    except (ValueError, TypeError, OverflowError):
        return None, [
            Problem(
                shown,
                2,
                Code.FM005,
                "Felterne øverst i filen kan ikke læses (en værdi kan ikke læses).",
                "Sæt anførselstegn om tekster, og skriv datoer som ÅÅÅÅ-MM-DD.",
            )
        ]
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        hint = (
            "Skriv hvert felt på sin egen linje, fx 'title: Min historie' – ikke en liste."
            if isinstance(data, list)
            else "Skriv hvert felt på sin egen linje med mellemrum efter kolon, fx 'title: Min historie'."
        )
        return None, [Problem(shown, 2, Code.FM006, "Felterne øverst i filen skal skrives som 'navn: værdi'.", hint)]
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value if node is not None else []:
        key = str(key_node.value)
        if key in key_lines:
            return None, [
                Problem(
                    shown,
                    key_node.start_mark.line + 2,
                    Code.FM005,
                    f"Feltet '{key}' står to gange (også i linje {key_lines[key]}).",
                    "Slet den ene linje, så hvert felt kun står én gang.",
                )
            ]
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    document = Document(
        path=shown,
        abs_path=abs_path,
        meta={str(k): v for k, v in data.items()},
        key_lines=key_lines,
        item_lines=item_lines,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        text=text,
        front_matter_lines=(1, end + 1),
    )
    return document, []


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _symlink_problem(shown: str, folder_shown: str) -> Problem:
    return Problem(
        shown,
        1,
        Code.FM001,
        "Filen er en genvej (et symbolsk link) og bliver ikke læst.",
        f"Læg selve filen i mappen {folder_shown}/ i stedet for en genvej til den.",
    )


def folder_link_problem(folder: Path, root: Path) -> Problem | None:
    """A folder of stories that is itself a link (to /, to a home folder) would list or publish the machine's files."""
    if not folder.is_symlink():
        return None
    shown = _shown(folder.absolute(), root)
    return Problem(
        shown,
        1,
        Code.FM001,
        f"Mappen {shown}/ er en genvej (et symbolsk link) og bliver ikke læst.",
        f"Slet genvejen, og lav {shown}/ som en almindelig mappe med historierne i.",
    )


def _nested_files(folder: Path) -> Iterator[Path]:
    """Every file and link below a sub-folder, without following links (a link to / must not list the machine)."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        dirnames.sort()
        for name in sorted(filenames) + sorted(d for d in dirnames if (base / d).is_symlink()):
            yield base / name


def load_folder(
    folder: Path,
    root: Path,
    *,
    skip: tuple[str, ...] = (),
    parse: Callable[[Path, str], tuple[Document | None, list[Problem]]] | None = None,
) -> LoadResult:
    """Parse every Markdown file in a folder (not recursive), in a stable order. Links are never followed."""
    result = LoadResult()
    if not folder.is_dir():
        return result
    folder_shown = _shown(folder, root)
    for abs_path in sorted(folder.iterdir()):
        if abs_path.name.startswith(".") or abs_path.name in skip:
            continue
        shown = _shown(abs_path, root)
        if abs_path.is_symlink():
            # A link to a file outside the project would publish it; a link to / would list the machine.
            result.problems.append(_symlink_problem(shown, folder_shown))
            continue
        if abs_path.is_dir():
            # A story saved in a sub-folder would silently never be published: say so instead.
            for nested in _nested_files(abs_path):
                nested_shown = _shown(nested, root)
                if nested.is_symlink():
                    result.problems.append(_symlink_problem(nested_shown, folder_shown))
                elif nested.suffix.lower() == ".md":
                    result.problems.append(
                        Problem(
                            nested_shown,
                            1,
                            Code.FM001,
                            "Filen ligger i en undermappe og bliver ikke udgivet.",
                            f"Flyt filen direkte ind i mappen {folder_shown}/.",
                        )
                    )
            continue
        if not abs_path.is_file():
            continue
        if abs_path.suffix.lower() != ".md":
            result.problems.append(
                Problem(
                    shown,
                    1,
                    Code.FM001,
                    "Filen er ikke en Markdown-fil (.md).",
                    "Giv filen endelsen .md, eller flyt den ud af mappen.",
                )
            )
            continue
        document, problems = (parse or parse_document)(abs_path, shown)
        result.problems.extend(problems)
        if document:
            result.documents.append(document)
    return result


def markdown_pages(docs_dir: Path) -> list[str]:
    """Every Markdown page MkDocs will find in docs/ (as src URIs), found as MkDocs finds them: dot-files left out."""
    if not docs_dir.is_dir():
        return []
    found = []
    for path in sorted(docs_dir.rglob("*.md")):
        relative = path.relative_to(docs_dir)
        if not any(part.startswith(".") for part in relative.parts):
            found.append(relative.as_posix())
    return found
