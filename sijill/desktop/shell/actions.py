"""Every QAction of the main window, declared once (text, shortcut, status tip) and shared by
menus and toolbars. Undo and redo come from the undo stack so that they carry its texts.

The zoom actions are declared here and connected by whoever shows a timeline: `MainWindow`
connects `view_fit`, `view_zoom_in`, `view_zoom_out`, `view_zoom_selection` and the
`view_preset_*` actions to the timeline's `fit_all()`, `zoom_in()`, `zoom_out()`,
`zoom_to_selection()` and `set_preset(name)`.

Ctrl+E is Annotate (the reader's own action, active while the reader has focus), so New event is
Ctrl+Shift+N or Insert.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, SignalInstance, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from sijill.desktop.commands.stack import READ_ONLY_TIP
from sijill.desktop.widgets.icons import icon

@dataclass(frozen=True)
class ActionSpec:
    """What the user sees of an action; `edits` marks actions that change the project."""

    name: str
    text: str
    shortcuts: tuple[str, ...] = ()
    tip: str = ""
    edits: bool = False
    checkable: bool = False
    icon: str = ""  # resources/icons/<icon>.svg: a toolbar shows the icon alone, the text as tooltip


SPECS = (
    ActionSpec("file_new", "&New project…", ("Ctrl+N",), "Create a new, empty project file"),
    ActionSpec("file_open", "&Open project…", ("Ctrl+O",), "Open a project file"),
    ActionSpec("file_import", "&Import…", ("Ctrl+I",),
               "Add events from an ACLED or other CSV, TimelineJS, Timeline or Sijill file, seeing what "
               "it holds first", edits=True),
    ActionSpec("file_merge", "&Merge from…", (),
               "Bring in another analyst's copy of this project: see what it adds, changes and deletes, and "
               "settle each conflict, before anything is written", edits=True),
    ActionSpec("file_export", "&Export…", ("Ctrl+Shift+S",),
               "Write the project, or the events you select, as CSV, TimelineJS, a web page, a report, "
               "GeoJSON, a calendar, Sijill JSON or W3C annotations"),
    ActionSpec("file_export_image", "Export &image…", ("Ctrl+Shift+E",),
               "Save the timeline (the view or a date range) as a PNG, SVG or PDF image"),
    ActionSpec("file_quit", "&Quit", ("Ctrl+Q",), "Close Sijill"),
    ActionSpec("edit_undo", "&Undo", ("Ctrl+Z",), "Undo the last change", icon="undo"),
    ActionSpec("edit_redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the change just undone", icon="redo"),
    ActionSpec("edit_new_event", "&New event…", ("Ctrl+Shift+N", "Ins"), "Add an event to the project", edits=True),
    ActionSpec("edit_event", "&Edit event…", ("F2",), "Edit the selected event (or double-click it)",
               edits=True),
    ActionSpec("edit_delete", "&Delete", ("Del",), "Delete the selected events", edits=True),
    ActionSpec("edit_merge_events", "&Merge events…", ("Ctrl+M",),
               "Merge the selected duplicate events into the one you keep: their groups, tags and evidence "
               "move to it", edits=True),
    ActionSpec("edit_new_group", "New &group…", ("Ctrl+Shift+G",),
               "Add a group (armed group, state, coalition…): it gets a lane on the timeline", edits=True),
    ActionSpec("edit_new_period", "New &period…", (),
               "Add a period, a band behind the timeline (or Shift+drag along the timeline's dates)", edits=True),
    ActionSpec("edit_tags", "&Tags…", (), "Rename, merge or delete the project's tags", edits=True),
    ActionSpec("edit_places", "P&laces…", (),
               "The project's own places (sites the gazetteer does not list): add, edit, merge or delete them",
               edits=True),
    ActionSpec("edit_find", "&Find", ("Ctrl+F",), "Search events, sources and annotations"),
    ActionSpec("edit_preferences", "&Preferences…", ("Ctrl+,",),
               "Your name, light or dark, how dates are shown and read, where exports go"),
    ActionSpec("view_undo_history", "Undo &history", ("Ctrl+H",), "Show every change that can be undone",
               checkable=True),
    ActionSpec("view_project_history", "Pro&ject history…", ("Ctrl+Shift+H",),
               "Every recorded change to the project: who changed what, when and from what"),
    ActionSpec("view_fit", "&Fit all", ("F",), "Show the whole project on the timeline", icon="zoom-fit"),
    ActionSpec("view_zoom_in", "Zoom &in", ("+", "=", "Ctrl++"), "Zoom the timeline in", icon="zoom-in"),
    ActionSpec("view_zoom_out", "Zoom &out", ("-", "Ctrl+-"), "Zoom the timeline out", icon="zoom-out"),
    ActionSpec("view_zoom_selection", "Zoom to &selection", ("Z",), "Fit the selected events on the timeline"),
    ActionSpec("view_sources", "&Sources beside the timeline", ("F9",),
               "Show or hide the source library and reader beside the timeline", checkable=True),
    ActionSpec("view_hide_empty_lanes", "Hide &empty lanes", (),
               "Show only the lanes with an event in the visible dates (remembered with the project)",
               checkable=True),
    ActionSpec("view_counts", "&Counts over time", (),
               "Show events per day, week or month under the timeline, stacked by group, following its dates "
               "and filters", checkable=True),
    *(ActionSpec(f"view_preset_{key}", label, (), tip) for key, label, tip in (
        ("all", "All", "Show the whole project"), ("5y", "5 y", "Show five years"),
        ("1y", "1 y", "Show one year"), ("3m", "3 m", "Show three months"), ("1m", "1 m", "Show one month"),
        ("1w", "1 w", "Show one week"), ("1d", "1 d", "Show one day"))),
    ActionSpec("view_evidence_all", "&All events", (), "Show events whatever their evidence", checkable=True),
    ActionSpec("view_evidence_none", "&Without evidence", (), "Show only events no source supports yet",
               checkable=True),
    ActionSpec("view_evidence_contradicted", "&Contradicted", (),
               "Show only events that some evidence contradicts", checkable=True),
    ActionSpec("help_about", "&About Sijill", (), "What Sijill is and its version"),
)
PRESET_ACTIONS = {"All": "view_preset_all", "5 y": "view_preset_5y", "1 y": "view_preset_1y",
                  "3 m": "view_preset_3m", "1 m": "view_preset_1m", "1 w": "view_preset_1w", "1 d": "view_preset_1d"}
EVIDENCE_ACTIONS = {None: "view_evidence_all", "none": "view_evidence_none",
                    "contradicted": "view_evidence_contradicted"}


def _sequences(spec: ActionSpec) -> list[QKeySequence]:
    return [QKeySequence(text) for text in spec.shortcuts]


class StepName(QObject):
    """Keeps an undo or redo action's tooltip naming its step ("Undo Move event “Tower 22 attack”
    (Ctrl+Z)"): in the toolbar they are icons, so the bar keeps its width whatever the step.

    Queued, not direct: a Python slot that runs inside QUndoStack.push while a failed command's
    exception is pending swallows that exception, and GuardedUndoStack would keep the command."""

    def __init__(self, action: QAction, verb: str, changed: SignalInstance, text: str) -> None:
        super().__init__(action)
        self.action = action
        self.verb = verb
        changed.connect(self.name, Qt.ConnectionType.QueuedConnection)
        self.name(text)

    @Slot(str)
    def name(self, text: str) -> None:
        keys = self.action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        tip = f"{self.verb} {text}" if text else f"Nothing to {self.verb.lower()}"
        self.action.setToolTip(f"{tip} ({keys})" if keys else tip)


class Actions:
    """The window's actions by name (`actions.file_new` or `actions["file_new"]`)."""

    def __init__(self, parent: QWidget, undo_stack: QUndoStack) -> None:
        self._actions: dict[str, QAction] = {}
        for spec in SPECS:
            if spec.name == "edit_undo":
                action = undo_stack.createUndoAction(parent, "&Undo")
            elif spec.name == "edit_redo":
                action = undo_stack.createRedoAction(parent, "&Redo")
            else:
                action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            action.setShortcuts(_sequences(spec))
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip or spec.text.replace("&", "").rstrip("…"))
            action.setCheckable(spec.checkable)
            if spec.icon:
                action.setIcon(icon(spec.icon))
            parent.addAction(action)
            self._actions[spec.name] = action
        self._step_names = [StepName(self._actions["edit_undo"], "Undo", undo_stack.undoTextChanged,
                                     undo_stack.undoText()),
                            StepName(self._actions["edit_redo"], "Redo", undo_stack.redoTextChanged,
                                     undo_stack.redoText())]

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["_actions"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self):
        return iter(self._actions.values())

    def editing(self) -> list[QAction]:
        return [self._actions[s.name] for s in SPECS if s.edits]

    def set_read_only(self, read_only: bool) -> None:
        """Disable every action that changes the project, saying why in its status tip."""
        for spec in SPECS:
            if spec.edits:
                action = self._actions[spec.name]
                action.setEnabled(not read_only)
                action.setStatusTip(READ_ONLY_TIP if read_only else spec.tip)
