"""Security measures a policy promises, from the vocabulary in `security.yaml`.

A measure word counts where the policy talks about security: in a sentence, section heading or list
introduction that mentions security or protection (not privacy-law names such as "data protection
officer"), or anywhere for wording that is a promise by itself ("passwords are encrypted", "access to
your data is limited to"). It does not count
- inside a web or e-mail address (a link is not a promise);
- in a negated clause ("we do not use encryption");
- when it is the organisation's subject matter rather than a promise: a kind the policy mentions in
  `SUBJECT_MENTIONS` or more sentences outside its security passages, and more often there than inside
  (a certificate authority's certificates and TLS, a VPN provider's encryption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable

import yaml

from scanner.manifest import Evidence, SecurityMeasure
from scanner.policy.statements import A, is_negated

if TYPE_CHECKING:
    from scanner.policy.extract import Located

LANGUAGES = ("en", "fr", "de")
SUBJECT_MENTIONS = 3
LINK = re.compile(r"\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class MeasureKind:
    kind: str
    why: str
    in_context: re.Pattern[str] | None  # wording that is a promise only in a passage about security
    anywhere: re.Pattern[str] | None  # wording that is a promise wherever it stands
    exclude: re.Pattern[str] | None

    def find(self, text: str, security: bool) -> re.Match[str] | None:
        """The first wording of this measure that counts here and that no exclusion covers."""
        excluded = [(m.start(), m.end()) for m in self.exclude.finditer(text)] if self.exclude else []
        patterns = [p for p in (self.anywhere, self.in_context if security else None) if p is not None]
        matches = sorted((m for p in patterns for m in p.finditer(text)), key=lambda m: m.start())
        return next((m for m in matches if not any(s < m.end() and m.start() < e for s, e in excluded)), None)


@dataclass(frozen=True)
class Vocabulary:
    context: re.Pattern[str]
    not_context: re.Pattern[str]
    kinds: tuple[MeasureKind, ...]


def _union(by_language: dict[str, list[str]] | None) -> re.Pattern[str] | None:
    patterns = [p for lang in LANGUAGES for p in (by_language or {}).get(lang) or ()]
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns).replace("{A}", A), re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = resources.files("scanner.policy").joinpath("security.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    kinds = tuple(
        MeasureKind(kind, body["why"], _union(body), _union(body.get("anywhere")), _union(body.get("exclude")))
        for kind, body in raw.items() if kind not in ("context", "not_context")
    )
    return Vocabulary(_union(raw["context"]), _union(raw["not_context"]), kinds)


def prose(text: str) -> str:
    """The text without web and e-mail addresses (same length, so offsets still point into the sentence)."""
    return LINK.sub(lambda m: " " * len(m.group(0)), text)


def about_security(text: str | None) -> bool:
    if not text:
        return False
    vocab = vocabulary()
    return vocab.context.search(vocab.not_context.sub(" ", prose(text))) is not None


def in_security_passage(sentence: "Located") -> bool:
    return any(about_security(t) for t in (sentence.text, sentence.section, sentence.intro))


def cited(hits: Iterable[tuple["Located", str]]) -> tuple[tuple[Evidence, ...], str]:
    """The evidence of (sentence, phrase) hits in document order without repeats, and the phrases quoted."""
    hits = list(hits)
    evidence = tuple(dict.fromkeys(s.evidence for s, _ in hits))
    return evidence, ", ".join(dict.fromkeys(f"“{p}”" for _, p in hits))


def security_measures(sentences: tuple["Located", ...]) -> tuple[SecurityMeasure, ...]:
    passages = [in_security_passage(s) for s in sentences]
    out = []
    for measure in vocabulary().kinds:
        hits, inside, outside = [], 0, 0
        for sentence, security in zip(sentences, passages):
            text = prose(sentence.text)
            if measure.find(text, True) is None:
                continue
            inside, outside = inside + security, outside + (not security)
            m = measure.find(text, security)
            if m is not None and not is_negated(sentence.text, m.start()):
                hits.append((sentence, m.group(0)))
        if not hits or (outside >= SUBJECT_MENTIONS and outside > inside):
            continue
        evidence, phrases = cited(hits)
        out.append(SecurityMeasure(kind=measure.kind, evidence=evidence,
                                   rationale=f"rule security.{measure.kind} matched {phrases} ({measure.why})"))
    return tuple(out)
