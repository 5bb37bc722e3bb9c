"""``python -m pckb.allocation`` — same as ``pckb allocate``."""

from pckb.allocation.cli import main

raise SystemExit(main())
