"""Step 4 of the data flow: turn index entries into Markdown that MkDocs then renders and link-checks.

Every link points at a source `.md` path relative to the current page, so MkDocs' own link validation
covers it, and every text from a contributor is escaped (stories are data, not markup).
"""

from __future__ import annotations

import datetime as dt
import re

from . import addresses
from .addresses import href
from .index import Concept, SiteIndex, Story
from .load import slugify
from .sanitize import contained_body, html_text, markdown_text, url_attribute
from .schema import RULE_KIND_LABELS, SOURCES, ConceptKind

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_date(value: dt.date) -> str:
    """19. december 2023"""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def heading_slug(value: str, separator: str = "-") -> str:
    """Heading anchors that keep Danish words readable (æ→ae, ø→oe, å→aa) – used by the toc extension."""
    return slugify(value).replace("-", separator)


def link(title: str, target_src: str, from_src: str) -> str:
    return f"[{markdown_text(title)}]({href(target_src, from_src)})"


def concept_link(concept: Concept, from_src: str) -> str:
    return link(concept.title, concept.src_uri, from_src)


def story_link(story: Story, from_src: str) -> str:
    return link(story.title, story.src_uri, from_src)


def story_list(
    stories: list[Story], from_src: str, *, empty: str = "Ingen historier endnu.", show_linked_by: bool = False
) -> str:
    """A plain list: title (linked), summary, area. Used where a short list reads better than cards.

    `show_linked_by`: the list is there because of a link (a principle's or hegnspæl's stories), so each item
    says who made it."""
    if not stories:
        return f"*{empty}*\n"
    return (
        "\n".join(
            f"- **{story_link(s, from_src)}** – {markdown_text(s.description)} *({markdown_text(s.area.capitalize())})*"
            + (f" – *knyttet af {markdown_text(s.linked_by)}*" if show_linked_by else "")
            for s in stories
        )
        + "\n"
    )


def not_told(story: Story) -> str:
    """What a story page says where the story (or its source) does not say what it was freed from or to."""
    return "Ikke oplyst" if story.source == "indsendt" else "Ikke oplyst i kilden"


def chosen_by(story: Story) -> str:
    """`valgt af redaktionen` or `valgt af fortælleren`: shown wherever a story's kind of rule or "fri til" appears."""
    return f"valgt af {story.linked_by}"


def linked_by(story: Story) -> str:
    """`knyttet af redaktionen` or `knyttet af fortælleren`: shown wherever a story's principles or hegnspæle appear
    (the one verb for the link between a story and a principle or hegnspæl, on every page and artefact)."""
    return f"knyttet af {story.linked_by}"


def kind_in_own_words(story: Story) -> bool:
    """The rule as the story words it already names its kind ('Kommunal regel om …'): then the kind is the story's
    (or its source's) own word, not anybody's choice."""
    return story.freed_from.casefold().startswith(story.freed_from_kind.casefold())


def freed_to_is_chosen(story: Story) -> bool:
    """A story from a document says nothing about what anyone was freed to: a "fri til" there is a sentence the
    editors chose from the quote."""
    return story.tells_freed_to and from_document(story)


def linked_note(story: Story, what: str) -> str:
    """The sentence above a story's principles or hegnspæle, saying who linked them (`what`: 'principper')."""
    if not story.linked_by_editors:
        return f"Fortælleren har selv knyttet historien til disse {what}."
    if story.source == "indsendt":
        return f"Redaktionen har knyttet historien til disse {what}."
    return (
        f"Redaktionen har knyttet historien til disse {what}. Kilden nævner dem ikke: "
        "det er redaktionens læsning af historien."
    )


def from_document(story: Story) -> bool:
    """A story taken from one of the documents in kilder/: its date is the document's date, nothing more."""
    return story.source != "indsendt"


def date_words(story: Story) -> str:
    """The story's date as plain words: 'kildens dato 19. december 2023' for a story from a document (the source
    dates itself, never the telling), else just the date."""
    day = danish_date(story.date)
    return f"kildens dato {day}" if from_document(story) else day


def story_date(story: Story) -> str:
    """The story's date as HTML, e.g. '<time …>19. december 2023</time> (kildens dato)'."""
    day = f'<time datetime="{story.date.isoformat()}">{danish_date(story.date)}</time>'
    return f"{day} (kildens dato)" if from_document(story) else day


def source_line(source_id: str, from_src: str, index: SiteIndex) -> str:
    """`Kilde: <titel>, <dato>` with a link to the page presenting the document, if the site has it."""
    source = SOURCES.get(source_id)
    if source is None:
        return ""
    linkable = source.page is not None and source.page in index.docs_pages and source.page != from_src
    title = link(source.title, source.page, from_src) if linkable and source.page else markdown_text(source.title)
    date = f", {markdown_text(source.date)}" if source.date else ""
    return f"Kilde: {title}{date}\n{{: .kilde }}\n"


def same_text(a: str, b: str) -> bool:
    """Two fields that say the same (quotes, punctuation, case and spacing aside): then the page says it once."""

    def plain(value: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", value.casefold()).split())

    return plain(a) == plain(b)


def _link(target_src: str, from_src: str, label: str, udu: bool) -> str:
    return f'<a href="{url_attribute(addresses.link_between(target_src, from_src, udu))}">{label}</a>'


def story_facts(story: Story, udu: bool = True) -> str:
    """The box at the top of a story: what it was freed from and to, area, date and who tells it. The area and the
    kind of rule link to their lists.

    Plain HTML, not Markdown-in-HTML: md_in_html is the costliest step per page, so the links are final URLs."""
    src = story.src_uri
    rows = [("Fri fra", html_text(story.freed_from) if story.tells_freed_from else not_told(story))]
    if story.tells_freed_from:
        kind = _link(
            addresses.facet_src("regel", slugify(story.freed_from_kind)),
            src,
            RULE_KIND_LABELS[story.freed_from_kind],
            udu,
        )
        rows.append(("Slags regel", kind if kind_in_own_words(story) else f"{kind} ({chosen_by(story)})"))
    freed_to = html_text(story.freed_to) if story.tells_freed_to else not_told(story)
    rows += [
        ("Fri til", f"{freed_to} (sætning fra citatet, {chosen_by(story)})" if freed_to_is_chosen(story) else freed_to),
        (
            "Område",
            _link(
                addresses.facet_src(addresses.AREA_KEY, slugify(story.area)),
                src,
                html_text(story.area.capitalize()),
                udu,
            ),
        ),
        ("Dato", story_date(story)),
        ("Citatets afsender", html_text(story.quote_role)),
    ]
    facts = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<div class="historie-fakta">\n<dl>\n{facts}\n</dl>\n</div>\n'


def breadcrumb(story: Story, udu: bool = True) -> str:
    """Where a story sits: Forside › Historier › its area's list (the story's own title is the heading below).

    Our own HTML, put in front of the page after the sanitiser has run (it keeps contributors from faking it)."""
    src = story.src_uri
    area_src = addresses.facet_src(addresses.AREA_KEY, slugify(story.area))
    steps = [
        ("index.md", "Forside"),
        (addresses.OVERVIEW_SRC, "Historier"),
        (area_src, html_text(story.area.capitalize())),
    ]
    items = "".join(f"<li>{_link(target, src, label, udu)}</li>" for target, label in steps)
    return f'<nav class="kruemmesti" aria-label="Brødkrummesti">\n<ol>{items}</ol>\n</nav>\n'


def _shared(kind: ConceptKind, concept_id: str, index: SiteIndex, from_src: str) -> str:
    """' – alle 3 historier' (' – begge historier') after a principle or hegnspæl on a story page: the list of
    stories that share it."""
    count = len(index.stories_for(kind, concept_id))
    if count < 2:
        return " – ingen andre historier endnu"
    label = "begge historier" if count == 2 else f"alle {count} historier"
    return f" – [{label}]({href(addresses.facet_src(kind.facet_key, concept_id), from_src)})"


def story_cross_links(story: Story, index: SiteIndex, from_src: str) -> str:
    """The principles and boundaries a story is linked to, generated from its front-matter, each list headed by
    who linked it (for the five stories from the sources: the editors, never the sources), and each item followed
    by a link to the stories that share it."""
    principle_items = "\n".join(
        f"- {concept_link(index.principles[p], from_src)}{_shared(ConceptKind.PRINCIPLE, p, index, from_src)}"
        for p in story.principles
    )
    boundary_items = "\n".join(
        f"- {concept_link(index.boundaries[b], from_src)}{_shared(ConceptKind.BOUNDARY, b, index, from_src)}"
        for b in story.boundaries
    )
    return (
        f"## Principper {{ #principper-for-historien }}\n\n{linked_note(story, 'principper')}\n\n"
        f"{principle_items}\n\n"
        f"## Hegnspæle {{ #hegnspaele-for-historien }}\n\n{linked_note(story, 'hegnspæle')}\n\n"
        f"{boundary_items}\n"
    )


def story_page(story: Story, index: SiteIndex, udu: bool = True) -> str:
    """The whole Markdown of a story page: title, facts, the contributor's body as-is, cross-links,
    related, source. The story itself comes before the links, so a reader meets the experience first. A summary
    that only repeats "Fri til" is left out (the fact box says it)."""
    src = story.src_uri
    related = index.related(story)
    related_md = (
        "\n## Relaterede historier\n\n"
        "*Fundet ud fra området og de principper og hegnspæle, historierne er knyttet til; hvem der har knyttet dem, "
        "står ved hver historie.*\n\n" + story_list(related, src)
        if related
        else ""
    )
    summary = (
        ""
        if story.tells_freed_to and same_text(story.description, story.freed_to)
        else f'<p class="resume">{html_text(story.description)}</p>\n\n'
    )
    return (
        f"# {markdown_text(story.title)}\n\n"
        f"{summary}"
        f"{story_facts(story, udu)}\n"
        f"## Historien\n\n{contained_body(story.body.strip())}\n\n"
        f"{story_cross_links(story, index, src)}\n"
        f"{related_md}\n"
        f"{source_line(story.source, src, index)}"
    )


CONCEPT_STORY_LIMIT = 25  # newest first; the concept's own filter pages list them all, page by page


def concept_stories(concept: Concept, index: SiteIndex) -> str:
    """The section a principle or boundary page ends with: the stories that name it (all, while they are few),
    and a link to its filter page, where the same stories are cards that can be narrowed down by area."""
    stories = index.stories_for(concept.kind, concept.id)
    noun = concept.kind.definite
    lead = (
        (
            f"Ved hver historie står, hvem der har knyttet den til {noun}: fortælleren selv eller redaktionen. "
            f"Kilden til {noun} nævner ingen af historierne.\n\n"
        )
        if stories
        else ""
    )
    section = f"\n## Historier knyttet til {noun} {{ #historier }}\n\n{lead}" + story_list(
        stories[:CONCEPT_STORY_LIMIT], concept.src_uri, show_linked_by=True
    )
    if not stories:
        return section
    cards = href(addresses.facet_src(concept.kind.facet_key, concept.id), concept.src_uri)
    if len(stories) > CONCEPT_STORY_LIMIT:
        section += (
            f"\nDe {CONCEPT_STORY_LIMIT} nyeste er vist her. [Se alle {count_label(len(stories))}]"
            f"({cards}) som kort, og find dem efter område.\n"
        )
    else:
        section += f"\n[Se historierne som kort]({cards}), og find dem efter område.\n"
    return section


def concept_list(concepts: list[Concept], index: SiteIndex, from_src: str) -> str:
    """Numbered list of principles or boundaries with their one-line description and story count."""
    return (
        "\n".join(
            f"{c.number}. **{concept_link(c, from_src)}** – {markdown_text(c.description)}"
            f" *({linked_count_label(index.stories_for(c.kind, c.id))})*"
            for c in concepts
        )
        + "\n"
    )


def count_label(count: int) -> str:
    return "1 historie" if count == 1 else f"{count} historier"


def linked_count_label(stories: list[Story]) -> str:
    """'5 historier, knyttet af redaktionen': a count of links says who made them."""
    by_editors = sum(1 for s in stories if s.linked_by_editors)
    label = count_label(len(stories))
    if not stories:
        return label
    if by_editors == len(stories):
        return f"{label}, knyttet af redaktionen"
    if by_editors == 0:
        return f"{label}, knyttet af fortællerne" if len(stories) > 1 else f"{label}, knyttet af fortælleren"
    return f"{label}, heraf {by_editors} knyttet af redaktionen"
