"""The publication date: when the news was written, from the metadata or the dateline."""

from __future__ import annotations

from models import RecordWarning
from pipeline.layout import looks_like_dateline
from pipeline.stages.contract import Context, Proposal
from pipeline.stages.dates import HEAD_REGION_CHARS, DateMention, ambiguity_warning, date_spans, metadata_date, normalise

FIELDS = ("publication_date",)
READS: tuple[str, ...] = ()


def propose(context: Context) -> Proposal:
    """The front-matter/metadata date, else a dateline near the top of the body."""
    found, warnings = _publication_date(context)
    return Proposal({"publication_date": found}, warnings)


def _publication_date(context: Context) -> tuple[DateMention | None, list[RecordWarning]]:
    doc, document, rules, order = context.doc, context.document, context.rules, context.date_order
    found = metadata_date(document, order)
    if found is not None:
        return found, [ambiguity_warning("publication", found, order)] if found.ambiguous_order else []
    head_end = document.body_start + HEAD_REGION_CHARS
    for span in date_spans(doc):
        if span.start_char < document.body_start or span.start_char > head_end:
            continue
        if not looks_like_dateline(doc, span, rules):
            continue
        found = normalise(document.text, span.start_char, span.end_char, rules, None, order)
        if found is not None and not found.relative:
            return found, [ambiguity_warning("publication", found, order)] if found.ambiguous_order else []
    return None, []
