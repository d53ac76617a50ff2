"""SFTP backend (`sftp://user@host[:port]/path`) over sshfs (asyncssh).

Source options: `password` (folded into the URI by the config loader), `key_file` (a private key path),
`passphrase`, `known_hosts` (a known_hosts file; default `~/.ssh/known_hosts`; the string `none` turns
host-key checking off, which is only sane on loopback or in tests). Refusing an unknown host key by
default is deliberate: a scanner that hands a password to whoever answers on port 22 leaks it.

Exposure is the POSIX mode the server reports (o+r is `world_readable`), owner the numeric uid.
"""

from __future__ import annotations

import os
import stat

from datetime import timezone
from typing import Any, BinaryIO
from urllib.parse import quote, unquote

from scanner.errors import SourceError
from scanner.models import EXPOSURE_WORLD_READABLE, SourceSpec

from connectors.fs_backend import Entry, server_address


class SftpBackend:
    def __init__(self, spec: SourceSpec) -> None:
        address = server_address(spec, "SFTP", default_port=22)
        self.host, self.port, self.username = address.host, address.port, address.username
        self._password = address.password
        self.root_path = unquote(address.path) or "/"
        self.options = dict(spec.options)
        self.display = spec.display
        self._fs = None

    def _known_hosts(self) -> Any:
        value = self.options.get("known_hosts")
        if isinstance(value, str) and value.lower() == "none":
            return None
        path = os.path.expanduser(str(value or "~/.ssh/known_hosts"))
        if not os.path.exists(path):
            raise SourceError(f"cannot verify the SSH host key: known_hosts file not found; set the source "
                              f"option known_hosts ({self.display})")
        return path

    def _connect(self):
        if self._fs is None:
            from sshfs import SSHFileSystem

            kwargs: dict[str, Any] = {"port": self.port, "username": self.username,
                                      "known_hosts": self._known_hosts(), "timeout": 30}
            if self._password is not None:
                kwargs["password"] = self._password
            if self.options.get("key_file"):
                kwargs["client_keys"] = [os.path.expanduser(str(self.options["key_file"]))]
                if self.options.get("passphrase"):
                    kwargs["passphrase"] = str(self.options["passphrase"])
            else:
                kwargs.setdefault("client_keys", None)
            try:
                self._fs = SSHFileSystem(self.host, skip_instance_cache=True, **kwargs)
            except Exception as exc:  # noqa: BLE001 - asyncssh/OS errors; text may name the user and host only
                raise SourceError(f"cannot connect to SFTP server: {type(exc).__name__} ({self.display})") from exc
        return self._fs

    def root(self) -> Entry:
        fs = self._connect()
        try:
            info = fs.info(self.root_path)
        except FileNotFoundError as exc:
            raise SourceError(f"path does not exist on the server ({self.display})") from exc
        except Exception as exc:  # noqa: BLE001
            raise SourceError(f"cannot open SFTP path: {type(exc).__name__} ({self.display})") from exc
        if info["type"] == "directory":
            return Entry(self.root_path.rstrip("/") or "/", self.root_path.rstrip("/").rsplit("/", 1)[-1], "dir")
        return self._entry(self.root_path, info)

    def _entry(self, path: str, info: dict[str, Any]) -> Entry:
        mode = info.get("permissions") or 0
        mtime = info.get("mtime")
        if mtime is not None and mtime.tzinfo is None:
            mtime = mtime.replace(tzinfo=timezone.utc)
        return Entry(
            path, path.rsplit("/", 1)[-1], "file", size=info.get("size"), mtime=mtime,
            owner=str(info["uid"]) if info.get("uid") is not None else None,
            exposure=EXPOSURE_WORLD_READABLE if mode & stat.S_IROTH else None,
            version=f"{int(mtime.timestamp() * 1e6) if mtime else 0}:{info.get('size')}",
        )

    def list_dir(self, path: str) -> list[Entry]:
        fs = self._connect()
        entries = []
        for info in fs.ls(path, detail=True):
            child = info["name"].rstrip("/")
            name = child.rsplit("/", 1)[-1]
            kind = info.get("type")
            if kind == "link":
                try:
                    target = fs.info(child)  # stat follows the link
                except FileNotFoundError:
                    entries.append(Entry(child, name, "other", error="broken symbolic link"))
                    continue
                except OSError:
                    entries.append(Entry(child, name, "other", error="symbolic link loop or unreadable target"))
                    continue
                if target["type"] == "directory":
                    entries.append(Entry(child, name, "other", skip="symbolic link to a folder, not followed"))
                    continue
                info, kind = target, target["type"]
            if kind == "directory":
                entries.append(Entry(child, name, "dir"))
            elif kind == "file":
                entries.append(self._entry(child, info))
            else:
                entries.append(Entry(child, name, "other", skip="not a regular file (FIFO, socket or device)"))
        return entries

    def describe(self, entry: Entry) -> Entry:
        return entry

    def open(self, path: str) -> BinaryIO:
        return self._connect().open(path, "rb", block_size=1 << 20)

    def location(self, path: str) -> str:
        user = f"{quote(self.username, safe='')}@" if self.username else ""
        return f"sftp://{user}{self.host}:{self.port}{quote(path, safe='/')}"

    def current_version(self, path: str) -> str | None:
        try:
            info = self._connect().info(path)
        except FileNotFoundError:
            return "vanished"
        except Exception:  # noqa: BLE001 - cannot tell: say nothing rather than a false "changed"
            return None
        return self._entry(path, info).version

    def abort(self) -> None:
        """Abort the SSH connection from another thread (the connector's watchdog); the next call reconnects."""
        fs, self._fs = self._fs, None
        if fs is not None:
            try:
                fs.loop.call_soon_threadsafe(fs.client.abort)
            except Exception:  # noqa: BLE001 - already closed
                pass

    def close(self) -> None:
        fs, self._fs = self._fs, None
        if fs is not None:
            try:
                fs.client.close()
            except Exception:  # noqa: BLE001 - closing a dead connection
                pass


