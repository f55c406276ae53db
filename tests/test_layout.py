"""The document layout, analysed once: each part found where a reader would see it."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from checks import ARTICLES, captioned_page
from pipeline import Extractor
from pipeline.layout import (
    LAYOUT_BOILERPLATE,
    LAYOUT_CAPTIONS,
    LAYOUT_DATELINE,
    LAYOUT_FRONT_MATTER,
    LAYOUT_HEADLINE,
    LAYOUT_LEAD,
    LAYOUT_LISTS,
    LAYOUT_PARAGRAPHS,
    LAYOUT_QUOTES,
    analyse_layout,
    prose_end,
)
from pipeline.markup import mask_markup
from pipeline.readers import document_from_text, read_document
from pipeline.rules import load_rules

RELEASE = """---
title: Acme and Beta sign MoU on batteries
date: 2024-03-02
---
Acme and Beta sign MoU on batteries

OSLO, 1 March 2024 — Acme Corp and Beta Group signed a memorandum of understanding on battery recycling.

The partners will work on:
- sodium batteries
- recycling plants

"This agreement is a milestone for our two companies," said Jane Doe, CEO of Acme.

About Acme

Acme Corp makes batteries.
"""


@pytest.fixture(scope="module")
def layout(extractor: Extractor) -> Doc:
    document = document_from_text(RELEASE, "a.md", "md")
    doc = extractor.nlp(mask_markup(document.text))
    analyse_layout(doc, document, load_rules("en"))
    return doc


def _texts(doc: Doc, group: str) -> list[str]:
    return [s.text.strip() for s in doc.spans[group]]


def test_front_matter_and_headline(layout: Doc) -> None:
    assert _texts(layout, LAYOUT_FRONT_MATTER)[0].startswith("---\ntitle:")
    assert _texts(layout, LAYOUT_HEADLINE) == ["Acme and Beta sign MoU on batteries"]


def test_dateline_and_lead(layout: Doc) -> None:
    assert _texts(layout, LAYOUT_DATELINE) == ["OSLO, 1 March 2024 —"]
    assert _texts(layout, LAYOUT_LEAD)[0].startswith("OSLO, 1 March 2024 — Acme Corp and Beta Group signed")


def test_paragraphs_lists_quotes_and_boilerplate(layout: Doc) -> None:
    assert len(layout.spans[LAYOUT_PARAGRAPHS]) == 6  # the list belongs to the paragraph it ends
    assert _texts(layout, LAYOUT_LISTS) == ["- sodium batteries", "- recycling plants"]
    assert any(q.startswith("\"This agreement is a milestone") for q in _texts(layout, LAYOUT_QUOTES))
    assert _texts(layout, LAYOUT_BOILERPLATE) == ["About Acme\n\nAcme Corp makes batteries."]


@pytest.mark.parametrize(
    ("caption", "captions"),
    [
        ("Jane Doe (left) and John Roe at the signing", ["Jane Doe (left) and John Roe at the signing"]),
        (None, []),
    ],
)
def test_figure_captions_are_marked_after_the_prose(extractor: Extractor, tmp_path: Path, caption: str | None, captions: list[str]) -> None:
    document = read_document(captioned_page(tmp_path, caption))
    doc = extractor.nlp(mask_markup(document.text))
    analyse_layout(doc, document, load_rules("en"))
    assert _texts(doc, LAYOUT_CAPTIONS) == captions
    assert doc.text[: prose_end(doc)].endswith("survey the roads.")
    assert all(p.start_char < prose_end(doc) for p in doc.spans[LAYOUT_LEAD])


def test_boilerplate_ends_where_the_captions_start(extractor: Extractor) -> None:
    figure = "<figure><figcaption>Jane Doe of Acme</figcaption></figure>"
    page = f"<html><body><article>{ARTICLES['en'].format(figures=figure)}<h2>About Acme</h2><p>Acme Corp makes batteries.</p></article></body></html>"
    document = document_from_text(page, "a.html", "html")
    doc = extractor.nlp(mask_markup(document.text))
    analyse_layout(doc, document, load_rules("en"))
    assert _texts(doc, LAYOUT_CAPTIONS) == ["Jane Doe of Acme"]
    assert _texts(doc, LAYOUT_BOILERPLATE) == ["About Acme\n\nAcme Corp makes batteries."]


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("SALTMERE, Aug 20 (Coastal Wire) - Acme Shipping signed a memorandum of understanding.", "SALTMERE, Aug 20 (Coastal Wire) -"),
        ("LONDON, Aug 20 (Reuters) - Acme Shipping signed a memorandum of understanding.", "LONDON, Aug 20 (Reuters) -"),
        ("COPENHAGEN, Denmark--(BUSINESS WIRE)--Acme A/S and Beta Corp signed an MoU.", "COPENHAGEN, Denmark--(BUSINESS WIRE)--"),
        # a bracket of prose is no wire's name
        ("Acme (a shipping line) - and Beta signed an MoU.", None),
    ],
)
def test_a_wire_name_in_brackets_is_part_of_the_dateline(extractor: Extractor, text: str, dateline: str | None) -> None:
    document = document_from_text(f"Acme signs an MoU\n\n{text}", "a.txt", "txt")
    doc = extractor.nlp(mask_markup(document.text))
    analyse_layout(doc, document, load_rules("en"))
    assert _texts(doc, LAYOUT_DATELINE) == ([dateline] if dateline else [])
