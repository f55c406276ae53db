"""Pydantic v2 models of the JSON contract (schema_version "3") described in the README ("The record").

Version 3 makes warnings objects with a ``code`` from a closed list (``WarningCode``) and a
``message``, gives error records the record ``id`` too, makes the id the source path with its
extension (``news/a.md``, so ``news/a.txt`` is another record), and may carry the document
``text`` the spans index (``--embed-text``). Every field has a description in the JSON Schema.
Records of versions 1 and 2, whose warnings are strings, still validate.

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
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidationInfo,
    model_serializer,
    model_validator,
)

SCHEMA_VERSION = "3"
SchemaVersion = Literal["1", "2", "3"]
STRING_WARNING_VERSIONS = ("1", "2")
"""Versions whose warnings are free text, before ``WarningCode``."""

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
WarningCode = Literal[
    "encoding_guessed",
    "surrogates_replaced",
    "html_too_deep",
    "front_matter_not_read",
    "language_unsure",
    "language_without_rules",
    "no_agreement_found",
    "agreement_type_from_headline",
    "agreement_type_outside_signing",
    "party_from_headline",
    "one_party",
    "parties_reported_as_organizations",
    "ambiguous_date",
    "relative_date_unresolved",
    "signing_date_close_call",
    "no_publication_date",
    "publication_date_not_in_text",
]
"""What a warning is about; the README ("The record") says what each means. A reader filters on
the code, the message is for people and may change between versions."""

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


SPAN = "[start, end) character offsets of the quoted words in the document text (Python string indices: code points)"
QUOTE = "The exact words of the document text the value was read from: text[start:end]"
CONFIDENCE = (
    "Calibrated probability (0 to 1) that the value is right as the annotation guide defines right; "
    "null where no calibration exists yet"
)
SPANS = "[start, end) character offsets of every mention in the document text"


class Source(_Strict):
    """Where a record comes from."""

    path: str = Field(description="The source file's path relative to the input folder ('/'-separated), or the name given to the library")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="sha256 of the file's bytes as read; null when it could not be read")
    format: SourceFormat | None = Field(default=None, description="How the file was read: plain text, Markdown (front matter) or HTML (main text)")
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$", description="ISO 639-1 code of the language the document was read as (detected or forced)")
    title: str | None = Field(default=None, description="The headline (front-matter title, HTML title or first line), whitespace collapsed")


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
    """The kind of agreement the announcement is about."""

    value: AgreementKind = Field(description="The kind, from a closed vocabulary")
    text: Quote = Field(description=QUOTE)
    span: Span = Field(description=SPAN)
    confidence: Confidence = Field(default=None, description=CONFIDENCE)


class Alternative(_Quoted):
    """A value the learned decision ranked below the chosen one: what a reviewer would pick
    instead, with the characters it was read from."""

    value: str = Field(min_length=1, description="The alternative value (an ISO date for a date, a place name for a place)")
    text: Quote = Field(description=QUOTE)
    span: Span = Field(description=SPAN)


Alternatives = Annotated[
    list[Alternative], Field(max_length=3, description="The values the learned decision ranked next, best first (at most 3)")
]


class DateValue(_Quoted):
    """A date the text gives, at the precision it gives it."""

    value: str = Field(description="ISO 8601 at the precision written: YYYY-MM-DD, YYYY-MM or YYYY")
    precision: Precision = Field(description="How much of the date the text gives")
    text: Quote = Field(description=QUOTE)
    span: Span = Field(description=SPAN)
    confidence: Confidence = Field(default=None, description=CONFIDENCE)
    alternatives: Alternatives = Field(default_factory=list)

    @model_validator(mode="after")
    def _value_matches_precision(self) -> Self:
        _check_date(self.value, self.precision)
        return self


class Place(_Quoted):
    """Where the agreement was signed."""

    value: str = Field(min_length=1, description="The place's name (a city, usually)")
    text: Quote = Field(description=QUOTE)
    span: Span = Field(description=SPAN)
    confidence: Confidence = Field(default=None, description=CONFIDENCE)
    alternatives: Alternatives = Field(default_factory=list)


Spans = Annotated[list[Span], Field(min_length=1, description=SPANS)]


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
    """An organisation: a party to the agreement, or another organisation the text mentions."""

    name: str = Field(min_length=1, description="The organisation's name (its full name when the text gives one)")
    acronym: str | None = Field(default=None, description="The acronym the text gives it, if any")
    spans: Spans
    confidence: Confidence = Field(default=None, description=CONFIDENCE + " (null for organisations, which have no gold labels yet)")


class Person(_Mentioned):
    """A person the announcement names."""

    name: str = Field(min_length=1, description="The person's name, without title")
    title: str | None = Field(default=None, description="Their title or position, as the text gives it")
    affiliation: str | None = Field(default=None, description="The organisation they belong to, as the text gives it")
    role: Role = Field(description="What they do in the announcement: signed, were quoted, are the press contact, or other")
    spans: Spans
    confidence: Confidence = Field(default=None, description=CONFIDENCE + " (of the name)")
    role_confidence: Confidence = Field(default=None, description="Calibrated probability that the role is right; null until gold roles exist")


class Theme(_Mentioned):
    """What the agreement is about."""

    value: str = Field(min_length=1, description="The theme, as a short phrase")
    spans: Spans
    confidence: Confidence = Field(default=None, description=CONFIDENCE)


class RecordWarning(_Strict):
    """Something a reader of the record should know: a guess made, a value left out, a doubt."""

    code: WarningCode = Field(description="What the warning is about, from a closed list (README, \"The record\")")
    message: str = Field(min_length=1, description="The details, for people: which words, which value")


CorrectableField = Literal[
    "agreement_type", "signing_date", "publication_date", "signing_place", "parties", "organizations", "people", "themes"
]


class CorrectedPerson(_Strict):
    """A person as an analyst writes one: no spans, since the value need not be in the text."""

    name: str = Field(min_length=1, description="The person's name")
    title: str | None = Field(default=None, description="Their title or position")
    affiliation: str | None = Field(default=None, description="The organisation they belong to")
    role: Role = Field(description="What they do in the announcement")


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

    field: CorrectableField = Field(description="The record field corrected")
    value: str | list[str] | list[CorrectedPerson] | None = Field(
        description="The value to use instead of the extractor's: a kind, an ISO date, a place or null; "
        "for a list field the whole list (names, or people as objects)"
    )
    note: str | None = Field(default=None, description="Why, for whoever reads the record next")
    at: str | None = Field(default=None, description="When it was recorded (ISO 8601, UTC)")

    @model_validator(mode="before")
    @classmethod
    def _value_fits_field(cls, data: Any) -> Any:
        """The union above is only the schema's summary: each field takes exactly its own shape."""
        if isinstance(data, dict) and data.get("field") in _CORRECTED_VALUES:
            adapter = _CORRECTED_VALUES[data["field"]]
            data = {**data, "value": adapter.dump_python(adapter.validate_python(data.get("value")), mode="json")}
        return data


class ExtractorInfo(_Strict):
    """What made the record."""

    version: str = Field(description="The agreement-extractor version")
    spacy_model: str | None = Field(description="The spaCy pipeline and its version; null when the language has no rules and nothing was parsed")


RECORD_ID = (
    "The record's key: the source path relative to the input folder, with its extension ('news/a.md'); "
    "unique within a run, the same from the command line and the library"
)


class AgreementRecord(_Strict):
    """What one announcement says about its main agreement."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="The version of this contract the record follows")
    id: str = Field(min_length=1, description=RECORD_ID)
    source: Source = Field(description="Where the record comes from")
    agreement_type: AgreementType | None = Field(default=None, description="The kind of agreement; null when the text names none")
    signing_date: DateValue | None = Field(
        default=None, description="When the agreement was signed (never the publication date unless the text says so); null when the text does not say"
    )
    publication_date: DateValue | None = Field(default=None, description="When the announcement was published, as the text or its metadata says")
    signing_place: Place | None = Field(default=None, description="Where the agreement was signed; null when the text does not say")
    parties: list[Organization] = Field(
        default_factory=list, description="Who signed or entered the agreement; empty when the text names no agreement"
    )
    organizations: list[Organization] = Field(
        default_factory=list, description="The other organisations the text mentions (not parties to the agreement)"
    )
    people: list[Person] = Field(default_factory=list, description="The people the text names, with their role")
    themes: list[Theme] = Field(default_factory=list, description="What the agreement is about")
    warnings: list[RecordWarning | str] = Field(
        default_factory=list, description="What a reader should know about the values (objects since version 3, strings before)"
    )
    corrections: list[Correction] = Field(
        default_factory=list, description="An analyst's values for some fields, at most one per field, never the extractor's"
    )
    extractor: ExtractorInfo = Field(description="What made the record")
    text: str | None = Field(
        default=None,
        description="The document text every span indexes, when the record was extracted with it embedded (--embed-text); "
        "else it is written beside the record as <id>.txt, or read with pipeline.read_document",
    )

    @model_validator(mode="after")
    def _warnings_fit_version(self) -> Self:
        """Free-text warnings are versions 1 and 2, coded ones version 3."""
        strings = self.schema_version in STRING_WARNING_VERSIONS
        if any(isinstance(warning, str) != strings for warning in self.warnings):
            raise ValueError(f"schema version {self.schema_version} has {'string' if strings else 'object'} warnings")
        return self

    _read_text: str | None = PrivateAttr(default=None)
    """The text given as validation context: the extractor validates every record with the text it
    read, so the record it returns knows that text without serialising it (``indexed_text``)."""

    @model_validator(mode="after")
    def _spans_index_embedded_text(self, info: ValidationInfo) -> Self:
        """An embedded text is the text every span must index, as a text given as context is."""
        given = _document_text(info)
        if self.text is not None and given is not None and given != self.text:
            raise ValueError("the embedded text is not the text given as validation context")
        if self.text is not None and given is None:
            for quote, span in self.quoted_spans():
                if quote is None:
                    _check_span(span, self.text)
                else:
                    _check_quote(quote, span, self.text)
        self._read_text = given
        return self

    @property
    def indexed_text(self) -> str | None:
        """The text the spans index: the embedded ``text``, else the text the record was validated
        against (every record the extractor returns); None for a record read back without either."""
        return self.text if self.text is not None else self._read_text

    def quoted_spans(self) -> Iterator[tuple[str | None, Span]]:
        """Every span of the record with its quoted words (``None`` for a mention, which quotes none)."""
        for single in (self.agreement_type, self.signing_date, self.publication_date, self.signing_place):
            if single is not None:
                yield single.text, single.span
                yield from ((a.text, a.span) for a in getattr(single, "alternatives", []))
        for mentioned in (*self.parties, *self.organizations, *self.people, *self.themes):
            yield from ((None, span) for span in mentioned.spans)

    @model_serializer(mode="wrap")
    def _text_only_when_embedded(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        if data.get("text") is None:
            data.pop("text", None)
        return data


class ErrorDetail(_Strict):
    """Why a document could not be processed."""

    type: str = Field(min_length=1, description="The kind of failure: unsupported_format, unreadable, too_large, binary, decode, empty, unparsable_html, timeout, worker_died or internal_error")
    message: str = Field(min_length=1, description="The file and the reason, in one line")


class ErrorRecord(_Strict):
    """A document that could not be processed: its id, its source and the reason, nothing else."""

    id: str | None = Field(default=None, min_length=1, description=RECORD_ID + " (absent in error records written before schema version 3)")
    source: Source = Field(description="Where the record comes from, as far as it could be read")
    error: ErrorDetail = Field(description="Why the document could not be processed")


Record = AgreementRecord | ErrorRecord


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of one output record (an agreement record or an error record)."""
    schema = TypeAdapter(Record).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Agreement extraction record (schema_version {SCHEMA_VERSION})"
    return schema
