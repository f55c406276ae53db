"""Extract agreements (parties, dates, place, type, people, themes) from announcements."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agreement-extractor")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

from pipeline.extractor import Extractor, ExtractorConfig  # noqa: E402  (needs __version__)
from pipeline.export import records_to_frame  # noqa: E402
from pipeline.grouping import Grouping, group_records  # noqa: E402
from pipeline.readers import read_document  # noqa: E402
from pipeline import component  # noqa: E402,F401  (registers the spaCy factory "agreement_extractor")

__all__ = ["Extractor", "ExtractorConfig", "Grouping", "__version__", "group_records", "read_document", "records_to_frame"]
