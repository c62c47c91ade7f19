from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# scripts/ is tooling, not an installed package; its modules are imported by the tests directly.
sys.path.insert(0, str(ROOT / "scripts"))

# Identifiers used across the SDK tests. The token is distinctive so leak checks can search for it.
PROJECT = "9b5c7c3e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
TOKEN = "PTdeadbeefSECRETtoken0123456789abcdef"
CALL = "1c4a6c7e-0000-4a4a-8b8b-111111111111"
CONFERENCE = "2c4a6c7e-0000-4a4a-8b8b-222222222222"
STREAM = "3c4a6c7e-0000-4a4a-8b8b-333333333333"


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> object:
    from helpers import Runner

    return Runner(request.param)
