"""Issue 10 item 6: a 7z bomb is refused from its declared sizes before any byte is inflated, and what is
inflated is capped while it is written (bytes kept, ratio, the item's deadline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scanner.limits import Limits

from connectors.extract.archive_members import _CappedIO
from connectors.extract.base import ExtractContext

ROOT = Path(__file__).resolve().parents[2]
_SCAN_AND_MEASURE = """
import json, sys
sys.path.insert(0, sys.argv[2])
from tests.connectors.connector_helpers import scan
record = scan(sys.argv[1])
# VmHWM: this process image's peak (ru_maxrss would include the forking pytest's size)
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"rows": record.rows, "peak_mb": peak_kb / 1024}))
"""


def test_a_512_mib_7z_bomb_is_refused_before_inflating_with_small_peak_memory(seven_zip_bomb):
    done = subprocess.run([sys.executable, "-c", _SCAN_AND_MEASURE, str(seven_zip_bomb), str(ROOT)],
                          capture_output=True, text=True, timeout=300, check=True, cwd=ROOT)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    rows = {loc.rsplit("/", 1)[-1]: tuple(row) for loc, row in report["rows"].items()}
    status, reason = rows["bomb.7z!zeros.txt"]
    assert status == "error" and "possible zip bomb, not expanded" in reason
    # the small member sits behind the bomb in the same solid block: reaching it means inflating the bomb
    assert rows["bomb.7z!ok.txt"][0] == "skipped" and "solid 7z block" in rows["bomb.7z!ok.txt"][1]
    assert rows["bomb.7z"][0] == "scanned"
    # imports alone take about 50 MB; inflating the bomb took 634 MB before the fix
    assert report["peak_mb"] < 200, report["peak_mb"]


def test_a_member_inflating_past_the_ratio_while_written_is_a_bomb():
    ctx = ExtractContext.start(Limits(archive_ratio=10))
    writer = _CappedIO("lying.txt", ctx, compressed=1000)  # the header claimed 1000 packed bytes
    for _ in range(3):
        writer.write(b"\0" * (1 << 20))
    assert writer.bomb and writer.size() == 0


def test_a_text_member_keeps_only_bytes_per_file_in_memory():
    ctx = ExtractContext.start(Limits(bytes_per_file=4096))
    writer = _CappedIO("notes.txt", ctx, compressed=None)
    for _ in range(64):
        writer.write(b"plain text line\n" * 4096)
    assert writer.size() == 4096 and writer.truncated and not writer.bomb


def test_the_item_deadline_stops_a_member_while_it_is_written():
    import time

    import pytest

    from scanner.errors import ItemError

    ctx = ExtractContext(Limits(item_seconds=1), deadline=time.monotonic() - 1)
    writer = _CappedIO("slow.txt", ctx, compressed=None)
    with pytest.raises(ItemError, match="time limit"):
        writer.write(b"x" * 100)
