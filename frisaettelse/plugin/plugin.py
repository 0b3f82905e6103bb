"""Events only: each hands the work to the domain package and turns its problems into log lines.

State for one build lives on the plugin instance and is made afresh in `on_config` (under `mkdocs serve` the
instance outlives a build). Stories are data: they are rebuilt from their fields and never reach Jinja.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .. import csp, overview, pipeline, preview, render, sanitize, share
from ..addresses import OVERVIEW_SRC, RECORD_NAME
from ..facets import tag_url
from ..filecache import FileCache
from ..index import SiteIndex
from ..problems import DEFAULT_SITE_URL, Problem
from ..search_index import SearchIndexBuilder
from ..urls import update_record
from .config import FrisaettelseConfig

log = logging.getLogger("mkdocs.plugins.frisaettelse")


class _DropEnglishNoise(logging.Filter):
    """In the preview the terminal speaks Danish: our own lines, and only real warnings from the rest.

    MkDocs' notice about dirty builds and the other plugins' progress lines say nothing a contributor can act on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(log.name):
            return True
        if record.name.startswith("mkdocs.livereload"):  # the dev server's request log ("GET /x code 404")
            return False
        return record.levelno >= logging.WARNING and "'dirty' build is being performed" not in record.getMessage()


def _quiet_for_contributors(config: MkDocsConfig) -> None:
    """The preview leaves out the listing pages, so links to them are expected to be missing: not a warning."""
    config.validation.links.not_found = logging.DEBUG
    config.validation.links.unrecognized_links = logging.DEBUG
    config.validation.links.anchors = logging.DEBUG
    for handler in logging.getLogger("mkdocs").handlers:
        if not any(isinstance(f, _DropEnglishNoise) for f in handler.filters):
            handler.addFilter(_DropEnglishNoise())


class FrisaettelsePlugin(BasePlugin[FrisaettelseConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Present so MkDocs keeps one instance across `serve` rebuilds; every build starts in on_config. Under
        # `serve` unchanged story files are not read and checked again on each rebuild.
        self.is_serve = command == "serve"
        self.file_cache = FileCache() if self.is_serve else None

    # --- once per build: everything is read and checked before any page ----------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.preview = bool(self.config.preview)
        url = config.site_url or DEFAULT_SITE_URL
        self.site = share.SiteInfo(
            url if url.endswith("/") else url + "/", config.site_name, config.site_description or ""
        )
        model = pipeline.run(
            self.root,
            docs_dir=Path(config.docs_dir),
            cases_dir=self.root / self.config.cases_dir,
            site_url=self.site.base,
            use_directory_urls=config.use_directory_urls,
            preview=self.preview,
            cache=getattr(self, "file_cache", None),
        )
        self.index: SiteIndex = model.index
        self.browse = model.browse
        self.listing_pages = model.listing_pages
        self.listing_srcs = frozenset(p.src_uri for p in self.listing_pages)
        self.marked_section: Section | None = None
        self.routes = model.routes
        self.script_patterns = csp.template_patterns(config.theme.dirs)  # the inline scripts the policy allows
        self.search = SearchIndexBuilder(self.index, use_directory_urls=config.use_directory_urls)
        self.problem_pages: dict[str, preview.ProblemPage] = {}
        if self.preview:
            _quiet_for_contributors(config)
            # The contributor sees each problem in the page and in the terminal; the preview keeps running.
            for problem in model.problems:
                log.warning(problem.format(self.site.base))
            pages = preview.problem_pages(self.index, (self.root / self.config.cases_dir).resolve())
            self.problem_pages = {page.src_uri: page for page in pages}
        else:
            self._fail_on(model.problems)
        return config

    def _fail_on(self, problems: list[Problem]) -> None:
        for problem in problems:
            log.error(problem.format(self.site.base))
        if problems:
            raise PluginError(f"{len(problems)} problem(er) i indholdet. Ret dem som beskrevet ovenfor.")

    @event_priority(50)  # before mkdocs-redirects and the tags plugin look at the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Stories live in cases/ but are published under historier/<slug>/, outside the navigation.
        for story in self.index.stories.values():
            file = File.generated(
                config, story.src_uri, abs_src_path=str(story.abs_path), inclusion=InclusionLevel.NOT_IN_NAV
            )
            file.edit_uri = f"../{self.config.cases_dir}/{story.abs_path.name}"
            files.append(file)
        for problem_page in self.problem_pages.values():
            files.append(
                File.generated(
                    config,
                    problem_page.src_uri,
                    abs_src_path=str(problem_page.abs_path),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        for page in self.listing_pages:
            files.append(
                File.generated(
                    config,
                    page.src_uri,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                    content=overview.facet_page(page, self.browse, self.index, config.use_directory_urls),
                )
            )
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # The address book was made from our own reading of docs/: MkDocs must have found the same pages.
        found = {f.src_uri for f in files.documentation_pages()}
        expected = set(self.index.docs_pages) | {s.src_uri for s in self.index.stories.values()}
        expected |= set(self.problem_pages)
        expected |= {p.src_uri for p in self.listing_pages}
        for src in sorted(found ^ expected):
            log.warning(f"Siden {src} er ikke med i sitets adressebog (frisaettelse.routes): ret adressebogen.")
        return nav

    # --- per page ---------------------------------------------------------------------------------------------

    @event_priority(100)  # before macros: a story never reaches Jinja
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        sanitize.escape_page_meta(page.meta)  # the theme prints page.meta.title unescaped
        src = page.file.src_uri
        story = self.index.story_for_src(src)
        if story is not None:
            page.meta["render_macros"] = False
            page.meta["search"] = {"exclude": True}  # its search entry is made from the index (search_index.py)
            return render.story_page(story, self.index, config.use_directory_urls)
        if src in self.problem_pages:
            page.meta["render_macros"] = False
            return preview.problem_page_markdown(self.problem_pages[src])
        concept = self.index.concept_for_src(src)
        if concept is not None:
            markdown += "\n" + render.concept_stories(concept, self.index, config.use_directory_urls)
        if page.meta.get("kilde"):
            markdown += "\n\n" + render.source_line(page.meta["kilde"], src, self.index)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if src in self.problem_pages:
            return preview.add_problem_box(sanitize.clean_page(html, page.toc), self.problem_pages[src], self.site.base)
        story = self.index.story_for_src(src)
        if story is not None:  # a story page: cleaned by allow-list once, at the output; our breadcrumb after that
            udu = config.use_directory_urls
            clean = sanitize.clean_page(html, page.toc)
            return render.breadcrumb(story, udu) + clean + render.share_block(story, self.site.base, udu)
        # Listing pages: their ready-made HTML goes in after Markdown (see overview.listing).
        html = overview.fill_listing(html, src, self.browse, self.index, config.use_directory_urls)
        self.search.add_page(
            src_uri=src, url=page.url, title=str(page.title or config.site_name), html_text=html, meta=page.meta
        )
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        story = self.index.story_for_src(page.file.src_uri)
        # "Sidst opdateret": the source file's last commit (a story's file in cases/, never the date it was told);
        # the build date for a generated page.
        updated = self.index.last_updated(story) if story else self.index.page_updated(page.file.src_uri)
        page.meta["last_updated"] = render.danish_date(updated)
        if story is not None:
            context["emneord_sider"] = {tag: tag_url(tag) for tag in story.tags}  # type: ignore[typeddict-unknown-key]
        if story is not None or page.file.src_uri in self.listing_srcs:
            self._mark_stories_in_menu(nav)
        title = config.site_name if page.is_homepage else sanitize.page_title(page, config.site_name)
        description = str(page.meta.get("description") or self.site.description)
        preview = share.preview(title=title, description=description, url=page.url, story=story, site=self.site)
        context["deling"] = preview  # type: ignore[typeddict-unknown-key]
        return context

    def _mark_stories_in_menu(self, nav: Navigation) -> None:
        """Stories and listing pages are outside the menu: mark its "Historier" section as where the reader is
        (MkDocs marks only pages in the menu). Undone in on_post_page: the menu is shared by every page."""
        overview = next((p for p in nav.pages if p.file.src_uri == OVERVIEW_SRC), None)
        if overview is not None and overview.parent is not None:
            overview.parent.active = True
            self.marked_section = overview.parent

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.marked_section is not None:
            self.marked_section.active = False
            self.marked_section = None
        if not self.is_serve:  # `mkdocs serve` adds its own inline live-reload script
            output = csp.add_policy(output, self._shown(page), self.script_patterns)
        # A story or listing page is written: MkDocs would keep its Markdown and HTML until the build ends
        # (thousands of them). "" rather than None: Page.title returns None for a page whose markdown is None.
        if not page.file.inclusion.is_in_nav():
            page.markdown = ""
            page.content = None
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # 404.html is a theme template, not a page: it gets the same policy.
        if self.is_serve or not template_name.endswith(".html"):
            return output_content
        return csp.add_policy(output_content, template_name, self.script_patterns)

    def _shown(self, page: Page) -> str:
        """A page's source file as a contributor finds it (cases/x.md, docs/om/index.md)."""
        path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
        if path is not None and path.resolve().is_relative_to(self.root):
            return path.resolve().relative_to(self.root).as_posix()
        return page.file.src_uri

    # --- once per build, at the end ---------------------------------------------------------------------------

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # Every page is known, nothing is written yet: the sitemap dates a story by its file's last change,
        # as its "Sidst opdateret" line does.
        for file in files.documentation_pages():
            story = self.index.story_for_src(file.src_uri)
            if story is not None and file.page is not None:
                file.page.update_date = self.index.last_updated(story).isoformat()
        return env

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # Ours replaces the search plugin's index (not in the preview: it would cost seconds on every save at
        # thousands of stories); the search box shows its titles, texts and tags as HTML.
        if not self.preview:
            self.search.write(Path(config.site_dir))
        sanitize.clean_search_index(Path(config.site_dir) / "search" / "search_index.json")
        if self.preview:
            problems = sum(len(page.problems) for page in self.problem_pages.values())
            log.info(
                "Siden er opdateret."
                + (f" {problems} problem(er) vises øverst på historiens side." if problems else "")
            )
            return
        drawn = share.publish(
            self.index,
            list(self.routes.redirects),
            site=self.site,
            site_dir=Path(config.site_dir),
            cache_dir=self.root / self.config.card_cache_dir,
        )
        if drawn:
            log.info(f"Tegnede {drawn} delingskort (resten kom fra {self.config.card_cache_dir}).")
        if self.config.record_published_urls:
            added = update_record(self.root / RECORD_NAME, self.routes.live)
            if added:
                log.info(f"{len(added)} nye adresser er skrevet i {RECORD_NAME}: " + ", ".join(added))
