import pipeline.extractor as ex
_orig = ex.detect_language
def patched(text):
    lang, p = _orig(text)
    return (lang if len(lang) == 2 else "en"), p
ex.detect_language = patched
from props_big_tmp import *  # noqa
