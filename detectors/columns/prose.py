"""Free text in tables: NER names and places count only in prose about people.

A long-text column is prose: product descriptions, film plots, notes on a customer. The recognizers find
identifiers in it (e-mails, phones, IBANs) whatever it is about; spaCy NER also finds PERSON/LOCATION/NRP
in any capitalised words ("a Mad Scientist in An Abandoned Mine Shaft", "English"). Those NER entities
are kept when the text is about people, decided per column:

* the table is about persons (`Subject.PERSON`): kept;
* the table is about things (`Subject.THING`: products, films, languages): dropped;
* otherwise (unknown, linked records, addresses, things with a contact): kept only with person signals
  independent of NER in enough of the values: words that only people take (first-person writing as in
  messages and posts, pronouns, honorifics, kinship and life-event words, "called", "patient") or identifiers of a person (e-mail, phone, IBAN,
  national id) in the same value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from scanner.models import Hit, TextSample

from detectors.columns.subject import UNKNOWN, Subject, TableSubject, about

if TYPE_CHECKING:
    from detectors.engine import Detector, Span

# NER entities that count in prose only when the text is about people.
NER_ENTITIES = {"PERSON", "LOCATION", "NRP"}
SIGNAL_SHARE = 0.3  # share of values with a person signal that makes a column prose about people
_PERSON_WORDS = re.compile(
    r"\b(?:i|i'm|i’m|my|me|myself|je|j'ai|moi|ich|mein|meine|mich|mir|"  # written by a person
    r"he|she|him|his|hers|herself|himself|mr|mrs|ms|miss|dr|mme|mlle|monsieur|madame|herr|frau|"
    r"wife|husband|son|daughter|mother|father|child|children|sister|brother|married|divorced|widow(?:ed|er)?|"
    r"born|died|lives|living|moved|called|phoned|emailed|visited|met|spoke|told|asked|complained|"
    r"patient|customer|client|employee|colleague|tenant|student|pupil|"
    r"né|née|épouse|époux|fils|fille|mère|père|enfant|appelé|rappelé|domicilié|"
    r"geboren|verheiratet|ehefrau|ehemann|sohn|tochter|mutter|vater|kind|angerufen|wohnt)\b",
    re.IGNORECASE)


def person_signals(texts: Sequence[str], spans: Sequence[Sequence["Span"]]) -> tuple[int, int]:
    """(values using words only people take, values holding a person's identifier), NER left aside."""
    words = sum(bool(_PERSON_WORDS.search(t)) for t in texts)
    identifiers = sum(any(s.entity not in NER_ENTITIES and s.entity != "DATE_TIME" for s in ss) for ss in spans)
    return words, identifiers


def judged(texts: Sequence[str], spans: list[list["Span"]], subject: TableSubject) -> tuple[list[list["Span"]], str]:
    """The spans that count, and why NER entities were kept (empty when none were found or they were not)."""
    if not any(s.entity in NER_ENTITIES for ss in spans for s in ss):
        return spans, ""
    if subject.subject is Subject.PERSON:
        return spans, ""
    if subject.subject is not Subject.THING:
        words, identifiers = person_signals(texts, spans)
        n, strongest = max(len(texts), 1), max(words, identifiers)
        several = strongest >= 2 and strongest / n >= SIGNAL_SHARE
        if several or (words and identifiers):  # one value: both kinds of signal
            return spans, (f"; text about people: {words} of {n} values use person words, {identifiers} hold "
                           f"a person's identifier")
    return [[s for s in ss if s.entity not in NER_ENTITIES] for ss in spans], ""


def free_text_hits(values: list[str], detector: "Detector", column: str,
                   subject: TableSubject = UNKNOWN) -> list[Hit]:
    """A column of prose values, each analysed as text, NER judged for the whole column."""
    n = len(values)
    per_value, signals = judged(values, detector.text_spans(values), subject)
    counts: dict[str, int] = {}
    for spans in per_value:
        for entity in {s.entity for s in spans}:
            counts[entity] = counts.get(entity, 0) + 1
    hits = []
    for v, spans in zip(values, per_value):
        for s in spans:
            why = (f"free-text column '{column}': {counts[s.entity]} of {n} sampled values mention "
                   f"{s.entity}{about(subject)}{signals if s.entity in NER_ENTITIES else ''}")
            hits.append(detector.hit(v[s.start:s.end], s.entity, s.score, s.recognizer, why))
    return hits


def text_column_hits(sample: TextSample, detector: "Detector", subject: TableSubject) -> list[Hit]:
    """A long-text column (read as one prose sample, a value a line) judged by its table's subject and by
    the person signals of its lines."""
    text = sample.text[: detector.limits.text_chars_per_sample]
    spans = detector.text_spans([text], [sample.language])[0]
    lines, line_spans, start = [], [], 0
    for line in text.split("\n"):
        end = start + len(line)
        lines.append(line)
        line_spans.append([s for s in spans if start <= s.start < end + 1])
        start = end + 1
    kept, signals = judged(lines, line_spans, subject)
    why = f"free text in column '{sample.field}'{about(subject)}"
    out = []
    for s in (s for ss in kept for s in ss):
        reason = why + (signals if s.entity in NER_ENTITIES else "")
        out.append(detector.hit(text[s.start:s.end], s.entity, s.score, s.recognizer,
                                f"{reason}: {s.explanation}" if s.explanation else reason))
    return out
