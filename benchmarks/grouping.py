"""How well, and how fast, records are grouped across documents (``pipeline/grouping.py``).

    .venv/bin/python benchmarks/grouping.py score [--output DIR] [--regroup]
    .venv/bin/python benchmarks/grouping.py scale [--records 100000]
    .venv/bin/python benchmarks/grouping.py network [--output DIR]

``score`` extracts ``INPUTS`` with ``run_batch`` into ``--output`` (a rerun only redoes what
changed), then scores the run's ``organizations.jsonl`` and ``agreements.jsonl`` against
``grouping/gold.json`` (``grouping/README.md``): pairwise precision and recall of the
organisations (pairs of distinct names put in one organisation) and of the agreements (pairs of
records put in one agreement). The world is closed: a pair the gold does not list is a wrong
merge, so every merge the grouping makes is either in the gold or counted against it.

``scale`` builds a batch of ``--records`` records (pairs of parties drawn from a pool of made-up
organisations, each signing reported by one to three sources, names spelt with and without
accents, articles and legal suffixes) and times ``group_records`` over it, so that what the
README states about 100,000 records can be checked.

``network`` extracts the paired announcements (``grouping/docs``) and saves the review page's
network, in headless Chromium as the report tests drive it, as ``docs/network-before.png`` (an
organisation per spelling and an agreement per record, as the page was before grouping) and
``docs/network-after.png`` (the run's grouping).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

from models import AgreementRecord
from pipeline.batch import AGREEMENTS, ORGANIZATIONS, run_batch
from pipeline.export import load_run
from pipeline.extractor import ExtractorConfig
from pipeline.grouping import Grouping, group_records, group_run, write_groups
from pipeline.report import render_html, report_data, run_texts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"
INPUTS = (CORPUS, ROOT / "samples", *sorted((ROOT / "benchmarks" / "announcements").glob("*/docs")), ROOT / "benchmarks" / "grouping" / "docs")
"""Every announcement the project has, in the order that names their records as ``gold.json`` does."""
PAIRED = ROOT / "benchmarks" / "grouping" / "docs"
GOLD = ROOT / "benchmarks" / "grouping" / "gold.json"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TARGETS = {"precision": 0.98, "recall": 0.85}


# --------------------------------------------------------------------------- score


def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Every unordered pair of distinct members of the same group."""
    return {pair for group in groups for pair in combinations(sorted(set(group)), 2)}


def precision_recall(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> tuple[float, float]:
    """Pairwise precision and recall (1.0 where there is nothing to be wrong about)."""
    right = len(predicted & gold)
    return (right / len(predicted) if predicted else 1.0), (right / len(gold) if gold else 1.0)


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def score(output: Path, regroup: bool) -> int:
    """Extract the inputs into ``output`` (``regroup``: only group its records again) and print
    both groupings' figures; 1 under a target."""
    if not CORPUS.is_dir():
        print(f"{CORPUS} is missing: the gold names its records", file=sys.stderr)
        return 2
    if regroup:
        write_groups(output)
    else:
        print(run_batch(list(INPUTS), output, ExtractorConfig(), progress=False).line(), file=sys.stderr)
    gold = json.loads(GOLD.read_text("utf-8"))
    organizations, agreements = read_lines(output / ORGANIZATIONS), read_lines(output / AGREEMENTS)
    seen = {name for o in organizations for name in o["names"]}
    records = {record for a in agreements for record in a["records"]}
    missing = sorted({r for group in gold["agreements"] for r in group} - records)
    if missing:
        print(f"gold records the run does not report as agreements: {', '.join(missing)}", file=sys.stderr)
    results = {
        "organizations": (pairs(o["names"] for o in organizations), pairs([n for n in group if n in seen] for group in gold["organizations"])),
        "agreements": (pairs(a["records"] for a in agreements), pairs(gold["agreements"])),
    }
    failed = False
    for name, (predicted, expected) in results.items():
        precision, recall = precision_recall(predicted, expected)
        failed |= precision < TARGETS["precision"] or recall < TARGETS["recall"]
        print(f"{name}: precision {precision:.3f} ({len(predicted & expected)}/{len(predicted)} pairs), recall {recall:.3f} ({len(predicted & expected)}/{len(expected)})")
        for label, shown in (("wrong merge", predicted - expected), ("missed", expected - predicted)):
            for a, b in sorted(shown):
                print(f"  {label}: {a} | {b}")
    return 1 if failed else 0


# --------------------------------------------------------------------------- scale

WORDS = ("Alder", "Brook", "Cedar", "Dorn", "Elm", "Fenwick", "Garron", "Hollin", "Ivers", "Juniper", "Kestrel", "Lark", "Merrow", "Nettle", "Orrin", "Pell")
KINDS = ("University of {}", "{} Institute of Technology", "{} Energie GmbH", "Société {} S.A.", "{} Health Trust", "City of {}", "{} Robotics Ltd", "Région {}")
TYPES = ("memorandum_of_understanding", "cooperation_agreement", "framework_agreement", "partnership_agreement")


def spelling(name: str, rng: random.Random) -> str:
    """One of the ways a release may write ``name``: as is, upper case, with "the", without accents or suffix."""
    variants = (name, name.upper(), f"the {name}", name.replace("é", "e"), name.removesuffix(" GmbH").removesuffix(" S.A.").removesuffix(" Ltd"))
    return rng.choice(variants)


def quoted(value: str, at: int = 0) -> dict[str, Any]:
    return {"value": value, "text": value, "span": [at, at + len(value)]}


def organization(name: str) -> dict[str, Any]:
    return {"name": name, "acronym": None, "spans": [[0, len(name)]]}


def synthetic_records(count: int, seed: int = 0) -> list[AgreementRecord]:
    """``count`` records reporting signings between made-up organisations, one to three sources each."""
    rng = random.Random(seed)
    names = [kind.format(a + b.lower()) for kind in KINDS for a in WORDS for b in WORDS]
    records: list[AgreementRecord] = []
    while len(records) < count:
        parties = rng.sample(names, 2)
        signed = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        kind = rng.choice(TYPES)
        for source in range(min(rng.randint(1, 3), count - len(records))):
            published = signed + timedelta(days=rng.randint(0, 5))
            records.append(
                AgreementRecord.model_validate(
                    {
                        "id": f"news/{len(records):06d}-{source}.md",
                        "source": {"path": f"news/{len(records):06d}-{source}.md"},
                        "agreement_type": {**quoted(kind), "text": kind.replace("_", " ")},
                        "signing_date": {**quoted(signed.isoformat()), "precision": "day"},
                        "publication_date": {**quoted(published.isoformat()), "precision": "day"},
                        "parties": [organization(spelling(name, rng)) for name in parties],
                        "extractor": {"version": "benchmark", "spacy_model": None},
                    }
                )
            )
    return records


def scale(count: int) -> int:
    records = synthetic_records(count)
    started = time.perf_counter()
    grouping = group_records(records)
    seconds = time.perf_counter() - started
    print(
        f"{count:,} records -> {len(grouping.organizations):,} organisations, {len(grouping.agreements):,} agreements "
        f"in {seconds:.1f} s ({count / seconds:,.0f} records/s)"
    )
    return 0


# --------------------------------------------------------------------------- network


def as_recorded(records: list[dict[str, Any]]) -> Grouping:
    """The page's network before grouping: an organisation per distinct party name, an agreement per record."""
    organizations: dict[str, dict[str, Any]] = {}
    organization_of: dict[tuple[str, str, int], str] = {}
    for record in records:
        for position, item in enumerate(record.get("parties", [])):
            organizations.setdefault(item["name"], {"canonical_id": item["name"], "name": item["name"], "acronym": item.get("acronym")})
            organization_of[(record["id"], "parties", position)] = item["name"]
    return Grouping(organizations=list(organizations.values()), organization_of=organization_of)


def network(output: Path) -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("no `chromium` executable (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    run = output / "paired"
    print(run_batch([PAIRED], run, ExtractorConfig(), progress=False).line(), file=sys.stderr)
    records = list(load_run(run))
    texts, _ = run_texts(run, None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, grouping in (("before", as_recorded(records)), ("after", group_run(run, records))):
            page_file = run / f"report-{name}.html"
            data = report_data(records, texts, None, grouping)
            data["summary"].update(outputs_dir=run.as_posix(), inputs=[PAIRED.as_posix()], diagram=None)  # as build_report adds them
            page_file.write_text(render_html(data, title=f"Network {name} grouping"), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(page_file.as_uri())
            page.wait_for_selector("#network-graph canvas")
            page.wait_for_timeout(1500)
            page.locator("#network").screenshot(path=str(ROOT / "docs" / f"network-{name}.png"))
            print(f"docs/network-{name}.png: {page.inner_text('#network-hint')}")
        browser.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    scoring = commands.add_parser("score", help="extract every announcement and score both groupings against the gold")
    scoring.add_argument("--output", type=Path, default=Path(tempfile.gettempdir()) / "agreement-grouping-benchmark")
    scoring.add_argument("--regroup", action="store_true", help="do not extract: group the records already in --output again")
    scaling = commands.add_parser("scale", help="time the grouping of a generated batch")
    scaling.add_argument("--records", type=int, default=100_000)
    drawing = commands.add_parser("network", help="save the review page's network before and after grouping (docs/network-*.png)")
    drawing.add_argument("--output", type=Path, default=Path(tempfile.gettempdir()) / "agreement-grouping-benchmark")
    args = parser.parse_args()
    if args.command == "scale":
        return scale(args.records)
    return score(args.output, args.regroup) if args.command == "score" else network(args.output)


if __name__ == "__main__":
    sys.exit(main())
