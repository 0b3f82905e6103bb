"""MkDocs hook: events only, the work is in the package. Fails the build on invalid content, publishes stories
from cases/ and the generated listing pages, renders story pages from their fields (a story never reaches Jinja),
and adds share tags, cards, feed and redirects."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from frisaettelse import csp, listings, render, sanitize, share
from frisaettelse.facets import tag_url
from frisaettelse.site import browse_for, index_for, is_preview, site_url

log = logging.getLogger("mkdocs.plugins.frisaettelse")


def on_startup(command: str, dirty: bool) -> None:
    csp.startup(command)  # `mkdocs serve` injects its own inline script: no policy there


def on_config(config: Any) -> Any:
    # Validate everything once, before any page is read; report every problem, then stop.
    index = index_for(config)
    for problem in index.problems:
        log.error(problem.format(site_url(config)))
    if index.problems:
        raise PluginError(f"{len(index.problems)} problem(er) i indholdet. Ret dem som beskrevet ovenfor.")
    return config


@event_priority(50)
def on_files(files: Files, config: Any) -> Files:
    # Stories live in cases/ but are published under historier/<slug>/, outside the navigation.
    index = index_for(config)
    for story in index.stories.values():
        file = File.generated(config, story.src_uri, abs_src_path=str(story.abs_path),
                              inclusion=InclusionLevel.NOT_IN_NAV)
        file.edit_uri = f"../cases/{story.abs_path.name}"
        files.append(file)
    if not is_preview():  # filter pages list every story: rebuilt on every change, too slow for a preview
        for file in listings.generated_files(config, index, browse_for(config), {f.src_uri for f in files}):
            files.append(file)
    index.page_uris = {file.src_uri for file in files.documentation_pages()}
    return files


@event_priority(100)
def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    # Before macros. A story is data: rebuilt from its fields and kept out of Jinja entirely.
    # Other pages get their generated sections; generated text never contains braces, so Jinja leaves it be.
    sanitize.escape_page_meta(page.meta)  # the theme prints page.meta.title unescaped
    index = index_for(config)
    src = page.file.src_uri
    story = index.story_for_src(src)
    if story is not None:
        page.meta["render_macros"] = False
        return render.story_page(story, index)
    concept = index.concept_for_src(src)
    if concept is not None:
        markdown += "\n" + render.concept_stories(concept, index)
    if page.meta.get("kilde"):
        markdown += "\n\n" + render.source_line(page.meta["kilde"], src, index)
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    # Story pages: cleaned by allow-list once, at the output. Listing pages: their ready-made HTML goes in after
    # Markdown (see listings.listing).
    if index_for(config).story_for_src(page.file.src_uri) is not None:
        return sanitize.clean_page(html, page.toc)
    return listings.fill_listing(html, page.file.src_uri, browse_for(config), index_for(config),
                                 config["use_directory_urls"])


def on_post_page(output: str, page: Any, config: Any) -> str:
    output = csp.add_policy(output, page.file.abs_src_path or page.file.src_uri, config)
    # A story or listing page is written: MkDocs would keep its Markdown and HTML until the build ends (thousands
    # of them). Navigation pages keep theirs: MkDocs derives their titles in the menu of later pages from it.
    if not page.file.inclusion.is_in_nav():
        page.markdown = None
        page.content = None
    return output


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    # 404.html is a theme template, not a page: it gets the same policy.
    return csp.add_policy(output_content, template_name, config) if template_name.endswith(".html") else output_content


def on_env(env: Any, config: Any, files: Files) -> Any:
    # Every page's front-matter is read; nothing is written yet: redirects, URL record check, sitemap dates.
    if is_preview():
        return env
    share.prepare(config, files, index_for(config))
    return env


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    # A story's "last updated" is its own date, not the build date git-revision-date gives generated pages.
    story = index_for(config).story_for_src(page.file.src_uri)
    if story is not None:
        page.meta["git_revision_date_localized"] = render.danish_date(story.date)
        context["emneord_sider"] = {tag: tag_url(tag) for tag in story.tags}
    context["deling"] = share.preview(page, config, index_for(config))
    return context


def on_post_build(config: Any) -> None:
    # Redirect pages, card images, the feed, and (in the publishing build) new URLs in publicerede-adresser.txt.
    sanitize.clean_search_index(Path(config["site_dir"]) / "search" / "search_index.json")
    if is_preview():
        return
    share.publish(config, index_for(config))
