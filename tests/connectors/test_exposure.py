"""Exposure rules for each protocol's permission model, on crafted inputs (the servers are in test_protocols)."""

from __future__ import annotations

import json
import struct

import pytest

from connectors.fs_s3 import acl_is_public, policy_public_prefixes
from connectors.fs_smb import grants_broad_read, parse_security_descriptor


def _sid(text: str) -> bytes:
    parts = text.split("-")
    subs = [int(p) for p in parts[3:]]
    return bytes([int(parts[1]), len(subs)]) + int(parts[2]).to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)


def _sd(owner: str, aces: list[tuple[int, int, str]]) -> bytes:
    body = b""
    for ace_type, mask, sid in aces:
        raw_sid = _sid(sid)
        body += struct.pack("<BBHI", ace_type, 0, 8 + len(raw_sid), mask) + raw_sid
    acl = struct.pack("<BBHHH", 2, 0, 8 + len(body), len(aces), 0) + body
    owner_raw = _sid(owner)
    off_owner = 20
    off_dacl = off_owner + len(owner_raw)
    header = struct.pack("<BBHIIII", 1, 0, 0x8004, off_owner, 0, 0, off_dacl)
    return header + owner_raw + acl


@pytest.mark.parametrize("aces,expected", [
    ([(0, 0x001200A9, "S-1-1-0")], True),                                  # Everyone: read & execute
    ([(0, 0x001200A9, "S-1-5-11")], True),                                 # Authenticated Users
    ([(0, 0x80000000, "S-1-5-32-545")], True),                             # BUILTIN\Users, GENERIC_READ
    ([(0, 0x001F01FF, "S-1-5-21-1-2-3-1001")], False),                     # one named user only
    ([(1, 0x00000001, "S-1-1-0"), (0, 0x001200A9, "S-1-1-0")], False),     # deny first wins
    ([(0, 0x00000080, "S-1-1-0")], False),                                 # Everyone may only read attributes
    ([], False),
])
def test_smb_dacl_broad_read(aces, expected):
    owner, parsed = parse_security_descriptor(_sd("S-1-5-21-1-2-3-1001", aces))
    assert owner == "S-1-5-21-1-2-3-1001"
    assert grants_broad_read(parsed) is expected


@pytest.mark.parametrize("grants,expected", [
    ([{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}], True),
    ([{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"},
       "Permission": "FULL_CONTROL"}], True),
    ([{"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "WRITE_ACP"}], False),
    ([{"Grantee": {"Type": "CanonicalUser", "ID": "abc"}, "Permission": "FULL_CONTROL"}], False),
])
def test_s3_acl_public(grants, expected):
    assert acl_is_public({"Grants": grants}) is expected


@pytest.mark.parametrize("statement,globs", [
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/public/*"}, ["public/*"]),
    ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:*"], "Resource": "arn:aws:s3:::b/*"}, ["*"]),
    ({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"}, []),                                               # a named account
    ({"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, []),
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}, []),                    # conditional: not public
    ({"Effect": "Allow", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}, []),
])
def test_s3_bucket_policy_public_prefixes(statement, globs):
    assert policy_public_prefixes(json.dumps({"Statement": [statement]}), "b") == globs
