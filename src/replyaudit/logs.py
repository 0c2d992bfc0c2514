"""Logging set-up: one readable line per unit of work on stderr, secrets redacted."""

from __future__ import annotations

import logging
import re
import sys

_SECRETS: set[str] = set()
# Wire-level credentials that must never be printed whatever their value.
_PATTERNS = [
    re.compile(r"(?i)(\bLOGIN\s+\S+\s+)(\"[^\"]*\"|\S+)"),
    re.compile(r"(?i)(\bAUTHENTICATE\s+\S+\s+)(\S+)"),
    re.compile(r"(?i)(password[\"']?\s*[:=]\s*[\"']?)([^\s\"',]+)"),
    re.compile(r"(?i)(auth=Bearer\s+)(\S+)"),
    re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]{8,})"),
]
REDACTED = "[redacted]"


def register_secret(value: str) -> None:
    """Remember a secret (password, token) so no log line ever shows it."""
    if value and len(value) >= 3:
        _SECRETS.add(value)


def redact(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites every record's final message with secrets replaced."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message or record.args:
            record.msg = clean
            record.args = None
        return True


def setup_logging(verbose: int = 0, stream=None) -> None:  # type: ignore[no-untyped-def]
    """Warnings by default, info with -v, debug with -vv; all through the redacting filter."""
    level = (
        logging.WARNING
        if verbose <= 0
        else logging.INFO
        if verbose == 1
        else logging.DEBUG
    )
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_replyaudit", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._replyaudit = True  # type: ignore[attr-defined]
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"
        )
    )
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # imapclient logs the wire at debug level; keep it, redacted, only at -vv.
    logging.getLogger("imapclient").setLevel(
        logging.DEBUG if verbose >= 2 else logging.WARNING
    )
    # It also warns, with the raw bytes, each time a server's text is not ASCII (a folder
    # named "Envoyés" in an error): replyaudit's own message names the folder instead.
    logging.getLogger("imapclient.util").setLevel(
        logging.DEBUG if verbose >= 2 else logging.ERROR
    )
