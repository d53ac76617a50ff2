"""Every entity the detector can emit maps to a fideslang data category that exists."""

from __future__ import annotations

import pytest
from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from detectors.columns import NAME_RULES
from detectors.recognizers.special_terms import SPECIAL_TERMS
from detectors.registry import PRESIDIO_COUNTRY_RECOGNIZERS, build_recognizers
from detectors.taxonomy import (ENTITY_CATEGORY, SPECIAL_ENTITIES, category_for, is_special,
                                is_special_entity)

FIDES_KEYS = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}


def emitted_entities() -> set[str]:
    """Entities any recognizer (all countries enabled), column rule or password rule can produce."""
    recognizers = build_recognizers(["en", "de"], list(PRESIDIO_COUNTRY_RECOGNIZERS))
    entities = {e for r in recognizers for e in r.supported_entities}
    entities |= {rule.entity for rule in NAME_RULES} | {"PASSWORD_HASH", "NATIONAL_ID", "FR_NIR",
                                                        "BE_NATIONAL_NUMBER", "DE_TAX_ID"}
    return entities


def test_no_emitted_entity_is_unmapped():
    assert sorted(emitted_entities() - set(ENTITY_CATEGORY)) == []


@pytest.mark.parametrize("entity,key", sorted(ENTITY_CATEGORY.items()))
def test_every_category_key_exists_in_fideslang(entity, key):
    assert key in FIDES_KEYS, f"{entity} -> {key} is not a fideslang data category"


def test_special_entities_are_special():
    assert set(SPECIAL_TERMS) <= SPECIAL_ENTITIES
    for entity in SPECIAL_ENTITIES:
        assert is_special_entity(entity)
    for entity in SPECIAL_ENTITIES - {"TRADE_UNION"}:  # fideslang has no trade-union key
        assert is_special(category_for(entity)), entity


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PASSWORD", "SALARY", "LU_NATIONAL_ID", "IBAN_CODE"])
def test_ordinary_entities_are_not_special(entity):
    assert not is_special_entity(entity)


def test_password_entities_share_the_password_key():
    assert category_for("PASSWORD") == category_for("PASSWORD_HASH") == "user.authorization.password"
