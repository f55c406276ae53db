"""Signing-date candidates and their features, on small hand-written announcements: what the
hand-written rule used to decide alone is now evidence the learned decision weighs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import Extractor

TEXT = (
    "Acme University and Bolt Institute sign research pact\n\n"
    "OSLO, 2 May 2024 — Acme University and Bolt Institute signed a memorandum of understanding on 30 April 2024 "
    "for five years, renewing the agreement signed in 2019.\n\nThe partners announced on 1 May 2024 the next steps."
)


@pytest.fixture(scope="module")
def date_features(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    path = Path(tmp_path_factory.mktemp("dates")) / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    _, context = extractor.analyse_file(path)
    assert context is not None
    proposals = context.proposals
    return {c.value.text: c.features for c in proposals["signing_date"].candidates}


@pytest.mark.parametrize(
    ("date_text", "feature", "value"),
    [
        ("30 April 2024", "rule_choice", 1.0),
        ("30 April 2024", "attached_to_signing", 1.0),
        ("30 April 2024", "in_first_clause", 1.0),
        ("30 April 2024", "first_date", 1.0),
        ("2019", "year_precision", 1.0),
        ("2019", "rule_choice", 0.0),
    ],
)
def test_date_feature(date_features: dict[str, dict[str, float]], date_text: str, feature: str, value: float) -> None:
    assert date_features[date_text][feature] == value


@pytest.mark.parametrize(
    ("date_text", "why"),
    [
        ("1 May 2024", "a sentence after the lead with no signing and no agreement named"),
        ("2 May 2024", "the dateline's: the publication date (date rule 6)"),
    ],
)
def test_a_date_that_cannot_be_the_signing_date_is_no_candidate(date_features: dict[str, dict[str, float]], date_text: str, why: str) -> None:
    assert date_text not in date_features, why


def test_the_decision_keeps_the_signing_date(extractor: Extractor) -> None:
    record = extractor.extract_text(TEXT)
    assert record.signing_date is not None and record.signing_date.value == "2024-04-30"
