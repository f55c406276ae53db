"""Training the learned decisions, and measuring them leave-one-source-out (docs/architecture.md).

Labelled documents come from three places, each document tagged with its *source* (the
publisher's repository, or the set it was written in): ``samples/`` (one source), the batches
in ``benchmarks/announcements/`` (a written set is one source; a batch of real announcements
with a ``sources.jsonl`` gives one source per repository), and, when present beside
the repository, the development corpus ``../shared/corpus`` (one source per repository of
``sources.jsonl``; its holdout is never read). Leave-one-source-out trains on every source but
one, predicts that one, and pools the predictions: the figure that stands for a publisher
nobody tuned on. scikit-learn is needed here only (the ``train`` extra), never to extract."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.decisions import LinearDecision, select
from pipeline.evaluate import EvaluationReport, compare_parties, flatten, score
from pipeline.extractor import Extractor
from pipeline.features import PARTY_FEATURES
from pipeline.resolve import parties_possible
from pipeline.stages.parties import PartyCandidate

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"
DECISION_FILE = REPOSITORY / "pipeline" / "patterns" / "decisions" / "parties.json"
DOCUMENT_SUFFIXES = (".txt", ".md", ".html")
REGULARISATION = 1.0  # scikit-learn's C; the default, not tuned on anything
ACCEPT_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
COMPLETE_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.0)  # 1.0: never complete
EXPECTED_PARTIES = 2


@dataclass(frozen=True)
class LabelledDocument:
    """A document with its gold record; ``key`` is unique across sources."""

    key: str
    path: Path
    gold: dict[str, Any]
    source: str


@dataclass(frozen=True)
class AnalysedDocument:
    """What extraction made of a labelled document: its flat record and its scored party
    candidates, each with whether it is a gold party (its training label)."""

    labelled: LabelledDocument
    record: dict[str, Any]
    candidates: list[PartyCandidate]
    labels: list[bool]


def _document_beside(gold: Path, folder: Path, stem: str) -> Path | None:
    return next((folder / f"{stem}{suffix}" for suffix in DOCUMENT_SUFFIXES if (folder / f"{stem}{suffix}").is_file()), None)


def _repositories(sources: Path) -> dict[str, str]:
    """Document id → the repository it came from, for a batch that lists them."""
    if not sources.is_file():
        return {}
    rows = (json.loads(line) for line in sources.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: row["repo"] for row in rows if row.get("repo")}


def labelled_documents(repository: Path = REPOSITORY, corpus: Path | None = DEFAULT_CORPUS) -> list[LabelledDocument]:
    """Every labelled document of the samples, the written sets and (if present) the corpus."""
    found: list[LabelledDocument] = []

    def add(source: str, name: str, document: Path | None, gold: Path) -> None:
        if document is not None:
            found.append(LabelledDocument(name, document, json.loads(gold.read_text(encoding="utf-8")), source))

    for gold in sorted((repository / "samples").glob("*.expected.json")):
        stem = gold.name.removesuffix(".expected.json")
        add("samples", f"samples/{stem}", _document_beside(gold, gold.parent, stem), gold)
    for batch in sorted(p for p in (repository / "benchmarks" / "announcements").iterdir() if (p / "gold").is_dir()):
        repos = _repositories(batch / "sources.jsonl")  # real announcements: one source per repository
        for gold in sorted((batch / "gold").glob("*.json")):
            add(repos.get(gold.stem, f"written/{batch.name}"), f"{batch.name}/{gold.stem}", _document_beside(gold, batch / "docs", gold.stem), gold)
    if corpus is not None and (corpus / "sources.jsonl").is_file():
        for line in (corpus / "sources.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            gold = corpus / "gold" / f"{row['id']}.json"
            if row.get("split") == "dev" and gold.is_file():
                add(row.get("repo") or row["id"], f"corpus/{row['id']}", corpus / row["file"], gold)
    return found


def _party_labels(candidates: list[PartyCandidate], gold: dict[str, Any]) -> list[bool]:
    """A candidate is a party when the scoring rules match it to a gold party."""
    expected = gold.get("parties") or []
    return [bool(compare_parties([_as_party(c)], expected).counts.tp) for c in candidates]


def _as_party(candidate: PartyCandidate) -> dict[str, Any]:
    return {"name": candidate.name, "acronym": candidate.acronym}


def analyse(extractor: Extractor, documents: Iterable[LabelledDocument]) -> list[AnalysedDocument]:
    """Extract every document once, keeping its party candidates."""
    analysed = []
    for labelled in documents:
        record, candidates = extractor.analyse_file(labelled.path)
        analysed.append(AnalysedDocument(labelled, flatten(record.model_dump(mode="json")), candidates, _party_labels(candidates, labelled.gold)))
    return analysed


def _matrix(documents: list[AnalysedDocument]) -> tuple[list[list[float]], list[int]]:
    names = list(PARTY_FEATURES)
    rows = [[c.features[n] for n in names] for d in documents for c in d.candidates]
    return rows, [int(label) for d in documents for label in d.labels]


def _weights(documents: list[AnalysedDocument]) -> tuple[dict[str, float], float]:
    from sklearn.linear_model import LogisticRegression

    rows, labels = _matrix(documents)
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(rows, labels)
    return {n: round(float(w), 6) for n, w in zip(PARTY_FEATURES, model.coef_[0])}, round(float(model.intercept_[0]), 6)


def _chosen(decision: LinearDecision, document: AnalysedDocument, probabilities: list[float] | None = None) -> list[dict[str, Any]]:
    if not parties_possible(document.record["agreement_type"]):
        return []
    if probabilities is None:
        probabilities = [decision.probability(c.features) for c in document.candidates]
    return [_as_party(document.candidates[i]) for i in select(probabilities, decision)]


def fit(documents: list[AnalysedDocument]) -> LinearDecision:
    """Weights from every document; thresholds that maximise the pooled party F1 of the
    documents' own leave-one-source-out probabilities (so they are chosen on predictions
    for unseen sources, as they will be used)."""
    sources = sorted({d.labelled.source for d in documents})
    held_out: list[list[float]] = [[] for _ in documents]
    for source in sources if len(sources) > 1 else []:
        inner = _decision(*_weights([d for d in documents if d.labelled.source != source]), 0.5, 1.0, {})
        for i, document in enumerate(documents):
            if document.labelled.source == source:
                held_out[i] = [inner.probability(c.features) for c in document.candidates]
    weights, bias = _weights(documents)
    best = (-1.0, 0.5, 1.0)
    for accept in ACCEPT_GRID:
        for complete in (c for c in COMPLETE_GRID if c < accept or c == 1.0):
            trial = _decision(weights, bias, accept, complete, {})
            counts = [compare_parties(_chosen(trial, d, p), d.labelled.gold.get("parties") or []).counts for d, p in zip(documents, held_out)]
            tp, fp, fn = (sum(getattr(c, k) for c in counts) for k in ("tp", "fp", "fn"))
            best = max(best, (2 * tp / (2 * tp + fp + fn) if tp else 0.0, accept, complete), key=lambda b: b[0])
    trained_on = {"documents": len(documents), "candidates": sum(len(d.candidates) for d in documents), "sources": sources}
    return _decision(weights, bias, best[1], best[2], trained_on)


def _decision(weights: dict[str, float], bias: float, accept: float, complete: float, trained_on: dict[str, Any]) -> LinearDecision:
    return LinearDecision("parties", weights, bias, accept, complete, EXPECTED_PARTIES, trained_on)


def cross_validate(documents: list[AnalysedDocument]) -> dict[str, dict[str, Any]]:
    """Each document's record with the parties a decision trained without its source chose."""
    predictions: dict[str, dict[str, Any]] = {}
    for source in sorted({d.labelled.source for d in documents}):
        decision = fit([d for d in documents if d.labelled.source != source])
        for document in (d for d in documents if d.labelled.source == source):
            predictions[document.labelled.key] = {**document.record, "parties": _chosen(decision, document)}
    return predictions


@dataclass(frozen=True)
class TrainingReport:
    """The decision trained on everything, and the figures per language: leave-one-source-out
    (pooled) and in-sample (the same decision on the documents it was trained on)."""

    decision: LinearDecision
    cross_validated: dict[str, EvaluationReport]
    in_sample: dict[str, EvaluationReport]
    rules_only: dict[str, EvaluationReport]

    def format(self) -> str:
        lines = []
        for language in self.cross_validated:
            header = f"{'field':<18}{'rules only':>12}{'in-sample':>12}{'leave-one-source-out':>22}"
            n = len(self.cross_validated[language].documents)
            lines += [f"{language}: {n} documents", header]
            for field in self.cross_validated[language].fields:
                cells = [_figure(r.fields[field]) for r in (self.rules_only[language], self.in_sample[language], self.cross_validated[language])]
                lines.append(f"{field:<18}{cells[0]:>12}{cells[1]:>12}{cells[2]:>22}")
            lines.append("")
        return "\n".join(lines)


def _figure(field_score: Any) -> str:
    return f"{getattr(field_score, 'f1', getattr(field_score, 'accuracy', 0.0)):.3f}"


def train(documents: list[AnalysedDocument], languages: tuple[str, ...] = ("en", "fr")) -> TrainingReport:
    """Fit on everything, cross-validate, and score both against the gold records."""
    decision = fit(documents)
    gold = {d.labelled.key: d.labelled.gold for d in documents}
    in_sample = {d.labelled.key: {**d.record, "parties": _chosen(decision, d)} for d in documents}
    rules_only = {d.labelled.key: {**d.record, "parties": [_as_party(c) for c in d.candidates if c.features["rule_party"]]} for d in documents}
    cross = cross_validate(documents)

    def by_language(predictions: dict[str, dict[str, Any]]) -> dict[str, EvaluationReport]:
        return {lang: score(predictions, gold, languages={lang}) for lang in languages}

    return TrainingReport(decision, by_language(cross), by_language(in_sample), by_language(rules_only))


def write_decision(decision: LinearDecision, path: Path = DECISION_FILE) -> None:
    """The decision as the data file extraction reads (atomically: a temporary file, then rename)."""
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(decision.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
