"""The extractor as a spaCy component: ``nlp.add_pipe("agreement_extractor")`` on any pipeline
sets ``doc._.agreement`` to the record of the doc's text.

The component holds its own ``Extractor`` and reads ``doc.text`` exactly as ``extract_text``
does, so its records are those of the library and the command line. It does not reuse the
host pipeline's annotations: the stages need the extractor's tokenizer adaptations, sentence
starts and rule components, which would change the host's own output; so each text is parsed
again by the extractor's pipeline (by default the pinned one of the text's language; the
``spacy_model`` setting names another). To parse once with a pipeline of your own, use
``Extractor.from_nlp(nlp)`` instead.

Registered when ``pipeline`` is imported and, for ``spacy.load`` of a saved pipeline that
contains it, through the ``spacy_factories`` entry point.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from pipeline.extractor import AUTO, DEFAULT_BATCH_SIZE, Extractor

FACTORY = "agreement_extractor"
EXTENSION = "agreement"
"""``doc._.agreement``: the record (``AgreementRecord``, or ``ErrorRecord`` for a text that could not be
processed, e.g. over ``max_chars``), a pydantic model: ``.model_dump(mode="json")`` gives its JSON."""
SOURCE_NAME = "<doc>"
"""The records' id and ``source.path``: a Doc has no file."""

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


class AgreementExtractor:
    """Sets ``doc._.agreement``; ``nlp.pipe`` extracts a batch of docs through one ``nlp.pipe`` of the extractor's."""

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(EXTENSION, self.extractor.extract_text(doc.text, source_name=SOURCE_NAME))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            read = (self.extractor.read_text(doc.text, SOURCE_NAME) for doc in batch)
            for doc, record in zip(batch, self.extractor.extract_documents(read)):
                doc._.set(EXTENSION, record)
                yield doc


@Language.factory(FACTORY, default_config={"language": AUTO, "spacy_model": None, "embed_text": False})
def make_agreement_extractor(nlp: Language, name: str, language: str, spacy_model: str | None, embed_text: bool) -> AgreementExtractor:
    """``language``: ``"auto"`` or a code with rules; ``spacy_model``: the pipeline the extractor parses
    with instead of its language's default; ``embed_text``: records carry the text their spans index."""
    return AgreementExtractor(Extractor(language, spacy_model, embed_text=embed_text))
