"""Date mentions, shared by the publication and signing date stages, following the date
rules (README, "The record").

spaCy finds the date spans (NER ``DATE``/``TIME`` entities plus the numeric-date ruler);
dateparser normalises each span on its own, anchored on the publication date, and its
``period`` gives the precision. Durations ("five years"), decades and week-long spans are
not points in time and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader
from spacy.tokens import Doc, Span

from models import RecordWarning
from pipeline.document import Document
from pipeline.date_ruler import DATE_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages.views import entities, longest_spans

_AMBIGUOUS_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_TIMESTAMP = re.compile(r"\d{9,10}|\d{12,13}")  # Unix seconds or milliseconds, 1973 to 2286
_EARLIEST_TIMESTAMP = datetime(1990, 1, 1, tzinfo=timezone.utc)
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DECADE = re.compile(r"\d0s\b|\d0's\b")
_EDGE_PUNCT = " \t\n:;,.–—-*_|()[]"
HEAD_REGION_CHARS = 700
"""The top of the body, where a dateline and the locale's cues are."""
@dataclass(frozen=True)
class DateMention:
    """A date found in the text and what it means."""

    text: str
    start: int
    end: int
    value: str
    precision: str
    first_day: date
    relative: bool
    ambiguous_order: bool = False

    def record(self, text: str) -> dict[str, Any] | None:
        """The record's date; a date without characters (the caller's anchor) is not one."""
        if self.end <= self.start:
            return None
        return {"value": self.value, "precision": self.precision, "text": text[self.start : self.end], "span": (self.start, self.end)}


_DATEPARSER_LANGUAGES = frozenset(default_loader.get_locale_map())


_ABSOLUTE_PARSERS = ["timestamp", "custom-formats", "absolute-time"]
"""dateparser's parsers without "relative-time" ("3 days ago"), for a date that writes its year:
that parser cannot read it and costs most of the time of a failed attempt."""


@lru_cache(maxsize=64)
def _parser(language: str, order: str, anchor: date | None, direction: str = "past", absolute: bool = False) -> DateDataParser:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": direction, "DATE_ORDER": order, "PREFER_DAY_OF_MONTH": "first"}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day)
    if absolute:
        settings["PARSERS"] = _ABSOLUTE_PARSERS
    return DateDataParser(languages=[language], settings=settings)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` so that it does not begin or end with punctuation or spaces."""
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


def _is_point_in_time(words: list[str], rules: LanguageRules) -> bool:
    if any(w in rules.duration_units for w in words):
        return any(w in rules.duration_exceptions for w in words)
    return True


def normalise(
    text: str, start: int, end: int, rules: LanguageRules, anchor: date | None, order: str, future: bool = False
) -> DateMention | None:
    """One date span → a ``DateMention`` at its real precision, or ``None`` if it is no date.
    A date without its year ("on April 7", "on Monday") is the latest such day up to the anchor,
    or, in a ``future`` context ("will sign on Monday"), the first one from it."""
    start, end = _trim(text, start, end)
    quote = text[start:end]
    if not quote or _DECADE.search(quote):
        return None
    words = re.findall(r"[^\W\d_]+", quote.lower())
    if not _is_point_in_time(words, rules):
        return None
    has_year = re.search(r"\d{4}|\d[/.]\d{1,2}[/.]\d{2}$", quote) is not None
    relative = not has_year and any(w in rules.relative_day_words or w in rules.duration_exceptions for w in words)
    if anchor is None and not has_year:
        return None  # "on Tuesday", "Jun. 28": nothing to resolve them against
    parser = _parser(rules.language, order, anchor, "future" if future else "past", has_year and not relative)
    data = parser.get_date_data(_without_modifiers(quote, rules))
    if data.date_obj is None or data.period not in ("day", "month", "year", "time"):
        return None
    when = data.date_obj.date()
    precision = "day" if data.period == "time" else data.period
    numeric = _AMBIGUOUS_NUMERIC.match(quote)
    if precision in ("day", "month") and not (relative or numeric or _ISO_DATE.search(quote) or any(w in rules.month_names or w in rules.weekday_names for w in words)):
        return None  # "22, 1446": dateparser fills the missing month from today's date
    if precision == "year" and not has_year and not relative:
        return None  # dateparser's "year" for unit-less words is a guess
    if anchor is not None and precision == "day" and words in ([d] for d in rules.weekday_names) and abs(when - anchor) == timedelta(days=7):
        when = anchor  # "on Friday" in Friday's news is that day, not a week earlier or later
    return _mention(quote, start, end, when, precision, relative, _ambiguous(numeric))


def _mention(quote: str, start: int, end: int, when: date, precision: str, relative: bool, ambiguous: bool) -> DateMention:
    """The mention of ``when`` at ``precision``: its ISO value cut to that precision, its first day."""
    value = {"day": when.isoformat(), "month": when.isoformat()[:7], "year": f"{when.year:04d}"}[precision]
    first_day = when if precision == "day" else when.replace(day=1) if precision == "month" else date(when.year, 1, 1)
    return DateMention(quote, start, end, value, precision, first_day, relative, ambiguous)


def _ambiguous(numeric: re.Match[str] | None) -> bool:
    """"03/04/2024" reads as 3 April or 4 March; "15/03/2024" and "03/03/2024" read one way."""
    return bool(numeric) and int(numeric.group(1)) <= 12 and int(numeric.group(2)) <= 12 and numeric.group(1) != numeric.group(2)


def _without_modifiers(quote: str, rules: LanguageRules) -> str:
    """"early December 2011" → "December 2011": the span keeps its words, the value its month;
    "last June" → "June" (the most recent June, by the past preference)."""
    phrase = " ".join(quote.lower().split())
    for modifier in rules.date_modifiers + rules.month_relative_modifiers:
        rest = phrase.removeprefix(modifier + " ")
        if rest != phrase and (modifier in rules.date_modifiers or rest.split(" ")[0] in rules.month_names):
            return re.sub(rf"^\W*{re.escape(modifier)}\s+", "", quote, flags=re.IGNORECASE)
    return quote


def date_spans(doc: Doc) -> list[Span]:
    """Date-like spans in the doc: rule matches first, then NER DATE/TIME not overlapping them."""
    ruled = longest_spans(doc, DATE_SPANS)
    taken = {i for span in ruled for i in range(span.start, span.end)}
    found = ruled + [
        ent for ent in entities(doc)
        if (ent.label_ == "DATE" or ent.label_ == "TIME" and _names_a_day(ent))
        and not any(i in taken for i in range(ent.start, ent.end))
    ]
    return sorted((span for span in found if not _part_of_a_name(span)), key=lambda span: span.start_char)


def _part_of_a_name(span: Span) -> bool:
    """"Saudi Vision 2030", "LEAP 2024": a year written into a name is no date."""
    words = [t for t in span if not t.is_punct]
    if len(words) != 1 or not words[0].like_num or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return before.pos_ == "PROPN" and (before.is_title or before.is_upper) and before.ent_type_ != "DATE"


def _names_a_day(time: Span) -> bool:
    """"this morning" says which day; "8 PM" alone does not."""
    return any(t.lower_ in ("this", "yesterday", "today", "tomorrow", "tonight") or t.ent_type_ == "DATE" for t in time)


def date_order(doc: Doc, document: Document, rules: LanguageRules) -> str:
    """DMY unless the text carries cues of a month-first locale (e.g. a US place)."""
    head = document.text[document.body_start : document.body_start + HEAD_REGION_CHARS].lower()
    if any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", head) for cue in rules.mdy_cues):
        return "MDY"
    return rules.date_order


def ambiguity_warning(field: str, mention: DateMention, order: str) -> RecordWarning:
    message = f"{field} date {mention.text!r} is ambiguous (day/month); read as {order} → {mention.value}"
    return RecordWarning(code="ambiguous_date", message=message)


def metadata_date(document: Document, order: str = "DMY") -> DateMention | None:
    """The date the front matter or HTML metadata declares, in any language dateparser knows.

    A declared date is a value, not prose, so it is parsed whole by dateparser (ISO 8601 with
    its offset, RFC 2822, "21-04-2022 10:00"): a year-first date reads as year-first, a
    day-or-month-first one by the text's ``order``. The day is the one written, in the offset
    written. A Unix timestamp is the UTC day it falls on (docs/architecture.md, "Publication
    date"). The precision stays what the value gives, a time being a day's.
    """
    evidence = document.publication_date
    if evidence is None:
        return None
    quote = evidence.text
    if _TIMESTAMP.fullmatch(quote):
        return _timestamp_date(quote, evidence.start, evidence.end)
    if not re.search(r"\d{4}", quote):
        return None
    languages = (document.language,) if document.language in _DATEPARSER_LANGUAGES else ()
    data = _metadata_parser(languages, order).get_date_data(quote)
    if data.date_obj is None or data.period not in ("day", "month", "year", "time"):
        return None
    precision = "day" if data.period == "time" else data.period
    numeric = _AMBIGUOUS_NUMERIC.match(quote.split()[0])
    return _mention(quote, evidence.start, evidence.end, data.date_obj.date(), precision, False, _ambiguous(numeric))


@lru_cache(maxsize=16)
def _metadata_parser(languages: tuple[str, ...], order: str) -> DateDataParser:
    """Built once per languages and order: a parser loads its locales (no languages: any)."""
    settings = {"DATE_ORDER": order, "PREFER_DAY_OF_MONTH": "first", "PARSERS": _ABSOLUTE_PARSERS}  # a declared date has its year
    return DateDataParser(languages=list(languages) or None, settings=settings)


def _timestamp_date(quote: str, start: int, end: int) -> DateMention | None:
    """Seconds (or milliseconds) since 1970 → their UTC day; a value before 1990 or more than
    a year ahead is no publication date (a counter, an id) and is ignored."""
    seconds = int(quote) / (1000 if len(quote) > 11 else 1)
    latest = datetime.now(timezone.utc) + timedelta(days=366)
    if not _EARLIEST_TIMESTAMP.timestamp() <= seconds <= latest.timestamp():
        return None
    return _mention(quote, start, end, datetime.fromtimestamp(seconds, timezone.utc).date(), "day", False, False)


def anchor_mention(anchor: date) -> DateMention:
    """A publication date the caller supplied: an anchor for relative dates, not evidence."""
    return DateMention(anchor.isoformat(), -1, -1, anchor.isoformat(), "day", anchor, False)
