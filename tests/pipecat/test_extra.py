"""pipecat is an optional extra: the SDK never imports it unless its integration module is imported, that module,
without pipecat, says which extra to install, and its environment keeps the main one's versions."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
import subprocess
import sys

import pytest

from tests.helpers import ROOT

NO_PIPECAT = r"""
import sys
import signalwire_compat as sw
import signalwire_compat.integrations
for name in sw.__all__:  # every public name, the lazily loaded ones included
    getattr(sw, name)
from signalwire_compat import cxml, media, testing, webhooks
loaded = sorted(name for name in sys.modules if name == "pipecat" or name.startswith("pipecat."))
assert loaded == [], loaded
print("ok")
"""


@pytest.mark.slow  # starts an interpreter
def test_importing_the_sdk_and_every_public_name_does_not_import_pipecat() -> None:
    ran = subprocess.run(
        [sys.executable, "-c", NO_PIPECAT], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert ran.returncode == 0 and ran.stdout == "ok\n", ran.stderr
    assert importlib.util.find_spec("pipecat") is not None  # it is installed here: the check means something


def test_without_pipecat_the_integration_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(sys.modules):
        if name == "pipecat" or name.startswith("pipecat.") or name == "signalwire_compat.integrations.pipecat":
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pipecat", None)  # as if it were not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'signalwire-compat\[pipecat\]'") as raised:
        importlib.import_module("signalwire_compat.integrations.pipecat")
    assert str(raised.value.name).startswith("pipecat")  # what was missing, for tools that read it


def pins(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if line and not line.startswith("#"))


def test_the_pipecat_environment_keeps_make_installs_versions_and_pipecats_tested_line() -> None:
    main, pipecat = pins("constraints.txt"), pins("constraints-pipecat.txt")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    own = set(re.search(r"^PIPECAT_OWN_PINS := (.+)$", makefile, re.MULTILINE)[1].split("|"))  # type: ignore[index]
    differ = {name: (main[name], pipecat[name]) for name in main.keys() & pipecat.keys() if main[name] != pipecat[name]}
    # More differences: constraints.txt changed (run make lock-pipecat); fewer: drop the stale exception.
    assert differ.keys() == own, differ
    assert pipecat["pipecat-ai"].startswith("1.14.")
    assert importlib.metadata.version("pipecat-ai") == pipecat["pipecat-ai"]
