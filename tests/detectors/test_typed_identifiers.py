"""Identifiers as people type them: every separator style, every IBAN country and VAT member state.

Values are random and stdnum-valid (bench.corpus_gen.typed_ids); look-alikes are one-digit mutations
that stdnum rejects. A recognizer must find each valid one exactly and none of the look-alikes."""

from __future__ import annotations

import random

import pytest

from bench.corpus_gen.typed_ids import (IBAN_COUNTRIES, STYLES, VAT_SHAPES, TypedId, mutate, typed, valid_iban,
                                        valid_national_id, valid_vat)
from detectors.recognizers.be_national_number_recognizer import BeNationalNumberRecognizer
from detectors.recognizers.de_idnr_recognizer import DeIdnrRecognizer
from detectors.recognizers.eu_vat_recognizer import EuVatRecognizer
from detectors.recognizers.fr_nir_recognizer import FrNirRecognizer
from detectors.recognizers.identifier_candidates import candidates
from detectors.recognizers.lu_matricule_recognizer import LuMatriculeRecognizer
from detectors.recognizers.spaced_iban_recognizer import SpacedIbanRecognizer


def _found(recognizer, text: str, value_start: int, value_end: int) -> bool:
    """A result spanning exactly the value, give or take a bracket around a typed prefix (`(AT) U…`)."""
    while not text[value_start].isalnum():
        value_start += 1
    return any(r.start == value_start and r.end == value_end
               for r in recognizer.analyze(text, [recognizer.ENTITY]))


def _flagged(recognizer, text: str) -> bool:
    return bool(recognizer.analyze(text, [recognizer.ENTITY]))


def _check(recognizer, value: TypedId, rng: random.Random, frame: str) -> None:
    for style in STYLES[value.family]:
        written = typed(rng, value, style)
        text = frame.format(written)
        start = frame.index("{}")
        assert _found(recognizer, text, start, start + len(written)), (style, written)
        fake = mutate(rng, value)
        assert fake is not None
        fake_text = frame.format(typed(rng, fake, style))
        assert not _flagged(recognizer, fake_text), (style, fake_text)


@pytest.mark.parametrize("country", IBAN_COUNTRIES)
def test_iban_of_every_country_in_every_style(country: str) -> None:
    rng = random.Random(country)
    value = TypedId("IBAN", country, valid_iban(rng, country), 2)
    _check(SpacedIbanRecognizer("en"), value, rng, "Please pay to account {} by Friday.")


@pytest.mark.parametrize("country", sorted(VAT_SHAPES))
def test_vat_of_every_member_state_in_every_style(country: str) -> None:
    rng = random.Random(country)
    value = TypedId("VAT", country, valid_vat(rng, country), 2)
    _check(EuVatRecognizer("fr"), value, rng, "Numéro de TVA du fournisseur : {} (voir facture).")


@pytest.mark.parametrize("scheme, recognizer", [
    ("LU matricule", LuMatriculeRecognizer), ("FR NIR", FrNirRecognizer),
    ("BE national number", BeNationalNumberRecognizer), ("DE IdNr", DeIdnrRecognizer)])
def test_national_ids_in_every_style(scheme: str, recognizer) -> None:
    rng = random.Random(scheme)
    for _ in range(3):
        value = TypedId("ID", scheme, valid_national_id(rng, scheme), 0)
        _check(recognizer("de"), value, rng, "Laut Personalakte lautet die Identifikationsnummer {} (Steuer).")


def test_lower_case_prefix_before_a_space_is_prose_not_a_vat_prefix() -> None:
    # "de" + nine digits is a valid DE VAT shape; in French prose "de" is a preposition.
    rng = random.Random(3)
    number = valid_vat(rng, "DE")[2:]
    recognizer = EuVatRecognizer("fr")
    assert not _flagged(recognizer, f"un montant de {number} euros")
    assert _flagged(recognizer, f"TVA de{number}") or _flagged(recognizer, f"TVA De:{number}")


def test_the_tail_of_a_longer_digit_run_is_not_a_candidate() -> None:
    text = "ref 4711 0815 1234 5678 9012"
    starts = {c.start for c in candidates(text)}
    assert text.index("4711") in starts
    assert text.index("0815") not in starts and text.index("9012") not in starts


def test_a_line_break_ends_a_candidate() -> None:
    text = "DE89\n3704 0044 0532 0130 00"
    assert all("\n" not in text[c.start:c.end] for c in candidates(text))
