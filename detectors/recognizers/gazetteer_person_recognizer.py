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

from detectors.names import NOT_SURNAMES, is_given_name, is_honorific, street_words, surnames
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
        if self.supported_language != "de":  # German capitalises every noun: a lone name is too ambiguous
            out += [result("PERSON", s, e, LONE_NAME_SCORE, self.name, "PERSON: known given name mid-sentence")
                    for s, e in lone_given_names(text, found)]
        return out


LONE_NAME_SCORE = 0.55
_LONE = re.compile(r"(?<=[a-zà-ÿ,] )([A-ZÀ-Þ][a-zà-ÿ]+)(?=[ ,.;:!?)]|$)(?! [A-ZÀ-Þ])")


def lone_given_names(text: str, taken) -> list[tuple[int, int]]:
    """Known given names standing alone mid-sentence ("remove my kid Maja from the will"), EN/FR only:
    after a lower-case word, not followed by another capitalised word, not inside a name already found."""
    out = []
    for m in _LONE.finditer(text):
        if is_given_name(m.group(1)) and not any(s <= m.start() < e for s, e, *_ in taken):
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
        if k == first or (k == j and not honorific):  # a lone given name is too weak to report
            i += 1
            continue
        last_word = tokens[k - 1][2].casefold()
        if honorific:
            score, why = 0.75, "PERSON: honorific + capitalised name"
        elif last_word in surnames():
            score, why = SURE_NAME_SCORE, "PERSON: known given name + known surname"
        else:
            score, why = 0.6, "PERSON: known given name + capitalised word"
        out.append((tokens[first][0], tokens[k - 1][1], score, why))
        i = k
    return tuple(out)


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    gap = text[left[1]:right[0]]
    if gap.replace(" ", "") == "." and len(gap) <= 3 and is_honorific(left[2]):
        return True  # "M . Dupont": a title's dot written as its own token
    return gap in (" ", "-") or (gap.strip() == "" and "\n" not in gap and len(gap) <= 2)
