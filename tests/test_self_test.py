"""`sijill --self-test`: every step passes on this tree within a minute and prints its time; a step
that fails (an error, a socket opened by Python or left open by native code) exits 1 naming it.

Each run is a child process: the self-test points HOME and the XDG folders at its temporary folder
and installs an audit hook, neither of which may leak into the test session."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sijill.desktop.cli.main import build_parser, run
from sijill.desktop.shell.self_test import SelfTest

ROOT = Path(__file__).resolve().parent.parent


def self_test(tmp_path: Path, patch: str = "") -> subprocess.CompletedProcess:
    """Run the self-test in a child Python, after `patch` (code run first), with TMPDIR in tmp_path."""
    code = textwrap.dedent("""
        import sys
        from sijill.desktop.shell import self_test as st
        {patch}
        sys.exit(st.main(sys.argv[1:]))
    """).format(patch=textwrap.indent(textwrap.dedent(patch), ""))
    env = {**os.environ, "TMPDIR": str(tmp_path), "HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env=env)


def test_the_self_test_passes_and_prints_each_step_with_its_time(tmp_path):
    done = subprocess.run([sys.executable, "-m", "sijill.desktop.app", "--self-test"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT,
                          env={**os.environ, "TMPDIR": str(tmp_path), "HOME": str(tmp_path / "home")})
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for label, _method in SelfTest.STEPS:
        line = next((ln for ln in lines if label in ln), None)
        assert line is not None and line.startswith("ok ") and " ms " in line, (label, done.stdout)
    assert lines[0].startswith("Sijill ") and "(Python 3." in lines[0] and ", Qt 6." in lines[0]
    assert "platform offscreen" in done.stdout
    assert "integrity_check ok" in done.stdout
    assert lines[-1].startswith("self-test passed: 10 steps in ")
    assert "propagateSizeHints" not in done.stderr
    # Nothing was left behind: not in the temporary folder, not in HOME.
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("sijill-self-test-")]
    assert not (tmp_path / "home").exists()


def test_a_failing_step_exits_1_naming_the_step_and_keeps_its_files(tmp_path):
    done = self_test(tmp_path, """
        def boom(self):
            raise RuntimeError("forced failure")
        st.SelfTest.search = boom
    """)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "ok   draw a timeline frame" in out
    assert "FAIL search" in out and "RuntimeError: forced failure" in out
    assert "annotate a passage" not in out  # the run stops at the failed step
    assert "self-test FAILED at step “search”" in out.splitlines()[-1]
    assert "Traceback" in done.stderr  # an unexpected error comes with where it happened
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("sijill-self-test-")]
    assert len(kept) == 1 and (kept[0] / "self-test.sijill").exists() and str(kept[0]) in out


def test_opening_a_socket_fails_the_step_that_did(tmp_path):
    done = self_test(tmp_path, """
        def draw(self, _draw=st.SelfTest.draw_timeline):
            import socket
            socket.create_connection(("192.0.2.1", 80), timeout=0.1)  # TEST-NET: never reached
            return _draw(self)
        st.SelfTest.draw_timeline = draw
    """)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL draw a timeline frame" in done.stdout
    assert "a network operation was attempted: socket." in done.stdout


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list descriptors")
def test_a_socket_opened_by_native_code_fails_the_step_too(tmp_path):
    # Qt's C++ would open sockets without Python's audit hooks seeing them: the descriptors tell.
    done = self_test(tmp_path, """
        def search(self, _search=st.SelfTest.search):
            import ctypes
            libc = ctypes.CDLL(None)
            assert libc.socket(2, 1, 0) >= 0  # AF_INET, SOCK_STREAM, left open
            return _search(self)
        st.SelfTest.search = search
    """)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL search" in done.stdout and "socket:[" in done.stdout


def test_a_closed_pipe_stops_it_quietly_and_removes_its_folder(tmp_path):
    child = subprocess.Popen([sys.executable, "-m", "sijill.desktop.app", "--self-test"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=ROOT,
                             env={**os.environ, "TMPDIR": str(tmp_path), "HOME": str(tmp_path / "home")})
    assert child.stdout.readline().startswith(b"Sijill ")  # as `sijill --self-test | head -1` reads it
    child.stdout.close()
    assert child.wait(timeout=120) == 141
    assert b"Traceback" not in child.stderr.read()
    child.stderr.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("sijill-self-test-")]


def test_the_self_test_is_an_option_not_a_command(capsys):
    assert run(["--self-test", "extra"]) == 2
    assert "takes no arguments" in capsys.readouterr().err
    assert "--self-test" in build_parser().format_help()
