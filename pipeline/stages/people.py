"""People of the announcement, with the title and organisation the text gives them.

Names come from NER ``PERSON`` entities, widened over the name words NER left out
("[Mamadou] Lamine Diop", "Dirk van [der Meer]"), and from names a title or a contact label
stands beside, whatever NER labelled them; they are cleaned of honorifics ("Dr", "H.E."), and
lines that are photo credits or bylines are skipped. Titles are read from the commonest
press-release forms: "Name, Title at/of Org", "Org's Title, Name", "Org Title Name". Those
present at the signing ("witnessed by X") are no signatories, though inside its clause.
Figure captions (``layout:captions``) are read too: a person one names is in the
announcement's photo, so present ("Michael Binder (à droite), président de la CCSN").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.document import Document
from pipeline.agreement_phrases import AGREEMENT_SPANS
from pipeline.layout import LAYOUT_CAPTIONS, in_layout
from pipeline.nlp import PERSON_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.stages.contract import SIGNATORY_TOKENS, Context, Proposal
from pipeline.stages.organizations import acronym_definitions, entity_at, legal_form, strip_article
from pipeline.stages.views import entities, overlaps, tagged, text_of, token_texts

# The links between the words of one name: "Lamine" → "Diop" (English compounds), "Jean" ←
# "Dupont" (French flat names), "van" → "Jean-Pierre" (French particles).
_NAME_DEPS = frozenset({"compound", "flat", "flat:name", "dep"})
_TITLE_STOP = frozenset({",", ".", ";", ":", "(", ")", "“", "”", '"', "–", "—", "-", "\n"})
_DASHES = ("-", "–", "—")
_APOSTROPHES = ("'", "’", "ʻ")
_NO_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHES))
_PLACE_LABELS = ("GPE", "LOC")
_FUNCTION_WORDS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "PRON"})
_MAX_TITLE_TOKENS = 12
_MAX_POSITION_TOKENS = 8
_TAIL_CHARS = 600
_CONTACT_BLOCK_LINES = 6
_MAX_HEADING_WORDS = 4
_SHORT_LINE = 120
_POSSESSIVES = ("’s", "'s")

FIELDS = ("people",)
READS = ("parties", "organizations")


@dataclass(frozen=True)
class PersonRecord:
    name: str
    title: str | None
    affiliation: str | None
    role: str
    spans: list[tuple[int, int]]

    def record(self, text: str) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "affiliation": self.affiliation, "role": self.role, "spans": self.spans}


def propose(context: Context) -> Proposal:
    """Every real person with a part in the announcement, once, in order of first mention; the
    organisations found tell names of things from names of people, the signing slots who signed."""
    parties = [o.name for o in context.value("parties")]
    names = [*parties, *(o.name for o in context.value("organizations"))]
    found = _find_people(context.doc, context.document, context.rules, context.evidence(SIGNATORY_TOKENS), names, parties)
    return Proposal({"people": found})


def _find_people(
    doc: Doc, document: Document, rules: LanguageRules, signatory_tokens: frozenset[int], organisation_names: list[str], party_names: list[str]
) -> list[PersonRecord]:
    people: dict[str, dict] = {}
    organisation_keys = frozenset(o.lower() for o in [*organisation_names, *acronym_definitions(doc, rules)])
    evidenced = _evidenced_names(doc, rules)
    strong = {(s.start, s.end) for s in evidenced}
    for entity in _person_spans(doc, rules, evidenced):
        if entity.start_char < document.body_start:
            continue
        name = _clean_name(entity, rules)
        name = name if name is None else _after_party_name(name, party_names)
        if name is None or _in_credit_or_byline(doc, name, rules):
            continue
        if (entity.start, entity.end) not in strong and _names_a_thing(name, organisation_keys, rules):
            continue
        key = name.text.lower()
        words = key.split()
        surname_owner = next((k for k in people if k.endswith(" " + key) or k.startswith(key + " ")), None)  # "Mr Owusu-Ansah", "Lamine Diop", "Dato' Mohd Azlan"
        key = next((k for k in people if len(words) == 2 and k.split()[0] == words[0] and k.split()[-1] == words[-1]), key)
        before = next((t.i for t in reversed(doc[: name.start]) if not t.is_space), None)
        formal = before is not None and _honorific_at(doc, before, rules.name_prefixes)
        if surname_owner:  # "M. Lecornu" after "Sébastien Lecornu": the same person, as formally named
            people[surname_owner]["spans"].append((name.start_char, name.end_char))
            people[surname_owner]["roles"].add(_role(name, rules, signatory_tokens))
            people[surname_owner]["formal"] |= formal
            continue
        if len(words) == 1:
            continue
        shorter = next((k for k in people if key.endswith(" " + k)), None)
        if shorter is not None:  # "Governing Mayor of Bergen [Mjøs Persen]", later "Marte Mjøs Persen": the fullest name
            people = {key if k == shorter else k: e for k, e in people.items()}
            people[key]["name"] = name.text
        entry = people.setdefault(key, {"name": name.text, "title": None, "affiliation": None, "spans": [], "roles": set(), "formal": False, "pictured": False})
        entry["spans"].append((name.start_char, name.end_char))
        entry["formal"] |= formal
        entry["pictured"] |= in_layout(name, LAYOUT_CAPTIONS)
        entry["roles"].add(_role(name, rules, signatory_tokens))
        if entry["title"] is None:
            entry["title"], entry["affiliation"] = _title_and_affiliation(doc, name, rules, organisation_keys)
    # A name that neither signs, speaks, is the contact, is in the photo (a figure caption)
    # nor comes with a title, an organisation or a formal prefix ("Ms", "Professors") is only
    # mentioned ("the designer Henrik Fisker", a racing driver): it has no part in the news. A
    # name that is someone's affiliation ("X, Chief Executive Officer, Standards Australia")
    # is an organisation.
    affiliations = {e["affiliation"].lower() for e in people.values() if e["affiliation"]}
    return [
        PersonRecord(e["name"], e["title"], e["affiliation"], _strongest(e["roles"]), sorted(set(e["spans"])))
        for key, e in people.items()
        if (_strongest(e["roles"]) != "other" or e["title"] or e["affiliation"] or e["formal"] or e["pictured"]) and key not in affiliations
    ]


def _person_spans(doc: Doc, rules: LanguageRules, evidenced: list[Span]) -> list[Span]:
    """NER persons and the names the text itself marks as people (``evidenced``, found once by
    the caller), the longer where they overlap."""
    persons = [doc[e.start : _before_title(e[1:], rules)] for e in _adjacent_joined([e for e in entities(doc) if e.label_ == "PERSON"])]
    found = [_whole_name(e, rules) for e in persons] + evidenced
    return sorted(filter_spans(found), key=lambda s: s.start)


def _before_title(words: Span, rules: LanguageRules) -> int:
    """Where a name NER ran on into the title after it ends ("[Ali AOUN Ministre] de
    l'industrie", "[Yannick Vignon Manager] du groupe"): before the title words that end
    ``words`` (not "[Vice President Kamala Harris]")."""
    end = words.end
    while end > words.start and _listed(words.doc[end - 1].text, rules.title_words):
        end -= 1
    return end


def _adjacent_joined(spans: list[Span]) -> list[Span]:
    """Entities that touch made one: NER cut a name in two ("[Smt. Pravati] [Parida]",
    "[Pontificia Universidad] [Católica del Perú] (PUCP)"); nothing separates two people."""
    joined: list[Span] = []
    for span in spans:
        if joined and joined[-1].end == span.start:
            span = span.doc[joined.pop().start : span.end]
        joined.append(span)
    return joined


def _whole_name(span: Span, rules: LanguageRules) -> Span:
    """``span`` widened over the words of the same name that NER left out ("[Mamadou] Lamine
    Diop", "Dirk van [der Meer]"): adjacent name words that the parse ties into one name and
    that belong to no other entity ("Inria Christine Morin" keeps Inria out)."""
    doc = span.doc
    whole = _whole_words(span)
    start, end = whole.start, whole.end
    heads = {_name_head(t) for t in doc[start:end]}
    grown = True
    while grown:
        grown = False
        for word in (_hyphenated_word(doc, end) if end < len(doc) else None, _hyphenated_word(doc, start - 1) if start > 0 else None):
            if word is None or not _name_word(word, rules) or not heads & {_name_head(t) for t in word}:
                continue
            entity = entity_at(doc, word.start)
            if entity is None or entity.start < end and start < entity.end or not _another_name(entity, word, doc[start:end], rules):
                start, end, grown = min(start, word.start), max(end, word.end), True
    while end - start > 1 and doc[start].is_lower and doc[start].lower_ in rules.name_particles:
        start += 1  # a name starts with a capital: "Le Quang Minh", "Dirk van der Meer"
    while end - start > 1 and doc[end - 1].is_lower and doc[end - 1].lower_ in rules.name_particles:
        end -= 1
    return doc[start:end]


def _another_name(entity: Span, word: Span, name: Span, rules: LanguageRules) -> bool:
    """Whether ``entity``, holding ``word`` beside ``name``, is a name of its own ("Inria" of
    "Inria Christine Morin"); not when NER ran a title into the given name ("[UBA Rector
    Ricardo] Jorge Gelpi") nor when a particle joins the word ("[Henrique] dos Santos Pereira")."""
    if word.end == name.start and name[0].is_lower and name[0].lower_ in rules.name_particles:
        return False
    return not any(_titular(t.text, rules) for t in entity if t.i < word.start)


def _whole_words(span: Span) -> Span:
    """``span`` without hyphenated words cut in two ("Mr. Adesuwa Okonkwo[-Bello]")."""
    return span.doc[_hyphenated_word(span.doc, span.start).start : _hyphenated_word(span.doc, span.end - 1).end]


def _run_on(span: Span, rules: LanguageRules) -> Span:
    """A prefixed name the rule cut short runs on to the end of the person entity it overlaps
    ("Hon. Kwaku Agyemang[-Manu Boateng]") and over the name words that follow it, which the
    rule's title-case words miss ("Dr. Siale ['Akau'ola]", "Dr. Saia [Ma'u Piukala]")."""
    doc = span.doc
    end = max([span.end, *(e.end for e in entities(doc) if e.label_ == "PERSON" and e.start < span.end and span.start < e.end)])
    end = _before_title(doc[span.end : end], rules)
    while end < len(doc) and doc[end - 1].whitespace_ == " " and _name_word(word := _hyphenated_word(doc, end), rules):
        end = word.end
    return doc[span.start : end]


def _name_head(token: Token) -> Token:
    """The word a name's other words hang on ("Diop" of "Mamadou Lamine Diop")."""
    while token.dep_ in _NAME_DEPS and token.head != token:
        token = token.head
    return token


def _hyphenated_word(doc: Doc, i: int) -> Span:
    """The whole word spaCy split at its hyphens ("Ji - hoon", "Vice - Chancellor") or after
    its opening apostrophe or ʻokina ("' Akau'ola")."""
    start, end = i, i + 1
    if _opening_mark(doc, i):
        end += 1
    elif i > 0 and _opening_mark(doc, i - 1):
        start -= 1
    while start >= 2 and _inner_hyphen(doc, start - 1):
        start -= 2
    while end + 1 < len(doc) and _inner_hyphen(doc, end):
        end += 2
    return doc[start:end]


def _name_word(word: Span, rules: LanguageRules) -> bool:
    """Whether a (hyphenated) word can be part of a person's name: a particle ("van"), or a
    capitalised word that is no acronym, honorific, title or organisation word."""
    text = word.text
    if text.lower() in rules.name_particles:
        return True
    pieces = [t for t in word if t.text != "-" and t.text not in _APOSTROPHES]
    letters = _without_apostrophes(text)
    if not all(_without_apostrophes(t.text).isalpha() for t in pieces) or not letters[:1].isupper() or (len(letters) > 1 and letters.isupper()):
        return False
    if any(t.pos_ in _FUNCTION_WORDS for t in pieces):
        return False  # "[In] Geneva, Matthew Saltmarsh"
    return not _has_organisation_word(word, rules) and not any(_titular(w, rules) for w in (text, *(t.text for t in pieces)))


def _without_apostrophes(text: str) -> str:
    """"Akauola" of "'Akau'ola", "OFarrell" of "O'Farrell": the letters a name word is made of."""
    return text.translate(_NO_APOSTROPHES)


def _titular(word: str, rules: LanguageRules) -> bool:
    """"Dr.", "Professors", "Vice-Chancellor": a word before a name, not part of it."""
    return _listed(word, rules.person_honorifics) or _listed(word, rules.title_words)


def _listed(word: str, words: Collection[str]) -> bool:
    """Whether ``word`` is one of ``words``, as written or without its periods or plural "s"
    ("H.E.", "Dr.", "Ms", "Professors")."""
    bare = word.lower().strip(".")
    return any(w in words for w in (word.lower(), bare, bare.removesuffix("s")))


def _honorific_at(doc: Doc, i: int, honorifics: Collection[str]) -> bool:
    """Whether ``doc[i]`` is one of ``honorifics``, or the period spaCy split from one ("Hon" ".")."""
    if doc[i].text == "." and i > 0 and not doc[i - 1].whitespace_:
        i -= 1
    return _listed(doc[i].text, honorifics)


def _evidenced_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Names whose words say they are people, whatever NER thought: prefixed ("Dr Arvid
    Nergaard"), contacts ("Media contact: Jane Doe, ...") and titled ("Guillaume Faury, CEO")."""
    prefixed = [_run_on(_whole_words(s), rules) for s in doc.spans.get(PERSON_SPANS, [])]
    return [*prefixed, *_contact_names(doc, rules), *_titled_names(doc, rules)]


def _titled_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Names, whatever NER labelled them, that a title beside them shows to be people: two to
    four name words (no organisation's word) and a title right before or after them."""
    names = []
    for token in (doc[i] for i in tagged(doc, "PROPN")):
        if _name_head(token) != token or not _name_word(_hyphenated_word(doc, token.i), rules):
            continue  # the cheap tests first: widening the name is the costly step
        name = _whole_name(doc[token.i : token.i + 1], rules)
        if 2 <= len(name.text.split()) <= 4 and not _inside_other_entity(name) and _beside_title(name, rules):
            names.append(name)
    return names


def _inside_other_entity(name: Span) -> bool:
    """"Faculty of Medicine, [Public Health] and Nursing": words inside a longer name that is no
    person's and goes on after them (NER's "[Rector Maria Quispe]" is a title run into a name)."""
    entity = entity_at(name.doc, name.start)  # the only entity that can hold the name's first word
    return entity is not None and entity.label_ != "PERSON" and entity.start < name.start and name.end < entity.end


def _beside_title(name: Span, rules: LanguageRules) -> bool:
    """"Guillaume Faury, CEO of Acme" (a title without an article: an organisation would be "a
    leader"), "the Mayor of Kitakyushu, Kenji Takeuchi" (in apposition, or a conjunct in the
    parse), "Rotterdam's Vice-Mayor for Climate and Sustainability, Judith Bokhove", "Rector
    Maria Quispe"."""
    doc, root = name.doc, name.root
    if name.end < len(doc) and doc[name.end].text == ",":
        after = doc[name.end + 1 : name.end + 2]  # the parse may hang the title on another word
        appositions = [c for c in (*root.children, *after) if c.dep_ == "appos" and c.i > name.end]
        if any(_is_title_phrase([a], rules) and not any(d.dep_ == "det" for d in a.children) for a in appositions):
            return True
    if name.start == 0:
        return False
    before = doc[name.start - 1]
    if before.text == ",":
        return root.dep_ in ("appos", "conj") and root.head.i < name.start and (_ends_title_phrase(root.head, rules) or _ends_title_phrase(doc[name.start - 2], rules))
    return before.lower_ in rules.title_words and _name_head(before) == root


def _ends_title_phrase(token: Token, rules: LanguageRules) -> bool:
    """Whether ``token`` ends a title's phrase, hanging on the title word through prepositions
    and conjuncts ("Vice-Mayor for Climate and [Sustainability]"); not a phrase after a comma,
    which is another name's title ("X, Communications Manager, Air Tanzania")."""
    title_word = _title_word_of(token, rules)
    if title_word is None:
        return False
    start = title_word.left_edge.i
    return start == 0 or token.doc[start - 1].text != ","


def _title_word_of(token: Token, rules: LanguageRules) -> Token | None:
    """The title word a phrase hangs on through prepositions and conjuncts ("Minister" of
    "Minister of Science, Technology and [Innovation]"), if any."""
    while not _is_title_phrase([token], rules):
        if token.dep_ not in ("pobj", "prep", "conj") or token.head.i >= token.i:
            return None
        token = token.head
    return token


def _contact_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """The two to four name words after "contact:" (or a bare "Press:"), on its line or the
    next, up to a comma or dash: at the start, or after an organisation and a dash ("Media
    inquiries:\nAcme Pharma – Jonas Friis, ..."); not a department ("Media enquiries: Monash
    Media", "Contact: Public Relations, ...")."""
    names, texts = [], token_texts(doc)
    cued = (i for i in range(len(doc) - 2) if texts[i + 1].startswith(":") and (texts[i].lower() in rules.contact_cues or texts[i].lower() in rules.contact_labels))
    for token in (doc[i] for i in cued):
        start = token.i + 2
        while start < len(doc) and doc[start].text.strip("*_ \n") == "":
            start += 1
        line_end = next((t.i for t in doc[start:] if "\n" in t.text), len(doc))
        after_dashes = [t.i + 1 for t in doc[start:line_end] if t.text in _DASHES and not _inner_hyphen(doc, t.i)]
        name = next((n for n in (_contact_name_at(doc, i, rules) for i in (start, *after_dashes)) if n is not None), None)
        if name is not None:
            names.append(name)
    return names


def _contact_name_at(doc: Doc, start: int, rules: LanguageRules) -> Span | None:
    """The two to four name words from ``start`` to a comma, dash, bracket or line end."""
    end, words = start, 0
    while end < len(doc) and words < 4 and _name_word(word := _hyphenated_word(doc, end), rules):
        end, words = word.end, words + 1
    name = doc[start:end]
    if words >= 2 and (end == len(doc) or doc[end].text in (",", "(", *_DASHES) or doc[end].is_space) and not _names_department(name, rules):
        return name
    return None


def _names_department(name: Span, rules: LanguageRules) -> bool:
    """"Public Relations", "Monash Media": a contact label among the words of a name."""
    words = f" {name.text.lower()} "
    return any(f" {label} " in words for label in rules.contact_labels)


def _names_a_thing(name: Span, organisation_keys: frozenset[str], rules: LanguageRules) -> bool:
    """NER "persons" that are organisations ("Savanna Solar" of "Savanna Solar Pumps Ltd", a
    short form "(AmCham Egypt)", "WFP Malawi" of the "WFP"), job titles ("Communications Lead")
    or places ("Kelvin Building", "at the University's Hunterian Art Gallery")."""
    last = name[-1].lower_
    key = name.text.lower()
    if any(t.lower_ in rules.company_words for t in name[1:]):
        return True  # "Aurora Flight Sciences", "Porsche Consulting"
    if last in rules.title_words or last in rules.place_nouns or overlaps(name.doc, AGREEMENT_SPANS, name):
        return True
    if last in rules.legal_suffixes or legal_form(name.text, text_of(name.doc), rules) is not None:
        return True  # "Fjellvind Subsea" of "Fjellvind Subsea AS"
    if name.start > 0 and name.doc[name.start - 1].lower_ in rules.non_person_contexts:
        return True  # "Chief Executive Officer of Fjellvind Subsea", "the company Acme Robotics"
    if _defines_acronym(name, rules):
        return True  # "Pontificia Universidad [Católica del Perú] (PUCP)"
    if name.root.dep_ == "compound" and name.root.head.pos_ == "NOUN" and name.root.head.is_alpha:
        return True  # "Chilean Primera División side Club Deportivo": a name describing a thing
    preposition = syntax.preposition_of(name.root)
    if preposition is not None and preposition.lower_ in rules.place_prepositions:
        return True
    if any(t.is_upper and len(t) > 1 and t.lower_ in organisation_keys for t in name):
        return True
    if any(e.label_ in _PLACE_LABELS and e.text == name.text for e in entities(name.doc)):
        return True  # "Papua New Guinea", a place elsewhere in the text, NER's "person" here
    return any(o == key or f" {key} " in f" {o} " for o in organisation_keys)


def _defines_acronym(name: Span, rules: LanguageRules) -> bool:
    """Whether a bracketed acronym follows the name, as organisations have and people do not;
    a title, an honour or a country in brackets ("(CEO)", "(OBE)", "(UK)") is no acronym."""
    doc = name.doc
    if name.end + 2 >= len(doc) or doc[name.end].text != "(" or doc[name.end + 2].text != ")":
        return False
    short = doc[name.end + 1]
    return short.is_upper and len(short) > 1 and short.ent_type_ not in ("GPE", "NORP") and not _titular(short.text, rules) and not _post_nominal(short, rules)


def _strongest(roles: set[str]) -> str:
    return next(r for r in ("signatory", "quoted", "contact", "other") if r in roles or r == "other")


def _clean_name(entity: Span, rules: LanguageRules) -> Span | None:
    """Drop honorifics, possessives and a title's complement; refuse things NER mistook for names."""
    start, end = entity.start, entity.end
    doc = entity.doc
    start = _after_honorifics(doc, start, end, rules)
    while start < end and doc[start].is_space:
        start += 1  # "M.\xa0Lecornu": the no-break space after the honorific is a token of its own
    possessive = next((t.i for t in doc[start:end] if t.lower_ in _POSSESSIVES), None)
    end = possessive if possessive is not None else end  # "Christopher Luxon’s Mission"
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or _post_nominal(doc[end - 1], rules)):
        end -= 1  # "Barry O'Farrell AO": honours and degrees follow a name, they are no part of it
    if end - start > 2 and _is_title_complement(doc[start:end], rules):
        start = _after_complement(doc[start:end])  # "Minister of [Mining Aurora Williams]": NER took the portfolio along
    name = doc[start:end]
    words = [t for t in name if t.is_alpha or "." in t.text]
    if not words or any(t.like_num or t.is_digit for t in name) or "\n" in name.text:
        return None
    if not all(t.text[:1].isupper() for t in name if t.is_alpha and t.lower_ not in rules.name_particles and not _inner_hyphen(doc, t.i - 1)):
        return None  # lower case only in "van der Meer" and "Ji-hoon"
    return name


def _after_party_name(name: Span, party_names: list[str]) -> Span:
    """"President, Hughes India [Partho Banerjee]": NER ran the organisation the title belongs to
    into the name after it; a name that opens with a party's name, whole words, and goes on
    with two words or more is the person after it (parties, not every organisation: those
    hold stray words NER called organisations, "Henrique" of "Henrique dos Santos Pereira")."""
    text = name.text
    for organisation in sorted(party_names, key=len, reverse=True):
        if text.startswith(organisation + " "):
            rest = name.doc.char_span(name.start_char + len(organisation) + 1, name.end_char)
            if rest is not None and len(rest) >= 2:
                return rest
    return name


def _after_complement(span: Span) -> int:
    """Where a name begins after the title's complement NER ran into it: the longest tail the
    text also uses without the word before it ("Mayor of Bergen [Marte Mjøs Persen]" beside
    "Marte Mjøs Persen said"), else the last two words ("Minister of Mining [Aurora Williams]")."""
    doc, text = span.doc, text_of(span.doc)
    return next((i for i in range(span.start + 1, span.end - 2) if text.count(doc[i : span.end].text) > text.count(doc[i - 1 : span.end].text)), span.end - 2)


def _after_honorifics(doc: Doc, start: int, end: int, rules: LanguageRules) -> int:
    """Where the name itself begins after the styles opening ``doc[start:end]``, of one word or
    two ("H.E. Ato", "Hon. Dr.", "Tan Sri"), with the period spaCy split from one ("dr .")."""
    while start < end:
        if end - start > 2 and doc[start : start + 2].text.lower() in rules.person_honorifics:
            start += 2
        elif _titular(doc[start].text, rules):
            start += 2 if start + 1 < end and doc[start + 1].text == "." and not doc[start].whitespace_ else 1
        else:
            return start
    return start


def _post_nominal(token: Token, rules: LanguageRules) -> bool:
    """"AO", "OBE", "PhD" written after a name (never in lower case: "am" is a verb)."""
    return not token.is_lower and token.lower_.strip(".") in rules.post_nominals


def _line_of(span: Span) -> str:
    """The whole line of text ``span`` stands on."""
    text = text_of(span.doc)
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.end_char)
    return text[start : end if end != -1 else len(text)]


def _in_credit_or_byline(doc: Doc, name: Span, rules: LanguageRules) -> bool:
    """"© Inria / Photo G. Scagnelli", "Photo credits: X", "By Jane Doe"."""
    line = _line_of(name).lower()
    at = line.find(name.text.lower())
    before = line[:at] if at >= 0 else line
    after = line[at + len(name.text) :].strip(" *_.") if at >= 0 else ""
    # A credit names the photographer and ends there ("/ Agency" at most); a caption that
    # lists who is in the picture ("Photo : Mike Flewitt (CEO de ...)") names people.
    credited = not after or after[0] in "/|©)"
    if credited and _has_cue(before, rules.credit_cues):
        return True
    stripped = before.strip(" *_#>-")
    return any(stripped == cue or stripped.endswith(" " + cue) and len(stripped) <= len(cue) + 12 for cue in rules.byline_cues)


def _role(name: Span, rules: LanguageRules, signatory_tokens: frozenset[int]) -> str:
    """The name's part in the news: it signs, is quoted, is the contact, or "other"."""
    doc = name.doc
    if any(t.i in signatory_tokens for t in name) and not _witnesses(name, rules):
        return "signatory"
    root = name.root
    verbs = [root.head] if syntax.is_subject(root) or (syntax.is_object(root) and root.head.i < root.i) else []  # "», a commenté X"
    verbs += [root.head.head] if root.dep_ == "appos" and syntax.is_subject(root.head) else []
    before = doc[max(name.sent.start, name.start - 8) : name.start].text.lower()
    if any(v.lemma_.lower() in rules.quote_lemmas for v in verbs) or any(cue in before for cue in rules.attribution_cues):
        return "quoted"  # "said X", "according to X", "selon X"
    text = text_of(doc)
    if _contact_line(_line_of(name).lower(), rules) or _under_contact_heading(doc, name, rules) or name.start_char >= len(text) - _TAIL_CHARS and "@" in text[name.end_char : name.end_char + 200]:
        return "contact"
    return "other"


def _contact_line(line: str, rules: LanguageRules) -> bool:
    """A line of the contact block: it has a contact cue or a bare label ("Press: Jane Doe, ...")."""
    label = line.strip(" *_#>-").split(":", 1)[0].strip(" *_")
    return _has_cue(line, rules.contact_cues) or ":" in line and label in rules.contact_labels


def _under_contact_heading(doc: Doc, name: Span, rules: LanguageRules) -> bool:
    """A name in a block of short lines under a contact heading of its own line ("Media
    contact", an HTML ``<h3>``), no sentence between them."""
    text = text_of(doc)
    above = text[: text.rfind("\n", 0, name.start_char) + 1].split("\n")[-_CONTACT_BLOCK_LINES - 1 : -1]
    for line in reversed(above):
        line = line.strip(" *_#>-").lower()
        heading = len(line.split()) <= _MAX_HEADING_WORDS and not any(c.isdigit() or c == "@" for c in line)
        if heading and (_has_cue(line, rules.contact_cues) or line.rstrip(" :") in rules.contact_labels):
            return True
        if len(line) > _SHORT_LINE or line.endswith((".", "!", "?", "”", '"')):
            return False
    return False


def _has_cue(text: str, cues: Iterable[str]) -> bool:
    """Whether one of ``cues`` is in ``text`` as whole words ("tel" is not in "Muscatelli")."""
    return any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text) for cue in cues)


def _witnesses(name: Span, rules: LanguageRules) -> bool:
    """"X witnessed / attended the signing", "witnessed by X and Y", "le ministre X a assisté à la
    signature": present at the signing, inside the signing clause, yet no signatory."""
    root = name.root
    while root.dep_ in ("conj", "appos") and root.head != root:
        root = root.head
    verb = syntax.governor(root)
    return verb.lemma_.lower() in rules.witness_lemmas and (syntax.is_subject(root) or root in syntax.agents(verb))


def _title_and_affiliation(doc: Doc, name: Span, rules: LanguageRules, organisation_keys: frozenset[str]) -> tuple[str | None, str | None]:
    """The first of the readings that finds a title: after the name (and its honours: "X AO,
    Ambassador", and where the photo shows them: "X (left), Ambassador"), in brackets, before it."""
    end = name.end
    while end < len(doc) and _post_nominal(doc[end], rules):
        end += 1
    end = _past_picture_position(doc, end, rules)
    honoured = doc[name.start : end]
    readings = (_title_after(doc, honoured, rules, organisation_keys), _title_in_brackets(doc, honoured, rules), _title_before(doc, honoured, rules), _title_in_apposition(doc, honoured, rules))
    return next((found for found in readings if found[0]), (None, None))


def _past_picture_position(doc: Doc, i: int, rules: LanguageRules) -> int:
    """The token after a caption's bracketed place in the photo at ``i`` ("(à droite)",
    "(left)"), else ``i``."""
    if i >= len(doc) or doc[i].text != "(":
        return i
    close = next((t.i for t in doc[i + 1 : i + 2 + _MAX_POSITION_TOKENS] if t.text == ")"), None)
    inner = " ".join(doc[i + 1 : close].text.lower().split()) if close is not None else ""
    return close + 1 if inner in rules.picture_positions else i


def _title_in_brackets(doc: Doc, name: Span, rules: LanguageRules) -> tuple[str | None, str | None]:
    """"Mike Flewitt (CEO de McLaren Automotive)": a caption's bracketed title."""
    if name.end >= len(doc) or doc[name.end].text != "(":
        return None, None
    close = next((t.i for t in doc[name.end + 1 : name.end + 2 + _MAX_TITLE_TOKENS] if t.text == ")"), None)
    if close is None:
        return None, None
    inner = doc[name.end + 1 : close]
    link = next((t for t in inner if t.lower_ in rules.affiliation_prepositions), None)
    words = list(inner[: link.i - inner.start] if link is not None else inner)
    if not words or not _is_title_phrase(words, rules):
        return None, None
    return doc[words[0].i : words[-1].i + 1].text, doc[link.i + 1 : close].text if link is not None and link.i + 1 < close else None


def _is_title_phrase(tokens: list[Token], rules: LanguageRules) -> bool:
    return any(t.lower_ in rules.title_words or t.lower_.split("-")[-1] in rules.title_words for t in tokens)


def _title_after(doc: Doc, name: Span, rules: LanguageRules, organisation_keys: frozenset[str]) -> tuple[str | None, str | None]:
    """"Christine Morin, Director of X at Inria" → ("Director of X", "Inria"); the comma may
    be left out before a title word ("Ali AOUN Ministre de l'industrie")."""
    if name.end >= len(doc) or not (doc[name.end].text == "," or _is_title_phrase([doc[name.end]], rules)):
        return None, None
    first = name.end + (doc[name.end].text == ",")
    tokens: list[Token] = []
    for token in doc[first : first + _MAX_TITLE_TOKENS]:
        if (token.text in _TITLE_STOP and not _inner_hyphen(doc, token.i)) or "\n" in token.text or token.pos_ == "VERB":
            break  # "Vice-Chancellor" is one title, spaCy's three tokens
        if token.pos_ == "CCONJ" and token.i + 1 < len(doc) and _opens_person(doc[token.i + 1], rules):
            break  # "X, Deputy Secretary of MinLaw and Mr Y, President of ..."
        tokens.append(token)
    if not tokens or tokens[0].pos_ in ("CCONJ", "ADP") or not _is_title_phrase(tokens, rules):  # ", in the presence of the Ambassador"
        return None, None
    organisation = _organisation_in(doc, tokens, rules)
    if organisation is not None and _is_title_complement(organisation, rules) and not _has_organisation_word(organisation, rules) and _organisation_following(doc, tokens[-1].i + 1):
        organisation = None  # "Head of [Communications], WAIB": a department; the employer follows
    if organisation is not None:
        start = organisation.start
        while start > tokens[0].i and doc[start - 1].pos_ == "DET":
            start -= 1
        link = doc[start - 1] if start > tokens[0].i else None
        title_end = link.i if link is not None and link.lower_ in rules.affiliation_prepositions else start
        title_start = next((t.i for t in tokens if t.pos_ != "DET"), tokens[0].i)  # "le CEO de X" → "CEO"
        title = doc[title_start:title_end].text.strip(" ,") if title_end > title_start else None
        return title or None, organisation.text
    known = _known_organisation(doc, tokens, rules, organisation_keys)
    if known is not None:
        link, organisation = known
        return doc[tokens[0].i : link.i].text, organisation.text
    at = next((t for t in reversed(tokens) if t.lower_ == "at" and t.i > tokens[0].i), None)
    if at is not None and all(t.text[:1].isupper() or t.lower_ in ("of", "and", "for", "the") for t in tokens[at.i - tokens[0].i + 1 :]):
        return doc[tokens[0].i : at.i].text, strip_article(doc[at.i + 1 : tokens[-1].i + 1]).text or None
    if at is not None:
        tokens = tokens[: at.i - tokens[0].i]  # "Secretary-General of ICC at the 3rd Asia Conference": a venue, not the employer
    following = _organisation_following(doc, tokens[-1].i + 1)
    return doc[tokens[0].i : tokens[-1].i + 1].text, following


def _organisation_in(doc: Doc, tokens: list[Token], rules: LanguageRules) -> Span | None:
    """The organisation named in a title phrase; NER sometimes takes the title along
    ("Rector of Bolt University"), so a title word inside it moves the start past "of"/"at",
    and sometimes stops short ("[Universiti] Putra Malaysia"), so it runs on over proper nouns.
    Not a title NER took for an organisation ("Communications Coordinator") nor a portfolio's
    conjunct ("Minister of Finance and [Budget]")."""
    first, last = tokens[0].i, tokens[-1].i
    for ent in entities(doc):
        if ent[-1].lower_ in rules.title_words and not _has_organisation_word(ent, rules):
            continue
        if any(t.dep_ == "conj" and first <= t.head.i < ent.start and not t.head.ent_type_ for t in ent):
            continue
        if ent.label_ in ("ORG", "GPE") and first <= ent.start and ent.end - 1 <= last:
            links = [t.i for t in ent if t.lower_ in rules.affiliation_prepositions and _is_title_phrase(list(doc[ent.start : t.i]), rules)]
            end = ent.end
            while end <= last and doc[end].pos_ == "PROPN":
                end += 1
            return strip_article(doc[links[-1] + 1 if links else ent.start : end])
    return None


def _has_organisation_word(span: Span, rules: LanguageRules) -> bool:
    return any(t.lower_ in rules.org_head_nouns or t.lower_ in rules.company_words or t.lower_ in rules.legal_suffixes for t in span)


def _known_organisation(doc: Doc, tokens: list[Token], rules: LanguageRules, organisation_keys: frozenset[str]) -> tuple[Token, Span] | None:
    """The link word and organisation ending a title phrase when NER missed the organisation
    but the text names it elsewhere: "Chief Executive Officer of Acme" beside "Acme signed ..."."""
    for link in tokens[1:-1]:
        if link.lower_ in rules.affiliation_prepositions:
            organisation = strip_article(doc[link.i + 1 : tokens[-1].i + 1])
            if organisation.text.lower() in organisation_keys:
                return link, organisation
    return None


def _opens_person(token: Token, rules: LanguageRules) -> bool:
    return token.lower_.strip(".") in rules.person_honorifics or token.ent_type_ == "PERSON"


def _organisation_following(doc: Doc, i: int) -> str | None:
    """", ITI Ltd." after a title: an organisation entity, else capitalised words up to the next
    comma or dash ("Press Officer, City of Aldermoor, press@...")."""
    if i >= len(doc) or doc[i].text != ",":
        return None
    ent = entity_at(doc, i + 1)
    if ent is not None and ent.start == i + 1 and ent.label_ == "ORG":
        return strip_article(ent).text
    end = i + 1
    while end < len(doc) and end - i <= _MAX_TITLE_TOKENS and doc[end].text not in _TITLE_STOP and not doc[end].is_space and (doc[end].text[:1].isupper() or doc[end].lower_ in ("of", "for", "and", "the")):
        end += 1
    words = doc[i + 1 : end]
    if len(words) and words[0].text[:1].isupper() and words[-1].text[:1].isupper() and "@" not in words.text:
        return words.text
    return None


def _opening_mark(doc: Doc, i: int) -> bool:
    """The apostrophe spaCy split from the word it opens ("'Akau'ola")."""
    texts = token_texts(doc)
    return texts[i] in _APOSTROPHES and not doc[i].whitespace_ and i + 1 < len(doc) and texts[i + 1][:1].isalpha()


def _inner_hyphen(doc: Doc, i: int) -> bool:
    """The hyphen of "Vice-Chancellor"."""
    return token_texts(doc)[i] == "-" and 0 < i < len(doc) - 1 and not doc[i].whitespace_ and not doc[i - 1].whitespace_


def _title_before(doc: Doc, name: Span, rules: LanguageRules) -> tuple[str | None, str | None]:
    """"Peking University President Lin Jianhua", "Lincoln University’s Vice-Chancellor, Dr Andrew West"."""
    i = name.start - 1
    while i >= 0 and _honorific_at(doc, i, rules.person_honorifics) and doc[i].lower_ not in ("the",):
        i -= 1
    honorific_title = doc[i + 1].text if i + 1 < name.start and doc[i + 1].lower_ in rules.title_words else None
    after_comma = i >= 0 and doc[i].text == ","
    if after_comma:
        i -= 1
    end = i + 1
    while i >= 0 and end - i <= _MAX_TITLE_TOKENS and _continues_title_leftwards(doc, i, name, rules, after_comma):
        i -= 1
    title_tokens = list(doc[i + 1 : end])
    while title_tokens and (title_tokens[0].lower_ in ("of", "and", "for") or title_tokens[0].pos_ == "DET"):
        title_tokens.pop(0)
    affiliation = None
    if i >= 0 and doc[i].ent_type_ in ("ORG",):
        affiliation = strip_article(entity_at(doc, i)).text
    if i >= 0 and doc[i].lower_ in _POSSESSIVES and i > 0 and doc[i - 1].ent_type_ == "ORG":
        affiliation = strip_article(entity_at(doc, i - 1)).text
    if title_tokens and _is_title_phrase(title_tokens, rules):
        return doc[title_tokens[0].i : title_tokens[-1].i + 1].text, affiliation or _affiliation_after(doc, name, rules)
    return honorific_title, (affiliation or _affiliation_after(doc, name, rules)) if honorific_title else None


def _affiliation_after(doc: Doc, name: Span, rules: LanguageRules) -> str | None:
    """"Rector Maria Quispe of UNAAN": the proper noun attached to a name titled before it."""
    for noun in syntax.pp_objects(name.root, rules.affiliation_prepositions):
        organisation = strip_article(doc[noun.left_edge.i : noun.i + 1])
        if noun.pos_ == "PROPN" and organisation.start == name.end + 1:
            return organisation.text
    return None


def _title_in_apposition(doc: Doc, name: Span, rules: LanguageRules) -> tuple[str | None, str | None]:
    """"India's Ambassador to Japan, Anjali Menon", "the Ambassador of France to Peru, Claire
    Dubois": the title phrase the name is in apposition to, through its prepositions, articles
    and the countries _title_before stops at, read back from the title word its portfolio hangs
    on, whatever commas that holds ("Minister of Science, Technology and Innovation, Luciana
    Santos"); a possessive before the title is the affiliation."""
    if name.start < 2 or doc[name.start - 1].text != "," or name.root.dep_ not in ("appos", "conj") or name.root.head.i >= name.start:
        return None, None
    title_word = _title_word_of(doc[name.start - 2], rules)
    start = title_word.i if title_word is not None else name.start - 1
    while start > name.sent.start and name.start - start <= _MAX_TITLE_TOKENS and _in_title_phrase(doc[start - 1], rules):
        start -= 1
    while start < name.start - 1 and not (doc[start].text[:1].isupper() or doc[start].lower_ in rules.title_words):
        start += 1  # "in the presence of [the Ambassador ...]"
    phrase = doc[start : name.start - 1]
    if not _is_title_phrase(list(phrase), rules):
        return None, None
    possessive = next((t for t in phrase if t.lower_ in _POSSESSIVES), None)
    if possessive is None:
        return strip_article(phrase).text, None
    return strip_article(doc[possessive.i + 1 : phrase.end]).text, strip_article(doc[phrase.start : possessive.i]).text


def _in_title_phrase(token: Token, rules: LanguageRules) -> bool:
    return token.text[:1].isupper() or token.lower_ in rules.title_words or token.pos_ in ("ADP", "DET") or token.lower_ in _POSSESSIVES or _inner_hyphen(token.doc, token.i)


def _continues_title_leftwards(doc: Doc, i: int, name: Span, rules: LanguageRules, after_comma: bool) -> bool:
    """Whether ``doc[i]`` belongs to a title read leftwards from a name: capitalised words, title
    words ("le ministre"), links ("to" only right before the name, "Ambassador to Vietnam Andrew
    Goledzinowski": after a comma, _title_in_apposition reads it with its possessive) and inner
    hyphens, up to another person listed ("Foreign Minister A and Foreign Minister B") or an organisation, which is the affiliation ("Peking
    University President") unless it is a title word NER took for one ("Cabinet Secretary") or
    the title's own complement ("Secretary of Energy")."""
    token = doc[i]
    if "\n" in token.text or token.text in _TITLE_STOP and not _inner_hyphen(doc, i):
        return False
    if not (token.text[:1].isupper() or token.lower_ in rules.title_words or token.lower_ in ("of", "and", "for", "(", ")") or token.lower_ == "to" and not after_comma or _inner_hyphen(doc, i)):
        return False
    entity = entity_at(doc, i)
    if entity is None or entity.start <= name.start < entity.end or _is_title_complement(entity, rules):
        return True  # "Minister of [Mining] Aurora Williams", "Minister for [Law] and Justice"
    if entity.label_ == "PERSON":  # a name and "and" make a list; a lone "name" is NER's slip ("Massey Vice-Chancellor")
        return doc[entity.end].pos_ != "CCONJ"
    return entity.label_ not in ("ORG", "GPE", "NORP") or token.lower_ in rules.title_words


def _is_title_complement(span: Span, rules: LanguageRules) -> bool:
    """"Energy" in "Secretary of Energy", "Vietnam" in "Ambassador to Vietnam": a span right
    after a title word and its preposition."""
    doc = span.doc
    return span.start >= 2 and doc[span.start - 1].pos_ == "ADP" and _is_title_phrase([doc[span.start - 2]], rules)
