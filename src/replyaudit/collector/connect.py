"""Opens the IMAP connection: TLS, credentials from the environment or a command, login."""

from __future__ import annotations

import base64
import logging
import os
import signal
import socket
import ssl
import subprocess
from collections.abc import Callable

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from replyaudit.config import MailboxSettings
from replyaudit.errors import CollectorError, ConfigError, Problem
from replyaudit.logs import register_secret

log = logging.getLogger(__name__)

Connector = Callable[[MailboxSettings], IMAPClient]
# Seconds a password_command or oauth2_token_command has to print the secret.
SECRET_COMMAND_TIMEOUT = 60


def _secret_problem(setting: str, expected: str, found: str, fix: str) -> ConfigError:
    """A password or token command that fails is a settings problem (exit 2), not the server's."""
    return ConfigError(
        "[mailbox]", [Problem(f"[mailbox] {setting}", expected, found, fix)]
    )


def _run_secret_command(command: str, setting: str) -> str:
    """The first line a password or token command prints (run by the shell, as mbsync does).

    The command runs in a session of its own: on timeout its whole process group is
    killed, so nothing it started (a `sleep`, a password manager waiting for a PIN)
    outlives the scan and piles up under cron.
    """
    limit = SECRET_COMMAND_TIMEOUT
    try:
        process = subprocess.Popen(
            command,
            shell=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise _secret_problem(
            setting,
            "a command printing the secret",
            f"it failed to start ({exc.strerror or exc})",
            f"run it by hand and correct {setting}",
        ) from None
    try:
        stdout, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise _secret_problem(
            setting,
            f"a command printing the secret within {limit:g} s",
            f"it still running after {limit:g} s (stopped, with every process it started)",
            f"run it by hand: it must print the secret and exit without waiting for input "
            f"(unlock the password manager or agent first), then correct {setting}",
        ) from None
    done = subprocess.CompletedProcess(command, process.returncode, stdout)
    if done.returncode != 0:
        raise _secret_problem(
            setting,
            "exit status 0",
            str(done.returncode),
            f"run the command by hand and correct {setting}",
        )
    secret = done.stdout.decode("utf-8", "replace").strip().splitlines()
    if not secret or not secret[0].strip():
        raise _secret_problem(
            setting,
            "the secret on the first line of its output",
            "nothing",
            f"correct {setting}",
        )
    return secret[0].strip()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the command's process group (its session), then reap the shell."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # the group ended on its own meanwhile
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def read_secret(mailbox: MailboxSettings) -> str:
    """The password or OAuth2 token; registered for redaction before anything logs."""
    if mailbox.auth == "oauth2":
        if not mailbox.oauth2_token_command:
            raise ConfigError(
                "[mailbox]",
                [
                    Problem(
                        "[mailbox] oauth2_token_command",
                        'a command printing an access token with auth = "oauth2"',
                        "none",
                        "set oauth2_token_command (e.g. oama access <user>)",
                    )
                ],
            )
        secret = _run_secret_command(
            mailbox.oauth2_token_command, "oauth2_token_command"
        )
    elif mailbox.password_command:
        secret = _run_secret_command(mailbox.password_command, "password_command")
    else:
        secret = os.environ.get(mailbox.password_env, "")
        if not secret:
            raise ConfigError(
                "[mailbox]",
                [
                    Problem(
                        "[mailbox] password_env",
                        f"the password in the environment variable ${mailbox.password_env}",
                        "it unset or empty",
                        f"export {mailbox.password_env}=..., or set password_command",
                    )
                ],
            )
    register_secret(secret)
    register_secret(secret.replace("\\", "\\\\").replace('"', '\\"'))
    if mailbox.auth == "oauth2":
        blob = f"user={mailbox.username}\x01auth=Bearer {secret}\x01\x01".encode()
        register_secret(base64.b64encode(blob).decode())
    return secret


def _where(mailbox: MailboxSettings) -> str:
    return f"{mailbox.host}:{mailbox.effective_port} ({mailbox.security})"


def _tls_context(mailbox: MailboxSettings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if mailbox.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(mailbox.ca_file))
        except (OSError, ssl.SSLError) as exc:
            raise CollectorError(
                f"[mailbox] ca_file: expected a readable PEM certificate, found {mailbox.ca_file} "
                f"({exc}). Fix: correct ca_file"
            ) from None
    return context


def connect(mailbox: MailboxSettings) -> IMAPClient:
    """Connect over TLS (or plain when allowed), log in, and return the client."""
    if not mailbox.host:
        raise ConfigError(
            "[mailbox]",
            [
                Problem(
                    "[mailbox] host",
                    "the IMAP server's host name",
                    "none",
                    "set host in the settings file",
                )
            ],
        )
    secret = read_secret(mailbox)
    where = _where(mailbox)
    try:
        client = _open(mailbox)
    except ssl.SSLCertVerificationError as exc:
        raise CollectorError(
            f"{where}: expected a certificate that verifies, found {exc.verify_message}. "
            "Fix: set [mailbox] ca_file to the authority that signed it, or correct [mailbox] host"
        ) from None
    except ssl.SSLError as exc:
        raise CollectorError(
            f"{where}: expected a TLS handshake, found {exc.reason or exc}. "
            "Fix: check [mailbox] security and port (993 is imaps, 143 is starttls)"
        ) from None
    except (socket.gaierror, ConnectionError, TimeoutError, OSError) as exc:
        hint = "check [mailbox] host and port, and the network"
        if isinstance(exc, TimeoutError) and mailbox.security == "starttls":
            # An IMAPS port waits for a TLS hello and never greets a STARTTLS client.
            hint += '; a server that accepts the connection but stays silent is often an IMAPS port: try security = "imaps"'
        raise CollectorError(
            f"{where}: expected an IMAP server, found it unreachable ({exc.strerror or exc}). "
            f"Fix: {hint}"
        ) from None
    except IMAPClientError as exc:
        raise CollectorError(
            f"{where}: expected an IMAP greeting, found {exc}. Fix: check [mailbox] port"
        ) from None
    try:
        if mailbox.auth == "oauth2":
            client.oauth2_login(mailbox.username, secret)
        else:
            client.login(mailbox.username, secret)
    except LoginError:
        _close(client)
        if mailbox.auth == "oauth2":
            raise CollectorError(
                f"{where}: the server refused the OAuth2 token for {mailbox.username!r} (expired or "
                "wrong scope). Fix: check [mailbox] oauth2_token_command prints a fresh token, and username"
            ) from None
        source = (
            "password_command"
            if mailbox.password_command
            else f"${mailbox.password_env} (password_env)"
        )
        raise CollectorError(
            f"{where}: the server refused the login of {mailbox.username!r}. "
            f"Fix: check [mailbox] username and the password given by {source}"
        ) from None
    except (IMAPClientError, OSError) as exc:
        _close(client)
        raise CollectorError(
            f"{where}: login failed: {exc}. Fix: check [mailbox] auth and username"
        ) from None
    log.info("connected to %s as %s", where, mailbox.username)
    return client


def _open(mailbox: MailboxSettings) -> IMAPClient:
    timeout = mailbox.timeout_seconds
    if mailbox.security == "imaps":
        client = IMAPClient(
            mailbox.host,
            port=mailbox.effective_port,
            ssl=True,
            ssl_context=_tls_context(mailbox),
            timeout=timeout,
        )
    else:
        client = IMAPClient(
            mailbox.host, port=mailbox.effective_port, ssl=False, timeout=timeout
        )
        if mailbox.security == "starttls":
            if b"STARTTLS" not in client.capabilities():
                _close(client)
                raise CollectorError(
                    f"{_where(mailbox)}: expected the STARTTLS capability, found none. "
                    'Fix: use security = "imaps" (port 993)'
                )
            client.starttls(_tls_context(mailbox))
        else:
            log.warning(
                "%s: plain-text IMAP (allow_insecure = true): the password crosses the network "
                "unencrypted; use this for a local test server only",
                _where(mailbox),
            )
    client.normalise_times = False  # keep INTERNALDATE timezone-aware
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail in many ways
        try:
            client.shutdown()
        except Exception as exc:  # noqa: BLE001
            log.debug("closing the IMAP connection failed: %s", exc)
