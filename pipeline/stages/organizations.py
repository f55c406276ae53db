"""Organisations: names, acronyms and the grouping of their mentions.

"Chinese Academy of Sciences (CAS)" defines an acronym anywhere in the text; "CAS" and
"the Chinese Academy of Sciences" are then one organisation, and so are "ITI", "ITI Ltd."
and "ITI Limited" (legal suffixes do not tell organisations apart).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from itertools import islice, takewhile
import unicodedata

from spacy.tokens import Doc, Span, Token

from pipeline.agreement_phrases import AGREEMENT_SPANS
from pipeline.nlp import PERSON_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages.views import entities, holds, overlaps, positions_of, span_text, text_of, token_texts

_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z0-9&*+.\-/ ]{1,24}$")  # "A*STAR", "R&D"
ORG_LABELS = ("ORG",)
_NAMES, _ENTITIES = "organisation_names", "named_entities"
_ENTITY_AT, _NAMED_AT, _ORG_ENTITY_BOUNDS = "entity_at", "named_entity_at", "org_entity_bounds"
_ACRONYM_DEFINITIONS = "acronym_definitions"
_AND = ("and", "&")
_MAX_SUFFIX_TOKENS = 3  # "A", "/", "S"; "S.p", ".", "A."
_MAX_INITIALS = 8
_MAX_PORTFOLIO_TOKENS = 16  # "ministre de la Transformation et de la Fonction publiques"
_TERM_WINDOW = 4  # "appelées ci-après les" before the term
_MAX_APPOSITION_WORDS = 2  # "le réseau" between a short form's comma and its name
_MAX_COMPLEMENT = 6  # "et technologies du numérique" after a name NER cut
_TERMS = "defined_terms"


def _folded(text: str) -> str:
    """Without accents or case: what name keys compare."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@cache
def _folded_words(words: frozenset[str]) -> frozenset[str]:
    """A word list as name keys spell it ("d’" is "d"), folded once per list."""
    return frozenset(" ".join(re.findall(r"[a-z0-9]+", _folded(w))) for w in words)


def name_key(name: str, rules: LanguageRules) -> str:
    """What two names of the same organisation share: no case, accents, punctuation,
    leading article, lower-case institution noun ("région Île-de-France" is "Île-de-France")
    or legal suffix."""
    text = _folded(name)
    text = re.sub(r"[’']s\b", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    while words and words[0] in ("the", "l", "la", "le", "les"):
        words.pop(0)
    if len(words) > 1 and name[:1].islower() and words[0] in _folded_words(rules.lower_case_name_heads):
        words.pop(0)
        if len(words) > 1 and words[0] in _folded_words(rules.name_prepositions):
            words.pop(0)
    while len(words) > 1 and words[-1] in _bare_suffixes(rules.legal_suffixes):
        words.pop()
    return " ".join(words)


@cache
def _bare_suffixes(suffixes: frozenset[str]) -> frozenset[str]:
    """Legal suffixes without their dots, as name keys write them; made once per list."""
    return frozenset(s.strip(".") for s in suffixes)


@cache
def _suffix_beginnings(suffixes: frozenset[str]) -> frozenset[str]:
    """Every beginning of a legal suffix ("a", "a/", "a/s"): a token that is none starts no suffix."""
    return frozenset(s.lower()[:end] for s in suffixes for end in range(1, len(s) + 1))


def strip_article(span: Span) -> Span:
    """"the University of Auckland" → "University of Auckland"; also a leading preposition
    ("de France") and an elided article the tagger did not call one ("L’Arménie")."""
    start = span.start
    while start < span.end - 1 and (span.doc[start].pos_ in ("DET", "ADP") or _elided(span.doc[start])):
        start += 1
    while start < span.end - 1 and span.doc[start].is_space:
        start += 1
    end = span.end
    while end > start + 1 and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space or span.doc[end - 1].lower_ in ("’s", "'s")):
        end -= 1
    return span.doc[start:end]


def _elided(token: Token) -> bool:
    """"L’", "d'": one letter and an apostrophe, a function word cut before a vowel."""
    return len(token.text) == 2 and token.text[0].isalpha() and token.text[1] in "'’"


def acronym_definitions(doc: Doc, rules: LanguageRules) -> dict[str, Span]:
    """``"CAS" → span of "Chinese Academy of Sciences"`` for every "Full Name (ACR)" in the text
    (found once per doc: parties, organisations and people all ask)."""
    if _ACRONYM_DEFINITIONS not in doc.user_data:
        doc.user_data[_ACRONYM_DEFINITIONS] = _find_acronym_definitions(doc, rules)
    return doc.user_data[_ACRONYM_DEFINITIONS]


def _find_acronym_definitions(doc: Doc, rules: LanguageRules) -> dict[str, Span]:
    found: dict[str, Span] = {}
    for token in (doc[i] for i in positions_of(doc, "(")):
        if token.i == 0:
            continue
        close = next((t for t in doc[token.i + 1 : token.i + 6] if t.text == ")"), None)
        if close is None:
            continue
        inner = doc[token.i + 1 : close.i]
        if len(inner.text.split()) > 3 or inner.text.lower() in rules.legal_suffixes:
            continue  # "(SAS)" after a name is its legal form, not an acronym
        full = _name_before(doc, token.i, rules)
        if full is not None and not _ACRONYM.match(inner.text):
            full = _abbreviated_name(inner, full)
        full = full or _spelled_by_initials(inner, rules) or _with_lower_case_complement(inner, rules)
        if full is not None and not agreement_named(full) and name_key(full.text, rules) != name_key(inner.text, rules):
            found.setdefault(inner.text, full)
    for short, full in [*_dashed_short_forms(doc, rules), *_appositive_names(doc)]:
        if not agreement_named(full) and name_key(full.text, rules) != name_key(short.text, rules):
            found.setdefault(short.text, full)
    return found


def _dashed_short_forms(doc: Doc, rules: LanguageRules) -> list[tuple[Span, Span]]:
    """"Générale Des Assurances Du Bénin - GAB": a short form after a spaced dash, spelled by
    the initials of the name before it (its joiners skipped), defines it as brackets do."""
    found = []
    texts = token_texts(doc)
    for dash in (doc[i] for i in range(1, len(doc) - 1) if unicodedata.category(texts[i][0]) == "Pd"):
        if not (doc[dash.i - 1].whitespace_ and dash.whitespace_):
            continue
        short = doc[dash.i + 1 : dash.i + 2]
        after = doc[dash.i + 2] if dash.i + 2 < len(doc) else None
        if not _ACRONYM.match(short.text):
            continue
        if after is not None and after.text[:1].isupper():
            continue  # "Acme - GAB Assurance": the dash opens another name
        if (full := _spelled_by_initials(short, rules)) is not None:
            found.append((short, full))
    return found


def _appositive_names(doc: Doc) -> list[tuple[Span, Span]]:
    """"MaSAE, le réseau Madagascar Structures d'Accompagnement": an organisation's name in
    apposition to a short form whose letters its capitalised words open, in order and from
    the first, is the short form's full name."""
    found = []
    for entity in entities(doc):
        if entity.label_ not in (*ORG_LABELS, "MISC"):  # small models call many such names MISC
            continue
        comma = entity.start - 1
        while comma > entity.start - 1 - _MAX_APPOSITION_WORDS and comma > 0 and (doc[comma].pos_ == "DET" or (doc[comma].is_lower and doc[comma].pos_ == "NOUN")):
            comma -= 1
        if comma < 1 or doc[comma].text != "," or not _ACRONYM.match(doc[comma - 1].text):
            continue
        name = strip_article(entity)
        if _initials_in_order([t.text[0] for t in name if t.text[:1].isupper()], doc[comma - 1].text):
            found.append((doc[comma - 1 : comma], name))
    return found


def _initials_in_order(initials: list[str], short: str) -> bool:
    """Every initial found in ``short`` in order, case aside, the first opening it."""
    letters = short.lower()
    if not initials or letters[:1] != initials[0].lower():
        return False
    position = 0
    for initial in initials:
        position = letters.find(initial.lower(), position)
        if position < 0:
            return False
        position += 1
    return True


def _with_lower_case_complement(short: Span, rules: LanguageRules) -> Span | None:
    """"Institut national de recherche en sciences" + "et technologies du numérique (Inria)":
    NER cut an organisation's name before the lower-case words that end it, right before its
    short form. The words between hold no verb, pronoun or punctuation, and the short form
    opens with the name's first letter (Schwartz & Hearst's first condition)."""
    doc, paren = short.doc, short.start - 1
    start = paren
    while start > 0 and paren - start < _MAX_COMPLEMENT and entity_at(doc, start - 1) is None and doc[start - 1].is_lower and doc[start - 1].pos_ not in ("VERB", "AUX", "PRON"):
        start -= 1
    entity = entity_at(doc, start - 1) if start < paren else None
    if entity is None or entity.label_ not in ORG_LABELS or entity.end != start:
        return None
    name = strip_article(doc[entity.start : paren])
    return name if name.text[:1].lower() == short.text[:1].lower() else None


def _abbreviated_name(short: Span, candidate: Span) -> Span | None:
    """The end of ``candidate`` that a one-word, mixed-case short form abbreviates
    ("Taiwan Power Company (Taipower)"): its letters occur in order in the name, its first
    letter starting a word (Schwartz & Hearst, 2003). A place or a person in brackets
    ("(Norway)") abbreviates nothing."""
    if len(short) != 1 or not short.text[:1].isupper() or not short.text.isalpha() or short[0].ent_type_ in ("GPE", "LOC", "NORP", "PERSON"):
        return None
    letters, name = short.text.lower(), candidate.text.lower()
    position = len(name)
    for n, letter in enumerate(reversed(letters)):
        starts_word = n == len(letters) - 1
        position = next(
            (i for i in range(position - 1, -1, -1) if name[i] == letter and not (starts_word and i > 0 and name[i - 1].isalnum())),
            -1,
        )
        if position < 0:
            return None
    start = candidate.doc.char_span(candidate.start_char + position, candidate.end_char, alignment_mode="expand")
    return start if start is not None and len(start) >= 2 else None


def _spelled_by_initials(short: Span, rules: LanguageRules) -> Span | None:
    """The words right before the brackets whose initials spell the short form, the name's
    joiners and elided articles skipped: "Commission canadienne de sûreté nucléaire (CCSN)",
    "Caisse nationale d'allocations familiales (Cnaf)", names in lower case but their first
    word, which NER cuts short or calls a place (Schwartz & Hearst's alignment, word by word)."""
    doc, paren = short.doc, short.start - 1
    letters = [c for c in short.text.lower() if c.isalnum()]
    if not short.text[:1].isupper() or not 2 <= len(letters) <= _MAX_INITIALS:
        return None
    start = paren
    while letters and start > 0:
        word = doc[start - 1]
        start -= 1
        if word.lower_ in rules.name_joiners or _elided(word):
            continue
        if not word.text.replace("-", "").isalpha() or word.lower_[0] != letters.pop():
            return None
    return doc[start:paren] if not letters and doc[start].text[:1].isupper() else None


def _name_before(doc: Doc, paren: int, rules: LanguageRules) -> Span | None:
    """The proper name that ends right before the parenthesis: an ORG entity, else capitalised words."""
    entity = entity_at(doc, paren - 1)
    if entity is not None and entity.label_ not in ("ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT"):
        entity = None
    entity = _with_head_words(doc[entity.start : paren], rules) if entity is not None else None  # NER may run into the brackets
    walked = _capitalised_before(doc, paren, rules)
    # An entity that runs over a lower-case link ("NZ Centre at Peking University (PKU)") holds
    # two names: the acronym belongs to the capitalised words right before it.
    spans_two = entity is not None and any(t.is_lower and t.lower_ not in rules.name_joiners for t in entity)
    if entity is not None and not spans_two and (walked is None or walked.start >= entity.start):
        return strip_article(entity)
    return walked or (strip_article(entity) if entity is not None else None)


def _with_head_words(entity: Span, rules: LanguageRules) -> Span:
    """"Agency for" + "Science, Technology and Research": NER left out the capitalised words
    that a preposition of the name joins to its fields."""
    doc = entity.doc
    link = entity.start - 1
    if link < 1 or doc[link].pos_ != "ADP" or doc[link].lower_ not in rules.name_joiners or not doc[link - 1].text[:1].isupper():
        return entity
    head_words = _capitalised_before(doc, link + 1, rules)
    return doc[head_words.start : entity.end] if head_words is not None else entity


def _capitalised_before(doc: Doc, paren: int, rules: LanguageRules) -> Span | None:
    """Capitalised words (and joiners such as "for") ending right before ``paren``."""
    joiners = rules.name_joiners
    start = paren
    while start > 0:
        previous = doc[start - 1]
        if previous.is_title or previous.is_upper or previous.text[:1].isupper():
            start -= 1
        elif previous.lower_ in joiners and start - 1 > 0 and doc[start - 2].text[:1].isupper() and not _ends_a_name(previous, doc[start:paren], rules):
            start -= 1
        else:
            break
    while start < paren and doc[start].lower_ in joiners:
        start += 1
    return doc[start:paren] if paren - start >= 2 else None


def _ends_a_name(joiner: Token, rest: Span, rules: LanguageRules) -> bool:
    """"Lincoln University and Universiti Putra Malaysia (UPM)": the "and" follows a whole
    organisation name and another starts after it, rather than joining two words of one
    ("Research and Development", "Ministry of ICT and Innovation (MINICT)")."""
    if joiner.lower_ not in _AND:
        return False
    before = entity_at(joiner.doc, joiner.i - 1)
    return before is not None and before.end == joiner.i and before.label_ in ORG_LABELS and _starts_new_name(before, rest, rules)


def _suffix_alternation(suffixes: frozenset[str]) -> str:
    return "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))


@cache
def _suffix_after(suffixes: frozenset[str]) -> re.Pattern[str]:
    """A legal suffix right after a name (compiled once: the alternation is long), a whole
    word: the "Co" of "GreenFurrow Co-operative" is none."""
    return re.compile(rf",? ((?:{_suffix_alternation(suffixes)}))(?!\w|-\w)", re.IGNORECASE)


@cache
def _suffix_at_end(suffixes: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf",?\s+(?:{_suffix_alternation(suffixes)})$", re.IGNORECASE)


def legal_form(name: str, text: str, rules: LanguageRules) -> str | None:
    """The longest "name + legal suffix" the text writes ("ITI Limited", "Fjellvind Subsea AS").
    A legal suffix is written with a capital: ", as" is just a word."""
    if name not in text:
        return None
    suffix = _suffix_after(rules.legal_suffixes)
    forms = [
        text[start : after.end()]
        for start in word_occurrences(text, name, ignore_case=True, word_end=False)
        if (after := suffix.match(text, start + len(name))) is not None and after.group(1)[0].isupper()
    ]
    return max(forms, key=len, default=None)


_WORD_CHARACTER = re.compile(r"\w")


def word_occurrences(text: str, needle: str, ignore_case: bool = False, word_end: bool = True, start: int = 0) -> list[int]:
    """Where ``needle`` starts in ``text`` (from ``start`` on) as a word of its own: no word
    character right before it (nor right after, with ``word_end``); non-overlapping, left to
    right, as ``re.finditer(r"(?<!\w)needle(?!\w)")`` finds them, without compiling a pattern
    per needle."""
    if ignore_case:
        lowered = _lowered(text)
        if len(lowered) != len(text) or len(needle.lower()) != len(needle):  # "İ" lower-cases to two characters
            flags = re.IGNORECASE
            end = r"(?!\w)" if word_end else ""
            return [m.start() for m in re.compile(rf"(?<!\w){re.escape(needle)}{end}", flags).finditer(text, start)]
        text, needle = lowered, needle.lower()
    found, start = [], text.find(needle, start)
    while start != -1 and needle:
        end = start + len(needle)
        if not (start and _WORD_CHARACTER.match(text, start - 1)) and not (word_end and _WORD_CHARACTER.match(text, end)):
            found.append(start)
            start = text.find(needle, end)
        else:
            start = text.find(needle, start + 1)
    return found


@lru_cache(maxsize=2)
def _lowered(text: str) -> str:
    """The text lower-cased once per document (its text is one object, its hash kept)."""
    return text.lower()


def coordinated_parts(span: Span, rules: LanguageRules) -> list[Span]:
    """Split a name at "and" where a new organisation's name starts ("University of Otago and
    Otago Museum", "Ministry of Defence and Acme Corp"), not inside one name ("Agriculture and
    Forestry University", "Ministry of Culture and Tourism", "Ministry of Industry and
    Information Technology"): see :func:`_starts_new_name`; words NER named on their own
    start a name too."""
    doc = span.doc
    # "&" joins the words of one company's name ("Kessler Engineering & Construction Co.");
    # lists of organisations use "and".
    cuts = [t.i for t in span if t.lower_ in _AND and t.text != "&" and span.start < t.i < span.end - 1]
    pieces = [doc[start:end] for start, end in zip([span.start, *(cut + 1 for cut in cuts)], [*cuts, span.end])]
    parts = [pieces[0]]
    for piece in pieces[1:]:
        if _whole_entity(piece) or _starts_new_name(parts[-1], piece, rules):
            parts.append(piece)
        else:
            parts[-1] = doc[parts[-1].start : piece.end]
    return [strip_article(p) for p in parts]


def _starts_new_name(left: Span, right: Span, rules: LanguageRules) -> bool:
    """The words before an "and" name an organisation, and the words after cannot continue
    it: the name before takes no more fields ("Acme Corp and Research and Development Ltd"),
    or the words after are an organisation's ("Ministry of Defence and Acme Corp")."""
    if not _names_organisation(left, rules, weak=True):
        return False
    takes_fields = any(t.lower_ in rules.name_joiners and t.lower_ not in _AND for t in strip_article(left))
    return not takes_fields or _names_organisation(right, rules, weak=False)


def _whole_entity(span: Span) -> bool:
    """NER itself named these words alone ("Acme Corp" of "Acme Corp and Beta Ltd"). The
    organisation entities' bounds are kept per document: comparing every entity for each
    piece was quadratic on a long list of names."""
    doc = span.doc
    if _ORG_ENTITY_BOUNDS not in doc.user_data:
        doc.user_data[_ORG_ENTITY_BOUNDS] = {
            (name.start, name.end) for e in entities(doc) if e.label_ in ORG_LABELS for name in (strip_article(e),)
        }
    name = strip_article(span)
    return (name.start, name.end) in doc.user_data[_ORG_ENTITY_BOUNDS]


def _names_organisation(span: Span, rules: LanguageRules, weak: bool) -> bool:
    """Words that name an organisation on their own: organisation words, or a name the text
    writes elsewhere as an organisation standing alone ("Acme will ...", not "Minister of ICT
    and Innovation", where NER often cuts "Innovation" out)."""
    name = strip_article(span)
    doc = span.doc
    return organisation_words(name, rules, weak) or any(
        strip_article(e).text == name.text and not (e.start <= name.start < e.end) and (e.start == 0 or doc[e.start - 1].lower_ not in rules.name_joiners)
        for e in entities(doc) if e.label_ in ORG_LABELS
    )


def organisation_words(name: Span, rules: LanguageRules, weak: bool) -> bool:
    """A capitalised institution word or legal suffix, or (``weak``) a company word after the
    first ("Karma Automotive")."""
    if any(t.lower_ in rules.org_head_nouns and t.text[:1].isupper() for t in name):
        return True
    if ends_with_legal_suffix(name, rules):
        return True
    return weak and any(t.lower_ in rules.company_words and t.text[:1].isupper() for t in name[1:])


def continues_name(name: Span, following: Span, rules: LanguageRules) -> bool:
    """"Ministry of Education, Culture, Research and Technology": NER cut one name at a comma of
    its own list of fields. The words after the comma are coordinated with the name's object
    (after "of") and none of them names an institution or a company ("Acme Technology")."""
    doc = name.doc
    if [t.text for t in doc[name.end : following.start]] != [","]:
        return False
    first = following[0]
    if first.dep_ != "conj" or not name.start <= first.head.i < name.end:
        return False
    if not any(t.lower_ in rules.name_prepositions for t in doc[name.start : first.head.i]):
        return False
    items: list[list[Token]] = [[]]
    for token in following:
        if token.is_punct or token.pos_ == "CCONJ":
            items.append([])
        elif token.pos_ == "DET" or token.lower_ in rules.org_head_nouns or token.lower_ in rules.legal_suffixes:
            return False
        else:
            items[-1].append(token)
    return not any(t.lower_ in rules.company_words for item in items for t in item[1:])


def _whole_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Organisation entities with NER's cuts repaired, before splitting at "and": a name
    continued after a comma of its own ("Ministry of Education, Culture, ...") or after "and"
    ("Ministry of ICT" + "and Innovation and Beta Ltd") is one run, and so is a possessive
    before an institution ("St Aidan's" + "Children's Hospital") and a legal suffix the
    tokenizer cut ("A / S"); brackets that NER ran into ("Taiwan Power Company (Taipower") and
    a dateline before a dash ("Kingston — Acme Corp") are not part of a name, and an
    agreement ("MoU") is none, nor is a person's title NER took for one ("ministre du Travail",
    "président de la Région": a lower-case title word first)."""
    names: list[Span] = []
    defined = [full for full in acronym_definitions(doc, rules).values()]
    terms = defined_terms(doc, rules)
    for entity in (_as_defined(_with_lower_case_head(e, rules), defined) for e in entities(doc)):
        if entity.label_ not in ORG_LABELS or agreement_named(entity) or names_an_office(entity, rules) or name_key(entity.text, rules) in terms:
            continue
        bracket = next((t.i for t in entity if t.text == "(" and t.i > entity.start), entity.end)
        for piece in _dash_pieces(with_location(_with_split_suffix(doc[entity.start : bracket], rules), rules)):
            if names and _continues_run(names[-1], piece, rules):
                names[-1] = doc[names[-1].start : piece.end]
            else:
                names.append(piece)
    return names


def _same_words(first: str, second: str) -> bool:
    """The same words but for case and the apostrophe's shape ("d'allocations", "d’allocations")."""
    return [w.lower() for w in re.findall(r"\w+", first)] == [w.lower() for w in re.findall(r"\w+", second)]


def _as_defined(entity: Span, defined: list[Span]) -> Span:
    """"Caisse" + "nationale d'allocations familiales": NER cuts a name before its lower-case
    complement; where the text defines an acronym for the whole name ("Caisse nationale
    d'allocations familiales (Cnaf)"), a mention that opens with those words takes all of them."""
    doc = entity.doc
    for full in sorted(defined, key=len, reverse=True):
        end = entity.start + len(full)
        if len(full) > len(entity) and end <= len(doc) and _same_words(doc[entity.start : end].text, full.text):
            return Span(doc, entity.start, end, label=entity.label_)
    return entity


def names_an_office(entity: Span, rules: LanguageRules) -> bool:
    """The entity opens with a lower-case title word ("ministre du Travail"), or is a field of
    the portfolio a title names before it ("ministre du Travail, de l'Emploi et de
    l'[Insertion]"): it names someone's office, not an organisation."""
    return (entity[0].is_lower and entity[0].lower_ in rules.title_words) or _in_portfolio(entity, rules)


def _in_portfolio(entity: Span, rules: LanguageRules) -> bool:
    """The fields of a portfolio follow its title (``portfolio_titles``), each after a
    preposition of the name ("de", "of") and its article, with commas or a conjunction between
    them: walked back field by field, the entity reaches the title. A name right after "et"
    ("la ministre de la Culture, et l'Institut Pasteur") has no preposition, and a name with an
    institution word ("Minister of the [Ministry of Law]") is an organisation: neither is a field."""
    if organisation_words(entity, rules, weak=False):
        return False
    doc = entity.doc
    floor = max(entity.sent.start, entity.start - _MAX_PORTFOLIO_TOKENS)
    i = entity.start - 1
    while i >= floor:
        while i >= floor and doc[i].lower_ not in rules.name_prepositions and (doc[i].pos_ == "DET" or _elided(doc[i])):
            i -= 1  # the field's article: "de [la] Fonction", "de [l']Insertion"
        if i < floor or doc[i].lower_ not in rules.name_prepositions:
            return False
        i -= 1
        if i >= floor and doc[i].lower_ in rules.portfolio_titles:
            return True
        while i >= floor and (doc[i].text == "," or doc[i].pos_ == "CCONJ"):
            i -= 1
        field_end = i
        while i >= floor and (doc[i].text[:1].isupper() or (doc[i].is_lower and doc[i].pos_ == "ADJ")):
            i -= 1  # the field before: "Travail", "Enseignement supérieur"
        if i == field_end or not doc[i + 1].text[:1].isupper():
            return False
    return False


def defined_terms(doc: Doc, rules: LanguageRules) -> frozenset[str]:
    """The name keys of words that name no organisation wherever the text writes them: the
    terms it defines for the parties ("appelées ci-après les Participantes", "hereinafter the
    Parties": ``defined_term_markers`` just before the word) and the schemes it names after a
    lower-case programme noun ("dispositif Transitions collectives", "plan France Relance":
    ``programme_nouns``). An acronym a text so defines ("ci-après la CCSN") stays the
    organisation's."""
    if _TERMS not in doc.user_data:
        doc.user_data[_TERMS] = frozenset(
            name_key(e.text, rules)
            for e in entities(doc)
            if not _ACRONYM.match(e.text) and (_after_term_marker(e, rules) or (e.start > 0 and doc[e.start - 1].is_lower and doc[e.start - 1].lower_ in rules.programme_nouns))
        )
    return doc.user_data[_TERMS]


def _after_term_marker(entity: Span, rules: LanguageRules) -> bool:
    """A marker of a defined term ("ci-après", "hereinafter") in the few words before ``entity``."""
    before = entity.doc[max(entity.sent.start, entity.start - _TERM_WINDOW) : entity.start].text.lower()
    return any(m in before for m in rules.defined_term_markers)


def _with_lower_case_head(entity: Span, rules: LanguageRules) -> Span:
    """"groupe Adecco", "région Île-de-France", "mairie de Paris": a name the language writes
    after a lower-case institution noun (``lower_case_name_heads``) takes it along, whatever
    NER called the words after it (a company, a place)."""
    doc = entity.doc
    head = entity.start - 1
    if head > 0 and doc[head].lower_ in rules.name_prepositions:
        head -= 1  # "mairie de Paris"
    if head < 0 or not doc[head].is_lower or doc[head].lower_ not in rules.lower_case_name_heads:
        return entity
    return Span(doc, head, entity.end, label=ORG_LABELS[0])


def with_location(name: Span, rules: LanguageRules) -> Span:
    """"Embassy of Japan" + "in Ghana", "American Chamber of Commerce" + "in Egypt": the name of
    an embassy or a chamber goes on with the place it is in; "Department of Physics" + "at the
    University of Eldermere": a unit's name goes on with its institution (without it, the name
    denotes every department of physics)."""
    doc = name.doc
    if name.end + 1 >= len(doc):
        return name
    after = doc[name.end].lower_
    words = [t for t in name if t.pos_ != "DET"]
    located = after in rules.place_prepositions and any(t.lower_ in rules.located_org_nouns and t.text[:1].isupper() for t in name)
    unit = after in rules.subunit_links and bool(words) and words[0].lower_ in rules.subunit_nouns and words[0].text[:1].isupper()
    if not (located or unit):
        return name
    where = entity_at(doc, name.end + 1)
    labels = ("GPE", "LOC") if located else ORG_LABELS
    return doc[name.start : where.end] if where is not None and where.start == name.end + 1 and where.label_ in labels else name


def _with_split_suffix(span: Span, rules: LanguageRules) -> Span:
    """The name with a legal suffix the tokenizer cut into pieces and NER left out ("Nordhavn
    Naval Yards" + "A / S")."""
    return span.doc[span.start : span.end + _legal_suffix_at(span.doc, span.end, rules)]


def _legal_suffix_at(doc: Doc, start: int, rules: LanguageRules) -> int:
    """How many tokens a capitalised legal suffix written as one word ("Ltd", "A / S") takes
    from ``start`` on; 0 when none starts there."""
    if start >= len(doc) or doc[start].lower_ not in _suffix_beginnings(rules.legal_suffixes):
        return 0
    for length in range(_MAX_SUFFIX_TOKENS, 0, -1):
        suffix = doc[start : start + length]
        if len(suffix) == length and not any(t.whitespace_ for t in suffix[:-1]) and suffix.text.lower() in rules.legal_suffixes and suffix.text[0].isupper():
            return length
    return 0


def ends_with_legal_suffix(name: Span, rules: LanguageRules) -> bool:
    """"Acme Corp", "Nordhavn Naval Yards A/S": the name's last word is a legal form."""
    return any(_legal_suffix_at(name.doc, name.end - length, rules) == length for length in range(1, min(len(name), _MAX_SUFFIX_TOKENS) + 1))


def _dash_pieces(span: Span) -> list[Span]:
    """The parts of an entity between spaced dashes: "Mercedes-Benz" is one name,
    "Kingston — Acme Corp" two."""
    doc = span.doc
    if not any(unicodedata.category(c) == "Pd" for c in span_text(span)):
        return [span] if len(span) else []  # most names: no token to look at
    dashes = [t.i for t in span[1:] if unicodedata.category(t.text[0]) == "Pd" and doc[t.i - 1].whitespace_ and t.whitespace_]
    bounds = zip([span.start, *(d + 1 for d in dashes)], [*dashes, span.end])
    return [doc[start:end] for start, end in bounds if end > start]


def _continues_run(previous: Span, entity: Span, rules: LanguageRules) -> bool:
    """``entity`` goes on with ``previous``: after a comma of its own list of fields, after an
    "and" (:func:`coordinated_parts` then splits the run where names really start), or as the
    institution a possessive that is no organisation's name names ("St Aidan's" + "Hospital",
    not "Oxford University's" + "Department of Physics")."""
    gap = [t.lower_ for t in previous.doc[previous.end : entity.start]]
    if len(gap) == 1 and gap[0] in _AND:
        return True
    if not gap and previous[-1].lower_ in ("'s", "’s"):
        return organisation_words(entity, rules, weak=False) and not organisation_words(previous, rules, weak=True)
    return continues_name(previous, entity, rules)


def organisation_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Every organisation name NER found, its cuts repaired (one span, labelled ORG, per name)."""
    if _NAMES not in doc.user_data:
        doc.user_data[_NAMES] = [
            Span(doc, part.start, part.end, label=ORG_LABELS[0])
            for run in _whole_names(doc, rules)
            for part in coordinated_parts(run, rules)
        ]
    return doc.user_data[_NAMES]


def named_entities(doc: Doc, rules: LanguageRules) -> list[Span]:
    """The entities with organisation names repaired (:func:`organisation_names`), in order."""
    if _ENTITIES not in doc.user_data:
        names = organisation_names(doc, rules)
        others = [e for e in entities(doc) if not any(n.start < e.end and e.start < n.end for n in names)]
        doc.user_data[_ENTITIES] = sorted([*names, *others], key=lambda e: e.start)
    return doc.user_data[_ENTITIES]


def _first_holding(spans: list[Span] | tuple[Span, ...]) -> dict[int, Span]:
    """Token index → the first of ``spans`` (in order) that holds it."""
    holding: dict[int, Span] = {}
    for span in spans:
        for i in range(span.start, span.end):
            holding.setdefault(i, span)
    return holding


def entity_at(doc: Doc, i: int) -> Span | None:
    """The NER entity holding token ``i``: one lookup per doc instead of a scan per token."""
    if _ENTITY_AT not in doc.user_data:
        doc.user_data[_ENTITY_AT] = _first_holding(entities(doc))
    return doc.user_data[_ENTITY_AT].get(i)


def named_entity_at(doc: Doc, i: int, rules: LanguageRules) -> Span | None:
    """The first of :func:`named_entities` holding token ``i``, looked up rather than scanned."""
    if _NAMED_AT not in doc.user_data:
        doc.user_data[_NAMED_AT] = _first_holding(named_entities(doc, rules))
    return doc.user_data[_NAMED_AT].get(i)


def _is_prefixed_name(span: Span) -> bool:
    """NER calls "Dr Lukas Brandstätter" an organisation now and then; the name ruler knows better."""
    return holds(span.doc, PERSON_SPANS, span.start)


def agreement_named(span: Span) -> bool:
    """The span overlaps an agreement phrase ("Memorandum of Understanding (MOU)")."""
    return overlaps(span.doc, AGREEMENT_SPANS, span)


class OrgIndex:
    """Groups organisation mentions by name key, acronym and legal-suffix variants."""

    def __init__(self, doc: Doc, rules: LanguageRules, start_char: int = 0, end_char: int | None = None) -> None:
        """The organisations named in ``[start_char, end_char)`` (to the end by default)."""
        self.doc = doc
        self.rules = rules
        end = len(text_of(doc)) if end_char is None else end_char
        self.acronyms = {a: full for a, full in acronym_definitions(doc, rules).items() if full.start_char < end}
        self.full_by_acronym_key = {name_key(a, rules): strip_article(s) for a, s in self.acronyms.items()}
        self.entities = [
            part
            for part in organisation_names(doc, rules) if start_char <= part.start_char < end
            if "\n" not in part.text and any(c.isupper() for c in part.text) and not _is_prefixed_name(part)
        ]
        self.entity_keys = [name_key(e.text, rules) for e in self.entities]
        # Every known name with its key, and the acronyms by their full name's key: computed
        # once here rather than on each call of :meth:`canonical` (once per organisation).
        self._known = [*zip(self.entities, self.entity_keys), *((f, name_key(f.text, rules)) for f in self.full_by_acronym_key.values())]
        # For :meth:`_fullest`, the known names' keys in order (prefix lookups) and each key's
        # longest spelling (the first one): one scan of every name per organisation was
        # quadratic on a long list of names (a 38 KB list: 20 s).
        self._sorted_keys = sorted((k, i) for i, (_, k) in enumerate(self._known))
        self._longest_by_key: dict[str, str] = {}
        for known, known_key in self._known:
            if len(known.text) > len(self._longest_by_key.get(known_key, "")):
                self._longest_by_key[known_key] = known.text
        self._known_texts = sorted({s.text for s in self.acronyms.values()} | {e.text for e in self.entities})
        self._acronym_keys = [(acronym, name_key(full.text, rules)) for acronym, full in self.acronyms.items()]
        self._legal_forms: dict[str, str] = {}  # name → its fullest form: one search of the text per name
        self._keys_by_word: dict[str, set[str]] = {}  # word → the known names' keys holding it, made on first need
        self._named_by_word: dict[str, str | None] = {}  # kind word → the one name it heads, if one

    def canonical(self, span: Span) -> tuple[str, str | None]:
        """The fullest name used for the organisation ``span`` names, and its acronym."""
        key = name_key(span.text, self.rules)
        full = self.full_by_acronym_key.get(key)
        if full is not None:
            return self._fullest(full), span.text if span.text in self.acronyms else self._acronym_of_name(full.text)
        referred = self._named_by_kind(span)
        fullest = self._with_legal_suffix(referred) if referred is not None else self._fullest(span)
        return fullest, self._acronym_of_name(fullest)

    def _named_by_kind(self, span: Span) -> str | None:
        """"the Institute" of a text that names one institute, "the Harlow Institute of
        Agriculture": a kind word alone (``org_head_nouns``) refers back to the one name of
        the text it heads. Names that complete one another ("Harlow Institute", "... of
        Agriculture") are one; two different names ("Acme Institute", "Beta Institute") leave
        the word as it is."""
        stripped = strip_article(span)
        if len(stripped) != 1 or stripped[0].lower_ not in self.rules.org_head_nouns:
            return None
        word = name_key(stripped.text, self.rules)
        if word not in self._named_by_word:  # once per word, from an index of the known names' words: a long list stays linear
            if not self._keys_by_word:
                for _, key in self._known:
                    for known_word in set(key.split()):
                        self._keys_by_word.setdefault(known_word, set()).add(key)
            keys = sorted(self._keys_by_word.get(word, set()) - {word}, key=len)
            one = bool(keys) and all(longer.startswith(shorter + " ") for shorter, longer in zip(keys, keys[1:]))
            self._named_by_word[word] = self._longest_by_key[keys[-1]] if one else None
        return self._named_by_word[word]

    def _fullest(self, span: Span) -> str:
        """The longest organisation name with the same key, or one completing it ("Ministry
        of ICT" of a headline, "Ministry of ICT and Innovation (MINICT)" of the text)."""
        key = name_key(span.text, self.rules)
        prefixes = {f"{key} {joiner}".rstrip() + " " for joiner in ([""] if len(span) == 1 else [*self.rules.name_prepositions, *_AND])}
        completing = sorted({i for prefix in prefixes for i in self._known_with_prefix(prefix)})
        extensions = [self._known[i][0].text for i in completing if self._known[i][0].start != span.start]
        # The shortest completion ("Victoria University" → "... of Wellington", not "... of
        # Wellington Public Affairs"), else the longest spelling of the same name. A one-word
        # name completed in different ways ("McLaren Automotive", "McLaren Racing") names a
        # group, and stays as it is.
        if len(span) == 1 and len({name_key(e, self.rules).split()[1] for e in extensions}) > 1:
            extensions = []
        best = min(extensions, key=len) if extensions else max([span.text, self._longest_by_key.get(key, "")], key=len)
        return self._with_legal_suffix(best)

    def _known_with_prefix(self, prefix: str) -> list[int]:
        """Indexes into ``_known`` of the names whose key starts with ``prefix``, in the order of ``_known``."""
        found = []
        for key, i in self._sorted_keys[bisect_left(self._sorted_keys, (prefix, -1)) :]:
            if not key.startswith(prefix):
                break
            found.append(i)
        return sorted(found)

    def _with_legal_suffix(self, name: str) -> str:
        """"ITI" or "ITI Ltd." → "ITI Limited" when the text uses that form: the fullest name used."""
        if name not in self._legal_forms:
            base = _suffix_at_end(self.rules.legal_suffixes).sub("", name) or name
            self._legal_forms[name] = max([name, legal_form(base, text_of(self.doc), self.rules) or name], key=len)
        return self._legal_forms[name]

    def completed(self, span: Span) -> Span:
        """The span grown to a longer known name written at the same place ("Universiti" of
        "Universiti Putra Malaysia" when NER cut the rest off as a person)."""
        text, name = text_of(self.doc), span.text
        # a longer name written there starts with this one: the sorted names from it on
        following = islice(self._known_texts, bisect_left(self._known_texts, name), None)
        longer = [k for k in takewhile(lambda k: k.startswith(name), following) if len(k) > len(name) and text.startswith(k, span.start_char)]
        if not longer:
            return span
        grown = self.doc.char_span(span.start_char, span.start_char + len(max(longer, key=len)))
        return grown if grown is not None else span

    def _acronym_of_name(self, name: str) -> str | None:
        key = name_key(name, self.rules)
        return next((acronym for acronym, full_key in self._acronym_keys if full_key == key), None)

    def mention_spans(self, forms: list[str | None], start_char: int) -> list[tuple[int, int]]:
        """Every occurrence of any of the organisation's written forms (name, acronym, the
        words a slot used) from ``start_char`` on; a short form inside a longer one ("Institute"
        of "Harlow Institute of Agriculture") is that mention, not another."""
        spans: set[tuple[int, int]] = set()
        text = text_of(self.doc)
        for needle in set(filter(None, forms)):
            spans.update((start, start + len(needle)) for start in word_occurrences(text, needle, start=start_char))
        outermost, reach = [], -1
        for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):  # a span before those it holds
            if end > reach:
                outermost.append((start, end))
                reach = end
        return outermost
