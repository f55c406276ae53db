"""Assertions shared by the rule tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from models import AgreementRecord
from pipeline import Extractor


def extract_valid(extractor: Extractor, text: str, published: date | None = None) -> AgreementRecord:
    """``extract_text``, checked: an agreement record whose every span indexes ``text``."""
    record = extractor.extract_text(text, publication_date=published, source_name="t.txt")
    assert isinstance(record, AgreementRecord), record
    AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text})
    return record


def rule_parties(extractor: Extractor, text: str, folder: Path) -> list[str]:
    """The organisations the hand-written party rules answer for ``text`` (the ``rule_party``
    evidence of the learned decision), in order of first mention."""
    path = folder / "t.txt"
    path.write_text(text, encoding="utf-8")
    _, context = extractor.analyse_file(path)
    assert context is not None
    proposals = context.proposals
    return [c.name for c in proposals["parties"].candidates if c.features["rule_party"]]
