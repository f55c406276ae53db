"""The kind of agreement and where it was signed."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.document import Document
from pipeline.rules import LanguageRules
from pipeline.stages.signals import SigningClause, agreement_mentions

_FOLLOW_UP_SENTENCES = 2
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_PLACE_PREPOSITIONS = ("in", "at")


@dataclass(frozen=True)
class Found:
    """A value and the span it was read from."""

    value: str
    text: str
    start: int
    end: int


def _found(value: str, span: Span) -> Found:
    return Found(value, span.text, span.start_char, span.end_char)


def agreement_type(doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules) -> tuple[Found | None, list[str]]:
    """The headline agreement's kind: the first signing clause's agreement, made specific when
    the next signing sentences name it more precisely ("an agreement" … "the MoU")."""
    named = [c for c in clauses if c.agreement is not None]
    mentions = agreement_mentions(doc)
    headline = [m for m in mentions if m.start_char < document.body_start or m.sent == doc[0].sent]
    if named:
        first = named[0]
        choice = first.agreement
        if choice.text.lower() in rules.generic_types:
            nearby = [
                c.agreement for c in named[1:]
                if c.sentence.start - first.sentence.end < 60 and _sentence_gap(doc, first.sentence, c.sentence) <= _FOLLOW_UP_SENTENCES
                and c.agreement.text.lower() not in rules.generic_types
            ]
            choice = nearby[0] if nearby else choice
        return _found(choice.label_, choice), []
    if headline:
        return _found(headline[0].label_, headline[0]), ["agreement type read from the headline only"]
    body = [m for m in mentions if m.start_char >= document.body_start]
    if clauses and body:
        return _found(body[0].label_, body[0]), ["agreement type read from a mention outside any signing sentence"]
    return None, ["no agreement or signing found: this announcement may not be about an agreement"]


def _sentence_gap(doc: Doc, first: Span, later: Span) -> int:
    return sum(1 for s in doc[first.end : later.start].sents) if later.start > first.end else 0


def signing_place(doc: Doc, clauses: list[SigningClause], rules: LanguageRules) -> Found | None:
    """A place attached to the signing by "in"/"at": a city, country or venue."""
    for clause in clauses:
        if clause.earlier_agreement:
            continue
        for token in clause.sentence:
            if token.lower_ not in _PLACE_PREPOSITIONS or token.dep_ != "prep":
                continue
            place = _place_object(token, rules)
            if place is not None and clause.trigger in {token, *token.ancestors}:
                return _found(place.text, place)
    return None


def _place_object(preposition: Token, rules: LanguageRules) -> Span | None:
    objects = [child for child in preposition.children if child.dep_ == "pobj"]
    if not objects:
        return None
    head = objects[0]
    doc = head.doc
    for ent in doc.ents:
        if ent.start <= head.i < ent.end:
            return ent if ent.label_ in _PLACE_LABELS else None
    if head.lemma_.lower() in rules.place_nouns:
        left = [t for t in head.lefts if t.dep_ in ("compound", "amod", "nmod", "poss") and t.pos_ == "PROPN"]
        if left:
            return doc[left[0].i : head.i + 1]
    return None
