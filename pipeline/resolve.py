"""The resolve step: constraints between fields, applied once every stage has proposed its
values (docs/architecture.md, "Resolve"). Stages never import each other; what one field
implies for another is decided here, and training applies the same functions."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from pipeline.document import Document
from pipeline.layout import dateline_place
from pipeline.stages import agreement, dates
from pipeline.stages.parties import PartyResult
from pipeline.stages.views import text_of

NO_AGREEMENT = "no agreement is named: its organisations are reported as organisations, not parties"


def parties_possible(agreement_type: str | None) -> bool:
    """Parties are the signatories of an agreement: a text that names none has none."""
    return agreement_type is not None


def resolve_parties(agreement_type: str | None, found: PartyResult) -> PartyResult:
    """The parties when an agreement is named; else none, and the candidates the decision
    kept join the organisations."""
    if parties_possible(agreement_type) or not found.parties:
        return found
    return replace(found, parties=[], organizations=[*found.parties, *found.organizations], warnings=[NO_AGREEMENT])


def resolve_place(
    place: agreement.Found | None, signed: dates.DateMention | None, published: dates.DateMention | None, doc: Doc, document: Document
) -> agreement.Found | None:
    """A signing the text dates by the publication ("today signed") took place where the
    dateline says, when no other place is given."""
    if place is None and signed is not None and published is not None and signed.relative and signed.value == published.value:
        found = dateline_place(doc, document, published.start, published.end)
        return agreement.Found(found[0], text_of(doc)[found[1] : found[2]], found[1], found[2]) if found else None
    return place
