"""The review page's listening socket: the address checked and bound, each failure explained.

Werkzeug, left to bind by itself, prints a bare strerror ("Name or service not known") and
exits 1; binding here first turns every failure into a ServeError naming the option, what
was found and the fix, and Werkzeug then serves on the socket already bound.
"""

from __future__ import annotations

import errno
import os
import socket

from replyaudit.web.app import ServeError

EXAMPLES = "127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"


def check_host(host: str, option: str) -> None:
    """Refuse an empty or blank address, which would silently mean every interface."""
    if not host.strip():
        raise ServeError(
            f"{option}: expected an address to listen on such as {EXAMPLES}, found "
            f"an empty string. Fix: {_set(option, '127.0.0.1')}"
        )


def check_port(port: int, option: str) -> None:
    """Refuse a port outside 0-65535 (0 picks a free one)."""
    if not 0 <= port <= 65535:
        raise ServeError(
            f"{option}: expected a port from 0 to 65535 (0 picks a free one), found {port}. "
            f"Fix: {_set(option, '8765')}"
        )


def _set(option: str, value: str) -> str:
    return f"{option} {value}" if option.startswith("--") else f"{option} = {value}"


def listening_socket(
    host: str,
    port: int,
    host_option: str = "review.host",
    port_option: str = "review.port",
) -> socket.socket:
    """A TCP socket bound to host:port and listening; ServeError says why it cannot be."""
    check_host(host, host_option)
    check_port(port, port_option)
    # The same family Werkzeug picks for a host, so it can adopt the socket as is.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        infos = socket.getaddrinfo(
            host, port, family, socket.SOCK_STREAM, socket.IPPROTO_TCP
        )
    except (socket.gaierror, UnicodeError) as exc:
        found = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise ServeError(
            f"{host_option} {host}: expected an address of this machine or a name that "
            f"resolves to one, such as {EXAMPLES}, found a name that does not resolve "
            f"({found}). Fix: check the spelling, or {_set(host_option, '127.0.0.1')}"
        ) from None
    try:
        return socket.create_server(infos[0][4], family=family)
    except OSError as exc:
        raise ServeError(
            _bind_problem(exc, host, port, host_option, port_option)
        ) from None


def _bind_problem(
    exc: OSError, host: str, port: int, host_option: str, port_option: str
) -> str:
    # create_server appends the address to strerror; the options already name it.
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.errno == errno.EADDRINUSE:
        return (
            f"{port_option} {port}: expected a free port on {host}, found it already in use "
            f"by another program ({reason}). Fix: stop that program, or choose another "
            "port (serve --port 0 picks a free one)"
        )
    if exc.errno == errno.EACCES:
        return (
            f"{port_option} {port}: expected a port this user may listen on, found "
            f"permission denied (ports below 1024 need administrator rights). "
            f"Fix: {_set(port_option, '8765')}"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"{host_option} {host}: expected an address of one of this machine's network "
            f"interfaces, such as {EXAMPLES}, found one it does not have ({reason}). "
            f"Fix: {_set(host_option, '127.0.0.1')}, or the address shown by 'ip address'"
        )
    return (
        f"{host_option} {host}, {port_option} {port}: expected an address and port to "
        f"listen on, found {reason}. Fix: {_set(host_option, '127.0.0.1')} "
        "and --port 0 to pick a free port"
    )
