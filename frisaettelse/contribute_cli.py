"""Contributor commands: `ny` (scaffold a story), `fra-issue` (issue form → story file), `issue-formular`.

Every message is Danish and says what to do next; nothing here ever prints a traceback (cli.main catches the rest).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from .index import build_index
from .issue_form import FORM_PATH, form_yaml, write_from_issue
from .addresses import story_url
from .scaffold import ScaffoldError, new_story


def cmd_new(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        created = new_story(root, " ".join(args.titel or []))
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return 1
    shown = created.path.relative_to(root).as_posix() if created.path.is_relative_to(root) else created.path
    print(f"Historien er oprettet: {shown}\n"
          f"Adressen bliver: {story_url(created.slug)}\n\n"
          f"Næste skridt: åbn filen, udfyld de tomme felter ({', '.join(created.missing)}) og skriv historien "
          f"under felterne. Hvert felt har en forklaring lige over sig.\n"
          f"Tjek den bagefter med: python -m frisaettelse check")
    return 0


def cmd_from_issue(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        if args.fil:
            body = Path(args.fil).read_text(encoding="utf-8", errors="replace")
        else:
            body = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        path = write_from_issue(root, body, number=args.nummer)
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Issuet kan ikke læses fra filen {args.fil} ({error.strerror}).", file=sys.stderr)
        return 1
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    print(shown)  # stdout: only the path, for the workflow
    print(f"Historien er skrevet til {shown}. Tjek den med: python -m frisaettelse check", file=sys.stderr)
    return 0


def cmd_issue_form(args: argparse.Namespace) -> int:
    root = Path(args.root)
    text = form_yaml(build_index(root))
    if args.skriv:
        target = root / FORM_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"Skrev {FORM_PATH}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


CONTRIBUTE_COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "ny": (cmd_new, "Opret en ny historie i cases/ med alle felter og en forklaring til hvert."),
    "fra-issue": (cmd_from_issue, "Lav en historie om til en fil i cases/ ud fra et issue fra formularen."),
    "issue-formular": (cmd_issue_form, "Skriv issue-formularen 'Ny historie' ud fra skemaet."),
}


def add_contribute_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    new = sub.add_parser("ny", help=CONTRIBUTE_COMMANDS["ny"][1])
    new.add_argument("titel", nargs="*", help='Historiens titel i anførselstegn, fx "Fri fra skemaet".')
    new.add_argument("--root", default=".", help="Projektets rodmappe (med cases/).")
    issue = sub.add_parser("fra-issue", help=CONTRIBUTE_COMMANDS["fra-issue"][1])
    issue.add_argument("--fil", help="Læs issuet fra denne fil i stedet for fra standard input.")
    issue.add_argument("--nummer", help="Issuets nummer (bruges til filnavnet, hvis titlen mangler).")
    issue.add_argument("--root", default=".", help="Projektets rodmappe (med cases/).")
    form = sub.add_parser("issue-formular", help=CONTRIBUTE_COMMANDS["issue-formular"][1])
    form.add_argument("--skriv", action="store_true", help=f"Skriv {FORM_PATH} i stedet for at vise den.")
    form.add_argument("--root", default=".", help="Projektets rodmappe.")
