"""On a bare Linux, the missing system libraries Qt's display plugin needs are named, with the
command that installs them, instead of Qt's abort (the library finder is faked)."""
from __future__ import annotations

import subprocess
import sys

from sijill.desktop.shell import system_libraries as libs


def finder_without(*sonames: str):
    return lambda soname: soname not in sonames


def test_a_missing_xcb_cursor_is_named_with_its_install_command():
    message = libs.display_problem({"DISPLAY": ":0"}, "linux", finder_without("libxcb-cursor.so.0"))
    assert message.startswith("Sijill needs the system library libxcb-cursor0 ")
    assert "sudo apt install libxcb-cursor0\n" in message


def test_every_missing_library_is_listed_once():
    message = libs.display_problem({"DISPLAY": ":0"}, "linux",
                                   finder_without("libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libEGL.so.1"))
    assert "sudo apt install libegl1 libxcb-cursor0 libxkbcommon-x11-0\n" in message


def test_nothing_to_say_when_everything_loads_or_qt_is_not_asked_for_a_window():
    everything = finder_without()
    nothing = finder_without(*libs.XCB_LIBRARIES, *libs.WAYLAND_LIBRARIES, *libs.COMMON_LIBRARIES)
    assert libs.display_problem({"DISPLAY": ":0"}, "linux", everything) is None
    assert libs.display_problem({}, "linux", nothing) is None                      # no display at all
    assert libs.display_problem({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", nothing) is None
    assert libs.display_problem({"DISPLAY": ":0"}, "darwin", nothing) is None
    assert libs.display_problem({"DISPLAY": ":0"}, "win32", nothing) is None


def test_wayland_needs_no_xcb():
    no_xcb = finder_without(*libs.XCB_LIBRARIES)
    assert libs.display_problem({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", no_xcb) is None
    no_wayland = finder_without("libwayland-client.so.0", "libxcb-cursor.so.0")
    assert "libxcb-cursor0" in libs.display_problem({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, "linux", no_wayland)
    assert "libwayland-client0" in libs.display_problem({"WAYLAND_DISPLAY": "w"}, "linux", no_wayland)


def test_the_real_finder_loads_what_is_there():
    assert libs.loadable("libc.so.6") and not libs.loadable("libsijill-nowhere.so.9")


def test_the_app_exits_1_with_the_message_instead_of_aborting(tmp_path):
    """The window's start checks before it creates the QApplication (the finder says nothing loads)."""
    code = ("import sys; from sijill.desktop.shell import system_libraries as l; l.loadable = lambda s: s != 'libxcb-cursor.so.0';"
            "from sijill.desktop.shell.startup import run_gui; sys.exit(run_gui(None))")
    env = {"PATH": "/usr/bin:/bin", "DISPLAY": ":99", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert done.returncode == 1
    assert "Sijill needs the system library libxcb-cursor0" in done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr
