"""Render step: story and concept pages, cards. Generated parts are HTML from the autoescaped templates in
frisaettelse/templates/ with final URLs, added after Markdown; Markdown converts only a story's body."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown.extensions.toc import nest_toc_tokens, unique
from markupsafe import Markup

from . import addresses
from .addresses import href
from .csp import REDIRECT_POLICY
from .load import slugify
from .markup import Rendered
from .model import Concept, Redirect, SiteIndex, Story
from .sanitize import html_text, markdown_text, marked_body, url_attribute
from .schema import FREED_FROM_KIND_LABELS, NOT_TOLD, RULE_KIND_LABELS, SOURCES, STORY_PAGE_IDS, ConceptKind

MONTHS = "januar februar marts april maj juni juli august september oktober november december".split()
CONCEPT_STORY_LIMIT = 25  # newest first; the concept's own filter pages list them all, page by page
PLURAL_DEFINITE = {ConceptKind.PRINCIPLE: "principperne", ConceptKind.BOUNDARY: "hegnspælene"}


def danish_date(value: dt.date) -> str:
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors that keep Danish words readable (æ→ae, ø→oe, å→aa) – used by the toc extension."""
    return slugify(value).replace("-", separator)


def link(item: Story | Concept, from_src: str) -> str:
    return f"[{markdown_text(item.title)}]({href(item.src_uri, from_src)})"


def _escaped(value: Any) -> Any:
    """Every value a template prints goes through sanitize's escaper (braces too), never raw."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else Markup(html_text(value))


ENV = Environment(loader=PackageLoader("frisaettelse"), autoescape=True, undefined=StrictUndefined, auto_reload=False)
ENV.trim_blocks = ENV.lstrip_blocks = True
ENV.finalize = _escaped
ENV.filters["adresse"] = lambda value: Markup(url_attribute(value))


@functools.cache
def macro(template: str, name: str) -> Any:
    """One macro of a template in frisaettelse/templates/, callable from Python (it returns Markup)."""
    return getattr(ENV.get_template(template).module, name)


def part(template: str, name: str, *args: Any, **kwargs: Any) -> str:
    """A macro's HTML as a plain str: `+` on it never escapes the other side (as Markup's would)."""
    return str(macro(template, name)(*args, **kwargs))


def url(target_src: str, from_src: str, use_directory_urls: bool = True) -> Markup:
    """Relative URL from one page (and section) to another, as MkDocs writes it for a `.md` link; escaped."""
    target, mark, anchor = target_src.partition("#")
    here, there = (addresses.page_url(src, use_directory_urls) for src in (from_src, target))
    return Markup(url_attribute(addresses.relative_url(there, here) + mark + anchor))


@functools.lru_cache(maxsize=1 << 15)
def _card_halves(story: Story, mark_teller: str) -> tuple[str, str]:
    head, _, tail = part("parts.html", "card", story, Markup("\0"), mark_teller).partition("\0")
    return head, tail


def drawn_card(story: Story, link: Markup, mark_teller: str = "") -> Markup:
    """The one story card of every list, drawn once per build; only its link, relative to the page, is per page."""
    head, tail = _card_halves(story, mark_teller)
    return Markup("".join((head, link, tail)))


def editors_note(
    stories: list[Story] | tuple[Story, ...], what: str, verb: str = "knyttet historierne til", by_editors: int = -1
) -> str:
    """Who made a list's links, said once (`what`: 'principperne'); the cards mark only the exceptions. A listing's
    every page passes its value's count (`FacetValue.by_editors`), counted once per build."""
    by_editors = sum(1 for s in stories if s.linked_by_editors) if by_editors < 0 else by_editors
    if not stories:
        return ""
    if not by_editors:
        return f"Fortællerne har selv {verb} {what}."
    if by_editors == len(stories):
        return f"Redaktionen har {verb} {what}: det er redaktionens læsning."
    return f"Redaktionen har {verb} {what}, undtagen hvor der står «{verb.split()[0]} af fortælleren»."


def not_told(story: Story) -> str:
    return "Ikke oplyst" if story.source == "indsendt" else "Ikke oplyst i kilden"


def kind_in_own_words(story: Story) -> bool:
    """The rule as the story words it already names its kind ('Kommunal regel om …'): then it is no one's choice."""
    return story.freed_from.casefold().startswith(story.freed_from_kind.casefold())


def freed_to_is_chosen(story: Story) -> bool:
    """A document says nothing about what anyone was freed to: there "fri til" is a sentence the editors chose."""
    return story.tells_freed_to and story.source != "indsendt"


def same_text(a: str, b: str) -> bool:
    """Two fields that say the same (quotes, punctuation, case and spacing aside): then the page says it once."""
    return len({" ".join(re.sub(r"[^\w\s]", " ", value.casefold()).split()) for value in (a, b)}) == 1


def story_content(story: Story, body: Rendered) -> tuple[str, list[Any]]:
    """A story page up to its generated end, and its headings as the toc extension gives them: title, summary
    (unless it repeats "Fri til") and the body from its one conversion, marked off for the sanitiser."""
    anchor = unique(heading_slug(story.title), set(body.ids))  # the title's id gives way to the body's
    summary = not (story.tells_freed_to and same_text(story.description, story.freed_to))
    html = part("story.html", "head", story, anchor, summary) + "\n" + marked_body(body.html)

    def flat(tokens: Iterable[dict[str, Any]]) -> Iterator[Any]:
        for token in tokens:  # a heading the text gave one of the page's own ids keeps no id (sanitize): no entry
            if token["id"] not in STORY_PAGE_IDS:
                yield {key: value for key, value in token.items() if key != "children"}
            yield from flat(token.get("children", ()))

    own = [
        {"level": 1, "id": anchor, "name": html_text(story.title)},
        {"level": 2, "id": "historien", "name": "Historien"},
    ]
    return html, nest_toc_tokens(own + list(flat(body.toc)))


# The parts the plugin adds after Markdown, with final URLs: macros of templates/story.html (udu defaults to True).
breadcrumb = functools.partial(part, "story.html", "breadcrumb")  # (story, udu)
story_end = functools.partial(part, "story.html", "facts")  # (story, index, udu): facts, related stories, source
source_line = functools.partial(part, "story.html", "source")  # (source_id, from_src, index, udu)
# (concept, index, udu): a principle's or hegnspæl's page ends with its newest stories, who linked them, its filter page
concept_stories = functools.partial(part, "story.html", "concept_stories")
share_block = functools.partial(part, "story.html", "share")  # (story, base, udu): its address to copy, its image


def story_ids(story: Story, index: SiteIndex, body: Rendered) -> frozenset[str]:
    """Every id on a story's page, what a link to one of its sections may name."""
    ours = story_content(story, body._replace(html=""))[0] + story_end(story, index)
    return body.ids | frozenset(re.findall(r'\bid="([^"]+)"', ours))


def generated_headings(html: str) -> list[tuple[int, str, str]]:
    """(level, id, title) of the headings in our own generated HTML, for the page's table of contents."""
    found = re.findall(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"', html)
    return [(int(level), anchor, title) for level, anchor, title in found]


def concept_list(concepts: list[Concept], index: SiteIndex, from_src: str) -> str:
    """Principles or hegnspæle, numbered, with description and story count; who linked them said once below."""
    linked = {s.slug: s for c in concepts for s in index.stories_for(c.kind, c.id)}
    items = "\n".join(
        f"{c.number}. **{link(c, from_src)}** – {markdown_text(c.description)}"
        f" *({linked_count_label(index.stories_for(c.kind, c.id))})*"
        for c in concepts
    )
    what = PLURAL_DEFINITE[concepts[0].kind] if concepts else ""
    return items + "\n\n" + part("parts.html", "inset", editors_note(list(linked.values()), what))


def count_label(count: int) -> str:
    return "1 historie" if count == 1 else f"{count} historier"


def linked_count_label(stories: list[Story]) -> str:
    """'5 historier' – and, as the exception to the page's note, 'heraf 1 knyttet af fortælleren'."""
    by_tellers = sum(1 for s in stories if not s.linked_by_editors)
    if by_tellers and by_tellers < len(stories):
        who = "fortælleren" if by_tellers == 1 else "fortællerne"
        return f"{count_label(len(stories))}, heraf {by_tellers} knyttet af {who}"
    return count_label(len(stories))


def redirect_html(redirect: Redirect, site_url: str) -> str:
    """A Danish redirect page: meta refresh (relative, so it works under any sub-path), canonical, visible link."""
    relative, absolute = posixpath.relpath(redirect.target, redirect.old) + "/", site_url.rstrip("/") + redirect.target
    return part("redirect_page.html", "page", redirect.title, REDIRECT_POLICY, relative, absolute)


_FOR_TEMPLATES = (url, drawn_card, danish_date, slugify, not_told, kind_in_own_words, freed_to_is_chosen, editors_note)
ENV.globals.update({f.__name__: f for f in _FOR_TEMPLATES}, rule_kinds=RULE_KIND_LABELS, sources=SOURCES)
ENV.globals.update(addresses=addresses, facet_src=addresses.facet_src, untold_label=FREED_FROM_KIND_LABELS[NOT_TOLD])
ENV.globals.update(principle=ConceptKind.PRINCIPLE, boundary=ConceptKind.BOUNDARY, story_limit=CONCEPT_STORY_LIMIT)
ENV.globals.update(kinds={kind.facet_key: kind for kind in ConceptKind}, count_label=count_label)
