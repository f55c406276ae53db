"""Issue 13, item 10: no process holds two languages' models. A run extracts one language's
documents after another (``pipeline.parallel.language_groups``), each group in its own workers
(or, in one process, releasing a language's pipeline before the next), and still writes every
output in input order, the same bytes with any number of processes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import Extractor, ExtractorConfig
from pipeline.batch import RECORDS, run_batch
from pipeline.extractor import progress_messages
from pipeline import parallel
from pipeline.document import Document
from pipeline.parallel import extract_items, language_groups, task_name
from test_batch import jsonl

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FRENCH = ("accord-cadre-fr.txt", "partenariat-fr.html", "protocole-accord-fr.md")
ENGLISH = ("framework-html.html", "mou-acronyms.md", "three-party-agreement.txt")
NO_TIME_LIMIT = ExtractorConfig(timeout_s=None)


def mixed_folder(folder: Path) -> list[str]:
    """English and French samples in turn, and a file that cannot be read (no pipeline needed):
    the names in input order."""
    folder.mkdir()
    names = []
    for i, (english, french) in enumerate(zip(ENGLISH, FRENCH)):
        for name in (english, french):
            shutil.copy(SAMPLES / name, folder / f"{len(names):02d}-{name}")
            names.append(f"{len(names):02d}-{name}")
        if i == 0:
            (folder / "02-empty.txt").write_text("", "utf-8")
            names.append("02-empty.txt")
    return sorted(names)


def test_documents_are_grouped_by_language_primary_first(tmp_path: Path) -> None:
    names = mixed_folder(tmp_path / "in")
    groups = language_groups(NO_TIME_LIMIT, [(tmp_path / "in" / name, name) for name in names])
    assert [(language, [task_name(task) for task in group]) for language, group in groups] == [  # each group read to its end before the next
        ("en", [n for n in names if n.endswith(ENGLISH) or n.endswith("empty.txt")]),
        ("fr", [n for n in names if n.endswith(FRENCH)]),
    ]


def test_the_first_group_streams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The primary language's first document is handed on once it is read, before the rest are."""
    names = mixed_folder(tmp_path / "in")
    items = [(tmp_path / "in" / name, name) for name in names]
    read: list[str] = []
    reader = parallel.read_in_language
    monkeypatch.setattr(parallel, "read_in_language", lambda config, path, name: read.append(name) or reader(config, path, name))
    language, group = next(language_groups(NO_TIME_LIMIT, items))
    first = next(iter(group))
    assert (language, read) == ("en", [names[0]])
    assert isinstance(first, Document) and (first.path, first.language) == (names[0], "en")  # read and detected once, by the parent


def test_a_given_language_needs_no_reading(tmp_path: Path) -> None:
    items = [(tmp_path / "absent.txt", "absent.txt")]
    assert list(language_groups(replace(NO_TIME_LIMIT, language="fr"), items)) == [("fr", items)]


def test_one_process_never_holds_two_languages_pipelines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one process and no time limit the extraction runs here: the English pipeline is
    released before the French one loads (both were held: about 560 MB instead of 425)."""
    names = mixed_folder(tmp_path / "in")
    held: list[set[str]] = []
    build = Extractor.pipeline

    def spying(self: Extractor, language: str):  # type: ignore[no-untyped-def]
        nlp = build(self, language)
        held.append(set(self._pipelines))
        return nlp

    monkeypatch.setattr(Extractor, "pipeline", spying)
    records = list(extract_items(NO_TIME_LIMIT, [(tmp_path / "in" / name, name) for name in names]))
    assert sorted(r.source.path for r in records) == names
    assert {"en"} in held and {"fr"} in held and all(len(languages) == 1 for languages in held)


def test_workers_load_only_their_groups_pipeline(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """A worker says which model it loads: a French-only batch never loads the English one
    (every worker loaded it when it started, and French on its first French document)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FRENCH:
        shutil.copy(SAMPLES / name, folder / name)
    with progress_messages():
        records = list(extract_items(ExtractorConfig(batch_size=1), [(folder / name, name) for name in FRENCH], n_process=2))
    err = capfd.readouterr().err
    assert [r.source.language for r in records] == ["fr"] * 3
    assert "loading the French model" in err and "loading the English model" not in err


@pytest.mark.parametrize("config", [NO_TIME_LIMIT, ExtractorConfig(batch_size=2)], ids=["in-process", "workers"])
def test_outputs_keep_input_order_whatever_the_processes(tmp_path: Path, config: ExtractorConfig) -> None:
    """Records come back one language after another; records.jsonl still lists them in input
    order, and one process or two write the same bytes."""
    names = mixed_folder(tmp_path / "in")
    for jobs in (1, 2):
        run_batch([tmp_path / "in"], tmp_path / f"out-{jobs}", config, jobs=jobs)
    assert [r["source"]["path"] for r in jsonl(tmp_path / "out-1")] == names
    assert (tmp_path / "out-1" / RECORDS).read_bytes() == (tmp_path / "out-2" / RECORDS).read_bytes()
    assert [r["source"]["language"] for r in jsonl(tmp_path / "out-1") if "error" not in r] == ["en", "fr"] * 3
