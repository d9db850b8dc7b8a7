"""Real servers on this machine for the connector tests.

- `secret_service`: a private D-Bus session bus with gnome-keyring-daemon on it, unlocked with a
  test password, so keyring talks to a real Secret Service and never to the developer's own vault.
- `oidc_server`: oidc-provider (tests/servers/oidc) under Node on 127.0.0.1 over TLS.

Both FAIL, never skip, when their programs are missing: `scripts/install.sh --dev` installs them.
Both live for this package only, so later tests (the GUI's) never see the private bus.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import select
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import pytest
import secretstorage
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.servers.processes import stop

ROOT = Path(__file__).resolve().parents[2]
OIDC_DIR = ROOT / "tests" / "servers" / "oidc"
INSTALL_HINT = "run `bash scripts/install.sh --dev` (it installs the test servers)"
KEYRING_PASSWORD = b"testpass"
# A session bus without service activation: otherwise the first probe would have D-Bus start a
# second, locked gnome-keyring-daemon before ours has claimed the name.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is missing: {INSTALL_HINT}", pytrace=False)
    return path


@pytest.fixture(scope="package")
def secret_service(tmp_path_factory) -> Iterator[str]:
    """A Secret Service that keyring finds by itself; yields the bus address."""
    dbus_daemon = _require("dbus-daemon")
    keyring_daemon = _require("gnome-keyring-daemon")
    home = tmp_path_factory.mktemp("keyring-home")
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    config = home / "bus.conf"
    config.write_text(BUS_CONFIG.format(folder=home))
    bus = subprocess.Popen(
        [dbus_daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    daemon: subprocess.Popen | None = None
    try:
        ready, _, _ = select.select([bus.stdout], [], [], 20)
        address = bus.stdout.readline().strip() if ready else ""
        if not address:
            pytest.fail("dbus-daemon did not start", pytrace=False)
        env = {
            **os.environ,
            "DBUS_SESSION_BUS_ADDRESS": address,
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_RUNTIME_DIR": str(runtime),
        }
        env.pop("DISPLAY", None)
        with (home / "gnome-keyring.log").open("wb") as log_file:
            daemon = subprocess.Popen(
                [keyring_daemon, "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
                env=env,
            )
        daemon.stdin.write(KEYRING_PASSWORD)
        daemon.stdin.close()
        _wait_for_unlocked_collection(address, daemon, home)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
            _redetect_keyring()
            yield address
        _redetect_keyring()
    finally:
        if daemon is not None:
            stop(daemon)
        stop(bus)


def _redetect_keyring() -> None:
    """Lets keyring choose its backend itself, as on a user's computer; its list of usable
    backends is cached at first use, so it is cleared first."""
    if hasattr(keyring.backend.get_all_keyring, "saved_result"):
        keyring.backend.get_all_keyring.reset()
    keyring.core.init_backend()


def _wait_for_unlocked_collection(address: str, daemon: subprocess.Popen, home: Path) -> None:
    deadline = time.monotonic() + 20
    previous = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    try:
        while time.monotonic() < deadline:
            if daemon.poll() is not None:
                break
            try:
                with secretstorage.dbus_init() as connection:
                    if secretstorage.check_service_availability(connection):
                        collection = secretstorage.get_default_collection(connection)
                        if not collection.is_locked():
                            return
            except secretstorage.exceptions.SecretStorageException:
                pass
            time.sleep(0.05)
    finally:
        if previous is None:
            del os.environ["DBUS_SESSION_BUS_ADDRESS"]
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = previous
    log = (home / "gnome-keyring.log").read_text(errors="replace")[-2000:]
    pytest.fail(f"gnome-keyring-daemon did not offer an unlocked vault:\n{log}", pytrace=False)


@dataclass(frozen=True)
class OidcServer:
    issuer: str
    ca_bundle: str  # the server's self-signed certificate, for requests' `verify`
    fixed_port: int  # the one port the confidential client's redirect URI allows
    public_client_id: str = "postwijs-native"
    short_lived_client_id: str = "postwijs-kort"  # public; its access tokens live 1 s
    confidential_client_id: str = "postwijs-vast"
    confidential_client_secret: str = "een-lang-klantgeheim-voor-de-test-0123456789"

    @property
    def authorize_url(self) -> str:
        return f"{self.issuer}/auth"

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/token"

    @property
    def revoke_url(self) -> str:
        return f"{self.issuer}/token/revocation"

    @property
    def userinfo_url(self) -> str:
        return f"{self.issuer}/me"

    @property
    def requests_url(self) -> str:
        return f"{self.issuer}/test/requests"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@pytest.fixture(scope="package")
def oidc_server(tmp_path_factory) -> Iterator[OidcServer]:
    node = _require("node")
    if not (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").is_file():
        pytest.fail(f"the npm package oidc-provider is missing: {INSTALL_HINT}", pytrace=False)
    folder = tmp_path_factory.mktemp("oidc")
    key_path, cert_path = _self_signed_certificate(folder)
    fixed_port = _free_port()
    server = OidcServer(issuer="", ca_bundle=str(cert_path), fixed_port=fixed_port)
    native = {
        # Like X's Native App: public, PKCE only, any loopback port (RFC 8252 7.3).
        "application_type": "native",
        "token_endpoint_auth_method": "none",
        "redirect_uris": ["http://127.0.0.1/callback"],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    }
    clients = [
        {"client_id": server.public_client_id, **native},
        {"client_id": server.short_lived_client_id, **native},
        {
            # Like a Mastodon app: confidential, one exact redirect URI with its port.
            "client_id": server.confidential_client_id,
            "client_secret": server.confidential_client_secret,
            "application_type": "web",
            "token_endpoint_auth_method": "client_secret_basic",
            "redirect_uris": [f"http://127.0.0.1:{fixed_port}/callback"],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        },
    ]
    log_path = folder / "server.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [node, str(OIDC_DIR / "server.js")],
            cwd=OIDC_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
            env={
                **os.environ,
                "OIDC_TLS_KEY": str(key_path),
                "OIDC_TLS_CERT": str(cert_path),
                "OIDC_CLIENTS": json.dumps(clients),
                "OIDC_SHORT_LIVED_CLIENT": server.short_lived_client_id,
                "NODE_ENV": "production",
            },
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""
        if not line:
            stop(process)
            pytest.fail(
                "the oidc test server did not start:\n" + log_path.read_text(errors="replace"),
                pytrace=False,
            )
        issuer = json.loads(line)["issuer"]
        yield OidcServer(issuer=issuer, ca_bundle=str(cert_path), fixed_port=fixed_port)
    finally:
        stop(process)
