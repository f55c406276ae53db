"""The signing place: where the agreement was signed, as the text says it."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from pipeline.decisions import best, load_decision
from pipeline.features.signing_place import PlaceEvidence, place_features
from pipeline.nlp import PERSON_SPANS
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.layout import dateline_end, is_headline
from pipeline.stages.contract import Candidate, Context, Found, Proposal
from pipeline.stages.organizations import entity_at, strip_article
from pipeline.stages.signals import SigningClause, agreement_mentions
from pipeline.stages.syntax import introduced_by
from pipeline.stages.views import entities, overlaps

_PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels small models give cities they do not know.
_MISREAD_PLACE_LABELS = ("PERSON", "ORG", "NORP", "MISC")
_MAX_PLACE_WORDS = 3
_MAX_NESTED_PHRASES = 1

FIELDS = ("signing_place",)
READS = ("signing_date",)


def propose(context: Context) -> Proposal:
    """Every place of the signing and agreement sentences, the venues' cities and the
    dateline's city are candidates; the learned decision keeps the most probable one if it is
    probable enough. The hand-written rule's place is evidence among the features. The resolve
    step may still fall back on the dateline's place (a signing dated by the publication)."""
    candidates = _candidates(context, _signing_place(context.clauses, context.rules))
    decision = load_decision("signing_place")
    scored = [replace(c, probability=decision.probability(c.features)) for c in candidates]
    chosen = best([c.probability for c in scored], decision)
    return Proposal({"signing_place": None if chosen is None else scored[chosen].value}, [], scored)


def _candidates(context: Context, rule_choice: Found | None) -> list[Candidate]:
    """One candidate per place value, its mentions gathered (features of the strongest)."""
    doc, rules, body_start = context.doc, context.rules, context.document.body_start
    current = [c for c in context.clauses if not c.earlier_agreement]
    signing = frozenset(c.sentence.start for c in current)
    agreements = frozenset(m.sent.start for m in agreement_mentions(doc, body_start))
    attached: dict[tuple[int, int], int] = {}  # place's characters → rank of the first clause it hangs on
    places = [Found.of(strip_article(e).text, strip_article(e)) for e in entities(doc) if e.label_ in _PLACE_LABELS and e.start_char >= body_start and e.sent.start in signing | agreements]
    venues: list[Found] = []
    for rank, clause in enumerate(current):
        for place in _clause_places(clause, rules):
            if (place.start_char, place.end_char) not in attached:
                attached[(place.start_char, place.end_char)] = rank
                places.append(Found.of(place.text, place))
            if _is_venue(place, rules) and (city := _city_of_venue(place, context.clauses)) is not None:
                venues.append(city)
    dateline = _dateline_city(context.clauses)
    date = context.value("signing_date")
    signing_date = (date.start, date.end) if date is not None else None
    mentions: dict[str, list[Found]] = {}
    for found in [*places, *venues, *([dateline] if dateline else [])]:
        mentions.setdefault(found.value, []).append(found)
    candidates = []
    for value, found in mentions.items():
        spans = tuple(span for f in found if (span := doc.char_span(f.start, f.end, alignment_mode="expand")) is not None)
        evidence = PlaceEvidence(
            spans=spans,
            rule_choice=rule_choice is not None and rule_choice.value == value,
            clause_rank=min((attached[(f.start, f.end)] for f in found if (f.start, f.end) in attached), default=None),
            from_dateline=dateline is not None and dateline.value == value,
            city_of_venue=any(f in venues for f in found),
            venue=any(_is_venue(s, rules) for s in spans),
            premises=any(_premises(s, rules) for s in spans),
            after_place_word=any(introduced_by(s.root, rules.place_prepositions) for s in spans),
            about_something_else=all(any(_about_something_else(t, rules) for t in s.root.ancestors) for s in spans),
            labels=frozenset(s.root.ent_type_ for s in spans),
            signing_sentences=signing,
            agreement_sentences=agreements,
            signing_date=signing_date,
        )
        # quoted where the rule read it, else where it hangs on a signing, else first
        quoted = min(found, key=lambda f: (f != rule_choice, (f.start, f.end) not in attached, f.start))
        candidates.append(Candidate(quoted, place_features(evidence)))
    return sorted(candidates, key=lambda c: c.value.start)


def _signing_place(clauses: list[SigningClause], rules: LanguageRules) -> Found | None:
    """A place attached by "in"/"at" to the signing verb or to the agreement phrase itself:
    the city, else the country or venue ("at the ICC Asia Conference held in Singapore" → Singapore,
    "at the Great Hall in Leeds" → Leeds). A venue gives way to a city the text gives it (see
    :func:`_city_of_venue`); an organisation's premises ("at the Ministry of Finance") count
    only through that city."""
    for clause in clauses:
        if clause.earlier_agreement:
            continue
        places = _clause_places(clause, rules)
        for place in [p for p in places if p.root.ent_type_ in ("GPE", "LOC")] or places:
            if not _is_venue(place, rules):
                return Found.of(place.text, place)
            city = _city_of_venue(place, clauses)
            if city is not None or not _premises(place, rules):
                return city or Found.of(place.text, place)
    return None


def _is_venue(place: Span, rules: LanguageRules) -> bool:
    """A building or a site rather than a city: a place noun ("campus", "City Hall"), an
    organisation's premises, or a facility's name of several words ("Manak Bhawan"; NER calls
    many one-word cities facilities) that is not inside another place's phrase ("the campus in
    Khlong Ha")."""
    if _has_place_noun(place, rules) or _premises(place, rules):
        return True
    outer = syntax.governor(place.root)
    inside_place = outer.ent_type_ in _PLACE_LABELS or outer.lemma_.lower() in rules.place_nouns
    return len(place) > 1 and place.root.ent_type_ in ("FAC", "ORG") and not inside_place


def _premises(place: Span, rules: LanguageRules) -> bool:
    """An organisation's name as a place: "signed at the Ministry of Finance"."""
    return place.root.ent_type_ == "ORG" and _organisation_like(place, rules) and not _has_place_noun(place, rules)


def _has_place_noun(place: Span, rules: LanguageRules) -> bool:
    return any(t.lemma_.lower() in rules.place_nouns for t in place)


def _city_of_venue(venue: Span, clauses: list[SigningClause]) -> Found | None:
    """The city of a venue that names none after it: the place its name begins with ("Turku City
    Hall", "Abu Dhabi National Exhibition Centre"), a place the text names as such elsewhere, else
    the city of the announcement's dateline ("YOGYAKARTA – ... signed at the Balai Senat")."""
    dateline = _dateline_city(clauses)
    known = {e.text.lower() for e in entities(venue.doc) if e.label_ in ("GPE", "LOC")} | ({dateline.value.lower()} if dateline else set())
    opening = next((venue[:n] for n in range(len(venue) - 1, 0, -1) if venue[:n].text.lower() in known), None)
    return Found.of(opening.text, opening) if opening is not None else dateline


def _dateline_city(clauses: list[SigningClause]) -> Found | None:
    """The first place of the dateline that opens the text's first signing sentence or a
    sentence before it ("Rio de Janeiro, 21 March 2024 —", "**Turku, Finland** —", "ABU DHABI —")."""
    body = [c.sentence for c in clauses if not c.headline]
    if not body:
        return None
    first = min(body, key=lambda s: s.start)
    for sentence in first.doc[: first.end].sents:
        end = dateline_end(sentence)
        if end == sentence.start or is_headline(sentence):
            continue
        words: list[Token] = []
        for token in sentence.doc[sentence.start : end]:
            if not (token.is_punct or token.is_space or token.like_num or token.ent_type_ == "DATE"):
                words.append(token)
            elif words:
                break
        if words:
            span = sentence.doc[words[0].i : words[-1].i + 1]
            return Found(span.text.title() if span.text.isupper() else span.text, span.text, span.start_char, span.end_char)
    return None


def _clause_places(clause: SigningClause, rules: LanguageRules) -> list[Span]:
    """Every place a signing clause gives its signing, in the order written."""
    trigger = clause.trigger
    governing = {t.i for t in trigger.ancestors if t.pos_ in ("VERB", "AUX")} if trigger.pos_ == "NOUN" else set()
    places = []
    for token in clause.sentence:
        if not introduced_by(token, rules.place_prepositions):
            continue
        if syntax.governor(token).i in governing or _modifies_signing(token, trigger, rules):
            places.append(_place_object(token, rules))
    return [p for p in places if p is not None]


def _modifies_signing(place: Token, trigger: Token, rules: LanguageRules) -> bool:
    """The phrase hangs on the signing or the agreement (directly, or on its object or date) with
    no other verb, partner phrase, subject or phrase about something else in between: "signed
    ... at the headquarters", not "ties with X in Y"."""
    mentions = agreement_mentions(place.doc)
    nested = 0  # phrases about something else in between ("on AI", "of batteries", "to parks")
    for ancestor in place.ancestors:
        if ancestor == trigger:
            return True
        if any(m.start <= ancestor.i < m.end for m in mentions):
            # On the agreement itself ("a milestone agreement in Singapore", "an MoU on AI in
            # Paris"), not deep in what it is about ("for the supply of X to parks in Denmark").
            return nested <= _MAX_NESTED_PHRASES
        if syntax.is_subject(ancestor):
            return False  # "the Embassy of Denmark in Ghana signed": part of a signatory's name
        if _about_something_else(ancestor, rules):
            return False
        preposition = syntax.preposition_of(ancestor)
        if preposition is not None and preposition.lower_ not in rules.place_prepositions and ancestor.ent_type_ not in ("DATE", "TIME"):
            nested += 1
        if ancestor.pos_ in ("VERB", "AUX") or ancestor.lower_ in rules.partner_prepositions or (
            preposition is not None and preposition.lower_ in rules.partner_prepositions and ancestor.i != place.i
        ):
            return False
    return False


def _about_something_else(token: Token, rules: LanguageRules) -> bool:
    """A place below this word is not the signing's: it is where a signatory works ("by Eng.
    X, Undersecretary at MoEI") or where the agreement's object will be ("an MoU for a plant
    in Nagpur")."""
    return token.ent_type_ == "PERSON" or introduced_by(token, rules.purpose_prepositions)


def _place_object(head: Token, rules: LanguageRules) -> Span | None:
    """The place a prepositional object names: a city inside a venue phrase, a place entity,
    a proper name, or a named venue ("Manawatu campus")."""
    inner_city = _city_inside(head, rules)
    if inner_city is not None:
        return inner_city
    if head.ent_type_ or (head.pos_ == "PROPN" and head.text[:1].isupper() and not any(t.lower_ in rules.generic_types for t in head.subtree)):
        return _proper_place(head, _PLACE_LABELS, rules)
    if head.lemma_.lower() in rules.place_nouns:
        left = [t for t in head.lefts if t.dep_ in syntax.MODIFIER_DEPS and t.dep_ != "poss" and t.pos_ == "PROPN"]  # not "KAIST's"
        if left:
            return head.doc[left[0].i : head.i + 1]
    return None


def _city_inside(venue: Token, rules: LanguageRules) -> Span | None:
    """"the conference held in Singapore", "a ceremony in Da Nang", "the ESS campus in Lund"
    (NER often calls a city inside a venue phrase a facility): a place named in a phrase
    hanging on the venue, or after a facility's name ("at Manak Bhawan, New Delhi")."""
    for city in venue.subtree:
        if city.i <= venue.i or any(_about_something_else(t, rules) for t in _path_between(city, venue)):
            continue
        preposition = syntax.preposition_of(city)
        placed = preposition is not None and preposition.lower_ in rules.place_prepositions and preposition.i > venue.i
        after_facility = city.dep_ == "appos" and city.head == venue and city.ent_type_ in ("GPE", "LOC") and _is_venue(_phrase_of(venue), rules)
        if not (placed or after_facility) or not (city.pos_ == "PROPN" or city.ent_type_):
            continue
        place = _proper_place(city, _PLACE_LABELS, rules)
        if place is not None and not _has_place_noun(place, rules) and not _premises(place, rules):
            return place
    return None


def _phrase_of(token: Token) -> Span:
    """The entity ``token`` is part of, else the token alone."""
    entity = entity_at(token.doc, token.i)
    return entity if entity is not None else token.doc[token.i : token.i + 1]


def _path_between(token: Token, top: Token) -> list[Token]:
    """The words from ``token`` up to ``top`` (excluded) in the tree."""
    path = [token]
    for ancestor in token.ancestors:
        if ancestor == top:
            break
        path.append(ancestor)
    return path


def _proper_place(token: Token, labels: tuple[str, ...], rules: LanguageRules) -> Span | None:
    """The place a proper noun after "in"/"at" names: its place entity, the name NER missed, or
    the name NER mislabelled — small models call many cities they do not know persons or
    organisations ("in Dakar", "in Vilnius") — unless it is a person's or an organisation's.
    An organisation NER knows as such stands for its premises ("at the Ministry of Finance",
    "at the Abu Dhabi National Exhibition Centre"): :func:`_signing_place` decides."""
    entity = entity_at(token.doc, token.i)
    if entity is not None and (entity.label_ in labels or entity.label_ == "ORG" and _organisation_like(strip_article(entity), rules)):
        return strip_article(entity)
    if entity is not None and (entity.label_ not in _MISREAD_PLACE_LABELS or _organisation_like(strip_article(entity), rules)):
        return None
    name = strip_article(entity) if entity is not None else _proper_run(token)
    return None if _someone_of_the_text(name) else name


def _proper_run(token: Token) -> Span:
    """A proper noun with the proper nouns compounded before it ("Da Nang", "Manawatu")."""
    start = token.i
    while start > 0 and token.doc[start - 1].pos_ == "PROPN" and start - 1 in {t.i for t in token.lefts}:
        start -= 1
    return token.doc[start : token.i + 1]


def _organisation_like(name: Span, rules: LanguageRules) -> bool:
    """Not a short capitalised name: an acronym, or a name with an institution or company
    word or a legal suffix."""
    if len(name) > _MAX_PLACE_WORDS or not all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_upper for t in name):
        return True
    return any(t.lower_ in rules.org_head_nouns or t.lower_ in rules.company_words or t.lower_ in rules.legal_suffixes for t in name)


def _someone_of_the_text(name: Span) -> bool:
    """A person's name or the subject of a verb elsewhere ("... at Gamma. Gamma is a bank"):
    a person or an organisation of the text, not a place."""
    doc = name.doc
    if overlaps(doc, PERSON_SPANS, name):
        return True
    if any(e.label_ == "PERSON" and len(e) > len(name) and name.text in e.text for e in entities(doc)):
        return True
    return any(t.text == name[-1].text and syntax.is_subject(t) for t in doc if not name.start <= t.i < name.end)
