"""A run's records as tables: ``agreements.csv`` beside them, ``extract-agreements export`` to
CSV, Excel, Parquet or SQLite, and ``records_to_frame`` for pandas.

Every table shows a field as readers should take it: an analyst's correction
(``pipeline/corrections.py``) where there is one, else the extractor's value; the ``corrected``
column names the corrected fields. ``agreements.csv`` and the ``agreements`` sheet have one row
per record, error records included, their list fields joined with "; " (Parquet and pandas keep
them as lists). SQLite and the other sheets are tidy: one table per list field, a row per item
with its position, its first mention's span and all its spans as JSON, keyed to ``agreements.id``.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel

from pipeline.batch import TABLE, atomic_file
from pipeline.corrections import corrected_records
from pipeline.grouping import Grouping, group_run
from pipeline.report import load_records

if TYPE_CHECKING:
    import pandas

Format = Literal["csv", "xlsx", "parquet", "sqlite"]
FORMATS: tuple[str, ...] = get_args(Format)
FORMAT_OF_SUFFIX: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}
"""``--format`` when it is not given: read from the output file's suffix."""

DATE_AND_PLACE = ("agreement_type", "signing_date", "signing_place", "publication_date")
NAMED_LISTS = ("parties", "people", "themes")
"""The list fields of the one-row-per-record table, as their items' names."""
COLUMNS = ("id", "source_path", "title", "language", *DATE_AND_PLACE, *NAMED_LISTS, "warnings", "error", "corrected")
MENTIONS: dict[str, tuple[str, ...]] = {
    "parties": ("name", "acronym"),
    "people": ("name", "title", "affiliation", "role"),
    "themes": ("value",),
    "organizations": ("name", "acronym"),
}
"""Each list field's tidy table: its items' own columns, the first one naming the item."""
MENTION_COLUMNS = ("span_start", "span_end", "spans", "confidence")
"""After an item's own columns: its first mention's span, all its spans as JSON, its confidence."""
SQL_TYPES = {"position": "INTEGER", "warnings": "INTEGER", "span_start": "INTEGER", "span_end": "INTEGER", "confidence": "REAL"}
"""Columns that are not TEXT."""
SQL_REQUIRED = frozenset({"id", "source_path", "warnings", "agreement_id", "position", "type", "message"})
"""Columns never NULL."""
SEPARATOR = "; "
GROUPING_TABLES: dict[str, str] = {
    "canonical_organizations": "canonical_id TEXT NOT NULL, name TEXT NOT NULL, acronym TEXT, names TEXT NOT NULL, evidence TEXT NOT NULL, "
    "PRIMARY KEY (canonical_id)",
    "organization_mentions": "agreement_id TEXT NOT NULL, field TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, "
    "canonical_id TEXT NOT NULL, PRIMARY KEY (agreement_id, field, position), FOREIGN KEY (agreement_id) REFERENCES agreements (id), "
    "FOREIGN KEY (canonical_id) REFERENCES canonical_organizations (canonical_id)",
    "grouped_agreements": "group_id TEXT NOT NULL, parties TEXT NOT NULL, agreement_type TEXT, signing_date TEXT, signing_place TEXT, "
    "conflicts TEXT, sources INTEGER NOT NULL, PRIMARY KEY (group_id)",
    "grouped_agreement_sources": "group_id TEXT NOT NULL, agreement_id TEXT NOT NULL, PRIMARY KEY (group_id, agreement_id), "
    "FOREIGN KEY (group_id) REFERENCES grouped_agreements (group_id), FOREIGN KEY (agreement_id) REFERENCES agreements (id)",
}
"""The SQLite tables of ``pipeline.grouping``: organisations resolved across the run (names and
evidence as JSON) and each record's organisations keyed to them; agreements grouped across
records (each field's values joined by "; ", the fields the sources disagree on in ``conflicts``)
and the records that report each."""


class ExportError(Exception):
    """An export that cannot be made (an unknown format): one line for the user."""


# --------------------------------------------------------------------------- rows


def _as_dict(record: dict[str, Any] | BaseModel) -> dict[str, Any]:
    """A record as JSON data, whether read from a file or made by ``Extractor``."""
    return record.model_dump(mode="json") if isinstance(record, BaseModel) else record


def record_key(record: dict[str, Any]) -> str:
    """The record's id; an error record written before error records carried one goes by its source path."""
    return record.get("id") or record["source"]["path"]


def _corrections(record: dict[str, Any]) -> dict[str, Any]:
    return {c["field"]: c["value"] for c in record.get("corrections", [])}


def _value(record: dict[str, Any], field: str, fixed: dict[str, Any]) -> str | None:
    """A single-valued field: the analyst's value, else the extractor's."""
    if field in fixed:
        return fixed[field]
    quoted = record.get(field)
    return quoted["value"] if quoted else None


def mentions(record: dict[str, Any], field: str, fixed: dict[str, Any]) -> list[dict[str, Any]]:
    """A list field's items: the analyst's list (names, people as objects; no spans), else the extractor's."""
    if field not in fixed:
        return list(record.get(field, []))
    name = MENTIONS[field][0]
    return [item if isinstance(item, dict) else {name: item} for item in fixed[field] or []]


def agreement_row(record: dict[str, Any] | BaseModel) -> dict[str, Any]:
    """One record as a flat row (``COLUMNS``): list fields as lists of names, ``warnings`` as a count."""
    data = _as_dict(record)
    source, error, fixed = data["source"], data.get("error"), _corrections(data)
    return {
        "id": record_key(data),
        "source_path": source["path"],
        "title": source.get("title"),
        "language": source.get("language"),
        **{field: _value(data, field, fixed) for field in DATE_AND_PLACE},
        **{field: [item[MENTIONS[field][0]] for item in mentions(data, field, fixed)] for field in NAMED_LISTS},
        "warnings": len(data.get("warnings", [])),
        "error": f"{error['type']}: {error['message']}" if error else None,
        "corrected": list(fixed),
    }


def joined(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its lists joined by ``SEPARATOR``, for a spreadsheet cell."""
    return {name: SEPARATOR.join(value) if isinstance(value, list) else value for name, value in row.items()}


def load_run(outputs_dir: Path) -> Iterator[dict[str, Any]]:
    """The records of ``outputs_dir`` (``records.jsonl``) with the folder's current corrections."""
    return corrected_records(load_records(outputs_dir), outputs_dir)


def records_to_frame(records: Iterable[dict[str, Any] | BaseModel]) -> pandas.DataFrame:
    """The records (JSON data or ``Extractor`` results) as a pandas DataFrame, one row per record
    (``COLUMNS``; parties, people, themes and corrected fields as lists). Needs the pandas extra."""
    try:
        import pandas
    except ImportError as error:
        raise ImportError("records_to_frame needs pandas: pip install 'agreement-extractor[pandas]'") from error
    return pandas.DataFrame([agreement_row(record) for record in records], columns=list(COLUMNS))


# --------------------------------------------------------------------------- tidy tables


def tidy_tables(records: Iterable[dict[str, Any]]) -> dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
    """``agreements`` (a row per record, no list column), a table per ``MENTIONS`` field and ``errors``:
    each table's columns and rows, keyed to ``agreements.id`` by ``agreement_id``."""
    agreement_columns = tuple(c for c in COLUMNS if c not in NAMED_LISTS)
    tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {"agreements": (agreement_columns, [])}
    for field, own in MENTIONS.items():
        tables[field] = (("agreement_id", "position", *own, *MENTION_COLUMNS), [])
    tables["errors"] = (("agreement_id", "type", "message"), [])
    for record in records:
        row, key, fixed = joined(agreement_row(record)), record_key(record), _corrections(record)
        tables["agreements"][1].append(tuple(row[c] for c in agreement_columns))
        for field, own in MENTIONS.items():
            for position, item in enumerate(mentions(record, field, fixed)):
                spans = item.get("spans") or []
                first = spans[0] if spans else (None, None)
                where = (first[0], first[1], json.dumps(spans) if spans else None, item.get("confidence"))
                tables[field][1].append((key, position, *(item.get(c) for c in own), *where))
        if error := record.get("error"):
            tables["errors"][1].append((key, error["type"], error["message"]))
    return tables


def grouping_tables(grouping: Grouping) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of ``GROUPING_TABLES``."""
    def values(agreement: dict[str, Any], field: str) -> str | None:
        return SEPARATOR.join(item["value"] for item in agreement[field]) or None

    return {
        "canonical_organizations": [
            (o["canonical_id"], o["name"], o["acronym"], json.dumps(o["names"], ensure_ascii=False), json.dumps(o["evidence"], ensure_ascii=False))
            for o in grouping.organizations
        ],
        "organization_mentions": [
            (m["record"], m["field"], m["position"], m["name"], o["canonical_id"]) for o in grouping.organizations for m in o["mentions"]
        ],
        "grouped_agreements": [
            (
                a["agreement_id"],
                SEPARATOR.join(p["name"] for p in a["parties"]),
                *(values(a, field) for field in ("agreement_type", "signing_date", "signing_place")),
                SEPARATOR.join(a["conflicts"]) or None,
                len(a["records"]),
            )
            for a in grouping.agreements
        ],
        "grouped_agreement_sources": [(a["agreement_id"], record) for a in grouping.agreements for record in a["records"]],
    }


def _create_table(name: str, columns: tuple[str, ...]) -> str:
    """SQL for one tidy table: typed columns, its key, and its foreign key to ``agreements``."""
    typed = [f"{c} {SQL_TYPES.get(c, 'TEXT')}" + (" NOT NULL" if c in SQL_REQUIRED else "") for c in columns]
    if name == "agreements":
        return f"CREATE TABLE agreements ({', '.join(typed)}, PRIMARY KEY (id))"
    key = "agreement_id, position" if "position" in columns else "agreement_id"
    return f"CREATE TABLE {name} ({', '.join(typed)}, PRIMARY KEY ({key}), FOREIGN KEY (agreement_id) REFERENCES agreements (id))"


# --------------------------------------------------------------------------- writers


def write_csv(records: Iterable[dict[str, Any]], handle: IO[str]) -> None:
    """One row per record (``COLUMNS``), UTF-8, lists joined with "; "."""
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(joined(agreement_row(record)) for record in records)


def write_table(outputs_dir: Path) -> Path:
    """``outputs_dir/agreements.csv`` from its ``records.jsonl``; same records, same bytes."""
    with atomic_file(outputs_dir / TABLE) as handle:
        write_csv(load_run(outputs_dir), handle)
    return outputs_dir / TABLE


def _write_xlsx(records: Iterable[dict[str, Any]], handle: IO[bytes]) -> None:
    """Sheet ``agreements`` as ``agreements.csv``, then the tidy tables but ``agreements`` (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)

    def cell(sheet: Any, value: Any) -> Any:
        """Text stays text (a title starting with "=" is no formula); characters XML cannot hold are dropped."""
        if not isinstance(value, str):
            return value
        written = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        written.data_type = "s"
        return written

    records = list(records)
    sheets = {"agreements": (COLUMNS, [tuple(joined(agreement_row(r)).values()) for r in records])}
    sheets |= {name: table for name, table in tidy_tables(records).items() if name != "agreements"}
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        sheet.append(columns)
        for row in rows:
            sheet.append([cell(sheet, value) for value in row])
    book.save(handle)


def _write_parquet(records: Iterable[dict[str, Any]], handle: IO[bytes]) -> None:
    """One row per record, list fields as lists of strings (pyarrow)."""
    import pyarrow
    import pyarrow.parquet

    types = {"warnings": pyarrow.int64(), **{c: pyarrow.list_(pyarrow.string()) for c in (*NAMED_LISTS, "corrected")}}
    schema = pyarrow.schema([(c, types.get(c, pyarrow.string())) for c in COLUMNS])
    table = pyarrow.Table.from_pylist([agreement_row(record) for record in records], schema=schema)
    pyarrow.parquet.write_table(table, handle)


def _write_sqlite(records: Iterable[dict[str, Any]], handle: IO[bytes], grouping: Grouping | None = None) -> None:
    """The tidy tables with their keys, and the grouping's (``GROUPING_TABLES``), built in memory
    and written whole (``sqlite3``)."""
    with closing(sqlite3.connect(":memory:")) as database:
        database.execute("PRAGMA foreign_keys = ON")
        for name, (columns, rows) in tidy_tables(records).items():
            database.execute(_create_table(name, columns))
            database.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})", rows)
        for name, rows in grouping_tables(grouping or Grouping()).items():
            database.execute(f"CREATE TABLE {name} ({GROUPING_TABLES[name]})")
            if rows:
                database.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(rows[0]))})", rows)
        database.execute("CREATE INDEX parties_name ON parties (name)")
        database.commit()
        handle.write(database.serialize())


WRITERS: dict[Format, Callable[[Iterable[dict[str, Any]], IO[bytes]], None]] = {
    "xlsx": _write_xlsx,
    "parquet": _write_parquet,
}
"""The binary formats but SQLite, which also holds the grouping (``export``)."""


def export_format(output: Path, format: str | None) -> Format:
    """``format``, or the one ``output``'s suffix names; ``ExportError`` when neither says."""
    if format is None:
        if output.suffix.lower() not in FORMAT_OF_SUFFIX:
            raise ExportError(f"{output}: say --format ({', '.join(FORMATS)}); the suffix does not tell")
        return FORMAT_OF_SUFFIX[output.suffix.lower()]
    if format not in FORMATS:
        raise ExportError(f"no format {format!r}; formats: {', '.join(FORMATS)}")
    return format  # type: ignore[return-value]


def export(outputs_dir: Path, output: Path, format: str | None = None) -> tuple[Format, int]:
    """Write the records of ``outputs_dir`` to ``output`` (atomically) as ``format``; returns the
    format and the number of records. ``ReportError`` when the folder has no readable records."""
    chosen = export_format(output, format)
    records = list(load_run(outputs_dir))
    if chosen == "csv":
        with atomic_file(output) as text:
            write_csv(records, text)
    elif chosen == "sqlite":
        with atomic_file(output, binary=True) as binary:
            _write_sqlite(records, binary, group_run(outputs_dir, records))
    else:
        with atomic_file(output, binary=True) as binary:
            WRITERS[chosen](records, binary)
    return chosen, len(records)
