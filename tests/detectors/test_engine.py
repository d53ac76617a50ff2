"""Detector behaviour end to end: findings, privacy, language routing, chunking, no network I/O."""

from __future__ import annotations

import socket

from hypothesis import given, settings as hsettings, strategies as st

import pytest

from scanner.limits import Limits
from scanner.models import ColumnSample, DetectionSettings, TextSample

from detectors.engine import Detector, Span, overlapping_chunks, resolve_overlaps
from detectors.fingerprint import fingerprint, mask
from detectors.recognizers.gazetteer_person_recognizer import find_names
from detector_helpers import entities_in

TEXT = ("Contact John Smith at john.smith@example.com or +352 621 123 456. Matricule 1893120105732. "
        "IBAN LU28 0019 4006 4475 0000.")
RAW_VALUES = ("john.smith@example.com", "1893120105732", "LU28 0019 4006 4475 0000", "621 123 456", "John Smith")


def test_detect_returns_one_finding_per_location_field_entity(detector):
    samples = [TextSample("file:///a.txt", None, TEXT), TextSample("file:///a.txt", None, TEXT),
               TextSample("file:///b.txt", "body", TEXT)]
    findings = detector.detect(samples, "file:///")
    keys = [(f.location, f.field, f.entity) for f in findings]
    assert len(keys) == len(set(keys))
    email = next(f for f in findings if f.location == "file:///a.txt" and f.entity == "EMAIL_ADDRESS")
    assert email.count == 2 and email.distinct_count == 1 and email.category == "user.contact.email"
    assert {f.entity for f in findings} >= {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "LU_NATIONAL_ID", "IBAN_CODE"}


def test_findings_hold_no_raw_values(detector):
    findings = detector.detect([TextSample("file:///a.txt", None, TEXT)], "src")
    blob = repr(findings)
    for raw in RAW_VALUES:
        assert raw not in blob


def test_reveal_values_is_the_only_opt_out(analyzer):
    revealing = Detector(DetectionSettings(fingerprint_key=b"k", reveal_values=True), Limits(), analyzer=analyzer)
    findings = revealing.detect([TextSample("f", None, TEXT)], "src")
    assert any(f.masked_example == "john.smith@example.com" for f in findings)


def test_fingerprints_are_keyed_and_normalised():
    a = fingerprint("LU28 0019 4006 4475 0000", "IBAN_CODE", b"k1")
    assert a == fingerprint("lu280019400644750000", "IBAN_CODE", b"k1")
    assert a != fingerprint("LU28 0019 4006 4475 0000", "IBAN_CODE", b"k2")


@pytest.mark.parametrize("value,entity,expected", [
    ("jean.dupont@example.lu", "EMAIL_ADDRESS", "j***@e***.lu"),
    ("1893120105732", "LU_NATIONAL_ID", "***********32"),
    ("hunter2", "PASSWORD", "********"),
])
def test_mask(value, entity, expected):
    assert mask(value, entity) == expected


def test_fingerprints_are_capped(analyzer, settings, faker):
    capped = Detector(settings, Limits(fingerprints_per_finding=5), analyzer=analyzer)
    emails = tuple(faker.unique.email() for _ in range(20))
    finding = next(f for f in capped.detect([ColumnSample("t", "email", emails)], "s") if f.entity == "EMAIL_ADDRESS")
    assert finding.count == 20 and finding.distinct_count == 5 and len(finding.fingerprints) == 5


def test_column_findings_carry_an_explanation(detector, faker):
    findings = detector.detect([ColumnSample("db!main.employees", "salary", tuple(str(faker.random_int(3000, 9000))
                                                                                   for _ in range(25)))], "db")
    assert [f.entity for f in findings] == ["SALARY"]
    assert "salary" in findings[0].explanation and "25 of 25" in findings[0].explanation


@pytest.mark.parametrize("text,expected", [
    ("Sehr geehrte Frau Schneider, anbei die Rechnung für März. Mit freundlichen Grüßen", "de"),
    ("Bonjour Madame, veuillez trouver ci-joint la facture du mois de mars.", "fr"),
    ("Dear Sir or Madam, please find attached the invoice for March.", "en"),
])
def test_language_routing(detector, text, expected):
    assert detector.language_of(text) == expected


@pytest.mark.parametrize("text,names", [
    ("Sehr geehrter Herr Müller, wie besprochen hat Anna Schmidt den Vertrag unterschrieben.",
     ["Müller", "Anna Schmidt"]),
    ("Kontakt: Herr Dr. Klaus von Bülow", ["Klaus von Bülow"]),
    ("Am Montag wurde der Bericht abgegeben.", []),
])
def test_german_names_from_gazetteers(text, names):
    assert [text[s:e] for s, e, _, _ in find_names(text)] == names


def test_german_text_gets_person_without_a_german_model(detector):
    text = "Sehr geehrte Frau Wagner, Ihr Kollege Thomas Becker hat uns die Unterlagen geschickt."
    persons = [v for e, v in entities_in(detector, text, "de") if e == "PERSON"]
    assert persons == ["Wagner", "Thomas Becker"]


def test_long_text_is_chunked_without_losing_or_doubling_spans(detector):
    filler = "lorem ipsum dolor sit amet " * 1200  # ~32 KB: two chunks
    text = filler + "mail jean.dupont@example.lu here " + filler + "mail marie.curie@example.fr end"
    emails = [v for e, v in entities_in(detector, text, "en") if e == "EMAIL_ADDRESS"]
    assert emails == ["jean.dupont@example.lu", "marie.curie@example.fr"]


def test_chunks_cover_the_text_with_overlap():
    text = "word " * 10_000
    chunks = overlapping_chunks(text, size=1000, overlap=50)
    assert chunks[0][0] == 0 and chunks[-1][0] + len(chunks[-1][1]) == len(text)
    for (o1, c1), (o2, _) in zip(chunks, chunks[1:]):
        assert o2 < o1 + len(c1)


def test_resolve_overlaps_prefers_higher_score_then_validated_entity():
    spans = [Span("PHONE_NUMBER", 5, 14, 0.5, "p"), Span("IBAN_CODE", 0, 24, 1.0, "i"),
             Span("DE_TAX_ID", 30, 41, 0.85, "d"), Span("BE_NATIONAL_NUMBER", 30, 41, 0.85, "b")]
    assert [s.entity for s in resolve_overlaps(spans)] == ["IBAN_CODE", "BE_NATIONAL_NUMBER"]


def test_no_network_io_at_run_time(detector, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network I/O attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    text = "write to someone@example.co.uk or visit https://example.org, IP 192.168.1.10"
    assert {"EMAIL_ADDRESS", "IP_ADDRESS"} <= {e for e, _ in entities_in(detector, text, "en")}


def test_recognizers_are_listed(detector):
    names = detector.recognizers
    assert "LuMatriculeRecognizer_en" in names and not any(n.startswith("PlPesel") for n in names)


@pytest.mark.parametrize("text,places", [
    ("Herr Becker wohnt in Esch-sur-Alzette und arbeitet in Trier.", ["Esch-sur-Alzette", "Trier"]),
    ("Die Lieferung kommt aus Graz.", ["Graz"]),
    ("Der Bericht wurde gestern abgegeben.", []),
])
def test_german_places_from_gazetteers(detector, text, places):
    assert [v for e, v in entities_in(detector, text, "de") if e == "LOCATION"] == places


@pytest.mark.parametrize("text", ["", "   ", "\x00\xff\ufffd" * 50, "x" * 50_000, "1" * 30_000, "Ä" * 5, "\n" * 1000])
def test_odd_text_gives_no_crash(detector, text):
    findings = detector.detect([TextSample("f", None, text)], "s")
    assert all(f.count >= 1 for f in findings)


@hsettings(max_examples=40, deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_arbitrary_text_never_raises(detector, text):
    for finding in detector.detect([TextSample("f", None, text)], "s"):
        assert finding.category.startswith("user")


def test_odd_column_values_give_no_crash(detector):
    sample = ColumnSample("t", "weird", ("", "\x00", "é" * 300, "None", "1e309", "-", " " * 10))
    assert isinstance(detector.detect([sample], "s"), list)


@pytest.mark.parametrize("text,not_person", [
    ("Please change my address to 1461 Melanie Alley, East Sara.", "Melanie Alley"),
    ("Markus lives on Joseph Mission street.", "Joseph Mission"),
])
def test_streets_named_after_people_are_not_persons(detector, text, not_person):
    assert ("PERSON", not_person) not in entities_in(detector, text, "en")


def test_surnames_that_are_street_words_stay_names(detector):
    assert ("PERSON", "Jennifer Hill") in entities_in(detector, "The report was signed by Jennifer Hill yesterday.", "en")
