"""Language rules kept as data (``pipeline/patterns/<lang>.json``) and read once.

Stages share their code across languages; only these word lists and phrases differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class LanguageRules:
    """The word lists one language's stages use; field names follow the JSON keys."""

    language: str
    spacy_model: str
    date_order: str
    typographic_apostrophes: frozenset[str]
    agreement_types: dict[str, list[str]]
    agreement_phrases: dict[str, Any]
    generic_types: frozenset[str]
    signing_lemmas: frozenset[str]
    signing_nouns: frozenset[str]
    partnering_lemmas: frozenset[str]
    future_markers: frozenset[str]
    past_agreement_markers: frozenset[str]
    relative_day_words: tuple[str, ...]
    duration_units: frozenset[str]
    duration_exceptions: frozenset[str]
    publication_cues: tuple[str, ...]
    name_particles: frozenset[str]
    post_nominals: frozenset[str]
    person_honorifics: frozenset[str]
    title_words: frozenset[str]
    quote_lemmas: frozenset[str]
    witness_lemmas: frozenset[str]
    contact_labels: frozenset[str]
    contact_cues: tuple[str, ...]
    credit_cues: tuple[str, ...]
    byline_cues: tuple[str, ...]
    picture_positions: frozenset[str]
    """Where a caption says someone stands in the photo, in brackets after the name ("(left)", "(à droite)")."""
    theme_cues: frozenset[str]
    theme_stop_heads: frozenset[str]
    theme_participants: frozenset[str]
    theme_drop_modifiers: frozenset[str]
    legal_suffixes: frozenset[str]
    mdy_cues: tuple[str, ...]
    place_nouns: frozenset[str]
    month_names: tuple[str, ...]
    honorific_abbreviations: tuple[str, ...]
    name_prefixes: tuple[str, ...]
    non_person_contexts: frozenset[str]
    org_head_nouns: frozenset[str]
    located_org_nouns: frozenset[str]
    company_words: frozenset[str]
    announcement_lemmas: frozenset[str]
    attribution_cues: tuple[str, ...]
    affiliation_prepositions: frozenset[str]
    subunit_nouns: frozenset[str]
    subunit_links: frozenset[str]
    weekday_names: tuple[str, ...]
    date_modifiers: tuple[str, ...]
    month_relative_modifiers: tuple[str, ...]
    partner_prepositions: frozenset[str]
    between_prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    purpose_prepositions: frozenset[str]
    period_prepositions: frozenset[str]
    topic_prepositions: frozenset[str]
    object_prepositions: frozenset[str]
    name_joiners: frozenset[str]
    name_prepositions: frozenset[str]
    locution_nouns: frozenset[str]
    circumstance_prepositions: frozenset[str]
    recipient_prepositions: frozenset[str]
    bare_circumstance_prepositions: frozenset[str]
    topic_governors: frozenset[str]
    degree_adverbs: frozenset[str]
    gerund_markers: frozenset[str]
    participle_endings: tuple[str, ...]
    lower_case_name_heads: frozenset[str]
    portfolio_titles: frozenset[str]
    defined_term_markers: tuple[str, ...]
    programme_nouns: frozenset[str]
    signing_lemmas_needing_object: frozenset[str]
    signing_particles: frozenset[str]
    perfect_auxiliaries: frozenset[str]
    since_words: frozenset[str]
    description_lemmas: frozenset[str]
    past_work_adverbs: frozenset[str]
    page_noise_cues: tuple[str, ...]
    section_end_cues: tuple[str, ...]
    ner_label_map: dict[str, str]


def available_languages() -> list[str]:
    """Languages that have a rules file."""
    folder = resources.files("pipeline.patterns")
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


@cache
def load_rules(language: str) -> LanguageRules:
    """Read ``patterns/<language>.json``; lists become frozensets where order does not matter."""
    if language not in available_languages():
        raise KeyError(f"no extraction rules for language {language!r}")
    raw = json.loads(resources.files("pipeline.patterns").joinpath(f"{language}.json").read_text("utf-8"))
    values = {}
    for name, field in LanguageRules.__dataclass_fields__.items():
        value = raw[name]
        if field.type.startswith("frozenset"):
            value = frozenset(v.lower() for v in value)
        elif field.type.startswith("tuple"):
            value = tuple(v.lower() for v in value)
        values[name] = value
    return LanguageRules(**values)
