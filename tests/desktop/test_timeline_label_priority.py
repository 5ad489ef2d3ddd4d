"""Labels on the timeline: period titles have their own band and never cover an event's label; where
labels compete the more important event wins (a key event set by hand, then a period's start, then
evidence); "+N more" sits by the events it counts. Key events are set from the event dialog and
the timeline's context menu, each one undo step."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QContextMenuEvent, QUndoStack
from PySide6.QtWidgets import QApplication

from sijill.db.formats.native import import_native
from sijill.db.store.project import Project
from sijill.db.resources import demo_path
from sijill.db.timeline.lanes import PRIO_KEY
from sijill.desktop.events.event_dialog import open_event_editor
from sijill.desktop.hub import ProjectHub
from sijill.db.timeline.frame import AXIS_H
from sijill.desktop.timeline.view import TimelineView
from tests.desktop.timeline_helpers import ev, gid, item_pos, reopen, setup, ts  # noqa: F401 (fixture)

# the offscreen platform: top-level show(), and a popped-up menu
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "grabbing the keyboard")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sijill"
    with Project.create(path) as project:
        import_native(project, demo_path())
    return path


@pytest.fixture
def demo_view(qtbot, demo_file):
    project = Project.open(demo_file)
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(1600, 900)
    view.show()
    qtbot.waitExposed(view)
    view.fit_all()
    view.grab()
    yield view
    project.close()


def rects(a: np.ndarray) -> list[QRectF]:
    return [QRectF(*r) for r in a.tolist()]


def test_period_titles_never_cover_an_event_label_at_full_range(demo_view):
    frame = demo_view.canvas.frame
    periods, labels = frame.period_rects, rects(frame.label_rects)
    assert len(periods) >= 4 and len(labels) >= 40
    for p in periods:
        assert p.bottom() <= AXIS_H + 0.5            # in their band under the axis, above every lane
        for r in labels:
            assert not p.intersects(r), (p, r)
    for a in periods:                                # nor over one another
        for b in periods:
            assert a is b or not a.intersects(b)


def test_the_call_that_founded_the_pmf_is_labelled_at_full_range(demo_view):
    project = demo_view.hub.project
    call = ev(project, "Al-Sistani's call to arms")
    assert call.key_event
    frame = demo_view.canvas.frame
    assert call.id in frame.label_ids.tolist()
    pmf = gid(project, "Popular Mobilization Forces")
    lane = next(dl for dl in frame.lanes if dl.geom.key == pmf)
    assert call.id in lane.ids.tolist()               # drawn in the PMF lane, out of June 2014's crowd
    # its whole title is readable: the room it was given holds it
    k = frame.label_ids.tolist().index(call.id)
    assert frame.label_rects[k][2] >= demo_view.canvas.painter.labels.fm.horizontalAdvance(call.title)


def test_more_markers_sit_by_the_events_they_count(qtbot, tmp_path):
    project = Project.create(tmp_path / "p.sijill")
    g = project.create_group("Lane")
    key = project.create_event("A key event with a long title that wants its room", "2020-01-10",
                               groups=[(g.id, "actor")], key_event=True)
    # within its label's room, each in a stretch of its own (not crowded: not density)
    hidden = [project.create_event(f"Minor {d}", d, groups=[(g.id, "actor")]) for d in ("2020-01-22", "2020-02-03")]
    project.create_event("Far right", "2020-12-20", groups=[(g.id, "actor")])
    for n in range(5):                                # lanes enough that each holds one row
        project.create_group(f"Other {n}")
    view = TimelineView(ProjectHub(project), QUndoStack())
    qtbot.addWidget(view)
    view.resize(1400, 200)
    view.show()
    qtbot.waitExposed(view)
    view.set_window(ts(2019, 12, 20), ts(2020, 12, 31))
    canvas = view.canvas
    canvas.painter.record = {}
    canvas.grab()
    frame = canvas.frame
    dl = next(d for d in frame.lanes if d.geom.key == g.id)
    assert dl.geom.rows == 1                           # one row: the minor events give way to the key one
    assert key.id in dl.ids.tolist() and not set(e.id for e in hidden) & set(dl.ids.tolist())
    [(rect, ids)] = canvas.painter.record["overflow"][g.id]
    assert sorted(np.asarray(ids).tolist()) == sorted(e.id for e in hidden)
    first = canvas.viewport().x(ts(2020, 1, 22))
    assert abs(rect.left() - first) < 12               # at the first hidden event…
    assert rect.right() < canvas.width() / 2           # …not at the lane's end
    project.close()


def _menu_on(view, qtbot, event_id):
    pos = item_pos(view, event_id)
    QApplication.sendEvent(view.canvas, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                          view.canvas.mapToGlobal(pos)))
    qtbot.waitUntil(lambda: view.event_menu is not None and view.event_menu.isVisible())
    menu = view.event_menu
    return menu, next(a for a in menu.actions() if a.objectName() == "event_menu_key")


def _prio(view, event_id) -> int:
    for key, _role in view.data.lanes.event_lanes[event_id]:
        lane = view.data.lanes.lanes[key]
        return int(lane.prio[lane.index_of(event_id)])
    raise AssertionError(event_id)


def test_mark_as_key_event_from_the_timeline_menu_is_one_undo_step(setup, qtbot):
    view, hub, stack, project = setup
    e = ev(project, "Tower 22 attack")
    view.set_window(ts(2024, 1, 1), ts(2024, 3, 1))
    view.grab()
    menu, key = _menu_on(view, qtbot, e.id)
    assert not key.isChecked() and hub.selection == [e.id]
    key.trigger()
    menu.close()
    assert reopen(project).event(e.id).key_event
    assert stack.count() == 1 and "key event" in stack.undoText() and "Tower 22 attack" in stack.undoText()
    assert _prio(view, e.id) & PRIO_KEY                # the lanes are ranked anew
    stack.undo()
    assert not reopen(project).event(e.id).key_event and not _prio(view, e.id) & PRIO_KEY
    stack.redo()
    assert reopen(project).event(e.id).key_event
    view.grab()
    menu, key = _menu_on(view, qtbot, e.id)            # the menu shows the flag
    assert key.isChecked()
    key.trigger()
    menu.close()
    assert not reopen(project).event(e.id).key_event and stack.count() == 2


def test_key_event_checkbox_in_the_event_dialog(qtbot, small_project):
    hub, stack = ProjectHub(small_project), QUndoStack()
    e = ev(small_project, "Sistani's call to arms")
    dialog = open_event_editor(None, hub, stack, e.id)
    qtbot.addWidget(dialog)
    assert not dialog.key_event.isChecked()
    dialog.key_event.click()
    assert dialog.changed_fields() == {"key_event": True}
    dialog.accept()
    assert reopen(small_project).event(e.id).key_event and stack.count() == 1
    stack.undo()
    assert not reopen(small_project).event(e.id).key_event
    stack.redo()
    again = open_event_editor(None, hub, stack, e.id)
    qtbot.addWidget(again)
    assert again.key_event.isChecked() and again.changed_fields() == {}
    again.reject()
