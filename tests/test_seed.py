"""The founding announcement must come out exactly as its gold record says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import AgreementRecord
from pipeline import Extractor
from pipeline.evaluate import compare_document, flatten

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "docs" / "seed-000.txt"
GOLD = CORPUS / "gold" / "seed-000.json"

pytestmark = pytest.mark.skipif(not SEED.exists() or not GOLD.exists(), reason="../shared/corpus is not here")


@pytest.fixture(scope="module")
def record(extractor: Extractor) -> AgreementRecord:
    result = extractor.extract_file(SEED, SEED.name)
    assert isinstance(result, AgreementRecord), result
    return result


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.mark.parametrize("field", ["publication_date", "signing_date", "agreement_type", "signing_place"])
def test_exact_fields(record: AgreementRecord, gold: dict, field: str) -> None:
    assert flatten(record.model_dump(mode="json"))[field] == gold[field]


def test_parties_are_exactly_inria_and_cas(record: AgreementRecord, gold: dict) -> None:
    assert [(p.name, p.acronym) for p in record.parties] == [(p["name"], p["acronym"]) for p in gold["parties"]]
    others = {o.name for o in record.organizations}
    assert "LIAMA" in others and not others & {"Inria", "Chinese Academy of Sciences", "CAS"}


def test_people_are_christine_morin_with_title_not_the_photo_credit(record: AgreementRecord, gold: dict) -> None:
    assert [(p.name, p.title, p.affiliation) for p in record.people] == [
        (p["name"], p["title"], p["affiliation"]) for p in gold["people"]
    ]


def test_every_gold_theme_is_covered(record: AgreementRecord, gold: dict) -> None:
    result = compare_document(flatten(record.model_dump(mode="json")), gold)["themes"]
    assert not result.missed, result.missed
    assert result.counts.precision >= 0.6, result.spurious


def test_dates_point_at_their_words(record: AgreementRecord) -> None:
    text = SEED.read_text(encoding="utf-8")
    signing, published = record.signing_date, record.publication_date
    assert text[signing.span[0] : signing.span[1]] == signing.text == "5 April 2018"
    assert text[published.span[0] : published.span[1]] == published.text == "29/01/2020"
    AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text})
