"""Hostile inputs that once broke the pipeline (issue 13), one generator function per kind.

Each function writes one file into the folder it is given and returns its path, so that the
reliability tests (reader side and runner side) replay exactly the input that broke. The
sizes default to the ones the probe measured; tests may pass smaller ones.
"""

from __future__ import annotations

import base64
from pathlib import Path

ANNOUNCEMENT = (
    "Three partners join forces on alpine water storage research\n\n"
    "INNSBRUCK, 21 February 2022 — Halvorsen Polytechnic University, the Tyrolean Institute for Alpine "
    "Hydrology and Vellmar Energie AG signed a cooperation agreement on 18 February 2022 at the institute's "
    "headquarters in Innsbruck. The agreement sets up a joint research platform on pumped-storage hydropower, "
    "glacier melt forecasting and the climate resilience of high-altitude reservoirs.\n\n"
    "Over the next four years the partners will pool monitoring data from eleven reservoirs, develop new "
    "methods for sediment management and offer doctoral training places co-supervised by the university "
    "and the institute.\n"
)
"""A short English announcement with parties, a signing date and a place: what a lost text loses."""

LATIN1_ANNOUNCEMENT = "Acme and the Fundación Peña sign an agreement in León, España.\n"
"""Short accented Western text: charset-normalizer ranked an Icelandic/Baltic code page first ("Peña" → "Peþa")."""


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def heading_with_space_run(folder: Path, spaces: int = 250_000) -> Path:
    """A Markdown file whose first line is ``# a`` and a long run of spaces: the heading regex went quadratic
    (60 KB: 31 s; 250 KB: over 300 s)."""
    return _write(folder, "heading-spaces.md", "# a" + " " * spaces + "b\n\nx\n")


def field_line_with_space_run(folder: Path, spaces: int = 250_000) -> Path:
    """A text file opening with a ``title: value`` header line padded by a long run of spaces: the
    field-line regex went quadratic."""
    return _write(folder, "field-spaces.txt", "title: a" + " " * spaces + "b\ndate: 2022-02-21\n\n" + ANNOUNCEMENT)


def front_matter_with_space_run(folder: Path, spaces: int = 250_000) -> Path:
    """A Markdown front-matter line ``title: a   …   b``: the same field-line regex, inside ``---`` lines."""
    return _write(folder, "front-matter-spaces.md", "---\ntitle: a" + " " * spaces + "b\n---\n\n" + ANNOUNCEMENT)


def front_matter_bomb(folder: Path, levels: int = 30) -> Path:
    """Front matter whose aliases expand to 10**levels strings ("billion laughs"): a YAML reader that
    built the values would never finish; the first level is the title, so the header is read."""
    anchors = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, levels))
    return _write(folder, "front-matter-bomb.md", f"---\ntitle: &l0 Alpine water storage\n{anchors}---\n\n" + ANNOUNCEMENT)


def front_matter_nested_deeply(folder: Path, depth: int = 15_000) -> Path:
    """Front matter nested ``depth`` flow lists deep, under the size limit: a recursive YAML composer
    runs out of stack."""
    return _write(folder, "front-matter-deep.md", "---\ntags: " + "[" * depth + "]" * depth + "\n---\n\n" + ANNOUNCEMENT)


def key_with_space_run(folder: Path, spaces: int = 250_000) -> Path:
    """A first line that looks like a header key followed by spaces but has no colon: no header,
    then the first-line title regex."""
    return _write(folder, "key-spaces.txt", "title" + " " * spaces + "b\n\n" + ANNOUNCEMENT)


def data_uri_before_text(folder: Path, payload_bytes: int = 4_000) -> Path:
    """An English Markdown file opening with an inline ``data:`` image (base64) before its text: language
    detection read only the image and said ``sr``, so the record came out empty."""
    image = base64.b64encode(bytes(range(256)) * (payload_bytes // 256 + 1))[: payload_bytes * 4 // 3].decode()
    return _write(folder, "data-uri.md", f"![logo](data:image/png;base64,{image})\n\n" + ANNOUNCEMENT)


def blank_lines_before_text(folder: Path, lines: int = 10_000) -> Path:
    """An English Markdown file opening with ten thousand blank lines: language detection saw only blanks."""
    return _write(folder, "blank-lines.md", "\n" * lines + ANNOUNCEMENT)


def deep_html(folder: Path, depth: int = 10_000) -> Path:
    """An HTML page nested deeper than libxml2's 255 levels with its text at the bottom: the parser
    stopped at the limit and the page read as "no text"."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ANNOUNCEMENT.split("\n\n"))
    html = "<html><body>" + "<div>" * depth + paragraphs + "</div>" * depth + "</body></html>"
    return _write(folder, "deep.html", html)


def latin1_unknown_charset(folder: Path) -> Path:
    """A Latin-1 page declaring a charset no codec knows: it was decoded as a Baltic code page."""
    paragraphs = "".join(f"<p>{p}</p>" for p in LATIN1_ANNOUNCEMENT.split("\n\n"))
    html = f'<html><head><meta charset="x-western-latin"></head><body>{paragraphs}</body></html>'
    return _write(folder, "latin1-unknown.html", html.encode("latin-1"))


def text_with_lone_surrogate() -> str:
    """An announcement holding a lone surrogate, as JSON with a broken ``\\ud800`` escape decodes:
    ``str.encode`` raised outside the per-record guard. (A string, not a file: UTF-8 cannot hold it.)"""
    return ANNOUNCEMENT.replace("research\n", "research \ud800\n", 1)


def organisation_list(folder: Path, count: int = 1_600) -> Path:
    """A list of organisation names, two a line joined by "and" ("University of X and University of Y"),
    about 38 KB: the organisation stages compared every name with every other."""
    lines = "".join(f"University of {_word(i)} and University of {_word(i + 1)}\n" for i in range(0, count, 2))
    return _write(folder, "organisations.txt", lines)


def date_list(folder: Path, count: int = 8_800) -> Path:
    """A list of dates, one a line, about 127 KB: 26 s in the themes stage."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
    dates = "".join(f"{i % 28 + 1} {months[i % 10]} {1990 + i % 35}\n" for i in range(count))
    return _write(folder, "dates.txt", dates)


def _word(i: int) -> str:
    """A distinct capitalised pseudo-word for every number ("Bacedo"), so that names do not repeat."""
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    letters = []
    while True:
        i, c = divmod(i, len(consonants))
        i, v = divmod(i, len(vowels))
        letters += [consonants[c], vowels[v]]
        if not i:
            break
    return "".join(letters).capitalize() + "ton"
