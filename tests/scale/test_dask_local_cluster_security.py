"""Issue 10 item 8: the LocalCluster policyscan starts is loopback-only, keeps its dashboard on loopback and refuses a
plain, unauthenticated Client (workers hold credentials and the fingerprint key)."""

from __future__ import annotations

import pytest

from scanner.engines.dask_engine import DaskEngine

pytestmark = [pytest.mark.slow]


def test_local_cluster_refuses_a_plain_client() -> None:
    from distributed import Client

    engine = DaskEngine(1, None)
    client, cluster = engine._connect()
    try:
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        dashboard = cluster.scheduler.services.get("dashboard")
        if dashboard is not None:  # loopback only (or off)
            assert {sock.getsockname()[0] for sock in dashboard._sockets.values()} == {"127.0.0.1"}
        _, _, hostport = address.partition("://")
        with pytest.raises(Exception):  # noqa: B017 - any refusal: TLS handshake, timeout, wrong protocol
            Client(f"tcp://{hostport}", timeout="3s").close()
        with pytest.raises(Exception):  # noqa: B017
            Client(address, timeout="3s").close()  # tls:// without the certificate
        assert client.submit(lambda: 42).result(timeout=30) == 42  # the scan's own client works
    finally:
        client.close()
        cluster.close()
