"""Shared fixtures for the policy tests: the reference policy and its extracted manifest (built once)."""

from __future__ import annotations

import pytest
from policy_helpers import REFERENCE

from scanner.policy.extract import extract_manifest
from scanner.manifest import PolicyManifest
from scanner.policy.reader import PolicyDocument, read_policy_text


@pytest.fixture(scope="session")
def reference_doc() -> PolicyDocument:
    return read_policy_text(REFERENCE)


@pytest.fixture(scope="session")
def reference_manifest(reference_doc: PolicyDocument) -> PolicyManifest:
    return extract_manifest(reference_doc)
