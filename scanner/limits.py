"""Sampling and safety limits shared by connectors, extraction and detection.

One frozen record passed to every collaborator, so a limit is set in one place (config file section
`limits:`) and recorded in scan.json. Defaults are chosen so that a first scan of a large share finishes
overnight: bounded bytes per file, bounded rows per table, bounded archive expansion.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Mapping

from scanner.errors import ConfigError


@dataclass(frozen=True)
class Limits:
    seed: int = 1234
    # files
    bytes_per_file: int = 2 * 1024 * 1024  # sampled bytes per file: head + random windows
    head_bytes: int = 512 * 1024
    window_bytes: int = 64 * 1024
    max_file_bytes: int = 50 * 1024**3  # larger files are skipped (recorded)
    max_document_bytes: int = 200 * 1024 * 1024  # whole-file formats (docx, pdf, xlsx) above this are skipped
    files_per_folder: int = 5000
    files_per_source: int = 2_000_000
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    skip_media_types: tuple[str, ...] = ("image/*", "video/*", "audio/*", "font/*")
    # tables
    rows_per_table: int = 200
    tables_per_source: int = 100_000
    statement_timeout_s: float = 30.0
    # archives
    archive_depth: int = 5
    archive_members: int = 10_000
    archive_expanded_bytes: int = 2 * 1024**3
    archive_ratio: float = 200.0  # expanded / compressed, above which a member is a bomb
    # time
    item_seconds: float = 120.0
    isolate_parsers: bool = True  # whole-file document parsers run in a child killed at the deadline
    parser_memory_bytes: int = 2 * 1024**3  # address space a parser child may add before it fails
    # detection
    text_chars_per_sample: int = 200_000
    values_per_column: int = 200
    fingerprints_per_finding: int = 100_000  # `locate` needs every distinct value; past it answers say "at least"
    ocr: bool = False
    ocr_languages: str = "eng+fra+deu"  # tesseract language packs used when ocr is on

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> "Limits":
        """Build from the config file's `limits:` section; unknown keys are a ConfigError, not ignored."""
        if not data:
            return cls()
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(f"unknown limits: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for key, raw in data.items():
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                values[key] = tuple(raw or ())
            elif isinstance(default, bool):
                values[key] = bool(raw)
            elif isinstance(default, (int, float)):
                try:
                    values[key] = type(default)(raw)
                except (TypeError, ValueError) as exc:
                    raise ConfigError(f"limits.{key} must be a number") from exc
            else:
                values[key] = raw
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
