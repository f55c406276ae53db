"""The command line: its conventions (help, version, suggestions, one-line usage errors, pipes),
extract's streams and summary, a hostile input folder, schema and evaluate."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from pydantic import TypeAdapter

from models import Record, record_json_schema
from pipeline import __version__
from pipeline.batch import AGREEMENTS, MANIFEST, ORGANIZATIONS, RECORDS, SUMMARY, TABLE
from pipeline.cli import BROKEN_PIPE, LISTED, app, main
from pipeline.extractor import DEFAULT_MAX_BYTES
from test_batch import announcement, jsonl, snapshot, write_tree

RECORD = TypeAdapter(Record)
COMMANDS = ["extract", "evaluate", "report", "review", "correct", "export", "train", "schema"]


def test_extract_prints_a_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b/c.md": announcement(1)})
    out = tmp_path / "out"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"2 documents: 2 records, 0 errors, 0 skipped (unchanged) → {out.as_posix()}/\n"
    assert "done in" in captured.err
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    assert "2 skipped (unchanged)" in capsys.readouterr().out


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    """stderr, checked to be one line without a traceback."""
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["extract", "{tmp}/missing"], "no such file or folder"),
        (["extract", "{tmp}/empty"], "no .htm/.html"),
        (["extract", "{tmp}/empty", "--jobs", "0"], "Invalid value for '--jobs': wants a positive integer"),
        (["extract", "{tmp}/empty", "--jobs", "abc"], "Invalid value for '--jobs': wants a positive integer up to 9007199254740992, not 'abc'"),
        (["extract", "{tmp}/empty", "--lang", "xx"], "Invalid value for '--lang': wants one of auto, en, fr, not 'xx'"),
        (["extract", "{tmp}/in", "--model", "no_such_pipeline"], "not installed"),
        (["extract"], "Missing argument 'INPUT'"),
        (["extract", "{tmp}/in", "--jobs", "1", "--scheduler", "tcp://localhost:1"], "Invalid value for '--jobs': not with --scheduler"),
        (["extract", "{tmp}/in", "-q", "-v"], "Invalid value for '--verbose': not with --quiet"),
        (["evaluate", "--pred", "{tmp}/missing", "--gold", "{tmp}/empty"], "not a folder"),
        (["evaluate", "--gold", "{tmp}/empty"], "Missing option '--pred'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    (tmp_path / "empty").mkdir()
    write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    args = [a.format(tmp=tmp_path) for a in argv] + (["-o", str(tmp_path / "out")] if argv[:1] == ["extract"] else [])
    assert main(args) == 2
    err = one_line_error(capsys)
    assert message in err and "_positive" not in err
    assert not (tmp_path / "out").exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"extract-agreements {__version__}\n"


def test_no_arguments_print_the_help_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: extract-agreements [OPTIONS] COMMAND")
    assert all(f"  {command} " in out for command in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_each_command_has_its_help(capsys: pytest.CaptureFixture[str], command: str, flag: str) -> None:
    assert main([command, flag]) == 0
    assert capsys.readouterr().out.startswith(f"Usage: extract-agreements {command} [OPTIONS]")


def test_every_command_is_tested_for_its_help() -> None:
    assert list(typer.main.get_command(app).commands) == COMMANDS


def test_extract_help_explains_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "auto detects each document's language" in out and "- writes the records to stdout as JSON Lines" in out


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["extrac", "in"], "No such command 'extrac'. Did you mean 'extract'?"),
        (["exprot", "out"], "Did you mean 'export'?"),
        (["extract", "in", "--forse"], "No such option: --forse. Did you mean --force"),
        (["review", "out", "--belwo", "0.5"], "No such option: --belwo. Did you mean --below"),
    ],
)
def test_typos_get_suggestions(capsys: pytest.CaptureFixture[str], argv: list[str], suggestion: str) -> None:
    assert main(argv) == 2
    assert suggestion in one_line_error(capsys)


@pytest.mark.parametrize("abbreviation", ["--forc", "--retry", "--max-b", "--out", "--sched"])
def test_long_options_are_never_abbreviated(tmp_path: Path, capsys: pytest.CaptureFixture[str], abbreviation: str) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1", abbreviation, "1"]) == 2
    assert f"No such option: {abbreviation}" in one_line_error(capsys)
    assert not (tmp_path / "out").exists()


def test_evaluate_with_its_folders_swapped_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    write_tree(tmp_path / "gold", {"a.json": json.dumps({"id": "a", "language": "en", "parties": [], "people": [], "themes": []})})
    capsys.readouterr()
    assert main(["evaluate", "--pred", str(tmp_path / "gold"), "--gold", str(tmp_path / "out")]) == 2
    assert "is a record written by `extract`, not a gold file: are --pred and --gold swapped?" in one_line_error(capsys)


def test_evaluate_names_a_gold_file_of_the_wrong_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pred").mkdir()
    write_tree(tmp_path / "gold", {"a.json": json.dumps({"themes": [{"value": "AI"}]})})
    assert main(["evaluate", "--pred", str(tmp_path / "pred"), "--gold", str(tmp_path / "gold")]) == 2
    assert "a.json: not a gold file (themes[0]: Input should be a valid string)" in one_line_error(capsys)


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    """``schema | head``: stdout's reader is gone before the command writes; no BrokenPipeError, status 141."""
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "schema"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    assert process.wait(timeout=60) == BROKEN_PIPE
    assert process.stderr.read() == b""


def test_output_dash_writes_json_lines_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b.md": announcement(1), "c.txt": b""})
    monkeypatch.chdir(tmp_path)
    assert main(["extract", str(source), "-o", "-", "--jobs", "1"]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["source"]["path"] for r in records] == ["a.txt", "b.md", "c.txt"]
    assert "error" in records[2]
    for record in records:
        RECORD.validate_python(record)
    assert captured.err.startswith("3 documents: 2 records, 1 error, 0 skipped (unchanged) → stdout\n") and "c.txt: empty" in captured.err
    assert sorted(os.listdir(tmp_path)) == ["in"]  # no folder named "-", nothing left behind


def test_dash_input_reads_paths_from_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "b.txt": announcement(1), "sub/c.md": announcement(2)})
    listed = f"{source / 'a.txt'}\n\n{source / 'sub'}\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(listed)))
    assert main(["extract", "-", "-o", str(tmp_path / "out"), "--jobs", "1", "--verbose"]) == 0
    assert sorted(r["source"]["path"] for r in jsonl(tmp_path / "out")) == ["a.txt", "c.md"]
    assert "2 paths read from stdin\n" in capsys.readouterr().err


def test_dash_input_with_nothing_on_stdin_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\n")))
    assert main(["extract", "-", "-o", str(tmp_path / "out")]) == 2
    assert "Invalid value for 'INPUT': - but stdin lists no paths" in one_line_error(capsys)


def test_unsupported_files_are_counted_and_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "report.pdf": b"%PDF", "sub/memo.docx": b"PK", ".DS_Store": b""})
    out = tmp_path / "out"
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 0
    named = [f"{source.as_posix()}/report.pdf", f"{source.as_posix()}/sub/memo.docx"]
    assert json.loads((out / SUMMARY).read_text("utf-8"))["unsupported"] == named
    assert capsys.readouterr().out.splitlines() == [
        f"1 document: 1 record, 0 errors, 0 skipped (unchanged), 2 unsupported files not read → {out.as_posix()}/",
        f"not read (no supported format): {', '.join(named)}",
    ]


def test_a_folder_without_supported_files_says_what_it_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.pdf": b"", "b.docx": b"", "c.odt": b"", "d.rtf": b""})
    assert main(["extract", str(source), "-o", str(tmp_path / "out")]) == 2
    assert one_line_error(capsys).endswith(f"(only 4 files of other formats: {source.as_posix()}/a.pdf, {source.as_posix()}/b.docx, {source.as_posix()}/c.odt, ...)\n")


def test_failed_files_are_listed_at_the_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "empty.txt": b"", "nul.md": b"Inria\x00CNRS"})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-3] == "failed (2):"
    assert err[-2].startswith("  empty.txt: empty: ") and err[-1].startswith("  nul.md: binary: ")


def test_quiet_prints_only_the_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), "empty.txt": b"", "x.pdf": b""})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[0] == "failed (1):" and len(captured.err.splitlines()) == 2


@pytest.mark.parametrize(("flags", "shown"), [([], LISTED), (["--verbose"], LISTED + 2)])
def test_verbose_names_every_file_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], shown: int) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0), **{f"x{n:02}.pdf": b"" for n in range(LISTED + 2)}})
    assert main(["extract", str(source), "-o", str(tmp_path / "out"), "--jobs", "1", *flags]) == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert line.count(".pdf") == shown
    assert line.endswith(", and 2 more (--verbose names them all)") == (shown == LISTED)


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
    assert set(snapshot(out)) == {m["output"] for m in manifest.values()} | texts | {MANIFEST, RECORDS, SUMMARY, TABLE, ORGANIZATIONS, AGREEMENTS}
    summary = json.loads((out / SUMMARY).read_text("utf-8"))
    assert summary["errors"] == len(errors) and summary["records"] == len(records) - len(errors)
    assert summary["unsupported"] == [f"{root.as_posix()}/notes.csv"]


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
    assert main(["evaluate", "--pred", str(tmp_path / "out"), "--gold", str(tmp_path / "gold"), "--json", "--lang", "en", "--lang", "fr"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents_evaluated"] == 1 and report["missing"] == []
    assert report["fields"]["agreement_type"]["correct"] == 1
