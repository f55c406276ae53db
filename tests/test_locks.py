"""The locks in requirements/ still say what pyproject.toml asks for.

`make lock` writes them (uv pip compile, hash-pinned); these tests fail when pyproject.toml or
requirements/bootstrap.in changed without a new lock, or when a lock was edited by hand."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ROOT / "requirements"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT_NAME = canonicalize_name(PROJECT["project"]["name"])
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)(?:\s*;\s*(?P<marker>[^\\]+?))?\s*\\?$")
_HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})")
_VIA = re.compile(r"#\s+(?:via\s+)?(?P<source>.+)$")


@dataclass
class Pin:
    name: str
    version: str
    marker: str | None
    hashes: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)

    def applies(self) -> bool:
        """Whether this pin is for the running interpreter (a universal lock has several)."""
        return self.marker is None or Requirement(f"x; {self.marker}").marker.evaluate(default_environment())


def read_lock(path: Path) -> list[Pin]:
    """Every ``name==version`` of a lock with its hashes and what pulled it in (``# via``)."""
    pins: list[Pin] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if match := _PIN.match(line):
            pins.append(Pin(canonicalize_name(match["name"]), match["version"], match["marker"]))
        elif pins and (hashes := _HASH.findall(stripped)):
            pins[-1].hashes.update(hashes)
        elif pins and line.startswith("    #") and (via := _VIA.match(stripped)) and via["source"] != "via":
            pins[-1].via.add(via["source"].strip())
        elif stripped and not stripped.startswith("#"):
            pytest.fail(f"{path.name}: a line that is no hash-pinned requirement: {line!r}")
    return pins


def _satisfied(requirement: Requirement, pins: list[Pin]) -> bool:
    if requirement.marker is not None and not requirement.marker.evaluate(default_environment()):
        return True
    return any(p.name == canonicalize_name(requirement.name) and p.applies() and requirement.specifier.contains(p.version, prereleases=True) for p in pins)


def _extras() -> dict[str, list[str]]:
    return PROJECT["project"]["optional-dependencies"]


RUNTIME = read_lock(LOCKS / "runtime.lock")
DEV = read_lock(LOCKS / "dev.lock")
BOOTSTRAP = read_lock(LOCKS / "bootstrap.lock")


@pytest.mark.parametrize("lock", ["runtime.lock", "dev.lock", "bootstrap.lock"])
def test_every_pin_is_exact_and_hashed(lock: str) -> None:
    pins = read_lock(LOCKS / lock)
    assert pins, f"{lock} pins nothing"
    assert [p.name for p in pins if not p.hashes] == []


@pytest.mark.parametrize("requirement", PROJECT["project"]["dependencies"])
def test_runtime_lock_satisfies_each_dependency(requirement: str) -> None:
    assert _satisfied(Requirement(requirement), RUNTIME), f"runtime.lock does not satisfy {requirement}: run `make lock`"


@pytest.mark.parametrize("requirement", [r for extra in _extras().values() for r in extra] + PROJECT["project"]["dependencies"])
def test_dev_lock_satisfies_each_dependency_and_extra(requirement: str) -> None:
    assert _satisfied(Requirement(requirement), DEV), f"dev.lock does not satisfy {requirement}: run `make lock`"


def test_runtime_lock_has_no_test_or_training_tools() -> None:
    """A user who only extracts installs no pytest, browser driver, Dask, scikit-learn or uv."""
    runtime_names = {canonicalize_name(Requirement(r).name) for r in PROJECT["project"]["dependencies"]}
    extra_only = {canonicalize_name(Requirement(r).name) for extra in _extras().values() for r in extra} - runtime_names
    assert extra_only, "pyproject.toml declares no extras"
    assert sorted(extra_only & {p.name for p in RUNTIME}) == []


def test_dev_lock_is_the_runtime_lock_plus_tools() -> None:
    """`make test` installs the dev lock over the runtime one: a shared package must not change."""
    dev = {(p.name, p.marker): p for p in DEV}
    changed = [p.name for p in RUNTIME if (p.name, p.marker) not in dev or dev[(p.name, p.marker)].version != p.version or dev[(p.name, p.marker)].hashes != p.hashes]
    assert changed == []


@pytest.mark.parametrize("lock", ["runtime.lock", "dev.lock"])
def test_nothing_stale_in_a_lock(lock: str) -> None:
    """Every pin is pulled in, directly or through other pins, by pyproject.toml: a dependency
    removed from pyproject.toml leaves no orphan behind."""
    pins = read_lock(LOCKS / lock)
    names = {p.name for p in pins}
    reached = {PROJECT_NAME}
    changed = True
    while changed:
        changed = False
        for pin in pins:
            parents = {canonicalize_name(v.split(" ")[0]) for v in pin.via if not v.startswith("-c ")}
            if pin.name not in reached and parents & reached:
                reached.add(pin.name)
                changed = True
    assert sorted(names - reached) == []


def test_bootstrap_lock_pins_the_installer_and_build_backend() -> None:
    """The venv's own pip is replaced by a pinned one before anything else is installed, and
    setuptools satisfies both bootstrap.in and the build system of the editable install."""
    wanted = [Requirement(line) for line in (LOCKS / "bootstrap.in").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    wanted += [Requirement(r) for r in PROJECT["build-system"]["requires"]]
    assert {"pip", "setuptools"} <= {canonicalize_name(r.name) for r in wanted}
    assert [str(r) for r in wanted if not _satisfied(r, BOOTSTRAP)] == []
