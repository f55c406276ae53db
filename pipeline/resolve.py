"""The resolve step: the stages' proposals become the record's values, under the constraints
between fields, applied in one place (docs/architecture.md, "Resolve"). Stages never import
each other; what one field implies for another is decided here, and training applies the
same functions."""

from __future__ import annotations

from typing import Any

from models import RecordWarning
from pipeline.layout import dateline_place
from pipeline.stages.contract import Context, Found
from pipeline.stages.dates import DateMention
from pipeline.stages.views import text_of

NO_AGREEMENT = RecordWarning(
    code="parties_reported_as_organizations",
    message="no agreement is named: its organisations are reported as organisations, not parties",
)
NO_PUBLICATION_DATE = RecordWarning(code="no_publication_date", message="no publication date found; relative dates could not be resolved")
ANCHOR_NOT_IN_TEXT = RecordWarning(
    code="publication_date_not_in_text", message="publication date given by the caller, not found in the text"
)


def resolve(context: Context) -> tuple[dict[str, Any], list[RecordWarning]]:
    """Every field's value after the cross-field constraints, and the warnings: each stage's in
    stage order, then the resolve step's own."""
    values = {name: value for proposal in context.proposals.values() for name, value in proposal.values.items()}
    warnings = {stage: list(proposal.warnings) for stage, proposal in context.proposals.items()}
    kind: Found | None = values["agreement_type"]
    if not parties_possible(kind.value if kind else None) and values["parties"]:
        values["organizations"] = [*values["parties"], *values["organizations"]]
        values["parties"] = []
        warnings["parties"] = [NO_AGREEMENT]
    values["signing_place"] = resolve_place(context, values["signing_place"], values["signing_date"], values["publication_date"])
    own = [] if values["publication_date"] else [NO_PUBLICATION_DATE if context.anchor is None else ANCHOR_NOT_IN_TEXT]
    return values, [*(w for stage_warnings in warnings.values() for w in stage_warnings), *own]


def parties_possible(agreement_type: str | None) -> bool:
    """Parties are the signatories of an agreement: a text that names none has none."""
    return agreement_type is not None


def resolve_place(context: Context, place: Found | None, signed: DateMention | None, published: DateMention | None) -> Found | None:
    """A signing the text dates by the publication ("today signed") took place where the
    dateline says, when no other place is given."""
    if place is None and signed is not None and published is not None and signed.relative and signed.value == published.value:
        found = dateline_place(context.doc, context.document, published.start, published.end)
        return Found(found[0], text_of(context.doc)[found[1] : found[2]], found[1], found[2]) if found else None
    return place
