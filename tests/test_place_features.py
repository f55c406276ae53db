"""Signing-place features on hand-built parses: what a place hangs on, whatever the parser did elsewhere."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.features.signing_place import PlaceEvidence, on_signing_date

# "En signant, mardi à Evreux, le contrat, la Région s'est engagée": the parser hung the
# date (with its place) on the main verb, not on the signing.
WORDS = ["En", "signant", ",", "mardi", "à", "Evreux", ",", "la", "Région", "s'est", "engagée"]
HEADS = [1, 10, 10, 10, 5, 3, 10, 8, 10, 10, 10]
DEPS = ["case", "obl:mod", "punct", "obl:mod", "case", "nmod", "punct", "det", "nsubj", "aux", "ROOT"]


def _evidence(place: slice, signing_date: tuple[int, int] | None) -> PlaceEvidence:
    doc = Doc(Vocab(), words=WORDS, heads=HEADS, deps=DEPS)
    unset = dict.fromkeys(("rule_choice", "from_dateline", "city_of_venue", "venue", "premises", "about_something_else"), False)
    return PlaceEvidence(
        spans=(doc[place],), clause_rank=None, after_place_word=True, labels=frozenset(), signing_sentences=frozenset(),
        agreement_sentences=frozenset(), signing_date=signing_date, **unset,
    )


def _chars(word: int) -> tuple[int, int]:
    doc = Doc(Vocab(), words=WORDS)
    return doc[word].idx, doc[word].idx + len(doc[word])


@pytest.mark.parametrize(
    ("place", "signing_date", "value"),
    [
        (slice(5, 6), _chars(3), 1.0),  # "Evreux" hangs on "mardi", the signing's date
        (slice(5, 6), None, 0.0),  # no signing date chosen
        (slice(8, 9), _chars(3), 0.0),  # "Région" hangs on the main verb
    ],
)
def test_on_signing_date(place: slice, signing_date: tuple[int, int] | None, value: float) -> None:
    assert on_signing_date(_evidence(place, signing_date)) == value
