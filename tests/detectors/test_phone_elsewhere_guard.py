"""Skipping other countries' phone passes where nothing they find could be kept changes no result."""

from __future__ import annotations

import random

from faker import Faker

import detectors.recognizers.eu_phone_recognizer as phone
from detectors.recognizers.eu_phone_recognizer import EuPhoneRecognizer

LOCALES = ("en_US", "en_GB", "it_IT", "es_ES", "pl_PL", "pt_PT", "da_DK", "cs_CZ", "nl_NL", "de_AT", "de_CH",
           "fr_FR", "de_DE", "sv_SE", "en_IE", "en_CA")
FRAMES = ("{}", "Call {} today.", "Card {} was used.", "Tax ID {} was checked.", "Order {} shipped.",
          "Tel: {}", "ref. {}, seen by the desk", "Betrag {} EUR", "Mob {}", "the number {} belongs to her",
          "Fax {}", "({})", "Ticket 00{}", "paid with {} yesterday")


def _texts(n: int = 600) -> list[str]:
    rng = random.Random(5)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(i)
    values = []
    for _ in range(n):
        f = fakers[rng.choice(LOCALES)]
        values.append(rng.choice([f.phone_number(), f.credit_card_number(), f.msisdn(), str(rng.randrange(10**6, 10**13)),
                                  f.numerify("### ### ####"), f.numerify("(###) ###-####"), f.numerify("0## ### ## ##")]))
    return [rng.choice(FRAMES).format(v) for v in values]


def _results(recognizer: EuPhoneRecognizer, texts: list[str]) -> list[list[tuple]]:
    return [sorted((r.start, r.end, round(r.score, 4)) for r in recognizer.analyze(t, ["PHONE_NUMBER"])) for t in texts]


def test_guard_skips_only_passes_that_could_not_change_the_result(monkeypatch):
    texts = _texts()
    recognizer = EuPhoneRecognizer("en")
    guarded = _results(recognizer, texts)
    skipped = sum(not phone._elsewhere_could_count(t, 0, t) for t in texts)
    monkeypatch.setattr(phone, "_elsewhere_could_count", lambda text, offset, snippet: True)
    assert _results(recognizer, texts) == guarded
    assert skipped > 50  # the guard does skip work on such text


def test_a_foreign_number_with_a_phone_word_or_writing_is_still_found():
    recognizer = EuPhoneRecognizer("en")
    assert recognizer.analyze("Call me on (916) 972-1680.", ["PHONE_NUMBER"])
    assert recognizer.analyze("Phone: 020 7946 0958", ["PHONE_NUMBER"])
    assert not phone._elsewhere_could_count("Card 4111111111111111 was used.", 5, "4111111111111111")
