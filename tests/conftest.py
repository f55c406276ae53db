"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from pipeline import Extractor, ExtractorConfig
from pipeline.parallel import extractor_for


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """``Extractor()``, loaded once per session (about a second). (``run_batch`` and the CLI
    extract in worker processes whenever a time limit is set: ``pipeline.parallel``.)"""
    return extractor_for(ExtractorConfig())
