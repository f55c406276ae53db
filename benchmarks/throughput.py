"""Throughput, memory and cold start of the extractor against bare spaCy, in one run.

    .venv/bin/python benchmarks/throughput.py [--docs 1000] [--rounds 3] [--scale] [--variants]

The corpus is the English announcements of ``samples/`` and ``../shared/corpus/docs`` (never the
holdout), copied round-robin into a temporary folder until it holds ``--docs`` files. Then:

- bare: the spaCy model as installed (``spacy.load``, none of our rule components) running
  ``nlp.pipe`` over the texts the extractor parses (read and markup-masked beforehand, not
  timed); the ratio's reference. Beside it, the extractor's own ``nlp`` (the model plus the rule
  components of ``pipeline/nlp.py``), to show what parsing costs inside the extractor. Before
  2026-12-06 the reference was that second pipeline, which counted our components as spaCy's
  (0.72 then; 0.66-0.68 against the model alone at the end of that day's work);
- extractor, 1 and 2 processes: ``run_batch`` into a temporary folder with the command line's
  defaults, so reading, language detection, parsing, stages, validation and writing are all
  timed, and so is starting the workers (spawn + model load): under the default time limit even
  one process is a worker, as in ``extract-agreements extract --jobs 1``;
- cold start: a fresh interpreter importing the package, loading the model and extracting one record.

Each measurement runs in its own subprocess, so its peak RSS (``ru_maxrss`` of the process, and
of its pool workers) is its own. The measurements run ``--rounds`` times, interleaved (bare,
pipeline, extractor 1 and 2 processes, cold start, then again), and each keeps its fastest
round: on a shared machine a slow spell then does not fall on one side of a ratio only. ``--scale`` repeats the 2-process run on ten times the documents
to see whether memory stays flat; ``--variants`` measures the choices DESIGN.md asks about
(NumpyOps without BLIS, batch size 128, NER alone, which components the stages need).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.extractor import DEFAULT_BATCH_SIZE

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "samples", ROOT.parent / "shared" / "corpus" / "docs")
SUFFIXES = (".txt", ".md", ".html")
TARGETS = {"extractor-1 / bare": 0.75, "extractor-2 / extractor-1": 1.6}
MAX_RSS_MB, MAX_COLD_START_S = 500, 3.0
COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
"""The model's components the stages might do without; each is switched off in turn by ``--variants``."""


def english_sources() -> list[Path]:
    """The announcements in English (by the project's own language detection)."""
    from pipeline.language import detect_language
    from pipeline.readers import read_document

    found = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            if path.suffix in SUFFIXES and detect_language(read_document(path).text)[0] == "en":
                found.append(path)
    return found


def build_corpus(folder: Path, count: int) -> None:
    sources = english_sources()
    folder.mkdir(parents=True)
    for i in range(count):
        source = sources[i % len(sources)]
        shutil.copyfile(source, folder / f"doc-{i:05d}{source.suffix}")


def texts_of(corpus: Path) -> list[str]:
    """What the extractor hands spaCy: each document's text with its markup masked."""
    from pipeline.markup import mask_markup
    from pipeline.readers import read_document

    return [mask_markup(read_document(path).text) for path in sorted(corpus.iterdir())]


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of the largest of its finished children (pool workers)."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"rss_self_mb": self_kb / 1024, "rss_children_mb": children_kb / 1024}


def set_ops(ops: str) -> None:
    if ops == "numpy":
        from thinc.api import NumpyOps, set_current_ops

        set_current_ops(NumpyOps(use_blis=False))


# --------------------------------------------------------------------------- phases (subprocesses)


def phase_bare(corpus: Path, batch_size: int, ops: str, what: str) -> dict[str, Any]:
    """``nlp.pipe`` alone; ``what``: ``model`` (the spaCy model as installed, no rule component of
    ours: bare spaCy), ``pipeline`` (the extractor's: the model plus its rule components) or
    ``ner`` (the model's NER alone). The digest of the annotations checks that variants change nothing."""
    from pipeline import Extractor
    from pipeline.nlp import load_model
    from pipeline.rules import load_rules

    set_ops(ops)
    nlp = Extractor(language="en").nlp if what == "pipeline" else load_model(load_rules("en").spacy_model)
    texts = texts_of(corpus)
    disabled = [name for name in nlp.pipe_names if what == "ner" and name != "ner"]
    entities, tokens = hashlib.sha256(), hashlib.sha256()
    started = time.perf_counter()
    with nlp.select_pipes(disable=disabled):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            entities.update(repr([(e.start_char, e.end_char, e.label_) for e in doc.ents]).encode())
            tokens.update(repr([(t.tag_, t.dep_, t.head.i, t.lemma_, t.is_sent_start) for t in doc]).encode())
    return {"seconds": time.perf_counter() - started, "entities": entities.hexdigest(), "digest": tokens.hexdigest()}


def phase_extract(corpus: Path, jobs: int, ops: str, batch_size: int) -> dict[str, Any]:
    from pipeline import ExtractorConfig
    from pipeline.batch import run_batch

    set_ops(ops)
    in_this_process = {} if ops == "default" else {"timeout_s": None}  # a worker would not have these ops
    config = ExtractorConfig(batch_size=batch_size, **in_this_process)
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = run_batch([corpus], Path(out), config, jobs=jobs, progress=False)
        seconds = time.perf_counter() - started
        digest = hashlib.sha256((Path(out) / "records.jsonl").read_bytes()).hexdigest()
    return {"seconds": seconds, "documents": summary.documents, "errors": summary.errors, "digest": digest}


def phase_component(corpus: Path, name: str) -> dict[str, Any]:
    """How many records of the distinct documents change when the component is switched off."""
    from pipeline import Extractor

    extractor = Extractor(language="en", timeout_s=None)
    paths = sorted(corpus.iterdir())[: len(english_sources())]

    def records() -> list[dict[str, Any]]:
        return [record.model_dump(mode="json") for record in extractor.extract_files(paths)]

    full = records()
    with extractor.nlp.select_pipes(disable=[name]):
        return {"documents": len(full), "changed": sum(a != b for a, b in zip(full, records()))}


COLD_START = """
import time
started = time.perf_counter()
from pipeline import Extractor
record = Extractor().extract_text("PARIS, 5 April 2018 — Inria and CNRS signed a memorandum of understanding.")
print(time.perf_counter() - started)
"""


def phase_cold() -> dict[str, Any]:
    started = time.perf_counter()
    inside = float(subprocess.run([sys.executable, "-c", COLD_START], check=True, capture_output=True, text=True, cwd=ROOT).stdout)
    return {"seconds": time.perf_counter() - started, "in_process_seconds": inside}


# --------------------------------------------------------------------------- driver


def measure(*args: str) -> dict[str, Any]:
    """One phase in a fresh subprocess of this script; its JSON result with its peak RSS."""
    result = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise RuntimeError(f"phase {' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def run_phase(argv: list[str]) -> None:
    name, *rest = argv
    phases = {
        "bare": lambda: phase_bare(Path(rest[0]), int(rest[1]), rest[2], rest[3]),
        "extract": lambda: phase_extract(Path(rest[0]), int(rest[1]), rest[2], int(rest[3])),
        "component": lambda: phase_component(Path(rest[0]), rest[1]),
        "cold": phase_cold,
    }
    result = phases[name]()
    print(json.dumps({**result, **peak_rss_mb()}))


def rate(result: dict[str, Any], docs: int, words: int) -> str:
    seconds = result["seconds"]
    return f"{seconds:7.1f} s  {docs / seconds:7.1f} docs/s  {words / seconds:8.0f} words/s"


def rss(result: dict[str, Any]) -> str:
    children = f", workers {result['rss_children_mb']:.0f} MB" if result["rss_children_mb"] > 1 else ""
    return f"peak RSS {result['rss_self_mb']:.0f} MB{children}"


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["entities"], a["digest"]) == (b["entities"], b["digest"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000, help="documents in the corpus (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds, the fastest of each kept (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="nlp.pipe batch size, bare and extractor (default: %(default)s)")
    parser.add_argument("--scale", action="store_true", help="also run 2 processes on ten times --docs, to compare memory")
    parser.add_argument("--variants", action="store_true", help="also measure NumpyOps, batch size 128, NER alone, components")
    parser.add_argument("--phase", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase)
        return

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        build_corpus(corpus, args.docs)
        words = sum(len(text.split()) for text in texts_of(corpus))
        docs, size = args.docs, str(args.batch_size)
        print(f"{docs} documents ({len(english_sources())} distinct, English), {words} words")
        rounds = [
            {
                "bare": measure("bare", str(corpus), size, "default", "model"),
                "rules": measure("bare", str(corpus), size, "default", "pipeline"),
                "one": measure("extract", str(corpus), "1", "default", size),
                "two": measure("extract", str(corpus), "2", "default", size),
                "cold": measure("cold"),
            }
            for _ in range(args.rounds)
        ]
        bare, rules, one, two, cold = (min((r[name] for r in rounds), key=lambda result: result["seconds"]) for name in ("bare", "rules", "one", "two", "cold"))
        if args.rounds > 1:
            print("rounds (s): " + "; ".join(", ".join(f"{name} {r[name]['seconds']:.1f}" for name in r) for r in rounds))
        print(f"bare spaCy nlp.pipe     {rate(bare, docs, words)}  {rss(bare)}  (the model as installed)")
        print(f"  + our rule components {rate(rules, docs, words)}  {rss(rules)}  (the extractor's nlp: parsing, no stage)")
        print(f"extractor, 1 process    {rate(one, docs, words)}  {rss(one)}  ({one['errors']} error records)")
        print(f"extractor, 2 processes  {rate(two, docs, words)}  {rss(two)}  (pool start-up included)")
        print(f"cold start              {cold['seconds']:7.2f} s  (import + model load + first record: {cold['in_process_seconds']:.2f} s)")
        ratios = {"extractor-1 / bare": bare["seconds"] / one["seconds"], "extractor-2 / extractor-1": one["seconds"] / two["seconds"]}
        print(f"parsing with rule components / extractor-1: {rules['seconds'] / one['seconds']:.2f}  (the rest: reading, stages, writing, start-up)")
        for name, value in ratios.items():
            print(f"{name:26} {value:5.2f}  (target ≥ {TARGETS[name]})  {'ok' if value >= TARGETS[name] else 'MISSED'}")
        peak = max(one["rss_self_mb"], two["rss_self_mb"], two["rss_children_mb"])
        print(f"peak RSS per process      {peak:5.0f} MB (target ≤ {MAX_RSS_MB})  {'ok' if peak <= MAX_RSS_MB else 'MISSED'}")
        print(f"cold start                {cold['seconds']:5.2f} s (target ≤ {MAX_COLD_START_S})  {'ok' if cold['seconds'] <= MAX_COLD_START_S else 'MISSED'}")
        print(f"outputs equal, 1 vs 2 processes: {one['digest'] == two['digest']}")

        if args.variants:
            print("variants (bare nlp.pipe unless said):")
            numpy = measure("bare", str(corpus), size, "numpy", "model")
            print(f"  NumpyOps(use_blis=False)     {rate(numpy, docs, words)}  {rss(numpy)}  same annotations: {same(numpy, bare)}")
            large = measure("bare", str(corpus), "128", "default", "model")
            print(f"  batch size 128               {rate(large, docs, words)}  {rss(large)}  same annotations: {same(large, bare)}")
            ner = measure("bare", str(corpus), size, "default", "ner")  # the model's NER alone
            print(f"  NER alone                    {rate(ner, docs, words)}  {rss(ner)}  same entities: {ner['entities'] == bare['entities']}")
            one_numpy = measure("extract", str(corpus), "1", "numpy", size)
            print(f"  extractor 1 proc., NumpyOps  {rate(one_numpy, docs, words)}  {rss(one_numpy)}  same records: {one_numpy['digest'] == one['digest']}")
            for name in COMPONENTS:
                try:
                    found = measure("component", str(corpus), name)
                    print(f"  without {name}: {found['changed']} of {found['documents']} records change")
                except RuntimeError as error:
                    print(f"  without {name}: the extraction fails ({str(error).splitlines()[0]})")

        if args.scale:
            big = Path(tmp) / "corpus-scale"
            build_corpus(big, docs * 10)
            scaled = measure("extract", str(big), "2", "default", size)
            print(f"extractor, 2 processes, {docs * 10} documents  {rate(scaled, docs * 10, words * 10)}  {rss(scaled)}")
            print(f"  peak RSS {docs} → {docs * 10} documents: parent {two['rss_self_mb']:.0f} → {scaled['rss_self_mb']:.0f} MB, "
                  f"workers {two['rss_children_mb']:.0f} → {scaled['rss_children_mb']:.0f} MB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
