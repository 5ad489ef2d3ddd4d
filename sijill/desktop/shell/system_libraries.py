"""Before the window opens on Linux: are the system libraries Qt's display plugin loads there?

The PySide6 wheels carry Qt but not the X11/Wayland client libraries it is linked against. On a bare
system (a minimal Debian or Ubuntu, a fresh container) the first one missing is usually
libxcb-cursor0, and Qt then aborts with "Could not load the Qt platform plugin "xcb" … This
application failed to start" and a core dump. `display_problem()` finds the missing ones first (by
loading each with ctypes, as the dynamic loader will) and says which packages to install.

The lists were read with `ldd` from PySide6 6.11's libqxcb.so, libQt6XcbQpa.so.6, libQt6Gui.so.6
and libqwayland.so (the README's "On a bare Linux" lists the same packages). Nothing here imports Qt.
"""
from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# soname -> Debian/Ubuntu package
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}
WAYLAND_LIBRARIES = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
}
COMMON_LIBRARIES = {   # every window, X11 or Wayland
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def loadable(soname: str) -> bool:
    """Whether the dynamic loader finds and loads `soname` (as Qt's plugin will need it to)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing(libraries: Mapping[str, str], finder: Callable[[str], bool] | None = None) -> list[str]:
    """The packages of `libraries` (soname -> package) whose library `finder` (`loadable`) cannot load."""
    finder = finder or loadable
    return [package for soname, package in libraries.items() if not finder(soname)]


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                    finder: Callable[[str], bool] | None = None) -> str | None:
    """What to tell the user when Qt could not open a window here for want of system libraries;
    None when it can (or when this is not a Linux desktop session, or QT_QPA_PLATFORM chooses)."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return None
    x11, wayland = bool(environ.get("DISPLAY")), bool(environ.get("WAYLAND_DISPLAY"))
    if not (x11 or wayland):
        return None    # no display at all: Qt says so itself, and `sijill screenshot` needs none
    packages = missing(COMMON_LIBRARIES, finder)
    if wayland and not missing(WAYLAND_LIBRARIES, finder):
        pass           # Qt opens the window through Wayland: the X11 libraries are not needed
    elif x11:
        packages += missing(XCB_LIBRARIES, finder)
    else:
        packages += missing(WAYLAND_LIBRARIES, finder)
    if not packages:
        return None
    one = len(packages) == 1
    listed = packages[0] if one else ", ".join(packages[:-1]) + " and " + packages[-1]
    return (f"Sijill needs the system {'library' if one else 'libraries'} {listed} to open its window, and "
            f"{'it is' if one else 'they are'} not installed. Install {'it' if one else 'them'} with:\n"
            f"    sudo apt install {' '.join(packages)}\n"
            "(the Debian and Ubuntu package names; other distributions name them alike. The README's "
            "\"On a bare Linux\" lists every library Qt needs.)")
