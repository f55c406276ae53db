"""Features of party candidates (docs/architecture.md, "Candidates and features").

A feature is a small function of a candidate's :class:`PartyEvidence` giving a number in
[0, 1]; its name is the key of its weight in ``pipeline/patterns/decisions/parties.json``.
What the hand-written rules decide (the slots of a signing clause, the headline fallback) is
evidence here, weighed with everything else instead of deciding alone: a candidate no rule
found can still be a party when the rest of its evidence says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span

from pipeline.document import Document
from pipeline.layout import LAYOUT_BOILERPLATE, LAYOUT_DATELINE, LAYOUT_HEADLINE, LAYOUT_LEAD, LAYOUT_QUOTES
from pipeline.features.common import all_in, any_in, saturating



@dataclass(frozen=True)
class PartyEvidence:
    """What the features of one organisation candidate read.

    ``mentions`` are its mentions in the body, in order; ``slot_rank`` the rank of the first
    signing clause whose slots named it (``None``: none did); ``rank`` its order of first
    mention among the document's candidates; the sentence sets are the starts (token index)
    of signing-clause and agreement-phrase sentences."""

    document: Document
    mentions: tuple[Span, ...]
    label: str
    slot_rank: int | None
    partnering: bool
    headline_rule: bool
    rule_party: bool
    rule_answers: int
    after_partner_word: bool
    after_place_word: bool
    person_mention: bool
    subject: bool
    coordinated: bool
    acronym: bool
    organisation_words: bool
    person_like: bool
    rank: int
    lead_sentences: frozenset[int]
    signing_sentences: frozenset[int]
    agreement_sentences: frozenset[int]
    body_length: int


def _sentence_starts(evidence: PartyEvidence) -> set[int]:
    return {m.sent.start for m in evidence.mentions}


def slot_first_clause(e: PartyEvidence) -> float:
    """Named in a slot (subject, agent, "with"/"between" object) of the best signing clause."""
    return float(e.slot_rank == 0)


def slot_later_clause(e: PartyEvidence) -> float:
    """Named in a slot of another signing clause only."""
    return float(e.slot_rank is not None and e.slot_rank > 0)


def partnering_clause(e: PartyEvidence) -> float:
    """Subject or partner of a lead sentence where organisations "agree", "partner", "team up"."""
    return float(e.partnering)


def headline_rule(e: PartyEvidence) -> float:
    """An organisation of the headline that the body names too, taken when the slots gave fewer than two."""
    return float(e.headline_rule)


def rule_party(e: PartyEvidence) -> float:
    """What the hand-written cascade alone would answer."""
    return float(e.rule_party)


def rule_list(e: PartyEvidence) -> float:
    """One of three or more organisations the cascade answered: a list of signatories."""
    return float(e.rule_party and e.rule_answers >= 3)


def in_lead_paragraph(e: PartyEvidence) -> float:
    """A mention in the lead: the first paragraph after the headline."""
    return any_in(e.mentions, LAYOUT_LEAD)


def in_headline(e: PartyEvidence) -> float:
    """A mention in the headline the layout found (the file's title, or a first line that reads as one)."""
    return any_in(e.mentions, LAYOUT_HEADLINE)


def in_dateline(e: PartyEvidence) -> float:
    """A mention inside the dateline ("NEW DELHI, 3 May —"): a place, or a wire's name."""
    return any_in(e.mentions, LAYOUT_DATELINE)


def only_in_quotes(e: PartyEvidence) -> float:
    """Every mention is inside a quotation: someone speaks of it."""
    return all_in(e.mentions, LAYOUT_QUOTES)


def only_in_boilerplate(e: PartyEvidence) -> float:
    """Every mention is in the closing boilerplate ("About X", "Media contact")."""
    return all_in(e.mentions, LAYOUT_BOILERPLATE)


def in_lead(e: PartyEvidence) -> float:
    """A mention in the first sentences of the body."""
    return float(bool(_sentence_starts(e) & e.lead_sentences))


def in_signing_sentence(e: PartyEvidence) -> float:
    """A mention in a sentence that reports a signing (a verb or noun of signing)."""
    return float(bool(_sentence_starts(e) & e.signing_sentences))


def in_agreement_sentence(e: PartyEvidence) -> float:
    """A mention in a sentence that names an agreement ("memorandum of understanding")."""
    return float(bool(_sentence_starts(e) & e.agreement_sentences))


def after_partner_word(e: PartyEvidence) -> float:
    """A mention governed by "with", "between", "by" (or the language's words for them)."""
    return float(e.after_partner_word)


def after_place_word(e: PartyEvidence) -> float:
    """A mention governed by "in", "à" (or the language's words for a place): where, not who."""
    return float(e.after_place_word)


def person_mention(e: PartyEvidence) -> float:
    """A mention inside a person's name, as NER or the name rules see it."""
    return float(e.person_mention)


def subject_of_a_verb(e: PartyEvidence) -> float:
    """A mention that is the subject of some verb, or coordinated with one: organisations that act."""
    return float(e.subject)


def coordinated(e: PartyEvidence) -> float:
    """A mention in a coordination ("X, Y and Z"): items of a list of signatories stand together."""
    return float(e.coordinated)


def mentions(e: PartyEvidence) -> float:
    """How often the text names it, on a log scale."""
    return saturating(len(e.mentions))


def single_mention(e: PartyEvidence) -> float:
    """Named once only."""
    return float(len(e.mentions) == 1)


def early(e: PartyEvidence) -> float:
    """How early the first mention comes (1 at the start of the body, 0 at its end)."""
    first = min((m.start_char for m in e.mentions), default=e.document.body_start + e.body_length)
    return max(0.0, 1.0 - (first - e.document.body_start) / max(1, e.body_length))


def first_named(e: PartyEvidence) -> float:
    """The first organisation the text names."""
    return float(e.rank == 0)


def second_named(e: PartyEvidence) -> float:
    """The second organisation the text names."""
    return float(e.rank == 1)


def ner_organisation(e: PartyEvidence) -> float:
    """The NER model calls its first mention an organisation."""
    return float(e.label == "ORG")


def ner_place(e: PartyEvidence) -> float:
    """The NER model calls it a country, city or region (governments sign as their country)."""
    return float(e.label in ("GPE", "LOC"))


def ner_other(e: PartyEvidence) -> float:
    """The NER model calls it something else (a nationality, a product, nothing)."""
    return float(e.label not in ("ORG", "GPE", "LOC"))


def has_acronym(e: PartyEvidence) -> float:
    """The text defines an acronym for it."""
    return float(e.acronym)


def institution_words(e: PartyEvidence) -> float:
    """Its name has an institution word ("University", "Ministry", "Ltd")."""
    return float(e.organisation_words)


def person_like(e: PartyEvidence) -> float:
    """Its name looks like a person's (honorific, title, a PERSON entity inside)."""
    return float(e.person_like)


def single_word(e: PartyEvidence) -> float:
    """A one-word name."""
    return float(all(len(m) == 1 for m in e.mentions))


PARTY_FEATURES: dict[str, Callable[[PartyEvidence], float]] = {
    f.__name__: f
    for f in (
        slot_first_clause, slot_later_clause, partnering_clause, headline_rule, rule_party, rule_list, in_headline, in_lead, in_lead_paragraph, in_dateline,
        only_in_quotes, only_in_boilerplate,
        in_signing_sentence, in_agreement_sentence, after_partner_word, after_place_word, person_mention, subject_of_a_verb, coordinated, mentions, single_mention,
        early, first_named, second_named, ner_organisation, ner_place, ner_other, has_acronym, institution_words,
        person_like, single_word,
    )
}


def party_features(evidence: PartyEvidence) -> dict[str, float]:
    """Every party feature of one candidate, by name."""
    return {name: feature(evidence) for name, feature in PARTY_FEATURES.items()}
