from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# scripts/ is tooling, not an installed package; its modules are imported by the tests directly.
sys.path.insert(0, str(ROOT / "scripts"))
