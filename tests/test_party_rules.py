"""Party rules on short announcements: who the signatories are, whatever the parser made of the sentence.

``test_party_names`` checks what the rules name (evidence the learned decision weighs); the
other tests check the record, after the decision."""

from __future__ import annotations

import pytest

from pathlib import Path
from typing import Any

from checks import captioned_page, extract_valid, party_candidates, rule_parties
from pipeline import Extractor
from pipeline.rules import load_rules
from pipeline.stages.organizations import OrgIndex, acronym_definitions, legal_form, organisation_names, word_occurrences


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # the pronoun subject of a reported clause is the reporting subject
        ("Acme Corp today announced that it has signed a memorandum of understanding with Beta Group.", ["Acme Corp", "Beta Group"]),
        ("Acme Corp said it signed a memorandum of understanding with Beta Group.", ["Acme Corp", "Beta Group"]),
        ("Acme Corp is pleased to announce that it has signed a memorandum of understanding with Beta Group.", ["Acme Corp", "Beta Group"]),
        ("Acme Corp and Beta Group said they signed an MoU.", ["Acme Corp", "Beta Group"]),
        # a dateline is not the subject, wire-service dashes included
        ("COPENHAGEN, Denmark--(BUSINESS WIRE)--Acme A/S and Beta Corp signed a memorandum of understanding.", ["Acme A/S", "Beta Corp"]),
        # "the renewed agreement was signed by": the participle is not the signing
        ("The renewed agreement was signed yesterday in Melbourne by Acme University and Beta Health.", ["Acme University", "Beta Health"]),
        ("Nairobi, Kenya – Acme Corp and Beta Group yesterday signed an MoU to build roads.", ["Acme Corp", "Beta Group"]),
        ("Nairobi – Acme Corp and Beta Group signed an MoU.", ["Acme Corp", "Beta Group"]),
        # lists of three, however the parser hung them
        (
            "Samsung Biologics, Merck KGaA and Seoul National University signed a cooperation agreement.",
            ["Samsung Biologics", "Merck KGaA", "Seoul National University"],
        ),
        # a title marks a person, even in a list of organisations
        (
            "The agreement was signed by Dean Erdenechuluun Tumur of the Mongolian University of Life Sciences"
            " and Dean Li Gucheng of Huazhong Agricultural University.",
            ["Mongolian University of Life Sciences", "Huazhong Agricultural University"],
        ),
        ("Professor Jane Doe and Acme University signed an MoU.", ["Acme University"]),
        # a second agreement's partners are not the main one's, unless the main one names none
        (
            "Bluewave Capital LLC has signed a memorandum of understanding with the City of Rotterdam,"
            " and a letter of intent with Siemens Energy AG.",
            ["Bluewave Capital LLC", "City of Rotterdam"],
        ),
        ("Acme Corp signed an MoU and a cooperation agreement with Beta Group.", ["Acme Corp", "Beta Group"]),
        # a list only continues in the signing clause
        ("An MoU was signed by Acme Corp and Beta Group, ABC News reported.", ["Acme Corp", "Beta Group"]),
        # a name continued after a comma of its own list of fields, not a list of organisations
        (
            "The University of Melbourne has signed an MoU with the Indonesian Ministry of Education, Culture, Research and Technology.",
            ["University of Melbourne", "Indonesian Ministry of Education, Culture, Research and Technology"],
        ),
        (
            "Acme University signed an MoU with the Ministry of Education, Beta Technology and Gamma Group.",
            ["Acme University", "Ministry of Education", "Beta Technology", "Gamma Group"],
        ),
        # two names NER ran together split where the second starts, not inside one name
        ("The Ministry of Defence and Acme Corp signed a contract.", ["Ministry of Defence", "Acme Corp"]),
        (
            "The Ministry of ICT and Innovation and Beta Ltd signed a memorandum of understanding.",
            ["Ministry of ICT and Innovation", "Beta Ltd"],
        ),
        (
            "The Ministry of Culture and Tourism and Beta Ltd signed a memorandum of understanding.",
            ["Ministry of Culture and Tourism", "Beta Ltd"],
        ),
        (
            "The Ministry of Industry and Information Technology and Acme Corp signed an MoU.",
            ["Ministry of Industry and Information Technology", "Acme Corp"],
        ),
        ("Acme Corp and Research and Development Ltd signed a contract.", ["Acme Corp", "Research and Development Ltd"]),
        (
            "The Ministry of Defence of the Republic of Indonesia and Nordhavn Naval Yards A/S signed a contract.",
            ["Ministry of Defence of the Republic of Indonesia", "Nordhavn Naval Yards A/S"],
        ),
        # a headline's shorter name is completed by the body's acronym definition
        (
            "Ministry of ICT and Innovation signs MoU with Beta Ltd\n\n"
            "The Ministry of ICT and Innovation (MINICT) and Beta Ltd signed a memorandum of understanding.",
            ["Ministry of ICT and Innovation", "Beta Ltd"],
        ),
        # a possessive name of an institution
        ("St Aidan's Hospital and Beta Ltd signed a partnership agreement.", ["St Aidan's Hospital", "Beta Ltd"]),
        # names without an institution word, which the parser reads as a clause
        (
            "Learning Without Borders and the Orbitel Foundation signed a letter of intent.",
            ["Learning Without Borders", "Orbitel Foundation"],
        ),
        ("Save the Children and Acme Corp signed a partnership agreement.", ["Save the Children", "Acme Corp"]),
        # an apposition describing a listed name is no item of the list
        (
            "Learning Without Borders, an international education NGO, and the Orbitel Foundation have signed a letter of intent.",
            ["Learning Without Borders", "Orbitel Foundation"],
        ),
        # a dateline without a date
        ("KINGSTON — Acme Corp and Beta Ltd signed a contract.", ["Acme Corp", "Beta Ltd"]),
        ("Kingston — Acme Corp and Beta Ltd signed a contract.", ["Acme Corp", "Beta Ltd"]),
        ("Amman – Save the Children Jordan and the Ministry of Education signed an MoU.", ["Save the Children Jordan", "Ministry of Education"]),
        # the parser made the first name the root and the verb its conjunct
        (
            "Dar es Salaam, 9 October 2024 – Air Tanzania Company Limited (ATCL) and Turkish Airlines signed a codeshare agreement today.",
            ["Air Tanzania Company Limited", "Turkish Airlines"],
        ),
        # an embassy's or a chamber's name goes on with the place it is in
        ("The Embassy of Japan in Ghana and UGMC signed a contract in Accra.", ["Embassy of Japan in Ghana", "UGMC"]),
        (
            "The American Chamber of Commerce in Egypt and the Egyptian Exporters Association signed a letter of intent.",
            ["American Chamber of Commerce in Egypt", "Egyptian Exporters Association"],
        ),
        # a unit's name goes on with the institution it is at; a person's unit stands for it
        (
            "The Department of Physics at the University of Eldermere signed a memorandum of understanding with Meridian Labs.",
            ["Department of Physics at the University of Eldermere", "Meridian Labs"],
        ),
        ("Beta Ltd signed an agreement with the Department of Chemistry at Lincoln University on Monday.", ["Beta Ltd", "Department of Chemistry at Lincoln University"]),
        ("Dean Jane Smith of the College of Engineering at Yale University signed the agreement with Beta Ltd.", ["Yale University", "Beta Ltd."]),
        # the next list item hung on the last word of a name NER missed
        ("The Embassy of Japan and UGMC signed a contract.", ["Embassy of Japan", "UGMC"]),
        ("The Port of Rotterdam and Oman Oil signed a memorandum of understanding.", ["Port of Rotterdam", "Oman Oil"]),
        # "&" inside a company's name
        (
            "Gulfstar Renewable Fuels LLC and Kessler Engineering & Construction Co. signed a partnership agreement.",
            ["Gulfstar Renewable Fuels LLC", "Kessler Engineering & Construction Co."],
        ),
        # an acronym the tagger calls a common noun; an institution NER calls a place
        ("CSIRO and ICAR signed a partnership agreement.", ["CSIRO", "ICAR"]),
        (
            "A memorandum of understanding was signed today by the Port of Rotterdam Authority and the Special Economic Zone Authority at Duqm.",
            ["Port of Rotterdam Authority", "Special Economic Zone Authority at Duqm"],
        ),
        # a dateline before a colon, and a description of a party in the list
        (
            "New Delhi, 20/09/2024: The Bureau of Indian Standards (BIS), the national standards body of India under the"
            " Ministry of Consumer Affairs, and Standards Australia (SA) signed a memorandum of understanding.",
            ["Bureau of Indian Standards", "Standards Australia"],
        ),
        # a description before the name is not part of it
        (
            "Danish wind energy company Vestergaard Wind A/S and the Government of Maharashtra sealed a memorandum of understanding.",
            ["Vestergaard Wind A/S", "Government of Maharashtra"],
        ),
        # the partners of the signing, not of what the contract is about
        (
            "A contract for a ferry service between Muscat and Khasab was signed between the Ministry of Transport and Gulf Ferries LLC."
            " The contract was signed at the Ministry's office in Muscat.",
            ["Ministry of Transport", "Gulf Ferries LLC"],
        ),
        # a description named by its apposition is no party
        (
            "Australia's national science agency, the Commonwealth Scientific and Industrial Research Organisation (CSIRO),"
            " and the Indian Council of Agricultural Research (ICAR) have renewed a partnership agreement.",
            ["Commonwealth Scientific and Industrial Research Organisation", "Indian Council of Agricultural Research"],
        ),
        # a dateline in capitals before a colon
        ("DOHA: The Asian Table Tennis Union and the Qatar Olympic Committee signed a cooperation agreement.", ["Asian Table Tennis Union", "Qatar Olympic Committee"]),
        # a name NER cut before a further field or the country it is of
        (
            "Acme Corp and the Ministry of Foreign Affairs and Human Mobility of Ecuador signed a cooperation agreement.",
            ["Acme Corp", "Ministry of Foreign Affairs and Human Mobility of Ecuador"],
        ),
        (
            "The Ministry of Agriculture and Livestock Development of Kenya and the Food and Agriculture Organization"
            " of the United Nations (FAO) have signed a letter of intent.",
            ["Ministry of Agriculture and Livestock Development of Kenya", "Food and Agriculture Organization of the United Nations"],
        ),
        # ministers under their titles are persons, not parties
        ("Estonian Minister of Defence Hanno Pevkur-Saar and Latvian Minister of Defence Ināra Mūrniece-Kalniņa signed a framework agreement.", []),
        # a title NER calls an organisation is an office, and a name with a title after it a person:
        # neither the minister, her office nor the company's head is named
        (
            "Le 14 décembre 2021, Elisabeth Borne, ministre du Travail, et Alexandre Viros, président France du groupe"
            " Adecco, ont signé une convention de partenariat.",
            [],
        ),
        # a wire's dateline ("(Reuters)") is no party, and the signatory the parser hung on its date is one
        (
            "LONDON, Aug 20 (Reuters) - Dunmore Freight signed a memorandum of understanding with the Port of Bristol Authority on Monday.",
            ["Dunmore Freight", "Port of Bristol Authority"],
        ),
        # an earlier agreement's participle ("the letter of intent signed last year") is not the sentence's signing
        (
            "Building on the letter of intent signed last year, the Kestrel Institute of Agriculture and the Meadowbank"
            " Co-operative signed a framework agreement on 9 October 2023.",
            ["Kestrel Institute of Agriculture", "Meadowbank Co-operative"],
        ),
        # a hyphenated name the tokenizer split, whichever piece the parser made the subject
        (
            "The Meadowbank Co-operative announced that it has signed a framework agreement with the Kestrel Institute of Agriculture.",
            ["Meadowbank Co-operative", "Kestrel Institute of Agriculture"],
        ),
        # a slot's organisation name keeps its lower-case words
        ("La Caisse nationale d'allocations familiales et l'Institut Bolt ont signé une convention.", ["Caisse nationale d'allocations familiales", "Institut Bolt"]),
    ],
)
def test_party_names(extractor: Extractor, text: str, parties: list[str], tmp_path: Path) -> None:
    assert rule_parties(extractor, text, tmp_path) == parties


@pytest.mark.parametrize(
    ("language", "text", "refused", "kept"),
    [
        # the fields of a minister's portfolio, after their prepositions, are her office
        (
            "fr",
            "Élisabeth Borne, ministre du Travail, de l'Emploi et de l'Insertion, et Alexandre Viros, président du groupe"
            " Adecco, ont signé une convention de partenariat.",
            {"Insertion", "Emploi", "Travail"},
            set(),
        ),
        # a name after "et" has no preposition: no field of the portfolio before it
        ("fr", "La ministre de la Culture, et l'Institut Pasteur ont signé un accord.", set(), {"Institut Pasteur"}),
        ("en", "Dr Tran Van Thuan, Deputy Minister of Health of Viet Nam, and Acme Corp signed an MoU.", {"Health of Viet Nam"}, {"Acme Corp"}),
        (
            "en",
            "The MoU was signed by Mark Harbers, Minister of Infrastructure and Water Management, and Acme Corp.",
            {"Infrastructure and Water Management"},
            {"Acme Corp."},
        ),
        # an organisation after a title's preposition is no field
        ("en", "The MoU was witnessed by the Minister of the Singapore Ministry of Law.", set(), {"Singapore Ministry of Law"}),
    ],
)
def test_fields_of_a_portfolio_are_no_organisations(extractor: Extractor, language: str, text: str, refused: set[str], kept: set[str]) -> None:
    names = {n.text for n in organisation_names(extractor.pipeline(language)(text), load_rules(language))}
    assert not names & refused and kept <= names


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        # a term the text defines for the parties
        (
            "La Commission canadienne de sûreté nucléaire (CCSN) et la Nuclear Regulatory Commission (NRC), appelées ci-après"
            " les Participantes, ont signé un protocole d'entente. Les Participantes échangeront des renseignements.",
            "Participantes",
        ),
        # a scheme named after a programme noun, wherever else the text names it
        (
            "Le ministère du Travail a signé une convention avec le groupe Manpower dans le cadre du dispositif Transitions"
            " collectives. Transitions collectives aide les salariés.",
            "Transitions collectives",
        ),
    ],
)
def test_defined_terms_and_schemes_are_no_party_candidates(extractor: Extractor, text: str, refused: str, tmp_path: Path) -> None:
    assert refused not in [c.name for c in party_candidates(extractor, text, tmp_path)]


@pytest.mark.parametrize(
    ("text", "defined"),
    [
        # a name NER cut before its lower-case complement goes on up to its short form
        (
            "La Cnaf et l'Institut national de recherche en sciences et technologies du numérique (Inria) ont signé une convention.",
            {"Inria": "Institut national de recherche en sciences et technologies du numérique"},
        ),
        # a short form after a spaced dash, spelled by the name's initials
        ("Gaston de Souza, CEO de La Générale Des Assurances Du Bénin - GAB, a signé l'accord.", {"GAB": "Générale Des Assurances Du Bénin"}),
        # a name in apposition to the short form its initials open
        (
            "JCI Madagascar a signé un protocole d'accord avec MaSAE, le réseau Madagascar Structures d'Accompagnement.",
            {"MaSAE": "Madagascar Structures d'Accompagnement"},
        ),
        # a name whose initials do not run through the short form is another organisation
        ("L'accord lie le CNRS, l'Institut Pasteur et l'Inserm.", {}),
    ],
)
def test_french_short_forms_define_their_names(extractor: Extractor, text: str, defined: dict[str, str]) -> None:
    found = {short: full.text for short, full in acronym_definitions(extractor.pipeline("fr")(text), load_rules("fr")).items()}
    assert found == defined


def test_a_mention_opening_with_a_defined_name_takes_all_of_it(extractor: Extractor) -> None:
    text = (
        "La Commission canadienne de sûreté nucléaire (CCSN) est l'organisme de réglementation. La Commission"
        " canadienne de sûreté nucléaire a signé un accord avec la Nuclear Regulatory Commission."
    )
    names = [n.text for n in organisation_names(extractor.pipeline("fr")(text), load_rules("fr"))]
    assert names.count("Commission canadienne de sûreté nucléaire") == 2 and "Commission" not in names


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "A framework agreement was signed by the European Space Agency (ESA), the Japan Aerospace Exploration Agency (JAXA)"
            " and the Canadian Space Agency (CSA).",
            [("European Space Agency", "ESA"), ("Japan Aerospace Exploration Agency", "JAXA"), ("Canadian Space Agency", "CSA")],
        ),
        # a mixed-case short form whose letters run through the name in order
        ("Orsted and Taiwan Power Company (Taipower) signed an MoU.", [("Orsted", None), ("Taiwan Power Company", "Taipower")]),
        # a bracketed place abbreviates nothing
        ("Acme AS (Norway) and Beta Ltd signed an MoU.", [("Acme AS", None), ("Beta Ltd", None)]),
        # an acronym with a non-letter, after a name NER cut at its preposition
        (
            "Fraunhofer ISE and the Agency for Science, Technology and Research (A*STAR) entered into a framework agreement.",
            [("Fraunhofer ISE", None), ("Agency for Science, Technology and Research", "A*STAR")],
        ),
    ],
)
def test_party_acronyms(extractor: Extractor, text: str, parties: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.acronym) for p in extract_valid(extractor, text).parties] == parties


def test_a_short_form_groups_its_mentions(extractor: Extractor) -> None:
    text = "Orsted and Taiwan Power Company (Taipower) signed an MoU. Taipower will build the grid."
    taipower = extract_valid(extractor, text).parties[1]
    assert [text[s:e] for s, e in taipower.spans] == ["Taiwan Power Company", "Taipower", "Taipower"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # a city NER calls a person or an organisation
        ("The bank and the ministry signed a framework agreement in Dakar on 25 November 2024.", "Dakar"),
        ("Acme Corp and Beta Ltd signed a letter of intent in Vilnius on 4 March 2025.", "Vilnius"),
        ("Acme Corp and Beta Ltd signed a contract in N'Djamena.", "N'Djamena"),
        # a city of several words inside a venue phrase
        ("DUMT and GNUH renewed their cooperation agreement at a ceremony in Da Nang on 11 October 2024.", "Da Nang"),
        # a person's or an organisation's name is no place
        ("The bank and the ministry signed a framework agreement in Dakar. Amadou Dakar, the mayor, welcomed it.", None),
        ("Acme Corp and Beta Ltd signed an agreement at Gamma. Gamma is a bank.", None),
        ("Acme Corp and Beta Ltd signed an agreement in the presence of Jane Doe.", None),
        # the city before the venue; a place in a signatory's name or in what the agreement is about is not where
        ("Acme Corp and Beta Ltd signed a memorandum of understanding at the Great Hall in Leeds.", "Leeds"),
        ("The Embassy of Denmark in Ghana and Beta Ltd signed a joint declaration.", None),
        ("Acme A/S and Beta Corp signed a framework agreement for the supply of up to 2 GWh of battery storage to wind parks in Denmark.", None),
        ("Acme A/S and Beta Corp sealed an MoU for a blade plant at the Butibori industrial area in Nagpur.", None),
        # a city inside the venue's phrase or after its name, NER's facility or not
        ("The agreement was signed by Acme Corp and Beta Ltd on 29 January at the ESS campus in Lund.", "Lund"),
        ("Acme Corp and Beta Ltd signed a memorandum of understanding at Manak Bhawan, New Delhi.", "New Delhi"),
        # a venue gives way to the place its name begins with, or to the dateline's city
        ("Turku, Finland — Acme Corp and Beta Ltd signed a joint declaration at Turku City Hall today.", "Turku"),
        (
            "Yogyakarta – Acme University and Beta University have formalised a cooperation agreement.\n\n"
            "The agreement was signed on Monday at the Balai Senat by the rectors of both universities.",
            "Yogyakarta",
        ),
        # where a signatory works is not where they signed
        (
            "The agreement was signed by Mr Hassan Al Mansoori, Undersecretary at MoEI, and Mr Park Ji-hoon, President of Hanbit Marine.",
            None,
        ),
    ],
)
def test_signing_place_names(extractor: Extractor, text: str, place: str | None) -> None:
    found = extract_valid(extractor, text).signing_place
    assert (found.value if found else None) == place


@pytest.mark.parametrize(
    "caption",
    [
        # a party's longer spelling ("... de la République de Corée" under the photo)
        "Jane Roe of Acme Corp and Ola Nordmann of Bolt Group Norway Holdings",
        # a signing said under the photo, with an organisation the prose never names
        "Acme Corp and Zeta Institute signed a memorandum of understanding in Bergen on 2 May 2023.",
        # an acronym only the caption defines
        "Jane Roe, president of the Acme Corp (AC), at the signing",
    ],
)
def test_a_figure_caption_changes_no_party_candidate(extractor: Extractor, tmp_path: Path, caption: str) -> None:
    """Parties keep to the prose: a caption brings no candidate, mention, name or signing clause."""

    def analysed(caption: str | None) -> tuple[list[tuple], Any]:
        _, context = extractor.analyse_file(captioned_page(tmp_path, caption))
        return [(c.name, c.acronym, c.spans, c.features) for c in context.proposals["parties"].candidates], context

    plain, _ = analysed(None)
    captioned, context = analysed(caption)
    assert context.document.captions
    assert captioned == plain
    assert all(c.sentence.start_char < context.document.captions[0].start for c in context.clauses)


@pytest.mark.parametrize(
    ("text", "needle", "options", "expected"),
    [
        ("Acme and Acme Corp; Acmes", "Acme", {}, [0, 9]),  # "Acmes" goes on: no word of its own
        ("xAcme Acme", "Acme", {}, [6]),
        ("ACME Ltd and acme ltd", "Acme", {"ignore_case": True, "word_end": False}, [0, 13]),
        ("Acme Acme", "Acme", {"start": 1}, [5]),
        ("İstanbul Acme", "acme", {"ignore_case": True}, [9]),  # "İ" lower-cases to two characters
        ("A A A", "A A", {}, [0]),  # non-overlapping, as re.finditer
    ],
)
def test_word_occurrences_find_what_a_bounded_pattern_finds(text: str, needle: str, options: dict[str, Any], expected: list[int]) -> None:
    assert word_occurrences(text, needle, **options) == expected


def test_the_signing_of_the_main_clause_outranks_an_earlier_agreements_participle(extractor: Extractor) -> None:
    record = extract_valid(
        extractor,
        "Building on the letter of intent signed last year, the Kestrel Institute of Agriculture and the Meadowbank"
        " Co-operative signed a five-year framework agreement on 9 October 2023 in Harlow.",
    )
    assert record.agreement_type is not None and record.agreement_type.value == "framework_agreement"
    assert record.signing_date is not None and record.signing_date.value == "2023-10-09"


TITLED = (
    "The Kestrel Institute of Agriculture and the Meadowbank Trust signed a framework agreement."
    " The agreement was signed by Professor Ruth Bellamy, Director of the Institute, and Tom Whitlock, Chair of Meadowbank."
)


def test_a_kind_word_alone_is_the_one_name_it_heads_and_a_titled_person_no_candidate(extractor: Extractor, tmp_path: Path) -> None:
    """"the Institute" is the Kestrel Institute of Agriculture (its mentions that institute's, each once);
    "Tom Whitlock, Chair of ..." is a person whatever list he stands in."""
    candidates = {c.name: c for c in party_candidates(extractor, TITLED, tmp_path)}
    assert "Institute" not in candidates and "Tom Whitlock" not in candidates
    institute = candidates["Kestrel Institute of Agriculture"]
    assert [TITLED[s:e] for s, e in institute.spans] == ["Kestrel Institute of Agriculture", "Institute"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # two institutes: "the Institute" says not which
        ("The Kestrel Institute and the Harlow Institute signed an MoU. The Institute will host it.", "Institute"),
        # names completing one another are one
        ("The Harlow Institute signed an MoU with Acme Corp. The Harlow Institute of Agriculture and the Institute will host it.", "Harlow Institute of Agriculture"),
    ],
)
def test_a_kind_word_alone_names_only_one_organisation(extractor: Extractor, text: str, name: str) -> None:
    doc = extractor.pipeline("en")(text)
    rules = load_rules("en")
    index = OrgIndex(doc, rules)
    word = next(t for t in reversed(doc) if t.text == "Institute")
    assert index.canonical(doc[word.i : word.i + 1])[0] == name


def test_a_legal_suffix_is_a_whole_word() -> None:
    """The "Co" of "Meadowbank Co-operative" is no legal suffix; "Co." is one."""
    rules = load_rules("en")
    assert legal_form("Meadowbank", "The Meadowbank Co-operative signed.", rules) is None
    assert legal_form("Meadowbank", "Meadowbank Co. signed.", rules) == "Meadowbank Co."
