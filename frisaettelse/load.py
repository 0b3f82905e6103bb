"""Step 1: read Markdown files and their YAML front-matter, keeping line numbers. The only reader of front-matter:
MkDocs silently drops what it cannot parse, so the plugin hands it the body and these fields, never the file."""

from __future__ import annotations

import functools
import os
import posixpath
import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
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
    body_line: int  # line number of the first body line: 1 without front-matter, after its closing `---` with it
    text: str

    def line_of(self, key: str, item: int | None = None) -> int:
        if item is not None and item < len(self.item_lines.get(key, [])):
            return self.item_lines[key][item]
        return self.key_lines.get(key, 1)


_TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


@functools.lru_cache(maxsize=16384)  # tags and names are slugified on every page that shows them
def slugify(name: str) -> str:
    """A stable URL segment from a file name or title: æ→ae, ø→oe, å→aa, other accents dropped."""
    text = name.translate(_TRANSLITERATE).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_TEXTS = tomllib.loads((Path(__file__).parent / "beskeder.toml").read_text("utf-8"))


def texts(table: str) -> list[list[str]]:
    """The rows of a table of the readers' Danish messages (beskeder.toml), split into their parts."""
    return [row.split(" | ") for row in _TEXTS[table].strip("\n").splitlines()]


_MESSAGES = {name: (Code[code], what, hint) for name, code, what, hint in texts("fil")}
_YAML_ERRORS = texts("yaml")


class _Stop(Exception):
    """What stops a file from being read: its one Problem, by name in _MESSAGES."""

    def __init__(self, line: int, name: str, **fields: Any) -> None:
        code, what, hint = _MESSAGES[name]
        super().__init__(line, code, what.format(**fields), hint.format(**fields))


def _yaml_stop(error: Any, ours: str = "") -> _Stop:
    """The row of _YAML_ERRORS for our refusal or the error's context and problem, at the line the row blames."""
    context, problem = (ours, "") if ours else (str(getattr(error, part, "") or "") for part in ("context", "problem"))
    _, _, blame, what, hint = next(row for row in _YAML_ERRORS if row[0] in context and row[1] in problem)
    problem_mark, context_mark = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    mark = (context_mark if blame == "c" else None) or problem_mark or context_mark
    return _Stop(mark.line + 2 if mark is not None else 2, "yaml", what=what, hint=hint)


def _read_text(abs_path: Path) -> str:
    """A contributor's file read defensively: size, binary content, encoding, BOM and CRLF."""
    try:
        if (size := abs_path.stat().st_size) > MAX_FILE_BYTES:
            raise _Stop(1, "big", size=size // 1000, limit=MAX_FILE_BYTES // 1000)
        raw = abs_path.read_bytes()
    except OSError as error:
        raise _Stop(1, "unreadable", reason=error.strerror) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Stop(1, "utf16")
    if b"\x00" in raw:
        raise _Stop(1, "binary")
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        raise _Stop(raw[: error.start].count(b"\n") + 1, "not_utf8") from None


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same result, much faster


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading; a value YAML cannot turn into Python (30 February, a 5,000-digit number) stays text."""

    def construct_or_text(self, node: yaml.ScalarNode) -> Any:
        construct = getattr(yaml.constructor.SafeConstructor, f"construct_yaml_{node.tag.rpartition(':')[2]}")
        try:
            value = construct(self, node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)
        # 0x/0o/0b give ints of any size; one too big for str() (over 4,300 digits) stays text as well
        return self.construct_scalar(node) if isinstance(value, int) and value.bit_length() > 14_000 else value


for _tag in ("timestamp", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_or_text)
_OPEN = tuple(
    getattr(yaml, f"{kind}StartToken") for kind in ("BlockMapping", "BlockSequence", "FlowMapping", "FlowSequence")
)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def _screen_tokens(yaml_text: str) -> None:
    """Refuse anchors and aliases ("billion laughs") and deep nesting from the tokens, before any value is built."""
    loader, depth = _BaseLoader(yaml_text), 0
    try:
        while loader.check_token():
            token = loader.get_token()
            depth += isinstance(token, _OPEN) - isinstance(token, _CLOSE)
            anchor = isinstance(token, (yaml.AnchorToken, yaml.AliasToken))
            if anchor or depth > MAX_YAML_DEPTH:
                raise _yaml_stop(yaml.MarkedYAMLError(problem_mark=token.start_mark), "@anchor" if anchor else "@deep")
    except yaml.YAMLError as error:  # libyaml's own nesting limit is reported like ours
        if "nesting depth" in str(error) and getattr(error, "problem_mark", None) is not None:
            raise _yaml_stop(error, "@deep") from None
        raise _explained(yaml_text, error) from None
    finally:
        loader.dispose()


def _explained(yaml_text: str, error: yaml.YAMLError) -> _Stop:
    try:
        yaml.compose(yaml_text, Loader=yaml.SafeLoader)  # the pure-Python parser's wording
    except yaml.YAMLError as python_error:
        error = python_error
    except RecursionError:  # libyaml stopped where the pure-Python parser nests on
        return _yaml_stop(None, "@recursion")
    return _yaml_stop(error)


# MkDocs' own split (mkdocs/utils/meta.py YAML_RE): `---` at column 0 opens, the first `---` or `...` at column 0
# closes, spaces and tabs after them allowed. A line any reader could take for a marker but that rule would not
# (indented, another space, a comment after it), or a `...` end, is refused: every reader must split at the same line.
_OPEN_OR_CLOSE = re.compile(r"---[ \t]*")
_LOOKS_LIKE_MARKER = re.compile(r"\s*(?:---|\.\.\.)\s*|(?:---|\.\.\.)(?:\s.*)?", re.DOTALL)
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML, not to the line-based split


def _split(abs_path: Path, shown: str) -> Document:
    text = _read_text(abs_path)
    lines = text.split("\n")
    if not text.strip():
        raise _Stop(1, "empty")
    if not _OPEN_OR_CLOSE.fullmatch(lines[0]):
        if _LOOKS_LIKE_MARKER.fullmatch(lines[0]):
            raise _Stop(1, "marker", where="begynder")
        return Document(shown, abs_path, {}, {}, {}, text, 1, text)
    end = next((i for i in range(1, len(lines)) if _LOOKS_LIKE_MARKER.fullmatch(lines[i])), None)
    if end is None:
        raise _Stop(1, "not_ended")
    if not _OPEN_OR_CLOSE.fullmatch(lines[end]):
        raise _Stop(end + 1, "marker", where="slutter")
    yaml_text = "\n".join(lines[1:end])
    if found := _YAML_ONLY_BREAK.search(yaml_text):  # YAML starts a new line there, an editor shows none
        raise _Stop(yaml_text.count("\n", 0, found.start()) + 2, "line_break", char=ord(found.group()))
    _screen_tokens(yaml_text)
    loader = _Loader(yaml_text)
    try:  # parse once: the node tree gives line numbers, the constructed data gives values
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        raise _explained(yaml_text, error) from None
    except Exception:  # a constructor's own error on a value such as `!!bool x`: a problem, never a traceback
        raise _yaml_stop(None, "@value") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, (yaml.MappingNode, type(None))):
        raise _Stop(2, "a_list" if isinstance(data, list) else "not_a_map")
    key_lines: dict[str, int] = {}
    item_lines: dict[str, list[int]] = {}
    for key_node, value_node in node.value if node is not None else []:
        key = str(key_node.value)
        if key in key_lines:
            raise _Stop(key_node.start_mark.line + 2, "twice", key=key, first=key_lines[key])
        key_lines[key] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = [item.start_mark.line + 2 for item in value_node.value]
    meta = {str(k): v for k, v in data.items()}
    return Document(shown, abs_path, meta, key_lines, item_lines, "\n".join(lines[end + 1 :]), end + 2, text)


Read = tuple[Document | None, list[Problem]]


def parse_document(abs_path: Path, shown: str, *, front_matter_required: bool = True) -> Read:
    """The document, or None with the problem that stops it; without front-matter (a docs page) all body."""
    try:
        read: Read = _split(abs_path, shown), []
    except _Stop as stop:
        read = None, [Problem(shown, *stop.args)]
    return with_fields(read) if front_matter_required else read


def with_fields(read: Read) -> Read:
    """A file read as a docs page (`front_matter_required=False`), as a story or concept page: fields required."""
    document = read[0]
    return (None, [_problem(document.path, "no_fields")]) if document and document.body_line == 1 else read


def _problem(path: str, name: str, **fields: Any) -> Problem:
    return Problem(path, *_Stop(1, name, **fields).args)


def relative(path: Path, root: Path) -> str:
    """A path as messages show it: from the project root."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def folder_link_problem(folder: Path, root: Path) -> Problem | None:
    """A folder of stories that is itself a link (to /, to a home folder) would list or publish the machine's files."""
    shown = relative(folder.absolute(), root)
    return _problem(shown, "folder_link", folder=shown) if folder.is_symlink() else None


def load_folder(
    folder: Path, root: Path, *, skip: tuple[str, ...] = (), parse: Callable[[Path, str], Read] = parse_document
) -> tuple[list[Document], list[Problem]]:
    """Every Markdown file in a folder, sorted; a link (it would publish a file from outside) or sub-folder refused."""
    documents: list[Document] = []
    problems: list[Problem] = []
    base = relative(folder, root)  # one path computation a folder, and one stat a file: a preview rebuild reads 5,000
    for entry in sorted(os.scandir(folder), key=lambda e: e.name) if folder.is_dir() else []:
        abs_path, shown = Path(entry.path), posixpath.normpath(f"{base}/{entry.name}")
        if entry.name.startswith(".") or entry.name in skip:
            continue
        if entry.is_symlink() or entry.is_dir():  # a link, or a sub-folder: its links and Markdown files
            for inner in [abs_path] if entry.is_symlink() else sorted(abs_path.rglob("*")):  # rglob follows no links
                if inner.is_symlink() or (inner.suffix.lower() == ".md" and not inner.is_dir()):
                    name = "link" if inner.is_symlink() else "nested"
                    problems.append(_problem(relative(inner, root), name, folder=base))
        elif entry.is_file() and abs_path.suffix.lower() != ".md":
            problems.append(_problem(shown, "not_md"))
        elif entry.is_file():
            document, found = parse(abs_path, shown)
            problems += found
            documents += [document] if document else []
    return documents, problems


def markdown_pages(docs_dir: Path) -> list[str]:
    """Every Markdown page MkDocs will find in docs/ (as src URIs), found as MkDocs finds them: dot-files left out."""
    if not docs_dir.is_dir():
        return []
    found = (path.relative_to(docs_dir) for path in sorted(docs_dir.rglob("*.md")))
    return [path.as_posix() for path in found if not any(part.startswith(".") for part in path.parts)]
