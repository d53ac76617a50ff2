"""Privacy policy -> manifest of declared categories, measures, transfers and subjects, with evidence.

Two entry points:
- `load_policy(path)`: what `scan --policy` takes. A `.yaml`/`.yml` file is a (possibly hand-edited)
  manifest, validated; anything else is a policy document, read and extracted on the fly.
- `extract_policy_file(path)`: a policy document (Markdown, text, HTML, PDF) -> manifest, for
  `policyscan policy extract`; `explain_policy_file(path)` adds every rejected candidate (`--explain`).
Both raise `ConfigError` (exit 2) with the file and the reason for anything they cannot use.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from scanner.errors import ConfigError
from scanner.manifest import MANIFEST_VERSION, PolicyManifest

if TYPE_CHECKING:
    from scanner.policy.extract import Extraction

MANIFEST_SUFFIXES = (".yaml", ".yml")


def load_policy(path: Path) -> PolicyManifest:
    path = Path(path)
    if path.suffix.lower() in MANIFEST_SUFFIXES:
        return load_manifest_file(path)
    return extract_policy_file(path)


def extract_policy_file(path: Path) -> PolicyManifest:
    from scanner.policy.extract import extract_manifest
    from scanner.policy.reader import read_policy_text

    return extract_manifest(read_policy_text(Path(path)))


def explain_policy_file(path: Path) -> "Extraction":
    """The manifest of a policy document plus every candidate that declared nothing, with why."""
    from scanner.policy.extract import extract
    from scanner.policy.reader import read_policy_text

    path = Path(path)
    if path.suffix.lower() in MANIFEST_SUFFIXES:
        raise ConfigError(f"--explain needs a policy document, not a manifest: {path}")
    return extract(read_policy_text(path))


def load_manifest_file(path: Path) -> PolicyManifest:
    """A manifest YAML, checked: structure, version, and every category key against fideslang's taxonomy."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read policy manifest {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"policy manifest {path} is not valid YAML{where}") from None
    validate_manifest_data(data, str(path))
    try:
        return PolicyManifest.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"policy manifest {path} is malformed ({type(exc).__name__}: {exc})") from None


@lru_cache(maxsize=1)
def fideslang_category_keys() -> frozenset[str]:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    return frozenset(c.fides_key for c in DEFAULT_TAXONOMY.data_category)


def _fail(where: str, message: str) -> None:
    raise ConfigError(f"policy manifest {where}: {message}")


def validate_manifest_data(data: Any, where: str = "manifest") -> None:
    """Raise ConfigError naming the first problem: the checks a hand edit most often breaks."""
    if not isinstance(data, dict):
        _fail(where, "the top level must be a mapping (title, categories, security_measures, …)")
    version = data.get("version", MANIFEST_VERSION)
    if not isinstance(version, int) or version > MANIFEST_VERSION:
        _fail(where, f"version {version!r} is not supported (this policyscan reads up to {MANIFEST_VERSION})")
    categories = data.get("categories") or []
    if not isinstance(categories, list):
        _fail(where, "`categories` must be a list")
    known = fideslang_category_keys()
    for n, entry in enumerate(categories, start=1):
        if not isinstance(entry, dict) or "key" not in entry:
            _fail(where, f"category #{n} must be a mapping with a `key`")
        key = entry["key"]
        if key not in known:
            _fail(where, f"category #{n} has unknown fideslang data-category key {key!r}")
        if not isinstance(entry.get("declared", True), bool):
            _fail(where, f"category {key}: `declared` must be true or false")
        days = entry.get("retention_days")
        if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
            _fail(where, f"category {key}: `retention_days` must be a whole number of days or null")
        for ev in entry.get("evidence") or []:
            if not isinstance(ev, dict) or "quote" not in ev:
                _fail(where, f"category {key}: each evidence item needs a `quote`")
    for n, measure in enumerate(data.get("security_measures") or [], start=1):
        if not isinstance(measure, dict) or "kind" not in measure:
            _fail(where, f"security measure #{n} must be a mapping with a `kind`")
    transfers = data.get("transfers") or {}
    if not isinstance(transfers, dict):
        _fail(where, "`transfers` must be a mapping")
    if transfers.get("outside_eu_allowed") not in (True, False, None):
        _fail(where, "`transfers.outside_eu_allowed` must be true, false or null")
