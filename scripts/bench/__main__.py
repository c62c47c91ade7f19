"""Runs the bench: ``python -m scripts.bench`` from the repository root, or ``python scripts/bench`` from anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:
    # Run as a folder (python scripts/bench), Python puts scripts/bench/ on the path, not the repository
    # root: without it, `import scripts.bench` below would not find this package.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.bench.cli import main

sys.exit(main())
