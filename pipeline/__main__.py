"""``python -m pipeline``: the same program as the ``extract-agreements`` console script."""

from pipeline.cli import main

raise SystemExit(main())
