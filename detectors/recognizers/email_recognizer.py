"""E-mail addresses, with Presidio's pattern but an offline top-level-domain check.

Presidio's EmailRecognizer validates through `tldextract.extract`, which may fetch the public suffix
list over the network on first use. This subclass uses a `TLDExtract` that reads only the snapshot
bundled with tldextract (no fetch, no cache directory), so a scan never does network I/O.
"""

from __future__ import annotations

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_OFFLINE = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class OfflineEmailRecognizer(EmailRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language, name=f"EmailRecognizer_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_OFFLINE(pattern_text).fqdn)
