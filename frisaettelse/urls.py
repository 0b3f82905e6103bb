"""URLs that never break: redirects from former addresses, and the committed record of every published URL.

A page's front-matter may list `tidligere_adresser` (e.g. `historier/gammelt-navn/`); each becomes a small
redirect page. `publicerede-adresser.txt` at the project root lists every URL the site has published; the
build fails when one of them is neither a page nor a redirect any more, and adds new URLs to the record
itself, so nobody keeps it by hand.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .addresses import (
    MAX_ADDRESS_CHARS,
    MAX_SEGMENT_BYTES,
    RECORD_NAME,  # noqa: F401  (re-exported: the record lives at the project root)
    is_combined_listing,
    site_path,
)
from .csp import REDIRECT_POLICY
from .sanitize import html_attribute, html_text, url_attribute

RECORD_HEADER = (
    "# Alle adresser, sitet har udgivet. Bygget tilføjer nye adresser selv; slet aldrig en linje.\n"
    "# Flytter eller omdøbes en side, så skriv den gamle adresse i sidens front-matter:\n"
    "#   tidligere_adresser: [historier/gammelt-navn/]\n"
)
FORMER_URL_EXAMPLE = "historier/gammelt-navn/"
_PAGINATION = re.compile(r"/side/\d+/$")
_TAG_PAGE = re.compile(r"^/historier/emneord/[^/]+/")
_FORMER_URL = re.compile(r"^(?:[a-z0-9][a-z0-9._-]*/)+$")


def former_url_problem(value: object) -> str | None:
    """Why a `tidligere_adresser` entry is not a usable address, or None when it is (the form only; what the
    address may not collide with is `addresses.address_clash`)."""
    if not isinstance(value, str) or not value.strip():
        return "skal være en tekst"
    url = value.strip()
    if "://" in url or url.startswith(("www.", "//")):
        return "skal være adressen uden domæne"
    url = url.lstrip("/")
    if len(url) > MAX_ADDRESS_CHARS:
        return f"er {len(url)} tegn lang; højst {MAX_ADDRESS_CHARS}"
    if not _FORMER_URL.fullmatch(url) or any(part in (".", "..") for part in url.split("/")):
        return "skal være små bogstaver, tal og bindestreger, adskilt af '/', og slutte med '/'"
    if "index.html" in url.split("/"):  # the name of every page's and redirect's own file
        return "må ikke indeholde 'index.html'"
    if any(len(part.encode()) > MAX_SEGMENT_BYTES for part in url.split("/")):
        return f"har en del mellem to '/' på over {MAX_SEGMENT_BYTES} tegn"
    return None


@dataclass(frozen=True)
class Redirect:
    old: str  # normalized, e.g. "/historier/gammelt-navn/"
    target: str  # normalized URL of the current page
    title: str
    source: str  # file that declared it, for messages


def redirect_html(redirect: Redirect, site_url: str) -> str:
    """A Danish redirect page: meta refresh (relative, so it works under any sub-path), canonical, visible link."""
    relative = posixpath.relpath(redirect.target, redirect.old) + "/"
    absolute = site_url.rstrip("/") + redirect.target
    title = html_text(redirect.title)
    return (
        "<!doctype html>\n"
        '<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html_attribute(REDIRECT_POLICY)}">\n'
        f"<title>Siden er flyttet: {title}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url_attribute(relative)}">\n'
        f'<link rel="canonical" href="{url_attribute(absolute)}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>Siden er flyttet til <a href="{url_attribute(relative)}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def write_redirects(redirects: Iterable[Redirect], site_dir: Path, site_url: str) -> None:
    for redirect in redirects:
        out = site_dir / redirect.old.strip("/") / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(redirect_html(redirect, site_url), encoding="utf-8")


def read_record_lines(path: Path) -> list[tuple[int, str]]:
    """(line, address) for every address in the record, so a problem can name its line."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        (n, site_path(line))
        for n, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def read_record(path: Path) -> list[str]:
    return [url for _, url in read_record_lines(path)]


def missing_message(url: str, site_url: str) -> str:
    return (
        f"Adressen {site_url.rstrip('/')}{url} er udgivet før, men findes ikke længere, og der er ingen "
        f"omdirigering. Links i nyhedsbreve og på intranettet ville gå i stykker. Er siden flyttet eller "
        f"omdøbt, så skriv den gamle adresse i den nye sides front-matter: "
        f"tidligere_adresser: [{url.lstrip('/')}]"
    )


def is_lasting(url: str) -> bool:
    """Pages that come and go with the stories are not promised to last: page 2, 3… of a listing, and the page
    of a free-text tag (renaming the last use of a tag must not fail a contributor's build), and a combined filter
    (area + principle …), which exists only while it has stories."""
    return _PAGINATION.search(url) is None and _TAG_PAGE.match(url) is None and not is_combined_listing(url)


def update_record(path: Path, live: set[str]) -> list[str]:
    """Add new lasting URLs to the record (never remove any); returns what was added."""
    known = set(read_record(path))
    live = {url for url in live if is_lasting(url)}
    added = sorted(live - known)
    if added or not path.is_file():
        body = "\n".join(sorted(known | live))
        path.write_text(RECORD_HEADER + body + "\n", encoding="utf-8")
    return added
