"""Pydantic v2 models of the JSON contract (schema_version "2") described in the README ("The record").

Version 2 adds ``confidence`` to every value (the calibrated probability that it is right as
the annotation guide defines right; ``null`` where nothing is calibrated yet) and, to the
signing date and place, the ``alternatives`` the learned decision ranked next; a version-1
record, which has neither key, still validates.

An analyst's ``corrections`` (additive, still version "2") give a field the value to use
instead of the extractor's, which stays in the record, with its confidence, for audit.

Records are validated strictly: unknown keys are refused, vocabularies are closed, dates
must match their precision, and, when the document text is passed as validation context
(``AgreementRecord.model_validate(data, context={"text": text})``), every quoted text must
equal ``text[start:end]`` and every span must index the text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationInfo, model_validator

SCHEMA_VERSION = "2"
SCHEMA_VERSIONS = ("1", "2")

AgreementKind = Literal[
    "memorandum_of_understanding",
    "cooperation_agreement",
    "framework_agreement",
    "partnership_agreement",
    "letter_of_intent",
    "joint_declaration",
    "contract",
    "other",
]
Precision = Literal["day", "month", "year"]
Role = Literal["signatory", "quoted", "contact", "other"]
SourceFormat = Literal["txt", "md", "html"]

Offset = Annotated[int, Field(ge=0)]
Span = tuple[Offset, Offset]

_DATE_PATTERNS: dict[str, re.Pattern[str]] = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "year": re.compile(r"^\d{4}$"),
}


def _check_date(value: str, precision: Precision) -> None:
    """``value`` is a real date written at ``precision``."""
    if not _DATE_PATTERNS[precision].match(value):
        raise ValueError(f"date {value!r} does not have {precision} precision")
    padded = {"day": value, "month": f"{value}-01", "year": f"{value}-01-01"}
    date.fromisoformat(padded[precision])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _document_text(info: ValidationInfo) -> str | None:
    context = info.context
    if isinstance(context, dict) and isinstance(context.get("text"), str):
        return context["text"]
    return None


def _check_span(span: Span, text: str | None) -> None:
    start, end = span
    if start > end:
        raise ValueError(f"span {list(span)} ends before it starts")
    if text is not None and end > len(text):
        raise ValueError(f"span {list(span)} is outside the text ({len(text)} characters)")


def _check_quote(quote: str, span: Span, text: str | None) -> None:
    _check_span(span, text)
    if text is not None and text[span[0] : span[1]] != quote:
        raise ValueError(f"text{list(span)} is {text[span[0]:span[1]]!r}, not the quoted {quote!r}")


class Source(_Strict):
    """Where a record comes from."""

    path: str
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    format: SourceFormat | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    title: str | None = None


class _Quoted(_Strict):
    """A value with the exact words it was read from. Subclasses declare ``value``, ``text``
    and ``span`` themselves (pydantic puts inherited fields first), so that records read
    value-first as in the README's record example."""

    @model_validator(mode="after")
    def _quote_matches_text(self, info: ValidationInfo) -> Self:
        _check_quote(self.text, self.span, _document_text(info))
        return self


Quote = Annotated[str, Field(min_length=1)]
Confidence = Annotated[float | None, Field(ge=0.0, le=1.0)]
"""The calibrated probability that a value is right (docs/architecture.md, "Confidence")."""


class AgreementType(_Quoted):
    value: AgreementKind
    text: Quote
    span: Span
    confidence: Confidence = None


class Alternative(_Quoted):
    """A value the learned decision ranked below the chosen one: what a reviewer would pick
    instead, with the characters it was read from."""

    value: str = Field(min_length=1)
    text: Quote
    span: Span


Alternatives = Annotated[list[Alternative], Field(max_length=3)]


class DateValue(_Quoted):
    value: str
    precision: Precision
    text: Quote
    span: Span
    confidence: Confidence = None
    alternatives: Alternatives = Field(default_factory=list)

    @model_validator(mode="after")
    def _value_matches_precision(self) -> Self:
        _check_date(self.value, self.precision)
        return self


class Place(_Quoted):
    value: str = Field(min_length=1)
    text: Quote
    span: Span
    confidence: Confidence = None
    alternatives: Alternatives = Field(default_factory=list)


Spans = Annotated[list[Span], Field(min_length=1)]


class _Mentioned(_Strict):
    """Something mentioned one or more times: every mention's span is kept (subclasses
    declare ``spans`` last, so that it follows the names in the JSON)."""

    @model_validator(mode="after")
    def _spans_index_text(self, info: ValidationInfo) -> Self:
        text = _document_text(info)
        for span in self.spans:
            _check_span(span, text)
        return self


class Organization(_Mentioned):
    name: str = Field(min_length=1)
    acronym: str | None = None
    spans: Spans
    confidence: Confidence = None


class Person(_Mentioned):
    name: str = Field(min_length=1)
    title: str | None = None
    affiliation: str | None = None
    role: Role
    spans: Spans
    confidence: Confidence = None
    role_confidence: Confidence = None


class Theme(_Mentioned):
    value: str = Field(min_length=1)
    spans: Spans
    confidence: Confidence = None


CorrectableField = Literal[
    "agreement_type", "signing_date", "publication_date", "signing_place", "parties", "organizations", "people", "themes"
]


class CorrectedPerson(_Strict):
    """A person as an analyst writes one: no spans, since the value need not be in the text."""

    name: str = Field(min_length=1)
    title: str | None = None
    affiliation: str | None = None
    role: Role


def _corrected_date(value: str) -> str:
    """An analyst's date: ISO at the precision meant (``2024``, ``2024-11``, ``2024-11-19``), a real date."""
    for precision, pattern in _DATE_PATTERNS.items():
        if pattern.match(value):
            _check_date(value, precision)
            return value
    raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")


Name = Annotated[str, Field(min_length=1)]
CorrectedDate = Annotated[str, AfterValidator(_corrected_date)]
_CORRECTED_VALUES: dict[str, TypeAdapter[Any]] = {
    "agreement_type": TypeAdapter(AgreementKind | None),
    "signing_date": TypeAdapter(CorrectedDate | None),
    "publication_date": TypeAdapter(CorrectedDate | None),
    "signing_place": TypeAdapter(Name | None),
    "parties": TypeAdapter(list[Name]),
    "organizations": TypeAdapter(list[Name]),
    "people": TypeAdapter(list[CorrectedPerson]),
    "themes": TypeAdapter(list[Name]),
}
"""What an analyst may write for each field: a kind, date or place as its value (``null``: there is
none), a list field as the whole corrected list (organisations and themes by name, people as objects)."""


class Correction(_Strict):
    """An analyst's value for one field of a record (a line of ``corrections.jsonl`` less its id).

    The record keeps the extractor's value and confidence beside it, for audit; readers use ``value``."""

    field: CorrectableField
    value: str | list[str] | list[CorrectedPerson] | None
    note: str | None = None
    at: str | None = None
    """When it was recorded (ISO 8601, UTC), as ``extract-agreements correct`` stamps it."""

    @model_validator(mode="before")
    @classmethod
    def _value_fits_field(cls, data: Any) -> Any:
        """The union above is only the schema's summary: each field takes exactly its own shape."""
        if isinstance(data, dict) and data.get("field") in _CORRECTED_VALUES:
            adapter = _CORRECTED_VALUES[data["field"]]
            data = {**data, "value": adapter.dump_python(adapter.validate_python(data.get("value")), mode="json")}
        return data


class ExtractorInfo(_Strict):
    version: str
    spacy_model: str | None


class AgreementRecord(_Strict):
    """What one announcement says about its main agreement."""

    schema_version: Literal["1", "2"] = SCHEMA_VERSION
    id: str = Field(min_length=1)
    source: Source
    agreement_type: AgreementType | None = None
    signing_date: DateValue | None = None
    publication_date: DateValue | None = None
    signing_place: Place | None = None
    parties: list[Organization] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    """An analyst's values for some fields, at most one per field (``pipeline/corrections.py``); never the extractor's."""
    extractor: ExtractorInfo


class ErrorDetail(_Strict):
    type: str = Field(min_length=1)
    message: str = Field(min_length=1)


class ErrorRecord(_Strict):
    """A document that could not be processed: its source and the reason, nothing else."""

    source: Source
    error: ErrorDetail


Record = AgreementRecord | ErrorRecord


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of one output record (an agreement record or an error record)."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Record).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Agreement extraction record (schema_version {SCHEMA_VERSION})"
    return schema
