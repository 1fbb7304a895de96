"""What the server's end-to-end tests share: a `zopa serve` process on a free port (the binary
built from these sources), and headless Chromium driven by Selenium through Debian's
chromium-driver. A missing prerequisite fails the test that needs it, saying what to do."""

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from serve_helpers import REPO, binary

SHOTS = Path(os.environ.get("ZOPA_SCREENSHOTS", REPO / "target" / "screenshots"))


@pytest.fixture(scope="session")
def server():
    """`zopa serve scenarios` on a free port; yields (base URL, process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [str(binary()), "serve", "scenarios", "--port", str(port)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    assert re.search(r"open http://127\.0\.0\.1:\d+/", line), line
    yield f"http://127.0.0.1:{port}", proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def browser():
    """A fresh headless Chromium (Debian's chromium + chromium-driver)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is missing: pip install selenium (.ci/run installs it)")
    driver_path = shutil.which("chromedriver")
    if not driver_path or not shutil.which("chromium"):
        pytest.fail("chromium and chromedriver are missing: apt-get install chromium chromium-driver (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drivers = []

    def start():
        d = webdriver.Chrome(service=Service(driver_path), options=options)
        drivers.append(d)
        return d

    yield start
    for d in drivers:
        d.quit()


@pytest.fixture
def shot():
    """Saves a screenshot of a page into target/screenshots (named by the test)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(driver, name):
        path = SHOTS / f"{name}.png"
        driver.save_screenshot(str(path))
        print(f"screenshot: {path}")
        return path

    return take
