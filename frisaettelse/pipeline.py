"""The whole data flow for one build, as one call: load → validate → index (+ browse) → routes.

The plugin's on_config and `python -m frisaettelse check` both call `run`, so they report the same problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import addresses, routes
from .facets import Browse, ListingPage, build_browse
from .filecache import FileCache
from .index import SiteIndex, build_index
from .markup import Converter, MarkdownSettings, site_markdown
from .problems import Problem


@dataclass(frozen=True)
class SiteModel:
    index: SiteIndex
    browse: Browse
    listing_pages: tuple[ListingPage, ...]  # the generated listing pages this build publishes
    routes: routes.Routes

    @property
    def problems(self) -> list[Problem]:
        return sorted([*self.index.problems, *self.routes.problems])


def run(
    root: Path,
    *,
    docs_dir: Path | None = None,
    cases_dir: Path | None = None,
    site_url: str,
    use_directory_urls: bool = True,
    preview: bool = False,
    cache: FileCache | None = None,
    markdown: MarkdownSettings | None = None,
) -> SiteModel:
    """Everything the build knows before it renders a page, with every problem in it.

    `markdown`: the site's Markdown settings, (extensions, configs) as MkDocs holds them; the plugin passes
    MkDocs' own, `check` leaves it out and they are read from the project's mkdocs.yml."""
    root = root.resolve()
    docs_dir = docs_dir or root / "docs"
    converter = Converter(markdown if markdown is not None else site_markdown(root / "mkdocs.yml"))
    index = build_index(
        root, docs_dir=docs_dir, cases_dir=cases_dir or root / "cases", cache=cache, converter=converter
    )
    browse = build_browse(index)
    # Listing pages list every story: rebuilt on every change, too slow for the contributor's preview. The address
    # book still holds them, so the preview finds exactly the problems `tjek` finds.
    listing_pages = () if preview else browse.generated
    found = routes.build_routes(
        index,
        browse.generated,
        docs_dir=docs_dir,
        use_directory_urls=use_directory_urls,
        record=root / addresses.RECORD_NAME,
        site_url=site_url,
    )
    return SiteModel(index, browse, listing_pages, found)
