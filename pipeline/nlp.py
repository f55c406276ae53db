"""Builds the spaCy pipeline once per process and language: the model plus our rule components (agreement phrases, dates, line-based sentence starts).

The rule components only add span groups (``doc.spans[...]``), never touch the model's
entities, so any spaCy pipeline with a parser and NER (the pinned one, the official
``en_core_web_sm``, a path to a trained one) can be plugged in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, SENT_START, SPACY
from spacy.symbols import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline import agreement_phrases, date_ruler
from pipeline.rules import LanguageRules
from pipeline.stages.views import text_of, token_texts

PERSON_SPANS = "prefixed_names"


def name_patterns(prefixes: tuple[str, ...]) -> list[dict]:
    """"Dr Arvid Nergaard", "Professor M Prama Yufdy", "Tan Sri Ahmad Zaki": names the NER
    misses after a prefix of one word or more; from one title-case word on, since the stage
    runs a name on over the words it misses ("Dr. Siale 'Akau'ola")."""
    capitalised = {"IS_TITLE": True, "IS_SENT_START": False}
    optional = {"IS_TITLE": True, "OP": "?"}
    name = [{"TEXT": ".", "OP": "?"}, capitalised, optional, optional, optional, optional]
    one_word = [p for p in prefixes if " " not in p]
    several_words = [[{"LOWER": word} for word in p.split()] for p in prefixes if " " in p]
    return [{"label": "PERSON", "pattern": prefix + name} for prefix in [[{"LOWER": {"IN": one_word}}], *several_words]]


_SHORT_LINE = 70
_SENTENCE_END = frozenset(".!?:;\"”’)")
_WRAP_WIDTH = 40  # a line this long that stops mid-sentence before a lower-case word was wrapped, not ended
# Mid-line, a bracket closes an aside ("... (Strategic Engagement) Professor X signed"), not a sentence.
_MID_LINE_SENTENCE_END = _SENTENCE_END - {")"}


@Language.component("line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a line break that ends a short line or
    a finished sentence: headlines, datelines and list items are not run into the next line.

    The decisions go into one array written back at the end: spaCy's ``Token.is_sent_start``
    setter scans the whole Doc for a parse on every call, quadratic on a long list (a 127 KB
    list of dates took 23 s here)."""
    starts = doc.to_array(SENT_START).astype(numpy.int64)  # 1 starts a sentence, -1 does not, 0 unknown
    words = token_texts(doc)  # the passes test words only: no Token objects
    spaced = doc.to_array(SPACY).tolist()  # a token's trailing whitespace (a line break is a token of its own)
    _break_after_datelines(doc, starts)
    for i in range(1, len(doc) - 1):
        if words[i] in (".", "!", "?") and not spaced[i] and not spaced[i - 1] and words[i + 1][:1].isupper():
            starts[i] = -1  # "électriques.Le": the period ends the first sentence
            starts[i + 1] = 1
    for i in range(1, len(doc)):
        previous = words[i - 1]
        if starts[i] == 1 or previous.isspace() or previous in _MID_LINE_SENTENCE_END:
            continue
        starts[i] = -1  # no sentence starts mid-line after a word, a comma or a dash
    line_start = 0
    text = text_of(doc)
    for i, (word, offset) in enumerate(zip(words[:-1], doc.to_array(IDX).tolist())):
        if "\n" not in word:
            continue
        line = text[line_start:offset]
        line_start = offset + len(word)
        previous = words[i - 1] if word.isspace() and i > 0 else word
        if "\n\n" in word or previous[-1:] in _SENTENCE_END:
            starts[i + 1] = 1
        elif len(line.strip()) <= _SHORT_LINE and not _hard_wrapped(line, words[i + 1]):
            starts[i + 1] = 1
    return doc.from_array([SENT_START], starts.astype(numpy.uint64))  # uint64 is spaCy's array type; -1 wraps and back


def _hard_wrapped(line: str, following: str) -> bool:
    """A line of a source wrapped at a fixed width: long enough, and its sentence goes on in
    lower case on the next line ("... a signé une convention" / "de partenariat avec ...")."""
    return len(line.strip()) >= _WRAP_WIDTH and following[:1].islower()


_COMPOUND_TENSE_AUXILIARIES = frozenset({"aux:tense", "aux:pass"})
_MIN_PARTICIPLE_STEM = 3  # "signant", "créant"; not "tant" of "en tant que", "avant" of "en avant"


@Language.factory("verb_forms", default_config={"gerund_markers": [], "participle_endings": []})
def make_verb_forms(nlp: Language, name: str, gerund_markers: list[str], participle_endings: list[str]) -> Callable[[Doc], Doc]:
    """Verbs the small French tagger misses, made verbs again so signing clauses find them:
    a participle an auxiliary of a compound tense hangs on ("ont paraphé", tagged an
    adjective; the labels are Universal Dependencies' ``aux:tense``/``aux:pass``, which English
    parses do not use) and a gerund ("en signant", tagged a noun and left unlemmatised), its
    lemma given by the model's rule lemmatizer."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    rule_lemmatizer = lemmatizer if getattr(lemmatizer, "mode", None) == "rule" else None
    markers, endings = frozenset(gerund_markers), tuple(participle_endings)

    def gerund(token: Token) -> bool:
        word = token.lower_
        return (
            token.i > 0 and token.doc[token.i - 1].lower_ in markers and token.pos_ in ("NOUN", "ADJ", "PROPN")
            and any(word.endswith(e) and len(word) - len(e) >= _MIN_PARTICIPLE_STEM for e in endings) and word.isalpha()
        )

    def retag(doc: Doc) -> Doc:
        for token in doc:
            if token.pos_ == "ADJ" and any(child.dep_ in _COMPOUND_TENSE_AUXILIARIES for child in token.children):
                token.pos_ = "VERB"
            elif gerund(token):
                token.pos_ = "VERB"
                if rule_lemmatizer is not None:
                    token.lemma_ = rule_lemmatizer.rule_lemmatize(token)[0]
        return doc

    return retag


@Language.factory("ner_label_map", default_config={"mapping": {}})
def make_ner_label_map(nlp: Language, name: str, mapping: dict[str, str]) -> Callable[[Doc], Doc]:
    """Rename entity labels to the English scheme the stages use (French PER → PERSON, LOC → GPE)."""

    def rename(doc: Doc) -> Doc:
        doc.ents = [Span(doc, e.start, e.end, label=mapping.get(e.label_, e.label_)) for e in doc.ents]
        return doc

    return rename


_DATELINE_DASHES = frozenset({"—", "–", "--", "-"})
_DATELINE_TOKENS = 12


def _break_after_datelines(doc: Doc, starts: numpy.ndarray) -> None:
    """"OSLO, 14 March 2024 — Acme and Bolt signed ...": the dateline is not the sentence's subject
    (``starts``: ``line_sentences``' array of sentence starts). A hyphen inside a word
    ("Co-operative", "24-7") ends no dateline."""
    line_first = 0
    for i, word in enumerate(token_texts(doc)):
        if "\n" in word:
            line_first = i + 1
            continue
        if word in _DATELINE_DASHES and i - line_first <= _DATELINE_TOKENS and i + 1 < len(doc) and not joins_a_word(doc[i]):
            prefix = doc[line_first:i]
            if any(t.like_num and len(t.text) == 4 or "/" in t.text for t in prefix) and any(t.text == "," for t in prefix):
                starts[i + 1] = 1


def joins_a_word(hyphen: Token) -> bool:
    """A hyphen with a letter or digit right on both sides ("Co-operative", "24-7"), which the tokenizer split off."""
    doc = hyphen.doc
    if hyphen.text != "-" or not 0 < hyphen.i < len(doc) - 1:
        return False
    before, after = doc[hyphen.i - 1], doc[hyphen.i + 1]
    return not before.whitespace_ and not hyphen.whitespace_ and before.text[-1:].isalnum() and after.text[:1].isalnum()


def load_model(model: str | Path) -> Language:
    """Load an installed spaCy pipeline by package name or path, with a clear error."""
    try:
        return spacy.load(model)
    except OSError as error:
        raise RuntimeError(
            f"spaCy pipeline {str(model)!r} is not installed or not a pipeline folder; "
            "install it (pip install <package>) or pass another name or path"
        ) from error


# Scraped text often loses the space between sentences ("électriques.Le constructeur",
# "Boeing.« A long terme"): split there, so that tokens and sentences come out right.
_GLUED_SENTENCE_END = r"(?<=[a-zà-ÿ0-9»”\"')])[.!?](?=[«“\"A-ZÀ-Ý])"
# The default suffixes split a final period after a lower-case letter or two capitals, not
# after mixed-case acronyms: "signed an MoU." kept "MoU." whole and lost the agreement.
_MIXED_CASE_ACRONYM_END = r"(?<=[a-z][A-Z])\."
# Wire datelines glue words with double dashes and brackets: "Denmark--(BUSINESS WIRE)--Acme".
_WIRE_DASHES = r"--+|(?<=--)\(|\)(?=--)"


def _adapt_tokenizer(nlp: Language) -> None:
    infixes = [_WIRE_DASHES, *nlp.Defaults.infixes, _GLUED_SENTENCE_END]  # first: "2024--Acme" is a wire dash, not a hyphen
    prefixes = [*nlp.Defaults.prefixes, r"[.!?](?=[«“\"A-ZÀ-Ý][a-zà-ÿ])"]
    suffixes = [*nlp.Defaults.suffixes, _MIXED_CASE_ACRONYM_END]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


def build_pipeline(rules: LanguageRules, model: str | Path | None = None) -> Language:
    """The language's model (or ``model``) plus the agreement phrases and the numeric-date and name rulers."""
    return adapt_pipeline(load_model(model or rules.spacy_model), rules)


def copy_pipeline(nlp: Language) -> Language:
    """A copy of ``nlp`` made from its config and weights: adapting it leaves the caller's ``nlp`` as it was."""
    copy = spacy.util.load_model_from_config(nlp.config, auto_fill=False)
    return copy.from_bytes(nlp.to_bytes())


def pipeline_name(nlp: Language) -> str:
    """The package name a pipeline's meta gives (``en_core_web_sm``), for records made with it."""
    return f"{nlp.meta.get('lang', nlp.lang)}_{nlp.meta.get('name', 'pipeline')}"


def adapt_pipeline(nlp: Language, rules: LanguageRules) -> Language:
    """``nlp``, changed in place: the tokenizer adapted to announcements, plus the line-based
    sentence starts, the agreement phrases and the numeric-date and name rulers."""
    _adapt_tokenizer(nlp)
    for abbreviation in rules.honorific_abbreviations:  # "signed by Hon. Kwaku Boateng" is one sentence
        for form in (abbreviation, abbreviation.capitalize()):
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("verb_forms", after=nlp.pipe_names[-1], config={"gerund_markers": list(rules.gerund_markers), "participle_endings": list(rules.participle_endings)})
        nlp.add_pipe("line_sentences", before="parser")
    nlp.add_pipe(agreement_phrases.FACTORY, config={"language": rules.language})
    nlp.add_pipe(date_ruler.FACTORY, config={"language": rules.language})
    if rules.ner_label_map and "ner" in nlp.pipe_names:
        nlp.add_pipe("ner_label_map", after="ner", config={"mapping": rules.ner_label_map})
    names = nlp.add_pipe("span_ruler", name="name_ruler", config={"spans_key": PERSON_SPANS, "overwrite": True})
    names.add_patterns(name_patterns(rules.name_prefixes))
    return nlp
