"""Language detection, the French rules, and honest records for languages without rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import AgreementRecord
from checks import extract_valid, rule_parties
from pipeline import Extractor
from pipeline.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Inria and the Chinese Academy of Sciences signed a memorandum of understanding on artificial intelligence.", "en"),
        ("Porsche et Boeing ont signé un protocole d'entente pour explorer la mobilité aérienne urbaine.", "fr"),
        ("El instituto y la universidad firmaron ayer un convenio de cooperación en investigación.", "es"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text)[0] == language


def test_english_batches_do_not_load_french() -> None:
    extractor = Extractor()
    extractor.extract_text("Acme University and Bolt Institute signed a memorandum of understanding.")
    assert set(extractor._pipelines) == {"en"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("L'Université de Lyon et la Région Auvergne ont signé un protocole d'accord sur l'hydrogène.", "memorandum_of_understanding"),
        ("L'Université de Lyon et la Région Auvergne ont signé un accord-cadre pour cinq ans.", "framework_agreement"),
        ("Renault et Valeo annoncent la signature d'une convention de partenariat sur les batteries.", "partnership_agreement"),
        ("Les deux villes ont signé une lettre d'intention sur les transports.", "letter_of_intent"),
        ("La région a signé une charte avec l'État pour limiter l'usage des transports.", "other"),
    ],
)
def test_french_agreement_types(extractor: Extractor, text: str, kind: str) -> None:
    record = extract_valid(extractor, text)
    assert record.source.language == "fr"
    assert record.agreement_type.value == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LYON, le 21 novembre 2024 — L'Université de Lyon et la Région Auvergne ont signé mardi un accord-cadre.", ("2024-11-19", "2024-11-21")),
        ("PARIS, 6 mai 2020 — La région Île-de-France a signé, ce mercredi 6 mai, une charte avec l'État.", ("2020-05-06", "2020-05-06")),
        ("TOULOUSE, 20 juin 2023 — Airbus et Thales ont signé une convention de partenariat le 19 juin 2023 à Toulouse.", ("2023-06-19", "2023-06-20")),
        ("McLaren et Gulf Oil ont annoncé aujourd'hui la signature d'un partenariat pour la course automobile.", (None, None)),
    ],
)
def test_french_dates(extractor: Extractor, text: str, expected: tuple[str | None, str | None]) -> None:
    record = extract_valid(extractor, text)
    signed = record.signing_date.value if record.signing_date else None
    published = record.publication_date.value if record.publication_date else None
    assert (signed, published) == expected


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Porsche et Boeing ont signé un protocole d'entente pour explorer la mobilité aérienne urbaine.", ["Porsche", "Boeing"]),
        (
            "La Compagnie toulousaine des matériaux composites S.A. (CTMC) et la société Vélanne Robotique (SAS) ont signé une convention de partenariat à Toulouse.",
            ["Compagnie toulousaine des matériaux composites S.A.", "Vélanne Robotique"],
        ),
        ("Gordon Murray Automotive (GMA) a annoncé la signature d'un partenariat avec Racing Point Formula One Team.", ["Gordon Murray Automotive", "Racing Point Formula One Team"]),
        # typographic apostrophes read as straight ones: "l’" is an article, not a noun
        ("L’Université de Lyon a signé un accord avec l’Institut Pasteur qu’elle connaît bien.", ["Université de Lyon", "Institut Pasteur"]),
        ("Le partenariat entre l’Institut Bolt et l’Université Acme a été signé à Lyon.", ["Institut Bolt", "Université Acme"]),
        # a name written after a lower-case institution noun takes it along
        ("La région Île-de-France et la mairie de Paris ont signé une convention de partenariat.", ["région Île-de-France", "mairie de Paris"]),
        # the country a name goes on with, however the parse hung it
        ("La CCSN a signé un accord de coopération avec la Nuclear Regulatory Commission des États-Unis.", ["CCSN", "Nuclear Regulatory Commission des États-Unis"]),
    ],
)
def test_french_parties(extractor: Extractor, text: str, parties: list[str]) -> None:
    assert [p.name for p in extract_valid(extractor, text).parties] == parties


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # the noun of a compound preposition ("à l'instar de", "au nom de") is no part of the name after it
        (
            "Des conventions ont été signées entre l'Agence Nationale des Produits Pharmaceutiques et diverses facultés, à l'instar de la faculté de médecine de Tlemcen.",
            ["Agence Nationale des Produits Pharmaceutiques", "faculté de médecine de Tlemcen"],
        ),
        ("L'accord a été signé au nom de l'Université Acme avec l'Institut Bolt.", ["Université Acme", "Institut Bolt"]),
        # one organisation with or without its lower-case institution noun, under its fullest name
        (
            "Une charte a été signée par l'Île-de-France et l'Université Acme. La présidente de la région Île-de-France a salué cet accord.",
            ["région Île-de-France", "Université Acme"],
        ),
    ],
)
def test_french_party_rules(extractor: Extractor, text: str, parties: list[str], tmp_path: Path) -> None:
    assert rule_parties(extractor, text, tmp_path) == parties


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # short forms spelled by the initials of a name in lower case, its joiners skipped
        (
            "La Commission canadienne de sûreté nucléaire (CCSN) a signé un protocole d’entente avec la Nuclear Safety and Security Commission.",
            [("Commission canadienne de sûreté nucléaire", "CCSN"), ("Nuclear Safety and Security Commission", None)],
        ),
        (
            "La Caisse nationale d’allocations familiales (Cnaf) et l’Institut Bolt ont signé une convention de partenariat.",
            [("Caisse nationale d'allocations familiales", "Cnaf"), ("Institut Bolt", None)],
        ),
    ],
)
def test_french_acronyms(extractor: Extractor, text: str, parties: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.acronym) for p in extract_valid(extractor, text).parties] == parties


def test_french_participle_tagged_as_adjective_signs(extractor: Extractor) -> None:
    """The small French model tags "ont paraphé" as an adjective: the auxiliary makes it a verb."""
    text = "Le 4 décembre 2025, lors de la 13e Réunion de haut niveau à Madrid, le Maroc et l'Espagne ont paraphé 14 accords de coopération."
    record = extract_valid(extractor, text)
    assert ([p.name for p in record.parties], record.signing_date.value) == (["Maroc", "Espagne"], "2025-12-04")


def test_french_gerund_signs(extractor: Extractor) -> None:
    """"En signant, mardi, ..." is a signing clause though the tagger reads "signant" as a noun."""
    text = "---\ndate: 2024-10-31\n---\nEn signant, mardi à Evreux, le nouveau contrat de territoire, l'agglomération et la Région ont engagé 82 millions d'euros."
    assert extract_valid(extractor, text).signing_date.value == "2024-10-29"


def test_french_people_and_places(extractor: Extractor) -> None:
    text = (
        "Airbus et Thales ont signé une convention de partenariat le 19 juin 2023 à Toulouse. "
        "« C'est une étape importante », a commenté Phil Martin, le directeur général d'Airbus."
    )
    record = extract_valid(extractor, text)
    assert record.signing_place.value == "Toulouse"
    assert [(p.name, p.title, p.role) for p in record.people] == [("Phil Martin", "directeur général", "quoted")]


@pytest.mark.parametrize(
    ("text", "people"),
    [
        # a title NER ran into the name ends it, and is the title though no comma comes first
        (
            "Des conventions de partenariat ont été signées par Monsieur Ali AOUN Ministre de l'industrie et de la production pharmaceutique, "
            "entre l'Agence Nationale des Produits Pharmaceutiques et la faculté de médecine d'Oran.",
            [("Ali AOUN", "Ministre de l'industrie et de la production pharmaceutique")],
        ),
        # named formally later ("M. Lecornu"), a person mentioned without a title has a part in the news
        (
            "Airbus et Thales ont signé un accord de coopération. Le ministre a rencontré son homologue Sébastien Lecornu. M. Lecornu a salué l'accord.",
            [("Sébastien Lecornu", None)],
        ),
    ],
)
def test_french_people(extractor: Extractor, text: str, people: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.title) for p in extract_valid(extractor, text).people] == people


def test_french_themes(extractor: Extractor) -> None:
    text = (
        "Airbus et Thales ont signé une convention de partenariat sur l'hydrogène vert et la mobilité aérienne. "
        "La présentation du contrat pourrait avoir lieu en mars dans le cadre du salon."
    )
    themes = {t.value for t in extract_valid(extractor, text).themes}
    assert {"hydrogène vert", "mobilité aérienne"} <= themes and not themes & {"contrat", "lieu"}, themes


@pytest.mark.parametrize(
    ("text", "kept", "refused"),
    [
        # the noun of a compound preposition is no subject ("en marge de", "à l'occasion de", "en matière de")
        ("En marge du sommet, Airbus et Thales ont signé une convention de partenariat sur l'hydrogène vert.", {"hydrogène vert"}, {"marge du sommet", "marge"}),
        ("À l'occasion du salon, Airbus et Thales ont signé une convention de partenariat sur l'hydrogène vert.", {"hydrogène vert"}, {"occasion"}),
        ("Airbus et Thales ont signé un accord en matière de logiciels libres.", {"logiciels libres"}, {"matière de logiciels libres"}),
        # a duration is not a subject, nor are the efforts of those who take part
        ("Airbus et Thales ont signé une convention de partenariat d'une durée de cinq ans sur l'hydrogène vert.", {"hydrogène vert"}, {"durée de cinq ans"}),
        (
            "Airbus et Thales ont signé une convention de partenariat sur l'hydrogène vert. Elle vise à soutenir les efforts des élus et des habitants.",
            {"hydrogène vert"},
            {"efforts des élus et des habitants"},
        ),
        # a place, a time, a means or a recipient on a verb is a circumstance, with its complements; a theme cue's is not
        ("Airbus et Thales ont signé au siège de l'institut une convention sur l'hydrogène vert.", {"hydrogène vert"}, {"siège de l'institut", "institut"}),
        ("Airbus et Thales ont signé une convention sur l'hydrogène vert. Des drones seront testés sur des routes sélectionnées.", {"hydrogène vert"}, {"routes sélectionnées", "routes"}),
        ("Airbus et Thales ont signé une convention qui porte sur la mobilité aérienne.", {"mobilité aérienne"}, set()),
        # a plural after "pour" or "aux" says for whom; a singular after "pour" is a purpose
        ("Airbus et Thales signent une convention pour la transition énergétique. Des créneaux seront réservés pour les arrivées et les départs.", {"transition énergétique"}, {"arrivées", "départs"}),
        ("Airbus et Thales ont signé une convention sur l'hydrogène vert. Elle propose des services aux petites communes.", {"hydrogène vert"}, {"petites communes", "communes"}),
        # a bare noun after "en" is a state, a manner or a material
        ("Airbus et Thales ont signé une convention sur le contrôle des pièces en fibre de carbone.", {"contrôle des pièces"}, {"fibre de carbone"}),
        # generic heads (a way, an amount, an image) and those who benefit are no subjects
        ("Airbus et Thales ont signé une convention qui ouvre la voie à l'hydrogène vert.", {"hydrogène vert"}, {"voie"}),
        ("Airbus et Thales ont signé une convention sur l'hydrogène vert. Elle vise à promouvoir l'image des deux marques.", {"hydrogène vert"}, {"image des deux marques", "image"}),
        ("Airbus et Thales ont signé une convention sur l'hydrogène vert. Elle vise à soutenir les bénéficiaires et les associations.", {"hydrogène vert"}, {"bénéficiaires", "associations"}),
        # a degree grades a subject and is no part of it
        ("Airbus et Thales ont signé une convention sur l'aérodynamique la plus aboutie.", {"aérodynamique"}, {"aérodynamique la plus aboutie"}),
        ("Airbus et Thales ont signé une convention sur une très grande flexibilité.", {"grande flexibilité"}, {"très grande flexibilité"}),
        # the agreement a sentence about an earlier one names is the earlier one: its subjects are not this one's
        (
            "Airbus et Thales ont signé une convention sur l'hydrogène vert. Les deux partenaires ne partent pas de rien : "
            "en 2018, ils avaient signé une première convention sur la numérisation des archives.",
            {"hydrogène vert"},
            {"numérisation", "archives", "numérisation des archives"},
        ),
        # a conjunction opening a phrase is no part of it
        ("Airbus et Thales ont signé une convention pour soutenir un ou plusieurs projets culturels.", {"projets culturels"}, {"ou plusieurs projets culturels"}),
    ],
)
def test_french_theme_refusals(extractor: Extractor, text: str, kept: set[str], refused: set[str]) -> None:
    themes = {t.value for t in extract_valid(extractor, text).themes}
    assert kept <= themes and not themes & refused, themes


def test_one_theme_per_lemma_sequence(extractor: Extractor) -> None:
    """The same subject in another inflection is the same theme."""
    text = "Airbus et Thales ont signé une convention sur le drone. La convention porte sur les drones."
    themes = [t.value for t in extract_valid(extractor, text).themes]
    assert themes == ["drone"], themes


def test_glued_sentences_are_split(extractor: Extractor) -> None:
    text = "Karma Automotive et Pininfarina ont signé un partenariat sur les modèles électriques.Le constructeur californien est connu."
    record = extract_valid(extractor, text)
    assert [p.name for p in record.parties] == ["Karma Automotive", "Pininfarina"]


def test_language_without_rules_gets_an_honest_record(extractor: Extractor) -> None:
    text = "---\ntitle: INBio y CRBio firman convenio\ndate: 2018-05-14\n---\nEl INBio y el CRBio firmaron un convenio de cooperación para la investigación en biodiversidad.\n"
    record = extractor.extract_text(text, source_name="es.md", fmt="md")
    assert isinstance(record, AgreementRecord)
    assert record.source.language == "es"
    assert record.publication_date.value == "2018-05-14"
    assert record.parties == [] and record.agreement_type is None
    assert any(w.code == "language_without_rules" and "no extraction rules for language 'es'" in w.message for w in record.warnings)


def test_forced_language_is_used(extractor: Extractor) -> None:
    forced = Extractor(language="fr")
    record = forced.extract_text("Porsche et Boeing ont signé un protocole d'entente.")
    assert record.source.language == "fr"
    with pytest.raises(ValueError, match="no extraction rules"):
        Extractor(language="xx")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # a source wrapped at a fixed width: the sentence goes on in lower case on the next line
        (
            "Le ministère et le groupe Acme ont signé une convention\nde partenariat pour l'emploi.",
            ["Le ministère et le groupe Acme ont signé une convention\nde partenariat pour l'emploi."],
        ),
        # a short line (a headline, a list item) still ends its sentence
        ("Accord signé\nle groupe Acme et Bolt ont signé un accord.", ["Accord signé\n", "le groupe Acme et Bolt ont signé un accord."]),
        # a finished sentence ends at its line's end whatever follows
        (
            "Le ministère et le groupe Acme ont signé une convention.\nelle court sur trois ans.",
            ["Le ministère et le groupe Acme ont signé une convention.\n", "elle court sur trois ans."],
        ),
    ],
)
def test_hard_wrapped_lines(extractor: Extractor, text: str, sentences: list[str]) -> None:
    doc = extractor.pipeline("fr")(text)
    assert [s.text_with_ws for s in doc.sents] == sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # the dateline ends at its first dash, not at a hyphen inside a word of the sentence
        (
            "PERTH, 12 October 2023 - The Meadowbank Co-operative announced that it has signed an agreement.",
            ["PERTH, 12 October 2023 - ", "The Meadowbank Co-operative announced that it has signed an agreement."],
        ),
        # a dash between words still ends it
        (
            "LONDON, 16 April 2024 -- Acme Corp and Beta-Gamma LLC signed an MoU.",
            ["LONDON, 16 April 2024 -- ", "Acme Corp and Beta-Gamma LLC signed an MoU."],
        ),
    ],
)
def test_a_dateline_ends_its_sentence_at_its_dash(extractor: Extractor, text: str, sentences: list[str]) -> None:
    doc = extractor.pipeline("en")(text)
    assert [s.text_with_ws for s in doc.sents] == sentences
