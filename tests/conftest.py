"""Shared test setup: a fixed fingerprint key and a private POLICYSCAN_HOME, so no test writes to ~."""

from __future__ import annotations

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="policyscan-home-")
os.environ.setdefault("POLICYSCAN_HOME", _HOME)
os.environ.setdefault("POLICYSCAN_HMAC_KEY", "policyscan-test-key-of-at-least-32-bytes")
