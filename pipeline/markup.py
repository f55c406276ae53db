"""Hide markup from the NLP without moving a single character.

Markdown link targets, image links and HTML tags left in Markdown confuse the tagger and
NER ("Victoria University of Wellington](https://..." became an organisation).
They are replaced by spaces of the same length (emphasis and heading markers are kept:
the model handles them better than runs of spaces), so every offset found in the masked text
indexes ``Document.text`` unchanged.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^)\[\]\n]*)\)")
"""Brackets are excluded inside both parts so that each match attempt stops at the next ``[``:
with the link text as "anything but ``]``" a line of ten thousand ``[`` took seconds to mask (every ``[`` scanned to the line's end)."""
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,300}>")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _link_text_only(match: re.Match[str]) -> str:
    """[text](url) → " text " + spaces; an image ![alt](src) → all spaces."""
    if match.group(1):
        return _blank(match)
    return " " + match.group(2) + " " * (len(match.group(0)) - len(match.group(2)) - 1)


def mask_markup(text: str) -> str:
    """``text`` with markup replaced by spaces: same length, same newlines."""
    return _HTML_TAG.sub(_blank, _LINK.sub(_link_text_only, text))
