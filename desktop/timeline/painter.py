"""Drawing the timeline from arrays onto any QPainter: the screen, a QImage, SVG or PDF.

Per frame: what each lane draws is worked out for all lanes at once (`desktop.timeline.prepare`:
bisection, density where crowded, rows for the rest), then drawn in a few batched calls per
lane and style (density as one image per lane).
The cost follows the pixels on screen, not the size of the project.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPixmap,
                           QStaticText)

from db.timeline.axis import ticks
from db.timeline.window import Viewport
from desktop.timeline.frame import (AXIS_H, LANE_PAD, MARK_R, PERIOD_TITLE_LINES, ROW_H, SPRITE_C, DrawnLane, Frame,
                                    LaneGeom, Preview, _nz, lane_color)
from desktop.timeline.prepare import Grid, prepare_lanes


class TimelinePainter:
    """Paints axis, periods, lanes, density, events and labels for a window [t0, t1]."""

    def __init__(self, font: QFont | None = None, vector: bool = False) -> None:
        """`vector` draws every mark as a path (SVG, PDF); otherwise markers are cached sprites."""
        self.font = QFont(font) if font else QFont()
        self.font.setPointSizeF(8.5)
        self.small = QFont(self.font)
        self.small.setPointSizeF(7.5)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.fm = QFontMetricsF(self.font)
        self.vector = vector
        self.fm_small = QFontMetricsF(self.small)
        self.fm_bold = QFontMetricsF(self.bold)
        self._sprites: dict = {}
        self._texts: dict = {}
        self._styles: dict = {}    # pens and brushes per colour/role, made once
        self._elided: dict = {}    # (font, text, width) -> elided text, for periods and overflow
        self._grid_cache = None
        self._alphas: dict = {}    # density maximum -> alpha per count, for the last few maxima

    # ---- whole frame ------------------------------------------------------------------------
    def paint(self, qp: QPainter, rect: QRectF, t0: float, t1: float, data, geoms: list[LaneGeom],
              hover: int | None = None, preview: Preview | None = None, axis: bool = True) -> Frame:
        vp = Viewport(t0, t1, rect.width(), rect.left())
        frame = Frame(vp)
        qp.save()
        qp.setClipRect(rect)
        top = rect.top() + (AXIS_H if axis else 0)
        lanes_rect = QRectF(rect.left(), top, rect.width(), rect.bottom() - top)
        self._backdrop(qp, vp, rect, lanes_rect, geoms, data.periods)
        self._periods(qp, vp, lanes_rect, data.periods)
        if axis:
            self._axis(qp, vp, QRectF(rect.left(), rect.top(), rect.width(), AXIS_H), lanes_rect)
        # only the lanes whose rows meet the visible area are laid out and painted (the stack may
        # be scrolled: geoms above or below it cost nothing); they are clipped under the axis
        qp.setClipRect(lanes_rect, Qt.ClipOperation.IntersectClip)
        shown = [(i, g) for i, g in enumerate(geoms)
                 if g.y + g.h > lanes_rect.top() and g.y < lanes_rect.bottom()]
        dens_max = 1
        prepared = self._prepare_all(vp, data, [g for _i, g in shown])
        for prep in prepared:
            if prep.density is not None and len(prep.density):
                dens_max = max(dens_max, int(prep.density.max()))
        plans = self._plan(vp, prepared, plain=not self.vector and data.matches is None and preview is None)
        for (i, g), dl, plan in zip(shown, prepared, plans):
            color = lane_color(g.info, i)
            qp.setPen(self._pen("#dde1e6", 1))
            qp.drawLine(QPointF(rect.left(), g.y + g.h - 0.5), QPointF(rect.right(), g.y + g.h - 0.5))
            if dl.haze is not None:
                self._strip(qp, vp, g.y + g.h - 5, 3, dl.haze, color, max(int(dl.haze.max()), 4))
            if dl.density is not None:
                self._strip(qp, vp, g.y + 2, g.h - 4, dl.density, color, dens_max)
            self._items(qp, vp, data, g, dl, color, hover, preview, plan)
            frame.lanes.append(dl)
        if preview is not None:
            self._preview(qp, vp, geoms, preview)
        qp.restore()
        return frame

    def _plan(self, vp: Viewport, prepared: list[DrawnLane], plain: bool = False) -> list:
        """The numpy work of `_items` and `_labels` for every lane of the frame at once: the
        lanes' drawn arrays are concatenated, the uncertainty bands and the label candidates are
        computed once, and each lane gets its share as plain lists ((bands, labels) per lane,
        None for a lane that draws nothing). The same numbers as lane by lane, in fewer calls.
        `plain` (raster, nothing dimmed): the span bars by role, the sprites' positions and the
        evidence marks' positions too (a third item per lane)."""
        plans: list = [None] * len(prepared)
        full = [k for k, dl in enumerate(prepared) if len(dl.ids)]
        if not full:
            return plans
        lanes = [prepared[k] for k in full]
        cat = np.concatenate
        off = np.cumsum([0] + [len(dl.ids) for dl in lanes])
        b0, b1 = cat([dl.b0 for dl in lanes]), cat([dl.b1 for dl in lanes])
        e0, e1 = cat([dl.e0 for dl in lanes]), cat([dl.e1 for dl in lanes])
        span, y0 = cat([dl.span for dl in lanes]), cat([dl.y0 for dl in lanes])
        # uncertainty bands: the start's bounds of each item, then the end's bounds of spans
        wb = b1 - b0
        kb = _nz(wb >= 3)
        we = e1 - e0
        ke = _nz(span & (we >= 3))
        sb, se = np.searchsorted(kb, off).tolist(), np.searchsorted(ke, off).tolist()
        bx, by, bw = b0[kb].tolist(), (y0[kb] + 2).tolist(), wb[kb].tolist()
        ex, ey, ew = e0[ke].tolist(), (y0[ke] + 2).tolist(), we[ke].tolist()
        # labels: inside a long bar, else right of the mark up to the next item
        x1, room = cat([dl.x1 for dl in lanes]), cat([dl.room for dl in lanes])
        role, ids = cat([dl.role for dl in lanes]), cat([dl.ids for dl in lanes])
        inside = span & ((e0 - b1) > 40)
        a_in = np.maximum(b1, vp.x0) + 4
        a = np.where(inside, a_in, x1 + 8)
        avail = np.where(inside, np.minimum(e0, vp.x0 + vp.width) - a_in - 4, room - 8)
        ok = _nz(avail >= 24)
        kind = np.where(inside, np.where(role == 0, 1, 2), 0)[ok]
        lane_of = np.searchsorted(off[1:], ok, side="right")
        order = np.argsort(lane_of * 3 + kind, kind="stable")   # per lane, grouped by pen
        ok, kind = ok[order], kind[order]
        bounds = np.searchsorted(lane_of[order], np.arange(len(lanes) + 1)).tolist()
        top_off = (ROW_H - 4) / 2 - self.fm.height() / 2
        lx, lw = a[ok].tolist(), (avail[ok] // 8 * 8).astype(np.int64).tolist()
        ly, lid, lk = (y0[ok] + top_off).tolist(), ids[ok].tolist(), kind.tolist()
        marks = self._plan_marks(vp, lanes, off, span, b1, e0, y0, role, ids) if plain else None
        for j, k in enumerate(full):
            p, q = bounds[j], bounds[j + 1]
            labels = (lx[p:q], lw[p:q], ly[p:q], lid[p:q], lk[p:q]) if q > p else None
            bands = (bx[sb[j]:sb[j + 1]] + ex[se[j]:se[j + 1]], by[sb[j]:sb[j + 1]] + ey[se[j]:se[j + 1]],
                     bw[sb[j]:sb[j + 1]] + ew[se[j]:se[j + 1]])
            plans[k] = (bands, labels, marks[j] if marks is not None else None)
        return plans

    @staticmethod
    def _plan_marks(vp, lanes, off, span, b1, e0, y0, role, ids) -> list:
        """Per lane (nothing dimmed, raster): spans_k, A, Ys, Wd (span bars, for the selection),
        the bars' rectangles by (role, False), inst_k, PX, the sprites (x, y, role, None, id)
        and the evidence marks (x, y, id) of the spans."""
        h = ROW_H - 4
        n = len(lanes)
        left, right = vp.x0 - 5, vp.x0 + vp.width + 5
        sk = _nz(span)
        A = np.maximum(b1[sk], left)
        B = np.minimum(e0[sk], right)
        Wd = np.maximum(B - A, 3.0)
        Ys = y0[sk] + 1
        lane_s = np.searchsorted(off[1:], sk, side="right")
        key = lane_s * 8 + role[sk].astype(np.int64) * 2
        order = np.argsort(key, kind="stable")
        ks = key[order]
        cuts = [0, *(_nz(ks[1:] != ks[:-1]) + 1).tolist(), len(ks)]
        gA, gY, gW, gk = A[order].tolist(), Ys[order].tolist(), Wd[order].tolist(), ks.tolist()
        bars: list[dict] = [{} for _ in range(n)]
        for p, q in zip(cuts[:-1], cuts[1:]):
            if q > p:
                kk = gk[p]
                bars[kk // 8][((kk % 8) // 2, False)] = list(map(QRectF, gA[p:q], gY[p:q], gW[p:q], [h - 2.0] * (q - p)))
        # evidence marks right of each span bar
        x0 = np.concatenate([dl.x0 for dl in lanes])
        xs = (np.maximum(b1[sk], x0[sk]) + 4).tolist()
        ys = (y0[sk] + 1).tolist()
        sid = ids[sk].tolist()
        ss = np.searchsorted(sk, off).tolist()
        ik = _nz(~span)
        px = np.concatenate([dl.px for dl in lanes])
        PX = px[ik]
        sx = (PX - SPRITE_C + 0.5).astype(np.int64).tolist()
        sy = (y0[ik] + h / 2 - SPRITE_C + 0.5).astype(np.int64).tolist()
        sr, si = role[ik].tolist(), ids[ik].tolist()
        si_ = np.searchsorted(ik, off).tolist()
        out = []
        for j in range(n):
            p, q = ss[j], ss[j + 1]
            u, v = si_[j], si_[j + 1]
            o = int(off[j])
            out.append((sk[p:q] - o, A[p:q], Ys[p:q], Wd[p:q], bars[j], ik[u:v] - o, PX[u:v],
                        (sx[u:v], sy[u:v], sr[u:v], None, si[u:v]) if v > u else None,
                        (xs[p:q], ys[p:q], sid[p:q])))
        return out

    # ---- per lane: what to draw ------------------------------------------------------------------
    def _prepare_all(self, vp: Viewport, data, geoms: list[LaneGeom]) -> list[DrawnLane]:
        """What each lane draws (`desktop.timeline.prepare`), for all the lanes at once."""
        key = (vp.t0, vp.t1, vp.width)
        if self._grid_cache is None or self._grid_cache.key != key:
            self._grid_cache = Grid(vp)
        return prepare_lanes(vp, data, geoms, self._grid_cache)

    # ---- drawing ------------------------------------------------------------------------------
    def _strip(self, qp: QPainter, vp: Viewport, y: float, h: float, counts: np.ndarray, color: QColor,
               cmax: int) -> None:
        """Counts per column as an image over the strip: darker = more. Counts go to colours
        through two cached tables (count -> alpha for this maximum, alpha -> premultiplied colour)."""
        nz = _nz(counts)
        if not len(nz):
            return
        first, last = int(nz[0]), int(nz[-1]) + 1
        cmax = max(int(cmax), 2)
        alut = self._alphas.get(cmax)
        if alut is None:
            if len(self._alphas) > 16:
                self._alphas.clear()
            n = np.arange(cmax + 1)
            alut = np.where(n > 0, 40 + 215 * np.log1p(n) / np.log1p(cmax), 0)
            alut = self._alphas[cmax] = np.clip(alut, 0, 255).astype(np.intp)
        clut = self._styles.get(("clut", color.rgba()))
        if clut is None:
            a = np.arange(256, dtype=np.uint32)
            clut = ((a << 24) | (((a * color.red() + 127) // 255) << 16)
                    | (((a * color.green() + 127) // 255) << 8) | ((a * color.blue() + 127) // 255))
            clut = self._styles[("clut", color.rgba())] = clut.astype(np.uint32)
        row = clut[alut[np.minimum(counts[first:last], cmax)]]
        w = last - first
        # an unscaled image blends about twice as fast as a one-pixel row stretched by the painter
        rows = max(int(round(h)), 1)
        full = np.empty((rows, w), row.dtype)
        full[:] = row
        img = QImage(full.data, w, rows, 4 * w, QImage.Format.Format_ARGB32_Premultiplied)
        qp.drawImage(QPointF(round(vp.x0) + first, round(y)), img)

    def _items(self, qp: QPainter, vp: Viewport, data, g: LaneGeom, dl: DrawnLane, color: QColor,
               hover: int | None, preview: Preview | None, plan=None) -> None:
        n = len(dl.ids)
        if not n:
            if dl.overflow:
                self._overflow(qp, vp, g, dl.overflow)
            return
        ids, span, roles = dl.ids, dl.span, dl.role
        h = ROW_H - 4
        Y = dl.y0.tolist()
        dim = None
        if data.matches is not None:
            match = np.isin(ids, data.matches)
            dim = ~match
            if match.any():
                halo = QPainterPath()
                for k in _nz(match).tolist():
                    x0, x1 = float(dl.x0[k]), float(dl.x1[k])
                    halo.addRoundedRect(QRectF(x0 - 3, Y[k] - 2, x1 - x0 + 6, h + 4), 4, 4)
                qp.fillPath(halo, QColor(255, 214, 0, 170))
        if preview is not None:
            moving = ids == preview.event_id
            if moving.any():
                dim = moving if dim is None else dim | moving
        # uncertainty bands: the start's (and a span's end's) bounds, faded, in one call
        if plan is None:
            plan = self._plan(vp, [dl])[0]
        bx, by, bw = plan[0]
        bands = list(map(QRectF, bx, by, bw, [h - 4.0] * len(bx)))
        if bands:
            fade = QColor(color)
            fade.setAlpha(45)
            qp.setPen(Qt.PenStyle.NoPen)
            qp.setBrush(fade)
            qp.drawRects(bands)
            qp.setBrush(Qt.BrushStyle.NoBrush)
        sel_ids = set(data.selected.tolist()) if len(data.selected) else set()
        if hover is not None:
            sel_ids.add(hover)
        sel = QPainterPath()
        # span bars: one path per (role, dimmed)
        left, right = vp.x0 - 5, vp.x0 + vp.width + 5
        marks: dict[tuple[int, bool], QPainterPath] = {}
        bars: dict[tuple[int, bool], list[QRectF]] = {}
        pm = plan[2]
        evidence = None
        sprites = None
        if pm is not None:              # raster, nothing dimmed: laid out for all lanes in `_plan`
            spans_k, A, Ys, Wd, bars, inst_k, PX, sprites, evidence = pm
            if sel_ids:
                for j in _nz(np.isin(ids[spans_k], list(sel_ids))).tolist():
                    shape = QRectF(float(A[j]), float(Ys[j]), float(Wd[j]), h - 2)
                    sel.addRect(shape.adjusted(-2, -2, 2, 2))
                for j in _nz(np.isin(ids[inst_k], list(sel_ids))).tolist():
                    x, y = float(PX[j]), Y[int(inst_k[j])]
                    shape = QRectF(x - MARK_R, y + h / 2 - MARK_R, 2 * MARK_R, 2 * MARK_R)
                    sel.addRect(shape.adjusted(-2, -2, 2, 2))
        else:
            spans_k = _nz(span)
            if len(spans_k):
                A = np.maximum(dl.b1[spans_k], left)
                B = np.minimum(dl.e0[spans_k], right)
                Wd = np.maximum(B - A, 3.0)
                R = roles[spans_k]
                D = dim[spans_k] if dim is not None else np.zeros(len(spans_k), bool)
                group_of = R.astype(np.int64) * 2 + D
                Ys = dl.y0[spans_k] + 1
                for code in sorted(set(group_of.tolist())):
                    m = group_of == code
                    bars[(code // 2, bool(code % 2))] = list(map(QRectF, A[m].tolist(), Ys[m].tolist(), Wd[m].tolist(),
                                                                 [h - 2.0] * int(m.sum())))
                if sel_ids:
                    for j in _nz(np.isin(ids[spans_k], list(sel_ids))).tolist():
                        shape = QRectF(float(A[j]), float(Ys[j]), float(Wd[j]), h - 2)
                        sel.addRect(shape.adjusted(-2, -2, 2, 2))
            inst_k = _nz(~span)
            sprites = None
            if len(inst_k):
                PX = dl.px[inst_k]
                I = ids[inst_k].tolist()
                if not self.vector:           # raster: cached sprites, positions computed with numpy
                    sx = (PX - SPRITE_C + 0.5).astype(np.int64).tolist()
                    sy = (dl.y0[inst_k] + h / 2 - SPRITE_C + 0.5).astype(np.int64).tolist()
                    sprites = (sx, sy, roles[inst_k].tolist(),
                               dim[inst_k].tolist() if dim is not None else None, I)
                else:
                    PXl = PX.tolist()
                    R = roles[inst_k].tolist()
                    D = dim[inst_k].tolist() if dim is not None else [False] * len(inst_k)
                    for j, k in enumerate(inst_k.tolist()):
                        x, y = PXl[j], Y[k]
                        path = marks.get((R[j], D[j]))
                        if path is None:
                            path = marks[(R[j], D[j])] = QPainterPath()
                        if R[j] == 3:      # mentioned: a small tick
                            path.addRect(QRectF(x - 1, y + h * 0.35, 2, h * 0.65))
                        else:
                            path.moveTo(x, y + h / 2 - MARK_R)
                            path.lineTo(x + MARK_R, y + h / 2)
                            path.lineTo(x, y + h / 2 + MARK_R)
                            path.lineTo(x - MARK_R, y + h / 2)
                            path.closeSubpath()
                if sel_ids:
                    for j in _nz(np.isin(ids[inst_k], list(sel_ids))).tolist():
                        x, y = float(PX[j]), Y[int(inst_k[j])]
                        shape = QRectF(x - MARK_R, y + h / 2 - MARK_R, 2 * MARK_R, 2 * MARK_R)
                        sel.addRect(shape.adjusted(-2, -2, 2, 2))
        for (role, dimmed), rects in sorted(bars.items()):
            self._bars(qp, rects, role, color, dimmed)
        for (role, dimmed), path in sorted(marks.items()):
            self._fill_role(qp, path, role, color, dimmed)
        if sprites is not None:
            ev = data.evidence
            local: dict = {}              # this lane's sprites by (role, dimmed, evidence)
            sx, sy, R, D, I = sprites
            if D is None:
                D = (False,) * len(sx)
            draw = qp.drawPixmap
            for x, y, role, dimmed, eid in zip(sx, sy, R, D, I):
                n_src, c = ev.get(eid, (0, 0))
                key = (role, dimmed, 4 if c else (n_src if n_src < 3 else 3))
                pm = local.get(key)
                if pm is None:
                    pm = local[key] = self._sprite(color, role, dimmed, key[2])
                draw(x, y, pm)
        if not sel.isEmpty():
            qp.strokePath(sel, self._pen("#101010", 1.6))
        if evidence is not None:
            self._evidence_sprites(qp, data, *evidence)
        else:
            self._evidence(qp, data, dl, spans_k if not self.vector else np.arange(n))
        self._labels(qp, data, plan[1], color)
        if dl.overflow:
            self._overflow(qp, vp, g, dl.overflow)

    def _pen(self, color, width: float) -> QPen:
        key = ("pen", QColor(color).rgba() if not isinstance(color, QColor) else color.rgba(), width)
        pen = self._styles.get(key)
        if pen is None:
            pen = self._styles[key] = QPen(QColor(color), width)
        return pen

    def _bars(self, qp: QPainter, rects: list[QRectF], role: int, color: QColor, dimmed: bool) -> None:
        """Span bars of one role, styled as `_fill_role` does, drawn rect by rect (much faster than
        filling one path of them)."""
        fills, pen = self._role_style(role, color, dimmed)
        qp.setPen(Qt.PenStyle.NoPen)
        for f in fills[:-1]:
            qp.setBrush(f)
            self._rects(qp, rects)
        qp.setBrush(fills[-1])
        qp.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
        self._rects(qp, rects)
        qp.setBrush(Qt.BrushStyle.NoBrush)

    def _rects(self, qp: QPainter, rects: list[QRectF]) -> None:
        """Bars with rounded corners in vector exports; on screen one square-cornered batch call
        (about six times cheaper than a rounded rect each, and the 2 px corners hardly show)."""
        if self.vector:
            for r in rects:
                qp.drawRoundedRect(r, 2, 2)
        else:
            qp.drawRects(rects)

    def _fill_role(self, qp: QPainter, path: QPainterPath, role: int, color: QColor, dimmed: bool) -> None:
        fills, pen = self._role_style(role, color, dimmed)
        for f in fills:
            qp.fillPath(path, f)
        if pen is not None:
            qp.strokePath(path, pen)

    def _role_style(self, role: int, color: QColor, dimmed: bool) -> tuple:
        """(fills, outline pen) of a mark: actor filled, target hollow, associated striped,
        mentioned a thin tick; faded when dimmed by a search."""
        key = (color.rgba(), role, dimmed)
        style = self._styles.get(key)
        if style is None:
            c = QColor(color)
            if dimmed:
                c.setAlpha(60)
            if role == 0:                                   # actor: filled
                style = ((c,), QPen(c.darker(130), 1))
            elif role == 1:                                 # target: hollow
                style = ((QColor(255, 255, 255, 60 if dimmed else 230),), QPen(c, 2))
            elif role == 2:                                 # associated: striped, lighter
                light = QColor(c)
                light.setAlpha(light.alpha() // 3)
                style = ((light, QBrush(c, Qt.BrushStyle.BDiagPattern)), QPen(c, 1))
            else:                                           # mentioned: thin tick
                style = ((c,), None)
            self._styles[key] = style
        return style

    def _sprite(self, color: QColor, role: int, dimmed: bool, evidence: int) -> QPixmap:
        """A marker with its evidence mark, rendered once and reused (raster targets only)."""
        key = (color.rgba(), role, dimmed, evidence)
        pm = self._sprites.get(key)
        if pm is None:
            pm = QPixmap(2 * SPRITE_C + 8, 2 * SPRITE_C)
            pm.fill(Qt.GlobalColor.transparent)
            sp = QPainter(pm)
            sp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            path = QPainterPath()
            c, r = SPRITE_C, MARK_R
            if role == 3:
                path.addRect(QRectF(c - 1, c - r * 0.3, 2, r * 1.3))
            else:
                path.moveTo(c, c - r)
                path.lineTo(c + r, c)
                path.lineTo(c, c + r)
                path.lineTo(c - r, c)
                path.closeSubpath()
            self._fill_role(sp, path, role, color, dimmed)
            x, y = c + r + 1, c - (ROW_H - 4) / 2 + 1
            if evidence == 4:
                tri = QPainterPath()
                tri.moveTo(x, y + 4)
                tri.lineTo(x + 2.5, y - 0.5)
                tri.lineTo(x + 5, y + 4)
                tri.closeSubpath()
                sp.fillPath(tri, QColor("#d62728"))
            elif evidence == 0:
                sp.setPen(QPen(QColor("#d62728"), 1))
                sp.drawEllipse(QPointF(x + 1.5, y + 1.5), 1.8, 1.8)
            else:
                sp.setPen(Qt.PenStyle.NoPen)
                sp.setBrush(QColor("#555555"))
                for j in range(evidence):
                    sp.drawEllipse(QPointF(x + 1 + 3 * j, y + 1.5), 1.1, 1.1)
            sp.end()
            self._sprites[key] = pm
        return pm

    def _evidence(self, qp, data, dl, which: np.ndarray) -> None:
        """Evidence marks right of the items `which`: red triangle = contradicted, red ring = no
        source, grey dots = sources (up to three)."""
        if not len(which):
            return
        xs = np.where(dl.span[which], np.maximum(dl.b1[which], dl.x0[which]) + 4, dl.px[which] + MARK_R + 1)
        ys = dl.y0[which] + 1
        ev = data.evidence
        if not self.vector:               # raster: one small cached pixmap per kind of mark
            self._evidence_sprites(qp, data, xs.tolist(), ys.tolist(), dl.ids[which].tolist())
            return
        none, contra, dots = QPainterPath(), QPainterPath(), QPainterPath()
        for x, y, eid in zip(xs.tolist(), ys.tolist(), dl.ids[which].tolist()):
            self._evidence_mark(ev.get(eid, (0, 0)), x, y, none, contra, dots)
        self._fill_evidence(qp, none, contra, dots)

    def _evidence_sprites(self, qp, data, xs: list, ys: list, ids: list) -> None:
        ev = data.evidence
        for x, y, eid in zip(xs, ys, ids):
            n, c = ev.get(eid, (0, 0))
            qp.drawPixmap(int(x + 0.5) - 2, int(y + 0.5) - 2, self._evidence_sprite(4 if c else min(n, 3)))

    @staticmethod
    def _evidence_mark(summary, x, y, none, contra, dots) -> None:
        n, c = summary
        if c:
            contra.moveTo(x, y + 4)
            contra.lineTo(x + 2.5, y - 0.5)
            contra.lineTo(x + 5, y + 4)
            contra.closeSubpath()
        elif n == 0:
            none.addEllipse(QPointF(x + 1.5, y + 1.5), 1.8, 1.8)
        else:
            for j in range(min(n, 3)):
                dots.addEllipse(QPointF(x + 1 + 3 * j, y + 1.5), 1.1, 1.1)

    def _fill_evidence(self, qp, none, contra, dots) -> None:
        if not contra.isEmpty():
            qp.fillPath(contra, QColor("#d62728"))
        if not none.isEmpty():
            qp.strokePath(none, self._pen("#d62728", 1))
        if not dots.isEmpty():
            qp.fillPath(dots, QColor("#555555"))

    def _evidence_sprite(self, kind: int) -> QPixmap:
        """Evidence mark `kind` (0 none, 1-3 sources, 4 contradicted) as a pixmap whose (2, 2)
        is the mark's origin."""
        key = ("evidence", kind)
        pm = self._sprites.get(key)
        if pm is None:
            pm = QPixmap(14, 9)
            pm.fill(Qt.GlobalColor.transparent)
            sp = QPainter(pm)
            paths = QPainterPath(), QPainterPath(), QPainterPath()
            self._evidence_mark((kind if kind < 4 else 1, 1 if kind == 4 else 0), 2.0, 2.0, *paths)
            self._fill_evidence(sp, *paths)
            sp.end()
            self._sprites[key] = pm
        return pm

    def _labels(self, qp, data, labels, color) -> None:
        """Titles where they fit: inside a long bar, else right of the mark up to the next item.
        Which items get one, where and how wide was decided with numpy in `_plan` (grouped by
        pen: one setPen per kind); only those are touched here."""
        if labels is None:
            return
        qp.setFont(self.font)
        titles = data.lanes.titles
        pens = (QColor("#222222"), QColor("#ffffff"), color.darker(160))
        cache, texts = self._texts, self._static_text
        current = -1
        draw = qp.drawStaticText
        for x, w, y, eid, pk in zip(*labels):
            title = titles.get(eid, "")
            st = cache.get((title, w))
            if st is None:
                st = texts(title, w)
            if not st:
                continue
            if pk != current:
                qp.setPen(pens[pk])
                current = pk
            draw(QPointF(x, y), st)

    def _static_text(self, title: str, avail: float) -> QStaticText | None:
        """The title elided to `avail` (rounded down to 8 px steps), laid out once and cached."""
        width = int(avail) // 8 * 8
        key = (title, width)
        st = self._texts.get(key)
        if st is None:
            if len(self._texts) > 20000:
                self._texts.clear()
            text = self.fm.elidedText(title, Qt.TextElideMode.ElideRight, width)
            st = QStaticText(text) if text and text != "…" else False
            if st:
                st.setTextFormat(Qt.TextFormat.PlainText)
                st.prepare(font=self.font)
            self._texts[key] = st
        return st or None

    def _advance(self, fm: QFontMetricsF, text: str) -> float:
        key = (id(fm), text)
        w = self._elided.get(key)
        if w is None:
            if len(self._elided) > 5000:
                self._elided.clear()
            w = self._elided[key] = fm.horizontalAdvance(text)
        return w

    def _elide(self, fm: QFontMetricsF, text: str, width: float) -> str:
        key = (id(fm), text, int(width))
        out = self._elided.get(key)
        if out is None:
            if len(self._elided) > 5000:
                self._elided.clear()
            out = self._elided[key] = fm.elidedText(text, Qt.TextElideMode.ElideRight, int(width))
        return out

    def _overflow(self, qp, vp, g, n) -> None:
        qp.setFont(self.small)
        qp.setPen(QColor("#555555"))
        text = f"+{n} more"
        w = self._advance(self.fm_small, text) + 6
        r = QRectF(vp.x0 + vp.width - w - 2, g.y + g.h - 13, w, 12)
        qp.fillRect(r, QColor(255, 255, 255, 200))
        qp.drawText(r, Qt.AlignmentFlag.AlignCenter, text)

    def _preview(self, qp, vp, geoms, p: Preview) -> None:
        g = next((g for g in geoms if g.key == p.lane_key), None)
        if g is None:
            return
        y = g.y + LANE_PAD
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        x0, x1 = float(vp.x(p.lo)), float(vp.x(p.hi))
        qp.fillRect(QRectF(x0, y, max(x1 - x0, 2), ROW_H - 4), QColor(0, 0, 0, 30))
        pen = QPen(QColor("#101010"), 1.5, Qt.PenStyle.DashLine)
        qp.setPen(pen)
        if p.span:
            a, b = float(vp.x(p.start_hi)), float(vp.x(p.end_lo))
            qp.drawRect(QRectF(a, y + 1, max(b - a, 3), ROW_H - 6))
        else:
            x = float(vp.x((p.lo + p.start_hi) // 2))
            qp.drawRect(QRectF(x - MARK_R, y + (ROW_H - 4) / 2 - MARK_R, 2 * MARK_R, 2 * MARK_R))
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # ---- axis and periods ---------------------------------------------------------------------
    def _axis(self, qp: QPainter, vp: Viewport, rect: QRectF, lanes_rect: QRectF) -> None:
        qp.fillRect(rect, QColor("#eef1f5"))
        t = ticks(vp.t0, vp.t1, vp.width)
        grid = QPen(QColor(0, 0, 0, 22), 1)
        qp.setFont(self.font)
        for ts, label in t.major:
            x = float(vp.x(ts))
            qp.setPen(grid)
            qp.drawLine(QPointF(x, lanes_rect.top()), QPointF(x, lanes_rect.bottom()))
            qp.setPen(QColor("#444444"))
            qp.drawLine(QPointF(x, rect.bottom() - 6), QPointF(x, rect.bottom()))
            qp.drawText(QPointF(x + 3, rect.bottom() - 6), label)
        qp.setFont(self.bold)
        for n, (ts, label) in enumerate(t.context):
            x = float(vp.x(ts))
            nxt = float(vp.x(t.context[n + 1][0])) if n + 1 < len(t.context) else rect.right()
            lx = max(x, rect.left()) + 3
            w = self._advance(self.fm_bold, label)
            if lx + w > nxt - 3 and x < rect.left():
                lx = nxt - w - 3
            qp.setPen(QColor("#222222"))
            qp.drawText(QPointF(lx, rect.top() + 14), label)
            if x >= rect.left():
                qp.setPen(QPen(QColor("#888888"), 1))
                qp.drawLine(QPointF(x, rect.top()), QPointF(x, rect.top() + 18))
        qp.setPen(QPen(QColor("#b8bec7"), 1))
        qp.drawLine(QPointF(rect.left(), rect.bottom() - 0.5), QPointF(rect.right(), rect.bottom() - 0.5))

    @staticmethod
    def _period_spans(vp: Viewport, rect: QRectF, periods) -> list[tuple[float, float, QColor]]:
        """(x0, x1, colour, title) of each period in the window, in drawing order."""
        out = []
        for n, p in enumerate(periods):
            lo = p.start.lo_ts
            hi = (p.end or p.start).hi_ts
            if hi < vp.t0 or lo > vp.t1:
                continue
            x0, x1 = max(float(vp.x(lo)), rect.left()), min(float(vp.x(hi)), rect.right())
            c = QColor(p.color) if p.color else QColor(("#8da0cb", "#e5c494", "#a6d854", "#fc8d62")[n % 4])
            out.append((x0, x1, c, p.title))
        return out

    def _backdrop(self, qp: QPainter, vp: Viewport, rect: QRectF, lanes_rect: QRectF, geoms, periods) -> None:
        """White, every other lane light grey, periods as faint washes (alpha 38 over the lanes):
        the washes are blended here once per stretch, so the backdrop is a few opaque fills
        instead of full-height translucent ones."""
        qp.fillRect(rect, QColor("#ffffff"))
        spans = self._period_spans(vp, lanes_rect, periods)
        cuts = sorted({lanes_rect.left(), lanes_rect.right(), *(x for a, b, _c, _t in spans for x in (a, b))})
        bands = [(g.y, g.h) for i, g in enumerate(geoms)
                 if i % 2 and g.y + g.h > lanes_rect.top() and g.y < lanes_rect.bottom()]
        alpha = 38 / 255
        for a, b in zip(cuts[:-1], cuts[1:]):
            if b <= a:
                continue
            over = [c for x0, x1, c, _t in spans if x0 <= a and x1 >= b]
            for base, rects in ((QColor("#ffffff"), [(lanes_rect.top(), lanes_rect.height())]),
                                (QColor("#f6f7f9"), bands)):
                if not over and base.rgb() == 0xffffffff:
                    continue                                  # plain white: already there
                r, g_, bl = base.red(), base.green(), base.blue()
                for c in over:
                    r = r + (c.red() - r) * alpha
                    g_ = g_ + (c.green() - g_) * alpha
                    bl = bl + (c.blue() - bl) * alpha
                col = QColor(round(r), round(g_), round(bl))
                for y, h in rects:
                    qp.fillRect(QRectF(a, y, b - a, h), col)

    def _periods(self, qp: QPainter, vp: Viewport, rect: QRectF, periods) -> None:
        """Period titles along the bottom (their washes are part of `_backdrop`)."""
        qp.setFont(self.small)
        line = self.fm_small.height()
        rows: list[float] = []  # right edge of the last title placed on each line, bottom line first
        for x0, x1, c, title in self._period_spans(vp, rect, periods):
            text = self._elide(self.fm_small, title, x1 - x0 - 6)
            if not text or text == "…":
                continue
            left = x0 + 3
            right = left + self._advance(self.fm_small, text)
            row = next((i for i, edge in enumerate(rows) if left > edge + 6), len(rows))
            if row >= PERIOD_TITLE_LINES:
                continue  # overlapping periods: titles that find no free line are left out, never overdrawn
            if row == len(rows):
                rows.append(right)
            rows[row] = right
            c = QColor(c)
            c.setAlpha(200)
            qp.setPen(c.darker(150))
            qp.drawText(QPointF(left, rect.bottom() - 4 - row * line), text)
