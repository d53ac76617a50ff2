"""One pass per text (issue 15): typed-identifier candidates are cut once and shared, with the same results."""

from __future__ import annotations

import phonenumbers
import pytest
from faker import Faker

import detectors.recognizers.identifier_candidates as identifier_candidates
from detectors.recognizers import eu_phone_recognizer
from detectors.recognizers.base import TextPass, text_pass
from detectors.recognizers.be_national_number_recognizer import BeNationalNumberRecognizer
from detectors.recognizers.de_idnr_recognizer import DeIdnrRecognizer
from detectors.recognizers.eu_phone_recognizer import EuPhoneRecognizer
from detectors.recognizers.eu_vat_recognizer import EuVatRecognizer
from detectors.recognizers.fr_nir_recognizer import FrNirRecognizer
from detectors.recognizers.identifier_candidates import find_valid
from detectors.recognizers.lu_matricule_recognizer import LuMatriculeRecognizer
from detectors.recognizers.spaced_iban_recognizer import SpacedIbanRecognizer

SHAPED = (SpacedIbanRecognizer, EuVatRecognizer, LuMatriculeRecognizer, FrNirRecognizer, BeNationalNumberRecognizer,
          DeIdnrRecognizer)


def _text(seed: int) -> str:
    """Prose with IBANs, VAT-like and digit-grouped numbers as people type them (spaced, dashed, glued)."""
    fake = Faker(["fr_FR", "de_DE", "nl_BE"])
    fake.seed_instance(seed)
    parts = []
    for _ in range(25):
        iban = fake.iban()
        spaced = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        parts += [fake.sentence(), f"IBAN {spaced}.", f"Ref {fake.numerify('##.##.##-###.##')}",
                  f"TVA {fake.bothify('FR## #########')}", f"Tel {fake.numerify('0# ## ## ## ##')}"]
    return " ".join(parts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shared_candidates_give_each_recognizer_what_its_own_cut_gave(seed):
    text = _text(seed)
    for cls in SHAPED:
        rec = cls()
        alone = find_valid(text, rec.is_valid, rec.MIN_LEN, rec.SHAPE, rec.JUDGE_WHOLE)
        shared = find_valid(text, rec.is_valid, rec.MIN_LEN, rec.SHAPE, rec.JUDGE_WHOLE, TextPass(text).shaped(rec.SHAPE))
        assert shared == alone, cls.__name__
    assert any(find_valid(text, SpacedIbanRecognizer().is_valid, 15, SpacedIbanRecognizer.SHAPE, False))


def test_a_text_is_cut_into_candidates_once_for_all_recognizers(monkeypatch):
    calls: list[int] = []
    real = identifier_candidates.candidates

    def counted(text: str, *args, **kwargs):
        calls.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(identifier_candidates, "candidates", counted)
    text = _text(4)
    found = [r.entity_type for cls in SHAPED for r in cls().analyze(text, [])]
    assert "IBAN_CODE" in found
    assert calls == [len(text)]
    assert text_pass(text) is text_pass(text) and text_pass(text[:-1]) is not text_pass(text)


def test_unlabelled_numbers_are_not_parsed_again_as_possible_phones(monkeypatch):
    """The label-only pass (numbers in unassigned ranges) runs phonenumbers only near a phone label."""
    lenient: list[str] = []
    real = phonenumbers.PhoneNumberMatcher

    def matcher(text, region, leniency=phonenumbers.Leniency.VALID, *args, **kwargs):
        if leniency == phonenumbers.Leniency.POSSIBLE:
            lenient.append(region)
        return real(text, region, leniency=leniency, *args, **kwargs)

    monkeypatch.setattr(eu_phone_recognizer.phonenumbers, "PhoneNumberMatcher", matcher)
    fake = Faker("en_GB")
    fake.seed_instance(15)
    amounts = " ".join(f"Invoice total {fake.numerify('### ### ###')} due {fake.date()}." for _ in range(20))
    EuPhoneRecognizer().analyze(amounts, [])
    assert lenient == []
    EuPhoneRecognizer().analyze("Phone: +32 2 910 82 13", [])
    assert lenient
