"""Manifests on disk: determinism, YAML round-trip, hand edits, validation errors, the extract command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from policy_helpers import FIXTURES, REFERENCE, ROOT

from scanner.errors import ConfigError
from scanner.policy import load_policy
from scanner.manifest import PolicyManifest

EXTRACT_SCRIPT = (
    "import sys; from pathlib import Path; from scanner.policy import load_policy; "
    "sys.stdout.write(load_policy(Path(sys.argv[1])).to_yaml())"
)


@pytest.mark.parametrize("policy", [REFERENCE, FIXTURES / "politique-fr.md", FIXTURES / "policy.html"])
def test_extraction_is_byte_identical_across_processes(policy: Path) -> None:
    expected = load_policy(policy).to_yaml()
    assert load_policy(policy).to_yaml() == expected
    for seed in ("1", "2"):  # set and dict orders must not leak into the output
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", EXTRACT_SCRIPT, str(policy)], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout
        assert out == expected


def test_yaml_round_trip(tmp_path: Path, reference_manifest: PolicyManifest) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(reference_manifest.to_yaml(), encoding="utf-8")
    loaded = load_policy(path)
    assert loaded == reference_manifest
    assert loaded.to_yaml() == reference_manifest.to_yaml()
    assert loaded.digest == reference_manifest.digest


def test_hand_edited_manifest_is_honoured(tmp_path: Path, reference_manifest: PolicyManifest) -> None:
    data = yaml.safe_load(reference_manifest.to_yaml())
    for entry in data["categories"]:
        if entry["key"] == "user.health_and_medical":
            entry.update(declared=True, retention="5 years", retention_days=1825,
                         evidence=[{"quote": "Sick notes are kept 5 years.", "section": "HR"}])
    path = tmp_path / "edited.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    edited = load_policy(path)
    assert edited.declares("user.health_and_medical")
    health = edited.category("user.health_and_medical.genetic")
    assert health is not None and health.retention_days == 1825
    assert edited.generator == reference_manifest.generator  # provenance survives the edit


def test_header_comment_only_on_generated_manifests(reference_manifest: PolicyManifest) -> None:
    assert reference_manifest.to_yaml().startswith("# ")
    assert not reference_manifest.to_yaml(header=False).startswith("#")
    assert not PolicyManifest(title="hand-written").to_yaml().startswith("#")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("categories:\n- key: user.contact.emial\n  declared: true\n", "unknown fideslang data-category key 'user.contact.emial'"),
        ("categories: [key: user.name\n", "not valid YAML at line"),
        ("- just\n- a list\n", "top level must be a mapping"),
        ("version: 99\n", "version 99 is not supported"),
        ("categories:\n- declared: true\n", "category #1 must be a mapping with a `key`"),
        ("categories:\n- key: user.name\n  declared: maybe\n", "`declared` must be true or false"),
        ("categories:\n- key: user.name\n  retention_days: ten\n", "`retention_days` must be a whole number"),
        ("categories:\n- key: user.name\n  evidence: [just a string]\n", "each evidence item needs a `quote`"),
        ("security_measures:\n- tls\n", "security measure #1"),
        ("transfers:\n  outside_eu_allowed: sometimes\n", "outside_eu_allowed` must be true, false or null"),
    ],
)
def test_invalid_manifest_raises_config_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_minimal_hand_written_manifest_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yaml"
    path.write_text("categories:\n- key: user.contact.email\n", encoding="utf-8")
    manifest = load_policy(path)
    assert manifest.declared_keys() == {"user.contact.email"}


def test_policy_extract_command_writes_a_loadable_manifest(tmp_path: Path, reference_manifest: PolicyManifest) -> None:
    from scanner.cli import cli

    out = tmp_path / "manifest.yaml"
    result = CliRunner().invoke(cli, ["policy", "extract", str(REFERENCE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == reference_manifest.to_yaml()
    assert load_policy(out) == reference_manifest
