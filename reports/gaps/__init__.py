"""Gap rules: discovery through the `policyscan.gap_rules` entry-point group, and evaluation.

Built-in rules are registered in pyproject.toml like any third-party rule. `evaluate_rules` runs every
rule on one context and returns the union in a deterministic order (most severe first).
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import Iterable, Sequence

from scanner.models import Gap, Severity

from reports.gaps.base import GapContext, GapRule, GapSettings

ENTRY_POINT_GROUP = "policyscan.gap_rules"
log = logging.getLogger(__name__)

__all__ = ["ENTRY_POINT_GROUP", "GapContext", "GapRule", "GapSettings", "builtin_rules", "evaluate_rules",
           "gap_sort_key", "load_rules"]


def builtin_rules() -> list[GapRule]:
    """The built-in rules, for the case where the package's entry points are not installed."""
    from reports.gaps.categories import (DeclaredNotFoundGapRule, SpecialCategoryGapRule,
                                         UndeclaredCategoryGapRule)
    from reports.gaps.minimisation import MinimisationGapRule
    from reports.gaps.retention import RetentionGapRule, RetentionUndefinedGapRule
    from reports.gaps.security import SecurityMeasureGapRule
    from reports.gaps.transfer import TransferGapRule

    return [UndeclaredCategoryGapRule(), SpecialCategoryGapRule(), RetentionGapRule(),
            RetentionUndefinedGapRule(), SecurityMeasureGapRule(), TransferGapRule(),
            DeclaredNotFoundGapRule(), MinimisationGapRule()]


def load_rules() -> list[GapRule]:
    """Instantiate every rule registered under `policyscan.gap_rules`, ordered by entry-point name.

    A rule that fails to load is logged and skipped (a broken plugin must not hide the other gaps).
    """
    rules: list[GapRule] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            rule = ep.load()()
        except Exception:  # noqa: BLE001 - plugin code; keep the others running
            log.exception("gap rule %s could not be loaded", ep.name)
            continue
        rules.append(rule)
    if not rules:
        log.warning("no gap rules registered under %s; using the built-in rules", ENTRY_POINT_GROUP)
        rules = builtin_rules()
    return rules


# Reading order within one severity: what the policy must say first, then how data is kept.
KIND_ORDER = ("special_category", "undeclared_category", "security_measure", "transfer", "retention",
              "minimisation", "retention_undefined", "declared_not_found")


def gap_sort_key(gap: Gap) -> tuple:
    """Most severe first; within a severity by KIND_ORDER (other kinds after, by name), then category,
    source and message, so the order never depends on rule or record order."""
    kind_rank = KIND_ORDER.index(gap.gap_kind) if gap.gap_kind in KIND_ORDER else len(KIND_ORDER)
    return (-gap.severity.rank, kind_rank, gap.gap_kind, gap.category or "", gap.source or "", gap.message)


def evaluate_rules(ctx: GapContext, rules: Sequence[GapRule] | None = None,
                   errors: list[str] | None = None) -> tuple[Gap, ...]:
    """Every rule's gaps, sorted. With an `errors` list, a rule that raises is skipped and described
    there (`kind: ExceptionType`), so one broken plugin cannot hide the other gaps; without, it raises."""
    gaps: list[Gap] = []
    for rule in load_rules() if rules is None else rules:
        try:
            gaps.extend(rule.evaluate(ctx))
        except Exception as exc:  # noqa: BLE001 - recorded in scan.json and shown in the report
            if errors is None:
                raise
            log.exception("gap rule %s failed", getattr(rule, "kind", type(rule).__name__))
            errors.append(f"{getattr(rule, 'kind', type(rule).__name__)}: {type(exc).__name__}")
    return tuple(sorted(gaps, key=gap_sort_key))


def max_severity(gaps: Iterable[Gap]) -> Severity | None:
    """The worst severity among `gaps` (None for none): the one place it is computed."""
    return max((g.severity for g in gaps), key=lambda s: s.rank, default=None)


def count_by(gaps: Iterable[Gap], attr: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for g in gaps:
        value = getattr(g, attr)
        key = value.value if hasattr(value, "value") else str(value)
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))
