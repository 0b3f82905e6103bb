"""Command line: `python -m frisaettelse check` and friends. Never shows a traceback to a contributor."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from .contribute_cli import CONTRIBUTE_COMMANDS, add_contribute_parsers
from .index import build_index
from .problems import DEFAULT_SITE_URL


def _site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def cmd_check(args: argparse.Namespace) -> int:
    """Validate all front-matter without building; one line per problem."""
    index = build_index(Path(args.root))
    for problem in index.problems:
        line = problem.format_github(_site_url()) if args.format == "github" else problem.format(_site_url())
        print(line)
    if index.problems:
        count = len(index.problems)
        print(f"\n{count} problem{'er' if count != 1 else ''} fundet. Ret dem og kør tjekket igen.", file=sys.stderr)
        return 1
    print(f"Alt i orden: {len(index.stories)} historier, {len(index.principles)} principper og "
          f"{len(index.boundaries)} hegnspæle.", file=sys.stderr)
    return 0


COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str]] = {
    "check": (cmd_check, "Tjek alle historiers front-matter uden at bygge sitet."),
    **CONTRIBUTE_COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frisaettelse", description="Værktøjer til vidensbasen om frisættelse.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="kommando")
    check = sub.add_parser("check", help=COMMANDS["check"][1])
    check.add_argument("--root", default=".", help="Projektets rodmappe (med docs/ og cases/).")
    check.add_argument("--format", choices=("tekst", "github"), default="tekst",
                       help="'github' skriver fejl som annoteringer i GitHub Actions.")
    add_contribute_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command][0](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a contributor must never meet a traceback
        print(f"Uventet fejl: {type(error).__name__}: {error}. Skriv til redaktionen via GitHub, "
              f"og vedlæg denne linje.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
