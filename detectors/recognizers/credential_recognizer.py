"""Credentials: plaintext passwords (`PASSWORD`), password hashes (`PASSWORD_HASH`), private keys
(`PRIVATE_KEY`) and API tokens (`API_TOKEN`).

Hashes are recognised by their modular-crypt formats (bcrypt `$2b$`, argon2 `$argon2id$`, SHA-crypt
`$5$`/`$6$`, MD5-crypt `$1$`, yescrypt `$y$`, Django/Werkzeug PBKDF2 and scrypt). A plaintext password
is the value of a `password=`/`mot de passe :`/`Passwort:` assignment that is not a hash, not a
placeholder (`${DB_PASSWORD}`, `<secret>`, `****`) and not empty. Bare hex digests are only called hashes
by the column classifier, where the column name says "password".
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.recognizers.base import result

HASH_FORMATS = re.compile(
    r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"
    r"|\$argon2(?:id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+"
    r"|\$[56]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}"
    r"|\$1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}"
    r"|\$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{43}"
    r"|pbkdf2_sha(?:1|256|512)\$\d+\$[^$\s]+\$[A-Za-z0-9+/=]+"
    r"|pbkdf2:sha(?:1|256|512)(?::\d+)?\$[^$\s]+\$[0-9a-f]+"
    r"|scrypt:\d+:\d+:\d+\$[^$\s]+\$[0-9a-f]+"
)
HEX_DIGEST = re.compile(r"(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})", re.IGNORECASE)
PRIVATE_KEY = re.compile(
    r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
    r"[\s\S]{0,8000}?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
    r"|-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"
)
API_TOKENS = re.compile(
    r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,255}"  # GitHub
    r"|github_pat_[A-Za-z0-9_]{60,255}"
    r"|glpat-[A-Za-z0-9_\-]{20}"  # GitLab
    r"|xox[abprs]-[A-Za-z0-9\-]{10,200}"  # Slack
    r"|(?:sk|rk)_live_[A-Za-z0-9]{20,99}"  # Stripe
    r"|AIza[0-9A-Za-z_\-]{35}"  # Google API key
    r"|eyJ[A-Za-z0-9_\-]{10,2000}\.eyJ[A-Za-z0-9_\-]{10,8000}\.[A-Za-z0-9_\-]{10,2000}"  # JWT (bounded)
)
_KEYWORDS = (r"password|passwd|pwd|passphrase|mot[ _]de[ _]passe|mdp|passwort|kennwort|secret"
             r"|db_password|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret")
# Anchored on the keyword: the key's prefix (`db.`, `MYSQL_ROOT_`) is found by walking back at most
# KEY_PREFIX_CHARS. A leading `[\w.\-]*` in the pattern made every start in a long run of dots retry the
# whole run (quadratic: 28 s on 20,000 dots).
ASSIGNMENT = re.compile(
    r"(?i)(?P<keyword>" + _KEYWORDS + r")[\"']?\s*(?:=|:|=>|:=)\s*"
    r"(?P<quote>[\"']?)(?P<value>\$\{[^}\s]{0,200}\}|[^\s\"',;}{]{1,200})(?P=quote)"
)
KEY_PREFIX_CHARS = 64
_KEY_CHAR = re.compile(r"[\w.\-]")
_PLACEHOLDER = re.compile(r"^(?:\$\{.*\}|\$\w+|%\(?\w+\)?s?|<.*>|\{\{.*\}\}|\*+|x+|\.+|null|none|nil|true|false|"
                          r"undefined|changeme_in_env|redacted|\[redacted\]|env\(.*\)|os\.environ.*)$", re.IGNORECASE)
_TOKEN_KEYS = re.compile(r"(?i)api[_-]?key|apikey|access[_-]?token|auth[_-]?token|client[_-]?secret|secret")


def is_password_hash(value: str, allow_hex: bool = False) -> bool:
    """True for a modular-crypt/framework hash, or (when the column says "password") a bare hex digest."""
    value = value.strip()
    if HASH_FORMATS.fullmatch(value):
        return True
    return allow_hex and HEX_DIGEST.fullmatch(value) is not None


def is_placeholder(value: str) -> bool:
    return bool(_PLACEHOLDER.match(value.strip()))


class CredentialRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    ENTITIES = ("PASSWORD", "PASSWORD_HASH", "PRIVATE_KEY", "API_TOKEN")

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(supported_entities=list(self.ENTITIES), supported_language=supported_language,
                         name=f"CredentialRecognizer_{supported_language}")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = set(entities or self.ENTITIES)
        found: list[RecognizerResult] = []
        if "PASSWORD_HASH" in wanted and "$" in text:
            for m in HASH_FORMATS.finditer(text):
                found.append(result("PASSWORD_HASH", m.start(), m.end(), 0.9, self.name,
                                    "PASSWORD_HASH: modular-crypt/framework hash format"))
        if "PRIVATE_KEY" in wanted and "PRIVATE KEY" in text:
            for m in PRIVATE_KEY.finditer(text):
                found.append(result("PRIVATE_KEY", m.start(), m.end(), 0.95, self.name, "PRIVATE_KEY: PEM block"))
        if "API_TOKEN" in wanted:
            for m in API_TOKENS.finditer(text):
                found.append(result("API_TOKEN", m.start(), m.end(), 0.85, self.name,
                                    "API_TOKEN: provider token format"))
        if wanted & {"PASSWORD", "API_TOKEN"}:
            found.extend(self._assignments(text, wanted))
        return found

    def _assignments(self, text: str, wanted: set[str]) -> list[RecognizerResult]:
        found = []
        for m in ASSIGNMENT.finditer(text):
            value = m.group("value")
            if is_placeholder(value) or is_password_hash(value) or API_TOKENS.fullmatch(value):
                continue
            key = _key_of(text, m)
            entity = "API_TOKEN" if _TOKEN_KEYS.search(key) else "PASSWORD"
            if entity == "API_TOKEN" and len(value) < 16:
                continue
            if entity not in wanted:
                continue
            found.append(result(entity, m.start("value"), m.end("value"), 0.75, self.name,
                                 f"{entity}: value assigned to a '{entity.lower()}' key"))
        return found


def _key_of(text: str, match: re.Match[str]) -> str:
    """The assignment's key: the keyword plus the `[\\w.-]` characters before it (at most KEY_PREFIX_CHARS)."""
    start = match.start("keyword")
    floor = max(0, start - KEY_PREFIX_CHARS)
    while start > floor and _KEY_CHAR.match(text, start - 1):
        start -= 1
    return text[start:match.end("keyword")]
