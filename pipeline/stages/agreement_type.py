"""The agreement type: the kind of the agreement the announcement is about."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from models import RecordWarning
from pipeline.agreement_phrases import AGREEMENT_LEMMA
from pipeline.document import Document
from pipeline.rules import LanguageRules
from pipeline.stages.contract import Context, Found, Proposal
from pipeline.stages.signals import SigningClause, agreement_mentions, is_generic

FIELDS = ("agreement_type",)
READS: tuple[str, ...] = ()

_FOLLOW_UP_SENTENCES = 2


def propose(context: Context) -> Proposal:
    """The headline agreement's kind: the first signing clause's agreement, made specific when
    the next signing sentences name it more precisely ("an agreement" … "the MoU")."""
    found, warnings = _agreement_type(context.doc, context.document, context.clauses, context.rules)
    return Proposal({"agreement_type": found}, warnings)


def _agreement_type(doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules) -> tuple[Found | None, list[RecordWarning]]:
    named = [c for c in clauses if c.agreement is not None]
    mentions = agreement_mentions(doc)
    headline = [m for m in mentions if m.start_char < document.body_start or m.sent == doc[0].sent]
    if named:
        first = named[0]
        choice = first.agreement
        later = _named_next(doc, first, named[1:], rules) if is_generic(choice, rules) else None
        choice = _antecedent(choice, mentions) or later or choice
        return Found.of(choice.label_, choice), []
    if headline:
        return Found.of(headline[0].label_, headline[0]), [RecordWarning(code="agreement_type_from_headline", message="agreement type read from the headline only")]
    body = [m for m in mentions if m.start_char >= document.body_start]
    if clauses and body:
        message = "agreement type read from a mention outside any signing sentence"
        return Found.of(body[0].label_, body[0]), [RecordWarning(code="agreement_type_outside_signing", message=message)]
    message = "no agreement or signing found: this announcement may not be about an agreement"
    return None, [RecordWarning(code="no_agreement_found", message=message)]


def _antecedent(mention: Span, mentions: list[Span]) -> Span | None:
    """"The agreement was signed" after "announced a partnership agreement", "cette déclaration
    d'intention" after "une déclaration d'intention commune": the more specific earlier mention
    a definite or demonstrative phrase refers back to."""
    determiner = mention.doc[mention.start - 1] if mention.start > 0 else None
    if determiner is None or not ("Def" in determiner.morph.get("Definite") or "Dem" in determiner.morph.get("PronType")):
        return None
    words = _lemmas(mention)
    earlier = [m for m in mentions if m.end <= mention.start and len(m) > len(mention) and words <= _lemmas(m)]
    return earlier[-1] if earlier else None


def _lemmas(span: Span) -> set[str]:
    return {t._.get(AGREEMENT_LEMMA) for t in span}


def _named_next(doc: Doc, first: SigningClause, later: list[SigningClause], rules: LanguageRules) -> Span | None:
    """"signed an agreement ..." then "signed the memorandum of understanding" right after."""
    for clause in later:
        if _sentence_gap(doc, first.sentence, clause.sentence) > _FOLLOW_UP_SENTENCES:
            break
        if not is_generic(clause.agreement, rules):
            return clause.agreement
    return None


def _sentence_gap(doc: Doc, first: Span, later: Span) -> int:
    return sum(1 for s in doc[first.end : later.start].sents) if later.start > first.end else 0
