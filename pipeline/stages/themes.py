"""Themes: the subjects and application fields of the agreement, as short noun phrases.

Themes are read only from sentences about the main agreement — its headline, lead and
signing clauses, the sentences that name it and the few after them, and the lists they open
("The MoU covers:") — from noun phrases that follow a theme cue ("on", "in the field of",
"such as", "include", "promote", ...), that name what the partners will do, or that are listed
in an enumeration there. Quotations, earlier work (past agreements, "since 1997", "had run")
and the closing boilerplate ("About X") are skipped; names, dates, counted things,
participants ("students", "investors") and circumstances (where, when, how and for whom:
"testés sur des routes", "aux familles") are not subjects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from pipeline.document import Document
from pipeline.rules import LanguageRules
from pipeline.stages import syntax
from pipeline.stages.contract import Context, Proposal
from pipeline.stages.signals import SigningClause, agreement_mentions
from pipeline.layout import LIST_MARKER, QUOTE_MARKS, ends_announcement, is_heading, is_list_item, is_quote, line_text, prose_end
from pipeline.stages.views import chunk_headed_by, chunks_within

FIELDS = ("themes",)
READS: tuple[str, ...] = ()
MAX_THEMES = 10
_MAX_THEME_TOKENS = 6
_CONTEXT_SENTENCES = 4
_PHRASE_DEPS = frozenset({"amod", "compound", "det", "nummod", "flat", "flat:name", "fixed"})
# Entity labels that make a phrase a name or a quantity, not a subject. ORG is allowed:
# the small English model often tags capitalised subjects ("Artificial Intelligence") as ORG.
_NAMED_LABELS = frozenset({"PERSON", "GPE", "DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "NORP", "LOC", "FAC", "QUANTITY"})


@dataclass(frozen=True)
class ThemeRecord:
    value: str
    spans: list[tuple[int, int]]

    def record(self, text: str) -> dict[str, Any]:
        return {"value": self.value, "spans": self.spans}


def propose(context: Context) -> Proposal:
    """Noun phrases naming what the agreement is about, in order of first mention."""
    return Proposal({"themes": find_themes(context.doc, context.document, context.clauses, context.rules)})


def find_themes(doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules) -> list[ThemeRecord]:
    themes: dict[str, list[tuple[int, int]]] = {}
    strength: dict[str, bool] = {}
    lemmas: dict[tuple[str, ...], str] = {}  # one theme per lemma sequence: "l'échange", "les échanges"
    for sentence, listed in _agreement_sentences(doc, document, clauses, rules):
        for phrase, cued in (_item_phrases(sentence, rules) if listed else _theme_phrases(sentence, rules)):
            key = tuple(t.lemma_.lower() for t in phrase if not t.is_punct)
            value = lemmas.get(key) or " ".join(phrase.text.lower().split())
            if value in themes:
                themes[value].append((phrase.start_char, phrase.end_char))
                strength[value] |= cued
            elif not _covered(value, themes):
                themes[value] = [(phrase.start_char, phrase.end_char)]
                strength[value] = cued
                lemmas[key] = value
    # Cued phrases ("on X", "such as X, Y") before mere objects; then text order.
    kept = sorted(themes, key=lambda v: (not strength[v], themes[v][0]))[:MAX_THEMES]
    return [ThemeRecord(value, themes[value]) for value in sorted(kept, key=lambda v: themes[v][0])]


def _covered(value: str, themes: dict[str, list[tuple[int, int]]]) -> bool:
    padded = f" {value} "
    return any(padded in f" {known} " or f" {known} " in padded for known in themes)


def _agreement_sentences(doc: Doc, document: Document, clauses: list[SigningClause], rules: LanguageRules) -> list[tuple[Span, bool]]:
    """Sentences about the main agreement: its signing clauses, the sentences naming it, and
    the ones right after them, without those about earlier agreements or past work; each
    with whether it is an item of a list that a chosen sentence opens ("The MoU covers:")."""
    clause_starts = {c.sentence.start for c in clauses if not c.earlier_agreement}
    if not clause_starts:
        return []
    earlier_starts = {c.sentence.start for c in clauses if c.earlier_agreement}
    named_starts = {m.sent.start for m in agreement_mentions(doc, document.body_start)}
    chosen: list[tuple[Span, bool]] = []
    follow = 0
    lead_seen = False
    list_open = False
    end = prose_end(doc)
    for sentence in doc.sents:
        if sentence.start_char < document.body_start:
            continue  # front matter, with the line that closes it
        if ends_announcement(sentence, rules) or sentence.start_char >= end:
            break  # "About Acme", "Media contact": boilerplate about the parties, not the agreement; figure captions
        if line_text(sentence).startswith(rules.page_noise_cues):
            continue  # "We use cookies ...", "Share this article": the web page, not the announcement
        if list_open and is_list_item(sentence):
            chosen.append((sentence, True))
            continue
        list_open = False
        is_clause = sentence.start in clause_starts
        if sentence.start in earlier_starts or is_heading(sentence):
            follow = 0
            if is_clause or is_heading(sentence) and sentence.start in named_starts:
                # a headline "A and B sign agreement on space cooperation"; the agreement a
                # sentence about an earlier one names is that earlier one
                chosen.append((sentence, False))
            continue
        if is_quote(sentence) or (not is_clause and (_about_past_work(sentence, rules) or _describes_a_party(sentence, rules))):
            continue
        if is_clause or sentence.start in named_starts or not lead_seen:
            lead_seen = True
            follow = _CONTEXT_SENTENCES
        elif follow > 0:
            follow -= 1
        else:
            continue
        chosen.append((sentence, False))
        list_open = sentence.text.rstrip().endswith(":")
    return chosen


def _item_phrases(item: Span, rules: LanguageRules) -> list[tuple[Span, bool]]:
    """A list item names a subject: a verbless item ("- renewable energy") is one, a clause
    item ("Promote joint training in X;") gives its phrases; all count as cued."""
    if any(t.pos_ in ("VERB", "AUX") for t in item):
        return [(phrase, True) for phrase, _ in _theme_phrases(item, rules)]
    start = item.start + next((i for i, t in enumerate(item) if t.idx >= item.start_char + _marker_length(item)), 0)
    end = item.end
    while end > start and (item.doc[end - 1].is_punct or item.doc[end - 1].is_space or item.doc[end - 1].pos_ == "CCONJ"):
        end -= 1
    if end <= start:
        return []
    words = item.doc[start:end]
    coordinated = any(t.pos_ == "CCONJ" or t.text == "," for t in words)
    chunks = [item.doc[max(c.start, start) : min(c.end, end)] for c in chunks_within(item) if c.end > start and c.start < end]
    pieces = [p for chunk in chunks for p in _split_noun_coordination(chunk)] if coordinated else [words]
    cleaned = (_clean(piece, rules) for piece in pieces)
    return [(phrase, True) for phrase in cleaned if phrase is not None]


def _marker_length(item: Span) -> int:
    found = LIST_MARKER.match(item.text)
    return found.end() if found else 0


def _about_past_work(sentence: Span, rules: LanguageRules) -> bool:
    """"has been developing ties since 1997", "have worked together on ...", "had run a
    programme on ...", "previously collaborated on ..."."""
    root = sentence.root
    auxiliaries = [c for c in root.children if c.dep_ in ("aux", "aux:tense") and c.lemma_.lower() in rules.perfect_auxiliaries]
    perfect = bool(auxiliaries) and root.morph.get("VerbForm") in (["Part"], ["Ger"])
    pluperfect = perfect and any(a.morph.get("Tense") == ["Past"] for a in auxiliaries)
    since = any(t.lower_ in rules.since_words for t in sentence)
    intent = any(c.dep_ == "xcomp" for c in root.children)  # "have decided to work on"
    earlier = any(c.lower_ in rules.past_work_adverbs for c in root.children)
    present_perfect = perfect and not intent and root.lemma_.lower() not in rules.signing_lemmas | rules.partnering_lemmas
    return since or pluperfect or earlier or present_perfect


def _describes_a_party(sentence: Span, rules: LanguageRules) -> bool:
    """"Beta Ltd was founded in 1948 and is known for ...", "Acme is a leading provider of ...":
    who a party is, not what the agreement is about."""
    root = sentence.root
    subject = next((s for s in syntax.subjects(root) if s.pos_ == "PROPN" or s.ent_type_ == "ORG"), None)
    if subject is None:
        return False
    if root.lemma_.lower() in rules.description_lemmas and syntax.is_passive(root):
        return True
    return any(c.dep_ == "attr" for c in root.children) or any(c.dep_ == "cop" for c in root.children)


def _theme_phrases(sentence: Span, rules: LanguageRules) -> list[tuple[Span, bool]]:
    """Noun chunks introduced by a theme cue or naming what the partners will do, with the
    other members of their enumerations; each with whether a theme cue introduced it."""
    phrases: dict[tuple[int, int], tuple[Span, bool]] = {}
    # "au siège de l'institut": a circumstance's complements are part of it, but what a topic
    # governor introduces is the subject ("en matière de logiciels libres", "dans le domaine de")
    adverbials: set[int] = set()
    for chunk in chunks_within(sentence):
        cued = _cued(chunk, rules)
        if not (cued or _activity_object(chunk, rules)) or _counted(chunk.root):
            continue
        for member in _members(chunk.root):
            for piece in _split_noun_coordination(_chunk_of(member, rules)):
                if (_adverbial(piece.root, rules) or _recipients(piece.root, rules)) and piece.root.lemma_.lower() not in rules.topic_governors:
                    adverbials.update(range(piece.start, piece.end))
                phrase = _clean(piece, rules)
                if phrase is not None and phrase.root.i not in adverbials:
                    key = (phrase.start, phrase.end)
                    phrases[key] = (phrase, cued or phrases.get(key, (phrase, False))[1])
    outermost = [(p, c) for p, c in phrases.values() if not any(o.start <= p.start and p.end <= o.end and o != p for o, _ in phrases.values())]
    return sorted(outermost, key=lambda item: item[0].start)


def _members(head: Token) -> list[Token]:
    """The phrase's head, its conjuncts and its appositions ("key initiatives, the exchanges of
    staff, research training and ...")."""
    members = [head, *head.conjuncts]
    for appositive in (c for c in head.children if c.dep_ == "appos"):
        members += [appositive, *appositive.conjuncts]
    return members


def _counted(head: Token) -> bool:
    """"two lectures", "over 400 judges, scholars and mediators": things counted are not subjects."""
    return any(c.dep_ == "nummod" and c.like_num and not _glued_number(c) for c in head.children)


def _glued_number(token: Token) -> bool:
    """"5G", "4G networks": a number written into a name, not a count."""
    return not token.whitespace_ and token.i + 1 < len(token.doc) and token.nbor().is_alpha


def _activity_object(chunk: Span, rules: LanguageRules) -> bool:
    """The object of what the partners will do ("share data", "run field campaigns"), also as
    the subject of a passive ("a summer school is held", "exchanges are included")."""
    root = chunk.root
    if syntax.is_object(root) or root.dep_ in syntax.PASSIVE_SUBJECT_DEPS:
        return True
    preposition = syntax.preposition_of(root)
    return preposition is not None and syntax.governor(root).pos_ in ("VERB", "NOUN") and preposition.lower_ in rules.object_prepositions


def _chunk_of(token: Token, rules: LanguageRules) -> Span:
    """The noun chunk headed by ``token``, with its "of" complement when short ("skill
    upgradation of human resources", "exchange of faculty and staff")."""
    doc = token.doc
    chunk, bare = chunk_headed_by(doc, token.i), _bare_phrase(token)
    chunk = bare if chunk is None else doc[min(chunk.start, bare.start) : max(chunk.end, bare.end)]
    complement = next(syntax.pp_objects(token, rules.name_prepositions), None)
    if complement is None or complement.i < chunk.end:
        return chunk
    end = max(t.i for t in complement.subtree) + 1
    extended = doc[chunk.start : end]
    contiguous = all(t.i == chunk.end or t.i in {s.i for s in complement.subtree} or syntax.preposition_of(complement) == t for t in doc[chunk.end : end])
    words = [t for t in extended if t.pos_ != "DET"]
    return extended if contiguous and len(words) <= _MAX_THEME_TOKENS and not any(t.is_punct for t in doc[chunk.end : end]) else chunk


def _bare_phrase(token: Token) -> Span:
    """A noun with the modifiers and determiners that hang on it: the chunker leaves some out
    (French conjuncts: "et la mobilité aérienne" gave "la mobilité")."""
    modifiers = [c for c in token.children if c.dep_ in _PHRASE_DEPS and not any(t.is_punct for t in c.subtree)]
    start = min([token.i, *(c.left_edge.i for c in modifiers)])
    end = max([token.i, *(c.right_edge.i for c in modifiers)]) + 1
    return token.doc[start:end]


def _split_noun_coordination(chunk: Span) -> list[Span]:
    """"agriculture and food security", "research, teaching and community services": nouns
    coordinated before the head are subjects of their own, and so are the parts of a list
    between commas. Adjectives joined by "and" share the head ("legal and dispute resolution
    services") and stay whole."""
    first = next((t for t in chunk if t.pos_ == "NOUN" and t.i < chunk.root.i and t.head.i < chunk.end and t.head.i > t.i
                  and any(c.dep_ == "cc" for c in (t, *t.conjuncts) for c in c.children)), None)
    if first is not None:
        members = [c for c in first.conjuncts if first.i < c.i < chunk.root.i]
        bounds = [chunk.start, *(c.left_edge.i for c in members), chunk.end]
    else:  # a list the parser left in one chunk ("e-commerce, smart logistics")
        bounds = [chunk.start, *(t.i + 1 for t in chunk if t.text == ","), chunk.end]
    doc = chunk.doc
    pieces = []
    for start, end in zip(bounds, bounds[1:]):
        while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ == "CCONJ"):
            end -= 1
        if end > start:
            pieces.append(doc[start:end])
    return pieces


def _cued(chunk: Span, rules: LanguageRules) -> bool:
    """The chunk is the object of a cue preposition/verb, or follows "such as"."""
    root = chunk.root
    preposition = syntax.preposition_of(root)
    if preposition is not None and preposition.lower_ in rules.theme_cues:
        governor = syntax.governor(root)
        if governor.pos_ not in ("VERB", "NOUN", "PROPN"):
            return False  # "complex in structure", "has been in place": a respect or a state, not a subject
        if governor.lemma_.lower() not in rules.theme_stop_heads or governor.lower_ in rules.theme_cues or preposition.lower_ in rules.topic_prepositions:
            return True
    if syntax.is_object(root) and root.head.lemma_.lower() in rules.theme_cues:
        return True
    subject = syntax.copular_subject(root)
    if subject is not None and subject.lemma_.lower() in rules.theme_cues:
        return True  # "the focus areas are quality, ..."
    if preposition is not None and preposition.lower_ == "as" and any(c.lower_ == "such" for c in syntax.governor(root).children):
        return True  # "in such areas as tourism"
    previous = root.doc[max(chunk.start - 2, 0) : chunk.start].text.lower()
    return "such as" in previous or "including" in previous


def _agreement_topic(phrase: Span, rules: LanguageRules) -> bool:
    """The object of "on" right after an agreement phrase: the agreement's declared subject."""
    preposition = syntax.preposition_of(phrase.root)
    if preposition is None or preposition.lower_ not in rules.topic_prepositions:
        return False
    governor = syntax.governor(phrase.root)
    return any(a.start <= governor.i < a.end for a in agreement_mentions(phrase.doc))


def _generic(token: Token, rules: LanguageRules) -> bool:
    return token.lemma_.lower() in rules.theme_stop_heads or token.lower_ in rules.theme_stop_heads


def _locution(token: Token, rules: LanguageRules) -> bool:
    """The noun of a compound preposition ("en marge de", "à l'occasion de"): a listed
    ``locution_nouns`` word that a preposition introduces."""
    return token.lower_ in rules.locution_nouns and syntax.preposition_of(token) is not None


def _adverbial(token: Token, rules: LanguageRules) -> bool:
    """Where, when, how or for whom something is done, not what about: a phrase that a
    ``circumstance_prepositions`` word hangs on a verb ("testés sur des routes", "dans les
    musées", "attribuées aux allocataires"), unless the verb is a theme cue ("porter sur")."""
    preposition = syntax.preposition_of(token)
    governor = syntax.governor(token)
    return (preposition is not None and preposition.lower_ in rules.circumstance_prepositions
            and governor.pos_ in ("VERB", "AUX") and governor.lemma_.lower() not in rules.theme_cues)


def _recipients(token: Token, rules: LanguageRules) -> bool:
    """For whom, not what about: a plural a ``recipient_prepositions`` word introduces ("aux
    familles", "pour les arrivées"); a singular after "pour" is a purpose ("pour la transition")."""
    first = token.head if token.dep_ == "conj" and syntax.preposition_of(token) is None else token  # "pour les arrivées et les départs"
    preposition = syntax.preposition_of(first)
    return preposition is not None and preposition.lower_ in rules.recipient_prepositions and token.morph.get("Number") == ["Plur"]


def _bare_circumstance(token: Token, rules: LanguageRules) -> bool:
    """A bare noun after a ``bare_circumstance_prepositions`` word: a state, a manner or a
    material ("en ligne", "en vigueur", "en fibre de carbone")."""
    preposition = syntax.preposition_of(token)
    return preposition is not None and preposition.lower_ in rules.bare_circumstance_prepositions and not any(c.dep_ == "det" for c in token.children)


def _clean(chunk: Span, rules: LanguageRules) -> Span | None:
    """Drop determiners and vague modifiers; refuse names, dates and generic heads."""
    start, end = chunk.start, chunk.end
    doc = chunk.doc
    while start < end and (doc[start].lower_ in rules.theme_drop_modifiers or doc[start].is_punct or doc[start].lower_ in rules.degree_adverbs
                           or doc[start].pos_ in ("DET", "PRON", "NUM", "ADP", "PART", "CCONJ") and not _glued_number(doc[start])):
        start += 1
    # a degree ("la plus aboutie", "très") grades the subject, it does not name it
    end = next((t.i for t in doc[start:end] if t.lower_ in rules.degree_adverbs), end)
    while end > start and (doc[end - 1].pos_ in ("DET", "ADV") or doc[end - 1].is_punct):
        end -= 1
    if start >= end or end - start > _MAX_THEME_TOKENS:
        return None
    phrase = doc[start:end]
    if any(m.start <= phrase.root.i < m.end for m in agreement_mentions(doc)):
        return None  # "the charter", "le contrat": the agreement itself
    if phrase.root.lower_ in rules.month_names or phrase.root.lower_ in rules.weekday_names:
        return None  # "en mars": a date the French model does not tag
    if phrase.root.lemma_.lower() in rules.theme_participants or phrase.root.lower_ in rules.theme_participants:
        return None  # who takes part ("students", "health providers") is not what it is about
    if _locution(phrase.root, rules):
        return None  # "à l'instar de", "en vertu de": the noun of a compound preposition, not a subject
    if _adverbial(phrase.root, rules) or _bare_circumstance(phrase.root, rules) or _recipients(phrase.root, rules):
        return None  # "sur des routes sélectionnées", "en vigueur": a circumstance, not a subject
    if _generic(phrase.root, rules) and not any(c.dep_ == "compound" and c.pos_ == "NOUN" and not _generic(c, rules) for c in phrase.root.children):
        return None  # "the partnership", but "research collaborations" names its subject
    if any(t.ent_type_ in _NAMED_LABELS and not _glued_number(t) or t.ent_type_ == "ORDINAL" and t.like_num for t in phrase):
        return None  # names, dates, amounts; "the first vessel" is one event, not a subject
    if any(t.ent_type_ == "ORG" or (t.pos_ == "PROPN" and not t.is_lower) for t in phrase) and not _agreement_topic(phrase, rules):
        return None  # names of organisations and programmes; only "an MoU on Artificial Intelligence" passes
    if len(phrase) == 1 and not (phrase[0].pos_ == "NOUN" or phrase[0].pos_ == "PROPN" and phrase[0].is_lower):
        return None  # a lone adjective or name; a lower-case "malaria" tagged PROPN is a noun
    if not any(t.is_alpha and len(t) > 2 for t in phrase):
        return None
    return _whole_words(phrase)


def _whole_words(phrase: Span) -> Span:
    """Widen over words spaCy cut at a hyphen ("pre-positioning", "mini-grids"): the parser
    often leaves their halves in different phrases."""
    doc, start, end = phrase.doc, phrase.start, phrase.end
    while start > 0 and not doc[start - 1].whitespace_ and "-" in (doc[start - 1].text, doc[start].text) and doc[start - 1].text not in QUOTE_MARKS:
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and "-" in (doc[end - 1].text, doc[end].text):
        end += 1
    return doc[start:end]
