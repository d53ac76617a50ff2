"""Security tests (issue 10): hostile input must never stop a scan, leak a value or touch the source."""

from __future__ import annotations

import pytest

from scanner.limits import Limits
from scanner.models import DetectionSettings

from detectors.engine import Detector, build_analyzer


@pytest.fixture(scope="session")
def security_settings() -> DetectionSettings:
    return DetectionSettings(fingerprint_key=b"security-test-fingerprint-key-32b", fingerprint_key_id="test")


@pytest.fixture(scope="session")
def security_analyzer(security_settings):
    return build_analyzer(security_settings)


@pytest.fixture(scope="session")
def security_detector(security_settings, security_analyzer) -> Detector:
    return Detector(security_settings, Limits(), analyzer=security_analyzer)


@pytest.fixture(scope="session")
def seven_zip_bomb(tmp_path_factory):
    """A folder holding one 7z: 512 MiB of zeros (about 78 KB packed) and a small text member after it in
    the same solid block. Built once per session (LZMA2 preset 0: the fastest way to pack 512 MiB)."""
    import py7zr

    work = tmp_path_factory.mktemp("bomb-src")
    zeros = work / "zeros.txt"
    with open(zeros, "wb") as fh:
        fh.truncate(512 * 1024 * 1024)
    folder = tmp_path_factory.mktemp("bomb")
    with py7zr.SevenZipFile(folder / "bomb.7z", "w", filters=[{"id": py7zr.FILTER_LZMA2, "preset": 0}]) as z:
        z.write(zeros, "zeros.txt")
        z.writestr(b"Contact: jane.doe@example.lu", "ok.txt")
    zeros.unlink()
    return folder
