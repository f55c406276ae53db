"""The signing date: the date attached to the main agreement's signing."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pipeline.layout import in_dateline
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.stages.contract import Context, Proposal
from pipeline.stages.dates import DateMention, ambiguity_warning, anchor_mention, date_spans, normalise
from pipeline.stages.signals import SigningClause, agreement_mentions
from pipeline.stages.views import text_of

FIELDS = ("signing_date",)
READS = ("publication_date",)


def propose(context: Context) -> Proposal:
    """The date attached to the main agreement's signing, resolved against the publication date
    (else the caller's)."""
    published = context.value("publication_date") or (anchor_mention(context.anchor) if context.anchor else None)
    found, warnings = _signing_date(context.doc, context.clauses, context.rules, published, context.date_order)
    return Proposal({"signing_date": found}, warnings)


def _signing_date(
    doc: Doc, clauses: list[SigningClause], rules: LanguageRules, publication: DateMention | None, order: str
) -> tuple[DateMention | None, list[str]]:
    anchor = publication.first_day if publication and publication.precision == "day" else None
    spans = date_spans(doc)
    candidates: list[tuple[tuple[int, int, int], DateMention]] = []
    warnings: list[str] = []
    for rank, clause in enumerate(c for c in clauses if not c.earlier_agreement):
        for span in spans:
            if not (clause.sentence.start_char <= span.start_char < clause.sentence.end_char):
                continue
            if publication is not None and span.start_char == publication.start or in_dateline(doc, span):
                continue  # the dateline's date says when the news was written
            if _attached_by(span, rules.period_prepositions):
                continue
            found = normalise(text_of(doc), span.start_char, span.end_char, rules, anchor, order, clause.future)
            if found is None:
                if anchor is None and _mentions_relative_day(span.text, rules):
                    warnings.append(f"signing date {span.text.strip()!r} is relative and there is no publication date to resolve it")
                continue
            if _hangs_on_other_agreement(span, clause):
                continue  # "renewing a first agreement signed in 2015"
            head = span.root.head
            if head != clause.trigger and clause.trigger not in head.conjuncts and head.lemma_.lower() in rules.announcement_lemmas:
                continue  # "announced today the signing of", "have signed, the companies announced today": the day of the news
            attached = clause.trigger in _ancestors_and_self(span.root)
            distance = abs(span.root.i - clause.trigger.i)
            candidates.append(((0 if attached else 1, rank, distance), found))
    if not candidates:
        return None, warnings
    candidates.sort(key=lambda item: item[0])
    best = candidates[0][1]
    if best.ambiguous_order:
        warnings.append(ambiguity_warning("signing", best, order))
    others = {c.value for _, c in candidates[1:] if c.value != best.value}
    if others and candidates[1][0][:2] == candidates[0][0][:2]:
        warnings.append(f"signing date: chose {best.text!r} over {', '.join(sorted(others))}")
    return best, warnings


def _mentions_relative_day(text: str, rules: LanguageRules) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in rules.relative_day_words)


def _hangs_on_other_agreement(span: Span, clause: SigningClause) -> bool:
    """The date's path up to the trigger passes through another agreement's phrase."""
    others = [a for a in agreement_mentions(span.doc) if a != clause.agreement and clause.sentence.start <= a.start < clause.sentence.end]
    for ancestor in span.root.ancestors:
        if ancestor == clause.trigger:
            return False
        if any(a.start <= ancestor.i < a.end for a in others):
            return True
    return False


def _ancestors_and_self(token: Token) -> set[Token]:
    return {token, *token.ancestors}


def _attached_by(span: Span, prepositions: frozenset[str]) -> bool:
    """Whether the date hangs on a preposition like "for"/"since" (a period, not the signing)."""
    preposition = syntax.preposition_of(span.root)
    return preposition is not None and preposition.lower_ in prepositions or any(
        t.lower_ in prepositions for t in span[:1] if t.pos_ == "ADP"
    )
