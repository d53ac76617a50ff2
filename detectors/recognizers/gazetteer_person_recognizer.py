"""PERSON from name gazetteers: the method for German, where no spaCy model is on PyPI.

Rule: a known given name (see `detectors.names`) followed by one or two capitalised tokens that are not
known non-surnames, or an honorific (`Herr`, `Frau`, `Dr.`, `Mme`, `Mr`) followed by capitalised tokens.
A given name + a *known* surname scores 0.85; a given name + an unknown capitalised token 0.6 (German
capitalises every noun, hence the lower score); honorific + capitalised token 0.75. The only PERSON
method for German; in EN/FR it backs up spaCy NER (overlaps are resolved by score), which measured
+0.01 to +0.02 PERSON F1 there (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.names import (INSTITUTION_WORDS, NATIONALITY_WORDS, NOT_SURNAMES, TITLES, WORD_NAMES, given_names,
                             in_thing_name, is_given_name, is_honorific, is_title, is_word_name, street_words, surnames)
from detectors.recognizers.base import result

_WORD = re.compile(r"[A-ZÀ-ÖØ-Þa-zß-öø-ÿ][\w'’\-]*\.?", re.UNICODE)
_PARTICLES = {"von", "van", "de", "du", "der", "zu", "le", "la", "da", "dos", "di"}


def _capitalised(token: str) -> bool:
    key = token.rstrip(".").casefold()
    return token[:1].isupper() and key not in NOT_SURNAMES and key not in street_words() and len(key) > 1


class GazetteerPersonRecognizer(EntityRecognizer):
    COUNTRIES: tuple[str, ...] = ()
    LANGUAGES: tuple[str, ...] = ()

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=f"GazetteerPersonRecognizer_{supported_language}")

    def load(self) -> None:
        surnames()  # build the lists once, before the first text

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if entities and "PERSON" not in entities:
            return []
        found = find_names(text)
        out = [result("PERSON", s, e, score, self.name, why) for s, e, score, why in found]
        german = self.supported_language == "de"
        if not german:  # German capitalises every noun: a lone name is too ambiguous
            out += [result("PERSON", s, e, LONE_NAME_SCORE, self.name, "PERSON: known given name mid-sentence")
                    for s, e in lone_given_names(text, found)]
        taken = [(s, e) for s, e, *_ in found]
        for s, e, score, why in titled_names(text, german) + ([] if german else initialled_names(text)):
            if not any(s < te and ts < e for ts, te in taken):
                out.append(result("PERSON", s, e, score, self.name, why))
                taken.append((s, e))
        return out


LONE_NAME_SCORE = 0.55
_LONE = re.compile(r"(?<=[a-zà-ÿ,] )([A-ZÀ-Þ][a-zà-ÿ]+)(?=[ ,.;:!?)]|$)(?! [A-ZÀ-Þ])")


def lone_given_names(text: str, taken) -> list[tuple[int, int]]:
    """Known given names standing alone mid-sentence ("remove my kid Maja from the will"), EN/FR only:
    after a lower-case word, not followed by another capitalised word, not inside a name already found."""
    out = []
    for m in _LONE.finditer(text):
        if is_given_name(m.group(1)) and not is_word_name(m.group(1)) and not in_thing_name(text, m.start(1)) \
                and not any(s <= m.start() < e for s, e, *_ in taken):
            out.append((m.start(1), m.end(1)))
    return out


SURE_NAME_SCORE = 0.85  # known given name + known surname: NER is not asked to confirm these


@lru_cache(maxsize=128)  # the NLP engine (NER windows of a whole batch, then the recognizer) asks for each chunk twice
def find_names(text: str) -> tuple[tuple[int, int, float, str], ...]:
    """(start, end, score, reason) of gazetteer person names in text, non-overlapping, in order."""
    tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
    out: list[tuple[int, int, float, str]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i][2]
        honorific = is_honorific(tok)
        if not honorific and not (is_given_name(tok) and not tok.endswith(".")):
            i += 1
            continue
        if not honorific and is_word_name(tok) and not _before_surname(text, tokens, i):
            i += 1
            continue
        first = i
        while first < len(tokens) and is_honorific(tokens[first][2]) \
                and (first == i or _adjacent(text, tokens[first - 1], tokens[first])):
            first += 1
        if first >= len(tokens) or (honorific and not _adjacent(text, tokens[first - 1], tokens[first])):
            i += 1
            continue
        j = first
        # Given names ("Anne Marie Weber"): one or more, adjacent.
        while j < len(tokens) and j - first < 3 and is_given_name(tokens[j][2]) and not tokens[j][2].endswith(".") \
                and (j == first or _adjacent(text, tokens[j - 1], tokens[j])):
            j += 1
        k = j
        while k < len(tokens) and k - j < 2 and k > first and _adjacent(text, tokens[k - 1], tokens[k]) \
                or (k == j == first and honorific and k < len(tokens)):
            word = tokens[k][2]
            if word.casefold() in _PARTICLES and k + 1 < len(tokens) and _capitalised(tokens[k + 1][2]):
                k += 2
                continue
            if not _capitalised(word) or word.endswith("."):
                break
            k += 1
        # "Anton Paul": a second given name that is also a surname ends the name
        given_pair = k == j and j - first >= 2 and tokens[j - 1][2].casefold() in surnames()
        if k == first or (k == j and not honorific and not given_pair):  # a lone given name is too weak
            i += 1
            continue
        last_word = tokens[k - 1][2].casefold()
        if last_word in WORD_NAMES and _NUMBER_NEXT.match(text, tokens[k - 1][1]):  # "Till May 1943": a date
            i = k
            continue
        if honorific:
            score, why = 0.75, "PERSON: honorific + capitalised name"
        elif last_word in surnames():
            score, why = SURE_NAME_SCORE, "PERSON: known given name + known surname"
        else:
            score, why = 0.6, "PERSON: known given name + capitalised word"
        out.append((tokens[first][0], tokens[k - 1][1], score, why))
        i = k
    return tuple(out)


_NUMBER_NEXT = re.compile(r",?\s*\d")


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    gap = text[left[1]:right[0]]
    if gap.replace(" ", "") == "." and len(gap) <= 3 and is_honorific(left[2]):
        return True  # "M . Dupont": a title's dot written as its own token
    return gap in (" ", "-") or (gap.strip() == "" and "\n" not in gap and len(gap) <= 2)


def _before_surname(text: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    """True if token i is directly followed by a known surname that is no common word itself."""
    if i + 1 >= len(tokens) or not _adjacent(text, tokens[i], tokens[i + 1]):
        return False
    word = tokens[i + 1][2]
    return word[:1].isupper() and word.casefold() in surnames() and not is_word_name(word) \
        and word.casefold() not in NATIONALITY_WORDS


_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Žİ](?:[^\W\d_]|['’])*[a-zß-öø-ÿā-ž](?:[^\W\d_]|['’])*"  # capitalised, not all-caps
_SURNAME = rf"{_NAME_WORD}(?:\s?-\s?{_NAME_WORD})?"
_TITLED = re.compile(r"(?<![\w.])(?:(?i:" + "|".join(sorted(TITLES, key=len, reverse=True)) + r")\.?\s+)+"
                     rf"((?:{_NAME_WORD}\s+)?{_SURNAME})(?![\w'’])")
_INITIALLED = re.compile(r"(?<![\w.])(?:(?:MM|M|Mme|Mlle|Mr|Mrs|Ms|Dr)\s?\.?\s+)?((?:[A-Z]\s?\.\s?(?:-\s?[A-Z]\s?\.\s?)?){1,3})"
                         rf"({_SURNAME})(?![\w'’])(?!\s+[A-Z][a-z])")
TITLED_SCORE = 0.7


# Endings of English/French abstract nouns ("Disarmament", "Directorate", "Proceedings"): section headings
# and institutions after "General" or an initial, not surnames.
_NOUN_ENDING = re.compile(r"(?:ment|ments|ate|ates|ion|ions|ity|ance|ence|ship|ness|ure|ism|ory|ings|ics)$")


def _plain_name_word(word: str) -> bool:
    key = word.casefold()
    if key in surnames() and not is_word_name(word):
        return True
    return not (key in NOT_SURNAMES or key in INSTITUTION_WORDS or key in TITLES or key in NATIONALITY_WORDS
                or is_word_name(word) or key in street_words() or _NOUN_ENDING.search(key))


def titled_names(text: str, german: bool) -> list[tuple[int, int, float, str]]:
    """A title or rank before a surname ("le juge Marchetti", "lieutenant Vasquez", "Minister Haller"): the
    name after the title. In German, where every noun is capitalised, the word must be a known name."""
    out = []
    for m in _TITLED.finditer(text):
        words = re.split(r"[\s\-]+", m.group(1))
        if not all(_plain_name_word(w) for w in words):
            continue
        if german and not any(w.casefold() in surnames() or w.casefold() in given_names() for w in words):
            continue
        out.append((m.start(1), m.end(1), TITLED_SCORE, "PERSON: title or rank + capitalised name"))
    return out


def initialled_names(text: str) -> list[tuple[int, int, float, str]]:
    """Initials before a surname ("K . Lindqvist", "R. T. Moravec", "J.-P. Martin"), EN/FR."""
    out = []
    for m in _INITIALLED.finditer(text):
        first = m.group(2).split()[0].split("-")[0]
        # "A. Arrest and detention of …": a lettered heading (line start, no title, running text after it)
        heading = m.start(1) == m.start() and (m.start() == 0 or text[m.start() - 1] == "\n") \
            and re.match(r"\s+[a-z]", text[m.end():m.end() + 3]) is not None
        if _plain_name_word(first) and (not heading or first.casefold() in surnames()):
            out.append((m.start(1), m.end(2), TITLED_SCORE, "PERSON: initials + capitalised name"))
    return out
