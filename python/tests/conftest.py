"""Shared fixtures: the repository, the CLI binary the tables are compared
with, and the CI rule for data a test cannot find."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"

# runlens keeps a per-file cache under $XDG_CACHE_HOME; the tests (and the
# CLI runs they compare with, which inherit this) use their own, never the
# user's, and both sides going through one cache checks it changes nothing.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="pyrunlens-tests-cache-")


def in_ci() -> bool:
    return os.environ.get("CI", "") not in ("", "false", "0")


def missing(test: str, why: str) -> None:
    """Fail in CI (CI=true); elsewhere skip and say so on the terminal."""
    if in_ci():
        pytest.fail(f"{test}: {why}, and CI is set: this check must run in CI")
    sys.stderr.write(f"SKIPPED {test}: {why}\n")
    pytest.skip(why)


@pytest.fixture(scope="session")
def runlens_bin() -> Path:
    """The release CLI built from the same checkout (`cargo build --release`)."""
    given = os.environ.get("RUNLENS_BIN")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    path = Path(given) if given else target / "release" / "runlens"
    if not path.is_file():
        pytest.fail(f"no runlens binary at {path}: run `cargo build --release` or set RUNLENS_BIN")
    return path


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The real device files ($RUNLENS_REALDATA, with reference.csv)."""
    given = os.environ.get("RUNLENS_REALDATA", "")
    path = Path(given)
    if not given or not (path / "reference.csv").is_file():
        missing("realdata", "RUNLENS_REALDATA is not set or holds no reference.csv")
    return path
