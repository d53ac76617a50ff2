"""Policy document -> manifest, by the explicit rules in `rules` and `statements`.

Contract of `extract_manifest`:
- deterministic: the same document gives the same manifest (and byte-identical YAML): rules run in
  table order, evidence is kept in document order, categories are sorted by key;
- every declared category, measure, transfer and data subject quotes whole sentences of the document
  (`PolicyDocument.text` contains each quote verbatim) with their section heading, and its `rationale`
  names the rules that fired and the phrase each one matched;
- a rule matching in a negated clause ("we do not collect health data") yields `declared: false` with
  that sentence as evidence; watched sensitive categories nothing mentions are listed as not declared;
- a period ("kept for 10 years") in a sentence sets `retention`/`retention_days` for the categories that
  sentence names (a sentence naming none sets the period of every declared category without its own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from scanner.policy.candidates import (DECLARES, NEGATED, REJECTED, Candidate, Verdict, lexicon_candidates,
                                       read_sentence, rule_candidates)
from scanner.policy.language import detect_language, languages_present, leading_language
from scanner.categories import covers, covers_any
from scanner.manifest import (DataSubject, DeclaredCategory, Evidence, PolicyManifest, SecurityMeasure,
                                     TransferDeclaration)
from scanner.policy.reader import PolicyDocument
from scanner.policy.measures import cited, security_measures
from scanner.policy.rules import CATEGORY_RULES, RULES_VERSION, WATCHED, CategoryRule
from scanner.policy.statements import (OUTSIDE_EU, PURPOSE_INTRO, PURPOSE_WORD, RETENTION_VERB, SAFEGUARDS, SUBJECTS,
                                       TRANSFER_CONTEXT, is_negated, parse_durations)

GENERATOR = f"policyscan policy extract (inference rules v{RULES_VERSION})"


@dataclass(frozen=True)
class Located:
    """A sentence with where it stands: the evidence unit."""

    text: str
    section: str | None
    list_item: bool
    purpose: str | None = None  # set when the sentence is an item of the policy's list of purposes
    intro: str | None = None  # for a list item: the sentence (or heading) that introduces the list

    @property
    def evidence(self) -> Evidence:
        return Evidence(quote=self.text, section=self.section)


@dataclass(frozen=True)
class Mention:
    """A candidate data phrase in a sentence and the verdict of the statement reader on it."""

    candidate: Candidate
    verdict: Verdict
    where: Located

    @property
    def negated(self) -> bool:
        return self.verdict.outcome == NEGATED

    @property
    def declares(self) -> bool:
        return self.verdict.outcome == DECLARES

    @property
    def start(self) -> int:
        return self.candidate.start


@dataclass(frozen=True)
class Extraction:
    """What `extract` returns: the manifest, and the mentions that declared nothing, with why (`--explain`)."""

    manifest: PolicyManifest
    rejected: tuple[Mention, ...]


def extract_manifest(doc: PolicyDocument, rules: tuple[CategoryRule, ...] | None = None) -> PolicyManifest:
    """Infer the manifest; `rules` defaults to the topic tables of the languages the document is written in."""
    return extract(doc, rules).manifest


def extract(doc: PolicyDocument, rules: tuple[CategoryRule, ...] | None = None) -> Extraction:
    """The manifest plus every candidate that was not declared, with why."""
    text = doc.text
    languages = languages_present(text)
    if rules is None:
        rules = tuple(rule for lang in languages for rule in CATEGORY_RULES[lang])
    main = detect_language(text) or leading_language(text)
    sentences = located_sentences(doc)
    mentions = [m for s in sentences for m in find_mentions(s, rules, languages, main)]
    measures = security_measures(sentences)
    subjects = data_subjects(sentences)
    cats, dropped = categories(mentions, sentences, rules, _watched_notes(measures))
    manifest = PolicyManifest(
        title=doc.title, language=detect_language(text), source_digest=doc.digest,
        categories=cats, security_measures=measures, transfers=transfers(sentences),
        data_subjects=tuple(s.kind for s in subjects), purposes=purposes(sentences),
        data_subject_evidence=subjects, source_name=doc.source_name, generator=GENERATOR,
    )
    rejected = tuple(m for m in mentions if m.verdict.outcome == REJECTED)
    return Extraction(manifest, rejected + dropped)


def format_rejections(rejected: tuple[Mention, ...]) -> str:
    """The rejected candidates for a reviewer: key, phrase, why, and the sentence with its section."""
    if not rejected:
        return "explain: no candidate phrase was rejected\n"
    lines = [f"explain: {len(rejected)} candidate phrase(s) declared nothing"]
    for r in rejected:
        c = r.candidate
        lines.append(f"- {', '.join(c.keys)} “{c.phrase}” ({c.source}): {r.verdict.reason}")
        lines.append(f"    in [{r.where.section or '(no section)'}] {r.where.text}")
    return "\n".join(lines) + "\n"


def located_sentences(doc: PolicyDocument) -> tuple[Located, ...]:
    """Every sentence in order; list items carry their intro and, under a purposes sentence, their purpose."""
    out: list[Located] = []
    for section in doc.sections:
        in_purposes = False
        intro = section.heading
        for paragraph in section.paragraphs:
            if not paragraph.list_item:
                last = paragraph.sentences[-1] if paragraph.sentences else ""
                in_purposes = bool(PURPOSE_INTRO.search(last)) and last.rstrip().endswith(":")
                intro = last or intro
            purpose = " ".join(paragraph.sentences).rstrip(" .;,") if in_purposes and paragraph.list_item else None
            out.extend(
                Located(s, section.heading, paragraph.list_item, purpose, intro if paragraph.list_item else None)
                for s in paragraph.sentences
            )
    return tuple(out)


def purposes(sentences: tuple[Located, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.purpose for s in sentences if s.purpose))


def find_mentions(where: Located, rules: tuple[CategoryRule, ...], languages: tuple[str, ...],
                  main: str) -> list[Mention]:
    candidates = rule_candidates(where.text, rules)
    for lang in languages:
        candidates += lexicon_candidates(where.text, lang)
    if not candidates:
        return []
    verdicts = read_sentence(where.text, main, candidates, where.intro)
    return [Mention(c, v, where) for c, v in zip(candidates, verdicts)]


def _clause(sentence: str, phrase: str) -> str:
    """The comma/colon-separated part of a sentence that holds `phrase` (a purpose as the policy words it)."""
    for part in re.split(r"\s*[,:;()]\s*", sentence):
        if phrase.lower() in part.lower():
            return part.strip(" .")
    return phrase


def _why(mentions: list[Mention]) -> str:
    by_source: dict[str, Mention] = {}
    for m in mentions:
        by_source.setdefault(m.candidate.source, m)
    parts = []
    for source, m in by_source.items():
        name = f"lexicon {source}" if m.candidate.lexical else f"rule {source}"
        parts.append(f"{name} matched “{m.candidate.phrase}”: {m.candidate.why} [{m.verdict.reason}]")
    return "; ".join(parts)


def _retention(mentions: list[Mention], sentences: tuple[Located, ...]) -> tuple[dict[str, tuple], tuple | None]:
    """Per-key (days, as written, sentence) from retention sentences, and the general period if any.

    In "invoices are kept for 10 years and CVs for 6 months" each mention takes the first period that
    ends after it (the last one if none does); the longest period wins across sentences.
    """
    specific: dict[str, tuple[int, str, Located]] = {}
    general: tuple[int, str, Located] | None = None
    for where in sentences:
        periods = parse_durations(where.text) if RETENTION_VERB.search(where.text) else []
        if not periods:
            continue
        here = [m for m in mentions if m.where == where and m.declares]
        for m in here:
            _end, written, days = next((p for p in periods if p[0] > m.start), periods[-1])
            for key in m.candidate.primary:
                if key not in specific or days > specific[key][0]:
                    specific[key] = (days, written, where)
        if not here and (general is None or periods[0][2] > general[0]):
            general = (periods[0][2], periods[0][1], where)
    return specific, general


def _watched_notes(measures: tuple[SecurityMeasure, ...]) -> dict[str, str]:
    """Why a word that looks like a declaration is not one, for the reviewer of a not-declared entry."""
    notes = {}
    for measure in measures:
        if measure.kind == "authentication":
            quotes = ", ".join(f"“{e.quote}”" for e in measure.evidence)
            notes["user.authorization"] = (
                f"{quotes} is a security measure (authentication) protecting access to the data; it does not "
                "say that people's passwords or credentials are collected"
            )
    return notes


def _family(key: str) -> str:
    return ".".join(key.split(".")[:2])


def categories(
    mentions: list[Mention], sentences: tuple[Located, ...], rules: tuple[CategoryRule, ...],
    notes: dict[str, str] | None = None,
) -> tuple[tuple[DeclaredCategory, ...], tuple[Mention, ...]]:
    """Declared entries (sorted by key), then not-declared ones: negated mentions and watched keys.

    A key a topic only implies is declared only when no declared phrase names data of its family: "your
    e-mail address" in the policy beats the phone number an "orders" topic would imply.
    """
    explicit = {_family(k) for m in mentions if m.declares and m.candidate.lexical for k in m.candidate.keys}
    by_key: dict[str, list[Mention]] = {}
    dropped: list[Mention] = []
    for m in mentions:
        if m.verdict.outcome == REJECTED:
            continue
        for key in m.candidate.keys:
            if m.declares and key in m.candidate.implied and _family(key) in explicit:
                why = "only implied by the topic, and the policy names this family's data itself"
                dropped.append(Mention(replace(m.candidate, keys=(key,)), Verdict(REJECTED, why, m.verdict.practice),
                                       m.where))
                continue
            by_key.setdefault(key, []).append(m)
    specific, general = _retention([m for ms in by_key.values() for m in ms], sentences)
    declared, undeclared = [], []
    for key in sorted(by_key):
        positive = [m for m in by_key[key] if m.declares]
        if positive:
            declared.append(_declared(key, positive, specific.get(key) or general))
        else:
            negated = by_key[key]
            undeclared.append(DeclaredCategory(
                key=key, declared=False, evidence=_evidence(negated),
                rationale=f"the policy says it does not process this: {_why(negated)} (in a negated clause)",
            ))
    keys = {c.key for c in declared + undeclared}
    declared_keys = {c.key for c in declared}
    for key, what in sorted(WATCHED.items()):
        if key in keys or covers_any(declared_keys, key):
            continue
        tried = [r.name for r in rules if any(covers(key, k) for k in r.keys)] + ["lexicon"]
        undeclared.append(DeclaredCategory(
            key=key, declared=False,
            rationale=f"{what}: no sentence of the policy mentions it (rules tried: {', '.join(tried)})"
            + (f"; {notes[key]}" if notes and key in notes else ""),
        ))
    return tuple(declared) + tuple(sorted(undeclared, key=lambda c: c.key)), tuple(dropped)


def _evidence(mentions: list[Mention], extra: Located | None = None) -> tuple[Evidence, ...]:
    wheres = [m.where for m in mentions] + ([extra] if extra else [])
    return tuple(dict.fromkeys(w.evidence for w in wheres))


def _declared(key: str, mentions: list[Mention], period: tuple | None) -> DeclaredCategory:
    purposes_: list[str] = []
    for m in mentions:
        if m.where.purpose:
            purposes_.append(m.where.purpose)
        elif PURPOSE_WORD.search(m.where.text):
            purposes_.append(_clause(m.where.text, m.candidate.phrase))
    rationale = _why(mentions)
    retention, days, retention_where = None, None, None
    if period is not None:
        days, retention, retention_where = period
        rationale += f"; retention “{retention}” from a sentence of section “{retention_where.section}”"
    return DeclaredCategory(
        key=key, declared=True, evidence=_evidence(mentions, retention_where),
        purposes=tuple(dict.fromkeys(purposes_)), retention=retention, retention_days=days, rationale=rationale,
    )


def transfers(sentences: tuple[Located, ...]) -> TransferDeclaration:
    outside = [(s, m) for s in sentences if (m := OUTSIDE_EU.search(s.text))]
    if not outside:
        return TransferDeclaration()
    allowed = any(not is_negated(s.text, m.start()) for s, m in outside)
    context = [
        s for s in sentences
        if OUTSIDE_EU.search(s.text) or TRANSFER_CONTEXT.search(s.text) or TRANSFER_CONTEXT.search(s.section or "")
    ]
    safeguards: dict[str, tuple[Located, str]] = {}
    for name, pattern in SAFEGUARDS.items():
        for s in context:
            if (m := pattern.search(s.text)) and name not in safeguards:
                safeguards[name] = (s, m.group(0))
    wheres = [s for s, _ in outside] + [s for s, _ in safeguards.values()]
    order = {s: i for i, s in enumerate(sentences)}
    evidence = tuple(dict.fromkeys(s.evidence for s in sorted(set(wheres), key=order.__getitem__)))
    rationale = (
        f"rule transfer.outside_eu matched “{outside[0][1].group(0)}”"
        + (" in a clause that is not negated" if allowed else " only in negated clauses")
        + "".join(f"; rule transfer.{name} matched “{phrase}”" for name, (_, phrase) in safeguards.items())
    )
    return TransferDeclaration(
        outside_eu_allowed=allowed, safeguards=tuple(safeguards), evidence=evidence, rationale=rationale,
    )


def data_subjects(sentences: tuple[Located, ...]) -> tuple[DataSubject, ...]:
    out = []
    for kind, pattern in SUBJECTS.items():
        hits = [(s, m.group(0)) for s in sentences if (m := pattern.search(s.text)) and not is_negated(s.text, m.start())]
        if hits:
            evidence, phrases = cited(hits)
            out.append(DataSubject(kind=kind, evidence=evidence, rationale=f"rule subjects.{kind} matched {phrases}"))
    return tuple(out)
