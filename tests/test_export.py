"""Tables of a run: rows as readers should take them (corrections win), agreements.csv beside the
records, ``export`` to CSV, Excel, Parquet and SQLite, and ``records_to_frame`` (hand-built records)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet
import pytest
from openpyxl import load_workbook
from pydantic import TypeAdapter

import pipeline
from models import Record
from pipeline.batch import RECORDS, TABLE
from pipeline.cli import main
from pipeline.corrections import CORRECTIONS
from pipeline.export import COLUMNS, GROUPING_TABLES, agreement_row, export, records_to_frame, write_table
from test_batch import announcement, write_tree
from test_review import record, span

README = Path(__file__).resolve().parent.parent / "README.md"
PARTNERS_SINCE_2020 = """SELECT DISTINCT partner.name
FROM parties AS x
JOIN parties AS partner ON partner.agreement_id = x.agreement_id AND partner.position <> x.position
JOIN agreements AS a ON a.id = x.agreement_id
WHERE x.name = :partner AND COALESCE(a.signing_date, a.publication_date) >= '2020'
ORDER BY partner.name;"""


def party(name: str) -> dict[str, Any]:
    return {"name": name, "acronym": None, "spans": [span("Acme Corp")], "confidence": 0.9}


def dated(value: str) -> dict[str, Any]:
    return {"value": value, "precision": "day", "text": "3 May 2024", "span": span("3 May 2024"), "confidence": 0.9, "alternatives": []}


ERROR = {"source": {"path": "scan.txt", "sha256": None, "format": "txt"}, "error": {"type": "empty", "message": "the file is empty"}}
RUN = [
    record("a/en-001.md"),  # Acme Corp and Beta Labs, signed 2024-05-03
    record("b", parties=[party("Acme Corp"), party("Gamma AG")], signing_date=dated("2019-02-01")),
    record("c", parties=[party("Delta Inc"), party("Acme Corp")], signing_date=None, publication_date=dated("2021-06-30")),
    record("d", parties=[party("Beta Labs"), party("Epsilon")]),
    ERROR,
]


def write_outputs(folder: Path, records: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / RECORDS).write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    return folder


def test_a_row_per_record() -> None:
    assert agreement_row(record("a/en-001.md")) == {
        "id": "a/en-001.md",
        "source_path": "a/en-001.md.txt",
        "title": None,
        "language": "en",
        "agreement_type": "memorandum_of_understanding",
        "signing_date": "2024-05-03",
        "signing_place": "Oslo",
        "publication_date": None,
        "parties": ["Acme Corp", "Beta Labs"],
        "people": [],
        "themes": [],
        "warnings": 0,
        "error": None,
        "corrected": [],
    }
    assert list(agreement_row(record())) == list(COLUMNS)


@pytest.mark.parametrize(
    "warnings",
    [["no signing date found", "two places"], [{"code": "no_signing_date", "message": "no signing date found"}, {"code": "x", "message": "y"}]],
    ids=["text", "objects"],
)
def test_warnings_are_counted_whatever_their_shape(warnings: list[Any]) -> None:
    assert agreement_row(record(warnings=warnings))["warnings"] == 2


@pytest.mark.parametrize(("data", "key"), [(ERROR, "scan.txt"), ({**ERROR, "id": "scans/scan.txt"}, "scans/scan.txt")], ids=["without id", "with id"])
def test_an_error_record_is_a_row_keyed_by_its_id_or_else_its_path(data: dict[str, Any], key: str) -> None:
    row = agreement_row(data)
    assert (row["id"], row["error"], row["parties"], row["warnings"]) == (key, "empty: the file is empty", [], 0)


def test_an_analysts_corrections_win() -> None:
    corrections = [
        {"field": "signing_place", "value": "Bergen"},
        {"field": "parties", "value": ["Acme Corp", "Zeta"]},
        {"field": "people", "value": [{"name": "Ann Lee", "title": None, "affiliation": None, "role": "signatory"}]},
        {"field": "signing_date", "value": None},
    ]
    row = agreement_row(record(corrections=corrections))
    assert (row["signing_place"], row["signing_date"], row["parties"], row["people"]) == ("Bergen", None, ["Acme Corp", "Zeta"], ["Ann Lee"])
    assert row["corrected"] == ["signing_place", "parties", "people", "signing_date"]


def test_extract_writes_agreements_csv_with_the_same_bytes_on_rerun(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "sub/b.md": announcement(1), "empty.txt": b""})
    out = tmp_path / "out"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 1
    table = (out / TABLE).read_bytes()
    rows = list(csv.DictReader(io.StringIO(table.decode("utf-8"))))
    assert [(r["id"], r["source_path"], r["error"]) for r in rows] == [("a.txt", "a.txt", ""), ("empty.txt", "empty.txt", rows[1]["error"]), ("sub/b.md", "sub/b.md", "")]
    assert rows[1]["error"].startswith("empty: ") and rows[0]["parties"] == "Inria; CNRS"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1", "--force"]) == 1
    assert (out / TABLE).read_bytes() == table


def test_agreements_csv_follows_the_corrections(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    out = tmp_path / "out"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    assert main(["correct", str(out), "a.txt", "signing_place", "Lyon"]) == 0
    assert export(out, tmp_path / "now.csv") == ("csv", 1)  # at once, before any rerun
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    for table in (out / TABLE, tmp_path / "now.csv"):
        row = next(csv.DictReader(table.open(encoding="utf-8")))
        assert (row["signing_place"], row["corrected"]) == ("Lyon", "signing_place")


def test_csv_export_is_agreements_csv(tmp_path: Path) -> None:
    out = write_outputs(tmp_path / "out", RUN)
    write_table(out)
    assert main(["export", str(out), "-o", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_bytes() == (out / TABLE).read_bytes()


def test_sqlite_answers_who_partnered_with_whom_since_2020(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = write_outputs(tmp_path / "out", RUN)
    assert main(["export", str(out), "--format", "sqlite", "-o", str(tmp_path / "run.db")]) == 0
    assert capsys.readouterr().out == f"5 records → {tmp_path.as_posix()}/run.db (sqlite)\n"
    with sqlite3.connect(tmp_path / "run.db") as database:
        assert database.execute(PARTNERS_SINCE_2020, {"partner": "Acme Corp"}).fetchall() == [("Beta Labs",), ("Delta Inc",)]
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        assert database.execute("SELECT agreement_id, type FROM errors").fetchall() == [("scan.txt", "empty")]
        start, end = span("Gamma AG")
        assert database.execute("SELECT name, span_start, span_end, spans FROM organizations").fetchall()[0] == ("Gamma AG", start, end, f"[[{start}, {end}]]")
        tables = {name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert tables == {"agreements", "parties", "people", "themes", "organizations", "errors", *GROUPING_TABLES}
        assert {row[2] for row in database.execute("PRAGMA foreign_key_list(parties)")} == {"agreements"}


def test_the_readme_shows_the_query_that_is_tested() -> None:
    assert PARTNERS_SINCE_2020 in README.read_text("utf-8")


def test_xlsx_has_the_table_then_a_sheet_per_list(tmp_path: Path) -> None:
    formula = record("f", source={**record()["source"], "path": "f.txt", "title": "=HYPERLINK(\"http://x\")\x0b"})
    out = write_outputs(tmp_path / "out", [*RUN, formula])
    assert main(["export", str(out), "-o", str(tmp_path / "t.xlsx")]) == 0
    book = load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["agreements", "parties", "people", "themes", "organizations", "errors"]
    rows = list(book["agreements"].values)
    assert rows[0] == COLUMNS and rows[1][COLUMNS.index("parties")] == "Acme Corp; Beta Labs"
    title = book["agreements"].cell(row=len(rows), column=COLUMNS.index("title") + 1)
    assert (title.value, title.data_type) == ('=HYPERLINK("http://x")', "s")  # text, never a formula


def test_parquet_keeps_lists(tmp_path: Path) -> None:
    out = write_outputs(tmp_path / "out", RUN)
    assert main(["export", str(out), "-o", str(tmp_path / "t.parquet")]) == 0
    table = pyarrow.parquet.read_table(tmp_path / "t.parquet")
    assert table.column_names == list(COLUMNS)
    assert table.column("parties").to_pylist()[:2] == [["Acme Corp", "Beta Labs"], ["Acme Corp", "Gamma AG"]]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "{tmp}/t.txt"], "t.txt: say --format (csv, xlsx, parquet, sqlite); the suffix does not tell"),
        (["-o", "{tmp}/t.csv", "--format", "json"], "Invalid value for '--format' / '-f': wants one of csv, xlsx, parquet, sqlite, not 'json'"),
        ([], "Missing option '-o' / '--output'"),
    ],
)
def test_export_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    out = write_outputs(tmp_path / "out", RUN)
    assert main(["export", str(out), *(a.format(tmp=tmp_path) for a in argv)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1


def test_export_of_a_folder_without_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path), "-o", str(tmp_path / "t.csv")]) == 2
    assert "records.jsonl: no such file" in capsys.readouterr().err
    assert not (tmp_path / "t.csv").exists()


def test_records_to_frame_takes_json_or_models() -> None:
    models = [TypeAdapter(Record).validate_python(r) for r in RUN]
    for records in (RUN, models):
        frame = pipeline.records_to_frame(records)
        assert list(frame.columns) == list(COLUMNS) and len(frame) == len(RUN)
        assert frame.loc[0, "parties"] == ["Acme Corp", "Beta Labs"]
        assert frame.explode("parties").query("parties == 'Acme Corp'")["id"].tolist() == ["a/en-001.md", "b", "c"]


def test_records_to_frame_without_pandas_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"records_to_frame needs pandas: pip install 'agreement-extractor\[pandas\]'"):
        records_to_frame(RUN)
