"""``extract-agreements report``: one self-contained HTML page to review a run's records.

The page carries everything it shows — its scripts (``report_assets/``: the page's own code
and the vendored Chart.js and Cytoscape.js), its styles and the records as inline JSON — so it
opens offline, from a file or an e-mail attachment, and a Content-Security-Policy forbids any
request. Records only hold spans, so each announcement's text is read again here, exactly as
the extractor read it (``read_document``) from the inputs the run recorded (or ``--inputs``),
and shown only if its bytes are still those the record was made from: highlighting changed
text would point at the wrong words.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from pipeline.batch import RECORDS, SUMMARY, BatchError, atomic_file, collect_sources, recorded_inputs
from pipeline.corrections import corrected_records
from pipeline.extractor import DEFAULT_MAX_BYTES
from pipeline.grouping import Grouping, group_run
from pipeline.readers import ReadError, read_document
from pipeline.review import DEFAULT_THRESHOLD, review_queue

ASSETS = "report_assets"
SCRIPTS = ("chart.umd.min.js", "cytoscape.min.js", "page.js")
"""Inlined in this order: the page's own script uses the two libraries' globals."""

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=\S+\s*$", re.MULTILINE)
DIAGRAM = "reliability.png"
"""A reliability diagram in the outputs folder (``evaluate --diagram outputs/reliability.png``) goes in the summary."""
_PNG = b"\x89PNG\r\n\x1a\n"
_DROPPED_KEYS = ("schema_version", "extractor")
"""The same for every record of a run: shown once, in the summary, not 10,000 times."""


class ReportError(Exception):
    """The report cannot be made (no records in the folder): a usage error, not a bug."""


@dataclass(frozen=True)
class ReportResult:
    """What ``build_report`` wrote, for the command's one-line answer."""

    path: Path
    size: int
    records: int
    errors: int
    without_text: int
    warnings: tuple[str, ...] = ()
    """Why texts could not be shown, beyond each record's own note: inputs unknown or gone."""

    def line(self) -> str:
        """``report.html (1.2 MB): 13 records, 0 errors, all texts shown``."""
        texts = "all texts shown" if not self.without_text else f"{self.without_text} without their text"
        counts = ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in ((self.records, "record"), (self.errors, "error")))
        return f"{self.path} ({human_size(self.size)}): {counts}, {texts}"


def human_size(size: int) -> str:
    """``1234567`` → ``1.2 MB``: the size a person compares, in decimal units like file managers."""
    if size < 1000:
        return f"{size} bytes"
    return f"{size / 1000:.1f} kB" if size < 1_000_000 else f"{size / 1_000_000:.1f} MB"


def build_report(
    outputs_dir: Path, inputs: Path | Sequence[Path] | None, output: Path, diagram: Path | None = None
) -> ReportResult:
    """Write the review page of the records in ``outputs_dir`` (its ``records.jsonl``, with its corrections) to ``output``.

    ``inputs`` are what the run extracted (records name their source as ``extract`` named it
    there); None: the inputs ``run-summary.json`` records. ``diagram``, else
    ``outputs_dir/reliability.png`` if there, is embedded in the summary.
    """
    records = list(corrected_records(load_records(outputs_dir), outputs_dir))
    summary = read_summary(outputs_dir)
    texts, warnings = run_texts(outputs_dir, inputs)
    data = report_data(records, texts, summary.get("extractor"), group_run(outputs_dir, records))
    data["summary"]["outputs_dir"] = outputs_dir.as_posix()
    data["summary"]["inputs"] = [_shown(path) for path in texts.inputs]
    data["summary"]["diagram"] = diagram_uri(diagram or outputs_dir / DIAGRAM, required=diagram is not None)
    page = render_html(data, title=f"Agreements in {outputs_dir.resolve().name}/")
    with atomic_file(output) as handle:  # a page left half-written by a kill would look complete in a browser
        handle.write(page)
    return ReportResult(
        path=output,
        size=output.stat().st_size,
        records=data["summary"]["records"],
        errors=data["summary"]["errors"],
        without_text=sum(record["text"] is None for record in data["records"]),
        warnings=warnings,
    )


def run_texts(outputs_dir: Path, inputs: Path | Sequence[Path] | None) -> tuple[SourceTexts, tuple[str, ...]]:
    """The texts of a run's records, read from ``inputs`` (``--inputs``) or else from the inputs
    the run recorded, and a warning for each reason some cannot be shown: no inputs known, an
    input gone."""
    summary_path = (outputs_dir / SUMMARY).as_posix()
    if inputs is None:
        roots, origin = recorded_inputs(outputs_dir), f"recorded in {summary_path}"
    else:
        roots, origin = ([inputs] if isinstance(inputs, Path) else list(inputs)), "given"
    warnings = tuple(f"input {root.as_posix()} ({origin}) does not exist: its texts are not shown" for root in roots if not os.path.lexists(root))
    if not roots:
        warnings = (f"no texts shown: {summary_path} does not record the inputs `extract` read, and none are given (--inputs DIR)",)
    texts = SourceTexts([root for root in roots if os.path.lexists(root)], run_max_bytes(read_summary(outputs_dir)), outputs_dir)
    return texts, warnings


def _shown(path: Path) -> str:
    """An input as the page names it: a folder with its trailing slash."""
    return path.as_posix() + ("/" if path.is_dir() else "")


def load_records(outputs_dir: Path) -> Iterator[dict[str, Any]]:
    """The run's records, in ``records.jsonl`` order (one line per document, errors included)."""
    path = outputs_dir / RECORDS
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file; run `extract-agreements extract ... -o {outputs_dir}` first") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise ReportError(f"{path}:{number}: not JSON ({error})") from None
            if not isinstance(record, dict) or not isinstance(record.get("source"), dict):
                raise ReportError(f"{path}:{number}: not a record (no source)")
            yield record


def read_summary(outputs_dir: Path) -> dict[str, Any]:
    """``run-summary.json``, or ``{}``: the page and the review queue only take the extractor version and the size limit from it."""
    try:
        data = json.loads((outputs_dir / SUMMARY).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def run_max_bytes(summary: dict[str, Any]) -> int:
    """The largest file the run could read (``run-summary.json``'s config): a larger source cannot be the one it read."""
    return summary.get("config", {}).get("max_bytes", DEFAULT_MAX_BYTES)


def diagram_uri(path: Path, required: bool) -> str | None:
    """The PNG as a ``data:`` URI (the page may load nothing else); None when an optional one is absent."""
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ReportError(f"{path}: no such file") from None
        return None
    if not content.startswith(_PNG):
        raise ReportError(f"{path}: not a PNG image")
    return "data:image/png;base64," + base64.b64encode(content).decode("ascii")


class SourceTexts:
    """Each source's reader text, read once and stored once however many records point at it
    (the page and the review queue find texts the same way). A record's source is found as
    ``extract`` named it: by walking the same ``inputs`` the same way (``collect_sources``)."""

    def __init__(self, inputs: Sequence[Path], max_bytes: int, outputs_dir: Path) -> None:
        self.inputs = list(inputs)
        self.max_bytes = max_bytes
        self.outputs_dir = outputs_dir
        self.texts: list[str] = []
        self._files: dict[str, Path] | str | None = None  # source name → file, or why the inputs cannot be walked
        self._read: dict[str, tuple[str, str] | str] = {}  # path → (sha256, text), or why it cannot be read
        self._index: dict[str, int] = {}  # sha256 → position in texts

    def lookup(self, source: dict[str, Any]) -> tuple[int | None, str | None]:
        """``(index into texts, None)`` when the source still reads as the record saw it, else ``(None, why not)``."""
        path = source.get("path")
        if not isinstance(path, str):
            return None, "the record names no source file"
        if path not in self._read:
            self._read[path] = self._load(path)
        found = self._read[path]
        if isinstance(found, str):
            return None, found
        sha256, text = found
        if sha256 != source.get("sha256"):
            return None, "source changed since extraction"
        if sha256 not in self._index:
            self._index[sha256] = len(self.texts)
            self.texts.append(text)
        return self._index[sha256], None

    def text(self, source: dict[str, Any]) -> tuple[str | None, str | None]:
        """``(text, None)`` when the source still reads as the record saw it, else ``(None, why not)``."""
        index, note = self.lookup(source)
        return (None, note) if index is None else (self.texts[index], None)

    def _load(self, path: str) -> tuple[str, str] | str:
        if self._files is None:
            self._files = self._source_files()
        if isinstance(self._files, str):
            return self._files
        if path not in self._files:
            return f"source not found in {', '.join(map(_shown, self.inputs))}" if self.inputs else "source not found: no inputs to read it from"
        try:
            document = read_document(self._files[path], path, self.max_bytes)
        except ReadError as error:
            return f"source cannot be read: {error.message}"
        return document.sha256, document.text

    def _source_files(self) -> dict[str, Path] | str:
        try:
            return {source.name: source.path for source in collect_sources(self.inputs, self.outputs_dir)[0]}
        except BatchError as error:  # names that clash now, after files were added
            return f"the inputs cannot be read as `extract` read them: {error}"


def report_data(
    records: list[dict[str, Any]], texts: SourceTexts, extractor: dict[str, Any] | None = None, grouping: Grouping | None = None
) -> dict[str, Any]:
    """The page's JSON: a summary, the agreement records (with an index into ``texts`` or the
    reason they have no text, ``review``: how many of their cells are under the threshold, and
    what ``grouped`` takes from ``grouping``), the error records, each distinct source text once,
    the organisations of the run (``[name, acronym]``) and the agreements reported by more than one record."""
    grouping = grouping or Grouping()
    shown = {o["canonical_id"]: i for i, o in enumerate(grouping.organizations)}
    several = {a["agreement_id"]: a for a in grouping.agreements if len(a["records"]) > 1}
    agreements: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for record in records:
        source = record["source"]
        if "error" in record:
            error = record["error"]
            errors.append({"path": source.get("path"), "type": error.get("type"), "message": error.get("message")})
            continue
        index, note = texts.lookup(source)
        page_record = {key: value for key, value in record.items() if key not in _DROPPED_KEYS}
        page_record.update(text=index, note=note, review=len(review_queue([record]).cells))
        page_record.update(grouped(record["id"], grouping, shown, several))
        agreements.append(page_record)
        extractor = extractor or record.get("extractor")
    return {
        "summary": _summary(agreements, errors, extractor),
        "records": agreements,
        "errors": errors,
        "texts": texts.texts,
        "organizations": [[o["name"], o["acronym"]] for o in grouping.organizations],
        "agreements": {key: {"records": a["records"], "conflicts": a["conflicts"]} for key, a in several.items()},
    }


def grouped(record_id: str, grouping: Grouping, shown: dict[str, int], several: dict[str, Any]) -> dict[str, Any]:
    """What the page needs of a record's grouping: its parties' organisations (their index in the
    page's ``organizations``), in the order of the parties as readers take them (an analyst's
    list first), and the id of its agreement when other records report it too (else null)."""
    party_ids: list[int] = []
    while (found := grouping.organization_of.get((record_id, "parties", len(party_ids)))) is not None:
        party_ids.append(shown[found])
    agreement = grouping.agreement_of.get(record_id)
    return {"party_ids": party_ids, "agreement": agreement if agreement in several else None}


def _summary(agreements: list[dict[str, Any]], errors: list[dict[str, Any]], extractor: Any) -> dict[str, Any]:
    def date_range(field: str) -> list[str] | None:
        values = sorted(r[field]["value"] for r in agreements if r.get(field))
        return [values[0], values[-1]] if values else None

    return {
        "documents": len(agreements) + len(errors),
        "records": len(agreements),
        "agreements": sum(r.get("agreement_type") is not None for r in agreements),
        "errors": len(errors),
        "warnings": sum(len(r.get("warnings", [])) for r in agreements),
        "signing_dates": date_range("signing_date"),
        "publication_dates": date_range("publication_date"),
        "extractor": extractor,
        "review": review_summary(agreements),
    }


def review_summary(agreements: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``extract-agreements review`` ends with: the cells under the threshold, of the calibrated ones."""
    total = review_queue(agreements).total
    return {"threshold": DEFAULT_THRESHOLD, "below": total.below, "calibrated": total.calibrated, "not_calibrated": total.not_calibrated, "corrected": total.corrected}


def render_html(data: dict[str, Any], title: str) -> str:
    """The page: the template ``report_assets/page.html`` with its styles, scripts and ``data`` inlined.

    Autoescaping covers the title; the inlined code and data are marked safe here, where
    ``script_json`` and ``_script`` make sure they cannot end their element."""
    assets = resources.files("pipeline").joinpath(ASSETS)
    return _templates().get_template("page.html").render(
        title=title,
        style=Markup(assets.joinpath("page.css").read_text("utf-8")),
        data=Markup(script_json(data)),
        scripts=[Markup(_script(assets.joinpath(name).read_text("utf-8"))) for name in SCRIPTS],
    )


@cache
def _templates() -> jinja2.Environment:
    """The page's templates, HTML-escaped unless marked safe; a missing value is an error, not a blank."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", ASSETS),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<`` at all, so neither
    ``</script>`` nor ``<!--`` in a document's text can end or change the element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _script(code: str) -> str:
    """A script's code to inline; a library's source-map comment would make developer tools fetch a file that is not there."""
    if "</script" in code.lower():
        raise ValueError("an inlined script contains '</script'")
    return _SOURCE_MAP.sub("", code)
