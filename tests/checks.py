"""Assertions shared by the rule tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from models import AgreementRecord
from pipeline import Extractor


def extract_valid(extractor: Extractor, text: str, published: date | None = None) -> AgreementRecord:
    """``extract_text``, checked: an agreement record whose every span indexes ``text``."""
    record = extractor.extract_text(text, publication_date=published, source_name="t.txt")
    assert isinstance(record, AgreementRecord), record
    AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text})
    return record


def party_candidates(extractor: Extractor, text: str, folder: Path) -> list[Any]:
    """The party candidates of ``text`` (every organisation the decision weighs), in order of first mention."""
    path = folder / "t.txt"
    path.write_text(text, encoding="utf-8")
    _, context = extractor.analyse_file(path)
    assert context is not None
    return list(context.proposals["parties"].candidates)


def rule_parties(extractor: Extractor, text: str, folder: Path) -> list[str]:
    """The organisations the hand-written party rules answer for ``text`` (the ``rule_party``
    evidence of the learned decision), in order of first mention."""
    return [c.name for c in party_candidates(extractor, text, folder) if c.features["rule_party"]]


ARTICLES = {
    "en": (
        "<p>Acme Corp and Bolt Group signed a memorandum of understanding in Oslo on 3 March 2024, their first agreement.</p>"
        "{figures}<p>The two companies will build roads and bridges in the north of the country over the next five years,"
        " with a budget of two million euros a year.</p><p>The work starts in the spring, when engineers of both companies"
        " survey the roads.</p>"
    ),
    "fr": (
        "<p>La société Acme et le groupe Bolt ont signé un protocole d'accord à Lyon le 3 mars 2024, leur premier accord.</p>"
        "{figures}<p>Les deux entreprises construiront des routes et des ponts dans le nord du pays au cours des cinq"
        " prochaines années, avec un budget de deux millions d'euros par an.</p><p>Les travaux commencent au printemps,"
        " quand les ingénieurs des deux entreprises étudieront les routes.</p>"
    ),
}
"""A short announcement as an HTML page, long enough for trafilatura's main text; ``{figures}`` between its paragraphs."""


def captioned_page(folder: Path, caption: str | None, language: str = "en") -> Path:
    """The ``language`` article as ``folder/a.html``, with a figure captioned ``caption`` (``None``: no figure)."""
    figures = "" if caption is None else f"<figure><img src='a.jpg' alt='photo'/><figcaption>{caption}</figcaption></figure>"
    path = folder / "a.html"
    page = f"<html><head><title>Acme and Bolt sign an MoU</title></head><body><article>{ARTICLES[language].format(figures=figures)}</article></body></html>"
    path.write_text(page, encoding="utf-8")
    return path
