"""Properties of the whole extractor: any text or any file gives a valid record or an error record
of a documented type, never an exception; every span of a record indexes the document's text."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from models import AgreementRecord, ErrorRecord, Record
from pipeline import Extractor
from pipeline.readers import ReadError, ReadErrorType, document_from_text, read_document

DOCUMENTED_ERRORS = frozenset(get_args(ReadErrorType)) | {"too_large", "timeout"}
"""Error types a user may meet; ``internal_error`` is a bug, so it fails these tests."""

PIECES = st.sampled_from(
    [
        "Inria", " and ", "the Chinese Academy of Sciences (CAS)", " signed a memorandum of understanding",
        " on artificial intelligence", " in Paris", " on 5 April 2018", " yesterday", ". ", "\n", "\n\n", "\r\n",
        "PARIS, Jan. 29, 2020 — ", "Dr Jane Doe, Director of Research, said", "“", "”", "—", "# ", "---\ndate: 2020-01-29\n---\n",
        "[link](http://x.org)", "![img](a.png)", "<b>", "</p>", "&amp;", "05/04/2018", "l'Inria a signé un accord",
        "\u202eRTL override\u202c", "اتفاقية تعاون", "הסכם", "🤝🇫🇷", "e\u0301", "\x00", "\x0b", "\x1b[0m", "\ufeff", "\u2028",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=10)), max_size=30).map("".join))
FORMATS = st.sampled_from(["txt", "md", "html"])
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
"""No explain phase: it traces every line while shrinking a failure, and with the whole extractor
under the tracer, shrinking one failing example took over ten minutes instead of seconds."""


def check(record: Record, text: str | None) -> None:
    """A record that re-validates against its document's text, or a documented error."""
    if isinstance(record, ErrorRecord):
        assert record.error.type in DOCUMENTED_ERRORS, record.error
        return
    assert isinstance(record, AgreementRecord) and text is not None
    AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text})


def document_text(read: object) -> str | None:
    try:
        return read().text  # type: ignore[operator]
    except ReadError:
        return None


@SETTINGS
@given(text=TEXTS, fmt=FORMATS)
def test_any_text(extractor: Extractor, text: str, fmt: str) -> None:
    record = extractor.extract_text(text, source_name="prop." + fmt, fmt=fmt)
    check(record, document_text(lambda: document_from_text(text, "prop." + fmt, fmt)))  # type: ignore[arg-type]


@SETTINGS
@given(content=st.one_of(st.binary(max_size=300), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))), fmt=FORMATS)
def test_any_file(extractor: Extractor, tmp_path: Path, content: bytes, fmt: str) -> None:
    path = tmp_path / f"prop.{fmt}"
    path.write_bytes(content)
    record = extractor.extract_file(path)
    assert record.source.path == record.id == path.name  # a file given by itself: its name, as the command line names it
    check(record, document_text(lambda: read_document(path)))
