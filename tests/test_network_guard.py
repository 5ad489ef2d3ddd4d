"""The test session's no-network guard (tests/network_guard.py) sees a connection and fails the
test that made it. Nothing here reaches the network: a refused connection to a closed port on
this machine, and a name that is a numeric address, are enough to raise the audit events."""
from __future__ import annotations

import socket

import pytest

from tests import network_guard


def _closed_port() -> int:
    with socket.socket() as s:  # bind to port 0 and let go: a port nobody listens on
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_connection_is_seen_and_fails_the_test():
    start = network_guard.mark()
    try:
        port = _closed_port()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1)
        events = [name for name, _ in network_guard.seen[start:]]
        assert "socket.connect" in events and "socket.bind" in events
        with pytest.raises(pytest.fail.Exception, match=r"reached for the network .*socket\.connect.*127\.0\.0\.1"):
            network_guard.check_since(start)
    finally:
        del network_guard.seen[start:]  # handled here: the autouse fixture must not fail this test


def test_a_name_lookup_is_seen():
    start = network_guard.mark()
    try:
        socket.getaddrinfo("127.0.0.1", 9)  # numeric: answered without asking any resolver
        assert [name for name, _ in network_guard.seen[start:]] == ["socket.getaddrinfo"]
        with pytest.raises(pytest.fail.Exception, match="getaddrinfo"):
            network_guard.check_since(start)
    finally:
        del network_guard.seen[start:]


def test_the_guard_is_installed_for_the_whole_session():
    assert network_guard._installed
    start = network_guard.mark()
    network_guard.check_since(start)  # nothing happened: passes
