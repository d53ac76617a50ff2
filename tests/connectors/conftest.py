"""Connector test setup: the helper module beside this file is importable as `connector_helpers`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
