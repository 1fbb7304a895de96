"""Helpers of the browser tests (a module of its own: conftest is not importable by name when
several test folders run together)."""

import json
import os
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def binary() -> Path:
    """The zopa binary built from these sources (ZOPA_CLI, else target/debug or release)."""
    given = os.environ.get("ZOPA_CLI")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for c in ([Path(given)] if given else [target / p / "zopa" for p in ("debug", "release")]):
        if c.exists():
            return c
    pytest.fail("the zopa binary is missing: build it with `cargo build -p zopa-cli` (or set ZOPA_CLI)")


def console_errors(driver):
    """Severe console messages of a page (JavaScript errors, failed requests)."""
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait_for(condition, timeout=20, what="the condition"):
    end = time.time() + timeout
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def api(base, path, body=None):
    """GET (or POST `body` as JSON to) the server's JSON API."""
    req = urllib.request.Request(base + path, method="POST" if body is not None else "GET")
    data = None
    if body is not None:
        req.add_header("content-type", "application/json")
        data = json.dumps(body).encode()
    with urllib.request.urlopen(req, data, timeout=10) as r:
        return json.loads(r.read())
