"""``ca_bundle`` and ``proxy`` (docs/network.md) from Python: a local TLS server
with the static test certificates of ``tests/tls`` in front of the emulator,
and a recording proxy on loopback. Both settings also come from ``from_env``
(``LP_CA_BUNDLE``/``SSL_CERT_FILE``, ``LP_PROXY``)."""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import pytest

import lpconfig
from lpconfig.testing import Emulator

TLS = Path(__file__).resolve().parents[2] / "tests" / "tls"
CA = TLS / "ca.pem"
OTHER_CA = TLS / "other-ca.pem"
NO_RETRY = lpconfig.RetryPolicy.none()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class TlsFront:
    """HTTPS on 127.0.0.1 with ``tests/tls/server.pem``, each connection
    decrypted and forwarded to the emulator; counts completed handshakes."""

    def __init__(self, backend: Tuple[str, int]) -> None:
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(TLS / "server.pem", TLS / "server-key.pem")
        self.backend = backend
        self.handshakes = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            tls = self.ctx.wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError):
            conn.close()  # the client refused our certificate
            return
        self.handshakes += 1
        plain = socket.create_connection(self.backend)
        threading.Thread(target=_pump, args=(plain, tls), daemon=True).start()
        _pump(tls, plain)

    def close(self) -> None:
        self.sock.close()


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records each request line and answers 502."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                head = b""
                while b"\r\n\r\n" not in head and (chunk := conn.recv(4096)):
                    head += chunk
                self.lines.append(head.split(b"\r\n", 1)[0].decode("latin-1"))
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def front(emu: Emulator) -> Iterator[TlsFront]:
    port = int(emu.url.rsplit(":", 1)[1])
    f = TlsFront(("127.0.0.1", port))
    yield f
    f.close()


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    p = RecordingProxy()
    yield p
    p.close()


def test_the_right_ca_bundle_is_trusted(emu: Emulator, front: TlsFront) -> None:
    url = f"https://localhost:{front.port}"
    with lpconfig.Client(
        emu.account, emu.credentials(), csds_url=url, retry=NO_RETRY, proxy="none", ca_bundle=CA
    ) as c:
        assert len(c.users.list().value) == 20
    assert front.handshakes >= 1, "CSDS went over TLS"


@pytest.mark.parametrize("bundle", [None, OTHER_CA])
def test_a_wrong_or_missing_ca_bundle_fails_at_once_naming_the_fix(
    emu: Emulator, front: TlsFront, bundle: Optional[Path]
) -> None:
    # Retries are on (fast): a certificate error must still be tried only once.
    c = lpconfig.Client(
        emu.account,
        emu.credentials(),
        csds_url=f"https://localhost:{front.port}",
        retry_delays=[0.001] * 3,
        proxy="none",
        ca_bundle=bundle,
    )
    with pytest.raises(lpconfig.TransportError) as info:
        c.users.list()
    assert info.value.attempts == 1
    for needed in ("not trusted", "ca_bundle", "LP_CA_BUNDLE", "SSL_CERT_FILE"):
        assert needed in str(info.value), str(info.value)
    assert front.handshakes == 0


def test_an_unreadable_ca_bundle_is_a_config_error_naming_it() -> None:
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client("demo", lpconfig.Bearer("t"), ca_bundle="/nonexistent/corp-ca.pem")
    assert info.value.field == "ca_bundle"
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client("demo", lpconfig.Bearer("t"), proxy="proxy.corp:3128")
    assert info.value.field == "proxy"
    with pytest.raises(TypeError, match="proxy"):
        lpconfig.Client("demo", lpconfig.Bearer("t"), proxy=3128)  # type: ignore[arg-type]


def test_a_proxied_host_gets_only_a_connect_and_loopback_goes_direct(
    emu: Emulator, proxy: RecordingProxy
) -> None:
    c = lpconfig.Client(
        emu.account, emu.credentials(), csds_url="https://lp.test", retry=NO_RETRY, proxy=proxy.url
    )
    with pytest.raises(lpconfig.TransportError):
        c.users.list()
    assert proxy.lines == ["CONNECT lp.test:443 HTTP/1.1"]
    # The emulator is on loopback: never proxied, even with the proxy set.
    with lpconfig.Client(
        emu.account, emu.credentials(), csds_url=emu.url, retry=NO_RETRY, proxy=proxy.url
    ) as d:
        assert d.users.list().value
    assert len(proxy.lines) == 1


def test_from_env_reads_ca_bundle_proxy_and_timing(
    emu: Emulator, front: TlsFront, proxy: RecordingProxy
) -> None:
    env = {"LP_ACCOUNT": emu.account, "LP_USERNAME": "admin", "LP_PASSWORD": "demo-password-1"}
    tls = {**env, "LP_CSDS_URL": f"https://localhost:{front.port}", "LP_PROXY": "none"}
    with lpconfig.Client.from_env({**tls, "SSL_CERT_FILE": str(CA)}) as c:
        assert c.users.list().value
    with lpconfig.Client.from_env({**tls, "LP_CA_BUNDLE": str(OTHER_CA), "SSL_CERT_FILE": str(CA)}) as c:
        with pytest.raises(lpconfig.TransportError):
            c.users.list()  # LP_CA_BUNDLE wins over SSL_CERT_FILE
    via = {**env, "LP_CSDS_URL": "https://lp.test", "LP_PROXY": proxy.url, "LP_RETRY_DELAYS": "none"}
    with pytest.raises(lpconfig.TransportError):
        lpconfig.Client.from_env(via).users.list()
    assert proxy.lines == ["CONNECT lp.test:443 HTTP/1.1"]
