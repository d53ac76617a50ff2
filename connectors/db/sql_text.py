"""The lexical layer of SQL dumps: string literals per dialect, row tuples, values, COPY fields, identifiers.

Two dialects: STANDARD (PostgreSQL, SQLite: quotes doubled, backslashes literal) and MYSQL (backslash
escapes). Regexes are possessive so a row cut by the end of the buffer fails fast instead of
backtracking. Values come back as `str` or `None` (NULL and binary literals), cut at `MAX_VALUE_CHARS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from connectors.db.samples import MAX_VALUE_CHARS

_STD_STRING = r"'(?:[^']++|'')*+'"
_MY_STRING = r"'(?:[^'\\]++|\\.|'')*+'"


def _tuple_regex(string: str, depth: int = 5) -> re.Pattern[str]:
    """One `( ... )` row: strings, and calls nested up to `depth` (SQLite writes replace(replace(..),char(10)))."""
    group = rf"\((?:[^'()]++|{string})*+\)"
    for _ in range(depth):
        group = rf"\((?:[^'()]++|{string}|{group})*+\)"
    return re.compile(group, re.S)


def _scan_regex(string: str) -> re.Pattern[str]:
    return re.compile(
        rf"""[^'"`;$/\-]++|{string}|"(?:[^"]++|"")*+"|`(?:[^`]++|``)*+`|--[^\n]*+\n|/\*.*?\*/"""
        rf"""|\$([A-Za-z_]\w*)?\$.*?\$\1\$|;|.""", re.S)


def _token_regex(string: str) -> re.Pattern[str]:
    return re.compile(rf"""\s++|{string}|"(?:[^"]++|"")*+"|`(?:[^`]++|``)*+`|\[[^\]]*+\]|[(),;]|[^\s'"`(),;\[]++""", re.S)


def _simple_values_regex(string: str) -> re.Pattern[str]:
    return re.compile(rf"\s*+(?:(?P<s>[EeNn]?{string})|(?P<b>[^,'()]*+))\s*+(?:,|$)", re.S)


_COPY_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.S)
_COPY_MAP = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_MY_ESCAPE = re.compile(r"\\(.)", re.S)
_MY_MAP = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_FLOAT = re.compile(r"[-+]?\d+\.\d+(?:[eE][-+]?\d+)?")


@dataclass(frozen=True)
class Dialect:
    """How one family of dumps writes literals: the regexes that delimit them and how they decode."""

    backslash_escapes: bool
    tuple_re: re.Pattern[str]
    scan_re: re.Pattern[str]
    token_re: re.Pattern[str]
    simple_values_re: re.Pattern[str]
    def values(self, tuple_text: str) -> tuple:
        """The literal values of one `( ... )` tuple; expressions reduce to their string argument."""
        simple = self.simple_values(tuple_text)
        return simple if simple is not None else self.token_values(tuple_text)

    def simple_values(self, tuple_text: str, only: frozenset[int] | None = None) -> tuple | None:
        """Fast path for rows of plain literals (strings, numbers, NULL); None if there is anything else.

        With `only`, decodes just those positions (the others stay None) and stops after the last one: what
        the data-age pass needs from rows the sample does not keep.
        """
        regex = self.simple_values_re
        body = tuple_text[1:-1]
        pos, end, values = 0, len(body), []
        last = max(only) if only else None
        while pos <= end:
            m = regex.match(body, pos)
            if m is None:
                return None
            if only is not None and len(values) not in only:
                values.append(None)
            elif m.group("s") is not None:
                literal = m.group("s")
                if literal[0] in "Ee":
                    values.append(self.string(literal[1:], backslash=True))
                else:
                    values.append(self.string(literal[1:] if literal[0] in "Nn" else literal))
            else:
                bare = m.group("b").strip()
                if not bare or bare[:2].lower() == "0x" or " " in bare:
                    return None
                values.append(self.literal([bare]))
            if m.end() == pos:
                return None
            pos = m.end()
            if last is not None and len(values) > last:
                break
            if pos >= end and not body.endswith(","):
                break
        return tuple(values)

    def token_values(self, tuple_text: str) -> tuple:
        tokens = [t for t in self.token_re.findall(tuple_text[1:-1]) if not t.isspace()]
        values: list[object] = []
        current: list[str] = []
        depth = 0
        for tok in tokens:
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
            elif tok == "," and depth == 0:
                values.append(self.literal(current))
                current = []
                continue
            current.append(tok)
        values.append(self.literal(current))
        return tuple(values)

    def literal(self, tokens: list[str]) -> object:
        if not tokens:
            return None
        first = tokens[0]
        if len(tokens) == 1:
            if first.upper() == "NULL":
                return None
            if first.startswith("'"):
                return self.string(first)
            if first[:2].lower() == "0x":
                return None  # MySQL hex literal: binary
            if len(first) > 16 and _FLOAT.fullmatch(first):
                return repr(float(first))  # sqlite3 .dump prints REALs with 20 digits; the live value is the float
            return first[:MAX_VALUE_CHARS]
        if len(tokens) == 2 and tokens[1].startswith("'"):
            prefix = first.upper()
            if prefix in ("X", "B", "_BINARY"):
                return None
            if prefix == "E":
                return self.string(tokens[1], backslash=True)
            return self.string(tokens[1])  # N'...', _utf8mb4'...'
        if tokens[0].lower() in ("replace", "char", "unistr", "cast", "convert") or tokens[1] == "(":
            return self.expression(tokens)
        if first in ("-", "+") and len(tokens) == 2:
            return first + tokens[1]
        return " ".join(tokens)[:MAX_VALUE_CHARS]

    def expression(self, tokens: list[str]) -> object:
        """SQLite .dump writes strings with newlines as replace('a\\nb','\\n',char(10)): undo exactly that."""
        strings = [self.string(t) for t in tokens if t.startswith("'")]
        if not strings:
            return None
        value = strings[0]
        chars = [int(tokens[i + 2]) for i, t in enumerate(tokens[:-2])
                 if t.lower() == "char" and tokens[i + 1] == "(" and tokens[i + 2].isdigit()]
        for pattern, code in zip(strings[1:], chars):
            value = value.replace(pattern, chr(code))
        return value[:MAX_VALUE_CHARS]

    def string(self, literal: str, backslash: bool | None = None) -> str:
        body = literal[1:-1][: MAX_VALUE_CHARS * 2]
        if backslash if backslash is not None else self.backslash_escapes:
            body = _MY_ESCAPE.sub(lambda m: _MY_MAP.get(m.group(1), m.group(1)), body)
        return body.replace("''", "'")[:MAX_VALUE_CHARS]


STANDARD = Dialect(False, _tuple_regex(_STD_STRING), _scan_regex(_STD_STRING), _token_regex(_STD_STRING),
                   _simple_values_regex(_STD_STRING))
MYSQL = Dialect(True, _tuple_regex(_MY_STRING), _scan_regex(_MY_STRING), _token_regex(_MY_STRING),
                _simple_values_regex(_MY_STRING))


IDENT = r"""(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[A-Za-z_][\w$]*)"""  # one (quoted) identifier
_IDENT_PART = re.compile(IDENT)


def unquote_ident(part: str) -> str:
    if part[0] == '"':
        return part[1:-1].replace('""', '"')
    if part[0] == "`":
        return part[1:-1].replace("``", "`")
    if part[0] == "[":
        return part[1:-1]
    return part


def split_qualified(text: str) -> list[str]:
    return [unquote_ident(m.group(0)) for m in _IDENT_PART.finditer(text)]


def copy_field(raw: str) -> str | None:
    if raw == r"\N":
        return None
    if "\\" not in raw:
        return raw[:MAX_VALUE_CHARS]

    def sub(m: re.Match[str]) -> str:
        if m.group(1):
            return chr(int(m.group(1), 8))
        if m.group(2):
            return chr(int(m.group(2), 16))
        return _COPY_MAP.get(m.group(3), m.group(3))

    return _COPY_ESCAPE.sub(sub, raw[: MAX_VALUE_CHARS * 2])[:MAX_VALUE_CHARS]
