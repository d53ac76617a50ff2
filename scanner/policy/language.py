"""Which of English, French and German a policy is written in: a stopword vote.

A whole privacy policy holds hundreds of function words, so counting them is as reliable as a
statistical detector here, costs nothing to load and is trivially deterministic.
"""

from __future__ import annotations

import re

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to we your you is are with for our this that may be by or in on it as".split()),
    "fr": frozenset("le la les des et du nous vos votre est sont pour avec une que qui dans sur par aux ces".split()),
    "de": frozenset("der die das und wir ihre sie ist sind für mit den dem nicht von zu werden auf des ein".split()),
}
_WORD = re.compile(r"[^\W\d_]+")
MIN_VOTES = 5
BILINGUAL_SHARE = 0.25  # a second language with at least this share of the winner's votes is present too


def language_votes(text: str) -> dict[str, int]:
    votes = dict.fromkeys(STOPWORDS, 0)
    for word in _WORD.findall(text.lower()):
        for lang, words in STOPWORDS.items():
            if word in words:
                votes[lang] += 1
    return votes


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the main language, or None when there is too little text to tell (or a tie)."""
    ranked = sorted(language_votes(text).items(), key=lambda kv: (-kv[1], kv[0]))
    (best, n), (_, second) = ranked[0], ranked[1]
    if n < MIN_VOTES or n == second:
        return None
    return best


def languages_present(text: str) -> tuple[str, ...]:
    """The main language first, then any other with a real share of the text; all when undecided."""
    votes = language_votes(text)
    main = detect_language(text)
    if main is None:
        return tuple(STOPWORDS)
    others = sorted(lang for lang, n in votes.items() if lang != main and n >= BILINGUAL_SHARE * votes[main])
    return (main, *others)


def leading_language(text: str) -> str:
    """The language with most votes even in a text too short to decide (ties: en, fr, de), for parsing."""
    votes = language_votes(text)
    return max(STOPWORDS, key=lambda lang: votes[lang])
