"""Country gating: with only LU/FR/BE/DE configured, Luxembourg numbers are not reported as foreign IDs.

The same texts run through a registry with every country switched on show the collisions are real
(so the negative assertions are not vacuous)."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

from detectors.recognizers.lu_matricule_recognizer import check_digits
from detectors.registry import PRESIDIO_COUNTRY_RECOGNIZERS, build_recognizers, gated
from detectors.recognizers.lu_matricule_recognizer import LuMatriculeRecognizer
from detector_helpers import entities_in

FOREIGN_IDS = {"PL_PESEL", "SE_PERSONNUMMER", "KR_RRN", "TH_TNIN", "AU_TFN", "AU_ABN", "AU_ACN", "AU_MEDICARE",
               "US_SSN", "SG_NRIC_FIN", "IN_AADHAAR", "FI_PERSONAL_IDENTITY_CODE", "ES_NIF", "IT_FISCAL_CODE"}


def matricules(n: int) -> list[str]:
    out = []
    for i in range(n):
        first11 = f"19{50 + i % 50:02d}{1 + i % 12:02d}{1 + i % 28:02d}{i * 7 % 1000:03d}"
        out.append(first11 + check_digits(first11))
    return out


MATRICULE_TEXT = "Liste du personnel: " + ", ".join(matricules(60))
LU_PHONES = "Tél. +352 621 123 456, +352 26 12 34 56, 26 12 34 56, 621 123 456, +352 691 234 567."


@pytest.fixture(scope="module")
def ungated(analyzer):
    registry = RecognizerRegistry(recognizers=build_recognizers(["en"], list(PRESIDIO_COUNTRY_RECOGNIZERS)),
                                  supported_languages=["en"])
    return AnalyzerEngine(registry=registry, nlp_engine=analyzer.nlp_engine, supported_languages=["en"])


@pytest.mark.parametrize("text", [MATRICULE_TEXT, LU_PHONES], ids=["matricules", "lu-phones"])
def test_gated_scan_reports_no_foreign_ids(detector, text):
    assert not {e for e, _ in entities_in(detector, text, "en")} & FOREIGN_IDS


def test_every_valid_matricule_is_reported_as_lu_national_id(detector):
    found = [v for e, v in entities_in(detector, MATRICULE_TEXT, "fr") if e == "LU_NATIONAL_ID"]
    assert found == matricules(60)


@pytest.mark.parametrize("text", [MATRICULE_TEXT, LU_PHONES], ids=["matricules", "lu-phones"])
def test_without_gating_the_collisions_exist(ungated, text):
    found = {r.entity_type for r in ungated.analyze(text, language="en", score_threshold=0.0)}
    assert found & FOREIGN_IDS, "expected at least one foreign-ID collision without gating"


@pytest.mark.parametrize("countries,expected", [
    (("LU",), True), (("FR", "DE"), False), (("lu", "be"), True), ((), False),
])
def test_gated_enables_country_recognizers_only_for_their_countries(countries, expected):
    assert gated(LuMatriculeRecognizer, countries, "en") is expected


def test_policyscan_recognizer_classes_do_not_shadow_presidio_ones():
    """Presidio's YAML loader finds recognizer classes by *class name* among EntityRecognizer subclasses:
    a policyscan class named like a Presidio one would replace it in any vanilla engine in the process."""
    from presidio_analyzer import predefined_recognizers

    from detectors.registry import policyscan_recognizer_classes

    presidio_names = {n for n in dir(predefined_recognizers) if n.endswith("Recognizer")}
    ours = {cls.__name__ for cls in policyscan_recognizer_classes()}
    assert len(ours) >= 12 and not ours & presidio_names


def test_configured_country_enables_its_presidio_recognizers(analyzer):
    """Gating is configuration, not removal: a scan configured for PL gets Presidio's PESEL recognizer."""
    from scanner.limits import Limits
    from scanner.models import DetectionSettings

    from detectors.engine import Detector

    polish = Detector(DetectionSettings(languages=("en",), countries=("PL",), fingerprint_key=b"k"), Limits())
    assert any(name.startswith("PlPesel") for name in polish.recognizers)
    assert not any(name.startswith("LuMatricule") for name in polish.recognizers)
