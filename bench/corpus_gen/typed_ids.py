"""Identifiers as people type them: sentences holding IBANs of every IBAN country, EU VAT numbers of every
member state and national IDs, each written in every separator style, plus as many invalid look-alikes.

Each valid value is drawn at random and checked with python-stdnum; its look-alike is a one-digit
mutation that stdnum rejects. Both are then written in one of the styles people use: compact, grouped
by spaces, hyphens, dots or slashes, a `CC:` / `CC-` / `(CC)` prefix, a `(0)` before a leading zero,
lower- or mixed-case country prefix, a space before the check character. Deterministic by seed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from stdnum import iban as std_iban
from stdnum.be import nn as be_nn
from stdnum import ean
from stdnum.ch import ssn as ch_ssn
from stdnum.de import idnr
from stdnum.es import dni
from stdnum.eu import vat
from stdnum.fr import nir
from stdnum.iso7064 import mod_11_10
from stdnum.nl import bsn
from stdnum.pl import pesel
from stdnum.us import ssn as us_ssn

from bench.corpus_gen.labelled import Document, Gold
from detectors.recognizers.lu_matricule_recognizer import check_digits

IBAN_COUNTRIES = ("AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
                  "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "ME", "MT", "NL", "NO", "PL", "PT", "RO",
                  "RS", "SE", "SI", "SK", "SM", "TR")
# VAT body shapes per member state (9 = digit, A = letter, 0/1 = that digit), rejection-sampled to valid.
VAT_SHAPES = {
    "AT": ("U99999999",), "BE": ("0999999999",), "BG": ("999999999", "9999999999"), "CY": ("09999999A",),
    "CZ": ("99999999", "9999999999"), "DE": ("999999999",), "DK": ("99999999",), "EE": ("109999999",),
    "EL": ("999999999",), "ES": ("A9999999A", "99999999A", "A99999999"), "FI": ("99999999",),
    "FR": ("99999999999",), "HR": ("99999999999",), "HU": ("99999999",), "IE": ("9999999A", "9999999AA"),
    "IT": ("99999999999",), "LT": ("999999919", "999999919999"), "LU": ("99999999",), "LV": ("49999999999",),
    "MT": ("19999999",), "NL": ("999999999B99",), "PL": ("9999999999",), "PT": ("599999999",),
    "RO": ("99999999",), "SE": ("999999999901",), "SI": ("19999999",), "SK": ("4999999999",),
}
ID_SCHEMES = {  # scheme -> (label words per language, is_valid, has a country letter prefix)
    "LU matricule": ("matricule", "numéro d'identification national", "Matrikelnummer"),
    "FR NIR": ("numéro de sécurité sociale", "NIR", "social security number"),
    "BE national number": ("numéro de registre national", "Rijksregisternummer", "national number"),
    "DE IdNr": ("Steuer-IdNr.", "steuerliche Identifikationsnummer", "tax ID"),
    "CH AVS": ("numéro AVS", "AHV-Nummer", "AVS number"),
    "NL BSN": ("BSN", "burgerservicenummer", "citizen service number"),
    "ES DNI": ("DNI", "documento nacional de identidad", "DNI number"),
    "PL PESEL": ("PESEL", "numer PESEL", "PESEL number"),
    "US SSN": ("social security number", "SSN", "Social Security No."),
}
VALIDATORS = {
    "LU matricule": lambda v: len(v) == 13 and v.isdigit() and check_digits(v[:11]) == v[11:],
    "FR NIR": nir.is_valid, "BE national number": be_nn.is_valid, "DE IdNr": idnr.is_valid,
    "CH AVS": ch_ssn.is_valid, "NL BSN": bsn.is_valid, "ES DNI": dni.is_valid, "PL PESEL": pesel.is_valid,
    "US SSN": us_ssn.is_valid,
}
FRAMES = {
    "en": ("Please transfer the deposit to {L} {V} by Friday.", "{L}: {V}", "Her {L} is {V}, as on the form.",
           "We have {V} on file as the {L} of the supplier."),
    "fr": ("Merci de virer l'acompte sur le {L} {V} avant vendredi.", "{L} : {V}",
           "Son {L} est le {V}, comme indiqué sur le formulaire."),
    "de": ("Bitte überweisen Sie die Kaution bis Freitag ({L} {V}).", "{L}: {V}",
           "Laut Formular lautet die {L} {V}."),
}
IBAN_LABELS = ("IBAN", "IBAN", "account", "compte", "Konto", "Bankverbindung")
VAT_LABELS = ("VAT number", "VAT", "TVA", "n° TVA", "USt-IdNr.", "UID", "BTW-nummer")
STYLES = {  # per family: the ways people write it
    "IBAN": ("compact", "spaces", "hyphens", "dots", "slashes", "mixed-case", "country-space", "irregular"),
    "VAT": ("compact", "spaces", "hyphens", "dots", "slashes", "colon", "dash-space", "parentheses", "mixed-case",
            "check-space"),
    "ID": ("compact", "spaces", "hyphens", "dots", "slashes", "check-space"),
}


@dataclass(frozen=True)
class TypedId:
    family: str  # IBAN, VAT or ID
    scheme: str  # "IBAN NO", "VAT CY", "CH AVS", ...
    compact: str
    prefix_len: int  # letters of a country prefix (IBAN and VAT: 2)


def _random_from_shape(rng: random.Random, shape: str) -> str:
    out = []
    for ch in shape:
        out.append(str(rng.randint(0, 9)) if ch == "9" else rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") if ch == "A"
                   else ch)
    return "".join(out)


def _sample(rng: random.Random, make, is_valid, tries: int = 20000) -> str:
    for _ in range(tries):
        value = make()
        if is_valid(value):
            return value
    raise RuntimeError("no valid value found")


_STRUCT = re.compile(r"(\d+)!([nac])")


def valid_iban(rng: random.Random, country: str) -> str:
    structure = std_iban._ibandb.info(country + "00")[0][1]["bban"]
    chars = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

    def make() -> str:
        bban = "".join(rng.choice(chars[kind]) for n, kind in _STRUCT.findall(structure) for _ in range(int(n)))
        return country + std_iban.calc_check_digits(country + "00" + bban) + bban
    return _sample(rng, make, std_iban.is_valid)


def valid_vat(rng: random.Random, country: str) -> str:
    return _sample(rng, lambda: country + _random_from_shape(rng, rng.choice(VAT_SHAPES[country])), vat.is_valid)


def valid_national_id(rng: random.Random, scheme: str) -> str:
    digits = lambda n: "".join(str(rng.randint(0, 9)) for _ in range(n))  # noqa: E731
    date = lambda: f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"  # noqa: E731
    if scheme == "LU matricule":
        return _sample(rng, lambda: (lambda b: b + check_digits(b))(date() + digits(3)), VALIDATORS[scheme])
    if scheme == "FR NIR":
        return _sample(rng, lambda: (lambda b: b + nir.calc_check_digits(b))(
            f"{rng.choice('12')}{rng.randint(40, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 95):02d}{digits(6)}"),
            nir.is_valid)
    if scheme == "BE national number":
        return _sample(rng, lambda: (lambda b: b + f"{97 - int(b) % 97:02d}")(date()[2:] + digits(3)), be_nn.is_valid)
    if scheme == "DE IdNr":
        return _sample(rng, lambda: (lambda b: b + mod_11_10.calc_check_digit(b))(str(rng.randint(1, 9)) + digits(9)),
                       idnr.is_valid)
    if scheme == "CH AVS":
        return _sample(rng, lambda: (lambda b: b + ean.calc_check_digit(b))("756" + digits(9)), ch_ssn.is_valid)
    if scheme == "NL BSN":
        return _sample(rng, lambda: digits(9), bsn.is_valid)
    if scheme == "ES DNI":
        return _sample(rng, lambda: (lambda b: b + dni.calc_check_digit(b))(digits(8)), dni.is_valid)
    if scheme == "PL PESEL":
        return _sample(rng, lambda: (lambda b: b + pesel.calc_check_digit(b))(date()[2:] + digits(4)), pesel.is_valid)
    if scheme == "US SSN":
        return _sample(rng, lambda: f"{rng.randint(1, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}",
                       us_ssn.is_valid)
    raise KeyError(scheme)


def is_valid(value: TypedId) -> bool:
    if value.family == "IBAN":
        return std_iban.is_valid(value.compact)
    if value.family == "VAT":
        return vat.is_valid(value.compact)
    return VALIDATORS[value.scheme](value.compact)


def mutate(rng: random.Random, value: TypedId) -> TypedId | None:
    """A one-digit mutation of `value` that its scheme rejects (None if every try stayed valid)."""
    positions = [i for i, c in enumerate(value.compact) if c.isdigit() and i >= value.prefix_len]
    for _ in range(50):
        i = rng.choice(positions)
        new = value.compact[:i] + str((int(value.compact[i]) + rng.randint(1, 9)) % 10) + value.compact[i + 1:]
        candidate = TypedId(value.family, value.scheme, new, value.prefix_len)
        if not is_valid(candidate):
            return candidate
    return None


def _groups(body: str, size: int) -> list[str]:
    return [body[i:i + size] for i in range(0, len(body), size)]


def typed(rng: random.Random, value: TypedId, style: str) -> str:
    """`value` written the way a person might type it, in `style`."""
    prefix, body = value.compact[:value.prefix_len], value.compact[value.prefix_len:]
    size = 4 if value.family == "IBAN" else 3
    if value.family == "IBAN":  # IBAN groups start with the country + check digits
        prefix, body = "", value.compact
    if style == "compact":
        return value.compact
    if style in ("spaces", "hyphens", "dots", "slashes"):
        sep = {"spaces": " ", "hyphens": "-", "dots": ".", "slashes": "/"}[style]
        joined = sep.join(_groups(body, size))
        return f"{prefix}{rng.choice(('', ' ', sep)) if prefix else ''}{joined}"
    if style == "colon":
        return f"{prefix}: {body}" if prefix else f"{body[:size]}:{body[size:]}"
    if style == "dash-space":
        return f"{prefix}- {body}" if prefix else f"{body[:size]}- {body[size:]}"
    if style == "parentheses":
        if prefix and body.startswith("0"):
            return f"{prefix} (0){'.'.join(_groups(body[1:], 3))}"
        if prefix:
            return f"({prefix}) {body}"
        return f"({body[:size]}) {' '.join(_groups(body[size:], size))}"
    if style == "mixed-case":
        if value.family == "IBAN":
            return value.compact[:2].lower() + value.compact[2:4] + " " + " ".join(_groups(value.compact[4:], 4))
        if prefix:
            return rng.choice((prefix.lower(), prefix[0] + prefix[1].lower())) + body
        return " ".join(_groups(body, size))
    if style == "country-space":  # `ES 58 0049 0290 …`
        return f"{value.compact[:2]} {value.compact[2:4]} " + " ".join(_groups(value.compact[4:], 4))
    if style == "irregular":  # groups of uneven length, as copied from a statement
        cuts, i = [], 0
        while i < len(value.compact):
            step = rng.randint(2, 6)
            cuts.append(value.compact[i:i + step])
            i += step
        return " ".join(cuts)
    if style == "check-space":
        return f"{value.compact[:-1]} {value.compact[-1]}"
    raise KeyError(style)


def _values(rng: random.Random) -> list[tuple[TypedId, tuple[str, ...]]]:
    out = [(TypedId("IBAN", f"IBAN {c}", valid_iban(rng, c), 2), IBAN_LABELS) for c in IBAN_COUNTRIES]
    out += [(TypedId("VAT", f"VAT {c}", valid_vat(rng, c), 2), VAT_LABELS) for c in VAT_SHAPES]
    out += [(TypedId("ID", s, valid_national_id(rng, s), 0), labels) for s, labels in ID_SCHEMES.items()]
    return out


def typed_id_documents(seed: int = 5, rounds: int = 2) -> list[Document]:
    """One sentence per (value, style) with a valid value and one with its invalid look-alike; `rounds`
    fresh values per scheme. Gold entity: IBAN_CODE, EU_VAT_NUMBER or NATIONAL_ID; look-alikes carry ""."""
    rng = random.Random(seed)
    docs: list[Document] = []
    for _ in range(rounds):
        for value, labels in _values(rng):
            for style in STYLES[value.family]:
                for candidate in (value, mutate(rng, value)):
                    if candidate is None:
                        continue
                    lang = rng.choice(tuple(FRAMES))
                    frame = rng.choice(FRAMES[lang])
                    written = typed(rng, candidate, style)
                    label = rng.choice(labels)
                    start = frame.replace("{L}", label).index("{V}")
                    text = frame.replace("{L}", label).replace("{V}", written)
                    entity = {"IBAN": "IBAN_CODE", "VAT": "EU_VAT_NUMBER", "ID": "NATIONAL_ID"}[candidate.family]
                    valid = candidate is value
                    gold = Gold(entity if valid else "", start, start + len(written),
                                f"{candidate.scheme} {style}" + ("" if valid else " invalid"))
                    docs.append(Document(lang, text, (gold,), "typed-ids"))
    return docs
