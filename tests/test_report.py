"""``extract-agreements report``: the data the page carries, the command, a 10,000-record report,
and the page itself driven in headless Chromium (skipped where no ``chromium`` is installed,
except in CI, where a missing browser is a failure)."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline import Extractor, ExtractorConfig
from pipeline.batch import RECORDS, SUMMARY, collect_sources, run_batch
from pipeline.cli import main
from pipeline.readers import read_document
from pipeline.corrections import CORRECTIONS
from pipeline.report import DIAGRAM, ReportError, SourceTexts, build_report, load_records, render_html, report_data, script_json
from test_review import TEXT
from test_review import record as review_record
from test_review import write_run

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCREENSHOTS = ROOT / "outputs"
SYNTHETIC = 10_000
MAX_SYNTHETIC_BYTES = 27_000_000  # 25 MB before schema 2 gave every value its confidence (+1 MB)
MAX_SYNTHETIC_SECONDS = 30.0
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """A folder where `extract-agreements extract samples -o outputs` and `extract-agreements
    report outputs` were run (``run_batch`` and ``build_report`` called from here): the page names
    the folders as given, so the screenshot is the same on every machine and every run."""
    work = tmp_path_factory.mktemp("run")
    shutil.copytree(SAMPLES, work / "samples", ignore=shutil.ignore_patterns("*.json"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        run_batch([Path("samples")], Path("outputs"), ExtractorConfig(), progress=False)
        build_report(Path("outputs"), Path("samples"), Path("outputs/report.html"))
    return work


@pytest.fixture(scope="module")
def sample_outputs(sample_run: Path) -> Path:
    return sample_run / "outputs"


@pytest.fixture(scope="module")
def sample_records(sample_outputs: Path) -> list[dict[str, Any]]:
    return list(load_records(sample_outputs))


@pytest.fixture(scope="module")
def sample_report(sample_outputs: Path) -> Path:
    return sample_outputs / "report.html"


@pytest.fixture(scope="module")
def synthetic_outputs(sample_records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 records: the samples' agreement records copied with new ids, parties renamed per
    copy (so the network has thousands of organisations) and signing years spread over 25
    years; every 100th line an error record."""
    agreements = [r for r in sample_records if "error" not in r]
    out = tmp_path_factory.mktemp("synthetic")
    with (out / RECORDS).open("w", encoding="utf-8") as handle:
        for i in range(SYNTHETIC):
            if i % 100 == 0:
                record: dict[str, Any] = {
                    "source": {"path": f"broken/{i:05d}.txt", "sha256": None, "format": "txt", "language": None, "title": None},
                    "error": {"type": "empty", "message": f"broken/{i:05d}.txt: no text"},
                }
            else:
                record = copy.deepcopy(agreements[i % len(agreements)])
                record["id"] = f"{record['id']}-{i:05d}"
                for party in record["parties"]:
                    party["name"] = f"{party['name']} #{i % 400}"
                if record["signing_date"]:  # every agreement in every year, whatever the number of samples
                    record["signing_date"]["value"] = f"{2000 + (i // len(agreements)) % 25}{record['signing_date']['value'][4:]}"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


@pytest.fixture(scope="module")
def synthetic_report(synthetic_outputs: Path) -> tuple[Path, float]:
    started = time.monotonic()
    result = build_report(synthetic_outputs, SAMPLES, synthetic_outputs / "report.html")
    return result.path, time.monotonic() - started


def sample_texts(inputs: Path) -> SourceTexts:
    """The texts of the samples' records, read from ``inputs``."""
    return SourceTexts([inputs], 5_000_000, inputs.parent / "outputs")


def _page_data(report: Path) -> dict[str, Any]:
    page = report.read_text("utf-8")
    start = page.index('<script type="application/json" id="report-data">') + len('<script type="application/json" id="report-data">')
    return json.loads(page[start : page.index("</script>", start)])


def _evidence(record: dict[str, Any]) -> set[tuple[str, int, int]]:
    """(field, start, end) of every span the record carries."""
    found = set()
    for field, value in record.items():
        if isinstance(value, dict) and "span" in value:
            found.add((field, *value["span"]))
        elif isinstance(value, list):
            found |= {(field, *span) for item in value if isinstance(item, dict) for span in item.get("spans", [])}
    return found


# --------------------------------------------------------------------------- the data


def test_every_record_gets_the_text_its_spans_index(sample_records: list[dict[str, Any]]) -> None:
    data = report_data(sample_records, sample_texts(SAMPLES))
    assert data["summary"]["records"] == len(sample_records) == len([p for p in SAMPLES.iterdir() if p.suffix != ".json"])
    for record in data["records"]:
        assert record["note"] is None, record["source"]["path"]
        text = data["texts"][record["text"]]
        for field in ("agreement_type", "signing_date", "publication_date", "signing_place"):
            if record[field]:
                start, end = record[field]["span"]
                assert text[start:end] == record[field]["text"]
    assert len(data["texts"]) == len(sample_records)


def test_a_changed_or_missing_source_is_shown_without_text(sample_records: list[dict[str, Any]], tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLES, inputs)
    changed, missing = sample_records[0]["source"]["path"], sample_records[1]["source"]["path"]
    with (inputs / changed).open("a", encoding="utf-8") as handle:
        handle.write("\nAn added line.\n")
    (inputs / missing).unlink()
    notes = {r["source"]["path"]: r["note"] for r in report_data(sample_records, sample_texts(inputs))["records"]}
    assert notes[changed] == "source changed since extraction"
    assert notes[missing] == f"source not found in {inputs.as_posix()}/"
    assert sum(note is None for note in notes.values()) == len(sample_records) - 2


def test_one_text_is_stored_once_however_many_records_use_it(sample_records: list[dict[str, Any]]) -> None:
    data = report_data(sample_records * 3, sample_texts(SAMPLES))
    assert len(data["records"]) == 3 * len(sample_records)
    assert len(data["texts"]) == len(sample_records)


def test_script_json_cannot_end_its_script_element() -> None:
    data = {"text": "a </script><script>alert(1)</script> <!-- b"}
    encoded = script_json(data)
    assert "<" not in encoded
    assert json.loads(encoded) == data


def test_the_page_escapes_its_title(sample_records: list[dict[str, Any]]) -> None:
    page = render_html(report_data(sample_records, sample_texts(SAMPLES)), title='<script>alert("x")</script> & co')
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co") == 2  # <title> and <h1>


# --------------------------------------------------------------------------- the command


def test_report_command_writes_a_self_contained_page(
    sample_outputs: Path, sample_records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review" / "report.html"
    assert main(["report", str(sample_outputs), "--inputs", str(SAMPLES), "-o", str(target)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"{target} (") and "kB)" in printed
    assert f"{len(sample_records)} records, 0 errors, all texts shown" in printed
    page = target.read_text("utf-8")
    assert "<script src" not in page and "<link" not in page and "sourceMappingURL" not in page
    assert "default-src 'none'" in page  # the browser refuses any request


def _summary_with_inputs(outputs: Path, inputs: list[str]) -> None:
    """The ``inputs`` that ``extract`` records in ``run-summary.json``."""
    (outputs / SUMMARY).write_text(json.dumps({"documents": 2, "inputs": inputs}), "utf-8")


@pytest.mark.parametrize("recorded", ["../inputs", "{absolute}"])
def test_report_finds_the_texts_where_the_run_recorded_its_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], recorded: str) -> None:
    outputs, inputs = write_run(tmp_path, [review_record("a"), review_record("b")])
    _summary_with_inputs(outputs, [recorded.format(absolute=inputs.resolve().as_posix())])
    assert main(["report", str(outputs)]) == 0
    printed = capsys.readouterr()
    assert printed.out.endswith("2 records, 0 errors, all texts shown\n") and printed.err == ""
    assert _page_data(outputs / "report.html")["summary"]["inputs"] == [f"{inputs.as_posix() if recorded.startswith('..') else inputs.resolve().as_posix()}/"]


@pytest.mark.parametrize(
    ("recorded", "argv", "warning"),
    [
        (None, [], "no texts shown: {outputs}/run-summary.json does not record the inputs `extract` read, and none are given (--inputs DIR)"),
        (["../moved"], [], "input {tmp}/moved (recorded in {outputs}/run-summary.json) does not exist: its texts are not shown"),
        (["../inputs"], ["--inputs", "{tmp}/moved"], "input {tmp}/moved (given) does not exist: its texts are not shown"),
    ],
)
def test_report_says_why_it_cannot_show_the_texts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], recorded: list[str] | None, argv: list[str], warning: str
) -> None:
    """No texts is no silent success: a warning names the cause and the exit status is 1; the page is still written."""
    outputs, _ = write_run(tmp_path, [review_record("a"), review_record("b")])
    if recorded is not None:
        _summary_with_inputs(outputs, recorded)
    assert main(["report", str(outputs), *(a.format(tmp=tmp_path) for a in argv)]) == 1
    printed = capsys.readouterr()
    assert printed.out.endswith("2 records, 0 errors, 2 without their text\n")
    assert printed.err == f"extract-agreements: warning: {warning.format(tmp=tmp_path.as_posix(), outputs=outputs.as_posix())}\n"
    assert (outputs / "report.html").is_file()


def test_inputs_given_override_the_recorded_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs, inputs = write_run(tmp_path, [review_record("a")])
    _summary_with_inputs(outputs, ["../moved"])
    assert main(["report", str(outputs), "--inputs", str(inputs)]) == 0
    assert capsys.readouterr().out.endswith("1 record, 0 errors, all texts shown\n")


def test_texts_are_found_under_the_names_extract_gave_them(tmp_path: Path) -> None:
    """Two inputs holding the same file name: ``extract`` named them ``a/x.txt`` and ``b/x.txt``, and so does the report."""
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    records = []
    for folder, text in (("a", TEXT), ("b", TEXT + " More.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, "utf-8")
        records.append(review_record(folder) | {"source": {"path": f"{folder}/x.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(), "format": "txt", "language": "en"}})
    (outputs / RECORDS).write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    assert [source.name for source in collect_sources([tmp_path / "a", tmp_path / "b"], outputs)[0]] == ["a/x.txt", "b/x.txt"]
    data = _page_data(build_report(outputs, [tmp_path / "a", tmp_path / "b"], outputs / "report.html").path)
    assert [data["texts"][r["text"]] for r in data["records"]] == [TEXT, TEXT + " More."]


def test_report_command_without_records_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path)]) == 2
    assert "records.jsonl: no such file" in capsys.readouterr().err


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (4, 3), "white").save(path)
    return path


def _review_run(folder: Path) -> Path:
    """Four hand-built records: ``a`` with its one low value corrected, ``b`` a party at 0.3,
    ``c`` a place at 0.6, ``d`` all confident; and a reliability diagram beside them."""
    low_place = review_record()["signing_place"] | {"confidence": 0.4}
    parties = review_record()["parties"]
    records = [
        review_record("a", signing_place=low_place),
        review_record("b", parties=[parties[0], parties[1] | {"confidence": 0.3}]),
        review_record("c", signing_place=low_place | {"confidence": 0.6}),
        review_record("d"),
    ]
    outputs, inputs = write_run(folder, records)
    (outputs / CORRECTIONS).write_text(json.dumps({"id": "a", "field": "signing_place", "value": "Bergen", "note": "the photo caption"}) + "\n", "utf-8")
    _png(outputs / DIAGRAM)
    return build_report(outputs, inputs, outputs / "report.html").path


def test_the_page_data_says_which_records_need_review_and_carries_the_diagram(tmp_path: Path) -> None:
    data = _page_data(_review_run(tmp_path))
    assert [r["review"] for r in data["records"]] == [0, 1, 1, 0]  # a's low value is corrected
    assert data["records"][0]["corrections"][0]["value"] == "Bergen"
    assert data["records"][0]["signing_place"]["value"] == "Oslo"  # the extractor's, kept for audit
    assert data["summary"]["review"] == {"threshold": 0.8, "below": 2, "calibrated": 19, "not_calibrated": 4, "corrected": 1}
    assert data["summary"]["diagram"].startswith("data:image/png;base64,iVBORw0KGgo")


@pytest.mark.parametrize(
    ("diagram", "message"),
    [("missing.png", "missing.png: no such file"), ("notes.txt", "notes.txt: not a PNG image")],
)
def test_a_diagram_that_is_not_a_png_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], diagram: str, message: str) -> None:
    outputs, inputs = write_run(tmp_path, [review_record()])
    (tmp_path / "notes.txt").write_text("not an image", "utf-8")
    with pytest.raises(ReportError, match=message):
        build_report(outputs, inputs, tmp_path / "r.html", tmp_path / diagram)
    assert main(["report", str(outputs), "--inputs", str(inputs), "--diagram", str(tmp_path / diagram)]) == 2
    assert message in capsys.readouterr().err
    assert _page_data(build_report(outputs, inputs, tmp_path / "r.html").path)["summary"]["diagram"] is None  # optional when not named


def test_ten_thousand_records_make_a_page_of_bounded_size(synthetic_report: tuple[Path, float]) -> None:
    report, seconds = synthetic_report
    size = report.stat().st_size
    print(f"\n{SYNTHETIC:,} records: {size / 1e6:.1f} MB in {seconds:.1f} s")
    assert size < MAX_SYNTHETIC_BYTES
    assert seconds < MAX_SYNTHETIC_SECONDS
    data = _page_data(report)
    assert len(data["records"]) + len(data["errors"]) == SYNTHETIC
    assert len(data["errors"]) == SYNTHETIC // 100


# --------------------------------------------------------------------------- in a browser


def _chromium() -> str:
    executable = shutil.which("chromium")
    if executable is None:
        reason = "no `chromium` executable (Debian: apt-get install chromium): the report page is not tested in a browser"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class ReportTab:
    """A report opened in a fresh tab, remembering every console error and every request
    other than the file itself: the test fails on either."""

    def __init__(self, browser: Any, report: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 860})
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        url = report.as_uri()
        self.page.on("request", lambda r: r.url == url or r.url.startswith("data:") or self.problems.append(f"request: {r.url}"))
        self.page.goto(url)
        self.page.wait_for_selector("#agreements-table tbody tr")

    def rows(self) -> list[str]:
        return self.page.eval_on_selector_all("#agreements-table tbody tr", "rows => rows.map(r => r.dataset.id)")

    def status(self) -> str:
        return self.page.inner_text("#agreements-status")

    def marks(self) -> set[tuple[str, int, int]]:
        """(field, start, end) of each highlight, counted in code points from the start of the text, as records count."""
        found = self.page.evaluate(
            """() => {
                const root = document.getElementById("document-text");
                return [...root.querySelectorAll("mark")].map((mark) => {
                    const before = document.createRange();
                    before.setStart(root, 0);
                    before.setEndBefore(mark);
                    const start = [...before.toString()].length;
                    return [mark.dataset.field, start, start + [...mark.textContent].length];
                });
            }"""
        )
        return {(field, start, end) for field, start, end in found}

    def download_csv(self) -> tuple[str, list[dict[str, str]]]:
        """The file "Download CSV" saves: its name and its rows, read by Python's csv module."""
        with self.page.expect_download() as download:
            self.page.click("#download-csv")
        content = Path(download.value.path()).read_text("utf-8")
        return download.value.suggested_filename, list(csv.DictReader(content.splitlines(keepends=True)))

    def close(self) -> list[str]:
        self.page.wait_for_timeout(300)  # the charts are drawn just after the table
        self.page.close()
        return self.problems


def _party_matches(record: dict[str, Any], query: str) -> bool:
    names = [n for p in record["parties"] for n in (p["name"], p["acronym"]) if n]
    return any(query.lower() in name.lower() for name in names)


def test_the_page_lists_filters_and_highlights_the_samples(
    browser: Any, sample_report: Path, sample_records: list[dict[str, Any]]
) -> None:
    page = ReportTab(browser, sample_report)
    assert sorted(page.rows()) == sorted(r["id"] for r in sample_records)
    assert page.status() == f"Showing 1–{len(sample_records)} of {len(sample_records)} records."

    page.page.fill("#filter-party", "university")
    expected = [r["id"] for r in sample_records if _party_matches(r, "university")]
    assert len(expected) > 1
    assert page.rows() == expected
    assert [row["id"] for row in page.download_csv()[1]] == expected  # the filtered rows, not all of them
    page.page.select_option("#filter-year", "2022")
    assert page.rows() == [r["id"] for r in sample_records if r["id"] in expected and (r["signing_date"] or {}).get("value", "").startswith("2022")]
    page.page.click("#filter-clear")
    assert len(page.rows()) == len(sample_records)

    page.page.click("th[data-sort=date] button")
    dated = sorted(r["signing_date"]["value"] for r in sample_records if r["signing_date"])
    assert page.page.inner_text("#agreements-table tbody tr:first-child td:nth-child(3)") == dated[0]

    record = next(r for r in sample_records if r["id"] == "framework-html.html")
    page.page.click("#agreements-table tbody tr[data-id='framework-html.html'] button")
    assert page.page.is_visible("#document")
    assert page.page.inner_text("mark[data-field=signing_date]") == record["signing_date"]["text"]
    assert page.marks() == _evidence(record)
    assert page.page.locator("#document-warnings li").all_inner_texts() == ["None."]
    page.page.hover("mark[data-field=signing_date]")
    date = record["signing_date"]
    assert page.page.inner_text("#document .tip") == f"Signing date: {date['value']} (day) · confidence {date['confidence']:.2f}"
    page.page.screenshot(path=str(SCREENSHOTS / "report-document.png"))
    page.page.keyboard.press("Escape")
    assert not page.page.is_visible("#document")

    warned = next(r for r in sample_records if r["id"] == "us-numeric-date.txt")
    page.page.click("#agreements-table tbody tr[data-id='us-numeric-date.txt'] button")
    shown = page.page.locator("#document-warnings li").all_inner_texts()
    assert shown == [f"{w['message']} ({w['code']})" for w in warned["warnings"]] and "(ambiguous_date)" in shown[0]
    page.page.keyboard.press("Escape")

    page.page.wait_for_timeout(300)
    page.page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    assert page.close() == []


def test_the_page_handles_astral_characters_markup_changed_sources_and_errors(browser: Any, tmp_path: Path) -> None:
    inputs, outputs = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    outputs.mkdir()
    (inputs / "emoji.txt").write_text("🎉🎉 Alpha Labs </script><!-- and Beta Institute signed an accord on 5 May 2024.\n", "utf-8")
    (inputs / "changed.txt").write_text("Gamma and Delta signed on 1 June 2023.\n", "utf-8")
    document = read_document(inputs / "emoji.txt", "emoji.txt")
    text = document.text

    def span(words: str) -> list[int]:
        return [text.index(words), text.index(words) + len(words)]

    def agreement(path: str, sha256: str, date_words: str) -> dict[str, Any]:
        return {
            "schema_version": "1",
            "id": path.removesuffix(".txt"),
            "source": {"path": path, "sha256": sha256, "format": "txt", "language": "en", "title": None},
            "agreement_type": None,
            "signing_date": {"value": "2024-05-05", "precision": "day", "text": date_words, "span": span(date_words)},
            "publication_date": None,
            "signing_place": None,
            "parties": [{"name": "Alpha Labs", "acronym": None, "spans": [span("Alpha Labs")]}],
            "organizations": [],
            "people": [],
            "themes": [],
            "warnings": ["only one party found"],
            "extractor": {"version": "test", "spacy_model": None},
        }

    changed = hashlib.sha256(b"what the file held when it was extracted").hexdigest()
    error = {"source": {"path": "notes.pdf", "sha256": None, "format": None, "language": None, "title": None},
             "error": {"type": "unsupported_format", "message": "notes.pdf: unsupported format '.pdf'"}}
    lines = [agreement("emoji.txt", document.sha256, "5 May 2024"), agreement("changed.txt", changed, "5 May 2024"), error]
    (outputs / RECORDS).write_text("".join(json.dumps(r) + "\n" for r in lines), "utf-8")
    report = build_report(outputs, inputs, outputs / "report.html").path

    page = ReportTab(browser, report)
    assert page.rows() == ["emoji", "changed"]
    page.page.click("tr[data-id=emoji] button")
    assert page.marks() == _evidence(lines[0])
    assert "</script><!-- and Beta" in page.page.inner_text("#document-text")
    assert page.page.is_hidden("#document-note")
    page.page.keyboard.press("Escape")

    page.page.click("tr[data-id=changed] button")
    assert page.page.inner_text("#document-note").startswith("Text not shown: source changed since extraction")
    assert page.page.is_hidden("#document-text")
    assert "“5 May 2024”" in page.page.inner_text("#document-fields")
    page.page.keyboard.press("Escape")

    assert page.page.inner_text("#errors-table tbody") == "notes.pdf\tunsupported_format\tnotes.pdf: unsupported format '.pdf'"
    assert page.close() == []


def test_the_page_colours_values_by_confidence_and_filters_those_to_review(browser: Any, tmp_path: Path) -> None:
    page = ReportTab(browser, _review_run(tmp_path))
    assert page.rows() == ["a", "b", "c", "d"]

    def classes(selector: str) -> str:
        return page.page.get_attribute(selector, "class") or ""

    assert "conf-high" in classes("tr[data-id=d] td:nth-child(1) .chip:nth-child(2)")
    assert "conf-low" in classes("tr[data-id=b] td:nth-child(1) .chip:nth-child(2)")
    assert "conf-mid" in classes("tr[data-id=c] td:nth-child(4) .value")
    assert page.page.get_attribute("tr[data-id=b] td:nth-child(1) .chip:nth-child(2)", "title") == "confidence 0.30"
    assert page.page.inner_text("tr[data-id=a] td:nth-child(4)") == "Bergen"  # the analyst's value, marked
    assert "corrected" in classes("tr[data-id=a] td:nth-child(4) .value")
    assert page.page.get_attribute("tr[data-id=a] td:nth-child(4) .value", "title") == "corrected by an analyst: the photo caption"
    assert "confidence ≥ 0.8" in page.page.inner_text("#confidence-legend")
    assert page.page.is_visible("#summary-diagram img")

    page.page.check("#filter-review")
    assert page.rows() == ["b", "c"]
    assert page.status() == "Showing 1–2 of 2 records (filtered from 4)."
    page.page.click("#filter-clear")
    assert not page.page.is_checked("#filter-review") and len(page.rows()) == 4

    page.page.click("tr[data-id=a] button")
    fields = page.page.inner_text("#document-fields tbody")
    assert fields.splitlines()[0] == "Signing place, corrected\tBergen\t—\tcorrected by an analyst: the photo caption"
    assert "Signing place\tOslo\t0.40" in fields  # the extractor's value and confidence stay, for audit
    assert page.close() == []


CSV_COLUMNS = [
    "id", "source_path", "title", "language", "agreement_type", "signing_date", "signing_place", "publication_date",
    "parties", "people", "themes", "warnings", "error", "corrected",
]
"""The columns of ``agreements.csv``, which the page's download repeats."""


def test_the_csv_download_holds_the_rows_the_filters_keep(browser: Any, tmp_path: Path) -> None:
    person = {"name": "Ann Lee", "title": "Rector", "affiliation": None, "role": "signatory", "spans": [[0, 4]], "confidence": 0.9, "role_confidence": None}
    theme = {"value": "water, storage", "spans": [[0, 4]], "confidence": 0.9}
    records = [
        review_record("a", people=[person], themes=[theme, theme | {"value": "hydrogen"}]),
        review_record("b", warnings=["only one party found", {"code": "no_signing_date", "message": "no signing date found"}],
                      parties=[review_record()["parties"][1] | {"confidence": 0.3}]),
    ]
    records[1]["source"]["title"] = 'Acme signs "the deal",\nat last'
    outputs, inputs = write_run(tmp_path, records)
    (outputs / CORRECTIONS).write_text(json.dumps({"id": "a", "field": "signing_place", "value": "Bergen"}) + "\n", "utf-8")
    page = ReportTab(browser, build_report(outputs, inputs, outputs / "report.html").path)

    name, rows = page.download_csv()
    assert name == "agreements.csv"
    assert list(rows[0]) == CSV_COLUMNS
    assert rows[0] == {
        "id": "a", "source_path": "a.txt", "title": "", "language": "en", "agreement_type": "memorandum_of_understanding",
        "signing_date": "2024-05-03", "signing_place": "Bergen", "publication_date": "", "parties": "Acme Corp; Beta Labs",
        "people": "Ann Lee", "themes": "water, storage; hydrogen", "warnings": "0", "error": "", "corrected": "signing_place",
    }
    assert (rows[1]["title"], rows[1]["parties"], rows[1]["warnings"], rows[1]["corrected"]) == ('Acme signs "the deal",\nat last', "Beta Labs", "2", "")

    page.page.check("#filter-review")
    assert [row["id"] for row in page.download_csv()[1]] == ["b"]
    page.page.uncheck("#filter-review")
    page.page.click("th[data-sort=parties] button")
    page.page.click("th[data-sort=parties] button")  # descending: the table's order is the file's
    assert [row["id"] for row in page.download_csv()[1]] == page.rows() == ["b", "a"]

    page.page.click("tr[data-id=b] button")
    assert page.page.inner_text("#document-warnings") == "only one party found\nno signing date found (no_signing_date)"
    assert page.close() == []


def test_ten_thousand_records_stay_usable(browser: Any, synthetic_report: tuple[Path, float]) -> None:
    report, _ = synthetic_report
    data = _page_data(report)
    started = time.monotonic()
    page = ReportTab(browser, report)
    loaded = time.monotonic() - started
    print(f"\n{SYNTHETIC:,}-record page ready in {loaded:.1f} s")
    records = len(data["records"])
    assert len(page.rows()) == 50
    assert page.status() == f"Showing 1–50 of {records:,} records."
    page.page.click("#agreements-pager button:has-text('Last')")
    assert page.status() == f"Showing {records - (records - 1) % 50:,}–{records:,} of {records:,} records."
    year, in_year = Counter(r["signing_date"]["value"][:4] for r in data["records"] if r["signing_date"]).most_common(1)[0]
    page.page.select_option("#filter-year", year)
    assert page.status() == f"Showing 1–{min(50, in_year)} of {in_year:,} records (filtered from {records:,})."
    page.page.click("#agreements-table tbody tr:first-child button")
    assert page.page.inner_text("mark[data-field=signing_date]")
    page.page.keyboard.press("Escape")
    assert "Showing the 150 organisations" in page.page.inner_text("#network-hint")
    assert page.page.inner_text("#errors-status") == f"Showing 1–50 of {SYNTHETIC // 100} errors."
    assert page.close() == []
    assert loaded < 20


def test_a_page_that_fails_half_way_leaves_the_last_page_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is written atomically: a write that breaks off (here a character UTF-8 cannot
    encode, after 100 KB) leaves the previous page as it was and no temporary file."""
    outputs, inputs = write_run(tmp_path, [review_record("a")])
    page = outputs / "report.html"
    page.write_text("<html>the last page</html>", "utf-8")
    monkeypatch.setattr("pipeline.report.render_html", lambda data, title: "<html>" + "x" * 100_000 + "\ud800")
    with pytest.raises(UnicodeEncodeError):
        build_report(outputs, inputs, page)
    assert page.read_text("utf-8") == "<html>the last page</html>"
    assert sorted(p.name for p in outputs.iterdir()) == ["records.jsonl", "report.html"]
