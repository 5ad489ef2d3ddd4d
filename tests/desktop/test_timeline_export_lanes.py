"""Timeline exports never drop lanes: the screen scrolls its lanes, an image cannot. Lanes first
shrink (down to one row each); when even that does not fit, the image is made taller than asked
and the export says so. Checked in the written files (SVG text, PNG pixels and size)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QImage, QUndoStack

from sijill.desktop.hub import ProjectHub
from sijill.desktop.timeline.canvas import MIN_LANE_H
from sijill.desktop.timeline.export_image import LEGEND_H, TITLE_H
from sijill.db.timeline.frame import AXIS_H
from sijill.desktop.groups.palette import lane_color
from sijill.desktop.timeline.view import TimelineView
from tests.desktop.timeline_helpers import many_lanes, ts

N = 30
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def many(project):
    """30 top-level groups "Lane 00".."Lane 29" in distinct colours, one event in each."""
    return many_lanes(project, N, "Lane {:02d}", colored=True)


@pytest.fixture
def view(qtbot, many):
    v = TimelineView(ProjectHub(many), QUndoStack())
    qtbot.addWidget(v)
    v.resize(1200, 500)
    v.show()
    v.set_window(ts(2019, 12, 20), ts(2020, 2, 10))
    return v


def svg_texts(path) -> dict[str, float]:
    """Each text of the SVG by its y in the drawing (the generator writes translations as matrices)."""
    out, dy = {}, 0.0
    for m in re.finditer(r'transform="matrix\(1,0,0,1,([-\d.]+),([-\d.]+)\)"|<text[^>]*\by="([-\d.]+)"[^>]*>([^<]*)</text>',
                         path.read_text(encoding="utf-8")):
        if m.group(2) is not None:
            dy = float(m.group(2))
        else:
            out[m.group(4)] = float(m.group(3)) + dy
    return out


def test_svg_too_short_for_the_lanes_grows_and_names_every_lane(view, tmp_path):
    out = tmp_path / "t.svg"
    done = view.export_image(str(out), size=(1000, 400))
    height = done.size[1]
    assert done.asked == (1000, 400) and done.size[0] == 1000
    assert height >= TITLE_H + AXIS_H + N * MIN_LANE_H + LEGEND_H
    assert done.note and "30 lanes" in done.note and f"1000×{height}" in done.note
    svg = out.read_text(encoding="utf-8")
    assert f'viewBox="0 0 1000 {height}"' in svg
    texts = svg_texts(out)
    for i in range(N):
        name = f"Lane {i:02d}"
        assert name in texts, name                                       # every lane is named…
        assert TITLE_H + AXIS_H < texts[name] < height - LEGEND_H, name  # …above the legend
    assert [g.info.name for g in done.lanes] == [f"Lane {i:02d}" for i in range(N)]
    assert all(g.rows == 1 for g in done.lanes)                            # shrunk to one row first


def test_png_too_short_grows_and_draws_the_last_lane_above_the_legend(view, tmp_path):
    out = tmp_path / "t.png"
    done = view.export_image(str(out), size=(1000, 400))
    img = QImage(str(out))
    assert (img.width(), img.height()) == done.size and img.height() > 400
    assert len(done.lanes) == N
    bottom = img.height() - LEGEND_H
    for n, g in enumerate(done.lanes):
        assert TITLE_H + AXIS_H <= g.y and g.y + g.h <= bottom, g.info.name
        # the lane's colour swatch beside its name is in the picture
        cy = g.y + min(g.h / 2, 12)
        assert QColor(img.pixel(8 + 5, int(cy))) == lane_color(g.info, n), g.info.name


def test_lanes_shrink_before_the_image_grows(view, tmp_path):
    """30 lanes fit in 1000 px at one row each: the image keeps the size asked, no note."""
    out = tmp_path / "t.png"
    done = view.export_image(str(out), size=(1000, 1000))
    assert done.size == (1000, 1000) and done.note is None
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1000, 1000)
    assert all(g.rows == 1 for g in done.lanes) and done.lanes[-1].y + done.lanes[-1].h <= 1000 - LEGEND_H
    # few lanes (a filter keeps 3): several rows each, still the size asked
    hub = view.hub
    keep = frozenset(g.key for g in done.lanes[:3])
    hub.set_filter(hub.filter.with_(group_ids=keep))
    done = view.export_image(str(out), size=(1000, 600))
    assert done.size == (1000, 600) and done.note is None and len(done.lanes) == 3
    assert all(g.rows > 1 for g in done.lanes)


def test_pdf_grows_too(view, tmp_path):
    """The drawing grows as an image does; the page stays a landscape sheet of paper."""
    out = tmp_path / "t.pdf"
    done = view.export_image(str(out), size=(1000, 400))
    assert done.size[1] > 400 and done.note
    data = out.read_bytes()
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    w, h = float(box.group(1)), float(box.group(2))
    assert (round(w), round(h)) in ((842, 595), (792, 612))  # A4 or Letter, landscape


def test_export_dialog_says_the_image_will_be_taller(view, tmp_path):
    from sijill.desktop.timeline.export_dialog import ExportImageDialog

    dialog = ExportImageDialog(str(tmp_path), "t", view.window(), view.window(), lanes_note=view.export_note)
    dialog.width_spin.setValue(1000)
    dialog.height_spin.setValue(1200)
    assert not dialog.fit_note.isVisibleTo(dialog)
    dialog.height_spin.setValue(400)
    assert dialog.fit_note.isVisibleTo(dialog)
    # what the dialog announces is what the export then does
    done = view.export_image(str(tmp_path / "t.png"), size=dialog.request().size)
    assert dialog.fit_note.text() == done.note and "30 lanes" in done.note
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()   # a note, not an error
    dialog.reject()
