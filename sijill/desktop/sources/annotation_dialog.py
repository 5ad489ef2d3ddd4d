"""One annotated passage: its note, credibility grade 1–6 (meanings shown), groups, tags and the
events it bears on, each with a stance (supports, contradicts, context).

The dialog edits nothing itself: the caller reads `values()` and `link_changes()` and pushes
undo commands. Opened with `open()`; connect `accepted`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QComboBox, QCompleter, QDialog, QDialogButtonBox,
                               QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QSizePolicy, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from sijill.db.store import schema
from sijill.db.store.basics import ProjectError
from sijill.db.store.entities import Annotation
from sijill.desktop.sources.source_dialog import rtl_if_arabic
from sijill.desktop.hub import ProjectHub
from sijill.desktop.sources.grades import CREDIBILITY, grade_code, reliability_label

EVENT_ROLE = Qt.ItemDataRole.UserRole
PICKER_LIMIT = 200
PICKER_WINDOW = 45 * 86400  # with nothing typed, events within 45 days of the source's date


@dataclass
class LinkChanges:
    """What the analyst did to the passage's evidence links."""

    added: list[tuple[int, str]] = field(default_factory=list)  # (event id, stance)
    removed: list[int] = field(default_factory=list)  # evidence ids
    restanced: list[tuple[int, str]] = field(default_factory=list)  # (evidence id, new stance)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.restanced)


class AnnotationDialog(QDialog):
    """Note, grade, groups, tags and evidence links of one passage (new or existing)."""

    def __init__(self, hub: ProjectHub, source_id: int, start: int, end: int, *,
                 annotation: Annotation | None = None, suggested_groups=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AnnotationDialog")
        self.hub = hub
        project = hub.project
        self.source = project.source(source_id)
        self.annotation = annotation
        self.setWindowTitle("Annotation" if annotation else "Annotate passage")
        self.resize(1100, 660)  # the evidence column gets the room: event titles read whole
        quote = annotation.quote if annotation else self.source.body[start:end]

        outer = QVBoxLayout(self)
        header = QLabel(f"<b>{escape(self.source.title, quote=False)}</b>"
                        + (f" — {escape(self.source.outlet, quote=False)}" if self.source.outlet else "")
                        + (f" · source {escape(reliability_label(self.source.reliability), quote=False)}"
                           if self.source.reliability else " · source not graded"))
        header.setWordWrap(True)
        outer.addWidget(header)
        self.quote_view = QPlainTextEdit(quote)
        self.quote_view.setObjectName("annotationQuote")
        self.quote_view.setReadOnly(True)
        self.quote_view.setMaximumHeight(64)
        rtl_if_arabic(self.quote_view, quote)
        outer.addWidget(self.quote_view)

        columns = QHBoxLayout()
        outer.addLayout(columns, 1)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(left, 0)  # as wide as the grades' meanings
        columns.addLayout(right, 1)

        form = QFormLayout()
        self.note_edit = QPlainTextEdit((annotation.note or "") if annotation else "")
        self.note_edit.setPlaceholderText("What this passage says, and why it matters")
        self.note_edit.setMaximumHeight(80)
        form.addRow("&Note", self.note_edit)
        self.tags_edit = QLineEdit(", ".join(annotation.tags) if annotation else "")
        self.tags_edit.setPlaceholderText("comma-separated, e.g. claim, casualties")
        self.tags_edit.setCompleter(QCompleter(project.tags(), self.tags_edit))
        form.addRow("&Tags", self.tags_edit)
        left.addLayout(form)

        grades = QGroupBox("Information credibility")
        grades_layout = QVBoxLayout(grades)
        grades_layout.setSpacing(1)
        self.credibility_buttons = QButtonGroup(self)
        current = annotation.credibility if annotation else None
        for value in (None, *CREDIBILITY):
            text = "Not graded" if value is None else f"{value}  {CREDIBILITY[value][0]} — {CREDIBILITY[value][1]}"
            button = QRadioButton(text)
            button.setProperty("credibility", 0 if value is None else value)
            self.credibility_buttons.addButton(button)
            grades_layout.addWidget(button)
            button.setChecked(value == current)
            button.toggled.connect(self._update_grade)
        self.grade_label = QLabel()
        self.grade_label.setObjectName("gradeCode")
        grades_layout.addWidget(self.grade_label)
        left.addWidget(grades)

        groups_box = QGroupBox("Groups in this passage")
        groups_layout = QVBoxLayout(groups_box)
        self.group_filter = QLineEdit()
        self.group_filter.setObjectName("annotationGroupFilter")
        self.group_filter.setPlaceholderText("Find a group, or type a new one…")
        self.group_filter.setClearButtonEnabled(True)
        self.group_filter.textChanged.connect(self._filter_groups)
        self.group_filter.returnPressed.connect(self._create_typed_group)
        groups_layout.addWidget(self.group_filter)
        self.groups_list = QListWidget()
        self.groups_list.setObjectName("annotationGroups")
        checked = set(annotation.group_ids if annotation else suggested_groups)
        depth: dict[int, int] = {}
        for g in project.groups():                 # parents before children: indented as a tree
            depth[g.id] = depth[g.parent_id] + 1 if g.parent_id in depth else 0
            item = QListWidgetItem("    " * depth[g.id] + g.name)
            item.setData(EVENT_ROLE, g.id)
            item.setData(EVENT_ROLE + 1, g.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if g.id in checked else Qt.CheckState.Unchecked)
            self.groups_list.addItem(item)
        groups_layout.addWidget(self.groups_list)
        self.create_group_button = QPushButton()
        self.create_group_button.setObjectName("annotationCreateGroup")
        self.create_group_button.clicked.connect(self._create_typed_group)
        self.create_group_button.hide()
        groups_layout.addWidget(self.create_group_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addWidget(groups_box, 1)

        links_box = QGroupBox("Evidence for events")
        links_layout = QVBoxLayout(links_box)
        self.links_table = QTableWidget(0, 3)
        self.links_table.setObjectName("annotationLinks")
        self.links_table.setHorizontalHeaderLabels(["Event", "Date", "Stance"])
        self.links_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.links_table.verticalHeader().setVisible(False)
        self.links_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.links_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.links_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.links_table.setWordWrap(True)
        links_layout.addWidget(self.links_table, 1)
        self.unlink_button = QPushButton("Remove link")
        self.unlink_button.clicked.connect(self.remove_selected_link)
        links_layout.addWidget(self.unlink_button, 0, Qt.AlignmentFlag.AlignRight)

        self.event_search = QLineEdit()
        self.event_search.setObjectName("eventSearch")
        self.event_search.setPlaceholderText("Find an event to link (title words)…")
        self.event_search.setClearButtonEnabled(True)
        links_layout.addWidget(self.event_search)
        self.event_list = QListWidget()
        self.event_list.setObjectName("eventPicker")
        self.event_list.setWordWrap(True)  # a long title wraps rather than hiding behind a scroll bar
        self.event_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        links_layout.addWidget(self.event_list, 1)
        pick_row = QHBoxLayout()
        self.stance_combo = QComboBox()
        for stance in schema.STANCES:
            self.stance_combo.addItem(stance, stance)
        self.link_button = QPushButton("&Link to event")
        self.link_button.clicked.connect(self.link_picked_event)
        pick_row.addWidget(QLabel("Stance"))
        pick_row.addWidget(self.stance_combo)
        pick_row.addStretch(1)
        pick_row.addWidget(self.link_button)
        links_layout.addLayout(pick_row)
        right.addWidget(links_box, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self._existing = {ev.id: ev for ev in (project.evidence_for_annotation(annotation.id) if annotation else [])}
        for ev in self._existing.values():
            self._add_link_row(ev.event_id, ev.stance, ev.id)
        self.event_search.textChanged.connect(self._fill_picker)
        self.event_list.itemDoubleClicked.connect(lambda _item: self.link_picked_event())
        for view, height in ((self.groups_list, 110), (self.links_table, 90), (self.event_list, 140)):
            # grown by the dialog, not by their own 192 px default: the dialog fits a 768 px screen
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            view.setMinimumHeight(height)
        self._fill_picker()
        self._update_grade()

    # ---- grade ---------------------------------------------------------------------------------
    def credibility(self) -> int | None:
        button = self.credibility_buttons.checkedButton()
        return (button.property("credibility") or None) if button else None

    def set_credibility(self, value: int | None) -> None:
        for button in self.credibility_buttons.buttons():
            if button.property("credibility") == (value or 0):
                button.setChecked(True)

    def _update_grade(self) -> None:
        code = grade_code(self.source.reliability, self.credibility())
        self.grade_label.setText(f"Grade: <b>{code}</b>" if code else "Grade: not graded")

    # ---- groups and tags -----------------------------------------------------------------------
    def groups(self) -> list[int | str]:
        """Ids of the checked groups; a group to create is named instead (see `new_groups`)."""
        return [self.groups_list.item(i).data(EVENT_ROLE) for i in range(self.groups_list.count())
                if self.groups_list.item(i).checkState() == Qt.CheckState.Checked]

    def new_groups(self) -> list[str]:
        return [g for g in self.groups() if isinstance(g, str)]

    def group_commands(self) -> list:
        """The commands that create the checked new groups (to push before the annotation's)."""
        from sijill.desktop.groups.group_dialog import next_color
        from sijill.desktop.commands.groups import CreateGroupCommand

        colors = [g.color for g in self.hub.project.groups()]
        out = []
        for name in self.new_groups():
            colors.append(next_color(colors).name())
            out.append(CreateGroupCommand(self.hub, {"name": name, "color": colors[-1]}))
        return out

    def _typed_name(self) -> str | None:
        """What is typed in the filter box when no group has that name (a group to create)."""
        text = self.group_filter.text().strip()
        names = {(self.groups_list.item(i).data(EVENT_ROLE + 1) or "").casefold()
                 for i in range(self.groups_list.count())}
        return text if text and text.casefold() not in names else None

    def _filter_groups(self, text: str) -> None:
        """Keep the groups whose name holds the text; offer to create one when none is named so."""
        needle = text.strip().casefold()
        for i in range(self.groups_list.count()):
            item = self.groups_list.item(i)
            item.setHidden(bool(needle) and needle not in (item.data(EVENT_ROLE + 1) or "").casefold())
        name = self._typed_name()
        self.create_group_button.setVisible(name is not None)
        if name is not None:
            self.create_group_button.setText(f"Create group ‘{name}’")

    def _create_typed_group(self) -> None:
        """Add the typed name as a new group, checked; it is created when the dialog is accepted."""
        name = self._typed_name()
        if name is None:
            return
        item = QListWidgetItem(f"{name}  (new)")
        item.setData(EVENT_ROLE, name)
        item.setData(EVENT_ROLE + 1, name)
        item.setToolTip(f"“{name}” will be created as a new group when you press OK")
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.groups_list.addItem(item)
        self.group_filter.clear()
        self.groups_list.scrollToItem(item)

    def tags(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in self.tags_edit.text().split(",") if t.strip()))

    def values(self) -> dict:
        """Fields for Project.create_annotation / update_annotation."""
        return {"note": self.note_edit.toPlainText().strip() or None, "credibility": self.credibility(),
                "groups": self.groups(), "tags": self.tags()}

    # ---- links ---------------------------------------------------------------------------------
    def _fill_picker(self) -> None:
        """The events matching what is typed, or those near the source's date: one query."""
        pub = self.source.published
        near = (pub.lo_ts, pub.hi_ts) if pub is not None else None
        try:
            events = self.hub.project.event_briefs(self.event_search.text(), near=near, within=PICKER_WINDOW,
                                                   limit=PICKER_LIMIT)
        except ProjectError:
            events = []
        self.event_list.clear()
        for e in events:
            item = QListWidgetItem(f"{e.start.display()} — {e.title}")
            item.setData(EVENT_ROLE, e.id)
            self.event_list.addItem(item)
        if self.event_list.count():
            self.event_list.setCurrentRow(0)

    def link_picked_event(self) -> None:
        item = self.event_list.currentItem()
        if item is None:
            return
        self.link_event(item.data(EVENT_ROLE), self.stance_combo.currentData())

    def link_event(self, event_id: int, stance: str = "supports") -> None:
        """Add a link row (the same event twice is refused: change its stance instead)."""
        for row in range(self.links_table.rowCount()):
            if self.links_table.item(row, 0).data(EVENT_ROLE) == event_id:
                self.links_table.cellWidget(row, 2).setCurrentText(stance)
                return
        self._add_link_row(event_id, stance, None)

    def _add_link_row(self, event_id: int, stance: str, evidence_id: int | None) -> None:
        event = self.hub.project.event(event_id)
        row = self.links_table.rowCount()
        self.links_table.insertRow(row)
        title = QTableWidgetItem(event.title)
        title.setData(EVENT_ROLE, event_id)
        title.setData(EVENT_ROLE + 1, evidence_id)
        self.links_table.setItem(row, 0, title)
        self.links_table.setItem(row, 1, QTableWidgetItem(event.start.display()))
        combo = QComboBox()
        combo.addItems(list(schema.STANCES))
        combo.setCurrentText(stance)
        self.links_table.setCellWidget(row, 2, combo)

    def remove_selected_link(self) -> None:
        rows = sorted({i.row() for i in self.links_table.selectedIndexes()}, reverse=True)
        if not rows and self.links_table.currentRow() >= 0:
            rows = [self.links_table.currentRow()]
        for row in rows:
            self.links_table.removeRow(row)

    def links(self) -> list[tuple[int, str, int | None]]:
        """(event id, stance, evidence id or None for a new link) for every row."""
        out = []
        for row in range(self.links_table.rowCount()):
            item = self.links_table.item(row, 0)
            out.append((item.data(EVENT_ROLE), self.links_table.cellWidget(row, 2).currentText(),
                        item.data(EVENT_ROLE + 1)))
        return out

    def link_changes(self) -> LinkChanges:
        changes = LinkChanges()
        kept = set()
        for event_id, stance, evidence_id in self.links():
            if evidence_id is None:
                changes.added.append((event_id, stance))
            else:
                kept.add(evidence_id)
                if self._existing[evidence_id].stance != stance:
                    changes.restanced.append((evidence_id, stance))
        changes.removed = [eid for eid in self._existing if eid not in kept]
        return changes
