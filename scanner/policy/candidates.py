"""Candidate data mentions in a sentence, and the verdict on each: declares, negated, or rejected (why).

A candidate is a topic-rule match (`rules.py`: "orders" implies name, contact and order history) or a
lexicon phrase (`lexicon.yaml`: "IP address" is `user.device.ip_address`). The statement reader
(`practices.py`) says who does what to it; `judge` turns that into a verdict. Only a statement of the
controller's own collection, processing or storage (or a description of such data), not negated,
declares; everything else is kept with the reason, for `policy extract --explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scanner.policy.lexicon import entry, find_terms
from scanner.policy.practices import (COLLECT, DELETE, DESCRIBE, FIRST, PROTECT, SHARE, THIRD, USER, Practice,
                                      read_practices, sentence_practice)
from scanner.categories import covers_any, is_special
from scanner.policy.rules import CategoryRule
from scanner.policy.statements import DURATION, RETENTION_VERB, rx

DECLARES, NEGATED, REJECTED = "declares", "negated", "rejected"


@dataclass(frozen=True)
class Candidate:
    """A phrase in a sentence that may declare `keys`."""

    source: str  # the rule name ("en.orders") or the lexicon entry's ("en.health")
    lexical: bool  # a lexicon phrase (the policy's own word for the data), not a topic rule
    keys: tuple[str, ...]
    implied: tuple[str, ...]  # keys the phrase only implies (topic rules), a fallback
    primary: tuple[str, ...]  # keys a retention period in the sentence applies to
    phrase: str
    start: int
    end: int
    why: str


@dataclass(frozen=True)
class Verdict:
    outcome: str  # declares | negated | rejected
    reason: str
    practice: Practice


def lexicon_candidates(sentence: str, language: str) -> list[Candidate]:
    out = []
    for term in find_terms(sentence, language):
        lex = entry(term.key)
        name = lex.name if lex else term.key.rsplit(".", 1)[-1]
        out.append(Candidate(f"{language}.{name}", True, (term.key,), (), (term.key,), term.phrase, term.start,
                             term.end, lex.why if lex else term.key))
    return out


def rule_candidates(sentence: str, rules: tuple[CategoryRule, ...]) -> list[Candidate]:
    return [
        Candidate(rule.name, False, rule.keys, rule.implied, rule.retention_keys, m.group(0), m.start(), m.end(),
                  rule.why)
        for rule in rules for m in rule.regex.finditer(sentence)
    ]


def rule_language(candidate: Candidate, default: str) -> str:
    prefix = candidate.source.split(".", 1)[0]
    return prefix if prefix in ("en", "fr", "de") else default


# A GDPR-style definition of personal data lists kinds of data without saying any is collected.
DEFINITION = rx(
    r"\b(?:means|refers to|is defined as|shall mean)\b.{0,80}\binformation\b|\bidentifiable (?:natural )?person\b"
    r"|\bdésigne\b|\bs{A}entend\b|\bpersonne physique identifi\w*|\bon entend par\b"
    r"|\bbezeichnet\b|\bsind alle Informationen\b|\bidentifizierbare\w* natürliche\w* Person\b"
    r"|\bAls identifizierbar wird\b"
)
# The controller's or DPO's own contact details (how to reach them), not data collected from people.
CONTROLLER_CONTACT = re.compile(
    r"\b(?:data protection officer|DPO|controller|contact us|reach us|write to us|get in touch|contact (?:them|him|her)"
    r"|délégué\w* à la protection|\bDPD\b|responsable (?:du|de) traitement|nous contacter|contactez[- ]nous"
    r"|écrivez[- ]nous|Datenschutzbeauftragte\w*|Verantwortlich\w*|kontaktieren Sie uns|erreichen Sie uns"
    r"|wenden Sie sich an)\b|@[\w-]+\.\w",
    re.IGNORECASE,
)
OWN_CONTACT_FAMILIES = ("user.contact", "user.name")
SOMEONE_ELSES = ("user.contact", "user.name", "user.location", "user.account", "user.workplace")
YOUR = rx(r"\b(?:your|vos|votre|Ihre\w*|visitor{A}?s?|users?{A}?s?)\s+(?:\w+\s+)?$")


RIGHTS = rx(
    r"\bright(?:s)? (?:of|to) (?:access|rectification|erasure|object|restrict|data portability|be forgotten)"
    r"|\bdroits? d{A}(?:accès|opposition|effacement)|\bdroit de (?:rectification|portabilité|limitation)"
    r"|\bRechte? auf (?:Auskunft|Zugang|Berichtigung|Löschung|Einschränkung|Datenübertragbarkeit|Widerspruch)"
    r"|\bRecht\w* auf Zugang"
)
EXAMPLE = re.compile(r"\b(?:e\.g\.|for example|for instance|such as|par exemple|notamment|z\. ?B\.|zum Beispiel"
                     r"|beispielsweise|etwa)", re.IGNORECASE)
POSSIBILITY = re.compile(r"\b(?:can|could|might|peu(?:t|vent)|pourrai\w*|kann|können|könnten)\b", re.IGNORECASE)
GENERIC_THEY = re.compile(r"\b(?:they|ils|elles)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:we|us|our|nous|notre|nos|wir|uns|unser\w*)\b", re.IGNORECASE)
LABEL = re.compile(r"^[^:.;!?]{0,60}:\s*\S")


def _is_label(sentence: str, candidate: Candidate) -> bool:
    """The phrase stands in a short label before a colon that a list of data follows ("Account data: name, …")."""
    head = LABEL.match(sentence)
    if head is None or candidate.end > sentence.index(":"):
        return False
    rest = sentence[sentence.index(":") + 1:]
    return rest.count(",") >= 1 and len(rest.split()) <= 40


IN_CLEAR = re.compile(r"\b(?:in (?:clear|plain) ?text|en clair|im Klartext|unverschlüsselt|unencrypted)\b",
                      re.IGNORECASE)
# Hashing or encrypting data is done to data one holds; protecting or securing may be about transit only.
HOLD_TRANSFORM = re.compile(r"(?:hash|encrypt|chiffr|crypt|verschlüssel|pseudonym|gehasht|hach)", re.IGNORECASE)
WATCHED_SENSITIVE = ("user.government_id", "user.childrens")


def is_sensitive(keys: tuple[str, ...]) -> bool:
    """GDPR Art. 9/10 categories (the core vocabulary), government IDs and children's data: never declared
    from a protective, negated or third-party sentence."""
    return any(is_special(k) or covers_any(WATCHED_SENSITIVE, k) for k in keys)


def is_retention_sentence(sentence: str) -> bool:
    return bool(RETENTION_VERB.search(sentence) and DURATION.search(sentence))


def _family(key: str) -> str:
    return ".".join(key.split(".")[:2])


def judge(sentence: str, candidate: Candidate, practice: Practice, intro: Practice | None,
          own: Practice | None = None) -> Verdict:
    """The verdict on one candidate, with a reason a reviewer can check against the sentence.

    `intro` is the practice of the sentence or heading introducing the list this sentence is an item of;
    `own` the practice of the sentence as a whole, used when no data-practice verb governs the phrase.
    """
    families = {_family(k) for k in candidate.keys}
    yours = bool(YOUR.search(sentence[max(0, candidate.start - 30):candidate.start]))

    def rejected(reason: str) -> Verdict:
        return Verdict(REJECTED, reason, practice)

    if not practice.noun:
        return rejected(f"“{candidate.phrase}” is used as a verb here, not as data")
    if is_retention_sentence(sentence) and practice.actor != THIRD and practice.action in (COLLECT, DELETE, DESCRIBE):
        return Verdict(DECLARES, "a retention statement: data kept or deleted after a period is data held", practice)
    if DEFINITION.search(sentence):
        return rejected("a definition of personal data, not a statement of what is collected")
    if RIGHTS.search(sentence):
        return rejected("a statement of the data subject's rights, not of what is collected")
    if _is_label(sentence, candidate):
        return rejected("a label introducing a list (“… data: a, b, c”): the items declare, the label does not")
    if EXAMPLE.search(sentence) and (POSSIBILITY.search(sentence) or GENERIC_THEY.search(sentence)) \
            and not FIRST_PERSON.search(sentence):
        return rejected("a general explanation of what a technology can do, not the controller's practice")
    if families & set(OWN_CONTACT_FAMILIES) and CONTROLLER_CONTACT.search(sentence) and not yours:
        return rejected("the controller's or DPO's own contact details (how to reach them)")
    if practice.owner and families & set(SOMEONE_ELSES):
        return rejected(f"someone else's data (“{practice.owner} …”), not the user's")
    if practice.negated and IN_CLEAR.search(sentence) and not is_sensitive(candidate.keys):
        return Verdict(DECLARES, "held, but not in clear text: the negation is about the form, not the holding",
                       practice)
    if practice.negated:
        return Verdict(NEGATED, f"negated statement (verb “{practice.verb or '-'}”)", practice)
    # a topic word ("orders") needs a verb or a list intro of its own; a data phrase may take the sentence's
    if practice.action is None and candidate.lexical and own is not None and own.action is not None:
        practice = replace(own, negated=practice.negated or own.negated, noun=practice.noun, owner=practice.owner)
        if practice.negated:
            return Verdict(NEGATED, f"negated statement (verb “{practice.verb or '-'}”)", practice)
    if practice.action is None:
        if intro is not None and intro.action in (COLLECT, DESCRIBE) and intro.actor == FIRST and not intro.negated:
            return Verdict(DECLARES, "a list item under a sentence or heading about collection", practice)
        return rejected("no data-practice statement (a heading, fragment or a verb that is not about data)")
    if practice.action == PROTECT and practice.actor == FIRST and HOLD_TRANSFORM.match(practice.verb or "") \
            and not is_sensitive(candidate.keys):
        return Verdict(DECLARES, f"held in a protected form (verb “{practice.verb}”): hashing or encrypting "
                                 "data means holding it", practice)
    if practice.action == PROTECT:
        return rejected(f"a protection statement (verb “{practice.verb}”): evidence of a security measure")
    if practice.action == SHARE:
        return rejected(f"a sharing statement (verb “{practice.verb}”): evidence of recipients, not of collection")
    if practice.action == DELETE:
        return rejected(f"a deletion statement (verb “{practice.verb}”) without a period")
    if practice.actor == THIRD:
        return rejected(f"a third party's practice (verb “{practice.verb}”), not the controller's")
    if practice.actor != FIRST and not (practice.actor == USER and practice.action == COLLECT):
        return rejected(f"not the controller's practice (actor: {practice.actor}, verb “{practice.verb}”)")
    how = "provided by the user" if practice.actor == USER else f"{practice.action} by the controller"
    return Verdict(DECLARES, f"{how} (verb “{practice.verb}”)" + (", on a condition" if practice.conditional else ""),
                   practice)


def read_sentence(sentence: str, language: str, candidates: list[Candidate],
                  intro_sentence: str | None) -> list[Verdict]:
    """Verdicts for every candidate of one sentence (one parse per language used)."""
    verdicts: list[Verdict | None] = [None] * len(candidates)
    intro = sentence_practice(intro_sentence, language) if intro_sentence else None
    own = sentence_practice(sentence, language)
    by_language: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_language.setdefault(rule_language(c, language), []).append(i)
    for lang, idx in by_language.items():
        practices = read_practices(sentence, lang, [(candidates[i].start, candidates[i].end) for i in idx])
        for i, practice in zip(idx, practices):
            verdicts[i] = judge(sentence, candidates[i], practice, intro, own)
    return [v for v in verdicts if v is not None]


__all__ = ["Candidate", "Verdict", "judge", "read_sentence", "lexicon_candidates", "rule_candidates",
           "DECLARES", "NEGATED", "REJECTED", "COLLECT", "SHARE"]
