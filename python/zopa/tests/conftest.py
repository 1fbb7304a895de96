"""What every test here needs: the repository, the reference corpus beside it and the `zopa`
binary built from the same sources (the Python results are compared with its output). A
missing prerequisite fails the test that needs it, saying what to do; nothing is skipped."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


def _cli() -> Path | None:
    given = os.environ.get("ZOPA_CLI")
    if given:
        return Path(given)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for profile in ("debug", "release"):
        candidate = target / profile / "zopa"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "scenarios").is_dir():
        pytest.fail(f"the reference corpus {SHARED} must sit beside the repository (see README)")
    return SHARED


@pytest.fixture(scope="session")
def cli():
    """Runs the `zopa` binary from the repository root; returns (exit status, stdout, stderr)."""
    binary = _cli()
    if binary is None or not binary.exists():
        pytest.fail(
            "the zopa binary is missing: build it with `cargo build -p zopa-cli` "
            "(or point ZOPA_CLI at one built from these sources)"
        )

    def run(*args: str) -> tuple[int, str, str]:
        p = subprocess.run(
            [str(binary), *args], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        return p.returncode, p.stdout, p.stderr

    return run


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch):
    """Paths in the tests are relative to the repository root, as in the CLI's tests and the
    README, so that error messages (which name the path as given) compare equal."""
    monkeypatch.chdir(REPO)
