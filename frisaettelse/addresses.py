"""Every address the build generates, made here and nowhere else: they are promises to readers, and the names a
story file may not take derive from them. MkDocs' URL rules are mirrored (`page_url`, `relative_url`)."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

from .load import slugify

STORY_DIR = "historier"  # stories and everything generated from them live under /historier/
OVERVIEW_SRC = f"{STORY_DIR}/index.md"
REGISTER_SRC = f"{STORY_DIR}/fri-fra.md"
COVERAGE_SRC = f"{STORY_DIR}/daekning.md"
TAG_INDEX_SRC = f"{STORY_DIR}/emneord.md"
CONTRIBUTE_SRC = "del-din-historie.md"
PAGINATION_DIR = "side"
TAGS_KEY = "emneord"
AREA_KEY = "omraade"
FACET_KEYS: tuple[str, ...] = (AREA_KEY, "princip", "hegnspael", "regel")
# Facets that combine with an area: historier/omraade/<area>/<facet>/<value>/ (only where there are stories).
COMBINED_KEYS: tuple[str, ...] = FACET_KEYS[1:]
CARD_DIR = "kort"
GENERIC_CARD = "frisaettelse-i-rebild"
FEED_PATH = "feed.xml"
DATA_CSV = "data/historier.csv"  # every story's fields, for spreadsheets (export.py)
DATA_JSON = "data/historier.json"
DATA_EXCEL = "data/historier-excel.csv"  # the same rows for Danish Excel: semicolons, Danish headings
RECORD_NAME = "publicerede-adresser.txt"
SEARCH_INDEX = "search/search_index.json"
# Files the theme writes at the root, and folders only the build writes into: no page or redirect may take one.
THEME_FILES: tuple[str, ...] = ("404.html", "sitemap.xml", "sitemap.xml.gz")
RESERVED_PREFIXES: tuple[str, ...] = ("assets/", "search/", f"{CARD_DIR}/", "data/")
# Every address a name the disk accepts, and few former addresses (two 1 MB stories asked for 220,000 redirects).
MAX_SLUG_CHARS = 150  # `ny` names a file after its title with at most 80 (scaffold.MAX_SLUG)
MAX_SEGMENT_BYTES = 100
MAX_ADDRESS_CHARS = 200
MAX_FORMER_URLS = 20
# Names a listing page takes inside its folder: a tag named so would replace the folder's own page.
_TAKEN_VALUE_IDS = frozenset({"index", "readme", PAGINATION_DIR})


def story_src(slug: str) -> str:
    """historier/<slug>.md: stories from cases/ are published as if they were in docs/historier/."""
    return f"{STORY_DIR}/{slug}.md"


def story_url(slug: str) -> str:
    return f"{STORY_DIR}/{slug}/"


_STORY_SRC = re.compile(rf"{STORY_DIR}/([^/]*)\.md")


def slug_of_story_src(src_uri: str) -> str | None:
    """The story slug a source path would belong to (`historier/x.md` -> `x`), or None for any other page."""
    found = _STORY_SRC.fullmatch(src_uri)
    return found[1] if found else None


def facet_src(facet_key: str, value_id: str) -> str:
    """historier/omraade/dagtilbud.md, historier/emneord/<tag>.md …"""
    return f"{STORY_DIR}/{facet_key}/{value_id}.md"


def combined_src(area_id: str, facet_key: str, value_id: str) -> str:
    """historier/omraade/dagtilbud/princip/kerneopgaven.md: the stories of one area with one more filter."""
    return f"{STORY_DIR}/{AREA_KEY}/{area_id}/{facet_key}/{value_id}.md"


def page_srcs(first_src: str, count: int) -> tuple[str, ...]:
    """historier/index.md, historier/side/2.md … ; historier/omraade/x.md, historier/omraade/x/side/2.md …"""
    base = first_src.removesuffix(".md").removesuffix("/index")
    return (first_src, *(f"{base}/{PAGINATION_DIR}/{n}.md" for n in range(2, count + 1)))


def card_path(slug: str | None) -> str:
    """kort/<slug>.png for a story; the site's own card for every other page."""
    return f"{CARD_DIR}/{slug or GENERIC_CARD}.png"


def tag_id(tag: str) -> str:
    """The address segment of a free-text tag: its slug, moved aside when a listing page already uses the name."""
    value = slugify(tag)
    return f"{value}-emneord" if value in _TAKEN_VALUE_IDS else value


def written_files(page_urls: Iterable[str], slugs: Iterable[str], static_files: Iterable[str]) -> frozenset[str]:
    """Every file the build writes but redirect pages, known before anything is written (for `address_clash`)."""
    paths = (unquote(site_path(url)).lstrip("/") for url in page_urls)
    pages = {path + "index.html" if path.endswith("/") or not path else path for path in paths}
    cards = {card_path(slug) for slug in (*slugs, None)}
    return frozenset({*pages, *cards, FEED_PATH, DATA_CSV, DATA_JSON, SEARCH_INDEX, *THEME_FILES, *static_files})


def address_clash(old: str, written: frozenset[str]) -> str | None:
    """Why a redirect page at `old` (`/a/b/`) cannot be written: in the build's folders, in a file, on a page."""
    path = old.strip("/") + "/"
    for prefix in RESERVED_PREFIXES:
        if path.startswith(prefix):
            return f"ligger i mappen {prefix}, som sitet selv bruger"
    parts = path.rstrip("/").split("/")
    for n in range(1, len(parts) + 1):
        inside = "/".join(parts[:n])
        if inside in written:
            return f"ligger inde i filen {inside}, som sitet selv udgiver"
    if path + "index.html" in written:
        return "er adressen på en side, der findes"
    return None


FORMER_URL_EXAMPLE = "historier/gammelt-navn/"
_FORMER_URL = re.compile(r"^(?:[a-z0-9][a-z0-9._-]*/)+$")
# Pages that come and go with the stories: page 2, 3… of a list, a free-text tag's page, a combined filter.
_PASSING = re.compile(
    rf"/{PAGINATION_DIR}/\d+/$|^/{STORY_DIR}/{TAGS_KEY}/[^/]+/"
    rf"|^/{STORY_DIR}/{AREA_KEY}/[^/]+/({'|'.join(COMBINED_KEYS)})/[^/]"
)


def former_url_problem(value: object) -> str | None:
    """Why a `tidligere_adresser` entry is not an address of the right form, or None (clashes: `address_clash`)."""
    if not isinstance(value, str) or not value.strip():
        return "skal være en tekst"
    url = value.strip()
    if "://" in url or url.startswith(("www.", "//")):
        return "skal være adressen uden domæne"
    url = url.lstrip("/")
    parts = url.split("/")
    if len(url) > MAX_ADDRESS_CHARS:
        return f"er {len(url)} tegn lang; højst {MAX_ADDRESS_CHARS}"
    if not _FORMER_URL.fullmatch(url) or any(part in (".", "..") for part in parts):
        return "skal være små bogstaver, tal og bindestreger, adskilt af '/', og slutte med '/'"
    if "index.html" in parts:  # the name of every page's and redirect's own file
        return "må ikke indeholde 'index.html'"
    if any(len(part.encode()) > MAX_SEGMENT_BYTES for part in parts):
        return f"har en del mellem to '/' på over {MAX_SEGMENT_BYTES} tegn"
    return None


def is_lasting(url: str) -> bool:
    """Only addresses that stay are promised in the record: not those that come and go with the stories."""
    return _PASSING.search(url) is None


def reserved_story_slugs(docs_story_pages: frozenset[str] = frozenset()) -> frozenset[str]:
    """File names in cases/ that would take an address the site generates (or a docs page in historier/)."""
    docs_names = {slug for src in docs_story_pages if (slug := slug_of_story_src(src))}
    return frozenset({"index", PAGINATION_DIR, TAGS_KEY, *FACET_KEYS, *docs_names})


# --- MkDocs' URL rules, mirrored -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 15)
def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown page: historier/omraade/dagtilbud.md -> historier/omraade/dagtilbud/."""
    parent, filename = posixpath.split(src_uri)
    name = posixpath.splitext(filename)[0]
    name = "index" if name == "README" else name
    if not use_directory_urls:
        return quote(posixpath.join(parent, name + ".html"))
    return quote(posixpath.join(parent, "" if name == "index" else name, "") or "./")


@functools.lru_cache(maxsize=1 << 15)
def _parts(path: str) -> tuple[str, ...]:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part not in ("", "."):
            parts.append(part)
    return tuple(parts)


def relative_url(url: str, other: str) -> str:
    """`url` relative to the page at `other`, exactly as mkdocs.utils.get_relative_url computes it."""
    dirname, _, basename = other.rpartition("/")
    other_parts, dest_parts = _parts(dirname if "." in basename else other), _parts(url)
    common = 0
    while common < min(len(other_parts), len(dest_parts)) and other_parts[common] == dest_parts[common]:
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + list(dest_parts[common:])) or "."
    return rel + "/" if url.endswith("/") else rel


def href(target_src: str, from_src: str) -> str:
    """Relative link between two source files (what MkDocs validates and then rewrites into a URL)."""
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


def site_path(url: str) -> str:
    """A site-relative address as the record writes it: leading slash (`/historier/x/`)."""
    return "/" + url.strip().removeprefix("./").lstrip("/")  # ./ is MkDocs' URL of the home page
