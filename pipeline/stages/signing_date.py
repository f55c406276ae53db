"""The signing date: the date attached to the main agreement's signing."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from models import RecordWarning
from pipeline.decisions import best, load_decision
from pipeline.features.signing_date import DateEvidence, date_features
from pipeline.layout import LAYOUT_HEADLINE, LAYOUT_LEAD, in_dateline, in_layout
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.stages.contract import Candidate, Context, Proposal
from pipeline.stages.dates import DateMention, ambiguity_warning, anchor_mention, date_spans, normalise
from pipeline.stages.signals import SigningClause, agreement_mentions
from pipeline.stages.views import text_of

FIELDS = ("signing_date",)
READS = ("publication_date",)


def propose(context: Context) -> Proposal:
    """Every date of the headline, lead, signing and agreement sentences that normalises is a
    candidate; the learned decision keeps the most probable one if it is probable enough. The hand-written rule (the date attached to the
    best signing clause's trigger) is evidence among the features."""
    published = context.value("publication_date") or (anchor_mention(context.anchor) if context.anchor else None)
    candidates, warnings = _candidates(context, published)
    decision = load_decision("signing_date")
    scored = [replace(c, probability=decision.probability(c.features)) for c in candidates]
    chosen_index = best([c.probability for c in scored], decision)
    if chosen_index is None:
        return Proposal({"signing_date": None}, warnings, scored)
    chosen: DateMention = scored[chosen_index].value
    if chosen.ambiguous_order:
        warnings.append(ambiguity_warning("signing", chosen, context.date_order))
    close = sorted({c.value.value for c in scored if c.value.value != chosen.value and c.probability >= decision.accept})
    if close:
        warnings.append(RecordWarning(code="signing_date_close_call", message=f"signing date: chose {chosen.text!r} over {', '.join(close)}"))
    return Proposal({"signing_date": chosen}, warnings, scored)


def _candidates(context: Context, publication: DateMention | None) -> tuple[list[Candidate], list[RecordWarning]]:
    """One candidate per date span of the body's headline, lead, signing sentences and
    agreement sentences (a date anywhere else dates something else, and normalising costs) that
    the date rules allow, normalised against the publication day (a future signing clause reads "on Monday"
    forwards), with its :class:`DateEvidence`."""
    doc, rules, order = context.doc, context.rules, context.date_order
    anchor = publication.first_day if publication and publication.precision == "day" else None
    clauses = [c for c in context.clauses if not c.earlier_agreement]
    earlier = [c for c in context.clauses if c.earlier_agreement]
    agreement_sentences = {m.sent.start for m in agreement_mentions(doc, context.document.body_start)}
    found: list[tuple[Span, DateMention, int | None, SigningClause | None]] = []
    warnings: list[RecordWarning] = []
    relevant = agreement_sentences | {c.sentence.start for c in context.clauses}
    for span in date_spans(doc):
        if span.start_char < context.document.body_start or not (span.sent.start in relevant or in_layout(span, LAYOUT_LEAD) or in_layout(span, LAYOUT_HEADLINE)):
            continue
        rank, clause = next(((r, c) for r, c in enumerate(clauses) if c.sentence.start <= span.start < c.sentence.end), (None, None))
        if _not_a_signing_date(span, clause, rules, publication):
            continue
        mention = normalise(text_of(doc), span.start_char, span.end_char, rules, anchor, order, clause is not None and clause.future)
        if mention is None:
            if clause is not None and anchor is None and _mentions_relative_day(span.text, rules):
                message = f"signing date {span.text.strip()!r} is relative and there is no publication date to resolve it"
                warnings.append(RecordWarning(code="relative_date_unresolved", message=message))
            continue
        found.append((span, mention, rank, clause))
    rule_choice = _rule_choice([span for span, *_ in found], clauses, rules)
    candidates = []
    for order_in_body, (span, mention, rank, clause) in enumerate(found):
        evidence = DateEvidence(
            span=span,
            mention=mention,
            clause_rank=rank,
            attached=clause is not None and clause.trigger in _ancestors_and_self(span.root),
            trigger_distance=abs(span.root.i - clause.trigger.i) if clause is not None else None,
            future=clause is not None and clause.future,
            rule_choice=rule_choice is not None and span.start == rule_choice.start,
            publication=publication,
            other_agreement=clause is not None and _hangs_on_other_agreement(span, clause),
            earlier_agreement=any(c.sentence.start <= span.start < c.sentence.end for c in earlier),
            agreement_sentence=span.sent.start in agreement_sentences,
            rank=order_in_body,
        )
        candidates.append(Candidate(mention, date_features(evidence)))
    return candidates, warnings


def _not_a_signing_date(span: Span, clause: SigningClause | None, rules: LanguageRules, publication: DateMention | None) -> bool:
    """The date rules' exclusions: the publication date's own characters and the dateline's, a
    period's bound ("for five years", "until 2030") and the day of the news ("announced today the
    signing of") are never the signing date, whatever else the date has for it."""
    return (
        publication is not None and span.start_char == publication.start
        or in_dateline(span.doc, span)
        or _attached_by(span, rules.period_prepositions)
        or clause is not None and _on_announcement(span, clause, rules)
    )


def _rule_choice(dates: list[Span], clauses: list[SigningClause], rules: LanguageRules) -> Span | None:
    """The hand-written rule's date among ``dates``: attached to the trigger first, then the
    best clause, then the nearest; never another agreement's, nor one the date rules exclude."""
    ranked: list[tuple[tuple[int, int, int], Span]] = []
    for rank, clause in enumerate(clauses):
        for span in dates:
            if not (clause.sentence.start_char <= span.start_char < clause.sentence.end_char):
                continue
            if _hangs_on_other_agreement(span, clause) or _on_announcement(span, clause, rules):
                continue  # the clause-free exclusions already kept ``span`` out of the candidates
            attached = clause.trigger in _ancestors_and_self(span.root)
            ranked.append(((0 if attached else 1, rank, abs(span.root.i - clause.trigger.i)), span))
    return min(ranked, key=lambda item: item[0])[1] if ranked else None


def _on_announcement(span: Span, clause: SigningClause, rules: LanguageRules) -> bool:
    """"announced today the signing of", "have signed, the companies announced today": the day of the news."""
    head = span.root.head
    return head != clause.trigger and clause.trigger not in head.conjuncts and head.lemma_.lower() in rules.announcement_lemmas


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
