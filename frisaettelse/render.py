"""Step 4 of the data flow: turn index entries into Markdown that MkDocs then renders and link-checks.

Every link points at a source `.md` path relative to the current page, so MkDocs' own link validation
covers it, and every text from a contributor is escaped (stories are data, not markup).
"""

from __future__ import annotations

import datetime as dt
import re

from . import addresses
from .addresses import href
from .load import slugify
from .model import Concept, SiteIndex, Story
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


def story_card(story: Story, from_src: str, udu: bool = True, *, mark_teller: str = "") -> str:
    """The one story card used wherever stories are listed: title (its link covers the card), summary, one meta
    line. `mark_teller` ('knyttet', 'valgt'): the list is there because of a link, so a story whose teller made
    it says so (the exception; the page's note says the rule once)."""
    meta = [
        html_text(story.area.capitalize()),
        story_date(story),
    ]
    if mark_teller and not story.linked_by_editors:
        meta.append(f"{mark_teller} af {html_text(story.linked_by)}")
    return (
        '<li class="historiekort">\n'
        f'<h3 class="historiekort__titel"><a href="{url(story.src_uri, from_src, udu)}">'
        f"{html_text(story.title)}</a></h3>\n"
        f'<p class="historiekort__resume">{html_text(story.description)}</p>\n'
        f'<p class="historiekort__meta">{" · ".join(meta)}</p>\n'
        "</li>"
    )


def story_cards(
    stories: list[Story] | tuple[Story, ...], from_src: str, udu: bool = True, *, mark_teller: str = ""
) -> str:
    """Story cards as one raw HTML block (final URLs: the tests follow every link)."""
    items = "\n".join(story_card(s, from_src, udu, mark_teller=mark_teller) for s in stories)
    return f'<ul class="historiekort-liste">\n{items}\n</ul>\n'


def story_list(stories: list[Story], from_src: str, *, empty: str = "Ingen historier endnu.", udu: bool = True) -> str:
    """The newest stories as cards, or a quiet line when there are none."""
    if not stories:
        return f"*{empty}*\n"
    return "\n" + story_cards(stories, from_src, udu) + "\n"


def editors_note(stories: list[Story] | tuple[Story, ...], what: str, verb: str = "knyttet historierne til") -> str:
    """The editors' caveat, said once for a list of stories (`what`: 'principperne'): who made its links. Only the
    exceptions are marked at the story ('knyttet af fortælleren', see `story_card`). Empty when there are none."""
    by_editors = sum(1 for s in stories if s.linked_by_editors)
    if not stories:
        return ""
    if not by_editors:
        return f"Fortællerne har selv {verb} {what}."
    if by_editors == len(stories):
        return f"Redaktionen har {verb} {what}: det er redaktionens læsning."
    mark = verb.split()[0]
    return f"Redaktionen har {verb} {what}, undtagen hvor der står «{mark} af fortælleren»."


def inset(sentence: str) -> str:
    """GOV.UK-style inset text: the one place a page says who made its links."""
    return f'<div class="indskudt"><p>{html_text(sentence)}</p></div>\n' if sentence else ""


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


def _freed_to(story: Story) -> str:
    """What the story was freed to; a sentence the editors chose from the quote says so."""
    if not story.tells_freed_to:
        return not_told(story)
    if freed_to_is_chosen(story):
        return f"{html_text(story.freed_to)} (sætning fra citatet, {chosen_by(story)})"
    return html_text(story.freed_to)


def linked_note(story: Story) -> str:
    """The one sentence, as inset text, above a story's principles, hegnspæle and kind of rule: who linked them."""
    chosen = [
        *(["slags regel"] if story.tells_freed_from and not kind_in_own_words(story) else []),
        *(["emneordene"] if story.tags else []),
    ]
    what = "principperne og hegnspælene nedenfor" + (" og valgt " + " og ".join(chosen) if chosen else "")
    if not story.linked_by_editors:
        return f"Fortælleren har selv knyttet historien til {what}."
    if story.source == "indsendt":
        return f"Redaktionen har knyttet historien til {what}."
    return f"Redaktionen har knyttet historien til {what}. Kilden nævner dem ikke: det er redaktionens læsning."


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


def url(target_src: str, from_src: str, use_directory_urls: bool = True) -> str:
    """Relative URL from one page to another, as MkDocs would write it for a `.md` link; ready for an attribute."""
    return url_attribute(addresses.link_between(target_src, from_src, use_directory_urls))


def _link(target_src: str, from_src: str, label: str, udu: bool) -> str:
    return f'<a href="{url(target_src, from_src, udu)}">{label}</a>'


def story_facts(story: Story, udu: bool = True) -> str:
    """The facts below the story, as a GOV.UK-style summary list (one row per fact; stacked on a phone): what it
    was freed from and to, area, date and who tells it. The area links to its list.

    Plain HTML, not Markdown-in-HTML: md_in_html is the costliest step per page, so the links are final URLs."""
    src = story.src_uri
    rows = [
        ("Fri fra", html_text(story.freed_from) if story.tells_freed_from else not_told(story)),
        ("Fri til", _freed_to(story)),
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
    facts = "\n".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in rows)
    return f'<dl class="historie-fakta">\n{facts}\n</dl>\n'


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
        return ""
    label = "begge historier" if count == 2 else f"alle {count} historier"
    return f" – [{label}]({href(addresses.facet_src(kind.facet_key, concept_id), from_src)})"


def story_cross_links(story: Story, index: SiteIndex, from_src: str) -> str:
    """One section, "Historien hænger sammen med": the principles, hegnspæle and kind of rule (from the
    front-matter) and the related stories. Who made those links is said once, as inset text, above them."""
    principle_items = "\n".join(
        f"- {concept_link(index.principles[p], from_src)}{_shared(ConceptKind.PRINCIPLE, p, index, from_src)}"
        for p in story.principles
    )
    boundary_items = "\n".join(
        f"- {concept_link(index.boundaries[b], from_src)}{_shared(ConceptKind.BOUNDARY, b, index, from_src)}"
        for b in story.boundaries
    )
    kind = ""
    if story.tells_freed_from:
        kind_src = addresses.facet_src("regel", slugify(story.freed_from_kind))
        kind = f"### Slags regel {{ #slags-regel }}\n\n- {link(RULE_KIND_LABELS[story.freed_from_kind], kind_src, from_src)}\n\n"
    related = index.related(story)
    related_md = (
        "### Andre historier { #andre-historier }\n\n"
        + "\n".join(f"- {story_link(s, from_src)}" for s in related)
        + "\n"
        if related
        else ""
    )
    return (
        "## Historien hænger sammen med { #sammenhaeng }\n\n"
        f"{inset(linked_note(story))}\n"
        f"### Principper {{ #principper-for-historien }}\n\n{principle_items}\n\n"
        f"### Hegnspæle {{ #hegnspaele-for-historien }}\n\n{boundary_items}\n\n"
        f"{kind}{related_md}"
    )


def story_page(story: Story, index: SiteIndex, udu: bool = True) -> str:
    """The whole Markdown of a story page: title, summary, the contributor's body as-is, then its facts as a
    summary list, one section of what it hangs together with, and the source. The story comes right after the
    title, so a reader on a phone meets the experience first. A summary that only repeats "Fri til" is left out."""
    src = story.src_uri
    summary = (
        ""
        if story.tells_freed_to and same_text(story.description, story.freed_to)
        else f'<p class="resume">{html_text(story.description)}</p>\n\n'
    )
    return (
        f"# {markdown_text(story.title)}\n\n"
        f"{summary}"
        f"## Historien\n\n{contained_body(story.body.strip())}\n\n"
        f"## Fakta om historien {{ #fakta }}\n\n{story_facts(story, udu)}\n"
        f"{story_cross_links(story, index, src)}\n"
        f"{source_line(story.source, src, index)}"
    )


CONCEPT_STORY_LIMIT = 25  # newest first; the concept's own filter pages list them all, page by page


def concept_stories(concept: Concept, index: SiteIndex, udu: bool = True) -> str:
    """The section a principle or boundary page ends with: the stories that name it as cards (all, while they are
    few), who linked them said once, and a link to its filter page."""
    stories = index.stories_for(concept.kind, concept.id)
    noun = concept.kind.definite
    section = f"\n## Historier knyttet til {noun} {{ #historier }}\n\n"
    if not stories:
        return section + "*Ingen historier endnu.*\n"
    section += inset(editors_note(stories, noun)) + "\n"
    section += story_cards(stories[:CONCEPT_STORY_LIMIT], concept.src_uri, udu, mark_teller="knyttet") + "\n"
    cards = href(addresses.facet_src(concept.kind.facet_key, concept.id), concept.src_uri)
    if len(stories) > CONCEPT_STORY_LIMIT:
        section += (
            f"\nDe {CONCEPT_STORY_LIMIT} nyeste er vist her. [Se alle {count_label(len(stories))}]"
            f"({cards}), og find dem efter område.\n"
        )
    else:
        section += f"\n[Find historierne efter område]({cards})\n"
    return section


PLURAL_DEFINITE = {ConceptKind.PRINCIPLE: "principperne", ConceptKind.BOUNDARY: "hegnspælene"}


def concept_list(concepts: list[Concept], index: SiteIndex, from_src: str) -> str:
    """Numbered list of principles or boundaries with their one-line description and story count; who linked
    the stories is said once below the list."""
    linked = {s.slug: s for c in concepts for s in index.stories_for(c.kind, c.id)}
    items = "\n".join(
        f"{c.number}. **{concept_link(c, from_src)}** – {markdown_text(c.description)}"
        f" *({linked_count_label(index.stories_for(c.kind, c.id))})*"
        for c in concepts
    )
    what = PLURAL_DEFINITE[concepts[0].kind] if concepts else ""
    return items + "\n\n" + inset(editors_note(list(linked.values()), what))


def count_label(count: int) -> str:
    return "1 historie" if count == 1 else f"{count} historier"


def linked_count_label(stories: list[Story]) -> str:
    """'5 historier' – and, as the exception to the page's note, 'heraf 1 knyttet af fortælleren'."""
    label = count_label(len(stories))
    by_tellers = sum(1 for s in stories if not s.linked_by_editors)
    if by_tellers and by_tellers < len(stories):
        return f"{label}, heraf {by_tellers} knyttet af {'fortælleren' if by_tellers == 1 else 'fortællerne'}"
    return label


def share_block(story: Story, base: str, udu: bool = True) -> str:
    """ "Del historien" at the end of a story page: its address to copy (kopier.js) and its share image. Our own
    HTML, added after the sanitiser (like the breadcrumb): the page's note does not travel, the card carries its
    own marks (cards.py)."""
    address = base + story.url
    image = addresses.relative_url(addresses.card_path(story.slug), addresses.page_url(story.src_uri, udu))
    return (
        '<section class="del-historien" aria-labelledby="del-historien">\n'
        '<h2 id="del-historien">Del historien<a class="headerlink" href="#del-historien" '
        'title="Link til dette afsnit">&para;</a></h2>\n'
        f'<p>Historiens adresse: <code id="historiens-adresse">{html_text(address)}</code></p>\n'
        '<p><button type="button" class="md-button del-historien__knap" data-kopier="historiens-adresse">'
        'Kopiér linket</button> <span role="status"></span></p>\n'
        f'<p><a href="{html_text(image)}" download="{story.slug}.png">Hent delingsbilledet</a> '
        "(PNG, 1200 × 630 pixel, til nyhedsbreve og sociale medier)</p>\n"
        "</section>\n"
    )
