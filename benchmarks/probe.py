"""The reliability probe of issue 13, re-runnable: hostile inputs and a mixed English/French batch
through the real command line, counting what a user would lose.

    .venv/bin/python benchmarks/probe.py [--jobs 2] [--timeout 20] [--wall 900] [--mixed 400]

Two runs, each ``extract-agreements extract`` in its own subprocess:

- hostile: every generator of ``tests/hostile.py`` (the inputs that once broke the pipeline, at the
  sizes the first probe measured) beside a few ordinary announcements, with ``--jobs`` workers;
- mixed: ``--mixed`` announcements, English and French in turn, copied from ``samples/`` and
  ``benchmarks/announcements`` (never the holdout), with ``--jobs 1`` and then ``--jobs 2``, whose
  peak RSS is the figure the README quotes for mixed batches, and whose ``records.jsonl`` must be
  the same bytes.

For each run it prints: inputs tried, exit status, a crash (a traceback, or a status that is not
0, 1 or 2), a hang (still running after ``--wall`` seconds), leaked processes (any process still
alive afterwards that carries the run's marker in its environment), files lost (inputs with
neither a record nor an error record in ``records.jsonl``), each error record's file, type and message, wall time and
the peak RSS of the run's largest process (``/usr/bin/time``'s, when there is one).
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import hostile  # noqa: E402  (the generators the reliability tests replay)

ORDINARY = ROOT / "samples"
MIXED_SOURCES = (ROOT / "samples", ROOT / "benchmarks" / "announcements")
SUFFIXES = (".txt", ".md", ".html")
MARKER = "EXTRACT_AGREEMENTS_PROBE"
"""Environment variable set for the probed run: its workers inherit it, so survivors can be found."""


def hostile_folder(folder: Path) -> int:
    """Write every hostile generator's file and the ordinary samples into ``folder``; how many inputs."""
    for name, generate in inspect.getmembers(hostile, inspect.isfunction):
        parameters = list(inspect.signature(generate).parameters)
        if not name.startswith("_") and parameters[:1] == ["folder"]:
            generate(folder)
    for sample in ORDINARY.iterdir():
        if sample.suffix in SUFFIXES:
            shutil.copy(sample, folder / f"ordinary-{sample.name}")
    return sum(1 for _ in folder.iterdir())


def mixed_folder(folder: Path, count: int) -> int:
    """``count`` announcements, English and French alternating, copied round-robin."""
    from pipeline.extractor import Extractor

    extractor = Extractor()
    files = [p for source in MIXED_SOURCES for p in sorted(source.rglob("*")) if p.suffix in SUFFIXES]
    by_language: dict[str, list[Path]] = {}
    for path in files:
        record = extractor.language_of(_document(path))[0]
        by_language.setdefault(record, []).append(path)
    english, french = by_language.get("en", []), by_language.get("fr", [])
    for i in range(count):
        pool = french if i % 2 and french else english
        source = pool[(i // 2) % len(pool)]
        shutil.copy(source, folder / f"{i:05d}-{source.name}")
    return count


def _document(path: Path) -> Any:
    from pipeline.readers import read_document

    return read_document(path, path.name, 5_000_000)


def probe(inputs: Path, output: Path, jobs: int, timeout: float, wall: float) -> dict[str, Any]:
    """Run the command once on ``inputs`` and count what was lost."""
    marker = uuid.uuid4().hex
    command = [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(output), "--jobs", str(jobs), "--timeout", str(timeout), "-q"]
    peak_file = output.parent / f"{output.name}.peak-rss"
    command = ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), *command] if Path("/usr/bin/time").is_file() else command
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, MARKER: marker}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate(timeout=wall)
        hung = False
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        hung = True
    seconds = time.monotonic() - started
    time.sleep(2)  # workers told to stop get a moment before they count as leaked
    tried = sorted(p.name for p in inputs.iterdir())
    records = [json.loads(line) for line in (output / "records.jsonl").read_text("utf-8").splitlines()] if (output / "records.jsonl").is_file() else []
    accounted = {Path(r["source"]["path"]).name for r in records}  # error records name their source too
    return {
        "inputs tried": len(tried),
        "exit status": process.returncode,
        "crash": "Traceback" in stderr or process.returncode not in (0, 1, 2),
        "hang": hung,
        "leaked processes": len(_survivors(marker)),
        "files lost": len(set(tried) - accounted),
        "error records": {f'{r["source"]["path"]}: {r["error"]["type"]}': r["error"]["message"][:160] for r in records if "error" in r},
        "seconds": round(seconds, 1),
        "peak RSS MB (largest process)": int(peak_file.read_text().split()[-1]) // 1024 if peak_file.is_file() else None,
    }


def _survivors(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environment = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"{MARKER}={marker}".encode() in environment:
                found.append(int(entry.name))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="workers for the hostile run (default: 2)")
    parser.add_argument("--timeout", type=float, default=20.0, help="per-document limit, seconds (default: 20)")
    parser.add_argument("--wall", type=float, default=900.0, help="a run still going after this many seconds hangs (default: 900)")
    parser.add_argument("--mixed", type=int, default=400, help="documents in the mixed English/French run (default: 400)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="probe-") as scratch:
        base = Path(scratch)
        (base / "hostile").mkdir()
        (base / "mixed").mkdir()
        hostile_folder(base / "hostile")
        print("hostile", json.dumps(probe(base / "hostile", base / "out-hostile", args.jobs, args.timeout, args.wall)))
        mixed_folder(base / "mixed", args.mixed)
        for jobs in (1, 2):
            print(f"mixed --jobs {jobs}", json.dumps(probe(base / "mixed", base / f"out-mixed-{jobs}", jobs, args.timeout, args.wall)))
        same = (base / "out-mixed-1" / "records.jsonl").read_bytes() == (base / "out-mixed-2" / "records.jsonl").read_bytes()
        print("mixed records.jsonl identical with --jobs 1 and 2:", same)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
