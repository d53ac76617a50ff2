"""Value evidence: shapes, checksums and distributions a column's values must show to confirm its name.

These checks read one value each; the verdict counts how many sampled values pass. They cover values the
text recognizers rightly refuse on their own but that a column name makes plain: a phone column of bare
digits or `(096)889-8954x524`, an e-mail column holding ids without a domain, card numbers of test data
that fail Luhn, ages.
"""

from __future__ import annotations

import re
from datetime import date

from scanner.models import IMAGE_VALUE

TRUTHY = {"1", "true", "t", "yes", "y", "oui", "ja", "x", "vrai", "wahr"}
FALSY = {"0", "false", "f", "no", "n", "non", "nein", "faux", "falsch", ""}
MASKED = re.compile(r"^(?:\*+|x+|null|none|n/a|-+)$", re.IGNORECASE)

_NUMBER = re.compile(r"^[+-]?(?:\d[\d\s'.,]*)(?:\s?(?:€|eur|chf|usd|\$|k))?$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})(?:[ T][\d:.+\-Z]*)?"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4}|\d{2}))$"
)
_AMOUNT = re.compile(r"^[+-]?\d{1,3}(?:[ ',]?\d{3})*[.,]\d{1,2}$|^[+-]?\d+[.,]\d{1,4}$")
_PHONE_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|poste|durchwahl|#)\s*\d{1,6}$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^\+?[\d\s().\-/]+$")
_EMAIL_ID = re.compile(r"^[\w.+'-]+(?:@[\w-]+(?:\.[\w-]+)*)?$")
_WINDOWS_LOGIN = re.compile(r"^[\w.-]{2,}\\[\w.$-]{2,}$")
_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev", "fr", "sr", "jr", "ii",
    "iii", "iv", "phd", "md", "esq", "mme", "mlle", "m", "me", "herr", "frau", "hr", "fr", "dipl", "ing", "mag",
}


def is_number(value: str) -> bool:
    return bool(_NUMBER.match(value.strip())) and any(c.isdigit() for c in value)


def _date_parts(value: str) -> tuple[int, int, int] | None:
    m = _DATE.match(value.strip())
    if not m:
        return None
    year = int(m.group("y1") or m.group("y2"))
    year = year + 1900 if year < 100 else year
    month = int(m.group("m1") or m.group("m2"))
    day = int(m.group("d1") or m.group("d2"))
    if month > 12 and day <= 12:  # US order
        month, day = day, month
    try:
        date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def is_date_like(value: str) -> bool:
    return _date_parts(value) is not None


def is_birth_date(value: str) -> bool:
    parts = _date_parts(value)
    return parts is not None and 1900 <= parts[0] <= date.today().year


def is_date_or_amount(value: str) -> bool:
    """Dates, timestamps and decimal amounts: shapes a phone-number parser happily reads as digits."""
    v = value.strip()
    return bool(_DATE.match(v) or _AMOUNT.match(v))


def is_age(value: str) -> bool:
    """A whole number of years a living person can be."""
    v = value.strip()
    return v.isdigit() and 0 < int(v) < 120


def is_job_title(value: str) -> bool:
    """Words, not codes or coordinates: `System engineer`, `Comptable`, `Projektleiterin`, `CUST`."""
    v = value.strip()
    return sum(c.isalpha() for c in v) >= 0.7 * len(v) > 2


def is_honorific(value: str) -> bool:
    """`Mr.`, `Mme`, `Dr`, `Jr.`, `PhD`: a short title or name suffix."""
    words = value.replace(".", " ").replace(",", " ").split()
    return 0 < len(words) <= 2 and all(w.casefold() in _HONORIFICS for w in words)


def is_order_ref(value: str) -> bool:
    """An order number or reference: some digits, no spaces (`SO-2019-00042`, `100234`)."""
    v = value.strip()
    return 3 <= len(v) <= 40 and any(c.isdigit() for c in v) and " " not in v


def is_flag(value: str) -> bool:
    return value.strip().casefold() in TRUTHY | FALSY


def is_word_text(value: str) -> bool:
    return any(c.isalpha() for c in value) and not value.strip().isdigit()


def is_name_part(value: str) -> bool:
    """A middle name or an initial: letters (`J`, `J.`, `Marie-Claire`), at most a few words."""
    v = value.strip().rstrip(".")
    return 0 < len(v) <= 40 and all(c.isalpha() or c in " -'." for c in v) and v[:1].isalpha()


def is_person_name(value: str) -> bool:
    """1-4 capitalised words whose first is a known given name or last a known surname ("Anna Weber")."""
    from detectors.names import given_names, surnames

    words = value.replace(",", " ").split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    return words[0].casefold() in given_names() or words[-1].casefold() in surnames()


def is_token(value: str) -> bool:
    v = value.strip()
    return len(v) >= 8 and " " not in v


def is_token_or_word(value: str) -> bool:
    """A login or nickname: one token of letters/digits/dots, no sentence."""
    v = value.strip()
    return 2 <= len(v) <= 64 and " " not in v and any(c.isalpha() for c in v)


def is_phone_shaped(value: str) -> bool:
    """Digits with phone separators, 7-15 digits, an optional extension: `14033335568`, `1.515.555.0100`,
    `(096)889-8954x524`. Dates and amounts are not."""
    v = _PHONE_EXTENSION.sub("", value.strip())
    if not _PHONE_CHARS.match(v) or is_date_or_amount(v):
        return False
    return 7 <= sum(c.isdigit() for c in v) <= 15


def is_phone_or_extension(value: str) -> bool:
    """In a phone column: a full number (`is_phone_shaped`) or an internal extension of 3-6 digits."""
    v = value.strip()
    return is_phone_shaped(v) or (v.isdigit() and 3 <= len(v) <= 6)


def is_email_id(value: str) -> bool:
    """What an e-mail column holds when the domain is cut or internal: `JDOE`, `j.doe@intranet`."""
    v = value.strip()
    return bool(_EMAIL_ID.match(v)) and any(c.isalpha() for c in v) and 2 <= len(v) <= 254


def is_card_shaped(value: str) -> bool:
    """13-19 digits (spaces or dashes allowed) with a card network prefix, whatever the Luhn check says."""
    digits = re.sub(r"[\s-]", "", value.strip())
    return digits.isdigit() and 13 <= len(digits) <= 19 and digits[0] in "3456"


def luhn_ok(value: str) -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", value)][::-1]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
    return bool(digits) and total % 10 == 0


def is_windows_login(value: str) -> bool:
    """`DOMAIN\\user`: an account name whatever the column is called."""
    return bool(_WINDOWS_LOGIN.match(value.strip()))


def is_image(value: str) -> bool:
    """A sampled image cell (`[image/jpeg, 12 KB]`, see `scanner.models.image_value`)."""
    return bool(IMAGE_VALUE.match(value.strip()))
