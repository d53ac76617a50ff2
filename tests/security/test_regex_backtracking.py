"""Issue 10 item 7: no recognizer pattern backtracks catastrophically, and the item deadline also stops
detection (an error row that keeps the findings made so far, not a hang)."""

from __future__ import annotations

import string
import time
from typing import Iterator

import pytest

from scanner.limits import Limits
from scanner.models import Item, Status, TextSample

from detectors import engine
from detectors.engine import Detector, DetectionTimeout
from detectors.recognizers.credential_recognizer import CredentialRecognizer
from detectors.registry import build_recognizers

RUN = 20_000  # one chunk (detectors.engine.CHUNK_CHARS) of hostile text
# Linear patterns take milliseconds on a chunk; the quadratic ones took 28 s (credentials on dots) and
# over a minute (e-mail on `a.a.a…@`). Generous for a shared 2-core machine, far below the failure.
SECONDS_PER_CHUNK = 3.0


def hostile_chunks() -> dict[str, str]:
    """Long runs of every ASCII punctuation character, and mixed runs that feed optional separators."""
    chunks = {f"run of {c!r}": c * RUN for c in string.punctuation}
    for unit in ("a.", "a-", "a_", "1.", "1-", "1 ", "a@", "+1 ", "Ab ", "eyJ", "password ", "password=${"):
        chunks[f"mixed {unit!r}"] = unit * (RUN // len(unit))
    chunks["a.a.a… then @"] = "a." * (RUN // 2) + "@"
    chunks["a.a@ then a-a-a…"] = "a.a@" + "a-" * (RUN // 2)
    chunks["$y$ then dots"] = "$y$" + "." * RUN
    chunks["spaces then ="] = "password" + " " * RUN
    return chunks


RECOGNIZERS = [r for r in build_recognizers(["en", "fr", "de"], ["LU", "FR", "BE", "DE"])
               if type(r).__name__ != "SpacyRecognizer"]  # NER is linear and has no patterns


@pytest.mark.parametrize("label,chunk", sorted(hostile_chunks().items()))
def test_every_recognizer_is_fast_on_long_punctuation_runs(label: str, chunk: str) -> None:
    slow = []
    for recognizer in RECOGNIZERS:
        started = time.perf_counter()
        recognizer.analyze(chunk, recognizer.supported_entities, None)
        elapsed = time.perf_counter() - started
        if elapsed > SECONDS_PER_CHUNK:
            slow.append(f"{recognizer.name}: {elapsed:.1f}s")
    assert slow == [], f"{label}: {slow}"


@pytest.mark.parametrize("text,entity,value", [
    ("db.password=Hunter2xyz", "PASSWORD", "Hunter2xyz"),
    ("MYSQL_ROOT_PASSWORD: 'S3cret-pw'", "PASSWORD", "S3cret-pw"),
    ("app.client_secret = a1b2c3d4e5f6g7h8i9j0", "API_TOKEN", "a1b2c3d4e5f6g7h8i9j0"),
    ("secret_password=Hunter2xyz0123456789", "API_TOKEN", "Hunter2xyz0123456789"),
    ("mot de passe : Tr0ub4dor", "PASSWORD", "Tr0ub4dor"),
])
def test_keyword_anchored_assignment_keeps_the_key_prefix(text: str, entity: str, value: str) -> None:
    found = CredentialRecognizer().analyze(text, list(CredentialRecognizer.ENTITIES))
    assert [(r.entity_type, text[r.start:r.end]) for r in found] == [(entity, value)]


def test_a_regex_bomb_text_is_detected_quickly_and_real_values_still_found(security_detector) -> None:
    bomb = "a." * 30_000 + " contact jane.doe@example.lu password=Hunter2xyz " + "-" * 20_000
    started = time.perf_counter()
    findings = security_detector.detect([TextSample("bomb.txt", None, bomb)], "src")
    elapsed = time.perf_counter() - started
    assert {f.entity for f in findings} >= {"EMAIL_ADDRESS", "PASSWORD"}
    assert elapsed < 20, f"{elapsed:.1f}s for 110 KB of hostile text"


class _SteppedClock:
    """A clock the test moves forward: detection sees time pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _slow_source(clock: _SteppedClock) -> Iterator[TextSample]:
    yield TextSample("doc.txt#1", None, "Write to jane.doe@example.lu about the invoice.")
    clock.now = 1_000.0  # the next part arrives after the item's time limit
    yield TextSample("doc.txt#2", None, "Or to john.smith@example.de instead.")
    yield TextSample("doc.txt#3", None, "And max.muster@example.fr too.")


def test_the_item_deadline_interrupts_detection_and_keeps_earlier_findings(
        security_settings, security_analyzer, monkeypatch) -> None:
    monkeypatch.setattr(engine, "BATCH_CHARS", 1)  # every sample is its own batch
    clock = _SteppedClock()
    detector = Detector(security_settings, Limits(item_seconds=10), analyzer=security_analyzer, clock=clock)
    with pytest.raises(DetectionTimeout) as caught:
        detector.detect(_slow_source(clock), "src")
    assert "time limit of 10s per item exceeded (detection)" in caught.value.reason
    assert [(f.location, f.entity) for f in caught.value.findings] == [("doc.txt#1", "EMAIL_ADDRESS")]


def test_a_detection_timeout_is_an_error_row_with_the_partial_findings(
        security_settings, security_analyzer, monkeypatch) -> None:
    from scanner.pipeline import WorkUnit, scan_item
    from scanner.models import SourceSpec

    monkeypatch.setattr(engine, "BATCH_CHARS", 1)
    clock = _SteppedClock()

    class SlowConnector:
        def read(self, item: Item):
            yield from _slow_source(clock)

    detector = Detector(security_settings, Limits(item_seconds=10), analyzer=security_analyzer, clock=clock)
    item = Item("src", "doc.txt", "file")
    result = scan_item(WorkUnit(SourceSpec("file:///x", "src", "file"), item), SlowConnector(), detector)
    outcome = result.outcomes[0]
    assert outcome.status is Status.ERROR
    assert outcome.reason == "partially read: time limit of 10s per item exceeded (detection)"
    assert [f.location for f in result.findings] == ["doc.txt#1"]
