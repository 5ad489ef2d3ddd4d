"""The main window's parts: events table, group list, search box, filter bar, detail pane, undo history."""
