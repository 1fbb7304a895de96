"""The client is tested from its sources (no install needed) and end to end against the `zopa`
binary built from the same repository; a missing binary fails the test that needs it."""

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parent / "src"))


@pytest.fixture(scope="session")
def zopa_binary() -> Path:
    given = os.environ.get("ZOPA_CLI")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    candidates = [Path(given)] if given else [target / p / "zopa" for p in ("debug", "release")]
    for c in candidates:
        if c.exists():
            return c
    pytest.fail("the zopa binary is missing: build it with `cargo build -p zopa-cli` (or set ZOPA_CLI)")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
