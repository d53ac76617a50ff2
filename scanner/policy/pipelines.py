"""The spaCy pipelines the statement reader parses with, loaded in a fraction of spaCy's own start-up time.

Why: `policy extract` runs in a fresh process, so the model's loading is part of every extraction. Most
of the French model's loading is one regular expression: the tokenizer's `token_match`, 266 anchored
alternatives (`^anti[-–]…[letters]*$`, …) that each spell out Unicode letter classes, 1.4 MB of pattern
that Python compiles in about 2.4 CPU s at every start (a compiled pattern cannot be saved across
processes). Most alternatives end the same way, so `factor_alternatives` writes the same pattern with
the shared endings written once ("^A X$|^B X$" as "(?:^A|^B)X$"), which compiles in about 0.15 s, and
`load_pipeline` has spaCy compile that instead of the original while the model loads.

Guarantees: a string matches the factored pattern exactly when it matches the original (concatenation
distributes over alternation; tests/policy/test_policy_pipelines.py checks it on generated strings and
on the tokens of French policies). A pattern of another shape is compiled unchanged. Outside the
loading, `re.compile` is Python's own.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

LARGE_PATTERN = 100_000  # characters: only patterns this long are worth rewriting
BIG_CLASS = re.compile(r"\[(?:\\.|[^\]\\]){200,}\]")  # a character class of 200+ characters
INLINE_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")
SEPARATOR = ")|(?:"
_load_lock = threading.Lock()


def factor_alternatives(pattern: str) -> str | None:
    """`FLAGS(?:A1)|(?:A2)|…` with anchored alternatives -> the same language with shared tails written once.

    Each alternative is cut before its first long character class; alternatives with the same tail
    share it. None when the pattern is not of that shape (then it is compiled as it is).
    """
    flags = INLINE_FLAGS.match(pattern)
    lead = flags.group(0) if flags else ""
    classes: list[str] = []  # each distinct class once, so that equal tails read equal

    def hold(m: re.Match[str]) -> str:  # classes may hold "|" or ")": keep them out of the cutting
        if m.group(0) not in classes:
            classes.append(m.group(0))
        return f"\x00{classes.index(m.group(0))}\x00"

    skeleton = BIG_CLASS.sub(hold, pattern[len(lead):])
    if not (skeleton.startswith("(?:") and skeleton.endswith(")")) or "\x00" in pattern:
        return None
    alternatives = skeleton[3:-1].split(SEPARATOR)
    if len(alternatives) < 2 or not all(_plain(a) for a in alternatives):
        return None
    tails: dict[str, list[str]] = {}
    for alternative in alternatives:
        cut = alternative.find("\x00")
        if cut < 0 or _depth(alternative[:cut]) != 0:
            cut = 0
        tails.setdefault(alternative[cut:], []).append(alternative[:cut])
    factored = "|".join(f"(?:(?:{'|'.join(heads)}){tail})" if any(heads) else f"(?:{tail})"
                        for tail, heads in tails.items())
    return lead + re.sub("\x00(\\d+)\x00", lambda m: classes[int(m.group(1))], factored)


def _plain(alternative: str) -> bool:
    """Anchored at both ends, balanced groups, no "|" outside a group, no backreference."""
    return (alternative.startswith("^") and alternative.endswith("$") and _depth(alternative) == 0
            and not _top_level_bar(alternative) and not re.search(r"\\\d|\(\?P=", alternative))


def _scan(text: str) -> Iterator[tuple[str, int]]:
    """Each character outside small character classes and escapes, with the group depth before it."""
    depth, escaped, in_class = 0, False, False
    for ch in text:
        if escaped:
            escaped = False
            continue
        if ch == "\\":
            escaped = True
            continue
        if in_class:
            in_class = ch != "]"
            continue
        if ch == "[":
            in_class = True
            continue
        yield ch, depth
        depth += (ch == "(") - (ch == ")")


def _depth(text: str) -> int:
    depth = 0
    for ch, before in _scan(text):
        depth = before + (ch == "(") - (ch == ")")
    return depth


def _top_level_bar(text: str) -> bool:
    return any(ch == "|" and depth == 0 for ch, depth in _scan(text))


@contextmanager
def equivalent_patterns() -> Iterator[None]:
    """While inside, a long alternation of anchored alternatives is compiled in its factored form."""
    original: Callable[..., re.Pattern[str]] = re.compile

    def compile_(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
        if isinstance(pattern, str) and len(pattern) >= LARGE_PATTERN:
            factored = factor_alternatives(pattern)
            if factored is not None:
                return original(factored, flags)
        return original(pattern, flags)

    with _load_lock:
        re.compile = compile_  # type: ignore[assignment]
        try:
            yield
        finally:
            re.compile = original  # type: ignore[assignment]


@contextmanager
def own_factories_only() -> Iterator[None]:
    """While inside, spaCy builds pipelines without importing the packages that register third-party factories.

    spaCy imports every `spacy_factories` entry point whenever it builds a pipeline; presidio-analyzer
    registers one, and importing it costs about 0.6 CPU s. The policy pipelines use only spaCy's own
    components; a model that needed another would fail to load (spaCy error E002), not parse differently.
    """
    import spacy

    scan = getattr(spacy.util.registry, "_entry_point_factories", None)
    if scan is None or not hasattr(scan, "entry_points"):
        yield
        return
    before = scan.entry_points
    scan.entry_points = False
    try:
        yield
    finally:
        scan.entry_points = before


def load_pipeline(name: str, exclude: tuple[str, ...] = ()) -> Any:
    """`spacy.load(name, exclude=…)`, with the tokenizer's long patterns compiled in their factored form."""
    import spacy

    with equivalent_patterns(), own_factories_only():
        nlp = spacy.load(name, exclude=list(exclude))
    if "lemmatizer" in nlp.pipe_names:
        index_as_sets(nlp.get_pipe("lemmatizer"))
    return nlp


def index_as_sets(lemmatizer: Any) -> None:
    """The rule lemmatizer's word lists per part of speech as sets: the same answers to "is this a known word".

    The models store each list as a list of up to 66,000 words, and the rule lemmatizer asks `word in list`
    for every token and every candidate form: a linear scan, most of the time the French pipeline spends
    on a sentence.
    """
    lookups = getattr(lemmatizer, "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for pos, words in list(table.items()):
        if isinstance(words, list):
            table[pos] = frozenset(words)
