"""The field stages, in the order they run (docs/architecture.md, "Stage contract").

Adding a field is one stage module (``FIELDS``, ``READS``, ``propose``), one line here and one
field of the record model. A stage may read only what a stage before it proposes.
"""

from __future__ import annotations

from pipeline.stages import agreement_type, parties, people, publication_date, signing_date, signing_place, themes
from pipeline.stages.contract import Stage

STAGES: tuple[Stage, ...] = (
    publication_date,
    signing_date,
    agreement_type,
    signing_place,
    parties,
    people,
    themes,
)
