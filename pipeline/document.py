"""The unit every stage works on: one announcement's text and what its file says about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from models import RecordWarning

SourceFormat = Literal["txt", "md", "html"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A piece of ``Document.text``: the words and their ``[start, end)`` offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Document:
    """An announcement ready for NLP.

    ``text`` is what every span indexes. For Markdown it is the whole file, front matter
    included, so that a front-matter date can be pointed at; for HTML it is trafilatura's
    text output with its metadata header. ``body_start`` is where the announcement itself
    begins (after any front matter): stages look for agreements only from there. When the
    front matter holds a lead paragraph the body does not repeat ("chapeau-text: ..."),
    the body starts at that ``lead``, and ``front_matter_end`` (else 0) is where the front
    matter after it ends: its fields after the lead are hidden from the NLP
    (``markup.mask_document``).
    """

    text: str
    path: str
    sha256: str
    format: SourceFormat
    body_start: int = 0
    front_matter_end: int = 0
    lead: Evidence | None = None
    title: Evidence | None = None
    publication_date: Evidence | None = None
    language: str | None = None
    captions: tuple[Evidence, ...] = ()
    """Figure captions (HTML ``<figcaption>``), after the prose: the layout marks them
    (``layout:captions``); people read them, parties do not."""
    warnings: tuple[RecordWarning, ...] = ()
    """What reading did that the record should say (a guessed charset, a replaced character)."""

    @property
    def id(self) -> str:
        """The record id: the source name with its extension, '/'-separated (``news/a.md``), so
        ``news/a.md`` and ``news/a.txt`` are two records; unique within a run, stable across runs."""
        return record_id(self.path)


def record_id(source_name: str) -> str:
    """The id of the record of ``source_name``: the name, '/'-separated (``pipeline.sources``)."""
    return source_name.replace("\\", "/")
