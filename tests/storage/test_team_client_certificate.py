"""A team member logs in with a client certificate and no password (docs/team-server.md, "Logging in with a
certificate"): on a throwaway PostgreSQL cluster of its own with TLS on, a certificate authority of the team, the
server's certificate and one for the member, and `hostssl … cert` in pg_hba.conf. Without the certificate, or
without TLS, the server refuses the login and the app says so in plain words.

Skips with the reason when the PostgreSQL server binaries or openssl are not on the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from app.services import appraisals, characterize, team_server
from app.services.errors import KnownError
from app.storage.schema import ChangeLog
from tests.storage.conftest import as_login

BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")])
OPENSSL = shutil.which("openssl")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not BIN, reason="PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed"),
    pytest.mark.skipif(OPENSSL is None, reason="openssl is not installed: no certificates to make"),
]

MEMBER = "morgan"
SECURITY_CELL = characterize.CellKey("SM", "SM", "ESG1", "ESP1.1", "Quotes")


@dataclass(frozen=True)
class TlsServer:
    admin: str
    """The administrator's URL (trust on loopback, as the CI throwaway server)."""
    folder: Path

    def member_url(self, database: str, *params: str) -> str:
        return as_login(self.admin.replace("/postgres", f"/{database}"), MEMBER) + ("?" + "&".join(params))


def _openssl(folder: Path, *args: str) -> None:
    assert OPENSSL is not None
    subprocess.run([OPENSSL, *args], cwd=folder, check=True, capture_output=True)


def _certificate(folder: Path, name: str, subject: str, *extra: str) -> None:
    """A key and a certificate signed by the team's CA (folder/ca.crt)."""
    _openssl(
        folder, "req", "-new", "-nodes", "-subj", f"/CN={subject}", "-keyout", f"{name}.key", "-out", f"{name}.csr"
    )
    _openssl(
        folder, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-out", f"{name}.crt", *extra,
    )  # fmt: skip
    (folder / f"{name}.key").chmod(0o600)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    # Not under pytest's folder: the cluster runs as the postgres user, who may not enter root's private one.
    folder = Path(tempfile.mkdtemp(prefix="appraisal-tls-"))
    folder.chmod(0o755)
    _openssl(folder, "req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=Appraisal team CA",
             "-keyout", "ca.key", "-out", "ca.crt")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _certificate(folder, "server", "127.0.0.1", "-extfile", "san.ext")
    _certificate(folder, MEMBER, MEMBER)  # the login is the certificate's CN
    bin_dir = BIN[-1]
    cluster = folder / "cluster"
    cluster.mkdir()
    if os.geteuid() == 0:
        shutil.chown(cluster, "postgres")
    data = cluster / "data"
    subprocess.run(_as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-U", "app", "--auth=trust"),
                   check=True, capture_output=True)  # fmt: skip
    for name in ("server.crt", "server.key", "ca.crt"):
        shutil.copy(folder / name, data / name)
        if os.geteuid() == 0:
            shutil.chown(data / name, "postgres")
    (data / "server.key").chmod(0o600)
    hba = data / "pg_hba.conf"
    # First match wins: the member logs in over TLS with a certificate only, never otherwise.
    hba.write_text(f"hostssl all {MEMBER} 127.0.0.1/32 cert\nhost all {MEMBER} 127.0.0.1/32 reject\n" + hba.read_text())
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {cluster} -c ssl=on -c ssl_cert_file=server.crt " \
        "-c ssl_key_file=server.key -c ssl_ca_file=ca.crt"  # fmt: skip
    pg_ctl = str(bin_dir / "pg_ctl")
    subprocess.run(_as_postgres(pg_ctl, "-D", str(data), "-o", options, "-l", str(cluster / "log"), "-w", "start"),
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield TlsServer(f"postgresql+psycopg://app@127.0.0.1:{port}/postgres", folder)
    finally:
        subprocess.run(_as_postgres(pg_ctl, "-D", str(data), "-m", "fast", "stop"), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_member_logs_in_with_a_client_certificate_and_no_password(tls_server: TlsServer, demo_file: Path) -> None:
    admin = create_engine(tls_server.admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "appraisal"'))
    admin.dispose()
    url = tls_server.admin.replace("/postgres", "/appraisal")
    team_server.push(demo_file, url)
    team_server.add_user(url, MEMBER, "member", "Security", None)  # --no-password
    folder = tls_server.folder
    with_certificate = tls_server.member_url(
        "appraisal",
        "sslmode=verify-full",
        f"sslrootcert={folder / 'ca.crt'}",
        f"sslcert={folder / f'{MEMBER}.crt'}",
        f"sslkey={folder / f'{MEMBER}.key'}",
    )

    ws = appraisals.open_appraisal(with_certificate)
    try:
        assert ws.who == MEMBER
        seen = characterize.get_cell(ws, SECURITY_CELL)
        characterize.set_cell(ws, SECURITY_CELL, replace(seen, notes="Checked with a certificate login"), expected=seen)
        with ws.uow() as uow:
            last = uow.session.scalars(select(ChangeLog.who).order_by(ChangeLog.id.desc()).limit(1)).one()
        assert last == MEMBER
    finally:
        ws.close()

    for refused in (
        tls_server.member_url("appraisal", "sslmode=require"),  # TLS, but no certificate: no password either
        tls_server.member_url("appraisal", "sslmode=disable"),
    ):
        with pytest.raises(KnownError) as caught:
            appraisals.open_appraisal(refused).close()
        assert str(caught.value).startswith("The database server refused the login")
