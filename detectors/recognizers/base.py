"""What every policyscan recognizer shares: gating metadata and small helpers for validated patterns.

A recognizer is a Presidio `EntityRecognizer` class registered under the `policyscan.recognizers` entry
point group. The registry (`detectors.registry`) builds one instance per configured language by calling
`cls(supported_language=lang)`, and reads optional class attributes:

* `COUNTRIES`: ISO codes the recognizer is for; it is enabled only when a scan's configured countries
  intersect them (empty = not country-specific). This is what keeps a valid Luxembourg matricule from
  being reported as a Polish PESEL.
* `LANGUAGES`: languages it supports (empty = every language).
* `CATEGORIES`: entity -> fideslang key for entities the built-in table (`detectors.taxonomy`) does not
  know; a finding is special when its key is (`scanner.categories.is_special`).

Contract for `analyze`: return spans over the given text only; never log or raise with the text.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from presidio_analyzer import RecognizerResult

if TYPE_CHECKING:
    from detectors.recognizers.identifier_candidates import Candidate

SEPARATORS = re.compile(r"[\s.\-/]+")


def compact(value: str) -> str:
    """The value without spaces, dots, dashes, slashes (how checksum modules want it)."""
    return SEPARATORS.sub("", value)


def context_near(text: str, start: int, end: int, words: Iterable[str], radius: int = 80,
                 after: int | None = None) -> bool:
    """True if one of `words` (lower-case, whole word) occurs within `radius` characters before the span
    or `after` (default: `radius`) characters after it."""
    window = text[max(0, start - radius): end + (radius if after is None else after)].casefold()
    return _words_pattern(tuple(words)).search(window) is not None


@lru_cache(maxsize=256)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One whole-word alternation per word list (one regex pass per span instead of one per word)."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def shrink_to_valid(text: str, start: int, end: int, is_valid: Callable[[str], bool],
                    min_len: int) -> tuple[int, int] | None:
    """The longest prefix of text[start:end] ending on a token boundary that `is_valid` accepts.

    Patterns that allow irregular spacing (IBANs, VAT numbers) can swallow a following word or group;
    trimming from the right until the checksum holds gives the real span.
    """
    while end - start >= min_len:
        candidate = text[start:end].rstrip()
        if is_valid(candidate):
            return start, start + len(candidate)
        cut = max(candidate.rfind(" "), -1)
        if cut <= 0:
            # No space left: drop one character (a glued trailing letter or digit).
            end = start + len(candidate) - 1
        else:
            end = start + cut
    return None


_GROUP_BEFORE = re.compile(r"[A-Z0-9]*\d[A-Z0-9]*[ .\-/]$")
_GROUP_AFTER = re.compile(r"^[ .\-/][A-Z0-9]*\d")


def glued_to_digit_groups(text: str, start: int, end: int) -> bool:
    """True if the span continues a run of digit groups on either side (`FR76 3000 6000 …`): it is a
    fragment of a longer number (an IBAN, an ID), not a value of its own."""
    return bool(_GROUP_BEFORE.search(text[max(0, start - 8):start]) or _GROUP_AFTER.match(text[end:end + 6]))


def result(entity: str, start: int, end: int, score: float, name: str, why: str,
           context_boosted: bool = False) -> RecognizerResult:
    from presidio_analyzer import AnalysisExplanation

    explanation = AnalysisExplanation(recognizer=name, original_score=score, textual_explanation=why)
    return RecognizerResult(entity, start, end, score, analysis_explanation=explanation,
                            recognition_metadata={"recognizer_name": name,
                                                  "is_score_enhanced_by_context": context_boosted})


class TextPass:
    """The typed-identifier candidates of one text, cut once and shared by every validated-pattern recognizer.

    Cutting a text into candidates (`identifier_candidates.candidates`) is the costly, scheme-blind part;
    the IBAN, VAT and national-ID recognizers used to repeat it each (a quarter of detection time). Now
    the first recognizer to ask cuts the text, the others read the same candidates, each narrowed once to
    its own SHAPE (a full match on the compact form), then validated by its own checksum and context.
    """

    __slots__ = ("text", "_candidates", "_shaped")

    def __init__(self, text: str) -> None:
        self.text = text
        self._candidates: tuple[Candidate, ...] | None = None
        self._shaped: dict[re.Pattern[str], tuple[Candidate, ...]] = {}

    def candidates(self) -> tuple[Candidate, ...]:
        if self._candidates is None:
            from detectors.recognizers.identifier_candidates import candidates

            self._candidates = tuple(candidates(self.text))
        return self._candidates

    def shaped(self, shape: re.Pattern[str]) -> tuple[Candidate, ...]:
        """The candidates whose compact form is a full match of `shape`, in `candidates()` order."""
        found = self._shaped.get(shape)
        if found is None:
            found = self._shaped[shape] = tuple(c for c in self.candidates() if shape.fullmatch(c.compact))
        return found


_LAST_PASS = threading.local()


def text_pass(text: str) -> TextPass:
    """The shared pass over `text`: Presidio hands the same text object to every recognizer in turn, so
    one slot per thread (keyed by identity, holding the text alive) is all the memory this needs."""
    last = getattr(_LAST_PASS, "value", None)
    if last is None or last.text is not text:
        last = _LAST_PASS.value = TextPass(text)
    return last


class ValidatedPatternRecognizer:
    """Mixin-free base for "regex candidate + checksum + context words" recognizers.

    Subclasses set ENTITY, PATTERN (compiled), CONTEXT (lower-case EN/FR/DE words), COUNTRIES, and
    implement `is_valid(candidate)`. Score: BASE_SCORE for a valid number, + CONTEXT_BOOST when a context
    word is near; REQUIRE_CONTEXT drops context-less matches (for formats too generic to stand alone).
    Context is handled here (no lemmatizer runs), so Presidio's enhancer is told to leave these alone.
    """

    ENTITY: str = ""
    PATTERN: re.Pattern[str]
    # When set, candidates come from `identifier_candidates` (any typed separator) and must match SHAPE
    # in compact form; PATTERN is then unused.
    SHAPE: re.Pattern[str] | None = None
    JUDGE_WHOLE = True  # see identifier_candidates.find_valid
    CONTEXT: tuple[str, ...] = ()
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()
    BASE_SCORE = 0.6
    CONTEXT_BOOST = 0.3
    REQUIRE_CONTEXT = False
    REJECT_GLUED = False  # drop matches that are fragments of a longer run of digit groups
    MIN_LEN = 4

    def is_valid(self, candidate: str) -> bool:
        raise NotImplementedError

    def accept(self, text: str, start: int, end: int) -> bool:
        """A last look at a valid candidate in its text (subclasses reject ambiguous forms)."""
        return True

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of values whose checksum holds, before context and gating."""
        if self.SHAPE is not None:
            from detectors.recognizers.identifier_candidates import find_valid

            pool = text_pass(text).shaped(self.SHAPE)
            for cand in find_valid(text, self.is_valid, self.MIN_LEN, self.SHAPE, self.JUDGE_WHOLE, pool):
                if self.accept(text, cand.start, cand.end):
                    yield cand.start, cand.end
            return
        for m in self.PATTERN.finditer(text):
            span = shrink_to_valid(text, m.start(), m.end(), self.is_valid, self.MIN_LEN)
            if span is not None:
                yield span

    def find(self, text: str, name: str) -> list[RecognizerResult]:
        found = []
        for start, end in self.spans(text):
            if self.REJECT_GLUED and glued_to_digit_groups(text, start, end):
                continue
            near = context_near(text, start, end, self.CONTEXT) if self.CONTEXT else False
            if self.REQUIRE_CONTEXT and not near:
                continue
            score = min(1.0, self.BASE_SCORE + (self.CONTEXT_BOOST if near else 0.0))
            why = f"{self.ENTITY}: format and checksum valid" + ("; context word nearby" if near else "")
            found.append(result(self.ENTITY, start, end, score, name, why, context_boosted=True))
        return found
