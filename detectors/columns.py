"""Column verdicts: a column's name and a sample of its values -> hits, each with an explanation.

Three kinds of evidence, combined per column:

* **name rules** (`NAME_RULES`): multilingual synonyms over the normalised name (`Vorname`,
  `date_naissance`, `customerEmail` -> `customer_email`). A rule says what the name suggests and what
  the values must look like to confirm it (`TypeCheck`): a `salary` needs numbers, a `date_of_birth`
  needs dates, a `matricule` needs valid matricules (in French HR a "matricule" is also a staff number,
  so invalid values give no verdict);
* **values**: all values of the column go through the text analyzer in one pass (joined by newlines);
  an entity counts for a value when one of its spans covers most of the value. A share of at least
  `VALUE_SHARE` of the non-empty sampled values gives a verdict even without a name rule;
* **free-text columns** (long values with spaces: comments, notes) are treated like text: every span
  found is reported (a `notes` column mentioning one sick leave is a health finding).

The explanation says which rule decided and on how many of how many sampled values.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Callable

from scanner.categories import SPECIAL_ENTITIES as SPECIAL
from scanner.models import ColumnSample, Hit

from detectors.recognizers.credential_recognizer import is_password_hash

if TYPE_CHECKING:
    from detectors.engine import Detector, Span

VALUE_MIN_SCORE = 0.4  # bare values lack the context words text has; the column name stands in for them
VALUE_SHARE = 0.5  # share of sampled values that must match for a value-only verdict
CONFIRM_SHARE = 0.5  # share that must pass the name rule's type check
FREE_TEXT_MIN_AVG = 40
# Entities a value-only verdict may give; NER-based ones need the column name to agree.
VALUE_ONLY_EXCLUDED = {"LOCATION", "PERSON", "PASSPORT", "DE_TAX_ID"}
TRUTHY = {"1", "true", "t", "yes", "y", "oui", "ja", "x", "vrai", "wahr"}
_MASKED = re.compile(r"^(?:\*+|x+|null|none|n/a|-+)$", re.IGNORECASE)
FALSY = {"0", "false", "f", "no", "n", "non", "nein", "faux", "falsch", ""}


def normalise_name(name: str) -> str:
    """`customerEmail` -> `customer_email`, `Prénom` -> `prenom`, `Date de naissance` -> `date_de_naissance`."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip()).replace("ß", "ss")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", name).strip("_")


# -- type checks ------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^[+-]?(?:\d[\d\s'.,]*)(?:\s?(?:€|eur|chf|usd|\$|k))?$", re.IGNORECASE)
_DATE = re.compile(
    r"^(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})(?:[ T][\d:.+\-Z]*)?"
    r"|(?P<d2>\d{1,2})[-/.](?P<m2>\d{1,2})[-/.](?P<y2>\d{4}|\d{2}))$"
)


def is_number(value: str) -> bool:
    return bool(_NUMBER.match(value.strip())) and any(c.isdigit() for c in value)


def is_birth_date(value: str) -> bool:
    m = _DATE.match(value.strip())
    if not m:
        return False
    year = int(m.group("y1") or m.group("y2"))
    year = year + 1900 if year < 100 else year
    month = int(m.group("m1") or m.group("m2"))
    day = int(m.group("d1") or m.group("d2"))
    if month > 12 and day <= 12:  # US order
        month, day = day, month
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= date.today().year


_AMOUNT = re.compile(r"^[+-]?\d{1,3}(?:[ ',]?\d{3})*[.,]\d{1,2}$|^[+-]?\d+[.,]\d{1,4}$")
_TEMPORAL_NAME = re.compile(r"(?:^|_)(?:at|on|date|datum|time|timestamp|ts|datetime|le|am)$"
                            r"|^(?:last|first)_(?:login|logon|seen|access|activity|modified|update|updated|visit|"
                            r"connection|connexion|anmeldung)$")
_TEMPORAL_TYPES = ("date", "time", "timestamp", "interval", "numeric", "decimal", "float", "real", "double", "money")


def is_date_or_amount(value: str) -> bool:
    """Dates, timestamps and decimal amounts: shapes a phone-number parser happily reads as digits."""
    v = value.strip()
    return bool(_DATE.match(v) or _AMOUNT.match(v))


def is_temporal_column(name: str) -> bool:
    """`created_at`, `hire_date`, `last_login`, `geboren_am`: the name says the column holds a moment,
    whatever word precedes it (`last_login` is when, not who)."""
    return bool(_TEMPORAL_NAME.search(normalise_name(name)))


def is_job_title(value: str) -> bool:
    """Words, not codes or coordinates: `System engineer`, `Comptable`, `Projektleiterin`."""
    v = value.strip()
    return sum(c.isalpha() for c in v) >= 0.7 * len(v) > 2


def is_order_ref(value: str) -> bool:
    """An order number or reference: some digits, no spaces (`SO-2019-00042`, `100234`)."""
    v = value.strip()
    return 3 <= len(v) <= 40 and any(c.isdigit() for c in v) and " " not in v


def is_flag(value: str) -> bool:
    return value.strip().casefold() in TRUTHY | FALSY


def is_word_text(value: str) -> bool:
    return any(c.isalpha() for c in value) and not value.strip().isdigit()


def is_person_name(value: str) -> bool:
    """2-4 capitalised words whose first is a known given name or last a known surname ("Anna Weber")."""
    from detectors.names import given_names, surnames

    words = value.replace(",", " ").split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    return words[0].casefold() in given_names() or words[-1].casefold() in surnames()


def is_token(value: str) -> bool:
    v = value.strip()
    return len(v) >= 8 and " " not in v


@dataclass(frozen=True)
class NameRule:
    entity: str
    pattern: re.Pattern[str]
    check: Callable[[str], bool] | None  # values must pass it (share >= CONFIRM_SHARE); None = any non-empty
    validated: bool = False  # values must be found as `entity` by the recognizers
    score: float = 0.7
    share: float = 0.5  # share of values that must pass `check`


def _rule(entity: str, names: str, check: Callable[[str], bool] | None = None, validated: bool = False,
          score: float = 0.7) -> NameRule:
    return NameRule(entity, re.compile(rf"^(?:\w+_)?(?:{names})(?:_\w+)?$"), check, validated, score)


def _exact(entity: str, names: str, check: Callable[[str], bool] | None = None, validated: bool = False,
           score: float = 0.7) -> NameRule:
    return NameRule(entity, re.compile(rf"^(?:{names})$"), check, validated, score)


NAME_RULES: tuple[NameRule, ...] = (
    _rule("PASSWORD", r"password|passwd|pwd|pass_word|mot_de_passe|mdp|passwort|kennwort|pw_hash"),
    _rule("PASSPORT", r"passport|passeport|reisepass|pass_nr|passnummer|passport_no"),
    _rule("EMAIL_ADDRESS", r"e_?mail|courriel|email_address|mail_address|adresse_e_?mail", validated=True),
    _exact("FIRST_NAME", r"(?:\w+_)?(?:first_?name|given_?name|fname|forename|prenom|vorname)", is_word_text),
    _exact("LAST_NAME", r"(?:\w+_)?(?:last_?name|surname|family_?name|lname|nom|nom_de_famille|nachname|"
                        r"familienname|name_de_famille)", is_word_text),
    # A bare `name` is a genre, a product or a person: a third of the values must look like people's names.
    NameRule("PERSON", re.compile(r"^(?:full_?name|name|nom_complet|vollstandiger_name|display_name|"
                                  r"(?:customer|employee|contact|client|user|patient|applicant|candidate|kunde|"
                                  r"mitarbeiter|salarie|candidat)_?name)$"), is_person_name, share=0.3),
    _rule("PHONE_NUMBER", r"phone|telephone|tel|mobile|cell|gsm|portable|telefon|handy|fax|phone_number",
          validated=True),
    _rule("IBAN_CODE", r"iban|bank_?account|compte_bancaire|kontonummer|bankverbindung", validated=True),
    _rule("CREDIT_CARD", r"credit_?card|card_?number|cc_number|carte_bancaire|kreditkarte", validated=True),
    _rule("LU_NATIONAL_ID", r"matricule|matricule_national|cns_number|numero_cns", validated=True, score=0.85),
    _rule("FR_NIR", r"nir|numero_securite_sociale|num_secu|secu", validated=True, score=0.85),
    _rule("BE_NATIONAL_NUMBER", r"niss|inss|rijksregisternummer|numero_national|registre_national",
          validated=True, score=0.85),
    _rule("DE_TAX_ID", r"steuer_?id|idnr|steuer_idnr|steueridentifikationsnummer|tax_?id", validated=True,
          score=0.85),
    _rule("NATIONAL_ID", r"national_?id|ssn|social_security(?:_number)?|national_identification(?:_number)?|"
                         r"numero_identification|personalausweis(?:nummer)?|id_card(?:_number)?",
          score=0.7),
    _rule("SALARY", r"salary|salaire|gehalt|wage|wages|remuneration|lohn|brutto|netto|pay_rate|annual_pay",
          is_number),
    _rule("DATE_OF_BIRTH", r"birth_?date|date_of_birth|dob|date_naissance|date_de_naissance|geburtsdatum|"
                           r"birthday|geboren_am|ne_le|naissance", is_birth_date, score=0.85),
    _rule("IP_ADDRESS", r"ip|ip_?address|client_ip|remote_addr|remote_ip|source_ip|ip_adresse", validated=True),
    _rule("COOKIE_ID", r"cookie|cookie_id|session_cookie|tracking_id|visitor_id|ga_client_id|session_token",
          is_token),
    _rule("STREET_ADDRESS", r"address|street|adresse|strasse|rue|street_address|address_line_?\d|anschrift|"
                            r"wohnadresse", is_word_text),
    _rule("POSTAL_CODE", r"zip|zip_?code|postal_?code|postcode|code_postal|plz|postleitzahl"),
    _rule("CITY", r"city|town|ville|localite|ort|stadt|wohnort", is_word_text),
    _rule("GENDER", r"gender|sex|sexe|geschlecht|civilite|anrede"),
    _rule("USERNAME", r"username|user_name|login|benutzername|nom_utilisateur"),
    _exact("JOB_TITLE", r"(?:\w+_)?(?:job_?title|position|poste|fonction|intitule_du_poste|titre_du_poste|occupation|"
                        r"beruf|berufsbezeichnung|stellenbezeichnung|funktion)", is_job_title),
    _exact("ORDER_ID", r"(?:\w+_)?(?:order_?(?:id|ref|reference|number|no|nr)|numero_de_commande|num_commande|"
                       r"commande_id|bestellnummer|bestell_nr|auftragsnummer)", is_order_ref),
    _rule("DEVICE_ID", r"device_?id|imei|idfa|advertising_id|mac_address"),
    _rule("HEALTH", r"diagnosis|diagnostic|diagnose|medical_condition|sick_leave|illness|maladie|krankheit|"
                    r"health_status|disability|handicap|behinderung|arret_maladie|medication", score=0.75),
    _rule("RELIGION", r"religion|confession|konfession|religious_affiliation|kirchensteuer", score=0.75),
    _rule("TRADE_UNION", r"union_member(?:ship)?|trade_union|syndicat|syndique|gewerkschaft", score=0.75),
    _rule("ETHNIC_ORIGIN", r"ethnicity|ethnic_origin|race|origine_ethnique|ethnie", score=0.75),
    _rule("CRIMINAL_RECORD", r"criminal_record|casier_judiciaire|convictions?|vorstrafen?|fuhrungszeugnis",
          score=0.75),
    _rule("POLITICAL_OPINION", r"political_party|party_membership|parti_politique|partei", score=0.75),
    _rule("SEXUAL_ORIENTATION", r"sexual_orientation|orientation_sexuelle|sexuelle_orientierung", score=0.75),
    _rule("BIOMETRIC", r"fingerprint_template|biometric(?:_template|_data)?|face_template|empreinte_digitale",
          score=0.75),
)
NATIONAL_IDS = ("LU_NATIONAL_ID", "FR_NIR", "BE_NATIONAL_NUMBER", "DE_TAX_ID")


def name_rule(column: str) -> NameRule | None:
    """The first rule whose pattern matches the normalised column name (order matters: password first)."""
    name = normalise_name(column)
    for rule in NAME_RULES:
        if rule.pattern.match(name):
            return rule
    return None


def name_entity(column: str) -> str | None:
    rule = name_rule(column)
    return rule.entity if rule else None


def value_entities(values: list[str], detector: "Detector") -> dict[str, list[tuple[int, "Span"]]]:
    """entity -> [(value index, span)] for spans covering most of a value, from one analyzer pass."""
    joined, starts, pos = [], [], 0
    for v in values:
        starts.append(pos)
        joined.append(v)
        pos += len(v) + 1
    text = "\n".join(joined)
    # NER decides no column verdict (PERSON needs the name rule and the gazetteer check), and is the largest cost
    spans = detector.text_spans([text], min_score=VALUE_MIN_SCORE, ner=False)[0]
    found: dict[str, list[tuple[int, Span]]] = {}
    seen: set[tuple[str, int]] = set()
    for s in spans:
        i = bisect.bisect_right(starts, s.start) - 1
        value = values[i]
        if s.end > starts[i] + len(value):
            continue
        if (s.end - s.start) < 0.6 * len(value.strip()) or (s.entity, i) in seen:
            continue
        seen.add((s.entity, i))
        found.setdefault(s.entity, []).append((i, s))
    return found


def classify_column(sample: ColumnSample, detector: "Detector") -> list[Hit]:
    values = [v for v in sample.values[: detector.limits.values_per_column] if v is not None and str(v).strip()]
    values = [str(v) for v in values]
    if not values:
        return []
    n = len(values)
    rule = name_rule(sample.field)
    if rule is not None and rule.entity != "DATE_OF_BIRTH" and is_temporal_column(sample.field):
        rule = None  # `last_login` names a moment, not a login name
    avg_len = sum(len(v) for v in values) / n
    if avg_len >= FREE_TEXT_MIN_AVG and sum(" " in v for v in values) >= n / 2 and (
            rule is None or rule.entity in SPECIAL):
        return _free_text(values, detector, sample.field)
    if rule is not None and rule.entity == "PASSWORD":
        return _passwords(values, detector, sample.field)
    found = value_entities(values, detector)
    declared = (sample.declared_type or "").lower()
    if "PHONE_NUMBER" in found and (any(t in declared for t in _TEMPORAL_TYPES)
                                    or sum(is_date_or_amount(v) for v in values) >= n / 2):
        del found["PHONE_NUMBER"]  # dates and amounts are not phone numbers, however many digits they have
    hits: list[Hit] = []
    decided: set[str] = set()
    if rule is not None:
        hits.extend(_by_name(rule, values, found, detector, sample.field, decided))
    for entity, matches in sorted(found.items()):
        # Without a name rule, only matches that would count in text count here.
        matches = [(i, s) for i, s in matches if s.score >= detector.settings.min_score]
        if entity in decided or entity in VALUE_ONLY_EXCLUDED or len(matches) / n < VALUE_SHARE:
            continue
        why = f"values: {len(matches)} of {n} sampled values match {entity}"
        hits.extend(detector.hit(values[i], entity, s.score, s.recognizer, why) for i, s in matches)
    return hits


def _by_name(rule: NameRule, values: list[str], found: dict, detector: "Detector", column: str,
             decided: set[str]) -> list[Hit]:
    n = len(values)
    label = f"name rule: column '{column}' suggests {rule.entity}"
    if rule.entity == "NATIONAL_ID" or rule.validated:
        candidates = NATIONAL_IDS if rule.entity in NATIONAL_IDS + ("NATIONAL_ID",) else (rule.entity,)
        best = max(candidates, key=lambda e: len(found.get(e, ())))
        matches = found.get(best, [])
        if len(matches) / n >= CONFIRM_SHARE:
            decided.add(best)
            why = f"{label}; values: {len(matches)} of {n} sampled values are valid {best}"
            return [detector.hit(values[i], best, max(s.score, rule.score), s.recognizer, why) for i, s in matches]
        if rule.entity != "NATIONAL_ID":
            return []  # the values contradict the name (e.g. a staff "matricule"): no verdict
        why = f"{label}; no sampled value has a known national format ({n} values)"
        return [detector.hit(v, "NATIONAL_ID", 0.6, "ColumnNameRule", why) for v in values]
    if rule.entity in SPECIAL and all(is_flag(v) for v in values):
        truthy = [v for v in values if v.strip().casefold() in TRUTHY]
        why = f"{label}; flag column: {len(truthy)} of {n} sampled values are set"
        decided.add(rule.entity)
        return [detector.hit(f"{column}={v}", rule.entity, rule.score, "ColumnNameRule", why) for v in truthy]
    if rule.check is not None:
        fitting = [v for v in values if rule.check(v)]
        if len(fitting) / n < rule.share:
            return []
        why = f"{label}; values: {len(fitting)} of {n} sampled values fit ({rule.check.__name__})"
        # A person column reports every value (the name test only confirms the column); others the fitting ones.
        passing = values if rule.entity == "PERSON" else fitting
    else:
        passing = values
        why = f"{label}; {n} sampled values"
    decided.add(rule.entity)
    if rule.entity in ("FIRST_NAME", "LAST_NAME"):
        decided.add("PERSON")
    return [detector.hit(v, rule.entity, rule.score, "ColumnNameRule", why) for v in passing]


def _passwords(values: list[str], detector: "Detector", column: str) -> list[Hit]:
    n = len(values)
    hashed = [v for v in values if is_password_hash(v, allow_hex=True)]
    # In a column "$abc1" is a password, not an environment placeholder: only masks/nulls are skipped.
    plain = [v for v in values if v not in hashed and not _MASKED.match(v.strip())]
    hits: list[Hit] = []
    for entity, group, what in (("PASSWORD_HASH", hashed, "are password hashes"),
                                ("PASSWORD", plain, "are not hashed (plaintext)")):
        if group:
            why = f"name rule: column '{column}' holds passwords; values: {len(group)} of {n} sampled values {what}"
            score = 0.9 if entity == "PASSWORD_HASH" else 0.85
            hits.extend(detector.hit(v, entity, score, "ColumnPasswordRule", why) for v in group)
    return hits


def _free_text(values: list[str], detector: "Detector", column: str) -> list[Hit]:
    n = len(values)
    per_value = detector.text_spans(values)
    counts: dict[str, int] = {}
    for spans in per_value:
        for entity in {s.entity for s in spans}:
            counts[entity] = counts.get(entity, 0) + 1
    hits = []
    for v, spans in zip(values, per_value):
        for s in spans:
            why = f"free-text column '{column}': {counts[s.entity]} of {n} sampled values mention {s.entity}"
            hits.append(detector.hit(v[s.start:s.end], s.entity, s.score, s.recognizer, why))
    return hits


# -- field names that are personal data themselves ---------------------------------------------------
_FIELD_SEPARATORS = "!./"


def safe_field(field: str, position: int | None, detector: "Detector") -> str:
    """`field` with every part that is itself personal data replaced by `column_N`.

    A header row that is really a row of values (`jane@…`, a phone number), or a JSON object keyed by
    e-mail addresses, would otherwise put raw values into findings, explanations and the report. The
    name goes through the same analyzer as values; the hit is widened to the enclosing name part
    (`Sheet!part`, `a.b.part`), which becomes `column_<position>` (or `key_<n>` inside a key path).
    """
    # every run of whole name parts is read on its own: `a.jane.doe@x.lu.b` hides an address in a path
    bounds = [0] + [i + 1 for i, c in enumerate(field) if c in _FIELD_SEPARATORS] + [len(field) + 1]
    bounds = bounds if len(bounds) <= 10 else [0, len(field) + 1]
    runs = [(bounds[a], bounds[b] - 1) for a in range(len(bounds) - 1) for b in range(a + 1, len(bounds))]
    runs = [(a, b) for a, b in runs if b > a]
    found = detector.text_spans([field[a:b] for a, b in runs], ner=False)
    spans = [replace(s, start=s.start + a, end=s.end + a) for (a, _), ss in zip(runs, found) for s in ss]
    if not spans:
        return field
    parts: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: s.start):
        start = max((field.rfind(c, 0, span.start) for c in _FIELD_SEPARATORS), default=-1) + 1
        ends = [i for i in (field.find(c, span.end) for c in _FIELD_SEPARATORS) if i != -1]
        end = min(ends, default=len(field))
        if parts and start < parts[-1][1]:
            parts[-1] = (parts[-1][0], max(end, parts[-1][1]))
        else:
            parts.append((start, end))
    out, last = [], 0
    for n, (start, end) in enumerate(parts, start=1):
        is_last = end == len(field)
        name = f"column_{position}" if is_last and position is not None else f"key_{n}"
        out.append(field[last:start] + name)
        last = end
    return "".join(out) + field[last:]
