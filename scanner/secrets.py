"""Credentials in source URIs and options: which names hold one, the display form, and scrubbing text.

One definition used by every layer (config, connectors, logging), because a second parser that disagrees
is how passwords leaked: `urlsplit` takes a password holding `/`, `?` or `#` for a path, query or fragment,
while SQLAlchemy (which connects with it) reads it as the password. So the display form of a URI is built
from SQLAlchemy's own parse (`make_url`), with the password hidden and every secret-looking query
parameter dropped; and text that may echo a connection string (driver errors) is scrubbed against the
secrets we know, in every spelling they could take in a URL.

Contract: `display_uri` never returns a password or secret parameter of its input (when it cannot parse
the input it hides the whole user-info and query); `scrub` returns its text with every known secret
replaced by `***`.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable, Mapping
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlencode, urlsplit

from sqlalchemy.engine import URL, make_url

MASK = "***"
# a query parameter or option whose name contains one of these holds a secret (sslpassword, api_key,
# access_key, aws_secret_access_key, x-amz-security-token, passphrase, private_key_file, sig...)
_SECRET_NAME = re.compile(r"pass|pwd|secret|token|key|credential|signature|^sig$|auth", re.IGNORECASE)


def is_secret_name(name: object) -> bool:
    """Does an option or query parameter of this name hold a secret (or the path to one)?"""
    return bool(_SECRET_NAME.search(str(name)))


def _parse(uri: str) -> URL | None:
    try:
        return make_url(uri)
    except Exception:  # noqa: BLE001 - ArgumentError, or ValueError on a non-numeric port
        return None


def display_uri(uri: str) -> str:
    """The URI as it may be shown: user name kept (it says which account scanned), password and secret
    query parameters gone. Local paths are returned unchanged."""
    if "://" not in uri:
        return uri
    url = _parse(uri)
    if url is None:
        shown = _display_unparsed(uri)
    else:
        secret_params = [k for k in url.query if is_secret_name(k)]
        if url.password is None and not secret_params:
            shown = uri  # nothing to hide: keep the spelling the user wrote
        else:
            shown = url.difference_update_query(secret_params).render_as_string(hide_password=True)
    # belt and braces: a secret another parser would see (urlsplit's password) is not shown either
    return scrub(shown, (s for s in secrets_of(uri) if len(s) >= 4))


def _display_unparsed(uri: str) -> str:
    """Fallback for what SQLAlchemy cannot parse: user-info hidden, secret query parameters dropped."""
    scheme, rest = uri.split("://", 1)
    rest, _, query = rest.partition("?")
    if "@" in rest:
        rest = f"{MASK}@{rest.rsplit('@', 1)[1]}"
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_secret_name(k)]
    return f"{scheme}://{rest}" + (f"?{urlencode(kept)}" if kept else "")


def secrets_of(uri: str, options: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """Every secret a source carries: the URI's password (as SQLAlchemy and as urlsplit read it),
    secret-looking query parameters, and secret-looking options (strings only)."""
    found: set[str] = set()
    url = _parse(uri) if "://" in uri else None
    if url is not None:
        if url.password:
            found.add(str(url.password))
        found.update(str(v) for k, v in url.query.items() if is_secret_name(k) for v in _values(v))
    if "://" in uri:
        try:
            parts = urlsplit(uri)
            if parts.password:
                found.update({parts.password, unquote(parts.password)})
        except ValueError:
            pass
        found.update(v for k, v in parse_qsl(uri.partition("?")[2]) if is_secret_name(k))
    for key, value in (options or {}).items():
        if is_secret_name(key) and isinstance(value, (str, bytes)):
            found.add(value.decode(errors="replace") if isinstance(value, bytes) else value)
    return tuple(sorted((s for s in found if s), key=len, reverse=True))


def _values(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (tuple, list)) else (value,)


def spellings(secret: str) -> set[str]:
    """The forms a secret takes in a URL or a driver message: raw, percent-encoded, form-encoded,
    SQLAlchemy's own quoting of `:@/`."""
    sqla = re.sub(r"[:@/]", lambda m: "%%%X" % ord(m.group(0)), secret)
    return {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret), sqla} - {""}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every spelling of every secret replaced by `***` (longest first)."""
    forms = sorted({f for s in secrets if s for f in spellings(s)}, key=len, reverse=True)
    for form in forms:
        text = text.replace(form, MASK)
    return text


class SecretScrubber(logging.Filter):
    """A logging filter that scrubs known secrets out of every record it passes (defence in depth:
    messages are built from display forms already; this catches a driver that echoes its DSN)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = scrub(message, self.secrets)
            if cleaned != message:
                record.msg, record.args = cleaned, None
            if record.exc_info and record.exc_info[1] is not None:
                text = scrub(logging.Formatter().formatException(record.exc_info), self.secrets)
                record.exc_info, record.exc_text = None, text
        return True


def install_log_scrubber(secrets: Iterable[str]) -> SecretScrubber:
    """Attach a scrubber to every handler of the root logger (filters on handlers see every record)."""
    scrubber = SecretScrubber(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(scrubber)
    return scrubber
