"""Hide markup from the NLP without moving a single character.

Markdown link targets, image links, hard line breaks, HTML tags and character references left
in Markdown, kramdown attribute lists (``{:start="3"}``), and "words" too long to be prose, confuse the tagger, the NER and the sentence
and heading boundaries ("Victoria University of Wellington](https://..." became an organisation).
They are replaced by spaces of the same length (emphasis and heading markers are kept:
the model handles them better than runs of spaces), so every offset found in the masked text
indexes ``Document.text`` unchanged. Typographic apostrophes are read as straight ones
where the language says so (:func:`with_straight_apostrophes`), one character for one too.
"""

from __future__ import annotations

import html
import re

from pipeline.document import Document

_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^)\[\]\n]*)\)")
"""Brackets are excluded inside both parts so that each match attempt stops at the next ``[``:
with the link text as "anything but ``]``" a line of ten thousand ``[`` took seconds to mask (every ``[`` scanned to the line's end)."""
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,300}>")
_ATTRIBUTE_LIST = re.compile(r"\{:[^{}\n]{0,300}\}")
MAX_WORD_CHARS = 300
_NOT_A_WORD = re.compile(r"\S{%d,}" % MAX_WORD_CHARS)
"""A run of ``MAX_WORD_CHARS`` non-space characters is no word of prose (a long URL at most) but payload or
debris, such as a front matter of 15,000 nested brackets: spaCy's tokenizer splits affixes off
such a run one at a time, in quadratic time (30,000 brackets: over a minute)."""
_CHARACTER_REFERENCE = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_HARD_BREAK = re.compile(r"\\(?=\r?\n)")
"""CommonMark's hard line break, a backslash ending a line: left in, the tokenizer glued it to
the last word ("Papikyan.\\"), and NER lost the name."""


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _blank_whitespace(match: re.Match[str]) -> str:
    """``&nbsp;`` and its kind become spaces; ``&amp;`` stays, as the "&" it stands for."""
    return _blank(match) if html.unescape(match.group(0)).isspace() else match.group(0)


def _link_text_only(match: re.Match[str]) -> str:
    """[text](url) → " text " + spaces; an image ![alt](src) → all spaces."""
    if match.group(1):
        return _blank(match)
    return " " + match.group(2) + " " * (len(match.group(0)) - len(match.group(2)) - 1)


def mask_markup(text: str) -> str:
    """``text`` with markup replaced by spaces: same length, same newlines."""
    text = _HTML_TAG.sub(_blank, _LINK.sub(_link_text_only, text))
    text = _CHARACTER_REFERENCE.sub(_blank_whitespace, _ATTRIBUTE_LIST.sub(_blank, _HARD_BREAK.sub(" ", text)))
    return _NOT_A_WORD.sub(_blank, text)


def mask_document(document: Document) -> str:
    """The document's text as the NLP reads it: markup masked (:func:`mask_markup`) and, when
    the body opens with a front-matter lead, the front matter after that lead blanked (its
    newlines kept): its other fields are no prose of the announcement."""
    text = mask_markup(document.text)
    if document.lead is None:
        return text
    hidden = text[document.lead.end : document.front_matter_end]
    return text[: document.lead.end] + re.sub(r"[^\n]", " ", hidden) + text[document.front_matter_end :]


def with_straight_apostrophes(text: str, apostrophes: frozenset[str]) -> str:
    """``text`` with each of ``apostrophes`` (the language's ``typographic_apostrophes``) read
    as a straight one, one character for one. The French model learnt elisions with straight
    apostrophes: in "avec l’Institut Pasteur" it read "l’" as a noun (lemma "l’", not
    "le") and the parse and NER went wrong after it. Records still quote ``Document.text``."""
    return text.translate(str.maketrans(dict.fromkeys(apostrophes, "'"))) if apostrophes else text
