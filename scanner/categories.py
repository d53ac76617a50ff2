"""The category vocabulary every layer shares: which fideslang keys and entities are GDPR special
categories, and when one dotted key covers another.

Core module: imports nothing of policyscan, so detectors (which decide a finding's category and whether it
is special), the policy model (which declares categories) and reports (which compare the two) all read the
one definition. Which entity maps to which key is the detector's business (`detectors.taxonomy`).
"""

from __future__ import annotations

from functools import lru_cache

# GDPR Art. 9 special categories and Art. 10 criminal data, by fideslang key (and children).
SPECIAL_CATEGORIES: frozenset[str] = frozenset({
    "user.health_and_medical",
    "user.biometric",
    "user.authorization.biometric",
    "user.demographic.religious_belief",
    "user.demographic.political_opinion",
    "user.demographic.sexual_orientation",
    "user.demographic.race_ethnicity",
    "user.criminal_history",
})
# Entities that are special whatever key they map to: trade-union membership has no fideslang key.
SPECIAL_ENTITIES: frozenset[str] = frozenset({
    "HEALTH", "GENETIC", "BIOMETRIC", "RELIGION", "POLITICAL_OPINION", "SEXUAL_ORIENTATION",
    "ETHNIC_ORIGIN", "TRADE_UNION", "CRIMINAL_RECORD",
})


def covers(parent: str, key: str) -> bool:
    """True when `parent` is `key` or one of its ancestors (`user.contact` covers `user.contact.email`)."""
    return key == parent or key.startswith(parent + ".")


def related(a: str, b: str) -> bool:
    """True when one key covers the other (either way round)."""
    return covers(a, b) or covers(b, a)


def covers_any(parents: "tuple[str, ...] | frozenset[str] | set[str]", key: str) -> bool:
    """True when one of `parents` covers `key`."""
    return any(covers(p, key) for p in parents)


@lru_cache(maxsize=4096)
def is_special(category: str) -> bool:
    """True for a GDPR Art. 9/10 fideslang key or one of its children."""
    return covers_any(SPECIAL_CATEGORIES, category)


def is_special_entity(entity: str, category: str) -> bool:
    """Whether a finding of `entity` under `category` is special: the key says so, or the entity does."""
    return entity in SPECIAL_ENTITIES or is_special(category)
