"""The unit every stage works on: one announcement's text and what its file says about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    begins (after any front matter): stages look for agreements only from there.
    """

    text: str
    path: str
    sha256: str
    format: SourceFormat
    body_start: int = 0
    title: Evidence | None = None
    publication_date: Evidence | None = None
    language: str | None = None
    warnings: tuple[str, ...] = ()
    """What reading did that the record should say (a guessed charset, a replaced character)."""

    @property
    def id(self) -> str:
        """The record id: the source path (as given, POSIX separators) without its extension."""
        return record_id(self.path)


def record_id(path: str) -> str:
    """``"news/a.md"`` → ``"news/a"``: unique within a run, stable across runs."""
    posix = path.replace("\\", "/")
    folder, _, name = posix.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{folder}/{stem}" if folder else stem
