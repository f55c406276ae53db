"""Files on disk → ``Document``: explicit decoding, header metadata, HTML main text.

Every offset later stages emit indexes ``Document.text``, so this module fixes that text
once: decoded without guessing silently, newlines normalised to ``"\\n"``, a BOM removed,
and otherwise kept character for character (Markdown front matter included). Title and
publication date are ``Evidence`` pointing into that same text.
"""

from __future__ import annotations

import codecs
import hashlib
import html.parser
import json
import re
import stat
from collections.abc import Iterator, Mapping
from copy import deepcopy
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import lxml.html
import lxml.html.defs
import trafilatura
import yaml
from charset_normalizer import from_bytes
from lxml import etree

from models import RecordWarning
from pipeline.document import Document, Evidence, SourceFormat

SUPPORTED_SUFFIXES: Mapping[str, SourceFormat] = MappingProxyType(
    {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
)

ReadErrorType = Literal[
    "unsupported_format", "unreadable", "too_large", "binary", "decode", "empty", "unparsable_html"
]

MAX_TITLE_CHARS = 200
"""A first line this long or longer is a paragraph, not a headline."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 LE before UTF-16 LE: its BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.1
_NOT_XML_CHARS = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
"""Code points no UTF-8 can hold, which a ``str`` gets from JSON with a broken ``\\ud800`` escape."""
_MAX_HTML_DEPTH = 2048
# A line break inside HTML text is a space to a browser; only preformatted text keeps its lines.
_HTML_LINE_BREAK = re.compile(r"[ \t\r]*\n\s*")
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})
_HTML_TAGS = lxml.html.defs.tags | {"main", "picture", "template", "dialog", "slot", "search"}
"""libxml2's nesting limit in huge-tree mode; a deeper page is read by ``_PageText``."""
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*(?:["']\s*)?([A-Za-z0-9._:-]+)""", re.IGNORECASE)

_FRONT_MATTER = re.compile(r"---[ \t]*\n(?P<yaml>(?:.*?\n)?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_FRONT_MATTER_CHARS = 32_000
"""Front matter longer than this is not parsed, with a warning: real headers hold a few hundred
characters, and the YAML parser's time grows with the header (32,000 characters: 0.2 s at worst)."""
_NODE_PROPERTIES = re.compile(r"(?:[&!]\S*\s+)+")
"""A YAML value's anchor and tag (``&a !!str``), which its node's position includes."""
_FIELD_LINE = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*))?$")
"""A ``key: value`` line; the value keeps its trailing blanks (``_fields`` drops them): a lazy value
followed by ``[ \t]*$`` tried every blank of a long run against the rest of it, quadratic."""
_CONTENT_LINE = re.compile(r"^[^\n]*[^\W_][^\n]*", re.MULTILINE)  # a line with a letter or digit
_ATX_OPENING = re.compile(r"#{1,6}[ \t]+")
_TITLE_KEYS = ("title",)
_DATE_KEYS = ("date", "published", "publishdate", "publish_date", "publication_date", "pubdate")
_LEAD_KEYS = ("chapeau", "chapeau-text", "chapo", "lead", "standfirst", "summary", "excerpt", "description", "abstract")
_MIN_LEAD_WORDS = 8
"""A front-matter field shorter than this is a label or a tagline, not a lead paragraph."""
_LEAD_PROBE_CHARS = 60
"""A lead whose first characters (blanks aside) the body repeats is the body's own first paragraph."""

_HTML_TITLE_META = ("og:title", "twitter:title", "dc.title", "dcterms.title")
_HTML_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "pubdate",
    "publishdate",
    "publish_date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
)
_MAX_DATE_CHARS = 64


class ReadError(Exception):
    """A file that cannot become a Document; ``type`` and ``message`` feed the error record."""

    def __init__(self, type: ReadErrorType, message: str) -> None:  # noqa: A002 - the record's field name
        super().__init__(type, message)  # both in args, so the error pickles across processes
        self.type: ReadErrorType = type
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class _Header:
    """What a document's header says: where the body starts, and the title/date evidence."""

    body_start: int = 0
    title: Evidence | None = None
    date: Evidence | None = None
    lead: Evidence | None = None
    captions: tuple[Evidence, ...] = ()


def read_document(path: str | Path, source_name: str | None = None, max_bytes: int = 5_000_000) -> Document:
    """Read one announcement file as the extractor reads it: ``.text`` is what every span of its
    record indexes. Any problem with the file is a ``ReadError``, never another exception."""
    path = Path(path)
    name = source_name if source_name is not None else path.as_posix()
    return document_from_bytes(*read_source(path, name, max_bytes), name)


def read_source(path: Path, name: str, max_bytes: int) -> tuple[bytes, SourceFormat]:
    """The file's bytes and format, not yet decoded: the half of ``read_document`` that needs
    the file, so that a machine without it (a Dask worker) can do the rest (``document_from_bytes``)."""
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ReadError(
            "unsupported_format",
            f"{name}: unsupported format {path.suffix or '(no extension)'!r}; "
            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    return _read_bytes(path, name, max_bytes), fmt


def document_from_bytes(data: bytes, fmt: SourceFormat, source_name: str) -> Document:
    """A file's bytes (``read_source``) → Document: decoding, header metadata, HTML main text."""
    text, warnings = _decode(data, source_name, html=fmt == "html")
    return _build(text, source_name, hashlib.sha256(data).hexdigest(), fmt, warnings)


def document_from_text(text: str, source_name: str = "<text>", fmt: SourceFormat = "txt") -> Document:
    """A Document from text already in memory (``Extractor.extract_text``), read like a file of format ``fmt``.

    The sha256 is of the UTF-8 text as given; ``Document.text`` has its newlines normalised,
    so offsets refer to the normalised text. A lone surrogate, which no UTF-8 can hold and
    spaCy refuses, becomes U+FFFD with a warning: one character for one, so offsets stay true.
    """
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text, replaced = _SURROGATES.subn("\ufffd", text)
    warnings = (RecordWarning(code="surrogates_replaced", message=f"{replaced} lone surrogate code point(s) replaced by U+FFFD"),) if replaced else ()
    return _build(_normalise(text), source_name, sha256, fmt, warnings)


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing non-regular files (a FIFO would block) and oversize ones before reading."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            what = "is a directory" if stat.S_ISDIR(info.st_mode) else "is not a regular file"
            raise ReadError("unreadable", f"{name}: {what}")
        if info.st_size > max_bytes:
            raise ReadError("too_large", f"{name}: {info.st_size} bytes, over the limit of {max_bytes}")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as err:
        raise ReadError("unreadable", f"{name}: {err.strerror or err}") from err
    if len(data) > max_bytes:
        raise ReadError("too_large", f"{name}: over the limit of {max_bytes} bytes")
    return data


def _decode(data: bytes, name: str, html: bool) -> tuple[str, tuple[RecordWarning, ...]]:
    """Bytes → normalised text and the warning of a guessed encoding: a BOM wins, then strict
    UTF-8, then (HTML) the declared charset, then a guess.

    UTF-8 goes before a declared charset because a non-ASCII byte sequence that is valid
    UTF-8 is almost never anything else, while pages mislabelled "iso-8859-1" are common.
    """
    text = next((_decode_bom(data, codec, name) for bom, codec in _BOMS if data.startswith(bom)), None)
    warnings: tuple[RecordWarning, ...] = ()
    if text is None:
        if b"\x00" in data:
            raise ReadError("binary", f"{name}: NUL bytes and no UTF-16/32 byte-order mark; not a text file")
        text, warnings = _decode_without_bom(data, html)
    if text is None:
        raise ReadError("decode", f"{name}: not UTF-8 and no text encoding fits its bytes")
    if len(_CONTROL_CHARS.findall(text)) > _MAX_CONTROL_RATIO * len(text):
        raise ReadError("binary", f"{name}: decodes mostly to control characters; not a text file")
    return _normalise(text), warnings


def _decode_bom(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as err:
        raise ReadError("decode", f"{name}: has a {codec} byte-order mark but is not valid {codec}") from err


def _decode_without_bom(data: bytes, html: bool) -> tuple[str | None, tuple[RecordWarning, ...]]:
    """UTF-8, else the declared charset, else a guess that the record's warning names."""
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096]) if html else None
    problem = "not UTF-8 and no charset declared"
    if declared is not None:
        label = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(label)
            # Per the HTML standard a meta "utf-16" on a page without BOM means UTF-8: never decode by it.
            if not codec.name.startswith(("utf-16", "utf-32")):
                return data.decode(codec.name), ()
            problem = f"declared charset {label!r} needs a byte-order mark"
        except LookupError:  # an unknown name, or a codec that is not a text encoding
            problem = f"declared charset {label!r} is unknown"
        except ValueError:  # bytes the declared codec rejects
            problem = f"declared charset {label!r} does not fit the bytes"
    guess = _guess(data)
    if guess is None:
        return None, ()
    text, encoding = guess
    return text, (RecordWarning(code="encoding_guessed", message=f"{problem}: decoded as {encoding}, a guess"),)


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess and its encoding, but Windows-1252 among the least messy.

    On short Western European texts charset-normalizer ranks cp1250 first ("à" → "ŕ"), or
    a Baltic or Icelandic code page ("ñ" → "þ"), on a language coherence that means little
    on a few words, while cp1252 decodes them with as little mess. cp1252 is by far the
    commoner legacy encoding of such texts, and the one of every language we have rules for.
    """
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    least_messy = (m for m in matches if m.chaos <= best.chaos)
    chosen = next((m for m in least_messy if "cp1252" in m.could_be_from_charset), best)
    encoding = "cp1252" if "cp1252" in chosen.could_be_from_charset else chosen.encoding
    return str(chosen), encoding


def _normalise(text: str) -> str:
    """One newline convention and no BOM, so offsets mean the same thing on every platform."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _build(text: str, name: str, sha256: str, fmt: SourceFormat, warnings: tuple[RecordWarning, ...]) -> Document:
    """The format-specific part of reading, shared by files and in-memory text; ``warnings``
    are what reading did that the record should say."""
    if not text.strip():
        raise ReadError("empty", f"{name}: no text")
    if fmt == "html":
        text, header, html_warnings = _html_document(text, name)
        warnings += html_warnings
    elif fmt == "md":
        header, front_matter_warnings = _front_matter(text)
        warnings += front_matter_warnings
    else:
        header = _bare_header(text) or _Header()
    if not text[header.body_start :].strip():
        raise ReadError("empty", f"{name}: no text after the header" if header.body_start else f"{name}: no text")
    title = header.title or _first_line_title(text, header.body_start)
    return Document(
        text=text,
        path=name,
        sha256=sha256,
        format=fmt,
        body_start=header.lead.start if header.lead is not None else header.body_start,
        front_matter_end=header.body_start if header.lead is not None else 0,
        lead=header.lead,
        title=title,
        publication_date=header.date,
        captions=header.captions,
        warnings=warnings,
    )


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """``(offset, line without its newline)`` for each line of ``text[start:end]``."""
    while start < end:
        stop = text.find("\n", start, end)
        stop = end if stop == -1 else stop
        yield start, text[start:stop]
        start = stop + 1


def _front_matter(text: str) -> tuple[_Header, tuple[RecordWarning, ...]]:
    """Markdown front matter, a leading ``---`` line up to the next ``---`` (or ``...``) line,
    read as YAML; when it is not a YAML mapping a warning says why and the body starts after it."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return _Header(), ()
    source, offset = match.group("yaml"), match.start("yaml")
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return _Header(match.end()), (_unread(f"front matter of {len(source):,} characters, over the limit of {MAX_FRONT_MATTER_CHARS:,}"),)
    try:
        # Composed, not loaded: the nodes keep their positions and no value is constructed.
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        return _Header(match.end()), (_unread(f"front matter is not valid YAML ({_yaml_problem(error)})"),)
    except RecursionError:
        return _Header(match.end()), (_unread("front matter nested too deeply"),)
    if root is None:
        return _Header(match.end()), ()
    if not isinstance(root, yaml.MappingNode):
        return _Header(match.end()), (_unread("front matter is not a YAML mapping of keys to values"),)
    fields = _yaml_fields(text, offset, root)
    header = _Header(match.end(), _first_field(fields, _TITLE_KEYS), _first_field(fields, _DATE_KEYS))
    return _with_lead(text, header, fields), ()


def _unread(problem: str) -> RecordWarning:
    """The warning of front matter left unread: no title or date from it, the body still read."""
    return RecordWarning(code="front_matter_not_read", message=f"{problem}: not read")


def _yaml_problem(error: yaml.YAMLError) -> str:
    """``line 3: mapping values are not allowed here``, the line counted in the file."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"line {mark.line + 2}: {problem}" if mark is not None else problem


def _yaml_fields(text: str, offset: int, root: yaml.MappingNode) -> dict[str, Evidence]:
    """Top-level keys (lower-cased) with a text value, as evidence into ``text`` (the front
    matter starts at ``offset``); the first occurrence of a key with a value wins."""
    fields: dict[str, Evidence] = {}
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode):
            name = key.value.lower()
            evidence = None if name in fields else _scalar_evidence(text, offset, value)
            if evidence is not None:
                fields[name] = evidence
    return fields


def _scalar_evidence(text: str, offset: int, node: yaml.ScalarNode) -> Evidence | None:
    """The value as written: its characters without its anchor or tag, quotes, or block
    indicator line (``>``, ``|``); None when blank. Escapes and folds stay as written."""
    start, end = offset + node.start_mark.index, offset + node.end_mark.index
    properties = _NODE_PROPERTIES.match(text, start, end)
    start = properties.end() if properties else start
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    elif node.style in ("|", ">"):
        start = text.find("\n", start, end) + 1 or end
    start, end = _trim(text, start, end)
    return Evidence(text[start:end], start, end) if end > start else None


def _bare_header(text: str) -> _Header | None:
    """``key: value`` lines opening a text file and ended by a blank line, with a title or date among them.

    Scraped text files carry their metadata this way (``title: …`` / ``date: …`` and no
    ``---``); reading it keeps "title: " out of the title and gives the date its evidence.
    It is not YAML: a value is the rest of its line ("titre : sous-titre" is a title, which
    YAML refuses), as in an e-mail header.
    """
    end: int | None = None
    for offset, line in _lines(text, 0, len(text)):
        if not line.strip():
            end = offset
            break
        if not (_FIELD_LINE.match(line) or (offset and line[:1] in (" ", "\t"))):
            return None
    if end is None:
        return None
    fields = _fields(text, 0, end)
    title, date = _first_field(fields, _TITLE_KEYS), _first_field(fields, _DATE_KEYS)
    if title is None and date is None:
        return None
    return _with_lead(text, _Header(end, title, date), fields)


def _with_lead(text: str, header: _Header, fields: Mapping[str, Evidence]) -> _Header:
    """The header with its lead: a front-matter paragraph (``chapeau``, ``summary``,
    ``description``, ...) that the body does not repeat. Sites that keep the lead there
    alone ("chapeau-text") put the signing in it; the body then starts at it."""
    lead = next((f for key in _LEAD_KEYS if (f := fields.get(key)) is not None and len(f.text.split()) >= _MIN_LEAD_WORDS), None)
    if lead is None or _squeezed(lead.text)[:_LEAD_PROBE_CHARS] in _squeezed(text[header.body_start :]):
        return header
    return replace(header, lead=lead)


def _squeezed(text: str) -> str:
    """Text without blanks or quotes: a lead folded over YAML lines still meets its copy in the body."""
    return re.sub(r"[\s\"'’]", "", text)


def _fields(text: str, start: int, end: int) -> dict[str, Evidence]:
    """The ``key: value`` lines of a bare header, tolerantly: no failure.

    A value runs on over indented continuation lines; its evidence is the raw characters
    without surrounding quotes, so ``text[start:end]`` is exactly the value as written.
    The first occurrence of a key wins.
    """
    fields: dict[str, Evidence] = {}
    key: str | None = None
    value_start = value_end = 0

    def close() -> None:
        if key is not None and key not in fields:
            evidence = _value_evidence(text, value_start, value_end)
            if evidence is not None:
                fields[key] = evidence

    for offset, line in _lines(text, start, end):
        field = _FIELD_LINE.match(line)
        if field is not None:
            close()
            key = field.group(1).lower()
            value = (field.group(2) or "").rstrip(" \t")
            if value:
                value_start = offset + field.start(2)
                value_end = value_start + len(value)
            else:  # the value, if any, is on the continuation lines
                value_start = value_end = offset + len(line)
        elif key is not None and line[:1] in (" ", "\t") and line.strip():
            value_end = offset + len(line.rstrip())
        else:
            close()
            key = None
    close()
    return fields


def _value_evidence(text: str, start: int, end: int) -> Evidence | None:
    """The value's characters, trimmed and without a surrounding pair of matching quotes; None when blank."""
    start, end = _trim(text, start, end)
    if end - start >= 2 and text[start] in "\"'" and text[end - 1] == text[start]:
        start, end = _trim(text, start + 1, end - 1)
    return Evidence(text[start:end], start, end) if end > start else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _first_field(fields: Mapping[str, Evidence], keys: tuple[str, ...]) -> Evidence | None:
    return next((fields[key] for key in keys if key in fields), None)


def _first_line_title(text: str, start: int) -> Evidence | None:
    """The first line with a letter or digit, without Markdown ``#`` markup, if it is headline-sized."""
    line = _CONTENT_LINE.search(text, start)  # skips blank lines and rules such as "---" / "***"
    if line is None:
        return None
    begin, stop = _heading_bounds(line.group())
    begin, stop = line.start() + begin, line.start() + stop
    return Evidence(text[begin:stop], begin, stop) if stop - begin < MAX_TITLE_CHARS else None


def _heading_bounds(line: str) -> tuple[int, int]:
    """``[begin, end)`` of a line's words without surrounding blanks and ATX heading markup
    (``## Title ##``: an opening of 1 to 6 ``#`` and a blank, a closing ``#`` run after a blank).

    String methods rather than one regex: a lazy heading text followed by ``[ \t]*$`` is
    quadratic in a run of blanks (a 250 KB line took minutes)."""
    begin = len(line) - len(line.lstrip(" \t"))
    end = begin + len(line[begin:].rstrip(" \t"))
    opening = _ATX_OPENING.match(line, begin)
    if opening is None:
        return begin, end
    words = line[opening.end() : end]
    before_closing = words.rstrip("#")
    if before_closing != words and before_closing[-1:] in (" ", "\t"):
        words = before_closing.rstrip(" \t")
    return opening.end(), opening.end() + len(words)


def _html_document(html: str, name: str) -> tuple[str, _Header, tuple[RecordWarning, ...]]:
    """HTML → (front-matter header + main text, header evidence, warnings), like a Markdown file would read.

    A page nested too deeply for libxml2 is cut where the limit is hit: its title and date
    come from the part read, its text from ``_PageText``, with a warning."""
    tree, truncated = _parse_html(html, name)
    _collapse_line_breaks(tree)
    meta = _meta(tree)
    values = {"title": _html_title(tree, meta), "date": _html_date(tree, meta)}  # before extraction prunes
    captions = _figure_captions(tree)
    warnings: tuple[RecordWarning, ...] = ()
    if truncated:
        main_text = _PageText.of(html)
        message = f"HTML nested deeper than {_MAX_HTML_DEPTH} levels: read as plain text, without main-text extraction"
        warnings = (RecordWarning(code="html_too_deep", message=message),)
    else:
        main_text = _main_text(tree, name)
    # trafilatura writes each block (heading, paragraph, list item) on one line: a blank line
    # between them keeps a long headline from running into the first paragraph's sentence.
    # Runs of blanks inside a line are one space, as rendered.
    body = "\n\n".join(" ".join(line.split()) for line in _normalise(main_text).splitlines() if line.strip())
    header = "---\n"
    evidence: dict[str, Evidence] = {}
    for key, value in values.items():
        if value:
            header += f"{key}: "
            evidence[key] = Evidence(value, len(header), len(header) + len(value))
            header += value + "\n"
    header = header + "---\n" if evidence else ""
    text, placed = _with_captions(header + body, [c for c in captions if c not in body])
    return text, _Header(len(header), evidence.get("title"), evidence.get("date"), captions=placed), warnings


def _figure_captions(tree: lxml.html.HtmlElement) -> list[str]:
    """The page's figure captions (``<figcaption>``), each once, blanks as rendered.

    Who signed is often said only under the photo; trafilatura's own reading of captions
    (``include_images``) puts them in the prose, where they open the text before its first
    paragraph and lend their longer spellings to the parties' names (docs/quality.md). The
    page is left as it is: without its captions trafilatura reads it otherwise (a heading
    more, list marks), so the prose would change with them."""
    found = (" ".join(_rendered_text(element).split()) for element in tree.iter("figcaption"))
    return list(dict.fromkeys(caption for caption in found if caption))


def _rendered_text(element: lxml.html.HtmlElement) -> str:
    """An element's text as rendered: a ``<br>`` breaks the line, so it parts words
    ("président et<br>chef"). Read from a copy: trafilatura reads the page next."""
    copy = deepcopy(element)
    for line_break in copy.iter("br"):
        line_break.tail = " " + (line_break.tail or "")
    return copy.text_content()


def _with_captions(text: str, captions: list[str]) -> tuple[str, tuple[Evidence, ...]]:
    """The text with the captions after it, a paragraph each, and where each stands: apart
    from the prose, so its reading (headline, lead, sentences) is the one without them."""
    placed = []
    for caption in captions:
        text += "\n\n"
        placed.append(Evidence(caption, len(text), len(text) + len(caption)))
        text += caption
    return text, tuple(placed)


def _parse_html(html: str, name: str) -> tuple[lxml.html.HtmlElement, bool]:
    """An lxml tree built without network access, and whether libxml2 stopped at one of its limits.

    Huge-tree mode lifts the nesting limit from 256 to ``_MAX_HTML_DEPTH`` levels (pages of
    unclosed ``<font>`` tags nest deeply) and the size limits, which ``max_bytes`` replaces.
    The HTML parser does not expand DTD entities, so entity-expansion bombs stay inert.
    Characters XML forbids (a vertical tab from a word processor) are dropped first: lxml
    would keep them in the tree and trafilatura then fails building its output. Re-encoding
    to UTF-8 bytes sidesteps lxml's refusal of str input with an XML encoding declaration
    and overrides any (already honoured) meta charset.
    """
    parser = lxml.html.HTMLParser(
        encoding="utf-8",
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        default_doctype=False,
    )
    try:
        tree = lxml.html.document_fromstring(_NOT_XML_CHARS.sub("", html).encode("utf-8"), parser=parser)
    except etree.ParserError as err:  # lxml.html's "Document is empty": comments or a doctype only
        raise ReadError("empty", f"{name}: no HTML elements") from err
    except (etree.LxmlError, ValueError) as err:
        raise ReadError("unparsable_html", f"{name}: HTML could not be parsed ({err})") from err
    return tree, any(error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for error in parser.error_log)


def _collapse_line_breaks(tree: lxml.html.HtmlElement) -> None:
    """Turn the line breaks of the page's text into spaces, as a browser renders them.

    Source pages (and JSX cut from website code) are often hard-wrapped mid-sentence;
    trafilatura keeps those breaks, and each wrapped line would read as a paragraph of its
    own, cutting names and signing sentences in two. ``<br>`` and the blocks still give lines,
    and so does an element HTML does not know (a JSX component) whose content starts on a
    line of its own: it is laid out as a block, read as a ``<div>`` (a ``<ul>`` when it holds
    list items)."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag not in _HTML_TAGS and (element.text or "").lstrip(" \t\r").startswith("\n"):
            element.tag = "ul" if any(child.tag == "li" for child in element) else "div"
        if element.text and not _preformatted(element):
            element.text = _HTML_LINE_BREAK.sub(" ", element.text)
        parent = element.getparent()
        if element.tail and (parent is None or not _preformatted(parent)):
            element.tail = _HTML_LINE_BREAK.sub(" ", element.tail)


def _preformatted(element: lxml.html.HtmlElement) -> bool:
    return any(ancestor.tag in _PREFORMATTED for ancestor in element.iterancestors()) or element.tag in _PREFORMATTED


class _PageText(html.parser.HTMLParser):
    """Every text of a page but scripts and styles, a line per block: the reading of a page too
    deep for libxml2's tree. The standard library's parser keeps no tree, so depth costs nothing."""

    _HIDDEN = frozenset({"script", "style", "template", "noscript", "title"})
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    @classmethod
    def of(cls, page: str) -> str:
        reader = cls()
        reader.feed(page)
        reader.close()
        return "\n".join(" ".join(line.split()) for line in "".join(reader.parts).splitlines())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in self._HIDDEN
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in self._HIDDEN and self.hidden > 0
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data.replace("\n", " "))


def _main_text(tree: lxml.html.HtmlElement, name: str) -> str:
    """trafilatura's main text, favouring recall; its plain baseline when that comes back empty.

    Third-party extraction on hostile markup may fail in unforeseen ways: any exception
    falls through to the next method, and only when all fail is the page unparsable.
    """
    try:
        text = trafilatura.extract(
            tree,
            output_format="txt",
            include_tables=True,
            include_images=False,  # figure captions stay out: read as prose they cost French parties 0.017 and
            # confident parties' precision 0.957 -> 0.942 (leave-one-source-out, docs/quality.md)
            include_comments=False,
            favor_recall=True,
        )
        if text and text.strip():
            return text
    except Exception:  # noqa: BLE001 - fall back to the baseline below
        pass
    try:
        return trafilatura.baseline(tree)[1]
    except Exception as err:  # noqa: BLE001 - reported as a read error, not a crash
        raise ReadError("unparsable_html", f"{name}: no main text could be extracted ({err})") from err


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased property/name/itemprop, first occurrence, whitespace collapsed."""
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = " ".join((element.get("content") or "").split())
        if key and content:
            values.setdefault(key, content)
    return values


def _html_title(tree: lxml.html.HtmlElement, meta: Mapping[str, str]) -> str | None:
    """Metadata title, else the first ``<h1>``, ``<title>``, ``<h2>``, ``<h3>``, preferring several words.

    A one-word title is usually the site's name (``<title> ITI </title>`` above a real
    ``<h3>`` headline); it is used only when nothing longer exists.
    """
    candidates = [meta[key] for key in _HTML_TITLE_META if key in meta]
    for tag in ("h1", "title", "h2", "h3"):
        element = next(tree.iter(tag), None)
        if element is not None:
            candidates.append(" ".join(element.text_content().split()))
    candidates = [c for c in candidates if c and len(c) < MAX_TITLE_CHARS]
    return next((c for c in candidates if " " in c), candidates[0] if candidates else None)


def _html_date(tree: lxml.html.HtmlElement, meta: Mapping[str, str]) -> str | None:
    """The publication date the page declares: meta tags, JSON-LD, ``<time>``; never one read off the body text.

    Body-text guesses are wrong on press pages: trafilatura's default metadata took
    "2011-12" (a fiscal year) for the date of a page whose dateline is March 16, 2011.
    htmldate (installed with trafilatura) was measured in this place and kept out: on the 49
    HTML documents with gold it scores 47/49 against 48/49 (it takes a ``dateModified`` for the
    publication date), and it returns a normalised day where this returns the characters the
    page wrote, so Unix timestamps, month-only dates and month-first numeric dates would be lost
    or misread (docs/architecture.md, "Publication date").
    """
    declared = [meta[key] for key in _HTML_DATE_META if key in meta]
    declared += _json_ld_dates(tree)
    for path in ("//*[@itemprop='datePublished']", "//time[@pubdate]", "//time[@datetime]"):
        for element in tree.xpath(path):
            value = element.get("content") or element.get("datetime") or element.text_content()
            declared.append(" ".join(value.split()))
    return next((d for d in declared if any(c.isdigit() for c in d) and len(d) <= _MAX_DATE_CHARS), None)


def _json_ld_dates(tree: lxml.html.HtmlElement) -> list[str]:
    """``datePublished`` values of the page's JSON-LD blocks (walked iteratively: hostile JSON may nest deeply)."""
    dates: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            stack = [json.loads(script.text_content())]
        except (ValueError, RecursionError):
            continue
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    dates.append(" ".join(item["datePublished"].split()))
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(reversed(item))
    return dates
