"""Helpers shared by the detector tests."""

from __future__ import annotations

from detectors.engine import Detector


def entities_in(detector: Detector, text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(entity, matched text) pairs the detector reports for `text`."""
    spans = detector.text_spans([text], [language])[0]
    return [(s.entity, text[s.start:s.end]) for s in spans]
