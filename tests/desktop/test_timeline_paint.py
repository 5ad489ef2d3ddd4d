"""What timeline frames draw: density where crowded, the index and slice paths alike, lanes drawn
together as alone, sharp marks and whole lane bands on high-density screens."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtGui import QUndoStack

from sijill.desktop.hub import ProjectHub
from sijill.db.timeline.frame import ROW_H
from sijill.desktop.timeline.view import TimelineView
from tests.desktop.timeline_helpers import gid, setup, ts, UTC  # noqa: F401 (setup: a fixture)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")   # offscreen platform, top-level show()


# ---- density ------------------------------------------------------------------------------------------
def test_density_strip_when_crowded_resolves_when_zoomed(qtbot, project):
    g = project.create_group("Busy")
    start = ts(2014, 1, 1)
    step = (ts(2024, 1, 1) - start) / 5000
    project.bulk_insert_events([{"title": f"e{i}", "groups": [(g.id, "actor")],
                                 "start": datetime.fromtimestamp(start + i * step, UTC).strftime("%Y-%m-%d")}
                                for i in range(5000)])
    hub = ProjectHub(project)
    view = TimelineView(hub, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    view.fit_all()
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is not None and lane.density.sum() + len(lane.ids) + lane.overflow == 5000
    assert len(lane.ids) < 200
    n = view.canvas.ensure_frame().density_at(700, lane.geom.y + 10)
    assert n > 0
    view.set_preset("1 d")
    view.set_window(ts(2019, 6, 1), ts(2019, 6, 2))
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is None and len(lane.ids) >= 1


def test_lane_cap_sends_a_busy_lane_to_density_and_zoom_resolves(qtbot, project):
    """No 32-px bucket is crowded, but the lane holds more events than rows × width / MIN_ITEM_PX:
    the busiest stretches go to density (hover counts them), and zooming in draws them again."""
    from sijill.db.timeline.frame import BUCKET_PX, lane_cap
    g = project.create_group("Busy")
    hub = ProjectHub(project)
    view = TimelineView(hub, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    start, end = ts(2014, 1, 1), ts(2024, 1, 1)
    view.set_window(start, end)
    geom = next(dl.geom for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    width = int(view.canvas.ensure_frame().viewport.width)
    cap = lane_cap(geom, width)
    n = int(cap * 1.8)
    assert n / (width / BUCKET_PX) <= geom.rows          # no bucket over `rows`: only the cap can bind
    step = (end - start) / n
    project.bulk_insert_events([{"title": f"e{i}", "groups": [(g.id, "actor")],
                                 "start": datetime.fromtimestamp(start + (i + 0.5) * step, UTC).strftime("%Y-%m-%d")}
                                for i in range(n)])
    hub2 = ProjectHub(project)
    view = TimelineView(hub2, QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    view.set_window(start, end)
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is not None and lane.density.sum() + len(lane.ids) + lane.overflow == n
    assert len(lane.ids) <= cap
    x = float(view.canvas.ensure_frame().viewport.x0 + int(lane.density.argmax()))
    assert view.canvas.ensure_frame().density_at(x, lane.geom.y + 10) > 0
    view.set_window(ts(2019, 1, 1), ts(2019, 4, 1))
    lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
    assert lane.density is None and len(lane.ids) >= 1


def test_index_path_draws_what_the_slice_path_draws(qtbot, project, monkeypatch):
    """Above SLICE_MAX a lane is drawn from its index (cost bounded by pixels), below it from the
    visible slice: both show the same events, density and haze."""
    import sijill.db.timeline.prepare as prepare
    g = project.create_group("Busy")
    events = []
    for a, b in ((ts(2018, 2, 1), ts(2018, 3, 31)), (ts(2018, 6, 1), ts(2018, 7, 31))):   # two busy stretches
        step = (b - a) / 1500
        events += [{"title": f"e{len(events) + i}", "groups": [(g.id, ("actor", "target")[i % 2])],
                    "start": datetime.fromtimestamp(a + i * step, UTC).strftime("%Y-%m" if i % 3 == 0 else "%Y-%m-%d")}
                   for i in range(1500)]
    project.bulk_insert_events(events)
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    # (the window edges fall where there is nothing: at an edge the two may differ by a mark whose
    # likely point is a few pixels off screen)
    for window in (None, (ts(2017, 12, 1), ts(2019, 1, 1)), (ts(2018, 1, 10), ts(2018, 4, 20))):
        if window is None:
            view.fit_all()
        else:
            view.set_window(*window)
        seen = []
        for limit in (10 ** 9, 0):
            monkeypatch.setattr(prepare, "SLICE_MAX", limit)
            view.canvas.frame = None
            lane = next(dl for dl in view.canvas.ensure_frame().lanes if dl.geom.key == g.id)
            seen.append((sorted(lane.ids.tolist()), None if lane.density is None else lane.density.tolist(),
                         None if lane.haze is None else lane.haze.tolist()))
        assert seen[0][0] == seen[1][0], window
        assert seen[0][1] == seen[1][1], window
        assert seen[0][2] == seen[1][2], window



def test_lanes_drawn_together_look_as_each_lane_drawn_alone(setup):
    """Items are drawn layer by layer for the whole frame (all bands, then all bars, marks,
    outlines, evidence marks, labels): each lane must still look exactly as when it is drawn
    alone, with spans, a selection, a hovered item and search dimming."""
    import dataclasses
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from sijill.desktop.timeline.painter import TimelinePainter
    view, hub, _stack, project = setup
    canvas = view.canvas
    pmf = gid(project, "Popular Mobilization Forces")
    spans = [project.create_event(title, a, b, groups=[(pmf, role)]).id
             for title, a, b, role in (("Battle of Mosul", "2016-10-17", "2017-07-20", "actor"),
                                       ("Siege", "2016-03", "2016-08", "target"))]
    view.fit_all()

    def render(geoms, hover=None):
        img = QImage(canvas.width(), canvas.height(), QImage.Format.Format_ARGB32_Premultiplied)
        qp = QPainter(img)
        frame = TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1,
                                                     canvas.data, geoms, hover=hover)
        qp.end()
        return img, frame

    img, frame = render(canvas.geoms)
    ids = np.concatenate([dl.ids for dl in frame.lanes])
    assert len(ids) > 3 and set(spans) <= set(ids.tolist())
    drawn = [g for g, dl in zip(canvas.geoms, frame.lanes) if len(dl.ids) and dl.density is None]
    assert len(drawn) >= 3
    canvas.data.selected = np.sort(ids[::2])
    for matches in (None, np.sort(ids[::3])):
        canvas.data.matches = matches
        together = render(canvas.geoms, int(ids[1]))[0]
        for g in drawn:
            # the other lanes moved far below the visible area: only `g` is laid out and drawn
            alone = render([g if o is g else dataclasses.replace(o, y=o.y + 10 ** 5) for o in canvas.geoms],
                           int(ids[1]))[0]
            box = (0, int(g.y), canvas.width(), int(g.h))
            assert together.copy(*box) == alone.copy(*box), g.info.name


def test_marks_and_labels_are_sharp_on_a_high_density_screen(setup):
    """At a device pixel ratio of 2 the cached marks and labels are drawn at full resolution,
    not blown up from 1x pixmaps (which would leave every 2×2 block of device pixels uniform)."""
    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from sijill.desktop.timeline.painter import TimelinePainter
    view, _hub, _stack, _project = setup
    canvas = view.canvas
    view.fit_all()
    img = QImage(canvas.width() * 2, canvas.height() * 2, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(2)
    qp = QPainter(img)
    frame = TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1, canvas.data,
                                                 canvas.geoms)
    qp.end()
    assert sum(len(dl.ids) for dl in frame.lanes) >= 2
    px = np.frombuffer(img.constBits(), np.uint32).reshape(img.height(), img.width())
    inked = 0
    uniform = 0
    for dl in frame.lanes:
        for x0, x1, y in zip(dl.x0.tolist(), dl.x1.tolist(), dl.y0.tolist()):
            # the mark and the start of its label: a row's height, from the mark's left
            box = px[int(y) * 2:int(y + ROW_H - 4) * 2, max(int(x0), 0) * 2:int(x1 + 60) * 2]
            h, w = box.shape[0] // 2 * 2, box.shape[1] // 2 * 2
            b = box[:h, :w].reshape(h // 2, 2, w // 2, 2)
            same = (b == b[:, :1, :, :1]).all(axis=(1, 3))
            ink = ~(b == b.reshape(-1)[0]).all(axis=(1, 3))
            inked += int(ink.sum())
            uniform += int((same & ink).sum())
    assert inked > 200
    assert uniform / inked < 0.6


def test_lane_bands_fill_whole_lanes_on_a_high_density_screen(setup):
    """At a device pixel ratio of 2 each grey lane band starts on the lane's first device row
    (no white line where a fractional lane top was rounded in logical pixels)."""
    import math
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from sijill.desktop.timeline.painter import TimelinePainter
    view, hub, _stack, project = setup
    canvas = view.canvas
    for n in range(9):                           # enough lanes to share the height
        project.create_group(f"Group {n}")
    view.resize(1400, 777)                       # lanes of fractional height
    view.fit_all()
    # lanes whose top falls at .5 or more of a logical pixel: rounding there in logical pixels
    # (rather than device pixels) would start their band one device row late
    late = [i for i, g in enumerate(canvas.geoms) if i % 2 and g.y > 45 and g.y % 1 >= 0.5]
    assert late
    img = QImage(canvas.width() * 2, canvas.height() * 2, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(2)
    qp = QPainter(img)
    TimelinePainter(canvas.font()).paint(qp, QRectF(canvas.rect()), canvas.t0, canvas.t1, canvas.data, canvas.geoms)
    qp.end()
    for i in late:
        g = canvas.geoms[i]
        first, middle = math.floor(g.y * 2 + 0.5), int((g.y + g.h / 2) * 2)
        assert img.pixelColor(2, first) == img.pixelColor(2, middle), (g.info.name, first)
