"""`sijill --self-test`: prove an installation (a bundle copied to an offline machine, a fresh
venv) works, in a few seconds, without a display and without touching the user's files.

In a temporary folder (the process's HOME and XDG folders point inside it, QStandardPaths is in
test mode, the settings are a throw-away ini file) it creates the demo project, opens the main
window, draws a timeline frame, runs a search, annotates a passage through the reader and its undo
command, exports the timeline as PNG, SVG and PDF and a report as PDF and Markdown, reopens the
file and checks its integrity. One line per step with its time; exit status 0, or 1 naming the step
that failed and why. An audit hook fails the step in which Python opens a socket or resolves a
name, and on Linux a socket descriptor left open by Qt's own code fails it too: Sijill never uses
the network.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable, TextIO

from sijill.db.store.basics import SQLITE_VERSION

# What opens a connection or asks a name server (gethostname, which reads a local name, is not one).
NETWORK_EVENTS = frozenset({
    "socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
    "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
    "http.client.connect", "urllib.Request",
})

QUERY = "Kataib"  # in the demo's event titles, sources and passages


class SelfTestFailure(Exception):
    """A step did not do what it should; the message says what."""


class NetworkGuard:
    """An audit hook (it cannot be removed once added: it acts only while `active`) that refuses
    every socket operation and remembers it."""

    def __init__(self) -> None:
        self.active = False
        self.events: list[str] = []

    def install(self) -> None:
        sys.addaudithook(self._hook)
        self.active = True

    def _hook(self, name: str, args: tuple) -> None:
        if self.active and name in NETWORK_EVENTS:
            self.events.append(f"{name}{_short(args)}")
            raise SelfTestFailure(f"a network operation was attempted: {name}{_short(args)}")

    def take(self) -> list[str]:
        events, self.events = self.events, []
        return events


def _short(args) -> str:
    text = repr(args)
    return text if len(text) <= 120 else text[:117] + "..."


def socket_descriptors() -> set[str]:
    """The process's open sockets, as /proc names them (empty where there is no /proc)."""
    found = set()
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return found
    for name in names:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def isolate(folder: Path) -> None:
    """Point every folder Qt and the libraries write to inside `folder`, and draw offscreen unless
    a platform was chosen. Done before Qt is loaded."""
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"), ("XDG_RUNTIME_DIR", "runtime")):
        path = folder / sub
        path.mkdir(mode=0o700, exist_ok=True)
        os.environ[var] = str(path)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class SelfTest:
    """The steps, in order; each raises to fail. They share the window and the files they make."""

    STEPS: tuple[tuple[str, str], ...] = (
        ("start Qt", "start_qt"),
        ("create the demo project", "create_demo"),
        ("open the main window", "open_window"),
        ("draw a timeline frame", "draw_timeline"),
        ("search", "search"),
        ("annotate a passage", "annotate"),
        ("export the timeline PNG/SVG/PDF", "export_timeline"),
        ("export a report PDF/Markdown", "export_report"),
        ("reopen the project", "reopen"),
        ("check integrity", "check_integrity"),
    )

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "self-test.sijill"
        self.out = folder / "exports"
        self.app = None
        self.window = None
        self.messages: list[str] = []
        self.counts: dict[str, int] = {}
        self.quote: str | None = None

    # ---- steps ---------------------------------------------------------------------------------
    def start_qt(self) -> str:
        from PySide6.QtCore import QStandardPaths, qInstallMessageHandler
        from PySide6.QtWidgets import QMessageBox

        QStandardPaths.setTestModeEnabled(True)
        qInstallMessageHandler(_qt_message)
        from sijill.desktop.shell.startup import application

        self.app = application()
        for name in ("warning", "critical", "information", "question"):
            setattr(QMessageBox, name, self._message_box(name))
        return f"platform {self.app.platformName()}"

    def _message_box(self, kind: str) -> Callable:
        def refuse(_parent, title, text, *args, **kwargs):
            self.messages.append(f"{title}: {text}")
            raise SelfTestFailure(f"the window showed a {kind} message: {title}: {text}")

        return staticmethod(refuse)

    def create_demo(self) -> str:
        from sijill.db.formats.native import import_native
        from sijill.db.store.project import Project
        from sijill.db.resources import demo_path

        project = Project.create(self.path, title="Sijill self-test")
        try:
            import_native(project, demo_path())
            stats = project.stats()
        finally:
            project.close()
        self.counts = {"events": stats.events, "sources": stats.sources, "annotations": stats.annotations}
        if not stats.events or not stats.sources:
            raise SelfTestFailure(f"the demo project is empty ({self.counts})")
        return f"{stats.events} events, {stats.sources} sources"

    def open_window(self) -> str:
        from PySide6.QtCore import QSettings

        from sijill.desktop.shell.main_window import MainWindow
        from sijill.desktop.settings import Settings

        settings = Settings(QSettings(str(self.folder / "settings.ini"), QSettings.Format.IniFormat))
        self.window = MainWindow(self.path, settings)
        self.window.resize(1400, 900)
        self.window.show()
        self._settle()
        shown = self.window.table.proxy.rowCount()
        if shown != self.counts["events"]:
            raise SelfTestFailure(f"the events table shows {shown} events, the project holds {self.counts['events']}")
        return f"{shown} events in the table"

    def draw_timeline(self) -> str:
        image = self.window.timeline.grab().toImage()
        if image.isNull() or image.width() < 100 or image.height() < 100:
            raise SelfTestFailure(f"the timeline drew no frame ({image.width()}×{image.height()})")
        step_x, step_y = max(1, image.width() // 64), max(1, image.height() // 64)
        colours = {image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)}
        if len(colours) < 3:
            raise SelfTestFailure("the timeline frame is blank")
        return f"{image.width()}×{image.height()} px, {len(colours)} colours"

    def search(self) -> str:
        self.window.search_box.setText(QUERY)
        self.window.search_box.apply()
        self._settle()
        found = self.window.search_results.results()
        total = sum(len(v) for v in found.values())
        if not total:
            raise SelfTestFailure(f"searching {QUERY!r} found nothing")
        shown = self.window.table.proxy.rowCount()
        self.window.search_box.clear()
        self.window.search_box.apply()
        self._settle()
        return f"{total} results for {QUERY!r}, {shown} events shown"

    def annotate(self) -> str:
        from PySide6.QtWidgets import QDialogButtonBox

        from sijill.db.store.project import Project

        project = self.window.project
        source = next((s for s in project.sources() if QUERY in s.body), None)
        if source is None:
            raise SelfTestFailure(f"no source mentions {QUERY!r}")
        start = source.body.index(QUERY)
        end = min(len(source.body), start + 60)
        self.quote = source.body[start:end]
        before = self.window.undo_stack.count()
        self.window.open_passage(source.id)
        reader = self.window.sources_panel.reader
        reader.view.select_range(start, end)
        if reader.selection() != (start, end):
            raise SelfTestFailure(f"the reader selected {reader.selection()}, not {(start, end)}")
        dialog = reader.annotate_selection()
        if dialog is None:
            raise SelfTestFailure("the reader opened no annotation dialog")
        dialog.note_edit.setPlainText("Written by sijill --self-test")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        self._settle()
        if self.window.undo_stack.count() != before + 1:
            raise SelfTestFailure("annotating put no step on the undo stack")
        with Project.open(self.path, read_only=True) as second:  # what the file really holds
            made = [a for a in second.annotations(source.id) if a.quote == self.quote]
        if not made:
            raise SelfTestFailure("the annotation is not in the file")
        return f"“{self.quote[:24]}…” ({self.window.undo_stack.undoText()})"

    def export_timeline(self) -> str:
        sizes = []
        for suffix in (".png", ".svg", ".pdf"):
            path = self.out / f"timeline{suffix}"
            path.parent.mkdir(exist_ok=True)
            if not self.window.export_image(str(path), size=(1200, 700)):
                raise SelfTestFailure(f"the window did not export {path.name}")
            sizes.append(_check_file(path))
        return ", ".join(sizes)

    def export_report(self) -> str:
        from sijill.db.formats.registry import EXPORTS

        export = EXPORTS["report"].load()
        sizes = []
        for suffix in (".pdf", ".md"):
            path = self.out / f"report{suffix}"
            result = export(self.window.project, path, None)
            if not result.total:
                raise SelfTestFailure(f"the report {path.name} holds nothing: {result.summary()}")
            sizes.append(_check_file(path))
        return ", ".join(sizes)

    def reopen(self) -> str:
        from PySide6.QtCore import QSettings

        from sijill.desktop.shell.main_window import MainWindow
        from sijill.desktop.settings import Settings

        self.window.close()
        self._settle()
        self.window = None
        settings = Settings(QSettings(str(self.folder / "settings.ini"), QSettings.Format.IniFormat))
        self.window = MainWindow(self.path, settings)
        self.window.show()
        self._settle()
        stats = self.window.project.stats()
        if (stats.events, stats.annotations) != (self.counts["events"], self.counts["annotations"] + 1):
            raise SelfTestFailure(f"reopened: {stats.events} events and {stats.annotations} annotations, not "
                                  f"{self.counts['events']} and {self.counts['annotations'] + 1}")
        if not any(a.quote == self.quote for a in self.window.project.annotations()):
            raise SelfTestFailure("reopened: the new annotation is gone")
        self.window.close()
        self._settle()
        self.window = None
        return f"{stats.events} events, {stats.annotations} annotations"

    def check_integrity(self) -> str:
        from sijill.db.store import check

        problems = check.integrity_problems(self.path)
        if problems:
            raise SelfTestFailure("integrity_check: " + "; ".join(problems[:5]))
        report = check.check_project(self.path)
        if not report.ok:
            raise SelfTestFailure(f"sijill.db.store.check: {report.text(limit=5)}")
        return "integrity_check ok, foreign keys ok, db.check ok"

    # ---- running -------------------------------------------------------------------------------
    def _settle(self) -> None:
        from PySide6.QtCore import QCoreApplication

        for _ in range(3):
            QCoreApplication.processEvents()

    def close(self) -> None:
        if self.window is not None:
            try:
                self.window.close()
            except Exception:  # noqa: BLE001 - closing after a failure: the failure is what counts
                pass
            self.window = None
        if self.app is not None:
            self.app.closeAllWindows()
            self._settle()


def _qt_message(_mode, _context, message: str) -> None:
    """Qt's messages to stderr, less the offscreen platform's note that it cannot size windows."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def versions() -> str:
    """What is under test: "Sijill 0.1.0 (Python 3.11.7, Qt 6.11.3, SQLite 3.45.1)"."""
    import platform

    from PySide6 import __version__ as pyside

    from sijill.desktop.shell.about import sijill_version

    return (f"Sijill {sijill_version()} (Python {platform.python_version()}, Qt {pyside}, "
            f"SQLite {SQLITE_VERSION})")


def _check_file(path: Path) -> str:
    """Raise unless `path` is a well-formed file of its kind; its size for the report."""
    if not path.is_file() or path.stat().st_size == 0:
        raise SelfTestFailure(f"{path.name} was not written")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".png" and not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise SelfTestFailure(f"{path.name} is not a PNG")
    if suffix == ".pdf" and not (data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]):
        raise SelfTestFailure(f"{path.name} is not a complete PDF")
    if suffix == ".svg":
        try:
            root = ET.fromstring(data)  # our own file, just written
        except ET.ParseError as exc:
            raise SelfTestFailure(f"{path.name} is not well-formed XML: {exc}") from exc
        if not root.tag.endswith("svg"):
            raise SelfTestFailure(f"{path.name} is not an SVG")
    if suffix == ".md" and not data.decode("utf-8").lstrip().startswith("#"):
        raise SelfTestFailure(f"{path.name} has no Markdown title")
    return f"{path.name} {len(data) / 1024:.0f} KB"


def run_self_test(stream: TextIO | None = None) -> int:
    """Run every step; print one line each; 0 when all passed, else 1 (after naming the failure)."""
    stream = stream or sys.stdout
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="sijill-self-test-"))
    isolate(folder)
    guard = NetworkGuard()
    guard.install()
    sockets_before = socket_descriptors()
    test = SelfTest(folder)
    failed: str | None = None
    finished = False  # False when interrupted (Ctrl+C, a closed pipe): the folder goes all the same
    try:
        print(f"{versions()} self-test in {folder}", file=stream, flush=True)
        for label, method in SelfTest.STEPS:
            t0 = time.perf_counter()
            try:
                detail = getattr(test, method)()
                network = guard.take() or sorted(socket_descriptors() - sockets_before)
                if network:
                    raise SelfTestFailure(f"a network operation was attempted: {', '.join(network)}")
            except BaseException as exc:  # noqa: BLE001 - every failure is reported, then the run stops
                if isinstance(exc, KeyboardInterrupt):
                    raise
                ms = (time.perf_counter() - t0) * 1000
                failed = label
                print(f"FAIL {label:34} {ms:7.0f} ms  {type(exc).__name__}: {exc}", file=stream, flush=True)
                if not isinstance(exc, SelfTestFailure):
                    traceback.print_exc(file=sys.stderr)
                break
            ms = (time.perf_counter() - t0) * 1000
            print(f"ok   {label:34} {ms:7.0f} ms  {detail}", file=stream, flush=True)
        finished = True
    finally:
        test.close()
        guard.active = False
        if not finished:
            shutil.rmtree(folder, ignore_errors=True)
    total = time.perf_counter() - started
    if failed:
        print(f"self-test FAILED at step “{failed}” after {total:.1f} s; its files are kept in {folder}",
              file=stream, flush=True)
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print(f"self-test passed: {len(SelfTest.STEPS)} steps in {total:.1f} s", file=stream, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`sijill --self-test` (takes no other argument)."""
    if argv:
        print(f"sijill --self-test takes no arguments, not {' '.join(argv)!r}", file=sys.stderr)
        return 2
    try:
        return run_self_test()
    except BrokenPipeError:  # `sijill --self-test | head`: stop quietly, as the other commands do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
