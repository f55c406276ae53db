"""Organisations: names, acronyms and the grouping of their mentions.

"Chinese Academy of Sciences (CAS)" defines an acronym anywhere in the text; "CAS" and
"the Chinese Academy of Sciences" are then one organisation, and so are "ITI", "ITI Ltd."
and "ITI Limited" (legal suffixes do not tell organisations apart).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from pipeline.nlp import AGREEMENT_SPANS, PERSON_SPANS
from pipeline.rules import LanguageRules

_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z&.\-/ ]{1,24}$")
_NAME_JOINERS = frozenset({"of", "for", "and", "&", "de", "du", "des", "la", "le", "the", "on", "in"})
ORG_LABELS = ("ORG",)


def name_key(name: str, rules: LanguageRules) -> str:
    """What two names of the same organisation share: no case, accents, punctuation,
    leading article or legal suffix."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[’']s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    while words and words[0] in ("the", "l", "la", "le", "les"):
        words.pop(0)
    while len(words) > 1 and words[-1] in {s.strip(".") for s in rules.legal_suffixes}:
        words.pop()
    return " ".join(words)


def strip_article(span: Span) -> Span:
    """"the University of Auckland" → "University of Auckland"."""
    start = span.start
    while start < span.end - 1 and span.doc[start].pos_ == "DET":
        start += 1
    while start < span.end - 1 and span.doc[start].is_space:
        start += 1
    end = span.end
    while end > start + 1 and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space or span.doc[end - 1].lower_ in ("’s", "'s")):
        end -= 1
    return span.doc[start:end]


@dataclass
class OrgGroup:
    """All the mentions of one organisation."""

    name: str
    acronym: str | None = None
    spans: set[tuple[int, int]] = field(default_factory=set)


def acronym_definitions(doc: Doc, rules: LanguageRules) -> dict[str, Span]:
    """``"CAS" → span of "Chinese Academy of Sciences"`` for every "Full Name (ACR)" in the text."""
    found: dict[str, Span] = {}
    for token in doc:
        if token.text != "(" or token.i == 0:
            continue
        close = next((t for t in doc[token.i + 1 : token.i + 6] if t.text == ")"), None)
        if close is None:
            continue
        inner = doc[token.i + 1 : close.i]
        if not _ACRONYM.match(inner.text) or len(inner.text.split()) > 3:
            continue
        full = _name_before(doc, token.i)
        if full is not None and not agreement_named(full) and name_key(full.text, rules) != name_key(inner.text, rules):
            found.setdefault(inner.text, full)
    return found


def _name_before(doc: Doc, paren: int) -> Span | None:
    """The proper name that ends right before the parenthesis: an ORG entity, else capitalised words."""
    for ent in doc.ents:
        if ent.end == paren and ent.label_ in ("ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"):
            return strip_article(ent)
    start = paren
    while start > 0:
        previous = doc[start - 1]
        if previous.is_title or previous.is_upper or previous.text[:1].isupper():
            start -= 1
        elif previous.lower_ in _NAME_JOINERS and start - 1 > 0 and doc[start - 2].text[:1].isupper() and not _ends_a_name(previous, doc[start - 2]):
            start -= 1
        else:
            break
    while start < paren and doc[start].lower_ in _NAME_JOINERS:
        start += 1
    return doc[start:paren] if paren - start >= 2 else None


def _ends_a_name(joiner: Token, before: Token) -> bool:
    """"Lincoln University and Universiti Putra Malaysia (UPM)": the "and" coordinates two
    names (the word before it heads a phrase) rather than two modifiers ("Agriculture and Forestry")."""
    return joiner.lower_ in ("and", "&") and before.dep_ not in ("compound", "amod", "nmod")


def _is_prefixed_name(span: Span) -> bool:
    """NER calls "Dr Lukas Brandstätter" an organisation now and then; the name ruler knows better."""
    return any(p.start <= span.start < p.end for p in span.doc.spans.get(PERSON_SPANS, []))


def agreement_named(span: Span) -> bool:
    """The span overlaps an agreement phrase ("Memorandum of Understanding (MOU)")."""
    return any(a.start < span.end and span.start < a.end for a in span.doc.spans.get(AGREEMENT_SPANS, []))


class OrgIndex:
    """Groups organisation mentions by name key, acronym and legal-suffix variants."""

    def __init__(self, doc: Doc, rules: LanguageRules, start_char: int = 0) -> None:
        self.doc = doc
        self.rules = rules
        self.acronyms = acronym_definitions(doc, rules)
        self.full_by_acronym_key = {name_key(a, rules): strip_article(s) for a, s in self.acronyms.items()}
        self.entities = [
            span for span in (strip_article(e) for e in doc.ents if e.label_ in ORG_LABELS and e.start_char >= start_char)
            if "\n" not in span.text and any(c.isupper() for c in span.text) and not _is_prefixed_name(span)
        ]

    def canonical(self, span: Span) -> tuple[str, str | None]:
        """The fullest name used for the organisation ``span`` names, and its acronym."""
        key = name_key(span.text, self.rules)
        full = self.full_by_acronym_key.get(key)
        if full is not None:
            return self._fullest(full), span.text if span.text in self.acronyms else self._acronym_of(full)
        fullest = self._fullest(span)
        return fullest, self._acronym_of_name(fullest)

    def _fullest(self, span: Span) -> str:
        """The longest organisation entity with the same key, or extending a one-word name."""
        key = name_key(span.text, self.rules)
        best = span.text
        for entity in self.entities:
            entity_key = name_key(entity.text, self.rules)
            same = entity_key == key
            extends = entity_key.startswith(key + " ") and (len(span) == 1 or entity_key.startswith(key + " of ")) and entity.start != span.start
            if (same or extends) and len(entity.text) > len(best):
                best = entity.text
        return self._with_legal_suffix(best)

    def _with_legal_suffix(self, name: str) -> str:
        """"ITI" → "ITI Limited" when the text uses that form: the fullest name used."""
        suffixes = "|".join(re.escape(s) for s in sorted(self.rules.legal_suffixes, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w){re.escape(name)},? (?:{suffixes})(?!\w)", re.IGNORECASE)
        forms = [m.group(0) for m in pattern.finditer(self.doc.text) if m.group(0)[:1].isupper()]
        return max(forms, key=len, default=name)

    def _acronym_of(self, full: Span) -> str | None:
        return self._acronym_of_name(full.text)

    def _acronym_of_name(self, name: str) -> str | None:
        key = name_key(name, self.rules)
        for acronym, full in self.acronyms.items():
            if name_key(full.text, self.rules) == key:
                return acronym
        return None

    def mention_spans(self, name: str, acronym: str | None, start_char: int) -> list[tuple[int, int]]:
        """Every occurrence of the name or the acronym from ``start_char`` on."""
        spans: list[tuple[int, int]] = []
        for needle in filter(None, (name, acronym)):
            pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
            spans.extend(m.span() for m in pattern.finditer(self.doc.text, start_char))
        return sorted(set(spans))
