"""Detection: samples in, privacy-safe findings out.

* `engine.Detector` — one per process; `detect(samples, source) -> list[Finding]`, `text_spans` (batch API).
* `nlp` — spaCy per language, NER only on name-candidate windows; `language` — lingua routing.
* `registry` — which recognizers run (country gating); `recognizers/` — one recognizer per file,
  registered under the `policyscan.recognizers` entry point group like third-party ones.
* `columns` — column verdicts (name rules + value shares + explanations); `names` — gazetteers.
* `taxonomy` — entity -> fideslang category (a recognizer may declare its own in `CATEGORIES`);
  `fingerprint` — keyed HMAC fingerprints and masks.

Depends on the shared core only (`scanner.models`, `errors`, `limits`, `categories`), never on connectors
or reports. Every `Finding` says whether it is special (GDPR Art. 9/10), so reports never ask a detector.
"""
