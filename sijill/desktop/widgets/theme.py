"""Light and dark colours for everything Sijill paints itself, and the application palette.

Qt widgets follow the application's QPalette; the timeline, the lane headers, the reader's
highlights and the detail pane's HTML are painted or written by Sijill, so their colours come from a
`Theme`: `current()` is the one matching the palette in force (dark when the window colour is dark),
so a view asks for it when it paints and never caches a colour across a change of palette.

`apply_theme(app, choice)` sets the palette for the analyst's choice ("system", "light", "dark"):
dark is the Fusion style with `dark_palette()`; light on a dark system is Fusion with its light
palette; "system" follows `QStyleHints.colorScheme()`. Exports (PNG, SVG, PDF, web page) are
printed on white: they always use `LIGHT`.

Highlighted text carries its own text colour (dark on a light pastel, light on a darker tint) so
that it stays readable whatever the palette; `contrast_ratio` is the WCAG 2 formula the tests hold
it to (at least 4.5:1).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

THEMES = ("system", "light", "dark")
THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


class RedrawnOnThemeChange:
    """For a widget that writes colours of the palette into what it shows (HTML, item brushes): a
    change of palette (light <-> dark) calls `redraw_for_theme()` at once when the widget is
    visible, else when it is next shown (a closed window reads nothing). Put it before the Qt
    class in the bases."""

    _theme_stale = False

    def redraw_for_theme(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            if self.isVisible():
                self.redraw_for_theme()
            else:
                self._theme_stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._theme_stale:
            self._theme_stale = False
            self.redraw_for_theme()


@dataclass(frozen=True)
class Theme:
    """The colours Sijill paints with, as names or #RRGGBB / #AARRGGBB strings."""

    name: str
    dark: bool
    # timeline and lane headers
    base: str            # lanes
    alt_base: str        # every other lane
    axis: str            # the axis band
    header: str          # lane names column
    header_alt: str      # every other lane name
    text: str            # labels beside marks, lane names, axis context
    muted: str           # counts, ticks, secondary text
    faint: str           # context tick lines, the Ungrouped lane's name
    line: str            # lane separators
    border: str          # edges of panes
    grid: str            # vertical grid lines (with alpha)
    outline: str         # selection and drag outlines
    shade: str           # a dragged event's old place (with alpha)
    hollow: str          # inside a target's mark (with alpha)
    hollow_dim: str      # the same, dimmed by a search
    veil: str            # behind "+N more" and floating notes (with alpha)
    wash: int            # alpha (of 255) of a period's colour over the lanes
    accent: str          # the window on the overview, a range being dragged
    accent_text: str
    alert: str           # contradicted, no evidence
    dots: str            # evidence dots
    # reader
    highlight: tuple[str, str, str]   # one, two, three or more annotations over a character
    current: tuple[str, str, str]     # the same, where the current annotation is one of them
    highlight_text: str               # the text over either
    margin: str                       # the reader's margin
    bars: tuple[str, ...]             # margin bars
    group_underline: str
    date_underline: str
    # HTML panes and notes
    secondary: str       # secondary text in panes (labels, bounds, meta)
    positive: str
    negative: str
    warning: str
    error: str
    chip: str            # behind a grade
    quote: str           # quoted passages
    notice: str          # background of a notice ("Summary written for this demo")
    notice_border: str

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))

    def lane(self, color: QColor) -> QColor:
        """A lane's colour as drawn on this theme's lanes: a colour too dark to see on a dark
        background (ISIS's near-black) is lightened until it stands out."""
        if not self.dark:
            return color
        out = QColor(color)
        for _ in range(6):
            if contrast_ratio(out, QColor(self.base)) >= 3.0:
                break
            out = out.lighter(140) if out.lightness() > 20 else QColor(110, 110, 110)
        return out

    def label_on(self, color: QColor) -> QColor:
        """Text in a lane's colour inside a hollow or striped bar."""
        return QColor(color).lighter(165) if self.dark else QColor(color).darker(160)


LIGHT = Theme(
    name="light", dark=False,
    base="#ffffff", alt_base="#f6f7f9", axis="#eef1f5", header="#fafbfc", header_alt="#f1f3f6",
    text="#222222", muted="#888888", faint="#777777", line="#dde1e6", border="#c8cdd4",
    grid="#16000000", outline="#101010", shade="#1e000000", hollow="#e6ffffff", hollow_dim="#3cffffff",
    veil="#c8ffffff", wash=38, accent="#4a6fa5", accent_text="#1f3a60", alert="#d62728", dots="#555555",
    highlight=("#fff1a8", "#ffd75e", "#ffbf2e"), current=("#b8dcff", "#8cc4ff", "#5eaaff"),
    highlight_text="#1b1b1b", margin="#f6f4ee", bars=("#e0a800", "#d9730d", "#b5651d", "#8f6b00"),
    group_underline="#00796b", date_underline="#7b1fa2",
    secondary="#666666", positive="#2e7d32", negative="#c62828", warning="#b26a00", error="#c62828", chip="#eceff1",
    quote="#333333", notice="#fff8e1", notice_border="#f0d58c",
)

DARK = Theme(
    name="dark", dark=True,
    base="#1e2126", alt_base="#24282e", axis="#2c3139", header="#202328", header_alt="#262a30",
    text="#e4e7eb", muted="#9aa3ad", faint="#8a939d", line="#363c44", border="#454c56",
    grid="#1affffff", outline="#f2f2f2", shade="#30ffffff", hollow="#e61e2126", hollow_dim="#3c1e2126",
    veil="#d81e2126", wash=20, accent="#7fa6dc", accent_text="#cfe0f7", alert="#ff6b6b", dots="#b0b8c2",
    highlight=("#5a4a12", "#6e5810", "#82640c"), current=("#1f4670", "#23517f", "#285b8c"),
    highlight_text="#f4f4f4", margin="#25282d", bars=("#c99a1a", "#d9822b", "#c47a3a", "#a88a2a"),
    group_underline="#4db6ac", date_underline="#ce93d8",
    secondary="#a9b1ba", positive="#81c784", negative="#ef9a9a", warning="#ffb74d", error="#ff8a80", chip="#3a4048",
    quote="#d0d4d9", notice="#3d3420", notice_border="#7a6530",
)


def relative_luminance(color: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour, 0 (black) to 1 (white)."""
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 to 21 (4.5 is the minimum for body text)."""
    la, lb = sorted((relative_luminance(QColor(a)), relative_luminance(QColor(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def current() -> Theme:
    """The theme matching the application's palette (LIGHT without a GUI application)."""
    if QGuiApplication.instance() is None:
        return LIGHT
    return DARK if is_dark(QGuiApplication.palette()) else LIGHT


def system_prefers_dark() -> bool:
    """The platform's colour scheme is dark (Qt.ColorScheme.Dark); False when it says nothing."""
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def wants_dark(choice: str, system_dark: bool | None = None) -> bool:
    """Whether `choice` ("system", "light" or "dark") means dark colours."""
    if choice == "dark":
        return True
    if choice == "light":
        return False
    return system_prefers_dark() if system_dark is None else system_dark


def dark_palette() -> QPalette:
    """The Fusion palette Sijill uses in dark mode (DARK's greys, readable disabled text)."""
    p = QPalette()
    R, G = QPalette.ColorRole, QPalette.ColorGroup
    for role, value in ((R.Window, "#2b2e33"), (R.WindowText, "#e4e7eb"), (R.Base, "#1e2126"),
                        (R.AlternateBase, "#262a30"), (R.ToolTipBase, "#33373d"), (R.ToolTipText, "#e4e7eb"),
                        (R.PlaceholderText, "#8a939d"), (R.Text, "#e4e7eb"), (R.Button, "#33373d"),
                        (R.ButtonText, "#e4e7eb"), (R.BrightText, "#ff8a80"), (R.Light, "#454a52"),
                        (R.Midlight, "#3a3f46"), (R.Mid, "#2a2d32"), (R.Dark, "#17191c"), (R.Shadow, "#0c0d0f"),
                        (R.Highlight, "#3d6fb0"), (R.HighlightedText, "#ffffff"), (R.Link, "#8ab4f8"),
                        (R.LinkVisited, "#c58af9")):
        p.setColor(role, QColor(value))
    for role, value in ((R.WindowText, "#7d858f"), (R.Text, "#7d858f"), (R.ButtonText, "#7d858f"),
                        (R.Highlight, "#3a3f46"), (R.HighlightedText, "#9aa3ad")):
        p.setColor(G.Disabled, role, QColor(value))
    return p


def apply_theme(app, choice: str, system_dark: bool | None = None) -> Theme:
    """Give `app` the style and palette of `choice`; returns the Theme now in force.

    The platform's own style and palette are remembered on the first call, so that "system" on a
    light desktop gives them back unchanged."""
    from PySide6.QtWidgets import QStyleFactory

    if app.property("sijill_native_style") is None:
        app.setProperty("sijill_native_style", app.style().name())
        app.setProperty("sijill_native_palette", QPalette(app.palette()))
        app.setProperty("sijill_theme", "native")
    native = app.property("sijill_native_palette")
    if wants_dark(choice, system_dark):
        target = "dark"
    elif choice == "light" and is_dark(native):
        target = "light"
    else:
        target = "native"
    if app.property("sijill_theme") != target:  # restyling every widget costs: only on a change
        if target == "native":
            app.setStyle(QStyleFactory.create(app.property("sijill_native_style")))
            app.setPalette(native)
        else:
            fusion = QStyleFactory.create("Fusion")
            app.setStyle(fusion)
            app.setPalette(dark_palette() if target == "dark" else fusion.standardPalette())
        app.setProperty("sijill_theme", target)
    return current()
