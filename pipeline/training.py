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
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.confidence import CALIBRATED_FIELDS, RULE_FEATURES, kept_evidence, listed, value_evidence
from pipeline.decisions import Calibration, LinearDecision, best, select
from pipeline.evaluate import CONFIDENCE, EvaluationReport, compare_document, compare_parties, flatten, score
from pipeline.extractor import Extractor
from pipeline.features import FEATURES
from pipeline.features.confidence import CONFIDENCE_FEATURES, ValueEvidence, confidence_features
from pipeline.resolve import parties_possible
from pipeline.stages.contract import Candidate, Context

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPOSITORY.parent / "shared" / "corpus"
DECISION_DIR = REPOSITORY / "pipeline" / "patterns" / "decisions"
CALIBRATION_DIR = REPOSITORY / "pipeline" / "patterns" / "confidence"
DOCUMENT_SUFFIXES = (".txt", ".md", ".html")
REGULARISATION = 1.0  # scikit-learn's C; the default, not tuned on anything
ACCEPT_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
COMPLETE_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.0)  # 1.0: never complete
NEVER = 1.0
RULE_WEIGHT = 10.0  # a decision of the rule alone: P = sigmoid(±5), 0.993 for the rule's answer, 0.007 otherwise


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
    its scored candidates, each with whether the gold record holds it (its training label);
    ``evidence`` is each calibrated field's confidence evidence: per candidate for a decided
    field (before any decision), per value of the record for the others."""

    labelled: LabelledDocument
    record: dict[str, Any]
    candidates: Mapping[str, list[Any]]
    labels: Mapping[str, list[bool]]
    evidence: Mapping[str, list[ValueEvidence]]


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
        return self.read(document, self.chosen(decision, document, probabilities))

    def read(self, document: AnalysedDocument, kept: list[int]) -> Any:
        """The field's flat value made of the candidates at ``kept``."""
        values = [self.value(document.candidates[self.name][i]) for i in kept]
        return values if self.expected > 1 else next(iter(values), None)

    def chosen(self, decision: LinearDecision, document: AnalysedDocument, probabilities: list[float] | None = None) -> list[int]:
        """The indexes of the candidates the decision keeps, in the record's order."""
        if probabilities is None:
            probabilities = [decision.probability(c.features) for c in document.candidates[self.name]]
        if self.expected == 1:
            return [i for i in (best(probabilities, decision),) if i is not None]
        return select(probabilities, decision) if parties_possible(document.record["agreement_type"]) else []

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
        RULE_FEATURES["parties"],
        2,
        tuple((a, c) for a in ACCEPT_GRID for c in COMPLETE_GRID if c < a or c == NEVER),
    ),
    DecidedField("signing_date", lambda c: c.value.value, RULE_FEATURES["signing_date"], 1, tuple((a, NEVER) for a in ACCEPT_GRID)),
    DecidedField("signing_place", lambda c: c.value.value, RULE_FEATURES["signing_place"], 1, tuple((a, NEVER) for a in ACCEPT_GRID)),
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
    """Extract every document once, keeping each decided field's candidates and every
    calibrated field's confidence evidence."""
    analysed = []
    for labelled in documents:
        record, context = extractor.analyse_file(labelled.path)
        proposals = context.proposals if context is not None else {}
        candidates = {f.name: proposals[f.name].candidates if f.name in proposals else [] for f in DECIDED_FIELDS}
        labels = {f.name: [f.label(c, labelled.gold) for c in candidates[f.name]] for f in DECIDED_FIELDS}
        evidence = _evidence(context, candidates) if context is not None else {}
        analysed.append(AnalysedDocument(labelled, flatten(record.model_dump(mode="json")), candidates, labels, evidence))
    return analysed


def _evidence(context: Context, candidates: Mapping[str, list[Any]]) -> dict[str, list[ValueEvidence]]:
    """Confidence evidence of every decided candidate, and of every value the rules decided."""
    values = context.values
    evidence = {name: [value_evidence(context, name, c.value if isinstance(c, Candidate) else c) for c in found] for name, found in candidates.items()}
    for name in CALIBRATED_FIELDS:
        if name not in evidence:
            items = values[name] if isinstance(values[name], list) else [v for v in (values[name],) if v is not None]
            evidence[name] = [listed(value_evidence(context, name, item), rank, len(items)) for rank, item in enumerate(items)]
    return evidence


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
    """Each document's record with every decided field as the decisions choose it (without
    confidences: they belong to the values the shipped decisions chose)."""
    return {d.labelled.key: {**d.record, **{f.name: f.predict(decisions[f.name], d) for f in DECIDED_FIELDS}, CONFIDENCE: {}} for d in documents}


@dataclass(frozen=True)
class ValueRow:
    """One value a decision chose for a source it had not seen: its confidence features,
    whether it is right, and where it comes from (the calibrations' training data)."""

    field: str
    features: dict[str, float]
    right: bool
    source: str
    key: str


def _held_out(document: AnalysedDocument, decisions: Mapping[str, LinearDecision]) -> tuple[dict[str, Any], list[ValueRow]]:
    """A document's record with the values ``decisions`` choose, and those values' confidence
    rows, labelled by the scoring rules (each candidate scored once for both)."""
    prediction = {**document.record, CONFIDENCE: {}}
    evidence = {name: document.evidence.get(name, []) for name in CALIBRATED_FIELDS}
    for field in DECIDED_FIELDS:
        candidates = document.candidates[field.name]
        probabilities = [decisions[field.name].probability(c.features) for c in candidates]
        kept = field.chosen(decisions[field.name], document, probabilities)
        prediction[field.name] = field.read(document, kept)
        evidence[field.name] = kept_evidence(field.name, [evidence[field.name][i] for i in kept], list(kept), candidates, probabilities)
    rights = compare_document(prediction, document.labelled.gold)
    rows = [
        ValueRow(name, confidence_features(e), right, document.labelled.source, document.labelled.key)
        for name in CALIBRATED_FIELDS
        for e, right in zip(evidence[name], rights[name].right)
    ]
    return prediction, rows


Folds = dict[str, dict[str, LinearDecision]]
"""Per source, each decided field's decision trained without that source."""


def fold_decisions(documents: list[AnalysedDocument]) -> Folds:
    """The leave-one-source-out decisions."""
    sources = sorted({d.labelled.source for d in documents})
    return {source: {f.name: fit(f, [d for d in documents if d.labelled.source != source]) for f in DECIDED_FIELDS} for source in sources}


def cross_validate(documents: list[AnalysedDocument], folds: Folds) -> tuple[dict[str, dict[str, Any]], list[ValueRow]]:
    """Each document's record with the values its source's fold decisions chose, and those
    values' confidence rows."""
    predictions: dict[str, dict[str, Any]] = {}
    rows: list[ValueRow] = []
    for source, decisions in folds.items():
        for document in (d for d in documents if d.labelled.source == source):
            predictions[document.labelled.key], document_rows = _held_out(document, decisions)
            rows += document_rows
    return predictions, rows


def rule_alone(field: DecidedField, why: str) -> LinearDecision:
    """A decision that keeps exactly what the hand-written rule answers."""
    weights = {name: RULE_WEIGHT if name == field.rule_feature else 0.0 for name in FEATURES[field.name]}
    return LinearDecision(field.name, weights, -RULE_WEIGHT / 2, 0.5, NEVER, field.expected, {"bootstrap": why})


def shipped_decisions(documents: list[AnalysedDocument], folds: Folds) -> dict[str, LinearDecision]:
    """Per decided field, the decision trained on every document if its pooled
    leave-one-source-out figure is at least the rule's alone; else the rule alone (a learned
    decision that does no better on unseen sources is not worth its surprises)."""
    keyed = {d.labelled.key: d for d in documents}
    by_source = {source: [d for d in documents if d.labelled.source == source] for source in folds}
    shipped = {}
    for field in DECIDED_FIELDS:
        held_out = [(d, field.predict(folds[source][field.name], d)) for source, docs in by_source.items() for d in docs]
        learned = field.quality([p for _, p in held_out], [d for d, _ in held_out])
        rules = field.quality([field.rules_only(keyed[d.labelled.key]) for d, _ in held_out], [d for d, _ in held_out])
        why = f"the hand-written rule alone: trained weights measured {learned:.3f} leave-one-source-out, the rule {rules:.3f}"
        shipped[field.name] = fit(field, documents) if learned >= rules else rule_alone(field, why)
    return shipped


def fit_calibration(field: str, rows: list[ValueRow]) -> Calibration:
    """A logistic regression of whether a value is right on its confidence features."""
    from sklearn.linear_model import LogisticRegression

    names = list(CONFIDENCE_FEATURES)
    mine = [r for r in rows if r.field == field]
    labels = [int(r.right) for r in mine]
    trained_on = {"values": len(mine), "sources": sorted({r.source for r in mine})}
    if len(set(labels)) < 2:  # all right or all wrong: the share is the probability
        share = sum(labels) / len(labels) if labels else 0.5
        return Calibration(field, dict.fromkeys(names, 0.0), round(math.log(max(share, 1e-3) / max(1 - share, 1e-3)), 6), trained_on)
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit([[r.features[n] for n in names] for r in mine], labels)
    return Calibration(field, {n: round(float(w), 6) for n, w in zip(names, model.coef_[0])}, round(float(model.intercept_[0]), 6), trained_on)


def calibrated_confidences(rows: list[ValueRow]) -> dict[str, dict[str, list[float]]]:
    """Per document and field, its values' confidences from calibrations fitted without its
    source (nested in leave-one-source-out: never fitted on the values they then score)."""
    scored: dict[str, dict[str, list[float]]] = {}
    for source in sorted({r.source for r in rows}):
        calibrations = {name: fit_calibration(name, [r for r in rows if r.source != source]) for name in CALIBRATED_FIELDS}
        for row in (r for r in rows if r.source == source):
            scored.setdefault(row.key, {}).setdefault(row.field, []).append(calibrations[row.field].probability(row.features))
    return scored


@dataclass(frozen=True)
class TrainingReport:
    """The decisions trained on everything, and the figures per language: leave-one-source-out
    (pooled), in-sample (the same decisions on the documents they were trained on) and the
    hand-written rules alone."""

    decisions: dict[str, LinearDecision]
    calibrations: dict[str, Calibration]
    pooled: EvaluationReport
    """Leave-one-source-out over every language together (the calibration's headline figures)."""
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
        for language, report in [*self.cross_validated.items(), ("all languages", self.pooled)]:
            lines += [f"{language}: calibration of the confidences, leave-one-source-out", report.format_calibration(), ""]
        for decision in self.decisions.values():
            weights = ", ".join(f"{k} {v:+.2f}" for k, v in sorted(decision.weights.items(), key=lambda kv: -abs(kv[1])))
            lines.append(f"{decision.field}: accept {decision.accept}, complete {decision.complete}; weights: {weights}")
        return "\n".join(lines)


def _figure(field_score: Any) -> str:
    return f"{getattr(field_score, 'f1', getattr(field_score, 'accuracy', 0.0)):.3f}"


def train(documents: list[AnalysedDocument], languages: tuple[str, ...] = ("en", "fr")) -> TrainingReport:
    """Fit on everything, cross-validate, and score both against the gold records."""
    gold = {d.labelled.key: d.labelled.gold for d in documents}
    rules_only = {d.labelled.key: {**d.record, **{f.name: f.rules_only(d) for f in DECIDED_FIELDS}, CONFIDENCE: {}} for d in documents}
    folds = fold_decisions(documents)
    decisions = shipped_decisions(documents, folds)
    # A field shipped as the rule alone is the rule alone in every fold too: the confidences
    # are calibrated on the decision that will choose the values.
    folds = {source: {name: d if "bootstrap" not in decisions[name].trained_on else decisions[name] for name, d in fold.items()} for source, fold in folds.items()}
    cross_validated, rows = cross_validate(documents, folds)
    for key, scored in calibrated_confidences(rows).items():
        cross_validated[key][CONFIDENCE] = scored
    calibrations = {name: fit_calibration(name, rows) for name in CALIBRATED_FIELDS}

    def by_language(predictions: dict[str, dict[str, Any]]) -> dict[str, EvaluationReport]:
        return {lang: score(predictions, gold, languages={lang}) for lang in languages}

    return TrainingReport(decisions, calibrations, score(cross_validated, gold), by_language(cross_validated), by_language(_predicted(documents, decisions)), by_language(rules_only))


def write_decision(decision: LinearDecision | Calibration, directory: Path | None = None) -> Path:
    """A decision or a calibration as the data file extraction reads (atomically: a temporary
    file, then rename), by default in the folder extraction reads it from."""
    folder = directory or (DECISION_DIR if isinstance(decision, LinearDecision) else CALIBRATION_DIR)
    path = folder / f"{decision.field}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(decision.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path
