"""Gap rules that compare the categories found with the categories the policy declares."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from scanner.categories import covers_any, related
from scanner.models import Finding, Gap, PolicyReference, Severity

from reports.gaps.base import GapContext, category_reference, examples, plural, reference, single_source


def _by_category(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[f.category].append(f)
    return grouped


@dataclass(frozen=True)
class _Evidence:
    """What a group of findings of one category shows; a gap built from it counts and cites only these."""

    occurrences: int
    locations: int
    examples: tuple[str, ...]  # the locations with the most occurrences first
    source: str | None  # the one source they all come from, else None

    @classmethod
    def of(cls, findings: list[Finding]) -> "_Evidence":
        per_location: dict[str, int] = defaultdict(int)
        for f in findings:
            per_location[f.location] += f.count
        ranked = sorted(per_location, key=lambda loc: (-per_location[loc], loc))
        return cls(sum(per_location.values()), len(per_location), examples(ranked),
                   single_source(f.source for f in findings))

    @property
    def values_in_locations(self) -> tuple[str, str]:
        return plural(self.occurrences, "value"), plural(self.locations, "location")

    def gap(self, kind: str, category: str, severity: Severity, policy_reference: PolicyReference,
            message: str, recommendation: str) -> Gap:
        return Gap(gap_kind=kind, severity=severity, category=category, policy_reference=policy_reference,
                   evidence_count=self.occurrences, example_locations=self.examples, message=message,
                   recommendation=recommendation, source=self.source)


class UndeclaredCategoryGapRule:
    """Personal data found whose category (or a parent) the policy does not declare.

    Special categories are left to `SpecialCategoryGapRule` (which says "undeclared" in its message),
    so one finding is not counted as two gaps. Government identifiers and credentials are high; the
    rest medium.
    """

    kind = "undeclared_category"
    evidence_unit = "values"
    _HIGH_PREFIXES = ("user.government_id", "user.authorization")

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        for category, group in sorted(_by_category(ctx.findings).items()):
            if ctx.manifest.declares(category) or any(f.special for f in group):
                continue
            evidence = _Evidence.of(group)
            values, locations = evidence.values_in_locations
            high = covers_any(self._HIGH_PREFIXES, category)
            yield evidence.gap(
                self.kind, category, Severity.HIGH if high else Severity.MEDIUM,
                category_reference(ctx.manifest, category),
                message=f"{values} of {category} found in {locations}, but the policy does not declare this category.",
                recommendation=("Declare this category with its purpose and retention in the privacy policy, "
                                "or delete the data if there is no purpose for it."),
            )


class SpecialCategoryGapRule:
    """GDPR Art. 9 special categories and Art. 10 criminal data: always high, declared or not."""

    kind = "special_category"
    evidence_unit = "values"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        special = [f for f in ctx.findings if f.special]
        for category, group in sorted(_by_category(special).items()):
            evidence = _Evidence.of(group)
            values, locations = evidence.values_in_locations
            declared = ctx.manifest.declares(category)
            entities = ", ".join(sorted({f.entity for f in group}))
            status = ("declared by the policy" if declared else
                      "undeclared: the policy does not mention it and states no Art. 9 condition")
            ref = category_reference(ctx.manifest, category) if declared else PolicyReference(None, None)
            yield evidence.gap(
                self.kind, category, Severity.HIGH, ref,
                message=f"Special-category data ({entities}, GDPR Art. 9/10) found: {values} in {locations}; {status}.",
                recommendation=("Confirm an Art. 9(2) condition and restrict access to these locations; "
                                "declare the category or remove the data." if not declared else
                                "Check the Art. 9(2) condition still holds and access to these locations is restricted."),
            )


class DeclaredNotFoundGapRule:
    """Declared categories with no finding anywhere: the policy may over-declare or a store was missed."""

    kind = "declared_not_found"
    evidence_unit = "none"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        found = {f.category for f in ctx.findings}
        for entry in sorted(ctx.manifest.categories, key=lambda c: c.key):
            if not entry.declared:
                continue
            key = entry.key
            if any(related(key, c) for c in found):
                continue
            yield Gap(
                gap_kind=self.kind,
                severity=Severity.INFO,
                category=key,
                policy_reference=reference(entry.evidence),
                evidence_count=0,
                example_locations=(),
                message=f"The policy declares {key}, but no data of this category was found in the scanned sources.",
                recommendation=("Check whether a store holding this data was not scanned, "
                                "or narrow the policy if the data is no longer collected."),
                source=None,
            )
