"""The command line, `python -m frisaettelse KOMMANDO`: one Danish argparse tree, the project found from any sub-folder,
one Danish line for every refusal, and never a traceback."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import addresses
from .issue_form import FORM_PATH, form_yaml, write_from_issue
from .load import relative, slugify
from .pipeline import build_index
from .port import address_problem
from .problems import DEFAULT_SITE_URL, summary
from .render import count_label
from .scaffold import NEW_FIELDS, ScaffoldError, new_story
from .schema import MAX_FILE_BYTES, STORY_FIELDS

PROG = "python -m frisaettelse"

# argparse asks gettext for every word it prints (`argparse._`): the message ids these commands can meet, in Danish.
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
    "ambiguous option: %(option)s could match %(matches)s": "%(option)s er tvetydigt og kan betyde %(matches)s",
    "ignored explicit argument %r": "tager ingen værdi, men fik %r",
}
argparse._ = lambda message: DANISH.get(message, message)  # type: ignore[attr-defined]

OS_REASONS = {
    errno.ENOENT: "den findes ikke",
    **dict.fromkeys((errno.EACCES, errno.EPERM), "du har ikke adgang til den"),
    errno.EISDIR: "det er en mappe, ikke en fil",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "den ligger på et drev, der ikke kan skrives på",
}


@contextlib.contextmanager
def failing(what: str) -> Iterator[None]:
    """A failed file operation is one Danish line: `what`, and why (the system's own text when unusual)."""
    try:
        yield
    except OSError as error:
        reason = OS_REASONS.get(error.errno or -1) or error.strerror or type(error).__name__
        raise ScaffoldError(f"{what}: {reason}.") from error


class UsageError(ScaffoldError):
    code = 2


def danish(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """`-h`/`--hjaelp` in the help; `--help` keeps working but is not shown."""
    parser.add_argument("-h", "--hjaelp", action="help", help="Vis denne hjælp, og stop.")
    parser.add_argument("--help", action="help", help=argparse.SUPPRESS)
    return parser


def project_root(args: argparse.Namespace) -> Path:
    """`--projekt` as given, else the nearest folder from the working folder upwards that holds mkdocs.yml."""
    if args.root is not None:
        if (Path(args.root).expanduser() / "mkdocs.yml").is_file():
            return Path(args.root).expanduser()
        raise UsageError(
            f"Mappen {args.root} er ikke projektets mappe: der er ingen mkdocs.yml i den. "
            "Skriv stien til mappen med mkdocs.yml, fx --projekt ~/frisaettelse."
        )
    try:
        here = Path.cwd().resolve()
    except OSError as error:
        raise UsageError("Den mappe, du står i, findes ikke længere. Gå til projektets mappe, og prøv igen.") from error
    if found := next((f for f in (here, *here.parents) if (f / "mkdocs.yml").is_file()), None):
        return found
    raise UsageError(
        f"Her er intet projekt: hverken {here} eller mapperne over den har en mkdocs.yml. "
        "Gå til projektets mappe, eller angiv den med --projekt MAPPE."
    )


def tjek_command() -> str:
    """`tjek` as it can be typed in the working folder, with this Python (a bare `python` has no package)."""
    try:
        python = Path(sys.executable).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        python = sys.executable
    return f"{shlex.quote(python)} -m frisaettelse tjek"


def site_url() -> str:
    return os.environ.get("SITE_URL") or DEFAULT_SITE_URL


def cmd_check(args: argparse.Namespace, root: Path) -> int:
    """The build's verdict: the real build into a temporary folder (only the plugin knows MkDocs), one line each."""
    from .plugin.verdict import check_site  # MkDocs is loaded only for this command

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the theme's English notice about MkDocs 2
    problems, plugin = check_site(root)
    for problem in problems:
        print(problem.format_github(site_url()) if args.format == "github" else problem.format(site_url()))
    if problems:
        print("\n" + summary(len(problems), "fundet", "og kør tjekket igen"), file=sys.stderr)
        return 1
    index = plugin.index
    counts = f"{count_label(len(index.stories))}, {len(index.principles)} principper og {len(index.boundaries)}"
    print(f"Alt i orden: {counts} hegnspæle.", file=sys.stderr)
    return 0


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"Ugyldig dato '{text}'. Skriv datoen som ÅÅÅÅ-MM-DD, fx --siden 2024-01-01."
        ) from None


def cmd_newsletter(args: argparse.Namespace, root: Path) -> int:
    from .newsletter import snippet

    if stories := [s for s in build_index(root).newest() if args.siden is None or s.date >= args.siden]:
        print("\n\n".join(snippet(s, site_url(), args.format) for s in stories))
    else:
        print("Ingen historier" + (f" siden {args.siden.isoformat()}." if args.siden else "."), file=sys.stderr)
    return 0


def cmd_preview(args: argparse.Namespace, root: Path) -> int:
    """`mkdocs serve --dirty` without listings and cards; the address is tried first (MkDocs' answer is a traceback)."""
    cases = root / "cases"
    if args.historie is None:  # the story changed last
        story = max((p for p in cases.glob("*.md") if p.is_file()), key=lambda p: p.stat().st_mtime, default=None)
    else:
        story = Path(args.historie).expanduser().resolve()
        if not (story.is_file() and story.suffix == ".md" and story.parent == cases.resolve()):
            raise UsageError(
                f"{args.historie} er ikke en historie i {cases}. Skriv stien til din fil, fx "
                f"{PROG} forhaandsvis cases/min-historie.md."
            )
    if problem := address_problem(args.adresse, f"{PROG} forhaandsvis --adresse"):
        raise ScaffoldError(problem)
    url = f"http://{args.adresse}/"
    mine = (
        f" – din historie {relative(story, root)} er på {url}{addresses.story_url(slugify(story.stem))}"
        if story
        else ""
    )
    print(
        f"Forhåndsvisning på {url}{mine} – gem din historie i cases/, og siden opdateres af sig selv. "
        "Oversigter, filtre og delingskort vises kun i det fulde site (bash scripts/serve).",
        file=sys.stderr,
        flush=True,
    )
    os.chdir(root)
    env = {**os.environ, "FRISAETTELSE_PREVIEW": "true", "NO_MKDOCS_2_WARNING": "1", "SITE_URL": url}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "--dev-addr", args.adresse]
    os.execvpe(sys.executable, command, env)  # this process becomes mkdocs serve


def cmd_new(args: argparse.Namespace, root: Path) -> int:
    with failing(f"Historien kan ikke gemmes i {root / 'cases'}"):
        path = new_story(root, " ".join(args.titel), index=build_index(root))
    missing = ", ".join(f.label for f in STORY_FIELDS if f.required and f.key not in NEW_FIELDS)
    print(
        f"Historien er oprettet: {relative(path, root)}\nAdressen bliver: {addresses.story_url(path.stem)}\n\n"
        f"Næste skridt: åbn filen, udfyld de tomme felter ({missing}) og skriv historien under felterne. Hvert felt "
        f"har en forklaring lige over sig.\nTjek den bagefter med: {tjek_command()}"
    )
    return 0


def cmd_from_issue(args: argparse.Namespace, root: Path) -> int:
    with failing(f"Issuet kan ikke læses fra {args.fil or 'standard input'}"):
        with open(args.fil, "rb") if args.fil else contextlib.nullcontext(sys.stdin.buffer) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # an issue is never that long, a mistaken file may be
        raise ScaffoldError(
            f"Issuet er for langt (mere end {MAX_FILE_BYTES // 1000} kB). En historie er tekst på en side eller to."
        )
    with failing(f"Historien kan ikke gemmes i {root / 'cases'}"):
        path = write_from_issue(root, raw.decode("utf-8", errors="replace"), number=args.nummer)
    print(relative(path, root))  # stdout: only the path, for the workflow
    print(f"Historien er skrevet til {relative(path, root)}. Tjek den med: {tjek_command()}", file=sys.stderr)
    return 0


def cmd_issue_form(args: argparse.Namespace, root: Path) -> int:
    with failing(f"{FORM_PATH} kan ikke læses"):
        text = form_yaml(build_index(root))
    if not args.skriv:
        sys.stdout.write(text)
        return 0
    with failing(f"{FORM_PATH} kan ikke skrives"):
        (root / FORM_PATH).parent.mkdir(parents=True, exist_ok=True)
        (root / FORM_PATH).write_text(text, encoding="utf-8")
    print(f"Skrev {FORM_PATH}.", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    epilog = f"Skriv '{PROG} KOMMANDO -h' for at se hjælpen til en kommando."
    about = "Værktøjer til vidensbasen om frisættelse."
    parser = danish(argparse.ArgumentParser(prog=PROG, description=about, epilog=epilog, add_help=False))
    sub = parser.add_subparsers(title="kommandoer", dest="command", required=True, metavar="KOMMANDO")

    def command(name: str, help: str, run: Any, *aliases: str, more: str = "") -> argparse.ArgumentParser:
        child = sub.add_parser(name, aliases=aliases, help=help, description=f"{help} {more}".strip(), add_help=False)
        child.set_defaults(run=run)
        return danish(child)

    tjek = command("tjek", "Tjek historier og sider, som bygget gør: samme fejl, samme linjer.", cmd_check, "check")
    github = "'github' skriver fejl som annoteringer i GitHub Actions."
    tjek.add_argument("--format", choices=("tekst", "github"), default="tekst", help=github)
    preview = command("forhaandsvis", "Hurtig forhåndsvisning af din historie, mens du skriver den.", cmd_preview)
    preview.add_argument(
        "historie", nargs="?", metavar="FIL", help="Din historie, fx cases/min-historie.md (standard: den nyeste)."
    )
    preview.add_argument(
        "--adresse", default="127.0.0.1:8000", metavar="VÆRT:PORT", help="Vært og port (standard 127.0.0.1:8000)."
    )
    news = command(
        "nyhedsbrev",
        "Skriv uddrag (titel, resumé og link) af historierne til et nyhedsbrev.",
        cmd_newsletter,
        more="Nyeste først; adressen kommer fra miljøvariablen SITE_URL.",
    )
    news.add_argument("--siden", type=iso_date, metavar="ÅÅÅÅ-MM-DD", help="Kun historier med denne dato eller nyere.")
    formats = "'tekst' til e-mail, 'markdown' til intranet og GitHub, 'html' til nyhedsbrevsværktøjer."
    news.add_argument("--format", choices=("tekst", "markdown", "html"), default="tekst", help=formats)
    new = command("ny", "Opret en ny historie i cases/ med alle felter og en forklaring til hvert.", cmd_new)
    new.add_argument("titel", nargs="*", help='Historiens titel i anførselstegn, fx "Fri fra skemaet".')
    issue = command(
        "fra-issue", "Lav en historie om til en fil i cases/ ud fra et issue fra formularen.", cmd_from_issue
    )
    issue.add_argument("--fil", metavar="FIL", help="Læs issuet fra denne fil i stedet for fra standard input.")
    issue.add_argument("--nummer", metavar="NUMMER", help="Issuets nummer (bruges til filnavnet, hvis titlen mangler).")
    form = command("issue-formular", "Skriv issue-formularen 'Ny historie' ud fra skemaet.", cmd_issue_form)
    form.add_argument("--skriv", action="store_true", help=f"Skriv {FORM_PATH} i stedet for at vise den.")
    where = "Projektets mappe (den med mkdocs.yml). Standard: den mappe, du står i, eller en over den."
    for child in (tjek, preview, news, new, issue, form):
        child.add_argument("--projekt", dest="root", metavar="MAPPE", help=where)
        child.add_argument("--root", dest="root", help=argparse.SUPPRESS)  # its name before the language rule
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args, project_root(args))
        sys.stdout.flush()
        return code
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a contributor must never meet a traceback
        print(
            f"Uventet fejl: {type(error).__name__}: {error}. Skriv til redaktionen via GitHub, og vedlæg denne linje.",
            file=sys.stderr,
        )
        return 2
