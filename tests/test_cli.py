"""The command line: exit codes, the summary line, a hostile input folder, schema and evaluate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from models import Record, record_json_schema
from pipeline.batch import MANIFEST, RECORDS, SUMMARY
from pipeline.cli import main
from pipeline.extractor import DEFAULT_MAX_BYTES
from test_batch import announcement, jsonl, snapshot, write_tree

RECORD = TypeAdapter(Record)


def test_extract_prints_a_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b/c.md": announcement(1)})
    out = tmp_path / "out"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"2 documents: 2 records, 0 errors, 0 skipped (unchanged) → {out.as_posix()}/\n"
    assert "done in" in captured.err
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    assert "2 skipped (unchanged)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "{tmp}/missing"], "no such file or folder"),
        (["extract", "{tmp}/empty"], "no .htm/.html"),
        (["extract", "{tmp}/empty", "--jobs", "0"], "must be at least 1"),
        (["extract", "{tmp}/empty", "--lang", "xx"], "invalid choice"),
        (["extract", "{tmp}/in", "--model", "no_such_pipeline"], "not installed"),
        (["extract"], "required"),
        ([], "required"),
        (["evaluate", "--pred", "{tmp}/missing", "--gold", "{tmp}/empty"], "not a folder"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    args = [a.format(tmp=tmp_path) for a in argv] + (["-o", str(tmp_path / "out")] if argv[:1] == ["extract"] else [])
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--help"]) == 0
    assert "auto (default) detects each document's language" in " ".join(capsys.readouterr().out.split())


def test_hostile_folder(tmp_path: Path) -> None:
    """Every file gives a record or an error record; nothing is written outside the output
    folder (which lies inside the input folder and is not read back as input); exit code 1."""
    root = write_tree(
        tmp_path / "hostile",
        {
            "binary.txt": bytes(range(256)) * 8,
            "nul.md": b"Inria signed\x00an agreement with CNRS.",
            "invalid-utf8.txt": b"Inria \xff\xfe and CNRS \x81\x8d signed an agreement.",
            "utf16.txt": announcement(1).encode("utf-16"),
            "latin1.txt": "La Société Générale et l'Inria ont signé un accord à Paris.".encode("latin-1"),
            "empty.txt": b"",
            "blank.md": b"  \n\t\n\n",
            "big.txt": b"a" * (DEFAULT_MAX_BYTES + 1),
            "notes.csv": b"not,an,announcement",
            "x.txt/inside.md": announcement(2),
            "with space.txt": announcement(3),
            "ünïcødé 文.md": announcement(4),
            "-leading-dash.txt": announcement(5),
            "..dots..txt": announcement(6),
            "back\\slash.txt": announcement(7),
            "manifest.md": announcement(8),
            "run-summary.txt": announcement(9),
            "deep/er/page.htm": f"<html><body><p>{announcement(10)}</p></body></html>",
        },
    )
    (root / os.fsdecode(b"undecodable-\xff.txt")).write_text(announcement(11), "utf-8")
    (root / "loop").symlink_to(".")
    (root / "deep" / "er" / "up").symlink_to("../..")
    (root / "self.txt").symlink_to("self.txt")
    (root / "broken.txt").symlink_to("no-such-target.txt")
    os.mkfifo(root / "pipe.txt")
    explicit = write_tree(tmp_path, {"named.csv": b"a,b"}) / "named.csv"
    out = root / "out"
    before = snapshot(tmp_path)

    assert main(["extract", str(root), str(explicit), "-o", str(out), "--jobs", "1"]) == 1

    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("hostile/out/")} == before
    records = jsonl(out)
    errors = {r["source"]["path"]: r["error"]["type"] for r in records if "error" in r}
    assert {r["source"]["path"] for r in records} == {
        "binary.txt", "nul.md", "invalid-utf8.txt", "utf16.txt", "latin1.txt", "empty.txt", "blank.md",
        "big.txt", "x.txt/inside.md", "with space.txt", "ünïcødé 文.md", "-leading-dash.txt", "..dots..txt",
        "back\\slash.txt", "manifest.md", "run-summary.txt", "deep/er/page.htm", "undecodable-\\xff.txt",
        "self.txt", "broken.txt", "pipe.txt", "named.csv",
    }  # fmt: skip
    assert errors.items() >= {
        "binary.txt": "binary", "nul.md": "binary", "empty.txt": "empty", "blank.md": "empty", "big.txt": "too_large",
        "self.txt": "unreadable", "broken.txt": "unreadable", "pipe.txt": "unreadable", "named.csv": "unsupported_format",
    }.items()  # fmt: skip
    assert not errors.keys() & {"utf16.txt", "latin1.txt", "ünïcødé 文.md", "undecodable-\\xff.txt", "deep/er/page.htm"}

    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert len(manifest) == len(records)
    for record in records:
        path = out / manifest[record["source"]["path"]]["output"]
        assert Path(os.path.realpath(path)).is_relative_to(os.path.realpath(out))
        assert json.loads(path.read_text("utf-8")) == record
        RECORD.validate_python(record)
    assert manifest["manifest.md"]["output"] == "manifest.md.json"
    texts = {m["output"].removesuffix(".json") + ".txt" for p, m in manifest.items() if p not in errors}
    assert set(snapshot(out)) == {m["output"] for m in manifest.values()} | texts | {MANIFEST, RECORDS, SUMMARY}
    summary = json.loads((out / SUMMARY).read_text("utf-8"))
    assert summary["errors"] == len(errors) and summary["records"] == len(records) - len(errors)


def test_schema_command_prints_the_schema() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "schema"], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == record_json_schema()


def test_evaluate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    record = json.loads((tmp_path / "out" / "a.txt.json").read_text("utf-8"))
    gold = {
        "id": "a",
        "language": "en",
        "publication_date": None,
        "agreement_type": record["agreement_type"]["value"] if record["agreement_type"] else None,
        "signing_date": None,
        "signing_place": None,
        "parties": [],
        "people": [],
        "themes": [],
    }
    write_tree(tmp_path / "gold", {"a.json": json.dumps(gold)})
    capsys.readouterr()
    assert main(["evaluate", "--pred", str(tmp_path / "out"), "--gold", str(tmp_path / "gold"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents_evaluated"] == 1 and report["missing"] == []
    assert report["fields"]["agreement_type"]["correct"] == 1
