"""Cached views of a parsed document.

spaCy rebuilds ``doc.text`` (a pass over every token) and ``doc.ents`` (new Span objects) on
each access, and noun chunks on each iteration; the stages ask for them many times per
document, so each is computed once and kept in ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_TEXT, _ENTITIES, _CHUNKS = "view:text", "view:entities", "view:chunks"


def text_of(doc: Doc) -> str:
    if _TEXT not in doc.user_data:
        doc.user_data[_TEXT] = doc.text
    return doc.user_data[_TEXT]


def entities(doc: Doc) -> tuple[Span, ...]:
    if _ENTITIES not in doc.user_data:
        doc.user_data[_ENTITIES] = tuple(doc.ents)
    return doc.user_data[_ENTITIES]


def _chunks(doc: Doc) -> dict[int, Span]:
    if _CHUNKS not in doc.user_data:
        doc.user_data[_CHUNKS] = {chunk.root.i: chunk for chunk in doc.noun_chunks} if doc.has_annotation("DEP") else {}
    return doc.user_data[_CHUNKS]


def chunk_headed_by(doc: Doc, root: int) -> Span | None:
    """The noun chunk whose root is the token at ``root``."""
    return _chunks(doc).get(root)


def chunks_within(span: Span) -> list[Span]:
    """The noun chunks inside ``span``, in order."""
    return sorted((c for c in _chunks(span.doc).values() if span.start <= c.start and c.end <= span.end), key=lambda c: c.start)
