"""spaCy's French `token_match`, same answers without compiling its 1.4 MB regex at model load.

`spacy.lang.fr` builds `token_match` from 266 anchored alternatives (`^anti[-‐]…$`, `^…-sur-…$`), each
holding a case-insensitive class of every lower-case letter of many scripts. Python compiles such a class
letter by letter: importing `spacy.lang.fr` costs ~2.3 CPU-s, a third of a small scan's fixed cost, and the
model load compiles the same pattern again when the cache has lost it. `LazyPattern.match` answers like
the compiled pattern's `match` (spaCy only tests its truth) in two steps:

1. a *skeleton* of the whole pattern, every long character class replaced by "any character": it
   matches a superset of the strings the pattern matches, compiles in milliseconds, and rejects almost
   every token;
2. for a token the skeleton accepts, each alternative whose own skeleton accepts it is compiled (once,
   ~8 ms) and tried exactly, with the pattern's own flags.

An alternation of `^…$`-anchored alternatives matches a string at its start iff one alternative does, so
the answer is the pattern's. Any other method (`search`, `finditer`, …) compiles the whole pattern.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Callable, Iterator

LAZY_MIN_CHARS = 100_000  # only patterns this long are worth deferring
_LONG_CLASS = 64  # a character class with a longer source becomes "any character" in the skeleton
_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")
_CLASS_REST = re.compile(r"\^?\]?(?:\\.|[^\]\\])*\]", re.DOTALL)
_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\\g<")


def split_alternatives(body: str) -> list[str] | None:
    """The top-level `|` alternatives of a pattern body, or None if it has unbalanced brackets."""
    parts, depth, start, i, n = [], 0, 0, 0, len(body)
    while i < n:
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = _class_end(body, i)
            if end is None:
                return None
            i = end
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return parts if depth == 0 else None


def _class_end(pattern: str, i: int) -> int | None:
    """Index just past the character class opening at `pattern[i] == "["` (a leading `]` is a literal)."""
    m = _CLASS_REST.match(pattern, i + 1)
    return m.end() if m else None


def skeleton(pattern: str) -> str | None:
    """The pattern with every long character class replaced by `[\\s\\S]` (a superset), or None."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            out.append(r"[\s\S]" if end - i > _LONG_CLASS else pattern[i:end])
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out)


_LAZY: dict[tuple[str, int], "LazyPattern"] = {}


class LazyPattern:
    """Stands for `re.compile(pattern, flags)`; see the module docstring."""

    def __init__(self, pattern: str, flags: int = 0, compile_: Callable[..., re.Pattern[str]] = re.compile) -> None:
        self.pattern, self.flags = pattern, flags
        self._compile = compile_
        self._full: re.Pattern[str] | None = None
        m = _FLAGS.match(pattern)
        self._prefix = m.group(0) if m else ""
        # Group numbers and back-references do not survive a split: such a pattern is compiled whole.
        alternatives = None if _BACKREF.search(pattern) else split_alternatives(pattern[len(self._prefix):])
        skeletons = [skeleton(a) for a in alternatives] if alternatives else None
        if not alternatives or not skeletons or any(s is None for s in skeletons):
            self._alternatives: list[str] = []  # not splittable: compile it whole on first use
            return
        self._alternatives = alternatives
        self._skeletons: list[str] = [s for s in skeletons if s is not None]
        self._skeleton = compile_(self._prefix + "|".join(self._skeletons), flags)
        self._each: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}

    def full(self) -> re.Pattern[str]:
        if self._full is None:
            self._full = self._compile(self.pattern, self.flags)
        return self._full

    def match(self, string: str, *args: Any) -> re.Match[str] | None:
        if args or not self._alternatives:
            return self.full().match(string, *args)
        if self._skeleton.match(string) is None:
            return None
        for k in range(len(self._alternatives)):
            rough, exact = self._alternative(k)
            if rough.match(string) is None:
                continue
            if exact is None:
                exact = self._compile(self._prefix + self._alternatives[k], self.flags)
                self._each[k] = (rough, exact)
            m = exact.match(string)
            if m is not None:
                return m
        return None

    def _alternative(self, k: int) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
        if k not in self._each:
            self._each[k] = (self._compile(self._prefix + self._skeletons[k], self.flags), None)
        return self._each[k]

    def __getattr__(self, name: str) -> Any:  # search, finditer, groups, …: the real pattern
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)


@contextmanager
def lazy_long_patterns() -> Iterator[None]:
    """While open, `re.compile` of a very long str pattern returns a `LazyPattern` (spaCy model loads)."""
    original = re.compile

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and len(pattern) >= LAZY_MIN_CHARS:
            if (pattern, flags) not in _LAZY:  # spaCy compiles it at import and again at model load
                _LAZY[(pattern, flags)] = LazyPattern(pattern, flags, original)
            return _LAZY[(pattern, flags)]
        return original(pattern, flags)

    re.compile = compile_  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = original  # type: ignore[assignment]
