"""Event titles on the timeline: which items get one and how wide (numpy, for the whole frame),
elided to fit, drawn on raster targets from pictures of them kept in an atlas (all in one call,
`sijill.desktop.timeline.atlas`), or as real text in SVG and PDF.
"""
from __future__ import annotations

import math
from itertools import repeat

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap, QStaticText

from sijill.db.timeline.window import Viewport
from sijill.desktop.widgets.theme import LIGHT, Theme
from sijill.db.timeline.frame import ROW_H, _nz
from sijill.desktop.timeline.atlas import Atlas

LABEL_PIXMAP_MAX_W = 640         # wider labels (inside long bars) are drawn as text
TEXTS_MAX = 20000                # elided texts and laid-out static texts kept


def blank_pixmap(w: float, h: float, dpr: float) -> QPixmap:
    """A transparent pixmap of w×h logical pixels at device pixel ratio `dpr` (sharp marks and
    labels on high-density screens)."""
    pm = QPixmap(max(1, math.ceil(w * dpr)), max(1, math.ceil(h * dpr)))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    return pm


class Labels:
    """Draws the frame's titles with a font; keeps the elided texts and, for raster targets, the
    titles' pictures in an atlas (emptied when a frame's titles no longer fit in it)."""

    def __init__(self, font: QFont) -> None:
        self.font = font
        self.fm = QFontMetricsF(font)
        self.texts: dict = {}      # (title, width) -> elided text ('' when nothing readable is left)
        self.static: dict = {}     # text -> QStaticText (vector targets)
        self.atlas = Atlas()       # (text, colour, pixel ratio) -> the title's picture
        self.record: dict | None = None   # when a dict (exports): (event id, item top) -> title rect
        self.widths: dict = {}     # title -> its width in px (the room a ranked event keeps)

    def need(self, data, ids: np.ndarray) -> np.ndarray:
        """The width in px of each event's whole title (read and measured once per title)."""
        titles = data.titles_for(ids.tolist())
        widths, advance = self.widths, self.fm.horizontalAdvance
        if len(widths) > TEXTS_MAX:
            widths.clear()
        out = []
        for eid in ids.tolist():
            title = titles.get(eid, "")
            w = widths.get(title)
            if w is None:
                w = widths[title] = advance(title)
            out.append(w)
        return np.array(out, np.float64)

    def draw(self, qp: QPainter, vp: Viewport, data, batch, colors: list[QColor], dpr: float, vector: bool,
             theme: Theme = LIGHT):
        """Titles where they fit: inside a long bar, else right of the mark up to the next item.
        Which items get one, where and how wide is decided with numpy; drawn grouped by pen, in
        `theme`'s text colour beside marks. Returns the ids and rects (x, y, width given, height)
        of the titles drawn, or None."""
        span, b1, e0 = batch.span, batch.b1, batch.e0
        inside = span & ((e0 - b1) > 40)
        a_in = np.maximum(b1, vp.x0) + 4
        a = np.where(inside, a_in, batch.x1 + 8)
        avail = np.where(inside, np.minimum(e0, vp.x0 + vp.width) - a_in - 4, batch.room - 8)
        ok = _nz(avail >= 24)
        if not len(ok):
            return None
        # pens: dark beside a mark, white inside an actor's bar, the lane's colour inside others
        kind = np.where(inside, np.where(batch.role == 0, 1, 2), 0)[ok]
        pen = np.where(kind == 2, 2 + batch.slot[ok], kind)
        order = np.argsort(pen, kind="stable")
        ok = ok[order]
        top_off = (ROW_H - 4) / 2 - self.fm.height() / 2
        lx, lw = a[ok].tolist(), (avail[ok] // 8 * 8).astype(np.int64).tolist()
        ly, lid, lp = (batch.y0[ok] + top_off).tolist(), batch.ids[ok].tolist(), pen[order].tolist()
        titles = data.titles_for(lid)
        record = self.record
        tops = batch.y0[ok].tolist() if record is not None else repeat(0.0)
        fixed = {0: theme.color("text"), 1: QColor("#ffffff")}
        pen_of: dict = {}
        texts, elide = self.texts, self._elide
        if vector:
            qp.setFont(self.font)
        drawn = []
        keys: list = []                               # raster: each drawn title's picture
        for k, (x, w, y, eid, pk, top) in enumerate(zip(lx, lw, ly, lid, lp, tops)):
            title = titles.get(eid, "")
            text = texts.get((title, w))
            if text is None:
                text = elide(title, w)
            if not text:
                continue
            drawn.append(k)
            if record is not None:
                record[(eid, top)] = QRectF(x, y, self.fm.horizontalAdvance(text), self.fm.height())
            pen = pen_of.get(pk)
            if pen is None:
                c = fixed[pk] if pk < 2 else theme.label_on(colors[pk - 2])
                pen = pen_of[pk] = (c, c.rgba())
                if vector:
                    qp.setPen(c)                      # sorted by pen: one change per kind
            if vector:
                qp.drawStaticText(QPointF(x, y), self._static(text))
                continue
            keys.append((text, pen[1], dpr))
        drawn = np.array(drawn, np.int64)
        if not vector and len(drawn):
            self._blit(qp, keys, np.asarray(lx, np.float64)[drawn], np.asarray(ly, np.float64)[drawn], dpr)
        rects = np.column_stack((np.asarray(lx, np.float64)[drawn], np.asarray(ly, np.float64)[drawn],
                                 np.asarray(lw, np.float64)[drawn], np.full(len(drawn), self.fm.height())))
        return np.asarray(lid, np.int64)[drawn], rects

    def _elide(self, title: str, width: int) -> str:
        """The title elided to `width` px ('' when nothing readable is left), cached."""
        if len(self.texts) > TEXTS_MAX:
            self.texts.clear()
        text = self.fm.elidedText(title, Qt.TextElideMode.ElideRight, width)
        text = self.texts[(title, width)] = text if text != "…" else ""
        return text

    def _static(self, text: str) -> QStaticText:
        st = self.static.get(text)
        if st is None:
            if len(self.static) > TEXTS_MAX:
                self.static.clear()
            st = self.static[text] = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=self.font)
        return st

    def _blit(self, qp: QPainter, keys: list, xs: np.ndarray, ys: np.ndarray, dpr: float) -> None:
        """The titles' pictures at (x, y) rounded as `drawPixmap(int(x + 0.5), ...)` rounds: from
        the atlas in one call; a title too wide to keep as a picture is laid out as text."""
        slots, alone = self.atlas.resolve(keys, lambda key: self._pixmap(key[0], QColor.fromRgba(key[1]), key[2]))
        ok = slots >= 0
        self.atlas.draw(qp, np.trunc(xs[ok] + 0.5), np.trunc(ys[ok] + 0.5), slots[ok], dpr)
        for k, pm in alone.items():                  # (only when a frame's titles fill every page)
            qp.drawPixmap(int(xs[k] + 0.5), int(ys[k] + 0.5), pm)
        for k in _nz(~ok).tolist():                  # titles too wide to keep as pictures, after
            if k not in alone:
                text, rgba, _dpr = keys[k]
                qp.setFont(self.font)
                qp.setPen(QColor.fromRgba(rgba))
                qp.drawText(QPointF(float(xs[k]), float(ys[k]) + self.fm.ascent()), text)

    def _pixmap(self, text: str, pen: QColor, dpr: float) -> QPixmap | None:
        """`text` drawn in `pen` on a transparent pixmap; None for a label too wide to be worth
        keeping (drawn as text)."""
        st = self._static(text)
        size = st.size()
        if size.width() > LABEL_PIXMAP_MAX_W:
            return None
        pm = blank_pixmap(size.width() + 2, size.height() + 1, dpr)
        p = QPainter(pm)
        p.setFont(self.font)
        p.setPen(pen)
        p.drawStaticText(QPointF(0, 0), st)
        p.end()
        return pm
