"""TLS detection against a private PostgreSQL started with ssl=on (the machine's own server has ssl off).

The server runs as the `postgres` system user from a temporary data directory on a free loopback port, with
a throw-away self-signed certificate, and is stopped afterwards.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scan_helpers import scan_uri

pytestmark = pytest.mark.server
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tls_postgres():
    if os.geteuid() != 0 or not (PG_BIN / "initdb").exists() or not shutil.which("openssl"):
        pytest.skip("needs root (to run postgres as its own user), PostgreSQL 15 server binaries and openssl")
    user = pwd.getpwnam("postgres")
    root = Path(tempfile.mkdtemp(prefix="ps-tls-pg-"))
    data = root / "data"
    os.chown(root, user.pw_uid, user.pw_gid)
    run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-new", "-x509", "-days", "1", "-nodes", "-subj", "/CN=localhost",
                    "-keyout", str(data / "server.key"), "-out", str(data / "server.crt")],
                   check=True, capture_output=True)
    for name in ("server.key", "server.crt"):
        os.chown(data / name, user.pw_uid, user.pw_gid)
    os.chmod(data / "server.key", 0o600)
    port = _free_port()
    server = subprocess.Popen(
        [*run_as, str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(root),
         "-c", "listen_addresses=127.0.0.1", "-c", "ssl=on", "-c", "fsync=off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    try:
        for _ in range(100):
            try:
                engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
                with engine.connect() as conn:
                    conn.execute(text("CREATE TABLE accounts (id int PRIMARY KEY, email text)"))
                    conn.execute(text("INSERT INTO accounts VALUES (1, 'a@example.com'), (2, 'b@example.com')"))
                engine.dispose()
                break
            except Exception:  # noqa: BLE001 - still starting
                time.sleep(0.1)
        else:
            pytest.fail("private PostgreSQL did not start")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("sslmode, encrypted", [("require", True), ("disable", False), ("prefer", True)])
def test_transport_encrypted_fact_follows_the_connection(tls_postgres, sslmode, encrypted):
    _, samples, outcomes = scan_uri(f"{tls_postgres}?sslmode={sslmode}", options={"tables": "accounts"})
    assert [o.facts.transport_encrypted for o in outcomes] == [encrypted]
    assert {s.field for s in samples} == {"id", "email"}
    assert all("sslmode" not in o.item.location for o in outcomes)
