"""People rules on short sentences: titles around names, names NER mislabels, witnesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks import captioned_page, extract_valid
from pipeline import Extractor

_SIGNED = "Acme University and Bolt Institute signed a memorandum of understanding on 5 May 2023. "


@pytest.mark.parametrize(
    ("text", "name", "title", "affiliation", "role"),
    [
        # a hyphenated title is one title, though spaCy splits it in three
        (_SIGNED + "Professor Jane Doe, Vice-Chancellor of the University of Westmoor, signed the agreement.", "Jane Doe", "Vice-Chancellor", "University of Westmoor", "signatory"),
        (_SIGNED + "John Smith, Director-General of the Bolt Institute, signed the agreement.", "John Smith", "Director-General", "Bolt Institute", "signatory"),
        (_SIGNED + "Professor Jane Doe, Rector and Vice-Rector of Bolt Institute, attended.", "Jane Doe", "Rector and Vice-Rector", "Bolt Institute", "other"),
        # an organisation NER missed in the title, known from the rest of the text
        ("Acme and Bolt signed an MoU. John Smith, Chief Executive Officer of Acme, signed the agreement.", "John Smith", "Chief Executive Officer", "Acme", "signatory"),
        # a title before the name stops at the person listed before it
        ("Foreign Minister Vivian Balakrishnan and Foreign Minister Winston Peters signed the MoU.", "Winston Peters", "Foreign Minister", None, "signatory"),
        ("Foreign Minister Vivian Balakrishnan and Foreign Minister Winston Peters signed the MoU.", "Vivian Balakrishnan", "Foreign Minister", None, "signatory"),
        # "Title of Portfolio Name": the portfolio belongs to the title, whatever NER labelled it
        (_SIGNED + "Minister of Mining Aurora Williams attended.", "Aurora Williams", "Minister of Mining", None, "other"),
        (_SIGNED + "Secretary of Energy Jennifer Granholm attended the ceremony.", "Jennifer Granholm", "Secretary of Energy", None, "other"),
        # a title word NER took for an organisation stays in the title
        ("The MoU was signed by Cabinet Secretary Mithika Linturi and Acme.", "Mithika Linturi", "Cabinet Secretary", None, "signatory"),
        # names NER labelled organisations, shown to be people by their appositive title
        (_SIGNED + '"This is a milestone," said Mads Nipper, Group President and CEO of Acme.', "Mads Nipper", "Group President and CEO", "Acme", "quoted"),
        ("It was signed by Guillaume Faury, CEO of Acme, and Tim Clark, President of Beta.", "Guillaume Faury", "CEO", "Acme", "signatory"),
        ("It was signed by Guillaume Faury, CEO of Acme, and Tim Clark, President of Beta.", "Tim Clark", "President of Beta", None, "signatory"),
        # a title after a name stops where the next person begins, and before a venue
        ("The MoU was signed by Mr Tan Wei, Deputy Secretary of Acme and Mr Tom Kerr, President of Bolt.", "Tan Wei", "Deputy Secretary", "Acme", "signatory"),
        (_SIGNED + "John Smith, Secretary-General of ICC at the 3rd Asia Conference held in Singapore, said it was a milestone.", "John Smith", "Secretary-General of ICC", None, "quoted"),
        # witnesses of the signing are no signatories
        ("Acme and Bolt signed the MoU. Energy Cabinet Secretary Davis Chirchir witnessed the signing.", "Davis Chirchir", "Energy Cabinet Secretary", None, "other"),
        ("The MoU was signed by Acme CEO John Smith, witnessed by Minister Jane Doe and Governor Tom Kerr.", "Tom Kerr", "Governor", None, "other"),
        ("The MoU was signed by Acme CEO John Smith, witnessed by Minister Jane Doe and Governor Tom Kerr.", "John Smith", "CEO", "Acme", "signatory"),
        ("Acme et Bolt ont signé un accord. Le ministre Jean Dupont a assisté à la signature.", "Jean Dupont", "ministre", None, "other"),
        # the whole name: hyphenated parts, lower-case particles, the given names NER left out
        (_SIGNED + '"This is a milestone," said Park Ji-hoon, Director of Bolt Institute, on Monday.', "Park Ji-hoon", "Director", "Bolt Institute", "quoted"),
        (_SIGNED + "Dirk van der Meer, Rector of Bolt Institute, attended.", "Dirk van der Meer", "Rector", "Bolt Institute", "other"),
        (_SIGNED + "Professor Dirk van der Meer, Rector of Bolt Institute, attended.", "Dirk van der Meer", "Rector", "Bolt Institute", "other"),
        (_SIGNED + "It was signed by Mamadou Lamine Diop, Director of Bolt Institute, in Dakar.", "Mamadou Lamine Diop", "Director", "Bolt Institute", "signatory"),
        (_SIGNED + "It was signed by Le Quang Minh, Director of Bolt Institute, in Hanoi.", "Le Quang Minh", "Director", "Bolt Institute", "signatory"),
        (_SIGNED + "H.E. Grace Uwimana, Minister of ICT, signed the MoU.", "Grace Uwimana", "Minister", "ICT", "signatory"),
        ("L'accord a été signé par Jean-Pierre van der Berg, directeur de Bolt, et Marie Dupont, présidente d'Acme.", "Jean-Pierre van der Berg", "directeur de Bolt", None, "signatory"),
        # a title before the name: in apposition before a comma, or a bare title word
        (_SIGNED + "It was signed by the Mayor of Kitakyushu, Kenji Takeuchi.", "Kenji Takeuchi", "Mayor of Kitakyushu", None, "signatory"),
        (_SIGNED + "It was signed in the presence of India's Ambassador to Japan, Anjali Menon.", "Anjali Menon", "Ambassador to Japan", "India", "other"),
        (_SIGNED + "It was signed by Rector Maria Quispe of Bolt Institute.", "Maria Quispe", "Rector", "Bolt Institute", "signatory"),
        # a portfolio joined by "and" and a department are the title's, not the affiliation
        (_SIGNED + "It was signed by John Smith, Minister of Finance and Budget.", "John Smith", "Minister of Finance and Budget", None, "signatory"),
        (_SIGNED + "\nPress contact: Koffi Agbodjan, Head of Communications, WAIB", "Koffi Agbodjan", "Head of Communications", "WAIB", "contact"),
        # contact lines, "Press:" as much as "Press contact:"
        (_SIGNED + "\nPress: Gabriel Ortega, Communications Coordinator, Bolt Institute", "Gabriel Ortega", "Communications Coordinator", "Bolt Institute", "contact"),
        # a contact under a heading line of its own (an HTML <h3>), no cue on the name's line
        (_SIGNED + "It was signed by Professor Ana Silva.\nMedia contact\nSarah Kwan-Whitfield, Bolt Media, +61 2 9490 8000", "Sarah Kwan-Whitfield", None, None, "contact"),
        # post-nominal honours are no part of the name, and the title follows them
        (_SIGNED + "It was attended by Barry O'Farrell AO, Commercial Counselor at the U.S. Embassy.", "Barry O'Farrell", "Commercial Counselor", "U.S. Embassy", "other"),
        # a title phrase with its own "and" before the comma
        (_SIGNED + "It was signed by Mayor Ana Silva and Rotterdam's Vice-Mayor for Climate and Sustainability, Judith Bokhove.", "Judith Bokhove", "Vice-Mayor for Climate and Sustainability", None, "signatory"),
        # a portfolio with its own commas, and a title the parse makes a conjunct of
        (_SIGNED + "It was signed in the presence of Brazil's Minister of Science, Technology and Innovation, Luciana Duarte.", "Luciana Duarte", "Minister of Science, Technology and Innovation", "Brazil", "other"),
        (_SIGNED + "The agreement was signed by the President of Acme, Ignacio Valdivia Errázuriz, and the Representative Director and President of Bolt FC, Takeshi Mori.", "Ignacio Valdivia Errázuriz", "President of Acme", None, "signatory"),
        # honorifics of other traditions are no part of the name, and the title is read past them
        (_SIGNED + "It was signed by Deputy Minister of Health for Planning, Eng. Abdulaziz bin Hamad Al-Harbi, and Dr. Ingrid Solberg.", "Abdulaziz bin Hamad Al-Harbi", "Deputy Minister of Health for Planning", None, "signatory"),
    ],
)
def test_person_title_affiliation_and_role(extractor: Extractor, text: str, name: str, title: str, affiliation: str | None, role: str) -> None:
    person = next(p for p in extract_valid(extractor, text).people if p.name == name)
    assert (person.title, person.affiliation, person.role) == (title, affiliation, role)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a later mention by a hyphenated or multi-word surname is the same person
        ('It was signed by Kwame Owusu-Ansah, Director of Acme Corp. "Good," said Mr Owusu-Ansah.', ["Kwame Owusu-Ansah"]),
        (_SIGNED + 'It was signed by Alejandra Ruiz Castañeda, Director of Acme. "Good," said Dr Ruiz Castañeda.', ["Alejandra Ruiz Castañeda"]),
        # a contact's title is no second person
        (_SIGNED + "\nMedia contact: Shanice Clarke, Communications Specialist, PCHO", ["Shanice Clarke"]),
        # departments and offices on a contact line are no people
        (_SIGNED + "It was signed by Professor Ana Silva.\n\nMedia enquiries: Monash Media, +61 3 9903 4840", ["Ana Silva"]),
        (_SIGNED + "It was signed by Professor Ana Silva.\n\nContact: Public Relations, Bolt Institute, Jakarta", ["Ana Silva"]),
        ("The World Food Programme (WFP) and Acme signed an MoU on 5 May 2023. It was signed by Professor Ana Silva.\n\nChimwemwe Banda, WFP Malawi, chimwemwe.banda@wfp.example.org", ["Ana Silva", "Chimwemwe Banda"]),
        # an organisation's short form and a venue, whatever NER labelled them
        ("The American Chamber of Commerce in Egypt (AmCham Egypt) and Acme signed an MoU on 5 May 2023. It was signed by Omar Mohanna, President of AmCham Egypt.", ["Omar Mohanna"]),
        (_SIGNED + "It was signed at the University of Glasgow's Hunterian Art Gallery by Professor Anton Muscatelli.", ["Anton Muscatelli"]),
        # styles and honorifics before a name, the royal title kept as the name's
        (_SIGNED + "The agreement was signed by Hon. Kwaku Boateng.", ["Kwaku Boateng"]),
        (_SIGNED + "It was signed by the Minister for Energy, Hon. Kwaku Agyemang-Manu Boateng.", ["Kwaku Agyemang-Manu Boateng"]),
        (_SIGNED + "The mission was led by Her Royal Highness Princess Astrid.", ["Princess Astrid"]),
        (_SIGNED + "Lagos Free Zone was represented by its Managing Director, Mr. Adesuwa Ifeoluwa Okonkwo-Bello.", ["Adesuwa Ifeoluwa Okonkwo-Bello"]),
        # honorifics of other traditions ("Shri", "Dato'", "Puan", "Ato", "Tan Sri", "Smt."), a
        # later mention by the given names, and a contact's employer that NER took for a person
        (_SIGNED + "It was signed by Shri Pramod Kumar Mishra, Director General, Acme and Ms. Jane Roe, Chief Executive Officer, Standards Westmoor. Shri Mishra said it was a milestone.", ["Pramod Kumar Mishra", "Jane Roe"]),
        (_SIGNED + "It was signed by Dato' Mohd Azlan bin Ismail, Chief Executive Officer of Acme; and Puan Nurul Huda Abdullah, Managing Director of Bolt. Dato' Mohd Azlan said it was a milestone.", ["Mohd Azlan bin Ismail", "Nurul Huda Abdullah"]),
        (_SIGNED + "It was signed by H.E. Ato Dawit Alemu, State Minister of Finance, and Tan Sri Ahmad Zaki Yusof, Chairman of Acme, before Smt. Pravati Das.", ["Dawit Alemu", "Ahmad Zaki Yusof", "Pravati Das"]),
        # the whole name: given names NER gave a title or left before a particle, apostrophes and
        # ʻokina inside it, the fullest form the text uses
        (_SIGNED + "It was signed by Acme Rector Ricardo Jorge Gelpi and Bolt President Ana María Franchi.", ["Ricardo Jorge Gelpi", "Ana María Franchi"]),
        (_SIGNED + "It was signed by Werner Kutsch, Director General of Acme, and Henrique dos Santos Pereira, Director of Bolt.", ["Werner Kutsch", "Henrique dos Santos Pereira"]),
        (_SIGNED + "It was signed by Dr. Siale 'Akau'ola, Chief Executive Officer of the Ministry of Health. The Minister, Hon. Dr. Saia Ma'u Piukala, attended. \"Good,\" said Dr. 'Akau'ola.", ["Siale 'Akau'ola", "Saia Ma'u Piukala"]),
        (_SIGNED + "It was signed by Mayor of Turku Minna Arve, Governing Mayor of Bergen Marte Mjøs Persen, Chair of the City Board of Gothenburg Jonas Attenius and Mayor of Aarhus Anders Winnerskjold.\n\nMarte Mjøs Persen said Bergen had already cut emissions.", ["Minna Arve", "Marte Mjøs Persen", "Jonas Attenius", "Anders Winnerskjold"]),
        (_SIGNED + "The signing was witnessed by Australian Ambassador to Vietnam Andrew Goledzinowski.", ["Andrew Goledzinowski"]),
        # organisations NER took for people: one with its acronym, one describing a club
        ("The University of Westmoor and the Pontificia Universidad Católica del Perú (PUCP) signed a memorandum of understanding on 5 May 2023 to strengthen joint research on climate adaptation. It was signed by Professor Ana Silva.", ["Ana Silva"]),
        ("The Chilean Primera División side Club Deportivo Cóndores and Bolt FC signed a partnership agreement on 5 May 2023 in Santiago. It was signed by Professor Ana Silva.", ["Ana Silva"]),
        # contacts on the line under the cue, after their organisation and a dash; no place taken for one
        (_SIGNED + "It was signed by Professor Ana Silva.\n\nMedia contact:\nJuliana Restrepo Ochoa, Communications Office, Acme University\nprensa@acme.example.org", ["Ana Silva", "Juliana Restrepo Ochoa"]),
        (_SIGNED + "It was signed by Professor Ana Silva.\n\nMedia inquiries:\nAcme Pharma – Jonas Friis, Corporate Communications, +45 0000 0000", ["Ana Silva", "Jonas Friis"]),
        (_SIGNED + "It was signed by Professor Ana Silva.\n\nMedia contacts: In Geneva, Matthew Saltmarsh, saltmars@acme.example.org", ["Ana Silva", "Matthew Saltmarsh"]),
        # a byline stays out, hyphenated or not
        (_SIGNED + "Ms Jane Doe attended.\n\nReported by: Oluwaseun Adeyemi-Johnson", ["Jane Doe"]),
        # a party's name NER ran into the name after a title; a title word NER ran in before it
        ("Acme Corp and Hughes India signed an MoU on 20 February 2019. The MoU was signed by President, Hughes India Partho Banerjee.", ["Partho Banerjee"]),
        ("NASA Administrator Bill Nelson and Swiss Federal Councillor Guy Parmelin signed the agreement on 15 April 2024.", ["Bill Nelson", "Guy Parmelin"]),
        # a markdown hard line break after a name leaves the name whole
        (_SIGNED + "It was signed by the defence minister, Suren Papikyan.\\\n\\\nThe agreement runs for five years.", ["Suren Papikyan"]),
    ],
)
def test_people_named(extractor: Extractor, text: str, names: list[str]) -> None:
    assert [p.name for p in extract_valid(extractor, text).people] == names


def test_an_organisation_with_an_article_before_its_description_is_no_person(extractor: Extractor) -> None:
    record = extract_valid(extractor, "Acme Robotics, a leader in drones, signed an MoU with Bolt Institute.")
    assert record.people == []


def test_an_abbreviated_honorific_does_not_end_the_sentence(extractor: Extractor) -> None:
    record = extract_valid(extractor, "Acme Corp and Beta Ltd signed a contract. The agreement was signed by Hon. Kwaku Boateng.")
    assert [(p.name, p.role) for p in record.people] == [("Kwaku Boateng", "signatory")]


@pytest.mark.parametrize(
    ("caption", "language", "people"),
    [
        # who the photo shows, the title read past their place in it
        (
            "Jane Roe (left), Chief Executive Officer of Acme Corp, and Ola Nordmann (right), Chair of Bolt Group",
            "en",
            [("Jane Roe", "Chief Executive Officer", "Acme Corp"), ("Ola Nordmann", "Chair", "Bolt Group")],
        ),
        (
            "Jeanne Martin (à gauche), présidente d'Acme, et Paul Durand (à droite), directeur général de Bolt",
            "fr",
            [("Jeanne Martin", "présidente", "Acme"), ("Paul Durand", "directeur général", "Bolt")],
        ),
        # in the photo without a title: present all the same
        ("Jane Roe and Ola Nordmann after the signing", "en", [("Jane Roe", None, None), ("Ola Nordmann", None, None)]),
        # a photo credit names no one in the photo
        ("The signing ceremony in Oslo. Photo: Kari Hansen", "en", []),
    ],
)
def test_people_of_a_figure_caption(extractor: Extractor, tmp_path: Path, caption: str, language: str, people: list[tuple[str, str | None, str | None]]) -> None:
    record = extractor.extract_file(captioned_page(tmp_path, caption, language))
    assert [(p.name, p.title, p.affiliation) for p in record.people] == people


def test_a_name_without_part_in_the_prose_is_still_only_mentioned(extractor: Extractor) -> None:
    """The same words as prose: a name with no title, role or prefix has no part in the news."""
    assert extract_valid(extractor, _SIGNED + "Jane Roe and Ola Nordmann visited the site in June.").people == []


def test_a_place_the_text_names_elsewhere_is_no_person(extractor: Extractor) -> None:
    """NER labels the first "Papua New Guinea" PERSON and the second GPE: the text's own place."""
    text = (
        "Lincoln University signed an MoU with Papua New Guinea on 5 May 2023 in Port Moresby. The agreement was signed by "
        "Lincoln University’s Vice-Chancellor, Dr Andrew West, and, from Papua New Guinea, the Vice Minister (Treasury), the Honourable Delilah Gore."
    )
    assert "Papua New Guinea" not in [p.name for p in extract_valid(extractor, text).people]
