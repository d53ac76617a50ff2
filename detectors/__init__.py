"""Detection: samples in, privacy-safe findings out.

* `engine.Detector` — one per process; `detect(samples, source) -> list[Finding]`, `text_spans` (batch API).
* `nlp` — spaCy per language, NER only on name-candidate windows; `language` — lingua routing.
* `registry` — which recognizers run (country gating); `recognizers/` — one recognizer per file,
  registered under the `policyscan.recognizers` entry point group like third-party ones.
* `columns` — column verdicts (name rules + value shares + explanations); `names` — gazetteers.
* `taxonomy` — entity -> fideslang category; `fingerprint` — keyed HMAC fingerprints and masks.

Depends on `scanner.models`, `scanner.errors`, `scanner.limits` only (never on connectors or reports).
"""
