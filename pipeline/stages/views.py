"""Cached views of a parsed document.

spaCy rebuilds ``doc.text`` (a pass over every token) and ``doc.ents`` (new Span objects) on
each access, and noun chunks on each iteration; the stages ask for them, and for the rule
matches without overlaps, many times per document, so each is computed once and kept in
``doc.user_data``.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.attrs import ORTH, POS
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

_TEXT, _ENTITIES, _CHUNKS, _CHUNK_STARTS, _SPANS = "view:text", "view:entities", "view:chunks", "view:chunks-in-order", "view:spans:"
_WORDS, _POSITIONS, _TAGGED, _BOUNDS = "view:words", "view:positions", "view:tagged:", "view:bounds:"


def text_of(doc: Doc) -> str:
    if _TEXT not in doc.user_data:
        doc.user_data[_TEXT] = doc.text
    return doc.user_data[_TEXT]


def span_text(span: Span) -> str:
    """``span.text`` without its pass over the span's tokens: a slice of the cached text."""
    return text_of(span.doc)[span.start_char : span.end_char]


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, read from the Doc's arrays once: a pass that only looks at the words
    then makes no Token object (each costs more than the test)."""
    if _WORDS not in doc.user_data:
        strings = doc.vocab.strings
        doc.user_data[_WORDS] = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
    return doc.user_data[_WORDS]


def tagged(doc: Doc, pos: str) -> list[int]:
    """Where the tokens of part of speech ``pos`` ("PROPN") stand, read from the Doc's arrays."""
    key = _TAGGED + pos
    if key not in doc.user_data:
        wanted = doc.vocab.strings[pos]
        doc.user_data[key] = [i for i, tag in enumerate(doc.to_array(POS).tolist()) if tag == wanted]
    return doc.user_data[key]


def span_bounds(doc: Doc, key: str) -> list[tuple[int, int]]:
    """The token bounds of the spans of ``doc.spans[key]``: a span group makes a Span object per
    span on every pass. Kept once the group is there (the rule components and the layout set
    theirs before any stage reads them, and nothing changes them after)."""
    if key not in doc.spans:
        return []
    if _BOUNDS + key not in doc.user_data:
        doc.user_data[_BOUNDS + key] = [(span.start, span.end) for span in doc.spans[key]]
    return doc.user_data[_BOUNDS + key]


def holds(doc: Doc, key: str, i: int) -> bool:
    """Whether a span of ``doc.spans[key]`` holds the token at ``i``."""
    return any(start <= i < end for start, end in span_bounds(doc, key))


def overlaps(doc: Doc, key: str, span: Span) -> bool:
    """Whether a span of ``doc.spans[key]`` shares a token with ``span``."""
    return any(start < span.end and span.start < end for start, end in span_bounds(doc, key))


def positions_of(doc: Doc, word: str) -> list[int]:
    """Where the token ``word`` (exact text) stands in the Doc."""
    if _POSITIONS not in doc.user_data:
        index: dict[str, list[int]] = {}
        for i, text in enumerate(token_texts(doc)):
            index.setdefault(text, []).append(i)
        doc.user_data[_POSITIONS] = index
    return doc.user_data[_POSITIONS].get(word, [])


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
    """The noun chunks inside ``span``, in order. Chunks do not overlap and come in text order,
    so a binary search over their starts finds the first one instead of a pass over all."""
    doc = span.doc
    if _CHUNK_STARTS not in doc.user_data:
        ordered = tuple(_chunks(doc).values())
        doc.user_data[_CHUNK_STARTS] = (ordered, [c.start for c in ordered])
    ordered, starts = doc.user_data[_CHUNK_STARTS]
    found = []
    for chunk in ordered[bisect_left(starts, span.start) :]:
        if chunk.start >= span.end:
            break
        if chunk.end <= span.end:
            found.append(chunk)
    return found


def longest_spans(doc: Doc, key: str) -> list[Span]:
    """The span group ``key`` without overlaps, the longest match winning."""
    if _SPANS + key not in doc.user_data:
        doc.user_data[_SPANS + key] = filter_spans(doc.spans.get(key, []))
    return doc.user_data[_SPANS + key]
