"""Where the text talks about signing: the clauses every other stage anchors on.

A signing clause is a sentence of the body with a signing trigger — a verb such as
"sign"/"ink"/"conclude"/"enter (into)", or a noun such as "signing"/"signature" — ranked
so that the headline agreement comes first and references to earlier agreements last.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from pipeline.document import Document
from pipeline.agreement_phrases import AGREEMENT_LEMMA, AGREEMENT_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.layout import is_headline, prose_end
from pipeline.stages.views import holds, longest_spans

_PAST_MARKER_WINDOW = 3
_NOUN_CLAUSE_DEPS = ("acl", "relcl", "acl:relcl")


@dataclass(frozen=True)
class SigningClause:
    """A sentence that reports a signing, its trigger word and the agreement it names."""

    sentence: Span
    trigger: Token
    agreement: Span | None
    future: bool
    earlier_agreement: bool
    headline: bool = False


def agreement_mentions(doc: Doc, start_char: int = 0) -> list[Span]:
    """Agreement phrases ("memorandum of understanding", "MoU", ...) of the prose (figure
    captions tell of the photo), longest match wins."""
    end = prose_end(doc)
    return [s for s in longest_spans(doc, AGREEMENT_SPANS) if start_char <= s.start_char < end]


def is_generic(agreement: Span, rules: LanguageRules) -> bool:
    """A head that names no kind ("the agreement", "Agreements", "cet accord"): a later or
    earlier mention may say which agreement it is."""
    return len(agreement) == 1 and agreement[0]._.get(AGREEMENT_LEMMA) in rules.generic_types


def _signing_words(doc: Doc, rules: LanguageRules) -> list[int]:
    """Where the words that can be a signing trigger stand (a signing noun, or a signing lemma),
    read from the Doc's arrays: the triggers are looked for among them, not over every token."""
    strings = doc.vocab.strings
    return [
        i
        for i, (lower, lemma) in enumerate(doc.to_array([LOWER, LEMMA]).tolist())
        if strings[lower] in rules.signing_nouns or strings[lemma].lower() in rules.signing_lemmas
    ]


def is_signing_trigger(token: Token, rules: LanguageRules) -> bool:
    """A signing verb or noun; "enter" and "exchange" only with "into" or an agreement as
    their object ("exchanged MoUs") or passive subject ("the MoU was exchanged")."""
    if token.lower_ in rules.signing_nouns:
        return True
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in rules.signing_lemmas:
        return False
    if token.dep_ == "amod":
        return False  # "the renewed agreement was signed": a participle describing it, not the signing
    if token.lemma_.lower() in rules.signing_lemmas_needing_object:  # "entered into an agreement"
        return any(child.lower_ in rules.signing_particles or _names_agreement(child) for child in token.children)
    return True


def _names_agreement(token: Token) -> bool:
    """"entered into an agreement", "exchanged MoUs", "the MoU was exchanged"."""
    role = syntax.is_object(token) or token.dep_ in syntax.PASSIVE_SUBJECT_DEPS
    return role and holds(token.doc, AGREEMENT_SPANS, token.i)


def signing_clauses(doc: Doc, document: Document, rules: LanguageRules) -> list[SigningClause]:
    """Signing clauses of the body's prose, best first: the headline agreement before earlier
    ones. A figure caption's "signing ceremony" is the photo's, not the text's account."""
    mentions = agreement_mentions(doc, document.body_start)
    end = prose_end(doc)
    signing_words = _signing_words(doc, rules)
    clauses: list[SigningClause] = []
    for sentence in doc.sents:
        if sentence.end_char <= document.body_start or sentence.start_char >= end:
            continue
        triggers = [doc[i] for i in signing_words[bisect_left(signing_words, sentence.start) : bisect_left(signing_words, sentence.end)] if is_signing_trigger(doc[i], rules)]
        if not triggers:
            continue
        verbs = [t for t in triggers if t.pos_ in ("VERB", "AUX")]
        trigger = min(verbs, key=_describes_a_noun) if verbs else triggers[0]
        named = [m for m in mentions if sentence.start <= m.start < sentence.end]
        agreement = _closest(named, trigger)
        clauses.append(
            SigningClause(
                sentence=sentence,
                trigger=trigger,
                agreement=agreement,
                future=is_future(trigger, rules),
                earlier_agreement=agreement is not None and _refers_to_earlier(agreement, rules) or _about_another_event(trigger, agreement),
                headline=is_headline(sentence),
            )
        )
    # Body sentences before headlines: a headline abbreviates ("signs MOU with PNG").
    return sorted(clauses, key=lambda c: (c.earlier_agreement, c.headline, c.agreement is None and c.trigger.pos_ not in ("VERB", "AUX")))


def partnering_clauses(doc: Doc, document: Document, rules: LanguageRules, lead: int = 4) -> list[SigningClause]:
    """Lead sentences where organisations "agree", "partner" or "team up" (active voice): where
    the parties are named when the signing sentence only says "the two organisations"."""
    end = prose_end(doc)
    body = [s for s in doc.sents if s.end_char > document.body_start and s.start_char < end][:lead]
    clauses = []
    for sentence in body:
        verb = next(
            (t for t in sentence if t.pos_ == "VERB" and t.lemma_.lower() in rules.partnering_lemmas
             and not syntax.is_passive(t)),
            None,
        )
        if verb is not None:
            clauses.append(SigningClause(sentence, verb, None, is_future(verb, rules), False))
    return clauses


def _describes_a_noun(trigger: Token) -> bool:
    """"Building on the letter of intent signed last year, A and B signed ...": a participle or
    relative clause describing a noun tells of that thing, the sentence's own verb of its signing."""
    return trigger.dep_ in _NOUN_CLAUSE_DEPS


def _closest(spans: list[Span], token: Token) -> Span | None:
    return min(spans, key=lambda s: abs(s.start - token.i), default=None)


def is_future(trigger: Token, rules: LanguageRules) -> bool:
    """"will sign", "is to sign", "plans to sign": the event has not happened yet."""
    words = [child.lower_ for child in trigger.children if child.dep_ in ("aux", "auxpass", "aux:pass", "aux:tense")]
    if trigger.dep_ == "xcomp":
        words.append(trigger.head.lower_)
    return any(word in rules.future_markers for word in words)


def _about_another_event(trigger: Token, agreement: Span | None) -> bool:
    """"... after the Roundtable in Beijing, where Singapore and China signed an MOU": a signing
    told in a relative clause about something else is another agreement."""
    if trigger.dep_ not in ("relcl", "acl:relcl"):
        return False
    described = trigger.head
    return agreement is None or not any(m.start <= described.i < m.end for m in agreement_mentions(trigger.doc))


def _refers_to_earlier(agreement: Span, rules: LanguageRules) -> bool:
    """"a first agreement", "the existing MoU", "a previous accord"."""
    window = agreement.doc[max(agreement.start - _PAST_MARKER_WINDOW, 0) : agreement.start]
    return any(t.lower_ in rules.past_agreement_markers for t in window)
