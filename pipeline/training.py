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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.decisions import LinearDecision, best, select
from pipeline.evaluate import EvaluationReport, compare_parties, flatten, score
from pipeline.extractor import Extractor
from pipeline.features import FEATURES
from pipeline.resolve import parties_possible

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"
DECISION_DIR = REPOSITORY / "pipeline" / "patterns" / "decisions"
DOCUMENT_SUFFIXES = (".txt", ".md", ".html")
REGULARISATION = 1.0  # scikit-learn's C; the default, not tuned on anything
ACCEPT_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
COMPLETE_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.0)  # 1.0: never complete
NEVER = 1.0


@dataclass(frozen=True)
class LabelledDocument:
    """A document with its gold record; ``key`` is unique across sources."""

    key: str
    path: Path
    gold: dict[str, Any]
    source: str


@dataclass(frozen=True)
class AnalysedDocument:
    """What extraction made of a labelled document: its flat record and, per decided field,
    its scored candidates, each with whether the gold record holds it (its training label)."""

    labelled: LabelledDocument
    record: dict[str, Any]
    candidates: Mapping[str, list[Any]]
    labels: Mapping[str, list[bool]]


@dataclass(frozen=True)
class DecidedField:
    """How training treats one field a learned decision makes: how a candidate is labelled,
    read as the flat record's value, which feature is the hand-written rule's answer, how many
    values the field holds (two parties, one date) and the thresholds tried."""

    name: str
    value: Callable[[Any], Any]
    rule_feature: str
    expected: int
    thresholds: tuple[tuple[float, float], ...]

    def label(self, candidate: Any, gold: dict[str, Any]) -> bool:
        if self.expected == 1:
            return bool(self.value(candidate) == gold.get(self.name))
        return bool(compare_parties([self.value(candidate)], gold.get(self.name) or []).counts.tp)

    def predict(self, decision: LinearDecision, document: AnalysedDocument, probabilities: list[float] | None = None) -> Any:
        """The field's flat value the decision gives the document's candidates."""
        candidates = document.candidates[self.name]
        if probabilities is None:
            probabilities = [decision.probability(c.features) for c in candidates]
        if self.expected == 1:
            chosen = best(probabilities, decision)
            return None if chosen is None else self.value(candidates[chosen])
        if not parties_possible(document.record["agreement_type"]):
            return []
        return [self.value(candidates[i]) for i in select(probabilities, decision)]

    def rules_only(self, document: AnalysedDocument) -> Any:
        """What the hand-written rules alone answer."""
        answered = [self.value(c) for c in document.candidates[self.name] if c.features[self.rule_feature]]
        return answered if self.expected > 1 else next(iter(answered), None)

    def quality(self, predicted: list[Any], documents: list[AnalysedDocument]) -> float:
        """Pooled F1 of a set field, accuracy of a single one."""
        if self.expected == 1:
            return sum(p == d.labelled.gold.get(self.name) for p, d in zip(predicted, documents)) / max(1, len(documents))
        counts = [compare_parties(p, d.labelled.gold.get(self.name) or []).counts for p, d in zip(predicted, documents)]
        tp, fp, fn = (sum(getattr(c, k) for c in counts) for k in ("tp", "fp", "fn"))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


DECIDED_FIELDS = (
    DecidedField(
        "parties",
        lambda c: {"name": c.name, "acronym": c.acronym},
        "rule_party",
        2,
        tuple((a, c) for a in ACCEPT_GRID for c in COMPLETE_GRID if c < a or c == NEVER),
    ),
    DecidedField("signing_date", lambda c: c.value.value, "rule_choice", 1, tuple((a, NEVER) for a in ACCEPT_GRID)),
    DecidedField("signing_place", lambda c: c.value.value, "rule_choice", 1, tuple((a, NEVER) for a in ACCEPT_GRID)),
)


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


def analyse(extractor: Extractor, documents: Iterable[LabelledDocument]) -> list[AnalysedDocument]:
    """Extract every document once, keeping each decided field's candidates."""
    analysed = []
    for labelled in documents:
        record, proposals = extractor.analyse_file(labelled.path)
        candidates = {f.name: proposals[f.name].candidates if f.name in proposals else [] for f in DECIDED_FIELDS}
        labels = {f.name: [f.label(c, labelled.gold) for c in candidates[f.name]] for f in DECIDED_FIELDS}
        analysed.append(AnalysedDocument(labelled, flatten(record.model_dump(mode="json")), candidates, labels))
    return analysed


def _weights(field: DecidedField, documents: list[AnalysedDocument]) -> tuple[dict[str, float], float]:
    from sklearn.linear_model import LogisticRegression

    names = list(FEATURES[field.name])
    rows = [[c.features[n] for n in names] for d in documents for c in d.candidates[field.name]]
    labels = [int(label) for d in documents for label in d.labels[field.name]]
    if len(set(labels)) < 2:
        return dict.fromkeys(names, 0.0), 0.0  # nothing to tell apart: every candidate is as likely
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(rows, labels)
    return {n: round(float(w), 6) for n, w in zip(names, model.coef_[0])}, round(float(model.intercept_[0]), 6)


def fit(field: DecidedField, documents: list[AnalysedDocument]) -> LinearDecision:
    """Weights from every document; thresholds that maximise the field's pooled quality on the
    documents' own leave-one-source-out probabilities (so they are chosen on predictions for
    unseen sources, as they will be used)."""
    sources = sorted({d.labelled.source for d in documents})
    held_out: list[list[float]] = [[] for _ in documents]
    for source in sources if len(sources) > 1 else []:
        inner = _decision(field, *_weights(field, [d for d in documents if d.labelled.source != source]), (0.5, NEVER), {})
        for i, document in enumerate(documents):
            if document.labelled.source == source:
                held_out[i] = [inner.probability(c.features) for c in document.candidates[field.name]]
    weights, bias = _weights(field, documents)

    def quality(thresholds: tuple[float, float]) -> float:
        trial = _decision(field, weights, bias, thresholds, {})
        return field.quality([field.predict(trial, d, p) for d, p in zip(documents, held_out)], documents)

    chosen = max(field.thresholds, key=quality)  # the first of equals: the grids run from lenient to strict
    trained_on = {"documents": len(documents), "candidates": sum(len(d.candidates[field.name]) for d in documents), "sources": sources}
    return _decision(field, weights, bias, chosen, trained_on)


def _decision(field: DecidedField, weights: dict[str, float], bias: float, thresholds: tuple[float, float], trained_on: dict[str, Any]) -> LinearDecision:
    return LinearDecision(field.name, weights, bias, thresholds[0], thresholds[1], field.expected, trained_on)


def _predicted(documents: list[AnalysedDocument], decisions: Mapping[str, LinearDecision]) -> dict[str, dict[str, Any]]:
    """Each document's record with every decided field as the decisions choose it."""
    return {d.labelled.key: {**d.record, **{f.name: f.predict(decisions[f.name], d) for f in DECIDED_FIELDS}} for d in documents}


def cross_validate(documents: list[AnalysedDocument]) -> dict[str, dict[str, Any]]:
    """Each document's record with the values decisions trained without its source chose."""
    predictions: dict[str, dict[str, Any]] = {}
    for source in sorted({d.labelled.source for d in documents}):
        training = [d for d in documents if d.labelled.source != source]
        decisions = {f.name: fit(f, training) for f in DECIDED_FIELDS}
        predictions.update(_predicted([d for d in documents if d.labelled.source == source], decisions))
    return predictions


@dataclass(frozen=True)
class TrainingReport:
    """The decisions trained on everything, and the figures per language: leave-one-source-out
    (pooled), in-sample (the same decisions on the documents they were trained on) and the
    hand-written rules alone."""

    decisions: dict[str, LinearDecision]
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
        for decision in self.decisions.values():
            weights = ", ".join(f"{k} {v:+.2f}" for k, v in sorted(decision.weights.items(), key=lambda kv: -abs(kv[1])))
            lines.append(f"{decision.field}: accept {decision.accept}, complete {decision.complete}; weights: {weights}")
        return "\n".join(lines)


def _figure(field_score: Any) -> str:
    return f"{getattr(field_score, 'f1', getattr(field_score, 'accuracy', 0.0)):.3f}"


def train(documents: list[AnalysedDocument], languages: tuple[str, ...] = ("en", "fr")) -> TrainingReport:
    """Fit on everything, cross-validate, and score both against the gold records."""
    decisions = {f.name: fit(f, documents) for f in DECIDED_FIELDS}
    gold = {d.labelled.key: d.labelled.gold for d in documents}
    rules_only = {d.labelled.key: {**d.record, **{f.name: f.rules_only(d) for f in DECIDED_FIELDS}} for d in documents}

    def by_language(predictions: dict[str, dict[str, Any]]) -> dict[str, EvaluationReport]:
        return {lang: score(predictions, gold, languages={lang}) for lang in languages}

    return TrainingReport(decisions, by_language(cross_validate(documents)), by_language(_predicted(documents, decisions)), by_language(rules_only))


def write_decision(decision: LinearDecision, directory: Path = DECISION_DIR) -> Path:
    """The decision as the data file extraction reads (atomically: a temporary file, then rename)."""
    path = directory / f"{decision.field}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(decision.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
