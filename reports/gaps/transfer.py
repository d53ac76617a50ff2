"""Transfer gap rule: personal data in sources located outside the EU/EEA, against declared transfers.

Region comes from what the connector said about the item (`Facts.region`), else from the
source's configuration (`SourceInfo.region`: a country or cloud region). Data whose region is
unknown is not judged (the HTML report lists sources without a region). One gap per (source, region). Severity: high when the
policy does not allow transfers outside the EU; medium when it allows them without naming safeguards;
low when it allows them with safeguards (still reported, so the safeguard can be checked for this
store); one level lower for countries with an adequacy decision, but never below low.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from scanner.models import Finding, Gap, Severity

from reports.gaps.base import GapContext, examples, plural, reference
from reports.sources import ADEQUATE, country_of, in_eu_eea

_LOWER = {Severity.HIGH: Severity.MEDIUM, Severity.MEDIUM: Severity.LOW}


class TransferGapRule:
    kind = "transfer"
    evidence_unit = "values"

    def evaluate(self, ctx: GapContext) -> Iterable[Gap]:
        by_place: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for f in ctx.findings:
            region = ctx.region_of(f.location, f.source)
            if in_eu_eea(region) is False:
                by_place[(f.source, region)].append(f)  # type: ignore[index]
        declared = ctx.manifest.transfers
        for (source_name, region), findings in sorted(by_place.items()):
            country = country_of(region) or region
            where = country if country == region else f"{region} ({country})"
            if declared.outside_eu_allowed and declared.safeguards:
                severity = Severity.LOW
                stance = f"the policy allows such transfers under {', '.join(s.replace('_', ' ') for s in declared.safeguards)}"
                advice = "Check that these safeguards are in place for this store and its provider."
            elif declared.outside_eu_allowed:
                severity = Severity.MEDIUM
                stance = "the policy allows such transfers but names no safeguard"
                advice = "Put standard contractual clauses (or another Art. 46 safeguard) in place and name it in the policy."
            else:
                severity = Severity.HIGH
                stance = ("the policy excludes transfers outside the EU" if declared.outside_eu_allowed is False
                          else "the policy does not declare transfers outside the EU")
                advice = "Move the data into the EU/EEA, or declare the transfer and its safeguards in the policy."
            if country in ADEQUATE and severity in _LOWER:
                severity = _LOWER[severity]
                stance += f" ({country} has an EU adequacy decision)"
            per_location: dict[str, int] = defaultdict(int)
            for f in findings:
                per_location[f.location] += f.count
            ranked = sorted(per_location, key=lambda loc: (-per_location[loc], loc))
            categories = {f.category for f in findings}
            yield Gap(
                gap_kind=self.kind, severity=severity,
                category=next(iter(categories)) if len(categories) == 1 else None,
                policy_reference=reference(declared.evidence), evidence_count=sum(per_location.values()),
                example_locations=examples(ranked),
                message=(f"{plural(sum(per_location.values()), 'value')} of personal data in "
                         f"{plural(len(categories), 'category', 'categories')} are stored in {where}, "
                         f"outside the EU/EEA; {stance}."),
                recommendation=advice, source=source_name,
            )
