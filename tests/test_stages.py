"""One rule, one short announcement: each stage's rules on sentences that exercise them."""

from __future__ import annotations

from datetime import date

import pytest

from checks import extract_valid
from pipeline import Extractor
from pipeline.date_ruler import DATE_SPANS, date_patterns
from pipeline.rules import load_rules
from pipeline.windows import head_windows
from pipeline.stages.views import longest_spans


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Acme University and Bolt Institute signed a memorandum of understanding on Monday.", "memorandum_of_understanding"),
        ("Acme University and Bolt Institute signed an MoU on robotics.", "memorandum_of_understanding"),
        ("Acme University and Bolt Institute signed an MoU.", "memorandum_of_understanding"),  # "MoU." is two tokens
        ("Acme University and Bolt Institute signed a framework agreement in Oslo.", "framework_agreement"),
        ("Acme Corp and Bolt Ltd have entered into a partnership agreement.", "partnership_agreement"),
        ("The two ministries signed a letter of intent on water research.", "letter_of_intent"),
        ("Acme University signed an agreement with Bolt Institute. The memorandum of understanding was signed by both rectors.", "memorandum_of_understanding"),
        ("Acme Corp today announced a partnership agreement with Bolt Ltd. The agreement was signed in Delft.", "partnership_agreement"),
        ("Acme University and Bolt Institute signed a cooperation agreement.", "cooperation_agreement"),
        # the kind from the head's modifiers, in either order, by lemma (plurals, title case)
        ("Acme University and Bolt Institute signed an agreement of cooperation.", "cooperation_agreement"),
        ("Acme University and Bolt Institute signed agreements on cooperation in robotics.", "cooperation_agreement"),
        ("Acme University and Bolt Institute signed a cooperative agreement.", "cooperation_agreement"),
        ("Acme University and Bolt Institute signed two collaborative agreements.", "cooperation_agreement"),
        ("Acme University and Bolt Institute Sign Cooperation Agreements", "cooperation_agreement"),
        ("Acme University and Bolt Institute signed a memorandum of cooperation.", "memorandum_of_understanding"),
        ("Acme University and Bolt Institute signed a framework agreement on research cooperation.", "framework_agreement"),
        ("Acme Corp and Bolt Ltd signed a partnership contract.", "partnership_agreement"),
        ("Acme Corp and Bolt Ltd signed licensing agreements.", "contract"),
        ("Acme Corp and Bolt Ltd signed a teaming agreement.", "other"),
        ("Acme University signed a memorandum of agreement with Bolt Institute.", "other"),
        ("Acme University and Bolt Institute signed a joint declaration of intent.", "joint_declaration"),
        ("L'université Acme et l'institut Bolt ont signé deux accords de coopération.", "cooperation_agreement"),
        ("L'université Acme et l'institut Bolt ont signé un accord de partenariat.", "partnership_agreement"),
        ("L'université Acme et l'institut Bolt ont signé une convention-cadre.", "framework_agreement"),
        ("L'université Acme et l'institut Bolt ont signé un contrat-cadre.", "framework_agreement"),
        ("L'université Acme et l'institut Bolt ont signé un protocole d'accord.", "memorandum_of_understanding"),
        ("L'université Acme et l'institut Bolt ont signé un protocole de coopération.", "cooperation_agreement"),
        ("L'université Acme et l'institut Bolt ont signé une déclaration d'intention commune.", "joint_declaration"),
        ("L'université Acme et l'institut Bolt ont signé des lettres d'intention.", "letter_of_intent"),
        # a definite mention refers back to the fuller one before it
        ("Acme University and Bolt Institute signed a memorandum of understanding. The agreement's terms run for five years.", "memorandum_of_understanding"),
        ("La France et l'Allemagne annoncent une déclaration d'intention commune.\n\nLes ministres ont signé cette déclaration d'intention à Berlin.", "joint_declaration"),
    ],
)
def test_agreement_type(extractor: Extractor, text: str, kind: str) -> None:
    assert extract_valid(extractor, text).agreement_type.value == kind


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("Memorandum of understanding signed", [("Memorandum of understanding", "memorandum_of_understanding")]),
        ("They signed an agreement on cooperation", [("agreement on cooperation", "cooperation_agreement")]),
        # two heads a few words apart: their windows merge, each phrase is found once
        ("A framework agreement and a cooperation agreement were signed.", [("framework agreement", "framework_agreement"), ("cooperation agreement", "cooperation_agreement")]),
        ("No such thing was signed.", []),
    ],
)
def test_agreement_phrases_at_the_edges_and_side_by_side(extractor: Extractor, text: str, phrases: list[tuple[str, str]]) -> None:
    """The component matches only around head words: a phrase at the text's start or end, or
    beside another, is found whole, once."""
    assert [(s.text, s.label_) for s in longest_spans(extractor.nlp(text), "agreements")] == phrases


@pytest.mark.parametrize(
    ("heads", "windows"),
    [([], []), ([0], [(0, 3)]), ([5], [(3, 8)]), ([5, 7], [(3, 10)]), ([2, 9], [(0, 5), (7, 10)]), ([9], [(7, 10)])],
)
def test_head_windows_cover_every_phrase_once(heads: list[int], windows: list[tuple[int, int]]) -> None:
    assert head_windows(heads, (2, 2), 10) == windows


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Signed on Tuesday, 5 April 2018 in Paris; renewed 03/04/2022, 2022/04/03 and 2023-05-12T10:00."),
        ("en", "May 2019: the deal of 19-12-2023 (1st May) replaces the one of yesterday and June 7, 2020"),
        ("en", "12 May"),
        ("fr", "Signé le mardi 5 avril 2018 à Paris, renouvelé le 1er mai 2019, le 3.4.22 et aujourd'hui."),
    ],
)
def test_date_ruler_finds_what_a_span_ruler_finds_over_the_whole_doc(extractor: Extractor, language: str, text: str) -> None:
    """The windowed matcher misses no date a SpanRuler with the same patterns finds."""
    nlp = extractor.pipeline(language)
    whole = nlp.add_pipe("span_ruler", name="whole_doc_dates", config={"spans_key": "whole_doc_dates"})
    try:
        whole.add_patterns([{"label": "DATE", "pattern": pattern} for pattern in date_patterns(load_rules(language))])
        doc = nlp(text)
        expected = [(s.start, s.end) for s in doc.spans["whole_doc_dates"]]
        assert expected and [(s.start, s.end) for s in doc.spans[DATE_SPANS]] == expected
    finally:
        nlp.remove_pipe("whole_doc_dates")


@pytest.mark.parametrize(
    "text",
    [
        "Acme University is in agreement with Bolt Institute on the new timetable.",
        "Acme University, in close partnership with Bolt Institute, reopened its library on 3 May 2021.",
        "Acme University announced a cooperation with Bolt Institute on robotics.",
        "L'université Acme, en partenariat avec l'institut Bolt, a rouvert sa bibliothèque.",
        "L'université Acme est d'accord avec l'institut Bolt sur le calendrier.",
    ],
)
def test_no_agreement_named_by_a_general_word(extractor: Extractor, text: str) -> None:
    """A manner phrase ("in agreement with", "en partenariat avec") or a bare "cooperation"
    names no agreement."""
    assert extract_valid(extractor, text).agreement_type is None


def test_no_agreement_gives_nulls_and_a_warning(extractor: Extractor) -> None:
    record = extract_valid(extractor, "The Acme University library reopened on 3 May 2021 after renovation works.")
    assert record.agreement_type is None and record.signing_date is None and record.parties == []
    assert record.warnings


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Acme University and Bolt Institute signed a memorandum of understanding on 5 April 2018.", None, ("2018-04-05", "day")),
        ("PARIS, 10 May 2019 — Acme University and Bolt Institute signed an agreement yesterday.", None, ("2019-05-09", "day")),
        ("OSLO, Thursday 14 March 2024 — Acme AS and Bolt Institute signed the agreement on Tuesday.", None, ("2024-03-12", "day")),
        ("Acme University and Bolt Institute signed a memorandum of understanding in June 2023 in Nairobi.", None, ("2023-06", "month")),
        ("Acme University and Bolt Institute today signed a cooperation agreement.", date(2022, 2, 1), ("2022-02-01", "day")),
        ("Acme University and Bolt Institute will sign a letter of intent on 12 May 2025 in Geneva.", date(2025, 5, 6), ("2025-05-12", "day")),
        ("Acme University and Bolt Institute signed an MoU on Tuesday.", None, None),
        ("Acme University and Bolt Institute signed an agreement for the year 2011-12.", date(2011, 3, 16), None),
        ("A new agreement has been signed by Acme University and Bolt Institute, renewing a first agreement signed in 2015.", date(2021, 9, 30), None),
        ("Acme University and Bolt Institute signed a memorandum of understanding that runs for five years.", date(2021, 9, 30), None),
        ("Acme Corp and Bolt Ltd announced today the signing of a partnership agreement.", date(2020, 7, 28), None),
        ("Acme Corp and Bolt Ltd have signed a memorandum of understanding, the companies announced today.", date(2024, 3, 5), None),
        ("Acme Corp today announced that it has signed a memorandum of understanding with Bolt Ltd.", date(2024, 3, 5), None),
        ("Today, Acme Cloud announced a partnership with Bolt Ltd and signed the cooperation agreement.", date(2018, 7, 26), ("2018-07-26", "day")),
        ("Acme University and Bolt Institute signed an MoU on Friday.", date(2013, 3, 22), ("2013-03-22", "day")),
        ("Acme University and Bolt Institute signed the MoU in early December 2011.", date(2012, 1, 5), ("2011-12", "month")),
        pytest.param(
            "Acme University and Bolt Institute signed the MoU in early 2011.", date(2012, 1, 5), ("2011", "year"),
            marks=pytest.mark.xfail(
                strict=True,
                reason="the rule finds 2011, but the retrained date decision (year_precision -1.20, accept 0.5) keeps no "
                "year-only date when the sentence gives nothing else: weigh precision against the sentence's other dates",
            ),
        ),
        # the dateline's date is the news; a day without a month ("22, 1446") is no date
        ("Riyadh, Rajab 22, 1446, January 22, 2025, SPA -- Acme Corp has signed a framework agreement with Bolt Ltd.\n\n"
         "The agreement was signed in Riyadh on January 20, 2025.", None, ("2025-01-20", "day")),
        ("The MoU between Acme Corp and Bolt Ltd was exchanged today in Chennai.", date(2023, 10, 18), ("2023-10-18", "day")),
        ("The partnership agreement between Acme Corp and Bolt Ltd, signed on June 2, establishes a joint unit.", date(2021, 6, 4), ("2021-06-02", "day")),
        ("Acme Corp and Bolt Ltd signed an MoU on the sidelines of the LEAP 2024 conference.", date(2024, 3, 6), None),
        ("Acme Corp and Bolt Ltd signed an MoU under Saudi Vision 2030.", date(2024, 3, 6), None),
        # without a year: the latest such day for a past signing, the next one for a future signing
        ("Acme University and Bolt Institute signed an MoU on April 7.", date(2013, 3, 22), ("2012-04-07", "day")),
        ("Acme University and Bolt Institute will sign an MoU on April 7.", date(2013, 3, 22), ("2013-04-07", "day")),
        ("Acme University and Bolt Institute will sign an MoU on Monday.", date(2013, 3, 22), ("2013-03-25", "day")),
        ("Acme University and Bolt Institute will sign an MoU on Friday.", date(2013, 3, 22), ("2013-03-22", "day")),
        ("Acme University and Bolt Institute are to sign an MoU in June.", date(2013, 3, 22), ("2013-06", "month")),
    ],
)
def test_signing_date(extractor: Extractor, text: str, published: date | None, expected: tuple[str, str] | None) -> None:
    signed = extract_valid(extractor, text, published).signing_date
    assert (signed.value, signed.precision) == expected if expected else signed is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date:\nPublish on 29/01/2020\nAcme and Bolt signed an MoU.", "2020-01-29"),
        ("AUSTIN, Texas, 03/04/2022 — Acme Inc. and Bolt University signed a contract.", "2022-03-04"),
        ("28 Jun 2017 Posted in Press releases\n\nAcme and Bolt signed an MoU.", "2017-06-28"),
        ("On Jul. 26, 2018, Beijing- Today, Acme Cloud signed a cooperation agreement with Bolt.", "2018-07-26"),
        ("Acme and Bolt signed an MoU on 5 April 2018 in Paris.", None),
        ("Riyadh, Rajab 22, 1446, January 22, 2025, SPA -- Acme Corp has signed a framework agreement with Bolt Ltd.", "2025-01-22"),
    ],
)
def test_publication_date(extractor: Extractor, text: str, expected: str | None) -> None:
    published = extract_valid(extractor, text).publication_date
    assert (published.value if published else None) == expected


def test_ambiguous_numeric_date_is_flagged(extractor: Extractor) -> None:
    record = extract_valid(extractor, "LONDON, 05/04/2018 — Acme Ltd and Bolt University signed an MoU.")
    assert record.publication_date.value == "2018-04-05"
    assert any(w.code == "ambiguous_date" and "05/04/2018" in w.message for w in record.warnings)


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Inria and the Chinese Academy of Sciences (CAS) signed a memorandum of understanding on AI in Paris on 5 April 2018.", "Paris"),
        ("The MoU was signed by both presidents at the annual Asia Conference held in Singapore today.", "Singapore"),
        ("Acme University has signed an agreement strengthening ties with Bolt University in the United States.", None),
        ("Acme and Bolt signed the memorandum of understanding at the Great Hall of the People.", "Great Hall of the People"),
        ("Acme and Bolt signed the memorandum of understanding at the Manawatu campus.", "Manawatu campus"),
        ("Acme and Bolt signed the memorandum of understanding at KAIST's Daejeon campus.", "Daejeon campus"),
    ],
)
def test_signing_place(extractor: Extractor, text: str, place: str | None) -> None:
    found = extract_valid(extractor, text, date(2020, 1, 1)).signing_place
    assert (found.value if found else None) == place


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Inria and the Chinese Academy of Sciences (CAS) signed a memorandum of understanding on AI.", [("Inria", None), ("Chinese Academy of Sciences", "CAS")]),
        ("Lincoln University has signed a Memorandum of Understanding with the University of Tokyo.", [("Lincoln University", None), ("University of Tokyo", None)]),
        # a wire's double dash after the dateline's year is no hyphen of the name after it
        ("BOSTON, April 16, 2024--Orbitas Energy Corp. and Acme University signed a memorandum of understanding.", [("Orbitas Energy Corp.", None), ("Acme University", None)]),
        ("The Royal New Zealand Navy and Victoria University today signed an agreement.", [("Royal New Zealand Navy", None), ("Victoria University", None)]),
        pytest.param(
            "Halvorsen Polytechnic University, the Tyrolean Institute for Alpine Hydrology and Vellmar Energie AG signed a cooperation agreement.",
            [("Halvorsen Polytechnic University", None), ("Tyrolean Institute for Alpine Hydrology", None), ("Vellmar Energie AG", None)],
            marks=pytest.mark.xfail(
                strict=True,
                reason="the retrained party decision chose accept 0.7, completing to two parties from 0.1 (leave-one-source-out "
                "quality); the list's third name, a company without institution words, scores 0.561: a list's last conjunct "
                "should count as its first",
            ),
        ),
        (
            "The memorandum sets up joint research. It was signed between the University of Ghent and the Flanders Marine Institute.",
            [("University of Ghent", None), ("Flanders Marine Institute", None)],
        ),
    ],
)
def test_parties(extractor: Extractor, text: str, parties: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.acronym) for p in extract_valid(extractor, text).parties] == parties


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Acme signs MoU with PNG\n\nAcme University signed a memorandum of understanding with the Sohe electorate of Papua New Guinea's Northern Province.",
            ["Acme University", "Sohe electorate of Papua New Guinea's Northern Province"],
        ),
        (
            "Acme University and Bolt Institute signed a memorandum of understanding. "
            "It comes a month after the Asia Forum in Beijing, where Singapore and China signed an MOU on trade.",
            ["Acme University", "Bolt Institute"],
        ),
        ("ITI signed an MoU with the Telecom Commission.\n\nContact: ITI Limited, Bangalore", ["ITI Limited", "Telecom Commission"]),
        (
            "Acme Corp signed an agreement with Dean Li Wei of the College of Economics at Huazhong Agricultural University.",
            ["Acme Corp", "Huazhong Agricultural University"],
        ),
        (
            "Vice-Chancellor Professor Robin Pollard signed a memorandum of understanding with the Bolt Institute.\n\n"
            "Photo: Lincoln University Vice-Chancellor Professor Robin Pollard (left) at the signing.",
            ["Bolt Institute", "Lincoln University"],
        ),
        (
            "Acme University and Bolt Institute signed an MoU. The signing was witnessed by Mr Han Kok Juan, Deputy Secretary of the Singapore Ministry of Law.",
            ["Acme University", "Bolt Institute"],
        ),
    ],
)
def test_parties_from_the_body_not_headlines_nor_other_events(extractor: Extractor, text: str, parties: list[str]) -> None:
    assert [p.name for p in extract_valid(extractor, text).parties] == parties


def test_other_organisations_are_not_parties(extractor: Extractor) -> None:
    text = (
        "Inria and the Chinese Academy of Sciences (CAS) signed a memorandum of understanding. "
        "The LIAMA laboratory is hosted by the Institute of Automation of the Chinese Academy of Sciences (CASIA)."
    )
    record = extract_valid(extractor, text)
    assert [p.name for p in record.parties] == ["Inria", "Chinese Academy of Sciences"]
    assert "Institute of Automation of the Chinese Academy of Sciences" in {o.name for o in record.organizations}


def test_acronym_and_full_name_are_one_party_with_every_mention(extractor: Extractor) -> None:
    text = "The Nordic Centre for Marine Robotics (NCMR) and Bolt University signed an MoU. NCMR will host the first workshop."
    record = extract_valid(extractor, text)
    ncmr = record.parties[0]
    assert (ncmr.name, ncmr.acronym) == ("Nordic Centre for Marine Robotics", "NCMR")
    assert [text[s:e] for s, e in ncmr.spans] == ["Nordic Centre for Marine Robotics", "NCMR", "NCMR"]


@pytest.mark.parametrize(
    ("text", "name", "title", "affiliation", "role"),
    [
        ("Inria signed an MoU with CAS.\n\nChristine Morin, Director of European and International Partnerships at Inria", "Christine Morin", "Director of European and International Partnerships", "Inria", "other"),
        ("The agreement was signed by Lincoln University’s Vice-Chancellor, Dr Andrew West, and the minister.", "Andrew West", "Vice-Chancellor", "Lincoln University", "signatory"),
        ("Acme and Bolt signed an MoU. \"It is a great day,\" said Professor Jane Holt, Rector of Bolt University.", "Jane Holt", "Rector", "Bolt University", "quoted"),
        ("Acme and Bolt signed an MoU.\n\nMedia contact: Priya Nandakumar, Press Officer, Acme, press@acme.example", "Priya Nandakumar", "Press Officer", "Acme", "contact"),
    ],
)
def test_people(extractor: Extractor, text: str, name: str, title: str, affiliation: str, role: str) -> None:
    person = next(p for p in extract_valid(extractor, text).people if p.name == name)
    assert (person.title, person.affiliation, person.role) == (title, affiliation, role)


@pytest.mark.parametrize(
    "text",
    [
        "Acme and Bolt signed an MoU.\n\n© Inria / Photo G. Scagnelli",
        "Acme and Bolt signed an MoU.\n\nPhoto credits: David Walker",
        "By Tom Smith\n\nAcme and Bolt signed an MoU.",
    ],
)
def test_photo_credits_and_bylines_are_not_people(extractor: Extractor, text: str) -> None:
    assert extract_valid(extractor, text).people == []


def test_themes_come_from_the_agreement_not_past_work(extractor: Extractor) -> None:
    text = (
        "Acme University and Bolt Institute signed a memorandum of understanding on artificial intelligence. "
        "They plan pilot projects in key sectors such as agriculture, culture and logistics.\n\n"
        "History\n\nSince 1997 the two have worked together on software reliability and medical imaging."
    )
    themes = {t.value for t in extract_valid(extractor, text).themes}
    assert {"artificial intelligence", "agriculture", "culture", "logistics"} <= themes
    assert not themes & {"software reliability", "medical imaging"}


_SIGNED = "Acme University and Bolt Institute signed a memorandum of understanding. "


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # nouns coordinated before a head are themes of their own; coordinated adjectives share it
        (_SIGNED + "The MoU aims to boost agriculture and food security.", {"agriculture", "food security"}, set()),
        (_SIGNED + "It covers legal and dispute resolution services.", {"legal and dispute resolution services"}, set()),
        # "such X as", "fields like"
        (_SIGNED + "They will cooperate in such areas as tourism and horticulture.", {"tourism", "horticulture"}, set()),
        (_SIGNED + "Both parties will cooperate in fields like cloud computing and digital health.", {"cloud computing", "digital health"}, set()),
        # a generic head named by a noun ("research collaboration") is a theme; alone it is not
        (_SIGNED + "The MoU will support research collaboration and the partnership.", {"research collaboration"}, {"partnership"}),
        # participants (people, businesses) are not subjects
        (_SIGNED + "The MoU will support businesses and investors in renewable energy.", {"renewable energy"}, {"businesses", "investors"}),
        (_SIGNED + "It will train health providers in dairy farming.", {"dairy farming"}, {"health providers"}),
        # a respect ("complex in structure") or a state ("in place") is not a topic
        (_SIGNED + "It covers robotics. The sector is complex in structure. A similar arrangement has been in place for years.",
         {"robotics"}, {"structure", "place"}),
        # list members after "including", also when the listing noun is generic
        (_SIGNED + "It outlines key initiatives, including research training and joint symposiums.", {"research training", "symposiums"}, set()),
        # list items under a line that opens them, with bullets, numbers or none
        (_SIGNED + "The MoU covers:\n- renewable energy\n- water management\n- urban planning",
         {"renewable energy", "water management", "urban planning"}, set()),
        (_SIGNED + "Cooperation will take place in the following areas:\n1. solar power;\n2. water management and storage;\n3. urban planning.",
         {"solar power", "water management", "storage", "urban planning"}, {"place"}),
        # the closing boilerplate ("About X", "Media contact") is about the parties, not the agreement
        (_SIGNED + "It covers robotics.\n\nAbout Bolt Institute\nBolt is known for its work in immunology.", {"robotics"}, {"immunology"}),
        (_SIGNED + "It covers robotics.\n\nAbout Bolt: Bolt is known for its work in immunology.", {"robotics"}, {"immunology"}),
        # the web page around the announcement
        (_SIGNED + "It covers solar energy.\n\nWe use cookies to improve your experience on our website.\n\nShare this article",
         {"solar energy"}, {"cookies", "website", "article"}),
        # earlier work: "had run", "previously collaborated"
        (_SIGNED + "It covers robotics. The two previously collaborated on climate history. They had run a programme on literature.",
         {"robotics"}, {"climate history", "literature"}),
        # a signing headline names the agreement's subject
        ("Acme and Bolt sign agreement on space cooperation\n\nAcme University and Bolt Institute signed a framework agreement today.",
         {"space cooperation"}, set()),
        # words spaCy cuts at a hyphen stay whole; a list the parser left in one phrase is split
        (_SIGNED + "The MoU covers the pre-positioning of emergency medical supplies.", {"pre-positioning of emergency medical supplies"}, {"pre"}),
        (_SIGNED + "They will build mini-grids in rural areas.", {"mini-grids"}, {"mini", "grids"}),
        (_SIGNED + "It covers E-commerce, smart logistics and internet financing.", {"e-commerce", "smart logistics", "internet financing"}, set()),
        # what is done to something is not the subject, the thing is; "the first vessel" is one event
        (_SIGNED + "It covers the construction of a data centre and the migration of e-government services.",
         {"data centre", "e-government services"}, {"construction", "migration"}),
        (_SIGNED + "It covers naval engineering. The first vessel will be delivered in 2026.", {"naval engineering"}, {"first vessel", "vessel"}),
        # who a party is ("was founded", "is a leading ...") is not what the agreement is about
        (_SIGNED + "It covers robotics. Bolt Institute was founded in 1948 and is known for its work on textiles. Acme is a leading provider of cloud services.",
         {"robotics"}, {"textiles", "cloud services"}),
        # the predicate of "the focus areas are ..."
        (_SIGNED + "The focus areas are going to be water quality and coastal erosion.", {"water quality", "coastal erosion"}, set()),
        # an "of" complement with its coordination
        (_SIGNED + "It will promote the exchange of faculty and staff.", {"exchange of faculty and staff"}, set()),
        # a quotation, also where it goes on over several sentences, is not the agreement's subject
        (_SIGNED + "It covers marine biology.\n\n“This is a great day. Our rowers love sailing trips. Thank you.”",
         {"marine biology"}, {"sailing trips"}),
        # short quoted names do not make a sentence a quotation
        (_SIGNED + 'They will cooperate on "Internet +" finance and cloud computing.', {"cloud computing"}, set()),
        # a line that introduces a list is not a heading closing the agreement's section
        (_SIGNED + "Under the MoU, the partners will:\nPromote training in marine biology; and\nExchange students.",
         {"marine biology"}, set()),
        # "have decided to" announces what comes; "have worked on" is past work and skipped, not the end
        (_SIGNED + "The two parties have decided to cooperate in areas such as telemedicine and robotics.", {"telemedicine", "robotics"}, set()),
        (_SIGNED + "It covers robotics. The two have worked together on medical imaging. They will also explore quantum computing.",
         {"robotics", "quantum computing"}, {"medical imaging"}),
    ],
)
def test_theme_rules(extractor: Extractor, text: str, present: set[str], absent: set[str]) -> None:
    themes = {t.value for t in extract_valid(extractor, text).themes}
    assert present <= themes, themes
    assert not themes & absent, themes


def test_counted_things_are_not_themes(extractor: Extractor) -> None:
    text = _SIGNED + "It covers marine biology. The summit brought together over 400 judges, scholars and mediators."
    themes = {t.value for t in extract_valid(extractor, text).themes}
    assert "marine biology" in themes and not themes & {"judges", "scholars", "mediators"}, themes
