"""Column verdicts: name synonyms + value evidence, with the look-alikes issue 3 names."""

from __future__ import annotations

import pytest

from scanner.models import ColumnSample

from detectors.columns import name_entity, normalise_name
from detectors.recognizers.lu_matricule_recognizer import check_digits


def column(name: str, values, declared_type: str | None = None) -> ColumnSample:
    return ColumnSample(location="sqlite:///crm.db!main.users", field=name, values=tuple(values),
                        declared_type=declared_type)


def verdicts(detector, sample: ColumnSample) -> dict[str, tuple[int, str]]:
    out: dict[str, tuple[int, str]] = {}
    for h in detector.column_hits(sample):
        count, _ = out.get(h.entity, (0, ""))
        out[h.entity] = (count + 1, h.explanation or "")
    return out


def matricules(faker, n):
    out = []
    for _ in range(n):
        first11 = faker.date_of_birth(minimum_age=18, maximum_age=80).strftime("%Y%m%d") + f"{faker.random_int(0, 999):03d}"
        out.append(first11 + check_digits(first11))
    return out


@pytest.mark.parametrize("name,expected", [
    ("prénom", "FIRST_NAME"), ("Vorname", "FIRST_NAME"), ("nom", "LAST_NAME"), ("Nachname", "LAST_NAME"),
    ("customerEmail", "EMAIL_ADDRESS"), ("courriel", "EMAIL_ADDRESS"), ("date_naissance", "DATE_OF_BIRTH"),
    ("Geburtsdatum", "DATE_OF_BIRTH"), ("IBAN", "IBAN_CODE"), ("matricule", "LU_NATIONAL_ID"),
    ("password_hash", "PASSWORD"), ("Passport", "PASSPORT"), ("Straße", "STREET_ADDRESS"),
    ("FULL_TIME", None), ("salary", "SALARY"), ("created_at", None), ("order_id", "ORDER_ID"), ("order_status", None),
])
def test_name_rules(name, expected):
    assert name_entity(name) == expected


def test_normalise_name():
    assert normalise_name("Date de Naissance") == "date_de_naissance"
    assert normalise_name("customerEmail") == "customer_email"


def test_plaintext_password_column_is_password(detector, faker):
    found = verdicts(detector, column("password", [faker.password() for _ in range(40)]))
    assert set(found) == {"PASSWORD"} and found["PASSWORD"][0] == 40
    assert "40 of 40" in found["PASSWORD"][1]


def test_hashed_password_column_is_password_hash(detector):
    body = "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"  # 53 chars: 22 salt + 31 hash
    hashes = ["$2b$12$" + f"{i:02d}" + body[2:] for i in range(30)]
    assert set(verdicts(detector, column("password", hashes))) == {"PASSWORD_HASH"}


def test_passport_column_is_not_a_password(detector, faker):
    found = verdicts(detector, column("Passport", [faker.bothify("##??#####").upper() for _ in range(30)]))
    assert "PASSWORD" not in found and "PASSPORT" in found


def test_full_time_flag_is_not_a_person(detector, faker):
    assert verdicts(detector, column("FULL_TIME", [faker.random_element(["Y", "N"]) for _ in range(50)])) == {}


def test_salary_is_salary_not_date_of_birth(detector, faker):
    found = verdicts(detector, column("salary", [f"{faker.random_int(30000, 150000)}.00" for _ in range(50)]))
    assert set(found) == {"SALARY"}


def test_date_of_birth_column_needs_dates(detector, faker):
    dates = [faker.date_of_birth().isoformat() for _ in range(30)]
    assert set(verdicts(detector, column("date_naissance", dates))) == {"DATE_OF_BIRTH"}
    amounts = [str(faker.random_int(1000, 9000)) for _ in range(30)]
    assert verdicts(detector, column("dob", amounts)) == {}


def test_matricule_column_of_valid_numbers_is_lu_national_id(detector, faker):
    found = verdicts(detector, column("matricule", matricules(faker, 40)))
    assert set(found) == {"LU_NATIONAL_ID"} and "40 of 40" in found["LU_NATIONAL_ID"][1]


def test_staff_matricule_column_is_not_a_national_id(detector, faker):
    assert verdicts(detector, column("matricule", [f"E{faker.random_int(1000, 9999)}" for _ in range(30)])) == {}


def test_value_only_verdict_for_an_unnamed_email_column(detector, faker):
    found = verdicts(detector, column("contact", [faker.email() for _ in range(30)]))
    assert set(found) == {"EMAIL_ADDRESS"} and found["EMAIL_ADDRESS"][1].startswith("values: 30 of 30")


def test_mostly_non_matching_column_gives_no_value_verdict(detector, faker):
    values = [faker.email() for _ in range(5)] + [faker.word() for _ in range(45)]
    assert "EMAIL_ADDRESS" not in verdicts(detector, column("misc", values))


def test_free_text_notes_column_reports_health_mentions(detector, faker):
    values = [faker.sentence(nb_words=10) + (" Sick leave certificate received." if i % 10 == 0 else "")
              for i in range(40)]
    found = verdicts(detector, column("notes", values))
    assert found["HEALTH"][0] >= 4


def test_special_category_flag_column_counts_set_flags(detector):
    values = ["true", "false", "true", "false", "false"] * 6
    found = verdicts(detector, column("trade_union_member", values))
    assert found == {"TRADE_UNION": (12, found["TRADE_UNION"][1])}


def test_empty_and_null_values_give_no_verdict(detector):
    assert verdicts(detector, column("email", ["", "  ", ""])) == {}


def test_column_hits_hold_no_raw_values(detector, faker):
    values = [faker.email() for _ in range(10)]
    hits = detector.column_hits(column("email", values))
    assert hits and not any(v in (h.masked + h.fingerprint + (h.explanation or "")) for h in hits for v in values)


@pytest.mark.parametrize("values,expected", [
    (["Rock", "Jazz", "Metal", "Alternative & Punk", "Blues", "Latin", "Reggae", "Pop"], False),
    (["Widget 3000", "Cable USB-C", "Adapter", "Screen protector"], False),
    (["Anna Weber", "Jean Dupont", "Luís Gonçalves", "Maria Rossi"], True),
])
def test_bare_name_column_is_person_only_when_values_are_names(detector, values, expected):
    assert ("PERSON" in verdicts(detector, column("Name", values * 5))) is expected


@pytest.mark.parametrize("name,values,entity", [
    ("tel", ["621123456", "691234567", "26123456"] * 10, "PHONE_NUMBER"),
    ("IBAN", ["LU28 0019 4006 4475 0000", "DE89370400440532013000"] * 10, "IBAN_CODE"),
    ("client_ip", ["192.168.1.10", "10.0.0.7", "2001:db8::1"] * 10, "IP_ADDRESS"),
    ("Geburtsdatum", ["12.03.1985", "01.11.1979", "30.06.2001"] * 10, "DATE_OF_BIRTH"),
])
def test_named_columns_with_bare_values(detector, name, values, entity):
    assert entity in verdicts(detector, column(name, values))


# Look-alikes from real schemas (found by bench/database/accuracy.py): moments and amounts are neither
# login names nor phone numbers.
@pytest.mark.parametrize(
    "column, values, declared_type, must_not",
    [
        ("last_login", ["2024-03-01 10:22:13", "2023-11-30 08:01:00", "2025-01-02 17:45:59"] * 4, None, "USERNAME"),
        ("hire_date", ["2019-05-12", "2020-11-03", "2018-01-22", "2021-07-30"] * 3, None, "PHONE_NUMBER"),
        ("order_date", ["2019-05-12", "2020-11-03", "2018-01-22"] * 4, "DATE", "PHONE_NUMBER"),
        ("salary", ["4250.50", "3980.00", "5120.75", "6100.00"] * 3, "NUMERIC(10,2)", "PHONE_NUMBER"),
        ("amount", ["1 250,00", "980,50", "12 100,00"] * 4, None, "PHONE_NUMBER"),
    ],
)
def test_moments_and_amounts_are_not_people(detector, column, values, declared_type, must_not):
    sample = ColumnSample(location="t", field=column, values=tuple(values), declared_type=declared_type)
    assert must_not not in {h.entity for h in detector.column_hits(sample)}


def test_login_column_without_time_is_still_a_username(detector):
    sample = ColumnSample(location="t", field="login", values=("jdupont", "aweber", "mschmit", "lmuller"))
    assert "USERNAME" in {h.entity for h in detector.column_hits(sample)}


@pytest.mark.parametrize("name, temporal", [
    ("created_at", True), ("hire_date", True), ("last_login", True), ("geboren_am", True), ("Datum", True),
    ("first_name", False), ("last_name", False), ("login", False), ("date_of_birth", False), ("user_login", False),
])
def test_temporal_column_names(name: str, temporal: bool) -> None:
    from detectors.columns import is_temporal_column

    assert is_temporal_column(name) is temporal


@pytest.mark.parametrize(
    "column, values, expected",
    [
        ("position", ["Managing director", "System engineer", "Comptable", "Projektleiterin"] * 3, "JOB_TITLE"),
        ("poste", ["Développeuse", "Chef de projet", "Technicien réseau"] * 3, "JOB_TITLE"),
        ("order_ref", ["SO-2019-00042", "SO-2020-00107", "SO-2021-00003"] * 3, "ORDER_ID"),
        ("Bestellnummer", ["100234", "100235", "100236"] * 3, "ORDER_ID"),
    ],
)
def test_job_titles_and_order_references(detector, column, values, expected):
    sample = ColumnSample(location="t", field=column, values=tuple(values))
    assert expected in {h.entity for h in detector.column_hits(sample)}


@pytest.mark.parametrize(
    "column, values, reason",
    [
        ("position", ["1", "2", "3", "4"] * 3, "a sort order is not a job title"),
        ("gps_position", ["49.61,6.13", "49.60,6.12"] * 3, "coordinates are not a job title"),
        ("order_ref", ["n/a", "none", "tbd"] * 3, "placeholders carry no digits"),
    ],
)
def test_job_title_and_order_look_alikes(detector, column, values, reason):
    sample = ColumnSample(location="t", field=column, values=tuple(values))
    assert not {"JOB_TITLE", "ORDER_ID"} & {h.entity for h in detector.column_hits(sample)}, reason


def test_field_names_that_are_personal_data_become_column_n(detector, faker) -> None:
    from detectors.columns import safe_field

    email, phone = faker.email(), "+352 621 123 456"
    assert safe_field(email, 1, detector) == "column_1"
    assert safe_field(f"Sheet1!{phone}", 2, detector) == "Sheet1!column_2"
    assert email not in safe_field(f"people.{email}.phone", None, detector)
    for ordinary in ("email", "First Name", "Date of birth", "Customer ID", "Vorname", "Sheet1!Name", "LastName"):
        assert safe_field(ordinary, 3, detector) == ordinary


def test_column_sample_named_by_a_value_is_renamed_in_findings(detector, faker) -> None:
    email = faker.email()
    sample = ColumnSample("t.csv", email, tuple(faker.email() for _ in range(5)), position=2)
    findings = detector.detect([sample], "src")
    assert findings and {f.field for f in findings} == {"column_2"}
    assert not any(email in (f.explanation or "") for f in findings)


# -- issue 13 item 2: name tokens, value shapes, table subject ----------------------------------------
@pytest.mark.parametrize(("column", "entity"), [
    ("AddressType", None), ("address_type_code", None), ("phone_status", None), ("email_verified", None),
    ("address_line1", "STREET_ADDRESS"), ("middle_name", "PERSON"), ("MiddleInitial", "PERSON"), ("mi", "PERSON"),
    ("nom_jeune_fille", "PERSON"), ("Geburtsdatum", "DATE_OF_BIRTH"), ("web_address", "URL"),
    ("EMP_HIREDATE", "JOB_TITLE"), ("InsuranceID", "NATIONAL_ID"),
])
def test_name_is_read_token_wise(column, entity) -> None:
    assert name_entity(column) == entity


def _table(detector, table: str, columns: dict[str, list[str]]) -> dict[str, set[str]]:
    location = f"postgresql://db/app/public.{table}"
    samples = [ColumnSample(location, name, tuple(values), position=i + 1)
               for i, (name, values) in enumerate(columns.items())]
    found: dict[str, set[str]] = {name: set() for name in columns}
    for f in detector.detect(samples, "src"):
        found[f.field].add(f.entity)
    return found


def test_values_outside_the_happy_path_confirm_their_column(detector, faker) -> None:
    n = 12
    found = _table(detector, "clients", {
        "first_name": [faker.first_name() for _ in range(n)],
        "phone": [str(faker.random_number(digits=11, fix_len=True)) for _ in range(n)],
        "cell": [f"({faker.random_number(3, True):03d}){faker.random_number(3, True):03d}-"
                 f"{faker.random_number(4, True):04d}x{faker.random_number(3, True)}" for _ in range(n)],
        "home_phone": [f"1.{faker.random_number(3, True)}.555.{faker.random_number(4, True):04d}" for _ in range(n)],
        "email": [faker.user_name().upper() for _ in range(n)],
        "card_number": [f"4{faker.random_number(15, True):015d}" for _ in range(n)],
        "age": [str(faker.random_int(18, 90)) for _ in range(n)],
        "account": [f"corp\\{faker.user_name()}" for _ in range(n)],
    })
    assert found["phone"] == found["cell"] == found["home_phone"] == {"PHONE_NUMBER"}
    assert found["email"] == {"EMAIL_ADDRESS"}
    assert found["card_number"] == {"CREDIT_CARD"}
    assert found["age"] == {"AGE"}
    assert found["account"] == {"USERNAME"}


def test_the_table_subject_decides_row_dependent_columns(detector, faker) -> None:
    n = 10
    shared = {
        "name": [faker.first_name() for _ in range(n)],
        "date_of_birth": [faker.date_of_birth().isoformat() for _ in range(n)],
        "gender": [faker.random_element(["F", "M"]) for _ in range(n)],
    }
    pets = _table(detector, "Pets", shared)
    people = _table(detector, "Members", shared)
    assert pets == {"name": set(), "date_of_birth": set(), "gender": set()}
    assert people == {"name": {"PERSON"}, "date_of_birth": {"DATE_OF_BIRTH"}, "gender": {"GENDER"}}
    catalogue = {"job_title": [faker.job() for _ in range(n)],
                 "min_salary": [str(faker.random_int(20, 90) * 1000) for _ in range(n)]}
    assert _table(detector, "jobs", catalogue) == {"job_title": set(), "min_salary": set()}
    staff = _table(detector, "employees", {"last_name": [faker.last_name() for _ in range(n)], **catalogue})
    assert staff["job_title"] == {"JOB_TITLE"} and staff["min_salary"] == {"SALARY"}
    stores = _table(detector, "stores", {"store_address": [faker.street_address() for _ in range(n)],
                                         "store_phone": [faker.phone_number() for _ in range(n)]})
    assert stores == {"store_address": set(), "store_phone": set()}
    buildings = _table(detector, "buildings", {"building_manager": [faker.first_name() for _ in range(n)],
                                               "building_address": [faker.street_address() for _ in range(n)]})
    assert buildings == {"building_manager": {"PERSON"}, "building_address": {"STREET_ADDRESS"}}


def test_verdict_explains_name_values_and_subject(detector, faker) -> None:
    sample = ColumnSample("postgresql://db/app/public.customers", "email",
                          tuple(faker.email() for _ in range(6)), position=1)
    (finding,) = detector.detect([sample], "src")
    assert "name: column 'email'" in finding.explanation and "values: 6 of 6" in finding.explanation
    assert "table: person" in finding.explanation


def test_prose_about_things_keeps_no_ner_names(detector, faker) -> None:
    blurbs = tuple(f"{faker.name()} designed this {faker.word()} bike for long rides through {faker.city()}, "
                   f"light and sturdy." for _ in range(6))
    notes = tuple(f"Called {faker.name()} about the missed appointment; she lives in {faker.city()}."
                  for _ in range(6))
    products = detector.detect([ColumnSample("db/public.products", "description", blurbs, position=2)], "src")
    persons = detector.detect([ColumnSample("db/public.customers", "notes", notes, position=2)], "src")
    assert not {f.entity for f in products} & {"PERSON", "LOCATION"}
    assert "PERSON" in {f.entity for f in persons}


@pytest.mark.parametrize(("column", "entity"), [
    # a suffix after the entity word keeps the rule (no compound names listed one by one)
    ("zip_postcode", "POSTAL_CODE"), ("town_city", "CITY"), ("gender_mf", "GENDER"), ("login_name", "USERNAME"),
    ("commission_pct", "SALARY"), ("state_province_county", "LOCATION"), ("mobile_number", "PHONE_NUMBER"),
    ("role_code", "JOB_TITLE"), ("grade_code", "JOB_TITLE"), ("staff_job_code", "JOB_TITLE"),
    ("role_code_type", None),
])
def test_suffixed_names_keep_their_rule(column, entity) -> None:
    assert name_entity(column) == entity


def test_a_name_column_in_a_table_about_people_holds_names(detector, faker) -> None:
    n = 10
    people = _table(detector, "Tutors", {
        "family_name": [faker.last_name() for _ in range(n)],
        "known_as_name": [faker.first_name() for _ in range(n)],
        "company_name": [faker.last_name() + " " + faker.company_suffix() for _ in range(n)],
    })
    assert people["known_as_name"] == {"PERSON"}
    assert people["company_name"] == set()
    things = _table(detector, "products", {"short_name": [faker.first_name() for _ in range(n)]})
    assert things["short_name"] == set()


def test_a_special_title_over_people_marks_them_not_over_things(detector, faker) -> None:
    from scanner.models import TextSample

    n = 8

    def findings(title: str, columns: dict[str, list[str]]) -> set[tuple[str, str]]:
        location = "file:///share/list.xlsx"
        samples = [TextSample(location, "Sheet1!(title)", title, caption=True)]
        samples += [ColumnSample(location, f"Sheet1!{name}", tuple(v), position=i + 1)
                    for i, (name, v) in enumerate(columns.items())]
        return {(f.field, f.entity) for f in detector.detect(samples, "src")}

    members = findings("Gewerkschaftsmitglieder 2024", {"Name": [faker.name() for _ in range(n)],
                                                        "Email": [faker.email() for _ in range(n)]})
    assert ("Sheet1!(title)", "TRADE_UNION") in members
    goods = findings("Syndicat shop price list", {"Item": [faker.word() for _ in range(n)],
                                                  "Price": [str(faker.random_int(1, 90)) for _ in range(n)]})
    assert goods == set()  # the title names the category, but no person is listed below it


def _plot(faker) -> str:
    """Generated prose about a thing: capitalised roles and places NER takes for people and locations."""
    return (f"A {faker.word().title()} Drama of a {faker.job().title()} And a Mad {faker.word().title()} who must "
            f"Chase a {faker.job().title()} in {faker.city()}")


def test_prose_judged_by_independent_person_signals(detector, faker) -> None:
    n = 8
    plots = [_plot(faker) for _ in range(n)]
    notes = [f"Mrs {faker.last_name()} called about her order; she lives in {faker.city()} with her husband."
             for _ in range(n)]
    found = _table(detector, "export", {"summary": plots, "notes": notes})
    assert not found["summary"] & {"PERSON", "LOCATION", "NRP"}  # no table subject, no person signal
    assert "PERSON" in found["notes"]
    films = _table(detector, "films", {"summary": plots, "notes": notes})
    assert not (films["summary"] | films["notes"]) & {"PERSON", "LOCATION", "NRP"}  # prose about things


def test_prose_keeps_identifiers_whatever_it_is_about(detector, faker) -> None:
    blurbs = [f"{_plot(faker)}. Press contact: {faker.email()}" for _ in range(6)]
    found = _table(detector, "films", {"description": blurbs})
    assert found["description"] == {"EMAIL_ADDRESS"}


@pytest.mark.parametrize("table", ["languages", "films", "export"])
def test_language_names_are_not_people(detector, table) -> None:
    languages = ["English", "Italian", "Japanese", "Mandarin", "French", "German", "Spanish", "Portuguese"]
    found = _table(detector, table, {"name": languages, "language": languages, "original_language": languages})
    assert found == {"name": set(), "language": set(), "original_language": set()}


def test_first_person_posts_are_prose_about_people(detector, faker) -> None:
    posts = [f"{faker.random_element(['Today I', 'I just', 'My friend and I'])} visited {faker.city()} with "
             f"{faker.first_name()}, {faker.sentence(nb_words=4).lower()}" for _ in range(8)]
    found = _table(detector, "posts", {"body": posts})
    assert found["body"] & {"PERSON", "LOCATION"}


def test_district_of_an_address_is_a_location_not_in_a_lookup(detector, faker) -> None:
    n = 8
    districts = [faker.state() for _ in range(n)]
    addresses = _table(detector, "address", {"address": [faker.street_address() for _ in range(n)],
                                             "district": districts})
    assert addresses["district"] == {"LOCATION"}
    assert _table(detector, "sales_regions", {"district": districts}) == {"district": set()}


def test_a_sites_district_is_not_its_managers(detector, faker) -> None:
    n = 8
    found = _table(detector, "shop", {"manager_name": [faker.name() for _ in range(n)],
                                      "district": [faker.state() for _ in range(n)]})
    assert found == {"manager_name": {"PERSON"}, "district": set()}
