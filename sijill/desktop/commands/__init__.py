"""Every edit the analyst makes is one undo step, through one protocol.

- `base`: `Command` (`_do`/`_undo` change the project in one transaction each way) and
  `CompositeCommand` (child commands as one step, one transaction: a refused child leaves nothing).
- `stack`: `GuardedUndoStack` (a refused step is never left on the stack; `command_failed` names
  what was not saved) and `refuse_read_only`, the one read-only refusal of the window.
- One module per kind of record: `events`, `groups`, `periods`, `sources`, `annotations`,
  `evidence`, `tags`, `places`.
"""
