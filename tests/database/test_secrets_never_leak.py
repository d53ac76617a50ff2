"""Issue 10 item 1: a database password never reaches any output, state, log line or error message.

The passwords hold `/` and `#` (as a base64 password does a third of the time), which a `urlsplit`
redaction does not recognise as a password at all. Three sources in one scan: the password in the URL's
userinfo, the password as a `?password=` query parameter, and a wrong password to MariaDB so the
cannot-connect path (driver error text, `source unusable` log line, exit-2 message) runs too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from faker import Faker
from sqlalchemy import create_engine, text

from scanner.config import make_source

pytestmark = [pytest.mark.server, pytest.mark.slow]

PG_PASSWORD = "Sup3r/Secret#42"
MY_WRONG_PASSWORD = "Wr0ng/Secret#43"
SECRETS = (PG_PASSWORD, MY_WRONG_PASSWORD)
ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _forms(secret: str) -> list[bytes]:
    """Every spelling in which a secret could be written out: raw, percent-encoded, and its distinctive part."""
    return [secret.encode(), quote(secret, safe="").encode(), secret.split("/", 1)[1].encode()]


@pytest.fixture(scope="module")
def secret_pg_db():
    """A small synthetic table readable by a login whose password is PG_PASSWORD."""
    try:
        admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect():
            pass
    except Exception:  # noqa: BLE001
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    suffix = uuid.uuid4().hex[:8]
    name, role = f"ps_secret_{suffix}", f"ps_secret_reader_{suffix}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{PG_PASSWORD}'"))
    try:
        fake = Faker("fr_FR")
        fake.seed_instance(10)
        rows = [{"i": i, "n": fake.name(), "e": fake.email(), "p": fake.phone_number()} for i in range(30)]
        db = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", isolation_level="AUTOCOMMIT")
        with db.connect() as conn:
            conn.execute(text("CREATE TABLE customers (id int, full_name text, email text, phone text)"))
            conn.execute(text("INSERT INTO customers VALUES (:i, :n, :e, :p)"), rows)
            conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        db.dispose()
        yield name, role, [r["e"] for r in rows]
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()


def _all_bytes(*roots: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def test_no_database_password_in_any_output_state_or_log(secret_pg_db, tmp_path):
    name, role, emails = secret_pg_db
    config = tmp_path / "scan.yaml"
    config.write_text(
        "sources:\n"
        f"  - uri: postgresql://{role}:${{PG_PASSWORD}}@127.0.0.1:5432/{name}\n"
        f"  - uri: postgresql://{role}@127.0.0.1:5432/{name}?password=${{PG_PASSWORD}}&application_name=x\n"
        "  - uri: mysql://root:${MY_PASSWORD}@127.0.0.1:3306/mysql\n"
    )
    out, state_dir = tmp_path / "out", tmp_path / "state"
    state_dir.mkdir()
    env = {**os.environ, "PG_PASSWORD": PG_PASSWORD, "MY_PASSWORD": MY_WRONG_PASSWORD,
           "POLICYSCAN_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-m", "scanner.cli", "-vv", "scan", "--config", str(config), "--out", str(out),
         "--state", str(state_dir / "state.sqlite"), "--workers", "1", "--quiet"],
        capture_output=True, env=env, timeout=300, cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.returncode == 2, proc.stderr.decode(errors="replace")[-2000:]  # MariaDB source unusable
    stderr = proc.stderr.decode(errors="replace")
    assert "cannot connect" in stderr and "mysql://root:***@127.0.0.1:3306/mysql" in stderr
    files = _all_bytes(out, state_dir)
    assert {"report.html", "scan.json", "findings.parquet", "inventory.parquet"} <= {p.name for p in files}
    assert any(b"customers" in blob for p, blob in files.items() if p.name == "inventory.parquet")
    files[Path("<stdout>")] = proc.stdout
    files[Path("<stderr>")] = proc.stderr
    # -vv must not turn on SQLAlchemy's statement/row logging either: rows are personal data
    assert not [e for e in emails if e.encode() in proc.stderr], "sampled rows in the log"
    for path, blob in files.items():
        for secret in SECRETS:
            for form in _forms(secret):
                assert form not in blob, f"{form!r} in {path.name}"


@pytest.mark.parametrize("uri, shown", [
    ("postgresql://reader:Sup3r/Secret#42@db:5432/crm", "postgresql://reader:***@db:5432/crm"),
    ("postgresql://reader@db/crm?password=Sup3r/Secret#42&sslmode=require",
     "postgresql://reader@db/crm?sslmode=require"),
    ("postgresql://reader@db/crm?sslpassword=a&sslkey=/k&api_key=b&Access_Key=c&token=d&secret=e",
     "postgresql://reader@db/crm"),
    ("mysql://root:Wr0ng/Secret#43@127.0.0.1:3306/", "mysql://root:***@127.0.0.1:3306/"),
    ("smb://scanner:Sup3r/Secret#42@files/hr", "smb://scanner:***@files/hr"),
])
def test_display_forms_come_from_sqlalchemys_parse(uri, shown):
    spec = make_source(uri)
    assert spec.display == shown
    for secret in ("Sup3r", "Secret", "Wr0ng"):
        assert secret not in spec.display
