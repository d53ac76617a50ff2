"""The same small estate scanned locally and through real SMB, SFTP and S3 servers gives the same items,
samples and statuses; exposure and owner come from each protocol's own permission model."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from connector_helpers import ScanRecord, scan
from format_corpus import _docx, people
from scanner.config import make_source
from scanner.limits import Limits
from scanner.models import EXPOSURE_PUBLIC_BUCKET, EXPOSURE_SMB_EVERYONE, EXPOSURE_WORLD_READABLE, TextSample
from servers import moto_s3, samba, sshd

pytestmark = [pytest.mark.server, pytest.mark.slow]
LIMITS = Limits(isolate_parsers=False)


def _estate(root: Path) -> dict[str, bytes]:
    rows = people()
    csv_text = "name,email\n" + "".join(f"{r['name']},{r['email']}\n" for r in rows)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("data.csv", csv_text)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
        zf.writestr("readme.txt", f"Owner: {rows[1]['name']}")
    files = {
        "customers.csv": csv_text.encode(),
        "hr/private_notes.txt": f"Sick leave: {rows[2]['name']}\n".encode(),
        "hr/cv.docx": _docx(rows, rows[3]["name"]),
        "backup/old.zip": outer.getvalue(),
        "people.json": ('[{"name": "%s", "email": "%s"}]' % (rows[0]["name"], rows[0]["email"])).encode(),
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        path.chmod(0o644)
    (root / "hr/private_notes.txt").chmod(0o600)
    return files


def normalised(rec: ScanRecord, root: str) -> tuple[set, set]:
    """Rows and samples with the protocol-specific root cut off, values order-insensitive."""
    def rel(location: str) -> str:
        assert location.startswith(root), (location, root)
        return location[len(root):].lstrip("/")

    rows = {(rel(loc), status, reason) for loc, (status, reason) in rec.rows.items()}
    samples = {(rel(s.location), s.field, s.text if isinstance(s, TextSample) else tuple(sorted(s.values)))
               for s in rec.samples}
    return rows, samples


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    root = tmp_path_factory.mktemp("estate")
    _estate(root)
    return root


@pytest.fixture(scope="module")
def local_scan(estate):
    return scan(str(estate), LIMITS)


@pytest.fixture(scope="module")
def smb_server(estate, tmp_path_factory):
    with samba(estate, tmp_path_factory.mktemp("samba")) as server:
        yield server


@pytest.fixture(scope="module")
def ssh_server(tmp_path_factory):
    with sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture(scope="module")
def s3_bucket(estate):
    import boto3

    with moto_s3() as server:
        client = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id="test",
                              aws_secret_access_key="test", region_name="us-east-1")
        client.create_bucket(Bucket="estate-bucket")
        for path in sorted(p for p in estate.rglob("*") if p.is_file()):
            key = "estate/" + path.relative_to(estate).as_posix()
            client.put_object(Bucket="estate-bucket", Key=key, Body=path.read_bytes())
            if os.stat(path).st_mode & 0o004:
                client.put_object_acl(Bucket="estate-bucket", Key=key, ACL="public-read")
        yield server.endpoint


def _smb_scan(server) -> tuple[ScanRecord, str]:
    spec = make_source(f"smb://127.0.0.1:{server.port}/{server.share}",
                       options={"user": server.user, "password": server.password})
    assert server.password not in spec.display
    return scan(spec, LIMITS), f"smb://127.0.0.1:{server.port}/{server.share}"


def test_smb_matches_local(local_scan, estate, smb_server):
    rec, root = _smb_scan(smb_server)
    assert normalised(rec, root) == normalised(local_scan, estate.as_uri())
    assert not any(smb_server.password in loc for loc in rec.rows)
    local = {loc[len(estate.as_uri()):]: item for loc, item in local_scan.items.items()}
    for loc, item in rec.items.items():
        twin = local[loc[len(root):]]
        assert item.size_bytes == twin.size_bytes
        assert abs((item.modified - twin.modified).total_seconds()) < 1


def test_smb_exposure_from_the_security_descriptor(smb_server):
    rec, _root = _smb_scan(smb_server)
    items = {loc.rsplit("/", 1)[-1]: item for loc, item in rec.items.items()}
    assert items["customers.csv"].exposure == EXPOSURE_SMB_EVERYONE
    assert items["private_notes.txt"].exposure is None
    assert items["customers.csv"].owner and items["customers.csv"].owner.startswith("S-1-")


def test_smb_bad_password_is_a_source_error(smb_server):
    from scanner.errors import SourceError

    spec = make_source(f"smb://127.0.0.1:{smb_server.port}/{smb_server.share}",
                       options={"user": "root", "password": "wrong-password"})
    with pytest.raises(SourceError) as info:
        scan(spec, LIMITS)
    assert "wrong-password" not in str(info.value)


def test_sftp_matches_local(local_scan, estate, ssh_server):
    uri = f"sftp://{ssh_server.user}@127.0.0.1:{ssh_server.port}{estate}"
    spec = make_source(uri, options={"key_file": str(ssh_server.key_file), "known_hosts": str(ssh_server.known_hosts)})
    rec = scan(spec, LIMITS)
    assert normalised(rec, uri) == normalised(local_scan, estate.as_uri())
    exposures = {loc.rsplit("/", 1)[-1]: item.exposure for loc, item in rec.items.items()}
    assert exposures["customers.csv"] == EXPOSURE_WORLD_READABLE and exposures["private_notes.txt"] is None


def test_sftp_unknown_host_key_is_refused(estate, ssh_server, tmp_path):
    from scanner.errors import SourceError

    empty = tmp_path / "known_hosts"
    empty.write_text("")
    spec = make_source(f"sftp://root@127.0.0.1:{ssh_server.port}{estate}",
                       options={"key_file": str(ssh_server.key_file), "known_hosts": str(empty)})
    with pytest.raises(SourceError):
        scan(spec, LIMITS)


def test_s3_matches_local_and_reports_public_objects(local_scan, estate, s3_bucket):
    spec = make_source("s3://estate-bucket/estate", options={"endpoint_url": s3_bucket, "key": "test", "secret": "test"})
    rec = scan(spec, LIMITS)
    assert normalised(rec, "s3://estate-bucket/estate") == normalised(local_scan, estate.as_uri())
    exposures = {loc.rsplit("/", 1)[-1]: item.exposure for loc, item in rec.items.items()}
    assert exposures["customers.csv"] == EXPOSURE_PUBLIC_BUCKET and exposures["private_notes.txt"] is None
    assert all(item.version and item.version.startswith("etag:") for item in rec.items.values())


def test_s3_bucket_policy_makes_a_prefix_public(s3_bucket):
    import json

    import boto3

    client = boto3.client("s3", endpoint_url=s3_bucket, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
    client.create_bucket(Bucket="policy-bucket")
    client.put_object(Bucket="policy-bucket", Key="public/staff.csv", Body=b"name\nJo\n")
    client.put_object(Bucket="policy-bucket", Key="private/payroll.csv", Body=b"name\nAl\n")
    client.put_bucket_policy(Bucket="policy-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::policy-bucket/public/*"}]}))
    spec = make_source("s3://policy-bucket", options={"endpoint_url": s3_bucket, "key": "test", "secret": "test"})
    rec = scan(spec, LIMITS)
    exposures = {loc: item.exposure for loc, item in rec.items.items()}
    assert exposures == {"s3://policy-bucket/private/payroll.csv": None,
                         "s3://policy-bucket/public/staff.csv": EXPOSURE_PUBLIC_BUCKET}


def test_smb_acl_off_skips_security_descriptors(smb_server):
    spec = make_source(f"smb://127.0.0.1:{smb_server.port}/{smb_server.share}",
                       options={"user": smb_server.user, "password": smb_server.password, "acl": False})
    rec = scan(spec, LIMITS)
    assert rec.items and all(item.exposure is None and item.owner is None for item in rec.items.values())


def test_file_changed_while_read_is_flagged_over_smb_sftp_and_s3(estate, smb_server, ssh_server, s3_bucket):
    import time

    import boto3

    from connectors.base import open_connector
    from scanner.models import ItemOutcome

    target = estate / "changing.txt"
    target.write_text("before")
    target.chmod(0o644)
    try:
        specs = [
            make_source(f"smb://127.0.0.1:{smb_server.port}/{smb_server.share}",
                        options={"user": smb_server.user, "password": smb_server.password}),
            make_source(f"sftp://root@127.0.0.1:{ssh_server.port}{estate}",
                        options={"key_file": str(ssh_server.key_file), "known_hosts": str(ssh_server.known_hosts)}),
        ]
        client = boto3.client("s3", endpoint_url=s3_bucket, aws_access_key_id="test", aws_secret_access_key="test",
                              region_name="us-east-1")
        client.create_bucket(Bucket="changing-bucket")
        client.put_object(Bucket="changing-bucket", Key="changing.txt", Body=b"before")
        specs.append(make_source("s3://changing-bucket", options={"endpoint_url": s3_bucket, "key": "test",
                                                                  "secret": "test"}))
        connectors = [open_connector(spec, LIMITS) for spec in specs]
        items = [next(i for i in c.items() if i.location.endswith("changing.txt")) for c in connectors]
        time.sleep(0.05)
        target.write_text("after, and longer")
        client.put_object(Bucket="changing-bucket", Key="changing.txt", Body=b"after, and longer")
        from scanner.errors import ItemError

        for connector, item in zip(connectors, items):
            try:
                outcome = [e for e in connector.read(item) if isinstance(e, ItemOutcome)][-1]
                reason = outcome.reason or ""
            except ItemError as exc:  # s3fs notices the new ETag while reading
                reason = exc.reason
            assert reason.startswith("file changed while it was read"), (item.location, reason)
            connector.close()
    finally:
        target.unlink()


def test_sftp_password_login_matches_local(local_scan, estate, tmp_path_factory):
    from servers import asyncssh_sftp

    with asyncssh_sftp(estate, tmp_path_factory.mktemp("asyncssh")) as server:
        uri = f"sftp://127.0.0.1:{server.port}/"
        spec = make_source(uri, options={"user": server.user, "password": server.password,
                                         "known_hosts": str(server.known_hosts)})
        assert server.password not in spec.display
        rec = scan(spec, LIMITS)
    root = f"sftp://{server.user}@127.0.0.1:{server.port}"
    assert normalised(rec, root) == normalised(local_scan, estate.as_uri())
    assert not any(server.password in loc for loc in rec.rows)


@pytest.mark.parametrize("kind", ["smb", "sftp"])
def test_hung_server_gives_an_error_row_not_a_hang(estate, tmp_path_factory, kind):
    """The server is frozen (SIGSTOP) after listing: the read must fail at the item's deadline, not hang."""
    import contextlib
    import signal
    import time

    from connectors.base import open_connector
    from scanner.errors import ItemError

    work = tmp_path_factory.mktemp(f"hung-{kind}")
    with (samba(estate, work) if kind == "smb" else sshd(work)) as server:
        if kind == "smb":
            spec = make_source(f"smb://127.0.0.1:{server.port}/{server.share}",
                               options={"user": server.user, "password": server.password})
        else:
            spec = make_source(f"sftp://root@127.0.0.1:{server.port}{estate}",
                               options={"key_file": str(server.key_file), "known_hosts": str(server.known_hosts)})
        connector = open_connector(spec, Limits(isolate_parsers=False, item_seconds=1.0))
        item = next(i for i in connector.items() if i.location.endswith("customers.csv"))
        frozen = [server.pid, *_children_of(server.pid)]  # sshd serves each connection from a child
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        begin = time.monotonic()
        try:
            with pytest.raises(ItemError, match="time limit"):
                list(connector.read(item))
        finally:
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        assert time.monotonic() - begin < 30
        connector.close()


def _children_of(pid: int) -> list[int]:
    from pathlib import Path as _Path

    found = []
    for status in _Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def test_hung_smb_server_during_listing_gives_a_folder_error_row(estate, tmp_path_factory):
    import contextlib
    import signal
    import time

    from connectors.filesystem import FileSystemConnector

    work = tmp_path_factory.mktemp("hung-list")
    with samba(estate, work) as server:
        spec = make_source(f"smb://127.0.0.1:{server.port}/{server.share}",
                           options={"user": server.user, "password": server.password, "acl": False,
                                    "timeout": 2})
        connector = FileSystemConnector(spec, Limits(item_seconds=1.0))
        listing = connector.items()
        first = next(listing)  # connected, root folder listed
        frozen = [server.pid, *_children_of(server.pid)]
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        begin = time.monotonic()
        try:
            rest = list(listing)
        finally:
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        assert time.monotonic() - begin < 30
        assert first.kind == "file"
        errors = [i.meta["error"] for i in rest if "error" in i.meta]
        assert errors and errors[0] == "cannot list folder: server stopped answering (connection reset)"
        connector.close()
