"""The command line's foundations: a Danish argparse (help, usage and its own errors), the commands' shape,
and how a command finds the project. Only public argparse API is used: a HelpFormatter subclass for the usage
prefix, our own argument groups and -h for the titles, and `ArgumentParser.error` for the messages."""

from __future__ import annotations

import argparse
import errno
import re
import shlex
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

PROG = "python -m frisaettelse"
CONFIG_NAME = "mkdocs.yml"

# argparse's own messages (Python 3.11–3.14), already formatted, and their Danish wording.
_WORDING = (
    (r"the following arguments are required: (?P<a>.*)", r"følgende argumenter kræves: \g<a>"),
    (r"unrecognized arguments: (?P<a>.*)", r"ukendte argumenter: \g<a>"),
    (r"invalid choice: (?P<a>.*?) \(choose from (?P<b>.*)\)", r"ugyldigt valg: \g<a> (vælg mellem \g<b>)"),
    (r"expected one argument", r"skal have en værdi efter sig"),
    (r"expected at most one argument", r"må højst have én værdi efter sig"),
    (r"expected at least one argument", r"skal have mindst én værdi efter sig"),
    (r"expected (?P<a>\d+) arguments?", r"skal have \g<a> værdier efter sig"),
    (r"invalid (?P<a>\S+) value: (?P<b>.*)", r"ugyldig værdi: \g<b>"),
    (r"ambiguous option: (?P<a>\S+) could match (?P<b>.*)", r"\g<a> er tvetydigt og kan betyde \g<b>"),
    (r"not allowed with argument (?P<a>.*)", r"kan ikke bruges sammen med \g<a>"),
    (r"one of the arguments (?P<a>.*) is required", r"et af argumenterne \g<a> kræves"),
    (r"ignored explicit argument (?P<a>.*)", r"tager ingen værdi, men fik \g<a>"),
    (r"unexpected option string: (?P<a>.*)", r"uventet valgmulighed: \g<a>"),
)
_MESSAGES = tuple((re.compile(pattern, re.DOTALL), wording) for pattern, wording in _WORDING)
_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<message>.*)", re.DOTALL)


def danish(message: str) -> str:
    """argparse's English error message in Danish; an unknown message is kept as it is."""
    prefix = ""
    match = _ARGUMENT.fullmatch(message)
    if match:
        prefix, message = f"{match.group('name')}: ", match.group("message")
    for pattern, wording in _MESSAGES:
        if pattern.fullmatch(message):
            return prefix + pattern.sub(wording, message)
    return prefix + message


def how_to_run(command: str) -> str:
    """`command` as it can be typed from the working folder: with this Python, which has the package installed.

    A bare `python -m frisaettelse` outside the venv only gives Python's English ModuleNotFoundError.
    """
    python = Path(sys.executable)
    try:
        shown = python.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        shown = str(python)
    return f"{shlex.quote(shown)} -m frisaettelse {command}"


class DanishHelpFormatter(argparse.HelpFormatter):
    """Usage lines start with 'brug:' (argparse passes prefix=None when it wants its own English word)."""

    def add_usage(
        self, usage: str | None, actions: Iterable[argparse.Action], groups: Iterable[Any], prefix: str | None = None
    ) -> None:
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class DanishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish: own groups (titles), own -h/--hjaelp, Danish errors.

    Arguments go in through `positional()` and `option()`; argparse's own (English-titled) groups stay empty
    and are therefore never printed. Sub-parsers made by `add_subparsers` are of this class too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", DanishHelpFormatter)
        super().__init__(*args, **kwargs)
        self.positionals = self.add_argument_group("positionelle argumenter")
        self.options = self.add_argument_group("valgmuligheder")
        self.options.add_argument(
            "-h", "--hjaelp", action="help", default=argparse.SUPPRESS, help="Vis denne hjælp, og stop."
        )
        self.options.add_argument("--help", action="help", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def positional(self, *args: Any, **kwargs: Any) -> argparse.Action:
        return self.positionals.add_argument(*args, **kwargs)

    def option(self, *args: Any, **kwargs: Any) -> argparse.Action:
        return self.options.add_argument(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {danish(message)}\nSkriv '{self.prog} -h' for at se hjælpen.\n")


@dataclass(frozen=True)
class Command:
    """One sub-command: its Danish name, what it does (one line), how it runs and which arguments it takes."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    configure: Callable[[DanishArgumentParser], None] = lambda parser: None
    aliases: tuple[str, ...] = field(default=())
    description: str = ""


class UsageError(Exception):
    """The command cannot start (no project, bad address …): one Danish line, exit code 2."""


def add_project_option(parser: DanishArgumentParser) -> None:
    """`--projekt` (alias `--root`, kept for scripts written before the language rule)."""
    parser.option(
        "--projekt",
        dest="root",
        metavar="MAPPE",
        default=None,
        help="Projektets mappe (den med mkdocs.yml). Standard: den mappe, du står i, eller en over den.",
    )
    parser.option("--root", dest="root", default=None, help=argparse.SUPPRESS)


def find_root(start: Path) -> Path | None:
    """The nearest folder from `start` upwards that holds mkdocs.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def project_root(args: argparse.Namespace) -> Path:
    """The project the command works on: `--projekt` as given, else found upwards from the working folder."""
    given = getattr(args, "root", None)
    if given is not None:
        root = Path(given).expanduser()
        if not (root / CONFIG_NAME).is_file():
            raise UsageError(
                f"Mappen {given} er ikke projektets mappe: der er ingen {CONFIG_NAME} i den. "
                f"Skriv stien til mappen med {CONFIG_NAME}, fx --projekt ~/frisaettelse."
            )
        return root
    try:
        here = Path.cwd()
    except OSError as error:
        raise UsageError("Den mappe, du står i, findes ikke længere. Gå til projektets mappe, og prøv igen.") from error
    found = find_root(here)
    if found is None:
        raise UsageError(
            f"Her er intet projekt: hverken {here} eller mapperne over den har en {CONFIG_NAME}. "
            f"Gå til projektets mappe, eller angiv den med --projekt MAPPE."
        )
    return found


_OS_REASONS = {
    errno.ENOENT: "den findes ikke",
    errno.EACCES: "du har ikke adgang til den",
    errno.EPERM: "du har ikke adgang til den",
    errno.EISDIR: "det er en mappe, ikke en fil",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EEXIST: "den findes allerede",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "den ligger på et drev, der ikke kan skrives på",
    errno.ENAMETOOLONG: "navnet er for langt",
}


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in Danish (the system's own text when the cause is unusual)."""
    return _OS_REASONS.get(error.errno or -1) or error.strerror or type(error).__name__
