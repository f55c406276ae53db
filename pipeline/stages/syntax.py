"""Dependency queries that hold for both annotation schemes spaCy's pipelines use.

English models follow ClearNLP (a preposition heads its object: ``signed -prep-> with
-pobj-> Bolt``); French and most other models follow Universal Dependencies (the noun hangs
on the verb and the preposition on the noun: ``signé -obl-> Bolt -case-> avec``). Stages ask
these questions instead of naming labels, so one stage serves every language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "obj"})
PP_OBJECT_DEPS = frozenset({"pobj", "obl", "nmod", "obl:arg", "obl:mod", "obl:agent"})
PASSIVE_DEPS = frozenset({"auxpass", "nsubjpass", "nsubj:pass", "aux:pass"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "nsubj:pass"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "det", "flat", "flat:name", "nummod"})


def is_subject(token: Token) -> bool:
    return token.dep_ in SUBJECT_DEPS


def is_object(token: Token) -> bool:
    return token.dep_ in OBJECT_DEPS


def subjects(verb: Token) -> list[Token]:
    return [child for child in verb.children if is_subject(child)]


def copular_subject(predicate: Token) -> Token | None:
    """The subject of a nominal predicate: "the areas are [quality]" (ClearNLP ``attr``, through
    "are going to be"), "les domaines sont [la santé]" (UD ``cop``)."""
    if predicate.dep_ == "attr":
        verb = predicate.head
        while verb.dep_ == "xcomp" and verb.head != verb:
            verb = verb.head
        found = subjects(verb)
    elif any(child.dep_ == "cop" for child in predicate.children):
        found = subjects(predicate)
    else:
        found = []
    return found[0] if found else None


def is_passive(verb: Token) -> bool:
    return any(child.dep_ in PASSIVE_DEPS for child in verb.children)


def preposition_of(token: Token) -> Token | None:
    """The preposition introducing ``token``: its head (ClearNLP) or its ``case`` child (UD)."""
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent"):
        return token.head
    return next((child for child in token.children if child.dep_ == "case"), None)


def governor(token: Token) -> Token:
    """What a prepositional phrase hangs on: the preposition's head (ClearNLP) or the noun's (UD)."""
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent"):
        return token.head.head
    return token.head


def pp_objects(head: Token, prepositions: Iterable[str]) -> Iterator[Token]:
    """Nouns attached to ``head`` by one of ``prepositions`` ("with X", "avec X")."""
    wanted = frozenset(prepositions)
    for child in head.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in wanted:
            yield from (c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ in PP_OBJECT_DEPS:
            case = preposition_of(child)
            if case is not None and case.lower_ in wanted:
                yield child


def agents(verb: Token) -> list[Token]:
    """"signed by X" / "signé par X"."""
    found = [c for child in verb.children if child.dep_ == "agent" for c in child.children if c.dep_ == "pobj"]
    return found + [child for child in verb.children if child.dep_ == "obl:agent"]


def is_pp_object(token: Token) -> bool:
    return token.dep_ in PP_OBJECT_DEPS and preposition_of(token) is not None


def introduced_by(token: Token, prepositions: frozenset[str]) -> bool:
    """``token`` hangs on one of ``prepositions`` ("of X", "des X")."""
    preposition = preposition_of(token)
    return preposition is not None and preposition.lower_ in prepositions
