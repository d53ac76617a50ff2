"""Headless Debian Chromium for the HTML report tests: dump the DOM after scripts ran, or take a screenshot.

Flags are the ones that work on the test machines (closed network: no background networking, a fresh
profile per run). Tests skip when no chromium binary is installed (tools/apt-packages.txt lists it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=3000"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium binary (apt-get install chromium)")


def _run(args: list[str], page: Path) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="policyscan-chromium-") as profile:
        return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120, check=True)


def dump_dom(page: Path) -> str:
    """The serialised DOM after the page's scripts ran."""
    return _run(["--dump-dom"], page).stdout


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 2400) -> Path:
    _run([f"--screenshot={png}", f"--window-size={width},{height}", "--hide-scrollbars"], page)
    return png
