"""S3 backend (`s3://bucket/prefix`) over s3fs; works with AWS and S3-compatible servers (MinIO, moto).

Source options (from the config entry; values may be `${ENV}` references): `endpoint_url`, `key`,
`secret`, `token`, `anon`, `s3_region` (else the source's `region` when it names a cloud region such as
`eu-west-1`), `acl` (default true). Without `key`/`secret` the usual AWS chain
(environment, profile, instance role) applies.

Exposure `public_bucket` is set when the object is readable anonymously: the object's ACL grants READ to
AllUsers or AuthenticatedUsers, or the bucket's ACL does, or the bucket policy allows `s3:GetObject` to
principal `*` — unless the bucket's public access block ignores/restricts that. Bucket facts are read once;
object ACLs cost one request per listed object (`acl: false` skips both).
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import replace
from datetime import timezone
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

from scanner.errors import SourceError
from scanner.models import EXPOSURE_PUBLIC_BUCKET, SourceSpec

from connectors.fs_backend import Entry

_PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",
                  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def acl_is_public(acl: dict[str, Any]) -> bool:
    for grant in acl.get("Grants", []):
        grantee = grant.get("Grantee", {})
        if grantee.get("URI") in _PUBLIC_GROUPS and grant.get("Permission") in ("READ", "FULL_CONTROL"):
            return True
    return False


def policy_public_prefixes(policy_text: str, bucket: str) -> list[str]:
    """Key globs that the bucket policy lets anyone read (Allow, principal `*`, s3:GetObject or broader)."""
    try:
        policy = json.loads(policy_text)
    except json.JSONDecodeError:
        return []
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    globs: list[str] = []
    for st in statements:
        if st.get("Effect") != "Allow" or st.get("Condition"):
            continue
        principal = st.get("Principal")
        if not (principal == "*" or (isinstance(principal, dict) and principal.get("AWS") in ("*", ["*"]))):
            continue
        actions = st.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("s3:GetObject", "s3:*", "*") or fnmatch.fnmatchcase("s3:GetObject", a) for a in actions):
            continue
        resources = st.get("Resource", [])
        for res in [resources] if isinstance(resources, str) else resources:
            prefix = f"arn:aws:s3:::{bucket}/"
            if res.startswith(prefix):
                globs.append(res[len(prefix):])
            elif res in ("*", f"arn:aws:s3:::{bucket}*"):
                globs.append("*")
    return globs


class S3Backend:
    def __init__(self, spec: SourceSpec) -> None:
        parts = urlsplit(spec.uri)
        self.bucket = parts.hostname or parts.netloc
        if not self.bucket:
            raise SourceError(f"S3 URI needs a bucket: {spec.display}")
        self.prefix = parts.path.strip("/")
        self.options = dict(spec.options)
        region = self.options.get("s3_region") or (spec.region.lower() if spec.region and "-" in spec.region else None)
        self.region = str(region) if region else None
        self.acl = bool(self.options.get("acl", True))
        self.display = spec.display
        self._fs = None
        self._bucket_public: bool | None = None
        self._policy_globs: list[str] = []
        self.acl_objects = True  # off when the public access block makes object ACLs irrelevant

    def _connect(self):
        if self._fs is None:
            import s3fs

            opts = self.options
            client_kwargs: dict[str, Any] = {}
            if self.region:
                client_kwargs["region_name"] = self.region
            self._fs = s3fs.S3FileSystem(
                key=opts.get("key"), secret=opts.get("secret"), token=opts.get("token"),
                anon=bool(opts.get("anon", False)), endpoint_url=opts.get("endpoint_url"),
                client_kwargs=client_kwargs, skip_instance_cache=True,
                config_kwargs={"connect_timeout": 15, "read_timeout": 60, "retries": {"max_attempts": 2}},
            )
        return self._fs

    def _path(self, key: str = "") -> str:
        return f"{self.bucket}/{key}" if key else self.bucket

    def root(self) -> Entry:
        fs = self._connect()
        path = self._path(self.prefix)
        try:
            info = fs.info(path)
        except FileNotFoundError as exc:
            raise SourceError(f"bucket or prefix does not exist ({self.display})") from exc
        except PermissionError as exc:
            raise SourceError(f"access denied to bucket ({self.display})") from exc
        except Exception as exc:  # noqa: BLE001 - botocore/aiohttp errors; their text may hold the endpoint
            raise SourceError(f"cannot reach S3: {type(exc).__name__} ({self.display})") from exc
        if self.acl:
            self._read_bucket_exposure()
        if info.get("type") == "directory":
            return Entry(path, self.prefix.rsplit("/", 1)[-1] or self.bucket, "dir")
        return self._entry(info)

    def _read_bucket_exposure(self) -> None:
        fs = self._connect()
        block: dict[str, Any] = {}
        try:
            block = fs.call_s3("get_public_access_block", Bucket=self.bucket).get("PublicAccessBlockConfiguration", {})
        except Exception:  # noqa: BLE001 - no block configured (or not allowed to read it)
            block = {}
        try:
            self._bucket_public = acl_is_public(fs.call_s3("get_bucket_acl", Bucket=self.bucket))
        except Exception:  # noqa: BLE001
            self._bucket_public = None
        if block.get("IgnorePublicAcls"):
            self._bucket_public = False
            self.acl_objects = False
        try:
            policy = fs.call_s3("get_bucket_policy", Bucket=self.bucket).get("Policy", "")
            self._policy_globs = [] if block.get("RestrictPublicBuckets") else policy_public_prefixes(policy, self.bucket)
        except Exception:  # noqa: BLE001 - no policy
            self._policy_globs = []

    def _entry(self, info: dict[str, Any]) -> Entry:
        name = info["name"]
        mtime = info.get("LastModified")
        if mtime is not None and mtime.tzinfo is None:
            mtime = mtime.replace(tzinfo=timezone.utc)
        etag = str(info.get("ETag") or "").strip('"') or None
        return Entry(name, name.rsplit("/", 1)[-1], "file", size=info.get("size"), mtime=mtime,
                     version=f"etag:{etag}" if etag else None)

    def list_dir(self, path: str) -> list[Entry]:
        entries = []
        for info in self._connect().ls(path, detail=True, refresh=True):
            if info.get("type") == "directory":
                name = info["name"].rstrip("/")
                entries.append(Entry(name, name.rsplit("/", 1)[-1], "dir"))
            else:
                entries.append(self._entry(info))
        return entries

    def describe(self, entry: Entry) -> Entry:
        if not self.acl:
            return entry
        key = entry.path.split("/", 1)[1] if "/" in entry.path else ""
        public = bool(self._bucket_public) or any(fnmatch.fnmatchcase(key, g) for g in self._policy_globs)
        owner = None
        if self.acl_objects:
            try:
                acl = self._connect().call_s3("get_object_acl", Bucket=self.bucket, Key=key)
                public = public or acl_is_public(acl)
                owner = acl.get("Owner", {}).get("DisplayName") or acl.get("Owner", {}).get("ID")
            except Exception:  # noqa: BLE001 - not allowed to read the ACL: exposure stays as the bucket says
                pass
        return replace(entry, owner=owner, exposure=EXPOSURE_PUBLIC_BUCKET if public else None)

    def open(self, path: str) -> BinaryIO:
        return self._connect().open(path, "rb", block_size=1 << 20, cache_type="readahead")

    def location(self, path: str) -> str:
        return f"s3://{quote(path, safe='/')}"

    def current_version(self, path: str) -> str | None:
        fs = self._connect()
        try:
            fs.invalidate_cache(path)
            return self._entry(fs.info(path)).version
        except FileNotFoundError:
            return "vanished"
        except Exception:  # noqa: BLE001 - cannot tell: say nothing rather than a false "changed"
            return None

    def close(self) -> None:
        self._fs = None
