"""Every entity the detector can emit maps to a fideslang data category that exists."""

from __future__ import annotations

import pytest
from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from detectors.columns import NAME_RULES
from detectors.recognizers.special_terms import SPECIAL_TERMS
from detectors.registry import PRESIDIO_COUNTRY_RECOGNIZERS, build_recognizers
from detectors.taxonomy import ENTITY_CATEGORY, category_for, with_declared_categories
from scanner.categories import SPECIAL_ENTITIES, covers, is_special, is_special_entity

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
        assert is_special_entity(entity, category_for(entity))
    for entity in SPECIAL_ENTITIES - {"TRADE_UNION"}:  # fideslang has no trade-union key
        assert is_special(category_for(entity)), entity


@pytest.mark.parametrize("entity", ["EMAIL_ADDRESS", "PASSWORD", "SALARY", "LU_NATIONAL_ID", "IBAN_CODE"])
def test_ordinary_entities_are_not_special(entity):
    assert not is_special_entity(entity, category_for(entity))


def test_password_entities_share_the_password_key():
    assert category_for("PASSWORD") == category_for("PASSWORD_HASH") == "user.authorization.password"


def test_column_rules_use_the_core_special_entities():
    """Every column rule for a special entity yields a special finding (columns.py once lacked GENETIC)."""
    for rule in NAME_RULES:
        if is_special(category_for(rule.entity)):
            assert rule.entity in SPECIAL_ENTITIES, rule.entity


@pytest.mark.parametrize("parent,key,expected", [
    ("user.contact", "user.contact.email", True), ("user.contact", "user.contact", True),
    ("user.contact.email", "user.contact", False), ("user.contact", "user.contactless", False),
])
def test_covers_is_a_dotted_prefix(parent, key, expected):
    assert covers(parent, key) is expected


def test_a_plugin_recognizer_declares_its_category():
    class PluginRecognizer:
        CATEGORIES = {"VACCINATION_RECORD": "user.health_and_medical", "EMAIL_ADDRESS": "user.health_and_medical"}

    table = with_declared_categories([PluginRecognizer])
    assert category_for("VACCINATION_RECORD", table) == "user.health_and_medical"
    assert is_special_entity("VACCINATION_RECORD", category_for("VACCINATION_RECORD", table))
    assert category_for("EMAIL_ADDRESS", table) == "user.contact.email"  # built-ins cannot be re-filed
    assert category_for("VACCINATION_RECORD") == "user"  # the built-in table itself is untouched
