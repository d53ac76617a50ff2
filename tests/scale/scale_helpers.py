"""Shared pieces of the scale tests: a generated estate, a cheap detector, and reading a run back.

Module-level factories (not lambdas) so spawned worker processes and Dask workers can unpickle them:
the tests directory is on `sys.path`, which spawned children inherit.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import signal
import time
from pathlib import Path
from typing import Iterable

from scanner.config import ScanConfig, load_config
from scanner.models import Finding, ItemOutcome, Sample, TextSample

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
CRASH = "CRASH-THIS-WORKER"  # marker in a file: the cheap detector kills its own process
HANG = "HANG-THIS-WORKER"  # marker: the cheap detector never returns
FAIL = "FAIL-WHILE-SCALE_FAIL-IS-SET"  # marker: the detector raises while the env var SCALE_FAIL is set


class EmailDetector:
    """A cheap, deterministic detector: e-mail addresses only, keyed fingerprints, optional delay."""

    recognizers = ["ScaleTestEmailRecognizer"]

    def __init__(self, key: bytes = b"scale-test", delay_s: float = 0.0) -> None:
        self.key, self.delay_s = key, delay_s

    def detect(self, samples: Iterable[Sample], source: str) -> list[Finding]:
        found: dict[tuple[str, str | None], list[str]] = {}
        for sample in samples:
            if not isinstance(sample, TextSample):
                continue
            if CRASH in sample.text:
                os.kill(os.getpid(), signal.SIGKILL)
            if FAIL in sample.text and os.environ.get("SCALE_FAIL"):
                raise ValueError("synthetic detector failure")
            if HANG in sample.text:
                time.sleep(3600)
            if self.delay_s:
                time.sleep(self.delay_s)
            for value in EMAIL.findall(sample.text):
                found.setdefault((sample.location, sample.field), []).append(value)
        findings = []
        for (location, field), values in sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            fps = sorted({hmac.new(self.key, v.lower().encode(), hashlib.sha256).hexdigest()[:16] for v in values})
            findings.append(Finding(
                source=source, location=location, field=field, entity="EMAIL_ADDRESS",
                category="user.contact.email", special=False, count=len(values), score=1.0,
                masked_example="j***@e***.lu",
                fingerprint=fps[0], distinct_count=len(fps), fingerprints=tuple(fps),
                recognizer="ScaleTestEmailRecognizer",
            ))
        return findings


class LanguageModelDetector(EmailDetector):
    """The cheap detector with per-language "models" loaded lazily, like the real one: a text marked
    `LANG-xx` needs model xx; every load appends "pid language" to the file `log`."""

    MARK = re.compile(r"LANG-([a-z]{2})")

    def __init__(self, log: str) -> None:
        super().__init__()
        self.log, self.loaded = log, []

    def loaded_languages(self) -> tuple[str, ...]:
        return tuple(self.loaded)

    def load_languages(self, languages: Iterable[str]) -> None:
        for language in languages:
            if language not in self.loaded:
                self.loaded.append(language)
                with open(self.log, "a", encoding="ascii") as out:
                    out.write(f"{os.getpid()} {language}\n")

    def detect(self, samples: Iterable[Sample], source: str) -> list[Finding]:
        samples = list(samples)
        self.load_languages(m.group(1) for s in samples if isinstance(s, TextSample) for m in self.MARK.finditer(s.text))
        return super().detect(samples, source)


def language_model_detector(log: str) -> LanguageModelDetector:
    return LanguageModelDetector(log)


def email_detector() -> EmailDetector:
    return EmailDetector()


def counted_email_detector(log: str) -> EmailDetector:
    """The cheap detector, appending the building process's pid to the file `log` (how often, and where,
    detectors are built)."""
    with open(log, "a", encoding="ascii") as out:
        out.write(f"{os.getpid()}\n")
    return EmailDetector()


def slow_email_detector(delay_s: float = 0.02) -> EmailDetector:
    return EmailDetector(delay_s=delay_s)


def slow_factory(delay_s: float) -> functools.partial[EmailDetector]:
    return functools.partial(slow_email_detector, delay_s)


_PROSE = ("Minutes of the weekly meeting in Luxembourg. Marie Schmit from accounting asked Paul Weber "
          "to send the revised budget to the board before Friday; Jean Muller will call the supplier in Metz. ")


def make_estate(root: Path, n: int, *, with_email_every: int = 3, prose: int = 0) -> Path:
    """`n` small text files in 10 folders; every `with_email_every`-th holds two synthetic e-mail addresses.

    `prose` repeats a paragraph with (synthetic) names and places that many times per file, so the real
    detector's NER has work to do.
    """
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        folder = root / f"dept{i % 10:02d}"
        folder.mkdir(exist_ok=True)
        body = f"note {i}: nothing personal here, order {i * 7919 % 100000}\n" + _PROSE * prose
        if i % with_email_every == 0:
            body += f"contact user{i}@example.lu or desk{i % 17}@corp.example.com\n"
        (folder / f"note{i:05d}.txt").write_text(body, encoding="utf-8")
    return root


def config_for(root: Path, tmp: Path, **limits: object) -> ScanConfig:
    env = {"POLICYSCAN_HMAC_KEY": "scale-tests-key-of-at-least-32-bytes", "POLICYSCAN_HOME": str(tmp / "home")}
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "scan.yaml"
    import yaml

    path.write_text(yaml.safe_dump({"sources": [{"uri": str(root)}], "limits": dict(limits)}), encoding="utf-8")
    return load_config(path, env=env)


def inventory(outcomes: Iterable[ItemOutcome]) -> dict[str, str]:
    return {o.item.location: o.status.value for o in outcomes}


def finding_keys(findings: Iterable[Finding]) -> list[tuple]:
    """Findings as comparable tuples, sorted; duplicates stay visible (a list, not a set)."""
    return sorted((f.location, f.field or "", f.entity, f.count, f.distinct_count, f.fingerprints) for f in findings)


def scan_to_state(config: ScanConfig, engine, state_path: Path, options=None, progress=None, worker=None):
    """`run_scan` without the outputs: scan into the state store and finish the run if it completed."""
    from scanner.run import RunOptions, scan_sources
    from scanner.state import ScanState

    with ScanState(state_path) as state:
        result = scan_sources(config, engine, state, options or RunOptions(), progress, worker)
        if result.complete:
            state.finish(keep_sources=[f.source for f in result.failures])
    return result
