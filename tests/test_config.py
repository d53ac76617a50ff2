"""Configuration: ${ENV} resolution, credential redaction, limits validation, scheme dispatch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.config import load_config, make_source, redact_uri, resolve_env, uri_scheme
from scanner.errors import ConfigError
from scanner.limits import Limits


@pytest.mark.parametrize(
    "uri, scheme",
    [
        ("/srv/share", "file"),
        ("relative/dir", "file"),
        ("file:///srv/share", "file"),
        ("smb://scanner@files:1445/hr/x", "smb"),
        ("s3://bucket/prefix", "s3"),
        ("sftp://u@host:2222/drop", "sftp"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:////tmp/x.db", "sqlite"),
    ],
)
def test_scheme_dispatch(uri: str, scheme: str) -> None:
    assert uri_scheme(uri) == scheme


@pytest.mark.parametrize(
    "uri, shown",
    [
        ("postgresql://reader:s3cret@db:5432/crm", "postgresql://reader:***@db:5432/crm"),
        ("smb://u:p%40ss@files/share", "smb://u:***@files/share"),
        ("s3://bucket/prefix", "s3://bucket/prefix"),  # nothing to hide
    ],
)
def test_redact_uri_hides_passwords(uri: str, shown: str) -> None:
    assert redact_uri(uri) == shown


def test_env_references_resolve_and_missing_ones_fail() -> None:
    assert resolve_env({"a": ["${X}-${Y}"]}, {"X": "1", "Y": "2"}) == {"a": ["1-2"]}
    with pytest.raises(ConfigError, match="NOPE"):
        resolve_env("${NOPE}", {})


def test_password_option_goes_into_uri_but_never_into_display() -> None:
    spec = make_source("sftp://scanner@host:2222/drop", options={"password": "hunter2"})
    assert "hunter2" in spec.uri
    assert "hunter2" not in spec.display
    assert spec.options == {}


def test_config_file_secrets_are_redacted_in_raw(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "sources:\n  - uri: postgresql://reader@db/crm\n    password: ${PGPW}\n    region: us\n"
        "limits: {rows_per_table: 7}\n"
    )
    config = load_config(cfg, env={"PGPW": "topsecret", "POLICYSCAN_HMAC_KEY": "k" * 32})
    assert config.sources[0].region == "US"
    assert config.limits.rows_per_table == 7
    assert "topsecret" in config.sources[0].uri
    assert "topsecret" not in repr(config.raw)
    assert config.digest == load_config(cfg, env={"PGPW": "other", "POLICYSCAN_HMAC_KEY": "k" * 32}).digest


def test_relative_sources_resolve_against_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "share").mkdir()
    cfg = tmp_path / "c.yaml"
    cfg.write_text("sources:\n  - uri: share\n")
    config = load_config(cfg, env={"POLICYSCAN_HMAC_KEY": "k" * 32})
    assert config.sources[0].uri == str((tmp_path / "share").resolve())


@pytest.mark.parametrize(
    "data, message",
    [
        ({"no_such_limit": 1}, "unknown limits"),
        ({"rows_per_table": "many"}, "must be a number"),
    ],
)
def test_bad_limits_are_config_errors(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Limits.from_mapping(data)


def test_duplicate_source_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="twice"):
        load_config(None, cli_sources=(str(tmp_path), str(tmp_path)), env={"POLICYSCAN_HMAC_KEY": "k" * 32})


def test_fingerprint_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    from scanner.config import fingerprint_key

    env = {"POLICYSCAN_HOME": str(tmp_path)}
    first = fingerprint_key("UNSET_KEY_VAR", env)
    assert first == fingerprint_key("UNSET_KEY_VAR", env)
    assert (tmp_path / "fingerprint.key").stat().st_mode & 0o077 == 0


def test_crash_while_creating_the_key_file_leaves_no_key_file(tmp_path: Path, monkeypatch) -> None:
    """Issue 10 item 10: the key file is written to a temporary file and moved into place, so a first run
    that dies while writing leaves no (empty) key file behind, and the next run creates a whole one."""
    import scanner.config as config_module

    env = {"POLICYSCAN_HOME": str(tmp_path)}
    real_fdopen = os.fdopen

    class Crashing:
        def __init__(self, fh) -> None:  # noqa: ANN001
            self.fh = fh

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *exc) -> None:  # noqa: ANN002
            self.fh.close()

        def write(self, data: bytes) -> int:
            raise OSError("disk full")

    monkeypatch.setattr(config_module.os, "fdopen", lambda fd, *a, **k: Crashing(real_fdopen(fd, *a, **k)))
    with pytest.raises(OSError, match="disk full"):
        config_module.fingerprint_key("UNSET_KEY_VAR", env)
    assert list(tmp_path.iterdir()) == []  # neither a key file nor a leftover temporary file
    monkeypatch.undo()
    key = config_module.fingerprint_key("UNSET_KEY_VAR", env)
    assert len(key) >= 32 and (tmp_path / "fingerprint.key").read_bytes() == key
    assert (tmp_path / "fingerprint.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("where", ["env", "file"])
@pytest.mark.parametrize("key", [b"", b"x", b"k" * 31])
def test_short_fingerprint_keys_are_refused_with_exit_2(tmp_path: Path, where: str, key: bytes) -> None:
    """Issue 10 item 10: an empty, one-byte or 31-byte key (variable or file) is exit 2 with a clear
    message, never an unkeyed HMAC whose key id is published in scan.json."""
    from click.testing import CliRunner

    from scanner.cli import cli

    (tmp_path / "share").mkdir()
    home = tmp_path / "home"
    home.mkdir()
    env = {"POLICYSCAN_HOME": str(home), "POLICYSCAN_HMAC_KEY": ""}
    if where == "env" and key:
        env["POLICYSCAN_HMAC_KEY"] = key.decode()
    else:
        (home / "fingerprint.key").write_bytes(key)
    result = CliRunner(env=env).invoke(cli, ["scan", str(tmp_path / "share"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "fingerprint key" in result.output and "at least 32" in result.output
    assert not (tmp_path / "out" / "scan.json").exists()


def test_a_32_byte_key_is_accepted(tmp_path: Path) -> None:
    from scanner.config import fingerprint_key

    assert fingerprint_key("K", {"K": "k" * 32, "POLICYSCAN_HOME": str(tmp_path)}) == b"k" * 32
