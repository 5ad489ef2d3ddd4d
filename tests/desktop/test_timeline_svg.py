"""The timeline's SVG export read as a browser reads it: sized in pixels, a sans-serif font stack,
no embedded bitmaps, and the full title and date of every event in the window in a <title>
(the SVG tooltip), the shortened labels included. Checked in the written file, parsed with
ElementTree, against the events of the project file."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from sijill.db.formats.native import import_native
from sijill.db.store.project import Project
from sijill.db.resources import demo_path
from sijill.desktop.timeline.export_image import DENSITY_PAD, render_timeline_image
from sijill.desktop.timeline.painter import TimelinePainter
from tests.desktop.timeline_helpers import ts

SVG = "{http://www.w3.org/2000/svg}"
SIZE = (1600, 1000)


@pytest.fixture(scope="module")
def demo(qapp, tmp_path_factory):
    """The demo project, its whole timeline exported to SVG and to PNG at the same size."""
    folder = tmp_path_factory.mktemp("svg")
    project = Project.create(folder / "demo.sijill")
    import_native(project, demo_path())
    done = render_timeline_image(project, folder / "t.svg", size=SIZE)
    render_timeline_image(project, folder / "t.png", size=SIZE)
    yield project, done, folder
    project.close()


def tips(root) -> list[tuple[QRectF, str]]:
    """(area, tooltip) of each hotspot the export added."""
    out = []
    for g in root.iter(f"{SVG}g"):
        title, rect = g.find(f"{SVG}title"), g.find(f"{SVG}rect")
        if title is not None and rect is not None:
            a = {k: float(rect.get(k)) for k in ("x", "y", "width", "height")}
            out.append((QRectF(a["x"], a["y"], a["width"], a["height"]), title.text))
    return out


def texts(root) -> list[tuple[float, float, str]]:
    """(x, y, text) of each <text>, in drawing coordinates (the generator translates groups by
    matrices)."""
    out = []

    def walk(el, dx, dy):
        m = re.fullmatch(r"matrix\(1,0,0,1,([-\d.]+),([-\d.]+)\)", el.get("transform", ""))
        if m:
            dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
        if el.tag == f"{SVG}text":
            out.append((float(el.get("x")) + dx, float(el.get("y")) + dy, el.text or ""))
        for child in el:
            walk(child, dx, dy)

    walk(root, 0.0, 0.0)
    return out


def when(event) -> str:
    return event.start.display() + (f" – {event.end.display()}" if event.end else "")


def test_svg_is_sized_in_pixels_with_a_matching_viewbox(demo):
    _project, done, folder = demo
    root = ET.parse(folder / "t.svg").getroot()
    w, h = done.size
    assert done.size == SIZE
    assert "mm" not in root.get("width") + root.get("height")
    assert float(root.get("width").removesuffix("px")) == w and float(root.get("height").removesuffix("px")) == h
    assert root.get("viewBox") == f"0 0 {w} {h}"
    # a viewer opens it at its pixel size (not 133 %)
    assert QSvgRenderer(str(folder / "t.svg")).defaultSize().toTuple() == SIZE


def test_text_names_a_font_stack_ending_in_sans_serif(demo):
    _project, _done, folder = demo
    svg = (folder / "t.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    families = {el.get("font-family") for el in root.iter() if el.get("font-family") is not None}
    assert families
    for family in families:
        names = [n.strip().strip("'\"") for n in family.split(",")]
        assert names[-1] == "sans-serif" and "Sans Serif" not in names and len(names) > 2
        assert "DejaVu Sans" in names
    assert 'font-family="Sans Serif"' not in svg
    # event labels are written at the size they were measured at (points at the screen's dpi)
    painter = TimelinePainter()
    px = painter.font.pointSizeF() * QImage(1, 1, QImage.Format.Format_ARGB32).logicalDpiY() / 72
    label = next(el for el in root.iter(f"{SVG}text") if el.text == "Fatah alliance formed")
    assert float(label.get("font-size")) == pytest.approx(px, abs=0.01)


def test_no_embedded_bitmaps_and_it_looks_like_the_png(demo):
    _project, _done, folder = demo
    svg = (folder / "t.svg").read_text(encoding="utf-8")
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG}image")) and "base64" not in svg
    # drawn by a renderer, the vector file shows what the PNG export shows: density strips
    # (vector now) in the same columns and shades, text at the same size
    renderer = QSvgRenderer(str(folder / "t.svg"))
    img = QImage(*SIZE, QImage.Format.Format_RGB32)
    img.fill(0xFFFFFFFF)
    qp = QPainter(img)
    renderer.render(qp)
    qp.end()
    png = QImage(str(folder / "t.png")).convertToFormat(QImage.Format.Format_RGB32)

    def pixels(im):
        a = np.frombuffer(im.constBits(), np.uint8).reshape(im.height(), im.bytesPerLine())
        return a[:, :im.width() * 4].reshape(im.height(), im.width(), 4)[..., :3].astype(int)

    a, b = pixels(img), pixels(png)
    assert np.abs(a - b).max(axis=2).mean() < 3.5
    strips = [r for r, t in tips(root) if "here: zoom in" in t]
    assert len(strips) > 20
    for r in strips:      # the strip's columns, less the hotspot's margins (marks and text may cross it)
        x0, x1, y0, y1 = int(r.left()) + DENSITY_PAD, int(r.right()) - DENSITY_PAD, int(r.top()), int(r.bottom())
        assert (a[y0:y1, x0:x1] != 255).any()
        assert np.median(np.abs(a[y0:y1, x0:x1] - b[y0:y1, x0:x1]).max(axis=2)) <= 4


def test_every_event_in_the_window_has_its_full_title_and_date(demo):
    project, _done, folder = demo
    root = ET.parse(folder / "t.svg").getroot()
    spots = tips(root)
    events = project.events()
    assert len(events) == 136
    every = "\n".join(t for _r, t in spots)
    for e in events:
        assert f"{e.title} — {when(e)}" in every, e.title
    # an event drawn one by one has a tooltip of its own: exactly its title and date
    alone = {t for _r, t in spots if "\n" not in t}
    drawn = {f"{e.title} — {when(e)}" for e in events} & alone
    assert len(drawn) > 60


def test_every_shortened_label_is_under_a_title_holding_all_of_it(demo):
    project, _done, folder = demo
    root = ET.parse(folder / "t.svg").getroot()
    spots = tips(root)
    titles = {e.title for e in project.events()}
    names = {g.name for g in project.groups()} | {p.title for p in project.periods()}
    cut = [(x, y, t) for x, y, t in texts(root) if t.endswith("…")]
    assert len(cut) >= 50
    for x, y, text in cut:
        over = [tip for r, tip in spots if r.contains(x + 2, y - 4)]
        assert over, text
        full = over[-1].split(" — ")[0]      # the topmost
        assert full.startswith(text[:-1].rstrip()) and full != text and (full in titles or full in names), text


def test_titles_are_escaped_and_the_file_parses(qapp, tmp_path):
    nasty = "<script>alert(\"x&y\")</script> 'q' > </svg> & <b>"
    project = Project.create(tmp_path / "p.sijill", title="Title <b>&</b> \"x\"")
    g = project.create_group("Kataib <Hezbollah> & co")
    project.create_event(nasty, "2020-01-03", groups=[(g.id, "actor")])
    bell = project.create_event("Bell rings", "2020-01-20", groups=[(g.id, "target")])
    # Sijill refuses control characters (db/text/rules.py); another tool writing the file may not
    project.db.execute("UPDATE events SET title = ? WHERE id = ?", ["Bell\x07 rings", bell.id])
    out = tmp_path / "t.svg"
    render_timeline_image(project, out, ts(2019, 12, 1), ts(2020, 2, 1), size=(900, 400))
    root = ET.parse(out).getroot()     # well-formed, control character and all
    assert not [el for el in root.iter() if "script" in el.tag]
    tooltips = [t for _r, t in tips(root)]
    assert f"{nasty} — 3 Jan 2020" in tooltips and "Bell rings — 20 Jan 2020" in tooltips
    assert root.find(f"{SVG}title").text == "Title <b>&</b> \"x\""
    assert "Kataib <Hezbollah> & co" in [t for _x, _y, t in texts(root)]
    project.close()


def test_png_and_pdf_exports_are_unchanged_in_kind(demo):
    project, _done, folder = demo
    png = QImage(str(folder / "t.png"))
    assert png.size().toTuple() == SIZE
    pdf = render_timeline_image(project, folder / "t.pdf", size=SIZE)
    data = pdf.path.read_bytes()
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data
