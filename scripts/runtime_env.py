"""A virtual environment holding only the SDK's runtime dependencies, copied from this one.

Used where "a user's environment" matters: the vendoring tests (a host project with nothing else
installed) and the benchmark's import-time and memory probes (in the dev environment,
``import httpx`` also loads its command-line extras, rich and click, which would flatter the SDK's
ratio). The files are copied from the installed distributions, so no network is needed.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sysconfig
import tomllib
import venv
from pathlib import Path
from shutil import copy2

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def runtime_dependencies() -> list[str]:
    """The project's runtime dependencies, as pyproject.toml declares them."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return [Requirement(text).name for text in declared]


def runtime_closure(names: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions ``names`` need, transitively (extras left out)."""
    seen: dict[str, importlib.metadata.Distribution] = {}
    pending = list(names)
    while pending:
        name = pending.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        distribution = importlib.metadata.distribution(name)
        seen[key] = distribution
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return list(seen.values())


def make_runtime_env(destination: Path, names: list[str]) -> tuple[Path, Path]:
    """A venv at ``destination`` (without pip) holding the distributions ``names`` need.

    Returns its python and its site-packages folder.
    """
    venv.EnvBuilder(with_pip=False, clear=True).create(destination)
    python = destination / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    site_packages = Path(purelib)
    here = Path(sysconfig.get_paths()["purelib"])
    for distribution in runtime_closure(names):
        for file in distribution.files or []:
            if file.parts[0] == "..":
                continue
            source = Path(str(distribution.locate_file(file)))
            if source.is_file() and "__pycache__" not in source.parts:
                target = site_packages / source.relative_to(here)
                target.parent.mkdir(parents=True, exist_ok=True)
                copy2(source, target)
    return python, site_packages
