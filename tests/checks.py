"""Assertions shared by the rule tests."""

from __future__ import annotations

from datetime import date

from models import AgreementRecord
from pipeline import Extractor


def extract_valid(extractor: Extractor, text: str, published: date | None = None) -> AgreementRecord:
    """``extract_text``, checked: an agreement record whose every span indexes ``text``."""
    record = extractor.extract_text(text, publication_date=published, source_name="t.txt")
    assert isinstance(record, AgreementRecord), record
    AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text})
    return record
