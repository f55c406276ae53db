"""Parties: the signatories of the main agreement; every other organisation is only mentioned.

Every organisation of the body is a candidate (docs/architecture.md, "Candidates and
features"); the learned decision keeps the parties. Figure captions (``layout:captions``, after
the prose) are no party's evidence: who stands in the photo is the people's business, and their
longer spellings are no party's name. The hand-written slot rules are evidence:
the subject of the signing verb ("X and Y signed", "X has signed ... by signing"), its agent
("signed by X's president"), "with Y" and "between X and Y"; a person in a slot brings their
organisation ("Peking University President Lin Jianhua").
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import chain, islice
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, Token

from models import RecordWarning
from pipeline.decisions import load_decision, select
from pipeline.document import Document
from pipeline.features.parties import PartyEvidence, party_features
from pipeline.nlp import PERSON_SPANS, joins_a_word
from pipeline.rules import LanguageRules
from pipeline.stages.contract import SIGNATORY_TOKENS, Context, Proposal
from pipeline.stages.organizations import (
    ORG_LABELS,
    OrgIndex,
    agreement_named,
    continues_name,
    coordinated_parts,
    defined_terms,
    ends_with_legal_suffix,
    name_key,
    names_an_office,
    entity_at,
    named_entities,
    named_entity_at,
    organisation_words,
    strip_article,
    with_location,
)
from pipeline.layout import capitals, dateline_end, prose_end
from pipeline.stages import signals, syntax
from pipeline.stages.syntax import introduced_by
from pipeline.stages.signals import SigningClause
from pipeline.stages.views import entities, overlaps, positions_of, text_of, token_texts

_CLIMB_DEPS = ("advcl", "xcomp", "pcomp", "conj", "acl", "relcl", "ccomp", "acl:relcl")
_MAX_CLAUSES = 3
_TITLE_WINDOW = 8
_LOWERCASE_WORDS = "lowercase_words"
_ACRONYM_FULLS = "acronym_fulls"
# Labels a slot's own name may carry: governments and regions sign too ("the State",
# "Île-de-France"), and small models call many company names MISC.
_SLOT_ORG_LABELS = ("ORG", "GPE", "MISC")
_PLACE_LABELS = ("LOC", "FAC")
_NESTED_CLAUSE_DEPS = ("conj", "advcl", "relcl", "ccomp", "acl:relcl")
# From a reported clause up to the verb whose subject reports it ("is pleased to announce that").
_REPORTING_CLIMB_DEPS = ("xcomp", "acomp", "ccomp", "conj")
_PROPER_PARTY_LABELS = ("ORG", "GPE", "NORP", "MISC")
_NAME_LINKS = ("and", "&", "of", "for")
_COUNTRY_LABELS = ("GPE", "NORP")
_LEAD_SENTENCES = 3

FIELDS = ("parties", "organizations")
READS: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgRecord:
    """An organisation as the record shows it."""

    name: str
    acronym: str | None
    spans: list[tuple[int, int]]

    def record(self, text: str) -> dict[str, Any]:
        return {"name": self.name, "acronym": self.acronym, "spans": self.spans}


@dataclass(frozen=True)
class PartyCandidate:
    """An organisation that may be a party: its name, mentions, features and the probability
    the learned decision gives it (docs/architecture.md, "Candidates and features")."""

    key: str
    name: str
    acronym: str | None
    spans: list[tuple[int, int]]
    features: dict[str, float]
    probability: float


@dataclass
class _RuleFindings:
    """What the hand-written rules say: names in the slots of signing clauses (with the rank
    of the first clause naming each), in partnering clauses, in the headline, and the names
    the cascade of those rules would answer on its own."""

    spans: dict[str, list[Span]] = field(default_factory=dict)
    slot_rank: dict[str, int] = field(default_factory=dict)
    partnering: set[str] = field(default_factory=set)
    headline: set[str] = field(default_factory=set)
    answer: dict[str, str | None] = field(default_factory=dict)  # name key → acronym
    slot_tokens: set[int] = field(default_factory=set)


def propose(context: Context) -> Proposal:
    """Every organisation is a candidate; the shipped learned decision keeps the parties; the
    others are the record's organisations. The tokens of the signing slots are evidence for
    the people stage (who signed)."""
    doc, document, clauses, rules = context.doc, context.document, context.clauses, context.rules
    end = prose_end(doc)
    index = OrgIndex(doc, rules, document.body_start, end)
    doc.user_data[_LOWERCASE_WORDS] = {w for w, at in zip(token_texts(doc), doc.to_array(IDX).tolist()) if document.body_start <= at < end and w.islower() and w.isalpha()}
    doc.user_data[_ACRONYM_FULLS] = {full.text for full in index.acronyms.values()}
    findings = _rule_findings(doc, document, clauses, rules, index, end)
    decision = load_decision("parties")
    # A text that reports no signing, partnering or agreement has no party candidates at all.
    reports_agreement = any(not c.earlier_agreement for c in clauses) or bool(findings.partnering) or bool(signals.agreement_mentions(doc, document.body_start))
    found = _candidates(doc, document, clauses, rules, index, findings, end) if reports_agreement else []
    candidates = [replace(c, probability=decision.probability(c.features)) for c in found]
    chosen = [candidates[i] for i in select([c.probability for c in candidates], decision)]
    parties = [OrgRecord(c.name, c.acronym, c.spans) for c in chosen]
    warnings = [
        RecordWarning(code="party_from_headline", message=f"party {c.name!r} found only in the headline")
        for c in chosen
        if c.features["in_lead"] == 0 and c.features["in_headline"] == 1 and not c.features["in_signing_sentence"]
    ]
    if len(parties) == 1:
        warnings.append(RecordWarning(code="one_party", message="only one party found"))
    party_keys = {c.key for c in chosen} | {name_key(c.acronym, rules) for c in chosen if c.acronym}
    organizations = _other_organizations(index, party_keys, document, rules)
    return Proposal({"parties": parties, "organizations": organizations}, warnings, candidates, {SIGNATORY_TOKENS: frozenset(findings.slot_tokens)})


def _rule_findings(doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules, index: OrgIndex, end: int) -> _RuleFindings:
    """The slots of the best signing clauses, then of partnering clauses, then the headline
    when they named fewer than two organisations: evidence for the decision. The prose ends
    at ``end``."""
    findings = _RuleFindings()
    current = [c for c in clauses if not c.earlier_agreement]
    heads = [_slot_heads(clause, rules) for clause in current]  # once per clause: both loops use them
    findings.slot_tokens = {t.i for clause_heads in heads for head in clause_heads for t in head.subtree}
    partnering = [(c, _slot_heads(c, rules)) for c in signals.partnering_clauses(doc, document, rules)]
    answered = False  # the cascade answers with the first clauses that name two organisations
    for rank, (clause, clause_heads) in enumerate(chain(zip(current, heads), partnering)):
        is_partnering = rank >= len(current)
        for span in _names_in_slots(doc, clause_heads, index, rules, entities_only=clause.headline):
            name, acronym = index.canonical(span)
            key = name_key(name, rules)
            findings.spans.setdefault(key, []).append(span)
            if is_partnering:
                findings.partnering.add(key)
            else:
                findings.slot_rank.setdefault(key, rank)
            if not answered and (is_partnering or rank < _MAX_CLAUSES):
                findings.answer.setdefault(key, acronym)
        answered = answered or len(findings.answer) >= 2
    if len(findings.answer) < 2 and document.title is not None:
        for span in _names_in_title(doc, document, rules, end):
            name, acronym = index.canonical(span)
            key = name_key(name, rules)
            findings.spans.setdefault(key, []).append(span)
            findings.headline.add(key)
            if key not in findings.answer and not _is_alias(key, findings.answer, rules):
                findings.answer[key] = acronym
    return findings


def _candidates(
    doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules, index: OrgIndex, findings: _RuleFindings, end: int
) -> list[PartyCandidate]:
    """One candidate per organisation (mentions grouped by name key and acronym): every
    organisation name of the body, every name the rules found, and the countries and
    nationalities of signing and agreement sentences (governments sign as their country);
    mentions only from the prose, which ends at ``end``."""
    signing = frozenset(c.sentence.start for c in clauses if not c.earlier_agreement)
    agreements = frozenset(m.sent.start for m in signals.agreement_mentions(doc, document.body_start))
    spans = [
        *(s for found in findings.spans.values() for s in found),
        *index.entities,
        *(
            e for e in entities(doc)
            if e.label_ in _COUNTRY_LABELS and e.start_char >= document.body_start and e.sent.start in signing | agreements and not names_an_office(e, rules)
        ),
    ]
    grouped: dict[str, tuple[str, str | None, list[Span]]] = {}
    key_by_acronym: dict[str, str] = {}  # one organisation under two names that share an acronym
    terms = defined_terms(doc, rules)  # "ci-après les Participantes": the text's word for the parties
    for span in spans:
        name, acronym = index.canonical(span)
        key = name_key(name, rules)
        if not key or key in terms:
            continue
        if acronym:
            key = key_by_acronym.setdefault(name_key(acronym, rules), key)
        grouped.setdefault(key, (name, acronym, []))[2].append(span)
    lead = frozenset(s.start for s in islice((s for s in doc.sents if s.end_char > document.body_start), _LEAD_SENTENCES))
    body_length = end - document.body_start
    with_spans = []
    for key, (name, acronym, found) in grouped.items():
        forms = [name, acronym, *(s.text for s in findings.spans.get(key, []))]  # how the text writes it
        char_spans = [(s, e) for s, e in index.mention_spans(forms, 0) if s < end]
        in_body = (m for s, e in char_spans if s >= document.body_start and (m := doc.char_span(s, e, alignment_mode="expand")) is not None)
        if mentions := tuple(in_body):
            with_spans.append((key, name, acronym, found, char_spans, mentions))
    with_spans.sort(key=lambda item: item[5][0].start_char)
    candidates = []
    for rank, (key, name, acronym, found, char_spans, mentions) in enumerate(with_spans):
        evidence = PartyEvidence(
            document=document,
            mentions=mentions,
            label=found[0].label_ or (entity.label_ if (entity := entity_at(doc, found[0].start)) is not None else ""),
            slot_rank=findings.slot_rank.get(key),
            partnering=key in findings.partnering,
            headline_rule=key in findings.headline,
            rule_party=key in findings.answer,
            rule_answers=len(findings.answer),
            after_partner_word=any(introduced_by(m.root, rules.partner_prepositions | rules.between_prepositions) for m in mentions),
            after_place_word=any(introduced_by(m.root, rules.place_prepositions) for m in mentions),
            person_mention=any(_in_person_name(m) for m in mentions),
            subject=any(syntax.is_subject(_first_conjunct(m.root)) for m in mentions),
            coordinated=any(m.root.dep_ == "conj" or any(c.dep_ == "conj" for c in m.root.children) for m in mentions),
            acronym=acronym is not None,
            organisation_words=any(organisation_words(s, rules, weak=False) for s in found),
            person_like=all(_is_person_like(s, rules) for s in found),
            rank=rank,
            lead_sentences=lead,
            signing_sentences=signing,
            agreement_sentences=agreements,
            body_length=body_length,
        )
        candidates.append(PartyCandidate(key, name, acronym, char_spans, party_features(evidence), 0.0))
    return candidates


def _is_alias(key: str, answer: dict[str, str | None], rules: LanguageRules) -> bool:
    """The headline names a party already found by its acronym."""
    return any(acronym and name_key(acronym, rules) == key for acronym in answer.values())


def _slot_heads(clause: SigningClause, rules: LanguageRules) -> list[Token]:
    """Tokens heading the phrases that name the signatories, conjuncts included."""
    if clause.trigger.pos_ not in ("VERB", "AUX") and syntax.is_subject(clause.trigger):
        return []  # "the signing was witnessed by X": witnesses, not signatories
    verb = _verb_with_subject(clause.trigger)
    heads = [h for child in [*syntax.subjects(verb), *_first_items(verb)] for h in _referents(child) if not _is_agreement(h, clause, rules)]
    clause_tokens = _own_clause(clause.trigger)
    if clause.trigger.pos_ not in ("VERB", "AUX") and verb != clause.trigger:
        clause_tokens.append(verb)  # "announced the signing of a partnership with X"
    second_agreement = _second_agreement_tokens(clause)
    partners: list[Token] = []
    second_partners: list[Token] = []
    for token in _partner_bearers(clause, verb, clause_tokens, rules):
        found = [*syntax.agents(token), *(o for o in syntax.pp_objects(token, rules.partner_prepositions) if not _is_place(o, rules))]
        (second_partners if token.i in second_agreement else partners).extend(found)
    # A second agreement's partners count only when the main one names none: the "with X"
    # of "an MoU and a cooperation agreement with X" serves both.
    heads.extend(partners or second_partners)
    if clause.trigger.pos_ not in ("VERB", "AUX"):
        heads.extend(o for t in clause.sentence for o in syntax.pp_objects(t, rules.between_prepositions))
    after_dateline = dateline_end(clause.sentence)
    expanded: list[Token] = []
    for head in heads:
        appositions = [c for c in head.children if c.dep_ == "appos"]
        if head.i < after_dateline:
            # "Nairobi, Kenya – Acme and Beta signed": the parser makes the dateline's place
            # the subject and the signatories its apposition.
            # A description among them ("BIS, the national standards body of India, and SA") names no one.
            heads_after = _appositions_after_dateline(head, after_dateline)
            expanded.extend(h for a in heads_after for h in (a, *a.conjuncts) if not (h.pos_ == "NOUN" and h.is_lower))
            continue
        # "X, Title of A, and Y, Title of B" and "A, B and C": the parser often hangs the next
        # item of a list on the previous one's apposition; a named apposition in a list is an item.
        # An apposition describing the name ("Learning Without Borders, an education NGO, and
        # Y") hangs on its last word, and is no item itself.
        # A common noun named by its apposition ("Australia's national science agency, the
        # Commonwealth Scientific and Industrial Research Organisation") is no name itself.
        naming = [a for a in appositions if _named_apposition(a)] if head.pos_ == "NOUN" and head.is_lower else []
        entity = _entity_of(head, rules)
        appositions += [c for t in (entity or ()) if t != head for c in t.children if c.dep_ == "appos"]
        listed = [c for a in appositions for c in ((a, *a.conjuncts) if _named_apposition(a) and a.conjuncts else a.conjuncts)]
        expanded.extend([*(naming[:1] or [head]), *head.conjuncts, *listed, *_stray_items(head, rules)])
    return sorted({_past_locution(_first_piece(t), rules) for t in expanded}, key=lambda t: t.i)


def _appositions_after_dateline(head: Token, after_dateline: int) -> list[Token]:
    """The appositions of a dateline's word that stand after the dateline, through the other
    dateline words the parser hung them on ("SALTMERE, Aug 20 (Coastal Wire) - Acme signed":
    "Acme" an apposition of "Aug", itself one of "SALTMERE")."""
    found, inside = [], [head]
    while inside:
        for apposition in (c for c in inside.pop().children if c.dep_ == "appos"):
            (found if apposition.i >= after_dateline else inside).append(apposition)
    return sorted(found, key=lambda t: t.i)


def _past_locution(head: Token, rules: LanguageRules) -> Token:
    """"à l'instar de X", "au nom de X": the noun of a compound preposition (``locution_nouns``)
    stands for the name it introduces."""
    if head.lower_ not in rules.locution_nouns:
        return head
    return next((c for c in head.children if introduced_by(c, rules.name_prepositions)), head)


def _partner_bearers(clause: SigningClause, verb: Token, clause_tokens: list[Token], rules: LanguageRules) -> list[Token]:
    """The words whose "with"/"between"/"by" phrases name partners: the signing verb and the
    agreement when they have such a phrase, else any word of the clause (the parser hangs
    "with X" anywhere). "A contract for a ferry service between Muscat and Khasab was signed
    between the Ministry and X": the service's "between" is about something else."""
    signing = [t for t in clause_tokens if t in (clause.trigger, verb) or clause.agreement is not None and clause.agreement.start <= t.i < clause.agreement.end]
    own = [t for t in signing if syntax.agents(t) or any(syntax.pp_objects(t, rules.partner_prepositions))]
    return own or clause_tokens


def _first_items(verb: Token) -> list[Token]:
    """"Air Tanzania Company Limited (ATCL) and Turkish Airlines signed": the parser made the
    first name the root and the verb its conjunct, with only the last name as its subject."""
    first = verb.head
    if verb.dep_ != "conj" or first.i > verb.i or first.pos_ not in ("PROPN", "NOUN") or not syntax.subjects(verb):
        return []
    return [first]


def _named_apposition(apposition: Token) -> bool:
    """"X, the Orbitel Foundation and Y" names; "X, an international NGO, and Y" describes."""
    return apposition.pos_ == "PROPN" and not any(c.dep_ == "det" and "Ind" in c.morph.get("Definite") for c in apposition.children)


def _referents(subject: Token) -> list[Token]:
    """A third-person pronoun subject of a reported clause stands for the reporting subject:
    "Acme Corp announced that it has signed", "Acme is pleased to announce that it signed"."""
    if subject.pos_ != "PRON" or "3" not in subject.morph.get("Person") or subject.head.dep_ != "ccomp":
        return [subject]
    reporting = subject.head.head
    while not syntax.subjects(reporting) and reporting.dep_ in _REPORTING_CLIMB_DEPS:
        reporting = reporting.head
    return [s for s in syntax.subjects(reporting) if s.pos_ != "PRON"] or [subject]


def _second_agreement_tokens(clause: SigningClause) -> set[int]:
    """The phrase of a second agreement coordinated with the clause's own ("an MoU with X,
    and a letter of intent with Y")."""
    if clause.agreement is None:
        return set()
    others = [m for m in signals.agreement_mentions(clause.sentence.doc) if m != clause.agreement and clause.sentence.start <= m.start < clause.sentence.end]
    return {
        t.i
        for token in clause.sentence if token.dep_ == "conj" and any(m.start <= token.i < m.end for m in others)
        for t in token.subtree
    }


def _is_place(token: Token, rules: LanguageRules) -> bool:
    """"à Toulouse", "au siège de CTMC": where, not with whom (French "à" is both)."""
    if not introduced_by(token, rules.place_prepositions):
        return False
    return token.ent_type_ in ("GPE", "LOC", "FAC") or token.lemma_.lower() in rules.place_nouns


def _own_clause(trigger: Token) -> list[Token]:
    """The trigger's subtree without other clauses ("... and witnessed by Y", "an agreement
    that will see the Navy align its training with ...")."""
    excluded = {
        t.i for token in trigger.subtree
        if token != trigger and token.dep_ in _NESTED_CLAUSE_DEPS and token.pos_ in ("VERB", "AUX")
        for t in token.subtree
    }
    return [t for t in trigger.subtree if t.i not in excluded]


def _is_agreement(token: Token, clause: SigningClause, rules: LanguageRules) -> bool:
    """The subject is the agreement itself ("the MoU was signed"), or a pronoun."""
    inside = clause.agreement is not None and clause.agreement.start <= token.i < clause.agreement.end
    return inside or token.pos_ == "PRON" or token.lemma_.lower() in rules.generic_types


def _verb_with_subject(trigger: Token) -> Token:
    """The trigger, or the verb above it whose subject it shares ("by signing", "to sign",
    "announced their collaboration at the signing of")."""
    token = trigger
    noun = trigger.pos_ not in ("VERB", "AUX")
    for _ in range(4):
        if syntax.subjects(token):
            return token
        if not noun and token.dep_ not in _CLIMB_DEPS and not syntax.is_pp_object(token) and token.dep_ != "prep" or token.head == token:
            return token
        token = token.head
    return token


def _names_in_slots(doc: Doc, heads: list[Token], index: OrgIndex, rules: LanguageRules, entities_only: bool = False) -> list[Span]:
    """The organisation each slot names: the slot's own name, or, when the slot is a person
    or a title ("the Vice-Chancellor of X"), the organisations in its phrase. In a headline,
    where every word is capitalised, only organisation entities count."""
    names: list[Span] = []
    for head in heads:
        misread = _names_read_as_clause(head, rules)
        if misread:
            names.extend(misread)
            continue
        own = _own_tokens(head, rules)
        defined = next((full for full in index.acronyms.values() if full.start <= head.i < full.end), None)
        if defined is not None:
            names.append(defined)
            names.extend(_expand_name(strip_article(e), own, index, rules) for e in _listed_after(defined, head, rules))
            continue
        entity = _entity_of(head, rules)
        if entity is not None and _title_fragment(entity, rules):
            entity = None
        if entity is not None and len(entity) == 1 and _written_lowercase(entity[0]):
            entity = None  # "Role" of a headline
        named_person = entity is not None and (entity.label_ == "PERSON" or _is_person_like(strip_article(entity), rules))
        if entity is not None and not (named_person and entity.label_ != "PERSON") and (
            entity.label_ in _SLOT_ORG_LABELS or _named_like_organisation(entity, rules)
            or entity.label_ in _PLACE_LABELS and organisation_words(entity, rules, weak=False)  # "the Port of Rotterdam Authority", tagged LOC
        ):
            names.append(_expand_name(strip_article(entity), own, index, rules))
            listed = [*_listed_before(entity, head, rules), *_listed_after(entity, head, rules)]
            names.extend(_expand_name(strip_article(e), own, index, rules) for e in listed)
            continue
        is_person = named_person or head.lower_ in rules.title_words  # "Ms Ng Chai Ngee", tagged ORG
        phrase = None if is_person or entities_only else _proper_phrase(head, own, rules)
        if phrase is not None:
            names.append(phrase)
            continue
        affiliation = next(
            (
                e for e in entities(doc)
                if (e.label_ in ORG_LABELS or e.label_ == "MISC" or e.text in index.acronyms) and all(t.i in own for t in e)
                and not (e.start > head.i and _title_fragment(e, rules))
                and (is_person or head.pos_ == "PROPN" or _names_the_head(e, head))
            ),
            None,
        )
        if affiliation is None and is_person:  # "SIMC Board Member": a defined acronym, untagged
            affiliation = next((doc[i : i + 1] for i in sorted(own) if doc[i].text in index.acronyms), None)
        if affiliation is None and entity is not None and named_person:
            affiliation = _affiliation_elsewhere(entity, rules)
            own = {t.i for t in affiliation} if affiliation is not None else own
        if affiliation is not None:  # a person's first organisation is the one they sign for
            names.append(_parent_institution(_expand_name(strip_article(affiliation), own, index, rules), rules))
    return [n for n in names if not _is_person_like(n, rules) and not agreement_named(n)]


def _names_read_as_clause(head: Token, rules: LanguageRules) -> list[Span]:
    """"Learning Without Borders and the Orbitel Foundation signed", "Save the Children and Acme
    Corp signed": a verb cannot sign, so a verb or clause as subject is a list of names the
    parser misread. Its items (without appositions describing them, "an education NGO") are
    names when all are capitalised and one is an organisation."""
    if head.dep_ != "csubj" and head.pos_ != "VERB":
        return []
    doc = head.doc
    start, end = max(head.left_edge.i, dateline_end(head.sent)), head.right_edge.i + 1  # "Amman – Save the Children ..."
    descriptions = {i for a in doc[start:end] if a.dep_ == "appos" and not _named_apposition(a) for i in _own_tokens(a, rules)}
    breaks = sorted({start - 1, end, *(t.i for t in doc[start:end] if t.pos_ == "CCONJ" or t.text in (",", ";") or t.i in descriptions)})
    items = [strip_article(doc[a + 1 : b]) for a, b in zip(breaks, breaks[1:]) if b > a + 1]
    capitalised = all(t.text[:1].isupper() or t.lower_ in rules.name_joiners for item in items for t in item if t.is_alpha)
    organisation = any(e.label_ in ORG_LABELS and e.start < end and start < e.end for e in named_entities(doc, rules))
    return items if capitalised and organisation else []


def _affiliation_elsewhere(person: Span, rules: LanguageRules) -> Span | None:
    """"Vice-Chancellor Professor Robin Pollard signed ...": the organisation the text gives the
    same person at another mention ("Lincoln University Vice-Chancellor Professor Robin Pollard")."""
    doc = person.doc
    for other in entities(doc):
        if other.label_ != "PERSON" or other.start == person.start or other.text != person.text:
            continue
        i = other.start - 1
        while i >= 0 and other.start - i <= _TITLE_WINDOW and (
            doc[i].lower_.strip(".") in rules.person_honorifics or doc[i].lower_ in rules.title_words
            or doc[i].text in ("-", "’s", "'s", ",") or doc[i].lower_.split("-")[-1] in rules.title_words
        ):
            i -= 1
        before = next((e for e in entities(doc) if e.end == i + 1 and e.label_ in ORG_LABELS), None)
        if before is not None and i < other.start - 1:
            return before
    return None


def _parent_institution(name: Span, rules: LanguageRules) -> Span:
    """A dean "of the College of X at Y University" signs for Y University: a person's
    sub-unit stands for its institution (an organisation signing itself keeps its full name)."""
    for token in name:
        if token.lower_ in rules.subunit_links and token.i > name.start and name.doc[name.start].lower_ in rules.subunit_nouns:
            return strip_article(name.doc[token.i + 1 : name.end])
    return name


def _names_the_head(entity: Span, head: Token) -> bool:
    """"the energy company Marlinha Renewables S.A.": the name stands right beside the noun,
    not deep in a clause about it ("the chain owned by the Hilton group")."""
    root = entity.root
    return root.head == head and root.dep_ in ("appos", "compound", "flat", "flat:name", "nmod", "npadvmod") and syntax.preposition_of(root) is None


def _lone_name(entity: Span, rules: LanguageRules) -> bool:
    """A one-word "person" in a party slot that is nobody's surname nor a place of the text
    ("signed at the office in Muscat") is a brand or a company ("Pininfarina", "Boeing"):
    small NER models label those PERSON, GPE or MISC at random."""
    if len(entity) != 1 or entity[0].ent_type_ not in ("PERSON", "GPE", "MISC") or entity[0].pos_ != "PROPN" or entity[0].lower_ in rules.title_words:
        return False
    surname = any(e.label_ == "PERSON" and len(e) > 1 and entity.text in e.text.split() for e in entities(entity.doc))
    doc = entity.doc
    return not surname and not any(_is_place(doc[i], rules) for i in positions_of(doc, entity.text) if i != entity.start)


def _listed_after(entity: Span, head: Token, rules: LanguageRules) -> list[Span]:
    """"A, the B and C signed", "A (ACR) et la société B": organisations listed right after
    the slot's own, whatever the parser made of the list (it often hangs the last one on the
    previous name). Between two names only punctuation, articles, conjunctions, a bracketed
    acronym or a word such as "company" may stand. A list item may hang anywhere in the
    slot's clause ("signed by A (ACR), B (ACR) and C": B on the agreement), not elsewhere
    ("signed by A and B, ABC News reported")."""
    doc = head.doc
    subtree = {t.i for t in head.subtree}
    listed, previous_end = [], entity.end
    for other in named_entities(doc, rules):
        if other.start < previous_end or other.label_ not in ("ORG", "MISC"):
            continue
        if other.start not in subtree and _clause_verb(other.root) != _clause_verb(head):
            continue
        if any(t in head.conjuncts for t in other):
            break  # the parser saw the list: each conjunct is a slot of its own
        gap = doc[previous_end : other.start]
        if not all(_list_glue(t, rules) for t in gap):
            break
        if continues_name(doc[entity.start : previous_end], other, rules):
            previous_end = other.end  # "Ministry of Education, Culture, ...": the same name
            continue
        if not _separates_items(gap):
            continue  # "CTMC" in "(CTMC)": the same organisation, not the next one
        listed.append(other)
        previous_end = other.end
    return listed


def _listed_before(entity: Span, head: Token, rules: LanguageRules) -> list[Span]:
    """"The Ministry of Defence and Nordhavn Naval Yards A/S signed": the parser hung the whole
    list on its last name, whose phrase then holds the names before it; they are items when
    only list separators stand between them (see :func:`_listed_after`)."""
    doc = head.doc
    subtree = {t.i for t in head.subtree}
    listed, next_start = [], entity.start
    for other in reversed(named_entities(doc, rules)):
        if other.end > next_start or other.label_ not in ("ORG", "MISC"):
            continue
        gap = doc[other.end : next_start]
        if other.start not in subtree or any(t in head.conjuncts for t in other) or not (all(_list_glue(t, rules) for t in gap) and _separates_items(gap)):
            break
        listed.insert(0, other)
        next_start = other.start
    return listed


def _separates_items(gap: Span) -> bool:
    """A comma or a conjunction between two names makes them two list items."""
    return any(t.text in (",", ";") or t.pos_ == "CCONJ" for t in gap)


def _clause_verb(token: Token) -> Token:
    """The verb of the clause ``token`` belongs to (the root when none)."""
    while token.pos_ not in ("VERB", "AUX") and token.head != token:
        token = token.head
    return token


def _list_glue(token: Token, rules: LanguageRules) -> bool:
    return (
        token.is_punct or token.pos_ in ("DET", "CCONJ") or token.is_upper
        or token.lower_ in rules.org_head_nouns or token.lower_ in rules.company_words
    )


def _title_fragment(entity: Span, rules: LanguageRules) -> bool:
    """"Scientific" of "Scientific Director": NER cut a job title, not an organisation."""
    return entity.end < len(entity.doc) and entity.doc[entity.end].lower_ in rules.title_words


def _entity_of(token: Token, rules: LanguageRules) -> Span | None:
    return named_entity_at(token.doc, token.i, rules)


def _expand_name(span: Span, own: set[int], index: OrgIndex, rules: LanguageRules) -> Span:
    """Repair NER boundaries: an acronym definition covering the name wins; else extend over
    adjacent proper nouns ("Landcare Research" + "New Zealand")."""
    for full in index.acronyms.values():
        if full.start <= span.start < full.end or span.start <= full.start < span.end:
            return full
    span = index.completed(span)
    doc = span.doc
    start, end = span.start, span.end
    left_edge = span.root.left_edge.i
    other_names = {t.i for e in named_entities(doc, rules) if e.label_ in ORG_LABELS and not e.start <= span.start < e.end for t in e}
    while start > left_edge and start - 1 in own and start - 1 not in other_names and _joins_name(doc[start - 1], rules):
        start -= 1
    while start < span.start and doc[start].lower_ in _NAME_LINKS:
        start += 1  # "and" after another organisation's name
    while end < len(doc) and end in own and doc[end].pos_ == "PROPN" and doc[end].lower_ not in rules.title_words and doc[end].ent_type_ != "PERSON":
        end += 1
    # An organisation name starting here, its cuts repaired, keeps its lower-case words ("Caisse
    # nationale d'allocations familiales").
    named = next((e.end for e in index.entities if e.start == start), start + 1)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_lower and end > named or doc[end - 1].lower_ in rules.title_words):
        end -= 1  # "Victoria University of Wellington Vice" of "... Vice-Chancellor"
    return _located(strip_article(doc[start : _continued_end(doc[start:end], rules)]), own, rules)


def _continued_end(name: Span, rules: LanguageRules) -> int:
    """The end of a name NER cut before what its own words govern: a further field joined to
    its last word ("Ministry of Foreign Affairs" + "and Human Mobility"), and the country
    a ministry is of ("... of Kenya", "... of the Republic of Malawi")."""
    doc, end = name.doc, name.end
    while end < len(doc) and (name.start <= doc[end].head.i < end or _country_after(doc[end], rules) is not None):
        token = doc[end]
        if token.pos_ == "CCONJ" and token.head.i == end - 1 > name.root.i:
            field = next((c for c in token.head.children if c.dep_ == "conj" and c.i > end), None)
            if field is None or not all(t.pos_ == "PROPN" and not t.ent_type_ for t in doc[end + 1 : field.i + 1]):
                return end
            end = field.i + 1
        elif token.lower_ in rules.name_prepositions:
            country = next((e for c in token.children if c.dep_ == "pobj" for e in [entity_at(doc, c.i)] if e is not None and e.label_ == "GPE"), None)
            country = country or _country_after(token, rules)
            return end if country is None else country.end
        else:
            return end
    return end


def _country_after(token: Token, rules: LanguageRules) -> Span | None:
    """The country a name's preposition introduces right after it ("Commission [des
    États-Unis]"), whatever the parse hung the country on."""
    doc = token.doc
    if token.lower_ not in rules.name_prepositions or token.i + 1 >= len(doc):
        return None
    country = entity_at(doc, token.i + 1)
    return country if country is not None and country.label_ == "GPE" and country.start == token.i + 1 else None


def _located(name: Span, own: set[int], rules: LanguageRules) -> Span:
    """The name with the place an embassy's or a chamber's name goes on with ("Embassy of
    Japan in Ghana"), when the slot's phrase holds it."""
    located = with_location(name, rules)
    return located if all(t.i in own for t in located) else name


def _joins_name(token: Token, rules: LanguageRules) -> bool:
    """Part of a name's modifiers ("North West Agriculture and" before "Forestry University")."""
    if token.lower_ in rules.title_words or token.pos_ in ("DET", "PRON") or token.dep_ == "poss":
        return False
    return token.pos_ in ("PROPN", "ADJ", "NOUN") and token.text[:1].isupper() or token.lower_ in _NAME_LINKS


def _company_like(span: Span, rules: LanguageRules) -> bool:
    """A legal suffix ("AS", "A/S", "Ltd") or a company word after the first ("Karma Automotive")."""
    return ends_with_legal_suffix(span, rules) or any(t.lower_ in rules.company_words and t.text[:1].isupper() for t in span[1:])


def _named_like_organisation(span: Span, rules: LanguageRules) -> bool:
    """Evidence, whatever NER thought, that a name is an organisation's: a legal suffix or
    company word, a lone brand name, a defined acronym, or its place in a list of organisations."""
    return (
        _company_like(span, rules) or _lone_name(span, rules) or _listed_with_organisation(span, rules)
        or span.text in span.doc.user_data.get(_ACRONYM_FULLS, ())
    )


def _listed_with_organisation(span: Span, rules: LanguageRules) -> bool:
    """"Samsung Biologics, Merck KGaA and Seoul National University signed": a name with no
    title or honorific, in a list (only commas and "and" between names) that holds an
    organisation entity, names one too; small models call many company names PERSON."""
    doc = span.doc
    if any(t.lower_.strip(".") in rules.person_honorifics or t.lower_ in rules.title_words for t in doc[max(span.start - 1, 0) : span.end]):
        return False  # "Dean Li Gucheng", "President X"
    if span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].lower_ in rules.title_words and not doc[span.end + 1].ent_type_:
        return False  # "Alexandre Viros, président de ...", "Tom Whitlock, Chair of ...": a title after the name
    if overlaps(doc, PERSON_SPANS, span):
        return False
    sentence = span.sent
    runs: list[list[Span]] = []  # names with only list separators between them
    for name in entities(doc):
        if name.label_ not in ("ORG", "PERSON", "MISC") or not sentence.start <= name.start < sentence.end:
            continue
        gap = doc[runs[-1][-1].end : name.start] if runs else None
        if gap and all(t.text == "," or t.pos_ == "CCONJ" for t in gap):
            runs[-1].append(name)
        else:
            runs.append([name])
    run = next((r for r in runs if any(e.start <= span.start < e.end for e in r)), [])
    return len(run) > 1 and any(e.label_ == "ORG" and not names_an_office(e, rules) for e in run)


def _is_person_like(span: Span, rules: LanguageRules) -> bool:
    """Honorifics, titles or a person's name are not organisations."""
    words = [t.lower_.strip(".") for t in span]
    if _named_like_organisation(span, rules):
        return False  # "Fjellvind Subsea AS", "Gordon Murray Automotive (GMA)", whatever NER thought
    return (
        not words
        or words[0] in rules.person_honorifics
        or names_an_office(span, rules)
        or any(w in rules.title_words for w in words[-2:])
        or _titled_name(span, rules)
        or _in_person_name(span)
    )


def _first_conjunct(token: Token) -> Token:
    """The head of the coordination ``token`` is in ("A, B and C signed": A for B and C)."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token


def _in_person_name(span: Span) -> bool:
    """Part of a person's name: a PERSON entity or a name the rules found after a title."""
    return any(t.ent_type_ == "PERSON" for t in span) or overlaps(span.doc, PERSON_SPANS, span)


def _titled_name(span: Span, rules: LanguageRules) -> bool:
    """A name under a title ("Estonian Minister of Defence Hanno Pevkur-Saar"): its head
    word is no institution noun and a title stands among the words before it."""
    root = span.root
    return root.lower_ not in rules.org_head_nouns and any(t.lower_ in rules.title_words for t in span.doc[root.left_edge.i : root.i])


def _own_tokens(head: Token, rules: LanguageRules) -> set[int]:
    """The head's phrase without the next list items, nor the conjunction before them."""
    items = [c for c in head.conjuncts if c.i > head.i] + _stray_items(head, rules)
    conjunctions = {c.left_edge.i - 1 for c in items if head.doc[c.left_edge.i - 1].pos_ == "CCONJ"}
    return {t.i for t in head.subtree} - {t.i for c in items for t in c.subtree} - conjunctions


def _stray_items(head: Token, rules: LanguageRules) -> list[Token]:
    """"The Embassy of Japan and UGMC": the parser hung the next organisation of the list on
    the last word of the head's name; a conjunct inside the phrase that NER named as an
    organisation apart from the word it hangs on is a list item (not in a title such as
    "Minister for Law Mr X")."""
    if head.lower_ in rules.title_words or head.ent_type_ == "PERSON":
        return []
    listed = {t.i for c in head.conjuncts for t in c.subtree}
    strays = []
    for token in head.subtree:
        if token == head or token.dep_ != "conj" or token.head == head or token.i in listed or token.head.ent_type_ == "PERSON":
            continue
        entity = entity_at(head.doc, token.i)
        if entity is not None and entity.label_ in ORG_LABELS and not any(entity.start <= t.i < entity.end for t in (head, token.head)):
            strays.append(token)
    return strays


def _proper_phrase(head: Token, own: set[int], rules: LanguageRules) -> Span | None:
    """A noun phrase with a proper name or an acronym in it ("the Sohe electorate of X",
    "CSIRO", which the tagger may call a common noun), when NER missed it;
    not a counted, generic or agreement phrase ("all eight NZ universities", "a MoU")."""
    if head.ent_type_ in ("PERSON", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL"):
        return None
    if head.pos_ not in ("PROPN", "NOUN") or head.ent_type_ not in ("", *_PROPER_PARTY_LABELS):
        return None
    keep = [head.i]
    keep.extend(t.i for t in head.lefts if t.dep_ in syntax.MODIFIER_DEPS for t in t.subtree)
    for right in head.rights:
        if right.dep_ in ("flat", "flat:name", "compound"):
            keep.extend(t.i for t in right.subtree)  # UD: "Université Paris Cité"
        elif right.dep_ in ("prep", "nmod") and (right.lower_ in rules.name_prepositions or introduced_by(right, rules.name_prepositions)):
            keep.extend(t.i for t in right.subtree)  # "University of X", "Académie des sciences"
    keep = sorted(i for i in keep if i in own)
    span = _located(strip_article(_whole_last_word(head.doc[keep[0] : keep[-1] + 1])), own, rules)
    if not any(t.pos_ == "PROPN" and not _written_lowercase(t) or capitals(t) for t in span) or any(t.text in (",", ";", "(") for t in span):
        return None
    if any(t.pos_ == "NUM" or t.lower_ in ("all", "both", "each", "several", "many") for t in span):
        return None
    if any(t.lower_ in rules.generic_types or t.lemma_.lower() in ("agreement", "memorandum", "mou") for t in span):
        return None
    return _without_description(span, head)


def _whole_last_word(span: Span) -> Span:
    """The span to the end of its last word when the tokenizer split it at a hyphen the parser
    then hung elsewhere ("GreenFurrow Co" of "GreenFurrow Co-operative")."""
    doc, end = span.doc, span.end
    while end < len(doc) and joins_a_word(doc[end]):
        end += 2
    return doc[span.start : end]


def _first_piece(token: Token) -> Token:
    """The first piece of a hyphenated word the tokenizer split, when the parser made a later
    piece a slot of its own ("operative" of "the GreenFurrow Co-operative announced"); a piece
    heading the whole word ("Chancellor" of "Vice-Chancellor") stays."""
    doc, i = token.doc, token.i
    while joins_a_word(doc[i]) or i > 1 and joins_a_word(doc[i - 1]):
        i -= 1
    return token if token.left_edge.i <= i else doc[i]


def _without_description(name: Span, head: Token) -> Span:
    """A description before the name ends at its last lower-case word: "Danish wind energy
    company Vestergaard Wind A/S", "Taiwan-based Formosa Circuit Technologies"."""
    described = [t.i for t in name if t.i < head.i and t.is_lower and t.pos_ in ("NOUN", "ADJ", "VERB")]
    return name.doc[described[-1] + 1 : name.end] if described else name


def _written_lowercase(token: Token) -> bool:
    """A capitalised word the body also writes in lower case ("Role" of a headline) is no name."""
    return token.is_title and token.lower_ in token.doc.user_data.get(_LOWERCASE_WORDS, ())


def _names_in_title(doc: Doc, document: Document, rules: LanguageRules, end: int) -> list[Span]:
    """Organisations of the headline that the body's prose (up to ``end``) names too
    (title-case headlines fool NER), not as a place ("... plant in Nagpur": NER calls a
    headline's city an organisation)."""
    title = document.title
    body = text_of(doc)[document.body_start : end]
    places = {e.text for e in entities(doc) if e.label_ in ("GPE", "LOC") and document.body_start <= e.start_char < end}
    return [
        part for e in entities(doc)
        if e.label_ in ORG_LABELS and title.start <= e.start_char and e.end_char <= title.end and not agreement_named(e)
        for part in coordinated_parts(e, rules)
        if not (title.start <= document.body_start + body.find(part.text) < title.end) and part.text in body and part.text not in places
    ]


def _other_organizations(index: OrgIndex, party_keys: set[str], document: Document, rules: LanguageRules) -> list[OrgRecord]:
    """Every organisation entity of the body that is not a party, once each."""
    seen: dict[str, OrgRecord] = {}
    for entity in index.entities:
        name, acronym = index.canonical(entity)
        key = name_key(name, rules)
        if key in party_keys or key in seen or not key or (acronym and name_key(acronym, rules) in party_keys):
            continue
        seen[key] = OrgRecord(name, acronym, index.mention_spans([name, acronym], document.body_start) or [(entity.start_char, entity.end_char)])
    return list(seen.values())
