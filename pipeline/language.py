"""Which language a document is written in: langid.py's model (py3langid), loaded on first use.

Only the body is looked at (front matter keys and markup are not language), and only a sample
of its prose: URLs, inline ``data:`` payloads and runs of blanks are dropped first (a 4 KB
inline image or ten thousand blank lines opening an English file read as Serbian), then a
long text is sampled at several places across it rather than at its start alone.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE_CHARS = 4000
_SAMPLE_PIECES = 4
MIN_CONFIDENCE = 0.5
_NOT_PROSE = re.compile(r"""data:[\w/+.-]*(?:;[\w=.+-]*)*,[^\s"'<>()]*|(?:https?://|www\.)[^\s"'<>()]+""", re.IGNORECASE)
"""A data URI (``data:image/png;base64,…``) or a web address: characters, but no language."""
_BLANKS = re.compile(r"\s+")


_LOADING = threading.Lock()


def _identifier() -> LanguageIdentifier:
    """The model, loaded once (a caller arriving while ``load_in_background`` loads it waits)."""
    with _LOADING:
        return _loaded_identifier()


def load_in_background() -> None:
    """Start loading the model in a thread: about 0.6 s, half of it decompressing, which
    releases the interpreter, so an extractor overlaps it with its spaCy model's load."""
    threading.Thread(target=_identifier, name="language-identifier", daemon=True).start()


@cache
def _loaded_identifier() -> LanguageIdentifier:
    """The model restricted to its ISO 639-1 codes: records give a language in two letters, and
    the model also knows 3-letter ones ("lij", "zxx" for no language) that it picks for scraps of text."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def prose_sample(text: str) -> str:
    """At most ``_SAMPLE_CHARS`` characters of ``text``'s prose: all of it when it is short, else
    ``_SAMPLE_PIECES`` evenly spaced pieces, so that no block at the start decides alone."""
    prose = _BLANKS.sub(" ", _NOT_PROSE.sub(" ", text)).strip()
    if len(prose) <= _SAMPLE_CHARS:
        return prose
    size = _SAMPLE_CHARS // _SAMPLE_PIECES
    step = (len(prose) - size) // (_SAMPLE_PIECES - 1)
    return " ".join(prose[i * step : i * step + size] for i in range(_SAMPLE_PIECES))


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and the model's probability for it, judged on a sample of the text's prose."""
    language, probability = _identifier().classify(prose_sample(text))
    return language, float(probability)
