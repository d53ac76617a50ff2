"""Item locations and error messages never carry credentials, whatever the protocol."""

from __future__ import annotations

import pytest

from connectors.filesystem import make_backend
from scanner.config import make_source
from scanner.errors import SourceError

SECRET = "pa:ss/w@rd"


@pytest.mark.parametrize("uri,options,path,expected", [
    ("smb://fileserver:4455/hr", {"user": "scanner", "password": SECRET}, "hr/cv 2024.docx",
     "smb://fileserver:4455/hr/cv%202024.docx"),
    ("smb://fileserver/hr", {"user": "DOM\\scanner", "password": SECRET}, "hr/a.csv", "smb://fileserver:445/hr/a.csv"),
    ("sftp://drop.example.lu/incoming", {"user": "scanner", "password": SECRET}, "/incoming/a.csv",
     "sftp://scanner@drop.example.lu:22/incoming/a.csv"),
    ("s3://bucket/prefix", {"key": "AKIA", "secret": SECRET}, "bucket/prefix/a b.csv", "s3://bucket/prefix/a%20b.csv"),
    ("/srv/share", {}, "/srv/share/a!b.csv", "file:///srv/share/a%21b.csv"),
])
def test_locations_are_credential_free(uri, options, path, expected):
    spec = make_source(uri, options=options)
    backend = make_backend(spec)
    location = backend.location(path)
    assert location == expected
    assert SECRET not in location and "pa%3Ass" not in location
    assert SECRET not in spec.display


def test_unreachable_smb_server_error_names_no_password():
    spec = make_source("smb://127.0.0.1:1/share", options={"user": "scanner", "password": SECRET})
    backend = make_backend(spec)
    with pytest.raises(SourceError) as info:
        backend.root()
    assert SECRET not in str(info.value) and "pa%3Ass" not in str(info.value)
    assert "cannot connect to SMB server" in str(info.value)


def test_sftp_without_known_hosts_refuses_before_connecting(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    spec = make_source("sftp://scanner@127.0.0.1:1/x", options={"password": SECRET})
    with pytest.raises(SourceError, match="known_hosts"):
        make_backend(spec).root()


def test_server_address_parses_the_uri_and_never_shows_the_password():
    from connectors.fs_backend import server_address

    spec = make_source("sftp://scanner@drop.example.lu:2222/in%20box", options={"password": SECRET})
    address = server_address(spec, "SFTP", default_port=22)
    assert (address.host, address.port, address.username, address.password) == \
        ("drop.example.lu", 2222, "scanner", SECRET)
    assert address.path == "/in%20box"  # still encoded: each backend splits it its own way first
    assert SECRET not in repr(address) and "pa%3Ass" not in repr(address)


def test_a_server_uri_without_a_host_is_an_unusable_source():
    from connectors.fs_backend import server_address

    spec = make_source("smb:///share", options={"password": SECRET})
    with pytest.raises(SourceError, match="SMB URI needs a host") as info:
        server_address(spec, "SMB", default_port=445)
    assert SECRET not in str(info.value)
