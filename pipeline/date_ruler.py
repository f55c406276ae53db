"""Dates by token patterns, the statistical NER's blind spots (docs/architecture.md, parse).

A rule component (match, then set ``doc.spans["rule_dates"]``) whose patterns are data built
from the language's month, weekday and relative-day words. The matcher runs only in windows
around the tokens a date must hold (a word starting with a digit, a month or weekday name, the
first word of a relative day: ``pipeline.windows``): its regular expressions and word sets are
Python calls per token, which over a whole Doc cost about 3 ms an announcement.
"""

from __future__ import annotations

from spacy.attrs import LOWER, SHAPE
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.rules import LanguageRules, load_rules
from pipeline.windows import any_anchor_reach, head_windows

DATE_SPANS = "rule_dates"
FACTORY = "date_ruler"
LABEL = "DATE"

_DAY = {"TEXT": {"REGEX": r"^\d{1,2}(st|nd|rd|th|er|e)?$"}}
_YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)\d{2}$"}}
_NUMBER = {"TEXT": {"REGEX": r"^\d{1,2}$"}}
_COMMA = {"TEXT": ",", "OP": "?"}


def date_patterns(rules: LanguageRules) -> list[list[dict]]:
    """Dates the statistical NER often misses or mislabels ("03/04/2022" as PERSON,
    "28 Jun 2017" as nothing; the French model has no DATE label at all): numeric and ISO
    dates (day and month first with "/", "." or "-"), day/month/year in either order, weekdays with a date, and relative days."""
    month = {"LOWER": {"IN": list(rules.month_names)}}
    weekday = {"LOWER": {"IN": list(rules.weekday_names)}}
    relative = [[{"LOWER": word} for word in phrase.split()] for phrase in rules.relative_day_words]
    return [
        *relative,
        [weekday, _COMMA, _DAY, month, _COMMA, _YEAR],
        [weekday, _COMMA, _DAY, month],
        [weekday, _COMMA, month, _DAY, _COMMA, _YEAR],
        [{"TEXT": {"REGEX": r"^\d{1,2}[/.]\d{1,2}[/.](\d{2}|\d{4})$"}}],
        [{"TEXT": {"REGEX": r"^\d{4}/\d{1,2}/\d{1,2}$"}}],
        [_YEAR, {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d{2}$"}}, {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d{2}"}}],
        [_NUMBER, {"TEXT": "-"}, _NUMBER, {"TEXT": "-"}, _YEAR],  # "19-12-2023"
        [_DAY, month, _COMMA, _YEAR],
        [_DAY, month],
        [month, _DAY, _COMMA, _YEAR],
        [month, _DAY],
        [month, _YEAR],
    ]


def anchor_words(rules: LanguageRules) -> frozenset[str]:
    """The words (lower case) that anchor a date without a digit: every pattern holds a word
    starting with a digit or one of these."""
    return frozenset([*rules.month_names, *rules.weekday_names, *(phrase.split()[0] for phrase in rules.relative_day_words)])


class DateRuler:
    """The component: every date pattern's match, as ``DATE`` spans in ``doc.spans["rule_dates"]``
    (sorted, each once; what a SpanRuler with these patterns gives)."""

    def __init__(self, nlp: Language, rules: LanguageRules) -> None:
        patterns = date_patterns(rules)
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add(LABEL, patterns)
        self.reach = any_anchor_reach(patterns)
        self.anchors = frozenset(nlp.vocab.strings.add(word) for word in anchor_words(rules))
        self.strings = nlp.vocab.strings
        self._digit_first: dict[int, bool] = {}

    def __call__(self, doc: Doc) -> Doc:
        anchors = [i for i, (lower, shape) in enumerate(doc.to_array([LOWER, SHAPE]).tolist()) if lower in self.anchors or self._starts_with_digit(shape)]
        found = {
            (start + window_start, end + window_start)
            for window_start, window_end in head_windows(anchors, self.reach, len(doc))
            for _, start, end in self.matcher(doc[window_start:window_end])
            if start != end
        }
        doc.spans[DATE_SPANS] = [Span(doc, start, end, label=LABEL) for start, end in sorted(found)]
        return doc

    def _starts_with_digit(self, shape: int) -> bool:
        """A word's shape starts with "d" when its first character is a digit (letters are "x" or "X")."""
        if shape not in self._digit_first:
            self._digit_first[shape] = self.strings[shape].startswith("d")
        return self._digit_first[shape]


@Language.factory(FACTORY, default_config={"language": "en"})
def make_date_ruler(nlp: Language, name: str, language: str) -> DateRuler:
    """The date patterns of ``language``'s rules."""
    return DateRuler(nlp, load_rules(language))
