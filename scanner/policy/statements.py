"""Rules for what a policy states besides data categories and security measures (`measures.py`): transfers,
data subjects, purposes and retention periods. Multilingual (EN/FR/DE alternatives in one pattern per rule), as data.

Safeguard rules only fire in their context (a sentence or section about transfers), so that "contractual"
in a sales sentence does not count.
"""

from __future__ import annotations

import re

from scanner.policy.rules import CLAUSE_BREAK, NEGATION, NEGATION_WINDOW

A = "['’]"


def rx(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern in which {A} stands for either apostrophe."""
    return re.compile(pattern.replace("{A}", A), re.IGNORECASE)


OUTSIDE_EU = rx(
    r"\boutside (?:of )?the (?:European Union|EU|EEA|European Economic Area)\b|\bthird countr(?:y|ies)\b"
    r"|\b(?:hors|en dehors) de l{A}(?:Union européenne|UE|EEE|Espace économique européen)\b|\bpays tiers\b"
    r"|\baußerhalb (?:der (?:EU|Europäischen Union)|des (?:EWR|Europäischen Wirtschaftsraums))\b|\bDrittl(?:a|ä)nd\w*"
    # data stored or transferred in a named third country ("stored in the United States", "Serverstandort: USA")
    r"|\b(?:stored|processed|hosted|transferred|located) (?:to and stored )?in the (?:United States|USA|US)\b"
    r"|\b(?:stockées|traitées|hébergées|transférées) aux États-Unis\b"
    r"|\bServerstandort\w* (?:ist|sind|:)? ?(?:die|in den)? ?(?:USA|Vereinigten Staaten)\b"
)
TRANSFER_CONTEXT = rx(r"\btransfer\w*|\btransferts?\b|\bÜbermittlung\w*|\bübermittel\w*|\bDrittl")

# safeguard name -> pattern. `contractual_clauses`: contract terms that are not said to be the
# Commission's standard clauses (GDPR Art. 46(3)(a)); `commission_mechanisms`: "mechanisms set up by the
# European Commission" without saying which (adequacy decisions or standard contractual clauses).
SAFEGUARDS: dict[str, re.Pattern[str]] = {
    "standard_contractual_clauses": rx(r"\bstandard (?:data protection )?contractual clauses\b"
                                        r"|\bclauses contractuelles types\b|\bStandardvertragsklauseln\b|\bSCCs?\b"),
    "contractual_clauses": rx(r"\bcontractual (?:provisions|clauses|safeguards)\b(?<!standard contractual clauses)"
                               r"|\b(?:dispositions|clauses) contractuelles\b(?! types)"
                               r"|\bvertraglich\w* (?:Regelungen|Garantien|Klauseln|Vereinbarungen)\b"),
    "adequacy_decision": rx(r"\badequacy decisions?\b|\bdécisions? d{A}adéquation\b|\bAngemessenheitsbeschl\w*"),
    "commission_mechanisms": rx(
        r"\bmechanisms? (?:set up|adopted|approved|established) by the European Commission\b"
        r"|\bmécanismes? (?:mis en place|adoptés?|approuvés?) par la Commission européenne\b"
        r"|\bvon der (?:EU-|Europäischen )?Kommission (?:erlassen|genehmigt|beschlossen|festgelegt)\w*"
    ),
    "binding_corporate_rules": rx(r"\bbinding corporate rules\b|\bBCRs?\b|\brègles d{A}entreprise contraignantes\b"
                                   r"|\bverbindliche\w* interne\w* Datenschutzvorschriften\b"),
}

# data subject kind -> pattern (table order is output order).
SUBJECTS: dict[str, re.Pattern[str]] = {
    "customers": rx(r"\bcustomers?\b|\bclients?\b|\bclientèle\b|\bKunden\w*"),
    "prospects": rx(r"\bprospects?\b|\bprospective customers\b|\bInteressenten\b|\bpotenzielle\w* Kunden\b"),
    "job_applicants": rx(r"\bjob applications?\b|\bapplicants?\b|\bcandidatures?\b|\bcandidat(?:e|s|es)?\b"
                          r"|\bBewerb\w*"),
    "employees_of_client_companies": rx(
        r"\b(?:the )?company (?:that|which) employs you\b|\bthe company you work for\b|\byour employer\b"
        r"|\bl{A}(?:entreprise|société) qui vous emploie\b|\bvotre employeur\b|\bIhr\w* Arbeitgeber\w*"
    ),
    "employees": rx(r"\bour (?:employees|staff)\b|\bnos (?:salariés|collaborateurs|employés)\b"
                     r"|\bunsere\w* (?:Mitarbeiter|Beschäftigte)\w*"),
    "website_visitors": rx(r"\buse of\b[^.;]{0,40}?\bweb ?sites?\b|\bvisitors?\b|\bvisiteurs?\b|\bBesucher\w*"
                            r"|\butilisation de (?:nos|notre) sites?\b|\bNutzung (?:unserer|der) Webs\w*"),
}

# A sentence introducing the list of purposes (the list items that follow are the purposes).
PURPOSE_INTRO = rx(
    r"\bwith a view to\b|\bfor the following purposes\b|\bpurposes?\b.*:$|\ben vue de\b|\baux fins suivantes\b"
    r"|\bfinalités suivantes\b|\bfinalités?\b.*:$|\b(?:zu|für) (?:den )?folgenden? Zwecke\w*|\bZweck\w*.*:$"
)
PURPOSE_WORD = rx(r"\bpurposes?\b|\bfinalités?\b|\bfins\b|\bZweck\w*")

# Retention: a sentence with a keeping/deleting verb and a duration.
RETENTION_VERB = rx(
    r"\b(?:kept|keep\w*|retain\w*|stored?|storing|held|hold|conserv\w*|archiv\w*|delet\w*|eras\w*|destroy\w*"
    r"|purg\w*|gard\w*|stock\w*|supprim\w*|effac\w*|détrui\w*|gespeichert|speicher\w*|aufbewahr\w*|aufgehoben"
    r"|gelöscht|lösch\w*|vernicht\w*)\b"
)
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20, "thirty": 30,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "douze": 12, "quinze": 15, "dix-huit": 18, "vingt": 20, "trente": 30,
    "ein": 1, "eine": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "zwölf": 12, "fünfzehn": 15, "achtzehn": 18,
    "zwanzig": 20, "dreißig": 30,
}
UNIT_DAYS: dict[str, int] = {"y": 365, "m": 30, "w": 7, "d": 1}
DURATION = re.compile(
    r"\b(?P<n>\d{1,4}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:\s*\(\d{1,4}\))?\s*-?\s*"
    r"(?P<unit>years?|months?|weeks?|days?|ans?|années?|mois|semaines?|jours?"
    r"|Jahren?|Jahres|Monaten?|Monats?|Wochen?|Tagen?|Tag)\b",
    re.IGNORECASE,
)


def unit_days(unit: str) -> int:
    u = unit.lower()
    if u.startswith(("y", "an", "jahr")):
        return UNIT_DAYS["y"]
    if u.startswith(("mo", "mois")):
        return UNIT_DAYS["m"]
    if u.startswith(("w", "sem")):
        return UNIT_DAYS["w"]
    return UNIT_DAYS["d"]


def parse_durations(sentence: str) -> list[tuple[int, str, int]]:
    """Every duration in a sentence as (end offset, as written, days); years 365, months 30, weeks 7."""
    out = []
    for m in DURATION.finditer(sentence):
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        out.append((m.end(), m.group(0), n * unit_days(m.group("unit"))))
    return out


def is_negated(sentence: str, start: int) -> bool:
    """A negation word in the same clause, shortly before `start` (transfers, data subjects, measures)."""
    if RETENTION_VERB.search(sentence) and DURATION.search(sentence):
        return False
    window = sentence[max(0, start - NEGATION_WINDOW):start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end():]
    return NEGATION.search(window) is not None
