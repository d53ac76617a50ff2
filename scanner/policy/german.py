"""The statement reader's rule layer for German (no German dependency parser is installed).

German policies put the verb at the end of subordinate clauses and split separable verbs ("setzen …
ein"), so a fixed character window misreads them. This layer works on the *clause* around a data
phrase instead: the text between clause marks (`,` `;` `:` brackets and the sentence ends), widened to
the whole sentence when that clause holds no data-practice verb. Within it:

- action: the verb stem nearest to the phrase (erheben/verarbeiten/speichern… collect; weitergeben/
  übermitteln/verkaufen… share; schützen/verschlüsseln… protect; löschen… delete; enthalten/sein… describe);
- actor: "wir/uns" first party; a third-party noun (Drittanbieter, Google, Partner…) with no "wir" third
  party; "Sie" with a verb of giving (angeben, eingeben, übermitteln…) is the controller receiving data;
  a passive ("werden … gespeichert") with "von <third party>" is that third party's;
- negation: "kein…" within the three words before the phrase, or "nicht/nie/niemals/ohne/weder" in the
  clause (a clause that says "nicht nur" is not negated);
- condition: wenn/falls/sofern/freiwillig in the clause.
Also used for any language whose spaCy model is missing, with the German word lists plus the English and
French negations, so a missing model degrades the reading instead of failing.
"""

from __future__ import annotations

import re

from scanner.policy.practices import (COLLECT, CONDITION, DELETE, DESCRIBE, FIRST, NEGATIONS, OTHER, PROTECT, SHARE,
                                      THIRD, THIRD_PARTY, USER, Practice)

STEMS: dict[str, tuple[str, ...]] = {
    PROTECT: ("schütz", "geschützt", "verschlüssel", "pseudonymis", "anonymis", "absicher", "abgesichert"),
    DELETE: ("lösch", "gelöscht", "vernicht"),
    "provide": ("angeb", "angegeben", "eingeb", "eingegeben", "mitteil", "mitgeteilt", "übermittel", "send", "gesendet",
                "hochlad", "hochgeladen", "bereitstell", "bereitgestellt", "teilen", "geteilt", "hinterlass",
                "ausfüll", "ausgefüllt", "eintrag", "eingetragen"),
    SHARE: ("weitergeb", "weitergegeben", "weiterleit", "weitergeleitet", "übermittel", "offenleg", "offengelegt",
            "verkauf", "übertrag", "übertragen", "offenbar", "weitergabe"),
    COLLECT: ("erheb", "erhob", "erhoben", "erfass", "verarbeit", "speicher", "gespeichert", "nutz", "genutzt",
              "verwend", "sammel", "gesammelt", "protokollier", "aufbewahr", "aufgezeichnet", "aufzeichn", "empfang",
              "erhalt", "erhält", "benötig", "auswert", "ausgewertet", "analysier", "registrier", "logg", "geloggt",
              "abgefragt", "abfrag", "setz", "gesetzt", "eingesetzt", "einsetz", "bearbeit", "hinterleg",
              "abgelegt", "gesichert", "erfolg", "bleib", "verfall", "abgelaufen", "zugreif", "zugegriffen", "ermittel", "abgerufen", "verbind"),
    DESCRIBE: ("enthalt", "enthält", "umfass", "gehör", "zählen", "zählt", "sind", "ist", "beinhalt", "betreff"),
}
_WORD = re.compile(r"[\wÄÖÜäöüß-]+")
_CLAUSE_MARK = re.compile(r"[,;:()\[\]–]")
_FIRST = re.compile(r"\b(?:wir|uns|unser\w*)\b", re.IGNORECASE)
_FORMAL_YOU = re.compile(r"(?<!^)(?<![.!?:]\s)\bSie\b")
_OTHER = re.compile(r"\b(?:they|ils|elles)\b", re.IGNORECASE)
_NOT_ONLY = re.compile(r"\bnicht nur\b|\bnot only\b|\bnon seulement\b", re.IGNORECASE)
_OWNER = re.compile(r"\b(?:unser\w*|deren|dessen|our|their|notre|nos|leurs?)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in _CLAUSE_MARK.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in _CLAUSE_MARK.finditer(sentence, end)), len(sentence))
    return left, right


def _verb(text: str, offset: int, anchor: int) -> tuple[str, str, int] | None:
    """(class, word, position) of the verb nearest to `anchor` in `text`, by stem.

    A capitalised word after the first is a noun in German ("Nutzung", "Verarbeitung"), not a verb.
    """
    best = None
    for m in _WORD.finditer(text):
        if m.group(0)[:1].isupper() and text[:m.start()].strip(" ,;:([–"):
            continue
        word = m.group(0).lower()
        for action, stems in STEMS.items():
            if any(word.startswith(s) or (len(s) > 5 and s in word) for s in stems):
                distance = abs(offset + m.start() - anchor)
                if best is None or distance < best[2]:
                    best = (action, m.group(0), distance)
                break
    return best


_AGENT = re.compile(r"\b(?:von|durch)\s+(?:\w+\s+){0,2}?\w*(?:Drittanbieter|Dritte|Google|Anbieter|partner|Werbe|Firma)",
                    re.IGNORECASE)


def _actor(clause: str, sentence: str) -> str:
    if _AGENT.search(clause) or _AGENT.search(sentence):  # a passive done "von/durch <third party>", even "von unseren Partnern"
        return THIRD
    if _FIRST.search(clause):
        return FIRST
    if THIRD_PARTY.search(clause) and not _FIRST.search(sentence):
        return THIRD
    if _FORMAL_YOU.search(clause):
        return "user"
    if _OTHER.search(clause):
        return OTHER
    return FIRST


def _negated(sentence: str, clause: str, start: int) -> bool:
    clause_start = sentence.find(clause) if clause in sentence else 0
    before = sentence[clause_start:start].split()
    if any(w.lower().startswith("kein") for w in before):
        return True
    if _NOT_ONLY.search(clause):
        return False
    words = {w.lower() for w in _WORD.findall(clause)}
    return bool(words & (NEGATIONS - {"kein", "keine", "keinen", "keinem", "keiner", "keines", "no"}))


def _read(sentence: str, start: int, end: int) -> Practice:
    left, right = _clause_bounds(sentence, start, end)
    clause = sentence[left:right]
    found = _verb(clause, left, start)
    if found is None:
        clause, found = sentence, _verb(sentence, 0, start)
    owner_match = _OWNER.search(sentence[max(0, start - 30):start])
    owner = owner_match.group(0).split()[0].lower() if owner_match else None
    negated = _negated(sentence, clause, start)
    conditional = bool(CONDITION.search(clause))
    if found is None:
        return Practice(actor=FIRST, action=None, negated=negated, conditional=conditional, owner=owner)
    action, word, _ = found
    actor = _actor(clause, sentence)
    if actor == USER:
        if action in ("provide", SHARE):
            action = COLLECT
        elif action == COLLECT and not _FIRST.search(clause):
            action, actor = None, USER
    elif action == "provide":  # the controller passing data on ("übermitteln") is sharing, not receiving
        action = SHARE if any(word.lower().startswith(s) for s in STEMS[SHARE]) else COLLECT
    return Practice(actor=actor, action=action, negated=negated, conditional=conditional, verb=word, owner=owner)


def read_practices_by_rules(sentence: str, language: str, spans: list[tuple[int, int]]) -> list[Practice]:
    return [_read(sentence, start, end) for start, end in spans]


def sentence_practice_by_rules(sentence: str, language: str) -> Practice:
    from scanner.policy.practices import topic_practice

    found = _verb(sentence, 0, 0)
    if found is None:
        return topic_practice(sentence)
    practice = _read(sentence, 0, 0)
    return practice if practice.action is not None else topic_practice(sentence)


__all__ = ["read_practices_by_rules", "sentence_practice_by_rules", "DESCRIBE", "DELETE", "PROTECT", "SHARE"]
