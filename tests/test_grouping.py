"""Organisations and agreements resolved across records (``pipeline/grouping.py``), on hand-built records."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from models import AgreementRecord
from pipeline import group_records
from pipeline import grouping as grouping_module
from pipeline.batch import AGREEMENTS, ORGANIZATIONS, RECORDS
from pipeline.export import export, load_run
from pipeline.extractor import DEFAULT_MAX_BYTES
from pipeline.grouping import Grouping, group_run, name_key, write_groups
from pipeline.report import SourceTexts, report_data


def party(name: str, acronym: str | None = None, spans: list[list[int]] | None = None) -> dict[str, Any]:
    return {"name": name, "acronym": acronym, "spans": spans or [[0, 1]]}


def quoted(value: str, **more: Any) -> dict[str, Any]:
    return {"value": value, "text": "x", "span": [0, 1], **more}


def record(
    record_id: str,
    parties: list[dict[str, Any]],
    kind: str | None = "memorandum_of_understanding",
    signed: str | None = "2024-05-02",
    published: str | None = None,
    place: str | None = None,
    organizations: list[dict[str, Any]] | None = None,
) -> AgreementRecord:
    """A record as the extractor writes one, with only what grouping reads."""

    def date(value: str | None) -> dict[str, Any] | None:
        return quoted(value, precision={10: "day", 7: "month", 4: "year"}[len(value)]) if value else None

    return AgreementRecord.model_validate(
        {
            "id": record_id,
            "source": {"path": record_id},
            "agreement_type": quoted(kind) if kind else None,
            "signing_date": date(signed),
            "publication_date": date(published),
            "signing_place": quoted(place) if place else None,
            "parties": parties,
            "organizations": organizations or [],
            "extractor": {"version": "test", "spacy_model": None},
        }
    )


def same_organization(grouping: Grouping, a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    return grouping.organization_of[a] == grouping.organization_of[b]


def two_records(first: dict[str, Any], second: dict[str, Any]) -> Grouping:
    """Two records whose first parties are ``first`` and ``second`` (and whose second parties differ)."""
    return group_records([record("a.md", [first, party("Aalto Works Oy")]), record("b.md", [second, party("Brill Foundry")])])


# --------------------------------------------------------------------------- organisations


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Inria", "INRIA"),  # case
        ("Université de Valromey", "Universite de Valromey"),  # accents
        ("The Boeing Company", "Boeing"),  # article and legal suffix
        ("Marlinha Renewables S.A.", "Marlinha Renewables"),  # legal suffix
        ("Vellmar Energie GmbH", "VELLMAR ENERGIE"),
        ("Holm & Varga Architects", "Holm and Varga Architects"),
        ("Government of the Republic of Senegal", "Government of Senegal"),  # a country's formal name
        ("Ministry of Education of the Hashemite Kingdom of Jordan", "Ministry of Education of Jordan"),
        ("United States of America", "the United States"),
    ],
)
def test_spellings_of_one_name_are_one_organization(first: str, second: str) -> None:
    grouping = two_records(party(first), party(second))
    assert same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("University of Marwick", "Marwick University"),  # similar, but no record links them
        ("University of California", "University of California, Santa Cruz"),
        ("Ministry of Health", "Ministry of Health of Veloria"),
        ("Ministry of Energy", "Ministry of Energy of the Republic of Ghana"),
        ("Republic of Korea", "Democratic People's Republic of Korea"),
        ("the University", "The University"),  # generic: a different university in each record
        ("Région", "région"),
    ],
)
def test_unlinked_names_are_never_merged(first: str, second: str) -> None:
    grouping = two_records(party(first), party(second))
    assert not same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))


def test_an_acronym_one_record_defines_names_that_organization_in_another() -> None:
    grouping = two_records(party("Lusitania Institute of Technology", "LIT"), party("LIT"))
    assert same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))
    (organization,) = [o for o in grouping.organizations if o["name"] == "Lusitania Institute of Technology"]
    assert organization["acronym"] == "LIT"
    assert {"rule": "acronym", "alias": "LIT", "name": "Lusitania Institute of Technology", "record": "a.md", "joined": "LIT"} in organization["evidence"]


def test_an_acronym_two_organizations_define_names_neither() -> None:
    grouping = group_records(
        [
            record("a.md", [party("Salisbury University", "SU"), party("Aalto Works Oy")]),
            record("b.md", [party("Stanford University", "SU"), party("Brill Foundry")]),
            record("c.md", [party("SU"), party("Cobalt Labs")]),
        ]
    )
    ids = {grouping.organization_of[(r, "parties", 0)] for r in ("a.md", "b.md", "c.md")}
    assert len(ids) == 3


def test_a_truncated_name_with_the_acronym_joins_the_name_the_acronym_abbreviates() -> None:
    grouping = two_records(party("Institut Armorique de Recherche Numérique", "IARN"), party("Recherche Numérique", "IARN"))
    assert same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))


def test_a_text_calling_one_party_by_both_names_links_them_across_records() -> None:
    text = "Thornbury University (the University of Thornbury) signed."
    linked = party("Thornbury University", spans=[[0, 20], [26, 50]])
    grouping = group_records(
        [
            record("a.md", [linked, party("Kestrel Marine Systems Ltd")]),
            record("b.md", [party("University of Thornbury"), party("Kestrel Marine Systems")]),
        ],
        texts={"a.md": text}.get,
    )
    assert same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))
    assert same_organization(grouping, ("a.md", "parties", 1), ("b.md", "parties", 1))
    evidence = {e["rule"] for o in grouping.organizations for e in o["evidence"]}
    assert evidence == {"text", "same_name"}


def test_a_shorter_form_the_spans_quote_is_no_evidence() -> None:
    """"NASA" quoted inside "NASA Wallops" may be NASA itself: not taken as another name of the facility."""
    text = "NASA Wallops hosts it. NASA said."
    grouping = group_records(
        [
            record("a.md", [party("NASA Wallops", spans=[[0, 12], [23, 27]]), party("Aalto Works Oy")]),
            record("b.md", [party("NASA"), party("Brill Foundry")]),
        ],
        texts={"a.md": text}.get,
    )
    assert not same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        ("Department of Energy", "Energy Department", True),
        ("Nordvik", "Nordvik Pharma A/S", True),  # a company's short form
        ("Dalvik Robotics GmbH", "entreprise allemande Dalvik Robotics GmbH", True),
        ("Shell", "Qatar Shell", False),
        ("NASA", "NASA Wallops", False),  # no legal suffix: maybe a part of NASA
        ("Uzbekistan", "Ministry of Culture and Tourism of the Republic of Uzbekistan", False),  # a formal country name is no legal suffix
        ("Tsinghua", "Tsinghua University", True),  # the name without the word for its kind
        ("McLaren Racing", "McLaren Racing Team", True),
        ("University of Waikato", "University of Waikato Council", False),  # a body within it
        ("Batoi", "Batoi Lab", False),
        ("Indonesian Chamber of Commerce and Industry", "Indonesian Chamber of Industry and Commerce", False),
    ],
)
def test_two_names_in_one_record(first: str, second: str, merged: bool) -> None:
    grouping = group_records([record("a.md", [party(first), party(second)])])
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1)) is merged


def spans_of(name: str, text: str) -> list[list[int]]:
    """Every place ``text`` says ``name``, as the extractor quotes a name."""
    found, start = [], text.find(name)
    while start >= 0:
        found.append([start, start + len(name)])
        start = text.find(name, start + 1)
    return found


def in_text(text: str, *names: str) -> Grouping:
    """One record of ``text`` whose parties are ``names``, quoted wherever the text says them."""
    return group_records([record("a.md", [party(n, spans=spans_of(n, text)) for n in names])], texts={"a.md": text}.get)


@pytest.mark.parametrize(
    ("text", "longer", "short", "merged"),
    [
        ("Cedar Valley Medical Center signed. Cedar Valley Medical Center is a hospital.", "Cedar Valley Medical Center", "Cedar Valley Medical", True),
        ("The Ministry of Education of the Hashemite Kingdom of Jordan signed.", "Ministry of Education of the Hashemite Kingdom of Jordan", "Ministry of Education of the Hashemite Kingdom of", True),
        ("NASA Wallops hosts it. NASA said.", "NASA Wallops", "NASA", False),  # the text uses the short name alone
    ],
)
def test_a_name_the_extractor_cut_short_is_the_longer_name(text: str, longer: str, short: str, merged: bool) -> None:
    grouping = in_text(text, longer, short)
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1)) is merged
    if merged:
        assert {e["rule"] for o in grouping.organizations for e in o["evidence"]} == {"cut_short"}


def test_a_cut_name_is_that_organization_in_its_record_only() -> None:
    """"Ministry of Finance" cut from Ethiopia's ministry in one record is not another record's "Ministry of Finance"."""
    text = "The Ministry of Finance of the Federal Democratic Republic of Ethiopia signed."
    names = ["Ministry of Finance of the Federal Democratic Republic of Ethiopia", "Ministry of Finance"]
    grouping = group_records(
        [
            record("a.md", [party(n, spans=spans_of(n, text)) for n in names]),
            record("b.md", [party("Ministry of Finance"), party("Brill Foundry")]),
        ],
        texts={"a.md": text}.get,
    )
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1))
    assert not same_organization(grouping, ("a.md", "parties", 1), ("b.md", "parties", 0))


@pytest.mark.parametrize(
    "text",
    [
        "The Singapore Ministry of Law (“MinLaw”) signed. MinLaw will host it.",
        'The Singapore Ministry of Law ("MinLaw") signed. MinLaw will host it.',
        "The Singapore Ministry of Law ( « MinLaw » ) signed. MinLaw will host it.",
    ],
)
def test_a_short_name_the_text_defines_in_quotes_names_the_organization(text: str) -> None:
    grouping = in_text(text, "Singapore Ministry of Law", "MinLaw")
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1))


def test_a_name_whose_initials_are_the_acronym_its_record_defines_is_that_organization() -> None:
    grouping = group_records(
        [
            record(
                "a.md",
                [
                    party("Korean Institute of Startup and Entrepreneurship Development", "KISED"),
                    party("Korea Institute for Startup and Entrepreneurship Development"),
                    party("Korea Venture Investment Corporation", "KVIC"),
                ],
            )
        ]
    )
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1))
    assert not same_organization(grouping, ("a.md", "parties", 1), ("a.md", "parties", 2))


def test_a_name_without_its_kind_is_that_organization_in_its_record_only() -> None:
    """"Lincoln" beside "Lincoln University" is the university there; another record's "Lincoln" may be the city."""
    grouping = group_records(
        [
            record("a.md", [party("Lincoln University"), party("Lincoln")]),
            record("b.md", [party("Lincoln"), party("Brill Foundry")]),
            record("c.md", [party("Meridian Hydrogen"), party("Meridian Hydrogen Partners"), party("Meridian Hydrogen Group")]),
        ]
    )
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "parties", 1))
    assert not same_organization(grouping, ("a.md", "parties", 1), ("b.md", "parties", 0))
    assert not same_organization(grouping, ("c.md", "parties", 0), ("c.md", "parties", 1))  # two kinds: either


def test_a_hyphenated_kind_word_drops_whole() -> None:
    """"GreenFurrow" beside "GreenFurrow Co-operative": the kind word is two words once folded."""
    grouping = group_records([record("a.md", [party("GreenFurrow Co-operative"), party("Harlow Institute")], organizations=[party("GreenFurrow")])])
    assert same_organization(grouping, ("a.md", "parties", 0), ("a.md", "organizations", 0))


def test_other_organizations_are_resolved_with_the_parties() -> None:
    grouping = group_records(
        [
            record("a.md", [party("Aalto Works Oy"), party("Brill Foundry")], organizations=[party("Tagus Maritime Ltd")]),
            record("b.md", [party("Tagus Maritime"), party("Cobalt Labs")]),
        ]
    )
    assert same_organization(grouping, ("a.md", "organizations", 0), ("b.md", "parties", 0))


def test_an_analysts_parties_replace_the_extractors() -> None:
    corrected = record("a.md", [party("Inria Paris"), party("CAS")]).model_dump(mode="json")
    corrected["corrections"] = [{"field": "parties", "value": ["Inria", "Chinese Academy of Sciences"]}]
    grouping = group_records([AgreementRecord.model_validate(corrected), record("b.md", [party("INRIA"), party("Chinese Academy of Sciences", "CAS")])])
    assert same_organization(grouping, ("a.md", "parties", 0), ("b.md", "parties", 0))
    assert grouping.agreement_of["a.md"] == grouping.agreement_of["b.md"]


def test_the_canonical_name_is_the_most_used_full_name() -> None:
    grouping = group_records(
        [
            record("a.md", [party("Inria"), party("CAS")]),
            record("b.md", [party("INRIA"), party("CAS")], signed="2020-01-01"),
            record("c.md", [party("Inria"), party("CAS")], signed="2016-01-01"),
        ]
    )
    names = {o["name"]: o["names"] for o in grouping.organizations}
    assert names["Inria"] == ["INRIA", "Inria"]
    assert names["CAS"] == ["CAS"]


# --------------------------------------------------------------------------- agreements

PARTIES = [party("Inria"), party("Chinese Academy of Sciences", "CAS")]
REVERSED = [party("CAS"), party("INRIA")]


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        ({}, {}, True),
        ({"signed": "2024-05"}, {}, True),  # a month holds the day
        ({"signed": None, "published": "2024-05-06"}, {}, True),  # published four days after the signing
        ({"signed": None, "published": "2024-05-06"}, {"signed": None, "published": "2024-05-20"}, True),
        ({"signed": "2024-05-04"}, {}, True),  # two days apart: one signing, a conflict
        ({"kind": None}, {}, True),
        ({"kind": "other"}, {}, True),
        ({"signed": "2023-05-02"}, {}, False),  # a year apart: two signings
        ({"signed": "2024-06-02"}, {}, False),
        ({"kind": "letter_of_intent"}, {}, False),
        ({"signed": None, "published": "2024-09-01"}, {}, False),
        ({"signed": None}, {}, True),  # no date at all: the parties' only dated signing its type fits
        ({"signed": None, "kind": "letter_of_intent"}, {}, False),  # ... of another type
        ({"signed": None}, {"signed": None}, False),  # two undated records: nothing tells it is the same signing
    ],
)
def test_records_of_the_same_parties_join_when_type_and_dates_fit(first: dict[str, Any], second: dict[str, Any], together: bool) -> None:
    grouping = group_records([record("a.md", PARTIES, **first), record("b.md", REVERSED, **second)])
    assert (grouping.agreement_of["a.md"] == grouping.agreement_of["b.md"]) is together


@pytest.mark.parametrize(
    ("kind", "joins"),
    [
        ("framework_agreement", "c.md"),  # the one dated agreement of its type
        (None, None),  # fits both: it stays apart
        ("other", None),
    ],
)
def test_an_undated_record_joins_only_the_one_dated_agreement_it_fits(kind: str | None, joins: str | None) -> None:
    """A wire without a year ("SALTMERE, Aug 20 (Coastal Wire) - ... on Monday") beside the
    parties' letter of intent of 2022 and framework agreement of 2023."""
    grouping = group_records(
        [
            record("a.md", PARTIES, kind=kind, signed=None),
            record("b.md", REVERSED, kind="letter_of_intent", signed="2022-02-15"),
            record("c.md", PARTIES, kind="framework_agreement", signed="2023-10-09"),
        ]
    )
    together = [other for other in ("b.md", "c.md") if grouping.agreement_of[other] == grouping.agreement_of["a.md"]]
    assert together == ([joins] if joins else [])


def test_other_parties_make_another_agreement() -> None:
    grouping = group_records([record("a.md", PARTIES), record("b.md", [party("Inria"), party("Tsinghua University")])])
    assert grouping.agreement_of["a.md"] != grouping.agreement_of["b.md"]


def test_a_one_party_record_is_never_grouped() -> None:
    grouping = group_records([record("a.md", [party("Zambia")]), record("b.md", [party("Zambia")])])
    assert grouping.agreement_of["a.md"] != grouping.agreement_of["b.md"]


THREE = [party("Calder Valley University"), party("Ostmark Steel a.s."), party("Moravian Regional Development Agency", "MRDA")]


@pytest.mark.parametrize(
    ("partial", "more", "together"),
    [
        ([party("Calder Valley University"), party("MRDA")], {}, True),  # two of the three parties
        ([party("Ostmark Steel")], {}, True),  # one: the only agreement of that party on that day
        ([party("Calder Valley University"), party("MRDA")], {"signed": "2024-05-03"}, False),  # another day
        ([party("Calder Valley University"), party("MRDA")], {"signed": "2024-05"}, False),  # not a day
        ([party("Calder Valley University"), party("MRDA")], {"kind": "letter_of_intent"}, False),
        ([party("Calder Valley University"), party("MRDA")], {"kind": None}, False),
    ],
)
def test_a_record_naming_some_of_the_parties_joins_the_signing_of_them_all(
    partial: list[dict[str, Any]], more: dict[str, Any], together: bool
) -> None:
    grouping = group_records([record("a.html", THREE), record("b.txt", partial, **more)])
    assert (grouping.agreement_of["a.html"] == grouping.agreement_of["b.txt"]) is together
    if together:
        (agreement,) = grouping.agreements
        assert len(agreement["parties"]) == 3


def test_a_partial_record_two_signings_fit_joins_neither() -> None:
    """Calder Valley University signed with Ostmark and with another firm that day: a release naming only the university is either."""
    grouping = group_records(
        [record("a.html", THREE), record("c.md", [party("Calder Valley University"), party("Brill Foundry")]), record("b.txt", [party("Calder Valley University")])]
    )
    assert grouping.agreement_of["b.txt"] not in (grouping.agreement_of["a.html"], grouping.agreement_of["c.md"])


def test_conflicting_values_are_all_kept_and_flagged() -> None:
    grouping = group_records(
        [
            record("a.md", PARTIES, signed="2024-05-02", place="Paris"),
            record("b.md", REVERSED, signed="2024-05-03", place="paris"),
            record("c.md", PARTIES, signed="2024-05", place=None),
        ]
    )
    (agreement,) = grouping.agreements
    assert agreement["records"] == ["a.md", "b.md", "c.md"]
    assert agreement["conflicts"] == ["signing_date"]  # "Paris" and "paris" agree, "2024-05" holds both days
    assert agreement["signing_date"] == [
        {"value": "2024-05", "precision": "month", "records": ["c.md"]},
        {"value": "2024-05-02", "precision": "day", "records": ["a.md"]},
        {"value": "2024-05-03", "precision": "day", "records": ["b.md"]},
    ]
    assert [p["name"] for p in agreement["parties"]] == ["Chinese Academy of Sciences", "Inria"]


def test_records_that_report_no_agreement_are_in_no_agreement() -> None:
    grouping = group_records([record("a.md", [], kind=None, signed=None)])
    assert grouping.agreements == [] and grouping.agreement_of == {}


def test_the_result_does_not_depend_on_the_order_of_the_records() -> None:
    records = [
        record("a.md", PARTIES),
        record("b.md", REVERSED, signed="2024-05-03"),
        record("c.md", [party("LIT"), party("Inria")], signed="2021-02-02"),
        record("d.md", [party("Lusitania Institute of Technology", "LIT"), party("INRIA")], signed="2021-02-02"),
    ]
    assert group_records(records) == group_records(records[::-1])


def test_grouping_compares_only_records_of_the_same_parties(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocking: 3,000 records over 1,000 pairs of parties make at most a few comparisons per record, not n²."""
    calls = 0
    compatible = grouping_module._compatible

    def counted(a: Any, b: Any) -> bool:
        nonlocal calls
        calls += 1
        return compatible(a, b)

    monkeypatch.setattr(grouping_module, "_compatible", counted)
    records = [
        record(f"{n:04d}-{source}.md", [party(f"Firm {n} Ltd"), party(f"Lab {n}")], signed=f"20{10 + n % 10}-0{1 + n % 9}-1{source}")
        for n in range(1000)
        for source in range(3)
    ]
    grouping = group_records(records)
    assert len(grouping.agreements) == 1000
    assert calls <= 3 * len(records)


# --------------------------------------------------------------------------- the run's files


def test_name_key_drops_what_does_not_tell_two_names_apart() -> None:
    assert name_key("The Boeing Company") == name_key("boeing") == "boeing"
    assert name_key("L'Université de Valromey") == "universite de valromey"


def _run_folder(tmp_path: Path) -> Path:
    records = [record("a.md", PARTIES), record("b.md", REVERSED, signed="2024-05-03"), record("c.md", [party("Solo Ltd")])]
    lines = [json.dumps(r.model_dump(mode="json"), ensure_ascii=False) for r in records]
    lines.append(json.dumps({"id": "broken.txt", "source": {"path": "broken.txt"}, "error": {"type": "empty", "message": "broken.txt: no text"}}))
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / RECORDS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_write_groups_gives_the_same_bytes_every_time(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path)
    write_groups(folder)
    first = [(folder / name).read_bytes() for name in (ORGANIZATIONS, AGREEMENTS)]
    write_groups(folder)
    assert [(folder / name).read_bytes() for name in (ORGANIZATIONS, AGREEMENTS)] == first
    agreements = [json.loads(line) for line in first[1].decode("utf-8").splitlines()]
    assert [a["records"] for a in agreements] == [["a.md", "b.md"], ["c.md"]]
    assert agreements[0]["conflicts"] == ["signing_date"]


def test_the_sqlite_export_holds_the_grouping(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path / "run")
    export(folder, tmp_path / "run.sqlite")
    database = sqlite3.connect(tmp_path / "run.sqlite")
    try:
        assert database.execute("PRAGMA foreign_key_check").fetchall() == []
        sources = database.execute(
            "SELECT g.signing_date, g.conflicts, COUNT(*) FROM grouped_agreements g JOIN grouped_agreement_sources s USING (group_id) "
            "GROUP BY g.group_id ORDER BY COUNT(*) DESC"
        ).fetchall()
        assert sources == [("2024-05-02; 2024-05-03", "signing_date", 2), ("2024-05-02", None, 1)]
        partners = database.execute(
            "SELECT DISTINCT c.name FROM organization_mentions m JOIN canonical_organizations c USING (canonical_id) ORDER BY c.name"
        ).fetchall()
        assert partners == [("Chinese Academy of Sciences",), ("Inria",), ("Solo Ltd",)]
    finally:
        database.close()


def test_a_record_that_does_not_validate_is_left_out_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = _run_folder(tmp_path)
    with (folder / RECORDS).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "odd.md", "source": {"path": "odd.md"}, "parties": "not a list"}) + "\n")
    grouping = write_groups(folder)
    assert "odd.md" not in grouping.agreement_of and "a.md" in grouping.agreement_of
    assert "odd.md: not grouped" in caplog.text


def test_the_review_page_draws_canonical_organizations_and_grouped_agreements(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path)
    records = list(load_run(folder))
    data = report_data(records, SourceTexts([], DEFAULT_MAX_BYTES, folder), None, group_run(folder, records))
    a, b, c = data["records"]
    assert a["party_ids"] == b["party_ids"][::-1]  # "Inria", "CAS" and "CAS", "INRIA": the same two nodes
    assert [data["organizations"][i] for i in a["party_ids"]] == [["Inria", None], ["Chinese Academy of Sciences", "CAS"]]
    assert a["agreement"] == b["agreement"] and c["agreement"] is None  # one agreement drawn once, c alone
    assert data["agreements"] == {a["agreement"]: {"records": ["a.md", "b.md"], "conflicts": ["signing_date"]}}
