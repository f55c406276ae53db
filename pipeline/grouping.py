"""Across documents: one organisation, one agreement.

``group_records`` takes the records of a batch and returns, as plain data, the organisations
(every party and other organisation of every record with the ``canonical_id`` of the
organisation it names, the canonical name, and the evidence of every merge) and the
agreements (records that report the same signing, with all their sources, and the fields on
which the sources disagree). It is a pure function of the records (and, when given, the texts
their spans index), called once at the end of a batch (``write_groups``: ``organizations.jsonl``
and ``agreements.jsonl`` beside ``records.jsonl``) and by the export and the review page.

Names are only ever merged on evidence the records hold, since a wrong merge is worse than a
missed one:

- ``same_name``: the same name up to case, accents, punctuation, a leading article and a legal
  suffix (Ltd, GmbH, S.A.: ``cleanco``); a name made only of generic words ("the University")
  stays within its record;
- ``acronym``: a record defines the acronym ("Lusitania Institute of Technology (LIT)") and no
  other name of the batch has the same one; another record's bare "LIT" is then that organisation;
- ``text``: a record's text calls one organisation by two names (the spans of one party quote
  "University of Waikato" and "Waikato University", or the text defines a short name in quotes:
  "Singapore Ministry of Law (“MinLaw”)"), and no other organisation goes by that name;
- within one record: ``reordered`` (the same words turned around a linking word), ``short_form``
  (a company's name without its legal suffix and some words), ``cut_short`` (a name the text
  only ever writes as the beginning of a longer one of the record: the extractor cut it),
  ``acronym`` (a name whose initials are the acronym the record defines for another),
  ``without_kind`` ("Tsinghua" beside "Tsinghua University"). A name cut, abbreviated or
  without its kind word so is that organisation in its record only.

Agreements are blocked by their set of canonical parties (at least two), so grouping is linear
in the records: only records with the same parties are ever compared. Within a block, records
join one agreement when their types agree (or one has none) and their dates are compatible
(``_compatible``), and a record with no date at all joins the one dated agreement its type
fits, if only one does (``_undated_home``); values the sources give differently are all kept and the field named in
``conflicts``. An agreement whose records name only some of another's parties joins it when
both were signed on the same day with the same type and no other agreement fits
(``_join_partial``, found by party and day: linear too).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import pycountry
from cleanco import basename, prepare_default_terms
from cleanco.clean import normalized, strip_punct
from pydantic import ValidationError

from models import AgreementRecord, Record
from pipeline.batch import AGREEMENTS, ORGANIZATIONS, atomic_file, output_names, text_path
from pipeline.corrections import one_line

MENTION_FIELDS = ("parties", "organizations")
"""The record fields whose items are organisations."""

log = logging.getLogger(__name__)

Texts = Callable[[str], str | None]
"""A record id's text (the one its spans index), or None when it is not at hand."""


@dataclass(frozen=True)
class Rules:
    """``patterns/grouping/rules.json``: see its comment."""

    articles: frozenset[str]
    linking_words: frozenset[str]
    generic_words: frozenset[str]
    droppable_kind_words: frozenset[str]
    same_signing_days: int
    publication_days: int


@cache
def rules() -> Rules:
    data = json.loads(resources.files("pipeline.patterns").joinpath("grouping", "rules.json").read_text("utf-8"))
    return Rules(
        articles=frozenset(data["articles"]),
        linking_words=frozenset(data["linking_words"]),
        generic_words=frozenset(data["generic_words"]),
        droppable_kind_words=frozenset(_fold(kind) for kind in data["droppable_kind_words"]),  # "co-operative": two words
        same_signing_days=data["same_signing_days"],
        publication_days=data["publication_days"],
    )


# --------------------------------------------------------------------------- names

_NOT_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=1 << 18)
def _fold(text: str) -> str:
    """Lower case, accents off, ``&`` as "and", punctuation as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.replace("&", " and "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain.casefold()).replace("_", " ").split())


@lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """The key two spellings of one name share: folded, without a legal suffix or a leading
    article, a country's formal name as its common one (``"The Boeing Company"`` and ``"boeing"``
    → ``"boeing"``; ``"Government of the Republic of Senegal"`` → ``"government of senegal"``)."""
    words = _common_country_names((_fold(_without_legal_suffix(name)) or _fold(name))).split()
    if len(words) > 1 and words[0] in rules().articles:
        words = words[1:]
    return " ".join(words)


@cache
def _formal_country_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """ISO 3166's formal country names, folded, and the common name of each (``pycountry``):
    "republic of estonia" → "estonia", "united states of america" → "united states"."""
    common = {}
    for country in pycountry.countries:
        formal, usual = getattr(country, "official_name", None), getattr(country, "common_name", None) or country.name
        if formal and "," not in usual and _fold(formal) != _fold(usual):
            common[_fold(formal)] = _fold(usual)
    articles = "|".join(sorted(rules().articles))
    alternatives = "|".join(re.escape(f) for f in sorted(common, key=len, reverse=True))
    return re.compile(rf"\b(?:(?:{articles}) )?({alternatives})\b"), common


def _common_country_names(folded: str) -> str:
    """``folded`` with every formal country name in it as the country's common name."""
    pattern, common = _formal_country_names()
    return pattern.sub(lambda match: common[match[1]], folded)


@cache
def _suffix_ends() -> frozenset[str]:
    """The last word of every legal suffix ``cleanco`` knows, as it normalises them."""
    return frozenset(parts[-1] for _, parts in prepare_default_terms())


def _without_legal_suffix(name: str) -> str:
    """``name`` less its legal suffixes; ``cleanco`` tries its thousands of terms only on a name
    whose last word ends one of them."""
    words = strip_punct(normalized(name)).split()
    return basename(name) if words and words[-1] in _suffix_ends() else name


def is_generic(key: str) -> bool:
    """A name made only of words for a kind of organisation ("the university", "la region"):
    it names an organisation only within its own record."""
    return all(word in rules().generic_words for word in key.split())


@lru_cache(maxsize=1 << 18)
def _major_words(name: str) -> tuple[str, ...]:
    """The name's folded words less the linking ones ("of", "de", "the")."""
    return tuple(w for w in _fold(name).split() if w not in rules().linking_words)


def is_initials(alias: str, name: str) -> bool:
    """Is ``alias`` the name's initials, of all its words or of its major ones ("UoW", "IARN")?"""
    squeezed = _fold(alias).replace(" ", "")
    return len(squeezed) > 1 and squeezed in ("".join(w[0] for w in _fold(name).split()), "".join(w[0] for w in _major_words(name)))


def is_reordered(alias: str, name: str) -> bool:
    """Is one name the other turned around a linking word ("Waikato University", "University of
    Waikato")? The same words with the same linking words ("Chamber of Commerce and Industry",
    "Chamber of Industry and Commerce") may be two bodies, and are not taken."""
    if sorted(_major_words(alias)) != sorted(_major_words(name)):
        return False
    linking = rules().linking_words
    joints = [sorted(w for w in _fold(n).split() if w in linking) for n in (alias, name)]
    return joints[0] != joints[1]


def is_short_form(short: str, name: str) -> bool:
    """Is ``short`` the company ``name`` without some of its leading or trailing words, ``name``
    ending with a legal suffix ("Nordvik" for "Nordvik Pharma A/S", "Dalvik Robotics GmbH" for
    "entreprise allemande Dalvik Robotics GmbH")? A short form of a name without one ("NASA" of
    "NASA Wallops", "Shell" of "Qatar Shell") may name a parent or a part, so it is not taken."""
    key, short_key = name_key(name), name_key(short)
    if _fold(_without_legal_suffix(name)) == _fold(name) or not short_key:
        return False  # no legal suffix
    return key.startswith(short_key + " ") or key.endswith(" " + short_key)


# --------------------------------------------------------------------------- values as readers take them


def _fixed(record: AgreementRecord) -> dict[str, Any]:
    """The analyst's corrections of a record, by field (``models.record.Correction``)."""
    return {c.field: c.value for c in record.corrections}


@dataclass(frozen=True)
class Mention:
    """One organisation of one record: where it is, the name it has there, every name the
    record gives it (its acronym, the words its spans quote, the short name its text defines in
    quotes) and, when the extractor cut the name short, the record's longer name it stands for."""

    record: str
    field: str
    position: int
    name: str
    acronym: str | None
    aliases: tuple[str, ...]
    cut_of: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"record": self.record, "field": self.field, "position": self.position, "name": self.name}


_QUOTED_SHORT_NAME = re.compile(r"\s*\(\s*[\"“”«‘'’]\s*(?P<short>[^\"“”«»‘’()]{1,60}?)\s*[\"“”»’']\s*\)")
"""What may follow a name to define its short name: `(“MinLaw”)`, `("Te Papa")`, `(« CNES »)`."""


def quoted_short_names(text: str, spans: Iterable[tuple[int, int]]) -> set[str]:
    """The short names the text defines right after the name's spans ("Singapore Ministry of Law
    (“MinLaw”)"): the text's own word that the short name is this organisation."""
    return {m["short"] for _, end in spans if (m := _QUOTED_SHORT_NAME.match(text, end))}


def cut_short_of(name: str, spans: list[tuple[int, int]], others: Iterable[str], text: str) -> str | None:
    """The record's longer name that ``name`` is the beginning of wherever the record quotes it
    ("Cedar Valley Medical" where the text always says "Cedar Valley Medical Center"): the
    extractor cut the name short, since the text never uses it alone. A name the text also uses
    alone ("NASA" beside "NASA Wallops") is not cut short. The longest such name, when several."""
    words = _fold(name).split()

    def opens(start: int, longer: str) -> bool:
        wanted = _fold(longer).split()
        return _fold(text[start : start + 2 * len(longer)]).split()[: len(wanted)] == wanted

    longer = [o for o in others if len(_fold(o).split()) > len(words) and _fold(o).split()[: len(words)] == words]
    covering = [o for o in longer if spans and all(opens(start, o) for start, _ in spans)]
    return max(covering, key=lambda o: (len(o), o)) if covering else None


def mentions(record: AgreementRecord, text: str | None) -> Iterator[Mention]:
    """The record's organisations (an analyst's list replaces the extractor's, without acronyms or spans)."""
    fixed = _fixed(record)
    extracted = [o.name for field_name in MENTION_FIELDS if field_name not in fixed for o in getattr(record, field_name)]
    for field_name in MENTION_FIELDS:
        if field_name in fixed:
            for position, name in enumerate(fixed[field_name] or []):
                yield Mention(record.id, field_name, position, str(name), None, ())
            continue
        for position, org in enumerate(getattr(record, field_name)):
            spans = [(start, end) for start, end in org.spans]
            if text is None or any(end > len(text) for _, end in spans):
                yield Mention(record.id, field_name, position, org.name, org.acronym, (org.acronym,) if org.acronym else ())
                continue
            quoted = {text[start:end] for start, end in spans}
            alike = {q for q in quoted if q != org.name and (is_initials(q, org.name) or is_reordered(q, org.name))}
            aliases = tuple(sorted(alike | quoted_short_names(text, spans) | ({org.acronym} if org.acronym else set())))
            yield Mention(record.id, field_name, position, org.name, org.acronym, aliases, cut_short_of(org.name, spans, extracted, text))


# --------------------------------------------------------------------------- organisations


class _Sets:
    """Union-find over indexes (of mentions, of agreements)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def attach(self, item: int, root: int) -> None:
        """``item``'s set joins ``root``'s, whose representative stays ``root``'s."""
        item, root = self.find(item), self.find(root)
        if item != root:
            self.parent[item] = root


def _scoped_key(mention: Mention, key: str, within: bool = False) -> str:
    """A name's key, kept within its record when the name is generic (or ``within`` it)."""
    return f"{mention.record}\x00{key}" if within or is_generic(key) else key


def is_without_kind(short: str, name: str) -> bool:
    """Is ``short`` the name without its last word, a word for what the whole organisation is
    ("Tsinghua", "Tsinghua University", "GreenFurrow", "GreenFurrow Co-operative";
    ``droppable_kind_words``)?"""
    key, short_key = name_key(name), name_key(short)
    return bool(short_key) and any(key == f"{short_key} {kind}" for kind in rules().droppable_kind_words)


def is_part(short: str, name: str) -> bool:
    """Are the words of ``short`` a run of the words of ``name`` ("Ministry of Finance" in
    "Ministry of Finance of the Federal Democratic Republic of Ethiopia")?"""
    part, whole = _fold(short).split(), _fold(name).split()
    return len(part) < len(whole) and any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))


_PART_RULES = frozenset({"cut_short", "acronym", "without_kind"})
"""Links whose shorter name may be a part that names another organisation in another record
("Lincoln" is Lincoln University beside it, the city elsewhere). A company's short form
("Nordvik" of "Nordvik Pharma A/S") names the company wherever it is found."""


class _Link(NamedTuple):
    """Two mentions of one record that name one organisation, and why."""

    index: int
    other: int
    evidence: dict[str, Any]


def resolve_organizations(all_mentions: list[Mention]) -> tuple[list[int], list[dict[str, Any]]]:
    """Each mention's organisation (an index into the list returned) and the organisations, as
    ``organizations.jsonl`` lines: ``canonical_id``, ``name``, ``acronym``, ``names``, ``mentions``, ``evidence``.

    A name that its record shows to be cut from a longer name there, abbreviated as it or the
    name without its kind word ("Ministry of Finance" (MoF) for "... of Ethiopia") is that
    organisation in that record only: the same part elsewhere may be another's ("Ministry of
    Finance" of Singapore)."""
    links = list(_links_within_records(all_mentions))
    parts = {
        link.index
        for link in links
        if link.evidence["rule"] in _PART_RULES and is_part(all_mentions[link.index].name, all_mentions[link.other].name)
    }
    sets = _Sets(len(all_mentions))
    first_of_key: dict[str, int] = {}
    for index, mention in enumerate(all_mentions):
        sets.union(first_of_key.setdefault(_scoped_key(mention, name_key(mention.name), index in parts), index), index)
    evidence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        if sets.find(link.index) != sets.find(link.other):
            sets.union(link.index, link.other)
            evidence[link.other].append(link.evidence)
    _link_aliases(all_mentions, sets, first_of_key, evidence)
    return _organizations(all_mentions, sets, evidence)


def _links_within_records(all_mentions: list[Mention]) -> Iterator[_Link]:
    """Two organisations of one record that are one: the same words in another order, a
    company's short form when it is the only name of the record that it shortens, a name the
    extractor cut short, or a name whose initials are the acronym the record defines for the other
    ("Korea Institute for Startup and Entrepreneurship Development", "Korean Institute of ... (KISED)")."""
    by_record: dict[str, list[int]] = defaultdict(list)
    for index, mention in enumerate(all_mentions):
        by_record[mention.record].append(index)
    for record, indexes in by_record.items():
        every_name = {all_mentions[i].name: i for i in indexes}
        names = {name: i for name, i in every_name.items() if not is_generic(name_key(name))}
        acronyms = {name: all_mentions[i].acronym for name, i in names.items()}

        def other_acronym(a: str, b: str) -> bool:
            return None not in (acronyms[a], acronyms[b]) and acronyms[a] != acronyms[b]

        def link(i: int, name: str, rule: str, alias: str) -> _Link:
            return _Link(i, every_name[name], {"rule": rule, "alias": alias, "name": name, "record": record})

        defined: dict[str, set[str]] = defaultdict(set)
        for name, acronym in acronyms.items():
            if acronym:
                defined[name_key(acronym)].add(name)
        for short, i in sorted(names.items()):
            longer = [name for name in names if is_short_form(short, name) and not other_acronym(short, name)]
            reordered = [name for name in names if is_reordered(short, name) and not other_acronym(short, name)]
            kinds = [name for name in names if is_without_kind(short, name)]
            for name, rule in [
                *((n, "reordered") for n in reordered),
                *((n, "short_form") for n in longer[:1] if len(longer) == 1),
                *((n, "without_kind") for n in kinds[:1] if len(kinds) == 1),
            ]:
                yield link(i, name, rule, short)
            if acronyms[short] is None:
                abbreviated = {n for key, named in defined.items() if len(named) == 1 and is_initials(key, short) for n in named}
                if len(abbreviated) == 1:
                    name = abbreviated.pop()
                    yield link(i, name, "acronym", str(acronyms[name]))
        for i in indexes:
            if (longer_name := all_mentions[i].cut_of) is not None:
                yield link(i, longer_name, "cut_short", all_mentions[i].name)


class _Given(NamedTuple):
    """A record giving a name an alias; sorted, an acronym definition comes first."""

    not_acronym: bool
    record: str
    field: str
    position: int
    alias: str
    index: int


def _link_aliases(
    all_mentions: list[Mention], sets: _Sets, first_of_key: dict[str, int], evidence: dict[int, list[dict[str, Any]]]
) -> None:
    """An alias a record gives a name (an acronym it defines, a form its spans quote) joins the
    organisations that go by it, when it means one organisation in the whole batch: the names
    given it are one, or only one of them is what the acronym abbreviates."""
    givers: dict[str, list[_Given]] = defaultdict(list)
    for index, mention in enumerate(all_mentions):
        for alias in mention.aliases:
            key = name_key(alias)
            if key and not is_generic(key) and key != name_key(mention.name):
                givers[key].append(_Given(alias != mention.acronym, mention.record, mention.field, mention.position, alias, index))
    for key in sorted(givers):
        given = sorted(givers[key])
        fitting = [g for g in given if is_initials(g.alias, all_mentions[g.index].name)]
        if len({sets.find(g.index) for g in given}) == 1:
            source = given[0]
        elif fitting and len({sets.find(g.index) for g in fitting}) == 1:
            source = fitting[0]
        else:
            continue  # two organisations go by this alias: it names neither for sure
        for index in [g.index for g in given] + ([first_of_key[key]] if key in first_of_key else []):
            if sets.find(index) != sets.find(source.index):
                sets.union(index, source.index)
                evidence[source.index].append(
                    {
                        "rule": "text" if source.not_acronym else "acronym",
                        "alias": source.alias,
                        "name": all_mentions[source.index].name,
                        "record": source.record,
                        "joined": all_mentions[index].name,
                    }
                )


def _organizations(
    all_mentions: list[Mention], sets: _Sets, alias_evidence: dict[int, list[dict[str, Any]]]
) -> tuple[list[int], list[dict[str, Any]]]:
    """The organisations of the resolved sets, each with its canonical name and the evidence of its merges."""
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(all_mentions)):
        members[sets.find(index)].append(index)
    organizations: list[dict[str, Any]] = []
    organization_of = [0] * len(all_mentions)
    for indexes in members.values():
        group = sorted((all_mentions[i] for i in indexes), key=lambda m: (m.record, m.field, m.position))
        names = Counter(m.name for m in group)
        acronyms = Counter(m.acronym for m in group if m.acronym)
        canonical = min(names, key=lambda n: (n in acronyms or n.isupper(), -names[n], -len(n), n))
        linked = sorted((e for i in indexes for e in alias_evidence.get(i, [])), key=lambda e: (e["alias"], e["record"]))
        for i in indexes:
            organization_of[i] = len(organizations)
        organizations.append(
            {
                "canonical_id": "org-" + _digest(_scoped_key(group[0], name_key(canonical))),
                "name": canonical,
                "acronym": min(acronyms, key=lambda a: (-acronyms[a], a)) if acronyms else None,
                "names": sorted(names),
                "mentions": [m.to_json() for m in group],
                "evidence": _same_name_evidence(group) + linked,
            }
        )
    return organization_of, organizations


def _same_name_evidence(group: list[Mention]) -> list[dict[str, Any]]:
    """One ``same_name`` item per key spelt more than one way in the group: the spellings it joined."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for mention in group:
        spellings[name_key(mention.name)].add(mention.name)
    return [{"rule": "same_name", "key": key, "names": sorted(names)} for key, names in sorted(spellings.items()) if len(names) > 1]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --------------------------------------------------------------------------- agreements


@dataclass(frozen=True)
class _When:
    """A date as the interval of days it may mean (``2024-11``: the whole of November)."""

    value: str
    precision: str
    first: date
    last: date

    @classmethod
    def of(cls, value: str | None) -> _When | None:
        if not value:
            return None
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return cls(value, "day", day, day)
        if len(parts) == 2:
            following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return cls(value, "month", date(parts[0], parts[1], 1), following - timedelta(days=1))
        return cls(value, "year", date(parts[0], 1, 1), date(parts[0], 12, 31))

    def gap(self, other: _When) -> int:
        """Days between the two intervals (0 when they overlap)."""
        return max(0, (other.first - self.last).days, (self.first - other.last).days)


@dataclass(frozen=True)
class _Facts:
    """What a record says about its agreement, as readers take it (corrections first)."""

    record: str
    parties: frozenset[str]
    kind: str | None
    signed: _When | None
    published: _When | None
    place: str | None


def _facts(record: AgreementRecord, parties: frozenset[str]) -> _Facts:
    fixed = _fixed(record)

    def value(name: str) -> Any:
        if name in fixed:
            return fixed[name]
        quoted = getattr(record, name)
        return quoted.value if quoted is not None else None

    return _Facts(record.id, parties, value("agreement_type"), _When.of(value("signing_date")), _When.of(value("publication_date")), value("signing_place"))


def _same_kind(a: _Facts, b: _Facts) -> bool:
    """The types agree, or one is missing or "other"."""
    return not (a.kind and b.kind and a.kind != b.kind and "other" not in (a.kind, b.kind))


def _compatible(a: _Facts, b: _Facts) -> bool:
    """Could ``a`` and ``b`` report one signing? Types agree (or one is missing or "other") and
    the dates fit: signing dates overlap or are a few days apart (a conflict, flagged), a
    publication date is close to the other's signing or publication date. No date at all: no
    (``_undated_home`` says where such a record goes)."""
    if not _same_kind(a, b):
        return False
    limits = rules()
    if a.signed and b.signed:
        day_precise = a.signed.precision == b.signed.precision == "day"
        return a.signed.gap(b.signed) == 0 or (day_precise and a.signed.gap(b.signed) <= limits.same_signing_days)
    one, other = a.signed or a.published, b.signed or b.published
    return one is not None and other is not None and one.gap(other) <= limits.publication_days


def _in_blocks(facts: list[_Facts]) -> list[list[_Facts]]:
    """The records grouped into agreements: blocked by their parties, then joined greedily, in date
    order, to the first agreement all of whose records they are compatible with; then an
    agreement whose records name only some of another's parties joins it (``_join_partial``)."""
    blocks: dict[frozenset[str], list[_Facts]] = defaultdict(list)
    groups: list[list[_Facts]] = []
    for fact in facts:
        if fact.parties:
            blocks[fact.parties].append(fact)
        else:
            groups.append([fact])
    for parties, block in blocks.items():
        if len(parties) < 2:  # one party: too little to tell two signings apart
            groups += [[fact] for fact in sorted(block, key=lambda f: f.record)]
            continue
        formed: list[list[_Facts]] = []
        for fact in sorted(block, key=lambda f: ((f.signed or f.published or _NO_DATE).first, f.record)):
            if fact.signed or fact.published:
                home = next((group for group in formed if all(_compatible(fact, member) for member in group)), None)
            else:  # the undated come last, when the dated agreements are formed
                home = _undated_home(fact, formed)
            if home is None:
                formed.append([fact])
            else:
                home.append(fact)
        groups += formed
    return _join_partial(groups)


def _undated_home(fact: _Facts, formed: list[list[_Facts]]) -> list[_Facts] | None:
    """A record with no date at all ("SALTMERE, Aug 20 (Coastal Wire) - ... on Monday": no year
    anywhere) reports the signing of its parties when they have only one dated agreement its
    type fits; with two (a letter of intent, then a framework agreement, and a record of
    neither type) or none, it stays apart."""
    fitting = [group for group in formed if all(member.signed or member.published for member in group) and all(_same_kind(fact, member) for member in group)]
    return fitting[0] if len(fitting) == 1 else None


def _signing_days(group: list[_Facts]) -> set[date]:
    return {f.signed.first for f in group if f.signed and f.signed.precision == "day"}


def _join_partial(groups: list[list[_Facts]]) -> list[list[_Facts]]:
    """A release that names only some of the parties (the extractor missed one, or the release
    left one out) reports the same signing as another when that other names all of them and more,
    on the same signing day, with the same type, and no other agreement fits as well: ("Calder
    Valley University", "MRDA") joins ("Calder Valley University", "Ostmark Steel", "MRDA"), both
    of 25 February 2025. Larger agreements are settled first; candidates are found by (party, day),
    so an agreement is compared only with those that share one of its parties on its day."""
    parties = [frozenset().union(*(f.parties for f in group)) for group in groups]
    by_party_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        for party in parties[index]:
            for day in _signing_days(group):
                by_party_day[(party, day)].append(index)
    into = _Sets(len(groups))
    merged = [list(group) for group in groups]
    for index in sorted(range(len(groups)), key=lambda i: (-len(parties[i]), sorted(f.record for f in groups[i]))):
        group, days = groups[index], _signing_days(groups[index])
        kinds = {f.kind for f in group}
        if not days or len(kinds) != 1 or None in kinds or "other" in kinds or any(f.signed is None or f.signed.precision != "day" for f in group):
            continue
        found = {into.find(i) for day in days for party in parties[index] for i in by_party_day[(party, day)]} - {index}
        fitting = [
            i
            for i in sorted(found)
            if parties[index] < parties[i]
            and {f.kind for f in merged[i]} == kinds
            and all(_compatible(a, b) for a in group for b in merged[i])
        ]
        if len(fitting) == 1:
            (target,) = fitting
            merged[target] += merged[index]
            merged[index] = []
            into.attach(index, target)
    return [group for group in merged if group]


_NO_DATE = _When("", "day", date.max, date.max)


def _values(group: list[_Facts], read: Callable[[_Facts], Any], extra: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
    """A field's distinct values across the sources, each with the records that give it."""
    given: dict[Any, list[str]] = defaultdict(list)
    for fact in group:
        if (value := read(fact)) is not None:
            given[value].append(fact.record)
    shown = [{**extra(value), "records": records} for value, records in given.items()]
    return sorted(shown, key=lambda item: item["value"])


def _conflicts(group: list[_Facts]) -> list[str]:
    """The fields the sources give differently: two types, two places, or two signing dates
    neither of which is a coarser form of the other ("2024-11" and "2024-11-19" agree)."""
    conflicts = []
    if len({f.kind for f in group if f.kind and f.kind != "other"}) > 1:
        conflicts.append("agreement_type")
    dates = {f.signed.value for f in group if f.signed}
    if any(not (x.startswith(y) or y.startswith(x)) for x in dates for y in dates):
        conflicts.append("signing_date")
    if len({_fold(f.place) for f in group if f.place}) > 1:
        conflicts.append("signing_place")
    return conflicts


def _agreement(group: list[_Facts], organizations: list[dict[str, Any]], index_of: dict[str, int]) -> dict[str, Any]:
    records = sorted(f.record for f in group)
    named = frozenset().union(*(f.parties for f in group))
    parties = sorted((organizations[index_of[p]] for p in named), key=lambda o: (o["name"], o["canonical_id"]))
    return {
        "agreement_id": "agr-" + _digest("\x00".join(records)),
        "records": records,
        "parties": [{"canonical_id": o["canonical_id"], "name": o["name"]} for o in parties],
        "agreement_type": _values(group, lambda f: f.kind, lambda v: {"value": v}),
        "signing_date": _values(group, lambda f: f.signed, lambda w: {"value": w.value, "precision": w.precision}),
        "signing_place": _values(group, lambda f: f.place, lambda v: {"value": v}),
        "conflicts": _conflicts(group),
    }


# --------------------------------------------------------------------------- the contract


@dataclass
class Grouping:
    """The organisations and agreements of a batch, as ``organizations.jsonl`` and ``agreements.jsonl`` lines.

    ``organization_of`` maps ``(record id, field, position)`` to a canonical id, ``agreement_of``
    a record id to its agreement's id (records that report no agreement have none)."""

    organizations: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    organization_of: dict[tuple[str, str, int], str] = field(default_factory=dict)
    agreement_of: dict[str, str] = field(default_factory=dict)


def group_records(records: Iterable[Record], texts: Texts | None = None) -> Grouping:
    """Resolve the organisations and the agreements of ``records`` (error records are skipped).

    ``texts`` gives a record's text when the record does not carry it (``indexed_text``): the
    words its spans quote are then evidence that two names are one organisation. The result
    depends only on the records and texts, not on their order."""
    agreements = sorted((r for r in records if isinstance(r, AgreementRecord)), key=lambda r: r.id)
    all_mentions = [
        m for r in agreements for m in mentions(r, r.indexed_text if r.indexed_text is not None or texts is None else texts(r.id))
    ]
    organization_of, organizations = resolve_organizations(all_mentions)
    order = sorted(range(len(organizations)), key=lambda i: (_fold(organizations[i]["name"]), organizations[i]["canonical_id"]))
    organizations = [organizations[i] for i in order]
    position = {old: new for new, old in enumerate(order)}
    grouping = Grouping(organizations=organizations)
    parties: dict[str, set[str]] = defaultdict(set)
    for mention, index in zip(all_mentions, organization_of):
        canonical_id = organizations[position[index]]["canonical_id"]
        grouping.organization_of[(mention.record, mention.field, mention.position)] = canonical_id
        if mention.field == "parties":
            parties[mention.record].add(canonical_id)
    reported = [_facts(r, frozenset(parties[r.id])) for r in agreements]
    facts = [f for f in reported if f.parties or f.kind]
    index_of = {o["canonical_id"]: i for i, o in enumerate(organizations)}
    grouping.agreements = sorted((_agreement(g, organizations, index_of) for g in _in_blocks(facts)), key=lambda a: a["records"])
    grouping.agreement_of = {record: a["agreement_id"] for a in grouping.agreements for record in a["records"]}
    return grouping


# --------------------------------------------------------------------------- a run's files


def group_run(output_dir: Path, records: Iterable[dict[str, Any]]) -> Grouping:
    """``group_records`` over a run's records (JSON data, corrections applied), with the texts
    written beside them (``<id>.txt``) as evidence. A record that is not one (edited by hand,
    another version's) is left out of the grouping, with a warning, rather than stop the rest."""
    parsed: list[AgreementRecord] = []
    for data in records:
        if "error" in data:
            continue
        try:
            parsed.append(AgreementRecord.model_validate(data))
        except ValidationError as error:
            log.warning("%s: not grouped, not a valid record (%s)", data.get("id"), one_line(error))
    files = output_names([r.id for r in parsed])

    def text(record_id: str) -> str | None:
        try:
            return (output_dir / text_path(files[record_id])).read_text("utf-8")
        except OSError:
            return None

    return group_records(parsed, text)


def write_groups(output_dir: Path) -> Grouping:
    """``organizations.jsonl`` and ``agreements.jsonl`` beside ``records.jsonl``, atomically; the
    same records (and corrections) give the same bytes."""
    from pipeline.export import load_run  # here: export reads what this module and batch write

    grouping = group_run(output_dir, load_run(output_dir))
    for name, lines in ((ORGANIZATIONS, grouping.organizations), (AGREEMENTS, grouping.agreements)):
        with atomic_file(output_dir / name) as handle:
            handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return grouping
