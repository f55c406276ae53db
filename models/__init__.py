"""Validated record models: the JSON contract every output file follows."""

from models.record import (
    SCHEMA_VERSION,
    AgreementRecord,
    AgreementType,
    Correction,
    DateValue,
    ErrorDetail,
    ErrorRecord,
    ExtractorInfo,
    Organization,
    Person,
    Place,
    Record,
    Source,
    Theme,
    record_json_schema,
)

__all__ = [
    "SCHEMA_VERSION",
    "AgreementRecord",
    "AgreementType",
    "Correction",
    "DateValue",
    "ErrorDetail",
    "ErrorRecord",
    "ExtractorInfo",
    "Organization",
    "Person",
    "Place",
    "Record",
    "Source",
    "Theme",
    "record_json_schema",
]
