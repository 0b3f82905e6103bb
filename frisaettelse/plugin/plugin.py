"""Events only: each hands the work to the domain package and turns its problems into log lines.

State for one build lives on the plugin instance and is made afresh in `on_config` (under `mkdocs serve` the
instance outlives a build). Stories are data: they are rebuilt from their fields and never reach Jinja.
"""

from __future__ import annotations

import gc
import logging
import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils.templates import TemplateContext

from .. import addresses, csp, overview, pipeline, preview, render, sanitize, share
from ..addresses import OVERVIEW_SRC, RECORD_NAME, SEARCH_INDEX
from ..facets import tag_url
from ..filecache import FileCache
from ..load import Document
from ..model import SiteIndex, Story
from ..problems import DEFAULT_SITE_URL, Problem, printable, summary
from ..routes import update_record
from ..search_index import SearchIndexBuilder
from . import verdict
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


def _quiet_for_contributors() -> None:
    """The preview's terminal: our Danish lines, no English progress notes."""
    for handler in logging.getLogger("mkdocs").handlers:
        if not any(isinstance(f, _DropEnglishNoise) for f in handler.filters):
            handler.addFilter(_DropEnglishNoise())


_NO_FRONT_MATTER = "---\n{}\n---\n"
# Front-matter keys the theme or MkDocs act on that no content may set: `template` picks the page's template (a
# redirect page, say). A story's meta is built from its fields alone; a docs page keeps its own keys but these.
_NOT_FROM_CONTENT = frozenset({"template"})


def _page_meta(story: Story | None, document: Document | None, meta: Mapping[str, Any]) -> dict[str, Any]:
    """A page's meta from load.py's reading: for a story only its validated fields, for a docs page its own
    front-matter without the keys content may not set; a generated page keeps the meta we wrote for it."""
    if story is not None:
        return {
            "title": story.title,
            "description": story.description,
            "tags": list(story.tags),
            "render_macros": False,
            "search": {"exclude": True},  # its search entry is made from the index (search_index.py)
        }
    if document is not None:
        return {key: value for key, value in document.meta.items() if key not in _NOT_FROM_CONTENT}
    return {key: value for key, value in meta.items() if key not in _NOT_FROM_CONTENT}


def _macro_names(config: MkDocsConfig) -> list[str]:
    """The names a page may use in {{ … }}: for the suggestion when one is misspelt."""
    macros = config.plugins.get("macros")
    return sorted({*getattr(macros, "macros", {}), *getattr(macros, "variables", {})}) if macros else []


def _toc_links(links: list[AnchorLink]) -> list[AnchorLink]:
    return [found for link in links for found in (link, *_toc_links(link.children))]


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


class FrisaettelsePlugin(BasePlugin[FrisaettelseConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Present so MkDocs keeps one instance across `serve` rebuilds; every build starts in on_config. Under
        # `serve` unchanged story files are not read and checked again on each rebuild.
        self.is_serve = command == "serve"
        self.file_cache = FileCache() if self.is_serve else None
        self._script_patterns: tuple[tuple[tuple[str, int], ...], list[Any]] = ((), [])

    def _templates_stamp(self, dirs: list[str]) -> tuple[tuple[str, int], ...]:
        """The theme's template files and their change times: the inline scripts are read again only when one changed."""
        return tuple(
            (str(path), path.stat().st_mtime_ns) for folder in dirs for path in sorted(Path(folder).rglob("*.html"))
        )

    # --- once per build: everything is read and checked before any page ----------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if getattr(self, "is_serve", False):  # a rebuild makes thousands of objects that live until it ends:
            gc.disable()  # no collection passes over them while it runs (on_post_build, on_build_error)
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir)
        self.preview = bool(self.config.preview)
        url = config.site_url or DEFAULT_SITE_URL
        config.site_url = url  # pages print it ({{ config.site_url }}): never "None" when SITE_URL is empty
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
            markdown=(config.markdown_extensions, config.mdx_configs),
        )
        self.index: SiteIndex = model.index
        self.browse = model.browse
        self.listing_pages = model.listing_pages
        self.listing_srcs = frozenset(p.src_uri for p in self.listing_pages)
        self.marked_section: Section | None = None
        self.pages_from_stories: set[str] = set()  # docs pages whose macros read the stories (frisaettelse.macros)
        self.routes = model.routes
        stamp = self._templates_stamp(config.theme.dirs) if self.is_serve else ()
        if not stamp or stamp != getattr(self, "_script_patterns", ((), []))[0]:  # the inline scripts the policy allows
            self._script_patterns = (stamp, csp.template_patterns(config.theme.dirs))
        self.script_patterns = self._script_patterns[1]
        self.search = SearchIndexBuilder(self.index, use_directory_urls=config.use_directory_urls)
        self.problem_pages: dict[str, preview.ProblemPage] = {}
        # --- problems: every one of this build is a Problem in self.problems (verdict.py) -------------------------
        # Under `serve` (the full site and the preview) nothing stops the server: each problem is shown on the page
        # concerned and in the terminal, and the next save rebuilds. Any other build stops on the first problems.
        self.left_out = (
            {p.src_uri for p in model.browse.generated} - self.listing_srcs if self.preview else set[str]()
        )  # the listing pages the preview does not publish: links to them are not problems there
        self.problems = verdict.BuildProblems(
            source=self._source, macro_names=lambda: _macro_names(config), ignore_link=self._links_left_out
        )
        verdict.listen(
            verdict.Translate(self.problems, self.site.base, level=logging.WARNING if self.is_serve else logging.ERROR)
        )
        macros = config.plugins.get("macros")
        if macros is not None:  # a macro's mistake is a Problem on its page (below), never mkdocs-macros' exit(100)
            macros.config["on_error_fail"] = False
        self.written: dict[str, Path] = getattr(self, "written", {})  # shown path -> written page, kept across builds
        self.written_now: set[Path] = set()
        if self.is_serve:
            verdict.never_abort()
            if self.preview:
                _quiet_for_contributors()
            for problem in model.problems:
                self._report(problem)
            pages = preview.problem_pages(self.index, (self.root / self.config.cases_dir).resolve())
            self.problem_pages = {page.src_uri: page for page in pages}
        else:
            self._fail_on(model.problems)
        return config

    def _report(self, problem: Problem) -> None:
        if self.problems.add(problem):
            log.log(
                logging.WARNING if self.is_serve else logging.ERROR,
                problem.format(self.site.base),
                extra={"frisaettelse": problem},
            )

    def _fail_on(self, problems: list[Problem]) -> None:
        for problem in problems:
            self._report(problem)
        if problems:
            self._stop()

    def _stop(self) -> None:
        count = len(self.problems.found)
        message = summary(count, "i indholdet", "som beskrevet ovenfor")
        self.problems.said.add(message)
        raise PluginError(message)

    def _source(self, src: str) -> tuple[str, Path | None]:
        """A page's source file as a contributor finds it (cases/x.md, docs/om/index.md), and the file."""
        story = self.index.story_for_src(src)
        if story is not None:
            return story.path, story.abs_path
        if src in self.problem_pages:
            return self.problem_pages[src].path, self.problem_pages[src].abs_path
        path = (self.docs_dir / src).resolve() if src else None
        if path is not None and path.is_file() and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix(), path
        return src or "mkdocs.yml", None

    def _links_left_out(self, src: str, url: str) -> bool:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src), url.split("#")[0]))
        return target in self.left_out

    @event_priority(50)  # before mkdocs-redirects and the tags plugin look at the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Stories live in cases/ but are published under historier/<slug>/, outside the navigation.
        for story in self.index.stories.values():
            file = File.generated(
                config, story.src_uri, abs_src_path=str(story.abs_path), inclusion=InclusionLevel.NOT_IN_NAV
            )
            # Percent-encoded here (MkDocs joins it into page.edit_url as it is); escaped by the template's filter.
            file.edit_uri = sanitize.url_path(f"../{self.config.cases_dir}/{story.abs_path.name}")
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
            self._report(
                Problem(
                    src, 1, verdict.BUILD_CODE, "Siden er ikke med i sitets adressebog.", "Ret frisaettelse/routes.py."
                )
            )
        self.nav = nav
        return nav

    # --- per page ---------------------------------------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # Front-matter has one reader, load.py: MkDocs gets a source without any (an empty block, so it does not
        # read the body's first lines as metadata either), and page.meta is set from our fields in on_page_markdown.
        src = page.file.src_uri
        if self.index.story_for_src(src) is not None or src in self.problem_pages:
            return _NO_FRONT_MATTER  # the page is rebuilt from the story's fields
        if src in self.index.docs_pages:
            document = self.index.docs_documents.get(src)
            return _NO_FRONT_MATTER + (document.body if document is not None else "")
        return None  # a generated listing page: our own Markdown

    @event_priority(100)  # before macros: a story never reaches Jinja
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        self.problems.current = (src, markdown)  # where a warning from MkDocs or the macros belongs
        story = self.index.story_for_src(src)
        page.meta = _page_meta(story, self.index.docs_documents.get(src), page.meta)
        sanitize.escape_page_meta(page.meta)  # the theme prints page.meta.title unescaped
        if story is not None:
            return render.story_markdown(story)
        if src in self.problem_pages:
            page.meta = {"title": self.problem_pages[src].title, "render_macros": False}
            sanitize.escape_page_meta(page.meta)
            return preview.problem_page_markdown(self.problem_pages[src])
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if self.is_serve and any(p.code == verdict.MACRO_CODE for p in self.problems.for_path(self._source(src)[0])):
            return preview.MACRO_FAILED  # mkdocs-macros' English error page: the box (on_post_build) says what to fix
        if src in self.problem_pages:
            html = preview.add_problem_box(sanitize.clean_page(html, page.toc), self.problem_pages[src], self.site.base)
            return self._unlinked(html, page, config)
        story, udu = self.index.story_for_src(src), config.use_directory_urls
        if story is not None:  # a story page: cleaned by allow-list once, at the output; our own HTML after that
            end = self._generated(page, render.story_end(story, self.index, udu))
            html = self._unlinked(sanitize.clean_page(html, page.toc) + "\n" + end, page, config)
            return render.breadcrumb(story, udu) + html + render.share_block(story, self.site.base, udu)
        # Generated HTML goes in after Markdown: listings (at their placeholder), a concept's stories, the source.
        # A macro's (the register's) headings join the table of contents.
        html = overview.fill_listing(self._generated(page, html), src, self.browse, self.index, udu)
        concept = self.index.concept_for_src(src)
        if concept is not None:
            html += "\n" + self._generated(page, render.concept_stories(concept, self.index, udu))
        if page.meta.get("kilde"):
            html += "\n" + render.source_line(page.meta["kilde"], src, self.index, udu)
        html = self._unlinked(html, page, config)
        self.search.add_page(
            src_uri=src, url=page.url, title=str(page.title or config.site_name), html_text=html, meta=page.meta
        )
        return html

    def _unlinked(self, html: str, page: Page, config: MkDocsConfig) -> str:
        """The preview: links to the listing pages it leaves out would lead nowhere."""
        if not self.preview:
            return html
        return preview.unlink(html, (page.url, page.file.src_uri), (self.left_out_urls(config), self.left_out))

    @staticmethod
    def _generated(page: Page, html: str) -> str:
        """Our generated HTML's headings in the page's table of contents and anchors, as Markdown's would be."""
        parents: list[AnchorLink] = []
        links = page.toc.items
        while links:  # the last heading at each level so far
            parents.append(links[-1])
            links = links[-1].children
        known = {link.id for link in _toc_links(page.toc.items)}
        for level, anchor, title in render.generated_headings(html):
            if anchor in known:
                continue
            link = AnchorLink(title, anchor, level)
            while parents and parents[-1].level >= level:
                parents.pop()
            (parents[-1].children if parents else page.toc.items).append(link)
            parents.append(link)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.add(anchor)
        return html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        story = self.index.story_for_src(page.file.src_uri)
        if story is not None:
            if not self.preview:  # the preview has no tag pages
                context["emneord_sider"] = {tag: tag_url(tag) for tag in story.tags}  # type: ignore[typeddict-unknown-key]
            # The tags are a choice too: the page's note says the editors' once; the chips name the exception.
            if not story.linked_by_editors:
                context["emneord_valgt_af"] = story.linked_by  # type: ignore[typeddict-unknown-key]
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
        shown = self._source(page.file.src_uri)[0]
        output = self._with_policy(output, shown)
        self.written[shown] = Path(page.file.abs_dest_path)
        self.written_now.add(Path(page.file.abs_dest_path))
        # A story or listing page is written: MkDocs would keep its Markdown and HTML until the build ends
        # (thousands of them). "" rather than None: Page.title returns None for a page whose markdown is None.
        if not page.file.inclusion.is_in_nav():
            page.markdown = ""
            page.content = None
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # 404.html is a theme template, not a page: it gets the same policy.
        if not template_name.endswith(".html"):
            return output_content
        return self._with_policy(output_content, self._source(template_name)[0])

    def _with_policy(self, output: str, path: str) -> str:
        """The page with its policy; an inline script no template wrote is a Problem (the browser would block it).
        `path`: the page's source file as a contributor finds it (`_source`). Served pages are checked but get no
        policy: `mkdocs serve` adds its own inline live-reload script."""
        with_policy, unknown = csp.with_policy(output, self.script_patterns)
        output = output if self.is_serve else with_policy
        for text in unknown:
            file = self.root / path
            line = next(
                (n for n, row in enumerate(_lines(file), start=1) if "<script" in row.lower()),
                1,
            )
            self._report(
                Problem(
                    path,
                    line,
                    verdict.SCRIPT_CODE,
                    f"Et indlejret script blokeres af sidens sikkerhedspolitik: '{' '.join(text.split())[:80]}'.",
                    "Læg scriptet i en fil under docs/assets/, og nævn filen under extra_javascript i mkdocs.yml.",
                )
            )
        return output

    # --- once per build, at the end ---------------------------------------------------------------------------

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # The theme's templates do not escape: every address they put in an attribute goes through `adresse`.
        env.filters["adresse"] = sanitize.url_attribute
        self.problems.current = None
        if self.preview:  # `--dirty` reads only changed pages: the menu needs the others' titles too
            for nav_page in self.nav.pages:
                if nav_page.markdown is None:
                    nav_page.read_source(config)
        # Every page is read (its macros have run), nothing is written yet. "Sidst opdateret" and the sitemap's
        # lastmod: the last commit of what the page is built from (a story's file in cases/; a docs file; for a
        # listing, a concept page or a page with a story macro also the newest story file); never the build date:
        # with no commit to go by, no date.
        for file in files.documentation_pages():
            page, src = file.page, file.src_uri
            if page is None:
                continue
            story = self.index.story_for_src(src)
            from_stories = (
                src in self.listing_srcs
                or src in self.pages_from_stories
                or self.index.concept_for_src(src) is not None
            )
            updated = (
                self.index.last_updated(story) if story else self.index.page_updated(src, from_stories=from_stories)
            )
            if updated is not None:  # else MkDocs' own value stays: the sitemap needs a date, readers get none
                page.update_date = updated.isoformat()
                page.meta["last_updated"] = render.danish_date(updated)
        return env

    def on_build_error(self, *, error: Exception) -> None:
        gc.enable()

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.enable()
        # Ours replaces the search plugin's index (not in the preview: it would cost seconds on every save at
        # thousands of stories); the search box shows its titles, texts and tags as HTML.
        if not self.preview:
            self.search.write(Path(config.site_dir))
        sanitize.clean_search_index(Path(config.site_dir) / SEARCH_INDEX)
        if self.is_serve:
            self._show_problems(Path(config.site_dir))
        if self.preview:
            return
        if self.problems.found and not self.is_serve:
            self._stop()
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
                log.info(printable(f"{len(added)} nye adresser er skrevet i {RECORD_NAME}: " + ", ".join(added)))

    def _show_problems(self, site_dir: Path) -> None:
        """Serving: every problem in a box on top of its page (a problem without a page: on the home page)."""
        home = site_dir / "index.html"
        boxed = {page.path for page in self.problem_pages.values()}  # their box is part of the page already
        by_file: dict[Path, list[Problem]] = {}
        for problem in self.problems.found:
            if problem.path in boxed:
                continue
            written = self.written.get(problem.path)
            target = written if written is not None and written.is_file() else home
            by_file.setdefault(target, []).append(problem)
        for target in {home, *by_file}:
            if target == home or target in self.written_now:
                preview.put_box(target, by_file.get(target, []), self.site.base)
        count = len(self.problems.found)
        log.info("Siden er opdateret." + (f" {count} problem(er) vises øverst på siderne." if count else ""))

    def left_out_urls(self, config: MkDocsConfig) -> set[str]:
        return {addresses.page_url(src, config.use_directory_urls) for src in self.left_out}
