"""The stage contract (docs/architecture.md, "Stage contract"): what every field stage reads,
what it proposes, and the one provenance type of a single quoted value.

A field stage is a module with ``FIELDS`` (the record keys it proposes), ``READS`` (the
earlier stages' fields it reads) and ``propose(context) -> Proposal``. The stages run in the
order of ``pipeline.registry.STAGES``; the resolve step (``pipeline.resolve``) turns their
proposals into the record. Stages never import each other: what one needs of another comes
through ``Context.proposals``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from spacy.tokens import Doc, Span

from models import RecordWarning
from pipeline.document import Document
from pipeline.rules import LanguageRules
from pipeline.stages.signals import SigningClause


@dataclass(frozen=True)
class Found:
    """A value and the characters it was read from."""

    value: str
    text: str
    start: int
    end: int

    @classmethod
    def of(cls, value: str, span: Span) -> Found:
        return cls(value, span.text, span.start_char, span.end_char)

    def record(self, text: str) -> dict[str, Any]:
        """Quoted from the document's own text (the NLP saw it with markup masked)."""
        return {"value": self.value, "text": text[self.start : self.end], "span": (self.start, self.end)}


@dataclass(frozen=True)
class Candidate:
    """A value a stage could propose (a provenance object), its named features and the
    probability its field's learned decision gives it (docs/architecture.md, "Learned decisions")."""

    value: Any
    features: dict[str, float]
    probability: float = 0.0


@dataclass(frozen=True)
class Proposal:
    """What a stage proposes: a value (or list of values) per record field, the warnings that
    explain them, the scored candidates behind them (for training and review) and evidence
    later stages may read."""

    values: dict[str, Any]
    warnings: list[RecordWarning] = field(default_factory=list)
    candidates: list[Any] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """The document analysis every stage reads, made once: the parsed Doc with its layout
    spans, the document, the language's rules, the signing clauses, the day/month order and
    the caller's publication date; ``proposals`` (by the first field of each stage) fills as
    the stages run."""

    doc: Doc
    document: Document
    rules: LanguageRules
    clauses: list[SigningClause]
    date_order: str
    anchor: date | None
    proposals: dict[str, Proposal] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    """The record's values once the resolve step has made them (what confidence and training read)."""

    def value(self, field_name: str) -> Any:
        """An earlier stage's proposed value for ``field_name``."""
        return next(p.values[field_name] for p in self.proposals.values() if field_name in p.values)

    def evidence(self, key: str) -> Any:
        """What an earlier stage left as evidence under ``key`` (one of the keys below)."""
        return next(p.evidence[key] for p in self.proposals.values() if key in p.evidence)


SIGNATORY_TOKENS = "signatory_tokens"
"""Evidence key: indices of the tokens in the signing clauses' slots (who signed), left by the
parties stage for the people stage."""


class Stage(Protocol):
    """A field stage module."""

    FIELDS: tuple[str, ...]
    READS: tuple[str, ...]

    def propose(self, context: Context) -> Proposal: ...
