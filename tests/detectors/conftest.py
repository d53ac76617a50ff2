"""Detector fixtures: the analyzer is built once per test session (loading spaCy models is slow)."""

from __future__ import annotations

import pytest
from faker import Faker

from scanner.limits import Limits
from scanner.models import DetectionSettings

from detectors.engine import Detector, build_analyzer

KEY = b"test-fingerprint-key"


@pytest.fixture(scope="session")
def settings() -> DetectionSettings:
    return DetectionSettings(fingerprint_key=KEY, fingerprint_key_id="test")


@pytest.fixture(scope="session")
def analyzer(settings):
    return build_analyzer(settings)


@pytest.fixture(scope="session")
def detector(settings, analyzer) -> Detector:
    return Detector(settings, Limits(), analyzer=analyzer)


@pytest.fixture()
def faker() -> Faker:
    fake = Faker(["en_US", "fr_FR", "de_DE"])
    fake.seed_instance(20261126)
    return fake
