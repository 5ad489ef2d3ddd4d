"""The text view of the reader: a source's body, laid out per paragraph left-to-right or
right-to-left, with annotations highlighted, mentions underlined and margin bars.

Qt counts text positions in UTF-16 code units; the project counts code points. `OffsetMap`
converts between the two; everything this view hands out is in code points.
"""
from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QMouseEvent, QPainter, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from sijill.db.text.mentions import Mention
from sijill.db.store.entities import Annotation
from sijill.desktop.widgets import theme

# Highlight, margin and underline colours come from sijill.desktop.widgets.theme (light or dark, by the palette);
# a highlight sets its text colour too, so that it is readable on either.
BAR_WIDTH, BAR_GAP, MARGIN_PAD = 4, 3, 6


class OffsetMap:
    """Code-point offsets <-> UTF-16 positions (what QTextCursor counts) for one text."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral_qt = [cp + k for k, cp in enumerate(self._astral)]
        self.length = len(text)

    def to_qt(self, cp: int) -> int:
        return cp + bisect.bisect_left(self._astral, cp)

    def to_cp(self, pos: int) -> int:
        """The code point at (or, inside a surrogate pair, just before) a Qt position."""
        return pos - bisect.bisect_left(self._astral_qt, pos)


def strong_direction(text: str) -> Qt.LayoutDirection | None:
    """The direction of the first strong character (the Unicode bidi rule P2), None if none."""
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            return Qt.LayoutDirection.RightToLeft
        if bidi == "L":
            return Qt.LayoutDirection.LeftToRight
    return None


def mostly_rtl(text: str) -> bool:
    rtl = ltr = 0
    for ch in text[:20000]:
        bidi = unicodedata.bidirectional(ch)
        rtl += bidi in ("R", "AL")
        ltr += bidi == "L"
    return rtl > ltr


@dataclass(frozen=True)
class Span:
    """An annotation's passage in Qt positions."""

    annotation: Annotation
    start: int
    end: int


class ReaderView(QTextEdit):
    """Read-only source text. Emits code-point offsets; paints highlights and margin bars."""

    annotation_clicked = Signal(int)  # annotation id chosen by a click on its highlight or bar
    annotation_double_clicked = Signal(int)
    annotate_shortcut = Signal()  # Ctrl+E while the text has focus (overrides window shortcuts)
    selection_range_changed = Signal()

    ANNOTATE_KEYS = QKeySequence("Ctrl+E")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerText")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(14)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5) * 1.1)
        self.setFont(font)
        self.setMouseTracking(True)
        self._body = ""
        self._map = OffsetMap("")
        self._spans: list[Span] = []
        self._bar_columns: dict[int, int] = {}
        self._mentions: list[Mention] = []
        self._current: int | None = None
        self._rtl = False
        self._press_pos: QPoint | None = None
        self.margin = _MarginBars(self)
        self.verticalScrollBar().valueChanged.connect(self.margin.update)
        self.selectionChanged.connect(self.selection_range_changed)
        self._layout_margin()

    # ---- content -------------------------------------------------------------------------------
    def set_body(self, body: str) -> None:
        """Show a text; each paragraph takes the direction of its first strong character."""
        self._body = body
        self._map = OffsetMap(body)
        self._rtl = mostly_rtl(body)
        self._spans, self._mentions, self._bar_columns = [], [], {}  # stale offsets for the new text
        # A lone "\r" would become a paragraph break of its own; "\r\n" would count as one position.
        self.setPlainText(body.replace("\r", " "))
        option = self.document().defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDefaultTextOption(option)
        self._set_directions()
        self._layout_margin()
        self._refresh()

    def _set_directions(self) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        block = doc.begin()
        previous = Qt.LayoutDirection.RightToLeft if self._rtl else Qt.LayoutDirection.LeftToRight
        while block.isValid():
            direction = strong_direction(block.text()) or previous
            previous = direction
            fmt = block.blockFormat()
            fmt.setLayoutDirection(direction)
            align = Qt.AlignmentFlag.AlignRight if direction == Qt.LayoutDirection.RightToLeft else Qt.AlignmentFlag.AlignLeft
            fmt.setAlignment(align | Qt.AlignmentFlag.AlignAbsolute)
            fmt.setBottomMargin(6)
            fmt.setLineHeight(125, 1)  # QTextBlockFormat.ProportionalHeight
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
            block = block.next()

    @property
    def body(self) -> str:
        return self._body

    @property
    def right_to_left(self) -> bool:
        return self._rtl

    def offsets(self) -> OffsetMap:
        return self._map

    def set_annotations(self, annotations: list[Annotation]) -> None:
        n = self._map.length
        self._spans = [Span(a, self._map.to_qt(a.start), self._map.to_qt(a.end))
                       for a in annotations if not a.orphaned and 0 <= a.start < a.end <= n]
        self._bar_columns = _columns([(s.start, s.end, s.annotation.id) for s in self._spans])
        self._layout_margin()
        self._refresh()

    def set_mentions(self, mentions: list[Mention]) -> None:
        self._mentions = list(mentions)
        self._refresh()

    def mentions(self) -> list[Mention]:
        return list(self._mentions)

    def set_current(self, annotation_id: int | None) -> None:
        if annotation_id != self._current:
            self._current = annotation_id
            self._refresh()

    @property
    def current(self) -> int | None:
        return self._current

    # ---- selection in code points --------------------------------------------------------------
    def selection_range(self) -> tuple[int, int] | None:
        """The selected passage as code-point offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._map.to_cp(cursor.selectionStart()), self._map.to_cp(cursor.selectionEnd())
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int, *, scroll: bool = True) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(start))
        cursor.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        if scroll:
            self.ensureCursorVisible()

    def show_range(self, start: int, end: int) -> None:
        """Scroll so that a passage is in view, without selecting it."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(end))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(self._map.to_qt(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # ---- what is where -------------------------------------------------------------------------
    def annotations_at(self, point: QPoint) -> list[Annotation]:
        """Annotations over the character under a viewport point (several where they overlap)."""
        pos = self.cursorForPosition(point).position()
        found = [s.annotation for s in self._spans if s.start <= pos < s.end]
        if not found:  # the click fell on the trailing half of a passage's last character
            found = [s.annotation for s in self._spans if s.start < pos <= s.end]
        return found

    def mentions_at(self, point: QPoint) -> list[Mention]:
        pos = self._map.to_cp(self.cursorForPosition(point).position())
        return [m for m in self._mentions if m.start <= pos < m.end] or \
               [m for m in self._mentions if m.start < pos <= m.end]

    def point_of(self, cp: int) -> QPoint:
        """The viewport point in the middle of the character at a code-point offset."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(cp))
        a = self.cursorRect(cursor)
        cursor.setPosition(self._map.to_qt(cp) + 1)
        b = self.cursorRect(cursor)
        return QPoint((a.center().x() + b.center().x()) // 2, a.center().y())

    # ---- painting ------------------------------------------------------------------------------
    def _refresh(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        colors = theme.current()
        for start, end, count, current in _segments(self._spans, self._current):
            palette = colors.current if current else colors.highlight
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(palette[min(count, 3) - 1]))
            fmt.setForeground(QColor(colors.highlight_text))
            selections.append(self._extra(start, end, fmt))
        for m in self._mentions:
            fmt = QTextCharFormat()
            # places: the groups' colour, dashed
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline if m.kind == "place"
                                  else QTextCharFormat.UnderlineStyle.DotLine)
            fmt.setUnderlineColor(QColor(colors.date_underline if m.kind == "date" else colors.group_underline))
            selections.append(self._extra(self._map.to_qt(m.start), self._map.to_qt(m.end), fmt))
        self.setExtraSelections(selections)
        self.margin.update()

    def _extra(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = fmt
        return sel

    def bar_rects(self) -> list[tuple[int, QRect]]:
        """(annotation id, rectangle in margin coordinates) of every margin bar."""
        out = []
        columns = max(self._bar_columns.values(), default=-1) + 1
        for span in self._spans:
            col = self._bar_columns.get(span.annotation.id, 0)
            top = self._cursor_rect(span.start).top()
            bottom = self._cursor_rect(max(span.start, span.end - 1)).bottom()
            if self._rtl:
                x = MARGIN_PAD + col * (BAR_WIDTH + BAR_GAP)
            else:
                x = MARGIN_PAD + (columns - 1 - col) * (BAR_WIDTH + BAR_GAP)
            out.append((span.annotation.id, QRect(x, top, BAR_WIDTH, max(bottom - top, 4))))
        return out

    def _cursor_rect(self, pos: int) -> QRect:
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos)
        return self.cursorRect(cursor)

    def _layout_margin(self) -> None:
        columns = max(self._bar_columns.values(), default=-1) + 1
        width = 2 * MARGIN_PAD + max(columns, 1) * (BAR_WIDTH + BAR_GAP)
        if self._rtl:
            self.setViewportMargins(0, 0, width, 0)
        else:
            self.setViewportMargins(width, 0, 0, 0)
        self._place_margin(width)

    def _place_margin(self, width: int | None = None) -> None:
        rect = self.contentsRect()
        width = width or self.margin.width()
        vp = self.viewport().geometry()
        x = vp.right() + 1 if self._rtl else rect.left()
        self.margin.setGeometry(QRect(x, vp.top(), width, vp.height()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_margin()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark: highlights in the new colours
            self._refresh()

    # ---- mouse and keys ------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.keyCombination().toCombined() == \
                self.ANNOTATE_KEYS[0].toCombined():
            event.accept()  # Ctrl+E here means Annotate, whatever the window binds it to
            return True
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.keyCombination().toCombined() == self.ANNOTATE_KEYS[0].toCombined():
            self.annotate_shortcut.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def tooltip_at(self, point: QPoint) -> str:
        """How the mentions under a point were read, and the annotations there."""
        lines = [mention_tooltip(m) for m in self.mentions_at(point)]
        for a in self.annotations_at(point):
            grade = f"[{a.credibility}] " if a.credibility else ""
            lines.append(f"Annotation {grade}{(a.note or '').strip()[:120] or '(no note)'}")
        return "\n".join(lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        if self._press_pos is not None and (self._press_pos - point).manhattanLength() > 4:
            return
        found = self.annotations_at(point)
        if found:
            chosen = found[0] if len(found) == 1 else self.choose_annotation(found, event.globalPosition().toPoint())
            if chosen is not None:
                self.set_current(chosen.id)
                self.annotation_clicked.emit(chosen.id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        found = self.annotations_at(event.position().toPoint())
        if not found:
            super().mouseDoubleClickEvent(event)
            return
        chosen = found[0] if len(found) == 1 else self.choose_annotation(found, event.globalPosition().toPoint())
        if chosen is not None:
            self.set_current(chosen.id)
            self.annotation_double_clicked.emit(chosen.id)

    def choose_annotation(self, candidates: list[Annotation], global_pos: QPoint) -> Annotation | None:
        """Where passages overlap, ask which one was meant (a menu at the click)."""
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        for a in candidates:
            quote = " ".join(a.quote.split())
            label = (quote[:60] + "…") if len(quote) > 60 else quote
            grade = f"  [{a.credibility}]" if a.credibility else ""
            action = menu.addAction(f"“{label}”{grade}")
            action.setData(a.id)
        picked = menu.exec(global_pos)
        return next((a for a in candidates if picked is not None and a.id == picked.data()), None)


def mention_tooltip(m: Mention) -> str:
    if m.kind == "group":
        return f"{m.text} → group: {m.group}"
    if m.kind == "place":
        return f"{m.text} → {m.place.kind}: {m.place.label()}"  # place, province or country
    from sijill.desktop.sources.source_dialog import describe_date

    return f"{m.text} → {describe_date(m.date)}" if m.date is not None else m.text


def _segments(spans: list[Span], current: int | None) -> list[tuple[int, int, int, bool]]:
    """Split overlapping passages into runs: (start, end, how many cover it, current among them)."""
    bounds = sorted({p for s in spans for p in (s.start, s.end)})
    out = []
    for a, b in zip(bounds, bounds[1:]):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if covering:
            out.append((a, b, len(covering), any(s.annotation.id == current for s in covering)))
    return out


def _columns(spans: list[tuple[int, int, int]]) -> dict[int, int]:
    """Give each passage a margin column so that overlapping passages sit side by side."""
    ends: list[int] = []
    out = {}
    for start, end, aid in sorted(spans):
        for col, last_end in enumerate(ends):
            if last_end <= start:
                ends[col] = end
                out[aid] = col
                break
        else:
            out[aid] = len(ends)
            ends.append(end)
    return out


class _MarginBars(QWidget):
    """Vertical bars beside the text, one per annotation; overlapping passages side by side."""

    def __init__(self, view: ReaderView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("readerMargin")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(2 * MARGIN_PAD + BAR_WIDTH, 10)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        colors = theme.current()
        painter.fillRect(self.rect(), QColor(colors.margin))
        for aid, rect in self.view.bar_rects():
            col = self.view._bar_columns.get(aid, 0)
            colour = QColor(colors.current[2] if aid == self.view.current else colors.bars[col % len(colors.bars)])
            painter.fillRect(rect, colour)
        painter.end()

    def annotation_at(self, point: QPoint) -> int | None:
        for aid, rect in self.view.bar_rects():
            if rect.adjusted(-1, 0, 1, 0).contains(point):
                return aid
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        aid = self.annotation_at(event.position().toPoint())
        if aid is not None:
            self.view.set_current(aid)
            self.view.annotation_clicked.emit(aid)
