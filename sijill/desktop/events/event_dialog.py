"""The event editor: dates typed as text with a live reading of each, groups with roles, tags.

`EventDialog.fields()` is what `CreateEventCommand` takes; `changed_fields()` only what differs
from the edited event, for `UpdateEventCommand`. A date is passed as the parsed FuzzyDate, so a
relative phrase keeps the reading made against the chosen reference date.
`open_event_editor()` shows the dialog (window-modal, not blocking) and pushes the command.
A group typed that does not exist can be chosen as “Create group ‘X’”: `group_links()` then names
it, and `group_commands()` creates it in the same undo step as the event.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QIntValidator, QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QPushButton, QSizePolicy, QTableWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Event
from sijill.desktop.commands.base import CompositeCommand
from sijill.desktop.commands.events import CreateEventCommand, UpdateEventCommand
from sijill.desktop.commands.groups import CreateGroupCommand
from sijill.desktop.commands.stack import refuse_read_only
from sijill.desktop.groups.group_dialog import next_color
from sijill.desktop.groups.picker import GroupPicker
from sijill.desktop.widgets.place_completer import PlaceCompleter
from sijill.desktop.hub import ProjectHub
from sijill.db.formats.acled import ACLED_EVENT_TYPES
from sijill.desktop.undo_text import quoted
from sijill.desktop.widgets.date_field import DateField, same_date
from sijill.desktop.widgets.dialog_parts import ok_cancel, error_label

class TagCompleter(QCompleter):
    """Completes the last of several comma-separated tags."""

    def __init__(self, tags: list[str], edit: QLineEdit) -> None:
        self.tag_model = QStringListModel(tags, edit)  # parented: the completer does not own it
        super().__init__(self.tag_model, edit)
        self.edit = edit
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt name)
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt name)
        done = [t.strip() for t in self.edit.text().split(",")[:-1] if t.strip()]
        return ", ".join([*done, index.data()])


class EventDialog(QDialog):
    """Create (event None) or edit one event."""

    def __init__(self, hub: ProjectHub, event: Event | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = hub
        self.edited = event  # not `self.event`: that would shadow QWidget.event()
        project = hub.project
        self.setObjectName("event_dialog")
        self.setWindowTitle("Edit event" if event else "New event")
        self.groups = project.groups()
        self.title = QLineEdit(self)
        self.start = DateField(optional=False, parent=self)
        self.end = DateField(optional=True, parent=self)
        self.reference = QComboBox(self)
        default = hub.display.reference   # Preferences: what relative phrases are read against
        if default is not None:
            self.reference.addItem(f"your default date ({default:%d %b %Y})", (default, None))
        else:
            today = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
            self.reference.addItem(f"today ({today:%d %b %Y})", (today, None))
        for source in project.sources():
            if source.published is not None:
                self.reference.addItem(f"{source.title} ({source.published.display()})",
                                       (source.published.lo, source.language))
        self.reference.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reference.setMinimumContentsLength(24)  # sources' titles are long: the popup shows them whole
        self.reference.setToolTip("What relative dates ('yesterday', 'samedi dernier') are read against")
        self.group_table = QTableWidget(0, 2, self)
        self.group_table.setHorizontalHeaderLabels(["Group", "Role"])
        self.group_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.group_table.verticalHeader().hide()
        self.group_table.setMinimumHeight(120)
        self.group_table.setMinimumWidth(380)  # a group's full name beside its role
        self.group_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.add_group_button = QPushButton("Add group", self)
        self.remove_group_button = QPushButton("Remove", self)
        self.add_group_button.clicked.connect(lambda: self.add_group_row())
        self.remove_group_button.clicked.connect(self.remove_group_row)
        self.tags = QLineEdit(self)
        self.tags.setPlaceholderText("comma-separated, e.g. drone, claimed")
        self.tags.setCompleter(TagCompleter(project.tags(), self.tags))
        self.event_type = QComboBox(self)
        self.event_type.setEditable(True)
        self.event_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.event_type.setMinimumContentsLength(24)
        self.event_type.addItem("")
        self.event_type.addItems(list(ACLED_EVENT_TYPES)
                                 + [t for t in project.event_types() if t not in ACLED_EVENT_TYPES])
        self.location = QLineEdit(self)
        self.latitude = QLineEdit(self)
        self.longitude = QLineEdit(self)
        for edit, hint in ((self.latitude, "latitude, e.g. 33.3152"), (self.longitude, "longitude, e.g. 44.3661")):
            edit.setPlaceholderText(hint)
        self.places = PlaceCompleter(self.location, self.latitude, self.longitude, lambda: hub.project.places())
        self.fatalities = QLineEdit(self)
        self.fatalities.setValidator(QIntValidator(0, 10_000_000, self))
        self.fatalities.setPlaceholderText("unknown")
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("What happened, who said so, what is disputed")
        self.description.setMinimumHeight(90)
        self.message = error_label(self, "event_message")
        self.buttons = ok_cancel(self)

        # Two columns (when, what and where | who and the story), the evidence in a tab of its own:
        # the dialog fits a 1366×768 screen even with the evidence of an edited event.
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Start", self.start)
        form.addRow("&End", self.end)
        form.addRow("Read against", self.reference)
        form.addRow("T&ype", self.event_type)
        form.addRow("T&ags", self.tags)
        form.addRow("&Location", self.location)
        coords = QHBoxLayout()
        coords.addWidget(self.latitude)
        coords.addWidget(self.longitude)
        form.addRow("Coordinates", coords)
        form.addRow("&Fatalities", self.fatalities)
        self.key_event = QCheckBox("its label wins where labels compete on the timeline", self)
        self.key_event.setObjectName("key_event")
        form.addRow("&Key event", self.key_event)
        group_buttons = QHBoxLayout()
        group_buttons.addWidget(self.add_group_button)
        group_buttons.addWidget(self.remove_group_button)
        self.new_groups_note = QLabel(self)
        self.new_groups_note.setObjectName("new_groups_note")
        self.new_groups_note.setStyleSheet("color: #2e7d32;")
        group_buttons.addWidget(self.new_groups_note)
        group_buttons.addStretch(1)
        who = QVBoxLayout()
        who.setContentsMargins(0, 0, 0, 0)
        who.addWidget(QLabel("Groups and their roles", self))
        who.addWidget(self.group_table, 3)
        who.addLayout(group_buttons)
        who.addSpacing(6)
        description_label = QLabel("&Description", self)
        description_label.setBuddy(self.description)
        who.addWidget(description_label)
        who.addWidget(self.description, 2)
        page = QWidget(self)
        page.setObjectName("event_page")
        columns = QHBoxLayout(page)
        columns.setContentsMargins(0, 4, 0, 0)
        columns.setSpacing(18)
        fields = QWidget(page)
        fields.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        fields.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        left = QVBoxLayout()
        left.addWidget(fields)
        left.addStretch(1)  # the fields stay together at the top when the dialog is taller
        columns.addLayout(left, 1)
        columns.addLayout(who, 1)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("event_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)  # a new event has one page: no tab bar
        self.tabs.addTab(page, "&Event")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self._title_edited = False
        self._counts: dict[int, tuple[str, Callable[[], int]]] = {}
        hub.evidence_changed.connect(self._recount)
        self._fill(event)
        self.title.textChanged.connect(self._title_changed)
        self.reference.currentIndexChanged.connect(self._on_reference)
        for signal in (self.title.textChanged, self.start.changed, self.end.changed,
                       self.latitude.textChanged, self.longitude.textChanged):
            signal.connect(self.validate)
        self.validate()

    # ---- filling and reading ------------------------------------------------------------------
    def _fill(self, e: Event | None) -> None:
        reference, lang = self.reference.currentData()
        for field in (self.start, self.end):
            field.set_reference(reference, lang, touched=False)
        if e is None:
            self.start.set_stored(None)
            self.end.set_stored(None)
            return
        self.title.setText(e.title)
        self.start.set_stored(e.start)
        self.end.set_stored(e.end)
        for link in e.groups:
            self.add_group_row(link.group_id, link.role)
        self.tags.setText(", ".join(e.tags))
        self.event_type.setCurrentText(e.event_type or "")
        self.location.setText(e.location or "")
        self.latitude.setText("" if e.latitude is None else repr(e.latitude))
        self.longitude.setText("" if e.longitude is None else repr(e.longitude))
        self.fatalities.setText("" if e.fatalities is None else str(e.fatalities))
        self.description.setPlainText(e.description or "")
        self.key_event.setChecked(e.key_event)

    def _title_changed(self) -> None:
        self._title_edited = True

    def _on_reference(self, _index: int) -> None:
        reference, lang = self.reference.currentData()
        for field in (self.start, self.end):
            field.set_reference(reference, lang, touched=True)

    def add_group_row(self, group_id: int | None = None, role: str = "actor") -> int:
        """A row naming a group (typed, completed; a new one offered) and its role; without
        `group_id` the name is left to type, and the row's name field has the keyboard."""
        row = self.group_table.rowCount()
        self.group_table.insertRow(row)
        groups = GroupPicker(self.groups, self.group_table)
        groups.set_group(group_id)
        groups.changed.connect(self.validate)
        roles = QComboBox(self.group_table)
        roles.addItems(list(schema.ROLES))
        roles.setCurrentText(role)
        self.group_table.setCellWidget(row, 0, groups)
        self.group_table.setCellWidget(row, 1, roles)
        if group_id is None and self.isVisible():
            groups.setFocus()
        return row

    def remove_group_row(self) -> None:
        row = self.group_table.currentRow()
        if row < 0:
            row = self.group_table.rowCount() - 1
        if row >= 0:
            self.group_table.removeRow(row)

    def group_links(self) -> list[tuple[int | str, str]]:
        """(group id, role) per row; a group to create is named instead of numbered."""
        links: dict[int | str, str] = {}
        for row in range(self.group_table.rowCount()):
            ref = self.group_table.cellWidget(row, 0).value()
            if ref is not None:
                links[ref] = self.group_table.cellWidget(row, 1).currentText()
        return list(links.items())

    def new_groups(self) -> list[str]:
        """Names chosen as “Create group ‘X’”, each once, in the order of the rows."""
        return list(dict.fromkeys(ref for ref, _role in self.group_links() if isinstance(ref, str)))

    def group_commands(self) -> list[CreateGroupCommand]:
        """The commands that create the new groups, each with a lane colour not used yet."""
        colors = [g.color for g in self.groups]
        out = []
        for name in self.new_groups():
            colors.append(next_color(colors).name())
            out.append(CreateGroupCommand(self.hub, {"name": name, "color": colors[-1]}))
        return out

    def tag_list(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in self.tags.text().split(",") if t.strip()))

    def _coordinate(self, edit: QLineEdit, limit: float, name: str) -> tuple[float | None, str | None]:
        text = edit.text().strip().replace(",", ".")
        if not text:
            return None, None
        try:
            value = float(text)
        except ValueError:
            return None, f"the {name} must be a number"
        if not -limit <= value <= limit:
            return None, f"the {name} must be between -{limit:g} and {limit:g}"
        return value, None

    def validate(self) -> bool:
        """Enable OK only when every field can be saved. What is wrong is said once the user has
        edited the field concerned (or pressed OK), never on a dialog just opened; until then
        OK's tooltip says what it waits for."""
        problems: list[str] = []
        quiet: list[str] = []  # what is wrong with fields not edited yet
        if not self.title.text().strip():
            (problems if self._title_edited else quiet).append("the event needs a title")
        for name, field in (("start", self.start), ("end", self.end)):
            if field.error:
                (problems if field.shows_error else quiet).append(f"{name}: {field.error}")
        if self.start.value and self.end.value and self.end.value.hi < self.start.value.lo:
            problems.append("the end is before the start")
        problems += [p for p in (self.group_table.cellWidget(r, 0).problem()
                                 for r in range(self.group_table.rowCount())) if p]
        new = self.new_groups()
        names = ", ".join(f"“{n}”" for n in new)
        self.new_groups_note.setText(f"New group{'s' if len(new) > 1 else ''}: {names} (created with the event)"
                                     if new else "")
        lat, lat_error = self._coordinate(self.latitude, 90, "latitude")
        lon, lon_error = self._coordinate(self.longitude, 180, "longitude")
        problems += [p for p in (lat_error, lon_error) if p]
        if (lat is None) != (lon is None) and not (lat_error or lon_error):
            problems.append("give both latitude and longitude, or neither")
        self.message.setText("; ".join(problems))
        ok = not problems and not quiet
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(ok)
        button.setToolTip("" if ok else "Needed first: " + "; ".join(quiet + problems))
        return ok

    def reveal_problems(self) -> None:
        """Say everything that is wrong, edited or not (OK was pressed)."""
        self._title_edited = True
        for field in (self.start, self.end):
            field.reveal_error()
        self.validate()

    def add_section(self, label: str, widget: QWidget, count: Callable[[], int] | None = None) -> int:
        """Add a page beside the fields (the editor of an existing event shows its evidence);
        `count` gives the number the tab shows, kept up to date. Returns the tab's index."""
        index = self.tabs.addTab(widget, label)
        if count is not None:
            self._counts[index] = (label, count)
            self._recount()
        return index

    def _recount(self, *_args) -> None:
        for index, (label, count) in self._counts.items():
            self.tabs.setTabText(index, f"{label} ({count()})")

    def fields(self) -> dict:
        """Every field, in the form Project.create_event takes."""
        fatalities = self.fatalities.text().strip()
        return {
            "title": self.title.text().strip(),
            "description": self.description.toPlainText().strip() or None,
            "start": self.start.value,
            "end": self.end.value,
            "location": self.location.text().strip() or None,
            "latitude": self._coordinate(self.latitude, 90, "latitude")[0],
            "longitude": self._coordinate(self.longitude, 180, "longitude")[0],
            "event_type": self.event_type.currentText().strip() or None,
            "fatalities": int(fatalities) if fatalities else None,
            "groups": self.group_links(),
            "tags": self.tag_list(),
            "key_event": self.key_event.isChecked(),
        }

    def changed_fields(self) -> dict:
        """Only the fields that differ from the edited event (all of them for a new event)."""
        new = self.fields()
        e = self.edited
        if e is None:
            return new
        old = {"title": e.title, "description": e.description, "location": e.location,
               "latitude": e.latitude, "longitude": e.longitude, "event_type": e.event_type,
               "fatalities": e.fatalities, "key_event": e.key_event}
        changed = {k: v for k, v in new.items() if k in old and v != old[k]}
        if not same_date(new["start"], e.start):
            changed["start"] = new["start"]
        if not same_date(new["end"], e.end):
            changed["end"] = new["end"]
        if set(new["groups"]) != {(link.group_id, link.role) for link in e.groups}:
            changed["groups"] = new["groups"]
        if sorted(new["tags"]) != sorted(e.tags):
            changed["tags"] = new["tags"]
        return changed

    def accept(self) -> None:
        if self.validate():
            super().accept()
        else:
            self.reveal_problems()


def open_event_editor(parent: QWidget, hub: ProjectHub, stack: QUndoStack,
                      event_id: int | None = None) -> EventDialog | None:
    """Show the editor for an event (None: a new one); OK pushes the command on `stack`.
    Returns the dialog (window-modal, already shown), or None when the project is read-only."""
    if refuse_read_only(hub.project, parent):
        return None
    try:
        event = hub.project.event(event_id) if event_id is not None else None
    except ProjectError:  # deleted meanwhile (an undo, another window)
        QMessageBox.information(parent, "Event not found", "That event no longer exists in the project.")
        return None
    dialog = EventDialog(hub, event, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if event is not None:
        from sijill.desktop.sources.evidence_panel import EvidencePanel

        evidence = EvidencePanel(hub, stack, dialog, follow_selection=False)
        evidence.setObjectName("eventDialogEvidence")
        evidence.set_event(event.id)
        header = evidence.tree.header()  # the quote, not a long source title, gets the room
        for column, width in ((3, 240), (4, 130)):  # source, outlet
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        evidence.open_passage.connect(hub.passage_requested)
        dialog.add_section("E&vidence", evidence, count=lambda: len(hub.project.evidence(event.id)))
        from sijill.desktop.history.history_view import add_history_tab

        add_history_tab(dialog, hub, stack, "event", event.uid)

    def push() -> None:
        new_groups = dialog.group_commands()
        if event is None:
            fields = dialog.fields()
            command = CreateEventCommand(hub, fields, f"New event {quoted(fields['title'])}")
            stack.push(CompositeCommand(command.text(), [*new_groups, command]) if new_groups else command)
            if command.event_id is not None:
                hub.set_selection([command.event_id])
        else:
            changes = dialog.changed_fields()
            if changes:
                command = UpdateEventCommand(hub, {event.id: changes}, f"Edit event {quoted(event.title)}")
                stack.push(CompositeCommand(command.text(), [*new_groups, command]) if new_groups else command)

    dialog.accepted.connect(push)
    dialog.open()
    return dialog
