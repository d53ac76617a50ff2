"""Identifiers as people type them: separator-tolerant candidates, to be validated in compact form.

People write `ES15-0049-1806-9121-1186-9374`, `ES 58 0049 0290 …`, `CY- 10277198H`, `BE (0)468.561.072`,
`lu: 20993674`, `86095742 719`. A pattern per scheme cannot foresee every style, so extraction is shared and
scheme-blind:

1. the text is cut into *groups*: runs of letters and digits;
2. consecutive groups joined by at most one typed separator (a space, `-`, `.`, `/`, `:`, a `(0)` or a
   bracketed prefix, with spaces around it) form a *run*; a run holds at least one digit and stops at a
   lower-case word (running text) or at a line break;
3. every contiguous slice of a run (bounded length) is a candidate, given with its compact form
   (letters upper-cased, separators removed, a `(0)` kept as `0`).

Recognizers then keep the candidates their checksum accepts (python-stdnum), longest first. Nothing here
knows a scheme, which is why one mechanism serves IBAN, VAT and national IDs alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

_GROUP = re.compile(r"[A-Za-z0-9]+")
_IBAN_HEAD = re.compile(r"[A-Za-z]{2}\d{2}")  # an IBAN's country and check digits: few digits may follow (LV, GB)
_DOTTED_QUAD = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")
_CONTINUED = re.compile(r"([ .\-/])[A-Za-z0-9]*\d")
MAX_COMPACT = 34  # the longest IBAN
MAX_GROUPS = 12


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    compact: str


def _joinable(between: str) -> bool:
    """True if `between` (the characters between two groups) is one typed separator."""
    if between in ("", " ", "-", ".", "/", ":", "- ", ": ", " -", " - ", ". ", "/ ", " / "):
        return True
    stripped = between.replace(" ", "")
    return stripped in ("(", ")") and len(between) <= 3


def _word_like(group: str, after_digits: bool) -> bool:
    """A group that is a word of running text, not part of an identifier: lower-case letters, 3+ long, or
    2+ long after a group with digits (`… CZ08441758 by Friday`: a lower-case prefix such as `lu:` comes
    before its number, never after one)."""
    if not group.isalpha() or group.isupper():
        return False
    return len(group) >= 3 or (after_digits and len(group) >= 2 and group.islower())


def runs(text: str) -> Iterator[list[tuple[int, int, str]]]:
    """Runs of groups (start, end, compact piece) that may form an identifier."""
    current: list[tuple[int, int, str]] = []
    previous_end = -1
    for m in _GROUP.finditer(text):
        group = m.group(0)
        piece = group.upper()  # a "(0)" is a group of its own: `BE (0)468…` compacts to BE0468…
        between = text[previous_end:m.start()] if previous_end >= 0 else None
        joinable = between is not None and _joinable(between) and "\n" not in between
        if _word_like(group, bool(current) and any(c.isdigit() for c in current[-1][2])):
            if current:
                yield current
            current, previous_end = [], m.end()
            continue
        if current and not joinable:
            yield current
            current = []
        current.append((m.start(), m.end(), piece))
        previous_end = m.end()
    if current:
        yield current


def candidates(text: str, min_digits: int = 5) -> Iterator[Candidate]:
    """Contiguous slices of every run with at least `min_digits` digits, longest slices first per start.

    A slice starts at the start of its run or after a letters-only group (`IBAN DE89 …`, `SSN 123-…`),
    never in the middle of a run of digit groups: the tail of a longer number is not an identifier."""
    for run in runs(text):
        digits = sum(c.isdigit() for _, _, p in run for c in p)
        if digits < min_digits and not (digits >= 3 and _has_iban_head(run)):
            continue
        for i in range(len(run)):
            if i and not run[i - 1][2].isalpha():
                continue
            compact = ""
            slices = []
            for j in range(i, min(len(run), i + MAX_GROUPS)):
                compact += run[j][2]
                if len(compact) > MAX_COMPACT:
                    break
                slices.append(Candidate(run[i][0], run[j][1], compact))
            yield from reversed(slices)


def find_valid(text: str, is_valid: Callable[[str], bool], min_len: int = 5,
               shape: re.Pattern[str] | None = None, judge_whole: bool = True,
               pool: Iterable[Candidate] | None = None) -> list[Candidate]:
    """Non-overlapping candidates whose compact form `is_valid` accepts, longest first at each position.

    `shape` (a full-match pattern on the compact form) is a cheap pre-filter before the checksum. With
    `judge_whole`, the longest slice that has the shape decides for its start: if its checksum fails, no
    shorter slice is tried (`BG-039-656-200-3` with a wrong digit must not shrink to a valid 9-digit
    number); a slice continued by its own separator and more digits (`PL66-9545-5363` of a longer
    `PL66-9545-5363-3303-…`) is a fragment of a longer number and is skipped. Schemes of one fixed length
    per prefix (IBAN) can leave it off and trim trailing groups. An IPv4 dotted quad is never an
    identifier (its 8-12 digits pass a mod-97 check one time in 97)."""
    found: list[Candidate] = []
    taken_until = -1
    judged_start = -1
    for cand in candidates(text) if pool is None else pool:
        if cand.start < taken_until or cand.start == judged_start or len(cand.compact) < min_len:
            continue
        if shape is not None and not shape.fullmatch(cand.compact):
            continue
        if _DOTTED_QUAD.fullmatch(text, cand.start, cand.end):
            continue
        if judge_whole and _is_fragment(text, cand):
            continue
        if is_valid(cand.compact):
            found.append(cand)
            taken_until = cand.end
        elif judge_whole:
            judged_start = cand.start
    return found


def _has_iban_head(run: list[tuple[int, int, str]]) -> bool:
    """True if a group, alone or with the next one (`LV 88 …`), starts like an IBAN."""
    pieces = [p for _, _, p in run]
    return any(_IBAN_HEAD.match(p + "".join(pieces[k + 1:k + 2])) for k, p in enumerate(pieces))


def _is_fragment(text: str, cand: Candidate) -> bool:
    """True if the candidate's grouping goes on after it: the same separator, then more digits."""
    m = _CONTINUED.match(text, cand.end)
    return m is not None and m.group(1) in text[cand.start:cand.end]
