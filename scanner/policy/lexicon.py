"""The data-noun lexicon (`lexicon.yaml`): phrases -> fideslang keys, per language, loaded as package data.

`find_terms(sentence, language)` gives every lexicon phrase of that language in the sentence, longest
first where two overlap, minus those inside an exclusion ("health and safety"). Whether a phrase
declares anything is decided by the statement reader, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

LANGUAGES = ("en", "fr", "de")


@dataclass(frozen=True)
class LexiconEntry:
    key: str
    name: str  # cited in rationales with the language: "en.health"
    why: str
    terms: dict[str, tuple[str, ...]]
    excludes: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Term:
    """One lexicon phrase found in a sentence."""

    key: str
    phrase: str  # as written in the sentence
    start: int
    end: int


def term_pattern(term: str, capital_first: bool = False) -> str:
    """A lexicon term -> regex: words joined by spaces or hyphens, `*` continues a word, either apostrophe.

    `capital_first` (German): a term written with a capital matches only a capitalised word, because
    German capitalises nouns: "Spenden" (donations) is data, "spenden" (to donate) is not.
    """
    words = []
    for n, word in enumerate(term.split()):
        star = word.endswith("*")
        word = word.rstrip("*")
        body = re.escape(word).replace("'", "['’]").replace(r"\-", r"[\s-]?")
        if n == 0 and capital_first and word[:1].isupper():
            body = f"(?-i:{re.escape(word[0])})" + body[len(re.escape(word[0])):]
        words.append(body + (r"\w*" if star else ""))
    pattern = r"[\s-]+".join(words)
    first, last = term[0], term.rstrip("*")[-1]
    lead = r"\b" if first.isalnum() else ""
    tail = "" if term.endswith("*") or not last.isalnum() else r"\b"
    return lead + pattern + tail


@lru_cache(maxsize=1)
def load_lexicon() -> tuple[LexiconEntry, ...]:
    text = resources.files("scanner.policy").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: same data, 10x faster
    entries = []
    for key, body in raw.items():
        exclude = body.get("exclude") or {}
        entries.append(LexiconEntry(
            key=key, name=body.get("name") or key.rsplit(".", 1)[-1], why=body["why"],
            terms={lang: tuple(body.get(lang) or ()) for lang in LANGUAGES},
            excludes={lang: tuple(exclude.get(lang) or ()) for lang in LANGUAGES},
        ))
    return tuple(entries)


def entry(key: str) -> LexiconEntry | None:
    return next((e for e in load_lexicon() if e.key == key), None)


def _alternation(terms: tuple[str, ...], capital_first: bool = False) -> re.Pattern[str] | None:
    if not terms:
        return None
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(f"(?:{term_pattern(t, capital_first)})" for t in ordered), re.IGNORECASE)


@lru_cache(maxsize=None)
def _compiled(language: str) -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple(
        (e.key, pattern, _alternation(e.excludes[language]))
        for e in load_lexicon() if (pattern := _alternation(e.terms[language], language == "de")) is not None
    )


_FUNCTION_WORDS = re.compile(
    r"^(?:your|our|their|the|a|an|votre|vos|notre|nos|le|la|les|l['’]|un|une|des|de|du|d['’]|Ihr\w*|unser\w*|der|die|das"
    r"|den|dem|des|ein\w*)[\s]+", re.IGNORECASE)


def _core_start(term: Term) -> int:
    """Where the phrase's content starts: "your profile" competes from "profile", so "profile picture" wins."""
    m = _FUNCTION_WORDS.match(term.phrase)
    return term.start + (m.end() if m else 0)


def find_terms(sentence: str, language: str) -> list[Term]:
    """Lexicon phrases in the sentence, in order; of two overlapping phrases the leftmost (then longest) is kept,
    as a reader would: "bank account details" is a bank account, not account details. A leading possessive
    or article does not count as leftmost: in "your profile picture" the picture wins over "your profile"."""
    found: list[Term] = []
    for key, pattern, exclude in _compiled(language):
        excluded = [(m.start(), m.end()) for m in exclude.finditer(sentence)] if exclude else []
        for m in pattern.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in excluded):
                continue
            found.append(Term(key, m.group(0), m.start(), m.end()))
    found.sort(key=lambda t: (_core_start(t), -(t.end - t.start), t.key))
    kept: list[Term] = []
    for term in found:
        if not any(k.start < term.end and term.start < k.end for k in kept):
            kept.append(term)
    return sorted(kept, key=lambda t: (t.start, t.key))
