"""Step 4 of the data flow: turn index entries into Markdown that MkDocs then renders and link-checks.

Every link points at a source `.md` path relative to the current page, so MkDocs' own link validation
covers it, and every text from a contributor is escaped (stories are data, not markup).
"""

from __future__ import annotations

import html
import posixpath

from .index import Concept, SiteIndex, Story
from .load import slugify
from . import addresses
from .schema import RULE_KIND_LABELS, SOURCES, ConceptKind

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def danish_date(value) -> str:
    """19. december 2023"""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def text(value: str) -> str:
    """Escape contributor text: Markdown syntax first, then HTML, then braces (so Jinja never sees any)."""
    escaped = "".join("\\" + ch if ch in "\\`*_[]#|" else ch for ch in value)
    return html.escape(escaped, quote=False).replace("{", "&#123;").replace("}", "&#125;")


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors that keep Danish words readable (æ→ae, ø→oe, å→aa) – used by the toc extension."""
    return slugify(value).replace("-", separator)


def href(target_src: str, from_src: str) -> str:
    """Relative link from one docs-relative source file to another (what MkDocs validates)."""
    return posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")


def link(title: str, target_src: str, from_src: str) -> str:
    return f"[{text(title)}]({href(target_src, from_src)})"


def concept_link(concept: Concept, from_src: str) -> str:
    return link(concept.title, concept.src_uri, from_src)


def story_link(story: Story, from_src: str) -> str:
    return link(story.title, story.src_uri, from_src)


def story_list(stories: list[Story], from_src: str, *, empty: str = "Ingen historier endnu.") -> str:
    """A plain list: title (linked), summary, area. Used where a short list reads better than cards."""
    if not stories:
        return f"*{empty}*\n"
    return "\n".join(
        f"- **{story_link(s, from_src)}** – {text(s.description)} *({text(s.area.capitalize())})*" for s in stories
    ) + "\n"


def source_line(source_id: str, from_src: str, index: SiteIndex) -> str:
    """`Kilde: <titel>, <dato>` with a link to the page presenting the document, if the site has it."""
    source = SOURCES.get(source_id)
    if source is None:
        return ""
    linkable = source.page in index.docs_pages and source.page != from_src
    title = link(source.title, source.page, from_src) if linkable else text(source.title)
    return f"Kilde: {title}, {text(source.date)}\n{{: .kilde }}\n"


def html_text(value: str) -> str:
    """Escape contributor text for a raw HTML block (Markdown does not run there, Jinja never sees braces)."""
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def story_facts(story: Story) -> str:
    """The box at the top of a story: what it was freed from and to, area, date and who tells it.

    Plain HTML, not Markdown-in-HTML: nothing in it is a link, and md_in_html is the costliest step per page."""
    rows = [
        ("Fri fra", f"{html_text(story.freed_from)} ({RULE_KIND_LABELS[story.freed_from_kind]})"),
        ("Fri til", html_text(story.freed_to)),
        ("Område", html_text(story.area.capitalize())),
        ("Dato", f'<time datetime="{story.date.isoformat()}">{danish_date(story.date)}</time>'),
        ("Fortalt af", html_text(story.quote_role)),
    ]
    facts = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<div class="historie-fakta">\n<dl>\n{facts}\n</dl>\n</div>\n'


def story_cross_links(story: Story, index: SiteIndex, from_src: str) -> str:
    """The principles a story draws on and the boundaries it respects, generated from its front-matter."""
    principle_items = "\n".join(f"- {concept_link(index.principles[p], from_src)}" for p in story.principles)
    boundary_items = "\n".join(f"- {concept_link(index.boundaries[b], from_src)}" for b in story.boundaries)
    return (
        f"## Bygger på principperne {{ #principper-for-historien }}\n\n{principle_items}\n\n"
        f"## Respekterer hegnspælene {{ #hegnspaele-for-historien }}\n\n{boundary_items}\n"
    )


def story_page(story: Story, index: SiteIndex) -> str:
    """The whole Markdown of a story page: title, facts, the contributor's body as-is, cross-links, related,
    source. The story itself comes before the links, so a reader meets the experience first."""
    src = story.src_uri
    related = index.related(story)
    related_md = "\n## Relaterede historier\n\n" + story_list(related, src) if related else ""
    return (
        f"# {text(story.title)}\n\n"
        f'<p class="resume">{html_text(story.description)}</p>\n\n'
        f"{story_facts(story)}\n"
        f"## Historien\n\n{story.body.strip()}\n\n"
        f"{story_cross_links(story, index, src)}\n"
        f"{related_md}\n"
        f"{source_line(story.source, src, index)}"
    )


CONCEPT_STORY_LIMIT = 25  # newest first; the concept's own filter pages list them all, page by page


def concept_stories(concept: Concept, index: SiteIndex) -> str:
    """The section a principle or boundary page ends with: the stories that name it (all, while they are few)."""
    stories = index.stories_for(concept.kind, concept.id)
    heading = ("Historier, der bygger på princippet" if concept.kind == ConceptKind.PRINCIPLE
               else "Historier, der respekterer hegnspælen")
    section = f"\n## {heading} {{ #historier }}\n\n" + story_list(stories[:CONCEPT_STORY_LIMIT], concept.src_uri)
    if len(stories) > CONCEPT_STORY_LIMIT:
        all_src = addresses.facet_src(concept.kind.facet_key, concept.id)
        section += (f"\nDe {CONCEPT_STORY_LIMIT} nyeste er vist her. "
                    f"[Se alle {count_label(len(stories))}]({href(all_src, concept.src_uri)})\n")
    return section


def concept_list(concepts: list[Concept], index: SiteIndex, from_src: str) -> str:
    """Numbered list of principles or boundaries with their one-line description and story count."""
    return "\n".join(
        f"{c.number}. **{concept_link(c, from_src)}** – {text(c.description)}"
        f" *({count_label(len(index.stories_for(c.kind, c.id)))})*"
        for c in concepts
    ) + "\n"


def count_label(count: int) -> str:
    return "1 historie" if count == 1 else f"{count} historier"
