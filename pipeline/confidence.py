"""Calibrated confidence on every value (docs/architecture.md, "Confidence").

After the resolve step, each value of a calibrated field gets its :class:`ValueEvidence` (where
its mentions sit, what it says of itself, and for a decided field the probability its learned
decision gave it and the best one it did not keep); the field's shipped :class:`Calibration`
turns the evidence's features into the probability that the value is right. Training
(``pipeline.training``) builds the same evidence for the values it chooses leave-one-source-out
and fits the calibrations on them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.decisions import load_calibration
from pipeline.features.confidence import ValueEvidence, confidence_features
from pipeline.layout import LAYOUT_BOILERPLATE, LAYOUT_HEADLINE, LAYOUT_LEAD, LAYOUT_QUOTES, in_layout
from pipeline.rules import LanguageRules
from pipeline.stages.contract import Candidate, Context
from pipeline.stages.views import text_of

CALIBRATED_FIELDS = ("agreement_type", "signing_date", "publication_date", "signing_place", "parties", "people", "themes")
"""The fields whose values the annotation guide scores, so whose confidence can be calibrated.
Organisations and people's roles have no gold yet: their confidence stays ``null``."""
RULE_FEATURES = {"parties": "rule_party", "signing_date": "rule_choice", "signing_place": "rule_choice"}
"""Each decided field's feature that holds the hand-written rule's answer."""
DECIDED_FIELDS = frozenset(RULE_FEATURES)
SINGLE_DECIDED_FIELDS = ("signing_date", "signing_place")
"""The fields of one value a learned decision chooses: the record shows their runner-ups."""
_DIGITS = 3  # confidences as the record writes them: steady bytes, no false precision
_JOINER_CHARS = 4  # "für", "von", "pour": a preposition a model of another language may not tag as one
ALTERNATIVES = 2
"""Runner-up values a single decided field shows a reviewer ..."""
ALTERNATIVE_FLOOR = 0.05
"""... if the decision gave them this much: a value it all but ruled out only distracts."""


def value_evidence(context: Context, field: str, value: Any) -> ValueEvidence:
    """What the text and the value say of one value of ``field``, before any decision."""
    doc, document = context.doc, context.document
    char_spans = [tuple(s) for s in value.spans] if hasattr(value, "spans") else [(value.start, value.end)]
    parts = [p for s, e in char_spans if e > s and (p := doc.char_span(s, e, alignment_mode="expand")) is not None and len(p)]
    return ValueEvidence(
        french=document.language == "fr",
        in_headline=any(in_layout(p, LAYOUT_HEADLINE) for p in parts),
        in_lead=any(in_layout(p, LAYOUT_LEAD) for p in parts),
        in_quote=any(in_layout(p, LAYOUT_QUOTES) for p in parts),
        in_boilerplate=any(in_layout(p, LAYOUT_BOILERPLATE) for p in parts),
        from_metadata=bool(char_spans) and all(s < document.body_start for s, _ in char_spans),
        mentions=len(char_spans),
        words=len(_words(value).split()),
        flags=_flags(field, value) | (name_flags(doc, context.rules, parts, name) if (name := getattr(value, "name", None)) else frozenset()),
    )


def _decided(evidence: ValueEvidence, field: str, features: dict[str, float], probability: float, runner_up: float, rank: int, count: int) -> ValueEvidence:
    """The evidence of a value a learned decision kept (``features``: the candidate's own):
    its probability, the best one not kept, and whether the hand-written rule named it too."""
    flags = evidence.flags | {"rule_agrees"} if features.get(RULE_FEATURES[field]) else evidence.flags
    return replace(evidence, probability=probability, runner_up=runner_up, rank=rank, count=count, flags=flags, decided=features)


def kept_evidence(field: str, evidence: list[ValueEvidence], kept: list[int | None], candidates: list[Any], probabilities: list[float]) -> list[ValueEvidence]:
    """The evidence of a decided field's values, in the record's order: ``evidence[k]`` is the
    k-th value's before the decision, ``kept[k]`` the index of its candidate (``None``: a value
    the resolve step made, like the dateline's place), ``probabilities`` every candidate's.
    Extraction and training both build it here, so the calibrations see what extraction sees."""
    found = {i for i in kept if i is not None}
    runner_up = max((p for i, p in enumerate(probabilities) if i not in found), default=0.0)
    return [
        listed(e, rank, len(kept)) if i is None else _decided(e, field, candidates[i].features, probabilities[i], runner_up, rank, len(kept))
        for rank, (e, i) in enumerate(zip(evidence, kept))
    ]


def listed(evidence: ValueEvidence, rank: int, count: int) -> ValueEvidence:
    """The evidence of the ``rank``-th of a field's ``count`` values."""
    return replace(evidence, rank=rank, count=count)


def confidences(context: Context, values: dict[str, Any]) -> dict[str, list[float | None]]:
    """For every calibrated field, each of its values' confidence (a single field: one entry
    when it has a value); ``None`` for a field not calibrated yet."""
    scores: dict[str, list[float | None]] = {}
    for field in CALIBRATED_FIELDS:
        items = values[field] if isinstance(values[field], list) else [v for v in (values[field],) if v is not None]
        calibration = load_calibration(field)
        if calibration is None:
            scores[field] = [None] * len(items)
            continue
        evidence = [value_evidence(context, field, item) for item in items]
        if field in DECIDED_FIELDS:
            evidence = _with_decision(context, field, items, evidence)
        else:
            evidence = [listed(e, rank, len(items)) for rank, e in enumerate(evidence)]
        scores[field] = [round(calibration.probability(confidence_features(e)), _DIGITS) for e in evidence]
    return scores


def _with_decision(context: Context, field: str, items: list[Any], evidence: list[ValueEvidence]) -> list[ValueEvidence]:
    """Each kept value's decision probability, its candidate found by its characters."""
    candidates = context.proposals[field].candidates
    index = {_characters(c.value if isinstance(c, Candidate) else c): i for i, c in enumerate(candidates)}
    kept = [index.get(_characters(item)) for item in items]
    return kept_evidence(field, evidence, kept, candidates, [c.probability for c in candidates])


def _characters(value: Any) -> tuple[tuple[int, int], ...]:
    """A value's identity among its field's candidates: the characters it was read from."""
    return tuple(tuple(s) for s in value.spans) if hasattr(value, "spans") else ((value.start, value.end),)


def _words(value: Any) -> str:
    for attribute in ("name", "text"):
        if isinstance(getattr(value, attribute, None), str):
            return getattr(value, attribute)
    return str(getattr(value, "value", ""))


def _flags(field: str, value: Any) -> frozenset[str]:
    """What a value says of itself (``pipeline.features.confidence.FLAGS``)."""
    flags = {
        "other_kind": field == "agreement_type" and value.value == "other",
        "relative_date": bool(getattr(value, "relative", False)),
        "day_precision": getattr(value, "precision", None) == "day",
        "year_precision": getattr(value, "precision", None) == "year",
        "has_acronym": bool(getattr(value, "acronym", None)),
        "has_title": bool(getattr(value, "title", None)),
        "has_affiliation": bool(getattr(value, "affiliation", None)),
        **{f"role_{role}": getattr(value, "role", None) == role for role in ("signatory", "quoted", "contact")},
    }
    return frozenset(name for name, on in flags.items() if on)


def name_flags(doc: Doc, rules: LanguageRules, parts: list[Span], name: str) -> frozenset[str]:
    """What a name's words and the words beside its mentions say of where it starts and ends
    (``pipeline.features.confidence.FLAGS``)."""
    words = name.split()
    flags = {
        "lowercase_start": name[:1].islower(),
        "function_word_end": bool(words) and doc.vocab[words[-1].lower()].is_stop,
        "name_continues": any(name_continues(rules, p) for p in parts),
    }
    return frozenset(flag for flag, on in flags.items() if on)


def name_continues(rules: LanguageRules, mention: Span) -> bool:
    """The text goes on naming right after ``mention`` (a capitalised word that is no title or
    legal suffix; a preposition, comma or bracket before a capitalised word that is no acronym)
    or right before it (a capitalised word that does not start its sentence and is no title),
    on the same line."""
    doc, titles = mention.doc, rules.title_words | rules.person_honorifics

    def named(token: Token) -> bool:
        return token.is_alpha and token.text[:1].isupper() and token.lower_ not in titles

    def on_line(start: int, end: int) -> bool:
        return "\n" not in text_of(doc)[start:end]

    after = doc[mention.end : mention.end + 2]
    if len(after) and named(after[0]) and after[0].lower_ not in rules.legal_suffixes and on_line(mention.end_char, after[0].idx):
        return True
    joined = len(after) == 2 and (_joins(after[0]) or (after[0].text == "(" and not after[1].is_upper))
    if joined and named(after[1]) and on_line(mention.end_char, after[1].idx):
        return True
    before = doc[mention.start - 1] if mention.start > mention.sent.start else None
    return before is not None and named(before) and before.pos_ != "DET" and on_line(before.idx, mention.start_char)


def _joins(token: Token) -> bool:
    """A word that can join two parts of one name: a comma, an apostrophe, a preposition or
    another short lower-case word that is no conjunction or verb ("of", "für", "'")."""
    short = token.is_lower and token.is_alpha and len(token) <= _JOINER_CHARS and token.pos_ not in ("CCONJ", "VERB", "AUX")
    return token.text in (",", "'", "’") or token.pos_ == "ADP" or short


def alternatives(context: Context, field: str, chosen: Any, text: str) -> list[dict[str, Any]]:
    """The next values the decision of a single field ranked (other values than the chosen
    one, the most probable first), as the record quotes them, for a reviewer to pick from."""
    ranked = sorted(context.proposals[field].candidates, key=lambda c: -c.probability)
    taken = {chosen.value} if chosen is not None else set()
    found = []
    for candidate in ranked:
        if candidate.value.value not in taken and len(found) < ALTERNATIVES and candidate.probability >= ALTERNATIVE_FLOOR:
            taken.add(candidate.value.value)
            start, end = candidate.value.start, candidate.value.end
            found.append({"value": candidate.value.value, "text": text[start:end], "span": (start, end)})
    return found
