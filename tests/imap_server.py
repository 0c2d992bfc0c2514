"""A throwaway Dovecot on loopback for tests and benchmarks: IMAPS, STARTTLS, one user.

Usage:
    with DovecotServer.start() as server:
        server.append("INBOX", raw_bytes, internaldate)
        settings = server.mailbox_settings(security="imaps")

The instance lives in a temporary folder under /tmp (chmod 755: the dovecot user must
traverse it, which pytest's 0700 tmp_path forbids), runs in the foreground as a child
of the caller, and is terminated by stop(). Requires the dovecot-imapd package.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from imapclient import IMAPClient

USER = "shopper@example-shopper.fr"
PASSWORD = "s3cret-Passw0rd-for-tests"


def dovecot_available() -> bool:
    return shutil.which("dovecot") is not None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(
                f"dovecot exited with {process.returncode}: {text[-2000:]}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"dovecot did not listen on port {port} within 10 s")


_CONF = """\
instance_name = replyaudit-test-{tag}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_login_user = nobody
default_internal_user = nobody
default_internal_group = nogroup
login_trusted_networks =
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@dataclass
class DovecotServer:
    root: Path
    imap_port: int
    imaps_port: int
    process: subprocess.Popen[bytes]

    @property
    def cert(self) -> Path:
        return self.root / "cert.pem"

    @classmethod
    def start(cls) -> DovecotServer:
        root = Path(tempfile.mkdtemp(prefix="replyaudit-dovecot-", dir="/tmp"))
        os.chmod(root, 0o755)
        nobody = pwd.getpwnam("nobody")
        home = root / "home"
        (home / "Maildir").mkdir(parents=True)
        for path in (home, home / "Maildir"):
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
        (root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{nobody.pw_uid}:{nobody.pw_gid}::{home}::\n"
        )
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-keyout",
                str(root / "key.pem"),
                "-out",
                str(root / "cert.pem"),
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )
        imap_port, imaps_port = _free_port(), _free_port()
        conf = root / "dovecot.conf"
        conf.write_text(
            _CONF.format(
                root=root, tag=root.name, imap_port=imap_port, imaps_port=imaps_port
            )
        )
        process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        server = cls(root, imap_port, imaps_port, process)
        try:
            _wait_port(imap_port, process, root / "dovecot.log")
            _wait_port(imaps_port, process, root / "dovecot.log")
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def kill_sessions(self) -> None:
        """Cut every client connection: kill the imap worker processes of this instance only."""
        out = subprocess.run(
            ["pgrep", "-s", str(os.getpgid(self.process.pid)), "-x", "imap"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        for pid in out:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- client side --------------------------------------------------------

    def client(self) -> IMAPClient:
        context = ssl.create_default_context(cafile=str(self.cert))
        client = IMAPClient(
            "127.0.0.1", port=self.imaps_port, ssl=True, ssl_context=context
        )
        client.normalise_times = False
        client.login(USER, PASSWORD)
        return client

    def append(
        self,
        folder: str,
        raw: bytes,
        internaldate: datetime | None = None,
        flags: tuple[Any, ...] = (),
    ) -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw, flags=flags, msg_time=internaldate)

    def append_many(
        self, folder: str, messages: list[tuple[bytes, datetime | None]]
    ) -> None:
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for start in range(0, len(messages), 500):
                chunk = messages[start : start + 500]
                client.multiappend(
                    folder,
                    [
                        {"msg": raw, "date": when} if when else raw
                        for raw, when in chunk
                    ],
                )

    def recreate(self, folder: str) -> None:
        """Delete and create a folder again: Dovecot gives it a new UIDVALIDITY."""
        with self.client() as client:
            client.delete_folder(folder)
            client.create_folder(folder)

    def settings(self, security: str = "imaps", **extra: Any) -> dict[str, Any]:
        """A [mailbox] table for this server (the password travels by environment variable)."""
        port = {
            "imaps": self.imaps_port,
            "starttls": self.imap_port,
            "plain": self.imap_port,
        }[security]
        values: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": port,
            "security": security,
            "ca_file": str(self.cert),
            "username": USER,
            "password_env": "REPLYAUDIT_TEST_IMAP_PASSWORD",
            "timeout_seconds": 10.0,
        }
        if security == "plain":
            values["allow_insecure"] = True
        values.update(extra)
        return values


# -- a seeded campaign: the bundled corpus as a live mailbox --------------------------

SENT = "Sent"
REPLY_FOLDERS = ("INBOX", "Réponses concessions")
_INQUIRY_KEYS = (
    "dealer",
    "shopper",
    "topic",
    "question",
    "subject",
    "message_id",
    "wave",
)


def _toml_value(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def write_live_campaign(corpus: Path, target: Path) -> Path:
    """corpus/campaign.toml plus one [[inquiries]] per case (id = folder name, no sent_at)."""
    import tomllib

    lines = [(corpus / "campaign.toml").read_text(encoding="utf-8"), ""]
    for folder in sorted(p for p in (corpus / "cases").iterdir() if p.is_dir()):
        case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
        lines.append("[[inquiries]]")
        lines.append(f"id = {_toml_value(folder.name)}")
        for key in _INQUIRY_KEYS:
            if key in case:
                lines.append(f"{key} = {_toml_value(case[key])}")
        lines.append("")
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def corpus_messages(corpus: Path) -> dict[str, list[tuple[bytes, datetime | None]]]:
    """The corpus's messages by folder: each shopper's inquiry in Sent, replies spread over
    INBOX and a French-named folder; INTERNALDATE = the message's topmost Received date."""
    import tomllib

    from replyaudit.message import parse_message

    folders: dict[str, list[tuple[bytes, datetime | None]]] = {
        SENT: [],
        **{f: [] for f in REPLY_FOLDERS},
    }
    count = 0
    for case_dir in sorted(p for p in (corpus / "cases").iterdir() if p.is_dir()):
        shopper = tomllib.loads((case_dir / "case.toml").read_text(encoding="utf-8"))[
            "shopper"
        ].lower()
        for path in sorted(case_dir.glob("*.eml")):
            raw = path.read_bytes()
            try:
                parsed = parse_message(raw)
                arrival, sender = parsed.arrival, parsed.from_addr
            except Exception:  # noqa: BLE001 - an unparseable fixture still goes to the mailbox
                arrival, sender = None, ""
            if sender == shopper:
                folders[SENT].append((raw, arrival))
            else:
                folders[REPLY_FOLDERS[count % 2]].append((raw, arrival))
                count += 1
    return folders


def seed_corpus(
    server: DovecotServer, corpus: Path
) -> dict[str, list[tuple[bytes, datetime | None]]]:
    messages = corpus_messages(corpus)
    for folder, items in messages.items():
        server.append_many(folder, items)
    return messages


def write_settings(
    target: Path,
    server: DovecotServer,
    campaign: Path,
    data_dir: Path,
    security: str = "imaps",
    folders: tuple[str, ...] = REPLY_FOLDERS,
    sent_folder: str = SENT,
    **mailbox: Any,
) -> Path:
    """A settings TOML pointing at this server; the password comes from the environment."""
    values = server.settings(
        security, folders=list(folders), sent_folder=sent_folder, **mailbox
    )
    lines = [
        f"campaign = {_toml_value(str(campaign))}",
        "",
        "[storage]",
        f"data_dir = {_toml_value(str(data_dir))}",
        "",
        "[mailbox]",
    ]
    lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
