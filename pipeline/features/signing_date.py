"""Features of signing-date candidates (docs/architecture.md, "Candidates and features").

Every date of the body that normalises and could be a signing's is a candidate (the dateline's,
a period's and the announcement's are not: the date rules of docs/architecture.md). What the
hand-written rule tests beyond that — attached to the signing verb, in the best signing clause,
not another agreement's — is evidence here, weighed together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span

from pipeline.layout import LAYOUT_BOILERPLATE, LAYOUT_HEADLINE, LAYOUT_LEAD, LAYOUT_QUOTES, in_layout
from pipeline.stages.dates import DateMention

_NEAR_TOKENS = 8.0  # a date this many words from the trigger scores 0.5 on ``near_trigger``


@dataclass(frozen=True)
class DateEvidence:
    """What the features of one date candidate read.

    ``clause_rank`` is the rank of the first current signing clause whose sentence holds the
    date (``None``: none does); ``rank`` its order among the body's dates."""

    span: Span
    mention: DateMention
    clause_rank: int | None
    attached: bool
    trigger_distance: int | None
    future: bool
    rule_choice: bool
    publication: DateMention | None
    other_agreement: bool
    earlier_agreement: bool
    agreement_sentence: bool
    rank: int


def rule_choice(e: DateEvidence) -> float:
    """The date the hand-written rule alone would answer."""
    return float(e.rule_choice)


def in_first_clause(e: DateEvidence) -> float:
    """In the sentence of the best current signing clause."""
    return float(e.clause_rank == 0)


def in_later_clause(e: DateEvidence) -> float:
    """In the sentence of another current signing clause only."""
    return float(e.clause_rank is not None and e.clause_rank > 0)


def attached_to_signing(e: DateEvidence) -> float:
    """The signing verb or noun is among the date's syntactic ancestors ("signed on 3 May")."""
    return float(e.attached)


def near_trigger(e: DateEvidence) -> float:
    """How close the date is to the signing word of its clause (0 outside any clause)."""
    return 0.0 if e.trigger_distance is None else 1.0 / (1.0 + e.trigger_distance / _NEAR_TOKENS)


def future_clause(e: DateEvidence) -> float:
    """Its clause reports a signing still to come ("will sign on Monday")."""
    return float(e.future)


def in_agreement_sentence(e: DateEvidence) -> float:
    """In a sentence that names an agreement."""
    return float(e.agreement_sentence)


def earlier_agreement(e: DateEvidence) -> float:
    """In a clause about an earlier agreement ("renews the MoU signed in 2015")."""
    return float(e.earlier_agreement)


def of_another_agreement(e: DateEvidence) -> float:
    """Its path to the signing word passes through another agreement's phrase."""
    return float(e.other_agreement)


def same_day_as_publication(e: DateEvidence) -> float:
    """The same value as the publication date ("today" in the day's news)."""
    return float(e.publication is not None and e.publication.value == e.mention.value)


def after_publication(e: DateEvidence) -> float:
    """Later than the publication date: a signing still to come, or a deadline."""
    return float(e.publication is not None and e.mention.first_day > e.publication.first_day)


def relative(e: DateEvidence) -> float:
    """Said relative to the news ("today", "yesterday", "on Tuesday")."""
    return float(e.mention.relative)


def day_precision(e: DateEvidence) -> float:
    """Names a day."""
    return float(e.mention.precision == "day")


def year_precision(e: DateEvidence) -> float:
    """Names a year only ("in 2024")."""
    return float(e.mention.precision == "year")


def in_headline(e: DateEvidence) -> float:
    """In the headline."""
    return float(in_layout(e.span, LAYOUT_HEADLINE))


def in_lead(e: DateEvidence) -> float:
    """In the first paragraph of the body."""
    return float(in_layout(e.span, LAYOUT_LEAD))


def in_quote(e: DateEvidence) -> float:
    """Inside a quotation."""
    return float(in_layout(e.span, LAYOUT_QUOTES))


def in_boilerplate(e: DateEvidence) -> float:
    """In the closing boilerplate ("About X")."""
    return float(in_layout(e.span, LAYOUT_BOILERPLATE))


def first_date(e: DateEvidence) -> float:
    """The first date of the body."""
    return float(e.rank == 0)


DATE_FEATURES: dict[str, Callable[[DateEvidence], float]] = {
    f.__name__: f
    for f in (
        rule_choice, in_first_clause, in_later_clause, attached_to_signing, near_trigger, future_clause, in_agreement_sentence,
        earlier_agreement, of_another_agreement, same_day_as_publication,
        after_publication, relative, day_precision, year_precision, in_headline, in_lead, in_quote, in_boilerplate,
        first_date,
    )
}


def date_features(evidence: DateEvidence) -> dict[str, float]:
    """Every signing-date feature of one candidate, by name."""
    return {name: feature(evidence) for name, feature in DATE_FEATURES.items()}
