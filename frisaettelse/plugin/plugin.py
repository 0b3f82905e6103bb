"""Events only: each hands the work to the domain package and turns its problems into log lines; a build's state is
made afresh in `on_config` (under `serve` the instance outlives a build)."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import posixpath
from collections.abc import Callable, Hashable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page, _RelativePathTreeprocessor
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext
from watchdog.observers import Observer

from .. import addresses, csp, facets, overview, pipeline, preview, render, routes, sanitize, search_index, share
from ..cards import Drawing
from ..filecache import FileCache
from ..markup import Converter, Rendered
from ..model import ProblemPage, Story
from ..problems import DEFAULT_SITE_URL, Code, Problem, printable, summary
from . import verdict

log = logging.getLogger("mkdocs.plugins.frisaettelse")


_NO_FRONT_MATTER = "---\n{}\n---\n"


def _items(items: list[Any]) -> Iterator[Any]:
    """Every item of a tree (the menu, a table of contents), depth first."""
    for item in items:
        yield item
        yield from _items(item.children or [])


def _folders(url: str, *, page: bool = False) -> tuple[str, ...]:
    """`url`'s folders as mkdocs.utils.get_relative_url reads them (a page's file name left out)."""
    folder, _, name = url.rpartition("/")
    path = folder if page and "." in name else url
    path = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return tuple(path.split("/")) if path else ()


def _menu(nav: Navigation, homepage: str) -> Callable[[Context], Markup]:
    """The theme's menu (`partials/nav.html`), rendered once per distinct input rather than once per page. A page
    outside it sees it only through the items' `active` flags and the `url` filter, which goes up from the page's
    folder to the part it shares with the target. That part lies within the page's deepest folder holding a target:
    pages with equal flags, depth and that folder get the same HTML."""
    items = list(_items(nav.items))
    targets = [_folders(str(url).replace("\\", "/")) for url in [homepage, *(i.url for i in items if not i.is_section)]]
    holding = {target[:n] for target in targets for n in range(1, len(target) + 1)}
    in_menu = {page.file.src_uri for page in nav.pages}
    cache: dict[Hashable, Markup] = {}

    @pass_context
    def menu(context: Context) -> Markup:
        page, key = context.get("page"), None
        if page is not None and page.file.src_uri not in in_menu:
            folders, shared = _folders(page.url, page=True), 0
            while shared < len(folders) and folders[: shared + 1] in holding:
                shared += 1
            key = (tuple(map(attrgetter("active"), items)), folders[:shared], len(folders))
        html = cache.get(key)
        if html is None:
            html = Markup(context.environment.get_template("partials/nav.html").render(context.get_all()))
            if key is not None:
                cache[key] = html
        return html

    return menu


class _MadePage(Page):
    """A page the plugin makes without MkDocs' Markdown, which would make a parser for each page and convert it: a
    story's from the build's one conversion of its body (the checks', markup.Converter), a listing's from its
    template. The body's Markdown links are rewritten as MkDocs rewrites them (`links`, applied by the sanitiser)."""

    content_of: Callable[[], tuple[str, list[Any]]]  # (HTML, the toc extension's headings)
    body: Rendered | None = None
    links: dict[str, str] | None = None

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, tokens = self.content_of()
        self.toc = get_toc(tokens)
        self.present_anchor_ids = {link.id for link in _items(self.toc.items)} | set(self.body.ids if self.body else ())
        if self.body is not None:
            relative = _RelativePathTreeprocessor(self.file, files, config)  # and its warnings, as for any page
            self.links = {url: relative.path_to_url(url) for url in self.body.links}
            self.links_to_anchors = relative.links_to_anchors


class FrisaettelseConfig(Config):
    """The plugin's options, typed; `mkdocs.yml` may feed them from the environment with `!ENV`."""

    # Where the stories are, relative to mkdocs.yml.
    cases_dir = c.Type(str, default="cases")
    # The contributor's fast preview: story pages only; no listings, cards, feed or address record.
    preview = c.Type((bool, int), default=False)
    # Only the publishing build adds new addresses to publicerede-adresser.txt (the deploy workflow commits it).
    record_published_urls = c.Type((bool, int), default=False)
    # Share cards are drawn once and kept here between builds (relative to mkdocs.yml).
    card_cache_dir = c.Type(str, default=".cache/kort")


class FrisaettelsePlugin(BasePlugin[FrisaettelseConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Present so MkDocs keeps one instance across `serve` rebuilds: unchanged story files are not read again.
        self.is_serve, self.keep_pages = command == "serve", command == "serve" and dirty
        self.file_cache = FileCache() if self.is_serve else None
        self.script_stamp: list[tuple[Path, int]] = []
        self.written: dict[str, Path] = {}  # shown path -> written page, kept across builds
        self.kept: dict[str, tuple[tuple[Any, ...], File]] = {}  # src -> (made from, File): a page to leave as it is
        self.env: tuple[Any, Any] = (None, None)  # the theme's templates, compiled, and what they were made from
        self.cards: Drawing | None = None  # this build's share cards, being drawn (not in the preview)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.is_serve:  # a rebuild makes thousands of objects that live until it ends: no GC passes over them
            gc.disable()  # (until on_post_build, on_build_error)
        self.root, self.docs_dir = Path(config.config_file_path).resolve().parent, Path(config.docs_dir)
        self.preview, udu = bool(self.config.preview), config.use_directory_urls
        config.site_url = url = config.site_url or DEFAULT_SITE_URL  # pages print it: never "None"
        base = url if url.endswith("/") else url + "/"
        self.site = share.SiteInfo(base, config.site_name, config.site_description or "")
        index = pipeline.build_index(
            self.root,
            docs_dir=self.docs_dir,
            cases_dir=self.root / self.config.cases_dir,
            cache=self.file_cache,
            converter=Converter((config.markdown_extensions, config.mdx_configs)),  # MkDocs' own settings
        )
        model = pipeline.run(index, site_url=self.site.base, use_directory_urls=udu, preview=self.preview)
        self.model, self.index, self.browse, self.listing_pages = model, model.index, model.browse, model.listing_pages
        self.listing_srcs = frozenset(p.src_uri for p in self.listing_pages)
        self.pages_from_stories = set[str]()  # docs pages whose macros read the stories (frisaettelse.macros)
        # The inline scripts the policy allows: under `serve` read again only when a template of the site changed.
        custom = Path(config.theme.custom_dir) if self.is_serve and config.theme.custom_dir else None
        stamp = [(p, p.stat().st_mtime_ns) for p in sorted(custom.rglob("*.html"))] if custom else []
        if not self.is_serve or stamp != self.script_stamp:
            self.script_stamp, self.script_patterns = stamp, csp.template_patterns(config.theme.dirs)
        # The listing pages the preview does not publish: links to them are not problems there, and are unlinked.
        self.left_out = {p.src_uri for p in self.browse.generated} - self.listing_srcs if self.preview else set[str]()
        self.left_out_urls = {addresses.page_url(src, udu).strip("/") for src in self.left_out}
        # Every problem is a Problem (verdict.py): under `serve` shown on its page, never stopping the server.
        macros = config.plugins.get("macros")
        self.problems = verdict.BuildProblems(  # the macro names: for the suggestion when one is misspelt
            source=self._source,
            root=self.root,
            macro_names=lambda: {*getattr(macros, "macros", {}), *getattr(macros, "variables", {})},
            site_url=self.site.base,
            level=logging.WARNING if self.is_serve else logging.ERROR,
            left_out=self.left_out,
        )
        verdict.listen(self.problems, serve=self.is_serve, preview=self.preview)
        if macros is not None:  # a macro's mistake is a Problem on its page, never mkdocs-macros' exit(100)
            macros.config["on_error_fail"] = False
        self.written_now, self.made_from = set[Path](), dict[str, tuple[Any, ...]]()
        self.story_pages = preview.story_pages(self.index, self.file_cache)
        for problem in model.problems:
            self._report(problem)
        if model.problems and not self.is_serve:
            self._stop()
        if not self.preview:  # the cards are begun now, on the cores the pages leave idle
            cards = share.site_cards(self.index, self.site, Path(config.site_dir))
            self.cards = Drawing(cards, self.root / self.config.card_cache_dir)
        return config

    def _report(self, problem: Problem) -> None:
        if self.problems.add(problem):
            log.log(self.problems.level, problem.format(self.site.base), extra={"frisaettelse": problem})

    def _stop(self) -> None:
        message = summary(len(self.problems.found), "i indholdet", "som beskrevet ovenfor")
        self.problems.said.add(message)
        raise PluginError(message)

    def _source(self, src: str) -> str:
        """The page's file as a contributor finds it (cases/x.md, docs/om/index.md), from the project's folder."""
        if (story := self.story_pages.get(src)) is not None:
            return story.path
        path = (self.docs_dir / src).resolve()
        if path.is_file() and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        return src or "mkdocs.yml"

    @event_priority(50)  # before mkdocs-redirects and the tags plugin look at the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Stories live in cases/ but are published under historier/<slug>/, outside the navigation.
        for story in self.story_pages.values():
            src = story.src_uri
            if self.keep_pages:  # the preview: a page written from the same file and problems stays as it is
                with contextlib.suppress(OSError):
                    stamp = story.abs_path.stat().st_mtime_ns
                    made_from = (stamp, tuple(self.problems.by_path.get(story.path, ())), config.use_directory_urls)
                    self.made_from[src] = made_from
                    if src in self.kept and self.kept[src][0] == made_from:  # MkDocs makes no Page of it
                        kept = self.kept[src][1]
                        kept.inclusion, kept.page = InclusionLevel.EXCLUDED, None
                        files.append(kept)
                        continue
            file = File.generated(config, src, abs_src_path=str(story.abs_path), inclusion=InclusionLevel.NOT_IN_NAV)
            # Percent-encoded here (MkDocs joins it into page.edit_url as it is); escaped by the template's filter.
            file.edit_uri = sanitize.url_path(f"../{self.config.cases_dir}/{story.abs_path.name}")
            files.append(file)
            if isinstance(story, Story):  # converted by the checks (under `serve` here, if they were cached)
                made = _MadePage(None, file, config)
                made.body = self.index.converter.convert_body(story.body) or Rendered("", frozenset(), ())
                made.content_of = functools.partial(render.story_content, story, made.body)
        for page in self.listing_pages:
            file = File.generated(config, page.src_uri, inclusion=InclusionLevel.NOT_IN_NAV, content=_NO_FRONT_MATTER)
            files.append(file)
            _MadePage(None, file, config).content_of = functools.partial(overview.listing_content, page, self.browse)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # The address book was made from our own reading of docs/: MkDocs must have found the same pages.
        found = {f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.all)}
        expected = {*self.index.docs_pages, *self.story_pages, *self.listing_srcs}
        what, fix = "Siden er ikke med i sitets adressebog.", "Ret frisaettelse/routes.py."
        for src in sorted(found ^ expected):
            self._report(Problem(src, 1, Code.FM067, what, fix))
        home = next((p for p in nav.pages if p.file.src_uri == addresses.OVERVIEW_SRC), None)
        self.nav, self.stories_section = nav, home.parent if home is not None else None
        return nav

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # Front-matter has one reader, load.py: MkDocs gets an empty block, page.meta comes in on_page_markdown.
        src = page.file.src_uri
        if src in self.story_pages:
            return _NO_FRONT_MATTER
        if src in self.index.docs_pages:  # an unreadable one (its problem is said) as an empty page
            return _NO_FRONT_MATTER + getattr(self.index.docs_documents.get(src), "body", "")
        return None

    @event_priority(100)  # before macros: a story never reaches Jinja
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        self.problems.current = (src, markdown)  # where a warning from MkDocs or the macros belongs
        story = self.story_pages.get(src)
        if isinstance(story, Story):
            page.meta = {"title": story.title, "description": story.description, "tags": list(story.tags)}
            page.meta |= {"render_macros": False, "search": {"exclude": True}}  # searched from the index instead
            markdown = story.body  # read by no one: the page is made from its conversion (_MadePage)
        elif story is not None:
            page.meta = {"title": story.title, "render_macros": False}
            markdown = render.part("problems.html", "page", story.title, story.body.strip())
        elif (listing := self.browse.page(src) if src in self.listing_srcs else None) is not None:
            page.meta = overview.facet_meta(listing)
        else:  # `template` picks the page's template (a redirect page, say): no content may set it
            meta = getattr(self.index.docs_documents.get(src), "meta", page.meta)  # load.py's reading, if any
            page.meta = {key: value for key, value in meta.items() if key != "template"}
        sanitize.escape_page_meta(page.meta)  # the theme prints page.meta.title unescaped
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src, udu = page.file.src_uri, config.use_directory_urls
        in_file = self.problems.by_path.get(self._source(src), []) if self.is_serve else []
        if any(p.code == Code.FM065 for p in in_file):
            return preview.MACRO_FAILED  # mkdocs-macros' English error page: the box (on_post_build) says what to fix
        story = self.story_pages.get(src)
        if isinstance(story, ProblemPage):  # its problems are boxed on top, as every page's (on_post_build)
            return self._unlinked(sanitize.clean_page(html, page.toc), page)
        if story is not None:  # a story page: cleaned by allow-list once, at the output; our own HTML after that
            end = self._generated(page, render.story_end(story, self.index, udu))
            links = page.links if isinstance(page, _MadePage) else None
            html = self._unlinked(sanitize.clean_page(html, page.toc, links) + "\n" + end, page)
            return render.breadcrumb(story, udu) + html + render.share_block(story, self.site.base, udu)
        # Generated HTML goes in after Markdown: listings (at their placeholder), a concept's stories, the source.
        # A macro's (the register's) headings join the table of contents.
        html = self._generated(page, html)
        if src in self.listing_srcs:  # filled just before it is written (on_page_context): MkDocs would hold
            return html  # thousands of filled listings at once
        html = overview.fill_listing(html, src, self.browse, self.index, udu)
        concept = self.index.concept_for_src(src)
        if concept is not None:
            html += "\n" + self._generated(page, render.concept_stories(concept, self.index, udu))
        if page.meta.get("kilde"):
            html += "\n" + render.source_line(page.meta["kilde"], src, self.index, udu)
        return self._unlinked(html, page)

    def _unlinked(self, html: str, page: Page) -> str:
        return preview.unlink(html, page.url, page.file.src_uri, self.left_out_urls, self.left_out)

    @staticmethod
    def _generated(page: Page, html: str) -> str:
        """Our generated HTML's headings in the page's table of contents and anchors, as Markdown's would be."""
        known = {link.id for link in _items(page.toc.items)}
        for level, anchor, title in render.generated_headings(html):
            if anchor in known:
                continue
            siblings = page.toc.items  # under the last heading of a higher level, as Markdown nests them
            while siblings and siblings[-1].level < level:
                siblings = siblings[-1].children
            siblings.append(AnchorLink(title, anchor, level))
            if page.present_anchor_ids is not None:
                page.present_anchor_ids.add(anchor)
        return html

    @event_priority(50)  # a listing is filled before the search plugin takes its data-search-* marks out
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        src = page.file.src_uri
        if src in self.listing_srcs:
            listing = overview.fill_listing(page.content or "", src, self.browse, self.index, config.use_directory_urls)
            page.content = self._unlinked(listing, page)
        story = self.index.story_for_src(src)
        if story is not None:
            if not self.preview:  # the preview has no tag pages
                context["emneord_sider"] = {tag: facets.tag_url(tag) for tag in story.tags}  # type: ignore[typeddict-unknown-key]
            # The tags are a choice too: the page's note says the editors' once; the chips name the exception.
            if not story.linked_by_editors:
                context["emneord_valgt_af"] = story.linked_by  # type: ignore[typeddict-unknown-key]
        if (story is not None or src in self.listing_srcs) and self.stories_section is not None:
            # Outside the menu: its "Historier" section is marked as where the reader is (undone in on_post_page).
            self.stories_section.active = True
        title = config.site_name if page.is_homepage else sanitize.page_title(page, config.site_name)
        description = str(page.meta.get("description") or self.site.description)
        deling = share.preview(title=title, description=description, url=page.url, story=story, site=self.site)
        context["deling"] = deling  # type: ignore[typeddict-unknown-key]
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.stories_section is not None:  # MkDocs unmarks a page's own sections after this
            self.stories_section.active = False
        shown, written = self._source(page.file.src_uri), Path(page.file.abs_dest_path)
        output = self._with_policy(output, shown)
        self.written[shown] = written
        self.written_now.add(written)
        if (src := page.file.src_uri) in self.made_from:
            self.kept[src] = (self.made_from[src], page.file)
        # A story or listing page is written: MkDocs would keep its Markdown and HTML until the build ends.
        # "" rather than None: Page.title returns None for a page whose markdown is None.
        if not page.file.inclusion.is_in_nav():
            page.markdown, page.content = "", None
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        page = template_name.endswith(".html")  # 404.html is a theme template, not a page: it gets the same policy
        return self._with_policy(output_content, self._source(template_name)) if page else output_content

    def _with_policy(self, output: str, path: str) -> str:
        """An inline script no template wrote is a Problem; served pages get no policy (live-reload's script)."""
        with_policy, unknown = csp.with_policy(output, self.script_patterns)
        fix = "Læg scriptet i en fil under docs/assets/, og nævn filen under extra_javascript i mkdocs.yml."
        for text in unknown:
            lines = verdict.text_of(self.root / path).split("\n")
            line = next((n for n, row in enumerate(lines, start=1) if "<script" in row.lower()), 1)
            what = f"Et indlejret script blokeres af sidens sikkerhedspolitik: '{' '.join(text.split())[:80]}'."
            self._report(Problem(path, line, Code.FM066, what, fix))
        return output if self.is_serve else with_policy

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # The preview keeps the theme's compiled templates between saves, until a template of the site changes.
        made_from = (self.script_stamp, config.theme.dirs, config.theme.locale)
        if self.keep_pages and self.env[1] == made_from:
            env = self.env[0]
        self.env = (env, made_from)
        # The theme's templates do not escape: every address they put in an attribute goes through `adresse`.
        env.filters["adresse"] = sanitize.url_attribute
        homepage = config.extra.get("homepage") or (self.nav.homepage.url if self.nav.homepage else "")
        env.globals["menu"] = _menu(self.nav, homepage)
        self.problems.current = None
        if self.preview:  # `--dirty` reads only changed pages: the menu needs the others' titles too
            for nav_page in self.nav.pages:
                if nav_page.markdown is None:
                    nav_page.read_source(config)
        # "Sidst opdateret" and the sitemap's lastmod: the last commit of what the page is built from (for a listing,
        # a concept page or a page with a story macro also the newest story file); without a commit, no date.
        index, by_stories = self.index, self.listing_srcs | self.pages_from_stories
        for page in [file.page for file in files.documentation_pages() if file.page is not None]:
            src, story = page.file.src_uri, index.story_for_src(page.file.src_uri)
            from_stories = src in by_stories or index.concept_for_src(src) is not None
            updated = index.last_updated(story) if story else index.page_updated(src, from_stories=from_stories)
            if updated is not None:  # else MkDocs' own value stays: the sitemap needs a date, readers get none
                page.update_date = updated.isoformat()
                page.meta["last_updated"] = render.danish_date(updated)
        return env

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """The preview hears a save at once, from the system's file events, not from MkDocs polling every 0.5 s."""
        if self.preview:  # what MkDocs watches so far; config.watch (cases/) is added after this hook
            watched = [path for path in (config.docs_dir, config.config_file_path) if path]
            for path in watched:
                server.unwatch(path)
            server.observer = Observer()  # type: ignore[assignment]
            for path in watched:
                server.watch(path)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        gc.enable()
        if self.cards is not None:
            self.cards.cancel()

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.enable()
        site_dir = Path(config.site_dir)
        if not self.preview:  # the search plugin's, with our story entries (not in the preview: seconds per save)
            search_index.write(site_dir, self.index, use_directory_urls=config.use_directory_urls)
        sanitize.clean_search_index(site_dir / addresses.SEARCH_INDEX)
        if self.is_serve:  # every problem in a box on top of its page (a problem without a page: on the home page)
            home, by_file = site_dir / "index.html", dict[Path, dict[str, list[Problem]]]()
            for path, problems in self.problems.by_path.items():
                written = self.written.get(path)
                by_file.setdefault(written if written and written.is_file() else home, {})[path] = problems
            for target in {home, *by_file} & {home, *self.written_now}:
                preview.put_box(target, by_file.get(target, {}), self.site.base)
            count = len(self.problems.found)
            log.info("Siden er opdateret." + (f" {count} problem(er) vises øverst på siderne." if count else ""))
        if self.cards is None:  # the preview
            return
        if self.problems.found and not self.is_serve:
            self._stop()
        redirects = list(self.model.routes.redirects)
        if drawn := share.publish(self.index, redirects, site=self.site, site_dir=site_dir, cards=self.cards):
            log.info(f"Tegnede {drawn} delingskort (resten kom fra {self.config.card_cache_dir}).")
        if self.config.record_published_urls and (
            added := routes.update_record(self.root / addresses.RECORD_NAME, self.model.routes.live)
        ):
            log.info(printable(f"{len(added)} nye adresser er skrevet i {addresses.RECORD_NAME}: " + ", ".join(added)))
