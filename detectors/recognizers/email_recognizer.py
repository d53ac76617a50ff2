"""E-mail addresses, with Presidio's pattern but an offline top-level-domain check.

Presidio's EmailRecognizer validates through `tldextract.extract`, which may fetch the public suffix
list over the network on first use. This subclass uses a `TLDExtract` that reads only the snapshot
bundled with tldextract (no fetch, no cache directory), so a scan never does network I/O.

Presidio's pattern lets the local part run unbounded (`{0,}`): every start in a long `a.a.a…` run then
scans to the end before failing (quadratic: over a minute for one 20,000-character chunk). The local part
is bounded here to RFC 5321's 64 characters.
"""

from __future__ import annotations

import tldextract
from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_OFFLINE = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


_LOCAL_CHAR = r"[!#$%&'*+\-/=?^_`{|}~\w]"
_LOCAL_INNER = r"[!#$%&'*+\-/=?^_`{|}~\.\w]"
BOUNDED_EMAIL = Pattern(
    "Email (Medium)",
    r"\b((" + _LOCAL_CHAR + r"|" + _LOCAL_CHAR + _LOCAL_INNER + r"{0,62}" + _LOCAL_CHAR + r")"
    r"[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+)\b",
    0.5,
)


class OfflineEmailRecognizer(EmailRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    PATTERNS = [BOUNDED_EMAIL]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_language=supported_language, name=f"EmailRecognizer_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_OFFLINE(pattern_text).fqdn)
