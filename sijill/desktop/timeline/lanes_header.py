"""The lane header column: group names nested by hierarchy, colour, event count, collapse
toggles, reordering by drag (one ReorderGroupsCommand per drop; a drop onto the middle of another
lane moves the group under it, one MoveGroupCommand), and a context menu that
renames, recolours, merges or deletes the lane's group, adds a sub-group, or hides the lane."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QMenu, QWidget

from sijill.db.timeline.lanes import UNGROUPED
from sijill.desktop.widgets import theme
from sijill.desktop.commands.groups import ReorderGroupsCommand
from sijill.desktop.undo_text import quoted
from sijill.desktop.timeline.legend import draw_legend
from sijill.db.timeline.frame import AXIS_H
from sijill.desktop.groups.palette import lane_color

INDENT = 12
HEADER_W = 210


class LanesHeader(QWidget):
    """Paints one header per lane of the canvas, aligned with it. The painting is kept as a
    pixmap until the lanes, their counts or a drag change, so a pan or zoom only copies it."""

    def __init__(self, canvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setFixedWidth(HEADER_W)
        self.drag_key: int | None = None
        self.drag_y = 0.0
        self.press_y = 0.0
        self._cache: QPixmap | None = None
        self._editing = None
        canvas.geometry_changed.connect(self.invalidate)
        canvas.data.changed.connect(self.invalidate)

    def invalidate(self) -> None:
        self._cache = None
        self.update()

    def geom_at(self, y: float):
        """The lane at `y` (canvas and header share their y: both follow the canvas's scroll)."""
        if y < AXIS_H:
            return None
        for g in self.canvas.geoms:
            if g.y <= y < g.y + g.h:
                return g
        return None

    def paintEvent(self, event) -> None:
        ratio = self.devicePixelRatioF()
        if (self._cache is None or self._cache.size() != self.size() * ratio
                or self._cache.devicePixelRatio() != ratio):
            pm = QPixmap(self.size() * ratio)
            pm.setDevicePixelRatio(ratio)
            qp = QPainter(pm)
            self._paint_lanes(qp)
            qp.end()
            self._cache = pm
        qp = QPainter(self)
        qp.drawPixmap(0, 0, self._cache)
        qp.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._cache = None

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        self._cache = None          # font, palette, style: paint afresh

    def _paint_lanes(self, qp: QPainter) -> None:
        colors = theme.current()
        qp.fillRect(self.rect(), colors.color("header"))
        qp.fillRect(QRectF(0, 0, self.width(), AXIS_H), colors.color("axis"))
        bold = QFont(self.font())
        bold.setBold(True)
        fm = QFontMetricsF(self.font())
        data = self.canvas.data
        qp.save()
        qp.setClipRect(QRectF(0, AXIS_H, self.width(), max(self.height() - AXIS_H, 0)))
        for n, g in enumerate(self.canvas.geoms):
            if g.y + g.h <= AXIS_H or g.y >= self.height():
                continue            # scrolled out of view
            info = g.info
            x = 4 + info.depth * INDENT
            if n % 2:
                qp.fillRect(QRectF(0, g.y, self.width(), g.h), colors.color("header_alt"))
            if g.key == self.drag_key:
                qp.fillRect(QRectF(0, g.y, self.width(), g.h), QColor(74, 111, 165, 40))
            cy = g.y + min(g.h / 2, 12)
            tri = (QPolygonF([QPointF(x, cy - 4), QPointF(x + 7, cy), QPointF(x, cy + 4)]) if g.collapsed else
                   QPolygonF([QPointF(x, cy - 3), QPointF(x + 8, cy - 3), QPointF(x + 4, cy + 3)]))
            qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            qp.setBrush(colors.color("faint"))
            qp.setPen(Qt.PenStyle.NoPen)
            qp.drawPolygon(tri)
            qp.setBrush(colors.lane(lane_color(info, n)))
            qp.drawRoundedRect(QRectF(x + 12, cy - 5, 10, 10), 2, 2)
            qp.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            count = str(data.event_count(g.key))
            cw = fm.horizontalAdvance(count)
            qp.setFont(bold if info.has_children else self.font())
            qp.setPen(colors.color("text") if info.key != UNGROUPED else colors.color("faint"))
            name = QFontMetricsF(qp.font()).elidedText(info.name, Qt.TextElideMode.ElideRight,
                                                      self.width() - x - 34 - cw - 8)
            qp.drawText(QPointF(x + 27, cy + fm.ascent() / 2 - 1), name)
            qp.setFont(self.font())
            qp.setPen(colors.color("muted"))
            qp.drawText(QPointF(self.width() - cw - 6, cy + fm.ascent() / 2 - 1), count)
            qp.setPen(QPen(colors.color("line"), 1))
            qp.drawLine(QPointF(0, g.y + g.h - 0.5), QPointF(self.width(), g.y + g.h - 0.5))
        if self.drag_key is not None:
            qp.setPen(QPen(colors.color("accent"), 2))
            onto = self.drop_onto(self.drag_key, self.drag_y)
            if onto is not None:  # dropping here puts the dragged group under this one
                qp.setBrush(Qt.BrushStyle.NoBrush)
                qp.drawRect(QRectF(1, onto.y + 1, self.width() - 3, onto.h - 2))
            else:
                qp.drawLine(QPointF(0, self.drag_y), QPointF(self.width(), self.drag_y))
        qp.restore()
        last = self.canvas.geoms[-1].y + self.canvas.geoms[-1].h if self.canvas.geoms else AXIS_H
        small = QFont(self.font())
        small.setPointSizeF(7.5)
        room = self.height() - last - 8
        if room > 100:
            draw_legend(qp, QRectF(0, self.height() - 96, self.width(), 96), small, columns=2, theme=colors)
        qp.setPen(QPen(colors.color("border"), 1))
        qp.drawLine(QPointF(self.width() - 0.5, 0), QPointF(self.width() - 0.5, self.height()))

    # ---- collapse and reorder ------------------------------------------------------------------
    def mousePressEvent(self, e) -> None:
        g = self.geom_at(e.position().y())
        if g is None or e.button() != Qt.MouseButton.LeftButton:
            return
        x = 4 + g.info.depth * INDENT
        if x - 3 <= e.position().x() <= x + 11:
            self.canvas.view.set_lane_collapsed(g.key, not g.collapsed)
            return
        if g.key != UNGROUPED:
            self.drag_key = g.key
            self.press_y = self.drag_y = e.position().y()

    def mouseMoveEvent(self, e) -> None:
        if self.drag_key is not None:
            y = e.position().y()
            before = self.canvas.scroll_y
            self.canvas.auto_scroll(y)               # dragging to the edge scrolls the lanes
            self.press_y -= self.canvas.scroll_y - before
            self.drag_y = y
            self.invalidate()

    def wheelEvent(self, e) -> None:
        """The wheel over the lane names scrolls the lanes."""
        self.canvas.interaction.scroll_wheel(e)

    def mouseDoubleClickEvent(self, e) -> None:
        g = self.geom_at(e.position().y())
        if g is not None:
            self.canvas.view.set_lane_collapsed(g.key, not g.collapsed)

    def mouseReleaseEvent(self, e) -> None:
        key, self.drag_key = self.drag_key, None
        self.invalidate()
        if key is None or abs(e.position().y() - self.press_y) < 4:
            return
        y = e.position().y()
        target = self.geom_at(y)
        moved = next((g for g in self.canvas.geoms if g.key == key), None)
        if target is None or moved is None or target.key == key:
            return
        onto = self.drop_onto(key, y)
        if onto is not None:
            self.move_under(key, onto.key)
        elif target.info.parent == moved.info.parent:
            self.move_lane(key, target.key, after=y > target.y + target.h / 2)
        elif target.key != UNGROUPED:  # beside a lane of another parent: into that parent
            self.move_under(key, target.info.parent)

    def drop_onto(self, key: int, y: float):
        """The lane a drag of lane `key` at `y` drops *onto* (its middle half: the dragged group
        goes under it), or None at a lane's edges (beside it) or over the dragged lane, its own
        parent or Ungrouped (a lane inside it is refused by the project, with a message)."""
        g = self.geom_at(y)
        if g is None or g.key in (key, UNGROUPED):
            return None
        if not g.y + g.h / 4 <= y <= g.y + 3 * g.h / 4:
            return None
        moved = next((m for m in self.canvas.geoms if m.key == key), None)
        if moved is None or moved.info.parent == g.key:
            return None
        return g

    def move_under(self, key: int, parent: int | None) -> None:
        """Put group `key` under `parent` (None: the top level) as one undoable step; a drop that
        would put a group inside itself is refused by the project and said in the window."""
        from sijill.desktop.commands.groups import MoveGroupCommand

        hub = self.canvas.data.hub
        self.canvas.view.undo_stack.push(MoveGroupCommand(hub, key, parent))

    def move_lane(self, key: int, target: int, after: bool) -> None:
        """Put lane `key` just before (or after) its sibling `target`, as one undoable step."""
        hub = self.canvas.data.hub
        order = [g.id for g in sorted(hub.project.groups(), key=lambda g: (g.position, g.id))]
        order.remove(key)
        pos = order.index(target) + (1 if after else 0)
        order.insert(pos, key)
        name = hub.project.group(key).name
        self.canvas.view.undo_stack.push(ReorderGroupsCommand(hub, order, text=f"Move lane {quoted(name)}"))

    # ---- context menu --------------------------------------------------------------------------
    @property
    def editing(self):
        """The group gestures (desktop.groups.editing), pushing on the timeline's undo stack."""
        if self._editing is None:
            from sijill.desktop.groups.editing import GroupEditing

            self._editing = GroupEditing(self.canvas.data.hub, self.canvas.view.undo_stack, self)
        return self._editing

    def menu_for(self, key: int | None) -> QMenu:
        """The menu of lane `key` (None: below the lanes); kept separate to be testable."""
        hub = self.canvas.data.hub
        edits = not hub.project.read_only
        menu = QMenu(self)

        def add(text: str, name: str, slot, enabled: bool = True) -> None:
            action = menu.addAction(text, slot)
            action.setObjectName(name)
            action.setEnabled(enabled)

        if key is not None and key != UNGROUPED:
            others = sum(1 for i in self.canvas.data.infos if i.key != UNGROUPED) > 1
            add("Rename…", "rename_lane", lambda: self.editing.rename(key), edits)
            add("Colour…", "colour_lane", lambda: self.editing.recolour(key), edits)
            add("New sub-group…", "new_subgroup", lambda: self.editing.new_group(key), edits)
            add("Merge into…", "merge_lane", lambda: self.editing.merge(key), edits and others)
            add("Edit group…", "edit_lane", lambda: self.editing.edit(key), edits)
            menu.addSeparator()
            add("Hide lane", "hide_lane", lambda: self.hide_lane(key))
            add("Delete group…", "delete_lane", lambda: self.editing.delete(key), edits)
        else:
            add("New group…", "new_group", lambda: self.editing.new_group(), edits)
            if key == UNGROUPED:
                add("Hide lane", "hide_lane", lambda: self.hide_lane(key))
            menu.addSeparator()
            add("Show all lanes", "show_all", self.show_all_lanes, hub.filter.group_ids is not None)
        return menu

    def contextMenuEvent(self, e) -> None:  # noqa: N802 (Qt name)
        g = self.geom_at(e.pos().y())
        self.menu_for(g.key if g is not None else None).exec(e.globalPos())

    def hide_lane(self, key: int) -> None:
        """Hide a lane and the lanes nested in it (the Groups tab's boxes follow)."""
        hub = self.canvas.data.hub
        infos = self.canvas.data.infos
        inside = {key}
        for info in infos:                     # parents come before their children
            if info.parent in inside:
                inside.add(info.key)
        every = {i.key for i in infos}
        shown = set(hub.filter.group_ids) if hub.filter.group_ids is not None else every
        hub.set_filter(hub.filter.with_(group_ids=frozenset(shown - inside)))

    def show_all_lanes(self) -> None:
        hub = self.canvas.data.hub
        hub.set_filter(hub.filter.with_(group_ids=None))
