"""Agreement phrases and their kind, from the language's vocabulary (docs/architecture.md, parse).

A phrase is a head noun of an agreement ("agreement", "memorandum", "accord", "convention")
with the modifiers that name its kind, before or after it, adjacent ("cooperation agreement",
"accord-cadre", "déclaration commune") or after a connector ("agreement on cooperation",
"memorandum of understanding", "accord de coopération"). Words are compared by lemma, so
plurals and inflections match ("accords de coopération", "Cooperation Agreements"). The kind
is the most specific one the head and its modifiers name (``KIND_PRECEDENCE``); the exact
phrases of ``agreement_types`` keep their kind where they match the same words ("memorandum
of agreement" is ``other``, not a memorandum of understanding). A bare head used as a manner
("in agreement with", "en partenariat avec") is no agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.attrs import IS_ALPHA, LEMMA, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import ADJ, NAMES as POS_NAMES, NOUN
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.rules import LanguageRules, load_rules
from pipeline.windows import head_windows, pattern_reach

AGREEMENT_SPANS = "agreements"
FACTORY = "agreement_phrases"
AGREEMENT_LEMMA = "agreement_lemma"

# The most specific kind wins: "framework agreement on cooperation" is a framework agreement,
# "memorandum of cooperation" a memorandum of understanding, "partnership contract" a
# partnership agreement, "joint declaration of intent" a joint declaration.
KIND_PRECEDENCE = (
    "framework_agreement",
    "memorandum_of_understanding",
    "joint_declaration",
    "letter_of_intent",
    "partnership_agreement",
    "cooperation_agreement",
    "contract",
    "other",
)
_WORD_CLASSES = frozenset({NOUN, ADJ})
_HYPHEN = {"ORTH": "-", "OP": "?"}
_DETERMINER = {"POS": "DET", "OP": "?"}


@dataclass(frozen=True)
class ModifierGroup:
    """Words that make a head of ``heads`` a ``kind`` (in the data, no ``heads``: every head
    that is an agreement on its own)."""

    kind: str
    words: frozenset[str]
    heads: frozenset[str]


@dataclass(frozen=True)
class PhraseVocabulary:
    """One language's ``agreement_phrases``: heads (lemma → kind; ``None``: needs a modifier,
    as "letter" in "letter of intent"), modifier groups, connectors, the side adjacent
    modifiers stand on, and the manner phrases that are no agreement."""

    heads: dict[str, str | None]
    groups: tuple[ModifierGroup, ...]
    connectors: tuple[str, ...]
    adjacent_side: str
    exclusions: tuple[dict[str, list[str]], ...]

    @classmethod
    def of(cls, rules: LanguageRules) -> PhraseVocabulary:
        raw = rules.agreement_phrases
        heads = {head.lower(): kind for head, kind in raw["heads"].items()}
        standalone = frozenset(h for h, kind in heads.items() if kind is not None)
        groups = tuple(
            ModifierGroup(g["kind"], frozenset(w.lower() for w in g["words"]), frozenset(h.lower() for h in g.get("heads", [])) or standalone)
            for g in raw["modifiers"]
        )
        return cls(heads, groups, tuple(raw["connectors"]), raw["adjacent_modifiers"], tuple(raw["exclusions"]))

    def kind(self, head: str, modifiers: Iterable[str]) -> str | None:
        """The most specific kind the head and its compatible modifiers name, or ``None``."""
        kinds = {self.heads.get(head)}
        for word in modifiers:
            kinds.update(g.kind for g in self.groups if word in g.words and head in g.heads)
        return min((k for k in kinds if k is not None), key=KIND_PRECEDENCE.index, default=None)


def _words(words: Iterable[str], op: str | None = None) -> dict:
    """A token whose agreement lemma is one of ``words`` (the LEMMA of the window Docs
    ``AgreementPhrases`` builds)."""
    pattern: dict = {"LEMMA": {"IN": sorted(words)}}
    return {**pattern, "OP": op} if op else pattern


def phrase_patterns(vocabulary: PhraseVocabulary) -> list[tuple[int, list[dict]]]:
    """Token patterns, each with the index of its head token: per modifier group, the group's
    modifier adjacent to the head (on the language's side) or after a connector, other
    modifiers allowed around it ("framework cooperation agreement", "accord-cadre de
    coopération"), and every head that is an agreement on its own."""
    any_modifier = {w for g in vocabulary.groups for w in g.words}
    connector = {"LOWER": {"IN": list(vocabulary.connectors)}}
    patterns: list[tuple[dict, list[dict]]] = []
    for group in vocabulary.groups:
        head, modifier = _words(group.heads), _words(group.words)
        # no words between: "agreement on space cooperation" is an agreement on a topic, "space
        # cooperation" (a theme), not a cooperation agreement named so
        after_connector = [connector, _DETERMINER, modifier]
        if vocabulary.adjacent_side == "before":
            patterns.append((head, [modifier, _words(any_modifier, "?"), _words(any_modifier, "?"), _HYPHEN, head]))
            patterns.append((head, [_words(any_modifier, "?"), _words(any_modifier, "?"), head, *after_connector]))
        else:
            patterns.append((head, [head, _HYPHEN, modifier]))
            patterns.append((head, [head, _HYPHEN, _words(any_modifier, "?"), *after_connector, _words(any_modifier, "?")]))
            patterns.append((head, [head, connector, _DETERMINER, _words(any_modifier), modifier]))  # "déclaration d'intention commune"
    standalone = _words(h for h, kind in vocabulary.heads.items() if kind is not None)
    patterns.append((standalone, [standalone]))
    return [(next(i for i, token in enumerate(pattern) if token is head), pattern) for head, pattern in patterns]


def exclusion_patterns(vocabulary: PhraseVocabulary) -> list[list[dict]]:
    """"in agreement with", "in close partnership with", "d'accord": a bare head as a manner."""
    return [
        [{"LOWER": {"IN": e["before"]}}, {"POS": "ADJ", "OP": "*"}, {"LOWER": {"IN": e["heads"]}}, *([{"LOWER": {"IN": e["after"]}}] if e["after"] else [])]
        for e in vocabulary.exclusions
    ]


class AgreementPhrases:
    """The component: labels agreement phrases with their kind in ``doc.spans["agreements"]``."""

    def __init__(self, nlp: Language, rules: LanguageRules) -> None:
        self.vocabulary = PhraseVocabulary.of(rules)
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self.nlp_vocab = nlp.vocab
        self.matcher = Matcher(nlp.vocab)
        self.heads: dict[str, int] = {}
        patterns = phrase_patterns(self.vocabulary)
        for index, (head, pattern) in enumerate(patterns):
            key = f"agreement-phrase-{index}"
            self.matcher.add(key, [pattern])
            self.heads[key] = head
        self.exact = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, phrases in rules.agreement_types.items():
            self.exact.add(kind, [nlp.make_doc(p) for p in phrases])
        self.exclusions = Matcher(nlp.vocab)
        self.exclusions.add("manner", exclusion_patterns(self.vocabulary))
        self.head_lemmas = frozenset(self.vocabulary.heads) | {h for g in self.vocabulary.groups for h in g.heads}
        self.reach = pattern_reach(patterns)
        self._lemma_of: dict[tuple[int, int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Match only around the tokens whose lemma is a head (every phrase holds one), on a small
        Doc per window whose LEMMA is the agreement lemma: the patterns then test a token
        attribute, not a custom one, whose predicate goes through the extension machinery for
        every token and pattern (1.3 ms more a document)."""
        lemmas, lowers, parts_of_speech = self._words(doc)
        windows = head_windows([i for i, lemma in enumerate(lemmas) if lemma in self.head_lemmas], self.reach, len(doc))
        exact = [(doc.vocab.strings[match_id], start, end) for match_id, start, end in self.exact(doc)]
        for start, end in [*windows, *((start, end) for _, start, end in exact)]:
            for token in doc[start:end]:
                token._.set(AGREEMENT_LEMMA, lemmas[token.i])
        found: dict[tuple[int, int], str] = {}
        for window_start, window_end in windows:
            window = Doc(
                self.nlp_vocab,
                words=lowers[window_start:window_end],
                lemmas=lemmas[window_start:window_end],
                pos=parts_of_speech[window_start:window_end],
            )
            for match_id, start, end, alignment in self.matcher(window, with_alignments=True):
                start, end = start + window_start, end + window_start
                head = start + alignment.index(self.heads[self.nlp_vocab.strings[match_id]])
                kind = self.vocabulary.kind(lemmas[head], (lemmas[i] for i in range(start, end) if i != head))
                if kind is not None:
                    found[(start, end)] = kind
        for kind, start, end in exact:  # the exact phrases keep their kind
            found[(start, end)] = kind
        manner = {i for _, start, end in self.exclusions(doc) for i in range(start, end)}
        doc.spans[AGREEMENT_SPANS] = [
            Span(doc, start, end, label=kind) for (start, end), kind in sorted(found.items()) if not (end - start == 1 and start in manner)
        ]
        return doc

    def _words(self, doc: Doc) -> tuple[list[str], list[str], list[str]]:
        """Every token's agreement lemma, lower-cased form and part of speech, read from the Doc's
        arrays (no Token objects). The lemma is lower-cased, and a title-case word the tagger took
        for a name ("Cooperation Agreements") gets the lemma it would have as a common noun."""
        strings = self.nlp_vocab.strings
        lemmas, lowers, parts_of_speech = [], [], []
        for row in doc.to_array([LEMMA, POS, LOWER, IS_ALPHA]).tolist():
            key = (row[0], row[1], row[2], row[3])
            if key not in self._lemma_of:
                self._lemma_of[key] = self._lemma(*key)
            lemmas.append(self._lemma_of[key])
            lowers.append(strings[row[2]])
            parts_of_speech.append(POS_NAMES[row[1]])
        return lemmas, lowers, parts_of_speech

    def _lemma(self, lemma: int, pos: int, lower: int, is_alpha: int) -> str:
        strings = self.nlp_vocab.strings
        if pos in _WORD_CLASSES or self.lemmatizer is None or not is_alpha:
            return strings[lemma].lower()
        noun = Doc(self.nlp_vocab, words=[strings[lower]], pos=["NOUN"])
        return self.lemmatizer(noun)[0].lemma_.lower()


if not Token.has_extension(AGREEMENT_LEMMA):
    # set on the tokens around agreement heads and on the exact phrases, which every agreement
    # span lies in: the stages read it on those spans only
    Token.set_extension(AGREEMENT_LEMMA, default="")


@Language.factory(FACTORY, default_config={"language": "en"})
def make_agreement_phrases(nlp: Language, name: str, language: str) -> AgreementPhrases:
    """The agreement phrase matcher of ``language``'s rules."""
    return AgreementPhrases(nlp, load_rules(language))
