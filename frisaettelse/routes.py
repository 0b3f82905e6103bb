"""Step 5: the address book before MkDocs runs (every page and file the build writes, redirects from former
addresses) and the record of every address ever published, which only grows. `check` and the build ask the same."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

from . import addresses, validate
from .model import ListingPage, Redirect, Routes, SiteIndex
from .problems import Code, Problem

RECORD_HEADER = (
    "# Alle adresser, sitet har udgivet. Bygget tilføjer nye adresser selv; slet aldrig en linje.\n"
    "# Flytter eller omdøbes en side, så skriv den gamle adresse i sidens front-matter:\n"
    "#   tidligere_adresser: [historier/gammelt-navn/]\n"
)


def build_routes(
    index: SiteIndex,
    listing_pages: tuple[ListingPage, ...],
    *,
    docs_dir: Path,
    use_directory_urls: bool,
    record: Path | None,
    site_url: str,
) -> Routes:
    """All pages and redirects, before anything is written: a former address on or in what the build writes is FM021."""
    srcs = {*index.docs_pages, *(s.src_uri for s in index.stories.values()), *(p.src_uri for p in listing_pages)}
    page_urls = {src: addresses.page_url(src, use_directory_urls) for src in srcs}
    pages = frozenset(addresses.site_path(url) for url in page_urls.values())
    files = [p.relative_to(docs_dir) for p in docs_dir.rglob("*") if p.is_file()] if docs_dir.is_dir() else []
    static = {f.as_posix() for f in files if f.suffix != ".md" and not any(p.startswith(".") for p in f.parts)}
    written = addresses.written_files(page_urls.values(), index.stories, static)  # static: what docs/ has but pages
    problems: list[Problem] = []
    # (file, each value's line, target, title, values) of every page that names former addresses
    declared: list[tuple[str, Sequence[int], str, str, list[object]]] = [
        (s.path, s.former_urls_lines, s.url, s.title, list(s.former_urls)) for s in index.stories.values()
    ]
    for src in sorted(index.docs_pages):
        document = index.docs_documents.get(src)
        if document and (value := document.meta.get("tidligere_adresser")):
            values = value if isinstance(value, list) else [value]
            item_line = partial(document.line_of, "tidligere_adresser")
            problems += [Problem(document.path, *found) for found in validate.former_url_findings(values, item_line)]
            declared.append((document.path, [item_line(i) for i in range(len(values))], page_urls[src], src, values))
    seen: dict[str, Redirect] = {}  # by former address, the first declared
    for shown, lines, target, title, values in declared:
        for i, value in enumerate(values[: addresses.MAX_FORMER_URLS]):
            if addresses.former_url_problem(value):
                continue  # FM021 from validation (stories) or above (docs pages); never written
            old, target_path = addresses.site_path(str(value).strip()), addresses.site_path(target)
            clash, hint = addresses.address_clash(old, written), "Fjern den fra listen."
            if not clash and (first := seen.get(old)) and first.target != target_path:
                clash, hint = f"står også i {first.source}", "En gammel adresse kan kun føre til én side: slet den ene."
            if clash:
                what = f"tidligere_adresser '{old.lstrip('/')}' {clash}."
                problems.append(Problem(shown, lines[i], Code.FM021, what, hint))
            else:
                seen.setdefault(old, Redirect(old, target_path, title, shown))
    redirects = tuple(seen.values())
    if record is not None:  # FM030: a published address the site no longer answers, with its line in the record
        live = Routes(pages, redirects).live
        gone = [(n, url) for n, url in read_record_lines(record) if url not in live]
        problems += [
            Problem(record.name, n, Code.FM030, _GONE.format(site_url.rstrip("/") + u, u[1:]), _KEEP) for n, u in gone
        ]
    return Routes(pages, redirects, tuple(sorted(problems)))


_GONE = (
    "Adressen {} er udgivet før, men findes ikke længere, og der er ingen omdirigering. Links i nyhedsbreve og på "
    "intranettet ville gå i stykker. Er siden flyttet eller omdøbt, så skriv den gamle adresse i den nye sides "
    "front-matter: tidligere_adresser: [{}]"
)
_KEEP = "Slet aldrig linjen: adressen står i nyhedsbreve og på intranettet."


def read_record_lines(path: Path) -> list[tuple[int, str]]:
    """(line, address) for every address in the record, so a problem can name its line."""
    lines = enumerate(path.read_text(encoding="utf-8").splitlines() if path.is_file() else [], start=1)
    return [(n, addresses.site_path(line)) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]


def update_record(path: Path, live: set[str]) -> list[str]:
    """Add new lasting URLs to the record (never remove any); returns what was added."""
    known = {url for _, url in read_record_lines(path)}
    live = {url for url in live if addresses.is_lasting(url)}
    added = sorted(live - known)
    if added or not path.is_file():
        path.write_text(RECORD_HEADER + "\n".join(sorted(known | live)) + "\n", encoding="utf-8")
    return added
