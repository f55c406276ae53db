"""Features of signing-place candidates (docs/architecture.md, "Candidates and features").

Candidates are the places of the signing and agreement sentences, the cities of the venues a
signing names and the dateline's city, one per value. What the hand-written rule tests —
hangs on the signing, a city rather than a venue, not an organisation's premises — is evidence
here, weighed together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span

from pipeline.layout import LAYOUT_BOILERPLATE, LAYOUT_HEADLINE, LAYOUT_LEAD, LAYOUT_QUOTES
from pipeline.features.common import all_in, any_in, saturating



@dataclass(frozen=True)
class PlaceEvidence:
    """What the features of one place candidate read: its mentions, and what the rule's tests
    say of them. ``clause_rank`` is the rank of the first current signing clause the place
    hangs on (``None``: none); ``labels`` the NER labels of its mentions' heads."""

    spans: tuple[Span, ...]
    rule_choice: bool
    clause_rank: int | None
    from_dateline: bool
    city_of_venue: bool
    venue: bool
    premises: bool
    after_place_word: bool
    about_something_else: bool
    labels: frozenset[str]
    signing_sentences: frozenset[int]
    agreement_sentences: frozenset[int]
    signing_date: tuple[int, int] | None = None
    """The characters of the signing date the date stage chose, if any."""


def rule_choice(e: PlaceEvidence) -> float:
    """The place the hand-written rule alone would answer."""
    return float(e.rule_choice)


def on_first_signing(e: PlaceEvidence) -> float:
    """Hangs on the best signing clause ("signed ... in Paris")."""
    return float(e.clause_rank == 0)


def on_later_signing(e: PlaceEvidence) -> float:
    """Hangs on another signing clause only."""
    return float(e.clause_rank is not None and e.clause_rank > 0)


def in_signing_sentence(e: PlaceEvidence) -> float:
    """Named in a sentence that reports a signing."""
    return float(any(s.sent.start in e.signing_sentences for s in e.spans))


def in_agreement_sentence(e: PlaceEvidence) -> float:
    """Named in a sentence that names an agreement."""
    return float(any(s.sent.start in e.agreement_sentences for s in e.spans))


def on_signing_date(e: PlaceEvidence) -> float:
    """Hangs on the signing's date ("mardi à Evreux", "on 3 May in Oslo"): the parser may hang
    the date, with its place, on another verb than the signing's."""
    if e.signing_date is None:
        return 0.0
    start, end = e.signing_date
    return float(any(start <= s.root.head.idx < end for s in e.spans if s.root.head != s.root))


def dateline_city(e: PlaceEvidence) -> float:
    """The city of the dateline ("ROME, 3 May —"): where the news was written."""
    return float(e.from_dateline)


def city_of_a_venue(e: PlaceEvidence) -> float:
    """The city of a venue the signing names ("at Turku City Hall")."""
    return float(e.city_of_venue)


def venue(e: PlaceEvidence) -> float:
    """A building or site rather than a city ("the Great Hall", "campus")."""
    return float(e.venue)


def premises(e: PlaceEvidence) -> float:
    """An organisation's name used as a place ("at the Ministry of Finance")."""
    return float(e.premises)


def after_place_word(e: PlaceEvidence) -> float:
    """Introduced by a place preposition ("in", "at")."""
    return float(e.after_place_word)


def about_something_else(e: PlaceEvidence) -> float:
    """Every mention is where a person works or where the agreement's object will be."""
    return float(e.about_something_else)


def ner_city_or_country(e: PlaceEvidence) -> float:
    """NER calls a mention a city, country or region."""
    return float(bool(e.labels & {"GPE", "LOC"}))


def ner_facility(e: PlaceEvidence) -> float:
    """NER calls a mention a facility."""
    return float("FAC" in e.labels)


def ner_none(e: PlaceEvidence) -> float:
    """NER gives no mention a label (a name the rules read as a place)."""
    return float(e.labels <= {""})


def in_headline(e: PlaceEvidence) -> float:
    """A mention in the headline."""
    return any_in(e.spans, LAYOUT_HEADLINE)


def in_lead(e: PlaceEvidence) -> float:
    """A mention in the first paragraph of the body."""
    return any_in(e.spans, LAYOUT_LEAD)


def only_in_quotes(e: PlaceEvidence) -> float:
    """Every mention is inside a quotation."""
    return all_in(e.spans, LAYOUT_QUOTES)


def in_boilerplate(e: PlaceEvidence) -> float:
    """A mention in the closing boilerplate ("About X")."""
    return any_in(e.spans, LAYOUT_BOILERPLATE)


def mentions(e: PlaceEvidence) -> float:
    """How often it is named (log scale, saturating)."""
    return saturating(len(e.spans))


PLACE_FEATURES: dict[str, Callable[[PlaceEvidence], float]] = {
    f.__name__: f
    for f in (
        rule_choice, on_first_signing, on_later_signing, on_signing_date, in_signing_sentence, in_agreement_sentence, dateline_city, city_of_a_venue,
        venue, premises, after_place_word, about_something_else, ner_city_or_country, ner_facility, ner_none, in_headline, in_lead,
        only_in_quotes, in_boilerplate, mentions,
    )
}


def place_features(evidence: PlaceEvidence) -> dict[str, float]:
    """Every signing-place feature of one candidate, by name."""
    return {name: feature(evidence) for name, feature in PLACE_FEATURES.items()}
