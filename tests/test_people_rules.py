"""People rules on short sentences: titles around names, names NER mislabels, witnesses."""

from __future__ import annotations

import pytest

from checks import extract_valid
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
    ],
)
def test_person_title_affiliation_and_role(extractor: Extractor, text: str, name: str, title: str, affiliation: str | None, role: str) -> None:
    person = next(p for p in extract_valid(extractor, text).people if p.name == name)
    assert (person.title, person.affiliation, person.role) == (title, affiliation, role)


def test_an_organisation_with_an_article_before_its_description_is_no_person(extractor: Extractor) -> None:
    record = extract_valid(extractor, "Acme Robotics, a leader in drones, signed an MoU with Bolt Institute.")
    assert record.people == []
