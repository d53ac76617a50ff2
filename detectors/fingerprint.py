"""Privacy by construction: a detected value leaves the detector only as a keyed fingerprint and a mask.

Fingerprints are HMAC-SHA256 (key from configuration, never written out) of the *normalised* value, so
`LU12 0019 4006 4475 0000` and `lu120019400644750000` count as one distinct value and can be joined
across sources, but a phone number or national ID cannot be recovered by brute force from a report.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

_SPACING = re.compile(r"[\s\-./]+")
_COMPACT_ENTITIES = frozenset({
    "IBAN_CODE", "CREDIT_CARD", "PHONE_NUMBER", "LU_NATIONAL_ID", "FR_NIR", "BE_NATIONAL_NUMBER",
    "DE_TAX_ID", "EU_VAT_NUMBER", "PASSPORT", "IP_ADDRESS", "NATIONAL_ID",
})


# Secrets keep nothing of the value: a hash keeps only its (public) scheme prefix such as `$2b$`.
_SECRET_ENTITIES = frozenset({"PASSWORD", "PASSWORD_HASH", "API_TOKEN", "PRIVATE_KEY"})
_HASH_SCHEME = re.compile(r"^(?:\$[0-9a-z]+\$|pbkdf2[_:]sha\d+|scrypt)", re.IGNORECASE)


def normalise(value: str, entity: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip().casefold()
    if entity in _COMPACT_ENTITIES:
        return _SPACING.sub("", value)
    return " ".join(value.split())


def fingerprint(value: str, entity: str, key: bytes) -> str:
    """Keyed fingerprint of the normalised value: 16 hex chars (64 bits) is plenty for distinct counts."""
    digest = hmac.new(key, normalise(value, entity).encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:16]


def _mask_word(word: str) -> str:
    if len(word) <= 1:
        return "*"
    return word[0] + "*" * min(len(word) - 1, 3)


def mask(value: str, entity: str) -> str:
    """A preview that says what kind of value it was without revealing it (`j***@e***.lu`, `****32`)."""
    value = value.strip()
    if entity in _SECRET_ENTITIES:
        scheme = _HASH_SCHEME.match(value) if entity == "PASSWORD_HASH" else None
        return (scheme.group(0) if scheme else "") + "*" * 8
    if entity == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        host, _, tld = domain.rpartition(".")
        return f"{_mask_word(local)}@{_mask_word(host or tld)}.{tld if host else ''}".rstrip(".")
    digits = sum(ch.isdigit() for ch in value)
    if digits >= 6:
        keep = 2
        out, seen = [], 0
        total = digits
        for ch in value:
            if ch.isdigit():
                seen += 1
                out.append(ch if seen > total - keep else "*")
            elif ch.isalpha():
                out.append("*")
            else:
                out.append(ch)
        masked = "".join(out)
        if value[:2].isalpha() and entity in ("IBAN_CODE", "EU_VAT_NUMBER"):
            masked = value[:2].upper() + masked[2:]
        return masked
    if len(value) > 60:
        value = value[:60]
    return " ".join(_mask_word(w) for w in value.split()) or "*"
