"""Contributor commands: `ny` (scaffold a story), `fra-issue` (issue form → story file), `issue-formular`.

Every message is Danish and says what to do next; nothing here ever prints a traceback (cli.main catches the rest).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import BinaryIO

from .addresses import story_url
from .cli_support import Command, how_to_run, os_reason, project_root
from .issue_form import FORM_PATH, PersonalDataError, form_yaml, write_from_issue
from .pipeline import build_index
from .scaffold import ScaffoldError, new_story
from .schema import MAX_FILE_BYTES


def cmd_new(args: argparse.Namespace) -> int:
    root = project_root(args)
    try:
        created = new_story(root, " ".join(args.titel or []), index=build_index(root))
    except (ScaffoldError, OSError) as error:
        return _not_saved(root, error)
    print(
        f"Historien er oprettet: {_shown(created.path, root)}\n"
        f"Adressen bliver: {story_url(created.slug)}\n\n"
        f"Næste skridt: åbn filen, udfyld de tomme felter ({', '.join(created.missing)}) og skriv historien "
        f"under felterne. Hvert felt har en forklaring lige over sig.\n"
        f"Tjek den bagefter med: {how_to_run('tjek')}"
    )
    return 0


def _not_saved(root: Path, error: ScaffoldError | OSError) -> int:
    """One Danish line on why no story was written, and the exit code (the workflow labels personal data)."""
    print(
        f"Historien kan ikke gemmes i {root / 'cases'}: {os_reason(error)}." if isinstance(error, OSError) else error,
        file=sys.stderr,
    )
    return PERSONAL_DATA if isinstance(error, PersonalDataError) else 1


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def read_limited(stream: BinaryIO, limit: int) -> bytes | None:
    """At most `limit` bytes; None when there is more (an issue is never that long, a mistaken file may be)."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


PERSONAL_DATA = 3  # fra-issue's exit code when the issue looks like it holds personal data


def cmd_from_issue(args: argparse.Namespace) -> int:
    root = project_root(args)
    try:
        if args.fil:
            with open(args.fil, "rb") as stream:
                raw = read_limited(stream, MAX_FILE_BYTES)
        else:
            raw = read_limited(sys.stdin.buffer, MAX_FILE_BYTES)
    except OSError as error:
        print(f"Issuet kan ikke læses fra {args.fil or 'standard input'}: {os_reason(error)}.", file=sys.stderr)
        return 1
    if raw is None:
        print(
            f"Issuet er for langt (mere end {MAX_FILE_BYTES // 1000} kB). En historie er tekst på en side eller to.",
            file=sys.stderr,
        )
        return 1
    try:
        path = write_from_issue(root, raw.decode("utf-8", errors="replace"), number=args.nummer)
    except (ScaffoldError, OSError) as error:
        return _not_saved(root, error)
    shown = _shown(path, root)
    print(shown)  # stdout: only the path, for the workflow
    print(f"Historien er skrevet til {shown}. Tjek den med: {how_to_run('tjek')}", file=sys.stderr)
    return 0


def cmd_issue_form(args: argparse.Namespace) -> int:
    root = project_root(args)
    text = form_yaml(build_index(root))
    if args.skriv:
        target = root / FORM_PATH
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"{FORM_PATH} kan ikke skrives: {os_reason(error)}.", file=sys.stderr)
            return 1
        print(f"Skrev {FORM_PATH}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _configure_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("titel", nargs="*", help='Historiens titel i anførselstegn, fx "Fri fra skemaet".')


def _configure_from_issue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fil", metavar="FIL", help="Læs issuet fra denne fil i stedet for fra standard input.")
    parser.add_argument(
        "--nummer", metavar="NUMMER", help="Issuets nummer (bruges til filnavnet, hvis titlen mangler)."
    )


def _configure_issue_form(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skriv", action="store_true", help=f"Skriv {FORM_PATH} i stedet for at vise den.")


CONTRIBUTE_COMMANDS: tuple[Command, ...] = (
    Command("ny", "Opret en ny historie i cases/ med alle felter og en forklaring til hvert.", cmd_new, _configure_new),
    Command(
        "fra-issue",
        "Lav en historie om til en fil i cases/ ud fra et issue fra formularen.",
        cmd_from_issue,
        _configure_from_issue,
    ),
    Command(
        "issue-formular", "Skriv issue-formularen 'Ny historie' ud fra skemaet.", cmd_issue_form, _configure_issue_form
    ),
)
