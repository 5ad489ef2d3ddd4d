"""The reader says so when a source's text is a summary written for the demo, not the article's."""
from __future__ import annotations

import pytest

from sijill.desktop.commands.sources import DeleteSourceCommand, EditSourceCommand
from sijill.desktop.sources.reader import SUMMARY_BANNER
from tests.desktop.sources_helpers import groups, hub, panel, sources, stack  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, top-level show()


def shown(widget) -> bool:
    return widget.isVisibleTo(widget.window())


def test_the_banner_shows_for_a_summary_and_only_for_it(qtbot, panel, project, sources, hub, stack):
    reader = panel.reader
    summary = project.create_source("[Report on the drone attack]", "A summary of the report, written for the demo.",
                                    outlet="AP", published="2024-01-29", summary=True)
    panel.open_source(summary.id)
    assert reader.source_id == summary.id and shown(reader.summary_banner)
    assert reader.summary_banner.text() == SUMMARY_BANNER == "Summary written for this demo — not the article's text"
    panel.open_source(sources["fr"])
    assert reader.source_id == sources["fr"] and not shown(reader.summary_banner)
    stack.push(EditSourceCommand(hub, sources["fr"], {"summary": True}))  # flagged while it is open
    assert shown(reader.summary_banner)
    stack.undo()
    assert not shown(reader.summary_banner) and project.source(sources["fr"]).summary is False
    panel.open_source(summary.id)
    stack.push(DeleteSourceCommand(hub, summary.id))
    assert reader.source_id is None and not shown(reader.summary_banner)


def test_the_source_dialog_marks_a_summary_and_the_reader_follows(qtbot, panel, project, sources, stack):
    from tests.desktop.sources_helpers import click_ok

    library, reader = panel.library, panel.reader
    panel.open_source(sources["ar"])
    library.select_source(sources["ar"])
    dialog = library.edit_selected()
    assert not dialog.summary_check.isChecked()
    dialog.summary_check.setChecked(True)
    click_ok(qtbot, dialog)
    assert project.source(sources["ar"]).summary is True and shown(reader.summary_banner)
    dialog = library.edit_selected()
    assert dialog.summary_check.isChecked()
    dialog.reject()
    stack.undo()
    assert project.source(sources["ar"]).summary is False and not shown(reader.summary_banner)


def test_undoing_the_deletion_of_a_summary_keeps_it_a_summary(qtbot, panel, project, hub, stack):
    summary = project.create_source("[Report]", "A summary.", summary=True)
    stack.push(DeleteSourceCommand(hub, summary.id))
    stack.undo()
    assert project.source_by_uid(summary.uid).summary is True
