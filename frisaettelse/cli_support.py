"""The command line's foundations: a Danish argparse (help, usage and its own errors), the commands' shape,
and how a command finds the project."""

from __future__ import annotations

import argparse
import errno
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROG = "python -m frisaettelse"
CONFIG_NAME = "mkdocs.yml"

# argparse asks gettext for every word it prints (`argparse._`, `argparse.ngettext`); these are the message ids
# of Python 3.11–3.13 that the commands can meet, in Danish. An id not here stays as argparse wrote it.
DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "positionelle argumenter",
    "options": "valgmuligheder",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\nSkriv '%(prog)s -h' for at se hjælpen.\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "følgende argumenter kræves: %s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldigt valg: %(value)r (vælg mellem %(choices)s)",
    "expected one argument": "skal have en værdi efter sig",
    "expected at most one argument": "må højst have én værdi efter sig",
    "expected at least one argument": "skal have mindst én værdi efter sig",
    "expected %s argument": "skal have %s værdi efter sig",
    "expected %s arguments": "skal have %s værdier efter sig",
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s er tvetydigt og kan betyde %(matches)s",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "one of the arguments %s is required": "et af argumenterne %s kræves",
    "ignored explicit argument %r": "tager ingen værdi, men fik %r",
    "unexpected option string: %s": "uventet valgmulighed: %s",
}


def danish(message: str) -> str:
    """argparse's message in Danish, installed as its gettext: one place, every message, every Python version."""
    return DANISH.get(message, message)


argparse._ = danish  # type: ignore[attr-defined]
argparse.ngettext = lambda one, many, n: danish(one if n == 1 else many)  # type: ignore[attr-defined]


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


class DanishArgumentParser(argparse.ArgumentParser):
    """argparse with `-h`/`--hjaelp` in the help and `--help` kept working but not shown."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "add_help": False})
        self.add_argument("-h", "--hjaelp", action="help", help="Vis denne hjælp, og stop.")
        self.add_argument("--help", action="help", help=argparse.SUPPRESS)


@dataclass(frozen=True)
class Command:
    """One sub-command: its Danish name, what it does (one line), how it runs and which arguments it takes."""

    name: str
    help: str
    run: Callable[[argparse.Namespace], int]
    configure: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    aliases: tuple[str, ...] = field(default=())
    description: str = ""


class UsageError(Exception):
    """The command cannot start (no project, bad address …): one Danish line, exit code 2."""


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
