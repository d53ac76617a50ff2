"""What the demo estate holds: layout, permissions, ages, archives, database, config, planted cases."""

from __future__ import annotations

import ipaddress
import re
import sqlite3
import stat
import tarfile
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from scanner.config import load_config
from scanner.demo.world import AS_OF


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_estate_is_small_but_complete(demo_estate: Path) -> None:
    files = _files(demo_estate)
    assert 30 <= len(files) <= 60
    assert sum(p.stat().st_size for p in files) < 5 * 1024 * 1024
    for relative in ("share/sales/customers.csv", "share/sales/customers.xlsx", "crm.sqlite",
                     "backups/crm-2019.tar.gz", "backups/old-documents.zip", "share/public/staff-directory.csv",
                     "share/it/deploy/.env", "cloud-us/marketing/leads-2025.csv"):
        assert (demo_estate / relative).is_file(), relative
    cvs = list((demo_estate / "share/hr/applications").glob("CV_*"))
    assert {p.suffix for p in cvs} == {".docx", ".pdf"}
    assert len(list((demo_estate / "share/finance/invoices").iterdir())) >= 3


def test_only_the_staff_directory_is_world_readable(demo_estate: Path) -> None:
    readable = [p.relative_to(demo_estate).as_posix() for p in _files(demo_estate)
                if p.stat().st_mode & stat.S_IROTH]
    assert readable == ["share/public/staff-directory.csv"]
    assert stat.S_IMODE((demo_estate / readable[0]).stat().st_mode) == 0o644
    for path in _files(demo_estate):
        if path.name != "staff-directory.csv":
            assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    open_folders = {"", "share", "share/public"}
    for folder in [demo_estate, *(p for p in demo_estate.rglob("*") if p.is_dir())]:
        relative = folder.relative_to(demo_estate).as_posix().strip(".")
        expected = 0o755 if relative in open_folders else 0o750
        assert stat.S_IMODE(folder.stat().st_mode) == expected, relative


def test_archive_files_are_far_older_than_any_retention_period(demo_estate: Path) -> None:
    archived = _files(demo_estate / "share/archive")
    assert len(archived) >= 3
    for path in archived:
        year = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).year
        assert 2009 <= year <= 2012, path
    with zipfile.ZipFile(demo_estate / "backups/old-documents.zip") as archive:
        assert {info.date_time[0] for info in archive.infolist()} == {2012}
    recent = datetime.fromtimestamp((demo_estate / "share/sales/customers.csv").stat().st_mtime, tz=timezone.utc)
    assert recent.year == AS_OF.year


def test_backup_holds_a_sql_dump_of_the_crm(demo_estate: Path) -> None:
    with tarfile.open(demo_estate / "backups/crm-2019.tar.gz") as archive:
        assert archive.getnames() == ["crm.sql"]
        member = archive.getmember("crm.sql")
        dump = archive.extractfile(member).read().decode()
    assert datetime.fromtimestamp(member.mtime, tz=timezone.utc).year == 2019
    restored = sqlite3.connect(":memory:")
    restored.executescript(dump)
    live = sqlite3.connect(demo_estate / "crm.sqlite")
    dumped = {r[0] for r in restored.execute("SELECT email FROM customers")}
    current = {r[0] for r in live.execute("SELECT email FROM customers")}
    assert dumped and dumped < current  # the dump is the 2019 state: fewer customers, the same values
    assert max(r[0] for r in restored.execute("SELECT ordered_at FROM orders")) <= "2019-12-31"
    assert restored.execute("SELECT count(*) FROM employees WHERE matricule IS NOT NULL").fetchone()[0] > 0


def test_crm_database_has_every_planted_table(demo_estate: Path) -> None:
    conn = sqlite3.connect(demo_estate / "crm.sqlite")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"customers", "orders", "web_sessions", "employees", "app_users", "portal_accounts"}
    oldest = conn.execute("SELECT min(created_at) FROM customers").fetchone()[0]
    assert date.fromisoformat(oldest[:10]) < AS_OF.replace(year=AS_OF.year - 10)
    addresses = [ipaddress.ip_address(r[0]) for r in conn.execute("SELECT ip_address FROM web_sessions")]
    assert {a.version for a in addresses} == {4, 6}
    cookies = [r[0] for r in conn.execute("SELECT cookie_id FROM web_sessions")]
    assert len(set(cookies)) == len(cookies) and all(re.fullmatch(r"[0-9a-f-]{36}", c) for c in cookies)
    passwords = [r[0] for r in conn.execute("SELECT password FROM app_users")]
    assert passwords and not any(p.startswith(("pbkdf2", "$2")) for p in passwords)  # plaintext on purpose
    hashes = [r[0] for r in conn.execute("SELECT password_hash FROM portal_accounts")]
    assert hashes and all(h.startswith("pbkdf2_sha256$") for h in hashes)
    assert conn.execute("SELECT count(*) FROM orders WHERE order_ref NOT LIKE 'SO-____-_____'").fetchone()[0] == 0


def test_config_lists_the_four_sources_with_their_regions(demo_estate: Path) -> None:
    config = load_config(demo_estate / "policyscan.yaml", env={"POLICYSCAN_HMAC_KEY": "test-key-of-at-least-32-bytes-long"})
    regions = {Path(s.uri).relative_to(demo_estate.resolve()).as_posix(): s.region for s in config.sources}
    assert regions == {"share": "LU", "crm.sqlite": "LU", "backups": "LU", "cloud-us": "US"}
    assert all(Path(s.uri).exists() and s.scheme == "file" for s in config.sources)


def test_customers_are_copied_across_many_locations(estate_texts: dict[str, str], demo_estate: Path) -> None:
    conn = sqlite3.connect(demo_estate / "crm.sqlite")
    email, vat = conn.execute("SELECT email, vat_number FROM customers WHERE id = 1").fetchone()
    for value in (email, vat):
        holders = [name for name, text in estate_texts.items() if value in text]
        assert len(holders) >= 5, (value, holders)
    leads = estate_texts["cloud-us/marketing/leads-2025.csv"]
    assert sum(e in leads for (e,) in conn.execute("SELECT email FROM customers")) >= 5


def test_matricules_are_copied_across_hr_stores(estate_texts: dict[str, str], demo_estate: Path) -> None:
    conn = sqlite3.connect(demo_estate / "crm.sqlite")
    for (matricule,) in conn.execute("SELECT matricule FROM employees"):
        holders = [name for name, text in estate_texts.items() if matricule in text]
        assert len(holders) >= 3, (matricule, holders)


@pytest.mark.parametrize("folder, words", [
    ("share/hr/employees/sick-leave", ("arrêt maladie", "krankmeldung", "sick leave", "diagnos")),
    ("share/hr/employees/reviews", ("syndicat", "religieuse")),
    ("share/hr/applications/screening", ("casier judiciaire", "condamnation")),
])
def test_special_categories_are_planted(estate_texts: dict[str, str], folder: str, words: tuple[str, ...]) -> None:
    text = " ".join(t for name, t in estate_texts.items() if name.startswith(folder)).lower()
    assert text, folder
    for word in words:
        assert word in text, word


def test_secrets_file_holds_plaintext_credentials(estate_texts: dict[str, str]) -> None:
    env = estate_texts["share/it/deploy/.env"]
    assert re.search(r"^DB_PASSWORD=\S{8,}$", env, re.M) and re.search(r"^\w*API_TOKEN=[0-9a-f]{40}$", env, re.M)


HARMLESS = ("share/README.txt", "share/it/meeting-agenda-2025-05-14.md", "share/it/network-notes.txt",
            "share/sales/price-list-2025.csv")
PERSONAL_PATTERNS = {
    "e-mail": re.compile(r"[\w.-]+@[\w-]+\.\w+"),
    "phone": re.compile(r"\+\d{2,3}[ \d]{8,}"),
    "IBAN": re.compile(r"\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,}"),
    "13-digit number": re.compile(r"\b\d{13}\b"),
}


@pytest.mark.parametrize("relative", HARMLESS)
def test_harmless_files_hold_no_personal_data(estate_texts: dict[str, str], relative: str) -> None:
    text = estate_texts[relative]
    assert text.strip()
    for label, pattern in PERSONAL_PATTERNS.items():
        assert not pattern.search(text), (label, relative)
