"""Drawing the timeline from arrays onto any QPainter: the screen, a QImage, SVG or PDF.

Per frame: what each lane draws is worked out for all lanes at once (`sijill.db.timeline.prepare`:
bisection, density where crowded, rows for the rest), then drawn layer by layer for the whole frame
in a few batched calls per lane and style (titles: `sijill.desktop.timeline.labels`; the axis,
the lanes' backdrop and the periods: `sijill.desktop.timeline.backdrop`).
The cost follows what is drawn (at most a lane's cap of items, set by its pixels), not the size of
the project.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPixmap

from sijill.db.timeline.window import Viewport
from sijill.desktop.widgets.theme import LIGHT, Theme
from sijill.db.timeline.frame import (AXIS_H, LANE_PAD, MARK_R, PERIOD_BAND_H, ROW_H, SPRITE_C, DrawnLane, Frame,
                                    LaneGeom, Preview, _nz)
from sijill.desktop.groups.palette import lane_color
from sijill.desktop.timeline.atlas import Atlas, draw_rects
from sijill.desktop.timeline.backdrop import BackdropPainting
from sijill.desktop.timeline.labels import Labels, blank_pixmap
from sijill.db.timeline.prepare import Batch, Grid, prepare_lanes


class TimelinePainter(BackdropPainting):
    """Paints axis, periods, lanes, density, events and labels for a window [t0, t1]."""

    def __init__(self, font: QFont | None = None, vector: bool = False, theme: Theme = LIGHT) -> None:
        """`vector` draws every mark as a path (SVG, PDF); otherwise markers are cached sprites.
        `theme` gives the colours (exports: LIGHT; the screen follows the palette, `set_theme`)."""
        self.theme = theme
        self.font = QFont(font) if font else QFont()
        self.font.setPointSizeF(8.5)
        self.small = QFont(self.font)
        self.small.setPointSizeF(7.5)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.fm = QFontMetricsF(self.font)
        self.vector = vector
        self.fm_small = QFontMetricsF(self.small)
        self.tiny = QFont(self.font)             # "+N more": under the last row's labels, not over them
        self.tiny.setPointSizeF(6.5)
        self.fm_tiny = QFontMetricsF(self.tiny)
        self.fm_bold = QFontMetricsF(self.bold)
        self._sprites: dict = {}
        self._atlas = Atlas(1024, pages=1)   # raster: the sprites, evidence marks and "+N more" side by side
        self.labels = Labels(self.font)   # event titles, with their caches
        self._styles: dict = {}    # pens and brushes per colour/role, made once
        self._elided: dict = {}    # (font, text, width) -> elided text, for periods and overflow
        self._grid_cache = None
        self._dpr = 1.0             # device pixel ratio of the target being painted (raster)
        self._ev_cache = None      # (data.evidence, sorted ids, mark kinds) for the last evidence dict
        self._alphas: dict = {}    # density maximum -> alpha per count, for the last few maxima
        # when a dict (exports), `paint` notes there where it put what a file may want to point
        # at: "labels" {(event id, item top): title rect}, "overflow" {lane key: [("+N more" rect,
        # the event ids it stands for)]},
        # "shortened" [(rect, full text)] of the period titles it shortened
        self.record: dict | None = None

    def set_theme(self, theme: Theme) -> None:
        """Paint with `theme` from now on (cached sprites and styles made in the old one go)."""
        if theme != self.theme:
            self.theme = theme
            self._sprites.clear()
            self._styles.clear()
            self._atlas.clear()

    # ---- whole frame ------------------------------------------------------------------------
    def paint(self, qp: QPainter, rect: QRectF, t0: float, t1: float, data, geoms: list[LaneGeom],
              hover: int | None = None, preview: Preview | None = None, axis: bool = True) -> Frame:
        vp = Viewport(t0, t1, rect.width(), rect.left())
        frame = Frame(vp)
        device = qp.device()
        self._dpr = device.devicePixelRatioF() if device is not None and not self.vector else 1.0
        self.labels.record = None if self.record is None else self.record.setdefault("labels", {})
        qp.save()
        qp.setClipRect(rect)
        top = rect.top() + (AXIS_H if axis else 0)
        lanes_rect = QRectF(rect.left(), top, rect.width(), rect.bottom() - top)
        self._backdrop(qp, vp, rect, lanes_rect, geoms, data.periods)
        if axis:
            self._axis(qp, vp, QRectF(rect.left(), rect.top(), rect.width(), AXIS_H - PERIOD_BAND_H), lanes_rect)
            band = QRectF(rect.left(), top - PERIOD_BAND_H, rect.width(), PERIOD_BAND_H)
            frame.period_rects = self._periods(qp, vp, band, data.periods)
        # only the lanes whose rows meet the visible area are laid out and painted (the stack may
        # be scrolled: geoms above or below it cost nothing); they are clipped under the axis
        qp.setClipRect(lanes_rect, Qt.ClipOperation.IntersectClip)
        shown = [(i, g) for i, g in enumerate(geoms)
                 if g.y + g.h > lanes_rect.top() and g.y < lanes_rect.bottom()]
        dens_max = 1
        prepared, batch = self._prepare_all(vp, data, [g for _i, g in shown])
        for prep in prepared:
            if prep.density is not None and len(prep.density):
                dens_max = max(dens_max, int(prep.density.max()))
        colors = [self.theme.lane(lane_color(g.info, i)) for i, g in shown]
        for (i, g), dl, color in zip(shown, prepared, colors):
            qp.setPen(self._pen(self.theme.line, 1))
            qp.drawLine(QPointF(rect.left(), g.y + g.h - 0.5), QPointF(rect.right(), g.y + g.h - 0.5))
            if dl.haze is not None:
                self._strip(qp, vp, g.y + g.h - 5, 3, dl.haze, color, max(int(dl.haze.max()), 4))
            if dl.density is not None:
                self._strip(qp, vp, g.y + 2, g.h - 4, dl.density, color, dens_max)
        labels = self._draw_items(qp, vp, data, [g for _i, g in shown], colors, prepared, batch, hover, preview)
        if labels is not None:
            frame.label_ids, rects = labels
            rects[:, 1] = np.maximum(rects[:, 1], top)            # what the axis covers is not shown
            frame.label_rects = rects
        frame.lanes.extend(prepared)
        if preview is not None:
            self._preview(qp, vp, geoms, preview)
        qp.restore()
        return frame

    def layout(self, rect: QRectF, t0: float, t1: float, data, geoms: list[LaneGeom], axis: bool = True) -> Frame:
        """The Frame `paint` would return (what is drawn where, for hit-testing), without drawing."""
        vp = Viewport(t0, t1, rect.width(), rect.left())
        top = rect.top() + (AXIS_H if axis else 0)
        frame = Frame(vp)
        frame.lanes.extend(self._prepare_all(vp, data, [g for g in geoms if g.y + g.h > top and g.y < rect.bottom()])[0])
        return frame

    # ---- per lane: what to draw ------------------------------------------------------------------
    def _prepare_all(self, vp: Viewport, data, geoms: list[LaneGeom]) -> tuple[list[DrawnLane], Batch]:
        """What each lane draws (`sijill.db.timeline.prepare`), for all the lanes at once."""
        key = (vp.t0, vp.t1, vp.width)
        if self._grid_cache is None or self._grid_cache.key != key:
            self._grid_cache = Grid(vp)
        return prepare_lanes(vp, data, geoms, self._grid_cache, lambda ids: self.labels.need(data, ids))

    # ---- drawing ------------------------------------------------------------------------------
    def _strip(self, qp: QPainter, vp: Viewport, y: float, h: float, counts: np.ndarray, color: QColor,
               cmax: int) -> None:
        """Counts per column over the strip: darker = more. Counts go to colours through two
        cached tables (count -> alpha for this maximum, alpha -> premultiplied colour); raster
        targets get an image, SVG and PDF rectangles (`_strip_shapes`)."""
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
        alphas = alut[np.minimum(counts[first:last], cmax)]
        rows = max(int(round(h)), 1)
        x, y = round(vp.x0) + first, round(y)
        if self.vector:
            self._strip_shapes(qp, x, y, rows, alphas, color)
            return
        clut = self._styles.get(("clut", color.rgba()))
        if clut is None:
            a = np.arange(256, dtype=np.uint32)
            clut = ((a << 24) | (((a * color.red() + 127) // 255) << 16)
                    | (((a * color.green() + 127) // 255) << 8) | ((a * color.blue() + 127) // 255))
            clut = self._styles[("clut", color.rgba())] = clut.astype(np.uint32)
        row = clut[alphas]
        w = last - first
        # the row as a texture tiled down the strip: the same pixels as an image of the row
        # repeated (and cheaper); a one-pixel row stretched by drawImage costs twice as much
        img = QImage(row.data, w, 1, 4 * w, QImage.Format.Format_ARGB32_Premultiplied)
        qp.setBrushOrigin(QPointF(x, y))
        qp.fillRect(QRectF(x, y, w, rows), QBrush(img))
        qp.setBrushOrigin(QPointF(0, 0))

    @staticmethod
    def _strip_shapes(qp: QPainter, x: int, y: int, h: int, alphas: np.ndarray, color: QColor) -> None:
        """A strip for SVG and PDF: its columns as rectangles (runs of equal alpha merged), one
        filled path per alpha, instead of an embedded bitmap."""
        edges = _nz(alphas[1:] != alphas[:-1]) + 1
        starts = np.concatenate(([0], edges))
        ends = np.concatenate((edges, [len(alphas)]))
        run_alpha = alphas[starts]
        paths: dict[int, QPainterPath] = {}
        for a, s, e in zip(run_alpha.tolist(), starts.tolist(), ends.tolist()):
            if a <= 0:
                continue
            path = paths.get(a)
            if path is None:
                path = paths[a] = QPainterPath()
            path.addRect(QRectF(x + s, y, e - s, h))
        for a, path in sorted(paths.items()):
            c = QColor(color)
            c.setAlpha(a)
            qp.fillPath(path, c)

    def _draw_items(self, qp: QPainter, vp: Viewport, data, shown: list[LaneGeom], colors: list[QColor],
                    lanes: list[DrawnLane], batch, hover: int | None, preview: Preview | None):
        """Every lane's items, layer by layer for the whole frame (lanes do not overlap, so this
        draws what lane after lane would): search halo, uncertainty bands, span bars, marks,
        selection, evidence marks, labels, "+N more". The numbers are worked out with numpy on
        the frame's concatenated arrays; Python touches only what is drawn. Returns the labels
        drawn (`Labels.draw`), or None."""
        n = len(batch.ids)
        labels = None
        if n:
            h = ROW_H - 4
            ids, span, role, slot = batch.ids, batch.span, batch.role, batch.slot
            x0, x1, y0, px, b0, b1, e0, e1 = (batch.x0, batch.x1, batch.y0, batch.px, batch.b0, batch.b1,
                                              batch.e0, batch.e1)
            cut = np.asarray(batch.cut)
            dim = None
            if data.matches is not None:
                match = np.isin(ids, data.matches)
                dim = ~match
                if match.any():
                    halo = QPainterPath()
                    for a, y, b in zip(x0[match].tolist(), y0[match].tolist(), x1[match].tolist()):
                        halo.addRoundedRect(QRectF(a - 3, y - 2, b - a + 6, h + 4), 4, 4)
                    qp.fillPath(halo, QColor(255, 214, 0, 170))
            if preview is not None:
                moving = ids == preview.event_id
                if moving.any():
                    dim = moving if dim is None else dim | moving
            self._bands(qp, b0, b1, e0, e1, y0, span, cut, colors)
            # span bars, by lane, role and dimming
            left, right = vp.x0 - 5, vp.x0 + vp.width + 5
            sk = _nz(span)
            A = np.maximum(b1[sk], left)
            Wd = np.maximum(np.minimum(e0[sk], right) - A, 3.0)
            Ys = y0[sk] + 1
            if len(sk):
                key = slot[sk] * 8 + role[sk].astype(np.int64) * 2 + (dim[sk] if dim is not None else 0)
                order = np.argsort(key, kind="stable")
                ks = key[order]
                cuts = [0, *(_nz(ks[1:] != ks[:-1]) + 1).tolist(), len(ks)]
                gA, gY, gW, gk = A[order], Ys[order], Wd[order], ks.tolist()
                for p, q in zip(cuts[:-1], cuts[1:]):
                    k = gk[p]
                    self._bars(qp, (gA[p:q], gY[p:q], gW[p:q], h - 2.0), (k % 8) // 2, colors[k // 8], bool(k % 2))
            ik = _nz(~span)
            evkind = self._evidence_kinds(data, ids)
            if len(ik):
                self._marks(qp, ik, px, y0, slot, role, dim, evkind, colors)
            # selection and hover: an outline around each
            sel_ids = data.selected
            if hover is not None:
                sel_ids = np.append(sel_ids, hover)
            if len(sel_ids):
                sel = QPainterPath()
                for j in _nz(np.isin(ids[sk], sel_ids)).tolist():
                    sel.addRect(QRectF(float(A[j]), float(Ys[j]), float(Wd[j]), h - 2).adjusted(-2, -2, 2, 2))
                for j in ik[np.isin(ids[ik], sel_ids)].tolist():
                    x, y = float(px[j]), float(y0[j])
                    sel.addRect(QRectF(x - MARK_R, y + h / 2 - MARK_R, 2 * MARK_R, 2 * MARK_R).adjusted(-2, -2, 2, 2))
                if not sel.isEmpty():
                    qp.strokePath(sel, self._pen(self.theme.outline, 1.6))
            # evidence: beside each span bar (raster: instants carry theirs in the sprite)
            which = sk if not self.vector else np.arange(n)
            if len(which):
                xs = np.where(span[which], np.maximum(b1[which], x0[which]) + 4, px[which] + MARK_R + 1)
                self._evidence(qp, xs.tolist(), (y0[which] + 1).tolist(), evkind[which].tolist())
            labels = self.labels.draw(qp, vp, data, batch, colors, self._dpr, self.vector, self.theme)
        pending: list = []                  # raster: the "+N more" of every lane, drawn at once
        for g, dl in zip(shown, lanes):
            for x, ids in dl.more:
                r = self._overflow(qp, vp, g, x, len(ids), pending)
                if self.record is not None:
                    self.record.setdefault("overflow", {}).setdefault(g.key, []).append((r, ids))
        if pending:
            counts = sorted({n for _r, n in pending})
            at = {n: j for j, n in enumerate(counts)}
            self._blit(qp, [("more", n, self._dpr) for n in counts], lambda j: self._more_sprite(counts[j]),
                       np.array([round(r.left()) for r, _n in pending], np.float64),
                       np.array([round(r.top()) for r, _n in pending], np.float64),
                       np.array([at[n] for _r, n in pending], np.int64))
        return labels

    def _bands(self, qp, b0, b1, e0, e1, y0, span, cut, colors) -> None:
        """Uncertainty bands, faded: the start's bounds of each item, then the end's bounds of
        spans; one call per lane."""
        h = ROW_H - 4
        wb = b1 - b0
        kb = _nz(wb >= 3)
        we = e1 - e0
        ke = _nz(span & (we >= 3))
        if not len(kb) and not len(ke):
            return
        sb, se = np.searchsorted(kb, cut).tolist(), np.searchsorted(ke, cut).tolist()
        bx, by, bw = b0[kb], y0[kb] + 2, wb[kb]
        ex, ey, ew = e0[ke], y0[ke] + 2, we[ke]
        qp.setPen(Qt.PenStyle.NoPen)
        for s, color in enumerate(colors):
            p, q, u, v = sb[s], sb[s + 1], se[s], se[s + 1]
            if q > p or v > u:
                fade = QColor(color)
                fade.setAlpha(45)
                qp.setBrush(fade)
                draw_rects(qp, np.concatenate((bx[p:q], ex[u:v])), np.concatenate((by[p:q], ey[u:v])),
                           np.concatenate((bw[p:q], ew[u:v])), h - 4.0)
        qp.setBrush(Qt.BrushStyle.NoBrush)

    def _marks(self, qp, ik, px, y0, slot, role, dim, evkind, colors) -> None:
        """Instants: cached sprites (raster: the mark with its evidence mark), or one path per
        lane, role and dimming (vector)."""
        h = ROW_H - 4
        R = role[ik].astype(np.int64)
        D = dim[ik].astype(np.int64) if dim is not None else np.zeros(len(ik), np.int64)
        S = slot[ik]
        if not self.vector:
            key = ((S * 4 + R) * 2 + D) * 5 + evkind[ik]
            uniq, which = np.unique(key, return_inverse=True)
            specs = [(colors[k // 40], (k // 10) % 4, bool((k // 5) % 2), k % 5) for k in uniq.tolist()]
            sx = np.trunc(px[ik] - SPRITE_C + 0.5)
            sy = np.trunc(y0[ik] + h / 2 - SPRITE_C + 0.5)
            self._blit(qp, [("mark", c.rgba(), *rest, self._dpr) for c, *rest in specs],
                       lambda j: self._sprite(*specs[j]), sx, sy, which)
            return
        key = (S * 4 + R) * 2 + D
        order = np.argsort(key, kind="stable")
        paths: dict[int, QPainterPath] = {}
        for k, x, y in zip(key[order].tolist(), px[ik][order].tolist(), y0[ik][order].tolist()):
            path = paths.get(k)
            if path is None:
                path = paths[k] = QPainterPath()
            if (k // 2) % 4 == 3:      # mentioned: a small tick
                path.addRect(QRectF(x - 1, y + h * 0.35, 2, h * 0.65))
            else:
                path.moveTo(x, y + h / 2 - MARK_R)
                path.lineTo(x + MARK_R, y + h / 2)
                path.lineTo(x, y + h / 2 + MARK_R)
                path.lineTo(x - MARK_R, y + h / 2)
                path.closeSubpath()
        for k, path in paths.items():
            self._fill_role(qp, path, (k // 2) % 4, colors[k // 8], bool(k % 2))

    def _evidence_kinds(self, data, ids: np.ndarray) -> np.ndarray:
        """Per item, its evidence mark: 0 no source, 1-3 sources (up to three), 4 contradicted.
        Looked up with numpy in a sorted copy of `data.evidence`, made when that changes."""
        ev = data.evidence
        cache = self._ev_cache
        if cache is None or cache[0] is not ev:
            keys = np.fromiter(ev.keys(), np.int64, len(ev))
            kinds = np.fromiter((4 if c else min(n, 3) for n, c in ev.values()), np.int64, len(ev))
            order = np.argsort(keys)
            cache = self._ev_cache = (ev, keys[order], kinds[order])
        _ev, keys, kinds = cache
        if not len(keys):
            return np.zeros(len(ids), np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return np.where(keys[at] == ids, kinds[at], 0)

    def _evidence(self, qp, xs: list, ys: list, kinds: list) -> None:
        """Evidence marks at (x, y): red triangle = contradicted, red ring = no source, grey dots =
        sources (up to three). Raster: one small cached pixmap per kind."""
        if not self.vector:
            self._blit(qp, [("evidence", k, self._dpr) for k in range(5)], self._evidence_sprite,
                       np.trunc(np.asarray(xs, np.float64) + 0.5) - 2, np.trunc(np.asarray(ys, np.float64) + 0.5) - 2,
                       np.asarray(kinds, np.int64))
            return
        none, contra, dots = QPainterPath(), QPainterPath(), QPainterPath()
        for x, y, k in zip(xs, ys, kinds):
            self._evidence_mark((k if k < 4 else 1, 1 if k == 4 else 0), x, y, none, contra, dots)
        self._fill_evidence(qp, none, contra, dots)

    def _pen(self, color, width: float) -> QPen:
        key = ("pen", QColor(color).rgba() if not isinstance(color, QColor) else color.rgba(), width)
        pen = self._styles.get(key)
        if pen is None:
            pen = self._styles[key] = QPen(QColor(color), width)
        return pen

    def _bars(self, qp: QPainter, rects: tuple, role: int, color: QColor, dimmed: bool) -> None:
        """Span bars of one role (`rects`: arrays x, y, width and a height), styled as
        `_fill_role` does, drawn rect by rect (much faster than filling one path of them)."""
        fills, pen = self._role_style(role, color, dimmed)
        qp.setPen(Qt.PenStyle.NoPen)
        for f in fills[:-1]:
            qp.setBrush(f)
            self._rects(qp, rects)
        qp.setBrush(fills[-1])
        qp.setPen(pen if pen is not None else Qt.PenStyle.NoPen)
        self._rects(qp, rects)
        qp.setBrush(Qt.BrushStyle.NoBrush)

    def _rects(self, qp: QPainter, rects: tuple) -> None:
        """Bars with rounded corners in vector exports; on screen one square-cornered batch call
        (about six times cheaper than a rounded rect each, and the 2 px corners hardly show)."""
        x, y, w, h = rects
        if self.vector:
            for r in map(QRectF, x.tolist(), y.tolist(), w.tolist(), [h] * len(x)):
                qp.drawRoundedRect(r, 2, 2)
        else:
            draw_rects(qp, x, y, w, h)

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
                style = ((self.theme.color("hollow_dim" if dimmed else "hollow"),), QPen(c, 2))
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
        key = (color.rgba(), role, dimmed, evidence, self._dpr)
        pm = self._sprites.get(key)
        if pm is None:
            pm = blank_pixmap(2 * SPRITE_C + 8, 2 * SPRITE_C, self._dpr)
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
                sp.fillPath(tri, self.theme.color("alert"))
            elif evidence == 0:
                sp.setPen(QPen(self.theme.color("alert"), 1))
                sp.drawEllipse(QPointF(x + 1.5, y + 1.5), 1.8, 1.8)
            else:
                sp.setPen(Qt.PenStyle.NoPen)
                sp.setBrush(self.theme.color("dots"))
                for j in range(evidence):
                    sp.drawEllipse(QPointF(x + 1 + 3 * j, y + 1.5), 1.1, 1.1)
            sp.end()
            self._sprites[key] = pm
        return pm

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
            qp.fillPath(contra, self.theme.color("alert"))
        if not none.isEmpty():
            qp.strokePath(none, self._pen(self.theme.alert, 1))
        if not dots.isEmpty():
            qp.fillPath(dots, self.theme.color("dots"))

    def _evidence_sprite(self, kind: int) -> QPixmap:
        """Evidence mark `kind` (0 none, 1-3 sources, 4 contradicted) as a pixmap whose (2, 2)
        is the mark's origin."""
        key = ("evidence", kind, self._dpr)
        pm = self._sprites.get(key)
        if pm is None:
            pm = blank_pixmap(14, 9, self._dpr)
            sp = QPainter(pm)
            paths = QPainterPath(), QPainterPath(), QPainterPath()
            self._evidence_mark((kind if kind < 4 else 1, 1 if kind == 4 else 0), 2.0, 2.0, *paths)
            self._fill_evidence(sp, *paths)
            sp.end()
            self._sprites[key] = pm
        return pm

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

    def _overflow(self, qp, vp, g, x: float, n: int, pending: list) -> QRectF:
        """ "+N more" at the bottom of lane `g`, from `x` (where the events it counts are), in
        the pad under the last row: small and without descenders, it stays below the labels of a
        one-row lane. On raster targets a cached picture per count, drawn with the frame's
        others (`pending` gets (rect, n)); returns its rect."""
        text = f"+{n} more"
        fm = self.fm_tiny
        w, h = self._advance(fm, text) + 4, round(fm.capHeight()) + 3
        r = QRectF(max(vp.x0 + 2, min(x - 2, vp.x0 + vp.width - w - 2)), g.y + g.h - h - 1, w, h)
        if not self.vector:
            pending.append((r, n))
            return r
        self._overflow_text(qp, r, text)
        return r

    def _more_sprite(self, n: int) -> QPixmap:
        """ "+N more" as a picture (raster targets)."""
        key = ("more", n, self._dpr)
        pm = self._sprites.get(key)
        if pm is None:
            text = f"+{n} more"
            w, h = self._advance(self.fm_tiny, text) + 4, round(self.fm_tiny.capHeight()) + 3
            pm = self._sprites[key] = blank_pixmap(w, h, self._dpr)
            sp = QPainter(pm)
            self._overflow_text(sp, QRectF(0, 0, w, h), text)
            sp.end()
        return pm

    def _blit(self, qp: QPainter, keys: list, make, x: np.ndarray, y: np.ndarray, which: np.ndarray) -> None:
        """Raster targets: item i shows the picture of `keys[which[i]]` (made by `make(j)` for
        `keys[j]` when the atlas does not hold it yet) with its top-left at (x[i], y[i]), all in
        one call (`sijill.desktop.timeline.atlas`)."""
        if not len(which):
            return
        pos = {key: j for j, key in enumerate(keys)}
        slots = self._atlas.resolve(keys, lambda key: make(pos[key]))[0][which]
        ok = slots >= 0
        self._atlas.draw(qp, x[ok], y[ok], slots[ok], self._dpr)
        for i in _nz(~ok).tolist():                 # (only when a frame's pictures fill every page)
            qp.drawPixmap(int(x[i]), int(y[i]), make(int(which[i])))

    def _overflow_text(self, qp: QPainter, r: QRectF, text: str) -> None:
        qp.setFont(self.tiny)
        qp.setPen(self.theme.color("muted" if self.theme.dark else "dots"))
        qp.fillRect(r, self.theme.color("veil"))
        qp.drawText(QPointF(r.left() + 2, r.bottom() - 1.5), text)

    def _preview(self, qp, vp, geoms, p: Preview) -> None:
        g = next((g for g in geoms if g.key == p.lane_key), None)
        if g is None:
            return
        y = g.y + LANE_PAD
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        x0, x1 = float(vp.x(p.lo)), float(vp.x(p.hi))
        qp.fillRect(QRectF(x0, y, max(x1 - x0, 2), ROW_H - 4), self.theme.color("shade"))
        pen = QPen(self.theme.color("outline"), 1.5, Qt.PenStyle.DashLine)
        qp.setPen(pen)
        if p.span:
            a, b = float(vp.x(p.start_hi)), float(vp.x(p.end_lo))
            qp.drawRect(QRectF(a, y + 1, max(b - a, 3), ROW_H - 6))
        else:
            x = float(vp.x((p.lo + p.start_hi) // 2))
            qp.drawRect(QRectF(x - MARK_R, y + (ROW_H - 4) / 2 - MARK_R, 2 * MARK_R, 2 * MARK_R))
        qp.setRenderHint(QPainter.RenderHint.Antialiasing, False)
