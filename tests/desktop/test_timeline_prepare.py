"""The frame's lanes are prepared all at once (desktop.timeline.prepare): batching must not change
what any lane draws, whatever the window, the filter or the collapsed lanes."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from PySide6.QtGui import QUndoStack

from sijill.db.store.project import Project
from sijill.db.timeline.density import cap_buckets
from sijill.db.timeline.window import Viewport
from sijill.desktop.hub import ProjectHub
from sijill.db.timeline import prepare
from sijill.desktop.timeline.view import TimelineView
from tests.perf.generate import generate

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()

YEAR = 365.25 * 86400
BUSY = (1697000000 + 1707000000) / 2          # Oct 2023 – Feb 2024


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return generate(6000, tmp_path_factory.mktemp("prep") / "s.sijill")


@pytest.fixture
def view(qtbot, synthetic):
    project = Project.open(synthetic)
    hub = ProjectHub(project)
    v = TimelineView(hub, QUndoStack())
    qtbot.addWidget(v)
    v.resize(1500, 900)
    v.show()
    yield v, hub
    project.close()


FIELDS = ("ids", "idx", "x0", "x1", "y0", "px", "b0", "b1", "e0", "e1", "span", "role", "room")


def _same(a, b) -> None:
    assert a.geom.key == b.geom.key
    for name in FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for name in ("density", "haze"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            assert np.array_equal(x, y), name
    assert a.overflow == b.overflow


def _check_batched_equals_lane_by_lane(canvas) -> int:
    vp = Viewport(canvas.t0, canvas.t1, canvas.width(), 0.0)
    grid = prepare.Grid(vp)
    together, batch = prepare.prepare_lanes(vp, canvas.data, canvas.geoms, grid)
    drawn = 0
    for g, dl in zip(canvas.geoms, together):
        alone = prepare.prepare_lanes(vp, canvas.data, [g], grid)[0][0]
        _same(dl, alone)
        drawn += len(dl.ids)
    return drawn


@pytest.mark.parametrize("span", [None, 5 * YEAR, YEAR, YEAR / 12, 7 * 86400, 86400])
def test_batched_lanes_draw_what_each_lane_alone_draws(view, span, monkeypatch):
    v, _hub = view
    if span is None:
        v.fit_all()
    else:
        v.set_window(BUSY - span / 2, BUSY + span / 2)
    # both paths at once: the busiest lanes through their index, the others directly
    monkeypatch.setattr(prepare, "SLICE_MAX", 300)
    paths = {"indexed": 0, "direct": 0}
    for name, attr in (("indexed", "_choose_indexed"), ("direct", "_choose_direct")):
        real = getattr(prepare, attr)

        def counted(*a, _real=real, _name=name, **k):
            paths[_name] += 1
            return _real(*a, **k)
        monkeypatch.setattr(prepare, attr, counted)
    drawn = _check_batched_equals_lane_by_lane(v.canvas)
    assert drawn > 0
    if span is not None and span >= YEAR:
        assert paths["indexed"] and paths["direct"]       # a frame that mixes the two


def test_batched_lanes_with_a_filter_and_collapsed_lanes(view):
    v, hub = view
    v.set_window(BUSY - YEAR / 2, BUSY + YEAR / 2)
    keys = [g.key for g in v.canvas.geoms]
    v.canvas.set_collapsed(keys[1], True)
    hub.set_filter(replace(hub.filter, lo=int(BUSY - YEAR / 4), hi=int(BUSY + YEAR / 4)))
    assert v.canvas.data.allowed is not None
    _check_batched_equals_lane_by_lane(v.canvas)
    collapsed = next(dl for dl in prepare.prepare_lanes(
        Viewport(v.canvas.t0, v.canvas.t1, v.canvas.width(), 0.0), v.canvas.data, v.canvas.geoms,
        prepare.Grid(Viewport(v.canvas.t0, v.canvas.t1, v.canvas.width(), 0.0)))[0] if dl.geom.key == keys[1])
    assert not len(collapsed.ids) and collapsed.density is not None and collapsed.density.sum() > 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 12), min_size=1, max_size=40), st.integers(1, 4),
                          st.integers(0, 60)), min_size=1, max_size=6))
def test_cap_for_all_lanes_is_cap_per_lane(lanes):
    """The lane-wide cap worked out for every lane at once crowds exactly the buckets that
    `cap_buckets` crowds lane by lane."""
    nb = max(len(c) for c, _r, _cap in lanes)
    flat = np.zeros(len(lanes) * nb, np.int64)
    rows = np.zeros(len(lanes) * nb, np.int64)
    caps = np.array([cap for _c, _r, cap in lanes], np.int64)
    for k, (counts, r, _cap) in enumerate(lanes):
        flat[k * nb:k * nb + len(counts)] = counts
        rows[k * nb:(k + 1) * nb] = r
    crowded = flat > rows
    prepare._cap_all(flat, crowded, nb, caps)
    for k, (counts, r, cap) in enumerate(lanes):
        c = np.array(counts)
        expect = cap_buckets(c, c > r, cap)
        assert crowded[k * nb:k * nb + len(counts)].tolist() == expect.tolist()



def test_filtered_lanes_are_read_through_their_own_index(view, monkeypatch):
    """With a filter active the lanes hold only the events it lets through, with an index of their
    own: a busy filtered lane read through its index draws what going through every visible event
    of it draws, and nothing the filter hides."""
    v, hub = view
    hub.set_filter(replace(hub.filter, lo=int(BUSY - 3 * YEAR), hi=int(BUSY)))
    allowed = set(v.canvas.data.allowed.tolist())
    v.fit_all()
    vp = Viewport(v.canvas.t0, v.canvas.t1, v.canvas.width(), 0.0)
    seen = []
    for limit in (10 ** 9, 50):
        monkeypatch.setattr(prepare, "SLICE_MAX", limit)
        lanes, _batch = prepare.prepare_lanes(vp, v.canvas.data, v.canvas.geoms, prepare.Grid(vp))
        seen.append(lanes)
        assert set(np.concatenate([dl.ids for dl in lanes]).tolist()) <= allowed
    for a, b in zip(*seen):
        assert sorted(a.ids.tolist()) == sorted(b.ids.tolist())
        assert (a.density is None) == (b.density is None)
        if a.density is not None:
            assert np.array_equal(a.density, b.density)
    counts = {g.key: v.canvas.data.event_count(g.key) for g in v.canvas.geoms}
    assert sum(counts.values()) >= len(allowed) > 0   # multi-group events count in each lane


def test_atlases_draw_what_drawing_one_by_one_draws(view):
    """Marks, evidence marks, "+N more" and titles drawn from atlases, in one call per page, give
    the pixels of drawing each picture by itself (a painter whose atlases hold nothing draws them
    one by one), at pixel ratios 1, 1.5 and 2; and a painter whose atlases are small enough to be
    emptied again and again while zooming (pages least recently drawn from first, then all of them
    when a frame's own pictures fill every page) draws exactly the same; an atlas never grows."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from sijill.desktop.timeline.atlas import Atlas
    from sijill.desktop.timeline.painter import TimelinePainter
    v, _hub = view
    c = v.canvas
    alone = TimelinePainter(c.font())
    alone.labels.atlas, alone._atlas = Atlas(1), Atlas(1, pages=1)
    tight = TimelinePainter(c.font())
    tight.labels.atlas, tight._atlas = Atlas(256, pages=2), Atlas(48, pages=1)
    roomy = TimelinePainter(c.font())
    v.set_window(BUSY - YEAR / 2, BUSY + YEAR / 2)
    for k in range(12):
        c.zoom(0.8 if k < 6 else 1.25, c.width() / 3)
        for dpr in ((1.0, 1.5, 2.0) if k % 4 == 0 else (1.0,)):
            images = []
            for p in (alone, tight, roomy):
                img = QImage(round(c.width() * dpr), round(c.height() * dpr), QImage.Format.Format_ARGB32_Premultiplied)
                img.setDevicePixelRatio(dpr)
                img.fill(0)                          # (a fractional ratio leaves an edge unpainted)
                qp = QPainter(img)
                p.paint(qp, QRectF(c.rect()), c.t0, c.t1, c.data, c.geoms)
                qp.end()
                images.append(img)
            assert images[0] == images[2], (k, dpr)
            assert images[1] == images[2], (k, dpr)
        assert all(page.pixmap.size().toTuple() == (256, 256) for page in tight.labels.atlas.pages)
        assert len(tight.labels.atlas.pages) <= 2 and len(tight._atlas.pages) == 1
    assert not any(page.keys for page in alone.labels.atlas.pages + alone._atlas.pages)   # nothing fitted
    assert tight.labels.atlas.evictions >= 6 and tight._atlas.evictions >= 6              # emptied, refilled
    assert roomy.labels.atlas.evictions == 0 and roomy._atlas.evictions == 0
    assert len(roomy.labels.atlas.index) > 100                                            # the sweep's titles, kept


def test_panning_a_frame_fuller_than_the_titles_atlas_keeps_drawing_from_it(view):
    """When one frame's titles need more than a page, panning brings new titles onto a page the
    frame does not use (or a new one) instead of emptying every page each frame."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from sijill.desktop.timeline.atlas import Atlas
    from sijill.desktop.timeline.painter import TimelinePainter
    v, _hub = view
    c = v.canvas
    p = TimelinePainter(c.font())
    p.labels.atlas = Atlas(640, pages=3)
    v.set_window(BUSY - YEAR / 2, BUSY + YEAR / 2)
    drawn = []
    for k in range(20):
        c.pan_pixels(60)
        img = QImage(c.width() * 2, c.height() * 2, QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(2)
        qp = QPainter(img)
        frame = p.paint(qp, QRectF(c.rect()), c.t0, c.t1, c.data, c.geoms)
        qp.end()
        drawn.append(len(frame.label_ids))
    atlas = p.labels.atlas
    assert min(drawn) > 40, drawn
    assert len(atlas.pages) >= 2 and not atlas.spare, drawn   # more than a page a frame, all from pages
    assert atlas.evictions < 20, atlas.evictions              # not every page emptied on every pan


def test_titles_are_read_for_what_is_drawn_and_follow_edits(view):
    """Opening reads no title but those of the first frame's labels; another frame reads those
    of the labels it draws; renaming an event shows the new title at once."""
    from sijill.desktop.commands.events import UpdateEventCommand
    from PySide6.QtGui import QUndoStack
    v, hub = view
    data = v.canvas.data
    assert len(data.lanes.titles) < hub.project.event_count() / 10
    v.set_window(BUSY - 15 * 86400, BUSY + 15 * 86400)
    v.grab()
    frame = v.canvas.ensure_frame()
    drawn = {int(i) for dl in frame.lanes for i in dl.ids}
    assert drawn and 0 < len(data.lanes.titles) < hub.project.event_count() / 10
    labelled = [i for i in drawn if i in data.lanes.titles]
    assert labelled
    eid = labelled[0]
    assert data.lanes.titles[eid] == hub.project.event(eid).title
    QUndoStack().push(UpdateEventCommand(hub, {eid: {"title": "Renamed on the timeline"}}, text="Rename"))
    assert data.titles_for([eid])[eid] == "Renamed on the timeline"
