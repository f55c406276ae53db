"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from pipeline import Extractor, ExtractorConfig
from pipeline.parallel import extractor_for


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """``Extractor()``, loaded once per session (about a second), and the same instance
    ``run_batch`` and the CLI use in this process, so batch tests do not load it again."""
    return extractor_for(ExtractorConfig())
