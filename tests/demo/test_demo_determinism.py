"""The demo estate is byte-reproducible: same seed, same bytes, modes and mtimes, whatever the clock says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from scanner.demo.estate import generate_demo_estate


def _snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Relative path -> (mode, mtime in ns, content); folders have empty content."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        content = path.read_bytes() if path.is_file() else b""
        out[path.relative_to(root).as_posix()] = (st.st_mode, st.st_mtime_ns, content)
    return out


def test_same_seed_gives_identical_bytes_modes_and_mtimes(demo_estate: Path, tmp_path: Path) -> None:
    # the zip format stores times in 2-second steps: wait past one so a leaked "now" would show
    time.sleep(2.1)
    again = tmp_path / "again"
    generate_demo_estate(again)
    first, second = _snapshot(demo_estate), _snapshot(again)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two generations"
    assert os.stat(demo_estate).st_mtime_ns == os.stat(again).st_mtime_ns


@pytest.mark.slow
def test_same_seed_gives_identical_estate_in_another_process(demo_estate: Path, tmp_path: Path) -> None:
    # a fresh interpreter with another hash seed: nothing may depend on set order or process state
    again = tmp_path / "again"
    code = "import sys; from pathlib import Path; from scanner.demo.estate import generate_demo_estate; " \
           "generate_demo_estate(Path(sys.argv[1]))"
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run([sys.executable, "-c", code, str(again)], check=True, env=env, timeout=120)
    assert _snapshot(again) == _snapshot(demo_estate)


def test_another_seed_gives_other_people(demo_estate: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_demo_estate(other, seed=7)
    customers = "share/sales/customers.csv"
    assert (other / customers).read_bytes() != (demo_estate / customers).read_bytes()
    assert (other / "share/README.txt").read_bytes() == (demo_estate / "share/README.txt").read_bytes()


def test_regenerating_wipes_what_was_there(tmp_path: Path) -> None:
    root = tmp_path / "estate"
    generate_demo_estate(root)
    stale = root / "share" / "stale.txt"
    stale.write_text("left over from an earlier run")
    generate_demo_estate(root)
    assert not stale.exists()
    assert (root / "policyscan.yaml").is_file()


@pytest.mark.parametrize("content", ["notes.txt", "policyscan.yaml"])
def test_refuses_to_wipe_a_folder_that_is_not_a_demo_estate(tmp_path: Path, content: str) -> None:
    # a policyscan.yaml that the demo did not write does not make the folder a demo estate
    root = tmp_path / "precious"
    root.mkdir()
    (root / content).write_text("sources: []\n")
    with pytest.raises(FileExistsError):
        generate_demo_estate(root)
    assert (root / content).read_text() == "sources: []\n"


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc)


@pytest.mark.parametrize("folder, pattern", [
    ("share/sales", "*.xlsx"), ("share/hr/employees", "*.xlsx"), ("share/hr/applications", "*.docx"),
    ("share/hr/employees/sick-leave", "*.docx"),
])
def test_office_documents_carry_their_file_date_not_now(demo_estate: Path, folder: str, pattern: str) -> None:
    paths = sorted((demo_estate / folder).glob(pattern))
    assert paths
    for path in paths:
        stamp = _mtime(path)
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode()
            dates = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core)
            assert dates == [stamp.strftime("%Y-%m-%dT%H:%M:%SZ")] * 2, path.name
            assert {info.date_time for info in archive.infolist()} == {stamp.timetuple()[:6]}, path.name


def test_pdfs_carry_their_file_date_not_now(demo_estate: Path) -> None:
    paths = sorted(demo_estate.rglob("*.pdf"))
    assert len(paths) >= 5
    for path in paths:
        created = re.search(rb"/CreationDate \(D:(\d{14})", path.read_bytes())
        assert created is not None, path.name
        assert created.group(1).decode() == _mtime(path).strftime("%Y%m%d%H%M%S"), path.name
