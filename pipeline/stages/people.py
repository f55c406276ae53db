"""People of the announcement, with the title and organisation the text gives them.

Names come from NER ``PERSON`` entities, cleaned of honorifics ("Dr", "Professor"), and
lines that are photo credits or bylines are skipped. Titles are read from the commonest
press-release forms: "Name, Title at/of Org", "Org's Title, Name", "Org Title Name". Those
present at the signing ("witnessed by X") are no signatories, though inside its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.document import Document
from pipeline.nlp import AGREEMENT_SPANS, PERSON_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.stages.organizations import legal_form, strip_article
from pipeline.stages.views import text_of, entities

_TITLE_STOP = frozenset({",", ".", ";", ":", "(", ")", "“", "”", '"', "–", "—", "-", "\n"})
_MAX_TITLE_TOKENS = 12
_TAIL_CHARS = 600


@dataclass(frozen=True)
class PersonRecord:
    name: str
    title: str | None
    affiliation: str | None
    role: str
    spans: list[tuple[int, int]]


def find_people(doc: Doc, document: Document, rules: LanguageRules, signatory_tokens: frozenset[int], organisation_names: list[str]) -> list[PersonRecord]:
    """Every real person with a part in the announcement, once, in order of first mention."""
    people: dict[str, dict] = {}
    organisation_keys = frozenset(o.lower() for o in organisation_names)
    strong = {(s.start, s.end) for s in _evidenced_names(doc, rules)}
    for entity in _person_spans(doc, rules):
        if entity.start_char < document.body_start:
            continue
        name = _clean_name(entity, rules)
        if name is None or _in_credit_or_byline(doc, name, rules):
            continue
        if (entity.start, entity.end) not in strong and _names_a_thing(name, organisation_keys, rules):
            continue
        key = name.text.lower()
        words = key.split()
        surname_owner = next((k for k in people if k.split()[-1] == key), None)
        key = next((k for k in people if len(words) == 2 and k.split()[0] == words[0] and k.split()[-1] == words[-1]), key)
        if len(name) == 1:
            if surname_owner:
                people[surname_owner]["spans"].append((name.start_char, name.end_char))
                people[surname_owner]["roles"].add(_role(name, doc, rules, signatory_tokens))
            continue
        entry = people.setdefault(key, {"name": name.text, "title": None, "affiliation": None, "spans": [], "roles": set(), "formal": False})
        entry["spans"].append((name.start_char, name.end_char))
        entry["formal"] |= name.start > 0 and doc[name.start - 1].lower_.rstrip("s.") in _prefix_stems(rules)
        entry["roles"].add(_role(name, doc, rules, signatory_tokens))
        if entry["title"] is None:
            entry["title"], entry["affiliation"] = _title_and_affiliation(doc, name, rules, organisation_keys)
    # A name that neither signs, speaks, is the contact nor comes with a title, an organisation
    # or a formal prefix ("Ms", "Professors") is only mentioned ("the designer Henrik Fisker",
    # a racing driver): it has no part in the news.
    return [
        PersonRecord(e["name"], e["title"], e["affiliation"], _strongest(e["roles"]), sorted(set(e["spans"])))
        for e in people.values()
        if _strongest(e["roles"]) != "other" or e["title"] or e["affiliation"] or e["formal"]
    ]


def _prefix_stems(rules: LanguageRules) -> frozenset[str]:
    """"Professors" and "Dr." stand for "professor" and "dr"."""
    return frozenset(p.rstrip(".") for p in rules.name_prefixes)


def _person_spans(doc: Doc, rules: LanguageRules) -> list[Span]:
    """NER persons and the names the text itself marks as people, the longer where they overlap."""
    found = [e for e in entities(doc) if e.label_ == "PERSON"] + _evidenced_names(doc, rules)
    return sorted(filter_spans(found), key=lambda s: s.start)


def _evidenced_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Names whose words say they are people, whatever NER thought: prefixed ("Dr Arvid
    Nergaard"), contacts ("Media contact: Jane Doe, ...") and titled ("Guillaume Faury, CEO")."""
    return [*doc.spans.get(PERSON_SPANS, []), *_contact_names(doc, rules), *_titled_names(doc, rules)]


def _titled_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """Names, even those NER labelled organisations, that a bare appositive title shows to be
    people ("Guillaume Faury, CEO of Acme"): capitalised words without an organisation's word,
    followed by a comma and a title that takes no article (an organisation would be "a leader")."""
    names = []
    for ent in entities(doc):
        if ent.label_ not in ("PERSON", "ORG") or not 2 <= len(ent) <= 3 or ent.end >= len(doc) or doc[ent.end].text != ",":
            continue
        if not all(t.is_alpha and t.is_title for t in ent) or any(t.lower_ in rules.company_words | rules.org_head_nouns | rules.legal_suffixes for t in ent):
            continue
        appositions = [c for c in ent.root.children if c.dep_ == "appos" and c.i > ent.end]
        if any(_is_title_phrase([a], rules) and not any(d.dep_ == "det" for d in a.children) for a in appositions):
            names.append(ent)
    return names


def _contact_names(doc: Doc, rules: LanguageRules) -> list[Span]:
    """The capitalised words between "contact:" and the next comma or dash."""
    names = []
    for token in doc[:-2]:
        if token.lower_ not in rules.contact_cues or not doc[token.i + 1].text.startswith(":"):
            continue
        start = token.i + 2
        while start < len(doc) and doc[start].text.strip("*_") == "":
            start += 1
        end = start
        while end < len(doc) and end - start < 4 and doc[end].is_title and doc[end].is_alpha:
            end += 1
        if end - start >= 2 and (end == len(doc) or doc[end].text in (",", "-", "–", "—", "(") or doc[end].is_space):
            names.append(doc[start:end])
    return names


def _names_a_thing(name: Span, organisation_keys: frozenset[str], rules: LanguageRules) -> bool:
    """NER "persons" that are organisations ("Savanna Solar" of "Savanna Solar Pumps Ltd"),
    job titles ("Communications Lead") or buildings ("Kelvin Building")."""
    last = name[-1].lower_
    key = name.text.lower()
    if any(t.lower_ in rules.company_words for t in name[1:]):
        return True  # "Aurora Flight Sciences", "Porsche Consulting"
    if last in rules.title_words or last in rules.place_nouns or any(s.start < name.end and name.start < s.end for s in name.doc.spans.get(AGREEMENT_SPANS, [])):
        return True
    if name[-1].lower_ in rules.legal_suffixes or legal_form(name.text, text_of(name.doc), rules) is not None:
        return True  # "Fjellvind Subsea" of "Fjellvind Subsea AS"
    if name.start > 0 and name.doc[name.start - 1].lower_ in rules.non_person_contexts:
        return True  # "Chief Executive Officer of Fjellvind Subsea", "the company Acme Robotics"
    return any(o == key or f" {key} " in f" {o} " for o in organisation_keys)


def _strongest(roles: set[str]) -> str:
    return next(r for r in ("signatory", "quoted", "contact", "other") if r in roles or r == "other")


def _clean_name(entity: Span, rules: LanguageRules) -> Span | None:
    """Drop honorifics, possessives and a title's complement; refuse things NER mistook for names."""
    start, end = entity.start, entity.end
    doc = entity.doc
    while start < end and (doc[start].lower_.strip(".") in rules.person_honorifics or doc[start].lower_ in rules.title_words):
        start += 1
    possessive = next((t.i for t in doc[start:end] if t.lower_ in ("’s", "'s")), None)
    end = possessive if possessive is not None else end  # "Christopher Luxon’s Mission"
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if end - start > 2 and _is_title_complement(doc[start:end], rules):
        start = end - 2  # "Minister of [Mining Aurora Williams]": NER took the portfolio along
    name = doc[start:end]
    words = [t for t in name if t.is_alpha or "." in t.text]
    if not words or any(t.like_num or t.is_digit for t in name) or "\n" in name.text:
        return None
    if not all(t.text[:1].isupper() for t in name if t.is_alpha and t.lower_ not in ("van", "von", "de", "der", "da", "bin", "binti", "al")):
        return None
    return name


def _line_of(doc: Doc, span: Span) -> str:
    start = text_of(doc).rfind("\n", 0, span.start_char) + 1
    end = text_of(doc).find("\n", span.end_char)
    return text_of(doc)[start : end if end != -1 else len(text_of(doc))]


def _in_credit_or_byline(doc: Doc, name: Span, rules: LanguageRules) -> bool:
    """"© Inria / Photo G. Scagnelli", "Photo credits: X", "By Jane Doe"."""
    line = _line_of(doc, name).lower()
    at = line.find(name.text.lower())
    before = line[:at] if at >= 0 else line
    after = line[at + len(name.text) :].strip(" *_.") if at >= 0 else ""
    # A credit names the photographer and ends there ("/ Agency" at most); a caption that
    # lists who is in the picture ("Photo : Mike Flewitt (CEO de ...)") names people.
    credited = not after or after[0] in "/|©)"
    if credited and any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", before) for cue in rules.credit_cues):
        return True
    stripped = before.strip(" *_#>-")
    return any(stripped == cue or stripped.endswith(" " + cue) and len(stripped) <= len(cue) + 12 for cue in rules.byline_cues)


def _role(name: Span, doc: Doc, rules: LanguageRules, signatory_tokens: frozenset[int]) -> str:
    if any(t.i in signatory_tokens for t in name) and not _witnesses(name, rules):
        return "signatory"
    root = name.root
    verbs = [root.head] if syntax.is_subject(root) or (syntax.is_object(root) and root.head.i < root.i) else []  # "», a commenté X"
    verbs += [root.head.head] if root.dep_ == "appos" and syntax.is_subject(root.head) else []
    before = doc[max(name.sent.start, name.start - 8) : name.start].text.lower()
    if any(v.lemma_.lower() in rules.quote_lemmas for v in verbs) or any(cue in before for cue in rules.attribution_cues):
        return "quoted"  # "said X", "according to X", "selon X"
    line = _line_of(doc, name).lower()
    if any(cue in line for cue in rules.contact_cues) or name.start_char >= len(text_of(doc)) - _TAIL_CHARS and "@" in text_of(doc)[name.end_char : name.end_char + 200]:
        return "contact"
    return "other"


def _witnesses(name: Span, rules: LanguageRules) -> bool:
    """"X witnessed / attended the signing", "witnessed by X and Y", "le ministre X a assisté à la
    signature": present at the signing, inside the signing clause, yet no signatory."""
    root = name.root
    while root.dep_ in ("conj", "appos") and root.head != root:
        root = root.head
    verb = syntax.governor(root)
    return verb.lemma_.lower() in rules.witness_lemmas and (syntax.is_subject(root) or root in syntax.agents(verb))


def _title_and_affiliation(doc: Doc, name: Span, rules: LanguageRules, organisation_keys: frozenset[str]) -> tuple[str | None, str | None]:
    """The first of the readings that finds a title: after the name, in brackets, before it."""
    readings = (_title_after(doc, name, rules, organisation_keys), _title_in_brackets(doc, name, rules), _title_before(doc, name, rules))
    return next((found for found in readings if found[0]), (None, None))


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
    """"Christine Morin, Director of X at Inria" → ("Director of X", "Inria")."""
    if name.end >= len(doc) or doc[name.end].text != ",":
        return None, None
    tokens: list[Token] = []
    for token in doc[name.end + 1 : name.end + 1 + _MAX_TITLE_TOKENS]:
        if (token.text in _TITLE_STOP and not _inner_hyphen(doc, token.i)) or "\n" in token.text or token.pos_ == "VERB":
            break  # "Vice-Chancellor" is one title, spaCy's three tokens
        if token.pos_ == "CCONJ" and token.i + 1 < len(doc) and _opens_person(doc[token.i + 1], rules):
            break  # "X, Deputy Secretary of MinLaw and Mr Y, President of ..."
        tokens.append(token)
    if not tokens or tokens[0].pos_ == "CCONJ" or not _is_title_phrase(tokens, rules):
        return None, None
    organisation = _organisation_in(doc, tokens, rules)
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
        return doc[tokens[0].i : at.i].text, doc[at.i + 1 : tokens[-1].i + 1].text or None
    if at is not None:
        tokens = tokens[: at.i - tokens[0].i]  # "Secretary-General of ICC at the 3rd Asia Conference": a venue, not the employer
    following = _organisation_following(doc, tokens[-1].i + 1)
    return doc[tokens[0].i : tokens[-1].i + 1].text, following


def _organisation_in(doc: Doc, tokens: list[Token], rules: LanguageRules) -> Span | None:
    """The organisation named in a title phrase; NER sometimes takes the title along
    ("Rector of Bolt University"), so a title word inside it moves the start past "of"/"at",
    and sometimes stops short ("[Universiti] Putra Malaysia"), so it runs on over proper nouns."""
    first, last = tokens[0].i, tokens[-1].i
    for ent in entities(doc):
        if ent.label_ in ("ORG", "GPE") and first <= ent.start and ent.end - 1 <= last:
            links = [t.i for t in ent if t.lower_ in rules.affiliation_prepositions and _is_title_phrase(list(doc[ent.start : t.i]), rules)]
            end = ent.end
            while end <= last and doc[end].pos_ == "PROPN":
                end += 1
            return strip_article(doc[links[-1] + 1 if links else ent.start : end])
    return None


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
    for ent in entities(doc):
        if ent.start == i + 1 and ent.label_ == "ORG":
            return strip_article(ent).text
    end = i + 1
    while end < len(doc) and end - i <= _MAX_TITLE_TOKENS and doc[end].text not in _TITLE_STOP and not doc[end].is_space and (doc[end].text[:1].isupper() or doc[end].lower_ in ("of", "for", "and", "the")):
        end += 1
    words = doc[i + 1 : end]
    if len(words) and words[0].text[:1].isupper() and words[-1].text[:1].isupper() and "@" not in words.text:
        return words.text
    return None


def _inner_hyphen(doc: Doc, i: int) -> bool:
    """The hyphen of "Vice-Chancellor"."""
    return doc[i].text == "-" and 0 < i < len(doc) - 1 and not doc[i].whitespace_ and not doc[i - 1].whitespace_


def _title_before(doc: Doc, name: Span, rules: LanguageRules) -> tuple[str | None, str | None]:
    """"Peking University President Lin Jianhua", "Lincoln University’s Vice-Chancellor, Dr Andrew West"."""
    i = name.start - 1
    while i >= 0 and (doc[i].lower_.strip(".") in rules.person_honorifics) and doc[i].lower_ not in ("the",):
        i -= 1
    honorific_title = doc[i + 1].text if i + 1 < name.start and doc[i + 1].lower_ in rules.title_words else None
    if i >= 0 and doc[i].text == ",":
        i -= 1
    end = i + 1
    while i >= 0 and end - i <= _MAX_TITLE_TOKENS and _continues_title_leftwards(doc, i, name, rules):
        i -= 1
    title_tokens = list(doc[i + 1 : end])
    while title_tokens and (title_tokens[0].lower_ in ("of", "and", "for") or title_tokens[0].pos_ == "DET"):
        title_tokens.pop(0)
    affiliation = None
    if i >= 0 and doc[i].ent_type_ in ("ORG",):
        ent = next(e for e in entities(doc) if e.start <= i < e.end)
        affiliation = strip_article(ent).text
    if i >= 0 and doc[i].lower_ in ("’s", "'s") and i > 0 and doc[i - 1].ent_type_ == "ORG":
        ent = next(e for e in entities(doc) if e.start <= i - 1 < e.end)
        affiliation = strip_article(ent).text
    if title_tokens and _is_title_phrase(title_tokens, rules):
        return doc[title_tokens[0].i : title_tokens[-1].i + 1].text, affiliation
    return honorific_title, affiliation if honorific_title else None


def _continues_title_leftwards(doc: Doc, i: int, name: Span, rules: LanguageRules) -> bool:
    """Whether ``doc[i]`` belongs to a title read leftwards from a name: capitalised words, title
    words ("le ministre"), links and inner hyphens, up to another person listed ("Foreign
    Minister A and Foreign Minister B") or an organisation, which is the affiliation ("Peking
    University President") unless it is a title word NER took for one ("Cabinet Secretary") or
    the title's own complement ("Secretary of Energy")."""
    token = doc[i]
    if "\n" in token.text or token.text in _TITLE_STOP and not _inner_hyphen(doc, i):
        return False
    if not (token.text[:1].isupper() or token.lower_ in rules.title_words or token.lower_ in ("of", "and", "for", "(", ")") or _inner_hyphen(doc, i)):
        return False
    entity = next((e for e in entities(doc) if e.start <= i < e.end), None)
    if entity is None or entity.start <= name.start < entity.end or _is_title_complement(entity, rules):
        return True  # "Minister of [Mining] Aurora Williams", "Minister for [Law] and Justice"
    if entity.label_ == "PERSON":  # a name and "and" make a list; a lone "name" is NER's slip ("Massey Vice-Chancellor")
        return doc[entity.end].pos_ != "CCONJ"
    return entity.label_ not in ("ORG", "GPE", "NORP") or token.lower_ in rules.title_words


def _is_title_complement(span: Span, rules: LanguageRules) -> bool:
    """"Energy" in "Secretary of Energy": a span right after a title word and its preposition."""
    doc = span.doc
    return span.start >= 2 and doc[span.start - 1].lower_ in rules.affiliation_prepositions and _is_title_phrase([doc[span.start - 2]], rules)
