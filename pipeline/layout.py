"""Document layout, analysed once: where the headline, dateline, lead, paragraphs, quotations,
lists, closing boilerplate and figure captions are (docs/architecture.md, "Layout").

:func:`analyse_layout` stores them as ``doc.spans`` groups (``LAYOUT_*``) before any field
stage runs; the tests of a line or sentence that stages and features share ("is this a
headline?", "where does this dateline end?") live here, once."""

from __future__ import annotations

import re
import unicodedata

from spacy.tokens import Doc, Span, Token

from pipeline.document import Document
from pipeline.agreement_phrases import AGREEMENT_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages.views import holds, overlaps, span_text, text_of, token_texts

LAYOUT_FRONT_MATTER = "layout:front_matter"
LAYOUT_HEADLINE = "layout:headline"
LAYOUT_DATELINE = "layout:dateline"
LAYOUT_LEAD = "layout:lead"
LAYOUT_PARAGRAPHS = "layout:paragraphs"
LAYOUT_QUOTES = "layout:quotes"
LAYOUT_LISTS = "layout:lists"
LAYOUT_BOILERPLATE = "layout:boilerplate"
LAYOUT_CAPTIONS = "layout:captions"
_HEADLINE_CHARS = 160
_DATELINE_LABELS = ("GPE", "LOC", "DATE")
DATELINE_BEFORE = re.compile(
    r"^[\W_]*(?P<place>[A-Z][\w.'’ -]*)(,\s*[A-Z][\w.'’ -]*)?"
    r"(?:,\s*|\s*--\s*\([^()\n]{1,40}\)\s*--\s*)"  # "OSLO, ", or a wire's "LONDON--(BUSINESS WIRE)--"
    r"(?P<filler>(?:\w+,?\s+){0,2})$"  # "le ", "Monday, "
)
DATELINE_AFTER = re.compile(r"^,?\s*(?P<place>[A-Z][\w.'’ ]{0,30})?\s*[-–—:]")
_HEADING_CHARS = 70
_DATE_LINE_CHARS = 80
_LOWER_WORD = re.compile(r"\b[a-zà-ÿ]{3,}\b")
_SCARE_QUOTE_TOKENS = 6
LIST_MARKER = re.compile(r"\s*(?:[-*•–—·▪◦]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)]|\([ivxIVX]{1,4}\))\s+")
QUOTE_MARKS = frozenset({"“", "”", '"', "«", "»"})


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def analyse_layout(doc: Doc, document: Document, rules: LanguageRules) -> None:
    """Store the document's parts in ``doc.spans`` (each group a list of spans, maybe empty):
    front matter, headline, dateline, lead (the first paragraph after the headline), paragraphs
    of the body, quotations, list items, the closing boilerplate ("About X", "Media
    contact" to the end of the prose) and the figure captions the reader put after the prose."""
    captions = _spans(doc, [(c.start, c.end) for c in document.captions])
    captions_start = captions[0].start if captions else len(doc)
    body = [s for s in doc.sents if s.end_char > document.body_start and s.start < captions_start and span_text(s).strip()]
    paragraphs = _paragraphs(doc, document)
    headline = _headline(doc, document, body)
    boilerplate_start = next((s for s in body if ends_announcement(s, rules)), None)
    text_start = [s for s in body if (headline is None or s.start >= headline.end) and not is_headline(s)]
    first = text_start[0] if text_start else None
    dateline_stop = dateline_end(first) if first is not None else 0
    doc.spans[LAYOUT_FRONT_MATTER] = _spans(doc, [(0, document.body_start)] if document.body_start else [])
    doc.spans[LAYOUT_HEADLINE] = [headline] if headline is not None else []
    doc.spans[LAYOUT_DATELINE] = [doc[first.start : dateline_stop]] if first is not None and dateline_stop > first.start else []
    doc.spans[LAYOUT_PARAGRAPHS] = paragraphs
    doc.spans[LAYOUT_LEAD] = [p for p in paragraphs if first is not None and p.start <= first.start < p.end][:1]
    doc.spans[LAYOUT_QUOTES] = [s for s in body if is_quote(s)]
    doc.spans[LAYOUT_LISTS] = [s for s in body if LIST_MARKER.match(line_text(s)) or LIST_MARKER.match(span_text(s))]
    doc.spans[LAYOUT_BOILERPLATE] = [doc[boilerplate_start.start : captions_start]] if boilerplate_start is not None else []
    doc.spans[LAYOUT_CAPTIONS] = captions


def _spans(doc: Doc, ranges: list[tuple[int, int]]) -> list[Span]:
    found = (doc.char_span(start, end, alignment_mode="expand") for start, end in ranges if end > start)
    return [s for s in found if s is not None and len(s)]


def _paragraphs(doc: Doc, document: Document) -> list[Span]:
    """Blocks of the body between blank lines."""
    text = text_of(doc)
    starts = [document.body_start, *(m.end() for m in _PARAGRAPH_BREAK.finditer(text, document.body_start))]
    ends = [*(m.start() for m in _PARAGRAPH_BREAK.finditer(text, document.body_start)), len(text)]
    return _spans(doc, [(s, e) for s, e in zip(starts, ends) if text[s:e].strip()])


def _headline(doc: Doc, document: Document, body: list[Span]) -> Span | None:
    """The title the file gives (front matter, HTML title), else the body's first line when it
    reads as one."""
    if document.title is not None and document.title.end <= len(text_of(doc)):
        titled = doc.char_span(document.title.start, document.title.end, alignment_mode="expand")
        if titled is not None:
            return titled
    return body[0] if body and is_headline(body[0]) else None


def prose_end(doc: Doc) -> int:
    """Where the prose ends: at the first figure caption the reader put after it, else at the
    end of the text."""
    captions, text = doc.spans.get(LAYOUT_CAPTIONS, []), text_of(doc)
    if not captions:
        return len(text)
    end = captions[0].start_char
    while end > 0 and text[end - 1].isspace():
        end -= 1  # no copy of the text: stages ask for every document
    return end


def in_layout(span: Span, group: str) -> bool:
    """Whether ``span`` starts inside a span of the layout group ``group``."""
    return holds(span.doc, group, span.start)


def is_headline(sentence: Span) -> bool:
    """A short line of its own without final punctuation: a title or a section heading."""
    text = text_of(sentence.doc)
    words = _edge_words(sentence)
    if words is None:
        return False
    line_start = text.rfind("\n", 0, words[0].idx) + 1
    line_end = text.find("\n", words[1].idx)
    line = text[line_start : line_end if line_end != -1 else len(text)].strip().strip("*_#").strip()
    return line == span_text(sentence).strip().strip("*_#").strip() and len(line) <= _HEADLINE_CHARS and line[-1:] not in ".!?\"”»"


def _edge_words(sentence: Span) -> tuple[Token, Token] | None:
    """The sentence's first and last tokens that are not blanks (None: it has none); found from
    each end, as layout tests run on every sentence."""
    first = next((t for t in sentence if not t.is_space), None)
    if first is None:
        return None
    last = next(sentence[i] for i in range(len(sentence) - 1, -1, -1) if not sentence[i].is_space)
    return first, last


def dateline_end(sentence: Span) -> int:
    """The first token after a leading dateline — places (and dates) before a dash, as in
    "Nairobi, Kenya –", "KINGSTON —" (NER often calls an all-caps city an organisation),
    "Amman –" or "Rio de Janeiro, 21 March 2024 —" (cities NER missed), "**Turku, Finland** —",
    "SALTMERE, Aug 20 (Coastal Wire) -", "COPENHAGEN--(BUSINESS WIRE)--" (a wire's name in
    brackets), or before a colon after a date or a place in capitals ("New Delhi, 20/09/2024:",
    "DOHA:", not "Press Release:") — or the sentence's start when it has none."""
    doc = sentence.doc
    bracket = False  # inside a wire's name in brackets: any word but a lower-case one
    for token in sentence:
        dash = unicodedata.category(token.text[0]) == "Pd"
        if token.text in ("(", ")"):
            bracket = token.text == "("
            continue
        if _dateline_word(token) or bracket and not token.is_lower or dash and token.i + 1 < sentence.end and doc[token.i + 1].text == "(":
            continue
        before = doc[sentence.start : token.i]
        # A colon closes a dated dateline, or one in capitals ("DOHA:"), not "Press Release:".
        dated = any(t.pos_ == "NUM" or t.ent_type_ == "DATE" for t in before) or all(capitals(t) for t in before if t.is_alpha)
        ends = dash or token.text == ":" and dated
        has_place = any(t.ent_type_ in ("GPE", "LOC") or capitals(t) or _untagged_name(t) for t in before)
        return token.i + 1 if ends and has_place else sentence.start
    return sentence.start


def _dateline_word(token: Token) -> bool:
    """A word a dateline is made of: a place, a date, their punctuation ("2024.–"), emphasis."""
    return (
        token.is_space or token.text in (",", ".") or _emphasis(token) or token.pos_ == "NUM"
        or token.ent_type_ in _DATELINE_LABELS or capitals(token) or _untagged_name(token) or _untagged_particle(token)
    )


def _emphasis(token: Token) -> bool:
    """Markdown emphasis around a dateline ("**Turku, Finland** —")."""
    return set(token.text) <= set("*_")


def _untagged_name(token: Token) -> bool:
    """A proper noun NER gave no label, as small models do with many cities."""
    return token.pos_ == "PROPN" and not token.ent_type_ and token.is_title


def _untagged_particle(token: Token) -> bool:
    """The "de" of "Rio de Janeiro", which the tagger calls a proper noun."""
    return token.pos_ == "PROPN" and not token.ent_type_ and token.is_lower


def capitals(token: Token) -> bool:
    """A word in capitals, as datelines write their place."""
    return token.is_alpha and token.is_upper and len(token) > 1


def looks_like_dateline(doc: Doc, span: Span, rules: LanguageRules) -> bool:
    """A date right after a publication cue ("Published:", "Posted on", "Publié le"), in a
    dateline ("NEW YORK, March 3, 2024 /PRNewswire/ --", "LONDON--(BUSINESS WIRE)--March 3,
    2024--", "PARIS, le 3 mars 2024 –", "On Jul. 26, 2018, Beijing- Today"), or on a short
    line of its own; not a date that opens a sentence of the text ("On March 3, 2024, Acme
    signed", "Le 14 décembre 2021, X, ministre du Travail, de" hard-wrapped)."""
    text = text_of(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line_end = len(text) if line_end == -1 else line_end
    before = text[line_start : span.start_char]
    if _after_cue(before.lower(), rules):
        return True
    if DATELINE_AFTER.match(text[span.end_char : span.end_char + 40]) and span.start_char - line_start <= 4:
        return True  # "On Jul. 26, 2018, Beijing- Today, ..."
    dateline = DATELINE_BEFORE.match(before) if span.start_char - line_start <= 50 else None
    if dateline is not None and not _prose(dateline.group("filler"), rules):
        return True
    return (
        len(" ".join(text[line_start:line_end].split()).strip(" *_#")) <= _DATE_LINE_CHARS  # masked markup is no text
        and not _prose(before, rules)
        and not _signs(doc, line_start, line_end, rules)
        and not _runs_on(text, line_end)
    )


def _after_cue(before: str, rules: LanguageRules) -> bool:
    """A publication cue just before the date, at most one word between ("posted on", "publié le")."""
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)\W*(?:\w+\W+)?$", before) for cue in rules.publication_cues)


def _prose(words: str, rules: LanguageRules) -> bool:
    """Words of a sentence rather than of a dateline: a lower-case word other than a weekday
    ("established in 2015", "En déplacement chez Manpower le ..."); "le", "on" and names are not."""
    return any(w not in rules.weekday_names for w in _LOWER_WORD.findall(words))


def _signs(doc: Doc, start: int, end: int, rules: LanguageRules) -> bool:
    """The line tells of a signing or names an agreement: a sentence, not a dateline."""
    line = doc.char_span(start, end, alignment_mode="expand")
    if line is None:
        return False
    return any(t.lemma_.lower() in rules.signing_lemmas or t.lower_ in rules.signing_nouns for t in line) or overlaps(doc, AGREEMENT_SPANS, line)


def _runs_on(text: str, line_end: int) -> bool:
    """A hard-wrapped sentence: the next line with text goes on in lower case."""
    following = re.search(r"\S", text[line_end : line_end + 200])
    return following is not None and following.group().islower()


def in_dateline(doc: Doc, span: Span) -> bool:
    """The date stands in a dateline: only names and numbers before it on its line, a dash soon
    after it ("Riyadh, Rajab 22, 1446, January 22, 2025, SPA -- The Ministry ...")."""
    text = text_of(doc)
    before = text[text.rfind("\n", 0, span.start_char) + 1 : span.start_char]
    after = text[span.end_char : span.end_char + 40]
    return not _LOWER_WORD.search(before) and re.search(r"--|[—–]|\s-\s", after) is not None


def ends_announcement(sentence: Span, rules: LanguageRules) -> bool:
    """A heading ("About Acme", "Media contacts") or a label ("About Acme: Acme is ...") that
    opens the closing boilerplate."""
    text = line_text(sentence)
    if not any(text.startswith(cue) and not text[len(cue) : len(cue) + 1].isalnum() for cue in rules.section_end_cues):
        return False
    label_end = text.find(":")
    return is_heading(sentence) or 0 < label_end <= _HEADING_CHARS


def line_text(sentence: Span) -> str:
    """The sentence lower-cased, without Markdown emphasis and heading marks around it."""
    return span_text(sentence).strip().strip("*_#").strip().lower()


def is_list_item(sentence: Span) -> bool:
    """A line of a list: it opens with a bullet or a number ("- ", "2.", "(b)"), or it goes on
    with the list (";", ", and", no final period)."""
    text = span_text(sentence).strip()
    if LIST_MARKER.match(text):
        return True
    doc_text, i = text_of(sentence.doc), sentence.start_char
    while i > 0 and doc_text[i - 1] in " \t":
        i -= 1
    after_blank_line = doc_text[max(i - 2, 0) : i] == "\n\n"
    return not after_blank_line and (text[-1:] in ";," or sentence[-1].pos_ == "CCONJ" or text[-1:].isalnum())


def is_heading(sentence: Span) -> bool:
    """A short line without final punctuation opens a new section; a line that introduces or
    continues a list ("will:", "; and") does not."""
    text = span_text(sentence).strip()
    if not text or len(text) > _HEADING_CHARS or text[-1:] in ".!?\"”:;,":
        return False
    words = _edge_words(sentence)
    return words is not None and words[1].pos_ != "CCONJ"


def is_quote(sentence: Span) -> bool:
    """The sentence quotes someone, or continues a quotation opened earlier in its paragraph.
    Short quoted names ("Internet +" finance) are not quotations."""
    texts = token_texts(sentence.doc)
    marks = [i for i in range(sentence.start, sentence.end) if texts[i] in QUOTE_MARKS]
    if len(marks) % 2 == 1 or any(close - opening > _SCARE_QUOTE_TOKENS for opening, close in zip(marks[::2], marks[1::2])):
        return True
    text = text_of(sentence.doc)
    before = text[text.rfind("\n", 0, sentence.start_char) + 1 : sentence.start_char]
    return before.count("“") + before.count("«") > before.count("”") + before.count("»") or before.count('"') % 2 == 1


def dateline_place(doc: Doc, document: Document, date_start: int, date_end: int) -> tuple[str, int, int] | None:
    """The place of the dateline around the date at ``[date_start, date_end)`` ("PARIS, Jan. 29,
    2020 —", "On Jul. 26, 2018, Beijing- Today"): its value (capitals made title case) and span."""
    text = text_of(doc)
    line_start = text.rfind("\n", 0, date_start) + 1
    if line_start < document.body_start:
        return None
    for pattern, window_start, window in (
        (DATELINE_BEFORE, line_start, text[line_start:date_start]),
        (DATELINE_AFTER, date_end, text[date_end : date_end + 40]),
    ):
        match = pattern.match(window)
        if match and match.group("place"):
            start = window_start + match.start("place")
            place = text[start : window_start + match.end("place")].strip()
            return (place.title() if place.isupper() else place), start, start + len(place)
    return None
