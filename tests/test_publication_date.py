"""The publication date of a record: the metadata date, else a dateline or publication line at
the top of the body, quoted from the text; never a date of the announcement's own sentences."""

from __future__ import annotations

import pytest

from pipeline import Extractor
from models import AgreementRecord

SIGNED_EN = "Acme Corp and Bolt Ltd signed a partnership agreement on Friday in Oslo, a new step for both companies."
IMAGE = "img/2024-03-03-acme-and-bolt-sign-a-partnership-agreement-in-oslo.002.png"  # markup is masked, not text
SIGNED_FR = "Acme et Bolt ont signé un accord de partenariat vendredi à Oslo, une nouvelle étape pour les deux entreprises."


def record(extractor: Extractor, text: str, fmt: str = "txt") -> AgreementRecord:
    result = extractor.extract_text(text, source_name=f"t.{fmt}", fmt=fmt)
    assert isinstance(result, AgreementRecord)
    AgreementRecord.model_validate(result.model_dump(mode="json"), context={"text": text})  # every span indexes the text
    return result


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        (f"NEW YORK, March 3, 2024 /PRNewswire/ -- {SIGNED_EN}", "March 3, 2024", "2024-03-03"),
        (f"LONDON--(BUSINESS WIRE)--March 3, 2024--{SIGNED_EN}", "March 3, 2024", "2024-03-03"),
        (f"OSLO, Monday, 4 March 2024 — {SIGNED_EN}", "4 March 2024", "2024-03-04"),
        (f"PARIS, le 3 mars 2024 – {SIGNED_FR}", "3 mars 2024", "2024-03-03"),
        (f"PARIS, lundi 4 mars 2024 – {SIGNED_FR}", "4 mars 2024", "2024-03-04"),
        (f"Acme and Bolt sign a partnership\n\nPublished: 3 March 2024\n\n{SIGNED_EN}\n", "3 March 2024", "2024-03-03"),
        (f"Acme and Bolt sign a partnership\n\nPosted on March 3, 2024 by Admin\n\n{SIGNED_EN}\n", "March 3, 2024", "2024-03-03"),
        (f"Acme et Bolt signent un partenariat\n\nPublié le 3 mars 2024 à 14h07\n\n{SIGNED_FR}\n", "3 mars 2024", "2024-03-03"),
        (f"Acme et Bolt signent un partenariat\n\n19-12-2023\n\n{SIGNED_FR}\n", "19-12-2023", "2023-12-19"),
        (f"Acme and Bolt sign a partnership\n\n![]({IMAGE}) 3 March 2024![]({IMAGE})[ Jane Doe](/authors/jane-doe/) 3 mins read\n\n{SIGNED_EN}\n", "3 March 2024", "2024-03-03"),
    ],
)
def test_dateline_and_publication_line(extractor: Extractor, text: str, quote: str, value: str) -> None:
    found = record(extractor, text).publication_date
    assert found is not None and found.value == value and found.precision == "day"
    assert quote in found.text and text[found.span[0] : found.span[1]] == found.text


@pytest.mark.parametrize(
    ("text", "signed"),
    [
        ("PARIS (Reuters) - Acme Corp and Bolt Ltd signed a partnership agreement on 3 March 2024.", "2024-03-03"),
        ("On March 3, 2024, Acme Corp and Bolt Ltd signed a partnership agreement.", "2024-03-03"),
        ("Le 3 mars 2024, Acme et Bolt ont signé un accord de partenariat.", "2024-03-03"),
        ("Acme Corp and Bolt Ltd signed a partnership agreement.\n\nThe plant opened on 3 March 2024.", None),
        ("Acme Corp, established in 2015, has signed a partnership agreement with Bolt Ltd.", None),
        # a hard-wrapped first sentence: its short first line is no dateline
        ("Le 14 décembre 2021, Jeanne Martin, ministre du Travail, de\n\nl’Emploi et de l’Insertion, et Paul Durand,\n\n"
         "président d’Acme, ont signé une convention de partenariat.", None),
        ("En déplacement chez Acme le 23 septembre 2021, Jeanne\n\nMartin a signé une convention de partenariat avec Acme.", None),
    ],
)
def test_body_dates_are_not_the_publication_date(extractor: Extractor, text: str, signed: str | None) -> None:
    result = record(extractor, text)
    assert result.publication_date is None
    if signed is not None:
        assert result.signing_date is not None and result.signing_date.value == signed


@pytest.mark.parametrize(
    ("declared", "value"),
    [
        ("2024-03-03T10:00:00+01:00", "2024-03-03"),
        ("Sun, 03 Mar 2024 10:00:00 GMT", "2024-03-03"),
        ("03/04/2024 14:30", "2024-04-03"),
        ("15.03.2024 09:00", "2024-03-15"),
        ("1709458200", "2024-03-03"),
        ("1709458200000", "2024-03-03"),
    ],
)
def test_front_matter_date_beats_a_dateline(extractor: Extractor, declared: str, value: str) -> None:
    text = f"---\ntitle: Acme and Bolt sign a partnership\ndate: {declared}\n---\nOSLO, 1 March 2024 — {SIGNED_EN}\n"
    found = record(extractor, text, "md").publication_date
    assert found is not None and (found.value, found.precision, found.text) == (value, "day", declared)
    assert text[found.span[0] : found.span[1]] == declared


def test_ambiguous_front_matter_date_warns(extractor: Extractor) -> None:
    text = f"---\ntitle: Acme and Bolt sign a partnership\ndate: 03/04/2024 14:30\n---\n{SIGNED_EN}\n"
    assert any(w.code == "ambiguous_date" and "03/04/2024" in w.message for w in record(extractor, text, "md").warnings)


def test_implausible_timestamp_falls_back_to_the_dateline(extractor: Extractor) -> None:
    text = f"---\ntitle: Acme and Bolt sign a partnership\ndate: 123456789\n---\nOSLO, 1 March 2024 — {SIGNED_EN}\n"
    found = record(extractor, text, "md").publication_date
    assert found is not None and (found.value, found.text) == ("2024-03-01", "1 March 2024")
