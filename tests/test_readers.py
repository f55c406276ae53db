"""Readers: bytes → Document, with evidence that indexes the text and errors that are ReadErrors."""

from __future__ import annotations

import os
import pickle
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks import ARTICLES
from pipeline.document import Document, Evidence
from pipeline.markup import mask_document, mask_markup
from pipeline.readers import SUPPORTED_SUFFIXES, ReadError, document_from_text, read_document
from pipeline.stages.dates import metadata_date

CORPUS_DOCS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "docs"  # ../shared beside the repository


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def assert_indexes(doc: Document) -> None:
    """Every piece of evidence is exactly the text it points at, and body_start is inside the text."""
    assert 0 <= doc.body_start <= len(doc.text)
    for evidence in (doc.title, doc.publication_date, *doc.captions):
        if evidence is not None:
            assert isinstance(evidence, Evidence)
            assert 0 <= evidence.start < evidence.end <= len(doc.text)
            assert doc.text[evidence.start : evidence.end] == evidence.text


def read_error(path: Path, **kwargs: int) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_document(path, **kwargs)
    assert caught.value.message and path.name in caught.value.message
    return caught.value


# --- formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.txt", "txt"), ("a.md", "md"), ("a.markdown", "md"), ("a.html", "html"), ("a.htm", "html"), ("A.TXT", "txt")],
)
def test_format_from_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    doc = read_document(write(tmp_path, name, "Inria signs an agreement with CAS.\n"))
    assert doc.format == fmt
    assert "Inria signs an agreement with CAS." in doc.text


@pytest.mark.parametrize("name", ["a.pdf", "a.docx", "README", "a.txt.gz"])
def test_unsupported_format(tmp_path: Path, name: str) -> None:
    assert read_error(write(tmp_path, name, "text")).type == "unsupported_format"


def test_supported_suffixes_exported() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".markdown", ".html", ".htm"}


def test_path_sha256_and_source_name(tmp_path: Path) -> None:
    import hashlib

    raw = "Inria and CAS sign a memorandum of understanding\r\n\r\nParis, 5 April 2018.\r\n".encode()
    path = write(tmp_path, "news.txt", raw)
    assert read_document(path).path == path.as_posix()
    doc = read_document(path, source_name="news/a.txt")
    assert doc.path == "news/a.txt"
    assert doc.id == "news/a.txt"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_txt_title_is_first_non_empty_line(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "\n\n  Inria and CAS sign an MoU  \n\nParis, 5 April 2018.\n"))
    assert doc.title is not None and doc.title.text == "Inria and CAS sign an MoU"
    assert doc.publication_date is None
    assert doc.body_start == 0
    assert_indexes(doc)


def test_long_first_line_is_no_title(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "On 5 April 2018 Inria signed " + "x" * 200 + "\nShort line\n"))
    assert doc.title is None


@pytest.mark.parametrize(
    ("first_line", "title"),
    [("# Inria signs MoU", "Inria signs MoU"), ("### Inria signs MoU ###", "Inria signs MoU"), ("#1 in Europe", "#1 in Europe")],
)
def test_markdown_heading_markup_is_not_in_title(tmp_path: Path, first_line: str, title: str) -> None:
    doc = read_document(write(tmp_path, "a.md", f"***\n\n{first_line}\n\nBody text.\n"))
    assert doc.title is not None and doc.title.text == title
    assert doc.body_start == 0
    assert_indexes(doc)


def test_crlf_and_cr_become_newlines(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.md", b"---\r\ntitle: T\r\n---\r\nLine one\rLine two\r\n"))
    assert doc.text == "---\ntitle: T\n---\nLine one\nLine two\n"
    assert doc.title == Evidence("T", 11, 12)
    assert doc.body_start == len("---\ntitle: T\n---\n")


# --- front matter --------------------------------------------------------------------

FRONT_MATTER_CASES = [
    ('---\ntitle: "Quoted Title"\ndate: 2013-08-19\n---\nBody.\n', "Quoted Title", "2013-08-19"),
    ("---\ntitle: 'Single Quoted'\ndate: '2013-08-19T10:00:00Z'\n---\nBody.\n", "Single Quoted", "2013-08-19T10:00:00Z"),
    ("---\n\nlayout: post\nTitle:   Plain title  \ndate: \"2024-12-13 10:26:53 +0000\"\n---\nBody.\n", "Plain title", "2024-12-13 10:26:53 +0000"),
    ("---\ntitle: Folded over\n  two lines\ndate: 2024-03-14\n...\nBody.\n", "Folded over\n  two lines", "2024-03-14"),
    ("---\ntitle: >\n  Block scalar\n  title\ntags:\n  - a\n---\nBody.\n", "Block scalar\n  title", None),
    ("---\nslug: x\ndate: 2009-12-04\n---\n\n# Heading from body\nBody.\n", "Heading from body", "2009-12-04"),
    ('---\ntitle: ""\npublished: 2020-01-29\n---\nFirst body line\n', "First body line", "2020-01-29"),
    ("---\ntitle: a\ntitle: b\n---\nBody.\n", "a", None),
    ("---\nauthor:\n  title: nested, not top level\n---\nBody line\n", "Body line", None),
    ("---\ntitle: |-\n  Literal block\n\ndate: 2024-03-14 # a comment\n---\nBody.\n", "Literal block", "2024-03-14"),
    ("---\ntitle: &t !!str  Anchored title\nalso: *t\n---\nBody.\n", "Anchored title", None),
    ('---\n{title: "Flow title", date: 2024-03-14}\n---\nBody.\n', "Flow title", "2024-03-14"),
    ('---\ntitle: "Escaped \\" quote"\n---\nBody.\n', 'Escaped \\" quote', None),
    ("---\ntitle:\ntitle: Second has the value\n---\nBody.\n", "Second has the value", None),
    ("---\ntags: [a, b]\ndate: [2024-03-14]\n---\nBody line\n", "Body line", None),  # a list is no date
    ("---\n---\nBody line\n", "Body line", None),
]


@pytest.mark.parametrize(("source", "title", "date"), FRONT_MATTER_CASES)
def test_front_matter_evidence(tmp_path: Path, source: str, title: str | None, date: str | None) -> None:
    doc = read_document(write(tmp_path, "a.md", source))
    assert doc.text == source  # the front matter stays in the text
    assert (doc.title and doc.title.text) == title
    assert (doc.publication_date and doc.publication_date.text) == date
    assert doc.text[doc.body_start :].lstrip("\n").startswith(("Body", "# Heading", "First"))
    assert_indexes(doc)


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        ("---\ntitle: Acme: the deal\ndate: 2024-03-14\n---\nBody line\n", "front matter is not valid YAML (line 2: mapping values are not allowed here): not read"),
        ("---\ntitle: [unclosed\n---\nBody line\n", "front matter is not valid YAML (line 3: expected ',' or ']', but got '<stream end>'): not read"),
        ("---\ntitle: a\x07\n---\nBody line\n", "front matter is not valid YAML (unacceptable character #x0007: special characters are not allowed): not read"),
        ("---\nJust a sentence.\n---\nBody line\n", "front matter is not a YAML mapping of keys to values: not read"),
        ("---\n- title: a list\n---\nBody line\n", "front matter is not a YAML mapping of keys to values: not read"),
        ("---\ntitle: " + "[" * 2000 + "]" * 2000 + "\n---\nBody line\n", "front matter nested too deeply: not read"),
        ("---\ntitle: " + "x" * 32_000 + "\n---\nBody line\n", "front matter of 32,008 characters, over the limit of 32,000: not read"),
    ],
)
def test_front_matter_that_is_not_read_is_warned(source: str, warning: str) -> None:
    """Front matter that is no YAML mapping gives no title or date, and says why; the body still starts after it."""
    doc = document_from_text(source, fmt="md")
    assert [(w.code, w.message) for w in doc.warnings] == [("front_matter_not_read", warning)]
    assert doc.text[doc.body_start :] == "Body line\n"
    assert doc.title == Evidence("Body line", doc.body_start, doc.body_start + 9)
    assert doc.publication_date is None


@pytest.mark.parametrize("source", ["---\ntitle: never closed\nBody.\n", "Intro\n---\ntitle: late\n---\nBody\n"])
def test_no_front_matter_without_a_leading_closed_block(tmp_path: Path, source: str) -> None:
    doc = read_document(write(tmp_path, "a.md", source))
    assert doc.body_start == 0
    assert doc.publication_date is None


def test_front_matter_only_is_empty(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, "a.md", "---\ntitle: Only a header\n---\n\n  \n")).type == "empty"


def test_txt_bare_header(tmp_path: Path) -> None:
    source = "title: Lotus signe un accord\ndate: 2020-07-16\nheading: 16 juillet\n\nLotus a signé un accord.\n"
    doc = read_document(write(tmp_path, "a.txt", source))
    assert doc.title is not None and doc.title.text == "Lotus signe un accord"
    assert doc.publication_date is not None and doc.publication_date.text == "2020-07-16"
    assert doc.text[doc.body_start :] == "\nLotus a signé un accord.\n"
    assert_indexes(doc)


@pytest.mark.parametrize(
    "source",
    [
        "Paris: Inria and CAS signed an MoU.\n\nMore text.\n",  # a key-like line, but no title/date key
        "title: Inria\nand a line that is no field\n\nBody\n",
        "title: no blank line ends this\n",
    ],
)
def test_txt_without_bare_header(tmp_path: Path, source: str) -> None:
    doc = read_document(write(tmp_path, "a.txt", source))
    assert doc.body_start == 0
    assert doc.publication_date is None
    assert doc.title is not None and doc.title.text == source.splitlines()[0]


# --- decoding ------------------------------------------------------------------------

TEXT = "Société Générale signe un accord\nà Paris, le 5 avril 2018.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    doc = read_document(write(tmp_path, "a.txt", bom + TEXT.encode(encoding)))
    assert doc.text == TEXT
    assert doc.title is not None and doc.title.text == "Société Générale signe un accord"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_western_encoding(tmp_path: Path, encoding: str) -> None:
    assert read_document(write(tmp_path, "a.txt", TEXT.encode(encoding))).text == TEXT


def test_short_latin1_line(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.txt", "Société Générale signe un accord".encode("latin-1")))
    assert doc.text == "Société Générale signe un accord"


def test_html_meta_charset(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"><title>Société Générale signe</title></head><body><p>Accord signé à Paris.</p></body></html>'
    doc = read_document(write(tmp_path, "a.html", html.encode("latin-1")))
    assert "Accord signé à Paris." in doc.text
    assert doc.title is not None and doc.title.text == "Société Générale signe"


def test_invalid_utf8_is_decoded_or_rejected_explicitly(tmp_path: Path) -> None:
    try:
        doc = read_document(write(tmp_path, "a.txt", b"Inria \xff\xfe\xfd signs \xc3\x28 an agreement"))
    except ReadError as err:
        assert err.type in {"decode", "binary"}
    else:
        assert "signs" in doc.text and "an agreement" in doc.text


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04\x00\x00binary zip", b"text with a NUL\x00 inside", bytes(range(1, 32)) * 10],
)
def test_binary(tmp_path: Path, content: bytes) -> None:
    assert read_error(write(tmp_path, "a.txt", content)).type == "binary"


def test_utf16_bom_on_odd_length_is_a_decode_error(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, "a.txt", b"\xff\xfeA\x00B")).type == "decode"


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\ufeff\n".encode()])
def test_empty(tmp_path: Path, suffix: str, content: bytes) -> None:
    assert read_error(write(tmp_path, "a" + suffix, content)).type == "empty"


# --- file-system errors ---------------------------------------------------------------


def test_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "x" * 101)
    assert read_error(path, max_bytes=100).type == "too_large"
    assert read_document(path, max_bytes=101).text == "x" * 101


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    assert read_error(tmp_path / "folder.txt").type == "unreadable"


def test_missing(tmp_path: Path) -> None:
    assert read_error(tmp_path / "missing.txt").type == "unreadable"


def test_fifo_is_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(tmp_path / "pipe.txt")
    assert read_error(tmp_path / "pipe.txt").type == "unreadable"


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert read_error(tmp_path / "a.txt").type == "unreadable"


def test_permission_denied(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = write(tmp_path, "a.txt", "secret")
    path.chmod(0)
    try:
        assert read_error(path).type == "unreadable"
    finally:
        path.chmod(0o600)


def test_read_error_pickles() -> None:
    err = pickle.loads(pickle.dumps(ReadError("empty", "a.txt: no text")))
    assert (err.type, err.message, str(err)) == ("empty", "a.txt: no text", "a.txt: no text")


# --- HTML ----------------------------------------------------------------------------

ARTICLE = """
<article>
  <h1>Inria and CAS sign a memorandum of understanding</h1>
  <p>Paris, 5 April 2018 - Inria and the Chinese Academy of Sciences signed a memorandum of
  understanding on artificial intelligence. The agreement covers the years 2011-12 and beyond.</p>
  <p>The aim is to promote joint research projects and the mobility of scientists.</p>
  <table><tr><td>Partner</td><td>Country</td></tr><tr><td>CAS</td><td>China</td></tr></table>
</article>
"""


def page(head: str = "", body: str = ARTICLE) -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body><nav>Home | News</nav>{body}</body></html>"


@pytest.mark.parametrize(
    ("head", "body", "date"),
    [
        ('<meta property="article:published_time" content="2018-04-06T10:00:00+02:00">', ARTICLE, "2018-04-06T10:00:00+02:00"),
        ('<meta name="DC.date.issued" content="2018-04-06">', ARTICLE, "2018-04-06"),
        ('<script type="application/ld+json">{"@graph": [{"datePublished": "2018-04-06"}]}</script>', ARTICLE, "2018-04-06"),
        ("", '<time datetime="2018-04-06">6 April</time>' + ARTICLE, "2018-04-06"),
        ('<meta property="article:modified_time" content="2019-01-01">', ARTICLE, None),
        ("", ARTICLE, None),  # only body dates ("5 April 2018", "2011-12"): not metadata
    ],
)
def test_html_publication_date_only_from_metadata(tmp_path: Path, head: str, body: str, date: str | None) -> None:
    doc = read_document(write(tmp_path, "a.html", page(head, body)))
    assert (doc.publication_date and doc.publication_date.text) == date
    assert "signed a memorandum of" in doc.text[doc.body_start :]
    assert "CAS" in doc.text[doc.body_start :]  # the table is kept
    assert_indexes(doc)


@pytest.mark.parametrize(
    ("declared", "order", "value", "precision", "ambiguous"),
    [
        ("2024-03-03", "DMY", "2024-03-03", "day", False),
        ("2024-03-03T10:00:00+01:00", "DMY", "2024-03-03", "day", False),  # ISO with an offset
        ("2024-03-03T23:30:00-05:00", "DMY", "2024-03-03", "day", False),  # the day written, not UTC's
        ("2024-12-08T22:56:26.904Z", "MDY", "2024-12-08", "day", False),
        ("Sun, 03 Mar 2024 10:00:00 GMT", "DMY", "2024-03-03", "day", False),  # RFC 2822
        ("03/04/2024 14:30", "DMY", "2024-04-03", "day", True),  # day first, with a time
        ("03/04/2024 14:30", "MDY", "2024-03-04", "day", True),  # a month-first locale
        ("15.03.2024 09:00", "DMY", "2024-03-15", "day", False),
        ("21-04-2022 10:00", "MDY", "2022-04-21", "day", False),  # only one reading
        ("1709458200", "DMY", "2024-03-03", "day", False),  # Unix seconds: the UTC day
        ("1709508600", "DMY", "2024-03-03", "day", False),  # 23:30 UTC stays 3 March
        ("1709458200000", "DMY", "2024-03-03", "day", False),  # milliseconds
        ("2024-03", "DMY", "2024-03", "month", False),  # the precision the value gives
        ("123456789", "DMY", None, None, False),  # 1973: a counter, not a publication date
        ("9999999999", "DMY", None, None, False),  # 2286: in the future
        ("true", "DMY", None, None, False),
    ],
)
def test_front_matter_date_formats(declared: str, order: str, value: str | None, precision: str | None, ambiguous: bool) -> None:
    doc = replace(document_from_text(f"---\ntitle: Acme signs\ndate: {declared}\n---\nBody.\n", fmt="md"), language="en")
    found = metadata_date(doc, order)
    assert (found and found.value) == value
    if found is not None:
        assert found.precision == precision and found.ambiguous_order == ambiguous
        assert doc.text[found.start : found.end] == found.text == declared  # the quote is the value as written


@pytest.mark.parametrize(
    ("head", "value"),
    [
        ('<meta property="article:published_time" content="2024-03-03T10:00:00+01:00">', "2024-03-03"),
        ('<meta name="pubdate" content="Sun, 03 Mar 2024 10:00:00 GMT">', "2024-03-03"),
        ('<meta name="date" content="1709458200">', "2024-03-03"),
    ],
)
def test_html_metadata_date_formats(tmp_path: Path, head: str, value: str) -> None:
    found = metadata_date(read_document(write(tmp_path, "a.html", page(head))))
    assert found is not None and found.value == value and found.precision == "day"


def test_html_header_layout(tmp_path: Path) -> None:
    head = '<title>Site</title><meta property="og:title" content="Inria and CAS\n sign an MoU"><meta property="article:published_time" content="2018-04-06">'
    doc = read_document(write(tmp_path, "a.html", page(head)))
    header = "---\ntitle: Inria and CAS sign an MoU\ndate: 2018-04-06\n---\n"
    assert doc.text.startswith(header)
    assert doc.body_start == len(header)
    assert doc.title == Evidence("Inria and CAS sign an MoU", 11, 36)
    assert_indexes(doc)


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ("<title>Inria News</title>", ARTICLE, "Inria and CAS sign a memorandum of understanding"),
        ("<title>Inria and CAS sign an MoU | Inria</title>", "<p>Body text only, long enough to keep.</p>", "Inria and CAS sign an MoU | Inria"),
        ("<title> ITI </title>", "<h3>ITI Signs MoU with Telecom Commission</h3><p>Body text.</p>", "ITI Signs MoU with Telecom Commission"),
        ("<title> ITI </title>", "<p>Body text.</p>", "ITI"),
    ],
)
def test_html_title(tmp_path: Path, head: str, body: str, title: str) -> None:
    doc = read_document(write(tmp_path, "a.html", page(head, body)))
    assert doc.title is not None and doc.title.text == title
    assert_indexes(doc)


def test_html_without_metadata_has_no_header(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a.html", "<p>Inria signs an agreement with CAS.</p>"))
    assert doc.body_start == 0
    assert doc.text.startswith("Inria signs an agreement with CAS.")


def test_html_blocks_are_paragraphs(tmp_path: Path) -> None:
    """A long headline must not run into the first paragraph's sentence."""
    body = "<h1>Ethiopia and Korea sign a twelve million dollar grant agreement for vocational training</h1><p>Addis Ababa — The ministry and the agency signed it.</p>"
    doc = read_document(write(tmp_path, "a.html", body))
    assert "vocational training\n\nAddis Ababa" in doc.text
    assert_indexes(doc)


@pytest.mark.parametrize(
    ("figures", "captions"),
    [
        # a caption follows the prose, a paragraph of its own, wherever the figure stands
        ("<figure><img src='a.jpg' alt='photo'/><figcaption>Jane Roe (left) and John Doe</figcaption></figure>", ["Jane Roe (left) and John Doe"]),
        # its line breaks and <br> are spaces, as rendered
        ("<figure><figcaption>Jane Roe, president and<br/>chief executive,\n  Acme Corp</figcaption></figure>", ["Jane Roe, president and chief executive, Acme Corp"]),
        # each figure's caption once, in page order; an empty one is none
        (
            "<figure><figcaption>Jane Roe</figcaption></figure><figure><figcaption> </figcaption></figure>"
            "<figure><figcaption>John Doe</figcaption></figure><figure><figcaption>Jane Roe</figcaption></figure>",
            ["Jane Roe", "John Doe"],
        ),
        # no figure, no caption
        ("<img src='a.jpg' alt='Jane Roe'/>", []),
    ],
)
def test_html_figure_captions_follow_the_prose(tmp_path: Path, figures: str, captions: list[str]) -> None:
    page = f"<html><body><article>{ARTICLES['en'].format(figures=figures)}</article></body></html>"
    doc = read_document(write(tmp_path, "a.html", page))
    assert [c.text for c in doc.captions] == captions
    assert all(doc.text[c.start - 2 : c.start] == "\n\n" for c in doc.captions)
    prose = doc.text[: doc.captions[0].start] if doc.captions else doc.text
    assert prose.rstrip().endswith("survey the roads.")
    assert not any(c in prose for c in captions)
    assert_indexes(doc)


def test_html_caption_the_prose_already_holds_is_not_repeated(tmp_path: Path) -> None:
    """A page too short for trafilatura's main text is read by its baseline, captions included."""
    page = "<html><body><figure><figcaption>Jane Roe and John Doe</figcaption></figure><p>Acme and Bolt signed an MoU.</p></body></html>"
    doc = read_document(write(tmp_path, "a.html", page))
    assert "Jane Roe and John Doe" in doc.text and doc.captions == ()


def test_html_with_markup_only_is_empty(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, "a.html", "<html><head><title></title></head><body><div> </div></body></html>")).type == "empty"


@pytest.mark.parametrize("junk", ["\x0b", "\x0c", "\x01", "\ufffe"])
def test_html_with_characters_xml_forbids(tmp_path: Path, junk: str) -> None:
    doc = read_document(write(tmp_path, "a.html", f"<html><body><p>Inria{junk} signs.</p>{junk}<p>CAS too.</p></body></html>"))
    assert "Inria signs." in doc.text and "CAS too." in doc.text


def test_html_without_elements_is_empty(tmp_path: Path) -> None:
    assert read_error(write(tmp_path, "a.html", "<!-- only a comment -->")).type == "empty"


def test_xhtml_with_encoding_declaration(tmp_path: Path) -> None:
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Accord signé.</p></body></html>'
    assert "Accord signé." in read_document(write(tmp_path, "a.xhtml.html", xhtml)).text


def read_quickly(path: Path) -> Document | ReadError:
    started = time.perf_counter()
    try:
        result: Document | ReadError = read_document(path)
    except ReadError as err:
        result = err
    assert time.perf_counter() - started < 10
    return result


def test_deeply_nested_html(tmp_path: Path) -> None:
    html = "<html><body>" + "<div>" * 5000 + "<p>Deep agreement text.</p>" + "</div>" * 5000 + "</body></html>"
    result = read_quickly(write(tmp_path, "deep.html", html))
    if isinstance(result, Document):
        assert_indexes(result)


def test_entity_expansion_bomb(tmp_path: Path) -> None:
    entities = '<!ENTITY a "' + "a" * 1000 + '">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    html = f"<!DOCTYPE html [{entities}]>\n<html><body><p>&j;</p><p>Inria signs an MoU.</p></body></html>"
    result = read_quickly(write(tmp_path, "bomb.html", html))
    if isinstance(result, Document):
        assert len(result.text) < 100_000  # not expanded
        assert_indexes(result)


# --- text in memory ------------------------------------------------------------------


def test_document_from_text() -> None:
    import hashlib

    text = "---\r\ntitle: Inria signs\r\ndate: 2020-01-29\r\n---\r\nBody.\r\n"
    doc = document_from_text(text, source_name="x.md", fmt="md")
    assert doc.text == "---\ntitle: Inria signs\ndate: 2020-01-29\n---\nBody.\n"
    assert doc.sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert (doc.path, doc.format) == ("x.md", "md")
    assert doc.title is not None and doc.title.text == "Inria signs"
    assert doc.publication_date is not None and doc.publication_date.text == "2020-01-29"
    assert_indexes(doc)


def test_document_from_text_defaults() -> None:
    doc = document_from_text("\ufeffInria signs\n\nBody.")
    assert (doc.path, doc.format, doc.body_start, doc.text) == ("<text>", "txt", 0, "Inria signs\n\nBody.")
    assert doc.title == Evidence("Inria signs", 0, 11)
    with pytest.raises(ReadError) as caught:
        document_from_text(" \n ")
    assert caught.value.type == "empty"


# --- properties ----------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        b"---\n", b"...\n", b"title: ", b"date: ", b"Date: 2020-01-29", b'"', b"'", b"\n", b"\r\n", b"\r", b"  ",
        b"# ", b">\n", b"  more\n", b"Inria signs", "é à «»".encode(), "é".encode("latin-1"), b"\xff\xfe", b"\xef\xbb\xbf",
        b"\x00", b"\x85", b"\x0b", b"\x0c", b"<html>", b"<head>", b"<title>T</title>", b"<h1>Heading</h1>", b"<p>Para</p>",
        b'<meta property="article:published_time" content="2020-01-29">', b'<meta charset="latin-1">',
        b'<meta charset="utf-16">', b'<meta charset="punycode">', b"<time datetime='x1'>", b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
        b'<script type="application/ld+json">{"datePublished": "1"}</script>', b"<div>", b"</div>", b"&a;", b"<![CDATA[",
    ]
)
BYTES = st.one_of(st.binary(max_size=300), st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=40).map(b"".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=BYTES, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_bytes_give_a_document_or_a_read_error(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = write(tmp_path, "prop" + suffix, content)
    try:
        doc = read_document(path)
    except ReadError as err:
        assert err.type and err.message
    else:
        assert_indexes(doc)
        assert doc.text.strip()
        assert "\r" not in doc.text


FIELD_KEYS = st.sampled_from(["title", "Title", "date", "published", "slug", "heading", " title", "- x"])
HEADER_TEXT = st.builds(
    lambda fence, fields, body: fence + "".join(f"{key}:{value}\n" for key, value in fields) + fence + body,
    st.sampled_from(["---\n", ""]),
    st.lists(st.tuples(FIELD_KEYS, st.text(max_size=20)), max_size=5),
    st.text(max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), HEADER_TEXT), fmt=st.sampled_from(["txt", "md", "html"]))
def test_any_text_gives_a_document_or_a_read_error(text: str, fmt: str) -> None:
    try:
        doc = document_from_text(text, fmt=fmt)  # type: ignore[arg-type]
    except ReadError as err:
        assert err.type == "empty" or (fmt == "html" and err.type == "unparsable_html")
    else:
        assert_indexes(doc)


# --- the development corpus (when present) -------------------------------------------


def corpus_files() -> list[Path]:
    if not CORPUS_DOCS.is_dir():
        pytest.skip("corpus not available")
    return sorted(p for p in CORPUS_DOCS.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def test_every_corpus_document_reads() -> None:
    files = corpus_files()
    assert files
    for path in files:
        doc = read_document(path, source_name=path.name)
        assert_indexes(doc)
        assert doc.text[doc.body_start :].strip()


def test_corpus_html_date_is_not_guessed_from_the_body() -> None:
    corpus_files()
    path = CORPUS_DOCS / "en-010.html"
    if not path.exists():
        pytest.skip("en-010.html not in the corpus")
    doc = read_document(path)
    assert doc.publication_date is None or doc.publication_date.text != "2011-12-01"


def test_corpus_scraped_txt_header_gives_the_date() -> None:
    corpus_files()
    path = CORPUS_DOCS / "fr-001.txt"
    if not path.exists():
        pytest.skip("fr-001.txt not in the corpus")
    doc = read_document(path)
    assert doc.publication_date is not None and doc.publication_date.text == "2019-10-11"
    assert doc.title is not None and not doc.title.text.startswith("title:")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("See [Acme University](https://acme.edu) now", "See  Acme University                    now"),
        ("![logo](a.png) Acme", "               Acme"),
        ("<li>Acme</li>", "    Acme     "),
        ('{:start="3"}\n3. Acme', '            \n3. Acme'),
        ("2.&nbsp;&nbsp;Acme R&amp;D", "2.            Acme R&amp;D"),
        ("tags: " + "[" * 400 + " Acme", "tags: " + " " * 400 + " Acme"),
        ("https://acme.edu/" + "a" * 200 + " Acme", "https://acme.edu/" + "a" * 200 + " Acme"),
        ("Suren Papikyan.\\\n\\\nThe C\\+\\+ code", "Suren Papikyan. \n \nThe C\\+\\+ code"),  # hard breaks, not escapes
    ],
)
def test_markup_is_masked_in_place(text: str, masked: str) -> None:
    assert mask_markup(text) == masked


@given(st.text(alphabet=st.sampled_from(list("ab []()!<>/{}:;&#nbsp\n\\"))))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_masking_keeps_every_offset(text: str) -> None:
    masked = mask_markup(text)
    assert len(masked) == len(text)
    assert all(m == c or m == " " for m, c in zip(masked, text))


@pytest.mark.parametrize(
    ("page", "paragraphs"),
    [
        # a hard-wrapped sentence is one paragraph, as a browser renders it
        (
            "<html><body><article><p>Acme Corp and Beta Group\n    signed a memorandum of\n    understanding today.</p>"
            "<p>It runs for five years.</p></article></body></html>",
            ["Acme Corp and Beta Group signed a memorandum of understanding today.", "It runs for five years."],
        ),
        # a JSX component whose content starts on its own line is a block; one holding <li> a list
        (
            "<NewsParagraphContent>\n  Élisabeth\n  Borne a signé une convention avec le groupe Acme.\n</NewsParagraphContent>\n"
            "<NewsParagraphContent list>\n  <li>\n    Mobiliser ses filiales\n  </li>\n  <li>\n    Embaucher 2 500 salariés\n  </li>\n</NewsParagraphContent>",
            ["Élisabeth Borne a signé une convention avec le groupe Acme.", "- Mobiliser ses filiales", "- Embaucher 2 500 salariés"],
        ),
    ],
)
def test_html_line_breaks_are_spaces(tmp_path: Path, page: str, paragraphs: list[str]) -> None:
    doc = read_document(write(tmp_path, "a.html", page))
    assert doc.text[doc.body_start :].split("\n\n") == paragraphs


def test_html_preformatted_text_keeps_its_lines(tmp_path: Path) -> None:
    page = "<html><body><p>Acme Corp and Beta Group signed an agreement.</p><pre>line one\nline two</pre></body></html>"
    doc = read_document(write(tmp_path, "a.html", page))
    assert "line one\n\nline two" in doc.text


LEAD = "Acme Corp and Beta Group signed a memorandum of understanding in Oslo on Monday to build roads."


@pytest.mark.parametrize(
    ("front_matter", "body", "lead"),
    [
        # a lead only the front matter gives opens the body
        (f"chapeau-text: {LEAD}\nfiles: a.pdf", "The roads will link two towns.", LEAD),
        (f'summary: "{LEAD}"', "The roads will link two towns.", LEAD),
        # folded over lines, it is still the lead
        (f"description: {LEAD[:40]}\n  {LEAD[40:]}", "The roads will link two towns.", f"{LEAD[:40]}\n  {LEAD[40:]}"),
        # the body repeats it: the body's own first paragraph is the lead
        (f"description: {LEAD}", f"{LEAD} The roads will link two towns.", None),
        # a tagline is no lead
        ("summary: Roads for two towns", "The roads will link two towns.", None),
    ],
)
def test_front_matter_lead(front_matter: str, body: str, lead: str | None) -> None:
    doc = document_from_text(f"---\ntitle: Roads\n{front_matter}\n---\n{body}\n", "a.md", "md")
    assert (doc.lead.text if doc.lead else None) == lead
    body_start = doc.text.index(body)
    assert doc.body_start == (doc.lead.start if doc.lead else body_start)
    assert doc.front_matter_end == (body_start if doc.lead else 0)


def test_front_matter_after_the_lead_is_hidden_from_the_nlp() -> None:
    doc = document_from_text(f"---\ntitle: Roads\nchapeau: {LEAD}\nfiles: a.pdf\n---\nThe roads will link two towns.\n", "a.md", "md")
    masked = mask_document(doc)
    assert len(masked) == len(doc.text) and masked.count("\n") == doc.text.count("\n")
    assert LEAD in masked and "title: Roads" in masked
    assert "a.pdf" not in masked and "files" not in masked
