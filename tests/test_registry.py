"""The stage contract (docs/architecture.md, "Stage contract"): every record field is proposed by
exactly one registered stage, and a stage reads only what an earlier stage proposes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from models import AgreementRecord
from pipeline.registry import STAGES

RECORD_BOOKKEEPING = {"schema_version", "id", "source", "warnings", "corrections", "extractor", "text"}
"""Keys no stage proposes: the corrections are an analyst's (pipeline/corrections.py), never the extractor's;
the text is the document's, embedded on request."""


def test_every_extracted_field_has_one_stage() -> None:
    proposed = [name for stage in STAGES for name in stage.FIELDS]
    assert len(proposed) == len(set(proposed))
    assert set(proposed) == set(AgreementRecord.model_fields) - RECORD_BOOKKEEPING


@pytest.mark.parametrize("position", range(len(STAGES)), ids=[s.__name__.rsplit(".", 1)[-1] for s in STAGES])
def test_a_stage_reads_only_earlier_fields(position: int) -> None:
    earlier = {name for stage in STAGES[:position] for name in stage.FIELDS}
    assert set(STAGES[position].READS) <= earlier


@pytest.mark.parametrize("stage", STAGES, ids=[s.__name__.rsplit(".", 1)[-1] for s in STAGES])
def test_stages_never_import_each_other(stage: object) -> None:
    """A stage reaches another's values through the context, so stages can be reordered,
    replaced or trained one at a time."""
    others = {s.__name__ for s in STAGES} - {stage.__name__}
    tree = ast.parse(Path(stage.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module for alias in node.names}
    assert not imported & others
