"""Runs the bench: ``python -m bench`` with ``scripts/`` on the path, or ``python scripts/bench``."""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:
    # Run as a folder (python scripts/bench), Python puts scripts/bench/ on the path, not scripts/:
    # without its parent, `import bench` below would not find this package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cli import main

sys.exit(main())
