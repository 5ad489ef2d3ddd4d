"""Offline, always: the app and its command line open no network connection and load nothing remote.

The commands run in a child Python with an audit hook that records every socket operation
(`socket.connect`, `socket.getaddrinfo`, …) and fails the run if one happens; the child also
reports whether Qt's network module was ever loaded.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(r"""
    import json, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    events = []
    def hook(name, args):
        if name.startswith("socket.") or name.startswith("urllib") or name.startswith("http.client"):
            events.append(name)
    sys.addaudithook(hook)
    from sijill.desktop.cli.main import run
    out = sys.argv[1]
    codes = []
    for argv in json.loads(sys.argv[2]):
        codes.append(run([a.replace("OUT", out) for a in argv]))
    # The desktop window itself, with the reader showing an HTML source and its mentions.
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from sijill.desktop.shell.main_window import MainWindow
    window = MainWindow(out + "/p.sijill")
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    window.grab()
    window.close()
    print(json.dumps({"codes": codes, "socket_events": events,
                      "qtnetwork": "PySide6.QtNetwork" in sys.modules}))
""")


def test_the_app_and_cli_open_no_connection(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><link rel=stylesheet href='https://cdn.example.com/x.css'>"
        "<script src='https://cdn.example.com/x.js'></script>"
        "<style>@import url(https://fonts.example.com/font.css);</style></head>"
        "<body><p>Le 3 février 2024, le Hachd al-Chaabi a condamné les frappes.</p>"
        "<img src='https://example.com/tracker.png'></body></html>", encoding="utf-8")
    commands = [
        ["init", "OUT/p.sijill", "--demo"],
        ["source", "add", "OUT/p.sijill", str(page), "--published", "2024-02-04"],
        ["mentions", "OUT/p.sijill", str(page)],
        ["search", "OUT/p.sijill", "Kataib"],
        ["export", "OUT/p.sijill", "OUT/native.json", "--format", "native"],
        ["export", "OUT/p.sijill", "OUT/w3c.jsonld", "--format", "w3c-annotations"],
        ["screenshot", "OUT/p.sijill", "OUT/window.png", "--size", "1200x800"],
        ["screenshot", "OUT/p.sijill", "OUT/reader.png", "--reader", "--size", "1200x800"],
        ["screenshot", "OUT/p.sijill", "OUT/timeline.svg", "--from", "2023-10", "--to", "2024-02"],
        ["screenshot", "OUT/p.sijill", "OUT/timeline.pdf", "--timeline"],
        ["import", "OUT/p.sijill", "OUT/acled.csv", "--format", "acled"],
        ["export", "OUT/p.sijill", "OUT/page.html", "--format", "html", "--from", "2023-10"],
        ["export", "OUT/p.sijill", "OUT/report.pdf", "--format", "report", "--from", "2023-10"],
        ["export", "OUT/p.sijill", "OUT/report.html", "--format", "report"],
        ["export", "OUT/p.sijill", "OUT/events.csv", "--format", "csv"],
        ["export", "OUT/p.sijill", "OUT/timeline.json", "--format", "timelinejs"],
    ]
    from tests.perf.acled_file import write_acled

    write_acled(tmp_path / "acled.csv", 50)
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), json.dumps(commands)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["codes"] == [0] * len(commands)
    assert report["socket_events"] == []
    assert report["qtnetwork"] is False
    # What was written loads nothing from the web.
    svg = (tmp_path / "timeline.svg").read_text(encoding="utf-8")
    assert not re.search(r"""(href|src)=["']https?:""", svg)
    assert "@import" not in svg and "url(http" not in svg
    for page in ("page.html", "report.html"):
        html = (tmp_path / page).read_text(encoding="utf-8")
        assert "<script" not in html.lower() and "<link" not in html.lower()
        assert not re.search(r"""src=["']https?:""", html) and "url(http" not in html and "@import" not in html
    native = (tmp_path / "native.json").read_text(encoding="utf-8")
    assert "cdn.example.com" not in native and "tracker.png" not in native
    assert "Hachd al-Chaabi" in native  # the page's text itself was kept


def test_no_module_of_the_app_imports_a_network_library():
    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r"^\s*(from|import)\s+(requests|httpx|aiohttp|urllib\.request|http\.client|socket"
                         r"|PySide6\.QtNetwork|PySide6\.QtWebEngine\w*)\b", re.M)
    offenders = [str(p.relative_to(root)) for d in ("db", "desktop") for p in (root / "sijill" / d).rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
