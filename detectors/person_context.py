"""Judgement on NER in free text: a name-like span counts as a person's data when the text is about people.

spaCy and the name gazetteers tag PERSON and LOCATION on any capitalised phrase: film blurbs, game piece
names, dishes on a menu, a tour itinerary, a country list, a university in a document's metadata. Those
texts are about things. A span of prose (`field` None, `body`, `ocr`) therefore keeps its NER entities
only on evidence that it is about people:

- **person context** around a PERSON span: an honorific or a field label right before it (`Dr`, `Mme`,
  `Name:`, `first:`, `Vorname:`), or near it an age or birth (`aged 71`, `years old`, `born`, `née`),
  a family or marital word (`wife`, `widow`, `married`), a role (`manager`, `judge`, `patient`,
  `student`), a letter's address or closing (`Dear`, `Regards`), a personal pronoun (`she`, `his`);
- an **identifier next to the name** (an e-mail, IBAN, national ID, date of birth, … within a short
  distance; a phone number only next to a full name: offices publish theirs next to their own names);
- **several independent person signals**: two or more different full names (a known given name and a
  known surname, not part of a place or thing such as `… National Park`).

LOCATION spans, phone numbers found without phone context (low score: statistics, page ranges,
coordinates, case numbers) and organisational mailboxes (`info@`, `acme@news.acme.com`) count only
when the same text has a counted person or a personal identifier other than a phone number. Numbers that cannot be what they were
taken for (a phone number of fewer than six digits, an "IP address" `4.2.1.3` that is a section number)
are dropped.
A sample too short to tell what it is about (fewer than `MIN_SENTENCES_TO_JUDGE` sentences: a note, a
log line, one sentence of a letter or of a news item) gives no evidence on its subject:
there the detector's PERSON spans count as they are (public figures and officials are persons too), as a
compliance scan reports when in doubt; places still need a text about people.
Film blurbs, game rules and itineraries are paragraphs, and are judged as above.
Metadata fields (`meta:author`, …) name an author, a login or an organisation: LOCATION there is a
misreading and a PERSON must look like a personal name (two or more capitalised words, no organisation
word). Other fields (e-mail headers, table columns) are not judged here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from detectors.example_values import ROLE_MAILBOXES
from detectors.names import HONORIFICS, ROLE_WORDS, given_names, surnames

if TYPE_CHECKING:
    from detectors.engine import Span

NER = frozenset({"PERSON", "LOCATION"})
# Entities that say nothing about who a text is about.
NOT_PERSONAL = frozenset({"URL", "DATE_TIME", "ORGANIZATION", "IP_ADDRESS", "MAC_ADDRESS", "CRYPTO", "NRP"})
PROSE_FIELDS = (None, "body", "ocr")
WEAK_PHONE_SCORE = 0.6  # below: the recognizer saw no phone context
BEFORE, AFTER, IDENTIFIER_DISTANCE = 60, 40, 100
MIN_SENTENCES_TO_JUDGE = 3

_WORDS = (
    # ages, births, deaths
    r"aged?|years?[ -]old|yrs|born|n[ée]e?|birthday|date of birth|died|deceased|geboren|geb\.|verstorben|"
    r"Jahre alt|ans|décédée?|"
    # family and marital status
    r"married|single|divorced|widowed|couple|children|child|kids|mari[ée]e?|célibataire|divorcée?|"
    r"verheiratet|ledig|geschieden|"
    # roles people hold
    r"employee|staff|student|pupil|patient|applicant|candidate|customer|client|tenant|member|judge|justice|"
    r"president|vice[- ]president|senator|representative|governor|mayor|manager|director|professor|dean|"
    r"chair(?:man|woman|person)?|secretary|officer|engineer|teacher|clerk|nurse|physician|doctor|lawyer|"
    r"attorney|plaintiff|defendant|witness|author|presenter|speaker|signed|"
    r"salarié|employée?|étudiante?|élève|juge|avocate?|directeur|directrice|médecin|"
    r"Mitarbeiter(?:in)?|Schüler(?:in)?|Richter(?:in)?|Kläger(?:in)?|Beklagte[rn]?|Zeug(?:e|in)|"
    r"Arzt|Ärztin|Lehrer(?:in)?|Rechtsanwalt|Rechtsanwältin|Geschäftsführer(?:in)?|"
    # a letter's address and closing
    r"dear|regards|sincerely|yours|cordialement|madame|monsieur|sehr geehrte[rn]?|grüße|"
    # personal pronouns (English: French and German ones also mean "it")
    r"he|she|his|her|him|himself|herself"
)
_CONTEXT = re.compile(rf"(?<![\w-])(?:{_WORDS})(?![\w-])", re.IGNORECASE)
_LABEL = re.compile(r"(?<![\w-])(?:name|full ?name|first|last|middle|given|surname|forename|author|nom|prénom|"
                    r"vorname|nachname|familienname|contact|attn|from|to|cc)\s*[:=]\s*$", re.IGNORECASE)  # right before
# Words that turn a name into a place, a thing or an organisation: "Grace Kelly National Park".
THING_WORDS = frozenset({
    "park", "national", "street", "st", "road", "avenue", "river", "lake", "mountain", "mountains", "island",
    "islands", "bay", "beach", "hotel", "airport", "station", "bridge", "tower", "castle", "church", "square",
    "university", "college", "school", "institute", "hospital", "foundation", "company", "corporation", "inc",
    "ltd", "llc", "gmbh", "sa", "ag", "group", "bank", "association", "department", "office", "ministry",
    "council", "committee", "center", "centre", "museum", "library", "markets", "services", "press", "area",
    "award", "prize", "cup", "day", "hall", "house", "valley", "forest",
})
_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")
_OUTLINE_NUMBER = re.compile(r"\d\.\d\.\d\.\d")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\s*\n\s*")
# Full stops that end no sentence: after an initial or a title (`Mr E. Novak`, `M . R . Dumas`, `MM.`) or a
# common abbreviation; counting them made one sentence about a person look like a paragraph about a thing.
_ABBREVIATIONS = ("mm", "no", "nos", "nr", "vs", "cf", "ca", "etc", "art", "abs", "pp", "st", "vol", "bzw", "vgl")
_NOT_SENTENCE_ENDS = "|".join(sorted({*HONORIFICS, *_ABBREVIATIONS}, key=len, reverse=True))
_NON_FINAL_DOT = re.compile(rf"(?<![\w.])(?:[^\W\d_]|(?i:{_NOT_SENTENCE_ENDS}))\s?\.(?=\s)")


def _sentences(text: str) -> int:
    """Sentences and lines with words in them."""
    text = _NON_FINAL_DOT.sub(lambda m: m.group(0).replace(".", ""), text)
    return sum(1 for part in _SENTENCE_BREAK.split(text) if _TOKEN.search(part))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


_INITIALS = re.compile(r"[^\W\d_a-zß-ÿ](?:\.?-?[^\W\d_a-zß-ÿ])?\.?")  # `K`, `K.`, `K.-J.`
_TITLE = "|".join(sorted(HONORIFICS | {"mm"}, key=len, reverse=True))
# A title, then initials each with its full stop: `Mr `, `Dr. K. `, `M . R . `, `Mme K.-J. ` (not `M 2|X: `).
_TITLE_AND_INITIALS = rf"(?<![\w.])((?i:{_TITLE}))(?:\s?\.)?\s+(?:[^\W\d_]\s?\.\s?(?:-\s?[^\W\d_]\s?\.\s?)?)*"
_ENDS_WITH_TITLE = re.compile(_TITLE_AND_INITIALS + "$")
_STARTS_WITH_TITLE = re.compile(_TITLE_AND_INITIALS + r"[^\W\d_]")


def _initial(token: str) -> bool:
    return _INITIALS.fullmatch(token) is not None


def _title(word: str) -> bool:
    """`Dr`, `Mme`, `Herr` written as a title (`MS` is an acronym, not `Ms`; `MM` is `Messieurs`)."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower() or word == "MM")


def _honorific_before(text: str, start: int) -> bool:
    """A title right before the span or opening it, initials allowed between: `Dr Weber`, `Mr E. Novak`,
    `M . R . Dumas` (where the span may hold the title and initials itself)."""
    m = _ENDS_WITH_TITLE.search(text, max(0, start - 25), start) or _STARTS_WITH_TITLE.match(text, start)
    return m is not None and _title(m.group(1))


def _initialled(text: str, span: "Span") -> bool:
    """`R. Balfour`, `J.-P. Martin`: initials before a capitalised surname are how names are written."""
    tokens = _tokens(text[span.start:span.end])
    return len(tokens) >= 2 and _initial(tokens[0]) and tokens[-1][:1].isupper() and len(tokens[-1]) > 2


def _names_someone(text: str, span: "Span") -> bool:
    """The span holds a known given name or surname, or a title or a name label introduces it: spaCy also
    tags `The`, `Meanwhile` or `Machine Learning` as PERSON, and context words cannot redeem those."""
    if _honorific_before(text, span.start) or _initialled(text, span) \
            or _LABEL.search(text[max(0, span.start - BEFORE):span.start]):
        return True
    return any(t.casefold() in given_names() or t.casefold() in surnames() for t in _tokens(text[span.start:span.end]))


def _has_context(text: str, span: "Span") -> bool:
    if _honorific_before(text, span.start):
        return True
    window = text[max(0, span.start - BEFORE):span.start] + " \x00 " + text[span.end:span.end + AFTER]
    if _CONTEXT.search(window) or _LABEL.search(text[max(0, span.start - BEFORE):span.start]):
        return True
    return any(t.casefold() in ROLE_WORDS for t in _tokens(window))


def full_name(value: str) -> bool:
    """A known given name, then a known surname (`Grant Writing` is neither a person nor a surname)."""
    tokens = _tokens(value)
    if len(tokens) < 2 or any(t.casefold() in THING_WORDS for t in tokens):
        return False
    if not (tokens[0][:1].isupper() and tokens[-1][:1].isupper()):
        return False
    return tokens[0].casefold() in given_names() and tokens[-1].casefold() in surnames()


def _thing_follows(text: str, span: "Span") -> bool:
    """`Claire Melissa National Park`: a thing word ends the name, in the span or right after it."""
    words = _tokens(text[span.start:span.end])[1:] + _tokens(text[span.end:span.end + 25])[:1]
    return any(w.casefold() in THING_WORDS for w in words)


def looks_like_personal_name(value: str) -> bool:
    """For metadata: two or more capitalised words, none of them an organisation or thing word."""
    tokens = _tokens(value)
    return len(tokens) >= 2 and all(t[:1].isupper() or len(t) <= 3 for t in tokens) and not any(
        t.casefold().rstrip(".") in THING_WORDS for t in tokens)


def _near(span: "Span", others: Sequence["Span"]) -> bool:
    return any(o.start - IDENTIFIER_DISTANCE <= span.end and span.start - IDENTIFIER_DISTANCE <= o.end for o in others)


def _weak_phone(span: "Span") -> bool:
    return span.entity == "PHONE_NUMBER" and span.score < WEAK_PHONE_SCORE


def _implausible(span: "Span", value: str) -> bool:
    """Numbers that cannot be what they were taken for: a phone number of fewer than six digits, an IPv4
    address whose four parts are single digits (section numbers `4.2.1.3`, version strings)."""
    if span.entity == "PHONE_NUMBER":
        return sum(c.isdigit() for c in value) < 6
    return span.entity == "IP_ADDRESS" and bool(_OUTLINE_NUMBER.fullmatch(value))


def _organisational_email(span: "Span", value: str) -> bool:
    """A function's mailbox (`info@`, `sales@`) or one named after its own domain (`acme@news.acme.com`)."""
    if span.entity != "EMAIL_ADDRESS":
        return False
    local, _, domain = value.casefold().partition("@")
    return local in ROLE_MAILBOXES or local in domain.split(".")


def judge_spans(field: str | None, text: str, spans: Sequence["Span"]) -> list["Span"]:
    """The spans of one text sample that count as personal data (see the module docstring)."""
    if field is not None and field.startswith("meta:"):
        return [s for s in spans if s.entity != "LOCATION" and (
            s.entity != "PERSON" or looks_like_personal_name(text[s.start:s.end]))]
    if field not in PROSE_FIELDS:
        return list(spans)
    spans = [s for s in spans if not _implausible(s, text[s.start:s.end])]
    weak = {id(s) for s in spans if _weak_phone(s) or _organisational_email(s, text[s.start:s.end])}
    identifiers = [s for s in spans if s.entity not in NER and s.entity not in NOT_PERSONAL and id(s) not in weak]
    people = [s for s in spans if s.entity == "PERSON" and not _thing_follows(text, s)]
    names = {text[s.start:s.end] for s in people if full_name(text[s.start:s.end])}
    phones = [s for s in identifiers if s.entity == "PHONE_NUMBER"]
    others = [s for s in identifiers if s.entity != "PHONE_NUMBER"]
    too_short_to_judge = _sentences(text) < MIN_SENTENCES_TO_JUDGE
    counted = {id(s) for s in people if too_short_to_judge or (_names_someone(text, s) and (
        _has_context(text, s) or _near(s, others) or (_near(s, phones) and full_name(text[s.start:s.end]))))
        or (len(names) >= 2 and text[s.start:s.end] in names)}
    # a phone number names no one by itself (offices and companies publish theirs)
    about_people = bool(counted) or any(s.entity != "PHONE_NUMBER" for s in identifiers)
    kept = []
    for s in spans:
        if s.entity == "PERSON":
            keep = id(s) in counted
        elif s.entity == "LOCATION" or id(s) in weak:
            keep = about_people
        else:
            keep = True
        if keep:
            kept.append(s)
    return kept
