"""Real servers on loopback for connector tests: Samba `smbd`, OpenSSH `sshd`, moto's S3 server.

Each starts on a free high port with its configuration under a temp dir and is stopped afterwards. The
Debian packages (samba, openssh-server) are listed in tools/apt-packages.txt; a missing binary skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen | None, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on port {port} within {seconds}s")


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session, and its children (smbd forks one per client)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclass(frozen=True)
class SambaServer:
    port: int
    user: str
    password: str
    share: str
    pid: int  # leader of the server's own process group


@contextlib.contextmanager
def samba(share_dir: Path, work: Path) -> Iterator[SambaServer]:
    smbd = shutil.which("smbd") or "/usr/sbin/smbd"
    smbpasswd = shutil.which("smbpasswd") or "/usr/bin/smbpasswd"
    if not os.path.exists(smbd) or not os.path.exists(smbpasswd):
        pytest.skip("samba is not installed (Debian package samba)")
    port = free_port()
    for sub in ("private", "lock", "state", "cache", "pid", "ncalrpc", "log"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    conf = work / "smb.conf"
    conf.write_text(f"""[global]
server role = standalone server
smb ports = {port}
interfaces = 127.0.0.1
bind interfaces only = yes
disable netbios = yes
private dir = {work}/private
lock directory = {work}/lock
state directory = {work}/state
cache directory = {work}/cache
pid directory = {work}/pid
ncalrpc dir = {work}/ncalrpc
log file = {work}/log/smbd.log
passdb backend = tdbsam:{work}/private/passdb.tdb
server min protocol = SMB2_10
load printers = no
printing = bsd
printcap name = /dev/null
disable spoolss = yes
map to guest = never
[estate]
path = {share_dir}
read only = yes
guest ok = no
""")
    password = "Sc4nner-test-pw"
    subprocess.run([smbpasswd, "-c", str(conf), "-a", "-s", "root"], input=f"{password}\n{password}\n",
                   text=True, check=True, capture_output=True, timeout=30)
    # own session: smbd signals its whole process group when it stops, which must not include pytest
    proc = subprocess.Popen([smbd, "--foreground", "--no-process-group", "-s", str(conf), "--debuglevel=0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_port(port, proc)
        yield SambaServer(port=port, user="root", password=password, share="estate", pid=proc.pid)
    finally:
        _stop(proc)


@dataclass(frozen=True)
class SshServer:
    port: int
    user: str
    key_file: Path
    known_hosts: Path
    pid: int  # the listening sshd (each connection is served by a child in its own session)


@contextlib.contextmanager
def sshd(work: Path) -> Iterator[SshServer]:
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.path.exists(binary) or not shutil.which("ssh-keygen"):
        pytest.skip("OpenSSH server is not installed (Debian package openssh-server)")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    host_key, client_key = work / "host_key", work / "client_key"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True, timeout=30)
    (work / "authorized_keys").write_text(Path(f"{client_key}.pub").read_text())
    public_host = Path(f"{host_key}.pub").read_text().split()
    known_hosts = work / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {public_host[0]} {public_host[1]}\n")
    conf = work / "sshd_config"
    conf.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {work}/sshd.pid
AuthorizedKeysFile {work}/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
""")
    Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # privilege separation directory sshd insists on
    proc = subprocess.Popen([binary, "-D", "-e", "-f", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for_port(port, proc)
        yield SshServer(port=port, user="root", key_file=client_key, known_hosts=known_hosts, pid=proc.pid)
    finally:
        _stop(proc)


@dataclass(frozen=True)
class S3Server:
    endpoint: str


@contextlib.contextmanager
def moto_s3() -> Iterator[S3Server]:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        pytest.skip("moto[server] is not installed")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        wait_for_port(port, None)
        yield S3Server(endpoint=f"http://127.0.0.1:{port}")
    finally:
        server.stop()


@dataclass(frozen=True)
class PasswordSftpServer:
    port: int
    user: str
    password: str
    known_hosts: Path


@contextlib.contextmanager
def asyncssh_sftp(root: Path, work: Path) -> Iterator[PasswordSftpServer]:
    """asyncssh's own SSH server with password authentication and an SFTP subsystem chrooted to `root`
    (OpenSSH cannot take a password for a throwaway account without touching the system's user database)."""
    import asyncio
    import threading

    import asyncssh

    work.mkdir(parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    port = free_port()
    user, password = "scanner", "Sftp-test-pw"
    known_hosts = work / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {key.export_public_key().decode().strip()}\n")

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username: str) -> bool:
            return True

        def password_auth_supported(self) -> bool:
            return True

        def validate_password(self, username: str, pw: str) -> bool:
            return username == user and pw == password

    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            holder["server"] = await asyncssh.listen(
                "127.0.0.1", port, server_host_keys=[key], server_factory=Server,
                sftp_factory=lambda chan: asyncssh.SFTPServer(chan, chroot=str(root).encode()))
            started.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(20):
        raise RuntimeError("asyncssh server did not start")
    try:
        yield PasswordSftpServer(port=port, user=user, password=password, known_hosts=known_hosts)
    finally:
        loop.call_soon_threadsafe(holder["server"].close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
