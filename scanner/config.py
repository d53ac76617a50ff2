"""Scan configuration: one YAML file, `${ENV}` references resolved, secrets redacted for display.

The config is a plain frozen record passed to the pipeline (no global settings object). Its digest
(over the redacted form) goes into scan.json so a report says exactly how it was made.

Example::

    sources:
      - uri: smb://scanner@fileserver/hr
        password: ${SMB_PASSWORD}
        region: LU
      - uri: postgresql://reader:${PG_PASSWORD}@db.example.com/crm
        region: US
    limits: {rows_per_table: 500, bytes_per_file: 4194304}
    detection: {countries: [LU, FR, BE, DE], languages: [en, fr, de]}
    retention_default_days: 1825
    fingerprint_key_env: POLICYSCAN_HMAC_KEY
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, urlsplit, urlunsplit

import yaml

from scanner.errors import ConfigError
from scanner.limits import Limits
from scanner.models import DEFAULT_COUNTRIES, DEFAULT_LANGUAGES, DetectionSettings, SourceSpec
from scanner.secrets import MASK, display_uri, is_secret_name, secrets_of

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def resolve_env(value: Any, env: Mapping[str, str] | None = None) -> Any:
    """Replace `${NAME}` in strings (recursively) from the environment; a missing variable is a ConfigError."""
    env = os.environ if env is None else env
    if isinstance(value, str):
        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in env:
                raise ConfigError(f"environment variable {name} is referenced in the config but not set")
            return env[name]

        return _ENV_REF.sub(sub, value)
    if isinstance(value, list):
        return [resolve_env(v, env) for v in value]
    if isinstance(value, dict):
        return {k: resolve_env(v, env) for k, v in value.items()}
    return value


def redact_uri(uri: str) -> str:
    """The URI without its password or secret query parameters (see `scanner.secrets.display_uri`)."""
    return display_uri(uri)


def uri_scheme(uri: str) -> str:
    """`file` for local paths and file:// URIs, else the URI scheme (`postgresql+psycopg` kept whole)."""
    if "://" not in uri:
        return "file"
    scheme = uri.split("://", 1)[0].lower()
    return scheme or "file"


def make_source(uri: str, *, region: str | None = None, options: Mapping[str, Any] | None = None) -> SourceSpec:
    options = dict(options or {})
    user = options.pop("user", None) or options.pop("username", None)
    password = options.pop("password", None)
    if password is not None and "://" in uri:
        parts = urlsplit(uri)
        name = user or parts.username or ""
        netloc = f"{quote(name, safe='')}:{quote(str(password), safe='')}@{parts.hostname or ''}"
        if parts.port:
            netloc += f":{parts.port}"
        uri = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    elif user and "://" in uri and "@" not in urlsplit(uri).netloc:
        parts = urlsplit(uri)
        uri = urlunsplit((parts.scheme, f"{quote(user, safe='')}@{parts.netloc}", parts.path, parts.query, parts.fragment))
    return SourceSpec(uri=uri, display=redact_uri(uri), scheme=uri_scheme(uri), region=region, options=options)


@dataclass(frozen=True)
class ScanConfig:
    sources: tuple[SourceSpec, ...] = ()
    limits: Limits = field(default_factory=Limits)
    detection: DetectionSettings = field(default_factory=DetectionSettings)
    retention_default_days: int = 5 * 365
    minimisation_locations: int = 3
    policy: str | None = None  # policy document or manifest path from the config file
    raw: Mapping[str, Any] = field(default_factory=dict)  # redacted, for the digest and scan.json

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every credential the sources carry, for scrubbing text that may echo one (never to be shown)."""
        return tuple(sorted({x for s in self.sources for x in secrets_of(s.uri, s.options)}, key=len, reverse=True))

    @property
    def digest(self) -> str:
        blob = json.dumps(self.raw, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _redact_mapping(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if is_secret_name(k):
                out[k] = MASK
            elif str(k) == "uri" and isinstance(v, str):
                out[k] = redact_uri(v)
            else:
                out[k] = _redact_mapping(v)
        return out
    if isinstance(value, list):
        return [_redact_mapping(v) for v in value]
    return value


MIN_KEY_BYTES = 32  # an HMAC key shorter than the hash's own strength makes fingerprints guessable


def fingerprint_key(env_name: str, env: Mapping[str, str] | None = None, *, create: bool = True) -> bytes:
    """The HMAC key for value fingerprints. Without one, a per-machine key file is created once
    (`~/.config/policyscan/fingerprint.key`), so fingerprints stay comparable across scans of one host
    but cannot be brute-forced by whoever reads a report elsewhere. `create=False` (lookups such as
    `locate`) raises ConfigError instead of creating a key that no scan used.

    A key shorter than MIN_KEY_BYTES (from the variable or the file: an empty file is what a crashed
    first run used to leave) is a ConfigError (exit 2), never silently an unkeyed HMAC."""
    env = os.environ if env is None else env
    if env.get(env_name):
        return _checked_key(env[env_name].encode(), f"environment variable {env_name}")
    home = Path(env.get("POLICYSCAN_HOME") or Path.home() / ".config" / "policyscan")
    path = home / "fingerprint.key"
    try:
        return _checked_key(path.read_bytes(), f"key file {path}")
    except FileNotFoundError:
        if not create:
            raise ConfigError(f"no fingerprint key: set {env_name} to the key the scan used") from None
        return _create_key_file(path)


def _checked_key(key: bytes, where: str) -> bytes:
    if len(key.strip()) < MIN_KEY_BYTES:
        raise ConfigError(
            f"the fingerprint key in {where} has {len(key.strip())} bytes; at least {MIN_KEY_BYTES} are needed "
            "(e.g. `openssl rand -hex 32`). A short key makes every fingerprint guessable. An empty key file "
            "left by an interrupted first run can be deleted: a new one is then created.")
    return key


def _create_key_file(path: Path) -> bytes:
    """Write a new random key to a private temporary file, then link it into place: the key file either
    does not exist or holds a whole key (never empty, never half-written), and when two first runs race,
    both end up with the one key that won (`link` does not replace, unlike `rename`)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = os.urandom(32).hex().encode()
    fd, tmp = tempfile.mkstemp(prefix=".fingerprint.key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _checked_key(path.read_bytes(), f"key file {path}")
        _fsync_dir(path.parent)
        return key
    finally:
        os.unlink(tmp)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_config(
    path: str | Path | None,
    *,
    cli_sources: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    reveal_values: bool = False,
) -> ScanConfig:
    """Read the YAML config (optional), add CLI sources, resolve `${ENV}`; ConfigError on anything wrong."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"config file not found: {path}") from exc
        except yaml.YAMLError as exc:
            raise ConfigError(f"config file is not valid YAML: {path}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError("config file must be a mapping")
        data = loaded or {}
    for key, value in (overrides or {}).items():
        data[key] = value
    base_dir = Path(path).parent if path is not None else Path.cwd()
    raw_sources = list(data.get("sources") or [])
    raw_sources += [{"uri": s} for s in cli_sources]
    resolved = resolve_env(raw_sources, env)
    sources = []
    for entry in resolved:
        if isinstance(entry, str):
            entry = {"uri": entry}
        if not isinstance(entry, dict) or "uri" not in entry:
            raise ConfigError("each source needs a `uri`")
        entry = dict(entry)
        uri = str(entry.pop("uri"))
        if "://" not in uri and not Path(uri).is_absolute():
            uri = str((base_dir / uri).resolve()) if path is not None else str(Path(uri).resolve())
        region = entry.pop("region", None)
        sources.append(make_source(uri, region=str(region).upper() if region else None, options=entry))
    seen: set[str] = set()
    for spec in sources:
        if spec.display in seen:
            raise ConfigError(f"source listed twice: {spec.display}")
        seen.add(spec.display)
    det = dict(data.get("detection") or {})
    key_env = str(data.get("fingerprint_key_env") or "POLICYSCAN_HMAC_KEY")
    key = fingerprint_key(key_env, env)
    detection = DetectionSettings(
        languages=tuple(det.get("languages") or DEFAULT_LANGUAGES),
        countries=tuple(c.upper() for c in (det.get("countries") or DEFAULT_COUNTRIES)),
        min_score=float(det.get("min_score", 0.5)),
        fingerprint_key=key,
        fingerprint_key_id=hashlib.sha256(key).hexdigest()[:8],
        reveal_values=reveal_values or bool(det.get("reveal_values", False)),
    )
    raw = _redact_mapping({**data, "sources": [
        {"uri": s.display, "region": s.region, **_redact_mapping(dict(s.options))} for s in sources
    ]})
    return ScanConfig(
        sources=tuple(sources),
        limits=Limits.from_mapping(data.get("limits")),
        detection=detection,
        retention_default_days=int(data.get("retention_default_days", 5 * 365)),
        minimisation_locations=int(data.get("minimisation_locations", 3)),
        policy=str((base_dir / data["policy"]).resolve()) if data.get("policy") else None,
        raw=raw,
    )
