"""Step 3 of the flow: the valid stories and concepts into one SiteIndex, with its reverse maps made once."""

from __future__ import annotations

from pathlib import Path

from .load import Document
from .markup import Converter
from .model import Concept, SiteIndex, Story
from .problems import Problem
from .schema import ConceptKind


def concepts(kind: ConceptKind, documents: list[Document]) -> dict[str, Concept]:
    """The valid pages of one kind of concept, by id (the file's name)."""
    return {
        doc.abs_path.stem: Concept(
            kind,
            doc.abs_path.stem,
            doc.meta["title"],
            doc.meta["description"],
            doc.meta["nummer"],
            f"{kind.folder}/{doc.abs_path.name}",
        )
        for doc in documents
    }


def build_index(
    root: Path,
    *,
    docs_dir: Path,
    cases_dir: Path,
    concept_documents: dict[ConceptKind, list[Document]],
    story_documents: list[Document],
    docs_documents: dict[str, Document],
    docs_pages: frozenset[str],
    converter: Converter,
    problems: list[Problem],
) -> SiteIndex:
    """Index the documents validation let through; `problems` are the problems found so far."""
    index = SiteIndex(
        root=root,
        principles=concepts(ConceptKind.PRINCIPLE, concept_documents[ConceptKind.PRINCIPLE]),
        boundaries=concepts(ConceptKind.BOUNDARY, concept_documents[ConceptKind.BOUNDARY]),
        problems=problems,
        docs_pages=docs_pages,
        docs_documents=docs_documents,
        cases_dir=cases_dir,
        docs_dir=docs_dir,
        converter=converter,
    )
    for doc in story_documents:
        story = Story.from_document(doc)
        index.stories[story.slug] = story
    index._link_reverse_maps()
    return index
