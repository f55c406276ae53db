"""Which language a document is written in: langid.py's model (py3langid), loaded on first use.

Only the body is looked at (front matter keys and markup are not language), and only its
first few thousand characters: enough for a confident answer, cheap on long files.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE_CHARS = 4000
MIN_CONFIDENCE = 0.5


@cache
def _identifier() -> LanguageIdentifier:
    """The model restricted to its ISO 639-1 codes: records give a language in two letters, and
    the model also knows 3-letter ones ("lij", "zxx" for no language) that it picks for scraps of text."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and the model's probability for it."""
    language, probability = _identifier().classify(text[:_SAMPLE_CHARS])
    return language, float(probability)
