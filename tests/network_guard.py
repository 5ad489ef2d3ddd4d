"""The no-network guarantee, kept proved in the test session: an audit hook (installed by
tests/conftest.py before any test module is imported) records every operation by which Python
reaches for the network, and an autouse fixture fails the test during which one happened.

Sijill never opens a socket (tests/test_offline.py runs the app and the commands in a child under
the same kind of hook; the self-test has its own). Nothing in the suite needs one either: Qt's
offscreen platform and pytest-qt open none. Local sockets (AF_UNIX) are recorded too: none is
expected, and one would be worth a look."""
from __future__ import annotations

import sys

import pytest

NETWORK_EVENTS = frozenset({
    "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
})
seen: list[tuple[str, str]] = []  # (event, its arguments, shortened), in the order they happened
_installed = False


def _hook(event: str, args: tuple) -> None:
    if event in NETWORK_EVENTS:
        seen.append((event, repr(args[1:] if event.startswith("socket.") and event != "socket.getaddrinfo"
                                 else args)[:200]))


def install() -> None:
    """Install the hook once (audit hooks cannot be removed: they last as long as the process)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def mark() -> int:
    return len(seen)


def check_since(start: int, what: str = "this test") -> None:
    """Fail (pytest.fail) if a network operation was recorded since `start`, naming it."""
    events = seen[start:]
    if events:
        listed = "; ".join(f"{name}{args}" for name, args in events[:5])
        pytest.fail(f"{what} reached for the network ({len(events)} operation(s): {listed}); "
                    "Sijill and its tests must work offline", pytrace=False)
