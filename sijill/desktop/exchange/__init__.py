"""File ▸ Import and File ▸ Export: the dialogs over the formats of `sijill.db.formats.registry`.

- `import_job`: one file read in one format with the analyst's choices (actor -> group, column ->
  field), previewed, dry-run or imported; Qt-free, so the window's scripted `import_file(path)`
  and the dialog run the same code.
- `import_command`: the undo step of an import, which puts whole copies of the file back
  (`sijill.db.store.snapshots`): undo restores the project as it was before, redo as it was after.
- `import_tables`: the actor -> group and column -> field tables of the Import dialog.
- `import_preview`: its read-only tables: the first events of the file, and the bad rows.
- `import_dialog`: file, format, preview, mapping tables, counts and bad rows before anything is
  written; the import itself under a progress dialog with Cancel.
- `export_job`: running any exporter, and its preview on a temporary file; Qt-free.
- `export_selection`: which events (dates, groups, tags, text), prefilled from the window's filter.
- `export_dialog`: format, file, the selection, a live count and a preview.
- `progress`: the progress dialog both run under.

Imports and exports run on the main thread: the project's one SQLite connection belongs to it,
the import's undo copies are taken through that connection, and `run_import` calls back every
500 records, where the progress dialog (window-modal, so nothing else can edit the project
meanwhile) processes events and notices Cancel.
"""
